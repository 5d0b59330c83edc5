//! Loading the bundled ledger (`data/ledger/events.toml`), the catalogue of measure ids of the
//! research timeline (`data/ledger/measure_catalogue.csv`), and the exchange-rate table
//! (`data/fx/usd_cad.csv`), and checking the ledger against the measures.
//!
//! The exchange-rate table and the catalogue are plain CSV files; here small ones written to a
//! temporary folder:
//!
//! ```
//! use quid_data::ledger::{measure_known, read_catalogue, read_fx};
//! use quid_engine::Policy;
//!
//! let dir = std::env::temp_dir().join(format!("quid-doc-ledger-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! std::fs::write(dir.join("fx.csv"), "period,cad_per_usd,source_title,source_url,source_date\n\
//!     2025-03,1.4350,test,https://example.org,2025-04-01\n\
//!     2025,1.3980,test,https://example.org,2025-12-31\n").unwrap();
//! std::fs::write(dir.join("catalogue.csv"), "id\nUS-IEEPA-CA-1\nCA-SURTAX-1\n").unwrap();
//! let fx = read_fx(&dir.join("fx.csv"));
//! let catalogue = read_catalogue(&dir.join("catalogue.csv"));
//! std::fs::remove_dir_all(&dir).unwrap();
//!
//! let fx = fx.unwrap();
//! let periods: Vec<(&str, String)> =
//!     fx.rates.iter().map(|r| (r.period.as_str(), r.cad_per_usd.to_string())).collect();
//! assert_eq!(periods, [("2025-03", "1.4350".to_string()), ("2025", "1.3980".to_string())]);
//! // A measure is known when the catalogue or the engine's records name it.
//! let catalogue = catalogue.unwrap();
//! assert!(measure_known(&Policy::default(), &catalogue, "CA-SURTAX-1"));
//! assert!(!measure_known(&Policy::default(), &catalogue, "US-S232-SA-2"));
//! ```

use crate::bundle::Bundle;
use crate::error::DataError;
use crate::reader::Csv;
use quid_core::ledger::Ledger;
use quid_core::Citation;
use quid_engine::Policy;
use rust_decimal::Decimal;
use std::collections::HashSet;
use std::path::Path;
use std::str::FromStr;

/// Parses a ledger file (TOML); a syntax or field error names its line.
pub fn read_ledger(path: &Path) -> Result<Ledger, DataError> {
    let text = crate::bounded::read_text(path)?;
    parse_ledger(&text, path)
}

/// Parses ledger TOML text.
pub fn parse_ledger(text: &str, path: &Path) -> Result<Ledger, DataError> {
    toml::from_str::<Ledger>(text).map_err(|e| DataError::toml(path, text, &e))
}

/// The measure ids of the research timeline.
pub fn read_catalogue(path: &Path) -> Result<HashSet<String>, DataError> {
    let mut csv = Csv::open(path, &["id"])?;
    let i = csv.col("id").unwrap_or(0);
    let mut out = HashSet::new();
    for rec in csv.records() {
        let (_, rec) = rec?;
        out.insert(rec.get(i).unwrap_or("").trim().to_string());
    }
    Ok(out)
}

/// True when `reference` names an engine measure record (its id, its family, or an id prefix
/// before a dot) or a measure of the research timeline.
pub fn measure_known(policy: &Policy, catalogue: &HashSet<String>, reference: &str) -> bool {
    catalogue.contains(reference) || policy.all_measures().any(|m| m.is_named_by(reference))
}

/// The test "does this reference name a known measure" of [`Ledger::check`]: the engine's
/// records and the research timeline's catalogue (read once, here).
pub fn measure_checker<'p>(
    bundle: &Bundle,
    policy: &'p Policy,
) -> Result<impl Fn(&str) -> bool + 'p, DataError> {
    let catalogue = read_catalogue(&bundle.measure_catalogue())?;
    Ok(move |m: &str| measure_known(policy, &catalogue, m))
}

/// One exchange rate: Canadian dollars per US dollar for a month (`2025-03`) or a year (`2025`).
#[derive(Debug, Clone)]
pub struct FxRate {
    pub period: String,
    pub cad_per_usd: Decimal,
    pub source: Citation,
}

/// The exchange-rate table.
#[derive(Debug, Clone, Default)]
pub struct FxTable {
    pub rates: Vec<FxRate>,
}

/// Reads `fx/usd_cad.csv`.
pub fn read_fx(path: &Path) -> Result<FxTable, DataError> {
    let mut csv = Csv::open(
        path,
        &[
            "period",
            "cad_per_usd",
            "source_title",
            "source_url",
            "source_date",
        ],
    )?;
    let c = |n: &str| csv.col(n).unwrap_or(0);
    let (ip, ir, it, iu, id) = (
        c("period"),
        c("cad_per_usd"),
        c("source_title"),
        c("source_url"),
        c("source_date"),
    );
    let rates = crate::flows::fields::collect_rows(&mut csv, |p, line, rec| {
        let get = |i: usize| rec.get(i).unwrap_or("").trim().to_string();
        let period = get(ip);
        let ok_period = (period.len() == 4 || period.len() == 7)
            && period[..4].bytes().all(|b| b.is_ascii_digit());
        if !ok_period {
            return Err(DataError::at(
                p,
                Some(line),
                Some("period"),
                format!("{period:?} is not a year (2025) or a month (2025-03)"),
            ));
        }
        let rate = match Decimal::from_str(&get(ir)) {
            Ok(r) if r > Decimal::ZERO => r,
            _ => {
                return Err(DataError::at(
                    p,
                    Some(line),
                    Some("cad_per_usd"),
                    format!("{:?} is not a positive number", get(ir)),
                ))
            }
        };
        Ok(FxRate {
            period,
            cad_per_usd: rate,
            source: Citation {
                kind: None,
                title: get(it),
                url: Some(get(iu)).filter(|u| !u.is_empty()),
                date: crate::flows::fields::opt_date_field(p, line, rec, id, "source_date")?,
                pinpoint: None,
            },
        })
    })?;
    Ok(FxTable { rates })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: the line of a TOML error was one short when the error starts a line (most
    /// do: a key or a table header).
    #[test]
    fn a_ledger_error_names_the_line_it_is_on() {
        let text = "[[announcement]]\nid = \"A\"\ntitle = 5\n";
        let e = parse_ledger(text, Path::new("events.toml")).expect_err("bad title");
        assert_eq!(e.diagnostics()[0].line, Some(3), "{e}");
    }

    /// A confidence grade other than H, M or L is refused where it is written.
    #[test]
    fn a_bad_confidence_grade_names_its_line() {
        let text = "[[announcement]]\nid = \"A\"\n[[announcement.intervention]]\nid = \"A-1\"\nconfidence = \"X\"\n";
        let e = parse_ledger(text, Path::new("events.toml")).expect_err("bad grade");
        let d = &e.diagnostics()[0];
        assert_eq!(d.line, Some(5), "{e}");
        assert!(d.message.contains("`H`, `M`, `L`"), "{e}");
    }
}
