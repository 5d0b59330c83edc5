//! CUSMA/USMCA automotive rules of origin as use cases: check a bill of materials on a date
//! (`quid roo check`), assess a vehicle's duty from its bill instead of declared shares
//! (`quid duty --bom`), and the effect of a scenario's rules-of-origin moves on the bundled
//! illustrative vehicles. The rules live in `quid-roo`; this module reads the files and sets
//! the entry's declared shares, so the engine stays unchanged.
//!
//! **The Section 232 base.** Proclamation 10908 (clause 3, 90 FR 14705) taxes a
//! USMCA-qualifying automobile at 25% on the value of its non-US content; "US content" is the
//! value of the parts wholly obtained, produced entirely or substantially transformed in the
//! United States, documented under the Commerce procedures of 90 FR 21450. quid takes it as the
//! originating US components over the transaction value. Canada's United States Surtax Order
//! (Motor Vehicles 2025), SOR/2025-118, deducts the Canadian and Mexican content of a
//! CUSMA-compliant vehicle: the originating CA and MX components over the transaction value.

use crate::{App, Engine, Error, Result};
use quid_core::{Citation, Date};
use quid_engine::{Entry, EntryRecord};
use quid_roo::{evaluate, Bom, BomDraft, Region, RooResult, Rules, VehicleClass, Verdict};
use rust_decimal::Decimal;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The rules file, under the data folder.
pub const RULES_FILE: &str = "roo/automotive.toml";
/// The bundled illustrative vehicles, under the data folder.
pub const EXAMPLES_DIR: &str = "roo/examples";

impl From<quid_roo::RooError> for Error {
    fn from(e: quid_roo::RooError) -> Error {
        Error::Check(e.to_string())
    }
}

/// The bundled rules.
pub fn rules(app: &App) -> Result<Rules> {
    let path = app.bundle.root.join(RULES_FILE);
    let text = quid_data::bounded::read_text(&path)?;
    Ok(Rules::parse(&text, &path.display().to_string())?)
}

/// Reads and checks a bill of materials (its `components_csv` relative to the file).
pub fn read_bom(path: &Path, rules: &Rules) -> Result<Bom> {
    let text = quid_data::bounded::read_text(path)?;
    bom_from_text(&text, &path.display().to_string(), path.parent(), rules)
}

/// Reads and checks a bill of materials from its TOML text; `at` names it in messages, and a
/// `components_csv` it names is read relative to `dir` (none: refused, as for an API body).
pub fn bom_from_text(text: &str, at: &str, dir: Option<&Path>, rules: &Rules) -> Result<Bom> {
    let mut draft = BomDraft::parse(text, at)?;
    if let Some(csv) = draft.components_csv.clone() {
        let Some(dir) = dir else {
            return Err(Error::invalid(
                "components_csv",
                format!("{at}: a bill given as text lists its components inline, not in a CSV file ({csv})"),
            ));
        };
        let p = dir.join(&csv);
        let t = quid_data::bounded::read_text(&p)?;
        draft.add_csv(&t, &p.display().to_string())?;
    }
    let tolerance = rules
        .param("bom.tolerance")
        .and_then(|p| p.values.last())
        .map(|s| s.value)
        .unwrap_or(Decimal::new(5, 3));
    Ok(draft.check(tolerance)?)
}

/// What to check.
#[derive(Debug, Clone)]
pub struct CheckRequest {
    pub bom: PathBuf,
    /// The date the rules are taken on (default: today).
    pub date: Option<Date>,
}

/// The content values the Section 232 (US) and SOR/2025-118 (Canada) duties are taken on.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DutyBase {
    #[serde(serialize_with = "quid_core::schema::money")]
    #[schemars(with = "quid_core::schema::MoneyNumber")]
    pub transaction_value: Decimal,
    #[serde(serialize_with = "quid_core::schema::decimal")]
    #[schemars(with = "quid_core::schema::DecimalNumber")]
    pub us_content_share: Decimal,
    #[serde(serialize_with = "quid_core::schema::money")]
    #[schemars(with = "quid_core::schema::MoneyNumber")]
    pub us_content_value: Decimal,
    #[serde(serialize_with = "quid_core::schema::decimal")]
    #[schemars(with = "quid_core::schema::DecimalNumber")]
    pub non_us_content_share: Decimal,
    #[serde(serialize_with = "quid_core::schema::money")]
    #[schemars(with = "quid_core::schema::MoneyNumber")]
    pub non_us_content_value: Decimal,
    #[serde(serialize_with = "quid_core::schema::decimal")]
    #[schemars(with = "quid_core::schema::DecimalNumber")]
    pub ca_mx_content_share: Decimal,
    /// False for a partial bill: the shares are lower bounds and no duty uses them.
    pub usable: bool,
    pub citations: Vec<Citation>,
}

