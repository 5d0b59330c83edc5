//! Authority classes as small indexes, for compact rate rows: the position of an authority in
//! the engine's vocabulary, where `mfn` (index 0) stands for the base duty whatever its programme.
//!
//! ```
//! use quid_econ::{authority_index, authority_name, AUTHORITY_COUNT};
//! assert_eq!(authority_index("s232-steel"), 1);
//! assert_eq!(authority_name(1), "s232-steel");
//! // Every base-duty column folds into index 0.
//! let base = ["mfn", "usmca", "ust", "ca-mfn"].map(authority_index);
//! assert_eq!(base, [0, 0, 0, 0]);
//! // Indexes size fixed arrays, such as an ETR's rates by authority.
//! let mut by_authority = [0.0; AUTHORITY_COUNT];
//! let ieepa = authority_index("ieepa-ca");
//! by_authority[usize::from(ieepa)] += 0.25;
//! assert_eq!((ieepa, by_authority[12]), (12, 0.25));
//! ```

use quid_engine::policy::AUTHORITIES;

/// Number of authority indexes.
pub const AUTHORITY_COUNT: usize = AUTHORITIES.len();

/// The index of an authority name. The base-duty names that are not measure authorities (usmca,
/// ust, mxt, ca-mfn) are 0, like `mfn`; every measure's authority is checked against
/// [`AUTHORITIES`] when the measures compile, so no other name reaches here.
pub fn authority_index(name: &str) -> u8 {
    AUTHORITIES
        .iter()
        .position(|a| *a == name)
        .map_or(0, |i| i as u8)
}

/// The name of an authority index.
pub fn authority_name(i: u8) -> &'static str {
    AUTHORITIES.get(usize::from(i)).copied().unwrap_or("?")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        assert_eq!(AUTHORITIES[0], "mfn");
        for a in AUTHORITIES {
            assert_eq!(authority_name(authority_index(a)), a);
        }
        for base in ["usmca", "ust", "mxt", "ca-mfn"] {
            assert_eq!(authority_index(base), 0, "{base}");
        }
    }
}
