//! Reciprocity accounting against a baseline date: every move of the balance classified as an
//! escalation, a de-escalation (withdrawing one's own escalation since the baseline) or a
//! concession (liberalising beyond the baseline), so "what has each side given that it did not
//! first take" is one table.
//!
//! **Rule.** Each party keeps, per authority, the escalation it has added since the baseline
//! (the annual duty its restrictive tariff moves added). A liberalising tariff move first
//! withdraws that outstanding escalation on its own authorities (de-escalation); only what it
//! lowers beyond it is a concession. A liberalising non-tariff move (a tax rescinded, money
//! spent, a pledge) is a concession in its declared value, kept apart from duty dollars. Court
//! rulings and threats are no party's moves and are left out; moves before the baseline too.
//!
//! The US narrowed its 25% tariff to non-USMCA goods three days after imposing it: that is
//! de-escalation of its own escalation, not a concession. Canada's rescinded digital services
//! tax predated the baseline: a concession.
//!
//! ```
//! use quid_econ::accounting::{classify_moves, Class, Step};
//! use quid_core::{parse_date, Country};
//! let d = |s| parse_date(s).unwrap();
//! // The US adds 80 on authority ieepa-ca, then lowers it by 54: de-escalation, no concession.
//! // Canada adds 10, then lowers by 14: 10 de-escalation, 4 concession.
//! let steps = [
//!     Step { party: Country::US, date: d("2025-03-04"), authorities: vec!["ieepa-ca".into()], value: 80.0 },
//!     Step { party: Country::CA, date: d("2025-03-04"), authorities: vec!["ca-surtax".into()], value: 10.0 },
//!     Step { party: Country::US, date: d("2025-03-07"), authorities: vec!["ieepa-ca".into()], value: -54.0 },
//!     Step { party: Country::CA, date: d("2025-09-01"), authorities: vec!["ca-surtax".into()], value: -14.0 },
//! ];
//! let c = classify_moves(&steps, d("2025-03-03"));
//! assert_eq!(c[2].class, Class::DeEscalation);
//! assert_eq!((c[2].de_escalation, c[2].concession), (54.0, 0.0));
//! assert_eq!(c[3].class, Class::Concession);
//! assert_eq!((c[3].de_escalation, c[3].concession), (10.0, 4.0));
//! ```

use crate::balance::{Balance, Declared};
use quid_core::ledger::{Category, Kind};
use quid_core::{Country, Date};
use serde::Serialize;
use std::collections::HashMap;

/// How a move counts against the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Adds duty (or another restriction) beyond the baseline.
    Escalation,
    /// Withdraws the party's own escalation since the baseline, and nothing beyond.
    DeEscalation,
    /// Liberalises beyond the baseline (in part or whole).
    Concession,
    /// Before the baseline, a ruling, a threat, or a move with no value: not counted.
    NotCounted,
}

/// A tariff move reduced to what the accounting needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub party: Country,
    pub date: Date,
    pub authorities: Vec<String>,
    /// Change in the other party's annual duty (+ raises, - lowers), USD per year.
    pub value: f64,
}

/// A step's classification and its parts, USD per year (all non-negative).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Classified {
    pub class: Class,
    pub escalation: f64,
    pub de_escalation: f64,
    pub concession: f64,
}

/// Classifies tariff steps in date order against a baseline date (steps before it do not
/// count). The result is in the steps' order.
pub fn classify_moves(steps: &[Step], baseline: Date) -> Vec<Classified> {
    let mut order: Vec<usize> = (0..steps.len()).collect();
    order.sort_by_key(|i| steps[*i].date);
    let mut outstanding: HashMap<(Country, String), f64> = HashMap::new();
    let mut out = vec![
        Classified {
            class: Class::NotCounted,
            escalation: 0.0,
            de_escalation: 0.0,
            concession: 0.0,
        };
        steps.len()
    ];
    for i in order {
        let s = &steps[i];
        if s.date < baseline || s.value == 0.0 || !s.value.is_finite() {
            continue;
        }
        let auths: Vec<String> = if s.authorities.is_empty() {
            vec![String::new()]
        } else {
            s.authorities.clone()
        };
        if s.value > 0.0 {
            // An escalation is held against its first authority (its own layer).
            *outstanding.entry((s.party, auths[0].clone())).or_default() += s.value;
            out[i] = Classified {
                class: Class::Escalation,
                escalation: s.value,
                de_escalation: 0.0,
                concession: 0.0,
            };
        } else {
            let mut left = -s.value;
            let mut de = 0.0;
            for a in &auths {
                if let Some(o) = outstanding.get_mut(&(s.party, a.clone())) {
                    let take = o.min(left);
                    *o -= take;
                    left -= take;
                    de += take;
                }
            }
            out[i] = Classified {
                class: if left > 1e-9 {
                    Class::Concession
                } else {
                    Class::DeEscalation
                },
                escalation: 0.0,
                de_escalation: de,
                concession: left,
            };
        }
    }
    out
}

