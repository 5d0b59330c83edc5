//! `quid data check`: every bundled file through its reader, a summary table, the 2024 key
//! totals, and every problem found (exit status 1 when there is any).

use crate::cli::{Cli, DataCmd, Format};
use crate::output::Print as _;
use quid_app::App;
use std::io::Write;
use std::process::ExitCode;

pub fn run(app: &App, cli: &Cli, cmd: &DataCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        DataCmd::Check => {
            let r = quid_app::checks::data(app);
            let mut out = std::io::stdout().lock();
            r.files.write(&mut out, cli.format)?;
            if cli.format == Format::Table {
                writeln!(out)?;
                match &r.totals {
                    Ok(k) => write!(out, "{k}")?,
                    Err(e) => writeln!(out, "key totals not computed: {e}")?,
                }
                if r.ok() {
                    writeln!(
                        out,
                        "\nall {} files read without problems; every file matches MANIFEST.csv",
                        r.files.rows.len()
                    )?;
                }
            }
            let mut err = std::io::stderr().lock();
            for d in &r.problems {
                writeln!(err, "{d}")?;
            }
            if let Err(e) = &r.totals {
                writeln!(err, "{e}")?;
            }
            if r.ok() {
                Ok(ExitCode::SUCCESS)
            } else {
                writeln!(
                    err,
                    "quid: data check found {} problem(s)",
                    r.problems.len() + usize::from(r.totals.is_err())
                )?;
                Ok(ExitCode::FAILURE)
            }
        }
        DataCmd::Manifest { write } => {
            let root = &app.bundle.root;
            let manifest = root.join(quid_app::checks::MANIFEST);
            if *write {
                let n = quid_app::checks::write_manifest(app)?;
                println!("{n} files listed in {}", manifest.display());
                return Ok(ExitCode::SUCCESS);
            }
            let problems = quid_app::checks::manifest(app);
            for p in &problems {
                eprintln!("{p}");
            }
            if problems.is_empty() {
                println!("every file matches {}", manifest.display());
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!("quid: {} problem(s) against the manifest", problems.len());
                Ok(ExitCode::FAILURE)
            }
        }
    }
}
