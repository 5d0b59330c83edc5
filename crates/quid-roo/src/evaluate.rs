//! The tests of the Automotive Appendix on one bill of materials on one date, and the content
//! shares the Section 232 duties are taken on.
//!
//! - **Regional value content** (Art. 3.1 passenger/light truck, Art. 4.1 heavy truck), net
//!   cost method: RVC = (NC - VNM) / NC, VNM the value of the non-originating components.
//! - **Core parts** (Art. 3.7, Tables A.1/A.2; passenger vehicles and light trucks), two
//!   alternatives the producer may elect, either of which meets the requirement:
//!   *each part* originating, a part's own RVC (`rvc`, by its method) against the threshold of
//!   that method (Uniform Regulations s. 14(13): 75% net cost or 85% transaction value from
//!   2023-07-01), or the *super-core* (s. 14(10), (12)): the core parts taken as one part, their
//!   RVCs averaged by value under the net cost method. A part without its own RVC counts 100%
//!   when declared originating and 0% when not; part values stand for the parts' net costs
//!   (quid does not trace materials inside a part). Every other test counts a core part that
//!   gives its RVC as originating only when that RVC meets its own threshold, whichever
//!   core-parts method is met (the cautious reading: quid does not carry a super-core
//!   election over into the vehicle's RVC).
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

use crate::{Bom, Category, Component, Region, RooError, Rules, RvcMethod, VehicleClass};
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
    /// Tests of one group are alternatives (the producer elects one): the group is met when
    /// any of them passes. `None`: the test stands alone.
    pub group: Option<&'static str>,
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

    /// Whether the requirement `t` belongs to is met (see [`TestResult::group`]).
    pub fn requirement_met(&self, t: &TestResult) -> Option<bool> {
        outcome(&self.tests, t)
    }

    /// The tests that failed: a test of a group only when no alternative of its group passed
    /// or stayed open.
    pub fn failed(&self) -> impl Iterator<Item = &TestResult> {
        self.tests
            .iter()
            .filter(|t| t.passed == Some(false) && outcome(&self.tests, t) == Some(false))
    }
}

