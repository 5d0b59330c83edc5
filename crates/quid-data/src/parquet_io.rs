//! Parquet for batch input and output, so that entry files and assessed lines move to and from
//! analytics engines (DataFusion, Spark, DuckDB) without a CSV detour.
//!
//! Input: any Parquet file whose columns are named as the CSV batch columns
//! ([`crate::batch::COLUMNS`]); strings, integers, floats, decimals, booleans and dates are
//! read. Output: the batch's columns with exact money as `DECIMAL(18,2)`, the date as `DATE`
//! and text as UTF-8.
//!
//! Both directions go through the CSV form in memory (a Parquet file is converted to CSV text,
//! assessed, and the CSV output converted back), which keeps one batch path and costs memory
//! of about 150 bytes per line.
//!
//! Assessed lines to Parquet and back: money becomes `DECIMAL(18,2)` (so `100000` comes back as
//! `100000.00`), the date a `DATE`, an empty cell a null; a cell that is not its column's type is
//! refused with its row and column.
//!
//! ```
//! use quid_data::parquet_io::{csv_to_parquet, parquet_to_csv};
//!
//! let path = std::env::temp_dir().join(format!("quid-doc-{}.parquet", std::process::id()));
//! let assessed = "\
//! line,id,date,value,total,owed_after_ruling,base_rate_known,layers
//! 2,A1,2025-07-01,100000,50000.5,,true,s232-steel 9903.81.87 50% on 100000.00 = 50000.00
//! ";
//! let rows = csv_to_parquet(assessed.as_bytes(), &path).unwrap();
//! let back = String::from_utf8(parquet_to_csv(&path).unwrap()).unwrap();
//! let bad = csv_to_parquet(assessed.replace("2025-07-01", "July 1").as_bytes(), &path);
//! std::fs::remove_file(&path).unwrap();
//!
//! assert_eq!(rows, 1);
//! assert_eq!(
//!     back,
//!     "line,id,date,value,total,owed_after_ruling,base_rate_known,layers\n\
//!      2,A1,2025-07-01,100000.00,50000.50,,true,s232-steel 9903.81.87 50% on 100000.00 = 50000.00\n"
//! );
//! assert_eq!(
//!     bad.unwrap_err().to_string(),
//!     format!("{}: row 1, column date: not a date", path.display())
//! );
//! ```

use parquet::basic::{ConvertedType, LogicalType, Repetition, Type as Physical};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::file::writer::SerializedFileWriter;
use parquet::record::Field;
use parquet::schema::types::Type;
use rust_decimal::Decimal;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

/// Parquet conversion errors.
#[derive(Debug, thiserror::Error)]
pub enum ParquetError {
    #[error("{path}: {source}")]
    Parquet {
        path: String,
        #[source]
        source: parquet::errors::ParquetError,
    },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: row {row}, column {column}: {message}")]
    Value {
        path: String,
        row: usize,
        column: String,
        message: String,
    },
    #[error("reading the assessed CSV: {0}")]
    Csv(#[from] csv::Error),
}

fn field_text(f: &Field) -> String {
    match f {
        Field::Null => String::new(),
        Field::Bool(b) => b.to_string(),
        Field::Str(s) => s.clone(),
        Field::Date(days) => {
            let epoch = jiff::civil::Date::constant(1970, 1, 1);
            epoch
                .checked_add(jiff::Span::new().days(i64::from(*days)))
                .map(|d| d.to_string())
                .unwrap_or_default()
        }
        Field::Decimal(d) => {
            let bytes = d.data();
            let mut v: i128 = if bytes.first().is_some_and(|b| b & 0x80 != 0) {
                -1
            } else {
                0
            };
            for b in bytes {
                v = (v << 8) | i128::from(*b);
            }
            Decimal::try_from_i128_with_scale(v, d.scale() as u32)
                .map(|x| x.to_string())
                .unwrap_or_default()
        }
        other => other.to_string(),
    }
}

/// Reads a Parquet file of entries into CSV text (header from the column names).
pub fn parquet_to_csv(path: &Path) -> Result<Vec<u8>, ParquetError> {
    let p = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|source| ParquetError::Io {
        path: p.clone(),
        source,
    })?;
    let reader = SerializedFileReader::new(file).map_err(|source| ParquetError::Parquet {
        path: p.clone(),
        source,
    })?;
    let names: Vec<String> = reader
        .metadata()
        .file_metadata()
        .schema_descr()
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&names)?;
    let rows = reader
        .get_row_iter(None)
        .map_err(|source| ParquetError::Parquet {
            path: p.clone(),
            source,
        })?;
    for row in rows {
        let row = row.map_err(|source| ParquetError::Parquet {
            path: p.clone(),
            source,
        })?;
        let mut rec = vec![String::new(); names.len()];
        for (name, f) in row.get_column_iter() {
            if let Some(i) = names.iter().position(|n| n == name) {
                rec[i] = field_text(f);
            }
        }
        w.write_record(&rec)?;
    }
    w.into_inner().map_err(|e| ParquetError::Io {
        path: p,
        source: e.into_error(),
    })
}

