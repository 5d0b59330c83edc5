//! `quid measures list|show|check`.

use super::{opt_date, parse_importer};
use crate::cli::{Cli, MeasuresCmd};
use crate::output::{Print as _, Record};
use quid_app::App;
use std::io::Write;
use std::process::ExitCode;

pub fn run(app: &App, cli: &Cli, cmd: &MeasuresCmd) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match cmd {
        MeasuresCmd::Check => match quid_app::checks::measures(app)? {
            Ok(n) => {
                writeln!(
                    out,
                    "{n} measures and their stacking rules are valid ({})",
                    app.bundle.measures_dir().display()
                )?;
                Ok(ExitCode::SUCCESS)
            }
            Err(problems) => {
                for d in &problems {
                    writeln!(out, "{d}")?;
                }
                writeln!(out, "{} problem(s)", problems.len())?;
                Ok(ExitCode::FAILURE)
            }
        },
        MeasuresCmd::List { importer, date } => {
            let importer = importer.as_deref().map(parse_importer).transpose()?;
            let date = opt_date("--date", date.as_deref())?;
            quid_app::measures::list(app, importer, date)?.write(&mut out, cli.format)?;
            Ok(ExitCode::SUCCESS)
        }
        MeasuresCmd::Show { id } => {
            let fields = quid_app::measures::show(app, id)?;
            Record { fields }.write(&mut out, cli.format)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
