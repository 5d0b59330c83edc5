//! Trade-weighted effective tariff rates (ETR) over time, by authority and by group (HS section,
//! GTAP sector), from an interval panel.
//!
//! For line `i` with weight `w_i` (imports in the base year) and preference-claim share `s_i`,
//! on segment `k`: `ETR_k = Σ_i w_i [(1 - s_i) r_ik(no claim) + s_i r_ik(claim)] / W`, where `W`
//! is the partner's total imports, lines that could not be matched counted at 0%.
//!
//! A panel of two lines written by hand (as [`Panel::build`](crate::Panel::build) would make
//! it): live horses, 2% MFN and free under USMCA, half of them claimed, with a 25% duty from
//! 2025-03-04 unless claimed; and lumber, free, never claimed, under the same 25%. Their weights
//! are 60 and 30 of the partner's 100; the other 10 count at 0%. After the cut,
//! `ETR = (60 x 0.5 x 27% + 30 x 25%) / 100 = 15.6%`.
//!
//! ```
//! use quid_core::{parse_date, Country, HsCode};
//! use quid_econ::etr::{compute, EtrInput, EtrLine, Shares};
//! use quid_econ::{authority_index, Interval, Panel, RateRow, Segments};
//! use std::collections::HashMap;
//!
//! let d = |s| parse_date(s).unwrap();
//! let horses: HsCode = "0101.21.00.10".parse().unwrap();
//! let lumber: HsCode = "4407.11.00".parse().unwrap();
//! let ieepa = authority_index("ieepa-ca");
//! let segments = Segments::new(d("2025-01-01"), d("2025-12-31"), [d("2025-03-04")]);
//!
//! // A rate row: (authority index, rate) parts and their total.
//! let row = |parts: &[(u8, f64)]| RateRow {
//!     total: parts.iter().map(|(_, r)| r).sum(),
//!     parts: parts.iter().copied().collect(),
//!     base_known: true,
//! };
//! // An interval of one line, with or without a claim, over segments `first..=last`.
//! let interval = |line, claim, (first, last): (u32, u32), row| Interval {
//!     line,
//!     claim,
//!     valid_from: segments.starts[first as usize],
//!     valid_until: segments.last_day(last as usize),
//!     segments: (first, last),
//!     row,
//! };
//! let intervals = vec![
//!     interval(0, false, (0, 0), row(&[(0, 0.02)])),
//!     interval(0, false, (1, 1), row(&[(0, 0.02), (ieepa, 0.25)])),
//!     interval(0, true, (0, 1), row(&[])),
//!     interval(1, false, (0, 0), row(&[])),
//!     interval(1, false, (1, 1), row(&[(ieepa, 0.25)])),
//!     interval(1, true, (0, 1), row(&[])),
//! ];
//! let panel = Panel {
//!     importer: Country::US,
//!     partner: Country::CA,
//!     lines: vec![horses, lumber],
//!     segments,
//!     intervals,
//!     errors: vec![],
//! };
//! let input = EtrInput {
//!     lines: vec![
//!         EtrLine { hs: horses, weight: 60.0, group: 0 },
//!         EtrLine { hs: lumber, weight: 30.0, group: 1 },
//!     ],
//!     total_weight: 100.0,
//!     shares: Shares::Annual(HashMap::from([(horses, 0.5)])),
//!     groups: vec!["I Live animals".into(), "IX Wood".into()],
//! };
//! let series = compute(&panel, &input);
//!
//! let pct = |x: f64| format!("{:.1}%", 100.0 * x);
//! // Before the cut only the base duty: 60 x 0.5 x 2% / 100.
//! assert_eq!(pct(series.total[0]), "0.6%");
//! assert_eq!(pct(series.total[1]), "15.6%");
//! // The 25% duty alone: (60 x 0.5 + 30) x 25% / 100.
//! assert_eq!(pct(series.additional()[1]), "15.0%");
//! assert_eq!(pct(series.by_authority[1][usize::from(ieepa)]), "15.0%");
//! // By group, over the group's own weight: 30 x 25% / 60 and 30 x 25% / 30.
//! assert_eq!(series.by_group[1].iter().map(|r| pct(*r)).collect::<Vec<_>>(), ["12.5%", "25.0%"]);
//! assert_eq!(series.matched_weight, 90.0);
//! // Day by day: 2025-03-04 is day 62 (from 0) and falls in segment 1.
//! assert_eq!(series.days().len(), 365);
//! assert_eq!(series.days()[62], (d("2025-03-04"), 1));
//! ```

use crate::authority::AUTHORITY_COUNT;
use crate::panel::Panel;
use crate::segments::Segments;
use quid_core::{Date, HsCode};
use std::collections::{BTreeMap, HashMap};

