//! The rate-text parser: normalises the schedule's typography (hyphenated line breaks, doubled
//! spaces, trailing periods), recognises rules stated in words, and reads sums of ad valorem,
//! specific and graduated terms with their floors and ceilings.
//!
//! The parser is reached through [`RateExpr::parse`] (or `str::parse`); its output prints back
//! in a canonical form, which shows what it understood:
//!
//! ```
//! use quid_core::rate::RateExpr;
//! use quid_core::Unit;
//! use rust_decimal::Decimal;
//!
//! // A word hyphenated across a line break, a doubled space and a trailing period.
//! let rule: RateExpr = "The duty provided in the appli- cable subheading  + 25%.".parse().unwrap();
//! assert_eq!(rule.to_string(), "The duty provided in the applicable subheading + 25%");
//! assert!(!rule.is_numeric());
//!
//! // A mixed fraction is kept exact (printed to four places); a thousands comma in a unit count.
//! let third: RateExpr = "33 1/3%".parse().unwrap();
//! assert_eq!(third.to_string(), "33.3333%");
//! let pins: RateExpr = "10¢/1,000 pins".parse().unwrap();
//! let per = pins.quantity_units()[0];
//! assert_eq!((per.count, per.unit, per.text.as_str()), (Decimal::from(1000), Some(Unit::Each), "1,000 pins"));
//!
//! // Text the parser cannot read is an error that says which piece failed.
//! let e = "12 bananas".parse::<RateExpr>().unwrap_err();
//! assert_eq!(e.reason, "expected '%', '¢' or '$' with the number in \"12 bananas\"");
//! ```

use super::{Per, RateExpr, RuleRef, Term, TermKind};
use crate::Unit;
use rust_decimal::Decimal;
use std::str::FromStr;

/// Why a rate text could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read rate {text:?}: {reason}")]
pub struct RateParseError {
    pub text: String,
    pub reason: String,
}

fn err(text: &str, reason: impl Into<String>) -> RateParseError {
    RateParseError {
        text: text.to_string(),
        reason: reason.into(),
    }
}

