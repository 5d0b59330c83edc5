//! The font charts are drawn in: DejaVu Sans, regular and bold, bundled in the binary
//! (`assets/fonts`, licence in `assets/fonts/LICENSE.md`) so that a chart measures and renders
//! the same on every machine, with no system fonts. This module owns the text measure the SVG
//! layout uses (the advance widths of the bundled font) and the font database the PNG renderer
//! loads.
//!
//! ```
//! use quid_app::fonts::{text_width, wrap};
//! // "Mexico" at 12 px: DejaVu Sans advances M 1767, e 1260, x 1212, i 569, c 1126, o 1253
//! // font units of 2048 to the em, 7187 in all: 7187 x 12 / 2048 = 42.111328125 px.
//! let w = text_width("Mexico", 12.0, false);
//! assert_eq!(w, 7187.0 * 12.0 / 2048.0);
//! // Bold is wider.
//! assert!(text_width("Mexico", 12.0, true) > w);
//! assert_eq!(wrap("one two three", 12.0, false, 60.0), ["one two", "three"]);
//! ```

use std::sync::{Arc, OnceLock};

/// The family name of the bundled font, as SVG text asks for it.
pub const FAMILY: &str = "DejaVu Sans";

/// DejaVu Sans (Book).
pub static REGULAR: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold.
pub static BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");

/// Advance widths in font units of the printable ASCII and Latin-1 characters, and the
/// font's units per em.
struct Metrics {
    units_per_em: f64,
    /// Advance of characters U+0000..U+0100, font units (0 where the font has no glyph).
    latin: Vec<f64>,
    /// Advance used for characters outside the table or with no glyph (the em).
    fallback: f64,
    face: &'static [u8],
}

impl Metrics {
    fn load(bytes: &'static [u8]) -> Metrics {
        let Ok(face) = ttf_parser::Face::parse(bytes, 0) else {
            // The bundled font is a fixed asset; an unreadable copy measures every
            // character as one em, which over-estimates widths rather than overlapping text.
            return Metrics {
                units_per_em: 1.0,
                latin: vec![1.0; 256],
                fallback: 1.0,
                face: bytes,
            };
        };
        let upm = f64::from(face.units_per_em());
        let adv = |c: char| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map(f64::from)
        };
        Metrics {
            units_per_em: upm,
            latin: (0u8..=255)
                .map(|b| adv(char::from(b)).unwrap_or(upm))
                .collect(),
            fallback: upm,
            face: bytes,
        }
    }

    fn advance(&self, c: char) -> f64 {
        match self.latin.get(c as usize) {
            Some(a) => *a,
            None => ttf_parser::Face::parse(self.face, 0)
                .ok()
                .and_then(|f| f.glyph_index(c).and_then(|g| f.glyph_hor_advance(g)))
                .map_or(self.fallback, f64::from),
        }
    }
}

fn metrics(bold: bool) -> &'static Metrics {
    static R: OnceLock<Metrics> = OnceLock::new();
    static B: OnceLock<Metrics> = OnceLock::new();
    if bold {
        B.get_or_init(|| Metrics::load(BOLD))
    } else {
        R.get_or_init(|| Metrics::load(REGULAR))
    }
}

/// The width of `s` set at `size` px in the bundled font: the sum of the advance widths
/// (kerning, which only narrows DejaVu text, is left out, so the measure errs wide).
pub fn text_width(s: &str, size: f64, bold: bool) -> f64 {
    let m = metrics(bold);
    s.chars().map(|c| m.advance(c)).sum::<f64>() * size / m.units_per_em
}

/// The height of a line of text at `size` px from the top of its box to the baseline
/// (DejaVu's ascender, 0.928 em) and from the baseline to the bottom (descender, 0.236 em).
pub const ASCENT: f64 = 0.928;
/// See [`ASCENT`].
pub const DESCENT: f64 = 0.236;

/// `s` broken into lines no wider than `width` at `size` px, at spaces (a word wider than the
/// line is cut with an ellipsis).
pub fn wrap(s: &str, size: f64, bold: bool, width: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, size, bold) <= width || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        }
        if text_width(&line, size, bold) > width {
            line = elide(&line, size, bold, width);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `s` cut to fit `width` at `size` px, ending in an ellipsis when cut.
pub fn elide(s: &str, size: f64, bold: bool, width: f64) -> String {
    if text_width(s, size, bold) <= width {
        return s.to_string();
    }
    let mut out: String = String::new();
    for c in s.chars() {
        let next = format!("{out}{c}\u{2026}");
        if text_width(&next, size, bold) > width {
            break;
        }
        out.push(c);
    }
    format!("{}\u{2026}", out.trim_end())
}

/// A font database holding only the bundled fonts (what the PNG renderer and the chart
/// tests lay text out with).
pub fn database() -> Arc<resvg::usvg::fontdb::Database> {
    static DB: OnceLock<Arc<resvg::usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_font_data(REGULAR.to_vec());
        db.load_font_data(BOLD.to_vec());
        db.set_sans_serif_family(FAMILY);
        Arc::new(db)
    })
    .clone()
}