/// The report of `quid roo check`.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CheckReport {
    pub file: String,
    pub class: VehicleClass,
    pub assembly: Region,
    pub hts: Option<String>,
    pub rules: String,
    pub result: RooResult,
    pub duty_base: DutyBase,
}

/// The sources of the content rules the duties use.
pub fn content_citations() -> Vec<Citation> {
    vec![
        Citation {
            title: "Proclamation 10908, Adjusting Imports of Automobiles and Automobile Parts Into the United States (90 FR 14705): 25% on the value of non-U.S. content of USMCA-qualifying automobiles".into(),
            url: Some("https://www.federalregister.gov/documents/2025/04/03/2025-05930/adjusting-imports-of-automobiles-and-automobile-parts-into-the-united-states".into()),
            date: quid_core::parse_date("2025-04-03").ok(),
            pinpoint: Some("clause 3".into()),
            kind: Some(quid_core::CitationKind::Proclamation),
        },
        Citation {
            title: "ITA, Procedures for Submissions by Importers of Automobiles Qualifying for Preferential Tariff Treatment Under the USMCA To Determine U.S. Content (90 FR 21450)".into(),
            url: Some("https://www.federalregister.gov/d/2025-08917".into()),
            date: quid_core::parse_date("2025-05-20").ok(),
            pinpoint: None,
            kind: Some(quid_core::CitationKind::FederalRegister),
        },
        Citation {
            title: "United States Surtax Order (Motor Vehicles 2025), SOR/2025-118: non-Canadian and non-Mexican content of CUSMA-compliant vehicles".into(),
            url: Some("https://laws-lois.justice.gc.ca/eng/regulations/SOR-2025-118/".into()),
            date: quid_core::parse_date("2025-04-09").ok(),
            pinpoint: None,
            kind: Some(quid_core::CitationKind::JusticeLaws),
        },
    ]
}

fn duty_base(bom: &Bom, r: &RooResult) -> DutyBase {
    let tv = bom.transaction_value;
    DutyBase {
        transaction_value: tv,
        us_content_share: r.us_content_share,
        us_content_value: r.us_content_value.min(tv),
        non_us_content_share: r.non_us_content_share,
        non_us_content_value: tv - r.us_content_value.min(tv),
        ca_mx_content_share: r.ca_mx_content_share,
        usable: !r.partial,
        citations: content_citations(),
    }
}

/// Evaluates a bill of materials file on a date.
pub fn check(app: &App, req: &CheckRequest) -> Result<CheckReport> {
    let rules = rules(app)?;
    let bom = read_bom(&req.bom, &rules)?;
    check_bom(app, &rules, &bom, &req.bom.display().to_string(), req.date)
}

/// Evaluates a bill of materials already read; `file` names it in the report.
pub fn check_bom(
    app: &App,
    rules: &Rules,
    bom: &Bom,
    file: &str,
    date: Option<Date>,
) -> Result<CheckReport> {
    let date = date.unwrap_or(app.today);
    let result = evaluate(rules, bom, date)?;
    Ok(CheckReport {
        file: file.to_string(),
        class: bom.class,
        assembly: bom.assembly,
        hts: bom.hts.clone(),
        rules: rules.title.clone(),
        duty_base: duty_base(bom, &result),
        result,
    })
}

/// Sets an entry's preference claim and declared shares from an evaluation: a qualifying
/// vehicle claims the preference with its US and Canadian/Mexican content; one that does not
/// qualify claims nothing (the duties fall on the full value). A partial or undetermined
/// evaluation is refused, never guessed. Returns notes for the reader.
pub fn apply(entry: &mut Entry, r: &RooResult) -> Result<Vec<String>> {
    if r.partial {
        return Err(Error::invalid(
            "--bom",
            "the bill of materials is partial: its US content is only a lower bound and is not \
             used for a duty (complete the bill, or declare --us-content)",
        ));
    }
    let failed: Vec<&str> = r.failed().map(|t| t.name).collect();
    match r.verdict {
        Verdict::Undetermined => Err(Error::invalid(
            "--bom",
            "the bill of materials leaves a test undetermined (a missing [labour] or [metals] \
             section, or no core part listed): qualification is not guessed",
        )),
        Verdict::Qualifies => {
            let (us, ca_mx) = r.exact_shares();
            entry.preference_claim = true;
            entry.us_content = Some(us);
            entry.ca_mx_content = Some(ca_mx);
            Ok(vec![format!(
                "bill of materials: qualifies under the CUSMA/USMCA automotive rules on {} ({} \
                 tests passed): preference claimed, US content {}, Canadian and Mexican content \
                 {}",
                r.date,
                r.tests.len(),
                r.us_content_share,
                r.ca_mx_content_share
            )])
        }
        Verdict::DoesNotQualify => {
            let (us, ca_mx) = r.exact_shares();
            entry.preference_claim = false;
            entry.us_content = Some(us);
            entry.ca_mx_content = Some(ca_mx);
            Ok(vec![format!(
                "bill of materials: does not qualify on {} (failed: {}): no preference claim, \
                 the duties fall on the full value",
                r.date,
                failed.join("; ")
            )])
        }
    }
}

