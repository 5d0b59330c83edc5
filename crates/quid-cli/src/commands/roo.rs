//! `quid roo check`: the tests of the Automotive Appendix on a bill of materials.

use crate::cli::{Cli, Format, RooCmd};
use crate::output::Print as _;
use quid_app::roo::{self, CheckRequest};
use quid_app::App;
use std::io::Write;
use std::process::ExitCode;

pub fn run(app: &App, cli: &Cli, c: &RooCmd) -> anyhow::Result<ExitCode> {
    let RooCmd::Check { bom, date } = c;
    let req = CheckRequest {
        bom: bom.clone(),
        date: super::opt_date("--date", date.as_deref())?,
    };
    let r = roo::check(app, &req)?;
    let mut out = std::io::stdout().lock();
    match cli.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &r)?;
            writeln!(out)?;
        }
        Format::Csv => roo::tests_table(&r.result).write(&mut out, Format::Csv)?,
        Format::Table => {
            let res = &r.result;
            writeln!(out, "{} ({})", res.name, r.file)?;
            writeln!(
                out,
                "{} assembled in {}{}, rules on {}: {}{}",
                r.class.key().replace('_', " "),
                quid_app::table::serde_name(&r.assembly),
                r.hts
                    .as_deref()
                    .map(|h| format!(", tariff line {h}"))
                    .unwrap_or_default(),
                res.date,
                roo::verdict_words(res.verdict).to_uppercase(),
                if res.partial {
                    " (partial bill of materials)"
                } else {
                    ""
                }
            )?;
            writeln!(out)?;
            crate::output::roo_tests(&mut out, res)?;
            writeln!(out)?;
            let b = &r.duty_base;
            writeln!(
                out,
                "Section 232 base (transaction value {:.2}): US content {:.2} ({}%), non-US content {:.2} ({}%){}",
                b.transaction_value,
                b.us_content_value,
                (b.us_content_share * rust_decimal::Decimal::ONE_HUNDRED).normalize(),
                b.non_us_content_value,
                (b.non_us_content_share * rust_decimal::Decimal::ONE_HUNDRED).normalize(),
                if b.usable { "" } else { " (lower bounds: not used for a duty)" }
            )?;
            writeln!(
                out,
                "Canadian and Mexican content (SOR/2025-118): {}%",
                (b.ca_mx_content_share * rust_decimal::Decimal::ONE_HUNDRED).normalize()
            )?;
            for n in &res.notes {
                writeln!(out, "note: {n}")?;
            }
            for c in &b.citations {
                writeln!(out, "source: {c}")?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
