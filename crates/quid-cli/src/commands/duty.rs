//! `quid duty`: assess one entry and print its layers.

use super::parse_importer;
use crate::cli::{Cli, DutyArgs, Format};
use crate::context;
use crate::output::Table;
use anyhow::Context as _;
use quid_core::{parse_date, Country, HsCode, Quantity, Unit};
use quid_data::params::read_metal_shares;
use quid_data::reference::BundleReference;
use quid_engine::{Assessment, Entry};
use rust_decimal::Decimal;
use std::io::Write;
use std::process::ExitCode;
use std::str::FromStr;

fn dec(name: &str, s: &Option<String>) -> anyhow::Result<Option<Decimal>> {
    s.as_deref()
        .map(|t| {
            Decimal::from_str(t.trim()).with_context(|| format!("--{name}: {t:?} is not a number"))
        })
        .transpose()
}

/// Builds the entry from the flags.
pub fn entry_from_args(a: &DutyArgs) -> anyhow::Result<Entry> {
    let importer = parse_importer(&a.importer)?;
    let origin: Country = a.origin.parse().context("--origin")?;
    let hs: HsCode = a.hts.parse().context("--hts")?;
    let date = parse_date(&a.date).context("--date")?;
    let value = Decimal::from_str(a.value.trim())
        .with_context(|| format!("--value: {:?} is not a number", a.value))?;
    let quantity = match &a.quantity {
        Some(v) if v.len() == 2 => {
            let amount = Decimal::from_str(&v[0])
                .with_context(|| format!("--quantity: {:?} is not a number", v[0]))?;
            let unit: Unit = v[1]
                .parse()
                .map_err(|e: String| anyhow::anyhow!("--quantity: {e}"))?;
            Some(Quantity::new(amount, unit))
        }
        _ => None,
    };
    let mut e = Entry::new(importer, origin, hs, date, value);
    e.quantity = quantity;
    e.preference_claim = a.usmca;
    e.steel_content = dec("steel-content", &a.steel_content)?;
    e.aluminum_content = dec("aluminum-content", &a.aluminum_content)?;
    e.copper_content = dec("copper-content", &a.copper_content)?;
    e.us_content = dec("us-content", &a.us_content)?;
    e.ca_mx_content = dec("ca-mx-content", &a.ca_mx_content)?;
    e.us_melted = a.us_melted;
    e.transshipped = a.transshipped;
    Ok(e)
}

pub fn run(cli: &Cli, a: &DutyArgs) -> anyhow::Result<ExitCode> {
    let entry = entry_from_args(a)?;
    let bundle = context::bundle(&cli.data)?;
    let schedules = context::schedules(cli, a.ca_tariff.as_deref())?;
    let metal =
        read_metal_shares(&bundle.metal_content()).context("loading the metal-content shares")?;
    let policy = quid_data::measures::load_policy(&bundle, a.include_unverified)
        .context("loading the measures")?;
    let reference = BundleReference { schedules, metal };
    let assessment = policy.assess(&entry, &reference)?;
    let mut out = std::io::stdout().lock();
    print(&mut out, &assessment, cli.format, a.explain)?;
    Ok(ExitCode::SUCCESS)
}

fn money(d: Decimal) -> String {
    format!("{:.2}", d)
}

/// Prints an assessment.
pub fn print(
    out: &mut dyn Write,
    a: &Assessment,
    format: Format,
    explain: bool,
) -> std::io::Result<()> {
    if format == Format::Json {
        serde_json::to_writer_pretty(&mut *out, a)?;
        return writeln!(out);
    }
    let cur = a.entry.importer.currency().map_or("", |c| {
        if c == quid_core::Currency::USD {
            "USD"
        } else {
            "CAD"
        }
    });
    let mut t = Table::new(["layer", "measure", "heading", "base", "rate", "amount"]);
    match &a.base {
        Some(b) => t.push([
            b.authority.clone(),
            b.title.clone(),
            b.heading.clone(),
            money(b.base),
            b.rate.clone(),
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
            l.authority.clone(),
            l.measure.clone(),
            l.heading.clone(),
            money(l.base),
            l.rate.clone(),
            money(l.amount),
        ]);
    }
    if format == Format::Csv {
        return t.write(out, format);
    }
    writeln!(
        out,
        "{} entry of {} from {}, {} on {}, value {} {}{}",
        a.entry.importer,
        a.entry.hs.dotted(),
        a.entry.origin,
        if a.entry.preference_claim {
            "preference claimed"
        } else {
            "no preference claim"
        },
        a.entry.date,
        cur,
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
        if a.base_rate_known {
            ""
        } else {
            " (plus the unknown base duty)"
        }
    )?;
    if let Some(o) = a.owed_after_ruling {
        writeln!(out, "owed after the IEEPA ruling (Learning Resources v. Trump, 2026-02-20): {cur} {}; refundable: {cur} {}", money(o), money(a.refundable))?;
    }
    for l in &a.layers {
        if let Some(s) = &l.stand_in {
            writeln!(out, "note: {} ({}): {s}", l.measure, l.heading)?;
        }
    }
    for n in &a.notes {
        writeln!(out, "note: {n}")?;
    }
    if explain {
        if !a.not_applied.is_empty() {
            writeln!(out, "\nconsidered and not applied:")?;
            for n in &a.not_applied {
                writeln!(
                    out,
                    "  {} ({}, {}): {:?}: {}",
                    n.measure, n.authority, n.heading, n.reason, n.detail
                )?;
                for c in &n.citations {
                    writeln!(out, "      source: {c}")?;
                }
            }
        }
        writeln!(out, "\ncitations:")?;
        if let Some(b) = &a.base {
            writeln!(out, "  {}: {}", b.authority, b.title)?;
        }
        for l in &a.layers {
            writeln!(out, "  {} ({}): {}", l.measure, l.heading, l.title)?;
            for c in &l.citations {
                writeln!(out, "      {c}")?;
            }
        }
    }
    Ok(())
}
