//! Published collections: duties actually collected (or realized rates, remissions,
//! projections) as public sources state them, each figure with its source, date, definition
//! and kind (official, research, press). The realized balance sets them beside the duties quid
//! computes on the trade that crossed. `data/collections/published.csv`; see data/SOURCES.md.
//!
//! ```
//! let data = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
//! let figures = quid_data::collections::read_published(&data.join("collections/published.csv"))
//!     .unwrap();
//! // Every figure names its source.
//! assert!(figures.iter().all(|f| !f.url.is_empty() && !f.publisher.is_empty()));
//! ```

use crate::error::DataError;
use crate::flows::fields::{collect_rows, columns, opt_text, text_field};
use crate::reader::Csv;
use quid_core::{parse_date, Country, Date};
use std::path::Path;

/// What a figure measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Duties collected over the period (money).
    DutyCollected,
    /// Calculated duty over customs value, percent.
    RealizedRatePct,
    /// A share of imports, percent (claimed under USMCA, entering duty-free): context.
    SharePct,
    /// Value of imports over the period (money).
    ImportValue,
    /// Duty remitted or forgone through remission and exemptions (money).
    Remission,
    /// A projection, not a collection (money).
    Projection,
}

impl std::str::FromStr for Measure {
    type Err = String;
    fn from_str(s: &str) -> Result<Measure, String> {
        Ok(match s {
            "duty_collected" => Measure::DutyCollected,
            "realized_rate_pct" => Measure::RealizedRatePct,
            "share_pct" => Measure::SharePct,
            "import_value" => Measure::ImportValue,
            "remission" => Measure::Remission,
            "projection" => Measure::Projection,
            other => {
                return Err(format!(
                "{other:?}: expected duty_collected, realized_rate_pct, share_pct, import_value, remission or projection"
            ))
            }
        })
    }
}

/// Who states the figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A government statement or statistic.
    Official,
    /// A research institution's series (New York Fed, Penn Wharton, Budget Lab).
    Research,
    /// A press account quoting a figure.
    Press,
}

impl std::str::FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Kind, String> {
        Ok(match s {
            "official" => Kind::Official,
            "research" => Kind::Research,
            "press" => Kind::Press,
            other => return Err(format!("{other:?}: expected official, research or press")),
        })
    }
}

/// One published figure.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Published {
    pub id: String,
    /// The importing side whose collections these are (US: duties on goods from `partner`).
    pub side: Country,
    /// The trading partner whose goods paid the duty (`None`: all partners).
    pub partner: Option<Country>,
    /// First and last day of the period (both included).
    pub start: Date,
    pub end: Date,
    pub measure: Measure,
    pub value: f64,
    /// USD, CAD or pct.
    pub unit: String,
    pub definition: String,
    pub kind: Kind,
    pub publisher: String,
    pub title: String,
    pub url: String,
    pub published: Option<Date>,
    pub quote: String,
    /// The line in the file.
    pub line: u64,
}

const COLUMNS: [&str; 15] = [
    "id",
    "side",
    "partner",
    "period_start",
    "period_end",
    "measure",
    "value",
    "unit",
    "definition",
    "kind",
    "publisher",
    "title",
    "url",
    "published",
    "quote",
];

