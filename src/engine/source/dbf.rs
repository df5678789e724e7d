//! A Shapefile's attribute table (`.dbf`, dBase III/IV), read into JSON values, with its text
//! decoded as the file means it.
//!
//! The record layout is fixed-width and simple, so it is read here rather than through the
//! `dbase` crate, which decodes text before its encoding can be chosen from the whole file,
//! parses `F` fields as `f32` (seven digits of an area kept) and gives up on the whole file
//! at one malformed number or date. Here a number keeps the digits the file wrote, and a value
//! that is not what its field says is kept as text.
//!
//! Text is decoded by, in order:
//! 1. the `.cpg` beside the file (`UTF-8`, `65001`, `1258`, `CP1252`, `windows-1258`…);
//! 2. the header's code page (its language driver byte), when it names one;
//! 3. UTF-8, when every text value is valid UTF-8;
//! 4. the one of Windows-1258, TCVN3 and VNI in which most words are Vietnamese syllables.
//!
//! Text declared Windows-1252 (or Latin-1) is also checked for TCVN3 and VNI typed on such a
//! system ([`legacy_text::detect`]): it is how such files are usually labelled. All text ends
//! as Unicode NFC.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252, WINDOWS_1258};
use unicode_normalization::UnicodeNormalization;

use crate::engine::legacy_text::{self, is_vietnamese_syllable};

/// Why a table cannot be read.
#[derive(Debug, Clone, PartialEq)]
pub enum DbfProblem {
    /// Shorter than its header says (`at`: the byte where it ends).
    CutShort { at: usize },
    /// The header is not a dBase header.
    NotDbase,
}

/// The text encoding chosen for a table, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// An encoding the `.cpg` or the header names.
    Declared(&'static Encoding),
    Utf8,
    Windows1258,
    Tcvn3,
    Vni,
}

/// One attribute table: the fields' names in order and each record's values.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub fields: Vec<String>,
    /// Per record (deleted records left out), its fields that are not blank, in field order:
    /// the name and the value as JSON text (a number as the file wrote it).
    pub records: Vec<Vec<(String, String)>>,
    pub encoding: TextEncoding,
}

struct Field {
    name: Vec<u8>,
    kind: u8,
    offset: usize,
    len: usize,
}

/// Reads a table's bytes; `cpg` is the text of the `.cpg` beside it, if there is one.
pub fn read(bytes: &[u8], cpg: Option<&str>) -> Result<Table, DbfProblem> {
    if bytes.len() < 32 {
        return Err(DbfProblem::NotDbase);
    }
    let count = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
    let header_len = usize::from(u16::from_le_bytes([bytes[8], bytes[9]]));
    let record_len = usize::from(u16::from_le_bytes([bytes[10], bytes[11]]));
    let language_driver = bytes[29];
    if header_len < 33 || record_len == 0 {
        return Err(DbfProblem::NotDbase);
    }
    let mut fields = Vec::new();
    let mut offset = 1; // the deletion flag
    let mut at = 32;
    while at + 32 <= header_len.min(bytes.len()) && bytes[at] != 0x0D {
        let d = &bytes[at..at + 32];
        let name_end = d[..11].iter().position(|&b| b == 0).unwrap_or(11);
        let len = usize::from(d[16]);
        fields.push(Field {
            name: d[..name_end].to_vec(),
            kind: d[11].to_ascii_uppercase(),
            offset,
            len,
        });
        offset += len;
        at += 32;
    }
    if offset > record_len {
        return Err(DbfProblem::NotDbase);
    }
    let end = header_len + count * record_len;
    if bytes.len() < end {
        // Some writers leave the count at zero or short; a file cut short is refused.
        let whole = (bytes.len() - header_len.min(bytes.len())) / record_len;
        if whole < count {
            return Err(DbfProblem::CutShort { at: bytes.len() });
        }
    }
    let records: Vec<&[u8]> = (0..count)
        .map(|r| &bytes[header_len + r * record_len..header_len + (r + 1) * record_len])
        .filter(|rec| rec[0] != b'*')
        .collect();

    // Every text the table holds, to choose its encoding from.
    let texts = || {
        fields
            .iter()
            .filter(|f| f.kind == b'C' || f.kind == b'M')
            .flat_map(|f| {
                records
                    .iter()
                    .map(move |rec| trim(&rec[f.offset..f.offset + f.len]))
            })
            .chain(fields.iter().map(|f| f.name.as_slice()))
    };
    let encoding = choose_encoding(cpg, language_driver, &mut texts());
    let decode = |raw: &[u8]| decode(encoding, raw);

    let names: Vec<String> = fields.iter().map(|f| decode(trim(&f.name))).collect();
    let records = records
        .iter()
        .map(|rec| {
            fields
                .iter()
                .zip(&names)
                .filter_map(|(f, name)| {
                    let raw = trim(&rec[f.offset..f.offset + f.len]);
                    value(f.kind, raw, &decode).map(|v| (name.clone(), v))
                })
                .collect()
        })
        .collect();
    Ok(Table {
        fields: names,
        records,
        encoding,
    })
}

