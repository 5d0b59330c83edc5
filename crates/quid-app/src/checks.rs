//! Checks of the bundled data: every file through its reader (schedules, measures, flows,
//! parameters), with a summary row per file, the 2024 key totals and every problem found; and
//! the measure files alone.
//!
//! The measure-file check: the number of measure records when every file reads and compiles,
//! else every problem:
//!
//! ```
//! use quid_app::{checks, App};
//!
//! let data = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
//! let app = App::new(Some(data), quid_core::parse_date("2026-12-06").unwrap()).unwrap();
//! let checked = checks::measures(&app).unwrap();
//! // The bundled files have no problem; the count is that of the bundled records, unverified
//! // ones included (`app.policy(true)` compiles the same files).
//! let policy = app.policy(true).unwrap();
//! assert_eq!(checked.unwrap(), policy.all_measures().count());
//! ```

use crate::table::Table;
use crate::{App, Result};
use quid_data::summary::{check_bundle_with, key_totals, FileSummary, KeyTotals};
use quid_data::{Bundle, Diagnostics, Schedules};

/// The schedules (both HTS editions, the CBSA sample, the revision table) as a check.
fn check_schedules(bundle: &Bundle, problems: &mut Diagnostics) -> Vec<FileSummary> {
    match Schedules::load_bundled(bundle) {
        Ok(s) => {
            let mut out: Vec<FileSummary> =
                s.us.iter()
                    .chain(s.ca.iter())
                    .map(|sch| {
                        FileSummary::new(
                            &sch.source,
                            sch.lines().len(),
                            Some((
                                i32::from(sch.effective.year()),
                                i32::from(sch.effective.year()),
                            )),
                            format!(
                                "{} {}: {} of {} rate texts understood ({:.3}%)",
                                sch.importer,
                                sch.edition,
                                sch.stats.understood,
                                sch.stats.rate_strings,
                                sch.stats.share() * 100.0
                            ),
                        )
                    })
                    .collect();
            out.push(FileSummary::new(
                &bundle.hts_revisions(),
                s.revisions.revisions.len(),
                Some((2025, 2026)),
                "HTS revisions and their effective dates",
            ));
            out
        }
        Err(e) => {
            problems.extend_from(&e);
            vec![FileSummary::new(
                &bundle.hts_2025_basic(),
                0,
                None,
                "schedules not read",
            )]
        }
    }
}

/// The measure files, compiled with their list references, and their sources, as a check.
fn check_measures(bundle: &Bundle, problems: &mut Diagnostics) -> Vec<FileSummary> {
    match quid_data::measures::check_policy(bundle) {
        Ok(p) => vec![FileSummary::new(
            &bundle.measures_dir(),
            p.all_measures().count(),
            Some((2025, 2026)),
            "measure records, compiled",
        )],
        Err(e) => {
            problems.extend_from(&e);
            vec![FileSummary::new(
                &bundle.measures_dir(),
                0,
                None,
                "measures not compiled",
            )]
        }
    }
}

/// What `data check` found.
pub struct DataCheckReport {
    /// One row per file: file (relative to the data folder), rows, years, note.
    pub files: Table,
    pub totals: std::result::Result<KeyTotals, quid_data::DataError>,
    /// Every problem, each naming its file, line and field.
    pub problems: Vec<quid_core::Problem>,
}

impl DataCheckReport {
    /// No problem anywhere.
    pub fn ok(&self) -> bool {
        self.problems.is_empty() && self.totals.is_ok()
    }
}

/// Reads every bundled file through its reader.
pub fn data(app: &App) -> DataCheckReport {
    let bundle = &app.bundle;
    let (files, problems) = check_bundle_with(bundle, &[check_schedules, check_measures]);
    let mut t = Table::new(["file", "rows", "years", "note"]);
    for f in &files {
        let rel = f
            .path
            .strip_prefix(&bundle.root)
            .unwrap_or(&f.path)
            .display()
            .to_string();
        t.push([
            rel,
            f.rows.to_string(),
            f.years
                .map(|(a, b)| {
                    if a == b {
                        a.to_string()
                    } else {
                        format!("{a}-{b}")
                    }
                })
                .unwrap_or_default(),
            f.note.clone(),
        ]);
    }
    DataCheckReport {
        files: t,
        totals: key_totals(bundle),
        problems: problems
            .items
            .iter()
            .map(|d| d.problem(quid_core::Check::DataFile))
            .collect(),
    }
}

/// What `measures check` found: the number of valid measures, or every problem (of a record,
/// or of its sources and wording: [`quid_engine::sources`]).
pub fn measures(app: &App) -> Result<std::result::Result<usize, Vec<quid_core::Problem>>> {
    Ok(match quid_data::measures::check_policy(&app.bundle) {
        Ok(p) => Ok(p.all_measures().count()),
        Err(e) => Err(e
            .diagnostics()
            .iter()
            .map(|d| d.problem(quid_core::Check::Measure))
            .collect()),
    })
}
