//! Batch assessment on the bundled data: order kept, bad lines rejected with their reason and
//! line number (nothing lost), and the Parquet output readable back with the same amounts.

use quid_data::params::read_metal_shares;
use quid_data::reference::BundleReference;
use quid_data::{Bundle, Schedules};

const INPUT: &str = "id,importer,origin,hts,date,value,quantity,unit,usmca,us_content
coil,US,CA,7208.10.15.00,2025-07-01,100000,,,false,
car,US,CA,8703.23.01.60,2025-09-01,40000,1,each,true,0.40
bad-date,US,CA,7208.10.15.00,2025-02-30,100000,,,false,
bad-country,US,XX,7208.10.15.00,2025-07-01,100000,,,false,
steel-into-canada,CA,US,7208.10.00,2025-05-01,100000,,,false,
no-unit,US,CA,0401.10.00.00,2025-07-01,100,50,,false,
";

fn engine() -> (quid_engine::Policy, BundleReference) {
    let b = Bundle::at(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
    let policy = quid_data::measures::load_policy(&b, false).expect("measures");
    let reference = BundleReference::new(
        Schedules::load_bundled(&b).expect("schedules"),
        &read_metal_shares(&b.metal_content()).expect("metal"),
    );
    (policy, reference)
}

#[test]
fn batch_keeps_order_and_rejects_with_reasons() {
    let (policy, reference) = engine();
    let (mut out, mut rej) = (Vec::new(), Vec::new());
    let sum = quid_data::batch::run(
        &policy,
        &reference,
        INPUT.as_bytes(),
        &mut out,
        &mut rej,
        &|_| {},
    )
    .expect("batch");
    assert_eq!((sum.lines, sum.assessed, sum.rejected), (6, 3, 3));
    let out = String::from_utf8(out).expect("utf8");
    let ids: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap_or(""))
        .collect();
    assert_eq!(ids, ["coil", "car", "steel-into-canada"]);
    // Proclamation 10947: 50% on Canadian steel articles from 2025-06-04.
    assert!(
        out.lines()
            .nth(1)
            .is_some_and(|l| l.contains(",50000.00,50000.00,")),
        "{out}"
    );
    let rej = String::from_utf8(rej).expect("utf8");
    let lines: Vec<&str> = rej.lines().collect();
    assert!(lines[0].starts_with("line,reason,id,importer"));
    assert!(
        lines[1].starts_with("4,") && lines[1].contains("date"),
        "{rej}"
    );
    assert!(
        lines[2].starts_with("5,") && lines[2].contains("origin"),
        "{rej}"
    );
    assert!(
        lines[3].starts_with("7,") && lines[3].contains("unit"),
        "{rej}"
    );
}

#[test]
fn missing_required_column_is_a_clear_error() {
    let (policy, reference) = engine();
    let err = quid_data::batch::run(
        &policy,
        &reference,
        "importer,origin,hts\nUS,CA,7208\n".as_bytes(),
        Vec::new(),
        Vec::new(),
        &|_| {},
    )
    .expect_err("must fail");
    let msg = err.to_string();
    assert!(msg.contains("missing column(s) date, value"), "{msg}");
}

#[test]
fn parquet_output_round_trips() {
    let (policy, reference) = engine();
    let mut out = Vec::new();
    quid_data::batch::run(
        &policy,
        &reference,
        INPUT.as_bytes(),
        &mut out,
        Vec::new(),
        &|_| {},
    )
    .expect("batch");
    let dir = std::env::temp_dir().join(format!("quid-parquet-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let path = dir.join("duties.parquet");
    let n = quid_data::parquet_io::csv_to_parquet(&out, &path).expect("write parquet");
    assert_eq!(n, 3);
    let back =
        String::from_utf8(quid_data::parquet_io::parquet_to_csv(&path).expect("read parquet"))
            .expect("utf8");
    let first = back.lines().nth(1).expect("a row");
    assert!(
        first.contains("coil") && first.contains("2025-07-01") && first.contains("50000.00"),
        "{back}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn run_batch(input: &[u8]) -> (quid_data::batch::BatchSummary, String, String) {
    let (policy, reference) = engine();
    let (mut out, mut rej) = (Vec::new(), Vec::new());
    let sum = quid_data::batch::run(&policy, &reference, input, &mut out, &mut rej, &|_| {})
        .expect("batch");
    (
        sum,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&rej).into_owned(),
    )
}

/// Regression: with CRLF line ends the reported line numbers were one short (the CSV reader's
/// line count was used); they are now the file's physical lines.
#[test]
fn rejects_name_the_physical_line_with_crlf_endings() {
    let input = INPUT.replace('\n', "\r\n");
    let (sum, out, rej) = run_batch(input.as_bytes());
    assert_eq!((sum.assessed, sum.rejected), (3, 3));
    let numbers: Vec<&str> = rej
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap_or(""))
        .collect();
    assert_eq!(numbers, ["4", "5", "7"], "{rej}");
    let out_numbers: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap_or(""))
        .collect();
    assert_eq!(out_numbers, ["2", "3", "6"], "{out}");
}

