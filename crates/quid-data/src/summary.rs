//! The bundle check: runs every reader on the bundled files and says, per file, how many rows it
//! read, which years they cover and what was noticed; and the key 2024 totals that tie the
//! bundle to published figures (US imports from Canada US$412.7 bn, USMCA-claimed share 39.9%).
//!
//! Readers of other modules plug in as [`Check`]s: pass them to [`check_bundle_with`] (the HTS
//! and CBSA schedule checks belong there), or append to the result of [`check_bundle`].
//!
//! ```no_run
//! use quid_data::{summary, Bundle};
//! let bundle = Bundle::locate()?;
//! let (files, problems) = summary::check_bundle(&bundle);
//! for f in &files {
//!     println!("{}: {} rows. {}", f.path.display(), f.rows, f.note);
//! }
//! println!("{}", summary::key_totals(&bundle)?);
//! assert!(problems.is_empty());
//! # Ok::<(), quid_data::DataError>(())
//! ```

use crate::bundle::Bundle;
use crate::error::{DataError, Diagnostic, Diagnostics};
use crate::flows::{self, Hs2Trade};
use crate::lists;
use crate::params::{self, Table, WeightedShare};
use crate::surtax;
use quid_core::Country;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::fmt;
use std::path::{Path, PathBuf};

/// What the check found in one file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileSummary {
    pub path: PathBuf,
    /// Data rows read (header excluded).
    pub rows: usize,
    /// First and last year the rows cover, when they are dated.
    pub years: Option<(i32, i32)>,
    pub note: String,
    /// Problems that did not stop the read: repairs, duplicates, skipped rows.
    pub warnings: Vec<Diagnostic>,
}

impl FileSummary {
    pub fn new(
        path: &Path,
        rows: usize,
        years: Option<(i32, i32)>,
        note: impl Into<String>,
    ) -> Self {
        FileSummary {
            path: path.to_path_buf(),
            rows,
            years,
            note: note.into(),
            warnings: Vec::new(),
        }
    }

    /// The same summary with these warnings (their count is added to the note; `data check`
    /// lists each).
    pub fn with_warnings(mut self, warnings: &[Diagnostic]) -> Self {
        if !warnings.is_empty() {
            let n = warnings.len();
            self.note = format!(
                "{}; {n} warning{} (listed below the table)",
                self.note,
                if n == 1 { "" } else { "s" }
            );
        }
        self.warnings = warnings.to_vec();
        self
    }
}

/// A check of some bundled files: one summary per file, problems into the collector.
pub type Check = fn(&Bundle, &mut Diagnostics) -> Vec<FileSummary>;

/// The checks of this crate's flow, parameter, list and surtax readers, in display order.
pub const CHECKS: [Check; 6] = [
    check_flows,
    check_usmca_monthly,
    check_params,
    check_elasticities,
    check_lists,
    check_surtax,
];

/// Runs every reader of [`CHECKS`] on the bundled files.
pub fn check_bundle(bundle: &Bundle) -> (Vec<FileSummary>, Diagnostics) {
    check_bundle_with(bundle, &[])
}

/// Runs [`CHECKS`], then the `extra` checks (e.g. the HTS and CBSA schedules).
pub fn check_bundle_with(bundle: &Bundle, extra: &[Check]) -> (Vec<FileSummary>, Diagnostics) {
    let mut problems = Diagnostics::default();
    let files = CHECKS
        .iter()
        .chain(extra)
        .flat_map(|check| check(bundle, &mut problems))
        .collect();
    (files, problems)
}

/// Runs one reader on one file. When it fails, the summary says so and its problems go to
/// `problems`.
pub fn check_file(
    path: PathBuf,
    problems: &mut Diagnostics,
    read: impl FnOnce(&Path) -> Result<FileSummary, DataError>,
) -> FileSummary {
    read(&path).unwrap_or_else(|e| {
        problems.extend_from(&e);
        let n = e.diagnostics().len();
        FileSummary::new(&path, 0, None, format!("not read: {n} problem(s)"))
    })
}

fn year_span(years: impl IntoIterator<Item = i32>) -> Option<(i32, i32)> {
    years.into_iter().fold(None, |acc, y| {
        Some(acc.map_or((y, y), |(a, b)| (a.min(y), b.max(y))))
    })
}

/// US dollars in billions with one decimal, `412.7`.
fn bn(v: Decimal) -> String {
    (v / Decimal::from(1_000_000_000)).round_dp(1).to_string()
}

