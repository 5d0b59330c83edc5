//! Special-programme columns: `Free (A+,AU,BH,...,S,SG) 3.95% (JP)` becomes a list of
//! (rate, programmes) groups. USMCA is programme `S` (originating goods) and `S+`.
//!
//! ```
//! use quid_core::rate::SpecialRates;
//! let s = SpecialRates::parse("Free (A+,AU,BH,CL,CO,D,E,IL,JO,KR,MA,OM,P,PA,PE,S,SG) 3.95% (JP)").unwrap();
//! assert!(s.rate_for("S").unwrap().is_free());
//! assert_eq!(s.rate_for("JP").unwrap().to_string(), "3.95%");
//! assert!(s.rate_for("XX").is_none());
//! ```

use super::parse::{normalize, RateParseError};
use super::RateExpr;

/// A special tariff programme indicator (SPI) as printed, e.g. `S`, `S+`, `A*`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Program(pub String);

impl Program {
    /// The programme code without its `+`/`*` mark (`S+` is a USMCA variant of `S`).
    pub fn base(&self) -> &str {
        &self.0[..unmarked(&self.0).len()]
    }
}

/// A programme code without its trailing `+`/`*` marks, as bytes (the lookup runs per entry).
fn unmarked(code: &str) -> &[u8] {
    let b = code.as_bytes();
    let mut n = b.len();
    while n > 0 && matches!(b[n - 1], b'+' | b'*') {
        n -= 1;
    }
    &b[..n]
}

/// The parsed special column.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct SpecialRates {
    pub groups: Vec<(RateExpr, Vec<Program>)>,
}

/// Splits a programme list on commas and stray spaces ("D,E IL" and ".OM" occur in the HTS).
fn program_codes(inner: &str) -> Vec<&str> {
    inner
        .split([',', ' '])
        .map(|p| p.trim().trim_start_matches('.'))
        .filter(|p| !p.is_empty())
        .collect()
}

fn is_program_list(inner: &str) -> bool {
    let parts = program_codes(inner);
    !parts.is_empty()
        && parts.iter().all(|p| {
            let core = p.trim_end_matches(['+', '*']);
            !core.is_empty() && core.len() <= 3 && core.chars().all(|c| c.is_ascii_uppercase())
        })
}

impl SpecialRates {
    /// Parses a special column. A text with no programme list (as on some Chapter 99 lines) is
    /// one group that applies to every programme (its list is empty).
    pub fn parse(text: &str) -> Result<SpecialRates, RateParseError> {
        let t = normalize(text);
        let mut groups = Vec::new();
        let mut rate_start = 0;
        let mut i = 0;
        let bytes = t.as_bytes();
        while i < bytes.len() {
            if bytes[i] == b'(' {
                if let Some(close) = t[i..].find(')') {
                    let inner = &t[i + 1..i + close];
                    if is_program_list(inner) {
                        let rate_text = t[rate_start..i].trim();
                        let rate = RateExpr::parse(rate_text)?;
                        let programs = inner
                            .split(',')
                            .map(|p| Program(p.trim().to_string()))
                            .collect();
                        groups.push((rate, programs));
                        i += close + 1;
                        rate_start = i;
                        continue;
                    }
                }
            }
            i += 1;
        }
        let tail = t[rate_start..].trim();
        if !tail.is_empty() {
            groups.push((RateExpr::parse(tail)?, Vec::new()));
        }
        Ok(SpecialRates { groups })
    }

    /// The rate for a programme code; `S` also matches `S+` and `S*`.
    pub fn rate_for(&self, program: &str) -> Option<&RateExpr> {
        let want = unmarked(program);
        self.groups
            .iter()
            .find(|(_, ps)| ps.iter().any(|p| unmarked(&p.0) == want))
            .map(|(r, _)| r)
    }

    /// Every programme code listed.
    pub fn programs(&self) -> impl Iterator<Item = &Program> {
        self.groups.iter().flat_map(|(_, ps)| ps.iter())
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}
