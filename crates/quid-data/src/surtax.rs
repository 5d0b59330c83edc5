//! Canada's 2025 surtax orders on US goods (SOR/2025-66, -95, -118), one row per order
//! version, schedule and tariff item, and the tariff classification numbers of the United States
//! Surtax Remission Order (2025), SOR/2025-122.
//!
//! Periods are half-open ([`Period`]): `in_force_to` is the first day the item is no longer in
//! force. SOR/2025-66's `2025-09-01` is its repeal date, so its last day is 2025-08-31.
//!
//! **Documented repair.** The file is not consistent about that: the pre-September version of
//! SOR/2025-95 gives `in_force_to` 2025-08-31, its last day, while the next version of the same
//! order starts on 2025-09-01. Where an `in_force_to` is the day before another version of the
//! same order comes into force, it is read as the last day and moved to the next day, so the
//! versions meet without a gap. Each such version leaves one note.
//!
//! ```no_run
//! use quid_core::parse_date;
//! use quid_data::{surtax, Bundle};
//! let orders = surtax::read_surtax_orders(&Bundle::locate()?.ca_surtax_orders())?;
//! let day = parse_date("2025-05-01").unwrap();
//! println!("{} tariff items under surtax", orders.in_force_on(day).count());
//! # Ok::<(), quid_data::DataError>(())
//! ```

use crate::error::{DataError, Diagnostic};
use crate::flows::fields::{
    collect_rows, columns, date_field, hs_field, opt_date_field, text_field,
};
use crate::reader::Csv;
use quid_core::{Date, HsCode, Period};
use rust_decimal::Decimal;
use std::collections::HashSet;
use std::path::Path;

/// One tariff item of one version of a surtax order.
#[derive(Debug, Clone, PartialEq)]
pub struct SurtaxItem {
    /// The order's registration number, e.g. `SOR/2025-66`.
    pub order: String,
    pub order_title: String,
    /// The consolidation (point-in-time) date of the version this row comes from.
    pub consolidated: Date,
    pub schedule: String,
    pub schedule_title: String,
    /// The tariff item (8 digits, Chapter 98/99 items included).
    pub tariff_item: HsCode,
    /// The surtax, in percent of value for duty.
    pub rate_pct: Decimal,
    /// Half-open: from `in_force_from` until the first day no longer in force.
    pub in_force: Period,
    pub note: String,
    /// The row's line in the file.
    pub line: u64,
}

/// The surtax rows and the notes of the documented repair.
#[derive(Debug, Clone, PartialEq)]
pub struct SurtaxOrders {
    pub items: Vec<SurtaxItem>,
    pub notes: Vec<Diagnostic>,
}

impl SurtaxOrders {
    /// The items in force on `date`.
    pub fn in_force_on(&self, date: Date) -> impl Iterator<Item = &SurtaxItem> {
        self.items.iter().filter(move |i| i.in_force.contains(date))
    }

    /// The items in force on `date` whose tariff item covers `code` (a linear scan; the file
    /// has about 2,200 rows).
    pub fn applying_to<'a>(
        &'a self,
        code: &'a HsCode,
        date: Date,
    ) -> impl Iterator<Item = &'a SurtaxItem> {
        self.in_force_on(date)
            .filter(move |i| code.starts_with(&i.tariff_item))
    }

    /// First and last year of the in-force dates.
    pub fn years(&self) -> Option<(i32, i32)> {
        let years = self.items.iter().flat_map(|i| {
            let last = i.in_force.last_day().unwrap_or(i.in_force.from);
            [i.in_force.from.year(), last.year()]
        });
        years.fold(None, |acc, y| {
            let y = i32::from(y);
            Some(acc.map_or((y, y), |(a, b): (i32, i32)| (a.min(y), b.max(y))))
        })
    }
}

/// A row as read, before the periods are settled.
struct RawItem {
    item: SurtaxItem,
    from: Date,
    to: Option<Date>,
}

const SURTAX_COLUMNS: [&str; 10] = [
    "order",
    "order_title",
    "consolidation_pit_date",
    "schedule",
    "schedule_title",
    "tariff_item",
    "surtax_rate_pct",
    "in_force_from",
    "in_force_to",
    "note",
];

