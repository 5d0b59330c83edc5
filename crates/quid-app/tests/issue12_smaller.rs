//! Regression tests for issue 12, item 8 ("smaller silences") in the use cases: a date past the
//! bundled data, a rate panel before the bundled editions, a partner equal to the importer, a
//! Yale vehicle factor out of bounds, and the JSON and CSV ledger imports' messages.

use quid_app::etr::{Convention, EtrRequest};
use quid_app::rates::{panel, RatesRequest};
use quid_app::weights::{ShareMode, WeightYear};
use quid_app::{duty, App, Engine, EngineOptions};
use quid_core::{parse_date, Country, HsCode};
use quid_engine::EntryRecord;
use std::path::Path;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");

fn app() -> App {
    App::new(Some(Path::new(DATA)), parse_date("2026-12-06").unwrap()).unwrap()
}

fn engine(app: &App) -> Engine {
    app.engine(&EngineOptions::default()).unwrap()
}

fn coil(date: &str) -> EntryRecord {
    EntryRecord {
        importer: "US".into(),
        origin: "CA".into(),
        hts: "7208.10.15.00".into(),
        date: date.into(),
        value: "100".into(),
        ..EntryRecord::default()
    }
}

#[test]
fn issue12_date_past_the_bundled_data_is_assessed_with_a_warning() {
    let app = app();
    let e = engine(&app);
    // The newest date in the bundled data: Annex III steel derivatives move to the Annex I-B
    // rate from 2028-01-01 (data/measures/us/s232_metals.toml, `until = "2028-01-01"`).
    assert_eq!(e.known_until(), Some(parse_date("2028-01-01").unwrap()));
    let a = duty::assess(&e, &coil("9999-12-31")).unwrap();
    // Still assessed: Section 232 steel, 50% of 100.
    assert_eq!(a.total.to_string(), "50.00");
    assert_eq!(
        duty::warnings(&e, &a.entry),
        [
            "the entry date 9999-12-31 is after 2028-01-01, the newest date in the bundled \
          measures and schedules: policy is known only up to 2028-01-01, and this assessment \
          applies what was in force then"
        ]
    );
    let a = duty::assess(&e, &coil("2025-07-01")).unwrap();
    assert!(duty::warnings(&e, &a.entry).is_empty());
}

fn rates(e: &Engine, importer: Country, partner: Country, date: &str) -> Result<usize, String> {
    let d = parse_date(date).unwrap();
    let req = RatesRequest {
        importer,
        partner,
        from: d,
        to: d,
        single: true,
        prefixes: vec![HsCode::parse("7208").unwrap()],
    };
    panel(e, &req)
        .map(|r| r.table.rows.len())
        .map_err(|e| e.to_string())
}

#[test]
fn issue12_rates_before_the_bundled_editions_is_an_error_not_zero() {
    let app = app();
    let e = engine(&app);
    assert_eq!(
        rates(&e, Country::US, Country::CA, "1999-01-01").unwrap_err(),
        "--date: no US schedule in force on 1999-01-01: the earliest bundled edition starts \
         2025-01-01; no rate is known before then"
    );
    // From the first edition's day on, the 32 lines under 7208 of the newest edition, with and
    // without a claim.
    assert_eq!(rates(&e, Country::US, Country::CA, "2025-01-01"), Ok(64));
}

#[test]
fn issue12_origin_equal_to_importer_is_refused() {
    let app = app();
    let e = engine(&app);
    assert_eq!(
        rates(&e, Country::US, Country::US, "2025-07-01").unwrap_err(),
        "--partner: US is the importer; a partner is the origin of the goods, and a good of \
         the importer's own origin owes no tariff"
    );
    let r = EntryRecord {
        origin: "US".into(),
        ..coil("2025-07-01")
    };
    assert_eq!(
        duty::assess(&e, &r).unwrap_err().to_string(),
        "origin: US is the importer; quid assesses imports, and a good of the importer's own \
         origin owes no tariff"
    );
}

#[test]
fn issue12_yale_alpha_outside_0_to_1_is_rejected() {
    let app = app();
    let e = engine(&app);
    let req = |alpha: f64| EtrRequest {
        importer: Country::US,
        partner: Country::CA,
        from: parse_date("2025-03-01").unwrap(),
        to: parse_date("2025-03-10").unwrap(),
        daily: false,
        by: None,
        weights: WeightYear::Y2024,
        shares: ShareMode::Annual2024,
        convention: Convention::Yale,
        yale_alpha: Some(alpha),
    };
    let msg = |alpha| {
        quid_app::etr::run(&app, &e, &req(alpha))
            .err()
            .map(|e| e.to_string())
    };
    let why = "is outside 0 to 1: it is the factor on a USMCA vehicle's claim share (the share \
               of its value that is US content; 0.40 by default, 1 in the tracker's earlier \
               builds)";
    assert_eq!(msg(-5.0), Some(format!("--yale-alpha: -5 {why}")));
    assert_eq!(msg(f64::NAN), Some(format!("--yale-alpha: NaN {why}")));
    assert_eq!(msg(1.0), None);
}

