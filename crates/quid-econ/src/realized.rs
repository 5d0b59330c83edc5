//! Duties on the trade that actually crossed: one month's imports, line by line, each line's
//! claimed value at the rate with a preference claim and the rest at the rate without, the
//! rates averaged over the month's days from a [`Panel`]. This is what customs would have
//! computed on that trade under the modelled law, to be set beside what was collected.
//!
//! A line of 1,000 a month, 600 of it claimed, under 25% without a claim for the last 10 days
//! of a 30-day month (the claimed part free) and 2% base duty all month without a claim:
//!
//! ```
//! use quid_core::{parse_date, HsCode};
//! use quid_econ::realized::{month_duty, LineTrade, Month};
//! use quid_econ::{Interval, Panel, RateRow, Segments};
//!
//! let d = |s| parse_date(s).unwrap();
//! let row = |base: f64, extra: f64| {
//!     let mut r = RateRow { total: base + extra, base_known: true, ..RateRow::default() };
//!     r.parts.push((0, base));
//!     if extra > 0.0 {
//!         r.parts.push((1, extra));
//!     }
//!     r
//! };
//! let iv = |claim, from, until, segs, r| Interval {
//!     line: 0, claim, valid_from: d(from), valid_until: d(until), segments: segs, row: r,
//! };
//! let panel = Panel {
//!     importer: quid_core::Country::US,
//!     partner: quid_core::Country::CA,
//!     lines: vec![HsCode::parse("0101.21.00.10").unwrap()],
//!     segments: Segments::new(d("2025-06-01"), d("2025-06-30"), [d("2025-06-21")]),
//!     intervals: vec![
//!         iv(false, "2025-06-01", "2025-06-20", (0, 0), row(0.02, 0.0)),
//!         iv(false, "2025-06-21", "2025-06-30", (1, 1), row(0.02, 0.25)),
//!         iv(true, "2025-06-01", "2025-06-30", (0, 1), row(0.0, 0.0)),
//!     ],
//!     errors: vec![],
//! };
//! let june = Month::new(2025, 6).unwrap();
//! let trade = [LineTrade { line: 0, value: 1000.0, claimed: 600.0 }];
//! let duty = month_duty(&panel, june, &trade);
//! // Base: 400 x 2% = 8. Additional: 400 x 25% x 10/30 = 33.33.
//! assert!((duty.base - 8.0).abs() < 1e-9);
//! assert!((duty.additional - 400.0 * 0.25 * 10.0 / 30.0).abs() < 1e-9);
//! assert_eq!((duty.imports, duty.claimed), (1000.0, 600.0));
//! ```

use crate::panel::Panel;
use quid_core::Date;
use serde::Serialize;

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i16,
    pub month: i8,
}

impl Month {
    /// The month, when `month` is 1 to 12 and the year is a calendar year quid handles.
    pub fn new(year: i16, month: i8) -> Option<Month> {
        Date::new(year, month, 1)
            .ok()
            .map(|_| Month { year, month })
    }

    /// The month of a date.
    pub fn of(d: Date) -> Month {
        Month {
            year: d.year(),
            month: d.month(),
        }
    }

    /// Its first day.
    pub fn first_day(self) -> Date {
        // Valid by construction.
        Date::new(self.year, self.month, 1).unwrap_or(Date::MIN)
    }

    /// Its last day.
    pub fn last_day(self) -> Date {
        self.first_day().last_of_month()
    }

    /// The number of days in it.
    pub fn days(self) -> i64 {
        i64::from(self.first_day().days_in_month())
    }

    /// The month after.
    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// Every month from `self` to `last`, both included.
    pub fn through(self, last: Month) -> Vec<Month> {
        let mut out = Vec::new();
        let mut m = self;
        while m <= last {
            out.push(m);
            m = m.next();
        }
        out
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl std::str::FromStr for Month {
    type Err = String;
    fn from_str(s: &str) -> Result<Month, String> {
        let bad = || format!("{s:?}: expected a month as YYYY-MM");
        let (y, m) = s.split_once('-').ok_or_else(bad)?;
        let (y, m) = (
            y.parse::<i16>().map_err(|_| bad())?,
            m.parse::<i8>().map_err(|_| bad())?,
        );
        Month::new(y, m).ok_or_else(bad)
    }
}

impl Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Days shared by two inclusive date ranges.
pub fn overlap_days(a: (Date, Date), b: (Date, Date)) -> i64 {
    let from = a.0.max(b.0);
    let until = a.1.min(b.1);
    if until < from {
        0
    } else {
        (until - from).get_days() as i64 + 1
    }
}

/// One line's imports in one month.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineTrade {
    /// Index of the line in the panel's `lines`.
    pub line: u32,
    /// Value of the month's imports.
    pub value: f64,
    /// The part entered with a preference claim (at most `value`).
    pub claimed: f64,
}

/// Duty computed on one month's trade, in the trade's currency.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct MonthDuty {
    pub imports: f64,
    pub claimed: f64,
    /// The base (ordinary customs) duty.
    pub base: f64,
    /// Every additional layer.
    pub additional: f64,
}