fn check_flows(bundle: &Bundle, problems: &mut Diagnostics) -> Vec<FileSummary> {
    vec![
        check_file(bundle.bts_hs2_annual(), problems, |p| {
            let rows = flows::read_bts_hs2_annual(p)?;
            let chapters = rows
                .iter()
                .map(|r| r.hs2)
                .collect::<std::collections::BTreeSet<_>>()
                .len();
            let years = year_span(rows.iter().map(|r| r.year));
            Ok(FileSummary::new(
                p,
                rows.len(),
                years,
                format!("{chapters} HS2 chapters a year"),
            ))
        }),
        check_file(bundle.bts_annual_totals(), problems, |p| {
            let rows = flows::read_bts_annual_totals(p)?;
            let years = year_span(rows.iter().map(|r| r.year));
            Ok(FileSummary::new(
                p,
                rows.len(),
                years,
                "by partner, mode and direction",
            ))
        }),
        check_file(bundle.census_hs10_2024(), problems, |p| {
            let rows = flows::read_census_hs10(p)?;
            let world: Decimal = rows.iter().map(|r| r.values.world).sum();
            let note = format!("world US${} bn", bn(world));
            Ok(FileSummary::new(p, rows.len(), Some((2024, 2024)), note))
        }),
        check_file(bundle.census_hs2_2024(), problems, |p| {
            let rows = flows::read_census_hs2(p)?;
            let canada: Decimal = rows.iter().map(|r| r.values.canada).sum();
            let note = format!("Canada US${} bn", bn(canada));
            Ok(FileSummary::new(p, rows.len(), Some((2024, 2024)), note))
        }),
    ]
}

fn check_usmca_monthly(bundle: &Bundle, problems: &mut Diagnostics) -> Vec<FileSummary> {
    let files = match flows::usmca_month_files(&bundle.usmca_monthly_dir()) {
        Ok(f) => f,
        Err(e) => {
            problems.extend_from(&e);
            return Vec::new();
        }
    };
    files
        .into_iter()
        .map(|path| {
            check_file(path, problems, |p| {
                let m = flows::read_usmca_month(p)?;
                Ok(FileSummary::new(
                    p,
                    m.rows.len(),
                    Some((m.year, m.year)),
                    month_note(&m),
                ))
            })
        })
        .collect()
}

fn month_note(m: &flows::UsmcaMonth) -> String {
    let part = |c: Country| {
        let (total, claimed) = (m.total(c), m.claimed(c));
        let share = ratio(claimed, total) * 100.0;
        format!("{c} US${} bn, {share:.1}% USMCA", bn(total))
    };
    format!(
        "{}-{:02}: {}; {}",
        m.year,
        m.month,
        part(Country::CA),
        part(Country::MX)
    )
}

fn ratio(a: Decimal, b: Decimal) -> f64 {
    let b = b.to_f64().unwrap_or(0.0);
    if b > 0.0 {
        a.to_f64().unwrap_or(0.0) / b
    } else {
        0.0
    }
}

/// A summary of a lookup table: rows read, distinct keys, warnings.
fn table_summary<K: Eq + std::hash::Hash, V>(
    t: &Table<K, V>,
    years: Option<(i32, i32)>,
    what: &str,
) -> FileSummary {
    let note = format!("{} {what}", t.len());
    FileSummary::new(&t.path, t.rows(), years, note).with_warnings(t.warnings())
}

fn check_params(bundle: &Bundle, problems: &mut Diagnostics) -> Vec<FileSummary> {
    let mut out: Vec<FileSummary> = [2024, 2025]
        .into_iter()
        .map(|year| {
            check_file(bundle.usmca_shares(year), problems, |p| {
                let t = params::read_usmca_shares(p)?;
                let y = Some((i32::from(year), i32::from(year)));
                Ok(table_summary(&t.0, y, "HTS10 x partner shares"))
            })
        })
        .collect();
    out.push(check_file(bundle.law(), problems, |p| {
        let (parameters, values) = crate::law::counts(&crate::law::read_law(p)?);
        Ok(FileSummary::new(
            p,
            values,
            None,
            format!("{parameters} law parameters, {values} dated and cited values"),
        ))
    }));
    out.push(check_file(bundle.metal_content(), problems, |p| {
        Ok(table_summary(
            &params::read_metal_shares(p)?.0,
            None,
            "HS10 metal-content shares",
        ))
    }));
    out.push(check_file(bundle.gtap_crosswalk(), problems, |p| {
        let t = params::read_gtap_crosswalk(p)?;
        let unmapped = t.0.iter().filter(|(_, e)| e.gtap.is_none()).count();
        let s = table_summary(&t.0, None, "HS10 lines");
        Ok(FileSummary {
            note: format!("{}; {unmapped} without a GTAP sector (NA)", s.note),
            ..s
        })
    }));
    out.push(check_file(bundle.census_codes(), problems, |p| {
        Ok(table_summary(
            &params::read_census_codes(p)?.0,
            None,
            "country codes",
        ))
    }));
    out
}