/// Joins words broken across lines ("appli- cable"), collapses runs of white space and drops a
/// trailing period.
pub(crate) fn normalize(text: &str) -> String {
    let clean = !text.contains("- ")
        && !text.contains("  ")
        && !text.contains(['\t', '\n', '\r'])
        && text.trim() == text
        && !text.ends_with('.');
    if clean {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '-'
            && i > 0
            && chars[i - 1].is_alphabetic()
            && i + 2 < chars.len()
            && chars[i + 1] == ' '
            && chars[i + 2].is_alphabetic()
        {
            i += 2;
            continue;
        }
        if c.is_whitespace() {
            if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
        i += 1;
    }
    let trimmed = out.trim_end().trim_end_matches('.').trim_end();
    trimmed.to_string()
}

fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// The two forms that make up most of a schedule, "Free" and "N%", without allocating for
/// normalisation; the result is identical to the general path's.
fn fast_path(text: &str) -> Option<RateExpr> {
    let t = text.trim();
    if t == "Free" {
        return Some(RateExpr::Free { condition: None });
    }
    let num = t.strip_suffix('%')?;
    if num.is_empty()
        || num.starts_with('.')
        || num.ends_with('.')
        || !num.bytes().all(|b| b.is_ascii_digit() || b == b'.')
    {
        return None;
    }
    let percent = Decimal::from_str(num).ok()?;
    Some(RateExpr::Formula {
        terms: vec![Term {
            kind: TermKind::AdValorem { percent },
            on: None,
        }],
        floor: None,
        ceiling: None,
    })
}

pub(crate) fn parse_rate(text: &str) -> Result<RateExpr, RateParseError> {
    if let Some(r) = fast_path(text) {
        return Ok(r);
    }
    let t = normalize(text);
    if t.is_empty() {
        return Err(err(text, "empty rate"));
    }
    let lower = t.to_ascii_lowercase();
    let sq = squash(&t);
    if lower == "free" {
        return Ok(RateExpr::Free { condition: None });
    }
    if lower.starts_with("free (") && lower.ends_with(')') {
        // "Free (See U.S. note 4 of this subchapter)": free on a condition stated in a note.
        let cond = t["free (".len()..t.len() - 1].trim().to_string();
        return Ok(RateExpr::Free {
            condition: Some(cond),
        });
    }
    if let Some(rest) = lower.strip_prefix("free,") {
        let cond = t[t.len() - rest.len()..].trim().to_string();
        return Ok(RateExpr::Free {
            condition: Some(cond),
        });
    }
    if sq.starts_with("nochange") && sq["nochange".len()..].chars().all(|c| c.is_ascii_digit()) {
        return Ok(RateExpr::Rule {
            rule: RuleRef::NoChange,
            plus: vec![],
        });
    }
    if lower.starts_with("see ") {
        return Ok(RateExpr::Rule {
            rule: RuleRef::See(t[4..].trim().to_string()),
            plus: vec![],
        });
    }
    const WORD_RULES: [&str; 6] = [
        "therate",
        "thedutyrate",
        "theduty",
        "aduty",
        "thecolumn",
        "percent",
    ];
    let starts_with_words = WORD_RULES.iter().any(|w| sq.starts_with(w))
        || lower.starts_with("the ")
        || lower.starts_with("a duty upon");
    if starts_with_words {
        let applicable = sq.starts_with("thedutyprovidedintheapplicablesubheading")
            || sq.starts_with("thedutyprovidedforintheapplicablesubheading");
        let (head, plus) = split_rule_plus(&t)?;
        let rule = if applicable {
            RuleRef::ApplicableSubheading
        } else {
            RuleRef::Text(head)
        };
        return Ok(RateExpr::Rule { rule, plus });
    }
    parse_formula(&t, text)
}

/// Splits "<rule in words> + <terms>" (or "plus"), parsing the terms.
fn split_rule_plus(t: &str) -> Result<(String, Vec<Term>), RateParseError> {
    let lower = t.to_ascii_lowercase();
    let cut = lower
        .find('+')
        .map(|i| (i, 1))
        .or_else(|| lower.find(" plus ").map(|i| (i, 6)));
    match cut {
        None => Ok((t.to_string(), vec![])),
        Some((i, w)) => {
            let head = t[..i].trim().to_string();
            let rest = &t[i + w..];
            let terms = parse_terms(rest, t)?;
            Ok((head, terms))
        }
    }
}

fn parse_formula(t: &str, original: &str) -> Result<RateExpr, RateParseError> {
    let lower = t.to_ascii_lowercase();
    // Bounds: "<main> but not less than <floor> but not more than <ceiling>".
    let mut main_end = t.len();
    let mut ceiling_text = None;
    if let Some(i) = lower.find(" but not more than ") {
        ceiling_text = Some(&t[i + " but not more than ".len()..]);
        main_end = i;
    }
    let mut floor_text = None;
    if let Some(i) = lower[..main_end].find(" but not less ") {
        let mut start = i + " but not less ".len();
        if lower[start..].starts_with("than ") {
            start += "than ".len();
        }
        floor_text = Some(&t[start..main_end]);
        main_end = i;
    }
    let main_text = &t[..main_end];
    let main_lower = &lower[..main_end];
    // Graduated (sugar) rates: "X¢/kg less Y¢/kg for each degree under Z degrees ... but not less than W¢/kg".
    if main_lower.contains(" less ") && main_lower.contains("for each degree") {
        let minimum_terms = match floor_text {
            Some(f) => parse_terms(f, original)?,
            None => {
                return Err(err(
                    original,
                    "a graduated rate needs a 'but not less than' minimum",
                ))
            }
        };
        return parse_graduated(main_text, &minimum_terms, original);
    }
    let terms = parse_terms(main_text, original)?;
    let floor = floor_text.map(|f| parse_terms(f, original)).transpose()?;
    let ceiling = ceiling_text.map(|c| parse_terms(c, original)).transpose()?;
    Ok(RateExpr::Formula {
        terms,
        floor,
        ceiling,
    })
}

fn parse_terms(text: &str, original: &str) -> Result<Vec<Term>, RateParseError> {
    let mut terms = Vec::new();
    let lower = text.to_ascii_lowercase();
    let mut pieces: Vec<&str> = Vec::new();
    let mut start = 0;
    let bytes = lower.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'+' {
            pieces.push(&text[start..i]);
            start = i + 1;
        } else if bytes[i..].starts_with(b" plus ") {
            pieces.push(&text[start..i]);
            start = i + " plus ".len();
            i = start;
            continue;
        }
        i += 1;
    }
    pieces.push(&text[start..]);
    for p in pieces {
        let p = p.trim();
        if p.is_empty() {
            return Err(err(original, "a '+' with nothing on one side"));
        }
        terms.push(parse_term(p, original)?);
    }
    Ok(terms)
}

