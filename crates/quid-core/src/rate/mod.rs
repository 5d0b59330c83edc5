//! Tariff rate expressions, as the US HTS and the Canadian Customs Tariff write them.
//!
//! A rate text parses into a [`RateExpr`]: `Free`, a sum of ad valorem and specific terms
//! (`2.4¢/kg + 5%`, `$1.035/kg`, `38.5¢/kg + 10.2%`), a term with a floor (`238 % but not less
//! than 30.8 ¢ each`), a graduated sugar rate, or a rule that points elsewhere (`The duty provided
//! in the applicable subheading + 25%`, `No change`). Special-programme columns such as
//! `Free (A+,AU,BH,CL,CO,D,E,IL,JO,KR,MA,OM,P,PA,PE,S,SG)` parse into [`SpecialRates`].
//!
//! Evaluation ([`RateExpr::duty`]) takes the customs value and, for specific terms, the quantity;
//! it converts units where the schedule's unit differs, and reports what is missing otherwise.
//!
//! ```
//! use quid_core::rate::{RateExpr, EvalInput};
//! use quid_core::{Quantity, Unit};
//! use rust_decimal::Decimal;
//! let r: RateExpr = "0.4¢/kg + 20%".parse().unwrap();
//! let input = EvalInput::new(Decimal::from(1000)).with_quantity(Quantity::new(Decimal::from(2), Unit::T));
//! assert_eq!(r.duty(&input).unwrap(), Decimal::new(208, 0)); // 2000 kg x $0.004 + 20% x 1000
//! ```

mod eval;
mod parse;
mod special;

pub use eval::{EvalError, EvalInput};
pub use parse::RateParseError;
pub use special::{Program, SpecialRates};

use crate::Unit;
use rust_decimal::Decimal;
use std::fmt;
use std::str::FromStr;

/// A parsed rate of duty.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RateExpr {
    /// Duty free, possibly on a condition ("Free, under bond, ...").
    Free {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        condition: Option<String>,
    },
    /// A sum of terms, optionally bounded below or above by another sum.
    Formula {
        terms: Vec<Term>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        floor: Option<Vec<Term>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ceiling: Option<Vec<Term>>,
    },
    /// A rule that refers elsewhere, plus any terms added to it.
    Rule {
        rule: RuleRef,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        plus: Vec<Term>,
    },
}

/// One addend of a rate.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Term {
    pub kind: TermKind,
    /// What the term applies to when it is not the whole article, as the schedule says it
    /// ("the case", "drained weight", "copper content").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<String>,
}

/// The kinds of term.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TermKind {
    /// A percentage of value (33 1/3% is kept as the exact fraction's decimal).
    AdValorem { percent: Decimal },
    /// An amount of money (in the schedule's currency) per unit.
    Specific { amount: Decimal, per: Per },
    /// A sugar-style rate: `amount` per unit, less `step` per degree under `reference` degrees,
    /// never below `minimum`.
    Graduated {
        amount: Decimal,
        step: Decimal,
        reference: Decimal,
        minimum: Decimal,
        per: Per,
    },
}

/// The unit a specific term is charged per.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Per {
    /// How many units one charge covers (10¢/1,000 pins has `count` 1000).
    pub count: Decimal,
    /// The unit when quid knows it; `None` for units with no conversion (jewels, packs).
    pub unit: Option<Unit>,
    /// The unit as written.
    pub text: String,
}

/// A rate that refers to another provision.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "rule", content = "text", rename_all = "snake_case")]
pub enum RuleRef {
    /// "The duty provided in the applicable subheading": the rate of the article's own
    /// Chapter 1-97 line (Chapter 99 headings).
    ApplicableSubheading,
    /// "No change": the Chapter 99 heading leaves the rate as it is.
    NoChange,
    /// "See 9823.01.01-9823.01.07" and "See additional U.S. note 5": a pointer to another
    /// heading or note.
    See(String),
    /// Any other rule stated in words ("The rate applicable to each garment in the ensemble if
    /// separately entered"), kept verbatim.
    Text(String),
}

impl RateExpr {
    /// Parses a rate text.
    pub fn parse(text: &str) -> Result<RateExpr, RateParseError> {
        parse::parse_rate(text)
    }

    /// True when the rate can be computed from value and quantity alone.
    pub fn is_numeric(&self) -> bool {
        !matches!(self, RateExpr::Rule { .. })
    }

    /// True when the rate is free of duty.
    pub fn is_free(&self) -> bool {
        matches!(self, RateExpr::Free { .. })
    }

