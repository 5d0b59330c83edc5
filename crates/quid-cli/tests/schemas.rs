//! The output contract (docs/output.md): every published JSON Schema in docs/schemas/ is the one
//! the report types generate (regenerate with `QUID_WRITE_SCHEMAS=1 cargo test -p quid --test
//! schemas`), and each command's JSON output validates against its schema.

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn text(v: &Value) -> String {
    serde_json::to_string_pretty(v).expect("schema text") + "\n"
}

#[test]
fn committed_schemas_are_the_generated_ones() {
    let dir = root().join("docs/schemas");
    let write = std::env::var_os("QUID_WRITE_SCHEMAS").is_some();
    let mut stale = Vec::new();
    for (name, schema) in quid_app::contract::schemas() {
        let path = dir.join(format!("{name}.json"));
        let want = text(&schema);
        if write {
            std::fs::create_dir_all(&dir).expect("docs/schemas");
            std::fs::write(&path, &want).expect("write schema");
            continue;
        }
        if std::fs::read_to_string(&path).ok().as_deref() != Some(want.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "schemas differ from the report types (regenerate with QUID_WRITE_SCHEMAS=1 cargo test -p quid --test schemas): {stale:?}"
    );
}

/// Validates `v` against `schema` (the subset of JSON Schema the generated schemas use: type,
/// properties, required, additionalProperties, items, enum, const, $ref, anyOf, oneOf, allOf,
/// format date, minimum); returns every violation with its JSON pointer.
fn validate(schema: &Value, v: &Value, root: &Value, at: &str, errs: &mut Vec<String>) {
    let Some(s) = schema.as_object() else {
        if schema == &Value::Bool(false) {
            errs.push(format!("{at}: not allowed"));
        }
        return;
    };
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let target = r
            .strip_prefix('#')
            .and_then(|p| root.pointer(p))
            .unwrap_or_else(|| panic!("unresolved $ref {r}"));
        validate(target, v, root, at, errs);
    }
    if let Some(t) = s.get("type") {
        let types: Vec<&str> = match t {
            Value::String(x) => vec![x.as_str()],
            Value::Array(xs) => xs.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let ok = types.iter().any(|t| match *t {
            "null" => v.is_null(),
            "boolean" => v.is_boolean(),
            "string" => v.is_string(),
            "number" => v.is_number(),
            "integer" => v.is_i64() || v.is_u64(),
            "array" => v.is_array(),
            "object" => v.is_object(),
            _ => false,
        });
        if !ok {
            errs.push(format!("{at}: {v} is not of type {types:?}"));
            return;
        }
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array) {
        if !e.contains(v) {
            errs.push(format!("{at}: {v} not in {e:?}"));
        }
    }
    if let Some(c) = s.get("const") {
        if c != v {
            errs.push(format!("{at}: {v} is not {c}"));
        }
    }
    if let Some(min) = s.get("minimum").and_then(Value::as_f64) {
        if v.as_f64().is_some_and(|x| x < min) {
            errs.push(format!("{at}: {v} below {min}"));
        }
    }
    if s.get("format").and_then(Value::as_str) == Some("date") {
        if let Some(d) = v.as_str() {
            let b = d.as_bytes();
            let ok = b.len() == 10
                && b[4] == b'-'
                && b[7] == b'-'
                && d.chars()
                    .enumerate()
                    .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
            if !ok {
                errs.push(format!("{at}: {d:?} is not a date"));
            }
        }
    }
    for (key, all) in [("anyOf", false), ("oneOf", false), ("allOf", true)] {
        if let Some(alts) = s.get(key).and_then(Value::as_array) {
            let passing = alts
                .iter()
                .filter(|a| {
                    let mut e = Vec::new();
                    validate(a, v, root, at, &mut e);
                    e.is_empty()
                })
                .count();
            let ok = if all {
                passing == alts.len()
            } else if key == "oneOf" {
                passing == 1
            } else {
                passing >= 1
            };
            if !ok {
                errs.push(format!(
                    "{at}: {v} fails {key} ({passing} of {} pass)",
                    alts.len()
                ));
            }
        }
    }
    if let (Some(items), Some(arr)) = (s.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            validate(items, x, root, &format!("{at}/{i}"), errs);
        }
    }
    if let Some(obj) = v.as_object() {
        let props = s.get("properties").and_then(Value::as_object);
        if let Some(req) = s.get("required").and_then(Value::as_array) {
            for k in req.iter().filter_map(Value::as_str) {
                if !obj.contains_key(k) {
                    errs.push(format!("{at}: missing {k}"));
                }
            }
        }
        for (k, x) in obj {
            let here = format!("{at}/{k}");
            match props.and_then(|p| p.get(k)) {
                Some(ps) => validate(ps, x, root, &here, errs),
                None => {
                    if let Some(extra) = s.get("additionalProperties") {
                        validate(extra, x, root, &here, errs);
                    }
                }
            }
        }
    }
}

