//! Rendering a chart specification ([`quid_econ::chart::Chart`]) to SVG text, with no drawing
//! dependency: step lines over time (rates change on policy dates), vertical markers for the
//! policy events, axes with quarterly date ticks. The command line writes these files; the
//! server can serve them.
//!
//! ```
//! use quid_econ::chart::{Chart, Dot, Marker, Series, YUnit};
//! use quid_core::parse_date;
//! let d = |s| parse_date(s).unwrap();
//! let s = Series { label: "ETR".into(), color: "#1f77b4", points: vec![(d("2025-01-01"), 0.01), (d("2025-03-04"), 0.12)], dashed: false };
//! let chart = Chart { title: "Title".into(), subtitle: "subtitle".into(), series: vec![s],
//!     markers: vec![Marker { date: d("2025-03-04"), label: "IEEPA 25%".into() }], dots: vec![],
//!     end: d("2025-06-30"), unit: YUnit::Percent };
//! let text = quid_app::svg::render(&chart);
//! assert!(text.starts_with("<svg") && text.contains("IEEPA 25%"));
//! ```

use quid_core::Date;
use quid_econ::chart::{Chart, Dot, Marker, Series, YUnit};
use std::fmt::Write;

/// Draws a chart as an SVG document.
pub fn render(c: &Chart) -> String {
    svg_with_unit(
        &c.title,
        &c.subtitle,
        &c.series,
        &c.markers,
        &c.dots,
        c.end,
        c.unit,
    )
}

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

