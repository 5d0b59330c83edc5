//! Duty on one entry: the entry record converted once into an [`Entry`] and assessed, layer by
//! layer. The report is the engine's [`Assessment`], which serialises with every layer, base,
//! rate, amount and citation.
//!
//! Assess one entry record against the bundled measures and schedules:
//!
//! ```
//! use quid_app::{duty, App, EngineOptions};
//! use quid_engine::EntryRecord;
//!
//! let data = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
//! let app = App::new(Some(data), quid_core::parse_date("2026-12-06").unwrap()).unwrap();
//! let engine = app.engine(&EngineOptions::default()).unwrap();
//! // A Canadian hot-rolled steel coil of value 100000 entered on 2025-07-01, no USMCA claim.
//! let record = EntryRecord {
//!     importer: "US".into(), origin: "CA".into(), hts: "7208.10.15.00".into(),
//!     date: "2025-07-01".into(), value: "100000".into(), ..EntryRecord::default()
//! };
//! let a = duty::assess(&engine, &record).unwrap();
//! assert_eq!(duty::currency(&a.entry), "USD");
//! // 7208.10.15.00 is free of base duty (HTS 2025 basic, column 1 general).
//! assert_eq!(a.base.unwrap().rate, "Free");
//! // Section 232 steel at 50% (Proclamation 10947, from 2025-06-04) on the steel content, which
//! // undeclared is the BEA stand-in share of the line: all of a steel coil's 100000. The IEEPA
//! // duty on Canada gives way to it under the bundled stacking rule.
//! assert_eq!(a.layers[0].base, rust_decimal::Decimal::new(100_000, 0));
//! let layers: Vec<_> = a.layers.iter().map(|l| (l.authority().as_str(), l.rate().into_owned(), l.amount.to_string())).collect();
//! assert_eq!(layers, [("s232-steel", "50%".to_string(), "50000.00".to_string())]);
//! assert_eq!(a.total.to_string(), "50000.00");
//! ```

use crate::{Engine, Result};
use quid_engine::{Assessment, Entry, EntryRecord};

/// Reads and assesses one entry record. A code that is not in the importer's tariff structure
/// is an error (see [`crate::coverage`]).
pub fn assess<'e>(engine: &'e Engine, record: &EntryRecord) -> Result<Assessment<'e>> {
    let entry = record.to_entry()?;
    assess_entry(engine, &entry)
}

/// The same, with `strict`: an origin whose measures are not modelled is an error too.
pub fn assess_checked<'e>(
    engine: &'e Engine,
    record: &EntryRecord,
    strict: bool,
) -> Result<Assessment<'e>> {
    let entry = record.to_entry()?;
    engine.coverage().check_origin(&entry, strict)?;
    assess_entry(engine, &entry)
}

/// Assesses an entry already read, after the check of its code.
pub fn assess_entry<'e>(engine: &'e Engine, entry: &Entry) -> Result<Assessment<'e>> {
    engine.check_code(entry)?;
    Ok(engine.policy.assess(entry, &engine.reference)?)
}

/// What a reader of an assessment must know: that the measures on goods of its origin are not
/// modelled, and past the newest date of the bundled data, that policy is only known up to
/// that date.
pub fn warnings(engine: &Engine, entry: &Entry) -> Vec<String> {
    let mut out: Vec<String> = engine
        .coverage()
        .origin_statement(entry)
        .into_iter()
        .collect();
    if let Some(last) = engine.known_until().filter(|last| entry.date > *last) {
        out.push(format!(
            "the entry date {} is after {last}, the newest date in the bundled measures and \
             schedules: policy is known only up to {last}, and this assessment applies what was \
             in force then",
            entry.date
        ));
    }
    out
}

/// The rounding of a value given with more than two decimals, as a note for the reader (the
/// record's value is rounded once, to the cent, half away from zero).
pub fn rounding_note(record: &EntryRecord, entry: &Entry) -> Option<String> {
    let given: rust_decimal::Decimal = record.value.trim().parse().ok()?;
    (given != entry.value).then(|| {
        format!(
            "value {given} rounded to the cent (half away from zero): {}",
            entry.value
        )
    })
}

/// The currency an importer's values are in.
pub fn currency(entry: &Entry) -> &'static str {
    match entry.importer {
        quid_core::Country::CA => "CAD",
        _ => "USD",
    }
}
