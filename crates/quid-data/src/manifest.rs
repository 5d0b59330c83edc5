//! The data manifest (`data/MANIFEST.csv`): every file of the data folder with its size,
//! SHA-256 and record count, so that a missing, extra, truncated or altered file is an error
//! that names it.
//!
//! Two checks: [`quick_check`] (names and sizes, a few stat calls: run on every load) and
//! [`full_check`] (also hashes and record counts: `quid data check`). [`write`] regenerates the
//! manifest (`quid data manifest --write`) after a deliberate change of the data.
//!
//! A record is a CSV data row (header excluded, `.gz` decompressed), a `[[...]]` table of a TOML
//! file, an element of a JSON file's top-level array (or a key of its top-level object), and a
//! line of any other file.
//!
//! ```
//! use quid_data::manifest;
//! let root = std::env::temp_dir().join(format!("quid-doc-manifest-{}", std::process::id()));
//! std::fs::create_dir_all(root.join("lists")).unwrap();
//! std::fs::write(root.join("lists/a.csv"), "hts8\n72081000\n72082000\n").unwrap();
//! std::fs::write(root.join("m.toml"), "[[measure]]\nid = \"A\"\n[[measure]]\nid = \"B\"\n").unwrap();
//! assert_eq!(manifest::write(&root).unwrap(), 2);
//! let listed = manifest::read(&root).unwrap();
//! assert_eq!((listed[0].file.as_str(), listed[0].bytes, listed[0].records), ("lists/a.csv", 23, 2));
//! assert_eq!((listed[1].file.as_str(), listed[1].records), ("m.toml", 2));
//! assert!(manifest::quick_check(&root).is_ok());
//! // A file removed: the quick check names it.
//! std::fs::remove_file(root.join("lists/a.csv")).unwrap();
//! let e = manifest::quick_check(&root).unwrap_err();
//! assert_eq!(e.diagnostics()[0].message, "listed in MANIFEST.csv (23 bytes) but missing");
//! std::fs::remove_dir_all(&root).unwrap();
//! ```

use crate::bounded;
use crate::error::{DataError, Diagnostics};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The manifest's file name, at the root of the data folder.
pub const FILE: &str = "MANIFEST.csv";

const HEADER: &str = "file,bytes,sha256,records";

/// One file of the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Path relative to the data folder, with `/` separators.
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
    pub records: u64,
}

/// The files of the data folder (the manifest excepted): relative name, path and size. Linked
/// folders are not followed; a link to anything but a regular file is a problem.
fn files(
    root: &Path,
    problems: &mut Diagnostics,
) -> Result<BTreeMap<String, (PathBuf, u64)>, DataError> {
    let io = |path: &Path, source| DataError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).map_err(|s| io(&dir, s))? {
            let e = e.map_err(|s| io(&dir, s))?;
            let p = e.path();
            let kind = e.file_type().map_err(|s| io(&p, s))?;
            if kind.is_dir() {
                stack.push(p);
                continue;
            }
            let rel = p
                .strip_prefix(root)
                .unwrap_or(&p)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            if rel == FILE {
                continue;
            }
            match std::fs::metadata(&p) {
                Ok(m) if m.is_file() => {
                    out.insert(rel, (p, m.len()));
                }
                Ok(_) => problems.push(
                    &p,
                    None,
                    None,
                    "not a regular file (a device, FIFO or folder)",
                ),
                Err(e) => problems.push(&p, None, None, e.to_string()),
            }
        }
    }
    Ok(out)
}

/// The SHA-256 (hex) of a file's bytes on disk and its record count (decompressed).
fn digest(path: &Path, rel: &str) -> Result<(String, u64), DataError> {
    let io = |source| DataError::Io {
        path: path.to_path_buf(),
        source,
    };
    bounded::check_file(path, bounded::MAX_FILE_BYTES)?;
    let mut raw = std::fs::File::open(path)
        .map_err(io)?
        .take(bounded::MAX_FILE_BYTES);
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = raw.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    let sha = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    let decoded = bounded::open_limited(path, bounded::MAX_FILE_BYTES)?;
    Ok((sha, records(path, rel, decoded)?))
}

/// The number of records of a file, by its kind (see the module's documentation).
fn records(path: &Path, rel: &str, mut r: Box<dyn Read + Send>) -> Result<u64, DataError> {
    let name = rel.strip_suffix(".gz").unwrap_or(rel);
    let bad = |m: String| DataError::at(path, None, None, m);
    if name.ends_with(".csv") {
        let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(r);
        let mut n = 0;
        let mut rec = csv::ByteRecord::new();
        while csv
            .read_byte_record(&mut rec)
            .map_err(|e| bad(format!("cannot count its records: {e}")))?
        {
            n += 1;
        }
        return Ok(n);
    }
    let mut text = String::new();
    r.read_to_string(&mut text)
        .map_err(|source| DataError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    if name.ends_with(".toml") {
        return Ok(text
            .lines()
            .filter(|l| l.trim_start().starts_with("[["))
            .count() as u64);
    }
    if name.ends_with(".json") {
        let v: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| bad(format!("not JSON: {e}")))?;
        return Ok(match v {
            serde_json::Value::Array(a) => a.len() as u64,
            serde_json::Value::Object(o) => o.len() as u64,
            _ => 1,
        });
    }
    Ok(text.lines().count() as u64)
}

