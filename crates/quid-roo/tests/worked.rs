//! Worked examples of the formulas of the Automotive Appendix and the USMCA, with their
//! sources, and every bad-input error.
//!
//! - Net cost method: RVC = (NC - VNM) / NC x 100 (USMCA Art. 4.5.3; Uniform Regulations,
//!   19 CFR 182 App. A, s. 7; CBP, USMCA Interim Implementing Instructions, "Regional Value
//!   Content (RVC) Calculation Methods").
//! - Labour value content: high-wage material and manufacturing expenditures as a share of net
//!   cost, counted at plants paying an average base wage of at least US$16 an hour, plus the
//!   technology credit (up to 10 points) and the assembly credit (up to 5 points) (Automotive
//!   Appendix Art. 7; 29 CFR 810; CBP's USMCA automotive guidance).
//!   The average hourly base wage is "the total base wages paid for all hours worked in direct
//!   production at a plant or facility" divided by "the total number of hours worked in direct
//!   production at that plant or facility", and "must be at least US$16 per hour" (29 CFR
//!   810.105(a), DOL Wage and Hour Division, 85 FR 39782, FR Doc. 2020-14014).
//! - Core parts (Uniform Regulations s. 14(13), SOR/2020-155): 66/69/72/75% under the net cost
//!   method or 76/79/82/85% under the transaction value method, from 2020-07-01, 2021-07-01,
//!   2022-07-01 and 2023-07-01; s. 14(10), (12): the super-core, the core parts as one part.
//! - Steel and aluminum: at least 70% of the producer's purchases originating (Art. 6.1).
//!
//! The figures are constructed for hand checking from those texts; the regulations' own
//! numbered examples were not available to copy here.

use quid_core::parse_date;
use quid_roo::{evaluate, BomDraft, RooError, Rules, Verdict};
use rust_decimal::Decimal;

