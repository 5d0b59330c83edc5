//! `quid negotiate`: balanced packages of candidate moves and the Pareto frontier.

use super::opt_date;
use crate::cli::{Cli, Format, NegotiateArgs};
use crate::output::Print as _;
use anyhow::Context as _;
use quid_app::negotiate::{self, NegotiateRequest, PackageReport};
use quid_app::{App, EngineOptions};
use std::process::ExitCode;

fn bn(x: f64) -> String {
    // Adding zero turns -0.0 into 0.0.
    format!("{:.2}", x / 1e9 + 0.0)
}

/// "5%" or "0.05".
fn tolerance(text: &str) -> anyhow::Result<f64> {
    let t = text.trim();
    let v = match t.strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().map(|x| x / 100.0),
        None => t.parse::<f64>(),
    }
    .with_context(|| format!("--tolerance {text:?}: expected a share such as 5% or 0.05"))?;
    anyhow::ensure!(
        (0.0..=1.0).contains(&v),
        "--tolerance {text:?}: expected a share between 0% and 100%"
    );
    Ok(v)
}

pub fn run(app: &App, cli: &Cli, a: &NegotiateArgs) -> anyhow::Result<ExitCode> {
    let between = super::parse_between(&a.between)?;
    let req = NegotiateRequest {
        candidates: a.candidates.clone(),
        between,
        tolerance: tolerance(&a.tolerance)?,
        since: opt_date("--since", a.since.as_deref())?,
        declared_rate: a.declared_rate,
    };
    let engine = app.engine(&EngineOptions::default())?;
    let r = negotiate::run(app, &engine, &req)?;
    super::leave(engine);
    if cli.format == Format::Json {
        crate::output::json(&mut std::io::stdout().lock(), &r)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    let ct = r.candidates_table();
    if cli.format == Format::Csv {
        ct.write(&mut out, Format::Csv)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "Candidate moves on {} (value: the fall in the annual additional duty on the other party's goods):",
        r.date
    );
    ct.write(&mut out, Format::Table)?;
    println!();
    if r.credit_a_usd != 0.0 || r.credit_b_usd != 0.0 || !r.declared.is_empty() {
        println!(
            "Credits for concessions already made: {} US$ {} bn/yr, {} US$ {} bn/yr",
            r.a,
            bn(r.credit_a_usd),
            r.b,
            bn(r.credit_b_usd)
        );
        for d in &r.declared {
            println!(
                "  declared by {}: {} {} ({}){}",
                d.party,
                d.currency,
                d.amount,
                d.title,
                d.counted_usd
                    .map_or(" - reported beside, not added".into(), |v| format!(
                        " - counted as US$ {} bn/yr",
                        bn(v)
                    ))
            );
        }
        println!();
    }
    let pkg = |p: &PackageReport| {
        format!(
            "{} gives {} , {} gives {} US$ bn/yr; trade liberalised US$ {} bn; {}",
            r.a,
            bn(p.given_by_a_usd),
            r.b,
            bn(p.given_by_b_usd),
            bn(p.liberalised_usd),
            if p.balanced {
                "within tolerance"
            } else {
                "outside tolerance"
            }
        )
    };
    match &r.best {
        Some(b) => {
            println!(
                "Best package within {:.1}% (largest trade liberalised):",
                r.tolerance * 100.0
            );
            for m in &b.moves {
                println!("  {m}");
            }
            println!("  {}", pkg(b));
        }
        None => println!("No package balances within {:.1}%.", r.tolerance * 100.0),
    }
    println!("Why: {}", r.why);
    println!();
    println!("Pareto frontier (value to each side):");
    let ft = r.frontier_table();
    ft.write(&mut out, Format::Table)?;
    for a in &r.assumptions {
        println!("assumption: {a}");
    }
    Ok(ExitCode::SUCCESS)
}
