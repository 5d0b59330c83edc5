//! The main job and the ledger commands, through the binary, on the bundled data.

use std::path::PathBuf;
use std::process::{Command, Output};

fn quid(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quid"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .env_remove("QUID_WORKSPACE")
        .env("QUID_KEY_DIR", keys().dir)
        .output()
        .expect("run quid")
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = quid(args);
    assert!(
        out.status.success(),
        "quid {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/ledger/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// The workspace keys of this test run, apart from the user's own.
fn keys() -> quid_store::KeyStore {
    quid_store::KeyStore::at(
        std::env::temp_dir().join(format!("quid-test-keys-{}", std::process::id())),
    )
}

fn temp_workspace(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("quid-test-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("tmp");
    dir.join("ws.sqlite")
}

fn moves(report: &serde_json::Value) -> &Vec<serde_json::Value> {
    report["balance"]["moves"].as_array().expect("moves")
}

fn find<'a>(report: &'a serde_json::Value, announcement: &str) -> Vec<&'a serde_json::Value> {
    moves(report)
        .iter()
        .filter(|m| m["announcement"] == announcement)
        .collect()
}

#[test]
fn the_balance_shows_both_sides_concessions_with_values_and_citations() {
    let r = json(&[
        "balance",
        "--between",
        "CA",
        "US",
        "--as-known-on",
        "2026-11-26",
        "--format",
        "json",
        "--no-chart",
    ]);
    // Canada's 2025-09-01 rollback (SOR/2025-181): liberalising, valued, cited.
    let rollback = find(&r, "CA-2025-08-29-SURTAX-REPEAL");
    assert!(!rollback.is_empty());
    for m in &rollback {
        assert_eq!(m["evaluation"], "liberalising");
        assert!(
            m["value_usd_per_year"].as_f64().expect("valued") < 0.0,
            "{m}"
        );
        assert!(m["sources"][0]["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("http")));
    }
    // The DST rescission: a tax concession with its declared value and source.
    let dst = find(&r, "CA-2025-06-29-DST-RESCIND");
    let tax = dst
        .iter()
        .find(|m| m["category"] == "tax")
        .expect("tax move");
    assert_eq!(tax["declared"]["currency"], "CAD");
    // Money: a number (C$7.2 bn), never a string.
    assert_eq!(tax["declared"]["amount"].as_f64(), Some(7.2e9));
    // US measures on the other side, with the USMCA exemption as a partial relief.
    let exempt = find(&r, "US-2025-03-06-IEEPA-USMCA-EXEMPT");
    assert!(exempt[0]["value_usd_per_year"].as_f64().expect("valued") < 0.0);
    let steel = find(&r, "US-2025-06-03-S232-SA-50");
    assert!(steel[0]["value_usd_per_year"].as_f64().expect("valued") > 0.0);
    // Declared concessions are never added to tariff dollars.
    assert!(tax["value_usd_per_year"].is_null());
}

#[test]
fn knowledge_before_and_after_the_ieepa_ruling_differs() {
    let before = json(&[
        "balance",
        "--as-known-on",
        "2026-02-19",
        "--until",
        "2026-02-28",
        "--format",
        "json",
        "--no-chart",
    ]);
    let after = json(&[
        "balance",
        "--as-known-on",
        "2026-03-01",
        "--until",
        "2026-02-28",
        "--format",
        "json",
        "--no-chart",
    ]);
    assert!(find(&before, "US-2026-02-20-IEEPA-RULING").is_empty());
    let ruling = find(&after, "US-2026-02-20-IEEPA-RULING");
    assert!(ruling[0]["value_usd_per_year"].as_f64().expect("valued") < 0.0);
    assert!(ruling[0]["refundable_usd"].as_f64().expect("refundable") > 1e9);
    // On 2026-02-26 the IEEPA duty was still believed in force before the ruling was known.
    let burden_on = |r: &serde_json::Value| -> f64 {
        r["burdens"]
            .as_array()
            .expect("burdens")
            .iter()
            .rfind(|p| p["date"].as_str().is_some_and(|d| d <= "2026-02-26"))
            .expect("point")["us_on_ca_usd"]
            .as_f64()
            .expect("number")
    };
    assert!(
        burden_on(&before) > burden_on(&after) + 5e9,
        "{} vs {}",
        burden_on(&before),
        burden_on(&after)
    );
}

#[test]
fn ledger_check_passes_on_the_bundled_ledger() {
    let out = quid(&["ledger", "check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn bad_entries_are_refused_with_the_field_and_nothing_is_written() {
    for (file, needle) in [
        (
            "unknown_measure.toml",
            "unknown measure \"CA-NO-SUCH-MEASURE\"",
        ),
        ("date_out_of_order.toml", "field recorded"),
        ("missing_citation.toml", "field sources"),
        ("duplicate.toml", "duplicate"),
    ] {
        let ws = temp_workspace(file);
        let out = quid(&[
            "ledger",
            "add",
            &fixture(file),
            "--workspace",
            ws.to_str().expect("path"),
        ]);
        assert!(!out.status.success(), "{file} was accepted");
        let msg = String::from_utf8_lossy(&out.stderr);
        assert!(msg.contains(needle), "{file}: {msg}");
        let n = quid_store::Workspace::open_with(&ws, &keys())
            .expect("db")
            .entries()
            .expect("read")
            .len();
        assert_eq!(n, 0, "{file}: something was written");
    }
}

#[test]
fn ledger_verify_catches_a_tampered_workspace() {
    let ws = temp_workspace("verify");
    let w = ws.to_str().expect("path");
    let out = quid(&["ledger", "add", &fixture("valid.toml"), "--workspace", w]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(quid(&["ledger", "verify", "--workspace", w])
        .status
        .success());
    // The user's entry counts in the balance.
    let r = json(&[
        "balance",
        "--workspace",
        w,
        "--format",
        "json",
        "--no-chart",
    ]);
    assert_eq!(find(&r, "USER-2026-10-01-BORDER-TOPUP").len(), 1);
    // Tamper with the file behind quid's back.
    let db = quid_store::Workspace::open_with(&ws, &keys()).expect("db");
    db.connection()
        .execute_batch("DROP TRIGGER entries_no_update; UPDATE entries SET body = replace(body, '250000000', '950000000');")
        .expect("tamper");
    let out = quid(&["ledger", "verify", "--workspace", w]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("edited"));
}

#[test]
fn ledger_export_and_import_round_trip() {
    let ws = temp_workspace("export");
    let w = ws.to_str().expect("path");
    assert!(
        quid(&["ledger", "add", &fixture("valid.toml"), "--workspace", w])
            .status
            .success()
    );
    let dir = ws.parent().expect("dir").to_path_buf();
    for ext in ["json", "csv"] {
        let file = dir.join(format!("out.{ext}"));
        let f = file.to_str().expect("path");
        assert!(quid(&[
            "ledger",
            "export",
            "--output",
            f,
            "--workspace-only",
            "--workspace",
            w
        ])
        .status
        .success());
        let other = temp_workspace(&format!("import-{ext}"));
        let out = quid(&[
            "ledger",
            "import",
            f,
            "--workspace",
            other.to_str().expect("path"),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let a = quid_store::Workspace::open_with(&ws, &keys())
            .expect("db")
            .ledger()
            .expect("read");
        let b = quid_store::Workspace::open_with(&other, &keys())
            .expect("db")
            .ledger()
            .expect("read");
        assert_eq!(a, b, "{ext}");
    }
}

#[test]
fn a_cimt_file_weights_canadas_measures_at_item_level() {
    let cimt = format!(
        "{}/tests/fixtures/cimt_sample.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    let r = json(&["balance", "--cimt", &cimt, "--format", "json", "--no-chart"]);
    let notes = r["notes"].as_array().expect("notes");
    assert!(notes
        .iter()
        .any(|n| n.as_str().is_some_and(|t| t.contains("CIMT"))));
    // The burden on US goods comes from the sample's items alone: US steel (SOR/2025-95
    // Schedule 2) pays the 25% surtax on C$400M of 2024 imports, and US passenger cars
    // (SOR/2025-118) 25% on their value less the order's minimum 15% Canadian/Mexican content,
    // on C$900M; converted to USD at the 2024 annual rate. (The HS2 stand-in gives about
    // US$24 billion instead.)
    let points = r["burdens"].as_array().expect("burdens");
    let may = points
        .iter()
        .rfind(|p| p["date"].as_str().is_some_and(|d| d <= "2025-05-01"))
        .expect("point");
    let cad = r["cad_per_usd"].as_f64().expect("rate");
    let want = (400e6 * 0.25 + 900e6 * 0.85 * 0.25) / cad;
    let got = may["ca_on_us_usd"].as_f64().expect("number");
    assert!((got - want).abs() < 0.01 * want, "{got} vs {want}");
}

#[test]
fn a_bad_cimt_file_is_refused_with_its_line() {
    let dir = std::env::temp_dir().join(format!("quid-cimt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "hs,country,province,value,quantity,year,month\n72081,US,ON,100,1,2024,1\n",
    )
    .expect("write");
    let out = quid(&[
        "balance",
        "--cimt",
        bad.to_str().expect("path"),
        "--no-chart",
    ]);
    assert!(!out.status.success());
    let msg = String::from_utf8_lossy(&out.stderr);
    assert!(msg.contains(":2") && msg.contains("hs"), "{msg}");
}
