//! Chart files through the binary: every chart written as `x.svg` has `x.png` beside it, and
//! `--chart-range` gives charts meant to be compared one x axis.

use std::path::{Path, PathBuf};
use std::process::Command;

fn quid(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_quid"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .env_remove("QUID_WORKSPACE")
        .output()
        .expect("run quid");
    assert!(
        out.status.success(),
        "quid {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("quid-charts-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("tmp");
    dir
}

/// The x-range an SVG chart declares.
fn x_range(path: &Path) -> String {
    let svg = std::fs::read_to_string(path).expect("svg");
    let start = svg.find("data-x-range=\"").expect("x range") + 14;
    let len = svg[start..].find('"').expect("end quote");
    svg[start..start + len].to_string()
}

/// A PNG's width and height (the IHDR chunk, bytes 16..24).
fn png_size(path: &Path) -> (u32, u32) {
    let b = std::fs::read(path).expect("png");
    assert_eq!(&b[..8], b"\x89PNG\r\n\x1a\n", "{}", path.display());
    let be = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    (be(16), be(20))
}

#[test]
fn balance_before_and_after_share_the_range_and_write_pngs() {
    let dir = temp_dir("balance");
    for (known, name) in [("2026-02-19", "before"), ("2026-03-01", "after")] {
        let chart = dir.join(format!("{name}.svg"));
        quid(&[
            "balance",
            "--as-known-on",
            known,
            "--chart",
            chart.to_str().unwrap(),
            "--chart-range",
            "2025-01-01..2026-11-30",
        ]);
        for f in [name.to_string(), format!("{name}-sectors")] {
            let svg = dir.join(format!("{f}.svg"));
            assert_eq!(x_range(&svg), "2025-01-01..2026-11-30", "{f}");
            // 1200 px wide SVG, drawn at twice the size.
            let (w, h) = png_size(&dir.join(format!("{f}.png")));
            assert_eq!(w, 2400, "{f}");
            assert!(h > 1000, "{f}: {h}");
        }
    }
}

#[test]
fn a_bad_chart_range_is_refused_with_the_expected_form() {
    let out = Command::new(env!("CARGO_BIN_EXE_quid"))
        .args(["balance", "--chart-range", "2025-01-01", "--format", "json"])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .env_remove("QUID_WORKSPACE")
        .output()
        .expect("run quid");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("FROM..TO"), "{err}");
}

#[test]
fn etr_chart_writes_svg_and_png() {
    let dir = temp_dir("etr");
    let chart = dir.join("etr_mx.svg");
    quid(&[
        "etr",
        "--importer",
        "US",
        "--partner",
        "MX",
        "--by",
        "authority",
        "--chart",
        chart.to_str().unwrap(),
    ]);
    let svg = std::fs::read_to_string(&chart).expect("svg");
    assert!(svg.contains("IEEPA Mexico") && svg.contains("Section 122 surcharge"));
    assert_eq!(png_size(&dir.join("etr_mx.png")).0, 2400);
}
