//! `quid measures list|show|check`.

use super::{opt_date, parse_importer};
use crate::cli::{Cli, Format, MeasuresCmd};
use crate::output::{count, Print as _, Record};
use quid_app::App;
use std::io::Write;
use std::process::ExitCode;

pub fn run(app: &App, cli: &Cli, cmd: &MeasuresCmd) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match cmd {
        MeasuresCmd::Check => {
            let r = quid_app::checks::measures(app)?;
            let problems: &[quid_core::Problem] = match &r {
                Ok(_) => &[],
                Err(p) => p,
            };
            match cli.format {
                Format::Json => crate::output::json(
                    &mut out,
                    &quid_app::contract::MeasuresCheck {
                        measures: r.as_ref().ok().copied(),
                        problems: problems.to_vec(),
                    },
                )?,
                Format::Csv => {
                    super::ledger::problems_table(problems).write(&mut out, Format::Csv)?
                }
                Format::Table => match &r {
                    Ok(n) => writeln!(
                        out,
                        "{n} measures and their stacking rules are valid ({})",
                        app.bundle.measures_dir().display()
                    )?,
                    Err(problems) => {
                        for d in problems {
                            writeln!(out, "{d}")?;
                        }
                        writeln!(out, "{}", count(problems.len(), "problem", "problems"))?;
                    }
                },
            }
            Ok(if r.is_ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        MeasuresCmd::List { importer, date } => {
            let importer = importer.as_deref().map(parse_importer).transpose()?;
            let date = opt_date("--date", date.as_deref())?;
            let t = quid_app::measures::list(app, importer, date)?;
            if cli.format == Format::Table && !cli.wide {
                // The human view: citations and scope are in `measures show`, and in --wide.
                t.select(&[
                    "id",
                    "origins",
                    "authority",
                    "heading",
                    "rate",
                    "base",
                    "from",
                    "last_day",
                    "status",
                ])
                .write(&mut out, Format::Table)?;
            } else {
                t.write(&mut out, cli.format)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        MeasuresCmd::Show { id, date } => {
            let on = opt_date("--date", date.as_deref())?.unwrap_or(app.today);
            let m = quid_app::measures::show(app, id, on)?;
            if cli.format == Format::Json {
                crate::output::json(&mut out, &m)?;
                return Ok(ExitCode::SUCCESS);
            }
            let mut r = Record::default();
            r.add("id", &m.id);
            r.add("title", &m.title);
            r.add("importer", m.importer.to_string());
            r.add("origins", m.origins.join(" "));
            r.add("authority", &m.authority);
            r.add("heading", &m.heading);
            r.add("instrument", &m.instrument);
            r.add("rate", &m.rate);
            r.add("charged on", words(&m.base));
            r.add(
                "period",
                quid_core::Period {
                    from: m.from,
                    until: m.last_day.and_then(|d| d.tomorrow().ok()),
                }
                .to_string(),
            );
            r.add(&format!("status on {on}"), words(&m.status_on_date));
            r.add("confidence", m.confidence.to_string());
            r.add(
                "scope",
                m.scope_summary.clone().unwrap_or_else(|| {
                    format!(
                        "include {}; lists {}",
                        m.scope.include.join(" "),
                        m.scope.include_lists.join(" ")
                    )
                }),
            );
            for (i, c) in m.citations.iter().enumerate() {
                r.add(&format!("citation {}", i + 1), c.to_string());
            }
            r.write(&mut out, cli.format)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// An enum value in words: its snake_case name with spaces (`in_force` -> `in force`).
fn words<T: serde::Serialize>(v: &T) -> String {
    quid_app::table::serde_name(v).replace('_', " ")
}
