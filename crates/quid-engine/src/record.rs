//! One external entry record: the shape of an entry outside quid (the batch's CSV and Parquet
//! columns, the API body, the command-line flags, the golden cases), and its one conversion into
//! an [`Entry`]. Every way in reads the same field names and gets the same messages, which name
//! the field and what was expected.
//!
//! ```
//! use quid_engine::record::EntryRecord;
//! let r = EntryRecord {
//!     importer: "US".into(), origin: "CA".into(), hts: "7208.10.15.00".into(),
//!     date: "2025-07-01".into(), value: "100000".into(), usmca: Some("true".into()),
//!     ..EntryRecord::default()
//! };
//! let e = r.to_entry().unwrap();
//! assert!(e.preference_claim);
//! assert_eq!(e.value.to_string(), "100000");
//! let bad = EntryRecord { value: "ten".into(), ..r };
//! assert_eq!(bad.to_entry().unwrap_err().to_string(), "value: \"ten\" is not a number");
//! ```
//!
//! The common forms (a plain decimal, `YYYY-MM-DD`, a two-letter code) are read without the
//! general parsers, so the batch's hot path allocates nothing; anything else goes to them, so
//! their messages are the ones a user sees.

use crate::Entry;
use quid_core::{parse_date, Country, HsCode, Quantity, Unit};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// The record's fields, in the batch's documented column order.
pub const COLUMNS: [&str; 22] = [
    "id",
    "importer",
    "origin",
    "hts",
    "date",
    "value",
    "quantity",
    "unit",
    "usmca",
    "steel_content",
    "aluminum_content",
    "copper_content",
    "us_content",
    "ca_mx_content",
    "us_melted",
    "transshipped",
    "energy",
    "qualifying",
    "remission",
    "de_minimis",
    "adcvd_case",
    "adcvd_rate",
];
/// Fields every entry must have.
pub const REQUIRED: [&str; 5] = ["importer", "origin", "hts", "date", "value"];

/// The largest amount a value, quantity or content field may hold: a thousand trillion, far
/// above any customs entry, and small enough that every duty computed from it fits the
/// batch's `DECIMAL(18,2)` Parquet columns at rates below 900%.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(2_764_472_320, 232_830, 0, false, 0);

/// At most this many characters of a field are quoted in a message.
const SHOWN: usize = 40;

/// A field's text for a message: debug-quoted, and cut after [`SHOWN`] characters with the
/// whole length stated, so a 10 MB field does not make a 10 MB message.
pub fn shown(s: &str) -> String {
    match s.char_indices().nth(SHOWN) {
        None => format!("{s:?}"),
        Some((cut, _)) => format!("{:?}... (cut; {} bytes in all)", &s[..cut], s.len()),
    }
}

/// A field that could not be read: which one, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    /// Whether the field was missing rather than malformed.
    pub fn is_missing(&self) -> bool {
        self.message.starts_with("missing")
    }
}

fn err(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError {
        field,
        message: message.into(),
    }
}

/// An entry's fields as borrowed texts, indexed as [`COLUMNS`]; `None` is an absent or empty
/// field. This is the form the batch reads without allocating.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fields<'a>(pub [Option<&'a str>; 22]);

impl<'a> Fields<'a> {
    /// Field `name` (one of [`COLUMNS`]).
    pub fn get(&self, name: &str) -> Option<&'a str> {
        COLUMNS
            .iter()
            .position(|c| *c == name)
            .and_then(|i| self.0[i])
    }

    /// The one conversion into an [`Entry`].
    pub fn to_entry(&self) -> Result<Entry, FieldError> {
        let get = |i: usize| self.0[i].map(str::trim_ascii).filter(|s| !s.is_empty());
        let req = |i: usize| get(i).ok_or_else(|| err(COLUMNS[i], "missing; expected a value"));
        let importer: Country = req(1)?.parse().map_err(|e| err("importer", cut(e)))?;
        let origin: Country = req(2)?.parse().map_err(|e| err("origin", cut(e)))?;
        if origin == importer {
            return Err(err(
                "origin",
                format!(
                    "{origin} is the importer; quid assesses imports, and a good of the \
                     importer's own origin owes no tariff"
                ),
            ));
        }
        let hs: HsCode = req(3)?.parse().map_err(|e| err("hts", cut(e)))?;
        let date_text = req(4)?;
        let date = fast_date(date_text).map_or_else(
            || parse_date(date_text).map_err(|e| err("date", cut(e))),
            Ok,
        )?;
        // Customs values are in cents: rounded once here, half away from zero, so every
        // figure shown (the entry, each layer's base) starts from the same value.
        let value = dec(Some(req(5)?), "value")?
            .map(quid_core::money::round_cents)
            .unwrap_or_default();
        let mut e = Entry::new(importer, origin, hs, date, value);
        if let Some(q) = dec(get(6), "quantity")? {
            let unit_text = get(7).ok_or_else(|| {
                err(
                    "unit",
                    "missing; a quantity needs its unit (kg, liter, each, ...)",
                )
            })?;
            let unit: Unit = unit_text.parse().map_err(|e: String| err("unit", cut(e)))?;
            e.quantity = Some(Quantity::new(q, unit));
        }
        e.preference_claim = flag(get(8), "usmca")?;
        e.steel_content = dec(get(9), "steel_content")?;
        e.aluminum_content = dec(get(10), "aluminum_content")?;
        e.copper_content = dec(get(11), "copper_content")?;
        e.us_content = dec(get(12), "us_content")?;
        e.ca_mx_content = dec(get(13), "ca_mx_content")?;
        e.us_melted = flag(get(14), "us_melted")?;
        e.transshipped = flag(get(15), "transshipped")?;
        e.energy = flag(get(16), "energy")?;
        e.qualifying = flag(get(17), "qualifying")?;
        e.remission = flag(get(18), "remission")?;
        e.de_minimis = flag(get(19), "de_minimis")?;
        e.adcvd = adcvd(get(20), get(21))?;
        Ok(e)
    }
}

