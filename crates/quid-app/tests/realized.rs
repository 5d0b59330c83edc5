//! The realized view on the bundled data, and the remission rules it relies on.
//!
//! Legal basis of the remission cases: the United States Surtax Remission Order (2025),
//! SOR/2025-122 (Justice Laws, consolidated to 2026-02-05,
//! https://laws-lois.justice.gc.ca/eng/regulations/SOR-2025-122/): ss. 1-3.1 remit the surtaxes
//! of SOR/2025-66 and SOR/2025-95 on goods used in manufacturing, processing or packaging in
//! Canada (and health, public safety) imported from 2025-04-16 to before 2025-10-16; s. 4.3(a)
//! and Schedule 5 remit the motor-vehicle surtax of SOR/2025-118 on the vehicles listed
//! (8703.23.00.10 among them). The surtaxes: SOR/2025-66 (25% from 2025-03-04, Canada Gazette
//! Part II), SOR/2025-95 as amended by SOR/2025-181 (aluminum 25% from 2025-09-01),
//! SOR/2025-118 (25% on non-CUSMA US vehicles from 2025-04-09).

use quid_app::balance::{run, BalanceRequest};
use quid_app::{App, Engine, EngineOptions};
use quid_core::{parse_date, Country};
use quid_engine::{Entry, Reason};
use rust_decimal::Decimal;
use std::path::Path;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");

fn app() -> App {
    App::new(Some(Path::new(DATA)), parse_date("2026-12-06").unwrap()).unwrap()
}

/// Canada's surtax on a US good, with or without a remission declared: (surtax, the remission
/// rule that relieved it, if any).
fn surtax(
    engine: &Engine,
    hs: &str,
    date: &str,
    value: i64,
    claim: bool,
    remission: bool,
) -> (Decimal, Option<String>) {
    let mut e = Entry::new(
        Country::CA,
        Country::US,
        hs.parse().unwrap(),
        parse_date(date).unwrap(),
        Decimal::from(value),
    );
    e.preference_claim = claim;
    e.remission = remission;
    let a = engine.policy.assess(&e, &engine.reference).unwrap();
    let duty = a.layers.iter().map(|l| l.amount).sum();
    let rule = a
        .not_applied
        .iter()
        .find(|n| n.reason == Reason::Remitted)
        .and_then(|n| n.rule().map(|r| r.id.clone()));
    (duty, rule)
}

#[test]
fn remission_is_declared_dated_and_scoped() {
    let app = app();
    let engine = app.engine(&EngineOptions::default()).unwrap();
    // A SOR/2025-66 good (2202.99.39) on 2025-05-01: C$10,000 x 25% = 2,500 without remission;
    // with the use-based remission declared, nothing.
    assert_eq!(
        surtax(&engine, "2202.99.39", "2025-05-01", 10_000, true, false),
        (Decimal::from(2_500), None)
    );
    assert_eq!(
        surtax(&engine, "2202.99.39", "2025-05-01", 10_000, true, true),
        (Decimal::ZERO, Some("CA-REMIT-1.use".into()))
    );
    // Before the order (2025-04-10) a declaration changes nothing.
    assert_eq!(
        surtax(&engine, "2202.99.39", "2025-04-10", 10_000, true, true),
        (Decimal::from(2_500), None)
    );
    // A listed vehicle (Schedule 5) without a CUSMA claim on 2025-11-01: C$40,000 x 25% =
    // 10,000, remitted under s. 4.3(a) when declared.
    assert_eq!(
        surtax(&engine, "8703.23.00.10", "2025-11-01", 40_000, false, false),
        (Decimal::from(10_000), None)
    );
    assert_eq!(
        surtax(&engine, "8703.23.00.10", "2025-11-01", 40_000, false, true),
        (Decimal::ZERO, Some("CA-REMIT-1.s4-3".into()))
    );
    // Unwrought aluminum (7601.10.00) on 2025-11-01: after the use-based window and on no
    // schedule of the order, so a declaration does not relieve the 25% (C$2,000 of 8,000).
    assert_eq!(
        surtax(&engine, "7601.10.00", "2025-11-01", 8_000, true, true),
        (Decimal::from(2_000), None)
    );
}

/// The bundled reconciliation adds up: for every published figure, statutory + steps = the
/// published amount; and step 1 is the balance's own burden, a month being days/365 of the
/// annual figure.
#[test]
fn the_bundled_reconciliation_adds_up_and_starts_from_the_balance() {
    let app = app();
    let engine = app.engine(&EngineOptions::default()).unwrap();
    let mut req = BalanceRequest::new(parse_date("2025-01-01").unwrap());
    req.until = Some(parse_date("2025-12-31").unwrap());
    req.realized = true;
    let report = run(&app, &engine, &req).unwrap();
    let r = report.realized.as_ref().expect("the realized view");
    assert_eq!(
        r.sides
            .iter()
            .map(|s| (s.importer, s.partner))
            .collect::<Vec<_>>(),
        [
            (Country::US, Country::CA),
            (Country::CA, Country::US),
            (Country::US, Country::MX)
        ]
    );
    let mut checked = 0;
    for s in &r.sides {
        for rc in &s.reconciliations {
            let sum: f64 = rc.steps.iter().map(|x| x.amount).sum();
            assert!(
                (sum - rc.published).abs() < 1e-6 * rc.published.max(1.0),
                "{}: steps sum to {sum}, published {}",
                rc.figure,
                rc.published
            );
            assert_eq!(rc.steps[0].amount, rc.statutory);
            checked += 1;
        }
    }
    // The official Canadian figures and the Globe's two April figures at least.
    assert!(checked >= 4, "{checked} reconciliations");
    // Step 1 against the balance: June 2025, US on Canada, from the balance's segments.
    let june = &r.sides[0]
        .months
        .iter()
        .find(|m| m.month.to_string() == "2025-06")
        .unwrap();
    let from = parse_date("2025-06-01").unwrap();
    let mut expected = 0.0;
    let mut d = from;
    while d.month() == 6 {
        let p = report
            .burdens
            .iter()
            .take_while(|p| p.date <= d)
            .last()
            .unwrap();
        expected += p.us_on_ca_usd / 365.0;
        d = d.tomorrow().unwrap();
    }
    assert!(
        (june.statutory_2024_usd - expected).abs() < 1e-6 * expected,
        "step 1 {} vs the balance's {expected}",
        june.statutory_2024_usd
    );
    // Trade data end in 2025-12 for Canada's side and 2026-02 for the US's: nothing carried.
    assert!(r
        .sides
        .iter()
        .all(|s| s.months.iter().all(|m| !m.carried_forward)));
    // The months without a published figure are named: no Canadian figure covers January.
    assert!(r.sides[1]
        .months_without_figure
        .iter()
        .any(|m| m.to_string() == "2025-01"));
}

