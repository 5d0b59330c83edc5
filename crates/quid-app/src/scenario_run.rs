//! Running a scenario: its policy against the baseline's, valued three ways.
//!
//! - **Static**: the additional duty each side charges on a year of the other's goods (2024
//!   trade, 2025 USMCA claim shares) on the scenario's start date, under the baseline and under
//!   the scenario, per authority and per sector, through the same panels as the balance; and the
//!   change in the reciprocity balance (US burden on Canada less Canada's on the US).
//! - **Partial equilibrium** ([`quid_econ::pe`]) line by line in each importing market: US
//!   imports at HS10 from Canada, Mexico and the rest of the world (2024 Census values; the rest
//!   of the world keeps its MFN rate, unchanged by a Canada-US-Mexico scenario); Canada's imports
//!   from the US at the balance's stand-in lines, with the US as the only source the bundle
//!   knows (no diversion can be shown there). Trade creation, diversion, tariff revenue,
//!   consumer surplus, exporters' revenue and market access given and received (volume changes
//!   at baseline prices), per party and sector.
//! - **Uncertainty**: Monte Carlo over the elasticities (import demand drawn from Hauk's
//!   estimate and standard error, truncated to [0.1, 20]; substitution drawn uniformly within
//!   ±50% of its point value, at least 1.01, as no standard errors are published with the
//!   Broda-Weinstein tables): the median and 90% band of every headline figure, reproducible
//!   with a seed.
//!
//! The bundled scenario that takes both sides back to 2024 removes every additional duty either
//! charges on the other's goods, so the scenario's burdens are zero:
//!
//! ```
//! use quid_app::scenario_run::{run, ScenarioRequest};
//! use quid_app::{App, EngineOptions};
//! use quid_core::{parse_date, Country};
//!
//! let data = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
//! let app = App::new(Some(data), parse_date("2026-12-06").unwrap()).unwrap();
//! let engine = app.engine(&EngineOptions::default()).unwrap();
//! let req = ScenarioRequest {
//!     file: app.bundle.path("scenarios/back_to_2024.toml"),
//!     draws: 0, // no Monte Carlo
//!     seed: 1,
//!     supply: None,
//! };
//! let report = run(&app, &engine, &req).unwrap();
//! // Valued on the scenario's start.
//! assert_eq!(report.date.to_string(), "2027-01-01");
//! let dirs: Vec<(Country, f64)> =
//!     report.directions.iter().map(|d| (d.importer, d.burden_usd.scenario)).collect();
//! assert_eq!(dirs, [(Country::US, 0.0), (Country::CA, 0.0)]);
//! assert_eq!(report.net_burden_usd.scenario, 0.0);
//! // The change is the baseline's burden, removed.
//! let us = &report.directions[0].burden_usd;
//! assert_eq!(us.change(), -us.baseline);
//! ```

use crate::balance::{inputs, Inputs};
use crate::scenario::Scenario;
use crate::weights::{balance_sector, SigmaSource, Substitution, BALANCE_SECTORS};
use crate::{App, Engine, Result};
use quid_core::{Country, Date, HsCode};
use quid_econ::chart::{Chart, Series, YUnit, PALETTE};
use quid_econ::montecarlo::{bands, Band, Rng};
use quid_econ::pe::{self, Elasticities as PeElasticities, Source};
use quid_econ::{authority_name, EtrInput, Panel, Segments, AUTHORITY_COUNT};
use quid_engine::Policy;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::path::PathBuf;

/// The largest substitution elasticity used: Broda-Weinstein's HTS10 estimates run into the
/// hundreds, which in a one-market Armington model moves whole markets on a few points of tariff;
/// estimates above it are capped (the report counts them). Ten is the upper end of the
/// source-substitution elasticities of applied PE and CGE work (GTAP's Armington import
/// elasticities are about 2 to 10 across sectors).
pub const SIGMA_CAP: f64 = 10.0;

/// A scenario run: the file, and the Monte Carlo's size and seed.
#[derive(Debug, Clone)]
pub struct ScenarioRequest {
    pub file: PathBuf,
    /// Monte Carlo draws (0 for none).
    pub draws: usize,
    pub seed: u64,
    /// An export supply elasticity for every source (`None`: world prices fixed).
    pub supply: Option<f64>,
}

/// Baseline and scenario values of one figure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Pair {
    pub baseline: f64,
    pub scenario: f64,
}