/// An assessment from a bill of materials, with the evaluation it relied on (`quid duty --bom`;
/// in JSON the evaluation is `rules_of_origin`).
#[derive(Serialize, schemars::JsonSchema)]
pub struct BomAssessment<'e> {
    pub assessment: quid_engine::Assessment<'e>,
    #[serde(rename = "rules_of_origin")]
    pub roo: RooResult,
    pub notes: Vec<String>,
}

/// Assesses an entry record whose US and Canadian/Mexican content come from a bill of
/// materials evaluated on the entry's date.
pub fn assess_with_bom<'e>(
    app: &App,
    engine: &'e Engine,
    record: &EntryRecord,
    bom: &Path,
) -> Result<BomAssessment<'e>> {
    if record.us_content.is_some() || record.ca_mx_content.is_some() {
        return Err(Error::invalid(
            "--bom",
            "give either a bill of materials or declared content shares, not both",
        ));
    }
    let rules = rules(app)?;
    let bom = read_bom(bom, &rules)?;
    assess_with_bom_read(engine, &rules, record, &bom)
}

/// The same with the bill of materials already read (an API body) and the rules loaded.
pub fn assess_with_bom_read<'e>(
    engine: &'e Engine,
    rules: &Rules,
    record: &EntryRecord,
    bom: &Bom,
) -> Result<BomAssessment<'e>> {
    if record.us_content.is_some() || record.ca_mx_content.is_some() {
        return Err(Error::invalid(
            "bom",
            "give either a bill of materials or declared content shares, not both",
        ));
    }
    let mut entry = record.to_entry()?;
    let roo = evaluate(rules, bom, entry.date)?;
    let notes = apply(&mut entry, &roo)?;
    let assessment = crate::duty::assess_entry(engine, &entry)?;
    Ok(BomAssessment {
        assessment,
        roo,
        notes,
    })
}

/// A scenario's change of one rules-of-origin parameter (`[[roo]]` in a scenario file).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RooMove {
    pub parameter: String,
    #[serde(serialize_with = "quid_core::schema::decimal")]
    #[schemars(with = "quid_core::schema::DecimalNumber")]
    pub value: Decimal,
    /// From the scenario's start unless given.
    #[schemars(with = "Option<quid_core::schema::DateText>")]
    pub from: Option<Date>,
}

/// How one bundled vehicle fares under the scenario's rules of origin.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct VehicleEffect {
    pub file: String,
    pub name: String,
    pub before: Verdict,
    pub after: Verdict,
    /// "gains", "loses" or "unchanged".
    pub change: &'static str,
    /// Tests failed under the scenario's rules.
    pub failed_after: Vec<String>,
    pub importer: String,
    /// Section 232 (US) or surtax (Canada) duty on the vehicle, before and after; `None`
    /// without a tariff line in the bill.
    #[serde(serialize_with = "quid_core::schema::money_opt")]
    #[schemars(with = "Option<quid_core::schema::MoneyNumber>")]
    pub duty_before: Option<Decimal>,
    #[serde(serialize_with = "quid_core::schema::money_opt")]
    #[schemars(with = "Option<quid_core::schema::MoneyNumber>")]
    pub duty_after: Option<Decimal>,
    /// The total at entry, before and after.
    #[serde(serialize_with = "quid_core::schema::money_opt")]
    #[schemars(with = "Option<quid_core::schema::MoneyNumber>")]
    pub total_before: Option<Decimal>,
    #[serde(serialize_with = "quid_core::schema::money_opt")]
    #[schemars(with = "Option<quid_core::schema::MoneyNumber>")]
    pub total_after: Option<Decimal>,
}

