//! Reading one entry from a CSV record: which column is which (by header name, any order), and
//! each field parsed from its text with a message naming the field and what was expected.
//!
//! The common forms (a plain decimal, `YYYY-MM-DD`, a two-letter code) are read without the
//! general parsers; anything else goes to them, so their messages are the ones a user sees.

use super::record::Record;
use quid_core::{parse_date, Country, HsCode, Quantity, Unit};
use quid_engine::Entry;
use rust_decimal::Decimal;
use std::str::FromStr;

/// The input columns, as documented in the README.
pub const COLUMNS: [&str; 18] = [
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
];
/// Columns every input must have.
pub const REQUIRED: [&str; 5] = ["importer", "origin", "hts", "date", "value"];

/// Where each of [`COLUMNS`] is in the input, when it is there.
#[derive(Clone, Copy, Debug)]
pub(super) struct Cols([Option<usize>; 18]);

impl Cols {
    pub(super) fn of(headers: &csv::ByteRecord) -> Cols {
        let mut c = [None; 18];
        for (i, name) in COLUMNS.iter().enumerate() {
            c[i] = headers.iter().position(|h| {
                std::str::from_utf8(h).is_ok_and(|h| h.trim().eq_ignore_ascii_case(name))
            });
        }
        Cols(c)
    }

    /// The required columns the header lacks.
    pub(super) fn missing(&self) -> Vec<&'static str> {
        REQUIRED
            .iter()
            .copied()
            .filter(|r| {
                COLUMNS
                    .iter()
                    .position(|c| c == r)
                    .and_then(|i| self.0[i])
                    .is_none()
            })
            .collect()
    }

    /// Field `col` of a record whose whole text is `text`, trimmed; `None` when absent or empty.
    pub(super) fn get<'r>(&self, text: &'r str, rec: &Record<'_>, col: usize) -> Option<&'r str> {
        self.0[col]
            .and_then(|j| rec.range(j))
            .and_then(|r| text.get(r))
            .map(str::trim_ascii)
            .filter(|s| !s.is_empty())
    }
}

fn flag(v: Option<&str>, name: &str) -> Result<bool, String> {
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
        Some(s) => Err(format!("{name}: {s:?} is not true/false")),
    }
}

/// A plain decimal ("100000", "12.5") without the general parser; `None` sends the text to it.
pub(super) fn fast_decimal(s: &str) -> Option<Decimal> {
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

fn dec(v: Option<&str>, name: &str) -> Result<Option<Decimal>, String> {
    v.map(|s| {
        fast_decimal(s).map_or_else(
            || Decimal::from_str(s).map_err(|_| format!("{name}: {s:?} is not a number")),
            Ok,
        )
    })
    .transpose()
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

/// Reads one entry from a record whose whole text is `text`; the error names the field and
/// what was expected.
pub(super) fn entry(cols: &Cols, text: &str, rec: &Record<'_>) -> Result<Entry, String> {
    let get = |i: usize| cols.get(text, rec, i);
    let req = |i: usize| get(i).ok_or_else(|| format!("{}: missing; expected a value", COLUMNS[i]));
    let importer: Country = req(1)?.parse().map_err(|e| format!("importer: {e}"))?;
    let origin: Country = req(2)?.parse().map_err(|e| format!("origin: {e}"))?;
    let hs: HsCode = req(3)?.parse().map_err(|e| format!("hts: {e}"))?;
    let date_text = req(4)?;
    let date = fast_date(date_text).map_or_else(
        || parse_date(date_text).map_err(|e| format!("date: {e}")),
        Ok,
    )?;
    let value = dec(Some(req(5)?), "value")?.unwrap_or_default();
    let mut e = Entry::new(importer, origin, hs, date, value);
    if let Some(q) = dec(get(6), "quantity")? {
        let unit_text =
            get(7).ok_or("unit: missing; a quantity needs its unit (kg, liter, each, ...)")?;
        let unit: Unit = unit_text
            .parse()
            .map_err(|e: String| format!("unit: {e}"))?;
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
    Ok(e)
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
}
