//! quid-store: the workspace database, where users keep ledger entries of their own,
//! corrections and saved analyses. SQLite by default (one file, path configurable).
//!
//! **Nothing is edited or deleted.** Entries are appended; triggers refuse `UPDATE` and
//! `DELETE`; a correction is a new entry that `supersedes` an old one. Every entry's hash is
//! SHA-256 of the previous entry's hash and the entry's canonical JSON, so [`Workspace::verify`]
//! finds any row changed behind quid's back (for example with the triggers dropped).
//! An import is one transaction: a file with one bad entry changes nothing.
//!
//! An in-memory workspace: import an entry, verify the chain, then see an edit made behind
//! quid's back (triggers dropped) caught by [`Workspace::verify`]:
//!
//! ```
//! use quid_core::ledger::{Announcement, Ledger};
//! use quid_store::{Tamper, Workspace};
//!
//! let ledger: Ledger = toml::from_str(r#"
//! [[announcement]]
//! id = "USER-1"
//! title = "A provincial fund for exporters"
//! party = "CA"
//! affected = ["US"]
//! announced = "2026-10-01"
//! recorded = "2026-10-02"
//! sources = [{ title = "A source", url = "https://example.org/a", date = "2026-10-01" }]
//!
//! [[announcement.intervention]]
//! id = "USER-1-A"
//! kind = "spending"
//! category = "spending"
//! implemented = "2026-10-01"
//! evaluation = "liberalising"
//! status = "implemented"
//! confidence = "M"
//! declared_value = { amount = "1000000", currency = "CAD", basis = "one year", source = { title = "A source" } }
//! "#).unwrap();
//!
//! // The check runs on every entry before anything is written; this one asks for a source.
//! let sourced = |a: &Announcement| -> Vec<String> {
//!     if a.sources.is_empty() { vec!["no source".to_string()] } else { vec![] }
//! };
//! let mut ws = Workspace::in_memory().unwrap();
//! assert_eq!(ws.import(&ledger.announcements, &sourced, &[]).unwrap(), vec![1]);
//! assert_eq!(ws.verify().unwrap(), (1, vec![]));
//!
//! // The same id twice is refused: a correction is a new entry that `supersedes` the old one.
//! assert!(ws.import(&ledger.announcements, &sourced, &[]).unwrap_err().is_invalid_entry());
//! assert_eq!(ws.entries().unwrap().len(), 1);
//!
//! // Someone drops the trigger and raises the declared value in place: the hash no longer matches.
//! ws.connection()
//!     .execute_batch("DROP TRIGGER entries_no_update;
//!                     UPDATE entries SET body = replace(body, '1000000', '9000000');")
//!     .unwrap();
//! let tamper = Tamper {
//!     seq: 1,
//!     id: "USER-1".to_string(),
//!     reason: "its content does not match its hash (the entry was edited)".to_string(),
//! };
//! assert_eq!(ws.verify().unwrap(), (1, vec![tamper]));
//! ```

mod csvio;

pub use csvio::{from_csv, to_csv};

use quid_core::ledger::{Announcement, Ledger};
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};
use std::path::Path;

/// Store errors.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("workspace database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("entry {id}: {message}")]
    Invalid { id: String, message: String },
    #[error("entry {seq} is not valid JSON any more: {message}")]
    Corrupt { seq: i64, message: String },
    #[error("{0}")]
    Format(String),
}

impl StoreError {
    /// True when the error is about an entry's content rather than the database.
    pub fn is_invalid_entry(&self) -> bool {
        matches!(self, StoreError::Invalid { .. })
    }
}

/// A break in the hash chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tamper {
    pub seq: i64,
    pub id: String,
    pub reason: String,
}

