//! Reforms: pure transformations of the measure records a policy is compiled from, in the manner
//! of OpenFisca reforms. A [`Reform`] is a list of [`Move`]s (remove a measure for some origins
//! from a date, change its rate, add a measure, end or add a stacking rule); [`apply`] returns
//! new records and never touches the baseline's, so the baseline and any number of scenarios
//! can be compiled side by side.
//!
//! A move acts on the records its references name that are in force on its date or start later:
//! a reference that is a record's own id names that record alone; any other names every record
//! it prefixes before a dot or whose family it is, as a ledger entry names them. A record
//! that also targets origins the move leaves alone is split: it ends on the move's date, and a
//! copy (`<id>.rest`) carries on for the other origins; a new rate is a copy (`<id>.reform`)
//! for the move's origins. A move whose measures are not in force on its date is an error, never
//! a silent no-op.
//!
//! ```
//! use quid_core::{parse_date, Country};
//! use quid_engine::measure::MeasureFile;
//! use quid_engine::reform::{apply, Action, Move, Reform};
//!
//! let file: MeasureFile = toml::from_str(r#"
//!     [[measure]]
//!     id = "US-S232-SA-2.steel"
//!     title = "Section 232 steel, 50%"
//!     importer = "US"
//!     origins = ["*"]
//!     authority = "s232-steel"
//!     heading = "9903.81.87"
//!     instrument = "Proclamation 10947"
//!     status = "in_force"
//!     confidence = "H"
//!     from = "2025-06-04"
//!     rate = "50%"
//!     base = "full_value"
//!     scope = { include = ["72"] }
//!     citations = [{ title = "Proclamation 10947" }]
//! "#).unwrap();
//! let d = |s| parse_date(s).unwrap();
//! // Steel of Canada at 25% from 2027-01-01; every other origin keeps 50%.
//! let reform = Reform {
//!     moves: vec![Move {
//!         id: "steel-25".into(),
//!         party: Country::US,
//!         measures: vec!["US-S232-SA-2".into()],
//!         origins: Some(vec![Country::CA]),
//!         from: d("2027-01-01"),
//!         action: Action::SetRate("25%".into()),
//!     }],
//! };
//! let files = [("steel.toml".to_string(), file)];
//! let out = apply(&files, &reform).unwrap();
//! let recs: Vec<_> = out.iter().flat_map(|(_, f)| &f.measure).collect();
//! let summary: Vec<(&str, String, Option<String>, &str)> = recs
//!     .iter()
//!     .map(|m| (m.id.as_str(), m.origins.join(" "), m.until.map(|u| u.to_string()), m.rate.as_str()))
//!     .collect();
//! assert_eq!(summary, [
//!     ("US-S232-SA-2.steel", "*".to_string(), Some("2027-01-01".to_string()), "50%"),
//!     ("US-S232-SA-2.steel.rest", "*".to_string(), None, "50%"),
//!     ("US-S232-SA-2.steel.reform", "CA".to_string(), None, "25%"),
//! ]);
//! // The rest excludes Canada; the baseline records are unchanged.
//! assert_eq!(recs[1].except_origins, vec![Country::CA]);
//! assert_eq!(files[0].1.measure[0].until, None);
//! ```

use crate::measure::{MeasureFile, MeasureRecord, RuleRecord};
use quid_core::rate::RateExpr;
use quid_core::{Country, Date};
use serde::Serialize;

