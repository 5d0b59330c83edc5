//! Golden duty cases written from the legal texts (`crates/quid-engine/tests/golden/*.toml`,
//! each with its citations), assessed through the bundled measures and schedules.
//!
//! Every case runs and every figure it states is compared:
//! - `total`, `owed_after_ieepa_ruling`, `refundable` and `base_rate_known`;
//! - every expected layer, one for one: the base layer (authority `mfn`, `usmca`, `ust`, `mxt`
//!   or `ca-mfn`) against the engine's base duty, every other layer against the engine layer of
//!   the same authority and heading: its measure id (where the case gives one), heading, base,
//!   rate text and amount;
//! - no layer the case does not list: an extra engine layer (even at zero) fails the case;
//! - every measure listed as not applied, by its stacking reason (see [`expected_reason`]);
//! - a declared layer's case number (AD/CVD), and the warnings by id where the case lists them.
//!
//! A case that disagrees with the engine fails the test unless it is listed in
//! `known_gaps.txt` beside the cases with the reason; a listed case that now passes fails the
//! test too, so the list only shrinks.

use quid_data::params::read_metal_shares;
use quid_data::reference::BundleReference;
use quid_data::{Bundle, Schedules};
use quid_engine::{Assessment, Entry, EntryRecord, Reason};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../quid-engine/tests/golden");

/// The authorities of the base (MFN or preferential) duty, which the engine reports as
/// `Assessment::base` rather than as a layer.
const BASE_AUTHORITIES: [&str; 5] = ["mfn", "usmca", "ust", "mxt", "ca-mfn"];

fn s<'a>(t: &'a toml::Value, k: &str) -> Option<&'a str> {
    t.get(k).and_then(|v| v.as_str())
}

fn d(t: &toml::Value, k: &str) -> Option<Decimal> {
    s(t, k).and_then(|x| Decimal::from_str(x).ok())
}

/// The case's entry, through the one external entry record and its one conversion (the same
/// as a batch line, the flags or an API body).
fn entry(case: &toml::Value) -> Result<Entry, String> {
    let e = case.get("entry").ok_or("no [case.entry]")?;
    let record: EntryRecord = e.clone().try_into().map_err(|x| format!("entry: {x}"))?;
    record.to_entry().map_err(|x| x.to_string())
}

/// What the engine reports for a measure that a case lists as not applied, by the reason the
/// case gives. `Some(r)`: the engine considers the measure and records it in
/// `Assessment::not_applied` with reason `r`. `None`: the measure does not reach the engine's
/// list at all, because the engine drops silently what does not cover the entry (a date outside
/// the measure's period, a product outside its scope lists, an origin it does not target).
fn expected_reason(case_reason: &str) -> Result<Option<Reason>, String> {
    Ok(match case_reason {
        "precedence" => Some(Reason::Precedence),
        "preference_claim" => Some(Reason::PreferenceClaim),
        "condition" => Some(Reason::Condition),
        "not_in_force" => Some(Reason::NotInForce),
        "product_exclusion" => Some(Reason::ProductExclusion),
        "remitted" => Some(Reason::Remitted),
        "de_minimis" => Some(Reason::DeMinimis),
        "out_of_period" | "not_in_scope" | "not_origin" => None,
        other => return Err(format!("unknown not-applied reason {other:?} in the case")),
    })
}

/// Two decimals equal as numbers ("100000" and "100000.00" are the same base).
fn same(a: Decimal, b: Decimal) -> bool {
    a.normalize() == b.normalize()
}

/// Compares one stated decimal field of an expected layer with what the engine gave.
fn check_decimal(errs: &mut Vec<String>, what: &str, l: &toml::Value, key: &str, got: Decimal) {
    match d(l, key) {
        Some(e) if same(e, got) => {}
        Some(e) => errs.push(format!("{what}: {key} expected {e}, got {got}")),
        None => errs.push(format!("{what}: the case states no valid {key}")),
    }
}

fn check_text(errs: &mut Vec<String>, what: &str, l: &toml::Value, key: &str, got: &str) {
    check_with(errs, what, l, key, got, |e, g| e == g);
}

