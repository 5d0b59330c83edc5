//! Plausibility checks of measure records beyond what compiling them checks: two measures under
//! one heading and authority charged over overlapping periods (the same duty twice), ad valorem
//! rates outside configurable bounds, empty headings, and dates outside a plausible range. The
//! bounds are read from `data/params/checks.toml`.
//!
//! ```
//! use quid_data::plausible::{check_records, Bounds};
//! use quid_engine::MeasureFile;
//!
//! let m = |id: &str, from: &str, until: &str, rate: &str| format!(r#"
//!     [[measure]]
//!     id = "{id}"
//!     title = "t"
//!     importer = "US"
//!     origins = ["CA"]
//!     authority = "s232-steel"
//!     heading = "9903.81.87"
//!     instrument = "t"
//!     status = "in_force"
//!     confidence = "H"
//!     from = "{from}"
//!     until = "{until}"
//!     rate = "{rate}"
//!     base = "full_value"
//!     scope = {{ include = ["72"] }}
//!     citations = [{{ title = "t" }}]
//! "#);
//! let text = m("A", "2025-03-12", "2025-06-05", "25%") + &m("B", "2025-06-04", "2026-01-01", "50%");
//! let file: MeasureFile = toml::from_str(&text).unwrap();
//! let bounds = Bounds::default();
//! let found = check_records(&[("m.toml".to_string(), file)], &bounds, &|_| Ok(vec![]));
//! assert_eq!(
//!     found[0].message,
//!     "measures A and B are both charged under heading 9903.81.87 (s232-steel) from 2025-06-04 \
//!      to 2025-06-05 on the same goods of the same origins: the duty would be charged twice"
//! );
//! ```

use crate::error::{DataError, Diagnostic};
use quid_core::{Date, HsCode};
use quid_engine::measure::{MeasureRecord, Status};
use quid_engine::MeasureFile;
use rust_decimal::Decimal;
use std::collections::HashSet;
use std::path::Path;

/// The bounds a measure record must fall within.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bounds {
    pub rate_percent_min: Decimal,
    pub rate_percent_max: Decimal,
    pub first_date: Date,
    pub last_date: Date,
}

