//! quid-roo: the CUSMA/USMCA automotive rules of origin. The thresholds are dated, cited data
//! ([`Rules`], read from `data/roo/automotive.toml`); a vehicle is a checked bill of materials
//! ([`Bom`]); [`evaluate`] runs the tests of the Automotive Appendix on a date and returns one
//! [`RooResult`]: the verdict, each test with value, threshold, margin and article, and the
//! content shares the Section 232 duties are taken on. No I/O: callers pass text.
//!
//! ```
//! use quid_roo::{evaluate, BomDraft, Rules};
//! let rules = Rules::parse(include_str!("../../../data/roo/automotive.toml"), "automotive.toml").unwrap();
//! let bom = BomDraft::parse(r#"
//! name = "two-part sedan"
//! class = "passenger"
//! assembly = "CA"
//! net_cost = 100
//! transaction_value = 125
//! other_costs = 20
//! [[component]]
//! hs = "8407.34"
//! value = 60
//! origin = "US"
//! originating = true
//! category = "core"
//! [[component]]
//! hs = "8708.99"
//! value = 20
//! origin = "other"
//! originating = false
//! "#, "t.toml").unwrap().check(rust_decimal::Decimal::new(5, 3)).unwrap();
//! let r = evaluate(&rules, &bom, quid_core::parse_date("2025-07-01").unwrap()).unwrap();
//! // RVC = (100 - 20) / 100 = 80% against 75% from 2023-07-01: margin 5 points.
//! assert_eq!(r.tests[0].value.unwrap().to_string(), "0.8");
//! assert_eq!(r.tests[0].margin.unwrap().to_string(), "0.05");
//! // US content = 60 / 125 = 48% of the transaction value.
//! assert_eq!(r.us_content_share.to_string(), "0.48");
//! ```

pub mod bom;
pub mod error;
pub mod evaluate;
pub mod rules;

pub use bom::{
    Bom, BomDraft, Category, Component, Labour, Metals, PartRvc, Region, RvcMethod, VehicleClass,
};
pub use error::RooError;
pub use evaluate::{evaluate, RooResult, TestResult, Verdict};
pub use rules::{Param, Rules};
