//! `assess`: the duty an entry owes, layer by layer, with the legal heading, base, rate and
//! citations of each layer, the measures considered and not applied (and why), and, for entries
//! under measures later struck down, what is owed after the ruling and what is refundable.
//!
//! Order of work: the base duty from the schedule; every measure whose importer, origin,
//! period, status, product scope and conditions match; each layer's base (full value, a
//! declared or stand-in metal content, the non-US or non-Canadian/Mexican content); then the
//! stacking rules in force on the entry date, in file order (`excludes` drops the losers when a
//! winner owes more than zero; `content_split` charges the losers only on the value the winners'
//! content bases did not take). Each amount is rounded to the cent, half away from zero.
//!
//! The result borrows every text (ids, headings, citations) from the compiled policy and the
//! reference data and keeps its lists in fixed-capacity arrays: assessing allocates nothing.
//!
//! Two measures meet on a steel coil; a stacking rule lets Section 232 exclude the IEEPA duty,
//! which is reported as considered and not applied:
//!
//! ```
//! use quid_core::rate::RateExpr;
//! use quid_core::{parse_date, Country, HsCode};
//! use quid_engine::{
//!     Authority, BaseBasis, BaseRate, BaseRateError, Entry, Law, MeasureFile, MetalShare, Policy,
//!     Reference,
//! };
//! use rust_decimal::Decimal;
//! use quid_engine::Reason;
//!
//! let file: MeasureFile = toml::from_str(r#"
//!     [[measure]]
//!     id = "US-S232-SA-2.steel"
//!     title = "Section 232 steel, 50%"
//!     importer = "US"
//!     origins = ["*"]
//!     authority = "s232-steel"
//!     heading = "9903.81.87"
//!     instrument = "Proclamation 10947"
//!     status = "in_force"
//!     confidence = "H"
//!     from = "2025-06-04"
//!     rate = "50%"
//!     base = "full_value"
//!     scope = { include = ["72"] }
//!     citations = [{ title = "Proclamation 10947" }]
//!
//!     [[measure]]
//!     id = "US-IEEPA-CA-1"
//!     title = "IEEPA duty on products of Canada"
//!     importer = "US"
//!     origins = ["CA"]
//!     authority = "ieepa-ca"
//!     heading = "9903.01.10"
//!     instrument = "EO 14193"
//!     status = "in_force"
//!     confidence = "H"
//!     from = "2025-03-04"
//!     rate = "25%"
//!     base = "full_value"
//!     scope = { include = ["*"] }
//!     conditions = { preference_claim = "absent" }
//!     citations = [{ title = "EO 14193" }]
//!
//!     [[rule]]
//!     id = "US-STACK-232"
//!     importer = "US"
//!     kind = "excludes"
//!     winners = ["s232-steel"]
//!     losers = ["ieepa-ca"]
//!     from = "2025-03-04"
//!     instrument = "EO 14289"
//!     citations = [{ title = "EO 14289" }]
//! "#).unwrap();
//! let no_lists = |r: &str| -> Result<Vec<HsCode>, String> { Err(format!("no list {r}")) };
//! let policy = Policy::compile(&[("m.toml".to_string(), file)], &no_lists, false).unwrap();
//! // The reference data: every line free of base duty, no metal shares, the bundled law.
//! struct Free {
//!     free: RateExpr,
//!     law: Law,
//! }
//! impl Reference for Free {
//!     fn base_rate(&self, e: &Entry) -> Result<BaseRate<'_>, BaseRateError> {
//!         Ok(BaseRate {
//!             rate: Some(&self.free),
//!             authority: Authority::MFN,
//!             line: e.hs,
//!             text: "Free",
//!             basis: BaseBasis::Schedule {
//!                 column: "column 1 general",
//!                 edition: "2025 basic",
//!                 stated_on: e.hs,
//!                 stand_in: false,
//!             },
//!             citation: None,
//!         })
//!     }
//!     fn metal_share(&self, _hs: &HsCode) -> Option<MetalShare> {
//!         None
//!     }
//!     fn law(&self) -> &Law {
//!         &self.law
//!     }
//! }
//! let reference = Free {
//!     free: RateExpr::parse("Free").unwrap(),
//!     law: toml::from_str(include_str!(concat!(
//!         env!("CARGO_MANIFEST_DIR"),
//!         "/../../data/params/law.toml"
//!     )))
//!     .unwrap(),
//! };
//! // A Canadian hot-rolled steel coil of value 100000 entered on 2025-07-01.
//! let coil = Entry::new(
//!     Country::US,
//!     Country::CA,
//!     HsCode::parse("7208.10.15.00").unwrap(),
//!     parse_date("2025-07-01").unwrap(),
//!     Decimal::new(100_000, 0),
//! );
//! let a = policy.assess(&coil, &reference).unwrap();
//! // Steel owes 50% of 100000; the IEEPA 25% (25000) gives way to it.
//! let layers: Vec<_> = a.layers.iter().map(|l| (l.measure(), l.amount.to_string())).collect();
//! assert_eq!(layers, [("US-S232-SA-2.steel", "50000.00".to_string())]);
//! assert_eq!(a.not_applied[0].measure(), "US-IEEPA-CA-1");
//! assert_eq!(a.not_applied[0].reason, Reason::Precedence);
//! assert_eq!(a.not_applied[0].prevailing, Some("US-S232-SA-2.steel"));
//! assert_eq!(a.additional().to_string(), "50000.00");
//! // A non-steel good of Canada (chapter 44, lumber) owes the IEEPA duty alone: 25% of 8000.
//! let lumber = Entry { hs: HsCode::parse("4407.11.00").unwrap(), value: Decimal::new(8_000, 0), ..coil };
//! assert_eq!(policy.assess(&lumber, &reference).unwrap().total.to_string(), "2000.00");
//! ```

