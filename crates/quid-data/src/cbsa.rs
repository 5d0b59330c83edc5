//! The Canadian Customs Tariff as CBSA exports it (the `TPHS` table of the Access edition):
//! `TARIFF, EFF_DATE, ..., DESC1-3, UOM, MFN, AUT, ..., UST, MXT, ..., General Tariff, ...`.
//!
//! MFN becomes the general column, the General Tariff the "other" column, and every
//! preferential column that has a value (UST for CUSMA goods of the US, MXT for Mexico, CPTPT,
//! CEUT, ...) becomes a programme of the special rates, named by its column. The bundled file is
//! a sample of chapters 01-02; a user-supplied full export loads the same way.
//!
//! Two items of the bundled sample (a few of its columns): chickens within the access
//! commitment, free for CUSMA, CPTPP and Mexico; and over it, where no preference applies
//! (`N/A` or blank).
//!
//! ```
//! use quid_core::{parse_date, HsCode};
//! use quid_data::cbsa;
//!
//! let text = "\
//! TARIFF,DESC1,UOM,MFN,UST,MXT,CPTPT,General Tariff
//! 0105.11.21,Within access commitment,,0.86 ¢each,Free,Free,Free,35%
//! 0105.11.22,Over access commitment,,238 % but not less than 30.8 ¢each,,,N/A,238 % but not less than 30.8 ¢each
//! ";
//! let path = std::env::temp_dir().join(format!("quid-doc-cbsa-{}.csv", std::process::id()));
//! std::fs::write(&path, text).unwrap();
//! let ca = cbsa::load(&path, "a sample", parse_date("2026-01-01").unwrap(), true);
//! std::fs::remove_file(&path).unwrap();
//! let ca = ca.unwrap();
//!
//! let within = ca.get(&"0105.11.21".parse::<HsCode>().unwrap()).unwrap();
//! let mfn = within.general.as_ref().unwrap().rate.as_ref().unwrap();
//! assert_eq!(mfn.to_string(), "0.86¢ each");
//! let special = within.special.as_ref().unwrap();
//! assert_eq!(&*special.text, "Free (UST) Free (MXT) Free (CPTPT)");
//! assert!(special.rates.as_ref().unwrap().rate_for("UST").unwrap().is_free());
//! assert_eq!(&*within.other.as_ref().unwrap().text, "35%");
//!
//! let over = ca.get(&"0105.11.22".parse::<HsCode>().unwrap()).unwrap();
//! assert!(over.special.is_none());
//! assert_eq!(
//!     over.general.as_ref().unwrap().rate.as_ref().unwrap().to_string(),
//!     "238% but not less than 30.8¢ each"
//! );
//! assert!(ca.partial);
//! ```

use crate::error::{DataError, Diagnostics};
use crate::hts::RateCache;
use crate::reader::Csv;
use crate::schedule::{RateProblem, Row, Schedule, SpecialCell, TariffLine};
use quid_core::rate::SpecialRates;
use quid_core::{Country, Date, HsCode};
use std::path::Path;
use std::sync::Arc;

/// Columns that are not preferential tariff treatments.
const NON_TREATMENT: [&str; 12] = [
    "TARIFF",
    "EFF_DATE",
    "CHANGE",
    "SUB_CHAP",
    "DESC1",
    "DESC2",
    "DESC3",
    "FOOTNOTE",
    "UOM",
    "MFN",
    "row_id",
    "General Tariff",
];

/// Loads a CBSA TPHS export. `partial` marks a sample file.
pub fn load(
    path: &Path,
    edition: &str,
    effective: Date,
    partial: bool,
) -> Result<Schedule, DataError> {
    let mut csv = Csv::open(
        path,
        &[
            "TARIFF",
            "DESC1",
            "UOM",
            "MFN",
            "UST",
            "MXT",
            "General Tariff",
        ],
    )?;
    let headers: Vec<String> = csv.headers().iter().map(str::to_string).collect();
    let col = |n: &str| headers.iter().position(|h| h == n).unwrap_or(0);
    let (it, imfn, igt, iuom) = (col("TARIFF"), col("MFN"), col("General Tariff"), col("UOM"));
    let descs: Vec<usize> = ["DESC1", "DESC2", "DESC3"]
        .iter()
        .filter_map(|d| headers.iter().position(|h| h == d))
        .collect();
    let treatments: Vec<(usize, String)> = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| !NON_TREATMENT.contains(&h.as_str()))
        .map(|(i, h)| (i, h.clone()))
        .collect();
    let mut diags = Diagnostics::default();
    let mut cache = RateCache::default();
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    let mut problems = Vec::new();
    for rec in csv.records() {
        let (line_no, rec) = match rec {
            Ok(x) => x,
            Err(e) => {
                diags.extend_from(&e);
                continue;
            }
        };
        let get = |i: usize| rec.get(i).unwrap_or("").trim();
        let code = match HsCode::parse(get(it)) {
            Ok(c) => c,
            Err(e) => {
                diags.push(path, Some(line_no), Some("TARIFF"), format!("{e}"));
                continue;
            }
        };
        let description = descs
            .iter()
            .map(|&i| get(i))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let row = rows.len() as u32;
        rows.push(Row {
            indent: 0,
            description,
            parent: None,
        });
        let mfn_text = get(imfn);
        let general = (!mfn_text.is_empty()).then(|| cache.rate(mfn_text, code));
        if let Some(g) = &general {
            if let Err(reason) = &g.rate {
                problems.push(RateProblem {
                    source_line: line_no,
                    code,
                    column: "MFN",
                    text: mfn_text.to_string(),
                    reason: reason.to_string(),
                });
            }
        }
        let gt = get(igt);
        let other = (!gt.is_empty()).then(|| cache.rate(gt, code));
        let mut groups = Vec::new();
        let mut special_text = Vec::new();
        for (i, name) in &treatments {
            let t = get(*i);
            // "N/A": the treatment does not apply to this item.
            if t.is_empty() || t.eq_ignore_ascii_case("N/A") {
                continue;
            }
            let cell = cache.rate(t, code);
            match &cell.rate {
                Ok(r) => groups.push(((**r).clone(), vec![quid_core::rate::Program(name.clone())])),
                Err(reason) => problems.push(RateProblem {
                    source_line: line_no,
                    code,
                    column: "treatment",
                    text: format!("{name}: {t}"),
                    reason: reason.to_string(),
                }),
            }
            special_text.push(format!("{t} ({name})"));
        }
        let special = (!groups.is_empty()).then(|| SpecialCell {
            text: Arc::from(special_text.join(" ").as_str()),
            rates: Ok(Arc::new(SpecialRates { groups })),
            from: code,
        });
        let uom = get(iuom);
        lines.push(TariffLine {
            code,
            row,
            source_line: line_no,
            units: if uom.is_empty() {
                vec![]
            } else {
                vec![uom.to_string()]
            },
            general,
            special,
            other,
            footnotes: vec![],
            chapter99: vec![],
        });
    }
    diags.into_result()?;
    if lines.is_empty() {
        return Err(DataError::at(
            path,
            None,
            None,
            "no tariff items found; expected a CBSA TPHS export",
        ));
    }
    let stats = cache.stats;
    Ok(Schedule::new(
        Country::CA,
        edition.to_string(),
        effective,
        path.to_path_buf(),
        partial,
        rows,
        lines,
        problems,
        stats,
    ))
}
