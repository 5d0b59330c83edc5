//! Ledger entries as CSV: one row per intervention, the announcement's fields repeated on each
//! of its rows (sources and wording as JSON cells). Reading groups rows by announcement id.
//!
//! A round trip: an announcement with two moves becomes a header and two rows, and reads back
//! equal; a bad cell is reported by line and column.
//!
//! ```
//! use quid_core::ledger::Ledger;
//! use quid_store::{from_csv, to_csv};
//!
//! let ledger: Ledger = toml::from_str(r#"
//! [[announcement]]
//! id = "USER-1"
//! title = "Remission of two surtaxes"
//! party = "CA"
//! affected = ["US"]
//! announced = "2026-10-01"
//! recorded = "2026-10-02"
//! sources = [{ title = "A source", url = "https://example.org/a", date = "2026-10-01" }]
//!
//! [[announcement.intervention]]
//! id = "USER-1-A"
//! kind = "tariff_lowered"
//! category = "tariff"
//! measures = ["CA-SURTAX-SA"]
//! implemented = "2026-10-01"
//! evaluation = "liberalising"
//! status = "implemented"
//! confidence = "H"
//!
//! [[announcement.intervention]]
//! id = "USER-1-B"
//! kind = "tariff_removed"
//! category = "tariff"
//! measures = ["CA-SURTAX-MV"]
//! implemented = "2026-10-01"
//! evaluation = "liberalising"
//! status = "announced"
//! confidence = "M"
//! "#).unwrap();
//!
//! let csv = to_csv(&ledger.announcements).unwrap();
//! assert_eq!(csv.lines().count(), 3);
//! assert!(csv.starts_with("announcement_id,title,party,affected,announced,recorded,"));
//! assert_eq!(from_csv(&csv).unwrap(), ledger.announcements);
//!
//! let bad = csv.replacen(",CA,", ",Canada,", 1);
//! assert_eq!(
//!     from_csv(&bad).unwrap_err().to_string(),
//!     "1 problem(s):\nline 2, column party: country \"Canada\" is not an ISO 3166-1 alpha-2 code \
//!      (two capital letters, e.g. CA, US, MX)"
//! );
//! ```

use crate::StoreError;
use quid_core::ledger::{Announcement, Intervention};

const HEADER: [&str; 12] = [
    "announcement_id",
    "title",
    "party",
    "affected",
    "announced",
    "recorded",
    "supersedes",
    "sources_json",
    "wording_json",
    "notes",
    "intervention_json",
    "intervention_id",
];

/// Writes entries as CSV.
pub fn to_csv(entries: &[Announcement]) -> Result<String, StoreError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: &dyn std::fmt::Display| StoreError::Format(e.to_string());
    w.write_record(HEADER).map_err(|e| err(&e))?;
    for a in entries {
        let sources = serde_json::to_string(&a.sources).map_err(|e| err(&e))?;
        let wording = serde_json::to_string(&a.wording).map_err(|e| err(&e))?;
        let affected: Vec<String> = a.affected.iter().map(|c| c.to_string()).collect();
        for v in &a.interventions {
            let iv = serde_json::to_string(v).map_err(|e| err(&e))?;
            w.write_record([
                a.id.as_str(),
                a.title.as_str(),
                a.party.as_str(),
                &affected.join(" "),
                &a.announced.to_string(),
                &a.recorded.to_string(),
                a.supersedes.as_deref().unwrap_or(""),
                &sources,
                &wording,
                a.notes.as_deref().unwrap_or(""),
                &iv,
                v.id.as_str(),
            ])
            .map_err(|e| err(&e))?;
        }
    }
    let bytes = w.into_inner().map_err(|e| err(&e))?;
    String::from_utf8(bytes).map_err(|e| err(&e))
}

/// Reads entries from CSV; every bad cell is reported with its line and column.
pub fn from_csv(text: &str) -> Result<Vec<Announcement>, StoreError> {
    let (input, lines) = quid_core::lines::tap(text.as_bytes());
    let mut rdr = csv::Reader::from_reader(input);
    let headers = rdr
        .headers()
        .map_err(|e| StoreError::Format(format!("line 1: {e}")))?
        .clone();
    let col = |n: &str| headers.iter().position(|h| h == n);
    let missing: Vec<&str> = HEADER
        .iter()
        .copied()
        .filter(|h| col(h).is_none() && *h != "intervention_id")
        .collect();
    if !missing.is_empty() {
        return Err(StoreError::Format(format!(
            "line 1: missing column(s) {}",
            missing.join(", ")
        )));
    }
    let idx = |n: &str| col(n).unwrap_or(0);
    let mut out: Vec<Announcement> = Vec::new();
    let mut problems = Vec::new();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("{e}"));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| lines.line_at(p.byte()));
        let get = |n: &str| rec.get(idx(n)).unwrap_or("").trim();
        let fail =
            |field: &str, e: &dyn std::fmt::Display| format!("line {line}, column {field}: {e}");
        let parsed = (|| -> Result<(Announcement, Intervention), String> {
            let iv: Intervention = serde_json::from_str(get("intervention_json"))
                .map_err(|e| fail("intervention_json", &e))?;
            let a = Announcement {
                id: get("announcement_id").to_string(),
                title: get("title").to_string(),
                party: get("party").parse().map_err(|e| fail("party", &e))?,
                affected: get("affected")
                    .split_whitespace()
                    .map(|c| c.parse().map_err(|e| fail("affected", &e)))
                    .collect::<Result<_, _>>()?,
                announced: quid_core::parse_date(get("announced"))
                    .map_err(|e| fail("announced", &e))?,
                recorded: quid_core::parse_date(get("recorded"))
                    .map_err(|e| fail("recorded", &e))?,
                supersedes: Some(get("supersedes").to_string()).filter(|s| !s.is_empty()),
                sources: serde_json::from_str(get("sources_json"))
                    .map_err(|e| fail("sources_json", &e))?,
                wording: if get("wording_json").is_empty() {
                    vec![]
                } else {
                    serde_json::from_str(get("wording_json"))
                        .map_err(|e| fail("wording_json", &e))?
                },
                notes: Some(get("notes").to_string()).filter(|s| !s.is_empty()),
                interventions: vec![],
            };
            Ok((a, iv))
        })();
        match parsed {
            Ok((a, iv)) => match out.iter_mut().find(|x| x.id == a.id) {
                Some(existing) => existing.interventions.push(iv),
                None => {
                    let mut a = a;
                    a.interventions.push(iv);
                    out.push(a);
                }
            },
            Err(p) => problems.push(p),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(StoreError::Format(format!(
            "{} problem(s):\n{}",
            problems.len(),
            problems.join("\n")
        )))
    }
}
