//! What the loaded data covers, checked on an entry before it is assessed: the Canadian tariff
//! items quid knows (a Canadian entry's code must be one), and the origins whose own measures
//! are modelled (others get only the base duty and the measures on every origin, and a
//! statement saying so).
//!
//! The known Canadian items are the schedule's 8-digit items (the bundled CBSA sample or a
//! loaded export) and every item named in the Canadian measures' lists (the surtax orders and
//! the remission order's classification numbers, cut to their 8-digit item). An origin is
//! modelled for an importer when some authority of that importer has measures only for named
//! origins (never `*`) and names it: for the bundled measures, CA and MX for the US, US for
//! Canada.

use crate::{Engine, Error, Result};
use quid_core::{Country, HsCode};
use quid_engine::Entry;
use std::collections::{BTreeMap, BTreeSet};

/// The Canadian tariff items and modelled origins of an engine.
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    /// Canadian tariff items (8 digits).
    pub ca_items: BTreeSet<HsCode>,
    /// How many items came from the schedule (the rest from the measure lists).
    pub ca_schedule_items: usize,
    /// Where the Canadian schedule came from (its edition name).
    pub ca_schedule: String,
    /// The origins whose own measures are modelled, by importer.
    pub modelled: BTreeMap<Country, BTreeSet<Country>>,
}

/// How many nearest items an unknown code's message names.
const NEAREST: usize = 5;

impl Coverage {
    /// The coverage of an engine's schedules and measures.
    pub fn of(engine: &Engine) -> Coverage {
        let schedules = &engine.reference.schedules;
        let mut ca_items = BTreeSet::new();
        for s in &schedules.ca {
            ca_items.extend(
                s.lines()
                    .iter()
                    .filter(|l| l.code.level() >= 8)
                    .map(|l| l.code.truncate(8)),
            );
        }
        let ca_schedule_items = ca_items.len();
        for (name, codes) in &engine.measures.lists {
            if name.starts_with("ca_measures/") {
                ca_items.extend(
                    codes
                        .iter()
                        .filter(|c| c.level() >= 8)
                        .map(|c| c.truncate(8)),
                );
            }
        }
        Coverage {
            ca_items,
            ca_schedule_items,
            ca_schedule: schedules
                .ca
                .last()
                .map(|s| s.edition.clone())
                .unwrap_or_default(),
            modelled: modelled_origins(engine),
        }
    }

    /// Checks an entry's code against the importer's tariff structure: a Canadian entry must
    /// name a known tariff item (8 digits) or a classification number under one (10 digits).
    /// `us` are the US schedules, to recognise a US HTS number.
    pub fn check_code(&self, entry: &Entry, us: &[quid_data::Schedule]) -> Result<()> {
        if entry.importer != Country::CA {
            return Ok(());
        }
        let code = entry.hs;
        let shown = code.dotted();
        if code.level() < 8 {
            return Err(Error::invalid(
                "hts",
                format!(
                    "{shown} is not a Canadian tariff item: a tariff item has 8 digits \
                     (a classification number 10)"
                ),
            ));
        }
        let item = code.truncate(8);
        if self.ca_items.contains(&item) {
            return Ok(());
        }
        let heading = code.truncate(4);
        if us.iter().any(|s| s.get(&code).is_some()) {
            let sub = code.truncate(6);
            let under: Vec<String> = self.items_under(&sub).map(|c| c.dotted()).collect();
            let hint = match under.as_slice() {
                [one] => format!("the Canadian tariff item is {one}"),
                [] => self.nearest_text(&heading, item),
                many => format!(
                    "the Canadian tariff items under subheading {} are {}",
                    sub.dotted(),
                    many.join(", ")
                ),
            };
            return Err(Error::invalid(
                "hts",
                format!(
                    "{shown} is a US HTS number, not a Canadian tariff item ({} is not among \
                     the Canadian tariff items quid knows); {hint}",
                    item.dotted()
                ),
            ));
        }
        Err(Error::invalid(
            "hts",
            format!(
                "{shown} is not a Canadian tariff item known to quid ({}, {} items, and the \
                 {} further items of Canada's surtax and remission lists); {}",
                self.ca_schedule,
                self.ca_schedule_items,
                self.ca_items.len() - self.ca_schedule_items,
                self.nearest_text(&heading, item)
            ),
        ))
    }

