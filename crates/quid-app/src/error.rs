//! The application's error: what went wrong in a use case, with the file, field or argument at
//! fault. Predicates say what kind of error it is, so the binary and the server can choose an
//! exit code or an HTTP status without matching on text.
//!
//! The predicates classify an error without reading its text:
//!
//! ```
//! use quid_app::Error;
//! use quid_engine::EntryRecord;
//!
//! let e = Error::invalid("--date", "expected YYYY-MM-DD");
//! assert_eq!(e.to_string(), "--date: expected YYYY-MM-DD");
//! assert!(e.is_invalid_request() && !e.is_not_found());
//! // A bad field of an entry record is the request's fault too.
//! let record = EntryRecord {
//!     importer: "US".into(), origin: "CA".into(), hts: "7208.10.15.00".into(),
//!     date: "2025-07-01".into(), value: "ten".into(), ..EntryRecord::default()
//! };
//! let e = Error::from(record.to_entry().unwrap_err());
//! assert!(e.is_invalid_request());
//! assert_eq!(e.to_string(), "value: \"ten\" is not a number");
//! let e = Error::NotFound("no measure \"X\"".into());
//! assert!(e.is_not_found() && !e.is_io());
//! ```

use std::path::PathBuf;

/// An error of a use case.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A bundled or user file could not be read or has bad rows.
    #[error(transparent)]
    Data(#[from] quid_data::DataError),
    /// The workspace database refused or failed.
    #[error(transparent)]
    Store(#[from] quid_store::StoreError),
    /// The workspace failed its check on open, or is damaged: the command refuses to use it.
    #[error("{}: {why}; run `quid ledger verify --workspace {}` to see what changed", path.display(), path.display())]
    Workspace { path: PathBuf, why: String },
    /// The engine could not assess an entry.
    #[error(transparent)]
    Assess(#[from] quid_engine::AssessError),
    /// A field of an entry record.
    #[error(transparent)]
    Field(#[from] quid_engine::FieldError),
    /// A schedule edition or base-rate question (no edition for a date, an unknown importer).
    #[error(transparent)]
    BaseRate(#[from] quid_engine::BaseRateError),
    /// A reform that cannot be applied (a move on a measure not in force, a bad rate).
    #[error(transparent)]
    Reform(#[from] quid_engine::reform::ReformError),
    /// A Parquet file could not be read or written.
    #[error(transparent)]
    Parquet(#[from] quid_data::parquet_io::ParquetError),
    /// A request that cannot be answered as asked: the argument or field, and why.
    #[error("{what}: {why}")]
    Invalid { what: String, why: String },
    /// Something asked for does not exist (a measure id, a tariff line, a workspace).
    #[error("{0}")]
    NotFound(String),
    /// A file could not be read or written.
    #[error("{what} {}: {source}", path.display())]
    Io {
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    /// The data loaded, but what it says fails a check (the ledger's problems, say).
    #[error("{0}")]
    Check(String),
}

impl Error {
    /// An invalid request: `what` names the argument or field.
    pub fn invalid(what: impl Into<String>, why: impl Into<String>) -> Error {
        Error::Invalid {
            what: what.into(),
            why: why.into(),
        }
    }

    /// A file error with what was being done.
    pub fn io(what: &'static str, path: &std::path::Path, source: std::io::Error) -> Error {
        Error::Io {
            what,
            path: path.to_path_buf(),
            source,
        }
    }

    /// The request itself is at fault (a bad argument or field), not the data or the machine.
    pub fn is_invalid_request(&self) -> bool {
        matches!(self, Error::Invalid { .. } | Error::Field(_))
    }

    /// Something named does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::NotFound(_))
    }

    /// A file could not be read or written.
    pub fn is_io(&self) -> bool {
        matches!(self, Error::Io { .. })
    }
}

/// `ensure!`-like helper: an invalid-request error unless `cond` holds.
pub(crate) fn ensure(cond: bool, what: &str, why: impl FnOnce() -> String) -> crate::Result<()> {
    if cond {
        Ok(())
    } else {
        Err(Error::invalid(what, why()))
    }
}
