//! `negotiate` on the bundled candidates: the best package's totals are its moves' values, it
//! balances within the tolerance, and declared concessions count only at the rate given.

use quid_app::negotiate::{self, NegotiateRequest};
use quid_app::{App, EngineOptions};
use quid_core::{parse_date, Country};
use std::path::Path;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");

#[test]
fn best_package_balances_and_adds_up() {
    let app = App::new(Some(Path::new(DATA)), parse_date("2026-12-06").unwrap()).unwrap();
    let engine = app.engine(&EngineOptions::default()).unwrap();
    let mut req = NegotiateRequest {
        candidates: Path::new(DATA).join("negotiation/candidates.toml"),
        between: (Country::CA, Country::US),
        tolerance: 0.05,
        since: Some(parse_date("2025-01-01").unwrap()),
        declared_rate: None,
    };
    let r = negotiate::run(&app, &engine, &req).unwrap();
    assert_eq!(r.candidates.len(), 38);
    let best = r.best.as_ref().expect("a balanced package");
    let sum = |party: Country| -> f64 {
        best.moves
            .iter()
            .map(|id| r.candidates.iter().find(|c| &c.id == id).unwrap())
            .filter(|c| c.party == party)
            .map(|c| c.value_usd)
            .sum()
    };
    assert!((best.given_by_a_usd - sum(Country::CA)).abs() < 1.0);
    assert!((best.given_by_b_usd - sum(Country::US)).abs() < 1.0);
    // Within 5% of the mean, credits counted (none: since 2025 each side only withdrew its own
    // escalation, and the declared tax is reported beside).
    assert_eq!((r.credit_a_usd, r.credit_b_usd), (0.0, 0.0));
    let (ta, tb) = (best.given_by_a_usd, best.given_by_b_usd);
    assert!(
        (ta - tb).abs() <= 0.05 * (ta + tb) / 2.0 + 1.0,
        "{ta} vs {tb}"
    );
    assert!(r.why.contains("Optimality proved"), "{}", r.why);
    // One move per group at most.
    let mut groups: Vec<&str> = best
        .moves
        .iter()
        .map(|id| {
            r.candidates
                .iter()
                .find(|c| &c.id == id)
                .unwrap()
                .group
                .as_str()
        })
        .collect();
    let n = groups.len();
    groups.sort();
    groups.dedup();
    assert_eq!(groups.len(), n);
    // The digital services tax (C$ 7.2 bn declared) counts only at a rate given: at 0.2 US$ of
    // annual duty per US$, 7.2e9 / 1.3698 x 0.2 = 1,051,248,357.4 US$ per year for Canada.
    req.declared_rate = Some(0.2);
    let r2 = negotiate::run(&app, &engine, &req).unwrap();
    assert!(
        (r2.credit_a_usd - 7.2e9 / 1.3698 * 0.2).abs() < 1.0,
        "{}",
        r2.credit_a_usd
    );
    assert_eq!(r2.credit_b_usd, 0.0);
}
