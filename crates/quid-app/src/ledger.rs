//! The ledger's use cases: check the bundled entries and the workspace's, verify the
//! workspace's hash chain, add or import entries (one transaction), export, and list the moves
//! known on a date.
//!
//! The moves known on a date, and entries read from a file of one's own before adding them:
//!
//! ```
//! use quid_app::{ledger, App};
//! use quid_core::parse_date;
//!
//! let data = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
//! let app = App::new(Some(data), parse_date("2026-12-06").unwrap()).unwrap();
//! // Known on 2024-12-31: only the bundled ledger's first announcement (recorded 2024-12-17;
//! // the next is recorded 2025-02-01), with its one intervention.
//! let t = ledger::list(&app, Some(parse_date("2024-12-31").unwrap())).unwrap();
//! assert_eq!(t.headers, ["implemented", "recorded", "party", "kind", "status", "measures", "announcement"]);
//! assert_eq!(t.rows.len(), 1);
//! assert_eq!(t.rows[0][2..6], ["CA", "spending", "announced", "CA-BORDER"]);
//! // Not implemented: `null` in JSON, never an empty string.
//! assert_eq!(serde_json::to_value(&t).unwrap()[0]["implemented"], serde_json::Value::Null);
//!
//! // A file of one's own (TOML, JSON or CSV by extension).
//! let path = std::env::temp_dir().join(format!("quid-doc-ledger-{}.toml", std::process::id()));
//! std::fs::write(&path, r#"
//! [[announcement]]
//! id = "CA-2027-01-01-TEST"
//! title = "a test announcement"
//! party = "CA"
//! affected = ["US"]
//! announced = "2027-01-01"
//! recorded = "2027-01-02"
//! sources = [{ title = "test" }]
//!
//! [[announcement.intervention]]
//! id = "CA-TEST-SPEND"
//! kind = "spending"
//! category = "spending"
//! measures = ["CA-TEST"]
//! evaluation = "liberalising"
//! status = "announced"
//! confidence = "M"
//! "#).unwrap();
//! let read = ledger::read_entries(&path);
//! std::fs::remove_file(&path).unwrap();
//! let read = read.unwrap();
//! assert_eq!(read.len(), 1);
//! assert_eq!(read[0].id, "CA-2027-01-01-TEST");
//! assert_eq!(read[0].interventions[0].measures, ["CA-TEST"]);
//! ```

use crate::table::Table;
use crate::table::{serde_name, Cell, Kind};
use crate::{App, Error, Result};
use quid_core::ledger::{Announcement, Ledger};
use quid_core::Date;
use schemars::JsonSchema;
use serde::Serialize;
use std::path::Path;

/// The result of a ledger check.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CheckReport {
    pub entries: usize,
    pub from_workspace: usize,
    pub moves: usize,
    pub problems: Vec<quid_core::Problem>,
}

/// Checks the bundled ledger and the workspace's entries against the measures.
pub fn check(app: &App) -> Result<CheckReport> {
    let policy = app.policy(true)?;
    let (ledger, own) = app.ledger()?;
    let k = quid_data::ledger::measure_checker(&app.bundle, &policy)?;
    let problems = ledger.check(&k);
    Ok(CheckReport {
        entries: ledger.announcements.len(),
        from_workspace: own,
        moves: ledger
            .announcements
            .iter()
            .map(|a| a.interventions.len())
            .sum(),
        problems,
    })
}

/// What the anchor file beside the workspace database says.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Anchor {
    pub entries: i64,
    pub head: String,
}

/// One break of the hash chain.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Break {
    pub sequence: i64,
    pub entry_id: String,
    pub reason: String,
}

/// The result of verifying the workspace's hash chain.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct VerifyReport {
    /// The workspace database verified.
    pub workspace: String,
    pub entries: usize,
    /// The chain's head hash (note it with the count: the anchor a user can keep).
    pub head: String,
    /// What the anchor file beside the database says: entries and head.
    pub anchor: Option<Anchor>,
    pub schema_version: i64,
    /// Each break of the chain; empty when the chain is intact.
    pub breaks: Vec<Break>,
}

