//! The dated parameters of the duty law the engine applies, as read from `data/params/law.toml`
//! (OpenFisca style): which schedule column answers for which importer and origin, the rule for
//! claimed goods outside the loaded Canadian schedule and the supply-managed items it spares, the
//! default content shares, and the schedule editions in force. Each parameter is a history of
//! values; each value applies from its `from` date until the next value's and carries its
//! citation. The engine reads a parameter on the entry's date, and a date before the first
//! value is an error that says so, never a silent default.
//!
//! ```toml
//! [us.us_content_default]
//! description = "US content of a USMCA vehicle when the entry declares none"
//!
//! [[us.us_content_default.values]]
//! from = "2025-04-03"
//! value = "0.40"
//! citation = { title = "Budget Lab at Yale, tariff-rate-tracker", pinpoint = "us_auto_content_share" }
//! ```
//!
//! The data layer reads the file into these types (with the file and line of any problem); the
//! rules that use them are in [`crate::base_rate`] and [`crate::assess`].

use crate::authority::Authority;
use quid_core::{Citation, Country, Date, HsCode};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// A parameter has no value on a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the law parameter {parameter} has no value on {date}: its first value applies from {first} (data/params/law.toml)")]
pub struct LawError {
    /// The parameter's path in the file, e.g. `us.us_content_default`.
    pub parameter: String,
    pub date: Date,
    pub first: Date,
}

/// One value of a parameter, in force from `from` until the next value's `from`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dated<T> {
    pub from: Date,
    pub value: T,
    pub citation: Citation,
}

/// A parameter: what it is, and its values in date order (at least one).
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter<T> {
    pub description: String,
    values: Vec<Dated<T>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParameter<T> {
    description: String,
    values: Vec<Dated<T>>,
}

impl<T> Parameter<T> {
    /// A parameter from its values; they must be in strictly increasing date order, and there
    /// must be at least one.
    pub fn new(description: String, values: Vec<Dated<T>>) -> Result<Parameter<T>, String> {
        if values.is_empty() {
            return Err("a parameter needs at least one value".into());
        }
        if let Some(w) = values.windows(2).find(|w| w[1].from <= w[0].from) {
            return Err(format!(
                "values must be in date order: {} does not come after {}",
                w[1].from, w[0].from
            ));
        }
        Ok(Parameter {
            description,
            values,
        })
    }

    /// Every value, oldest first.
    pub fn values(&self) -> &[Dated<T>] {
        &self.values
    }

    /// The value in force on `date`: the latest whose `from` is on or before it.
    #[inline]
    pub fn at(&self, date: Date) -> Option<&Dated<T>> {
        let i = self.values.partition_point(|v| v.from <= date);
        i.checked_sub(1).map(|i| &self.values[i])
    }

    /// [`Parameter::at`], or the error naming the parameter (`name`) and its first date.
    #[inline]
    pub fn on(&self, name: &str, date: Date) -> Result<&Dated<T>, LawError> {
        self.at(date)
            .ok_or_else(|| self.missing(name.to_string(), date))
    }

    /// The error for a date before the first value.
    #[cold]
    fn missing(&self, parameter: String, date: Date) -> LawError {
        LawError {
            parameter,
            date,
            first: self.values[0].from,
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Parameter<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Parameter<T>, D::Error> {
        let raw = RawParameter::<T>::deserialize(d)?;
        Parameter::new(raw.description, raw.values).map_err(serde::de::Error::custom)
    }
}

/// A share of value from 0 to 1, written as a string (`"0.40"`) so it stays an exact decimal,
/// scale included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share(pub Decimal);

impl<'de> Deserialize<'de> for Share {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Share, D::Error> {
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = Share;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a share from 0 to 1 written as a string, e.g. \"0.40\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Share, E> {
                match Decimal::from_str(v.trim()) {
                    Ok(x) if x >= Decimal::ZERO && x <= Decimal::ONE => Ok(Share(x)),
                    _ => Err(E::custom(format!(
                        "{v:?} is not a share from 0 to 1 (e.g. \"0.40\")"
                    ))),
                }
            }
        }
        d.deserialize_str(Text)
    }
}

/// A rate column of a schedule: its name as reported, and the authority of the base duty read
/// from it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    pub column: String,
    pub authority: Authority,
}

/// A preference programme: the origins whose goods it covers when the entry claims it, the
/// programme's code in the schedule's special (US) or preferential (Canada) column, the
/// column's name as reported, and the authority of the base duty read from it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preference {
    pub origins: Vec<Country>,
    pub programme: String,
    pub column: String,
    pub authority: Authority,
}

