//! The reciprocity balance on the bundled ledger and flows, after loading the engine, through
//! the use case the `balance` command calls (ledger and weights read, both panels, ETR and
//! OTRI-style series, every move valued, USTR formula); and adding one entry to the workspace
//! database and recomputing the valuation over cached panels.

use quid_app::balance::{self, BalanceRequest};
use quid_app::directions::{balance_segments, direction};
use quid_app::weights::{us_imports_weighted, Grouping, ShareMode, WeightYear};
use quid_app::{App, Engine, EngineOptions};
use quid_core::ledger::Announcement;
use quid_core::{parse_date, Country};
use quid_econ::balance::compute;

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

/// `quid balance` after loading the engine: everything the command computes.
#[divan::bench(sample_count = 10)]
fn full_balance(b: divan::Bencher) {
    let (app, engine) = setup();
    let req = BalanceRequest::new(parse_date("2025-01-01").expect("date"));
    b.bench_local(|| {
        balance::run(&app, &engine, &req)
            .expect("balance")
            .balance
            .moves
            .len()
    });
}

/// Appending one entry to the workspace database (SQLite in memory) and recomputing the
/// valuation over cached panels (US direction).
#[divan::bench(sample_count = 20)]
fn add_event_and_recompute(b: divan::Bencher) {
    let (app, engine) = setup();
    let (ledger, _) = app.ledger().expect("ledger");
    let on = parse_date("2026-11-26").expect("date");
    let (since, until) = (
        parse_date("2025-01-01").expect("date"),
        parse_date("2026-09-29").expect("date"),
    );
    let view: Vec<&Announcement> = ledger.as_known_on(on);
    let segments = balance_segments(&engine.policy, &engine.reference, &view, since, until);
    let us = us_imports_weighted(
        &app.bundle,
        Country::CA,
        Grouping::Balance,
        ShareMode::Annual2025,
        WeightYear::Y2024,
    )
    .expect("weights");
    let dirs = vec![
        direction(
            &engine.policy,
            &engine.reference,
            Country::US,
            Country::CA,
            &us,
            &segments,
        )
        .0,
    ];
    let entry: Announcement = ledger
        .announcements
        .iter()
        .find(|a| a.id == "CA-2025-06-29-DST-RESCIND")
        .cloned()
        .expect("entry");
    let authorities = |m: &str| engine.policy.authorities_named_by(m);
    let mut n = 0u32;
    b.bench_local(|| {
        n += 1;
        let mut ws = quid_store::Workspace::in_memory().expect("db");
        let mut e = entry.clone();
        e.id = format!("USER-BENCH-{n}");
        ws.import(std::slice::from_ref(&e), &|_| Vec::new(), &[])
            .expect("import");
        let mut l = ledger.clone();
        l.announcements
            .extend(ws.ledger().expect("read").announcements);
        let view: Vec<&Announcement> = l.as_known_on(on);
        compute(&view, &dirs, &authorities, since, until, on)
            .moves
            .len()
    });
}