/// Preference-claim shares by line.
#[derive(Debug, Clone, Default)]
pub enum Shares {
    /// No claims (every entry at the no-claim rate).
    #[default]
    None,
    /// One share per line for the whole period.
    Annual(HashMap<HsCode, f64>),
    /// A share per line and month; months outside the table use `fallback`.
    Monthly {
        months: BTreeMap<(i16, i8), HashMap<HsCode, f64>>,
        fallback: HashMap<HsCode, f64>,
    },
}

impl Shares {
    /// The claim share of a line on a date (0 when unknown).
    pub fn get(&self, hs: &HsCode, date: Date) -> f64 {
        match self {
            Shares::None => 0.0,
            Shares::Annual(m) => m.get(hs).copied().unwrap_or(0.0),
            Shares::Monthly { months, fallback } => months
                .get(&(date.year(), date.month()))
                .unwrap_or(fallback)
                .get(hs)
                .or_else(|| fallback.get(hs))
                .copied()
                .unwrap_or(0.0),
        }
    }

    /// Month starts the series must be cut at (monthly shares only).
    pub fn month_starts(&self) -> Vec<Date> {
        match self {
            Shares::Monthly { months, .. } => {
                let mut v: Vec<Date> = months
                    .keys()
                    .filter_map(|(y, m)| Date::new(*y, *m, 1).ok())
                    .collect();
                // The first month after the table goes back to the fallback.
                if let Some((y, m)) = months.keys().next_back() {
                    let next = if *m == 12 {
                        Date::new(*y + 1, 1, 1)
                    } else {
                        Date::new(*y, *m + 1, 1)
                    };
                    v.extend(next.ok());
                }
                v
            }
            _ => Vec::new(),
        }
    }
}

/// One weighted line.
#[derive(Debug, Clone, Copy)]
pub struct EtrLine {
    pub hs: HsCode,
    pub weight: f64,
    /// Index into [`EtrInput::groups`].
    pub group: u16,
}

/// Weights and shares for an ETR.
#[derive(Debug, Clone)]
pub struct EtrInput {
    pub lines: Vec<EtrLine>,
    /// The denominator: the partner's total imports (lines not in `lines` count at 0%).
    pub total_weight: f64,
    pub shares: Shares,
    pub groups: Vec<String>,
}

/// An ETR series, one value per segment.
#[derive(Debug, Clone)]
pub struct EtrSeries {
    pub segments: Segments,
    /// Total rate (base duty plus every additional layer).
    pub total: Vec<f64>,
    /// By authority index (0 = the base duty).
    pub by_authority: Vec<[f64; AUTHORITY_COUNT]>,
    /// Additional duties (all but the base) by group.
    pub by_group: Vec<Vec<f64>>,
    pub groups: Vec<String>,
    pub total_weight: f64,
    pub matched_weight: f64,
    /// Weight of lines whose base rate is specific (unknown from value data), per segment.
    pub unknown_base_weight: Vec<f64>,
}

impl EtrSeries {
    /// Additional-only rate (everything but the base duty) per segment.
    pub fn additional(&self) -> Vec<f64> {
        self.total
            .iter()
            .zip(&self.by_authority)
            .map(|(t, a)| t - a[0])
            .collect()
    }

    /// The series day by day: (date, segment index).
    pub fn days(&self) -> Vec<(Date, usize)> {
        let mut out = Vec::new();
        for k in 0..self.segments.len() {
            let mut d = self.segments.starts[k];
            let last = self.segments.last_day(k);
            while d <= last {
                out.push((d, k));
                match d.tomorrow() {
                    Ok(n) => d = n,
                    Err(_) => break,
                }
            }
        }
        out
    }
}

