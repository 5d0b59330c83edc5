//! The base rate of an entry: which column of the importer's schedule answers, under the dated
//! parameters of [`crate::law`].
//!
//! - US importer: column 1 general; for goods of an origin a preference covers (USMCA: Canada,
//!   Mexico) entered with a claim, the programme's rate in the special column (`S`) when the
//!   line states a numeric one.
//! - Canadian importer: the MFN column; for goods of an origin a preference covers (UST for the
//!   US, MXT for Mexico) entered with a claim, the programme's rate when the item states one.
//!   For an item not in the loaded schedule (the bundled one is a sample), claimed goods of an
//!   origin under the CUSMA rule are free unless supply-managed; anything else is unknown,
//!   never zero.
//!
//! The rules read lines through [`TariffLines`], which the data layer implements over the
//! schedules it loaded; everything returned is borrowed, so nothing is allocated per entry.
//!
//! A one-line schedule answered through [`TariffLines`] shows the US rule with and without a
//! USMCA claim:
//!
//! ```
//! use quid_core::rate::{RateExpr, SpecialRates};
//! use quid_core::{parse_date, Country, HsCode};
//! use quid_engine::base_rate::{base_rate, Lookup, RateCell, ScheduleLine, SpecialCell};
//! use quid_engine::{Authority, BaseRateError, Entry, Law, TariffLines};
//! use rust_decimal::Decimal;
//!
//! let law: Law = toml::from_str(include_str!(concat!(
//!     env!("CARGO_MANIFEST_DIR"),
//!     "/../../data/params/law.toml"
//! )))
//! .unwrap();
//! // A passenger car line: 2.5% general, free under programme S (USMCA).
//! struct Cars {
//!     general: RateExpr,
//!     special: SpecialRates,
//! }
//! impl TariffLines for Cars {
//!     fn line_for(&self, entry: &Entry) -> Result<Lookup<'_>, BaseRateError> {
//!         let line = ScheduleLine {
//!             code: entry.hs,
//!             general: Some(RateCell { text: "2.5%", rate: Ok(&self.general), stated_on: entry.hs }),
//!             special: Some(SpecialCell {
//!                 text: "Free (A+,AU,S,SG)",
//!                 rates: Some(&self.special),
//!                 stated_on: entry.hs,
//!             }),
//!         };
//!         Ok(Lookup::Found { line, edition: "2025 basic", stand_in: false })
//!     }
//! }
//! let cars = Cars {
//!     general: RateExpr::parse("2.5%").unwrap(),
//!     special: SpecialRates::parse("Free (A+,AU,S,SG)").unwrap(),
//! };
//! let mut e = Entry::new(
//!     Country::US,
//!     Country::CA,
//!     HsCode::parse("8703.23.01.90").unwrap(),
//!     parse_date("2025-07-01").unwrap(),
//!     Decimal::new(30_000, 0),
//! );
//! // No claim: column 1 general (law.toml `us.general`), 2.5%.
//! let b = base_rate(&law, &cars, &e).unwrap();
//! assert_eq!((b.authority, b.text), (Authority::MFN, "2.5%"));
//! assert_eq!(b.rate.unwrap().simple_percent(), Some(Decimal::new(25, 1)));
//! // Claimed, and Canada is covered by `us.preference.usmca`: programme S, free.
//! e.preference_claim = true;
//! let b = base_rate(&law, &cars, &e).unwrap();
//! assert_eq!((b.authority, b.text), (Authority::USMCA, "Free"));
//! assert!(b.rate.unwrap().is_free());
//! ```

use crate::authority::Authority;
use crate::entry::Entry;
use crate::law::{Column, Covering, Law, LawError};
use quid_core::rate::{RateExpr, SpecialRates};
use quid_core::{Citation, Country, Date, HsCode};

