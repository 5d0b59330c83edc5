//! Regression tests for issue 12, item 8, through the binary: a value with three decimals is
//! shown the same in the header and the layers, a date past the bundled data prints a warning,
//! and `--yale-alpha -5` reaches the bounds check instead of being taken for a flag.

use std::process::{Command, Output};

fn quid(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quid"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .output()
        .expect("run quid")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn issue12_value_with_three_decimals_is_shown_the_same_in_header_and_layer() {
    let out = quid(&[
        "duty",
        "--importer",
        "US",
        "--origin",
        "CA",
        "--hts",
        "7208.10.15.00",
        "--value",
        "100.005",
        "--date",
        "2025-07-01",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    // 100.005 rounds once, half away from zero, to 100.01; 50% of it is 50.005 -> 50.01.
    assert!(
        stdout.starts_with(
            "US entry of 7208.10.15.00 from CA, no preference claim on 2025-07-01, value USD \
             100.01\n"
        ),
        "{stdout}"
    );
    let layer = stdout
        .lines()
        .find(|l| l.starts_with("s232-steel"))
        .expect("a steel layer");
    let cells: Vec<&str> = layer.split_whitespace().collect();
    assert_eq!(cells[3..], ["100.01", "50%", "50.01"], "{layer}");
    assert!(
        stdout.contains("total duty at entry: USD 50.01\n"),
        "{stdout}"
    );
    assert_eq!(
        text(&out.stderr),
        "note: value 100.005 rounded to the cent (half away from zero): 100.01\n"
    );
}

#[test]
fn issue12_date_past_the_bundled_data_prints_a_warning() {
    let out = quid(&[
        "duty",
        "--importer",
        "US",
        "--origin",
        "CA",
        "--hts",
        "7208.10.15.00",
        "--value",
        "100",
        "--date",
        "9999-12-31",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stderr),
        "warning: the entry date 9999-12-31 is after 2028-01-01, the newest date in the bundled \
         measures and schedules: policy is known only up to 2028-01-01, and this assessment \
         applies what was in force then\n"
    );
}

#[test]
fn issue12_negative_yale_alpha_is_rejected_with_its_bounds() {
    let out = quid(&[
        "etr",
        "--importer",
        "US",
        "--partner",
        "CA",
        "--convention",
        "yale",
        "--yale-alpha",
        "-5",
    ]);
    assert!(!out.status.success());
    assert_eq!(
        text(&out.stderr),
        "quid: error: --yale-alpha: -5 is outside 0 to 1: it is the factor on a USMCA \
         vehicle's claim share (the share of its value that is US content; 0.40 by default, 1 \
         in the tracker's earlier builds)\n"
    );
}

#[test]
fn issue12_origin_equal_to_importer_is_an_error() {
    let out = quid(&[
        "duty",
        "--importer",
        "US",
        "--origin",
        "US",
        "--hts",
        "7208.10.15.00",
        "--value",
        "100",
        "--date",
        "2025-07-01",
    ]);
    assert!(!out.status.success());
    assert_eq!(
        text(&out.stderr),
        "quid: error: origin: US is the importer; quid assesses imports, and a good of the \
         importer's own origin owes no tariff\n"
    );
}

/// A negative value was taken for a flag by the argument parser; it now reaches the entry's
/// own check.
#[test]
fn issue12_negative_value_reaches_its_check() {
    let out = quid(&[
        "duty",
        "--importer",
        "US",
        "--origin",
        "CA",
        "--hts",
        "7208.10.15.00",
        "--value",
        "-5",
        "--date",
        "2025-07-01",
    ]);
    assert!(!out.status.success());
    assert_eq!(
        text(&out.stderr),
        "quid: error: the value must be zero or more, got -5\n"
    );
}
