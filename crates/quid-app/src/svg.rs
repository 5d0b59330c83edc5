//! Rendering a chart specification ([`quid_econ::chart::Chart`]) to SVG text, with no drawing
//! dependency: step lines over the chart's x-range (rates change on policy dates), one plot or
//! a grid of small multiples (one panel per [`quid_econ::chart::Series::panel`], sharing one
//! y scale), the policy dates as numbered lines with a legend of dates and titles under the
//! plot, axes with their units. Layout is computed from the bundled font's advance widths
//! ([`crate::fonts`]): titles, subtitles, legends and notes are wrapped to the width, the
//! numbered tags are placed in rows so that none overlaps another, and the canvas grows to
//! hold what is written, so no text overlaps or leaves the canvas (where DejaVu Sans is missing,
//! a browser falls back to Arial or Helvetica, narrower fonts, so text still fits) (`tests/chart_layout.rs`
//! checks this on the rendered text of every chart the README draws). Each series is a path
//! with the id `series-<n>`. The command line writes these files (and a PNG beside them,
//! [`crate::png`]); the server can serve them.
//!
//! ```
//! use quid_econ::chart::{Chart, Marker, Series, YUnit};
//! use quid_core::parse_date;
//! let d = |s| parse_date(s).unwrap();
//! let s = Series::new("ETR", "#1f77b4", vec![(d("2025-01-01"), 0.01), (d("2025-03-04"), 0.12)]);
//! let chart = Chart { title: "Title".into(), subtitle: "subtitle".into(), series: vec![s],
//!     markers: vec![Marker { date: d("2025-03-04"), label: "IEEPA duty on Canada: 25%".into() }],
//!     dots: vec![], start: d("2025-01-01"), end: d("2025-06-30"), unit: YUnit::Percent,
//!     y_label: "% of import value".into(), notes: vec![] };
//! let text = quid_app::svg::render(&chart);
//! assert!(text.starts_with("<svg") && text.contains("IEEPA duty on Canada: 25%"));
//! assert_eq!(text.matches(r#"id="series-"#).count(), 1);
//! // The dates the x axis spans, for charts meant to be compared.
//! assert!(text.contains(r#"data-x-range="2025-01-01..2025-06-30""#));
//! ```

use crate::fonts::{elide, text_width, wrap, ASCENT, DESCENT};
use quid_core::Date;
use quid_econ::chart::{Chart, Series, YUnit};
use std::fmt::Write;

/// The width of every chart, px.
pub const WIDTH: f64 = 1200.0;
/// Outer margin, px.
const M: f64 = 24.0;
/// Height of the single plot, px.
const PLOT_H: f64 = 480.0;
/// Height of one small-multiple plot, px.
const PANEL_H: f64 = 140.0;
/// Gap between small-multiple columns, px.
const GAP: f64 = 28.0;
/// Height of a row of numbered tags, px.
const TAG_ROW: f64 = 19.0;
/// Radius of a numbered tag.
const TAG_R: f64 = 8.5;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn day_number(d: Date) -> f64 {
    let epoch = Date::constant(2000, 1, 1);
    epoch
        .until(d)
        .map(|s| f64::from(s.get_days()))
        .unwrap_or(0.0)
}

fn nice_step(range: f64, ticks: f64) -> f64 {
    let raw = (range / ticks).max(1e-9);
    let mag = 10f64.powf(raw.log10().floor());
    let n = raw / mag;
    mag * if n <= 1.0 {
        1.0
    } else if n <= 2.0 {
        2.0
    } else if n <= 5.0 {
        5.0
    } else {
        10.0
    }
}

/// The SVG being written: text goes through [`Doc::text`], which knows the text's box.
struct Doc {
    o: String,
}

#[derive(Clone, Copy)]
enum Anchor {
    Start,
    Middle,
    End,
}

impl Doc {
    /// One line of text with its baseline at `y`.
    #[allow(clippy::too_many_arguments)]
    fn text(&mut self, x: f64, y: f64, size: f64, bold: bool, fill: &str, anchor: Anchor, s: &str) {
        let anchor = match anchor {
            Anchor::Start => "",
            Anchor::Middle => r#" text-anchor="middle""#,
            Anchor::End => r#" text-anchor="end""#,
        };
        let weight = if bold { r#" font-weight="bold""# } else { "" };
        let _ = write!(
            self.o,
            r#"<text x="{x:.1}" y="{y:.1}" font-size="{size}"{weight} fill="{fill}"{anchor}>{}</text>"#,
            esc(s)
        );
    }

    fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str, extra: &str) {
        let _ = write!(
            self.o,
            r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="{stroke}"{extra}/>"#
        );
    }