/// A Chapter 99 heading (`9903.94.03`), the form of every US measure's heading.
fn ch99_codes(h: &str) -> Vec<&str> {
    h.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter(|w| {
            let b = w.as_bytes();
            b.len() == 10
                && b.iter().enumerate().all(|(i, c)| match i {
                    4 | 7 => *c == b'.',
                    _ => c.is_ascii_digit(),
                })
        })
        .collect()
}

/// A Canadian measure's heading, as (instrument, schedule numbers): "SOR/2025-95, Schedule 2
/// (version in force 2025-09-01)" and "SOR/2025-95 Sch. 2" are both ("sor/2025-95", [2]);
/// "SOR/2025-118, Schedules 1 and 2" is ("sor/2025-118", [1, 2]).
fn instrument_and_schedules(h: &str) -> (String, Vec<u32>) {
    let mut plain = String::new();
    let mut depth = 0;
    for c in h.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let lower = plain.to_lowercase();
    let (instrument, rest) = match lower.find(" sch") {
        Some(i) => lower.split_at(i),
        None => (lower.as_str(), ""),
    };
    let schedules = rest
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse().ok())
        .collect();
    (
        instrument.trim().trim_end_matches(',').trim().to_string(),
        schedules,
    )
}

/// True when the engine's heading `got` is the heading the case names. A measure's heading may
/// name several provisions ("9903.94.03 / 9903.94.02", "SOR/2025-118, Schedules 1 and 2"); the
/// case names the one its entry falls under, which must be among them. US headings are compared
/// as Chapter 99 numbers; Canadian ones as the instrument and its schedule numbers, so that the
/// case's "SOR/2025-95 Sch. 2" is the engine's "SOR/2025-95, Schedule 2 (version in force
/// 2025-03-13)" but not its Schedule 1.
fn same_heading(expected: &str, got: &str) -> bool {
    let (e, g) = (ch99_codes(expected), ch99_codes(got));
    if !e.is_empty() || !g.is_empty() {
        return !e.is_empty() && e.iter().all(|c| g.contains(c));
    }
    let ((ei, es), (gi, gs)) = (
        instrument_and_schedules(expected),
        instrument_and_schedules(got),
    );
    ei == gi && es.iter().all(|n| gs.contains(n)) && (es.is_empty() || !gs.is_empty())
}

/// Rate texts compared without their spaces: the schedules print "238 % but not less than
/// 30.8 ¢each" where a case writes "238% but not less than 30.8¢ each".
fn same_rate(expected: &str, got: &str) -> bool {
    let squeeze = |x: &str| x.split_whitespace().collect::<String>();
    squeeze(expected) == squeeze(got)
}

fn check_with(
    errs: &mut Vec<String>,
    what: &str,
    l: &toml::Value,
    key: &str,
    got: &str,
    eq: fn(&str, &str) -> bool,
) {
    match s(l, key) {
        Some(e) if eq(e, got) => {}
        Some(e) => errs.push(format!("{what}: {key} expected {e:?}, got {got:?}")),
        None => errs.push(format!("{what}: the case states no {key}")),
    }
}