impl Pair {
    pub fn change(&self) -> f64 {
        self.scenario - self.baseline
    }
}

/// The static view of one direction.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct StaticDirection {
    pub importer: Country,
    pub partner: Country,
    /// Annual additional duty on a year of the partner's goods, USD.
    pub burden_usd: Pair,
    /// `[{"name": authority, "baseline": ..., "scenario": ...}]` in JSON.
    #[serde(serialize_with = "crate::contract::named")]
    #[schemars(with = "Vec<crate::contract::Named<Pair>>")]
    pub by_authority: Vec<(String, Pair)>,
    #[serde(serialize_with = "crate::contract::named")]
    #[schemars(with = "Vec<crate::contract::Named<Pair>>")]
    pub by_sector: Vec<(String, Pair)>,
}

/// One party's (exporter's) effects in a market, USD per year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PartyEffects {
    /// Volume change at baseline prices: market access received by the exporter.
    pub market_access: f64,
    pub creation: f64,
    pub diversion: f64,
    pub export_revenue: f64,
}

impl PartyEffects {
    fn add(&mut self, e: &pe::SourceEffect) {
        self.market_access += e.volume_change;
        self.creation += e.creation;
        self.diversion += e.diversion;
        self.export_revenue += e.revenue_change;
    }
}

/// How many lines took their substitution elasticity from a source.
#[derive(Serialize, schemars::JsonSchema)]
pub struct SigmaCount<'a> {
    pub source: &'a SigmaSource,
    pub lines: usize,
}

fn sigma_named<S: serde::Serializer>(
    v: &[(SigmaSource, usize)],
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().map(|(source, lines)| SigmaCount {
        source,
        lines: *lines,
    }))
}

/// One importing market's effects.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct MarketEffects {
    pub importer: Country,
    /// Exporters: the partners, and "ROW" for the rest of the world.
    #[serde(serialize_with = "crate::contract::named")]
    #[schemars(with = "Vec<crate::contract::Named<PartyEffects>>")]
    pub by_exporter: Vec<(String, PartyEffects)>,
    /// By balance sector, the effects on the scenario's partner(s) summed.
    #[serde(serialize_with = "crate::contract::named")]
    #[schemars(with = "Vec<crate::contract::Named<PartyEffects>>")]
    pub by_sector: Vec<(String, PartyEffects)>,
    pub tariff_revenue: f64,
    pub consumer_surplus: f64,
    pub lines: usize,
    /// How many lines have their own import-demand estimate (the others take the median).
    pub demand_estimates: usize,
    /// How many lines took their substitution elasticity from each source.
    #[serde(serialize_with = "sigma_named")]
    #[schemars(with = "Vec<SigmaCount>")]
    pub sigma_sources: Vec<(SigmaSource, usize)>,
}

/// A headline figure with its Monte Carlo band.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Headline {
    pub figure: String,
    /// At the elasticities' point values.
    pub point: f64,
    pub band: Option<Band>,
}

/// What a scenario run reports.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ScenarioReport {
    pub scenario: Scenario,
    #[schemars(with = "quid_core::schema::DateText")]
    pub date: Date,
    pub directions: Vec<StaticDirection>,
    /// US burden on Canada less Canada's on the US, USD per year.
    pub net_burden_usd: Pair,
    pub markets: Vec<MarketEffects>,
    pub headlines: Vec<Headline>,
    pub draws: usize,
    pub seed: u64,
    pub assumptions: Vec<String>,
    pub cad_per_usd: f64,
    /// The two burdens over time under the baseline and the scenario.
    /// The chart's specification (drawn by `--chart`; its shape belongs to the chart code).
    #[schemars(with = "quid_core::schema::AnyObject")]
    pub chart: Chart,
    /// With rules-of-origin moves: each bundled illustrative vehicle's qualification and duty
    /// under the baseline rules and the scenario's (`crate::roo::scenario_effects`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roo: Vec<crate::roo::VehicleEffect>,
}

/// One line of a market: its sources (partners first, then the rest of the world), the
/// tariffs before and after, and its elasticities.
struct Line {
    sources: Vec<Source>,
    demand: (f64, f64),
    /// The demand elasticity is the line's own estimate (not the median).
    estimated: bool,
    sigma: f64,
    sigma_source: Option<SigmaSource>,
    sector: usize,
}

