//! Numbers and dates the way each reader writes them: `6.397,68 ha` and `60,04 %` in
//! Vietnamese, `6,397.68 ha` and `60.04 %` in English. (Files for machines use plain `.`.)

use super::Lang;
use crate::engine::properties::Date;

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
}
