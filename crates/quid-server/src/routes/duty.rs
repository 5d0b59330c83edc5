//! Duty: `POST /api/v1/duty` assesses one entry (the record `quid duty` builds from its flags,
//! as JSON), answering the engine's assessment with every layer's rate, amount, legal heading
//! and citations, plus the notices the CLI prints on standard error.

use crate::routes::{from_json, json_body, json_bytes, to_json, RawBody};
use crate::{ApiError, ApiResult, Shared};

use axum::extract::State;
use axum::response::Response;
use quid_engine::{Assessment, EntryRecord};
use serde::Serialize;

/// The body of a duty request: an entry record (its fields, as `quid duty` flags and batch
/// columns name them; an unknown field is an error, so a misspelt claim is never ignored),
/// with optional extras.
#[derive(Debug)]
pub struct DutyBody {
    pub record: EntryRecord,
    /// The currency the value is in; it must be the importer's (USD for US, CAD for CA).
    pub currency: Option<String>,
    /// Refuse an origin whose measures are not modelled (as `--strict`).
    pub strict: bool,
    /// A vehicle's bill of materials (JSON, the fields of the TOML format): its US and
    /// Canadian/Mexican content, evaluated on the entry's date, set the preference claim and
    /// the content shares (as `quid duty --bom`).
    pub bom: Option<serde_json::Value>,
    /// The same as TOML text.
    pub bom_toml: Option<String>,
}

impl DutyBody {
    /// Reads a body: the extras are taken out, the rest must be an entry record.
    pub fn parse(body: &[u8]) -> ApiResult<DutyBody> {
        let mut map: serde_json::Map<String, serde_json::Value> = json_body(body)?;
        let mut take = |k: &str| map.remove(k).filter(|v| !v.is_null());
        fn named<T: serde::de::DeserializeOwned>(name: &str, v: serde_json::Value) -> ApiResult<T> {
            from_json(v).map_err(|e| ApiError {
                field: Some(name.to_string()),
                ..e
            })
        }
        let currency = take("currency").map(|v| named("currency", v)).transpose()?;
        let strict = take("strict")
            .map(|v| named("strict", v))
            .transpose()?
            .unwrap_or(false);
        let bom = take("bom");
        let bom_toml = take("bom_toml").map(|v| named("bom_toml", v)).transpose()?;
        let record = from_json(serde_json::Value::Object(map))?;
        Ok(DutyBody {
            record,
            currency,
            strict,
            bom,
            bom_toml,
        })
    }
}

/// A bill of materials given as JSON or TOML text, as TOML text.
pub fn bom_text(
    bom: Option<serde_json::Value>,
    bom_toml: Option<String>,
) -> ApiResult<Option<String>> {
    match (bom, bom_toml) {
        (None, None) => Ok(None),
        (Some(v), None) => {
            let t: toml::Value = serde_json::from_value(v).map_err(|e| {
                ApiError::invalid(
                    "bom",
                    format!("bom: {e} (null is not allowed; leave the field out)"),
                )
            })?;
            toml::to_string(&t)
                .map(Some)
                .map_err(|e| ApiError::invalid("bom", format!("bom: {e}")))
        }
        (None, Some(t)) => Ok(Some(t)),
        (Some(_), Some(_)) => Err(ApiError::invalid(
            "bom",
            "give \"bom\" or \"bom_toml\", not both",
        )),
    }
}

/// The answer: the assessment's fields, and notices for the reader.
#[derive(Serialize)]
pub struct DutyReport<'a, 'e> {
    #[serde(flatten)]
    pub assessment: &'a Assessment<'e>,
    pub currency: &'static str,
    /// Origins not modelled, dates past the data, a value rounded to the cent.
    pub notices: Vec<String>,
}

/// Checks the currency against the importer's.
pub fn check_currency(given: Option<&str>, importer: &str) -> ApiResult<()> {
    let Some(c) = given else { return Ok(()) };
    let want = if importer.eq_ignore_ascii_case("CA") {
        "CAD"
    } else {
        "USD"
    };
    if c.eq_ignore_ascii_case(want) {
        Ok(())
    } else {
        Err(ApiError::invalid(
            "currency",
            format!("currency {c:?}: a {importer} entry's value is in {want}; convert it first"),
        ))
    }
}

/// `POST /api/v1/duty`.
pub async fn single(State(s): State<Shared>, RawBody(body): RawBody) -> ApiResult<Response> {
    let b = DutyBody::parse(&body)?;
    check_currency(b.currency.as_deref(), &b.record.importer)?;
    if let Some(text) = bom_text(b.bom, b.bom_toml)? {
        return with_bom(s, b.record, text).await;
    }
    let a = quid_app::duty::assess_checked(&s.engine, &b.record, b.strict)?;
    let mut notices = quid_app::duty::warnings(&s.engine, &a.entry);
    notices.extend(quid_app::duty::rounding_note(&b.record, &a.entry));
    let r = DutyReport {
        currency: quid_app::duty::currency(&a.entry),
        assessment: &a,
        notices,
    };
    Ok(json_bytes(to_json(&r)?))
}

/// The answer with a bill of materials: the assessment, the rules-of-origin result it relied
/// on and notes (as `quid duty --bom --format json`), with `currency` and `notices`.
#[derive(Serialize)]
struct WithBom<'a, 'e> {
    assessment: DutyReport<'a, 'e>,
    rules_of_origin: &'a quid_roo::RooResult,
    notes: &'a [String],
}

async fn with_bom(s: Shared, record: EntryRecord, text: String) -> ApiResult<Response> {
    crate::routes::blocking(move || {
        let app = s.app();
        let rules = quid_app::roo::rules(&app)?;
        let bom = quid_app::roo::bom_from_text(&text, "bom", None, &rules)?;
        let b = quid_app::roo::assess_with_bom_read(&s.engine, &rules, &record, &bom)?;
        let mut notices = quid_app::duty::warnings(&s.engine, &b.assessment.entry);
        notices.extend(quid_app::duty::rounding_note(&record, &b.assessment.entry));
        let r = WithBom {
            assessment: DutyReport {
                currency: quid_app::duty::currency(&b.assessment.entry),
                assessment: &b.assessment,
                notices,
            },
            rules_of_origin: &b.roo,
            notes: &b.notes,
        };
        Ok(json_bytes(to_json(&r)?))
    })
    .await
}
