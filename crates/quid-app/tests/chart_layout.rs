//! The charts the README draws, rendered from the bundled data and laid out as the PNG is
//! (usvg with the bundled font turns every text into glyphs; each text's box is the union of
//! its glyphs' line boxes, in canvas coordinates): no two texts overlap, none leaves the
//! canvas, every series of the report's table is drawn (one `series-<n>` path each) and every
//! panel a breakdown names is there. The same check is run on a chart broken on purpose
//! (`broken_layout_is_caught`), so a checker that sees nothing would fail.
//!
//! README charts covered: `balance --chart` (main and sectors, as known before and after the
//! IEEPA ruling), `balance --realized`, `balance --scenario`, `etr --daily` US on CA, `etr --by authority` US on CA and US on MX,
//! `etr --by sector` CA on US, `scenario run canada_ask.toml`.

use quid_app::balance::{self, BalanceRequest};
use quid_app::etr::{self, Breakdown, Convention, EtrRequest};
use quid_app::scenario_run::{self, ScenarioRequest};
use quid_app::weights::{ShareMode, WeightYear};
use quid_app::{App, Engine, EngineOptions};
use quid_core::{parse_date, Country, Date};
use quid_econ::chart::Chart;
use resvg::usvg;
use std::path::Path;
use std::sync::OnceLock;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");

fn d(s: &str) -> Date {
    parse_date(s).unwrap()
}

fn app_engine() -> &'static (App, Engine) {
    static E: OnceLock<(App, Engine)> = OnceLock::new();
    E.get_or_init(|| {
        let app = App::new(Some(Path::new(DATA)), d("2026-12-06")).unwrap();
        let engine = app.engine(&EngineOptions::default()).unwrap();
        (app, engine)
    })
}

/// A text as laid out: its content and its box (x0, y0, x1, y1) on the canvas.
#[derive(Debug)]
struct TextBox {
    text: String,
    rect: (f32, f32, f32, f32),
}

fn texts(g: &usvg::Group, out: &mut Vec<TextBox>) {
    for node in g.children() {
        match node {
            usvg::Node::Group(g) => texts(g, out),
            usvg::Node::Text(t) => {
                let b = t.abs_bounding_box();
                let text = t
                    .chunks()
                    .iter()
                    .map(|c| c.text())
                    .collect::<Vec<_>>()
                    .join("");
                out.push(TextBox {
                    text,
                    rect: (b.left(), b.top(), b.right(), b.bottom()),
                });
            }
            _ => {}
        }
    }
}

fn series_paths(g: &usvg::Group, out: &mut Vec<String>) {
    for node in g.children() {
        match node {
            usvg::Node::Group(g) => series_paths(g, out),
            usvg::Node::Path(p) if p.id().starts_with("series-") => out.push(p.id().to_string()),
            _ => {}
        }
    }
}

/// What is wrong with a rendered chart's text: overlaps and texts off the canvas.
fn layout_problems(svg: &str) -> (Vec<String>, usize, Vec<TextBox>) {
    let tree = quid_app::png::tree(svg).unwrap();
    let (w, h) = (tree.size().width(), tree.size().height());
    let mut boxes = Vec::new();
    texts(tree.root(), &mut boxes);
    let mut problems = Vec::new();
    for b in &boxes {
        let (x0, y0, x1, y1) = b.rect;
        if x0 < 0.0 || y0 < 0.0 || x1 > w || y1 > h {
            problems.push(format!(
                "{:?} at {:?} leaves the {w} x {h} canvas",
                b.text, b.rect
            ));
        }
    }
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let ox = a.rect.2.min(b.rect.2) - a.rect.0.max(b.rect.0);
            let oy = a.rect.3.min(b.rect.3) - a.rect.1.max(b.rect.1);
            // Touching boxes are fine; a sliver under 0.5 px is rounding.
            if ox > 0.5 && oy > 0.5 {
                problems.push(format!(
                    "{:?} {:?} overlaps {:?} {:?}",
                    a.text, a.rect, b.text, b.rect
                ));
            }
        }
    }
    let mut ids = Vec::new();
    series_paths(tree.root(), &mut ids);
    (problems, ids.len(), boxes)
}

