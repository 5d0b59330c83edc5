//! A compiled snapshot of the bundle, cached on disk, so that a one-shot command starts in a few
//! milliseconds instead of parsing the schedules, the measure files and the stand-in tables.
//!
//! **What is in it.** Every schedule edition (rows, lines, rate cells, problems, counts), the
//! revision table, the metal-content stand-ins already converted to decimals, the measure files
//! as read and every product list they reference, resolved. The policy is compiled from those on
//! load (no file is read), so a measure's validation runs exactly as without the cache.
//!
//! **When it is used.** The file's name carries a key: a hash of the contents of every file of
//! the data folder, the binary's version and the identity (size and time) of the executable that
//! wrote it. Any change to the data or a rebuild gives a new key and the snapshot is built again
//! on the next load. The file ends with a hash of its own contents; a snapshot that fails that
//! check, or does not decode, is ignored and rebuilt, never trusted.
//!
//! **Where.** `$QUID_CACHE`, else `$XDG_CACHE_HOME/quid`, else `$HOME/.cache/quid`;
//! `QUID_CACHE=off` turns it off. A folder that cannot be written is not an error: the engine
//! is then loaded from the files each time.
//!
//! ```
//! // The key changes with any byte of the data.
//! let dir = std::env::temp_dir().join(format!("quid-snap-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! std::fs::write(dir.join("SOURCES.md"), "a").unwrap();
//! let k1 = quid_app::snapshot::data_key(&dir).unwrap();
//! std::fs::write(dir.join("SOURCES.md"), "b").unwrap();
//! assert_ne!(k1, quid_app::snapshot::data_key(&dir).unwrap());
//! std::fs::remove_dir_all(&dir).unwrap();
//! ```

use crate::Result;
use quid_core::rate::{RateExpr, SpecialRates};
use quid_core::{Country, Date, HsCode, IntBuildHasher};
use quid_data::revisions::{Revision, RevisionTable};
use quid_data::schedule::{ParseStats, RateCell, RateProblem, Row, Schedule, SpecialCell};
use quid_data::{Bundle, Schedules};
use quid_engine::{MeasureFile, MetalShare, Policy};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What a snapshot restores: the schedules, the converted metal shares, the measure files and
/// their resolved lists.
pub struct Parts {
    pub schedules: Schedules,
    pub metal: HashMap<HsCode, MetalShare, IntBuildHasher>,
    pub files: Vec<(String, MeasureFile)>,
    pub lists: HashMap<String, Vec<HsCode>>,
    /// The law file's text and path (the schedules hold it parsed).
    pub law_toml: String,
    pub law_path: PathBuf,
}

impl Parts {
    /// Compiles the policy from the snapshot's measure files and lists.
    pub fn policy(&self, include_unverified: bool) -> std::result::Result<Policy, String> {
        let lists = |name: &str| {
            self.lists
                .get(name)
                .cloned()
                .ok_or_else(|| format!("list reference {name:?} not in the snapshot"))
        };
        Policy::compile(&self.files, &lists, include_unverified).map_err(|e| e.0.join("; "))
    }
}

const MAGIC: &[u8; 8] = b"QUIDSNP1";

/// A hash of every file of the data folder (paths and contents), in path order.
pub fn data_key(root: &Path) -> std::io::Result<u64> {
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir)? {
            let e = e?;
            let t = e.file_type()?;
            if t.is_dir() {
                stack.push(e.path());
            } else {
                files.push(e.path());
            }
        }
    }
    files.sort();
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    // One buffer for every file: hashing reads 8 MB and should not allocate it.
    let mut buf = vec![0u8; 1 << 18];
    for f in files {
        let rel = f.strip_prefix(root).unwrap_or(&f);
        h.update(rel.to_string_lossy().as_bytes());
        h.update(&[0]);
        // Only regular files are hashed (a link to a device such as /dev/zero would never end):
        // anything else makes the key unavailable, and the loaders then name the file.
        let meta = std::fs::metadata(&f)?;
        if !meta.is_file() {
            return Err(std::io::Error::other(format!(
                "{} is not a regular file",
                f.display()
            )));
        }
        let mut file = std::io::Read::take(std::fs::File::open(&f)?, meta.len());
        loop {
            let n = std::io::Read::read(&mut file, &mut buf)?;
            if n == 0 {
                break;
            }
            h.update(&buf[..n]);
        }
        h.update(&[0]);
    }
    Ok(h.digest())
}

