//! Opening files (plain or gzip) and reading CSV with header-checked columns and line numbers.
//!
//! A gzip-compressed CSV read as if it were plain, a bad cell reported by line and column, and a
//! missing column refused at the header:
//!
//! ```
//! use flate2::{write::GzEncoder, Compression};
//! use quid_data::reader::{field, read_to_string, Csv};
//! use std::io::Write;
//!
//! let path = std::env::temp_dir().join(format!("quid-doc-reader-{}.csv.gz", std::process::id()));
//! let mut gz = GzEncoder::new(std::fs::File::create(&path).unwrap(), Compression::default());
//! gz.write_all(b"partner,share\nCA,0.38\nMX,lots\n").unwrap();
//! gz.finish().unwrap();
//! assert_eq!(read_to_string(&path).unwrap(), "partner,share\nCA,0.38\nMX,lots\n");
//!
//! let mut csv = Csv::open(&path, &["partner", "share"]).unwrap();
//! let (partner, share) = (csv.col("partner").unwrap(), csv.col("share").unwrap());
//! let (mut shares, mut problems) = (Vec::new(), Vec::new());
//! for rec in csv.records() {
//!     let (line, rec) = rec.unwrap();
//!     match field::<f64>(&path, line, &rec, share, "share", "a share from 0 to 1") {
//!         Ok(s) => shares.push((rec[partner].to_string(), s)),
//!         Err(e) => problems.extend(e.diagnostics()),
//!     }
//! }
//! let missing = Csv::open(&path, &["partner", "year"]).err().unwrap();
//! std::fs::remove_file(&path).unwrap();
//!
//! assert_eq!(shares, [("CA".to_string(), 0.38)]);
//! // The header is line 1, so MX is line 3.
//! let p = &problems[0];
//! assert_eq!(
//!     (p.line, p.field.as_deref(), p.message.as_str()),
//!     (Some(3), Some("share"), "\"lots\" is not a share from 0 to 1")
//! );
//! assert_eq!(
//!     missing.diagnostics()[0].message,
//!     "missing column(s) year; expected a header with partner, year"
//! );
//! ```

use crate::error::DataError;
use std::io::Read;
use std::path::Path;

/// Opens a file for reading, decompressing it when its name ends in `.gz`; a regular file of
/// at most [`crate::bounded::MAX_FILE_BYTES`] (decompressed), see [`crate::bounded`].
pub fn open(path: &Path) -> Result<Box<dyn Read + Send>, DataError> {
    crate::bounded::open(path)
}

/// Reads a whole file (decompressed) into a string, with the same limit.
pub fn read_to_string(path: &Path) -> Result<String, DataError> {
    crate::bounded::read_string(path, crate::bounded::MAX_FILE_BYTES)
}

/// A CSV file with its header checked and columns looked up by name.
pub struct Csv {
    pub path: std::path::PathBuf,
    reader: csv::Reader<quid_core::lines::LineTap<Box<dyn Read + Send>>>,
    headers: csv::StringRecord,
    /// Physical lines (the CSV reader's own count is one short after CRLF line ends).
    lines: quid_core::lines::LineCounter,
}

impl Csv {
    /// Opens a CSV file and checks that every `required` column is present.
    pub fn open(path: &Path, required: &[&str]) -> Result<Csv, DataError> {
        let (input, lines) = quid_core::lines::tap(open(path)?);
        let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(input);
        let headers = reader
            .headers()
            .map_err(|e| {
                DataError::at(path, Some(1), None, format!("cannot read the header: {e}"))
            })?
            .clone();
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|c| !headers.iter().any(|h| h == *c))
            .collect();
        if !missing.is_empty() {
            return Err(DataError::at(
                path,
                Some(1),
                None,
                format!(
                    "missing column(s) {}; expected a header with {}",
                    missing.join(", "),
                    required.join(", ")
                ),
            ));
        }
        Ok(Csv {
            path: path.to_path_buf(),
            reader,
            headers,
            lines,
        })
    }

    /// The index of a column (checked in [`Csv::open`] for required columns).
    pub fn col(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// The header row.
    pub fn headers(&self) -> &csv::StringRecord {
        &self.headers
    }

    /// Iterates records with their 1-based line numbers; a malformed record is an error that
    /// names its line.
    pub fn records(
        &mut self,
    ) -> impl Iterator<Item = Result<(u64, csv::StringRecord), DataError>> + '_ {
        let path = self.path.clone();
        let lines = self.lines.clone();
        self.reader.records().map(move |r| match r {
            Ok(rec) => {
                let line = rec.position().map_or(0, |p| lines.line_at(p.byte()));
                Ok((line, rec))
            }
            Err(e) => {
                let line = e.position().map(|p| lines.line_at(p.byte()));
                Err(DataError::at(
                    &path,
                    line,
                    None,
                    format!("malformed CSV record: {e}"),
                ))
            }
        })
    }
}

/// Parses a field, producing an error that names the file, line and column.
pub fn field<T: std::str::FromStr>(
    path: &Path,
    line: u64,
    rec: &csv::StringRecord,
    idx: usize,
    name: &str,
    expected: &str,
) -> Result<T, DataError> {
    let raw = rec.get(idx).unwrap_or("").trim();
    raw.parse::<T>().map_err(|_| {
        DataError::at(
            path,
            Some(line),
            Some(name),
            format!("{raw:?} is not {expected}"),
        )
    })
}

/// Like [`field`] but an empty cell (or `NA`) is `None`.
pub fn opt_field<T: std::str::FromStr>(
    path: &Path,
    line: u64,
    rec: &csv::StringRecord,
    idx: usize,
    name: &str,
    expected: &str,
) -> Result<Option<T>, DataError> {
    let raw = rec.get(idx).unwrap_or("").trim();
    if raw.is_empty() || raw == "NA" {
        return Ok(None);
    }
    field(path, line, rec, idx, name, expected).map(Some)
}
