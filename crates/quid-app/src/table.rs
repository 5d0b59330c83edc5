//! A tabular report: named columns and rows of text, the shape of the rate panels, ETR series,
//! listings and checks. It serialises as an array of objects keyed by column name (the JSON
//! the command line prints); the binary also prints it aligned or as CSV.
//!
//! ```
//! let mut t = quid_app::table::Table::new(["hts", "total_pct"]);
//! t.push(["7208.10.15.00", "50.0000"]);
//! let json = serde_json::to_string(&t).unwrap();
//! assert_eq!(json, r#"[{"hts":"7208.10.15.00","total_pct":"50.0000"}]"#);
//! ```

use serde::ser::{SerializeMap, SerializeSeq};
use serde::Serialize;

/// A table of strings with named columns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Table {
        Table {
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    pub fn push<S: Into<String>>(&mut self, row: impl IntoIterator<Item = S>) {
        self.rows.push(row.into_iter().map(Into::into).collect());
    }
}

struct Row<'a>(&'a [String], &'a [String]);

impl Serialize for Row<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len().min(self.1.len())))?;
        for (h, v) in self.0.iter().zip(self.1.iter()) {
            m.serialize_entry(h, v)?;
        }
        m.end()
    }
}

impl Serialize for Table {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.rows.len()))?;
        for r in &self.rows {
            seq.serialize_element(&Row(&self.headers, r))?;
        }
        seq.end()
    }
}

impl Table {
    /// Writes the table to a file, CSV or Parquet by the file's extension. In Parquet, columns
    /// ending in `_pct` are floats, `valid_*` and `date` dates, `claim` and `base_known`
    /// booleans, the rest text.
    pub fn write_file(&self, path: &std::path::Path) -> crate::Result<()> {
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
        {
            use quid_data::parquet_io::Kind;
            let cols: Vec<(String, Kind)> = self
                .headers
                .iter()
                .map(|h| {
                    let k = if h.ends_with("_pct") || h == "etr" {
                        Kind::Float
                    } else if h.starts_with("valid_") || h == "date" {
                        Kind::Date
                    } else if h == "claim" || h == "base_known" {
                        Kind::Bool
                    } else {
                        Kind::Text
                    };
                    (h.clone(), k)
                })
                .collect();
            quid_data::parquet_io::write_table(path, &cols, &self.rows)?;
        } else {
            let io = |e: std::io::Error| crate::Error::io("writing", path, e);
            let f = std::fs::File::create(path).map_err(io)?;
            let mut w = csv::Writer::from_writer(std::io::BufWriter::new(f));
            let csv_err = |e: csv::Error| crate::Error::io("writing", path, e.into());
            w.write_record(&self.headers).map_err(csv_err)?;
            for r in &self.rows {
                w.write_record(r).map_err(csv_err)?;
            }
            w.flush().map_err(io)?;
        }
        Ok(())
    }
}
