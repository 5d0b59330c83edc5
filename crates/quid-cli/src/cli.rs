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
    /// Compute the duty an entry owes, layer by layer with the legal heading and citation.
    ///
    /// Example: quid duty --importer US --origin CA --hts 7208.10.15 --value 100000
    /// --date 2025-07-01 --explain
    Duty(Box<DutyArgs>),
    /// Measures: what is in force, one measure in full, and a check of the measure files.
    #[command(subcommand)]
    Measures(MeasuresCmd),
}

#[derive(Debug, Args)]
pub struct DutyArgs {
    /// Importing country: US or CA.
    #[arg(long, default_value = "US")]
    pub importer: String,
    /// Country of origin (ISO alpha-2).
    #[arg(long, required_unless_present = "input")]
    pub origin: Option<String>,
    /// Tariff line (US HTS 8 or 10 digits; Canadian tariff item 8 or 10 digits).
    #[arg(long, alias = "hs", required_unless_present = "input")]
    pub hts: Option<String>,
    /// Customs value (US, in USD) or value for duty (Canada, in CAD).
    #[arg(long, required_unless_present = "input")]
    pub value: Option<String>,
    /// Date of entry for consumption (YYYY-MM-DD).
    #[arg(long, required_unless_present = "input")]
    pub date: Option<String>,
    /// Batch: a CSV of entries (columns as the flags: importer, origin, hts, date, value,
    /// quantity, unit, usmca, steel_content, aluminum_content, copper_content, us_content,
    /// ca_mx_content, us_melted, transshipped, energy; optional id). See the README.
    #[arg(long, conflicts_with_all = ["origin", "hts", "value"])]
    pub input: Option<PathBuf>,
    /// Batch: where to write the assessed lines (CSV). Rejected lines go to
    /// `<output stem>.rejects.csv` beside it, one reason per line.
    #[arg(long, requires = "input")]
    pub output: Option<PathBuf>,
    /// USMCA (US) or CUSMA (Canada) preference claimed.
    #[arg(long, alias = "cusma")]
    pub usmca: bool,
    /// Quantity and unit, e.g. --quantity 12000 kg (needed for specific rates).
    #[arg(long, num_args = 2, value_names = ["AMOUNT", "UNIT"])]
    pub quantity: Option<Vec<String>>,
    /// Value of the steel content (default: the BEA stand-in share).
    #[arg(long)]
    pub steel_content: Option<String>,
    /// Value of the aluminum content.
    #[arg(long)]
    pub aluminum_content: Option<String>,
    /// Value of the copper content.
    #[arg(long)]
    pub copper_content: Option<String>,
    /// Share (0-1) of US content (USMCA vehicles; default 0.40, documented).
    #[arg(long)]
    pub us_content: Option<String>,
    /// Share (0-1) of Canadian and Mexican content (Canada's vehicle surtax).
    #[arg(long)]
    pub ca_mx_content: Option<String>,
    /// The metal was melted and poured (smelted and cast) in the US.
    #[arg(long)]
    pub us_melted: bool,
    /// The good was found transshipped to evade duties.
    #[arg(long)]
    pub transshipped: bool,
    /// The good is "energy or energy resources" (EO 14193) though not on the bundled energy list.
    #[arg(long)]
    pub energy: bool,
    /// Also list every measure considered and not applied, with why, and every citation.
    #[arg(long)]
    pub explain: bool,
    /// Include measures tagged unverified.
    #[arg(long)]
    pub include_unverified: bool,
    /// A full CBSA Customs Tariff export to use instead of the bundled sample.
    #[arg(long)]
    pub ca_tariff: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum MeasuresCmd {
    /// List measures, optionally only an importer's and only those in force on a date.
    List {
        #[arg(long)]
        importer: Option<String>,
        #[arg(long)]
        date: Option<String>,
    },
    /// Show one measure in full.
    Show { id: String },
    /// Validate every measure file and report every problem.
    Check,
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
