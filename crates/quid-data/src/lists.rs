//! US product lists by HTS prefix: the Section 232 lists (derivatives, the 2026 annexes, auto
//! and MHD parts, copper, semiconductors, programme prefixes, the 2025 base scope) and the IEEPA
//! exemption and "fentanyl" carve-out lists, read into one type, [`PrefixList`], with a fast
//! longest-prefix matcher.
//!
//! ```no_run
//! use quid_core::HsCode;
//! use quid_data::{lists, Bundle};
//! let bundle = Bundle::locate()?;
//! let spec = lists::bundled("s232_derivative_products.csv").expect("a bundled list");
//! let derivatives = lists::read_bundled_list(&bundle, spec)?;
//! let code: HsCode = "7326.90.86.88".parse().unwrap();
//! if let Some(entry) = derivatives.matches(&code) {
//!     println!("{} via {} ({:?})", code, entry.prefix, entry.heading);
//! }
//! # Ok::<(), quid_data::DataError>(())
//! ```
//!
//! Prefix rules. A prefix has 2, 4, 6, 8 or 10 digits (dots ignored). Two documented repairs
//! make a cell usable, each leaving a note on the list rather than an error:
//! - more than ten digits whose extra digits are all zeros are cut to ten (`850511007000` in
//!   `ieepa_exempt_products.csv` is HTS `8505.11.00.70`);
//! - a blank prefix names no product and its row is skipped (`s232_programs_prefixes.csv` uses
//!   such rows to point to the separate auto-parts and MHD-parts lists).
//!
//! Any other length (an odd number of digits, say) is an error naming the line.

use crate::bundle::Bundle;
use crate::error::{DataError, Diagnostic};
use crate::flows::fields::{collect_rows, columns as column_indices, opt_date_field, opt_text};
use crate::reader::Csv;
use quid_core::{Date, HsCode};
use std::path::{Path, PathBuf};

/// One row of a product list.
#[derive(Debug, Clone, PartialEq)]
pub struct ListEntry {
    pub prefix: HsCode,
    /// The Chapter 99 heading the list names (`ch99_code`), when it does.
    pub heading: Option<String>,
    /// The row's class: derivative type, annex, programme or category (see [`ListColumns`]).
    pub category: Option<String>,
    /// A second class where the file has one (e.g. the metal of an annex row).
    pub detail: Option<String>,
    /// The date the row took effect, when the file gives one.
    pub effective: Option<Date>,
    /// The row's line in the file.
    pub line: u64,
}

/// Which columns of a list file fill which [`ListEntry`] fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListColumns {
    pub prefix: &'static str,
    pub heading: Option<&'static str>,
    pub category: Option<&'static str>,
    pub detail: Option<&'static str>,
    pub effective: Option<&'static str>,
}

impl ListColumns {
    /// A list with only a prefix column.
    pub const fn prefix_only(prefix: &'static str) -> ListColumns {
        ListColumns {
            prefix,
            heading: None,
            category: None,
            detail: None,
            effective: None,
        }
    }

    /// Reads [`ListEntry::heading`] from `column`.
    pub const fn heading(self, column: &'static str) -> ListColumns {
        ListColumns {
            heading: Some(column),
            ..self
        }
    }

    /// Reads [`ListEntry::category`] from `column`.
    pub const fn category(self, column: &'static str) -> ListColumns {
        ListColumns {
            category: Some(column),
            ..self
        }
    }

    /// Reads [`ListEntry::detail`] from `column`.
    pub const fn detail(self, column: &'static str) -> ListColumns {
        ListColumns {
            detail: Some(column),
            ..self
        }
    }

    /// Reads [`ListEntry::effective`] from `column`.
    pub const fn effective(self, column: &'static str) -> ListColumns {
        ListColumns {
            effective: Some(column),
            ..self
        }
    }
}

/// A bundled list file (under `data/us_measures/`) and how to read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BundledList {
    pub file: &'static str,
    pub columns: ListColumns,
}