/// A rule for claimed goods of `origins` whose item is not in the loaded schedule: the base
/// rate is free, under `authority` (Canada: CUSMA goods of the US, the United States Tariff).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FreeOutsideSchedule {
    pub origins: Vec<Country>,
    pub authority: Authority,
}

/// The schedule edition read from a date: its name, and whether it only stands in for an
/// edition quid does not bundle.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edition {
    pub edition: String,
    #[serde(default)]
    pub stand_in: bool,
}

/// The parameters of the US (HTSUS) base rate and of the US measures.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UsLaw {
    /// The column read without a preference: column 1 general.
    pub general: Parameter<Column>,
    /// Preference programmes by name (`usmca`): a claimed good of a covered origin takes the
    /// programme's rate when the line states a numeric one.
    pub preference: BTreeMap<String, Parameter<Preference>>,
    /// The US content of a good charged on its non-US content when the entry declares none.
    pub us_content_default: Parameter<Share>,
    /// The HTSUS editions bundled, each read from the date it took effect.
    pub editions: Parameter<Edition>,
}

/// The parameters of the Canadian (Customs Tariff) base rate and of the Canadian measures.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaLaw {
    /// The column read without a preference: the Most-Favoured-Nation Tariff.
    pub mfn: Parameter<Column>,
    /// Preference programmes by name (`cusma_us`, `cusma_mx`): a claimed good of a covered
    /// origin takes the programme's rate when the item states one.
    pub preference: BTreeMap<String, Parameter<Preference>>,
    /// The rule for claimed goods whose item is not in the loaded schedule.
    pub free_outside_schedule: Parameter<FreeOutsideSchedule>,
    /// HS prefixes of the supply-managed goods, which that rule does not reach.
    pub supply_managed: Parameter<Vec<HsCode>>,
    /// The least share of value deducted as Canadian and Mexican content from the base of a
    /// measure charged on the non-Canadian, non-Mexican content.
    pub ca_mx_content_minimum: Parameter<Share>,
    /// The Customs Tariff editions, each read from the date given.
    pub editions: Parameter<Edition>,
}

/// Every parameter of the law file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Law {
    pub us: UsLaw,
    pub ca: CaLaw,
}

/// A preference that covers an origin on a date, with its parameter's name.
#[derive(Debug, Clone, Copy)]
pub struct Covering<'l> {
    pub name: &'l str,
    pub value: &'l Dated<Preference>,
}

/// The first preference (in name order) whose value on `date` covers `origin`; `importer` names
/// the section in errors. A preference that covers the origin in some value but has none yet on
/// the date is an error.
#[inline]
fn covering<'l>(
    importer: &str,
    prefs: &'l BTreeMap<String, Parameter<Preference>>,
    origin: Country,
    date: Date,
) -> Result<Option<Covering<'l>>, LawError> {
    for (name, p) in prefs {
        if !p.values.iter().any(|v| v.value.origins.contains(&origin)) {
            continue;
        }
        let v = p
            .at(date)
            .ok_or_else(|| p.missing(format!("{importer}.preference.{name}"), date))?;
        if v.value.origins.contains(&origin) {
            return Ok(Some(Covering { name, value: v }));
        }
    }
    Ok(None)
}

impl Law {
    /// US column 1 general on `date`.
    #[inline]
    pub fn us_general(&self, date: Date) -> Result<&Dated<Column>, LawError> {
        self.us.general.on("us.general", date)
    }

