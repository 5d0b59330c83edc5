//! The server is a thin layer: for the same question, `quid serve` answers the same JSON the
//! command prints with `--format json` (the duty API adds only `currency` and `notices`).

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

fn data() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"))
        .canonicalize()
        .unwrap()
}

fn quid(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_quid"));
    c.env("QUID_KEY_DIR", dir.join("keys"))
        .env("QUID_DATA", data())
        .env_remove("QUID_WORKSPACE")
        .current_dir(dir);
    c
}

struct Server(Child, String);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(dir: &Path) -> Server {
    let mut child = quid(dir)
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--timeout",
            "600",
            "--database",
        ])
        .arg(dir.join("ws.sqlite"))
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let line = lines.next().unwrap().unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap()
        .to_string();
    std::thread::spawn(move || for _ in lines {});
    Server(child, addr)
}

fn http(addr: &str, method: &str, path: &str, body: &str) -> (u16, Value) {
    let mut s = TcpStream::connect(addr).unwrap();
    // A guard against a hang, not a timing.
    s.set_read_timeout(Some(std::time::Duration::from_secs(600)))
        .unwrap();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).unwrap();
    let mut resp = Vec::new();
    s.read_to_end(&mut resp).unwrap();
    let resp = String::from_utf8(resp).unwrap();
    let status = resp.split(' ').nth(1).unwrap().parse().unwrap();
    let (head, body) = resp.split_once("\r\n\r\n").unwrap();
    // Bodies of unknown length come chunked.
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_string()
    };
    (status, serde_json::from_str(&body).unwrap())
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap();
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        s = &rest[n + 2..];
    }
    out
}

fn cli(dir: &Path, args: &[&str]) -> Value {
    let out = quid(dir)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_api_answers_what_the_cli_prints() {
    let dir = std::env::temp_dir().join(format!("quid-serve-parity-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("keys")).unwrap();
    let server = start(&dir);
    let addr = server.1.clone();

    // Duty: the assessment, plus currency and notices.
    let (s, mut api) = http(
        &addr,
        "POST",
        "/api/v1/duty",
        r#"{"importer":"US","origin":"CA","hts":"7208.10.15.00","value":100000,"date":"2025-07-01"}"#,
    );
    assert_eq!(s, 200);
    let obj = api.as_object_mut().unwrap();
    assert_eq!(obj.remove("currency").unwrap(), "USD");
    assert_eq!(obj.remove("notices").unwrap(), serde_json::json!([]));
    let printed = cli(
        &dir,
        &[
            "duty",
            "--importer",
            "US",
            "--origin",
            "CA",
            "--hts",
            "7208.10.15.00",
            "--value",
            "100000",
            "--date",
            "2025-07-01",
        ],
    );
    assert_eq!(api, printed);
    assert_eq!(api["total"], serde_json::json!(50000.0));

    // Duty with a bill of materials.
    let sedan = data().join("roo/examples/sedan_mx.toml");
    let body = serde_json::json!({
        "importer": "US", "origin": "MX", "hts": "8703.23.01.90", "value": 30000,
        "date": "2026-03-01", "bom_toml": std::fs::read_to_string(&sedan).unwrap(),
    });
    let (s, mut api) = http(&addr, "POST", "/api/v1/duty", &body.to_string());
    assert_eq!(s, 200, "{api}");
    let a = api["assessment"].as_object_mut().unwrap();
    a.remove("currency");
    a.remove("notices");
    let printed = cli(
        &dir,
        &[
            "duty",
            "--importer",
            "US",
            "--origin",
            "MX",
            "--hts",
            "8703.23.01.90",
            "--value",
            "30000",
            "--date",
            "2026-03-01",
            "--bom",
            sedan.to_str().unwrap(),
        ],
    );
    assert_eq!(api, printed);

    // The balance as known on the day before the IEEPA ruling.
    let (s, api) = http(&addr, "GET", "/api/v1/balance?as_known_on=2026-02-19", "");
    assert_eq!(s, 200);
    let printed = cli(
        &dir,
        &["balance", "--as-known-on", "2026-02-19", "--no-chart"],
    );
    assert_eq!(api, printed);

    // Rules of origin: the report names its file, "bom" for a body.
    let body = serde_json::json!({
        "bom_toml": std::fs::read_to_string(&sedan).unwrap(), "date": "2026-03-01",
    });
    let (s, mut api) = http(&addr, "POST", "/api/v1/roo/check", &body.to_string());
    assert_eq!(s, 200, "{api}");
    let mut printed = cli(
        &dir,
        &[
            "roo",
            "check",
            sedan.to_str().unwrap(),
            "--date",
            "2026-03-01",
        ],
    );
    assert_eq!(api["file"], "bom");
    api["file"] = Value::Null;
    printed["file"] = Value::Null;
    assert_eq!(api, printed);
    assert_eq!(api["result"]["verdict"], "qualifies");

    // A bundled scenario without Monte Carlo draws.
    let (s, api) = http(
        &addr,
        "POST",
        "/api/v1/scenarios/run",
        r#"{"name":"canada_ask","draws":0}"#,
    );
    assert_eq!(s, 200, "{api}");
    let file = data().join("scenarios/canada_ask.toml");
    let printed = cli(
        &dir,
        &["scenario", "run", file.to_str().unwrap(), "--draws", "0"],
    );
    assert_eq!(api, printed);
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
