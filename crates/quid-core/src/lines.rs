//! Physical line numbers for byte offsets of a stream read once, front to back. A reader
//! adapter ([`tap`]) notes where line-end bytes pass; [`LineCounter::line_at`] turns a record's
//! byte offset, as a CSV reader reports it, into the line its first byte is on.
//!
//! Why not the CSV reader's own line count: the `csv` crate places a record that follows a CRLF
//! line end on the line before it (its start offset is the `\n` of the previous line's `\r\n`),
//! so every diagnostic of a Windows-made file named the wrong line. The adapter does no I/O of
//! its own.
//!
//! ```
//! use std::io::Read;
//! let (mut r, lines) = quid_core::lines::tap("h1,h2\r\na,b\r\n\r\nc,d\r\n".as_bytes());
//! let mut s = String::new();
//! r.read_to_string(&mut s).unwrap();
//! assert_eq!(lines.line_at(7), 2); // "a,b"
//! assert_eq!(lines.line_at(11), 4); // from the blank line's start: "c,d"
//! ```

use std::collections::VecDeque;
use std::io::Read;
use std::sync::{Arc, Mutex, PoisonError};

/// Line-end bytes seen and not yet passed by a query.
#[derive(Debug, Default)]
struct Ends {
    /// Offsets of `\r` and `\n` bytes, with true for `\n`.
    pending: VecDeque<(u64, bool)>,
    /// Newlines before the first pending entry.
    newlines_before: u64,
}

/// A reader that notes the offsets of line ends as they pass.
#[derive(Debug)]
pub struct LineTap<R> {
    inner: R,
    offset: u64,
    ends: Arc<Mutex<Ends>>,
}

/// Answers line numbers for the stream read through the matching [`LineTap`].
#[derive(Debug, Clone)]
pub struct LineCounter {
    ends: Arc<Mutex<Ends>>,
}

/// Wraps `inner`; the counter answers for bytes the tap has already read.
pub fn tap<R: Read>(inner: R) -> (LineTap<R>, LineCounter) {
    let ends = Arc::new(Mutex::new(Ends::default()));
    (
        LineTap {
            inner,
            offset: 0,
            ends: Arc::clone(&ends),
        },
        LineCounter { ends },
    )
}

impl<R: Read> Read for LineTap<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut ends = self.ends.lock().unwrap_or_else(PoisonError::into_inner);
        // Eight bytes at a time; only a word holding a line end is looked at byte by byte.
        let mut at = 0;
        for word in buf[..n].chunks(8) {
            if word.len() < 8 || has_line_end(word) {
                for (i, &b) in word.iter().enumerate() {
                    if b == b'\n' || b == b'\r' {
                        ends.pending
                            .push_back((self.offset + (at + i) as u64, b == b'\n'));
                    }
                }
            }
            at += word.len();
        }
        self.offset += n as u64;
        Ok(n)
    }
}

/// True when one of the eight bytes is `\n` or `\r` (a byte of `x` is zero exactly where the
/// word held the byte XORed in; the test sets the high bit of exactly those bytes).
fn has_line_end(word: &[u8]) -> bool {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let mut w = [0u8; 8];
    w.copy_from_slice(word);
    let w = u64::from_le_bytes(w);
    let zero = |x: u64| !(((x & LOW7) + LOW7) | x | LOW7);
    zero(w ^ 0x0a0a_0a0a_0a0a_0a0a) | zero(w ^ 0x0d0d_0d0d_0d0d_0d0d) != 0
}

impl LineCounter {
    /// The 1-based line of the first byte at or after `offset` that is not a line end. Queries
    /// must come in increasing offset order (records are read in order).
    pub fn line_at(&self, offset: u64) -> u64 {
        let mut ends = self.ends.lock().unwrap_or_else(PoisonError::into_inner);
        let mut pos = offset;
        while let Some(&(at, newline)) = ends.pending.front() {
            if at > pos {
                break;
            }
            if at == pos {
                pos += 1;
            }
            ends.newlines_before += u64::from(newline);
            ends.pending.pop_front();
        }
        1 + ends.newlines_before
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(text: &str, offsets: &[u64]) -> Vec<u64> {
        let (mut r, lines) = tap(text.as_bytes());
        let mut sink = Vec::new();
        r.read_to_end(&mut sink).expect("read");
        offsets.iter().map(|&o| lines.line_at(o)).collect()
    }

    #[test]
    fn every_line_end_is_seen_whatever_its_place_in_a_word() {
        for pad in 0..9 {
            let text = format!("{}x\r\ny\nz", "a".repeat(pad));
            let (mut r, lines) = tap(text.as_bytes());
            let mut sink = Vec::new();
            r.read_to_end(&mut sink).expect("read");
            assert_eq!(lines.line_at(pad as u64 + 3), 2, "pad {pad}");
            assert_eq!(lines.line_at(pad as u64 + 5), 3, "pad {pad}");
        }
    }

    #[test]
    fn lf_crlf_and_blank_lines() {
        assert_eq!(lines_of("h\na\nb\n", &[0, 2, 4]), [1, 2, 3]);
        // The csv crate reports the `\n` of the previous CRLF as a record's start.
        assert_eq!(lines_of("h\r\na\r\nb\r\n", &[0, 2, 5]), [1, 2, 3]);
        assert_eq!(lines_of("h\r\na\r\nb\r\n", &[0, 3, 6]), [1, 2, 3]);
        assert_eq!(lines_of("h\n\n\nb\n", &[0, 2]), [1, 4]);
        assert_eq!(lines_of("h\r\n\r\nb\r\n", &[0, 2]), [1, 3]);
    }
}
