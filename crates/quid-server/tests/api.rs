//! The API against its description: every path and method of docs/openapi.json is called on
//! the router with the document's own example and answers the status, content type and
//! top-level keys the document gives; every route of the router is documented; and the
//! answers carry the hand-worked figures of the bundled data.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use quid_server::routes::{api_routes, router};
use quid_server::store::{sqlite::SqliteDb, token};
use quid_server::{AppState, Config, Shared};
use serde_json::Value;
use std::sync::{Arc, OnceLock};
use tower::ServiceExt as _;

/// The server's configuration in tests: a long time limit, since the debug build on a shared
/// machine can take tens of seconds for a scenario comparison (the limit is not what is tested).
fn config() -> Config {
    Config {
        timeout: std::time::Duration::from_secs(600),
        ..Config::default()
    }
}

const TOKEN: &str = "quid_test_token_0123456789";

fn doc() -> Value {
    serde_json::from_str(quid_server::routes::OPENAPI).expect("docs/openapi.json is JSON")
}

/// The server's state, loaded once for the tests: the bundled data, an empty SQLite
/// workspace in a temporary folder, and one token.
fn state() -> Shared {
    static STATE: OnceLock<Shared> = OnceLock::new();
    STATE
        .get_or_init(|| {
            let dir = std::env::temp_dir().join(format!("quid-server-api-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(dir.join("keys")).unwrap();
            let keys = quid_store::KeyStore::at(dir.join("keys"));
            let db = SqliteDb::open_with(&dir.join("ws.sqlite"), &keys).unwrap();
            quid_server::store::Database::add_token(&db, "test", &token::hash(TOKEN), "2026-12-06")
                .unwrap();
            let data = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
            let app = quid_app::App::new(Some(data), quid_core::parse_date("2026-12-06").unwrap())
                .unwrap();
            Arc::new(AppState::new(app, Box::new(db)).unwrap())
        })
        .clone()
}

async fn call(req: Request<Body>) -> (StatusCode, String, Vec<u8>) {
    let app = router(state(), &config()).unwrap();
    let resp = app.oneshot(req).await.unwrap();
    let status = resp.status();
    let ctype = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = http_body_util::BodyExt::collect(resp.into_body())
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, ctype, body)
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

fn post(uri: &str, ctype: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, ctype)
        .body(body.into())
        .unwrap()
}

fn text(body: &[u8]) -> String {
    String::from_utf8_lossy(body).into_owned()
}

fn json(body: &[u8]) -> Value {
    serde_json::from_slice(body)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(body)))
}