use crate::authority::Authority;
use crate::base_rate::{BaseBasis, BaseRateError};
use crate::entry::{Adcvd, CaseNo, Entry};
use crate::law::LawError;
use crate::measure::{Base, GapRecord, RuleKind, RuleRecord, Status};
use crate::policy::{CompiledMeasure, CompiledRule, Policy, Reference};
use arrayvec::ArrayVec;
use quid_core::money::{mul, round_cents};
use quid_core::rate::{EvalError, EvalInput};
use quid_core::{Citation, Date, HsCode};
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::fmt;

/// At most this many layers apply to one entry.
pub const MAX_LAYERS: usize = 12;
/// At most this many measures are reported as considered and not applied.
pub const MAX_NOT_APPLIED: usize = 16;
const MAX_CANDIDATES: usize = 64;

/// Why a measure considered for an entry was not applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// A stacking rule gave precedence to another measure.
    Precedence,
    /// The entry's USMCA/CUSMA claim (or its absence) takes it out.
    PreferenceClaim,
    /// Another condition (US-melted metal, transshipment, energy) is not met.
    Condition,
    /// Announced, threatened or unverified: never collected.
    NotInForce,
    /// The product is on the measure's exclusion list.
    ProductExclusion,
    /// Remitted under a remission order the entry declares (see `RuleKind::Remission`).
    Remitted,
    /// Not owed on a de minimis entry (see `RuleKind::DeMinimis`).
    DeMinimis,
}

/// How a layer's base was found when the entry did not declare it.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StandIn {
    /// Metal content not declared: the BEA metal share of the line.
    MetalShare {
        metal: &'static str,
        #[serde(serialize_with = "quid_core::schema::decimal")]
        share: Decimal,
    },
    /// Metal content not declared and no share known: taken as zero.
    NoMetalShare { metal: &'static str },
    /// US content not declared: the documented default share.
    DefaultUsContent {
        #[serde(serialize_with = "quid_core::schema::decimal")]
        share: Decimal,
    },
    /// Canadian/Mexican content not declared: the order's minimum deduction.
    DefaultCaMxContent {
        #[serde(serialize_with = "quid_core::schema::decimal")]
        share: Decimal,
    },
    /// A minimum effective duty (percent of value) set the amount.
    MinimumEffective {
        #[serde(serialize_with = "quid_core::schema::decimal")]
        percent: Decimal,
    },
    /// A content-split rule left this layer only the value the winners did not take.
    SplitBy {
        #[serde(serialize_with = "quid_core::schema::money")]
        content: Decimal,
    },
    /// The rate is the total with the base duty: the layer is the rate's amount less it.
    TopUp {
        #[serde(serialize_with = "quid_core::schema::money")]
        base_duty: Decimal,
    },
    /// The rate is the total with the base duty, which is unknown: taken as zero.
    TopUpBaseUnknown,
    /// The rate and case were declared on the entry (AD/CVD), not taken from quid's data.
    Declared,
}

impl fmt::Display for StandIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StandIn::MetalShare { metal, share } => write!(
                f,
                "{metal} content not declared: stand-in {:.2}% of value (BEA 2017 input-output metal share of the line)",
                share * Decimal::ONE_HUNDRED
            ),
            StandIn::NoMetalShare { metal } => write!(f, "{metal} content not declared and no stand-in share for the line: taken as 0"),
            StandIn::DefaultUsContent { share } => write!(
                f,
                "US content not declared: default {}% (Budget Lab tariff-rate-tracker config/policy_params.yaml, us_auto_content_share)",
                share * Decimal::ONE_HUNDRED
            ),
            StandIn::DefaultCaMxContent { share } => write!(
                f,
                "Canadian/Mexican content not declared or below the minimum: the order's minimum deduction of {}% of value",
                share * Decimal::ONE_HUNDRED
            ),
            StandIn::MinimumEffective { percent } => write!(f, "the minimum effective duty of {percent}% of value applies"),
            StandIn::SplitBy { content } => write!(f, "charged only on the value not already charged on its content by a prevailing measure (value less {content:.2})"),
            StandIn::TopUp { base_duty } => write!(f, "the rate is the base duty and this duty together: charged as the rate's amount less the base duty {base_duty:.2}, never below zero"),
            StandIn::TopUpBaseUnknown => write!(f, "the rate is the base duty and this duty together, and the base duty is unknown: charged as if it were zero (an upper bound)"),
            StandIn::Declared => write!(f, "case and cash-deposit rate as declared on the entry; quid holds no AD/CVD rates"),
        }
    }
}

/// Money in JSON (see `quid_core::schema::money`).
struct Cents(Decimal);