fn schema(name: &str) -> Value {
    quid_app::contract::schemas()
        .into_iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no schema {name}"))
        .1
}

fn json_of(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_quid"))
        .args(args)
        .args(["--format", "json"])
        .env(
            "QUID_WORKSPACE",
            std::env::temp_dir().join("quid-schemas-none.sqlite"),
        )
        .current_dir(root())
        .output()
        .expect("run quid");
    assert!(
        out.status.code() == Some(0),
        "quid {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("quid {args:?} printed no JSON ({e})"))
}

fn check(name: &str, args: &[&str]) -> Value {
    let s = schema(name);
    let v = json_of(args);
    let mut errs = Vec::new();
    validate(&s, &v, &s, "", &mut errs);
    assert!(errs.is_empty(), "quid {args:?} against {name}: {errs:#?}");
    v
}

#[test]
fn tables_validate_with_typed_cells() {
    let r = check(
        "rates",
        &[
            "rates",
            "--importer",
            "US",
            "--partner",
            "CA",
            "--date",
            "2025-08-15",
            "--hts",
            "7208.10.15",
        ],
    );
    // Hand-checked: 7208.10.15.00 is free under MFN and charged 50% under Section 232 steel
    // (Proclamation 10947, from 2025-06-04), claim or not.
    assert_eq!(r[0]["claim"], false);
    assert_eq!(r[1]["claim"], true);
    assert_eq!(r[0]["total_pct"].as_f64(), Some(50.0));
    assert_eq!(r[0]["s232_steel_pct"].as_f64(), Some(50.0));
    check(
        "rates-interval",
        &[
            "rates",
            "--importer",
            "US",
            "--partner",
            "CA",
            "--from",
            "2025-03-01",
            "--to",
            "2025-03-10",
            "--hts",
            "7208.10.15",
        ],
    );
    let e = check(
        "etr",
        &[
            "etr",
            "--importer",
            "US",
            "--partner",
            "CA",
            "--from",
            "2025-02-20",
            "--to",
            "2025-03-10",
            "--by",
            "authority",
        ],
    );
    assert_eq!(e[0]["ieepa_ca_pct"].as_f64(), Some(0.0));
    let m = check(
        "measures-list",
        &[
            "measures",
            "list",
            "--importer",
            "US",
            "--date",
            "2025-08-15",
        ],
    );
    let ieepa_mx = m
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["id"] == "US-IEEPA-MX.general"))
        .expect("IEEPA Mexico");
    assert_eq!(ieepa_mx["status"], "struck_down");
    assert_eq!(ieepa_mx["base"], "full_value");
    let s = check(
        "schedule-search",
        &[
            "schedule",
            "search",
            "hot-rolled",
            "pickled",
            "--importer",
            "US",
        ],
    );
    // A heading with no rate of its own: null, never "".
    let heading = s
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["code"] == "7208.25"))
        .expect("7208.25");
    assert_eq!(heading["mfn"], Value::Null);
    let l = check(
        "ledger-list",
        &["ledger", "list", "--as-known-on", "2024-12-31"],
    );
    assert_eq!(l[0]["kind"], "spending");
    assert_eq!(l[0]["implemented"], Value::Null);
}

