//! The workspace database: append-only, tamper-evident, all-or-nothing imports, CSV round trip.

use quid_core::ledger::{Announcement, Ledger};
use quid_store::{from_csv, to_csv, Workspace};

const ENTRIES: &str = r#"
[[announcement]]
id = "USER-1"
title = "A user's own entry"
party = "CA"
affected = ["US"]
announced = "2026-10-01"
recorded = "2026-10-02"
sources = [{ title = "A source", url = "https://example.org/a", date = "2026-10-01" }]

[[announcement.intervention]]
id = "USER-1-A"
kind = "spending"
category = "spending"
implemented = "2026-10-01"
evaluation = "liberalising"
status = "implemented"
confidence = "M"
declared_value = { amount = "1000000", currency = "CAD", basis = "one year", source = { title = "A source", url = "https://example.org/a", date = "2026-10-01" } }

[[announcement]]
id = "USER-2"
title = "A correction"
party = "CA"
affected = ["US"]
announced = "2026-10-01"
recorded = "2026-10-05"
supersedes = "USER-1"
sources = [{ title = "Another source", url = "https://example.org/b", date = "2026-10-05" }]

[[announcement.intervention]]
id = "USER-2-A"
kind = "spending"
category = "spending"
implemented = "2026-10-01"
evaluation = "liberalising"
status = "implemented"
confidence = "H"
"#;

fn entries() -> Vec<Announcement> {
    toml::from_str::<Ledger>(ENTRIES)
        .expect("fixture parses")
        .announcements
}

fn no_check(_: &Announcement) -> Vec<String> {
    Vec::new()
}

#[test]
fn entries_are_appended_and_read_back() {
    let mut ws = Workspace::in_memory().expect("db");
    let seqs = ws.import(&entries(), &no_check, &[]).expect("import");
    assert_eq!(seqs, vec![1, 2]);
    let back = ws.ledger().expect("read");
    assert_eq!(back.announcements, entries());
    let v = ws.verify().expect("verify");
    assert_eq!((v.entries, v.breaks.len()), (2, 0));
}

#[test]
fn updates_and_deletes_are_refused() {
    let mut ws = Workspace::in_memory().expect("db");
    ws.import(&entries(), &no_check, &[]).expect("import");
    let upd = ws
        .connection()
        .execute("UPDATE entries SET body = '{}' WHERE seq = 1", []);
    assert!(upd.unwrap_err().to_string().contains("append-only"));
    let del = ws
        .connection()
        .execute("DELETE FROM entries WHERE seq = 1", []);
    assert!(del.unwrap_err().to_string().contains("append-only"));
}

#[test]
fn verify_catches_a_tampered_database() {
    let mut ws = Workspace::in_memory().expect("db");
    ws.import(&entries(), &no_check, &[]).expect("import");
    // Someone drops the guard and edits an amount directly.
    ws.connection()
        .execute_batch("DROP TRIGGER entries_no_update; UPDATE entries SET body = replace(body, '1000000', '9000000') WHERE seq = 1;")
        .expect("tamper");
    let broken = ws.verify().expect("verify").breaks;
    assert_eq!(broken.len(), 1);
    assert_eq!(broken[0].seq, 1);
    assert!(broken[0].reason.contains("edited"));
    // Removing an entry breaks the chain too.
    ws.connection()
        .execute_batch("DROP TRIGGER entries_no_delete; DELETE FROM entries WHERE seq = 1;")
        .expect("tamper");
    let broken = ws.verify().expect("verify").breaks;
    assert!(broken.iter().any(|b| b.reason.contains("link")));
}

#[test]
fn a_failed_import_changes_nothing() {
    let mut ws = Workspace::in_memory().expect("db");
    let check = |a: &Announcement| {
        if a.id == "USER-2" {
            vec!["field sources: empty".to_string()]
        } else {
            vec![]
        }
    };
    let err = ws.import(&entries(), &check, &[]).expect_err("must fail");
    assert!(err.to_string().contains("nothing was written"));
    assert!(ws.entries().expect("read").is_empty());
    // A duplicate id in the middle of an import rolls the whole import back.
    ws.import(&entries()[..1], &no_check, &[]).expect("first");
    let err = ws
        .import(&entries(), &no_check, &[])
        .expect_err("duplicate");
    assert!(err.is_invalid_entry());
    assert_eq!(ws.entries().expect("read").len(), 1);
}

#[test]
fn csv_round_trip() {
    let text = to_csv(&entries()).expect("csv");
    assert_eq!(from_csv(&text).expect("parse"), entries());
    let bad = text.replacen("2026-10-02", "2026-13-02", 1);
    let err = from_csv(&bad).expect_err("bad date");
    assert!(err.to_string().contains("column recorded"), "{err}");
    // The same with CRLF line ends names the same line (the CSV reader's count was one short).
    let line = |e: &dyn std::fmt::Display| {
        let t = e.to_string();
        let at = t.find("line ").map_or(t.len(), |i| i + 5);
        t[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
    };
    let crlf = bad.replace("\r\n", "\n").replace('\n', "\r\n");
    let err_crlf = from_csv(&crlf).expect_err("bad date");
    assert!(!line(&err).is_empty(), "{err}");
    assert_eq!(line(&err_crlf), line(&err), "{err_crlf} / {err}");
}
