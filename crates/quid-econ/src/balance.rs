//! The reciprocity balance: what each party's measures cost the other party's goods over time
//! (the annual burden), what each move changed, and the concessions made and received by
//! category.
//!
//! **Burden.** For party P imposing on Q on date d: additional duties (everything above the base
//! duty) on a year of Q's goods at base-year trade, `B_P(d) = ETR_add(d) x W`, from the same
//! panels as `quid etr` and so from `assess`.
//!
//! **Moves.** A tariff move with measures M, implemented on d, is valued as the change in the
//! burden of the authorities of M between d - 1 and d (the move's own layers). Moves of one
//! party on one day that share an authority share its change equally. What stacking shifts
//! between other authorities on that day is reported as the day's interaction, so the moves and
//! interactions add up to the change in the burden: for each party, the moves' values plus
//! the interactions over the period equal `B(until) - B(since)` (changes after the first
//! day, whose burden is the start, up to the last; see [`Balance::change_check`]). Each
//! move carries its own title (the intervention's, else its announcement's). A struck-down move also reports the duty
//! collected under it, refundable. Non-tariff moves carry their declared value, in their own
//! category, never added to tariff dollars.
//!
//! A direction built by hand (the US on Canadian goods: no additional duty, then 12.5% from
//! 2025-03-04, on $400 billion of imports a year) and two ledger entries: the US duty, valued at
//! `12.5% x 400 = $50 billion` a year, and Canada's border spending, which keeps its declared
//! C$1.3 billion apart.
//!
//! ```
//! use quid_core::ledger::{Announcement, Category, DeclaredValue, Evaluation};
//! use quid_core::ledger::{Intervention, Kind, MoveStatus};
//! use quid_core::{parse_date, Citation, Country, Currency};
//! use quid_econ::balance::{burden_by_authority, compute, concessions, Direction};
//! use quid_econ::{authority_index, EtrSeries, Segments, AUTHORITY_COUNT};
//! use rust_decimal::Decimal;
//!
//! let d = |s| parse_date(s).unwrap();
//! let ieepa = usize::from(authority_index("ieepa-ca"));
//! let mut after = [0.0; AUTHORITY_COUNT];
//! after[ieepa] = 0.125;
//! let series = EtrSeries {
//!     segments: Segments::new(d("2025-01-01"), d("2025-12-31"), [d("2025-03-04")]),
//!     total: vec![0.0, 0.125],
//!     by_authority: vec![[0.0; AUTHORITY_COUNT], after],
//!     by_group: vec![vec![], vec![]],
//!     groups: vec![],
//!     total_weight: 400e9,
//!     matched_weight: 400e9,
//!     unknown_base_weight: vec![0.0, 0.0],
//! };
//! let us_on_ca = Direction {
//!     importer: Country::US,
//!     partner: Country::CA,
//!     series,
//!     annual_imports_usd: 400e9,
//! };
//! assert_eq!(us_on_ca.burden(d("2025-03-03")), 0.0);
//! assert_eq!(us_on_ca.burden(d("2025-03-04")), 50e9);
//! assert_eq!(burden_by_authority(&us_on_ca, d("2025-06-01")), [("ieepa-ca", 50e9)]);
//!
//! let source = Citation { kind: None, title: "a source".into(), url: None, date: None, pinpoint: None };
//! let entry = |id: &str, party, affected, date, kind, category, evaluation, measures: &[&str]| {
//!     Announcement {
//!         id: id.into(),
//!         title: id.into(),
//!         party,
//!         affected: vec![affected],
//!         announced: d(date),
//!         recorded: d(date),
//!         supersedes: None,
//!         sources: vec![source.clone()],
//!         wording: vec![],
//!         notes: None,
//!         interventions: vec![Intervention {
//!             id: format!("{id}-A"),
//!             title: None,
//!             kind,
//!             category,
//!             measures: measures.iter().map(|m| m.to_string()).collect(),
//!             implemented: Some(d(date)),
//!             removed: None,
//!             evaluation,
//!             status: MoveStatus::Implemented,
//!             confidence: quid_core::Confidence::H,
//!             enforceable: None,
//!             declared_value: None,
//!         }],
//!     }
//! };
//! let duty = entry("US-DUTY", Country::US, Country::CA, "2025-03-04", Kind::TariffImposed,
//!                  Category::Tariff, Evaluation::Restrictive, &["US-IEEPA-CA-1"]);
//! let mut border = entry("CA-BORDER", Country::CA, Country::US, "2024-12-17", Kind::Spending,
//!                        Category::Spending, Evaluation::Liberalising, &[]);
//! border.interventions[0].declared_value = Some(DeclaredValue {
//!     amount: Decimal::new(13, 1) * Decimal::from(1_000_000_000),
//!     currency: Currency::CAD,
//!     basis: "over six years".into(),
//!     source,
//! });
//!
//! // The ledger names measures; the engine's records say which authority each one is.
//! let authorities_of = |m: &str| match m {
//!     "US-IEEPA-CA-1" => vec!["ieepa-ca".to_string()],
//!     _ => vec![],
//! };
//! let (since, until) = (d("2025-01-01"), d("2025-12-31"));
//! let balance = compute(&[&duty, &border], &[us_on_ca], &authorities_of, since, until, until);
//!
//! // Moves come in date order: the border plan (2024-12-17), then the duty.
//! let (plan, tariff) = (&balance.moves[0], &balance.moves[1]);
//! assert_eq!(tariff.value_usd_per_year, Some(50e9));
//! assert_eq!(plan.value_usd_per_year, None);
//! assert_eq!(plan.declared.as_ref().map(|v| v.billions()), Some(1.3));
//! // The duty's change is all explained by its move: no interaction left over.
//! assert!(balance.interactions.is_empty());
//! // Canada's concessions: one spending move, no tariff dollars.
//! assert_eq!(concessions(&balance, Country::CA), [(Category::Spending, 0.0, 1)]);
//! ```

