//! Batch assessment: a CSV of entries in, a CSV of assessed lines out, and a CSV of rejected
//! lines (each with its line number and reason) beside it. A bad line never stops the batch and
//! nothing is dropped: every data line is either assessed or rejected.
//!
//! Input columns (header names, any order; only `importer, origin, hts, date, value` are
//! required): `id, importer, origin, hts, date, value, quantity, unit, usmca, steel_content,
//! aluminum_content, copper_content, us_content, ca_mx_content, us_melted, transshipped, energy,
//! qualifying, remission, de_minimis, adcvd_case, adcvd_rate`. Any other name, or a name given twice, stops the batch before a line is read
//! ([`BatchError::Columns`], with the closest known name); a record with more or fewer fields than
//! the header, or whose quote swallows line ends, is rejected.
//!
//! How the work is shared: one thread reads the input in blocks of whole records
//! ([`split`]); one worker per core parses, assesses and formats a block at a time; the calling
//! thread writes the finished blocks in input order. Buffers go back and forth, so once the
//! pipeline is warm nothing is allocated per line.
//!
//! ```
//! # let b = quid_data::Bundle::at(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
//! # let policy = quid_data::measures::load_policy(&b, false).unwrap();
//! # let reference = quid_data::reference::BundleReference::new(
//! #     quid_data::Schedules::load_bundled(&b).unwrap(),
//! #     &quid_data::params::read_metal_shares(&b.metal_content()).unwrap());
//! let input = "importer,origin,hts,date,value\nUS,CA,7208.10.15.00,2025-07-01,100000\n";
//! let (mut out, mut rejects) = (Vec::new(), Vec::new());
//! let sum = quid_data::batch::run(&policy, &reference, input.as_bytes(), &mut out, &mut rejects, &|_| {})
//!     .unwrap();
//! assert_eq!((sum.assessed, sum.rejected), (1, 0));
//! assert!(String::from_utf8(out).unwrap().contains("s232-steel 9903.81.87 50% on 100000.00 = 50000.00"));
//! ```

mod input;
mod output;
mod record;
mod split;

pub use input::{did_you_mean, BadColumn, COLUMNS, REQUIRED};
pub use output::OUTPUT;

use input::Cols;
use quid_engine::{Policy, Reference};
use record::{Record, Records};
use rust_decimal::Decimal;
use split::{Block, Blocks};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};

/// Errors that stop a batch (a bad line does not: it is rejected).
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error(
        "line 1: {} not a column quid reads: {}; the columns are {} ({} required)",
        if .0.len() == 1 { "this is" } else { "these are" },
        .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "),
        COLUMNS.join(", "),
        REQUIRED.join(", ")
    )]
    Columns(Vec<BadColumn>),
    #[error("line 1: missing column(s) {missing}; expected a header with {required} (optional: {optional})")]
    MissingColumns {
        missing: String,
        required: String,
        optional: String,
    },
    #[error("reading the header: {0}")]
    Csv(#[from] csv::Error),
    #[error("reading the input: {0}")]
    Read(std::io::Error),
    #[error("writing: {0}")]
    Io(#[from] std::io::Error),
}

/// Amounts kept apart by currency: a US entry's duty is in US dollars, a Canadian entry's in
/// Canadian dollars, and the two are never added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct ByCurrency {
    /// US dollars (money: a number with two decimals).
    #[serde(serialize_with = "quid_core::schema::money")]
    #[schemars(with = "quid_core::schema::MoneyNumber")]
    pub usd: Decimal,
    /// Canadian dollars.
    #[serde(serialize_with = "quid_core::schema::money")]
    #[schemars(with = "quid_core::schema::MoneyNumber")]
    pub cad: Decimal,
}

impl ByCurrency {
    /// Adds an amount in the currency of `importer`'s values (only US and Canadian entries are
    /// ever assessed).
    fn add(&mut self, importer: quid_core::Country, amount: Decimal) {
        match importer {
            quid_core::Country::CA => self.cad += amount,
            _ => self.usd += amount,
        }
    }

