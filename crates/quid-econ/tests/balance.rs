//! The balance on a synthetic direction (US duties on Canadian goods, imports of US$1 million a
//! year) and a synthetic ledger, every figure worked by hand.
//!
//! Segments of 2025: 0 = Jan 1..Feb 28 (59 days), 1 = Mar 1..May 31 (92 days), 2 = Jun 1..Dec 31
//! (214 days). Rates (shares of value) by authority:
//!
//! | segment | mfn  | s338  | ieepa-ca | s232-steel | additional | burden (x 1e6) |
//! |---------|------|-------|----------|------------|------------|----------------|
//! | 0       | 0.01 | 0     | 0        | 0          | 0          | 0              |
//! | 1       | 0.01 | 0.009 | 0.02     | 0          | 0.029      | 29 000         |
//! | 2       | 0.01 | 0.007 | 0          | 0.015      | 0.022      | 22 000         |
//!
//! Moves: on Mar 1, three s338 moves (one authority, burden +9 000: 3 000 each) and the IEEPA
//! duty (+20 000); on Jun 1, IEEPA struck down (-20 000), the steel 232 (+15 000) and a fourth
//! s338 move, restrictive, on a day its authority's burden fell by 2 000 (valued 0, with a note).
//! The s338 fall of 2 000 on Jun 1 is carried by no move: the day's interaction. Moves that are
//! not valued (announced, outside the period, no direction, no additional-duty authority,
//! non-tariff) carry a note instead.
//! Moves plus interactions: 9 000 + 20 000 - 20 000 + 15 000 + 0 - 2 000 = 22 000, the change
//! in burden from the first segment (0) to the last (22 000).

use quid_core::ledger::{Announcement, Category, Evaluation, Intervention, Kind, MoveStatus};
use quid_core::{parse_date, Citation, Country, Date};
use quid_econ::balance::{self, Direction};
use quid_econ::{authority_index, EtrSeries, Segments, AUTHORITY_COUNT};

const W: f64 = 1_000_000.0;

fn d(s: &str) -> Date {
    parse_date(s).unwrap()
}

fn close(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() <= 1e-9 * want.abs().max(1.0),
        "{what}: got {got}, expected {want}"
    );
}

fn rates(parts: &[(&str, f64)]) -> [f64; AUTHORITY_COUNT] {
    let mut r = [0.0; AUTHORITY_COUNT];
    for (a, v) in parts {
        r[authority_index(a) as usize] += v;
    }
    r
}

fn direction() -> Direction {
    let segments = Segments::new(
        d("2025-01-01"),
        d("2025-12-31"),
        [d("2025-03-01"), d("2025-06-01")],
    );
    let by_authority = vec![
        rates(&[("mfn", 0.01)]),
        rates(&[("mfn", 0.01), ("s338", 0.009), ("ieepa-ca", 0.02)]),
        rates(&[("mfn", 0.01), ("s338", 0.007), ("s232-steel", 0.015)]),
    ];
    let total = by_authority.iter().map(|r| r.iter().sum()).collect();
    Direction {
        importer: Country::US,
        partner: Country::CA,
        series: EtrSeries {
            segments,
            total,
            by_authority,
            by_group: vec![Vec::new(); 3],
            groups: Vec::new(),
            total_weight: W,
            matched_weight: W,
            unknown_base_weight: vec![0.0; 3],
        },
        annual_imports_usd: W,
    }
}

fn mv(
    id: &str,
    kind: Kind,
    measure: &str,
    date: &str,
    ev: Evaluation,
    status: MoveStatus,
) -> Intervention {
    Intervention {
        id: id.into(),
        title: None,
        kind,
        category: Category::Tariff,
        measures: vec![measure.into()],
        implemented: Some(d(date)),
        removed: None,
        evaluation: ev,
        status,
        confidence: quid_core::Confidence::H,
        enforceable: None,
        declared_value: None,
    }
}

