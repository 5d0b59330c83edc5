//! Property-based fuzzing of the batch reader (issue 12): arbitrary bytes as a whole file and
//! after a valid header, and lines built from the characters that matter to CSV (quotes, commas,
//! carriage returns, newlines) around valid values. Nothing panics or hangs; a bad header is an
//! error with a message; past a good header every record is either assessed or rejected with a
//! reason, the lines are counted as a reader of the file would count them, and every line
//! number named is a line of the file.
//!
//! Cases per property: 64 by default (each runs a batch); `PROPTEST_CASES` for a longer run
//! (TESTING.md).

use proptest::prelude::*;
use quid_data::batch::{run, BatchSummary};
use quid_data::params::read_metal_shares;
use quid_data::reference::BundleReference;
use quid_data::{Bundle, Schedules};
use std::sync::OnceLock;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn engine() -> &'static (quid_engine::Policy, BundleReference) {
    static E: OnceLock<(quid_engine::Policy, BundleReference)> = OnceLock::new();
    E.get_or_init(|| {
        let b = Bundle::at(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
        let policy = quid_data::measures::load_policy(&b, false).expect("measures");
        let reference = BundleReference::new(
            Schedules::load_bundled(&b).expect("schedules"),
            &read_metal_shares(&b.metal_content()).expect("metal"),
        );
        (policy, reference)
    })
}

fn batch(input: &[u8]) -> Result<(BatchSummary, Vec<u8>, Vec<u8>), String> {
    let (policy, reference) = engine();
    let (mut out, mut rej) = (Vec::new(), Vec::new());
    run(policy, reference, input, &mut out, &mut rej, &|_| {})
        .map(|s| (s, out, rej))
        .map_err(|e| e.to_string())
}

/// Lines as a reader counts them: a newline, or a carriage return not followed by one, ends a
/// line, and a last line may have no end.
fn lines(b: &[u8]) -> u64 {
    let mut n = 0;
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n')) {
            n += 1;
        }
    }
    n + u64::from(!b.is_empty() && !matches!(b.last(), Some(b'\n' | b'\r')))
}

const HEADER: &str = "id,importer,origin,hts,date,value\n";

fn check_after_header(body: &[u8]) -> Result<(), TestCaseError> {
    let mut input = HEADER.as_bytes().to_vec();
    input.extend_from_slice(body);
    let (sum, out, rej) = batch(&input).map_err(TestCaseError::fail)?;
    prop_assert_eq!(sum.assessed + sum.rejected, sum.records);
    prop_assert_eq!(sum.lines, lines(body));
    // The output holds one row per assessed record, the rejects one per rejected record, each
    // with a line of the file and a reason.
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(&out[..]);
    prop_assert_eq!(rdr.byte_records().count() as u64, sum.assessed);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(&rej[..]);
    let mut n = 0;
    for r in rdr.byte_records() {
        let r = r.map_err(|e| TestCaseError::fail(e.to_string()))?;
        let line: u64 = std::str::from_utf8(&r[0])
            .ok()
            .and_then(|t| t.parse().ok())
            .ok_or_else(|| TestCaseError::fail("a reject without its line"))?;
        prop_assert!((2..=1 + sum.lines.max(1)).contains(&line), "line {}", line);
        prop_assert!(!r[1].is_empty(), "a reject without its reason");
        prop_assert!(r[1].len() <= 1100, "a reason of {} bytes", r[1].len());
        n += 1;
    }
    prop_assert_eq!(n, sum.rejected);
    Ok(())
}

/// A field: a valid value, CSV's special characters, or arbitrary text.
fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("US".to_string()),
        Just("CA".to_string()),
        Just("7208.10.15.00".to_string()),
        Just("2025-07-01".to_string()),
        Just("100000".to_string()),
        Just("\"".to_string()),
        Just("\"\"".to_string()),
        Just("\"a,\nb\"".to_string()),
        Just("\r".to_string()),
        Just("1,000".to_string()),
        "[0-9.e-]{0,25}",
        "\\PC{0,8}",
    ]
}

/// A file body of lines made of those fields, joined by commas and various line ends.
fn body() -> impl Strategy<Value = Vec<u8>> {
    let line = (
        proptest::collection::vec(field(), 0..9),
        prop_oneof![Just("\n"), Just("\r\n"), Just("\r"), Just("")],
    )
        .prop_map(|(f, end)| format!("{}{end}", f.join(",")));
    proptest::collection::vec(line, 0..12).prop_map(|l| l.concat().into_bytes())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_bytes_after_a_good_header(b in proptest::collection::vec(any::<u8>(), 0..400)) {
        check_after_header(&b)?;
    }

    #[test]
    fn csv_shaped_lines_after_a_good_header(b in body()) {
        check_after_header(&b)?;
    }

    #[test]
    fn any_bytes_as_a_whole_file(b in proptest::collection::vec(any::<u8>(), 0..300)) {
        match batch(&b) {
            Ok((sum, _, _)) => prop_assert_eq!(sum.assessed + sum.rejected, sum.records),
            Err(e) => prop_assert!(e.starts_with("line 1: ") || e.starts_with("reading"), "{}", e),
        }
    }
}
