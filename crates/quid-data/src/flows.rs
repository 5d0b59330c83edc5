//! Trade flows: the BTS TransBorder tables (US–Canada and US–Mexico by HS2 and year, and annual
//! totals by transport mode), Census 2024 imports for consumption by HS10 and HS2, and the
//! monthly USMCA files (imports by HTS10 from Canada and Mexico with the USMCA-claimed part).
//!
//! Values are exact US dollars ([`Decimal`]); shares are `f64`. Every reader checks each row and
//! reports all bad rows at once, each naming file, line and field.
//!
//! ```no_run
//! use quid_core::Country;
//! use quid_data::{flows, Bundle};
//! let bundle = Bundle::locate()?;
//! let lines = flows::read_census_hs10(&bundle.census_hs10_2024())?;
//! let canada: rust_decimal::Decimal = lines.iter().filter_map(|l| l.value(Country::CA)).sum();
//! println!("2024 imports for consumption from Canada: {canada} USD");
//! # Ok::<(), quid_data::DataError>(())
//! ```
//!
//! This module also holds the small field parsers (`fields`) the other readers of the crate
//! share.

use crate::error::DataError;
use crate::reader::Csv;
use fields::{
    collect_rows, columns, hs_field, money_field, opt_finite_field, share_field, text_field,
};
use quid_core::{Country, HsCode};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Field parsers shared by the crate's table readers: each error names file, line and field.
pub(crate) mod fields {
    use crate::error::{DataError, Diagnostics};
    use crate::reader::{self, Csv};
    use csv::StringRecord;
    use quid_core::{parse_date, Date, HsCode};
    use rust_decimal::Decimal;
    use std::path::Path;

    /// The most problems one file reports before its reader stops collecting.
    pub(crate) const MAX_PROBLEMS: usize = 200;

    /// Reads every record through `parse`, collecting every bad row (up to [`MAX_PROBLEMS`])
    /// instead of stopping at the first.
    pub(crate) fn collect_rows<T>(
        csv: &mut Csv,
        mut parse: impl FnMut(&Path, u64, &StringRecord) -> Result<T, DataError>,
    ) -> Result<Vec<T>, DataError> {
        let path = csv.path.clone();
        let mut out = Vec::new();
        let mut problems = Diagnostics::default();
        for item in csv.records() {
            match item.and_then(|(line, rec)| parse(&path, line, &rec)) {
                Ok(v) => out.push(v),
                Err(e) => problems.extend_from(&e),
            }
            if problems.len() >= MAX_PROBLEMS {
                let msg = format!("stopped reading after {MAX_PROBLEMS} problems");
                problems.push(&path, None, None, msg);
                break;
            }
        }
        problems.into_result().map(|()| out)
    }

    /// The indices of `names` in the header (all required: [`Csv::open`] checked them).
    pub(crate) fn columns<const N: usize>(
        csv: &Csv,
        names: [&str; N],
    ) -> Result<[usize; N], DataError> {
        let mut out = [0; N];
        for (slot, name) in out.iter_mut().zip(names) {
            *slot = csv
                .col(name)
                .ok_or_else(|| DataError::at(&csv.path, Some(1), Some(name), "missing column"))?;
        }
        Ok(out)
    }

    fn raw(rec: &StringRecord, idx: usize) -> &str {
        rec.get(idx).unwrap_or("").trim()
    }

    fn bad(path: &Path, line: u64, name: &str, msg: String) -> DataError {
        DataError::at(path, Some(line), Some(name), msg)
    }

    /// The cell as text (trimmed).
    pub(crate) fn text_field(rec: &StringRecord, idx: usize) -> String {
        raw(rec, idx).to_string()
    }

    /// The cell as text, `None` when empty or `NA`.
    pub(crate) fn opt_text(rec: &StringRecord, idx: usize) -> Option<String> {
        let t = raw(rec, idx);
        (!t.is_empty() && t != "NA").then(|| t.to_string())
    }

    /// An HS code, of exactly `level` digits when given.
    pub(crate) fn hs_field(
        path: &Path,
        line: u64,
        rec: &StringRecord,
        idx: usize,
        name: &str,
        level: Option<u8>,
    ) -> Result<HsCode, DataError> {
        let t = raw(rec, idx);
        let want = level.map_or("an HS code".to_string(), |l| format!("a {l}-digit HS code"));
        let code = HsCode::parse(t)
            .map_err(|e| bad(path, line, name, format!("{t:?} is not {want} ({e})")))?;
        match level {
            Some(l) if code.level() != l => Err(bad(
                path,
                line,
                name,
                format!("{t:?} has {} digits; expected {want}", code.level()),
            )),
            _ => Ok(code),
        }
    }

