//! Writing assessed and rejected lines as CSV: the output columns, fields quoted only when they
//! need it, amounts with two decimals and dates as `YYYY-MM-DD`, all without the general
//! formatters (this runs once per line of a batch).
//!
//! A batch of three lines under a policy of one measure and a flat schedule:
//!
//! ```
//! use quid_core::rate::RateExpr;
//! use quid_core::HsCode;
//! use quid_engine::{Authority, BaseBasis, BaseRate, BaseRateError, Entry, Law, MeasureFile};
//! use quid_engine::{MetalShare, Policy, Reference};
//!
//! // One measure: 25% on goods of Canada from 2025-03-04, unless USMCA is claimed.
//! let file: MeasureFile = toml::from_str(r#"
//!     [[measure]]
//!     id = "US-IEEPA-CA-1"
//!     title = "IEEPA duty on products of Canada"
//!     importer = "US"
//!     origins = ["CA"]
//!     authority = "ieepa-ca"
//!     heading = "9903.01.10"
//!     instrument = "EO 14193"
//!     status = "in_force"
//!     confidence = "H"
//!     from = "2025-03-04"
//!     rate = "25%"
//!     base = "full_value"
//!     scope = { include = ["*"] }
//!     conditions = { preference_claim = "absent" }
//!     citations = [{ title = "EO 14193" }]
//! "#).unwrap();
//! let no_lists = |name: &str| Err(format!("no list {name}"));
//! let policy = Policy::compile(&[("ieepa.toml".into(), file)], &no_lists, false).unwrap();
//!
//! // Base rates: 2.5% MFN on every line, free under a USMCA claim.
//! struct Flat(RateExpr, RateExpr, Law);
//! impl Reference for Flat {
//!     fn base_rate(&self, e: &Entry) -> Result<BaseRate<'_>, BaseRateError> {
//!         let (rate, authority, text) = match e.preference_claim {
//!             true => (&self.1, Authority::USMCA, "Free"),
//!             false => (&self.0, Authority::MFN, "2.5%"),
//!         };
//!         let basis = BaseBasis::Schedule {
//!             column: "column 1",
//!             edition: "an example",
//!             stated_on: e.hs,
//!             stand_in: false,
//!         };
//!         Ok(BaseRate { rate: Some(rate), authority, line: e.hs, text, basis, citation: None })
//!     }
//!     fn metal_share(&self, _: &HsCode) -> Option<MetalShare> {
//!         None
//!     }
//!     fn law(&self) -> &Law {
//!         &self.2
//!     }
//! }
//! // The law file gives the default content shares; none matters here.
//! let law: Law = toml::from_str(include_str!("../../../../data/params/law.toml")).unwrap();
//! let reference = Flat("2.5%".parse().unwrap(), "Free".parse().unwrap(), law);
//! use quid_data::batch::{run, OUTPUT};
//! use rust_decimal::Decimal;
//!
//! let input = "id,importer,origin,hts,date,value,usmca
//! A1,US,CA,8703.23.01.90,2025-07-01,1000,
//! A2,US,CA,8703.23.01.90,2025-07-01,1000,true
//! A3,US,CA,8703.23.01.90,2025-07-32,1000,
//! ";
//! let (mut out, mut rejects) = (Vec::new(), Vec::new());
//! let sum = run(&policy, &reference, input.as_bytes(), &mut out, &mut rejects, &|_| {}).unwrap();
//! // A1: 2.5% + 25% of 1000; A2 claims USMCA: free, and IEEPA does not apply.
//! assert_eq!((sum.lines, sum.assessed, sum.rejected), (3, 2, 1));
//! assert_eq!(sum.total_duty.usd, Decimal::from(275));
//!
//! // Lines are numbered as in the input (the header is line 1); the layers field is quoted.
//! let out = String::from_utf8(out).unwrap();
//! let mut rows = out.lines();
//! assert_eq!(rows.next(), Some(OUTPUT.join(",").as_str()));
//! assert_eq!(
//!     rows.next(),
//!     Some("2,A1,US,CA,8703.23.01.90,2025-07-01,1000.00,mfn,2.5%,25.00,250.00,275.00,275.00,0.00,true,\
//!           \"ieepa-ca 9903.01.10 25% on 1000.00 = 250.00\",")
//! );
//! assert_eq!(
//!     rows.next(),
//!     Some("3,A2,US,CA,8703.23.01.90,2025-07-01,1000.00,usmca,Free,0.00,0.00,0.00,0.00,0.00,true,\
//!           \"\",")
//! );
//! // A rejected line keeps its fields as read, after its number and the reason (quoted, with
//! // its own quotes doubled).
//! let rejects = String::from_utf8(rejects).unwrap();
//! let mut rows = rejects.lines();
//! assert_eq!(rows.next(), Some("line,reason,id,importer,origin,hts,date,value,usmca"));
//! assert_eq!(
//!     rows.next(),
//!     Some("4,\"date: \"\"2025-07-32\"\" is not a date; expected YYYY-MM-DD (e.g. 2025-07-01)\",\
//!           A3,US,CA,8703.23.01.90,2025-07-32,1000,")
//! );
//! ```

