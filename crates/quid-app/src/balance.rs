//! The Canada-United States reciprocity balance, the main job: the annual tariff burden each
//! party imposes on the other's goods over time, every move valued through the duty engine, the
//! concessions by category, trade-weighted and OTRI-style indices both ways, the USTR
//! "reciprocal tariff" formula, and the charts' specifications.
//!
//! **As known on.** The ledger entries recorded by the date (each correction replacing what it
//! supersedes); measures that no entry known then mentions are dropped, and a measure struck
//! down by a ruling after the date is treated as in force with no end (nothing refundable).
//! **The period's end.** Without `until`, the period ends on the as-known-on date itself (by
//! default today): the balance is the state of what was known that day, and a move known on it
//! stays in force to it. (Ending at the newest move known would end `--as-known-on 2026-02-19`
//! on 2026-02-01, and `--as-known-on 2026-03-01` on the day of the IEEPA ruling, 2026-02-20,
//! leaving the state after the ruling a zero-width edge.) The rule is printed with the report
//! (`period_end`).
//!
//! The balance over the first quarter of 2025, as known today:
//!
//! ```
//! use quid_app::balance::{run, BalanceRequest};
//! use quid_app::{App, EngineOptions};
//! use quid_core::{parse_date, Country};
//!
//! let data = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
//! let app = App::new(Some(data), parse_date("2026-12-06").unwrap()).unwrap();
//! let engine = app.engine(&EngineOptions::default()).unwrap();
//! let mut req = BalanceRequest::new(parse_date("2025-01-01").unwrap());
//! req.until = Some(parse_date("2025-03-31").unwrap());
//! let report = run(&app, &engine, &req).unwrap();
//! // Neither side charged any additional duty on the other's goods before 2025-03-04, when the
//! // US IEEPA duty (EO 14193) and Canada's first surtax (C$30B list) both began.
//! let first = report.burdens.iter().find(|p| p.us_on_ca_usd > 0.0).unwrap();
//! assert_eq!(first.date.to_string(), "2025-03-04");
//! assert!(first.ca_on_us_usd > 0.0);
//! let before: Vec<(String, f64, f64)> = report
//!     .burdens
//!     .iter()
//!     .filter(|p| p.date < first.date)
//!     .map(|p| (p.date.to_string(), p.us_on_ca_usd, p.ca_on_us_usd))
//!     .collect();
//! assert_eq!(before, [
//!     ("2025-01-01".to_string(), 0.0, 0.0),
//!     ("2025-02-04".to_string(), 0.0, 0.0), // EO 14193's first date, paused for 30 days
//! ]);
//! // US on Canada first; the US burden peaked the day the IEEPA duty began, before the USMCA
//! // exemption of 2025-03-07.
//! let us = &report.directions[0];
//! assert_eq!((us.importer, us.at_start_usd), (Country::US, 0.0));
//! assert_eq!(us.peak_date.to_string(), "2025-03-04");
//! ```

use crate::directions::{balance_segments, direction};
use crate::error::ensure;
use crate::weights::{
    ca_imports_from_cimt, ca_imports_from_us_grouped, ca_measure_items, us_imports_weighted,
    Elasticities, Grouping, ShareMode, WeightYear,
};
use crate::{App, Engine, Error, Result};
use quid_core::ledger::{Announcement, Category};
use quid_core::{Country, Date};
use quid_data::flows::read_bts_hs2_annual;
use quid_data::ledger::read_fx;
use quid_econ::balance::{burden_by_authority, compute, concessions, Balance, Direction};
use quid_econ::chart::{Chart, Marker, Series, YUnit, PALETTE};
use quid_econ::etr::{self, EtrInput, EtrSeries};
use quid_econ::Segments;
use quid_engine::{MeasureRecord, Policy};
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use std::path::PathBuf;

/// A balance question.
#[derive(Debug, Clone)]
pub struct BalanceRequest {
    /// Start of the period.
    pub since: Date,
    /// End of the period (default: the newest move known).
    pub until: Option<Date>,
    /// Answer with what was known on this date (default: the app's today).
    pub as_known_on: Option<Date>,
    /// A Statistics Canada CIMT extract to weight Canada's measures by tariff item.
    pub cimt: Option<PathBuf>,
    /// A scenario file: its package is drawn beside the baseline (to a year after its start).
    pub scenario: Option<PathBuf>,
    /// The date moves are classified against (default: the day before the first move).
    pub baseline: Option<Date>,
    /// Add the realized view: duties on the trade that crossed, reconciled with collections.
    pub realized: bool,
    /// USTR formula: import-demand elasticity.
    pub epsilon: f64,
    /// USTR formula: pass-through of tariffs to import prices.
    pub phi: f64,
}

impl BalanceRequest {
    /// The defaults of the command: since 2025-01-01, epsilon 4, phi 0.25 (as USTR published).
    pub fn new(since: Date) -> BalanceRequest {
        BalanceRequest {
            since,
            until: None,
            as_known_on: None,
            cimt: None,
            scenario: None,
            baseline: None,
            realized: false,
            epsilon: 4.0,
            phi: 0.25,
        }
    }
}

