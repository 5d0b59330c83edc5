//! Negotiation packages: candidate moves of two parties, each valued through the engine on a
//! year of trade, and the packages that balance what each side gives within a tolerance while
//! liberalising the most trade, with the Pareto frontier of value to each side
//! ([`quid_econ::package`]).
//!
//! **Value of a move.** What it gives the other party: the fall in the annual additional duty on
//! the other party's goods on the date (2024 trade, 2025 USMCA claim shares, the balance's
//! weights), through the same panels as the balance. **Trade liberalised**: a year of the other
//! party's imports on the lines whose rate the move lowers.
//!
//! **Credits since a date.** With `since`, each side's tariff concessions since that date count
//! in its total: what its moves lowered beyond withdrawing its own escalation since the date
//! (the balance's accounting, [`quid_econ::accounting`]), so "what package would reciprocate
//! Canada's concessions to date" is one question, and a party is not credited for narrowing a
//! tariff it had just raised. Non-tariff
//! concessions (a tax rescinded, money spent) are reported beside and count only when the caller
//! gives an explicit rate converting their declared value into annual duty.
//!
//! Two candidate moves, one each side, first within a 5% tolerance, then within a wide one:
//!
//! ```
//! use quid_app::negotiate::{run, NegotiateRequest};
//! use quid_app::{App, EngineOptions};
//! use quid_core::{parse_date, Country};
//!
//! let data = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
//! let app = App::new(Some(data), parse_date("2026-12-06").unwrap()).unwrap();
//! let engine = app.engine(&EngineOptions::default()).unwrap();
//! let path = std::env::temp_dir().join(format!("quid-doc-negotiate-{}.toml", std::process::id()));
//! std::fs::write(&path, r#"
//! date = "2027-01-01"
//!
//! [[candidate]]
//! id = "us-steel-full"
//! group = "us-steel"
//! title = "Section 232 steel removed for goods of Canada"
//! party = "US"
//! origins = ["CA"]
//! action = "remove"
//! measures = ["US-S232-MET-5.IA.steel", "US-S232-MET-5.IA.steel.us-melted", "US-S232-MET-5.IA.steel.us-melted-articles", "US-S232-MET-5.IB.steel.from-2026-06-08", "US-S232-MET-5.IB.steel.us-melted.from-2026-06-08", "US-S232-MET-5.III.steel", "US-S232-MET-5.III.steel.us-melted", "US-S232-MET-6"]
//!
//! [[candidate]]
//! id = "ca-steel-derivative-full"
//! group = "ca-steel-derivative"
//! title = "Canada's steel derivative surtax removed for goods of the US"
//! party = "CA"
//! origins = ["US"]
//! action = "remove"
//! measures = ["CA-STEEL-DERIV"]
//! "#).unwrap();
//! let ask = |tolerance| {
//!     let req = NegotiateRequest {
//!         candidates: path.clone(),
//!         between: (Country::US, Country::CA),
//!         tolerance,
//!         since: None,
//!         declared_rate: None,
//!     };
//!     run(&app, &engine, &req)
//! };
//! let (tight, wide) = (ask(0.05), ask(1.9));
//! std::fs::remove_file(&path).unwrap();
//! let (tight, wide) = (tight.unwrap(), wide.unwrap());
//!
//! // The US steel duty weighs far more than Canada's derivative surtax (some US$7.8 billion a
//! // year against 0.3): no package balances within 5%.
//! let (us, ca) = (&tight.candidates[0], &tight.candidates[1]);
//! assert_eq!((us.party, ca.party), (Country::US, Country::CA));
//! assert!(tight.best.is_none());
//! assert!(tight.why.starts_with("no package of these candidates balances within 5.0%"));
//! // Within 190% of the mean, both moves together balance (7.80 - 0.29 <= 1.9 x 4.04, their
//! // mean) where either alone does not; the package gives what its moves give.
//! let best = wide.best.unwrap();
//! assert_eq!(best.moves, ["us-steel-full", "ca-steel-derivative-full"]);
//! assert_eq!((best.given_by_a_usd, best.given_by_b_usd), (us.value_usd, ca.value_usd));
//! ```

