//! quid-data: readers for the official files quid works from, and the bundled dataset.
//!
//! Every reader validates as it goes and reports problems with the file, line, field and what
//! was expected ([`DataError`]); `check`-style entry points collect every problem instead of
//! stopping at the first ([`Diagnostics`]). Files ending in `.gz` are decompressed on the fly.
//!
//! Layers: this crate knows file formats; it holds no duty rules (quid-engine) and no economics
//! (quid-econ).

pub mod batch;
pub mod bundle;
pub mod cbsa;
pub mod editions;
pub mod error;
pub mod flows;
pub mod hts;
pub mod law;
pub mod ledger;
pub mod lists;
pub mod measures;
pub mod params;
pub mod parquet_io;
pub mod reader;
pub mod reference;
pub mod revisions;
pub mod schedule;
pub mod summary;
pub mod surtax;

pub use bundle::Bundle;
pub use editions::{EditionChoice, Schedules};
pub use error::{DataError, Diagnostic, Diagnostics};
pub use schedule::{RateCell, Schedule, TariffLine};