const MONEY: [&str; 6] = [
    "value",
    "base_amount",
    "additional",
    "total",
    "owed_after_ruling",
    "refundable",
];

/// The type of a column written to Parquet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int64,
    /// A calendar date (`DATE`).
    Date,
    Bool,
    /// Exact money with two decimals (`DECIMAL(18,2)`).
    Money,
    /// A rate or share (`DOUBLE`).
    Float,
    Text,
}

fn column(name: &str, kind: Kind) -> Result<Type, parquet::errors::ParquetError> {
    let (physical, logical, converted, rep) = match kind {
        Kind::Int64 => (
            Physical::INT64,
            None,
            ConvertedType::NONE,
            Repetition::REQUIRED,
        ),
        Kind::Date => (
            Physical::INT32,
            Some(LogicalType::Date),
            ConvertedType::NONE,
            Repetition::OPTIONAL,
        ),
        Kind::Bool => (
            Physical::BOOLEAN,
            None,
            ConvertedType::NONE,
            Repetition::OPTIONAL,
        ),
        Kind::Money => (
            Physical::INT64,
            Some(LogicalType::Decimal(parquet::basic::DecimalType {
                scale: 2,
                precision: 18,
            })),
            ConvertedType::DECIMAL,
            Repetition::OPTIONAL,
        ),
        Kind::Float => (
            Physical::DOUBLE,
            None,
            ConvertedType::NONE,
            Repetition::OPTIONAL,
        ),
        Kind::Text => (
            Physical::BYTE_ARRAY,
            Some(LogicalType::String),
            ConvertedType::UTF8,
            Repetition::OPTIONAL,
        ),
    };
    let mut b = Type::primitive_type_builder(name, physical)
        .with_repetition(rep)
        .with_logical_type(logical)
        .with_converted_type(converted);
    if kind == Kind::Money {
        b = b.with_precision(18).with_scale(2);
    }
    b.build()
}

/// The largest amount a `DECIMAL(18,2)` column holds: 9999999999999999.99.
pub fn max_money() -> Decimal {
    Decimal::new(999_999_999_999_999_999, 2)
}

/// An amount in whole cents (rounded half away from zero), when `DECIMAL(18,2)` holds it.
fn cents(text: &str) -> Option<i64> {
    let d = quid_core::money::round_cents(Decimal::from_str(text).ok()?);
    if d.abs() > max_money() {
        return None;
    }
    let m = d.mantissa() * 10i128.pow(2 - d.scale().min(2));
    i64::try_from(m).ok()
}

fn days(text: &str) -> Option<i32> {
    let d: jiff::civil::Date = text.parse().ok()?;
    let epoch = jiff::civil::Date::constant(1970, 1, 1);
    Some(epoch.until(d).ok()?.get_days())
}

/// The column kinds of the batch output.
fn batch_kind(name: &str) -> Kind {
    match name {
        "line" => Kind::Int64,
        "date" => Kind::Date,
        "base_rate_known" => Kind::Bool,
        m if MONEY.contains(&m) => Kind::Money,
        _ => Kind::Text,
    }
}

/// Converts the batch's CSV output to a Parquet file.
pub fn csv_to_parquet(csv_bytes: &[u8], path: &Path) -> Result<usize, ParquetError> {
    let mut rdr = csv::Reader::from_reader(csv_bytes);
    let headers: Vec<String> = rdr.headers()?.iter().map(str::to_string).collect();
    let records: Vec<Vec<String>> = rdr
        .records()
        .map(|r| r.map(|r| r.iter().map(str::to_string).collect()))
        .collect::<Result<_, _>>()?;
    let columns: Vec<(String, Kind)> = headers.iter().map(|h| (h.clone(), batch_kind(h))).collect();
    write_table(path, &columns, &records)
}

/// One column's values, read from text before anything is written.
enum Values {
    /// A required column.
    Int64(Vec<i64>),
    /// Optional columns: the present values and a definition level per row (1 present, 0 null).
    Date(Vec<i32>, Vec<i16>),
    Bool(Vec<bool>, Vec<i16>),
    Money(Vec<i64>, Vec<i16>),
    Float(Vec<f64>, Vec<i16>),
    Text(Vec<ByteArray>, Vec<i16>),
}

