//! Scenarios and rules of origin: the bundled scenarios, running one (by name or as TOML text),
//! comparing several; checking a bill of materials (JSON or TOML) and the bundled example
//! vehicles. The same reports as `quid scenario run|compare` and `quid roo check`.

use crate::routes::{blocking, json_body, json_bytes, to_json, Params, RawBody};
use crate::{ApiError, ApiResult, Shared};

use axum::extract::{RawQuery, State};
use axum::response::Response;
use quid_app::scenario_run::ScenarioRequest;
use serde::Deserialize;
use std::path::PathBuf;

/// Monte Carlo draws of an API scenario run (the CLI's default is 1000; bands from 200 draws
/// answer in a fraction of the time).
const DRAWS: usize = 200;
const SEED: u64 = 2026;

fn scenario_dir(s: &Shared) -> PathBuf {
    s.data_root().join("scenarios")
}

/// A bundled scenario's file from its name (letters, digits, `_` and `-` only).
fn scenario_file(s: &Shared, name: &str) -> ApiResult<PathBuf> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(ApiError::invalid(
            "name",
            format!("{name:?} is not a scenario name (see GET /api/v1/scenarios)"),
        ));
    }
    let p = scenario_dir(s).join(format!("{name}.toml"));
    if p.is_file() {
        Ok(p)
    } else {
        Err(ApiError::not_found(format!(
            "no bundled scenario {name:?} (see GET /api/v1/scenarios)"
        )))
    }
}

/// `GET /api/v1/scenarios`: name, title, start, status and file of each bundled scenario.
pub async fn list(State(s): State<Shared>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    Params::parse(q.as_deref(), &[])?;
    let bytes = blocking(move || {
        s.cached("scenarios", || {
            let dir = scenario_dir(&s);
            let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
                .map_err(|e| ApiError::internal(format!("reading {}: {e}", dir.display())))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect();
            files.sort();
            let mut out = Vec::new();
            for f in files {
                let sc = quid_app::scenario::Scenario::read(&f)?;
                out.push(serde_json::json!({
                    "name": f.file_stem().map(|x| x.to_string_lossy().to_string()),
                    "title": sc.name,
                    "start": sc.start.to_string(),
                    "status": sc.status,
                    "file": format!("scenarios/{}", f.file_name().map(|x| x.to_string_lossy().to_string()).unwrap_or_default()),
                }));
            }
            to_json(&serde_json::json!({ "scenarios": out }))
        })
        .map(|b| (*b).clone())
    })
    .await?;
    Ok(json_bytes(bytes))
}

/// The body of a scenario run: a bundled scenario's name, or a scenario's TOML text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunBody {
    pub name: Option<String>,
    pub toml: Option<String>,
    /// Monte Carlo draws (0 for none; at most 2000).
    pub draws: Option<usize>,
    pub seed: Option<u64>,
}

fn run_one(s: &Shared, name: &str, draws: usize, seed: u64) -> ApiResult<bytes_json::Json> {
    let file = scenario_file(s, name)?;
    s.cached(&format!("scenario/{name}/{draws}/{seed}"), || {
        let req = ScenarioRequest {
            file,
            draws,
            seed,
            supply: None,
        };
        let r = quid_app::scenario_run::run(&s.app(), &s.engine, &req)?;
        serde_json::to_value(&r).map_err(|e| ApiError::internal(e.to_string()))
    })
}

mod bytes_json {
    /// A report as a JSON value, shared from the cache.
    pub type Json = std::sync::Arc<serde_json::Value>;
}

/// `POST /api/v1/scenarios/run`.
pub async fn run(State(s): State<Shared>, RawBody(body): RawBody) -> ApiResult<Response> {
    let b: RunBody = json_body(&body)?;
    let draws = b.draws.unwrap_or(DRAWS);
    if draws > 2000 {
        return Err(ApiError::invalid("draws", "draws: at most 2000"));
    }
    let seed = b.seed.unwrap_or(SEED);
    let v = blocking(move || match (b.name, b.toml) {
        (Some(name), None) => run_one(&s, &name, draws, seed),
        (None, Some(text)) => {
            let req = ScenarioRequest {
                file: PathBuf::from("body.toml"),
                draws,
                seed,
                supply: None,
            };
            let r = quid_app::scenario_run::run_text(&s.app(), &s.engine, &req, &text)?;
            Ok(std::sync::Arc::new(
                serde_json::to_value(&r).map_err(|e| ApiError::internal(e.to_string()))?,
            ))
        }
        _ => Err(ApiError::invalid(
            "name",
            "give either \"name\" (a bundled scenario) or \"toml\" (a scenario's text)",
        )),
    })
    .await?;
    Ok(json_bytes(to_json(&*v)?))
}