    fn items_under(&self, prefix: &HsCode) -> impl Iterator<Item = &HsCode> {
        let prefix = *prefix;
        self.ca_items
            .range(prefix..)
            .take_while(move |c| c.padded() < prefix.range_end())
    }

    /// The known items of a heading nearest to `item`, as a clause of a message.
    fn nearest_text(&self, heading: &HsCode, item: HsCode) -> String {
        let mut near: Vec<&HsCode> = self.items_under(heading).collect();
        if near.is_empty() {
            return format!(
                "no item under heading {} is known (load the full tariff with --ca-tariff)",
                heading.dotted()
            );
        }
        near.sort_by_key(|c| (c.padded().abs_diff(item.padded()), c.padded()));
        near.truncate(NEAREST);
        near.sort();
        let list: Vec<String> = near.iter().map(|c| c.dotted()).collect();
        format!(
            "the nearest items under heading {}: {}",
            heading.dotted(),
            list.join(", ")
        )
    }

    /// Whether the measures on goods of the entry's origin are modelled for its importer.
    pub fn origin_modelled(&self, entry: &Entry) -> bool {
        self.modelled
            .get(&entry.importer)
            .is_some_and(|s| s.contains(&entry.origin))
    }

    /// The statement an entry of an origin whose measures are not modelled carries.
    pub fn origin_statement(&self, entry: &Entry) -> Option<String> {
        if self.origin_modelled(entry) {
            return None;
        }
        let named: Vec<&str> = self
            .modelled
            .get(&entry.importer)
            .map(|s| s.iter().map(|c| c.as_str()).collect())
            .unwrap_or_default();
        Some(format!(
            "measures on goods of {} are not modelled (for {} imports quid models the measures \
             on goods of {}): only the base duty and the measures on goods of every origin are \
             computed",
            entry.origin,
            entry.importer,
            if named.is_empty() {
                "no origin".to_string()
            } else {
                named.join(", ")
            }
        ))
    }

    /// The origin check: under `strict`, an origin whose measures are not modelled is an
    /// error; otherwise its statement, if any.
    pub fn check_origin(&self, entry: &Entry, strict: bool) -> Result<Option<String>> {
        match self.origin_statement(entry) {
            Some(s) if strict => Err(Error::invalid("origin", format!("{s} (--strict)"))),
            other => Ok(other),
        }
    }
}

/// The origins each importer's measures model: those named by an authority whose every measure
/// names its origins.
fn modelled_origins(engine: &Engine) -> BTreeMap<Country, BTreeSet<Country>> {
    // (importer, authority) -> the origins named, or None once a measure is for every origin.
    let mut by_authority: BTreeMap<(Country, &str), Option<BTreeSet<Country>>> = BTreeMap::new();
    for (_, file) in &engine.measures.files {
        for m in &file.measure {
            let slot = by_authority
                .entry((m.importer, m.authority.as_str()))
                .or_insert_with(|| Some(BTreeSet::new()));
            let named: Option<Vec<Country>> =
                m.origins.iter().map(|o| Country::parse(o).ok()).collect();
            match (slot.as_mut(), named) {
                (Some(set), Some(named)) => set.extend(named),
                _ => *slot = None,
            }
        }
    }
    let mut out: BTreeMap<Country, BTreeSet<Country>> = BTreeMap::new();
    for ((importer, _), origins) in by_authority {
        if let Some(o) = origins {
            out.entry(importer).or_default().extend(o);
        }
    }
    out
}
