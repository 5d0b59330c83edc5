//! Properties of `assess` on a small synthetic policy (no bundled data but the law parameters,
//! `data/params/law.toml`): duty is never negative, a measure outside its period never applies, raising the value never lowers the
//! duty, and the two sides of an `excludes` rule never both apply.

use proptest::prelude::*;
use quid_core::rate::RateExpr;
use quid_core::{parse_date, Country, Date, HsCode};
use quid_engine::assess::StandIn;
use quid_engine::{
    AssessError, BaseBasis, BaseRate, BaseRateError, Entry, Law, MeasureFile, MetalShare, Policy,
    Reference,
};
use rust_decimal::Decimal;

const MEASURES: &str = r#"
[[measure]]
id = "T-IEEPA"
title = "test IEEPA"
importer = "US"
origins = ["CA"]
authority = "ieepa-ca"
heading = "9903.01.10"
instrument = "test"
status = "in_force"
confidence = "H"
from = "2025-03-04"
until = "2026-02-24"
rate = "25%"
base = "full_value"
scope = { include = ["*"] }
conditions = { preference_claim = "absent" }
citations = [{ title = "test" }]

[[measure]]
id = "T-STEEL"
title = "test steel"
importer = "US"
origins = ["*"]
authority = "s232-steel"
heading = "9903.81.87"
instrument = "test"
status = "in_force"
confidence = "H"
from = "2025-03-12"
rate = "50%"
base = "steel_content"
scope = { include = ["72", "73"] }
citations = [{ title = "test" }]

[[measure]]
id = "T-AUTOS"
title = "test autos"
importer = "US"
origins = ["*"]
authority = "s232-autos"
heading = "9903.94.01"
instrument = "test"
status = "in_force"
confidence = "H"
from = "2025-04-03"
rate = "25%"
base = "non_us_content"
scope = { include = ["8703"] }
citations = [{ title = "test" }]

[[rule]]
id = "T-STACK-1"
importer = "US"
kind = "excludes"
winners = ["s232-autos"]
losers = ["ieepa-ca", "s232-steel"]
from = "2025-03-04"
instrument = "test"
citations = [{ title = "test" }]

[[rule]]
id = "T-STACK-2"
importer = "US"
kind = "excludes"
winners = ["ieepa-ca"]
losers = ["s232-steel"]
from = "2025-03-04"
until = "2025-06-04"
instrument = "test"
citations = [{ title = "test" }]

[[rule]]
id = "T-STACK-3"
importer = "US"
kind = "content_split"
winners = ["s232-steel"]
losers = ["ieepa-ca"]
from = "2025-06-04"
instrument = "test"
citations = [{ title = "test" }]
"#;

struct Fake {
    rate: RateExpr,
    law: Law,
}

impl Reference for Fake {
    fn base_rate(&self, entry: &Entry) -> Result<BaseRate<'_>, BaseRateError> {
        Ok(BaseRate {
            rate: Some(&self.rate),
            authority: quid_engine::Authority::MFN,
            line: entry.hs,
            text: "2.5%",
            basis: BaseBasis::Schedule {
                column: "test",
                edition: "test",
                stated_on: entry.hs,
                stand_in: false,
            },
            citation: None,
        })
    }
    fn metal_share(&self, _hs: &HsCode) -> Option<MetalShare> {
        Some(MetalShare {
            steel: Decimal::new(3, 1),
            aluminum: Decimal::new(1, 1),
            copper: Decimal::ZERO,
        })
    }
    fn law(&self) -> &Law {
        &self.law
    }
}

fn policy() -> Policy {
    let mf: MeasureFile = toml::from_str(MEASURES).expect("test measures parse");
    let no_lists = |r: &str| -> Result<Vec<HsCode>, String> { Err(format!("no list {r}")) };
    Policy::compile(&[("test".to_string(), mf)], &no_lists, false).expect("test measures compile")
}

fn fake() -> Fake {
    Fake {
        rate: RateExpr::parse("2.5%").expect("rate"),
        law: toml::from_str(include_str!("../../../data/params/law.toml")).expect("law parses"),
    }
}

fn arb_entry() -> impl Strategy<Value = Entry> {
    let codes = prop::sample::select(vec![
        "7208101500",
        "7308900000",
        "8703230190",
        "0101210010",
        "9403200000",
    ]);
    let origins = prop::sample::select(vec![Country::CA, Country::MX, Country::CN]);
    (
        codes,
        origins,
        0i32..700,
        0u64..10_000_000,
        any::<bool>(),
        prop::option::of(0u32..=100),
        prop::option::of(0u32..=100),
    )
        .prop_map(|(code, origin, day, cents, claim, steel_pct, us_pct)| {
            let date = parse_date("2025-01-01")
                .expect("date")
                .checked_add(jiff::Span::new().days(day))
                .expect("in range");
            let value = Decimal::new(cents as i64, 2);
            let mut e = Entry::new(
                Country::US,
                origin,
                HsCode::parse(code).expect("code"),
                date,
                value,
            );
            e.preference_claim = claim;
            e.steel_content = steel_pct.map(|p| value * Decimal::from(p) / Decimal::ONE_HUNDRED);
            e.us_content = us_pct.map(|p| Decimal::from(p) / Decimal::ONE_HUNDRED);
            e
        })
}

