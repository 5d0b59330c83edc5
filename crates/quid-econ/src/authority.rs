//! Authority classes as small indexes, for compact rate rows: `mfn` (the base duty, whatever its
//! programme) and every authority of the engine's vocabulary.

use quid_engine::policy::AUTHORITIES;

/// Number of authority indexes (the base duty plus the engine's classes).
pub const AUTHORITY_COUNT: usize = AUTHORITIES.len() + 1;

/// The index of an authority name; base-duty names (mfn, usmca, ust, ca-mfn) are 0.
pub fn authority_index(name: &str) -> u8 {
    if matches!(name, "mfn" | "usmca" | "ust" | "ca-mfn") {
        return 0;
    }
    AUTHORITIES
        .iter()
        .position(|a| *a == name)
        .map_or(0, |i| (i + 1) as u8)
}

/// The name of an authority index.
pub fn authority_name(i: u8) -> &'static str {
    if i == 0 {
        "mfn"
    } else {
        AUTHORITIES.get(i as usize - 1).copied().unwrap_or("?")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for a in AUTHORITIES {
            if a != "mfn" {
                assert_eq!(authority_name(authority_index(a)), a);
            }
        }
        assert_eq!(authority_index("usmca"), 0);
    }
}