fn compare(case: &toml::Value, a: &Assessment<'_>) -> Vec<String> {
    let mut errs = Vec::new();
    let Some(x) = case.get("expect") else {
        return vec!["no [case.expect]".into()];
    };
    if let Some(t) = d(x, "total") {
        if !same(t, a.total) {
            errs.push(format!("total: expected {t}, got {}", a.total));
        }
    }
    if let Some(o) = d(x, "owed_after_ieepa_ruling") {
        if a.owed_after_ruling.map(|v| v.normalize()) != Some(o.normalize()) {
            errs.push(format!(
                "owed after ruling: expected {o}, got {:?}",
                a.owed_after_ruling
            ));
        }
    }
    if let Some(r) = d(x, "refundable") {
        if !same(r, a.refundable) {
            errs.push(format!("refundable: expected {r}, got {}", a.refundable));
        }
    }
    // The warnings (layers not modelled, declarations refused), by id, when the case lists
    // them: exactly those.
    if let Some(w) = x.get("warnings").and_then(|v| v.as_array()) {
        let want: Vec<&str> = w.iter().filter_map(|v| v.as_str()).collect();
        let got: Vec<&str> = a.warnings.iter().map(|w| w.id()).collect();
        if want != got {
            errs.push(format!("warnings: expected {want:?}, got {got:?}"));
        }
    }
    if let Some(k) = x.get("base_rate_known").and_then(|v| v.as_bool()) {
        if k != a.base_rate_known() {
            errs.push(format!(
                "base_rate_known: expected {k}, got {}",
                a.base_rate_known()
            ));
        }
    }
    let expected: Vec<&toml::Value> = x
        .get("layer")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
        .collect();
    // The base layer.
    let base_expected: Vec<&toml::Value> = expected
        .iter()
        .copied()
        .filter(|l| BASE_AUTHORITIES.contains(&s(l, "authority").unwrap_or("")))
        .collect();
    match (base_expected.as_slice(), a.base.as_ref()) {
        ([], None) => {}
        ([], Some(b)) => errs.push(format!(
            "base layer {} {} {} amount {} not listed in the case",
            b.authority,
            b.line.dotted(),
            b.rate,
            b.amount
        )),
        ([l], Some(b)) => {
            let what = format!("base layer {}", s(l, "authority").unwrap_or(""));
            check_text(&mut errs, &what, l, "authority", b.authority.as_str());
            check_text(&mut errs, &what, l, "heading", &b.line.dotted());
            check_decimal(&mut errs, &what, l, "base", b.base);
            check_with(&mut errs, &what, l, "rate", b.rate, same_rate);
            check_decimal(&mut errs, &what, l, "amount", b.amount);
        }
        ([l], None) => errs.push(format!(
            "base layer {} expected, the engine has no base rate",
            s(l, "authority").unwrap_or("")
        )),
        (many, _) => errs.push(format!("the case lists {} base layers", many.len())),
    }
    // The additional layers, matched one for one by authority and heading.
    let mut used = vec![false; a.layers.len()];
    for l in expected
        .iter()
        .filter(|l| !BASE_AUTHORITIES.contains(&s(l, "authority").unwrap_or("")))
    {
        let auth = s(l, "authority").unwrap_or("");
        let heading = s(l, "heading").unwrap_or("");
        let what = format!("layer {auth} {heading}");
        let find = |by_heading: bool| {
            a.layers.iter().enumerate().position(|(i, g)| {
                !used[i]
                    && g.authority() == auth
                    && (!by_heading || same_heading(heading, g.heading()))
            })
        };
        let Some(i) = find(true).or_else(|| find(false)) else {
            errs.push(format!("{what}: expected, the engine has no {auth} layer"));
            continue;
        };
        used[i] = true;
        let g = &a.layers[i];
        if s(l, "measure").is_some() {
            check_text(&mut errs, &what, l, "measure", g.measure());
        }
        check_with(&mut errs, &what, l, "heading", g.heading(), same_heading);
        check_decimal(&mut errs, &what, l, "base", g.base);
        check_with(&mut errs, &what, l, "rate", &g.rate(), same_rate);
        check_decimal(&mut errs, &what, l, "amount", g.amount);
        // A declared layer (AD/CVD) names its case; a case that states one is compared.
        if s(l, "case").is_some() || g.case().is_some() {
            let got = g.case().map(|c| c.to_string()).unwrap_or_default();
            check_text(&mut errs, &what, l, "case", &got);
        }
    }
    for (g, _) in a.layers.iter().zip(&used).filter(|(_, u)| !**u) {
        errs.push(format!(
            "layer {} ({} {} {}, base {}, amount {}) not listed in the case",
            g.authority(),
            g.measure(),
            g.heading(),
            g.rate(),
            g.base,
            g.amount
        ));
    }
    // The measures not applied, and why.
    for n in x
        .get("not_applied")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
    {
        let auth = s(n, "authority").unwrap_or("");
        let case_reason = s(n, "reason").unwrap_or("");
        let what = format!("not applied {auth} ({case_reason})");
        if a.layers.iter().any(|g| g.authority() == auth) {
            errs.push(format!("{what}: the engine applies a {auth} layer"));
        }
        let listed: Vec<_> = a
            .not_applied
            .iter()
            .filter(|na| {
                na.authority() == auth
                    && s(n, "measure").is_none_or(|m| m == na.measure())
                    && s(n, "heading").is_none_or(|h| h == na.heading())
            })
            .collect();
        let got: Vec<Reason> = listed.iter().map(|na| na.reason).collect();
        match expected_reason(case_reason) {
            Err(e) => errs.push(format!("{what}: {e}")),
            // Not considered by the engine: none of the authority's measures in force reached
            // it (an announced or threatened measure of the authority may still be listed as
            // never in force).
            Ok(None) if got.iter().all(|g| *g == Reason::NotInForce) => {}
            Ok(None) => errs.push(format!(
                "{what}: the engine considered {auth} and set it aside, reasons {got:?}"
            )),
            // One of the authority's measures was set aside for the case's reason (others of
            // the same authority may be listed for theirs: the energy variant of IEEPA Canada
            // for a condition, an announced one as never in force).
            Ok(Some(r)) if got.contains(&r) => {}
            Ok(Some(r)) => errs.push(format!("{what}: expected reason {r:?}, got {got:?}")),
        }
    }
    errs
}

