//! The PostgreSQL backend, for a workspace shared by a team (`--database postgres://...`):
//! the same append-only entries under a SHA-256 hash chain (each entry's hash covers the previous
//! hash and the entry's JSON), API token hashes, and versioned migrations recorded in
//! `schema_version`. An append takes an exclusive lock on the entries table for its transaction,
//! so concurrent writers (threads or servers) are serialised and the chain stays linear.

use super::{Check, Database, DbError};
use quid_core::ledger::Announcement;
use std::sync::Mutex;

/// The migrations, in order: (version, SQL). Applied once each, under an advisory lock.
const MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        "CREATE TABLE entries (
            seq BIGSERIAL PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            recorded TEXT NOT NULL,
            body TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE FUNCTION quid_append_only() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'ledger entries are append-only: add a correction that supersedes the entry'; END;
        $$ LANGUAGE plpgsql;
        CREATE TRIGGER entries_no_change BEFORE UPDATE OR DELETE ON entries
            FOR EACH ROW EXECUTE FUNCTION quid_append_only();",
    ),
    (
        2,
        "CREATE TABLE tokens (hash TEXT PRIMARY KEY, name TEXT NOT NULL, created TEXT NOT NULL);",
    ),
];

/// The chain's first previous hash (as in the SQLite workspace).
const GENESIS: &str = quid_store::GENESIS;

/// A PostgreSQL workspace: one connection behind a mutex.
pub struct PgDb {
    url_shown: String,
    client: Mutex<Conn>,
}

/// The connection, closed on a thread of its own when dropped inside an async runtime (the
/// blocking client cannot be closed on a runtime's thread: a server dropping its state at
/// shutdown would panic).
struct Conn(Option<postgres::Client>);

impl std::ops::Deref for Conn {
    type Target = postgres::Client;
    fn deref(&self) -> &postgres::Client {
        self.0
            .as_ref()
            .expect("the connection is present until dropped")
    }
}

impl std::ops::DerefMut for Conn {
    fn deref_mut(&mut self) -> &mut postgres::Client {
        self.0
            .as_mut()
            .expect("the connection is present until dropped")
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        if let Some(c) = self.0.take() {
            if tokio::runtime::Handle::try_current().is_ok() {
                let _ = std::thread::spawn(move || drop(c)).join();
            }
        }
    }
}

fn pg(e: postgres::Error) -> DbError {
    DbError::Postgres(e.to_string())
}

/// SHA-256 of the previous hash and the body, in hexadecimal: the workspace's own plain chain
/// (`quid_store::Chain::Plain`), one definition for both backends.
fn link(prev: &str, body: &str) -> String {
    quid_store::Chain::Plain.link(prev, body)
}

impl PgDb {
    /// Connects (no TLS: a local or tunnelled server) and applies the migrations.
    pub fn connect(url: &str) -> Result<PgDb, DbError> {
        Self::connect_in(url, None)
    }

    /// The same with the tables in `schema` (created if needed): several workspaces, or
    /// isolated tests, in one database.
    pub fn connect_in(url: &str, schema: Option<&str>) -> Result<PgDb, DbError> {
        let mut client = postgres::Client::connect(url, postgres::NoTls).map_err(pg)?;
        if let Some(schema) = schema {
            if schema.is_empty()
                || !schema
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                return Err(DbError::Invalid(format!(
                    "schema {schema:?}: lower-case letters, digits and _ only"
                )));
            }
            client
                .batch_execute(&format!(
                    "CREATE SCHEMA IF NOT EXISTS {schema}; SET search_path TO {schema}"
                ))
                .map_err(pg)?;
        }
        migrate(&mut client)?;
        Ok(PgDb {
            url_shown: redact(url),
            client: Mutex::new(Conn(Some(client))),
        })
    }

    fn client(&self) -> std::sync::MutexGuard<'_, Conn> {
        self.client.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let cred = &url[s + 3..at];
            let user = cred.split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &url[..s + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

fn migrate(client: &mut postgres::Client) -> Result<(), DbError> {
    let mut tx = client.transaction().map_err(pg)?;
    // One migrator at a time across servers starting together.
    tx.execute("SELECT pg_advisory_xact_lock(7175696400)", &[])
        .map_err(pg)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, applied TIMESTAMPTZ NOT NULL DEFAULT now())",
    )
    .map_err(pg)?;
    let done: Vec<i64> = tx
        .query("SELECT version FROM schema_version", &[])
        .map_err(pg)?
        .iter()
        .map(|r| r.get(0))
        .collect();
    for (v, sql) in MIGRATIONS {
        if !done.contains(v) {
            tx.batch_execute(sql).map_err(pg)?;
            tx.execute("INSERT INTO schema_version (version) VALUES ($1)", &[v])
                .map_err(pg)?;
        }
    }
    tx.commit().map_err(pg)
}