impl serde::Serialize for Cents {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        quid_core::schema::money(&self.0, s)
    }
}

/// One layer of additional duty: the measure (borrowed from the policy), its base and amount.
#[derive(Debug, Clone, Copy)]
pub struct Layer<'p> {
    m: &'p CompiledMeasure,
    pub base: Decimal,
    pub amount: Decimal,
    /// How the base was found when the entry did not declare it.
    pub stand_in: Option<StandIn>,
    /// The case and rate declared on the entry, for a measure with a declared rate (AD/CVD).
    pub declared: Option<Adcvd>,
}

impl<'p> Layer<'p> {
    pub fn measure(&self) -> &'p str {
        &self.m.rec.id
    }
    pub fn authority(&self) -> Authority {
        self.m.rec.authority
    }
    pub fn heading(&self) -> &'p str {
        &self.m.rec.heading
    }
    pub fn title(&self) -> &'p str {
        &self.m.rec.title
    }
    /// The rate text: the record's, or the declared rate (`20.56%`).
    pub fn rate(&self) -> Cow<'p, str> {
        match self.declared {
            Some(d) => Cow::Owned(format!("{}%", d.rate_percent.normalize())),
            None => Cow::Borrowed(&self.m.rec.rate),
        }
    }
    /// The declared case number (AD/CVD layers).
    pub fn case(&self) -> Option<CaseNo> {
        self.declared.map(|d| d.case)
    }
    /// "authority heading rate" (`s232-steel 9903.81.87 50%`), built once at compile time;
    /// for a declared layer "adcvd A-122-857 20.56%".
    pub fn label(&self) -> Cow<'p, str> {
        match self.declared {
            Some(d) => Cow::Owned(format!(
                "{} {} {}%",
                self.m.rec.authority,
                d.case,
                d.rate_percent.normalize()
            )),
            None => Cow::Borrowed(&self.m.label),
        }
    }
    pub fn base_kind(&self) -> Base {
        self.m.rec.base
    }
    pub fn citations(&self) -> &'p [Citation] {
        &self.m.rec.citations
    }
    /// When the measure was later held unlawful: the ruling date.
    pub fn struck_down(&self) -> Option<Date> {
        self.m.rec.struck_down.as_ref().map(|s| s.ruling)
    }
    /// True when what this layer collected is refundable after a ruling.
    pub fn refundable(&self) -> bool {
        self.m.rec.status == Status::StruckDown
            && self
                .m
                .rec
                .struck_down
                .as_ref()
                .is_some_and(|s| s.refundable)
    }
}

impl schemars::JsonSchema for Layer<'_> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Layer".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let citations = g.subschema_for::<Vec<Citation>>();
        let money = g.subschema_for::<quid_core::schema::MoneyNumber>();
        let date = g.subschema_for::<Option<quid_core::schema::DateText>>();
        let base_kind = g.subschema_for::<Base>();
        schemars::json_schema!({
            "description": "One layer of additional duty: the measure, its base and amount (see Serialize).",
            "type": "object",
            "properties": {
                "measure": {"type": "string"},
                "authority": {"type": "string"},
                "heading": {"type": "string"},
                "case": {"type": ["string", "null"]},
                "title": {"type": "string"},
                "base_kind": base_kind,
                "base": money,
                "rate": {"type": "string"},
                "amount": money,
                "struck_down": date,
                "refundable": {"type": "boolean"},
                "stand_in": {"type": ["string", "null"]},
                "citations": citations
            },
            "required": ["measure", "authority", "heading", "case", "title", "base_kind", "base", "rate", "amount", "struck_down", "refundable", "stand_in", "citations"],
            "additionalProperties": false
        })
    }
}

impl serde::Serialize for Layer<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Layer", 13)?;
        st.serialize_field("measure", self.measure())?;
        st.serialize_field("authority", &self.authority())?;
        st.serialize_field("heading", self.heading())?;
        st.serialize_field("case", &self.case().map(|c| c.to_string()))?;
        st.serialize_field("title", self.title())?;
        st.serialize_field("base_kind", &self.base_kind())?;
        st.serialize_field("base", &Cents(self.base))?;
        st.serialize_field("rate", &self.rate())?;
        st.serialize_field("amount", &Cents(self.amount))?;
        st.serialize_field("struck_down", &self.struck_down())?;
        st.serialize_field("refundable", &self.refundable())?;
        st.serialize_field("stand_in", &self.stand_in.map(|x| x.to_string()))?;
        st.serialize_field("citations", self.citations())?;
        st.end()
    }
}

/// The base (MFN or preferential) duty.
#[derive(Debug, Clone, Copy, serde::Serialize, schemars::JsonSchema)]
pub struct BaseLayer<'p> {
    pub authority: Authority,
    pub line: HsCode,
    pub rate: &'p str,
    #[serde(serialize_with = "quid_core::schema::money")]
    #[schemars(with = "quid_core::schema::MoneyNumber")]
    pub base: Decimal,
    #[serde(serialize_with = "quid_core::schema::money")]
    #[schemars(with = "quid_core::schema::MoneyNumber")]
    pub amount: Decimal,
    pub basis: BaseBasis<'p>,
    /// The rule that relieved the base duty (de minimis), when one did: `amount` is then zero.
    pub relieved_by: Option<&'p str>,
}