    /// The US preference that covers goods of `origin` on `date`, if any.
    #[inline]
    pub fn us_preference(
        &self,
        origin: Country,
        date: Date,
    ) -> Result<Option<Covering<'_>>, LawError> {
        covering("us", &self.us.preference, origin, date)
    }

    /// The default US content share on `date`.
    pub fn us_content_default(&self, date: Date) -> Result<Decimal, LawError> {
        Ok(self
            .us
            .us_content_default
            .on("us.us_content_default", date)?
            .value
            .0)
    }

    /// Canada's MFN column on `date`.
    #[inline]
    pub fn ca_mfn(&self, date: Date) -> Result<&Dated<Column>, LawError> {
        self.ca.mfn.on("ca.mfn", date)
    }

    /// The Canadian preference that covers goods of `origin` on `date`, if any.
    #[inline]
    pub fn ca_preference(
        &self,
        origin: Country,
        date: Date,
    ) -> Result<Option<Covering<'_>>, LawError> {
        covering("ca", &self.ca.preference, origin, date)
    }

    /// The rule for claimed goods outside the loaded Canadian schedule on `date`.
    #[inline]
    pub fn ca_free_outside_schedule(
        &self,
        date: Date,
    ) -> Result<&Dated<FreeOutsideSchedule>, LawError> {
        self.ca
            .free_outside_schedule
            .on("ca.free_outside_schedule", date)
    }

    /// True when `hs` falls under a supply-managed prefix on `date`.
    #[inline]
    pub fn ca_supply_managed(&self, hs: &HsCode, date: Date) -> Result<bool, LawError> {
        let prefixes = &self.ca.supply_managed.on("ca.supply_managed", date)?.value;
        Ok(prefixes.iter().any(|p| hs.starts_with(p)))
    }

    /// The least Canadian and Mexican content share deducted on `date`.
    pub fn ca_mx_content_minimum(&self, date: Date) -> Result<Decimal, LawError> {
        Ok(self
            .ca
            .ca_mx_content_minimum
            .on("ca.ca_mx_content_minimum", date)?
            .value
            .0)
    }

    /// The editions of an importer's schedule (US or CA).
    #[inline]
    pub fn editions(&self, importer: Country) -> Option<&Parameter<Edition>> {
        match importer {
            Country::US => Some(&self.us.editions),
            Country::CA => Some(&self.ca.editions),
            _ => None,
        }
    }
}

impl Parameter<Edition> {
    /// The date an edition takes effect: the `from` of the first value that names it and is not
    /// a stand-in.
    pub fn effective(&self, edition: &str) -> Option<Date> {
        self.values
            .iter()
            .find(|v| !v.value.stand_in && v.value.edition == edition)
            .map(|v| v.from)
    }

    /// True when the value in force on `date` is a stand-in.
    #[inline]
    pub fn stand_in_on(&self, date: Date) -> bool {
        self.at(date).is_some_and(|v| v.value.stand_in)
    }

    /// The newest edition that is not a stand-in, with the date it takes effect.
    pub fn latest(&self) -> Option<&Dated<Edition>> {
        self.values.iter().rev().find(|v| !v.value.stand_in)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quid_core::parse_date;

    fn d(s: &str) -> Date {
        parse_date(s).expect("date")
    }

    fn cite() -> Citation {
        Citation {
            kind: None,
            title: "t".into(),
            url: None,
            date: None,
            pinpoint: None,
        }
    }

    fn history() -> Parameter<u32> {
        let v = |from: &str, value| Dated {
            from: d(from),
            value,
            citation: cite(),
        };
        Parameter::new("test".into(), vec![v("2020-07-01", 1), v("2025-04-03", 2)])
            .expect("in order")
    }

    #[test]
    fn a_value_applies_from_its_date_until_the_next() {
        let p = history();
        assert_eq!(p.at(d("2020-07-01")).map(|v| v.value), Some(1));
        assert_eq!(p.at(d("2025-04-02")).map(|v| v.value), Some(1));
        assert_eq!(p.at(d("2025-04-03")).map(|v| v.value), Some(2));
        assert_eq!(p.at(d("2030-01-01")).map(|v| v.value), Some(2));
    }

    #[test]
    fn a_date_before_the_first_value_is_an_error_that_says_so() {
        let e = history().on("x.y", d("2020-06-30")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the law parameter x.y has no value on 2020-06-30: its first value applies from 2020-07-01 (data/params/law.toml)"
        );
    }

    #[test]
    fn values_out_of_order_or_none_are_refused() {
        let v = |from: &str| Dated {
            from: d(from),
            value: 0u32,
            citation: cite(),
        };
        let e = Parameter::new("t".into(), vec![v("2025-01-01"), v("2025-01-01")]).unwrap_err();
        assert_eq!(
            e,
            "values must be in date order: 2025-01-01 does not come after 2025-01-01"
        );
        assert!(Parameter::<u32>::new("t".into(), vec![]).is_err());
    }

    #[test]
    fn shares_are_exact_strings_from_0_to_1() {
        use serde::de::value::{Error, StrDeserializer};
        let share = |s| Share::deserialize(StrDeserializer::<Error>::new(s));
        // The scale is kept: 0.40, not 0.4 (it shows in reports as 40.00%).
        assert_eq!(
            share("0.40").map(|s| s.0.to_string()).ok(),
            Some("0.40".into())
        );
        assert!(share("1.5").is_err());
        assert!(share("-0.1").is_err());
        assert!(share("forty").is_err());
    }
}
