//! Issue 12, item 5: one line whose amounts a Parquet output cannot hold aborted the whole
//! output (a file with no footer, every good line lost). Such a line is now rejected with its
//! reason and the batch goes on; a table with a bad cell leaves no file at all.

use quid_core::rate::RateExpr;
use quid_core::HsCode;
use quid_data::batch::{run, run_with, Options};
use quid_data::parquet_io::{csv_to_parquet, max_money, parquet_to_csv};
use quid_engine::{Authority, BaseBasis, BaseRate, BaseRateError, Entry, Law, MeasureFile};
use quid_engine::{MetalShare, Policy, Reference};
use rust_decimal::Decimal;

/// Free base rates on every line.
struct Flat(RateExpr, Law);

impl Reference for Flat {
    fn base_rate(&self, e: &Entry) -> Result<BaseRate<'_>, BaseRateError> {
        let basis = BaseBasis::Schedule {
            column: "column 1",
            edition: "a test",
            stated_on: e.hs,
            stand_in: false,
        };
        Ok(BaseRate {
            rate: Some(&self.0),
            authority: Authority::MFN,
            line: e.hs,
            text: "Free",
            basis,
            citation: None,
        })
    }
    fn metal_share(&self, _: &HsCode) -> Option<MetalShare> {
        None
    }
    fn law(&self) -> &Law {
        &self.1
    }
}

/// One measure: $20/kg on goods of Canada from 2025-03-04.
fn engine() -> (Policy, Flat) {
    let file: MeasureFile = toml::from_str(
        r#"
        [[measure]]
        id = "TEST-1"
        title = "A specific duty"
        importer = "US"
        origins = ["CA"]
        authority = "ieepa-ca"
        heading = "9903.01.10"
        instrument = "a test"
        status = "in_force"
        confidence = "H"
        from = "2025-03-04"
        rate = "$20/kg"
        base = "full_value"
        scope = { include = ["*"] }
        citations = [{ title = "a test" }]
    "#,
    )
    .expect("measure");
    let no_lists = |name: &str| Err(format!("no list {name}"));
    let policy = Policy::compile(&[("t.toml".into(), file)], &no_lists, false).expect("policy");
    let law: Law = toml::from_str(include_str!("../../../data/params/law.toml")).expect("law");
    (policy, Flat("Free".parse().expect("rate"), law))
}

// 10 kg owe $200; 10^15 kg (the largest quantity) owe 2 * 10^16, above DECIMAL(18,2)'s
// 9999999999999999.99.
const INPUT: &str = "id,importer,origin,hts,date,value,quantity,unit
a,US,CA,0101.30.00.00,2025-07-01,1000,10,kg
huge,US,CA,0101.30.00.00,2025-07-01,1000,1000000000000000,kg
b,US,CA,0101.30.00.00,2025-07-01,1000,10,kg
";

#[test]
fn issue12_a_line_parquet_cannot_hold_is_rejected_and_the_batch_goes_on() {
    let (policy, reference) = engine();
    let opts = Options {
        max_amount: Some(max_money()),
        ..Options::default()
    };
    let (mut out, mut rej) = (Vec::new(), Vec::new());
    let sum = run_with(
        &policy,
        &reference,
        INPUT.as_bytes(),
        &mut out,
        &mut rej,
        &|_| {},
        &opts,
    )
    .expect("batch");
    assert_eq!((sum.records, sum.assessed, sum.rejected), (3, 2, 1));
    assert_eq!(sum.total_duty.usd, Decimal::from(400));
    let rej = String::from_utf8(rej).expect("utf8");
    assert_eq!(
        rej.lines().nth(1),
        Some(
            "3,additional 20000000000000000.00 is larger than the output can hold (max \
             9999999999999999.99); a CSV output holds it,huge,US,CA,0101.30.00.00,2025-07-01,\
             1000,1000000000000000,kg"
        )
    );
    // What was kept converts whole, footer and all, and reads back.
    let path = std::env::temp_dir().join(format!("quid-rows-{}.parquet", std::process::id()));
    let n = csv_to_parquet(&out, &path).expect("parquet");
    let back = String::from_utf8(parquet_to_csv(&path).expect("read back")).expect("utf8");
    let _ = std::fs::remove_file(&path);
    assert_eq!(n, 2);
    let ids: Vec<&str> = back.lines().skip(1).map(|l| &l[..4]).collect();
    assert_eq!(ids, ["2,a,", "4,b,"]);

    // Without the limit (a CSV output) the line is assessed: 20 * 10^15 + 2 * 200.
    let (mut out, mut rej) = (Vec::new(), Vec::new());
    let sum = run(
        &policy,
        &reference,
        INPUT.as_bytes(),
        &mut out,
        &mut rej,
        &|_| {},
    )
    .expect("batch");
    assert_eq!((sum.assessed, sum.rejected), (3, 0));
    assert_eq!(sum.total_duty.usd, Decimal::from(20_000_000_000_000_400i64));
}

#[test]
fn issue12_a_table_with_an_amount_too_large_leaves_no_file() {
    let path = std::env::temp_dir().join(format!("quid-rows-bad-{}.parquet", std::process::id()));
    let csv = "line,total\n2,1.00\n3,10000000000000000.00\n";
    let err = csv_to_parquet(csv.as_bytes(), &path).expect_err("too large");
    assert_eq!(
        err.to_string(),
        format!(
            "{}: row 2, column total: not an amount that DECIMAL(18,2) holds (at most \
             9999999999999999.99)",
            path.display()
        )
    );
    assert!(!path.exists());
    // The largest amount it holds, and its negative, go through.
    let csv = "line,total\n2,9999999999999999.99\n3,-9999999999999999.99\n";
    assert_eq!(csv_to_parquet(csv.as_bytes(), &path).expect("fits"), 2);
    let back = String::from_utf8(parquet_to_csv(&path).expect("read")).expect("utf8");
    let _ = std::fs::remove_file(&path);
    assert_eq!(
        back,
        "line,total\n2,9999999999999999.99\n3,-9999999999999999.99\n"
    );
}
