//! quid-store: the workspace database, where users keep ledger entries of their own,
//! corrections and saved analyses. SQLite (one file, path configurable, WAL journal).
//!
//! **Nothing is edited or deleted.** Entries are appended; triggers refuse `UPDATE` and
//! `DELETE`; a correction is a new entry that `supersedes` an old one. Every entry's hash is an
//! HMAC-SHA256, under a key created for the workspace and kept apart from it ([`KeyStore`]), of
//! the previous entry's hash and the entry's canonical JSON, so [`Workspace::verify`] finds any
//! row changed behind quid's back, even with the chain recomputed. An anchor file beside the
//! database ([`anchor`]) holds the count and head hash, so a deleted tail or a truncated file is
//! found too. [`Workspace::open`] runs a quick check (database integrity, anchor, last entry)
//! and refuses a workspace that fails it; [`Workspace::open_unchecked`] is for `verify`.
//! An import is one transaction: a file with one bad entry changes nothing. Writers wait for
//! each other (busy timeout and retries), so concurrent imports all succeed.
//!
//! **Schema versions.** 1: plain SHA-256 chain, no anchor. 2: keyed chain, `meta` table
//! (version, workspace id), anchor. A version 1 workspace whose chain is intact is upgraded on
//! open; one whose chain is broken is refused (and `verify` lists its breaks).
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
//! let v = ws.verify().unwrap();
//! assert_eq!((v.entries, v.breaks.len()), (1, 0));
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
//! assert_eq!(ws.verify().unwrap().breaks, vec![tamper]);
//! ```

pub mod anchor;
mod chain;
mod csvio;
mod key;
mod schema;

pub use anchor::{Anchor, Head};
pub use chain::{hex, Chain, GENESIS};
pub use csvio::{from_csv, to_csv};
pub use key::{random_bytes, KeyStore};
/// Begins a write transaction on a workspace connection, waiting for other writers.
pub use schema::begin_immediate;

use quid_core::ledger::{Announcement, Ledger};
use rusqlite::{params, Connection, ErrorCode};
use std::path::{Path, PathBuf};

/// Store errors.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("workspace database: {0}")]
    Sql(rusqlite::Error),
    #[error("the workspace database is damaged: {0}")]
    Damaged(String),
    #[error("the workspace fails its check: {0}")]
    Tampered(String),
    #[error("workspace key: {0}")]
    Key(String),
    #[error("workspace anchor: {0}")]
    Anchor(String),
    #[error("the workspace database has schema version {0}; this quid reads versions 1 and 2")]
    Version(i64),
    #[error("entry {id}: {message}")]
    Invalid { id: String, message: String },
    #[error("entry {seq} is not valid JSON any more: {message}")]
    Corrupt { seq: i64, message: String },
    #[error("{0}")]
    Format(String),
}

impl From<rusqlite::Error> for StoreError {
    /// A file that is not a database, a corrupt page or a value of the wrong type in a column
    /// is a damaged workspace, not a type conversion error.
    fn from(e: rusqlite::Error) -> StoreError {
        use rusqlite::Error as E;
        match &e {
            E::SqliteFailure(f, _)
                if matches!(f.code, ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) =>
            {
                StoreError::Damaged(e.to_string())
            }
            E::FromSqlConversionFailure(..)
            | E::InvalidColumnType(..)
            | E::IntegralValueOutOfRange(..) => {
                StoreError::Damaged(format!("a column holds a value of the wrong type ({e})"))
            }
            _ => StoreError::Sql(e),
        }
    }
}

impl StoreError {
    /// True when the error is about an entry's content rather than the database.
    pub fn is_invalid_entry(&self) -> bool {
        matches!(self, StoreError::Invalid { .. })
    }

    /// True when the workspace failed its check or is damaged (the user should run `verify`).
    pub fn is_untrusted(&self) -> bool {
        matches!(
            self,
            StoreError::Damaged(_) | StoreError::Tampered(_) | StoreError::Anchor(_)
        )
    }
}

/// A break in the hash chain (or, with `id` "(anchor)", between the chain and its anchor).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tamper {
    pub seq: i64,
    pub id: String,
    pub reason: String,
}

/// What [`Workspace::verify`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Entries in the database.
    pub entries: usize,
    /// The database's chain state (count and head hash).
    pub head: Head,
    /// What the anchor says (none for an in-memory or version 1 workspace).
    pub anchor: Option<Head>,
    pub breaks: Vec<Tamper>,
    pub schema_version: i64,
}

/// The workspace database.
pub struct Workspace {
    conn: Connection,
    chain: Chain,
    id: String,
    anchor: Option<PathBuf>,
    version: i64,
}

/// How long a writer waits for another to finish before retrying.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

impl Workspace {
    /// Opens (creating if needed) the workspace database at `path`, with its key from the key
    /// folder the environment names, and runs the quick check.
    pub fn open(path: &Path) -> Result<Workspace, StoreError> {
        Self::open_with(path, &KeyStore::from_env()?)
    }

