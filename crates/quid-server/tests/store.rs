//! The storage tests, run against both backends of the workspace database: SQLite always,
//! PostgreSQL when QUID_TEST_POSTGRES holds a connection URL (skipped with a notice otherwise;
//! `.ci/postgres.sh` sets one up). Each PostgreSQL test works in a schema of its own.

use quid_core::ledger::{Announcement, Ledger};
use quid_server::store::postgres::PgDb;
use quid_server::store::sqlite::SqliteDb;
use quid_server::store::{token, Check, Database};
use std::path::PathBuf;
use std::sync::Arc;

/// A minimal valid entry with this id.
fn entry(id: &str) -> Announcement {
    let text = format!(
        r#"
[[announcement]]
id = "{id}"
title = "A provincial fund for exporters"
party = "CA"
affected = ["US"]
announced = "2026-10-01"
recorded = "2026-10-02"
sources = [{{ title = "A source", url = "https://example.org/a", date = "2026-10-01" }}]

[[announcement.intervention]]
id = "{id}-A"
kind = "spending"
category = "spending"
implemented = "2026-10-01"
evaluation = "liberalising"
status = "implemented"
confidence = "M"
"#
    );
    let l: Ledger = toml::from_str(&text).unwrap();
    l.announcements.into_iter().next().unwrap()
}

fn no_problems(_: &Announcement) -> Vec<String> {
    Vec::new()
}

fn append(db: &dyn Database, ids: &[&str]) -> Result<Vec<i64>, quid_server::store::DbError> {
    let entries: Vec<Announcement> = ids.iter().map(|i| entry(i)).collect();
    db.append(
        &entries,
        &Check {
            problems: &no_problems,
            reserved: &[],
        },
    )
}

/// Opens a connection to one test's database: every call opens a new one on the same store.
type Opener = Arc<dyn Fn() -> Box<dyn Database> + Send + Sync>;

struct Sqlite {
    dir: PathBuf,
}

