//! `quid rates`: the statutory panel on a date, or the interval panel over a period.

use super::duty::load_engine;
use super::{parse_date_arg, parse_importer};
use crate::cli::{Cli, Format, RatesArgs};
use crate::output::Table;
use anyhow::Context as _;
use quid_core::{Country, HsCode};
use quid_data::directions::{change_dates, edition_dates};
use quid_data::parquet_io::{write_table, Kind};
use quid_data::reference::BundleReference;
use quid_econ::{authority_name, Panel, RateRow, Segments};
use quid_engine::Policy;
use std::path::Path;
use std::process::ExitCode;

/// The lines a panel covers: every classification line of the newest edition (US), or every
/// Canadian tariff item named in Canada's measures plus the loaded schedule's items (CA).
pub fn panel_lines(
    policy: &Policy,
    reference: &BundleReference,
    importer: Country,
    prefixes: &[HsCode],
) -> Vec<HsCode> {
    let mut lines: Vec<HsCode> = match importer {
        Country::CA => {
            let mut v: Vec<HsCode> = quid_data::weights::ca_measure_items(policy);
            if let Some(s) = reference.schedules.ca.last() {
                v.extend(s.leaf_lines().map(|l| l.code));
            }
            v
        }
        _ => reference
            .schedules
            .us
            .last()
            .map(|s| s.leaf_lines().map(|l| l.code).collect())
            .unwrap_or_default(),
    };
    if !prefixes.is_empty() {
        lines.retain(|l| prefixes.iter().any(|p| l.starts_with(p)));
    }
    lines.sort();
    lines.dedup();
    lines
}

fn pct(r: f64) -> String {
    // Adding zero turns -0.0 into 0.0.
    format!("{:.4}", r * 100.0 + 0.0)
}

/// Authority columns that appear anywhere in the panel, in index order.
fn authority_columns(panel: &Panel) -> Vec<u8> {
    let mut a: Vec<u8> = panel
        .intervals
        .iter()
        .flat_map(|iv| iv.row.parts.iter().map(|(x, _)| *x))
        .collect();
    a.sort_unstable();
    a.dedup();
    a
}

fn row_cells(row: &RateRow, auths: &[u8]) -> Vec<String> {
    let mut v = vec![pct(row.total), row.base_known.to_string()];
    v.extend(auths.iter().map(|a| pct(row.get(*a))));
    v
}

pub fn run(cli: &Cli, a: &RatesArgs) -> anyhow::Result<ExitCode> {
    let importer = parse_importer(&a.importer)?;
    let partner: Country = a.partner.parse().context("--partner")?;
    let prefixes = a
        .hts
        .iter()
        .map(|p| p.parse::<HsCode>().with_context(|| format!("--hts {p}")))
        .collect::<Result<Vec<_>, _>>()?;
    let (policy, reference) = load_engine(cli, None, false)?;
    let lines = panel_lines(&policy, &reference, importer, &prefixes);
    anyhow::ensure!(
        !lines.is_empty(),
        "no tariff line matches --hts {}",
        a.hts.join(",")
    );
    let (from, to, single) = match (
        parse_date_arg(a.date.as_deref())?,
        parse_date_arg(a.from.as_deref())?,
        parse_date_arg(a.to.as_deref())?,
    ) {
        (Some(d), _, _) => (d, d, true),
        (None, Some(f), Some(t)) => {
            anyhow::ensure!(f <= t, "--from {f} is after --to {t}");
            (f, t, false)
        }
        _ => anyhow::bail!("give --date D, or --from D --to D"),
    };
    let segments = Segments::new(from, to, change_dates(&policy, &reference, importer));
    let panel = Panel::build(
        &policy,
        &reference,
        importer,
        partner,
        lines,
        segments,
        &edition_dates(&reference, importer),
    );
    let auths = authority_columns(&panel);
    let mut headers: Vec<String> = vec!["hts".into(), "partner".into(), "claim".into()];
    if !single {
        headers.extend(["valid_from".into(), "valid_until".into()]);
    }
    headers.extend(["total_pct".into(), "base_known".into()]);
    headers.extend(auths.iter().map(|x| format!("{}_pct", authority_name(*x))));
    let mut table = Table::new(headers.clone());
    for iv in &panel.intervals {
        let mut r = vec![
            panel.lines[iv.line as usize].dotted(),
            partner.to_string(),
            iv.claim.to_string(),
        ];
        if !single {
            r.extend([iv.valid_from.to_string(), iv.valid_until.to_string()]);
        }
        r.extend(row_cells(&iv.row, &auths));
        table.push(r);
    }
    match &a.output {
        Some(path) => write_output(path, &headers, table)?,
        None => table.write(&mut std::io::stdout().lock(), cli.format)?,
    }
    if cli.format == Format::Table || a.output.is_some() {
        eprintln!(
            "{} lines, {} segments from {} to {}, {} rows; rates in percent of customs value; the base rate unknown (counted 0) where value alone cannot compute it; undeclared metal content: the BEA metal share of the line; USMCA vehicles: {}",
            panel.lines.len(),
            panel.segments.len(),
            from,
            to,
            panel.intervals.len(),
            match quid_engine::Reference::law(&reference).us_content_default(to) {
                Ok(s) => format!("{}% US content", s * rust_decimal::Decimal::ONE_HUNDRED),
                Err(e) => e.to_string(),
            }
        );
        for (hs, d, e) in panel.errors.iter().take(5) {
            eprintln!("not assessed: {hs} on {d}: {e}");
        }
        if panel.errors.len() > 5 {
            eprintln!("... and {} more lines not assessed", panel.errors.len() - 5);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes a table to CSV or Parquet by the file's extension.
pub fn write_output(path: &Path, headers: &[String], table: Table) -> anyhow::Result<()> {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
    {
        let cols: Vec<(String, Kind)> = headers
            .iter()
            .map(|h| {
                let k = if h.ends_with("_pct") || h == "etr" {
                    Kind::Float
                } else if h.starts_with("valid_") || h == "date" {
                    Kind::Date
                } else if h == "claim" || h == "base_known" {
                    Kind::Bool
                } else {
                    Kind::Text
                };
                (h.clone(), k)
            })
            .collect();
        write_table(path, &cols, &table.rows)?;
    } else {
        let f =
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
        table.write(&mut std::io::BufWriter::new(f), Format::Csv)?;
    }
    eprintln!("wrote {}", path.display());
    Ok(())
}
