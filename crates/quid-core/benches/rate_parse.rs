//! Rate-expression parsing throughput on a mix of the HTS's most common rate forms.

use quid_core::rate::RateExpr;

fn main() {
    divan::main();
}

const MIX: [&str; 10] = [
    "6.5%",
    "Free",
    "2.4¢/kg + 5%",
    "$1.035/kg",
    "0.34¢/liter",
    "38.5¢/kg + 10.2%",
    "238 % but not less than 30.8 ¢ each",
    "The duty provided in the applicable subheading + 25%",
    "33 1/3%",
    "$2.70 each + 45% on the case + 35% on the battery",
];

/// Parses the ten strings of `MIX` once per iteration (divide the time by 10 per string).
#[divan::bench]
fn parse_mix_of_10(b: divan::Bencher) {
    b.bench(|| {
        for s in MIX {
            divan::black_box(RateExpr::parse(divan::black_box(s)).ok());
        }
    });
}

#[divan::bench]
fn parse_ad_valorem(b: divan::Bencher) {
    b.bench(|| RateExpr::parse(divan::black_box("6.5%")).ok());
}

/// Every rate string of the bundled 2025 HTS (general, special, column 2), in file order: the
/// real mix of forms. Reported time is for the whole corpus; see BENCHMARKS.md for strings/s.
#[divan::bench(sample_count = 20)]
fn parse_hts_2025_corpus(b: divan::Bencher) {
    let corpus = hts_corpus();
    b.counter(divan::counter::ItemsCount::new(corpus.len()))
        .bench(|| {
            for s in &corpus {
                divan::black_box(RateExpr::parse(s).ok());
            }
        });
}

fn hts_corpus() -> Vec<String> {
    use std::io::Read;
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/hts/hts_2025_basic.csv.gz"
    );
    let mut text = String::new();
    let file = std::fs::File::open(path).expect("bundled HTS present");
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .expect("gzip");
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let mut out = Vec::new();
    for rec in rdr.records().flatten() {
        for i in [4, 6] {
            if let Some(v) = rec.get(i) {
                if !v.is_empty() {
                    out.push(v.to_string());
                }
            }
        }
    }
    out
}
