//! Issue 13 through the binary: the US HTS number on a Canadian entry is refused with the
//! Canadian item (Customs Tariff, S.C. 1997, c. 36: tariff items of eight digits), the Canadian
//! item pays the SOR/2025-118 vehicle surtax (25% of CAD 50,000 = CAD 12,500), and an origin
//! whose measures are not modelled is stated, or refused with `--strict`.

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

fn duty(importer: &str, origin: &str, hts: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "duty",
        "--importer",
        importer,
        "--origin",
        origin,
        "--hts",
        hts,
        "--value",
        "50000",
        "--date",
        "2025-06-01",
    ];
    args.extend_from_slice(extra);
    quid(&args)
}

#[test]
fn a_us_hts_number_is_refused_and_the_canadian_item_pays_the_surtax() {
    let out = duty("CA", "US", "8703.23.01.60", &[]);
    assert!(!out.status.success());
    assert_eq!(out.stdout, b"");
    assert_eq!(
        text(&out.stderr),
        "quid: error: hts: 8703.23.01.60 is a US HTS number, not a Canadian tariff item \
         (8703.23.01 is not among the Canadian tariff items quid knows); the Canadian tariff \
         item is 8703.23.00\n"
    );
    let out = duty("CA", "US", "8703.23.00", &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout)
        .contains("total duty at entry: CAD 12500.00 (plus the unknown base duty)\n"));
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn an_unmodelled_origin_is_stated_or_refused_when_strict() {
    let out = duty("US", "JP", "8703.23.01.60", &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("total duty at entry: USD 13750.00\n"));
    let statement = "measures on goods of JP are not modelled (for US imports quid models the \
                     measures on goods of CA, MX): only the base duty and the measures on goods \
                     of every origin are computed";
    assert_eq!(text(&out.stderr), format!("warning: {statement}\n"));
    let out = duty("US", "JP", "8703.23.01.60", &["--strict"]);
    assert!(!out.status.success());
    assert_eq!(out.stdout, b"");
    assert_eq!(
        text(&out.stderr),
        format!("quid: error: origin: {statement} (--strict)\n")
    );
}
