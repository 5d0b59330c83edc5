//! quid-engine: measures, stacking rules, the compiled policy index and `assess`.
//!
//! The engine is I/O-free: measure records arrive parsed ([`measure`]), product lists arrive as
//! resolved prefix sets, and base rates and content stand-ins come from the caller through
//! [`Reference`]. [`Policy::compile`] validates everything once and builds per-importer
//! indexes; [`Policy::assess`] then computes an entry's duty layer by layer.

pub mod assess;
pub mod authority;
pub mod entry;
pub mod measure;
pub mod policy;

pub use assess::{AssessError, Assessment, BaseLayer, Layer, NotApplied, Reason, StandIn};
pub use authority::{Authority, AuthorityError};
pub use entry::Entry;
pub use measure::{MeasureFile, MeasureRecord, RuleRecord, Status};
pub use policy::{BaseBasis, BaseRate, CompileError, MetalShare, Policy, Reference};