use quid_engine::Assessment;
use rust_decimal::Decimal;
use std::io::Write;

/// The output columns.
pub const OUTPUT: [&str; 17] = [
    "line",
    "id",
    "importer",
    "origin",
    "hts",
    "date",
    "value",
    "base_authority",
    "base_rate",
    "base_amount",
    "additional",
    "total",
    "owed_after_ruling",
    "refundable",
    "base_rate_known",
    "layers",
    "warnings",
];

/// Writes a CSV field, quoting it when it needs quotes.
pub(super) fn field(buf: &mut Vec<u8>, s: &[u8]) {
    if s.iter().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        buf.push(b'"');
        quoted_body(buf, s);
        buf.push(b'"');
    } else {
        buf.extend_from_slice(s);
    }
}

/// Writes text inside a quoted field, doubling its quotes.
fn quoted_body(buf: &mut Vec<u8>, s: &[u8]) {
    if memchr::memchr(b'"', s).is_none() {
        buf.extend_from_slice(s);
        return;
    }
    for &b in s {
        if b == b'"' {
            buf.push(b'"');
        }
        buf.push(b);
    }
}

/// "00" to "99", for writing digits two at a time.
const PAIRS: &[u8; 200] = b"00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";

/// Writes an amount with two decimals (rounded half away from zero) without going through
/// `Decimal`'s general formatter.
pub(super) fn money(buf: &mut Vec<u8>, d: Decimal) {
    let r = quid_core::money::round_cents(d);
    // Whole cents in 64 bits (any amount under 184 thousand billion): integer formatting.
    let cents = u64::try_from(r.mantissa().unsigned_abs())
        .ok()
        .and_then(|m| match r.scale() {
            0 => m.checked_mul(100),
            1 => m.checked_mul(10),
            2 => Some(m),
            _ => None,
        });
    match cents {
        Some(c) => {
            // Digits right to left, two at a time, into a small buffer; then one copy.
            let pair = |n: u64| {
                let k = n as usize * 2;
                [PAIRS[k], PAIRS[k + 1]]
            };
            let mut tmp = [0u8; 24];
            let mut i = tmp.len() - 3;
            tmp[i] = b'.';
            tmp[i + 1..].copy_from_slice(&pair(c % 100));
            let mut units = c / 100;
            while units >= 100 {
                i -= 2;
                tmp[i..i + 2].copy_from_slice(&pair(units % 100));
                units /= 100;
            }
            if units >= 10 {
                i -= 2;
                tmp[i..i + 2].copy_from_slice(&pair(units));
            } else {
                i -= 1;
                tmp[i] = b'0' + units as u8;
            }
            if r.is_sign_negative() && c != 0 {
                i -= 1;
                tmp[i] = b'-';
            }
            buf.extend_from_slice(&tmp[i..]);
        }
        None => {
            let _ = write!(buf, "{r:.2}");
        }
    }
}

/// Writes a date as YYYY-MM-DD.
fn date(buf: &mut Vec<u8>, d: quid_core::Date) {
    let y = d.year().unsigned_abs();
    let (m, dd) = (d.month() as u8, d.day() as u8);
    buf.extend_from_slice(&[
        b'0' + (y / 1000 % 10) as u8,
        b'0' + (y / 100 % 10) as u8,
        b'0' + (y / 10 % 10) as u8,
        b'0' + (y % 10) as u8,
        b'-',
        b'0' + m / 10,
        b'0' + m % 10,
        b'-',
        b'0' + dd / 10,
        b'0' + dd % 10,
    ]);
}