use crate::balance::{inputs, BalanceRequest};
use crate::{App, Engine, Error, Result};
use quid_core::{Country, Date};
use quid_econ::package::{self, Candidate, Package, Target};
use quid_econ::{EtrInput, Panel, Segments};
use quid_engine::reform::{Action, Move, Reform};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct CandidateSpec {
    id: String,
    group: String,
    #[serde(default)]
    title: Option<String>,
    party: Country,
    measures: Vec<String>,
    #[serde(default)]
    origins: Option<Vec<Country>>,
    action: String,
    #[serde(default)]
    rate: Option<String>,
    #[serde(default)]
    factor: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct CandidateFile {
    date: Date,
    candidate: Vec<CandidateSpec>,
}

/// A negotiation question.
#[derive(Debug, Clone)]
pub struct NegotiateRequest {
    pub candidates: PathBuf,
    /// The two parties (a, b).
    pub between: (Country, Country),
    /// The two totals within this share of their mean (0.05 = 5%).
    pub tolerance: f64,
    /// Count each side's tariff concessions recorded since this date.
    pub since: Option<Date>,
    /// US$ of annual duty per US$ of declared non-tariff concession; `None`: reported beside,
    /// never added.
    pub declared_rate: Option<f64>,
}

/// A candidate with its value.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ValuedCandidate {
    pub id: String,
    pub group: String,
    pub title: String,
    pub party: Country,
    /// The fall in the annual additional duty on the other party's goods, USD per year.
    pub value_usd: f64,
    /// A year of the other party's imports on lines whose rate falls, USD.
    pub liberalised_usd: f64,
}

/// A non-tariff concession recorded since the date, reported beside the tariff totals.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Declared {
    pub party: Country,
    pub title: String,
    /// Money: a number with two decimals, in `currency`.
    #[serde(serialize_with = "quid_core::schema::money")]
    #[schemars(with = "quid_core::schema::MoneyNumber")]
    pub amount: rust_decimal::Decimal,
    pub currency: String,
    pub basis: String,
    /// Its value counted in the totals (USD per year), when a rate was given.
    pub counted_usd: Option<f64>,
}

/// A package, by candidate id.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PackageReport {
    pub moves: Vec<String>,
    pub given_by_a_usd: f64,
    pub given_by_b_usd: f64,
    pub liberalised_usd: f64,
    pub balanced: bool,
}

/// What a negotiation question answers.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct NegotiateReport {
    #[schemars(with = "quid_core::schema::DateText")]
    pub date: Date,
    pub a: Country,
    pub b: Country,
    pub tolerance: f64,
    pub candidates: Vec<ValuedCandidate>,
    /// Each side's credit since the date (tariff concessions, plus counted declared values).
    pub credit_a_usd: f64,
    pub credit_b_usd: f64,
    pub declared: Vec<Declared>,
    pub best: Option<PackageReport>,
    /// Why the best package is the best.
    pub why: String,
    pub frontier: Vec<PackageReport>,
    pub assumptions: Vec<String>,
}

fn line_of(text: &str, id: &str) -> Option<usize> {
    let needle = format!("\"{id}\"");
    text.lines()
        .position(|l| l.trim_start().starts_with("id") && l.contains(&needle))
        .map(|i| i + 1)
}

/// A candidates file read: its date, each candidate with its move, and the text (for lines).
type CandidatesRead = (Date, Vec<(CandidateSpec, Move)>, String);

/// Reads a candidates file; every problem names the file, line and field.
fn read(path: &Path) -> Result<CandidatesRead> {
    let text = quid_data::bounded::read_text(path)?;
    let f: CandidateFile = toml::from_str(&text).map_err(|e| {
        let line = quid_data::error::toml_line(&text, &e);
        Error::invalid(
            format!(
                "{}{}",
                path.display(),
                line.map(|l| format!(":{l}")).unwrap_or_default()
            ),
            e.message().to_string(),
        )
    })?;
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for c in &f.candidate {
        let at = format!(
            "{}{}: candidate {}",
            path.display(),
            line_of(&text, &c.id)
                .map(|l| format!(":{l}"))
                .unwrap_or_default(),
            c.id
        );
        let action = match (c.action.as_str(), &c.rate, c.factor) {
            ("remove", None, None) => Action::Remove,
            ("set_rate", Some(r), None) => Action::SetRate(r.clone()),
            ("scale", None, Some(f)) => Action::Scale(f),
            (other, _, _) => {
                problems.push(format!(
                    "{at}: field action: {other:?} with these fields; expected remove, set_rate with a rate, or scale with a factor"
                ));
                continue;
            }
        };
        out.push((
            c.clone(),
            Move {
                id: c.id.clone(),
                party: c.party,
                measures: c.measures.clone(),
                origins: c.origins.clone(),
                from: f.date,
                action,
            },
        ));
    }
    if !problems.is_empty() {
        return Err(Error::Check(format!(
            "{} problem(s) in the candidates; nothing was run:\n{}",
            problems.len(),
            problems.join("\n")
        )));
    }
    Ok((f.date, out, text))
}