/// Walks the workspace's hash chain.
pub fn verify(app: &App) -> Result<VerifyReport> {
    let ws = app.workspace_to_verify()?.ok_or_else(|| {
        Error::NotFound(format!(
            "no workspace database at {}",
            app.workspace.display()
        ))
    })?;
    let v = ws.verify()?;
    Ok(VerifyReport {
        workspace: app.workspace.display().to_string(),
        entries: v.entries,
        head: v.head.hash,
        anchor: v.anchor.map(|a| Anchor {
            entries: a.entries,
            head: a.hash,
        }),
        schema_version: v.schema_version,
        breaks: v
            .breaks
            .into_iter()
            .map(|b| Break {
                sequence: b.seq,
                entry_id: b.id,
                reason: b.reason,
            })
            .collect(),
    })
}

/// Reads entries from a TOML, JSON or CSV file.
pub fn read_entries(path: &Path) -> Result<Vec<Announcement>> {
    let text = quid_data::bounded::read_text(path)?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let bad = |why: String| Error::invalid(path.display().to_string(), why);
    Ok(match ext.as_str() {
        "toml" => quid_data::ledger::parse_ledger(&text, path)?.announcements,
        // An object is a ledger (`{"announcement": [...]}`), an array a list of entries; the
        // error is the one of the form the file has, with the field it was reading.
        "json" => {
            let json_error = |e: serde_json::Error| bad(json_message(&text, &e));
            if text.trim_start().starts_with('[') {
                serde_json::from_str::<Vec<Announcement>>(&text).map_err(json_error)?
            } else {
                serde_json::from_str::<Ledger>(&text)
                    .map_err(json_error)?
                    .announcements
            }
        }
        "csv" => quid_store::from_csv(&text).map_err(|e| bad(e.to_string()))?,
        other => {
            return Err(bad(format!(
                "unknown format {other:?}; expected .toml, .json or .csv"
            )))
        }
    })
}

/// A JSON error with its line and column and, when the line names one, the field being read
/// (serde reports a bad value without its key).
fn json_message(text: &str, e: &serde_json::Error) -> String {
    let field = text
        .lines()
        .nth(e.line().saturating_sub(1))
        .and_then(|l| {
            let upto = l.get(..e.column().min(l.len()))?;
            let colon = upto.rfind("\":")?;
            let open = upto[..colon].rfind('"')?;
            Some(upto[open + 1..colon].to_string())
        })
        .filter(|f| !f.is_empty() && f.len() <= 40);
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let why = full.strip_suffix(&suffix).unwrap_or(&full);
    match field {
        Some(f) => format!("line {}, column {}, field {f}: {why}", e.line(), e.column()),
        None => format!("line {}, column {}: {why}", e.line(), e.column()),
    }
}

/// What an import added.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AddReport {
    /// The workspace database the entries were added to.
    pub workspace: String,
    pub added: usize,
    pub first_sequence: i64,
    pub last_sequence: i64,
}

/// Adds the entries of a file to the workspace in one transaction, after checking them with the
/// whole ledger (supersedes, duplicates, measures); nothing is added if any entry has a problem.
pub fn add(app: &App, file: &Path) -> Result<AddReport> {
    let entries = read_entries(file)?;
    if entries.is_empty() {
        return Err(Error::invalid(file.display().to_string(), "no entries"));
    }
    let checked = check_new(app, &entries)?;
    let reserved = checked.reserved();
    let mut ws = app.create_workspace()?;
    let seqs = ws.import(&entries, &|a| checked.problems_of(a), &reserved)?;
    Ok(AddReport {
        workspace: app.workspace.display().to_string(),
        added: seqs.len(),
        first_sequence: seqs.first().copied().unwrap_or(0),
        last_sequence: seqs.last().copied().unwrap_or(0),
    })
}

/// New entries checked once with the whole ledger (the bundled entries and the user's), before
/// any database writes them: the problems that name each entry, and the ids that exist already.
#[derive(Debug, Clone)]
pub struct NewEntries {
    pub problems: Vec<quid_core::Problem>,
    pub existing_ids: Vec<String>,
}

