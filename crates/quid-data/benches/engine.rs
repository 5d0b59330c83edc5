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

/// CSV to CSV: 1,000,000 entry lines (a mix of US and Canadian entries over 2025-2026) assessed
/// on all cores, output to memory. Throughput in lines per second.
#[divan::bench(sample_count = 5)]
fn batch_csv_to_csv(b: divan::Bencher) {
    let rows = [
        "US,CA,7208.10.15.00,2025-07-01,100000,,,false",
        "US,CA,8703.23.01.60,2025-09-01,40000,1,each,true",
        "US,MX,9403.20.00.90,2025-09-15,10000,,,false",
        "CA,US,7208.10.00,2025-05-01,100000,,,false",
        "US,CA,3920.10.00.00,2026-03-02,5000,,,false",
        "US,CA,4407.11.00.10,2025-10-20,20000,,,true",
        "US,CA,7601.10.30.00,2026-04-10,50000,,,true",
        "US,MX,8708.40.11.10,2025-06-10,12000,,,false",
    ];
    let n = 1_000_000;
    let mut text = String::from("importer,origin,hts,date,value,quantity,unit,usmca\n");
    for i in 0..n {
        text.push_str(rows[i % rows.len()]);
        text.push('\n');
    }
    bench_batch(b, &text, n, |sum| assert_eq!(sum.rejected, 0));
}

/// Runs the batch on `text` (`n` lines) as one timed iteration, output to memory.
fn bench_batch(
    b: divan::Bencher,
    text: &str,
    n: usize,
    check: impl Fn(&quid_data::batch::BatchSummary) + Sync,
) {
    let (policy, reference) = setup();
    // One output buffer reused across iterations (the batch recycles its own block buffers the
    // same way): a fresh 150 MB allocation per iteration would add the kernel's zeroing of its
    // pages to every sample.
    let mut out = Vec::with_capacity(n * 160);
    b.counter(divan::counter::ItemsCount::new(n))
        .bench_local(|| {
            out.clear();
            let sum = quid_data::batch::run(
                &policy,
                &reference,
                text.as_bytes(),
                &mut out,
                std::io::sink(),
                &|_| {},
            )
            .expect("batch");
            check(&sum);
            out.len()
        });
}

/// The same on varied input: 1,000,000 lines cycling through every classification line of the
/// 2026 HTS (rev 10) for goods of Canada and Mexico, over 16 dates across 2025-2026, a third
/// with a USMCA claim, values from 1 to 1 million. Nothing repeats within 19,000 lines, so
/// schedule and measure lookups are not served from a warm cache.
#[divan::bench(sample_count = 5)]
fn batch_csv_to_csv_varied(b: divan::Bencher) {
    let schedules = Schedules::load_bundled(&bundle()).expect("schedules");
    let codes: Vec<String> = schedules
        .us
        .last()
        .expect("2026 edition")
        .lines()
        .iter()
        .filter(|l| l.code.level() == 10)
        .map(|l| l.code.dotted())
        .collect();
    let dates = [
        "2025-01-15",
        "2025-02-04",
        "2025-03-05",
        "2025-03-10",
        "2025-04-10",
        "2025-05-01",
        "2025-06-10",
        "2025-07-01",
        "2025-08-20",
        "2025-09-01",
        "2025-10-20",
        "2026-01-10",
        "2026-02-25",
        "2026-03-02",
        "2026-06-09",
        "2026-09-20",
    ];
    let n = 1_000_000;
    let mut text = String::from("id,importer,origin,hts,date,value,usmca\n");
    for i in 0..n {
        let origin = if i % 2 == 0 { "CA" } else { "MX" };
        let code = &codes[(i * 7919) % codes.len()];
        let date = dates[(i / 3) % dates.len()];
        let value = 1 + (i * 104_729) % 1_000_000;
        let usmca = i % 3 == 0;
        text.push_str(&format!("e{i},US,{origin},{code},{date},{value},{usmca}\n"));
    }
    bench_batch(b, &text, n, |sum| assert_eq!(sum.records, n as u64));
}
