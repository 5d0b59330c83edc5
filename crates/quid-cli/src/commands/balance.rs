//! `quid balance`: the Canada-US reciprocity balance, the main job.

use super::duty::load_engine;
use super::ledger::{combined_ledger, today};
use crate::cli::{BalanceArgs, Cli, Format};
use crate::context;
use crate::output::Table;
use anyhow::Context as _;
use quid_core::ledger::{Announcement, Category};
use quid_core::{parse_date, Country, Date};
use quid_data::flows::read_bts_hs2_annual;
use quid_data::ledger::read_fx;
use quid_data::weights::{
    ca_imports_from_cimt, ca_imports_from_us_grouped, us_imports_weighted, Elasticities, Grouping,
    ShareMode, WeightYear,
};
use quid_econ::balance::{burden_by_authority, compute, concessions, Balance, Direction};
use quid_econ::chart::{svg_with_unit, Marker, Series, YUnit, PALETTE};
use quid_econ::etr::{self, EtrInput, EtrSeries};
use quid_econ::Segments;
use quid_engine::{MeasureRecord, Policy};
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use std::process::ExitCode;

fn referenced(entries: &[&Announcement], rec: &MeasureRecord) -> bool {
    entries.iter().any(|a| {
        a.interventions
            .iter()
            .any(|v| v.measures.iter().any(|m| rec.is_named_by(m)))
    })
}

fn bn(x: f64) -> String {
    format!("{:.2}", x / 1e9)
}

/// One direction: weights, panel, quid ETR and the elasticity-weighted (OTRI-style) series.
struct Side {
    dir: Direction,
    otri: EtrSeries,
    input: EtrInput,
    note: String,
}

impl Side {
    /// The base-year imports of one sector group (USD).
    fn group_weight(&self, g: usize) -> f64 {
        self.input
            .lines
            .iter()
            .filter(|l| l.group as usize == g)
            .map(|l| l.weight)
            .sum()
    }
}

#[allow(clippy::too_many_arguments)]
fn side(
    policy: &Policy,
    reference: &quid_data::reference::BundleReference,
    importer: Country,
    partner: Country,
    input: EtrInput,
    eps: &[f64],
    segments: &Segments,
    note: String,
) -> Side {
    let (dir, panel) =
        quid_data::directions::direction(policy, reference, importer, partner, &input, segments);
    let mut weighted = input.clone();
    for (l, e) in weighted.lines.iter_mut().zip(eps) {
        l.weight *= e;
    }
    weighted.total_weight = weighted.lines.iter().map(|l| l.weight).sum();
    let otri = etr::compute(&panel, &weighted);
    Side {
        dir,
        otri,
        input,
        note,
    }
}

#[derive(Serialize)]
struct BurdenPoint {
    date: Date,
    us_on_ca_usd: f64,
    ca_on_us_usd: f64,
    us_ttri_pct: f64,
    ca_ttri_pct: f64,
    us_otri_pct: f64,
    ca_otri_pct: f64,
}

#[derive(Serialize)]
struct Ustr {
    partner: Country,
    us_exports_usd: f64,
    us_imports_usd: f64,
    epsilon: f64,
    phi: f64,
    formula_pct: f64,
    reciprocal_pct: f64,
}

#[derive(Serialize)]
struct Report<'a> {
    balance: &'a Balance,
    burdens: Vec<BurdenPoint>,
    concessions_by_ca: Vec<(Category, f64, usize)>,
    concessions_by_us: Vec<(Category, f64, usize)>,
    ustr: Vec<Ustr>,
    cad_per_usd: f64,
    fx_source: String,
    notes: Vec<String>,
}

