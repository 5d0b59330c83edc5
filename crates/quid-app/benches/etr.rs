//! Rate panels and effective tariff rates on the bundled data, through the same use cases the
//! `rates` and `etr` commands call (after loading).

use quid_app::etr::{self, Convention, EtrRequest};
use quid_app::rates::{self, RatesRequest};
use quid_app::weights::{ShareMode, WeightYear};
use quid_app::{App, Engine, EngineOptions};
use quid_core::{parse_date, Country};

fn main() {
    divan::main();
}

fn setup() -> (App, Engine) {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");
    let app = App::new(
        Some(std::path::Path::new(data)),
        parse_date("2026-11-26").expect("date"),
    )
    .expect("data folder");
    let engine = app.engine(&EngineOptions::default()).expect("engine");
    (app, engine)
}

/// The interval panel of every HTS10 classification line of the 2026 rev 10 edition, for goods
/// of Canada and of Mexico, with and without a USMCA claim, over every policy change date of
/// 2025-01-01 to 2026-11-26 (`quid rates --from 2025-01-01 --to 2026-11-26`, for CA and MX).
#[divan::bench(sample_count = 5)]
fn interval_panel_every_line_ca_and_mx(b: divan::Bencher) {
    let (_, engine) = setup();
    let req = |partner| RatesRequest {
        importer: Country::US,
        partner,
        from: parse_date("2025-01-01").expect("date"),
        to: parse_date("2026-11-26").expect("date"),
        single: false,
        prefixes: Vec::new(),
    };
    b.bench_local(|| {
        let ca = rates::panel(&engine, &req(Country::CA)).expect("panel");
        let mx = rates::panel(&engine, &req(Country::MX)).expect("panel");
        ca.panel.intervals.len() + mx.panel.intervals.len()
    });
}

/// A daily ETR series from 2025-01-01 to 2026-11-26 for goods of Canada, 2024 weights, 2025
/// USMCA shares (`quid etr --importer US --partner CA --daily`): weights, the panel over the
/// weighted lines, the aggregation, the daily table and the chart specification.
#[divan::bench(sample_count = 5)]
fn daily_etr_canada(b: divan::Bencher) {
    let (app, engine) = setup();
    let req = EtrRequest {
        importer: Country::US,
        partner: Country::CA,
        from: parse_date("2025-01-01").expect("date"),
        to: parse_date("2026-11-26").expect("date"),
        daily: true,
        by: None,
        weights: WeightYear::Y2024,
        shares: ShareMode::Annual2025,
        convention: Convention::Quid,
        yale_alpha: None,
    };
    b.bench_local(|| etr::run(&app, &engine, &req).expect("etr").table.rows.len());
}
