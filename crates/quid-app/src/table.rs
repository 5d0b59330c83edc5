//! A tabular report: typed, named columns and rows of typed cells, the shape of the rate
//! panels, ETR series, listings and checks. It is its own output contract: it serialises as an
//! array of objects keyed by column name (snake_case), each cell as JSON of its column's kind
//! (numbers as numbers, booleans as booleans, absent values as `null`, money as a number with
//! exactly two decimals, see `docs/output.md`), and [`Table::json_schema`] describes exactly
//! that. The binary also prints it aligned or as CSV, from the same cells.
//!
//! ```
//! use quid_app::table::{Kind, Table};
//! let mut t = Table::typed([("hts", Kind::Text), ("total_pct", Kind::Number), ("claim", Kind::Bool)]);
//! t.push_cells(["7208.10.15.00".into(), quid_app::table::Cell::num(50.0, 4), false.into()]);
//! let json = serde_json::to_string(&t).unwrap();
//! assert_eq!(json, r#"[{"hts":"7208.10.15.00","total_pct":50.0000,"claim":false}]"#);
//! assert_eq!(t.rows[0][1], "50.0000");
//! ```

use rust_decimal::Decimal;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::Serialize;

/// What a column holds: decides its JSON type, its CSV text and its JSON Schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text.
    Text,
    /// A date, `YYYY-MM-DD` (a JSON string).
    Date,
    /// A whole number.
    Int,
    /// A real number (shares, rates in percent, indices).
    Number,
    /// An amount of money: a JSON number with exactly two decimals, in the currency the report
    /// or a sibling column names.
    Money,
    /// `true` or `false`.
    Bool,
    /// A snake_case name from a fixed list (the column's description lists them).
    Enum,
}

impl Kind {
    /// The JSON Schema of one cell of this kind (every cell may be `null`: absent).
    pub fn schema(self) -> serde_json::Value {
        use serde_json::json;
        match self {
            Kind::Text | Kind::Enum => json!({"type": ["string", "null"]}),
            Kind::Date => json!({"type": ["string", "null"], "format": "date"}),
            Kind::Int => json!({"type": ["integer", "null"]}),
            Kind::Number | Kind::Money => json!({"type": ["number", "null"]}),
            Kind::Bool => json!({"type": ["boolean", "null"]}),
        }
    }
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Absent: `null` in JSON, empty in CSV.
    Null,
    Bool(bool),
    Int(i64),
    /// A number and the decimals it is printed with (JSON and text alike).
    Num(f64, u8),
    /// Money, printed with exactly two decimals (rounded half away from zero).
    Money(Decimal),
    Text(String),
}

impl Cell {
    /// A number printed with `decimals` places; NaN and infinities are absent.
    pub fn num(x: f64, decimals: u8) -> Cell {
        if x.is_finite() {
            Cell::Num(x, decimals)
        } else {
            Cell::Null
        }
    }

    /// An amount of money in f64 (a modelled figure), to the cent.
    pub fn money_f64(x: f64) -> Cell {
        Decimal::try_from(x).map_or(Cell::Null, Cell::Money)
    }

    /// The text of a cell as CSV and the aligned table print it.
    pub fn text(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Bool(b) => b.to_string(),
            Cell::Int(i) => i.to_string(),
            Cell::Num(x, d) => {
                // Adding zero turns -0.0 into 0.0.
                format!("{:.*}", usize::from(*d), x + 0.0)
            }
            Cell::Money(m) => format!("{:.2}", quid_core::money::round_cents(*m)),
            Cell::Text(s) => s.clone(),
        }
    }
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

impl PartialEq<str> for Cell {
    fn eq(&self, other: &str) -> bool {
        self.text() == other
    }
}

impl PartialEq<&str> for Cell {
    fn eq(&self, other: &&str) -> bool {
        self.text() == *other
    }
}