/// The request the document's examples make for one operation.
fn example_request(path: &str, method: &str, op: &Value) -> Request<Body> {
    let mut uri = path.to_string();
    let mut query = Vec::new();
    for p in op["parameters"].as_array().into_iter().flatten() {
        let (name, example) = (p["name"].as_str().unwrap(), &p["example"]);
        let text = match example {
            Value::Null => continue,
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        match p["in"].as_str().unwrap() {
            "path" => uri = uri.replace(&format!("{{{name}}}"), &text),
            "query" => query.push(format!("{name}={}", text.replace(',', "%2C"))),
            other => panic!("parameter in {other}"),
        }
    }
    if !query.is_empty() {
        uri = format!("{uri}?{}", query.join("&"));
    }
    assert!(
        !uri.contains('{'),
        "{path}: a path parameter has no example"
    );
    let mut b = Request::builder()
        .method(method.to_uppercase().as_str())
        .uri(&uri);
    if op.get("security").is_some() {
        b = b.header(header::AUTHORIZATION, format!("Bearer {TOKEN}"));
    }
    let body = match op["requestBody"]["content"].as_object() {
        Some(content) => {
            let (ctype, media) = content.iter().next().unwrap();
            b = b.header(header::CONTENT_TYPE, ctype);
            match &media["example"] {
                Value::String(s) => Body::from(s.clone()),
                Value::Null => panic!("{method} {path}: the request body has no example"),
                v => Body::from(v.to_string()),
            }
        }
        None => Body::empty(),
    };
    b.body(body).unwrap()
}

/// Checks a JSON value against the top of a schema: its type and required keys.
fn check_top(what: &str, schema: &Value, v: &Value) {
    match schema["type"].as_str() {
        Some("array") => {
            let items = v
                .as_array()
                .unwrap_or_else(|| panic!("{what}: not an array"));
            if let Some(first) = items.first() {
                check_top(what, &schema["items"], first);
            }
        }
        Some("object") | None => {
            for k in schema["required"].as_array().into_iter().flatten() {
                let k = k.as_str().unwrap();
                assert!(v.get(k).is_some(), "{what}: no key {k:?} in the answer");
            }
        }
        Some(_) => {}
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_operation_answers_as_documented() {
    let d = doc();
    let paths = d["paths"].as_object().unwrap();
    // The write comes first so that the reads after it see the entry.
    let mut ops: Vec<(String, String, Value)> = paths
        .iter()
        .flat_map(|(p, item)| {
            item.as_object()
                .unwrap()
                .iter()
                .map(move |(m, op)| (p.clone(), m.clone(), op.clone()))
        })
        .collect();
    ops.sort_by_key(|(p, m, _)| (m != "post" || p != "/api/v1/ledger", p.clone()));
    assert_eq!(ops.len(), api_routes(&Config::default()).len());
    for (path, method, op) in ops {
        let what = format!("{} {path}", method.to_uppercase());
        let (status_doc, media) = op["responses"]
            .as_object()
            .unwrap()
            .iter()
            .find(|(code, _)| code.starts_with('2'))
            .unwrap_or_else(|| panic!("{what}: no 2xx response documented"));
        let (ctype_doc, media) = media["content"].as_object().unwrap().iter().next().unwrap();
        let (status, ctype, body) = call(example_request(&path, &method, &op)).await;
        assert_eq!(
            status.as_str(),
            status_doc,
            "{what}: {}",
            String::from_utf8_lossy(&body[..body.len().min(600)])
        );
        assert!(
            ctype.starts_with(ctype_doc.as_str()),
            "{what}: content type {ctype}, documented {ctype_doc}"
        );
        match ctype_doc.as_str() {
            "application/json" => check_top(&what, &media["schema"], &json(&body)),
            "application/x-ndjson" => {
                let lines: Vec<Value> = body
                    .split(|b| *b == b'\n')
                    .filter(|l| !l.is_empty())
                    .map(json)
                    .collect();
                assert!(lines.last().unwrap().get("summary").is_some(), "{what}");
            }
            "image/svg+xml" => assert!(body.starts_with(b"<svg"), "{what}"),
            other => panic!("{what}: no check for {other}"),
        }
    }
}

#[test]
fn every_route_is_documented_and_every_documented_path_is_a_route() {
    let d = doc();
    let mut documented: Vec<(String, String)> = d["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(p, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.clone(), p.clone()))
        })
        .collect();
    let mut routed: Vec<(String, String)> = api_routes(&Config::default())
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    documented.sort();
    routed.sort();
    assert_eq!(routed, documented);
}

#[test]
fn the_served_description_is_the_repository_file() {
    let file = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/openapi.json"
    ))
    .unwrap();
    assert_eq!(quid_server::routes::OPENAPI, file);
    assert_eq!(doc()["openapi"], "3.1.0");
}