    /// A non-negative amount of money.
    pub(crate) fn money_field(
        path: &Path,
        line: u64,
        rec: &StringRecord,
        idx: usize,
        name: &str,
    ) -> Result<Decimal, DataError> {
        let expected = "a non-negative amount in US dollars";
        let v: Decimal = reader::field(path, line, rec, idx, name, expected)?;
        if v.is_sign_negative() && !v.is_zero() {
            return Err(bad(path, line, name, format!("{v} is not {expected}")));
        }
        Ok(v)
    }

    /// A finite number.
    pub(crate) fn finite_field(
        path: &Path,
        line: u64,
        rec: &StringRecord,
        idx: usize,
        name: &str,
    ) -> Result<f64, DataError> {
        let v: f64 = reader::field(path, line, rec, idx, name, "a number")?;
        if !v.is_finite() {
            return Err(bad(path, line, name, format!("{v} is not a finite number")));
        }
        Ok(v)
    }

    /// A finite number, `None` when the cell is empty or `NA`.
    pub(crate) fn opt_finite_field(
        path: &Path,
        line: u64,
        rec: &StringRecord,
        idx: usize,
        name: &str,
    ) -> Result<Option<f64>, DataError> {
        if raw(rec, idx).is_empty() || raw(rec, idx) == "NA" {
            return Ok(None);
        }
        finite_field(path, line, rec, idx, name).map(Some)
    }

    /// A share in `[0, 1]`.
    pub(crate) fn share_field(
        path: &Path,
        line: u64,
        rec: &StringRecord,
        idx: usize,
        name: &str,
    ) -> Result<f64, DataError> {
        let v: f64 = reader::field(path, line, rec, idx, name, "a share between 0 and 1")?;
        if !(0.0..=1.0).contains(&v) {
            return Err(bad(
                path,
                line,
                name,
                format!("{v} is out of range; expected a share between 0 and 1"),
            ));
        }
        Ok(v)
    }

    /// A 0/1 flag (`0`, `1`, `0.0`, `1.0`, `true`, `false`).
    pub(crate) fn flag_field(
        path: &Path,
        line: u64,
        rec: &StringRecord,
        idx: usize,
        name: &str,
    ) -> Result<bool, DataError> {
        match raw(rec, idx).to_ascii_lowercase().as_str() {
            "1" | "1.0" | "true" => Ok(true),
            "0" | "0.0" | "false" => Ok(false),
            t => Err(bad(
                path,
                line,
                name,
                format!("{t:?} is not a flag (0 or 1)"),
            )),
        }
    }

    /// An ISO 8601 date.
    pub(crate) fn date_field(
        path: &Path,
        line: u64,
        rec: &StringRecord,
        idx: usize,
        name: &str,
    ) -> Result<Date, DataError> {
        parse_date(raw(rec, idx)).map_err(|e| bad(path, line, name, e.to_string()))
    }

    /// An ISO 8601 date, `None` when the cell is empty or `NA`.
    pub(crate) fn opt_date_field(
        path: &Path,
        line: u64,
        rec: &StringRecord,
        idx: usize,
        name: &str,
    ) -> Result<Option<Date>, DataError> {
        if raw(rec, idx).is_empty() || raw(rec, idx) == "NA" {
            return Ok(None);
        }
        date_field(path, line, rec, idx, name).map(Some)
    }
}

/// A trading partner in the flow tables: the world total or one country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Partner {
    World,
    Country(Country),
}

impl From<Country> for Partner {
    fn from(c: Country) -> Partner {
        Partner::Country(c)
    }
}

/// One year and HS2 chapter of BTS TransBorder trade, summed over transport modes.
#[derive(Debug, Clone, PartialEq)]
pub struct Hs2Trade {
    pub year: i32,
    /// The chapter, 1..=99.
    pub hs2: u8,
    pub commodity: String,
    pub commodity_group: String,
    pub us_exports_to_canada: Decimal,
    pub us_imports_from_canada: Decimal,
    pub us_exports_to_mexico: Decimal,
    pub us_imports_from_mexico: Decimal,
}

