//! Tariff schedules: one line in full (description path, unit, MFN and preferential rates,
//! Chapter 99 references), a search of descriptions, and a check of every rate text.
//!
//! One US line in full from the edition in force on a date, as field/value pairs:
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
//! let field = |k: &str| line.iter().find(|(f, _)| f == k).map(|(_, v)| v.as_str());
//! // Passenger cars of 1,500 to 3,000 cc in the 2025 basic edition: 2.5% general, free under
//! // USMCA (programme S of the special column), 10% in column 2.
//! assert_eq!(field("MFN (column 1 general)"), Some("2.5%"));
//! assert_eq!(field("USMCA (S/S+) rate"), Some("Free"));
//! assert_eq!(field("column 2"), Some("10%"));
//! assert_eq!(field("chapter 99 references"), Some("9903.88.01, 9903.90.08"));
//! ```

use crate::table::Table;
use crate::{App, Error, Result};
use quid_core::{Country, Date, HsCode};
use quid_data::schedule::{RateCell, Schedule, TariffLine};
use quid_data::{cbsa, hts, EditionChoice, Schedules};
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

/// One tariff line in full, as field/value pairs.
pub fn show(app: &App, code: &str, at: &At) -> Result<Vec<(String, String)>> {
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
    let mut r: Vec<(String, String)> = Vec::new();
    let mut add = |k: &str, v: String| r.push((k.to_string(), v));
    add("code", line.code.dotted());
    if line.code != hs {
        add(
            "note",
            format!(
                "{} is not a line of this schedule; showing its nearest parent",
                hs.dotted()
            ),
        );
    }
    let ca = s.importer == Country::CA;
    add("importer", s.importer.to_string());
    add("edition", edition_text(&choice));
    add("description", s.description_path(line).join(" > "));
    add("unit", line.units.join(", "));
    add(
        if ca { "MFN" } else { "MFN (column 1 general)" },
        cell_text(&line.general, line),
    );
    let (prog, usmca_name) = if ca {
        ("UST", "CUSMA (UST) rate")
    } else {
        ("S", "USMCA (S/S+) rate")
    };
    if let Some(sp) = &line.special {
        let from = if sp.from != line.code {
            format!(" (from {})", sp.from)
        } else {
            String::new()
        };
        add(
            if ca {
                "preferential"
            } else {
                "special (column 1)"
            },
            format!("{}{}", sp.text, from),
        );
        if let Ok(rates) = &sp.rates {
            for (rate, progs) in &rates.groups {
                let names: Vec<&str> = progs.iter().map(|p| p.0.as_str()).collect();
                add(
                    &format!("  {rate}"),
                    if names.is_empty() {
                        "all programmes".to_string()
                    } else {
                        names.join(", ")
                    },
                );
            }
            let usmca = rates
                .rate_for(prog)
                .map_or_else(|| "not listed (MFN applies)".to_string(), |r| r.to_string());
            add(usmca_name, usmca);
        }
    } else {
        add(usmca_name, "not listed (the MFN rate applies)".into());
    }
    add(
        if ca { "General Tariff" } else { "column 2" },
        cell_text(&line.other, line),
    );
    if !line.chapter99.is_empty() {
        add("chapter 99 references", line.chapter99.join(", "));
    }
    if !line.footnotes.is_empty() {
        add("footnotes", line.footnotes.join(" | "));
    }
    add(
        "source",
        format!("{} line {}", s.source.display(), line.source_line),
    );
    Ok(r)
}

/// Lines whose description path holds all the words (case-insensitive), at most `limit`; and
/// the schedule searched, for a message when nothing matches.
pub fn search(app: &App, words: &[String], at: &At, limit: usize) -> Result<(Table, String)> {
    let schedules = app.schedules(at.ca_tariff.as_deref())?;
    let choice = choose(&schedules, at)?;
    let s = choice.schedule;
    let needles: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let mut t = Table::new(["code", "description", "mfn"]);
    for line in s.lines() {
        if line.code.chapter() >= 98 {
            continue;
        }
        let path = s.description_path(line).join(" > ");
        let hay = path.to_lowercase();
        if needles.iter().all(|n| hay.contains(n.as_str())) {
            t.push([
                line.code.dotted(),
                path,
                line.general
                    .as_ref()
                    .map(|g| g.text.to_string())
                    .unwrap_or_default(),
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
pub struct CheckReport {
    /// Per schedule: importer, edition, lines, rate strings, understood, share, not understood.
    pub summary: Table,
    /// Each text not understood: edition, file, line, code, column, text, reason.
    pub problems: Table,
    /// Every complete schedule understands at least 99.9% of its rate texts.
    pub ok: bool,
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
    let mut problems = Table::new([
        "edition", "file", "line", "code", "column", "text", "reason",
    ]);
    let mut summary = Table::new([
        "importer",
        "edition",
        "lines",
        "rate strings",
        "understood",
        "share",
        "not understood",
    ]);
    let mut ok = true;
    for s in &schedules {
        for p in &s.problems {
            problems.push([
                s.edition.clone(),
                s.source.display().to_string(),
                p.source_line.to_string(),
                p.code.dotted(),
                p.column.to_string(),
                p.text.clone(),
                p.reason.clone(),
            ]);
        }
        let share = s.stats.share();
        // The 99.9% bar applies to complete schedules; a partial sample is listed, not judged.
        ok &= s.partial || share >= 0.999;
        summary.push([
            s.importer.to_string(),
            s.edition.clone(),
            s.lines().len().to_string(),
            s.stats.rate_strings.to_string(),
            s.stats.understood.to_string(),
            format!("{:.3}%", share * 100.0),
            s.problems.len().to_string(),
        ]);
    }
    Ok(CheckReport {
        summary,
        problems,
        ok,
    })
}
