//! The source check of `quid measures check`: every measure and stacking rule cites a primary
//! instrument at an official address, no citation links to a site's home page, a repository
//! root or an index of documents, every citation says what it is, and no title or note says
//! the record's scope is empty or that it never applies when the compiled policy shows
//! otherwise.
//!
//! What counts as primary is [`quid_core::CitationKind::is_primary`]; the official hosts are
//! [`quid_core::citation::OFFICIAL_HOSTS`]. The wording checked against the data is
//! [`EMPTY_SCOPE_WORDING`] and [`NO_EFFECT_WORDING`].
//!
//! ```
//! use quid_core::HsCode;
//! use quid_engine::{sources, MeasureFile, Policy};
//!
//! let file: MeasureFile = toml::from_str(r#"
//!     [[measure]]
//!     id = "T-1"
//!     title = "Section 232 steel, 50% (list not bundled)"
//!     importer = "US"
//!     origins = ["*"]
//!     authority = "s232-steel"
//!     heading = "9903.81.87"
//!     instrument = "Proclamation 10947"
//!     status = "in_force"
//!     confidence = "H"
//!     from = "2025-06-04"
//!     rate = "50%"
//!     base = "full_value"
//!     scope = { include = ["72"] }
//!     citations = [{ kind = "proclamation", title = "Proclamation 10947", url = "https://www.federalregister.gov/d/2025-10524", pinpoint = "clause 1" }]
//! "#).unwrap();
//! let lists = |r: &str| -> Result<Vec<HsCode>, String> { Err(format!("no list {r}")) };
//! let files = [("steel.toml".to_string(), file)];
//! let policy = Policy::compile(&files, &lists, true).unwrap();
//! assert_eq!(
//!     sources::check(&files, &policy),
//!     ["steel.toml: measure T-1: field title: says \"list not bundled\" but the scope selects \
//!       1 HS prefix; say what the scope holds"]
//! );
//! ```

use crate::measure::{MeasureFile, RuleKind, Status};
use crate::policy::{CompiledMeasure, ImporterIndex, Policy};
use quid_core::citation::OFFICIAL_HOSTS;
use quid_core::{Citation, Country, Period};

/// Wording that says a record's scope selects nothing; refused (case-insensitively) in the
/// title or notes of a record whose scope selects products.
pub const EMPTY_SCOPE_WORDING: &[&str] = &[
    "list not bundled",
    "not in the bundled files",
    "scope empty",
    "empty scope",
    "scope is left empty",
    "selects no product",
];

/// Wording that says a record never takes effect; refused (case-insensitively) in the title or
/// notes of a collected measure (in force or struck down) whose scope selects products, and of
/// a stacking rule that can fire (a winner and a loser measure, or for a remission rule a loser
/// measure, that overlap it in time, origin and product).
pub const NO_EFFECT_WORDING: &[&str] =
    &["never applies", "never applied", "no effect", "never fires"];

/// Every problem of the bundle's sources, each as "`file`: measure|rule `id`: field ...: ...".
/// `policy` is the bundle compiled with its unverified records (`include_unverified`), so
/// every record of `files` is in it.
pub fn check(files: &[(String, MeasureFile)], policy: &Policy) -> Vec<String> {
    let mut problems = Vec::new();
    for (file, mf) in files {
        for rec in &mf.measure {
            let at = format!("{file}: measure {}", rec.id);
            citations(&at, &rec.citations, !without_instrument(rec), &mut problems);
            let Some((_, m)) = find_measure(policy, rec.importer, &rec.id) else {
                continue;
            };
            let prefixes = m.scope_prefixes;
            let selects = m.all_products || prefixes > 0;
            let scope = if m.all_products {
                "every product".to_string()
            } else if prefixes == 1 {
                "1 HS prefix".to_string()
            } else {
                format!("{prefixes} HS prefixes")
            };
            for (field, text) in [("title", Some(&rec.title)), ("notes", rec.notes.as_ref())] {
                let Some(text) = text else { continue };
                if selects {
                    if let Some(w) = said(text, EMPTY_SCOPE_WORDING) {
                        problems.push(format!(
                            "{at}: field {field}: says {w:?} but the scope selects {scope}; say what the scope holds"
                        ));
                    }
                }
                if selects && rec.status.collected() {
                    if let Some(w) = said(text, NO_EFFECT_WORDING) {
                        problems.push(format!(
                            "{at}: field {field}: says {w:?} but the measure is {} and its scope selects {scope}",
                            status_name(rec.status)
                        ));
                    }
                }
            }
        }
        for rule in &mf.rule {
            let at = format!("{file}: rule {}", rule.id);
            citations(&at, &rule.citations, true, &mut problems);
            for (field, text) in [("notes", rule.notes.as_ref())] {
                let Some(text) = text else { continue };
                if let Some(w) = said(text, NO_EFFECT_WORDING) {
                    if let Some((w_id, l_id)) = fires(policy, rule.importer, &rule.id) {
                        let pair = match w_id {
                            Some(w_id) => format!("{w_id} over {l_id}"),
                            None => format!("remitting {l_id}"),
                        };
                        problems.push(format!(
                            "{at}: field {field}: says {w:?} but the rule can fire ({pair})"
                        ));
                    }
                }
            }
        }
    }
    problems
}

