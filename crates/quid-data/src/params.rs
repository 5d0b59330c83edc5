//! Model parameters keyed by product: USMCA-claimed shares by HTS10 and partner, BEA metal-content
//! shares, the HS10 → GTAP crosswalk, Census country codes, trade elasticities (Hauk, Broda–
//! Weinstein, ProTEE, Broda–Greenfield–Weinstein) and the HS2022 → HS1992 concordance.
//!
//! Each file becomes a hash table built once ([`Table`]), so every lookup is O(1). A key that
//! appears twice keeps its first row and leaves a warning naming the later line.
//!
//! ```no_run
//! use quid_core::{Country, HsCode};
//! use quid_data::{params, Bundle};
//! let bundle = Bundle::locate()?;
//! let shares = params::read_usmca_shares(&bundle.usmca_shares(2025))?;
//! let hs: HsCode = "8703.23.01.90".parse().unwrap();
//! println!("{:?}", shares.get(&hs, Country::CA));
//! # Ok::<(), quid_data::DataError>(())
//! ```

use crate::error::{DataError, Diagnostic};
use crate::flows::fields::{
    collect_rows, columns, finite_field, flag_field, hs_field, opt_finite_field, opt_text,
    share_field, text_field,
};
use crate::flows::{census_partner, Hs10Imports};
use crate::reader::Csv;
use quid_core::{Country, HsCode};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::hash::Hash;
use std::path::{Path, PathBuf};

/// A lookup table read from one file: keys to values, the number of data rows read, and the
/// warnings raised while building it (duplicate keys, repaired values).
#[derive(Debug, Clone)]
pub struct Table<K, V> {
    pub path: PathBuf,
    map: HashMap<K, V>,
    rows: usize,
    warnings: Vec<Diagnostic>,
}

impl<K: Eq + Hash, V> Table<K, V> {
    /// Builds the table from `(line, key, value)` rows; a repeated key keeps its first value and
    /// adds a warning that names the later line.
    fn build(
        path: &Path,
        rows: Vec<(u64, K, V)>,
        field: &str,
        show: impl Fn(&K) -> String,
    ) -> Self {
        let mut map = HashMap::with_capacity(rows.len());
        let mut warnings = Vec::new();
        let n = rows.len();
        for (line, key, value) in rows {
            if map.contains_key(&key) {
                warnings.push(duplicate(path, line, field, &show(&key)));
                continue;
            }
            map.insert(key, value);
        }
        Table {
            path: path.to_path_buf(),
            map,
            rows: n,
            warnings,
        }
    }

    pub fn get(&self, key: &K) -> Option<&V> {
        self.map.get(key)
    }

    /// Number of distinct keys.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Number of data rows read (duplicates included).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Problems that did not stop the read (duplicate keys, repaired values).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.map.iter()
    }
}

fn duplicate(path: &Path, line: u64, field: &str, key: &str) -> Diagnostic {
    Diagnostic {
        file: path.to_path_buf(),
        line: Some(line),
        field: Some(field.to_string()),
        message: format!("{key} appears again; the first row's value is kept"),
    }
}

/// USMCA-claimed share of each HTS10 line's imports, by partner (one data year).
#[derive(Debug, Clone)]
pub struct UsmcaShares(pub Table<(HsCode, Country), f64>);

impl UsmcaShares {
    /// The share of `hs10` imports from `country` entered under USMCA.
    pub fn get(&self, hs10: &HsCode, country: Country) -> Option<f64> {
        self.0.get(&(*hs10, country)).copied()
    }

    /// The USMCA-claimed share of imports from `country`, weighted by `imports`. Lines with no
    /// share in this table are left out of both sides; [`WeightedShare::coverage`] says how much
    /// of the import value that leaves.
    pub fn weighted_share(&self, imports: &[Hs10Imports], country: Country) -> WeightedShare {
        let mut w = WeightedShare::default();
        for line in imports {
            let value = line.value(country).unwrap_or_default();
            w.total_value += value;
            if let Some(share) = self.get(&line.hs10, country) {
                w.matched_value += value;
                w.claimed += value.to_f64().unwrap_or(0.0) * share;
            }
        }
        w.share = w.claimed / w.matched_value.to_f64().filter(|v| *v > 0.0).unwrap_or(1.0);
        w
    }
}

