//! Issue 12, fuzzing: arbitrary and mutated text through the ledger's CSV import. Each input is
//! accepted or rejected with a message; none panics. `PROPTEST_CASES` sets the number of cases.

use proptest::prelude::*;

const SEED: &str = "announcement_id,title,party,affected,announced,recorded,supersedes,sources,intervention_id,kind,category,measures,implemented,removed,evaluation,status,confidence,declared_value
USER-1,\"A title, with comma\",CA,US,2026-10-01,2026-10-02,,\"[{\"\"title\"\":\"\"A source\"\"}]\",USER-1-A,spending,spending,,2026-10-01,,liberalising,implemented,M,
";

fn text_like(seed: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..2048)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        ".{0,512}",
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
    fn issue12_fuzz_ledger_csv(text in text_like(SEED)) {
        match quid_store::from_csv(&text) {
            Ok(entries) => prop_assert!(entries.len() <= text.lines().count()),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}
