//! quid-data: readers for the official files quid works from, and the bundled dataset.
//!
//! Every reader validates as it goes and reports problems with the file, line, field and what
//! was expected ([`DataError`]); `check`-style entry points collect every problem instead of
//! stopping at the first ([`Diagnostics`]). Files ending in `.gz` are decompressed on the fly.
//!
//! Layers: this crate knows file formats; it holds no duty rules (quid-engine) and no economics
//! (quid-econ).
//!
//! Two small bundled files: the HTS revision table and the sample of the Canadian tariff.
//!
//! ```
//! use quid_core::rate::EvalInput;
//! use quid_core::{parse_date, HsCode, Quantity, Unit};
//! use quid_data::revisions::RevisionTable;
//! use quid_data::{cbsa, Bundle};
//! use rust_decimal::Decimal;
//!
//! let bundle = Bundle::at(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
//! let d = |s| parse_date(s).unwrap();
//!
//! // The US revision in force when the IEEPA rate on Canada went to 35% (2025-08-01).
//! let revisions = RevisionTable::load(&bundle.hts_revisions()).unwrap();
//! assert_eq!(revisions.in_force(d("2025-08-01")).unwrap().display_name(), "2025 rev 17");
//!
//! // Canada on US chickens over the access commitment: no CUSMA preference, so the MFN rate,
//! // 238% but not less than 30.8¢ each. On 100 birds worth C$200: 238% x 200 = 476.00, more
//! // than the floor of 100 x 0.308 = 30.80.
//! let ca = cbsa::load(&bundle.cbsa_sample(), "2026 sample", d("2026-01-01"), true).unwrap();
//! let over = ca.get(&"0105.11.22".parse::<HsCode>().unwrap()).unwrap();
//! assert!(over.special.is_none());
//! let mfn = over.general.as_ref().unwrap().rate.as_ref().unwrap();
//! let birds = Quantity::new(Decimal::from(100), Unit::Each);
//! let duty = mfn.duty(&EvalInput::new(Decimal::from(200)).with_quantity(birds));
//! assert_eq!(duty, Ok(Decimal::from(476)));
//! ```

pub mod batch;
pub mod bounded;
pub mod bundle;
pub mod cbsa;
pub mod collections;
pub mod editions;
pub mod error;
pub mod flows;
pub mod hts;
pub mod law;
pub mod ledger;
pub mod lists;
pub mod manifest;
pub mod measures;
pub mod params;
pub mod parquet_io;
pub mod plausible;
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
