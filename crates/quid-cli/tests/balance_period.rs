//! The balance's period (issue 16): without `--until` it ends on the as-known-on date, never on
//! the newest move before it; the rule is printed; and no chart is written unless asked.

use std::process::Command;

fn balance(dir: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");
    Command::new(env!("CARGO_BIN_EXE_quid"))
        .args(["--data", data, "balance"])
        .args(extra)
        .current_dir(dir)
        .env_remove("QUID_WORKSPACE")
        .output()
        .expect("run quid")
}

fn temp(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("quid-period-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("tmp");
    dir
}

#[test]
fn the_period_ends_on_the_as_known_on_date() {
    let dir = temp("json");
    // Known on 2026-02-19: the newest move known then is dated 2026-02-01 (the old end); the
    // period now runs to 2026-02-19 itself.
    let out = balance(&dir, &["--as-known-on", "2026-02-19", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(r["balance"]["until"], "2026-02-19");
    assert!(r["period_end"]
        .as_str()
        .is_some_and(|s| s.contains("as-known-on date, 2026-02-19")));

    // Known on 2026-03-01: the ruling of 2026-02-20 (Learning Resources, Inc. v. Trump) is
    // known and IEEPA collection ends on 2026-02-24; the period runs on to 2026-03-01, so the
    // state after the ruling lasts six days (2026-02-24 to 2026-03-01), not zero.
    let out = balance(&dir, &["--as-known-on", "2026-03-01", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(r["balance"]["until"], "2026-03-01");
    let burdens = r["burdens"].as_array().expect("burdens");
    let last = burdens.last().expect("a point");
    assert_eq!(last["date"], "2026-02-24");
    let before = &burdens[burdens.len() - 2];
    // The US burden falls when the IEEPA duty ends (45.39 -> 23.23 US$ bn/yr, as printed).
    let bn = |p: &serde_json::Value| p["us_on_ca_usd"].as_f64().expect("usd") / 1e9;
    assert!((bn(before) - 45.39).abs() < 0.005, "{}", bn(before));
    assert!((bn(last) - 23.23).abs() < 0.005, "{}", bn(last));

    // No chart was written: none was asked for.
    let svgs: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "svg"))
        .collect();
    assert!(svgs.is_empty(), "{svgs:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_table_prints_the_end_rule_and_chart_writes_only_when_asked() {
    let dir = temp("table");
    let out = balance(
        &dir,
        &["--as-known-on", "2026-02-19", "--chart", "before.svg"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with(
        "Canada-United States reciprocity balance, 2025-01-01 to 2026-02-19 (as known on 2026-02-19)\n(the period ends on the as-known-on date, 2026-02-19"
    ), "{text}");
    assert!(dir.join("before.svg").is_file());
    assert!(dir.join("before-sectors.svg").is_file());
    let _ = std::fs::remove_dir_all(&dir);
}