fn temp(name: &str, text: &str) -> std::path::PathBuf {
    let p = std::env::temp_dir().join(format!("quid-i12-{}-{name}", std::process::id()));
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn issue12_json_import_reports_a_bad_date_as_a_date_with_its_field() {
    let app = app();
    let (ledger, _) = app.ledger().unwrap();
    let mut a = ledger.announcements[0].clone();
    a.id = "TEST-1".into();
    let mut text = serde_json::to_string_pretty(&serde_json::json!({ "announcement": [a] }))
        .unwrap()
        .replacen(
            &format!("\"recorded\": \"{}\"", a.recorded),
            "\"recorded\": \"2026-13-45\"",
            1,
        );
    let line = text.lines().position(|l| l.contains("2026-13-45")).unwrap() + 1;
    // serde reports the column of the value's closing quote (1-based).
    let column = text
        .lines()
        .nth(line - 1)
        .unwrap()
        .find("2026-13-45")
        .unwrap()
        + 11;
    let path = temp("bad.json", &text);
    let err = quid_app::ledger::read_entries(&path)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        format!(
            "{}: line {line}, column {column}, field recorded: failed to parse two digit integer as \
             month: parameter 'month' is not in the required range of 1..=12",
            path.display()
        )
    );
    // The same entries as a bare array.
    text = serde_json::to_string(&[&a]).unwrap().replacen(
        &format!("\"recorded\":\"{}\"", a.recorded),
        "\"recorded\":\"2026-13-45\"",
        1,
    );
    std::fs::write(&path, &text).unwrap();
    let err = quid_app::ledger::read_entries(&path)
        .unwrap_err()
        .to_string();
    let _ = std::fs::remove_file(&path);
    assert!(
        err.contains(", field recorded: failed to parse two digit integer as month"),
        "{err}"
    );
    assert!(!err.contains("expected a sequence"), "{err}");
}

#[test]
fn issue12_csv_import_names_the_true_line() {
    let app = app();
    let (ledger, _) = app.ledger().unwrap();
    let mut entries = ledger.announcements[..2].to_vec();
    entries[0].id = "TEST-A".into();
    entries[1].id = "TEST-B".into();
    // One row per intervention; the second entry's rows start after the first's.
    let csv = quid_store::to_csv(&entries).unwrap();
    // The line TEST-B's first row starts on: the newlines before it, plus one.
    let start = csv.find("\nTEST-B,").unwrap() + 1;
    let line = csv[..start].matches('\n').count() + 1;
    let pair = |a: &quid_core::ledger::Announcement| format!(",{},{},", a.announced, a.recorded);
    // Only TEST-B's rows change if its dates are not TEST-A's.
    assert_ne!(pair(&entries[0]), pair(&entries[1]));
    let bad = csv.replace(
        &pair(&entries[1]),
        &format!(",2026-13-45,{},", entries[1].recorded),
    );
    let path = temp("bad.csv", &bad);
    let err = quid_app::ledger::read_entries(&path)
        .unwrap_err()
        .to_string();
    let _ = std::fs::remove_file(&path);
    assert!(
        err.contains(&format!(
            "\nline {line}, column announced: \"2026-13-45\" is not a date; expected YYYY-MM-DD"
        )),
        "{err}"
    );
}

#[test]
fn issue12_etr_before_the_bundled_editions_is_an_error_not_zero() {
    let app = app();
    let e = engine(&app);
    let req = |from: &str, to: &str| EtrRequest {
        importer: Country::US,
        partner: Country::CA,
        from: parse_date(from).unwrap(),
        to: parse_date(to).unwrap(),
        daily: false,
        by: None,
        weights: WeightYear::Y2024,
        shares: ShareMode::Annual2024,
        convention: Convention::Quid,
        yale_alpha: None,
    };
    let err = quid_app::etr::run(&app, &e, &req("1999-01-01", "1999-02-01"))
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some(
            "--from: no US schedule in force on 1999-01-01: the earliest bundled edition \
             starts 2025-01-01; no rate is known before then"
        )
    );
    // Past the data: computed, with the warning among the notes.
    let r = quid_app::etr::run(&app, &e, &req("2027-12-01", "2029-01-01")).unwrap();
    let warning = "warning: 2029-01-01 is after 2028-01-01, the newest date in the bundled \
                   measures and schedules: policy is known only up to 2028-01-01, and later \
                   rates repeat it";
    assert!(r.notes.iter().any(|n| n == warning), "{:?}", r.notes);
}