const fn list(file: &'static str, columns: ListColumns) -> BundledList {
    BundledList { file, columns }
}

const fn cols(prefix: &'static str) -> ListColumns {
    ListColumns::prefix_only(prefix)
}

/// Every bundled list file with its prefix column and optional columns.
pub const BUNDLED_LISTS: [BundledList; 11] = [
    list(
        "s232_derivative_products.csv",
        cols("hts_prefix")
            .heading("ch99_code")
            .category("derivative_type")
            .effective("effective_date"),
    ),
    list(
        "s232_annex_products.csv",
        cols("hts_prefix")
            .category("annex")
            .detail("metal_type")
            .effective("effective_date"),
    ),
    list(
        "s232_subdivision_r_products.csv",
        cols("hts_prefix")
            .category("source_annex")
            .detail("metal_type")
            .effective("effective_date"),
    ),
    list("s232_auto_parts.csv", cols("hts_prefix")),
    list("s232_mhd_parts.csv", cols("hts_prefix")),
    list(
        "s232_copper_products.csv",
        cols("hts10").heading("ch99_code"),
    ),
    list("s232_semi_products.csv", cols("hts10").heading("ch99_code")),
    list(
        "s232_programs_prefixes.csv",
        cols("hts_prefix")
            .category("program")
            .detail("usmca_exempt"),
    ),
    list("ieepa_exempt_products.csv", cols("hts10")),
    list(
        "fentanyl_carveout_products.csv",
        cols("hts8").heading("ch99_code").category("category"),
    ),
    list(
        "s232_base_scope_steel_aluminum_hts10_2025basic.csv",
        cols("hts10").category("metal"),
    ),
];

/// Every bundled list file with its prefix column (used by the bundle summary).
pub fn bundled_lists() -> &'static [BundledList] {
    &BUNDLED_LISTS
}

/// The bundled list with this file name.
pub fn bundled(file: &str) -> Option<&'static BundledList> {
    BUNDLED_LISTS.iter().find(|l| l.file == file)
}

/// Reads a bundled list.
pub fn read_bundled_list(bundle: &Bundle, list: &BundledList) -> Result<PrefixList, DataError> {
    read_prefix_list(&bundle.us_list(list.file), &list.columns)
}

/// A product list compiled for matching: entries sorted by prefix (file order among equal
/// prefixes), with the set of prefix lengths present.
#[derive(Debug, Clone, PartialEq)]
pub struct PrefixList {
    pub path: PathBuf,
    entries: Vec<ListEntry>,
    /// Bit `n / 2` set when some prefix has `n` digits.
    levels: u8,
    rows: usize,
    notes: Vec<Diagnostic>,
}

impl PrefixList {
    /// Builds a list from entries (sorted here).
    pub fn new(path: impl Into<PathBuf>, mut entries: Vec<ListEntry>) -> PrefixList {
        entries.sort_by_key(|e| e.prefix);
        let levels = entries
            .iter()
            .fold(0u8, |acc, e| acc | (1 << (e.prefix.level() / 2)));
        let rows = entries.len();
        PrefixList {
            path: path.into(),
            entries,
            levels,
            rows,
            notes: Vec::new(),
        }
    }

    /// The entry with the longest prefix of `code`, if any; among entries with the same prefix,
    /// the first in file order. No allocation: at most five binary searches.
    pub fn matches(&self, code: &HsCode) -> Option<&ListEntry> {
        self.matches_all(code).first()
    }

    /// All entries with the longest prefix of `code` that the list holds (a prefix can appear
    /// on several rows, e.g. as both a steel and an aluminum derivative). Empty when none.
    pub fn matches_all(&self, code: &HsCode) -> &[ListEntry] {
        for level in (2..=code.level()).rev().step_by(2) {
            if self.levels & (1 << (level / 2)) == 0 {
                continue;
            }
            let found = self.exact(&code.truncate(level));
            if !found.is_empty() {
                return found;
            }
        }
        &[]
    }

