//! `quid duty --input entries.csv --output duties.csv`: assess a file of entries in parallel,
//! with a progress bar, a rejects file beside the output (one reason per rejected line) and a
//! summary. Output lines keep the input order.

use super::duty::load_engine;
use crate::cli::{Cli, DutyArgs};
use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use quid_core::{parse_date, Country, HsCode, Quantity, Unit};
use quid_engine::{Assessment, Entry};
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::str::FromStr;

/// The input columns, as documented in the README.
pub const COLUMNS: [&str; 17] = [
    "id",
    "importer",
    "origin",
    "hts",
    "date",
    "value",
    "quantity",
    "unit",
    "usmca",
    "steel_content",
    "aluminum_content",
    "copper_content",
    "us_content",
    "ca_mx_content",
    "us_melted",
    "transshipped",
    "energy",
];
const REQUIRED: [&str; 5] = ["importer", "origin", "hts", "date", "value"];
const CHUNK: usize = 65_536;

/// Column positions of the input file.
struct Cols([Option<usize>; 17]);

impl Cols {
    fn of(headers: &csv::StringRecord) -> Cols {
        let mut c = [None; 17];
        for (i, name) in COLUMNS.iter().enumerate() {
            c[i] = headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name));
        }
        Cols(c)
    }

    fn get<'r>(&self, rec: &'r csv::StringRecord, name: &str) -> Option<&'r str> {
        let i = COLUMNS.iter().position(|c| *c == name)?;
        self.0[i]
            .and_then(|j| rec.get(j))
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

fn flag(v: Option<&str>, name: &str) -> Result<bool, String> {
    match v.map(|s| s.to_ascii_lowercase()) {
        None => Ok(false),
        Some(s) => match s.as_str() {
            "1" | "true" | "yes" | "y" => Ok(true),
            "0" | "false" | "no" | "n" => Ok(false),
            _ => Err(format!("{name}: {s:?} is not true/false")),
        },
    }
}

fn dec(v: Option<&str>, name: &str) -> Result<Option<Decimal>, String> {
    v.map(|s| Decimal::from_str(s).map_err(|_| format!("{name}: {s:?} is not a number")))
        .transpose()
}

/// Reads one entry from a record; the error names the field and what was expected.
fn entry(cols: &Cols, rec: &csv::StringRecord) -> Result<Entry, String> {
    let req = |n: &str| {
        cols.get(rec, n)
            .ok_or_else(|| format!("{n}: missing; expected a value"))
    };
    let importer: Country = req("importer")?
        .parse()
        .map_err(|e| format!("importer: {e}"))?;
    let origin: Country = req("origin")?.parse().map_err(|e| format!("origin: {e}"))?;
    let hs: HsCode = req("hts")?.parse().map_err(|e| format!("hts: {e}"))?;
    let date = parse_date(req("date")?).map_err(|e| format!("date: {e}"))?;
    let value = dec(Some(req("value")?), "value")?.unwrap_or_default();
    let mut e = Entry::new(importer, origin, hs, date, value);
    if let Some(q) = dec(cols.get(rec, "quantity"), "quantity")? {
        let unit_text = cols
            .get(rec, "unit")
            .ok_or("unit: missing; a quantity needs its unit (kg, liter, each, ...)")?;
        let unit: Unit = unit_text
            .parse()
            .map_err(|e: String| format!("unit: {e}"))?;
        e.quantity = Some(Quantity::new(q, unit));
    }
    e.preference_claim = flag(cols.get(rec, "usmca"), "usmca")?;
    e.steel_content = dec(cols.get(rec, "steel_content"), "steel_content")?;
    e.aluminum_content = dec(cols.get(rec, "aluminum_content"), "aluminum_content")?;
    e.copper_content = dec(cols.get(rec, "copper_content"), "copper_content")?;
    e.us_content = dec(cols.get(rec, "us_content"), "us_content")?;
    e.ca_mx_content = dec(cols.get(rec, "ca_mx_content"), "ca_mx_content")?;
    e.us_melted = flag(cols.get(rec, "us_melted"), "us_melted")?;
    e.transshipped = flag(cols.get(rec, "transshipped"), "transshipped")?;
    e.energy = flag(cols.get(rec, "energy"), "energy")?;
    Ok(e)
}

const OUT_HEADER: [&str; 16] = [
    "line",
    "id",
    "importer",
    "origin",
    "hts",
    "date",
    "value",
    "base_authority",
    "base_rate",
    "base_amount",
    "additional",
    "total",
    "owed_after_ruling",
    "refundable",
    "base_rate_known",
    "layers",
];

