//! Measures, rates and effective rates: `GET /api/v1/measures` (in force), `GET
//! /api/v1/measures/{id}`, `GET /api/v1/rates` (the statutory or interval panel) and `GET
//! /api/v1/etr` (trade-weighted effective rates), as `quid measures|rates|etr --format json`.

use crate::routes::{blocking, json_bytes, to_json, Params};
use crate::{ApiError, ApiResult, Shared};
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use quid_core::{Country, HsCode};

fn importer(p: &Params, name: &str) -> ApiResult<Option<Country>> {
    let c = p.country(name)?;
    match c {
        Some(c) if c != Country::US && c != Country::CA => Err(ApiError::invalid(
            name,
            format!("{name} {c} is not supported: quid has the schedules of US and CA"),
        )),
        c => Ok(c),
    }
}

fn required<T>(v: Option<T>, name: &str, what: &str) -> ApiResult<T> {
    v.ok_or_else(|| ApiError::invalid(name, format!("{name} is required: {what}")))
}

/// `GET /api/v1/measures?importer=&date=`.
pub async fn list(State(s): State<Shared>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let p = Params::parse(q.as_deref(), &["importer", "date"])?;
    let (imp, date) = (importer(&p, "importer")?, p.date("date")?);
    let bytes = blocking(move || {
        s.cached(&format!("measures?{}", p.key()), || {
            to_json(&quid_app::measures::list(&s.app(), imp, date)?)
        })
        .map(|b| (*b).clone())
    })
    .await?;
    Ok(json_bytes(bytes))
}

/// `GET /api/v1/measures/{id}?date=`: the measure in full, with its status on `date` (default
/// today).
pub async fn one(
    State(s): State<Shared>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    let p = Params::parse(q.as_deref(), &["date"])?;
    let date = p.date("date")?;
    let detail = blocking(move || {
        let app = s.app();
        let date = date.unwrap_or(app.today);
        Ok(quid_app::measures::show(&app, &id, date)?)
    })
    .await?;
    Ok(json_bytes(to_json(&detail)?))
}

/// `GET /api/v1/rates?importer=&partner=&date=&from=&to=&hts=`: `hts` is one or more HS
/// prefixes separated by commas.
pub async fn rates(State(s): State<Shared>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let p = Params::parse(
        q.as_deref(),
        &["importer", "partner", "date", "from", "to", "hts"],
    )?;
    let imp = importer(&p, "importer")?.unwrap_or(Country::US);
    let partner = required(p.country("partner")?, "partner", "the country of origin")?;
    let prefixes = p
        .str("hts")
        .map(|t| {
            t.split(',')
                .map(|x| {
                    x.trim()
                        .parse::<HsCode>()
                        .map_err(|e| ApiError::invalid("hts", format!("hts {x:?}: {e}")))
                })
                .collect::<ApiResult<Vec<_>>>()
        })
        .transpose()?
        .unwrap_or_default();
    let (from, to, single) = match (p.date("date")?, p.date("from")?, p.date("to")?) {
        (Some(d), None, None) => (d, d, true),
        (None, Some(f), Some(t)) => (f, t, false),
        _ => {
            return Err(ApiError::invalid(
                "date",
                "give date=D, or from=D and to=D (not both)",
            ))
        }
    };
    let req = quid_app::rates::RatesRequest {
        importer: imp,
        partner,
        from,
        to,
        single,
        prefixes,
    };
    let bytes = blocking(move || {
        s.cached(&format!("rates?{}", p.key()), || {
            let r = quid_app::rates::panel(&s.engine, &req)?;
            to_json(&serde_json::json!({"lines": r.table, "notes": r.notes}))
        })
        .map(|b| (*b).clone())
    })
    .await?;
    Ok(json_bytes(bytes))
}

/// `GET /api/v1/etr?importer=&partner=&from=&to=&by=authority|sector|gtap&daily=`.
pub async fn etr(State(s): State<Shared>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    use quid_app::etr::{Breakdown, Convention, EtrRequest};
    let p = Params::parse(
        q.as_deref(),
        &["importer", "partner", "from", "to", "by", "daily"],
    )?;
    let by = match p.str("by") {
        None => None,
        Some("authority") => Some(Breakdown::Authority),
        Some("sector") => Some(Breakdown::Sector),
        Some("gtap") => Some(Breakdown::Gtap),
        Some(other) => {
            return Err(ApiError::invalid(
                "by",
                format!("by {other:?}: expected authority, sector or gtap"),
            ))
        }
    };
    let daily = match p.str("daily") {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(ApiError::invalid(
                "daily",
                format!("daily {other:?}: expected true or false"),
            ))
        }
    };
    let req = EtrRequest {
        importer: importer(&p, "importer")?.unwrap_or(Country::US),
        partner: required(p.country("partner")?, "partner", "the country of origin")?,
        from: required(p.date("from")?, "from", "the first date, YYYY-MM-DD")?,
        to: required(p.date("to")?, "to", "the last date, YYYY-MM-DD")?,
        daily,
        by,
        weights: quid_app::weights::WeightYear::Y2024,
        shares: quid_app::weights::ShareMode::Annual2025,
        convention: Convention::Quid,
        yale_alpha: None,
    };
    let bytes = blocking(move || {
        s.cached(&format!("etr?{}", p.key()), || {
            let r = quid_app::etr::run(&s.app(), &s.engine, &req)?;
            to_json(&serde_json::json!({"rows": r.table, "notes": r.notes}))
        })
        .map(|b| (*b).clone())
    })
    .await?;
    Ok(json_bytes(bytes))
}
