//! Scenario files: a named package of moves from a start date, organised as a trilateral core
//! (moves common to the CUSMA parties) with bilateral agreements layered on top, read from TOML,
//! validated with the file, line and field of every problem, and turned into an engine
//! [`Reform`]. Nothing runs while a file has a problem.
//!
//! ```toml
//! name = "Canada's ask"
//! start = "2027-01-01"
//! status = "proposal"          # verified, reported, unverified, proposal or hypothetical
//! note = "what it is based on"
//! sources = [{ title = "...", url = "https://..." }]
//!
//! [[core]]                     # applies to goods of every CUSMA partner of the party
//! id = "autos-15"
//! party = "US"
//! measures = ["US-S232-AUTO-1"]
//! action = "set_rate"          # remove, set_rate, scale (with factor = 0.5) or end_rule
//! rate = "15%"
//!
//! [[bilateral]]
//! parties = ["CA", "US"]
//! [[bilateral.move]]           # overrides the core for these parties' goods only
//! id = "autos-ca-free"
//! party = "US"
//! measures = ["US-S232-AUTO-1"]
//! action = "remove"
//! ```
//!
//! **Precedence.** A bilateral move on a measure takes the bilateral parties' goods out of any
//! core move of the same party on that measure; the core still applies to the other partners.
//! Two moves of one layer on one measure and origin are an error (no precedence between them).
//! A move dated before the scenario's start is an error.
//!
//! ```
//! use quid_app::scenario::Scenario;
//! let text = r#"
//! name = "t"
//! start = "2027-01-01"
//! [[core]]
//! id = "autos-15"
//! party = "US"
//! measures = ["US-S232-AUTO-1"]
//! action = "set_rate"
//! rate = "15%"
//! [[bilateral]]
//! parties = ["CA", "US"]
//! [[bilateral.move]]
//! id = "autos-ca-free"
//! party = "US"
//! measures = ["US-S232-AUTO-1"]
//! action = "remove"
//! "#;
//! let s = Scenario::parse(text, std::path::Path::new("t.toml")).unwrap();
//! let origins: Vec<String> = s.reform.moves.iter()
//!     .map(|m| format!("{}: {:?}", m.id, m.origins.as_ref().unwrap()))
//!     .collect();
//! // The core's 15% is left for Mexico; Canada's goods are freed by the bilateral layer.
//! assert_eq!(origins, ["autos-15: [Country(MX)]", "autos-ca-free: [Country(CA)]"]);
//! ```

