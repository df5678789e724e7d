//! Numbers and dates the way each reader writes them: `6.397,68 ha` and `60,04 %` in
//! Vietnamese, `6,397.68 ha` and `60.04 %` in English (files for machines use plain `.`);
//! and an attribute's value as its field shows it while editing ([`fmt_field_value`]), with
//! the echo of what is being typed ([`fmt_typed`]).

use serde_json::Value;

use super::{Lang, unit_label};
use crate::engine::attributes::{FieldKind, Typed};
use crate::engine::properties::{Date, read_number, value_text};

impl Lang {
    /// Thousands separator and decimal point.
    fn separators(self) -> (char, char) {
        match self {
            Self::En => (',', '.'),
            Self::Vi => ('.', ','),
        }
    }
}

/// A number with `decimals` places and thousands grouped.
///
/// ```
/// use zoneatlas::i18n::{Lang, fmt_number};
/// assert_eq!(fmt_number(6397.68, 2, Lang::Vi), "6.397,68");
/// assert_eq!(fmt_number(6397.68, 2, Lang::En), "6,397.68");
/// assert_eq!(fmt_number(-1234567.0, 0, Lang::En), "-1,234,567");
/// ```
pub fn fmt_number(x: f64, decimals: usize, lang: Lang) -> String {
    let (group, point) = lang.separators();
    let plain = format!("{:.*}", decimals, x.abs());
    let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
    let mut out = String::with_capacity(plain.len() + plain.len() / 3 + 1);
    // A value that rounds to zero is shown without a sign.
    if x < 0.0 && plain.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('-');
    }
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(ch);
    }
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    out
}

/// Hectares with two decimals: `6.397,68 ha`.
pub fn fmt_ha(x: f64, lang: Lang) -> String {
    format!("{} ha", fmt_number(x, 2, lang))
}

/// A percentage with two decimals: `60,04 %`.
pub fn fmt_pct(x: f64, lang: Lang) -> String {
    format!("{} %", fmt_number(x, 2, lang))
}

/// A number as briefly as it reads back (no grouping), with the reader's decimal point:
/// values quoted from a file, such as a negative area.
pub fn fmt_plain(x: f64, lang: Lang) -> String {
    let s = x.to_string();
    match lang {
        Lang::En => s,
        Lang::Vi => s.replace('.', ","),
    }
}

/// A date: `30/06/2023` in Vietnamese, `2023-06-30` in English.
pub fn fmt_date(d: Date, lang: Lang) -> String {
    let (y, m, day) = d.ymd();
    match lang {
        Lang::Vi => format!("{day:02}/{m:02}/{y:04}"),
        Lang::En => d.iso(),
    }
}

/// An attribute's value as its field shows it for editing: a number without thousands
/// separators and with the reader's decimal mark (`6397,68` in Vietnamese, `6397.68` in
/// English, whether the file holds `6397.68` or `"6.397,68"`), a date the reader's way; text,
/// and a value that is not what its field holds, as the file has it.
///
/// No thousands separators, because the reader edits this text: in Vietnamese a grouping
/// point is also a machine's decimal point, and `1.234,5` with its `,5` deleted would read as
/// 1.234. Without them, the shown text and any edit of it mean what they look like.
pub fn fmt_field_value(kind: FieldKind, v: &Value, lang: Lang) -> String {
    match kind {
        FieldKind::Number(_) => match read_number(v) {
            Ok(Some(x)) => fmt_plain(x, lang),
            _ => value_text(v),
        },
        FieldKind::Date => match v.as_str().and_then(Date::parse) {
            Some(d) => fmt_date(d, lang),
            None => value_text(v),
        },
        _ => value_text(v),
    }
}

