//! The reciprocity balance on the bundled ledger and flows, after loading: the panels of both
//! directions, the ETRs, and the valuation of every move; and adding one entry to the workspace
//! database and recomputing the valuation (the panels cached, as the entry names no new measure).

use quid_core::ledger::{Announcement, Ledger};
use quid_core::{parse_date, Country, Date};
use quid_data::params::read_metal_shares;
use quid_data::reference::BundleReference;
use quid_data::weights::{
    ca_imports_from_us_grouped, us_imports_weighted, Grouping, ShareMode, WeightYear,
};
use quid_data::{Bundle, Schedules};
use quid_econ::balance::{compute, Direction};
use quid_econ::{EtrInput, Segments};
use quid_engine::Policy;

fn main() {
    divan::main();
}

struct Setup {
    policy: Policy,
    reference: BundleReference,
    ledger: Ledger,
    us: EtrInput,
    ca: EtrInput,
}

fn setup() -> Setup {
    let b = Bundle::at(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
    let policy = quid_data::measures::load_policy(&b, false).expect("measures");
    let reference = BundleReference::new(
        Schedules::load_bundled(&b).expect("schedules"),
        &read_metal_shares(&b.metal_content()).expect("metal"),
    );
    let ledger = quid_data::ledger::read_ledger(&b.ledger()).expect("ledger");
    let us = us_imports_weighted(
        &b,
        Country::CA,
        Grouping::Balance,
        ShareMode::Annual2025,
        WeightYear::Y2024,
    )
    .expect("us weights");
    let items: Vec<_> = quid_data::weights::ca_measure_items(&policy);
    let ca = ca_imports_from_us_grouped(&b, &items, 2024, Grouping::Balance).expect("ca weights");
    Setup {
        policy,
        reference,
        ledger,
        us,
        ca,
    }
}

fn directions(s: &Setup, policy: &Policy, segments: &Segments) -> Vec<Direction> {
    [
        (Country::US, Country::CA, &s.us),
        (Country::CA, Country::US, &s.ca),
    ]
    .into_iter()
    .map(|(importer, partner, input)| {
        quid_data::directions::direction(policy, &s.reference, importer, partner, input, segments).0
    })
    .collect()
}

fn authorities(policy: &Policy) -> impl Fn(&str) -> Vec<String> + '_ {
    move |m: &str| policy.authorities_named_by(m)
}

/// The balance's period and segments, cut as the `balance` command cuts them.
fn period(s: &Setup, policy: &Policy, view: &[&Announcement]) -> (Date, Date, Segments) {
    let (since, until) = (
        parse_date("2025-01-01").expect("date"),
        parse_date("2026-09-29").expect("date"),
    );
    let segments =
        quid_data::directions::balance_segments(policy, &s.reference, view, since, until);
    (since, until, segments)
}

/// Everything after loading: both panels, both ETR series, every move valued.
#[divan::bench(sample_count = 10)]
fn full_balance(b: divan::Bencher) {
    let s = setup();
    let on = parse_date("2026-11-26").expect("date");
    b.bench_local(|| {
        let view: Vec<&Announcement> = s.ledger.as_known_on(on);
        let (since, until, segments) = period(&s, &s.policy, &view);
        let dirs = directions(&s, &s.policy, &segments);
        compute(&view, &dirs, &authorities(&s.policy), since, until, on)
            .moves
            .len()
    });
}

/// Appending one entry to the workspace database (SQLite in memory) and recomputing the
/// valuation over cached panels.
#[divan::bench(sample_count = 20)]
fn add_event_and_recompute(b: divan::Bencher) {
    let s = setup();
    let on = parse_date("2026-11-26").expect("date");
    let (since, until, segments) = period(&s, &s.policy, &s.ledger.as_known_on(on));
    let dirs = directions(&s, &s.policy, &segments);
    let entry: Announcement = s
        .ledger
        .announcements
        .iter()
        .find(|a| a.id == "CA-2025-06-29-DST-RESCIND")
        .cloned()
        .expect("entry");
    let mut n = 0u32;
    b.bench_local(|| {
        n += 1;
        let mut ws = quid_store::Workspace::in_memory().expect("db");
        let mut e = entry.clone();
        e.id = format!("USER-BENCH-{n}");
        ws.import(std::slice::from_ref(&e), &|_| Vec::new(), &[])
            .expect("import");
        let mut ledger = s.ledger.clone();
        ledger
            .announcements
            .extend(ws.ledger().expect("read").announcements);
        let view: Vec<&Announcement> = ledger.as_known_on(on);
        compute(&view, &dirs, &authorities(&s.policy), since, until, on)
            .moves
            .len()
    });
}
