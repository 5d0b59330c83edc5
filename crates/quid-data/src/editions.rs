//! The schedules quid knows, per importer, with the law parameters that date their editions
//! (`data/params/law.toml`), and the choice of edition for a date.
//!
//! The bundle holds two US editions (2025 basic, 2026 revision 10) and a sample of the
//! Canadian tariff, each read from the date the law file gives it. For a date, the edition used
//! is the latest bundled one in force on that date; the revision actually in force (from the
//! revision table) is reported beside it so a reader knows when a stand-in was used, and an
//! edition the law file marks as a stand-in for earlier dates (Canada's 2026 edition for 2025)
//! is used as one. A date before any edition is an error, never a silent answer.
//!
//! Three editions built by hand (their lines do not matter to the choice) and a revision table:
//!
//! ```
//! use quid_core::{parse_date, Country};
//! use quid_data::revisions::{Revision, RevisionTable};
//! use quid_data::schedule::{ParseStats, Schedule};
//! use quid_data::Schedules;
//!
//! let d = |s| parse_date(s).unwrap();
//! let edition = |importer, name: &str, effective| {
//!     let (rows, lines, problems) = (vec![], vec![], vec![]);
//!     let (source, stats) = (std::path::PathBuf::new(), ParseStats::default());
//!     let date = d(effective);
//!     Schedule::new(importer, name.into(), date, source, false, rows, lines, problems, stats)
//! };
//! let revision = |name: &str, effective| Revision {
//!     name: name.into(),
//!     effective: d(effective),
//!     policy_effective: None,
//!     policy_event: String::new(),
//! };
//! let schedules = Schedules {
//!     us: vec![
//!         edition(Country::US, "2025 basic", "2025-01-01"),
//!         edition(Country::US, "2026 rev 10", "2026-06-08"),
//!     ],
//!     ca: vec![edition(Country::CA, "2026", "2026-01-01")],
//!     revisions: RevisionTable {
//!         revisions: vec![
//!             revision("basic", "2025-01-01"),
//!             revision("rev_17", "2025-07-01"),
//!             revision("2026_rev_10", "2026-06-08"),
//!         ],
//!     },
//!     law: quid_data::law::read_law(std::path::Path::new(concat!(
//!         env!("CARGO_MANIFEST_DIR"),
//!         "/../../data/params/law.toml"
//!     )))
//!     .unwrap(),
//! };
//! let choice = |importer, date| {
//!     let c = schedules.for_date(importer, d(date)).unwrap();
//!     (c.schedule.edition.clone(), c.revision_in_force.map(|r| r.display_name()), c.stand_in)
//! };
//!
//! // Revision 17 was in force on 2025-08-01; the 2025 basic edition stands in for it.
//! assert_eq!(
//!     choice(Country::US, "2025-08-01"),
//!     ("2025 basic".into(), Some("2025 rev 17".into()), true)
//! );
//! assert_eq!(
//!     choice(Country::US, "2026-07-01"),
//!     ("2026 rev 10".into(), Some("2026 rev 10".into()), false)
//! );
//! // Canada's only edition stands in for 2025 dates.
//! assert_eq!(choice(Country::CA, "2025-03-04"), ("2026".into(), None, true));
//! // Before the first edition: an error, not the nearest edition.
//! assert_eq!(
//!     schedules.for_date(Country::US, d("2024-12-31")).unwrap_err().to_string(),
//!     "no US schedule in force on 2024-12-31: the earliest bundled edition starts 2025-01-01"
//! );
//! ```

use crate::bundle::Bundle;
use crate::error::DataError;
use crate::revisions::{Revision, RevisionTable};
use crate::schedule::Schedule;
use crate::{cbsa, hts};
use quid_core::{Country, Date};
use quid_engine::law::{Edition, Parameter};
use quid_engine::{BaseRateError, Law};
use std::path::Path;

/// The loaded schedules, and the law parameters read with them.
#[derive(Debug, Clone)]
pub struct Schedules {
    pub us: Vec<Schedule>,
    pub ca: Vec<Schedule>,
    pub revisions: RevisionTable,
    /// The dated law parameters: the editions' dates here, the base-rate columns and content
    /// defaults for the engine.
    pub law: Law,
}

/// The edition chosen for a date, with what was in force.
#[derive(Debug, Clone, Copy)]
pub struct EditionChoice<'a> {
    pub schedule: &'a Schedule,
    /// The US HTS revision in force on the date, when known.
    pub revision_in_force: Option<&'a Revision>,
    /// True when the edition is a stand-in for another that was in force.
    pub stand_in: bool,
}