#[test]
fn records_and_checks_validate() {
    let m = check(
        "measures-show",
        &[
            "measures",
            "show",
            "US-S232-SA-2.steel-articles",
            "--date",
            "2026-12-06",
        ],
    );
    // Ended 2026-04-05 (replaced by the annex regime): not in force on 2026-12-06.
    assert_eq!(m["status_on_date"], "ended");
    assert_eq!(m["last_day"], "2026-04-05");
    let m = check(
        "measures-show",
        &[
            "measures",
            "show",
            "US-S232-SA-2.steel-articles",
            "--date",
            "2025-08-15",
        ],
    );
    assert_eq!(m["status_on_date"], "in_force");
    let l = check(
        "schedule-show",
        &[
            "schedule",
            "show",
            "8703.23.01",
            "--importer",
            "US",
            "--date",
            "2025-07-01",
        ],
    );
    assert_eq!(l["mfn"], "2.5%");
    assert_eq!(l["usmca_rate"], "Free");
    check("measures-check", &["measures", "check"]);
    check("ledger-check", &["ledger", "check"]);
    check("schedule-check", &["schedule", "check"]);
    let d = check("data-check", &["data", "check"]);
    assert_eq!(d["ok"], true);
    // US general imports from Canada in 2024 (BTS): US$412.7 bn, money to the cent.
    let bts = d["totals"]["bts_imports_from_canada"]
        .as_f64()
        .expect("number");
    assert!((bts / 1e9 - 412.7).abs() < 0.05, "{bts}");
}