/// What a move does.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", tag = "action", content = "value")]
pub enum Action {
    /// The measures stop applying to the origins from the date.
    Remove,
    /// The measures apply to the origins at this rate from the date.
    SetRate(String),
    /// The measures apply to the origins at their own ad valorem rate times this factor (0.5:
    /// half rates); a measure with a specific or compound rate cannot be scaled.
    Scale(f64),
    /// A new measure (its own dates and origins).
    Add(#[schemars(with = "quid_core::schema::AnyObject")] Box<MeasureRecord>),
    /// The named stacking rules end on the date.
    EndRule,
    /// A new stacking rule.
    AddRule(#[schemars(with = "quid_core::schema::AnyObject")] Box<RuleRecord>),
}

/// One move of a reform.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Move {
    /// The move's name, for messages.
    pub id: String,
    /// The importing party whose measures move.
    pub party: Country,
    /// Measure references (or, for [`Action::EndRule`], rule ids); empty for additions.
    pub measures: Vec<String>,
    /// The origins it applies to; `None` for every origin the measures target.
    pub origins: Option<Vec<Country>>,
    #[schemars(with = "quid_core::schema::DateText")]
    pub from: Date,
    pub action: Action,
}

/// A reform: moves applied in order.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct Reform {
    pub moves: Vec<Move>,
}

/// Why a reform cannot be applied; each names the move.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReformError {
    #[error("move {mv}: no measure of {party} named {reference:?}")]
    UnknownMeasure {
        mv: String,
        party: Country,
        reference: String,
    },
    #[error("move {mv}: {reference:?} is not in force on {date} for the origins named (it is a no-op; check the date)")]
    NotInForce {
        mv: String,
        reference: String,
        date: Date,
    },
    #[error("move {mv}: field rate: {rate:?} is not a rate ({reason})")]
    BadRate {
        mv: String,
        rate: String,
        reason: String,
    },
    #[error("move {mv}: a measure or rule with id {id:?} already exists")]
    DuplicateId { mv: String, id: String },
    #[error("move {mv}: no stacking rule of {party} with id {id:?} in force on {date}")]
    UnknownRule {
        mv: String,
        party: Country,
        id: String,
        date: Date,
    },
}

impl ReformError {
    /// The move names a measure that is not in force on its date.
    pub fn is_not_in_force(&self) -> bool {
        matches!(self, ReformError::NotInForce { .. })
    }
}

fn in_force_or_later(r: &MeasureRecord, d: Date) -> bool {
    r.until.is_none_or(|u| u > d)
}

fn in_force_on(r: &MeasureRecord, d: Date) -> bool {
    r.from <= d && r.until.is_none_or(|u| u > d)
}

/// Whether a record targets an origin.
fn targets(r: &MeasureRecord, c: Country) -> bool {
    let listed = r.origins.iter().any(|o| o == "*" || o == c.as_str());
    listed && !r.except_origins.contains(&c)
}

/// The move's origins that a record targets; `None` when the move covers all of them.
fn affected(r: &MeasureRecord, origins: &Option<Vec<Country>>) -> Option<Vec<Country>> {
    origins
        .as_ref()
        .map(|o| o.iter().copied().filter(|c| targets(r, *c)).collect())
}

/// Applies a reform to measure files; the input is left as it was.
pub fn apply(
    files: &[(String, MeasureFile)],
    reform: &Reform,
) -> Result<Vec<(String, MeasureFile)>, ReformError> {
    let mut out: Vec<(String, MeasureFile)> = files.to_vec();
    let mut added = MeasureFile::default();
    for mv in &reform.moves {
        apply_move(&mut out, &mut added, mv)?;
    }
    if !added.measure.is_empty() || !added.rule.is_empty() {
        out.push(("reform".to_string(), added));
    }
    Ok(out)
}

fn exists(files: &[(String, MeasureFile)], added: &MeasureFile, id: &str) -> bool {
    files
        .iter()
        .map(|(_, f)| f)
        .chain(std::iter::once(added))
        .any(|f| f.measure.iter().any(|m| m.id == id) || f.rule.iter().any(|r| r.id == id))
}

