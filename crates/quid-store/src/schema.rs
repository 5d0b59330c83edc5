//! The database's schema, its versions and the upgrade of a version 1 workspace; transactions
//! that wait for other writers.

use crate::anchor::{self, Anchor, Head};
use crate::chain::{hex, Chain, GENESIS};
use crate::{KeyStore, StoreError, Workspace};
use rusqlite::{Connection, ErrorCode, OptionalExtension};
use std::path::Path;

/// The schema version this quid writes.
pub const VERSION: i64 = 2;

const ENTRIES: &str = "
CREATE TABLE IF NOT EXISTS entries (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    recorded TEXT NOT NULL,
    body TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_by_id ON entries (id);
CREATE TABLE IF NOT EXISTS analyses (
    seq INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    saved_on TEXT NOT NULL,
    args TEXT NOT NULL
);
";

const TRIGGERS: &str = "
CREATE TRIGGER IF NOT EXISTS entries_no_update BEFORE UPDATE ON entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only: add a correction that supersedes the entry'); END;
CREATE TRIGGER IF NOT EXISTS entries_no_delete BEFORE DELETE ON entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only: add a correction that supersedes the entry'); END;
";

const META: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS meta_no_update BEFORE UPDATE ON meta
BEGIN SELECT RAISE(ABORT, 'the workspace''s identity cannot be changed'); END;
CREATE TRIGGER IF NOT EXISTS meta_no_delete BEFORE DELETE ON meta
BEGIN SELECT RAISE(ABORT, 'the workspace''s identity cannot be changed'); END;
";

/// Creates the version 2 tables and triggers (without the meta rows).
pub fn create_tables(conn: &Connection) -> Result<(), StoreError> {
    conn.execute_batch(ENTRIES)?;
    conn.execute_batch(TRIGGERS)?;
    conn.execute_batch(META)?;
    Ok(())
}

/// An entry row: seq, id, body, prev_hash, hash.
pub type Row = (i64, String, String, String, String);

pub fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

/// Runs `f` again while the database is busy or locked (the busy timeout covers most waits;
/// a few cases return at once).
pub fn retry<T>(mut f: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let mut attempt = 0u64;
    loop {
        match f() {
            Err(rusqlite::Error::SqliteFailure(e, m))
                if matches!(e.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) =>
            {
                attempt += 1;
                if attempt > 200 {
                    return Err(rusqlite::Error::SqliteFailure(e, m));
                }
                std::thread::sleep(std::time::Duration::from_millis(10 + (attempt % 10) * 5));
            }
            r => return r,
        }
    }
}

/// Begins a write transaction, waiting for other writers.
pub fn begin_immediate(conn: &Connection) -> Result<(), StoreError> {
    Ok(retry(|| conn.execute_batch("BEGIN IMMEDIATE"))?)
}

/// The chain's state, read in one statement.
pub fn head(conn: &Connection) -> Result<Head, StoreError> {
    let (entries, hash): (i64, Option<String>) = conn.query_row(
        "SELECT count(*), (SELECT hash FROM entries ORDER BY seq DESC LIMIT 1) FROM entries",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(Head {
        entries,
        hash: hash.unwrap_or_else(|| GENESIS.to_string()),
    })
}

/// The schema version of an open database: 0 when empty.
fn version(conn: &Connection) -> Result<i64, StoreError> {
    let tables: Vec<String> = {
        let mut stmt = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table'")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    if tables.iter().any(|t| t == "meta") {
        let v: Option<String> = conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'schema_version'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        return v
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| StoreError::Damaged("its meta table has no schema version".into()));
    }
    if tables.iter().any(|t| t == "entries") {
        return Ok(1);
    }
    if tables.is_empty() {
        return Ok(0);
    }
    Err(StoreError::Damaged(
        "it is an SQLite database but not a quid workspace (no entries table)".into(),
    ))
}

fn meta(conn: &Connection, key: &str) -> Result<String, StoreError> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::Damaged(format!("its meta table has no {key}")))
}

