//! The interval panel on a tiny policy (no bundled data): each line is assessed only on the
//! first segment and its own change dates (plus the extra cuts), the rows are the engine's
//! layers over the nominal value, and equal consecutive rows merge.

use quid_core::rate::RateExpr;
use quid_core::{parse_date, Country, Date, HsCode};
use quid_econ::{authority_index, Panel, Segments};
use quid_engine::{
    Authority, BaseBasis, BaseRate, BaseRateError, Entry, Law, MeasureFile, MetalShare, Policy,
    Reference,
};
use std::sync::Mutex;

/// Four US measures: IEEPA Canada 25% on chapter 72 from 2025-03-04 until (exclusive)
/// 2025-06-01 without a USMCA claim; aluminum 232 10% on chapter 76 from 2025-04-01; lumber
/// 232 10% on chapter 44 from 2025-05-01 (a date of neither test line); IEEPA Mexico 25% on
/// chapter 72 for Mexican goods only from 2025-02-01 (a date the Canadian panel must ignore).
const MEASURES: &str = r#"
[[measure]]
id = "T-IEEPA-CA"
title = "test IEEPA Canada"
importer = "US"
origins = ["CA"]
authority = "ieepa-ca"
heading = "9903.01.10"
instrument = "test"
status = "in_force"
confidence = "H"
from = "2025-03-04"
until = "2025-06-01"
rate = "25%"
base = "full_value"
scope = { include = ["72"] }
conditions = { preference_claim = "absent" }
citations = [{ title = "test" }]

[[measure]]
id = "T-ALU"
title = "test aluminum"
importer = "US"
origins = ["*"]
authority = "s232-aluminum"
heading = "9903.85.01"
instrument = "test"
status = "in_force"
confidence = "H"
from = "2025-04-01"
rate = "10%"
base = "full_value"
scope = { include = ["76"] }
citations = [{ title = "test" }]

[[measure]]
id = "T-LUMBER"
title = "test lumber"
importer = "US"
origins = ["*"]
authority = "s232-lumber"
heading = "9903.76.01"
instrument = "test"
status = "in_force"
confidence = "H"
from = "2025-05-01"
rate = "10%"
base = "full_value"
scope = { include = ["44"] }
citations = [{ title = "test" }]

[[measure]]
id = "T-IEEPA-MX"
title = "test IEEPA Mexico"
importer = "US"
origins = ["MX"]
authority = "ieepa-mx"
heading = "9903.01.01"
instrument = "test"
status = "in_force"
confidence = "H"
from = "2025-02-01"
rate = "25%"
base = "full_value"
scope = { include = ["72"] }
citations = [{ title = "test" }]
"#;

/// A 2% base rate for every line, recording every entry it is asked about.
struct Recording {
    rate: RateExpr,
    law: Law,
    asked: Mutex<Vec<(HsCode, Date, bool)>>,
}