/// A field's value as JSON text, `None` when blank. A number keeps the digits written; a
/// value its field type does not fit is kept as text.
fn value(kind: u8, raw: &[u8], decode: &dyn Fn(&[u8]) -> String) -> Option<String> {
    if raw.is_empty() {
        return None;
    }
    let string = |s: String| serde_json::Value::String(s).to_string();
    let text = || string(decode(raw));
    Some(match kind {
        b'N' | b'F' => {
            if raw.iter().all(|&b| b == b'*') {
                return None; // the dBase "does not fit" mark
            }
            number(raw).unwrap_or_else(text)
        }
        b'L' => match raw[0] {
            b'T' | b't' | b'Y' | b'y' => "true".to_string(),
            b'F' | b'f' | b'N' | b'n' => "false".to_string(),
            b'?' => return None,
            _ => text(),
        },
        b'D' => match iso_date(raw) {
            Some(d) => string(d),
            None if raw.iter().all(|&b| b == b'0') => return None,
            None => text(),
        },
        _ => text(),
    })
}

/// A number as JSON text, spelled as written (`12.50` stays `12.50`), when it is one. What
/// JSON spells otherwise is mended: a leading `+` or zeros, a bare `.5` or `5.`.
fn number(raw: &[u8]) -> Option<String> {
    let s = std::str::from_utf8(raw).ok()?;
    let (sign, digits) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s.strip_prefix('+').unwrap_or(s)),
    };
    let digits = digits.trim_start_matches('0');
    let digits = digits.strip_suffix('.').unwrap_or(digits);
    let text = if digits.is_empty() || digits.starts_with(['.', 'e', 'E']) {
        format!("{sign}0{digits}")
    } else {
        format!("{sign}{digits}")
    };
    let parsed: serde_json::Number = serde_json::from_str(&text).ok()?;
    parsed.as_f64().filter(|v| v.is_finite())?;
    Some(text)
}

/// `YYYYMMDD` → `YYYY-MM-DD`, when it is a date.
fn iso_date(raw: &[u8]) -> Option<String> {
    if raw.len() != 8 || !raw.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| -> u32 {
        raw[r]
            .iter()
            .fold(0, |acc, &b| acc * 10 + u32::from(b - b'0'))
    };
    let (y, m, d) = (n(0..4), n(4..6), n(6..8));
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (y > 0 && (1..=days).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// Blanks and NULs trimmed from both ends (fields are padded with either).
fn trim(raw: &[u8]) -> &[u8] {
    let blank = |b: &u8| *b == b' ' || *b == 0;
    let start = raw.iter().position(|b| !blank(b)).unwrap_or(raw.len());
    let end = raw.iter().rposition(|b| !blank(b)).map_or(start, |e| e + 1);
    &raw[start..end]
}

/// The encoding a `.cpg` names: a code page number or an encoding label.
pub fn cpg_encoding(cpg: &str) -> Option<&'static Encoding> {
    let s = cpg.trim().trim_start_matches('\u{feff}').trim();
    let upper = s.to_ascii_uppercase();
    let number = upper
        .trim_start_matches("ANSI")
        .trim_start_matches("CP")
        .trim_start_matches("WINDOWS-")
        .trim_start_matches("WINDOWS")
        .trim();
    if let Ok(page) = number.parse::<u32>() {
        return code_page(page);
    }
    match upper.as_str() {
        "8859_1" | "ISO8859_1" | "ISO-8859-1" | "LATIN1" => Some(WINDOWS_1252),
        _ => Encoding::for_label(s.as_bytes()),
    }
}

/// A Windows code page number's encoding.
fn code_page(page: u32) -> Option<&'static Encoding> {
    let label = match page {
        65001 => "utf-8",
        874 => "windows-874",
        932 => "shift_jis",
        936 => "gbk",
        949 => "euc-kr",
        950 => "big5",
        866 => "ibm866",
        1250..=1258 => return Encoding::for_label(format!("windows-{page}").as_bytes()),
        28591 | 88591 => "windows-1252",
        _ => return None,
    };
    Encoding::for_label(label.as_bytes())
}

