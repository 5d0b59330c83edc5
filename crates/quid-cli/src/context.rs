//! What commands share: the bundle location and the loaded schedules.

use crate::cli::Cli;
use anyhow::Context as _;
use quid_data::{Bundle, Schedules};

/// Finds the bundled data folder from `--data`, `QUID_DATA` or the defaults.
pub fn bundle(cli_data: &Option<std::path::PathBuf>) -> anyhow::Result<Bundle> {
    match cli_data {
        Some(p) => {
            anyhow::ensure!(
                p.join("SOURCES.md").is_file(),
                "{} is not a quid data folder (it has no SOURCES.md)",
                p.display()
            );
            Ok(Bundle::at(p))
        }
        None => Ok(Bundle::locate()?),
    }
}

/// Loads the bundled schedules, with an optional full Canadian tariff file.
pub fn schedules(cli: &Cli, ca_tariff: Option<&std::path::Path>) -> anyhow::Result<Schedules> {
    let b = bundle(&cli.data)?;
    let mut s = Schedules::load_bundled(&b).context("loading the bundled tariff schedules")?;
    if let Some(p) = ca_tariff {
        s.load_ca_file(p)
            .with_context(|| format!("loading the Canadian tariff file {}", p.display()))?;
    }
    Ok(s)
}