impl PartialOrd for Cell {
    fn partial_cmp(&self, other: &Cell) -> Option<std::cmp::Ordering> {
        Some(match (self, other) {
            (Cell::Num(a, _), Cell::Num(b, _)) => a.total_cmp(b),
            (Cell::Int(a), Cell::Int(b)) => a.cmp(b),
            (Cell::Money(a), Cell::Money(b)) => a.cmp(b),
            _ => self.text().cmp(&other.text()),
        })
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}
impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}
impl From<&String> for Cell {
    fn from(s: &String) -> Cell {
        Cell::Text(s.clone())
    }
}
impl From<bool> for Cell {
    fn from(b: bool) -> Cell {
        Cell::Bool(b)
    }
}
impl From<usize> for Cell {
    fn from(i: usize) -> Cell {
        i64::try_from(i).map_or(Cell::Null, Cell::Int)
    }
}
impl From<i64> for Cell {
    fn from(i: i64) -> Cell {
        Cell::Int(i)
    }
}
impl From<Decimal> for Cell {
    fn from(d: Decimal) -> Cell {
        Cell::Money(d)
    }
}
impl From<quid_core::Date> for Cell {
    fn from(d: quid_core::Date) -> Cell {
        Cell::Text(d.to_string())
    }
}
impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(o: Option<T>) -> Cell {
        o.map_or(Cell::Null, Into::into)
    }
}

impl Serialize for Cell {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Null => s.serialize_none(),
            Cell::Bool(b) => s.serialize_bool(*b),
            Cell::Int(i) => s.serialize_i64(*i),
            Cell::Num(..) | Cell::Money(_) => raw_number(&self.text(), s),
            Cell::Text(t) => s.serialize_str(t),
        }
    }
}

pub use quid_core::schema::raw_number;

/// A named column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// snake_case: the JSON key and the CSV header.
    pub name: String,
    pub kind: Kind,
}

/// A table of typed cells with named columns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    pub kinds: Vec<Kind>,
    /// The kind of the columns whose names are computed (one per authority, sector...): the
    /// schema lets any further key hold it.
    pub extra: Option<Kind>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// A table of text columns (the human-only tables of the binary).
    pub fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Table {
        let headers: Vec<String> = headers.into_iter().map(Into::into).collect();
        let kinds = vec![Kind::Text; headers.len()];
        Table {
            headers,
            kinds,
            extra: None,
            rows: Vec::new(),
        }
    }

    /// A table with typed columns.
    pub fn typed<S: Into<String>>(columns: impl IntoIterator<Item = (S, Kind)>) -> Table {
        let (headers, kinds) = columns.into_iter().map(|(n, k)| (n.into(), k)).unzip();
        Table {
            headers,
            kinds,
            extra: None,
            rows: Vec::new(),
        }
    }

    /// Adds a column whose name is computed (of kind `extra`).
    pub fn add_column(&mut self, name: impl Into<String>) {
        self.headers.push(name.into());
        self.kinds.push(self.extra.unwrap_or(Kind::Text));
    }

    /// Pushes a row of text cells.
    pub fn push<S: Into<String>>(&mut self, row: impl IntoIterator<Item = S>) {
        self.rows
            .push(row.into_iter().map(|s| Cell::Text(s.into())).collect());
    }

    /// Pushes a row of typed cells.
    pub fn push_cells(&mut self, row: impl IntoIterator<Item = Cell>) {
        self.rows.push(row.into_iter().collect());
    }

    /// The JSON Schema of this table's serialisation (an array of objects).
    pub fn json_schema(&self, title: &str, description: &str) -> serde_json::Value {
        let mut props = serde_json::Map::new();
        for (h, k) in self.headers.iter().zip(&self.kinds) {
            props.insert(h.clone(), k.schema());
        }
        serde_json::json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": title,
            "description": description,
            "type": "array",
            "items": {
                "type": "object",
                "properties": props,
                "required": self.headers,
                "additionalProperties": self.extra.map_or(serde_json::Value::Bool(false), Kind::schema),
            }
        })
    }

    /// The same table with only the named columns, in that order (a shorter human view).
    pub fn select(&self, names: &[&str]) -> Table {
        let idx: Vec<usize> = names
            .iter()
            .filter_map(|n| self.headers.iter().position(|h| h == n))
            .collect();
        Table {
            headers: idx.iter().map(|i| self.headers[*i].clone()).collect(),
            kinds: idx.iter().map(|i| self.kinds[*i]).collect(),
            extra: None,
            rows: self
                .rows
                .iter()
                .map(|r| idx.iter().map(|i| r[*i].clone()).collect())
                .collect(),
        }
    }

    /// The table in long form: the first `keep` columns, then one row per other column, with
    /// its name (in words) under `name` and its cell under `value` (a narrow human view of a
    /// table with a column per authority or sector).
    pub fn long(&self, keep: usize, name: &str, value: &str) -> Table {
        let keep = keep.min(self.headers.len());
        let mut cols: Vec<(String, Kind)> = self.headers[..keep]
            .iter()
            .cloned()
            .zip(self.kinds[..keep].iter().copied())
            .collect();
        cols.push((name.to_string(), Kind::Text));
        cols.push((
            value.to_string(),
            self.kinds.get(keep).copied().unwrap_or(Kind::Text),
        ));
        let mut t = Table::typed(cols);
        for r in &self.rows {
            for (h, c) in self.headers.iter().zip(r).skip(keep) {
                let mut row: Vec<Cell> = r[..keep].to_vec();
                row.push(Cell::Text(h.replace('_', " ")));
                row.push(c.clone());
                t.rows.push(row);
            }
        }
        t
    }

    /// The rows as text (CSV and the aligned print).
    pub fn text_rows(&self) -> impl Iterator<Item = Vec<String>> + '_ {
        self.rows.iter().map(|r| r.iter().map(Cell::text).collect())
    }
}

