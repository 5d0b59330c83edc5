//! `quid balance`: the Canada-US reciprocity balance, the main job.

use super::{date_arg, opt_date, write_chart};
use crate::cli::{BalanceArgs, Cli, Format};
use crate::output::{count, Print as _, Table};
use quid_app::balance::{BalanceReport, BalanceRequest};
use quid_app::{App, EngineOptions};
use quid_core::ledger::Category;
use quid_core::Country;
use std::process::ExitCode;

fn bn(x: f64) -> String {
    format!("{:.2}", x / 1e9)
}

pub fn run(app: &App, cli: &Cli, a: &BalanceArgs) -> anyhow::Result<ExitCode> {
    super::parse_between(&a.between)?;
    let range = super::chart_range(a.chart_range.as_deref())?;
    let req = BalanceRequest {
        since: date_arg("--since", &a.since)?,
        until: opt_date("--until", a.until.as_deref())?,
        as_known_on: opt_date("--as-known-on", a.as_known_on.as_deref())?,
        cimt: a.cimt.clone(),
        scenario: a.scenario.clone(),
        baseline: opt_date("--baseline", a.baseline.as_deref())?,
        realized: a.realized,
        epsilon: a.epsilon,
        phi: a.phi,
    };
    let app = app.clone().with_workspace(a.workspace.as_deref());
    let engine = app.engine(&EngineOptions::default())?;
    let report = quid_app::balance::run(&app, &engine, &req)?;
    super::leave(engine);
    let cad = report.cad_per_usd;
    match cli.format {
        Format::Json => crate::output::json(&mut std::io::stdout().lock(), &report)?,
        Format::Csv => match &report.realized {
            Some(r) => r
                .months_table()
                .write(&mut std::io::stdout().lock(), Format::Csv)?,
            None => report
                .moves_table()
                .write(&mut std::io::stdout().lock(), Format::Csv)?,
        },
        Format::Table => {
            print_summary(&report, cad)?;
            if let Some(r) = &report.realized {
                print_realized(r)?;
            }
        }
    }
    if let Some(chart) = a.chart.as_ref().filter(|_| !a.no_chart) {
        let fit = |c: quid_econ::chart::Chart| match range {
            Some((from, to)) => c.with_range(from, to),
            None => c,
        };
        let (main, sectors) = quid_app::balance::charts(&report);
        let markers = main.markers.clone();
        let (main, sectors) = (fit(main), fit(sectors));
        let stem = chart
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_else(|| "balance".into());
        let sector_path = chart.with_file_name(format!("{stem}-sectors.svg"));
        let mut written = write_chart(chart, &main)?;
        written.extend(write_chart(&sector_path, &sectors)?);
        eprintln!("charts: {}", super::shown(&written));
        if let Some(r) = &report.realized {
            let path = chart.with_file_name(format!("{stem}-realized.svg"));
            let written = write_chart(&path, &r.chart(markers))?;
            eprintln!("realized chart: {}", super::shown(&written));
        }
    }
    if let Some(name) = &a.save {
        let args = serde_json::json!({
            "between": a.between, "since": a.since, "until": a.until,
            "as_known_on": req.as_known_on.unwrap_or(app.today).to_string(),
            "cimt": a.cimt.as_ref().map(|p| p.display().to_string()), "epsilon": a.epsilon, "phi": a.phi,
        });
        quid_app::balance::save(&app, name, &args)?;
        eprintln!("analysis {name:?} saved in {}", app.workspace.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn print_summary(r: &BalanceReport, cad: f64) -> anyhow::Result<()> {
    let b = &r.balance;
    println!(
        "Canada-United States reciprocity balance, {} to {} (as known on {})",
        b.since, b.until, b.as_known_on
    );
    println!("({})", r.period_end);
    println!();
    println!("Annual tariff burden: additional duties on a year of the other's goods (2024 trade), US$ bn/yr");
    println!("(rate at end: trade-weighted; OTRI end: the OTRI-style index, weights times import-demand elasticities)");
    let mut t = Table::new([
        "",
        "at start",
        "peak",
        "peak date",
        "at end",
        "end C$ bn",
        "rate at end",
        "OTRI end",
    ]);
    for (name, s) in [
        ("United States on Canada", &r.directions[0]),
        ("Canada on the United States", &r.directions[1]),
    ] {
        t.push([
            name.to_string(),
            bn(s.at_start_usd),
            bn(s.peak_usd),
            s.peak_date.to_string(),
            bn(s.at_end_usd),
            bn(s.at_end_usd * cad),
            format!("{:.2}%", s.ttri_end_pct),
            format!("{:.2}%", s.otri_end_pct),
        ]);
    }
    t.write(&mut std::io::stdout().lock(), Format::Table)?;
    println!();
    println!("Moves valued through the duty engine (change in the other's annual duty, US$ bn/yr; + raises, - lowers):");
    let mut mt = Table::new(["date", "by", "move", "measures", "US$ bn/yr", "C$ bn/yr"]);
    for m in b
        .moves
        .iter()
        .filter(|m| m.value_usd_per_year.is_some_and(|v| v.abs() >= 5e7))
    {
        let v = m.value_usd_per_year.unwrap_or(0.0);
        let title = m.title.clone();
        mt.push([
            m.date.map(|d| d.to_string()).unwrap_or_default(),
            m.party.to_string(),
            title,
            m.measures.join(" "),
            format!("{:+.2}", v / 1e9),
            format!("{:+.2}", v * cad / 1e9),
        ]);
    }
    mt.write(&mut std::io::stdout().lock(), Format::Table)?;
    for m in b.moves.iter().filter(|m| m.refundable_usd.is_some()) {
        println!(
            "{} ({}): US$ {} bn collected under the struck-down measures over the period, refundable (a one-off, not per year)",
            m.title,
            m.date.map(|d| d.to_string()).unwrap_or_default(),
            bn(m.refundable_usd.unwrap_or(0.0))
        );
    }
    let inter: f64 = b.interactions.iter().map(|i| i.value_usd_per_year).sum();
    if !b.interactions.is_empty() {
        println!("(stacking interactions and measures without a ledger move on those dates: net {:+.2} US$ bn/yr over {} dates; see --format json)", inter / 1e9, b.interactions.len());
    }
    println!();
    let acc = &r.accounting;
    println!(
        "What each side has given that it did not first take (against {}, US$ bn/yr of duty on the other's goods):",
        acc.baseline
    );
    let mut at = Table::new([
        "",
        "escalation since the baseline",
        "withdrawn (de-escalation)",
        "net escalation",
        "tariff concessions beyond it",
        "declared concessions",
    ]);
    for side in &acc.sides {
        at.push([
            side.party.to_string(),
            bn(side.escalation_usd),
            bn(side.de_escalation_usd),
            bn(side.net_escalation_usd),
            bn(side.tariff_concessions_usd),
            side.declared_concessions
                .iter()
                .map(|(_, d)| format!("{} {:.1} bn", d.currency, d.billions()))
                .collect::<Vec<_>>()
                .join(", "),
        ]);
    }
    at.write(&mut std::io::stdout().lock(), Format::Table)?;
    println!();
    println!("Concessions (liberalising moves by each party, court rulings and statutory expiries excluded):");
    let mut ct = Table::new(["category", "made by Canada", "made by the United States"]);
    let cats = [
        Category::Tariff,
        Category::Tax,
        Category::Spending,
        Category::Pledge,
        Category::NonTariff,
    ];
    for c in cats {
        let cell = |list: &[(Category, f64, usize)], party: quid_core::Country| -> String {
            let Some((_, v, n)) = list.iter().find(|(x, _, _)| *x == c) else {
                return "-".into();
            };
            if c == Category::Tariff {
                return format!(
                    "{}, {:+.2} US$ bn/yr of duty",
                    count(*n, "move", "moves"),
                    v / 1e9
                );
            }
            let declared: Vec<String> = b
                .moves
                .iter()
                .filter(|m| {
                    m.party == party
                        && m.category == c
                        && m.evaluation == quid_core::ledger::Evaluation::Liberalising
                })
                .filter_map(|m| {
                    m.declared
                        .as_ref()
                        .map(|d| format!("{} {:.1} bn", d.currency, d.billions()))
                })
                .collect();
            format!(
                "{}{}",
                count(*n, "move", "moves"),
                if declared.is_empty() {
                    String::new()
                } else {
                    format!(": {}", declared.join(", "))
                }
            )
        };
        ct.push([
            quid_app::table::serde_name(&c).replace('_', " "),
            cell(&r.concessions_by_ca, Country::CA),
            cell(&r.concessions_by_us, Country::US),
        ]);
    }
    ct.write(&mut std::io::stdout().lock(), Format::Table)?;
    println!();
    let (us, ca) = (&r.directions[0], &r.directions[1]);
    let net = us.at_end_usd - ca.at_end_usd;
    println!(
        "Net at {}: the United States charges Canada's goods US$ {} bn/yr more in additional duties than Canada charges US goods (C$ {} bn/yr).",
        b.until,
        bn(net),
        bn(net * cad)
    );
    println!();
    println!("Largest US burdens on Canada at the end, by authority:");
    for (a, v) in us.by_authority_end.iter().take(6) {
        println!("  {a:<26} US$ {} bn/yr", bn(*v));
    }
    println!("By sector at the end (US on Canada / Canada on the US, US$ bn/yr):");
    let end = |s: &quid_app::balance::SectorSeries| s.points.last().map_or(0.0, |p| p.1);
    for s in r.sectors.iter().filter(|s| s.importer == Country::US) {
        let other = r
            .sectors
            .iter()
            .find(|o| o.importer == Country::CA && o.group == s.group)
            .map_or(0.0, end);
        println!("  {:<18} {:>8} / {:>8}", s.sector, bn(end(s)), bn(other));
    }
    println!();
    for u in &r.ustr {
        println!(
            "USTR 2025 reciprocal formula for {} (epsilon {}, phi {}): (m - x)/(epsilon phi m) = {:.1}%, announced rate max(10%, half) = {:.1}% (2024 BTS: exports US$ {} bn, imports US$ {} bn)",
            u.partner,
            u.epsilon,
            u.phi,
            u.formula_pct,
            u.reciprocal_pct,
            bn(u.us_exports_usd),
            bn(u.us_imports_usd)
        );
    }
    println!();
    for n in &r.notes {
        println!("note: {n}");
    }
    Ok(())
}

fn print_realized(r: &quid_app::realized::RealizedReport) -> anyhow::Result<()> {
    let m = |x: f64| format!("{:.0}", x / 1e6);
    println!();
    println!("Realized: duties on the trade that crossed, reconciled with what was collected");
    println!(
        "remission share {:.1}%: {}",
        100.0 * r.remission_share,
        r.remission_basis
    );
    for s in &r.sides {
        println!();
        println!(
            "{} on goods of {} (US$ million a month; trade: {}; last month of data {})",
            s.importer, s.partner, s.trade_source, s.last_data_month
        );
        let mut t = Table::new([
            "month",
            "imports",
            "claimed",
            "1 statutory 2024",
            "2 period trade",
            "3 period claims",
            "4 base duty",
            "5 remissions",
            "modelled",
            "rate",
        ]);
        for row in &s.months {
            t.push([
                {
                    let mut notes = Vec::new();
                    if row.days < row.month.days() {
                        notes.push(format!("{} days", row.days));
                    }
                    if row.carried_forward {
                        notes.push("carried".to_string());
                    }
                    if notes.is_empty() {
                        row.month.to_string()
                    } else {
                        format!("{} ({})", row.month, notes.join(", "))
                    }
                },
                m(row.imports_usd),
                format!("{:.0}%", 100.0 * row.claimed_usd / row.imports_usd.max(1.0)),
                m(row.statutory_2024_usd),
                m(row.at_period_trade_usd),
                m(row.with_period_claims_usd),
                m(row.base_usd),
                m(-row.remissions_usd),
                m(row.modelled_usd),
                format!(
                    "{:.2}%",
                    100.0 * row.modelled_usd / row.imports_usd.max(1.0)
                ),
            ]);
        }
        t.write(&mut std::io::stdout().lock(), Format::Table)?;
        for rc in &s.reconciliations {
            println!();
            println!(
                "  {} ({}), {} to {}, {} million: {}",
                rc.figure,
                quid_app::table::serde_name(&rc.kind).replace('_', " "),
                rc.from,
                rc.until,
                rc.currency,
                rc.source
            );
            for st in &rc.steps {
                println!("    {:<48} {:>10.0}", st.step, st.amount / 1e6);
            }
            println!("    {:<48} {:>10.0}", "= published", rc.published / 1e6);
        }
        if !s.rates.is_empty() {
            println!();
            let mut t = Table::new([
                "realized rate",
                "period",
                "published",
                "quid",
                "statutory 2024",
                "source",
            ]);
            for rc in &s.rates {
                t.push([
                    format!(
                        "{} ({})",
                        rc.figure,
                        quid_app::table::serde_name(&rc.kind).replace('_', " ")
                    ),
                    format!("{} to {}", rc.from, rc.until),
                    format!("{:.1}%", rc.published_pct),
                    format!("{:.1}%", rc.modelled_pct),
                    format!("{:.1}%", rc.statutory_pct),
                    rc.source.clone(),
                ]);
            }
            t.write(&mut std::io::stdout().lock(), Format::Table)?;
        }
        let missing: Vec<String> = s
            .months_without_figure
            .iter()
            .map(|m| m.to_string())
            .collect();
        println!(
            "  months with no published figure: {}",
            if missing.is_empty() {
                "none".to_string()
            } else {
                missing.join(", ")
            }
        );
    }
    println!();
    for n in &r.notes {
        println!("note: {n}");
    }
    Ok(())
}
