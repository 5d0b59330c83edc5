//! `quid rates`: the statutory panel on a date, or the interval panel over a period.

use super::{opt_date, parse_importer};
use crate::cli::{Cli, Format, RatesArgs};
use crate::output::Print as _;
use anyhow::Context as _;
use quid_app::rates::RatesRequest;
use quid_app::{App, EngineOptions};
use quid_core::{Country, HsCode};
use std::process::ExitCode;

pub fn run(app: &App, cli: &Cli, a: &RatesArgs) -> anyhow::Result<ExitCode> {
    let importer = parse_importer(&a.importer)?;
    let partner: Country = a.partner.parse().context("--partner")?;
    let prefixes = a
        .hts
        .iter()
        .map(|p| p.parse::<HsCode>().with_context(|| format!("--hts {p}")))
        .collect::<Result<Vec<_>, _>>()?;
    let (from, to, single) = match (
        opt_date("--date", a.date.as_deref())?,
        opt_date("--from", a.from.as_deref())?,
        opt_date("--to", a.to.as_deref())?,
    ) {
        (Some(d), _, _) => (d, d, true),
        (None, Some(f), Some(t)) => (f, t, false),
        _ => anyhow::bail!("give --date D, or --from D --to D"),
    };
    let mut engine = app.engine(&EngineOptions::default())?;
    if let Some(on) = opt_date("--as-known-on", a.as_known_on.as_deref())? {
        engine.policy = quid_app::balance::known_policy(app, &engine, on)?;
        eprintln!("policy as the ledger knew it on {on}");
    }
    let req = RatesRequest {
        importer,
        partner,
        from,
        to,
        single,
        prefixes,
    };
    let r = quid_app::rates::panel(&engine, &req)?;
    super::leave(engine);
    match &a.output {
        Some(path) => {
            r.table.write_file(path)?;
            eprintln!("wrote {}", path.display());
        }
        None => r.table.write(&mut std::io::stdout().lock(), cli.format)?,
    }
    if cli.format == Format::Table || a.output.is_some() {
        for n in &r.notes {
            eprintln!("{n}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