fn nice_step(max: f64) -> f64 {
    let raw = max / 6.0;
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

fn svg_with_unit(
    title: &str,
    subtitle: &str,
    series: &[Series],
    markers: &[Marker],
    dots: &[Dot],
    end: Date,
    unit: YUnit,
) -> String {
    let (w, h) = (1200.0, 760.0);
    let (left, right, top, bottom) = (70.0, 220.0, 70.0, 300.0);
    let pw = w - left - right;
    let ph = h - top - bottom;
    let start = series
        .iter()
        .filter_map(|s| s.points.first().map(|p| p.0))
        .min()
        .unwrap_or(end);
    let (x0, x1) = (
        day_number(start),
        day_number(end).max(day_number(start) + 1.0),
    );
    let ymax = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .chain(dots.iter().map(|d| d.value))
        .fold(0.0f64, f64::max)
        .max(if unit == YUnit::Percent { 0.01 } else { 1.0 })
        * 1.1;
    let step = nice_step(ymax);
    let ymax = (ymax / step).ceil() * step;
    let x = |d: Date| left + (day_number(d) - x0) / (x1 - x0) * pw;
    let y = |v: f64| top + ph - v / ymax * ph;
    let mut o = String::new();
    let _ = write!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="Helvetica, Arial, sans-serif"><rect width="100%" height="100%" fill="white"/>"#
    );
    let _ = write!(
        o,
        r#"<text x="{left}" y="30" font-size="20" font-weight="bold">{}</text>"#,
        esc(title)
    );
    let _ = write!(
        o,
        r##"<text x="{left}" y="52" font-size="13" fill="#555">{}</text>"##,
        esc(subtitle)
    );
    // Y grid and labels.
    let mut v = 0.0;
    while v <= ymax + 1e-12 {
        let yy = y(v);
        let _ = write!(
            o,
            r##"<line x1="{left}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="#e5e5e5"/>"##,
            left + pw
        );
        let label = match unit {
            YUnit::Percent => format!("{:.0}%", v * 100.0),
            YUnit::Amount(suffix) => format!("{v:.0}{suffix}"),
        };
        let _ = write!(
            o,
            r#"<text x="{:.1}" y="{:.1}" font-size="12" text-anchor="end">{label}</text>"#,
            left - 8.0,
            yy + 4.0
        );
        v += step;
    }
    // X ticks: quarter starts.
    let mut d = Date::new(start.year(), ((start.month() - 1) / 3) * 3 + 1, 1).unwrap_or(start);
    while d <= end {
        if d >= start {
            let xx = x(d);
            let _ = write!(
                o,
                r##"<line x1="{xx:.1}" y1="{:.1}" x2="{xx:.1}" y2="{:.1}" stroke="#999"/>"##,
                top + ph,
                top + ph + 5.0
            );
            let _ = write!(
                o,
                r#"<text x="{xx:.1}" y="{:.1}" font-size="12" text-anchor="middle">{}-{:02}</text>"#,
                top + ph + 19.0,
                d.year(),
                d.month()
            );
        }
        d = match d.checked_add(jiff::Span::new().months(3)) {
            Ok(n) => n,
            Err(_) => break,
        };
    }
    let _ = write!(
        o,
        r##"<line x1="{left}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#333"/>"##,
        top + ph,
        left + pw,
        top + ph
    );
    // Markers; labels of markers closer than 14 px are pushed right so they do not overlap.
    let mut last_x = f64::MIN;
    for m in markers.iter().filter(|m| m.date >= start && m.date <= end) {
        let xx = x(m.date);
        let _ = write!(
            o,
            r##"<line x1="{xx:.1}" y1="{top}" x2="{xx:.1}" y2="{:.1}" stroke="#888" stroke-dasharray="4 3"/>"##,
            top + ph
        );
        let xx = xx.max(last_x + 14.0);
        last_x = xx;
        let ly = top + ph + 30.0;
        let _ = write!(
            o,
            r##"<text x="{xx:.1}" y="{ly:.1}" font-size="11" fill="#444" transform="rotate(60 {xx:.1} {ly:.1})">{} {}</text>"##,
            m.date,
            esc(&m.label)
        );
    }
    // Series as steps.
    for (i, s) in series.iter().enumerate() {
        let mut path = String::new();
        for (j, (d, v)) in s.points.iter().enumerate() {
            let next = s.points.get(j + 1).map_or(end, |p| p.0);
            let (xa, xb, yy) = (x(*d), x(next), y(*v));
            if j == 0 {
                let _ = write!(path, "M{xa:.1},{yy:.1}");
            } else {
                let _ = write!(path, " L{xa:.1},{yy:.1}");
            }
            let _ = write!(path, " L{xb:.1},{yy:.1}");
        }
        let _ = write!(
            o,
            r#"<path d="{path}" fill="none" stroke="{}" stroke-width="2.2"{}/>"#,
            s.color,
            if s.dashed {
                r#" stroke-dasharray="7 4""#
            } else {
                ""
            }
        );
        let ly = top + 18.0 * i as f64 + 10.0;
        let lx = left + pw + 16.0;
        let _ = write!(
            o,
            r#"<line x1="{lx:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{}" stroke-width="3"{}/>"#,
            ly - 2.0,
            lx + 16.0,
            ly - 2.0,
            s.color,
            if s.dashed {
                r#" stroke-dasharray="5 3""#
            } else {
                ""
            }
        );
        let _ = write!(
            o,
            r#"<text x="{:.1}" y="{:.1}" font-size="12">{}</text>"#,
            lx + 20.0,
            ly + 1.0,
            esc(&s.label)
        );
    }
    // Published figures: a bar over their period, a dot at its middle, listed under the legend.
    let legend_top = top + 18.0 * series.len() as f64 + 24.0;
    for (i, d) in dots.iter().enumerate() {
        let (xa, xb, yy) = (x(d.from.max(start)), x(d.until.min(end)), y(d.value));
        let _ = write!(
            o,
            r#"<line x1="{xa:.1}" y1="{yy:.1}" x2="{xb:.1}" y2="{yy:.1}" stroke="{}" stroke-width="2"/><circle cx="{:.1}" cy="{yy:.1}" r="4.5" fill="{}"><title>{}</title></circle>"#,
            d.color,
            (xa + xb) / 2.0,
            d.color,
            esc(&d.label)
        );
        let ly = legend_top + 16.0 * i as f64;
        let lx = left + pw + 16.0;
        let _ = write!(
            o,
            r#"<circle cx="{:.1}" cy="{:.1}" r="4" fill="{}"/><text x="{:.1}" y="{:.1}" font-size="11">{}</text>"#,
            lx + 8.0,
            ly - 3.0,
            d.color,
            lx + 20.0,
            ly + 1.0,
            esc(&d.label)
        );
    }
    o.push_str("</svg>\n");
    o
}
