//! Authority classes: the legal basis a layer of duty is charged under (`s232-steel`,
//! `ieepa-ca`, `ca-surtax-2025-1`, ...) and the base-duty programmes (`mfn`, `usmca`, `ust`,
//! `mxt`, `ca-mfn`), as a one-byte index into this fixed vocabulary. Comparing two authorities
//! compares bytes, and a measure class is one bit of a stacking rule's mask; the names are read
//! and written only at the edges (measure files, output).
//!
//! An authority is read from its name, compares as a byte, and writes back the same name:
//!
//! ```
//! use quid_engine::Authority;
//!
//! let steel = Authority::parse("s232-steel").unwrap();
//! // Second in `AUTHORITIES`, after `mfn`.
//! assert_eq!(steel.index(), 1);
//! assert_eq!(steel.as_str(), "s232-steel");
//! assert!(steel.is_measure_class());
//! // A base-duty programme is indexed after the 23 measure classes and is no measure class.
//! assert_eq!(Authority::parse("usmca").unwrap(), Authority::USMCA);
//! assert_eq!(Authority::USMCA.index(), 23);
//! assert!(!Authority::USMCA.is_measure_class());
//! assert_eq!(
//!     Authority::parse("S232-steel").unwrap_err().0,
//!     "S232-steel" // names are exact and lower case
//! );
//! ```

use std::fmt;
use std::str::FromStr;

/// The measure authority classes, in the order of their bits in a stacking rule's mask (`mfn`,
/// index 0, is also the base duty of the US schedule's column 1 general).
pub const AUTHORITIES: [&str; 23] = [
    "mfn",
    "s232-steel",
    "s232-aluminum",
    "s232-copper",
    "s232-autos",
    "s232-auto-parts",
    "s232-lumber",
    "s232-furniture",
    "s232-mhdv",
    "s232-buses",
    "s232-semis",
    "s232-pharma",
    "ieepa-ca",
    "ieepa-mx",
    "s122",
    "s301-forced-labour",
    "s338",
    "ca-surtax-2025-1",
    "ca-surtax-steel-aluminum",
    "ca-surtax-motor-vehicles",
    "ca-steel-derivative",
    "ca-steel-trq",
    "adcvd",
];

/// The base-duty programmes that are not measure classes, indexed after [`AUTHORITIES`].
pub const BASE_PROGRAMMES: [&str; 4] = ["usmca", "ust", "mxt", "ca-mfn"];

/// An authority class (see the module documentation).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Authority(u8);

/// A name that is no authority class.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown authority {0:?}; expected one of {list} (or a base-duty programme: {base})",
    list = AUTHORITIES.join(", "),
    base = BASE_PROGRAMMES.join(", ")
)]
pub struct AuthorityError(pub String);

impl Authority {
    /// Column 1 general (US): the base duty without a preference, also a measure class.
    pub const MFN: Authority = Authority(0);
    /// Programme S of the US special column (USMCA).
    pub const USMCA: Authority = Authority(AUTHORITIES.len() as u8);
    /// Canada's United States Tariff.
    pub const UST: Authority = Authority(AUTHORITIES.len() as u8 + 1);
    /// Canada's Mexico Tariff.
    pub const MXT: Authority = Authority(AUTHORITIES.len() as u8 + 2);
    /// Canada's Most-Favoured-Nation Tariff.
    pub const CA_MFN: Authority = Authority(AUTHORITIES.len() as u8 + 3);

    /// The authority of a name (exact, lower case).
    pub fn parse(name: &str) -> Result<Authority, AuthorityError> {
        AUTHORITIES
            .iter()
            .chain(BASE_PROGRAMMES.iter())
            .position(|a| *a == name)
            .map(|i| Authority(i as u8))
            .ok_or_else(|| AuthorityError(name.to_string()))
    }

    /// The name, as written in the measure files.
    pub fn as_str(self) -> &'static str {
        let i = usize::from(self.0);
        match AUTHORITIES.get(i) {
            Some(a) => a,
            None => BASE_PROGRAMMES[i - AUTHORITIES.len()],
        }
    }

    /// True for the classes a measure record or a stacking rule may name ([`AUTHORITIES`]).
    pub fn is_measure_class(self) -> bool {
        usize::from(self.0) < AUTHORITIES.len()
    }

    /// The position in [`AUTHORITIES`] then [`BASE_PROGRAMMES`].
    pub fn index(self) -> u8 {
        self.0
    }

    /// This class's bit in a stacking rule's mask; 0 for a base-duty programme.
    #[inline]
    pub(crate) fn bit(self) -> u32 {
        if self.is_measure_class() {
            1 << self.0
        } else {
            0
        }
    }
}

impl fmt::Display for Authority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Authority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Authority({:?})", self.as_str())
    }
}

impl FromStr for Authority {
    type Err = AuthorityError;
    fn from_str(s: &str) -> Result<Authority, AuthorityError> {
        Authority::parse(s)
    }
}

impl PartialEq<str> for Authority {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Authority {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl schemars::JsonSchema for Authority {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Authority".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "an authority class as in the measure files (mfn, s232-steel, ieepa-ca, ...)"
        })
    }
}

impl serde::Serialize for Authority {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Authority {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Authority, D::Error> {
        struct Name;
        impl serde::de::Visitor<'_> for Name {
            type Value = Authority;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an authority class name")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Authority, E> {
                Authority::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_str(Name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips_and_measure_classes_have_their_bit() {
        for (i, name) in AUTHORITIES.iter().enumerate() {
            let a = Authority::parse(name).expect("known");
            assert_eq!(a.as_str(), *name);
            assert!(a.is_measure_class());
            assert_eq!(a.bit(), 1 << i);
        }
        for name in BASE_PROGRAMMES {
            let a = Authority::parse(name).expect("known");
            assert_eq!(a.as_str(), name);
            assert!(!a.is_measure_class());
            assert_eq!(a.bit(), 0);
        }
        assert_eq!(Authority::MFN, "mfn");
        assert_eq!(Authority::USMCA, "usmca");
        assert_eq!(Authority::UST, "ust");
        assert_eq!(Authority::MXT, "mxt");
        assert_eq!(Authority::CA_MFN, "ca-mfn");
        assert_eq!(Authority::parse("s232-steel").map(|a| a.index()), Ok(1));
    }

    #[test]
    fn an_unknown_name_is_refused_with_the_vocabulary() {
        let e = Authority::parse("s232-steal").unwrap_err().to_string();
        assert!(
            e.starts_with("unknown authority \"s232-steal\"; expected one of mfn, s232-steel"),
            "{e}"
        );
        assert!(
            e.ends_with("(or a base-duty programme: usmca, ust, mxt, ca-mfn)"),
            "{e}"
        );
        assert!(Authority::parse("MFN").is_err());
    }
}