/// The encoding a header's language driver byte names, when it names one. 0x57 ("the
/// system's ANSI page") and the DOS pages Rust's encodings lack say nothing certain.
fn language_driver_encoding(id: u8) -> Option<&'static Encoding> {
    code_page(match id {
        0x03 | 0x58 | 0x59 => 1252,
        0x64 => return None, // 852
        0x65 => 866,
        0x78 => 950,
        0x79 => 949,
        0x7A => 936,
        0x7B => 932,
        0x7C => 874,
        0x7D => 1255,
        0x7E => 1256,
        0xC8 => 1250,
        0xC9 => 1251,
        0xCA => 1254,
        0xCB => 1253,
        0xCC => 1257,
        _ => return None,
    })
}

fn choose_encoding(
    cpg: Option<&str>,
    language_driver: u8,
    texts: &mut dyn Iterator<Item = &[u8]>,
) -> TextEncoding {
    let declared = cpg
        .and_then(cpg_encoding)
        .or_else(|| language_driver_encoding(language_driver));
    if let Some(e) = declared {
        return if e == UTF_8 {
            TextEncoding::Utf8
        } else if e == WINDOWS_1258 {
            TextEncoding::Windows1258
        } else {
            TextEncoding::Declared(e)
        };
    }
    let non_ascii: Vec<&[u8]> = texts.filter(|t| !t.is_ascii()).collect();
    if non_ascii.iter().all(|t| std::str::from_utf8(t).is_ok()) {
        return TextEncoding::Utf8;
    }
    // The reading in which most words are Vietnamese syllables (ties go to Windows-1258,
    // the Vietnamese Windows page).
    let score = |e: TextEncoding| -> usize {
        non_ascii
            .iter()
            .map(|t| {
                decode(e, t)
                    .split(|c: char| !c.is_alphabetic() && !is_tone_mark(c))
                    .filter(|w| !w.is_ascii() && is_vietnamese_syllable(w))
                    .count()
            })
            .sum()
    };
    [
        TextEncoding::Windows1258,
        TextEncoding::Tcvn3,
        TextEncoding::Vni,
    ]
    .into_iter()
    .map(|e| (score(e), e))
    .fold(
        None,
        |best: Option<(usize, TextEncoding)>, (s, e)| match best {
            Some((b, _)) if b >= s => best,
            _ => Some((s, e)),
        },
    )
    .map_or(TextEncoding::Windows1258, |(_, e)| e)
}

fn is_tone_mark(c: char) -> bool {
    matches!(c, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}')
}

/// Bytes read as Latin-1: each byte the character of the same number (how the legacy font
/// encodings' tables are written).
fn latin1(raw: &[u8]) -> String {
    raw.iter().map(|&b| char::from(b)).collect()
}

/// A text's bytes in `encoding`, as Unicode NFC.
pub fn decode(encoding: TextEncoding, raw: &[u8]) -> String {
    let text: String = match encoding {
        TextEncoding::Utf8 => String::from_utf8_lossy(raw).into_owned(),
        TextEncoding::Windows1258 => WINDOWS_1258.decode_without_bom_handling(raw).0.into_owned(),
        TextEncoding::Tcvn3 => legacy_text::tcvn3_to_unicode(&latin1(raw)),
        TextEncoding::Vni => legacy_text::vni_to_unicode(&latin1(raw)),
        TextEncoding::Declared(e) => {
            let text = e.decode_without_bom_handling(raw).0.into_owned();
            if e == WINDOWS_1252 {
                // TCVN3 or VNI typed on a Western Windows: the file says 1252, the fonts
                // meant Vietnamese.
                if let Some(found) = legacy_text::detect(&latin1(raw)) {
                    return found.unicode;
                }
            }
            text
        }
    };
    text.nfc().collect()
}

// ---------------------------------------------------------------------------------------------
// Writing.

/// A column's type in a written table, from its values (nulls apart): integers → `N` without
/// decimals, numbers → `N` with as many decimals as the most precise value needs (each reads
/// back as the same `f64`), booleans → `L`, ISO dates (`yyyy-mm-dd`) → `D`, anything else or
/// a mix → `C`, text (a number or a nested value as its JSON text).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Column {
    Integer,
    Real { decimals: usize },
    Logical,
    Date,
    Text,
}

/// The widest character field, and the widest number.
pub const MAX_TEXT: usize = 254;
const MAX_NUMBER: usize = 30;

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(k, c)| k == 4 || k == 7 || c.is_ascii_digit())
        && iso_date(&[&b[..4], &b[5..7], &b[8..]].concat()).is_some()
}

