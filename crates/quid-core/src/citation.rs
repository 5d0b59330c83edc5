//! Citations: where a fact, a rate or a rule comes from. Every measure, ledger entry and
//! assessment layer carries at least one.
//!
//! A citation says what it is ([`CitationKind`]: an executive order, a proclamation, a Federal
//! Register document, an HTSUS Chapter 99 note, a CBP CSMS message, a Canada Gazette order, a
//! consolidated regulation on Justice Laws, a Finance Canada notice, a court opinion, or a
//! secondary source) and where in it the fact is (the `pinpoint`: section, annex, paragraph,
//! schedule item). A primary instrument is any kind but `secondary`; an official address is one
//! on the hosts of [`OFFICIAL_HOSTS`].
//!
//! A citation prints as its kind, title, pinpoint, date and address, each part only when known:
//!
//! ```
//! use quid_core::{parse_date, Citation, CitationKind};
//! let full = Citation {
//!     kind: Some(CitationKind::JusticeLaws),
//!     title: "United States Surtax Order (2025-1), SOR/2025-66".to_string(),
//!     url: Some("https://laws-lois.justice.gc.ca/eng/regulations/SOR-2025-66/".to_string()),
//!     date: Some(parse_date("2025-04-09").unwrap()),
//!     pinpoint: Some("s. 2, Schedule".to_string()),
//! };
//! assert_eq!(
//!     full.to_string(),
//!     "[consolidated regulation] United States Surtax Order (2025-1), SOR/2025-66, s. 2, Schedule \
//!      (2025-04-09) <https://laws-lois.justice.gc.ca/eng/regulations/SOR-2025-66/>"
//! );
//! assert!(full.is_primary_official());
//! let bare = Citation { kind: None, title: "Customs Tariff, s. 53".to_string(), url: None, date: None, pinpoint: None };
//! assert_eq!(bare.to_string(), "Customs Tariff, s. 53");
//! assert!(!bare.is_primary_official());
//! ```
//!
//! A link to a site's home page, a repository's root or an index of documents says nothing a
//! reader can open; [`Citation::landing_page`] names it:
//!
//! ```
//! use quid_core::{Citation, CitationKind};
//! let cite = |url: &str| Citation {
//!     kind: Some(CitationKind::Secondary),
//!     title: "t".into(),
//!     url: Some(url.into()),
//!     date: None,
//!     pinpoint: None,
//! };
//! assert_eq!(cite("https://craneww.com").landing_page(), Some("a site's home page"));
//! // A query names one page of a site.
//! assert_eq!(cite("https://nnrglobal.com/?p=3742").landing_page(), None);
//! assert_eq!(
//!     cite("https://github.com/Budget-Lab-Yale/tariff-rate-tracker").landing_page(),
//!     Some("a repository root")
//! );
//! assert_eq!(
//!     cite("https://whitehouse.gov/presidential-actions/2025/07/").landing_page(),
//!     Some("an index of documents")
//! );
//! assert_eq!(
//!     cite("https://www.federalregister.gov/d/2025-15819").landing_page(),
//!     None
//! );
//! ```

use crate::Date;

/// What a cited source is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CitationKind {
    /// A US executive order (its Federal Register document, or its White House page).
    ExecutiveOrder,
    /// A presidential proclamation (its Federal Register document, or its White House page).
    Proclamation,
    /// Any other Federal Register document: an agency notice, a rule, an implementing notice.
    FederalRegister,
    /// A US note or heading of HTSUS Chapter 99 (hts.usitc.gov).
    HtsusNote,
    /// A CBP Cargo Systems Messaging Service message (cbp.gov or its GovDelivery bulletin).
    CbpCsms,
    /// An order or regulation as published in the Canada Gazette, Part II.
    CanadaGazette,
    /// A consolidated regulation on Justice Laws (laws-lois.justice.gc.ca).
    JusticeLaws,
    /// A Finance Canada notice, release or list (fin.gc.ca, canada.ca).
    FinanceCanada,
    /// A court opinion or order.
    Court,
    /// A section of the United States Code (uscode.house.gov, the Office of the Law Revision
    /// Counsel's official edition) or of a Canadian Act on Justice Laws.
    Statute,
    /// Anything else: a law firm's, broker's or news page, a dataset, a mirror. Support only.
    Secondary,
}

