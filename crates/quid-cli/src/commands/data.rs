//! `quid data check`: every bundled file through its reader, a summary table, the 2024 key
//! totals, and every problem found (exit status 1 when there is any).

use crate::cli::{Cli, DataCmd, Format};
use crate::output::{count, Print as _};
use quid_app::App;
use std::io::Write;
use std::process::ExitCode;

pub fn run(app: &App, cli: &Cli, cmd: &DataCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        DataCmd::Check => {
            let r = quid_app::checks::data(app);
            let mut out = std::io::stdout().lock();
            match cli.format {
                Format::Json => crate::output::json(&mut out, &r)?,
                Format::Csv => r.files.write(&mut out, Format::Csv)?,
                Format::Table => {
                    r.files.write(&mut out, Format::Table)?;
                    if !r.warnings.is_empty() {
                        writeln!(
                            out,
                            "\n{} (the files were read; these lines were repaired or skipped):",
                            count(r.warnings.len(), "warning", "warnings")
                        )?;
                        for w in &r.warnings {
                            writeln!(out, "  warning: {w}")?;
                        }
                    }
                    writeln!(out)?;
                    match (&r.totals_text, &r.totals_error) {
                        (Some(k), _) => write!(out, "{k}")?,
                        (None, Some(e)) => writeln!(out, "key totals not computed: {e}")?,
                        (None, None) => {}
                    }
                    if r.ok() {
                        writeln!(
                            out,
                            "\nall {} files read{}; every file matches MANIFEST.csv",
                            r.files.rows.len(),
                            if r.warnings.is_empty() {
                                " without problems".to_string()
                            } else {
                                format!(
                                    ", with the {} above",
                                    count(r.warnings.len(), "warning", "warnings")
                                )
                            }
                        )?;
                    }
                }
            }
            let mut err = std::io::stderr().lock();
            if cli.format == Format::Table {
                for d in &r.problems {
                    writeln!(err, "{d}")?;
                }
                if let Some(e) = &r.totals_error {
                    writeln!(err, "{e}")?;
                }
            }
            if r.ok() {
                Ok(ExitCode::SUCCESS)
            } else {
                let n = r.problems.len() + usize::from(r.totals_error.is_some());
                writeln!(
                    err,
                    "quid: data check found {}",
                    count(n, "problem", "problems")
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
