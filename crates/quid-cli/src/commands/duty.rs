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
    let need = |v: &Option<String>, flag: &str| {
        v.clone()
            .ok_or_else(|| anyhow::anyhow!("{flag} is required"))
    };
    let origin: Country = need(&a.origin, "--origin")?.parse().context("--origin")?;
    let hs: HsCode = need(&a.hts, "--hts")?.parse().context("--hts")?;
    let date = parse_date(&need(&a.date, "--date")?).context("--date")?;
    let value_text = need(&a.value, "--value")?;
    let value = Decimal::from_str(value_text.trim())
        .with_context(|| format!("--value: {value_text:?} is not a number"))?;
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
    e.energy = a.energy;
    e.qualifying = a.qualifying;
    Ok(e)
}

/// Loads what an assessment needs: the compiled measures and the reference data.
pub fn load_engine(
    cli: &Cli,
    ca_tariff: Option<&std::path::Path>,
    include_unverified: bool,
) -> anyhow::Result<(quid_engine::Policy, BundleReference)> {
    let bundle = context::bundle(&cli.data)?;
    let schedules = context::schedules(cli, ca_tariff)?;
    let metal =
        read_metal_shares(&bundle.metal_content()).context("loading the metal-content shares")?;
    let policy = quid_data::measures::load_policy(&bundle, include_unverified)
        .context("loading the measures")?;
    Ok((policy, BundleReference::new(schedules, &metal)))
}

pub fn run(cli: &Cli, a: &DutyArgs) -> anyhow::Result<ExitCode> {
    if let Some(input) = &a.input {
        return super::batch::run(cli, a, input);
    }
    let entry = entry_from_args(a)?;
    let (policy, reference) = load_engine(cli, a.ca_tariff.as_deref(), a.include_unverified)?;
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
    a: &Assessment<'_>,
    format: Format,
    explain: bool,
) -> std::io::Result<()> {
    if format == Format::Json {
        serde_json::to_writer_pretty(&mut *out, a)?;
        return writeln!(out);
    }
    let cur = match a.entry.importer {
        Country::CA => "CAD",
        _ => "USD",
    };
    let mut t = Table::new(["layer", "measure", "heading", "base", "rate", "amount"]);
    match &a.base {
        Some(b) => t.push([
            b.authority.to_string(),
            "base duty".to_string(),
            b.line.dotted(),
            money(b.base),
            b.rate.to_string(),
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
            l.heading().to_string(),
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
    if explain {
        if !a.not_applied.is_empty() {
            writeln!(out, "\nconsidered and not applied:")?;
            for n in &a.not_applied {
                writeln!(
                    out,
                    "  {} ({}, {}): {:?}: {}",
                    n.measure(),
                    n.authority(),
                    n.heading(),
                    n.reason,
                    n.detail(&a.entry)
                )?;
                for c in n.rule_citations().iter().chain(n.citations().iter()) {
                    writeln!(out, "      source: {c}")?;
                }
            }
        }
        writeln!(out, "\ncitations:")?;
        for l in &a.layers {
            writeln!(out, "  {} ({}): {}", l.measure(), l.heading(), l.title())?;
            for c in l.citations() {
                writeln!(out, "      {c}")?;
            }
        }
    }
    Ok(())
}
