//! The bundled dataset: where it is and the paths of its files.
//!
//! The folder is found from `QUID_DATA`, then `./data` (a checkout's root), then the folder
//! the binary was built from. Every path quid reads is named here, once.
//!
//! ```
//! use quid_data::Bundle;
//! use std::path::Path;
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");
//! // `QUID_DATA` is looked at first.
//! std::env::set_var("QUID_DATA", dir);
//! let bundle = Bundle::locate().unwrap();
//! assert_eq!(bundle.root, Path::new(dir));
//! assert!(bundle.root.join("SOURCES.md").is_file());
//! // Paths are named once, here; some take a year or a file name.
//! let root = Path::new(dir);
//! assert_eq!(bundle.hts_revisions(), root.join("hts/hts_revision_effective_dates.csv"));
//! assert_eq!(bundle.usmca_shares(2025), root.join("params/usmca_product_shares_2025.csv.gz"));
//! let elsewhere = Bundle::at("/srv/quid-data");
//! assert_eq!(elsewhere.ledger(), Path::new("/srv/quid-data/ledger/events.toml"));
//! ```

use crate::error::DataError;
use std::path::{Path, PathBuf};

/// The bundled data folder.
#[derive(Debug, Clone)]
pub struct Bundle {
    pub root: PathBuf,
}

impl Bundle {
    /// Finds the bundled data folder.
    pub fn locate() -> Result<Bundle, DataError> {
        let mut tried = Vec::new();
        let mut candidates = Vec::new();
        if let Ok(p) = std::env::var("QUID_DATA") {
            candidates.push(PathBuf::from(p));
        }
        candidates.push(PathBuf::from("data"));
        candidates.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data"));
        for c in candidates {
            if c.join("SOURCES.md").is_file() {
                return Ok(Bundle { root: c });
            }
            tried.push(c.display().to_string());
        }
        Err(DataError::NoBundle(tried.join(", ")))
    }

    /// A bundle rooted at `root` (tests use a copy).
    pub fn at(root: impl Into<PathBuf>) -> Bundle {
        Bundle { root: root.into() }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn hts_2025_basic(&self) -> PathBuf {
        self.path("hts/hts_2025_basic.csv.gz")
    }
    pub fn hts_2026_rev10(&self) -> PathBuf {
        self.path("hts/hts_2026_rev10.json.gz")
    }
    pub fn hts_revisions(&self) -> PathBuf {
        self.path("hts/hts_revision_effective_dates.csv")
    }
    pub fn cbsa_sample(&self) -> PathBuf {
        self.path("cbsa/ca_tariff_2026_sample_ch01_ch02.csv")
    }
    pub fn bts_hs2_annual(&self) -> PathBuf {
        self.path("flows/us_ca_mx_trade_hs2_annual_2007_2025.csv")
    }
    pub fn bts_annual_totals(&self) -> PathBuf {
        self.path("flows/transborder_annual_totals_by_mode_1993_2025.csv")
    }
    pub fn census_hs10_2024(&self) -> PathBuf {
        self.path("flows/us_imports_2024_hs10_by_partner.csv.gz")
    }
    pub fn census_hs2_2024(&self) -> PathBuf {
        self.path("flows/us_imports_2024_hs2_by_partner.csv")
    }
    /// Monthly USMCA files, `usmca_product_shares_YYYY_MM.csv.gz`.
    pub fn usmca_monthly_dir(&self) -> PathBuf {
        self.path("flows/usmca_monthly")
    }
    pub fn usmca_shares(&self, year: i16) -> PathBuf {
        self.path(&format!("params/usmca_product_shares_{year}.csv.gz"))
    }
    /// The dated law parameters (base-rate columns, content defaults, edition dates).
    pub fn law(&self) -> PathBuf {
        self.path("params/law.toml")
    }
    /// The plausibility bounds of the checks.
    pub fn checks(&self) -> PathBuf {
        self.path("params/checks.toml")
    }
    pub fn metal_content(&self) -> PathBuf {
        self.path("params/metal_content_shares_bea_hs10.csv.gz")
    }
    pub fn gtap_crosswalk(&self) -> PathBuf {
        self.path("params/hs10_gtap_crosswalk.csv.gz")
    }
    pub fn census_codes(&self) -> PathBuf {
        self.path("params/census_codes.csv")
    }
    pub fn us_list(&self, name: &str) -> PathBuf {
        self.path(&format!("us_measures/{name}"))
    }
    pub fn ca_surtax_orders(&self) -> PathBuf {
        self.path("ca_measures/canada_surtax_orders_us_goods_2025.csv")
    }
    pub fn ca_remission_items(&self) -> PathBuf {
        self.path("ca_measures/canada_us_surtax_remission_order_2025_items.csv")
    }
    pub fn measures_dir(&self) -> PathBuf {
        self.path("measures")
    }
    pub fn ledger(&self) -> PathBuf {
        self.path("ledger/events.toml")
    }
    pub fn measure_catalogue(&self) -> PathBuf {
        self.path("ledger/measure_catalogue.csv")
    }
    pub fn fx(&self) -> PathBuf {
        self.path("fx/usd_cad.csv")
    }
    /// Published collections (duties collected, realized rates, remissions).
    pub fn published_collections(&self) -> PathBuf {
        self.path("collections/published.csv")
    }
    /// The realized view's assumptions.
    pub fn realized_params(&self) -> PathBuf {
        self.path("params/realized.toml")
    }
    pub fn elasticity(&self, name: &str) -> PathBuf {
        self.path(&format!("elasticities/{name}"))
    }
    pub fn concordance(&self, name: &str) -> PathBuf {
        self.path(&format!("concordance/{name}"))
    }
}