impl Sqlite {
    fn new(name: &str) -> Sqlite {
        let dir =
            std::env::temp_dir().join(format!("quid-server-store-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("keys")).unwrap();
        Sqlite { dir }
    }

    fn opener(&self) -> Opener {
        let dir = self.dir.clone();
        Arc::new(move || {
            let keys = quid_store::KeyStore::at(dir.join("keys"));
            Box::new(SqliteDb::open_with(&dir.join("ws.sqlite"), &keys).unwrap())
        })
    }
}

impl Drop for Sqlite {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The PostgreSQL opener for a test, in a fresh schema; `None` (with a notice) without
/// QUID_TEST_POSTGRES.
fn postgres(name: &str) -> Option<(Opener, Box<dyn FnOnce()>)> {
    let Ok(url) = std::env::var("QUID_TEST_POSTGRES") else {
        eprintln!(
            "notice: QUID_TEST_POSTGRES is not set: the PostgreSQL run of {name} is skipped \
             (.ci/postgres.sh starts a server and prints the URL)"
        );
        return None;
    };
    let schema = format!("t_{name}_{}", std::process::id());
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
        ))
        .unwrap();
    let (u, sc) = (url.clone(), schema.clone());
    let opener: Opener = Arc::new(move || Box::new(PgDb::connect_in(&u, Some(&sc)).unwrap()));
    let cleanup = Box::new(move || {
        let _ = admin.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
    });
    Some((opener, cleanup))
}

/// Runs a storage test on both backends.
fn both(name: &str, test: fn(Opener)) {
    let s = Sqlite::new(name);
    test(s.opener());
    if let Some((p, cleanup)) = postgres(name) {
        test(p);
        cleanup();
    }
}

fn ids(db: &dyn Database) -> Vec<String> {
    db.entries().unwrap().into_iter().map(|a| a.id).collect()
}

#[test]
fn entries_read_back_in_order_with_their_sequences() {
    both("order", |open| {
        let db = open();
        assert_eq!(db.entries().unwrap(), Vec::<Announcement>::new());
        assert_eq!(append(&*db, &["U-1", "U-2"]).unwrap(), vec![1, 2]);
        assert_eq!(append(&*db, &["U-3"]).unwrap(), vec![3]);
        assert_eq!(ids(&*db), ["U-1", "U-2", "U-3"]);
        // What was written is what is read: the whole entry, not only its id.
        assert_eq!(db.entries().unwrap()[1], entry("U-2"));
        // Another connection sees the same.
        assert_eq!(ids(&*open()), ["U-1", "U-2", "U-3"]);
    });
}

#[test]
fn a_batch_with_one_bad_entry_writes_nothing() {
    both("atomic", |open| {
        let db = open();
        append(&*db, &["U-1"]).unwrap();
        // The same id again, alone or in a batch: refused, nothing written.
        let e = append(&*db, &["U-2", "U-1"]).unwrap_err();
        assert!(matches!(e, quid_server::store::DbError::Invalid(_)), "{e}");
        let e = append(&*db, &["U-3", "U-3"]).unwrap_err();
        assert!(e.to_string().contains("U-3"), "{e}");
        // A failed check on one entry refuses the whole batch.
        let bad = |a: &Announcement| {
            if a.id == "U-5" {
                vec!["no such measure".to_string()]
            } else {
                vec![]
            }
        };
        let e = db
            .append(
                &[entry("U-4"), entry("U-5")],
                &Check {
                    problems: &bad,
                    reserved: &[],
                },
            )
            .unwrap_err();
        assert!(e.to_string().contains("U-5: no such measure"), "{e}");
        // An id of the bundled ledger is reserved.
        let e = db
            .append(
                &[entry("BUNDLED-1")],
                &Check {
                    problems: &no_problems,
                    reserved: &["BUNDLED-1"],
                },
            )
            .unwrap_err();
        assert!(e.to_string().contains("BUNDLED-1"), "{e}");
        assert_eq!(ids(&*db), ["U-1"]);
    });
}

#[test]
fn tokens_are_found_by_hash_only() {
    both("tokens", |open| {
        let db = open();
        let t = "quid_0123456789abcdef";
        db.add_token("ci", &token::hash(t), "2026-12-06").unwrap();
        assert_eq!(
            db.token_name(&token::hash(t)).unwrap().as_deref(),
            Some("ci")
        );
        assert_eq!(db.token_name(&token::hash("quid_other")).unwrap(), None);
        // The token's text itself is not a key.
        assert_eq!(db.token_name(t).unwrap(), None);
    });
}

#[test]
fn migrations_are_versioned_and_applied_once() {
    both("migrations", |open| {
        let db = open();
        let v = db.schema_version().unwrap();
        // SQLite: 1 (the tokens table beside quid-store's own schema); PostgreSQL: 2 (entries,
        // then tokens).
        assert!(v == 1 || v == 2, "{v}");
        db.add_token("a", "h1", "2026-12-06").unwrap();
        drop(db);
        // Reopening applies nothing again and keeps the data.
        let db = open();
        assert_eq!(db.schema_version().unwrap(), v);
        assert_eq!(db.token_name("h1").unwrap().as_deref(), Some("a"));
    });
}

#[test]
fn concurrent_writers_lose_no_entry() {
    both("concurrent", |open| {
        const THREADS: usize = 6;
        const EACH: usize = 15;
        // Created before the writers start.
        drop(open());
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let open = open.clone();
                std::thread::spawn(move || {
                    // Each writer has its own connection, as separate servers would.
                    let db = open();
                    let mut seqs = Vec::new();
                    for i in 0..EACH {
                        let id = format!("T{t}-{i}");
                        seqs.extend(append(&*db, &[&id]).unwrap());
                    }
                    seqs
                })
            })
            .collect();
        let mut seqs: Vec<i64> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect();
        seqs.sort();
        // Every append got its own sequence number, none twice.
        let n = (THREADS * EACH) as i64;
        assert_eq!(seqs, (1..=n).collect::<Vec<_>>());
        // Every entry is there once, and the hash chain reads back intact (entries() checks it).
        let db = open();
        let mut got = ids(&*db);
        got.sort();
        let mut want: Vec<String> = (0..THREADS)
            .flat_map(|t| (0..EACH).map(move |i| format!("T{t}-{i}")))
            .collect();
        want.sort();
        assert_eq!(got, want);
    });
}

#[test]
fn a_server_sees_entries_another_server_wrote_to_the_shared_database() {
    let s = Sqlite::new("shared");
    let open = s.opener();
    let data = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
    let app = quid_app::App::new(Some(data), quid_core::parse_date("2026-12-06").unwrap()).unwrap();
    let server = quid_server::AppState::new(app, open()).unwrap();
    let count = |st: &quid_server::AppState| {
        quid_app::ledger::query(
            &st.app(),
            &quid_app::ledger::LedgerQuery {
                q: Some("ZZSHARED-".into()),
                ..Default::default()
            },
        )
        .unwrap()
        .count
    };
    assert_eq!(count(&server), 0);
    // Another server (another connection) appends.
    append(&*open(), &["ZZSHARED-1", "ZZSHARED-2"]).unwrap();
    // Within a second of the write the first server compares the count and reloads.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(count(&server), 2);
}
