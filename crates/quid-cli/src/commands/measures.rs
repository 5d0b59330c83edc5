//! `quid measures list|show|check`.

use super::{parse_date_arg, parse_importer};
use crate::cli::{Cli, MeasuresCmd};
use crate::context;
use crate::output::{Record, Table};
use std::io::Write;
use std::process::ExitCode;

pub fn run(cli: &Cli, cmd: &MeasuresCmd) -> anyhow::Result<ExitCode> {
    let bundle = context::bundle(&cli.data)?;
    match cmd {
        MeasuresCmd::Check => {
            let mut out = std::io::stdout().lock();
            match quid_data::measures::load_policy(&bundle, true) {
                Ok(p) => {
                    let n = p.all_measures().count();
                    writeln!(
                        out,
                        "{n} measures and their stacking rules are valid ({})",
                        bundle.measures_dir().display()
                    )?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    for d in e.diagnostics() {
                        writeln!(out, "{d}")?;
                    }
                    writeln!(out, "{} problem(s)", e.diagnostics().len())?;
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        MeasuresCmd::List { importer, date } => {
            let policy = quid_data::measures::load_policy(&bundle, true)?;
            let importer = importer.as_deref().map(parse_importer).transpose()?;
            let date = parse_date_arg(date.as_deref())?;
            let mut t = Table::new([
                "id",
                "importer",
                "origins",
                "authority",
                "heading",
                "rate",
                "base",
                "scope",
                "period",
                "status",
                "confidence",
                "citations",
            ]);
            let mut rows: Vec<_> = policy.all_measures().collect();
            rows.sort_by(|a, b| (a.importer, a.from, &a.id).cmp(&(b.importer, b.from, &b.id)));
            for m in rows {
                if importer.is_some_and(|i| i != m.importer) {
                    continue;
                }
                let period = quid_core::Period {
                    from: m.from,
                    until: m.until,
                };
                if date.is_some_and(|d| !period.contains(d)) {
                    continue;
                }
                t.push([
                    m.id.clone(),
                    m.importer.to_string(),
                    m.origins.join(" "),
                    m.authority.to_string(),
                    m.heading.clone(),
                    m.rate.clone(),
                    format!("{:?}", m.base),
                    policy.scope_summary(&m.id).unwrap_or_default(),
                    period.to_string(),
                    format!("{:?}", m.status),
                    m.confidence.to_string(),
                    m.citations
                        .iter()
                        .map(|c| c.url.clone().unwrap_or_else(|| c.title.clone()))
                        .collect::<Vec<_>>()
                        .join(" "),
                ]);
            }
            t.write(&mut std::io::stdout().lock(), cli.format)?;
            Ok(ExitCode::SUCCESS)
        }
        MeasuresCmd::Show { id } => {
            let policy = quid_data::measures::load_policy(&bundle, true)?;
            let m = policy
                .all_measures()
                .find(|m| m.id.eq_ignore_ascii_case(id))
                .ok_or_else(|| anyhow::anyhow!("no measure {id:?}; see `quid measures list`"))?;
            let mut r = Record::default();
            r.add("id", m.id.clone());
            r.add("title", m.title.clone());
            r.add("importer", m.importer.to_string());
            r.add("origins", m.origins.join(" "));
            r.add("authority", m.authority.to_string());
            r.add("heading", m.heading.clone());
            r.add("instrument", m.instrument.clone());
            r.add("rate", m.rate.clone());
            r.add("base", format!("{:?}", m.base));
            r.add(
                "period",
                quid_core::Period {
                    from: m.from,
                    until: m.until,
                }
                .to_string(),
            );
            r.add("status", format!("{:?}", m.status));
            r.add("confidence", m.confidence.to_string());
            r.add(
                "scope",
                format!(
                    "include {:?}; lists {:?}; exclude {:?}; exclude lists {:?}",
                    m.scope.include, m.scope.include_lists, m.scope.exclude, m.scope.exclude_lists
                ),
            );
            for (i, c) in m.citations.iter().enumerate() {
                r.add(format!("citation {}", i + 1), c.to_string());
            }
            if let Some(n) = &m.notes {
                r.add("notes", n.clone());
            }
            r.write(&mut std::io::stdout().lock(), cli.format)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