fn apply_move(
    files: &mut [(String, MeasureFile)],
    added: &mut MeasureFile,
    mv: &Move,
) -> Result<(), ReformError> {
    match &mv.action {
        Action::Add(rec) => {
            if exists(files, added, &rec.id) {
                return Err(ReformError::DuplicateId {
                    mv: mv.id.clone(),
                    id: rec.id.clone(),
                });
            }
            check_rate(mv, &rec.rate)?;
            added.measure.push((**rec).clone());
            Ok(())
        }
        Action::AddRule(rule) => {
            if exists(files, added, &rule.id) {
                return Err(ReformError::DuplicateId {
                    mv: mv.id.clone(),
                    id: rule.id.clone(),
                });
            }
            added.rule.push((**rule).clone());
            Ok(())
        }
        Action::EndRule => {
            for id in &mv.measures {
                let mut found = false;
                for (_, f) in files.iter_mut() {
                    for r in f.rule.iter_mut().filter(|r| {
                        r.importer == mv.party
                            && &r.id == id
                            && r.from <= mv.from
                            && r.until.is_none_or(|u| u > mv.from)
                    }) {
                        r.until = Some(mv.from);
                        found = true;
                    }
                }
                if !found {
                    return Err(ReformError::UnknownRule {
                        mv: mv.id.clone(),
                        party: mv.party,
                        id: id.clone(),
                        date: mv.from,
                    });
                }
            }
            Ok(())
        }
        Action::Remove | Action::SetRate(_) | Action::Scale(_) => {
            if let Action::SetRate(rate) = &mv.action {
                check_rate(mv, rate)?;
            }
            for reference in &mv.measures {
                move_measure(files, mv, reference)?;
            }
            Ok(())
        }
    }
}

fn check_rate(mv: &Move, rate: &str) -> Result<(), ReformError> {
    RateExpr::parse(rate)
        .map(|_| ())
        .map_err(|e| ReformError::BadRate {
            mv: mv.id.clone(),
            rate: rate.to_string(),
            reason: e.reason,
        })
}

/// An ad valorem rate times a factor ("50%" x 0.5 = "25%").
fn scaled(mv: &Move, rate: &str, factor: f64) -> Result<String, ReformError> {
    let bad = |reason: &str| ReformError::BadRate {
        mv: mv.id.clone(),
        rate: rate.to_string(),
        reason: reason.to_string(),
    };
    if !(0.0..=10.0).contains(&factor) {
        return Err(bad("a scale factor between 0 and 10 is expected"));
    }
    let pct: f64 = rate
        .trim()
        .strip_suffix('%')
        .and_then(|n| n.trim().parse().ok())
        .ok_or_else(|| bad("only an ad valorem rate (\"25%\") can be scaled"))?;
    let v = (pct * factor * 1e6).round() / 1e6;
    Ok(format!("{v}%"))
}

