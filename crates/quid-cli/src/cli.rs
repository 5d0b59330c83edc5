//! Command-line arguments (clap). Help texts are written for trade analysts and brokers.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// quid: measurable reciprocity in trade negotiations.
///
/// A dated, cited ledger of Canada-US trade measures, a duty engine that computes what a
/// shipment owes under stacked measures, line by line with legal citations, and the schedules
/// and trade flows behind them.
#[derive(Debug, Parser)]
#[command(
    name = "quid",
    version,
    propagate_version = true,
    after_help = "Exit status: 0 when the command ran and found nothing wrong (every line \
assessed, every file valid); 1 when it ran and found problems (a batch with rejected lines, a \
check with problems), each listed; 2 on an error (bad arguments, a file that cannot be read), \
with its message.\n\nOutput contract (JSON keys, money, nulls): docs/output.md; JSON Schemas: \
docs/schemas/."
)]
pub struct Cli {
    /// Output format for commands that print data (JSON and CSV: docs/output.md).
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Print tables whole, however wide (default: fit $COLUMNS, the terminal, or 100 columns).
    #[arg(long, global = true)]
    pub wide: bool,
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
    /// Tariff rates by line and authority: on one date (statutory panel), or as intervals over
    /// every policy change date of a period (interval panel).
    ///
    /// Examples: quid rates --importer US --partner CA --date 2025-08-15 --hts 72;
    /// quid rates --importer US --partner CA --from 2025-01-01 --to 2026-11-26 --output panel.parquet
    Rates(Box<RatesArgs>),
    /// Trade-weighted effective tariff rate over time, by authority or sector, with a chart.
    ///
    /// Example: quid etr --importer US --partner CA --from 2025-01-01 --to 2026-11-26 --daily
    /// --chart etr.svg
    Etr(Box<EtrArgs>),
    /// The reciprocity balance between Canada and the United States: the annual tariff burden
    /// each imposes on the other over time, every move valued, the concessions made and
    /// received by category, restrictiveness indices, and a chart.
    ///
    /// Example: quid balance --between CA US --as-known-on 2026-02-19 --chart balance.svg
    Balance(Box<BalanceArgs>),
    /// The ledger: check the bundled entries, add or import your own into the workspace
    /// database, export, list, and verify the workspace's hash chain.
    #[command(subcommand)]
    Ledger(LedgerCmd),
    /// Scenarios: a package of moves (data/scenarios/*.toml) valued against the baseline:
    /// static duty, partial-equilibrium trade effects with Monte Carlo bands, a chart.
    ///
    /// Example: quid scenario run data/scenarios/canada_ask.toml --chart ask.svg
    #[command(subcommand)]
    Scenario(ScenarioCmd),
    /// Negotiation packages: from candidate moves of two parties (data/negotiation/candidates.toml),
    /// the packages whose value given and received balance within a tolerance while
    /// liberalising the most trade, and the Pareto frontier of value to each side.
    ///
    /// Example: quid negotiate --between CA US --candidates data/negotiation/candidates.toml
    /// --tolerance 5% --since 2025-01-01
    Negotiate(Box<NegotiateArgs>),
    /// CUSMA/USMCA automotive rules of origin: check a vehicle's bill of materials.
    ///
    /// Example: quid roo check data/roo/examples/sedan_mx.toml --date 2026-03-01
    #[command(subcommand)]
    Roo(RooCmd),
    /// Run quid as a web service: the HTTP JSON API (/api/v1, described at
    /// /api/v1/openapi.json) and the dashboard (/), on the bundled data and a workspace
    /// database shared by its users.
    ///
    /// The database is an SQLite file, by default ./quid-workspace.sqlite in the folder the
    /// server starts in (QUID_WORKSPACE or --database name another), or PostgreSQL with
    /// --database postgres://user:password@host/db. Reads are open; writes need a token from
    /// `quid token create`.
    ///
    /// Example: quid serve --bind 127.0.0.1:8080
    Serve(Box<ServeArgs>),
    /// API tokens for writes to the server's database (POST /api/v1/ledger).
    #[command(subcommand)]
    Token(TokenCmd),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// The workspace database: an SQLite file path (default ./quid-workspace.sqlite) or a
    /// postgres:// URL.
    #[arg(long, env = "QUID_WORKSPACE")]
    pub database: Option<String>,
    /// Allow browser calls from this origin (CORS), e.g. https://example.org; off by default.
    #[arg(long)]
    pub cors: Option<String>,
    /// Largest request body in bytes (a batch upload: --batch-limit).
    #[arg(long, default_value_t = 1 << 20)]
    pub body_limit: usize,
    /// Largest batch upload in bytes.
    #[arg(long, default_value_t = 1 << 30)]
    pub batch_limit: usize,
    /// Seconds a request may take before it is answered with a timeout error.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
}