/// A share of import value weighted over HS10 lines.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct WeightedShare {
    /// Weighted share over the lines that have a share.
    pub share: f64,
    /// Import value of those lines, USD.
    pub matched_value: Decimal,
    /// Import value of all lines, USD.
    pub total_value: Decimal,
    /// The claimed import value, USD (floating point: shares are estimates).
    pub claimed: f64,
}

impl WeightedShare {
    /// The part of the import value whose lines have a share.
    pub fn coverage(&self) -> f64 {
        let total = self.total_value.to_f64().unwrap_or(0.0);
        if total > 0.0 {
            self.matched_value.to_f64().unwrap_or(0.0) / total
        } else {
            0.0
        }
    }
}

/// Reads `usmca_product_shares_YYYY.csv.gz` (`hts10,cty_code,usmca_share`).
pub fn read_usmca_shares(path: &Path) -> Result<UsmcaShares, DataError> {
    let names = ["hts10", "cty_code", "usmca_share"];
    let mut csv = Csv::open(path, &names)?;
    let c = columns(&csv, names)?;
    let rows = collect_rows(&mut csv, |p, line, rec| {
        let hs = hs_field(p, line, rec, c[0], names[0], Some(10))?;
        let country = census_partner(p, line, rec, c[1], names[1])?;
        Ok((
            line,
            (hs, country),
            share_field(p, line, rec, c[2], names[2])?,
        ))
    })?;
    let show = |k: &(HsCode, Country)| format!("{} for {}", k.0, k.1);
    Ok(UsmcaShares(Table::build(path, rows, "hts10", show)))
}

/// Metal content of a product as shares of its value.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct MetalShare {
    pub steel: f64,
    pub aluminum: f64,
    pub copper: f64,
    pub other: f64,
    /// All metal (`metal_share`); not always the sum of the parts (see [`read_metal_shares`]).
    pub total: f64,
}

/// One HS10 line of the BEA metal-content table.
#[derive(Debug, Clone, PartialEq)]
pub struct MetalContent {
    pub naics: String,
    /// The BEA detail industry; `None` where the file has `NA` (no mapping, `metal_share` 1).
    pub bea_detail_code: Option<String>,
    pub share: MetalShare,
    /// True when a component share above 1 was capped at 1.
    pub capped: bool,
}

/// Metal-content shares by HS10.
#[derive(Debug, Clone)]
pub struct MetalShares(pub Table<HsCode, MetalContent>);

impl MetalShares {
    pub fn get(&self, hs10: &HsCode) -> Option<MetalShare> {
        self.0.get(hs10).map(|c| c.share)
    }

    pub fn content(&self, hs10: &HsCode) -> Option<&MetalContent> {
        self.0.get(hs10)
    }
}

const METAL_COLUMNS: [&str; 8] = [
    "hs10",
    "naics",
    "bea_detail_code",
    "steel_share",
    "aluminum_share",
    "copper_share",
    "other_metal_share",
    "metal_share",
];