/// A measure considered and not applied.
#[derive(Debug, Clone, Copy)]
pub struct NotApplied<'p> {
    m: &'p CompiledMeasure,
    pub reason: Reason,
    rule: Option<&'p CompiledRule>,
    /// The measure that prevailed, when a stacking rule is the reason.
    pub prevailing: Option<&'p str>,
}

impl<'p> NotApplied<'p> {
    pub fn measure(&self) -> &'p str {
        &self.m.rec.id
    }
    pub fn authority(&self) -> Authority {
        self.m.rec.authority
    }
    pub fn heading(&self) -> &'p str {
        &self.m.rec.heading
    }
    pub fn citations(&self) -> &'p [Citation] {
        &self.m.rec.citations
    }
    /// The stacking rule that gave precedence, when that is the reason.
    pub fn rule(&self) -> Option<&'p RuleRecord> {
        self.rule.map(|r| &r.rec)
    }
    pub fn rule_citations(&self) -> &'p [Citation] {
        self.rule.map_or(&[], |r| r.rec.citations.as_slice())
    }

    /// A sentence saying why.
    pub fn detail(&self, entry: &Entry) -> String {
        match self.reason {
            Reason::Precedence => format!(
                "{}: {} prevails ({})",
                self.rule().map_or("stacking rule", |r| r.id.as_str()),
                self.prevailing.unwrap_or("another measure"),
                self.rule().map_or("", |r| r.instrument.as_str())
            ),
            Reason::PreferenceClaim if entry.preference_claim => {
                "the entry claims USMCA/CUSMA preference, which this measure exempts".into()
            }
            Reason::PreferenceClaim => {
                "applies only to goods entered with a USMCA/CUSMA claim".into()
            }
            Reason::Condition => {
                "a condition of the measure (US-melted metal, transshipment, energy) is not met"
                    .into()
            }
            Reason::NotInForce => format!("status {:?}: never collected", self.m.rec.status),
            Reason::ProductExclusion => {
                format!("{} is excluded from this measure's scope", entry.hs)
            }
            Reason::DeMinimis => format!(
                "not owed on a de minimis entry under {} ({}): value {} at most {}",
                self.rule().map_or("a de minimis rule", |r| r.id.as_str()),
                self.rule().map_or("", |r| r.instrument.as_str()),
                entry.value,
                self.rule()
                    .and_then(|r| r.max_value.as_deref())
                    .unwrap_or("the threshold")
            ),
            Reason::Remitted => format!(
                "remitted under {} ({}): the entry declares {}",
                self.rule().map_or("a remission rule", |r| r.id.as_str()),
                self.rule().map_or("", |r| r.instrument.as_str()),
                self.rule()
                    .and_then(|r| r.condition.as_deref())
                    .unwrap_or("the order's condition")
            ),
        }
    }
}

impl schemars::JsonSchema for NotApplied<'_> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "NotApplied".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let citations = g.subschema_for::<Vec<Citation>>();
        let reason = g.subschema_for::<Reason>();
        schemars::json_schema!({
            "description": "A measure considered and not applied, and why.",
            "type": "object",
            "properties": {
                "measure": {"type": "string"},
                "authority": {"type": "string"},
                "heading": {"type": "string"},
                "reason": reason,
                "rule": {"type": ["string", "null"]},
                "prevailing": {"type": ["string", "null"]},
                "citations": citations,
                "rule_citations": citations
            },
            "required": ["measure", "authority", "heading", "reason", "rule", "prevailing", "citations", "rule_citations"],
            "additionalProperties": false
        })
    }
}

impl serde::Serialize for NotApplied<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("NotApplied", 8)?;
        st.serialize_field("measure", self.measure())?;
        st.serialize_field("authority", &self.authority())?;
        st.serialize_field("heading", self.heading())?;
        st.serialize_field("reason", &self.reason)?;
        st.serialize_field("rule", &self.rule().map(|r| r.id.as_str()))?;
        st.serialize_field("prevailing", &self.prevailing)?;
        st.serialize_field("citations", self.citations())?;
        st.serialize_field("rule_citations", self.rule_citations())?;
        st.end()
    }
}

/// At most this many warnings are kept for one entry.
pub const MAX_WARNINGS: usize = 8;

/// Something the assessment could not take into account.
#[derive(Debug, Clone, Copy)]
pub enum Warning<'p> {
    /// A layer quid does not model could apply to the entry (a `[[gap]]` record).
    NotModelled(&'p GapRecord),
    /// The entry declares de minimis and no de minimis rule covers it on its date, origin and
    /// value: it is assessed as a formal or informal entry. `threshold` is the value limit of a
    /// rule in force for the origin, when the value is what exceeded it.
    DeMinimisRefused { threshold: Option<Decimal> },
}

impl Warning<'_> {
    /// The gap's or the warning's id.
    pub fn id(&self) -> &str {
        match self {
            Warning::NotModelled(g) => &g.id,
            Warning::DeMinimisRefused { .. } => "de-minimis-refused",
        }
    }
}

