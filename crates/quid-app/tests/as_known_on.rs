//! `rates --as-known-on` and `etr --as-known-on`: the policy as the ledger knew it on a date.
//!
//! Legal basis: EO 14193 (2025-02-01) as amended by EO 14325 (2025-07-31) set the IEEPA duty on
//! goods of Canada not claimed under USMCA at 35% from 2025-08-01; the Supreme Court held the
//! IEEPA duties unlawful on 2026-02-20; the Section 122 proclamation of 2026-02-20 charged 10%
//! from 2026-02-24, USMCA-qualifying goods of Canada exempt.

use quid_app::rates::{panel, RatesRequest};
use quid_app::{App, EngineOptions};
use quid_core::{parse_date, Country, HsCode};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");

/// A Canadian horse (0101.21.00.10) entered on 2026-03-01 without a claim: 35% IEEPA as known
/// on 2026-02-19 (neither the ruling nor Section 122 known yet), 10% Section 122 as known today.
#[test]
fn rates_as_known_before_and_after_the_ieepa_ruling() {
    let app = App::new(
        Some(std::path::Path::new(DATA)),
        parse_date("2026-12-06").unwrap(),
    )
    .unwrap();
    let mut engine = app.engine(&EngineOptions::default()).unwrap();
    let d = parse_date("2026-03-01").unwrap();
    let req = RatesRequest {
        importer: Country::US,
        partner: Country::CA,
        from: d,
        to: d,
        single: true,
        prefixes: vec![HsCode::parse("0101.21.00.10").unwrap()],
    };
    let total = |engine: &quid_app::Engine| -> Vec<(bool, f64)> {
        let r = panel(engine, &req).unwrap();
        r.panel
            .intervals
            .iter()
            .map(|iv| (iv.claim, (iv.row.total * 1e4).round() / 1e4))
            .collect()
    };
    assert_eq!(total(&engine), [(false, 0.10), (true, 0.0)]);
    engine.policy =
        quid_app::balance::known_policy(&app, &engine, parse_date("2026-02-19").unwrap()).unwrap();
    assert_eq!(total(&engine), [(false, 0.35), (true, 0.0)]);
    // Before anything was recorded, the question has no answer.
    let e = quid_app::balance::known_policy(&app, &engine, parse_date("2020-01-01").unwrap())
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("nothing in the ledger was recorded by 2020-01-01"),
        "{e}"
    );
}
