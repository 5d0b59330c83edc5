//! Data errors that say where (file, line, field) and what was expected, and a collector that
//! keeps every problem of a check run.
//!
//! A check pushes every problem it finds into [`Diagnostics`] and keeps going; the result carries
//! them all:
//!
//! ```
//! use quid_data::{DataError, Diagnostics};
//!
//! let mut found = Diagnostics::default();
//! found.push("fx/usd_cad.csv", Some(3), Some("cad_per_usd"), "\"-1\" is not a positive number");
//! found.push("params/law.toml", None, None, "no ca.mfn value");
//! assert_eq!(found.len(), 2);
//! let e = found.into_result().unwrap_err();
//! assert!(matches!(e, DataError::Many(ref v) if v.len() == 2));
//! let first = &e.diagnostics()[0];
//! assert_eq!((first.line, first.field.as_deref()), (Some(3), Some("cad_per_usd")));
//! // An empty collector is no error.
//! assert!(Diagnostics::default().into_result().is_ok());
//! ```

use quid_core::problem::{Check, Location, Problem};
use std::fmt;
use std::path::PathBuf;

/// One problem in one place of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// 1-based line number (the header is line 1 in CSV files), when known.
    pub line: Option<u64>,
    pub field: Option<String>,
    pub message: String,
}

impl Diagnostic {
    /// The diagnostic as a [`Problem`] of the named check `check` (a data file's, or a
    /// measure's when the measure files report it).
    pub fn problem(&self, check: Check) -> Problem {
        let mut at = Location::file(self.file.clone(), self.line);
        at.field = self.field.clone();
        Problem::new(check, at, self.message.clone())
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.problem(Check::DataFile))
    }
}

impl Diagnostic {
    /// The diagnostic of a TOML parse or field error in `file`, whose text was `text`: the line
    /// its span starts on (see [`toml_line`]), the key written there under its table header
    /// (see [`toml_field`]) and the parser's message.
    pub fn from_toml(file: impl Into<PathBuf>, text: &str, e: &toml::de::Error) -> Diagnostic {
        let line = toml_line(text, e);
        Diagnostic {
            file: file.into(),
            line,
            field: line.and_then(|l| toml_field(text, l)),
            message: e.message().to_string(),
        }
    }
}

/// The 1-based line on which a TOML error's span starts (the line of the offending key or
/// table header), when the error has a span. Counting the newlines before the span, not the
/// `lines()` of the text before it: an error at the start of a line (most are) would otherwise
/// be reported one line short.
pub fn toml_line(text: &str, e: &toml::de::Error) -> Option<u64> {
    e.span().map(|s| {
        let before = &text.as_bytes()[..s.start.min(text.len())];
        1 + memchr::memchr_iter(b'\n', before).count() as u64
    })
}

/// The field a line of TOML text writes: the nearest table header at or above it (`[a.b]`,
/// `[[a.b.values]]`) joined to the key the line assigns, if it assigns one (`a.b.values.from`).
/// A line inside a multi-line value (no bare key before its `=`) names the table only.
pub fn toml_field(text: &str, line: u64) -> Option<String> {
    let upto: Vec<&str> = text.lines().take(usize::try_from(line).ok()?).collect();
    let here = upto.last()?.trim();
    let header = |l: &str| {
        let l = l.trim();
        l.starts_with('[').then(|| {
            l.trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        })
    };
    if let Some(h) = header(here) {
        return Some(h).filter(|h| !h.is_empty());
    }
    let key = here.split_once('=').map(|(k, _)| k.trim()).filter(|k| {
        !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '"' | ' '))
    });
    let table = upto.iter().rev().skip(1).find_map(|l| header(l));
    match (table, key) {
        (Some(t), Some(k)) => Some(format!("{t}.{k}")),
        (Some(t), None) => Some(t),
        (None, k) => k.map(str::to_string),
    }
}

/// Errors of the data layer.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(Diagnostic),
    #[error("{} problem(s), first: {}", .0.len(), .0.first().map(|d| d.to_string()).unwrap_or_default())]
    Many(Vec<Diagnostic>),
    #[error("the bundled data folder was not found (looked in: {0}); set QUID_DATA to the folder that holds SOURCES.md")]
    NoBundle(String),
}

impl DataError {
    /// Builds an [`DataError::Invalid`] for a place in a file.
    pub fn at(
        file: impl Into<PathBuf>,
        line: Option<u64>,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> DataError {
        DataError::Invalid(Diagnostic {
            file: file.into(),
            line,
            field: field.map(str::to_string),
            message: message.into(),
        })
    }

    /// A TOML error in `file` (see [`Diagnostic::from_toml`]).
    pub fn toml(file: impl Into<PathBuf>, text: &str, e: &toml::de::Error) -> DataError {
        DataError::Invalid(Diagnostic::from_toml(file, text, e))
    }

    /// All diagnostics this error carries.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            DataError::Invalid(d) => vec![d.clone()],
            DataError::Many(v) => v.clone(),
            other => vec![Diagnostic {
                file: PathBuf::new(),
                line: None,
                field: None,
                message: other.to_string(),
            }],
        }
    }
}

/// A collector of problems; a check keeps going and reports them all.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(
        &mut self,
        file: impl Into<PathBuf>,
        line: Option<u64>,
        field: Option<&str>,
        message: impl Into<String>,
    ) {
        self.items.push(Diagnostic {
            file: file.into(),
            line,
            field: field.map(str::to_string),
            message: message.into(),
        });
    }

    pub fn extend_from(&mut self, e: &DataError) {
        self.items.extend(e.diagnostics());
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Ok when there are no problems, else all of them as one error.
    pub fn into_result(self) -> Result<(), DataError> {
        if self.items.is_empty() {
            Ok(())
        } else {
            Err(DataError::Many(self.items))
        }
    }
}