    fn sum(&mut self, o: &ByCurrency) {
        self.usd += o.usd;
        self.cad += o.cad;
    }
}

/// What a batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BatchSummary {
    /// Lines of the input after the header (a record whose quoted field holds line ends counts
    /// each of its lines; blank lines count).
    pub lines: u64,
    /// Records read (each assessed or rejected).
    pub records: u64,
    pub assessed: u64,
    pub rejected: u64,
    pub total_duty: ByCurrency,
    pub refundable: ByCurrency,
    /// Assessed lines dated after [`Options::known_until`].
    pub after_known: u64,
}

impl BatchSummary {
    fn add(&mut self, o: &BatchSummary) {
        self.after_known += o.after_known;
        self.lines += o.lines;
        self.records += o.records;
        self.assessed += o.assessed;
        self.rejected += o.rejected;
        self.total_duty.sum(&o.total_duty);
        self.refundable.sum(&o.refundable);
    }
}

/// Why a record cannot be read as an entry before its fields are looked at: a quote that
/// swallowed line ends, or a field count other than the header's.
fn shape_problem(rec: &Record<'_>, width: usize) -> Option<String> {
    let n = rec.width();
    match rec.quote {
        Some((opened, false)) if rec.end_line > opened => {
            return Some(format!(
                "unbalanced quote: the quote opened on line {opened} is never closed, so lines \
                 {opened}-{} were read as one field",
                rec.end_line
            ))
        }
        Some((opened, false)) => {
            return Some(format!(
                "unbalanced quote: the quote opened on line {opened} is never closed"
            ))
        }
        Some((opened, true)) if n != width => {
            return Some(format!(
                "unbalanced quote: the quoted field opened on line {opened} runs to line {}, \
                 making one record of {n} field(s) where the header has {width}",
                rec.end_line
            ))
        }
        _ => {}
    }
    (n != width).then(|| {
        format!(
            "{n} field(s) where the header has {width}{}",
            if n > width {
                " (a number with a thousands separator, such as 1,000, must be quoted or \
                 written 1000)"
            } else {
                ""
            }
        )
    })
}

/// A block's output and rejects, and its sums.
#[derive(Default)]
struct Done {
    seq: u64,
    end_offset: u64,
    out: Vec<u8>,
    rejects: Vec<u8>,
    sum: BatchSummary,
}

/// A check of an entry before it is assessed: `Err` holds the reason the line is rejected.
pub type EntryCheck<'a> = &'a (dyn Fn(&quid_engine::Entry) -> Result<(), String> + Sync);

/// What the output can hold, and what is checked before assessing.
#[derive(Clone, Copy, Default)]
pub struct Options<'a> {
    /// The largest amount the output can hold (the Parquet output's `DECIMAL(18,2)`): a line
    /// with a larger amount is rejected, with the reason, and the batch goes on.
    pub max_amount: Option<Decimal>,
    /// The newest date the data says anything about: lines dated after it are assessed and
    /// counted ([`BatchSummary::after_known`]), since policy is known only up to it.
    pub known_until: Option<quid_core::Date>,
    /// A check each entry must pass before it is assessed (its code against the importer's
    /// tariff, say); a line that fails it is rejected with the reason.
    pub check: Option<EntryCheck<'a>>,
}

impl std::fmt::Debug for Options<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("max_amount", &self.max_amount)
            .field("known_until", &self.known_until)
            .field("check", &self.check.is_some())
            .finish()
    }
}

impl Options<'_> {
    /// The first amount of an assessment the output cannot hold, as a reject reason.
    fn too_large(&self, a: &quid_engine::Assessment<'_>) -> Option<String> {
        let max = self.max_amount?;
        let amounts = [
            ("value", Some(a.entry.value)),
            ("base_amount", a.base.as_ref().map(|b| b.amount)),
            ("additional", Some(a.additional())),
            ("total", Some(a.total)),
            ("owed_after_ruling", a.owed_after_ruling),
            ("refundable", Some(a.refundable)),
        ];
        amounts.into_iter().find_map(|(name, v)| {
            let v = quid_core::money::round_cents(v?);
            (v.abs() > max).then(|| {
                format!(
                    "{name} {v:.2} is larger than the output can hold (max {max:.2}); \
                     a CSV output holds it"
                )
            })
        })
    }
}

