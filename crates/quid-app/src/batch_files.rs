//! A batch of entries from a file to a file: CSV or Parquet in, CSV or Parquet out (by
//! extension), rejected lines with their reasons in `<output stem>.rejects.csv` beside the
//! output. An output or rejects file that is the input (by the file's identity, whatever its
//! name) is refused, and both are written beside their targets and renamed over them only when
//! the batch succeeds, so a failed run leaves every existing file as it was. The assessing itself is [`quid_data::batch::run`]; this adds the files around it.
//!
//! A batch of two lines, one of which cannot be read, from a CSV file to a CSV file:
//!
//! ```
//! use quid_app::batch_files::{rejects_path, run, BatchRequest};
//! use quid_app::{App, EngineOptions};
//!
//! let data = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
//! let app = App::new(Some(data), quid_core::parse_date("2026-12-06").unwrap()).unwrap();
//! let engine = app.engine(&EngineOptions::default()).unwrap();
//! let dir = std::env::temp_dir().join(format!("quid-doc-batch-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! // The Canadian coil of value 100000 on 2025-07-01 (Section 232 steel, 50%: 50000.00), and a
//! // line whose value is no number.
//! std::fs::write(dir.join("entries.csv"), "importer,origin,hts,date,value\n\
//!     US,CA,7208.10.15.00,2025-07-01,100000\n\
//!     US,CA,7208.10.15.00,2025-07-01,ten\n").unwrap();
//! let req = BatchRequest { input: dir.join("entries.csv"), output: None, strict: false };
//! let report = run(&engine, &req, &|_| {}, &|_| {});
//! let written = (dir.join("duties.csv").exists(), dir.join("duties.rejects.csv").exists());
//! std::fs::remove_dir_all(&dir).unwrap();
//!
//! let report = report.unwrap();
//! assert_eq!((report.lines, report.records, report.assessed, report.rejected), (2, 2, 1, 1));
//! assert_eq!(report.total_duty.usd.to_string(), "50000.00");
//! assert!(report.total_duty.cad.is_zero());
//! // The output defaults to `duties.csv` beside the input, the rejects beside the output.
//! assert_eq!(report.output, dir.join("duties.csv"));
//! assert_eq!(report.rejects, rejects_path(&report.output));
//! assert_eq!(written, (true, true));
//! ```

use crate::{Engine, Error, Result};
use quid_data::batch::{BatchError, BatchSummary, ByCurrency};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// A batch: where the entries are and where the assessed lines go.
#[derive(Debug, Clone)]
pub struct BatchRequest {
    pub input: PathBuf,
    /// Default: `duties.csv` beside the input.
    pub output: Option<PathBuf>,
    /// Reject a line whose origin's measures are not modelled (otherwise it is assessed and
    /// counted in [`BatchReport::unmodelled`]).
    pub strict: bool,
}

/// What a batch did and where it wrote.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct BatchReport {
    /// Lines of the input after the header.
    pub lines: u64,
    /// Records read (a record may span lines); each is assessed or rejected.
    pub records: u64,
    pub assessed: u64,
    pub rejected: u64,
    /// Duty by currency (US entries in USD, Canadian entries in CAD; never added together).
    pub total_duty: ByCurrency,
    pub refundable: ByCurrency,
    /// Assessed lines dated after the newest date of the bundled data, and that date.
    pub after_known: u64,
    #[schemars(with = "Option<quid_core::schema::DateText>")]
    pub known_until: Option<quid_core::Date>,
    /// Assessed lines whose origin's measures are not modelled (only the base duty and the
    /// measures on every origin computed), by importer and origin.
    pub unmodelled: Vec<Unmodelled>,
    #[schemars(with = "String")]
    pub output: PathBuf,
    #[schemars(with = "String")]
    pub rejects: PathBuf,
}

/// Lines of one importer and origin whose origin's measures are not modelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Unmodelled {
    pub importer: quid_core::Country,
    pub origin: quid_core::Country,
    pub lines: u64,
}

/// Where rejected lines go: `<output stem>.rejects.csv` beside the output.
pub fn rejects_path(output: &Path) -> PathBuf {
    let stem = output
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "duties".into());
    output.with_file_name(format!("{stem}.rejects.csv"))
}

fn is_parquet(p: &Path) -> bool {
    p.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
}

fn batch_error(input: &Path, e: BatchError) -> Error {
    Error::Check(format!("assessing {}: {e}", input.display()))
}

/// Whether two paths name the same file (its device and inode on Unix, so a second name, a
/// `./` or a symlink is caught; the canonical paths elsewhere). A path that does not exist is
/// no file.
fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        ma.dev() == mb.dev() && ma.ino() == mb.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
    }
}

/// A file written beside its target and renamed over it only when everything succeeded, so a
/// failed run never touches an existing file.
struct Staged {
    target: PathBuf,
    temp: PathBuf,
}

