//! Command-line arguments (clap). Help texts are written for trade analysts and brokers.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// quid: measurable reciprocity in trade negotiations.
///
/// A dated, cited ledger of Canada-US trade measures, a duty engine that computes what a
/// shipment owes under stacked measures, line by line with legal citations, and the schedules
/// and trade flows behind them.
#[derive(Debug, Parser)]
#[command(name = "quid", version, propagate_version = true)]
pub struct Cli {
    /// Output format for commands that print data.
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Folder of the bundled dataset (default: ./data, or QUID_DATA).
    #[arg(long, global = true, env = "QUID_DATA")]
    pub data: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns for the terminal.
    Table,
    /// JSON (an array of objects, or one object).
    Json,
    /// CSV with a header row.
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Tariff schedules: look up a line, search descriptions, check every rate text.
    #[command(subcommand)]
    Schedule(ScheduleCmd),
    /// The bundled dataset: validate every file and print a summary.
    #[command(subcommand)]
    Data(DataCmd),
}

#[derive(Debug, Subcommand)]
pub enum ScheduleCmd {
    /// Show a tariff line: description path, unit, MFN and preferential rates, Chapter 99
    /// references.
    ///
    /// Example: quid schedule show 8703.23.01 --importer US --date 2025-07-01
    Show {
        /// HS code: 4 to 10 digits, dots optional (8703.23.01, 7208101500).
        code: String,
        #[command(flatten)]
        at: ImporterDate,
    },
    /// Search line descriptions for all the given words (case-insensitive).
    ///
    /// Example: quid schedule search hot-rolled pickled --importer US
    Search {
        /// Words that must all appear in the line's description path.
        #[arg(required = true)]
        words: Vec<String>,
        #[command(flatten)]
        at: ImporterDate,
        /// At most this many lines.
        #[arg(long, default_value_t = 25)]
        limit: usize,
    },
    /// Parse every rate text of a schedule and list each one not understood, with its line.
    ///
    /// Without FILE, checks every bundled edition. A FILE ending in .json is read as a USITC
    /// JSON export; a CSV with a TARIFF column as a CBSA TPHS export; other CSVs as a flattened
    /// HTS. Exits with status 1 when fewer than 99.9% of rate texts are understood.
    Check {
        /// A schedule file to check instead of the bundled editions.
        file: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct ImporterDate {
    /// Importing country: US (HTS) or CA (Customs Tariff).
    #[arg(long, default_value = "US")]
    pub importer: String,
    /// Date (YYYY-MM-DD); picks the edition in force. Default: the newest edition.
    #[arg(long)]
    pub date: Option<String>,
    /// A full CBSA Customs Tariff export (TPHS table as CSV) to use instead of the bundled sample.
    #[arg(long)]
    pub ca_tariff: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum DataCmd {
    /// Validate every bundled file and print rows, years and key totals (US imports from
    /// Canada in 2024 by source). Exits with status 1 when any file has a problem.
    Check,
}
