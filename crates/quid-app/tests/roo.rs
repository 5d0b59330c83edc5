//! Rules of origin as use cases on the bundled data: `roo check` on the illustrative vehicles,
//! `duty --bom` taking the evaluated US content, the refusal of a partial bill, and a scenario's
//! rules-of-origin moves.
//!
//! Legal basis of the duties checked: Proclamation 10908 (2025-03-26, clause 3), passenger
//! vehicles at 25% from 2025-04-03, on the non-US content of a USMCA-qualifying vehicle and on
//! the full value otherwise; HTSUS 8703.22.01 at 2.5% column 1 general.

use quid_app::roo::{self, CheckRequest, RooMove};
use quid_app::{App, EngineOptions};
use quid_core::parse_date;
use quid_engine::EntryRecord;
use quid_roo::Verdict;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");

fn app() -> App {
    App::new(Some(Path::new(DATA)), parse_date("2026-12-06").unwrap()).unwrap()
}

fn example(name: &str) -> PathBuf {
    Path::new(DATA).join("roo/examples").join(name)
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn record(origin: &str, hts: &str, value: &str) -> EntryRecord {
    EntryRecord {
        importer: "US".into(),
        origin: origin.into(),
        hts: hts.into(),
        date: "2026-03-01".into(),
        value: value.into(),
        ..EntryRecord::default()
    }
}

#[test]
fn check_reports_the_duty_base() {
    let r = roo::check(
        &app(),
        &CheckRequest {
            bom: example("sedan_mx.toml"),
            date: Some(parse_date("2026-03-01").unwrap()),
        },
    )
    .unwrap();
    assert!(r.result.qualifies);
    // US originating components 10000 of the transaction value 36000; non-US 26000.
    assert_eq!(r.duty_base.us_content_value, d("10000"));
    assert_eq!(r.duty_base.non_us_content_value, d("26000"));
    assert!(r.duty_base.usable);
    // The pickup's components come from its CSV: 11 rows.
    let p = roo::check(
        &app(),
        &CheckRequest {
            bom: example("pickup_ca.toml"),
            date: Some(parse_date("2026-03-01").unwrap()),
        },
    )
    .unwrap();
    assert_eq!(p.result.verdict, Verdict::DoesNotQualify);
}

#[test]
fn duty_takes_the_evaluated_us_content() {
    let app = app();
    let engine = app.engine(&EngineOptions::default()).unwrap();
    // The sedan qualifies: preference claimed, 25% on the non-US content 36000 - 10000 = 26000
    // = 6500.00 (base duty free under USMCA).
    let b = roo::assess_with_bom(
        &app,
        &engine,
        &record("MX", "8703.23.01.90", "36000"),
        &example("sedan_mx.toml"),
    )
    .unwrap();
    assert!(b.assessment.entry.preference_claim);
    assert_eq!(b.assessment.layers.len(), 1);
    assert_eq!(b.assessment.layers[0].base, d("26000"));
    assert_eq!(b.assessment.total, d("6500"));
    // RVC, core parts (each part, super-core), LVC and its minimum, steel, aluminum.
    assert_eq!(b.roo.tests.len(), 7);
    // The compact fails RVC: no claim, 25% of 23000 = 5750 plus MFN 2.5% = 575: 6325.
    let b = roo::assess_with_bom(
        &app,
        &engine,
        &record("MX", "8703.22.01.00", "23000"),
        &example("compact_mx.toml"),
    )
    .unwrap();
    assert!(!b.assessment.entry.preference_claim);
    assert_eq!(b.assessment.total, d("6325"));
    assert!(b.notes[0].contains("failed: regional value content"));
    // Declared shares and a bill together are refused.
    let mut r = record("MX", "8703.23.01.90", "36000");
    r.us_content = Some("0.5".into());
    let e = roo::assess_with_bom(&app, &engine, &r, &example("sedan_mx.toml"))
        .err()
        .unwrap();
    assert!(e.to_string().contains("not both"), "{e}");
}

#[test]
fn canada_deducts_the_evaluated_canadian_and_mexican_content() {
    // The sedan's bill with the vehicle assembled in the US, entering Canada on 2025-06-01:
    // CA/MX originating components 8500 of 36000 = 23.61% (above SOR/2025-118's 15% floor);
    // the surtax is 25% of 36000 - 8500 = 27500 = 6875.00 (UST free).
    let dir = std::env::temp_dir().join(format!("quid-roo-ca-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(example("sedan_mx.toml"))
        .unwrap()
        .replace("assembly = \"MX\"", "assembly = \"US\"");
    let path = dir.join("sedan_us.toml");
    std::fs::write(&path, text).unwrap();
    let app = app();
    let engine = app.engine(&EngineOptions::default()).unwrap();
    let mut r = record("US", "8703.23.00.90", "36000");
    r.importer = "CA".into();
    r.date = "2025-06-01".into();
    let b = roo::assess_with_bom(&app, &engine, &r, &path).unwrap();
    assert!(b.assessment.entry.preference_claim);
    assert_eq!(b.assessment.layers.len(), 1);
    assert_eq!(b.assessment.layers[0].base, d("27500"));
    assert_eq!(b.assessment.total, d("6875"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_partial_bill_is_not_used_for_a_duty() {
    let dir = std::env::temp_dir().join(format!("quid-roo-partial-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(example("sedan_mx.toml"))
        .unwrap()
        .replace("other_costs = 6000", "other_costs = 5000\npartial = true");
    let path = dir.join("partial.toml");
    std::fs::write(&path, text).unwrap();
    let app = app();
    let engine = app.engine(&EngineOptions::default()).unwrap();
    let e = roo::assess_with_bom(
        &app,
        &engine,
        &record("MX", "8703.23.01.90", "36000"),
        &path,
    )
    .err()
    .unwrap();
    assert!(e.to_string().contains("partial"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn scenario_moves_change_qualification_and_duty() {
    let app = app();
    let engine = app.engine(&EngineOptions::default()).unwrap();
    let on = parse_date("2027-01-01").unwrap();
    // LVC for passenger vehicles at 50%: the sedan (45%) loses; its duty goes from 25% of the
    // non-US 26000 = 6500 to 25% of 36000 = 9000.
    let lvc = [RooMove {
        parameter: "lvc.passenger".into(),
        value: d("0.5"),
        from: None,
    }];
    let e = roo::scenario_effects(&app, &engine, &lvc, on).unwrap();
    let sedan = e.iter().find(|v| v.file == "sedan_mx.toml").unwrap();
    assert_eq!(
        (sedan.before, sedan.after),
        (Verdict::Qualifies, Verdict::DoesNotQualify)
    );
    assert_eq!(sedan.change, "loses");
    assert_eq!(
        (sedan.duty_before, sedan.duty_after),
        (Some(d("6500")), Some(d("9000")))
    );
    // RVC for passenger vehicles at 70%: the compact (72%) gains; 25% of 23000 = 5750 becomes
    // 25% of the non-US 23000 - 2000 = 21000 = 5250.
    let rvc = [RooMove {
        parameter: "rvc.passenger".into(),
        value: d("0.70"),
        from: None,
    }];
    let e = roo::scenario_effects(&app, &engine, &rvc, on).unwrap();
    let compact = e.iter().find(|v| v.file == "compact_mx.toml").unwrap();
    assert_eq!(compact.change, "gains");
    assert_eq!(
        (compact.duty_before, compact.duty_after),
        (Some(d("5750")), Some(d("5250")))
    );
    assert_eq!(e.len(), 5);
}

#[test]
fn scenario_file_roo_moves_are_checked() {
    let p = Path::new("t.toml");
    let s = quid_app::scenario::Scenario::parse(
        "name = \"t\"\nstart = \"2027-01-01\"\n[[roo]]\nparameter = \"lvc.passenger\"\nvalue = 0.5\n",
        p,
    )
    .unwrap();
    assert_eq!(s.roo[0].value, d("0.5"));
    let e = quid_app::scenario::Scenario::parse(
        "name = \"t\"\nstart = \"2027-01-01\"\n[[roo]]\nparameter = \"lvc.bicycle\"\nvalue = 0.5\n",
        p,
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("roo move 1 (lvc.bicycle): field parameter: unknown"),
        "{e}"
    );
    let e = quid_app::scenario::Scenario::parse(
        "name = \"t\"\nstart = \"2027-01-01\"\n[[roo]]\nparameter = \"lvc.passenger\"\nvalue = 50\n",
        p,
    )
    .unwrap_err();
    assert!(e.to_string().contains("must be at most 1"), "{e}");
}