/// Reads a number: digits with an optional decimal part, thousands commas, and a mixed fraction
/// ("33 1/3"). Returns the value and the rest of the text.
fn read_number(s: &str) -> Option<(Decimal, &str)> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut digits = String::new();
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() || c == b'.' {
            digits.push(c as char);
            i += 1;
        } else if c == b','
            && i + 3 < b.len() + 1
            && b[i + 1..].iter().take(3).all(|d| d.is_ascii_digit())
            && !digits.is_empty()
        {
            i += 1;
        } else {
            break;
        }
    }
    if digits.is_empty() || digits == "." {
        return None;
    }
    let mut value = Decimal::from_str(digits.trim_end_matches('.')).ok()?;
    let mut rest = &s[i..];
    // Mixed fraction: "33 1/3".
    if !digits.contains('.') {
        let r = rest.strip_prefix(' ').unwrap_or("");
        let nb = r.as_bytes();
        let mut j = 0;
        while j < nb.len() && nb[j].is_ascii_digit() {
            j += 1;
        }
        if j > 0 && j < nb.len() && nb[j] == b'/' {
            let mut k = j + 1;
            while k < nb.len() && nb[k].is_ascii_digit() {
                k += 1;
            }
            if k > j + 1 {
                let num = Decimal::from_str(&r[..j]).ok()?;
                let den = Decimal::from_str(&r[j + 1..k]).ok()?;
                if !den.is_zero() {
                    value += num / den;
                    rest = &r[k..];
                }
            }
        }
    }
    Some((value, rest))
}

fn parse_term(piece: &str, original: &str) -> Result<Term, RateParseError> {
    let mut s = piece.trim();
    let lower = s.to_ascii_lowercase();
    if lower.starts_with("a duty of ") {
        s = &s["a duty of ".len()..];
    }
    if let Some(rest) = s.strip_prefix('$') {
        let (amount, rest) = read_number(rest).ok_or_else(|| {
            err(
                original,
                format!("expected an amount after '$' in {piece:?}"),
            )
        })?;
        return parse_specific_tail(amount, rest, piece, original);
    }
    let (value, rest) = read_number(s).ok_or_else(|| {
        err(
            original,
            format!("expected a number, 'Free' or a rule in {piece:?}"),
        )
    })?;
    let rest = rest.trim_start();
    if let Some(r) = rest.strip_prefix('%') {
        let on = qualifier(r, piece, original)?;
        return Ok(Term {
            kind: TermKind::AdValorem { percent: value },
            on,
        });
    }
    let rl = rest.to_ascii_lowercase();
    if let Some(r) = rl.strip_prefix("percent") {
        let on = qualifier(&rest[rest.len() - r.len()..], piece, original)?;
        return Ok(Term {
            kind: TermKind::AdValorem { percent: value },
            on,
        });
    }
    if let Some(r) = rest.strip_prefix('¢') {
        return parse_specific_tail(value / Decimal::ONE_HUNDRED, r, piece, original);
    }
    Err(err(
        original,
        format!("expected '%', '¢' or '$' with the number in {piece:?}"),
    ))
}

/// Reads " on the case", " upon the value of ...", " of the cost of ..." after a term.
fn qualifier(rest: &str, piece: &str, original: &str) -> Result<Option<String>, RateParseError> {
    let r = rest.trim();
    if r.is_empty() {
        return Ok(None);
    }
    let lower = r.to_ascii_lowercase();
    for kw in ["on ", "upon ", "of "] {
        if lower.starts_with(kw) {
            return Ok(Some(r[kw.len()..].trim().to_string()));
        }
    }
    // Missing space typos such as "on thebattery" are covered above; anything else is unknown.
    Err(err(
        original,
        format!("unexpected text {r:?} after the rate in {piece:?}"),
    ))
}