/// The burdens and indices on one date.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct BurdenPoint {
    #[schemars(with = "quid_core::schema::DateText")]
    pub date: Date,
    pub us_on_ca_usd: f64,
    pub ca_on_us_usd: f64,
    pub us_ttri_pct: f64,
    pub ca_ttri_pct: f64,
    pub us_otri_pct: f64,
    pub ca_otri_pct: f64,
}

/// The USTR 2025 reciprocal-tariff formula for one partner.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Ustr {
    pub partner: Country,
    pub us_exports_usd: f64,
    pub us_imports_usd: f64,
    pub epsilon: f64,
    pub phi: f64,
    pub formula_pct: f64,
    pub reciprocal_pct: f64,
}

/// One direction's headline figures.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DirectionSummary {
    pub importer: Country,
    pub partner: Country,
    pub at_start_usd: f64,
    pub peak_usd: f64,
    #[schemars(with = "quid_core::schema::DateText")]
    pub peak_date: Date,
    pub at_end_usd: f64,
    pub ttri_end_pct: f64,
    pub otri_end_pct: f64,
    /// The burden at the end by authority, largest first, USD per year (in JSON
    /// `{"authority": ..., "usd_per_year": ...}`).
    #[serde(serialize_with = "named_authorities")]
    #[schemars(with = "Vec<AuthorityValue>")]
    pub by_authority_end: Vec<(String, f64)>,
    /// The importer's moves valued over the period, summed, USD per year.
    pub moves_usd: f64,
    /// The day's changes no move carries (stacking between authorities, measures without a
    /// move), summed, USD per year: `moves_usd + interactions_usd = at_end_usd - at_start_usd`.
    pub interactions_usd: f64,
}

/// One sector's burden over time in one direction, USD per year.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SectorSeries {
    pub importer: Country,
    /// The sector's index in its direction's grouping.
    pub group: usize,
    pub sector: String,
    /// In JSON `{"date": ..., "usd_per_year": ...}`.
    #[serde(serialize_with = "named_points")]
    #[schemars(with = "Vec<DatedValue>")]
    pub points: Vec<(Date, f64)>,
}

/// An authority's burden, USD per year.
#[derive(Serialize, schemars::JsonSchema)]
pub struct AuthorityValue<'a> {
    pub authority: &'a str,
    pub usd_per_year: f64,
}

/// A burden on a date, USD per year.
#[derive(Serialize, schemars::JsonSchema)]
pub struct DatedValue {
    #[schemars(with = "quid_core::schema::DateText")]
    pub date: Date,
    pub usd_per_year: f64,
}

/// The two burdens under the baseline and under a scenario on a date, USD per year.
#[derive(Serialize, schemars::JsonSchema)]
pub struct OverlayNamed {
    #[schemars(with = "quid_core::schema::DateText")]
    pub date: Date,
    pub us_on_ca_baseline_usd: f64,
    pub ca_on_us_baseline_usd: f64,
    pub us_on_ca_scenario_usd: f64,
    pub ca_on_us_scenario_usd: f64,
}

fn named_authorities<S: serde::Serializer>(
    v: &[(String, f64)],
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    type Named<'a> = AuthorityValue<'a>;
    s.collect_seq(v.iter().map(|(a, x)| Named {
        authority: a,
        usd_per_year: *x,
    }))
}

fn named_points<S: serde::Serializer>(
    v: &[(Date, f64)],
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    type Named = DatedValue;
    s.collect_seq(v.iter().map(|(d, x)| Named {
        date: *d,
        usd_per_year: *x,
    }))
}

/// A party's liberalising moves of one category (`concessions_by_ca`, `concessions_by_us`).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Concessions {
    pub category: Category,
    /// The change in the other's annual duty, USD per year (tariff moves; 0 for the others,
    /// whose declared values are in `balance.moves`).
    pub value_usd_per_year: f64,
    pub moves: usize,
}

fn named_concessions<S: serde::Serializer>(
    v: &[(Category, f64, usize)],
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().map(|(c, x, n)| Concessions {
        category: *c,
        value_usd_per_year: *x,
        moves: *n,
    }))
}

fn named_overlay<S: serde::Serializer>(
    v: &[OverlayPoint],
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().map(|p| OverlayNamed {
        date: p.0,
        us_on_ca_baseline_usd: p.1,
        ca_on_us_baseline_usd: p.2,
        us_on_ca_scenario_usd: p.3,
        ca_on_us_scenario_usd: p.4,
    }))
}