use crate::authority::{authority_index, authority_name, AUTHORITY_COUNT};

/// Differences below one US dollar a year are floating-point noise of the weighted sums, not
/// duty: a move against its own direction, or a day's change left after its moves, counts only
/// above this.
const NOISE_USD: f64 = 1.0;
use crate::etr::EtrSeries;
use quid_core::ledger::{Announcement, Category, Evaluation, Kind, MoveStatus};
use quid_core::{Citation, Country, Date};
use serde::Serialize;
use std::collections::HashMap;

/// The burden one party imposes on the other.
#[derive(Debug, Clone)]
pub struct Direction {
    pub importer: Country,
    pub partner: Country,
    pub series: EtrSeries,
    /// Annual imports in the base year (the ETR's denominator), USD.
    pub annual_imports_usd: f64,
}

impl Direction {
    /// Additional-duty burden on date `d`, USD per year (0 outside the series).
    pub fn burden(&self, d: Date) -> f64 {
        self.series.segments.index(d).map_or(0.0, |k| {
            (self.series.total[k] - self.series.by_authority[k][0]) * self.annual_imports_usd
        })
    }

    fn authority_burden(&self, d: Date, a: usize) -> f64 {
        self.series.segments.index(d).map_or(0.0, |k| {
            self.series.by_authority[k][a] * self.annual_imports_usd
        })
    }

    /// Total collected by an authority over the series' period (annual burden x years), USD.
    pub fn collected(&self, a: usize) -> f64 {
        (0..self.series.segments.len())
            .map(|k| {
                self.series.by_authority[k][a]
                    * self.annual_imports_usd
                    * self.series.segments.days(k) as f64
                    / 365.0
            })
            .sum()
    }
}

/// A value declared in the sources for a non-tariff move (a tax rescinded, money pledged),
/// kept in its own currency and never added to tariff dollars.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Declared {
    /// Money: a number with two decimals, in `currency`.
    #[serde(serialize_with = "quid_core::schema::money")]
    #[schemars(with = "quid_core::schema::MoneyNumber")]
    pub amount: rust_decimal::Decimal,
    pub currency: quid_core::Currency,
    /// What the figure is (as the source states it).
    pub basis: String,
}

impl Declared {
    /// The amount in billions of its currency.
    pub fn billions(&self) -> f64 {
        use rust_decimal::prelude::ToPrimitive;
        self.amount.to_f64().unwrap_or(0.0) / 1e9
    }
}

/// One move with its value.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct MoveValue {
    pub announcement: String,
    pub intervention: String,
    pub title: String,
    pub party: Country,
    pub kind: Kind,
    pub category: Category,
    pub evaluation: Evaluation,
    pub status: MoveStatus,
    #[schemars(with = "Option<quid_core::schema::DateText>")]
    pub date: Option<Date>,
    pub measures: Vec<String>,
    pub authorities: Vec<String>,
    /// Change in the other party's annual duty, USD per year (tariff moves valued by the engine).
    pub value_usd_per_year: Option<f64>,
    /// For struck-down moves: what was collected under the measures, refundable, USD.
    pub refundable_usd: Option<f64>,
    /// A declared value (non-tariff moves).
    pub declared: Option<Declared>,
    /// Why a move has no value, when it has none.
    pub note: Option<String>,
    pub sources: Vec<Citation>,
    /// Each side's own words about the move, as quoted in the ledger.
    pub wording: Vec<quid_core::ledger::Wording>,
}

