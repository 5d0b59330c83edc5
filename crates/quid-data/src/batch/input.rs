//! Reading one entry from a CSV record: which column is which (by header name, any order); the
//! fields go to the engine's one conversion ([`quid_engine::record`]).
//!
//! ```
//! use quid_data::batch::{run, BatchError, COLUMNS, REQUIRED};
//! use rust_decimal::Decimal;
//!
//! // `policy` and `reference` as in the output example: 25% on goods of Canada unless USMCA is
//! // claimed, over a base of 2.5% (free under USMCA).
//! # use quid_core::rate::RateExpr;
//! # use quid_core::HsCode;
//! # use quid_engine::{Authority, BaseBasis, BaseRate, BaseRateError, Entry, Law, MeasureFile};
//! # use quid_engine::{MetalShare, Policy, Reference};
//! #
//! # // One measure: 25% on goods of Canada from 2025-03-04, unless USMCA is claimed.
//! # let file: MeasureFile = toml::from_str(r#"
//! #     [[measure]]
//! #     id = "US-IEEPA-CA-1"
//! #     title = "IEEPA duty on products of Canada"
//! #     importer = "US"
//! #     origins = ["CA"]
//! #     authority = "ieepa-ca"
//! #     heading = "9903.01.10"
//! #     instrument = "EO 14193"
//! #     status = "in_force"
//! #     confidence = "H"
//! #     from = "2025-03-04"
//! #     rate = "25%"
//! #     base = "full_value"
//! #     scope = { include = ["*"] }
//! #     conditions = { preference_claim = "absent" }
//! #     citations = [{ title = "EO 14193" }]
//! # "#).unwrap();
//! # let no_lists = |name: &str| Err(format!("no list {name}"));
//! # let policy = Policy::compile(&[("ieepa.toml".into(), file)], &no_lists, false).unwrap();
//! #
//! # // Base rates: 2.5% MFN on every line, free under a USMCA claim.
//! # struct Flat(RateExpr, RateExpr, Law);
//! # impl Reference for Flat {
//! #     fn base_rate(&self, e: &Entry) -> Result<BaseRate<'_>, BaseRateError> {
//! #         let (rate, authority, text) = match e.preference_claim {
//! #             true => (&self.1, Authority::USMCA, "Free"),
//! #             false => (&self.0, Authority::MFN, "2.5%"),
//! #         };
//! #         let basis = BaseBasis::Schedule {
//! #             column: "column 1",
//! #             edition: "an example",
//! #             stated_on: e.hs,
//! #             stand_in: false,
//! #         };
//! #         Ok(BaseRate { rate: Some(rate), authority, line: e.hs, text, basis, citation: None })
//! #     }
//! #     fn metal_share(&self, _: &HsCode) -> Option<MetalShare> {
//! #         None
//! #     }
//! #     fn law(&self) -> &Law {
//! #         &self.2
//! #     }
//! # }
//! # let law: Law = toml::from_str(include_str!("../../../../data/params/law.toml")).unwrap();
//! # let reference = Flat("2.5%".parse().unwrap(), "Free".parse().unwrap(), law);
//!
//! assert_eq!(REQUIRED, ["importer", "origin", "hts", "date", "value"]);
//! assert_eq!(COLUMNS[8], "usmca");
//!
//! // Names in any order and case, spaces around them; a flag reads true/false, yes/no, y/n or
//! // 1/0, and an empty cell is absent.
//! let input = "Value, HTS ,Date,origin,IMPORTER,USMCA
//! 1000,0101.30.00.00,2025-07-01,CA,US,yes
//! 1000,0101.30.00.00,2025-07-01,CA,US,
//! 1000,0101.30.00.00,2025-07-01,CA,US,maybe
//! ";
//! let (mut out, mut rejects) = (Vec::new(), Vec::new());
//! let sum = run(&policy, &reference, input.as_bytes(), &mut out, &mut rejects, &|_| {}).unwrap();
//! // Line 2 claims USMCA (free); line 3 does not (2.5% + 25% of 1000); line 4 is rejected.
//! assert_eq!((sum.assessed, sum.rejected, sum.total_duty.usd), (2, 1, Decimal::from(275)));
//! let rejects = String::from_utf8(rejects).unwrap();
//! assert_eq!(
//!     rejects.lines().nth(1),
//!     Some(r#"4,"usmca: ""maybe"" is not true/false",1000,0101.30.00.00,2025-07-01,CA,US,maybe"#)
//! );
//!
//! // An unknown or repeated column stops the batch, with the closest known name.
//! let input = "importer,origin,hts,date,value,usmac,value\nUS,CA,0101.30.00.00,2025-07-01,1,,1\n";
//! let err = run(&policy, &reference, input.as_bytes(), Vec::new(), Vec::new(), &|_| {});
//! assert_eq!(
//!     err.unwrap_err().to_string(),
//!     "line 1: these are not a column quid reads: \"usmac\" (column 6): did you mean usmca?; \
//!      \"value\" (column 7): a second value (first in column 5); the columns are id, importer, \
//!      origin, hts, date, value, quantity, unit, usmca, steel_content, aluminum_content, \
//!      copper_content, us_content, ca_mx_content, us_melted, transshipped, energy, qualifying, remission, \
//!      de_minimis, adcvd_case, adcvd_rate \
//!      (importer, origin, hts, date, value required)"
//! );
//!
//! // A missing required column stops the batch before any line is read.
//! let input = "importer,origin,hts,value\nUS,CA,0101.30.00.00,1000\n";
//! let err = run(&policy, &reference, input.as_bytes(), Vec::new(), Vec::new(), &|_| {});
//! let Err(BatchError::MissingColumns { missing, .. }) = err else { panic!("{err:?}") };
//! assert_eq!(missing, "date");
//! ```