fn announcement(
    id: &str,
    party: Country,
    affected: Country,
    moves: Vec<Intervention>,
) -> Announcement {
    Announcement {
        id: id.into(),
        title: id.into(),
        party,
        affected: vec![affected],
        announced: d("2025-01-01"),
        recorded: d("2025-01-01"),
        supersedes: None,
        sources: vec![Citation {
            kind: None,
            title: "test".into(),
            url: None,
            date: None,
            pinpoint: None,
        }],
        wording: Vec::new(),
        notes: None,
        interventions: moves,
    }
}

/// The authorities of a measure reference, as the engine would name them.
fn authorities_of(m: &str) -> Vec<String> {
    let a = match m {
        m if m.starts_with("M-S338") => "s338",
        "M-IEEPA" => "ieepa-ca",
        "M-STEEL" => "s232-steel",
        "M-SURTAX" => "ca-surtax-2025-1",
        // A base-rate change: the balance values additional duties only.
        "M-MFN" => "mfn",
        _ => return Vec::new(),
    };
    vec![a.to_string()]
}

fn ledger() -> Vec<Announcement> {
    use Evaluation::{Liberalising, Restrictive};
    use MoveStatus::{Announced, Implemented, StruckDown};
    let non_tariff = |id: &str, measure: &str, date: &str, ev: Evaluation| {
        let mut m = mv(id, Kind::NonTariff, measure, date, ev, Implemented);
        m.category = Category::NonTariff;
        m
    };
    vec![
        announcement(
            "A-S338",
            Country::US,
            Country::CA,
            vec![
                mv(
                    "s338-1",
                    Kind::TariffImposed,
                    "M-S338-1",
                    "2025-03-01",
                    Restrictive,
                    Implemented,
                ),
                mv(
                    "s338-2",
                    Kind::TariffImposed,
                    "M-S338-2",
                    "2025-03-01",
                    Restrictive,
                    Implemented,
                ),
                mv(
                    "s338-3",
                    Kind::TariffImposed,
                    "M-S338-3",
                    "2025-03-01",
                    Restrictive,
                    Implemented,
                ),
                // A non-tariff move naming an s338 measure the same day: not a tariff move, so
                // it takes no share of the s338 change.
                non_tariff("s338-ban", "M-S338-9", "2025-03-01", Restrictive),
            ],
        ),
        announcement(
            "A-IEEPA",
            Country::US,
            Country::CA,
            vec![
                // The imposition, later held unlawful (its status), and the ruling itself: only
                // the ruling reports the refund.
                mv(
                    "ieepa-on",
                    Kind::TariffImposed,
                    "M-IEEPA",
                    "2025-03-01",
                    Restrictive,
                    StruckDown,
                ),
                mv(
                    "ieepa-off",
                    Kind::StruckDown,
                    "M-IEEPA",
                    "2025-06-01",
                    Liberalising,
                    StruckDown,
                ),
                // A move on a day its authority did not change: 0, with no note.
                mv(
                    "ieepa-steady",
                    Kind::TariffRaised,
                    "M-IEEPA",
                    "2025-04-15",
                    Restrictive,
                    Implemented,
                ),
            ],
        ),
        announcement(
            "A-STEEL",
            Country::US,
            Country::CA,
            vec![
                mv(
                    "steel",
                    Kind::TariffImposed,
                    "M-STEEL",
                    "2025-06-01",
                    Restrictive,
                    Implemented,
                ),
                mv(
                    "s338-4",
                    Kind::TariffRaised,
                    "M-S338-4",
                    "2025-06-01",
                    Restrictive,
                    Implemented,
                ),
                // A liberalising move on a day its authority rose (s338, Mar 1): 0, noted.
                mv(
                    "s338-exempt",
                    Kind::TariffNarrowed,
                    "M-S338-8",
                    "2025-03-01",
                    Liberalising,
                    Implemented,
                ),
                // Not in force: never valued.
                mv(
                    "steel-more",
                    Kind::TariffRaised,
                    "M-STEEL",
                    "2025-06-01",
                    Restrictive,
                    Announced,
                ),
                // Outside the balance period.
                mv(
                    "steel-late",
                    Kind::TariffRaised,
                    "M-STEEL",
                    "2026-01-15",
                    Restrictive,
                    Implemented,
                ),
                // A base-rate cut: no additional-duty authority.
                mv(
                    "mfn-cut",
                    Kind::TariffLowered,
                    "M-MFN",
                    "2025-03-01",
                    Liberalising,
                    Implemented,
                ),
            ],
        ),
        // The US on Mexico: no direction here, no trade weights.
        announcement(
            "A-MX",
            Country::US,
            Country::MX,
            vec![mv(
                "mx-steel",
                Kind::TariffImposed,
                "M-STEEL",
                "2025-09-01",
                Restrictive,
                Implemented,
            )],
        ),
        // Canada has no direction here either.
        announcement(
            "A-CA",
            Country::CA,
            Country::US,
            vec![mv(
                "surtax",
                Kind::TariffImposed,
                "M-SURTAX",
                "2025-03-01",
                Restrictive,
                Implemented,
            )],
        ),
    ]
}