/// Where a base rate comes from.
#[derive(Debug, Clone, Copy, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum BaseBasis<'r> {
    /// A schedule column: `column` ("column 1 general", "MFN", "programme S", "UST"), the
    /// edition, the line the rate is stated on, and whether the edition stands in for another.
    Schedule {
        column: &'r str,
        edition: &'r str,
        stated_on: HsCode,
        stand_in: bool,
    },
    /// The CUSMA rule for US-originating goods not in the loaded Canadian schedule.
    CusmaRule { edition: &'r str },
    /// The item is not in the loaded schedule (a partial sample): the rate is unknown.
    Unknown { edition: &'r str, partial: bool },
}

impl std::fmt::Display for BaseBasis<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BaseBasis::Schedule { column, edition, stated_on, stand_in } => {
                write!(f, "{column}, {edition} (stated on {stated_on})")?;
                if *stand_in {
                    f.write_str("; this edition stands in for the revision in force")?;
                }
                Ok(())
            }
            BaseBasis::CusmaRule { edition } => write!(
                f,
                "CUSMA: goods originating in the US are entitled to the United States Tariff (UST), free for all but the supply-managed over-access items (Customs Tariff, S.C. 1997, c. 36, s. 49.01); the item is not in the loaded schedule ({edition}), so the rate comes from that rule"
            ),
            BaseBasis::Unknown { edition, partial } => write!(
                f,
                "the item is not in the loaded schedule ({edition}{}); load the full CBSA export with --ca-tariff",
                if *partial { ", a partial sample" } else { "" }
            ),
        }
    }
}

/// The base (MFN or preferential) rate for an entry, borrowed from the caller's schedules and
/// law parameters.
#[derive(Debug, Clone, Copy)]
pub struct BaseRate<'r> {
    /// `None` when the rate cannot be known from the data at hand (never reported as zero).
    pub rate: Option<&'r RateExpr>,
    /// mfn, usmca, ust, mxt or ca-mfn.
    pub authority: Authority,
    /// The tariff line the rate was read for.
    pub line: HsCode,
    /// The rate as printed.
    pub text: &'r str,
    pub basis: BaseBasis<'r>,
    /// The law parameter's citation for the column or rule that answered (none when the rate
    /// is unknown).
    pub citation: Option<&'r Citation>,
}

/// Why no base rate can be given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaseRateError {
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
    #[error("no line {} in any bundled {importer} schedule", code.dotted())]
    NoLine { code: HsCode, importer: Country },
    #[error("line {} has no general rate", line.dotted())]
    NoGeneralRate { line: HsCode },
    #[error("line {} rate {text:?} not understood: {reason}", line.dotted())]
    NotUnderstood {
        line: HsCode,
        text: String,
        reason: String,
    },
    #[error(transparent)]
    Law(#[from] LawError),
}

impl BaseRateError {
    /// True when quid has no schedule for the importer.
    pub fn is_unknown_importer(&self) -> bool {
        matches!(self, BaseRateError::UnknownImporter(_))
    }

    /// True when the date is before the first bundled edition of the importer's schedule.
    pub fn is_before_first_edition(&self) -> bool {
        matches!(self, BaseRateError::BeforeFirstEdition { .. })
    }

    /// True when no bundled edition has a line for the code.
    pub fn is_no_line(&self) -> bool {
        matches!(self, BaseRateError::NoLine { .. })
    }

    /// True when the line that answers states no general rate.
    pub fn is_no_general_rate(&self) -> bool {
        matches!(self, BaseRateError::NoGeneralRate { .. })
    }

    /// True when the line's rate text could not be read as a rate.
    pub fn is_not_understood(&self) -> bool {
        matches!(self, BaseRateError::NotUnderstood { .. })
    }

    /// True when a law parameter the rule needs has no value yet on the date.
    pub fn is_before_first_value(&self) -> bool {
        matches!(self, BaseRateError::Law(_))
    }
}

/// A rate column's value on a line: the text as printed, its parse (or why it failed), and the
/// line it is stated on (the line itself, or the ancestor it inherits from).
#[derive(Debug, Clone, Copy)]
pub struct RateCell<'s> {
    pub text: &'s str,
    pub rate: Result<&'s RateExpr, &'s str>,
    pub stated_on: HsCode,
}

/// The special (US) or preferential (Canada) column of a line: its text, its programme rates
/// (`None` when not understood), and the line it is stated on.
#[derive(Debug, Clone, Copy)]
pub struct SpecialCell<'s> {
    pub text: &'s str,
    pub rates: Option<&'s SpecialRates>,
    pub stated_on: HsCode,
}

/// A line of a schedule as the rules read it.
#[derive(Debug, Clone, Copy)]
pub struct ScheduleLine<'s> {
    pub code: HsCode,
    pub general: Option<RateCell<'s>>,
    pub special: Option<SpecialCell<'s>>,
}