struct Row<'a>(&'a [String], &'a [Cell]);

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
    /// are typed by their kind: numbers as floats, dates as dates, booleans as booleans, the
    /// rest text.
    pub fn write_file(&self, path: &std::path::Path) -> crate::Result<()> {
        let rows: Vec<Vec<String>> = self.text_rows().collect();
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
        {
            use quid_data::parquet_io::Kind as P;
            let cols: Vec<(String, P)> = self
                .headers
                .iter()
                .zip(&self.kinds)
                .map(|(h, k)| {
                    let k = match k {
                        Kind::Number | Kind::Money => P::Float,
                        Kind::Date => P::Date,
                        Kind::Bool => P::Bool,
                        _ => P::Text,
                    };
                    (h.clone(), k)
                })
                .collect();
            quid_data::parquet_io::write_table(path, &cols, &rows)?;
        } else {
            let io = |e: std::io::Error| crate::Error::io("writing", path, e);
            let f = std::fs::File::create(path).map_err(io)?;
            let mut w = csv::Writer::from_writer(std::io::BufWriter::new(f));
            let csv_err = |e: csv::Error| crate::Error::io("writing", path, e.into());
            w.write_record(&self.headers).map_err(csv_err)?;
            for r in &rows {
                w.write_record(r).map_err(csv_err)?;
            }
            w.flush().map_err(io)?;
        }
        Ok(())
    }
}

/// A name in snake_case: `s232-steel` -> `s232_steel`, `TariffImposed` -> `tariff_imposed`,
/// `Motor vehicles` -> `motor_vehicles`.
pub fn snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if prev_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            prev_lower = false;
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

/// `n` and the noun, singular or plural: "1 move", "2 moves".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The serde name of an enum value (its snake_case JSON form), for CSV and tables.
pub fn serde_name<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_names() {
        assert_eq!(snake("s232-steel"), "s232_steel");
        assert_eq!(snake("TariffImposed"), "tariff_imposed");
        assert_eq!(snake("Motor vehicles & parts"), "motor_vehicles_parts");
        assert_eq!(snake("ieepa-ca"), "ieepa_ca");
    }

    #[test]
    fn cells_serialise_by_kind() {
        let mut t = Table::typed([
            ("a", Kind::Money),
            ("b", Kind::Number),
            ("c", Kind::Text),
            ("d", Kind::Int),
        ]);
        t.push_cells([
            Cell::Money(Decimal::new(875, 1)),
            Cell::num(f64::NAN, 2),
            Cell::Null,
            Cell::from(3usize),
        ]);
        let json = serde_json::to_string(&t).unwrap_or_default();
        assert_eq!(json, r#"[{"a":87.50,"b":null,"c":null,"d":3}]"#);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(v[0]["a"], 87.5);
    }
}