fn value(b: &balance::Balance, id: &str) -> Option<f64> {
    b.moves
        .iter()
        .find(|m| m.intervention == id)
        .unwrap_or_else(|| panic!("no move {id}"))
        .value_usd_per_year
}

fn note(b: &balance::Balance, id: &str) -> Option<String> {
    b.moves
        .iter()
        .find(|m| m.intervention == id)
        .and_then(|m| m.note.clone())
}

fn compute() -> balance::Balance {
    compute_with(ledger())
}

fn compute_with(entries: Vec<Announcement>) -> balance::Balance {
    let refs: Vec<&Announcement> = entries.iter().collect();
    balance::compute(
        &refs,
        &[direction()],
        &authorities_of,
        d("2025-01-01"),
        d("2025-12-31"),
        d("2025-12-31"),
    )
}

#[test]
fn burden_is_the_additional_rate_times_imports() {
    let dir = direction();
    // Segment 0: total 0.01 less MFN 0.01 = 0.
    close(dir.burden(d("2025-02-28")), 0.0, "Feb 28");
    // Segment 1: (0.039 - 0.01) x 1e6 = 29 000.
    close(dir.burden(d("2025-03-01")), 29_000.0, "Mar 1");
    close(dir.burden(d("2025-05-31")), 29_000.0, "May 31");
    // Segment 2: (0.032 - 0.01) x 1e6 = 22 000.
    close(dir.burden(d("2025-12-31")), 22_000.0, "Dec 31");
    // Outside the series: 0.
    close(dir.burden(d("2026-01-01")), 0.0, "2026");
}

#[test]
fn collected_is_the_annual_burden_times_the_years() {
    let dir = direction();
    // s338: 0.009 x 1e6 x 92 / 365 + 0.007 x 1e6 x 214 / 365 = (828 000 + 1 498 000) / 365.
    close(
        dir.collected(authority_index("s338") as usize),
        2_326_000.0 / 365.0,
        "s338",
    );
    // IEEPA: 0.02 x 1e6 x 92 / 365 = 1 840 000 / 365.
    close(
        dir.collected(authority_index("ieepa-ca") as usize),
        1_840_000.0 / 365.0,
        "ieepa",
    );
    // MFN all year: 0.01 x 1e6 x 365 / 365 = 10 000.
    close(dir.collected(0), 10_000.0, "mfn");
}