/// Many blocks (the input is cut into blocks of whole records for the workers): every line is
/// assessed or rejected once, in input order, with its physical line number, including ids
/// that hold quoted newlines and commas.
#[test]
fn large_input_keeps_order_and_line_numbers_across_blocks() {
    let mut input = String::from("id,importer,origin,hts,date,value\n");
    let mut line = 2u64;
    let mut expect_out = Vec::new();
    let mut expect_rej = Vec::new();
    for i in 0..40_000u64 {
        match i % 7 {
            0 => {
                input.push_str(&format!(
                    "\"multi\nline, {i}\",US,CA,7208.10.15.00,2025-07-01,100\n"
                ));
                expect_out.push(line);
                line += 2;
            }
            3 => {
                input.push_str(&format!("bad{i},US,CA,7208.10.15.00,2025-13-01,100\n"));
                expect_rej.push(line);
                line += 1;
            }
            _ => {
                input.push_str(&format!("e{i},US,MX,9403.20.00.90,2025-09-15,{i}\n"));
                expect_out.push(line);
                line += 1;
            }
        }
    }
    let (sum, out, rej) = run_batch(input.as_bytes());
    // 40,000 records; the 5,715 ids with a quoted newline (i = 0, 7, ..., 39,998) take two lines.
    assert_eq!((sum.records, sum.lines), (40_000, 45_715));
    assert_eq!(sum.assessed as usize, expect_out.len());
    assert_eq!(sum.rejected as usize, expect_rej.len());
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    let got: Vec<u64> = rdr
        .records()
        .map(|r| r.expect("record")[0].parse().expect("line number"))
        .collect();
    assert_eq!(got, expect_out);
    let mut rdr = csv::Reader::from_reader(rej.as_bytes());
    let got: Vec<u64> = rdr
        .records()
        .map(|r| r.expect("record")[0].parse().expect("line number"))
        .collect();
    assert_eq!(got, expect_rej);
    assert!(
        out.contains("\"multi\nline, 0\""),
        "the id is written back quoted"
    );
}

#[test]
fn a_field_that_is_not_utf8_is_rejected_and_kept() {
    let mut input = b"id,importer,origin,hts,date,value\n".to_vec();
    input.extend_from_slice(b"caf\xe9,US,CA,7208.10.15.00,2025-07-01,100\n");
    input.extend_from_slice(b"ok,US,CA,7208.10.15.00,2025-07-01,100\n");
    let (policy, reference) = engine();
    let (mut out, mut rej) = (Vec::new(), Vec::new());
    let sum = quid_data::batch::run(&policy, &reference, &input[..], &mut out, &mut rej, &|_| {})
        .expect("batch");
    assert_eq!((sum.assessed, sum.rejected), (1, 1));
    assert!(
        rej.windows(7).any(|w| w == b"caf\xe9,US"),
        "the raw bytes are kept"
    );
    let rej = String::from_utf8_lossy(&rej);
    assert!(rej.contains("2,field 1 is not valid UTF-8 text"), "{rej}");
}

#[test]
fn a_byte_order_mark_before_the_header_is_ignored() {
    let input = format!("\u{feff}{INPUT}");
    let (sum, _, _) = run_batch(input.as_bytes());
    assert_eq!((sum.assessed, sum.rejected), (3, 3));
}

/// Input that fails after some good lines.
struct FailingReader {
    data: Vec<u8>,
    at: usize,
}