/// Each line's (total, base) rate without and with a preference claim, from a one-day panel.
fn rates_by_line(panel: &Panel) -> Vec<[(f64, f64); 2]> {
    let mut out = vec![[(0.0, 0.0); 2]; panel.lines.len()];
    for iv in &panel.intervals {
        if let Some(r) = out.get_mut(iv.line as usize) {
            r[usize::from(iv.claim)] = (iv.row.total, iv.row.get(0));
        }
    }
    out
}

/// A line's rate blended by its claim share: (total, base).
fn blended(rates: &[[(f64, f64); 2]], line: usize, share: f64) -> (f64, f64) {
    let [no, yes] = rates.get(line).copied().unwrap_or_default();
    (
        (1.0 - share) * no.0 + share * yes.0,
        (1.0 - share) * no.1 + share * yes.1,
    )
}

fn one_day(
    policy: &Policy,
    engine: &Engine,
    importer: Country,
    partner: Country,
    lines: Vec<HsCode>,
    day: Date,
) -> Panel {
    Panel::build(
        policy,
        &engine.reference,
        importer,
        partner,
        lines,
        Segments::new(day, day, Vec::new()),
        &crate::directions::edition_dates(&engine.reference, importer),
    )
}

/// A scenario read and applied, with the lines of both markets priced under the baseline and
/// the scenario: what the static, partial-equilibrium and Monte Carlo passes work on.
pub struct Prepared {
    pub scenario: Scenario,
    pub reformed: Policy,
    pub inputs: Inputs,
    us_lines: Vec<Line>,
    ca_lines: Vec<Line>,
    us_note: String,
    /// An export supply elasticity for every source (`None`: world prices fixed).
    pub supply: Option<f64>,
}

/// Reads a scenario, applies it and prices the markets' lines.
pub fn prepare(app: &App, engine: &Engine, file: &std::path::Path) -> Result<Prepared> {
    let text = quid_data::bounded::read_text(file)?;
    prepare_text(app, engine, &text, file)
}

/// The same from a scenario's text (an API body); `file` names it in messages.
pub fn prepare_text(
    app: &App,
    engine: &Engine,
    text: &str,
    file: &std::path::Path,
) -> Result<Prepared> {
    let text = text.to_string();
    let scenario = Scenario::parse(&text, file)?;
    let reformed = scenario.policy(engine, Some(&text))?;
    let inputs = inputs(app, engine, None)?;
    let day = scenario.start;
    let (us_lines, us_note) = us_market(app, engine, &reformed, &inputs, day)?;
    let ca_lines = ca_market(engine, &reformed, &inputs, day)?;
    Ok(Prepared {
        scenario,
        reformed,
        inputs,
        us_lines,
        ca_lines,
        us_note,
        supply: None,
    })
}

impl Prepared {
    /// The static view: both directions' duty on the start date, and the net.
    pub fn static_view(&self, engine: &Engine) -> (Vec<StaticDirection>, Pair) {
        let day = self.scenario.start;
        let (us, ca) = rayon::join(
            || {
                static_direction(
                    engine,
                    &self.reformed,
                    &self.inputs.us,
                    Country::US,
                    Country::CA,
                    day,
                )
            },
            || {
                static_direction(
                    engine,
                    &self.reformed,
                    &self.inputs.ca,
                    Country::CA,
                    Country::US,
                    day,
                )
            },
        );
        let net = Pair {
            baseline: us.burden_usd.baseline - ca.burden_usd.baseline,
            scenario: us.burden_usd.scenario - ca.burden_usd.scenario,
        };
        (vec![us, ca], net)
    }

    /// The partial-equilibrium effects at the elasticities' point values (or at one draw).
    pub fn trade_effects(&self, rng: Option<&mut Rng>) -> [MarketEffects; 2] {
        let b = self.supply;
        match rng {
            None => [
                market(Country::US, &self.us_lines, &["CA", "MX", "ROW"], b, None),
                market(Country::CA, &self.ca_lines, &["US"], b, None),
            ],
            Some(r) => [
                market(
                    Country::US,
                    &self.us_lines,
                    &["CA", "MX", "ROW"],
                    b,
                    Some(&mut *r),
                ),
                market(Country::CA, &self.ca_lines, &["US"], b, Some(r)),
            ],
        }
    }