/// Parses, assesses and formats every record of one block.
fn process(
    policy: &Policy,
    reference: &dyn Reference,
    cols: &Cols,
    opts: &Options,
    block: &Block,
    d: &mut Done,
) {
    d.seq = block.seq;
    d.end_offset = block.end_offset;
    d.out.clear();
    d.rejects.clear();
    d.sum = BatchSummary::default();
    d.sum.lines = split::lines(&block.bytes);
    let mut records = Records::new(&block.bytes, block.first_line);
    while let Some(rec) = records.next_record() {
        let line = rec.line;
        d.sum.records += 1;
        if let Some(reason) = shape_problem(&rec, cols.1) {
            d.sum.rejected += 1;
            output::write_reject(&mut d.rejects, line, &reason, rec.fields());
            continue;
        }
        let Ok(text) = std::str::from_utf8(rec.data) else {
            let bad = rec
                .fields()
                .position(|f| std::str::from_utf8(f).is_err())
                .map_or_else(|| "?".to_string(), |i| (i + 1).to_string());
            d.sum.rejected += 1;
            let reason = format!("field {bad} is not valid UTF-8 text");
            output::write_reject(&mut d.rejects, line, &reason, rec.fields());
            continue;
        };
        let e = match input::entry(cols, text, &rec) {
            Ok(e) => e,
            Err(reason) => {
                d.sum.rejected += 1;
                output::write_reject(&mut d.rejects, line, &reason, rec.fields());
                continue;
            }
        };
        if let Some(Err(reason)) = opts.check.map(|c| c(&e)) {
            d.sum.rejected += 1;
            output::write_reject(&mut d.rejects, line, &reason, rec.fields());
            continue;
        }
        let out = &mut d.out;
        let id = cols.get(text, &rec, 0).unwrap_or("");
        let (importer, date) = (e.importer, e.date);
        let result = policy.assess_with(&e, reference, |a| match opts.too_large(a) {
            Some(reason) => Err(reason),
            None => {
                output::write_row(out, line, id, a);
                Ok((a.total, a.refundable))
            }
        });
        match result.map_err(|e| e.to_string()).and_then(|r| r) {
            Ok((total, refundable)) => {
                d.sum.assessed += 1;
                d.sum.after_known += u64::from(opts.known_until.is_some_and(|k| date > k));
                d.sum.total_duty.add(importer, total);
                d.sum.refundable.add(importer, refundable);
            }
            Err(reason) => {
                d.sum.rejected += 1;
                output::write_reject(&mut d.rejects, line, &reason, rec.fields());
            }
        }
    }
}

/// The header record, what was read past it, and where the data starts.
struct Header {
    record: csv::ByteRecord,
    rest: Vec<u8>,
    len: u64,
    next_line: u64,
}

/// Reads the header record (a leading byte-order mark is dropped).
fn read_header<R: Read>(input: &mut R) -> Result<Header, BatchError> {
    let mut buf = Vec::new();
    let mut target = 1 << 16;
    let end = loop {
        let eof = split::fill(input, &mut buf, target).map_err(BatchError::Read)?;
        if let Some(end) = split::first_boundary(&buf) {
            break end;
        }
        if eof {
            break buf.len();
        }
        target *= 2;
    };
    let bom = if buf.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let mut headers = csv::ByteRecord::new();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&buf[bom.min(end)..end]);
    rdr.read_byte_record(&mut headers)?;
    // The header ends where the CSV reader stopped (before the first newline outside quotes,
    // or at a lone carriage return).
    let end = (bom + rdr.position().byte() as usize).min(end);
    let rest = buf.split_off(end);
    Ok(Header {
        record: headers,
        rest,
        len: end as u64,
        next_line: 1 + split::newlines(&buf),
    })
}

