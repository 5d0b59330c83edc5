//! Citations: where a fact, a rate or a rule comes from. Every measure, ledger entry and
//! assessment layer carries at least one.

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
