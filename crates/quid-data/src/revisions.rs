//! The HTS revision table (`hts_revision_effective_dates.csv`): every revision from the 2025
//! basic edition to 2026 revision 10 with its effective date and the policy event behind it,
//! used to say which revision was in force on a date and which bundled edition stands in for it.
//!
//! The bundled table: a date's revision is the latest that took effect on or before it.
//!
//! ```
//! use quid_core::parse_date;
//! use quid_data::revisions::RevisionTable;
//! let data = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
//! let table = RevisionTable::load(&data.join("hts/hts_revision_effective_dates.csv")).unwrap();
//! let d = |s| parse_date(s).unwrap();
//!
//! // Revision 4 took effect on 2025-03-04; the policy it carries (the USMCA carve-outs) on
//! // 2025-03-07.
//! let rev = table.in_force(d("2025-03-04")).unwrap();
//! assert_eq!(rev.display_name(), "2025 rev 4");
//! assert_eq!(rev.policy_effective, Some(d("2025-03-07")));
//! // Between two revisions the earlier one stays in force; 2026 names keep their year.
//! assert_eq!(table.in_force(d("2026-01-10")).unwrap().display_name(), "2026 basic");
//! // Before the 2025 basic edition there is none.
//! assert_eq!(table.in_force(d("2024-12-31")).map(|r| r.display_name()), None);
//! ```

use crate::error::DataError;
use crate::reader::{field, opt_field, Csv};
use quid_core::Date;
use std::path::Path;

/// One HTS revision.
#[derive(Debug, Clone)]
pub struct Revision {
    /// As in the table: "basic", "rev_17", "2026_basic", "2026_rev_10".
    pub name: String,
    pub effective: Date,
    pub policy_effective: Option<Date>,
    pub policy_event: String,
}

impl Revision {
    /// A reader's name: "2025 rev 17", "2026 basic".
    pub fn display_name(&self) -> String {
        let n = self.name.replace('_', " ");
        if n.starts_with("20") {
            n
        } else {
            format!("2025 {n}")
        }
    }
}

/// The revisions, sorted by effective date.
#[derive(Debug, Clone)]
pub struct RevisionTable {
    pub revisions: Vec<Revision>,
}

impl RevisionTable {
    pub fn load(path: &Path) -> Result<RevisionTable, DataError> {
        let mut csv = Csv::open(
            path,
            &[
                "revision",
                "effective_date",
                "policy_effective_date",
                "policy_event",
            ],
        )?;
        let (ir, ie, ip, iv) = (
            csv.col("revision").unwrap_or(0),
            csv.col("effective_date").unwrap_or(0),
            csv.col("policy_effective_date").unwrap_or(0),
            csv.col("policy_event").unwrap_or(0),
        );
        let mut revisions = crate::flows::fields::collect_rows(&mut csv, |p, line, rec| {
            let effective: Date = field(p, line, rec, ie, "effective_date", "a date (YYYY-MM-DD)")?;
            let policy_effective: Option<Date> = opt_field(
                p,
                line,
                rec,
                ip,
                "policy_effective_date",
                "a date (YYYY-MM-DD) or NA",
            )?;
            Ok(Revision {
                name: rec.get(ir).unwrap_or("").to_string(),
                effective,
                policy_effective,
                policy_event: rec.get(iv).unwrap_or("").to_string(),
            })
        })?;
        revisions.sort_by_key(|r| r.effective);
        Ok(RevisionTable { revisions })
    }

    /// The revision in force on `date` (the latest with an effective date on or before it).
    pub fn in_force(&self, date: Date) -> Option<&Revision> {
        let i = self.revisions.partition_point(|r| r.effective <= date);
        i.checked_sub(1).map(|i| &self.revisions[i])
    }
}
