//! `quid duty`: assess one entry and print its layers, or a file of entries.

use crate::cli::{Cli, DutyArgs, Format};
use crate::output::Print as _;
use crate::output::Table;
use quid_app::batch_files::{self, BatchRequest};
use quid_app::{App, EngineOptions};
use quid_engine::{Assessment, EntryRecord};
use rust_decimal::Decimal;
use std::io::Write;
use std::process::ExitCode;

/// The entry record the flags describe (the same record as a batch line or an API body).
pub fn record_from_args(a: &DutyArgs) -> anyhow::Result<EntryRecord> {
    let need = |v: &Option<String>, flag: &str| {
        v.clone()
            .ok_or_else(|| anyhow::anyhow!("{flag} is required"))
    };
    let yes = |b: bool| b.then(|| "true".to_string());
    let (quantity, unit) = match &a.quantity {
        Some(v) if v.len() == 2 => (Some(v[0].clone()), Some(v[1].clone())),
        _ => (None, None),
    };
    super::parse_importer(&a.importer)?;
    Ok(EntryRecord {
        id: None,
        importer: a.importer.clone(),
        origin: need(&a.origin, "--origin")?,
        hts: need(&a.hts, "--hts")?,
        date: need(&a.date, "--date")?,
        value: need(&a.value, "--value")?,
        quantity,
        unit,
        usmca: yes(a.usmca),
        steel_content: a.steel_content.clone(),
        aluminum_content: a.aluminum_content.clone(),
        copper_content: a.copper_content.clone(),
        us_content: a.us_content.clone(),
        ca_mx_content: a.ca_mx_content.clone(),
        us_melted: yes(a.us_melted),
        transshipped: yes(a.transshipped),
        energy: yes(a.energy),
        qualifying: yes(a.qualifying),
        remission: yes(a.remission),
        de_minimis: yes(a.de_minimis),
        adcvd_case: a.adcvd_case.clone(),
        adcvd_rate: a.adcvd_rate.clone(),
    })
}

pub fn run(app: &App, cli: &Cli, a: &DutyArgs) -> anyhow::Result<ExitCode> {
    let opts = EngineOptions {
        ca_tariff: a.ca_tariff.clone(),
        include_unverified: a.include_unverified,
    };
    if let Some(input) = &a.input {
        let engine = app.engine(&opts)?;
        return batch(&engine, input, a.output.clone(), a.strict, cli.format);
    }
    let record = record_from_args(a)?;
    let engine = app.engine(&opts)?;
    if let Some(bom) = &a.bom {
        let b = quid_app::roo::assess_with_bom(app, &engine, &record, bom)?;
        let mut out = std::io::stdout().lock();
        if cli.format == Format::Json {
            crate::output::json(&mut out, &b)?;
        } else {
            print(&mut out, &b.assessment, cli.format, a.explain)?;
            if cli.format == Format::Table {
                writeln!(out, "\nrules of origin relied on ({}):", bom.display())?;
                crate::output::roo_tests(&mut out, &b.roo)?;
                for n in b.notes.iter().chain(&b.roo.notes) {
                    writeln!(out, "note: {n}")?;
                }
            }
        }
        for w in quid_app::duty::warnings(&engine, &b.assessment.entry) {
            eprintln!("warning: {w}");
        }
        drop(b);
        super::leave(engine);
        return Ok(ExitCode::SUCCESS);
    }
    let assessment = quid_app::duty::assess_checked(&engine, &record, a.strict)?;
    let mut out = std::io::stdout().lock();
    print(&mut out, &assessment, cli.format, a.explain)?;
    if let Some(n) = quid_app::duty::rounding_note(&record, &assessment.entry) {
        eprintln!("note: {n}");
    }
    for w in quid_app::duty::warnings(&engine, &assessment.entry) {
        eprintln!("warning: {w}");
    }
    drop(assessment);
    super::leave(engine);
    Ok(ExitCode::SUCCESS)
}