impl std::io::Read for FailingReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.at >= self.data.len() {
            return Err(std::io::Error::other("disk went away"));
        }
        let n = buf.len().min(self.data.len() - self.at).min(4096);
        buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Output that accepts a little and then fails.
struct FailingWriter(usize);

impl std::io::Write for FailingWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.0 < buf.len() {
            return Err(std::io::Error::other("disk full"));
        }
        self.0 -= buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn many_lines(n: usize) -> Vec<u8> {
    let mut input = String::from("importer,origin,hts,date,value\n");
    for i in 0..n {
        input.push_str(&format!("US,CA,7208.10.15.00,2025-07-01,{}\n", i + 1));
    }
    input.into_bytes()
}

#[test]
fn a_read_error_stops_the_batch_with_its_cause() {
    let (policy, reference) = engine();
    let input = FailingReader {
        data: many_lines(50_000),
        at: 0,
    };
    let err = quid_data::batch::run(&policy, &reference, input, Vec::new(), Vec::new(), &|_| {})
        .expect_err("must fail");
    assert!(
        err.to_string()
            .contains("reading the input: disk went away"),
        "{err}"
    );
}

#[test]
fn a_write_error_stops_the_batch_without_hanging() {
    let (policy, reference) = engine();
    let err = quid_data::batch::run(
        &policy,
        &reference,
        &many_lines(200_000)[..],
        FailingWriter(1 << 20),
        Vec::new(),
        &|_| {},
    )
    .expect_err("must fail");
    assert!(err.to_string().contains("disk full"), "{err}");
}

/// Old Mac line ends (a lone carriage return) are record ends for CSV; such a file is read
/// record by record, not rescanned for each record.
#[test]
fn carriage_return_line_ends_are_read_in_one_pass() {
    let text = String::from_utf8(many_lines(100_000))
        .expect("utf8")
        .replace('\n', "\r");
    let (sum, out, _) = run_batch(text.as_bytes());
    assert_eq!(
        (sum.lines, sum.records, sum.assessed),
        (100_000, 100_000, 100_000)
    );
    assert!(
        out.lines().nth(1).is_some_and(|l| l.contains(",1.00,")),
        "{}",
        &out[..300]
    );
}

/// A record longer than a block (the reader grows the block until the record ends).
#[test]
fn a_record_longer_than_a_block_is_read_whole() {
    let long_id = "x".repeat(1_500_000);
    let input = format!(
        "id,importer,origin,hts,date,value\nshort,US,CA,7208.10.15.00,2025-07-01,1\n\"{long_id}\",US,CA,7208.10.15.00,2025-07-01,2\nafter,US,CA,7208.10.15.00,2025-07-01,3\n"
    );
    let (sum, out, _) = run_batch(input.as_bytes());
    assert_eq!((sum.lines, sum.assessed), (3, 3));
    let lines: Vec<&str> = out
        .lines()
        .map(|l| l.split(',').next().unwrap_or(""))
        .collect();
    assert_eq!(lines, ["line", "2", "3", "4"]);
    assert!(out.contains(&long_id));
}

