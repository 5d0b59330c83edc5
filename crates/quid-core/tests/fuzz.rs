//! Property-based fuzzing of the parsers a user reaches through quid-core: rate texts (the
//! general and special columns) and HS codes, over arbitrary bytes and over text shaped like
//! their inputs. Every input is accepted or rejected with a message; nothing panics.
//!
//! Cases per property: 256 by default (the suite stays well under a minute); set
//! `PROPTEST_CASES` for a longer run (TESTING.md).

use proptest::prelude::*;
use quid_core::rate::{EvalInput, RateExpr, SpecialRates};
use quid_core::{HsCode, Quantity, Unit};
use rust_decimal::Decimal;

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

/// Arbitrary bytes, read as text the way a file reader would (invalid UTF-8 replaced).
fn text_from_bytes() -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<u8>(), 0..80)
        .prop_map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// Text made of the pieces rate texts are made of.
fn rate_like() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("%".to_string()),
            Just("¢/kg".to_string()),
            Just("$".to_string()),
            Just(" + ".to_string()),
            Just("/liter".to_string()),
            Just(" on ".to_string()),
            Just("Free".to_string()),
            Just("(A,CA,MX,S)".to_string()),
            Just("(S+)".to_string()),
            Just("but not less than ".to_string()),
            Just("The duty provided in the applicable subheading".to_string()),
            "[0-9]{1,30}(\\.[0-9]{0,30})?",
            "\\PC{0,6}",
        ],
        0..8,
    )
    .prop_map(|parts| parts.concat())
}

fn evaluate(r: &RateExpr) {
    for value in [
        Decimal::ZERO,
        Decimal::from(100),
        Decimal::MAX,
        Decimal::new(1, 28),
    ] {
        let input = EvalInput::new(value).with_quantity(Quantity::new(Decimal::MAX, Unit::Kg));
        // A result or an error with a message: both are fine; a panic is not.
        if let Err(e) = r.duty(&input) {
            assert!(!e.to_string().is_empty());
        }
    }
}

fn check_rate(s: &str) -> Result<(), TestCaseError> {
    match RateExpr::parse(s) {
        Ok(r) => {
            evaluate(&r);
            let shown = r.to_string();
            prop_assert!(
                !shown.is_empty() || s.trim().is_empty(),
                "{s:?} shows as empty"
            );
        }
        Err(e) => prop_assert!(!e.to_string().is_empty(), "{s:?}: empty message"),
    }
    match SpecialRates::parse(s) {
        Ok(sr) => {
            for (r, _) in &sr.groups {
                evaluate(r);
            }
        }
        Err(e) => prop_assert!(!e.to_string().is_empty(), "{s:?}: empty message"),
    }
    Ok(())
}

fn check_hs(s: &str) -> Result<(), TestCaseError> {
    match HsCode::parse(s) {
        Ok(code) => {
            // An accepted code has an even number of digits from 2 to 10 and reads back the
            // same from its dotted and plain forms.
            prop_assert!([2, 4, 6, 8, 10].contains(&code.level()), "{s:?}");
            prop_assert_eq!(HsCode::parse(&code.dotted()).ok(), Some(code));
            prop_assert_eq!(HsCode::parse(&code.digits()).ok(), Some(code));
        }
        Err(e) => prop_assert!(!e.to_string().is_empty(), "{s:?}: empty message"),
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn rate_texts_from_arbitrary_bytes(s in text_from_bytes()) {
        check_rate(&s)?;
    }

    #[test]
    fn rate_like_texts(s in rate_like()) {
        check_rate(&s)?;
    }

    #[test]
    fn hs_codes_from_arbitrary_bytes(s in text_from_bytes()) {
        check_hs(&s)?;
    }

    #[test]
    fn hs_like_codes(s in "[0-9. ]{0,24}|[0-9]{0,30}") {
        check_hs(&s)?;
    }
}
