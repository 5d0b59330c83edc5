//! Harmonized System codes: validated digits at level 2, 4, 6, 8 or 10, prefix matching, and the
//! national display conventions (US `7208.10.15.00`, Canada `7208.10.00.00`).
//!
//! ```
//! use quid_core::HsCode;
//! let line: HsCode = "7208101500".parse().unwrap();
//! let heading: HsCode = "7208".parse().unwrap();
//! assert!(line.starts_with(&heading));
//! assert_eq!(line.dotted(), "7208.10.15.00");
//! assert_eq!("0101.21.00".parse::<HsCode>().unwrap().dotted(), "0101.21.00");
//! ```

use std::fmt;
use std::str::FromStr;

/// Why a text is not an HS code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HsError {
    #[error("empty HS code")]
    Empty,
    #[error("HS code {0:?} has a character other than digits and dots")]
    BadCharacter(String),
    #[error("HS code {0:?} has {1} digits; expected 2, 4, 6, 8 or 10")]
    BadLength(String, usize),
}

/// An HS code of 2 to 10 digits (always an even number of digits).
///
/// Stored as the digits right-padded with zeros to ten places plus the number of significant
/// digits, so comparisons and prefix tests are integer operations.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct HsCode {
    padded: u64,
    len: u8,
}

/// How a code is printed in a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notation {
    /// Digits only: `7208101500`.
    Plain,
    /// National dotted form, `7208.10.15.00` (US HTS and the Canadian Customs Tariff alike).
    Dotted,
    /// Dotted and padded to ten digits: Canada's tariff item `7208.10.00` becomes `7208.10.00.00`.
    DottedTen,
}

const POW10: [u64; 11] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
    10_000_000_000,
];

impl HsCode {
    /// Builds a code from its digits (no dots).
    pub fn from_digits(digits: &str) -> Result<HsCode, HsError> {
        let len = digits.len();
        if len == 0 {
            return Err(HsError::Empty);
        }
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(HsError::BadCharacter(digits.to_string()));
        }
        if !matches!(len, 2 | 4 | 6 | 8 | 10) {
            return Err(HsError::BadLength(digits.to_string(), len));
        }
        let mut v: u64 = 0;
        for b in digits.bytes() {
            v = v * 10 + u64::from(b - b'0');
        }
        Ok(HsCode {
            padded: v * POW10[10 - len],
            len: len as u8,
        })
    }

    /// Parses a code that may contain dots (`7208.10.15.00`) or spaces.
    pub fn parse(text: &str) -> Result<HsCode, HsError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(HsError::Empty);
        }
        // One pass: digits accumulate, dots and spaces are skipped.
        let (mut v, mut n) = (0u64, 0usize);
        for b in t.bytes() {
            match b {
                b'0'..=b'9' => {
                    if n == 16 {
                        return Err(HsError::BadLength(t.to_string(), n + 1));
                    }
                    v = v * 10 + u64::from(b - b'0');
                    n += 1;
                }
                b'.' | b' ' => {}
                _ => return Err(HsError::BadCharacter(t.to_string())),
            }
        }
        match n {
            0 => Err(HsError::Empty),
            2 | 4 | 6 | 8 | 10 => Ok(HsCode {
                padded: v * POW10[10 - n],
                len: n as u8,
            }),
            _ => Err(HsError::BadLength(
                t.bytes()
                    .filter(u8::is_ascii_digit)
                    .map(char::from)
                    .collect(),
                n,
            )),
        }
    }

    /// Rebuilds a code from [`HsCode::padded`] and [`HsCode::level`]; `None` when they do not
    /// form a code.
    pub fn from_padded(padded: u64, level: u8) -> Option<HsCode> {
        if !matches!(level, 2 | 4 | 6 | 8 | 10)
            || padded >= POW10[10]
            || !padded.is_multiple_of(POW10[10 - level as usize])
        {
            return None;
        }
        Some(HsCode { padded, len: level })
    }

    /// Number of significant digits: 2, 4, 6, 8 or 10.
    pub fn level(&self) -> u8 {
        self.len
    }

    /// The code cut to `level` digits (no-op when already shorter).
    pub fn truncate(&self, level: u8) -> HsCode {
        let level = level.min(self.len) & !1;
        let level = level.max(2);
        let div = POW10[10 - level as usize];
        HsCode {
            padded: (self.padded / div) * div,
            len: level,
        }
    }

    /// Chapter (first two digits) as a number 1..=99.
    pub fn chapter(&self) -> u8 {
        (self.padded / POW10[8]) as u8
    }

    /// True when `prefix` is this code or one of its ancestors.
    pub fn starts_with(&self, prefix: &HsCode) -> bool {
        prefix.len <= self.len && self.truncate(prefix.len).padded == prefix.padded
    }

    /// Digits padded to ten places, as an integer (useful as a sort key).
    pub fn padded(&self) -> u64 {
        self.padded
    }

    /// The exclusive upper end of the range of ten-digit codes this prefix covers.
    pub fn range_end(&self) -> u64 {
        self.padded + POW10[10 - self.len as usize]
    }

    /// The significant digits without dots.
    pub fn digits(&self) -> String {
        format!(
            "{:0width$}",
            self.padded / POW10[10 - self.len as usize],
            width = self.len as usize
        )
    }

    /// The dotted form written into a fixed buffer (no allocation): the bytes and their length.
    pub fn dotted_bytes(&self) -> ([u8; 13], usize) {
        let v = self.padded;
        // The ten digits as five pairs: 72 08 10 15 00.
        let pairs = [
            v / 100_000_000,
            v / 1_000_000 % 100,
            v / 10_000 % 100,
            v / 100 % 100,
            v % 100,
        ];
        let mut out = [0u8; 13];
        let mut n = 0;
        for (i, p) in pairs.iter().take(usize::from(self.len / 2)).enumerate() {
            if i >= 2 {
                out[n] = b'.';
                n += 1;
            }
            out[n] = b'0' + (p / 10) as u8;
            out[n + 1] = b'0' + (p % 10) as u8;
            n += 2;
        }
        (out, n)
    }

    /// The dotted national form: `7208`, `7208.10`, `7208.10.15`, `7208.10.15.00`.
    pub fn dotted(&self) -> String {
        let d = self.digits();
        let mut out = String::with_capacity(13);
        out.push_str(&d[..4.min(d.len())]);
        let mut i = 4;
        while i < d.len() {
            out.push('.');
            out.push_str(&d[i..i + 2]);
            i += 2;
        }
        out
    }

    /// Prints the code in the chosen notation.
    pub fn format(&self, notation: Notation) -> String {
        match notation {
            Notation::Plain => self.digits(),
            Notation::Dotted => self.dotted(),
            Notation::DottedTen => {
                let ten = HsCode {
                    padded: self.padded,
                    len: 10,
                };
                ten.dotted()
            }
        }
    }
}