    /// Wrapped text in `width`, first baseline at `y + size * ASCENT`; returns the height used.
    #[allow(clippy::too_many_arguments)]
    fn para(
        &mut self,
        x: f64,
        y: f64,
        width: f64,
        size: f64,
        bold: bool,
        fill: &str,
        s: &str,
    ) -> f64 {
        let lh = line_height(size);
        let lines = wrap(s, size, bold, width);
        for (i, l) in lines.iter().enumerate() {
            self.text(
                x,
                y + i as f64 * lh + size * ASCENT,
                size,
                bold,
                fill,
                Anchor::Start,
                l,
            );
        }
        lines.len() as f64 * lh
    }
}

fn line_height(size: f64) -> f64 {
    (size * (ASCENT + DESCENT) * 1.15).ceil()
}

/// A horizontal scale from dates to px.
#[derive(Clone, Copy)]
struct XScale {
    d0: f64,
    d1: f64,
    left: f64,
    right: f64,
}

impl XScale {
    fn x(&self, d: Date) -> f64 {
        self.left + (day_number(d) - self.d0) / (self.d1 - self.d0) * (self.right - self.left)
    }
}

/// A vertical scale.
#[derive(Clone)]
struct YScale {
    min: f64,
    max: f64,
    step: f64,
    unit: YUnit,
}

impl YScale {
    fn new(lo: f64, hi: f64, unit: YUnit, ticks: f64) -> YScale {
        let lo = lo.min(0.0);
        // A flat series still gets an axis: 0 to 0.01% or 0 to 0.01 of the amount.
        let hi = hi.max(lo + if unit == YUnit::Percent { 1e-4 } else { 0.01 });
        let step = nice_step(hi - lo, ticks);
        let min = (lo / step).floor() * step;
        // The plot ends a little above the highest value, or at the tick just above it,
        // whichever is lower: no band of empty space over the lines.
        let max = ((hi / step).ceil() * step).min(hi + (hi - min) * 0.05);
        YScale {
            min,
            max,
            step,
            unit,
        }
    }

    fn y(&self, v: f64, top: f64, h: f64) -> f64 {
        top + h - (v - self.min) / (self.max - self.min) * h
    }

    fn ticks(&self) -> Vec<f64> {
        let n = ((self.max - self.min) / self.step + 1e-9).floor() as i64;
        (0..=n).map(|i| self.min + i as f64 * self.step).collect()
    }

    fn label(&self, v: f64) -> String {
        let v = if v.abs() < 1e-12 { 0.0 } else { v };
        // As many decimals as the step needs (a step of 0.5 needs one, 0.02 two).
        let decimals = |step: f64| -> usize {
            let d = (-(step.log10()) + 0.999).floor();
            if d.is_finite() && d > 0.0 {
                (d as usize).min(4)
            } else {
                0
            }
        };
        match self.unit {
            YUnit::Percent => format!("{:.*}%", decimals(self.step * 100.0), v * 100.0),
            YUnit::Amount(suffix) => format!("{v:.*}{suffix}", decimals(self.step)),
        }
    }

    fn label_width(&self) -> f64 {
        self.ticks()
            .iter()
            .map(|v| text_width(&self.label(*v), 12.0, false))
            .fold(0.0, f64::max)
    }
}

/// Month ticks for a date axis `width` px wide: every 1, 2, 3, 6 or 12 months, the first
/// step whose labels ("Jan 2025") fit with a gap.
fn month_ticks(start: Date, end: Date, width: f64) -> Vec<(Date, String)> {
    let days = (day_number(end) - day_number(start)).max(1.0);
    let label_w = text_width("May 2025", 12.0, false) + 14.0;
    let step = [1i8, 2, 3, 6, 12]
        .into_iter()
        .find(|m| width * f64::from(*m) * 30.44 / days >= label_w)
        .unwrap_or(24);
    let mut out = Vec::new();
    let mut d = Date::new(start.year(), start.month(), 1).unwrap_or(start);
    while d <= end {
        let m = d.month();
        if d >= start && (m - 1) % step.min(12) == 0 && (step < 24 || d.year() % 2 == 0) {
            out.push((d, format!("{} {}", MONTHS[(m - 1) as usize], d.year())));
        }
        d = match d.checked_add(jiff::Span::new().months(1)) {
            Ok(n) => n,
            Err(_) => break,
        };
    }
    out
}

