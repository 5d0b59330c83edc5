//! Every `cargo run --release -- ...` example of README.md runs as written, against the built
//! binary, in a temporary copy of the files it needs (data/ and examples/), so that the examples
//! never rot: each must exit 0, or 1 where the README says so ("exits 1" in the comment above
//! it or beside it); a chart or output file it names must be written. The complete ledger file
//! of docs/ledger-format.md (one move of every kind) must be accepted by `ledger add`. The
//! `serve` example, a server that runs until stopped, must answer its health check.

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// One example: its arguments after `cargo run --release --`, whether it is documented to exit
/// 1, and its line in the README.
#[derive(Debug, Clone)]
struct Example {
    args: Vec<String>,
    exits_one: bool,
    line: usize,
}

/// Splits a command line as a shell would for these examples: words, double-quoted words, and
/// a `#` comment to the end.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            '#' if !quoted && !any => break,
            c if c.is_whitespace() && !quoted => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(cur);
    }
    out
}

/// The examples of a README text.
fn examples(readme: &str) -> Vec<Example> {
    const PREFIX: &str = "cargo run --release --";
    let mut out = Vec::new();
    let mut in_sh = false;
    let mut comment_says_one = false;
    let mut pending: Option<(String, usize)> = None;
    for (i, raw) in readme.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with("```") {
            in_sh = !in_sh && line == "```sh";
            comment_says_one = false;
            continue;
        }
        if !in_sh {
            continue;
        }
        let (text, start) = match pending.take() {
            Some((t, s)) => (format!("{t} {line}"), s),
            None => (line.to_string(), i + 1),
        };
        if let Some(body) = text.strip_suffix('\\') {
            pending = Some((body.trim_end().to_string(), start));
            continue;
        }
        if text.starts_with('#') {
            comment_says_one |= text.contains("exits 1");
            continue;
        }
        if let Some(rest) = text.strip_prefix(PREFIX) {
            out.push(Example {
                args: words(rest),
                exits_one: comment_says_one || text.contains("exits 1"),
                line: start,
            });
        }
        comment_says_one = false;
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir").flatten() {
        let p = e.path();
        let dest = to.join(e.file_name());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).expect("copy");
        }
    }
}

/// A fresh folder holding copies of data/ and examples/.
fn sandbox(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("quid-readme-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&root().join("data"), &dir.join("data"));
    copy_dir(&root().join("examples"), &dir.join("examples"));
    dir
}

/// Expands a `*` in the last component of a path, as the shell would (sorted).
fn glob(dir: &Path, arg: &str) -> Vec<String> {
    if !arg.contains('*') {
        return vec![arg.to_string()];
    }
    let (parent, pattern) = arg.rsplit_once('/').unwrap_or(("", arg));
    let (pre, post) = pattern.split_once('*').expect("a star");
    let mut found: Vec<String> = std::fs::read_dir(dir.join(parent))
        .expect("glob folder")
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.starts_with(pre) && n.ends_with(post))
        .map(|n| {
            if parent.is_empty() {
                n
            } else {
                format!("{parent}/{n}")
            }
        })
        .collect();
    found.sort();
    found
}