/// A batch with a progress bar and a summary on standard error; exit status 1 when any line
/// was rejected.
fn batch(
    engine: &quid_app::Engine,
    input: &std::path::Path,
    output: Option<std::path::PathBuf>,
    strict: bool,
    format: Format,
) -> anyhow::Result<ExitCode> {
    use indicatif::{ProgressBar, ProgressStyle};
    let pb = ProgressBar::new(0);
    pb.set_style(
        ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let req = BatchRequest {
        input: input.to_path_buf(),
        output,
        strict,
    };
    let r = batch_files::run(engine, &req, &|n| pb.set_length(n), &|n| pb.set_position(n))?;
    pb.finish_and_clear();
    if format == Format::Json {
        crate::output::json(&mut std::io::stdout().lock(), &r)?;
    }
    let mut err = std::io::stderr().lock();
    writeln!(
        err,
        "{}, {} read: {} assessed, {} rejected",
        crate::output::count(r.lines as usize, "line", "lines"),
        crate::output::count(r.records as usize, "record", "records"),
        r.assessed,
        r.rejected
    )?;
    // US entries owe US dollars and Canadian entries Canadian dollars: never one sum.
    writeln!(
        err,
        "total duty USD {}, CAD {}; refundable after the IEEPA ruling USD {}, CAD {}",
        money(r.total_duty.usd),
        money(r.total_duty.cad),
        money(r.refundable.usd),
        money(r.refundable.cad)
    )?;
    if let (n @ 1.., Some(last)) = (r.after_known, r.known_until) {
        writeln!(
            err,
            "warning: {n} line(s) dated after {last}, the newest date in the bundled measures \
             and schedules: policy is known only up to {last}, and they were assessed with what \
             was in force then"
        )?;
    }
    for u in &r.unmodelled {
        let (n, importer, origin) = (u.lines, u.importer, u.origin);
        writeln!(
            err,
            "warning: {n} {importer} line(s) of origin {origin}, whose measures are not \
             modelled: only the base duty and the measures on goods of every origin were \
             computed (--strict rejects them)"
        )?;
    }
    writeln!(err, "output: {}", r.output.display())?;
    writeln!(
        err,
        "rejects: {}{}",
        r.rejects.display(),
        if r.rejected > 0 {
            " (one reason per line)"
        } else {
            " (none)"
        }
    )?;
    if r.rejected > 0 {
        writeln!(
            err,
            "exit status 1: {} rejected (each with its reason in {}); the other lines were assessed and written",
            crate::output::count(r.rejected as usize, "line was", "lines were"),
            r.rejects.display()
        )?;
    }
    Ok(if r.rejected > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// An amount to the cent, rounded half away from zero (the one rounding of money).
fn money(d: Decimal) -> String {
    format!("{:.2}", quid_core::money::round_cents(d))
}

/// Prints an assessment.
pub fn print(
    out: &mut dyn Write,
    a: &Assessment<'_>,
    format: Format,
    explain: bool,
) -> std::io::Result<()> {
    if format == Format::Json {
        serde_json::to_writer_pretty(&mut *out, a)?;
        return writeln!(out);
    }
    let cur = quid_app::duty::currency(&a.entry);
    let mut t = Table::new(["layer", "measure", "heading", "base", "rate", "amount"]);
    match &a.base {
        Some(b) => t.push([
            b.authority.to_string(),
            "base duty".to_string(),
            b.line.dotted(),
            money(b.base),
            match b.relieved_by {
                Some(r) => format!("{} (relieved: {r})", b.rate),
                None => b.rate.to_string(),
            },
            money(b.amount),
        ]),
        None => t.push([
            "base".to_string(),
            "base rate unknown".into(),
            a.entry.hs.dotted(),
            money(a.entry.value),
            "unknown".into(),
            "unknown".into(),
        ]),
    }
    for l in &a.layers {
        t.push([
            l.authority().to_string(),
            l.measure().to_string(),
            match l.case() {
                Some(c) => format!("{} {c}", l.heading()),
                None => l.heading().to_string(),
            },
            money(l.base),
            l.rate().to_string(),
            money(l.amount),
        ]);
    }
    if format == Format::Csv {
        return t.write(out, format);
    }
    writeln!(
        out,
        "{} entry of {} from {}, {} on {}, value {cur} {}{}",
        a.entry.importer,
        a.entry.hs.dotted(),
        a.entry.origin,
        if a.entry.preference_claim {
            "preference claimed"
        } else {
            "no preference claim"
        },
        a.entry.date,
        money(a.entry.value),
        a.entry
            .quantity
            .map(|q| format!(", quantity {q}"))
            .unwrap_or_default()
    )?;
    writeln!(out)?;
    t.write(out, format)?;
    writeln!(out)?;
    writeln!(
        out,
        "total duty at entry: {cur} {}{}",
        money(a.total),
        if a.base_rate_known() {
            ""
        } else {
            " (plus the unknown base duty)"
        }
    )?;
    if let Some(o) = a.owed_after_ruling {
        writeln!(
            out,
            "owed after the IEEPA ruling (Learning Resources, Inc. v. Trump, 2026-02-20): {cur} {}; refundable: {cur} {}",
            money(o),
            money(a.refundable)
        )?;
    }
    writeln!(out, "base rate: {}", a.base_basis)?;
    for l in &a.layers {
        if let Some(s) = &l.stand_in {
            writeln!(out, "note: {} ({}): {s}", l.measure(), l.heading())?;
        }
    }
    for w in &a.warnings {
        writeln!(out, "warning: {w}")?;
    }
    if explain {
        if !a.not_applied.is_empty() {
            writeln!(out, "\nconsidered and not applied:")?;
            for n in &a.not_applied {
                writeln!(
                    out,
                    "  {} ({}, {}): {}: {}",
                    n.measure(),
                    n.authority(),
                    n.heading(),
                    quid_app::table::serde_name(&n.reason).replace('_', " "),
                    n.detail(&a.entry)
                )?;
                for c in n.rule_citations().iter().chain(n.citations().iter()) {
                    write_citation(out, "      ", c)?;
                }
            }
        }
        writeln!(out, "\ncitations:")?;
        for l in &a.layers {
            writeln!(out, "  {} ({}): {}", l.measure(), l.heading(), l.title())?;
            for c in l.citations() {
                write_citation(out, "      ", c)?;
            }
        }
    }
    Ok(())
}

/// One citation of `--explain`: what it is, its title, date and address on one line, and where
/// in it (the pinpoint: section, clause, annex, schedule item) on the next.
fn write_citation(
    out: &mut dyn std::io::Write,
    indent: &str,
    c: &quid_core::Citation,
) -> std::io::Result<()> {
    let kind = c.kind.map_or("source", |k| k.label());
    write!(out, "{indent}{kind}: {}", c.title)?;
    if let Some(d) = &c.date {
        write!(out, " ({d})")?;
    }
    if let Some(u) = &c.url {
        write!(out, " <{u}>")?;
    }
    writeln!(out)?;
    if let Some(p) = &c.pinpoint {
        writeln!(out, "{indent}    at: {p}")?;
    }
    Ok(())
}
