//! The Budget Lab tariff-rate-tracker convention (`--convention yale`), specified in
//! `docs/conventions.md` §1 from the tracker's `docs/methodology.md`, `config/policy_params.yaml`
//! and `src/stacking.R`.
//!
//! It starts from each line's statutory rates, read here from quid's own measures through the
//! engine with no stacking rules and every content base at full value, and then applies the
//! tracker's rules instead of the law's: the 232 rate on full value for primary metal (chapters
//! 72/73 steel, 76 aluminum) and heading programmes, times the BEA share for derivatives and
//! copper; the auto rebate (3.75% x 0.33) on autos and parts; USMCA share `s` scaling MFN,
//! IEEPA, s122 and forced-labour s301 by `(1 - s)`, whole vehicles by `(1 - alpha s)`, parts by
//! `(1 - s)`, steel, aluminum and copper never; IEEPA and s122 charged on the non-metal share
//! when a 232 rate applies (none on primary metal, heading and annex lines); forced-labour s301
//! and s338 none on any 232 line.
//!
//! Two lines under the tracker's rules, with a USMCA share `s` = 0.4: live horses pay MFN and
//! IEEPA scaled by `1 - s`; primary steel pays MFN scaled the same way, the 232 duty on its full
//! value unscaled, and no IEEPA.
//!
//! ```
//! use quid_core::{parse_date, Country, HsCode};
//! use quid_econ::etr::{EtrInput, EtrLine, Shares};
//! use quid_econ::yale::{series, YaleParams};
//! use quid_econ::{authority_index, Segments};
//! use std::collections::HashMap;
//!
//! // `policy` and `schedule` as in the `rates` module's example: a 25% duty on goods of
//! // Canada from 2025-03-04 unless USMCA is claimed, 50% on the steel of chapter 72 from
//! // 2025-06-04, and every line's base 2% MFN, free under USMCA.
//! # let (policy, schedule) = {
//! #     use quid_core::rate::RateExpr;
//! #     use quid_core::{parse_date, Citation, Country, HsCode};
//! #     use quid_engine::measure::{Base, Claim, Conditions, MeasureFile, MeasureRecord, Scope, Status};
//! #     use quid_engine::{BaseBasis, BaseRate, Entry, MetalShare, Policy, Reference};
//! #     use rust_decimal::Decimal;
//! #
//! #     // Two US measures on goods of Canada, with no stacking rule between them: IEEPA 25% on
//! #     // every product unless USMCA is claimed, from 2025-03-04; Section 232 50% on the steel
//! #     // content of chapter 72, from 2025-06-04.
//! #     let measure = |id: &str, authority: &str, rate: &str, base, from, include: &str, claim| {
//! #         MeasureRecord {
//! #             id: id.into(),
//! #             family: None,
//! #             title: id.into(),
//! #             importer: Country::US,
//! #             origins: vec!["CA".into()],
//! #             except_origins: vec![],
//! #             authority: authority.parse().unwrap(),
//! #             heading: "9903".into(),
//! #             instrument: "an example".into(),
//! #             status: Status::InForce,
//! #             confidence: quid_core::Confidence::H,
//! #             from: parse_date(from).unwrap(),
//! #             until: None,
//! #             rate: rate.into(),
//! #             base,
//! #             min_effective_percent: None,
//! #             scope: Scope { include: vec![include.into()], ..Scope::default() },
//! #             conditions: Conditions { preference_claim: claim, ..Conditions::default() },
//! #             rate_to_total: false,
//! #             declared: None,
//! #             struck_down: None,
//! #             citations: vec![Citation {
//! #                 kind: None,
//! #                 title: "an example".into(),
//! #                 url: None,
//! #                 date: None,
//! #                 pinpoint: None,
//! #             }],
//! #             notes: None,
//! #         }
//! #     };
//! #     let file = MeasureFile {
//! #         measure: vec![
//! #             measure("US-IEEPA-CA-1", "ieepa-ca", "25%", Base::FullValue, "2025-03-04", "*",
//! #                     Claim::Absent),
//! #             measure("US-S232-STEEL", "s232-steel", "50%", Base::SteelContent, "2025-06-04", "72",
//! #                     Claim::Any),
//! #         ],
//! #         rule: vec![],
//! #         gap: vec![],
//! #     };
//! #     let no_lists = |name: &str| Err(format!("no list {name}"));
//! #     let policy = Policy::compile(&[("example.toml".into(), file)], &no_lists, false).unwrap();
//! #
//! #     // The schedule: 2% MFN (2.4¢/kg in chapter 4), free under a USMCA claim; the goods of
//! #     // chapter 72 are all steel.
//! #     struct Schedule {
//! #         mfn: RateExpr,
//! #         per_kg: RateExpr,
//! #         free: RateExpr,
//! #     }
//! #     impl Reference for Schedule {
//! #         fn base_rate(&self, e: &Entry) -> Result<BaseRate<'_>, quid_engine::BaseRateError> {
//! #             let (rate, authority) = match (e.preference_claim, e.hs.chapter()) {
//! #                 (true, _) => (&self.free, quid_engine::Authority::USMCA),
//! #                 (false, 4) => (&self.per_kg, quid_engine::Authority::MFN),
//! #                 (false, _) => (&self.mfn, quid_engine::Authority::MFN),
//! #             };
//! #             let basis = BaseBasis::Schedule {
//! #                 column: "column 1",
//! #                 edition: "an example",
//! #                 stated_on: e.hs,
//! #                 stand_in: false,
//! #             };
//! #             Ok(BaseRate { rate: Some(rate), authority, line: e.hs, text: "", basis, citation: None })
//! #         }
//! #         fn metal_share(&self, hs: &HsCode) -> Option<MetalShare> {
//! #             let steel = MetalShare { steel: Decimal::ONE, ..MetalShare::default() };
//! #             (hs.chapter() == 72).then_some(steel)
//! #         }
//! #         fn law(&self) -> &quid_engine::Law {
//! #             static LAW: std::sync::OnceLock<quid_engine::Law> = std::sync::OnceLock::new();
//! #             LAW.get_or_init(|| toml::from_str(include_str!("../../../data/params/law.toml")).unwrap())
//! #         }
//! #     }
//! #     let schedule = Schedule {
//! #         mfn: "2%".parse().unwrap(),
//! #         per_kg: "2.4¢/kg".parse().unwrap(),
//! #         free: "Free".parse().unwrap(),
//! #     };
//! #     (policy, schedule)
//! # };
//!
//! let d = |s| parse_date(s).unwrap();
//! let horses: HsCode = "0101.21.00.10".parse().unwrap();
//! let steel: HsCode = "7208.10.15.00".parse().unwrap();
//! // June 2025 (one segment), equal weights, a USMCA share of 0.4 on both lines.
//! let june = Segments::new(d("2025-06-04"), d("2025-06-30"), policy.change_dates(Country::US));
//! let input = EtrInput {
//!     lines: vec![
//!         EtrLine { hs: horses, weight: 50.0, group: 0 },
//!         EtrLine { hs: steel, weight: 50.0, group: 1 },
//!     ],
//!     total_weight: 100.0,
//!     shares: Shares::Annual(HashMap::from([(horses, 0.4), (steel, 0.4)])),
//!     groups: vec!["I".into(), "XV".into()],
//! };
//! let (us, ca) = (Country::US, Country::CA);
//! let etr = series(&policy, &schedule, us, ca, &input, &june, &YaleParams::default());
//!
//! let pct = |x: f64| format!("{:.1}%", 100.0 * x);
//! let rate = |authority| pct(etr.by_authority[0][usize::from(authority_index(authority))]);
//! // MFN scaled by (1 - s) on both lines: 2% x 0.6.
//! assert_eq!(rate("mfn"), "1.2%");
//! // IEEPA scaled by (1 - s) on horses only, none on primary steel: 50 x 25% x 0.6 / 100.
//! assert_eq!(rate("ieepa-ca"), "7.5%");
//! // The 232 duty on full value of primary steel, never scaled: 50 x 50% / 100.
//! assert_eq!(rate("s232-steel"), "25.0%");
//! assert_eq!(pct(etr.total[0]), "33.7%");
//! // Additional duties by group: horses 25% x 0.6, steel 50%.
//! assert_eq!(etr.by_group[0].iter().map(|r| pct(*r)).collect::<Vec<_>>(), ["15.0%", "50.0%"]);
//! ```

