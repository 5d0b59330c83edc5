//! Regression tests for issue 12, item 1 ("the batch destroys its input"): an output or rejects
//! file that is the input is refused whatever its name, and a failed batch leaves existing files
//! as they were.

use quid_app::batch_files::{run, BatchRequest};
use quid_app::{App, Engine, EngineOptions};
use quid_core::parse_date;
use std::path::{Path, PathBuf};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");
const INPUT: &str = "importer,origin,hts,date,value\nUS,CA,7208.10.15.00,2025-07-01,100000\n";

fn engine() -> Engine {
    App::new(Some(Path::new(DATA)), parse_date("2026-12-06").unwrap())
        .unwrap()
        .engine(&EngineOptions::default())
        .unwrap()
}

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("quid-batch-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn batch(engine: &Engine, input: &Path, output: &Path) -> Result<(), String> {
    let req = BatchRequest {
        input: input.to_path_buf(),
        output: Some(output.to_path_buf()),
        strict: false,
    };
    run(engine, &req, &|_| {}, &|_| {})
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[test]
fn batch_output_that_is_the_input_is_refused_and_the_input_kept() {
    let e = engine();
    let d = dir("same");
    let x = d.join("x.csv");
    std::fs::write(&x, INPUT).unwrap();
    // The same name, the same file through ./, and through a symlink.
    let err = batch(&e, &x, &x).unwrap_err();
    assert!(err.contains("quid will not overwrite its input"), "{err}");
    let dotted = d.join(".").join("x.csv");
    assert!(batch(&e, &x, &dotted).is_err());
    #[cfg(unix)]
    {
        let link = d.join("link.csv");
        std::os::unix::fs::symlink(&x, &link).unwrap();
        assert!(batch(&e, &x, &link).is_err());
    }
    assert_eq!(std::fs::read_to_string(&x).unwrap(), INPUT);
    // The input named as the derived rejects file of the output.
    let r = d.join("out.rejects.csv");
    std::fs::write(&r, INPUT).unwrap();
    let err = batch(&e, &r, &d.join("out.csv")).unwrap_err();
    assert!(err.starts_with("the rejects file:"), "{err}");
    assert_eq!(std::fs::read_to_string(&r).unwrap(), INPUT);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn batch_that_fails_leaves_existing_outputs_untouched() {
    let e = engine();
    let d = dir("fail");
    let input = d.join("in.csv");
    std::fs::write(&input, "importer,origin\nUS,CA\n").unwrap();
    let out = d.join("out.csv");
    let rejects = d.join("out.rejects.csv");
    std::fs::write(&out, "earlier output\n").unwrap();
    std::fs::write(&rejects, "earlier rejects\n").unwrap();
    let err = batch(&e, &input, &out).unwrap_err();
    assert!(err.contains("missing column"), "{err}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "earlier output\n");
    assert_eq!(
        std::fs::read_to_string(&rejects).unwrap(),
        "earlier rejects\n"
    );
    // No temporary file is left behind.
    let left: Vec<_> = std::fs::read_dir(&d)
        .unwrap()
        .map(|f| f.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("quid-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn batch_with_a_missing_input_creates_nothing() {
    let e = engine();
    let d = dir("missing");
    let err = batch(&e, &d.join("nope.csv"), &d.join("out.csv")).unwrap_err();
    assert!(err.contains("nope.csv"), "{err}");
    assert_eq!(std::fs::read_dir(&d).unwrap().count(), 0);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn batch_that_succeeds_replaces_the_output() {
    let e = engine();
    let d = dir("ok");
    let input = d.join("in.csv");
    std::fs::write(&input, INPUT).unwrap();
    let out = d.join("out.csv");
    std::fs::write(&out, "earlier output\n").unwrap();
    batch(&e, &input, &out).unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    // One line: 50% of 100,000 under Section 232 steel, on a free MFN base.
    assert!(
        text.lines().nth(1).unwrap().contains(",50000.00,"),
        "{text}"
    );
    // The rejects file: its header (the reason, then the input columns), no line.
    assert_eq!(
        std::fs::read_to_string(d.join("out.rejects.csv")).unwrap(),
        "line,reason,importer,origin,hts,date,value\n"
    );
    let _ = std::fs::remove_dir_all(&d);
}

/// Issue 12, item 5: a value of 1e17 aborted a Parquet output (no footer, every good line
/// lost) while the same input as CSV worked. It is now a reject in both, and both outputs hold
/// the good lines.
#[test]
fn issue12_value_1e17_is_rejected_and_the_parquet_output_written_whole() {
    let e = engine();
    let d = dir("1e17");
    let input = d.join("in.csv");
    std::fs::write(
        &input,
        "importer,origin,hts,date,value\n\
         US,CA,7208.10.15.00,2025-07-01,100000\n\
         US,CA,7208.10.15.00,2025-07-01,100000000000000000\n\
         US,CA,7208.10.15.00,2025-07-01,1000\n",
    )
    .unwrap();
    for out in ["out.parquet", "out.csv"] {
        let req = BatchRequest {
            input: input.clone(),
            output: Some(d.join(out)),
            strict: false,
        };
        let r = run(&e, &req, &|_| {}, &|_| {}).unwrap();
        // Section 232 steel, 50%: 50000.00 + 500.00.
        assert_eq!((r.records, r.assessed, r.rejected), (3, 2, 1), "{out}");
        assert_eq!(r.total_duty.usd.to_string(), "50500.00", "{out}");
        let rejects = std::fs::read_to_string(&r.rejects).unwrap();
        assert_eq!(
            rejects.lines().nth(1),
            Some(
                "3,\"value: \"\"100000000000000000\"\" is too large (max 1000000000000000)\",\
                 US,CA,7208.10.15.00,2025-07-01,100000000000000000"
            ),
            "{out}"
        );
    }
    // The Parquet file has its footer: it reads back, with both good lines.
    let back = quid_data::parquet_io::parquet_to_csv(&d.join("out.parquet")).unwrap();
    let back = String::from_utf8(back).unwrap();
    let lines: Vec<&str> = back.lines().skip(1).map(|l| &l[..2]).collect();
    assert_eq!(lines, ["2,", "4,"]);
    let _ = std::fs::remove_dir_all(&d);
}

/// Issue 12, item 8: a batch line dated past the bundled data was assessed without a word; the
/// report now counts such lines, with the date policy is known up to.
#[test]
fn issue12_batch_counts_lines_dated_past_the_bundled_data() {
    let e = engine();
    let d = dir("after");
    let input = d.join("in.csv");
    std::fs::write(
        &input,
        "importer,origin,hts,date,value\n\
         US,CA,7208.10.15.00,2025-07-01,100\n\
         US,CA,7208.10.15.00,9999-12-31,100\n\
         US,CA,7208.10.15.00,2028-01-01,100\n",
    )
    .unwrap();
    let req = BatchRequest {
        input,
        output: Some(d.join("out.csv")),
        strict: false,
    };
    let r = run(&e, &req, &|_| {}, &|_| {}).unwrap();
    let _ = std::fs::remove_dir_all(&d);
    // Every line assessed; only 9999-12-31 is after 2028-01-01 (the last date in the data).
    assert_eq!((r.assessed, r.after_known), (3, 1));
    assert_eq!(r.known_until, Some(parse_date("2028-01-01").unwrap()));
}