impl Hs2Trade {
    /// US exports to `partner` (Canada or Mexico).
    pub fn exports_to(&self, partner: Country) -> Option<Decimal> {
        match partner {
            Country::CA => Some(self.us_exports_to_canada),
            Country::MX => Some(self.us_exports_to_mexico),
            _ => None,
        }
    }

    /// US general imports from `partner` (Canada or Mexico).
    pub fn imports_from(&self, partner: Country) -> Option<Decimal> {
        match partner {
            Country::CA => Some(self.us_imports_from_canada),
            Country::MX => Some(self.us_imports_from_mexico),
            _ => None,
        }
    }
}

/// Reads `us_ca_mx_trade_hs2_annual_*.csv` (BTS TransBorder by HS2 and year).
pub fn read_bts_hs2_annual(path: &Path) -> Result<Vec<Hs2Trade>, DataError> {
    let names = [
        "year",
        "hs2",
        "commodity",
        "commodity_group",
        "us_exports_to_canada_usd",
        "us_imports_from_canada_usd",
        "us_exports_to_mexico_usd",
        "us_imports_from_mexico_usd",
    ];
    let mut csv = Csv::open(path, &names)?;
    let c = columns(&csv, names)?;
    collect_rows(&mut csv, |p, line, rec| {
        Ok(Hs2Trade {
            year: year_field(p, line, rec, c[0], names[0])?,
            hs2: chapter_field(p, line, rec, c[1], names[1])?,
            commodity: text_field(rec, c[2]),
            commodity_group: text_field(rec, c[3]),
            us_exports_to_canada: money_field(p, line, rec, c[4], names[4])?,
            us_imports_from_canada: money_field(p, line, rec, c[5], names[5])?,
            us_exports_to_mexico: money_field(p, line, rec, c[6], names[6])?,
            us_imports_from_mexico: money_field(p, line, rec, c[7], names[7])?,
        })
    })
}

fn year_field(
    path: &Path,
    line: u64,
    rec: &csv::StringRecord,
    idx: usize,
    name: &str,
) -> Result<i32, DataError> {
    let expected = "a year between 1900 and 2100";
    let y: i32 = crate::reader::field(path, line, rec, idx, name, expected)?;
    if !(1900..=2100).contains(&y) {
        return Err(DataError::at(
            path,
            Some(line),
            Some(name),
            format!("{y} is not {expected}"),
        ));
    }
    Ok(y)
}

fn chapter_field(
    path: &Path,
    line: u64,
    rec: &csv::StringRecord,
    idx: usize,
    name: &str,
) -> Result<u8, DataError> {
    let t = rec.get(idx).unwrap_or("").trim();
    let expected = "an HS chapter of two digits, 01 to 99";
    match t.parse::<u8>() {
        Ok(ch @ 1..=99) if t.len() == 2 => Ok(ch),
        _ => Err(DataError::at(
            path,
            Some(line),
            Some(name),
            format!("{t:?} is not {expected}"),
        )),
    }
}

/// Direction of a flow, seen from the United States.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// US exports to the partner.
    Export,
    /// US general imports from the partner.
    Import,
}

/// One year, partner, transport mode and direction of BTS TransBorder trade.
#[derive(Debug, Clone, PartialEq)]
pub struct ModeTotal {
    pub year: i32,
    pub partner: Country,
    /// The BTS mode label, e.g. `Truck`, `Rail`, `Pipeline`, `Foreign Trade Zones (FTZs)`.
    pub mode: String,
    pub direction: Direction,
    pub value: Decimal,
    /// Shipping weight in kilograms (`Weight`), as BTS gives it; blank for some modes and years.
    pub weight_kg: Option<f64>,
}

/// Reads `transborder_annual_totals_by_mode_*.csv`
/// (`Year,Country,Mode,TradeType,TradeValue,Weight,WeightLb`).
pub fn read_bts_annual_totals(path: &Path) -> Result<Vec<ModeTotal>, DataError> {
    let names = [
        "Year",
        "Country",
        "Mode",
        "TradeType",
        "TradeValue",
        "Weight",
    ];
    let mut csv = Csv::open(path, &names)?;
    let c = columns(&csv, names)?;
    collect_rows(&mut csv, |p, line, rec| {
        Ok(ModeTotal {
            year: year_field(p, line, rec, c[0], names[0])?,
            partner: partner_name(p, line, rec, c[1], names[1])?,
            mode: text_field(rec, c[2]),
            direction: direction_field(p, line, rec, c[3], names[3])?,
            value: money_field(p, line, rec, c[4], names[4])?,
            weight_kg: opt_finite_field(p, line, rec, c[5], names[5])?,
        })
    })
}

