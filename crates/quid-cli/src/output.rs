//! Printing reports as aligned text, CSV or JSON, the three `--format`s every data command
//! takes. JSON is the report type's own serde form (the contract in `docs/output.md`); the
//! aligned text fits the terminal: columns too wide are elided in the middle (`--wide` prints
//! everything), to the width of `$COLUMNS`, else the terminal's, else 100 columns.

use crate::cli::Format;
pub use quid_app::table::Table;
use quid_app::table::{Cell, Kind};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The width tables are fitted to; 0 for no limit (`--wide`).
static WIDTH: AtomicUsize = AtomicUsize::new(100);

/// The width when not told: `$COLUMNS`, else the terminal's when standard output is one, else
/// 100.
pub fn detect_width() -> usize {
    if let Some(w) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|w| *w > 0)
    {
        return w;
    }
    use std::io::IsTerminal;
    if std::io::stdout().is_terminal() {
        if let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size() {
            return usize::from(w);
        }
    }
    100
}

/// Sets the width tables are fitted to (0: no limit).
pub fn set_width(w: usize) {
    WIDTH.store(w, Ordering::Relaxed);
}

/// Writes a report as pretty JSON and a newline.
pub fn json(out: &mut dyn Write, value: &impl serde::Serialize) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

pub use quid_app::table::count;

/// Printing a table in each format.
pub trait Print {
    /// Writes the table in the chosen format.
    fn write(&self, out: &mut dyn Write, format: Format) -> std::io::Result<()>;
    fn write_text(&self, out: &mut dyn Write) -> std::io::Result<()>;
    fn write_csv(&self, out: &mut dyn Write) -> std::io::Result<()>;
}

/// A cell as the aligned table shows it: enum values in words (`in_force` -> `in force`).
fn shown(c: &Cell, kind: Kind) -> String {
    match (c, kind) {
        (Cell::Text(t), Kind::Enum) => t.replace('_', " "),
        _ => c.text(),
    }
}

/// `text` cut to `w` characters by taking out its middle (the start and the end stay).
pub fn elide(text: &str, w: usize) -> String {
    let n = text.chars().count();
    if n <= w {
        return text.to_string();
    }
    if w <= 3 {
        return text.chars().take(w).collect();
    }
    let keep = w - 3;
    let head = keep / 2;
    let tail = keep - head;
    let mut s: String = text.chars().take(head).collect();
    s.push_str("...");
    s.extend(text.chars().skip(n - tail));
    s
}

/// Column widths that fit `limit` (0: none): the widest columns give way first, none below 14
/// characters (or its natural width), and never the first (it names the row); a table that
/// cannot fit so runs over.
pub fn fit(natural: &[usize], limit: usize) -> Vec<usize> {
    let mut w = natural.to_vec();
    if limit == 0 || w.is_empty() {
        return w;
    }
    let gaps = 2 * (w.len() - 1);
    // The first column names the row: it keeps its width.
    let floor = |i: usize| {
        if i == 0 {
            natural[0]
        } else {
            natural[i].min(14)
        }
    };
    while w.iter().sum::<usize>() + gaps > limit {
        let Some((i, _)) = w
            .iter()
            .enumerate()
            .filter(|(i, x)| **x > floor(*i))
            .max_by_key(|(i, x)| (**x, usize::MAX - i))
        else {
            break;
        };
        w[i] -= 1;
    }
    w
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
        let kind = |i: usize| self.kinds.get(i).copied().unwrap_or(Kind::Text);
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .enumerate()
                    .map(|(i, c)| shown(c, kind(i)))
                    .collect()
            })
            .collect();
        let mut natural: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for r in &rows {
            for (i, c) in r.iter().enumerate() {
                if i < natural.len() {
                    natural[i] = natural[i].max(c.chars().count());
                }
            }
        }
        let limit = WIDTH.load(Ordering::Relaxed);
        let n = natural.len();
        // A last column of text wraps onto further lines rather than losing its middle, when
        // at least 20 characters are left for it; else every column is fitted (and cut).
        let wrapped = (limit > 0 && n >= 2 && kind(n - 1) == Kind::Text)
            .then(|| {
                let last = natural[n - 1];
                let mut w = fit(&natural[..n - 1], limit.saturating_sub(2 + last.min(22)));
                let used: usize = w.iter().sum::<usize>() + 2 * (n - 1);
                let room = limit.saturating_sub(used).min(last);
                (room >= last.min(20)).then(|| {
                    w.push(room);
                    w
                })
            })
            .flatten();
        let wrap_last = wrapped.is_some();
        let widths = wrapped.unwrap_or_else(|| fit(&natural, limit));
        let numeric = |i: usize| matches!(kind(i), Kind::Int | Kind::Number | Kind::Money);
        let line = |out: &mut dyn Write, cells: &[String]| -> std::io::Result<()> {
            let mut s = String::new();
            let mut rest: Vec<String> = Vec::new();
            for (i, c) in cells.iter().enumerate() {
                let w = widths.get(i).copied().unwrap_or(0);
                let last = i + 1 == cells.len();
                let text = if last && wrap_last {
                    let mut lines = wrap(c, w).into_iter();
                    let first = lines.next().unwrap_or_default();
                    rest = lines.collect();
                    first
                } else {
                    elide(c, w)
                };
                if numeric(i) {
                    s.push_str(&format!("{text:>w$}"));
                } else if last {
                    s.push_str(&text);
                } else {
                    s.push_str(&format!("{text:<w$}"));
                }
                if !last {
                    s.push_str("  ");
                }
            }
            writeln!(out, "{}", s.trim_end())?;
            let indent: usize = widths.iter().take(n.saturating_sub(1)).map(|w| w + 2).sum();
            for r in rest {
                writeln!(out, "{:indent$}{r}", "")?;
            }
            Ok(())
        };
        line(out, &self.headers)?;
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        line(out, &rule)?;
        for r in &rows {
            line(out, r)?;
        }
        Ok(())
    }

    fn write_csv(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(&self.headers)?;
        for r in self.text_rows() {
            w.write_record(&r)?;
        }
        w.flush()
    }
}

