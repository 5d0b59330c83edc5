//! `quid schedule show|search|check`.

use super::{opt_date, parse_importer};
use crate::cli::{Cli, Format, ImporterDate, ScheduleCmd};
use crate::output::{Print as _, Record};
use quid_app::schedule::{self, At};
use quid_app::App;
use std::io::Write;
use std::process::ExitCode;

fn at(a: &ImporterDate) -> anyhow::Result<At> {
    Ok(At {
        importer: parse_importer(&a.importer)?,
        date: opt_date("--date", a.date.as_deref())?,
        ca_tariff: a.ca_tariff.clone(),
    })
}

pub fn run(app: &App, cli: &Cli, cmd: &ScheduleCmd) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match cmd {
        ScheduleCmd::Show { code, at: a } => {
            let fields = schedule::show(app, code, &at(a)?)?;
            Record { fields }.write(&mut out, cli.format)?;
            Ok(ExitCode::SUCCESS)
        }
        ScheduleCmd::Search {
            words,
            at: a,
            limit,
        } => {
            let (t, searched) = schedule::search(app, words, &at(a)?, *limit)?;
            t.write(&mut out, cli.format)?;
            if t.rows.is_empty() {
                writeln!(
                    std::io::stderr(),
                    "no line of the {searched} schedule matches all of: {}",
                    words.join(" ")
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        ScheduleCmd::Check { file } => {
            let r = schedule::check(app, file.as_deref())?;
            if cli.format == Format::Table {
                r.summary.write(&mut out, cli.format)?;
                if !r.problems.rows.is_empty() {
                    writeln!(
                        out,
                        "\nRate texts not understood (each listed with its line):"
                    )?;
                    r.problems.write(&mut out, cli.format)?;
                }
            } else {
                r.problems.write(&mut out, cli.format)?;
            }
            Ok(if r.ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
    }
}