/// An entry as owned texts: the API body and the golden cases (JSON or TOML), the flags. Booleans
/// may be written as `true`/`false` or as text (`"yes"`, `"1"`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub importer: String,
    pub origin: String,
    #[serde(alias = "hs")]
    pub hts: String,
    pub date: String,
    #[serde(deserialize_with = "text")]
    pub value: String,
    #[serde(
        default,
        deserialize_with = "opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub quantity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(
        default,
        alias = "preference_claim",
        alias = "cusma",
        deserialize_with = "opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub usmca: Option<String>,
    #[serde(
        default,
        deserialize_with = "opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub steel_content: Option<String>,
    #[serde(
        default,
        deserialize_with = "opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub aluminum_content: Option<String>,
    #[serde(
        default,
        deserialize_with = "opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub copper_content: Option<String>,
    #[serde(
        default,
        deserialize_with = "opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub us_content: Option<String>,
    #[serde(
        default,
        deserialize_with = "opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub ca_mx_content: Option<String>,
    #[serde(
        default,
        deserialize_with = "opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub us_melted: Option<String>,
    #[serde(
        default,
        deserialize_with = "opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub transshipped: Option<String>,
    #[serde(
        default,
        deserialize_with = "opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub energy: Option<String>,
    #[serde(
        default,
        deserialize_with = "opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub qualifying: Option<String>,
    #[serde(
        default,
        deserialize_with = "opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub remission: Option<String>,
    /// Entered under a de minimis claim (19 U.S.C. 1321).
    #[serde(
        default,
        deserialize_with = "opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub de_minimis: Option<String>,
    /// AD/CVD case numbers, `;`-separated (`A-122-857;C-122-858`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adcvd_case: Option<String>,
    /// Their cash-deposit rates in percent, in the same order (`20.56;14.63`).
    #[serde(
        default,
        deserialize_with = "opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub adcvd_rate: Option<String>,
}

/// A scalar written as a string, a number or a boolean, kept as its text.
#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

impl Scalar {
    fn text(self) -> String {
        match self {
            Scalar::Text(s) => s,
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
            Scalar::Bool(b) => b.to_string(),
        }
    }
}

fn text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Scalar::deserialize(d).map(Scalar::text)
}

fn opt_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Option::<Scalar>::deserialize(d).map(|o| o.map(Scalar::text))
}

impl EntryRecord {
    /// The record's fields, as [`Fields`].
    pub fn fields(&self) -> Fields<'_> {
        fn o(s: &Option<String>) -> Option<&str> {
            s.as_deref()
        }
        Fields([
            o(&self.id),
            Some(&self.importer),
            Some(&self.origin),
            Some(&self.hts),
            Some(&self.date),
            Some(&self.value),
            o(&self.quantity),
            o(&self.unit),
            o(&self.usmca),
            o(&self.steel_content),
            o(&self.aluminum_content),
            o(&self.copper_content),
            o(&self.us_content),
            o(&self.ca_mx_content),
            o(&self.us_melted),
            o(&self.transshipped),
            o(&self.energy),
            o(&self.qualifying),
            o(&self.remission),
            o(&self.de_minimis),
            o(&self.adcvd_case),
            o(&self.adcvd_rate),
        ])
    }

    /// The one conversion into an [`Entry`] (see [`Fields::to_entry`]).
    pub fn to_entry(&self) -> Result<Entry, FieldError> {
        self.fields().to_entry()
    }
}