    /// The ad valorem percentage when the rate is a single ad valorem term (or free: 0).
    pub fn simple_percent(&self) -> Option<Decimal> {
        match self {
            RateExpr::Free { .. } => Some(Decimal::ZERO),
            RateExpr::Formula {
                terms,
                floor: None,
                ceiling: None,
            } if terms.len() == 1 && terms[0].on.is_none() => match &terms[0].kind {
                TermKind::AdValorem { percent } => Some(*percent),
                _ => None,
            },
            _ => None,
        }
    }

    /// A pure ad valorem rate.
    pub fn ad_valorem(percent: Decimal) -> RateExpr {
        if percent.is_zero() {
            return RateExpr::Free { condition: None };
        }
        RateExpr::Formula {
            terms: vec![Term {
                kind: TermKind::AdValorem { percent },
                on: None,
            }],
            floor: None,
            ceiling: None,
        }
    }

    /// The units this rate's specific terms are charged per (empty for ad valorem rates).
    pub fn quantity_units(&self) -> Vec<&Per> {
        let terms: Box<dyn Iterator<Item = &Term>> = match self {
            RateExpr::Free { .. } => Box::new(std::iter::empty()),
            RateExpr::Formula {
                terms,
                floor,
                ceiling,
            } => Box::new(
                terms
                    .iter()
                    .chain(floor.iter().flatten())
                    .chain(ceiling.iter().flatten()),
            ),
            RateExpr::Rule { plus, .. } => Box::new(plus.iter()),
        };
        terms
            .filter_map(|t| match &t.kind {
                TermKind::Specific { per, .. } | TermKind::Graduated { per, .. } => Some(per),
                TermKind::AdValorem { .. } => None,
            })
            .collect()
    }
}

impl FromStr for RateExpr {
    type Err = RateParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RateExpr::parse(s)
    }
}

fn fmt_terms(f: &mut fmt::Formatter<'_>, terms: &[Term]) -> fmt::Result {
    for (i, t) in terms.iter().enumerate() {
        if i > 0 {
            f.write_str(" + ")?;
        }
        write!(f, "{t}")?;
    }
    Ok(())
}

fn fmt_money(f: &mut fmt::Formatter<'_>, amount: Decimal) -> fmt::Result {
    if amount < Decimal::ONE {
        write!(f, "{}¢", (amount * Decimal::ONE_HUNDRED).normalize())
    } else {
        write!(f, "${}", amount.normalize())
    }
}

impl fmt::Display for Per {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.text == "each" {
            f.write_str(" each")
        } else {
            write!(f, "/{}", self.text)
        }
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            TermKind::AdValorem { percent } => {
                write!(f, "{}%", percent.round_dp(4).normalize())?;
            }
            TermKind::Specific { amount, per } => {
                fmt_money(f, *amount)?;
                write!(f, "{per}")?;
            }
            TermKind::Graduated {
                amount,
                step,
                reference,
                minimum,
                per,
            } => {
                fmt_money(f, *amount)?;
                write!(f, "{per} less ")?;
                fmt_money(f, *step)?;
                write!(
                    f,
                    "{per} for each degree under {} degrees but not less than ",
                    reference.normalize()
                )?;
                fmt_money(f, *minimum)?;
                write!(f, "{per}")?;
            }
        }
        if let Some(on) = &self.on {
            write!(f, " on {on}")?;
        }
        Ok(())
    }
}

impl fmt::Display for RateExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RateExpr::Free { condition: None } => f.write_str("Free"),
            RateExpr::Free { condition: Some(c) } => write!(f, "Free, {c}"),
            RateExpr::Formula {
                terms,
                floor,
                ceiling,
            } => {
                fmt_terms(f, terms)?;
                if let Some(fl) = floor {
                    f.write_str(" but not less than ")?;
                    fmt_terms(f, fl)?;
                }
                if let Some(c) = ceiling {
                    f.write_str(" but not more than ")?;
                    fmt_terms(f, c)?;
                }
                Ok(())
            }
            RateExpr::Rule { rule, plus } => {
                match rule {
                    RuleRef::ApplicableSubheading => {
                        f.write_str("The duty provided in the applicable subheading")?
                    }
                    RuleRef::NoChange => f.write_str("No change")?,
                    RuleRef::See(t) => write!(f, "See {t}")?,
                    RuleRef::Text(t) => f.write_str(t)?,
                }
                for t in plus {
                    write!(f, " + {t}")?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests;