/// The identity of the running binary: its version, size and modification time.
fn binary_key() -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    if let Some(m) = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok())
    {
        h.update(&m.len().to_le_bytes());
        if let Some(t) = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        {
            h.update(&t.as_nanos().to_le_bytes());
        }
    }
    h.digest()
}

/// The cache folder, or `None` when caching is off or no folder can be named.
pub fn cache_dir() -> Option<PathBuf> {
    match std::env::var_os("QUID_CACHE") {
        Some(v) if v == "off" || v.is_empty() => None,
        Some(v) => Some(PathBuf::from(v)),
        None => std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
            .map(|d| d.join("quid")),
    }
}

/// The snapshot's path for a data folder, or `None` when caching is off.
pub fn path_for(bundle: &Bundle) -> Option<PathBuf> {
    let dir = cache_dir()?;
    let key = data_key(&bundle.root).ok()?;
    Some(dir.join(format!("engine-{key:016x}-{:016x}.bin", binary_key())))
}

/// Reads a snapshot; `None` when it is absent, damaged or does not decode.
pub fn read(path: &Path) -> Option<Parts> {
    // A snapshot is a regular file of a few tens of megabytes; anything else is not one.
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > quid_data::bounded::MAX_FILE_BYTES {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    if bytes.len() < 16 || &bytes[..8] != MAGIC {
        return None;
    }
    let (body, tail) = bytes[8..].split_at(bytes.len() - 16);
    let sum = u64::from_le_bytes(tail.try_into().ok()?);
    if xxhash_rust::xxh3::xxh3_64(body) != sum {
        return None;
    }
    let s: Snap = postcard::from_bytes(body).ok()?;
    s.restore()
}

/// Writes a snapshot atomically (a temporary file renamed into place); errors are returned for
/// the caller to ignore.
pub fn write(path: &Path, parts: &Parts) -> std::io::Result<()> {
    let snap = Snap::of(parts).map_err(std::io::Error::other)?;
    let body = postcard::to_stdvec(&snap).map_err(std::io::Error::other)?;
    let mut bytes = Vec::with_capacity(body.len() + 16);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&body);
    bytes.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(&body).to_le_bytes());
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, &bytes)?;
    std::fs::rename(&tmp, path)?;
    if let Some(dir) = path.parent() {
        prune(dir, KEEP);
    }
    Ok(())
}

/// How many snapshots a cache folder keeps (one per data folder and binary in use).
const KEEP: usize = 4;

/// Removes all but the `keep` newest snapshots of a folder.
fn prune(dir: &Path, keep: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut snaps: Vec<(std::time::SystemTime, PathBuf)> = entries
        .flatten()
        .filter(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            n.starts_with("engine-") && n.ends_with(".bin")
        })
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    snaps.sort_by_key(|s| std::cmp::Reverse(s.0));
    for (_, p) in snaps.into_iter().skip(keep) {
        let _ = std::fs::remove_file(p);
    }
}