/// Reads `metal_content_shares_bea_hs10.csv.gz`.
///
/// Every share must be a number of at least 0, and `metal_share` at most 1. **Documented
/// repair:** a component share (steel, aluminum, copper, other) above 1 is capped at 1. The BEA
/// direct requirements of the primary-metal industries (NAICS 331) on their own metal exceed one
/// dollar per dollar of output, and the source already caps the total `metal_share` of those rows
/// at 1; a share of value cannot exceed the value. The table keeps one warning listing the lines.
pub fn read_metal_shares(path: &Path) -> Result<MetalShares, DataError> {
    let n = METAL_COLUMNS;
    let mut csv = Csv::open(path, &n)?;
    let c = columns(&csv, n)?;
    let rows = collect_rows(&mut csv, |p, line, rec| {
        let part = |i: usize| capped_share(p, line, rec, c[i], n[i]);
        let parts = [part(3)?, part(4)?, part(5)?, part(6)?];
        let share = MetalShare {
            steel: parts[0].0,
            aluminum: parts[1].0,
            copper: parts[2].0,
            other: parts[3].0,
            total: share_field(p, line, rec, c[7], n[7])?,
        };
        let content = MetalContent {
            naics: text_field(rec, c[1]),
            bea_detail_code: opt_text(rec, c[2]),
            share,
            capped: parts.iter().any(|x| x.1),
        };
        Ok((line, hs_field(p, line, rec, c[0], n[0], Some(10))?, content))
    })?;
    let capped: Vec<u64> = rows.iter().filter(|r| r.2.capped).map(|r| r.0).collect();
    let mut table = Table::build(path, rows, "hs10", |k| k.to_string());
    if let Some(w) = capped_warning(path, &capped) {
        table.warnings.push(w);
    }
    Ok(MetalShares(table))
}

/// A share of at least 0; above 1 it is capped at 1 (second value true).
fn capped_share(
    path: &Path,
    line: u64,
    rec: &csv::StringRecord,
    idx: usize,
    name: &str,
) -> Result<(f64, bool), DataError> {
    let v = finite_field(path, line, rec, idx, name)?;
    if v < 0.0 {
        let msg = format!("{v} is out of range; expected a share of at least 0");
        return Err(DataError::at(path, Some(line), Some(name), msg));
    }
    Ok(if v > 1.0 { (1.0, true) } else { (v, false) })
}

fn capped_warning(path: &Path, lines: &[u64]) -> Option<Diagnostic> {
    let first = *lines.first()?;
    let shown: Vec<String> = lines.iter().take(5).map(u64::to_string).collect();
    Some(Diagnostic {
        file: path.to_path_buf(),
        line: Some(first),
        field: None,
        message: format!(
            "{} row(s) have a component share above 1 (primary-metal industries), capped at 1; lines {}{}",
            lines.len(),
            shown.join(", "),
            if lines.len() > 5 { ", ..." } else { "" }
        ),
    })
}

/// One line of the HS10 → GTAP crosswalk.
#[derive(Debug, Clone, PartialEq)]
pub struct GtapEntry {
    pub hs6: HsCode,
    /// The GTAP sector in lower case (`ctl`, `i_s`); `None` where the file has `NA`.
    pub gtap: Option<String>,
    pub description: String,
}

/// HS10 → HS6 → GTAP sector.
#[derive(Debug, Clone)]
pub struct GtapCrosswalk(pub Table<HsCode, GtapEntry>);

impl GtapCrosswalk {
    pub fn get(&self, hs10: &HsCode) -> Option<&GtapEntry> {
        self.0.get(hs10)
    }

    /// The GTAP sector of an HS10 line.
    pub fn sector(&self, hs10: &HsCode) -> Option<&str> {
        self.0.get(hs10).and_then(|e| e.gtap.as_deref())
    }
}

/// Reads `hs10_gtap_crosswalk.csv.gz` (`hs10,hs6_code,gtap_code,description`). The file mixes
/// upper- and lower-case GTAP codes; they are folded to lower case, GTAP's own convention.
pub fn read_gtap_crosswalk(path: &Path) -> Result<GtapCrosswalk, DataError> {
    let n = ["hs10", "hs6_code", "gtap_code", "description"];
    let mut csv = Csv::open(path, &n)?;
    let c = columns(&csv, n)?;
    let rows = collect_rows(&mut csv, |p, line, rec| {
        let hs10 = hs_field(p, line, rec, c[0], n[0], Some(10))?;
        let hs6 = hs_field(p, line, rec, c[1], n[1], Some(6))?;
        if !hs10.starts_with(&hs6) {
            let msg = format!("{hs6} is not the first six digits of hs10 {hs10}");
            return Err(DataError::at(p, Some(line), Some(n[1]), msg));
        }
        let entry = GtapEntry {
            hs6,
            gtap: opt_text(rec, c[2]).map(|g| g.to_ascii_lowercase()),
            description: text_field(rec, c[3]),
        };
        Ok((line, hs10, entry))
    })?;
    Ok(GtapCrosswalk(Table::build(path, rows, "hs10", |k| {
        k.to_string()
    })))
}

