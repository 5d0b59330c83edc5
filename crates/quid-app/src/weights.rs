//! Trade weights and claim shares for effective tariff rates, from the bundled flows.
//!
//! - US imports from Canada or Mexico: 2024 Census imports for consumption by HS10 (lines with
//!   no value are left out; the denominator is the partner's total), with the USMCA-claimed
//!   share of each line from the 2024 or 2025 annual files or the 2025-2026 monthly files.
//! - Canadian imports from the US: only HS2 totals exist in the bundle (BTS, US exports to
//!   Canada, 2024). Within a chapter, the composition of US imports *from* Canada at HS6 (Census
//!   2024) stands in, and within an HS6 the Canadian tariff items named in Canada's measure lists
//!   share its value equally. Every US good is taken to enter under CUSMA (claim share 1), the
//!   surtaxes applying regardless.
//!
//! The balance's sectors group lines by chapter, with engines, transmissions and tires counted
//! with autos:
//!
//! ```
//! use quid_app::weights::{balance_sector, BALANCE_SECTORS};
//! use quid_core::HsCode;
//!
//! let sector = |code: &str| BALANCE_SECTORS[balance_sector(&HsCode::parse(code).unwrap()) as usize];
//! assert_eq!(sector("7208.10.15.00"), "steel"); // chapter 72
//! assert_eq!(sector("7604.10.10"), "aluminum"); // chapter 76
//! assert_eq!(sector("8703.23.01.90"), "autos and parts"); // chapter 87
//! assert_eq!(sector("8407.34.44"), "autos and parts"); // heading 8407, engines
//! assert_eq!(sector("2709.00.10"), "energy"); // chapter 27
//! assert_eq!(sector("4407.11.00"), "lumber and wood"); // chapter 44
//! assert_eq!(sector("0406.10"), "dairy"); // chapter 4
//! assert_eq!(sector("8471.30.01"), "others");
//! ```

use quid_core::{Country, HsCode};
use quid_data::flows::{read_bts_hs2_annual, read_census_hs10, read_usmca_monthly};
use quid_data::params::{read_gtap_crosswalk, read_usmca_shares};
use quid_data::Bundle;
use quid_data::DataError;
use quid_econ::sections::{section_of, SECTION_TITLES};
use quid_econ::{EtrInput, EtrLine, Shares};
use rust_decimal::prelude::ToPrimitive;
use std::collections::{BTreeMap, HashMap};

/// How lines are grouped for sector views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// The 21 HS sections.
    Section,
    /// GTAP sectors (US lines only, from the bundled HS10 crosswalk).
    Gtap,
    /// The sectors of the reciprocity balance: steel, aluminum, autos and parts, energy,
    /// lumber and wood, dairy, others.
    Balance,
}

/// The balance's sector names, in group order.
pub const BALANCE_SECTORS: [&str; 7] = [
    "steel",
    "aluminum",
    "autos and parts",
    "energy",
    "lumber and wood",
    "dairy",
    "others",
];

/// The balance sector of a line: by chapter, with engines, transmissions and tires counted
/// with autos.
pub fn balance_sector(hs: &HsCode) -> u16 {
    let h4 = (hs.truncate(4).padded() / 1_000_000) as u16;
    match hs.chapter() {
        72 | 73 => 0,
        76 => 1,
        87 => 2,
        _ if matches!(h4, 8407 | 8408 | 8409 | 8483 | 4011) => 2,
        27 => 3,
        44 => 4,
        4 => 5,
        _ => 6,
    }
}

/// Import-demand elasticities by line (Hauk 2012, US, HS6 via the HS2022-HS1992
/// concordance), read once for any number of line lists; lines without an estimate take the
/// median.
pub struct Elasticities {
    hauk: quid_data::params::HaukElasticities,
    conc: quid_data::params::HsConcordance,
    /// The median of the positive estimates (1 if there are none).
    pub median: f64,
    /// The median of the estimates' standard errors, for lines that take the median.
    median_se: f64,
}

