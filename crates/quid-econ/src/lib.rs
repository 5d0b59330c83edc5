//! quid-econ: the numbers built on the duty engine: rates by tariff line and authority,
//! interval panels over every policy change date, trade-weighted effective tariff rates, and
//! charts of them.
//!
//! Every rate here is computed through `quid_engine::Policy::assess` on a nominal entry, so a
//! panel cell can be traced to an assessment and from there to measures and citations. Money is
//! exact in the engine; rates and weights here are `f64` (economics is floating point).
//!
//! From measures to an effective tariff rate: segments, a panel, weights.
//!
//! ```
//! use quid_core::{parse_date, Country, HsCode};
//! use quid_econ::etr::{compute, EtrInput, EtrLine, Shares};
//! use quid_econ::{Panel, Segments};
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
//! let (us, ca) = (Country::US, Country::CA);
//! let horses: HsCode = "0101.21.00.10".parse().unwrap();
//! let steel: HsCode = "7208.10.15.00".parse().unwrap();
//!
//! // 1. Cut 2025 at every date the importer's duties can change, and assess each line there.
//! let segments = Segments::new(d("2025-01-01"), d("2025-12-31"), policy.change_dates(us));
//! let panel = Panel::build(&policy, &schedule, us, ca, vec![horses, steel], segments, &[]);
//!
//! // 2. Weight the lines: of 100 of imports, 60 of horses (half claim USMCA), 20 of steel (no
//! // claim); the other 20 are lines with no rate and count at 0%.
//! let input = EtrInput {
//!     lines: vec![
//!         EtrLine { hs: horses, weight: 60.0, group: 0 },
//!         EtrLine { hs: steel, weight: 20.0, group: 0 },
//!     ],
//!     total_weight: 100.0,
//!     shares: Shares::Annual(HashMap::from([(horses, 0.5)])),
//!     groups: vec!["all".into()],
//! };
//! let etr = compute(&panel, &input);
//!
//! // 3. Read a date.
//! let on = |s| etr.segments.index(d(s)).unwrap();
//! let pct = |x: f64| format!("{:.1}%", 100.0 * x);
//! // (60 x 0.5 x 2% + 20 x 2%) / 100
//! assert_eq!(pct(etr.total[on("2025-02-01")]), "1.0%");
//! // (60 x 0.5 x 27% + 20 x 77%) / 100 = (8.1 + 15.4) / 100
//! assert_eq!(pct(etr.total[on("2025-07-01")]), "23.5%");
//! ```

pub mod accounting;
pub mod authority;
pub mod balance;
pub mod chart;
pub mod etr;
pub mod montecarlo;
pub mod package;
pub mod panel;
pub mod pe;
pub mod rates;
pub mod realized;
pub mod sections;
pub mod segments;
pub mod yale;

pub use authority::{authority_index, authority_name, AUTHORITY_COUNT};
pub use etr::{EtrInput, EtrLine, EtrSeries, Shares};
pub use panel::{Interval, Panel};
pub use rates::{line_rates, line_rates_declared, Declarations, RateRow};
pub use segments::Segments;