impl fmt::Display for Warning<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::NotModelled(g) => f.write_str(&g.text),
            Warning::DeMinimisRefused { threshold: Some(t) } => write!(
                f,
                "de minimis declared, but the value is above the threshold of {t}: assessed as a formal or informal entry"
            ),
            Warning::DeMinimisRefused { threshold: None } => f.write_str(
                "de minimis declared, but no de minimis treatment in quid covers this importer, origin and date: assessed as a formal or informal entry",
            ),
        }
    }
}

impl schemars::JsonSchema for Warning<'_> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Warning".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let citations = g.subschema_for::<Vec<Citation>>();
        schemars::json_schema!({
            "description": "What quid does not model and could change the duty, or a declaration it could not honour.",
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "text": {"type": "string"},
                "citations": citations
            },
            "required": ["id", "text", "citations"],
            "additionalProperties": false
        })
    }
}

impl serde::Serialize for Warning<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Warning", 3)?;
        st.serialize_field("id", self.id())?;
        st.serialize_field("text", &self.to_string())?;
        let none: &[Citation] = &[];
        st.serialize_field(
            "citations",
            match self {
                Warning::NotModelled(g) => g.citations.as_slice(),
                Warning::DeMinimisRefused { .. } => none,
            },
        )?;
        st.end()
    }
}

/// The result of assessing one entry.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct Assessment<'p> {
    pub entry: Entry,
    /// The base-duty layer; `None` when the base rate cannot be known from the data.
    pub base: Option<BaseLayer<'p>>,
    pub base_basis: BaseBasis<'p>,
    #[schemars(with = "Vec<Layer<'p>>")]
    pub layers: ArrayVec<Layer<'p>, MAX_LAYERS>,
    #[schemars(with = "Vec<NotApplied<'p>>")]
    pub not_applied: ArrayVec<NotApplied<'p>, MAX_NOT_APPLIED>,
    /// What quid does not model and could change this entry's duty, and declarations it could
    /// not honour.
    #[schemars(with = "Vec<Warning<'p>>")]
    pub warnings: ArrayVec<Warning<'p>, MAX_WARNINGS>,
    /// Total at entry: base duty (when known) plus every layer.
    #[serde(serialize_with = "quid_core::schema::money")]
    #[schemars(with = "quid_core::schema::MoneyNumber")]
    pub total: Decimal,
    /// Total owed once struck-down measures are refunded (present when any layer was struck
    /// down; `null` when no layer was, and nothing changes).
    #[serde(serialize_with = "quid_core::schema::money_opt")]
    #[schemars(with = "Option<quid_core::schema::MoneyNumber>")]
    pub owed_after_ruling: Option<Decimal>,
    #[serde(serialize_with = "quid_core::schema::money")]
    #[schemars(with = "quid_core::schema::MoneyNumber")]
    pub refundable: Decimal,
}

impl Assessment<'_> {
    pub fn base_rate_known(&self) -> bool {
        self.base.is_some()
    }

    /// The sum of the additional layers: the total less the base duty (amounts are exact
    /// decimals, so the two are equal).
    pub fn additional(&self) -> Decimal {
        self.total - self.base.as_ref().map_or(Decimal::ZERO, |b| b.amount)
    }
}

