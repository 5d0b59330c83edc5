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
            let l = schedule::show(app, code, &at(a)?)?;
            if cli.format == Format::Json {
                crate::output::json(&mut out, &l)?;
                return Ok(ExitCode::SUCCESS);
            }
            let ca = l.importer == quid_core::Country::CA;
            let mut r = Record::default();
            r.add("code", &l.code);
            if let Some(n) = &l.note {
                r.add("note", n);
            }
            r.add("importer", l.importer.to_string());
            r.add("edition", &l.edition);
            r.add("description", l.description.join(" > "));
            r.add("unit", l.units.join(", "));
            r.add(
                if ca { "MFN" } else { "MFN (column 1 general)" },
                l.mfn.clone().unwrap_or_default(),
            );
            if let Some(sp) = &l.special {
                r.add(
                    if ca {
                        "preferential"
                    } else {
                        "special (column 1)"
                    },
                    sp,
                );
                for g in &l.special_groups {
                    r.add(
                        &format!("  {}", g.rate),
                        if g.programmes.is_empty() {
                            "all programmes".to_string()
                        } else {
                            g.programmes.join(", ")
                        },
                    );
                }
            }
            r.add(
                &if ca {
                    "CUSMA (UST) rate".to_string()
                } else {
                    "USMCA (S/S+) rate".to_string()
                },
                l.usmca_rate
                    .clone()
                    .unwrap_or_else(|| "not listed (the MFN rate applies)".into()),
            );
            r.add(
                if ca { "General Tariff" } else { "column 2" },
                l.column_2.clone().unwrap_or_default(),
            );
            if !l.chapter99.is_empty() {
                r.add("chapter 99 references", l.chapter99.join(", "));
            }
            if !l.footnotes.is_empty() {
                r.add("footnotes", l.footnotes.join(" | "));
            }
            r.add("source", &l.source);
            r.write(&mut out, cli.format)?;
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
            if cli.format == Format::Json {
                crate::output::json(&mut out, &r)?;
            } else if cli.format == Format::Table {
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