    /// The headline figures at the point values, with their Monte Carlo bands when `draws` > 0.
    pub fn headlines(&self, point: &[MarketEffects; 2], draws: usize, seed: u64) -> Vec<Headline> {
        let values = figures(point);
        let bands: Vec<Option<Band>> = if draws > 0 {
            bands(draws, seed, values.len(), |rng: &mut Rng| {
                figures(&self.trade_effects(Some(rng)))
                    .into_iter()
                    .map(|(_, v)| v)
                    .collect()
            })
            .into_iter()
            .map(Some)
            .collect()
        } else {
            vec![None; values.len()]
        };
        values
            .into_iter()
            .zip(bands)
            .map(|((figure, point), band)| Headline {
                figure,
                point,
                band,
            })
            .collect()
    }
}

/// The headline figures of the two markets, named.
fn figures(m: &[MarketEffects; 2]) -> Vec<(String, f64)> {
    let mut v = Vec::new();
    for mk in m {
        for (who, e) in &mk.by_exporter {
            v.push((
                format!("{} market: access for {who}", mk.importer),
                e.market_access,
            ));
        }
        v.push((
            format!("{} market: tariff revenue", mk.importer),
            mk.tariff_revenue,
        ));
        v.push((
            format!("{} market: consumer surplus", mk.importer),
            mk.consumer_surplus,
        ));
    }
    v
}

/// Runs a scenario.
pub fn run(app: &App, engine: &Engine, req: &ScenarioRequest) -> Result<ScenarioReport> {
    let text = quid_data::bounded::read_text(&req.file)?;
    run_text(app, engine, req, &text)
}

/// Runs a scenario given as text (an API body); `req.file` names it in messages.
pub fn run_text(
    app: &App,
    engine: &Engine,
    req: &ScenarioRequest,
    text: &str,
) -> Result<ScenarioReport> {
    let mut p = prepare_text(app, engine, text, &req.file)?;
    p.supply = req.supply;
    let day = p.scenario.start;
    let (directions, net) = p.static_view(engine);
    let markets_point = p.trade_effects(None);
    let headlines = p.headlines(&markets_point, req.draws, req.seed);
    let (inputs, us_note, reformed) = (&p.inputs, p.us_note.clone(), &p.reformed);
    let assumptions = vec![
        format!("static: additional duties on {day} on a year of 2024 trade (US: Census imports for consumption by HS10 with 2025 USMCA claim shares; Canada: {})", inputs.ca_note),
        us_note,
        "Canada's market: the US is the only source the bundle knows for Canada's imports, so the model shows trade creation and no diversion there".into(),
        "elasticities: import demand from Hauk (2012), US estimates by HS6 through the HS2022-HS1992 concordance, used for both markets (no Canadian estimates are bundled), the median where missing; substitution from Broda-Weinstein (US HTS10), else Broda-Greenfield-Weinstein (HS3, the importer's own), else the median".into(),
        match req.supply {
            Some(b) => format!("export supply elasticity {b} for every source: world prices fall where demand for a source falls, and exporters bear part of a tariff"),
            None => "world prices fixed (no export supply elasticity given; --supply-elasticity sets one)".into(),
        },
        format!("Monte Carlo: {} draws, seed {}; import demand ~ N(estimate, Hauk's standard error) truncated to [0.1, 20]; substitution ~ U(0.5 sigma, 1.5 sigma) within [1.01, {SIGMA_CAP}]", req.draws, req.seed),
        format!("exchange rate: {} CAD per USD ({})", inputs.fx_rate, inputs.fx_source),
        "the model is partial equilibrium (SMART): other prices, incomes and domestic production are held fixed; see quid_econ::pe for where it is valid".into(),
    ];
    let chart = burden_chart(engine, reformed, inputs, &p.scenario)?;
    let markets = markets_point.into_iter().collect();
    let cad_per_usd = inputs.cad_per_usd;
    let roo = if p.scenario.roo.is_empty() {
        Vec::new()
    } else {
        crate::roo::scenario_effects(app, engine, &p.scenario.roo, day)?
    };
    Ok(ScenarioReport {
        roo,
        date: day,
        directions,
        net_burden_usd: net,
        markets,
        headlines,
        draws: req.draws,
        seed: req.seed,
        assumptions,
        cad_per_usd,
        chart,
        scenario: p.scenario,
    })
}