/// Computes the series from a panel built over the same lines (in the same order).
pub fn compute(panel: &Panel, input: &EtrInput) -> EtrSeries {
    let n = panel.segments.len();
    let mut total = vec![0.0; n];
    let mut by_authority = vec![[0.0; AUTHORITY_COUNT]; n];
    let mut by_group = vec![vec![0.0; input.groups.len()]; n];
    let mut unknown_base_weight = vec![0.0; n];
    let mut group_weight = vec![0.0; input.groups.len()];
    for l in &input.lines {
        if let Some(g) = group_weight.get_mut(l.group as usize) {
            *g += l.weight;
        }
    }
    let matched_weight: f64 = input.lines.iter().map(|l| l.weight).sum();
    // Annual shares do not depend on the date: one lookup per line, not one per segment.
    let annual: Option<Vec<f64>> = match &input.shares {
        Shares::Annual(_) | Shares::None => Some(
            input
                .lines
                .iter()
                .map(|l| input.shares.get(&l.hs, panel.segments.starts[0]))
                .collect(),
        ),
        Shares::Monthly { .. } => None,
    };
    for iv in &panel.intervals {
        let Some(line) = input.lines.get(iv.line as usize) else {
            continue;
        };
        for k in iv.segments.0..=iv.segments.1 {
            let k = k as usize;
            let s = match &annual {
                Some(v) => v[iv.line as usize],
                None => input.shares.get(&line.hs, panel.segments.starts[k]),
            };
            let share = if iv.claim { s } else { 1.0 - s };
            let w = line.weight * share;
            if w == 0.0 {
                continue;
            }
            total[k] += w * iv.row.total;
            for (a, r) in &iv.row.parts {
                by_authority[k][*a as usize] += w * r;
            }
            if let Some(g) = by_group[k].get_mut(line.group as usize) {
                *g += w * (iv.row.total - iv.row.get(0));
            }
            if !iv.row.base_known {
                unknown_base_weight[k] += w;
            }
        }
    }
    let w = input.total_weight.max(f64::MIN_POSITIVE);
    for k in 0..n {
        total[k] /= w;
        for a in by_authority[k].iter_mut() {
            *a /= w;
        }
        for (g, gw) in by_group[k].iter_mut().zip(&group_weight) {
            *g = if *gw > 0.0 { *g / gw } else { 0.0 };
        }
        unknown_base_weight[k] /= w;
    }
    EtrSeries {
        segments: panel.segments.clone(),
        total,
        by_authority,
        by_group,
        groups: input.groups.clone(),
        total_weight: input.total_weight,
        matched_weight,
        unknown_base_weight,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authority::authority_index;
    use crate::panel::Interval;
    use crate::rates::RateRow;
    use quid_core::{parse_date, Country};

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    fn hs(s: &str) -> HsCode {
        HsCode::parse(s).unwrap()
    }

    fn row(parts: &[(&str, f64)], base_known: bool) -> RateRow {
        let mut r = RateRow {
            base_known,
            ..RateRow::default()
        };
        for (a, v) in parts {
            r.parts.push((authority_index(a), *v));
            r.total += v;
        }
        r
    }

    fn iv(line: u32, claim: bool, segs: (u32, u32), row: RateRow) -> Interval {
        Interval {
            line,
            claim,
            // The dates are not read by `compute` (it walks the segment indexes).
            valid_from: d("2025-01-01"),
            valid_until: d("2025-12-31"),
            segments: segs,
            row,
        }
    }

    fn close(got: f64, want: f64) {
        assert!(
            (got - want).abs() <= 1e-12 * want.abs().max(1.0),
            "got {got}, expected {want}"
        );
    }

    /// Two lines, two segments (2025-01-01..06-30, 07-01..12-31), imports of 100 of which 90 on
    /// the two lines (10 unmatched, at 0%).
    ///
    /// Line A (7208.10.15.00, weight 60, group 0, claim share 0.25):
    ///   no claim: segment 0 MFN 2% + IEEPA 25% = 27%; segment 1 MFN 2% + steel 232 50% = 52%
    ///   claim:    segment 0 nothing;                 segment 1 steel 232 50%
    /// Line B (7601.10.00.00, weight 30, group 1, no claim share: 0 for a line not in the table):
    ///   no claim: aluminum 232 10% on both segments (one interval), base rate unknown;
    ///   claim:    aluminum 232 10% (weight 30 x 0 = 0: never counted).
    ///
    /// Weights: A no claim 60 x 0.75 = 45, A claim 60 x 0.25 = 15, B no claim 30 x 1 = 30.
    /// Segment 0: MFN 45 x 0.02 = 0.9; IEEPA 45 x 0.25 = 11.25; aluminum 30 x 0.10 = 3;
    ///   total 15.15 / 100 = 0.1515; by authority 0.009, 0.1125, 0.03;
    ///   group 0: 11.25 / 60 = 0.1875, group 1: 3 / 30 = 0.1.
    /// Segment 1: MFN 0.9; steel 45 x 0.5 + 15 x 0.5 = 30; aluminum 3;
    ///   total 33.9 / 100 = 0.339; by authority 0.009, 0.30, 0.03;
    ///   group 0: 30 / 60 = 0.5, group 1: 0.1.
    /// Unknown base: B's 30 / 100 = 0.3 on both. Additional: 0.1515 - 0.009 = 0.1425, and
    /// 0.339 - 0.009 = 0.33.
    #[test]
    fn blends_claim_shares_and_weights_over_total_imports() {
        let (a, b) = (hs("7208.10.15.00"), hs("7601.10.00.00"));
        let segments = Segments::new(d("2025-01-01"), d("2025-12-31"), [d("2025-07-01")]);
        let panel = Panel {
            importer: Country::US,
            partner: Country::CA,
            lines: vec![a, b],
            segments,
            intervals: vec![
                iv(
                    0,
                    false,
                    (0, 0),
                    row(&[("mfn", 0.02), ("ieepa-ca", 0.25)], true),
                ),
                iv(
                    0,
                    false,
                    (1, 1),
                    row(&[("mfn", 0.02), ("s232-steel", 0.5)], true),
                ),
                iv(0, true, (0, 0), row(&[], true)),
                iv(0, true, (1, 1), row(&[("s232-steel", 0.5)], true)),
                iv(1, false, (0, 1), row(&[("s232-aluminum", 0.10)], false)),
                iv(1, true, (0, 1), row(&[("s232-aluminum", 0.10)], false)),
                // An interval of a line the input does not weigh is skipped.
                iv(2, false, (0, 1), row(&[("s122", 0.15)], true)),
            ],
            errors: Vec::new(),
        };
        let input = EtrInput {
            lines: vec![
                EtrLine {
                    hs: a,
                    weight: 60.0,
                    group: 0,
                },
                EtrLine {
                    hs: b,
                    weight: 30.0,
                    group: 1,
                },
            ],
            total_weight: 100.0,
            shares: Shares::Annual(HashMap::from([(a, 0.25)])),
            groups: vec!["steel".into(), "aluminum".into()],
        };
        let s = compute(&panel, &input);
        let (mfn, ieepa, steel, alu) = (
            authority_index("mfn") as usize,
            authority_index("ieepa-ca") as usize,
            authority_index("s232-steel") as usize,
            authority_index("s232-aluminum") as usize,
        );
        close(s.total[0], 0.1515);
        close(s.total[1], 0.339);
        close(s.by_authority[0][mfn], 0.009);
        close(s.by_authority[0][ieepa], 0.1125);
        close(s.by_authority[0][alu], 0.03);
        close(s.by_authority[0][steel], 0.0);
        close(s.by_authority[1][mfn], 0.009);
        close(s.by_authority[1][ieepa], 0.0);
        close(s.by_authority[1][steel], 0.30);
        close(s.by_authority[1][alu], 0.03);
        close(s.by_authority[0][authority_index("s122") as usize], 0.0);
        close(s.by_group[0][0], 0.1875);
        close(s.by_group[0][1], 0.1);
        close(s.by_group[1][0], 0.5);
        close(s.by_group[1][1], 0.1);
        close(s.unknown_base_weight[0], 0.3);
        close(s.unknown_base_weight[1], 0.3);
        let add = s.additional();
        close(add[0], 0.1425);
        close(add[1], 0.33);
        close(s.matched_weight, 90.0);
        close(s.total_weight, 100.0);
        // The days of the series: 181 in the first half of 2025, 184 in the second.
        let days = s.days();
        assert_eq!(days.len(), 365);
        assert_eq!(days[180], (d("2025-06-30"), 0));
        assert_eq!(days[181], (d("2025-07-01"), 1));
    }

    /// Monthly shares: the month's table, then the fallback for a line the month lacks and for
    /// months outside the table; cuts at each month of the table and at the month after it.
    #[test]
    fn monthly_shares_fall_back_by_line_and_by_month() {
        let (a, b, c) = (
            hs("7208.10.15.00"),
            hs("7601.10.00.00"),
            hs("0101.21.00.10"),
        );
        let shares = Shares::Monthly {
            months: BTreeMap::from([
                ((2025, 3), HashMap::from([(a, 0.5)])),
                ((2025, 12), HashMap::from([(a, 0.7)])),
            ]),
            fallback: HashMap::from([(a, 0.1), (b, 0.2)]),
        };
        assert_eq!(shares.get(&a, d("2025-03-15")), 0.5);
        assert_eq!(shares.get(&b, d("2025-03-15")), 0.2);
        assert_eq!(shares.get(&a, d("2025-04-01")), 0.1);
        assert_eq!(shares.get(&a, d("2025-12-31")), 0.7);
        assert_eq!(shares.get(&c, d("2025-03-15")), 0.0);
        assert_eq!(
            shares.month_starts(),
            vec![d("2025-03-01"), d("2025-12-01"), d("2026-01-01")]
        );
        assert_eq!(Shares::None.get(&a, d("2025-03-15")), 0.0);
        assert!(Shares::Annual(HashMap::new()).month_starts().is_empty());
    }
}
