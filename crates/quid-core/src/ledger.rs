//! The reciprocity ledger: dated moves by a party toward another, in the Global Trade Alert
//! shape (an announcement holds one or more interventions, with implementing and affected
//! parties, dates, sources and an evaluation), plus what GTA lacks: negotiated and non-tariff
//! concessions, a declared value with its source, an enforceability flag for pledges, each
//! side's own wording, and two time axes.
//!
//! **Bitemporal.** `implemented`/`removed` say when a move applied; `recorded` says when the
//! entry's facts became known. A correction is a new announcement that `supersedes` an older
//! one; nothing is edited in place. [`Ledger::as_known_on`] gives the view of a date: the
//! entries recorded by then, each superseded entry replaced by its latest correction known then.
//!
//! ```
//! use quid_core::ledger::Ledger;
//! use quid_core::parse_date;
//! let ledger: Ledger = toml_like();
//! # fn toml_like() -> Ledger { Ledger::default() }
//! assert!(ledger.as_known_on(parse_date("2026-02-19").unwrap()).is_empty());
//! ```

use crate::problem::{Check, Location, Problem};
use crate::{Citation, Confidence, Country, Date};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// What kind of move an intervention is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    TariffImposed,
    TariffRaised,
    TariffLowered,
    TariffNarrowed,
    TariffSuspended,
    TariffRemoved,
    StruckDown,
    /// A duty ending by its own statutory limit (Section 122's 150 days): a change in the
    /// burden, but no party's concession.
    Expired,
    TaxIntroduced,
    TaxRescinded,
    Spending,
    Pledge,
    Threat,
    NonTariff,
}

impl Kind {
    /// True for moves on tariffs (valued by the duty engine).
    pub fn is_tariff(&self) -> bool {
        matches!(
            self,
            Kind::TariffImposed
                | Kind::TariffRaised
                | Kind::TariffLowered
                | Kind::TariffNarrowed
                | Kind::TariffSuspended
                | Kind::TariffRemoved
                | Kind::StruckDown
                | Kind::Expired
        )
    }
}

/// The concession categories of the balance.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Tariff,
    Tax,
    Spending,
    Pledge,
    NonTariff,
}

/// From the affected party's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Evaluation {
    Liberalising,
    Restrictive,
}

/// What became of the move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MoveStatus {
    Implemented,
    Announced,
    Threatened,
    StruckDown,
    Unverified,
}

/// A value a party declared for a non-tariff move (tax forgone, money spent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeclaredValue {
    pub amount: rust_decimal::Decimal,
    pub currency: crate::Currency,
    pub basis: String,
    pub source: Citation,
}

/// One side's own words about a move.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Wording {
    pub party: Country,
    pub quote: String,
    pub source: String,
}

/// One move.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intervention {
    pub id: String,
    /// The move's own title (what this move does), when its announcement holds several moves
    /// or is a correction whose title describes the correction; the balance shows it, else the
    /// announcement's title. Left out of the JSON when absent, so entries written before it
    /// keep their canonical form (and their hashes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub kind: Kind,
    pub category: Category,
    /// Measure ids (the research timeline's, e.g. `US-IEEPA-CA-3`) this move acts on.
    #[serde(default)]
    pub measures: Vec<String>,
    #[serde(default)]
    pub implemented: Option<Date>,
    #[serde(default)]
    pub removed: Option<Date>,
    pub evaluation: Evaluation,
    pub status: MoveStatus,
    pub confidence: Confidence,
    #[serde(default)]
    pub enforceable: Option<bool>,
    #[serde(default)]
    pub declared_value: Option<DeclaredValue>,
}

/// A dated public act holding one or more moves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Announcement {
    pub id: String,
    pub title: String,
    /// The implementing party.
    pub party: Country,
    pub affected: Vec<Country>,
    pub announced: Date,
    /// When this entry's facts became known (the knowledge axis).
    pub recorded: Date,
    #[serde(default)]
    pub supersedes: Option<String>,
    pub sources: Vec<Citation>,
    #[serde(default)]
    pub wording: Vec<Wording>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default, rename = "intervention")]
    pub interventions: Vec<Intervention>,
}

