//! Countries: ISO 3166-1 alpha-2 codes, validated against the standard's list, with the US
//! Census Bureau's country codes for the partners quid cares about (1220 Canada, 2010 Mexico).
//!
//! ```
//! use quid_core::Country;
//! let ca: Country = "CA".parse().unwrap();
//! assert_eq!(ca, Country::CA);
//! assert_eq!(Country::from_census_code(2010), Some(Country::MX));
//! assert!("XX".parse::<Country>().is_err());
//! ```

use std::fmt;
use std::str::FromStr;

/// Why a text is not a country code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CountryError {
    #[error(
        "country {0:?} is not an ISO 3166-1 alpha-2 code (two capital letters, e.g. CA, US, MX)"
    )]
    NotAlpha2(String),
    #[error("country {0:?} is not an assigned ISO 3166-1 alpha-2 code")]
    Unassigned(String),
}

/// An assigned ISO 3166-1 alpha-2 country code.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Country([u8; 2]);

/// The officially assigned alpha-2 codes (ISO 3166-1, 249 entries), concatenated.
const ASSIGNED: &str = "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLRLSLTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSYEYTZAZMZW";

/// One bit per assigned code: bit `second letter` of word `first letter`.
const TABLE: [u32; 26] = {
    let mut t = [0u32; 26];
    let b = ASSIGNED.as_bytes();
    let mut i = 0;
    while i + 1 < b.len() {
        t[(b[i] - b'A') as usize] |= 1 << (b[i + 1] - b'A');
        i += 2;
    }
    t
};

impl Country {
    pub const CA: Country = Country(*b"CA");
    pub const US: Country = Country(*b"US");
    pub const MX: Country = Country(*b"MX");
    pub const CN: Country = Country(*b"CN");
    pub const GB: Country = Country(*b"GB");

    /// Parses and validates an alpha-2 code. Lower case is accepted and folded.
    pub fn parse(text: &str) -> Result<Country, CountryError> {
        // The usual form, two capitals, first.
        if let &[a @ b'A'..=b'Z', b @ b'A'..=b'Z'] = text.as_bytes() {
            if TABLE[(a - b'A') as usize] & (1 << (b - b'A')) != 0 {
                return Ok(Country([a, b]));
            }
        }
        let t = text.trim();
        let b = t.as_bytes();
        if b.len() != 2 || !b.iter().all(|c| c.is_ascii_alphabetic()) {
            return Err(CountryError::NotAlpha2(t.to_string()));
        }
        let code = [b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()];
        let found = TABLE[(code[0] - b'A') as usize] & (1 << (code[1] - b'A')) != 0;
        if !found {
            return Err(CountryError::Unassigned(t.to_string()));
        }
        Ok(Country(code))
    }

    /// The two letters.
    pub fn as_str(&self) -> &str {
        // Always two ASCII capitals, validated at construction.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    /// The US Census Bureau country code (Schedule C) for the partners quid bundles data on.
    pub fn census_code(&self) -> Option<u16> {
        match &self.0 {
            b"CA" => Some(1220),
            b"MX" => Some(2010),
            b"CN" => Some(5700),
            _ => None,
        }
    }

    /// The country for a US Census Bureau country code, for the partners quid bundles data on.
    /// The full table is in the bundled `census_codes.csv` (quid-data).
    pub fn from_census_code(code: u16) -> Option<Country> {
        match code {
            1220 => Some(Country::CA),
            2010 => Some(Country::MX),
            5700 => Some(Country::CN),
            _ => None,
        }
    }

    /// The country's currency for the parties quid models.
    pub fn currency(&self) -> Option<crate::Currency> {
        match &self.0 {
            b"US" => Some(crate::Currency::USD),
            b"CA" => Some(crate::Currency::CAD),
            b"MX" => Some(crate::Currency::MXN),
            _ => None,
        }
    }
}

/// A set of countries, one bit per possible alpha-2 code: membership is one load and a mask.
///
/// ```
/// use quid_core::{Country, CountrySet};
/// let s: CountrySet = [Country::CA, Country::MX].into_iter().collect();
/// assert!(s.contains(Country::MX) && !s.contains(Country::US));
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct CountrySet([u32; 26]);

impl CountrySet {
    /// The empty set.
    pub const fn new() -> CountrySet {
        CountrySet([0; 26])
    }

    pub fn insert(&mut self, c: Country) {
        self.0[(c.0[0] - b'A') as usize] |= 1 << (c.0[1] - b'A');
    }

    pub fn contains(&self, c: Country) -> bool {
        self.0[(c.0[0] - b'A') as usize] & (1 << (c.0[1] - b'A')) != 0
    }
}

impl FromIterator<Country> for CountrySet {
    fn from_iter<I: IntoIterator<Item = Country>>(iter: I) -> CountrySet {
        let mut s = CountrySet::new();
        for c in iter {
            s.insert(c);
        }
        s
    }
}

impl FromStr for Country {
    type Err = CountryError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Country::parse(s)
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Country({})", self.as_str())
    }
}

impl serde::Serialize for Country {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Country {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Country::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assigned_list_is_well_formed() {
        assert_eq!(ASSIGNED.len(), 249 * 2);
        let mut codes: Vec<&[u8]> = ASSIGNED.as_bytes().chunks(2).collect();
        let n = codes.len();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), n, "duplicates in the ISO list");
    }

    #[test]
    fn parses_and_rejects() {
        assert_eq!(Country::parse("ca").unwrap(), Country::CA);
        assert!(matches!(
            Country::parse("XX"),
            Err(CountryError::Unassigned(_))
        ));
        assert!(matches!(
            Country::parse("CAN"),
            Err(CountryError::NotAlpha2(_))
        ));
        assert!(matches!(
            Country::parse("1A"),
            Err(CountryError::NotAlpha2(_))
        ));
    }

    #[test]
    fn census_codes_round_trip() {
        for c in [Country::CA, Country::MX, Country::CN] {
            assert_eq!(Country::from_census_code(c.census_code().unwrap()), Some(c));
        }
    }
}
