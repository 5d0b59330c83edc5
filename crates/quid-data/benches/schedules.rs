//! Loading the bundled schedules (both HTS editions and the CBSA sample) and looking up a line.

use quid_core::HsCode;
use quid_data::{Bundle, Schedules};

fn main() {
    divan::main();
}

fn bundle() -> Bundle {
    Bundle::at(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"))
}

#[divan::bench(sample_count = 10)]
fn load_bundled_schedules() -> Schedules {
    Schedules::load_bundled(&bundle()).expect("bundled schedules load")
}

#[divan::bench]
fn lookup_hs10(b: divan::Bencher) {
    let s = Schedules::load_bundled(&bundle()).expect("bundled schedules load");
    let sched = &s.us[1];
    let codes: Vec<HsCode> = sched.lines().iter().step_by(97).map(|l| l.code).collect();
    let mut i = 0;
    b.bench_local(|| {
        i = (i + 1) % codes.len();
        divan::black_box(sched.get(divan::black_box(&codes[i])).is_some())
    });
}
