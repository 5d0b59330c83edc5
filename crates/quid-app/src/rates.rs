//! Rates by tariff line and authority: the statutory panel on one date, or the interval panel
//! over every policy change date of a period, through the same `assess` as a single entry.
//!
//! The statutory panel of one line on one date, for goods of Canada with and without a claim:
//!
//! ```
//! use quid_app::rates::{panel, RatesRequest};
//! use quid_app::{App, EngineOptions};
//! use quid_core::{parse_date, Country, HsCode};
//!
//! let data = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
//! let app = App::new(Some(data), parse_date("2026-12-06").unwrap()).unwrap();
//! let engine = app.engine(&EngineOptions::default()).unwrap();
//! let d = parse_date("2025-07-01").unwrap();
//! let req = RatesRequest {
//!     importer: Country::US,
//!     partner: Country::CA,
//!     from: d,
//!     to: d,
//!     single: true,
//!     prefixes: vec![HsCode::parse("7208.10.15").unwrap()],
//! };
//! let report = panel(&engine, &req).unwrap();
//! assert_eq!(report.table.headers, ["hts", "partner", "claim", "total_pct", "base_known", "s232_steel_pct"]);
//! // A free line under Section 232 steel at 50%, claim or not (the claim spares only IEEPA).
//! assert_eq!(report.table.rows, [
//!     ["7208.10.15.00", "CA", "false", "50.0000", "true", "50.0000"],
//!     ["7208.10.15.00", "CA", "true", "50.0000", "true", "50.0000"],
//! ]);
//! // In JSON, numbers and booleans are typed.
//! let json = serde_json::to_value(&report.table).unwrap();
//! assert_eq!(json[1]["claim"], true);
//! assert_eq!(json[1]["total_pct"], 50.0);
//! ```

use crate::directions::{change_dates, edition_dates};
use crate::error::ensure;
use crate::table::{snake, Cell, Kind, Table};
use crate::{Engine, Result};
use quid_core::{Country, Date, HsCode};
use quid_data::reference::BundleReference;
use quid_econ::{authority_name, Panel, RateRow, Segments};
use quid_engine::Policy;

/// Which panel: one date, or a period.
#[derive(Debug, Clone)]
pub struct RatesRequest {
    pub importer: Country,
    pub partner: Country,
    /// The first day; with `to == from` the statutory panel of that date.
    pub from: Date,
    /// The last day (inclusive).
    pub to: Date,
    /// One date (no validity columns) rather than a period.
    pub single: bool,
    /// Only lines under these prefixes (none: every line).
    pub prefixes: Vec<HsCode>,
}

/// The panel and its table.
pub struct RatesReport {
    pub panel: Panel,
    pub table: Table,
    /// What the figures mean and which lines could not be assessed.
    pub notes: Vec<String>,
}

/// The lines a panel covers: every classification line of the newest edition (US), or every
/// Canadian tariff item named in Canada's measures plus the loaded schedule's items (CA).
pub fn panel_lines(
    policy: &Policy,
    reference: &BundleReference,
    importer: Country,
    prefixes: &[HsCode],
) -> Vec<HsCode> {
    let mut lines: Vec<HsCode> = match importer {
        Country::CA => {
            let mut v: Vec<HsCode> = crate::weights::ca_measure_items(policy);
            if let Some(s) = reference.schedules.ca.last() {
                v.extend(s.leaf_lines().map(|l| l.code));
            }
            v
        }
        _ => reference
            .schedules
            .us
            .last()
            .map(|s| s.leaf_lines().map(|l| l.code).collect())
            .unwrap_or_default(),
    };
    if !prefixes.is_empty() {
        lines.retain(|l| prefixes.iter().any(|p| l.starts_with(p)));
    }
    lines.sort();
    lines.dedup();
    lines
}

fn pct(r: f64) -> Cell {
    Cell::num(r * 100.0, 4)
}

/// Authority columns that appear anywhere in the panel, in index order.
fn authority_columns(panel: &Panel) -> Vec<u8> {
    let mut a: Vec<u8> = panel
        .intervals
        .iter()
        .flat_map(|iv| iv.row.parts.iter().map(|(x, _)| *x))
        .collect();
    a.sort_unstable();
    a.dedup();
    a
}