/// The markers within the range, one per date (the titles of a date joined), numbered.
fn numbered_markers(c: &Chart) -> Vec<(Date, String)> {
    let mut out: Vec<(Date, String)> = Vec::new();
    let mut ms: Vec<_> = c
        .markers
        .iter()
        .filter(|m| m.date >= c.start && m.date <= c.end)
        .collect();
    ms.sort_by_key(|m| m.date);
    for m in ms {
        match out.last_mut() {
            Some((d, l)) if *d == m.date => {
                if !l.split("; ").any(|p| p == m.label) {
                    l.push_str("; ");
                    l.push_str(&m.label);
                }
            }
            _ => out.push((m.date, m.label.clone())),
        }
    }
    out
}

/// Rows for numbered tags at `xs` (sorted): each tag goes in the first row where it fits at
/// its date or pushed right by at most 0.6 of a tag width (a leader line joins it to its date);
/// returns (row, centre x) per tag, the centre kept inside `lo..hi`.
fn place_tags(xs: &[f64], labels: &[String], lo: f64, hi: f64) -> Vec<(usize, f64)> {
    let mut rows: Vec<f64> = Vec::new();
    let mut out = Vec::new();
    for (x, l) in xs.iter().zip(labels) {
        let w = tag_width(l);
        let at = x.clamp(lo + w / 2.0, hi - w / 2.0);
        let max_shift = 0.6 * 2.0 * TAG_R;
        let fit = rows.iter().enumerate().find_map(|(r, right)| {
            let cx = at.max(right + 3.0 + w / 2.0);
            (cx - at <= max_shift && cx + w / 2.0 <= hi).then_some((r, cx))
        });
        let (row, cx) = match fit {
            Some(f) => f,
            None => {
                rows.push(f64::MIN);
                (rows.len() - 1, at)
            }
        };
        rows[row] = cx + w / 2.0;
        out.push((row, cx));
    }
    out
}

fn tag_width(l: &str) -> f64 {
    (text_width(l, 10.5, true) + 7.0).max(2.0 * TAG_R)
}

fn tag_rows(placed: &[(usize, f64)]) -> usize {
    placed.iter().map(|p| p.0 + 1).max().unwrap_or(0)
}

fn draw_tag(doc: &mut Doc, cx: f64, cy: f64, n: &str) {
    let w = tag_width(n);
    let _ = write!(
        doc.o,
        r##"<rect x="{:.1}" y="{:.1}" width="{w:.1}" height="{:.1}" rx="{TAG_R}" fill="#444"/>"##,
        cx - w / 2.0,
        cy - TAG_R,
        2.0 * TAG_R
    );
    doc.text(cx, cy + 3.8, 10.5, true, "white", Anchor::Middle, n);
}

/// The clipped steps of a series: (from, to, value) within the range.
fn steps(s: &Series, start: Date, end: Date) -> Vec<(Date, Date, f64)> {
    let mut out = Vec::new();
    for (j, (d, v)) in s.points.iter().enumerate() {
        let next = s.points.get(j + 1).map_or(end, |p| p.0.min(end));
        let from = (*d).max(start);
        if next < start || *d > end || from > next {
            continue;
        }
        out.push((from, next, *v));
    }
    out
}

/// Pairs (i, j), i < j, of series in the same panel whose values never differ by more than
/// `share` of the panel's range: they would hide each other.
fn coinciding(c: &Chart, share: f64) -> Vec<(usize, usize, f64)> {
    let mut out = Vec::new();
    for i in 0..c.series.len() {
        for j in i + 1..c.series.len() {
            let (a, b) = (&c.series[i], &c.series[j]);
            if a.panel != b.panel || a.points.is_empty() || b.points.is_empty() {
                continue;
            }
            let (lo, hi) = c
                .series
                .iter()
                .filter(|s| s.panel == a.panel)
                .flat_map(|s| steps(s, c.start, c.end).into_iter().map(|p| p.2))
                .fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
            let tol = (hi - lo) * share;
            let mut days: Vec<Date> = a.points.iter().chain(&b.points).map(|p| p.0).collect();
            days.retain(|d| *d >= c.start && *d <= c.end);
            days.push(c.start);
            let at =
                |s: &Series, d: Date| s.points.iter().take_while(|p| p.0 <= d).last().map(|p| p.1);
            let mut max_gap: f64 = 0.0;
            let mut both = false;
            for d in days {
                if let (Some(x), Some(y)) = (at(a, d), at(b, d)) {
                    max_gap = max_gap.max((x - y).abs());
                    both = true;
                }
            }
            if both && max_gap <= tol {
                out.push((i, j, max_gap));
            }
        }
    }
    out
}