/// The first bad row of a column (1-based) and what it is not.
type BadCell = (usize, &'static str);

/// Reads one column of `records` as `kind`; the error names the first bad row.
fn values(records: &[Vec<String>], ci: usize, kind: Kind) -> Result<Values, BadCell> {
    let cell = |r: &Vec<String>| r.get(ci).map(|c| c.trim().to_string()).unwrap_or_default();
    fn optional<T>(
        records: &[Vec<String>],
        cell: impl Fn(&Vec<String>) -> String,
        parse: impl Fn(&str) -> Option<T>,
        msg: &'static str,
    ) -> Result<(Vec<T>, Vec<i16>), BadCell> {
        let (mut vals, mut defs) = (Vec::new(), Vec::with_capacity(records.len()));
        for (i, r) in records.iter().enumerate() {
            let t = cell(r);
            if t.is_empty() {
                defs.push(0);
            } else {
                vals.push(parse(&t).ok_or((i + 1, msg))?);
                defs.push(1);
            }
        }
        Ok((vals, defs))
    }
    Ok(match kind {
        Kind::Int64 => Values::Int64(
            records
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    cell(r)
                        .parse::<i64>()
                        .map_err(|_| (i + 1, "not an integer"))
                })
                .collect::<Result<_, _>>()?,
        ),
        Kind::Date => {
            let (v, d) = optional(records, cell, days, "not a date")?;
            Values::Date(v, d)
        }
        Kind::Bool => {
            let parse = |t: &str| match t {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            };
            let (v, d) = optional(records, cell, parse, "not a boolean")?;
            Values::Bool(v, d)
        }
        Kind::Money => {
            let (v, d) = optional(
                records,
                cell,
                cents,
                "not an amount that DECIMAL(18,2) holds (at most 9999999999999999.99)",
            )?;
            Values::Money(v, d)
        }
        Kind::Float => {
            let (v, d) = optional(records, cell, |t| t.parse::<f64>().ok(), "not a number")?;
            Values::Float(v, d)
        }
        Kind::Text => {
            let (v, d) = optional(records, cell, |t| Some(ByteArray::from(t)), "not text")?;
            Values::Text(v, d)
        }
    })
}

/// Writes rows of text cells to a Parquet file with typed columns (an empty cell is null).
/// Every cell is read before the file is created, so a bad cell leaves no file behind (and
/// never a file without its footer).
pub fn write_table(
    path: &Path,
    columns: &[(String, Kind)],
    records: &[Vec<String>],
) -> Result<usize, ParquetError> {
    let p = path.display().to_string();
    let perr = |source| ParquetError::Parquet {
        path: p.clone(),
        source,
    };
    let data = columns
        .iter()
        .enumerate()
        .map(|(ci, (name, kind))| {
            values(records, ci, *kind).map_err(|(row, message)| ParquetError::Value {
                path: p.clone(),
                row,
                column: name.clone(),
                message: message.to_string(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let fields = columns
        .iter()
        .map(|(h, k)| column(h, *k).map(Arc::new))
        .collect::<Result<Vec<_>, _>>()
        .map_err(perr)?;
    let schema = Arc::new(
        Type::group_type_builder("table")
            .with_fields(fields)
            .build()
            .map_err(perr)?,
    );
    let file = std::fs::File::create(path).map_err(|source| ParquetError::Io {
        path: p.clone(),
        source,
    })?;
    let written = (|| -> Result<(), parquet::errors::ParquetError> {
        let props = Arc::new(WriterProperties::builder().build());
        let mut writer = SerializedFileWriter::new(file, schema, props)?;
        let mut rg = writer.next_row_group()?;
        for v in &data {
            let Some(mut col) = rg.next_column()? else {
                break;
            };
            match v {
                Values::Int64(v) => {
                    col.typed::<Int64Type>().write_batch(v, None, None)?;
                }
                Values::Date(v, d) => {
                    col.typed::<Int32Type>().write_batch(v, Some(d), None)?;
                }
                Values::Bool(v, d) => {
                    col.typed::<BoolType>().write_batch(v, Some(d), None)?;
                }
                Values::Money(v, d) => {
                    col.typed::<Int64Type>().write_batch(v, Some(d), None)?;
                }
                Values::Float(v, d) => {
                    col.typed::<DoubleType>().write_batch(v, Some(d), None)?;
                }
                Values::Text(v, d) => {
                    col.typed::<ByteArrayType>().write_batch(v, Some(d), None)?;
                }
            }
            col.close()?;
        }
        rg.close()?;
        writer.close()?;
        Ok(())
    })();
    if let Err(e) = written {
        // A half-written file has no footer: none is left behind.
        let _ = std::fs::remove_file(path);
        return Err(perr(e));
    }
    Ok(records.len())
}