impl CitationKind {
    /// Every kind, in the order of the enum.
    pub const ALL: [CitationKind; 11] = [
        CitationKind::ExecutiveOrder,
        CitationKind::Proclamation,
        CitationKind::FederalRegister,
        CitationKind::HtsusNote,
        CitationKind::CbpCsms,
        CitationKind::CanadaGazette,
        CitationKind::JusticeLaws,
        CitationKind::FinanceCanada,
        CitationKind::Court,
        CitationKind::Statute,
        CitationKind::Secondary,
    ];

    /// The name used in the files and in JSON (`federal_register`).
    pub fn name(self) -> &'static str {
        match self {
            CitationKind::ExecutiveOrder => "executive_order",
            CitationKind::Proclamation => "proclamation",
            CitationKind::FederalRegister => "federal_register",
            CitationKind::HtsusNote => "htsus_note",
            CitationKind::CbpCsms => "cbp_csms",
            CitationKind::CanadaGazette => "canada_gazette",
            CitationKind::JusticeLaws => "justice_laws",
            CitationKind::FinanceCanada => "finance_canada",
            CitationKind::Court => "court",
            CitationKind::Statute => "statute",
            CitationKind::Secondary => "secondary",
        }
    }

    /// What a reader is told the source is (`Federal Register document`).
    pub fn label(self) -> &'static str {
        match self {
            CitationKind::ExecutiveOrder => "executive order",
            CitationKind::Proclamation => "proclamation",
            CitationKind::FederalRegister => "Federal Register document",
            CitationKind::HtsusNote => "HTSUS Chapter 99 note",
            CitationKind::CbpCsms => "CBP CSMS message",
            CitationKind::CanadaGazette => "Canada Gazette order",
            CitationKind::JusticeLaws => "consolidated regulation",
            CitationKind::FinanceCanada => "Finance Canada notice",
            CitationKind::Court => "court opinion",
            CitationKind::Statute => "statute",
            CitationKind::Secondary => "secondary",
        }
    }

    /// Every kind but `secondary` is a primary instrument.
    pub fn is_primary(self) -> bool {
        self != CitationKind::Secondary
    }
}

impl std::fmt::Display for CitationKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// The official addresses: a primary instrument must be cited on one of these hosts (or a
/// subdomain of one) for a measure or stacking rule to pass `quid measures check`. The list
/// lives here and only here; README and DESIGN.md point to it.
///
/// `content.govdelivery.com` is GovDelivery, which hosts many senders; only CBP's bulletins
/// (paths under `/accounts/USDHSCBP/` or `/bulletins/gd/USDHSCBP`) count, as
/// [`OFFICIAL_PATHS`] says, because that is where CBP publishes its CSMS messages.
pub const OFFICIAL_HOSTS: &[&str] = &[
    "federalregister.gov",
    "govinfo.gov",
    "whitehouse.gov",
    "cbp.gov",
    "usitc.gov",
    "supremecourt.gov",
    "ustr.gov",
    "gazette.gc.ca",
    "laws-lois.justice.gc.ca",
    "canada.ca",
    "fin.gc.ca",
    "cbsa-asfc.gc.ca",
    "uscode.house.gov",
];

/// Hosts that are official only under some paths: (host, path prefixes).
pub const OFFICIAL_PATHS: &[(&str, &[&str])] = &[(
    "content.govdelivery.com",
    &["/accounts/USDHSCBP/", "/bulletins/gd/USDHSCBP"],
)];

/// A URL's host (lower case, without `www.`), its path (`/` when empty) and whether it has a
/// query (`?p=3742` names a page of a site), or `None` when it is not an http(s) URL.
fn host_and_path(url: &str) -> Option<(String, &str, bool)> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = rest[..end].to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    let tail = &rest[end..];
    let path = tail.split(['?', '#']).next().unwrap_or("");
    let query = tail.contains('?');
    Some((host, if path.is_empty() { "/" } else { path }, query))
}