fn partner_name(
    path: &Path,
    line: u64,
    rec: &csv::StringRecord,
    idx: usize,
    name: &str,
) -> Result<Country, DataError> {
    match rec.get(idx).unwrap_or("").trim() {
        "Canada" => Ok(Country::CA),
        "Mexico" => Ok(Country::MX),
        t => Err(DataError::at(
            path,
            Some(line),
            Some(name),
            format!("{t:?} is not a partner; expected Canada or Mexico"),
        )),
    }
}

fn direction_field(
    path: &Path,
    line: u64,
    rec: &csv::StringRecord,
    idx: usize,
    name: &str,
) -> Result<Direction, DataError> {
    match rec.get(idx).unwrap_or("").trim() {
        "Export" => Ok(Direction::Export),
        "Import" => Ok(Direction::Import),
        t => Err(DataError::at(
            path,
            Some(line),
            Some(name),
            format!("{t:?} is not a trade type; expected Export or Import"),
        )),
    }
}

/// US imports for consumption by partner: the world, Canada, Mexico and China.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PartnerValues {
    pub world: Decimal,
    pub canada: Decimal,
    pub mexico: Decimal,
    pub china: Decimal,
}

impl PartnerValues {
    /// The value for a partner; `None` for a country the table does not carry.
    pub fn get(&self, partner: impl Into<Partner>) -> Option<Decimal> {
        match partner.into() {
            Partner::World => Some(self.world),
            Partner::Country(Country::CA) => Some(self.canada),
            Partner::Country(Country::MX) => Some(self.mexico),
            Partner::Country(Country::CN) => Some(self.china),
            Partner::Country(_) => None,
        }
    }
}

const PARTNER_COLUMNS: [&str; 4] = [
    "imports_world_usd",
    "imports_canada_usd",
    "imports_mexico_usd",
    "imports_china_usd",
];

fn partner_values(
    path: &Path,
    line: u64,
    rec: &csv::StringRecord,
    c: &[usize; 4],
) -> Result<PartnerValues, DataError> {
    let n = PARTNER_COLUMNS;
    Ok(PartnerValues {
        world: money_field(path, line, rec, c[0], n[0])?,
        canada: money_field(path, line, rec, c[1], n[1])?,
        mexico: money_field(path, line, rec, c[2], n[2])?,
        china: money_field(path, line, rec, c[3], n[3])?,
    })
}

/// One HS10 line of 2024 Census imports for consumption.
#[derive(Debug, Clone, PartialEq)]
pub struct Hs10Imports {
    pub hs10: HsCode,
    /// The GTAP sector code as the file gives it (lower case, e.g. `ctl`).
    pub gtap_code: String,
    pub values: PartnerValues,
}

impl Hs10Imports {
    /// Imports from a partner (`Country::CA`, `MX`, `CN`, or `Partner::World`).
    pub fn value(&self, partner: impl Into<Partner>) -> Option<Decimal> {
        self.values.get(partner)
    }
}

/// Reads `us_imports_2024_hs10_by_partner.csv.gz`
/// (`hs10,gtap_code,imports_world_usd,imports_canada_usd,imports_mexico_usd,imports_china_usd`).
pub fn read_census_hs10(path: &Path) -> Result<Vec<Hs10Imports>, DataError> {
    let mut required = vec!["hs10", "gtap_code"];
    required.extend(PARTNER_COLUMNS);
    let mut csv = Csv::open(path, &required)?;
    let [hs, gtap] = columns(&csv, ["hs10", "gtap_code"])?;
    let c = columns(&csv, PARTNER_COLUMNS)?;
    collect_rows(&mut csv, |p, line, rec| {
        Ok(Hs10Imports {
            hs10: hs_field(p, line, rec, hs, "hs10", Some(10))?,
            gtap_code: text_field(rec, gtap),
            values: partner_values(p, line, rec, &c)?,
        })
    })
}

