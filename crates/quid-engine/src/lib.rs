//! quid-engine: measures, stacking rules, the compiled policy index and `assess`.
//!
//! The engine is I/O-free: measure records arrive parsed ([`measure`]), product lists arrive as
//! resolved prefix sets, the dated law parameters arrive parsed ([`law`]), and schedule lines,
//! the law and content stand-ins come from the caller through [`Reference`]. The base-rate rules
//! (which column answers for which importer, origin and claim) are [`base_rate`]'s; authority
//! classes are [`Authority`] bytes. [`Policy::compile`] validates everything once and builds
//! per-importer indexes; [`Policy::assess`] then computes an entry's duty layer by layer.

pub mod assess;
pub mod authority;
pub mod base_rate;
pub mod entry;
pub mod law;
pub mod measure;
pub mod policy;
pub mod record;
pub mod reform;

pub use assess::{AssessError, Assessment, BaseLayer, Layer, NotApplied, Reason, StandIn};
pub use authority::{Authority, AuthorityError};
pub use base_rate::{BaseBasis, BaseRate, BaseRateError, Lookup, TariffLines};
pub use entry::Entry;
pub use law::{Law, LawError};
pub use measure::{MeasureFile, MeasureRecord, RuleRecord, Status};
pub use policy::{CompileError, MetalShare, Policy, Reference};
pub use record::{EntryRecord, FieldError};
