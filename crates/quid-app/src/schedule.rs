//! Tariff schedules: one line in full (description path, unit, MFN and preferential rates,
//! Chapter 99 references), a search of descriptions, and a check of every rate text.
//!
//! One US line in full from the edition in force on a date:
//!
//! ```
//! use quid_app::schedule::{show, At};
//! use quid_app::App;
//! use quid_core::{parse_date, Country};
//!
//! let data = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
//! let app = App::new(Some(data), parse_date("2026-12-06").unwrap()).unwrap();
//! let at = At { importer: Country::US, date: Some(parse_date("2025-07-01").unwrap()), ca_tariff: None };
//! let line = show(&app, "8703.23.01", &at).unwrap();
//! // Passenger cars of 1,500 to 3,000 cc in the 2025 basic edition: 2.5% general, free under
//! // USMCA (programme S of the special column), 10% in column 2.
//! assert_eq!(line.mfn.as_deref(), Some("2.5%"));
//! assert_eq!(line.usmca_rate.as_deref(), Some("Free"));
//! assert_eq!(line.column_2.as_deref(), Some("10%"));
//! assert_eq!(line.chapter99, ["9903.88.01", "9903.90.08"]);
//! ```

use crate::table::{Cell, Kind, Table};
use crate::{App, Error, Result};
use quid_core::{Country, Date, HsCode};
use quid_data::schedule::{RateCell, Schedule, TariffLine};
use quid_data::{cbsa, hts, EditionChoice, Schedules};
use schemars::JsonSchema;
use serde::Serialize;
use std::path::Path;

/// Which schedule: an importer's edition in force on a date (default: the newest edition),
/// with an optional full Canadian tariff file.
#[derive(Debug, Clone)]
pub struct At {
    pub importer: Country,
    pub date: Option<Date>,
    pub ca_tariff: Option<std::path::PathBuf>,
}

fn choose<'a>(s: &'a Schedules, at: &At) -> Result<EditionChoice<'a>> {
    match at.date {
        Some(d) => Ok(s.for_date(at.importer, d)?),
        None => {
            let eds = s.editions(at.importer)?;
            let schedule = eds
                .last()
                .ok_or_else(|| Error::NotFound("no edition loaded".into()))?;
            Ok(EditionChoice {
                schedule,
                revision_in_force: None,
                stand_in: false,
            })
        }
    }
}

fn edition_text(c: &EditionChoice<'_>) -> String {
    let s = c.schedule;
    let mut t = format!("{} (effective {})", s.edition, s.effective);
    if let Some(r) = c.revision_in_force {
        if c.stand_in {
            t.push_str(&format!("; in force on the date: HTS {} ({}), not bundled, so the nearest earlier bundled edition is used", r.display_name(), r.effective));
        }
    } else if c.stand_in {
        t.push_str("; the only bundled Canadian edition, used as a stand-in for the date");
    }
    if s.partial {
        t.push_str("; PARTIAL: a sample of the schedule");
    }
    t
}

fn cell_text(c: &Option<RateCell>, line: &TariffLine) -> String {
    match c {
        None => String::new(),
        Some(cell) if cell.from != line.code => format!("{} (from {})", cell.text, cell.from),
        Some(cell) => cell.text.to_string(),
    }
}

/// A rate of the special (preferential) column and the programmes that give it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SpecialGroup {
    pub rate: String,
    /// Programme codes (`S` = USMCA, `A+`, `KR`, ...); empty: every programme.
    pub programmes: Vec<String>,
}