/// Renders `chart`, checks its layout and that it draws `series` series; returns its texts.
fn check(name: &str, chart: &Chart, series: usize) -> Vec<TextBox> {
    let svg = quid_app::svg::render(chart);
    let (problems, drawn, boxes) = layout_problems(&svg);
    assert!(
        problems.is_empty(),
        "{name}: {} layout problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert_eq!(drawn, series, "{name}: series drawn");
    assert_eq!(chart.series.len(), series, "{name}: series in the chart");
    // Policy dates on every time chart: one numbered tag per date in the range, and its
    // number in the legend (so each number is written at least twice).
    let dates: std::collections::BTreeSet<Date> = chart
        .markers
        .iter()
        .filter(|m| m.date >= chart.start && m.date <= chart.end)
        .map(|m| m.date)
        .collect();
    assert!(!dates.is_empty(), "{name}: no policy date marked");
    for n in 1..=dates.len() {
        let count = boxes.iter().filter(|b| b.text == n.to_string()).count();
        assert!(count >= 2, "{name}: tag {n} written {count} times");
    }
    // The PNG is drawn from the same SVG.
    let png = quid_app::png::render(&svg, 1.0).unwrap();
    assert_eq!(&png[1..4], b"PNG", "{name}");
    boxes
}

fn etr_chart(
    importer: Country,
    partner: Country,
    by: Option<Breakdown>,
    daily: bool,
) -> etr::EtrReport {
    let (app, engine) = app_engine();
    let req = EtrRequest {
        importer,
        partner,
        from: d("2025-01-01"),
        to: d("2026-11-26"),
        daily,
        by,
        weights: WeightYear::Y2024,
        shares: ShareMode::Annual2025,
        convention: Convention::Quid,
        yale_alpha: None,
    };
    etr::run(app, engine, &req).unwrap()
}

fn has_text(boxes: &[TextBox], s: &str) -> bool {
    boxes.iter().any(|b| b.text.contains(s))
}

#[test]
fn balance_charts_before_and_after_the_ruling() {
    let (app, engine) = app_engine();
    let mut spans = Vec::new();
    for known in ["2026-02-19", "2026-03-01"] {
        let mut req = BalanceRequest::new(d("2025-01-01"));
        req.as_known_on = Some(d(known));
        let r = balance::run(app, engine, &req).unwrap();
        let (main, sectors) = balance::charts(&r);
        // The x-range is the report's period.
        assert_eq!((main.start, main.end), (r.balance.since, r.balance.until));
        assert_eq!(
            (sectors.start, sectors.end),
            (r.balance.since, r.balance.until)
        );
        // Two burdens; every sector of both directions.
        let boxes = check(&format!("balance {known}"), &main, 2);
        // The moves of 2025-03-04 are one numbered entry with their ledger titles.
        assert!(has_text(&boxes, "2025-03-04"), "balance {known}");
        assert!(!has_text(&boxes, "taxrescinded"), "balance {known}");
        let sb = check(
            &format!("balance sectors {known}"),
            &sectors,
            r.sectors.len(),
        );
        for s in &r.sectors {
            assert!(has_text(&sb, &s.sector), "sector {} not drawn", s.sector);
        }
        // With one explicit range the two charts span the same dates.
        let (main, _) = balance::charts(&r);
        let fixed = main.with_range(d("2025-01-01"), d("2026-11-30"));
        check(&format!("balance {known}, fixed range"), &fixed, 2);
        spans.push((fixed.start, fixed.end));
    }
    assert_eq!(spans[0], spans[1]);
}

#[test]
fn balance_realized_and_with_a_package() {
    let (app, engine) = app_engine();
    let mut req = BalanceRequest::new(d("2025-01-01"));
    req.realized = true;
    let r = balance::run(app, engine, &req).unwrap();
    let (main, _) = balance::charts(&r);
    let realized = r.realized.as_ref().unwrap().chart(main.markers.clone());
    // Statutory and realized, each direction; the published figures as points.
    let boxes = check("balance realized", &realized, 4);
    assert!(has_text(&boxes, "Published figures"));
    let mut req = BalanceRequest::new(d("2025-01-01"));
    req.scenario = Some(Path::new(DATA).join("scenarios/rejected_offer_2026_08.toml"));
    let r = balance::run(app, engine, &req).unwrap();
    let (main, _) = balance::charts(&r);
    // The baseline's two burdens and the package's two.
    let boxes = check("balance with a package", &main, 4);
    assert!(has_text(&boxes, "Package starts"));
}

#[test]
fn etr_daily_us_on_ca() {
    let r = etr_chart(Country::US, Country::CA, None, true);
    // date + total, additional, base.
    assert_eq!(r.table.headers.len(), 4);
    let boxes = check("etr daily", &r.chart, 3);
    // Total and additional lie within 0.25 points: the chart says how they are drawn.
    assert!(has_text(&boxes, "drawn as a thin dashed line"));
    assert!(has_text(&boxes, "IEEPA Canada: 25%"));
}

#[test]
fn etr_by_authority_us_on_mx_draws_every_authority() {
    let r = etr_chart(Country::US, Country::MX, Some(Breakdown::Authority), false);
    let columns = r.table.headers.len() - 1;
    let boxes = check("etr by authority US-MX", &r.chart, columns);
    // The authorities the old chart left out are panels.
    for name in [
        "IEEPA Mexico",
        "Section 122 surcharge",
        "Section 301 forced labour",
        "Section 232 trucks",
        "Section 232 furniture",
        "Section 232 buses",
    ] {
        assert!(
            r.chart.panels().contains(&name),
            "{name} not a panel: {:?}",
            r.chart.panels()
        );
        assert!(has_text(&boxes, name), "{name} not drawn");
    }
    // One panel for all duties and one per authority column of the table.
    assert_eq!(r.chart.panels().len(), columns - 3 + 1);
}

#[test]
fn etr_by_authority_us_on_ca() {
    let r = etr_chart(Country::US, Country::CA, Some(Breakdown::Authority), false);
    let columns = r.table.headers.len() - 1;
    let boxes = check("etr by authority US-CA", &r.chart, columns);
    assert!(has_text(&boxes, "IEEPA Canada"));
}

#[test]
fn etr_by_sector_ca_on_us_draws_every_sector() {
    let r = etr_chart(Country::CA, Country::US, Some(Breakdown::Sector), false);
    let columns = r.table.headers.len() - 1;
    let boxes = check("etr by sector CA-US", &r.chart, columns);
    assert_eq!(r.chart.panels().len(), r.series.groups.len() + 1);
    for g in &r.series.groups {
        // Long names are elided to the panel's width: their first word is there.
        let first = g.split_whitespace().next().unwrap();
        assert!(has_text(&boxes, first), "sector {g} not drawn");
    }
}

#[test]
fn scenario_canada_ask() {
    let (app, engine) = app_engine();
    let req = ScenarioRequest {
        file: Path::new(DATA).join("scenarios/canada_ask.toml"),
        draws: 0,
        seed: 1,
        supply: None,
    };
    let r = scenario_run::run(app, engine, &req).unwrap();
    // Baseline and scenario, each direction.
    let boxes = check("scenario canada_ask", &r.chart, 4);
    assert!(has_text(&boxes, "starts"));
}

/// The checker sees overlaps and text off the canvas: two texts written on one spot, and one
/// past the right edge.
#[test]
fn broken_layout_is_caught() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" font-family="DejaVu Sans">
        <text x="10" y="30" font-size="12">overlapping one</text>
        <text x="20" y="34" font-size="12">overlapping two</text>
        <text x="190" y="80" font-size="12">off the edge</text>
        <path id="series-0" d="M0,0 L10,10" stroke="black"/></svg>"#;
    let (problems, drawn, _) = layout_problems(svg);
    assert_eq!(drawn, 1);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains("off the edge") && problems[0].contains("leaves"));
    assert!(problems[1].contains("overlapping one") && problems[1].contains("overlapping two"));
}
