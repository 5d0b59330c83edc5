//! Issue 12, fuzzing: arbitrary and mutated bytes through the readers a user can reach with a
//! file of their own (the CBSA export, measure files, the ledger's TOML). Each input is accepted
//! or rejected with a message; none panics or hangs. The number of cases is proptest's
//! (`PROPTEST_CASES`, 256 by default, a few seconds); TESTING.md gives a longer run.

use proptest::prelude::*;
use quid_data::{cbsa, measures, Bundle};
use std::path::{Path, PathBuf};

/// Random bytes, or a valid seed with a few bytes replaced and possibly cut short.
fn bytes_like(seed: &'static str) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..2048),
        (
            proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
            any::<prop::sample::Index>(),
            any::<bool>(),
        )
            .prop_map(move |(edits, cut, do_cut)| {
                let mut b = seed.as_bytes().to_vec();
                for (i, v) in edits {
                    let at = i.index(b.len());
                    b[at] = v;
                }
                if do_cut {
                    b.truncate(cut.index(b.len() + 1));
                }
                b
            }),
    ]
}

/// A scratch folder of this test's own.
fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "quid-fuzz-{name}-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::create_dir_all(&d).expect("scratch");
    d
}

fn data() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"))
}

const CBSA_SEED: &str = "TARIFF,EFF_DATE,CHANGE,SUB_CHAP,DESC1,DESC2,DESC3,FOOTNOTE,UOM,MFN,UST,MXT,row_id,General Tariff
0101.21.00,09/01/26 00:00:00,1,,Pure-bred breeding animals,,,,,Free,Free,Free,26838,35%
0105.11.22,09/01/26 00:00:00,1,,Over access commitment,,,,NMB,238% but not less than 30.8¢ each,Free,Free,1,35%
0207.11.91,09/01/26 00:00:00,1,,\"Quoted, with comma\",,,,KGM,\"249% but not less than $4.08/kg\",Free,Free,2,35%
";

const MEASURE_SEED: &str = r#"
[[measure]]
id = "T-NAILS"
title = "test duty on nails"
importer = "US"
origins = ["CA"]
authority = "s232-steel"
heading = "9903.81.89"
instrument = "test"
status = "in_force"
confidence = "H"
from = "2025-06-04"
until = "2026-01-01"
rate = "50%"
base = "full_value"
scope = { include = ["7317"], include_lists = ["inside.csv:hts8"] }
citations = [{ title = "test" }]

[[rule]]
id = "R1"
importer = "US"
kind = "excludes"
winners = ["s232-steel"]
losers = ["ieepa-ca"]
from = "2025-03-12"
instrument = "test"
citations = [{ title = "test" }]
"#;

const LEDGER_SEED: &str = r#"
[[announcement]]
id = "USER-1"
title = "A user's own entry"
party = "CA"
affected = ["US"]
announced = "2026-10-01"
recorded = "2026-10-02"
sources = [{ title = "A source", url = "https://example.org/a", date = "2026-10-01" }]

[[announcement.intervention]]
id = "USER-1-A"
kind = "spending"
category = "spending"
implemented = "2026-10-01"
evaluation = "liberalising"
status = "implemented"
confidence = "M"
declared_value = { amount = "1000000", currency = "CAD", basis = "one year", source = { title = "A source" } }
"#;

proptest! {
    #[test]
    fn issue12_fuzz_cbsa_export(bytes in bytes_like(CBSA_SEED)) {
        let dir = scratch("cbsa");
        let path = dir.join("export.csv");
        std::fs::write(&path, &bytes).expect("write");
        let date = quid_core::parse_date("2026-01-01").expect("date");
        match cbsa::load(&path, "fuzz", date, true) {
            Ok(s) => prop_assert!(s.lines().len() <= bytes.len()),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn issue12_fuzz_measure_files(bytes in bytes_like(MEASURE_SEED)) {
        let root = scratch("measures");
        std::fs::create_dir_all(root.join("measures")).expect("dir");
        std::fs::write(root.join("inside.csv"), "hts8\n73170055\n").expect("write");
        std::fs::write(root.join("measures/m.toml"), &bytes).expect("write");
        let bundle = Bundle::at(&root);
        match measures::load_policy(&bundle, true) {
            Ok(p) => prop_assert!(p.all_measures().count() <= 1),
            Err(e) => {
                prop_assert!(!e.diagnostics().is_empty());
                prop_assert!(e.diagnostics().iter().all(|d| !d.message.is_empty()));
            }
        }
        // The plausibility checks take whatever parses.
        if let Ok(files) = measures::read_measure_files(&bundle.measures_dir()) {
            let resolver = |r: &str| measures::resolve_list(&bundle, r);
            let _ = quid_data::plausible::check_records(
                &files,
                &quid_data::plausible::Bounds::default(),
                &resolver,
            );
        }
    }

    #[test]
    fn issue12_fuzz_ledger_toml(bytes in bytes_like(LEDGER_SEED)) {
        let text = String::from_utf8_lossy(&bytes);
        match quid_data::ledger::parse_ledger(&text, Path::new("fuzz.toml")) {
            Ok(l) => {
                let _ = l.check(&|_| true);
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}

/// The seeds themselves are accepted: the mutations start from valid files.
#[test]
fn issue12_fuzz_seeds_are_valid() {
    let dir = scratch("seeds");
    let path = dir.join("export.csv");
    std::fs::write(&path, CBSA_SEED).expect("write");
    let date = quid_core::parse_date("2026-01-01").expect("date");
    assert_eq!(
        cbsa::load(&path, "seed", date, true)
            .expect("cbsa")
            .lines()
            .len(),
        3
    );
    std::fs::create_dir_all(dir.join("measures")).expect("dir");
    std::fs::write(dir.join("inside.csv"), "hts8\n73170055\n").expect("write");
    std::fs::write(dir.join("measures/m.toml"), MEASURE_SEED).expect("write");
    let p = measures::load_policy(&Bundle::at(&dir), true).expect("measures");
    assert_eq!(p.all_measures().count(), 1);
    let l = quid_data::ledger::parse_ledger(LEDGER_SEED, Path::new("seed.toml")).expect("ledger");
    assert_eq!(l.announcements.len(), 1);
    assert!(data().join("SOURCES.md").is_file());
}