/// The balance report.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct BalanceReport {
    pub balance: Balance,
    pub burdens: Vec<BurdenPoint>,
    /// Canada's liberalising moves by category (named objects in JSON: [`Concessions`]).
    #[serde(serialize_with = "named_concessions")]
    #[schemars(with = "Vec<Concessions>")]
    pub concessions_by_ca: Vec<(Category, f64, usize)>,
    #[serde(serialize_with = "named_concessions")]
    #[schemars(with = "Vec<Concessions>")]
    pub concessions_by_us: Vec<(Category, f64, usize)>,
    pub ustr: Vec<Ustr>,
    pub cad_per_usd: f64,
    pub fx_source: String,
    pub notes: Vec<String>,
    /// How the period's end was chosen (the as-known-on date unless `--until` was given).
    pub period_end: String,
    /// US on Canada, then Canada on the US.
    pub directions: Vec<DirectionSummary>,
    /// Every sector of both directions, in sector order, US on Canada first.
    pub sectors: Vec<SectorSeries>,
    /// The burdens with a scenario's package applied, beside the baseline's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<ScenarioOverlay>,
    /// Every move classified against the baseline date: escalation, de-escalation, concession;
    /// each side's net escalation and its concessions beyond the baseline.
    pub accounting: quid_econ::accounting::Accounting,
    /// The realized view (with `realized`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<quid_core::schema::AnyObject>")]
    pub realized: Option<crate::realized::RealizedReport>,
}

/// The two burdens under the baseline and under a scenario, from the balance's start to a year
/// after the scenario's, USD per year.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ScenarioOverlay {
    pub name: String,
    #[schemars(with = "quid_core::schema::DateText")]
    pub start: Date,
    #[schemars(with = "String")]
    pub file: PathBuf,
    /// (date, US on Canada baseline, Canada on the US baseline, US on Canada with the package,
    /// Canada on the US with the package); named fields in JSON.
    #[serde(serialize_with = "named_overlay")]
    #[schemars(with = "Vec<OverlayNamed>")]
    pub burdens: Vec<OverlayPoint>,
}

/// (date, US on Canada baseline, Canada on the US baseline, US on Canada with the package,
/// Canada on the US with the package), USD per year.
pub type OverlayPoint = (Date, f64, f64, f64, f64);

fn referenced(entries: &[&Announcement], rec: &MeasureRecord) -> bool {
    entries.iter().any(|a| {
        a.interventions
            .iter()
            .any(|v| v.measures.iter().any(|m| rec.is_named_by(m)))
    })
}

/// The policy as known on `known_on`: measures that no entry known then mentions are dropped.
pub fn policy_as_known_on(
    policy: &Policy,
    all: &[&Announcement],
    view: &[&Announcement],
    known_on: Date,
) -> Policy {
    policy.as_known_on(known_on, &|rec| {
        !referenced(all, rec) || referenced(view, rec)
    })
}

/// The engine's policy as the ledger (bundled and workspace entries) knew it on `on`: what
/// `rates --as-known-on` and `etr --as-known-on` compute with, as the balance does.
pub fn known_policy(app: &App, engine: &Engine, on: Date) -> Result<Policy> {
    let (ledger, _) = app.ledger()?;
    let view: Vec<&Announcement> = ledger.as_known_on(on);
    ensure(!view.is_empty(), "--as-known-on", || {
        format!("nothing in the ledger was recorded by {on}")
    })?;
    let all: Vec<&Announcement> = ledger.announcements.iter().collect();
    Ok(policy_as_known_on(&engine.policy, &all, &view, on))
}

/// The end of a period not given: the as-known-on date itself (see the module's comment).
pub fn default_until(known_on: Date) -> Date {
    known_on
}

/// One direction: its panel's ETR series and the elasticity-weighted (OTRI-style) series.
struct Side {
    dir: Direction,
    otri: EtrSeries,
    input: EtrInput,
    /// The direction's panel (the realized view reuses it).
    panel: quid_econ::Panel,
}

impl Side {
    fn new(
        engine: &Engine,
        policy: &Policy,
        importer: Country,
        partner: Country,
        input: EtrInput,
        eps: &[f64],
        segments: &Segments,
    ) -> Side {
        let (dir, panel) = direction(
            policy,
            &engine.reference,
            importer,
            partner,
            &input,
            segments,
        );
        let mut weighted = input.clone();
        for (l, e) in weighted.lines.iter_mut().zip(eps) {
            l.weight *= e;
        }
        weighted.total_weight = weighted.lines.iter().map(|l| l.weight).sum();
        let otri = etr::compute(&panel, &weighted);
        Side {
            dir,
            otri,
            input,
            panel,
        }
    }

    /// The base-year imports of one sector group (USD).
    fn group_weight(&self, g: usize) -> f64 {
        self.input
            .lines
            .iter()
            .filter(|l| l.group as usize == g)
            .map(|l| l.weight)
            .sum()
    }

