//! Loading what the use cases work on: the bundled data folder, the compiled engine (measures,
//! schedules, stand-in shares), the ledger (bundled entries and the user's workspace), and the
//! date of the question. One [`App`] per invocation or server; [`Engine`] is loaded on demand.
//!
//! Load the bundled data once, then the engine; a reform of the engine's measures compiles a new
//! policy beside the baseline:
//!
//! ```
//! use quid_app::{App, EngineOptions};
//! use quid_core::{parse_date, Country, HsCode};
//! use quid_engine::reform::{Action, Move, Reform};
//! use quid_engine::Entry;
//! use rust_decimal::Decimal;
//!
//! let data = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
//! let app = App::new(Some(data), parse_date("2026-12-06").unwrap()).unwrap();
//! assert_eq!(app.today.to_string(), "2026-12-06");
//! let engine = app.engine(&EngineOptions::default()).unwrap();
//! // Steel articles of Canada at 25% instead of 50% from 2026-01-01 (US-S232-SA-2 is in force
//! // from 2025-06-04 to 2026-04-06).
//! let reform = Reform {
//!     moves: vec![Move {
//!         id: "steel-25".into(),
//!         party: Country::US,
//!         measures: vec!["US-S232-SA-2".into()],
//!         origins: Some(vec![Country::CA]),
//!         from: parse_date("2026-01-01").unwrap(),
//!         action: Action::SetRate("25%".into()),
//!     }],
//! };
//! let reformed = engine.reformed(&reform).unwrap();
//! // A Canadian hot-rolled coil of value 100000 (free of base duty) entered on 2026-02-01:
//! // 50% of 100000 in the baseline, 25% in the reform (the IEEPA duty gives way to either).
//! let coil = Entry::new(
//!     Country::US,
//!     Country::CA,
//!     HsCode::parse("7208.10.15.00").unwrap(),
//!     parse_date("2026-02-01").unwrap(),
//!     Decimal::new(100_000, 0),
//! );
//! let total = |p: &quid_engine::Policy| p.assess(&coil, &engine.reference).unwrap().total.to_string();
//! assert_eq!(total(&engine.policy), "50000.00");
//! assert_eq!(total(&reformed), "25000.00");
//! ```

use crate::{Error, Result};
use quid_core::ledger::Ledger;
use quid_core::Date;
use quid_data::reference::BundleReference;
use quid_data::{Bundle, Schedules};
use quid_engine::Policy;
use quid_store::Workspace;
use std::path::{Path, PathBuf};

/// The data folder, today's date, and the workspace database's path.
#[derive(Debug, Clone)]
pub struct App {
    pub bundle: Bundle,
    /// Today, as the caller's clock says: the default "as known on" date.
    pub today: Date,
    /// The workspace database (entries of the user's own); used only where it exists.
    pub workspace: PathBuf,
    /// The user's entries read already from a workspace database of another kind (a server's
    /// shared database): when set, [`App::ledger`] takes them instead of opening `workspace`.
    pub own_entries: Option<std::sync::Arc<Vec<quid_core::ledger::Announcement>>>,
}

/// What an engine is loaded with.
#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    /// A full CBSA Customs Tariff export to use instead of the bundled Canadian sample.
    pub ca_tariff: Option<PathBuf>,
    /// Load measures tagged unverified too.
    pub include_unverified: bool,
}

/// The compiled measures and the reference data `assess` needs.
pub struct Engine {
    pub policy: Policy,
    pub reference: BundleReference,
    /// The measure records the policy was compiled from, for reforms.
    pub measures: Measures,
    /// What the data covers (Canadian items, modelled origins), computed on first use.
    pub coverage: std::sync::OnceLock<crate::coverage::Coverage>,
}

/// Measure records and their resolved product lists: what a policy is compiled from.
#[derive(Debug, Clone, Default)]
pub struct Measures {
    pub files: Vec<(String, quid_engine::MeasureFile)>,
    pub lists: std::collections::HashMap<String, Vec<quid_core::HsCode>>,
    pub include_unverified: bool,
}