/// Census Bureau country codes (Schedule C) and names.
#[derive(Debug, Clone)]
pub struct CensusCodes(pub Table<u16, String>);

impl CensusCodes {
    /// The country name for a Census code (1220 → `Canada`).
    pub fn name(&self, code: u16) -> Option<&str> {
        self.0.get(&code).map(String::as_str)
    }
}

/// Reads `census_codes.csv` (`Code,Name`); codes are four digits.
pub fn read_census_codes(path: &Path) -> Result<CensusCodes, DataError> {
    let n = ["Code", "Name"];
    let mut csv = Csv::open(path, &n)?;
    let c = columns(&csv, n)?;
    let rows = collect_rows(&mut csv, |p, line, rec| {
        let t = rec.get(c[0]).unwrap_or("").trim();
        let code = t
            .parse::<u16>()
            .ok()
            .filter(|_| t.len() == 4)
            .ok_or_else(|| {
                let msg = format!("{t:?} is not a four-digit Census country code");
                DataError::at(p, Some(line), Some(n[0]), msg)
            })?;
        Ok((line, code, text_field(rec, c[1])))
    })?;
    Ok(CensusCodes(Table::build(path, rows, "Code", |k| {
        k.to_string()
    })))
}

/// Hauk (2012) US import demand elasticity of one HS6 product.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HaukElasticity {
    /// `impliedelasticity`: the own-price elasticity magnitude (1 − `demandprice`).
    pub elasticity: f64,
    pub demand_price: f64,
    pub se_demand_price: f64,
    pub obs: u32,
    /// `positive`: the estimate has the expected sign.
    pub expected_sign: bool,
    pub significant_1pct: bool,
    pub significant_5pct: bool,
    pub significant_10pct: bool,
}

/// Hauk (2012) elasticities by HS6 (HS 1988/92 vintage).
#[derive(Debug, Clone)]
pub struct HaukElasticities(pub Table<HsCode, HaukElasticity>);

impl HaukElasticities {
    pub fn get(&self, hs6: &HsCode) -> Option<&HaukElasticity> {
        self.0.get(hs6)
    }
}

/// Reads `hauk2012_us_import_demand_elasticity_hs6.csv.gz`.
pub fn read_hauk(path: &Path) -> Result<HaukElasticities, DataError> {
    let n = [
        "hs6",
        "impliedelasticity",
        "demandprice",
        "sedemandprice",
        "obs",
        "positive",
        "sigat1per",
        "sigat5per",
        "sigat10per",
    ];
    let mut csv = Csv::open(path, &n)?;
    let c = columns(&csv, n)?;
    let rows = collect_rows(&mut csv, |p, line, rec| {
        let num = |i: usize| finite_field(p, line, rec, c[i], n[i]);
        let flag = |i: usize| flag_field(p, line, rec, c[i], n[i]);
        let e = HaukElasticity {
            elasticity: num(1)?,
            demand_price: num(2)?,
            se_demand_price: num(3)?,
            obs: count_field(p, line, num(4)?, n[4])?,
            expected_sign: flag(5)?,
            significant_1pct: flag(6)?,
            significant_5pct: flag(7)?,
            significant_10pct: flag(8)?,
        };
        Ok((line, hs_field(p, line, rec, c[0], n[0], Some(6))?, e))
    })?;
    Ok(HaukElasticities(Table::build(path, rows, "hs6", |k| {
        k.to_string()
    })))
}

fn count_field(path: &Path, line: u64, v: f64, name: &str) -> Result<u32, DataError> {
    if v >= 0.0 && v.fract() == 0.0 && v <= f64::from(u32::MAX) {
        return Ok(v as u32);
    }
    let msg = format!("{v} is not a count (a whole number of at least 0)");
    Err(DataError::at(path, Some(line), Some(name), msg))
}

