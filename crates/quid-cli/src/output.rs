//! Printing tables as aligned text, CSV or JSON, the three `--format`s every data command takes.

use crate::cli::Format;
use std::io::Write;

/// A table of strings with named columns.
#[derive(Debug, Default)]
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

    /// Writes the table in the chosen format.
    pub fn write(&self, out: &mut dyn Write, format: Format) -> std::io::Result<()> {
        match format {
            Format::Table => self.write_text(out),
            Format::Csv => self.write_csv(out),
            Format::Json => {
                let arr: Vec<serde_json::Map<String, serde_json::Value>> = self
                    .rows
                    .iter()
                    .map(|r| {
                        self.headers
                            .iter()
                            .zip(r.iter())
                            .map(|(h, v)| (h.clone(), serde_json::Value::String(v.clone())))
                            .collect()
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut *out, &arr)?;
                writeln!(out)
            }
        }
    }

    fn write_text(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for r in &self.rows {
            for (i, c) in r.iter().enumerate() {
                if i < widths.len() {
                    widths[i] = widths[i].max(c.chars().count()).min(70);
                }
            }
        }
        let line = |out: &mut dyn Write, cells: &[String]| -> std::io::Result<()> {
            let mut s = String::new();
            for (i, c) in cells.iter().enumerate() {
                let w = widths.get(i).copied().unwrap_or(0);
                let text: String = if c.chars().count() > 70 {
                    c.chars().take(67).chain("...".chars()).collect()
                } else {
                    c.clone()
                };
                if i + 1 == cells.len() {
                    s.push_str(&text);
                } else {
                    s.push_str(&format!("{text:<w$}  "));
                }
            }
            writeln!(out, "{}", s.trim_end())
        };
        line(out, &self.headers)?;
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        line(out, &rule)?;
        for r in &self.rows {
            line(out, r)?;
        }
        Ok(())
    }

    fn write_csv(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(&self.headers)?;
        for r in &self.rows {
            w.write_record(r)?;
        }
        w.flush()
    }
}

/// A record printed as field/value pairs (one object in JSON).
#[derive(Debug, Default)]
pub struct Record {
    pub fields: Vec<(String, String)>,
}

impl Record {
    pub fn add(&mut self, k: impl Into<String>, v: impl Into<String>) {
        self.fields.push((k.into(), v.into()));
    }

    pub fn write(&self, out: &mut dyn Write, format: Format) -> std::io::Result<()> {
        match format {
            Format::Json => {
                let m: serde_json::Map<String, serde_json::Value> = self
                    .fields
                    .iter()
                    .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                    .collect();
                serde_json::to_writer_pretty(&mut *out, &m)?;
                writeln!(out)
            }
            Format::Csv => {
                let mut t = Table::new(["field", "value"]);
                for (k, v) in &self.fields {
                    t.push([k.clone(), v.clone()]);
                }
                t.write(out, Format::Csv)
            }
            Format::Table => {
                let w = self.fields.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
                for (k, v) in &self.fields {
                    writeln!(out, "{k:<w$}  {v}")?;
                }
                Ok(())
            }
        }
    }
}
