//! `quid duty --input entries.csv --output duties.csv`: a thin shell over
//! [`quid_data::batch::run`] with a progress bar, the rejects file beside the output, and a
//! summary on standard error.

use super::duty::load_engine;
use crate::cli::{Cli, DutyArgs};
use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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

pub fn run(cli: &Cli, a: &DutyArgs, input: &Path) -> anyhow::Result<ExitCode> {
    let output = a
        .output
        .clone()
        .unwrap_or_else(|| input.with_file_name("duties.csv"));
    let (policy, reference) = load_engine(cli, a.ca_tariff.as_deref(), a.include_unverified)?;
    let rejects_file = rejects_path(&output);
    let rej = std::fs::File::create(&rejects_file)
        .with_context(|| format!("creating {}", rejects_file.display()))?;
    let input_bytes: Option<Vec<u8>> = if is_parquet(input) {
        Some(quid_data::parquet_io::parquet_to_csv(input)?)
    } else {
        None
    };
    let size = match &input_bytes {
        Some(b) => b.len() as u64,
        None => std::fs::metadata(input)
            .map(|m| m.len())
            .with_context(|| format!("opening {}", input.display()))?,
    };
    let pb = ProgressBar::new(size);
    pb.set_style(
        ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let reader: Box<dyn std::io::Read + Send> = match input_bytes {
        Some(b) => Box::new(std::io::Cursor::new(b)),
        // The batch reads in large blocks itself: no buffering layer in between.
        None => Box::new(
            std::fs::File::open(input).with_context(|| format!("opening {}", input.display()))?,
        ),
    };
    let progress = |bytes| pb.set_position(bytes);
    let sum = if is_parquet(&output) {
        let mut buf = Vec::new();
        let sum = quid_data::batch::run(
            &policy,
            &reference,
            reader,
            &mut buf,
            std::io::BufWriter::new(rej),
            &progress,
        )
        .with_context(|| format!("assessing {}", input.display()))?;
        quid_data::parquet_io::csv_to_parquet(&buf, &output)?;
        sum
    } else {
        let out = std::fs::File::create(&output)
            .with_context(|| format!("creating {}", output.display()))?;
        quid_data::batch::run(
            &policy,
            &reference,
            reader,
            std::io::BufWriter::with_capacity(1 << 20, out),
            std::io::BufWriter::new(rej),
            &progress,
        )
        .with_context(|| format!("assessing {}", input.display()))?
    };
    pb.finish_and_clear();
    let mut err = std::io::stderr().lock();
    writeln!(
        err,
        "{} line(s) read: {} assessed, {} rejected",
        sum.lines, sum.assessed, sum.rejected
    )?;
    writeln!(
        err,
        "total duty {:.2}; refundable after the IEEPA ruling {:.2}",
        sum.total_duty, sum.refundable
    )?;
    writeln!(err, "output: {}", output.display())?;
    writeln!(
        err,
        "rejects: {}{}",
        rejects_file.display(),
        if sum.rejected > 0 {
            " (one reason per line)"
        } else {
            " (none)"
        }
    )?;
    Ok(if sum.rejected > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
