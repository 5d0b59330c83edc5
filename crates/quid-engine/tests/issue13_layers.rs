//! Issue 13's layers on a synthetic policy, every figure worked by hand: a rate that tops the
//! base duty up to a total (Proc. 11021 clause (5)(a): Column 1 + 232 = 15%), an AD/CVD layer
//! declared on the entry, de minimis (19 U.S.C. 1321) declared and honoured or refused, and a
//! gap record said on the entries it concerns.
//!
//! The reference gives every line a 1.6% base rate, except chapter 64 (20%).

use quid_core::rate::RateExpr;
use quid_core::{parse_date, Country, HsCode};
use quid_engine::entry::{Adcvd, CaseKind, CaseNo};
use quid_engine::record::EntryRecord;
use quid_engine::{
    BaseBasis, BaseRate, Entry, MeasureFile, MetalShare, Policy, Reason, Reference, StandIn,
};
use rust_decimal::Decimal;

const MEASURES: &str = r#"
[[measure]]
id = "T-III"
title = "test Annex III, Column 1 + 232 = 15%"
importer = "US"
origins = ["*"]
authority = "s232-steel"
heading = "9903.82.10 / 9903.82.11"
instrument = "test Proc. 11021"
status = "in_force"
confidence = "H"
from = "2026-04-06"
rate = "15%"
rate_to_total = true
base = "full_value"
scope = { include = ["8504", "64"] }
citations = [{ title = "test Proc. 11021 clause (5)(a)" }]

[[measure]]
id = "T-IEEPA"
title = "test IEEPA Canada"
importer = "US"
origins = ["CA"]
authority = "ieepa-ca"
heading = "9903.01.10"
instrument = "test EO 14193"
status = "in_force"
confidence = "H"
from = "2025-03-04"
until = "2026-02-24"
rate = "25%"
base = "full_value"
scope = { include = ["*"] }
citations = [{ title = "test EO 14193" }]

[[measure]]
id = "T-AD"
title = "test AD order, declared"
importer = "US"
origins = ["*"]
authority = "adcvd"
heading = "AD cash deposit"
instrument = "test order"
status = "in_force"
confidence = "H"
from = "2025-01-01"
rate = "declared"
declared = "ad"
base = "full_value"
scope = { include = ["*"] }
citations = [{ title = "test 19 U.S.C. 1673" }]

[[measure]]
id = "T-CVD"
title = "test CVD order, declared"
importer = "US"
origins = ["*"]
authority = "adcvd"
heading = "CVD cash deposit"
instrument = "test order"
status = "in_force"
confidence = "H"
from = "2025-01-01"
rate = "declared"
declared = "cvd"
base = "full_value"
scope = { include = ["*"] }
citations = [{ title = "test 19 U.S.C. 1671" }]

[[rule]]
id = "T-DEMIN"
importer = "US"
kind = "de_minimis"
winners = []
losers = ["mfn", "ieepa-ca"]
from = "2025-01-01"
until = "2025-08-29"
max_value = "800"
origins = ["*"]
except_origins = ["CN"]
instrument = "test 19 U.S.C. 1321; EO 14226"
citations = [{ title = "test 19 U.S.C. 1321(a)(2)(C)" }]

[[gap]]
id = "T-GAP-LUMBER"
importer = "US"
origins = ["CA"]
scope = { include = ["4407"] }
from = "2025-01-01"
unless = "adcvd"
text = "softwood lumber AD/CVD not declared"
citations = [{ title = "test order" }]
"#;

struct Ref {
    low: RateExpr,
    high: RateExpr,
    law: quid_engine::Law,
}

impl Reference for Ref {
    fn base_rate(&self, e: &Entry) -> Result<BaseRate<'_>, quid_engine::BaseRateError> {
        let (rate, text) = if e.hs.chapter() == 64 {
            (&self.high, "20%")
        } else {
            (&self.low, "1.6%")
        };
        Ok(BaseRate {
            rate: Some(rate),
            authority: quid_engine::Authority::MFN,
            line: e.hs,
            text,
            basis: BaseBasis::Schedule {
                column: "column 1 general",
                edition: "test",
                stated_on: e.hs,
                stand_in: false,
            },
            citation: None,
        })
    }
    fn metal_share(&self, _hs: &HsCode) -> Option<MetalShare> {
        None
    }
    fn law(&self) -> &quid_engine::Law {
        &self.law
    }
}

fn setup() -> (Policy, Ref) {
    let file: MeasureFile = toml::from_str(MEASURES).unwrap();
    let no_lists = |r: &str| -> Result<Vec<HsCode>, String> { Err(format!("no list {r}")) };
    let policy = Policy::compile(&[("t.toml".into(), file)], &no_lists, false).unwrap();
    let law = toml::from_str(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/params/law.toml"
    )))
    .unwrap();
    let r = Ref {
        low: RateExpr::parse("1.6%").unwrap(),
        high: RateExpr::parse("20%").unwrap(),
        law,
    };
    (policy, r)
}