/// Reads the published figures, every bad row reported at once.
pub fn read_published(path: &Path) -> Result<Vec<Published>, DataError> {
    let mut csv = Csv::open(path, &COLUMNS)?;
    let c = columns(&csv, COLUMNS)?;
    collect_rows(&mut csv, |p, line, rec| {
        let bad = |field: &str, msg: String| DataError::at(p, Some(line), Some(field), msg);
        let get = |i: usize| text_field(rec, c[i]);
        let date = |i: usize| {
            let t = get(i);
            parse_date(&t).map_err(|e| bad(COLUMNS[i], format!("{t:?}: {e}")))
        };
        let side: Country = get(1)
            .parse()
            .map_err(|e| bad("side", format!("{e}; expected US or CA")))?;
        let partner = match get(2).as_str() {
            "all" => None,
            t => Some(
                t.parse::<Country>()
                    .map_err(|e| bad("partner", format!("{e}; expected CA, MX, US or all")))?,
            ),
        };
        let (start, end) = (date(3)?, date(4)?);
        if end < start {
            return Err(bad(
                "period_end",
                format!("{end} is before the period's start {start}"),
            ));
        }
        let measure: Measure = get(5).parse().map_err(|e| bad("measure", e))?;
        let value: f64 = get(6)
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v >= 0.0)
            .ok_or_else(|| bad("value", format!("{:?} is not a number 0 or more", get(6))))?;
        let unit = get(7);
        let money = !matches!(measure, Measure::RealizedRatePct | Measure::SharePct);
        let unit_ok = if money {
            matches!(unit.as_str(), "USD" | "CAD")
        } else {
            unit == "pct"
        };
        if !unit_ok {
            return Err(bad(
                "unit",
                format!(
                    "{unit:?}: expected {} for {}",
                    if money { "USD or CAD" } else { "pct" },
                    get(5)
                ),
            ));
        }
        let kind: Kind = get(9).parse().map_err(|e| bad("kind", e))?;
        let url = get(12);
        if !url.starts_with("https://") && !url.starts_with("http://") {
            return Err(bad(
                "url",
                format!("{url:?}: every figure needs its source's address"),
            ));
        }
        for (i, what) in [
            (0, "an id"),
            (8, "a definition"),
            (10, "a publisher"),
            (11, "a title"),
        ] {
            if get(i).is_empty() {
                return Err(bad(COLUMNS[i], format!("empty; expected {what}")));
            }
        }
        let published = match opt_text(rec, c[13]) {
            Some(_) => Some(date(13)?),
            None => None,
        };
        Ok(Published {
            id: get(0),
            side,
            partner,
            start,
            end,
            measure,
            value,
            unit,
            definition: get(8),
            kind,
            publisher: get(10),
            title: get(11),
            url,
            published,
            quote: get(14),
            line,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<Published>, DataError> {
        let path = std::env::temp_dir().join(format!(
            "quid-published-{}-{}.csv",
            std::process::id(),
            text.len()
        ));
        std::fs::write(&path, text).unwrap();
        let r = read_published(&path);
        std::fs::remove_file(&path).unwrap();
        r
    }

    const HEAD: &str = "id,side,partner,period_start,period_end,measure,value,unit,definition,kind,publisher,title,url,published,quote\n";

    #[test]
    fn a_figure_is_read_with_its_source() {
        let f = read(&format!("{HEAD}X,CA,US,2025-03-04,2025-05-30,duty_collected,1700000000,CAD,net of remissions,official,House of Commons,Hansard,https://example.org/h,2025-09-15,\"about $1.7 billion\"\n")).unwrap();
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].side, f[0].partner), (Country::CA, Some(Country::US)));
        assert_eq!((f[0].measure, f[0].value), (Measure::DutyCollected, 1.7e9));
        assert_eq!(f[0].end.to_string(), "2025-05-30");
        assert_eq!(f[0].line, 2);
    }

    /// Every bad row is reported at once, each with its line and field.
    #[test]
    fn bad_rows_name_line_and_field() {
        let e = read(&format!("{HEAD}A,US,CA,2025-04-01,2025-03-31,duty_collected,1,USD,d,official,p,t,https://x.org,,\nB,US,CA,2025-04-01,2025-04-30,realized_rate_pct,4.1,USD,d,research,p,t,https://x.org,,\nC,US,CA,2025-04-01,2025-04-30,duty_collected,1,USD,d,press,p,t,,,\n")).unwrap_err();
        let d: Vec<(Option<u64>, Option<String>)> = e
            .diagnostics()
            .into_iter()
            .map(|d| (d.line, d.field))
            .collect();
        assert_eq!(
            d,
            [
                (Some(2), Some("period_end".to_string())),
                (Some(3), Some("unit".to_string())),
                (Some(4), Some("url".to_string())),
            ]
        );
    }
}