/// Why an entry cannot be assessed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssessError {
    #[error("the value must be zero or more, got {0}")]
    NegativeValue(Decimal),
    #[error("{measure} ({heading}): {source}")]
    Rate {
        measure: String,
        heading: String,
        #[source]
        source: EvalError,
    },
    #[error(transparent)]
    Base(#[from] BaseRateError),
    /// A law parameter the entry needs (a default content share) has no value on its date.
    #[error(transparent)]
    Law(#[from] LawError),
    #[error("a declared content or share is out of range: {0}")]
    Declaration(String),
    #[error("more than {0} measures matched one entry; the measure data is likely wrong")]
    TooMany(usize),
}

fn rate_error(m: &CompiledMeasure, e: EvalError) -> AssessError {
    AssessError::Rate {
        measure: m.rec.id.clone(),
        heading: m.rec.heading.clone(),
        source: e,
    }
}

impl AssessError {
    /// True when the entry lacks a declaration the rate needs (a quantity in a unit, a part's
    /// value, a content quantity, degrees, or the rate of another provision that the schedule
    /// refers to): the fix is on the entry, not in quid.
    pub fn is_missing_declaration(&self) -> bool {
        matches!(
            self,
            AssessError::Rate {
                source: EvalError::NeedsQuantity(_)
                    | EvalError::NeedsPartValue(_)
                    | EvalError::NeedsContentQuantity(_)
                    | EvalError::NeedsDegrees
                    | EvalError::UnitMismatch { .. }
                    | EvalError::UnknownUnit(_)
                    | EvalError::Rule(_),
                ..
            }
        )
    }
}

fn validate(entry: &Entry) -> Result<(), AssessError> {
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
    Ok(())
}

impl Policy {
    /// Assesses an entry.
    pub fn assess<'p>(
        &'p self,
        entry: &Entry,
        reference: &'p dyn Reference,
    ) -> Result<Assessment<'p>, AssessError> {
        self.assess_with(entry, reference, Assessment::clone)
    }

    /// Assesses an entry and hands the assessment to `f` by reference: the assessment is built
    /// in place and never moved (the batch path writes it out where it was built).
    #[inline]
    pub fn assess_with<'p, T>(
        &'p self,
        entry: &Entry,
        reference: &'p dyn Reference,
        f: impl FnOnce(&Assessment<'p>) -> T,
    ) -> Result<T, AssessError> {
        validate(entry)?;
        // 1. Base duty.
        let br = reference.base_rate(entry)?;
        let base = match br.rate {
            Some(rate) => {
                let input = EvalInput::new(entry.value).with_optional_quantity(entry.quantity);
                let amount = rate.duty(&input).map_err(|e| AssessError::Rate {
                    measure: br.authority.to_string(),
                    heading: br.line.dotted(),
                    source: e,
                })?;
                Some(BaseLayer {
                    authority: br.authority,
                    line: br.line,
                    rate: br.text,
                    base: entry.value,
                    amount: round_cents(amount),
                    basis: br.basis,
                    relieved_by: None,
                })
            }
            None => None,
        };
        let mut a = Assessment {
            entry: *entry,
            base,
            base_basis: br.basis,
            layers: ArrayVec::new(),
            not_applied: ArrayVec::new(),
            warnings: ArrayVec::new(),
            total: Decimal::ZERO,
            owed_after_ruling: None,
            refundable: Decimal::ZERO,
        };
        // A code given at fewer digits than the schedule's lines is assessed as the line the
        // schedule resolved it to (the base layer shows which).
        if br.line.level() > entry.hs.level() && br.line.starts_with(&entry.hs) {
            a.entry.hs = br.line;
        }
        self.add_layers(reference, &mut a)?;
        Ok(f(&a))
    }

    /// Steps 2 and 3 (the additional layers and the stacking rules), then the sums.
    #[inline(always)]
    fn add_layers<'p>(
        &'p self,
        reference: &'p dyn Reference,
        a: &mut Assessment<'p>,
    ) -> Result<(), AssessError> {
        let Assessment {
            entry,
            base,
            layers,
            not_applied,
            warnings,
            ..
        } = a;
        let entry = &*entry;
        let base_duty = base.as_ref().map(|b| b.amount);
        if let Some(idx) = self.importers.get(&entry.importer) {
            // 2. Candidate measures by product prefix.
            let mut matched: ArrayVec<u32, MAX_CANDIDATES> = ArrayVec::new();
            let mut excluded: ArrayVec<u32, MAX_CANDIDATES> = ArrayVec::new();
            for &i in &idx.all_products {
                matched
                    .try_push(i)
                    .map_err(|_| AssessError::TooMany(MAX_CANDIDATES))?;
            }
            let keys = crate::policy::prefix_keys(&entry.hs);
            for (n, key) in keys.iter().enumerate() {
                if !idx.filter.may_hold(&entry.hs, n) {
                    continue;
                }
                if let Some(v) = idx.by_prefix.get(key) {
                    for &(i, inc) in v {
                        let target = if inc { &mut matched } else { &mut excluded };
                        if !target.contains(&i) {
                            target
                                .try_push(i)
                                .map_err(|_| AssessError::TooMany(MAX_CANDIDATES))?;
                        }
                    }
                }
            }
            matched.sort_unstable();
            for &i in &matched {
                let m = &idx.measures[i as usize];
                if !m.targets(entry.origin) || !m.period.contains(entry.date) {
                    continue;
                }
                // A declared-rate measure (AD/CVD) is considered only when the entry declares
                // a case of its kind; it is never guessed.
                let declared = match m.rec.declared {
                    Some(kind) => match entry.adcvd_of(kind) {
                        Some(d) => Some(d),
                        None => continue,
                    },
                    None => None,
                };
                let reason = if !m.rec.status.collected() {
                    Some(Reason::NotInForce)
                } else if excluded.contains(&i) {
                    Some(Reason::ProductExclusion)
                } else {
                    condition_failure(m, entry, || entry.energy || m.is_energy(&keys))
                };
                if let Some(reason) = reason {
                    push_na(not_applied, m, reason, None, None);
                    continue;
                }
                let layer = layer(m, entry, reference, base_duty, declared)?;
                layers
                    .try_push(layer)
                    .map_err(|_| AssessError::TooMany(MAX_LAYERS))?;
            }
            // 3. Stacking rules in force on the date, in file order.
            let mut de_minimis_refused = entry.de_minimis.then_some(None);
            for rule in idx.rules.iter().filter(|r| r.period.contains(entry.date)) {
                match rule.rec.kind {
                    RuleKind::Remission => {
                        if entry.remission && rule.covers(&keys) {
                            remit(rule, Reason::Remitted, layers, not_applied);
                        }
                    }
                    RuleKind::DeMinimis => {
                        if !entry.de_minimis || !rule.origins.contains(entry.origin) {
                            continue;
                        }
                        match rule.max_value {
                            Some(max) if entry.value <= max => {
                                remit(rule, Reason::DeMinimis, layers, not_applied);
                                if rule.losers & Authority::MFN.bit() != 0 {
                                    if let Some(b) = base.as_mut() {
                                        b.amount = Decimal::new(0, 2);
                                        b.relieved_by = Some(&rule.rec.id);
                                    }
                                }
                                de_minimis_refused = None;
                            }
                            max => {
                                if de_minimis_refused.is_some() {
                                    de_minimis_refused = Some(max);
                                }
                            }
                        }
                    }
                    _ => apply_rule(rule, entry, layers, not_applied, base_duty)?,
                }
            }
            if let Some(threshold) = de_minimis_refused {
                let _ = warnings.try_push(Warning::DeMinimisRefused { threshold });
            }
            // 4. What is not modelled and concerns this entry.
            for g in &idx.gaps {
                let declares = |d: crate::measure::Declaration| match d {
                    crate::measure::Declaration::Adcvd => entry.adcvd.iter().any(Option::is_some),
                    crate::measure::Declaration::Remission => entry.remission,
                    crate::measure::Declaration::DeMinimis => entry.de_minimis,
                };
                let answered = g.rec.unless.is_some_and(declares);
                let applies = g.rec.when.is_none_or(declares);
                if !answered && applies && g.concerns(entry.origin, entry.date, &keys) {
                    let _ = warnings.try_push(Warning::NotModelled(&g.rec));
                }
            }
        } else if entry.de_minimis {
            let _ = a
                .warnings
                .try_push(Warning::DeMinimisRefused { threshold: None });
        }
        let mut total = a.base.as_ref().map_or(Decimal::ZERO, |b| b.amount);
        let mut refundable = Decimal::ZERO;
        let mut struck = false;
        for l in &a.layers {
            total += l.amount;
            if l.refundable() {
                refundable += l.amount;
            }
            struck |= l.m.rec.struck_down.is_some();
        }
        a.total = total;
        a.refundable = refundable;
        a.owed_after_ruling = struck.then_some(total - refundable);
        Ok(())
    }
}

