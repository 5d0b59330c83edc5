//! `assess`: the duty an entry owes, layer by layer, with the legal heading, base, rate and
//! citation of each layer, the measures considered and not applied (and why), and, for entries
//! under measures later struck down, what is owed after the ruling and what is refundable.
//!
//! Order of work: the base duty from the schedule; every measure whose importer, origin,
//! period, status, product scope and conditions match; each layer's base (full value, a
//! declared or stand-in metal content, the non-US or non-Canadian/Mexican content); then the
//! stacking rules in force on the entry date (`excludes`, then `content_split`). Each amount is
//! rounded to the cent, half away from zero.

use crate::entry::Entry;
use crate::measure::{Base, RuleKind, Status};
use crate::policy::{CompiledMeasure, Policy, Reference};
use quid_core::money::round_cents;
use quid_core::rate::EvalInput;
use quid_core::{Citation, Date};
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;

/// Why a measure considered for an entry was not applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// A stacking rule gave precedence to another measure.
    Precedence,
    /// The entry's USMCA/CUSMA claim (or its absence) takes it out.
    PreferenceClaim,
    /// Another condition (US-melted metal, transshipment) is not met.
    Condition,
    /// Announced, threatened or unverified: never collected.
    NotInForce,
    /// The product is on the measure's exclusion list.
    ProductExclusion,
    /// Nothing of the base is left (e.g. no metal content).
    ZeroBase,
}

/// One layer of duty.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Layer {
    pub measure: String,
    pub authority: String,
    pub heading: String,
    pub title: String,
    pub base_kind: Option<Base>,
    pub base: Decimal,
    pub rate: String,
    pub amount: Decimal,
    pub citations: Vec<Citation>,
    /// When the measure was later held unlawful: the ruling date.
    pub struck_down: Option<Date>,
    pub refundable: bool,
    /// How the base was found when the entry did not declare it.
    pub stand_in: Option<String>,
}

/// A measure considered and not applied.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NotApplied {
    pub measure: String,
    pub authority: String,
    pub heading: String,
    pub reason: Reason,
    pub detail: String,
    pub citations: Vec<Citation>,
}

/// The result of assessing one entry.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Assessment {
    pub entry: Entry,
    /// The base-duty layer; `None` when the base rate cannot be known from the data.
    pub base: Option<Layer>,
    pub base_rate_known: bool,
    pub layers: Vec<Layer>,
    pub not_applied: Vec<NotApplied>,
    /// Total at entry: base duty (when known) plus every layer.
    pub total: Decimal,
    /// Total owed once struck-down measures are refunded (present when any layer was struck down).
    pub owed_after_ruling: Option<Decimal>,
    pub refundable: Decimal,
    pub notes: Vec<String>,
}

/// Why an entry cannot be assessed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssessError {
    #[error("the value must be zero or more, got {0}")]
    NegativeValue(Decimal),
    #[error("{measure} ({heading}): {detail}")]
    Rate {
        measure: String,
        heading: String,
        detail: String,
    },
    #[error("{0}")]
    Base(String),
    #[error("a declared content or share is out of range: {0}")]
    Declaration(String),
}

/// Default US content share of a USMCA-qualifying vehicle when the importer declares none:
/// the Budget Lab tracker's `us_auto_content_share` of 0.40 (config/policy_params.yaml).
pub const DEFAULT_US_CONTENT: Decimal = Decimal::from_parts(40, 0, 0, false, 2);
/// Default Canadian+Mexican content deducted under SOR/2025-118 when none is declared: the
/// order's minimum deduction of 15% of value.
pub const DEFAULT_CA_MX_CONTENT: Decimal = Decimal::from_parts(15, 0, 0, false, 2);

struct Candidate<'a> {
    m: &'a CompiledMeasure,
    layer: Layer,
}