    fn summary(
        &self,
        burdens: &[BurdenPoint],
        balance: &Balance,
        since: Date,
        until: Date,
    ) -> DirectionSummary {
        let (moves_usd, interactions_usd, _) = balance.change_check(&self.dir);
        let (peak_date, peak_usd) = burdens
            .iter()
            .map(|p| (p.date, self.dir.burden(p.date)))
            .max_by(|x, y| x.1.total_cmp(&y.1))
            .unwrap_or((since, 0.0));
        let k = self.dir.series.segments.len() - 1;
        DirectionSummary {
            importer: self.dir.importer,
            partner: self.dir.partner,
            at_start_usd: self.dir.burden(since),
            peak_usd,
            peak_date,
            at_end_usd: self.dir.burden(until),
            ttri_end_pct: self.dir.series.total[k] * 100.0,
            otri_end_pct: self.otri.total[k] * 100.0,
            by_authority_end: burden_by_authority(&self.dir, until)
                .into_iter()
                .map(|(a, v)| (a.to_string(), v))
                .collect(),
            moves_usd,
            interactions_usd,
        }
    }

    fn sectors(&self) -> Vec<SectorSeries> {
        self.input
            .groups
            .iter()
            .enumerate()
            .map(|(g, name)| {
                let gw = self.group_weight(g);
                SectorSeries {
                    importer: self.dir.importer,
                    group: g,
                    sector: name.clone(),
                    points: self
                        .dir
                        .series
                        .segments
                        .starts
                        .iter()
                        .enumerate()
                        .map(|(k, d)| {
                            (
                                *d,
                                self.dir.series.by_group[k].get(g).copied().unwrap_or(0.0) * gw,
                            )
                        })
                        .collect(),
                }
            })
            .collect()
    }
}

/// Computes the balance.
pub fn run(app: &App, engine: &Engine, req: &BalanceRequest) -> Result<BalanceReport> {
    let known_on = req.as_known_on.unwrap_or(app.today);
    let bundle = &app.bundle;
    let policy = &engine.policy;
    let (ledger, own) = app.ledger()?;
    let checker = quid_data::ledger::measure_checker(bundle, policy)?;
    let problems = ledger.check(&checker);
    if !problems.is_empty() {
        return Err(Error::Check(format!(
            "the ledger has {} problem(s); run `quid ledger check`:\n{}",
            problems.len(),
            problems
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )));
    }
    let view: Vec<&Announcement> = ledger.as_known_on(known_on);
    ensure(!view.is_empty(), "--as-known-on", || {
        format!("nothing in the ledger was recorded by {known_on}")
    })?;
    let all: Vec<&Announcement> = ledger.announcements.iter().collect();
    let policy_k = policy_as_known_on(policy, &all, &view, known_on);
    let until = req.until.unwrap_or_else(|| default_until(known_on));
    let period_end = match req.until {
        Some(u) => format!("the period ends on {u}, as asked (--until)"),
        None => format!(
            "the period ends on the as-known-on date, {known_on}: the state of what was known that day (--until to end it elsewhere)"
        ),
    };
    let since = req.since;
    ensure(since <= until, "--since", || {
        format!("{since} is after the end of the period {until}")
    })?;
    let segments = balance_segments(&policy_k, &engine.reference, &view, since, until);
    let Inputs {
        us: us_input,
        ca: ca_input,
        ca_note,
        eps,
        cad_per_usd: cad,
        fx_rate,
        fx_source,
    } = inputs(app, engine, req.cimt.as_deref())?;
    let median = eps.median;
    let eps_us = eps.of(&us_input.lines.iter().map(|l| l.hs).collect::<Vec<_>>());
    let eps_ca = eps.of(&ca_input.lines.iter().map(|l| l.hs).collect::<Vec<_>>());
    // The two directions side by side (each panel is parallel too; the series after it are not).
    let (us, ca) = rayon::join(
        || {
            Side::new(
                engine,
                &policy_k,
                Country::US,
                Country::CA,
                us_input,
                &eps_us,
                &segments,
            )
        },
        || {
            Side::new(
                engine,
                &policy_k,
                Country::CA,
                Country::US,
                ca_input,
                &eps_ca,
                &segments,
            )
        },
    );
    let authorities_of = |m: &str| policy.authorities_named_by(m);
    let balance = compute(
        &view,
        &[us.dir.clone(), ca.dir.clone()],
        &authorities_of,
        since,
        until,
        known_on,
    );
    let ustr = ustr(app, req)?;
    let burdens: Vec<BurdenPoint> = segments
        .starts
        .iter()
        .enumerate()
        .map(|(k, d)| BurdenPoint {
            date: *d,
            us_on_ca_usd: us.dir.burden(*d),
            ca_on_us_usd: ca.dir.burden(*d),
            us_ttri_pct: us.dir.series.total[k] * 100.0,
            ca_ttri_pct: ca.dir.series.total[k] * 100.0,
            us_otri_pct: us.otri.total[k] * 100.0,
            ca_otri_pct: ca.otri.total[k] * 100.0,
        })
        .collect();
    let notes = vec![
        "US imports from Canada: 2024 Census imports for consumption by HS10, 2025 USMCA claim shares".to_string(),
        ca_note,
        format!("burdens: additional duties (above the base rate) on a year of the other's goods at 2024 trade, USD; CAD at {} per USD ({})", fx_rate, fx_source),
        format!("OTRI-style index: weights times US import-demand elasticities (Hauk 2012, HS6; median {median:.2} where missing; no Canadian estimates are bundled, so Canada's index uses the same elasticities)"),
        format!("ledger: {} bundled and workspace entries ({} from the workspace); {} known on {known_on}", ledger.announcements.len(), own, view.len()),
    ];
    let directions = vec![
        us.summary(&burdens, &balance, since, until),
        ca.summary(&burdens, &balance, since, until),
    ];
    let scenario = match &req.scenario {
        None => None,
        Some(path) => Some(overlay(
            engine, path, &policy_k, &all, &view, known_on, since, until, &us.input, &ca.input,
        )?),
    };
    let mut sectors = us.sectors();
    sectors.extend(ca.sectors());
    let accounting =
        quid_econ::accounting::account(&balance, [Country::CA, Country::US], req.baseline);
    let realized = if req.realized {
        Some(realized_view(
            app,
            engine,
            &policy_k,
            since,
            until,
            &us.input,
            &ca.input,
            req.cimt.as_deref(),
            &crate::realized::Reuse {
                us_on_ca: Some(&us.panel),
                ca_on_us: Some(&ca.panel),
            },
        )?)
    } else {
        None
    };
    Ok(BalanceReport {
        realized,
        accounting,
        concessions_by_ca: concessions(&balance, Country::CA),
        concessions_by_us: concessions(&balance, Country::US),
        balance,
        burdens,
        ustr,
        cad_per_usd: cad,
        fx_source,
        notes,
        period_end,
        directions,
        sectors,
        scenario,
    })
}

