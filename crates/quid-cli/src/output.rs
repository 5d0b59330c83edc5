//! Printing reports as aligned text, CSV or JSON, the three `--format`s every data command
//! takes.

use crate::cli::Format;
pub use quid_app::table::Table;
use std::io::Write;

/// Writes a report as pretty JSON and a newline.
pub fn json(out: &mut dyn Write, value: &impl serde::Serialize) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// Printing a table in each format.
pub trait Print {
    /// Writes the table in the chosen format.
    fn write(&self, out: &mut dyn Write, format: Format) -> std::io::Result<()>;
    fn write_text(&self, out: &mut dyn Write) -> std::io::Result<()>;
    fn write_csv(&self, out: &mut dyn Write) -> std::io::Result<()>;
}

impl Print for Table {
    fn write(&self, out: &mut dyn Write, format: Format) -> std::io::Result<()> {
        match format {
            Format::Table => self.write_text(out),
            Format::Csv => self.write_csv(out),
            Format::Json => json(out, self),
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