fn flag(v: Option<&str>, name: &'static str) -> Result<bool, FieldError> {
    match v {
        None => Ok(false),
        Some(s)
            if s.eq_ignore_ascii_case("true")
                || s == "1"
                || s.eq_ignore_ascii_case("yes")
                || s.eq_ignore_ascii_case("y") =>
        {
            Ok(true)
        }
        Some(s)
            if s.eq_ignore_ascii_case("false")
                || s == "0"
                || s.eq_ignore_ascii_case("no")
                || s.eq_ignore_ascii_case("n") =>
        {
            Ok(false)
        }
        Some(s) => Err(err(name, format!("{} is not true/false", shown(s)))),
    }
}

/// The declared AD/CVD cases and rates: `;`-separated, as many rates as cases, at most one AD
/// (`A-`) and one CVD (`C-`) case, each rate a percentage from 0 to 1000.
fn adcvd(
    cases: Option<&str>,
    rates: Option<&str>,
) -> Result<[Option<crate::entry::Adcvd>; 2], FieldError> {
    use crate::entry::{Adcvd, CaseNo};
    let (cases, rates) = match (cases, rates) {
        (None, None) => return Ok([None, None]),
        (Some(_), None) => {
            return Err(err(
                "adcvd_rate",
                "missing; a declared AD/CVD case needs its cash-deposit rate in percent",
            ))
        }
        (None, Some(_)) => {
            return Err(err(
                "adcvd_case",
                "missing; a declared AD/CVD rate needs its case number (A-122-857)",
            ))
        }
        (Some(c), Some(r)) => (c, r),
    };
    let cases: Vec<&str> = cases.split(';').map(str::trim).collect();
    let rates: Vec<&str> = rates.split(';').map(str::trim).collect();
    if cases.len() != rates.len() {
        return Err(err(
            "adcvd_rate",
            format!(
                "{} rate(s) for {} case(s); give one rate per case, in the same order",
                rates.len(),
                cases.len()
            ),
        ));
    }
    if cases.len() > 2 {
        return Err(err(
            "adcvd_case",
            format!("{} cases; at most one AD and one CVD case", cases.len()),
        ));
    }
    let mut out = [None, None];
    for (i, (c, r)) in cases.iter().zip(&rates).enumerate() {
        let case = CaseNo::parse(c).ok_or_else(|| {
            err(
                "adcvd_case",
                format!(
                    "{} is not a case number; expected A-ccc-nnn (AD) or C-ccc-nnn (CVD)",
                    shown(c)
                ),
            )
        })?;
        if out
            .iter()
            .flatten()
            .any(|a: &Adcvd| a.case.kind == case.kind)
        {
            return Err(err(
                "adcvd_case",
                format!("two cases of one kind ({case}); at most one AD and one CVD case"),
            ));
        }
        let rate = dec(Some(r), "adcvd_rate")?.unwrap_or_default();
        if rate < Decimal::ZERO || rate > Decimal::ONE_THOUSAND {
            return Err(err(
                "adcvd_rate",
                format!("{} is not a percentage from 0 to 1000", shown(r)),
            ));
        }
        out[i] = Some(Adcvd {
            case,
            rate_percent: rate,
        });
    }
    Ok(out)
}

/// A plain decimal ("100000", "12.5") without the general parser; `None` sends the text to it.
pub fn fast_decimal(s: &str) -> Option<Decimal> {
    let b = s.as_bytes();
    if b.is_empty() || b.len() > 18 {
        return None;
    }
    let mut mantissa: i64 = 0;
    let mut scale: Option<u32> = None;
    for &c in b {
        match c {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + i64::from(c - b'0');
                if let Some(sc) = scale.as_mut() {
                    *sc += 1;
                }
            }
            b'.' if scale.is_none() => scale = Some(0),
            _ => return None,
        }
    }
    if scale == Some(0) {
        return None;
    }
    Some(Decimal::new(mantissa, scale.unwrap_or(0)))
}

/// A decimal field: a plain decimal or scientific notation (`1.5e3`), at most [`MAX_AMOUNT`]
/// in size.
fn dec(v: Option<&str>, name: &'static str) -> Result<Option<Decimal>, FieldError> {
    let Some(s) = v else { return Ok(None) };
    if let Some(d) = fast_decimal(s) {
        if d <= MAX_AMOUNT {
            return Ok(Some(d));
        }
    }
    let too_large = || {
        err(
            name,
            format!("{} is too large (max {MAX_AMOUNT})", shown(s)),
        )
    };
    let parsed = Decimal::from_str(s).or_else(|_| Decimal::from_scientific(s));
    match parsed {
        Ok(d) if d.abs() > MAX_AMOUNT => Err(too_large()),
        Ok(d) => Ok(Some(d)),
        // Beyond what a decimal holds, yet a number: say so rather than "not a number".
        Err(_) if s.parse::<f64>().is_ok_and(|f| f.is_finite()) => Err(too_large()),
        Err(_) => Err(err(name, format!("{} is not a number", shown(s)))),
    }
}