/// Decimals of a number's shortest text (Rust never writes an exponent for `f64`).
fn decimals(x: f64) -> usize {
    let t = x.to_string();
    t.split_once('.').map_or(0, |(_, d)| d.len())
}

fn column_of<'a>(values: impl Iterator<Item = &'a serde_json::Value>) -> Column {
    use serde_json::Value;
    let mut kind: Option<Column> = None;
    for v in values {
        let this = match v {
            Value::Null => continue,
            Value::Number(n) if n.is_i64() || n.is_u64() => Column::Integer,
            Value::Number(n) => Column::Real {
                decimals: n.as_f64().map_or(0, decimals),
            },
            Value::Bool(_) => Column::Logical,
            Value::String(s) if is_iso_date(s) => Column::Date,
            _ => Column::Text,
        };
        kind = Some(match (kind, this) {
            (None, t) => t,
            (Some(a), b) if a == b => a,
            (Some(Column::Integer), Column::Real { decimals })
            | (Some(Column::Real { decimals }), Column::Integer) => Column::Real { decimals },
            (Some(Column::Real { decimals: a }), Column::Real { decimals: b }) => {
                Column::Real { decimals: a.max(b) }
            }
            _ => Column::Text,
        });
    }
    kind.unwrap_or(Column::Text)
}

/// A value's text in a column of this type; `None` for null (a blank field).
fn cell(column: Column, v: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    Some(match (column, v) {
        (_, Value::Null) => return None,
        (Column::Integer, Value::Number(n)) => n.to_string(),
        (Column::Real { decimals }, Value::Number(n)) => {
            format!("{:.*}", decimals, n.as_f64().unwrap_or(f64::NAN))
        }
        (Column::Logical, Value::Bool(b)) => if *b { "T" } else { "F" }.to_string(),
        (Column::Date, Value::String(s)) => s.replace('-', ""),
        (_, Value::String(s)) => s.clone(),
        (_, other) => other.to_string(),
    })
}

