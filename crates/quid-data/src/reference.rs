//! The engine's reference data drawn from the bundle: the schedules' lines for an entry (the
//! engine's [`TariffLines`], whose rules pick the column: see [`quid_engine::base_rate`]), the
//! law parameters read with the schedules, and BEA metal-content shares as stand-ins for
//! undeclared metal content. Everything returned is borrowed: no allocation per entry.
//!
//! Finding the line is this module's: the Canadian item or its nearest ancestor in the edition
//! in force; for the US, the line or its nearest rated ancestor at 8 digits or more in the
//! edition in force, else in the newest bundled edition that has it (a code created or split
//! later, marked as a stand-in), else the common rate of its statistical lines, else its nearest
//! rated ancestor at any level (a stand-in).
//!
//! The bundled schedules and metal shares, asked for the base rate of a Canadian car with and
//! without a USMCA claim:
//!
//! ```
//! use quid_core::{parse_date, Country, HsCode};
//! use quid_data::params::read_metal_shares;
//! use quid_data::reference::BundleReference;
//! use quid_data::{Bundle, Schedules};
//! use quid_engine::{Authority, Entry, Reference};
//! use rust_decimal::Decimal;
//!
//! let bundle = Bundle::at(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
//! let reference = BundleReference::new(
//!     Schedules::load_bundled(&bundle).unwrap(),
//!     &read_metal_shares(&bundle.metal_content()).unwrap(),
//! );
//! // 8703.23.01 in the 2025 basic edition: general 2.5%, special "Free (A+,AU,...,S,SG)".
//! let mut car = Entry::new(
//!     Country::US,
//!     Country::CA,
//!     HsCode::parse("8703.23.01.90").unwrap(),
//!     parse_date("2025-07-01").unwrap(),
//!     Decimal::new(30_000, 0),
//! );
//! let b = reference.base_rate(&car).unwrap();
//! assert_eq!((b.authority, b.text, b.line.dotted()), (Authority::MFN, "2.5%", "8703.23.01.90".to_string()));
//! car.preference_claim = true;
//! let b = reference.base_rate(&car).unwrap();
//! assert_eq!((b.authority, b.text), (Authority::USMCA, "Free"));
//! ```

use crate::params::MetalShares;
use crate::schedule::TariffLine;
use crate::Schedules;
use quid_core::{Country, HsCode};
use quid_engine::base_rate::{RateCell, ScheduleLine, SpecialCell};
use quid_engine::{
    BaseRate, BaseRateError, Entry, Law, Lookup, MetalShare, Reference, TariffLines,
};
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Schedules and stand-in shares, as the engine's [`Reference`].
pub struct BundleReference {
    pub schedules: Schedules,
    metal: HashMap<HsCode, MetalShare, quid_core::IntBuildHasher>,
}

impl BundleReference {
    /// Builds the reference data; metal shares are converted to decimals once, here.
    pub fn new(schedules: Schedules, metal: &MetalShares) -> BundleReference {
        let d = |x: f64| Decimal::from_f64(x).unwrap_or_default().round_dp(6);
        let metal: HashMap<HsCode, MetalShare, quid_core::IntBuildHasher> = metal
            .0
            .iter()
            .map(|(k, v): (&HsCode, &crate::params::MetalContent)| {
                (
                    *k,
                    MetalShare {
                        steel: d(v.share.steel),
                        aluminum: d(v.share.aluminum),
                        copper: d(v.share.copper),
                    },
                )
            })
            .collect();
        BundleReference { schedules, metal }
    }

    /// Builds the reference data from shares already converted (a snapshot's).
    pub fn from_parts(
        schedules: Schedules,
        metal: HashMap<HsCode, MetalShare, quid_core::IntBuildHasher>,
    ) -> BundleReference {
        BundleReference { schedules, metal }
    }

    /// The metal-content stand-ins by HS10 line.
    pub fn metal_shares(&self) -> &HashMap<HsCode, MetalShare, quid_core::IntBuildHasher> {
        &self.metal
    }
}

/// A schedule line as the engine's rules read it (borrowed).
fn view(l: &TariffLine) -> ScheduleLine<'_> {
    ScheduleLine {
        code: l.code,
        general: l.general.as_ref().map(|c| RateCell {
            text: &c.text,
            rate: c.rate.as_deref().map_err(|e| &**e),
            stated_on: c.from,
        }),
        special: l.special.as_ref().map(|c| SpecialCell {
            text: &c.text,
            rates: c.rates.as_deref().ok(),
            stated_on: c.from,
        }),
    }
}

/// For a code given at fewer digits than the schedule's lines (an 8-digit code whose rate is
/// printed only on its 10-digit statistical lines): the first of those lines, when they all
/// carry the same general rate.
fn common_child<'s>(s: &'s crate::Schedule, code: &HsCode) -> Option<&'s TariffLine> {
    let mut children = s
        .under(code)
        .iter()
        .filter(|l| l.code.level() > code.level() && l.general.is_some());
    let first = children.next()?;
    let text = first.general.as_ref().map(|g| &g.text)?;
    children
        .all(|l| l.general.as_ref().is_some_and(|g| &g.text == text))
        .then_some(first)
}

impl TariffLines for Schedules {
    fn line_for(&self, entry: &Entry) -> Result<Lookup<'_>, BaseRateError> {
        let choice = self.for_date(entry.importer, entry.date)?;
        let s = choice.schedule;
        let edition = s.edition.as_str();
        if entry.importer == Country::CA {
            return Ok(match s.find(&entry.hs) {
                Some(l) => Lookup::Found {
                    line: view(l),
                    edition,
                    stand_in: choice.stand_in,
                },
                None => Lookup::Missing {
                    edition,
                    partial: s.partial,
                },
            });
        }
        let (l, edition, stand_in) = match s.rated(&entry.hs, 8) {
            Some(l) => (l, edition, choice.stand_in),
            None => self
                .us
                .iter()
                .rev()
                .find_map(|other| {
                    other
                        .rated(&entry.hs, 8)
                        .map(|l| (l, other.edition.as_str(), true))
                })
                .or_else(|| common_child(s, &entry.hs).map(|l| (l, edition, choice.stand_in)))
                .or_else(|| s.rated(&entry.hs, 2).map(|l| (l, edition, true)))
                .ok_or(BaseRateError::NoLine {
                    code: entry.hs,
                    importer: s.importer,
                })?,
        };
        Ok(Lookup::Found {
            line: view(l),
            edition,
            stand_in,
        })
    }
}

impl Reference for BundleReference {
    fn base_rate(&self, entry: &Entry) -> Result<BaseRate<'_>, BaseRateError> {
        quid_engine::base_rate::base_rate(&self.schedules.law, &self.schedules, entry)
    }

    fn metal_share(&self, hs: &HsCode) -> Option<MetalShare> {
        self.metal.get(hs).copied()
    }

    fn law(&self) -> &Law {
        &self.schedules.law
    }
}