impl NewEntries {
    /// The problems that name one entry, as text.
    pub fn problems_of(&self, a: &Announcement) -> Vec<String> {
        self.problems
            .iter()
            .filter(|p| p.names_entry(&a.id))
            .map(|p| p.to_string())
            .collect()
    }

    /// The ids a new entry may not take.
    pub fn reserved(&self) -> Vec<&str> {
        self.existing_ids.iter().map(String::as_str).collect()
    }
}

/// Checks new entries with the whole ledger (supersedes, duplicates, measures), for
/// [`add`] and for a server that writes them to its own database.
pub fn check_new(app: &App, entries: &[Announcement]) -> Result<NewEntries> {
    check_new_with(app, &app.policy(true)?, entries)
}

/// The same with the measures (unverified ones included, as [`App::policy`]`(true)` loads
/// them) compiled once by the caller: a server checks every write against the same policy.
pub fn check_new_with(
    app: &App,
    policy: &quid_engine::Policy,
    entries: &[Announcement],
) -> Result<NewEntries> {
    let (existing, _) = app.ledger()?;
    let k = quid_data::ledger::measure_checker(&app.bundle, policy)?;
    let existing_ids = existing
        .announcements
        .iter()
        .map(|a| a.id.clone())
        .collect();
    let mut all = existing;
    all.announcements.extend(entries.iter().cloned());
    let problems = all.check(&k);
    Ok(NewEntries {
        problems,
        existing_ids,
    })
}

/// Reads entries from the text of a TOML or JSON document (an API body): `json` says which.
pub fn parse_entries(text: &str, json: bool) -> Result<Vec<Announcement>> {
    let bad = |why: String| Error::invalid("body", why);
    if json {
        let json_error = |e: serde_json::Error| bad(json_message(text, &e));
        if text.trim_start().starts_with('[') {
            serde_json::from_str::<Vec<Announcement>>(text).map_err(json_error)
        } else {
            Ok(serde_json::from_str::<Ledger>(text)
                .map_err(json_error)?
                .announcements)
        }
    } else {
        Ok(quid_data::ledger::parse_ledger(text, Path::new("body"))?.announcements)
    }
}

/// Exports the ledger (bundled and workspace entries, or the workspace's only) to a JSON or
/// CSV file; returns how many entries were written.
pub fn export(app: &App, output: &Path, workspace_only: bool) -> Result<usize> {
    let entries: Vec<Announcement> = if workspace_only {
        app.open_workspace()?
            .ok_or_else(|| {
                Error::NotFound(format!(
                    "no workspace database at {}",
                    app.workspace.display()
                ))
            })?
            .ledger()
            .map_err(|e| app.refused(e))?
            .announcements
    } else {
        app.ledger()?.0.announcements
    };
    let text = if output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        quid_store::to_csv(&entries)?
    } else {
        serde_json::to_string_pretty(&Ledger {
            announcements: entries.clone(),
        })
        .map_err(|e| Error::Check(e.to_string()))?
    };
    std::fs::write(output, text).map_err(|e| Error::io("writing", output, e))?;
    Ok(entries.len())
}

/// The columns of `quid ledger list`.
pub fn list_columns() -> Table {
    Table::typed([
        ("implemented", Kind::Date),
        ("recorded", Kind::Date),
        ("party", Kind::Text),
        ("kind", Kind::Enum),
        ("status", Kind::Enum),
        ("measures", Kind::Text),
        ("announcement", Kind::Text),
    ])
}

/// The moves known on a date (default: today), one row each, sorted.
pub fn list(app: &App, as_known_on: Option<Date>) -> Result<Table> {
    let (ledger, _) = app.ledger()?;
    let on = as_known_on.unwrap_or(app.today);
    let mut t = list_columns();
    for a in ledger.as_known_on(on) {
        for v in &a.interventions {
            t.push_cells([
                Cell::from(v.implemented),
                a.recorded.into(),
                a.party.to_string().into(),
                serde_name(&v.kind).into(),
                serde_name(&v.status).into(),
                v.measures.join(" ").into(),
                a.title.clone().into(),
            ]);
        }
    }
    // By date implemented (not implemented last), then as printed.
    t.rows.sort_by(|a, b| {
        let key = |r: &Vec<Cell>| {
            (
                r[0] == Cell::Null,
                r.iter().map(Cell::text).collect::<Vec<_>>(),
            )
        };
        key(a).cmp(&key(b))
    });
    Ok(t)
}