pub fn run(cli: &Cli, a: &BalanceArgs) -> anyhow::Result<ExitCode> {
    let parties: Vec<Country> = a
        .between
        .iter()
        .map(|p| p.parse())
        .collect::<Result<_, _>>()?;
    anyhow::ensure!(
        parties.len() == 2 && parties.contains(&Country::CA) && parties.contains(&Country::US),
        "quid's bundled data covers the balance between CA and US"
    );
    let since = parse_date(&a.since).context("--since")?;
    let known_on = match &a.as_known_on {
        Some(d) => parse_date(d).context("--as-known-on")?,
        None => today(),
    };
    let bundle = context::bundle(&cli.data)?;
    let (policy, reference) = load_engine(cli, None, false)?;
    let (ledger, own) = combined_ledger(cli, &a.workspace)?;
    let problems = ledger.check(&quid_data::ledger::measure_checker(&bundle, &policy)?);
    anyhow::ensure!(
        problems.is_empty(),
        "the ledger has {} problem(s); run `quid ledger check`:\n{}",
        problems.len(),
        problems.join("\n")
    );
    let view: Vec<&Announcement> = ledger.as_known_on(known_on);
    anyhow::ensure!(
        !view.is_empty(),
        "nothing in the ledger was recorded by {known_on}"
    );
    let all: Vec<&Announcement> = ledger.announcements.iter().collect();
    let policy_k = policy.as_known_on(known_on, &|rec| {
        !referenced(&all, rec) || referenced(&view, rec)
    });
    let until = match &a.until {
        Some(d) => parse_date(d).context("--until")?,
        None => view
            .iter()
            .flat_map(|x| {
                x.interventions
                    .iter()
                    .filter_map(|v| v.implemented)
                    .chain(std::iter::once(x.announced))
            })
            .filter(|d| *d <= known_on)
            .max()
            .unwrap_or(known_on),
    };
    anyhow::ensure!(
        since <= until,
        "--since {since} is after the end of the period {until}"
    );
    // The two directions.
    let segments =
        quid_data::directions::balance_segments(&policy_k, &reference, &view, since, until);
    let us_input = us_imports_weighted(
        &bundle,
        Country::CA,
        Grouping::Balance,
        ShareMode::Annual2025,
        WeightYear::Y2024,
    )?;
    let fx = read_fx(&bundle.fx())?;
    let fx_2024 = fx
        .rates
        .iter()
        .find(|r| r.period == "2024")
        .context("no 2024 annual rate in data/fx/usd_cad.csv")?;
    let cad = fx_2024.cad_per_usd.to_f64().unwrap_or(1.0);
    let (ca_input, ca_note) = match &a.cimt {
        Some(p) => {
            let mut inp = ca_imports_from_cimt(p, 2024).with_context(|| format!("reading {}", p.display()))?;
            // CIMT values are CAD: convert the weights to USD at the 2024 average.
            for l in inp.lines.iter_mut() {
                l.weight /= cad;
            }
            inp.total_weight /= cad;
            (inp, format!("Canadian imports from the US: {} (CIMT, 2024, tariff-item level)", p.display()))
        }
        None => (
            ca_imports_from_us_grouped(
                &bundle,
                &quid_data::weights::ca_measure_items(&policy),
                2024,
                Grouping::Balance,
            )?,
            "Canadian imports from the US: HS2 totals only (BTS 2024, US exports to Canada); within a chapter the HS6 mix of US imports from Canada stands in, listed items share their HS6 equally; load a Statistics Canada CIMT file with --cimt for item-level weights".to_string(),
        ),
    };
    let eps = Elasticities::load(&bundle)?;
    let median = eps.median;
    let eps_us = eps.of(&us_input.lines.iter().map(|l| l.hs).collect::<Vec<_>>());
    let eps_ca = eps.of(&ca_input.lines.iter().map(|l| l.hs).collect::<Vec<_>>());
    let us = side(&policy_k, &reference, Country::US, Country::CA, us_input, &eps_us, &segments, "US imports from Canada: 2024 Census imports for consumption by HS10, 2025 USMCA claim shares".into());
    let ca = side(
        &policy_k,
        &reference,
        Country::CA,
        Country::US,
        ca_input,
        &eps_ca,
        &segments,
        ca_note,
    );
    let authorities_of = |m: &str| policy.authorities_named_by(m);
    let balance = compute(
        &view,
        &[us.dir.clone(), ca.dir.clone()],
        &authorities_of,
        since,
        until,
        known_on,
    );
    // USTR reciprocal formula, on 2024 BTS flows.
    let bts = read_bts_hs2_annual(&bundle.bts_hs2_annual())?;
    let flows = |c: Country| -> (f64, f64) {
        bts.iter()
            .filter(|r| r.year == 2024)
            .fold((0.0, 0.0), |(x, m), r| {
                (
                    x + r.exports_to(c).and_then(|v| v.to_f64()).unwrap_or(0.0),
                    m + r.imports_from(c).and_then(|v| v.to_f64()).unwrap_or(0.0),
                )
            })
    };
    let ustr: Vec<Ustr> = [Country::CA, Country::MX]
        .into_iter()
        .map(|c| {
            let (x, m) = flows(c);
            let f = (m - x) / (a.epsilon * a.phi * m) * 100.0;
            Ustr {
                partner: c,
                us_exports_usd: x,
                us_imports_usd: m,
                epsilon: a.epsilon,
                phi: a.phi,
                formula_pct: f,
                reciprocal_pct: (f / 2.0).max(10.0),
            }
        })
        .collect();
    let burdens: Vec<BurdenPoint> = segments
        .starts
        .iter()
        .enumerate()
        .map(|(k, d)| BurdenPoint {
            date: *d,
            us_on_ca_usd: us.dir.burden(*d),
            ca_on_us_usd: ca.dir.burden(*d),
            us_ttri_pct: us.dir.series.total[k] * 100.0,
            ca_ttri_pct: ca.dir.series.total[k] * 100.0,
            us_otri_pct: us.otri.total[k] * 100.0,
            ca_otri_pct: ca.otri.total[k] * 100.0,
        })
        .collect();
    let notes = vec![
        us.note.clone(),
        ca.note.clone(),
        format!("burdens: additional duties (above the base rate) on a year of the other's goods at 2024 trade, USD; CAD at {} per USD ({})", fx_2024.cad_per_usd, fx_2024.source),
        format!("OTRI-style index: weights times US import-demand elasticities (Hauk 2012, HS6; median {median:.2} where missing; no Canadian estimates are bundled, so Canada's index uses the same elasticities)"),
        format!("ledger: {} bundled and workspace entries ({} from the workspace); {} known on {known_on}", ledger.announcements.len(), own, view.len()),
    ];
    let report = Report {
        balance: &balance,
        burdens,
        concessions_by_ca: concessions(&balance, Country::CA),
        concessions_by_us: concessions(&balance, Country::US),
        ustr,
        cad_per_usd: cad,
        fx_source: fx_2024.source.to_string(),
        notes,
    };
    match cli.format {
        Format::Json => {
            serde_json::to_writer_pretty(std::io::stdout().lock(), &report)?;
            println!();
        }
        Format::Csv => {
            moves_table(&balance, cad).write(&mut std::io::stdout().lock(), Format::Csv)?
        }
        Format::Table => print_summary(&report, &us, &ca, cad)?,
    }
    if !a.no_chart {
        write_charts(&a.chart, &report, &us, &ca, &balance)?;
    }
    if let Some(name) = &a.save {
        let path = super::ledger::workspace_path(&a.workspace);
        let mut ws = quid_store::Workspace::open(&path)
            .with_context(|| format!("opening {}", path.display()))?;
        let args = serde_json::json!({
            "between": a.between, "since": a.since, "until": a.until, "as_known_on": known_on.to_string(),
            "cimt": a.cimt.as_ref().map(|p| p.display().to_string()), "epsilon": a.epsilon, "phi": a.phi,
        });
        ws.save_analysis(name, &today().to_string(), &args.to_string())?;
        eprintln!("analysis {name:?} saved in {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn moves_table(b: &Balance, cad: f64) -> Table {
    let mut t = Table::new([
        "date",
        "party",
        "kind",
        "category",
        "evaluation",
        "status",
        "move",
        "measures",
        "value_usd_bn_per_year",
        "value_cad_bn_per_year",
        "refundable_usd_bn",
        "declared",
        "note",
        "source",
    ]);
    for m in &b.moves {
        t.push([
            m.date.map(|d| d.to_string()).unwrap_or_default(),
            m.party.to_string(),
            format!("{:?}", m.kind),
            format!("{:?}", m.category),
            format!("{:?}", m.evaluation),
            format!("{:?}", m.status),
            m.title.clone(),
            m.measures.join(" "),
            m.value_usd_per_year.map(bn).unwrap_or_default(),
            m.value_usd_per_year
                .map(|v| bn(v * cad))
                .unwrap_or_default(),
            m.refundable_usd.map(bn).unwrap_or_default(),
            m.declared
                .as_ref()
                .map(|(a, c, b)| format!("{c} {a} ({b})"))
                .unwrap_or_default(),
            m.note.clone().unwrap_or_default(),
            m.sources
                .first()
                .and_then(|s| s.url.clone())
                .unwrap_or_default(),
        ]);
    }
    t
}

fn print_summary(r: &Report<'_>, us: &Side, ca: &Side, cad: f64) -> anyhow::Result<()> {
    let b = r.balance;
    println!(
        "Canada-United States reciprocity balance, {} to {} (as known on {})",
        b.since, b.until, b.as_known_on
    );
    println!();
    println!("Annual tariff burden: additional duties on a year of the other's goods (2024 trade), US$ bn/yr");
    let peak = |d: &Direction| {
        r.burdens
            .iter()
            .map(|p| (p.date, d.burden(p.date)))
            .max_by(|x, y| x.1.total_cmp(&y.1))
            .unwrap_or((b.since, 0.0))
    };
    let mut t = Table::new([
        "",
        "at start",
        "peak",
        "peak date",
        "at end",
        "at end (C$ bn/yr)",
        "trade-weighted rate at end",
        "OTRI-style at end",
    ]);
    for (name, s) in [
        ("United States on Canada", us),
        ("Canada on the United States", ca),
    ] {
        let (pd, pv) = peak(&s.dir);
        let k = s.dir.series.segments.len() - 1;
        t.push([
            name.to_string(),
            bn(s.dir.burden(b.since)),
            bn(pv),
            pd.to_string(),
            bn(s.dir.burden(b.until)),
            bn(s.dir.burden(b.until) * cad),
            format!("{:.2}%", s.dir.series.total[k] * 100.0),
            format!("{:.2}%", s.otri.total[k] * 100.0),
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
    println!("Concessions (liberalising moves by each party, court rulings excluded):");
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
                return format!("{n} moves, {:+.2} US$ bn/yr of duty", v / 1e9);
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
                    m.declared.as_ref().map(|(a, cur, _)| {
                        format!("{cur} {:.1} bn", a.parse::<f64>().unwrap_or(0.0) / 1e9)
                    })
                })
                .collect();
            format!(
                "{n} moves{}",
                if declared.is_empty() {
                    String::new()
                } else {
                    format!(": {}", declared.join(", "))
                }
            )
        };
        ct.push([
            format!("{c:?}"),
            cell(&r.concessions_by_ca, Country::CA),
            cell(&r.concessions_by_us, Country::US),
        ]);
    }
    ct.write(&mut std::io::stdout().lock(), Format::Table)?;
    println!();
    let net = us.dir.burden(b.until) - ca.dir.burden(b.until);
    println!(
        "Net at {}: the United States charges Canada's goods US$ {} bn/yr more in additional duties than Canada charges US goods (C$ {} bn/yr).",
        b.until,
        bn(net),
        bn(net * cad)
    );
    println!();
    println!("Largest US burdens on Canada at the end, by authority:");
    for (a, v) in burden_by_authority(&us.dir, b.until).into_iter().take(6) {
        println!("  {a:<26} US$ {} bn/yr", bn(v));
    }
    println!("By sector at the end (US on Canada / Canada on the US, US$ bn/yr):");
    for (g, name) in us.input.groups.iter().enumerate() {
        let sector = |s: &Side| -> f64 {
            let k = s.dir.series.segments.len() - 1;
            s.dir.series.by_group[k].get(g).copied().unwrap_or(0.0) * s.group_weight(g)
        };
        println!("  {name:<18} {:>8} / {:>8}", bn(sector(us)), bn(sector(ca)));
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

fn write_charts(
    path: &std::path::Path,
    r: &Report<'_>,
    us: &Side,
    ca: &Side,
    b: &Balance,
) -> anyhow::Result<()> {
    let pts = |f: &dyn Fn(&BurdenPoint) -> f64| {
        r.burdens
            .iter()
            .map(|p| (p.date, f(p) / 1e9))
            .collect::<Vec<_>>()
    };
    let series = vec![
        Series {
            label: "US duties on Canadian goods".into(),
            color: PALETTE[1],
            points: pts(&|p| p.us_on_ca_usd),
            dashed: false,
        },
        Series {
            label: "Canadian duties on US goods".into(),
            color: PALETTE[0],
            points: pts(&|p| p.ca_on_us_usd),
            dashed: false,
        },
    ];
    // One marker per date: each party's moves on it summed.
    let mut by_date: std::collections::BTreeMap<Date, Vec<(Country, f64)>> =
        std::collections::BTreeMap::new();
    for m in b.moves.iter().filter(|m| m.value_usd_per_year.is_some()) {
        let Some(d) = m.date else { continue };
        let e = by_date.entry(d).or_default();
        match e.iter_mut().find(|(p, _)| *p == m.party) {
            Some((_, v)) => *v += m.value_usd_per_year.unwrap_or(0.0),
            None => e.push((m.party, m.value_usd_per_year.unwrap_or(0.0))),
        }
    }
    let mut markers: Vec<Marker> = by_date
        .into_iter()
        .filter(|(_, v)| v.iter().any(|(_, x)| x.abs() >= 1e9))
        .map(|(d, v)| Marker {
            date: d,
            label: v
                .iter()
                .filter(|(_, x)| x.abs() >= 1e8)
                .map(|(p, x)| format!("{p} {:+.1}bn", x / 1e9))
                .collect::<Vec<_>>()
                .join("; "),
        })
        .collect();
    for m in b
        .moves
        .iter()
        .filter(|m| m.declared.is_some() && m.date.is_some())
    {
        if let (Some(d), Some((a, c, _))) = (m.date, &m.declared) {
            markers.push(Marker {
                date: d,
                label: format!(
                    "{} {:?} {c} {:.1}bn declared",
                    m.party,
                    m.kind,
                    a.parse::<f64>().unwrap_or(0.0) / 1e9
                )
                .to_lowercase(),
            });
        }
    }
    markers.sort_by_key(|m| m.date);
    let title = "Canada-US reciprocity: annual duties each side charges the other's goods";
    let subtitle = format!("US$ bn per year of additional duties on 2024 trade, {} to {}, as known on {}; markers: each side's moves worth 1 bn/yr or more, and declared concessions", b.since, b.until, b.as_known_on);
    std::fs::write(
        path,
        svg_with_unit(
            title,
            &subtitle,
            &series,
            &markers,
            b.until,
            YUnit::Amount(" bn"),
        ),
    )
    .with_context(|| format!("writing {}", path.display()))?;
    // Sector view.
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "balance".into());
    let sector_path = path.with_file_name(format!("{stem}-sectors.svg"));
    let mut lines = Vec::new();
    for (side, who) in [(us, "US on CA"), (ca, "CA on US")] {
        for (g, name) in side.input.groups.iter().enumerate() {
            let gw = side.group_weight(g);
            let points: Vec<(Date, f64)> = side
                .dir
                .series
                .segments
                .starts
                .iter()
                .enumerate()
                .map(|(k, d)| (*d, side.dir.series.by_group[k][g] * gw / 1e9))
                .collect();
            if points.iter().any(|p| p.1 > 0.1) {
                // One colour per sector; Canada's duties on US goods drawn dashed.
                lines.push(Series {
                    label: format!("{who}: {name}"),
                    color: PALETTE[g % PALETTE.len()],
                    points,
                    dashed: who.starts_with("CA"),
                });
            }
        }
    }
    let subtitle = format!(
        "US$ bn per year of additional duties on 2024 trade, {} to {}, as known on {}; solid: US duties on Canadian goods; dashed: Canadian duties on US goods",
        b.since, b.until, b.as_known_on
    );
    let text = svg_with_unit(
        "Reciprocity by sector: annual additional duties on the other's goods",
        &subtitle,
        &lines,
        &[],
        b.until,
        YUnit::Amount(" bn"),
    );
    std::fs::write(&sector_path, text)
        .with_context(|| format!("writing {}", sector_path.display()))?;
    eprintln!("charts: {} and {}", path.display(), sector_path.display());
    Ok(())
}