#[test]
fn each_move_gets_its_share_of_its_authority_change() {
    let b = compute();
    // s338 on Mar 1: burden 0 -> 9 000, three moves: 9 000 / 3 = 3 000 each (crediting each
    // with the whole 9 000 would give 27 000 for a change of 9 000).
    for id in ["s338-1", "s338-2", "s338-3"] {
        close(value(&b, id).unwrap(), 3_000.0, id);
    }
    // IEEPA on Mar 1: 0 -> 0.02 x 1e6 = 20 000; struck down on Jun 1: 20 000 -> 0.
    close(value(&b, "ieepa-on").unwrap(), 20_000.0, "ieepa-on");
    close(value(&b, "ieepa-off").unwrap(), -20_000.0, "ieepa-off");
    // Steel 232 on Jun 1: 0 -> 0.015 x 1e6 = 15 000.
    close(value(&b, "steel").unwrap(), 15_000.0, "steel");
    // A restrictive s338 move on a day s338 fell (9 000 -> 7 000): not credited with the fall.
    close(value(&b, "s338-4").unwrap(), 0.0, "s338-4");
    assert_eq!(
        note(&b, "s338-4").as_deref(),
        Some("the duty of its measures moved the other way on that date; not attributed to this move")
    );
    // The struck-down IEEPA move reports what was collected under it: 1 840 000 / 365.
    let off = b
        .moves
        .iter()
        .find(|m| m.intervention == "ieepa-off")
        .unwrap();
    close(
        off.refundable_usd.unwrap(),
        1_840_000.0 / 365.0,
        "refundable",
    );
    // Moves that are not valued say why.
    assert_eq!(value(&b, "steel-more"), None);
    assert_eq!(
        note(&b, "steel-more").as_deref(),
        Some("announced: not in force, not valued")
    );
    assert_eq!(value(&b, "steel-late"), None);
    assert_eq!(
        note(&b, "steel-late").as_deref(),
        Some("outside the balance period")
    );
    for id in ["surtax", "mx-steel"] {
        assert_eq!(value(&b, id), None, "{id}");
        assert_eq!(
            note(&b, id).as_deref(),
            Some("no trade weights for this direction"),
            "{id}"
        );
    }
    assert_eq!(value(&b, "mfn-cut"), None);
    assert_eq!(
        note(&b, "mfn-cut").as_deref(),
        Some("its measures are not modelled by the duty engine (no authority)")
    );
    assert_eq!(value(&b, "s338-ban"), None);
    assert_eq!(
        note(&b, "s338-ban").as_deref(),
        Some("no declared value in the sources")
    );
    // A liberalising move on a day its authority rose: not credited with the rise.
    close(value(&b, "s338-exempt").unwrap(), 0.0, "s338-exempt");
    assert_eq!(
        note(&b, "s338-exempt").as_deref(),
        Some("the duty of its measures moved the other way on that date; not attributed to this move")
    );
    // IEEPA on Apr 15: no change that day, 0 and no note (it did not move the other way).
    close(value(&b, "ieepa-steady").unwrap(), 0.0, "ieepa-steady");
    assert_eq!(note(&b, "ieepa-steady"), None);
    // The imposition, struck down later, is valued but reports no refund: the ruling does.
    let on = b
        .moves
        .iter()
        .find(|m| m.intervention == "ieepa-on")
        .unwrap();
    assert_eq!(on.refundable_usd, None);
}

#[test]
fn moves_plus_interactions_equal_the_change_in_burden() {
    let b = compute();
    // Jun 1: burden 29 000 -> 22 000 = -7 000; its moves: -20 000 + 15 000 + 0 = -5 000; the
    // rest, s338 falling 9 000 -> 7 000 with no move, is the interaction: -2 000. Mar 1 is
    // fully carried by its moves (3 x 3 000 + 20 000 = 29 000): no interaction.
    assert_eq!(b.interactions.len(), 1, "{:?}", b.interactions);
    assert_eq!(b.interactions[0].party, Country::US);
    assert_eq!(b.interactions[0].date, d("2025-06-01"));
    close(
        b.interactions[0].value_usd_per_year,
        -2_000.0,
        "interaction",
    );
    let dir = direction();
    let change = dir.burden(d("2025-12-31")) - dir.burden(d("2025-01-01"));
    let moves: f64 = b
        .moves
        .iter()
        .filter(|m| m.party == Country::US)
        .filter_map(|m| m.value_usd_per_year)
        .sum();
    let interactions: f64 = b.interactions.iter().map(|i| i.value_usd_per_year).sum();
    // 9 000 + 20 000 - 20 000 + 15 000 + 0 - 2 000 = 22 000 - 0.
    close(moves + interactions, change, "moves + interactions");
    close(change, 22_000.0, "change");
}

