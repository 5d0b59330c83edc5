//! The bill of materials of one vehicle, read from TOML (components inline as `[[component]]`
//! or in a CSV named by `components_csv`) and checked before anything is evaluated.
//!
//! ```toml
//! name = "Illustrative compact sedan"
//! class = "passenger"          # passenger, light_truck or heavy_truck
//! assembly = "MX"              # US, CA or MX
//! hts = "8703.80.00.00"        # optional: the vehicle's tariff line, for `quid duty --bom`
//! net_cost = 30000             # net cost of the vehicle (Uniform Regulations, s. 1)
//! transaction_value = 34000    # the customs value the Section 232 shares are taken of
//! other_costs = 6000           # net cost not listed as components (labour, overhead)
//! partial = false              # true: the list is known to be incomplete
//!
//! [labour]
//! high_wage_spend = 8000       # high-wage material and manufacturing expenditures
//! wage_bill = 960000           # direct production wages at those plants ...
//! hours = 40000                # ... and the hours they pay for (average = bill / hours)
//! technology_credit = 0.10     # points claimed, as a share (0.10 = 10 points)
//! assembly_credit = 0.05
//!
//! [metals]                     # the producer's purchases (Art. 6: purchase-based)
//! steel = 3000
//! steel_north_american = 2400
//! aluminum = 1000
//! aluminum_north_american = 750
//!
//! [[component]]
//! hs = "8407.34"
//! value = 4000
//! origin = "US"                # US, CA, MX or other
//! originating = true
//! category = "core"            # core, principal, complementary or other (default)
//! rvc = 0.81                   # optional, core parts only: the part's own RVC, as its
//! rvc_method = "net_cost"      # producer certifies it (net_cost, the default, or
//!                              # transaction_value)
//! ```
//!
//! The CSV form has the columns `hs,value,origin,originating,category,description` and, for
//! core parts, the optional `rvc,rvc_method`.
//!
//! A core part that gives its `rvc` is originating, for the core-parts test and for every
//! other test, when that RVC meets the core-parts threshold of its method on the date asked
//! about (Uniform Regulations s. 14(13)); one without it is taken as its `originating` flag
//! says (a declared originating part meets the threshold, as its producer certifies).
//!
//! **Checks.** No value is negative; every origin and category is known; a component from
//! outside the territories is not originating; and the components plus `other_costs` equal
//! the net cost within the tolerance of the rules (`bom.tolerance`, 0.5% of net cost in the
//! bundled file). A partial bill may fall short of the net cost, never exceed it, and what it
//! leaves out is never guessed: tests that depend on it are reported undetermined.

use crate::RooError;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

/// The vehicle classes of the Automotive Appendix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VehicleClass {
    Passenger,
    LightTruck,
    HeavyTruck,
}

impl VehicleClass {
    /// The name used in parameter names (`rvc.passenger`).
    pub fn key(self) -> &'static str {
        match self {
            VehicleClass::Passenger => "passenger",
            VehicleClass::LightTruck => "light_truck",
            VehicleClass::HeavyTruck => "heavy_truck",
        }
    }
}

/// Where a component was produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Region {
    US,
    CA,
    MX,
    /// Outside the territories of the Parties.
    Other,
}

impl Region {
    fn parse(s: &str) -> Option<Region> {
        match s.trim().to_ascii_uppercase().as_str() {
            "US" => Some(Region::US),
            "CA" => Some(Region::CA),
            "MX" => Some(Region::MX),
            "OTHER" => Some(Region::Other),
            _ => None,
        }
    }
}

/// The part lists of the Automotive Appendix a component belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Table A.1 (core parts of passenger vehicles and light trucks).
    Core,
    /// Table B / Table C (principal parts).
    Principal,
    /// Table C / Table D (complementary parts).
    Complementary,
    Other,
}

impl Category {
    fn parse(s: &str) -> Option<Category> {
        match s.trim().to_ascii_lowercase().as_str() {
            "core" => Some(Category::Core),
            "principal" => Some(Category::Principal),
            "complementary" => Some(Category::Complementary),
            "other" | "" => Some(Category::Other),
            _ => None,
        }
    }
}

/// The method a part's own regional value content is calculated by (Uniform Regulations
/// s. 14(13): 75% net cost or 85% transaction value for core parts from 2023-07-01).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RvcMethod {
    NetCost,
    TransactionValue,
}

