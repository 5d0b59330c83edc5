//! The realized balance after loading (issue 11): with the engine, the balance's weights and
//! panels and the realized view's files in hand (as `quid balance --realized` has them), the
//! panels the balance does not have (the lines traded only in 2025-2026, Mexico, Canada with
//! remission declared), the duties on every month's trade of the three sides, the remission
//! share and the reconciliations. Loading (the monthly flow files, the published figures) is
//! timed apart.

use quid_app::balance::{default_until, inputs, policy_as_known_on, realized_load};
use quid_app::directions::{balance_segments, direction};
use quid_app::realized::Reuse;
use quid_app::{App, Engine, EngineOptions};
use quid_core::ledger::Announcement;
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
    .expect("data folder")
    .with_workspace(Some(std::path::Path::new("/nonexistent/quid-bench.sqlite")));
    let engine = app.engine(&EngineOptions::default()).expect("engine");
    (app, engine)
}

/// The realized view once its data are loaded and the balance's panels built.
#[divan::bench(sample_count = 10)]
fn realized_after_loading(b: divan::Bencher) {
    let (app, engine) = setup();
    let inp = inputs(&app, &engine, None).expect("inputs");
    // The balance's policy, period and panels, as `balance::run` builds them.
    let (ledger, _) = app.ledger().expect("ledger");
    let on = app.today;
    let view: Vec<&Announcement> = ledger.as_known_on(on);
    let all: Vec<&Announcement> = ledger.announcements.iter().collect();
    let policy = policy_as_known_on(&engine.policy, &all, &view, on);
    let since = parse_date("2025-01-01").expect("date");
    let until = default_until(on);
    let segments = balance_segments(&policy, &engine.reference, &view, since, until);
    let (_, us_panel) = direction(
        &policy,
        &engine.reference,
        Country::US,
        Country::CA,
        &inp.us,
        &segments,
    );
    let (_, ca_panel) = direction(
        &policy,
        &engine.reference,
        Country::CA,
        Country::US,
        &inp.ca,
        &segments,
    );
    let reuse = Reuse {
        us_on_ca: Some(&us_panel),
        ca_on_us: Some(&ca_panel),
    };
    let loaded =
        realized_load(&app, &policy, since, until, &inp.us, &inp.ca, None).expect("loaded");
    b.bench_local(|| {
        quid_app::realized::compute(&engine, &policy, &loaded, &reuse)
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
