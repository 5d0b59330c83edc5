//! Command implementations, one module per command group.

mod balance;
mod batch;
mod data;
mod duty;
mod etr;
mod ledger;
mod measures;
mod rates;
mod schedule;

use crate::cli::{Cli, Command};
use std::process::ExitCode;

pub fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Command::Schedule(c) => schedule::run(&cli, c),
        Command::Data(c) => data::run(&cli, c),
        Command::Duty(a) => duty::run(&cli, a),
        Command::Measures(c) => measures::run(&cli, c),
        Command::Rates(a) => rates::run(&cli, a),
        Command::Etr(a) => etr::run(&cli, a),
        Command::Balance(a) => balance::run(&cli, a),
        Command::Ledger(c) => ledger::run(&cli, c),
    }
}

/// Parses a country argument with a message that says what is expected.
pub fn parse_importer(text: &str) -> anyhow::Result<quid_core::Country> {
    let c: quid_core::Country = text.parse()?;
    anyhow::ensure!(
        c == quid_core::Country::US || c == quid_core::Country::CA,
        "importer {c} is not supported: quid has the schedules of US and CA"
    );
    Ok(c)
}

/// Parses an optional date argument.
pub fn parse_date_arg(text: Option<&str>) -> anyhow::Result<Option<quid_core::Date>> {
    text.map(|t| quid_core::parse_date(t).map_err(anyhow::Error::from))
        .transpose()
}