use super::record::Record;
use quid_engine::record::Fields;
pub use quid_engine::record::{COLUMNS, REQUIRED};
use quid_engine::Entry;

/// Where each of [`COLUMNS`] is in the input, when it is there, and how many columns the
/// header has (every record must have as many fields).
#[derive(Clone, Copy, Debug)]
pub(super) struct Cols([Option<usize>; 22], pub(super) usize);

/// A header name that is none of [`COLUMNS`] (or a second copy of one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadColumn {
    /// 1-based position in the header.
    pub position: usize,
    pub name: String,
    /// A known column within two edits of the name, or the earlier position of a duplicate.
    pub hint: Option<String>,
}

impl std::fmt::Display for BadColumn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} (column {})",
            quid_engine::record::shown(&self.name),
            self.position
        )?;
        match &self.hint {
            Some(h) => write!(f, ": {h}"),
            None => Ok(()),
        }
    }
}

/// Levenshtein distance, in characters (header names are short).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diag + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// The known column closest to `name`, when it is within two edits and the edits change less
/// than half of the longer name (so `ab` suggests nothing, `hs` suggests `hts`).
pub fn did_you_mean(name: &str) -> Option<&'static str> {
    let name = name.trim().to_ascii_lowercase();
    COLUMNS
        .iter()
        .map(|c| (distance(&name, c), *c))
        .filter(|(d, c)| *d <= 2 && *d < name.chars().count().max(c.len()) / 2 + 1)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

impl Cols {
    /// The columns of a header: names in any order and case, spaces around them allowed; an
    /// unknown name or a name given twice is an error listing every such column.
    pub(super) fn of(headers: &csv::ByteRecord) -> Result<Cols, Vec<BadColumn>> {
        let mut c = [None; 22];
        let mut bad = Vec::new();
        for (j, h) in headers.iter().enumerate() {
            let name = String::from_utf8_lossy(h);
            let known = COLUMNS
                .iter()
                .position(|col| name.trim().eq_ignore_ascii_case(col));
            match known {
                Some(i) => match c[i] {
                    None => c[i] = Some(j),
                    Some(first) => bad.push(BadColumn {
                        position: j + 1,
                        name: name.into_owned(),
                        hint: Some(format!(
                            "a second {} (first in column {})",
                            COLUMNS[i],
                            first + 1
                        )),
                    }),
                },
                None => bad.push(BadColumn {
                    position: j + 1,
                    hint: if name.trim().is_empty() {
                        Some("an empty name (a comma too many at the end of the header?)".into())
                    } else {
                        did_you_mean(&name).map(|m| format!("did you mean {m}?"))
                    },
                    name: name.into_owned(),
                }),
            }
        }
        if bad.is_empty() {
            Ok(Cols(c, headers.len()))
        } else {
            Err(bad)
        }
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

/// Reads one entry from a record whose whole text is `text`; the error names the field and
/// what was expected.
pub(super) fn entry(cols: &Cols, text: &str, rec: &Record<'_>) -> Result<Entry, String> {
    let mut f = Fields::default();
    for (i, slot) in f.0.iter_mut().enumerate() {
        *slot = cols.get(text, rec, i);
    }
    f.to_entry().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggestions_are_close_names_only() {
        let got: Vec<_> = [
            "usmac", "USMCA ", "valeu", "hs", "dat", "ab", "remarks", "steel",
        ]
        .iter()
        .map(|n| did_you_mean(n))
        .collect();
        assert_eq!(
            got,
            [
                Some("usmca"),
                Some("usmca"),
                Some("value"),
                Some("hts"),
                Some("date"),
                None,
                None,
                None
            ]
        );
    }
}
