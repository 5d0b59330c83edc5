//! Measures as data: the record format of `data/measures/**/*.toml`, one `[[measure]]` table per
//! measure and `[[rule]]` tables for stacking rules, each with its legal instrument, effective
//! period and citations.
//!
//! ```toml
//! [[measure]]
//! id = "US-IEEPA-CA-1"
//! title = "IEEPA duty on products of Canada"
//! importer = "US"
//! origins = ["CA"]
//! authority = "ieepa-ca"
//! heading = "9903.01.10"
//! instrument = "EO 14193 (2025-02-01), as amended by EO 14226 (2025-03-02)"
//! status = "in_force"
//! confidence = "H"
//! from = "2025-03-04"
//! until = "2025-08-01"
//! rate = "25%"
//! base = "full_value"
//! scope = { include = ["*"], exclude_lists = ["ieepa_exempt"] }
//! conditions = { preference_claim = "absent" }
//! citations = [{ title = "EO 14193", url = "https://...", date = "2025-02-01" }]
//! ```

use crate::authority::Authority;
use quid_core::{Citation, Confidence, Country, Date};
use serde::Deserialize;

/// How a measure stands in law.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// In force over its period (it may have ended: `until`).
    InForce,
    /// Announced, not implemented.
    Announced,
    /// Threatened only.
    Threatened,
    /// Collected, then held unlawful: see `struck_down`.
    StruckDown,
    /// From a single unverified source; off by default.
    Unverified,
}

impl Status {
    /// True when the measure was collected at entry (in force, or in force and later struck down).
    pub fn collected(&self) -> bool {
        matches!(self, Status::InForce | Status::StruckDown)
    }
}

/// What the rate is charged on.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Base {
    /// The customs value (US) or value for duty (Canada).
    FullValue,
    /// The value of the steel content.
    SteelContent,
    /// The value of the aluminum content.
    AluminumContent,
    /// The value of the copper content.
    CopperContent,
    /// The value less the US content (USMCA vehicles, trucks, Annex I-C).
    NonUsContent,
    /// The value less the Canadian and Mexican content (Canada's vehicle surtax on
    /// CUSMA-compliant vehicles).
    NonCaMxContent,
}

/// A condition on the entry's claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Claim {
    /// Applies whatever the entry claims.
    #[default]
    Any,
    /// Applies only when the entry makes the claim.
    Present,
    /// Applies only when the entry does not make the claim.
    Absent,
}

/// Conditions on the entry.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Conditions {
    /// USMCA (US) / CUSMA (Canada) preference claim.
    #[serde(default)]
    pub preference_claim: Claim,
    /// Metal melted and poured (smelted and cast) in the US.
    #[serde(default)]
    pub us_melted: Claim,
    /// The good is "energy or energy resources" (EO 14193): declared by the entry, or on
    /// `energy_list`.
    #[serde(default)]
    pub energy: Claim,
    /// A list reference (as in `scope.include_lists`) of the products that count as energy.
    #[serde(default)]
    pub energy_list: Option<String>,
    /// The good was found transshipped to evade the duty.
    #[serde(default)]
    pub transshipped: Claim,
    /// The entry declares that the article meets the measure's technical or end-use test (for
    /// measures whose scope a tariff line cannot decide, such as the Section 232 duty on
    /// advanced semiconductors).
    #[serde(default)]
    pub qualifying: Claim,
}

/// Product scope: HS prefixes, inline or from bundled list files, with exclusions.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// HS prefixes (2 to 10 digits, dots optional); `"*"` means every product.
    #[serde(default)]
    pub include: Vec<String>,
    /// Names of bundled lists (see [`crate::lists`]) whose prefixes are included.
    #[serde(default)]
    pub include_lists: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub exclude_lists: Vec<String>,
}

/// A measure record as written in the TOML files.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureRecord {
    pub id: String,
    /// The row of `shared/research/measures.md` this record implements (defaults to `id`).
    #[serde(default)]
    pub family: Option<String>,
    pub title: String,
    /// The importing (imposing) country.
    pub importer: Country,
    /// Origins targeted; `["*"]` for every country.
    pub origins: Vec<String>,
    #[serde(default)]
    pub except_origins: Vec<Country>,
    /// Authority class: mfn, s232-steel, s232-aluminum, s232-copper, s232-autos,
    /// s232-auto-parts, s232-lumber, s232-furniture, s232-mhdv, s232-buses, s232-semis,
    /// ieepa-ca, ieepa-mx, s122, s301-forced-labour, s338, ca-surtax-2025-1,
    /// ca-surtax-steel-aluminum, ca-surtax-motor-vehicles, ca-steel-derivative (see
    /// [`crate::authority::AUTHORITIES`]).
    pub authority: Authority,
    /// The legal heading: a US Chapter 99 number, or the Canadian order and schedule.
    pub heading: String,
    pub instrument: String,
    pub status: Status,
    /// H, M or L as in the research timeline.
    pub confidence: Confidence,
    pub from: Date,
    /// First day no longer covered (half-open); absent while in force.
    #[serde(default)]
    pub until: Option<Date>,
    /// The rate as the legal text states it ("25%", "50%", "$1.035/kg").
    pub rate: String,
    pub base: Base,
    /// A floor on the effective duty as a share of the full value, where the law sets one
    /// ("never less than 15% effective").
    #[serde(default)]
    pub min_effective_percent: Option<String>,
    pub scope: Scope,
    #[serde(default)]
    pub conditions: Conditions,
    /// The rate is what the base duty and this layer come to together ("Column 1 + 232 = 15%"):
    /// the layer charges the rate less the base duty, never below zero.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rate_to_total: bool,
    /// The rate and case are declared on the entry, never guessed (AD/CVD cash deposits): the
    /// measure applies only when the entry declares a case of this kind, at the declared rate;
    /// `rate` is then written `"declared"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared: Option<crate::entry::CaseKind>,
    /// When the measure was struck down and whether what was paid is refundable.
    #[serde(default)]
    pub struck_down: Option<StruckDown>,
    pub citations: Vec<Citation>,
    #[serde(default)]
    pub notes: Option<String>,
}

