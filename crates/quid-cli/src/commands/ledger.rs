//! `quid ledger check|verify|add|import|export|list`: the bundled ledger and the user's
//! workspace database.

use super::opt_date;
use crate::cli::{Cli, Format, LedgerCmd};
use crate::output::{count, Print as _, Table};
use quid_app::{ledger, App};
use std::io::Write;
use std::process::ExitCode;

pub fn run(app: App, cli: &Cli, cmd: &LedgerCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        LedgerCmd::Check { workspace } => {
            let r = ledger::check(&app.with_workspace(workspace.as_deref()))?;
            let mut out = std::io::stdout().lock();
            match cli.format {
                Format::Json => crate::output::json(&mut out, &r)?,
                Format::Csv => problems_table(&r.problems).write(&mut out, Format::Csv)?,
                Format::Table if r.problems.is_empty() => writeln!(
                    out,
                    "{} ({} from the workspace) with {}: no problem",
                    count(r.entries, "entry", "entries"),
                    r.from_workspace,
                    count(r.moves, "move", "moves")
                )?,
                Format::Table => {
                    for p in &r.problems {
                        writeln!(out, "{p}")?;
                    }
                    writeln!(out, "{}", count(r.problems.len(), "problem", "problems"))?;
                }
            }
            Ok(if r.problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        LedgerCmd::Verify { workspace } => {
            let app = app.with_workspace(workspace.as_deref());
            let r = ledger::verify(&app)?;
            let mut out = std::io::stdout().lock();
            if cli.format == Format::Json {
                crate::output::json(&mut out, &r)?;
            } else {
                let path = &r.workspace;
                writeln!(
                    out,
                    "chain: {}, head {} (schema version {})",
                    count(r.entries, "entry", "entries"),
                    r.head,
                    r.schema_version
                )?;
                if let Some(a) = &r.anchor {
                    writeln!(
                        out,
                        "anchor: {} entries, head {} (note these to check later)",
                        a.entries, a.head
                    )?;
                }
                if r.breaks.is_empty() {
                    writeln!(
                        out,
                        "{path}: {}, hash chain intact",
                        count(r.entries, "entry", "entries")
                    )?;
                } else {
                    for b in &r.breaks {
                        writeln!(out, "entry {} ({}): {}", b.sequence, b.entry_id, b.reason)?;
                    }
                    writeln!(
                        out,
                        "{path}: {} in the hash chain of {}: the database was changed outside quid",
                        count(r.breaks.len(), "break", "breaks"),
                        count(r.entries, "entry", "entries")
                    )?;
                }
            }
            Ok(if r.breaks.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        LedgerCmd::Add { file, workspace } | LedgerCmd::Import { file, workspace } => {
            let app = app.with_workspace(workspace.as_deref());
            let r = ledger::add(&app, file)?;
            if cli.format == Format::Json {
                crate::output::json(&mut std::io::stdout().lock(), &r)?;
            } else {
                println!(
                    "{} added to {} (sequence {}-{})",
                    count(r.added, "entry", "entries"),
                    r.workspace,
                    r.first_sequence,
                    r.last_sequence
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        LedgerCmd::Export {
            output,
            workspace_only,
            workspace,
        } => {
            let app = app.with_workspace(workspace.as_deref());
            let n = ledger::export(&app, output, *workspace_only)?;
            println!("{n} entries written to {}", output.display());
            Ok(ExitCode::SUCCESS)
        }
        LedgerCmd::List {
            as_known_on,
            workspace,
        } => {
            let app = app.with_workspace(workspace.as_deref());
            let t = ledger::list(&app, opt_date("--as-known-on", as_known_on.as_deref())?)?;
            t.write(&mut std::io::stdout().lock(), cli.format)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Problems as a table (the CSV form of a check): check, place, message.
pub fn problems_table(problems: &[quid_core::Problem]) -> Table {
    let mut t = Table::new(["check", "at", "message"]);
    for p in problems {
        t.push([
            quid_app::table::serde_name(&p.check),
            p.at.to_string(),
            p.message.clone(),
        ]);
    }
    t
}
