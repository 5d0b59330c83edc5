//! Reading one entry from a CSV record: which column is which (by header name, any order); the
//! fields go to the engine's one conversion ([`quid_engine::record`]).

use super::record::Record;
use quid_engine::record::Fields;
pub use quid_engine::record::{COLUMNS, REQUIRED};
use quid_engine::Entry;

/// Where each of [`COLUMNS`] is in the input, when it is there.
#[derive(Clone, Copy, Debug)]
pub(super) struct Cols([Option<usize>; 18]);

impl Cols {
    pub(super) fn of(headers: &csv::ByteRecord) -> Cols {
        let mut c = [None; 18];
        for (i, name) in COLUMNS.iter().enumerate() {
            c[i] = headers.iter().position(|h| {
                std::str::from_utf8(h).is_ok_and(|h| h.trim().eq_ignore_ascii_case(name))
            });
        }
        Cols(c)
    }

    /// The required columns the header lacks.
    pub(super) fn missing(&self) -> Vec<&'static str> {
        REQUIRED
            .iter()
            .copied()
            .filter(|r| {
                COLUMNS
                    .iter()
                    .position(|c| c == r)
                    .and_then(|i| self.0[i])
                    .is_none()
            })
            .collect()
    }

    /// Field `col` of a record whose whole text is `text`, trimmed; `None` when absent or empty.
    pub(super) fn get<'r>(&self, text: &'r str, rec: &Record<'_>, col: usize) -> Option<&'r str> {
        self.0[col]
            .and_then(|j| rec.range(j))
            .and_then(|r| text.get(r))
            .map(str::trim_ascii)
            .filter(|s| !s.is_empty())
    }
}

/// Reads one entry from a record whose whole text is `text`; the error names the field and
/// what was expected.
pub(super) fn entry(cols: &Cols, text: &str, rec: &Record<'_>) -> Result<Entry, String> {
    let mut f = Fields::default();
    for (i, slot) in f.0.iter_mut().enumerate() {
        *slot = cols.get(text, rec, i);
    }
    f.to_entry().map_err(|e| e.to_string())
}