/// Loads the parts from the bundle's files (what a snapshot holds).
pub fn load_parts(bundle: &Bundle) -> Result<Parts> {
    let (schedules, rest) = std::thread::scope(|scope| {
        let other = scope.spawn(|| -> Result<_> {
            let metal = quid_data::params::read_metal_shares(&bundle.metal_content())?;
            let files = quid_data::measures::read_measure_files(&bundle.measures_dir())?;
            let mut lists = HashMap::new();
            for (_, f) in &files {
                // Rules (remission, say) reference lists too: a reformed policy compiles them.
                let scopes = f
                    .measure
                    .iter()
                    .map(|m| &m.scope)
                    .chain(f.rule.iter().filter_map(|r| r.scope.as_ref()));
                for m in scopes {
                    for name in m.include_lists.iter().chain(&m.exclude_lists) {
                        if !lists.contains_key(name) {
                            // An unresolvable reference is left out: compiling reports it.
                            if let Ok(v) = quid_data::measures::resolve_list(bundle, name) {
                                lists.insert(name.clone(), v);
                            }
                        }
                    }
                }
            }
            Ok((metal, files, lists))
        });
        let schedules = Schedules::load_bundled(bundle);
        let rest = other
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (schedules, rest)
    });
    let (schedules, (metal, files, lists)) = (schedules?, rest?);
    let law_path = bundle.law();
    let law_toml = quid_data::bounded::read_text(&law_path)?;
    let reference = quid_data::reference::BundleReference::new(schedules, &metal);
    let metal = reference.metal_shares().clone();
    Ok(Parts {
        schedules: reference.schedules,
        metal,
        files,
        lists,
        law_toml,
        law_path,
    })
}

// The encoded form. Codes are (padded digits, level); rate cells index into tables of distinct
// texts with their parses (kept as JSON, whose encoding of rate expressions is the tested one),
// so each distinct rate is decoded once and shared, as the readers share them.

type Code = (u64, u8);

/// A metal-content row: the line and its steel, aluminum and copper shares (decimal bytes).
type MetalRow = (Code, [u8; 16], [u8; 16], [u8; 16]);

fn code(c: &HsCode) -> Code {
    (c.padded(), c.level())
}

fn uncode(c: Code) -> Option<HsCode> {
    HsCode::from_padded(c.0, c.1)
}

#[derive(Serialize, Deserialize)]
struct Snap {
    rates: Vec<(String, std::result::Result<String, String>)>,
    specials: Vec<(String, std::result::Result<String, String>)>,
    us: Vec<SSchedule>,
    ca: Vec<SSchedule>,
    revisions: Vec<(String, String, Option<String>, String)>,
    metal: Vec<MetalRow>,
    files_json: String,
    lists: Vec<(String, Vec<Code>)>,
    /// The law file's text, parsed again on load (a few dozen dated values).
    law_toml: String,
    law_path: String,
}

#[derive(Serialize, Deserialize)]
struct SSchedule {
    importer: String,
    edition: String,
    effective: String,
    source: String,
    partial: bool,
    rows: Vec<(u8, String, Option<u32>)>,
    lines: Vec<SLine>,
    problems: Vec<(u64, Code, String, String, String)>,
    stats: (usize, usize),
}

#[derive(Serialize, Deserialize)]
struct SLine {
    code: Code,
    row: u32,
    source_line: u64,
    units: Vec<String>,
    general: Option<(u32, Code)>,
    special: Option<(u32, Code)>,
    other: Option<(u32, Code)>,
    footnotes: Vec<String>,
    chapter99: Vec<String>,
}

/// Interns cells by pointer identity and text.
#[derive(Default)]
struct Interner {
    index: HashMap<String, u32>,
    table: Vec<(String, std::result::Result<String, String>)>,
}

impl Interner {
    fn add<T: Serialize>(
        &mut self,
        text: &str,
        parsed: &std::result::Result<Arc<T>, Arc<str>>,
    ) -> std::result::Result<u32, String> {
        // The same text may have been built two ways (the CBSA reader composes its special
        // cell); key on the text and the encoding together.
        let enc = match parsed {
            Ok(v) => Ok(serde_json::to_string(&**v).map_err(|e| e.to_string())?),
            Err(e) => Err(e.to_string()),
        };
        let key = format!("{text}\u{0}{enc:?}");
        if let Some(i) = self.index.get(&key) {
            return Ok(*i);
        }
        let i = self.table.len() as u32;
        self.table.push((text.to_string(), enc));
        self.index.insert(key, i);
        Ok(i)
    }
}

