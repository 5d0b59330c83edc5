//! Package search over 40 candidates, 20 a side, at realistic magnitudes: each side has 14
//! single moves and 3 measures at two levels (full and half removal, one group each); values
//! from US$ 0.05 to 15 bn a year (log-uniform), trade liberalised 4 to 20 times the value (duty
//! rates of 5% to 25%), the two levels of a measure liberalising the same trade. Tolerance 5%,
//! no credits. Seeded: every run searches the same set.

use divan::{black_box, Bencher};
use quid_core::Country;
use quid_econ::montecarlo::Rng;
use quid_econ::package::{best, frontier, Candidate, Target};

fn main() {
    divan::main();
}

fn candidates() -> Vec<Candidate> {
    let mut rng = Rng::for_draw(2026, 10);
    let mut out = Vec::with_capacity(40);
    for party in [Country::US, Country::CA] {
        for m in 0..17 {
            let full = 0.05e9 * (15.0f64 / 0.05).powf(rng.uniform());
            let liberalised = full / (0.05 + 0.20 * rng.uniform());
            let group = format!("{party}-M{m}");
            let levels: &[(&str, f64)] = if m < 3 {
                &[("full removal", 1.0), ("half removal", 0.5)]
            } else {
                &[("full removal", 1.0)]
            };
            for &(level, share) in levels {
                out.push(Candidate {
                    id: format!("{group}, {level}"),
                    party,
                    group: group.clone(),
                    value: full * share,
                    liberalised,
                });
            }
        }
    }
    out
}

fn target() -> Target {
    Target::new(Country::US, Country::CA, 0.05)
}

/// The package that liberalises the most within 5%.
#[divan::bench(sample_count = 10)]
fn best_40(b: Bencher) {
    let (cands, t) = (candidates(), target());
    assert_eq!(cands.len(), 40);
    b.bench(|| best(black_box(&cands), black_box(&t)).map(|p| p.map(|p| p.chosen.len())));
}

/// The US exchange frontier, 40 budgets (2 MILPs each).
#[divan::bench(sample_count = 10)]
fn frontier_40(b: Bencher) {
    let (cands, t) = (candidates(), target());
    b.bench(|| frontier(black_box(&cands), black_box(&t)).map(|f| f.len()));
}
