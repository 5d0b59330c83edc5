//! Scenarios on the bundled data: the reform changes exactly the duties the package names, the
//! static valuation adds up, the trade effects obey the model's identities, and bad files are
//! refused with their line.
//!
//! Legal basis of the duties checked: Proclamation 11021 (2026-04-02), Annex I-A, steel
//! articles at 50% of the full customs value from 2026-04-06; Proclamation 10908 (2025-03-26),
//! passenger vehicles at 25% from 2025-04-03.

use quid_app::scenario::Scenario;
use quid_app::scenario_run::{self, ScenarioRequest};
use quid_app::{App, Engine, EngineOptions};
use quid_core::{parse_date, Country};
use quid_engine::{Entry, Policy};
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");

fn app() -> App {
    App::new(Some(Path::new(DATA)), parse_date("2026-12-06").unwrap()).unwrap()
}

fn file(name: &str) -> PathBuf {
    Path::new(DATA).join("scenarios").join(name)
}

fn scenario_policy(engine: &Engine, name: &str) -> Policy {
    let s = Scenario::read(&file(name)).unwrap();
    s.policy(engine, None).unwrap()
}

/// The duty of one authority on an entry.
fn layer(policy: &Policy, engine: &Engine, e: &Entry, authority: &str) -> Decimal {
    policy
        .assess(e, &engine.reference)
        .unwrap()
        .layers
        .iter()
        .filter(|l| l.authority() == authority)
        .map(|l| l.amount)
        .sum()
}

/// Canada's ask: a Canadian hot-rolled coil (7208.10.15.00, Annex I-A) entered on 2027-02-01
/// owes 50% of 100,000 = 50,000 of Section 232 duty in the baseline and none with the package;
/// the same coil from Mexico still owes 50,000.
#[test]
fn canada_ask_lifts_the_steel_duty_for_canada_only() {
    let app = app();
    let engine = app.engine(&EngineOptions::default()).unwrap();
    let ask = scenario_policy(&engine, "canada_ask.toml");
    let d = parse_date("2027-02-01").unwrap();
    let hs = "7208.10.15.00".parse().unwrap();
    let ca = Entry::new(Country::US, Country::CA, hs, d, Decimal::from(100_000));
    let mx = Entry::new(Country::US, Country::MX, hs, d, Decimal::from(100_000));
    assert_eq!(
        layer(&engine.policy, &engine, &ca, "s232-steel"),
        Decimal::from(50_000)
    );
    assert_eq!(layer(&ask, &engine, &ca, "s232-steel"), Decimal::ZERO);
    assert_eq!(
        layer(&ask, &engine, &mx, "s232-steel"),
        Decimal::from(50_000)
    );
    // Before the start the package changes nothing.
    let before = Entry::new(
        Country::US,
        Country::CA,
        hs,
        parse_date("2026-12-31").unwrap(),
        Decimal::from(100_000),
    );
    assert_eq!(
        layer(&ask, &engine, &before, "s232-steel"),
        Decimal::from(50_000)
    );
}

/// The reported offer: a non-USMCA Canadian car (8703.23.01.90) of 40,000 on 2027-02-01 pays
/// 25% = 10,000 in the baseline and 15% = 6,000 with the package.
#[test]
fn the_offer_sets_autos_at_15_percent() {
    let app = app();
    let engine = app.engine(&EngineOptions::default()).unwrap();
    let offer = scenario_policy(&engine, "rejected_offer_2026_08.toml");
    let car = Entry::new(
        Country::US,
        Country::CA,
        "8703.23.01.90".parse().unwrap(),
        parse_date("2027-02-01").unwrap(),
        Decimal::from(40_000),
    );
    assert_eq!(
        layer(&engine.policy, &engine, &car, "s232-autos"),
        Decimal::from(10_000)
    );
    assert_eq!(
        layer(&offer, &engine, &car, "s232-autos"),
        Decimal::from(6_000)
    );
}

