//! `quid ledger check|verify|add|import|export|list`: the bundled ledger and the user's
//! workspace database.

use super::duty::load_engine;
use crate::cli::{Cli, LedgerCmd};
use crate::context;
use crate::output::Table;
use anyhow::Context as _;
use quid_core::ledger::{Announcement, Ledger};
use quid_core::{parse_date, Date};
use quid_data::ledger::read_ledger;
use quid_engine::Policy;
use quid_store::Workspace;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The workspace database path: the flag, QUID_WORKSPACE, or `quid-workspace.sqlite`.
pub fn workspace_path(opt: &Option<PathBuf>) -> PathBuf {
    opt.clone()
        .unwrap_or_else(|| PathBuf::from("quid-workspace.sqlite"))
}

/// Today's date from the system clock.
pub fn today() -> Date {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0) as i64;
    Date::constant(1970, 1, 1)
        .checked_add(jiff::Span::new().days(days))
        .unwrap_or(Date::constant(1970, 1, 1))
}

/// The bundled ledger and the workspace's entries (when the workspace exists), together.
pub fn combined_ledger(cli: &Cli, workspace: &Option<PathBuf>) -> anyhow::Result<(Ledger, usize)> {
    let bundle = context::bundle(&cli.data)?;
    let mut ledger = read_ledger(&bundle.ledger()).context("reading the bundled ledger")?;
    let path = workspace_path(workspace);
    let mut own = 0;
    if path.is_file() {
        let ws = Workspace::open(&path).with_context(|| format!("opening {}", path.display()))?;
        let l = ws.ledger()?;
        own = l.announcements.len();
        ledger.announcements.extend(l.announcements);
    }
    Ok((ledger, own))
}

fn known<'a>(cli: &Cli, policy: &'a Policy) -> anyhow::Result<impl Fn(&str) -> bool + 'a> {
    Ok(quid_data::ledger::measure_checker(
        &context::bundle(&cli.data)?,
        policy,
    )?)
}

/// Reads entries from a TOML, JSON or CSV file.
pub fn read_entries(path: &Path) -> anyhow::Result<Vec<Announcement>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    Ok(match ext.as_str() {
        "toml" => quid_data::ledger::parse_ledger(&text, path)?.announcements,
        "json" => match serde_json::from_str::<Ledger>(&text) {
            Ok(l) => l.announcements,
            Err(_) => serde_json::from_str::<Vec<Announcement>>(&text).map_err(|e| {
                anyhow::anyhow!("{}:{}:{}: {e}", path.display(), e.line(), e.column())
            })?,
        },
        "csv" => {
            quid_store::from_csv(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
        }
        other => anyhow::bail!(
            "{}: unknown format {other:?}; expected .toml, .json or .csv",
            path.display()
        ),
    })
}

pub fn run(cli: &Cli, cmd: &LedgerCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        LedgerCmd::Check { workspace } => {
            let (policy, _) = load_engine(cli, None, true)?;
            let (ledger, own) = combined_ledger(cli, workspace)?;
            let k = known(cli, &policy)?;
            let problems = ledger.check(&k);
            if problems.is_empty() {
                let moves: usize = ledger
                    .announcements
                    .iter()
                    .map(|a| a.interventions.len())
                    .sum();
                println!(
                    "{} entries ({} from the workspace) with {moves} moves: no problem",
                    ledger.announcements.len(),
                    own
                );
                Ok(ExitCode::SUCCESS)
            } else {
                for p in &problems {
                    println!("{p}");
                }
                println!("{} problem(s)", problems.len());
                Ok(ExitCode::FAILURE)
            }
        }
        LedgerCmd::Verify { workspace } => {
            let path = workspace_path(workspace);
            anyhow::ensure!(
                path.is_file(),
                "no workspace database at {}",
                path.display()
            );
            let ws = Workspace::open(&path)?;
            let (n, broken) = ws.verify()?;
            if broken.is_empty() {
                println!("{}: {n} entries, hash chain intact", path.display());
                Ok(ExitCode::SUCCESS)
            } else {
                for b in &broken {
                    println!("entry {} ({}): {}", b.seq, b.id, b.reason);
                }
                println!("{}: {} break(s) in the hash chain of {n} entries: the database was changed outside quid", path.display(), broken.len());
                Ok(ExitCode::FAILURE)
            }
        }
        LedgerCmd::Add { file, workspace } | LedgerCmd::Import { file, workspace } => {
            let entries = read_entries(file)?;
            anyhow::ensure!(!entries.is_empty(), "{}: no entries", file.display());
            let (policy, _) = load_engine(cli, None, true)?;
            let (existing, _) = combined_ledger(cli, workspace)?;
            let k = known(cli, &policy)?;
            let reserved: Vec<&str> = existing
                .announcements
                .iter()
                .map(|a| a.id.as_str())
                .collect();
            // The new entries are checked once, with the whole ledger (supersedes, duplicates),
            // and each entry is given the problems that name it.
            let mut all = existing.clone();
            all.announcements.extend(entries.iter().cloned());
            let problems = all.check(&k);
            let check = |a: &Announcement| {
                let at = format!("({})", a.id);
                problems
                    .iter()
                    .filter(|p| p.contains(&at))
                    .cloned()
                    .collect::<Vec<_>>()
            };
            let path = workspace_path(workspace);
            let mut ws =
                Workspace::open(&path).with_context(|| format!("opening {}", path.display()))?;
            let seqs = ws.import(&entries, &check, &reserved)?;
            println!(
                "{} entr{} added to {} (sequence {}-{})",
                seqs.len(),
                if seqs.len() == 1 { "y" } else { "ies" },
                path.display(),
                seqs[0],
                seqs[seqs.len() - 1]
            );
            Ok(ExitCode::SUCCESS)
        }
        LedgerCmd::Export {
            output,
            workspace_only,
            workspace,
        } => {
            let entries: Vec<Announcement> = if *workspace_only {
                let path = workspace_path(workspace);
                anyhow::ensure!(
                    path.is_file(),
                    "no workspace database at {}",
                    path.display()
                );
                Workspace::open(&path)?.ledger()?.announcements
            } else {
                combined_ledger(cli, workspace)?.0.announcements
            };
            let text = if output
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
            {
                quid_store::to_csv(&entries)?
            } else {
                serde_json::to_string_pretty(&Ledger {
                    announcements: entries.clone(),
                })?
            };
            std::fs::write(output, text)
                .with_context(|| format!("writing {}", output.display()))?;
            println!("{} entries written to {}", entries.len(), output.display());
            Ok(ExitCode::SUCCESS)
        }
        LedgerCmd::List {
            as_known_on,
            workspace,
        } => {
            let (ledger, _) = combined_ledger(cli, workspace)?;
            let on = match as_known_on {
                Some(d) => parse_date(d)?,
                None => today(),
            };
            let mut t = Table::new([
                "implemented",
                "party",
                "kind",
                "status",
                "measures",
                "announcement",
                "recorded",
            ]);
            for a in ledger.as_known_on(on) {
                for v in &a.interventions {
                    t.push([
                        v.implemented.map(|d| d.to_string()).unwrap_or_default(),
                        a.party.to_string(),
                        format!("{:?}", v.kind),
                        format!("{:?}", v.status),
                        v.measures.join(" "),
                        a.title.clone(),
                        a.recorded.to_string(),
                    ]);
                }
            }
            t.rows.sort();
            t.write(&mut std::io::stdout().lock(), cli.format)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
