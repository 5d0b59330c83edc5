//! The router: every route of the API and the dashboard, the layers around them (body limit,
//! timeout, CORS, panics as JSON errors), and the helpers handlers share to read queries and
//! bodies with errors that name the field.

pub mod balance;
mod batch;
pub mod duty;
mod ledger;
mod measures;
mod meta;
pub use meta::OPENAPI;
mod scenarios;

use crate::{ApiError, ApiResult, Config, ServeError, Shared};
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use std::collections::HashMap;

/// One route of the API: its method (lower case, as OpenAPI writes it), its path in OpenAPI's
/// syntax (which axum 0.8 shares) and its handler.
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    pub handler: MethodRouter<Shared>,
}

fn r(method: &'static str, path: &'static str, handler: MethodRouter<Shared>) -> Route {
    Route {
        method,
        path,
        handler,
    }
}

/// Every route of the API: the router is built from this list, and the test that every route
/// is documented in docs/openapi.json reads it.
pub fn api_routes(config: &Config) -> Vec<Route> {
    let limit = config.batch_limit;
    let batch = post(
        move |st: axum::extract::State<Shared>,
              q: axum::extract::RawQuery,
              body: axum::body::Body| batch::batch(st, q, limit, body),
    );
    vec![
        r("get", "/api/v1/health", get(meta::health)),
        r("get", "/api/v1/openapi.json", get(meta::openapi)),
        r("get", "/api/v1/balance", get(balance::report)),
        r("get", "/api/v1/balance/chart.svg", get(balance::chart)),
        r("get", "/api/v1/balance/sectors.svg", get(balance::sectors)),
        r("get", "/api/v1/ledger", get(ledger::list)),
        r("post", "/api/v1/ledger", post(ledger::append)),
        r("get", "/api/v1/ledger/{id}", get(ledger::one)),
        r("get", "/api/v1/measures", get(measures::list)),
        r("get", "/api/v1/measures/{id}", get(measures::one)),
        r("post", "/api/v1/duty", post(duty::single)),
        // A batch streams its body itself, with its own (larger) limit.
        r("post", "/api/v1/duty/batch", batch),
        r("get", "/api/v1/rates", get(measures::rates)),
        r("get", "/api/v1/etr", get(measures::etr)),
        r("get", "/api/v1/scenarios", get(scenarios::list)),
        r("post", "/api/v1/scenarios/run", post(scenarios::run)),
        r("get", "/api/v1/scenarios/compare", get(scenarios::compare)),
        r("post", "/api/v1/roo/check", post(scenarios::roo_check)),
        r("get", "/api/v1/roo/examples", get(scenarios::roo_examples)),
    ]
}

/// The application's router over a loaded state.
pub fn router(state: Shared, config: &Config) -> Result<Router, ServeError> {
    let mut api = Router::new();
    for route in api_routes(config) {
        let handler = if route.path == "/api/v1/duty/batch" {
            route.handler
        } else {
            route
                .handler
                .layer(DefaultBodyLimit::max(config.body_limit))
        };
        api = api.route(route.path, handler);
    }
    let timeout = config.timeout;
    let mut app = Router::new()
        .merge(api)
        .route("/", get(|| async { crate::assets::respond("index.html") }))
        .route(
            "/assets/{*path}",
            get(
                |axum::extract::Path(p): axum::extract::Path<String>| async move {
                    crate::assets::respond(&p)
                },
            ),
        )
        .fallback(|| async { ApiError::not_found("no such route") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this route does not take that method",
            )
        })
        .with_state(state)
        .layer(axum::middleware::from_fn(
            move |req: Request, next: Next| time_limit(req, next, timeout),
        ))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                ApiError::internal("the server failed on this request").into_response()
            },
        ));
    if let Some(origin) = &config.cors {
        let origin = HeaderValue::from_str(origin)
            .map_err(|_| ServeError::Config(format!("--cors: {origin:?} is not an origin")))?;
        app = app.layer(
            tower_http::cors::CorsLayer::new()
                .allow_origin(origin)
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION]),
        );
    }
    Ok(app)
}

/// Answers 503 `timeout` when a request takes longer than the limit to start its response.
async fn time_limit(req: Request, next: Next, limit: std::time::Duration) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(r) => r,
        Err(_) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            format!("the request took longer than {} s", limit.as_secs()),
        )
        .into_response(),
    }
}

/// A query string's parameters, read with errors that name the parameter.
pub struct Params(pub HashMap<String, String>);

impl Params {
    /// Parses the query string; `allowed` are the parameters the route takes (others are an
    /// error, so a typo is not silently ignored).
    pub fn parse(query: Option<&str>, allowed: &[&str]) -> ApiResult<Params> {
        let mut map = HashMap::new();
        for (k, v) in form_pairs(query.unwrap_or("")) {
            if !allowed.contains(&k.as_str()) {
                return Err(ApiError::invalid(
                    k.clone(),
                    format!(
                        "unknown parameter {k:?}; this route takes {}",
                        if allowed.is_empty() {
                            "none".to_string()
                        } else {
                            allowed.join(", ")
                        }
                    ),
                ));
            }
            if !v.is_empty() {
                map.insert(k, v);
            }
        }
        Ok(Params(map))
    }

