//! Trade-weighted effective tariff rates over time, by authority or sector, in the quid
//! convention (the law as the duty engine applies it) or the Budget Lab tracker's, with a chart
//! specification marking the policy dates.
//!
//! The series of US duties on goods of Canada around the IEEPA duty of March 2025, by authority,
//! and the chart's markers:
//!
//! ```
//! use quid_app::etr::{markers, run, Breakdown, Convention, EtrRequest};
//! use quid_app::weights::{ShareMode, WeightYear};
//! use quid_app::{App, EngineOptions};
//! use quid_core::{parse_date, Country};
//!
//! let data = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
//! let app = App::new(Some(data), parse_date("2026-12-06").unwrap()).unwrap();
//! let engine = app.engine(&EngineOptions::default()).unwrap();
//! let req = EtrRequest {
//!     importer: Country::US,
//!     partner: Country::CA,
//!     from: parse_date("2025-02-20").unwrap(),
//!     to: parse_date("2025-03-10").unwrap(),
//!     daily: false,
//!     by: Some(Breakdown::Authority),
//!     weights: WeightYear::Y2024,
//!     shares: ShareMode::Annual2024,
//!     convention: Convention::Quid,
//!     yale_alpha: None,
//! };
//! let report = run(&app, &engine, &req).unwrap();
//! assert_eq!(report.table.headers, ["date", "etr_pct", "additional_pct", "base_pct", "ieepa_ca_pct"]);
//! // One row per segment: the start, the IEEPA duty (EO 14193, from 2025-03-04: 25%, 10% on
//! // energy), and the USMCA exemption (EO 14231, from 2025-03-07).
//! let dates: Vec<String> = report.table.rows.iter().map(|r| r[0].to_string()).collect();
//! assert_eq!(dates, ["2025-02-20", "2025-03-04", "2025-03-07"]);
//! // No IEEPA duty before 2025-03-04; the base duty did not move over the period.
//! assert_eq!(report.table.rows[0][4], "0.000");
//! assert!(report.table.rows.iter().all(|r| r[3] == report.table.rows[0][3]));
//! let labels: Vec<(String, String)> = markers(&engine.policy, Country::US, Country::CA, &report.series)
//!     .into_iter()
//!     .map(|m| (m.date.to_string(), m.label))
//!     .collect();
//! assert_eq!(labels, [
//!     ("2025-03-04".to_string(), "IEEPA Canada: 25% (some goods 10%)".to_string()),
//!     ("2025-03-07".to_string(), "IEEPA Canada: USMCA goods exempt".to_string()),
//! ]);
//! ```

use crate::directions::change_dates;
use crate::error::ensure;
use crate::table::{snake, Cell, Kind, Table};
use crate::weights::{
    ca_imports_from_us, ca_measure_items, us_imports_weighted, Grouping, ShareMode, WeightYear,
};
use crate::{App, Engine, Error, Result};
use quid_core::{Country, Date};
use quid_econ::chart::{Chart, Marker, Series, YUnit, PALETTE};
use quid_econ::yale::{self, YaleParams};
use quid_econ::{authority_name, EtrSeries, Segments, AUTHORITY_COUNT};
use quid_engine::{Policy, Status};

/// How the rate is broken down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breakdown {
    Authority,
    Sector,
    Gtap,
}

/// Whose method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Convention {
    Quid,
    Yale,
}

/// An ETR question.
#[derive(Debug, Clone)]
pub struct EtrRequest {
    pub importer: Country,
    pub partner: Country,
    pub from: Date,
    pub to: Date,
    pub daily: bool,
    pub by: Option<Breakdown>,
    pub weights: WeightYear,
    pub shares: ShareMode,
    pub convention: Convention,
    /// With the yale convention: the US-content factor of USMCA vehicles (default: the law
    /// file's dated default, as the tracker's build of the date).
    pub yale_alpha: Option<f64>,
}

/// The series, its table, notes and chart.
pub struct EtrReport {
    pub series: EtrSeries,
    pub table: Table,
    /// What the weights and convention are, and coverage.
    pub notes: Vec<String>,
    pub chart: Chart,
}