impl MonthDuty {
    /// Base plus additional.
    pub fn total(&self) -> f64 {
        self.base + self.additional
    }
}

/// One line's rates averaged over a month's days (a day the panel does not cover counts at
/// no duty): base and additional, without and with a claim.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LineRates {
    pub base: f64,
    pub additional: f64,
    pub claimed_base: f64,
    pub claimed_additional: f64,
}

/// Every line's rates averaged over the month, in the panel's line order.
pub fn month_rates(panel: &Panel, month: Month) -> Vec<LineRates> {
    let span = (month.first_day(), month.last_day());
    let days = month.days() as f64;
    let mut out = vec![LineRates::default(); panel.lines.len()];
    for iv in &panel.intervals {
        let share = overlap_days(span, (iv.valid_from, iv.valid_until)) as f64 / days;
        if share == 0.0 {
            continue;
        }
        let Some(r) = out.get_mut(iv.line as usize) else {
            continue;
        };
        let base = iv.row.get(0);
        let extra = iv.row.total - base;
        if iv.claim {
            r.claimed_base += share * base;
            r.claimed_additional += share * extra;
        } else {
            r.base += share * base;
            r.additional += share * extra;
        }
    }
    out
}

/// The duty on a month's trade at the month's rates: claimed value at the claimed rates, the
/// rest at the rates without a claim. `rates` is indexed by [`LineTrade::line`].
pub fn duty_at(rates: &[LineRates], trade: &[LineTrade]) -> MonthDuty {
    let mut out = MonthDuty::default();
    for t in trade {
        let value = t.value.max(0.0);
        let claimed = t.claimed.clamp(0.0, value);
        let rest = value - claimed;
        out.imports += value;
        out.claimed += claimed;
        if let Some(r) = rates.get(t.line as usize) {
            out.base += rest * r.base + claimed * r.claimed_base;
            out.additional += rest * r.additional + claimed * r.claimed_additional;
        }
    }
    out
}