#[test]
fn a_boolean_that_is_neither_true_nor_false_is_not_written_as_false() {
    let (policy, reference) = engine();
    let mut out = Vec::new();
    quid_data::batch::run(
        &policy,
        &reference,
        INPUT.as_bytes(),
        &mut out,
        Vec::new(),
        &|_| {},
    )
    .expect("batch");
    let text = String::from_utf8(out)
        .expect("utf8")
        .replacen(",true,\"", ",maybe,\"", 1);
    let dir = std::env::temp_dir().join(format!("quid-parquet-bool-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let err = quid_data::parquet_io::csv_to_parquet(text.as_bytes(), &dir.join("d.parquet"))
        .expect_err("maybe is not a boolean");
    assert!(err.to_string().contains("not a boolean"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 12, item 4: `...,1,000` has one field more than the header; it was assessed at value
/// 1.00 (the sixth field ignored). Now it is rejected with the count, and a short line too.
#[test]
fn issue12_extra_field_is_rejected_not_read_as_thousands() {
    let input = "importer,origin,hts,date,value
US,CA,7208.10.15.00,2025-07-01,1,000
US,CA,7208.10.15.00,2025-07-01
US,CA,7208.10.15.00,2025-07-01,1000
";
    let (sum, out, rej) = run_batch(input.as_bytes());
    assert_eq!((sum.records, sum.assessed, sum.rejected), (3, 1, 2));
    // Only line 4 is assessed: 50% Section 232 steel on 1000.00 = 500.00.
    assert_eq!(sum.total_duty.usd, rust_decimal::Decimal::from(500));
    assert!(
        out.lines().nth(1).is_some_and(|l| l.starts_with("4,")),
        "{out}"
    );
    let rows: Vec<&str> = rej.lines().skip(1).collect();
    assert_eq!(
        rows,
        [
            "2,\"6 field(s) where the header has 5 (a number with a thousands separator, such as \
             1,000, must be quoted or written 1000)\",US,CA,7208.10.15.00,2025-07-01,1,000",
            "3,4 field(s) where the header has 5,US,CA,7208.10.15.00,2025-07-01",
        ]
    );
}

/// The first row of a rejects file (rows may have more or fewer fields than its header).
fn first_reject(rejects: &str) -> csv::StringRecord {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(rejects.as_bytes());
    rdr.records().next().expect("a reject").expect("csv")
}

fn batch_error(input: &str) -> String {
    let (policy, reference) = engine();
    quid_data::batch::run(
        &policy,
        &reference,
        input.as_bytes(),
        Vec::new(),
        Vec::new(),
        &|_| {},
    )
    .expect_err("must fail")
    .to_string()
}

const KNOWN: &str = "the columns are id, importer, origin, hts, date, value, quantity, unit, \
     usmca, steel_content, aluminum_content, copper_content, us_content, ca_mx_content, \
     us_melted, transshipped, energy, qualifying, remission, de_minimis, adcvd_case, adcvd_rate (importer, origin, hts, date, value required)";

/// Issue 12, item 4: a misspelt column (`usmac`) was ignored, so the claim was silently lost.
#[test]
fn issue12_misspelt_column_is_an_error_with_did_you_mean() {
    let err = batch_error(
        "importer,origin,hts,date,value,usmac\nUS,CA,8703.23.01.60,2025-09-01,40000,true\n",
    );
    assert_eq!(
        err,
        format!("line 1: this is not a column quid reads: \"usmac\" (column 6): did you mean usmca?; {KNOWN}")
    );
    // Far from every known name: no suggestion.
    let err =
        batch_error("importer,origin,hts,date,value,remarks\nUS,CA,7208.10.15.00,2025-07-01,1,x\n");
    assert_eq!(
        err,
        format!("line 1: this is not a column quid reads: \"remarks\" (column 6); {KNOWN}")
    );
}

/// Issue 12, item 4: a duplicate column was ignored (the first copy read).
#[test]
fn issue12_duplicate_column_is_an_error() {
    let err =
        batch_error("importer,origin,hts,date,value,VALUE\nUS,CA,7208.10.15.00,2025-07-01,1,2\n");
    assert_eq!(
        err,
        format!(
            "line 1: this is not a column quid reads: \"VALUE\" (column 6): a second value (first \
             in column 5); {KNOWN}"
        )
    );
}

/// Issue 12, item 4: a stray quote swallowed the next lines into one reject whose reason was
/// "importer: missing", and the summary's line count was wrong. The reason now names the quote
/// and the line it opened on; lines and records are counted apart.
#[test]
fn issue12_unbalanced_quote_names_the_line_where_it_opened() {
    // Closed by the quote that opens line 5's id: lines 3-5 are one record of 9 fields.
    let input = "id,importer,origin,hts,date,value
z,US,CA,7208.10.15.00,2025-07-01,100
a,US,CA,\"7208.10.15.00,2025-07-01,100
b,US,CA,7208.10.15.00,2025-07-01,100
\"c\",US,CA,7208.10.15.00,2025-07-01,100
d,US,CA,7208.10.15.00,2025-07-01,100
";
    let (sum, out, rej) = run_batch(input.as_bytes());
    assert_eq!(
        (sum.lines, sum.records, sum.assessed, sum.rejected),
        (5, 3, 2, 1)
    );
    let numbers: Vec<&str> = out.lines().skip(1).map(|l| &l[..2]).collect();
    assert_eq!(numbers, ["2,", "6,"]);
    let row = first_reject(&rej);
    assert_eq!(&row[0], "3");
    assert_eq!(
        &row[1],
        "unbalanced quote: the quoted field opened on line 3 runs to line 5, making one record \
         of 9 field(s) where the header has 6"
    );

    // Never closed: the rest of the file is one field.
    let input = "id,importer,origin,hts,date,value
z,US,CA,7208.10.15.00,2025-07-01,100
a,US,CA,\"7208.10.15.00,2025-07-01,100
b,US,CA,7208.10.15.00,2025-07-01,100
c,US,CA,7208.10.15.00,2025-07-01,100
";
    let (sum, _, rej) = run_batch(input.as_bytes());
    assert_eq!(
        (sum.lines, sum.records, sum.assessed, sum.rejected),
        (4, 2, 1, 1)
    );
    let row = first_reject(&rej);
    assert_eq!(
        (&row[0], &row[1]),
        (
            "3",
            "unbalanced quote: the quote opened on line 3 is never closed, so lines 3-5 were \
             read as one field"
        )
    );
}

/// Issue 12, item 4: a 10 MB bad field was echoed whole into the rejects file (and its reason
/// quoted it whole). Both are cut, and say so.
#[test]
fn issue12_a_10_mb_field_is_cut_in_the_rejects_file() {
    let big = "9".repeat(10_000_000);
    let input = format!("importer,origin,hts,date,value\nUS,CA,7208.10.15.00,2025-07-01,x{big}\n");
    let (sum, _, rej) = run_batch(input.as_bytes());
    assert_eq!(sum.rejected, 1);
    let row = first_reject(&rej);
    assert_eq!(
        &row[1],
        format!(
            "value: \"x{}\"... (cut; 10000001 bytes in all) is not a number",
            "9".repeat(39)
        )
    );
    assert_eq!(
        &row[6],
        format!("x{}... (cut; 10000001 bytes in all)", "9".repeat(1023))
    );
    assert!(rej.len() < 2_000, "{} bytes", rej.len());
}

/// Issue 12, item 4: the summary added US and Canadian dollars into one total.
#[test]
fn issue12_money_is_totalled_per_currency() {
    let input = "importer,origin,hts,date,value
US,CA,7208.10.15.00,2025-07-01,100000
CA,US,7208.10.00,2025-05-01,100000
";
    let (sum, _, _) = run_batch(input.as_bytes());
    assert_eq!(sum.assessed, 2);
    // US: Section 232 steel 50% of 100000 = USD 50000; Canada: the 25% surtax on US steel
    // (SOR/2025-95, schedule 2) = CAD 25000.
    assert_eq!(sum.total_duty.usd, rust_decimal::Decimal::from(50_000));
    assert_eq!(sum.total_duty.cad, rust_decimal::Decimal::from(25_000));
}

/// Issue 12, item 4: a trailing comma in the header makes an empty column name, which is named.
#[test]
fn issue12_an_empty_column_name_is_an_error_that_says_so() {
    let err = batch_error("importer,origin,hts,date,value,\nUS,CA,7208.10.15.00,2025-07-01,1,\n");
    assert_eq!(
        err,
        format!(
            "line 1: this is not a column quid reads: \"\" (column 6): an empty name (a comma too \
             many at the end of the header?); {KNOWN}"
        )
    );
}

/// Issue 12, item 4: a quote inside an unquoted field (`O"Brien`) is a plain character for
/// CSV; the block splitter took it for an opening quote, so its idea of "inside quotes" was
/// inverted for the rest of the input and a later block could be cut inside a quoted field.
#[test]
fn issue12_a_quote_inside_a_field_does_not_shift_block_boundaries() {
    let mut input = String::from("id,importer,origin,hts,date,value\n");
    input.push_str("O\"Brien,US,CA,7208.10.15.00,2025-07-01,100\n");
    for i in 0..40_000u64 {
        input.push_str(&format!(
            "\"multi\nline, {i}\",US,CA,7208.10.15.00,2025-07-01,100\n"
        ));
    }
    let (sum, _, rej) = run_batch(input.as_bytes());
    assert_eq!(
        (sum.lines, sum.records, sum.assessed, sum.rejected),
        (80_001, 40_001, 40_001, 0),
        "{}",
        &rej[..rej.len().min(600)]
    );
}
