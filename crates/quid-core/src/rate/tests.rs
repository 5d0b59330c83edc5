use super::*;
use crate::{Quantity, Unit};
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn duty(rate: &str, value: &str, qty: Option<(&str, Unit)>) -> Result<Decimal, EvalError> {
    let r = RateExpr::parse(rate).unwrap();
    let mut input = EvalInput::new(d(value));
    if let Some((q, u)) = qty {
        input = input.with_quantity(Quantity::new(d(q), u));
    }
    r.duty(&input)
}

/// Table-driven vectors: rate text, value, quantity, expected duty.
#[test]
fn evaluation_vectors() {
    type Vector<'a> = (&'a str, &'a str, Option<(&'a str, Unit)>, &'a str);
    let cases: &[Vector<'_>] = &[
        ("Free", "1000", None, "0"),
        ("6.5%", "1000", None, "65"),
        ("2.4¢/kg + 5%", "1000", Some(("100", Unit::Kg)), "52.4"),
        ("$1.035/kg", "10", Some(("2", Unit::T)), "2070"),
        ("0.34¢/liter", "0", Some(("1000", Unit::Liter)), "3.4"),
        ("38.5¢/kg + 10.2%", "200", Some(("10", Unit::Kg)), "24.25"),
        (
            "238 % but not less than 30.8 ¢ each",
            "10",
            Some(("100", Unit::Each)),
            "30.8",
        ),
        (
            "238 % but not less than 30.8 ¢ each",
            "100",
            Some(("10", Unit::Each)),
            "238",
        ),
        ("33 1/3%", "300", None, "100"),
        ("$2.70 each + 45%", "100", Some(("2", Unit::Dozen)), "109.8"),
        (
            "10¢/1,000 pins + 3.5%",
            "100",
            Some(("5000", Unit::Each)),
            "4",
        ),
        (
            "5% on the full value of the imported article",
            "100",
            None,
            "5",
        ),
        (
            "4.4¢/liter + 31.4¢/pf. liter",
            "0",
            Some(("10", Unit::Liter)),
            "ERR",
        ),
    ];
    for (rate, value, qty, want) in cases {
        let got = duty(rate, value, *qty);
        if *want == "ERR" {
            assert!(got.is_err(), "{rate}: expected an error, got {got:?}");
        } else {
            assert_eq!(got.unwrap().normalize(), d(want).normalize(), "{rate}");
        }
    }
}

#[test]
fn missing_quantity_is_an_error_that_says_so() {
    let e = duty("2.4¢/kg + 5%", "1000", None).unwrap_err();
    assert_eq!(e, EvalError::NeedsQuantity("kg".into()));
    assert!(e.to_string().contains("kg"));
    let e = duty("2.4¢/kg", "1000", Some(("3", Unit::Liter))).unwrap_err();
    assert!(matches!(e, EvalError::UnitMismatch { .. }));
}

#[test]
fn parses_rule_forms() {
    for t in [
        "The duty provided in the applicable subheading",
        "The duty provided in the applicable subheading + 25%",
        "The duty provided inthe applicable subheading+ 25%",
        "The duty provided in the applicable subheading + a duty of 25% upon the value of the non-U.S. content",
        "The rate of duty appli- cable to that article in the set subject to the high- est rate of duty",
        "No change",
        "No change1",
        "No Change.",
        "See additional U.S. note 5",
        "A duty upon the full value of the imported article, less the cost or value of such products of the United States (see U.S. note 4 of this subchapter)",
    ] {
        let r = RateExpr::parse(t).unwrap_or_else(|e| panic!("{t}: {e}"));
        assert!(!r.is_numeric(), "{t}");
    }
    let r = RateExpr::parse("The duty provided in the applicable subheading + 25%").unwrap();
    assert_eq!(
        r,
        RateExpr::Rule {
            rule: RuleRef::ApplicableSubheading,
            plus: vec![Term {
                kind: TermKind::AdValorem { percent: d("25") },
                on: None
            }]
        }
    );
}

#[test]
fn parses_numeric_forms() {
    for t in [
        "Free, under bond, as prescribed in U.S. note 1 to this subchapter",
        "22¢/kg on drained weght + 45%",
        "4.3817¢/kg less 0.0622005¢ /kg for each degree under 100 degrees (and fractions of a degree in proportion) but not less 2.831562¢ /kg",
        "$2.70 each + 45% on the case + 35% on thebattery",
        "20¢/gross of immediate containers",
        "86.1¢/m2of recording surface",
        "$5/t, including weight of container",
        "$40/kg of anhydrous morphine content",
        "50 percent of the cost of such parts",
        "13.5¢/kg + 6.3% + 1.9¢/article",
        "18.5¢/ liter + $1.32/pf. liter on ethyl alcohol content",
    ] {
        let r = RateExpr::parse(t).unwrap_or_else(|e| panic!("{t}: {e}"));
        assert!(r.is_numeric(), "{t}");
    }
}