    /// The entries whose prefix is exactly `prefix`.
    pub fn exact(&self, prefix: &HsCode) -> &[ListEntry] {
        let lo = self.entries.partition_point(|e| e.prefix < *prefix);
        let hi = lo + self.entries[lo..].partition_point(|e| e.prefix == *prefix);
        &self.entries[lo..hi]
    }

    /// True when some prefix of the list covers `code`.
    pub fn contains(&self, code: &HsCode) -> bool {
        self.matches(code).is_some()
    }

    /// The entries, sorted by prefix.
    pub fn entries(&self) -> &[ListEntry] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Data rows read, skipped rows included.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Repairs and skipped rows (see the module documentation).
    pub fn notes(&self) -> &[Diagnostic] {
        &self.notes
    }
}

/// What one row's prefix cell gave.
enum Cell {
    Code(HsCode, Option<Diagnostic>),
    Blank(Diagnostic),
}

/// Reads a product list: `columns.prefix` is required, the other named columns must exist too.
pub fn read_prefix_list(path: &Path, columns: &ListColumns) -> Result<PrefixList, DataError> {
    let wanted: Vec<&str> = [
        columns.heading,
        columns.category,
        columns.detail,
        columns.effective,
    ]
    .into_iter()
    .flatten()
    .chain([columns.prefix])
    .collect();
    let mut csv = Csv::open(path, &wanted)?;
    let col = |name: Option<&str>| name.and_then(|n| csv.col(n));
    let (h, c, d, e) = (
        col(columns.heading),
        col(columns.category),
        col(columns.detail),
        col(columns.effective),
    );
    let [p] = column_indices(&csv, [columns.prefix])?;
    let rows = collect_rows(&mut csv, |path, line, rec| {
        let cell = prefix_cell(path, line, rec.get(p).unwrap_or(""), columns.prefix)?;
        let text = |i: Option<usize>| i.and_then(|i| opt_text(rec, i));
        let effective = match (e, columns.effective) {
            (Some(i), Some(name)) => opt_date_field(path, line, rec, i, name)?,
            _ => None,
        };
        let entry = |prefix| ListEntry {
            prefix,
            heading: text(h),
            category: text(c),
            detail: text(d),
            effective,
            line,
        };
        Ok(match cell {
            Cell::Code(code, note) => (Some(entry(code)), note),
            Cell::Blank(note) => (None, Some(note)),
        })
    })?;
    let n = rows.len();
    let (entries, notes): (Vec<_>, Vec<_>) = rows.into_iter().unzip();
    let mut out = PrefixList::new(path, entries.into_iter().flatten().collect());
    out.rows = n;
    out.notes = notes.into_iter().flatten().collect();
    Ok(out)
}

/// Parses a prefix cell under the module's rules.
fn prefix_cell(path: &Path, line: u64, raw: &str, field: &str) -> Result<Cell, DataError> {
    let note = |message: String| Diagnostic {
        file: path.to_path_buf(),
        line: Some(line),
        field: Some(field.to_string()),
        message,
    };
    let t = raw.trim();
    if t.is_empty() {
        return Ok(Cell::Blank(note(
            "blank prefix; row skipped (it names no product)".into(),
        )));
    }
    let digits: String = t.chars().filter(|ch| *ch != '.').collect();
    let (digits, repair) = match digits.get(10..) {
        Some(extra) if !extra.is_empty() && extra.bytes().all(|b| b == b'0') => {
            let msg = format!(
                "{t:?} has {} digits; the trailing zeros were cut to ten digits",
                digits.len()
            );
            (digits[..10].to_string(), Some(note(msg)))
        }
        _ => (digits, None),
    };
    HsCode::from_digits(&digits)
        .map(|code| Cell::Code(code, repair))
        .map_err(|err| {
            let msg = format!("{t:?} is not an HTS prefix of 2, 4, 6, 8 or 10 digits ({err})");
            DataError::at(path, Some(line), Some(field), msg)
        })
}
