//! The balance: `GET /api/v1/balance` (the report `quid balance --format json` prints) and its
//! two charts as SVG, drawn by the same code as the CLI's. Reports are cached by query.

use crate::routes::{blocking, json_bytes, to_json, Params};
use crate::{ApiResult, Shared};
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use quid_app::balance::{BalanceReport, BalanceRequest};
use std::sync::Arc;

const PARAMS: &[&str] = &["as_known_on", "from", "to"];

/// The balance report for a query, from the cache when computed before.
fn report_for(s: &Shared, p: &Params) -> ApiResult<Arc<BalanceReport>> {
    let since = p
        .date("from")?
        .unwrap_or(quid_core::Date::constant(2025, 1, 1));
    let mut req = BalanceRequest::new(since);
    req.until = p.date("to")?;
    req.as_known_on = p.date("as_known_on")?;
    s.cached(&format!("balance?{}", p.key()), || {
        let app = s.app();
        quid_app::balance::run(&app, &s.engine, &req).map_err(crate::ApiError::from)
    })
}

/// Computes the default balance (no parameters) into the cache, so the first reader of a
/// freshly started server is answered from it.
pub fn warm(s: &Shared) -> ApiResult<()> {
    let p = Params::parse(None, PARAMS)?;
    s.cached(&format!("balance.json?{}", p.key()), || {
        to_json(&*report_for(s, &p)?)
    })
    .map(|_| ())
}

/// `GET /api/v1/balance`.
pub async fn report(State(s): State<Shared>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let p = Params::parse(q.as_deref(), PARAMS)?;
    let bytes = blocking(move || {
        s.cached(&format!("balance.json?{}", p.key()), || {
            to_json(&*report_for(&s, &p)?)
        })
        .map(|b| (*b).clone())
    })
    .await?;
    Ok(json_bytes(bytes))
}

fn svg(which: &'static str, s: Shared, p: Params) -> ApiResult<Arc<String>> {
    s.cached(&format!("balance.{which}?{}", p.key()), || {
        let r = report_for(&s, &p)?;
        let (main, sectors) = quid_app::balance::charts(&r);
        Ok(quid_app::svg::render(if which == "chart" {
            &main
        } else {
            &sectors
        }))
    })
}

fn svg_response(text: Arc<String>) -> Response {
    ([(header::CONTENT_TYPE, "image/svg+xml")], (*text).clone()).into_response()
}

/// `GET /api/v1/balance/chart.svg`.
pub async fn chart(State(s): State<Shared>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let p = Params::parse(q.as_deref(), PARAMS)?;
    Ok(svg_response(blocking(move || svg("chart", s, p)).await?))
}

/// `GET /api/v1/balance/sectors.svg`.
pub async fn sectors(State(s): State<Shared>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let p = Params::parse(q.as_deref(), PARAMS)?;
    Ok(svg_response(blocking(move || svg("sectors", s, p)).await?))
}
