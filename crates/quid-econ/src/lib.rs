//! quid-econ: the numbers built on the duty engine: rates by tariff line and authority,
//! interval panels over every policy change date, trade-weighted effective tariff rates, and
//! charts of them.
//!
//! Every rate here is computed through `quid_engine::Policy::assess` on a nominal entry, so a
//! panel cell can be traced to an assessment and from there to measures and citations. Money is
//! exact in the engine; rates and weights here are `f64` (economics is floating point).

pub mod authority;
pub mod balance;
pub mod chart;
pub mod etr;
pub mod montecarlo;
pub mod panel;
pub mod pe;
pub mod rates;
pub mod sections;
pub mod segments;
pub mod yale;

pub use authority::{authority_index, authority_name, AUTHORITY_COUNT};
pub use etr::{EtrInput, EtrLine, EtrSeries, Shares};
pub use panel::{Interval, Panel};
pub use rates::{line_rates, RateRow};
pub use segments::Segments;