/// A reader's name for an authority class.
pub fn readable(authority: &str) -> String {
    match authority {
        "mfn" => "MFN base duty".into(),
        "ieepa-ca" => "IEEPA Canada".into(),
        "ieepa-mx" => "IEEPA Mexico".into(),
        "s122" => "Section 122 surcharge".into(),
        "s301-forced-labour" => "Section 301 forced labour".into(),
        "s338" => "Section 338".into(),
        "adcvd" => "Antidumping and countervailing".into(),
        "s232-mhdv" => "Section 232 trucks".into(),
        "s232-semis" => "Section 232 semiconductors".into(),
        "s232-auto-parts" => "Section 232 auto parts".into(),
        "ca-surtax-2025-1" => "Canada surtax on C$30 bn of US goods".into(),
        "ca-surtax-steel-aluminum" => "Canada surtax on steel and aluminum".into(),
        "ca-surtax-motor-vehicles" => "Canada surtax on vehicles".into(),
        "ca-steel-derivative" => "Canada steel-derivative surtax".into(),
        "ca-steel-trq" => "Canada steel quota surtax".into(),
        a if a.starts_with("s232-") => format!("Section 232 {}", &a[5..]),
        a if a.starts_with("ca-") => format!("Canada {}", &a[3..]),
        a => a.to_string(),
    }
}

fn pct(r: f64) -> Cell {
    Cell::num(r * 100.0, 3)
}

/// The series' fixed columns; with a breakdown, one `<authority>_pct` or
/// `<sector>_additional_pct` column follows for each authority or sector.
pub fn columns() -> Table {
    let mut t = Table::typed([
        ("date", Kind::Date),
        ("etr_pct", Kind::Number),
        ("additional_pct", Kind::Number),
        ("base_pct", Kind::Number),
    ]);
    t.extra = Some(Kind::Number);
    t
}

/// Policy events for the chart: the start of every measure on the partner's goods that moved
/// the rate, titled by authority and rate (with the rate it replaces, when a measure of the same
/// authority ended that day), and the end of collection of struck-down duties.
pub fn markers(
    policy: &Policy,
    importer: Country,
    partner: Country,
    series: &EtrSeries,
) -> Vec<Marker> {
    policy_markers(
        policy,
        importer,
        partner,
        series.segments.starts.get(1..).unwrap_or(&[]),
    )
}