/// The workspace database.
pub struct Workspace {
    conn: Connection,
}

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn hash(prev: &str, body: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(body.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS entries (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    recorded TEXT NOT NULL,
    body TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS entries_no_update BEFORE UPDATE ON entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only: add a correction that supersedes the entry'); END;
CREATE TRIGGER IF NOT EXISTS entries_no_delete BEFORE DELETE ON entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only: add a correction that supersedes the entry'); END;
CREATE TABLE IF NOT EXISTS analyses (
    seq INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    saved_on TEXT NOT NULL,
    args TEXT NOT NULL
);
";

impl Workspace {
    /// Opens (creating if needed) the workspace database at `path`.
    pub fn open(path: &Path) -> Result<Workspace, StoreError> {
        let conn = Connection::open(path)?;
        conn.execute_batch(SCHEMA)?;
        Ok(Workspace { conn })
    }

    /// An in-memory workspace (tests, benchmarks).
    pub fn in_memory() -> Result<Workspace, StoreError> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(SCHEMA)?;
        Ok(Workspace { conn })
    }

    fn last_hash(tx: &Connection) -> Result<String, StoreError> {
        Ok(tx
            .query_row(
                "SELECT hash FROM entries ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .unwrap_or_else(|| GENESIS.to_string()))
    }

    fn insert(tx: &Connection, a: &Announcement, reserved: &[&str]) -> Result<i64, StoreError> {
        let exists: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM entries WHERE id = ?1)",
            params![a.id],
            |r| r.get(0),
        )?;
        if exists || reserved.contains(&a.id.as_str()) {
            return Err(StoreError::Invalid {
                id: a.id.clone(),
                message: "an entry with this id exists; a correction is a new entry with its own id and `supersedes`".into(),
            });
        }
        let body = serde_json::to_string(a).map_err(|e| StoreError::Format(e.to_string()))?;
        let prev = Self::last_hash(tx)?;
        let h = hash(&prev, &body);
        tx.execute(
            "INSERT INTO entries (id, recorded, body, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![a.id, a.recorded.to_string(), body, prev, h],
        )?;
        Ok(tx.last_insert_rowid())
    }

    /// Appends entries in one transaction, after `check` (every problem, or nothing is
    /// written). `reserved` are ids that exist elsewhere (the bundled ledger).
    pub fn import(
        &mut self,
        entries: &[Announcement],
        check: &dyn Fn(&Announcement) -> Vec<String>,
        reserved: &[&str],
    ) -> Result<Vec<i64>, StoreError> {
        let mut problems = Vec::new();
        for a in entries {
            for p in check(a) {
                problems.push(format!("{}: {p}", a.id));
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::Invalid {
                id: format!(
                    "{} entr{}",
                    entries.len(),
                    if entries.len() == 1 { "y" } else { "ies" }
                ),
                message: format!(
                    "nothing was written; {} problem(s):\n{}",
                    problems.len(),
                    problems.join("\n")
                ),
            });
        }
        let tx = self.conn.transaction()?;
        let mut seqs = Vec::new();
        for a in entries {
            seqs.push(Self::insert(&tx, a, reserved)?);
        }
        tx.commit()?;
        Ok(seqs)
    }

    /// Every entry in order, with its sequence number.
    pub fn entries(&self) -> Result<Vec<(i64, Announcement)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT seq, body FROM entries ORDER BY seq")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, body) = row?;
            let a: Announcement = serde_json::from_str(&body).map_err(|e| StoreError::Corrupt {
                seq,
                message: e.to_string(),
            })?;
            out.push((seq, a));
        }
        Ok(out)
    }

    /// The user's entries as a ledger.
    pub fn ledger(&self) -> Result<Ledger, StoreError> {
        Ok(Ledger {
            announcements: self.entries()?.into_iter().map(|(_, a)| a).collect(),
        })
    }

    /// Walks the hash chain; every break found.
    pub fn verify(&self) -> Result<(usize, Vec<Tamper>), StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT seq, id, body, prev_hash, hash FROM entries ORDER BY seq")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut prev = GENESIS.to_string();
        let mut n = 0;
        let mut broken = Vec::new();
        for row in rows {
            let (seq, id, body, prev_hash, h) = row?;
            n += 1;
            if prev_hash != prev {
                broken.push(Tamper {
                    seq,
                    id: id.clone(),
                    reason: "its link to the previous entry does not match (an entry was removed, inserted or reordered)".into(),
                });
            }
            if hash(&prev_hash, &body) != h {
                broken.push(Tamper {
                    seq,
                    id: id.clone(),
                    reason: "its content does not match its hash (the entry was edited)".into(),
                });
            }
            match serde_json::from_str::<Announcement>(&body) {
                Ok(a) if a.id != id => broken.push(Tamper {
                    seq,
                    id: id.clone(),
                    reason: format!("its id column says {id} but its content says {}", a.id),
                }),
                Err(e) => broken.push(Tamper {
                    seq,
                    id: id.clone(),
                    reason: format!("its content is not a ledger entry: {e}"),
                }),
                _ => {}
            }
            prev = h;
        }
        Ok((n, broken))
    }

    /// Saves an analysis (a named set of arguments) for later.
    pub fn save_analysis(
        &mut self,
        name: &str,
        saved_on: &str,
        args: &str,
    ) -> Result<i64, StoreError> {
        self.conn.execute(
            "INSERT INTO analyses (name, saved_on, args) VALUES (?1, ?2, ?3)",
            params![name, saved_on, args],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The saved analyses: (name, saved on, arguments).
    pub fn analyses(&self) -> Result<Vec<(String, String, String)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT name, saved_on, args FROM analyses ORDER BY seq")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Direct SQL access, for tests that tamper with the database on purpose.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}