/// A day's change in burden not carried by that day's moves (stacking shifting duty between
/// authorities, or measures with no ledger move).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Interaction {
    pub party: Country,
    #[schemars(with = "quid_core::schema::DateText")]
    pub date: Date,
    pub value_usd_per_year: f64,
}

/// The balance.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Balance {
    #[schemars(with = "quid_core::schema::DateText")]
    pub since: Date,
    #[schemars(with = "quid_core::schema::DateText")]
    pub until: Date,
    #[schemars(with = "quid_core::schema::DateText")]
    pub as_known_on: Date,
    pub moves: Vec<MoveValue>,
    pub interactions: Vec<Interaction>,
}

impl Balance {
    /// For a party: the sum of its moves' values, the sum of its interactions, and the change
    /// in its burden between the first and last day of the period (`dir.burden(until) -
    /// dir.burden(since)`). The first two add up to the third, to within a dollar a change date
    /// (a day's remainder under a dollar is noise and is not reported as an interaction).
    pub fn change_check(&self, dir: &Direction) -> (f64, f64, f64) {
        let moves: f64 = self
            .moves
            .iter()
            .filter(|m| m.party == dir.importer)
            .filter_map(|m| m.value_usd_per_year)
            .sum();
        let interactions: f64 = self
            .interactions
            .iter()
            .filter(|i| i.party == dir.importer)
            .map(|i| i.value_usd_per_year)
            .sum();
        (
            moves,
            interactions,
            dir.burden(self.until) - dir.burden(self.since),
        )
    }
}

