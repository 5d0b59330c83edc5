//! `assess` on a small synthetic policy, every figure and text worked by hand: what each layer
//! and each measure not applied reports (accessors, stand-ins and their sentences, reasons and
//! their sentences), the sums, the checks on an entry, and the conditions one at a time.
//!
//! The reference gives every line a 2% base rate and a steel share of 30% (none for chapter 73).

use quid_core::rate::RateExpr;
use quid_core::{parse_date, Country, HsCode, Quantity, Unit};
use quid_engine::measure::Base;
use quid_engine::{
    AssessError, Assessment, BaseBasis, BaseRate, Entry, MeasureFile, MetalShare, Policy, Reason,
    Reference,
};
use rust_decimal::Decimal;

const MEASURES: &str = r#"
[[measure]]
id = "T-IEEPA"
title = "test IEEPA Canada"
importer = "US"
origins = ["CA"]
authority = "ieepa-ca"
heading = "9903.01.10"
instrument = "test EO"
status = "struck_down"
confidence = "H"
from = "2025-03-04"
until = "2026-02-24"
rate = "25%"
base = "full_value"
scope = { include = ["*"], exclude = ["0101", "27"] }
conditions = { preference_claim = "absent" }
struck_down = { ruling = "2026-02-20", refundable = true, citation = { title = "test ruling" } }
citations = [{ title = "test EO 14193" }]

[[measure]]
id = "T-IEEPA-ENERGY"
title = "test IEEPA Canada, energy"
importer = "US"
origins = ["CA"]
authority = "ieepa-ca"
heading = "9903.01.13"
instrument = "test EO"
status = "struck_down"
confidence = "H"
from = "2025-03-04"
until = "2026-02-24"
rate = "10%"
base = "full_value"
scope = { include = ["27"] }
conditions = { preference_claim = "absent", energy = "present", energy_list = "energy" }
struck_down = { ruling = "2026-02-20", refundable = true, citation = { title = "test ruling" } }
citations = [{ title = "test EO 14193 sec. 2(b)" }]

[[measure]]
id = "T-IEEPA-ANNOUNCED"
title = "test IEEPA Canada plus 10"
importer = "US"
origins = ["CA"]
authority = "ieepa-ca"
heading = "none"
instrument = "test post"
status = "announced"
confidence = "M"
from = "2025-10-25"
rate = "10%"
base = "full_value"
scope = { include = ["*"] }
citations = [{ title = "test post" }]

[[measure]]
id = "T-IEEPA-MX"
title = "test IEEPA Mexico"
importer = "US"
origins = ["MX"]
authority = "ieepa-mx"
heading = "9903.01.01"
instrument = "test EO"
status = "struck_down"
confidence = "H"
from = "2025-03-04"
until = "2026-02-24"
rate = "25%"
base = "full_value"
scope = { include = ["*"] }
struck_down = { ruling = "2026-02-20", refundable = false, citation = { title = "test ruling" } }
citations = [{ title = "test EO 14194" }]

[[measure]]
id = "T-STEEL"
title = "test steel 232"
importer = "US"
origins = ["*"]
authority = "s232-steel"
heading = "9903.81.87"
instrument = "test proclamation"
status = "in_force"
confidence = "H"
from = "2025-03-12"
rate = "50%"
base = "steel_content"
scope = { include = ["72", "73", "94"] }
conditions = { us_melted = "absent" }
citations = [{ title = "test Proc. 10896" }]

[[measure]]
id = "T-ALU"
title = "test aluminum 232"
importer = "US"
origins = ["*"]
authority = "s232-aluminum"
heading = "9903.85.08"
instrument = "test proclamation"
status = "in_force"
confidence = "H"
from = "2025-03-12"
rate = "50%"
base = "aluminum_content"
scope = { include = ["9403"] }
citations = [{ title = "test Proc. 10895" }]

[[measure]]
id = "T-FURNITURE"
title = "test furniture 232, on full value"
importer = "US"
origins = ["*"]
authority = "s232-furniture"
heading = "9903.76.03"
instrument = "test proclamation"
status = "in_force"
confidence = "H"
from = "2025-06-04"
rate = "10%"
base = "full_value"
scope = { include = ["9403"] }
citations = [{ title = "test Proc. 10976" }]