fn static_direction(
    engine: &Engine,
    reformed: &Policy,
    input: &EtrInput,
    importer: Country,
    partner: Country,
    day: Date,
) -> StaticDirection {
    let segs = Segments::new(day, day, Vec::new());
    let series = |p: &Policy| {
        crate::directions::direction(p, &engine.reference, importer, partner, input, &segs)
            .0
            .series
    };
    let (b, s) = (series(&engine.policy), series(reformed));
    let w = input.total_weight;
    let additional = |x: &quid_econ::EtrSeries| (x.total[0] - x.by_authority[0][0]) * w;
    let by_authority = (1..AUTHORITY_COUNT)
        .filter(|a| b.by_authority[0][*a] != 0.0 || s.by_authority[0][*a] != 0.0)
        .map(|a| {
            (
                authority_name(a as u8).to_string(),
                Pair {
                    baseline: b.by_authority[0][a] * w,
                    scenario: s.by_authority[0][a] * w,
                },
            )
        })
        .collect();
    let group_weight = |g: usize| -> f64 {
        input
            .lines
            .iter()
            .filter(|l| l.group as usize == g)
            .map(|l| l.weight)
            .sum()
    };
    let by_sector = input
        .groups
        .iter()
        .enumerate()
        .map(|(g, name)| {
            let gw = group_weight(g);
            (
                name.clone(),
                Pair {
                    baseline: b.by_group[0].get(g).copied().unwrap_or(0.0) * gw,
                    scenario: s.by_group[0].get(g).copied().unwrap_or(0.0) * gw,
                },
            )
        })
        .collect();
    StaticDirection {
        importer,
        partner,
        burden_usd: Pair {
            baseline: additional(&b),
            scenario: additional(&s),
        },
        by_authority,
        by_sector,
    }
}

/// US imports by HS10 from Canada, Mexico and the rest of the world, with each source's rate
/// under the baseline and the scenario.
fn us_market(
    app: &App,
    engine: &Engine,
    reformed: &Policy,
    inputs: &Inputs,
    day: Date,
) -> Result<(Vec<Line>, String)> {
    use rust_decimal::prelude::ToPrimitive;
    let census = quid_data::flows::read_census_hs10(&app.bundle.census_hs10_2024())?;
    let shares = quid_data::params::read_usmca_shares(&app.bundle.usmca_shares(2025))?;
    let v = |x: Option<rust_decimal::Decimal>| x.and_then(|d| d.to_f64()).unwrap_or(0.0);
    let rows: Vec<(HsCode, f64, f64, f64)> = census
        .iter()
        .map(|f| {
            let (ca, mx) = (v(f.value(Country::CA)), v(f.value(Country::MX)));
            let world = v(f.value(quid_data::flows::Partner::World));
            (f.hs10, ca, mx, (world - ca - mx).max(0.0))
        })
        .filter(|r| r.1 > 0.0 || r.2 > 0.0)
        .collect();
    let codes: Vec<HsCode> = rows.iter().map(|r| r.0).collect();
    let panels = [
        (&engine.policy, Country::CA),
        (reformed, Country::CA),
        (&engine.policy, Country::MX),
        (reformed, Country::MX),
    ]
    .par_iter()
    .map(|(p, partner)| {
        rates_by_line(&one_day(
            p,
            engine,
            Country::US,
            *partner,
            codes.clone(),
            day,
        ))
    })
    .collect::<Vec<_>>();
    let eps = inputs.eps.with_errors(&codes);
    let sigma = Substitution::load(&app.bundle)?.of("USA", &codes);
    let capped = sigma.iter().filter(|x| x.0 > SIGMA_CAP).count();
    let lines = rows
        .iter()
        .enumerate()
        .map(|(i, (hs, ca, mx, row))| {
            let s_ca = shares.get(hs, Country::CA).unwrap_or(0.0);
            let s_mx = shares.get(hs, Country::MX).unwrap_or(0.0);
            let (ca0, mfn) = blended(&panels[0], i, s_ca);
            let (ca1, _) = blended(&panels[1], i, s_ca);
            let (mx0, _) = blended(&panels[2], i, s_mx);
            let (mx1, _) = blended(&panels[3], i, s_mx);
            Line {
                sources: vec![
                    Source {
                        value: *ca,
                        t0: ca0,
                        t1: ca1,
                    },
                    Source {
                        value: *mx,
                        t0: mx0,
                        t1: mx1,
                    },
                    Source {
                        value: *row,
                        t0: mfn,
                        t1: mfn,
                    },
                ],
                demand: (eps[i].0, eps[i].1),
                estimated: eps[i].2,
                sigma: sigma[i].0.min(SIGMA_CAP),
                sigma_source: Some(sigma[i].1),
                sector: balance_sector(hs) as usize,
            }
        })
        .collect::<Vec<_>>();
    let note = format!(
        "US market: {} HS10 lines with imports from Canada or Mexico in 2024 (Census), each source's rate blended by its 2025 USMCA claim share; the rest of the world (world less Canada and Mexico) at the line's MFN rate, unchanged; substitution elasticities above {SIGMA_CAP} capped at it on {capped} lines",
        lines.len()
    );
    Ok((lines, note))
}

