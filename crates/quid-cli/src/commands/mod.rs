//! Command implementations, one module per command group: each builds a request from its
//! arguments, calls one use case of `quid_app` and prints the report.

mod balance;
mod data;
mod duty;
mod etr;
mod ledger;
mod measures;
mod negotiate;
mod rates;
mod roo;
mod scenario;
mod schedule;
mod serve;

use crate::cli::{Cli, Command};
use anyhow::Context as _;
use quid_app::App;
use quid_core::{Country, Date};
use std::process::ExitCode;

pub fn dispatch(cli: Cli, today: Date) -> anyhow::Result<ExitCode> {
    // The checks report a data folder that fails its manifest instead of refusing it.
    let app = match &cli.command {
        Command::Data(_) | Command::Measures(crate::cli::MeasuresCmd::Check) => {
            App::unchecked(cli.data.as_deref(), today)?
        }
        _ => App::new(cli.data.as_deref(), today)?,
    };
    match &cli.command {
        Command::Schedule(c) => schedule::run(&app, &cli, c),
        Command::Data(c) => data::run(&app, &cli, c),
        Command::Duty(a) => duty::run(&app, &cli, a),
        Command::Measures(c) => measures::run(&app, &cli, c),
        Command::Rates(a) => rates::run(&app, &cli, a),
        Command::Etr(a) => etr::run(&app, &cli, a),
        Command::Balance(a) => balance::run(&app, &cli, a),
        Command::Ledger(c) => ledger::run(app, &cli, c),
        Command::Scenario(c) => scenario::run(&app, &cli, c),
        Command::Negotiate(a) => negotiate::run(&app, &cli, a),
        Command::Roo(c) => roo::run(&app, &cli, c),
        Command::Serve(a) => serve::run(app, a),
        Command::Token(c) => serve::token(c, today),
    }
}

/// Parses a country argument with a message that says what is expected.
pub fn parse_importer(text: &str) -> anyhow::Result<Country> {
    let c: Country = text.parse()?;
    anyhow::ensure!(
        c == Country::US || c == Country::CA,
        "importer {c} is not supported: quid has the schedules of US and CA"
    );
    Ok(c)
}

/// Parses `--between A B`: the two parties of the bundled data, Canada and the United States,
/// in the order given.
pub fn parse_between(between: &[String]) -> anyhow::Result<(Country, Country)> {
    let parties: Vec<Country> = between
        .iter()
        .map(|p| p.parse())
        .collect::<Result<_, _>>()?;
    anyhow::ensure!(
        parties.len() == 2 && parties.contains(&Country::CA) && parties.contains(&Country::US),
        "--between: quid's bundled data covers the balance between CA and US"
    );
    Ok((parties[0], parties[1]))
}

/// Parses a date argument, naming the flag on error.
pub fn date_arg(flag: &str, text: &str) -> anyhow::Result<Date> {
    quid_core::parse_date(text).with_context(|| flag.to_string())
}

/// Parses an optional date argument.
pub fn opt_date(flag: &str, text: Option<&str>) -> anyhow::Result<Option<Date>> {
    text.map(|t| date_arg(flag, t)).transpose()
}

/// Writes a chart specification as SVG at `path` and as PNG beside it (`x.svg` and `x.png`;
/// a `path` ending in `.png` gets the PNG only). Returns the files written.
pub fn write_chart(
    path: &std::path::Path,
    chart: &quid_econ::chart::Chart,
) -> anyhow::Result<Vec<std::path::PathBuf>> {
    let svg = quid_app::svg::render(chart);
    let png_path = path.with_extension("png");
    let mut written = Vec::new();
    if png_path != path {
        std::fs::write(path, &svg).with_context(|| format!("writing {}", path.display()))?;
        written.push(path.to_path_buf());
    }
    let png = quid_app::png::render(&svg, 2.0)
        .with_context(|| format!("drawing {}", png_path.display()))?;
    std::fs::write(&png_path, png).with_context(|| format!("writing {}", png_path.display()))?;
    written.push(png_path);
    Ok(written)
}

/// The files a chart was written to, for a message: "a.svg and a.png".
pub fn shown(paths: &[std::path::PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(" and ")
}

/// Parses `--chart-range FROM..TO` (two dates).
pub fn chart_range(text: Option<&str>) -> anyhow::Result<Option<(Date, Date)>> {
    let Some(t) = text else { return Ok(None) };
    let (a, b) = t.split_once("..").with_context(|| {
        format!("--chart-range {t:?}: expected two dates as FROM..TO, e.g. 2025-01-01..2026-11-30")
    })?;
    let (from, to) = (date_arg("--chart-range", a)?, date_arg("--chart-range", b)?);
    anyhow::ensure!(
        from < to,
        "--chart-range {t:?}: the first date must come before the second"
    );
    Ok(Some((from, to)))
}

/// Leaves the loaded engine to the end of the process: a one-shot command exits right after,
/// and freeing its tables one allocation at a time would cost more than the assessment.
pub fn leave(engine: quid_app::Engine) {
    std::mem::forget(engine);
}
