//! Measures: those in force (optionally for one importer and date), and one measure in full.
//!
//! One measure in full, as `quid measures show` prints it (and its JSON):
//!
//! ```
//! use quid_app::{measures, App};
//!
//! let data = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
//! let app = App::new(Some(data), quid_core::parse_date("2026-12-06").unwrap()).unwrap();
//! // Ids are matched without regard to case.
//! let on = quid_core::parse_date("2026-12-06").unwrap();
//! let m = measures::show(&app, "us-s232-sa-2.steel-articles", on).unwrap();
//! assert_eq!(m.id, "US-S232-SA-2.steel-articles");
//! assert_eq!(m.authority, "s232-steel");
//! assert_eq!(m.heading, "9903.81.87");
//! assert_eq!(m.rate, "50%");
//! // It ended on 2026-04-05 (replaced by the annex regime): not in force on 2026-12-06.
//! assert_eq!(m.last_day.map(|d| d.to_string()).as_deref(), Some("2026-04-05"));
//! assert_eq!(m.status_on_date, measures::StatusOn::Ended);
//! let json = serde_json::to_value(&m).unwrap();
//! assert_eq!(json["status_on_date"], "ended");
//! assert_eq!(json["base"], "steel_content");
//! assert!(measures::show(&app, "NO-SUCH-MEASURE", on).unwrap_err().is_not_found());
//! ```

use crate::table::{Cell, Kind, Table};
use crate::{App, Error, Result};
use quid_core::{Citation, Confidence, Country, Date, Period};
use quid_engine::{Base, Status};
use schemars::JsonSchema;
use serde::Serialize;

/// How a measure stands on the date asked about: its legal status read against its period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusOn {
    /// In force on the date.
    InForce,
    /// In force from a later date.
    NotYetInForce,
    /// Its period ended before the date.
    Ended,
    /// Collected, then held unlawful by a court.
    StruckDown,
    /// Announced, never implemented.
    Announced,
    /// Threatened only.
    Threatened,
    /// From a single unverified source.
    Unverified,
}

impl StatusOn {
    /// The status of a measure recorded as `status` over `period`, on `date`.
    pub fn of(status: Status, period: Period, date: Date) -> StatusOn {
        match status {
            Status::StruckDown => StatusOn::StruckDown,
            Status::Announced => StatusOn::Announced,
            Status::Threatened => StatusOn::Threatened,
            Status::Unverified => StatusOn::Unverified,
            Status::InForce if date < period.from => StatusOn::NotYetInForce,
            Status::InForce if period.until.is_some_and(|u| date >= u) => StatusOn::Ended,
            Status::InForce => StatusOn::InForce,
        }
    }
}

/// The columns of `quid measures list`.
pub fn list_columns() -> Table {
    Table::typed([
        ("id", Kind::Text),
        ("importer", Kind::Text),
        ("origins", Kind::Text),
        ("authority", Kind::Text),
        ("heading", Kind::Text),
        ("rate", Kind::Text),
        ("base", Kind::Enum),
        ("scope", Kind::Text),
        ("from", Kind::Date),
        ("last_day", Kind::Date),
        ("status", Kind::Enum),
        ("confidence", Kind::Text),
        ("citations", Kind::Text),
    ])
}

/// The measures, optionally only an importer's and only those in force on a date; each with
/// its status on `date` (default `today`). `last_day` is the last day in force (empty while
/// open-ended).
pub fn list(app: &App, importer: Option<Country>, date: Option<Date>) -> Result<Table> {
    let policy = app.policy(true)?;
    let on = date.unwrap_or(app.today);
    let mut t = list_columns();
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
        t.push_cells([
            m.id.clone().into(),
            m.importer.to_string().into(),
            m.origins.join(" ").into(),
            m.authority.to_string().into(),
            m.heading.clone().into(),
            m.rate.clone().into(),
            crate::table::serde_name(&m.base).into(),
            policy.scope_summary(&m.id).unwrap_or_default().into(),
            m.from.into(),
            Cell::from(period.last_day()),
            crate::table::serde_name(&StatusOn::of(m.status, period, on)).into(),
            m.confidence.to_string().into(),
            m.citations
                .iter()
                .map(|c| c.url.clone().unwrap_or_else(|| c.title.clone()))
                .collect::<Vec<_>>()
                .join(" ")
                .into(),
        ]);
    }
    Ok(t)
}

/// The product scope of a measure as its file states it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ScopeText {
    /// HS prefixes included (`*`: every product).
    pub include: Vec<String>,
    /// Bundled lists whose lines are included.
    pub include_lists: Vec<String>,
    pub exclude: Vec<String>,
    pub exclude_lists: Vec<String>,
}

/// One measure in full (`quid measures show`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct MeasureDetail {
    pub id: String,
    pub title: String,
    pub importer: Country,
    /// Origins targeted (`*`: every origin).
    pub origins: Vec<String>,
    /// The authority class (`s232-steel`, `ieepa-ca`, ...), as in the measure files.
    pub authority: String,
    /// The legal heading: a US Chapter 99 number, or the Canadian order and schedule.
    pub heading: String,
    pub instrument: String,
    /// The rate as the legal text states it.
    pub rate: String,
    /// What the rate is charged on.
    pub base: Base,
    #[schemars(with = "quid_core::schema::DateText")]
    pub from: Date,
    /// The last day in force; `null` while open-ended.
    #[schemars(with = "Option<quid_core::schema::DateText>")]
    pub last_day: Option<Date>,
    /// The status the measure file records.
    pub status: Status,
    /// The date the status below is read on.
    #[schemars(with = "quid_core::schema::DateText")]
    pub status_date: Date,
    /// How the measure stands on `status_date`.
    pub status_on_date: StatusOn,
    pub confidence: Confidence,
    pub scope: ScopeText,
    /// The scope in words, as the policy compiled it.
    pub scope_summary: Option<String>,
    pub citations: Vec<Citation>,
    /// The file's notes on sources and readings (for maintainers; not printed in the table).
    pub notes: Option<String>,
}

/// One measure in full, with its status on `date`.
pub fn show(app: &App, id: &str, date: Date) -> Result<MeasureDetail> {
    let policy = app.policy(true)?;
    let m = policy
        .all_measures()
        .find(|m| m.id.eq_ignore_ascii_case(id))
        .ok_or_else(|| Error::NotFound(format!("no measure {id:?}; see `quid measures list`")))?;
    let period = Period {
        from: m.from,
        until: m.until,
    };
    Ok(MeasureDetail {
        id: m.id.clone(),
        title: m.title.clone(),
        importer: m.importer,
        origins: m.origins.clone(),
        authority: m.authority.to_string(),
        heading: m.heading.clone(),
        instrument: m.instrument.clone(),
        rate: m.rate.clone(),
        base: m.base,
        from: m.from,
        last_day: period.last_day(),
        status: m.status,
        status_date: date,
        status_on_date: StatusOn::of(m.status, period, date),
        confidence: m.confidence,
        scope: ScopeText {
            include: m.scope.include.clone(),
            include_lists: m.scope.include_lists.clone(),
            exclude: m.scope.exclude.clone(),
            exclude_lists: m.scope.exclude_lists.clone(),
        },
        scope_summary: policy.scope_summary(&m.id),
        citations: m.citations.clone(),
        notes: m.notes.clone(),
    })
}
