//! The server about itself: health and the OpenAPI description.

use crate::routes::Params;
use crate::{ApiResult, Shared};
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;

/// The OpenAPI description, the same file as docs/openapi.json in the repository.
pub const OPENAPI: &str = include_str!("../../../../docs/openapi.json");

/// `GET /api/v1/health`.
pub async fn health(
    State(s): State<Shared>,
    RawQuery(q): RawQuery,
) -> ApiResult<impl IntoResponse> {
    Params::parse(q.as_deref(), &[])?;
    // The PostgreSQL client blocks: never on the async workers.
    let s2 = s.clone();
    let schema = crate::routes::blocking(move || Ok(s2.db.schema_version().ok())).await?;
    Ok(Json(serde_json::json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "data": s.data_root().display().to_string(),
        "today": s.today().to_string(),
        "known_until": s.engine.known_until().map(|d| d.to_string()),
        "database": s.db.describe(),
        "schema_version": schema,
    })))
}

/// `GET /api/v1/openapi.json`.
pub async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}
