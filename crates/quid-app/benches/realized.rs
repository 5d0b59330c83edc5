//! The realized balance after loading (issue 11): with the engine, the balance's weights and
//! the realized view's files read, the three sides' panels over the months (US on Canada and
//! Mexico, Canada on the US with and without remission declared), the duties on every month's
//! trade, the remission share and the reconciliations. Loading (the monthly flow files, the
//! published figures) is timed apart.

use quid_app::balance::{default_until, inputs, policy_as_known_on, realized_load};
use quid_app::directions::{balance_segments, direction};
use quid_app::realized::Reuse;
use quid_app::{App, Engine, EngineOptions};
use quid_core::ledger::Announcement;
use quid_core::parse_date;
use quid_core::Country;

fn main() {
    divan::main();
}

fn setup() -> (App, Engine) {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");
    let app = App::new(
        Some(std::path::Path::new(data)),
        parse_date("2026-11-26").expect("date"),
    )
    .expect("data folder")
    .with_workspace(Some(std::path::Path::new("/nonexistent/quid-bench.sqlite")));
    let engine = app.engine(&EngineOptions::default()).expect("engine");
    (app, engine)
}

/// The realized view once its data are loaded: panels, months, share, reconciliations.
#[divan::bench(sample_count = 10)]
fn realized_after_loading(b: divan::Bencher) {
    let (app, engine) = setup();
    let inp = inputs(&app, &engine, None).expect("inputs");
    let (since, until) = period();
    let loaded =
        realized_load(&app, &engine.policy, since, until, &inp.us, &inp.ca, None).expect("loaded");
    b.bench_local(|| {
        quid_app::realized::compute(&engine, &engine.policy, &loaded)
            .expect("realized")
            .sides
            .len()
    });
}

/// Reading the realized view's files (monthly flows, Mexico's weights, published figures).
#[divan::bench(sample_count = 10)]
fn realized_loading(b: divan::Bencher) {
    let (app, engine) = setup();
    let inp = inputs(&app, &engine, None).expect("inputs");
    let (since, until) = (
        parse_date("2025-01-01").expect("date"),
        parse_date("2026-09-29").expect("date"),
    );
    b.bench_local(|| {
        realized_load(&app, &engine.policy, since, until, &inp.us, &inp.ca, None).is_ok()
    });
}
