//! Effective tariff rates through the binary, checked against the Budget Lab tracker's published
//! tables (data/yale_reference/etr_outputs_2026-03-11, see docs/conventions.md §3) and against
//! the timeline of measures.

use std::process::Command;

fn quid(args: &[&str]) -> Vec<Vec<String>> {
    let out = Command::new(env!("CARGO_BIN_EXE_quid"))
        .args(args)
        .args(["--format", "csv"])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .output()
        .expect("run quid");
    assert!(
        out.status.success(),
        "quid {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf8");
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let mut rows = vec![rdr
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect::<Vec<_>>()];
    rows.extend(
        rdr.records()
            .map(|r| r.expect("record").iter().map(str::to_string).collect()),
    );
    rows
}

fn col(rows: &[Vec<String>], name: &str) -> Vec<f64> {
    let i = rows[0]
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"));
    rows[1..]
        .iter()
        .map(|r| r[i].parse().expect("number"))
        .collect()
}

fn reference(partner: &str, date: &str) -> f64 {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/yale_reference/etr_outputs_2026-03-11/etr_by_partner.csv"
    ))
    .expect("reference table");
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    for r in rdr.records() {
        let r = r.expect("record");
        if &r[0] == date && &r[2] == partner {
            return r[3].parse::<f64>().expect("etr") * 100.0;
        }
    }
    panic!("no reference row {partner} {date}")
}

/// The tracker's 2026-02-25 ("Current") additional-only ETR, reproduced under
/// `--convention yale` with the settings of that build (no vehicle US-content factor) and the
/// USMCA shares nearest its vintage (2024). The residual comes from quid's weights being the
/// same but its HTS lines, metal lists and legal dates differing (docs/conventions.md §2.3).
#[test]
fn yale_convention_reproduces_the_published_2026_02_25_rates() {
    for (partner, name) in [("CA", "canada"), ("MX", "mexico")] {
        let rows = quid(&[
            "etr",
            "--importer",
            "US",
            "--partner",
            partner,
            "--convention",
            "yale",
            "--yale-alpha",
            "1",
            "--shares",
            "2024",
            "--from",
            "2026-02-25",
            "--to",
            "2026-02-25",
        ]);
        let ours = col(&rows, "additional_pct")[0];
        let theirs = reference(name, "2026-02-25");
        eprintln!(
            "{partner}: quid yale {ours:.3}% vs published {theirs:.3}% (residual {:+.3} pp)",
            ours - theirs
        );
        // Band: 1.5 pp. Issue 13 added the 2025 chapter 73 steel derivatives, which the
        // reference build also charges (chapter-73 blanket, docs/conventions.md row 7); quid's
        // Canadian residual went from +0.71 to +1.15 pp (steel column 1.149% -> 1.664% on
        // 2026-02-25), the other rows of the residual table being unchanged.
        assert!(
            (ours - theirs).abs() <= 1.5,
            "{partner}: {ours} vs {theirs}"
        );
    }
}

#[test]
fn the_series_follows_the_timeline_of_measures() {
    let rows = quid(&[
        "etr",
        "--importer",
        "US",
        "--partner",
        "CA",
        "--from",
        "2025-01-01",
        "--to",
        "2026-11-26",
        "--daily",
    ]);
    let add = col(&rows, "additional_pct");
    let dates: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        dates.len(),
        695,
        "one row per day from 2025-01-01 to 2026-11-26"
    );
    let on = |d: &str| add[dates.iter().position(|x| *x == d).expect("date in series")];
    // Before any measure (EO 14193 took effect 2025-03-04): no additional duty.
    assert_eq!(on("2025-02-01"), 0.0);
    // 2025-03-04 to 03-06: IEEPA 25% (energy 10%) on every Canadian good, USMCA or not.
    assert!(on("2025-03-05") > 15.0, "{}", on("2025-03-05"));
    // 2025-03-07: USMCA goods exempt (EO 14231): the rate falls.
    assert!(on("2025-03-07") < on("2025-03-05") / 2.0);
    // 2025-08-01: IEEPA Canada 35% (EO of 2025-07-31): the rate rises.
    assert!(on("2025-08-01") > on("2025-07-31"));
    // 2026-02-24: IEEPA collection ends (Learning Resources v. Trump): the rate falls.
    assert!(on("2026-02-24") < on("2026-02-23"));
}

#[test]
fn canada_as_importer_shows_the_rollback() {
    let rows = quid(&[
        "etr",
        "--importer",
        "CA",
        "--partner",
        "US",
        "--from",
        "2025-01-01",
        "--to",
        "2026-01-31",
    ]);
    let add = col(&rows, "additional_pct");
    let dates: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    let at = |d: &str| add[dates.iter().rposition(|x| *x <= d).expect("segment")];
    assert_eq!(at("2025-02-01"), 0.0);
    // SOR/2025-66 from 2025-03-04, SOR/2025-95 from 03-13, SOR/2025-118 from 04-09.
    assert!(
        at("2025-03-04") > 0.0
            && at("2025-04-09") > at("2025-03-13")
            && at("2025-03-13") > at("2025-03-04")
    );
    // 2025-09-01: the general list repealed and Schedule 1 narrowed (SOR/2025-181).
    assert!(at("2025-09-01") < at("2025-08-31") / 1.5);
}
