//! The bundled illustrative vehicles (data/roo/examples) and the golden vectors of
//! tests/golden.csv, every value worked by hand in the comments.

use quid_core::parse_date;
use quid_roo::{evaluate, Bom, BomDraft, Rules, Verdict};
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/roo")
}

fn rules() -> Rules {
    let text = std::fs::read_to_string(data().join("automotive.toml")).unwrap();
    Rules::parse(&text, "automotive.toml").unwrap()
}

fn example(file: &str) -> Bom {
    let dir = data().join("examples");
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    let mut d = BomDraft::parse(&text, file).unwrap();
    if let Some(csv) = d.components_csv.clone() {
        let t = std::fs::read_to_string(dir.join(&csv)).unwrap();
        d.add_csv(&t, &csv).unwrap();
    }
    d.check(Decimal::new(5, 3)).unwrap()
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[test]
fn golden_vectors() {
    let rules = rules();
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden.csv"))
            .unwrap();
    let mut r = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let mut n = 0;
    for row in r.records() {
        let row = row.unwrap();
        let bom = example(&row[0]);
        let res = evaluate(&rules, &bom, parse_date(&row[1]).unwrap()).unwrap();
        let t = res
            .tests
            .iter()
            .find(|t| t.name == &row[2])
            .unwrap_or_else(|| panic!("{} {}: no test {}", &row[0], &row[1], &row[2]));
        let at = format!("{} {} {}", &row[0], &row[1], &row[2]);
        assert_eq!(t.value, Some(d(&row[3])), "{at}: value");
        assert_eq!(t.threshold, d(&row[4]), "{at}: threshold");
        assert_eq!(t.margin, Some(d(&row[5])), "{at}: margin");
        assert_eq!(t.passed, Some(&row[6] == "true"), "{at}: passed");
        n += 1;
    }
    assert_eq!(n, 35);
}

#[test]
fn sedan_qualifies_with_its_shares() {
    let r = evaluate(
        &rules(),
        &example("sedan_mx.toml"),
        parse_date("2026-03-01").unwrap(),
    )
    .unwrap();
    assert_eq!(r.verdict, Verdict::Qualifies);
    // US originating: engine 5000 + suspension 2000 + drive axles 2000 + seats 1000 = 10000;
    // 10000 / transaction value 36000 = 0.2777... -> 0.277778.
    assert_eq!(r.us_content_value, d("10000"));
    assert_eq!(r.us_content_share, d("0.277778"));
    assert_eq!(r.non_us_content_share, d("0.722222"));
    // CA/MX originating: transmission 3000 + body 4000 + harness 1500 = 8500 / 36000 = 0.236111.
    assert_eq!(r.ca_mx_content_share, d("0.236111"));
    // Seven tests for a passenger vehicle: RVC, core parts by each part and by the super-core,
    // LVC, its minimum, steel, aluminum. One core part (of 17000 of core value, 1000) is not
    // originating: the each-part method fails, the super-core (16000 / 17000 = 94.1176%)
    // meets 75%, and the requirement is met, so nothing is listed as failed.
    assert_eq!(r.tests.len(), 7);
    assert_eq!(r.tests[1].passed, Some(false));
    assert_eq!(r.tests[2].passed, Some(true));
    assert_eq!(r.requirement_met(&r.tests[1]), Some(true));
    assert_eq!(r.failed().count(), 0);
}

#[test]
fn each_failing_example_fails_what_it_is_built_to_fail() {
    let rules = rules();
    let on = parse_date("2026-03-01").unwrap();
    let failed = |f: &str| -> Vec<&'static str> {
        evaluate(&rules, &example(f), on)
            .unwrap()
            .failed()
            .map(|t| t.name)
            .collect()
    };
    assert_eq!(
        failed("compact_mx.toml"),
        ["regional value content (net cost)"]
    );
    assert_eq!(
        failed("pickup_ca.toml"),
        [
            "labour value content",
            "labour value content: material and manufacturing",
            "aluminum purchases (North American)"
        ]
    );
    assert_eq!(
        failed("tractor_mx.toml"),
        ["steel purchases (North American)"]
    );
    // The crossover's imported engine and transmission: both core-parts methods fail.
    assert_eq!(
        failed("crossover_ca.toml"),
        ["core parts: each part", "core parts: super-core average"]
    );
    // The pickup: US 7000 + 4000 + 2500 = 13500 / 46000 = 0.293478; CA/MX 6000 + 3000 + 2000
    // + 1000 + 2000 = 14000 / 46000 = 0.304348.
    let p = evaluate(&rules, &example("pickup_ca.toml"), on).unwrap();
    assert_eq!(p.verdict, Verdict::DoesNotQualify);
    assert_eq!(p.us_content_share, d("0.293478"));
    assert_eq!(p.ca_mx_content_share, d("0.304348"));
}

/// Heavy trucks have no core-parts rule (Art. 3.7 covers passenger vehicles and light trucks);
/// their labour value content requirement, 45% with at least 30 points of material and
/// manufacturing, applies from the Regulations' start (SOR/2020-155 s. 18(2); 19 CFR 182.91,
/// 182.93(a), CBP Dec. 24-18, 90 FR 6491). The tractor's LVC: high-wage spend 32000 / NC
/// 100000 = 32% (its average wage 2000000 / 100000 h = US$20 meets US$16) + technology 8 +
/// assembly 5 = 45%, exactly the threshold: it passes with margin 0.
#[test]
fn heavy_truck_has_no_core_test_and_lvc_from_2020() {
    for date in ["2020-07-01", "2026-03-01"] {
        let r = evaluate(
            &rules(),
            &example("tractor_mx.toml"),
            parse_date(date).unwrap(),
        )
        .unwrap();
        let names: Vec<_> = r.tests.iter().map(|t| t.name).collect();
        assert_eq!(
            names,
            [
                "regional value content (net cost)",
                "labour value content",
                "labour value content: material and manufacturing",
                "steel purchases (North American)",
                "aluminum purchases (North American)"
            ],
            "{date}"
        );
        let lvc = &r.tests[1];
        assert_eq!(lvc.value, Some(d("0.45")), "{date}");
        assert_eq!(lvc.threshold, d("0.45"), "{date}");
        assert_eq!(lvc.passed, Some(true), "{date}");
        assert_eq!(r.tests[2].value, Some(d("0.32")), "{date}");
        assert_eq!(r.tests[2].threshold, d("0.30"), "{date}");
    }
    // Before the Regulations there is no requirement at all.
    let r = evaluate(
        &rules(),
        &example("tractor_mx.toml"),
        parse_date("2020-06-30").unwrap(),
    );
    assert!(r.is_err(), "no rules before 2020-07-01");
}
