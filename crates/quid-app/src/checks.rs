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

use crate::table::{Cell, Kind, Table};
use crate::{App, Result};
use quid_data::summary::{check_bundle_with, key_totals, FileSummary};
use quid_data::{Bundle, Diagnostics, Schedules};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

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
    match quid_data::measures::check_policy(bundle)
        .and_then(|p| Ok((p, quid_data::measures::plausibility(bundle)?)))
    {
        Ok((_, implausible)) if !implausible.is_empty() => {
            problems.items.extend(implausible);
            vec![FileSummary::new(
                &bundle.measures_dir(),
                0,
                None,
                "measures compiled, with implausible records",
            )]
        }
        Ok((p, _)) => vec![FileSummary::new(
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

/// The manifest's file name.
pub const MANIFEST: &str = quid_data::manifest::FILE;

/// Every file against the manifest: sizes, SHA-256 and record counts.
pub fn manifest(app: &App) -> Vec<quid_core::Problem> {
    let mut problems = Diagnostics::default();
    quid_data::manifest::full_check(&app.bundle.root, &mut problems);
    problems
        .items
        .iter()
        .map(|d| d.problem(quid_core::Check::DataFile))
        .collect()
}

/// Writes the manifest of the data folder; the number of files listed.
pub fn write_manifest(app: &App) -> Result<usize> {
    Ok(quid_data::manifest::write(&app.bundle.root)?)
}

/// The exchange rates, the bundled ledger (read and checked against the measures and the
/// catalogue, as `ledger check` does), and the plausibility bounds, as a check.
fn check_ledger_and_fx(bundle: &Bundle, problems: &mut Diagnostics) -> Vec<FileSummary> {
    use quid_data::summary::check_file;
    let mut out = vec![check_file(bundle.fx(), problems, |p| {
        let fx = quid_data::ledger::read_fx(p)?;
        Ok(FileSummary::new(
            p,
            fx.rates.len(),
            None,
            "CAD per USD, by year and month",
        ))
    })];
    out.push(check_file(bundle.measure_catalogue(), problems, |p| {
        let c = quid_data::ledger::read_catalogue(p)?;
        Ok(FileSummary::new(
            p,
            c.len(),
            None,
            "measure ids of the research timeline",
        ))
    }));
    let mut found = Vec::new();
    out.push(check_file(bundle.ledger(), problems, |p| {
        let ledger = quid_data::ledger::read_ledger(p)?;
        let policy = quid_data::measures::load_policy(bundle, true)?;
        let known = quid_data::ledger::measure_checker(bundle, &policy)?;
        found = ledger.check(&known);
        let moves: usize = ledger
            .announcements
            .iter()
            .map(|a| a.interventions.len())
            .sum();
        Ok(FileSummary::new(
            p,
            ledger.announcements.len(),
            None,
            format!("ledger entries with {moves} moves, checked against the measures"),
        ))
    }));
    for f in found {
        problems.push(bundle.ledger(), None, None, f.to_string());
    }
    out.push(check_file(bundle.checks(), problems, |p| {
        let b = quid_data::plausible::Bounds::read(p)?;
        Ok(FileSummary::new(
            p,
            1,
            None,
            format!(
                "plausibility bounds: rates {}% to {}%, dates {} to {}",
                b.rate_percent_min, b.rate_percent_max, b.first_date, b.last_date
            ),
        ))
    }));
    out
}

/// The realized view's published figures and its assumption file, as a check.
fn check_realized(bundle: &Bundle, problems: &mut Diagnostics) -> Vec<FileSummary> {
    use quid_data::collections::{read_published, Kind};
    use quid_data::summary::check_file;
    let published = check_file(bundle.published_collections(), problems, |p| {
        let f = read_published(p)?;
        let count = |k: Kind| f.iter().filter(|x| x.kind == k).count();
        let years = f
            .iter()
            .map(|x| i32::from(x.start.year()))
            .fold(None, |acc: Option<(i32, i32)>, y| {
                Some(acc.map_or((y, y), |(a, b)| (a.min(y), b.max(y))))
            });
        Ok(FileSummary::new(
            p,
            f.len(),
            years,
            format!(
                "published collections: {} official, {} research, {} press",
                count(Kind::Official),
                count(Kind::Research),
                count(Kind::Press)
            ),
        ))
    });
    let params = check_file(bundle.realized_params(), problems, |p| {
        let text = quid_data::reader::read_to_string(p)?;
        let params: crate::realized::Params =
            toml::from_str(&text).map_err(|e| quid_data::DataError::toml(p, &text, &e))?;
        Ok(FileSummary::new(
            p,
            1,
            None,
            match (params.remission.share, params.remission.implied_by.len()) {
                (Some(s), _) => format!("remission share stated: {s}"),
                (None, n) => format!("remission share implied by {n} published figures"),
            },
        ))
    });
    let roo = check_file(bundle.root.join(crate::roo::RULES_FILE), problems, |p| {
        let text = quid_data::bounded::read_text(p)?;
        let rules = quid_roo::Rules::parse(&text, &p.display().to_string())
            .map_err(|e| quid_data::DataError::at(p, None, None, e.to_string()))?;
        Ok(FileSummary::new(
            p,
            rules.params.len(),
            None,
            "automotive rules of origin: dated thresholds",
        ))
    });
    vec![published, params, roo]
}

/// The 2024 totals that tie the bundle to published figures, in US dollars.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Totals2024 {
    /// US general imports from Canada (BTS TransBorder).
    #[serde(serialize_with = "crate::contract::money")]
    #[schemars(with = "quid_core::schema::MoneyNumber")]
    pub bts_imports_from_canada: Decimal,
    #[serde(serialize_with = "crate::contract::money")]
    #[schemars(with = "quid_core::schema::MoneyNumber")]
    pub bts_imports_from_mexico: Decimal,
    #[serde(serialize_with = "crate::contract::money")]
    #[schemars(with = "quid_core::schema::MoneyNumber")]
    pub bts_exports_to_canada: Decimal,
    /// Census imports for consumption, chapters 01-97.
    #[serde(serialize_with = "crate::contract::money")]
    #[schemars(with = "quid_core::schema::MoneyNumber")]
    pub census_imports_canada: Decimal,
    #[serde(serialize_with = "crate::contract::money")]
    #[schemars(with = "quid_core::schema::MoneyNumber")]
    pub census_imports_mexico: Decimal,
    #[serde(serialize_with = "crate::contract::money")]
    #[schemars(with = "quid_core::schema::MoneyNumber")]
    pub census_imports_world: Decimal,
    /// USMCA-claimed share of 2024 imports from Canada with the 2024 and the 2025 shares.
    pub usmca_canada_2024_shares_pct: f64,
    pub usmca_canada_2025_shares_pct: f64,
}

/// What `data check` found.
#[derive(Debug, Clone, Serialize)]
pub struct DataCheckReport {
    /// One row per file: file (relative to the data folder), rows, years, note.
    pub files: Table,
    /// The 2024 key totals, or `null` when they could not be computed (`totals_error` says why).
    pub totals: Option<Totals2024>,
    pub totals_error: Option<String>,
    /// The totals as printed (one figure a line).
    #[serde(skip)]
    pub totals_text: Option<String>,
    /// Every problem, each naming its file, line and field.
    pub problems: Vec<quid_core::Problem>,
    /// What did not stop a read (repairs, duplicates, skipped rows), each with its place.
    pub warnings: Vec<quid_core::Problem>,
    /// No problem anywhere.
    pub ok: bool,
}

impl DataCheckReport {
    /// No problem anywhere.
    pub fn ok(&self) -> bool {
        self.ok
    }
}

/// The columns of the files table of `quid data check`.
pub fn data_columns() -> Table {
    Table::typed([
        ("file", Kind::Text),
        ("rows", Kind::Int),
        ("first_year", Kind::Int),
        ("last_year", Kind::Int),
        ("note", Kind::Text),
    ])
}

/// Reads every bundled file through its reader.
pub fn data(app: &App) -> DataCheckReport {
    let bundle = &app.bundle;
    let (files, problems) = check_bundle_with(
        bundle,
        &[
            check_schedules,
            check_measures,
            check_ledger_and_fx,
            check_realized,
        ],
    );
    let mut t = data_columns();
    let mut warnings = Vec::new();
    for f in &files {
        warnings.extend(
            f.warnings
                .iter()
                .map(|d| d.problem(quid_core::Check::DataFile)),
        );
        let rel = f
            .path
            .strip_prefix(&bundle.root)
            .unwrap_or(&f.path)
            .display()
            .to_string();
        t.push_cells([
            rel.into(),
            f.rows.into(),
            Cell::from(f.years.map(|(a, _)| i64::from(a))),
            Cell::from(f.years.map(|(_, b)| i64::from(b))),
            f.note.clone().into(),
        ]);
    }
    let mut all = manifest(app);
    all.extend(
        problems
            .items
            .iter()
            .map(|d| d.problem(quid_core::Check::DataFile)),
    );
    let totals = key_totals(bundle);
    let ok = all.is_empty() && totals.is_ok();
    DataCheckReport {
        files: t,
        totals: totals.as_ref().ok().map(|k| Totals2024 {
            bts_imports_from_canada: k.bts_imports_from_canada,
            bts_imports_from_mexico: k.bts_imports_from_mexico,
            bts_exports_to_canada: k.bts_exports_to_canada,
            census_imports_canada: k.census_imports_canada,
            census_imports_mexico: k.census_imports_mexico,
            census_imports_world: k.census_imports_world,
            usmca_canada_2024_shares_pct: 100.0 * k.usmca_canada_2024_shares.share,
            usmca_canada_2025_shares_pct: 100.0 * k.usmca_canada_2025_shares.share,
        }),
        totals_error: totals.as_ref().err().map(|e| e.to_string()),
        totals_text: totals.as_ref().ok().map(|k| k.to_string()),
        problems: all,
        warnings,
        ok,
    }
}

/// What `measures check` found: the number of valid measures, or every problem (of a record,
/// or of its sources and wording: [`quid_engine::sources`]).
pub fn measures(app: &App) -> Result<std::result::Result<usize, Vec<quid_core::Problem>>> {
    // A measure file missing, unlisted or changed is reported first, by name.
    if let Err(e) = quid_data::manifest::quick_check(&app.bundle.root) {
        return Ok(Err(e
            .diagnostics()
            .iter()
            .map(|d| d.problem(quid_core::Check::Measure))
            .collect()));
    }
    let as_problems = |d: &[quid_data::Diagnostic]| {
        d.iter()
            .map(|d| d.problem(quid_core::Check::Measure))
            .collect::<Vec<_>>()
    };
    Ok(match quid_data::measures::check_policy(&app.bundle) {
        Ok(p) => match quid_data::measures::plausibility(&app.bundle) {
            Ok(found) if found.is_empty() => Ok(p.all_measures().count()),
            Ok(found) => Err(as_problems(&found)),
            Err(e) => Err(as_problems(&e.diagnostics())),
        },
        Err(e) => Err(e
            .diagnostics()
            .iter()
            .map(|d| d.problem(quid_core::Check::Measure))
            .collect()),
    })
}