/// The policy events of [`markers`] on each of `dates` that has any.
pub fn policy_markers(
    policy: &Policy,
    importer: Country,
    partner: Country,
    dates: &[Date],
) -> Vec<Marker> {
    let mut out: Vec<Marker> = Vec::new();
    let targets = |m: &quid_engine::MeasureRecord| {
        m.origins.iter().any(|o| o == "*" || o == partner.as_str()) && m.status.collected()
    };
    for d in dates.iter().copied() {
        let mut labels: Vec<String> = Vec::new();
        // Authorities starting a measure on the day, in the order met: (name, new rates,
        // rates of the same authority ending that day, exemption only).
        let mut started: Vec<(String, Vec<String>, Vec<String>, bool)> = Vec::new();
        let mut ended: Vec<(String, String)> = Vec::new();
        for (m, _) in policy.measures(importer) {
            if !targets(m) {
                continue;
            }
            if m.from == d {
                // A measure that replaces one of its authority ending the same day with the
                // same rate but a USMCA condition is the USMCA exemption.
                let exemption = m.conditions.preference_claim
                    == quid_engine::measure::Claim::Absent
                    && policy.measures(importer).any(|(p, _)| {
                        p.authority == m.authority
                            && p.until == Some(d)
                            && p.rate == m.rate
                            && p.conditions.preference_claim != quid_engine::measure::Claim::Absent
                    });
                let a = m.authority.as_str().to_string();
                let i = match started.iter().position(|s| s.0 == a) {
                    Some(i) => i,
                    None => {
                        let before: Vec<String> = policy
                            .measures(importer)
                            .filter(|(p, _)| {
                                targets(p) && p.authority == m.authority && p.until == Some(d)
                            })
                            .map(|(p, _)| p.rate.clone())
                            .fold(Vec::new(), |mut v, r| {
                                if !v.contains(&r) {
                                    v.push(r);
                                }
                                v
                            });
                        started.push((a, Vec::new(), before, false));
                        started.len() - 1
                    }
                };
                // The exemption's rate is the rate the other goods keep: it is not new.
                if exemption {
                    started[i].3 = true;
                } else if !started[i].1.contains(&m.rate) {
                    started[i].1.push(m.rate.clone());
                }
            } else if m.until == Some(d) {
                let why = match (&m.struck_down, m.status == Status::StruckDown) {
                    (Some(s), true) => format!(" (ruling {})", s.ruling),
                    _ => String::new(),
                };
                ended.push((m.authority.to_string(), why));
            }
        }
        for (a, new, before, exemption) in &started {
            let same = |x: &[String], y: &[String]| {
                x.iter().all(|r| y.contains(r)) && y.iter().all(|r| x.contains(r))
            };
            let l = if *exemption && (new.is_empty() || same(before, new)) {
                format!("{}: USMCA goods exempt", readable(a))
            } else {
                let rates = |v: &[String]| match v {
                    [one] => one.clone(),
                    [first, rest @ ..] => format!("{first} (some goods {})", rest.join(", ")),
                    [] => String::new(),
                };
                let a = &format!("{}: ", readable(a));
                match (before.first(), new.first()) {
                    _ if *exemption => {
                        format!("{a}USMCA goods exempt; some goods now {}", new.join(", "))
                    }
                    (None, _) => format!("{a}{}", rates(new)),
                    _ if same(before, new) => {
                        format!("{a}{}, new scope or conditions", rates(new))
                    }
                    (Some(b), Some(n)) if b == n => {
                        let others: Vec<String> = new.iter().filter(|r| *r != n).cloned().collect();
                        format!("{a}{n}, some goods now {}", others.join(", "))
                    }
                    _ => format!("{a}{} \u{2192} {}", rates(before), rates(new)),
                }
            };
            if !labels.contains(&l) {
                labels.push(l);
            }
        }
        for (a, why) in ended {
            let l = format!("{} ends{why}", readable(&a));
            if !started.iter().any(|s| s.0 == a) && !labels.contains(&l) {
                labels.push(l);
            }
        }
        if labels.is_empty() {
            continue;
        }
        out.push(Marker {
            date: d,
            label: labels.join("; "),
        });
    }
    out
}