    pub fn str(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    pub fn date(&self, name: &str) -> ApiResult<Option<quid_core::Date>> {
        self.str(name)
            .map(|t| {
                quid_core::parse_date(t).map_err(|e| {
                    ApiError::invalid(
                        name,
                        format!("{name}: {t:?} is not a date YYYY-MM-DD ({e})"),
                    )
                })
            })
            .transpose()
    }

    pub fn country(&self, name: &str) -> ApiResult<Option<quid_core::Country>> {
        self.str(name)
            .map(|t| {
                t.parse::<quid_core::Country>()
                    .map_err(|e| ApiError::invalid(name, format!("{name}: {e}")))
            })
            .transpose()
    }

    /// The parameters in a fixed order, for a cache key.
    pub fn key(&self) -> String {
        let mut kv: Vec<_> = self.0.iter().collect();
        kv.sort();
        kv.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// `application/x-www-form-urlencoded` pairs, percent-decoded.
fn form_pairs(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                match u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16)
                {
                    Ok(v) => {
                        out.push(v);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A JSON body parsed into `T`, with the line, column and field of a mistake.
pub fn json_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> ApiResult<T> {
    let text = std::str::from_utf8(body)
        .map_err(|_| ApiError::invalid("body", "the body is not UTF-8 text"))?;
    if text.trim().is_empty() {
        return Err(ApiError::invalid(
            "body",
            "the body is empty; expected a JSON object",
        ));
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let r: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    match r {
        Ok(v) => match de.end() {
            Ok(()) => Ok(v),
            Err(e) => Err(ApiError::invalid("body", format!("invalid JSON body: {e}"))),
        },
        Err(e) => Err(body_error(e)),
    }
}

/// A JSON value (a part of a body already read) as `T`, with the field of a mistake.
pub fn from_json<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> ApiResult<T> {
    serde_path_to_error::deserialize(v).map_err(body_error)
}

/// A body's deserialisation error: the field at fault (the path, or the unknown field's name).
fn body_error(e: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let path = e.path().to_string();
    let inner = e.into_inner().to_string();
    let unknown = inner
        .strip_prefix("unknown field `")
        .and_then(|r| r.split('`').next())
        .map(str::to_string);
    let field = match unknown {
        Some(f) => f,
        None if path.is_empty() || path == "." => "body".to_string(),
        None => path,
    };
    ApiError::invalid(field, format!("invalid JSON body: {inner}"))
}

/// A JSON response from a serialised body.
pub fn json_bytes(bytes: axum::body::Bytes) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        bytes,
    )
        .into_response()
}

/// Serialises a report, as a server error if it cannot be.
pub fn to_json<T: serde::Serialize>(v: &T) -> ApiResult<axum::body::Bytes> {
    serde_json::to_vec(v)
        .map(axum::body::Bytes::from)
        .map_err(|e| ApiError::internal(format!("the report could not be written as JSON: {e}")))
}

/// Runs blocking work (a report that takes milliseconds) off the request threads.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| ApiError::internal("the server failed on this request"))?
}

/// A request body read whole, within the body limit; a body over the limit is a JSON 413
/// `payload_too_large` (axum's own rejection is plain text).
pub struct RawBody(pub axum::body::Bytes);

impl<S: Send + Sync> axum::extract::FromRequest<S> for RawBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<RawBody, ApiError> {
        match axum::body::Bytes::from_request(req, state).await {
            Ok(b) => Ok(RawBody(b)),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(ApiError {
                field: Some("body".into()),
                ..ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    "the request body is larger than the server's limit (--body-limit)",
                )
            }),
            Err(e) => Err(ApiError::invalid("body", e.body_text())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_are_percent_decoded() {
        assert_eq!(
            form_pairs("names=canada_ask%2Cback_to_2024&q=steel+coil&x=%zz&flag"),
            [
                ("names".to_string(), "canada_ask,back_to_2024".to_string()),
                ("q".to_string(), "steel coil".to_string()),
                ("x".to_string(), "%zz".to_string()),
                ("flag".to_string(), String::new()),
            ]
        );
        // A trailing % is kept as it is.
        assert_eq!(decode("50%"), "50%");
    }

    #[test]
    fn parameters_are_checked_and_keyed_in_order() {
        let p = Params::parse(
            Some("to=2025-12-31&from=2025-01-01&q="),
            &["from", "to", "q"],
        )
        .unwrap();
        // An empty value is no value; the cache key does not depend on the order given.
        assert_eq!(p.key(), "from=2025-01-01&to=2025-12-31");
        assert_eq!(p.date("from").unwrap().unwrap().to_string(), "2025-01-01");
        let e = Params::parse(Some("form=2025-01-01"), &["from"])
            .err()
            .unwrap();
        assert_eq!(e.field.as_deref(), Some("form"));
        let p = Params::parse(Some("from=2025-02-30"), &["from"]).unwrap();
        assert_eq!(p.date("from").unwrap_err().code, "invalid_request");
    }
}
