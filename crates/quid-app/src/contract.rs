//! The output contract's serde helpers (see `quid_core::schema` and `docs/output.md`): money
//! as a JSON number with exactly two decimals, decimal quantities as exact JSON numbers.

pub use quid_core::schema::{decimal, decimal_opt, money, money_opt, raw_number};

/// A list of (name, figures) pairs as named objects: `[{"name": ..., <the figures' fields>}]`
/// (never unnamed arrays).
pub fn named<S: serde::Serializer, V: serde::Serialize>(
    v: &[(String, V)],
    s: S,
) -> Result<S::Ok, S::Error> {
    #[derive(serde::Serialize)]
    struct Named<'a, V> {
        name: &'a str,
        #[serde(flatten)]
        value: &'a V,
    }
    s.collect_seq(v.iter().map(|(name, value)| Named { name, value }))
}
