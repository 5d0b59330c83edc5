//! `quid duty --explain` names what each citation is and where in it the layer comes from
//! (issue 13): non-USMCA Canadian potash on 2025-05-01 pays the 10% of EO 14231 s. 2(b).

use std::process::Command;

#[test]
fn explain_prints_each_citations_kind_and_pinpoint() {
    let out = Command::new(env!("CARGO_BIN_EXE_quid"))
        .args([
            "duty",
            "--importer",
            "US",
            "--origin",
            "CA",
            "--hts",
            "3104.20.00.10",
            "--value",
            "100000",
            "--date",
            "2025-05-01",
            "--explain",
        ])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .output()
        .expect("run quid");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let layer = stdout
        .split("\ncitations:\n")
        .nth(1)
        .expect("a citations section");
    assert!(
        layer.contains(
            "      executive order: Executive Order 14231, Amendment to Duties To Address the Flow \
             of Illicit Drugs Across Our Northern Border (Federal Register doc. 2025-03990) \
             (2025-03-11) <https://www.federalregister.gov/d/2025-03990>\n          at: s. 2(b) \
             (non-USMCA potash, 10%)\n"
        ),
        "{stdout}"
    );
    assert!(
        layer.contains("      secondary: KWE advisory 2025-12"),
        "{stdout}"
    );
}
