//! Civil dates and periods.
//!
//! A [`Period`] is **half-open**: it includes `from` and excludes `until`. A measure "effective
//! from 2025-03-04 to 2025-07-31" in legal prose (last day covered 2025-07-31) is therefore the
//! period `[2025-03-04, 2025-08-01)`; [`Period::closed`] builds one from such inclusive bounds.
//! An open-ended period has no `until`.
//!
//! ```
//! use quid_core::{Period, parse_date};
//! let p = Period::closed(parse_date("2025-03-04").unwrap(), Some(parse_date("2025-07-31").unwrap()));
//! assert!(p.contains(parse_date("2025-07-31").unwrap()));
//! assert!(!p.contains(parse_date("2025-08-01").unwrap()));
//! ```

pub use jiff::civil::Date;
use std::fmt;

/// Date and period errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("{0:?} is not a date; expected YYYY-MM-DD (e.g. 2025-07-01)")]
    BadDate(String),
    #[error("period ends ({until}) before it starts ({from})")]
    EndsBeforeStart { from: Date, until: Date },
}

/// Parses an ISO 8601 calendar date, rejecting impossible dates such as 2025-02-30.
pub fn parse_date(text: &str) -> Result<Date, PeriodError> {
    let t = text.trim();
    if t.len() != 10 {
        return Err(PeriodError::BadDate(t.to_string()));
    }
    t.parse::<Date>()
        .map_err(|_| PeriodError::BadDate(t.to_string()))
}

/// A half-open span of days `[from, until)`; `until = None` means open-ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Period {
    pub from: Date,
    pub until: Option<Date>,
}

impl Period {
    /// A half-open period; errors when `until` is not after `from`.
    pub fn new(from: Date, until: Option<Date>) -> Result<Period, PeriodError> {
        if let Some(u) = until {
            if u <= from {
                return Err(PeriodError::EndsBeforeStart { from, until: u });
            }
        }
        Ok(Period { from, until })
    }

    /// A period from inclusive bounds, the way legal texts state them ("to 2025-07-31").
    pub fn closed(from: Date, last_day: Option<Date>) -> Period {
        let until = last_day.and_then(|d| d.tomorrow().ok());
        Period { from, until }
    }

    /// True when `date` falls in the period.
    pub fn contains(&self, date: Date) -> bool {
        date >= self.from && self.until.is_none_or(|u| date < u)
    }

    /// The last day covered, when the period ends.
    pub fn last_day(&self) -> Option<Date> {
        self.until.and_then(|u| u.yesterday().ok())
    }

    /// True when the two periods share at least one day.
    pub fn overlaps(&self, other: &Period) -> bool {
        let a_end = self.until;
        let b_end = other.until;
        a_end.is_none_or(|e| other.from < e) && b_end.is_none_or(|e| self.from < e)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.last_day() {
            Some(l) => write!(f, "{} to {}", self.from, l),
            None => write!(f, "from {}", self.from),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_impossible_dates() {
        assert!(parse_date("2025-02-30").is_err());
        assert!(parse_date("2025-13-01").is_err());
        assert!(parse_date("25-01-01").is_err());
        assert!(parse_date("2024-02-29").is_ok());
    }

    #[test]
    fn periods() {
        let d = |s| parse_date(s).unwrap();
        let p = Period::new(d("2025-03-04"), Some(d("2025-03-07"))).unwrap();
        assert!(p.contains(d("2025-03-06")) && !p.contains(d("2025-03-07")));
        assert!(Period::new(d("2025-03-04"), Some(d("2025-03-04"))).is_err());
        let open = Period::new(d("2025-03-06"), None).unwrap();
        assert!(p.overlaps(&open));
        assert_eq!(p.to_string(), "2025-03-04 to 2025-03-06");
    }
}
