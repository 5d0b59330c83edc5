//! A batch of entries from a file to a file: CSV or Parquet in, CSV or Parquet out (by
//! extension), rejected lines with their reasons in `<output stem>.rejects.csv` beside the
//! output. The assessing itself is [`quid_data::batch::run`]; this adds the files around it.

use crate::{Engine, Error, Result};
use quid_data::batch::{BatchError, BatchSummary};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// A batch: where the entries are and where the assessed lines go.
#[derive(Debug, Clone)]
pub struct BatchRequest {
    pub input: PathBuf,
    /// Default: `duties.csv` beside the input.
    pub output: Option<PathBuf>,
}

/// What a batch did and where it wrote.
#[derive(Debug, Clone, Serialize)]
pub struct BatchReport {
    pub lines: u64,
    pub assessed: u64,
    pub rejected: u64,
    pub total_duty: rust_decimal::Decimal,
    pub refundable: rust_decimal::Decimal,
    pub output: PathBuf,
    pub rejects: PathBuf,
}

/// Where rejected lines go: `<output stem>.rejects.csv` beside the output.
pub fn rejects_path(output: &Path) -> PathBuf {
    let stem = output
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "duties".into());
    output.with_file_name(format!("{stem}.rejects.csv"))
}

fn is_parquet(p: &Path) -> bool {
    p.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
}

fn batch_error(input: &Path, e: BatchError) -> Error {
    Error::Check(format!("assessing {}: {e}", input.display()))
}

/// Runs a batch. `start` is told the input's size in bytes once, `progress` the bytes read so
/// far as the batch goes.
pub fn run(
    engine: &Engine,
    req: &BatchRequest,
    start: &dyn Fn(u64),
    progress: &dyn Fn(u64),
) -> Result<BatchReport> {
    let input = &req.input;
    let output = req
        .output
        .clone()
        .unwrap_or_else(|| input.with_file_name("duties.csv"));
    let rejects_file = rejects_path(&output);
    let rej = std::fs::File::create(&rejects_file)
        .map_err(|e| Error::io("creating", &rejects_file, e))?;
    let input_bytes: Option<Vec<u8>> = if is_parquet(input) {
        Some(quid_data::parquet_io::parquet_to_csv(input)?)
    } else {
        None
    };
    let size = match &input_bytes {
        Some(b) => b.len() as u64,
        None => std::fs::metadata(input)
            .map(|m| m.len())
            .map_err(|e| Error::io("opening", input, e))?,
    };
    start(size);
    let reader: Box<dyn std::io::Read + Send> = match input_bytes {
        Some(b) => Box::new(std::io::Cursor::new(b)),
        // The batch reads in large blocks itself: no buffering layer in between.
        None => Box::new(std::fs::File::open(input).map_err(|e| Error::io("opening", input, e))?),
    };
    let (policy, reference) = (&engine.policy, &engine.reference);
    let sum: BatchSummary = if is_parquet(&output) {
        let mut buf = Vec::new();
        let sum = quid_data::batch::run(
            policy,
            reference,
            reader,
            &mut buf,
            std::io::BufWriter::new(rej),
            progress,
        )
        .map_err(|e| batch_error(input, e))?;
        quid_data::parquet_io::csv_to_parquet(&buf, &output)?;
        sum
    } else {
        let out = std::fs::File::create(&output).map_err(|e| Error::io("creating", &output, e))?;
        quid_data::batch::run(
            policy,
            reference,
            reader,
            std::io::BufWriter::with_capacity(1 << 20, out),
            std::io::BufWriter::new(rej),
            progress,
        )
        .map_err(|e| batch_error(input, e))?
    };
    Ok(BatchReport {
        lines: sum.lines,
        assessed: sum.assessed,
        rejected: sum.rejected,
        total_duty: sum.total_duty,
        refundable: sum.refundable,
        output,
        rejects: rejects_file,
    })
}