impl MeasureRecord {
    /// True when `reference` (a ledger's measure id, e.g. `US-IEEPA-CA-3`) names this record:
    /// its id, its family, or an id prefix before a dot (`US-S232-SA-2` names
    /// `US-S232-SA-2.steel-articles`).
    pub fn is_named_by(&self, reference: &str) -> bool {
        self.id == reference
            || self.family.as_deref() == Some(reference)
            || self
                .id
                .strip_prefix(reference)
                .is_some_and(|rest| rest.starts_with('.'))
    }
}

/// A measure held unlawful after it was collected.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct StruckDown {
    /// Date of the ruling.
    pub ruling: Date,
    pub refundable: bool,
    pub citation: Citation,
}

/// How one authority's duty relates to another's when both could apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// When a `winners` measure applies with more than 0% owed, the `losers` do not apply.
    Excludes,
    /// The `losers` apply only to the value not already charged by a `winners` measure that
    /// is charged on a content base (metal content pays 232; the rest pays IEEPA).
    ContentSplit,
    /// A remission order: when the entry declares remission (`Entry::remission`) and its line
    /// is in the rule's `scope` (every product when the scope is empty), the `losers` are
    /// remitted (not owed). `winners` is empty. The order's condition (use in manufacturing,
    /// a named importer) cannot be read from a tariff line, so the entry declares it.
    Remission,
    /// Duty-free de minimis treatment (19 U.S.C. 1321): when the entry declares it, its value is
    /// at most `max_value` and its origin is one of the rule's, the `losers` are not owed and,
    /// when `mfn` is among them, neither is the base duty. `winners` is empty. Declared and not
    /// available, it is refused with a warning on the assessment.
    DeMinimis,
}

/// A stacking rule, itself dated and cited.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleRecord {
    pub id: String,
    pub importer: Country,
    pub kind: RuleKind,
    /// Authorities that prevail.
    pub winners: Vec<Authority>,
    /// Authorities that give way.
    pub losers: Vec<Authority>,
    pub from: Date,
    #[serde(default)]
    pub until: Option<Date>,
    pub instrument: String,
    /// The products a remission rule covers (remission rules only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    /// The condition the entry declares to claim a remission rule, as the order states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// A de minimis rule's value threshold, in the importer's currency ("800").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_value: Option<String>,
    /// Origins a de minimis rule covers (`["*"]` or empty: every origin).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub origins: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub except_origins: Vec<Country>,
    pub citations: Vec<Citation>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// One measure file: any number of measures and rules.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureFile {
    #[serde(default)]
    pub measure: Vec<MeasureRecord>,
    #[serde(default)]
    pub rule: Vec<RuleRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gap: Vec<GapRecord>,
}

/// A declaration that answers a gap (the entry then carries what quid needs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Declaration {
    /// An AD/CVD case and rate (`adcvd_case`, `adcvd_rate`).
    Adcvd,
    /// Remission under an order (`remission`).
    Remission,
    /// A de minimis claim (`de_minimis`).
    DeMinimis,
}

/// A layer quid does not model, said on the assessment of every entry it could affect
/// (importer, origin, date and product), unless the entry makes the declaration that answers it.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct GapRecord {
    pub id: String,
    pub importer: Country,
    /// Origins concerned; `["*"]` for every country.
    pub origins: Vec<String>,
    #[serde(default)]
    pub except_origins: Vec<Country>,
    /// Products concerned (every product when the scope is empty).
    #[serde(default)]
    pub scope: Scope,
    pub from: Date,
    #[serde(default)]
    pub until: Option<Date>,
    /// The declaration that answers the gap, when there is one.
    #[serde(default)]
    pub unless: Option<Declaration>,
    /// The gap concerns only entries that make this declaration.
    #[serde(default)]
    pub when: Option<Declaration>,
    /// What is not modelled and what it could change, as printed on the assessment.
    pub text: String,
    pub citations: Vec<Citation>,
}
