//! `quid scenario run|compare`: a package of moves valued against the baseline.

use super::write_chart;
use crate::cli::{Cli, Format, ScenarioCmd};
use crate::output::Print as _;
use quid_app::scenario_run::{self, ScenarioReport, ScenarioRequest};
use quid_app::{App, EngineOptions};
use std::process::ExitCode;

fn bn(x: f64) -> String {
    format!("{:+.2}", x / 1e9)
}

fn band(h: &scenario_run::Headline) -> String {
    h.band_text()
}

pub fn run(app: &App, cli: &Cli, cmd: &ScenarioCmd) -> anyhow::Result<ExitCode> {
    let engine = app.engine(&EngineOptions::default())?;
    match cmd {
        ScenarioCmd::Run { file, mc, chart } => {
            let req = ScenarioRequest {
                file: file.clone(),
                draws: mc.draws,
                seed: mc.seed,
                supply: mc.supply_elasticity,
            };
            let r = scenario_run::run(app, &engine, &req)?;
            match cli.format {
                Format::Json => crate::output::json(&mut std::io::stdout().lock(), &r)?,
                Format::Csv => scenario_run::comparison(&[&r])
                    .write(&mut std::io::stdout().lock(), Format::Csv)?,
                Format::Table => print(&r)?,
            }
            if let Some(path) = chart {
                let written = write_chart(path, &r.chart)?;
                eprintln!("chart: {}", super::shown(&written));
            }
        }
        ScenarioCmd::Compare { files, mc } => {
            let reports = files
                .iter()
                .map(|f| {
                    scenario_run::run(
                        app,
                        &engine,
                        &ScenarioRequest {
                            file: f.clone(),
                            draws: mc.draws,
                            seed: mc.seed,
                            supply: mc.supply_elasticity,
                        },
                    )
                })
                .collect::<Result<Vec<_>, _>>()?;
            let refs: Vec<&ScenarioReport> = reports.iter().collect();
            if cli.format == Format::Json {
                crate::output::json(&mut std::io::stdout().lock(), &reports)?;
            } else {
                scenario_run::comparison(&refs).write(&mut std::io::stdout().lock(), cli.format)?;
            }
        }
    }
    super::leave(engine);
    Ok(ExitCode::SUCCESS)
}

fn print(r: &ScenarioReport) -> anyhow::Result<()> {
    let s = &r.scenario;
    println!(
        "Scenario: {} (from {}, {})",
        s.name,
        s.start,
        quid_app::table::serde_name(&s.status).replace('_', " ")
    );
    if let Some(n) = &s.note {
        println!("{n}");
    }
    for c in &s.sources {
        println!("source: {c}");
    }
    println!();
    println!("Moves:");
    let mt = r.moves_table();
    mt.write(&mut std::io::stdout().lock(), Format::Table)?;
    println!();
    println!(
        "Static: additional duty on a year of the other's goods on {} (2024 trade), US$ bn per year:",
        r.date
    );
    let st = r.static_table();
    st.write(&mut std::io::stdout().lock(), Format::Table)?;
    println!(
        "Net (US burden on Canada less Canada's on the US): {} -> {} US$ bn per year",
        bn(r.net_burden_usd.baseline),
        bn(r.net_burden_usd.scenario)
    );
    println!();
    println!("Trade effects (partial equilibrium), US$ bn per year at baseline prices:");
    let pt = r.trade_table();
    pt.write(&mut std::io::stdout().lock(), Format::Table)?;
    for m in &r.markets {
        println!(
            "{} market: tariff revenue {} , consumer surplus {} US$ bn per year ({} lines, {} with their own demand estimate)",
            m.importer,
            bn(m.tariff_revenue),
            bn(m.consumer_surplus),
            m.lines,
            m.demand_estimates
        );
    }
    println!();
    if r.draws > 0 {
        println!(
            "Uncertainty ({} draws, seed {}): median [5th to 95th percentile], US$ bn per year:",
            r.draws, r.seed
        );
        for h in &r.headlines {
            println!(
                "  {:<45} {} (at point values {})",
                h.figure,
                band(h),
                bn(h.point)
            );
        }
        println!();
    }
    if !r.roo.is_empty() {
        println!("Rules of origin: the bundled illustrative vehicles (data/roo/examples) on {}, baseline rules -> the scenario's:", r.date);
        for m in &s.roo {
            println!(
                "  {} = {}{}",
                m.parameter,
                m.value,
                m.from.map(|d| format!(" from {d}")).unwrap_or_default()
            );
        }
        quid_app::roo::effects_table(&r.roo).write(&mut std::io::stdout().lock(), Format::Table)?;
        println!("(content duty: Section 232 or Canada's surtax layers on the vehicle at its transaction value, under the baseline measures both times)");
        println!();
    }
    for a in &r.assumptions {
        println!("assumption: {a}");
    }
    Ok(())
}
