//! Cutting a CSV byte stream into blocks that each hold whole records, so that workers can
//! parse them independently, and numbering the lines each block starts on.
//!
//! A block ends just after the last newline that is outside a quoted field. Quote state is
//! tracked from the block's start (which is always a record boundary) by the CSV reader's rule:
//! a quote opens a field only at the field's start, `""` inside a quoted field is a quote, and a
//! quote inside an unquoted field (`O"Brien`) is a plain character. A file whose lines end with a lone
//! carriage return (no newline at all) is one block: it is still read correctly, by one worker.
//!
//! ```text
//! id,hts\n"a\nb",7208\nc,72   ->   block: id,hts\n"a\nb",7208\n   carried over: c,72
//! ```

use std::io::Read;

/// Bytes read per block before cutting at a record boundary.
pub(super) const BLOCK: usize = 1 << 19;

/// Whole records, with where they sit in the input.
pub(super) struct Block {
    /// Position in input order (0, 1, 2, ...).
    pub seq: u64,
    /// Line number of the block's first byte (1-based, counting every newline).
    pub first_line: u64,
    pub bytes: Vec<u8>,
    /// Bytes of input consumed once this block is done.
    pub end_offset: u64,
}

/// The record ends of `buf` (which starts on a record boundary): the offsets just past each
/// newline outside a quoted field, in order. As for the CSV reader, a quote opens a quoted field
/// only at the start of a field (after a comma or a line end); inside one, `""` is a quote and
/// any other quote closes it; elsewhere a quote is a plain character (`O"Brien`).
fn boundaries(buf: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let mut in_quotes = false;
    let mut skip = None;
    memchr::memchr2_iter(b'"', b'\n', buf).filter_map(move |i| {
        if skip == Some(i) {
            return None;
        }
        match buf[i] {
            b'"' if in_quotes => {
                if buf.get(i + 1) == Some(&b'"') {
                    skip = Some(i + 1);
                } else {
                    in_quotes = false;
                }
                None
            }
            b'"' => {
                in_quotes = i == 0 || matches!(buf[i - 1], b',' | b'\n' | b'\r');
                None
            }
            _ => (!in_quotes).then_some(i + 1),
        }
    })
}

/// Length of the longest prefix of `buf` (which starts on a record boundary) that ends on one.
pub(super) fn last_boundary(buf: &[u8]) -> Option<usize> {
    if memchr::memchr(b'"', buf).is_none() {
        return memchr::memrchr(b'\n', buf).map(|i| i + 1);
    }
    boundaries(buf).last()
}

/// Length of the shortest prefix of `buf` (which starts on a record boundary) that ends on one.
pub(super) fn first_boundary(buf: &[u8]) -> Option<usize> {
    boundaries(buf).next()
}

/// Number of newlines in `bytes`, eight bytes at a time: in `x = word ^ 0x0a0a..`, a byte is
/// zero exactly where the word had a newline, and `!(((x & 0x7f..) + 0x7f..) | x | 0x7f..)`
/// sets the high bit of exactly those bytes (no carries cross bytes).
pub(super) fn newlines(bytes: &[u8]) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let mut chunks = bytes.chunks_exact(8);
    let mut n = 0u64;
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let x = u64::from_le_bytes(w) ^ 0x0a0a_0a0a_0a0a_0a0a;
        let zero = !(((x & LOW7) + LOW7) | x | LOW7);
        n += u64::from(zero.count_ones());
    }
    n + chunks.remainder().iter().filter(|&&b| b == b'\n').count() as u64
}

/// Number of lines in `bytes`: its line ends (a newline, or a carriage return not followed by
/// one) and a last line without an end.
pub(super) fn lines(bytes: &[u8]) -> u64 {
    let lone_cr = memchr::memchr_iter(b'\r', bytes)
        .filter(|&i| bytes.get(i + 1) != Some(&b'\n'))
        .count() as u64;
    let open = !bytes.is_empty() && !matches!(bytes.last(), Some(b'\n' | b'\r'));
    newlines(bytes) + lone_cr + u64::from(open)
}

