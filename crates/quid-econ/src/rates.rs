//! The rate of one tariff line on one date, by authority: a nominal entry of one million in the
//! importer's currency assessed through the engine, each layer's amount divided by the value.
//!
//! Base rates that value alone cannot compute (specific terms such as cents per kg need a unit
//! value that trade data by value does not carry; some rates apply to a part of the article or
//! refer to another heading): for those lines the base rate is reported unknown
//! ([`RateRow::base_known`] false) and counts as zero, and the additional layers are still
//! computed.
//!
//! An example with a policy of two measures and a schedule standing in for the real ones (the
//! [`Reference`] an engine is given):
//!
//! ```
//! use quid_core::rate::RateExpr;
//! use quid_core::{parse_date, Citation, Country, HsCode};
//! use quid_engine::measure::{Base, Claim, Conditions, MeasureFile, MeasureRecord, Scope, Status};
//! use quid_engine::{BaseBasis, BaseRate, Entry, MetalShare, Policy, Reference};
//! use rust_decimal::Decimal;
//!
//! // Two US measures on goods of Canada, with no stacking rule between them: IEEPA 25% on
//! // every product unless USMCA is claimed, from 2025-03-04; Section 232 50% on the steel
//! // content of chapter 72, from 2025-06-04.
//! let measure = |id: &str, authority: &str, rate: &str, base, from, include: &str, claim| {
//!     MeasureRecord {
//!         id: id.into(),
//!         family: None,
//!         title: id.into(),
//!         importer: Country::US,
//!         origins: vec!["CA".into()],
//!         except_origins: vec![],
//!         authority: authority.parse().unwrap(),
//!         heading: "9903".into(),
//!         instrument: "an example".into(),
//!         status: Status::InForce,
//!         confidence: quid_core::Confidence::H,
//!         from: parse_date(from).unwrap(),
//!         until: None,
//!         rate: rate.into(),
//!         base,
//!         min_effective_percent: None,
//!         scope: Scope { include: vec![include.into()], ..Scope::default() },
//!         conditions: Conditions { preference_claim: claim, ..Conditions::default() },
//!         rate_to_total: false,
//!         declared: None,
//!         struck_down: None,
//!         citations: vec![Citation {
//!             kind: None,
//!             title: "an example".into(),
//!             url: None,
//!             date: None,
//!             pinpoint: None,
//!         }],
//!         notes: None,
//!     }
//! };
//! let file = MeasureFile {
//!     measure: vec![
//!         measure("US-IEEPA-CA-1", "ieepa-ca", "25%", Base::FullValue, "2025-03-04", "*",
//!                 Claim::Absent),
//!         measure("US-S232-STEEL", "s232-steel", "50%", Base::SteelContent, "2025-06-04", "72",
//!                 Claim::Any),
//!     ],
//!     rule: vec![],
//!     gap: vec![],
//! };
//! let no_lists = |name: &str| Err(format!("no list {name}"));
//! let policy = Policy::compile(&[("example.toml".into(), file)], &no_lists, false).unwrap();
//!
//! // The schedule: 2% MFN (2.4¢/kg in chapter 4), free under a USMCA claim; the goods of
//! // chapter 72 are all steel.
//! struct Schedule {
//!     mfn: RateExpr,
//!     per_kg: RateExpr,
//!     free: RateExpr,
//! }
//! impl Reference for Schedule {
//!     fn base_rate(&self, e: &Entry) -> Result<BaseRate<'_>, quid_engine::BaseRateError> {
//!         let (rate, authority) = match (e.preference_claim, e.hs.chapter()) {
//!             (true, _) => (&self.free, quid_engine::Authority::USMCA),
//!             (false, 4) => (&self.per_kg, quid_engine::Authority::MFN),
//!             (false, _) => (&self.mfn, quid_engine::Authority::MFN),
//!         };
//!         let basis = BaseBasis::Schedule {
//!             column: "column 1",
//!             edition: "an example",
//!             stated_on: e.hs,
//!             stand_in: false,
//!         };
//!         Ok(BaseRate { rate: Some(rate), authority, line: e.hs, text: "", basis, citation: None })
//!     }
//!     fn metal_share(&self, hs: &HsCode) -> Option<MetalShare> {
//!         let steel = MetalShare { steel: Decimal::ONE, ..MetalShare::default() };
//!         (hs.chapter() == 72).then_some(steel)
//!     }
//!     fn law(&self) -> &quid_engine::Law {
//!         static LAW: std::sync::OnceLock<quid_engine::Law> = std::sync::OnceLock::new();
//!         LAW.get_or_init(|| toml::from_str(include_str!("../../../data/params/law.toml")).unwrap())
//!     }
//! }
//! let schedule = Schedule {
//!     mfn: "2%".parse().unwrap(),
//!     per_kg: "2.4¢/kg".parse().unwrap(),
//!     free: "Free".parse().unwrap(),
//! };
//!
//! use quid_econ::{authority_index, line_rates};
//! let (us, ca, date) = (Country::US, Country::CA, parse_date("2025-06-04").unwrap());
//! let steel: HsCode = "7208.10.15.00".parse().unwrap();
//!
//! // No claim: 2% base, 25% IEEPA and 50% on the steel content (all of the value).
//! let row = line_rates(&policy, &schedule, us, ca, steel, date, false).unwrap();
//! assert_eq!(row.get(0), 0.02);
//! assert_eq!(row.get(authority_index("ieepa-ca")), 0.25);
//! assert_eq!(row.get(authority_index("s232-steel")), 0.5);
//! assert_eq!(row.total, 0.77);
//!
//! // A USMCA claim: the base is free and IEEPA does not apply; the 232 duty stays.
//! let claimed = line_rates(&policy, &schedule, us, ca, steel, date, true).unwrap();
//! assert_eq!(claimed.parts.as_slice(), &[(authority_index("s232-steel"), 0.5)]);
//!
//! // Cheese's 2.4¢/kg needs a quantity: the base is unknown and counts as zero.
//! let cheese: HsCode = "0406.10.04.00".parse().unwrap();
//! let row = line_rates(&policy, &schedule, us, ca, cheese, date, false).unwrap();
//! assert_eq!((row.base_known, row.total), (false, 0.25));
//! ```

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
    line_rates_declared(
        policy,
        reference,
        importer,
        partner,
        hs,
        date,
        claim,
        Declarations::default(),
    )
}

/// What every entry of a panel declares besides the preference claim.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Declarations {
    /// Remission under the remission rules that cover the line (see
    /// `quid_engine::measure::RuleKind::Remission`).
    pub remission: bool,
}

/// As [`line_rates`], for entries that also make `declared`'s declarations.
#[allow(clippy::too_many_arguments)]
pub fn line_rates_declared(
    policy: &Policy,
    reference: &dyn Reference,
    importer: Country,
    partner: Country,
    hs: HsCode,
    date: Date,
    claim: bool,
    declared: Declarations,
) -> Result<RateRow, AssessError> {
    let mut e = Entry::new(importer, partner, hs, date, NOMINAL);
    e.preference_claim = claim;
    e.remission = declared.remission;
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