/// The realized view on the balance's weights: Canada's period trade from the 2025 HS2 totals,
/// or the CIMT file's months (converted to USD at each month's rate).
#[allow(clippy::too_many_arguments)]
pub fn realized_view(
    app: &App,
    engine: &Engine,
    policy: &Policy,
    since: Date,
    until: Date,
    us_on_ca: &EtrInput,
    ca_on_us: &EtrInput,
    cimt: Option<&std::path::Path>,
    reuse: &crate::realized::Reuse<'_>,
) -> Result<crate::realized::RealizedReport> {
    let loaded = realized_load(app, policy, since, until, us_on_ca, ca_on_us, cimt)?;
    crate::realized::compute(engine, policy, &loaded, reuse)
}

/// The realized view's data for the balance's period and weights (see [`realized_view`]).
#[allow(clippy::too_many_arguments)]
pub fn realized_load(
    app: &App,
    policy: &Policy,
    since: Date,
    until: Date,
    us_on_ca: &EtrInput,
    ca_on_us: &EtrInput,
    cimt: Option<&std::path::Path>,
) -> Result<crate::realized::Loaded> {
    use quid_econ::realized::Month;
    let (ca_period, ca_monthly) = match cimt {
        None => (Some(rescale_to_year(app, ca_on_us, 2024, 2025)?), None),
        Some(path) => {
            let fx = read_fx(&app.bundle.fx())?;
            let mut out = std::collections::BTreeMap::new();
            for ((y, m), items) in crate::weights::cimt_by_month(path)? {
                let Some(month) = Month::new(y as i16, m as i8) else {
                    continue;
                };
                let rate = crate::realized::fx_for(&fx, month).ok_or_else(|| {
                    Error::NotFound(format!(
                        "no CAD rate for {month}, an earlier month or {y} in data/fx/usd_cad.csv to convert the CIMT values"
                    ))
                })?;
                out.insert(
                    month,
                    items.into_iter().map(|(h, v)| (h, v / rate)).collect(),
                );
            }
            (None, Some(out))
        }
    };
    let ctx = crate::realized::Context {
        policy,
        since,
        until,
        us_on_ca,
        ca_on_us,
        ca_period: ca_period.as_ref(),
        ca_monthly,
    };
    crate::realized::load(app, &ctx)
}

/// Canada's imports from the US in `to`, from the balance's weights for `from`: each line
/// scaled by its chapter's change in the BTS HS2 totals (US exports to Canada), the HS6 mix
/// within a chapter kept (the same stand-in as the balance's). A chapter with no trade in
/// `to` drops out; the total is the `to` year's.
fn rescale_to_year(app: &App, input: &EtrInput, from: i32, to: i32) -> Result<EtrInput> {
    let hs2 = read_bts_hs2_annual(&app.bundle.bts_hs2_annual())?;
    let value = |year: i32, ch: u8| -> f64 {
        hs2.iter()
            .find(|r| r.year == year && r.hs2 == ch)
            .and_then(|r| r.exports_to(Country::CA))
            .and_then(|v| v.to_f64())
            .unwrap_or(0.0)
    };
    let mut out = input.clone();
    for l in out.lines.iter_mut() {
        let ch = l.hs.chapter();
        let (a, b) = (value(from, ch), value(to, ch));
        l.weight = if a > 0.0 { l.weight * b / a } else { 0.0 };
    }
    out.lines.retain(|l| l.weight > 0.0);
    out.total_weight = hs2
        .iter()
        .filter(|r| r.year == to)
        .filter_map(|r| r.exports_to(Country::CA).and_then(|v| v.to_f64()))
        .sum();
    Ok(out)
}