fn push_na<'p>(
    list: &mut ArrayVec<NotApplied<'p>, MAX_NOT_APPLIED>,
    m: &'p CompiledMeasure,
    reason: Reason,
    rule: Option<&'p CompiledRule>,
    prevailing: Option<&'p str>,
) {
    // Past the capacity the list is cut; the applied layers are never affected.
    let _ = list.try_push(NotApplied {
        m,
        reason,
        rule,
        prevailing,
    });
}

/// Removes the layers a remission or de minimis rule relieves.
fn remit<'p>(
    rule: &'p CompiledRule,
    reason: Reason,
    layers: &mut ArrayVec<Layer<'p>, MAX_LAYERS>,
    not_applied: &mut ArrayVec<NotApplied<'p>, MAX_NOT_APPLIED>,
) {
    let mut i = 0;
    while i < layers.len() {
        if rule.losers & layers[i].m.auth_bit != 0 {
            let gone = layers.remove(i);
            push_na(not_applied, gone.m, reason, Some(rule), None);
        } else {
            i += 1;
        }
    }
}

fn apply_rule<'p>(
    rule: &'p CompiledRule,
    entry: &Entry,
    layers: &mut ArrayVec<Layer<'p>, MAX_LAYERS>,
    not_applied: &mut ArrayVec<NotApplied<'p>, MAX_NOT_APPLIED>,
    base_duty: Option<Decimal>,
) -> Result<(), AssessError> {
    let is_winner = |a: &Layer<'_>| rule.winners & a.m.auth_bit != 0 && a.amount > Decimal::ZERO;
    let Some(first_winner) = layers
        .iter()
        .find(|a| is_winner(a))
        .map(|a| a.m.rec.id.as_str())
    else {
        return Ok(());
    };
    match rule.rec.kind {
        RuleKind::Excludes => {
            let mut i = 0;
            while i < layers.len() {
                if rule.losers & layers[i].m.auth_bit != 0 {
                    let gone = layers.remove(i);
                    push_na(
                        not_applied,
                        gone.m,
                        Reason::Precedence,
                        Some(rule),
                        Some(first_winner),
                    );
                } else {
                    i += 1;
                }
            }
        }
        // Handled before (an entry's declaration, not a winner's presence).
        RuleKind::Remission | RuleKind::DeMinimis => {}
        RuleKind::ContentSplit => {
            let content: Decimal = layers
                .iter()
                .filter(|a| is_winner(a) && a.m.rec.base != Base::FullValue)
                .map(|a| a.base)
                .sum();
            if content.is_zero() {
                return Ok(());
            }
            let mut i = 0;
            while i < layers.len() {
                let a = &mut layers[i];
                if rule.losers & a.m.auth_bit != 0 && a.m.rec.base == Base::FullValue {
                    let new_base = (a.base - content).max(Decimal::ZERO);
                    if new_base.is_zero() {
                        // Nothing is left once the content is charged: the loser gives way.
                        let gone = layers.remove(i);
                        push_na(
                            not_applied,
                            gone.m,
                            Reason::Precedence,
                            Some(rule),
                            Some(first_winner),
                        );
                        continue;
                    }
                    let (amount, floor) = charge(a.m, new_base, entry, base_duty, a.declared)?;
                    a.base = new_base;
                    a.amount = amount;
                    a.stand_in = floor.or(Some(StandIn::SplitBy { content }));
                }
                i += 1;
            }
        }
    }
    Ok(())
}