impl RvcMethod {
    fn parse(s: &str) -> Option<RvcMethod> {
        match s.trim().to_ascii_lowercase().as_str() {
            "net_cost" | "nc" | "" => Some(RvcMethod::NetCost),
            "transaction_value" | "tv" => Some(RvcMethod::TransactionValue),
            _ => None,
        }
    }

    /// The words used in reports.
    pub fn words(self) -> &'static str {
        match self {
            RvcMethod::NetCost => "net cost",
            RvcMethod::TransactionValue => "transaction value",
        }
    }
}

/// A core part's own regional value content, as its producer certifies it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PartRvc {
    /// A share (0.81 = 81%).
    pub value: Decimal,
    pub method: RvcMethod,
}

/// One line of the bill of materials.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Component {
    pub hs: String,
    pub value: Decimal,
    pub origin: Region,
    pub originating: bool,
    pub category: Category,
    pub description: Option<String>,
    /// The part's own RVC (core parts only).
    pub rvc: Option<PartRvc>,
}

/// The labour figures of the labour value content test (Art. 7).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Labour {
    /// High-wage material and manufacturing expenditures (same currency as net cost).
    pub high_wage_spend: Decimal,
    /// Direct production wages at the plants counted, and their hours.
    pub wage_bill: Decimal,
    pub hours: Decimal,
    /// Credits claimed, as shares of net cost (0.10 = 10 points).
    pub technology_credit: Decimal,
    pub assembly_credit: Decimal,
}

/// The producer's steel and aluminum purchases (Art. 6).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metals {
    pub steel: Decimal,
    pub steel_north_american: Decimal,
    pub aluminum: Decimal,
    pub aluminum_north_american: Decimal,
}

/// A checked bill of materials.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bom {
    pub name: String,
    pub class: VehicleClass,
    /// Where the vehicle is assembled (US, CA or MX).
    pub assembly: Region,
    pub hts: Option<String>,
    pub net_cost: Decimal,
    pub transaction_value: Decimal,
    pub other_costs: Decimal,
    pub partial: bool,
    pub note: Option<String>,
    pub labour: Option<Labour>,
    pub metals: Option<Metals>,
    pub components: Vec<Component>,
}

/// A number written as an integer, a float or a string, read as the decimal it spells.
fn number<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum N {
        I(i64),
        F(f64),
        S(String),
    }
    match N::deserialize(d)? {
        N::I(i) => Ok(Decimal::from(i)),
        N::F(f) => crate::rules::decimal_of(f)
            .ok_or_else(|| serde::de::Error::custom(format!("{f} is not a number"))),
        N::S(s) => s
            .trim()
            .replace('_', "")
            .parse()
            .map_err(|_| serde::de::Error::custom(format!("{s:?} is not a number"))),
    }
}