/// One HS2 chapter of 2024 Census imports for consumption.
#[derive(Debug, Clone, PartialEq)]
pub struct Hs2Imports {
    pub hs2: u8,
    pub values: PartnerValues,
}

impl Hs2Imports {
    /// Imports from a partner (`Country::CA`, `MX`, `CN`, or `Partner::World`).
    pub fn value(&self, partner: impl Into<Partner>) -> Option<Decimal> {
        self.values.get(partner)
    }
}

/// Reads `us_imports_2024_hs2_by_partner.csv` (`hs2` and the four partner columns).
pub fn read_census_hs2(path: &Path) -> Result<Vec<Hs2Imports>, DataError> {
    let mut required = vec!["hs2"];
    required.extend(PARTNER_COLUMNS);
    let mut csv = Csv::open(path, &required)?;
    let [hs] = columns(&csv, ["hs2"])?;
    let c = columns(&csv, PARTNER_COLUMNS)?;
    collect_rows(&mut csv, |p, line, rec| {
        Ok(Hs2Imports {
            hs2: chapter_field(p, line, rec, hs, "hs2")?,
            values: partner_values(p, line, rec, &c)?,
        })
    })
}

/// One HTS10 line and partner of a monthly USMCA file.
#[derive(Debug, Clone, PartialEq)]
pub struct UsmcaMonthRow {
    pub hs10: HsCode,
    pub partner: Country,
    /// `usmca_value / total_value`, in `[0, 1]`.
    pub usmca_share: f64,
    /// US imports for consumption, USD.
    pub total_value: Decimal,
    /// The part entered under USMCA (SPI `S`/`S+`), USD.
    pub usmca_value: Decimal,
}

/// One month of USMCA-claimed imports, rows sorted by (HTS10, partner).
#[derive(Debug, Clone, PartialEq)]
pub struct UsmcaMonth {
    pub year: i32,
    pub month: u8,
    pub path: PathBuf,
    pub rows: Vec<UsmcaMonthRow>,
}

impl UsmcaMonth {
    /// The row for an HTS10 line and partner (binary search).
    pub fn get(&self, hs10: &HsCode, partner: Country) -> Option<&UsmcaMonthRow> {
        self.rows
            .binary_search_by(|r| (r.hs10, r.partner).cmp(&(*hs10, partner)))
            .ok()
            .map(|i| &self.rows[i])
    }

    /// Total imports from `partner` this month.
    pub fn total(&self, partner: Country) -> Decimal {
        self.rows
            .iter()
            .filter(|r| r.partner == partner)
            .map(|r| r.total_value)
            .sum()
    }

    /// Imports from `partner` claimed under USMCA this month.
    pub fn claimed(&self, partner: Country) -> Decimal {
        self.rows
            .iter()
            .filter(|r| r.partner == partner)
            .map(|r| r.usmca_value)
            .sum()
    }
}

/// All monthly USMCA files of a folder, keyed by (year, month).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UsmcaMonthly {
    pub months: BTreeMap<(i32, u8), UsmcaMonth>,
}

impl UsmcaMonthly {
    pub fn get(&self, year: i32, month: u8) -> Option<&UsmcaMonth> {
        self.months.get(&(year, month))
    }

    pub fn len(&self) -> usize {
        self.months.len()
    }

    pub fn is_empty(&self) -> bool {
        self.months.is_empty()
    }
}

/// The file-name stem of the monthly USMCA files.
pub const USMCA_MONTH_PREFIX: &str = "usmca_product_shares_";

/// Year and month of a monthly file name, `usmca_product_shares_YYYY_MM.csv[.gz]`.
///
/// ```
/// use quid_data::flows::usmca_month_of;
/// assert_eq!(usmca_month_of("usmca_product_shares_2025_03.csv.gz"), Some((2025, 3)));
/// assert_eq!(usmca_month_of("usmca_product_shares_2025_13.csv.gz"), None);
/// ```
pub fn usmca_month_of(file_name: &str) -> Option<(i32, u8)> {
    let rest = file_name.strip_prefix(USMCA_MONTH_PREFIX)?;
    let stem = rest
        .strip_suffix(".csv.gz")
        .or_else(|| rest.strip_suffix(".csv"))?;
    let (y, m) = stem.split_once('_')?;
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if y.len() != 4 || m.len() != 2 || !all_digits(y) || !all_digits(m) {
        return None;
    }
    let month: u8 = m.parse().ok()?;
    (1..=12).contains(&month).then_some(())?;
    Some((y.parse().ok()?, month))
}

