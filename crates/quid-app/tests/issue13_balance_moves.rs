//! Issue 13, "Moves in the balance carry their own titles": each move shows the intervention's
//! title (not its announcement's, nor a correction's); the Section 122 expiry at its 150-day
//! limit (Trade Act of 1974, s. 122, 19 U.S.C. 2132(a); in force 2026-02-24, ended 12:01 a.m.
//! EDT 2026-07-24) is a move; the three Section 338 proclamations on Canada (Proclamations
//! 11046, 11047 and 11048 of 2026-07-20, in force 2026-08-22 after Proclamation 11056's
//! three-day suspension) are three moves; and the moves plus the day's interactions add up to
//! the change in each burden between the first and last day of the period.

use quid_app::balance::{run, BalanceRequest};
use quid_app::{App, EngineOptions};
use quid_core::{parse_date, Country};
use std::path::Path;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");

#[test]
fn moves_have_their_own_titles_and_add_up_to_the_burden() {
    let app = App::new(Some(Path::new(DATA)), parse_date("2026-12-06").unwrap()).unwrap();
    let engine = app.engine(&EngineOptions::default()).unwrap();
    let req = BalanceRequest::new(parse_date("2025-01-01").unwrap());
    let r = run(&app, &engine, &req).unwrap();
    let b = &r.balance;
    let find = |id: &str| {
        b.moves
            .iter()
            .find(|m| m.intervention == id)
            .unwrap_or_else(|| panic!("no move {id}"))
    };

    // The expiry: its own move, on the first day no longer charged, relieving Canada's goods.
    let expiry = find("US-S122-EXPIRY");
    assert_eq!(
        expiry.title,
        "US Section 122 surcharge ends at its 150-day statutory limit (Trade Act of 1974, s. 122)"
    );
    assert_eq!(expiry.date, Some(parse_date("2026-07-24").unwrap()));
    assert!(expiry.value_usd_per_year.unwrap() < -1e9);
    // An expiry is no party's concession: the US tariff concessions are its other liberalising
    // tariff moves only.
    assert_eq!(expiry.kind, quid_core::ledger::Kind::Expired);
    let (tariff, count) = b
        .moves
        .iter()
        .filter(|m| m.party == Country::US && m.kind.is_tariff())
        .filter(|m| m.evaluation == quid_core::ledger::Evaluation::Liberalising)
        .filter(|m| {
            !matches!(
                m.kind,
                quid_core::ledger::Kind::StruckDown | quid_core::ledger::Kind::Expired
            )
        })
        .fold((0.0, 0), |(v, n), m| {
            (v + m.value_usd_per_year.unwrap_or(0.0), n + 1)
        });
    let us = &r.concessions_by_us[0];
    assert_eq!((us.0, us.2), (quid_core::ledger::Category::Tariff, count));
    assert_eq!(us.1, tariff);
    let imposed = find("US-S122-IMPOSE");
    assert_eq!(
        imposed.title,
        "US Section 122 surcharge of 10% for 150 days"
    );

    // The three Section 338 proclamations: three moves under the correction that delayed them,
    // each with its own title, none with the correction's.
    let titles: Vec<(&str, &str)> = [
        "US-S338-CA-1-IMPOSE-V2",
        "US-S338-CA-2-IMPOSE-V2",
        "US-S338-CA-3-IMPOSE-V2",
    ]
    .iter()
    .map(|id| {
        let m = find(id);
        assert_eq!(m.announcement, "US-2026-08-18-S338-DELAY");
        assert_eq!(m.date, Some(parse_date("2026-08-22").unwrap()));
        assert!(m.value_usd_per_year.unwrap() > 0.0);
        (m.measures[0].as_str(), m.title.as_str())
    })
    .collect();
    assert_eq!(
        titles,
        [
            ("US-S338-CA-1", "US Section 338 duty of 50% on Canadian alcoholic beverages and other goods (Proclamation 11046)"),
            ("US-S338-CA-2", "US Section 338 duty of 50% on Canadian dairy products (Proclamation 11047)"),
            ("US-S338-CA-3", "US Section 338 duty of 50% on the Canadian motor-vehicle list (Proclamation 11048)"),
        ]
    );
    // A correction's title is never a move's.
    assert!(b
        .moves
        .iter()
        .all(|m| !m.title.starts_with("Correction:") && !m.title.starts_with("US delays")));

    // The identity: for each importer, the moves' values plus the interactions equal the
    // burden at the end less the burden at the start (each day's remainder under a dollar is
    // noise and not reported, so within a dollar per change date).
    for d in &r.directions {
        let change = d.at_end_usd - d.at_start_usd;
        let dates = r.burdens.len() as f64;
        assert!(
            (d.moves_usd + d.interactions_usd - change).abs() <= dates,
            "{}: moves {} + interactions {} != change {change}",
            d.importer,
            d.moves_usd,
            d.interactions_usd
        );
    }
    // Canada's burden changes only through its moves.
    let ca = r
        .directions
        .iter()
        .find(|d| d.importer == Country::CA)
        .unwrap();
    assert_eq!(ca.interactions_usd, 0.0);
    assert!(ca.moves_usd > 0.0);
}