impl<'s> ScheduleLine<'s> {
    /// A programme's rate in the special or preferential column.
    #[inline]
    fn programme_rate(&self, programme: &str) -> Option<&'s RateExpr> {
        self.special.and_then(|c| c.rates)?.rate_for(programme)
    }
}

/// What the schedules answer for an entry.
#[derive(Debug, Clone, Copy)]
pub enum Lookup<'s> {
    /// The line that answers for the entry's code, the edition it was read from, and whether
    /// that edition stands in for the one in force.
    Found {
        line: ScheduleLine<'s>,
        edition: &'s str,
        stand_in: bool,
    },
    /// The edition in force has no line for the code (`partial`: the edition is known to be a
    /// sample).
    Missing { edition: &'s str, partial: bool },
}

/// The line lookups the rules need, implemented by the data layer over its schedules: for an
/// entry, the line that answers for its code in the edition in force on its date. An importer
/// without a schedule, a date before the first edition, or (where the schedules are complete) a
/// code no edition has, are errors.
pub trait TariffLines {
    fn line_for(&self, entry: &Entry) -> Result<Lookup<'_>, BaseRateError>;
}

/// The base rate of an entry.
#[inline]
pub fn base_rate<'r>(
    law: &'r Law,
    lines: &'r (impl TariffLines + ?Sized),
    entry: &Entry,
) -> Result<BaseRate<'r>, BaseRateError> {
    let found = lines.line_for(entry)?;
    match entry.importer {
        Country::CA => canada(law, found, entry),
        _ => united_states(law, found, entry),
    }
}

/// The base rate read from a programme's rate in a line's special or preferential column.
#[inline]
fn preferential<'r>(
    l: ScheduleLine<'r>,
    rate: &'r RateExpr,
    pref: Covering<'r>,
    edition: &'r str,
    stand_in: bool,
) -> BaseRate<'r> {
    let cell = l.special;
    BaseRate {
        rate: Some(rate),
        authority: pref.value.value.authority,
        line: l.code,
        text: if rate.is_free() {
            "Free"
        } else {
            cell.map_or("", |c| c.text)
        },
        basis: BaseBasis::Schedule {
            column: &pref.value.value.column,
            edition,
            stated_on: cell.map_or(l.code, |c| c.stated_on),
            stand_in,
        },
        citation: Some(&pref.value.citation),
    }
}

/// The base rate read from a line's general (US column 1 general, Canadian MFN) column.
#[inline]
fn general<'r>(
    l: ScheduleLine<'r>,
    column: &'r crate::law::Dated<Column>,
    edition: &'r str,
    stand_in: bool,
) -> Result<BaseRate<'r>, BaseRateError> {
    let cell = l
        .general
        .ok_or(BaseRateError::NoGeneralRate { line: l.code })?;
    let rate = cell.rate.map_err(|e| BaseRateError::NotUnderstood {
        line: l.code,
        text: cell.text.to_string(),
        reason: e.to_string(),
    })?;
    Ok(BaseRate {
        rate: Some(rate),
        authority: column.value.authority,
        line: l.code,
        text: cell.text,
        basis: BaseBasis::Schedule {
            column: &column.value.column,
            edition,
            stated_on: cell.stated_on,
            stand_in,
        },
        citation: Some(&column.citation),
    })
}

/// The US rule: the preference's rate when claimed, covered and numeric, else column 1 general.
#[inline]
fn united_states<'r>(
    law: &'r Law,
    found: Lookup<'r>,
    entry: &Entry,
) -> Result<BaseRate<'r>, BaseRateError> {
    let (l, edition, stand_in) = match found {
        Lookup::Found {
            line,
            edition,
            stand_in,
        } => (line, edition, stand_in),
        // The US schedules are complete: the lookup reports a code none has as an error.
        Lookup::Missing { .. } => {
            return Err(BaseRateError::NoLine {
                code: entry.hs,
                importer: entry.importer,
            })
        }
    };
    if entry.preference_claim {
        if let Some(pref) = law.us_preference(entry.origin, entry.date)? {
            // A special rate that refers to another provision is no rate: column 1 general.
            let numeric = l
                .programme_rate(&pref.value.value.programme)
                .filter(|r| r.is_numeric());
            if let Some(r) = numeric {
                return Ok(preferential(l, r, pref, edition, stand_in));
            }
        }
    }
    general(l, law.us_general(entry.date)?, edition, stand_in)
}

