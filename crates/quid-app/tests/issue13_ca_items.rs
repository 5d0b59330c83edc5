//! Issue 13, "Canada by tariff item": a Canadian entry's code is checked against the Canadian
//! tariff structure, and an origin whose measures are not modelled is stated (or refused under
//! `--strict`).
//!
//! Sources. The Customs Tariff (S.C. 1997, c. 36), s. 2 and the Schedule: a tariff item is an
//! eight-digit number of the List of Tariff Provisions, a classification number the ten-digit
//! number beneath it (https://laws-lois.justice.gc.ca/eng/acts/C-54.011/). The United States
//! Surtax Order (Motor Vehicles 2025), SOR/2025-118, s. 2 and Schedule 1: a 25% surtax on the
//! value for duty of US-origin vehicles of the listed tariff items, 8703.23.00 among them
//! (https://laws-lois.justice.gc.ca/eng/regulations/SOR-2025-118/). 8703.23.01.60 is a line of
//! the US HTS (chapter 87, 2025 basic edition), not of the Canadian tariff.

use quid_app::batch_files::{run, BatchRequest, Unmodelled};
use quid_app::{duty, App, Engine, EngineOptions};
use quid_core::{parse_date, Country};
use quid_engine::EntryRecord;
use std::path::Path;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");

fn engine() -> Engine {
    App::new(Some(Path::new(DATA)), parse_date("2026-12-06").unwrap())
        .unwrap()
        .engine(&EngineOptions::default())
        .unwrap()
}

fn entry(importer: &str, origin: &str, hts: &str) -> EntryRecord {
    EntryRecord {
        importer: importer.into(),
        origin: origin.into(),
        hts: hts.into(),
        date: "2025-06-01".into(),
        value: "50000".into(),
        ..EntryRecord::default()
    }
}

#[test]
fn a_us_hts_number_on_a_canadian_entry_is_refused_with_the_canadian_item() {
    let e = engine();
    let err = duty::assess(&e, &entry("CA", "US", "8703.23.01.60")).unwrap_err();
    assert!(err.is_invalid_request());
    assert_eq!(
        err.to_string(),
        "hts: 8703.23.01.60 is a US HTS number, not a Canadian tariff item (8703.23.01 is not \
         among the Canadian tariff items quid knows); the Canadian tariff item is 8703.23.00"
    );
    // The 8-digit US line too.
    let err = duty::assess(&e, &entry("CA", "US", "8703.23.01")).unwrap_err();
    assert!(err
        .to_string()
        .ends_with("the Canadian tariff item is 8703.23.00"));
}

#[test]
fn the_canadian_item_pays_the_vehicle_surtax() {
    let e = engine();
    // SOR/2025-118: 25% of CAD 50,000 = CAD 12,500 (no CUSMA claim; base duty unknown outside
    // the bundled sample).
    for code in ["8703.23.00", "8703.23.00.10"] {
        let a = duty::assess(&e, &entry("CA", "US", code)).unwrap();
        let layers: Vec<_> = a
            .layers
            .iter()
            .map(|l| (l.measure().to_string(), l.amount.to_string()))
            .collect();
        assert_eq!(
            layers,
            [("CA-SURTAX-MV.non-cusma".to_string(), "12500.00".to_string())]
        );
        assert_eq!(a.total.to_string(), "12500.00");
        assert!(duty::warnings(&e, &a.entry).is_empty());
    }
}

#[test]
fn an_unknown_canadian_item_names_the_nearest_items_of_its_heading() {
    let e = engine();
    let err = duty::assess(&e, &entry("CA", "US", "0105.11.99")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "hts: 0105.11.99 is not a Canadian tariff item known to quid (2026 (CBSA sample, \
         chapters 01-02), 70 items, and the 1891 further items of Canada's surtax and remission \
         lists); the nearest items under heading 0105: 0105.11.10, 0105.11.21, 0105.11.22, \
         0105.11.90, 0105.12.10"
    );
    let err = duty::assess(&e, &entry("CA", "US", "9999.99.99")).unwrap_err();
    assert!(err
        .to_string()
        .ends_with("no item under heading 9999 is known (load the full tariff with --ca-tariff)"));
    let err = duty::assess(&e, &entry("CA", "US", "0105.11")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "hts: 0105.11 is not a Canadian tariff item: a tariff item has 8 digits (a \
         classification number 10)"
    );
}