/// Canada's imports from the US at the balance's stand-in lines (every US good under CUSMA).
fn ca_market(engine: &Engine, reformed: &Policy, inputs: &Inputs, day: Date) -> Result<Vec<Line>> {
    let codes: Vec<HsCode> = inputs.ca.lines.iter().map(|l| l.hs).collect();
    let (base, scen) = rayon::join(
        || {
            rates_by_line(&one_day(
                &engine.policy,
                engine,
                Country::CA,
                Country::US,
                codes.clone(),
                day,
            ))
        },
        || {
            rates_by_line(&one_day(
                reformed,
                engine,
                Country::CA,
                Country::US,
                codes.clone(),
                day,
            ))
        },
    );
    let eps = inputs.eps.with_errors(&codes);
    Ok(inputs
        .ca
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let (t0, _) = blended(&base, i, 1.0);
            let (t1, _) = blended(&scen, i, 1.0);
            Line {
                sources: vec![Source {
                    value: l.weight,
                    t0,
                    t1,
                }],
                demand: (eps[i].0, eps[i].1),
                estimated: eps[i].2,
                // One source: substitution between sources plays no part (any value gives the
                // same effects), so the cap stands in.
                sigma: SIGMA_CAP,
                sigma_source: None,
                sector: balance_sector(&l.hs) as usize,
            }
        })
        .collect())
}

/// Solves every line of a market (at the point elasticities, or at a draw) and sums.
fn market(
    importer: Country,
    lines: &[Line],
    exporters: &[&str],
    supply: Option<f64>,
    mut rng: Option<&mut Rng>,
) -> MarketEffects {
    let mut by_exporter = vec![PartyEffects::default(); exporters.len()];
    let mut by_sector = vec![PartyEffects::default(); BALANCE_SECTORS.len()];
    let (mut revenue, mut cs) = (0.0, 0.0);
    let (mut scratch, mut e) = (pe::Scratch::default(), pe::Effects::default());
    for l in lines {
        // A line whose tariffs do not move has no effect, whatever its elasticities.
        if l.sources.iter().all(|s| s.t1 == s.t0) {
            continue;
        }
        let (demand, sigma) = match rng.as_deref_mut() {
            None => (l.demand.0, l.sigma),
            Some(r) => (
                r.truncated_normal(l.demand.0, l.demand.1, 0.1, 20.0),
                (l.sigma * (0.5 + r.uniform())).clamp(1.01, SIGMA_CAP),
            ),
        };
        pe::solve_into(
            &l.sources,
            &PeElasticities {
                demand,
                substitution: sigma,
                supply,
            },
            &mut scratch,
            &mut e,
        );
        for (k, se) in e.sources.iter().enumerate() {
            if let Some(x) = by_exporter.get_mut(k) {
                x.add(se);
            }
            // Sectors sum the partner sources (not the rest of the world).
            if exporters.get(k).is_some_and(|n| *n != "ROW") {
                if let Some(x) = by_sector.get_mut(l.sector) {
                    x.add(se);
                }
            }
        }
        revenue += e.revenue_change;
        cs += e.consumer_surplus;
    }
    MarketEffects {
        importer,
        by_exporter: exporters
            .iter()
            .map(|s| s.to_string())
            .zip(by_exporter)
            .collect(),
        by_sector: BALANCE_SECTORS
            .iter()
            .map(|s| s.to_string())
            .zip(by_sector)
            .collect(),
        tariff_revenue: revenue,
        consumer_surplus: cs,
        lines: lines.len(),
        demand_estimates: lines.iter().filter(|l| l.estimated).count(),
        sigma_sources: count_sources(lines.iter().filter_map(|l| l.sigma_source)),
    }
}

