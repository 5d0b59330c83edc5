//! `quid data check`: every bundled file through its reader, a summary table, the 2024 key
//! totals, and every problem found (exit status 1 when there is any).

use crate::cli::{Cli, DataCmd, Format};
use crate::context;
use crate::output::Table;
use quid_data::summary::{check_bundle_with, key_totals, FileSummary};
use quid_data::{Bundle, Diagnostics, Schedules};
use std::io::Write;
use std::process::ExitCode;

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

/// The measure files, compiled with their list references, as a check.
fn check_measures(bundle: &Bundle, problems: &mut Diagnostics) -> Vec<FileSummary> {
    match quid_data::measures::load_policy(bundle, true) {
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

pub fn run(cli: &Cli, cmd: &DataCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        DataCmd::Check => {
            let bundle = context::bundle(&cli.data)?;
            let (files, problems) = check_bundle_with(&bundle, &[check_schedules, check_measures]);
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
            let mut out = std::io::stdout().lock();
            t.write(&mut out, cli.format)?;
            let totals = key_totals(&bundle);
            if cli.format == Format::Table {
                writeln!(out)?;
                match &totals {
                    Ok(k) => write!(out, "{k}")?,
                    Err(e) => writeln!(out, "key totals not computed: {e}")?,
                }
                if problems.is_empty() && totals.is_ok() {
                    writeln!(out, "\nall {} files read without problems", files.len())?;
                }
            }
            let mut err = std::io::stderr().lock();
            for d in &problems.items {
                writeln!(err, "{d}")?;
            }
            if let Err(e) = &totals {
                writeln!(err, "{e}")?;
            }
            if problems.is_empty() && totals.is_ok() {
                Ok(ExitCode::SUCCESS)
            } else {
                writeln!(
                    err,
                    "quid: data check found {} problem(s)",
                    problems.len() + usize::from(totals.is_err())
                )?;
                Ok(ExitCode::FAILURE)
            }
        }
    }
}