/// A positive, finite elasticity of substitution.
fn sigma_field(
    path: &Path,
    line: u64,
    rec: &csv::StringRecord,
    idx: usize,
    name: &str,
) -> Result<f64, DataError> {
    let v = finite_field(path, line, rec, idx, name)?;
    if v <= 0.0 {
        let msg = format!("{v} is not an elasticity of substitution (a positive number)");
        return Err(DataError::at(path, Some(line), Some(name), msg));
    }
    Ok(v)
}

/// Broda–Weinstein σ for US imports by HTS10 (1990–2001 vintage).
#[derive(Debug, Clone)]
pub struct BrodaWeinstein(pub Table<HsCode, f64>);

impl BrodaWeinstein {
    pub fn get(&self, hts10: &HsCode) -> Option<f64> {
        self.0.get(hts10).copied()
    }
}

/// Reads `broda_weinstein_us_sigma_hts10_1990_2001.csv.gz` (`hts,sigma`).
pub fn read_broda_weinstein(path: &Path) -> Result<BrodaWeinstein, DataError> {
    let n = ["hts", "sigma"];
    let mut csv = Csv::open(path, &n)?;
    let c = columns(&csv, n)?;
    let rows = collect_rows(&mut csv, |p, line, rec| {
        let hs = hs_field(p, line, rec, c[0], n[0], Some(10))?;
        Ok((line, hs, sigma_field(p, line, rec, c[1], n[1])?))
    })?;
    Ok(BrodaWeinstein(Table::build(path, rows, "hts", |k| {
        k.to_string()
    })))
}

/// CEPII ProTEE 0.1 elasticity of one HS6 product.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProteeElasticity {
    /// The trade elasticity to tariffs (negative); `None` when not estimated.
    pub sigma: Option<f64>,
    /// `zero`: not estimated (set to zero by the authors).
    pub zero: bool,
    /// `positive`: the estimate had the wrong (positive) sign.
    pub positive: bool,
}

/// CEPII ProTEE elasticities by HS6.
#[derive(Debug, Clone)]
pub struct Protee(pub Table<HsCode, ProteeElasticity>);

impl Protee {
    pub fn get(&self, hs6: &HsCode) -> Option<&ProteeElasticity> {
        self.0.get(hs6)
    }
}

/// Reads `cepii_protee_v0_1_hs6.csv` (`HS6,zero,positive,sigma`).
pub fn read_protee(path: &Path) -> Result<Protee, DataError> {
    let n = ["HS6", "zero", "positive", "sigma"];
    let mut csv = Csv::open(path, &n)?;
    let c = columns(&csv, n)?;
    let rows = collect_rows(&mut csv, |p, line, rec| {
        let e = ProteeElasticity {
            sigma: opt_finite_field(p, line, rec, c[3], n[3])?,
            zero: flag_field(p, line, rec, c[1], n[1])?,
            positive: flag_field(p, line, rec, c[2], n[2])?,
        };
        Ok((line, hs_field(p, line, rec, c[0], n[0], Some(6))?, e))
    })?;
    Ok(Protee(Table::build(path, rows, "HS6", |k| k.to_string())))
}

/// Broda–Greenfield–Weinstein σ by importing country (ISO3) and HS3 (HS 1988/92).
#[derive(Debug, Clone)]
pub struct BgwSigmas {
    pub table: Table<([u8; 3], u16), f64>,
    names: HashMap<[u8; 3], String>,
}

impl BgwSigmas {
    /// σ for an importer (`CAN`, `USA`) and a three-digit HS group (`872` for 87.2x).
    pub fn get(&self, iso3: &str, hs3: u16) -> Option<f64> {
        self.table.get(&(iso3_key(iso3)?, hs3)).copied()
    }

    /// σ for the HS3 group a code falls in (its first three digits).
    pub fn for_code(&self, iso3: &str, code: &HsCode) -> Option<f64> {
        let hs3 = (code.padded() / 10_000_000) as u16;
        self.get(iso3, hs3)
    }