fn row_cells(row: &RateRow, auths: &[u8]) -> Vec<Cell> {
    let mut v = vec![pct(row.total), row.base_known.into()];
    v.extend(auths.iter().map(|a| pct(row.get(*a))));
    v
}

/// The panel's fixed columns (one date, or a period with the validity of each row); one
/// `<authority>_pct` column follows for each authority with a rate on some row.
pub fn columns(single: bool) -> Table {
    let mut cols = vec![
        ("hts", Kind::Text),
        ("partner", Kind::Text),
        ("claim", Kind::Bool),
    ];
    if !single {
        cols.extend([("valid_from", Kind::Date), ("valid_until", Kind::Date)]);
    }
    cols.extend([("total_pct", Kind::Number), ("base_known", Kind::Bool)]);
    let mut t = Table::typed(cols);
    t.extra = Some(Kind::Number);
    t
}

/// Builds the panel.
pub fn panel(engine: &Engine, req: &RatesRequest) -> Result<RatesReport> {
    let (policy, reference) = (&engine.policy, &engine.reference);
    let lines = panel_lines(policy, reference, req.importer, &req.prefixes);
    ensure(!lines.is_empty(), "--hts", || {
        format!(
            "no tariff line matches {}",
            req.prefixes
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(",")
        )
    })?;
    ensure(req.from <= req.to, "--from", || {
        format!("{} is after --to {}", req.from, req.to)
    })?;
    ensure(req.partner != req.importer, "--partner", || {
        format!(
            "{} is the importer; a partner is the origin of the goods, and a good of the \
             importer's own origin owes no tariff",
            req.partner
        )
    })?;
    let flag = if req.single { "--date" } else { "--from" };
    crate::directions::ensure_schedule_on(reference, req.importer, req.from, flag)?;
    let segments = Segments::new(
        req.from,
        req.to,
        change_dates(policy, reference, req.importer),
    );
    let panel = Panel::build(
        policy,
        reference,
        req.importer,
        req.partner,
        lines,
        segments,
        &edition_dates(reference, req.importer),
    );
    let auths = authority_columns(&panel);
    let mut table = columns(req.single);
    for x in &auths {
        table.add_column(format!("{}_pct", snake(authority_name(*x))));
    }
    for iv in &panel.intervals {
        let mut r: Vec<Cell> = vec![
            panel.lines[iv.line as usize].dotted().into(),
            req.partner.to_string().into(),
            iv.claim.into(),
        ];
        if !req.single {
            r.extend([iv.valid_from.into(), iv.valid_until.into()]);
        }
        r.extend(row_cells(&iv.row, &auths));
        table.push_cells(r);
    }
    let mut notes = vec![format!(
        "{}, {} from {} to {}, {}; rates in percent of customs value; the base rate unknown (counted 0) where value alone cannot compute it; undeclared metal content: the BEA metal share of the line; USMCA vehicles: {}",
        crate::table::count(panel.lines.len(), "line", "lines"),
        crate::table::count(panel.segments.len(), "segment", "segments"),
        req.from,
        req.to,
        crate::table::count(panel.intervals.len(), "row", "rows"),
        match quid_engine::Reference::law(reference).us_content_default(req.to) {
            Ok(s) => format!("{}% US content", s * rust_decimal::Decimal::ONE_HUNDRED),
            Err(e) => e.to_string(),
        }
    )];
    if let Some(last) = engine.known_until().filter(|last| req.to > *last) {
        notes.push(format!(
            "warning: {} is after {last}, the newest date in the bundled measures and \
             schedules: policy is known only up to {last}, and later rates repeat it",
            req.to
        ));
    }
    for (hs, d, e) in panel.errors.iter().take(5) {
        notes.push(format!("not assessed: {hs} on {d}: {e}"));
    }
    if panel.errors.len() > 5 {
        notes.push(format!(
            "... and {} more lines not assessed",
            panel.errors.len() - 5
        ));
    }
    Ok(RatesReport {
        panel,
        table,
        notes,
    })
}