/// The free rate of the rule for claimed goods outside the loaded schedule.
static FREE: RateExpr = RateExpr::Free { condition: None };

/// The Canadian rule: the preference's rate when claimed and covered, else MFN; outside the
/// loaded schedule, the CUSMA rule or unknown.
#[inline]
fn canada<'r>(
    law: &'r Law,
    found: Lookup<'r>,
    entry: &Entry,
) -> Result<BaseRate<'r>, BaseRateError> {
    let pref = if entry.preference_claim {
        law.ca_preference(entry.origin, entry.date)?
    } else {
        None
    };
    let mfn = law.ca_mfn(entry.date)?;
    match found {
        Lookup::Found {
            line,
            edition,
            stand_in,
        } => {
            if let Some(p) = pref {
                if let Some(r) = line.programme_rate(&p.value.value.programme) {
                    return Ok(preferential(line, r, p, edition, stand_in));
                }
            }
            general(line, mfn, edition, stand_in)
        }
        Lookup::Missing { edition, partial } => {
            if entry.preference_claim {
                let rule = law.ca_free_outside_schedule(entry.date)?;
                if rule.value.origins.contains(&entry.origin)
                    && !law.ca_supply_managed(&entry.hs, entry.date)?
                {
                    return Ok(BaseRate {
                        rate: Some(&FREE),
                        authority: rule.value.authority,
                        line: entry.hs,
                        text: "Free",
                        basis: BaseBasis::CusmaRule { edition },
                        citation: Some(&rule.citation),
                    });
                }
            }
            Ok(BaseRate {
                rate: None,
                authority: mfn.value.authority,
                line: entry.hs,
                text: "unknown",
                basis: BaseBasis::Unknown { edition, partial },
                citation: None,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quid_core::parse_date;
    use quid_core::rate::Program;
    use rust_decimal::Decimal;

    /// The bundled law parameters.
    fn law() -> Law {
        toml::from_str(include_str!("../../../data/params/law.toml")).expect("law parses")
    }

    fn hs(code: &str) -> HsCode {
        HsCode::parse(code).expect("code")
    }

    /// One line (or none) for every entry: the rules' view of a schedule.
    struct OneLine {
        code: HsCode,
        general: Option<(String, Result<RateExpr, String>)>,
        special: Option<(String, SpecialRates)>,
        found: bool,
    }

    impl OneLine {
        fn new(code: &str, general: &str, special: Option<(&str, SpecialRates)>) -> OneLine {
            OneLine {
                code: hs(code),
                general: Some((
                    general.into(),
                    RateExpr::parse(general).map_err(|e| e.to_string()),
                )),
                special: special.map(|(t, r)| (t.to_string(), r)),
                found: true,
            }
        }

        fn missing() -> OneLine {
            OneLine {
                code: hs("01"),
                general: None,
                special: None,
                found: false,
            }
        }
    }

    impl TariffLines for OneLine {
        fn line_for(&self, _entry: &Entry) -> Result<Lookup<'_>, BaseRateError> {
            if !self.found {
                return Ok(Lookup::Missing {
                    edition: "sample",
                    partial: true,
                });
            }
            let line = ScheduleLine {
                code: self.code,
                general: self.general.as_ref().map(|(text, rate)| RateCell {
                    text,
                    rate: rate.as_ref().map_err(String::as_str),
                    stated_on: self.code,
                }),
                special: self.special.as_ref().map(|(text, rates)| SpecialCell {
                    text,
                    rates: Some(rates),
                    // Stated on the 8-digit parent, as HTS statistical lines inherit it.
                    stated_on: self.code.truncate(8),
                }),
            };
            Ok(Lookup::Found {
                line,
                edition: "ed",
                stand_in: false,
            })
        }
    }

    fn entry(importer: Country, origin: Country, code: &str, date: &str, claim: bool) -> Entry {
        let mut e = Entry::new(
            importer,
            origin,
            hs(code),
            parse_date(date).expect("date"),
            Decimal::from(1000),
        );
        e.preference_claim = claim;
        e
    }

    fn special(text: &str) -> SpecialRates {
        SpecialRates::parse(text).expect("special column")
    }

    fn column(b: &BaseRate<'_>) -> String {
        match b.basis {
            BaseBasis::Schedule { column, .. } => column.to_string(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn us_goods_without_a_claim_take_column_1_general() {
        let (law, l) = (law(), OneLine::new("7208.10.15.00", "2.5%", None));
        let b = base_rate(
            &law,
            &l,
            &entry(
                Country::US,
                Country::CA,
                "7208.10.15.00",
                "2025-07-01",
                false,
            ),
        )
        .expect("rate");
        assert_eq!(b.authority, "mfn");
        assert_eq!(column(&b), "column 1 general");
        assert_eq!(b.text, "2.5%");
        // 2.5% of 1000.
        assert_eq!(
            b.rate.map(|r| r.simple_percent()),
            Some(Some(Decimal::new(25, 1)))
        );
        let cite = b.citation.expect("cited");
        assert_eq!(
            cite.pinpoint.as_deref().map(|p| &p[..22]),
            Some("General Note 3(a)(ii):")
        );
    }

    #[test]
    fn a_claimed_good_of_canada_or_mexico_takes_programme_s() {
        let law = law();
        let l = OneLine::new(
            "8703.23.01.60",
            "2.5%",
            Some(("Free (A+,AU,S,SG)", special("Free (A+,AU,S,SG)"))),
        );
        for origin in [Country::CA, Country::MX] {
            let b = base_rate(
                &law,
                &l,
                &entry(Country::US, origin, "8703.23.01.60", "2025-09-01", true),
            )
            .expect("rate");
            assert_eq!(b.authority, "usmca");
            assert_eq!(
                column(&b),
                "column 1 special, programme S (USMCA, General Note 11)"
            );
            assert_eq!(b.text, "Free");
            assert!(b.rate.is_some_and(RateExpr::is_free));
            assert!(
                matches!(b.basis, BaseBasis::Schedule { stated_on, .. } if stated_on == hs("8703.23.01"))
            );
        }
        // A claim for goods of another origin changes nothing: no preference covers them.
        let b = base_rate(
            &law,
            &l,
            &entry(
                Country::US,
                Country::GB,
                "8703.23.01.60",
                "2025-09-01",
                true,
            ),
        )
        .expect("rate");
        assert_eq!((b.authority, b.text), (Authority::MFN, "2.5%"));
    }

    #[test]
    fn a_programme_s_rate_that_refers_elsewhere_leaves_column_1_general() {
        let see = SpecialRates {
            groups: vec![(
                RateExpr::parse("See 9823.01.01-9823.01.07").expect("rule"),
                vec![Program("S+".into())],
            )],
        };
        let (law, l) = (
            law(),
            OneLine::new(
                "0401.40.25",
                "3.2¢/liter",
                Some(("See 9823.01.01-9823.01.07 (S+)", see)),
            ),
        );
        let b = base_rate(
            &law,
            &l,
            &entry(Country::US, Country::CA, "0401.40.25", "2025-09-01", true),
        )
        .expect("rate");
        assert_eq!((b.authority, b.text), (Authority::MFN, "3.2¢/liter"));
    }

    #[test]
    fn us_errors_say_what_is_missing() {
        let law = law();
        let e = entry(Country::US, Country::CA, "9999.99.99", "2025-07-01", false);
        let err = base_rate(&law, &OneLine::missing(), &e).unwrap_err();
        assert!(err.is_no_line(), "{err}");
        assert_eq!(
            err.to_string(),
            "no line 9999.99.99 in any bundled US schedule"
        );
        let mut unrated = OneLine::new("7208.10.15", "2.5%", None);
        unrated.general = None;
        let err = base_rate(&law, &unrated, &e).unwrap_err();
        assert!(err.is_no_general_rate(), "{err}");
        let garbled = OneLine::new("7208.10.15", "two percent", None);
        let err = base_rate(&law, &garbled, &e).unwrap_err();
        assert!(err.is_not_understood(), "{err}");
        assert!(
            err.to_string()
                .starts_with("line 7208.10.15 rate \"two percent\" not understood: "),
            "{err}"
        );
    }

    #[test]
    fn canadian_goods_take_mfn_or_the_claimed_programme_of_their_origin() {
        let law = law();
        // As the Canadian reader builds it: one group per preferential column.
        let free = || RateExpr::parse("Free").expect("free");
        let cusma = SpecialRates {
            groups: vec![
                (free(), vec![Program("UST".into())]),
                (free(), vec![Program("MXT".into())]),
                (
                    RateExpr::parse("5%").expect("rate"),
                    vec![Program("CEUT".into())],
                ),
            ],
        };
        let l = OneLine::new(
            "0101.21.00",
            "8%",
            Some(("Free (UST) Free (MXT) 5% (CEUT)", cusma)),
        );
        let cases = [
            (
                Country::US,
                true,
                "ust",
                "UST (United States Tariff)",
                "Free",
            ),
            (Country::MX, true, "mxt", "MXT (Mexico Tariff)", "Free"),
            (Country::US, false, "ca-mfn", "MFN", "8%"),
            // No preference covers Chinese goods: MFN whatever the claim.
            (Country::CN, true, "ca-mfn", "MFN", "8%"),
        ];
        for (origin, claim, authority, col, text) in cases {
            let b = base_rate(
                &law,
                &l,
                &entry(Country::CA, origin, "0101.21.00", "2025-05-01", claim),
            )
            .expect("rate");
            assert_eq!(
                (b.authority.as_str(), column(&b).as_str(), b.text),
                (authority, col, text),
                "{origin} {claim}"
            );
        }
    }

    #[test]
    fn a_claimed_item_without_the_programme_rate_keeps_mfn() {
        // 0105.11.22, fowls over the access commitment: an MFN rate and no UST rate.
        let (law, l) = (
            law(),
            OneLine::new(
                "0105.11.22",
                "238%",
                Some(("Free (CEUT)", special("Free (CEUT)"))),
            ),
        );
        let b = base_rate(
            &law,
            &l,
            &entry(Country::CA, Country::US, "0105.11.22", "2025-05-01", true),
        )
        .expect("rate");
        assert_eq!(
            (b.authority.as_str(), column(&b).as_str(), b.text),
            ("ca-mfn", "MFN", "238%")
        );
    }

    #[test]
    fn outside_the_canadian_sample_claimed_us_goods_are_free_unless_supply_managed() {
        let (law, none) = (law(), OneLine::missing());
        let b = base_rate(
            &law,
            &none,
            &entry(Country::CA, Country::US, "7208.10.00", "2025-05-01", true),
        )
        .expect("rate");
        assert_eq!((b.authority.as_str(), b.text), ("ust", "Free"));
        assert!(b.rate.is_some_and(RateExpr::is_free));
        assert!(matches!(
            b.basis,
            BaseBasis::CusmaRule { edition: "sample" }
        ));
        // Dairy (chapter 04) and poultry (0207) are supply-managed: unknown, never free.
        for code in ["0401.10.10", "0207.11.91"] {
            let b = base_rate(
                &law,
                &none,
                &entry(Country::CA, Country::US, code, "2025-05-01", true),
            )
            .expect("rate");
            assert!(b.rate.is_none(), "{code}");
            assert_eq!((b.authority.as_str(), b.text), ("ca-mfn", "unknown"));
            assert!(matches!(b.basis, BaseBasis::Unknown { partial: true, .. }));
        }
        // The rule covers goods of the US only, and only with a claim.
        for (origin, claim) in [(Country::MX, true), (Country::US, false)] {
            let b = base_rate(
                &law,
                &none,
                &entry(Country::CA, origin, "7208.10.00", "2025-05-01", claim),
            )
            .expect("rate");
            assert!(b.rate.is_none(), "{origin} {claim}");
        }
    }

    #[test]
    fn a_date_before_a_parameter_s_first_value_is_an_error() {
        // CUSMA took effect on 2020-07-01; the law file has no preference before it.
        let (law, l) = (law(), OneLine::new("0101.21.00", "8%", None));
        let err = base_rate(
            &law,
            &l,
            &entry(Country::CA, Country::US, "0101.21.00", "2019-05-01", true),
        )
        .unwrap_err();
        assert!(err.is_before_first_value(), "{err}");
        assert_eq!(
            err.to_string(),
            "the law parameter ca.preference.cusma_us has no value on 2019-05-01: its first value applies from 2020-07-01 (data/params/law.toml)"
        );
        // Without a claim the preference is not read; the MFN column's history starts in 1998.
        let b = base_rate(
            &law,
            &l,
            &entry(Country::CA, Country::US, "0101.21.00", "2019-05-01", false),
        );
        assert_eq!(b.map(|b| b.text).ok(), Some("8%"));
    }
}
