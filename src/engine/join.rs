//! A tenant table joined to lots: each row of a spreadsheet (`.xlsx`, its first sheet) or a
//! CSV (UTF-8 with or without a byte-order mark, else Windows-1258) sets its columns as
//! properties of the lot whose key it names.
//!
//! The header row names the properties; Vietnamese headers map to the canonical keys through
//! the aliases (`Mã lô` → `parcel_id`, `Tên doanh nghiệp` → `tenant`, `Vốn đầu tư` →
//! `capital_musd`…), and a lot that already has the property under another alias keeps its
//! own name for it. Numbers stay numbers (a CSV cell is a number when it is written as one,
//! without leading zeros: a tax code `0101234567` stays text), dates become ISO dates, text is
//! NFC. Every change is an [`Op::Set`]: the same edit as the inspector's, so the file is
//! written back losslessly and lots not in the table stay byte for byte.

use std::collections::HashMap;
use std::path::Path;

use calamine::{Data, Reader};
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

use super::edit::Op;
use super::geojson::Document;
use super::model::LayerKind;
use super::properties::{Date, PARCEL_KEYS, canonical_key, normalize_text};

/// A table as read: its headers and its rows (`None`: an empty cell).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Option<Value>>>,
}

/// Why a table cannot be read.
#[derive(Debug, Clone, PartialEq)]
pub enum TableProblem {
    /// The file cannot be read (`detail`: the reader's own words).
    Unreadable { detail: String },
    /// No header row.
    Empty,
    /// No column is the key.
    NoKeyColumn { key: String },
}

/// What a join did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Joined {
    /// The property sets to make, in row order.
    pub ops: Vec<Op>,
    /// The lots the table changes.
    pub lots: usize,
    /// Rows (from 1, the header being row 1) whose key names no lot, and the key.
    pub unmatched: Vec<(usize, String)>,
    /// Rows whose key names several lots: the key and how many.
    pub ambiguous: Vec<(usize, String, usize)>,
}

/// Reads a table: `.xlsx` (the first sheet), else CSV.
pub fn read_table(path: &Path) -> Result<Table, TableProblem> {
    let unreadable = |detail: String| TableProblem::Unreadable { detail };
    let is_xlsx = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if is_xlsx {
        let mut book = calamine::open_workbook_auto(path).map_err(|e| unreadable(e.to_string()))?;
        let sheet = book
            .worksheet_range_at(0)
            .ok_or(TableProblem::Empty)?
            .map_err(|e| unreadable(e.to_string()))?;
        let mut rows = sheet.rows();
        let headers: Vec<String> = rows
            .next()
            .ok_or(TableProblem::Empty)?
            .iter()
            .map(|c| cell_text(c).unwrap_or_default())
            .collect();
        let rows = rows.map(|r| r.iter().map(cell_value).collect()).collect();
        return Ok(Table { headers, rows });
    }
    let bytes = std::fs::read(path).map_err(|e| unreadable(e.to_string()))?;
    read_csv(&bytes)
}

/// A spreadsheet cell's text (for headers and keys).
fn cell_text(c: &Data) -> Option<String> {
    match cell_value(c)? {
        Value::String(s) => Some(s),
        other => Some(other.to_string()),
    }
}

fn cell_value(c: &Data) -> Option<Value> {
    Some(match c {
        Data::Empty | Data::Error(_) => return None,
        Data::Int(i) => Value::from(*i),
        Data::Float(f) if f.is_finite() => Value::from(*f),
        Data::Float(_) => return None,
        Data::Bool(b) => Value::Bool(*b),
        Data::String(s) => {
            let s: String = s.trim().nfc().collect();
            if s.is_empty() {
                return None;
            }
            Value::String(s)
        }
        Data::DateTime(d) => match serial_date(d.as_f64()) {
            Some(iso) => Value::String(iso),
            None => Value::from(d.as_f64()),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => {
            Value::String(s.split('T').next().unwrap_or(s).to_string())
        }
    })
}

/// A spreadsheet date serial (days since 1899-12-30) as an ISO date.
fn serial_date(serial: f64) -> Option<String> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let days = serial.floor() as i64 - 25_569;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// Reads a CSV: UTF-8 (a byte-order mark skipped), else Windows-1258; `,` or `;` between
/// cells (whichever the header row has more of), `"` quoting.
pub fn read_csv(bytes: &[u8]) -> Result<Table, TableProblem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text: String = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(_) => encoding_rs::WINDOWS_1258
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    };
    let text: String = text.nfc().collect();
    let first = text.lines().next().ok_or(TableProblem::Empty)?;
    let sep = if first.matches(';').count() > first.matches(',').count() {
        ';'
    } else {
        ','
    };
    let mut records = csv_records(&text, sep).into_iter();
    let headers = records.next().ok_or(TableProblem::Empty)?;
    let rows = records
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
        .map(|r| r.iter().map(|c| csv_value(c)).collect())
        .collect();
    Ok(Table {
        headers: headers.into_iter().map(|h| h.trim().to_string()).collect(),
        rows,
    })
}

/// RFC 4180 records (quoted cells may hold separators, quotes and line breaks).
fn csv_records(text: &str, sep: char) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') if cell.is_empty() => quoted = true,
            (false, c) if c == sep => record.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut cell));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => cell.push(c),
        }
    }
    if !cell.is_empty() || !record.is_empty() {
        record.push(cell);
        records.push(record);
    }
    records
}