/// Concessions count a party's liberalising moves other than court rulings. The struck-down
/// IEEPA move is a ruling; the MFN cut is not valued and the s338 exemption is credited 0 (its
/// authority rose that day), so the US has two tariff concessions worth 0 in the ledger. Add
/// two liberalising s338 moves on Jun 1 and they share
/// the s338 fall of 2 000 (-1 000 each), which is then no longer an interaction; and a
/// liberalising non-tariff move, counted in its own category with no dollar value.
#[test]
fn concessions_and_liberalising_moves_taking_the_fall() {
    let b = compute();
    assert_eq!(
        balance::concessions(&b, Country::US),
        vec![(Category::Tariff, 0.0, 2)]
    );
    let mut entries = ledger();
    let lower = |id: &str, measure: &str| {
        mv(
            id,
            Kind::TariffLowered,
            measure,
            "2025-06-01",
            Evaluation::Liberalising,
            MoveStatus::Implemented,
        )
    };
    let mut pledge = mv(
        "pledge",
        Kind::NonTariff,
        "M-NONE",
        "2025-06-01",
        Evaluation::Liberalising,
        MoveStatus::Implemented,
    );
    pledge.category = Category::NonTariff;
    entries.push(announcement(
        "A-S338-LOWER",
        Country::US,
        Country::CA,
        vec![
            lower("s338-lower-a", "M-S338-5"),
            lower("s338-lower-b", "M-S338-6"),
            pledge,
        ],
    ));
    let b = compute_with(entries);
    close(value(&b, "s338-lower-a").unwrap(), -1_000.0, "s338-lower-a");
    close(value(&b, "s338-lower-b").unwrap(), -1_000.0, "s338-lower-b");
    // The restrictive s338 move of the same day still gets nothing: 0.
    close(value(&b, "s338-4").unwrap(), 0.0, "s338-4");
    assert_eq!(b.interactions.len(), 0, "{:?}", b.interactions);
    // Tariff: the MFN cut and the s338 exemption (0) and the two s338 cuts (-2 000), 4 moves;
    // non-tariff: 1 move.
    let c = balance::concessions(&b, Country::US);
    assert_eq!(c.len(), 2, "{c:?}");
    assert_eq!((c[0].0, c[0].2), (Category::Tariff, 4));
    close(c[0].1, -2_000.0, "tariff concessions");
    assert_eq!(c[1], (Category::NonTariff, 0.0, 1));
    // Canada made none.
    assert_eq!(balance::concessions(&b, Country::CA), Vec::new());
}

/// A period from 2025-05-31 to 2025-06-01: only the changes of its last day are valued and only
/// its interaction is reported (the first day's burden is the start; the last day counts).
#[test]
fn a_period_of_two_days_values_the_second_day_only() {
    let entries = ledger();
    let refs: Vec<&Announcement> = entries.iter().collect();
    let day = d("2025-06-01");
    let b = balance::compute(
        &refs,
        &[direction()],
        &authorities_of,
        d("2025-05-31"),
        day,
        day,
    );
    close(value(&b, "steel").unwrap(), 15_000.0, "steel");
    close(value(&b, "ieepa-off").unwrap(), -20_000.0, "ieepa-off");
    assert_eq!(value(&b, "s338-1"), None);
    assert_eq!(
        note(&b, "s338-1").as_deref(),
        Some("outside the balance period")
    );
    assert_eq!(b.interactions.len(), 1, "{:?}", b.interactions);
    assert_eq!(b.interactions[0].date, day);
    close(
        b.interactions[0].value_usd_per_year,
        -2_000.0,
        "interaction",
    );
}