/// The annual additional duty on the partner's goods and each line's blended rate, on a day.
fn duty(
    engine: &Engine,
    policy: &quid_engine::Policy,
    importer: Country,
    partner: Country,
    input: &EtrInput,
    day: Date,
) -> (f64, Vec<f64>) {
    let segs = Segments::new(day, day, Vec::new());
    let (d, panel): (_, Panel) =
        crate::directions::direction(policy, &engine.reference, importer, partner, input, &segs);
    let mut rates = vec![[0.0f64; 2]; panel.lines.len()];
    for iv in &panel.intervals {
        if let Some(r) = rates.get_mut(iv.line as usize) {
            r[usize::from(iv.claim)] = iv.row.total;
        }
    }
    let blended = input
        .lines
        .iter()
        .zip(&rates)
        .map(|(l, r)| {
            let s = input.shares.get(&l.hs, day);
            (1.0 - s) * r[0] + s * r[1]
        })
        .collect();
    (d.burden(day), blended)
}

/// Values the candidates and searches the packages.
pub fn run(app: &App, engine: &Engine, req: &NegotiateRequest) -> Result<NegotiateReport> {
    let (a, b) = req.between;
    let (day, specs, text) = read(&req.candidates)?;
    let inp = inputs(app, engine, None)?;
    // The direction a party's moves act on: its imports from the other.
    let direction = |party: Country| -> Result<(Country, &EtrInput)> {
        match party {
            Country::US => Ok((Country::CA, &inp.us)),
            Country::CA => Ok((Country::US, &inp.ca)),
            other => Err(Error::invalid(
                "candidate party",
                format!("{other}: the bundled weights cover the US and Canada"),
            )),
        }
    };
    let baselines = [Country::US, Country::CA]
        .par_iter()
        .map(|p| {
            let (partner, input) = direction(*p)?;
            Ok((*p, duty(engine, &engine.policy, *p, partner, input, day)))
        })
        .collect::<Result<Vec<_>>>()?;
    let valued = specs
        .par_iter()
        .map(|(spec, mv)| -> Result<ValuedCandidate> {
            let policy = engine
                .reformed(&Reform {
                    moves: vec![mv.clone()],
                })
                .map_err(|e| {
                    Error::invalid(
                        format!(
                            "{}{}",
                            req.candidates.display(),
                            line_of(&text, &spec.id)
                                .map(|l| format!(":{l}"))
                                .unwrap_or_default()
                        ),
                        e.to_string(),
                    )
                })?;
            let (partner, input) = direction(spec.party)?;
            let (base_burden, base_rates) = baselines
                .iter()
                .find(|(p, _)| *p == spec.party)
                .map(|(_, x)| x.clone())
                .unwrap_or_default();
            let (burden, rates) = duty(engine, &policy, spec.party, partner, input, day);
            let liberalised = input
                .lines
                .iter()
                .zip(base_rates.iter().zip(&rates))
                .filter(|(_, (r0, r1))| **r1 < **r0 - 1e-12)
                .map(|(l, _)| l.weight)
                .sum();
            Ok(ValuedCandidate {
                id: spec.id.clone(),
                group: spec.group.clone(),
                title: spec.title.clone().unwrap_or_else(|| spec.id.clone()),
                party: spec.party,
                value_usd: (base_burden - burden).max(0.0),
                liberalised_usd: liberalised,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    // Credits since a date: each side's tariff concessions beyond that date's baseline (what
    // it lowered beyond withdrawing its own escalation since then, as the balance's accounting
    // classifies the ledger's moves), and its declared non-tariff concessions.
    let (mut credit_a, mut credit_b, mut declared) = (0.0, 0.0, Vec::new());
    if let Some(since) = req.since {
        let mut breq = BalanceRequest::new(since);
        breq.as_known_on = Some(app.today);
        breq.baseline = Some(since);
        let bal = crate::balance::run(app, engine, &breq)?;
        for side in &bal.accounting.sides {
            let credit = if side.party == a {
                &mut credit_a
            } else if side.party == b {
                &mut credit_b
            } else {
                continue;
            };
            *credit += side.tariff_concessions_usd;
            for (title, d) in &side.declared_concessions {
                use rust_decimal::prelude::ToPrimitive;
                let usd = d.amount.to_f64().unwrap_or(0.0)
                    / if d.currency == quid_core::Currency::CAD {
                        inp.cad_per_usd
                    } else {
                        1.0
                    };
                let counted = req.declared_rate.map(|r| usd * r);
                if let Some(c) = counted {
                    *credit += c;
                }
                declared.push(Declared {
                    party: side.party,
                    title: title.clone(),
                    amount: d.amount,
                    currency: d.currency.to_string(),
                    basis: d.basis.clone(),
                    counted_usd: counted,
                });
            }
        }
    }
    let cands: Vec<Candidate> = valued
        .iter()
        .map(|v| Candidate {
            id: v.id.clone(),
            party: v.party,
            group: v.group.clone(),
            value: v.value_usd,
            liberalised: v.liberalised_usd,
        })
        .collect();
    let target = Target {
        a,
        b,
        tolerance: req.tolerance,
        credit_a,
        credit_b,
    };
    let report = |p: &Package| PackageReport {
        moves: p.chosen.iter().map(|i| valued[*i].id.clone()).collect(),
        given_by_a_usd: p.given_by_a,
        given_by_b_usd: p.given_by_b,
        liberalised_usd: p.liberalised,
        balanced: p.balanced,
    };
    let best = package::best(&cands, &target).map_err(|e| Error::Check(e.to_string()))?;
    let why = match &best {
        Some(p) => p.why(),
        None => format!(
            "no package of these candidates balances within {:.1}% (credits: {a} {:.2}, {b} {:.2} US$ bn per year)",
            req.tolerance * 100.0,
            credit_a / 1e9,
            credit_b / 1e9
        ),
    };
    let frontier = package::frontier(&cands, &target)
        .map_err(|e| Error::Check(e.to_string()))?
        .iter()
        .map(report)
        .collect();
    Ok(NegotiateReport {
        date: day,
        a,
        b,
        tolerance: req.tolerance,
        best: best.as_ref().map(report),
        why,
        frontier,
        candidates: valued,
        credit_a_usd: credit_a,
        credit_b_usd: credit_b,
        declared,
        assumptions: vec![
            format!("value of a move: the fall in the annual additional duty on the other party's goods on {day}, on 2024 trade with 2025 USMCA claim shares (the balance's weights); {}", inp.ca_note),
            "trade liberalised: a year of the other party's imports on the lines whose rate the move lowers".into(),
            match req.declared_rate {
                Some(r) => format!("declared non-tariff concessions counted at {r} US$ of annual duty per US$ declared (CAD at {} per USD)", inp.fx_rate),
                None => "declared non-tariff concessions (tax, spending) are reported beside the totals, never added: give --declared-rate to count them".into(),
            },
        ],
    })
}

impl NegotiateReport {
    /// The candidates with their values, US$ billions.
    pub fn candidates_table(&self) -> crate::table::Table {
        use crate::table::{Cell, Kind};
        let mut t = crate::table::Table::typed([
            ("candidate", Kind::Text),
            ("party", Kind::Text),
            ("value_to_other_usd_bn_per_year", Kind::Number),
            ("trade_liberalised_usd_bn", Kind::Number),
        ]);
        for c in &self.candidates {
            t.push_cells([
                c.id.clone().into(),
                c.party.to_string().into(),
                Cell::num(c.value_usd / 1e9, 2),
                Cell::num(c.liberalised_usd / 1e9, 2),
            ]);
        }
        t
    }

    /// The frontier's points, US$ billions.
    pub fn frontier_table(&self) -> crate::table::Table {
        use crate::table::{Cell, Kind};
        let mut t = crate::table::Table::typed([
            ("given_by_a_usd_bn_per_year", Kind::Number),
            ("given_by_b_usd_bn_per_year", Kind::Number),
            ("liberalised_usd_bn", Kind::Number),
            ("within_tolerance", Kind::Bool),
            ("moves", Kind::Text),
        ]);
        for p in &self.frontier {
            t.push_cells([
                Cell::num(p.given_by_a_usd / 1e9, 2),
                Cell::num(p.given_by_b_usd / 1e9, 2),
                Cell::num(p.liberalised_usd / 1e9, 2),
                p.balanced.into(),
                p.moves.join(" ").into(),
            ]);
        }
        t
    }
}