/// A record printed as field/value pairs: the human and CSV view of a one-object report (its
/// JSON is the report type's serde form, never this).
#[derive(Debug, Default)]
pub struct Record {
    pub fields: Vec<(String, String)>,
}

impl Record {
    pub fn add(&mut self, k: &str, v: impl Into<String>) {
        self.fields.push((k.to_string(), v.into()));
    }

    /// Prints the record as text or CSV (`field,value`); JSON is printed by the caller.
    pub fn write(&self, out: &mut dyn Write, format: Format) -> std::io::Result<()> {
        match format {
            Format::Csv | Format::Json => {
                let mut t = Table::new(["field", "value"]);
                for (k, v) in &self.fields {
                    t.push([k.replace(' ', "_"), v.clone()]);
                }
                t.write(out, Format::Csv)
            }
            Format::Table => {
                let w = self.fields.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
                let limit = WIDTH.load(Ordering::Relaxed);
                let room = if limit == 0 {
                    usize::MAX
                } else {
                    limit.saturating_sub(w + 2).max(20)
                };
                for (k, v) in &self.fields {
                    let mut lines = wrap(v, room).into_iter();
                    writeln!(out, "{k:<w$}  {}", lines.next().unwrap_or_default())?;
                    for l in lines {
                        writeln!(out, "{:<w$}  {l}", "")?;
                    }
                }
                Ok(())
            }
        }
    }
}

/// Wraps text at spaces to lines of at most `w` characters (a word longer than `w` stays whole).
pub fn wrap(text: &str, w: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split(' ') {
        if !cur.is_empty() && cur.chars().count() + 1 + word.chars().count() > w {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    lines.push(cur);
    lines
}

/// The tests of a rules-of-origin evaluation for the terminal: the table without its article
/// column (too long to share a line), then each test's article on lines of its own.
pub fn roo_tests(out: &mut dyn Write, r: &quid_roo::RooResult) -> std::io::Result<()> {
    let t = quid_app::roo::tests_table(r);
    if WIDTH.load(Ordering::Relaxed) == 0 {
        return t.write(out, Format::Table);
    }
    t.select(&["test", "value", "threshold", "margin", "result"])
        .write(out, Format::Table)?;
    writeln!(out, "\narticles:")?;
    let room = WIDTH.load(Ordering::Relaxed).saturating_sub(4).max(40);
    for x in &r.tests {
        for (i, l) in wrap(&format!("{}: {}", x.name, x.article), room)
            .into_iter()
            .enumerate()
        {
            writeln!(out, "{}{l}", if i == 0 { "  " } else { "    " })?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elides_the_middle() {
        assert_eq!(elide("abcdefghij", 7), "ab...ij");
        assert_eq!(elide("abc", 7), "abc");
    }

    #[test]
    fn fits_the_widest_first() {
        // 10 + 40 + 2 gaps = 52 > 30: the 40 gives way to 18.
        assert_eq!(fit(&[10, 40], 30), vec![10, 18]);
        // The first column keeps its width; the others never go below 14.
        assert_eq!(fit(&[40, 30], 20), vec![40, 14]);
        assert_eq!(fit(&[10, 30, 30], 40), vec![10, 14, 14]);
        assert_eq!(fit(&[10, 40], 0), vec![10, 40]);
    }

    #[test]
    fn wraps_at_spaces() {
        assert_eq!(wrap("aa bb cc", 5), vec!["aa bb", "cc"]);
    }
}
