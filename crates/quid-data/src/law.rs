//! Reading the law parameters (`data/params/law.toml`) into [`quid_engine::Law`]: the file, line
//! and field of any problem (a date out of order, a share out of range, an unknown authority or
//! key). What the parameters mean, and the rules that use them, are quid-engine's.
//!
//! Read the bundled parameters, then ask one on a date; a bad value is reported with its line and
//! field:
//!
//! ```
//! use quid_core::parse_date;
//! use quid_data::law::{parse_law, read_law};
//! use std::path::Path;
//!
//! let law = read_law(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/params/law.toml")))
//!     .unwrap();
//! // `us.us_content_default` is 0.40 from 2025-04-03 on, and has no value before.
//! let d = |s| parse_date(s).unwrap();
//! assert_eq!(law.us_content_default(d("2025-07-01")).unwrap().to_string(), "0.40");
//! assert!(law.us_content_default(d("2025-01-01")).is_err());
//!
//! // A share of 1.4 is out of range: the error names line 4, the `value` it writes.
//! let text = "[us.us_content_default]\ndescription = \"x\"\n[[us.us_content_default.values]]\nvalue = \"1.4\"\n";
//! let e = parse_law(text, Path::new("law.toml")).unwrap_err();
//! let d = &e.diagnostics()[0];
//! assert_eq!((d.line, d.field.as_deref()), (Some(4), Some("us.us_content_default.values.value")));
//! assert_eq!(d.message, r#""1.4" is not a share from 0 to 1 (e.g. "0.40")"#);
//! ```

use crate::error::DataError;
use quid_engine::Law;
use std::path::Path;

/// Reads a law file.
pub fn read_law(path: &Path) -> Result<Law, DataError> {
    let text = crate::bounded::read_text(path)?;
    parse_law(&text, path)
}

/// Parses law TOML text (`path` names it in errors).
pub fn parse_law(text: &str, path: &Path) -> Result<Law, DataError> {
    toml::from_str::<Law>(text).map_err(|e| DataError::toml(path, text, &e))
}

/// The number of parameters and of dated values in a law file, for the bundle check.
pub fn counts(law: &Law) -> (usize, usize) {
    let us = &law.us;
    let ca = &law.ca;
    let mut values = vec![
        us.general.values().len(),
        us.us_content_default.values().len(),
        us.editions.values().len(),
        ca.mfn.values().len(),
        ca.free_outside_schedule.values().len(),
        ca.supply_managed.values().len(),
        ca.ca_mx_content_minimum.values().len(),
        ca.editions.values().len(),
    ];
    values.extend(us.preference.values().map(|p| p.values().len()));
    values.extend(ca.preference.values().map(|p| p.values().len()));
    (values.len(), values.iter().sum())
}

#[cfg(test)]
mod tests {
    use super::*;
    use quid_core::{parse_date, Country, HsCode};

    fn bundled() -> Law {
        let path = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../data/params/law.toml"
        ));
        read_law(path).expect("the bundled law file reads")
    }

    #[test]
    fn the_bundled_file_reads_with_the_values_the_engine_had_as_constants() {
        let law = bundled();
        let d = |s| parse_date(s).expect("date");
        let us = law.us_content_default(d("2025-09-01")).expect("in force");
        assert_eq!(us.to_string(), "0.40");
        let ca = law
            .ca_mx_content_minimum(d("2025-09-01"))
            .expect("in force");
        assert_eq!(ca.to_string(), "0.15");
        assert_eq!(
            law.us.editions.effective("2025 basic"),
            Some(d("2025-01-01"))
        );
        assert_eq!(
            law.us.editions.effective("2026 rev 10"),
            Some(d("2026-06-08"))
        );
        assert_eq!(law.ca.editions.effective("2026"), Some(d("2026-01-01")));
        assert!(law.ca.editions.stand_in_on(d("2025-05-01")));
        assert!(!law.ca.editions.stand_in_on(d("2024-12-31")));
        let s = law
            .us_preference(Country::MX, d("2025-09-01"))
            .expect("in force");
        assert_eq!(s.map(|p| p.value.value.programme.as_str()), Some("S"));
        let sm = |c| law.ca_supply_managed(&HsCode::parse(c).expect("code"), d("2025-05-01"));
        assert_eq!(sm("0401.10.10"), Ok(true));
        assert_eq!(sm("7208.10.00"), Ok(false));
        assert_eq!(counts(&law), (11, 13));
    }

    #[test]
    fn a_share_out_of_range_names_its_file_line_and_field() {
        let path = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../data/params/law.toml"
        ));
        let text = std::fs::read_to_string(path).expect("read");
        let bad = text.replacen("value = \"0.40\"", "value = \"1.40\"", 1);
        let line = 1 + bad[..bad.find("\"1.40\"").expect("replaced")]
            .matches('\n')
            .count() as u64;
        let e = parse_law(&bad, Path::new("law.toml")).expect_err("out of range");
        let d = &e.diagnostics()[0];
        assert_eq!(d.line, Some(line), "{e}");
        assert_eq!(
            d.field.as_deref(),
            Some("us.us_content_default.values.value"),
            "{e}"
        );
        assert!(
            d.message.contains("\"1.40\" is not a share from 0 to 1"),
            "{e}"
        );
    }

    #[test]
    fn values_out_of_date_order_are_refused() {
        let text = r#"
[us.general]
description = "d"
values = [
  { from = "2020-01-01", value = { column = "c", authority = "mfn" }, citation = { title = "t" } },
  { from = "2019-01-01", value = { column = "c", authority = "mfn" }, citation = { title = "t" } },
]
"#;
        let e = parse_law(text, Path::new("law.toml")).expect_err("out of order");
        let d = &e.diagnostics()[0];
        assert!(
            d.message.contains(
                "values must be in date order: 2019-01-01 does not come after 2020-01-01"
            ),
            "{e}"
        );
        assert_eq!(d.line, Some(2), "{e}");
    }
}
