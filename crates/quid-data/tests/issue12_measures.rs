//! Issue 12, item 2 (measure checks): overlapping periods of two measures under one heading and
//! authority, implausible rates (configurable bounds), empty headings and implausible dates.

use quid_data::measures::{read_measure_files, resolve_list};
use quid_data::plausible::{check_records, Bounds};
use quid_data::Bundle;
use quid_engine::MeasureFile;

fn bundle() -> Bundle {
    Bundle::at(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"))
}

fn check(files: &[(String, MeasureFile)], bounds: &Bounds) -> Vec<String> {
    let b = bundle();
    let resolver = |r: &str| resolve_list(&b, r);
    check_records(files, bounds, &resolver)
        .into_iter()
        .map(|d| format!("{} | {}", d.field.unwrap_or_default(), d.message))
        .collect()
}

fn bundled() -> Vec<(String, MeasureFile)> {
    read_measure_files(&bundle().measures_dir()).expect("bundled measures")
}

#[test]
fn issue12_bundled_measures_are_plausible() {
    let bounds = Bounds::read(&bundle().checks()).expect("checks.toml");
    assert_eq!(bounds, Bounds::default());
    assert_eq!(check(&bundled(), &bounds), Vec::<String>::new());
}

#[test]
fn issue12_overlapping_measures_under_one_heading_are_refused() {
    // A second steel-articles record under 9903.81.87 from 2025-03-12 to 2025-07-01: it
    // overlaps US-S232-ST-1.articles (25%, to 2025-06-04) and US-S232-SA-2.steel-articles (50%,
    // from 2025-06-04), so a coil would pay the heading twice (75% in June 2025).
    let mut files = bundled();
    let mut copy = files
        .iter()
        .flat_map(|(_, f)| &f.measure)
        .find(|m| m.id == "US-S232-SA-2.steel-articles")
        .expect("bundled")
        .clone();
    copy.id = "TEST-OVERLAP".into();
    copy.from = quid_core::parse_date("2025-03-12").expect("date");
    copy.until = Some(quid_core::parse_date("2025-07-01").expect("date"));
    files.push((
        "test.toml".into(),
        MeasureFile {
            measure: vec![copy],
            ..MeasureFile::default()
        },
    ));
    assert_eq!(
        check(&files, &Bounds::default()),
        [
            "US-S232-ST-1.articles.from | measures US-S232-ST-1.articles and TEST-OVERLAP are \
             both charged under heading 9903.81.87 (s232-steel) from 2025-03-12 to 2025-06-04 on \
             the same goods of the same origins: the duty would be charged twice",
            "US-S232-SA-2.steel-articles.from | measures US-S232-SA-2.steel-articles and \
             TEST-OVERLAP are both charged under heading 9903.81.87 (s232-steel) from 2025-06-04 \
             to 2025-07-01 on the same goods of the same origins: the duty would be charged twice",
        ]
    );
}

#[test]
fn issue12_implausible_rate_empty_heading_and_dates_are_refused() {
    let file: MeasureFile = toml::from_str(
        r#"
[[measure]]
id = "T-BAD"
title = "t"
importer = "US"
origins = ["CA"]
authority = "s232-steel"
heading = " "
instrument = "t"
status = "in_force"
confidence = "H"
from = "0001-01-01"
until = "2101-01-01"
rate = "100000%"
base = "full_value"
scope = { include = ["72"] }
citations = [{ title = "t" }]
"#,
    )
    .expect("parses");
    assert_eq!(
        check(&[("bad.toml".into(), file)], &Bounds::default()),
        [
            "T-BAD.heading | measure T-BAD has an empty heading",
            "T-BAD.from | measure T-BAD: from 0001-01-01 is outside the plausible range \
             1930-01-01 to 2100-12-31 (data/params/checks.toml)",
            "T-BAD.until | measure T-BAD: until 2101-01-01 is outside the plausible range \
             1930-01-01 to 2100-12-31 (data/params/checks.toml)",
            "T-BAD.rate | measure T-BAD: a rate of 100000% is outside the plausible range 0% to \
             300% (data/params/checks.toml)",
        ]
    );
}

#[test]
fn issue12_rate_bounds_are_configurable() {
    let path = std::env::temp_dir().join(format!("quid-i12-checks-{}.toml", std::process::id()));
    std::fs::write(
        &path,
        "[measures]\nrate_percent_min = \"0\"\nrate_percent_max = \"40\"\nfirst_date = \"1930-01-01\"\nlast_date = \"2100-12-31\"\n",
    )
    .expect("write");
    let bounds = Bounds::read(&path);
    let _ = std::fs::remove_file(&path);
    let bounds = bounds.expect("bounds");
    // The bundled measures above 40%: 18 at 50% (two of them the 2025 chapter 73 derivatives) and
    // 2 at 100%.
    let found = check(&bundled(), &bounds);
    assert_eq!(found.len(), 20, "{found:#?}");
    assert_eq!(
        found
            .iter()
            .filter(|f| f.contains("a rate of 100%"))
            .count(),
        2
    );
}