/// What a series looks like on the plot.
struct Style {
    width: f64,
    dash: Option<&'static str>,
    opacity: f64,
}

#[allow(clippy::too_many_arguments)]
fn draw_series(
    doc: &mut Doc,
    id: usize,
    s: &Series,
    style: &Style,
    xs: XScale,
    ys: &YScale,
    top: f64,
    h: f64,
    range: (Date, Date),
) {
    let mut path = String::new();
    for (k, (a, b, v)) in steps(s, range.0, range.1).into_iter().enumerate() {
        let (xa, xb, yy) = (xs.x(a), xs.x(b), ys.y(v, top, h));
        let _ = write!(
            path,
            "{}{xa:.1},{yy:.1} L{xb:.1},{yy:.1}",
            if k == 0 { "M" } else { " L" }
        );
    }
    if path.is_empty() {
        // A series with nothing in the range is still one (empty) path, so that every series
        // of the table is accounted for on the chart.
        path.push_str("M0,0");
    }
    let dash = style
        .dash
        .map_or(String::new(), |d| format!(r#" stroke-dasharray="{d}""#));
    let _ = write!(
        doc.o,
        r#"<path id="series-{id}" d="{path}" fill="none" stroke="{}" stroke-width="{}" stroke-opacity="{}" stroke-linejoin="round"{dash}/>"#,
        s.color, style.width, style.opacity
    );
}

fn legend_swatch(doc: &mut Doc, x: f64, y: f64, color: &str, style: &Style) {
    let dash = style
        .dash
        .map_or(String::new(), |d| format!(r#" stroke-dasharray="{d}""#));
    doc.line(
        x,
        y,
        x + 26.0,
        y,
        color,
        &format!(
            r#" stroke-width="{}" stroke-opacity="{}"{dash}"#,
            style.width.max(2.5),
            style.opacity
        ),
    );
}

/// Draws a chart as an SVG document.
pub fn render(c: &Chart) -> String {
    let mut doc = Doc { o: String::new() };
    let inner = WIDTH - 2.0 * M;
    let mut y = 18.0;
    y += doc.para(M, y, inner, 21.0, true, "#111", &c.title);
    y += 4.0;
    y += doc.para(M, y, inner, 13.5, false, "#444", &c.subtitle);
    y += 10.0;
    let panels = c.panels();
    let start = c.start;
    let end = if c.end > c.start {
        c.end
    } else {
        c.start
            .checked_add(jiff::Span::new().days(1))
            .unwrap_or(c.start)
    };

    // Y scale over every value in the range.
    let values: Vec<f64> = c
        .series
        .iter()
        .flat_map(|s| steps(s, start, end).into_iter().map(|p| p.2))
        .chain(c.dots.iter().map(|d| d.value))
        .collect();
    let lo = values.iter().copied().fold(0.0, f64::min);
    let hi = values.iter().copied().fold(0.0, f64::max);
    let ys = YScale::new(lo, hi, c.unit, if panels.is_empty() { 6.0 } else { 3.0 });

    // Series styles; coinciding pairs: the first drawn wide and pale, the second dashed on it.
    let coincide = coinciding(c, 0.012);
    let mut styles: Vec<Style> = c
        .series
        .iter()
        .map(|s| Style {
            width: 2.2,
            dash: s.dashed.then_some("7 4"),
            opacity: 1.0,
        })
        .collect();
    let mut notes: Vec<String> = Vec::new();
    for (i, j, gap) in &coincide {
        styles[*i].width = 6.0;
        styles[*i].opacity = 0.35;
        styles[*j].dash = Some(if c.series[*j].dashed { "2 3" } else { "6 4" });
        styles[*j].width = 1.8;
        let gap = match c.unit {
            YUnit::Percent if *gap * 100.0 < 0.005 => "are equal to 0.01 percentage points".into(),
            YUnit::Percent => format!(
                "never differ by more than {:.2} percentage points",
                gap * 100.0
            ),
            YUnit::Amount(s) if *gap < 0.005 => format!("are equal to 0.01{s}"),
            YUnit::Amount(s) => format!("never differ by more than {gap:.2}{s}"),
        };
        notes.push(format!(
            "\u{201c}{}\u{201d} and \u{201c}{}\u{201d} {gap}: the second is drawn as a thin dashed line over the first, wide and pale.",
            c.series[*i].label, c.series[*j].label
        ));
    }

    // Legend of series: each distinct label once, flowed in rows.
    let mut seen: Vec<&str> = Vec::new();
    let mut lx = M;
    let legend_size = 12.5;
    let lh = line_height(legend_size) + 4.0;
    for (i, s) in c.series.iter().enumerate() {
        if seen.contains(&s.label.as_str()) {
            continue;
        }
        seen.push(&s.label);
        let label = elide(&s.label, legend_size, false, inner - 34.0);
        let w = 34.0 + text_width(&label, legend_size, false) + 22.0;
        if lx + w - 22.0 > M + inner && lx > M {
            lx = M;
            y += lh;
        }
        legend_swatch(&mut doc, lx, y + legend_size * 0.6, s.color, &styles[i]);
        doc.text(
            lx + 34.0,
            y + legend_size * ASCENT,
            legend_size,
            false,
            "#222",
            Anchor::Start,
            &label,
        );
        lx += w;
    }
    if !c.series.is_empty() {
        y += lh + 6.0;
    }

    // The y axis: what it measures, above the plot.
    y += doc.para(M, y, inner, 12.5, true, "#333", &c.y_label);
    y += 4.0;

    let markers = numbered_markers(c);
    let numbers: Vec<String> = (1..=markers.len()).map(|n| n.to_string()).collect();
    let label_w = ys.label_width();

    if panels.is_empty() {
        let xs = XScale {
            d0: day_number(start),
            d1: day_number(end),
            left: M + label_w + 10.0,
            right: WIDTH - M - 6.0,
        };
        let xm: Vec<f64> = markers.iter().map(|m| xs.x(m.0)).collect();
        let placed = place_tags(&xm, &numbers, xs.left, xs.right);
        let rows = tag_rows(&placed);
        let top = y + rows as f64 * TAG_ROW + 4.0;
        draw_plot(&mut doc, c, &ys, xs, top, PLOT_H, &styles, None);
        draw_marker_lines(&mut doc, &xm, &placed, &numbers, top, PLOT_H);
        y = top + PLOT_H;
        y += draw_x_ticks(&mut doc, xs, start, end, y);
    } else {
        let n = panels.len();
        let cols = if n <= 2 {
            n
        } else if n == 4 {
            2
        } else if n <= 15 {
            3
        } else {
            4
        };
        let pw = (inner - (cols - 1) as f64 * GAP) / cols as f64;
        let label_w = panels
            .iter()
            .map(|p| panel_scale(c, p, start, end).label_width())
            .fold(0.0, f64::max);
        let mut tag_rows_n = 0;
        let mut col_tags = Vec::new();
        for k in 0..cols {
            let x0 = M + k as f64 * (pw + GAP);
            let xs = XScale {
                d0: day_number(start),
                d1: day_number(end),
                left: x0 + label_w + 8.0,
                right: x0 + pw - 4.0,
            };
            let xm: Vec<f64> = markers.iter().map(|m| xs.x(m.0)).collect();
            let placed = place_tags(&xm, &numbers, xs.left, xs.right);
            tag_rows_n = tag_rows_n.max(tag_rows(&placed));
            col_tags.push((xs, xm, placed));
        }
        let tags_h = tag_rows_n as f64 * TAG_ROW + 2.0;
        let title_size = 12.5;
        // Each panel's title with its peak, on at most two lines of the panel's width.
        let heads: Vec<Vec<String>> = panels
            .iter()
            .map(|name| {
                let peak = c
                    .series
                    .iter()
                    .filter(|s| s.panel.as_deref() == Some(*name))
                    .flat_map(|s| steps(s, start, end).into_iter().map(|p| p.2))
                    .fold(f64::NAN, f64::max);
                let head = if peak.is_nan() {
                    name.to_string()
                } else {
                    format!("{name} (peak {})", ys.label_exact(peak))
                };
                let mut lines = wrap(&head, title_size, true, pw);
                if lines.len() > 2 {
                    let rest = lines[1..].join(" ");
                    lines.truncate(1);
                    lines.push(elide(&rest, title_size, true, pw));
                }
                lines
            })
            .collect();
        let title_lines = heads.iter().map(Vec::len).max().unwrap_or(1) as f64;
        let title_h = title_lines * line_height(title_size) + 4.0;
        for (p, name) in panels.iter().enumerate() {
            let (row, col) = (p / cols, p % cols);
            let (xs, xm, placed) = &col_tags[col];
            let ptop = y;
            let x0 = M + col as f64 * (pw + GAP);
            for (i, l) in heads[p].iter().enumerate() {
                doc.text(
                    x0,
                    ptop + i as f64 * line_height(title_size) + title_size * ASCENT,
                    title_size,
                    true,
                    "#222",
                    Anchor::Start,
                    l,
                );
            }
            // The first row has the numbered tags between its titles and its plots.
            let top = ptop + title_h + if row == 0 { tags_h } else { 0.0 };
            let ys = panel_scale(c, name, start, end);
            draw_plot(&mut doc, c, &ys, *xs, top, PANEL_H, &styles, Some(name));
            if row == 0 {
                // Tags above the first row of each column, their lines through its plot.
                draw_marker_lines(&mut doc, xm, placed, &numbers, top, PANEL_H);
            } else {
                for x in xm {
                    doc.line(
                        *x,
                        top,
                        *x,
                        top + PANEL_H,
                        "#9a9a9a",
                        r#" stroke-dasharray="3 3""#,
                    );
                }
            }
            let bottom = top + PANEL_H + draw_x_ticks(&mut doc, *xs, start, end, top + PANEL_H);
            if col == cols - 1 || p == n - 1 {
                // The row ends: the next row starts under the lowest panel.
                y = bottom + 12.0;
            }
        }
        y -= 12.0;
    }
    y += 10.0;

    // The numbered policy dates: number, date and title, in two columns when many.
    if !markers.is_empty() {
        y += doc.para(M, y, inner, 12.5, true, "#333", "Policy dates");
        y += 4.0;
        let entries: Vec<(String, String)> = markers
            .iter()
            .zip(&numbers)
            .map(|((d, l), n)| (n.clone(), format!("{d}  {l}")))
            .collect();
        y += legend_table(&mut doc, y, inner, &entries);
    }
    if !c.dots.is_empty() {
        y += 6.0;
        y += doc.para(
            M,
            y,
            inner,
            12.5,
            true,
            "#333",
            "Published figures (points)",
        );
        y += 4.0;
        let size = 12.0;
        let lh = line_height(size);
        for d in &c.dots {
            let _ = write!(
                doc.o,
                r#"<circle cx="{:.1}" cy="{:.1}" r="4.5" fill="{}"/>"#,
                M + 6.0,
                y + size * 0.6,
                d.color
            );
            let label = format!("{} to {}: {}", d.from, d.until, d.label);
            let h = doc.para(M + 18.0, y, inner - 18.0, size, false, "#222", &label);
            y += h.max(lh) + 2.0;
        }
    }
    if !panels.is_empty() {
        notes.insert(
            0,
            "Each panel has its own vertical scale (its peak is in its title).".into(),
        );
    }
    let all_notes: Vec<&String> = notes.iter().chain(&c.notes).collect();
    if !all_notes.is_empty() {
        y += 8.0;
        for n in all_notes {
            y += doc.para(M, y, inner, 11.5, false, "#555", n);
            y += 2.0;
        }
    }
    let h = (y + 16.0).ceil();
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{h}" viewBox="0 0 {WIDTH} {h}" font-family="DejaVu Sans, Bitstream Vera Sans, Arial, Helvetica, sans-serif" data-x-range="{start}..{end}"><rect width="100%" height="100%" fill="white"/>{}</svg>
"#,
        doc.o
    )
}

/// The y scale of one small-multiple panel, over its own series.
fn panel_scale(c: &Chart, panel: &str, start: Date, end: Date) -> YScale {
    let values: Vec<f64> = c
        .series
        .iter()
        .filter(|s| s.panel.as_deref() == Some(panel))
        .flat_map(|s| steps(s, start, end).into_iter().map(|p| p.2))
        .collect();
    YScale::new(
        values.iter().copied().fold(0.0, f64::min),
        values.iter().copied().fold(0.0, f64::max),
        c.unit,
        3.0,
    )
}

/// A two-column (one when short) table of numbered entries; returns its height.
fn legend_table(doc: &mut Doc, y: f64, inner: f64, entries: &[(String, String)]) -> f64 {
    let size = 12.0;
    let lh = line_height(size);
    let cols = if entries.len() > 5 { 2 } else { 1 };
    let cw = (inner - (cols - 1) as f64 * GAP) / cols as f64;
    let num_w = entries.iter().map(|e| tag_width(&e.0)).fold(0.0, f64::max) + 8.0;
    let heights: Vec<f64> = entries
        .iter()
        .map(|(_, t)| wrap(t, size, false, cw - num_w).len() as f64 * lh + 4.0)
        .collect();
    // Split where the first column's height reaches half of the total.
    let total: f64 = heights.iter().sum();
    let mut split = entries.len();
    if cols == 2 {
        let mut acc = 0.0;
        for (i, h) in heights.iter().enumerate() {
            if acc + h / 2.0 > total / 2.0 {
                split = i;
                break;
            }
            acc += h;
        }
    }
    let mut col_h: [f64; 2] = [0.0, 0.0];
    for (i, (n, t)) in entries.iter().enumerate() {
        let col = usize::from(i >= split);
        let x = M + col as f64 * (cw + GAP);
        let yy = y + col_h[col];
        draw_tag(doc, x + tag_width(n) / 2.0, yy + size * 0.6, n);
        doc.para(x + num_w, yy, cw - num_w, size, false, "#222", t);
        col_h[col] += heights[i];
    }
    col_h[0].max(col_h[1])
}

/// Marker lines from each numbered tag down through the plot, and the tags.
fn draw_marker_lines(
    doc: &mut Doc,
    xm: &[f64],
    placed: &[(usize, f64)],
    numbers: &[String],
    top: f64,
    h: f64,
) {
    // Lines first, then the tags over them.
    for (x, (row, cx)) in xm.iter().zip(placed) {
        let cy = top - 4.0 - TAG_R - *row as f64 * TAG_ROW;
        doc.line(
            *x,
            top + h,
            *x,
            top,
            "#9a9a9a",
            r#" stroke-dasharray="3 3""#,
        );
        doc.line(*x, top, *cx, cy + TAG_R, "#9a9a9a", "");
    }
    for ((row, cx), n) in placed.iter().zip(numbers) {
        let cy = top - 4.0 - TAG_R - *row as f64 * TAG_ROW;
        draw_tag(doc, *cx, cy, n);
    }
}

/// Grid, y labels, axis and the series of one plot (of `panel`, or every series).
#[allow(clippy::too_many_arguments)]
fn draw_plot(
    doc: &mut Doc,
    c: &Chart,
    ys: &YScale,
    xs: XScale,
    top: f64,
    h: f64,
    styles: &[Style],
    panel: Option<&str>,
) {
    for v in ys.ticks() {
        let yy = ys.y(v, top, h);
        doc.line(
            xs.left,
            yy,
            xs.right,
            yy,
            if v.abs() < 1e-12 { "#555" } else { "#e3e3e3" },
            "",
        );
        doc.text(
            xs.left - 6.0,
            yy + 4.2,
            12.0,
            false,
            "#333",
            Anchor::End,
            &ys.label(v),
        );
    }
    for (i, s) in c.series.iter().enumerate() {
        if s.panel.as_deref() != panel {
            continue;
        }
        draw_series(doc, i, s, &styles[i], xs, ys, top, h, (c.start, c.end));
    }
    if panel.is_none() {
        for d in &c.dots {
            let (xa, xb) = (xs.x(d.from.max(c.start)), xs.x(d.until.min(c.end)));
            let yy = ys.y(d.value, top, h);
            let _ = write!(
                doc.o,
                r#"<line x1="{xa:.1}" y1="{yy:.1}" x2="{xb:.1}" y2="{yy:.1}" stroke="{}" stroke-width="2"/><circle cx="{:.1}" cy="{yy:.1}" r="4.5" fill="{}"><title>{}</title></circle>"#,
                d.color,
                (xa + xb) / 2.0,
                d.color,
                esc(&d.label)
            );
        }
    }
}

/// Month ticks and labels under a plot whose bottom is `y`; returns the height used.
fn draw_x_ticks(doc: &mut Doc, xs: XScale, start: Date, end: Date, y: f64) -> f64 {
    doc.line(xs.left, y, xs.right, y, "#555", "");
    let ticks = month_ticks(start, end, xs.right - xs.left);
    let mut last_right = f64::MIN;
    for (d, label) in ticks {
        let x = xs.x(d);
        doc.line(x, y, x, y + 5.0, "#777", "");
        let w = text_width(&label, 12.0, false);
        // Keep labels inside the plot's span and clear of the previous one.
        let cx = x.clamp(xs.left - 20.0 + w / 2.0, xs.right + 20.0 - w / 2.0);
        if cx - w / 2.0 < last_right + 6.0 {
            continue;
        }
        last_right = cx + w / 2.0;
        doc.text(cx, y + 19.0, 12.0, false, "#333", Anchor::Middle, &label);
    }
    26.0
}

impl YScale {
    /// A value with the precision its size needs (for panel peaks).
    fn label_exact(&self, v: f64) -> String {
        match self.unit {
            YUnit::Percent => {
                let p = v * 100.0;
                if p.abs() >= 10.0 {
                    format!("{p:.1}%")
                } else if p.abs() >= 0.005 || p == 0.0 {
                    format!("{p:.2}%")
                } else {
                    "under 0.01%".into()
                }
            }
            YUnit::Amount(s) => {
                if v.abs() >= 0.005 || v == 0.0 {
                    format!("{v:.2}{s}")
                } else {
                    format!("under 0.01{s}")
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quid_core::parse_date;

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    /// Tags 17 px wide (a one-digit number is narrower than the 2 x 8.5 px minimum): the
    /// second, 5 px right of the first, would need 15 px of shift (over 0.6 x 17 = 10.2) to
    /// clear it, so it takes a second row; the third, far away, goes back to the first row.
    #[test]
    fn tags_take_a_new_row_rather_than_overlap() {
        let labels: Vec<String> = ["1", "2", "3"].map(String::from).into();
        assert_eq!(tag_width("1"), 17.0);
        let placed = place_tags(&[100.0, 105.0, 200.0], &labels, 0.0, 1000.0);
        assert_eq!(placed, [(0, 100.0), (1, 105.0), (0, 200.0)]);
        // 12 px apart, the second fits in the first row pushed right by 8.5 + 3 + 8.5 - 12 = 8 px.
        let placed = place_tags(&[100.0, 112.0], &labels[..2], 0.0, 1000.0);
        assert_eq!(placed, [(0, 100.0), (0, 120.0)]);
        // A tag at the right edge is kept inside.
        assert_eq!(
            place_tags(&[999.0], &labels[..1], 0.0, 1000.0),
            [(0, 991.5)]
        );
    }

    /// A peak of 79.3 bn: six ticks of 79.3 / 6 = 13.2 round up to steps of 20; the plot ends
    /// at the tick of 80 (under 79.3 + 5% = 83.3). A peak of 25.2% on three ticks: steps of
    /// 10%, the plot ending at 25.2 x 1.05 = 26.46% (under the tick of 30%).
    #[test]
    fn y_scale_ends_just_above_the_data() {
        let s = YScale::new(0.0, 79.3, YUnit::Amount(" bn"), 6.0);
        assert_eq!((s.min, s.step, s.max), (0.0, 20.0, 80.0));
        let labels: Vec<String> = s.ticks().iter().map(|v| s.label(*v)).collect();
        assert_eq!(labels, ["0 bn", "20 bn", "40 bn", "60 bn", "80 bn"]);
        let s = YScale::new(0.0, 0.252, YUnit::Percent, 3.0);
        assert!((s.step - 0.1).abs() < 1e-12 && (s.max - 0.2646).abs() < 1e-12);
        let labels: Vec<String> = s.ticks().iter().map(|v| s.label(*v)).collect();
        assert_eq!(labels, ["0%", "10%", "20%"]);
        // Half-point steps print one decimal.
        let s = YScale::new(0.0, 0.0113, YUnit::Percent, 3.0);
        assert_eq!(s.label(0.005), "0.5%");
    }

    /// Total 10.1%, additional 10.0% (0.1 point of base duty) on a 0..10.1% panel: 0.1 point
    /// is under 1.2% of 10.1 points (0.12), so the two are drawn apart and noted.
    #[test]
    fn coinciding_lines_are_found() {
        let day = d("2025-01-01");
        let chart = Chart {
            title: "t".into(),
            subtitle: String::new(),
            series: vec![
                Series::new("total", "#000", vec![(day, 0.101)]),
                Series::new("additional", "#f00", vec![(day, 0.100)]),
                Series::new("base", "#0f0", vec![(day, 0.001)]),
            ],
            markers: vec![],
            dots: vec![],
            start: day,
            end: d("2025-12-31"),
            unit: YUnit::Percent,
            y_label: "%".into(),
            notes: vec![],
        };
        let found = coinciding(&chart, 0.012);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].0, found[0].1), (0, 1));
        assert!((found[0].2 - 0.001).abs() < 1e-12);
        let svg = render(&chart);
        assert!(svg.contains("never differ by more than 0.10 percentage points"));
        assert_eq!(svg.matches(r#"id="series-"#).count(), 3);
    }

    /// 2025-01-01 to 2026-11-26 over 1000 px: a month is 1000 x 30.44 / 694 = 43.9 px, narrower
    /// than a label ("May 2025" and its gap, over 60 px); two months are 87.7 px: ticks every
    /// second month.
    #[test]
    fn month_ticks_skip_months_that_would_collide() {
        let ticks = month_ticks(d("2025-01-01"), d("2026-11-26"), 1000.0);
        let labels: Vec<&str> = ticks.iter().map(|t| t.1.as_str()).take(3).collect();
        assert_eq!(labels, ["Jan 2025", "Mar 2025", "May 2025"]);
        assert_eq!(ticks.len(), 12);
    }
}
