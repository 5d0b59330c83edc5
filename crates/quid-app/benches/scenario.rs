//! Scenarios after loading (Canada's ask, the bundled package): the static pass over every
//! weighted line of both markets, the partial-equilibrium pass over every line of both markets,
//! and the Monte Carlo with 1,000 draws.

use quid_app::scenario_run::{prepare, Prepared};
use quid_app::{App, Engine, EngineOptions};
use quid_core::parse_date;
use std::path::Path;

fn main() {
    divan::main();
}

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");

fn setup() -> (Engine, Prepared) {
    let app = App::new(
        Some(Path::new(DATA)),
        parse_date("2026-12-06").expect("date"),
    )
    .expect("data folder");
    let engine = app.engine(&EngineOptions::default()).expect("engine");
    let p = prepare(
        &app,
        &engine,
        &Path::new(DATA).join("scenarios/canada_ask.toml"),
    )
    .expect("scenario");
    (engine, p)
}

/// Both directions' duty on the start date, baseline and scenario, per authority and sector
/// (12,134 US lines and 5,033 Canadian stand-in lines, four one-day panels).
#[divan::bench(sample_count = 10)]
fn static_pass(b: divan::Bencher) {
    let (engine, p) = setup();
    b.bench_local(|| p.static_view(&engine).1.change());
}

/// The partial-equilibrium effects at the point elasticities, every line of both markets.
#[divan::bench(sample_count = 20)]
fn pe_pass(b: divan::Bencher) {
    let (_, p) = setup();
    b.bench_local(|| p.trade_effects(None)[0].tariff_revenue);
}

/// The Monte Carlo: 1,000 draws of every line's elasticities, the bands of every headline.
#[divan::bench(sample_count = 5)]
fn monte_carlo_1000(b: divan::Bencher) {
    let (_, p) = setup();
    let point = p.trade_effects(None);
    b.bench_local(|| p.headlines(&point, 1000, 2026).len());
}
