//! Loading the measure files (`data/measures/**/*.toml`) and resolving their product-list
//! references (`"<file under data/>:<prefix column>[:<col>=<value>,...]"`) against the bundled
//! CSV lists, then compiling them into a [`quid_engine::Policy`]. Every problem in every file is
//! reported together.

use crate::bundle::Bundle;
use crate::error::DataError;
use crate::reader::Csv;
use quid_core::HsCode;
use quid_engine::{MeasureFile, Policy};
use std::path::{Path, PathBuf};

/// The measure files found under a folder, in path order.
pub fn measure_files(dir: &Path) -> Result<Vec<PathBuf>, DataError> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let rd = std::fs::read_dir(&d).map_err(|source| DataError::Io {
            path: d.clone(),
            source,
        })?;
        for e in rd {
            let e = e.map_err(|source| DataError::Io {
                path: d.clone(),
                source,
            })?;
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "toml") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Reads and parses every measure file; all parse errors are returned together.
pub fn read_measure_files(dir: &Path) -> Result<Vec<(String, MeasureFile)>, DataError> {
    let mut files = Vec::new();
    let mut problems = crate::Diagnostics::default();
    for p in measure_files(dir)? {
        let text = match std::fs::read_to_string(&p) {
            Ok(t) => t,
            Err(source) => return Err(DataError::Io { path: p, source }),
        };
        match toml::from_str::<MeasureFile>(&text) {
            Ok(mf) => files.push((p.display().to_string(), mf)),
            Err(e) => {
                let line = e
                    .span()
                    .map(|s| text[..s.start.min(text.len())].lines().count() as u64);
                problems.push(&p, line, None, e.message().to_string());
            }
        }
    }
    problems.into_result()?;
    Ok(files)
}

/// Resolves a list reference to its HS prefixes.
pub fn resolve_list(bundle: &Bundle, reference: &str) -> Result<Vec<HsCode>, String> {
    let mut parts = reference.splitn(3, ':');
    let file = parts.next().unwrap_or("");
    let column = parts.next().ok_or_else(|| {
        format!("list reference {reference:?}: expected \"<file>:<column>[:<col>=<value>,...]\"")
    })?;
    let filters: Vec<(&str, &str)> = match parts.next() {
        None => vec![],
        Some(f) => f
            .split(',')
            .map(|kv| {
                kv.split_once('=').ok_or_else(|| {
                    format!("list reference {reference:?}: filter {kv:?} is not col=value")
                })
            })
            .collect::<Result<_, _>>()?,
    };
    let path = bundle.path(file);
    let mut required = vec![column];
    required.extend(filters.iter().map(|(k, _)| *k));
    let mut csv =
        Csv::open(&path, &required).map_err(|e| format!("list reference {reference:?}: {e}"))?;
    let ci = csv.col(column).unwrap_or(0);
    let fi: Vec<(usize, &str)> = filters
        .iter()
        .map(|(k, v)| (csv.col(k).unwrap_or(0), *v))
        .collect();
    let mut out = Vec::new();
    let mut bad = Vec::new();
    for rec in csv.records() {
        let (line, rec) = rec.map_err(|e| e.to_string())?;
        if !fi
            .iter()
            .all(|(i, v)| rec.get(*i).unwrap_or("").trim() == *v)
        {
            continue;
        }
        let raw = rec.get(ci).unwrap_or("").trim();
        match HsCode::parse(raw) {
            Ok(c) => out.push(c),
            Err(e) => bad.push(format!("{}:{line} [{column}]: {e}", path.display())),
        }
    }
    if !bad.is_empty() {
        return Err(format!("list reference {reference:?}: {}", bad.join("; ")));
    }
    Ok(out)
}

/// Loads and compiles the bundled measures.
pub fn load_policy(bundle: &Bundle, include_unverified: bool) -> Result<Policy, DataError> {
    let files = read_measure_files(&bundle.measures_dir())?;
    let resolver = |r: &str| resolve_list(bundle, r);
    Policy::compile(&files, &resolver, include_unverified).map_err(|e| {
        DataError::Many(
            e.0.into_iter()
                .map(|m| crate::Diagnostic {
                    file: bundle.measures_dir(),
                    line: None,
                    field: None,
                    message: m,
                })
                .collect(),
        )
    })
}