impl Measures {
    /// Compiles records into a policy, with the lists resolved when they were read.
    pub fn compile(&self, files: &[(String, quid_engine::MeasureFile)]) -> Result<Policy> {
        let lists = |name: &str| {
            self.lists
                .get(name)
                .cloned()
                .ok_or_else(|| format!("list reference {name:?} is not a bundled list"))
        };
        Policy::compile(files, &lists, self.include_unverified)
            .map_err(|e| Error::Check(e.to_string()))
    }
}

impl Engine {
    /// The newest date the bundled data says anything about: the last start or end of a
    /// measure or stacking rule, or the last schedule edition, of either importer. Past it,
    /// an assessment applies what was last known.
    pub fn known_until(&self) -> Option<Date> {
        [quid_core::Country::US, quid_core::Country::CA]
            .into_iter()
            .flat_map(|c| crate::directions::change_dates(&self.policy, &self.reference, c))
            .max()
    }

    /// The Canadian tariff items and modelled origins of this engine.
    pub fn coverage(&self) -> &crate::coverage::Coverage {
        self.coverage
            .get_or_init(|| crate::coverage::Coverage::of(self))
    }

    /// Checks an entry's code against its importer's tariff structure (see
    /// [`crate::coverage::Coverage::check_code`]).
    pub fn check_code(&self, entry: &quid_engine::Entry) -> Result<()> {
        self.coverage()
            .check_code(entry, &self.reference.schedules.us)
    }

    /// The policy a reform makes of this engine's measures (the baseline is not touched).
    pub fn reformed(&self, reform: &quid_engine::reform::Reform) -> Result<Policy> {
        let files = quid_engine::reform::apply(&self.measures.files, reform)?;
        self.measures.compile(&files)
    }
}

/// The default workspace database, in the current folder.
pub const DEFAULT_WORKSPACE: &str = "quid-workspace.sqlite";

impl App {
    /// The data folder `data` (or the one found from `QUID_DATA`, `./data` or the build's
    /// folder), with the caller's date, after the manifest's quick check (every listed file
    /// present with its size, nothing unlisted: see [`quid_data::manifest`]). A missing or
    /// altered file is an error that names it.
    pub fn new(data: Option<&Path>, today: Date) -> Result<App> {
        let app = App::unchecked(data, today)?;
        if let Err(e) = quid_data::manifest::quick_check(&app.bundle.root) {
            let found = e.diagnostics();
            let list: Vec<String> = found.iter().map(|d| format!("  {d}")).collect();
            return Err(Error::Check(format!(
                "the data folder {} does not match its manifest ({} problem(s)); nothing was \
                 computed:\n{}",
                app.bundle.root.display(),
                found.len(),
                list.join("\n")
            )));
        }
        Ok(app)
    }

    /// The same without the manifest's check: for the checks, which report what is wrong.
    pub fn unchecked(data: Option<&Path>, today: Date) -> Result<App> {
        let bundle = match data {
            Some(p) => {
                if !p.join("SOURCES.md").is_file() {
                    return Err(Error::invalid(
                        "--data",
                        format!(
                            "{} is not a quid data folder (it has no SOURCES.md)",
                            p.display()
                        ),
                    ));
                }
                Bundle::at(p)
            }
            None => Bundle::locate()?,
        };
        Ok(App {
            bundle,
            today,
            workspace: PathBuf::from(DEFAULT_WORKSPACE),
            own_entries: None,
        })
    }

    /// The same, with the workspace database at `path` (when given).
    pub fn with_workspace(mut self, path: Option<&Path>) -> App {
        if let Some(p) = path {
            self.workspace = p.to_path_buf();
        }
        self
    }

    /// The bundled schedules, with a full Canadian tariff file when given (in force from the
    /// date the law file gives the Canadian edition).
    pub fn schedules(&self, ca_tariff: Option<&Path>) -> Result<Schedules> {
        let mut s = Schedules::load_bundled(&self.bundle)?;
        if let Some(p) = ca_tariff {
            s.load_ca_file(p)?;
        }
        Ok(s)
    }

    /// The compiled measures alone.
    pub fn policy(&self, include_unverified: bool) -> Result<Policy> {
        Ok(quid_data::measures::load_policy(
            &self.bundle,
            include_unverified,
        )?)
    }

