//! Citations: where a fact, a rate or a rule comes from. Every measure, ledger entry and
//! assessment layer carries at least one.
//!
//! A citation prints as title, pinpoint, date and address, each part only when it is known:
//!
//! ```
//! use quid_core::{parse_date, Citation};
//! let full = Citation {
//!     title: "Justice Canada consolidated regulation XML, SOR-2025-66.xml".to_string(),
//!     url: Some("https://github.com/justicecanada/laws-lois-xml".to_string()),
//!     date: Some(parse_date("2025-04-09").unwrap()),
//!     pinpoint: Some("eng/regulations/SOR-2025-66.xml".to_string()),
//! };
//! assert_eq!(
//!     full.to_string(),
//!     "Justice Canada consolidated regulation XML, SOR-2025-66.xml, \
//!      eng/regulations/SOR-2025-66.xml (2025-04-09) <https://github.com/justicecanada/laws-lois-xml>"
//! );
//! let bare = Citation { title: "Customs Tariff, s. 53".to_string(), url: None, date: None, pinpoint: None };
//! assert_eq!(bare.to_string(), "Customs Tariff, s. 53");
//! ```

use crate::Date;

/// A source: a title, an address, the date the source carries, and an optional pinpoint
/// (clause, section, page).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Citation {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinpoint: Option<String>,
}

impl std::fmt::Display for Citation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.title)?;
        if let Some(p) = &self.pinpoint {
            write!(f, ", {p}")?;
        }
        if let Some(d) = &self.date {
            write!(f, " ({d})")?;
        }
        if let Some(u) = &self.url {
            write!(f, " <{u}>")?;
        }
        Ok(())
    }
}
