//! The rate of one tariff line on one date, by authority: a nominal entry of one million in the
//! importer's currency assessed through the engine, each layer's amount divided by the value.
//!
//! Base rates that value alone cannot compute (specific terms such as cents per kg need a unit
//! value that trade data by value does not carry; some rates apply to a part of the article or
//! refer to another heading): for those lines the base rate is reported unknown
//! ([`RateRow::base_known`] false) and counts as zero, and the additional layers are still
//! computed.

use crate::authority::authority_index;
use arrayvec::ArrayVec;
use quid_core::{Country, Date, HsCode};
use quid_engine::{
    AssessError, BaseRate, BaseRateError, Entry, Law, MetalShare, Policy, Reference,
};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// Nominal value of the entry a rate is read from.
const NOMINAL: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

/// A line's rates (as fractions of value) by authority index, and their total.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RateRow {
    pub total: f64,
    pub parts: ArrayVec<(u8, f64), 8>,
    pub base_known: bool,
}

impl RateRow {
    /// The rate of one authority (0 when absent).
    pub fn get(&self, authority: u8) -> f64 {
        self.parts
            .iter()
            .filter(|(a, _)| *a == authority)
            .map(|(_, r)| r)
            .sum()
    }
}

/// A reference that keeps only base rates computable from value alone.
pub(crate) struct AdValoremOnly<'a>(pub(crate) &'a dyn Reference);

impl Reference for AdValoremOnly<'_> {
    fn base_rate(&self, entry: &Entry) -> Result<BaseRate<'_>, BaseRateError> {
        let mut b = self.0.base_rate(entry)?;
        let by_value_alone = |r: &quid_core::rate::RateExpr| {
            r.duty(&quid_core::rate::EvalInput::new(NOMINAL)).is_ok()
        };
        if b.rate.is_some_and(|r| !by_value_alone(r)) {
            b.rate = None;
        }
        Ok(b)
    }
    fn metal_share(&self, hs: &HsCode) -> Option<MetalShare> {
        self.0.metal_share(hs)
    }
    fn law(&self) -> &Law {
        self.0.law()
    }
}

fn to_f64(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// The rates of a line for goods of `partner` on `date`, with or without a preference claim.
pub fn line_rates(
    policy: &Policy,
    reference: &dyn Reference,
    importer: Country,
    partner: Country,
    hs: HsCode,
    date: Date,
    claim: bool,
) -> Result<RateRow, AssessError> {
    let mut e = Entry::new(importer, partner, hs, date, NOMINAL);
    e.preference_claim = claim;
    let r = AdValoremOnly(reference);
    policy.assess_with(&e, &r, |a| {
        let mut row = RateRow {
            base_known: a.base.is_some(),
            ..RateRow::default()
        };
        let mut add = |auth: u8, amount: Decimal| {
            if amount.is_zero() {
                return;
            }
            let rate = to_f64(amount) / 1_000_000.0;
            row.total += rate;
            match row.parts.iter_mut().find(|(x, _)| *x == auth) {
                Some((_, v)) => *v += rate,
                None => {
                    let _ = row.parts.try_push((auth, rate));
                }
            }
        };
        if let Some(b) = &a.base {
            add(0, b.amount);
        }
        for l in &a.layers {
            add(authority_index(l.authority().as_str()), l.amount);
        }
        row
    })
}