impl Elasticities {
    /// Reads the bundled estimates and concordance.
    pub fn load(bundle: &Bundle) -> Result<Elasticities, DataError> {
        let hauk = quid_data::params::read_hauk(
            &bundle.elasticity("hauk2012_us_import_demand_elasticity_hs6.csv.gz"),
        )?;
        let conc = quid_data::params::read_hs_concordance(
            &bundle.concordance("hs2022_to_hs1992_6digit.csv"),
        )?;
        let mut all: Vec<f64> = hauk
            .0
            .iter()
            .map(|(_, e)| e.elasticity)
            .filter(|e| e.is_finite() && *e > 0.0)
            .collect();
        all.sort_by(f64::total_cmp);
        let median = all.get(all.len() / 2).copied().unwrap_or(1.0);
        let mut ses: Vec<f64> = hauk
            .0
            .iter()
            .map(|(_, e)| e.se_demand_price)
            .filter(|x| x.is_finite() && *x > 0.0)
            .collect();
        ses.sort_by(f64::total_cmp);
        let median_se = ses.get(ses.len() / 2).copied().unwrap_or(0.5);
        Ok(Elasticities {
            hauk,
            conc,
            median,
            median_se,
        })
    }

    /// The elasticities of `lines`, in their order.
    pub fn of(&self, lines: &[HsCode]) -> Vec<f64> {
        self.with_errors(lines).into_iter().map(|e| e.0).collect()
    }
}

impl Elasticities {
    /// The elasticities of `lines` with their standard errors (Hauk's standard error of the
    /// demand-price coefficient, which is the elasticity's), and whether each is an estimate
    /// (`false`: the median stands in, with the median standard error).
    pub fn with_errors(&self, lines: &[HsCode]) -> Vec<(f64, f64, bool)> {
        let median_se = self.median_se;
        lines
            .iter()
            .map(|hs| {
                let h6 = hs.truncate(6);
                self.conc
                    .hs1992(&h6)
                    .and_then(|old| self.hauk.get(&old))
                    .or_else(|| self.hauk.get(&h6))
                    .filter(|e| e.elasticity.is_finite() && e.elasticity > 0.0)
                    .map(|e| {
                        let se = if e.se_demand_price.is_finite() && e.se_demand_price > 0.0 {
                            e.se_demand_price
                        } else {
                            median_se
                        };
                        (e.elasticity, se, true)
                    })
                    .unwrap_or((self.median, median_se, false))
            })
            .collect()
    }
}

/// Elasticities of substitution between sources (Armington σ): Broda-Weinstein by US HTS10
/// (1990-2001), else Broda-Greenfield-Weinstein by HS3 for the importing country (1994-2003),
/// else the median of the importer's BGW estimates.
pub struct Substitution {
    bw: quid_data::params::BrodaWeinstein,
    bgw: quid_data::params::BgwSigmas,
}

/// Where a line's σ came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SigmaSource {
    BrodaWeinsteinHts10,
    BgwHs3,
    Median,
}

impl Substitution {
    /// Reads the bundled tables.
    pub fn load(bundle: &Bundle) -> Result<Substitution, DataError> {
        Ok(Substitution {
            bw: quid_data::params::read_broda_weinstein(
                &bundle.elasticity("broda_weinstein_us_sigma_hts10_1990_2001.csv.gz"),
            )?,
            bgw: quid_data::params::read_bgw_sigmas(
                &bundle.elasticity("broda_greenfield_weinstein_sigma_hs3_73countries.csv.gz"),
            )?,
        })
    }

