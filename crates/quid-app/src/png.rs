//! Rasterising a chart's SVG to PNG, in pure Rust (resvg: usvg parses and lays the text out
//! with the bundled font of [`crate::fonts`], tiny-skia paints), so that the PNG beside each
//! SVG looks the same on every machine, with no system fonts and no external program.
//!
//! ```
//! use quid_econ::chart::{Chart, Series, YUnit};
//! use quid_core::parse_date;
//! let d = |s| parse_date(s).unwrap();
//! let chart = Chart { title: "Title".into(), subtitle: "subtitle".into(),
//!     series: vec![Series::new("ETR", "#1f77b4", vec![(d("2025-01-01"), 0.01)])],
//!     markers: vec![], dots: vec![], start: d("2025-01-01"), end: d("2025-06-30"),
//!     unit: YUnit::Percent, y_label: "% of import value".into(), notes: vec![] };
//! let png = quid_app::png::render(&quid_app::svg::render(&chart), 1.0).unwrap();
//! assert_eq!(&png[1..4], b"PNG");
//! ```

use resvg::{tiny_skia, usvg};

/// Why an SVG could not be made into a PNG.
#[derive(Debug, thiserror::Error)]
pub enum PngError {
    /// The SVG text did not parse.
    #[error("the chart's SVG does not parse: {0}")]
    Parse(#[from] usvg::Error),
    /// The requested size is empty or too large to allocate.
    #[error("a {width} x {height} px image cannot be allocated")]
    Size { width: u32, height: u32 },
    /// The PNG encoder failed.
    #[error("encoding the PNG: {0}")]
    Encode(String),
}

/// Parses chart SVG text with the bundled fonts (text becomes paths, laid out as drawn).
pub fn tree(svg: &str) -> Result<usvg::Tree, PngError> {
    let opt = usvg::Options {
        fontdb: crate::fonts::database(),
        font_family: crate::fonts::FAMILY.into(),
        ..usvg::Options::default()
    };
    Ok(usvg::Tree::from_str(svg, &opt)?)
}

/// The PNG bytes of `svg` drawn at `scale` (2.0 doubles each side, for print and
/// high-density screens), on its own white background.
pub fn render(svg: &str, scale: f32) -> Result<Vec<u8>, PngError> {
    let tree = tree(svg)?;
    let size = tree.size().to_int_size().scale_by(scale);
    let (width, height) = size.map_or((0, 0), |s| (s.width(), s.height()));
    let mut pixmap =
        tiny_skia::Pixmap::new(width, height).ok_or(PngError::Size { width, height })?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    // The background is opaque white, so every pixel is opaque: RGB, compressed hard (a
    // third of the size of tiny-skia's own RGBA encoding).
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, width, height);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Best);
    enc.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
    let err = |e: png::EncodingError| PngError::Encode(e.to_string());
    let mut w = enc.write_header().map_err(err)?;
    w.write_image_data(&rgb).map_err(err)?;
    w.finish().map_err(err)?;
    Ok(out)
}