/// Computes the manifest of a data folder.
pub fn build(root: &Path) -> Result<Vec<Entry>, DataError> {
    let mut problems = Diagnostics::default();
    let found = files(root, &mut problems)?;
    problems.into_result()?;
    found
        .into_iter()
        .map(|(file, (path, bytes))| {
            let (sha256, records) = digest(&path, &file)?;
            Ok(Entry {
                file,
                bytes,
                sha256,
                records,
            })
        })
        .collect()
}

/// Writes the manifest of a data folder (atomically); returns the number of files listed.
pub fn write(root: &Path) -> Result<usize, DataError> {
    let entries = build(root)?;
    let mut text = format!("{HEADER}\n");
    for e in &entries {
        text.push_str(&format!(
            "{},{},{},{}\n",
            e.file, e.bytes, e.sha256, e.records
        ));
    }
    let path = root.join(FILE);
    let tmp = root.join(format!(".{FILE}.tmp{}", std::process::id()));
    let io = |source| DataError::Io {
        path: path.clone(),
        source,
    };
    std::fs::write(&tmp, text).map_err(io)?;
    std::fs::rename(&tmp, &path).map_err(io)?;
    Ok(entries.len())
}

/// Reads the manifest of a data folder.
pub fn read(root: &Path) -> Result<Vec<Entry>, DataError> {
    let path = root.join(FILE);
    if !path.is_file() {
        return Err(DataError::at(
            &path,
            None,
            None,
            "the data folder has no manifest; run `quid data manifest --write` to list its files",
        ));
    }
    let mut csv = crate::reader::Csv::open(&path, &["file", "bytes", "sha256", "records"])?;
    let cols = ["file", "bytes", "sha256", "records"].map(|c| csv.col(c).unwrap_or(0));
    let mut out = Vec::new();
    for rec in csv.records() {
        let (line, rec) = rec?;
        let f = |i: usize| rec.get(cols[i]).unwrap_or("").trim().to_string();
        let num = |i: usize, name: &str| {
            crate::reader::field::<u64>(&path, line, &rec, cols[i], name, "a whole number")
        };
        out.push(Entry {
            file: f(0),
            bytes: num(1, "bytes")?,
            sha256: f(2),
            records: num(3, "records")?,
        });
    }
    Ok(out)
}

/// Compares the folder with its manifest; `deep` also compares hashes and record counts.
fn compare(root: &Path, deep: bool, problems: &mut Diagnostics) -> Result<(), DataError> {
    let listed = read(root)?;
    let mut found = files(root, problems)?;
    for e in &listed {
        let path = root.join(&e.file);
        let Some((p, bytes)) = found.remove(&e.file) else {
            problems.push(
                &path,
                None,
                None,
                format!("listed in {FILE} ({} bytes) but missing", e.bytes),
            );
            continue;
        };
        if bytes != e.bytes {
            problems.push(
                &path,
                None,
                None,
                format!(
                    "is {bytes} bytes; {FILE} says {} (the file was changed, cut or replaced)",
                    e.bytes
                ),
            );
            continue;
        }
        if deep {
            match digest(&p, &e.file) {
                Ok((sha, records)) => {
                    if sha != e.sha256 {
                        problems.push(
                            &path,
                            None,
                            None,
                            format!(
                                "its SHA-256 is {sha}; {FILE} says {} (the file was altered)",
                                e.sha256
                            ),
                        );
                    }
                    if records != e.records {
                        problems.push(
                            &path,
                            None,
                            None,
                            format!("has {records} records; {FILE} says {}", e.records),
                        );
                    }
                }
                Err(err) => problems.extend_from(&err),
            }
        }
    }
    for (p, _) in found.into_values() {
        problems.push(
            &p,
            None,
            None,
            format!("not in {FILE}; after a deliberate change run `quid data manifest --write`"),
        );
    }
    Ok(())
}

/// Names and sizes against the manifest: every problem, or nothing.
pub fn quick_check(root: &Path) -> Result<(), DataError> {
    let mut problems = Diagnostics::default();
    compare(root, false, &mut problems)?;
    problems.into_result()
}

/// Names, sizes, SHA-256 and record counts against the manifest; every problem is collected.
pub fn full_check(root: &Path, problems: &mut Diagnostics) {
    if let Err(e) = compare(root, true, problems) {
        problems.extend_from(&e);
    }
}