    /// σ of each line for an importer (`USA` or `CAN`), with its source. Values at or below 1
    /// (sources that are complements) are raised to 1.01, where the Armington model is defined.
    pub fn of(&self, iso3: &str, lines: &[HsCode]) -> Vec<(f64, SigmaSource)> {
        let mut own: Vec<f64> = (0u16..1000)
            .filter_map(|h| self.bgw.get(iso3, h))
            .filter(|x| x.is_finite())
            .collect();
        own.sort_by(f64::total_cmp);
        let median = own.get(own.len() / 2).copied().unwrap_or(3.0);
        lines
            .iter()
            .map(|hs| {
                let bw = (iso3 == "USA")
                    .then(|| self.bw.get(hs))
                    .flatten()
                    .filter(|x| x.is_finite());
                let (v, src) = match bw {
                    Some(v) => (v, SigmaSource::BrodaWeinsteinHts10),
                    None => match self.bgw.for_code(iso3, hs).filter(|x| x.is_finite()) {
                        Some(v) => (v, SigmaSource::BgwHs3),
                        None => (median, SigmaSource::Median),
                    },
                };
                (v.max(1.01), src)
            })
            .collect()
    }
}

/// CAD values by (year, month) and tariff item.
pub type CimtMonths = BTreeMap<(i32, u8), BTreeMap<HsCode, f64>>;

/// Canadian imports from the US by month and tariff item from a Statistics Canada CIMT extract
/// (columns `hs`, `country`, `province`, `value` (CAD), `quantity`, `year`, `month`): US-origin
/// rows summed over provinces, values in CAD. Every bad row is reported at once.
pub fn cimt_by_month(path: &std::path::Path) -> Result<CimtMonths, DataError> {
    let mut csv = quid_data::reader::Csv::open(
        path,
        &[
            "hs", "country", "province", "value", "quantity", "year", "month",
        ],
    )?;
    let c = |n: &str| csv.col(n).unwrap_or(0);
    let (ih, ic, iv, iy, im) = (c("hs"), c("country"), c("value"), c("year"), c("month"));
    let p = csv.path.clone();
    let mut diags = quid_data::Diagnostics::default();
    let mut out: BTreeMap<(i32, u8), BTreeMap<HsCode, f64>> = BTreeMap::new();
    for rec in csv.records() {
        let (line, rec) = match rec {
            Ok(x) => x,
            Err(e) => {
                diags.extend_from(&e);
                continue;
            }
        };
        let country = rec.get(ic).unwrap_or("").trim().to_ascii_uppercase();
        if !matches!(country.as_str(), "US" | "USA" | "UNITED STATES" | "9") {
            continue;
        }
        let year = match rec.get(iy).unwrap_or("").trim().parse::<i32>() {
            Ok(y) => y,
            Err(_) => {
                diags.push(
                    &p,
                    Some(line),
                    Some("year"),
                    format!("{:?} is not a year", rec.get(iy).unwrap_or("")),
                );
                continue;
            }
        };
        let month = match rec.get(im).unwrap_or("").trim().parse::<u8>() {
            Ok(m) if (1..=12).contains(&m) => m,
            _ => {
                diags.push(
                    &p,
                    Some(line),
                    Some("month"),
                    format!(
                        "{:?} is not a month from 1 to 12",
                        rec.get(im).unwrap_or("")
                    ),
                );
                continue;
            }
        };
        let hs = match HsCode::parse(rec.get(ih).unwrap_or("")) {
            Ok(h) => h,
            Err(e) => {
                diags.push(&p, Some(line), Some("hs"), e.to_string());
                continue;
            }
        };
        match rec.get(iv).unwrap_or("").trim().parse::<f64>() {
            Ok(v) if v >= 0.0 && v.is_finite() => {
                *out.entry((year, month)).or_default().entry(hs).or_default() += v
            }
            _ => diags.push(
                &p,
                Some(line),
                Some("value"),
                format!("{:?} is not a value in CAD", rec.get(iv).unwrap_or("")),
            ),
        }
    }
    diags.into_result()?;
    Ok(out)
}