fn out_row(line: u64, id: &str, a: &Assessment<'_>) -> [String; 16] {
    let additional = a.additional();
    let layers: Vec<String> = a
        .layers
        .iter()
        .map(|l| {
            format!(
                "{} {} {} on {} = {:.2}",
                l.authority(),
                l.heading(),
                l.rate(),
                l.base,
                l.amount
            )
        })
        .collect();
    [
        line.to_string(),
        id.to_string(),
        a.entry.importer.to_string(),
        a.entry.origin.to_string(),
        a.entry.hs.dotted(),
        a.entry.date.to_string(),
        a.entry.value.to_string(),
        a.base
            .as_ref()
            .map_or("unknown".into(), |b| b.authority.to_string()),
        a.base
            .as_ref()
            .map_or("unknown".into(), |b| b.rate.to_string()),
        a.base
            .as_ref()
            .map_or(String::new(), |b| format!("{:.2}", b.amount)),
        format!("{additional:.2}"),
        format!("{:.2}", a.total),
        a.owed_after_ruling
            .map(|v| format!("{v:.2}"))
            .unwrap_or_default(),
        format!("{:.2}", a.refundable),
        a.base_rate_known().to_string(),
        layers.join("; "),
    ]
}

/// Where rejected lines go: `<output stem>.rejects.csv` beside the output.
pub fn rejects_path(output: &Path) -> PathBuf {
    let stem = output
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "duties".into());
    output.with_file_name(format!("{stem}.rejects.csv"))
}

pub fn run(cli: &Cli, a: &DutyArgs, input: &Path) -> anyhow::Result<ExitCode> {
    let output = a
        .output
        .clone()
        .unwrap_or_else(|| input.with_file_name("duties.csv"));
    let (policy, reference) = load_engine(cli, a.ca_tariff.as_deref(), a.include_unverified)?;
    let file =
        std::fs::File::open(input).with_context(|| format!("opening {}", input.display()))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(std::io::BufReader::with_capacity(1 << 20, file));
    let headers = rdr
        .headers()
        .with_context(|| format!("{}: reading the header", input.display()))?
        .clone();
    let cols = Cols::of(&headers);
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|r| cols.get_index(r).is_none())
        .collect();
    anyhow::ensure!(
        missing.is_empty(),
        "{}:1: missing column(s) {}; expected a header with {} (optional: {})",
        input.display(),
        missing.join(", "),
        REQUIRED.join(", "),
        COLUMNS
            .iter()
            .filter(|c| !REQUIRED.contains(c))
            .copied()
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut out = csv::Writer::from_writer(std::io::BufWriter::with_capacity(
        1 << 20,
        std::fs::File::create(&output).with_context(|| format!("creating {}", output.display()))?,
    ));
    out.write_record(OUT_HEADER)?;
    let rejects_file = rejects_path(&output);
    let mut rej = csv::Writer::from_path(&rejects_file)
        .with_context(|| format!("creating {}", rejects_file.display()))?;
    let mut rej_header = vec!["line".to_string(), "reason".to_string()];
    rej_header.extend(headers.iter().map(str::to_string));
    rej.write_record(&rej_header)?;
    let pb = ProgressBar::new(size);
    pb.set_style(
        ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {per_sec} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let (mut n, mut ok, mut rejected) = (0u64, 0u64, 0u64);
    let mut total = Decimal::ZERO;
    let mut refundable = Decimal::ZERO;
    let mut chunk: Vec<(u64, csv::StringRecord)> = Vec::with_capacity(CHUNK);
    let mut records = rdr.records();
    loop {
        chunk.clear();
        for r in records.by_ref().take(CHUNK) {
            match r {
                Ok(rec) => chunk.push((rec.position().map_or(0, |p| p.line()), rec)),
                Err(e) => {
                    n += 1;
                    rejected += 1;
                    let line = e.position().map_or(0, |p| p.line());
                    rej.write_record([line.to_string(), format!("malformed CSV record: {e}")])?;
                }
            }
        }
        if chunk.is_empty() {
            break;
        }
        let results: Vec<Result<Assessment<'_>, String>> = chunk
            .par_iter()
            .map(|(_, rec)| {
                entry(&cols, rec)
                    .and_then(|e| policy.assess(&e, &reference).map_err(|x| x.to_string()))
            })
            .collect();
        for ((line, rec), res) in chunk.iter().zip(results) {
            n += 1;
            match res {
                Ok(a) => {
                    ok += 1;
                    total += a.total;
                    refundable += a.refundable;
                    out.write_record(out_row(*line, cols.get(rec, "id").unwrap_or(""), &a))?;
                }
                Err(reason) => {
                    rejected += 1;
                    let mut row = vec![line.to_string(), reason];
                    row.extend(rec.iter().map(str::to_string));
                    rej.write_record(&row)?;
                }
            }
        }
        pb.set_position(
            chunk
                .last()
                .and_then(|(_, r)| r.position())
                .map_or(0, |p| p.byte()),
        );
    }
    pb.finish_and_clear();
    out.flush()?;
    rej.flush()?;
    let mut err = std::io::stderr().lock();
    writeln!(err, "{n} line(s) read: {ok} assessed, {rejected} rejected")?;
    writeln!(
        err,
        "total duty {total:.2}; refundable after the IEEPA ruling {refundable:.2}"
    )?;
    writeln!(err, "output: {}", output.display())?;
    writeln!(
        err,
        "rejects: {}{}",
        rejects_file.display(),
        if rejected > 0 {
            " (one reason per line)"
        } else {
            " (empty)"
        }
    )?;
    Ok(if rejected > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

impl Cols {
    fn get_index(&self, name: &str) -> Option<usize> {
        let i = COLUMNS.iter().position(|c| *c == name)?;
        self.0[i]
    }
}
