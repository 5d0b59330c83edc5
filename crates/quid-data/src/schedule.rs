//! The tariff schedule model shared by the US HTS and the Canadian Customs Tariff: lines with
//! their description path, units, rates (inherited from the nearest ancestor that states one),
//! special-programme rates and Chapter 99 references, indexed for lookup by code.
//!
//! Lookup by code is a hash lookup and prefix ranges are binary searches over a sorted key
//! array: no allocation, no scan.
//!
//! Lookups in the bundled sample of the Canadian tariff:
//!
//! ```
//! use quid_core::{parse_date, HsCode};
//! use quid_data::cbsa;
//!
//! let data = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
//! let path = data.join("cbsa/ca_tariff_2026_sample_ch01_ch02.csv");
//! let ca = cbsa::load(&path, "2026 sample", parse_date("2026-01-01").unwrap(), true).unwrap();
//! let code = |s: &str| s.parse::<HsCode>().unwrap();
//!
//! // `get` is exact; `find` walks up, so a 10-digit statistical code finds its tariff item.
//! assert!(ca.get(&code("0105.11.22.00")).is_none());
//! let item = ca.find(&code("0105.11.22.00")).unwrap();
//! assert_eq!(item.code.dotted(), "0105.11.22");
//! assert_eq!(ca.description(item), "Over access commitment");
//!
//! // The rate as printed and as understood.
//! let mfn = item.general.as_ref().unwrap();
//! assert_eq!(&*mfn.text, "238 % but not less than 30.8 ¢each");
//! assert_eq!(mfn.rate.as_ref().unwrap().to_string(), "238% but not less than 30.8¢ each");
//!
//! // Every line under a prefix, in code order.
//! let chickens: Vec<String> =
//!     ca.under(&code("0105.11")).iter().map(|l| l.code.dotted()).collect();
//! assert_eq!(chickens, ["0105.11.10", "0105.11.21", "0105.11.22", "0105.11.90"]);
//!
//! // A rate text that is not understood is kept with its place: "1.9 ¢" names no unit.
//! let p = ca.problems.iter().find(|p| p.code == code("0105.94.91")).unwrap();
//! assert_eq!((p.source_line, p.column, p.text.as_str()), (29, "MFN", "1.9 ¢"));
//! ```

use quid_core::rate::{RateExpr, SpecialRates};
use quid_core::{Country, Date, HsCode};
use std::path::PathBuf;
use std::sync::Arc;

/// A rate column's value on a line: the text as printed, its parse, and the line it was stated
/// on (itself, or the ancestor it is inherited from).
#[derive(Debug, Clone)]
pub struct RateCell {
    pub text: Arc<str>,
    pub rate: Result<Arc<RateExpr>, Arc<str>>,
    pub from: HsCode,
}

/// The special column (US) or the preferential columns (Canada: UST, MXT, ...).
#[derive(Debug, Clone)]
pub struct SpecialCell {
    pub text: Arc<str>,
    pub rates: Result<Arc<SpecialRates>, Arc<str>>,
    pub from: HsCode,
}

/// A row of the schedule as printed, including rows without a number (headers such as
/// "Horses:"), so description paths read as in the book.
#[derive(Debug, Clone)]
pub struct Row {
    pub indent: u8,
    pub description: String,
    pub parent: Option<u32>,
}

/// One numbered line of a schedule.
#[derive(Debug, Clone)]
pub struct TariffLine {
    pub code: HsCode,
    pub row: u32,
    /// 1-based line (CSV) or object index (JSON) in the source file.
    pub source_line: u64,
    pub units: Vec<String>,
    pub general: Option<RateCell>,
    pub special: Option<SpecialCell>,
    pub other: Option<RateCell>,
    pub footnotes: Vec<String>,
    /// Chapter 99 headings referenced by this line's or its ancestors' footnotes.
    pub chapter99: Vec<String>,
}

/// A rate text that could not be understood, with its place.
#[derive(Debug, Clone)]
pub struct RateProblem {
    pub source_line: u64,
    pub code: HsCode,
    pub column: &'static str,
    pub text: String,
    pub reason: String,
}

/// Counts of rate strings read and understood.
#[derive(Debug, Clone, Copy, Default)]
pub struct ParseStats {
    pub rate_strings: usize,
    pub understood: usize,
}

impl ParseStats {
    pub fn share(&self) -> f64 {
        if self.rate_strings == 0 {
            1.0
        } else {
            self.understood as f64 / self.rate_strings as f64
        }
    }
}