const GAPS_HEADER: &str = "\
# Golden cases the engine or the measure data does not yet get right, or where a case and the
# engine disagree and neither is shown wrong by the case's own description and citations.
# Each entry: comment lines saying why, then the case id and the disagreement exactly as the
# test reports it. A listed case must still disagree in exactly that way (any other difference
# fails the test) and a listed case that passes fails the test too: the list only shrinks.
# QUID_WRITE_GAPS=1 cargo test -p quid-data --test golden rewrites the lines from today's
# disagreements and keeps each listed case's comments; review the diff.
";

/// A known gap: why (its comment lines) and the disagreement the test reports.
struct Gap {
    why: String,
    disagreement: String,
}

/// Reads `known_gaps.txt`: comment lines before an entry are its reason.
fn read_gaps(text: &str) -> BTreeMap<&str, Gap> {
    let mut gaps = BTreeMap::new();
    let mut why = String::new();
    for line in text.lines().skip_while(|l| l.starts_with('#')) {
        if line.trim().is_empty() {
            why.clear();
        } else if line.starts_with('#') {
            why.push_str(line);
            why.push('\n');
        } else {
            let (id, disagreement) = line.split_once(' ').unwrap_or((line, ""));
            gaps.insert(
                id.trim(),
                Gap {
                    why: std::mem::take(&mut why),
                    disagreement: disagreement.trim().to_string(),
                },
            );
        }
    }
    gaps
}