/// True for a measure that was never collected (announced or threatened) and whose
/// `instrument` says "no instrument": a threat made in a speech or a post has no official
/// text to cite, and its record says so rather than inventing one.
pub fn without_instrument(rec: &crate::MeasureRecord) -> bool {
    matches!(rec.status, Status::Announced | Status::Threatened)
        && rec.instrument.to_lowercase().contains("no instrument")
}

/// The citation problems of one record; `primary` when it must cite a primary instrument.
fn citations(at: &str, cites: &[Citation], primary: bool, problems: &mut Vec<String>) {
    for (i, c) in cites.iter().enumerate() {
        let n = i + 1;
        if c.kind.is_none() {
            problems.push(format!(
                "{at}: field citations: citation {n} ({:?}) has no kind; expected one of {}",
                c.title,
                quid_core::CitationKind::ALL.map(|k| k.name()).join(", ")
            ));
        }
        if let (Some(what), Some(url)) = (c.landing_page(), c.url.as_deref()) {
            problems.push(format!(
                "{at}: field citations: citation {n} links to {what} ({url}); cite the document's own page"
            ));
        }
    }
    if primary && !cites.is_empty() && !cites.iter().any(Citation::is_primary_official) {
        problems.push(format!(
            "{at}: field citations: no primary instrument at an official address (a citation whose kind is not secondary, on {})",
            OFFICIAL_HOSTS.join(", ")
        ));
    }
}

/// The first of `wording` that `text` contains, ignoring case.
fn said<'w>(text: &str, wording: &[&'w str]) -> Option<&'w str> {
    let lower = text.to_lowercase();
    wording.iter().copied().find(|w| lower.contains(w))
}

fn status_name(s: Status) -> &'static str {
    match s {
        Status::InForce => "in force",
        Status::StruckDown => "struck down (collected)",
        Status::Announced => "announced",
        Status::Threatened => "threatened",
        Status::Unverified => "unverified",
    }
}

fn find_measure<'p>(
    policy: &'p Policy,
    importer: Country,
    id: &str,
) -> Option<(u32, &'p CompiledMeasure)> {
    let idx = policy.importers.get(&importer)?;
    idx.measures
        .iter()
        .enumerate()
        .find(|(_, m)| m.rec.id == id)
        .map(|(i, m)| (i as u32, m))
}

/// Each measure's included prefix keys (empty for every product).
fn include_keys(idx: &ImporterIndex) -> Vec<Vec<u64>> {
    let mut out = vec![Vec::new(); idx.measures.len()];
    for (key, hits) in &idx.by_prefix {
        for &(i, include) in hits {
            if include {
                out[i as usize].push(*key);
            }
        }
    }
    out
}

/// True when two prefix keys name overlapping products (one is a prefix of the other).
fn keys_overlap(a: u64, b: u64) -> bool {
    let (pa, la) = (a >> 4, (a & 0xf) as u32);
    let (pb, lb) = (b >> 4, (b & 0xf) as u32);
    let div = 10u64.pow(10 - la.min(lb));
    pa / div == pb / div
}

fn products_overlap(a_all: bool, a: &[u64], b_all: bool, b: &[u64]) -> bool {
    if (!a_all && a.is_empty()) || (!b_all && b.is_empty()) {
        return false;
    }
    a_all || b_all || a.iter().any(|x| b.iter().any(|y| keys_overlap(*x, *y)))
}

fn origins_overlap(a: &CompiledMeasure, b: &CompiledMeasure) -> bool {
    if a.all_origins && b.all_origins {
        return true;
    }
    let (set, other) = if a.all_origins { (b, a) } else { (a, b) };
    set.rec
        .origins
        .iter()
        .filter_map(|o| Country::parse(o).ok())
        .any(|o| other.targets(o) && set.targets(o))
}

fn periods_overlap(a: &Period, b: &Period) -> bool {
    a.overlaps(b)
}

/// A pair of measures that lets the rule fire: (winner, loser), with no winner for a
/// remission rule. Exclusions from scopes are ignored, so this can say a rule fires when
/// only excluded products overlap; it never says a rule that fires does not.
fn fires(policy: &Policy, importer: Country, id: &str) -> Option<(Option<String>, String)> {
    let idx = policy.importers.get(&importer)?;
    let rule = idx.rules.iter().find(|r| r.rec.id == id)?;
    let keys = include_keys(idx);
    let live = |i: usize, m: &CompiledMeasure| {
        m.rec.status.collected()
            && periods_overlap(&m.period, &rule.period)
            && (m.all_products || !keys[i].is_empty())
    };
    let losers: Vec<usize> = (0..idx.measures.len())
        .filter(|&i| idx.measures[i].auth_bit & rule.losers != 0 && live(i, &idx.measures[i]))
        .collect();
    if rule.rec.kind == RuleKind::Remission {
        let scope_all = rule.include.is_empty();
        return losers
            .iter()
            .find(|&&l| {
                let m = &idx.measures[l];
                products_overlap(scope_all, &rule.include, m.all_products, &keys[l])
            })
            .map(|&l| (None, idx.measures[l].rec.id.clone()));
    }
    for w in 0..idx.measures.len() {
        let wm = &idx.measures[w];
        if wm.auth_bit & rule.winners == 0 || !live(w, wm) {
            continue;
        }
        for &l in &losers {
            let lm = &idx.measures[l];
            if periods_overlap(&wm.period, &lm.period)
                && origins_overlap(wm, lm)
                && products_overlap(wm.all_products, &keys[w], lm.all_products, &keys[l])
            {
                return Some((Some(wm.rec.id.clone()), lm.rec.id.clone()));
            }
        }
    }
    None
}
