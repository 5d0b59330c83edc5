//! `quid data check`.

use crate::cli::{Cli, DataCmd};
use std::process::ExitCode;

pub fn run(_cli: &Cli, cmd: &DataCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        DataCmd::Check => anyhow::bail!("data check: not yet wired"),
    }
}
