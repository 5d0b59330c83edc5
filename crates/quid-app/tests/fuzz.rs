//! Issue 12, fuzzing: arbitrary and mutated text through the ledger import of every format
//! (`quid ledger add` reads TOML, JSON or CSV). Each input is accepted or rejected with a
//! message; none panics. `PROPTEST_CASES` sets the number of cases.

use proptest::prelude::*;
use quid_app::ledger::read_entries;
use std::path::{Path, PathBuf};

/// Reads `text` as a ledger file with the extension `ext`, as `quid ledger add` does.
fn parse_entries(
    text: &str,
    ext: &str,
    _: &Path,
) -> quid_app::Result<Vec<quid_core::ledger::Announcement>> {
    let dir = std::env::temp_dir().join(format!(
        "quid-fuzz-app-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::create_dir_all(&dir).expect("scratch");
    let path: PathBuf = dir.join(format!("entries.{ext}"));
    std::fs::write(&path, text).expect("write");
    read_entries(&path)
}

const TOML_SEED: &str = r#"
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
"#;

/// The TOML seed as quid exports it to JSON.
fn json_seed() -> &'static str {
    static SEED: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SEED.get_or_init(|| {
        let announcements =
            parse_entries(TOML_SEED, "toml", Path::new("seed.toml")).expect("seed parses");
        serde_json::to_string(&quid_core::ledger::Ledger { announcements }).expect("json")
    })
}

fn text_like(seed: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..2048)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        (
            proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
            any::<prop::sample::Index>(),
        )
            .prop_map(move |(edits, cut)| {
                let mut b = seed.as_bytes().to_vec();
                for (i, v) in edits {
                    let at = i.index(b.len());
                    b[at] = v;
                }
                b.truncate(cut.index(b.len() + 1).max(b.len() / 2));
                String::from_utf8_lossy(&b).into_owned()
            }),
    ]
}

proptest! {
    #[test]
    fn issue12_fuzz_ledger_import_every_format(
        text in prop_oneof![text_like(TOML_SEED), text_like(json_seed())],
        ext in prop::sample::select(vec!["toml", "json", "csv", "txt"]),
    ) {
        match parse_entries(&text, ext, Path::new("fuzz")) {
            Ok(entries) => prop_assert!(entries.len() <= text.len()),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}

#[test]
fn issue12_fuzz_seeds_are_valid() {
    let entries = parse_entries(json_seed(), "json", Path::new("seed.json"));
    assert_eq!(entries.map(|e| e.len()).map_err(|e| e.to_string()), Ok(1));
}
