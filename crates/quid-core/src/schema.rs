//! The output contract's vocabulary: the JSON Schemas of the types whose serde form is
//! hand-written (countries, HS codes, dates, decimal amounts), so that every report built from
//! them can derive its schema (`schemars`) and publish it (`docs/schemas/`), and the one rule
//! for money in JSON (`docs/output.md`): a number with exactly two decimals, written exactly.

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

/// Writes a decimal text (`-12.50`) as a JSON number exactly as written (serde_json), so that
/// money keeps its two decimals and large amounts keep their cents.
pub fn raw_number<S: Serializer>(text: &str, s: S) -> Result<S::Ok, S::Error> {
    match serde_json::value::RawValue::from_string(text.to_string()) {
        Ok(raw) => raw.serialize(s),
        Err(_) => s.serialize_none(),
    }
}

/// Money: a JSON number with exactly two decimals, rounded once half away from zero
/// (`8750.00`, `0.00`).
pub fn money<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    raw_number(&format!("{:.2}", crate::money::round_cents(*d)), s)
}

/// Optional money: `null` when absent.
pub fn money_opt<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => money(d, s),
        None => s.serialize_none(),
    }
}

/// A decimal quantity that is not money (a share, a content value): an exact JSON number.
pub fn decimal<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    raw_number(&d.normalize().to_string(), s)
}

/// Optional decimal quantity.
pub fn decimal_opt<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => decimal(d, s),
        None => s.serialize_none(),
    }
}

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use std::borrow::Cow;

impl JsonSchema for crate::Country {
    fn schema_name() -> Cow<'static, str> {
        "Country".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[A-Z]{2}$",
            "description": "ISO 3166 alpha-2 country code"
        })
    }
}

impl JsonSchema for crate::HsCode {
    fn schema_name() -> Cow<'static, str> {
        "HsCode".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[0-9]{4}(\\.[0-9]{2}){0,3}$",
            "description": "HS code, dotted (7208.10.15.00)"
        })
    }
}

/// A date, `YYYY-MM-DD` (use as `#[schemars(with = "quid_core::schema::DateText")]`).
pub struct DateText;

impl JsonSchema for DateText {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string", "format": "date"})
    }
}

/// An amount of money: a JSON number with exactly two decimals (see `docs/output.md`; use as
/// `#[schemars(with = "quid_core::schema::MoneyNumber")]` beside `serialize_with = "crate::money::serde_cents"`).
pub struct MoneyNumber;

impl JsonSchema for MoneyNumber {
    fn schema_name() -> Cow<'static, str> {
        "Money".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "number",
            "description": "an amount of money in the units of its currency, written with exactly two decimals"
        })
    }
}

/// A decimal quantity that is not money (a share, a rate): a JSON number written exactly.
pub struct DecimalNumber;

impl JsonSchema for DecimalNumber {
    fn schema_name() -> Cow<'static, str> {
        "Decimal".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "number"})
    }
}

/// An object whose fields another schema does not describe (a measure record embedded in a
/// scenario move, a chart specification): only its being an object is promised.
pub struct AnyObject;

impl JsonSchema for AnyObject {
    fn schema_name() -> Cow<'static, str> {
        "Object".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "object"})
    }
}
