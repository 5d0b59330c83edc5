//! Duty: `POST /api/v1/duty` assesses one entry (the record `quid duty` builds from its flags,
//! as JSON), answering the engine's assessment with every layer's rate, amount, legal heading
//! and citations, plus the notices the CLI prints on standard error.

use crate::routes::{json_body, json_bytes, to_json, RawBody};
use crate::{ApiError, ApiResult, Shared};

use axum::extract::State;
use axum::response::Response;
use quid_engine::{Assessment, EntryRecord};
use serde::{Deserialize, Serialize};

/// The body of a duty request: an entry record, with optional extras.
#[derive(Debug, Deserialize)]
pub struct DutyBody {
    #[serde(flatten)]
    pub record: EntryRecord,
    /// The currency the value is in; it must be the importer's (USD for US, CAD for CA).
    #[serde(default)]
    pub currency: Option<String>,
    /// Refuse an origin whose measures are not modelled (as `--strict`).
    #[serde(default)]
    pub strict: bool,
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
    let b: DutyBody = json_body(&body)?;
    check_currency(b.currency.as_deref(), &b.record.importer)?;
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