/// Largest amount (USD) by which `usmca_value` may exceed `total_value` (rounding).
pub const USMCA_VALUE_TOLERANCE: Decimal = Decimal::ONE;

/// Reads one monthly USMCA file; its name must be `usmca_product_shares_YYYY_MM.csv[.gz]`.
pub fn read_usmca_month(path: &Path) -> Result<UsmcaMonth, DataError> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let (year, month) = usmca_month_of(name).ok_or_else(|| {
        DataError::at(
            path,
            None,
            None,
            format!(
                "file name {name:?} is not {USMCA_MONTH_PREFIX}YYYY_MM.csv.gz with a month 01-12"
            ),
        )
    })?;
    let names = [
        "hts10",
        "cty_code",
        "usmca_share",
        "total_value",
        "usmca_value",
    ];
    let mut csv = Csv::open(path, &names)?;
    let c = columns(&csv, names)?;
    let mut rows = collect_rows(&mut csv, |p, line, rec| {
        let row = UsmcaMonthRow {
            hs10: hs_field(p, line, rec, c[0], names[0], Some(10))?,
            partner: census_partner(p, line, rec, c[1], names[1])?,
            usmca_share: share_field(p, line, rec, c[2], names[2])?,
            total_value: money_field(p, line, rec, c[3], names[3])?,
            usmca_value: money_field(p, line, rec, c[4], names[4])?,
        };
        check_usmca_row(p, line, &row)?;
        Ok(row)
    })?;
    rows.sort_by_key(|r| (r.hs10, r.partner));
    Ok(UsmcaMonth {
        year,
        month,
        path: path.to_path_buf(),
        rows,
    })
}

/// A Census country code (`cty_code`) that quid-core knows (1220 Canada, 2010 Mexico, 5700 China).
pub(crate) fn census_partner(
    path: &Path,
    line: u64,
    rec: &csv::StringRecord,
    idx: usize,
    name: &str,
) -> Result<Country, DataError> {
    let t = rec.get(idx).unwrap_or("").trim();
    t.parse::<u16>().ok().and_then(Country::from_census_code).ok_or_else(|| {
        DataError::at(
            path,
            Some(line),
            Some(name),
            format!("{t:?} is not a Census country code quid knows; expected 1220 (Canada) or 2010 (Mexico)"),
        )
    })
}

fn check_usmca_row(path: &Path, line: u64, row: &UsmcaMonthRow) -> Result<(), DataError> {
    if row.usmca_value > row.total_value + USMCA_VALUE_TOLERANCE {
        return Err(DataError::at(
            path,
            Some(line),
            Some("usmca_value"),
            format!(
                "{} exceeds total_value {}; the USMCA-claimed part cannot exceed the total",
                row.usmca_value, row.total_value
            ),
        ));
    }
    Ok(())
}

/// Reads every `usmca_product_shares_YYYY_MM.csv[.gz]` of a folder; other files are ignored.
/// Problems in all files are reported together.
pub fn read_usmca_monthly(dir: &Path) -> Result<UsmcaMonthly, DataError> {
    let mut problems = crate::error::Diagnostics::default();
    let mut out = UsmcaMonthly::default();
    for path in usmca_month_files(dir)? {
        match read_usmca_month(&path) {
            Ok(m) => insert_month(&mut out, m, &mut problems),
            Err(e) => problems.extend_from(&e),
        }
    }
    problems.into_result().map(|()| out)
}

fn insert_month(out: &mut UsmcaMonthly, m: UsmcaMonth, problems: &mut crate::error::Diagnostics) {
    if let Some(prev) = out.months.get(&(m.year, m.month)) {
        let msg = format!(
            "a second file for {}-{:02} (first: {})",
            m.year,
            m.month,
            prev.path.display()
        );
        problems.push(&m.path, None, None, msg);
        return;
    }
    out.months.insert((m.year, m.month), m);
}

/// The monthly files of a folder (names starting with [`USMCA_MONTH_PREFIX`]), sorted.
pub fn usmca_month_files(dir: &Path) -> Result<Vec<PathBuf>, DataError> {
    let io = |source| DataError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with(USMCA_MONTH_PREFIX) {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}