use crate::authority::{authority_index, AUTHORITY_COUNT};
use crate::etr::{EtrInput, EtrSeries};
use crate::rates::AdValoremOnly;
use crate::segments::Segments;
use quid_core::{Country, Date, HsCode};
use quid_engine::{Entry, Policy, Reference};
use rayon::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// Parameters of the convention.
#[derive(Debug, Clone, Copy)]
pub struct YaleParams {
    /// Share of a USMCA vehicle's value taken as US content (`us_auto_content_share`). `None`:
    /// the engine's default on each date, the law file's `us.us_content_default` (the tracker's
    /// 0.40 since 2026-03), and on a date before its first value the tracker's own fallback for
    /// a missing key, 1.0; `Some(1.0)` reproduces builds before it (such as the 2026-03-11
    /// tables).
    pub alpha: Option<f64>,
    /// The auto rebate deducted from the 232 rate of autos and parts: 0.0375 x 0.33.
    pub rebate: f64,
}

impl Default for YaleParams {
    fn default() -> Self {
        YaleParams {
            alpha: None,
            rebate: 0.0375 * 0.33,
        }
    }
}

const NOMINAL: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);
const HEADINGS: [&str; 6] = [
    "s232-autos",
    "s232-auto-parts",
    "s232-mhdv",
    "s232-buses",
    "s232-lumber",
    "s232-furniture",
];