/// Opens the workspace in `conn`: creates a new one, upgrades a version 1 one, or loads the
/// key of a version 2 one.
pub fn open(conn: Connection, path: &Path, keys: &KeyStore) -> Result<Workspace, StoreError> {
    let mut v = version(&conn)?;
    if v < VERSION {
        // Creation and upgrade happen under the write lock; another process may have done it
        // meanwhile.
        begin_immediate(&conn)?;
        let r = match version(&conn) {
            Ok(0) => create(&conn, path, keys),
            Ok(1) => upgrade(&conn, path, keys),
            other => other.map(|_| false),
        };
        match r {
            Ok(true) => retry(|| conn.execute_batch("COMMIT"))?,
            Ok(false) => conn.execute_batch("ROLLBACK")?,
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                return Err(e);
            }
        }
        v = version(&conn)?;
    }
    match v {
        1 => Ok(Workspace {
            conn,
            chain: Chain::Plain,
            id: String::new(),
            anchor: None,
            version: 1,
        }),
        VERSION => {
            let id = meta(&conn, "workspace_id")?;
            let key = keys.read(&id)?;
            Ok(Workspace {
                conn,
                chain: Chain::Keyed(key),
                id,
                anchor: Some(anchor::path_of(path)),
                version: VERSION,
            })
        }
        other => Err(StoreError::Version(other)),
    }
}

/// A new workspace id: 16 random bytes in hexadecimal.
fn new_id() -> Result<String, StoreError> {
    Ok(hex(&crate::key::random_bytes()?[..16]))
}

fn write_meta(conn: &Connection, id: &str) -> Result<(), StoreError> {
    conn.execute_batch(META)?;
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('schema_version', ?1), ('workspace_id', ?2)",
        rusqlite::params![VERSION.to_string(), id],
    )?;
    Ok(())
}

/// Creates the version 2 schema, the key and the anchor; true when something was written.
fn create(conn: &Connection, path: &Path, keys: &KeyStore) -> Result<bool, StoreError> {
    let anchor_path = anchor::path_of(path);
    if anchor_path.exists() {
        return Err(StoreError::Tampered(format!(
            "the database is empty but its anchor {} exists: the file was truncated or replaced",
            anchor_path.display()
        )));
    }
    let id = new_id()?;
    let key = keys.create(&id)?;
    conn.execute_batch(ENTRIES)?;
    conn.execute_batch(TRIGGERS)?;
    write_meta(conn, &id)?;
    Anchor {
        workspace: id,
        head: head(conn)?,
        previous: None,
    }
    .write(&anchor::path_of(path), &Chain::Keyed(key))?;
    Ok(true)
}

/// Upgrades a version 1 workspace whose plain chain is intact: a key, the chain recomputed
/// with it, the meta table and the anchor. A broken chain is left as it is (false).
fn upgrade(conn: &Connection, path: &Path, keys: &KeyStore) -> Result<bool, StoreError> {
    let rows: Vec<Row> = {
        let mut stmt =
            conn.prepare("SELECT seq, id, body, prev_hash, hash FROM entries ORDER BY seq")?;
        let rows = stmt.query_map([], row)?;
        rows.collect::<Result<_, _>>()?
    };
    let mut prev = GENESIS.to_string();
    for (_, _, body, prev_hash, h) in &rows {
        if *prev_hash != prev || Chain::Plain.link(prev_hash, body) != *h {
            return Ok(false);
        }
        prev = h.clone();
    }
    let id = new_id()?;
    let key = keys.create(&id)?;
    let chain = Chain::Keyed(key);
    conn.execute_batch("DROP TRIGGER IF EXISTS entries_no_update;")?;
    let mut prev = GENESIS.to_string();
    for (seq, _, body, _, _) in &rows {
        let h = chain.link(&prev, body);
        conn.execute(
            "UPDATE entries SET prev_hash = ?1, hash = ?2 WHERE seq = ?3",
            rusqlite::params![prev, h, seq],
        )?;
        prev = h;
    }
    conn.execute_batch(ENTRIES)?;
    conn.execute_batch(TRIGGERS)?;
    write_meta(conn, &id)?;
    Anchor {
        workspace: id,
        head: head(conn)?,
        previous: None,
    }
    .write(&anchor::path_of(path), &chain)?;
    Ok(true)
}
