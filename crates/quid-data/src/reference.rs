//! The engine's reference data drawn from the bundle: base rates from the schedule edition in
//! force (MFN, or the USMCA `S` / CUSMA `UST` rate when claimed) and BEA metal-content shares
//! as stand-ins for undeclared metal content. Everything returned is borrowed: no allocation
//! per entry.

use crate::params::MetalShares;
use crate::schedule::TariffLine;
use crate::Schedules;
use quid_core::rate::RateExpr;
use quid_core::{Country, HsCode};
use quid_engine::{Authority, BaseBasis, BaseRate, Entry, MetalShare, Reference};
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
}

static FREE: RateExpr = RateExpr::Free { condition: None };

/// Supply-managed products (dairy, poultry, eggs and their preparations) whose over-access
/// items keep MFN rates for US goods, as the bundled sample shows for 0105.11.22 (no UST rate).
/// This is a precaution, not a rate: for an item outside the loaded schedule in these chapters
/// and headings the base rate is reported unknown instead of free under the CUSMA rule, so a
/// wrong guess can only withhold a number, never print a wrong one.
fn supply_managed(hs: &HsCode) -> bool {
    const HEADINGS: [u64; 8] = [105, 207, 209, 1601, 1602, 1901, 2105, 3501];
    hs.chapter() == 4 || HEADINGS.contains(&(hs.truncate(4).padded() / 1_000_000))
}

/// A programme's rate in a line's special (US) or preferential (Canada) column.
fn special_rate<'r>(l: &'r TariffLine, program: &str) -> Option<&'r RateExpr> {
    match l.special.as_ref().map(|c| &c.rates) {
        Some(Ok(sp)) => sp.rate_for(program),
        _ => None,
    }
}

/// The base rate read from a line's special or preferential column.
fn preferential<'r>(
    l: &'r TariffLine,
    rate: &'r RateExpr,
    authority: Authority,
    column: &'static str,
    edition: &'r str,
    stand_in: bool,
) -> BaseRate<'r> {
    let cell = l.special.as_ref();
    BaseRate {
        rate: Some(rate),
        authority,
        line: l.code,
        text: if rate.is_free() {
            "Free"
        } else {
            cell.map_or("", |c| &c.text)
        },
        basis: BaseBasis::Schedule {
            column,
            edition,
            stated_on: cell.map_or(l.code, |c| c.from),
            stand_in,
        },
    }
}

fn general<'r>(
    l: &'r TariffLine,
    authority: Authority,
    column: &'static str,
    edition: &'r str,
    stand_in: bool,
) -> Result<BaseRate<'r>, String> {
    let cell = l
        .general
        .as_ref()
        .ok_or_else(|| format!("line {} has no general rate", l.code.dotted()))?;
    let rate = cell.rate.as_ref().map_err(|e| {
        format!(
            "line {} rate {:?} not understood: {e}",
            l.code.dotted(),
            cell.text
        )
    })?;
    Ok(BaseRate {
        rate: Some(rate),
        authority,
        line: l.code,
        text: &cell.text,
        basis: BaseBasis::Schedule {
            column,
            edition,
            stated_on: cell.from,
            stand_in,
        },
    })
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

impl Reference for BundleReference {
    fn base_rate(&self, entry: &Entry) -> Result<BaseRate<'_>, String> {
        let choice = self
            .schedules
            .for_date(entry.importer, entry.date)
            .map_err(|e| e.to_string())?;
        let s = choice.schedule;
        let edition = s.edition.as_str();
        if entry.importer == Country::CA {
            let line = s.find(&entry.hs);
            let claimed =
                entry.preference_claim && matches!(entry.origin, Country::US | Country::MX);
            let (program, authority, column) = if entry.origin == Country::MX {
                ("MXT", Authority::MXT, "MXT (Mexico Tariff)")
            } else {
                ("UST", Authority::UST, "UST (United States Tariff)")
            };
            if let Some(l) = line {
                if let Some(r) = claimed.then(|| special_rate(l, program)).flatten() {
                    return Ok(preferential(
                        l,
                        r,
                        authority,
                        column,
                        edition,
                        choice.stand_in,
                    ));
                }
                return general(l, Authority::CA_MFN, "MFN", edition, choice.stand_in);
            }
            if claimed && entry.origin == Country::US && !supply_managed(&entry.hs) {
                return Ok(BaseRate {
                    rate: Some(&FREE),
                    authority: Authority::UST,
                    line: entry.hs,
                    text: "Free",
                    basis: BaseBasis::CusmaRule { edition },
                });
            }
            return Ok(BaseRate {
                rate: None,
                authority: Authority::CA_MFN,
                line: entry.hs,
                text: "unknown",
                basis: BaseBasis::Unknown {
                    edition,
                    partial: s.partial,
                },
            });
        }
        // The line, or its nearest ancestor that states a rate, in the edition in force; a code
        // created or split later is read from the nearest bundled edition that has it, and
        // marked as a stand-in.
        let in_force = s.rated(&entry.hs, 8);
        let (l, edition, stand_in) = match in_force {
            Some(l) => (l, edition, choice.stand_in),
            None => self
                .schedules
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
                .ok_or_else(|| {
                    format!(
                        "no line {} in any bundled {} schedule",
                        entry.hs.dotted(),
                        s.importer
                    )
                })?,
        };
        if entry.preference_claim && matches!(entry.origin, Country::CA | Country::MX) {
            if let Some(r) = special_rate(l, "S").filter(|r| r.is_numeric()) {
                let column = "column 1 special, programme S (USMCA, General Note 11)";
                return Ok(preferential(
                    l,
                    r,
                    Authority::USMCA,
                    column,
                    edition,
                    stand_in,
                ));
            }
        }
        general(l, Authority::MFN, "column 1 general", edition, stand_in)
    }

    fn metal_share(&self, hs: &HsCode) -> Option<MetalShare> {
        self.metal.get(hs).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn supply_managed_items() {
        assert!(supply_managed(&HsCode::parse("0401.10.10").unwrap()));
        assert!(supply_managed(&HsCode::parse("0105.11.22").unwrap()));
        assert!(supply_managed(&HsCode::parse("0207.11.91").unwrap()));
        assert!(!supply_managed(&HsCode::parse("7208.10.00").unwrap()));
    }
}
