//! `quid ledger check|verify|add|import|export|list`: the bundled ledger and the user's
//! workspace database.

use super::opt_date;
use crate::cli::{Cli, LedgerCmd};
use crate::output::Print as _;
use quid_app::{ledger, App};
use std::process::ExitCode;

pub fn run(app: App, cli: &Cli, cmd: &LedgerCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        LedgerCmd::Check { workspace } => {
            let r = ledger::check(&app.with_workspace(workspace.as_deref()))?;
            if r.problems.is_empty() {
                println!(
                    "{} entries ({} from the workspace) with {} moves: no problem",
                    r.entries, r.from_workspace, r.moves
                );
                Ok(ExitCode::SUCCESS)
            } else {
                for p in &r.problems {
                    println!("{p}");
                }
                println!("{} problem(s)", r.problems.len());
                Ok(ExitCode::FAILURE)
            }
        }
        LedgerCmd::Verify { workspace } => {
            let app = app.with_workspace(workspace.as_deref());
            let r = ledger::verify(&app)?;
            let path = app.workspace.display();
            println!(
                "chain: {} entries, head {} (schema version {})",
                r.entries, r.head, r.schema_version
            );
            if let Some((n, head)) = &r.anchor {
                println!("anchor: {n} entries, head {head} (note these to check later)");
            }
            if r.breaks.is_empty() {
                println!("{path}: {} entries, hash chain intact", r.entries);
                Ok(ExitCode::SUCCESS)
            } else {
                for (seq, id, reason) in &r.breaks {
                    println!("entry {seq} ({id}): {reason}");
                }
                println!("{path}: {} break(s) in the hash chain of {} entries: the database was changed outside quid", r.breaks.len(), r.entries);
                Ok(ExitCode::FAILURE)
            }
        }
        LedgerCmd::Add { file, workspace } | LedgerCmd::Import { file, workspace } => {
            let app = app.with_workspace(workspace.as_deref());
            let r = ledger::add(&app, file)?;
            println!(
                "{} entr{} added to {} (sequence {}-{})",
                r.added,
                if r.added == 1 { "y" } else { "ies" },
                app.workspace.display(),
                r.first_sequence,
                r.last_sequence
            );
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