impl Reference for Recording {
    fn base_rate(&self, entry: &Entry) -> Result<BaseRate<'_>, BaseRateError> {
        self.asked
            .lock()
            .unwrap()
            .push((entry.hs, entry.date, entry.preference_claim));
        Ok(BaseRate {
            rate: Some(&self.rate),
            authority: Authority::MFN,
            line: entry.hs,
            text: "2%",
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
        None
    }
    fn law(&self) -> &Law {
        &self.law
    }
}

fn d(s: &str) -> Date {
    parse_date(s).unwrap()
}

fn hs(s: &str) -> HsCode {
    HsCode::parse(s).unwrap()
}

fn policy() -> Policy {
    let mf: MeasureFile = toml::from_str(MEASURES).expect("test measures parse");
    let no_lists = |r: &str| -> Result<Vec<HsCode>, String> { Err(format!("no list {r}")) };
    Policy::compile(&[("test".to_string(), mf)], &no_lists, false).expect("test measures compile")
}

fn build(extra_cuts: &[Date]) -> (Panel, Vec<(HsCode, Date, bool)>) {
    let p = policy();
    let reference = Recording {
        rate: RateExpr::parse("2%").unwrap(),
        law: toml::from_str(include_str!("../../../data/params/law.toml")).expect("law parses"),
        asked: Mutex::new(Vec::new()),
    };
    // Every US change date: 2025-02-01, 03-04, 04-01, 05-01, 06-01.
    let segments = Segments::new(
        d("2025-01-01"),
        d("2025-12-31"),
        p.change_dates(Country::US),
    );
    let panel = Panel::build(
        &p,
        &reference,
        Country::US,
        Country::CA,
        vec![hs("7208.10.15.00"), hs("7601.10.00.00")],
        segments,
        extra_cuts,
    );
    let mut asked = reference.asked.into_inner().unwrap();
    asked.sort_unstable();
    (panel, asked)
}

/// (line, claim, from, until, first and last segment, total rate, IEEPA rate, aluminum rate)
type Row = (
    u32,
    bool,
    &'static str,
    &'static str,
    (u32, u32),
    f64,
    f64,
    f64,
);

fn assert_rows(panel: &Panel, want: &[Row]) {
    let got = &panel.intervals;
    assert_eq!(got.len(), want.len(), "{got:?}");
    for (g, w) in got.iter().zip(want) {
        let at = format!("{g:?} against {w:?}");
        assert_eq!(
            (g.line, g.claim, g.valid_from, g.valid_until, g.segments),
            (w.0, w.1, d(w.2), d(w.3), w.4),
            "{at}"
        );
        let ieepa = g.row.get(authority_index("ieepa-ca"));
        let alu = g.row.get(authority_index("s232-aluminum"));
        for (x, y) in [(g.row.total, w.5), (ieepa, w.6), (alu, w.7)] {
            assert!((x - y).abs() < 1e-12, "{at}");
        }
    }
}

/// Segments: 0 = Jan 1..31, 1 = Feb 1..Mar 3, 2 = Mar 4..31, 3 = Apr 1..30, 4 = May 1..31,
/// 5 = Jun 1..Dec 31.
/// Steel coil 7208.10.15.00 (Canadian): MFN 2%, plus IEEPA 25% without a claim from Mar 4 to
/// May 31: no claim 2% (segments 0-1), 27% (2-4), 2% (5); with a claim 2% all year.
/// Aluminum 7601.10.00.00: 2%, then 2% + 10% = 12% from Apr 1 (segment 3), claim or not.
const EXPECTED: [Row; 6] = [
    (0, false, "2025-01-01", "2025-03-03", (0, 1), 0.02, 0.0, 0.0),
    (
        0,
        false,
        "2025-03-04",
        "2025-05-31",
        (2, 4),
        0.27,
        0.25,
        0.0,
    ),
    (0, false, "2025-06-01", "2025-12-31", (5, 5), 0.02, 0.0, 0.0),
    (0, true, "2025-01-01", "2025-12-31", (0, 5), 0.02, 0.0, 0.0),
    (1, false, "2025-01-01", "2025-03-31", (0, 2), 0.02, 0.0, 0.0),
    (
        1,
        false,
        "2025-04-01",
        "2025-12-31",
        (3, 5),
        0.12,
        0.0,
        0.10,
    ),
];

#[test]
fn a_line_is_assessed_only_on_its_own_change_dates() {
    let (panel, asked) = build(&[]);
    assert_eq!(panel.segments.len(), 6);
    let mut want = EXPECTED.to_vec();
    want.push((1, true, "2025-01-01", "2025-03-31", (0, 2), 0.02, 0.0, 0.0));
    want.push((1, true, "2025-04-01", "2025-12-31", (3, 5), 0.12, 0.0, 0.10));
    assert_rows(&panel, &want);
    assert!(panel.errors.is_empty());
    // Steel: Jan 1 (the first segment), Mar 4 and Jun 1 (its IEEPA measure; not Feb 1, the
    // Mexican measure's date, nor Apr 1 or May 1), with and without a claim. Aluminum: Jan 1
    // and Apr 1. 6 + 4 = 10 assessments for 2 lines x 2 claims x 6 segments = 24 cells.
    let (steel, alu) = (hs("7208.10.15.00"), hs("7601.10.00.00"));
    let mut want = Vec::new();
    for claim in [false, true] {
        for day in ["2025-01-01", "2025-03-04", "2025-06-01"] {
            want.push((steel, d(day), claim));
        }
        for day in ["2025-01-01", "2025-04-01"] {
            want.push((alu, d(day), claim));
        }
    }
    want.sort_unstable();
    assert_eq!(asked, want);
}

#[test]
fn extra_cuts_reassess_every_line_without_splitting_equal_rows() {
    // May 1 (an edition date, say): both lines are assessed again, and the rows do not change.
    let (panel, asked) = build(&[d("2025-05-01")]);
    let mut want = EXPECTED.to_vec();
    want.push((1, true, "2025-01-01", "2025-03-31", (0, 2), 0.02, 0.0, 0.0));
    want.push((1, true, "2025-04-01", "2025-12-31", (3, 5), 0.12, 0.0, 0.10));
    assert_rows(&panel, &want);
    // 10 assessments as above, plus May 1 for each line and claim: 14.
    assert_eq!(asked.len(), 14);
    assert_eq!(
        asked
            .iter()
            .filter(|(_, day, _)| *day == d("2025-05-01"))
            .count(),
        4
    );
}