/// Canadian imports from the US at tariff-item level from a Statistics Canada CIMT extract
/// (see [`cimt_by_month`]): the value of US-origin rows of `year`, summed by code over
/// provinces and months. Values in CAD.
pub fn ca_imports_from_cimt(path: &std::path::Path, year: i32) -> Result<EtrInput, DataError> {
    let mut sum: BTreeMap<HsCode, f64> = BTreeMap::new();
    for ((_, _), items) in cimt_by_month(path)?
        .into_iter()
        .filter(|((y, _), _)| *y == year)
    {
        for (hs, v) in items {
            *sum.entry(hs).or_default() += v;
        }
    }
    let total = sum.values().sum();
    let lines: Vec<EtrLine> = sum
        .into_iter()
        .map(|(hs, weight)| EtrLine {
            hs,
            weight,
            group: section_index(&hs),
        })
        .collect();
    let shares = Shares::Annual(lines.iter().map(|l| (l.hs, 1.0)).collect());
    Ok(EtrInput {
        lines,
        total_weight: total,
        shares,
        groups: section_groups(),
    })
}

/// Which claim shares to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareMode {
    None,
    Annual2024,
    Annual2025,
    Monthly,
    /// The Budget Lab tracker's `since` mode: each line's claimed value over its imports,
    /// summed over every monthly file from 2025-07 (a trade-weighted average of the monthly
    /// shares), the 2025 annual share for a line with no imports then.
    Since,
    /// The tracker's `h2_average`: the same over July to December 2025.
    H2Average,
}

impl ShareMode {
    /// The name used on the command line: none, 2024, 2025 or monthly.
    pub fn name(self) -> &'static str {
        match self {
            ShareMode::None => "none",
            ShareMode::Annual2024 => "2024",
            ShareMode::Annual2025 => "2025",
            ShareMode::Monthly => "monthly",
            ShareMode::Since => "since",
            ShareMode::H2Average => "h2_average",
        }
    }
}

impl std::str::FromStr for ShareMode {
    type Err = String;
    fn from_str(text: &str) -> Result<ShareMode, String> {
        Ok(match text {
            "none" => ShareMode::None,
            "2024" => ShareMode::Annual2024,
            "2025" => ShareMode::Annual2025,
            "monthly" => ShareMode::Monthly,
            "since" => ShareMode::Since,
            "h2_average" => ShareMode::H2Average,
            other => {
                return Err(format!(
                    "{other:?}: expected none, 2024, 2025, monthly, since or h2_average"
                ))
            }
        })
    }
}

fn section_groups() -> Vec<String> {
    let mut g: Vec<String> = SECTION_TITLES.iter().map(|s| s.to_string()).collect();
    g.push("Chapters 98-99 (national)".into());
    g
}

fn section_index(hs: &HsCode) -> u16 {
    section_of(hs.chapter()).map_or(21, |s| u16::from(s) - 1)
}

/// Which year's imports weight the lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeightYear {
    /// 2024 Census imports for consumption by HS10 (the tracker's weights).
    Y2024,
    /// 2025 imports by HS10 summed from the twelve monthly USMCA files (Canada and Mexico).
    Y2025,
}

impl std::str::FromStr for WeightYear {
    type Err = String;
    fn from_str(text: &str) -> Result<WeightYear, String> {
        match text {
            "2024" => Ok(WeightYear::Y2024),
            "2025" => Ok(WeightYear::Y2025),
            other => Err(format!("{other:?}: expected 2024 or 2025")),
        }
    }
}

/// (HS10, value) pairs of US imports from `partner` in the chosen year.
fn us_import_values(
    bundle: &Bundle,
    partner: Country,
    year: WeightYear,
) -> Result<Vec<(HsCode, f64)>, DataError> {
    match year {
        WeightYear::Y2024 => Ok(read_census_hs10(&bundle.census_hs10_2024())?
            .iter()
            .map(|f| {
                (
                    f.hs10,
                    f.value(partner).and_then(|v| v.to_f64()).unwrap_or(0.0),
                )
            })
            .collect()),
        WeightYear::Y2025 => {
            let monthly = read_usmca_monthly(&bundle.usmca_monthly_dir())?;
            let mut sum: BTreeMap<HsCode, f64> = BTreeMap::new();
            for ((y, _), month) in &monthly.months {
                if *y != 2025 {
                    continue;
                }
                for r in month.rows.iter().filter(|r| r.partner == partner) {
                    *sum.entry(r.hs10).or_default() += r.total_value.to_f64().unwrap_or(0.0);
                }
            }
            Ok(sum.into_iter().collect())
        }
    }
}