/// A CSV cell's value: a number when written as one (no leading zeros), a date when written
/// as one (`2024-06-30`, `30/06/2024`), else text.
fn csv_value(cell: &str) -> Option<Value> {
    let t = cell.trim();
    if t.is_empty() {
        return None;
    }
    let digits = t.trim_start_matches('-');
    let leading_zero = digits.len() > 1 && digits.starts_with('0') && !digits.starts_with("0.");
    if !leading_zero && let Ok(n) = serde_json::from_str::<serde_json::Number>(t) {
        return Some(Value::Number(n));
    }
    if (t.contains('-') || t.contains('/'))
        && let Some(d) = Date::parse(t)
    {
        let (y, m, d) = d.ymd();
        return Some(Value::String(format!("{y:04}-{m:02}-{d:02}")));
    }
    Some(Value::String(t.to_string()))
}

/// The property sets that join `table` to the lots of `doc` by `key` (a canonical key or
/// one of its aliases, or any property name), row by row.
pub fn join(doc: &Document, table: &Table, key: &str) -> Result<Joined, TableProblem> {
    let canonical = |name: &str| canonical_key(PARCEL_KEYS, name).map(str::to_string);
    let key_canon = canonical(key).unwrap_or_else(|| key.to_string());
    let same_key = |name: &str| canonical(name).unwrap_or_else(|| name.to_string()) == key_canon;
    let key_column = table
        .headers
        .iter()
        .position(|h| same_key(h))
        .ok_or_else(|| TableProblem::NoKeyColumn {
            key: key.to_string(),
        })?;

    // Each lot's key (normalised), and the names its properties go by.
    let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
    for i in (0..doc.len()).filter(|&i| !doc.is_deleted(i)) {
        let props = doc.raw_properties(i);
        if let Some((_, v)) = props.iter().find(|(k, _)| same_key(k)) {
            let text = match serde_json::from_str::<Value>(v) {
                Ok(Value::String(s)) => s,
                Ok(Value::Null) | Err(_) => continue,
                Ok(other) => other.to_string(),
            };
            by_key
                .entry(normalize_text(text.trim()).into_owned())
                .or_default()
                .push(i);
        }
    }

    let mut joined = Joined::default();
    let mut changed: Vec<usize> = Vec::new();
    for (r, row) in table.rows.iter().enumerate() {
        let row_no = r + 2;
        let Some(k) = row.get(key_column).and_then(|v| v.as_ref()) else {
            continue;
        };
        let k = match k {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let lots = by_key
            .get(normalize_text(k.trim()).as_ref())
            .cloned()
            .unwrap_or_default();
        let lot = match lots.as_slice() {
            [] => {
                joined.unmatched.push((row_no, k));
                continue;
            }
            [one] => *one,
            many => {
                joined.ambiguous.push((row_no, k, many.len()));
                continue;
            }
        };
        let own: Vec<String> = doc
            .raw_properties(lot)
            .into_iter()
            .map(|(k, _)| k.into_owned())
            .collect();
        for (c, header) in table.headers.iter().enumerate() {
            if c == key_column || header.trim().is_empty() {
                continue;
            }
            let Some(value) = row.get(c).cloned().flatten() else {
                continue;
            };
            // The lot's own name for the property, else the canonical one, else the header.
            let name = match canonical(header) {
                Some(canon) => own
                    .iter()
                    .find(|k| canonical(k).as_deref() == Some(canon.as_str()))
                    .cloned()
                    .unwrap_or(canon),
                None => header.trim().to_string(),
            };
            joined.ops.push(Op::Set {
                layer: LayerKind::Parcels,
                feature: lot,
                key: name,
                value: Some(value),
            });
        }
        changed.push(lot);
    }
    changed.sort_unstable();
    changed.dedup();
    joined.lots = changed.len();
    Ok(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_keep_codes_as_text_and_read_numbers_and_dates() {
        let t = read_csv("\u{feff}Mã lô;Mã số thuế;Vốn đầu tư;Ngày thuê\nA-01;0101234567;12.5;30/06/2024\n\"B;02\";;7;2024-01-02\n".as_bytes()).expect("csv");
        assert_eq!(
            t.headers,
            ["Mã lô", "Mã số thuế", "Vốn đầu tư", "Ngày thuê"]
        );
        assert_eq!(
            t.rows[0],
            [
                Some(Value::from("A-01")),
                Some(Value::from("0101234567")),
                Some(serde_json::json!(12.5)),
                Some(Value::from("2024-06-30"))
            ]
        );
        assert_eq!(t.rows[1][0], Some(Value::from("B;02")));
        assert_eq!(t.rows[1][1], None);
    }

    #[test]
    fn windows_1258_csv_is_read() {
        // "Công ty" in Windows-1258: ô is 0xF4.
        let t = read_csv(b"ma_lo,tenant\nA,C\xF4ng ty\n").expect("csv");
        assert_eq!(t.rows[0][1], Some(Value::from("Công ty")));
    }

    #[test]
    fn spreadsheet_serials_are_dates() {
        assert_eq!(serial_date(45_473.0).as_deref(), Some("2024-06-30"));
        assert_eq!(serial_date(25_569.0).as_deref(), Some("1970-01-01"));
    }
}
