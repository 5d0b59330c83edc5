//! The interval panel: for every line, with and without a preference claim, its rates by
//! authority as intervals `[valid_from, valid_until]` (both inclusive) between policy change
//! dates, consecutive equal segments merged. A date query is then a lookup.
//!
//! Lines are computed in parallel; each line walks the segments in order.
//!
//! Two lines over 2025, under a policy whose measures start on 2025-03-04 and 2025-06-04:
//!
//! ```
//! use quid_core::{parse_date, Country, HsCode};
//! use quid_econ::{Interval, Panel, Segments};
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
//! let (us, ca) = (Country::US, Country::CA);
//! let segments = Segments::new(d("2025-01-01"), d("2025-12-31"), policy.change_dates(us));
//! assert_eq!(segments.len(), 3);
//! let horses: HsCode = "0101.21.00.10".parse().unwrap();
//! let steel: HsCode = "7208.10.15.00".parse().unwrap();
//! let panel = Panel::build(&policy, &schedule, us, ca, vec![horses, steel], segments, &[]);
//! assert_eq!(panel.errors, []);
//!
//! let intervals = |line: u32, claim: bool| -> Vec<String> {
//!     let of_line = panel.intervals.iter().filter(|iv| iv.line == line && iv.claim == claim);
//!     let show = |iv: &Interval| {
//!         format!("{} to {}: {:.0}%", iv.valid_from, iv.valid_until, 100.0 * iv.row.total)
//!     };
//!     of_line.map(show).collect()
//! };
//! // Horses change only when the 25% duty starts; claimed, they are free all year.
//! assert_eq!(
//!     intervals(0, false),
//!     ["2025-01-01 to 2025-03-03: 2%", "2025-03-04 to 2025-12-31: 27%"]
//! );
//! assert_eq!(intervals(0, true), ["2025-01-01 to 2025-12-31: 0%"]);
//! // Steel changes on both dates; claimed, only the 232 duty is owed.
//! assert_eq!(
//!     intervals(1, false),
//!     [
//!         "2025-01-01 to 2025-03-03: 2%",
//!         "2025-03-04 to 2025-06-03: 27%",
//!         "2025-06-04 to 2025-12-31: 77%",
//!     ]
//! );
//! assert_eq!(
//!     intervals(1, true),
//!     ["2025-01-01 to 2025-06-03: 0%", "2025-06-04 to 2025-12-31: 50%"]
//! );
//!
//! // A date query is a lookup: the segment of the date, then the interval covering it.
//! let k = panel.segments.index(d("2025-07-01")).unwrap() as u32;
//! let covers = |iv: &&Interval| iv.segments.0 <= k && k <= iv.segments.1;
//! let iv = panel.intervals.iter().filter(|iv| iv.line == 1 && !iv.claim).find(covers).unwrap();
//! assert_eq!(iv.row.total, 0.77);
//! ```

use crate::rates::{line_rates_declared, Declarations, RateRow};
use crate::segments::Segments;
use quid_core::{Country, Date, HsCode};
use quid_engine::{Policy, Reference};
use rayon::prelude::*;

/// One interval of one line.
#[derive(Debug, Clone, PartialEq)]
pub struct Interval {
    /// Index of the line in [`Panel::lines`].
    pub line: u32,
    pub claim: bool,
    pub valid_from: Date,
    /// Last day covered (inclusive).
    pub valid_until: Date,
    /// First and last segment covered.
    pub segments: (u32, u32),
    pub row: RateRow,
}

/// A line that could not be assessed: its code, the date, and why.
pub type LineError = (HsCode, Date, String);

/// Rates of a set of lines for one importer and partner over a period.
#[derive(Debug, Clone)]
pub struct Panel {
    pub importer: Country,
    pub partner: Country,
    pub lines: Vec<HsCode>,
    pub segments: Segments,
    /// Sorted by line, then claim, then date.
    pub intervals: Vec<Interval>,
    /// Lines that could not be assessed on some date, with the first reason.
    pub errors: Vec<LineError>,
}

impl Panel {
    /// Builds the panel. `extra_cuts` are dates on which every line must be re-assessed besides
    /// its own measures' dates (schedule editions).
    pub fn build(
        policy: &Policy,
        reference: &dyn Reference,
        importer: Country,
        partner: Country,
        lines: Vec<HsCode>,
        segments: Segments,
        extra_cuts: &[Date],
    ) -> Panel {
        Panel::build_declared(
            policy,
            reference,
            importer,
            partner,
            lines,
            segments,
            extra_cuts,
            Declarations::default(),
        )
    }

    /// As [`Panel::build`], every entry also making `declared`'s declarations (remission).
    #[allow(clippy::too_many_arguments)]
    pub fn build_declared(
        policy: &Policy,
        reference: &dyn Reference,
        importer: Country,
        partner: Country,
        lines: Vec<HsCode>,
        segments: Segments,
        extra_cuts: &[Date],
        declared: Declarations,
    ) -> Panel {
        let per_line: Vec<(Vec<Interval>, Option<LineError>)> = lines
            .par_iter()
            .enumerate()
            .map_init(Vec::new, |cuts, (i, &hs)| {
                // Assess the line only on the segments where one of its measures or a rule
                // changes (or an edition starts); the others repeat the previous row.
                policy.line_change_dates(importer, partner, &hs, cuts);
                cuts.extend(extra_cuts.iter().copied());
                let mut out = Vec::new();
                let mut err = None;
                for claim in [false, true] {
                    let mut open: Option<Interval> = None;
                    for (k, &start) in segments.starts.iter().enumerate() {
                        let last = segments.last_day(k);
                        let changes = k == 0 || cuts.contains(&start);
                        if let (false, Some(iv)) = (changes, open.as_mut()) {
                            iv.valid_until = last;
                            iv.segments.1 = k as u32;
                            continue;
                        }
                        let row = match line_rates_declared(
                            policy, reference, importer, partner, hs, start, claim, declared,
                        ) {
                            Ok(r) => r,
                            Err(e) => {
                                if err.is_none() {
                                    err = Some((hs, start, e.to_string()));
                                }
                                RateRow::default()
                            }
                        };
                        match &mut open {
                            Some(iv) if iv.row == row => {
                                iv.valid_until = last;
                                iv.segments.1 = k as u32;
                            }
                            _ => {
                                if let Some(done) = open.take() {
                                    out.push(done);
                                }
                                open = Some(Interval {
                                    line: i as u32,
                                    claim,
                                    valid_from: start,
                                    valid_until: last,
                                    segments: (k as u32, k as u32),
                                    row,
                                });
                            }
                        }
                    }
                    out.extend(open);
                }
                (out, err)
            })
            .collect();
        let mut intervals = Vec::new();
        let mut errors = Vec::new();
        for (iv, e) in per_line {
            intervals.extend(iv);
            errors.extend(e);
        }
        Panel {
            importer,
            partner,
            lines,
            segments,
            intervals,
            errors,
        }
    }
}
