//! Killing `quid serve` while it writes loses no acknowledged entry: the server runs as a child
//! process on a fresh SQLite workspace, four clients append entries over HTTP, the server is
//! killed with SIGKILL in the middle of their writes, restarted on the same database, and every
//! entry it had answered 201 for is there (and the workspace passes its check on opening).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn quid(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_quid"));
    c.env("QUID_KEY_DIR", dir.join("keys"))
        .env(
            "QUID_DATA",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"),
        )
        .env_remove("QUID_WORKSPACE");
    c
}

/// Starts `quid serve` on a free port of the loopback; returns the child and its address.
fn start(dir: &Path) -> (Child, String) {
    let mut child = quid(dir)
        .args(["serve", "--bind", "127.0.0.1:0", "--database"])
        .arg(dir.join("ws.sqlite"))
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    // "quid serve: http://127.0.0.1:PORT/ (database: ...)"
    let line = lines
        .next()
        .expect("the server says where it listens")
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("unexpected first line: {line}"))
        .to_string();
    // Keep reading its standard error so that it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, addr)
}

/// One HTTP/1.1 request; the status and body, or an error when the connection fails.
fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes())?;
    let mut resp = String::new();
    s.read_to_string(&mut resp)?;
    let status = resp
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status in {resp:?}")))?;
    let body = resp
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok((status, body))
}

fn entry(id: &str) -> String {
    format!(
        r#"[[announcement]]
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
    )
}

#[test]
fn sigkill_during_writes_loses_no_acknowledged_entry() {
    let dir = std::env::temp_dir().join(format!("quid-serve-kill-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("keys")).unwrap();
    let out = quid(&dir)
        .args(["token", "create", "--name", "kill-test", "--database"])
        .arg(dir.join("ws.sqlite"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(token.starts_with("quid_"));

    let (mut child, addr) = start(&dir);
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (addr, token, acked, stop) =
                (addr.clone(), token.clone(), acked.clone(), stop.clone());
            std::thread::spawn(move || {
                let auth = format!("Bearer {token}");
                for i in 0..10_000 {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let id = format!("KILL-{w}-{i}");
                    match http(
                        &addr,
                        "POST",
                        "/api/v1/ledger",
                        &[
                            ("Authorization", &auth),
                            ("Content-Type", "application/toml"),
                        ],
                        &entry(&id),
                    ) {
                        Ok((201, _)) => acked.lock().unwrap().push(id),
                        Ok((status, body)) => panic!("{id}: {status} {body}"),
                        // The server is gone: the entry was not acknowledged.
                        Err(_) => break,
                    }
                }
            })
        })
        .collect();
    // Kill the server once writes are under way (bounded: at most 120 s).
    let t0 = std::time::Instant::now();
    while acked.lock().unwrap().len() < 40 && t0.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 40,
        "only {} writes acknowledged before the kill",
        acked.len()
    );

    // Restarted on the same database (which must pass its check on opening), the server has
    // every acknowledged entry.
    let (mut child, addr) = start(&dir);
    let (status, body) = http(
        &addr,
        "GET",
        "/api/v1/ledger?q=KILL-&as_known_on=2099-12-31",
        &[],
        "",
    )
    .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let have: std::collections::HashSet<&str> = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["id"].as_str())
        .collect();
    let lost: Vec<&String> = acked
        .iter()
        .filter(|id| !have.contains(id.as_str()))
        .collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged entries lost: {lost:?}",
        lost.len()
    );
    // Nothing appears that was never sent.
    assert!(have.iter().all(|id| id.starts_with("KILL-")));
    let _ = std::fs::remove_dir_all(&dir);
}