fn entry(origin: Country, hs: &str, date: &str, value: i64) -> Entry {
    Entry::new(
        Country::US,
        origin,
        HsCode::parse(hs).unwrap(),
        parse_date(date).unwrap(),
        Decimal::new(value, 0),
    )
}

#[test]
fn a_total_rate_tops_the_base_duty_up_and_never_below_zero() {
    let (p, r) = setup();
    // A transformer of 100000 on 2026-05-01: Column 1 1.6% = 1600.00; 15% total = 15000.00, so
    // the layer is 15000.00 - 1600.00 = 13400.00 and the total 15000.00 (not 16600.00).
    let a = p
        .assess(
            &entry(
                Country::parse("DE").unwrap(),
                "8504.34.00.00",
                "2026-05-01",
                100_000,
            ),
            &r,
        )
        .unwrap();
    assert_eq!(a.base.unwrap().amount.to_string(), "1600.00");
    assert_eq!(a.layers.len(), 1);
    assert_eq!(a.layers[0].amount.to_string(), "13400.00");
    assert_eq!(a.total.to_string(), "15000.00");
    assert_eq!(
        a.layers[0].stand_in,
        Some(StandIn::TopUp {
            base_duty: Decimal::new(160_000, 2)
        })
    );
    // Column 1 at 20% (chapter 64): 15% of 1000 = 150 less 200 is below zero, so 0.00.
    let a = p
        .assess(
            &entry(
                Country::parse("DE").unwrap(),
                "6403.99.90",
                "2026-05-01",
                1000,
            ),
            &r,
        )
        .unwrap();
    assert_eq!(a.layers[0].amount.to_string(), "0.00");
    assert_eq!(a.total.to_string(), "200.00");
}

#[test]
fn an_adcvd_layer_is_charged_only_as_declared_and_names_its_case() {
    let (p, r) = setup();
    let mut e = entry(Country::CA, "4407.11.00", "2025-09-01", 10_000);
    // Nothing declared: no AD/CVD layer, and the gap is said on the assessment.
    let a = p.assess(&e, &r).unwrap();
    assert!(a.layers.iter().all(|l| l.authority().as_str() != "adcvd"));
    let ids: Vec<&str> = a.warnings.iter().map(|w| w.id()).collect();
    assert_eq!(ids, ["T-GAP-LUMBER"]);
    // Declared through the record's fields, as a batch line or the flags give them.
    let rec = EntryRecord {
        importer: "US".into(),
        origin: "CA".into(),
        hts: "4407.11.00".into(),
        date: "2025-09-01".into(),
        value: "10000".into(),
        adcvd_case: Some("A-122-857;C-122-858".into()),
        adcvd_rate: Some("20.56;14.63".into()),
        ..EntryRecord::default()
    };
    e = rec.to_entry().unwrap();
    assert_eq!(
        e.adcvd_of(CaseKind::Ad),
        Some(Adcvd {
            case: CaseNo {
                kind: CaseKind::Ad,
                country: 122,
                seq: 857
            },
            rate_percent: Decimal::new(2056, 2)
        })
    );
    let a = p.assess(&e, &r).unwrap();
    let got: Vec<(String, String, String)> = a
        .layers
        .iter()
        .map(|l| {
            (
                l.case().map(|c| c.to_string()).unwrap_or_default(),
                l.rate().into_owned(),
                l.amount.to_string(),
            )
        })
        .collect();
    // 25% IEEPA = 2500.00; AD 20.56% of 10000 = 2056.00; CVD 14.63% = 1463.00.
    assert_eq!(
        got,
        [
            ("".into(), "25%".into(), "2500.00".into()),
            ("A-122-857".into(), "20.56%".into(), "2056.00".into()),
            ("C-122-858".into(), "14.63%".into(), "1463.00".into()),
        ]
    );
    assert_eq!(a.layers[1].label(), "adcvd A-122-857 20.56%");
    // 160.00 base + 2500.00 + 2056.00 + 1463.00 = 6179.00
    assert_eq!(a.total.to_string(), "6179.00");
    assert!(a.warnings.is_empty());
}