/// The burden by authority on a date, largest first, zero authorities left out.
#[test]
fn burden_by_authority_is_sorted_and_leaves_out_zeros() {
    let dir = direction();
    // Mar 1..May 31: IEEPA 0.02 x 1e6 = 20 000, s338 0.009 x 1e6 = 9 000.
    let b = balance::burden_by_authority(&dir, d("2025-03-01"));
    assert_eq!(b.len(), 2, "{b:?}");
    assert_eq!((b[0].0, b[1].0), ("ieepa-ca", "s338"));
    close(b[0].1, 20_000.0, "ieepa");
    close(b[1].1, 9_000.0, "s338");
    // Jun 1 on: steel 15 000, s338 7 000.
    let b = balance::burden_by_authority(&dir, d("2025-06-01"));
    assert_eq!(b.len(), 2, "{b:?}");
    assert_eq!((b[0].0, b[1].0), ("s232-steel", "s338"));
    close(b[0].1, 15_000.0, "steel");
    close(b[1].1, 7_000.0, "s338");
    // Before Mar 1 there is no additional duty (MFN is not an additional authority).
    assert_eq!(
        balance::burden_by_authority(&dir, d("2025-02-01")),
        Vec::new()
    );
}

/// Issue 13: a move shows its intervention's title when it has one (else its announcement's);
/// a move on the period's first day is part of the starting burden, not a change within the
/// period; and `change_check` gives the identity moves + interactions = B(until) - B(since).
#[test]
fn moves_carry_their_own_titles_and_add_up_from_the_first_day() {
    let mut entries = ledger();
    entries[0].interventions[1].title = Some("the second s338 list".into());
    let refs: Vec<&Announcement> = entries.iter().collect();
    let dir = direction();
    let b = balance::compute(
        &refs,
        std::slice::from_ref(&dir),
        &authorities_of,
        d("2025-03-01"),
        d("2025-12-31"),
        d("2025-12-31"),
    );
    let title = |id: &str| {
        b.moves
            .iter()
            .find(|m| m.intervention == id)
            .map(|m| m.title.clone())
    };
    assert_eq!(title("s338-2").as_deref(), Some("the second s338 list"));
    assert_eq!(title("s338-1").as_deref(), Some("A-S338"));
    // Mar 1 is the first day: its moves are the start, not valued.
    assert_eq!(value(&b, "s338-1"), None);
    assert_eq!(
        note(&b, "s338-1").as_deref(),
        Some("on the first day of the period: part of the burden at its start")
    );
    // From Mar 1 (29 000) to Dec 31 (22 000): the moves of Jun 1 (IEEPA off -20 000, steel
    // +15 000, the fourth s338 move 0) and the day's interaction (s338 -2 000).
    let (moves, interactions, change) = b.change_check(&dir);
    close(moves, -5_000.0, "moves");
    close(interactions, -2_000.0, "interactions");
    close(change, -7_000.0, "change");
    // Over the whole year the same identity: 22 000 - 0.
    let b = compute();
    let (moves, interactions, change) = b.change_check(&dir);
    close(moves, 24_000.0, "moves over the year");
    close(interactions, -2_000.0, "interactions over the year");
    close(change, 22_000.0, "change over the year");
}

/// A period of one day holds no change: its burden is both the start and the end, so no move
/// is valued and none is reported as an interaction.
#[test]
fn a_one_day_period_holds_no_change() {
    let entries = ledger();
    let refs: Vec<&Announcement> = entries.iter().collect();
    let day = d("2025-06-01");
    let b = balance::compute(&refs, &[direction()], &authorities_of, day, day, day);
    assert_eq!(value(&b, "steel"), None);
    assert_eq!(
        note(&b, "steel").as_deref(),
        Some("on the first day of the period: part of the burden at its start")
    );
    assert!(b.interactions.is_empty());
}