/// Computes the series.
pub fn run(app: &App, engine: &Engine, req: &EtrRequest) -> Result<EtrReport> {
    let (importer, partner, from, to) = (req.importer, req.partner, req.from, req.to);
    ensure(from <= to, "--from", || {
        format!("{from} is after --to {to}")
    })?;
    ensure(importer != partner, "--partner", || {
        "importer and partner are the same".into()
    })?;
    if let Some(a) = req.yale_alpha {
        ensure((0.0..=1.0).contains(&a), "--yale-alpha", || {
            format!(
                "{a} is outside 0 to 1: it is the factor on a USMCA vehicle's claim share (the \
                 share of its value that is US content; 0.40 by default, 1 in the tracker's \
                 earlier builds)"
            )
        })?;
    }
    let bundle = &app.bundle;
    let (policy, reference) = (&engine.policy, &engine.reference);
    crate::directions::ensure_schedule_on(reference, importer, from, "--from")?;
    let grouping = if req.by == Some(Breakdown::Gtap) {
        Grouping::Gtap
    } else {
        Grouping::Section
    };
    let (input, weights_note) = match importer {
        Country::US => {
            ensure(
                matches!(partner, Country::CA | Country::MX),
                "--partner",
                || "US weights are bundled for CA and MX".into(),
            )?;
            let what = match req.weights {
                WeightYear::Y2024 => "2024 US imports for consumption",
                WeightYear::Y2025 => "2025 US imports (monthly files summed)",
            };
            (
                us_imports_weighted(bundle, partner, grouping, req.shares, req.weights)?,
                format!(
                    "weights: {what} from {partner} by HS10 (Census); USMCA claim shares: {}",
                    req.shares.name()
                ),
            )
        }
        _ => {
            ensure(partner == Country::US, "--partner", || {
                "Canadian weights are bundled for goods of the US".into()
            })?;
            if grouping == Grouping::Gtap {
                return Err(Error::invalid(
                    "--by",
                    "GTAP sectors are mapped for US lines only",
                ));
            }
            let items = ca_measure_items(policy);
            (
                ca_imports_from_us(bundle, &items, 2024)?,
                "weights: only HS2 totals exist for Canadian imports from the US (BTS 2024, US exports to Canada); within a chapter the HS6 composition of US imports from Canada stands in, and listed tariff items share their HS6 equally; every US good taken to enter under CUSMA".to_string(),
            )
        }
    };
    let mut cuts = change_dates(policy, reference, importer);
    cuts.extend(input.shares.month_starts());
    let segments = Segments::new(from, to, cuts);
    let (series, errors) = match req.convention {
        Convention::Quid => {
            let (dir, panel) = crate::directions::direction(
                policy, reference, importer, partner, &input, &segments,
            );
            (dir.series, panel.errors)
        }
        Convention::Yale => {
            let params = YaleParams {
                alpha: req.yale_alpha,
                ..YaleParams::default()
            };
            (
                yale::series(
                    policy, reference, importer, partner, &input, &segments, &params,
                ),
                Vec::new(),
            )
        }
    };
    // The table.
    let mut table = columns();
    let auths: Vec<usize> = (1..AUTHORITY_COUNT)
        .filter(|i| series.by_authority.iter().any(|r| r[*i].abs() > 1e-12))
        .collect();
    match req.by {
        Some(Breakdown::Authority) => {
            for i in &auths {
                table.add_column(format!("{}_pct", snake(authority_name(*i as u8))));
            }
        }
        Some(Breakdown::Sector | Breakdown::Gtap) => {
            for g in &series.groups {
                table.add_column(format!("{}_additional_pct", snake(g)));
            }
        }
        None => {}
    }
    let rows: Vec<(Date, usize)> = if req.daily {
        series.days()
    } else {
        series
            .segments
            .starts
            .iter()
            .copied()
            .enumerate()
            .map(|(k, d)| (d, k))
            .collect()
    };
    for (d, k) in rows {
        let mut r = vec![
            Cell::from(d),
            pct(series.total[k]),
            pct(series.total[k] - series.by_authority[k][0]),
            pct(series.by_authority[k][0]),
        ];
        match req.by {
            Some(Breakdown::Authority) => {
                r.extend(auths.iter().map(|i| pct(series.by_authority[k][*i])))
            }
            Some(Breakdown::Sector | Breakdown::Gtap) => {
                r.extend(series.by_group[k].iter().map(|v| pct(*v)))
            }
            None => {}
        }
        table.push_cells(r);
    }
    let mut notes = vec![
        format!(
            "{importer} imports from {partner}, {from} to {to}, {}",
            match req.convention {
                Convention::Quid =>
                    "convention quid (the law as the duty engine applies it)".to_string(),
                Convention::Yale => format!("convention yale (Budget Lab tracker method, docs/conventions.md; vehicle US-content factor {})", match req.yale_alpha {
                    Some(x) => x.to_string(),
                    None => quid_engine::Reference::law(reference).us_content_default(to).map_or("1".into(), |s| s.normalize().to_string()),
                }),
            }
        ),
        weights_note.clone(),
        format!(
            "lines: {} weighted, {:.1}% of the denominator (US$ {:.1} bn); lines whose base rate needs more than the value count 0 for the base duty ({:.1}% of weight on {})",
            input.lines.len(),
            100.0 * series.matched_weight / series.total_weight.max(1.0),
            series.total_weight / 1e9,
            100.0 * series.unknown_base_weight.last().copied().unwrap_or(0.0),
            series.segments.starts.last().map_or(String::new(), |d| d.to_string())
        ),
    ];
    if let Some(last) = engine.known_until().filter(|last| to > *last) {
        notes.push(format!(
            "warning: {to} is after {last}, the newest date in the bundled measures and \
             schedules: policy is known only up to {last}, and later rates repeat it"
        ));
    }
    if let Some(e) = errors.first() {
        notes.push(format!(
            "{} {} not assessed on some date (counted at 0%), e.g. {} on {}: {}",
            errors.len(),
            if errors.len() == 1 { "line" } else { "lines" },
            e.0,
            e.1,
            e.2
        ));
    }
    let chart = chart(policy, req, &series, &auths, &weights_note);
    Ok(EtrReport {
        series,
        table,
        notes,
        chart,
    })
}