/// The two burdens from 2025-01-01 to a year after the start, under the baseline (solid) and
/// the scenario (dashed).
fn burden_chart(
    engine: &Engine,
    reformed: &Policy,
    inputs: &Inputs,
    scenario: &Scenario,
) -> Result<Chart> {
    let since = Date::constant(2025, 1, 1);
    let end = scenario
        .start
        .checked_add(jiff::Span::new().days(365))
        .unwrap_or(scenario.start);
    let mut cuts = crate::directions::change_dates(&engine.policy, &engine.reference, Country::US);
    cuts.extend(crate::directions::change_dates(
        &engine.policy,
        &engine.reference,
        Country::CA,
    ));
    cuts.extend(crate::directions::change_dates(
        reformed,
        &engine.reference,
        Country::US,
    ));
    cuts.extend(crate::directions::change_dates(
        reformed,
        &engine.reference,
        Country::CA,
    ));
    cuts.push(scenario.start);
    let segs = Segments::new(since, end, cuts);
    let mut series = Vec::new();
    for (policy, label, dashed) in [
        (&engine.policy, "baseline", false),
        (reformed, "scenario", true),
    ] {
        for (importer, partner, input, name, color) in [
            (
                Country::US,
                Country::CA,
                &inputs.us,
                "US duties on Canadian goods",
                PALETTE[1],
            ),
            (
                Country::CA,
                Country::US,
                &inputs.ca,
                "Canadian duties on US goods",
                PALETTE[0],
            ),
        ] {
            let d = crate::directions::direction(
                policy,
                &engine.reference,
                importer,
                partner,
                input,
                &segs,
            )
            .0;
            let points = segs
                .starts
                .iter()
                .map(|day| (*day, d.burden(*day) / 1e9))
                .collect();
            let s = Series::new(format!("{name} ({label})"), color, points);
            series.push(if dashed { s.dashed() } else { s });
        }
    }
    // The policy dates of both directions (each measure start or end that moved a burden),
    // and the package's start.
    let mut markers = Vec::new();
    for (importer, partner) in [(Country::US, Country::CA), (Country::CA, Country::US)] {
        for m in policy_dates(engine, importer, partner, since, end) {
            markers.push(m);
        }
    }
    markers.push(quid_econ::chart::Marker {
        date: scenario.start,
        label: format!("Package starts: {}", scenario.name),
    });
    Ok(Chart {
        title: format!("Scenario: {}", scenario.name),
        subtitle: format!(
            "US$ bn per year of additional duties on 2024 trade, baseline (solid) and with the package from {} (dashed)",
            scenario.start
        ),
        series,
        markers,
        dots: Vec::new(),
        start: since,
        end,
        unit: YUnit::Amount(" bn"),
        y_label: "US$ bn per year".into(),
        notes: Vec::new(),
    })
}

/// The policy dates of `importer`'s duties on goods of `partner` within `since..=end` (the
/// ETR chart's titles, each prefixed by the direction: "US on CA: Section 232 steel: 50%").
fn policy_dates(
    engine: &Engine,
    importer: Country,
    partner: Country,
    since: Date,
    end: Date,
) -> Vec<quid_econ::chart::Marker> {
    let mut dates: Vec<Date> =
        crate::directions::change_dates(&engine.policy, &engine.reference, importer)
            .into_iter()
            .filter(|d| *d > since && *d <= end)
            .collect();
    dates.sort();
    dates.dedup();
    crate::etr::policy_markers(&engine.policy, importer, partner, &dates)
        .into_iter()
        .map(|mut m| {
            m.label = format!("{importer} on {partner}: {}", m.label);
            m
        })
        .collect()
}

/// The sigma sources of a set of lines, counted (for the report).
fn count_sources(v: impl Iterator<Item = SigmaSource>) -> Vec<(SigmaSource, usize)> {
    let mut m: HashMap<SigmaSource, usize> = HashMap::new();
    for s in v {
        *m.entry(s).or_default() += 1;
    }
    let mut out: Vec<_> = m.into_iter().collect();
    out.sort_by_key(|(s, _)| *s as u8);
    out
}

fn bn(x: f64) -> String {
    format!("{:+.2}", x / 1e9)
}

impl Headline {
    /// "median [p05 to p95]" in US$ billions, or "-" without draws.
    pub fn band_text(&self) -> String {
        match &self.band {
            Some(b) => format!("{} [{} to {}]", bn(b.median), bn(b.p05), bn(b.p95)),
            None => "-".into(),
        }
    }
}

