//! Policy segments: the dates in a period on which duties can change (a measure or rule starts
//! or ends, a schedule edition takes effect, a month starts when monthly shares are used), so
//! that a date query is a lookup and a daily series is an expansion.
//!
//! 2025 cut at 2025-03-04 (a duty starts): change dates outside the year and repeats are
//! dropped, and the first segment runs 31 + 28 + 3 = 62 days.
//!
//! ```
//! use quid_core::parse_date;
//! use quid_econ::Segments;
//! let d = |s| parse_date(s).unwrap();
//! let year = Segments::new(
//!     d("2025-01-01"),
//!     d("2025-12-31"),
//!     [d("2025-03-04"), d("2025-03-04"), d("2026-01-01")],
//! );
//! assert_eq!(year.starts, vec![d("2025-01-01"), d("2025-03-04")]);
//! assert_eq!(year.index(d("2025-03-03")), Some(0));
//! assert_eq!(year.index(d("2025-07-01")), Some(1));
//! assert_eq!(year.index(d("2026-01-01")), None);
//! assert_eq!((year.last_day(0), year.days(0)), (d("2025-03-03"), 62));
//! assert_eq!(year.days(1), 365 - 62);
//! ```

use quid_core::Date;

/// Segment starts within `[from, to]`; segment `k` runs from `starts[k]` to the day before
/// `starts[k + 1]` (the last to `to`).
#[derive(Debug, Clone, PartialEq)]
pub struct Segments {
    pub starts: Vec<Date>,
    pub to: Date,
}

impl Segments {
    /// Segments of `[from, to]` cut at every change date inside it.
    pub fn new(from: Date, to: Date, change_dates: impl IntoIterator<Item = Date>) -> Segments {
        let mut starts: Vec<Date> = std::iter::once(from)
            .chain(change_dates.into_iter().filter(|d| *d > from && *d <= to))
            .collect();
        starts.sort_unstable();
        starts.dedup();
        Segments { starts, to }
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The segment holding `date`.
    pub fn index(&self, date: Date) -> Option<usize> {
        if date > self.to {
            return None;
        }
        self.starts.partition_point(|s| *s <= date).checked_sub(1)
    }

    /// The last day of segment `k`.
    pub fn last_day(&self, k: usize) -> Date {
        match self.starts.get(k + 1) {
            Some(next) => next.yesterday().unwrap_or(*next),
            None => self.to,
        }
    }

    /// Number of days in segment `k`.
    pub fn days(&self, k: usize) -> i64 {
        let (a, b) = (self.starts[k], self.last_day(k));
        a.until(b).map(|s| s.get_days() as i64 + 1).unwrap_or(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quid_core::parse_date;

    #[test]
    fn cuts_and_looks_up() {
        let d = |s| parse_date(s).unwrap();
        let s = Segments::new(
            d("2025-01-01"),
            d("2025-12-31"),
            [
                d("2025-03-04"),
                d("2024-01-01"),
                d("2026-01-01"),
                d("2025-03-04"),
            ],
        );
        assert_eq!(s.starts, vec![d("2025-01-01"), d("2025-03-04")]);
        assert_eq!(s.index(d("2025-03-03")), Some(0));
        assert_eq!(s.index(d("2025-03-04")), Some(1));
        assert_eq!(s.index(d("2026-01-01")), None);
        assert_eq!(s.last_day(0), d("2025-03-03"));
        assert_eq!(s.days(0), 62);
    }
}