/// The duty on one month's trade: [`duty_at`] the month's rates ([`month_rates`]). With several
/// trades of one month, compute the rates once.
pub fn month_duty(panel: &Panel, month: Month, trade: &[LineTrade]) -> MonthDuty {
    duty_at(&month_rates(panel, month), trade)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::panel::Interval;
    use crate::rates::RateRow;
    use crate::segments::Segments;
    use quid_core::{parse_date, Country, HsCode};

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    fn row(base: f64, extra: f64) -> RateRow {
        let mut r = RateRow {
            total: base + extra,
            base_known: true,
            ..RateRow::default()
        };
        r.parts.push((0, base));
        if extra > 0.0 {
            r.parts.push((1, extra));
        }
        r
    }

    fn iv(line: u32, claim: bool, from: &str, until: &str, r: RateRow) -> Interval {
        Interval {
            line,
            claim,
            valid_from: d(from),
            valid_until: d(until),
            segments: (0, 0),
            row: r,
        }
    }

    /// Two lines, two months, one line with a claim; every figure worked by hand.
    ///
    /// Line 0 (horses): 25% additional without a claim from 2025-03-04, free with a claim; no
    /// base duty. Line 1 (steel): 2% base without a claim all along; 25% additional claimed or
    /// not from 2025-03-12.
    ///
    /// March 2025 (31 days): line 0 imports 3,100, of which 1,550 claimed: additional
    /// 1,550 x 25% x 28/31 = 350. Line 1 imports 620, none claimed: base 620 x 2% = 12.40;
    /// additional 620 x 25% x 20/31 = 100. Totals: base 12.40, additional 450.
    ///
    /// April 2025 (30 days): line 0 imports 3,000, all claimed: nothing. Line 1 imports 300,
    /// of which 150 claimed: base 150 x 2% = 3; additional 300 x 25% = 75.
    #[test]
    fn two_lines_two_months_one_claim() {
        let panel = Panel {
            importer: Country::US,
            partner: Country::CA,
            lines: vec![
                HsCode::parse("0101.21.00.10").unwrap(),
                HsCode::parse("7208.10.15.00").unwrap(),
            ],
            segments: Segments::new(d("2025-03-01"), d("2025-04-30"), []),
            intervals: vec![
                iv(0, false, "2025-03-01", "2025-03-03", row(0.0, 0.0)),
                iv(0, false, "2025-03-04", "2025-04-30", row(0.0, 0.25)),
                iv(0, true, "2025-03-01", "2025-04-30", row(0.0, 0.0)),
                iv(1, false, "2025-03-01", "2025-03-11", row(0.02, 0.0)),
                iv(1, false, "2025-03-12", "2025-04-30", row(0.02, 0.25)),
                iv(1, true, "2025-03-01", "2025-03-11", row(0.0, 0.0)),
                iv(1, true, "2025-03-12", "2025-04-30", row(0.0, 0.25)),
            ],
            errors: vec![],
        };
        let march = month_duty(
            &panel,
            Month::new(2025, 3).unwrap(),
            &[
                LineTrade {
                    line: 0,
                    value: 3100.0,
                    claimed: 1550.0,
                },
                LineTrade {
                    line: 1,
                    value: 620.0,
                    claimed: 0.0,
                },
            ],
        );
        assert!((march.base - 12.40).abs() < 1e-9, "{march:?}");
        assert!((march.additional - 450.0).abs() < 1e-9, "{march:?}");
        assert_eq!((march.imports, march.claimed), (3720.0, 1550.0));
        let april = month_duty(
            &panel,
            Month::new(2025, 4).unwrap(),
            &[
                LineTrade {
                    line: 0,
                    value: 3000.0,
                    claimed: 3000.0,
                },
                LineTrade {
                    line: 1,
                    value: 300.0,
                    claimed: 150.0,
                },
            ],
        );
        assert!((april.base - 3.0).abs() < 1e-9, "{april:?}");
        // The same through the month's rates.
        let rates = month_rates(&panel, Month::new(2025, 3).unwrap());
        let again = duty_at(
            &rates,
            &[
                LineTrade {
                    line: 0,
                    value: 3100.0,
                    claimed: 1550.0,
                },
                LineTrade {
                    line: 1,
                    value: 620.0,
                    claimed: 0.0,
                },
            ],
        );
        assert!((again.base - march.base).abs() < 1e-9);
        assert!((again.additional - march.additional).abs() < 1e-9);
        assert!((april.additional - 75.0).abs() < 1e-9, "{april:?}");
        assert!((april.total() - 78.0).abs() < 1e-9);
    }

    #[test]
    fn a_claim_larger_than_the_value_is_capped() {
        let panel = Panel {
            importer: Country::US,
            partner: Country::CA,
            lines: vec![HsCode::parse("0101.21.00.10").unwrap()],
            segments: Segments::new(d("2025-04-01"), d("2025-04-30"), []),
            intervals: vec![
                iv(0, false, "2025-04-01", "2025-04-30", row(0.0, 0.10)),
                iv(0, true, "2025-04-01", "2025-04-30", row(0.0, 0.0)),
            ],
            errors: vec![],
        };
        let m = Month::new(2025, 4).unwrap();
        let t = [LineTrade {
            line: 0,
            value: 100.0,
            claimed: 150.0,
        }];
        let duty = month_duty(&panel, m, &t);
        assert_eq!((duty.claimed, duty.additional), (100.0, 0.0));
    }

    #[test]
    fn months_parse_count_and_step() {
        let m: Month = "2025-02".parse().unwrap();
        assert_eq!(m.days(), 28);
        assert_eq!(m.last_day(), d("2025-02-28"));
        assert_eq!("2024-02".parse::<Month>().unwrap().days(), 29);
        assert_eq!(Month::new(2025, 12).unwrap().next().to_string(), "2026-01");
        assert_eq!(
            m.through("2025-05".parse().unwrap())
                .iter()
                .map(|m| m.to_string())
                .collect::<Vec<_>>(),
            ["2025-02", "2025-03", "2025-04", "2025-05"]
        );
        assert!("2025-13".parse::<Month>().is_err());
        assert!("2025".parse::<Month>().is_err());
        assert_eq!(
            overlap_days(
                (d("2025-03-01"), d("2025-03-31")),
                (d("2025-03-04"), d("2025-06-30"))
            ),
            28
        );
        assert_eq!(
            overlap_days(
                (d("2025-03-01"), d("2025-03-31")),
                (d("2025-04-01"), d("2025-06-30"))
            ),
            0
        );
    }
}
