//! Profiling aid: assesses one entry many times (run under `perf record`).
use quid_core::{parse_date, Country, HsCode};
use quid_data::params::read_metal_shares;
use quid_data::reference::BundleReference;
use quid_data::{Bundle, Schedules};
use quid_engine::Entry;
use rust_decimal::Decimal;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let b = Bundle::at(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
    let policy = quid_data::measures::load_policy(&b, false)?;
    let reference = BundleReference::new(
        Schedules::load_bundled(&b)?,
        &read_metal_shares(&b.metal_content())?,
    );
    let e = Entry::new(
        Country::US,
        std::env::var("ORIGIN").unwrap_or("CA".into()).parse()?,
        HsCode::parse(&std::env::var("HS").unwrap_or("7208.10.15.00".into()))?,
        parse_date(&std::env::var("DATE").unwrap_or("2025-07-01".into()))?,
        Decimal::from(100_000),
    );
    let n = 2_000_000;
    let t = std::time::Instant::now();
    let mut total = Decimal::ZERO;
    for _ in 0..n {
        total += policy.assess(std::hint::black_box(&e), &reference)?.total;
    }
    eprintln!(
        "{:.0} ns per assessment (total {total})",
        t.elapsed().as_nanos() as f64 / n as f64
    );
    Ok(())
}
