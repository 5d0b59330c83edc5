//! The rules as dated, cited data: every threshold of the Automotive Appendix is a named
//! parameter with values from dates and the article and sources it comes from
//! (`data/roo/automotive.toml`).
//!
//! ```toml
//! [[param]]
//! name = "rvc.passenger"
//! article = "Automotive Appendix, Art. 3.1"
//! citations = [{ title = "...", url = "https://..." }]
//! values = [{ from = "2020-07-01", value = 0.66 }, { from = "2023-07-01", value = 0.75 }]
//! ```
//!
//! A scenario changes a parameter with [`Rules::set`]; a parameter with no value on a date
//! (before its first `from`) is a test not yet in force.

use crate::RooError;
use quid_core::{Citation, Date};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// The parameters every rules file must define.
pub const REQUIRED: [&str; 16] = [
    "rvc.passenger",
    "rvc.light_truck",
    "rvc.heavy_truck",
    "core.rvc_net_cost",
    "lvc.passenger",
    "lvc.light_truck",
    "lvc.heavy_truck",
    "lvc.hwmme_min.passenger",
    "lvc.hwmme_min.light_truck",
    "lvc.hwmme_min.heavy_truck",
    "lvc.high_wage_rate",
    "lvc.technology_credit_cap",
    "lvc.assembly_credit_cap",
    "steel.north_american",
    "aluminum.north_american",
    "bom.tolerance",
];

/// One value of a parameter, in force from a date until the next value's date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub from: Date,
    pub value: Decimal,
}

/// A named, dated, cited parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Param {
    pub name: String,
    /// The article and paragraph the parameter comes from.
    pub article: String,
    pub citations: Vec<Citation>,
    /// Ordered by date.
    pub values: Vec<Step>,
    /// Set by a scenario: what the file said is replaced from this step's date on.
    pub changed: bool,
}

impl Param {
    /// The value in force on a date; `None` before the first value.
    pub fn on(&self, date: Date) -> Option<Decimal> {
        self.values
            .iter()
            .rev()
            .find(|s| s.from <= date)
            .map(|s| s.value)
    }
}

/// The whole set of parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rules {
    pub title: String,
    pub params: Vec<Param>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    title: String,
    #[serde(rename = "param")]
    params: Vec<ParamSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParamSpec {
    name: String,
    article: String,
    citations: Vec<Citation>,
    values: Vec<StepSpec>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StepSpec {
    from: Date,
    value: f64,
}

/// A float written in the file as the decimal it reads as (0.66, not 0.660000000000000031).
pub fn decimal_of(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    Decimal::from_str(&f.to_string())
        .or_else(|_| Decimal::from_scientific(&format!("{f:e}")))
        .ok()
}

impl Rules {
    /// Reads a rules file's text; `at` names it in messages.
    pub fn parse(text: &str, at: &str) -> Result<Rules, RooError> {
        let f: File = toml::from_str(text).map_err(|e| RooError::Rules {
            at: at.to_string(),
            why: e.message().to_string(),
        })?;
        let bad = |why: String| RooError::Rules {
            at: at.to_string(),
            why,
        };
        let mut params = Vec::with_capacity(f.params.len());
        for p in f.params {
            if p.citations.is_empty() {
                return Err(bad(format!("parameter {}: no citation", p.name)));
            }
            if p.values.is_empty() {
                return Err(bad(format!("parameter {}: no values", p.name)));
            }
            let mut values = Vec::with_capacity(p.values.len());
            for s in &p.values {
                let value = decimal_of(s.value)
                    .filter(|v| !v.is_sign_negative())
                    .ok_or_else(|| {
                        bad(format!(
                            "parameter {}: value {} is not a non-negative number",
                            p.name, s.value
                        ))
                    })?;
                if values.last().is_some_and(|l: &Step| l.from >= s.from) {
                    return Err(bad(format!(
                        "parameter {}: dates must increase ({})",
                        p.name, s.from
                    )));
                }
                values.push(Step {
                    from: s.from,
                    value,
                });
            }
            if params.iter().any(|q: &Param| q.name == p.name) {
                return Err(bad(format!("parameter {} defined twice", p.name)));
            }
            params.push(Param {
                name: p.name,
                article: p.article,
                citations: p.citations,
                values,
                changed: false,
            });
        }
        let rules = Rules {
            title: f.title,
            params,
        };
        for name in REQUIRED {
            if rules.param(name).is_none() {
                return Err(bad(format!("parameter {name} is missing")));
            }
        }
        Ok(rules)
    }

    /// A parameter by name.
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.name == name)
    }

    /// The value of a parameter on a date (`None`: not in force, or no such parameter).
    pub fn value(&self, name: &str, date: Date) -> Option<Decimal> {
        self.param(name).and_then(|p| p.on(date))
    }

    /// A parameter's value and article on a date, for a test.
    pub(crate) fn get(&self, name: &str, date: Date) -> Option<(Decimal, &str)> {
        let p = self.param(name)?;
        Some((p.on(date)?, p.article.as_str()))
    }

    /// Sets a parameter to `value` from `from` on (a scenario's move): the steps dated on or
    /// after `from` are replaced.
    pub fn set(&mut self, name: &str, from: Date, value: Decimal) -> Result<(), RooError> {
        if value.is_sign_negative() {
            return Err(RooError::Parameter {
                name: name.to_string(),
                why: format!("value {value} is negative"),
            });
        }
        let Some(i) = self.params.iter().position(|p| p.name == name) else {
            let known: Vec<&str> = self.params.iter().map(|p| p.name.as_str()).collect();
            return Err(RooError::Parameter {
                name: name.to_string(),
                why: format!("no such parameter (known: {})", known.join(", ")),
            });
        };
        let p = &mut self.params[i];
        p.values.retain(|s| s.from < from);
        p.values.push(Step { from, value });
        p.changed = true;
        Ok(())
    }
}