fn move_measure(
    files: &mut [(String, MeasureFile)],
    mv: &Move,
    reference: &str,
) -> Result<(), ReformError> {
    // A reference that is some record's own id names that record alone; otherwise it names
    // every record it prefixes or whose family it is (as a ledger entry names them).
    let exact = files.iter().any(|(_, f)| {
        f.measure
            .iter()
            .any(|r| r.importer == mv.party && r.id == reference)
    });
    let named = |r: &MeasureRecord| {
        r.importer == mv.party
            && if exact {
                r.id == reference
            } else {
                r.is_named_by(reference)
            }
    };
    if !files.iter().any(|(_, f)| f.measure.iter().any(named)) {
        return Err(ReformError::UnknownMeasure {
            mv: mv.id.clone(),
            party: mv.party,
            reference: reference.to_string(),
        });
    }
    let live = |r: &MeasureRecord| {
        named(r)
            && in_force_on(r, mv.from)
            && affected(r, &mv.origins).is_none_or(|a| !a.is_empty())
    };
    if !files.iter().any(|(_, f)| f.measure.iter().any(live)) {
        return Err(ReformError::NotInForce {
            mv: mv.id.clone(),
            reference: reference.to_string(),
            date: mv.from,
        });
    }
    for (_, f) in files.iter_mut() {
        let mut extra = Vec::new();
        for r in f.measure.iter_mut() {
            if !named(r) || !in_force_or_later(r, mv.from) {
                continue;
            }
            let origins = affected(r, &mv.origins);
            if origins.as_ref().is_some_and(|a| a.is_empty()) {
                continue;
            }
            let start = r.from.max(mv.from);
            let original = r.clone();
            // The record stops where the move starts (or is emptied when it starts later).
            r.until = Some(start);
            // What carries on for the origins the move leaves alone.
            if let Some(a) = &origins {
                let mut rest = original.clone();
                rest.id = format!("{}.rest", original.id);
                rest.from = start;
                if rest.origins.iter().any(|o| o == "*") {
                    rest.except_origins.extend(a.iter().copied());
                    rest.except_origins.sort();
                    rest.except_origins.dedup();
                } else {
                    rest.origins.retain(|o| !a.iter().any(|c| c.as_str() == o));
                }
                if !rest.origins.is_empty() {
                    extra.push(rest);
                }
            }
            let new_rate = match &mv.action {
                Action::SetRate(rate) => Some(rate.clone()),
                Action::Scale(f) => Some(scaled(mv, &original.rate, *f)?),
                _ => None,
            };
            if let Some(rate) = new_rate {
                let mut new = original.clone();
                new.id = format!("{}.reform", original.id);
                new.from = start;
                new.rate = rate.clone();
                new.min_effective_percent = None;
                if let Some(a) = &origins {
                    new.origins = a.iter().map(|c| c.to_string()).collect();
                    new.except_origins.clear();
                }
                new.title = format!("{} (reform {}: {rate})", original.title, mv.id);
                extra.push(new);
            }
        }
        // Records emptied by the move (starting on or after its date) are dropped.
        f.measure.retain(|r| r.until.is_none_or(|u| u > r.from));
        for e in extra {
            if e.until.is_none_or(|u| u > e.from) {
                f.measure.push(e);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"
[[measure]]
id = "US-S232-AUTO-1.non-usmca"
title = "232 autos"
importer = "US"
origins = ["CA", "MX"]
authority = "s232-autos"
heading = "9903.94.01"
instrument = "Proclamation 10908"
status = "in_force"
confidence = "H"
from = "2025-04-03"
rate = "25%"
base = "full_value"
scope = { include = ["8703"] }
citations = [{ title = "Proclamation 10908" }]

[[measure]]
id = "US-S232-AUTO-2.later"
family = "US-S232-AUTO-1"
title = "232 autos, later version"
importer = "US"
origins = ["CA", "MX"]
authority = "s232-autos"
heading = "9903.94.05"
instrument = "test"
status = "in_force"
confidence = "H"
from = "2027-06-01"
rate = "30%"
base = "full_value"
scope = { include = ["8703"] }
citations = [{ title = "test" }]

[[rule]]
id = "US-STACK-1"
importer = "US"
kind = "excludes"
winners = ["s232-autos"]
losers = ["ieepa-ca"]
from = "2025-04-03"
instrument = "EO 14289"
citations = [{ title = "EO 14289" }]
"#;

    fn files() -> Vec<(String, MeasureFile)> {
        vec![("autos.toml".into(), toml::from_str(FILE).unwrap())]
    }

    fn d(s: &str) -> Date {
        quid_core::parse_date(s).unwrap()
    }

    fn mv(action: Action, origins: Option<Vec<Country>>, from: &str) -> Move {
        Move {
            id: "m".into(),
            party: Country::US,
            measures: vec!["US-S232-AUTO-1".into()],
            origins,
            from: d(from),
            action,
        }
    }

    fn ids(f: &[(String, MeasureFile)]) -> Vec<(String, String, Option<Date>)> {
        f.iter()
            .flat_map(|(_, f)| &f.measure)
            .map(|m| (m.id.clone(), m.origins.join(" "), m.until))
            .collect()
    }

    /// Removing the autos tariff for Canada from 2027-01-01: the record ends then, a rest goes
    /// on for Mexico, and the later version (named through its family) is narrowed to Mexico.
    #[test]
    fn remove_for_one_origin_splits_and_covers_later_versions() {
        let out = apply(
            &files(),
            &Reform {
                moves: vec![mv(Action::Remove, Some(vec![Country::CA]), "2027-01-01")],
            },
        )
        .unwrap();
        assert_eq!(
            ids(&out),
            vec![
                (
                    "US-S232-AUTO-1.non-usmca".into(),
                    "CA MX".into(),
                    Some(d("2027-01-01"))
                ),
                ("US-S232-AUTO-1.non-usmca.rest".into(), "MX".into(), None),
                ("US-S232-AUTO-2.later.rest".into(), "MX".into(), None),
            ]
        );
    }

    /// Removing for every origin ends the record and drops the later version.
    #[test]
    fn remove_everywhere_ends_the_measure() {
        let out = apply(
            &files(),
            &Reform {
                moves: vec![mv(Action::Remove, None, "2027-01-01")],
            },
        )
        .unwrap();
        assert_eq!(
            ids(&out),
            vec![(
                "US-S232-AUTO-1.non-usmca".into(),
                "CA MX".into(),
                Some(d("2027-01-01"))
            )]
        );
    }

    #[test]
    fn a_move_before_the_measure_is_not_in_force() {
        let e = apply(
            &files(),
            &Reform {
                moves: vec![mv(Action::Remove, Some(vec![Country::CA]), "2025-01-01")],
            },
        )
        .unwrap_err();
        assert!(e.is_not_in_force(), "{e}");
        assert_eq!(
            e.to_string(),
            "move m: \"US-S232-AUTO-1\" is not in force on 2025-01-01 for the origins named (it is a no-op; check the date)"
        );
        // An origin the measure does not target is a no-op too.
        let e = apply(
            &files(),
            &Reform {
                moves: vec![mv(
                    Action::Remove,
                    Some(vec!["JP".parse().unwrap()]),
                    "2026-01-01",
                )],
            },
        )
        .unwrap_err();
        assert!(e.is_not_in_force());
    }

    #[test]
    fn bad_rate_and_unknown_measure_name_the_move() {
        let e = apply(
            &files(),
            &Reform {
                moves: vec![mv(Action::SetRate("a quarter".into()), None, "2026-01-01")],
            },
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("move m: field rate: \"a quarter\""),
            "{e}"
        );
        let mut m = mv(Action::Remove, None, "2026-01-01");
        m.measures = vec!["US-NOPE".into()];
        let e = apply(&files(), &Reform { moves: vec![m] }).unwrap_err();
        assert_eq!(e.to_string(), "move m: no measure of US named \"US-NOPE\"");
    }

    /// Half rates: 25% becomes 12.5% for the origins named, from the date.
    #[test]
    fn scale_halves_an_ad_valorem_rate() {
        let out = apply(
            &files(),
            &Reform {
                moves: vec![mv(
                    Action::Scale(0.5),
                    Some(vec![Country::CA]),
                    "2027-01-01",
                )],
            },
        )
        .unwrap();
        let new: Vec<(&str, &str)> = out[0]
            .1
            .measure
            .iter()
            .filter(|m| m.id.ends_with(".reform"))
            .map(|m| (m.id.as_str(), m.rate.as_str()))
            .collect();
        assert_eq!(
            new,
            vec![
                ("US-S232-AUTO-1.non-usmca.reform", "12.5%"),
                ("US-S232-AUTO-2.later.reform", "15%")
            ]
        );
    }

    #[test]
    fn rules_end_and_the_baseline_is_untouched() {
        let base = files();
        let mut m = mv(Action::EndRule, None, "2026-01-01");
        m.measures = vec!["US-STACK-1".into()];
        let out = apply(&base, &Reform { moves: vec![m] }).unwrap();
        assert_eq!(out[0].1.rule[0].until, Some(d("2026-01-01")));
        assert_eq!(base[0].1.rule[0].until, None);
    }
}