impl Staged {
    fn new(target: &Path) -> Staged {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        Staged {
            target: target.to_path_buf(),
            temp: target.with_file_name(format!(".{name}.quid-{}.tmp", std::process::id())),
        }
    }

    fn create(&self) -> Result<std::fs::File> {
        std::fs::File::create(&self.temp).map_err(|e| Error::io("creating", &self.temp, e))
    }

    fn commit(self) -> Result<()> {
        let r = std::fs::rename(&self.temp, &self.target)
            .map_err(|e| Error::io("writing", &self.target, e));
        std::mem::forget(self);
        r
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.temp);
    }
}

/// Runs a batch. `start` is told the input's size in bytes once, `progress` the bytes read so
/// far as the batch goes.
pub fn run(
    engine: &Engine,
    req: &BatchRequest,
    start: &dyn Fn(u64),
    progress: &dyn Fn(u64),
) -> Result<BatchReport> {
    let input = &req.input;
    let output = req
        .output
        .clone()
        .unwrap_or_else(|| input.with_file_name("duties.csv"));
    let rejects_file = rejects_path(&output);
    // Nothing is created before the input is known to exist and to be neither output.
    std::fs::metadata(input).map_err(|e| Error::io("opening", input, e))?;
    for (flag, path) in [("--output", &output), ("the rejects file", &rejects_file)] {
        if same_file(input, path) {
            return Err(Error::invalid(
                flag,
                format!(
                    "{} is the input file {}; quid will not overwrite its input: choose another output",
                    path.display(),
                    input.display()
                ),
            ));
        }
    }
    let staged_rejects = Staged::new(&rejects_file);
    let rej = staged_rejects.create()?;
    let input_bytes: Option<Vec<u8>> = if is_parquet(input) {
        Some(quid_data::parquet_io::parquet_to_csv(input)?)
    } else {
        None
    };
    let size = match &input_bytes {
        Some(b) => b.len() as u64,
        None => std::fs::metadata(input)
            .map(|m| m.len())
            .map_err(|e| Error::io("opening", input, e))?,
    };
    start(size);
    let reader: Box<dyn std::io::Read + Send> = match input_bytes {
        Some(b) => Box::new(std::io::Cursor::new(b)),
        // The batch reads in large blocks itself: no buffering layer in between.
        None => Box::new(std::fs::File::open(input).map_err(|e| Error::io("opening", input, e))?),
    };
    let (policy, reference) = (&engine.policy, &engine.reference);
    type Pairs = std::collections::BTreeMap<(quid_core::Country, quid_core::Country), u64>;
    let unmodelled = std::sync::Mutex::new(Pairs::new());
    let coverage = engine.coverage();
    let check = |e: &quid_engine::Entry| -> std::result::Result<(), String> {
        engine.check_code(e).map_err(|e| e.to_string())?;
        if !coverage.origin_modelled(e) {
            coverage
                .check_origin(e, req.strict)
                .map_err(|e| e.to_string())?;
            if let Ok(mut m) = unmodelled.lock() {
                *m.entry((e.importer, e.origin)).or_default() += 1;
            }
        }
        Ok(())
    };
    let opts = quid_data::batch::Options {
        known_until: engine.known_until(),
        check: Some(&check),
        ..Default::default()
    };
    let sum: BatchSummary = if is_parquet(&output) {
        // A line with an amount DECIMAL(18,2) cannot hold is rejected with its reason, so the
        // file is always written whole.
        let opts = quid_data::batch::Options {
            max_amount: Some(quid_data::parquet_io::max_money()),
            ..opts
        };
        let mut buf = Vec::new();
        let sum = quid_data::batch::run_with(
            policy,
            reference,
            reader,
            &mut buf,
            std::io::BufWriter::new(rej),
            progress,
            &opts,
        )
        .map_err(|e| batch_error(input, e))?;
        let staged = Staged::new(&output);
        quid_data::parquet_io::csv_to_parquet(&buf, &staged.temp)?;
        staged.commit()?;
        sum
    } else {
        let staged = Staged::new(&output);
        let out = staged.create()?;
        let sum = quid_data::batch::run_with(
            policy,
            reference,
            reader,
            std::io::BufWriter::with_capacity(1 << 20, out),
            std::io::BufWriter::new(rej),
            progress,
            &opts,
        )
        .map_err(|e| batch_error(input, e))?;
        staged.commit()?;
        sum
    };
    staged_rejects.commit()?;
    Ok(BatchReport {
        lines: sum.lines,
        records: sum.records,
        assessed: sum.assessed,
        rejected: sum.rejected,
        total_duty: sum.total_duty,
        refundable: sum.refundable,
        after_known: sum.after_known,
        known_until: opts.known_until,
        unmodelled: unmodelled
            .into_inner()
            .unwrap_or_default()
            .into_iter()
            .map(|((importer, origin), lines)| Unmodelled {
                importer,
                origin,
                lines,
            })
            .collect(),
        output,
        rejects: rejects_file,
    })
}
