//! Evaluating a rate on a customs value and a quantity, and its ad valorem equivalent.
//!
//! A floor is a maximum of two sums, a rule cannot be evaluated until it is resolved, and a
//! specific rate's ad valorem equivalent is its duty on one unit over that unit's value:
//!
//! ```
//! use quid_core::rate::{EvalError, EvalInput, RateExpr};
//! use quid_core::{Quantity, Unit};
//! use rust_decimal::Decimal;
//!
//! // Ten articles worth $1.00 in all: 238% of $1.00 is $2.38, the floor 10 x 30.8¢ is $3.08.
//! let r: RateExpr = "238% but not less than 30.8¢ each".parse().unwrap();
//! let ten = EvalInput::new(Decimal::ONE).with_quantity(Quantity::new(Decimal::from(10), Unit::Each));
//! assert_eq!(r.duty(&ten), Ok(Decimal::new(308, 2)));
//! // Without the quantity the floor cannot be worked out.
//! assert_eq!(r.duty(&EvalInput::new(Decimal::ONE)), Err(EvalError::NeedsQuantity("each".into())));
//!
//! // A Chapter 99 rule needs the article's own rate first.
//! let rule: RateExpr = "The duty provided in the applicable subheading + 25%".parse().unwrap();
//! assert_eq!(
//!     rule.duty(&EvalInput::new(Decimal::from(100))),
//!     Err(EvalError::Rule("the applicable subheading".into()))
//! );
//!
//! // 2.4¢/kg on goods worth 60¢/kg: 0.024 / 0.60 = 4% ad valorem.
//! let specific: RateExpr = "2.4¢/kg".parse().unwrap();
//! assert_eq!(specific.ad_valorem_equivalent(Decimal::new(60, 2), Unit::Kg), Ok(Decimal::from(4)));
//! ```

use super::{RateExpr, RuleRef, Term, TermKind};
use crate::{Quantity, Unit};
use rust_decimal::Decimal;

/// What a rate is evaluated on. Amounts are in the schedule's currency (USD for the HTS, CAD for
/// the Canadian Customs Tariff).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EvalInput {
    /// The customs value (US) or value for duty (Canada).
    pub value: Decimal,
    /// The declared quantity, when a specific term needs one.
    pub quantity: Option<Quantity>,
    /// Polarization degrees, for graduated sugar rates.
    pub degrees: Option<Decimal>,
}

impl EvalInput {
    pub fn new(value: Decimal) -> EvalInput {
        EvalInput {
            value,
            quantity: None,
            degrees: None,
        }
    }

    pub fn with_quantity(mut self, q: Quantity) -> EvalInput {
        self.quantity = Some(q);
        self
    }

    pub fn with_optional_quantity(mut self, q: Option<Quantity>) -> EvalInput {
        self.quantity = q;
        self
    }
}

/// Why a rate cannot be computed for an input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    #[error("the rate is charged per {0}; give the quantity in {0} (or a convertible unit)")]
    NeedsQuantity(String),
    #[error(
        "the rate is charged per {want}, but the quantity is in {have}, which does not convert"
    )]
    UnitMismatch { have: Unit, want: String },
    #[error("the rate is charged per {0}, a unit quid cannot convert to; evaluate it by hand")]
    UnknownUnit(String),
    #[error("part of the rate applies to {0}; that part's value is needed")]
    NeedsPartValue(String),
    #[error("part of the rate is charged per unit of {0}; that content's quantity is needed")]
    NeedsContentQuantity(String),
    #[error("a graduated rate needs the degrees of polarization")]
    NeedsDegrees,
    #[error("the rate refers to another provision ({0}); resolve it first")]
    Rule(String),
    #[error("arithmetic overflow")]
    Overflow,
}