/// True when `host` is `official` or one of its subdomains.
fn on_host(host: &str, official: &str) -> bool {
    host == official
        || host
            .strip_suffix(official)
            .is_some_and(|sub| sub.ends_with('.'))
}

/// A source: what it is, a title, an address, the date the source carries, and an optional
/// pinpoint (section, annex, paragraph, schedule item).
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Citation {
    /// What the source is; `None` where a file does not say (ledger entries may omit it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<CitationKind>,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::schema::DateText>")]
    pub date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinpoint: Option<String>,
}

impl Citation {
    /// The official host the URL is on (one of [`OFFICIAL_HOSTS`] or [`OFFICIAL_PATHS`]).
    pub fn official_host(&self) -> Option<&'static str> {
        let (host, path, _) = host_and_path(self.url.as_deref()?)?;
        OFFICIAL_HOSTS
            .iter()
            .copied()
            .find(|o| on_host(&host, o))
            .or_else(|| {
                OFFICIAL_PATHS
                    .iter()
                    .find(|(h, prefixes)| {
                        on_host(&host, h) && prefixes.iter().any(|p| path.starts_with(p))
                    })
                    .map(|(h, _)| *h)
            })
    }

    /// A primary instrument (any kind but secondary) at an official address.
    pub fn is_primary_official(&self) -> bool {
        self.kind.is_some_and(CitationKind::is_primary) && self.official_host().is_some()
    }

    /// What the URL is when it is not a document a reader can open at the cited place: a
    /// site's home page, a repository's root, or an index of documents (a month of White
    /// House presidential actions). `None` for a document's own address or no address.
    pub fn landing_page(&self) -> Option<&'static str> {
        let (host, path, query) = host_and_path(self.url.as_deref()?)?;
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        if segments.is_empty() && !query {
            return Some("a site's home page");
        }
        let forge = ["github.com", "gitlab.com", "bitbucket.org"]
            .iter()
            .any(|f| on_host(&host, f));
        if forge && (1..=2).contains(&segments.len()) {
            return Some("a repository root");
        }
        let dated_index = !segments.is_empty()
            && segments.len() <= 3
            && segments[1..]
                .iter()
                .all(|s| s.chars().all(|c| c.is_ascii_digit()));
        if on_host(&host, "whitehouse.gov") && dated_index {
            return Some("an index of documents");
        }
        None
    }
}

impl std::fmt::Display for Citation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(k) = self.kind {
            write!(f, "[{k}] ")?;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn at(kind: CitationKind, url: &str) -> Citation {
        Citation {
            kind: Some(kind),
            title: "t".into(),
            url: Some(url.into()),
            date: None,
            pinpoint: None,
        }
    }

    #[test]
    fn cbp_bulletins_on_govdelivery_are_official_and_other_senders_are_not() {
        let cbp = at(
            CitationKind::CbpCsms,
            "https://content.govdelivery.com/accounts/USDHSCBP/bulletins/3ebf0e0",
        );
        assert_eq!(cbp.official_host(), Some("content.govdelivery.com"));
        assert!(cbp.is_primary_official());
        let other = at(
            CitationKind::CbpCsms,
            "https://content.govdelivery.com/accounts/SOMEONE/bulletins/1",
        );
        assert!(!other.is_primary_official());
    }

    #[test]
    fn a_host_counts_with_its_subdomains_but_not_as_a_suffix_of_another_name() {
        assert!(at(
            CitationKind::HtsusNote,
            "https://hts.usitc.gov/search?q=9903"
        )
        .is_primary_official());
        assert!(
            !at(CitationKind::Proclamation, "https://notwhitehouse.gov/x").is_primary_official()
        );
        assert!(!at(
            CitationKind::Secondary,
            "https://www.federalregister.gov/d/2025-10524"
        )
        .is_primary_official());
    }
}
