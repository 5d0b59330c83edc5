//! Batch assessment: a CSV of entries in, a CSV of assessed lines out, and a CSV of rejected
//! lines (each with its reason) beside it. Lines are parsed and assessed in parallel chunks and
//! written in input order; a bad line never stops the batch.
//!
//! Input columns (header names, any order; only the first five are required): `id, importer,
//! origin, hts, date, value, quantity, unit, usmca, steel_content, aluminum_content,
//! copper_content, us_content, ca_mx_content, us_melted, transshipped, energy, qualifying`.

use quid_core::{parse_date, Country, HsCode, Quantity, Unit};
use quid_engine::{Assessment, Entry, Policy, Reference};
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::io::{Read, Write};
use std::str::FromStr;

/// The input columns, as documented in the README.
pub const COLUMNS: [&str; 18] = [
    "id",
    "importer",
    "origin",
    "hts",
    "date",
    "value",
    "quantity",
    "unit",
    "usmca",
    "steel_content",
    "aluminum_content",
    "copper_content",
    "us_content",
    "ca_mx_content",
    "us_melted",
    "transshipped",
    "energy",
    "qualifying",
];
/// Columns every input must have.
pub const REQUIRED: [&str; 5] = ["importer", "origin", "hts", "date", "value"];
/// The output columns.
pub const OUTPUT: [&str; 16] = [
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
];
const CHUNK: usize = 32_768;

/// Errors that stop a batch (a bad line does not: it is rejected).
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error("line 1: missing column(s) {missing}; expected a header with {required} (optional: {optional})")]
    MissingColumns {
        missing: String,
        required: String,
        optional: String,
    },
    #[error("reading the input: {0}")]
    Csv(#[from] csv::Error),
    #[error("writing: {0}")]
    Io(#[from] std::io::Error),
}

/// What a batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BatchSummary {
    pub lines: u64,
    pub assessed: u64,
    pub rejected: u64,
    pub total_duty: Decimal,
    pub refundable: Decimal,
}

#[derive(Clone, Copy)]
struct Cols([Option<usize>; 18]);

impl Cols {
    fn of(headers: &csv::ByteRecord) -> Cols {
        let mut c = [None; 18];
        for (i, name) in COLUMNS.iter().enumerate() {
            c[i] = headers.iter().position(|h| {
                std::str::from_utf8(h).is_ok_and(|h| h.trim().eq_ignore_ascii_case(name))
            });
        }
        Cols(c)
    }

    fn get<'r>(&self, rec: &'r csv::StringRecord, col: usize) -> Option<&'r str> {
        self.0[col]
            .and_then(|j| rec.get(j))
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

fn flag(v: Option<&str>, name: &str) -> Result<bool, String> {
    match v {
        None => Ok(false),
        Some(s)
            if s.eq_ignore_ascii_case("true")
                || s == "1"
                || s.eq_ignore_ascii_case("yes")
                || s.eq_ignore_ascii_case("y") =>
        {
            Ok(true)
        }
        Some(s)
            if s.eq_ignore_ascii_case("false")
                || s == "0"
                || s.eq_ignore_ascii_case("no")
                || s.eq_ignore_ascii_case("n") =>
        {
            Ok(false)
        }
        Some(s) => Err(format!("{name}: {s:?} is not true/false")),
    }
}

/// A plain decimal ("100000", "12.5") without the general parser; `None` sends the text to it.
fn fast_decimal(s: &str) -> Option<Decimal> {
    let b = s.as_bytes();
    if b.is_empty() || b.len() > 18 {
        return None;
    }
    let mut mantissa: i64 = 0;
    let mut scale: Option<u32> = None;
    for &c in b {
        match c {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + i64::from(c - b'0');
                if let Some(sc) = scale.as_mut() {
                    *sc += 1;
                }
            }
            b'.' if scale.is_none() => scale = Some(0),
            _ => return None,
        }
    }
    if scale == Some(0) {
        return None;
    }
    Some(Decimal::new(mantissa, scale.unwrap_or(0)))
}

