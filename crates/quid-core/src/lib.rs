//! quid-core: the vocabulary every other quid crate speaks.
//!
//! It owns the small, validated value types of the trade-policy domain and nothing else:
//! HS codes ([`HsCode`]), countries ([`Country`]), money ([`Money`], [`Currency`]), units and
//! quantities ([`Unit`], [`Quantity`]), tariff rate expressions ([`rate::RateExpr`]), dated
//! periods ([`Period`]), citations ([`Citation`]) and confidence grades ([`Confidence`]). No I/O lives here (the one reader adapter,
//! [`lines::tap`], only watches bytes another reader reads).
//!
//! ```
//! use quid_core::{HsCode, rate::RateExpr};
//! let hs: HsCode = "7208.10.15.00".parse().unwrap();
//! assert_eq!(hs.level(), 10);
//! let rate: RateExpr = "2.4¢/kg + 5%".parse().unwrap();
//! assert!(rate.is_numeric());
//! ```

pub mod citation;
pub mod confidence;
pub mod country;
pub mod hs;
pub mod ledger;
pub mod lines;
pub mod money;
pub mod period;
pub mod problem;
pub mod rate;
pub mod schema;
pub mod unit;

pub use citation::{Citation, CitationKind, OFFICIAL_HOSTS};
pub use confidence::{Confidence, ConfidenceError};
pub use country::{Country, CountryError, CountrySet};
pub use hs::{HsCode, HsError, IntBuildHasher, IntHasher, Notation};
pub use money::{Currency, Money, MoneyError};
pub use period::{parse_date, Date, Period, PeriodError};
pub use problem::{Check, Location, Problem};
pub use unit::{Quantity, Unit};