/// The bundled illustrative vehicles, in name order.
pub fn example_files(app: &App) -> Result<Vec<PathBuf>> {
    let dir = app.bundle.root.join(EXAMPLES_DIR);
    let rd = std::fs::read_dir(&dir).map_err(|source| Error::Io {
        what: "reading",
        path: dir.clone(),
        source,
    })?;
    let mut files: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

/// The entry of a vehicle crossing from its assembly country: into the US from Canada or
/// Mexico, into Canada when assembled in the US.
fn vehicle_record(bom: &Bom, hts: &str, date: Date) -> EntryRecord {
    let (importer, origin) = match bom.assembly {
        Region::US => ("CA", "US"),
        Region::CA => ("US", "CA"),
        _ => ("US", "MX"),
    };
    EntryRecord {
        importer: importer.into(),
        origin: origin.into(),
        hts: hts.into(),
        date: date.to_string(),
        value: bom.transaction_value.to_string(),
        ..EntryRecord::default()
    }
}

/// The content-based duty (authorities of Section 232 or Canada's surtax) and the total.
fn vehicle_duty(
    engine: &Engine,
    bom: &Bom,
    r: &RooResult,
    date: Date,
) -> Result<Option<(Decimal, Decimal)>> {
    let Some(hts) = &bom.hts else {
        return Ok(None);
    };
    let mut entry = vehicle_record(bom, hts, date).to_entry()?;
    apply(&mut entry, r)?;
    let a = crate::duty::assess_entry(engine, &entry)?;
    let duty = a
        .layers
        .iter()
        .filter(|l| {
            let s = l.authority().as_str();
            s.starts_with("s232") || s.starts_with("ca-")
        })
        .map(|l| l.amount)
        .sum();
    Ok(Some((duty, a.total)))
}

/// Evaluates every bundled vehicle under the baseline rules and under the rules the moves
/// make, on `date`, with the duty before and after (the baseline policy's measures both times:
/// the change is the rules of origin alone).
pub fn scenario_effects(
    app: &App,
    engine: &Engine,
    moves: &[RooMove],
    date: Date,
) -> Result<Vec<VehicleEffect>> {
    let base = rules(app)?;
    let mut after_rules = base.clone();
    for m in moves {
        after_rules.set(&m.parameter, m.from.unwrap_or(date), m.value)?;
    }
    let mut out = Vec::new();
    for file in example_files(app)? {
        let bom = read_bom(&file, &base)?;
        let before = evaluate(&base, &bom, date)?;
        let after = evaluate(&after_rules, &bom, date)?;
        let d0 = vehicle_duty(engine, &bom, &before, date)?;
        let d1 = vehicle_duty(engine, &bom, &after, date)?;
        let change = match (before.qualifies, after.qualifies) {
            (false, true) => "gains",
            (true, false) => "loses",
            _ => "unchanged",
        };
        out.push(VehicleEffect {
            file: file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            name: bom.name.clone(),
            before: before.verdict,
            after: after.verdict,
            change,
            failed_after: after.failed().map(|t| t.name.to_string()).collect(),
            importer: vehicle_record(&bom, "", date).importer,
            duty_before: d0.map(|d| d.0),
            duty_after: d1.map(|d| d.0),
            total_before: d0.map(|d| d.1),
            total_after: d1.map(|d| d.1),
        });
    }
    Ok(out)
}

fn opt_money(d: Option<Decimal>) -> String {
    d.map(|d| format!("{:.2}", quid_core::money::round_cents(d)))
        .unwrap_or_else(|| "-".into())
}

fn verdict_text(v: Verdict) -> &'static str {
    match v {
        Verdict::Qualifies => "qualifies",
        Verdict::DoesNotQualify => "does not qualify",
        Verdict::Undetermined => "undetermined",
    }
}

/// The scenario's vehicles, one row each.
pub fn effects_table(effects: &[VehicleEffect]) -> crate::table::Table {
    let mut t = crate::table::Table::new([
        "vehicle",
        "before",
        "after",
        "change",
        "importer",
        "content_duty_before",
        "content_duty_after",
        "failed_after",
    ]);
    for e in effects {
        t.push([
            e.file.clone(),
            verdict_text(e.before).into(),
            verdict_text(e.after).into(),
            e.change.into(),
            e.importer.clone(),
            opt_money(e.duty_before),
            opt_money(e.duty_after),
            e.failed_after.join("; "),
        ]);
    }
    t
}

/// The tests of an evaluation, one row each, shares printed as percentages.
pub fn tests_table(r: &RooResult) -> crate::table::Table {
    let pct = |d: Decimal| format!("{}%", (d * Decimal::ONE_HUNDRED).round_dp(4).normalize());
    let mut t =
        crate::table::Table::new(["test", "value", "threshold", "margin", "result", "article"]);
    for x in &r.tests {
        t.push([
            x.name.to_string(),
            x.value.map(pct).unwrap_or_else(|| "-".into()),
            pct(x.threshold),
            x.margin.map(pct).unwrap_or_else(|| "-".into()),
            match (x.passed, r.requirement_met(x)) {
                (Some(true), _) => "pass".into(),
                (Some(false), Some(true)) => "fail (other method met)".into(),
                (Some(false), _) => "FAIL".into(),
                (None, _) => "undetermined".to_string(),
            },
            x.article.clone(),
        ]);
    }
    t
}

/// The verdict in words.
pub fn verdict_words(v: Verdict) -> &'static str {
    verdict_text(v)
}