/// What the balance and the scenarios value moves on: a year of each side's imports from the
/// other (2024), the elasticities, and the exchange rate.
pub struct Inputs {
    /// US imports from Canada by HS10 (2024 Census imports for consumption), 2025 USMCA claim
    /// shares, balance sectors.
    pub us: EtrInput,
    /// Canadian imports from the US (HS2 stand-in, or a CIMT file), in USD.
    pub ca: EtrInput,
    pub ca_note: String,
    pub eps: Elasticities,
    pub cad_per_usd: f64,
    /// The rate as the file gives it, and its source.
    pub fx_rate: rust_decimal::Decimal,
    pub fx_source: String,
}

/// Reads the inputs (the two directions' weights and the elasticities on two threads).
pub fn inputs(app: &App, engine: &Engine, cimt: Option<&std::path::Path>) -> Result<Inputs> {
    let bundle = &app.bundle;
    let policy = &engine.policy;
    let (us_input, rest) = std::thread::scope(|scope| {
        let other = scope.spawn(|| -> Result<_> {
            // With a CIMT file, Canada's weights are read from it below instead.
            let ca = match cimt {
                Some(_) => None,
                None => Some(ca_imports_from_us_grouped(
                    bundle,
                    &ca_measure_items(policy),
                    2024,
                    Grouping::Balance,
                )?),
            };
            Ok((ca, Elasticities::load(bundle)?))
        });
        let us = us_imports_weighted(
            bundle,
            Country::CA,
            Grouping::Balance,
            ShareMode::Annual2025,
            WeightYear::Y2024,
        );
        let rest = other
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (us, rest)
    });
    let (us_input, (ca_bundled, eps)) = (us_input?, rest?);
    let fx = read_fx(&bundle.fx())?;
    let fx_2024 = fx
        .rates
        .iter()
        .find(|r| r.period == "2024")
        .ok_or_else(|| Error::NotFound("no 2024 annual rate in data/fx/usd_cad.csv".into()))?;
    let cad = fx_2024.cad_per_usd.to_f64().unwrap_or(1.0);
    let (ca, ca_note) = match (cimt, ca_bundled) {
        (Some(p), _) => {
            let mut inp = ca_imports_from_cimt(p, 2024)?;
            // CIMT values are CAD: convert the weights to USD at the 2024 average.
            for l in inp.lines.iter_mut() {
                l.weight /= cad;
            }
            inp.total_weight /= cad;
            (inp, format!("Canadian imports from the US: {} (CIMT, 2024, tariff-item level)", p.display()))
        }
        (None, Some(inp)) => (
            inp,
            "Canadian imports from the US: HS2 totals only (BTS 2024, US exports to Canada); within a chapter the HS6 mix of US imports from Canada stands in, listed items share their HS6 equally; load a Statistics Canada CIMT file with --cimt for item-level weights".to_string(),
        ),
        (None, None) => return Err(Error::Check("Canadian weights not read".into())),
    };
    Ok(Inputs {
        us: us_input,
        ca,
        ca_note,
        eps,
        cad_per_usd: cad,
        fx_rate: fx_2024.cad_per_usd,
        fx_source: fx_2024.source.to_string(),
    })
}

impl BalanceReport {
    /// Every move as a row (the CSV form of the report): values in US$ and C$ billions a year.
    pub fn moves_table(&self) -> crate::table::Table {
        use crate::table::{serde_name, Cell, Kind};
        let (b, cad) = (&self.balance, self.cad_per_usd);
        let bn = |x: f64| Cell::num(x / 1e9, 2);
        let mut t = crate::table::Table::typed([
            ("date", Kind::Date),
            ("party", Kind::Text),
            ("kind", Kind::Enum),
            ("category", Kind::Enum),
            ("evaluation", Kind::Enum),
            ("status", Kind::Enum),
            ("move", Kind::Text),
            ("measures", Kind::Text),
            ("value_usd_bn_per_year", Kind::Number),
            ("value_cad_bn_per_year", Kind::Number),
            ("refundable_usd_bn", Kind::Number),
            ("declared_currency", Kind::Text),
            ("declared_amount", Kind::Text),
            ("declared_basis", Kind::Text),
            ("note", Kind::Text),
            ("source", Kind::Text),
        ]);
        for m in &b.moves {
            t.push_cells([
                Cell::from(m.date),
                m.party.to_string().into(),
                serde_name(&m.kind).into(),
                serde_name(&m.category).into(),
                serde_name(&m.evaluation).into(),
                serde_name(&m.status).into(),
                m.title.clone().into(),
                m.measures.join(" ").into(),
                m.value_usd_per_year.map_or(Cell::Null, bn),
                m.value_usd_per_year.map_or(Cell::Null, |v| bn(v * cad)),
                m.refundable_usd.map_or(Cell::Null, bn),
                Cell::from(m.declared.as_ref().map(|d| d.currency.to_string())),
                Cell::from(m.declared.as_ref().map(|d| d.amount.to_string())),
                Cell::from(m.declared.as_ref().map(|d| d.basis.to_string())),
                Cell::from(m.note.clone()),
                Cell::from(m.sources.first().and_then(|s| s.url.clone())),
            ]);
        }
        t
    }
}