/// US imports from `partner` (CA or MX), 2024 weights.
pub fn us_imports(
    bundle: &Bundle,
    partner: Country,
    grouping: Grouping,
    shares: ShareMode,
) -> Result<EtrInput, DataError> {
    us_imports_weighted(bundle, partner, grouping, shares, WeightYear::Y2024)
}

/// US imports from `partner` with the chosen weight year.
pub fn us_imports_weighted(
    bundle: &Bundle,
    partner: Country,
    grouping: Grouping,
    shares: ShareMode,
    year: WeightYear,
) -> Result<EtrInput, DataError> {
    let flows = us_import_values(bundle, partner, year)?;
    let mut lines = Vec::new();
    let mut total = 0.0;
    let gtap = match grouping {
        Grouping::Gtap => Some(read_gtap_crosswalk(&bundle.gtap_crosswalk())?),
        Grouping::Section | Grouping::Balance => None,
    };
    let mut groups: Vec<String> = match grouping {
        Grouping::Section => section_groups(),
        Grouping::Gtap => Vec::new(),
        Grouping::Balance => BALANCE_SECTORS.iter().map(|s| s.to_string()).collect(),
    };
    let mut group_ids: HashMap<String, u16> = HashMap::new();
    for &(hs10, w) in &flows {
        if w <= 0.0 {
            continue;
        }
        total += w;
        let group = match &gtap {
            None if grouping == Grouping::Balance => balance_sector(&hs10),
            None => section_index(&hs10),
            Some(cw) => {
                let name = cw.sector(&hs10).unwrap_or("unmapped").to_string();
                let next = groups.len() as u16;
                *group_ids.entry(name.clone()).or_insert_with(|| {
                    groups.push(name);
                    next
                })
            }
        };
        lines.push(EtrLine {
            hs: hs10,
            weight: w,
            group,
        });
    }
    let shares = match shares {
        ShareMode::None => Shares::None,
        ShareMode::Annual2024 | ShareMode::Annual2025 => {
            let year = if shares == ShareMode::Annual2024 {
                2024
            } else {
                2025
            };
            let t = read_usmca_shares(&bundle.usmca_shares(year))?;
            Shares::Annual(
                lines
                    .iter()
                    .filter_map(|l| t.get(&l.hs, partner).map(|s| (l.hs, s)))
                    .collect(),
            )
        }
        ShareMode::Since | ShareMode::H2Average => {
            let annual = read_usmca_shares(&bundle.usmca_shares(2025))?;
            let monthly = read_usmca_monthly(&bundle.usmca_monthly_dir())?;
            let last = if shares == ShareMode::H2Average {
                (2025, 12)
            } else {
                (i32::MAX, 12)
            };
            let mut pooled = pooled_shares(&monthly, partner, (2025, 7), last, |hs| {
                annual.get(hs, partner)
            });
            // Lines absent from every month of the window take the annual share too.
            for l in &lines {
                if let (false, Some(s)) = (pooled.contains_key(&l.hs), annual.get(&l.hs, partner)) {
                    pooled.insert(l.hs, s);
                }
            }
            Shares::Annual(pooled)
        }
        ShareMode::Monthly => {
            let annual = read_usmca_shares(&bundle.usmca_shares(2025))?;
            let fallback = lines
                .iter()
                .filter_map(|l| annual.get(&l.hs, partner).map(|s| (l.hs, s)))
                .collect();
            let monthly = read_usmca_monthly(&bundle.usmca_monthly_dir())?;
            let mut months = BTreeMap::new();
            for ((y, m), month) in &monthly.months {
                let map: HashMap<HsCode, f64> = lines
                    .iter()
                    .filter_map(|l| month.get(&l.hs, partner).map(|r| (l.hs, r.usmca_share)))
                    .collect();
                months.insert((*y as i16, *m as i8), map);
            }
            Shares::Monthly { months, fallback }
        }
    };
    Ok(EtrInput {
        lines,
        total_weight: total,
        shares,
        groups,
    })
}

