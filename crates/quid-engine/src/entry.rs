//! An entry: what is imported, from where, when, for how much, and what the importer claims
//! and declares.
//!
//! An entry is built plain with [`Entry::new`]; claims and declarations are set on it after:
//!
//! ```
//! use quid_core::{parse_date, Country, HsCode};
//! use quid_engine::Entry;
//! use rust_decimal::Decimal;
//!
//! // A Canadian hot-rolled steel coil of value 100000 entered in the US on 2025-07-01.
//! let mut e = Entry::new(
//!     Country::US,
//!     Country::CA,
//!     HsCode::parse("7208.10.15.00").unwrap(),
//!     parse_date("2025-07-01").unwrap(),
//!     Decimal::new(100_000, 0),
//! );
//! assert!(!e.preference_claim && e.steel_content.is_none());
//! // Claimed under USMCA, with 60000 of it declared as steel content.
//! e.preference_claim = true;
//! e.steel_content = Some(Decimal::new(60_000, 0));
//! assert_eq!(e.hs.chapter(), 72);
//! assert_eq!(e.value - e.steel_content.unwrap(), Decimal::new(40_000, 0));
//! ```

use quid_core::{Country, Date, HsCode, Quantity};
use rust_decimal::Decimal;

/// One line of an import entry.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Entry {
    pub importer: Country,
    pub origin: Country,
    pub hs: HsCode,
    #[schemars(with = "quid_core::schema::DateText")]
    pub date: Date,
    /// Customs value (US, USD) or value for duty (Canada, CAD).
    #[serde(serialize_with = "quid_core::schema::money")]
    #[schemars(with = "quid_core::schema::MoneyNumber")]
    pub value: Decimal,
    #[serde(default)]
    pub quantity: Option<Quantity>,
    /// USMCA (US) / CUSMA (Canada) preference claimed.
    #[serde(default)]
    pub preference_claim: bool,
    #[serde(default)]
    #[serde(serialize_with = "quid_core::schema::money_opt")]
    #[schemars(with = "Option<quid_core::schema::MoneyNumber>")]
    pub steel_content: Option<Decimal>,
    #[serde(default)]
    #[serde(serialize_with = "quid_core::schema::money_opt")]
    #[schemars(with = "Option<quid_core::schema::MoneyNumber>")]
    pub aluminum_content: Option<Decimal>,
    #[serde(default)]
    #[serde(serialize_with = "quid_core::schema::money_opt")]
    #[schemars(with = "Option<quid_core::schema::MoneyNumber>")]
    pub copper_content: Option<Decimal>,
    /// Share (0..1) of the value that is US content.
    #[serde(default)]
    #[serde(serialize_with = "quid_core::schema::decimal_opt")]
    #[schemars(with = "Option<quid_core::schema::DecimalNumber>")]
    pub us_content: Option<Decimal>,
    /// Share (0..1) of the value that is Canadian and Mexican content.
    #[serde(default)]
    #[serde(serialize_with = "quid_core::schema::decimal_opt")]
    #[schemars(with = "Option<quid_core::schema::DecimalNumber>")]
    pub ca_mx_content: Option<Decimal>,
    #[serde(default)]
    pub us_melted: bool,
    /// Declared "energy or energy resources" (EO 14193), beyond the bundled energy list.
    #[serde(default)]
    pub energy: bool,
    /// Declared to meet a measure's technical or end-use test (see `Conditions::qualifying`).
    #[serde(default)]
    pub qualifying: bool,
    #[serde(default)]
    pub transshipped: bool,
    /// Declared to hold remission under a remission order (see `RuleKind::Remission`).
    #[serde(default)]
    pub remission: bool,
    /// Entered under a de minimis claim (19 U.S.C. 1321; see `RuleKind::DeMinimis`), rather
    /// than as a formal or informal entry.
    #[serde(default)]
    pub de_minimis: bool,
    /// AD/CVD cases declared with their cash-deposit rates (at most one AD and one CVD); in
    /// JSON the list of the cases declared.
    #[serde(
        default,
        serialize_with = "declared_cases",
        deserialize_with = "read_cases"
    )]
    pub adcvd: [Option<Adcvd>; 2],
}

fn declared_cases<S: serde::Serializer>(
    cases: &[Option<Adcvd>; 2],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_seq(cases.iter().flatten())
}

fn read_cases<'de, D: serde::Deserializer<'de>>(d: D) -> Result<[Option<Adcvd>; 2], D::Error> {
    use serde::Deserialize;
    let v: Vec<Option<Adcvd>> = Vec::deserialize(d)?;
    let v: Vec<Adcvd> = v.into_iter().flatten().collect();
    if v.len() > 2 {
        return Err(serde::de::Error::custom(
            "at most two AD/CVD cases (one AD, one CVD)",
        ));
    }
    Ok([v.first().copied(), v.get(1).copied()])
}

/// Antidumping (A-) or countervailing (C-) duty case.
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
pub enum CaseKind {
    Ad,
    Cvd,
}

/// A Commerce case number, `A-122-857` (kind, country, sequence).
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
pub struct CaseNo {
    pub kind: CaseKind,
    pub country: u16,
    pub seq: u16,
}

impl CaseNo {
    /// Reads `A-122-857` or `C-122-858` (letter in either case); `None` for anything else.
    pub fn parse(s: &str) -> Option<CaseNo> {
        let b = s.trim().as_bytes();
        if b.len() != 9 || b[1] != b'-' || b[5] != b'-' {
            return None;
        }
        let kind = match b[0].to_ascii_uppercase() {
            b'A' => CaseKind::Ad,
            b'C' => CaseKind::Cvd,
            _ => return None,
        };
        let num = |r: std::ops::Range<usize>| {
            b[r].iter().try_fold(0u16, |acc, c| {
                c.is_ascii_digit().then(|| acc * 10 + u16::from(c - b'0'))
            })
        };
        Some(CaseNo {
            kind,
            country: num(2..5)?,
            seq: num(6..9)?,
        })
    }
}

impl std::fmt::Display for CaseNo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let k = match self.kind {
            CaseKind::Ad => 'A',
            CaseKind::Cvd => 'C',
        };
        write!(f, "{k}-{:03}-{:03}", self.country, self.seq)
    }
}

/// A declared AD/CVD case and its cash-deposit rate in percent of the entered value.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Adcvd {
    pub case: CaseNo,
    #[serde(serialize_with = "quid_core::schema::decimal")]
    #[schemars(with = "quid_core::schema::DecimalNumber")]
    pub rate_percent: Decimal,
}

impl Entry {
    /// The declared case of `kind`, if any.
    pub fn adcvd_of(&self, kind: CaseKind) -> Option<Adcvd> {
        self.adcvd
            .iter()
            .flatten()
            .find(|a| a.case.kind == kind)
            .copied()
    }
}

impl Entry {
    /// A plain entry with no claims or declarations.
    pub fn new(
        importer: Country,
        origin: Country,
        hs: HsCode,
        date: Date,
        value: Decimal,
    ) -> Entry {
        Entry {
            importer,
            origin,
            hs,
            date,
            value,
            quantity: None,
            preference_claim: false,
            steel_content: None,
            aluminum_content: None,
            copper_content: None,
            us_content: None,
            ca_mx_content: None,
            us_melted: false,
            energy: false,
            qualifying: false,
            transshipped: false,
            remission: false,
            de_minimis: false,
            adcvd: [None, None],
        }
    }
}