/// Whether the requirement a test belongs to is met: the test's own result, or for a group of
/// alternatives, met when any passed, failed when all failed, open otherwise.
fn outcome(tests: &[TestResult], t: &TestResult) -> Option<bool> {
    let Some(g) = t.group else {
        return t.passed;
    };
    let mut all_failed = true;
    for x in tests.iter().filter(|x| x.group == Some(g)) {
        match x.passed {
            Some(true) => return Some(true),
            Some(false) => {}
            None => all_failed = false,
        }
    }
    all_failed.then_some(false)
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
    let grouped = |group: Option<&'static str>,
                   name: &'static str,
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
            group,
        }
    };
    let test =
        |name: &'static str,
         value: Option<Decimal>,
         rule: (Decimal, String, String),
         upper_bound_only: bool,
         detail: String| { grouped(None, name, value, rule, upper_bound_only, detail) };

    // The core-parts thresholds, and each component's originating status: a core part that
    // gives its own RVC is originating when that RVC meets the threshold of its method.
    let core_rule = bom.class != VehicleClass::HeavyTruck;
    let core_nc = if core_rule {
        Some(need("core.rvc_net_cost".to_string())?)
    } else {
        None
    };
    let any_tv = bom.components.iter().any(|c| {
        c.category == Category::Core
            && c.rvc
                .is_some_and(|r| r.method == RvcMethod::TransactionValue)
    });
    let core_tv = if core_rule && any_tv {
        Some(need("core.rvc_transaction_value".to_string())?)
    } else {
        None
    };
    let core_threshold = |m: RvcMethod| -> Option<&(Decimal, String, String)> {
        match m {
            RvcMethod::NetCost => core_nc.as_ref(),
            RvcMethod::TransactionValue => core_tv.as_ref(),
        }
    };
    // (the part's RVC as the core test reads it, its threshold, its method)
    let part_rvc = |c: &Component| -> Option<(Decimal, Decimal, RvcMethod)> {
        if !core_rule || c.category != Category::Core {
            return None;
        }
        let (r, m) = match c.rvc {
            Some(r) => (r.value, r.method),
            None if c.originating => (Decimal::ONE, RvcMethod::NetCost),
            None => (Decimal::ZERO, RvcMethod::NetCost),
        };
        core_threshold(m).map(|t| (r, t.0, m))
    };
    // One pass over the bill: each component's status, the sums of the tests, the core parts
    // with their RVCs, and a note where a part's own RVC overrides its declared flag.
    let mut vnm = Decimal::ZERO;
    let mut core = Decimal::ZERO;
    let mut core_originating = Decimal::ZERO;
    let mut us = Decimal::ZERO;
    let mut ca_mx = Decimal::ZERO;
    let mut parts: Vec<(usize, &Component, (Decimal, Decimal, RvcMethod))> = Vec::new();
    for (i, c) in bom.components.iter().enumerate() {
        let part = part_rvc(c);
        let c_originating = match (c.rvc, part) {
            (Some(_), Some((r, t, _))) => r >= t,
            _ => c.originating,
        };
        if c.rvc.is_some() && !core_rule {
            notes.push(format!(
                "component {} ({}): a heavy truck has no core-parts rule; its rvc is not used \
                 and it counts as its originating flag says",
                i + 1,
                c.hs
            ));
        } else if let (Some(_), Some((r, t, m))) = (c.rvc, part) {
            if c_originating != c.originating {
                let words = |o: bool| if o { "originating" } else { "non-originating" };
                notes.push(format!(
                    "component {} ({}): declared {}, but its RVC {} ({}) is {} the {} \
                     core-parts threshold on {date}: counted as {}",
                    i + 1,
                    c.hs,
                    words(c.originating),
                    pct(r),
                    m.words(),
                    if c_originating {
                        "at or above"
                    } else {
                        "below"
                    },
                    pct(t),
                    words(c_originating)
                ));
            }
        }
        if !c_originating {
            vnm += c.value;
        } else {
            match c.origin {
                Region::US => us += c.value,
                Region::CA | Region::MX => ca_mx += c.value,
                Region::Other => {}
            }
        }
        if let Some(p @ (r, _, m)) = part {
            core += c.value;
            if m == RvcMethod::NetCost {
                core_originating += r * c.value;
            }
            parts.push((i + 1, c, p));
        }
    }
    // Regional value content, net cost method.
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

    // Core parts (passenger vehicles and light trucks): each part, or the super-core.
    if let Some(nc_rule) = &core_nc {
        if parts.is_empty() {
            tests.push(test(
                "core parts",
                None,
                nc_rule.clone(),
                bom.partial,
                "no core part (category = \"core\") listed".to_string(),
            ));
        } else {
            let below = parts.iter().filter(|(_, _, (r, t, _))| r < t).count();
            let (i, c, (r, t, m)) = parts
                .iter()
                .min_by_key(|(_, _, (r, t, _))| *r - *t)
                .copied()
                .unwrap_or(parts[0]);
            let rule = core_threshold(m)
                .cloned()
                .unwrap_or_else(|| nc_rule.clone());
            tests.push(grouped(
                Some("core parts"),
                "core parts: each part",
                Some(r),
                (t, rule.1, rule.2),
                bom.partial,
                format!(
                    "{} core part{}, {below} below the threshold of its method; lowest margin: \
                     component {i} ({}) RVC {} ({}) against {}",
                    parts.len(),
                    if parts.len() == 1 { "" } else { "s" },
                    c.description.as_deref().unwrap_or(&c.hs),
                    pct(r),
                    m.words(),
                    pct(t)
                ),
            ));
            let (value, detail) = if any_tv {
                (
                    None,
                    "not available: a core part gives its RVC under the transaction value \
                     method; the super-core is a net cost calculation (s. 14(10), (12))"
                        .to_string(),
                )
            } else {
                (
                    Some(share(core_originating, core)),
                    format!(
                        "the {} core parts as one part: originating content {} / value {core} \
                         (s. 14(10), (12))",
                        parts.len(),
                        core_originating.round_dp(2).normalize()
                    ),
                )
            };
            tests.push(grouped(
                Some("core parts"),
                "core parts: super-core average",
                value,
                nc_rule.clone(),
                bom.partial,
                detail,
            ));
        }
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

    let met: Vec<Option<bool>> = tests.iter().map(|t| outcome(&tests, t)).collect();
    let verdict = if met.contains(&Some(false)) {
        Verdict::DoesNotQualify
    } else if met.iter().all(|m| *m == Some(true)) {
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
