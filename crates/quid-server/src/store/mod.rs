//! The workspace database behind the server: one trait, [`Database`], with two backends, the
//! SQLite workspace of `quid-store` (the default, one file) and PostgreSQL (a shared server,
//! `--database postgres://...`). Both keep the user's ledger entries append-only with a hash
//! chain, the API tokens (their SHA-256 hashes only), and a `schema_version` table of the
//! migrations applied.

pub mod postgres;
pub mod sqlite;
pub mod token;

use quid_core::ledger::Announcement;

/// The default SQLite workspace file, in the folder `quid serve` starts in (the same default as
/// the CLI's `--workspace`; `QUID_WORKSPACE` or `--database` name another).
pub const DEFAULT_DATABASE: &str = quid_app::load::DEFAULT_WORKSPACE;

/// A database error.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// An entry or a request the database refuses (a duplicate id, a failed check).
    #[error("{0}")]
    Invalid(String),
    /// The SQLite workspace.
    #[error(transparent)]
    Sqlite(#[from] quid_store::StoreError),
    /// PostgreSQL.
    #[error("postgresql: {0}")]
    Postgres(String),
    /// Stored data that does not read back (a damaged row, a broken chain).
    #[error("the database is damaged: {0}")]
    Damaged(String),
}

/// A token as listed (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TokenInfo {
    pub name: String,
    pub created: String,
}

/// The checks of new entries a database runs inside its write transaction: the problems of
/// each entry, and ids that exist elsewhere (the bundled ledger).
pub struct Check<'a> {
    pub problems: &'a dyn Fn(&Announcement) -> Vec<String>,
    pub reserved: &'a [&'a str],
}

/// The workspace database: what the server and `quid token` need of either backend. Every
/// method blocks (the PostgreSQL client runs its own runtime): a server calls them from
/// blocking threads, never on its async workers.
pub trait Database: Send + Sync {
    /// "sqlite" or "postgres", and where.
    fn describe(&self) -> String;
    /// The newest migration applied.
    fn schema_version(&self) -> Result<i64, DbError>;
    /// Every user entry, in the order appended.
    fn entries(&self) -> Result<Vec<Announcement>, DbError>;
    /// How many entries there are: a cheap way for a server to see another's writes.
    fn revision(&self) -> Result<i64, DbError>;
    /// Appends entries in one transaction (all or none), after the check; returns their
    /// sequence numbers. Concurrent appends are serialised, none lost.
    fn append(&self, entries: &[Announcement], check: &Check<'_>) -> Result<Vec<i64>, DbError>;
    /// Stores a token's hash under a name.
    fn add_token(&self, name: &str, hash: &str, created: &str) -> Result<(), DbError>;
    /// The name of the token with this hash, if there is one.
    fn token_name(&self, hash: &str) -> Result<Option<String>, DbError>;
}

/// Opens the database `spec` names: a `postgres://` or `postgresql://` URL, else an SQLite
/// file path (created if needed). `None` is [`DEFAULT_DATABASE`].
pub fn open(spec: Option<&str>) -> Result<Box<dyn Database>, DbError> {
    match spec {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Ok(Box::new(postgres::PgDb::connect(url)?))
        }
        Some(path) => Ok(Box::new(sqlite::SqliteDb::open(std::path::Path::new(
            path,
        ))?)),
        None => Ok(Box::new(sqlite::SqliteDb::open(std::path::Path::new(
            DEFAULT_DATABASE,
        ))?)),
    }
}

/// Problems of a batch as one refusal, naming each entry.
pub(crate) fn refuse(entries: &[Announcement], check: &Check<'_>) -> Result<(), DbError> {
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for a in entries {
        if check.reserved.contains(&a.id.as_str()) {
            problems.push(format!("{}: the id exists already", a.id));
        }
        if !seen.insert(a.id.as_str()) {
            problems.push(format!("{}: the id appears twice in the request", a.id));
        }
        for p in (check.problems)(a) {
            problems.push(format!("{}: {p}", a.id));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(DbError::Invalid(format!(
            "nothing was written; {} problem(s): {}",
            problems.len(),
            problems.join("; ")
        )))
    }
}
