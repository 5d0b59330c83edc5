//! The USITC Harmonized Tariff Schedule: loaders for the JSON export (`htsno, indent,
//! description, superior, units, general, special, other, footnotes, ...`) and for the flattened
//! CSV (the same fields as columns; units and footnotes joined with ";").
//!
//! Rows are nested by `indent`; a line whose rate columns are blank inherits the rates of its
//! nearest ancestor that states them. Footnotes that point to Chapter 99 ("See 9903.88.15.")
//! are kept as references. Every rate text is parsed; the ones that are not understood are
//! listed in [`Schedule::problems`], never dropped silently.
//!
//! Rows of the 2025 basic edition's heading 0101 in the flattened CSV (with the unnumbered
//! "Horses:" row the JSON export carries): the males' line prints no rate and inherits its
//! parent's, with its Chapter 99 reference.
//!
//! ```
//! use quid_core::{parse_date, HsCode};
//! use quid_data::hts;
//!
//! let text = r#"htsno,indent,description,units,general,special,other,footnotes
//! 0101,0,"Live horses, asses, mules and hinnies:",,,,,
//! ,1,Horses:,,,,,
//! 0101.21.00,2,Purebred breeding animals,,Free,,Free,See 9903.88.15.
//! 0101.21.00.10,3,Males,No.,,,,
//! 0101.30.00.00,1,Asses,No.,6.8%,"Free (A+,AU,BH,CL,CO,D,E,IL,JO,KR,MA,OM,P,PA,PE,S,SG)",15%,See 9903.88.15.
//! "#;
//! let path = std::env::temp_dir().join(format!("quid-doc-hts-{}.csv", std::process::id()));
//! std::fs::write(&path, text).unwrap();
//! let hts = hts::load_csv(&path, "2025 basic", parse_date("2025-01-01").unwrap());
//! std::fs::remove_file(&path).unwrap();
//! let hts = hts.unwrap();
//! let code = |s: &str| s.parse::<HsCode>().unwrap();
//!
//! let males = hts.get(&code("0101.21.00.10")).unwrap();
//! let general = males.general.as_ref().unwrap();
//! assert_eq!((&*general.text, general.from), ("Free", code("0101.21.00")));
//! assert_eq!(males.chapter99, ["9903.88.15"]);
//! assert_eq!(
//!     hts.description_path(males),
//!     ["Live horses, asses, mules and hinnies:", "Horses:", "Purebred breeding animals", "Males"]
//! );
//!
//! // Asses: 6.8% general, free for USMCA goods (programme S), 15% in column 2.
//! let asses = hts.get(&code("0101.30.00.00")).unwrap();
//! let special = asses.special.as_ref().unwrap().rates.as_ref().unwrap();
//! assert!(special.rate_for("S").unwrap().is_free());
//! assert_eq!(asses.other.as_ref().unwrap().rate.as_ref().unwrap().to_string(), "15%");
//!
//! // Every rate text was understood; the lines an entry is classified in are the leaves.
//! assert_eq!((hts.problems.len(), hts.stats.share()), (0, 1.0));
//! let leaves: Vec<String> = hts.leaf_lines().map(|l| l.code.dotted()).collect();
//! assert_eq!(leaves, ["0101.21.00.10", "0101.30.00.00"]);
//! ```

use crate::error::{DataError, Diagnostics};
use crate::reader::{read_to_string, Csv};
use crate::schedule::{ParseStats, RateCell, RateProblem, Row, Schedule, SpecialCell, TariffLine};
use quid_core::rate::{RateExpr, SpecialRates};
use quid_core::{Country, Date, HsCode};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// One row as read from either format, before nesting.
#[derive(Debug, Default, serde::Deserialize)]
struct RawRow {
    #[serde(default)]
    htsno: Option<String>,
    #[serde(default, deserialize_with = "de_indent")]
    indent: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    units: Option<Vec<String>>,
    #[serde(default)]
    general: Option<String>,
    #[serde(default)]
    special: Option<String>,
    #[serde(default)]
    other: Option<String>,
    #[serde(default)]
    footnotes: Option<Vec<RawFootnote>>,
}

#[derive(Debug, Default, serde::Deserialize)]
struct RawFootnote {
    #[serde(default)]
    value: Option<String>,
}