#[test]
fn rejects_garbage_with_reason() {
    for t in ["", ":", "37% /", "abc", "5% +", "$/kg"] {
        let e = RateExpr::parse(t).unwrap_err();
        assert!(!e.reason.is_empty(), "{t}");
    }
}

#[test]
fn ad_valorem_equivalent() {
    let r = RateExpr::parse("2.4¢/kg + 5%").unwrap();
    // At $1.20/kg: 2.4/120 = 2% + 5% = 7%.
    assert_eq!(
        r.ad_valorem_equivalent(d("1.20"), Unit::Kg)
            .unwrap()
            .normalize(),
        d("7")
    );
}

#[test]
fn graduated_sugar_rate() {
    let r = RateExpr::parse(
        "4.3817¢/kg less 0.0622005¢/kg for each degree under 100 degrees (and fractions of a degree in proportion) but not less than 2.831562¢/kg",
    )
    .unwrap();
    let mut input = EvalInput::new(d("100")).with_quantity(Quantity::new(d("1000"), Unit::Kg));
    input.degrees = Some(d("96"));
    // 4.3817 - 4 x 0.0622005 = 4.132898 ¢/kg x 1000 kg = $41.32898
    assert_eq!(r.duty(&input).unwrap().normalize(), d("41.32898"));
}

#[test]
fn display_round_trips_common_forms() {
    for t in [
        "Free",
        "6.5%",
        "2.4¢/kg + 5%",
        "$1.035/kg",
        "0.34¢/liter",
        "38.5¢/kg + 10.2%",
    ] {
        let r = RateExpr::parse(t).unwrap();
        assert_eq!(r.to_string(), t);
        assert_eq!(RateExpr::parse(&r.to_string()).unwrap(), r);
    }
}

#[test]
fn special_columns() {
    let s = SpecialRates::parse("Free (BH,CL,JO,KR,OM,SG) See 9822.05.20 (P+) See 9823.10.01-9823.10.45 (S+) See 9822.03.01(MA)").unwrap();
    assert!(s.rate_for("KR").unwrap().is_free());
    assert_eq!(
        s.rate_for("S").unwrap(),
        &RateExpr::Rule {
            rule: RuleRef::See("9823.10.01-9823.10.45".into()),
            plus: vec![]
        }
    );
    assert!(s.rate_for("MA").is_some());
    let s = SpecialRates::parse(
        "Free  (A+, AU, BH, CL, CO, D, E, IL, JO, KR, MA, OM,P, PA, PE, S, SG)",
    )
    .unwrap();
    assert!(s.rate_for("S").unwrap().is_free());
    let s = SpecialRates::parse("28.8¢/kg + 8.5% (S+)").unwrap();
    assert_eq!(s.rate_for("S").unwrap().to_string(), "28.8¢/kg + 8.5%");
    let s = SpecialRates::parse("The duty provided in the applicable subheading + 25%").unwrap();
    assert_eq!(s.groups.len(), 1);
    assert!(s.groups[0].1.is_empty());
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn parser_never_panics(s in "\\PC{0,60}") {
            let _ = RateExpr::parse(&s);
            let _ = SpecialRates::parse(&s);
        }

        #[test]
        fn parser_never_panics_on_rate_like_text(s in "[0-9 .,%¢$/+a-z()]{0,40}") {
            if let Ok(r) = RateExpr::parse(&s) {
                let _ = r.duty(&EvalInput::new(Decimal::from(100)).with_quantity(Quantity::new(Decimal::from(3), Unit::Kg)));
                let _ = r.to_string();
            }
        }

        #[test]
        fn ad_valorem_round_trip(p in 0u32..100_000) {
            let pct = Decimal::new(p as i64, 2);
            let text = format!("{}%", pct.normalize());
            let r = RateExpr::parse(&text).unwrap();
            prop_assert_eq!(r.simple_percent().unwrap(), pct);
        }

        #[test]
        fn hs_parser_never_panics(s in "\\PC{0,20}") {
            let _ = crate::HsCode::parse(&s);
            let _ = crate::Country::parse(&s);
        }
    }
}
