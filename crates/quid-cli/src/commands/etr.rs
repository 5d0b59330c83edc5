//! `quid etr`: trade-weighted effective tariff rates over time, by authority or sector, as a
//! table and an SVG chart with the policy dates marked.

use super::{date_arg, parse_importer, write_chart};
use crate::cli::{Breakdown, Cli, Convention, EtrArgs};
use crate::output::Print as _;
use anyhow::Context as _;
use quid_app::etr::{self, EtrRequest};
use quid_app::{App, EngineOptions};
use quid_core::Country;
use std::process::ExitCode;

pub fn run(app: &App, cli: &Cli, a: &EtrArgs) -> anyhow::Result<ExitCode> {
    let req = EtrRequest {
        importer: parse_importer(&a.importer)?,
        partner: a.partner.parse::<Country>().context("--partner")?,
        from: date_arg("--from", &a.from)?,
        to: date_arg("--to", &a.to)?,
        daily: a.daily,
        by: a.by.map(|b| match b {
            Breakdown::Authority => etr::Breakdown::Authority,
            Breakdown::Sector => etr::Breakdown::Sector,
            Breakdown::Gtap => etr::Breakdown::Gtap,
        }),
        weights: a
            .weights
            .parse()
            .map_err(|e| anyhow::anyhow!("--weights {e}"))?,
        shares: a
            .shares
            .parse()
            .map_err(|e| anyhow::anyhow!("--shares {e}"))?,
        convention: match a.convention {
            Convention::Quid => etr::Convention::Quid,
            Convention::Yale => etr::Convention::Yale,
        },
        yale_alpha: a.yale_alpha,
    };
    let mut engine = app.engine(&EngineOptions::default())?;
    let known = super::opt_date("--as-known-on", a.as_known_on.as_deref())?;
    if let Some(on) = known {
        engine.policy = quid_app::balance::known_policy(app, &engine, on)?;
    }
    let r = etr::run(app, &engine, &req)?;
    super::leave(engine);
    let mut out = std::io::stdout().lock();
    if cli.format == crate::cli::Format::Table && a.by.is_some() && !cli.wide {
        // One row per date and series: a column per authority or sector would not fit.
        r.table
            .long(1, "series", "pct")
            .write(&mut out, crate::cli::Format::Table)?;
    } else {
        r.table.write(&mut out, cli.format)?;
    }
    drop(out);
    for n in &r.notes {
        eprintln!("{n}");
    }
    if let Some(on) = known {
        eprintln!("policy as the ledger knew it on {on}");
    }
    if let Some(path) = &a.chart {
        let written = write_chart(path, &r.chart)?;
        eprintln!("chart: {}", super::shown(&written));
    }
    Ok(ExitCode::SUCCESS)
}
