//! Issue 13, lists broader than the law: the auto-parts list (9903.94.05, US note 33(g)) held the
//! bare heading 8471, so a Canadian laptop was charged as an automobile part. The row is removed
//! (data/SOURCES.md, "Rows removed"); these tests pin the laptop's duty on the bundled data and
//! the list's short prefixes.

use quid_data::params::read_metal_shares;
use quid_data::reference::BundleReference;
use quid_data::{Bundle, Schedules};
use quid_engine::EntryRecord;

fn laptop(date: &str) -> EntryRecord {
    EntryRecord {
        importer: "US".into(),
        origin: "CA".into(),
        hts: "8471.30.01.00".into(),
        date: date.into(),
        value: "1000".into(),
        ..EntryRecord::default()
    }
}

#[test]
fn a_canadian_laptop_is_no_auto_part() {
    let bundle = Bundle::at(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
    let schedules = Schedules::load_bundled(&bundle).expect("schedules");
    let metal = read_metal_shares(&bundle.metal_content()).expect("metal shares");
    let policy = quid_data::measures::load_policy(&bundle, false).expect("measures compile");
    let reference = BundleReference::new(schedules, &metal);
    for date in ["2025-06-01", "2026-05-01"] {
        let e = laptop(date).to_entry().unwrap();
        let a = policy.assess(&e, &reference).unwrap();
        assert!(
            a.layers
                .iter()
                .all(|l| l.authority().as_str() != "s232-auto-parts"),
            "{date}: {:?}",
            a.layers.iter().map(|l| l.measure()).collect::<Vec<_>>()
        );
        assert!(a
            .not_applied
            .iter()
            .all(|n| n.authority().as_str() != "s232-auto-parts"));
    }
    // 2025-06-01, no USMCA claim: Column 1 Free; IEEPA Canada 25% of 1000 = 250.00 (EO 14193
    // sec. 2(a)), and nothing else (the auto-parts duty of 9903.94.05 started 2025-05-03 but
    // 8471.30.01.00 is no automobile part).
    let e = laptop("2025-06-01").to_entry().unwrap();
    let a = policy.assess(&e, &reference).unwrap();
    assert_eq!(a.total.to_string(), "250.00");
    assert_eq!(a.layers.len(), 1);
    assert_eq!(a.layers[0].authority().as_str(), "ieepa-ca");
}

#[test]
fn the_auto_parts_list_names_no_heading_but_8707() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/us_measures/s232_auto_parts.csv"
    ))
    .unwrap();
    let short: Vec<&str> = text
        .lines()
        .skip(1)
        .filter(|l| l.trim().len() <= 4)
        .collect();
    // 8707: bodies (including cabs) for the motor vehicles of headings 8701 to 8705, every line
    // of which is an automobile part.
    assert_eq!(short, ["8707"]);
    assert_eq!(text.lines().skip(1).count(), 129);
}