/// A remission rule without its condition is refused, naming the rule and the field.
#[test]
fn a_remission_rule_needs_a_condition() {
    let text = r#"
[[rule]]
id = "X-REMIT"
importer = "CA"
kind = "remission"
winners = []
losers = ["ca-surtax-2025-1"]
from = "2025-04-16"
instrument = "a test order"
citations = [{ title = "a test" }]
"#;
    let mf: quid_engine::measure::MeasureFile = toml::from_str(text).unwrap();
    let lists = |name: &str| Err(format!("no list {name}"));
    let e = quid_engine::Policy::compile(&[("t.toml".into(), mf)], &lists, false).unwrap_err();
    assert_eq!(
        e.0,
        ["t.toml: rule X-REMIT: field condition: a remission rule states the condition the entry declares"]
    );
}

/// With a CIMT file, Canada's side takes its months and items: a SOR/2025-66 good
/// (2202.99.39) imported for C$1,386,000 in May 2025 is US$1,000,000 at May's Bank of Canada
/// average (1.3860 CAD per USD, data/fx/usd_cad.csv); the 25% surtax on it is US$250,000, all
/// of it remissible under the use-based remission (from 2025-04-16), of which the stated share
/// is remitted. June carries May forward; April, before the file's first month, has no trade.
#[test]
fn a_cimt_file_gives_canadas_months_and_items() {
    let dir = std::env::temp_dir().join(format!("quid-cimt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("cimt.csv");
    std::fs::write(
        &path,
        "hs,country,province,value,quantity,year,month\n\
         2202.99.39,US,ON,1000000,1,2024,6\n\
         2202.99.39,US,ON,1000000,1,2025,5\n\
         2202.99.39,US,QC,386000,1,2025,5\n",
    )
    .unwrap();
    let app = app();
    let engine = app.engine(&EngineOptions::default()).unwrap();
    let mut req = BalanceRequest::new(parse_date("2025-01-01").unwrap());
    req.until = Some(parse_date("2025-06-30").unwrap());
    req.realized = true;
    req.cimt = Some(path);
    let report = run(&app, &engine, &req).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let r = report.realized.unwrap();
    let ca = &r.sides[1];
    assert_eq!(
        (ca.importer, ca.last_data_month.to_string()),
        (Country::CA, "2025-05".into())
    );
    let month = |m: &str| ca.months.iter().find(|x| x.month.to_string() == m).unwrap();
    let may = month("2025-05");
    assert!((may.imports_usd - 1_000_000.0).abs() < 1e-6, "{may:?}");
    assert!(
        (may.with_period_claims_usd - 250_000.0).abs() < 1e-6,
        "{may:?}"
    );
    assert!((may.remissible_usd - 250_000.0).abs() < 1e-6, "{may:?}");
    assert!((may.remissions_usd - r.remission_share * 250_000.0).abs() < 1e-6);
    assert!((may.modelled_usd - (250_000.0 - may.remissions_usd)).abs() < 1e-6);
    let june = month("2025-06");
    assert!(june.carried_forward && (june.imports_usd - 1_000_000.0).abs() < 1e-6);
    let april = month("2025-04");
    assert!(!april.carried_forward && april.imports_usd == 0.0);
}

/// Regression: the lists a remission rule names were not among the lists resolved at load, so
/// any policy compiled again from the records (a scenario, a negotiation package) failed with
/// "is not a bundled list". Recompiled, the vehicle of Schedule 5 is still remitted.
#[test]
fn a_recompiled_policy_keeps_the_remission_rules_lists() {
    let app = app();
    let engine = app.engine(&EngineOptions::default()).unwrap();
    let again = engine
        .measures
        .compile(&engine.measures.files)
        .expect("the records compile again");
    let mut e = Entry::new(
        Country::CA,
        Country::US,
        "8703.23.00.10".parse().unwrap(),
        parse_date("2025-11-01").unwrap(),
        Decimal::from(40_000),
    );
    e.remission = true;
    let a = again.assess(&e, &engine.reference).unwrap();
    assert_eq!(a.total, Decimal::ZERO);
    assert!(a.not_applied.iter().any(|n| n.reason == Reason::Remitted
        && n.rule().map(|r| r.id.as_str()) == Some("CA-REMIT-1.s4-3")));
}
