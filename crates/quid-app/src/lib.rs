//! quid-app: every use case of quid as a function of a typed request returning a report that
//! serialises to the JSON the command line prints and the API serves.
//!
//! The binary parses arguments, calls one function here and prints what it returns; a server
//! does the same with HTTP. Nothing here parses arguments or prints; the clock is passed in
//! ([`App::today`]), never read deep inside.
//!
//! ```no_run
//! use quid_app::{App, EngineOptions};
//! use quid_engine::EntryRecord;
//! let app = App::new(None, quid_core::parse_date("2026-12-06").unwrap()).unwrap();
//! let engine = app.engine(&EngineOptions::default()).unwrap();
//! let record = EntryRecord {
//!     importer: "US".into(), origin: "CA".into(), hts: "7208.10.15.00".into(),
//!     date: "2025-07-01".into(), value: "100000".into(), ..EntryRecord::default()
//! };
//! let assessment = quid_app::duty::assess(&engine, &record).unwrap();
//! println!("{}", assessment.total);
//! ```
//!
//! Layers: quid-core <- quid-engine <- {quid-data, quid-econ} <- quid-app <- {the binary, the
//! server}.

pub mod balance;
pub mod batch_files;
pub mod checks;
pub mod contract;
pub mod coverage;
pub mod directions;
pub mod duty;
pub mod error;
pub mod etr;
pub mod fonts;
pub mod ledger;
pub mod load;
pub mod measures;
pub mod negotiate;
pub mod png;
pub mod rates;
pub mod realized;
pub mod roo;
pub mod scenario;
pub mod scenario_run;
pub mod schedule;
pub mod snapshot;
pub mod svg;
pub mod table;
pub mod weights;

pub use error::Error;
pub use load::{App, Engine, EngineOptions};

/// The result of a use case.
pub type Result<T, E = Error> = std::result::Result<T, E>;
