//! Property-based fuzzing of the entry record (`quid_engine::record`), the shape every way in
//! shares: the batch's fields and the command-line flags (arbitrary texts per field) and the
//! TOML/JSON body (arbitrary documents). Every input gives an entry or an error that names one
//! of the record's fields; nothing panics, and no message quotes a long field whole.
//!
//! Cases per property: 256 by default; `PROPTEST_CASES` for a longer run (TESTING.md).

use proptest::prelude::*;
use quid_engine::record::{EntryRecord, Fields, COLUMNS, MAX_AMOUNT};

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A field: arbitrary text (from arbitrary bytes), or a plausible value of some field, or absent.
fn field() -> impl Strategy<Value = Option<String>> {
    proptest::option::weighted(
        0.9,
        prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..300)
                .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
            Just("US".to_string()),
            Just("CA".to_string()),
            Just("7208.10.15.00".to_string()),
            Just("2025-07-01".to_string()),
            Just("9999-12-31".to_string()),
            Just("true".to_string()),
            "-?[0-9]{0,40}(\\.[0-9]{0,40})?(e[0-9]{1,3})?",
            "[a-z]{0,8}",
        ],
    )
}

fn check(fields: &[Option<String>]) -> Result<(), TestCaseError> {
    let mut f = Fields::default();
    for (slot, v) in f.0.iter_mut().zip(fields) {
        *slot = v.as_deref();
    }
    match f.to_entry() {
        Ok(e) => {
            prop_assert!(e.value.abs() <= MAX_AMOUNT);
            prop_assert!(e.origin != e.importer);
            // The value is in cents.
            prop_assert!(e.value.scale() <= 2, "{}", e.value);
        }
        Err(err) => {
            prop_assert!(COLUMNS.contains(&err.field), "{err}");
            prop_assert!(!err.message.is_empty());
            // A message quotes at most 40 characters of a field, plus the parsers' own words.
            prop_assert!(
                err.to_string().len() < 600,
                "{} bytes",
                err.to_string().len()
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn fields_from_arbitrary_text(fields in proptest::collection::vec(field(), 18)) {
        check(&fields)?;
    }

    /// The flag form: the five required flags always given, the rest arbitrary.
    #[test]
    fn flag_form(
        value in field(),
        hts in field(),
        date in field(),
        origin in field(),
        quantity in field(),
        unit in field(),
    ) {
        let r = EntryRecord {
            importer: "US".into(),
            origin: origin.unwrap_or_default(),
            hts: hts.unwrap_or_default(),
            date: date.unwrap_or_default(),
            value: value.unwrap_or_default(),
            quantity,
            unit,
            ..EntryRecord::default()
        };
        let fields: Vec<Option<String>> =
            r.fields().0.iter().map(|f| f.map(str::to_string)).collect();
        check(&fields)?;
    }

    /// A TOML body from arbitrary bytes: refused with a message, or read and converted.
    #[test]
    fn toml_body_from_arbitrary_bytes(b in proptest::collection::vec(any::<u8>(), 0..200)) {
        let text = String::from_utf8_lossy(&b);
        if let Ok(r) = toml::from_str::<EntryRecord>(&text) {
            let fields: Vec<Option<String>> =
                r.fields().0.iter().map(|f| f.map(str::to_string)).collect();
            check(&fields)?;
        }
    }

    /// A TOML body shaped like an entry, with arbitrary values.
    #[test]
    fn toml_body_with_arbitrary_values(v in "\\PC{0,30}", d in "\\PC{0,12}") {
        let (d, v) = (toml::Value::String(d), toml::Value::String(v));
        let text = format!(
            "importer = \"US\"\norigin = \"CA\"\nhts = \"7208.10.15.00\"\ndate = {d}\nvalue = {v}\n"
        );
        let r: EntryRecord = toml::from_str(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let fields: Vec<Option<String>> =
            r.fields().0.iter().map(|f| f.map(str::to_string)).collect();
        check(&fields)?;
    }
}