impl Policy {
    /// Assesses an entry.
    pub fn assess(
        &self,
        entry: &Entry,
        reference: &dyn Reference,
    ) -> Result<Assessment, AssessError> {
        if entry.value < Decimal::ZERO {
            return Err(AssessError::NegativeValue(entry.value));
        }
        for (name, v) in [
            ("us_content", entry.us_content),
            ("ca_mx_content", entry.ca_mx_content),
        ] {
            if let Some(v) = v {
                if v < Decimal::ZERO || v > Decimal::ONE {
                    return Err(AssessError::Declaration(format!(
                        "{name} = {v}; expected a share from 0 to 1"
                    )));
                }
            }
        }
        for (name, v) in [
            ("steel_content", entry.steel_content),
            ("aluminum_content", entry.aluminum_content),
            ("copper_content", entry.copper_content),
        ] {
            if let Some(v) = v {
                if v < Decimal::ZERO || v > entry.value {
                    return Err(AssessError::Declaration(format!(
                        "{name} = {v}; expected a value from 0 to the entry value {}",
                        entry.value
                    )));
                }
            }
        }
        let mut notes = Vec::new();
        let input = EvalInput::new(entry.value).with_optional_quantity(entry.quantity);
        // 1. Base duty.
        let br = reference.base_rate(entry).map_err(AssessError::Base)?;
        let base = match &br.rate {
            Some(rate) => {
                let amount = rate.duty(&input).map_err(|e| AssessError::Rate {
                    measure: br.authority.to_string(),
                    heading: br.heading.clone(),
                    detail: e.to_string(),
                })?;
                Some(Layer {
                    measure: br.authority.to_uppercase(),
                    authority: br.authority.to_string(),
                    heading: br.heading.clone(),
                    title: br.basis.clone(),
                    base_kind: Some(Base::FullValue),
                    base: entry.value,
                    rate: br.text.clone(),
                    amount: round_cents(amount),
                    citations: vec![],
                    struck_down: None,
                    refundable: false,
                    stand_in: None,
                })
            }
            None => {
                notes.push(format!("base rate unknown: {}", br.basis));
                None
            }
        };
        // 2. Candidate measures.
        let mut applied: Vec<Candidate<'_>> = Vec::new();
        let mut not_applied = Vec::new();
        if let Some(idx) = self.importers.get(&entry.importer) {
            let mut matched: Vec<u32> = idx.all_products.clone();
            let mut excluded: Vec<u32> = Vec::new();
            let mut level = 2;
            while level <= entry.hs.level() {
                let key = (entry.hs.truncate(level).padded() << 4) | u64::from(level);
                if let Some(v) = idx.by_prefix.get(&key) {
                    for (i, inc) in v {
                        if *inc {
                            matched.push(*i);
                        } else {
                            excluded.push(*i);
                        }
                    }
                }
                level += 2;
            }
            matched.sort_unstable();
            matched.dedup();
            for i in matched {
                let m = &idx.measures[i as usize];
                let origin_ok = (m.all_origins || m.origins.contains(&entry.origin))
                    && !m.rec.except_origins.contains(&entry.origin);
                if !origin_ok || !m.period.contains(entry.date) {
                    continue;
                }
                let na = |reason: Reason, detail: String| NotApplied {
                    measure: m.rec.id.clone(),
                    authority: m.rec.authority.clone(),
                    heading: m.rec.heading.clone(),
                    reason,
                    detail,
                    citations: m.rec.citations.clone(),
                };
                if !m.rec.status.collected() {
                    not_applied.push(na(
                        Reason::NotInForce,
                        format!("status {:?}: never collected", m.rec.status),
                    ));
                    continue;
                }
                if excluded.contains(&i) {
                    not_applied.push(na(
                        Reason::ProductExclusion,
                        format!("{} is excluded from this measure's scope", entry.hs),
                    ));
                    continue;
                }
                if let Some(r) = condition_failure(m, entry) {
                    not_applied.push(na(r.0, r.1));
                    continue;
                }
                let layer = self.layer(m, entry, reference, &input)?;
                applied.push(Candidate { m, layer });
            }
            // 3. Stacking rules in force on the date, in file order.
            for rule in idx.rules.iter().filter(|r| r.period.contains(entry.date)) {
                let winners: Vec<usize> = applied
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| {
                        rule.rec.winners.contains(&c.m.rec.authority)
                            && c.layer.amount > Decimal::ZERO
                    })
                    .map(|(i, _)| i)
                    .collect();
                if winners.is_empty() {
                    continue;
                }
                let winner_names: Vec<String> = winners
                    .iter()
                    .map(|&i| format!("{} ({})", applied[i].m.rec.id, applied[i].m.rec.heading))
                    .collect();
                match rule.rec.kind {
                    RuleKind::Excludes => {
                        let mut keep = Vec::with_capacity(applied.len());
                        for c in applied.drain(..) {
                            if rule.rec.losers.contains(&c.m.rec.authority) {
                                let mut cites = rule.rec.citations.clone();
                                cites.extend(c.m.rec.citations.iter().cloned());
                                not_applied.push(NotApplied {
                                    measure: c.m.rec.id.clone(),
                                    authority: c.m.rec.authority.clone(),
                                    heading: c.m.rec.heading.clone(),
                                    reason: Reason::Precedence,
                                    detail: format!(
                                        "{}: {} prevails ({})",
                                        rule.rec.id,
                                        winner_names.join(", "),
                                        rule.rec.instrument
                                    ),
                                    citations: cites,
                                });
                            } else {
                                keep.push(c);
                            }
                        }
                        applied = keep;
                    }
                    RuleKind::ContentSplit => {
                        let content: Decimal = winners
                            .iter()
                            .filter(|&&i| {
                                applied[i]
                                    .layer
                                    .base_kind
                                    .is_some_and(|b| b != Base::FullValue)
                            })
                            .map(|&i| applied[i].layer.base)
                            .sum();
                        if content.is_zero() {
                            continue;
                        }
                        for c in applied.iter_mut().filter(|c| {
                            rule.rec.losers.contains(&c.m.rec.authority)
                                && c.layer.base_kind == Some(Base::FullValue)
                        }) {
                            let new_base = (c.layer.base - content).max(Decimal::ZERO);
                            let amount =
                                c.m.rate
                                    .duty(
                                        &EvalInput::new(new_base)
                                            .with_optional_quantity(entry.quantity),
                                    )
                                    .map_err(|e| AssessError::Rate {
                                        measure: c.m.rec.id.clone(),
                                        heading: c.m.rec.heading.clone(),
                                        detail: e.to_string(),
                                    })?;
                            c.layer.base = new_base;
                            c.layer.amount = round_cents(amount);
                            c.layer.stand_in = Some(format!(
                                "{}: charged on the value not subject to {} ({} less {content})",
                                rule.rec.id,
                                winner_names.join(", "),
                                entry.value
                            ));
                        }
                    }
                }
            }
        }
        let layers: Vec<Layer> = applied.into_iter().map(|c| c.layer).collect();
        let base_amount = base.as_ref().map_or(Decimal::ZERO, |b| b.amount);
        let total = base_amount + layers.iter().map(|l| l.amount).sum::<Decimal>();
        let refundable: Decimal = layers
            .iter()
            .filter(|l| l.refundable)
            .map(|l| l.amount)
            .sum();
        let struck = layers.iter().any(|l| l.struck_down.is_some());
        Ok(Assessment {
            entry: entry.clone(),
            base_rate_known: base.is_some(),
            base,
            layers,
            not_applied,
            total,
            owed_after_ruling: struck.then_some(total - refundable),
            refundable,
            notes,
        })
    }

    fn layer(
        &self,
        m: &CompiledMeasure,
        entry: &Entry,
        reference: &dyn Reference,
        _input: &EvalInput,
    ) -> Result<Layer, AssessError> {
        let (base, stand_in) = base_value(m.rec.base, entry, reference);
        let amount = m
            .rate
            .duty(&EvalInput::new(base).with_optional_quantity(entry.quantity))
            .map_err(|e| AssessError::Rate {
                measure: m.rec.id.clone(),
                heading: m.rec.heading.clone(),
                detail: e.to_string(),
            })?;
        let mut amount = amount;
        let mut stand_in = stand_in;
        if let Some(min) = m.min_effective {
            let floor = entry.value * min / Decimal::ONE_HUNDRED;
            if floor > amount {
                amount = floor;
                stand_in = Some(format!(
                    "{}minimum effective duty of {min}% of value applies",
                    stand_in.map(|s| format!("{s}; ")).unwrap_or_default()
                ));
            }
        }
        Ok(Layer {
            measure: m.rec.id.clone(),
            authority: m.rec.authority.clone(),
            heading: m.rec.heading.clone(),
            title: m.rec.title.clone(),
            base_kind: Some(m.rec.base),
            base,
            rate: m.rec.rate.clone(),
            amount: round_cents(amount),
            citations: m.rec.citations.clone(),
            struck_down: m.rec.struck_down.as_ref().map(|s| s.ruling),
            refundable: m.rec.status == Status::StruckDown
                && m.rec.struck_down.as_ref().is_some_and(|s| s.refundable),
            stand_in,
        })
    }
}

