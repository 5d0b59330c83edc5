//! The tests of the Automotive Appendix on one bill of materials on one date, and the content
//! shares the Section 232 duties are taken on.
//!
//! - **Regional value content** (Art. 3.1 passenger/light truck, Art. 4.1 heavy truck), net
//!   cost method: RVC = (NC - VNM) / NC, VNM the value of the non-originating components.
//! - **Core parts** (Art. 3.7, Table A.1; passenger vehicles and light trucks): the core parts
//!   taken as one group, RVC = originating core value / core value (a simplification of the
//!   per-part or super-core calculation: quid does not trace materials inside a part).
//! - **Labour value content** (Art. 7): high-wage material and manufacturing expenditures over
//!   net cost, counted only if the average base wage of the direct production workers (wage bill
//!   over hours) is at least the high-wage rate, plus the technology and assembly credits up to
//!   their caps; and the minimum of material and manufacturing expenditures within it.
//! - **Steel and aluminum** (Art. 6): North American purchases over all purchases, each metal.
//!
//! The shares: US content = originating US components / transaction value (Proclamation
//! 10908: the 25% applies to the value of non-US content of a USMCA-qualifying automobile);
//! Canadian and Mexican content = originating CA and MX components / transaction value (the
//! deduction of SOR/2025-118).

use crate::{Bom, Category, Region, RooError, Rules};
use quid_core::Date;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

/// The verdict: qualifies, does not, or cannot be told from what was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Qualifies,
    DoesNotQualify,
    /// A partial bill, or a missing section, leaves a test open and none failed.
    Undetermined,
}

/// One test: its value, threshold and margin as shares (0.75 = 75%).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TestResult {
    pub name: &'static str,
    /// `None` when the bill does not give what the test needs.
    #[serde(serialize_with = "quid_core::schema::decimal_opt")]
    #[schemars(with = "Option<quid_core::schema::DecimalNumber>")]
    pub value: Option<Decimal>,
    #[serde(serialize_with = "quid_core::schema::decimal")]
    #[schemars(with = "quid_core::schema::DecimalNumber")]
    pub threshold: Decimal,
    /// value - threshold.
    #[serde(serialize_with = "quid_core::schema::decimal_opt")]
    #[schemars(with = "Option<quid_core::schema::DecimalNumber>")]
    pub margin: Option<Decimal>,
    /// `None`: undetermined (for a partial bill, a value that is only an upper bound).
    pub passed: Option<bool>,
    pub article: String,
    /// The parameter the threshold comes from (a scenario move names it).
    pub parameter: String,
    pub detail: String,
}

/// The evaluation of one bill of materials.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RooResult {
    pub name: String,
    #[schemars(with = "quid_core::schema::DateText")]
    pub date: Date,
    pub verdict: Verdict,
    /// `verdict == Qualifies`.
    pub qualifies: bool,
    pub partial: bool,
    pub tests: Vec<TestResult>,
    /// The transaction value the shares are taken of.
    #[serde(serialize_with = "quid_core::schema::money")]
    #[schemars(with = "quid_core::schema::MoneyNumber")]
    pub transaction_value: Decimal,
    /// Value of originating US components.
    #[serde(serialize_with = "quid_core::schema::money")]
    #[schemars(with = "quid_core::schema::MoneyNumber")]
    pub us_content_value: Decimal,
    /// Value of originating Canadian and Mexican components.
    #[serde(serialize_with = "quid_core::schema::money")]
    #[schemars(with = "quid_core::schema::MoneyNumber")]
    pub ca_mx_content_value: Decimal,
    /// Shares of the transaction value (0..1).
    #[serde(serialize_with = "quid_core::schema::decimal")]
    #[schemars(with = "quid_core::schema::DecimalNumber")]
    pub us_content_share: Decimal,
    #[serde(serialize_with = "quid_core::schema::decimal")]
    #[schemars(with = "quid_core::schema::DecimalNumber")]
    pub non_us_content_share: Decimal,
    #[serde(serialize_with = "quid_core::schema::decimal")]
    #[schemars(with = "quid_core::schema::DecimalNumber")]
    pub ca_mx_content_share: Decimal,
    pub notes: Vec<String>,
}