/// Reads `canada_surtax_orders_us_goods_2025.csv`.
pub fn read_surtax_orders(path: &Path) -> Result<SurtaxOrders, DataError> {
    let n = SURTAX_COLUMNS;
    let mut csv = Csv::open(path, &n)?;
    let c = columns(&csv, n)?;
    let raw = collect_rows(&mut csv, |p, line, rec| raw_item(p, line, rec, &c))?;
    let starts: HashSet<(String, Date)> =
        raw.iter().map(|r| (r.item.order.clone(), r.from)).collect();
    let mut notes = Vec::new();
    let mut noted = HashSet::new();
    let items = raw
        .into_iter()
        .map(|mut r| {
            if let Some(next) = next_version_start(&starts, &r) {
                if noted.insert((r.item.order.clone(), r.item.consolidated)) {
                    notes.push(repair_note(path, &r, next));
                }
                r.to = Some(next);
            }
            r.item.in_force = Period {
                from: r.from,
                until: r.to,
            };
            r.item
        })
        .collect();
    Ok(SurtaxOrders { items, notes })
}

/// The day after `in_force_to` when another version of the same order starts that day.
fn next_version_start(starts: &HashSet<(String, Date)>, r: &RawItem) -> Option<Date> {
    let next = r.to?.tomorrow().ok()?;
    starts
        .contains(&(r.item.order.clone(), next))
        .then_some(next)
}

fn repair_note(path: &Path, r: &RawItem, next: Date) -> Diagnostic {
    Diagnostic {
        file: path.to_path_buf(),
        line: Some(r.item.line),
        field: Some("in_force_to".to_string()),
        message: format!(
            "{} (consolidated {}): in_force_to {} is the day before the next version starts; read as the last day in force (until {next})",
            r.item.order,
            r.item.consolidated,
            r.to.map(|d| d.to_string()).unwrap_or_default()
        ),
    }
}

fn raw_item(
    path: &Path,
    line: u64,
    rec: &csv::StringRecord,
    c: &[usize; 10],
) -> Result<RawItem, DataError> {
    let n = SURTAX_COLUMNS;
    let from = date_field(path, line, rec, c[7], n[7])?;
    let to = opt_date_field(path, line, rec, c[8], n[8])?;
    let in_force = Period::new(from, to)
        .map_err(|e| DataError::at(path, Some(line), Some(n[8]), e.to_string()))?;
    let item = SurtaxItem {
        order: required_text(path, line, rec, c[0], n[0])?,
        order_title: text_field(rec, c[1]),
        consolidated: date_field(path, line, rec, c[2], n[2])?,
        schedule: text_field(rec, c[3]),
        schedule_title: text_field(rec, c[4]),
        tariff_item: hs_field(path, line, rec, c[5], n[5], None)?,
        rate_pct: rate_field(path, line, rec, c[6], n[6])?,
        in_force,
        note: text_field(rec, c[9]),
        line,
    };
    Ok(RawItem { item, from, to })
}

fn required_text(
    path: &Path,
    line: u64,
    rec: &csv::StringRecord,
    idx: usize,
    name: &str,
) -> Result<String, DataError> {
    let t = text_field(rec, idx);
    if t.is_empty() {
        return Err(DataError::at(
            path,
            Some(line),
            Some(name),
            "empty; expected a value",
        ));
    }
    Ok(t)
}

fn rate_field(
    path: &Path,
    line: u64,
    rec: &csv::StringRecord,
    idx: usize,
    name: &str,
) -> Result<Decimal, DataError> {
    let expected = "a percentage of at least 0 (e.g. 25)";
    let v: Decimal = crate::reader::field(path, line, rec, idx, name, expected)?;
    if v.is_sign_negative() && !v.is_zero() {
        return Err(DataError::at(
            path,
            Some(line),
            Some(name),
            format!("{v} is not {expected}"),
        ));
    }
    Ok(v)
}

/// One tariff classification number named in a schedule of the remission order.
#[derive(Debug, Clone, PartialEq)]
pub struct RemissionItem {
    /// `SOR/2025-122`.
    pub order: String,
    pub consolidated: Date,
    /// `SCHEDULE 1` .. `SCHEDULE 5` (4.1 included).
    pub schedule: String,
    /// A tariff item (8 digits) or classification number (10 digits).
    pub classification: HsCode,
    pub note: String,
    pub line: u64,
}

/// Reads `canada_us_surtax_remission_order_2025_items.csv`
/// (`order,consolidation_pit_date,schedule,tariff_classification_number,note`).
pub fn read_remission_items(path: &Path) -> Result<Vec<RemissionItem>, DataError> {
    let n = [
        "order",
        "consolidation_pit_date",
        "schedule",
        "tariff_classification_number",
        "note",
    ];
    let mut csv = Csv::open(path, &n)?;
    let c = columns(&csv, n)?;
    collect_rows(&mut csv, |p, line, rec| {
        Ok(RemissionItem {
            order: required_text(p, line, rec, c[0], n[0])?,
            consolidated: date_field(p, line, rec, c[1], n[1])?,
            schedule: required_text(p, line, rec, c[2], n[2])?,
            classification: hs_field(p, line, rec, c[3], n[3], None)?,
            note: text_field(rec, c[4]),
            line,
        })
    })
}