fn condition_failure(m: &CompiledMeasure, entry: &Entry) -> Option<(Reason, String)> {
    use crate::measure::Claim;
    let check = |c: Claim, has: bool| match c {
        Claim::Any => true,
        Claim::Present => has,
        Claim::Absent => !has,
    };
    let c = &m.rec.conditions;
    if !check(c.preference_claim, entry.preference_claim) {
        let d = if entry.preference_claim {
            "the entry claims USMCA/CUSMA preference, which this measure exempts"
        } else {
            "applies only to goods entered with a USMCA/CUSMA claim"
        };
        return Some((Reason::PreferenceClaim, d.to_string()));
    }
    if !check(c.us_melted, entry.us_melted) {
        return Some((
            Reason::Condition,
            format!(
                "condition on US-melted metal not met (declared: {})",
                entry.us_melted
            ),
        ));
    }
    if !check(c.transshipped, entry.transshipped) {
        return Some((
            Reason::Condition,
            format!(
                "condition on transshipment not met (declared: {})",
                entry.transshipped
            ),
        ));
    }
    if !check(c.energy, false) {
        return Some((
            Reason::Condition,
            "applies to goods declared as energy".to_string(),
        ));
    }
    None
}

fn share_value(value: Decimal, share: f64) -> Decimal {
    Decimal::from_f64(share).map_or(Decimal::ZERO, |s| value * s)
}