[[measure]]
id = "T-AUTOS"
title = "test autos 232"
importer = "US"
origins = ["*"]
authority = "s232-autos"
heading = "9903.94.03 / 9903.94.02"
instrument = "test proclamation"
status = "in_force"
confidence = "H"
from = "2025-04-03"
rate = "25%"
base = "non_us_content"
scope = { include = ["8703"] }
citations = [{ title = "test Proc. 10908" }]

[[measure]]
id = "T-MHDV"
title = "test trucks 232 with a floor"
importer = "US"
origins = ["*"]
authority = "s232-mhdv"
heading = "9903.74.03"
instrument = "test proclamation"
status = "in_force"
confidence = "H"
from = "2025-11-01"
rate = "25%"
base = "non_us_content"
min_effective_percent = "15"
scope = { include = ["8704"] }
citations = [{ title = "test Proc. 10984" }]

[[measure]]
id = "T-SEMIS"
title = "test semiconductors 232"
importer = "US"
origins = ["*"]
authority = "s232-semis"
heading = "9903.79.01"
instrument = "test proclamation"
status = "in_force"
confidence = "M"
from = "2026-01-15"
rate = "25%"
base = "full_value"
scope = { include = ["8542"] }
conditions = { qualifying = "present" }
citations = [{ title = "test semis" }]

[[measure]]
id = "T-TRANSSHIPPED"
title = "test transshipment penalty"
importer = "US"
origins = ["CA"]
authority = "ieepa-ca"
heading = "9903.01.16"
instrument = "test EO"
status = "in_force"
confidence = "M"
from = "2025-08-01"
until = "2026-02-24"
rate = "40%"
base = "full_value"
scope = { include = ["61"] }
conditions = { transshipped = "present" }
citations = [{ title = "test EO 14325" }]

[[measure]]
id = "T-LUMBER"
title = "test lumber, per kilogram"
importer = "US"
origins = ["*"]
authority = "s232-lumber"
heading = "9903.76.01"
instrument = "test proclamation"
status = "in_force"
confidence = "H"
from = "2025-10-14"
rate = "10¢/kg"
base = "full_value"
scope = { include = ["4407"] }
citations = [{ title = "test Proc. 10976" }]

[[measure]]
id = "T-CA-MV"
title = "test Canadian vehicle surtax, CUSMA vehicles"
importer = "CA"
origins = ["US"]
authority = "ca-surtax-motor-vehicles"
heading = "SOR/2025-118, Schedules 1 and 2"
instrument = "test order"
status = "in_force"
confidence = "H"
from = "2025-04-09"
rate = "25%"
base = "non_ca_mx_content"
scope = { include = ["8703"] }
conditions = { preference_claim = "present" }
citations = [{ title = "test SOR/2025-118" }]

[[rule]]
id = "T-R1"
importer = "US"
kind = "excludes"
winners = ["s232-autos", "s232-mhdv"]
losers = ["ieepa-ca", "s232-steel"]
from = "2025-03-04"
instrument = "test EO 14289"
citations = [{ title = "test EO 14289 sec. 3" }]

[[rule]]
id = "T-R2"
importer = "US"
kind = "content_split"
winners = ["s232-steel"]
losers = ["ieepa-ca"]
from = "2025-06-04"
instrument = "test Proc. 10947"
citations = [{ title = "test Proc. 10947 clause 5" }]
"#;

/// 2% on every line except 0105.11 (a rate the data cannot give: unknown); steel share 30% and
/// aluminum 10% except chapter 73 (none known). Codes given at six digits
/// under 8471.30 are resolved to the line 8471.30.01.00; 8504.40 (a test of the guard) to the
/// unrelated line 8471.30.01.00.
struct Fake {
    rate: RateExpr,
    law: quid_engine::Law,
}

fn hs(s: &str) -> HsCode {
    HsCode::parse(s).expect("code")
}

impl Reference for Fake {
    fn base_rate(&self, entry: &Entry) -> Result<BaseRate<'_>, quid_engine::BaseRateError> {
        let line = if entry.hs == hs("8471.30") || entry.hs == hs("8504.40") {
            hs("8471.30.01.00")
        } else {
            entry.hs
        };
        Ok(BaseRate {
            rate: (entry.hs != hs("0105.11.00.00")).then_some(&self.rate),
            authority: quid_engine::Authority::MFN,
            line,
            text: "2%",
            basis: BaseBasis::Schedule {
                column: "test",
                edition: "test",
                stated_on: line,
                stand_in: false,
            },
            citation: None,
        })
    }
    fn law(&self) -> &quid_engine::Law {
        &self.law
    }
    fn metal_share(&self, hs: &HsCode) -> Option<MetalShare> {
        (hs.chapter() != 73).then(|| MetalShare {
            steel: Decimal::new(3, 1),
            aluminum: Decimal::new(1, 1),
            copper: Decimal::ZERO,
        })
    }
}

