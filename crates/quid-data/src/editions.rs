//! The schedules quid knows, per importer, and the choice of edition for a date.
//!
//! The bundle holds two US editions (2025 basic, 2026 revision 10) and a sample of the
//! Canadian tariff. For a date, the edition used is the latest bundled one in force on that
//! date; the revision actually in force (from the revision table) is reported beside it so a
//! reader knows when a stand-in was used. A date before any edition is an error, never a silent
//! answer.
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
use std::path::Path;

/// Why no schedule can answer.
#[derive(Debug, thiserror::Error)]
pub enum EditionError {
    #[error(
        "no tariff schedule for importer {0}; quid has the US HTS and the Canadian Customs Tariff"
    )]
    UnknownImporter(Country),
    #[error(
        "no {importer} schedule in force on {date}: the earliest bundled edition starts {earliest}"
    )]
    BeforeFirstEdition {
        importer: Country,
        date: Date,
        earliest: Date,
    },
}

/// The loaded schedules.
#[derive(Debug, Clone)]
pub struct Schedules {
    pub us: Vec<Schedule>,
    pub ca: Vec<Schedule>,
    pub revisions: RevisionTable,
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

fn date(y: i16, m: i8, d: i8) -> Date {
    Date::constant(y, m, d)
}

impl Schedules {
    /// Loads the bundled editions (the two US editions are read in parallel).
    pub fn load_bundled(bundle: &Bundle) -> Result<Schedules, DataError> {
        let (a, b, c, r) = std::thread::scope(|s| {
            let a =
                s.spawn(|| hts::load_csv(&bundle.hts_2025_basic(), "2025 basic", date(2025, 1, 1)));
            let b = s.spawn(|| {
                hts::load_json(&bundle.hts_2026_rev10(), "2026 rev 10", date(2026, 6, 8))
            });
            let c = cbsa::load(
                &bundle.cbsa_sample(),
                "2026 (CBSA sample, chapters 01-02)",
                date(2026, 1, 1),
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
        })
    }

    /// Replaces the Canadian sample with a full CBSA export supplied by the user.
    pub fn load_ca_file(&mut self, path: &Path, effective: Date) -> Result<(), DataError> {
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
    pub fn editions(&self, importer: Country) -> Result<&[Schedule], EditionError> {
        match importer {
            Country::US => Ok(&self.us),
            Country::CA => Ok(&self.ca),
            other => Err(EditionError::UnknownImporter(other)),
        }
    }

    /// The edition to use on `date`.
    pub fn for_date(
        &self,
        importer: Country,
        date: Date,
    ) -> Result<EditionChoice<'_>, EditionError> {
        let eds = self.editions(importer)?;
        let revision_in_force = if importer == Country::US {
            self.revisions.in_force(date)
        } else {
            None
        };
        let chosen = eds.iter().rev().find(|s| s.effective <= date);
        let (schedule, stand_in) = match chosen {
            Some(s) => {
                let stand_in = revision_in_force.is_some_and(|r| r.effective > s.effective);
                (s, stand_in)
            }
            // Canada: the only bundled edition is 2026; earlier 2025 dates use it as a stand-in.
            None if importer == Country::CA && date >= self::date(2025, 1, 1) => {
                match eds.first() {
                    Some(s) => (s, true),
                    None => return Err(EditionError::UnknownImporter(importer)),
                }
            }
            None => {
                let earliest = eds.first().map_or(date, |s| s.effective);
                return Err(EditionError::BeforeFirstEdition {
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
