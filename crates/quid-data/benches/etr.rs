//! Rate panels and effective tariff rates on the bundled data.

use quid_core::{parse_date, Country, Date};
use quid_data::params::read_metal_shares;
use quid_data::reference::BundleReference;
use quid_data::weights::{us_imports, Grouping, ShareMode};
use quid_data::{Bundle, Schedules};
use quid_econ::{etr, Panel, Segments};

fn main() {
    divan::main();
}

fn setup() -> (Bundle, quid_engine::Policy, BundleReference) {
    let b = Bundle::at(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
    let policy = quid_data::measures::load_policy(&b, false).expect("measures");
    let reference = BundleReference::new(
        Schedules::load_bundled(&b).expect("schedules"),
        &read_metal_shares(&b.metal_content()).expect("metal"),
    );
    (b, policy, reference)
}

fn period(policy: &quid_engine::Policy, reference: &BundleReference) -> (Segments, Vec<Date>) {
    let editions: Vec<Date> = reference.schedules.us.iter().map(|s| s.effective).collect();
    let mut cuts = policy.change_dates(Country::US);
    cuts.extend(editions.iter().copied());
    let seg = Segments::new(
        parse_date("2025-01-01").expect("date"),
        parse_date("2026-11-26").expect("date"),
        cuts,
    );
    (seg, editions)
}

/// The interval panel of every HTS10 classification line of the 2026 rev 10 edition, for goods
/// of Canada and of Mexico, with and without a USMCA claim, over every policy change date of
/// 2025-01-01 to 2026-11-26.
#[divan::bench(sample_count = 5)]
fn interval_panel_every_line_ca_and_mx(b: divan::Bencher) {
    let (_, policy, reference) = setup();
    let lines: Vec<_> = reference.schedules.us[1]
        .leaf_lines()
        .map(|l| l.code)
        .collect();
    let (seg, editions) = period(&policy, &reference);
    b.bench_local(|| {
        let ca = Panel::build(
            &policy,
            &reference,
            Country::US,
            Country::CA,
            lines.clone(),
            seg.clone(),
            &editions,
        );
        let mx = Panel::build(
            &policy,
            &reference,
            Country::US,
            Country::MX,
            lines.clone(),
            seg.clone(),
            &editions,
        );
        ca.intervals.len() + mx.intervals.len()
    });
}

/// A daily ETR series from 2025-01-01 to 2026-11-26 for goods of Canada, 2024 weights, 2025
/// USMCA shares: the panel over the weighted lines, the aggregation, and the daily expansion.
#[divan::bench(sample_count = 5)]
fn daily_etr_canada(b: divan::Bencher) {
    let (bundle, policy, reference) = setup();
    let input = us_imports(
        &bundle,
        Country::CA,
        Grouping::Section,
        ShareMode::Annual2025,
    )
    .expect("weights");
    let (seg, editions) = period(&policy, &reference);
    b.bench_local(|| {
        let lines = input.lines.iter().map(|l| l.hs).collect();
        let panel = Panel::build(
            &policy,
            &reference,
            Country::US,
            Country::CA,
            lines,
            seg.clone(),
            &editions,
        );
        let series = etr::compute(&panel, &input);
        series.days().len()
    });
}
