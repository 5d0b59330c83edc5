//! Charts as specifications: what a chart shows (title, step series over time, dated markers,
//! the unit of the y axis), not how it is drawn. The command line renders a specification to
//! SVG (`quid_app::svg`); the dashboard can draw the same specification in the browser.
//!
//! ```
//! use quid_econ::chart::{Chart, Marker, Series, YUnit};
//! use quid_core::parse_date;
//! let d = |s| parse_date(s).unwrap();
//! let s = Series { label: "ETR".into(), color: "#1f77b4", points: vec![(d("2025-01-01"), 0.01), (d("2025-03-04"), 0.12)], dashed: false };
//! let chart = Chart {
//!     title: "Title".into(),
//!     subtitle: "subtitle".into(),
//!     series: vec![s],
//!     markers: vec![Marker { date: d("2025-03-04"), label: "IEEPA 25%".into() }],
//!     dots: vec![],
//!     end: d("2025-06-30"),
//!     unit: YUnit::Percent,
//! };
//! // The series holds its last value from 2025-03-04 to the end of the chart.
//! assert_eq!(chart.value_on(0, d("2025-05-01")), Some(0.12));
//! assert_eq!(chart.value_on(0, d("2024-12-31")), None);
//! ```

use quid_core::Date;
use serde::Serialize;

/// A step series: each point holds until the next.
#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub label: String,
    pub color: &'static str,
    /// (date, value: a fraction for percent charts (0.12 = 12%), an amount otherwise).
    pub points: Vec<(Date, f64)>,
    /// Drawn dashed (to tell two families of lines apart).
    pub dashed: bool,
}

/// A dated event marked on the chart.
#[derive(Debug, Clone, Serialize)]
pub struct Marker {
    pub date: Date,
    pub label: String,
}

/// A published figure drawn as a point: a value that holds over a period (drawn as a bar
/// from `from` to `until` with a dot at its middle), such as a collection per month.
#[derive(Debug, Clone, Serialize)]
pub struct Dot {
    pub from: Date,
    pub until: Date,
    pub value: f64,
    pub label: String,
    pub color: &'static str,
}

/// Colours for series, in order.
pub const PALETTE: [&str; 8] = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
];

/// How the y axis is labelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum YUnit {
    /// Values are fractions, labelled as percent.
    Percent,
    /// Values are amounts, labelled with a suffix (e.g. " bn").
    Amount(&'static str),
}

/// One chart: step series from their first date to `end`, with markers.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub title: String,
    pub subtitle: String,
    pub series: Vec<Series>,
    pub markers: Vec<Marker>,
    /// Published figures drawn as points (none on most charts).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dots: Vec<Dot>,
    /// The last day drawn.
    pub end: Date,
    pub unit: YUnit,
}

impl Chart {
    /// The value series `i` holds on day `d` (the last point on or before `d`), if any.
    pub fn value_on(&self, i: usize, d: Date) -> Option<f64> {
        let s = self.series.get(i)?;
        if d > self.end {
            return None;
        }
        s.points.iter().take_while(|p| p.0 <= d).last().map(|p| p.1)
    }
}