fn layer<'p>(
    m: &'p CompiledMeasure,
    entry: &Entry,
    reference: &dyn Reference,
    base_duty: Option<Decimal>,
    declared: Option<Adcvd>,
) -> Result<Layer<'p>, AssessError> {
    let (base, stand_in) = base_value(m.rec.base, entry, reference)?;
    let (amount, floor) = charge(m, base, entry, base_duty, declared)?;
    Ok(Layer {
        m,
        base,
        amount,
        stand_in: floor.or(stand_in),
        declared,
    })
}

/// What a measure charges on `base`, rounded to the cent, raised to its minimum effective duty
/// (a share of the entry's value) when it has one; the floor is returned when it set the amount.
fn charge(
    m: &CompiledMeasure,
    base: Decimal,
    entry: &Entry,
    base_duty: Option<Decimal>,
    declared: Option<Adcvd>,
) -> Result<(Decimal, Option<StandIn>), AssessError> {
    if let Some(d) = declared {
        let amount = mul(base, d.rate_percent)
            .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
            .ok_or_else(|| rate_error(m, EvalError::Overflow))?;
        return Ok((round_cents(amount), Some(StandIn::Declared)));
    }
    let mut amount = m
        .rate
        .duty(&EvalInput::new(base).with_optional_quantity(entry.quantity))
        .map_err(|e| rate_error(m, e))?;
    let mut floor_set = None;
    if m.rec.rate_to_total {
        // "Column 1 + 232 = 15%": the layer is what the total leaves after the base duty.
        floor_set = Some(match base_duty {
            Some(b) => {
                amount = (amount - b).max(Decimal::new(0, 2));
                StandIn::TopUp { base_duty: b }
            }
            None => StandIn::TopUpBaseUnknown,
        });
    }
    if let Some(min) = m.min_effective {
        let floor = mul(entry.value, min)
            .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
            .ok_or_else(|| rate_error(m, EvalError::Overflow))?;
        if floor > amount {
            amount = floor;
            floor_set = Some(StandIn::MinimumEffective { percent: min });
        }
    }
    Ok((round_cents(amount), floor_set))
}

/// Why the measure's conditions exclude the entry, if they do; `energy` (a list lookup) is asked
/// only of measures with an energy condition.
fn condition_failure(
    m: &CompiledMeasure,
    entry: &Entry,
    energy: impl FnOnce() -> bool,
) -> Option<Reason> {
    use crate::measure::Claim;
    let check = |c: Claim, has: bool| match c {
        Claim::Any => true,
        Claim::Present => has,
        Claim::Absent => !has,
    };
    let c = &m.rec.conditions;
    if !check(c.preference_claim, entry.preference_claim) {
        return Some(Reason::PreferenceClaim);
    }
    if !check(c.us_melted, entry.us_melted)
        || !check(c.transshipped, entry.transshipped)
        || !check(c.qualifying, entry.qualifying)
        || (c.energy != Claim::Any && !check(c.energy, energy()))
    {
        return Some(Reason::Condition);
    }
    None
}

/// `v × share` for a share from 0 to 1 (validated): never larger than `v`, so the product
/// cannot overflow.
fn share_of(v: Decimal, share: Decimal) -> Decimal {
    mul(v, share).unwrap_or_else(|| v * share)
}

/// The base a measure charges on, and how it was found when not declared; the default content
/// shares are the law's on the entry's date.
fn base_value(
    kind: Base,
    entry: &Entry,
    reference: &dyn Reference,
) -> Result<(Decimal, Option<StandIn>), LawError> {
    let v = entry.value;
    let metal = |declared: Option<Decimal>,
                 pick: fn(&crate::MetalShare) -> Decimal,
                 metal: &'static str| match declared {
        Some(d) => (d, None),
        None => match reference.metal_share(&entry.hs) {
            Some(s) => {
                let share = pick(&s);
                (
                    round_cents(share_of(v, share)),
                    Some(StandIn::MetalShare { metal, share }),
                )
            }
            None => (Decimal::ZERO, Some(StandIn::NoMetalShare { metal })),
        },
    };
    Ok(match kind {
        Base::FullValue => (v, None),
        Base::SteelContent => metal(entry.steel_content, |s| s.steel, "steel"),
        Base::AluminumContent => metal(entry.aluminum_content, |s| s.aluminum, "aluminum"),
        Base::CopperContent => metal(entry.copper_content, |s| s.copper, "copper"),
        Base::NonUsContent => match entry.us_content {
            Some(s) => (round_cents(share_of(v, Decimal::ONE - s)), None),
            None => {
                let share = reference.law().us_content_default(entry.date)?;
                (
                    round_cents(share_of(v, Decimal::ONE - share)),
                    Some(StandIn::DefaultUsContent { share }),
                )
            }
        },
        // SOR/2025-118: at least the law's minimum share of the value is deducted, whatever
        // smaller share is declared.
        Base::NonCaMxContent => {
            let min = reference.law().ca_mx_content_minimum(entry.date)?;
            match entry.ca_mx_content {
                Some(s) if s >= min => (round_cents(share_of(v, Decimal::ONE - s)), None),
                _ => (
                    round_cents(share_of(v, Decimal::ONE - min)),
                    Some(StandIn::DefaultCaMxContent { share: min }),
                ),
            }
        }
    })
}