/// The static valuation adds up (the burden's change is the sum of the authorities' changes),
/// Canada's ask moves no Canadian duty, and removing the 232 duties leaves none of them.
#[test]
fn static_valuation_adds_up() {
    let app = app();
    let engine = app.engine(&EngineOptions::default()).unwrap();
    let r = scenario_run::run(
        &app,
        &engine,
        &ScenarioRequest {
            file: file("canada_ask.toml"),
            draws: 0,
            seed: 1,
            supply: None,
        },
    )
    .unwrap();
    let us = &r.directions[0];
    let by_authority: f64 = us.by_authority.iter().map(|(_, p)| p.change()).sum();
    assert!(
        (us.burden_usd.change() - by_authority).abs() < 1.0,
        "{} vs {by_authority}",
        us.burden_usd.change()
    );
    for (a, p) in &us.by_authority {
        if [
            "s232-steel",
            "s232-aluminum",
            "s232-autos",
            "s232-auto-parts",
        ]
        .contains(&a.as_str())
        {
            assert_eq!(p.scenario, 0.0, "{a}");
            assert!(p.baseline > 1e8, "{a} is charged in the baseline");
        }
    }
    assert_eq!(r.directions[1].burden_usd.change(), 0.0);
    assert_eq!(
        r.net_burden_usd.change(),
        us.burden_usd.change() - r.directions[1].burden_usd.change()
    );
    // Canada's market: no Canadian tariff moves, so no effect at all.
    let ca = &r.markets[1];
    assert_eq!(ca.by_exporter[0].1.market_access, 0.0);
    assert_eq!(ca.tariff_revenue, 0.0);
    // The US market: diversion moves trade between sources and sums to zero; creation is the
    // net change.
    let us_m = &r.markets[0];
    let diversion: f64 = us_m.by_exporter.iter().map(|(_, e)| e.diversion).sum();
    let access: f64 = us_m.by_exporter.iter().map(|(_, e)| e.market_access).sum();
    let creation: f64 = us_m.by_exporter.iter().map(|(_, e)| e.creation).sum();
    assert!(
        diversion.abs() < 1e-3 * access.abs().max(1.0),
        "{diversion}"
    );
    assert!((creation - access).abs() < 1e-3 * access.abs().max(1.0));
    // Canada gains access, Mexico and the rest of the world lose some to it.
    assert!(us_m.by_exporter[0].1.diversion > 0.0);
    assert!(us_m.by_exporter[1].1.diversion < 0.0);
}

/// The same seed gives the same bands; another seed other bands; the point value of a figure
/// does not depend on the draws.
#[test]
fn monte_carlo_is_reproducible() {
    let app = app();
    let engine = app.engine(&EngineOptions::default()).unwrap();
    let run = |seed| {
        scenario_run::run(
            &app,
            &engine,
            &ScenarioRequest {
                file: file("rejected_offer_2026_08.toml"),
                draws: 100,
                seed,
                supply: None,
            },
        )
        .unwrap()
    };
    let (a, b, c) = (run(7), run(7), run(8));
    let bands =
        |r: &scenario_run::ScenarioReport| r.headlines.iter().map(|h| h.band).collect::<Vec<_>>();
    assert_eq!(bands(&a), bands(&b));
    assert_ne!(bands(&a), bands(&c));
    assert_eq!(a.headlines[0].point, c.headlines[0].point);
}

/// A move on a measure that is not in force on its date is an error naming the file and line.
#[test]
fn a_move_on_a_measure_not_in_force_is_refused_with_its_line() {
    let app = app();
    let engine = app.engine(&EngineOptions::default()).unwrap();
    let dir = std::env::temp_dir().join(format!("quid-scenario-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("old.toml");
    // The IEEPA 25% on Canada ended with the ruling of 2026-02-20.
    std::fs::write(
        &path,
        "name = \"x\"\nstart = \"2027-01-01\"\n\n[[core]]\nid = \"ieepa-gone\"\nparty = \"US\"\nmeasures = [\"US-IEEPA-CA-2\"]\naction = \"remove\"\n",
    )
    .unwrap();
    let e = scenario_run::run(
        &app,
        &engine,
        &ScenarioRequest {
            file: path.clone(),
            draws: 0,
            seed: 1,
            supply: None,
        },
    )
    .unwrap_err()
    .to_string();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(e.contains("old.toml:5"), "{e}");
    assert!(e.contains("is not in force on 2027-01-01"), "{e}");
}

/// Every bundled scenario reads, applies and runs.
#[test]
fn every_bundled_scenario_runs() {
    let app = app();
    let engine = app.engine(&EngineOptions::default()).unwrap();
    let mut n = 0;
    for f in std::fs::read_dir(Path::new(DATA).join("scenarios")).unwrap() {
        let path = f.unwrap().path();
        let r = scenario_run::run(
            &app,
            &engine,
            &ScenarioRequest {
                file: path.clone(),
                draws: 10,
                seed: 1,
                supply: None,
            },
        )
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            !r.scenario.sources.is_empty(),
            "{} cites nothing",
            path.display()
        );
        n += 1;
    }
    assert_eq!(n, 6);
}