/// Scenarios side by side: one row per figure, one column per scenario.
pub fn comparison(reports: &[&ScenarioReport]) -> crate::table::Table {
    let mut headers = vec!["figure_usd_bn_per_year".to_string()];
    headers.extend(
        reports
            .iter()
            .map(|r| crate::table::snake(&r.scenario.name)),
    );
    let mut t = crate::table::Table::new(headers);
    let mut row = |name: String, f: &dyn Fn(&ScenarioReport) -> String| {
        let mut cells = vec![name];
        cells.extend(reports.iter().map(|r| f(r)));
        t.push(cells);
    };
    row("start".into(), &|r| r.date.to_string());
    row("status".into(), &|r| {
        format!("{:?}", r.scenario.status).to_lowercase()
    });
    for (i, who) in ["US duty on Canadian goods", "Canadian duty on US goods"]
        .iter()
        .enumerate()
    {
        row(format!("static: change in {who}"), &|r| {
            bn(r.directions[i].burden_usd.change())
        });
    }
    row(
        "static: change in the net US-minus-Canada burden".into(),
        &|r| bn(r.net_burden_usd.change()),
    );
    if let Some(first) = reports.first() {
        for (k, h) in first.headlines.iter().enumerate() {
            row(format!("{} (median [90% band])", h.figure), &|r| {
                r.headlines.get(k).map_or("-".into(), |h| {
                    if h.band.is_some() {
                        h.band_text()
                    } else {
                        bn(h.point)
                    }
                })
            });
        }
    }
    t
}

impl ScenarioReport {
    /// The moves, one row each: layer, id, party, measures, origins, action.
    pub fn moves_table(&self) -> crate::table::Table {
        let mut mt =
            crate::table::Table::new(["layer", "move", "party", "measures", "origins", "action"]);
        for (m, layer) in self.scenario.reform.moves.iter().zip(&self.scenario.layers) {
            mt.push([
                layer.clone(),
                m.id.clone(),
                m.party.to_string(),
                m.measures.join(" "),
                m.origins
                    .iter()
                    .flatten()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                match &m.action {
                    quid_engine::reform::Action::SetRate(x) => format!("rate {x}"),
                    a => format!("{a:?}").to_lowercase(),
                },
            ]);
        }
        mt
    }

    /// The static view: each direction's total, and the authorities and sectors that move, US$ billions.
    pub fn static_table(&self) -> crate::table::Table {
        let mut st = crate::table::Table::new([
            "direction",
            "by",
            "baseline_usd_bn",
            "scenario_usd_bn",
            "change_usd_bn",
        ]);
        for d in &self.directions {
            let who = format!("{} on {}", d.importer, d.partner);
            st.push([
                who.clone(),
                "total".into(),
                bn(d.burden_usd.baseline),
                bn(d.burden_usd.scenario),
                bn(d.burden_usd.change()),
            ]);
            for (a, p) in d
                .by_authority
                .iter()
                .filter(|(_, p)| p.change().abs() >= 5e6)
            {
                st.push([
                    who.clone(),
                    a.clone(),
                    bn(p.baseline),
                    bn(p.scenario),
                    bn(p.change()),
                ]);
            }
            for (a, p) in d.by_sector.iter().filter(|(_, p)| p.change().abs() >= 5e6) {
                st.push([
                    who.clone(),
                    format!("sector: {a}"),
                    bn(p.baseline),
                    bn(p.scenario),
                    bn(p.change()),
                ]);
            }
        }
        st
    }

    /// The trade effects by exporter and by sector, US$ billions.
    pub fn trade_table(&self) -> crate::table::Table {
        let mut pt = crate::table::Table::new([
            "market",
            "exporter_or_sector",
            "market_access_usd_bn",
            "creation_usd_bn",
            "diversion_usd_bn",
            "export_revenue_usd_bn",
        ]);
        for m in &self.markets {
            for (who, e) in &m.by_exporter {
                pt.push([
                    format!("{} imports", m.importer),
                    who.clone(),
                    bn(e.market_access),
                    bn(e.creation),
                    bn(e.diversion),
                    bn(e.export_revenue),
                ]);
            }
            for (sector, e) in m
                .by_sector
                .iter()
                .filter(|(_, e)| e.market_access.abs() >= 5e6)
            {
                pt.push([
                    format!("{} imports", m.importer),
                    format!("sector: {sector}"),
                    bn(e.market_access),
                    bn(e.creation),
                    bn(e.diversion),
                    bn(e.export_revenue),
                ]);
            }
        }
        pt
    }
}
