//! A problem found by a check: which named check found it, where (a file and line, or a ledger
//! entry and move, and the field), and what was expected. The ledger's, the measures' and the
//! data files' checks all report `Problem`s, so a program can filter by check or by entry
//! instead of reading text, and the text a person reads is the same everywhere.
//!
//! ```
//! use quid_core::problem::{Check, Location, Problem};
//! let p = Problem {
//!     check: Check::MissingSource,
//!     at: Location::entry(3, "CA-2025-06-29-DST").field("sources"),
//!     message: "empty; every entry needs at least one citation".into(),
//! };
//! assert_eq!(p.check.name(), "missing-source");
//! assert!(p.names_entry("CA-2025-06-29-DST"));
//! assert_eq!(
//!     p.to_string(),
//!     "announcement 3 (CA-2025-06-29-DST): field sources: empty; every entry needs at least one citation"
//! );
//! ```

use serde::Serialize;
use std::fmt;
use std::path::PathBuf;

/// The named checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// Two ledger entries, or two moves, with one id.
    DuplicateId,
    /// A ledger entry without a citation.
    MissingSource,
    /// Recorded before it was announced, or a correction recorded before what it corrects.
    RecordedOutOfOrder,
    /// An entry whose implementing party is among the affected.
    AffectsItself,
    /// An announcement without a move.
    NoMove,
    /// A move removed on or before the day it was implemented, or implemented with no date.
    MoveDates,
    /// A tariff move that names no measure, or names one the bundle does not know.
    UnknownMeasure,
    /// A tariff move with a declared value (tariff moves are valued by the engine).
    DeclaredTariff,
    /// A move of an announcement holding several moves, or of a correction, without its own
    /// title (the balance would show it under a title describing something else).
    MoveTitle,
    /// A correction that supersedes no known entry.
    UnknownSupersedes,
    /// A measure or stacking-rule record that does not validate.
    Measure,
    /// A data file that cannot be read, or a row or field in it.
    DataFile,
}

impl Check {
    /// The check's name, as printed and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Check::DuplicateId => "duplicate-id",
            Check::MissingSource => "missing-source",
            Check::RecordedOutOfOrder => "recorded-out-of-order",
            Check::AffectsItself => "affects-itself",
            Check::NoMove => "no-move",
            Check::MoveDates => "move-dates",
            Check::UnknownMeasure => "unknown-measure",
            Check::DeclaredTariff => "declared-tariff",
            Check::MoveTitle => "move-title",
            Check::UnknownSupersedes => "unknown-supersedes",
            Check::Measure => "measure",
            Check::DataFile => "data-file",
        }
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where a problem is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub file: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// A ledger entry: its 1-based position and id (in JSON `{"position": 3, "id": "..."}`).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "entry_ref")]
    #[schemars(with = "Option<EntryRef>")]
    pub entry: Option<(usize, String)>,
    /// A move of that entry, by id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intervention: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// A ledger entry named by a problem: its 1-based position in the ledger and its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct EntryRef {
    pub position: usize,
    pub id: String,
}

fn entry_ref<S: serde::Serializer>(e: &Option<(usize, String)>, s: S) -> Result<S::Ok, S::Error> {
    e.as_ref()
        .map(|(position, id)| EntryRef {
            position: *position,
            id: id.clone(),
        })
        .serialize(s)
}

impl Location {
    /// The `n`th (1-based) ledger entry, with its id.
    pub fn entry(n: usize, id: &str) -> Location {
        Location {
            entry: Some((n, id.to_string())),
            ..Location::default()
        }
    }

    /// A line of a file.
    pub fn file(file: impl Into<PathBuf>, line: Option<u64>) -> Location {
        Location {
            file: Some(file.into()),
            line,
            ..Location::default()
        }
    }

    /// The same place, one move of the entry.
    pub fn intervention(mut self, id: &str) -> Location {
        self.intervention = Some(id.to_string());
        self
    }

    /// The same place, one field.
    pub fn field(mut self, name: &str) -> Location {
        self.field = Some(name.to_string());
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        if let Some(file) = &self.file {
            write!(f, "{}", file.display())?;
            if let Some(l) = self.line {
                write!(f, ":{l}")?;
            }
            sep = ": ";
        }
        if let Some((n, id)) = &self.entry {
            write!(f, "{sep}announcement {n} ({id})")?;
            sep = ": ";
        }
        if let Some(i) = &self.intervention {
            write!(f, ", intervention {i}")?;
        }
        if let Some(field) = &self.field {
            write!(f, "{sep}field {field}")?;
        }
        Ok(())
    }
}

/// One problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Problem {
    pub check: Check,
    pub at: Location,
    pub message: String,
}

impl Problem {
    pub fn new(check: Check, at: Location, message: impl Into<String>) -> Problem {
        Problem {
            check,
            at,
            message: message.into(),
        }
    }

    /// Whether the problem is about the ledger entry with this id.
    pub fn names_entry(&self, id: &str) -> bool {
        self.at.entry.as_ref().is_some_and(|(_, e)| e == id)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.at.to_string();
        if at.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{at}: {}", self.message)
        }
    }
}
