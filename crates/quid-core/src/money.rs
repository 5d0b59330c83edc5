//! Money: exact decimal amounts with an ISO 4217 currency, checked arithmetic and named rounding.
//!
//! Duty amounts are never floating point. Rounding happens only where a rule says so, through
//! [`Money::round_cents`] (half away from zero, the customs convention for duty lines).
//!
//! ```
//! use quid_core::{Money, Currency};
//! use rust_decimal::Decimal;
//! let a = Money::new(Decimal::new(1005, 3), Currency::USD); // 1.005
//! assert_eq!(a.round_cents().amount.to_string(), "1.01");
//! let b = Money::new(Decimal::ONE, Currency::CAD);
//! assert!(a.checked_add(&b).is_err());
//! ```

use rust_decimal::{Decimal, RoundingStrategy};
use std::fmt;
use std::str::FromStr;

/// ISO 4217 currencies quid works in.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Currency {
    USD,
    CAD,
    MXN,
}

/// Money errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("cannot combine {0} and {1} without an exchange rate")]
    CurrencyMismatch(Currency, Currency),
    #[error("arithmetic overflow")]
    Overflow,
    #[error("unknown currency {0:?}; expected USD, CAD or MXN")]
    UnknownCurrency(String),
}

impl FromStr for Currency {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_uppercase().as_str() {
            "USD" => Ok(Currency::USD),
            "CAD" => Ok(Currency::CAD),
            "MXN" => Ok(Currency::MXN),
            _ => Err(MoneyError::UnknownCurrency(s.to_string())),
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// An exact amount in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Money {
    pub amount: Decimal,
    pub currency: Currency,
}

impl Money {
    pub fn new(amount: Decimal, currency: Currency) -> Money {
        Money { amount, currency }
    }

    pub fn zero(currency: Currency) -> Money {
        Money::new(Decimal::ZERO, currency)
    }

    /// Adds two amounts of the same currency.
    pub fn checked_add(&self, other: &Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch(self.currency, other.currency));
        }
        let amount = self
            .amount
            .checked_add(other.amount)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::new(amount, self.currency))
    }

    /// Rounds to the cent, half away from zero.
    pub fn round_cents(&self) -> Money {
        Money::new(round_cents(self.amount), self.currency)
    }

    /// Converts at `rate` units of `to` per unit of `self.currency`.
    pub fn convert(&self, to: Currency, rate: Decimal) -> Result<Money, MoneyError> {
        let amount = self.amount.checked_mul(rate).ok_or(MoneyError::Overflow)?;
        Ok(Money::new(amount, to))
    }
}

/// Rounds an amount to two decimals, half away from zero.
pub fn round_cents(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.currency, round_cents(self.amount))
    }
}
