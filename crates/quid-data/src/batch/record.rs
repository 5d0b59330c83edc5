//! The records of one block, split into fields. A plain line (no quote, no lone carriage
//! return) is split in place on its commas; any other record goes through `csv_core`, which
//! unescapes its fields into a scratch buffer. Either way a record is its bytes and the bounds
//! of each field, and knows the physical line it starts on. Blank lines are skipped.
//!
//! ```text
//! US,CA,7208.10.15.00\r\n    ->  fields US | CA | 7208.10.15.00           (in place)
//! "a ""b""",US\n              ->  fields a "b" | US                        (unescaped)
//! ```

use csv_core::ReadRecordResult;

/// One record: its fields and the lines it starts and ends on.
pub(super) struct Record<'a> {
    pub line: u64,
    pub end_line: u64,
    /// The first quoted field that holds a line end or never closes: the line its quote opened
    /// on, and whether it closes.
    pub quote: Option<(u64, bool)>,
    /// The bytes the bounds index into.
    pub data: &'a [u8],
    bounds: &'a [(usize, usize)],
}

impl<'a> Record<'a> {
    /// The byte range of field `i` in `data`.
    pub fn range(&self, i: usize) -> Option<std::ops::Range<usize>> {
        self.bounds.get(i).map(|&(s, e)| s..e)
    }

    /// The number of fields.
    pub fn width(&self) -> usize {
        self.bounds.len()
    }

    /// Every field, as read.
    pub fn fields(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        self.bounds.iter().map(|&(s, e)| &self.data[s..e])
    }
}

/// The records of a block, one at a time.
pub(super) struct Records<'b> {
    bytes: &'b [u8],
    pos: usize,
    line: u64,
    /// Built on the first quoted record (building its automaton is not free).
    core: Option<Box<csv_core::Reader>>,
    scratch: Vec<u8>,
    ends: Vec<usize>,
    bounds: Vec<(usize, usize)>,
}

impl<'b> Records<'b> {
    /// The records of `bytes`, whose first byte is on line `first_line`.
    pub fn new(bytes: &'b [u8], first_line: u64) -> Records<'b> {
        Records {
            bytes,
            pos: 0,
            line: first_line,
            core: None,
            scratch: vec![0; 256],
            ends: vec![0; 32],
            bounds: Vec::with_capacity(32),
        }
    }

    /// The next record, or `None` at the end of the block.
    pub fn next_record(&mut self) -> Option<Record<'_>> {
        loop {
            let rest = &self.bytes[self.pos..];
            if rest.is_empty() {
                return None;
            }
            // One pass over the line: its commas and its end. A quote or a lone carriage return
            // stops the pass: that record goes to the full reader.
            self.bounds.clear();
            let (mut line_end, mut next, mut field_start) = (rest.len(), rest.len(), 0);
            let mut special = false;
            for (i, &b) in rest.iter().enumerate() {
                match b {
                    b',' => {
                        self.bounds.push((field_start, i));
                        field_start = i + 1;
                    }
                    b'\n' => {
                        (line_end, next) = (i, i + 1);
                        break;
                    }
                    b'\r' if rest.get(i + 1) == Some(&b'\n') => {
                        (line_end, next) = (i, i + 2);
                        break;
                    }
                    b'"' | b'\r' => {
                        special = true;
                        break;
                    }
                    _ => {}
                }
            }
            if special {
                return self.quoted();
            }
            let ended = next > line_end;
            let line = &rest[..line_end];
            if line.is_empty() {
                self.pos += next;
                self.line += u64::from(ended);
                continue;
            }
            let start = self.pos;
            self.bounds.push((field_start, line.len()));
            self.pos += next;
            let record_line = self.line;
            self.line += u64::from(ended);
            return Some(Record {
                line: record_line,
                end_line: record_line,
                quote: None,
                data: &self.bytes[start..start + line.len()],
                bounds: &self.bounds,
            });
        }
    }

    /// A record with quotes or carriage returns, read by `csv_core` (it may span lines).
    fn quoted(&mut self) -> Option<Record<'_>> {
        let record_line = self.line;
        let raw_start = self.pos;
        let (mut nout, mut nends) = (0, 0);
        let core = self
            .core
            .get_or_insert_with(|| Box::new(csv_core::Reader::new()));
        loop {
            let input = &self.bytes[self.pos..];
            let (res, nin, o, e) =
                core.read_record(input, &mut self.scratch[nout..], &mut self.ends[nends..]);
            self.line += super::split::newlines(&input[..nin]);
            self.pos += nin;
            nout += o;
            nends += e;
            match res {
                ReadRecordResult::OutputFull => {
                    let n = self.scratch.len() * 2;
                    self.scratch.resize(n, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let n = self.ends.len() * 2;
                    self.ends.resize(n, 0);
                }
                // At the end of the block: an empty read tells the reader the input ended.
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::Record => break,
                ReadRecordResult::End => {
                    if nends == 0 {
                        return None;
                    }
                    break;
                }
            }
        }
        self.bounds.clear();
        let mut start = 0;
        for &end in &self.ends[..nends] {
            self.bounds.push((start, end));
            start = end;
        }
        let raw = &self.bytes[raw_start..self.pos];
        let body = raw.strip_suffix(b"\n").unwrap_or(raw);
        let quote = multiline_quote(raw)
            .map(|(at, closed)| (record_line + super::split::newlines(&raw[..at]), closed));
        Some(Record {
            line: record_line,
            end_line: record_line + super::split::newlines(body),
            quote,
            data: &self.scratch[..nout],
            bounds: &self.bounds,
        })
    }
}

/// The first quoted field of a raw record that holds a line end or is never closed: the offset
/// of its opening quote, and whether it closes. A quote opens a field only at the field's start,
/// as for the CSV reader.
fn multiline_quote(raw: &[u8]) -> Option<(usize, bool)> {
    let (mut i, mut field_start) = (0, true);
    while i < raw.len() {
        if field_start && raw[i] == b'"' {
            let open = i;
            let mut spans = false;
            i += 1;
            loop {
                match raw.get(i) {
                    None => return Some((open, false)),
                    Some(b'"') if raw.get(i + 1) == Some(&b'"') => i += 2,
                    Some(b'"') => break,
                    Some(b) => {
                        spans |= matches!(b, b'\n' | b'\r');
                        i += 1;
                    }
                }
            }
            if spans {
                return Some((open, true));
            }
        }
        field_start = raw[i] == b',';
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &[u8]) -> Vec<(u64, Vec<String>)> {
        let mut r = Records::new(text, 2);
        let mut out = Vec::new();
        while let Some(rec) = r.next_record() {
            out.push((
                rec.line,
                rec.fields()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect(),
            ));
        }
        out
    }

    #[test]
    fn plain_quoted_and_blank_lines_agree_with_the_csv_crate() {
        let text: &[u8] =
            b"a,b,,c\r\n\n\"x, \"\"y\"\"\",\"two\nlines\",z\nlast,\r\n,\n\"q\",1\r\nm\rn\n\"end\"";
        let got = all(text);
        let mut want = Vec::new();
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text);
        for rec in rdr.byte_records() {
            let rec = rec.expect("record");
            want.push(
                rec.iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect::<Vec<_>>(),
            );
        }
        assert_eq!(got.iter().map(|(_, f)| f.clone()).collect::<Vec<_>>(), want);
        let lines: Vec<u64> = got.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [2, 4, 6, 7, 8, 9, 9, 10]);
    }
}