/// A loaded schedule edition.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub importer: Country,
    /// Edition name, e.g. "2025 basic", "2026 rev 10", "CBSA sample".
    pub edition: String,
    pub effective: Date,
    pub source: PathBuf,
    /// True when the schedule is known to be partial (the bundled CBSA sample).
    pub partial: bool,
    pub rows: Vec<Row>,
    lines: Vec<TariffLine>,
    keys: Vec<u64>,
    /// Code -> index in `lines`, for O(1) lookup.
    by_code: std::collections::HashMap<u64, u32, quid_core::IntBuildHasher>,
    pub problems: Vec<RateProblem>,
    pub stats: ParseStats,
}

fn key(code: &HsCode) -> u64 {
    (code.padded() << 4) | u64::from(code.level())
}

impl Schedule {
    /// Builds a schedule from lines in any order (sorted here). Duplicate codes keep the first.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        importer: Country,
        edition: String,
        effective: Date,
        source: PathBuf,
        partial: bool,
        rows: Vec<Row>,
        mut lines: Vec<TariffLine>,
        problems: Vec<RateProblem>,
        stats: ParseStats,
    ) -> Schedule {
        lines.sort_by_key(|l| key(&l.code));
        lines.dedup_by_key(|l| key(&l.code));
        let keys: Vec<u64> = lines.iter().map(|l| key(&l.code)).collect();
        let by_code = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (*k, i as u32))
            .collect();
        Schedule {
            importer,
            edition,
            effective,
            source,
            partial,
            rows,
            lines,
            keys,
            by_code,
            problems,
            stats,
        }
    }

    /// The line with exactly this code.
    pub fn get(&self, code: &HsCode) -> Option<&TariffLine> {
        self.by_code
            .get(&key(code))
            .map(|&i| &self.lines[i as usize])
    }

    /// The line for `code`, or its nearest ancestor of at least `min_level` digits, that has a
    /// general rate. HTS lines that print no rate carry their parent's (`hts::build`), so a code
    /// the schedule has is answered by its own line in one lookup.
    pub fn rated(&self, code: &HsCode, min_level: u8) -> Option<&TariffLine> {
        let mut level = code.level();
        while level >= min_level.max(2) {
            match self.get(&code.truncate(level)) {
                Some(l) if l.general.is_some() => return Some(l),
                _ => level -= 2,
            }
        }
        None
    }

    /// The line with this code, or else its nearest ancestor that the schedule has (a Canadian
    /// 10-digit statistical code finds its 8-digit tariff item).
    pub fn find(&self, code: &HsCode) -> Option<&TariffLine> {
        let mut level = code.level();
        loop {
            if let Some(l) = self.get(&code.truncate(level)) {
                return Some(l);
            }
            if level <= 2 {
                return None;
            }
            level -= 2;
        }
    }

    /// Every line, sorted by code.
    pub fn lines(&self) -> &[TariffLine] {
        &self.lines
    }

    /// Lines under a prefix (the prefix's own line included), sorted.
    pub fn under(&self, prefix: &HsCode) -> &[TariffLine] {
        let lo = self.keys.partition_point(|k| (k >> 4) < prefix.padded());
        let hi = self.keys.partition_point(|k| (k >> 4) < prefix.range_end());
        &self.lines[lo..hi]
    }

    /// The description of a line with every ancestor's, joined with " > ".
    pub fn description_path(&self, line: &TariffLine) -> Vec<&str> {
        let mut out = Vec::new();
        let mut cur = Some(line.row);
        while let Some(r) = cur {
            let Some(row) = self.rows.get(r as usize) else {
                break;
            };
            out.push(row.description.as_str());
            cur = row.parent;
        }
        out.reverse();
        out
    }

    /// The line's own description.
    pub fn description(&self, line: &TariffLine) -> &str {
        self.rows
            .get(line.row as usize)
            .map_or("", |r| r.description.as_str())
    }

    /// Lines that carry a rate of their own or inherit one and have no children: the lines an
    /// entry is classified in. For the US, the 10-digit statistical lines and 8-digit lines
    /// without statistical suffixes; Chapter 99 excluded.
    pub fn leaf_lines(&self) -> impl Iterator<Item = &TariffLine> {
        self.lines.iter().enumerate().filter_map(move |(i, l)| {
            if l.code.chapter() >= 98 || l.general.is_none() {
                return None;
            }
            let next_is_child = self
                .lines
                .get(i + 1)
                .is_some_and(|n| n.code.starts_with(&l.code) && n.code.level() > l.code.level());
            (!next_is_child).then_some(l)
        })
    }
}