fn rules() -> Rules {
    Rules::parse(
        include_str!("../../../data/roo/automotive.toml"),
        "automotive.toml",
    )
    .unwrap()
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

const TOL: Decimal = Decimal::from_parts(5, 0, 0, false, 3);

/// A passenger car with net cost 10000: components and the sections given as TOML.
fn bom(components: &str, extra: &str) -> String {
    format!(
        "name = \"t\"\nclass = \"passenger\"\nassembly = \"CA\"\nnet_cost = 10000\n\
         transaction_value = 12000\nother_costs = 2000\n{extra}\n{components}"
    )
}

fn comp(hs: &str, value: &str, origin: &str, originating: bool, category: &str) -> String {
    format!(
        "[[component]]\nhs = \"{hs}\"\nvalue = {value}\norigin = \"{origin}\"\n\
         originating = {originating}\ncategory = \"{category}\"\n"
    )
}

const LABOUR: &str = "[labour]\nhigh_wage_spend = 2500\nwage_bill = 320000\nhours = 20000\n\
                      technology_credit = 0.10\nassembly_credit = 0.05\n\
                      [metals]\nsteel = 1000\nsteel_north_american = 700\n\
                      aluminum = 400\naluminum_north_american = 279\n";

#[test]
fn rvc_net_cost_formula() {
    // NC 10000; non-originating 2400 (other) -> RVC = (10000 - 2400) / 10000 = 76%.
    // On 2023-07-01 the threshold is 75%: margin 1 point. On 2023-06-30 it was 72%: 4 points.
    let text = bom(
        &[
            comp("8407.34", "5600", "US", true, "core"),
            comp("8708.70", "2400", "other", false, "principal"),
        ]
        .concat(),
        LABOUR,
    );
    let b = BomDraft::parse(&text, "t").unwrap().check(TOL).unwrap();
    let r = evaluate(&rules(), &b, parse_date("2023-07-01").unwrap()).unwrap();
    assert_eq!(r.tests[0].value, Some(d("0.76")));
    assert_eq!(r.tests[0].margin, Some(d("0.01")));
    let r = evaluate(&rules(), &b, parse_date("2023-06-30").unwrap()).unwrap();
    assert_eq!(r.tests[0].threshold, d("0.72"));
    assert_eq!(r.tests[0].margin, Some(d("0.04")));
}

#[test]
fn lvc_counts_high_wage_spend_and_caps_credits() {
    // Average wage 320000 / 20000 = US$16.00: exactly the high-wage rate, so it counts.
    // 2500 / 10000 = 25 points + technology 10 + assembly 5 = 40%: meets 40% (margin 0) on
    // 2023-07-01; the minimum of 25 points from material and manufacturing is met exactly.
    let text = bom(&comp("8407.34", "8000", "US", true, "core"), LABOUR);
    let b = BomDraft::parse(&text, "t").unwrap().check(TOL).unwrap();
    let r = evaluate(&rules(), &b, parse_date("2023-07-01").unwrap()).unwrap();
    let lvc = &r.tests[3];
    assert_eq!(lvc.name, "labour value content");
    assert_eq!(lvc.value, Some(d("0.4")));
    assert_eq!(lvc.margin, Some(d("0")));
    assert_eq!(lvc.passed, Some(true));
    // Claiming 15 technology points still counts 10 (the cap): the value does not change.
    let more = text.replace("technology_credit = 0.10", "technology_credit = 0.15");
    let b = BomDraft::parse(&more, "t").unwrap().check(TOL).unwrap();
    let r2 = evaluate(&rules(), &b, parse_date("2023-07-01").unwrap()).unwrap();
    assert_eq!(r2.tests[3].value, Some(d("0.4")));
    // At an average of US$15.99 (319800 / 20000) the 25 points do not count: 15% only.
    let low = text.replace("wage_bill = 320000", "wage_bill = 319800");
    let b = BomDraft::parse(&low, "t").unwrap().check(TOL).unwrap();
    let r3 = evaluate(&rules(), &b, parse_date("2023-07-01").unwrap()).unwrap();
    assert_eq!(r3.tests[3].value, Some(d("0.15")));
    assert_eq!(r3.tests[3].margin, Some(d("-0.25")));
    assert_eq!(r3.verdict, Verdict::DoesNotQualify);
}

#[test]
fn steel_and_aluminum_seventy_percent() {
    // Steel 700 / 1000 = 70%: passes with margin 0. Aluminum 279 / 400 = 69.75%: fails by 0.25
    // points.
    let text = bom(&comp("8407.34", "8000", "US", true, "core"), LABOUR);
    let b = BomDraft::parse(&text, "t").unwrap().check(TOL).unwrap();
    let r = evaluate(&rules(), &b, parse_date("2024-01-01").unwrap()).unwrap();
    let steel = &r.tests[5];
    let alu = &r.tests[6];
    assert_eq!((steel.value, steel.passed), (Some(d("0.7")), Some(true)));
    assert_eq!(alu.value, Some(d("0.6975")));
    assert_eq!(alu.margin, Some(d("-0.0025")));
    assert_eq!(alu.passed, Some(false));
}

/// A core part with its own RVC (Uniform Regulations s. 14(13)): 75% under the net cost
/// method or 85% under the transaction value method from 2023-07-01; 72% or 82% from
/// 2022-07-01. NC 10000: engine 3000 (US, RVC 80% net cost), transmission 2000 (MX, RVC 86%
/// transaction value), body 2000 (CA, originating, no RVC given: 100%), other 1000 (US); other
/// costs 2000.
fn core_bom(transmission_rvc: &str) -> quid_roo::Bom {
    let text = bom(
        &[
            comp("8407.34", "3000", "US", true, "core") + "rvc = 0.80\n",
            comp("8708.40", "2000", "MX", true, "core")
                + &format!("rvc = {transmission_rvc}\nrvc_method = \"transaction_value\"\n"),
            comp("8708.29", "2000", "CA", true, "core"),
            comp("8708.99", "1000", "US", true, "other"),
        ]
        .concat(),
        // Aluminum 280 / 400 = 70%: every test but the core parts passes.
        &LABOUR.replace(
            "aluminum_north_american = 279",
            "aluminum_north_american = 280",
        ),
    );
    BomDraft::parse(&text, "t").unwrap().check(TOL).unwrap()
}

#[test]
fn core_part_rvc_by_its_method_and_date() {
    // 2026-03-01: engine 0.80 - 0.75 = 0.05; transmission 0.86 - 0.85 = 0.01 (transaction
    // value); body 1 - 0.75 = 0.25. Every part meets its threshold; the lowest margin is the
    // transmission's. The super-core is a net cost average: not available with a TV part.
    let b = core_bom("0.86");
    let r = evaluate(&rules(), &b, parse_date("2026-03-01").unwrap()).unwrap();
    let each = &r.tests[1];
    assert_eq!(each.name, "core parts: each part");
    assert_eq!(each.value, Some(d("0.86")));
    assert_eq!(each.threshold, d("0.85"));
    assert_eq!(each.margin, Some(d("0.01")));
    assert_eq!(each.passed, Some(true));
    assert_eq!(each.parameter, "core.rvc_transaction_value");
    let sup = &r.tests[2];
    assert_eq!(sup.name, "core parts: super-core average");
    assert_eq!((sup.value, sup.passed), (None, None));
    assert_eq!(r.verdict, Verdict::Qualifies);
    // 2022-07-01: 82% for the transaction value method, 72% for net cost: the transmission's
    // margin is 0.86 - 0.82 = 0.04, still the lowest (engine 0.08, body 0.28).
    let r = evaluate(&rules(), &b, parse_date("2022-07-01").unwrap()).unwrap();
    assert_eq!(r.tests[1].threshold, d("0.82"));
    assert_eq!(r.tests[1].margin, Some(d("0.04")));
}

#[test]
fn core_part_below_its_threshold_is_not_originating_anywhere() {
    // Transmission RVC 84% against 85% on 2026-03-01: the each-part method fails by one point;
    // the super-core is not available (a TV part), so the requirement stays open and the
    // verdict is undetermined, never a pass. The transmission is declared originating but
    // counts as non-originating in the vehicle RVC: (10000 - 2000) / 10000 = 80% instead of
    // 100%, and in the content shares: US 3000 + 1000 = 4000 / 12000 = 33.3333%, CA/MX only
    // the body 2000 / 12000 = 16.6667%.
    let b = core_bom("0.84");
    let r = evaluate(&rules(), &b, parse_date("2026-03-01").unwrap()).unwrap();
    assert_eq!(r.tests[1].margin, Some(d("-0.01")));
    assert_eq!(r.tests[1].passed, Some(false));
    assert_eq!(r.requirement_met(&r.tests[1]), None);
    assert_eq!(r.verdict, Verdict::Undetermined);
    assert_eq!(r.tests[0].value, Some(d("0.8")));
    assert_eq!(r.us_content_share, d("0.333333"));
    assert_eq!(r.ca_mx_content_share, d("0.166667"));
    assert!(
        r.notes.iter().any(
            |n| n.contains("component 2 (8708.40): declared originating")
                && n.contains("counted as non-originating")
        ),
        "{:?}",
        r.notes
    );
}

#[test]
fn super_core_averages_the_core_parts_by_value() {
    // All net cost: engine 4000 at 70%, transmission 2000 at 95%, body 2000 declared
    // originating (100%). Each part: the engine fails (0.70 - 0.75 = -0.05). Super-core:
    // (0.70 x 4000 + 0.95 x 2000 + 1 x 2000) / 8000 = 6700 / 8000 = 83.75%: meets 75% by
    // 8.75 points, so the core-parts requirement is met and nothing is listed as failed.
    let text = bom(
        &[
            comp("8407.34", "4000", "US", true, "core") + "rvc = 0.70\n",
            comp("8708.40", "2000", "MX", true, "core") + "rvc = 0.95\n",
            comp("8708.29", "2000", "CA", true, "core"),
        ]
        .concat(),
        LABOUR,
    );
    let b = BomDraft::parse(&text, "t").unwrap().check(TOL).unwrap();
    let r = evaluate(&rules(), &b, parse_date("2026-03-01").unwrap()).unwrap();
    assert_eq!(r.tests[1].value, Some(d("0.7")));
    assert_eq!(r.tests[1].passed, Some(false));
    assert_eq!(r.tests[2].value, Some(d("0.8375")));
    assert_eq!(r.tests[2].margin, Some(d("0.0875")));
    assert_eq!(r.tests[2].passed, Some(true));
    assert_eq!(r.requirement_met(&r.tests[1]), Some(true));
    assert!(r.failed().all(|t| !t.name.starts_with("core parts")));
    // The engine itself stays non-originating (70% < 75%) in the vehicle RVC:
    // (10000 - 4000) / 10000 = 60%.
    assert_eq!(r.tests[0].value, Some(d("0.6")));
}

#[test]
fn part_rvc_bad_input() {
    let one = |extra: &str, category: &str| {
        let text = bom(
            &(comp("8407.34", "8000", "US", true, category) + extra),
            LABOUR,
        );
        BomDraft::parse(&text, "t")
            .unwrap()
            .check(TOL)
            .unwrap_err()
            .to_string()
    };
    let e = one("rvc = 0.8\n", "principal");
    assert!(
        e.contains("component 1 (HS 8407.34): rvc is read only for core parts"),
        "{e}"
    );
    let e = one("rvc = 1.2\n", "core");
    assert!(e.contains("rvc 1.2 is not a share between 0 and 1"), "{e}");
    let e = one("rvc = 0.8\nrvc_method = \"build_up\"\n", "core");
    assert!(
        e.contains("rvc_method \"build_up\" is not net_cost or transaction_value"),
        "{e}"
    );
    let e = one("rvc_method = \"net_cost\"\n", "core");
    assert!(e.contains("rvc_method is given without an rvc"), "{e}");
}

#[test]
fn scenario_parameter_change() {
    // lvc.passenger raised to 50% from 2027-01-01: the 40% bill passes before, fails after.
    let mut rules = rules();
    rules
        .set(
            "lvc.passenger",
            parse_date("2027-01-01").unwrap(),
            d("0.50"),
        )
        .unwrap();
    assert_eq!(
        rules.value("lvc.passenger", parse_date("2026-12-31").unwrap()),
        Some(d("0.40"))
    );
    assert_eq!(
        rules.value("lvc.passenger", parse_date("2027-01-01").unwrap()),
        Some(d("0.50"))
    );
    let e = rules
        .set("lvc.bicycle", parse_date("2027-01-01").unwrap(), d("0.5"))
        .unwrap_err();
    assert!(
        e.to_string().contains("lvc.bicycle: no such parameter"),
        "{e}"
    );
}

fn err(text: &str) -> RooError {
    match BomDraft::parse(text, "t") {
        Err(e) => e,
        Ok(b) => b.check(TOL).unwrap_err(),
    }
}

#[test]
fn bad_input_names_the_component() {
    let ok = comp("8407.34", "8000", "US", true, "core");
    // Negative value.
    let e = err(&bom(
        &[comp("8708.70", "-5", "US", true, "other"), ok.clone()].concat(),
        "",
    ));
    assert_eq!(
        e.to_string(),
        "bill of materials: component 1 (HS 8708.70): value -5 is negative"
    );
    // Unknown region.
    let e = err(&bom(
        &[ok.clone(), comp("8708.70", "0", "JP", false, "other")].concat(),
        "",
    ));
    assert_eq!(
        e.to_string(),
        "bill of materials: component 2 (HS 8708.70): origin \"JP\" is not a known region (US, CA, MX or other)"
    );
    // Originating from outside the territories.
    let e = err(&bom(
        &[ok.clone(), comp("8708.70", "0", "other", true, "other")].concat(),
        "",
    ));
    assert!(
        e.to_string()
            .contains("component 2 (HS 8708.70): a component produced outside"),
        "{e}"
    );
    // Unknown category; bad HS code.
    let e = err(&bom(
        &[ok.clone(), comp("8708.70", "0", "US", true, "super")].concat(),
        "",
    ));
    assert!(e.to_string().contains("category \"super\""), "{e}");
    let e = err(&bom(
        &[ok.clone(), comp("87X8", "0", "US", true, "other")].concat(),
        "",
    ));
    assert!(
        e.to_string().contains("component 2 (HS 87X8): HS code"),
        "{e}"
    );
}

#[test]
fn sums_must_match_within_half_a_percent() {
    // 8000 + other 2000 = 10000 = NC. Tolerance 0.5% of 10000 = 50: 8050 passes, 8051 fails
    // and names component 1, where the running sum first exceeds the net cost plus 50.
    let at = |v: &str| err(&bom(&comp("8407.34", v, "US", true, "core"), ""));
    assert!(
        BomDraft::parse(&bom(&comp("8407.34", "8050", "US", true, "core"), ""), "t")
            .unwrap()
            .check(TOL)
            .is_ok()
    );
    let e = at("8051");
    assert_eq!(
        e.to_string(),
        "bill of materials: components 8051 + other costs 2000 = 10051, but net cost is 10000 \
         (tolerance 0.005 of net cost); the running sum first exceeds the net cost at component 1 \
         (HS 8407.34)"
    );
    // 7000 + 2000 = 9000: 1000 short, and the bill is not marked partial.
    let e = at("7000");
    assert!(
        e.to_string().ends_with(
            "; 1000 short: list the missing components or mark the bill `partial = true`"
        ),
        "{e}"
    );
}

#[test]
fn partial_bill_is_undetermined_never_guessed() {
    // Listed 6000 + other 2000 of NC 10000, partial: the RVC of the listed part is
    // (10000 - 0) / 10000 = 100%, only an upper bound: undetermined, not a pass.
    // (Aluminum 280 / 400 = 70% so that the metals pass.)
    let text = bom(&comp("8407.34", "6000", "US", true, "core"), LABOUR)
        .replace("other_costs = 2000", "other_costs = 2000\npartial = true")
        .replace(
            "aluminum_north_american = 279",
            "aluminum_north_american = 280",
        );
    let b = BomDraft::parse(&text, "t").unwrap().check(TOL).unwrap();
    let r = evaluate(&rules(), &b, parse_date("2024-01-01").unwrap()).unwrap();
    assert!(r.partial);
    assert_eq!(r.tests[0].passed, None);
    assert_eq!(r.verdict, Verdict::Undetermined);
    assert!(!r.qualifies);
    // But a partial bill can still fail for sure: 3000 listed non-originating -> at most 70%.
    let text = bom(&comp("8407.34", "3000", "other", false, "core"), LABOUR)
        .replace("other_costs = 2000", "other_costs = 2000\npartial = true");
    let b = BomDraft::parse(&text, "t").unwrap().check(TOL).unwrap();
    let r = evaluate(&rules(), &b, parse_date("2024-01-01").unwrap()).unwrap();
    assert_eq!(r.tests[0].value, Some(d("0.7")));
    assert_eq!(r.verdict, Verdict::DoesNotQualify);
}

#[test]
fn vehicle_fields_are_checked() {
    let e = err(&bom("", "").replace("assembly = \"CA\"", "assembly = \"JP\""));
    assert_eq!(
        e.to_string(),
        "bill of materials: field assembly: \"JP\" is not US, CA or MX"
    );
    let e = err(&bom("", "").replace("net_cost = 10000", "net_cost = -1"));
    assert!(
        e.to_string().contains("field net_cost: -1 is not positive"),
        "{e}"
    );
    let e = err(&bom("", "[metals]\nsteel = 10\nsteel_north_american = 11\naluminum = 0\naluminum_north_american = 0\n"));
    assert!(
        e.to_string()
            .contains("metals.steel_north_american: 11 is more than"),
        "{e}"
    );
    let e = err("name = 1");
    assert!(e.to_string().starts_with("bill of materials t:"), "{e}");
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Making a non-originating component originating (same value, a North American origin)
        /// never disqualifies a vehicle: RVC and core parts can only rise, the other tests do
        /// not depend on it.
        #[test]
        fn more_originating_never_disqualifies(
            values in proptest::collection::vec(1u32..5000, 1..30),
            flags in proptest::collection::vec(any::<bool>(), 30),
            cores in proptest::collection::vec(any::<bool>(), 30),
            pick in 0usize..30,
        ) {
            let total: u32 = values.iter().sum();
            let comps: String = values.iter().enumerate().map(|(i, v)| {
                let o = flags[i];
                comp("8708.99", &v.to_string(), if o { "US" } else { "other" }, o,
                     if cores[i] { "core" } else { "other" })
            }).collect();
            let head = format!(
                "name = \"p\"\nclass = \"passenger\"\nassembly = \"MX\"\nnet_cost = {}\n\
                 transaction_value = {}\nother_costs = 0\n{LABOUR}",
                total, total + 1000);
            let rules = rules();
            let on = parse_date("2025-01-01").unwrap();
            let before = BomDraft::parse(&format!("{head}{comps}"), "p").unwrap().check(TOL).unwrap();
            let mut after = before.clone();
            let i = pick % after.components.len();
            after.components[i].originating = true;
            after.components[i].origin = quid_roo::Region::CA;
            let b = evaluate(&rules, &before, on).unwrap();
            let a = evaluate(&rules, &after, on).unwrap();
            prop_assert!(!b.qualifies || a.qualifies);
            for (tb, ta) in b.tests.iter().zip(&a.tests) {
                prop_assert!(!(tb.passed == Some(true) && ta.passed == Some(false)), "{}", tb.name);
            }
        }
    }
}