    /// Loads the engine: measures, schedules and metal-content stand-ins. The bundle's compiled
    /// snapshot is used when one matches the data and the binary (see [`crate::snapshot`]), and
    /// written when none does; a full Canadian tariff file bypasses it.
    pub fn engine(&self, opts: &EngineOptions) -> Result<Engine> {
        if opts.ca_tariff.is_some() {
            return self.engine_from_files(opts);
        }
        let path = crate::snapshot::path_for(&self.bundle);
        let parts = match path.as_deref().and_then(crate::snapshot::read) {
            Some(p) => p,
            None => {
                let p = crate::snapshot::load_parts(&self.bundle)?;
                if let Some(path) = &path {
                    // A cache that cannot be written only costs time.
                    let _ = crate::snapshot::write(path, &p);
                }
                p
            }
        };
        self.engine_from_parts(parts, opts)
    }

    fn engine_from_parts(
        &self,
        parts: crate::snapshot::Parts,
        opts: &EngineOptions,
    ) -> Result<Engine> {
        let policy = match parts.policy(opts.include_unverified) {
            Ok(p) => p,
            // The measures do not compile: load them from their files for the full report.
            Err(_) => self.policy(opts.include_unverified)?,
        };
        let mut schedules = parts.schedules;
        if let Some(p) = &opts.ca_tariff {
            schedules.load_ca_file(p)?;
        }
        Ok(Engine {
            policy,
            reference: BundleReference::from_parts(schedules, parts.metal),
            measures: Measures {
                files: parts.files,
                lists: parts.lists,
                include_unverified: opts.include_unverified,
            },
            coverage: std::sync::OnceLock::new(),
        })
    }

    /// Loads the engine from the data files, without the snapshot.
    pub fn engine_from_files(&self, opts: &EngineOptions) -> Result<Engine> {
        let parts = crate::snapshot::load_parts(&self.bundle)?;
        self.engine_from_parts(parts, opts)
    }

    /// The workspace database, if it exists, after its quick check (a workspace that fails it
    /// is refused, with the `verify` command to run).
    pub fn open_workspace(&self) -> Result<Option<Workspace>> {
        if !self.workspace.is_file() {
            return Ok(None);
        }
        self.create_workspace().map(Some)
    }

    /// The workspace database, created if needed, after its quick check.
    pub fn create_workspace(&self) -> Result<Workspace> {
        let keys = quid_store::KeyStore::from_env()?;
        Workspace::open_with(&self.workspace, &keys).map_err(|e| self.refused(e))
    }

    /// The workspace database without the quick check, for `ledger verify`.
    pub fn workspace_to_verify(&self) -> Result<Option<Workspace>> {
        if !self.workspace.is_file() {
            return Ok(None);
        }
        let keys = quid_store::KeyStore::from_env()?;
        Ok(Some(Workspace::open_unchecked(&self.workspace, &keys)?))
    }

    /// A store error as the app reports it: an untrusted workspace names `verify`.
    pub(crate) fn refused(&self, e: quid_store::StoreError) -> Error {
        if e.is_untrusted() {
            Error::Workspace {
                path: self.workspace.clone(),
                why: e.to_string(),
            }
        } else {
            e.into()
        }
    }

    /// The bundled ledger and the workspace's entries (when the workspace exists), together,
    /// and how many came from the workspace.
    pub fn ledger(&self) -> Result<(Ledger, usize)> {
        let mut ledger = quid_data::ledger::read_ledger(&self.bundle.ledger())?;
        let mut own = 0;
        if let Some(entries) = &self.own_entries {
            ledger.announcements.extend(entries.iter().cloned());
            return Ok((ledger, entries.len()));
        }
        if let Some(ws) = self.open_workspace()? {
            let l = ws.ledger().map_err(|e| self.refused(e))?;
            own = l.announcements.len();
            ledger.announcements.extend(l.announcements);
        }
        Ok((ledger, own))
    }
}

/// Today's date from the system clock (UTC): for the binary's `main`, which passes it in.
pub fn system_today() -> Date {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0) as i64;
    Date::constant(1970, 1, 1)
        .checked_add(jiff::Span::new().days(days))
        .unwrap_or(Date::constant(1970, 1, 1))
}