fn in_period(from: &str, until: Option<&str>, d: Date) -> bool {
    let f = parse_date(from).expect("date");
    d >= f && until.is_none_or(|u| d < parse_date(u).expect("date"))
}

proptest! {
    #[test]
    fn duty_is_never_negative(e in arb_entry()) {
        let (p, r) = (policy(), fake());
        let a = p.assess(&e, &r).expect("assess");
        prop_assert!(a.total >= Decimal::ZERO);
        for l in &a.layers {
            prop_assert!(l.amount >= Decimal::ZERO);
        }
    }

    #[test]
    fn a_measure_outside_its_period_never_applies(e in arb_entry()) {
        let (p, r) = (policy(), fake());
        let a = p.assess(&e, &r).expect("assess");
        for l in &a.layers {
            let ok = match l.measure() {
                "T-IEEPA" => in_period("2025-03-04", Some("2026-02-24"), e.date),
                "T-STEEL" => in_period("2025-03-12", None, e.date),
                "T-AUTOS" => in_period("2025-04-03", None, e.date),
                _ => false,
            };
            prop_assert!(ok, "{} applied on {}", l.measure(), e.date);
        }
    }

    #[test]
    fn raising_the_value_never_lowers_the_duty(e in arb_entry(), extra in 0u64..1_000_000) {
        let (p, r) = (policy(), fake());
        let a = p.assess(&e, &r).expect("assess");
        let mut bigger = e;
        bigger.value += Decimal::new(extra as i64, 2);
        let b = p.assess(&bigger, &r).expect("assess");
        prop_assert!(b.total >= a.total, "{} -> {}: {} -> {}", e.value, bigger.value, a.total, b.total);
    }

    #[test]
    fn excluded_layers_never_both_apply(e in arb_entry()) {
        let (p, r) = (policy(), fake());
        let a = p.assess(&e, &r).expect("assess");
        let has = |auth: &str| a.layers.iter().any(|l| l.authority() == auth && l.amount > Decimal::ZERO);
        if has("s232-autos") {
            prop_assert!(!has("ieepa-ca") && !has("s232-steel"));
        }
        if in_period("2025-03-04", Some("2025-06-04"), e.date) && has("ieepa-ca") {
            prop_assert!(!has("s232-steel"));
        }
    }
}

#[test]
fn content_split_charges_ieepa_on_the_rest() {
    let (p, r) = (policy(), fake());
    let mut e = Entry::new(
        Country::US,
        Country::CA,
        HsCode::parse("7308900000").expect("code"),
        parse_date("2025-07-01").expect("date"),
        Decimal::from(1000),
    );
    e.steel_content = Some(Decimal::from(400));
    let a = p.assess(&e, &r).expect("assess");
    let get = |auth: &str| {
        a.layers
            .iter()
            .find(|l| l.authority() == auth)
            .map(|l| (l.base, l.amount))
    };
    assert_eq!(
        get("s232-steel"),
        Some((Decimal::from(400), Decimal::from(200)))
    );
    assert_eq!(
        get("ieepa-ca"),
        Some((Decimal::from(600), Decimal::from(150)))
    );
    assert_eq!(a.total, Decimal::from(375)); // 25 MFN + 200 + 150
}

#[test]
fn precedence_is_reported_with_the_rule() {
    let (p, r) = (policy(), fake());
    let e = Entry::new(
        Country::US,
        Country::CA,
        HsCode::parse("7208101500").expect("code"),
        parse_date("2025-04-01").expect("date"),
        Decimal::from(1000),
    );
    let a = p.assess(&e, &r).expect("assess");
    let na = a
        .not_applied
        .iter()
        .find(|n| n.authority() == "s232-steel")
        .expect("steel listed");
    assert_eq!(na.rule().map(|r| r.id.as_str()), Some("T-STACK-2"));
    assert!(!na.rule_citations().is_empty());
}

#[test]
fn bad_measure_files_report_every_problem() {
    let bad = MEASURES
        .replace("rate = \"25%\"", "rate = \"25 percent per widget\"")
        .replace("authority = \"s232-steel\"", "authority = \"ust\"");
    let mf: MeasureFile = toml::from_str(&bad).expect("parses as TOML");
    let no_lists = |r: &str| -> Result<Vec<HsCode>, String> { Err(format!("no list {r}")) };
    let err =
        Policy::compile(&[("bad.toml".to_string(), mf)], &no_lists, false).expect_err("must fail");
    let text = err.to_string();
    assert!(text.contains("field rate"), "{text}");
    assert!(text.contains("ust is a base-duty programme"), "{text}");
    assert!(err.0.len() >= 3, "{text}");
}

