//! The `quid` binary: a thin shell over the quid library crates. `main` parses arguments,
//! calls [`run`], prints a friendly report of any error and owns the exit code.

mod cli;
mod commands;
mod output;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    output::set_width(if args.wide { 0 } else { output::detect_width() });
    match run(args) {
        Ok(code) => code,
        Err(err) => {
            report(&err);
            ExitCode::from(2)
        }
    }
}

/// Runs one command; `Ok(ExitCode::FAILURE)` means the command ran and found problems.
fn run(args: cli::Cli) -> anyhow::Result<ExitCode> {
    // The clock is read once, here, and passed in.
    commands::dispatch(args, quid_app::load::system_today())
}

fn report(err: &anyhow::Error) {
    // A closed pipe (e.g. `quid ... | head`) is not an error worth reporting.
    if err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    }) {
        return;
    }
    // Each message once: a cause whose text the lines above already hold (an I/O error that
    // a library error quotes) is not repeated.
    let mut printed = err.to_string();
    eprintln!("quid: error: {printed}");
    for cause in err.chain().skip(1) {
        let text = cause.to_string();
        if printed.contains(&text) {
            continue;
        }
        eprintln!("  caused by: {text}");
        printed.push_str(&text);
    }
}
