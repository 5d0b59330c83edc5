//! The SQLite backend: the `quid-store` workspace (append-only entries under a keyed hash
//! chain, with its anchor file and key), plus the server's own tables, migrated in order and
//! recorded in `schema_version`. One connection behind a mutex per server; other processes
//! writing the same file wait for SQLite's write lock.

use super::{Check, Database, DbError};
use quid_core::ledger::Announcement;
use quid_store::{KeyStore, Workspace};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The server's migrations of an SQLite workspace, in order: (version, SQL).
const MIGRATIONS: &[(i64, &str)] = &[(
    1,
    "CREATE TABLE tokens (hash TEXT PRIMARY KEY, name TEXT NOT NULL, created TEXT NOT NULL);",
)];

/// An SQLite workspace.
pub struct SqliteDb {
    path: PathBuf,
    ws: Mutex<Workspace>,
}

impl SqliteDb {
    /// Opens (creating if needed) the workspace at `path` with the key folder of the
    /// environment (see [`quid_store::KeyStore::from_env`]).
    pub fn open(path: &Path) -> Result<SqliteDb, DbError> {
        Self::open_with(path, &KeyStore::from_env()?)
    }

    /// The same with the key folder given.
    pub fn open_with(path: &Path, keys: &KeyStore) -> Result<SqliteDb, DbError> {
        let ws = Workspace::open_with(path, keys)?;
        migrate(ws.connection())?;
        Ok(SqliteDb {
            path: path.to_path_buf(),
            ws: Mutex::new(ws),
        })
    }

    fn ws(&self) -> std::sync::MutexGuard<'_, Workspace> {
        // A panic while holding the lock leaves the connection usable: SQLite rolled back.
        self.ws.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn sql(e: rusqlite::Error) -> DbError {
    DbError::Sqlite(e.into())
}

/// Applies the migrations not yet recorded, each in its own write transaction.
fn migrate(conn: &rusqlite::Connection) -> Result<(), DbError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied TEXT NOT NULL)",
    )
    .map_err(sql)?;
    for (v, migration) in MIGRATIONS {
        quid_store::begin_immediate(conn)?;
        let done: i64 = conn
            .query_row(
                "SELECT count(*) FROM schema_version WHERE version = ?1",
                [v],
                |r| r.get(0),
            )
            .map_err(sql)?;
        let r = if done == 0 {
            conn.execute_batch(migration).and_then(|_| {
                conn.execute(
                    "INSERT INTO schema_version (version, applied) VALUES (?1, datetime('now'))",
                    [v],
                )
            })
        } else {
            Ok(0)
        };
        match r {
            Ok(_) => conn.execute_batch("COMMIT").map_err(sql)?,
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                return Err(sql(e));
            }
        }
    }
    Ok(())
}

impl Database for SqliteDb {
    fn describe(&self) -> String {
        format!("sqlite {}", self.path.display())
    }

    fn schema_version(&self) -> Result<i64, DbError> {
        self.ws()
            .connection()
            .query_row("SELECT max(version) FROM schema_version", [], |r| {
                r.get::<_, Option<i64>>(0)
            })
            .map(|v| v.unwrap_or(0))
            .map_err(sql)
    }

    fn entries(&self) -> Result<Vec<Announcement>, DbError> {
        Ok(self.ws().entries()?.into_iter().map(|(_, a)| a).collect())
    }

    fn revision(&self) -> Result<i64, DbError> {
        Ok(self.ws().head()?.entries)
    }

    fn append(&self, entries: &[Announcement], check: &Check<'_>) -> Result<Vec<i64>, DbError> {
        super::refuse(entries, check)?;
        let mut ws = self.ws();
        ws.import(entries, check.problems, check.reserved)
            .map_err(|e| match e {
                e if e.is_invalid_entry() => DbError::Invalid(e.to_string()),
                e => DbError::Sqlite(e),
            })
    }

    fn add_token(&self, name: &str, hash: &str, created: &str) -> Result<(), DbError> {
        self.ws()
            .connection()
            .execute(
                "INSERT INTO tokens (hash, name, created) VALUES (?1, ?2, ?3)",
                rusqlite::params![hash, name, created],
            )
            .map(|_| ())
            .map_err(sql)
    }

    fn token_name(&self, hash: &str) -> Result<Option<String>, DbError> {
        use rusqlite::OptionalExtension as _;
        self.ws()
            .connection()
            .query_row("SELECT name FROM tokens WHERE hash = ?1", [hash], |r| {
                r.get(0)
            })
            .optional()
            .map_err(sql)
    }
}