type Decoded<T> = (Arc<str>, std::result::Result<Arc<T>, Arc<str>>);

fn decode<T: serde::de::DeserializeOwned>(
    table: &[(String, std::result::Result<String, String>)],
) -> Option<Vec<Decoded<T>>> {
    table
        .iter()
        .map(|(text, enc)| {
            let parsed = match enc {
                Ok(j) => Ok(Arc::new(serde_json::from_str::<T>(j).ok()?)),
                Err(e) => Err(Arc::from(e.as_str())),
            };
            Some((Arc::from(text.as_str()), parsed))
        })
        .collect()
}

fn column(name: &str) -> &'static str {
    // Problems name their column with a static string; these are the readers' names.
    match name {
        "general" => "general",
        "special" => "special",
        "other" => "other",
        "MFN" => "MFN",
        "treatment" => "treatment",
        _ => "rate",
    }
}

impl Snap {
    fn of(p: &Parts) -> std::result::Result<Snap, String> {
        let (mut rates, mut specials) = (Interner::default(), Interner::default());
        let mut sched = |s: &Schedule| -> std::result::Result<SSchedule, String> {
            let cell = |c: &Option<RateCell>,
                        rates: &mut Interner|
             -> std::result::Result<Option<(u32, Code)>, String> {
                c.as_ref()
                    .map(|c| Ok((rates.add(&c.text, &c.rate)?, code(&c.from))))
                    .transpose()
            };
            let mut lines = Vec::with_capacity(s.lines().len());
            for l in s.lines() {
                lines.push(SLine {
                    code: code(&l.code),
                    row: l.row,
                    source_line: l.source_line,
                    units: l.units.clone(),
                    general: cell(&l.general, &mut rates)?,
                    special: l
                        .special
                        .as_ref()
                        .map(|c| Ok::<_, String>((specials.add(&c.text, &c.rates)?, code(&c.from))))
                        .transpose()?,
                    other: cell(&l.other, &mut rates)?,
                    footnotes: l.footnotes.clone(),
                    chapter99: l.chapter99.clone(),
                });
            }
            Ok(SSchedule {
                importer: s.importer.to_string(),
                edition: s.edition.clone(),
                effective: s.effective.to_string(),
                source: s.source.to_string_lossy().into_owned(),
                partial: s.partial,
                rows: s
                    .rows
                    .iter()
                    .map(|r| (r.indent, r.description.clone(), r.parent))
                    .collect(),
                lines,
                problems: s
                    .problems
                    .iter()
                    .map(|q| {
                        (
                            q.source_line,
                            code(&q.code),
                            q.column.to_string(),
                            q.text.clone(),
                            q.reason.clone(),
                        )
                    })
                    .collect(),
                stats: (s.stats.rate_strings, s.stats.understood),
            })
        };
        let us = p
            .schedules
            .us
            .iter()
            .map(&mut sched)
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let ca = p
            .schedules
            .ca
            .iter()
            .map(&mut sched)
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let mut metal: Vec<_> = p
            .metal
            .iter()
            .map(|(k, m)| {
                (
                    code(k),
                    m.steel.serialize(),
                    m.aluminum.serialize(),
                    m.copper.serialize(),
                )
            })
            .collect();
        metal.sort_by_key(|m| m.0);
        let mut lists: Vec<_> = p
            .lists
            .iter()
            .map(|(k, v)| (k.clone(), v.iter().map(code).collect()))
            .collect();
        lists.sort();
        Ok(Snap {
            rates: rates.table,
            specials: specials.table,
            us,
            ca,
            revisions: p
                .schedules
                .revisions
                .revisions
                .iter()
                .map(|r| {
                    (
                        r.name.clone(),
                        r.effective.to_string(),
                        r.policy_effective.map(|d| d.to_string()),
                        r.policy_event.clone(),
                    )
                })
                .collect(),
            metal,
            files_json: serde_json::to_string(&p.files).map_err(|e| e.to_string())?,
            lists,
            law_toml: p.law_toml.clone(),
            law_path: p.law_path.to_string_lossy().into_owned(),
        })
    }