#[test]
fn duty_and_batch_validate() {
    let a = check(
        "duty",
        &[
            "duty",
            "--importer",
            "US",
            "--origin",
            "CA",
            "--hts",
            "9403.60.80.81",
            "--value",
            "10000",
            "--date",
            "2025-04-01",
        ],
    );
    // Hand-checked: furniture of Canada on 2025-04-01, no USMCA claim: free under MFN, IEEPA
    // Canada 25% (EO 14193) = 2500.00, all of it refundable after the ruling of 2026-02-20.
    assert_eq!(a["total"].as_f64(), Some(2500.0));
    assert_eq!(a["owed_after_ruling"].as_f64(), Some(0.0));
    assert_eq!(a["refundable"].as_f64(), Some(2500.0));
    assert_eq!(a["entry"]["value"].as_f64(), Some(10000.0));
    assert_eq!(a["layers"][0]["authority"], "ieepa-ca");
    // Money keeps its two decimals in the text.
    let out = Command::new(env!("CARGO_BIN_EXE_quid"))
        .args([
            "duty",
            "--importer",
            "US",
            "--origin",
            "CA",
            "--hts",
            "9403.60.80.81",
        ])
        .args([
            "--value",
            "10000",
            "--date",
            "2025-04-01",
            "--format",
            "json",
        ])
        .current_dir(root())
        .output()
        .expect("run quid");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\"total\": 2500.00,"), "{text}");
    assert!(text.contains("\"value\": 10000.00,"), "{text}");

    let b = check(
        "duty-bom",
        &[
            "duty",
            "--origin",
            "MX",
            "--hts",
            "8703.23.01.90",
            "--date",
            "2026-03-01",
            "--value",
            "36000",
            "--bom",
            "data/roo/examples/sedan_mx.toml",
        ],
    );
    assert!(b["rules_of_origin"]["verdict"].is_string());
    assert_eq!(b["assessment"]["entry"]["value"].as_f64(), Some(36000.0));

    let dir = std::env::temp_dir().join(format!("quid-schemas-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::copy(root().join("examples/entries.csv"), dir.join("entries.csv")).expect("copy");
    let out = Command::new(env!("CARGO_BIN_EXE_quid"))
        .args(["--data", &root().join("data").display().to_string()])
        .args([
            "duty",
            "--input",
            "entries.csv",
            "--output",
            "duties.csv",
            "--format",
            "json",
        ])
        .current_dir(&dir)
        .output()
        .expect("run quid");
    // Two lines of the sample are bad on purpose: exit status 1, and it says so.
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("exit status 1: 2 lines were rejected"));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    let s = schema("batch");
    let mut errs = Vec::new();
    validate(&s, &v, &s, "", &mut errs);
    assert!(errs.is_empty(), "{errs:#?}");
    // USD and CAD apart: coil 50000.00 + car 6000.00 + furniture 2500.00 in US dollars; the
    // Canadian surtax on US steel 25000.00 in Canadian dollars.
    assert_eq!(v["total_duty"]["usd"].as_f64(), Some(58500.0));
    assert_eq!(v["total_duty"]["cad"].as_f64(), Some(25000.0));
    assert_eq!(v["refundable"]["usd"].as_f64(), Some(2500.0));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_validator_refuses_what_the_contract_forbids() {
    let s = schema("rates");
    let bad = serde_json::json!([{"hts": "7208.10.15.00", "partner": "CA", "claim": "false",
        "total_pct": "50.0000", "base_known": true}]);
    let mut errs = Vec::new();
    validate(&s, &bad, &s, "", &mut errs);
    // A boolean and a number printed as strings: two violations.
    assert_eq!(errs.len(), 2, "{errs:#?}");
}

#[test]
fn the_balance_validates() {
    let b = check("balance", &["balance", "--as-known-on", "2026-02-19"]);
    // Concessions as named objects; a declared amount as money (C$7.2 bn, the DST rescission).
    let tax = b["concessions_by_ca"]
        .as_array()
        .and_then(|c| c.iter().find(|x| x["category"] == "tax"))
        .expect("tax concessions");
    assert_eq!(tax["moves"], 1);
    let declared = b["accounting"]["sides"][0]["declared_concessions"][0]["declared"]["amount"]
        .as_f64()
        .expect("money");
    assert_eq!(declared, 7.2e9);
}

#[test]
fn scenarios_negotiation_and_rules_of_origin_validate() {
    let r = check(
        "scenario-run",
        &[
            "scenario",
            "run",
            "data/scenarios/roo_lvc_50.toml",
            "--draws",
            "0",
        ],
    );
    assert_eq!(r["scenario"]["start"].as_str().map(str::len), Some(10));
    check(
        "scenario-compare",
        &[
            "scenario",
            "compare",
            "data/scenarios/canada_ask.toml",
            "--draws",
            "0",
        ],
    );
    let n = check(
        "negotiate",
        &[
            "negotiate",
            "--between",
            "CA",
            "US",
            "--since",
            "2025-01-01",
        ],
    );
    assert!(n["candidates"].as_array().is_some_and(|c| !c.is_empty()));
    let roo = check(
        "roo-check",
        &[
            "roo",
            "check",
            "data/roo/examples/pickup_ca.toml",
            "--date",
            "2026-03-01",
        ],
    );
    // As in the README: transaction value 46000.00, US content 13500.00 (29.3478%); labour
    // value content 42% against 45%.
    assert_eq!(
        roo["duty_base"]["transaction_value"].as_f64(),
        Some(46000.0)
    );
    assert_eq!(roo["duty_base"]["us_content_value"].as_f64(), Some(13500.0));
    let lvc = roo["result"]["tests"]
        .as_array()
        .and_then(|t| t.iter().find(|x| x["name"] == "labour value content"))
        .expect("LVC");
    assert_eq!(lvc["value"].as_f64(), Some(0.42));
    assert_eq!(lvc["threshold"].as_f64(), Some(0.45));
    assert_eq!(lvc["passed"], false);
}