/// `GET /api/v1/scenarios/compare?names=a,b`: the reports side by side (an array, as
/// `quid scenario compare --format json`).
pub async fn compare(State(s): State<Shared>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let p = Params::parse(q.as_deref(), &["names", "draws", "seed"])?;
    let names: Vec<String> = p
        .str("names")
        .ok_or_else(|| {
            ApiError::invalid(
                "names",
                "names is required: scenario names, comma-separated",
            )
        })?
        .split(',')
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    if names.is_empty() || names.len() > 6 {
        return Err(ApiError::invalid(
            "names",
            "names: one to six scenario names",
        ));
    }
    let num = |k: &str, d: u64| -> ApiResult<u64> {
        p.str(k)
            .map(|t| {
                t.parse::<u64>().map_err(|_| {
                    ApiError::invalid(k, format!("{k} {t:?}: expected a whole number"))
                })
            })
            .transpose()
            .map(|v| v.unwrap_or(d))
    };
    let draws = num("draws", DRAWS as u64)? as usize;
    if draws > 2000 {
        return Err(ApiError::invalid("draws", "draws: at most 2000"));
    }
    let seed = num("seed", SEED)?;
    let v = blocking(move || {
        names
            .iter()
            .map(|n| run_one(&s, n, draws, seed).map(|v| (*v).clone()))
            .collect::<ApiResult<Vec<_>>>()
    })
    .await?;
    Ok(json_bytes(to_json(&v)?))
}

/// The body of a rules-of-origin check.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RooBody {
    /// The bill of materials as JSON (the fields of the TOML format).
    pub bom: Option<serde_json::Value>,
    /// The bill of materials as TOML text.
    pub bom_toml: Option<String>,
    pub date: Option<String>,
}

/// `POST /api/v1/roo/check`.
pub async fn roo_check(State(s): State<Shared>, RawBody(body): RawBody) -> ApiResult<Response> {
    let b: RooBody = json_body(&body)?;
    let date = b
        .date
        .as_deref()
        .map(|t| {
            quid_core::parse_date(t)
                .map_err(|e| ApiError::invalid("date", format!("date {t:?}: {e}")))
        })
        .transpose()?;
    let text = crate::routes::duty::bom_text(b.bom, b.bom_toml)?.ok_or_else(|| {
        ApiError::invalid(
            "bom",
            "give either \"bom\" (JSON) or \"bom_toml\" (TOML text)",
        )
    })?;
    let r = blocking(move || {
        let app = s.app();
        let rules = quid_app::roo::rules(&app)?;
        let bom = quid_app::roo::bom_from_text(&text, "bom", None, &rules)?;
        Ok(quid_app::roo::check_bom(&app, &rules, &bom, "bom", date)?)
    })
    .await?;
    Ok(json_bytes(to_json(&r)?))
}

/// `GET /api/v1/roo/examples`: the bundled example vehicles, each with its name, file, TOML
/// text and verdict today.
pub async fn roo_examples(State(s): State<Shared>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    Params::parse(q.as_deref(), &[])?;
    let bytes = blocking(move || {
        s.cached("roo/examples", || {
            let app = s.app();
            let rules = quid_app::roo::rules(&app)?;
            let mut out = Vec::new();
            for f in quid_app::roo::example_files(&app)? {
                let text = std::fs::read_to_string(&f)
                    .map_err(|e| ApiError::internal(format!("reading {}: {e}", f.display())))?;
                let bom = quid_app::roo::read_bom(&f, &rules)?;
                let name = f.file_stem().map(|x| x.to_string_lossy().to_string());
                let file = format!(
                    "roo/examples/{}",
                    f.file_name()
                        .map(|x| x.to_string_lossy().to_string())
                        .unwrap_or_default()
                );
                let report = quid_app::roo::check_bom(&app, &rules, &bom, &file, None)?;
                out.push(serde_json::json!({
                    "name": name,
                    "title": bom.name,
                    "file": file,
                    "toml": text,
                    "check": report,
                }));
            }
            to_json(&serde_json::json!({ "examples": out }))
        })
        .map(|b| (*b).clone())
    })
    .await?;
    Ok(json_bytes(bytes))
}