fn de_indent<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    Ok(match v {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

use serde::Deserialize;

/// Loads the USITC JSON export.
pub fn load_json(path: &Path, edition: &str, effective: Date) -> Result<Schedule, DataError> {
    let text = read_to_string(path)?;
    let raw: Vec<RawRow> = serde_json::from_str(&text).map_err(|e| {
        DataError::at(
            path,
            Some(e.line() as u64),
            None,
            format!("not a USITC HTS JSON export (an array of rows): {e}"),
        )
    })?;
    let rows = raw.into_iter().enumerate().map(|(i, r)| (i as u64 + 1, r));
    build(path, edition, effective, rows)
}

/// Loads the flattened CSV (columns htsno, indent, description, units, general, special, other,
/// footnotes; extra columns are ignored).
pub fn load_csv(path: &Path, edition: &str, effective: Date) -> Result<Schedule, DataError> {
    let mut csv = Csv::open(
        path,
        &[
            "htsno",
            "indent",
            "description",
            "units",
            "general",
            "special",
            "other",
            "footnotes",
        ],
    )?;
    let c = |n: &str| csv.col(n).unwrap_or(0);
    let (ih, ii, id, iu, ig, is, io, if_) = (
        c("htsno"),
        c("indent"),
        c("description"),
        c("units"),
        c("general"),
        c("special"),
        c("other"),
        c("footnotes"),
    );
    let mut rows = Vec::new();
    let mut diags = Diagnostics::default();
    for rec in csv.records() {
        let (line, rec) = match rec {
            Ok(x) => x,
            Err(e) => {
                diags.extend_from(&e);
                continue;
            }
        };
        let get = |i: usize| rec.get(i).unwrap_or("").to_string();
        let nonempty = |s: String| if s.trim().is_empty() { None } else { Some(s) };
        let split = |s: String| -> Vec<String> {
            s.split(';')
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty())
                .collect()
        };
        rows.push((
            line,
            RawRow {
                htsno: nonempty(get(ih)),
                indent: nonempty(get(ii)),
                description: Some(get(id)),
                units: Some(split(get(iu))),
                general: nonempty(get(ig)),
                special: nonempty(get(is)),
                other: nonempty(get(io)),
                footnotes: Some(
                    split(get(if_))
                        .into_iter()
                        .map(|v| RawFootnote { value: Some(v) })
                        .collect(),
                ),
            },
        ));
    }
    diags.into_result()?;
    build(path, edition, effective, rows.into_iter())
}

/// Extracts Chapter 99 heading numbers ("9903.88.15") from a footnote.
pub fn chapter99_refs(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 10 <= b.len() {
        let w = &b[i..i + 10];
        let shape = w[0..2] == *b"99"
            && w[2].is_ascii_digit()
            && w[3].is_ascii_digit()
            && w[4] == b'.'
            && w[5].is_ascii_digit()
            && w[6].is_ascii_digit()
            && w[7] == b'.'
            && w[8].is_ascii_digit()
            && w[9].is_ascii_digit();
        let boundary = i == 0 || !b[i - 1].is_ascii_digit();
        if shape && boundary {
            // Only ASCII bytes were matched, so this slice is on char boundaries.
            if let Ok(s) = std::str::from_utf8(w) {
                out.push(s.to_string());
            }
            i += 10;
        } else {
            i += 1;
        }
    }
    out
}

/// Parses rate texts once per distinct text and counts what was understood.
type Parsed<T> = (Arc<str>, Result<Arc<T>, Arc<str>>);

#[derive(Default)]
pub(crate) struct RateCache {
    rates: HashMap<String, Parsed<RateExpr>>,
    specials: HashMap<String, Parsed<SpecialRates>>,
    pub(crate) stats: ParseStats,
}

impl RateCache {
    pub(crate) fn rate(&mut self, text: &str, code: HsCode) -> RateCell {
        self.stats.rate_strings += 1;
        let (t, r) = self
            .rates
            .entry(text.to_string())
            .or_insert_with(|| {
                let parsed = RateExpr::parse(text)
                    .map(Arc::new)
                    .map_err(|e| Arc::from(e.reason.as_str()));
                (Arc::from(text), parsed)
            })
            .clone();
        if r.is_ok() {
            self.stats.understood += 1;
        }
        RateCell {
            text: t,
            rate: r,
            from: code,
        }
    }

    pub(crate) fn special(&mut self, text: &str, code: HsCode) -> SpecialCell {
        self.stats.rate_strings += 1;
        let (t, r) = self
            .specials
            .entry(text.to_string())
            .or_insert_with(|| {
                let parsed = SpecialRates::parse(text)
                    .map(Arc::new)
                    .map_err(|e| Arc::from(e.to_string().as_str()));
                (Arc::from(text), parsed)
            })
            .clone();
        if r.is_ok() {
            self.stats.understood += 1;
        }
        SpecialCell {
            text: t,
            rates: r,
            from: code,
        }
    }
}

fn problem_of(
    cell_rate: &Result<impl Sized, Arc<str>>,
    text: &str,
    line: u64,
    code: HsCode,
    column: &'static str,
) -> Option<RateProblem> {
    cell_rate.as_ref().err().map(|reason| RateProblem {
        source_line: line,
        code,
        column,
        text: text.to_string(),
        reason: reason.to_string(),
    })
}

fn build(
    path: &Path,
    edition: &str,
    effective: Date,
    raw: impl Iterator<Item = (u64, RawRow)>,
) -> Result<Schedule, DataError> {
    let mut diags = Diagnostics::default();
    let mut rows: Vec<Row> = Vec::new();
    let mut lines: Vec<TariffLine> = Vec::new();
    let mut problems = Vec::new();
    let mut cache = RateCache::default();
    // Stack of (indent, row index, index in `lines` if numbered).
    let mut stack: Vec<(u8, u32, Option<usize>)> = Vec::new();
    for (line_no, r) in raw {
        let indent: u8 = match r.indent.as_deref().map(str::trim).unwrap_or("0").parse() {
            Ok(i) => i,
            Err(_) => {
                diags.push(
                    path,
                    Some(line_no),
                    Some("indent"),
                    format!("{:?} is not an indent level (0-12)", r.indent),
                );
                continue;
            }
        };
        while stack.last().is_some_and(|(i, _, _)| *i >= indent) {
            stack.pop();
        }
        let parent_row = stack.last().map(|(_, r, _)| *r);
        let parent_line = stack.iter().rev().find_map(|(_, _, l)| *l);
        let row_idx = rows.len() as u32;
        rows.push(Row {
            indent,
            description: r.description.clone().unwrap_or_default().trim().to_string(),
            parent: parent_row,
        });
        let htsno = r.htsno.as_deref().map(str::trim).unwrap_or("");
        if htsno.is_empty() {
            stack.push((indent, row_idx, None));
            continue;
        }
        let code = match HsCode::parse(htsno) {
            Ok(c) => c,
            Err(e) => {
                diags.push(path, Some(line_no), Some("htsno"), format!("{e}"));
                stack.push((indent, row_idx, None));
                continue;
            }
        };
        let parent = parent_line.map(|i| &lines[i]);
        let own = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let general = match own(&r.general) {
            Some(t) => {
                let c = cache.rate(&t, code);
                problems.extend(problem_of(&c.rate, &t, line_no, code, "general"));
                Some(c)
            }
            None => parent.and_then(|p| p.general.clone()),
        };
        let special = match own(&r.special) {
            Some(t) => {
                let c = cache.special(&t, code);
                problems.extend(problem_of(&c.rates, &t, line_no, code, "special"));
                Some(c)
            }
            // A line that states its own general rate does not inherit a special column.
            None if own(&r.general).is_some() => None,
            None => parent.and_then(|p| p.special.clone()),
        };
        let other = match own(&r.other) {
            Some(t) => {
                let c = cache.rate(&t, code);
                problems.extend(problem_of(&c.rate, &t, line_no, code, "other"));
                Some(c)
            }
            None => parent.and_then(|p| p.other.clone()),
        };
        let footnotes: Vec<String> = r
            .footnotes
            .unwrap_or_default()
            .into_iter()
            .filter_map(|f| f.value)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect();
        let mut chapter99: Vec<String> = parent.map(|p| p.chapter99.clone()).unwrap_or_default();
        for f in &footnotes {
            for h in chapter99_refs(f) {
                if !chapter99.contains(&h) {
                    chapter99.push(h);
                }
            }
        }
        let units = r
            .units
            .unwrap_or_default()
            .into_iter()
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty())
            .collect();
        lines.push(TariffLine {
            code,
            row: row_idx,
            source_line: line_no,
            units,
            general,
            special,
            other,
            footnotes,
            chapter99,
        });
        stack.push((indent, row_idx, Some(lines.len() - 1)));
    }
    diags.into_result()?;
    if lines.is_empty() {
        return Err(DataError::at(
            path,
            None,
            None,
            "no tariff lines found; expected a USITC HTS export",
        ));
    }
    let stats = cache.stats;
    Ok(Schedule::new(
        Country::US,
        edition.to_string(),
        effective,
        path.to_path_buf(),
        false,
        rows,
        lines,
        problems,
        stats,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_chapter99_refs() {
        assert_eq!(chapter99_refs("See 9903.88.15. "), vec!["9903.88.15"]);
        assert_eq!(
            chapter99_refs("See note 16 ...; See 9903.91.01.; See 9903.88.01."),
            vec!["9903.91.01", "9903.88.01"]
        );
        assert!(chapter99_refs("See chapter 99 statistical note 1.").is_empty());
    }
}
