//! Charts as specifications: what a chart shows (title, step series over time, dated markers,
//! the x-range, the unit of the y axis, small-multiple panels), not how it is drawn. The command
//! line renders a specification to SVG and PNG (`quid_app::svg`, `quid_app::png`); the
//! dashboard can draw the same specification in the browser.
//!
//! ```
//! use quid_econ::chart::{Chart, Marker, Series, YUnit};
//! use quid_core::parse_date;
//! let d = |s| parse_date(s).unwrap();
//! let s = Series::new("ETR", "#1f77b4", vec![(d("2025-01-01"), 0.01), (d("2025-03-04"), 0.12)]);
//! let chart = Chart {
//!     title: "Title".into(),
//!     subtitle: "subtitle".into(),
//!     series: vec![s],
//!     markers: vec![Marker { date: d("2025-03-04"), label: "IEEPA duty on Canada: 25%".into() }],
//!     dots: vec![],
//!     start: d("2025-01-01"),
//!     end: d("2025-06-30"),
//!     unit: YUnit::Percent,
//!     y_label: "% of import value".into(),
//!     notes: vec![],
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
    /// The small-multiple panel the series is drawn in (series with the same panel share
    /// it; a chart whose series have no panel draws them all in one plot).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub panel: Option<String>,
}

impl Series {
    /// A solid series drawn in the main plot.
    pub fn new(label: impl Into<String>, color: &'static str, points: Vec<(Date, f64)>) -> Self {
        Series {
            label: label.into(),
            color,
            points,
            dashed: false,
            panel: None,
        }
    }

    /// The same series drawn dashed.
    pub fn dashed(mut self) -> Self {
        self.dashed = true;
        self
    }

    /// The same series drawn in panel `name`.
    pub fn in_panel(mut self, name: impl Into<String>) -> Self {
        self.panel = Some(name.into());
        self
    }
}

/// A dated event marked on the chart (a numbered line on the plot; the number, the date and
/// `label`, a reader's title, in the legend under it).
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

/// More colours, for charts with more series than [`PALETTE`] (Tableau 20 order).
pub const PALETTE_20: [&str; 20] = [
    "#1f77b4", "#aec7e8", "#ff7f0e", "#ffbb78", "#2ca02c", "#98df8a", "#d62728", "#ff9896",
    "#9467bd", "#c5b0d5", "#8c564b", "#c49c94", "#e377c2", "#f7b6d2", "#7f7f7f", "#c7c7c7",
    "#bcbd22", "#dbdb8d", "#17becf", "#9edae5",
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

/// One chart: step series over `start..=end`, with markers.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub title: String,
    pub subtitle: String,
    pub series: Vec<Series>,
    pub markers: Vec<Marker>,
    /// Published figures drawn as points (none on most charts).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dots: Vec<Dot>,
    /// The first day drawn: charts meant to be compared take the same range.
    pub start: Date,
    /// The last day drawn.
    pub end: Date,
    pub unit: YUnit,
    /// What the y axis measures, with its unit (e.g. "US$ bn per year").
    pub y_label: String,
    /// Notes printed under the chart.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Chart {
    /// The same chart over `start..=end` (for charts meant to be compared).
    pub fn with_range(mut self, start: Date, end: Date) -> Self {
        self.start = start;
        self.end = end;
        self
    }

    /// The panels of a small-multiple chart, in the order of their first series (empty when
    /// the series share one plot).
    pub fn panels(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for p in self.series.iter().filter_map(|s| s.panel.as_deref()) {
            if !out.contains(&p) {
                out.push(p);
            }
        }
        out
    }

    /// The value series `i` holds on day `d` (the last point on or before `d`), if any.
    pub fn value_on(&self, i: usize, d: Date) -> Option<f64> {
        let s = self.series.get(i)?;
        if d > self.end {
            return None;
        }
        s.points.iter().take_while(|p| p.0 <= d).last().map(|p| p.1)
    }
}
