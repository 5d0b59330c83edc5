//! `quid schedule show|search|check`.

use super::{parse_date_arg, parse_importer};
use crate::cli::{Cli, ImporterDate, ScheduleCmd};
use crate::context;
use crate::output::{Record, Table};
use anyhow::Context as _;
use quid_core::{Country, HsCode};
use quid_data::schedule::{RateCell, Schedule, TariffLine};
use quid_data::{cbsa, hts, EditionChoice, Schedules};
use std::io::Write;
use std::process::ExitCode;

pub fn run(cli: &Cli, cmd: &ScheduleCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        ScheduleCmd::Show { code, at } => show(cli, code, at),
        ScheduleCmd::Search { words, at, limit } => search(cli, words, at, *limit),
        ScheduleCmd::Check { file } => check(cli, file.as_deref()),
    }
}

fn choose<'a>(s: &'a Schedules, at: &ImporterDate) -> anyhow::Result<EditionChoice<'a>> {
    let importer = parse_importer(&at.importer)?;
    match parse_date_arg(at.date.as_deref())? {
        Some(d) => Ok(s.for_date(importer, d)?),
        None => {
            let eds = s.editions(importer)?;
            let schedule = eds.last().context("no edition loaded")?;
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

fn show(cli: &Cli, code: &str, at: &ImporterDate) -> anyhow::Result<ExitCode> {
    let schedules = context::schedules(cli, at.ca_tariff.as_deref())?;
    let choice = choose(&schedules, at)?;
    let s = choice.schedule;
    let hs: HsCode = code
        .parse()
        .with_context(|| format!("reading the code {code:?}"))?;
    let line = s.find(&hs).with_context(|| {
        format!(
            "no line {} or parent of it in the {} {} schedule{}; try `quid schedule search <words>`",
            hs.dotted(),
            s.importer,
            s.edition,
            if s.partial { " (a partial sample)" } else { "" }
        )
    })?;
    let mut r = Record::default();
    r.add("code", line.code.dotted());
    if line.code != hs {
        r.add(
            "note",
            format!(
                "{} is not a line of this schedule; showing its nearest parent",
                hs.dotted()
            ),
        );
    }
    r.add("importer", s.importer.to_string());
    r.add("edition", edition_text(&choice));
    r.add("description", s.description_path(line).join(" > "));
    r.add("unit", line.units.join(", "));
    let general_label = if s.importer == Country::CA {
        "MFN"
    } else {
        "MFN (column 1 general)"
    };
    r.add(general_label, cell_text(&line.general, line));
    if let Some(sp) = &line.special {
        let label = if s.importer == Country::CA {
            "preferential"
        } else {
            "special (column 1)"
        };
        let from = if sp.from != line.code {
            format!(" (from {})", sp.from)
        } else {
            String::new()
        };
        r.add(label, format!("{}{}", sp.text, from));
        if let Ok(rates) = &sp.rates {
            for (rate, progs) in &rates.groups {
                let names: Vec<&str> = progs.iter().map(|p| p.0.as_str()).collect();
                r.add(
                    format!("  {rate}"),
                    if names.is_empty() {
                        "all programmes".to_string()
                    } else {
                        names.join(", ")
                    },
                );
            }
            let (prog, name) = if s.importer == Country::CA {
                ("UST", "CUSMA (UST) rate")
            } else {
                ("S", "USMCA (S/S+) rate")
            };
            let usmca = rates
                .rate_for(prog)
                .map_or_else(|| "not listed (MFN applies)".to_string(), |r| r.to_string());
            r.add(name, usmca);
        }
    }
    if line.special.is_none() {
        let name = if s.importer == Country::CA {
            "CUSMA (UST) rate"
        } else {
            "USMCA (S/S+) rate"
        };
        r.add(name, "not listed (the MFN rate applies)");
    }
    let other_label = if s.importer == Country::CA {
        "General Tariff"
    } else {
        "column 2"
    };
    r.add(other_label, cell_text(&line.other, line));
    if !line.chapter99.is_empty() {
        r.add("chapter 99 references", line.chapter99.join(", "));
    }
    if !line.footnotes.is_empty() {
        r.add("footnotes", line.footnotes.join(" | "));
    }
    r.add(
        "source",
        format!("{} line {}", s.source.display(), line.source_line),
    );
    let mut out = std::io::stdout().lock();
    r.write(&mut out, cli.format)?;
    Ok(ExitCode::SUCCESS)
}

fn search(
    cli: &Cli,
    words: &[String],
    at: &ImporterDate,
    limit: usize,
) -> anyhow::Result<ExitCode> {
    let schedules = context::schedules(cli, at.ca_tariff.as_deref())?;
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
    let mut out = std::io::stdout().lock();
    t.write(&mut out, cli.format)?;
    if t.rows.is_empty() {
        writeln!(
            std::io::stderr(),
            "no line of the {} {} schedule matches all of: {}",
            s.importer,
            s.edition,
            words.join(" ")
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn load_file(path: &std::path::Path) -> anyhow::Result<Schedule> {
    let name = path.to_string_lossy().to_lowercase();
    let d = jiff::civil::Date::constant(2026, 1, 1);
    if name.ends_with(".json") || name.ends_with(".json.gz") {
        return Ok(hts::load_json(path, "user file", d)?);
    }
    let head = quid_data::reader::Csv::open(path, &[])?;
    if head.col("TARIFF").is_some() {
        Ok(cbsa::load(path, "user file", d, false)?)
    } else {
        Ok(hts::load_csv(path, "user file", d)?)
    }
}

fn check(cli: &Cli, file: Option<&std::path::Path>) -> anyhow::Result<ExitCode> {
    let schedules: Vec<Schedule> = match file {
        Some(p) => vec![load_file(p)?],
        None => {
            let s = context::schedules(cli, None)?;
            s.us.into_iter().chain(s.ca).collect()
        }
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
    let mut out = std::io::stdout().lock();
    if cli.format == crate::cli::Format::Table {
        summary.write(&mut out, cli.format)?;
        if !problems.rows.is_empty() {
            writeln!(
                out,
                "\nRate texts not understood (each listed with its line):"
            )?;
            problems.write(&mut out, cli.format)?;
        }
    } else {
        problems.write(&mut out, cli.format)?;
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
