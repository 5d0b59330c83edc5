//! The ledger: `GET /api/v1/ledger` (entries known on a date, filtered), `GET
//! /api/v1/ledger/{id}` (one entry with its moves and citations) and `POST /api/v1/ledger`
//! (bearer token: append entries, TOML or JSON as `quid ledger add` reads them; 201 with ids).

use crate::routes::{blocking, json_bytes, to_json, Params, RawBody};
use crate::store::{token, Check};
use crate::{ApiError, ApiResult, Shared};

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use quid_app::ledger::LedgerQuery;

/// `GET /api/v1/ledger`.
pub async fn list(State(s): State<Shared>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let p = Params::parse(
        q.as_deref(),
        &["as_known_on", "party", "kind", "from", "to", "q"],
    )?;
    let query = LedgerQuery {
        as_known_on: p.date("as_known_on")?,
        party: p.country("party")?,
        kind: p.str("kind").map(str::to_string),
        from: p.date("from")?,
        to: p.date("to")?,
        q: p.str("q").map(str::to_string),
    };
    let bytes = blocking(move || {
        s.cached(&format!("ledger?{}", p.key()), || {
            to_json(&quid_app::ledger::query(&s.app(), &query)?)
        })
        .map(|b| (*b).clone())
    })
    .await?;
    Ok(json_bytes(bytes))
}

/// `GET /api/v1/ledger/{id}`.
pub async fn one(
    State(s): State<Shared>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    let p = Params::parse(q.as_deref(), &["as_known_on"])?;
    let on = p.date("as_known_on")?;
    let e = blocking(move || Ok(quid_app::ledger::entry(&s.app(), &id, on)?)).await?;
    Ok(json_bytes(to_json(&e)?))
}

/// The token's name, or 401.
pub fn authorise(s: &Shared, headers: &HeaderMap) -> ApiResult<String> {
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or_else(|| {
            ApiError::unauthorized(
                "writing needs a token: Authorization: Bearer <token> (quid token create)",
            )
        })?
        .to_str()
        .map_err(|_| ApiError::unauthorized("the Authorization header is not text"))?;
    let t = value
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ApiError::unauthorized("the Authorization header is not `Bearer <token>`")
        })?;
    s.db.token_name(&token::hash(t))?
        .ok_or_else(|| ApiError::unauthorized("the token is not known to this server"))
}

/// `POST /api/v1/ledger`.
pub async fn append(
    State(s): State<Shared>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> ApiResult<Response> {
    let s2 = s.clone();
    let h2 = headers.clone();
    blocking(move || authorise(&s2, &h2).map(|_| ())).await?;
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let text = String::from_utf8(body.to_vec())
        .map_err(|_| ApiError::invalid("body", "the body is not UTF-8 text"))?;
    let json = if ctype.contains("json") {
        true
    } else if ctype.contains("toml") {
        false
    } else {
        let t = text.trim_start();
        t.starts_with('{') || t.starts_with('[')
    };
    let entries = quid_app::ledger::parse_entries(&text, json)?;
    if entries.is_empty() {
        return Err(ApiError::invalid("body", "no entries in the body"));
    }
    let report = blocking(move || {
        // One writer of this server at a time checks against the ledger and appends.
        let _w = s.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let app = s.app();
        let checked = quid_app::ledger::check_new_with(&app, s.check_policy()?, &entries)?;
        let reserved = checked.reserved();
        let problems = |a: &quid_core::ledger::Announcement| checked.problems_of(a);
        let seqs = s.db.append(
            &entries,
            &Check {
                problems: &problems,
                reserved: &reserved,
            },
        )?;
        s.reload()?;
        Ok(serde_json::json!({
            "added": seqs.len(),
            "ids": entries.iter().map(|a| a.id.clone()).collect::<Vec<_>>(),
            "sequences": seqs,
        }))
    })
    .await?;
    Ok((StatusCode::CREATED, axum::Json(report)).into_response())
}
