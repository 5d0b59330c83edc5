//! The flow, parameter, list and surtax readers on every bundled file (row counts and the key
//! totals against SOURCES.md and the shared data README), and one small invalid fixture per error
//! message, each checked for the file, line and field it names.

use quid_core::{parse_date, Country, HsCode};
use quid_data::{flows, lists, params, summary, surtax, Bundle, DataError, Diagnostic};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};

fn bundle() -> Bundle {
    Bundle::at(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"))
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn hs(code: &str) -> HsCode {
    code.parse().expect("a valid HS code in the test")
}

fn date(d: &str) -> quid_core::Date {
    parse_date(d).expect("a valid date in the test")
}

/// Asserts `actual` (USD) is within 0.1% of `expected_bn` billions.
fn assert_bn(label: &str, actual: Decimal, expected_bn: f64) {
    let a = actual.to_f64().unwrap_or(f64::NAN) / 1e9;
    let off = (a - expected_bn).abs() / expected_bn;
    assert!(
        off < 0.001,
        "{label}: {a:.3} bn, expected {expected_bn} bn ({:.3}% off)",
        off * 100.0
    );
}

fn assert_close(label: &str, actual: f64, expected: f64) {
    let off = (actual - expected).abs() / expected;
    assert!(off < 0.001, "{label}: {actual}, expected {expected}");
}

// ---------------------------------------------------------------- bundled files

#[test]
fn bts_tables() {
    let b = bundle();
    let hs2 = flows::read_bts_hs2_annual(&b.bts_hs2_annual()).unwrap();
    assert_eq!(hs2.len(), 1_862);
    assert_eq!(hs2.iter().map(|r| r.year).min(), Some(2007));
    assert_eq!(hs2.iter().map(|r| r.year).max(), Some(2025));
    assert!(hs2.iter().all(|r| (1..=99).contains(&r.hs2)));

    let totals = flows::read_bts_annual_totals(&b.bts_annual_totals()).unwrap();
    assert_eq!(totals.len(), 897);
    // The mode totals add up to the HS2 table's totals.
    let by_mode: Decimal = totals
        .iter()
        .filter(|r| {
            r.year == 2024 && r.partner == Country::CA && r.direction == flows::Direction::Import
        })
        .map(|r| r.value)
        .sum();
    let by_hs2: Decimal = hs2
        .iter()
        .filter(|r| r.year == 2024)
        .map(|r| r.us_imports_from_canada)
        .sum();
    assert_eq!(by_mode, by_hs2);
}

#[test]
fn census_tables() {
    let b = bundle();
    let hs10 = flows::read_census_hs10(&b.census_hs10_2024()).unwrap();
    assert_eq!(hs10.len(), 18_626);
    let crude = hs10.iter().filter(|r| r.hs10.starts_with(&hs("2709")));
    let crude: Decimal = crude.filter_map(|r| r.value(Country::CA)).sum();
    assert_bn("crude oil 2709 from Canada", crude, 96.4);
    assert_eq!(hs10[0].value(Country::US), None);
    assert!(hs10[0].value(flows::Partner::World).is_some());

    let hs2 = flows::read_census_hs2(&b.census_hs2_2024()).unwrap();
    assert_eq!(hs2.len(), 96);
    let sum2: Decimal = hs2.iter().filter_map(|r| r.value(Country::CN)).sum();
    let sum10: Decimal = hs10.iter().filter_map(|r| r.value(Country::CN)).sum();
    assert_eq!(sum2, sum10);
    assert_bn("Census imports from China", sum2, 418.0);
}

#[test]
fn usmca_monthly_files() {
    let m = flows::read_usmca_monthly(&bundle().usmca_monthly_dir()).unwrap();
    assert_eq!(m.len(), 14);
    for month in 1..=12 {
        let f = m.get(2025, month).unwrap();
        assert_eq!(f.rows.len(), 40_260, "2025-{month:02}");
    }
    for month in 1..=2 {
        let f = m.get(2026, month).unwrap();
        assert_eq!(f.rows.len(), 16_569, "2026-{month:02}");
        assert_eq!(
            f.rows.iter().filter(|r| r.partner == Country::CA).count(),
            9_192
        );
    }
    let feb = m.get(2026, 2).unwrap();
    let row = feb.get(&hs("0101210010"), Country::CA).unwrap();
    assert_eq!(row.total_value, Decimal::from(81_219));
    assert_eq!(row.usmca_value, Decimal::from(79_061));
}

#[test]
fn parameter_tables() {
    let b = bundle();
    let s24 = params::read_usmca_shares(&b.usmca_shares(2024)).unwrap();
    let s25 = params::read_usmca_shares(&b.usmca_shares(2025)).unwrap();
    assert_eq!((s24.0.rows(), s25.0.rows()), (40_088, 40_258));
    assert_eq!(
        s25.get(&hs("0101210010"), Country::CA),
        Some(0.7005666754174974)
    );
    assert_eq!(s25.get(&hs("0101210010"), Country::CN), None);

    let metal = params::read_metal_shares(&b.metal_content()).unwrap();
    assert_eq!(metal.0.rows(), 20_780);
    assert_eq!(
        metal.0.warnings().len(),
        1,
        "one note on the capped component shares"
    );
    for (_, c) in metal.0.iter() {
        let s = c.share;
        for v in [s.steel, s.aluminum, s.copper, s.other, s.total] {
            assert!((0.0..=1.0).contains(&v));
        }
    }
    let ore = metal.content(&hs("2601200000")).unwrap();
    assert!(ore.capped && ore.share.steel == 1.0);

    let gtap = params::read_gtap_crosswalk(&b.gtap_crosswalk()).unwrap();
    assert_eq!(gtap.0.rows(), 18_700);
    assert_eq!(gtap.sector(&hs("0101210010")), Some("ctl"));

    let codes = params::read_census_codes(&b.census_codes()).unwrap();
    assert_eq!(codes.0.rows(), 240);
    assert_eq!(
        (codes.name(1220), codes.name(2010)),
        (Some("Canada"), Some("Mexico"))
    );
}

#[test]
fn elasticities_and_concordance() {
    let b = bundle();
    let hauk = params::read_hauk(&b.elasticity("hauk2012_us_import_demand_elasticity_hs6.csv.gz"))
        .unwrap();
    assert_eq!(hauk.0.rows(), 4_259);
    let mut e: Vec<f64> = hauk.0.iter().map(|(_, v)| v.elasticity).collect();
    e.sort_by(f64::total_cmp);
    assert!(
        (e[e.len() / 2] - 0.93).abs() < 0.005,
        "median Hauk elasticity"
    );

    let bw = params::read_broda_weinstein(
        &b.elasticity("broda_weinstein_us_sigma_hts10_1990_2001.csv.gz"),
    )
    .unwrap();
    assert_eq!((bw.0.rows(), bw.0.len()), (13_972, 13_971));
    assert_eq!(bw.0.warnings().len(), 1, "2103204020 is listed twice");
    assert_eq!(bw.get(&hs("2103204020")), Some(66.702585));

    let protee = params::read_protee(&b.elasticity("cepii_protee_v0_1_hs6.csv")).unwrap();
    assert_eq!(protee.0.rows(), 5_050);

    let bgw = params::read_bgw_sigmas(
        &b.elasticity("broda_greenfield_weinstein_sigma_hs3_73countries.csv.gz"),
    )
    .unwrap();
    assert_eq!(bgw.table.rows(), 11_293);
    assert_eq!(
        (bgw.countries(), bgw.count_for("CAN"), bgw.count_for("USA")),
        (73, 166, 168)
    );
    assert_eq!(bgw.country_name("CAN"), Some("Canada"));
    assert_eq!(bgw.get("AUS", 10), Some(25.031897));
    assert_eq!(bgw.for_code("AUS", &hs("0101.21")), Some(25.031897));

    let conc = params::read_hs_concordance(&b.concordance("hs2022_to_hs1992_6digit.csv")).unwrap();
    assert_eq!(conc.0.rows(), 5_613);
    assert_eq!(conc.hs1992(&hs("0101.21.00.10")), Some(hs("010111")));
}

#[test]
fn bundled_lists() {
    let b = bundle();
    let expected = [
        ("s232_derivative_products.csv", 568),
        ("s232_annex_products.csv", 799),
        ("s232_subdivision_r_products.csv", 8),
        ("s232_auto_parts.csv", 129), // less heading 8471 (data/SOURCES.md)
        ("s232_mhd_parts.csv", 182),
        ("s232_copper_products.csv", 80),
        ("s232_semi_products.csv", 10),
        ("s232_programs_prefixes.csv", 85),
        ("ieepa_exempt_products.csv", 4_297),
        ("fentanyl_carveout_products.csv", 308),
        ("s232_base_scope_steel_aluminum_hts10_2025basic.csv", 812),
    ];
    assert_eq!(lists::bundled_lists().len(), expected.len());
    for (file, rows) in expected {
        let spec = lists::bundled(file).unwrap();
        let list = lists::read_bundled_list(&b, spec).unwrap();
        assert_eq!(list.rows(), rows, "{file}");
    }

    let derivatives =
        lists::read_bundled_list(&b, lists::bundled("s232_derivative_products.csv").unwrap())
            .unwrap();
    let both = derivatives.matches_all(&hs("0402.99.68.00"));
    let kinds: Vec<_> = both.iter().filter_map(|e| e.category.as_deref()).collect();
    assert_eq!(
        kinds,
        ["aluminum", "steel"],
        "file order among equal prefixes"
    );

    let programs =
        lists::read_bundled_list(&b, lists::bundled("s232_programs_prefixes.csv").unwrap())
            .unwrap();
    assert_eq!(
        (programs.len(), programs.notes().len()),
        (83, 2),
        "two blank prefixes noted"
    );
    let car = programs.matches(&hs("8703.23.01.90")).unwrap();
    assert_eq!(
        (car.category.as_deref(), car.prefix),
        (Some("autos_passenger"), hs("870323"))
    );
    assert_eq!(
        programs
            .matches(&hs("7208.10.15.00"))
            .unwrap()
            .category
            .as_deref(),
        Some("base_steel")
    );
    assert!(programs.matches(&hs("0101.21.00.10")).is_none());

    let ieepa =
        lists::read_bundled_list(&b, lists::bundled("ieepa_exempt_products.csv").unwrap()).unwrap();
    assert_eq!(ieepa.notes().len(), 1, "850511007000 cut to ten digits");
    assert!(ieepa.contains(&hs("8505.11.00.70")));
}

#[test]
fn surtax_orders_and_remission() {
    let b = bundle();
    let orders = surtax::read_surtax_orders(&b.ca_surtax_orders()).unwrap();
    assert_eq!(orders.items.len(), 2_237);
    assert_eq!(
        orders.notes.len(),
        1,
        "SOR/2025-95's first version states its last day"
    );
    // Every row of SOR/2025-66 and of SOR/2025-95's first version ends with 2025-08-31.
    let until = date("2025-09-01");
    assert!(orders
        .items
        .iter()
        .filter(|i| i.in_force.from < until)
        .all(|i| i.order == "SOR/2025-118" || i.in_force.until == Some(until)));
    assert_eq!(
        orders.in_force_on(date("2025-05-01")).count(),
        1_270 + 553 + 32
    );
    assert_eq!(
        orders.in_force_on(date("2025-08-31")).count(),
        1_270 + 553 + 32
    );
    assert_eq!(orders.in_force_on(date("2025-09-01")).count(), 382 + 32);
    // One version of the steel item 7208.10.00 applies each day around the change.
    for d in ["2025-08-31", "2025-09-01"] {
        assert_eq!(
            orders.applying_to(&hs("7208.10.00.00"), date(d)).count(),
            1,
            "{d}"
        );
    }
    assert!(orders
        .items
        .iter()
        .any(|i| i.tariff_item == hs("9804.30.00")));
    assert_eq!(orders.years(), Some((2025, 2025)));

    let remission = surtax::read_remission_items(&b.ca_remission_items()).unwrap();
    assert_eq!(remission.len(), 586);
    assert_eq!(
        remission
            .iter()
            .filter(|r| r.classification.level() == 10)
            .count(),
        245
    );
}

#[test]
fn check_bundle_reads_everything() {
    let (files, problems) = summary::check_bundle(&bundle());
    assert!(problems.is_empty(), "{:?}", problems.items);
    assert_eq!(files.len(), 4 + 14 + 6 + 5 + 11 + 2);
    for f in &files {
        println!(
            "{:<60} {:>7} {:?} {}",
            f.path.file_name().unwrap().to_string_lossy(),
            f.rows,
            f.years,
            f.note
        );
        assert!(f.rows > 0, "{}", f.path.display());
    }
    let warnings: usize = files.iter().map(|f| f.warnings.len()).sum();
    assert_eq!(
        warnings, 6,
        "metal cap, BW duplicate, IEEPA repair, 2 blank program rows, surtax end"
    );
}

#[test]
fn key_totals_match_published_figures() {
    let k = summary::key_totals(&bundle()).unwrap();
    println!("{k}");
    assert_bn("BTS imports from Canada", k.bts_imports_from_canada, 412.7);
    assert_bn("BTS imports from Mexico", k.bts_imports_from_mexico, 505.9);
    assert_bn("BTS exports to Canada", k.bts_exports_to_canada, 348.5);
    assert_bn("Census imports from Canada", k.census_imports_canada, 392.5);
    assert_bn("Census imports from Mexico", k.census_imports_mexico, 491.6);
    assert_bn(
        "Census imports from the world",
        k.census_imports_world,
        3_124.0,
    );
    assert_close(
        "USMCA share, 2024 shares",
        k.usmca_canada_2024_shares.share,
        0.399,
    );
    assert_close(
        "USMCA share, 2025 shares",
        k.usmca_canada_2025_shares.share,
        0.701,
    );
    assert_eq!(k.usmca_canada_2024_shares.coverage(), 1.0);
    let top: Vec<u8> = k.top_chapters_canada.iter().map(|c| c.hs2).collect();
    assert_eq!(top.len(), 10);
    assert_eq!(top[..2], [27, 87]);
    assert_bn("HS 27 from Canada", k.top_chapters_canada[0].value, 124.9);
}

#[test]
fn list_matcher_on_a_fixture() {
    let cols = lists::bundled("s232_derivative_products.csv")
        .unwrap()
        .columns;
    let list = lists::read_prefix_list(&fixture("list_prefixes.csv"), &cols).unwrap();
    assert_eq!((list.rows(), list.len(), list.notes().len()), (6, 5, 2));
    assert_eq!(
        list.matches(&hs("7308.90.30.00")).unwrap().line,
        4,
        "longest prefix, first in file"
    );
    assert_eq!(list.matches_all(&hs("7308.90.30.00")).len(), 2);
    assert_eq!(
        list.matches(&hs("7308.10.00.00")).unwrap().prefix,
        hs("7308")
    );
    assert_eq!(list.matches(&hs("7301.10.00.00")).unwrap().prefix, hs("73"));
    assert_eq!(
        list.matches(&hs("7308")).unwrap().prefix,
        hs("7308"),
        "an 8-digit prefix does not cover a heading"
    );
    assert!(list.matches(&hs("7400")).is_none());
    assert_eq!(
        list.matches(&hs("8505110070")).unwrap().category.as_deref(),
        Some("other")
    );
}

#[test]
fn surtax_versions_meet_without_a_gap() {
    let o = surtax::read_surtax_orders(&fixture("surtax_versions.csv")).unwrap();
    assert_eq!(o.notes.len(), 1);
    assert_eq!(o.notes[0].line, Some(2));
    assert_eq!(o.items[0].in_force.until, Some(date("2025-09-01")));
    assert_eq!(
        o.items[2].in_force.until,
        Some(date("2025-09-01")),
        "a repeal date stays as it is"
    );
    assert_eq!(o.items[2].tariff_item, hs("9804.30.00"));
}

// ---------------------------------------------------------------- invalid fixtures

/// The diagnostics of an error, asserting the first names the file and a line.
fn diags(e: DataError, file: &str) -> Vec<Diagnostic> {
    let d = e.diagnostics();
    assert!(!d.is_empty());
    for x in &d {
        assert!(x.file.ends_with(file), "{x}");
    }
    d
}

/// Asserts one diagnostic names `line` and `field` and says `what`.
fn assert_names(d: &Diagnostic, line: u64, field: Option<&str>, what: &str) {
    let text = d.to_string();
    assert_eq!(d.line, Some(line), "{text}");
    assert_eq!(d.field.as_deref(), field, "{text}");
    assert!(text.contains(what), "{text:?} should say {what:?}");
    assert!(text.contains(&format!(":{line}")), "{text}");
    if let Some(f) = field {
        assert!(text.contains(&format!(": field {f}: ")), "{text}");
    }
}

#[test]
fn bad_hs_code() {
    let e = flows::read_census_hs10(&fixture("census_hs10_bad_code.csv")).unwrap_err();
    let d = diags(e, "census_hs10_bad_code.csv");
    assert_eq!(d.len(), 1);
    assert_names(
        &d[0],
        3,
        Some("hs10"),
        "\"010121002\" is not a 10-digit HS code",
    );
}

#[test]
fn every_bad_row_is_reported() {
    let e = flows::read_census_hs10(&fixture("census_hs10_many_bad.csv")).unwrap_err();
    assert!(matches!(e, DataError::Many(_)));
    let d = diags(e, "census_hs10_many_bad.csv");
    assert_eq!(d.len(), 3);
    assert_names(
        &d[0],
        3,
        Some("imports_world_usd"),
        "\"abc\" is not a non-negative amount",
    );
    assert_names(
        &d[1],
        4,
        Some("imports_canada_usd"),
        "-5 is not a non-negative amount",
    );
    assert_names(&d[2], 5, Some("hs10"), "is not a 10-digit HS code");
}

#[test]
fn share_out_of_range() {
    let e = params::read_usmca_shares(&fixture("usmca_shares_out_of_range.csv")).unwrap_err();
    let d = diags(e, "usmca_shares_out_of_range.csv");
    assert_names(
        &d[0],
        3,
        Some("usmca_share"),
        "1.5 is out of range; expected a share between 0 and 1",
    );

    let e = params::read_metal_shares(&fixture("metal_negative.csv")).unwrap_err();
    let d = diags(e, "metal_negative.csv");
    assert_eq!(
        d.len(),
        1,
        "the 1.19 steel share on line 2 is capped, not an error"
    );
    assert_names(&d[0], 3, Some("steel_share"), "-0.1 is out of range");
}

#[test]
fn bad_date() {
    let e = surtax::read_surtax_orders(&fixture("surtax_bad_date.csv")).unwrap_err();
    let d = diags(e, "surtax_bad_date.csv");
    assert_names(
        &d[0],
        3,
        Some("in_force_from"),
        "\"2025-02-30\" is not a date; expected YYYY-MM-DD",
    );

    let e = surtax::read_surtax_orders(&fixture("surtax_ends_before_start.csv")).unwrap_err();
    let d = diags(e, "surtax_ends_before_start.csv");
    assert_names(
        &d[0],
        2,
        Some("in_force_to"),
        "ends (2025-03-04) before it starts (2025-09-01)",
    );
}

#[test]
fn missing_column() {
    let e = flows::read_bts_hs2_annual(&fixture("bts_hs2_missing_column.csv")).unwrap_err();
    let d = diags(e, "bts_hs2_missing_column.csv");
    assert_names(
        &d[0],
        1,
        None,
        "missing column(s) us_imports_from_mexico_usd",
    );
}

#[test]
fn malformed_row() {
    let e = flows::read_bts_hs2_annual(&fixture("bts_hs2_malformed_row.csv")).unwrap_err();
    let d = diags(e, "bts_hs2_malformed_row.csv");
    assert_eq!(d.len(), 2);
    assert_names(&d[0], 3, None, "malformed CSV record");
    assert_names(
        &d[1],
        4,
        Some("hs2"),
        "\"100\" is not an HS chapter of two digits",
    );
}

#[test]
fn odd_prefix_in_a_list() {
    let cols = lists::bundled("s232_derivative_products.csv")
        .unwrap()
        .columns;
    let e = lists::read_prefix_list(&fixture("list_odd_prefix.csv"), &cols).unwrap_err();
    let d = diags(e, "list_odd_prefix.csv");
    assert_eq!(d.len(), 2, "{d:?}");
    assert_names(
        &d[0],
        3,
        Some("hts_prefix"),
        "\"7308903\" is not an HTS prefix of 2, 4, 6, 8 or 10 digits",
    );
    assert_names(
        &d[1],
        6,
        Some("effective_date"),
        "\"2025-13-01\" is not a date",
    );
}

#[test]
fn monthly_file_rows_and_name() {
    let e = flows::read_usmca_month(&fixture("usmca_product_shares_2025_01.csv")).unwrap_err();
    let d = diags(e, "usmca_product_shares_2025_01.csv");
    assert_eq!(d.len(), 2);
    assert_names(&d[0], 3, Some("usmca_value"), "150 exceeds total_value 100");
    assert_names(
        &d[1],
        4,
        Some("cty_code"),
        "\"9999\" is not a Census country code",
    );

    let e = flows::read_usmca_month(&fixture("usmca_product_shares_2025_13.csv")).unwrap_err();
    let d = diags(e, "usmca_product_shares_2025_13.csv");
    assert!(
        d[0].message
            .contains("is not usmca_product_shares_YYYY_MM.csv.gz"),
        "{}",
        d[0]
    );
}

/// Regression: a file with CRLF line ends (as Windows tools and many agency downloads write
/// them) had every diagnostic one line short, because the CSV reader's own line count was used.
#[test]
fn crlf_files_report_the_physical_line() {
    let dir = std::env::temp_dir().join(format!("quid-crlf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let crlf = |name: &str| {
        let text = std::fs::read_to_string(fixture(name)).expect("fixture");
        let path = dir.join(name);
        std::fs::write(&path, text.replace("\r\n", "\n").replace('\n', "\r\n")).expect("write");
        path
    };
    let e = flows::read_census_hs10(&crlf("census_hs10_many_bad.csv")).unwrap_err();
    let d = diags(e, "census_hs10_many_bad.csv");
    assert_eq!(d.len(), 3);
    assert_names(
        &d[0],
        3,
        Some("imports_world_usd"),
        "is not a non-negative amount",
    );
    assert_names(
        &d[1],
        4,
        Some("imports_canada_usd"),
        "is not a non-negative amount",
    );
    assert_names(&d[2], 5, Some("hs10"), "is not a 10-digit HS code");
    let e = flows::read_bts_hs2_annual(&crlf("bts_hs2_malformed_row.csv")).unwrap_err();
    let d = diags(e, "bts_hs2_malformed_row.csv");
    assert_names(&d[0], 3, None, "malformed CSV record");
    assert_names(&d[1], 4, Some("hs2"), "is not an HS chapter of two digits");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The editions are read from the dates of `data/params/law.toml`: the latest in force, or
/// Canada's 2026 edition standing in for 2025; before any, an error that says so.
#[test]
fn editions_follow_the_law_file_s_dates() {
    use quid_data::reference::BundleReference;
    use quid_engine::Reference;
    let s = quid_data::Schedules::load_bundled(&bundle()).unwrap();
    let pick = |importer, d: &str| {
        s.for_date(importer, date(d))
            .map(|c| (c.schedule.edition.clone(), c.stand_in))
    };
    assert_eq!(
        pick(Country::US, "2025-07-01").unwrap(),
        ("2025 basic".to_string(), true)
    );
    assert_eq!(
        pick(Country::US, "2026-06-08").unwrap(),
        ("2026 rev 10".to_string(), false)
    );
    assert!(pick(Country::CA, "2025-05-01").unwrap().1);
    assert!(!pick(Country::CA, "2026-03-01").unwrap().1);
    let e = pick(Country::CA, "2024-12-31").unwrap_err();
    assert!(e.is_before_first_edition(), "{e}");
    assert_eq!(
        e.to_string(),
        "no CA schedule in force on 2024-12-31: the earliest bundled edition starts 2026-01-01"
    );
    assert!(pick(Country::MX, "2025-07-01")
        .unwrap_err()
        .is_unknown_importer());
    let metal = params::read_metal_shares(&bundle().metal_content()).unwrap();
    let r = BundleReference::new(s, &metal);
    let e = quid_engine::Entry::new(
        Country::US,
        Country::CA,
        hs("9999.99.99"),
        date("2025-07-01"),
        Decimal::from(1),
    );
    let err = r.base_rate(&e).unwrap_err();
    assert!(err.is_no_line(), "{err}");
}