fn chart(
    policy: &Policy,
    req: &EtrRequest,
    series: &EtrSeries,
    auths: &[usize],
    weights_note: &str,
) -> Chart {
    let points = |v: &[f64]| {
        series
            .segments
            .starts
            .iter()
            .copied()
            .zip(v.iter().copied())
            .collect::<Vec<_>>()
    };
    let base: Vec<f64> = series.by_authority.iter().map(|r| r[0]).collect();
    // The table's first three series: total, additional, base; then its breakdown, one panel
    // each (small multiples on one y scale), so that every column of the table is drawn.
    let overall = match req.by {
        Some(Breakdown::Authority) => Some("All duties"),
        Some(Breakdown::Sector | Breakdown::Gtap) => Some("All goods"),
        None => None,
    };
    let mut lines = vec![
        Series::new(
            "total (base + additional)",
            PALETTE[0],
            points(&series.total),
        ),
        Series::new(
            "additional duties",
            PALETTE[1],
            points(&series.additional()),
        ),
        Series::new("base duty (MFN or preference)", PALETTE[2], points(&base)),
    ];
    if let Some(p) = overall {
        lines = lines.into_iter().map(|s| s.in_panel(p)).collect();
    }
    match req.by {
        Some(Breakdown::Authority) => {
            for i in auths {
                let v: Vec<f64> = series.by_authority.iter().map(|r| r[*i]).collect();
                let name = readable(authority_name(*i as u8));
                lines.push(
                    Series::new("duty under the panel's authority", PALETTE[3], points(&v))
                        .in_panel(name),
                );
            }
        }
        Some(Breakdown::Sector | Breakdown::Gtap) => {
            for (g, name) in series.groups.iter().enumerate() {
                let v: Vec<f64> = series
                    .by_group
                    .iter()
                    .map(|r| r.get(g).copied().unwrap_or(0.0))
                    .collect();
                lines.push(
                    Series::new(
                        "additional duties on the panel's goods",
                        PALETTE[3],
                        points(&v),
                    )
                    .in_panel(name.clone()),
                );
            }
        }
        None => {}
    }
    let breakdown = match req.by {
        Some(Breakdown::Authority) => {
            "; panels: each authority's duty as a share of all imports from the partner"
        }
        Some(Breakdown::Sector | Breakdown::Gtap) => {
            "; panels: additional duties on each sector's goods as a share of that sector's imports"
        }
        None => "",
    };
    Chart {
        title: format!(
            "Effective tariff rate on {} imports from {}",
            adjective(req.importer),
            noun(req.partner)
        ),
        subtitle: format!(
            "Duty as a share of import value, trade-weighted, {} to {}; {}{breakdown}",
            req.from,
            req.to,
            weights_note.split(';').next().unwrap_or("")
        ),
        series: lines,
        markers: markers(policy, req.importer, req.partner, series),
        dots: Vec::new(),
        start: req.from,
        end: req.to,
        unit: YUnit::Percent,
        y_label: "Duty, % of import value".into(),
        notes: Vec::new(),
    }
}

/// "US", "Canadian", "Mexican" (the importer), or the code.
fn adjective(c: Country) -> String {
    if c == Country::CA {
        "Canadian".into()
    } else if c == Country::MX {
        "Mexican".into()
    } else {
        c.to_string()
    }
}

/// "Canada", "Mexico", "the US" (the partner), or the code.
fn noun(c: Country) -> String {
    if c == Country::CA {
        "Canada".into()
    } else if c == Country::MX {
        "Mexico".into()
    } else if c == Country::US {
        "the US".into()
    } else {
        c.to_string()
    }
}