/// `quid serve` runs until it is stopped, so its example is started as written but on a free
/// port (`--bind 127.0.0.1:0`: the README's 8080 may be taken on the machine running the tests);
/// it must say where it listens and answer GET /api/v1/health with status ok; it is then stopped.
fn run_server(dir: &Path, e: &Example, mut args: Vec<String>) -> Option<String> {
    use std::io::{BufRead, BufReader, Read, Write};
    if let Some(k) = args.iter().position(|a| a == "--bind") {
        args[k + 1] = "127.0.0.1:0".to_string();
    } else {
        args.extend(["--bind".to_string(), "127.0.0.1:0".to_string()]);
    }
    let shown = format!("README.md:{}: quid {}", e.line, args.join(" "));
    let mut child = match Command::new(env!("CARGO_BIN_EXE_quid"))
        .args(&args)
        .current_dir(dir)
        .env_remove("QUID_WORKSPACE")
        .env_remove("QUID_DATA")
        .env("QUID_KEY_DIR", dir.join("keys"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(err) => return Some(format!("{shown}: cannot start: {err}")),
    };
    let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    let answer = match first
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
    {
        None => Err(format!("said no address: {first:?}")),
        Some(addr) => std::net::TcpStream::connect(addr)
            .and_then(|mut s| {
                // A guard against a hang, not a timing.
                s.set_read_timeout(Some(std::time::Duration::from_secs(600)))?;
                let req = format!(
                    "GET /api/v1/health HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
                );
                s.write_all(req.as_bytes())?;
                let mut resp = String::new();
                s.read_to_string(&mut resp)?;
                Ok(resp)
            })
            .map_err(|err| format!("GET /api/v1/health on {addr}: {err}")),
    };
    let _ = child.kill();
    let _ = child.wait();
    match answer {
        Err(why) => Some(format!("{shown}: {why}")),
        Ok(resp) if resp.starts_with("HTTP/1.1 200") && resp.contains(r#""status":"ok""#) => None,
        Ok(resp) => Some(format!("{shown}: GET /api/v1/health answered {resp}")),
    }
}

/// Runs one example in `dir`; returns a failure message, if any.
fn run(dir: &Path, e: &Example, cache: &Path) -> Option<String> {
    let args: Vec<String> = e.args.iter().flat_map(|a| glob(dir, a)).collect();
    if args.first().map(String::as_str) == Some("serve") {
        return run_server(dir, e, args);
    }
    let out = Command::new(env!("CARGO_BIN_EXE_quid"))
        .args(&args)
        .current_dir(dir)
        .env_remove("QUID_WORKSPACE")
        .env_remove("QUID_DATA")
        .env("QUID_KEY_DIR", dir.join("keys"))
        .env("QUID_CACHE", cache)
        .output()
        .expect("run quid");
    let want = if e.exits_one { 1 } else { 0 };
    if out.status.code() != Some(want) {
        return Some(format!(
            "README.md:{}: quid {} exited {:?}, expected {want}: {}",
            e.line,
            args.join(" "),
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    // Every file the example names with --chart or --output is written.
    for flag in ["--chart", "--output"] {
        if let Some(k) = args.iter().position(|a| a == flag) {
            let path = dir.join(&args[k + 1]);
            if !path.is_file() {
                return Some(format!(
                    "README.md:{}: quid {} wrote no {}",
                    e.line,
                    args.join(" "),
                    path.display()
                ));
            }
        }
    }
    None
}

#[test]
fn the_examples_are_found() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let ex = examples(&readme);
    // The README's examples, continuation lines joined: 37 as of issue 16.
    assert!(ex.len() >= 37, "{}", ex.len());
    let duty = ex
        .iter()
        .find(|e| e.args.contains(&"--explain".to_string()))
        .expect("the --explain example");
    assert_eq!(
        duty.args.join(" "),
        "duty --importer US --origin CA --hts 7208.10.15.00 --value 100000 --date 2025-07-01 --explain"
    );
    let batch: Vec<&Example> = ex
        .iter()
        .filter(|e| e.args.contains(&"--input".to_string()))
        .collect();
    assert!(batch.len() == 2 && batch.iter().all(|e| e.exits_one));
    assert_eq!(words(r#"a "b c" # d"#), ["a", "b c"]);
}

#[test]
fn every_readme_example_runs_as_written() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let all = examples(&readme);
    let cache = std::env::temp_dir().join(format!("quid-readme-cache-{}", std::process::id()));
    // The ledger and manifest examples run in order in one folder (ledger add, then verify,
    // export and list read the workspace it created; manifest --write rewrites a file the
    // others read); the rest in parallel in another.
    let sequential = |e: &&Example| {
        matches!(
            e.args.first().map(String::as_str),
            Some("ledger") | Some("data")
        )
    };
    let (seq, par): (Vec<&Example>, Vec<&Example>) = all.iter().partition(sequential);
    let a = sandbox("seq");
    let b = sandbox("par");
    let mut failures: Vec<String> = std::thread::scope(|s| {
        let first = s.spawn(|| {
            seq.iter()
                .filter_map(|e| run(&a, e, &cache))
                .collect::<Vec<_>>()
        });
        let mut f: Vec<String> = par.par_iter().filter_map(|e| run(&b, e, &cache)).collect();
        f.extend(first.join().expect("sequential examples"));
        f
    });
    // The ledger file of docs/ledger-format.md, one move of every kind, is accepted whole.
    let doc = std::fs::read_to_string(root().join("docs/ledger-format.md")).expect("doc");
    let toml = doc
        .split("```toml\n")
        .nth(1)
        .and_then(|t| t.split("```").next())
        .expect("a toml block");
    std::fs::write(a.join("kinds.toml"), toml).expect("write");
    for args in [
        &["ledger", "add", "kinds.toml", "--workspace", "kinds.sqlite"][..],
        &["ledger", "check", "--workspace", "kinds.sqlite"],
    ] {
        let e = Example {
            args: args.iter().map(|s| s.to_string()).collect(),
            exits_one: false,
            line: 0,
        };
        failures.extend(run(&a, &e, &cache));
    }
    let _ = std::fs::remove_dir_all(&a);
    let _ = std::fs::remove_dir_all(&b);
    let _ = std::fs::remove_dir_all(&cache);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