/// Each line's claimed share pooled over the months from `first` to `last` (both included):
/// claimed value over imports, so the months weigh by their trade; a line with no imports in
/// those months takes `fallback`'s share (0 without one).
pub fn pooled_shares(
    monthly: &quid_data::flows::UsmcaMonthly,
    partner: Country,
    first: (i32, u8),
    last: (i32, u8),
    fallback: impl Fn(&HsCode) -> Option<f64>,
) -> HashMap<HsCode, f64> {
    let mut sums: HashMap<HsCode, (f64, f64)> = HashMap::new();
    for ((y, m), month) in &monthly.months {
        if (*y, *m) < first || (*y, *m) > last {
            continue;
        }
        for r in month.rows.iter().filter(|r| r.partner == partner) {
            let e = sums.entry(r.hs10).or_default();
            e.0 += r.usmca_value.to_f64().unwrap_or(0.0);
            e.1 += r.total_value.to_f64().unwrap_or(0.0);
        }
    }
    sums.into_iter()
        .filter_map(|(hs, (claimed, total))| {
            if total > 0.0 {
                Some((hs, (claimed / total).clamp(0.0, 1.0)))
            } else {
                fallback(&hs).map(|s| (hs, s))
            }
        })
        .collect()
}

/// The Canadian tariff items (8 digits or more) named in Canada's measures: the `items` of
/// [`ca_imports_from_us`] and [`ca_imports_from_us_grouped`].
pub fn ca_measure_items(policy: &quid_engine::Policy) -> Vec<HsCode> {
    policy
        .included_codes(Country::CA)
        .into_iter()
        .filter(|c| c.level() >= 8)
        .collect()
}

/// Canadian imports from the US, from HS2 totals with the stand-ins described in the module
/// documentation. `items` are the Canadian tariff items named in Canada's measures.
pub fn ca_imports_from_us(
    bundle: &Bundle,
    items: &[HsCode],
    year: i32,
) -> Result<EtrInput, DataError> {
    ca_imports_from_us_grouped(bundle, items, year, Grouping::Section)
}