    /// The country name the file gives for an ISO3 code.
    pub fn country_name(&self, iso3: &str) -> Option<&str> {
        self.names.get(&iso3_key(iso3)?).map(String::as_str)
    }

    /// Number of importing countries.
    pub fn countries(&self) -> usize {
        self.names.len()
    }

    /// Number of HS3 groups with a σ for an importer.
    pub fn count_for(&self, iso3: &str) -> usize {
        iso3_key(iso3).map_or(0, |k| {
            self.table.iter().filter(|((c, _), _)| *c == k).count()
        })
    }
}

fn iso3_key(iso3: &str) -> Option<[u8; 3]> {
    let b = iso3.as_bytes();
    (b.len() == 3 && b.iter().all(u8::is_ascii_uppercase)).then(|| [b[0], b[1], b[2]])
}

/// Reads `broda_greenfield_weinstein_sigma_hs3_73countries.csv.gz` (`iso3,country,hs3,sigma`).
pub fn read_bgw_sigmas(path: &Path) -> Result<BgwSigmas, DataError> {
    let n = ["iso3", "country", "hs3", "sigma"];
    let mut csv = Csv::open(path, &n)?;
    let c = columns(&csv, n)?;
    let mut names = HashMap::new();
    let rows = collect_rows(&mut csv, |p, line, rec| {
        let t = rec.get(c[0]).unwrap_or("").trim();
        let iso = iso3_key(t).ok_or_else(|| {
            let msg = format!("{t:?} is not an ISO 3166-1 alpha-3 code (three capital letters)");
            DataError::at(p, Some(line), Some(n[0]), msg)
        })?;
        let hs3 = hs3_field(p, line, rec, c[2], n[2])?;
        let sigma = sigma_field(p, line, rec, c[3], n[3])?;
        names.entry(iso).or_insert_with(|| text_field(rec, c[1]));
        Ok((line, (iso, hs3), sigma))
    })?;
    let show = |k: &([u8; 3], u16)| format!("{} HS3 {:03}", String::from_utf8_lossy(&k.0), k.1);
    let table = Table::build(path, rows, "hs3", show);
    Ok(BgwSigmas { table, names })
}

fn hs3_field(
    path: &Path,
    line: u64,
    rec: &csv::StringRecord,
    idx: usize,
    name: &str,
) -> Result<u16, DataError> {
    let t = rec.get(idx).unwrap_or("").trim();
    let ok = t.len() == 3 && t.bytes().all(|b| b.is_ascii_digit());
    t.parse::<u16>().ok().filter(|_| ok).ok_or_else(|| {
        let msg = format!("{t:?} is not a three-digit HS group");
        DataError::at(path, Some(line), Some(name), msg)
    })
}

/// HS2022 6-digit → HS1992 6-digit.
#[derive(Debug, Clone)]
pub struct HsConcordance(pub Table<HsCode, HsCode>);

impl HsConcordance {
    /// The HS1992 subheading of an HS2022 code of 6 digits or more (cut to 6 digits).
    pub fn hs1992(&self, hs2022: &HsCode) -> Option<HsCode> {
        if hs2022.level() < 6 {
            return None;
        }
        self.0.get(&hs2022.truncate(6)).copied()
    }
}

/// Reads `hs2022_to_hs1992_6digit.csv` (`hs2022_6d,hs1992_6d`).
pub fn read_hs_concordance(path: &Path) -> Result<HsConcordance, DataError> {
    let n = ["hs2022_6d", "hs1992_6d"];
    let mut csv = Csv::open(path, &n)?;
    let c = columns(&csv, n)?;
    let rows = collect_rows(&mut csv, |p, line, rec| {
        let from = hs_field(p, line, rec, c[0], n[0], Some(6))?;
        Ok((line, from, hs_field(p, line, rec, c[1], n[1], Some(6))?))
    })?;
    Ok(HsConcordance(Table::build(path, rows, "hs2022_6d", |k| {
        k.to_string()
    })))
}