/// One tariff line in full (`quid schedule show`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LineDetail {
    /// The line shown.
    pub code: String,
    /// Set when the code asked for is not a line of the schedule and its nearest parent is shown.
    pub note: Option<String>,
    pub importer: Country,
    /// The edition read, its effective date and any stand-in.
    pub edition: String,
    /// The description from the heading down to the line.
    pub description: Vec<String>,
    pub units: Vec<String>,
    /// The MFN rate (US column 1 general; Canada MFN), with the line it is stated on when that
    /// is a parent.
    pub mfn: Option<String>,
    /// The special (US) or preferential (Canada) column as written.
    pub special: Option<String>,
    /// The special column read as rates and programmes.
    pub special_groups: Vec<SpecialGroup>,
    /// The USMCA (US, programme `S`) or CUSMA (Canada, `UST`) programme code.
    pub usmca_programme: String,
    /// The rate under USMCA/CUSMA; `null` when the programme is not listed (MFN applies).
    pub usmca_rate: Option<String>,
    /// US column 2, or Canada's General Tariff.
    pub column_2: Option<String>,
    /// Chapter 99 headings the line's footnotes refer to.
    pub chapter99: Vec<String>,
    pub footnotes: Vec<String>,
    /// The bundled file and line the record comes from.
    pub source: String,
}

/// One tariff line in full.
pub fn show(app: &App, code: &str, at: &At) -> Result<LineDetail> {
    let schedules = app.schedules(at.ca_tariff.as_deref())?;
    let choice = choose(&schedules, at)?;
    let s = choice.schedule;
    let hs: HsCode = code
        .parse()
        .map_err(|e| Error::invalid(format!("reading the code {code:?}"), format!("{e}")))?;
    let line = s.find(&hs).ok_or_else(|| {
        Error::NotFound(format!(
            "no line {} or parent of it in the {} {} schedule{}; try `quid schedule search <words>`",
            hs.dotted(),
            s.importer,
            s.edition,
            if s.partial { " (a partial sample)" } else { "" }
        ))
    })?;
    let ca = s.importer == Country::CA;
    let text = |c: &Option<RateCell>| Some(cell_text(c, line)).filter(|t| !t.is_empty());
    let prog = if ca { "UST" } else { "S" };
    let (special, special_groups, usmca_rate) = match &line.special {
        Some(sp) => {
            let from = if sp.from != line.code {
                format!(" (from {})", sp.from)
            } else {
                String::new()
            };
            let (groups, usmca) = match &sp.rates {
                Ok(rates) => (
                    rates
                        .groups
                        .iter()
                        .map(|(rate, progs)| SpecialGroup {
                            rate: rate.to_string(),
                            programmes: progs.iter().map(|p| p.0.to_string()).collect(),
                        })
                        .collect(),
                    rates.rate_for(prog).map(|r| r.to_string()),
                ),
                Err(_) => (Vec::new(), None),
            };
            (Some(format!("{}{}", sp.text, from)), groups, usmca)
        }
        None => (None, Vec::new(), None),
    };
    Ok(LineDetail {
        code: line.code.dotted(),
        note: (line.code != hs).then(|| {
            format!(
                "{} is not a line of this schedule; showing its nearest parent",
                hs.dotted()
            )
        }),
        importer: s.importer,
        edition: edition_text(&choice),
        description: s
            .description_path(line)
            .iter()
            .map(|d| d.to_string())
            .collect(),
        units: line.units.iter().map(|u| u.to_string()).collect(),
        mfn: text(&line.general),
        special,
        special_groups,
        usmca_programme: prog.to_string(),
        usmca_rate,
        column_2: text(&line.other),
        chapter99: line.chapter99.iter().map(|c| c.to_string()).collect(),
        footnotes: line.footnotes.iter().map(|c| c.to_string()).collect(),
        source: format!("{} line {}", s.source.display(), line.source_line),
    })
}

/// The columns of `quid schedule search`: the code, the description path from the heading down
/// (` > ` between levels) and the MFN rate (`null` where the line states none).
pub fn search_columns() -> Table {
    Table::typed([
        ("code", Kind::Text),
        ("description", Kind::Text),
        ("mfn", Kind::Text),
    ])
}