/// The date the law file gives an importer's edition, or the error naming the file.
fn effective(
    law_file: &Path,
    editions: &Parameter<Edition>,
    importer: Country,
    edition: &str,
) -> Result<Date, DataError> {
    editions.effective(edition).ok_or_else(|| {
        DataError::at(
            law_file,
            None,
            Some(&format!("{}.editions", importer.as_str().to_lowercase())),
            format!("no date for the bundled {importer} edition {edition:?}"),
        )
    })
}

impl Schedules {
    /// Loads the law parameters, then the bundled editions (the two US editions are read in
    /// parallel).
    pub fn load_bundled(bundle: &Bundle) -> Result<Schedules, DataError> {
        let law_file = bundle.law();
        let law = crate::law::read_law(&law_file)?;
        let us_basic = effective(&law_file, &law.us.editions, Country::US, "2025 basic")?;
        let us_rev10 = effective(&law_file, &law.us.editions, Country::US, "2026 rev 10")?;
        let ca_2026 = effective(&law_file, &law.ca.editions, Country::CA, "2026")?;
        let (a, b, c, r) = std::thread::scope(|s| {
            let a = s.spawn(|| hts::load_csv(&bundle.hts_2025_basic(), "2025 basic", us_basic));
            let b = s.spawn(|| hts::load_json(&bundle.hts_2026_rev10(), "2026 rev 10", us_rev10));
            let c = cbsa::load(
                &bundle.cbsa_sample(),
                "2026 (CBSA sample, chapters 01-02)",
                ca_2026,
                true,
            );
            let r = RevisionTable::load(&bundle.hts_revisions());
            let join = |h: std::thread::ScopedJoinHandle<'_, Result<Schedule, DataError>>| {
                h.join().unwrap_or_else(|_| {
                    Err(DataError::at(
                        bundle.root.clone(),
                        None,
                        None,
                        "a schedule loader thread failed",
                    ))
                })
            };
            (join(a), join(b), c, r)
        });
        Ok(Schedules {
            us: vec![a?, b?],
            ca: vec![c?],
            revisions: r?,
            law,
        })
    }

    /// Replaces the Canadian sample with a full CBSA export supplied by the user, read as the
    /// newest Canadian edition of the law file (2026, from 2026-01-01).
    pub fn load_ca_file(&mut self, path: &Path) -> Result<(), DataError> {
        let effective = self
            .law
            .ca
            .editions
            .latest()
            .map(|v| v.from)
            .ok_or_else(|| {
                DataError::at(
                    path,
                    None,
                    None,
                    "the law file names no Canadian edition to read it as",
                )
            })?;
        let s = cbsa::load(
            path,
            &format!("CBSA export {}", path.display()),
            effective,
            false,
        )?;
        self.ca = vec![s];
        Ok(())
    }

    /// All editions of an importer, oldest first.
    pub fn editions(&self, importer: Country) -> Result<&[Schedule], BaseRateError> {
        match importer {
            Country::US => Ok(&self.us),
            Country::CA => Ok(&self.ca),
            other => Err(BaseRateError::UnknownImporter(other)),
        }
    }

    /// The edition to use on `date`.
    pub fn for_date(
        &self,
        importer: Country,
        date: Date,
    ) -> Result<EditionChoice<'_>, BaseRateError> {
        let eds = self.editions(importer)?;
        let revision_in_force = if importer == Country::US {
            self.revisions.in_force(date)
        } else {
            None
        };
        let chosen = eds.iter().rev().find(|s| s.effective <= date);
        let stands_in = || {
            self.law
                .editions(importer)
                .is_some_and(|p| p.stand_in_on(date))
        };
        let (schedule, stand_in) = match chosen {
            Some(s) => {
                let stand_in = revision_in_force.is_some_and(|r| r.effective > s.effective);
                (s, stand_in)
            }
            // Before the first edition, where the law file lets it stand in (Canada's 2026
            // edition for 2025 dates).
            None if stands_in() => match eds.first() {
                Some(s) => (s, true),
                None => return Err(BaseRateError::UnknownImporter(importer)),
            },
            None => {
                let earliest = eds.first().map_or(date, |s| s.effective);
                return Err(BaseRateError::BeforeFirstEdition {
                    importer,
                    date,
                    earliest,
                });
            }
        };
        Ok(EditionChoice {
            schedule,
            revision_in_force,
            stand_in,
        })
    }
}