/// A set of announcements.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ledger {
    #[serde(default, rename = "announcement")]
    pub announcements: Vec<Announcement>,
}

impl Ledger {
    /// The entries known on `date`: recorded by then, each replaced by its latest correction
    /// recorded by then.
    pub fn as_known_on(&self, date: Date) -> Vec<&Announcement> {
        let known: Vec<&Announcement> = self
            .announcements
            .iter()
            .filter(|a| a.recorded <= date)
            .collect();
        let superseded: HashSet<&str> = known
            .iter()
            .filter_map(|a| a.supersedes.as_deref())
            .collect();
        known
            .into_iter()
            .filter(|a| !superseded.contains(a.id.as_str()))
            .collect()
    }

    /// Every problem with the ledger: duplicates, unknown references, dates out of order,
    /// missing citations, tariff moves without measures. `known_measure` says whether a measure
    /// id exists (an engine record or a measure of the research timeline).
    pub fn check(&self, known_measure: &dyn Fn(&str) -> bool) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut ids: HashMap<&str, usize> = HashMap::new();
        let mut move_ids: HashSet<&str> = HashSet::new();
        for (i, a) in self.announcements.iter().enumerate() {
            let at = || Location::entry(i + 1, &a.id);
            let mut push = |check, at: Location, message: String| {
                problems.push(Problem::new(check, at, message))
            };
            if let Some(prev) = ids.insert(a.id.as_str(), i) {
                push(
                    Check::DuplicateId,
                    at().field("id"),
                    format!("duplicate of announcement {}", prev + 1),
                );
            }
            if a.sources.is_empty() {
                push(
                    Check::MissingSource,
                    at().field("sources"),
                    "empty; every entry needs at least one citation".into(),
                );
            }
            if a.recorded < a.announced {
                push(
                    Check::RecordedOutOfOrder,
                    at().field("recorded"),
                    format!(
                        "{} is before the announcement date {}",
                        a.recorded, a.announced
                    ),
                );
            }
            if a.affected.contains(&a.party) {
                push(
                    Check::AffectsItself,
                    at().field("affected"),
                    format!("lists the implementing party {}", a.party),
                );
            }
            if a.interventions.is_empty() {
                push(
                    Check::NoMove,
                    at(),
                    "no intervention; an announcement holds at least one move".into(),
                );
            }
            let needs_titles = a.interventions.len() > 1 || a.supersedes.is_some();
            for v in &a.interventions {
                let at = || at().intervention(&v.id);
                if needs_titles && v.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
                    push(
                        Check::MoveTitle,
                        at().field("title"),
                        if a.supersedes.is_some() {
                            "a correction's move needs its own title (the correction's title \
                             describes the correction, not the move)"
                                .into()
                        } else {
                            "one of several moves needs its own title (the announcement's \
                             title describes them all)"
                                .into()
                        },
                    );
                }
                if !move_ids.insert(v.id.as_str()) && a.supersedes.is_none() {
                    push(
                        Check::DuplicateId,
                        at().field("id"),
                        "duplicate intervention id".into(),
                    );
                }
                if let (Some(i), Some(r)) = (v.implemented, v.removed) {
                    if r <= i {
                        push(
                            Check::MoveDates,
                            at().field("removed"),
                            format!("{r} is not after implemented {i}"),
                        );
                    }
                }
                if v.kind.is_tariff() && v.measures.is_empty() {
                    push(
                        Check::UnknownMeasure,
                        at().field("measures"),
                        "a tariff move must name the measures it acts on".into(),
                    );
                }
                for m in &v.measures {
                    if !known_measure(m) {
                        push(
                            Check::UnknownMeasure,
                            at().field("measures"),
                            format!("unknown measure {m:?}"),
                        );
                    }
                }
                if v.kind.is_tariff() && v.declared_value.is_some() {
                    push(
                        Check::DeclaredTariff,
                        at().field("declared_value"),
                        "tariff moves are valued by the engine, not declared".into(),
                    );
                }
                if v.status == MoveStatus::Implemented && v.implemented.is_none() {
                    push(
                        Check::MoveDates,
                        at().field("implemented"),
                        "an implemented move needs its date".into(),
                    );
                }
            }
        }
        for (i, a) in self.announcements.iter().enumerate() {
            if let Some(s) = &a.supersedes {
                let at = Location::entry(i + 1, &a.id);
                match ids.get(s.as_str()) {
                    None => problems.push(Problem::new(
                        Check::UnknownSupersedes,
                        at.field("supersedes"),
                        format!("unknown entry {s:?}"),
                    )),
                    Some(&j) if self.announcements[j].recorded > a.recorded => {
                        problems.push(Problem::new(
                            Check::RecordedOutOfOrder,
                            at.field("recorded"),
                            format!(
                                "a correction must be recorded on or after the entry it supersedes ({})",
                                self.announcements[j].recorded
                            ),
                        ))
                    }
                    _ => {}
                }
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_date;

    fn ann(id: &str, recorded: &str, supersedes: Option<&str>) -> Announcement {
        Announcement {
            id: id.into(),
            title: "t".into(),
            party: Country::US,
            affected: vec![Country::CA],
            announced: parse_date("2025-01-01").unwrap(),
            recorded: parse_date(recorded).unwrap(),
            supersedes: supersedes.map(str::to_string),
            sources: vec![Citation {
                kind: None,
                title: "s".into(),
                url: None,
                date: None,
                pinpoint: None,
            }],
            wording: vec![],
            notes: None,
            interventions: vec![Intervention {
                id: format!("{id}-1"),
                title: None,
                kind: Kind::TariffImposed,
                category: Category::Tariff,
                measures: vec!["M".into()],
                implemented: Some(parse_date("2025-03-04").unwrap()),
                removed: None,
                evaluation: Evaluation::Restrictive,
                status: MoveStatus::Implemented,
                confidence: Confidence::H,
                enforceable: None,
                declared_value: None,
            }],
        }
    }

    #[test]
    fn knowledge_axis_and_corrections() {
        let l = Ledger {
            announcements: vec![
                ann("A", "2025-02-01", None),
                ann("B", "2026-02-20", Some("A")),
            ],
        };
        let ids = |v: Vec<&Announcement>| v.iter().map(|a| a.id.clone()).collect::<Vec<_>>();
        assert_eq!(
            ids(l.as_known_on(parse_date("2026-02-19").unwrap())),
            vec!["A"]
        );
        assert_eq!(
            ids(l.as_known_on(parse_date("2026-03-01").unwrap())),
            vec!["B"]
        );
        assert!(l.as_known_on(parse_date("2025-01-01").unwrap()).is_empty());
    }

    #[test]
    fn check_reports_every_problem() {
        let mut bad = ann("A", "2025-02-01", None);
        bad.sources.clear();
        bad.interventions[0].measures = vec!["NOPE".into()];
        let l = Ledger {
            announcements: vec![bad, ann("A", "2024-01-01", Some("Z"))],
        };
        let p = l.check(&|m| m == "M");
        let checks: Vec<(Check, Option<&str>)> =
            p.iter().map(|x| (x.check, x.at.field.as_deref())).collect();
        assert_eq!(
            checks,
            vec![
                (Check::MissingSource, Some("sources")),
                (Check::UnknownMeasure, Some("measures")),
                (Check::DuplicateId, Some("id")),
                (Check::RecordedOutOfOrder, Some("recorded")),
                (Check::MoveTitle, Some("title")),
                (Check::UnknownSupersedes, Some("supersedes")),
            ]
        );
        assert_eq!(
            p[4].to_string(),
            "announcement 2 (A), intervention A-1: field title: a correction's move needs its own \
             title (the correction's title describes the correction, not the move)"
        );
        // The first entry's problems name it, the second's the second.
        assert!(p[..2].iter().all(|x| x.at.entry == Some((1, "A".into()))));
        assert!(p[2..].iter().all(|x| x.at.entry == Some((2, "A".into()))));
        assert_eq!(
            p[1].to_string(),
            "announcement 1 (A), intervention A-1: field measures: unknown measure \"NOPE\""
        );
    }
}
