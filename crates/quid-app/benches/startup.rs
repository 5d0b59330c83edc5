//! Loading the engine: from the bundle's files, and from the compiled snapshot (what a one-shot
//! command or a starting server does once the cache is warm). The snapshot is written to a
//! temporary cache folder first.

use quid_app::{App, EngineOptions};
use quid_core::parse_date;

fn main() {
    divan::main();
}

fn app() -> App {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");
    App::new(
        Some(std::path::Path::new(data)),
        parse_date("2026-11-26").expect("date"),
    )
    .expect("data folder")
}

/// Schedules, measures and stand-ins parsed from the data files.
#[divan::bench(sample_count = 10)]
fn engine_from_files(b: divan::Bencher) {
    let app = app();
    b.bench_local(|| {
        let e = app
            .engine_from_files(&EngineOptions::default())
            .expect("engine");
        e.policy.all_measures().count()
    });
}

/// The same engine from a warm snapshot: the data folder hashed, the snapshot read, checked and
/// decoded, the policy compiled from its measure files.
#[divan::bench(sample_count = 20)]
fn engine_from_snapshot(b: divan::Bencher) {
    let dir = std::env::temp_dir().join(format!("quid-bench-cache-{}", std::process::id()));
    std::env::set_var("QUID_CACHE", &dir);
    let app = app();
    app.engine(&EngineOptions::default())
        .expect("first load writes the snapshot");
    b.bench_local(|| {
        let e = app.engine(&EngineOptions::default()).expect("engine");
        e.policy.all_measures().count()
    });
    let _ = std::fs::remove_dir_all(&dir);
}
