//! Duty on one entry: the entry record converted once into an [`Entry`] and assessed, layer by
//! layer. The report is the engine's [`Assessment`], which serialises with every layer, base,
//! rate, amount and citation.

use crate::{Engine, Result};
use quid_engine::{Assessment, Entry, EntryRecord};

/// Reads and assesses one entry record.
pub fn assess<'e>(engine: &'e Engine, record: &EntryRecord) -> Result<Assessment<'e>> {
    let entry = record.to_entry()?;
    assess_entry(engine, &entry)
}

/// Assesses an entry already read.
pub fn assess_entry<'e>(engine: &'e Engine, entry: &Entry) -> Result<Assessment<'e>> {
    Ok(engine.policy.assess(entry, &engine.reference)?)
}

/// The currency an importer's values are in.
pub fn currency(entry: &Entry) -> &'static str {
    match entry.importer {
        quid_core::Country::CA => "CAD",
        _ => "USD",
    }
}