impl RooResult {
    /// The shares at full precision (US, Canadian and Mexican), capped to the transaction value,
    /// for a duty base: the rounded shares of the report would move a base by a cent.
    pub fn exact_shares(&self) -> (Decimal, Decimal) {
        if self.transaction_value.is_zero() {
            return (Decimal::ZERO, Decimal::ZERO);
        }
        let us = (self.us_content_value / self.transaction_value).min(Decimal::ONE);
        let ca_mx = (self.ca_mx_content_value / self.transaction_value).min(Decimal::ONE - us);
        (us, ca_mx)
    }

    /// The tests that failed.
    pub fn failed(&self) -> impl Iterator<Item = &TestResult> {
        self.tests.iter().filter(|t| t.passed == Some(false))
    }
}

/// Shares are kept to six decimals (a ten-thousandth of a percentage point), half away from
/// zero.
fn share(num: Decimal, den: Decimal) -> Decimal {
    if den.is_zero() {
        return Decimal::ZERO;
    }
    (num / den)
        .round_dp_with_strategy(6, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

fn pct(d: Decimal) -> String {
    format!("{}%", (d * Decimal::ONE_HUNDRED).normalize())
}

/// Evaluates a checked bill on a date under the rules.
pub fn evaluate(rules: &Rules, bom: &Bom, date: Date) -> Result<RooResult, RooError> {
    let class = bom.class.key();
    let need = |name: String| -> Result<(Decimal, String, String), RooError> {
        let (v, article) = rules.get(&name, date).ok_or_else(|| RooError::Parameter {
            name: name.clone(),
            why: format!("no value in force on {date}"),
        })?;
        Ok((v, article.to_string(), name))
    };
    let optional = |name: String| {
        rules
            .get(&name, date)
            .map(|(v, a)| (v, a.to_string(), name))
    };
    let mut tests = Vec::with_capacity(6);
    let mut notes = Vec::new();
    let test = |name: &'static str,
                value: Option<Decimal>,
                (threshold, article, parameter): (Decimal, String, String),
                upper_bound_only: bool,
                detail: String| {
        let passed = value.and_then(|v| {
            if v < threshold {
                Some(false)
            } else if upper_bound_only {
                None
            } else {
                Some(true)
            }
        });
        TestResult {
            name,
            value,
            threshold,
            margin: value.map(|v| (v - threshold).normalize()),
            passed,
            article,
            parameter,
            detail,
        }
    };

    // Regional value content, net cost method.
    let mut vnm = Decimal::ZERO;
    let mut core = Decimal::ZERO;
    let mut core_originating = Decimal::ZERO;
    let mut us = Decimal::ZERO;
    let mut ca_mx = Decimal::ZERO;
    for c in &bom.components {
        if !c.originating {
            vnm += c.value;
        } else {
            match c.origin {
                Region::US => us += c.value,
                Region::CA | Region::MX => ca_mx += c.value,
                Region::Other => {}
            }
        }
        if c.category == Category::Core {
            core += c.value;
            if c.originating {
                core_originating += c.value;
            }
        }
    }
    let nc = bom.net_cost;
    let rvc = share(nc - vnm, nc);
    tests.push(test(
        "regional value content (net cost)",
        Some(rvc),
        need(format!("rvc.{class}"))?,
        bom.partial,
        format!(
            "(NC {nc} - VNM {vnm}) / NC {nc}{}",
            if bom.partial {
                "; partial bill: an upper bound, the unlisted cost may be non-originating"
            } else {
                ""
            }
        ),
    ));

    // Core parts (passenger vehicles and light trucks).
    if bom.class != crate::VehicleClass::HeavyTruck {
        let value = (!core.is_zero()).then(|| share(core_originating, core));
        tests.push(test(
            "core parts",
            value,
            need("core.rvc_net_cost".to_string())?,
            bom.partial,
            if core.is_zero() {
                "no core part (category = \"core\") listed".to_string()
            } else {
                format!("originating core parts {core_originating} / core parts {core}")
            },
        ));
    }

    // Labour value content.
    match optional(format!("lvc.{class}")) {
        None => notes.push(format!(
            "labour value content: no requirement for a {} on {date}",
            class.replace('_', " ")
        )),
        Some(threshold) => {
            let (rate, _, _) = need("lvc.high_wage_rate".to_string())?;
            let (tech_cap, _, _) = need("lvc.technology_credit_cap".to_string())?;
            let (asm_cap, _, _) = need("lvc.assembly_credit_cap".to_string())?;
            let min = optional(format!("lvc.hwmme_min.{class}"));
            match &bom.labour {
                None => {
                    tests.push(test(
                        "labour value content",
                        None,
                        threshold,
                        false,
                        "no [labour] section".to_string(),
                    ));
                }
                Some(l) => {
                    let average = (!l.hours.is_zero()).then(|| l.wage_bill / l.hours);
                    let high_wage = average.is_some_and(|a| a >= rate);
                    let hwmme = if high_wage {
                        share(l.high_wage_spend, nc)
                    } else {
                        Decimal::ZERO
                    };
                    let tech = l.technology_credit.min(tech_cap);
                    let asm = l.assembly_credit.min(asm_cap);
                    let wage_note = match average {
                        Some(a) => format!(
                            "average base wage {}/hour {} the US${rate} high-wage rate",
                            a.round_dp(2),
                            if high_wage { "meets" } else { "is below" }
                        ),
                        None => "no hours given: no high-wage expenditure counts".to_string(),
                    };
                    tests.push(test(
                        "labour value content",
                        Some(hwmme + tech + asm),
                        threshold,
                        false,
                        format!(
                            "material and manufacturing {} + technology credit {} (claimed {}, \
                             cap {}) + assembly credit {} (claimed {}, cap {}); {wage_note}",
                            pct(hwmme),
                            pct(tech),
                            pct(l.technology_credit),
                            pct(tech_cap),
                            pct(asm),
                            pct(l.assembly_credit),
                            pct(asm_cap)
                        ),
                    ));
                    if let Some(min) = min {
                        tests.push(test(
                            "labour value content: material and manufacturing",
                            Some(hwmme),
                            min,
                            false,
                            format!("high-wage spend {} / NC {nc}", l.high_wage_spend),
                        ));
                    }
                }
            }
        }
    }

    // Steel and aluminum, purchase-based.
    for (name, metal) in [("steel", "steel"), ("aluminum", "aluminum")] {
        let threshold = need(format!("{metal}.north_american"))?;
        let (value, detail) = match &bom.metals {
            None => (None, "no [metals] section".to_string()),
            Some(m) => {
                let (all, na) = if metal == "steel" {
                    (m.steel, m.steel_north_american)
                } else {
                    (m.aluminum, m.aluminum_north_american)
                };
                if all.is_zero() {
                    (Some(Decimal::ONE), format!("no {metal} purchases"))
                } else {
                    (
                        Some(share(na, all)),
                        format!("North American {na} / purchases {all}"),
                    )
                }
            }
        };
        let name: &'static str = if name == "steel" {
            "steel purchases (North American)"
        } else {
            "aluminum purchases (North American)"
        };
        tests.push(test(name, value, threshold, false, detail));
    }

    let verdict = if tests.iter().any(|t| t.passed == Some(false)) {
        Verdict::DoesNotQualify
    } else if tests.iter().all(|t| t.passed == Some(true)) {
        Verdict::Qualifies
    } else {
        Verdict::Undetermined
    };
    let tv = bom.transaction_value;
    let mut us_share = share(us, tv);
    let mut ca_mx_share = share(ca_mx, tv);
    if us + ca_mx > tv {
        notes.push(format!(
            "originating components {} exceed the transaction value {tv}: shares capped at 100%",
            us + ca_mx
        ));
        us_share = us_share.min(Decimal::ONE);
        ca_mx_share = ca_mx_share.min(Decimal::ONE - us_share);
    }
    if bom.partial {
        notes.push(
            "partial bill of materials: the content shares are lower bounds and are not used \
             for a duty"
                .to_string(),
        );
    }
    Ok(RooResult {
        name: bom.name.clone(),
        date,
        verdict,
        qualifies: verdict == Verdict::Qualifies,
        partial: bom.partial,
        tests,
        transaction_value: tv,
        us_content_value: us,
        ca_mx_content_value: ca_mx,
        us_content_share: us_share,
        non_us_content_share: Decimal::ONE - us_share,
        ca_mx_content_share: ca_mx_share,
        notes,
    })
}