impl Default for Bounds {
    /// The bundled `data/params/checks.toml`'s values.
    fn default() -> Bounds {
        Bounds {
            rate_percent_min: Decimal::ZERO,
            rate_percent_max: Decimal::from(300),
            first_date: Date::constant(1930, 1, 1),
            last_date: Date::constant(2100, 12, 31),
        }
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ChecksFile {
    measures: MeasureBounds,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct MeasureBounds {
    rate_percent_min: Decimal,
    rate_percent_max: Decimal,
    first_date: Date,
    last_date: Date,
}

impl Bounds {
    /// Reads the bounds from a checks file (`data/params/checks.toml`).
    pub fn read(path: &Path) -> Result<Bounds, DataError> {
        let text = crate::bounded::read_text(path)?;
        let f: ChecksFile = toml::from_str(&text).map_err(|e| DataError::toml(path, &text, &e))?;
        let m = f.measures;
        if m.rate_percent_min > m.rate_percent_max || m.first_date > m.last_date {
            return Err(DataError::at(
                path,
                None,
                Some("measures"),
                "a lower bound above its upper bound",
            ));
        }
        Ok(Bounds {
            rate_percent_min: m.rate_percent_min,
            rate_percent_max: m.rate_percent_max,
            first_date: m.first_date,
            last_date: m.last_date,
        })
    }
}

/// A measure that can be charged (in force, struck down after collection, or unverified and
/// loaded on request).
fn charged(m: &MeasureRecord) -> bool {
    m.status.collected() || m.status == Status::Unverified
}

fn origins_overlap(a: &MeasureRecord, b: &MeasureRecord) -> bool {
    let all = |m: &MeasureRecord| m.origins.iter().any(|o| o == "*");
    let excluded = |m: &MeasureRecord, o: &str| m.except_origins.iter().any(|c| c.to_string() == o);
    match (all(a), all(b)) {
        (true, true) => true,
        (true, false) => b.origins.iter().any(|o| !excluded(a, o) && !excluded(b, o)),
        (false, true) => a.origins.iter().any(|o| !excluded(a, o) && !excluded(b, o)),
        (false, false) => a
            .origins
            .iter()
            .any(|o| b.origins.contains(o) && !excluded(a, o) && !excluded(b, o)),
    }
}

/// A measure's scope as digit prefixes: included (or every good) and excluded.
struct ScopeSet {
    all: bool,
    include: HashSet<String>,
    exclude: HashSet<String>,
}

impl ScopeSet {
    fn of(m: &MeasureRecord, lists: &dyn Fn(&str) -> Result<Vec<HsCode>, String>) -> ScopeSet {
        let digits = |codes: &[String], refs: &[String]| {
            let mut out: HashSet<String> = codes
                .iter()
                .map(|c| c.chars().filter(char::is_ascii_digit).collect())
                .collect();
            for l in refs {
                out.extend(lists(l).unwrap_or_default().iter().map(HsCode::digits));
            }
            out
        };
        ScopeSet {
            all: m.scope.include.iter().any(|c| c == "*"),
            include: digits(&m.scope.include, &m.scope.include_lists),
            exclude: digits(&m.scope.exclude, &m.scope.exclude_lists),
        }
    }

    /// True when the code (digits) is in scope: some included prefix and no excluded one.
    fn covers(&self, code: &str) -> bool {
        let prefixed = |set: &HashSet<String>| {
            (1..=code.len()).any(|n| code.get(..n).is_some_and(|p| set.contains(p)))
        };
        (self.all || prefixed(&self.include)) && !prefixed(&self.exclude)
    }
}

/// True when some code both scopes cover exists: tried on every code either one names.
fn scopes_overlap(a: &ScopeSet, b: &ScopeSet) -> bool {
    if a.all && b.all {
        return true;
    }
    a.include
        .iter()
        .chain(&b.include)
        .any(|c| a.covers(c) && b.covers(c))
}

/// Every plausibility problem of the measure records, each naming its file and measure.
pub fn check_records(
    files: &[(String, MeasureFile)],
    bounds: &Bounds,
    lists: &dyn Fn(&str) -> Result<Vec<HsCode>, String>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let problem = |file: &str, id: &str, field: &str, message: String| Diagnostic {
        file: file.into(),
        line: None,
        field: Some(format!("{id}.{field}")),
        message,
    };
    let in_range = |d: Date| d >= bounds.first_date && d <= bounds.last_date;
    let mut all: Vec<(&str, &MeasureRecord)> = Vec::new();
    for (file, f) in files {
        for m in &f.measure {
            all.push((file, m));
            if m.heading.trim().is_empty() {
                out.push(problem(
                    file,
                    &m.id,
                    "heading",
                    format!("measure {} has an empty heading", m.id),
                ));
            }
            for (field, d) in [("from", Some(m.from)), ("until", m.until)] {
                if let Some(d) = d.filter(|d| !in_range(*d)) {
                    out.push(problem(file, &m.id, field, format!(
                        "measure {}: {field} {d} is outside the plausible range {} to {} (data/params/checks.toml)",
                        m.id, bounds.first_date, bounds.last_date
                    )));
                }
            }
            if let Ok(rate) = quid_core::rate::RateExpr::parse(&m.rate) {
                for p in percents(&rate) {
                    if p < bounds.rate_percent_min || p > bounds.rate_percent_max {
                        out.push(problem(file, &m.id, "rate", format!(
                            "measure {}: a rate of {p}% is outside the plausible range {}% to {}% (data/params/checks.toml)",
                            m.id, bounds.rate_percent_min, bounds.rate_percent_max
                        )));
                    }
                }
            }
        }
        for r in &f.rule {
            for (field, d) in [("from", Some(r.from)), ("until", r.until)] {
                if let Some(d) = d.filter(|d| !in_range(*d)) {
                    out.push(problem(file, &r.id, field, format!(
                        "rule {}: {field} {d} is outside the plausible range {} to {} (data/params/checks.toml)",
                        r.id, bounds.first_date, bounds.last_date
                    )));
                }
            }
        }
    }
    // Overlaps: pairs under one importer, heading and authority.
    all.sort_by(|a, b| {
        (a.1.importer, &a.1.heading, a.1.authority).cmp(&(
            b.1.importer,
            &b.1.heading,
            b.1.authority,
        ))
    });
    let conditions = |m: &MeasureRecord| serde_json::to_string(&m.conditions).unwrap_or_default();
    for (i, (file, a)) in all.iter().enumerate() {
        for (_, b) in &all[i + 1..] {
            if (b.importer, &b.heading, b.authority) != (a.importer, &a.heading, a.authority) {
                break;
            }
            if !charged(a) || !charged(b) || a.heading.trim().is_empty() {
                continue;
            }
            let from = a.from.max(b.from);
            let until = match (a.until, b.until) {
                (Some(x), Some(y)) => Some(x.min(y)),
                (x, y) => x.or(y),
            };
            if until.is_some_and(|u| u <= from)
                || !origins_overlap(a, b)
                || conditions(a) != conditions(b)
            {
                continue;
            }
            if !scopes_overlap(&ScopeSet::of(a, lists), &ScopeSet::of(b, lists)) {
                continue;
            }
            let to = until.map_or_else(|| "with no end".to_string(), |u| format!("to {u}"));
            out.push(problem(file, &a.id, "from", format!(
                "measures {} and {} are both charged under heading {} ({}) from {from} {to} on the same goods of the same origins: the duty would be charged twice",
                a.id, b.id, a.heading, a.authority
            )));
        }
    }
    out
}

/// The ad valorem percentages of a rate.
fn percents(rate: &quid_core::rate::RateExpr) -> Vec<Decimal> {
    use quid_core::rate::{RateExpr, TermKind};
    let terms = match rate {
        RateExpr::Free { .. } => return vec![],
        RateExpr::Formula {
            terms,
            floor,
            ceiling,
        } => terms
            .iter()
            .chain(floor.iter().flatten())
            .chain(ceiling.iter().flatten())
            .collect::<Vec<_>>(),
        RateExpr::Rule { plus, .. } => plus.iter().collect(),
    };
    terms
        .into_iter()
        .filter_map(|t| match &t.kind {
            TermKind::AdValorem { percent } => Some(*percent),
            _ => None,
        })
        .collect()
}
