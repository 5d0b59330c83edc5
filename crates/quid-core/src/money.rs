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

use rust_decimal::Decimal;
use std::fmt;
use std::str::FromStr;

/// ISO 4217 currencies quid works in.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
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
///
/// The same result as `round_dp_with_strategy(2, MidpointAwayFromZero)`, computed on the
/// integer mantissa (exact: a mantissa has at most 96 bits); amounts already in cents are
/// returned as they are.
#[inline]
pub fn round_cents(amount: Decimal) -> Decimal {
    let scale = amount.scale();
    if scale <= 2 {
        return amount;
    }
    let m = amount.mantissa();
    let p = 10i128.pow(scale - 2);
    let (q, r) = (m / p, m % p);
    let q = if 2 * r.abs() >= p { q + m.signum() } else { q };
    Decimal::from_i128_with_scale(q, 2)
}

/// `a × b`, exact, or `None` on overflow: the same as `a.checked_mul(b)`, computed on the
/// integer mantissas when the product fits in 96 bits (a value in cents times a rate or a
/// share, the common case), by `checked_mul` otherwise.
#[inline]
pub fn mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    let scale = a.scale() + b.scale();
    let (ma, mb) = (a.mantissa(), b.mantissa());
    if scale <= 28 && ma.unsigned_abs() < 1 << 64 && mb.unsigned_abs() < 1 << 32 {
        let p = ma * mb;
        if !(p == 0 && (ma < 0) != (mb < 0)) {
            return Some(Decimal::from_i128_with_scale(p, scale));
        }
    }
    a.checked_mul(b)
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.currency, round_cents(self.amount))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use rust_decimal::RoundingStrategy;

    /// The reference rounding, for tests of [`round_cents`].
    fn round_cents_reference(amount: Decimal) -> Decimal {
        amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    }
    use proptest::prelude::*;

    #[test]
    fn round_cents_at_midpoints_and_edges() {
        for (x, want) in [
            ("1.005", "1.01"),
            ("1.004999", "1.00"),
            ("-1.005", "-1.01"),
            ("2.5", "2.5"),
            ("0.125", "0.13"),
            ("12345678901234567890.123456789", "12345678901234567890.12"),
            ("0.0000000000000000000000000005", "0.00"),
            (
                "7922816251426433759354395033.5",
                "7922816251426433759354395033.5",
            ),
        ] {
            let x = Decimal::from_str(x).unwrap();
            assert_eq!(round_cents(x).to_string(), want, "{x}");
            assert_eq!(round_cents(x), round_cents_reference(x), "{x}");
        }
    }

    proptest! {
        #[test]
        fn mul_matches_checked_mul(
            a in (any::<u64>(), any::<u32>(), any::<bool>(), 0u32..=28),
            b in (any::<u32>(), any::<u32>(), any::<bool>(), 0u32..=28),
            small in any::<bool>(),
        ) {
            let x = Decimal::from_parts(a.0 as u32, (a.0 >> 32) as u32, if small { 0 } else { a.1 }, a.2, a.3);
            let y = Decimal::from_parts(b.0, if small { 0 } else { b.1 }, 0, b.2, b.3);
            let (got, want) = (mul(x, y), x.checked_mul(y));
            prop_assert_eq!(got, want);
            prop_assert_eq!(got.map(|d| d.to_string()), want.map(|d| d.to_string()));
        }

        #[test]
        fn round_cents_matches_the_decimal_rounding(
            lo in any::<u32>(), mid in any::<u32>(), hi in any::<u32>(),
            neg in any::<bool>(), scale in 0u32..=28,
        ) {
            let x = Decimal::from_parts(lo, mid, hi, neg, scale);
            let (got, want) = (round_cents(x), round_cents_reference(x));
            prop_assert_eq!(got, want);
            // Same value and the same text (scale included).
            prop_assert_eq!(got.to_string(), want.to_string());
        }
    }
}