/// One assessed line: the entry as read, the base layer, the sums and the layers.
pub(super) fn write_row(buf: &mut Vec<u8>, line: u64, id: &str, a: &Assessment<'_>) {
    buf.extend_from_slice(itoa::Buffer::new().format(line).as_bytes());
    buf.push(b',');
    field(buf, id.as_bytes());
    buf.push(b',');
    buf.extend_from_slice(a.entry.importer.as_str().as_bytes());
    buf.push(b',');
    buf.extend_from_slice(a.entry.origin.as_str().as_bytes());
    buf.push(b',');
    let (hs, n) = a.entry.hs.dotted_bytes();
    buf.extend_from_slice(&hs[..n]);
    buf.push(b',');
    date(buf, a.entry.date);
    buf.push(b',');
    money(buf, a.entry.value);
    buf.push(b',');
    match &a.base {
        Some(b) => {
            buf.extend_from_slice(b.authority.as_str().as_bytes());
            buf.push(b',');
            field(buf, b.rate.as_bytes());
            buf.push(b',');
            money(buf, b.amount);
        }
        None => buf.extend_from_slice(b"unknown,unknown,"),
    }
    buf.push(b',');
    money(buf, a.additional());
    buf.push(b',');
    money(buf, a.total);
    buf.push(b',');
    // What is owed once struck-down duties are refunded: the total itself when no layer was
    // struck down (the column is never empty for an assessed line).
    money(buf, a.owed_after_ruling.unwrap_or(a.total));
    buf.push(b',');
    money(buf, a.refundable);
    buf.extend_from_slice(if a.base_rate_known() {
        b",true,"
    } else {
        b",false,"
    });
    // The layers field is always quoted: rates and headings may hold commas.
    buf.push(b'"');
    for (i, l) in a.layers.iter().enumerate() {
        if i > 0 {
            buf.extend_from_slice(b"; ");
        }
        quoted_body(buf, l.label().as_bytes());
        buf.extend_from_slice(b" on ");
        money(buf, l.base);
        buf.extend_from_slice(b" = ");
        money(buf, l.amount);
    }
    buf.extend_from_slice(b"\",");
    // The ids of the warnings (layers not modelled, declarations refused), `; `-separated and
    // quoted when an id needs it.
    if !a.warnings.is_empty() {
        let ids: Vec<&str> = a.warnings.iter().map(|w| w.id()).collect();
        field(buf, ids.join("; ").as_bytes());
    }
    buf.push(b'\n');
}

/// At most this many bytes of a reason or of an echoed field are written to the rejects file.
pub const ECHO_BYTES: usize = 1024;
/// At most this many fields of a rejected record are echoed.
pub const ECHO_FIELDS: usize = 256;

/// `s`, or its first [`ECHO_BYTES`] bytes (cut on a character boundary) and a note of its length.
fn capped(s: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if s.len() <= ECHO_BYTES {
        return s.into();
    }
    let mut cut = ECHO_BYTES;
    while cut > 0 && s[cut] & 0xC0 == 0x80 {
        cut -= 1;
    }
    let mut v = s[..cut].to_vec();
    let _ = write!(v, "... (cut; {} bytes in all)", s.len());
    v.into()
}

/// One rejected line: its number, the reason, and the record's fields as they were read; a
/// long reason or field is cut (see [`ECHO_BYTES`], [`ECHO_FIELDS`]) and says so.
pub(super) fn write_reject<'f>(
    buf: &mut Vec<u8>,
    line: u64,
    reason: &str,
    fields: impl Iterator<Item = &'f [u8]>,
) {
    buf.extend_from_slice(itoa::Buffer::new().format(line).as_bytes());
    buf.push(b',');
    field(buf, &capped(reason.as_bytes()));
    let mut n = 0;
    for f in fields {
        n += 1;
        if n <= ECHO_FIELDS {
            buf.push(b',');
            field(buf, &capped(f));
        }
    }
    if n > ECHO_FIELDS {
        let _ = write!(buf, ",... (cut; {n} fields in all)");
    }
    buf.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn money_agrees_with_the_decimal_formatter() {
        for t in [
            "0",
            "-0.00",
            "1",
            "12.5",
            "50000.00",
            "1.005",
            "-2.345",
            "0.004",
            "184467440737095516.15",
            "79228162514264337593543950335",
            "-79228162514264.337593543950335",
        ] {
            let d = Decimal::from_str(t).expect("decimal");
            let mut got = Vec::new();
            money(&mut got, d);
            let want = format!("{:.2}", quid_core::money::round_cents(d));
            assert_eq!(String::from_utf8(got).expect("utf8"), want, "{t}");
        }
        // Every digit count, at and around each power of ten.
        for k in 0..19u32 {
            for delta in [-1i64, 0, 1, 7] {
                let cents = 10i64.pow(k).saturating_add(delta).max(0);
                let d = Decimal::new(cents, 2);
                let mut got = Vec::new();
                money(&mut got, d);
                assert_eq!(
                    String::from_utf8(got).expect("utf8"),
                    format!("{d:.2}"),
                    "{cents}"
                );
            }
        }
    }
}
