//! Issue 12, item 3 (a workspace that cannot be quietly rewritten) and item 7 (concurrency):
//! workspaces on disk with their key in a folder of the test's own.

use quid_core::ledger::{Announcement, Ledger};
use quid_store::{KeyStore, StoreError, Workspace};
use sha2::{Digest, Sha256};
use std::path::PathBuf;

fn entry(id: &str) -> Announcement {
    let text = format!(
        r#"
[[announcement]]
id = "{id}"
title = "A user's own entry"
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
declared_value = {{ amount = "1000000", currency = "CAD", basis = "one year", source = {{ title = "A source" }} }}
"#
    );
    toml::from_str::<Ledger>(&text)
        .expect("fixture parses")
        .announcements
        .remove(0)
}

fn no_check(_: &Announcement) -> Vec<String> {
    Vec::new()
}

/// A fresh folder holding `ws.sqlite` and a `keys` folder.
fn place(name: &str) -> (PathBuf, KeyStore) {
    let dir = std::env::temp_dir().join(format!("quid-i12-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    (dir.join("ws.sqlite"), KeyStore::at(dir.join("keys")))
}

fn with_three(name: &str) -> (PathBuf, KeyStore) {
    let (db, keys) = place(name);
    let mut ws = Workspace::open_with(&db, &keys).expect("create");
    for id in ["U-1", "U-2", "U-3"] {
        ws.import(&[entry(id)], &no_check, &[]).expect("import");
    }
    (db, keys)
}

fn plain(prev: &str, body: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(body.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn issue12_recomputed_chain_fails_verify() {
    let (db, keys) = with_three("recomputed");
    {
        // Edit entry 2 and recompute the whole chain with plain SHA-256, as the schema 1 chain
        // was computed: without the key, no link matches.
        let ws = Workspace::open_with(&db, &keys).expect("open");
        let c = ws.connection();
        c.execute_batch(
            "DROP TRIGGER entries_no_update;
             UPDATE entries SET body = replace(body, '1000000', '9000000') WHERE seq = 2;",
        )
        .expect("edit");
        let rows: Vec<(i64, String)> = c
            .prepare("SELECT seq, body FROM entries ORDER BY seq")
            .and_then(|mut s| {
                s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<Result<_, _>>()
            })
            .expect("rows");
        let mut prev = quid_store::GENESIS.to_string();
        for (seq, body) in rows {
            let h = plain(&prev, &body);
            c.execute(
                "UPDATE entries SET prev_hash = ?1, hash = ?2 WHERE seq = ?3",
                rusqlite::params![prev, h, seq],
            )
            .expect("rehash");
            prev = h;
        }
    }
    let ws = Workspace::open_unchecked(&db, &keys).expect("open for verify");
    let v = ws.verify().expect("verify");
    // Every entry's content fails its keyed hash (3), and so does the anchor's head.
    let edited = v
        .breaks
        .iter()
        .filter(|b| b.reason.contains("edited"))
        .count();
    assert_eq!(edited, 3, "{:?}", v.breaks);
    assert_eq!(v.breaks.last().map(|b| b.id.as_str()), Some("(anchor)"));
    // Every reader refuses it.
    let e = Workspace::open_with(&db, &keys).err().expect("refused");
    assert!(matches!(e, StoreError::Tampered(_)), "{e}");
}

#[test]
fn issue12_deleted_tail_is_caught_by_the_anchor() {
    let (db, keys) = with_three("tail");
    {
        let ws = Workspace::open_with(&db, &keys).expect("open");
        ws.connection()
            .execute_batch("DROP TRIGGER entries_no_delete; DELETE FROM entries WHERE seq = 3;")
            .expect("delete");
    }
    // The chain that is left is intact in itself; only the anchor knows it was longer.
    let ws = Workspace::open_unchecked(&db, &keys).expect("open for verify");
    let v = ws.verify().expect("verify");
    assert_eq!(v.entries, 2);
    assert_eq!(v.anchor.as_ref().map(|a| a.entries), Some(3));
    assert_eq!(v.breaks.len(), 1, "{:?}", v.breaks);
    assert_eq!(v.breaks[0].id, "(anchor)");
    assert!(
        v.breaks[0]
            .reason
            .starts_with("the database holds 2 entries, head "),
        "{}",
        v.breaks[0].reason
    );
    let e = Workspace::open_with(&db, &keys).err().expect("refused");
    let msg = e.to_string();
    assert!(
        msg.starts_with("the workspace fails its check: the database holds 2 entries")
            && msg.contains("says 3 entries")
            && msg.contains("entries were deleted from the end"),
        "{msg}"
    );
}

#[test]
fn issue12_truncated_file_is_caught() {
    let (db, keys) = with_three("truncated");
    let len = std::fs::metadata(&db).expect("meta").len();
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(&db)
        .expect("open file");
    f.set_len(len / 2).expect("truncate");
    drop(f);
    let e = Workspace::open_with(&db, &keys).err().expect("refused");
    assert!(e.is_untrusted(), "{e}");
    let e = Workspace::open_unchecked(&db, &keys).and_then(|w| {
        let v = w.verify()?;
        if v.breaks.is_empty() {
            Ok(())
        } else {
            Err(StoreError::Tampered(format!("{:?}", v.breaks)))
        }
    });
    assert!(e.is_err(), "verify passed a truncated workspace");
    // Truncated to nothing: an empty file is a new, empty database for SQLite, but its anchor
    // still says 3 entries.
    std::fs::write(&db, b"").expect("empty");
    let e = Workspace::open_with(&db, &keys).err().expect("refused");
    assert!(e.is_untrusted(), "{e}");
}

#[test]
fn issue12_random_bytes_say_the_database_is_damaged() {
    let (db, keys) = place("random");
    let bytes: Vec<u8> = (0..8192u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(&db, &bytes).expect("write");
    let e = Workspace::open_with(&db, &keys).err().expect("refused");
    assert_eq!(
        e.to_string(),
        "the workspace database is damaged: file is not a database"
    );
    // A database whose entries table holds a number where text belongs.
    let (db, keys) = place("wrongtype");
    {
        let c = rusqlite::Connection::open(&db).expect("db");
        c.execute_batch(
            "CREATE TABLE entries (seq INTEGER PRIMARY KEY, id TEXT, recorded TEXT, body BLOB,
             prev_hash TEXT, hash TEXT);
             INSERT INTO entries VALUES (1, 'X', '2026-01-01', x'00ff', 'a', 'b');",
        )
        .expect("schema");
    }
    let e = Workspace::open_with(&db, &keys).err().expect("refused");
    assert!(
        e.to_string().starts_with(
            "the workspace database is damaged: a column holds a value of the wrong type"
        ),
        "{e}"
    );
}

/// A version 1 workspace (plain SHA-256 chain, no meta table, no anchor) as quid wrote it.
fn version1(db: &std::path::Path, ids: &[&str]) {
    let c = rusqlite::Connection::open(db).expect("db");
    c.execute_batch(
        "CREATE TABLE entries (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, recorded TEXT NOT NULL,
         body TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
         CREATE TABLE analyses (seq INTEGER PRIMARY KEY, name TEXT NOT NULL,
         saved_on TEXT NOT NULL, args TEXT NOT NULL);",
    )
    .expect("schema");
    let mut prev = quid_store::GENESIS.to_string();
    for id in ids {
        let body = serde_json::to_string(&entry(id)).expect("json");
        let h = plain(&prev, &body);
        c.execute(
            "INSERT INTO entries (id, recorded, body, prev_hash, hash) VALUES (?1, '2026-10-02', ?2, ?3, ?4)",
            rusqlite::params![id, body, prev, h],
        )
        .expect("insert");
        prev = h;
    }
}

#[test]
fn issue12_old_workspace_is_upgraded_or_reported() {
    let (db, keys) = place("v1");
    version1(&db, &["OLD-1", "OLD-2"]);
    let ws = Workspace::open_with(&db, &keys).expect("upgraded");
    let v = ws.verify().expect("verify");
    assert_eq!((v.schema_version, v.entries, v.breaks.len()), (2, 2, 0));
    assert_eq!(v.anchor.as_ref(), Some(&v.head));
    assert!(keys.path(ws.id()).is_file());
    assert_eq!(ws.entries().expect("entries")[1].1.id, "OLD-2");
    drop(ws);

    // A version 1 workspace whose chain is broken is not upgraded: refused, and verify lists
    // the break with the plain hash it was written with.
    let (db, keys) = place("v1-broken");
    version1(&db, &["OLD-1", "OLD-2"]);
    rusqlite::Connection::open(&db)
        .expect("db")
        .execute_batch(
            "UPDATE entries SET body = replace(body, '1000000', '9000000') WHERE seq = 1",
        )
        .expect("edit");
    let e = Workspace::open_with(&db, &keys).err().expect("refused");
    assert_eq!(
        e.to_string(),
        "the workspace fails its check: an old workspace (schema version 1) whose hash chain is \
         broken, so it was not upgraded"
    );
    let v = Workspace::open_unchecked(&db, &keys)
        .expect("open")
        .verify()
        .expect("verify");
    assert_eq!(v.schema_version, 1);
    assert_eq!(v.breaks.len(), 1, "{:?}", v.breaks);
    assert_eq!(v.breaks[0].seq, 1);
}

#[test]
fn issue12_missing_key_is_named() {
    let (db, keys) = with_three("nokey");
    let id = Workspace::open_with(&db, &keys)
        .expect("open")
        .id()
        .to_string();
    std::fs::remove_file(keys.path(&id)).expect("remove key");
    let e = Workspace::open_with(&db, &keys).err().expect("refused");
    assert!(
        e.to_string().starts_with(&format!(
            "workspace key: the key of workspace {id} cannot be read from"
        )),
        "{e}"
    );
}

#[test]
fn issue12_concurrent_writers_all_succeed() {
    let (db, keys) = place("concurrent");
    drop(Workspace::open_with(&db, &keys).expect("create"));
    // A long import (2,000 entries in one transaction) and four writers adding 25 entries one
    // at a time, each on its own connection; a reader verifies meanwhile.
    let long: Vec<Announcement> = (0..2000).map(|i| entry(&format!("LONG-{i}"))).collect();
    std::thread::scope(|s| {
        let mut handles = Vec::new();
        let (db1, keys1) = (db.clone(), keys.clone());
        handles.push(s.spawn(move || {
            let mut ws = Workspace::open_with(&db1, &keys1)?;
            ws.import(&long, &no_check, &[]).map(|v| v.len())
        }));
        for w in 0..4 {
            let (dbw, keysw) = (db.clone(), keys.clone());
            handles.push(s.spawn(move || {
                for i in 0..25 {
                    let mut ws = Workspace::open_with(&dbw, &keysw)?;
                    ws.import(&[entry(&format!("W{w}-{i}"))], &no_check, &[])?;
                }
                Ok(25)
            }));
        }
        let (dbr, keysr) = (db.clone(), keys.clone());
        handles.push(s.spawn(move || {
            for _ in 0..20 {
                let ws = Workspace::open_with(&dbr, &keysr)?;
                let v = ws.verify()?;
                if !v.breaks.is_empty() {
                    return Err(StoreError::Tampered(format!("{:?}", v.breaks)));
                }
            }
            Ok(0)
        }));
        let added: usize = handles
            .into_iter()
            .map(|h| h.join().expect("no panic").expect("every writer succeeds"))
            .sum();
        assert_eq!(added, 2000 + 4 * 25);
    });
    let ws = Workspace::open_with(&db, &keys).expect("open");
    let v = ws.verify().expect("verify");
    assert_eq!((v.entries, v.breaks.len()), (2100, 0));
    assert_eq!(v.anchor.as_ref(), Some(&v.head));
}