#[test]
fn unmodelled_origins_are_derived_from_the_measures() {
    let e = engine();
    let m = &e.coverage().modelled;
    let names = |c: Country| -> Vec<&str> { m[&c].iter().map(|o| o.as_str()).collect() };
    assert_eq!(names(Country::US), ["CA", "MX"]);
    assert_eq!(names(Country::CA), ["US"]);
}

#[test]
fn an_origin_whose_measures_are_not_modelled_is_stated_and_refused_when_strict() {
    let e = engine();
    let car = entry("US", "JP", "8703.23.01.60");
    let a = duty::assess(&e, &car).unwrap();
    // 2.5% column 1 general plus Section 232 autos at 25% (every origin): 1,250 + 12,500.
    assert_eq!(a.total.to_string(), "13750.00");
    let statement = "measures on goods of JP are not modelled (for US imports quid models the \
                     measures on goods of CA, MX): only the base duty and the measures on goods \
                     of every origin are computed";
    assert_eq!(duty::warnings(&e, &a.entry), [statement]);
    let err = duty::assess_checked(&e, &car, true).unwrap_err();
    assert_eq!(err.to_string(), format!("origin: {statement} (--strict)"));
    // Canada models the measures on US goods only.
    let a = duty::assess_checked(&e, &entry("CA", "JP", "8703.23.00"), false).unwrap();
    assert_eq!(
        duty::warnings(&e, &a.entry),
        [
            "measures on goods of JP are not modelled (for CA imports quid models the measures on \
          goods of US): only the base duty and the measures on goods of every origin are \
          computed"
        ]
    );
    assert!(duty::assess_checked(&e, &entry("US", "MX", "8703.23.01.60"), true).is_ok());
}

#[test]
fn the_batch_rejects_unknown_canadian_codes_and_counts_or_rejects_unmodelled_origins() {
    let e = engine();
    let d = std::env::temp_dir().join(format!("quid-i13-items-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    let input = d.join("in.csv");
    std::fs::write(
        &input,
        "importer,origin,hts,date,value\n\
         CA,US,8703.23.00,2025-06-01,50000\n\
         CA,US,8703.23.01.60,2025-06-01,50000\n\
         US,JP,8703.23.01.60,2025-06-01,50000\n",
    )
    .unwrap();
    let go = |strict: bool| {
        let req = BatchRequest {
            input: input.clone(),
            output: Some(d.join("out.csv")),
            strict,
        };
        let r = run(&e, &req, &|_| {}, &|_| {}).unwrap();
        let rejects = std::fs::read_to_string(d.join("out.rejects.csv")).unwrap();
        (r, rejects)
    };
    let (r, rejects) = go(false);
    assert_eq!((r.assessed, r.rejected), (2, 1));
    assert_eq!(r.total_duty.cad.to_string(), "12500.00");
    assert_eq!(r.total_duty.usd.to_string(), "13750.00");
    assert_eq!(
        r.unmodelled,
        [Unmodelled {
            importer: Country::US,
            origin: Country::parse("JP").unwrap(),
            lines: 1
        }]
    );
    assert!(rejects.contains(
        "3,\"hts: 8703.23.01.60 is a US HTS number, not a Canadian tariff item (8703.23.01 is \
         not among the Canadian tariff items quid knows); the Canadian tariff item is \
         8703.23.00\""
    ));
    let (r, rejects) = go(true);
    assert_eq!((r.assessed, r.rejected), (1, 2));
    assert!(r.unmodelled.is_empty());
    assert!(rejects.contains("4,\"origin: measures on goods of JP are not modelled"));
    std::fs::remove_dir_all(&d).unwrap();
}
