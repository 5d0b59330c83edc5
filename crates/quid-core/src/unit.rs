//! Units of quantity used by tariff schedules, and conversion between them where the schedule's
//! unit differs from the declared one (kg, g and t; liters and barrels; each, dozens, gross and
//! thousands).
//!
//! ```
//! use quid_core::{Quantity, Unit};
//! use rust_decimal::Decimal;
//! let q = Quantity::new(Decimal::from(2), Unit::T);
//! assert_eq!(q.convert(Unit::Kg).unwrap().amount, Decimal::from(2000));
//! assert!(q.convert(Unit::Liter).is_none());
//! ```

use rust_decimal::Decimal;
use std::fmt;
use std::str::FromStr;

/// A unit of quantity.
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
pub enum Unit {
    Kg,
    G,
    /// Metric ton (1,000 kg).
    T,
    Liter,
    /// Proof liter: liters of alcohol at 100 proof; needs the strength to convert.
    ProofLiter,
    /// Barrel of 42 US gallons.
    Barrel,
    /// Number of articles ("No.", "each", "head", "article").
    Each,
    Dozen,
    Pair,
    DozenPairs,
    Gross,
    Thousand,
    M2,
    M3,
    /// Kilograms of clean yield (wool).
    CleanKg,
}

impl Unit {
    /// Recognises a unit as schedules and users write it.
    pub fn parse(text: &str) -> Option<Unit> {
        // The common spellings, without allocating.
        match text {
            "kg" => return Some(Unit::Kg),
            "each" | "no" | "No." | "No" => return Some(Unit::Each),
            "liter" | "liters" | "l" => return Some(Unit::Liter),
            "t" => return Some(Unit::T),
            "g" => return Some(Unit::G),
            "doz" | "doz." => return Some(Unit::Dozen),
            "m2" => return Some(Unit::M2),
            _ => {}
        }
        let t: String = text
            .trim()
            .trim_end_matches('.')
            .to_ascii_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        Some(match t.as_str() {
            "kg" | "kilogram" | "kilograms" | "kgs" => Unit::Kg,
            "g" | "gram" | "grams" | "gm" => Unit::G,
            "t" | "ton" | "tonne" | "tonnes" | "mt" => Unit::T,
            "l" | "liter" | "liters" | "litre" | "litres" => Unit::Liter,
            "pf.liter" | "pfliter" | "pf.liters" | "proofliter" | "proofliters" | "pf.l" => {
                Unit::ProofLiter
            }
            "bbl" | "barrel" | "barrels" => Unit::Barrel,
            "no" | "each" | "head" | "article" | "pcs" | "pieces" | "unit" | "units" | "ea"
            | "number" => Unit::Each,
            "doz" | "dozen" => Unit::Dozen,
            "pr" | "pair" | "pairs" | "prs" => Unit::Pair,
            "dozpr" | "doz.pr" | "dozenpairs" => Unit::DozenPairs,
            "gross" => Unit::Gross,
            "thousand" | "thou" | "1000" | "1,000" => Unit::Thousand,
            "m2" | "m²" | "sqm" => Unit::M2,
            "m3" | "m³" | "cbm" => Unit::M3,
            "cleankg" => Unit::CleanKg,
            _ => return None,
        })
    }

    /// How this unit is written in reports.
    pub fn symbol(&self) -> &'static str {
        match self {
            Unit::Kg => "kg",
            Unit::G => "g",
            Unit::T => "t",
            Unit::Liter => "liter",
            Unit::ProofLiter => "pf.liter",
            Unit::Barrel => "bbl",
            Unit::Each => "each",
            Unit::Dozen => "doz",
            Unit::Pair => "pr",
            Unit::DozenPairs => "doz.pr",
            Unit::Gross => "gross",
            Unit::Thousand => "thousand",
            Unit::M2 => "m2",
            Unit::M3 => "m3",
            Unit::CleanKg => "clean kg",
        }
    }

    /// The base unit of this unit's dimension and the factor to it, when there is one.
    fn to_base(self) -> (Unit, Decimal) {
        match self {
            Unit::G => (Unit::Kg, Decimal::new(1, 3)),
            Unit::T => (Unit::Kg, Decimal::from(1000)),
            // 42 US gallons x 3.785411784 liters.
            Unit::Barrel => (Unit::Liter, Decimal::new(158_987_294_928, 9)),
            Unit::Dozen => (Unit::Each, Decimal::from(12)),
            Unit::Gross => (Unit::Each, Decimal::from(144)),
            Unit::Thousand => (Unit::Each, Decimal::from(1000)),
            Unit::DozenPairs => (Unit::Pair, Decimal::from(12)),
            u => (u, Decimal::ONE),
        }
    }
}

impl FromStr for Unit {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Unit::parse(s).ok_or_else(|| {
            format!("unknown unit {s:?}; expected one of kg, g, t, liter, pf.liter, bbl, each, doz, pr, gross, thousand, m2, m3")
        })
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

/// An amount of something in a unit.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Quantity {
    #[serde(serialize_with = "crate::schema::decimal")]
    #[schemars(with = "crate::schema::DecimalNumber")]
    pub amount: Decimal,
    pub unit: Unit,
}

impl Quantity {
    pub fn new(amount: Decimal, unit: Unit) -> Quantity {
        Quantity { amount, unit }
    }

    /// The same quantity in `unit`, or `None` when the two units measure different things.
    pub fn convert(&self, unit: Unit) -> Option<Quantity> {
        if unit == self.unit {
            return Some(*self);
        }
        let (base_from, f_from) = self.unit.to_base();
        let (base_to, f_to) = unit.to_base();
        if base_from != base_to {
            return None;
        }
        let amount = self.amount.checked_mul(f_from)?.checked_div(f_to)?;
        Some(Quantity::new(amount, unit))
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount.normalize(), self.unit)
    }
}