/// The burdens with a scenario's package beside the baseline's.
#[allow(clippy::too_many_arguments)]
fn overlay(
    engine: &Engine,
    path: &std::path::Path,
    policy_k: &Policy,
    all: &[&Announcement],
    view: &[&Announcement],
    known_on: Date,
    since: Date,
    until: Date,
    us: &EtrInput,
    ca: &EtrInput,
) -> Result<ScenarioOverlay> {
    let text = quid_data::bounded::read_text(path)?;
    let sc = crate::scenario::Scenario::parse(&text, path)?;
    let reformed = policy_as_known_on(&sc.policy(engine, Some(&text))?, all, view, known_on);
    let end = until.max(
        sc.start
            .checked_add(jiff::Span::new().days(365))
            .unwrap_or(sc.start),
    );
    let mut segs = balance_segments(policy_k, &engine.reference, view, since, end);
    let more = balance_segments(&reformed, &engine.reference, view, since, end);
    let mut cuts = segs.starts.clone();
    cuts.extend(more.starts);
    cuts.push(sc.start);
    segs = Segments::new(since, end, cuts);
    let dir = |p: &Policy, importer, partner, input: &EtrInput| {
        direction(p, &engine.reference, importer, partner, input, &segs).0
    };
    let (ub, cb) = (
        dir(policy_k, Country::US, Country::CA, us),
        dir(policy_k, Country::CA, Country::US, ca),
    );
    let (us_s, cs) = (
        dir(&reformed, Country::US, Country::CA, us),
        dir(&reformed, Country::CA, Country::US, ca),
    );
    Ok(ScenarioOverlay {
        name: sc.name,
        start: sc.start,
        file: path.to_path_buf(),
        burdens: segs
            .starts
            .iter()
            .map(|d| {
                (
                    *d,
                    ub.burden(*d),
                    cb.burden(*d),
                    us_s.burden(*d),
                    cs.burden(*d),
                )
            })
            .collect(),
    })
}

/// The USTR reciprocal formula on 2024 BTS flows, for Canada and Mexico.
fn ustr(app: &App, req: &BalanceRequest) -> Result<Vec<Ustr>> {
    let bts = read_bts_hs2_annual(&app.bundle.bts_hs2_annual())?;
    let flows = |c: Country| -> (f64, f64) {
        bts.iter()
            .filter(|r| r.year == 2024)
            .fold((0.0, 0.0), |(x, m), r| {
                (
                    x + r.exports_to(c).and_then(|v| v.to_f64()).unwrap_or(0.0),
                    m + r.imports_from(c).and_then(|v| v.to_f64()).unwrap_or(0.0),
                )
            })
    };
    Ok([Country::CA, Country::MX]
        .into_iter()
        .map(|c| {
            let (x, m) = flows(c);
            let f = (m - x) / (req.epsilon * req.phi * m) * 100.0;
            Ustr {
                partner: c,
                us_exports_usd: x,
                us_imports_usd: m,
                epsilon: req.epsilon,
                phi: req.phi,
                formula_pct: f,
                reciprocal_pct: (f / 2.0).max(10.0),
            }
        })
        .collect())
}

/// Saves a balance question (its arguments, as JSON) under a name in the workspace database.
pub fn save(app: &App, name: &str, args: &serde_json::Value) -> Result<()> {
    let mut ws = app.create_workspace()?;
    ws.save_analysis(name, &app.today.to_string(), &args.to_string())?;
    Ok(())
}

