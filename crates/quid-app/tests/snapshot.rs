//! The compiled snapshot gives the same engine as the files, and a damaged snapshot is never
//! trusted.

use quid_app::snapshot::{self, Parts};
use quid_app::{App, EngineOptions};
use quid_core::{parse_date, Country};
use quid_data::reference::BundleReference;
use quid_engine::Entry;
use rust_decimal::Decimal;

fn app() -> App {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");
    App::new(
        Some(std::path::Path::new(data)),
        parse_date("2026-11-26").unwrap(),
    )
    .unwrap()
}

fn tmp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("quid-snap-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d.join("engine-test.bin")
}

fn engine(parts: Parts) -> quid_app::Engine {
    let policy = parts.policy(false).expect("policy compiles");
    quid_app::Engine {
        policy,
        reference: BundleReference::from_parts(parts.schedules, parts.metal),
        measures: quid_app::load::Measures::default(),
        coverage: Default::default(),
    }
}

/// Every HTS10 line of the newest US edition for goods of Canada and Mexico, on four dates, with
/// and without a USMCA claim, and every item of the Canadian sample for US goods: the snapshot
/// engine's assessment equals the files' engine's, layer for layer (their JSON).
#[test]
fn snapshot_engine_assesses_exactly_as_the_files() {
    let app = app();
    let files = app.engine_from_files(&EngineOptions::default()).unwrap();
    let parts = snapshot::load_parts(&app.bundle).unwrap();
    let path = tmp("same");
    snapshot::write(&path, &parts).unwrap();
    let snap = engine(snapshot::read(&path).expect("the snapshot reads back"));
    let mut n = 0;
    let dates = ["2025-02-01", "2025-07-01", "2026-03-01", "2026-09-15"];
    let us_lines: Vec<_> = files.reference.schedules.us[1]
        .leaf_lines()
        .map(|l| l.code)
        .collect();
    let ca_lines: Vec<_> = files.reference.schedules.ca[0]
        .leaf_lines()
        .map(|l| l.code)
        .collect();
    for d in dates {
        let date = parse_date(d).unwrap();
        for (importer, origin, lines) in [
            (Country::US, Country::CA, &us_lines),
            (Country::US, Country::MX, &us_lines),
            (Country::CA, Country::US, &ca_lines),
        ] {
            for (i, hs) in lines.iter().enumerate() {
                let mut e = Entry::new(importer, origin, *hs, date, Decimal::from(100_000));
                e.preference_claim = i % 2 == 0;
                let a = files.policy.assess(&e, &files.reference);
                let b = snap.policy.assess(&e, &snap.reference);
                let (a, b) = (
                    a.map(|x| serde_json::to_string(&x).unwrap())
                        .map_err(|e| e.to_string()),
                    b.map(|x| serde_json::to_string(&x).unwrap())
                        .map_err(|e| e.to_string()),
                );
                assert_eq!(a, b, "{importer} {origin} {hs} {d}");
                n += 1;
            }
        }
    }
    // 19,833 US lines x 2 origins + the Canadian sample's items, on 4 dates.
    assert!(n > 150_000, "{n} assessments compared");
    // The schedules' problems and counts come back too.
    for (x, y) in files
        .reference
        .schedules
        .us
        .iter()
        .zip(&snap.reference.schedules.us)
    {
        assert_eq!(x.problems.len(), y.problems.len());
        assert_eq!(x.stats.understood, y.stats.understood);
        assert_eq!(x.lines().len(), y.lines().len());
    }
    assert_eq!(
        files.reference.metal_shares().len(),
        snap.reference.metal_shares().len()
    );
}

/// A snapshot with one byte changed, cut short, or of another format is refused (`None`), so
/// the engine is loaded from the files instead.
#[test]
fn damaged_snapshot_is_never_trusted() {
    let app = app();
    let parts = snapshot::load_parts(&app.bundle).unwrap();
    let path = tmp("damaged");
    snapshot::write(&path, &parts).unwrap();
    let good = std::fs::read(&path).unwrap();
    assert!(snapshot::read(&path).is_some());
    let mut flipped = good.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x01;
    std::fs::write(&path, &flipped).unwrap();
    assert!(snapshot::read(&path).is_none(), "one flipped byte");
    std::fs::write(&path, &good[..good.len() - 100]).unwrap();
    assert!(snapshot::read(&path).is_none(), "truncated");
    std::fs::write(&path, b"not a snapshot at all").unwrap();
    assert!(snapshot::read(&path).is_none(), "another format");
    std::fs::write(&path, b"").unwrap();
    assert!(snapshot::read(&path).is_none(), "empty");
}