fn parse_specific_tail(
    amount: Decimal,
    rest: &str,
    piece: &str,
    original: &str,
) -> Result<Term, RateParseError> {
    let rest = rest.trim_start();
    let lower = rest.to_ascii_lowercase();
    if let Some(r) = lower.strip_prefix("each") {
        let on = qualifier(&rest[rest.len() - r.len()..], piece, original)?;
        return Ok(Term {
            kind: TermKind::Specific {
                amount,
                per: Per {
                    count: Decimal::ONE,
                    unit: Some(Unit::Each),
                    text: "each".into(),
                },
            },
            on,
        });
    }
    if let Some(r) = lower.strip_prefix("for each ") {
        // "0.2¢ for each other piece or part, but if ...": a count of things quid cannot convert.
        let text = rest[rest.len() - r.len()..].trim().to_string();
        return Ok(Term {
            kind: TermKind::Specific {
                amount,
                per: Per {
                    count: Decimal::ONE,
                    unit: None,
                    text: format!("each {text}"),
                },
            },
            on: None,
        });
    }
    let Some(unit_part) = rest.strip_prefix('/') else {
        return Err(err(
            original,
            format!("expected '/unit' or 'each' after the amount in {piece:?}"),
        ));
    };
    let (per, on) = read_per(unit_part);
    if per.text.is_empty() {
        return Err(err(
            original,
            format!("missing unit after '/' in {piece:?}"),
        ));
    }
    Ok(Term {
        kind: TermKind::Specific { amount, per },
        on,
    })
}

/// Reads "kg", "pf. liter", "1,000 pins", "kg on drained weight", "kg of total sugars".
fn read_per(unit_part: &str) -> (Per, Option<String>) {
    let u = unit_part.trim();
    let lower = u.to_ascii_lowercase();
    let mut cut: Option<(usize, usize)> = None;
    for kw in [" on ", " of ", " upon ", ", "] {
        if let Some(i) = lower.find(kw) {
            if cut.is_none_or(|(c, _)| i < c) {
                cut = Some((i, kw.len()));
            }
        }
    }
    // "m2of recording surface": a missing space.
    if cut.is_none() {
        if let Some(i) = lower.find("of ") {
            if i > 0 {
                cut = Some((i, 3));
            }
        }
    }
    let (unit_text, on) = match cut {
        Some((i, w)) => (u[..i].trim(), Some(u[i + w..].trim().to_string())),
        None => (u, None),
    };
    let on = on.map(|o| {
        o.strip_prefix("including ")
            .map(|x| format!("including {x}"))
            .unwrap_or(o)
    });
    let mut count = Decimal::ONE;
    let mut name = unit_text;
    if let Some((n, r)) = read_number(unit_text) {
        if !r.is_empty() && r.starts_with(' ') {
            count = n;
            name = r.trim();
        }
    }
    let mut unit = Unit::parse(name);
    if unit.is_none() && count != Decimal::ONE {
        unit = Some(Unit::Each);
    }
    (
        Per {
            count,
            unit,
            text: unit_text.to_string(),
        },
        on,
    )
}

fn parse_graduated(
    main: &str,
    minimum: &[Term],
    original: &str,
) -> Result<RateExpr, RateParseError> {
    let lower = main.to_ascii_lowercase();
    let i = lower
        .find(" less ")
        .ok_or_else(|| err(original, "graduated rate without 'less'"))?;
    let first = parse_term(&main[..i], original)?;
    let TermKind::Specific { amount, per } = first.kind else {
        return Err(err(
            original,
            "a graduated rate must start with a specific amount",
        ));
    };
    let step_text = &main[i + " less ".len()..];
    let j = step_text
        .to_ascii_lowercase()
        .find(" for each degree")
        .ok_or_else(|| err(original, "graduated rate without 'for each degree'"))?;
    let step = parse_term(&step_text[..j], original)?;
    let TermKind::Specific { amount: step, .. } = step.kind else {
        return Err(err(
            original,
            "the graduated step must be a specific amount",
        ));
    };
    let tail = step_text[j..].to_ascii_lowercase();
    let k = tail
        .find("under ")
        .ok_or_else(|| err(original, "graduated rate without 'under N degrees'"))?;
    let (reference, _) = read_number(&tail[k + "under ".len()..])
        .ok_or_else(|| err(original, "graduated rate without a reference degree"))?;
    let minimum = match minimum {
        [Term {
            kind: TermKind::Specific { amount, .. },
            ..
        }] => *amount,
        _ => {
            return Err(err(
                original,
                "the graduated minimum must be a single specific amount",
            ))
        }
    };
    Ok(RateExpr::Formula {
        terms: vec![Term {
            kind: TermKind::Graduated {
                amount,
                step,
                reference,
                minimum,
                per,
            },
            on: None,
        }],
        floor: None,
        ceiling: None,
    })
}
