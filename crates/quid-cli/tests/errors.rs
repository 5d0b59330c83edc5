//! What a user sees on bad input (issue 16): a negative value is read as a value and refused
//! with a clear message, a missing file is reported once, and both exit with status 2.

use std::process::Command;

fn quid(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_quid"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .output()
        .expect("run quid")
}

#[test]
fn a_negative_value_is_a_value_and_is_refused() {
    let out = quid(&[
        "duty",
        "--importer",
        "US",
        "--origin",
        "CA",
        "--hts",
        "7208.10.15.00",
        "--value",
        "-100",
        "--date",
        "2025-07-01",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "quid: error: the value must be zero or more, got -100\n"
    );
}

#[test]
fn a_missing_file_is_reported_once() {
    let out = quid(&["duty", "--input", "no-such-entries.csv"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
    assert!(
        err.starts_with("quid: error: opening no-such-entries.csv"),
        "{err}"
    );
}