fn dec(v: Option<&str>, name: &str) -> Result<Option<Decimal>, String> {
    v.map(|s| {
        fast_decimal(s).map_or_else(
            || Decimal::from_str(s).map_err(|_| format!("{name}: {s:?} is not a number")),
            Ok,
        )
    })
    .transpose()
}

/// "YYYY-MM-DD" without the general parser; `None` sends the text to it (for its message).
fn fast_date(t: &str) -> Option<quid_core::Date> {
    let b = t.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i16> {
        b[r].iter().try_fold(0i16, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + i16::from(c - b'0'))
        })
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    quid_core::Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
}

/// Reads one entry from a record; the error names the field and what was expected.
fn entry(cols: &Cols, rec: &csv::StringRecord) -> Result<Entry, String> {
    let req = |i: usize| {
        cols.get(rec, i)
            .ok_or_else(|| format!("{}: missing; expected a value", COLUMNS[i]))
    };
    let importer: Country = req(1)?.parse().map_err(|e| format!("importer: {e}"))?;
    let origin: Country = req(2)?.parse().map_err(|e| format!("origin: {e}"))?;
    let hs: HsCode = req(3)?.parse().map_err(|e| format!("hts: {e}"))?;
    let date = fast_date(req(4)?)
        .map_or_else(|| parse_date(req(4)?).map_err(|e| format!("date: {e}")), Ok)?;
    let value = dec(Some(req(5)?), "value")?.unwrap_or_default();
    let mut e = Entry::new(importer, origin, hs, date, value);
    if let Some(q) = dec(cols.get(rec, 6), "quantity")? {
        let unit_text = cols
            .get(rec, 7)
            .ok_or("unit: missing; a quantity needs its unit (kg, liter, each, ...)")?;
        let unit: Unit = unit_text
            .parse()
            .map_err(|e: String| format!("unit: {e}"))?;
        e.quantity = Some(Quantity::new(q, unit));
    }
    e.preference_claim = flag(cols.get(rec, 8), "usmca")?;
    e.steel_content = dec(cols.get(rec, 9), "steel_content")?;
    e.aluminum_content = dec(cols.get(rec, 10), "aluminum_content")?;
    e.copper_content = dec(cols.get(rec, 11), "copper_content")?;
    e.us_content = dec(cols.get(rec, 12), "us_content")?;
    e.ca_mx_content = dec(cols.get(rec, 13), "ca_mx_content")?;
    e.us_melted = flag(cols.get(rec, 14), "us_melted")?;
    e.transshipped = flag(cols.get(rec, 15), "transshipped")?;
    e.energy = flag(cols.get(rec, 16), "energy")?;
    e.qualifying = flag(cols.get(rec, 17), "qualifying")?;
    Ok(e)
}

/// Writes a CSV field, quoting it when it needs quotes.
fn field(buf: &mut Vec<u8>, s: &str) {
    if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        buf.push(b'"');
        for b in s.bytes() {
            if b == b'"' {
                buf.push(b'"');
            }
            buf.push(b);
        }
        buf.push(b'"');
    } else {
        buf.extend_from_slice(s.as_bytes());
    }
}

