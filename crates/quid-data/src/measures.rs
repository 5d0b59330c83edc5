//! Loading the measure files (`data/measures/**/*.toml`) and resolving their product-list
//! references (`"<file under data/>:<prefix column>[:<col>=<value>,...]"`) against the bundled
//! CSV lists, then compiling them into a [`quid_engine::Policy`]. Every problem in every file is
//! reported together.
//!
//! A list reference names a CSV file under the bundle, its prefix column and any filters; a
//! measure file in a bundle's `measures/` folder compiles against those lists:
//!
//! ```
//! use quid_core::{Country, HsCode};
//! use quid_data::measures::{load_policy, resolve_list};
//! use quid_data::Bundle;
//!
//! let bundled = Bundle::at(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
//! // The potash lines spared the IEEPA duty on Canada: the 7 rows tagged `potash_ca` of the
//! // bundled carve-out list, the first of them 2815.20.00 (potassium hydroxide).
//! let potash = resolve_list(
//!     &bundled,
//!     "us_measures/fentanyl_carveout_products.csv:hts8:category=potash_ca",
//! )
//! .unwrap();
//! assert_eq!(potash.len(), 7);
//! assert_eq!(potash[0], HsCode::parse("2815.20.00").unwrap());
//!
//! // A bundle of our own: one measure whose scope is a two-line list.
//! let root = std::env::temp_dir().join(format!("quid-doc-measures-{}", std::process::id()));
//! std::fs::create_dir_all(root.join("measures")).unwrap();
//! std::fs::write(root.join("nails.csv"), "hts8,kind\n73170055,nail\n73170065,nail\n73181500,bolt\n").unwrap();
//! std::fs::write(root.join("measures/nails.toml"), r#"
//!     [[measure]]
//!     id = "T-NAILS"
//!     title = "test duty on nails"
//!     importer = "US"
//!     origins = ["CA"]
//!     authority = "s232-steel"
//!     heading = "9903.81.89"
//!     instrument = "test"
//!     status = "in_force"
//!     confidence = "H"
//!     from = "2025-06-04"
//!     rate = "50%"
//!     base = "full_value"
//!     scope = { include_lists = ["nails.csv:hts8:kind=nail"] }
//!     citations = [{ title = "test" }]
//! "#).unwrap();
//! let policy = load_policy(&Bundle::at(&root), false);
//! std::fs::remove_dir_all(&root).unwrap();
//! let policy = policy.unwrap();
//! assert_eq!(policy.measure_count(Country::US), 1);
//! // The two nail lines are in scope, the bolt is not.
//! let codes: Vec<String> = policy.included_codes(Country::US).iter().map(|c| c.dotted()).collect();
//! assert_eq!(codes, ["7317.00.55", "7317.00.65"]);
//! ```

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
            let kind = e.file_type().map_err(|source| DataError::Io {
                path: p.clone(),
                source,
            })?;
            if kind.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "toml") {
                if kind.is_symlink() {
                    // A linked measure file must stay inside the measures folder (a linked
                    // folder is not followed at all: no loops).
                    let name = p
                        .strip_prefix(dir)
                        .unwrap_or(&p)
                        .to_string_lossy()
                        .into_owned();
                    crate::bounded::confined(dir, &name)
                        .map_err(|m| DataError::at(&p, None, None, m))?;
                }
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
        let text = crate::bounded::read_text(&p)?;
        match toml::from_str::<MeasureFile>(&text) {
            Ok(mf) => files.push((p.display().to_string(), mf)),
            Err(e) => problems
                .items
                .push(crate::Diagnostic::from_toml(&p, &text, &e)),
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
    crate::bounded::confined(&bundle.root, file)
        .map_err(|m| format!("list reference {reference:?}: {m}"))?;
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

/// The plausibility problems of the bundled measure files (see [`crate::plausible`]), with the
/// bounds of `params/checks.toml`.
pub fn plausibility(bundle: &Bundle) -> Result<Vec<crate::Diagnostic>, DataError> {
    let bounds = crate::plausible::Bounds::read(&bundle.checks())?;
    let files = read_measure_files(&bundle.measures_dir())?;
    let resolver = |r: &str| resolve_list(bundle, r);
    Ok(crate::plausible::check_records(&files, &bounds, &resolver))
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

/// Loads and compiles the bundled measures (unverified ones included), then checks their
/// sources and wording ([`quid_engine::sources::check`]): what `quid measures check` runs.
/// Every problem of either step is returned.
pub fn check_policy(bundle: &Bundle) -> Result<Policy, DataError> {
    let policy = load_policy(bundle, true)?;
    let files = read_measure_files(&bundle.measures_dir())?;
    let problems = quid_engine::sources::check(&files, &policy);
    if problems.is_empty() {
        return Ok(policy);
    }
    Err(DataError::Many(
        problems
            .into_iter()
            .map(|m| crate::Diagnostic {
                file: bundle.measures_dir(),
                line: None,
                field: None,
                message: m,
            })
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: `quid measures check` reported a duplicate key on line 3 of a measure file as
    /// line 2 (the measure loader counted the `lines()` before the error instead of the newlines,
    /// one short when the error starts a line).
    fn read_one(name: &str, text: &str) -> DataError {
        let dir = std::env::temp_dir().join(format!("quid-measures-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        std::fs::write(dir.join(format!("{name}.toml")), text).expect("write");
        let e = read_measure_files(&dir).expect_err("a bad measure file");
        let _ = std::fs::remove_dir_all(&dir);
        e
    }

    #[test]
    fn a_duplicate_key_on_line_3_of_a_measure_file_is_reported_on_line_3() {
        let e = read_one("dup", "[[measure]]\nid = \"A\"\nid = \"B\"\n");
        let d = &e.diagnostics()[0];
        assert_eq!(d.line, Some(3), "{e}");
        assert_eq!(d.field.as_deref(), Some("measure.id"), "{e}");
        assert!(
            e.to_string()
                .contains("dup.toml:3: field measure.id: duplicate key"),
            "the message names line 3: {e}"
        );
    }

    /// The confidence grade is read as a [`quid_core::Confidence`]: anything but H, M or L is
    /// refused on its line.
    #[test]
    fn a_bad_confidence_grade_is_refused_on_its_line() {
        let e = read_one(
            "grade",
            "[[measure]]\nid = \"A\"\ntitle = \"T\"\nconfidence = \"X\"\n",
        );
        assert_eq!(e.diagnostics()[0].line, Some(4), "{e}");
    }
}