/// The base a measure charges on, and how it was found when not declared.
fn base_value(kind: Base, entry: &Entry, reference: &dyn Reference) -> (Decimal, Option<String>) {
    let v = entry.value;
    let metal = |declared: Option<Decimal>, pick: fn(&crate::MetalShare) -> f64, name: &str| {
        match declared {
            Some(d) => (d, None),
            None => match reference.metal_share(&entry.hs) {
                Some(s) => {
                    let share = pick(&s);
                    (
                    round_cents(share_value(v, share)),
                    Some(format!("{name} content not declared: stand-in {:.2}% of value (BEA 2017 input-output metal share for {})", share * 100.0, entry.hs)),
                )
                }
                None => (
                    Decimal::ZERO,
                    Some(format!(
                        "{name} content not declared and no stand-in share for {}: taken as 0",
                        entry.hs
                    )),
                ),
            },
        }
    };
    match kind {
        Base::FullValue => (v, None),
        Base::SteelContent => metal(entry.steel_content, |s| s.steel, "steel"),
        Base::AluminumContent => metal(entry.aluminum_content, |s| s.aluminum, "aluminum"),
        Base::CopperContent => metal(entry.copper_content, |s| s.copper, "copper"),
        Base::NonUsContent => match entry.us_content {
            Some(s) => (round_cents(v * (Decimal::ONE - s)), None),
            None => (
                round_cents(v * (Decimal::ONE - DEFAULT_US_CONTENT)),
                Some("US content not declared: default 40% (Budget Lab tariff-rate-tracker config/policy_params.yaml, us_auto_content_share)".into()),
            ),
        },
        Base::NonCaMxContent => match entry.ca_mx_content {
            Some(s) => (round_cents(v * (Decimal::ONE - s)), None),
            None => (
                round_cents(v * (Decimal::ONE - DEFAULT_CA_MX_CONTENT)),
                Some("Canadian/Mexican content not declared: the order's minimum deduction of 15% of value used".into()),
            ),
        },
    }
}
