//! The interval panel: for every line, with and without a preference claim, its rates by
//! authority as intervals `[valid_from, valid_until]` (both inclusive) between policy change
//! dates, consecutive equal segments merged. A date query is then a lookup.
//!
//! Lines are computed in parallel; each line walks the segments in order.

use crate::rates::{line_rates, RateRow};
use crate::segments::Segments;
use quid_core::{Country, Date, HsCode};
use quid_engine::{Policy, Reference};
use rayon::prelude::*;

/// One interval of one line.
#[derive(Debug, Clone, PartialEq)]
pub struct Interval {
    /// Index of the line in [`Panel::lines`].
    pub line: u32,
    pub claim: bool,
    pub valid_from: Date,
    /// Last day covered (inclusive).
    pub valid_until: Date,
    /// First and last segment covered.
    pub segments: (u32, u32),
    pub row: RateRow,
}

/// A line that could not be assessed: its code, the date, and why.
pub type LineError = (HsCode, Date, String);

/// Rates of a set of lines for one importer and partner over a period.
#[derive(Debug, Clone)]
pub struct Panel {
    pub importer: Country,
    pub partner: Country,
    pub lines: Vec<HsCode>,
    pub segments: Segments,
    /// Sorted by line, then claim, then date.
    pub intervals: Vec<Interval>,
    /// Lines that could not be assessed on some date, with the first reason.
    pub errors: Vec<LineError>,
}

impl Panel {
    /// Builds the panel. `extra_cuts` are dates on which every line must be re-assessed besides
    /// its own measures' dates (schedule editions).
    pub fn build(
        policy: &Policy,
        reference: &dyn Reference,
        importer: Country,
        partner: Country,
        lines: Vec<HsCode>,
        segments: Segments,
        extra_cuts: &[Date],
    ) -> Panel {
        let per_line: Vec<(Vec<Interval>, Option<LineError>)> = lines
            .par_iter()
            .enumerate()
            .map_init(Vec::new, |cuts, (i, &hs)| {
                // Assess the line only on the segments where one of its measures or a rule
                // changes (or an edition starts); the others repeat the previous row.
                policy.line_change_dates(importer, partner, &hs, cuts);
                cuts.extend(extra_cuts.iter().copied());
                let mut out = Vec::new();
                let mut err = None;
                for claim in [false, true] {
                    let mut open: Option<Interval> = None;
                    for (k, &start) in segments.starts.iter().enumerate() {
                        let last = segments.last_day(k);
                        let changes = k == 0 || cuts.contains(&start);
                        if let (false, Some(iv)) = (changes, open.as_mut()) {
                            iv.valid_until = last;
                            iv.segments.1 = k as u32;
                            continue;
                        }
                        let row = match line_rates(
                            policy, reference, importer, partner, hs, start, claim,
                        ) {
                            Ok(r) => r,
                            Err(e) => {
                                if err.is_none() {
                                    err = Some((hs, start, e.to_string()));
                                }
                                RateRow::default()
                            }
                        };
                        match &mut open {
                            Some(iv) if iv.row == row => {
                                iv.valid_until = last;
                                iv.segments.1 = k as u32;
                            }
                            _ => {
                                if let Some(done) = open.take() {
                                    out.push(done);
                                }
                                open = Some(Interval {
                                    line: i as u32,
                                    claim,
                                    valid_from: start,
                                    valid_until: last,
                                    segments: (k as u32, k as u32),
                                    row,
                                });
                            }
                        }
                    }
                    out.extend(open);
                }
                (out, err)
            })
            .collect();
        let mut intervals = Vec::new();
        let mut errors = Vec::new();
        for (iv, e) in per_line {
            intervals.extend(iv);
            errors.extend(e);
        }
        Panel {
            importer,
            partner,
            lines,
            segments,
            intervals,
            errors,
        }
    }
}