fn policy() -> Policy {
    let mf: MeasureFile = toml::from_str(MEASURES).expect("test measures parse");
    let lists = |r: &str| -> Result<Vec<HsCode>, String> {
        match r {
            "energy" => Ok(vec![hs("2709")]),
            _ => Err(format!("no list {r}")),
        }
    };
    Policy::compile(&[("test".to_string(), mf)], &lists, false).expect("test measures compile")
}

fn reference() -> Fake {
    Fake {
        rate: RateExpr::parse("2%").expect("rate"),
        law: toml::from_str(include_str!("../../../data/params/law.toml")).expect("law parses"),
    }
}

fn dec(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

fn entry(importer: Country, origin: Country, code: &str, date: &str, value: &str) -> Entry {
    Entry::new(
        importer,
        origin,
        hs(code),
        parse_date(date).expect("date"),
        dec(value),
    )
}

fn us_ca(code: &str, date: &str, value: &str) -> Entry {
    entry(Country::US, Country::CA, code, date, value)
}

/// (measure, base, amount, stand-in sentence) of every layer, in order.
fn layers(a: &Assessment<'_>) -> Vec<(String, Decimal, Decimal, Option<String>)> {
    a.layers
        .iter()
        .map(|l| {
            (
                l.measure().to_string(),
                l.base,
                l.amount,
                l.stand_in.map(|s| s.to_string()),
            )
        })
        .collect()
}

/// (measure, reason) of every measure not applied, in order.
fn not_applied(a: &Assessment<'_>) -> Vec<(String, Reason)> {
    a.not_applied
        .iter()
        .map(|n| (n.measure().to_string(), n.reason))
        .collect()
}

fn row(
    m: &str,
    base: &str,
    amount: &str,
    s: Option<&str>,
) -> (String, Decimal, Decimal, Option<String>) {
    (m.to_string(), dec(base), dec(amount), s.map(str::to_string))
}

/// A laptop from Canada on 2025-05-01, value 1000, no claim: MFN 2% = 20, IEEPA 25% = 250.
/// Every accessor of the IEEPA layer and the sums: total 270, additional 250, refundable 250
/// (the IEEPA duty was held unlawful and is refundable), owed after the ruling 270 - 250 = 20.
#[test]
fn a_struck_down_layer_reports_itself_and_the_sums() {
    let (p, r) = (policy(), reference());
    let a = p
        .assess(&us_ca("8471.30.01.00", "2025-05-01", "1000"), &r)
        .expect("assess");
    assert_eq!(layers(&a), vec![row("T-IEEPA", "1000", "250", None)]);
    let l = &a.layers[0];
    assert_eq!(l.authority(), "ieepa-ca");
    assert_eq!(l.heading(), "9903.01.10");
    assert_eq!(l.title(), "test IEEPA Canada");
    assert_eq!(l.rate(), "25%");
    assert_eq!(l.label(), "ieepa-ca 9903.01.10 25%");
    assert_eq!(l.base_kind(), Base::FullValue);
    assert_eq!(l.citations()[0].title, "test EO 14193");
    assert_eq!(l.struck_down(), Some(parse_date("2026-02-20").unwrap()));
    assert!(l.refundable());
    let b = a.base.as_ref().expect("base layer");
    assert_eq!(
        (b.authority.as_str(), b.rate, b.base, b.amount),
        ("mfn", "2%", dec("1000"), dec("20"))
    );
    assert!(a.base_rate_known());
    assert_eq!(a.total, dec("270"));
    assert_eq!(a.additional(), dec("250"));
    assert_eq!(a.refundable, dec("250"));
    assert_eq!(a.owed_after_ruling, Some(dec("20")));
    assert_eq!(not_applied(&a), vec![]);
}

/// The same laptop from Mexico: the IEEPA Mexico duty was struck down but is not refundable:
/// refundable 0, owed after the ruling the whole 270. An in-force layer is neither.
#[test]
fn struck_down_but_not_refundable_and_in_force_layers() {
    let (p, r) = (policy(), reference());
    let e = entry(
        Country::US,
        Country::MX,
        "8471.30.01.00",
        "2025-05-01",
        "1000",
    );
    let a = p.assess(&e, &r).expect("assess");
    assert_eq!(layers(&a), vec![row("T-IEEPA-MX", "1000", "250", None)]);
    assert_eq!(
        a.layers[0].struck_down(),
        Some(parse_date("2026-02-20").unwrap())
    );
    assert!(!a.layers[0].refundable());
    assert_eq!(a.refundable, dec("0"));
    assert_eq!(a.owed_after_ruling, Some(dec("270")));
    // Steel coil from Mexico, 2025-05-01, steel content declared 1000: steel 232 at 50% = 500
    // (in force, never struck down), IEEPA Mexico 250 (no rule between them in this policy).
    let mut e = entry(
        Country::US,
        Country::MX,
        "7208.10.15.00",
        "2025-05-01",
        "1000",
    );
    e.steel_content = Some(dec("1000"));
    let a = p.assess(&e, &r).expect("assess");
    let steel = a
        .layers
        .iter()
        .find(|l| l.measure() == "T-STEEL")
        .expect("steel");
    assert_eq!((steel.base, steel.amount), (dec("1000"), dec("500")));
    assert_eq!(steel.struck_down(), None);
    assert!(!steel.refundable());
    // 20 + 500 + 250 = 770, of which nothing is refundable.
    assert_eq!(a.total, dec("770"));
    assert_eq!(a.owed_after_ruling, Some(dec("770")));
}

/// An entry with no struck-down layer has no "owed after the ruling": steel coil from China.
#[test]
fn no_ruling_no_owed_after_ruling() {
    let (p, r) = (policy(), reference());
    let mut e = entry(
        Country::US,
        Country::CN,
        "7208.10.15.00",
        "2025-05-01",
        "1000",
    );
    e.steel_content = Some(dec("600"));
    let a = p.assess(&e, &r).expect("assess");
    // Steel 50% of the declared 600 = 300; total 20 + 300.
    assert_eq!(layers(&a), vec![row("T-STEEL", "600", "300", None)]);
    assert_eq!(a.total, dec("320"));
    assert_eq!(a.owed_after_ruling, None);
}

/// Stand-ins for metal content, and their sentences. Metal furniture (9403, shares 30% steel,
/// 10% aluminum), value 1000, no metal declared: steel on 300 = 150, aluminum on 100 = 50. A chapter 73 article with no share
/// known: base 0, steel 0. On 2025-05-01 both also pay IEEPA 250 (no content split before
/// 2025-06-04).
#[test]
fn metal_content_stand_ins() {
    let (p, r) = (policy(), reference());
    let a = p
        .assess(&us_ca("9403.20.00.90", "2025-05-01", "1000"), &r)
        .expect("assess");
    assert_eq!(
        layers(&a),
        vec![
            row("T-IEEPA", "1000", "250", None),
            row(
                "T-STEEL",
                "300",
                "150",
                Some("steel content not declared: stand-in 30.00% of value (BEA 2017 input-output metal share of the line)")
            ),
            row(
                "T-ALU",
                "100",
                "50",
                Some("aluminum content not declared: stand-in 10.00% of value (BEA 2017 input-output metal share of the line)")
            ),
        ]
    );
    let a = p
        .assess(&us_ca("7308.90.95.00", "2025-05-01", "1000"), &r)
        .expect("assess");
    assert_eq!(
        layers(&a),
        vec![
            row("T-IEEPA", "1000", "250", None),
            row(
                "T-STEEL",
                "0",
                "0",
                Some("steel content not declared and no stand-in share for the line: taken as 0")
            ),
        ]
    );
}

/// The content split from 2025-06-04: steel 232 on the declared steel content (400 of 1000,
/// 200), IEEPA on the rest (600, 150), with its sentence.
#[test]
fn content_split_sentence() {
    let (p, r) = (policy(), reference());
    let mut e = us_ca("7308.90.95.00", "2025-07-01", "1000");
    e.steel_content = Some(dec("400"));
    let a = p.assess(&e, &r).expect("assess");
    assert_eq!(
        layers(&a),
        vec![
            row(
                "T-IEEPA",
                "600",
                "150",
                Some("charged only on the value not already charged on its content by a prevailing measure (value less 400.00)")
            ),
            row("T-STEEL", "400", "200", None),
        ]
    );
    // The whole value in steel: nothing left for IEEPA, which gives way to the steel 232.
    e.steel_content = Some(dec("1000"));
    let a = p.assess(&e, &r).expect("assess");
    assert_eq!(layers(&a), vec![row("T-STEEL", "1000", "500", None)]);
    assert_eq!(
        not_applied(&a),
        vec![("T-IEEPA".into(), Reason::Precedence)]
    );
    assert_eq!(a.not_applied[0].prevailing, Some("T-STEEL"));
    assert_eq!(a.not_applied[0].rule().map(|r| r.id.as_str()), Some("T-R2"));
}

/// Only the winners' content is deducted, and only from the losers: metal furniture on
/// 2025-07-01, value 1000, steel 400 and aluminum 100 declared. The rule T-R2 makes the steel
/// 232 prevail over IEEPA, not the aluminum 232: IEEPA is charged on 1000 - 400 = 600 (150);
/// steel 50% of 400 = 200; aluminum 50% of 100 = 50; the furniture 232, on full value but not
/// a loser of the rule, 10% of 1000 = 100. Total 20 + 150 + 200 + 50 + 100 = 520.
#[test]
fn content_split_deducts_only_the_winners_content() {
    let (p, r) = (policy(), reference());
    let mut e = us_ca("9403.20.00.90", "2025-07-01", "1000");
    e.steel_content = Some(dec("400"));
    e.aluminum_content = Some(dec("100"));
    let a = p.assess(&e, &r).expect("assess");
    assert_eq!(
        layers(&a),
        vec![
            row(
                "T-IEEPA",
                "600",
                "150",
                Some("charged only on the value not already charged on its content by a prevailing measure (value less 400.00)")
            ),
            row("T-STEEL", "400", "200", None),
            row("T-ALU", "100", "50", None),
            row("T-FURNITURE", "1000", "100", None),
        ]
    );
    assert_eq!(a.total, dec("520"));
}

/// Non-US content and the minimum effective duty. Trucks, value 100000, 2025-11-01:
/// - no US content declared: the law file's default 40%, base 60000, 25% = 15000,
///   exactly the 15% floor (15000), so the floor does not set it: the stand-in is the default;
/// - US content 0.4 declared: the same 15000 and no stand-in (a floor equal to the amount is
///   not reported as setting it);
/// - US content 0.8: base 20000, 25% = 5000 < floor 15000: 15000, the floor's sentence.
#[test]
fn non_us_content_and_the_floor() {
    let (p, r) = (policy(), reference());
    // The law file's default US content on the date (data/params/law.toml).
    assert_eq!(
        r.law
            .us_content_default(parse_date("2025-11-01").unwrap())
            .unwrap(),
        dec("0.40")
    );
    let mut e = us_ca("8704.23.01.00", "2025-11-01", "100000");
    let a = p.assess(&e, &r).expect("assess");
    assert_eq!(
        layers(&a),
        vec![row(
            "T-MHDV",
            "60000",
            "15000",
            Some("US content not declared: default 40.00% (Budget Lab tariff-rate-tracker config/policy_params.yaml, us_auto_content_share)")
        )]
    );
    e.us_content = Some(dec("0.4"));
    let a = p.assess(&e, &r).expect("assess");
    assert_eq!(layers(&a), vec![row("T-MHDV", "60000", "15000", None)]);
    e.us_content = Some(dec("0.8"));
    let a = p.assess(&e, &r).expect("assess");
    assert_eq!(
        layers(&a),
        vec![row(
            "T-MHDV",
            "20000",
            "15000",
            Some("the minimum effective duty of 15% of value applies")
        )]
    );
    // The trucks 232 prevails over IEEPA Canada (T-R1): 2 000 MFN + 15 000. (The announced
    // IEEPA increase, from 2025-10-25, is listed first, as never collected.)
    assert_eq!(
        not_applied(&a),
        vec![
            ("T-IEEPA-ANNOUNCED".into(), Reason::NotInForce),
            ("T-IEEPA".into(), Reason::Precedence),
        ]
    );
    assert_eq!(a.total, dec("17000"));
}

/// A winner that owes nothing does not prevail: a car with 100% US content owes 0 under the
/// autos 232 (base 0), so IEEPA Canada still applies (CBP: "subject to" means more than 0%).
/// With 50% US content the autos 232 owes 25% of 20000 = 5000 and IEEPA gives way, with the
/// rule's sentence.
#[test]
fn a_winner_at_zero_does_not_prevail() {
    let (p, r) = (policy(), reference());
    let mut e = us_ca("8703.23.01.90", "2025-05-01", "40000");
    e.us_content = Some(dec("1"));
    let a = p.assess(&e, &r).expect("assess");
    assert_eq!(
        layers(&a),
        vec![
            row("T-IEEPA", "40000", "10000", None),
            row("T-AUTOS", "0", "0", None),
        ]
    );
    e.us_content = Some(dec("0.5"));
    let a = p.assess(&e, &r).expect("assess");
    assert_eq!(layers(&a), vec![row("T-AUTOS", "20000", "5000", None)]);
    assert_eq!(
        not_applied(&a),
        vec![("T-IEEPA".into(), Reason::Precedence)]
    );
    let n = &a.not_applied[0];
    assert_eq!(n.authority(), "ieepa-ca");
    assert_eq!(n.heading(), "9903.01.10");
    assert_eq!(n.citations()[0].title, "test EO 14193");
    assert_eq!(n.rule_citations()[0].title, "test EO 14289 sec. 3");
    assert_eq!(n.detail(&e), "T-R1: T-AUTOS prevails (test EO 14289)");
}

/// Canada's surtax on CUSMA vehicles, value 100000: the non-Canadian/Mexican content, at least
/// the order's 15% (the law file's minimum) deducted:
/// none declared or 10% declared: base 85000, 25% = 21250, the minimum's sentence;
/// exactly 15%: base 85000, no stand-in; 30%: base 70000, 17500, no stand-in.
#[test]
fn non_ca_mx_content() {
    let (p, r) = (policy(), reference());
    // The law file's minimum Canadian/Mexican content (SOR/2025-118), from 2025-04-09.
    assert_eq!(
        r.law
            .ca_mx_content_minimum(parse_date("2025-06-01").unwrap())
            .unwrap(),
        dec("0.15")
    );
    let mut e = entry(
        Country::CA,
        Country::US,
        "8703.23.00.00",
        "2025-05-01",
        "100000",
    );
    e.preference_claim = true;
    let minimum = "Canadian/Mexican content not declared or below the minimum: the order's minimum deduction of 15.00% of value";
    for (declared, base, amount, stand_in) in [
        (None, "85000", "21250", Some(minimum)),
        (Some("0.10"), "85000", "21250", Some(minimum)),
        (Some("0.15"), "85000", "21250", None),
        (Some("0.30"), "70000", "17500", None),
    ] {
        e.ca_mx_content = declared.map(dec);
        let a = p.assess(&e, &r).expect("assess");
        assert_eq!(
            layers(&a),
            vec![row("T-CA-MV", base, amount, stand_in)],
            "{declared:?}"
        );
    }
    // Without the claim the measure asks for: not applied, with its sentence.
    e.preference_claim = false;
    let a = p.assess(&e, &r).expect("assess");
    assert_eq!(layers(&a), vec![]);
    assert_eq!(
        not_applied(&a),
        vec![("T-CA-MV".into(), Reason::PreferenceClaim)]
    );
    assert_eq!(
        a.not_applied[0].detail(&e),
        "applies only to goods entered with a USMCA/CUSMA claim"
    );
}

/// Every other reason and its sentence.
#[test]
fn reasons_and_their_sentences() {
    let (p, r) = (policy(), reference());
    // A claim takes IEEPA out; the announced increase (from 2025-10-25) is never collected.
    let mut e = us_ca("8471.30.01.00", "2025-11-01", "1000");
    e.preference_claim = true;
    let a = p.assess(&e, &r).expect("assess");
    assert_eq!(layers(&a), vec![]);
    assert_eq!(
        not_applied(&a),
        vec![
            ("T-IEEPA".into(), Reason::PreferenceClaim),
            ("T-IEEPA-ANNOUNCED".into(), Reason::NotInForce),
        ]
    );
    assert_eq!(
        a.not_applied[0].detail(&e),
        "the entry claims USMCA/CUSMA preference, which this measure exempts"
    );
    assert_eq!(
        a.not_applied[1].detail(&e),
        "status Announced: never collected"
    );
    assert_eq!(a.not_applied[1].heading(), "none");
    assert_eq!(a.not_applied[1].rule().map(|r| r.id.clone()), None);
    assert_eq!(a.not_applied[1].prevailing, None);
    // A horse (0101) is excluded from IEEPA's scope.
    let e = us_ca("0101.21.00.10", "2025-05-01", "1000");
    let a = p.assess(&e, &r).expect("assess");
    assert_eq!(
        not_applied(&a),
        vec![("T-IEEPA".into(), Reason::ProductExclusion)]
    );
    assert_eq!(
        a.not_applied[0].detail(&e),
        "0101.21.00.10 is excluded from this measure's scope"
    );
    // Steel melted in the US: a condition of the steel 232 is not met.
    let mut e = us_ca("7208.10.15.00", "2025-05-01", "1000");
    e.us_melted = true;
    let a = p.assess(&e, &r).expect("assess");
    assert_eq!(layers(&a), vec![row("T-IEEPA", "1000", "250", None)]);
    assert_eq!(not_applied(&a), vec![("T-STEEL".into(), Reason::Condition)]);
    assert_eq!(
        a.not_applied[0].detail(&e),
        "a condition of the measure (US-melted metal, transshipment, energy) is not met"
    );
}

/// Conditions one at a time. Energy (IEEPA's 10% for energy, 2025-05-01, value 1000; chapter
/// 27 is out of the 25% general rate): crude oil (2709, on the energy list) pays 100; fuel oil
/// (2710, not on it) pays it only when the entry declares energy; otherwise it is a condition.
/// Transshipment: knit apparel (chapter 61) pays the 40% penalty (400) only when found
/// transshipped, besides the 25% (250). Qualifying: chips (8542, 2026-01-20) pay the 25%
/// semiconductor duty (250) only when the entry declares the technical test met.
#[test]
fn conditions_one_at_a_time() {
    let (p, r) = (policy(), reference());
    let a = p
        .assess(&us_ca("2709.00.20.90", "2025-05-01", "1000"), &r)
        .expect("assess");
    assert_eq!(layers(&a), vec![row("T-IEEPA-ENERGY", "1000", "100", None)]);
    let mut e = us_ca("2710.19.16.00", "2025-05-01", "1000");
    let a = p.assess(&e, &r).expect("assess");
    assert_eq!(layers(&a), vec![]);
    assert_eq!(
        not_applied(&a),
        vec![
            ("T-IEEPA".into(), Reason::ProductExclusion),
            ("T-IEEPA-ENERGY".into(), Reason::Condition),
        ]
    );
    e.energy = true;
    let a = p.assess(&e, &r).expect("assess");
    assert_eq!(layers(&a), vec![row("T-IEEPA-ENERGY", "1000", "100", None)]);

    let mut e = us_ca("6109.10.00.04", "2025-09-01", "1000");
    let a = p.assess(&e, &r).expect("assess");
    assert_eq!(layers(&a), vec![row("T-IEEPA", "1000", "250", None)]);
    assert_eq!(
        not_applied(&a),
        vec![("T-TRANSSHIPPED".into(), Reason::Condition)]
    );
    e.transshipped = true;
    let a = p.assess(&e, &r).expect("assess");
    assert_eq!(
        layers(&a),
        vec![
            row("T-IEEPA", "1000", "250", None),
            row("T-TRANSSHIPPED", "1000", "400", None),
        ]
    );

    let mut e = entry(
        Country::US,
        Country::CN,
        "8542.31.00.01",
        "2026-01-20",
        "1000",
    );
    let a = p.assess(&e, &r).expect("assess");
    assert_eq!(layers(&a), vec![]);
    assert_eq!(not_applied(&a), vec![("T-SEMIS".into(), Reason::Condition)]);
    e.qualifying = true;
    let a = p.assess(&e, &r).expect("assess");
    assert_eq!(layers(&a), vec![row("T-SEMIS", "1000", "250", None)]);
}

/// The checks on an entry, with their messages, and the edges that pass.
#[test]
fn entries_out_of_range_are_refused() {
    let (p, r) = (policy(), reference());
    let e = us_ca("8471.30.01.00", "2025-05-01", "-1");
    let err = p.assess(&e, &r).expect_err("negative value");
    assert_eq!(err, AssessError::NegativeValue(dec("-1")));
    assert_eq!(err.to_string(), "the value must be zero or more, got -1");
    assert!(!err.is_missing_declaration());
    // A value of zero is an entry like any other: nothing owed.
    let a = p
        .assess(&us_ca("8471.30.01.00", "2025-05-01", "0"), &r)
        .expect("zero value");
    assert_eq!(a.total, dec("0"));
    for (share, ok) in [("-0.1", false), ("0", true), ("1", true), ("1.5", false)] {
        let mut e = us_ca("8471.30.01.00", "2025-05-01", "1000");
        e.us_content = Some(dec(share));
        let got = p.assess(&e, &r).map(|_| ());
        if ok {
            assert_eq!(got, Ok(()), "us_content {share}");
        } else {
            assert_eq!(
                got.expect_err("share out of range").to_string(),
                format!("a declared content or share is out of range: us_content = {share}; expected a share from 0 to 1")
            );
        }
        let mut e = us_ca("8471.30.01.00", "2025-05-01", "1000");
        e.ca_mx_content = Some(dec(share));
        assert_eq!(p.assess(&e, &r).is_ok(), ok, "ca_mx_content {share}");
    }
    for (content, ok) in [
        ("-1", false),
        ("0", true),
        ("1000", true),
        ("1000.01", false),
    ] {
        let mut e = us_ca("7208.10.15.00", "2025-05-01", "1000");
        e.steel_content = Some(dec(content));
        let got = p.assess(&e, &r).map(|_| ());
        if ok {
            assert_eq!(got, Ok(()), "steel_content {content}");
        } else {
            assert_eq!(
                got.expect_err("content out of range").to_string(),
                format!("a declared content or share is out of range: steel_content = {content}; expected a value from 0 to the entry value 1000")
            );
        }
    }
}

/// A rate per kilogram needs the entry's quantity: without it the error is the entry's (a
/// missing declaration); with 500 kg, 10¢/kg = 50.
#[test]
fn a_specific_rate_needs_a_quantity() {
    let (p, r) = (policy(), reference());
    let mut e = us_ca("4407.11.00.00", "2025-11-01", "1000");
    let err = p.assess(&e, &r).expect_err("no quantity");
    assert!(err.is_missing_declaration(), "{err}");
    assert!(
        err.to_string().starts_with("T-LUMBER (9903.76.01): "),
        "{err}"
    );
    e.quantity = Some(Quantity::new(dec("500"), Unit::Kg));
    let a = p.assess(&e, &r).expect("assess");
    assert_eq!(
        layers(&a),
        vec![
            row("T-IEEPA", "1000", "250", None),
            row("T-LUMBER", "1000", "50", None),
        ]
    );
}

/// A code given at fewer digits is assessed as the line the schedule resolves it to, but only
/// a line under it: 8471.30 becomes 8471.30.01.00; 8504.40, which the test reference maps to an
/// unrelated line, stays 8504.40.
#[test]
fn a_short_code_is_assessed_as_its_resolved_line_only_under_it() {
    let (p, r) = (policy(), reference());
    let a = p
        .assess(&us_ca("8471.30", "2025-05-01", "1000"), &r)
        .expect("assess");
    assert_eq!(a.entry.hs, hs("8471.30.01.00"));
    let a = p
        .assess(&us_ca("8504.40", "2025-05-01", "1000"), &r)
        .expect("assess");
    assert_eq!(a.entry.hs, hs("8504.40"));
    let a = p
        .assess(&us_ca("8471.30.01.00", "2025-05-01", "1000"), &r)
        .expect("assess");
    assert_eq!(a.entry.hs, hs("8471.30.01.00"));
}

/// A base rate the data cannot give (the test reference has none for 0105.11.00.00): no base
/// layer, the base rate reported unknown, and the total is the additional layers alone:
/// IEEPA 25% of 1000 = 250.
#[test]
fn an_unknown_base_rate_is_not_counted_as_zero() {
    let (p, r) = (policy(), reference());
    let a = p
        .assess(&us_ca("0105.11.00.00", "2025-05-01", "1000"), &r)
        .expect("assess");
    assert!(!a.base_rate_known());
    assert!(a.base.is_none());
    assert_eq!(layers(&a), vec![row("T-IEEPA", "1000", "250", None)]);
    assert_eq!(a.total, dec("250"));
    assert_eq!(a.additional(), dec("250"));
}
