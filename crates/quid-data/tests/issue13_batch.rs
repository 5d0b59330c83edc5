//! Issue 13 through the batch on the bundled data: the new columns (`de_minimis`, `adcvd_case`,
//! `adcvd_rate`) are read, an AD/CVD layer is labelled with its case, and the ids of the warnings
//! are written in the `warnings` column.

use quid_data::batch::run;
use quid_data::params::read_metal_shares;
use quid_data::reference::BundleReference;
use quid_data::{Bundle, Schedules};

#[test]
fn batch_reads_the_declarations_and_writes_the_warnings() {
    let bundle = Bundle::at(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
    let schedules = Schedules::load_bundled(&bundle).expect("schedules");
    let metal = read_metal_shares(&bundle.metal_content()).expect("metal shares");
    let policy = quid_data::measures::load_policy(&bundle, false).expect("measures compile");
    let reference = BundleReference::new(schedules, &metal);
    let input = "\
id,importer,origin,hts,date,value,de_minimis,adcvd_case,adcvd_rate
L1,US,CA,4407.11.00.01,2025-11-03,10000,,,
L2,US,CA,4407.11.00.01,2025-11-03,10000,,A-122-857;C-122-858,20.56;14.63
T1,US,CA,6109.10.00.12,2025-05-01,500,yes,,
T2,US,CA,6109.10.00.12,2025-09-01,500,yes,,
";
    let (mut out, mut rejects) = (Vec::new(), Vec::new());
    let sum = run(
        &policy,
        &reference,
        input.as_bytes(),
        &mut out,
        &mut rejects,
        &|_| {},
    )
    .unwrap();
    assert_eq!((sum.assessed, sum.rejected), (4, 0));
    let out = String::from_utf8(out).unwrap();
    let rows: Vec<&str> = out.lines().skip(1).collect();
    // L1: lumber 232 10% = 1000.00, AD/CVD not declared: the softwood lumber gap is named.
    assert_eq!(
        rows[0],
        "2,L1,US,CA,4407.11.00.01,2025-11-03,10000.00,mfn,Free,0.00,1000.00,1000.00,1000.00,0.00,true,\
         \"s232-lumber 9903.76.01 10% on 10000.00 = 1000.00\",US-GAP-SWL-ADCVD"
    );
    // L2: + AD 20.56% = 2056.00 and CVD 14.63% = 1463.00, labelled with their cases; no warning.
    assert_eq!(
        rows[1],
        "3,L2,US,CA,4407.11.00.01,2025-11-03,10000.00,mfn,Free,0.00,4519.00,4519.00,4519.00,0.00,true,\
         \"adcvd A-122-857 20.56% on 10000.00 = 2056.00; adcvd C-122-858 14.63% on 10000.00 = 1463.00; \
         s232-lumber 9903.76.01 10% on 10000.00 = 1000.00\","
    );
    // T1: de minimis honoured (base 16.5% and IEEPA 25% relieved); T2 after 2025-08-28: refused,
    // 82.50 + 35% x 500 = 175.00.
    assert!(rows[2].contains(",0.00,0.00,0.00,"), "{}", rows[2]);
    assert!(rows[2].ends_with(",\"\","), "{}", rows[2]);
    assert!(rows[3].contains(",82.50,175.00,257.50,"), "{}", rows[3]);
    assert!(rows[3].ends_with(",de-minimis-refused"), "{}", rows[3]);
}