/// Assesses every line of `input`, writing assessed lines to `out` and rejected lines (with
/// their reasons) to `rejects`. `progress` is called with the bytes read so far.
pub fn run<R: Read + Send, W: Write, X: Write>(
    policy: &Policy,
    reference: &dyn Reference,
    input: R,
    out: W,
    rejects: X,
    progress: &dyn Fn(u64),
) -> Result<BatchSummary, BatchError> {
    run_with(
        policy,
        reference,
        input,
        out,
        rejects,
        progress,
        &Options::default(),
    )
}

/// [`run`] for an output with limits ([`Options`]).
pub fn run_with<R: Read + Send, W: Write, X: Write>(
    policy: &Policy,
    reference: &dyn Reference,
    mut input: R,
    mut out: W,
    mut rejects: X,
    progress: &dyn Fn(u64),
    opts: &Options,
) -> Result<BatchSummary, BatchError> {
    let header = read_header(&mut input)?;
    let cols = Cols::of(&header.record).map_err(BatchError::Columns)?;
    let missing = cols.missing();
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
    let mut head = b"line,reason".to_vec();
    for h in header.record.iter() {
        head.push(b',');
        output::field(&mut head, h);
    }
    head.push(b'\n');
    rejects.write_all(&head)?;

    let mut blocks = Blocks::new(input, header.rest, header.next_line, header.len);
    let workers = rayon::current_num_threads().max(1);
    let (to_work, work) = mpsc::sync_channel::<Block>(workers * 2);
    let work = Arc::new(Mutex::new(work));
    let (to_writer, finished) = mpsc::channel::<Done>();
    let (recycle_input, recycled_input) = mpsc::channel::<Vec<u8>>();
    let (recycle_output, recycled_output) = mpsc::channel::<Done>();
    let recycled_output = Arc::new(Mutex::new(recycled_output));
    let stop = AtomicBool::new(false);
    let mut sum = BatchSummary::default();
    std::thread::scope(|scope| -> Result<(), BatchError> {
        let stop = &stop;
        let reader = scope.spawn(move || -> std::io::Result<()> {
            while !stop.load(Ordering::Relaxed) {
                let buf = recycled_input.try_recv().unwrap_or_default();
                let Some(b) = blocks.next_block(buf)? else {
                    break;
                };
                if to_work.send(b).is_err() {
                    break;
                }
            }
            Ok(())
        });
        for _ in 0..workers {
            let (work, to_writer) = (Arc::clone(&work), to_writer.clone());
            let (recycle_input, recycled_output) =
                (recycle_input.clone(), Arc::clone(&recycled_output));
            let cols = &cols;
            scope.spawn(move || loop {
                let next = match work.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => break,
                };
                let Ok(block) = next else { break };
                let spare = recycled_output.lock().ok().and_then(|r| r.try_recv().ok());
                let mut d = spare.unwrap_or_default();
                process(policy, reference, cols, opts, &block, &mut d);
                let _ = recycle_input.send(block.bytes);
                if to_writer.send(d).is_err() {
                    break;
                }
            });
        }
        drop((to_writer, work, recycle_input));
        // Blocks finish out of order; they are written in order.
        let mut pending: BTreeMap<u64, Done> = BTreeMap::new();
        let mut next = 0;
        let written = (|| -> Result<(), BatchError> {
            for d in &finished {
                pending.insert(d.seq, d);
                while let Some(d) = pending.remove(&next) {
                    out.write_all(&d.out)?;
                    rejects.write_all(&d.rejects)?;
                    sum.add(&d.sum);
                    progress(d.end_offset);
                    next += 1;
                    let _ = recycle_output.send(d);
                }
            }
            Ok(())
        })();
        if written.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        drop(finished);
        let read = reader
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("the reader thread panicked")));
        written?;
        read.map_err(BatchError::Read)
    })?;
    out.flush()?;
    rejects.flush()?;
    Ok(sum)
}
