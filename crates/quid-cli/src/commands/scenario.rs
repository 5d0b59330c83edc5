//! `quid scenario run|compare`: a package of moves valued against the baseline.

use super::write_chart;
use crate::cli::{Cli, Format, ScenarioCmd};
use crate::output::{Print as _, Table};
use quid_app::scenario_run::{self, ScenarioReport, ScenarioRequest};
use quid_app::{App, EngineOptions};
use std::process::ExitCode;

fn bn(x: f64) -> String {
    format!("{:+.2}", x / 1e9)
}

fn band(h: &scenario_run::Headline) -> String {
    match &h.band {
        Some(b) => format!("{} [{} to {}]", bn(b.median), bn(b.p05), bn(b.p95)),
        None => "-".into(),
    }
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
                Format::Csv => {
                    headlines(&[&r]).write(&mut std::io::stdout().lock(), Format::Csv)?
                }
                Format::Table => print(&r)?,
            }
            if let Some(path) = chart {
                write_chart(path, &r.chart)?;
                eprintln!("chart: {}", path.display());
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
                headlines(&refs).write(&mut std::io::stdout().lock(), cli.format)?;
            }
        }
    }
    super::leave(engine);
    Ok(ExitCode::SUCCESS)
}

/// Scenarios side by side: one row per figure, one column per scenario.
fn headlines(reports: &[&ScenarioReport]) -> Table {
    let mut headers = vec!["figure (US$ bn per year)".to_string()];
    headers.extend(reports.iter().map(|r| r.scenario.name.clone()));
    let mut t = Table::new(headers);
    let mut row = |name: String, f: &dyn Fn(&ScenarioReport) -> String| {
        let mut cells = vec![name];
        cells.extend(reports.iter().map(|r| f(r)));
        t.push(cells);
    };
    row("start".into(), &|r| r.date.to_string());
    row("status".into(), &|r| {
        format!("{:?}", r.scenario.status).to_lowercase()
    });
    for (i, who) in ["US duty on Canadian goods", "Canadian duty on US goods"]
        .iter()
        .enumerate()
    {
        row(format!("static: change in {who}"), &|r| {
            bn(r.directions[i].burden_usd.change())
        });
    }
    row(
        "static: change in the net US-minus-Canada burden".into(),
        &|r| bn(r.net_burden_usd.change()),
    );
    if let Some(first) = reports.first() {
        for (k, h) in first.headlines.iter().enumerate() {
            row(format!("{} (median [90% band])", h.figure), &|r| {
                r.headlines.get(k).map_or("-".into(), |h| {
                    if h.band.is_some() {
                        band(h)
                    } else {
                        bn(h.point)
                    }
                })
            });
        }
    }
    t
}

fn print(r: &ScenarioReport) -> anyhow::Result<()> {
    let s = &r.scenario;
    println!("Scenario: {} (from {}, {:?})", s.name, s.start, s.status);
    if let Some(n) = &s.note {
        println!("{n}");
    }
    for c in &s.sources {
        println!("source: {c}");
    }
    println!();
    println!("Moves:");
    let mut mt = Table::new(["layer", "move", "party", "measures", "origins", "action"]);
    for (m, layer) in s.reform.moves.iter().zip(&s.layers) {
        mt.push([
            layer.clone(),
            m.id.clone(),
            m.party.to_string(),
            m.measures.join(" "),
            m.origins
                .iter()
                .flatten()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            match &m.action {
                quid_engine::reform::Action::SetRate(x) => format!("rate {x}"),
                a => format!("{a:?}").to_lowercase(),
            },
        ]);
    }
    mt.write(&mut std::io::stdout().lock(), Format::Table)?;
    println!();
    println!(
        "Static: additional duty on a year of the other's goods on {} (2024 trade), US$ bn per year:",
        r.date
    );
    let mut st = Table::new(["direction", "by", "baseline", "scenario", "change"]);
    for d in &r.directions {
        let who = format!("{} on {}", d.importer, d.partner);
        st.push([
            who.clone(),
            "total".into(),
            bn(d.burden_usd.baseline),
            bn(d.burden_usd.scenario),
            bn(d.burden_usd.change()),
        ]);
        for (a, p) in d
            .by_authority
            .iter()
            .filter(|(_, p)| p.change().abs() >= 5e6)
        {
            st.push([
                who.clone(),
                a.clone(),
                bn(p.baseline),
                bn(p.scenario),
                bn(p.change()),
            ]);
        }
        for (a, p) in d.by_sector.iter().filter(|(_, p)| p.change().abs() >= 5e6) {
            st.push([
                who.clone(),
                format!("sector: {a}"),
                bn(p.baseline),
                bn(p.scenario),
                bn(p.change()),
            ]);
        }
    }
    st.write(&mut std::io::stdout().lock(), Format::Table)?;
    println!(
        "Net (US burden on Canada less Canada's on the US): {} -> {} US$ bn per year",
        bn(r.net_burden_usd.baseline),
        bn(r.net_burden_usd.scenario)
    );
    println!();
    println!("Trade effects (partial equilibrium), US$ bn per year at baseline prices:");
    let mut pt = Table::new([
        "market",
        "exporter or sector",
        "market access",
        "creation",
        "diversion",
        "export revenue",
    ]);
    for m in &r.markets {
        for (who, e) in &m.by_exporter {
            pt.push([
                format!("{} imports", m.importer),
                who.clone(),
                bn(e.market_access),
                bn(e.creation),
                bn(e.diversion),
                bn(e.export_revenue),
            ]);
        }
        for (sector, e) in m
            .by_sector
            .iter()
            .filter(|(_, e)| e.market_access.abs() >= 5e6)
        {
            pt.push([
                format!("{} imports", m.importer),
                format!("sector: {sector}"),
                bn(e.market_access),
                bn(e.creation),
                bn(e.diversion),
                bn(e.export_revenue),
            ]);
        }
    }
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
    for a in &r.assumptions {
        println!("assumption: {a}");
    }
    Ok(())
}