/// The longest start of `s` of at most `max` bytes that ends between two characters.
pub(crate) fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Field names for these keys: at most 10 bytes of UTF-8 (a name is cut between two
/// characters) and unique whatever their case (as GIS tools compare them); a name taken
/// gets a number (`investment`, `investme_1`, …). Returns each key's name.
pub fn field_names(keys: &[String]) -> Vec<String> {
    let mut taken: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for key in keys {
        let mut name = cut(key, 10).to_string();
        if name.is_empty() {
            name = "field".into();
        }
        let mut k = 1;
        while taken.contains(&name.to_lowercase()) {
            let suffix = format!("_{k}");
            name = format!("{}{suffix}", cut(key, 10 - suffix.len()));
            k += 1;
        }
        taken.push(name.to_lowercase());
        out.push(name);
    }
    out
}

/// A value longer than its field: (record from 1, key, its bytes).
pub type Overflow = (usize, String, usize);

/// A written table: its bytes, each key with its field name, the values cut.
pub type WrittenTable = (Vec<u8>, Vec<(String, String)>, Vec<Overflow>);

/// A dBase III table of these records (each a feature's properties), text in UTF-8 (the
/// `.cpg` says so). Columns are the keys in the order first met, typed from their values
/// (see [`Column`]); every value is written, a text longer than [`MAX_TEXT`] bytes cut
/// between two characters and listed. Returns the table, the field names (one per key, see
/// [`field_names`]) and the values that were cut. `Err` for a table dBase cannot describe
/// (records wider than 65 535 bytes).
pub fn write(records: &[&[(String, serde_json::Value)]]) -> Result<WrittenTable, String> {
    let mut keys: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for r in records {
        for (k, _) in r.iter() {
            if seen.insert(k.as_str()) {
                keys.push(k.clone());
            }
        }
    }
    let lookup: Vec<std::collections::HashMap<&str, &serde_json::Value>> = records
        .iter()
        .map(|r| r.iter().map(|(k, v)| (k.as_str(), v)).collect())
        .collect();
    let names = field_names(&keys);
    let mut columns: Vec<(Column, usize, usize)> = Vec::new(); // type, width, decimals
    for key in &keys {
        let values = lookup.iter().filter_map(|r| r.get(key.as_str()).copied());
        let mut column = column_of(values.clone());
        let widest = |column: Column| {
            values
                .clone()
                .filter_map(|v| cell(column, v))
                .map(|t| t.len())
                .max()
                .unwrap_or(0)
        };
        let mut width = widest(column);
        if matches!(column, Column::Integer | Column::Real { .. }) && width > MAX_NUMBER {
            column = Column::Text;
            width = widest(column);
        }
        let (width, decimals) = match column {
            Column::Integer => (width.max(1), 0),
            Column::Real { decimals } => (width.max(1), decimals),
            Column::Logical => (1, 0),
            Column::Date => (8, 0),
            Column::Text => (width.clamp(1, MAX_TEXT), 0),
        };
        columns.push((column, width, decimals));
    }
    let record_len = 1 + columns.iter().map(|c| c.1).sum::<usize>();
    let header_len = 32 + 32 * keys.len() + 1;
    let (Ok(record_len16), Ok(header_len16), Ok(count)) = (
        u16::try_from(record_len),
        u16::try_from(header_len),
        u32::try_from(records.len()),
    ) else {
        return Err(format!(
            "{} fields of {record_len} bytes a record: more than a dBase table holds",
            keys.len()
        ));
    };
    let mut out = Vec::with_capacity(header_len + records.len() * record_len + 1);
    // Version (dBase III without memo), date of the last update (1 Jan 1995: the engine reads
    // no clock), records, header and record lengths, then 20 reserved bytes (the language
    // driver at 29 left 0: the `.cpg` names the encoding).
    out.extend([0x03, 95, 1, 1]);
    out.extend(count.to_le_bytes());
    out.extend(header_len16.to_le_bytes());
    out.extend(record_len16.to_le_bytes());
    out.extend([0u8; 20]);
    for (name, (column, width, decimals)) in names.iter().zip(&columns) {
        let mut d = [0u8; 32];
        d[..name.len()].copy_from_slice(name.as_bytes());
        d[11] = match column {
            Column::Integer | Column::Real { .. } => b'N',
            Column::Logical => b'L',
            Column::Date => b'D',
            Column::Text => b'C',
        };
        // Both below 256: a number at most MAX_NUMBER wide, a text at most MAX_TEXT.
        d[16] = u8::try_from(*width).unwrap_or(u8::MAX);
        d[17] = u8::try_from(*decimals).unwrap_or(u8::MAX);
        out.extend(d);
    }
    out.push(0x0D);
    let mut cut_values = Vec::new();
    for (r, record) in lookup.iter().enumerate() {
        out.push(b' ');
        for (key, (column, width, _)) in keys.iter().zip(&columns) {
            let text = record.get(key.as_str()).and_then(|v| cell(*column, v));
            let blank = match column {
                Column::Logical => "?",
                _ => "",
            };
            let text = text.as_deref().unwrap_or(blank);
            let kept = cut(text, *width);
            if kept.len() < text.len() {
                cut_values.push((r + 1, key.clone(), text.len()));
            }
            let pad = width - kept.len();
            if matches!(column, Column::Integer | Column::Real { .. }) {
                out.extend(std::iter::repeat_n(b' ', pad));
                out.extend(kept.as_bytes());
            } else {
                out.extend(kept.as_bytes());
                out.extend(std::iter::repeat_n(b' ', pad));
            }
        }
    }
    out.push(0x1A);
    let renamed = keys.into_iter().zip(names).collect();
    Ok((out, renamed, cut_values))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpg_names_are_read_as_gis_tools_write_them() {
        assert_eq!(cpg_encoding("UTF-8"), Some(UTF_8));
        assert_eq!(cpg_encoding("65001\n"), Some(UTF_8));
        assert_eq!(cpg_encoding("1258"), Some(WINDOWS_1258));
        assert_eq!(cpg_encoding("CP1258"), Some(WINDOWS_1258));
        assert_eq!(cpg_encoding("ANSI 1252"), Some(WINDOWS_1252));
        assert_eq!(cpg_encoding("windows-1258"), Some(WINDOWS_1258));
        assert_eq!(cpg_encoding("8859_1"), Some(WINDOWS_1252));
        assert_eq!(cpg_encoding("nonsense"), None);
    }

    #[test]
    fn numbers_keep_their_digits_and_dates_become_iso() {
        assert_eq!(number(b"12.50").as_deref(), Some("12.50"));
        assert_eq!(number(b"-.5").as_deref(), Some("-0.5"));
        assert_eq!(number(b"+007").as_deref(), Some("7"));
        assert_eq!(number(b"0").as_deref(), Some("0"));
        assert_eq!(number(b"5.").as_deref(), Some("5"));
        assert_eq!(number(b"1,5"), None);
        assert_eq!(number(b"1e999"), None);
        assert_eq!(iso_date(b"20240229").as_deref(), Some("2024-02-29"));
        assert_eq!(iso_date(b"20230229"), None);
        assert_eq!(iso_date(b"2024021"), None);
    }
}