/// Builds the balance from the known ledger entries and the two directions. `authorities_of`
/// maps a measure reference to the authority classes of the engine's records for it.
pub fn compute(
    entries: &[&Announcement],
    directions: &[Direction],
    authorities_of: &dyn Fn(&str) -> Vec<String>,
    since: Date,
    until: Date,
    as_known_on: Date,
) -> Balance {
    let mut moves = Vec::new();
    // (party, date, authority, restrictive?) -> number of valued moves sharing it.
    let mut shares: HashMap<(Country, Date, usize, bool), usize> = HashMap::new();
    // Changes within the period: after its first day (whose burden is the starting point) up to
    // and including its last.
    let in_window = |d: Option<Date>| d.is_some_and(|d| d > since && d <= until);
    for a in entries {
        for v in &a.interventions {
            if v.kind.is_tariff()
                && matches!(v.status, MoveStatus::Implemented | MoveStatus::StruckDown)
                && in_window(v.implemented)
            {
                let mut auths: Vec<usize> = v
                    .measures
                    .iter()
                    .flat_map(|m| authorities_of(m))
                    .map(|x| authority_index(&x) as usize)
                    .filter(|i| *i > 0)
                    .collect();
                auths.sort_unstable();
                auths.dedup();
                for i in auths {
                    if let Some(d) = v.implemented {
                        *shares
                            .entry((a.party, d, i, v.evaluation == Evaluation::Restrictive))
                            .or_default() += 1;
                    }
                }
            }
        }
    }
    let mut explained: HashMap<(Country, Date), f64> = HashMap::new();
    for a in entries {
        for v in &a.interventions {
            let direction = directions
                .iter()
                .find(|d| d.importer == a.party && a.affected.contains(&d.partner));
            let mut auths: Vec<String> =
                v.measures.iter().flat_map(|m| authorities_of(m)).collect();
            auths.sort();
            auths.dedup();
            let mut mv = MoveValue {
                announcement: a.id.clone(),
                intervention: v.id.clone(),
                title: v.title.clone().unwrap_or_else(|| a.title.clone()),
                party: a.party,
                kind: v.kind,
                category: v.category,
                evaluation: v.evaluation,
                status: v.status,
                date: v.implemented,
                measures: v.measures.clone(),
                authorities: auths.clone(),
                value_usd_per_year: None,
                refundable_usd: None,
                declared: v.declared_value.as_ref().map(|d| Declared {
                    amount: d.amount,
                    currency: d.currency,
                    basis: d.basis.clone(),
                }),
                note: None,
                sources: a.sources.clone(),
                wording: a.wording.clone(),
            };
            if v.kind.is_tariff() {
                match (direction, v.implemented, v.status) {
                    (
                        _,
                        _,
                        MoveStatus::Announced | MoveStatus::Threatened | MoveStatus::Unverified,
                    ) => {
                        mv.note = Some(
                            format!("{:?}: not in force, not valued", v.status).to_lowercase(),
                        );
                    }
                    (None, _, _) => mv.note = Some("no trade weights for this direction".into()),
                    (_, None, _) => mv.note = Some("no implementation date".into()),
                    (Some(_), Some(d), _) if d == since => {
                        mv.note = Some(
                            "on the first day of the period: part of the burden at its start"
                                .into(),
                        )
                    }
                    (Some(_), Some(d), _) if !in_window(Some(d)) => {
                        mv.note = Some("outside the balance period".into())
                    }
                    (Some(dir), Some(d), status) => {
                        let idx: Vec<usize> = auths
                            .iter()
                            .map(|x| authority_index(x) as usize)
                            .filter(|i| *i > 0)
                            .collect();
                        if idx.is_empty() {
                            mv.note = Some(
                                "its measures are not modelled by the duty engine (no authority)"
                                    .into(),
                            );
                        } else {
                            let prev = d.yesterday().unwrap_or(d);
                            let restrictive = v.evaluation == Evaluation::Restrictive;
                            let mut against = false;
                            let value: f64 = idx
                                .iter()
                                .map(|&i| {
                                    let delta =
                                        dir.authority_burden(d, i) - dir.authority_burden(prev, i);
                                    // A move is credited only with changes in its own direction:
                                    // a relief on the day a duty starts is not valued as the duty.
                                    if (restrictive && delta < 0.0) || (!restrictive && delta > 0.0)
                                    {
                                        against |= delta.abs() > NOISE_USD;
                                        return 0.0;
                                    }
                                    delta
                                        / shares
                                            .get(&(a.party, d, i, restrictive))
                                            .copied()
                                            .unwrap_or(1)
                                            as f64
                                })
                                .sum();
                            if against && value == 0.0 {
                                mv.note = Some("the duty of its measures moved the other way on that date; not attributed to this move".into());
                            }
                            mv.value_usd_per_year = Some(value);
                            *explained.entry((a.party, d)).or_default() += value;
                            if v.kind == Kind::StruckDown && status == MoveStatus::StruckDown {
                                mv.refundable_usd =
                                    Some(idx.iter().map(|&i| dir.collected(i)).sum());
                            }
                        }
                    }
                }
            } else if v.declared_value.is_none() {
                mv.note = Some("no declared value in the sources".into());
            }
            moves.push(mv);
        }
    }
    // Interactions: each change date's burden change not carried by its moves.
    let mut interactions = Vec::new();
    for dir in directions {
        for k in 1..dir.series.segments.len() {
            let d = dir.series.segments.starts[k];
            if d <= since || d > until {
                continue;
            }
            let change = dir.burden(d) - dir.burden(d.yesterday().unwrap_or(d));
            let rest = change - explained.get(&(dir.importer, d)).copied().unwrap_or(0.0);
            if rest.abs() > NOISE_USD {
                interactions.push(Interaction {
                    party: dir.importer,
                    date: d,
                    value_usd_per_year: rest,
                });
            }
        }
    }
    moves.sort_by_key(|m| (m.date, m.party.to_string()));
    Balance {
        since,
        until,
        as_known_on,
        moves,
        interactions,
    }
}

/// Concessions (liberalising moves by a party, not court rulings nor statutory expiries) summed by category: tariff
/// market access in USD per year of the other's duty removed (negative values = duty removed),
/// and the count of moves in the other categories.
pub fn concessions(balance: &Balance, party: Country) -> Vec<(Category, f64, usize)> {
    let mut out: Vec<(Category, f64, usize)> = Vec::new();
    for m in &balance.moves {
        if m.party != party
            || m.evaluation != Evaluation::Liberalising
            || m.kind == Kind::StruckDown
            || m.kind == Kind::Expired
            || m.kind == Kind::Threat
        {
            continue;
        }
        let v = m.value_usd_per_year.unwrap_or(0.0);
        match out.iter_mut().find(|(c, _, _)| *c == m.category) {
            Some((_, s, n)) => {
                *s += v;
                *n += 1;
            }
            None => out.push((m.category, v, 1)),
        }
    }
    out.sort_by_key(|(c, _, _)| *c);
    out
}

/// Sums of the burden by authority on a date (USD per year), largest first.
pub fn burden_by_authority(dir: &Direction, d: Date) -> Vec<(&'static str, f64)> {
    let mut v: Vec<(&'static str, f64)> = (1..AUTHORITY_COUNT)
        .map(|i| (authority_name(i as u8), dir.authority_burden(d, i)))
        .filter(|(_, x)| x.abs() > 0.0)
        .collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1));
    v
}