#[derive(Debug, Subcommand)]
pub enum TokenCmd {
    /// Create a token: printed once; the database keeps only its SHA-256 hash.
    Create {
        /// A name to know the token by (who or what uses it).
        #[arg(long, default_value = "default")]
        name: String,
        /// The workspace database (as `quid serve --database`).
        #[arg(long, env = "QUID_WORKSPACE")]
        database: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum RooCmd {
    /// Every test of the Automotive Appendix on a bill of materials (TOML, components inline or
    /// in a CSV it names): value, threshold, margin and article, the verdict, and the US and
    /// non-US content the Section 232 duty is taken on.
    Check {
        bom: PathBuf,
        /// The date the rules are taken on (default: today).
        #[arg(long)]
        date: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct NegotiateArgs {
    /// The two parties.
    #[arg(long, num_args = 2, value_names = ["A", "B"], default_values = ["CA", "US"])]
    pub between: Vec<String>,
    /// Candidate moves (TOML).
    #[arg(long, default_value = "data/negotiation/candidates.toml")]
    pub candidates: PathBuf,
    /// The two sides' totals within this share of their mean ("5%" or 0.05).
    #[arg(long, default_value = "5%")]
    pub tolerance: String,
    /// Count each side's tariff concessions recorded in the ledger since this date.
    #[arg(long)]
    pub since: Option<String>,
    /// Count declared non-tariff concessions (tax, spending) at this many US$ of annual duty per
    /// US$ declared; without it they are reported beside the totals, never added.
    #[arg(long)]
    pub declared_rate: Option<f64>,
}

#[derive(Debug, Subcommand)]
pub enum ScenarioCmd {
    /// Run one scenario: per-party and per-sector tables with 90% bands, and a chart.
    Run {
        file: PathBuf,
        #[command(flatten)]
        mc: MonteCarlo,
        /// Draw the burdens under the baseline and the scenario (SVG).
        #[arg(long)]
        chart: Option<PathBuf>,
    },
    /// Lay several scenarios side by side (static and partial-equilibrium headlines).
    Compare {
        #[arg(required = true, num_args = 1..)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        mc: MonteCarlo,
    },
}

#[derive(Debug, Args)]
pub struct MonteCarlo {
    /// Monte Carlo draws over the elasticities (0 for none).
    #[arg(long, default_value_t = 1000)]
    pub draws: usize,
    /// Seed of the draws (the same seed gives the same bands).
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// An export supply elasticity for every source (default: world prices fixed, as SMART).
    #[arg(long)]
    pub supply_elasticity: Option<f64>,
}

#[derive(Debug, Args)]
pub struct BalanceArgs {
    /// The two parties.
    #[arg(long, num_args = 2, value_names = ["A", "B"], default_values = ["CA", "US"])]
    pub between: Vec<String>,
    /// Start of the period.
    #[arg(long, default_value = "2025-01-01")]
    pub since: String,
    /// End of the period (default: the newest entry known).
    #[arg(long)]
    pub until: Option<String>,
    /// Answer with what was known on this date (default: today).
    #[arg(long)]
    pub as_known_on: Option<String>,
    /// Draw the two burdens over time with the moves marked (SVG) to this file; a sector view
    /// is written beside it (`<name>-sectors.svg`). Without it no file is written.
    #[arg(long)]
    pub chart: Option<PathBuf>,
    /// Do not write the charts (the default; kept for scripts written when charts were drawn
    /// unless told not to).
    #[arg(long, hide = true)]
    pub no_chart: bool,
    /// The dates the charts span, FROM..TO (default: the balance's period), so that charts
    /// meant to be compared share one x axis.
    #[arg(long, value_name = "FROM..TO")]
    pub chart_range: Option<String>,
    /// Also value every month on the trade that actually crossed and reconcile it, step by
    /// step, with the published collections (data/collections/published.csv); the chart
    /// `<name>-realized.svg` draws both lines with the published points.
    #[arg(long)]
    pub realized: bool,
    /// Save this analysis (its arguments) under a name in the workspace database.
    #[arg(long)]
    pub save: Option<String>,
    /// A Statistics Canada CIMT extract (hs, country, province, value, quantity, year, month)
    /// to weight Canada's measures at tariff-item level instead of the HS2 stand-in.
    #[arg(long)]
    pub cimt: Option<PathBuf>,
    /// Classify every move against this date (default: the day before the first move):
    /// escalation, de-escalation (withdrawing one's own escalation), concession (beyond it).
    #[arg(long)]
    pub baseline: Option<String>,
    /// A scenario file (data/scenarios/*.toml): draw the balance with its package applied,
    /// beside the baseline, to a year after the package's start.
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    /// USTR reciprocal-tariff formula: import-demand elasticity.
    #[arg(long, default_value_t = 4.0)]
    pub epsilon: f64,
    /// USTR reciprocal-tariff formula: pass-through of tariffs to import prices (0.25 as
    /// published; about 0.945 as corrected).
    #[arg(long, default_value_t = 0.25)]
    pub phi: f64,
    /// The workspace database with entries of your own (default: quid-workspace.sqlite, or
    /// QUID_WORKSPACE; used only if it exists).
    #[arg(long, env = "QUID_WORKSPACE")]
    pub workspace: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum LedgerCmd {
    /// Validate the bundled ledger (and the workspace's entries) and report every problem.
    Check {
        #[arg(long, env = "QUID_WORKSPACE")]
        workspace: Option<PathBuf>,
    },
    /// Walk the workspace's hash chain and report any entry changed behind quid's back.
    Verify {
        #[arg(long, env = "QUID_WORKSPACE")]
        workspace: Option<PathBuf>,
    },
    /// Add entries (a TOML file with [[announcement]] tables, or JSON) to the workspace.
    Add {
        file: PathBuf,
        #[arg(long, env = "QUID_WORKSPACE")]
        workspace: Option<PathBuf>,
    },
    /// Import entries from JSON or CSV (as written by export) in one transaction.
    Import {
        file: PathBuf,
        #[arg(long, env = "QUID_WORKSPACE")]
        workspace: Option<PathBuf>,
    },
    /// Export the ledger (bundled and workspace entries) as JSON or CSV.
    Export {
        /// Output file; .json or .csv.
        #[arg(long)]
        output: PathBuf,
        /// Only the workspace's entries.
        #[arg(long)]
        workspace_only: bool,
        #[arg(long, env = "QUID_WORKSPACE")]
        workspace: Option<PathBuf>,
    },
    /// List the moves known on a date.
    List {
        #[arg(long)]
        as_known_on: Option<String>,
        #[arg(long, env = "QUID_WORKSPACE")]
        workspace: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct RatesArgs {
    /// Importing country: US or CA.
    #[arg(long, default_value = "US")]
    pub importer: String,
    /// Partner (country of origin): CA, MX (for US) or US (for CA).
    #[arg(long)]
    pub partner: String,
    /// One date: the statutory panel on that date.
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub date: Option<String>,
    /// Start of the period for the interval panel.
    #[arg(long, requires = "to")]
    pub from: Option<String>,
    /// End of the period (inclusive).
    #[arg(long, requires = "from")]
    pub to: Option<String>,
    /// Only lines under these HS prefixes (e.g. 72 or 8703).
    #[arg(long, value_delimiter = ',')]
    pub hts: Vec<String>,
    /// Write to a file (.csv or .parquet) instead of printing.
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Use the policy as the ledger knew it on this date (measures no entry known then
    /// mentions are left out).
    #[arg(long)]
    pub as_known_on: Option<String>,
}

#[derive(Debug, Args)]
pub struct EtrArgs {
    /// Importing country: US or CA.
    #[arg(long, default_value = "US")]
    pub importer: String,
    /// Partner: CA or MX (for US), US (for CA).
    #[arg(long)]
    pub partner: String,
    #[arg(long, default_value = "2025-01-01")]
    pub from: String,
    #[arg(long, default_value = "2026-11-26")]
    pub to: String,
    /// One row per day instead of one per policy change date.
    #[arg(long)]
    pub daily: bool,
    /// Break the rate down by authority, by HS section, or by GTAP sector.
    #[arg(long, value_enum)]
    pub by: Option<Breakdown>,
    /// Import weights (US importer): 2024 (Census imports for consumption by HS10, default) or
    /// 2025 (the monthly files' HS10 imports from CA or MX, summed over 2025).
    #[arg(long, default_value = "2024")]
    pub weights: String,
    /// USMCA claim shares: none, 2024, 2025 (annual, default), monthly (2025-01 to 2026-02,
    /// the 2025 annual share outside), since (each line's claimed value over its imports from
    /// 2025-07 to the latest monthly file, the Budget Lab tracker's later builds) or h2_average
    /// (the same over July-December 2025).
    #[arg(long, default_value = "2025")]
    pub shares: String,
    /// Use the policy as the ledger knew it on this date (measures no entry known then
    /// mentions are left out), to reproduce a build of a tracker on that date.
    #[arg(long)]
    pub as_known_on: Option<String>,
    /// Draw the series to an SVG file (and a PNG beside it), with the policy dates marked.
    #[arg(long)]
    pub chart: Option<PathBuf>,
    /// quid (the law as the duty engine applies it) or yale (the Budget Lab tracker's method;
    /// see docs/conventions.md).
    #[arg(long, value_enum, default_value_t = Convention::Quid)]
    pub convention: Convention,
    /// With --convention yale: the US-content factor of USMCA vehicles (default: the engine's
    /// default US content on each date, data/params/law.toml, the tracker's 0.40 since March
    /// 2026; 1 reproduces its earlier builds, such as the 2026-03-11 tables).
    /// Between 0 and 1.
    #[arg(long, allow_negative_numbers = true)]
    pub yale_alpha: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Breakdown {
    Authority,
    Sector,
    Gtap,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Convention {
    Quid,
    Yale,
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
    #[arg(long, required_unless_present = "input", allow_hyphen_values = true)]
    pub value: Option<String>,
    /// Date of entry for consumption (YYYY-MM-DD).
    #[arg(long, required_unless_present = "input")]
    pub date: Option<String>,
    /// Batch: a CSV of entries (columns as the flags: importer, origin, hts, date, value,
    /// quantity, unit, usmca, steel_content, aluminum_content, copper_content, us_content,
    /// ca_mx_content, us_melted, transshipped, energy, qualifying, remission, de_minimis, adcvd_case,
    /// adcvd_rate; optional id). See the README.
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
    /// A vehicle's bill of materials (see `quid roo check`): its evaluation on the entry's date
    /// sets the preference claim and the US and Canadian/Mexican content.
    #[arg(long, conflicts_with_all = ["us_content", "ca_mx_content", "input"])]
    pub bom: Option<PathBuf>,
    /// The metal was melted and poured (smelted and cast) in the US.
    #[arg(long)]
    pub us_melted: bool,
    /// The good was found transshipped to evade duties.
    #[arg(long)]
    pub transshipped: bool,
    /// The good is "energy or energy resources" (EO 14193) though not on the bundled energy list.
    #[arg(long)]
    pub energy: bool,
    /// The article meets a measure's technical or end-use test that its tariff line cannot
    /// decide (Section 232 semiconductors: the technical gate of US note 39 and no end-use
    /// exemption).
    #[arg(long)]
    pub qualifying: bool,
    /// The importer holds remission under a remission order for this good (Canada: the United
    /// States Surtax Remission Order (2025), SOR/2025-122, or the automakers' quotas): the
    /// remission rules that cover the item relieve the surtax, and the explanation names them.
    #[arg(long)]
    pub remission: bool,
    /// Entered under a de minimis claim (US: 19 U.S.C. 1321, value at most US$800) rather than
    /// as a formal or informal entry; relieved only where and while the law allowed it, else
    /// assessed as a formal entry with a warning.
    #[arg(long)]
    pub de_minimis: bool,
    /// AD/CVD case number(s) the entry is subject to, `;`-separated (softwood lumber from
    /// Canada: A-122-857 AD, C-122-858 CVD); quid never guesses a case.
    #[arg(long, requires = "adcvd_rate")]
    pub adcvd_case: Option<String>,
    /// The cash-deposit rate(s) in percent for the exporter, in the order of --adcvd-case.
    #[arg(long, requires = "adcvd_case")]
    pub adcvd_rate: Option<String>,
    /// Also list every measure considered and not applied, with why, and every citation.
    #[arg(long)]
    pub explain: bool,
    /// Refuse an entry (in a batch: reject the line) whose origin's measures are not modelled,
    /// rather than assess only its base duty and the measures on every origin.
    #[arg(long)]
    pub strict: bool,
    /// Include measures tagged unverified.
    #[arg(long)]
    pub include_unverified: bool,
    /// A full CBSA Customs Tariff export to use instead of the bundled sample.
    #[arg(long)]
    pub ca_tariff: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum MeasuresCmd {
    /// List measures, optionally only an importer's and only those in force on a date; the
    /// status is read on that date (default: today).
    List {
        #[arg(long)]
        importer: Option<String>,
        #[arg(long)]
        date: Option<String>,
    },
    /// Show one measure in full, with its status on a date.
    Show {
        id: String,
        /// The date the status is read on (default: today).
        #[arg(long)]
        date: Option<String>,
    },
    /// Validate every measure file and report every problem (exit status 1 when any).
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
    /// Canada in 2024 by source), after checking every file against data/MANIFEST.csv (sizes,
    /// SHA-256, record counts). Exits with status 1 when any file has a problem.
    Check,
    /// Compare the data folder with its manifest (every file's size, SHA-256 and record
    /// count), or with --write list the folder's files anew after a deliberate change.
    Manifest {
        /// Write data/MANIFEST.csv from the files as they are now.
        #[arg(long)]
        write: bool,
    },
}