/// One side's account since the baseline.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SideAccount {
    pub party: Country,
    /// Annual duty its restrictive tariff moves added since the baseline, USD.
    pub escalation_usd: f64,
    /// What its liberalising moves withdrew of that.
    pub de_escalation_usd: f64,
    /// Escalation less de-escalation: what it still charges beyond the baseline.
    pub net_escalation_usd: f64,
    /// Tariff liberalisation beyond the baseline, USD per year.
    pub tariff_concessions_usd: f64,
    /// Non-tariff concessions in their declared values (never added to duty dollars); in JSON
    /// `{"move": title, "declared": {...}}`.
    #[serde(serialize_with = "named_declared")]
    #[schemars(with = "Vec<NamedDeclared>")]
    pub declared_concessions: Vec<(String, Declared)>,
}

/// A declared concession and the move that declared it.
#[derive(Serialize, schemars::JsonSchema)]
pub struct NamedDeclared<'a> {
    #[serde(rename = "move")]
    pub title: &'a str,
    pub declared: &'a Declared,
}

fn named_declared<S: serde::Serializer>(v: &[(String, Declared)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().map(|(t, d)| NamedDeclared {
        title: t,
        declared: d,
    }))
}

/// The accounting of a balance.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Accounting {
    #[schemars(with = "quid_core::schema::DateText")]
    pub baseline: Date,
    /// Per move of the balance, in its order.
    pub moves: Vec<Classified>,
    pub sides: Vec<SideAccount>,
}

/// Classifies a balance's moves against `baseline` (default: the day before its first dated
/// move) and sums each side's account.
pub fn account(balance: &Balance, parties: [Country; 2], baseline: Option<Date>) -> Accounting {
    let first = balance.moves.iter().filter_map(|m| m.date).min();
    let baseline = baseline
        .or_else(|| first.and_then(|d| d.yesterday().ok()))
        .unwrap_or(balance.since);
    let counted = |m: &crate::balance::MoveValue| {
        !matches!(m.kind, Kind::StruckDown | Kind::Expired | Kind::Threat) && m.date.is_some()
    };
    let steps: Vec<Step> = balance
        .moves
        .iter()
        .map(|m| Step {
            party: m.party,
            date: m.date.unwrap_or(balance.since),
            authorities: m.authorities.clone(),
            value: if counted(m) && m.category == Category::Tariff {
                m.value_usd_per_year.unwrap_or(0.0)
            } else {
                0.0
            },
        })
        .collect();
    let mut moves = classify_moves(&steps, baseline);
    // Non-tariff liberalising moves are concessions in their declared value.
    for (m, c) in balance.moves.iter().zip(moves.iter_mut()) {
        let liberalising = m.evaluation == quid_core::ledger::Evaluation::Liberalising;
        if m.category != Category::Tariff
            && counted(m)
            && liberalising
            && m.date.is_some_and(|d| d >= baseline)
            && m.declared.is_some()
        {
            c.class = Class::Concession;
        }
    }
    let sides = parties
        .iter()
        .map(|p| {
            let mine = || {
                balance
                    .moves
                    .iter()
                    .zip(&moves)
                    .filter(move |(m, _)| m.party == *p)
            };
            let esc: f64 = mine().map(|(_, c)| c.escalation).sum();
            let de: f64 = mine().map(|(_, c)| c.de_escalation).sum();
            SideAccount {
                party: *p,
                escalation_usd: esc,
                de_escalation_usd: de,
                net_escalation_usd: esc - de,
                tariff_concessions_usd: mine().map(|(_, c)| c.concession).sum(),
                declared_concessions: mine()
                    .filter(|(m, c)| c.class == Class::Concession && m.category != Category::Tariff)
                    .filter_map(|(m, _)| m.declared.clone().map(|d| (m.title.clone(), d)))
                    .collect(),
            }
        })
        .collect();
    Accounting {
        baseline,
        moves,
        sides,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        quid_core::parse_date(s).unwrap()
    }

    fn step(party: Country, date: &str, auth: &str, value: f64) -> Step {
        Step {
            party,
            date: d(date),
            authorities: vec![auth.into()],
            value,
        }
    }

    /// Escalation on one authority cannot be withdrawn by cutting another: lowering authority
    /// b by 5 after raising a by 10 is a 5 concession, and a's 10 stays outstanding.
    #[test]
    fn de_escalation_is_per_authority() {
        let c = classify_moves(
            &[
                step(Country::US, "2025-03-01", "a", 10.0),
                step(Country::US, "2025-04-01", "b", -5.0),
                step(Country::US, "2025-05-01", "a", -4.0),
            ],
            d("2025-01-01"),
        );
        assert_eq!(c[1].class, Class::Concession);
        assert_eq!((c[1].de_escalation, c[1].concession), (0.0, 5.0));
        assert_eq!(c[2].class, Class::DeEscalation);
        assert_eq!(c[2].de_escalation, 4.0);
    }

    /// Order is by date, whatever the input order; steps before the baseline do not count, so a
    /// cut of what was imposed before the baseline is a concession.
    #[test]
    fn baseline_and_date_order() {
        let c = classify_moves(
            &[
                step(Country::CA, "2025-09-01", "s", -14.0),
                step(Country::CA, "2025-03-04", "s", 10.0),
                step(Country::CA, "2024-06-01", "s", 30.0),
            ],
            d("2025-01-01"),
        );
        assert_eq!(c[2].class, Class::NotCounted);
        assert_eq!(c[1].class, Class::Escalation);
        assert_eq!((c[0].de_escalation, c[0].concession), (10.0, 4.0));
    }
}
