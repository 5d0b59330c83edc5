//! Confidence grades: how sure the research timeline is of a fact (a measure record, a ledger
//! move), H, M or L as written in the data files.
//!
//! A grade is read from its letter and written back the same; `H` sorts first:
//!
//! ```
//! use quid_core::Confidence;
//!
//! let c: Confidence = "M".parse().unwrap();
//! assert_eq!(c, Confidence::M);
//! assert_eq!(c.to_string(), "M");
//! // Declared in the order H, M, L, so the best-sourced grade is the least.
//! assert_eq!([Confidence::L, Confidence::H, c].iter().min(), Some(&Confidence::H));
//! // Only the capital letters are grades.
//! assert_eq!(
//!     "h".parse::<Confidence>().unwrap_err().to_string(),
//!     "confidence \"h\"; expected H, M or L"
//! );
//! ```

use std::fmt;
use std::str::FromStr;

/// How well a fact is sourced: `H` (high: the legal text or an official notice), `M` (medium)
/// or `L` (low: a single or indirect source), as graded in the research timeline.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
pub enum Confidence {
    H,
    M,
    L,
}

/// A text that is not a confidence grade.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("confidence {0:?}; expected H, M or L")]
pub struct ConfidenceError(pub String);

impl Confidence {
    /// The grade as written in the data files.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::H => "H",
            Confidence::M => "M",
            Confidence::L => "L",
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Confidence {
    type Err = ConfidenceError;
    fn from_str(s: &str) -> Result<Confidence, ConfidenceError> {
        match s {
            "H" => Ok(Confidence::H),
            "M" => Ok(Confidence::M),
            "L" => Ok(Confidence::L),
            other => Err(ConfidenceError(other.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::value::{Error, StrDeserializer};
    use serde::Deserialize;

    #[test]
    fn reads_and_writes_the_three_grades() {
        for (text, c) in [
            ("H", Confidence::H),
            ("M", Confidence::M),
            ("L", Confidence::L),
        ] {
            assert_eq!(text.parse::<Confidence>(), Ok(c));
            assert_eq!(c.to_string(), text);
            let de = Confidence::deserialize(StrDeserializer::<Error>::new(text));
            assert_eq!(de.ok(), Some(c));
        }
    }

    #[test]
    fn refuses_anything_else() {
        assert_eq!(
            "X".parse::<Confidence>().unwrap_err().to_string(),
            "confidence \"X\"; expected H, M or L"
        );
        assert!("h".parse::<Confidence>().is_err());
        let de = Confidence::deserialize(StrDeserializer::<Error>::new("X"));
        assert!(de.is_err());
    }
}