#[tokio::test]
async fn duty_answers_the_hand_worked_assessment() {
    // A Canadian hot-rolled coil of 100000 entered 2025-07-01 without a USMCA claim: free of
    // base duty (HTS 2025 basic, column 1 general); Section 232 steel at 50% (Proclamation
    // 10947, from 2025-06-04) on the whole value, the IEEPA duty giving way to it.
    let (status, _, body) = call(post(
        "/api/v1/duty",
        "application/json",
        r#"{"importer":"US","origin":"CA","hts":"7208.10.15.00","value":100000,"date":"2025-07-01"}"#,
    ))
    .await;
    assert_eq!(status, StatusCode::OK);
    let v = json(&body);
    // Money is a JSON number written with exactly two decimals (docs/output.md).
    assert_eq!(v["total"], serde_json::json!(50000.0));
    assert!(text(&body).contains(r#""total":50000.00,"#));
    assert_eq!(v["currency"], "USD");
    assert_eq!(v["base"]["rate"], "Free");
    let layers = v["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 1);
    assert_eq!(layers[0]["authority"], "s232-steel");
    assert_eq!(layers[0]["amount"], serde_json::json!(50000.0));
    assert!(text(&body).contains(r#""amount":50000.00,"#));
}

#[tokio::test]
async fn errors_are_json_with_a_stable_code_and_the_field() {
    let cases: Vec<(Request<Body>, StatusCode, &str, Value)> = vec![
        (
            post(
                "/api/v1/duty",
                "application/json",
                r#"{"importer":"US","origin":"CA","hts":"7208.10.15.00","value":"ten","date":"2025-07-01"}"#,
            ),
            StatusCode::BAD_REQUEST,
            "invalid_field",
            "value".into(),
        ),
        (
            post(
                "/api/v1/duty",
                "application/json",
                r#"{"importer":"US","origin":"CA","hts":"7208.10.15.00","date":"2025-07-01"}"#,
            ),
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "body".into(),
        ),
        (
            post(
                "/api/v1/duty",
                "application/json",
                r#"{"importer":"US","origin":"CA","hts":"7208.10.15.00","value":1,"currency":"CAD","date":"2025-07-01"}"#,
            ),
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "currency".into(),
        ),
        (
            get("/api/v1/balance?as_known_on=2025-02-30"),
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "as_known_on".into(),
        ),
        (
            get("/api/v1/balance?since=2025-01-01"),
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "since".into(),
        ),
        (
            get("/api/v1/ledger/NO-SUCH-ENTRY"),
            StatusCode::NOT_FOUND,
            "not_found",
            Value::Null,
        ),
        (
            get("/api/v1/nothing"),
            StatusCode::NOT_FOUND,
            "not_found",
            Value::Null,
        ),
        (
            Request::delete("/api/v1/health")
                .body(Body::empty())
                .unwrap(),
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            Value::Null,
        ),
        (
            post(
                "/api/v1/ledger",
                "application/toml",
                "[[announcement]]\nid = \"X\"\n",
            ),
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            Value::Null,
        ),
        (
            Request::post("/api/v1/ledger")
                .header(header::AUTHORIZATION, "Bearer quid_wrong")
                .body(Body::from("{}"))
                .unwrap(),
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            Value::Null,
        ),
        (
            post(
                "/api/v1/duty",
                "application/json",
                vec![b' '; (1 << 20) + 1],
            ),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "body".into(),
        ),
        (
            post("/api/v1/duty/batch", "text/csv", "foo,bar\n1,2\n"),
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "body".into(),
        ),
    ];
    for (req, status, code, field) in cases {
        let what = format!("{} {}", req.method(), req.uri());
        let (s, ctype, body) = call(req).await;
        assert_eq!(s, status, "{what}: {}", String::from_utf8_lossy(&body));
        assert_eq!(ctype, "application/json", "{what}");
        let v = json(&body);
        assert_eq!(v["error"]["code"], code, "{what}: {v}");
        assert_eq!(v["error"]["field"], field, "{what}: {v}");
        assert!(v["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
}

#[tokio::test]
async fn a_batch_streams_rejects_with_their_line_and_totals_per_currency() {
    let csv = "importer,origin,hts,date,value\n\
               US,CA,7208.10.15.00,2025-07-01,100000\n\
               US,CA,7208.10.15.00,2025-02-30,100\n\
               US,CA,7208.10.15.00,2025-07-01,200\n";
    let (status, ctype, body) =
        call(post("/api/v1/duty/batch?progress_every=1", "text/csv", csv)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ctype, "application/x-ndjson");
    let lines: Vec<Value> = body
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(json)
        .collect();
    let reject = lines.iter().find_map(|l| l.get("reject")).unwrap();
    // The header is line 1: the bad date is on line 3.
    assert_eq!(reject["line"], 3);
    assert!(reject["reason"].as_str().unwrap().contains("2025-02-30"));
    assert!(lines.iter().any(|l| l.get("progress").is_some()));
    let s = &lines.last().unwrap()["summary"];
    assert_eq!(
        (
            s["records"].as_u64(),
            s["assessed"].as_u64(),
            s["rejected"].as_u64()
        ),
        (Some(3), Some(2), Some(1))
    );
    // 50% Section 232 steel on 100000 and on 200.
    assert_eq!(
        s["total_duty"],
        serde_json::json!({"usd": 50100.0, "cad": 0.0})
    );
    assert!(text(&body).contains(r#""total_duty":{"usd":50100.00,"cad":0.00}"#));
}

#[tokio::test]
async fn the_dashboard_files_are_served_from_the_binary() {
    let (status, ctype, body) = call(get("/")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ctype, "text/html; charset=utf-8");
    assert_eq!(body, quid_server::assets::get("index.html").unwrap());
    for p in quid_server::assets::paths() {
        let (status, ctype, body) = call(get(&format!("/assets/{p}"))).await;
        assert_eq!(status, StatusCode::OK, "{p}");
        assert_eq!(ctype, quid_server::assets::content_type(&p), "{p}");
        assert_eq!(body, quid_server::assets::get(&p).unwrap(), "{p}");
    }
    let (status, _, _) = call(get("/assets/no-such-file.js")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_answers_other_requests_while_a_batch_streams() {
    // 100,000 lines uploaded in two halves; the second half is sent only after a health and a
    // duty request, made while the batch is open and has reported progress, have answered.
    const HALF: usize = 50_000;
    let (go_tx, go_rx) = tokio::sync::oneshot::channel::<()>();
    let body = async_body(HALF, go_rx);
    let app = router(state(), &config()).unwrap();
    let resp = app
        .oneshot(post(
            "/api/v1/duty/batch?progress_every=10000",
            "text/csv",
            body,
        ))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let mut stream = resp.into_body().into_data_stream();
    let mut text = Vec::new();
    let mut go = Some(go_tx);
    use futures_util::StreamExt as _;
    // A guard against a hang (the batch engine reads 512 KiB blocks, so the first half, 1.75
    // MB, gives progress before the upload stops): fail after five minutes instead.
    let limit = std::time::Duration::from_secs(300);
    while let Some(chunk) = tokio::time::timeout(limit, stream.next())
        .await
        .expect("the batch stream stalled")
    {
        text.extend_from_slice(&chunk.unwrap());
        if go.is_some() && text.windows(11).any(|w| w == b"{\"progress\"") {
            // The batch is under way and waiting for the rest of its upload.
            let (s, _, b) = call(get("/api/v1/health")).await;
            assert_eq!(s, StatusCode::OK);
            assert_eq!(json(&b)["status"], "ok");
            let (s, _, b) = call(post("/api/v1/duty", "application/json", DUTY_COIL)).await;
            assert_eq!(s, StatusCode::OK);
            assert_eq!(json(&b)["total"], serde_json::json!(50000.0));
            let _ = go.take().unwrap().send(());
        }
    }
    assert!(
        go.is_none(),
        "no progress line before the end of the upload"
    );
    let last = text
        .split(|b| *b == b'\n')
        .rfind(|l| !l.is_empty())
        .map(json)
        .unwrap();
    let s = &last["summary"];
    assert_eq!(s["records"].as_u64(), Some(2 * HALF as u64));
    assert_eq!(s["rejected"].as_u64(), Some(0));
    // 100,000 coils of 100 each at 50%: 5,000,000.00.
    assert_eq!(s["total_duty"]["usd"], serde_json::json!(5000000.0));
    assert!(
        String::from_utf8_lossy(&text).contains(r#""total_duty":{"usd":5000000.00,"cad":0.00}"#)
    );
}

const DUTY_COIL: &str =
    r#"{"importer":"US","origin":"CA","hts":"7208.10.15.00","value":100000,"date":"2025-07-01"}"#;

/// A CSV body of `2 * half` coil lines of value 100, its second half held back until `go`.
fn async_body(half: usize, go: tokio::sync::oneshot::Receiver<()>) -> Body {
    let line = "US,CA,7208.10.15.00,2025-07-01,100\n";
    let chunk = |n: usize| bytes::Bytes::from(line.repeat(n));
    let header = bytes::Bytes::from_static(b"importer,origin,hts,date,value\n");
    let first: Vec<Result<bytes::Bytes, std::io::Error>> = std::iter::once(Ok(header))
        .chain((0..half / 1000).map(move |_| Ok(chunk(1000))))
        .collect();
    let second = async move {
        let _ = go.await;
        futures_util::stream::iter((0..half / 1000).map(move |_| Ok(chunk(1000))))
    };
    use futures_util::StreamExt as _;
    let s = futures_util::stream::iter(first).chain(futures_util::stream::once(second).flatten());
    Body::from_stream(s)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_over_postgresql_reads_and_writes() {
    let Ok(url) = std::env::var("QUID_TEST_POSTGRES") else {
        eprintln!("notice: QUID_TEST_POSTGRES is not set: the API over PostgreSQL is skipped");
        return;
    };
    let schema = format!("t_api_{}", std::process::id());
    let st = {
        let (url, schema) = (url.clone(), schema.clone());
        tokio::task::spawn_blocking(move || {
            let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
            admin
                .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                .unwrap();
            let db = quid_server::store::postgres::PgDb::connect_in(&url, Some(&schema)).unwrap();
            quid_server::store::Database::add_token(&db, "pg", &token::hash(TOKEN), "2026-12-06")
                .unwrap();
            let data = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
            let app = quid_app::App::new(Some(data), quid_core::parse_date("2026-12-06").unwrap())
                .unwrap();
            Arc::new(AppState::new(app, Box::new(db)).unwrap())
        })
        .await
        .unwrap()
    };
    let send = |req: Request<Body>| {
        let app = router(st.clone(), &config()).unwrap();
        async move {
            let resp = app.oneshot(req).await.unwrap();
            let status = resp.status();
            let body = http_body_util::BodyExt::collect(resp.into_body())
                .await
                .unwrap()
                .to_bytes();
            (status, json(&body))
        }
    };
    let (s, v) = send(get("/api/v1/health")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // Entries, then tokens: two migrations.
    assert_eq!(v["schema_version"], 2);
    assert!(v["database"].as_str().unwrap().starts_with("postgres "));
    let entry = doc()["paths"]["/api/v1/ledger"]["post"]["requestBody"]["content"]
        ["application/toml"]["example"]
        .as_str()
        .unwrap()
        .to_string();
    let write = || {
        Request::post("/api/v1/ledger")
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
            .header(header::CONTENT_TYPE, "application/toml")
            .body(Body::from(entry.clone()))
            .unwrap()
    };
    let (s, v) = send(write()).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["sequences"], serde_json::json!([1]));
    // The same id again: refused, nothing written.
    let (s, v) = send(write()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"]["code"], "invalid_entry");
    let (s, v) = send(get("/api/v1/ledger/USER-2026-10-01-FUND")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["title"], "A provincial fund for exporters");
    tokio::task::spawn_blocking(move || {
        let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        let _ = admin.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn a_request_over_the_time_limit_is_a_json_timeout() {
    // An effective-rate series takes seconds to compute (and this query is asked nowhere
    // else, so nothing is cached); the limit here is one millisecond.
    let cfg = Config {
        timeout: std::time::Duration::from_millis(1),
        ..Config::default()
    };
    let app = router(state(), &cfg).unwrap();
    let resp = app
        .oneshot(get(
            "/api/v1/etr?importer=US&partner=CA&from=2025-02-01&to=2025-02-28&by=sector",
        ))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body = http_body_util::BodyExt::collect(resp.into_body())
        .await
        .unwrap()
        .to_bytes();
    assert_eq!(json(&body)["error"]["code"], "timeout");
}

#[tokio::test]
async fn cors_is_off_unless_an_origin_is_configured() {
    let preflight = || {
        Request::options("/api/v1/health")
            .header(header::ORIGIN, "https://example.org")
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
            .body(Body::empty())
            .unwrap()
    };
    let off = router(state(), &config()).unwrap();
    let resp = off.oneshot(preflight()).await.unwrap();
    assert!(resp
        .headers()
        .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
        .is_none());
    let on = router(
        state(),
        &Config {
            cors: Some("https://example.org".into()),
            ..config()
        },
    )
    .unwrap();
    let resp = on.oneshot(preflight()).await.unwrap();
    assert_eq!(
        resp.headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .unwrap(),
        "https://example.org"
    );
}
