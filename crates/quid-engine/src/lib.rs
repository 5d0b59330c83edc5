//! quid-engine: measures, stacking rules, the compiled policy index and `assess`.
//!
//! The engine is I/O-free: measure records arrive parsed ([`measure`]), product lists arrive as
//! resolved prefix sets, the dated law parameters arrive parsed ([`law`]), and schedule lines,
//! the law and content stand-ins come from the caller through [`Reference`]. The base-rate rules
//! (which column answers for which importer, origin and claim) are [`base_rate`]'s; authority
//! classes are [`Authority`] bytes. [`Policy::compile`] validates everything once and builds
//! per-importer indexes; [`Policy::assess`] then computes an entry's duty layer by layer.
//!
//! Compile one measure file, then assess an entry against it with the caller's reference data:
//!
//! ```
//! use quid_core::rate::RateExpr;
//! use quid_core::{parse_date, Country, HsCode};
//! use quid_engine::{
//!     Authority, BaseBasis, BaseRate, BaseRateError, Entry, Law, MeasureFile, MetalShare, Policy,
//!     Reference,
//! };
//! use rust_decimal::Decimal;
//!
//! let file: MeasureFile = toml::from_str(r#"
//!     [[measure]]
//!     id = "US-S232-SA-2.steel"
//!     title = "Section 232 steel, 50%"
//!     importer = "US"
//!     origins = ["*"]
//!     authority = "s232-steel"
//!     heading = "9903.81.87"
//!     instrument = "Proclamation 10947"
//!     status = "in_force"
//!     confidence = "H"
//!     from = "2025-06-04"
//!     rate = "50%"
//!     base = "full_value"
//!     scope = { include = ["72"] }
//!     citations = [{ title = "Proclamation 10947" }]
//! "#).unwrap();
//! let no_lists = |r: &str| -> Result<Vec<HsCode>, String> { Err(format!("no list {r}")) };
//! let policy = Policy::compile(&[("steel.toml".to_string(), file)], &no_lists, false).unwrap();
//! // The reference data: every line free of base duty, no metal shares, the bundled law.
//! struct Free {
//!     free: RateExpr,
//!     law: Law,
//! }
//! impl Reference for Free {
//!     fn base_rate(&self, e: &Entry) -> Result<BaseRate<'_>, BaseRateError> {
//!         Ok(BaseRate {
//!             rate: Some(&self.free),
//!             authority: Authority::MFN,
//!             line: e.hs,
//!             text: "Free",
//!             basis: BaseBasis::Schedule {
//!                 column: "column 1 general",
//!                 edition: "2025 basic",
//!                 stated_on: e.hs,
//!                 stand_in: false,
//!             },
//!             citation: None,
//!         })
//!     }
//!     fn metal_share(&self, _hs: &HsCode) -> Option<MetalShare> {
//!         None
//!     }
//!     fn law(&self) -> &Law {
//!         &self.law
//!     }
//! }
//! let reference = Free {
//!     free: RateExpr::parse("Free").unwrap(),
//!     law: toml::from_str(include_str!(concat!(
//!         env!("CARGO_MANIFEST_DIR"),
//!         "/../../data/params/law.toml"
//!     )))
//!     .unwrap(),
//! };
//! // A Canadian hot-rolled steel coil of value 100000 entered on 2025-07-01.
//! let coil = Entry::new(
//!     Country::US,
//!     Country::CA,
//!     HsCode::parse("7208.10.15.00").unwrap(),
//!     parse_date("2025-07-01").unwrap(),
//!     Decimal::new(100_000, 0),
//! );
//! let a = policy.assess(&coil, &reference).unwrap();
//! // Free base duty; Section 232 at 50% of 100000.
//! assert_eq!(a.base.unwrap().amount, Decimal::ZERO);
//! assert_eq!(a.layers[0].measure(), "US-S232-SA-2.steel");
//! assert_eq!(a.total.to_string(), "50000.00");
//! ```

pub mod assess;
pub mod authority;
pub mod base_rate;
pub mod entry;
pub mod law;
pub mod measure;
pub mod policy;
pub mod record;
pub mod reform;
pub mod sources;

pub use assess::{AssessError, Assessment, BaseLayer, Layer, NotApplied, Reason, StandIn};
pub use authority::{Authority, AuthorityError};
pub use base_rate::{BaseBasis, BaseRate, BaseRateError, Lookup, TariffLines};
pub use entry::Entry;
pub use law::{Law, LawError};
pub use measure::{Base, MeasureFile, MeasureRecord, RuleRecord, Status};
pub use policy::{CompileError, MetalShare, Policy, Reference};
pub use record::{EntryRecord, FieldError};