    /// The same with the key folder given.
    pub fn open_with(path: &Path, keys: &KeyStore) -> Result<Workspace, StoreError> {
        let ws = Self::open_unchecked(path, keys)?;
        ws.quick_check()?;
        Ok(ws)
    }

    /// Opens (creating or upgrading if needed) without the quick check: for `verify`, which
    /// reports what is wrong instead of refusing.
    pub fn open_unchecked(path: &Path, keys: &KeyStore) -> Result<Workspace, StoreError> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        schema::retry(|| conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get::<_, String>(0)))?;
        schema::open(conn, path, keys)
    }

    /// An in-memory workspace (tests, benchmarks), with a random key and no anchor.
    pub fn in_memory() -> Result<Workspace, StoreError> {
        let conn = Connection::open_in_memory()?;
        schema::create_tables(&conn)?;
        Ok(Workspace {
            conn,
            chain: Chain::Keyed(key::random_bytes()?),
            id: "in-memory".to_string(),
            anchor: None,
            version: schema::VERSION,
        })
    }

    /// The workspace's id (names its key file).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The anchor file, when the workspace is on disk.
    pub fn anchor_path(&self) -> Option<&Path> {
        self.anchor.as_deref()
    }

    /// The chain's state: number of entries and head hash.
    pub fn head(&self) -> Result<Head, StoreError> {
        schema::head(&self.conn)
    }

    /// The quick check: the database's integrity, its schema, the anchor (count and head) and
    /// the last entry's hash. Readers that look while an import commits retry for a moment.
    pub fn quick_check(&self) -> Result<(), StoreError> {
        if self.version == 1 {
            return Err(StoreError::Tampered(
                "an old workspace (schema version 1) whose hash chain is broken, so it was not \
                 upgraded"
                    .to_string(),
            ));
        }
        let ok: String = self
            .conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if ok != "ok" {
            return Err(StoreError::Damaged(ok));
        }
        if let Some(problem) = self.anchor_problem()? {
            return Err(StoreError::Tampered(problem));
        }
        let last = self.conn.query_row(
            "SELECT seq, id, body, prev_hash, hash FROM entries ORDER BY seq DESC LIMIT 1",
            [],
            schema::row,
        );
        match last {
            Ok((seq, id, body, prev, h)) if self.chain.link(&prev, &body) != h => {
                Err(StoreError::Tampered(format!(
                    "entry {seq} ({id}): its content does not match its hash"
                )))
            }
            Ok(_) | Err(rusqlite::Error::QueryReturnedNoRows) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// What is wrong between the chain and its anchor, if anything (retried a moment, since an
    /// import writes the anchor just before it commits).
    fn anchor_problem(&self) -> Result<Option<String>, StoreError> {
        let Some(path) = &self.anchor else {
            return Ok(None);
        };
        let mut last = None;
        for attempt in 0..40 {
            if attempt > 0 {
                std::thread::sleep(std::time::Duration::from_millis(25));
            }
            let anchor = Anchor::read(path, &self.chain)?;
            if anchor.workspace != self.id {
                return Ok(Some(format!(
                    "the anchor {} belongs to workspace {}, not {}",
                    path.display(),
                    anchor.workspace,
                    self.id
                )));
            }
            let state = self.head()?;
            if anchor.accepts(&state) {
                return Ok(None);
            }
            last = Some((anchor.head, state));
        }
        Ok(last.map(|(anchored, state)| {
            format!(
                "the database holds {state} but its anchor {} says {anchored}: entries were \
                 deleted from the end, or the file was truncated, replaced or rolled back",
                path.display()
            )
        }))
    }

    /// Appends one entry after the entry whose hash is `prev`; returns its sequence number and
    /// hash.
    fn insert(
        &self,
        a: &Announcement,
        reserved: &[&str],
        prev: &str,
    ) -> Result<(i64, String), StoreError> {
        let exists: bool = self.conn.query_row(
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
        let h = self.chain.link(prev, &body);
        self.conn.execute(
            "INSERT INTO entries (id, recorded, body, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![a.id, a.recorded.to_string(), body, prev, h],
        )?;
        Ok((self.conn.last_insert_rowid(), h))
    }

    /// Appends entries in one transaction, after `check` (every problem, or nothing is
    /// written). `reserved` are ids that exist elsewhere (the bundled ledger). The anchor is
    /// moved forward under the same write lock.
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
        schema::begin_immediate(&self.conn)?;
        let result = self.import_in_transaction(entries, reserved);
        match result {
            Ok((seqs, before, after)) => {
                if let Err(e) = schema::retry(|| self.conn.execute_batch("COMMIT")) {
                    let _ = self.conn.execute_batch("ROLLBACK");
                    self.write_anchor(&before, None)?;
                    return Err(e.into());
                }
                self.settle_anchor(&after)?;
                Ok(seqs)
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    fn import_in_transaction(
        &self,
        entries: &[Announcement],
        reserved: &[&str],
    ) -> Result<(Vec<i64>, Head, Head), StoreError> {
        let before = self.head()?;
        // A writer that finds the chain not where its anchor says stops before adding to it.
        if let Some(path) = &self.anchor {
            let anchor = Anchor::read(path, &self.chain)?;
            if !anchor.accepts(&before) {
                return Err(StoreError::Tampered(format!(
                    "the database holds {before} but its anchor {} says {}",
                    path.display(),
                    anchor.head
                )));
            }
        }
        let mut seqs = Vec::new();
        let mut prev = before.hash.clone();
        for a in entries {
            let (seq, h) = self.insert(a, reserved, &prev)?;
            seqs.push(seq);
            prev = h;
        }
        let after = Head {
            entries: before.entries + entries.len() as i64,
            hash: prev,
        };
        self.write_anchor(&after, Some(&before))?;
        Ok((seqs, before, after))
    }

    fn write_anchor(&self, head: &Head, previous: Option<&Head>) -> Result<(), StoreError> {
        match &self.anchor {
            Some(path) => Anchor {
                workspace: self.id.clone(),
                head: head.clone(),
                previous: previous.cloned(),
            }
            .write(path, &self.chain),
            None => Ok(()),
        }
    }

    /// After a commit: drops the anchor's `previous` state, under the write lock, unless
    /// another writer has moved the chain on since.
    fn settle_anchor(&self, after: &Head) -> Result<(), StoreError> {
        if self.anchor.is_none() {
            return Ok(());
        }
        schema::begin_immediate(&self.conn)?;
        let r = match self.head() {
            Ok(h) if h == *after => self.write_anchor(after, None),
            Ok(_) => Ok(()),
            Err(e) => Err(e),
        };
        let _ = self.conn.execute_batch("COMMIT");
        r
    }

    /// Every entry in order, with its sequence number; the chain is checked as it is read, and
    /// a break is an error.
    pub fn entries(&self) -> Result<Vec<(i64, Announcement)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT seq, id, body, prev_hash, hash FROM entries ORDER BY seq")?;
        let rows = stmt.query_map([], schema::row)?;
        let mut out = Vec::new();
        let mut prev = GENESIS.to_string();
        for row in rows {
            let (seq, id, body, prev_hash, h) = row?;
            if prev_hash != prev || self.chain.link(&prev_hash, &body) != h {
                return Err(StoreError::Tampered(format!(
                    "entry {seq} ({id}) does not match the hash chain"
                )));
            }
            let a: Announcement = serde_json::from_str(&body).map_err(|e| StoreError::Corrupt {
                seq,
                message: e.to_string(),
            })?;
            out.push((seq, a));
            prev = h;
        }
        Ok(out)
    }

    /// The user's entries as a ledger.
    pub fn ledger(&self) -> Result<Ledger, StoreError> {
        Ok(Ledger {
            announcements: self.entries()?.into_iter().map(|(_, a)| a).collect(),
        })
    }

    /// Walks the hash chain and compares its end with the anchor; every break found.
    pub fn verify(&self) -> Result<Verification, StoreError> {
        let ok: String = self
            .conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if ok != "ok" {
            return Err(StoreError::Damaged(ok));
        }
        let mut stmt = self
            .conn
            .prepare("SELECT seq, id, body, prev_hash, hash FROM entries ORDER BY seq")?;
        let rows = stmt.query_map([], schema::row)?;
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
            if self.chain.link(&prev_hash, &body) != h {
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
        let head = Head {
            entries: n as i64,
            hash: prev,
        };
        let mut anchored = None;
        if self.version >= 2 {
            if let Some(path) = &self.anchor {
                match Anchor::read(path, &self.chain) {
                    Ok(a) => {
                        anchored = Some(a.head.clone());
                        if a.workspace != self.id {
                            broken.push(Tamper {
                                seq: head.entries,
                                id: "(anchor)".into(),
                                reason: format!("the anchor belongs to workspace {}", a.workspace),
                            });
                        } else if self.anchor_problem()?.is_some() {
                            broken.push(Tamper {
                                seq: head.entries,
                                id: "(anchor)".into(),
                                reason: format!(
                                    "the database holds {head} but the anchor says {}: entries \
                                     were deleted from the end, or the file was truncated, \
                                     replaced or rolled back",
                                    a.head
                                ),
                            });
                        }
                    }
                    Err(e) => broken.push(Tamper {
                        seq: head.entries,
                        id: "(anchor)".into(),
                        reason: e.to_string(),
                    }),
                }
            }
        }
        Ok(Verification {
            entries: n,
            head,
            anchor: anchored,
            breaks: broken,
            schema_version: self.version,
        })
    }

    /// Saves an analysis (a named set of arguments) for later.
    pub fn save_analysis(
        &mut self,
        name: &str,
        saved_on: &str,
        args: &str,
    ) -> Result<i64, StoreError> {
        schema::retry(|| {
            self.conn.execute(
                "INSERT INTO analyses (name, saved_on, args) VALUES (?1, ?2, ?3)",
                params![name, saved_on, args],
            )
        })?;
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