#[test]
fn a_reference_names_a_record_by_id_family_or_dotted_prefix() {
    let mf: MeasureFile = toml::from_str(MEASURES).expect("test measures parse");
    let mut rec = mf.measure[0].clone();
    rec.id = "US-S232-SA-2.steel-articles".into();
    rec.family = Some("US-S232-SA".into());
    assert!(rec.is_named_by("US-S232-SA-2.steel-articles"));
    assert!(rec.is_named_by("US-S232-SA-2"));
    assert!(rec.is_named_by("US-S232-SA"));
    assert!(!rec.is_named_by("US-S232-SA-2.steel"));
    assert!(!rec.is_named_by("US-S232-S"));
}

fn us_entry(code: &str, date: &str, value: i64) -> Entry {
    Entry::new(
        Country::US,
        Country::CA,
        HsCode::parse(code).expect("code"),
        parse_date(date).expect("date"),
        Decimal::from(value),
    )
}

#[test]
fn undeclared_us_content_takes_the_law_s_default_share() {
    let (p, r) = (policy(), fake());
    let a = p
        .assess(&us_entry("8703230160", "2025-09-01", 1000), &r)
        .expect("assess");
    let autos = a
        .layers
        .iter()
        .find(|l| l.authority() == "s232-autos")
        .expect("autos layer");
    // 25% on 1000 less the default US content of 40%: 25% of 600.
    assert_eq!(
        (autos.base, autos.amount),
        (Decimal::from(600), Decimal::from(150))
    );
    assert_eq!(
        autos.stand_in,
        Some(StandIn::DefaultUsContent {
            share: Decimal::new(40, 2)
        })
    );
    // Declared, the share is the entry's: 25% of 1000 less 10%.
    let mut e = us_entry("8703230160", "2025-09-01", 1000);
    e.us_content = Some(Decimal::new(10, 2));
    let a = p.assess(&e, &r).expect("assess");
    let autos = a.layers.iter().find(|l| l.authority() == "s232-autos");
    assert_eq!(autos.map(|l| l.amount), Some(Decimal::new(225, 0)));
}

#[test]
fn a_default_share_before_its_first_value_is_an_error() {
    let (p, mut r) = (policy(), fake());
    let text = include_str!("../../../data/params/law.toml").replacen(
        "from = \"2025-04-03\"\nvalue = \"0.40\"",
        "from = \"2025-06-01\"\nvalue = \"0.40\"",
        1,
    );
    r.law = toml::from_str(&text).expect("law parses");
    let e = p
        .assess(&us_entry("8703230160", "2025-05-01", 1000), &r)
        .expect_err("no default yet");
    assert!(matches!(e, AssessError::Law(_)), "{e}");
    assert_eq!(
        e.to_string(),
        "the law parameter us.us_content_default has no value on 2025-05-01: its first value applies from 2025-06-01 (data/params/law.toml)"
    );
}

#[test]
fn the_canadian_vehicle_surtax_deducts_at_least_the_law_s_minimum() {
    let mf: MeasureFile = toml::from_str(
        r#"
[[measure]]
id = "T-CA-MV"
title = "test vehicle surtax"
importer = "CA"
origins = ["US"]
authority = "ca-surtax-motor-vehicles"
heading = "SOR/2025-118"
instrument = "test"
status = "in_force"
confidence = "H"
from = "2025-04-09"
rate = "25%"
base = "non_ca_mx_content"
scope = { include = ["8703"] }
citations = [{ title = "test" }]
"#,
    )
    .expect("parses");
    let no_lists = |r: &str| -> Result<Vec<HsCode>, String> { Err(format!("no list {r}")) };
    let p = Policy::compile(&[("t".to_string(), mf)], &no_lists, false).expect("compiles");
    let r = fake();
    let surtax = |content: Option<i64>| {
        let mut e = Entry::new(
            Country::CA,
            Country::US,
            HsCode::parse("87032300").expect("code"),
            parse_date("2025-05-01").expect("date"),
            Decimal::from(1000),
        );
        e.ca_mx_content = content.map(|c| Decimal::new(c, 2));
        let a = p.assess(&e, &r).expect("assess");
        let l = a.layers[0];
        (l.base, l.amount, l.stand_in.is_some())
    };
    // None declared, or less than 15%: 25% of 1000 less 15% = 25% of 850.
    assert_eq!(
        surtax(None),
        (Decimal::from(850), Decimal::new(21250, 2), true)
    );
    assert_eq!(
        surtax(Some(10)),
        (Decimal::from(850), Decimal::new(21250, 2), true)
    );
    // 30% declared: 25% of 700.
    assert_eq!(
        surtax(Some(30)),
        (Decimal::from(700), Decimal::from(175), false)
    );
}