/// The two charts over the balance's period: the burdens over time with the moves marked, and
/// the sector view (one small panel per sector, both directions in each, the same policy dates).
///
/// Markers: one per date on which a side's moves are worth US$ 1 bn a year or more, or carry a
/// declared value; titled by the moves' ledger titles with their values.
pub fn charts(r: &BalanceReport) -> (Chart, Chart) {
    let b = &r.balance;
    let pts = |f: &dyn Fn(&BurdenPoint) -> f64| {
        r.burdens
            .iter()
            .map(|p| (p.date, f(p) / 1e9))
            .collect::<Vec<_>>()
    };
    let series = vec![
        Series::new(
            "US duties on Canadian goods",
            PALETTE[1],
            pts(&|p| p.us_on_ca_usd),
        ),
        Series::new(
            "Canadian duties on US goods",
            PALETTE[0],
            pts(&|p| p.ca_on_us_usd),
        ),
    ];
    let markers = move_markers(b);
    let mut series = series;
    let mut end = b.until;
    let mut subtitle = format!(
        "Additional duties each side charges on the other's goods, valued on 2024 trade, {} to {}, as known on {}. Numbered: dates on which a side's moves are worth US$ 1 bn a year or more, or declared concessions.",
        b.since, b.until, b.as_known_on
    );
    let mut markers = markers;
    if let Some(o) = &r.scenario {
        // The baseline's lines run to the same end as the scenario's, and the package is dashed.
        let pick = |f: &dyn Fn(&OverlayPoint) -> f64| {
            o.burdens
                .iter()
                .map(|p| (p.0, f(p) / 1e9))
                .collect::<Vec<_>>()
        };
        series[0].points = pick(&|p| p.1);
        series[1].points = pick(&|p| p.2);
        series.push(
            Series::new(
                format!("US duties on Canadian goods with the package: {}", o.name),
                PALETTE[1],
                pick(&|p| p.3),
            )
            .dashed(),
        );
        series.push(
            Series::new(
                "Canadian duties on US goods with the package",
                PALETTE[0],
                pick(&|p| p.4),
            )
            .dashed(),
        );
        markers.push(Marker {
            date: o.start,
            label: format!("Package starts: {}", o.name),
        });
        end = o.burdens.last().map_or(end, |p| p.0);
        subtitle.push_str(&format!(
            " Dashed: with the package of {} from {}.",
            o.file.display(),
            o.start
        ));
    }
    let main = Chart {
        title: "Canada-US reciprocity: annual duties each side charges the other's goods".into(),
        subtitle,
        series,
        markers: markers.clone(),
        dots: Vec::new(),
        start: b.since,
        end,
        unit: YUnit::Amount(" bn"),
        y_label: "US$ bn per year".into(),
        notes: Vec::new(),
    };
    // Every sector of both directions, one panel per sector name.
    let lines: Vec<Series> = r
        .sectors
        .iter()
        .map(|s| {
            let points: Vec<(Date, f64)> = s.points.iter().map(|(d, v)| (*d, v / 1e9)).collect();
            if s.importer == Country::US {
                Series::new("US duties on Canadian goods", PALETTE[1], points)
                    .in_panel(s.sector.clone())
            } else {
                Series::new("Canadian duties on US goods", PALETTE[0], points)
                    .dashed()
                    .in_panel(s.sector.clone())
            }
        })
        .collect();
    let sectors = Chart {
        title: "Reciprocity by sector: annual additional duties on the other's goods".into(),
        subtitle: format!(
            "Additional duties each side charges on the other's goods, by sector, valued on 2024 trade, {} to {}, as known on {}. Numbered: the policy dates of the balance chart.",
            b.since, b.until, b.as_known_on
        ),
        series: lines,
        markers,
        dots: Vec::new(),
        start: b.since,
        end: b.until,
        unit: YUnit::Amount(" bn"),
        y_label: "US$ bn per year".into(),
        notes: Vec::new(),
    };
    (main, sectors)
}

/// One marker per date with a side's moves worth US$ 1 bn a year or more, or a declared
/// concession: the moves' titles with their values.
fn move_markers(b: &Balance) -> Vec<Marker> {
    let mut by_date: std::collections::BTreeMap<Date, Vec<&quid_econ::balance::MoveValue>> =
        std::collections::BTreeMap::new();
    for m in &b.moves {
        if let Some(d) = m.date {
            by_date.entry(d).or_default().push(m);
        }
    }
    let mut out = Vec::new();
    for (d, moves) in by_date {
        let mut sums: Vec<(Country, f64)> = Vec::new();
        for m in &moves {
            let v = m.value_usd_per_year.unwrap_or(0.0);
            match sums.iter_mut().find(|(p, _)| *p == m.party) {
                Some((_, x)) => *x += v,
                None => sums.push((m.party, v)),
            }
        }
        let big = sums.iter().any(|(_, x)| x.abs() >= 1e9);
        let titles: Vec<String> = moves
            .iter()
            .filter_map(|m| {
                if let Some(v) = &m.declared {
                    let cur = match v.currency {
                        quid_core::money::Currency::CAD => "C$",
                        quid_core::money::Currency::USD => "US$",
                        quid_core::money::Currency::MXN => "MX$",
                    };
                    Some(format!(
                        "{} ({cur}{:.1} bn declared)",
                        m.title,
                        v.billions()
                    ))
                } else {
                    match m.value_usd_per_year {
                        Some(v) if big && v.abs() >= 1e8 => Some(format!(
                            "{} ({}US$ {:.1} bn a year)",
                            m.title,
                            if v >= 0.0 { "+" } else { "\u{2212}" },
                            v.abs() / 1e9
                        )),
                        _ => None,
                    }
                }
            })
            .collect();
        if !titles.is_empty() {
            out.push(Marker {
                date: d,
                label: titles.join("; "),
            });
        }
    }
    out
}