/// As [`ca_imports_from_us`], grouped by sections or balance sectors.
pub fn ca_imports_from_us_grouped(
    bundle: &Bundle,
    items: &[HsCode],
    year: i32,
    grouping: Grouping,
) -> Result<EtrInput, DataError> {
    let group_of = |h: &HsCode| {
        if grouping == Grouping::Balance {
            balance_sector(h)
        } else {
            section_index(h)
        }
    };
    let hs2 = read_bts_hs2_annual(&bundle.bts_hs2_annual())?;
    let census = read_census_hs10(&bundle.census_hs10_2024())?;
    // HS6 composition of US imports from Canada, by chapter.
    let mut hs6: BTreeMap<HsCode, f64> = BTreeMap::new();
    for f in &census {
        let v = f.value(Country::CA).and_then(|v| v.to_f64()).unwrap_or(0.0);
        if v > 0.0 {
            *hs6.entry(f.hs10.truncate(6)).or_default() += v;
        }
    }
    let mut chapter_total: HashMap<u8, f64> = HashMap::new();
    for (h, v) in &hs6 {
        *chapter_total.entry(h.chapter()).or_default() += v;
    }
    let mut items_by_hs6: HashMap<HsCode, Vec<HsCode>> = HashMap::new();
    for it in items {
        if it.level() >= 8 {
            items_by_hs6
                .entry(it.truncate(6))
                .or_default()
                .push(it.truncate(8));
        }
    }
    for v in items_by_hs6.values_mut() {
        v.sort();
        v.dedup();
    }
    let mut lines = Vec::new();
    let mut total = 0.0;
    for row in hs2.iter().filter(|r| r.year == year) {
        let w = row
            .exports_to(Country::CA)
            .and_then(|v| v.to_f64())
            .unwrap_or(0.0);
        if w <= 0.0 {
            continue;
        }
        total += w;
        let Some(ct) = chapter_total.get(&row.hs2).copied().filter(|t| *t > 0.0) else {
            continue;
        };
        for (h, v) in hs6.range(
            HsCode::parse(&format!("{:02}", row.hs2)).map_err(|e| {
                DataError::at(bundle.bts_hs2_annual(), None, Some("hs2"), e.to_string())
            })?..,
        ) {
            if h.chapter() != row.hs2 {
                break;
            }
            let hw = w * v / ct;
            match items_by_hs6.get(h) {
                Some(its) => {
                    for it in its {
                        lines.push(EtrLine {
                            hs: *it,
                            weight: hw / its.len() as f64,
                            group: group_of(it),
                        });
                    }
                }
                None => lines.push(EtrLine {
                    hs: *h,
                    weight: hw,
                    group: group_of(h),
                }),
            }
        }
    }
    let shares = Shares::Annual(lines.iter().map(|l| (l.hs, 1.0)).collect());
    Ok(EtrInput {
        lines,
        total_weight: total,
        shares,
        groups: if grouping == Grouping::Balance {
            BALANCE_SECTORS.iter().map(|s| s.to_string()).collect()
        } else {
            section_groups()
        },
    })
}

#[cfg(test)]
mod pooled_tests {
    use super::*;
    use quid_data::flows::{UsmcaMonth, UsmcaMonthRow, UsmcaMonthly};
    use rust_decimal::Decimal;

    fn month(y: i32, m: u8, rows: &[(&str, i64, i64)]) -> ((i32, u8), UsmcaMonth) {
        (
            (y, m),
            UsmcaMonth {
                year: y,
                month: m,
                path: std::path::PathBuf::new(),
                rows: rows
                    .iter()
                    .map(|(hs, total, claimed)| UsmcaMonthRow {
                        hs10: HsCode::parse(hs).unwrap(),
                        partner: Country::CA,
                        usmca_share: 0.0,
                        total_value: Decimal::from(*total),
                        usmca_value: Decimal::from(*claimed),
                    })
                    .collect(),
            },
        )
    }

    /// Line A: June 100 of which 0 claimed (before the window), July 100 of which 50, January
    /// 2026 300 of which 300. `since` pools July to the last file: (50 + 300) / (100 + 300) =
    /// 0.875; `h2_average` July to December: 50 / 100 = 0.5. Line B has no imports in the
    /// window and takes the fallback 0.3.
    #[test]
    fn pooled_shares_weigh_months_by_trade() {
        let monthly = UsmcaMonthly {
            months: BTreeMap::from([
                month(2025, 6, &[("0101210010", 100, 0), ("0101210020", 10, 10)]),
                month(2025, 7, &[("0101210010", 100, 50), ("0101210020", 0, 0)]),
                month(2026, 1, &[("0101210010", 300, 300)]),
            ]),
        };
        let a = HsCode::parse("0101210010").unwrap();
        let b = HsCode::parse("0101210020").unwrap();
        let fallback = |_: &HsCode| Some(0.3);
        let since = pooled_shares(&monthly, Country::CA, (2025, 7), (i32::MAX, 12), fallback);
        assert_eq!((since[&a], since[&b]), (0.875, 0.3));
        let h2 = pooled_shares(&monthly, Country::CA, (2025, 7), (2025, 12), fallback);
        assert_eq!((h2[&a], h2[&b]), (0.5, 0.3));
        assert_eq!("h2_average".parse::<ShareMode>(), Ok(ShareMode::H2Average));
        assert_eq!(ShareMode::Since.name(), "since");
    }
}
