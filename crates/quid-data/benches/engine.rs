//! The duty engine on the bundled data: compiling the measures into the policy index, and one
//! assessment (a Canadian steel coil in 2025-07, a USMCA car, a Canadian entry of US steel).

use quid_core::{parse_date, Country, HsCode};
use quid_data::params::read_metal_shares;
use quid_data::reference::BundleReference;
use quid_data::{Bundle, Schedules};
use quid_engine::Entry;
use rust_decimal::Decimal;

fn main() {
    divan::main();
}

fn bundle() -> Bundle {
    Bundle::at(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"))
}

/// Reads the measure files, resolves their list references and builds the index.
#[divan::bench(sample_count = 20)]
fn compile_bundled_measures() -> quid_engine::Policy {
    quid_data::measures::load_policy(&bundle(), false).expect("measures compile")
}

fn setup() -> (quid_engine::Policy, BundleReference) {
    let b = bundle();
    let policy = quid_data::measures::load_policy(&b, false).expect("measures compile");
    let schedules = Schedules::load_bundled(&b).expect("schedules");
    let metal = read_metal_shares(&b.metal_content()).expect("metal");
    (policy, BundleReference::new(schedules, &metal))
}

fn entries() -> Vec<Entry> {
    let d = |s| parse_date(s).expect("date");
    let h = |s| HsCode::parse(s).expect("code");
    let mut car = Entry::new(
        Country::US,
        Country::CA,
        h("8703.23.01.60"),
        d("2025-09-01"),
        Decimal::from(40_000),
    );
    car.preference_claim = true;
    car.us_content = Some(Decimal::new(40, 2));
    vec![
        Entry::new(
            Country::US,
            Country::CA,
            h("7208.10.15.00"),
            d("2025-07-01"),
            Decimal::from(100_000),
        ),
        car,
        Entry::new(
            Country::CA,
            Country::US,
            h("7208.10.00"),
            d("2025-05-01"),
            Decimal::from(100_000),
        ),
        Entry::new(
            Country::US,
            Country::MX,
            h("9403.20.00.90"),
            d("2025-09-15"),
            Decimal::from(10_000),
        ),
    ]
}

#[divan::bench(args = [0, 1, 2, 3])]
fn assess_one(b: divan::Bencher, which: usize) {
    let (policy, reference) = setup();
    let e = entries()[which];
    b.bench_local(|| {
        let a = policy
            .assess(divan::black_box(&e), &reference)
            .expect("assess");
        divan::black_box(a.total)
    });
}