/// A question about the ledger's entries: what was known on a date, narrowed by party, kind of
/// move, dates and words.
#[derive(Debug, Clone, Default)]
pub struct LedgerQuery {
    /// Known on this date (default: the app's today).
    pub as_known_on: Option<Date>,
    /// Only entries of this implementing party.
    pub party: Option<quid_core::Country>,
    /// Only entries with a move of this kind (as the JSON writes it, e.g. `tariff_imposed`).
    pub kind: Option<String>,
    /// Only entries announced or with a move implemented on or after this date.
    pub from: Option<Date>,
    /// Only entries announced or with a move implemented on or before this date.
    pub to: Option<Date>,
    /// Only entries whose id, title, notes or a move's id, title or measure contains this text
    /// (case-insensitive).
    pub q: Option<String>,
}

/// The entries a [`LedgerQuery`] selects, each as known on the date (a correction replacing
/// what it supersedes), in date order.
#[derive(Debug, Clone, Serialize)]
pub struct LedgerReport {
    pub as_known_on: Date,
    /// Entries known on the date before the filters.
    pub known: usize,
    pub count: usize,
    pub entries: Vec<Announcement>,
}

fn kind_name(k: &quid_core::ledger::Kind) -> String {
    serde_json::to_value(k)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The entries of the ledger (bundled and the user's) a query selects.
pub fn query(app: &App, q: &LedgerQuery) -> Result<LedgerReport> {
    let (ledger, _) = app.ledger()?;
    let on = q.as_known_on.unwrap_or(app.today);
    let known = ledger.as_known_on(on);
    let words = q.q.as_deref().map(str::to_lowercase);
    let has = |t: &str| {
        words
            .as_deref()
            .is_none_or(|w| t.to_lowercase().contains(w))
    };
    let mut entries: Vec<Announcement> = known
        .iter()
        .filter(|a| q.party.is_none_or(|p| a.party == p))
        .filter(|a| {
            q.kind.as_deref().is_none_or(|k| {
                a.interventions
                    .iter()
                    .any(|v| kind_name(&v.kind).eq_ignore_ascii_case(k))
            })
        })
        .filter(|a| {
            let dates = || {
                std::iter::once(a.announced)
                    .chain(a.interventions.iter().filter_map(|v| v.implemented))
            };
            q.from.is_none_or(|f| dates().any(|d| d >= f))
                && q.to.is_none_or(|t| dates().any(|d| d <= t))
        })
        .filter(|a| {
            has(&a.id)
                || has(&a.title)
                || a.notes.as_deref().is_some_and(has)
                || a.interventions.iter().any(|v| {
                    has(&v.id)
                        || v.title.as_deref().is_some_and(has)
                        || v.measures.iter().any(|m| has(m))
                })
        })
        .map(|a| (*a).clone())
        .collect();
    entries.sort_by(|a, b| (a.announced, &a.id).cmp(&(b.announced, &b.id)));
    Ok(LedgerReport {
        as_known_on: on,
        known: known.len(),
        count: entries.len(),
        entries,
    })
}

/// One entry as known on a date (its latest correction known then), by its id or the id of an
/// entry it supersedes.
pub fn entry(app: &App, id: &str, as_known_on: Option<Date>) -> Result<Announcement> {
    let (ledger, _) = app.ledger()?;
    let on = as_known_on.unwrap_or(app.today);
    let known = ledger.as_known_on(on);
    known
        .iter()
        .find(|a| a.id == id)
        .or_else(|| known.iter().find(|a| a.supersedes.as_deref() == Some(id)))
        .map(|a| (*a).clone())
        .ok_or_else(|| Error::NotFound(format!("no ledger entry {id:?} known on {on}")))
}