/// Reads until `buf` holds at least `target` bytes; true at the end of the input.
pub(super) fn fill<R: Read>(
    input: &mut R,
    buf: &mut Vec<u8>,
    target: usize,
) -> std::io::Result<bool> {
    while buf.len() < target {
        let start = buf.len();
        buf.resize(target, 0);
        match input.read(&mut buf[start..]) {
            Ok(0) => {
                buf.truncate(start);
                return Ok(true);
            }
            Ok(n) => buf.truncate(start + n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => buf.truncate(start),
            Err(e) => {
                buf.truncate(start);
                return Err(e);
            }
        }
    }
    Ok(false)
}

/// The input after its header: blocks of whole records, numbered from `first_line`.
pub(super) struct Blocks<R> {
    input: R,
    carry: Vec<u8>,
    seq: u64,
    line: u64,
    offset: u64,
    done: bool,
}

impl<R: Read> Blocks<R> {
    /// `carry` holds bytes already read past the header; `offset` counts the bytes before it.
    pub(super) fn new(input: R, carry: Vec<u8>, first_line: u64, offset: u64) -> Blocks<R> {
        Blocks {
            input,
            carry,
            seq: 0,
            line: first_line,
            offset,
            done: false,
        }
    }

    /// The next block, read into `buf` (a recycled buffer); `None` at the end of the input.
    pub(super) fn next_block(&mut self, mut buf: Vec<u8>) -> std::io::Result<Option<Block>> {
        if self.done {
            return Ok(None);
        }
        buf.clear();
        buf.append(&mut self.carry);
        let mut target = BLOCK.max(buf.len() + 1);
        let cut = loop {
            if fill(&mut self.input, &mut buf, target)? {
                self.done = true;
                break buf.len();
            }
            if let Some(cut) = last_boundary(&buf) {
                break cut;
            }
            // One record longer than a block: read more.
            target *= 2;
        };
        self.carry.extend_from_slice(&buf[cut..]);
        buf.truncate(cut);
        if buf.is_empty() {
            return Ok(None);
        }
        let block = Block {
            seq: self.seq,
            first_line: self.line,
            end_offset: self.offset + buf.len() as u64,
            bytes: buf,
        };
        self.seq += 1;
        self.line += newlines(&block.bytes);
        self.offset = block.end_offset;
        Ok(Some(block))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newlines_are_counted_exactly() {
        let mut text = Vec::new();
        for i in 0..2000u32 {
            // Every byte value, newlines at irregular places.
            text.push((i.wrapping_mul(2_654_435_761) >> 24) as u8);
            if i % 7 == 0 || i % 11 == 0 {
                text.push(b'\n');
            }
        }
        for start in 0..9 {
            let want = text[start..].iter().filter(|&&b| b == b'\n').count() as u64;
            assert_eq!(newlines(&text[start..]), want, "from {start}");
        }
    }

    #[test]
    fn boundaries_skip_newlines_inside_quotes() {
        let t = b"id,hts\n\"a\nb\",7208\nc,72";
        assert_eq!(first_boundary(t), Some(7));
        assert_eq!(last_boundary(t), Some(18));
        assert_eq!(last_boundary(b"\"open\nquote"), None);
        assert_eq!(last_boundary(b"no newline"), None);
        assert_eq!(last_boundary(b"\"a \"\"b\"\"\",1\n"), Some(12));
        // A quote inside an unquoted field is a plain character: the newline after it ends the
        // record, and the quoted field of the next line still opens.
        let t = b"O\"Brien,1\n\"a\nb\",2\nc,3\n";
        assert_eq!(first_boundary(t), Some(10));
        assert_eq!(last_boundary(t), Some(t.len()));
        assert_eq!(boundaries(t).collect::<Vec<_>>(), [10, 18, 22]);
        // A quoted field opened after a line end or a comma; `"""` closes after a doubled quote.
        assert_eq!(
            boundaries(b"x,\"\n\"\"\"\ny\n").collect::<Vec<_>>(),
            [8, 10]
        );
    }

    #[test]
    fn blocks_hold_whole_records_and_count_lines() {
        let mut text = Vec::new();
        for i in 0..100_000 {
            text.extend_from_slice(format!("\"id {i}\nsecond line\",US,CA\n").as_bytes());
        }
        let mut blocks = Blocks::new(&text[..], Vec::new(), 2, 0);
        let (mut seen, mut n) = (Vec::new(), 0);
        while let Some(b) = blocks.next_block(Vec::new()).expect("read") {
            assert_eq!(b.first_line, 2 + 2 * n, "block {}", b.seq);
            assert!(b.bytes.ends_with(b",US,CA\n"));
            n += newlines(&b.bytes) / 2;
            seen.extend_from_slice(&b.bytes);
        }
        assert_eq!(seen, text);
        assert!(n == 100_000);
    }

    fn csv_records(b: &[u8]) -> Vec<Vec<Vec<u8>>> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(b);
        rdr.byte_records()
            .map(|r| {
                r.map(|r| r.iter().map(<[u8]>::to_vec).collect())
                    .unwrap_or_default()
            })
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512),
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// Cutting at every boundary the splitter finds and reading the pieces apart gives the
        /// CSV reader's records of the whole (issue 12: the splitter follows the reader's rule).
        #[test]
        fn cutting_at_boundaries_keeps_the_csv_readers_records(
            b in proptest::collection::vec(
                proptest::sample::select(vec![b'a', b',', b'"', b'\n', b'\r']), 0..60)
        ) {
            let whole = csv_records(&b);
            let mut pieces = Vec::new();
            let mut start = 0;
            for cut in boundaries(&b).collect::<Vec<_>>() {
                pieces.extend(csv_records(&b[start..cut]));
                start = cut;
            }
            pieces.extend(csv_records(&b[start..]));
            proptest::prop_assert_eq!(pieces, whole);
        }
    }
}
