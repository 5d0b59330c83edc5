//! The evaluation of one bill of materials of 200 components (the issue asks for at least
//! 50,000 evaluations a second).

use quid_roo::{evaluate, Bom, BomDraft, Rules};
use rust_decimal::Decimal;

fn main() {
    divan::main();
}

fn bom200() -> (Rules, Bom) {
    let rules = Rules::parse(
        include_str!("../../../data/roo/automotive.toml"),
        "automotive.toml",
    )
    .expect("bundled rules");
    let mut text = String::from(
        "name = \"bench\"\nclass = \"passenger\"\nassembly = \"MX\"\nnet_cost = 200000\n\
         transaction_value = 240000\nother_costs = 0\n\
         [labour]\nhigh_wage_spend = 60000\nwage_bill = 1000000\nhours = 50000\n\
         technology_credit = 0.1\nassembly_credit = 0.05\n\
         [metals]\nsteel = 3000\nsteel_north_american = 2400\naluminum = 1000\n\
         aluminum_north_american = 750\n",
    );
    let origins = ["US", "CA", "MX", "other"];
    for i in 0..200 {
        let origin = origins[i % 4];
        text.push_str(&format!(
            "[[component]]\nhs = \"8708.99\"\nvalue = 1000\norigin = \"{origin}\"\n\
             originating = {}\ncategory = \"{}\"\n",
            origin != "other",
            if i % 3 == 0 { "core" } else { "other" }
        ));
    }
    let bom = BomDraft::parse(&text, "bench")
        .and_then(|d| d.check(Decimal::new(5, 3)))
        .expect("bench bill");
    (rules, bom)
}

#[divan::bench]
fn evaluate_200_components(bencher: divan::Bencher) {
    let (rules, bom) = bom200();
    let date = quid_core::parse_date("2026-03-01").expect("date");
    bencher.bench(|| evaluate(divan::black_box(&rules), divan::black_box(&bom), date));
}