/// A parser's message, cut to a readable length (the general parsers quote the text).
fn cut(e: impl std::fmt::Display) -> String {
    let m = e.to_string();
    const MAX: usize = 200;
    match m.char_indices().nth(MAX) {
        None => m,
        Some((at, _)) => format!("{}... (cut; {} bytes in all)", &m[..at], m.len()),
    }
}

/// "YYYY-MM-DD" without the general parser; `None` sends the text to it (for its message).
fn fast_date(t: &str) -> Option<quid_core::Date> {
    let b = t.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i16> {
        b[r].iter().try_fold(0i16, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + i16::from(c - b'0'))
        })
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    quid_core::Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_decimal_agrees_with_the_parser() {
        for t in [
            "0",
            "100000",
            "12.5",
            "0.40",
            "40000.00",
            "999999999999999999",
        ] {
            assert_eq!(fast_decimal(t), Some(Decimal::from_str(t).unwrap()), "{t}");
        }
        for t in [
            "",
            "1e5",
            "-3",
            "1.2.3",
            "abc",
            "1 000",
            "9999999999999999999",
        ] {
            assert_eq!(fast_decimal(t), None, "{t}");
        }
    }

    #[test]
    fn fast_date_agrees_with_the_parser() {
        for t in ["2025-07-01", "2026-02-28", "2024-02-29"] {
            assert_eq!(fast_date(t), parse_date(t).ok(), "{t}");
        }
        for t in ["2025-02-30", "2025-7-01", "20250701", "2025/07/01"] {
            assert_eq!(fast_date(t), None, "{t}");
        }
    }

    fn coil(value: &str) -> EntryRecord {
        EntryRecord {
            importer: "US".into(),
            origin: "CA".into(),
            hts: "7208.10.15.00".into(),
            date: "2025-07-01".into(),
            value: value.into(),
            ..EntryRecord::default()
        }
    }

    #[test]
    fn max_amount_is_a_thousand_trillion() {
        assert_eq!(MAX_AMOUNT, Decimal::from(1_000_000_000_000_000i64));
    }

    #[test]
    fn issue12_value_1e30_is_too_large_with_its_maximum() {
        let msg = |v: &str| coil(v).to_entry().unwrap_err().to_string();
        assert_eq!(
            msg("1e30"),
            "value: \"1e30\" is too large (max 1000000000000000)"
        );
        // 31 digits: beyond what a decimal holds, still "too large", not a precision error.
        assert_eq!(
            msg("1000000000000000000000000000000"),
            "value: \"1000000000000000000000000000000\" is too large (max 1000000000000000)"
        );
        assert_eq!(
            msg("100000000000000000"),
            "value: \"100000000000000000\" is too large (max 1000000000000000)"
        );
        assert_eq!(msg("ten"), "value: \"ten\" is not a number");
        // At the maximum, and in scientific notation within it: accepted.
        assert_eq!(
            coil("1000000000000000").to_entry().unwrap().value,
            MAX_AMOUNT
        );
        assert_eq!(coil("1.5e3").to_entry().unwrap().value, Decimal::from(1500));
    }

    #[test]
    fn issue12_origin_equal_to_importer_is_refused() {
        let r = EntryRecord {
            origin: "US".into(),
            ..coil("100")
        };
        assert_eq!(
            r.to_entry().unwrap_err().to_string(),
            "origin: US is the importer; quid assesses imports, and a good of the importer's \
             own origin owes no tariff"
        );
    }

    #[test]
    fn issue12_value_with_three_decimals_is_rounded_once_half_away_from_zero() {
        // 100.005 -> 100.01 and 100.004 -> 100.00 (half away from zero, to the cent).
        assert_eq!(
            coil("100.005").to_entry().unwrap().value.to_string(),
            "100.01"
        );
        assert_eq!(
            coil("100.004").to_entry().unwrap().value.to_string(),
            "100.00"
        );
        assert_eq!(coil("100").to_entry().unwrap().value.to_string(), "100");
    }

    #[test]
    fn issue12_a_long_field_is_cut_in_the_message() {
        let long = "x".repeat(10_000_000);
        let msg = coil(&long).to_entry().unwrap_err().to_string();
        assert_eq!(
            msg,
            format!(
                "value: {:?}... (cut; 10000000 bytes in all) is not a number",
                "x".repeat(40)
            )
        );
        let r = EntryRecord {
            usmca: Some("é".repeat(50)),
            ..coil("1")
        };
        assert_eq!(
            r.to_entry().unwrap_err().to_string(),
            format!(
                "usmca: {:?}... (cut; 100 bytes in all) is not true/false",
                "é".repeat(40)
            )
        );
    }
}