impl RateExpr {
    /// The duty this rate charges on `input`, exact (not rounded).
    #[inline]
    pub fn duty(&self, input: &EvalInput) -> Result<Decimal, EvalError> {
        match self {
            RateExpr::Free { .. } => Ok(Decimal::ZERO),
            RateExpr::Formula {
                terms,
                floor,
                ceiling,
            } => {
                let mut d = sum_terms(terms, input)?;
                if let Some(f) = floor {
                    d = d.max(sum_terms(f, input)?);
                }
                if let Some(c) = ceiling {
                    d = d.min(sum_terms(c, input)?);
                }
                Ok(d)
            }
            RateExpr::Rule { rule, .. } => Err(EvalError::Rule(match rule {
                RuleRef::ApplicableSubheading => "the applicable subheading".to_string(),
                RuleRef::NoChange => "no change".to_string(),
                RuleRef::See(t) | RuleRef::Text(t) => t.clone(),
            })),
        }
    }

    /// The ad valorem equivalent, in percent, at a unit value (value per one `unit`).
    pub fn ad_valorem_equivalent(
        &self,
        unit_value: Decimal,
        unit: Unit,
    ) -> Result<Decimal, EvalError> {
        if unit_value.is_zero() {
            return Err(EvalError::Overflow);
        }
        let input = EvalInput::new(unit_value).with_quantity(Quantity::new(Decimal::ONE, unit));
        let d = self.duty(&input)?;
        d.checked_mul(Decimal::ONE_HUNDRED)
            .and_then(|x| x.checked_div(unit_value))
            .ok_or(EvalError::Overflow)
    }
}

/// Divides by 100 exactly by moving the decimal point (no division), when the scale allows.
fn div100(d: Decimal) -> Decimal {
    let scale = d.scale();
    if scale + 2 <= 28 {
        Decimal::from_i128_with_scale(d.mantissa(), scale + 2)
    } else {
        d / Decimal::ONE_HUNDRED
    }
}

fn sum_terms(terms: &[Term], input: &EvalInput) -> Result<Decimal, EvalError> {
    // The common case, one term (a single percentage), without the running sum.
    if let [one] = terms {
        return term_duty(one, input);
    }
    let mut total = Decimal::ZERO;
    for t in terms {
        total = total
            .checked_add(term_duty(t, input)?)
            .ok_or(EvalError::Overflow)?;
    }
    Ok(total)
}

fn is_full_value(on: &str) -> bool {
    let l = on.to_ascii_lowercase();
    l.contains("full value") || l == "the value" || l == "value"
}

fn quantity_in(per: &super::Per, input: &EvalInput) -> Result<Decimal, EvalError> {
    let unit = per
        .unit
        .ok_or_else(|| EvalError::UnknownUnit(per.text.clone()))?;
    let q = input
        .quantity
        .ok_or_else(|| EvalError::NeedsQuantity(per.text.clone()))?;
    let converted = q.convert(unit).ok_or(EvalError::UnitMismatch {
        have: q.unit,
        want: per.text.clone(),
    })?;
    converted
        .amount
        .checked_div(per.count)
        .ok_or(EvalError::Overflow)
}

fn term_duty(t: &Term, input: &EvalInput) -> Result<Decimal, EvalError> {
    match &t.kind {
        TermKind::AdValorem { percent } => {
            if let Some(on) = &t.on {
                if !is_full_value(on) {
                    return Err(EvalError::NeedsPartValue(on.clone()));
                }
            }
            crate::money::mul(input.value, *percent)
                .map(div100)
                .ok_or(EvalError::Overflow)
        }
        TermKind::Specific { amount, per } => {
            if let Some(on) = &t.on {
                if on.to_ascii_lowercase().contains("content")
                    && !on.to_ascii_lowercase().contains("contents")
                {
                    return Err(EvalError::NeedsContentQuantity(on.clone()));
                }
            }
            let q = quantity_in(per, input)?;
            crate::money::mul(*amount, q).ok_or(EvalError::Overflow)
        }
        TermKind::Graduated {
            amount,
            step,
            reference,
            minimum,
            per,
        } => {
            let deg = input.degrees.ok_or(EvalError::NeedsDegrees)?;
            let under = (*reference - deg).max(Decimal::ZERO);
            let per_unit = (*amount - *step * under).max(*minimum);
            let q = quantity_in(per, input)?;
            per_unit.checked_mul(q).ok_or(EvalError::Overflow)
        }
    }
}