fn check_elasticities(bundle: &Bundle, problems: &mut Diagnostics) -> Vec<FileSummary> {
    let e = |name: &str| bundle.elasticity(name);
    vec![
        check_file(
            e("hauk2012_us_import_demand_elasticity_hs6.csv.gz"),
            problems,
            |p| {
                Ok(table_summary(
                    &params::read_hauk(p)?.0,
                    Some((1978, 2001)),
                    "HS6 elasticities",
                ))
            },
        ),
        check_file(
            e("broda_weinstein_us_sigma_hts10_1990_2001.csv.gz"),
            problems,
            |p| {
                Ok(table_summary(
                    &params::read_broda_weinstein(p)?.0,
                    Some((1990, 2001)),
                    "HTS10 sigmas",
                ))
            },
        ),
        check_file(e("cepii_protee_v0_1_hs6.csv"), problems, |p| {
            Ok(table_summary(
                &params::read_protee(p)?.0,
                None,
                "HS6 elasticities",
            ))
        }),
        check_file(
            e("broda_greenfield_weinstein_sigma_hs3_73countries.csv.gz"),
            problems,
            |p| {
                let t = params::read_bgw_sigmas(p)?;
                let what = format!(
                    "country x HS3 sigmas, {} countries (CAN {}, USA {})",
                    t.countries(),
                    t.count_for("CAN"),
                    t.count_for("USA")
                );
                Ok(table_summary(&t.table, Some((1994, 2003)), &what))
            },
        ),
        check_file(
            bundle.concordance("hs2022_to_hs1992_6digit.csv"),
            problems,
            |p| {
                Ok(table_summary(
                    &params::read_hs_concordance(p)?.0,
                    None,
                    "HS2022 subheadings",
                ))
            },
        ),
    ]
}

fn check_lists(bundle: &Bundle, problems: &mut Diagnostics) -> Vec<FileSummary> {
    lists::bundled_lists()
        .iter()
        .map(|l| {
            check_file(bundle.us_list(l.file), problems, |_| {
                let list = lists::read_bundled_list(bundle, l)?;
                let years = year_span(
                    list.entries()
                        .iter()
                        .filter_map(|e| e.effective)
                        .map(|d| i32::from(d.year())),
                );
                let note = format!("{} prefixes (column {})", list.len(), l.columns.prefix);
                Ok(FileSummary::new(&list.path, list.rows(), years, note)
                    .with_warnings(list.notes()))
            })
        })
        .collect()
}

fn check_surtax(bundle: &Bundle, problems: &mut Diagnostics) -> Vec<FileSummary> {
    vec![
        check_file(bundle.ca_surtax_orders(), problems, |p| {
            let o = surtax::read_surtax_orders(p)?;
            let orders = o
                .items
                .iter()
                .map(|i| i.order.as_str())
                .collect::<std::collections::BTreeSet<_>>();
            let note = format!("{} orders", orders.len());
            Ok(FileSummary::new(p, o.items.len(), o.years(), note).with_warnings(&o.notes))
        }),
        check_file(bundle.ca_remission_items(), problems, |p| {
            let items = surtax::read_remission_items(p)?;
            let years = year_span(items.iter().map(|i| i32::from(i.consolidated.year())));
            Ok(FileSummary::new(
                p,
                items.len(),
                years,
                "SOR/2025-122 classification numbers",
            ))
        }),
    ]
}

/// One HS2 chapter's share of a year's imports.
#[derive(Debug, Clone, PartialEq)]
pub struct ChapterTotal {
    pub hs2: u8,
    pub commodity: String,
    pub value: Decimal,
    /// Share of the year's total.
    pub share: f64,
}

/// The 2024 totals that tie the bundle to published figures (USD).
#[derive(Debug, Clone, PartialEq)]
pub struct KeyTotals {
    pub year: i32,
    /// US general imports from Canada (BTS TransBorder), about US$412.7 bn.
    pub bts_imports_from_canada: Decimal,
    /// US general imports from Mexico (BTS), about US$505.9 bn.
    pub bts_imports_from_mexico: Decimal,
    /// US exports to Canada (BTS), about US$348.5 bn.
    pub bts_exports_to_canada: Decimal,
    /// Census imports for consumption, chapters 01–97: Canada about US$392.5 bn.
    pub census_imports_canada: Decimal,
    /// Mexico, about US$491.6 bn.
    pub census_imports_mexico: Decimal,
    /// World, about US$3,124 bn.
    pub census_imports_world: Decimal,
    /// USMCA-claimed share of 2024 imports from Canada with the 2024 shares (about 39.9%).
    pub usmca_canada_2024_shares: WeightedShare,
    /// The same with the 2025 shares (about 70.1%; lines with no 2025 share are left out).
    pub usmca_canada_2025_shares: WeightedShare,
    /// The ten largest HS2 chapters of US general imports from Canada (BTS).
    pub top_chapters_canada: Vec<ChapterTotal>,
}