/// What a number or date being typed is read as, the way its field will show it once stored
/// (with the unit): the inspector's echo. `None` for other values.
pub fn fmt_typed(kind: FieldKind, typed: &Typed, lang: Lang) -> Option<String> {
    match (kind, typed) {
        (FieldKind::Number(Some(unit)), Typed::Number(x)) => Some(format!(
            "{} {}",
            fmt_plain(*x, lang),
            unit_label(lang, unit)
        )),
        (FieldKind::Number(None), Typed::Number(x)) => Some(fmt_plain(*x, lang)),
        (FieldKind::Date, Typed::Date(d)) => Some(fmt_date(*d, lang)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_figures_in_both_languages() {
        assert_eq!(fmt_ha(6397.68, Lang::Vi), "6.397,68 ha");
        assert_eq!(fmt_ha(6397.68, Lang::En), "6,397.68 ha");
        assert_eq!(fmt_pct(60.04, Lang::Vi), "60,04 %");
        assert_eq!(fmt_pct(60.04, Lang::En), "60.04 %");
        assert_eq!(fmt_number(999.999, 2, Lang::En), "1,000.00");
        assert_eq!(fmt_number(-0.001, 2, Lang::En), "0.00");
        assert_eq!(fmt_number(12.0, 0, Lang::Vi), "12");
        let d = Date::from_ymd(2023, 6, 30).expect("date");
        assert_eq!(fmt_date(d, Lang::Vi), "30/06/2023");
        assert_eq!(fmt_date(d, Lang::En), "2023-06-30");
        assert_eq!(fmt_plain(-2.5, Lang::Vi), "-2,5");
        assert_eq!(fmt_plain(-2.5, Lang::En), "-2.5");
        assert_eq!(fmt_plain(-4.0, Lang::Vi), "-4");
    }

    #[test]
    fn fields_show_numbers_and_dates_the_readers_way_for_editing() {
        use crate::engine::attributes::Unit;
        use serde_json::json;
        let ha = FieldKind::Number(Some(Unit::Hectares));
        for (v, vi, en) in [
            (json!(400.45), "400,45", "400.45"),
            (json!("6.397,68"), "6397,68", "6397.68"),
            (json!("6,397.68"), "6397,68", "6397.68"),
            (json!(15000), "15000", "15000"),
            (json!(" 1 250 "), "1250", "1250"),
            // Not a number: as the file has it, for the reader to correct.
            (json!("n/a"), "n/a", "n/a"),
            (json!(null), "", ""),
        ] {
            assert_eq!(fmt_field_value(ha, &v, Lang::Vi), vi, "{v}");
            assert_eq!(fmt_field_value(ha, &v, Lang::En), en, "{v}");
        }
        for (v, vi, en) in [
            (json!("2024-12-31"), "31/12/2024", "2024-12-31"),
            (json!("31/12/2024"), "31/12/2024", "2024-12-31"),
            (json!("2024-12-31T00:00:00Z"), "31/12/2024", "2024-12-31"),
            (json!("31/02/2024"), "31/02/2024", "31/02/2024"),
        ] {
            assert_eq!(fmt_field_value(FieldKind::Date, &v, Lang::Vi), vi, "{v}");
            assert_eq!(fmt_field_value(FieldKind::Date, &v, Lang::En), en, "{v}");
        }
        // Text is never reformatted, even when it looks like a number.
        assert_eq!(
            fmt_field_value(FieldKind::Text, &json!("1129/QĐ-TTg"), Lang::Vi),
            "1129/QĐ-TTg"
        );
        assert_eq!(
            fmt_field_value(FieldKind::Text, &json!("12.5"), Lang::Vi),
            "12.5"
        );
        // The echo reads as the field will show the value.
        assert_eq!(
            fmt_typed(ha, &Typed::Number(1234.5), Lang::Vi).as_deref(),
            Some("1234,5 ha")
        );
        assert_eq!(
            fmt_typed(ha, &Typed::Number(1.234), Lang::En).as_deref(),
            Some("1.234 ha")
        );
        let d = Date::from_ymd(2024, 12, 31).expect("date");
        assert_eq!(
            fmt_typed(FieldKind::Date, &Typed::Date(d), Lang::Vi).as_deref(),
            Some("31/12/2024")
        );
        assert_eq!(
            fmt_typed(FieldKind::Text, &Typed::Text("x".into()), Lang::Vi),
            None
        );
    }
}
