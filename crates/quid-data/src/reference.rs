//! The engine's reference data drawn from the bundle: base rates from the schedule edition in
//! force (MFN, or the USMCA `S` / CUSMA `UST` rate when claimed) and BEA metal-content shares
//! as stand-ins for undeclared metal content.

use crate::params::MetalShares;
use crate::Schedules;
use quid_core::rate::RateExpr;
use quid_core::{Country, HsCode};
use quid_engine::{BaseRate, Entry, MetalShare, Reference};

/// Schedules and stand-in shares, as the engine's [`Reference`].
pub struct BundleReference {
    pub schedules: Schedules,
    pub metal: MetalShares,
}

/// The CUSMA rule used when a US-originating good is claimed and the tariff item is not in the
/// loaded Canadian schedule.
pub const CUSMA_RULE: &str = "CUSMA: goods originating in the US are entitled to the United States Tariff (UST), free for all but the supply-managed over-access items (Customs Tariff, S.C. 1997, c. 36, s. 49.01 and the UST column of the schedule)";

/// Supply-managed products (dairy, poultry, eggs) whose over-access items keep MFN rates for US
/// goods: chapters and headings where the UST rate cannot be assumed free.
fn supply_managed(hs: &HsCode) -> bool {
    let d = hs.digits();
    d.starts_with("04")
        || [
            "0105", "0207", "0209", "1601", "1602", "1901", "2105", "3501",
        ]
        .iter()
        .any(|p| d.starts_with(p))
}

impl Reference for BundleReference {
    fn base_rate(&self, entry: &Entry) -> Result<BaseRate, String> {
        let choice = self
            .schedules
            .for_date(entry.importer, entry.date)
            .map_err(|e| e.to_string())?;
        let s = choice.schedule;
        let edition = format!(
            "{} {}{}",
            s.importer,
            s.edition,
            if choice.stand_in {
                " (stand-in for the edition in force)"
            } else {
                ""
            }
        );
        let line = s.find(&entry.hs);
        if entry.importer == Country::CA {
            let claimed =
                entry.preference_claim && matches!(entry.origin, Country::US | Country::MX);
            let program = if entry.origin == Country::MX {
                "MXT"
            } else {
                "UST"
            };
            if let Some(l) = line {
                if claimed {
                    if let Some(Ok(sp)) = l.special.as_ref().map(|s| &s.rates) {
                        if let Some(r) = sp.rate_for(program) {
                            return Ok(BaseRate {
                                rate: Some(r.clone()),
                                authority: "ust",
                                heading: l.code.dotted(),
                                text: r.to_string(),
                                basis: format!("{program} column of the Customs Tariff, {edition}"),
                            });
                        }
                    }
                }
                return general(l, "ca-mfn", &edition, s.importer);
            }
            if claimed && entry.origin == Country::US && !supply_managed(&entry.hs) {
                return Ok(BaseRate {
                    rate: Some(RateExpr::Free { condition: None }),
                    authority: "ust",
                    heading: entry.hs.dotted(),
                    text: "Free".into(),
                    basis: format!("{CUSMA_RULE}; the item is not in the loaded schedule ({edition}), so the rate comes from the rule"),
                });
            }
            return Ok(BaseRate {
                rate: None,
                authority: "ca-mfn",
                heading: entry.hs.dotted(),
                text: "unknown".into(),
                basis: format!(
                    "tariff item {} is not in the loaded Canadian schedule ({edition}{}); load the full CBSA export with --ca-tariff",
                    entry.hs.dotted(),
                    if s.partial { ", a sample" } else { "" }
                ),
            });
        }
        let l =
            line.ok_or_else(|| format!("no line {} in the {edition} schedule", entry.hs.dotted()))?;
        if entry.preference_claim && matches!(entry.origin, Country::CA | Country::MX) {
            if let Some(Ok(sp)) = l.special.as_ref().map(|s| &s.rates) {
                if let Some(r) = sp.rate_for("S") {
                    if r.is_numeric() {
                        return Ok(BaseRate {
                            rate: Some(r.clone()),
                            authority: "usmca",
                            heading: l.code.dotted(),
                            text: r.to_string(),
                            basis: format!("column 1 special, programme S (USMCA, General Note 11), HTS {edition}"),
                        });
                    }
                }
            }
        }
        general(l, "mfn", &edition, s.importer)
    }

    fn metal_share(&self, hs: &HsCode) -> Option<MetalShare> {
        self.metal.get(hs).map(|m| MetalShare {
            steel: m.steel,
            aluminum: m.aluminum,
            copper: m.copper,
        })
    }
}

fn general(
    l: &crate::TariffLine,
    authority: &'static str,
    edition: &str,
    importer: Country,
) -> Result<BaseRate, String> {
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
    let column = if importer == Country::US {
        "column 1 general"
    } else {
        "MFN"
    };
    Ok(BaseRate {
        rate: Some((**rate).clone()),
        authority,
        heading: l.code.dotted(),
        text: cell.text.to_string(),
        basis: format!("{column}, {edition} (stated on {})", cell.from.dotted()),
    })
}
