//! Issue 12, items 3 and 7, through the binary: every command that reads the workspace refuses
//! one that fails its check; a damaged file says so; concurrent writers all succeed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn keys_dir() -> PathBuf {
    std::env::temp_dir().join(format!("quid-ws-keys-{}", std::process::id()))
}

fn quid(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quid"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .env_remove("QUID_WORKSPACE")
        .env("QUID_KEY_DIR", keys_dir())
        .output()
        .expect("run quid")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn temp_workspace(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("quid-ws-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("tmp");
    dir.join("ws.sqlite")
}

/// A valid user entry (a declared spending move) with its own id.
fn entry(id: &str) -> String {
    format!(
        r#"
[[announcement]]
id = "{id}"
title = "A user-recorded border spending top-up"
party = "CA"
affected = ["US"]
announced = "2026-10-01"
recorded = "2026-10-02"
sources = [{{ title = "Example source", url = "https://example.org/border", date = "2026-10-01" }}]

[[announcement.intervention]]
id = "{id}-A"
kind = "spending"
category = "spending"
implemented = "2026-10-01"
evaluation = "liberalising"
status = "implemented"
confidence = "M"
declared_value = {{ amount = "250000000", currency = "CAD", basis = "one year", source = {{ title = "Example source", url = "https://example.org/border", date = "2026-10-01" }} }}
"#
    )
}

fn add(ws: &Path, file: &Path) -> Output {
    quid(&[
        "ledger",
        "add",
        file.to_str().expect("path"),
        "--workspace",
        ws.to_str().expect("path"),
    ])
}

#[test]
fn issue12_a_workspace_failing_its_check_is_refused_by_every_reader() {
    let ws = temp_workspace("refused");
    let w = ws.to_str().expect("path");
    let dir = ws.parent().expect("dir");
    let file = dir.join("two.toml");
    std::fs::write(&file, entry("USER-A") + &entry("USER-B")).expect("write");
    let out = add(&ws, &file);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = quid(&["ledger", "verify", "--workspace", w]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("anchor: 2 entries, head "), "{stdout}");

    // The last row deleted behind quid's back.
    let c = rusqlite::Connection::open(&ws).expect("db");
    c.execute_batch("DROP TRIGGER entries_no_delete; DELETE FROM entries WHERE seq = 2;")
        .expect("delete");
    drop(c);

    let other = dir.join("three.toml");
    std::fs::write(&other, entry("USER-C")).expect("write");
    let export = dir.join("out.json");
    let readers: Vec<Vec<&str>> = vec![
        vec!["ledger", "check", "--workspace", w],
        vec!["ledger", "list", "--workspace", w],
        vec![
            "ledger",
            "export",
            "--output",
            export.to_str().expect("p"),
            "--workspace",
            w,
        ],
        vec![
            "ledger",
            "add",
            other.to_str().expect("p"),
            "--workspace",
            w,
        ],
        vec![
            "balance",
            "--workspace",
            w,
            "--no-chart",
            "--format",
            "json",
        ],
    ];
    let expected =
        format!("{w}: the workspace fails its check: the database holds 1 entries, head ");
    for args in readers {
        let out = quid(&args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.starts_with(&format!("quid: error: {expected}")),
            "{args:?}: {err}"
        );
        assert!(
            err.contains(&format!(
                "run `quid ledger verify --workspace {w}` to see what changed"
            )),
            "{args:?}: {err}"
        );
    }
    assert!(!export.exists(), "export wrote from a refused workspace");
    // verify reports the deleted tail against the anchor and fails.
    let out = quid(&["ledger", "verify", "--workspace", w]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("anchor: 2 entries, head "), "{stdout}");
    assert!(
        stdout.contains("entry 1 ((anchor)): the database holds 1 entries"),
        "{stdout}"
    );
}

#[test]
fn issue12_random_bytes_say_the_workspace_database_is_damaged() {
    let ws = temp_workspace("random");
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 7) as u8)
        .collect();
    std::fs::write(&ws, bytes).expect("write");
    let w = ws.to_str().expect("path");
    for args in [
        vec!["ledger", "list", "--workspace", w],
        vec!["ledger", "verify", "--workspace", w],
    ] {
        let out = quid(&args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("the workspace database is damaged: file is not a database"),
            "{err}"
        );
        assert!(!err.contains("Conversion error"), "{err}");
    }
}

#[test]
fn issue12_concurrent_ledger_adds_all_succeed() {
    let ws = temp_workspace("concurrent");
    let dir = ws.parent().expect("dir").to_path_buf();
    // A long import: 10,000 entries in one file.
    let long = dir.join("long.toml");
    let body: String = (0..10_000)
        .map(|i| entry(&format!("USER-LONG-{i}")))
        .collect();
    std::fs::write(&long, body).expect("write");
    let mut files = Vec::new();
    for w in 0..4 {
        for i in 0..4 {
            let f = dir.join(format!("w{w}-{i}.toml"));
            std::fs::write(&f, entry(&format!("USER-W{w}-{i}"))).expect("write");
            files.push(f);
        }
    }
    // The workspace exists before the writers start (so the verifier has one to read).
    let first = dir.join("first.toml");
    std::fs::write(&first, entry("USER-FIRST")).expect("write");
    assert!(add(&ws, &first).status.success());
    std::thread::scope(|s| {
        let mut handles = vec![s.spawn(|| vec![add(&ws, &long)])];
        for chunk in files.chunks(4) {
            let ws = &ws;
            handles.push(s.spawn(move || chunk.iter().map(|f| add(ws, f)).collect()));
        }
        handles.push(s.spawn(|| {
            (0..4)
                .map(|_| {
                    std::thread::sleep(std::time::Duration::from_millis(200));
                    quid(&["ledger", "verify", "--workspace", ws.to_str().expect("p")])
                })
                .collect()
        }));
        for h in handles {
            for out in h.join().expect("no panic") {
                assert!(
                    out.status.success(),
                    "{}{}",
                    text(&out.stdout),
                    text(&out.stderr)
                );
            }
        }
    });
    let out = quid(&["ledger", "verify", "--workspace", ws.to_str().expect("p")]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("10017 entries, hash chain intact"),
        "{stdout}"
    );
}