impl Database for PgDb {
    fn describe(&self) -> String {
        format!("postgres {}", self.url_shown)
    }

    fn schema_version(&self) -> Result<i64, DbError> {
        let row = self
            .client()
            .query_one("SELECT coalesce(max(version), 0) FROM schema_version", &[])
            .map_err(pg)?;
        Ok(row.get(0))
    }

    fn entries(&self) -> Result<Vec<Announcement>, DbError> {
        let rows = self
            .client()
            .query(
                "SELECT seq, id, body, prev_hash, hash FROM entries ORDER BY seq",
                &[],
            )
            .map_err(pg)?;
        let mut prev = GENESIS.to_string();
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let (seq, id, body, prev_hash, hash): (i64, String, String, String, String) =
                (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4));
            if prev_hash != prev || link(&prev_hash, &body) != hash {
                return Err(DbError::Damaged(format!(
                    "entry {seq} ({id}) does not match the hash chain"
                )));
            }
            let a: Announcement = serde_json::from_str(&body)
                .map_err(|e| DbError::Damaged(format!("entry {seq} ({id}): {e}")))?;
            out.push(a);
            prev = hash;
        }
        Ok(out)
    }

    fn revision(&self) -> Result<i64, DbError> {
        let row = self
            .client()
            .query_one("SELECT count(*) FROM entries", &[])
            .map_err(pg)?;
        Ok(row.get(0))
    }

    fn append(&self, entries: &[Announcement], check: &Check<'_>) -> Result<Vec<i64>, DbError> {
        super::refuse(entries, check)?;
        let mut client = self.client();
        let mut tx = client.transaction().map_err(pg)?;
        // Writers queue here; readers are not blocked (EXCLUSIVE allows ACCESS SHARE).
        tx.batch_execute("LOCK TABLE entries IN EXCLUSIVE MODE")
            .map_err(pg)?;
        let mut prev: String = tx
            .query_opt("SELECT hash FROM entries ORDER BY seq DESC LIMIT 1", &[])
            .map_err(pg)?
            .map(|r| r.get(0))
            .unwrap_or_else(|| GENESIS.to_string());
        let ids: Vec<&str> = entries.iter().map(|a| a.id.as_str()).collect();
        let taken: Vec<String> = tx
            .query("SELECT id FROM entries WHERE id = ANY($1)", &[&ids])
            .map_err(pg)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        if !taken.is_empty() {
            return Err(DbError::Invalid(format!(
                "nothing was written; the id(s) {} exist already (a correction is a new entry \
                 that supersedes the old one)",
                taken.join(", ")
            )));
        }
        let mut seqs = Vec::with_capacity(entries.len());
        for a in entries {
            let body = serde_json::to_string(a).map_err(|e| DbError::Invalid(e.to_string()))?;
            let hash = link(&prev, &body);
            let row = tx
                .query_one(
                    "INSERT INTO entries (id, recorded, body, prev_hash, hash) VALUES ($1, $2, $3, $4, $5) RETURNING seq",
                    &[&a.id, &a.recorded.to_string(), &body, &prev, &hash],
                )
                .map_err(pg)?;
            seqs.push(row.get(0));
            prev = hash;
        }
        tx.commit().map_err(pg)?;
        Ok(seqs)
    }

    fn add_token(&self, name: &str, hash: &str, created: &str) -> Result<(), DbError> {
        self.client()
            .execute(
                "INSERT INTO tokens (hash, name, created) VALUES ($1, $2, $3)",
                &[&hash, &name, &created],
            )
            .map(|_| ())
            .map_err(pg)
    }

    fn token_name(&self, hash: &str) -> Result<Option<String>, DbError> {
        Ok(self
            .client()
            .query_opt("SELECT name FROM tokens WHERE hash = $1", &[&hash])
            .map_err(pg)?
            .map(|r| r.get(0)))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_password_is_not_shown() {
        assert_eq!(
            super::redact("postgres://quid:secret@127.0.0.1:5432/quid"),
            "postgres://quid:***@127.0.0.1:5432/quid"
        );
        assert_eq!(
            super::redact("postgres://localhost/q"),
            "postgres://localhost/q"
        );
    }
}