/// Lines whose description path holds all the words (case-insensitive), at most `limit`; and
/// the schedule searched, for a message when nothing matches.
pub fn search(app: &App, words: &[String], at: &At, limit: usize) -> Result<(Table, String)> {
    let schedules = app.schedules(at.ca_tariff.as_deref())?;
    let choice = choose(&schedules, at)?;
    let s = choice.schedule;
    let needles: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let mut t = search_columns();
    for line in s.lines() {
        if line.code.chapter() >= 98 {
            continue;
        }
        let path = s.description_path(line).join(" > ");
        let hay = path.to_lowercase();
        if needles.iter().all(|n| hay.contains(n.as_str())) {
            t.push_cells([
                line.code.dotted().into(),
                path.into(),
                Cell::from(line.general.as_ref().map(|g| g.text.to_string())),
            ]);
            if t.rows.len() >= limit {
                break;
            }
        }
    }
    Ok((t, format!("{} {}", s.importer, s.edition)))
}

fn load_file(path: &Path, effective: Date) -> Result<Schedule> {
    let name = path.to_string_lossy().to_lowercase();
    if name.ends_with(".json") || name.ends_with(".json.gz") {
        return Ok(hts::load_json(path, "user file", effective)?);
    }
    let head = quid_data::reader::Csv::open(path, &[])?;
    if head.col("TARIFF").is_some() {
        Ok(cbsa::load(path, "user file", effective, false)?)
    } else {
        Ok(hts::load_csv(path, "user file", effective)?)
    }
}

/// What a rate-text check found.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// Per schedule: importer, edition, lines, rate strings, understood, share, not understood.
    pub summary: Table,
    /// Each text not understood: edition, file, line, code, column, text, reason.
    pub problems: Table,
    /// Every complete schedule understands at least 99.9% of its rate texts.
    pub ok: bool,
}

/// The two tables of a rate-text check: the summary per schedule and the texts not understood.
pub fn check_columns() -> (Table, Table) {
    (
        Table::typed([
            ("importer", Kind::Text),
            ("edition", Kind::Text),
            ("lines", Kind::Int),
            ("rate_strings", Kind::Int),
            ("understood", Kind::Int),
            ("understood_pct", Kind::Number),
            ("not_understood", Kind::Int),
        ]),
        Table::typed([
            ("edition", Kind::Text),
            ("file", Kind::Text),
            ("line", Kind::Int),
            ("code", Kind::Text),
            ("column", Kind::Text),
            ("text", Kind::Text),
            ("reason", Kind::Text),
        ]),
    )
}

/// Parses every rate text of the bundled editions, or of one file (taken to be in force from
/// the newest bundled edition's date).
pub fn check(app: &App, file: Option<&Path>) -> Result<CheckReport> {
    let bundled = app.schedules(None)?;
    let schedules: Vec<Schedule> = match file {
        Some(p) => {
            let effective = bundled
                .us
                .last()
                .map(|s| s.effective)
                .ok_or_else(|| Error::NotFound("no bundled US edition".into()))?;
            vec![load_file(p, effective)?]
        }
        None => bundled.us.into_iter().chain(bundled.ca).collect(),
    };
    let (mut summary, mut problems) = check_columns();
    let mut ok = true;
    for s in &schedules {
        for p in &s.problems {
            problems.push_cells([
                s.edition.clone().into(),
                s.source.display().to_string().into(),
                Cell::Int(p.source_line as i64),
                p.code.dotted().into(),
                p.column.to_string().into(),
                p.text.clone().into(),
                p.reason.clone().into(),
            ]);
        }
        let share = s.stats.share();
        // The 99.9% bar applies to complete schedules; a partial sample is listed, not judged.
        ok &= s.partial || share >= 0.999;
        summary.push_cells([
            s.importer.to_string().into(),
            s.edition.clone().into(),
            s.lines().len().into(),
            Cell::Int(s.stats.rate_strings as i64),
            Cell::Int(s.stats.understood as i64),
            Cell::num(share * 100.0, 3),
            s.problems.len().into(),
        ]);
    }
    Ok(CheckReport {
        summary,
        problems,
        ok,
    })
}