/// Writes an amount with two decimals (rounded half away from zero) without going through
/// `Decimal`'s general formatter.
fn money(buf: &mut Vec<u8>, d: Decimal) {
    let r = quid_core::money::round_cents(d);
    let m = r.mantissa();
    let cents = match r.scale() {
        0 => m.checked_mul(100),
        1 => m.checked_mul(10),
        2 => Some(m),
        _ => None,
    };
    match cents {
        Some(c) => {
            let neg = c < 0;
            let c = c.unsigned_abs();
            if neg {
                buf.push(b'-');
            }
            let mut itoa = itoa::Buffer::new();
            let units = c / 100;
            match u64::try_from(units) {
                Ok(u) => buf.extend_from_slice(itoa.format(u).as_bytes()),
                Err(_) => buf.extend_from_slice(itoa.format(units).as_bytes()),
            }
            let cents = (c % 100) as u8;
            buf.extend_from_slice(&[b'.', b'0' + cents / 10, b'0' + cents % 10]);
        }
        None => {
            let _ = write!(buf, "{:.2}", r);
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

fn write_row(buf: &mut Vec<u8>, line: u64, id: &str, a: &Assessment<'_>) {
    buf.extend_from_slice(itoa::Buffer::new().format(line).as_bytes());
    buf.push(b',');
    field(buf, id);
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
            buf.extend_from_slice(b.authority.as_bytes());
            buf.push(b',');
            field(buf, b.rate);
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
    if let Some(o) = a.owed_after_ruling {
        money(buf, o);
    }
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
        for part in [l.authority(), " ", l.heading(), " ", l.rate(), " on "] {
            for b in part.bytes() {
                if b == b'"' {
                    buf.push(b'"');
                }
                buf.push(b);
            }
        }
        money(buf, l.base);
        buf.extend_from_slice(b" = ");
        money(buf, l.amount);
    }
    buf.extend_from_slice(b"\"\n");
}

fn write_reject(buf: &mut Vec<u8>, line: u64, reason: &str, rec: &csv::StringRecord) {
    let _ = write!(buf, "{line},");
    field(buf, reason);
    for f in rec.iter() {
        buf.push(b',');
        field(buf, f);
    }
    buf.push(b'\n');
}

/// Output and rejects of one chunk, and its sums.
#[derive(Default)]
struct ChunkOut {
    out: Vec<u8>,
    rejects: Vec<u8>,
    sum: BatchSummary,
}

fn process(
    policy: &Policy,
    reference: &dyn Reference,
    cols: &Cols,
    part: &[csv::StringRecord],
    c: &mut ChunkOut,
) {
    c.out.clear();
    c.rejects.clear();
    c.sum = BatchSummary::default();
    for rec in part {
        let line = &rec.position().map_or(0, |p| p.line());
        c.sum.lines += 1;
        let e = match entry(cols, rec) {
            Ok(e) => e,
            Err(reason) => {
                c.sum.rejected += 1;
                write_reject(&mut c.rejects, *line, &reason, rec);
                continue;
            }
        };
        let out = &mut c.out;
        let result = policy.assess_with(&e, reference, |a| {
            write_row(out, *line, cols.get(rec, 0).unwrap_or(""), a);
            (a.total, a.refundable)
        });
        match result {
            Ok((total, refundable)) => {
                c.sum.assessed += 1;
                c.sum.total_duty += total;
                c.sum.refundable += refundable;
            }
            Err(reason) => {
                c.sum.rejected += 1;
                write_reject(&mut c.rejects, *line, &reason.to_string(), rec);
            }
        }
    }
}

/// One chunk of records read, with what the reader could not parse.
struct Filled {
    records: Vec<csv::StringRecord>,
    count: usize,
    malformed: Vec<u8>,
    malformed_lines: u64,
    bytes: u64,
    error: Option<BatchError>,
}

/// The reader thread: fills recycled buffers and hands them on until the input ends.
fn read_chunks<R: Read>(
    mut rdr: csv::Reader<R>,
    recycled: std::sync::mpsc::Receiver<Vec<csv::StringRecord>>,
    to_work: std::sync::mpsc::SyncSender<Filled>,
) {
    for mut records in recycled {
        let mut f = Filled {
            records: Vec::new(),
            count: 0,
            malformed: Vec::new(),
            malformed_lines: 0,
            bytes: 0,
            error: None,
        };
        while f.count < records.len() {
            match rdr.read_record(&mut records[f.count]) {
                Ok(true) => f.count += 1,
                Ok(false) => break,
                Err(e) if e.is_io_error() => {
                    f.error = Some(BatchError::Csv(e));
                    break;
                }
                Err(e) => {
                    f.malformed_lines += 1;
                    let line = e.position().map_or(0, |p| p.line());
                    write_reject(
                        &mut f.malformed,
                        line,
                        &format!("malformed CSV record: {e}"),
                        &csv::StringRecord::new(),
                    );
                }
            }
        }
        f.bytes = rdr.position().byte();
        let done = f.count < records.len() || f.error.is_some();
        f.records = records;
        if f.count == 0 && f.malformed_lines == 0 && f.error.is_none() {
            return;
        }
        if to_work.send(f).is_err() || done {
            return;
        }
    }
}

/// Assesses every line of `input`, writing assessed lines to `out` and rejected lines (with
/// their reasons) to `rejects`. `progress` is called with the bytes read so far.
pub fn run<R: Read + Send, W: Write, X: Write>(
    policy: &Policy,
    reference: &dyn Reference,
    input: R,
    mut out: W,
    mut rejects: X,
    progress: &dyn Fn(u64),
) -> Result<BatchSummary, BatchError> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let headers = rdr.byte_headers()?.clone();
    let cols = Cols::of(&headers);
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|r| {
            COLUMNS
                .iter()
                .position(|c| c == r)
                .and_then(|i| cols.0[i])
                .is_none()
        })
        .collect();
    if !missing.is_empty() {
        return Err(BatchError::MissingColumns {
            missing: missing.join(", "),
            required: REQUIRED.join(", "),
            optional: COLUMNS
                .iter()
                .filter(|c| !REQUIRED.contains(c))
                .copied()
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    out.write_all(OUTPUT.join(",").as_bytes())?;
    out.write_all(b"\n")?;
    rejects.write_all(b"line,reason")?;
    for h in headers.iter() {
        rejects.write_all(b",")?;
        let mut b = Vec::new();
        field(&mut b, &String::from_utf8_lossy(h));
        rejects.write_all(&b)?;
    }
    rejects.write_all(b"\n")?;
    let mut sum = BatchSummary::default();
    let workers = rayon::current_num_threads().max(1);
    // A reader thread fills record buffers while the workers assess the previous chunk; buffers
    // go back and forth, so there is no allocation per line once both are warm.
    let (to_work, from_reader) = std::sync::mpsc::sync_channel::<Filled>(1);
    let (to_reader, recycled) = std::sync::mpsc::sync_channel::<Vec<csv::StringRecord>>(2);
    for _ in 0..2 {
        let _ = to_reader.send((0..CHUNK).map(|_| csv::StringRecord::new()).collect());
    }
    let mut pool: Vec<ChunkOut> = Vec::new();
    std::thread::scope(|scope| -> Result<(), BatchError> {
        scope.spawn(move || read_chunks(rdr, recycled, to_work));
        for filled in from_reader {
            rejects.write_all(&filled.malformed)?;
            sum.lines += filled.malformed_lines;
            sum.rejected += filled.malformed_lines;
            if let Some(e) = filled.error {
                return Err(e);
            }
            let records = &filled.records[..filled.count];
            let per = filled.count.div_ceil(workers * 4).max(256);
            let parts = filled.count.div_ceil(per);
            if pool.len() < parts {
                pool.resize_with(parts, ChunkOut::default);
            }
            pool[..parts]
                .par_iter_mut()
                .zip(records.par_chunks(per))
                .for_each(|(o, p)| process(policy, reference, &cols, p, o));
            for p in &pool[..parts] {
                out.write_all(&p.out)?;
                rejects.write_all(&p.rejects)?;
                sum.lines += p.sum.lines;
                sum.assessed += p.sum.assessed;
                sum.rejected += p.sum.rejected;
                sum.total_duty += p.sum.total_duty;
                sum.refundable += p.sum.refundable;
            }
            progress(filled.bytes);
            // The reader may have finished; a closed channel is not an error.
            let _ = to_reader.send(filled.records);
        }
        Ok(())
    })?;
    out.flush()?;
    rejects.flush()?;
    Ok(sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_decimal_agrees_with_the_parser() {
        for t in [
            "0",
            "100000",
            "12.5",
            "0.40",
            "40000.00",
            "999999999999999999",
        ] {
            assert_eq!(fast_decimal(t), Some(Decimal::from_str(t).unwrap()), "{t}");
        }
        for t in [
            "",
            "1e5",
            "-3",
            "1.2.3",
            "abc",
            "1 000",
            "9999999999999999999",
        ] {
            assert_eq!(fast_decimal(t), None, "{t}");
        }
    }
}
