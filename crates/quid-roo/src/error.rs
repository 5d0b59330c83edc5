//! The errors of reading rules and bills of materials and of evaluating them.

use rust_decimal::Decimal;

/// What went wrong; every message names the file, parameter, field or component.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RooError {
    /// The rules file does not read or lacks a parameter.
    #[error("rules {at}: {why}")]
    Rules { at: String, why: String },
    /// A parameter asked for or changed (a scenario move) does not exist or is out of range.
    #[error("rules-of-origin parameter {name}: {why}")]
    Parameter { name: String, why: String },
    /// The bill of materials does not read.
    #[error("bill of materials {at}: {why}")]
    Bom { at: String, why: String },
    /// A vehicle-level field of the bill of materials.
    #[error("bill of materials: field {field}: {why}")]
    Field { field: String, why: String },
    /// One component (numbered from 1 in the order written) is wrong.
    #[error("bill of materials: component {index} (HS {hs}): {why}")]
    Component {
        index: usize,
        hs: String,
        why: String,
    },
    /// The components and other costs do not add up to the declared net cost.
    #[error(
        "bill of materials: components {listed} + other costs {other} = {sum}, but net cost is \
         {net_cost} (tolerance {tolerance} of net cost){detail}"
    )]
    DoesNotAddUp {
        listed: Decimal,
        other: Decimal,
        sum: Decimal,
        net_cost: Decimal,
        tolerance: Decimal,
        detail: String,
    },
}