fn zero() -> Decimal {
    Decimal::ZERO
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BomSpec {
    name: String,
    class: VehicleClass,
    assembly: String,
    #[serde(default)]
    hts: Option<String>,
    #[serde(deserialize_with = "number")]
    net_cost: Decimal,
    #[serde(deserialize_with = "number")]
    transaction_value: Decimal,
    #[serde(default = "zero", deserialize_with = "number")]
    other_costs: Decimal,
    #[serde(default)]
    partial: bool,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    components_csv: Option<String>,
    #[serde(default)]
    labour: Option<LabourSpec>,
    #[serde(default)]
    metals: Option<MetalsSpec>,
    #[serde(default, rename = "component")]
    components: Vec<ComponentSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LabourSpec {
    #[serde(deserialize_with = "number")]
    high_wage_spend: Decimal,
    #[serde(deserialize_with = "number")]
    wage_bill: Decimal,
    #[serde(deserialize_with = "number")]
    hours: Decimal,
    #[serde(default = "zero", deserialize_with = "number")]
    technology_credit: Decimal,
    #[serde(default = "zero", deserialize_with = "number")]
    assembly_credit: Decimal,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MetalsSpec {
    #[serde(deserialize_with = "number")]
    steel: Decimal,
    #[serde(deserialize_with = "number")]
    steel_north_american: Decimal,
    #[serde(deserialize_with = "number")]
    aluminum: Decimal,
    #[serde(deserialize_with = "number")]
    aluminum_north_american: Decimal,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ComponentSpec {
    hs: String,
    #[serde(deserialize_with = "number")]
    value: Decimal,
    origin: String,
    originating: bool,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default, deserialize_with = "optional_number")]
    rvc: Option<Decimal>,
    #[serde(default)]
    rvc_method: Option<String>,
}

/// An optional number, written as [`number`] reads it.
fn optional_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    number(d).map(Some)
}

/// A bill of materials as read, before its components are checked: the CSV it names (if any)
/// is still to be read by the caller, who knows where files are.
pub struct BomDraft {
    spec: BomSpec,
    /// The `components_csv` path as written (relative to the TOML file).
    pub components_csv: Option<String>,
}

impl BomDraft {
    /// Reads a bill of materials' TOML text; `at` names it in messages.
    pub fn parse(text: &str, at: &str) -> Result<BomDraft, RooError> {
        let spec: BomSpec = toml::from_str(text).map_err(|e| RooError::Bom {
            at: at.to_string(),
            why: e.to_string().trim().replace('\n', " "),
        })?;
        Ok(BomDraft {
            components_csv: spec.components_csv.clone(),
            spec,
        })
    }

    /// Adds the components of a CSV text (`hs,value,origin,originating,category,description`),
    /// numbered after those written inline.
    pub fn add_csv(&mut self, text: &str, at: &str) -> Result<(), RooError> {
        let mut r = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        for (i, row) in r.deserialize::<CsvRow>().enumerate() {
            let row = row.map_err(|e| RooError::Bom {
                at: format!("{at}: row {}", i + 2),
                why: e.to_string(),
            })?;
            let rvc = match row.rvc.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(t) => Some(t.replace('_', "").parse().map_err(|_| RooError::Bom {
                    at: format!("{at}: row {}", i + 2),
                    why: format!("rvc {t:?} is not a number"),
                })?),
            };
            let value = row
                .value
                .replace('_', "")
                .parse()
                .map_err(|_| RooError::Bom {
                    at: format!("{at}: row {}", i + 2),
                    why: format!("value {:?} is not a number", row.value),
                })?;
            let originating = match row.originating.to_ascii_lowercase().as_str() {
                "true" | "yes" | "1" => true,
                "false" | "no" | "0" => false,
                other => {
                    return Err(RooError::Bom {
                        at: format!("{at}: row {}", i + 2),
                        why: format!("originating {other:?} is not true or false"),
                    })
                }
            };
            self.spec.components.push(ComponentSpec {
                hs: row.hs,
                value,
                origin: row.origin,
                originating,
                category: row.category,
                description: row.description.filter(|d| !d.is_empty()),
                rvc,
                rvc_method: row.rvc_method.filter(|m| !m.trim().is_empty()),
            });
        }
        Ok(())
    }

    /// Checks every value and the sum against the net cost (within `tolerance`, a share of
    /// net cost).
    pub fn check(self, tolerance: Decimal) -> Result<Bom, RooError> {
        let s = self.spec;
        let field = |field: &str, why: String| RooError::Field {
            field: field.to_string(),
            why,
        };
        let non_negative = |name: &str, v: Decimal| {
            if v.is_sign_negative() && !v.is_zero() {
                Err(field(name, format!("{v} is negative")))
            } else {
                Ok(v)
            }
        };
        let assembly = Region::parse(&s.assembly)
            .filter(|r| *r != Region::Other)
            .ok_or_else(|| field("assembly", format!("{:?} is not US, CA or MX", s.assembly)))?;
        if s.net_cost <= Decimal::ZERO {
            return Err(field("net_cost", format!("{} is not positive", s.net_cost)));
        }
        if s.transaction_value <= Decimal::ZERO {
            return Err(field(
                "transaction_value",
                format!("{} is not positive", s.transaction_value),
            ));
        }
        non_negative("other_costs", s.other_costs)?;
        let labour = match s.labour {
            Some(l) => Some(Labour {
                high_wage_spend: non_negative("labour.high_wage_spend", l.high_wage_spend)?,
                wage_bill: non_negative("labour.wage_bill", l.wage_bill)?,
                hours: non_negative("labour.hours", l.hours)?,
                technology_credit: non_negative("labour.technology_credit", l.technology_credit)?,
                assembly_credit: non_negative("labour.assembly_credit", l.assembly_credit)?,
            }),
            None => None,
        };
        let metals = match s.metals {
            Some(m) => {
                let steel = non_negative("metals.steel", m.steel)?;
                let steel_na = non_negative("metals.steel_north_american", m.steel_north_american)?;
                let aluminum = non_negative("metals.aluminum", m.aluminum)?;
                let aluminum_na =
                    non_negative("metals.aluminum_north_american", m.aluminum_north_american)?;
                if steel_na > steel {
                    return Err(field(
                        "metals.steel_north_american",
                        format!("{steel_na} is more than the steel purchases {steel}"),
                    ));
                }
                if aluminum_na > aluminum {
                    return Err(field(
                        "metals.aluminum_north_american",
                        format!("{aluminum_na} is more than the aluminum purchases {aluminum}"),
                    ));
                }
                Some(Metals {
                    steel,
                    steel_north_american: steel_na,
                    aluminum,
                    aluminum_north_american: aluminum_na,
                })
            }
            None => None,
        };
        let mut components = Vec::with_capacity(s.components.len());
        let mut listed = Decimal::ZERO;
        let mut first_over: Option<(usize, String)> = None;
        for (i, c) in s.components.into_iter().enumerate() {
            let index = i + 1;
            let bad = |why: String| RooError::Component {
                index,
                hs: c.hs.clone(),
                why,
            };
            let digits: String = c.hs.chars().filter(|ch| *ch != '.').collect();
            if !(4..=10).contains(&digits.len()) || !digits.chars().all(|ch| ch.is_ascii_digit()) {
                return Err(bad(format!("HS code {:?} is not 4 to 10 digits", c.hs)));
            }
            if c.value.is_sign_negative() && !c.value.is_zero() {
                return Err(bad(format!("value {} is negative", c.value)));
            }
            let origin = Region::parse(&c.origin).ok_or_else(|| {
                bad(format!(
                    "origin {:?} is not a known region (US, CA, MX or other)",
                    c.origin
                ))
            })?;
            if origin == Region::Other && c.originating {
                return Err(bad(
                    "a component produced outside the territories of the Parties cannot be \
                     originating"
                        .to_string(),
                ));
            }
            let category = match &c.category {
                Some(k) => Category::parse(k).ok_or_else(|| {
                    bad(format!(
                        "category {k:?} is not core, principal, complementary or other"
                    ))
                })?,
                None => Category::Other,
            };
            let rvc = match (c.rvc, &c.rvc_method) {
                (None, None) => None,
                (None, Some(_)) => {
                    return Err(bad("rvc_method is given without an rvc".to_string()));
                }
                (Some(v), m) => {
                    if category != Category::Core {
                        return Err(bad(
                            "rvc is read only for core parts (category = \"core\", Table A.2); \
                             other parts are taken as their originating flag says"
                                .to_string(),
                        ));
                    }
                    if v.is_sign_negative() || v > Decimal::ONE {
                        return Err(bad(format!(
                            "rvc {v} is not a share between 0 and 1 (0.81 = 81%)"
                        )));
                    }
                    let method = match m {
                        None => RvcMethod::NetCost,
                        Some(m) => RvcMethod::parse(m).ok_or_else(|| {
                            bad(format!(
                                "rvc_method {m:?} is not net_cost or transaction_value"
                            ))
                        })?,
                    };
                    if origin == Region::Other && v > Decimal::ZERO {
                        return Err(bad(
                            "a part produced outside the territories of the Parties has no \
                             regional value content"
                                .to_string(),
                        ));
                    }
                    Some(PartRvc { value: v, method })
                }
            };
            listed += c.value;
            if first_over.is_none()
                && listed + s.other_costs > s.net_cost * (Decimal::ONE + tolerance)
            {
                first_over = Some((index, c.hs.clone()));
            }
            components.push(Component {
                hs: c.hs,
                value: c.value,
                origin,
                originating: c.originating,
                category,
                description: c.description,
                rvc,
            });
        }
        let sum = listed + s.other_costs;
        let slack = s.net_cost * tolerance;
        let over = sum > s.net_cost + slack;
        let short = sum < s.net_cost - slack;
        if over || (short && !s.partial) {
            let detail = match (&first_over, over) {
                (Some((i, hs)), true) => format!(
                    "; the running sum first exceeds the net cost at component {i} (HS {hs})"
                ),
                _ => format!(
                    "; {} short: list the missing components or mark the bill `partial = true`",
                    s.net_cost - sum
                ),
            };
            return Err(RooError::DoesNotAddUp {
                listed,
                other: s.other_costs,
                sum,
                net_cost: s.net_cost,
                tolerance,
                detail,
            });
        }
        Ok(Bom {
            name: s.name,
            class: s.class,
            assembly,
            hts: s.hts,
            net_cost: s.net_cost,
            transaction_value: s.transaction_value,
            other_costs: s.other_costs,
            partial: s.partial,
            note: s.note,
            labour,
            metals,
            components,
        })
    }
}

#[derive(Deserialize)]
struct CsvRow {
    hs: String,
    value: String,
    origin: String,
    originating: String,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    rvc: Option<String>,
    #[serde(default)]
    rvc_method: Option<String>,
}