#[test]
fn golden_cases() {
    let bundle = Bundle::at(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
    let schedules = Schedules::load_bundled(&bundle).expect("schedules");
    let metal = read_metal_shares(&bundle.metal_content()).expect("metal shares");
    let policy = quid_data::measures::load_policy(&bundle, false).expect("measures compile");
    let reference = BundleReference::new(schedules, &metal);
    let gaps_text =
        std::fs::read_to_string(Path::new(GOLDEN).join("known_gaps.txt")).unwrap_or_default();
    let gaps = read_gaps(&gaps_text);
    let mut files: Vec<_> = std::fs::read_dir(GOLDEN)
        .expect("golden dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let (mut n, mut passed, mut unexpected, mut fixed) = (0, 0, Vec::new(), Vec::new());
    let mut failing: Vec<(String, String)> = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read golden file");
        let v: toml::Value =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for case in v
            .get("case")
            .and_then(|c| c.as_array())
            .into_iter()
            .flatten()
        {
            n += 1;
            let id = s(case, "id").unwrap_or("?").to_string();
            let errs = match entry(case) {
                Err(e) => vec![format!("bad entry: {e}")],
                Ok(en) => match policy.assess(&en, &reference) {
                    Ok(a) => {
                        if std::env::var("QUID_GOLDEN_DUMP").is_ok_and(|d| d == id) {
                            eprintln!("{}", serde_json::to_string_pretty(&a).unwrap());
                        }
                        compare(case, &a)
                    }
                    Err(e) => vec![format!("assess error: {e}")],
                },
            };
            if !errs.is_empty() {
                failing.push((id.clone(), errs.join("; ")));
            }
            let seen = errs.join("; ");
            match (errs.is_empty(), gaps.get(id.as_str())) {
                (true, None) => passed += 1,
                (true, Some(_)) => fixed.push(id),
                // A known gap must still disagree in exactly the listed way: any other
                // disagreement in the case is new and fails.
                (false, Some(g)) if g.disagreement == seen => {}
                (false, listed) => unexpected.push(format!(
                    "{} {id}: {seen}{}",
                    f.file_name().unwrap_or_default().to_string_lossy(),
                    listed.map_or(String::new(), |g| format!(
                        "\n    (known_gaps.txt lists this case with: {})",
                        g.disagreement
                    ))
                )),
            }
        }
    }
    eprintln!(
        "golden: {n} cases, {passed} pass, {} known gaps",
        gaps.len()
    );
    // `QUID_WRITE_GAPS=1 cargo test -p quid-data --test golden` rewrites the list from today's
    // failures (review the diff: every line is a case the engine does not yet get right; give
    // each the reason it is a gap by hand).
    if std::env::var_os("QUID_WRITE_GAPS").is_some() {
        let mut text = String::from(GAPS_HEADER);
        for (id, e) in &failing {
            let why = gaps
                .get(id.as_str())
                .map_or("# TODO: why this is a gap\n".into(), |g| g.why.clone());
            text.push_str(&format!("\n{why}{id} {e}\n"));
        }
        std::fs::write(Path::new(GOLDEN).join("known_gaps.txt"), text)
            .expect("write known_gaps.txt");
        return;
    }
    assert!(n >= 120, "expected at least 120 golden cases, found {n}");
    assert!(
        fixed.is_empty(),
        "cases listed in known_gaps.txt now pass; remove them: {fixed:?}"
    );
    assert!(
        unexpected.is_empty(),
        "{} golden case(s) disagree:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
}

/// The comparison's own matching rules, on headings and rate texts from the bundled measures
/// and the cases.
#[test]
fn heading_and_rate_matching() {
    // A US measure naming two headings covers the case's one, not a third.
    assert!(same_heading("9903.94.03", "9903.94.03 / 9903.94.02"));
    assert!(!same_heading("9903.94.01", "9903.94.03 / 9903.94.02"));
    // Canadian instruments: the schedule must match; the version note is not part of it.
    assert!(same_heading(
        "SOR/2025-95 Sch. 2",
        "SOR/2025-95, Schedule 2 (version in force 2025-03-13)"
    ));
    assert!(!same_heading(
        "SOR/2025-95 Sch. 2",
        "SOR/2025-95, Schedule 1 (version in force 2025-03-13)"
    ));
    assert!(same_heading(
        "SOR/2025-118 Sch. 1",
        "SOR/2025-118, Schedules 1 and 2"
    ));
    assert!(!same_heading(
        "SOR/2025-66 Schedule",
        "SOR/2025-95, Schedule 1"
    ));
    assert!(same_heading(
        "Steel Derivative Goods Surtax Order Schedule",
        "Steel Derivative Goods Surtax Order (Order in Council of 2025-12-11)"
    ));
    // A US heading never matches a Canadian instrument.
    assert!(!same_heading("9903.01.10", "SOR/2025-66, Schedule"));
    // Rates: spaces only.
    assert!(same_rate(
        "238% but not less than 30.8¢ each",
        "238 % but not less than 30.8 ¢each"
    ));
    assert!(!same_rate("15%", "25%"));
}