/// Computes [`KeyTotals`] for 2024 from the bundled files.
pub fn key_totals(bundle: &Bundle) -> Result<KeyTotals, DataError> {
    const YEAR: i32 = 2024;
    let bts: Vec<Hs2Trade> = flows::read_bts_hs2_annual(&bundle.bts_hs2_annual())?
        .into_iter()
        .filter(|r| r.year == YEAR)
        .collect();
    if bts.is_empty() {
        let msg = format!("no rows for {YEAR}; expected the year in the BTS HS2 table");
        return Err(DataError::at(
            bundle.bts_hs2_annual(),
            None,
            Some("year"),
            msg,
        ));
    }
    let census = flows::read_census_hs10(&bundle.census_hs10_2024())?;
    let shares24 = params::read_usmca_shares(&bundle.usmca_shares(2024))?;
    let shares25 = params::read_usmca_shares(&bundle.usmca_shares(2025))?;
    let census_sum =
        |c: flows::Partner| -> Decimal { census.iter().filter_map(|r| r.value(c)).sum() };
    Ok(KeyTotals {
        year: YEAR,
        bts_imports_from_canada: bts.iter().map(|r| r.us_imports_from_canada).sum(),
        bts_imports_from_mexico: bts.iter().map(|r| r.us_imports_from_mexico).sum(),
        bts_exports_to_canada: bts.iter().map(|r| r.us_exports_to_canada).sum(),
        census_imports_canada: census_sum(Country::CA.into()),
        census_imports_mexico: census_sum(Country::MX.into()),
        census_imports_world: census_sum(flows::Partner::World),
        usmca_canada_2024_shares: shares24.weighted_share(&census, Country::CA),
        usmca_canada_2025_shares: shares25.weighted_share(&census, Country::CA),
        top_chapters_canada: top_chapters(&bts, 10),
    })
}

fn top_chapters(rows: &[Hs2Trade], n: usize) -> Vec<ChapterTotal> {
    let total: Decimal = rows.iter().map(|r| r.us_imports_from_canada).sum();
    let mut sorted: Vec<&Hs2Trade> = rows.iter().collect();
    sorted.sort_by_key(|r| std::cmp::Reverse(r.us_imports_from_canada));
    sorted
        .into_iter()
        .take(n)
        .map(|r| ChapterTotal {
            hs2: r.hs2,
            commodity: r.commodity.clone(),
            value: r.us_imports_from_canada,
            share: ratio(r.us_imports_from_canada, total),
        })
        .collect()
}

impl fmt::Display for KeyTotals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} totals (US$ bn)", self.year)?;
        writeln!(
            f,
            "  US general imports from Canada (BTS)    {:>8}",
            bn(self.bts_imports_from_canada)
        )?;
        writeln!(
            f,
            "  US general imports from Mexico (BTS)    {:>8}",
            bn(self.bts_imports_from_mexico)
        )?;
        writeln!(
            f,
            "  US exports to Canada (BTS)              {:>8}",
            bn(self.bts_exports_to_canada)
        )?;
        writeln!(
            f,
            "  Imports for consumption, Canada (Census){:>8}",
            bn(self.census_imports_canada)
        )?;
        writeln!(
            f,
            "  Imports for consumption, Mexico (Census){:>8}",
            bn(self.census_imports_mexico)
        )?;
        writeln!(
            f,
            "  Imports for consumption, world (Census) {:>8}",
            bn(self.census_imports_world)
        )?;
        for (label, w) in [
            ("2024", &self.usmca_canada_2024_shares),
            ("2025", &self.usmca_canada_2025_shares),
        ] {
            writeln!(
                f,
                "  USMCA-claimed share from Canada, {label} shares: {:.1}% (lines covering {:.2}% of the value)",
                w.share * 100.0,
                w.coverage() * 100.0
            )?;
        }
        writeln!(f, "  Top chapters of imports from Canada (BTS):")?;
        for c in &self.top_chapters_canada {
            writeln!(
                f,
                "    {:02} {:<45} {:>7} {:>5.1}%",
                c.hs2,
                c.commodity,
                bn(c.value),
                c.share * 100.0
            )?;
        }
        Ok(())
    }
}