#[test]
fn adcvd_fields_are_checked() {
    let rec = |c: &str, r: &str| EntryRecord {
        importer: "US".into(),
        origin: "CA".into(),
        hts: "4407.11.00".into(),
        date: "2025-09-01".into(),
        value: "1".into(),
        adcvd_case: Some(c.into()),
        adcvd_rate: Some(r.into()),
        ..EntryRecord::default()
    };
    let msg = |c: &str, r: &str| rec(c, r).to_entry().unwrap_err().to_string();
    assert_eq!(
        msg("A-122-857;C-122-858", "20.56"),
        "adcvd_rate: 1 rate(s) for 2 case(s); give one rate per case, in the same order"
    );
    assert_eq!(
        msg("softwood", "20"),
        "adcvd_case: \"softwood\" is not a case number; expected A-ccc-nnn (AD) or C-ccc-nnn (CVD)"
    );
    assert_eq!(
        msg("A-122-857;A-122-858", "1;2"),
        "adcvd_case: two cases of one kind (A-122-858); at most one AD and one CVD case"
    );
    assert_eq!(
        msg("A-122-857", "1200"),
        "adcvd_rate: \"1200\" is not a percentage from 0 to 1000"
    );
    let only_case = EntryRecord {
        adcvd_rate: None,
        ..rec("A-122-857", "1")
    };
    assert_eq!(
        only_case.to_entry().unwrap_err().to_string(),
        "adcvd_rate: missing; a declared AD/CVD case needs its cash-deposit rate in percent"
    );
}

#[test]
fn de_minimis_relieves_base_and_listed_layers_within_its_value_and_period() {
    let (p, r) = setup();
    // A US$500 Canadian shipment on 2025-05-01 declared de minimis: the base duty (1.6% = 8.00)
    // and IEEPA (25% = 125.00) are not owed; total 0.
    let mut e = entry(Country::CA, "9503.00.00", "2025-05-01", 500);
    e.de_minimis = true;
    let a = p.assess(&e, &r).unwrap();
    assert_eq!(a.total.to_string(), "0.00");
    let b = a.base.unwrap();
    assert_eq!(b.relieved_by, Some("T-DEMIN"));
    assert!(a.layers.is_empty());
    assert_eq!(a.not_applied[0].measure(), "T-IEEPA");
    assert_eq!(a.not_applied[0].reason, Reason::DeMinimis);
    assert_eq!(
        a.not_applied[0].detail(&e),
        "not owed on a de minimis entry under T-DEMIN (test 19 U.S.C. 1321; EO 14226): value 500 at most 800"
    );
    // Not declared: 8.00 + 125.00 = 133.00.
    e.de_minimis = false;
    assert_eq!(p.assess(&e, &r).unwrap().total.to_string(), "133.00");
    // Declared above the threshold (801): refused with the threshold, 12.82 + 200.25 = 213.07.
    let mut over = entry(Country::CA, "9503.00.00", "2025-05-01", 801);
    over.de_minimis = true;
    let a = p.assess(&over, &r).unwrap();
    assert_eq!(a.total.to_string(), "213.07");
    assert_eq!(
        a.warnings[0].to_string(),
        "de minimis declared, but the value is above the threshold of 800: assessed as a formal or informal entry"
    );
    // Declared on 2025-08-29 (suspended, EO 14324) or for an excepted origin: refused, no
    // threshold named. 500 x 1.6% = 8.00 (+ 125.00 IEEPA for Canada).
    let mut late = entry(Country::CA, "9503.00.00", "2025-08-29", 500);
    late.de_minimis = true;
    let a = p.assess(&late, &r).unwrap();
    assert_eq!(a.total.to_string(), "133.00");
    assert_eq!(a.warnings[0].id(), "de-minimis-refused");
    let mut cn = entry(
        Country::parse("CN").unwrap(),
        "9503.00.00",
        "2025-05-01",
        500,
    );
    cn.de_minimis = true;
    let a = p.assess(&cn, &r).unwrap();
    assert_eq!(a.total.to_string(), "8.00");
    assert_eq!(
        a.warnings[0].to_string(),
        "de minimis declared, but no de minimis treatment in quid covers this importer, origin and date: assessed as a formal or informal entry"
    );
}

#[test]
fn rule_and_measure_fields_are_validated() {
    let bad = MEASURES.replace("max_value = \"800\"\n", "").replace(
        "rate = \"declared\"\ndeclared = \"ad\"",
        "rate = \"20%\"\ndeclared = \"ad\"",
    );
    let file: MeasureFile = toml::from_str(&bad).unwrap();
    let no_lists = |r: &str| -> Result<Vec<HsCode>, String> { Err(format!("no list {r}")) };
    let err = Policy::compile(&[("t.toml".into(), file)], &no_lists, false).unwrap_err();
    assert_eq!(
        err.0,
        [
            "t.toml: measure T-AD: field rate: a measure with a declared rate is written \"declared\", found \"20%\"",
            "t.toml: rule T-DEMIN: field max_value: a de minimis rule states its value threshold",
        ]
    );
}