struct Nominal<'a> {
    authority: &'a str,
    id: &'a str,
    rate: f64,
}

/// The tracker's additional contributions of one line, by authority index, plus the base.
#[allow(clippy::too_many_arguments)]
fn line(
    layers: &[Nominal<'_>],
    mfn: f64,
    hs: &HsCode,
    date: Date,
    s: f64,
    st: f64,
    al: f64,
    cu: f64,
    alpha: f64,
    p: &YaleParams,
) -> [f64; AUTHORITY_COUNT] {
    let mut out = [0.0; AUTHORITY_COUNT];
    let annex_era = date >= Date::constant(2026, 4, 6);
    let chapter = hs.chapter();
    let is232 = |a: &str| a.starts_with("s232-");
    let scope232 = layers.iter().any(|l| is232(l.authority));
    // The 232 rate r, its authority, its active metal share t, and its USMCA treatment.
    #[derive(PartialEq)]
    enum Usmca {
        Vehicle,
        Part,
        Annex,
        AnnexIc,
        Never,
    }
    let mut r = 0.0;
    let mut r_auth = "s232-steel";
    let mut t = 0.0;
    let mut treatment = Usmca::Never;
    let headings: Vec<&Nominal<'_>> = layers
        .iter()
        .filter(|l| HEADINGS.contains(&l.authority))
        .collect();
    if let Some(h) = headings.iter().max_by(|a, b| a.rate.total_cmp(&b.rate)) {
        r = h.rate;
        r_auth = h.authority;
        treatment = match h.authority {
            "s232-autos" => Usmca::Vehicle,
            "s232-mhdv" if !h.id.contains("part") => Usmca::Vehicle,
            "s232-auto-parts" | "s232-mhdv" => Usmca::Part,
            _ => Usmca::Never,
        };
        if matches!(h.authority, "s232-autos" | "s232-auto-parts") {
            r = (r - p.rebate).max(0.0);
        }
    } else if let Some(a) = layers
        .iter()
        .find(|l| annex_era && is232(l.authority) && l.id.contains("MET-"))
    {
        r_auth = a.authority;
        r = if a.id.contains(".III") {
            (0.15 - mfn).max(0.0)
        } else {
            a.rate
        };
        let primary = matches!(chapter, 72 | 73 | 76);
        treatment = if a.id.contains(".IC") {
            Usmca::AnnexIc
        } else if primary {
            Usmca::Never
        } else {
            Usmca::Annex
        };
    } else if let Some(c) = layers.iter().find(|l| l.authority == "s232-copper") {
        r = c.rate * cu;
        r_auth = c.authority;
        t = cu;
    } else {
        for l in layers
            .iter()
            .filter(|l| matches!(l.authority, "s232-steel" | "s232-aluminum"))
        {
            let primary = (l.authority == "s232-steel" && matches!(chapter, 72 | 73))
                || (l.authority == "s232-aluminum" && chapter == 76);
            let share = if l.authority == "s232-steel" { st } else { al };
            // Primary metal pays on full value (its share forced to 1); derivatives on the share.
            let (rl, tl) = if primary {
                (l.rate, 0.0)
            } else {
                (l.rate * share, share)
            };
            if rl > r {
                r = rl;
                t = tl;
                r_auth = l.authority;
            }
        }
    }
    r = match treatment {
        Usmca::Vehicle => r * (1.0 - alpha * s),
        Usmca::Part | Usmca::Annex => r * (1.0 - s),
        Usmca::AnnexIc => (r * (1.0 - s)).max(0.15),
        Usmca::Never => r,
    };
    let n = if r > 0.0 && t > 0.0 { 1.0 - t } else { 0.0 };
    let k = if r > 0.0 { n } else { 1.0 };
    out[0] = mfn * (1.0 - s);
    out[authority_index(r_auth) as usize] += r;
    for l in layers {
        let v = match l.authority {
            "ieepa-ca" | "ieepa-mx" | "s122" => l.rate * (1.0 - s) * k,
            "s301-forced-labour" if !scope232 => l.rate * (1.0 - s),
            "s338" if !scope232 => l.rate,
            _ => 0.0,
        };
        out[authority_index(l.authority) as usize] += v;
    }
    out
}

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// The effective rate series under the tracker's convention, on the same weights as quid's.
pub fn series(
    policy: &Policy,
    reference: &dyn Reference,
    importer: Country,
    partner: Country,
    input: &EtrInput,
    segments: &Segments,
    params: &YaleParams,
) -> EtrSeries {
    let statutory = policy.without_rules();
    let by_value = AdValoremOnly(reference);
    // The vehicle US-content factor of each segment (see `YaleParams::alpha`).
    let alphas: Vec<f64> = segments
        .starts
        .iter()
        .map(|&date| {
            params
                .alpha
                .or_else(|| {
                    let share = reference.law().us_content_default(date).ok()?;
                    share.to_f64()
                })
                .unwrap_or(1.0)
        })
        .collect();
    let n = segments.len();
    let zero = || {
        (
            vec![[0.0; AUTHORITY_COUNT]; n],
            vec![vec![0.0; input.groups.len()]; n],
            vec![0.0; n],
        )
    };
    let (by_authority, by_group, unknown) = input
        .lines
        .par_iter()
        .fold(zero, |(mut ba, mut bg, mut unk), l| {
            let shares = reference.metal_share(&l.hs).unwrap_or_default();
            let (st, al, cu) = (
                f(shares.steel).min(1.0),
                f(shares.aluminum).min(1.0),
                f(shares.copper).min(1.0),
            );
            for (k, &date) in segments.starts.iter().enumerate() {
                let mut e = Entry::new(importer, partner, l.hs, date, NOMINAL);
                e.steel_content = Some(NOMINAL);
                e.aluminum_content = Some(NOMINAL);
                e.copper_content = Some(NOMINAL);
                e.us_content = Some(Decimal::ZERO);
                let s = input.shares.get(&l.hs, date);
                let row = statutory.assess_with(&e, &by_value, |a| {
                    let layers: Vec<Nominal<'_>> = a
                        .layers
                        .iter()
                        .map(|x| Nominal {
                            authority: x.authority().as_str(),
                            id: x.measure(),
                            rate: f(x.amount) / 1_000_000.0,
                        })
                        .collect();
                    let mfn = a.base.as_ref().map_or(0.0, |b| f(b.amount) / 1_000_000.0);
                    (
                        line(&layers, mfn, &l.hs, date, s, st, al, cu, alphas[k], params),
                        a.base.is_none(),
                    )
                });
                if let Ok((contrib, base_unknown)) = row {
                    for (i, v) in contrib.iter().enumerate() {
                        ba[k][i] += l.weight * v;
                    }
                    if let Some(g) = bg[k].get_mut(l.group as usize) {
                        *g += l.weight * contrib[1..].iter().sum::<f64>();
                    }
                    if base_unknown {
                        unk[k] += l.weight;
                    }
                }
            }
            (ba, bg, unk)
        })
        .reduce(zero, |(mut a1, mut g1, mut u1), (a2, g2, u2)| {
            for k in 0..n {
                for i in 0..AUTHORITY_COUNT {
                    a1[k][i] += a2[k][i];
                }
                for (x, y) in g1[k].iter_mut().zip(&g2[k]) {
                    *x += y;
                }
                u1[k] += u2[k];
            }
            (a1, g1, u1)
        });
    let w = input.total_weight.max(f64::MIN_POSITIVE);
    let mut group_weight = vec![0.0; input.groups.len()];
    for l in &input.lines {
        if let Some(g) = group_weight.get_mut(l.group as usize) {
            *g += l.weight;
        }
    }
    let by_authority: Vec<[f64; AUTHORITY_COUNT]> =
        by_authority.into_iter().map(|r| r.map(|v| v / w)).collect();
    let total = by_authority.iter().map(|r| r.iter().sum()).collect();
    EtrSeries {
        segments: segments.clone(),
        total,
        by_authority,
        by_group: by_group
            .into_iter()
            .map(|r| {
                r.iter()
                    .zip(&group_weight)
                    .map(|(v, gw)| if *gw > 0.0 { v / gw } else { 0.0 })
                    .collect()
            })
            .collect(),
        groups: input.groups.clone(),
        total_weight: input.total_weight,
        matched_weight: input.lines.iter().map(|l| l.weight).sum(),
        unknown_base_weight: unknown.into_iter().map(|u| u / w).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quid_core::parse_date;

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    fn hs(s: &str) -> HsCode {
        HsCode::parse(s).unwrap()
    }

    fn at(out: &[f64; AUTHORITY_COUNT], a: &str) -> f64 {
        out[authority_index(a) as usize]
    }

    fn close(got: f64, want: f64) {
        assert!((got - want).abs() <= 1e-12, "got {got}, expected {want}");
    }

    fn nominal<'a>(authority: &'a str, id: &'a str, rate: f64) -> Nominal<'a> {
        Nominal {
            authority,
            id,
            rate,
        }
    }

    /// A steel derivative (chapter 84) before the annex era, with IEEPA Canada: the 232 on the
    /// steel share, IEEPA on the non-metal share and off the USMCA share.
    /// s = 0.4, steel share 0.3: 232 = 0.50 x 0.3 = 0.15 (never scaled by s);
    /// IEEPA = 0.35 x (1 - 0.4) x (1 - 0.3) = 0.35 x 0.6 x 0.7 = 0.147; MFN 0 x 0.6 = 0.
    #[test]
    fn derivative_pays_on_its_metal_share_and_ieepa_on_the_rest() {
        let layers = [
            nominal("s232-steel", "US-S232-SA-3.steel", 0.50),
            nominal("ieepa-ca", "US-IEEPA-CA-3.general", 0.35),
        ];
        let p = YaleParams::default();
        let out = line(
            &layers,
            0.0,
            &hs("8429.11.00.10"),
            d("2025-09-01"),
            0.4,
            0.3,
            0.1,
            0.0,
            0.40,
            &p,
        );
        close(at(&out, "s232-steel"), 0.15);
        close(at(&out, "ieepa-ca"), 0.147);
        close(at(&out, "mfn"), 0.0);
        close(out.iter().sum(), 0.297);
    }

    /// Primary steel (chapter 72): 232 at its full rate whatever the USMCA share, no IEEPA.
    /// s = 0.5: 232 = 0.50; IEEPA = 0.25 x 0.5 x 0 = 0 (a 232 rate with no metal share leaves
    /// nothing for IEEPA); MFN 0.02 x 0.5 = 0.01.
    #[test]
    fn primary_metal_pays_the_full_rate_and_no_ieepa() {
        let layers = [
            nominal("s232-steel", "US-S232-SA-3.steel", 0.50),
            nominal("ieepa-ca", "US-IEEPA-CA-2.general", 0.25),
        ];
        let p = YaleParams::default();
        let out = line(
            &layers,
            0.02,
            &hs("7208.10.15.00"),
            d("2025-07-01"),
            0.5,
            0.9,
            0.0,
            0.0,
            0.40,
            &p,
        );
        close(at(&out, "s232-steel"), 0.50);
        close(at(&out, "ieepa-ca"), 0.0);
        close(at(&out, "mfn"), 0.01);
    }

    /// A whole vehicle: the auto rebate off the 232 rate, then `(1 - alpha s)`.
    /// rebate = 0.0375 x 0.33 = 0.012375; r = 0.25 - 0.012375 = 0.237625;
    /// alpha = 0.40, s = 0.8: r x (1 - 0.32) = 0.237625 x 0.68 = 0.161585.
    /// IEEPA: no metal share, so 0; MFN 0.025 x (1 - 0.8) = 0.005.
    #[test]
    fn vehicle_takes_the_rebate_and_alpha_times_the_usmca_share() {
        let layers = [
            nominal("s232-autos", "US-S232-AUTO-1.non-usmca", 0.25),
            nominal("ieepa-ca", "US-IEEPA-CA-3.general", 0.35),
        ];
        let p = YaleParams::default();
        // The factor comes from the law file's dated default when not given.
        assert_eq!(p.alpha, None);
        close(p.rebate, 0.012375);
        let out = line(
            &layers,
            0.025,
            &hs("8703.23.01.90"),
            d("2025-09-01"),
            0.8,
            0.2,
            0.05,
            0.0,
            0.40,
            &p,
        );
        close(at(&out, "s232-autos"), 0.161585);
        close(at(&out, "ieepa-ca"), 0.0);
        close(at(&out, "mfn"), 0.005);
    }

    /// A line with no 232: s122 and forced-labour s301 off the USMCA share, s338 whole.
    /// s = 0.3: s122 0.10 x 0.7 = 0.07; s301 0.10 x 0.7 = 0.07; s338 0.50; MFN 0.05 x 0.7 = 0.035.
    #[test]
    fn no_232_line_scales_s122_and_s301_but_not_s338() {
        let layers = [
            nominal("s122", "US-S122", 0.10),
            nominal("s301-forced-labour", "US-S301-FL.ca", 0.10),
            nominal("s338", "US-S338-CA-3", 0.50),
        ];
        let p = YaleParams::default();
        let out = line(
            &layers,
            0.05,
            &hs("2204.21.50.28"),
            d("2026-08-25"),
            0.3,
            0.0,
            0.0,
            0.0,
            0.40,
            &p,
        );
        close(at(&out, "s122"), 0.07);
        close(at(&out, "s301-forced-labour"), 0.07);
        close(at(&out, "s338"), 0.50);
        close(at(&out, "mfn"), 0.035);
    }

    /// Annex era (from 2026-04-06): Annex I-C at 25% on the non-USMCA share, floored at 15%;
    /// Annex III at 15% less MFN. I-C, s = 0.9: 0.25 x 0.1 = 0.025 -> 0.15; s301 none on a 232
    /// line. III, MFN 0.04: 0.15 - 0.04 = 0.11.
    #[test]
    fn annex_floor_and_annex_three() {
        let p = YaleParams::default();
        let ic = [
            nominal("s232-steel", "US-S232-MET-6.IC.ca-mx", 0.25),
            nominal("s301-forced-labour", "US-S301-FL.ca", 0.10),
        ];
        let out = line(
            &ic,
            0.0,
            &hs("8429.11.00.10"),
            d("2026-06-10"),
            0.9,
            0.3,
            0.0,
            0.0,
            0.40,
            &p,
        );
        close(at(&out, "s232-steel"), 0.15);
        close(at(&out, "s301-forced-labour"), 0.0);
        let iii = [nominal("s232-aluminum", "US-S232-MET-5.III.aluminum", 0.15)];
        let out = line(
            &iii,
            0.04,
            &hs("8414.59.65.60"),
            d("2026-06-10"),
            0.0,
            0.0,
            0.2,
            0.0,
            0.40,
            &p,
        );
        close(at(&out, "s232-aluminum"), 0.11);
        close(at(&out, "mfn"), 0.04);
    }
}