    fn restore(self) -> Option<Parts> {
        let rates: Vec<Decoded<RateExpr>> = decode(&self.rates)?;
        let specials: Vec<Decoded<SpecialRates>> = decode(&self.specials)?;
        let rate_cell = |c: Option<(u32, Code)>| -> Option<Option<RateCell>> {
            match c {
                None => Some(None),
                Some((i, from)) => {
                    let (text, rate) = rates.get(i as usize)?.clone();
                    Some(Some(RateCell {
                        text,
                        rate,
                        from: uncode(from)?,
                    }))
                }
            }
        };
        let schedule = |s: SSchedule| -> Option<Schedule> {
            let mut lines = Vec::with_capacity(s.lines.len());
            for l in s.lines {
                let special = match l.special {
                    None => None,
                    Some((i, from)) => {
                        let (text, rates) = specials.get(i as usize)?.clone();
                        Some(SpecialCell {
                            text,
                            rates,
                            from: uncode(from)?,
                        })
                    }
                };
                lines.push(quid_data::TariffLine {
                    code: uncode(l.code)?,
                    row: l.row,
                    source_line: l.source_line,
                    units: l.units,
                    general: rate_cell(l.general)?,
                    special,
                    other: rate_cell(l.other)?,
                    footnotes: l.footnotes,
                    chapter99: l.chapter99,
                });
            }
            let problems = s
                .problems
                .into_iter()
                .map(|(source_line, c, col, text, reason)| {
                    Some(RateProblem {
                        source_line,
                        code: uncode(c)?,
                        column: column(&col),
                        text,
                        reason,
                    })
                })
                .collect::<Option<Vec<_>>>()?;
            Some(Schedule::new(
                s.importer.parse::<Country>().ok()?,
                s.edition,
                s.effective.parse::<Date>().ok()?,
                PathBuf::from(s.source),
                s.partial,
                s.rows
                    .into_iter()
                    .map(|(indent, description, parent)| Row {
                        indent,
                        description,
                        parent,
                    })
                    .collect(),
                lines,
                problems,
                ParseStats {
                    rate_strings: s.stats.0,
                    understood: s.stats.1,
                },
            ))
        };
        let us = self
            .us
            .into_iter()
            .map(schedule)
            .collect::<Option<Vec<_>>>()?;
        let ca = self
            .ca
            .into_iter()
            .map(schedule)
            .collect::<Option<Vec<_>>>()?;
        let revisions = self
            .revisions
            .into_iter()
            .map(|(name, eff, peff, event)| {
                Some(Revision {
                    name,
                    effective: eff.parse().ok()?,
                    policy_effective: match peff {
                        Some(d) => Some(d.parse().ok()?),
                        None => None,
                    },
                    policy_event: event,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        let mut metal = HashMap::with_capacity_and_hasher(self.metal.len(), Default::default());
        for (c, s, a, k) in self.metal {
            metal.insert(
                uncode(c)?,
                MetalShare {
                    steel: Decimal::deserialize(s),
                    aluminum: Decimal::deserialize(a),
                    copper: Decimal::deserialize(k),
                },
            );
        }
        let files: Vec<(String, MeasureFile)> = serde_json::from_str(&self.files_json).ok()?;
        let law_path = PathBuf::from(&self.law_path);
        let law = quid_data::law::parse_law(&self.law_toml, &law_path).ok()?;
        let lists = self
            .lists
            .into_iter()
            .map(|(k, v)| Some((k, v.into_iter().map(uncode).collect::<Option<Vec<_>>>()?)))
            .collect::<Option<HashMap<_, _>>>()?;
        Some(Parts {
            schedules: Schedules {
                us,
                ca,
                revisions: RevisionTable { revisions },
                law,
            },
            metal,
            files,
            lists,
            law_toml: self.law_toml,
            law_path,
        })
    }
}