use crate::{Error, Result};
use quid_core::{Citation, Country, Date};
use quid_engine::reform::{Action, Move, Reform};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// How far a scenario's content is established.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// Confirmed by the official texts.
    Verified,
    /// Reported by credible outlets, not in an official text.
    Reported,
    /// Reported, but not confirmed by a second source.
    Unverified,
    /// A party's stated proposal.
    Proposal,
    /// A what-if with no claim to have been proposed.
    #[default]
    Hypothetical,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum ActionKind {
    Remove,
    SetRate,
    Scale,
    EndRule,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct MoveSpec {
    id: String,
    party: Country,
    #[serde(default)]
    measures: Vec<String>,
    #[serde(default)]
    origins: Option<Vec<Country>>,
    #[serde(default)]
    from: Option<Date>,
    action: ActionKind,
    #[serde(default)]
    rate: Option<String>,
    /// With `scale`: the factor applied to the measures' ad valorem rates (0.5: half).
    #[serde(default)]
    factor: Option<f64>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct LayerSpec {
    parties: Vec<Country>,
    #[serde(rename = "move", default)]
    moves: Vec<MoveSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioFile {
    name: String,
    start: Date,
    #[serde(default)]
    status: Verification,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    sources: Vec<Citation>,
    #[serde(default)]
    core: Vec<MoveSpec>,
    #[serde(default)]
    bilateral: Vec<LayerSpec>,
    /// Rules-of-origin moves (`[[roo]] parameter = "lvc.passenger"`, `value = 0.50`).
    #[serde(default)]
    roo: Vec<RooMoveSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RooMoveSpec {
    parameter: String,
    value: f64,
    #[serde(default)]
    from: Option<Date>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

/// A validated scenario: what it is, and the reform it makes.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Scenario {
    pub name: String,
    #[schemars(with = "quid_core::schema::DateText")]
    pub start: Date,
    pub status: Verification,
    pub note: Option<String>,
    pub sources: Vec<Citation>,
    #[schemars(with = "String")]
    pub file: PathBuf,
    /// Core moves (narrowed by the bilateral layers), then each bilateral layer's moves.
    pub reform: Reform,
    /// Which layer each move comes from ("core", or "CA-US").
    pub layers: Vec<String>,
    /// Changes of rules-of-origin parameters (`quid_roo`), from the start unless dated.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roo: Vec<crate::roo::RooMove>,
}

/// The CUSMA parties.
const PARTIES: [Country; 3] = [Country::CA, Country::MX, Country::US];

/// The line where `id = "<id>"` is written, for messages.
fn line_of(text: &str, id: &str) -> Option<usize> {
    let needle = format!("\"{id}\"");
    text.lines()
        .position(|l| {
            let t = l.trim_start();
            t.starts_with("id") && t.contains(&needle)
        })
        .map(|i| i + 1)
}

impl Scenario {
    /// Reads and validates a scenario file.
    pub fn read(path: &Path) -> Result<Scenario> {
        let text = quid_data::bounded::read_text(path)?;
        Scenario::parse(&text, path)
    }

    /// Validates a scenario's text; every problem names the file, line, move and field.
    pub fn parse(text: &str, path: &Path) -> Result<Scenario> {
        let f: ScenarioFile = toml::from_str(text).map_err(|e| {
            let line = quid_data::error::toml_line(text, &e);
            let field = line.and_then(|l| quid_data::error::toml_field(text, l));
            Error::invalid(
                format!(
                    "{}{}{}",
                    path.display(),
                    line.map(|l| format!(":{l}")).unwrap_or_default(),
                    field.map(|f| format!(": field {f}")).unwrap_or_default()
                ),
                e.message().to_string(),
            )
        })?;
        let mut problems: Vec<String> = Vec::new();
        let at = |id: &str| {
            format!(
                "{}{}: move {id}",
                path.display(),
                line_of(text, id)
                    .map(|l| format!(":{l}"))
                    .unwrap_or_default()
            )
        };
        let mut seen = std::collections::HashSet::new();
        let mut check = |m: &MoveSpec, layer: &[Country], problems: &mut Vec<String>| {
            if !seen.insert(m.id.clone()) {
                problems.push(format!("{}: field id: used by two moves", at(&m.id)));
            }
            if !layer.contains(&m.party) {
                problems.push(format!(
                    "{}: field party: {} is not a party of this layer ({})",
                    at(&m.id),
                    m.party,
                    layer
                        .iter()
                        .map(|c| c.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            if m.measures.is_empty() {
                problems.push(format!(
                    "{}: field measures: empty; name the measures (ids as in `quid measures list`) or rules it acts on",
                    at(&m.id)
                ));
            }
            if let Some(d) = m.from {
                if d < f.start {
                    problems.push(format!(
                        "{}: field from: {d} is before the scenario's start {} (the baseline)",
                        at(&m.id),
                        f.start
                    ));
                }
            }
            match (m.action, &m.rate) {
                (ActionKind::SetRate, None) => problems.push(format!(
                    "{}: field rate: missing; set_rate needs the new rate (\"15%\")",
                    at(&m.id)
                )),
                (ActionKind::SetRate, Some(r)) => {
                    if let Err(e) = quid_core::rate::RateExpr::parse(r) {
                        problems.push(format!(
                            "{}: field rate: {r:?} is not a rate ({})",
                            at(&m.id),
                            e.reason
                        ));
                    }
                }
                (_, Some(_)) => problems.push(format!(
                    "{}: field rate: only a set_rate move has a rate",
                    at(&m.id)
                )),
                _ => {}
            }
            match (m.action, m.factor) {
                (ActionKind::Scale, None) => problems.push(format!(
                    "{}: field factor: missing; scale needs the factor (0.5 for half rates)",
                    at(&m.id)
                )),
                (ActionKind::Scale, Some(f)) if !(0.0..=10.0).contains(&f) => problems.push(
                    format!("{}: field factor: {f} is not between 0 and 10", at(&m.id)),
                ),
                (ActionKind::Scale, Some(_)) => {}
                (_, Some(_)) => problems.push(format!(
                    "{}: field factor: only a scale move has a factor",
                    at(&m.id)
                )),
                _ => {}
            }
            if let Some(o) = &m.origins {
                for c in o {
                    if !layer.contains(c) || *c == m.party {
                        problems.push(format!(
                            "{}: field origins: {c} is not another party of this layer",
                            at(&m.id)
                        ));
                    }
                }
            }
        };
        for m in &f.core {
            check(m, &PARTIES, &mut problems);
        }
        for l in &f.bilateral {
            if l.parties.len() != 2 || l.parties[0] == l.parties[1] {
                problems.push(format!(
                    "{}: field bilateral.parties: two different parties expected",
                    path.display()
                ));
            }
            for m in &l.moves {
                check(m, &l.parties, &mut problems);
            }
        }
        // The moves with their origins made explicit.
        let explicit = |m: &MoveSpec, layer: &[Country]| -> Move {
            let origins = m
                .origins
                .clone()
                .unwrap_or_else(|| layer.iter().copied().filter(|c| *c != m.party).collect());
            Move {
                id: m.id.clone(),
                party: m.party,
                measures: m.measures.clone(),
                origins: Some(origins),
                from: m.from.unwrap_or(f.start),
                action: match (m.action, &m.rate) {
                    (ActionKind::Remove, _) => Action::Remove,
                    (ActionKind::EndRule, _) => Action::EndRule,
                    (ActionKind::SetRate, r) => Action::SetRate(r.clone().unwrap_or_default()),
                    (ActionKind::Scale, _) => Action::Scale(m.factor.unwrap_or(1.0)),
                },
            }
        };
        let overlap = |a: &Move, b: &Move| {
            a.party == b.party
                && a.measures.iter().any(|x| b.measures.contains(x))
                && a.origins
                    .iter()
                    .flatten()
                    .any(|c| b.origins.iter().flatten().any(|d| c == d))
        };
        let mut core: Vec<Move> = f.core.iter().map(|m| explicit(m, &PARTIES)).collect();
        let mut layers: Vec<(String, Vec<Move>)> = Vec::new();
        for l in &f.bilateral {
            let name = l
                .parties
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join("-");
            layers.push((
                name,
                l.moves.iter().map(|m| explicit(m, &l.parties)).collect(),
            ));
        }
        for group in std::iter::once(&core).chain(layers.iter().map(|(_, m)| m)) {
            for (i, a) in group.iter().enumerate() {
                for b in &group[i + 1..] {
                    if overlap(a, b) {
                        problems.push(format!(
                            "{}: moves {} and {} act on the same measure and origin in one layer, with no precedence between them",
                            at(&b.id),
                            a.id,
                            b.id
                        ));
                    }
                }
            }
        }
        if !problems.is_empty() {
            return Err(Error::Check(format!(
                "{} problem(s) in the scenario; nothing was run:\n{}",
                problems.len(),
                problems.join("\n")
            )));
        }
        // Bilateral moves take their parties' goods out of the core's moves on the same measure.
        for (_, moves) in &layers {
            for b in moves {
                for c in core.iter_mut() {
                    if c.party == b.party && c.measures.iter().any(|x| b.measures.contains(x)) {
                        if let (Some(co), Some(bo)) = (&mut c.origins, &b.origins) {
                            co.retain(|o| !bo.contains(o));
                        }
                    }
                }
            }
        }
        core.retain(|c| c.origins.as_ref().is_none_or(|o| !o.is_empty()));
        let mut names: Vec<String> = vec!["core".to_string(); core.len()];
        let mut moves = core;
        for (name, m) in layers {
            names.extend(std::iter::repeat_n(name, m.len()));
            moves.extend(m);
        }
        let mut roo = Vec::with_capacity(f.roo.len());
        let mut roo_problems = Vec::new();
        for (i, m) in f.roo.iter().enumerate() {
            let at = format!("{}: roo move {} ({})", path.display(), i + 1, m.parameter);
            if !quid_roo::rules::REQUIRED.contains(&m.parameter.as_str()) {
                roo_problems.push(format!(
                    "{at}: field parameter: unknown (known: {})",
                    quid_roo::rules::REQUIRED.join(", ")
                ));
                continue;
            }
            let Some(value) =
                quid_roo::rules::decimal_of(m.value).filter(|v| !v.is_sign_negative())
            else {
                roo_problems.push(format!(
                    "{at}: field value: {} is not a non-negative number",
                    m.value
                ));
                continue;
            };
            if m.parameter != "lvc.high_wage_rate" && value > rust_decimal::Decimal::ONE {
                roo_problems.push(format!(
                    "{at}: field value: {value} is a share and must be at most 1"
                ));
                continue;
            }
            if m.from.is_some_and(|d| d < f.start) {
                roo_problems.push(format!(
                    "{at}: field from: before the scenario's start {}",
                    f.start
                ));
                continue;
            }
            roo.push(crate::roo::RooMove {
                parameter: m.parameter.clone(),
                value,
                from: m.from,
            });
        }
        if !roo_problems.is_empty() {
            return Err(Error::Check(roo_problems.join("\n")));
        }
        Ok(Scenario {
            roo,
            name: f.name,
            start: f.start,
            status: f.status,
            note: f.note,
            sources: f.sources,
            file: path.to_path_buf(),
            reform: Reform { moves },
            layers: names,
        })
    }

    /// The reform applied to an engine's measures: the scenario's policy. A move the engine
    /// refuses (a measure not in force on its date) is reported with the file and the move's
    /// line.
    pub fn policy(
        &self,
        engine: &crate::Engine,
        text: Option<&str>,
    ) -> Result<quid_engine::Policy> {
        engine.reformed(&self.reform).map_err(|e| match e {
            Error::Reform(r) => {
                let id = match &r {
                    quid_engine::reform::ReformError::UnknownMeasure { mv, .. }
                    | quid_engine::reform::ReformError::NotInForce { mv, .. }
                    | quid_engine::reform::ReformError::BadRate { mv, .. }
                    | quid_engine::reform::ReformError::DuplicateId { mv, .. }
                    | quid_engine::reform::ReformError::UnknownRule { mv, .. } => mv.clone(),
                };
                let line = text.and_then(|t| line_of(t, &id));
                Error::invalid(
                    format!(
                        "{}{}",
                        self.file.display(),
                        line.map(|l| format!(":{l}")).unwrap_or_default()
                    ),
                    r.to_string(),
                )
            }
            other => other,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Scenario> {
        Scenario::parse(text, Path::new("s.toml"))
    }

    #[test]
    fn every_problem_is_named_with_its_line() {
        let text = r#"name = "bad"
start = "2027-01-01"

[[core]]
id = "a"
party = "US"
measures = ["US-S232-AUTO-1"]
action = "set_rate"
rate = "a lot"

[[core]]
id = "b"
party = "US"
measures = ["US-S232-AUTO-1"]
action = "remove"
from = "2026-06-01"
"#;
        let e = parse(text).unwrap_err().to_string();
        // And the two moves overlap (same measure, same origins, one layer).
        assert!(
            e.starts_with("3 problem(s) in the scenario; nothing was run:"),
            "{e}"
        );
        assert!(
            e.contains("s.toml:5: move a: field rate: \"a lot\" is not a rate"),
            "{e}"
        );
        assert!(
            e.contains("s.toml:12: move b: field from: 2026-06-01 is before the scenario's start 2027-01-01"),
            "{e}"
        );
    }

    #[test]
    fn two_moves_on_one_measure_in_one_layer_need_precedence() {
        let text = r#"name = "x"
start = "2027-01-01"
[[core]]
id = "a"
party = "US"
measures = ["US-S232-AUTO-1"]
action = "remove"
[[core]]
id = "b"
party = "US"
measures = ["US-S232-AUTO-1"]
origins = ["CA"]
action = "set_rate"
rate = "10%"
"#;
        let e = parse(text).unwrap_err().to_string();
        assert!(
            e.contains(
                "s.toml:9: move b: moves a and b act on the same measure and origin in one layer"
            ),
            "{e}"
        );
    }

    #[test]
    fn a_misspelt_field_names_its_line() {
        let text = "name = \"x\"\nstart = \"2027-01-01\"\n[[core]]\nid = \"a\"\nparty = \"US\"\nmesures = [\"X\"]\naction = \"remove\"\n";
        let e = parse(text).unwrap_err().to_string();
        assert!(e.starts_with("s.toml:6"), "{e}");
        assert!(e.contains("mesures"), "{e}");
    }
}