impl FromStr for HsCode {
    type Err = HsError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        HsCode::parse(s)
    }
}

impl fmt::Display for HsCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.dotted())
    }
}

impl fmt::Debug for HsCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HsCode({})", self.dotted())
    }
}

impl serde::Serialize for HsCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.dotted())
    }
}

impl<'de> serde::Deserialize<'de> for HsCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        HsCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A fast hasher for integer keys such as HS codes (multiply-and-rotate, in the style of
/// rustc's FxHasher). Not resistant to adversarial keys; meant for indexes built from
/// reference data.
#[derive(Default, Clone, Copy)]
pub struct IntHasher(u64);

impl std::hash::Hasher for IntHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// A `HashMap` state using [`IntHasher`].
pub type IntBuildHasher = std::hash::BuildHasherDefault<IntHasher>;

impl std::hash::Hash for HsCode {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        h.write_u64((self.padded << 4) | u64::from(self.len));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_all_levels() {
        for (t, lvl) in [
            ("72", 2),
            ("7208", 4),
            ("720810", 6),
            ("7208.10.15", 8),
            ("7208.10.15.00", 10),
        ] {
            assert_eq!(HsCode::parse(t).unwrap().level(), lvl, "{t}");
        }
    }

    #[test]
    fn rejects_bad_codes() {
        assert_eq!(HsCode::parse(""), Err(HsError::Empty));
        assert!(matches!(
            HsCode::parse("720"),
            Err(HsError::BadLength(_, 3))
        ));
        assert!(matches!(
            HsCode::parse("72a8"),
            Err(HsError::BadCharacter(_))
        ));
        assert!(matches!(
            HsCode::parse("72081015001"),
            Err(HsError::BadLength(_, 11))
        ));
    }

    #[test]
    fn prefixes_and_display() {
        let line = HsCode::parse("8703.23.01.90").unwrap();
        assert!(line.starts_with(&HsCode::parse("8703").unwrap()));
        assert!(line.starts_with(&HsCode::parse("87032301").unwrap()));
        assert!(!line.starts_with(&HsCode::parse("8704").unwrap()));
        assert_eq!(line.truncate(6).dotted(), "8703.23");
        assert_eq!(
            HsCode::parse("0101.21.00")
                .unwrap()
                .format(Notation::DottedTen),
            "0101.21.00.00"
        );
        assert_eq!(HsCode::parse("0101").unwrap().chapter(), 1);
        assert_eq!(line.digits(), "8703230190");
        let (b, n) = line.dotted_bytes();
        assert_eq!(&b[..n], b"8703.23.01.90");
        let (b, n) = HsCode::parse("7208").unwrap().dotted_bytes();
        assert_eq!(&b[..n], b"7208");
        for code in [
            "01",
            "0101",
            "010121",
            "01012100",
            "0101210010",
            "9999999999",
        ] {
            let hs = HsCode::parse(code).unwrap();
            let (b, n) = hs.dotted_bytes();
            assert_eq!(&b[..n], hs.dotted().as_bytes(), "{code}");
        }
    }
}
