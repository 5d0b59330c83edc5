//! Measures: those in force (optionally for one importer and date), and one measure in full.
//!
//! One measure in full, as the field/value pairs `quid measures show` prints:
//!
//! ```
//! use quid_app::{measures, App};
//!
//! let data = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
//! let app = App::new(Some(data), quid_core::parse_date("2026-12-06").unwrap()).unwrap();
//! // Ids are matched without regard to case.
//! let m = measures::show(&app, "us-s232-sa-2.steel-articles").unwrap();
//! let field = |k: &str| m.iter().find(|(f, _)| f == k).map(|(_, v)| v.as_str());
//! assert_eq!(field("id"), Some("US-S232-SA-2.steel-articles"));
//! assert_eq!(field("authority"), Some("s232-steel"));
//! assert_eq!(field("heading"), Some("9903.81.87"));
//! assert_eq!(field("rate"), Some("50%"));
//! assert!(measures::show(&app, "NO-SUCH-MEASURE").unwrap_err().is_not_found());
//! ```

use crate::table::Table;
use crate::{App, Error, Result};
use quid_core::{Country, Date, Period};

/// The measures, optionally only an importer's and only those in force on a date.
pub fn list(app: &App, importer: Option<Country>, date: Option<Date>) -> Result<Table> {
    let policy = app.policy(true)?;
    let mut t = Table::new([
        "id",
        "importer",
        "origins",
        "authority",
        "heading",
        "rate",
        "base",
        "scope",
        "period",
        "status",
        "confidence",
        "citations",
    ]);
    let mut rows: Vec<_> = policy.all_measures().collect();
    rows.sort_by(|a, b| (a.importer, a.from, &a.id).cmp(&(b.importer, b.from, &b.id)));
    for m in rows {
        if importer.is_some_and(|i| i != m.importer) {
            continue;
        }
        let period = Period {
            from: m.from,
            until: m.until,
        };
        if date.is_some_and(|d| !period.contains(d)) {
            continue;
        }
        t.push([
            m.id.clone(),
            m.importer.to_string(),
            m.origins.join(" "),
            m.authority.to_string(),
            m.heading.clone(),
            m.rate.clone(),
            format!("{:?}", m.base),
            policy.scope_summary(&m.id).unwrap_or_default(),
            period.to_string(),
            format!("{:?}", m.status),
            m.confidence.to_string(),
            m.citations
                .iter()
                .map(|c| c.url.clone().unwrap_or_else(|| c.title.clone()))
                .collect::<Vec<_>>()
                .join(" "),
        ]);
    }
    Ok(t)
}

/// One measure in full, as field/value pairs.
pub fn show(app: &App, id: &str) -> Result<Vec<(String, String)>> {
    let policy = app.policy(true)?;
    let m = policy
        .all_measures()
        .find(|m| m.id.eq_ignore_ascii_case(id))
        .ok_or_else(|| Error::NotFound(format!("no measure {id:?}; see `quid measures list`")))?;
    let mut r: Vec<(String, String)> = Vec::new();
    let mut add = |k: &str, v: String| r.push((k.to_string(), v));
    add("id", m.id.clone());
    add("title", m.title.clone());
    add("importer", m.importer.to_string());
    add("origins", m.origins.join(" "));
    add("authority", m.authority.to_string());
    add("heading", m.heading.clone());
    add("instrument", m.instrument.clone());
    add("rate", m.rate.clone());
    add("base", format!("{:?}", m.base));
    add(
        "period",
        Period {
            from: m.from,
            until: m.until,
        }
        .to_string(),
    );
    add("status", format!("{:?}", m.status));
    add("confidence", m.confidence.to_string());
    add(
        "scope",
        format!(
            "include {:?}; lists {:?}; exclude {:?}; exclude lists {:?}",
            m.scope.include, m.scope.include_lists, m.scope.exclude, m.scope.exclude_lists
        ),
    );
    for (i, c) in m.citations.iter().enumerate() {
        add(&format!("citation {}", i + 1), c.to_string());
    }
    if let Some(n) = &m.notes {
        add("notes", n.clone());
    }
    Ok(r)
}
