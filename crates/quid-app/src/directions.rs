//! The panels behind the `rates`, `etr` and `balance` commands, assembled from the bundle: the
//! dates an importer's duties change (measures, rules, schedule editions), the segments of the
//! balance, and one direction's panel and ETR series. The command line and the benchmarks call
//! these same functions, so a benchmark measures the work a command does.
//!
//! ```no_run
//! # fn demo(policy: &quid_engine::Policy, reference: &quid_data::reference::BundleReference,
//! #         input: &quid_econ::EtrInput, since: quid_core::Date, until: quid_core::Date) {
//! use quid_core::Country;
//! let segments = quid_app::directions::balance_segments(policy, reference, &[], since, until);
//! let (dir, _panel) =
//!     quid_app::directions::direction(policy, reference, Country::US, Country::CA, input, &segments);
//! println!("{} segments", dir.series.total.len());
//! # }
//! ```

use quid_core::ledger::Announcement;
use quid_core::{Country, Date};
use quid_data::reference::BundleReference;
use quid_econ::balance::Direction;
use quid_econ::{etr, EtrInput, Panel, Segments};
use quid_engine::Policy;

/// The dates the importer's schedule editions take effect.
pub fn edition_dates(reference: &BundleReference, importer: Country) -> Vec<Date> {
    reference
        .schedules
        .editions(importer)
        .map(|e| e.iter().map(|s| s.effective).collect())
        .unwrap_or_default()
}

/// An error when no bundled schedule answers for `date` (before the first edition and where no
/// edition stands in), so a panel or series does not report 0% for a date nothing is known of.
pub fn ensure_schedule_on(
    reference: &BundleReference,
    importer: Country,
    date: Date,
    flag: &str,
) -> crate::Result<()> {
    match reference.schedules.for_date(importer, date) {
        Err(e @ quid_engine::BaseRateError::BeforeFirstEdition { .. }) => Err(
            crate::Error::invalid(flag, format!("{e}; no rate is known before then")),
        ),
        _ => Ok(()),
    }
}

/// The dates an importer's duties change: measures, stacking rules and schedule editions.
pub fn change_dates(policy: &Policy, reference: &BundleReference, importer: Country) -> Vec<Date> {
    let mut d = policy.change_dates(importer);
    d.extend(edition_dates(reference, importer));
    d
}

/// The segments of the balance from `since` to `until`: cut wherever either side's duties
/// change and wherever one of the ledger's moves took effect.
pub fn balance_segments(
    policy: &Policy,
    reference: &BundleReference,
    moves: &[&Announcement],
    since: Date,
    until: Date,
) -> Segments {
    let mut cuts = change_dates(policy, reference, Country::US);
    cuts.extend(change_dates(policy, reference, Country::CA));
    cuts.extend(
        moves
            .iter()
            .flat_map(|x| x.interventions.iter().filter_map(|v| v.implemented)),
    );
    Segments::new(since, until, cuts)
}

/// One direction: the panel of `input`'s lines over `segments` and its ETR series (the panel is
/// returned too, for other weightings of the same lines).
pub fn direction(
    policy: &Policy,
    reference: &BundleReference,
    importer: Country,
    partner: Country,
    input: &EtrInput,
    segments: &Segments,
) -> (Direction, Panel) {
    let panel = Panel::build(
        policy,
        reference,
        importer,
        partner,
        input.lines.iter().map(|l| l.hs).collect(),
        segments.clone(),
        &edition_dates(reference, importer),
    );
    let dir = Direction {
        importer,
        partner,
        annual_imports_usd: input.total_weight,
        series: etr::compute(&panel, input),
    };
    (dir, panel)
}
