//! How a file spells a property: the name it gives it and how it writes its values; and a new
//! value spelt the same way.
//!
//! A board's file is its record, so an edited value goes in as the file writes that property:
//! a JSON number stays a number, `"6.397,68"` strings get `"7.000,5"`, `31/12/2024` dates stay
//! day first. The spelling is learnt from values in order, the first that shows a thing
//! deciding it: the value being replaced first, then the same property of other features
//! (when the replaced value shows too little, as `"12"` shows no decimal mark). What no value
//! shows is written the way machines do (a JSON number, an ISO date).

use serde_json::Value;

use super::properties::{Date, DateForm, WrittenDate, parse_number_text};

/// How a property's numbers are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberSpelling {
    /// JSON numbers.
    Json,
    /// Text, with a decimal mark and (when the file groups thousands) a group separator.
    Text { decimal: char, group: Option<char> },
}

/// How a property is spelt, as far as the values seen show.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spelling {
    /// The property's name, when a feature has it.
    pub name: Option<String>,
    /// Whether numbers are text (`Some(true)`) or JSON numbers.
    text_numbers: Option<bool>,
    decimal: Option<char>,
    group: Option<char>,
    /// The form of dates and what follows them (a time: `T00:00:00Z`).
    date: Option<(DateForm, String)>,
}

/// The characters that group thousands besides `.` and `,` (what [`parse_number_text`] skips).
const SPACES: [char; 3] = [' ', '\u{a0}', '\u{202f}'];

impl Spelling {
    /// Learns from one more value of the property, named `name` in its feature.
    pub fn learn(&mut self, name: &str, v: &Value) {
        if self.name.is_none() {
            self.name = Some(name.to_string());
        }
        match v {
            Value::Number(_) => {
                self.text_numbers.get_or_insert(false);
            }
            Value::String(s) => {
                // Text in a number's place (even "n/a") shows that the file writes text there.
                self.text_numbers.get_or_insert(true);
                if matches!(parse_number_text(s), Ok(Some(_))) {
                    self.learn_marks(s.trim());
                }
                if self.date.is_none()
                    && let Some(w) = WrittenDate::read(s)
                    && let Some(form) = w.form
                    && Date::from_ymd(w.year, w.month, w.day).is_some()
                {
                    self.date = Some((form, w.rest.to_string()));
                }
            }
            _ => {}
        }
    }

    /// The decimal mark and group separator a number written as text shows, read the way
    /// [`parse_number_text`] reads them (a lone `,` or `.` is the decimal mark; one repeated, or
    /// the first of two different ones, groups thousands). A mark already known for the other
    /// role is not taken again.
    fn learn_marks(&mut self, s: &str) {
        let (dots, commas) = (s.matches('.').count(), s.matches(',').count());
        let (decimal, group) = match (dots, commas) {
            (0, 0) => (None, None),
            (0, 1) => (Some(','), None),
            (0, _) => (None, Some(',')),
            (1, 0) => (Some('.'), None),
            (_, 0) => (None, Some('.')),
            _ if s.rfind(',') > s.rfind('.') => (Some(','), Some('.')),
            _ => (Some('.'), Some(',')),
        };
        let group = group.or_else(|| s.chars().find(|c| SPACES.contains(c)));
        if self.decimal.is_none() && decimal.is_some() && decimal != self.group {
            self.decimal = decimal;
        }
        if self.group.is_none() && group.is_some() && group != self.decimal {
            self.group = group;
        }
    }

    /// Whether the values seen settle a number's spelling (more could only add a group
    /// separator to numbers written as text).
    pub fn numbers_settled(&self) -> bool {
        match self.text_numbers {
            Some(true) => self.decimal.is_some() && self.group.is_some(),
            Some(false) => true,
            None => false,
        }
    }

    /// Whether the values seen settle a date's spelling.
    pub fn dates_settled(&self) -> bool {
        self.date.is_some()
    }

    /// How numbers are written.
    pub fn numbers(&self) -> NumberSpelling {
        if self.text_numbers != Some(true) {
            return NumberSpelling::Json;
        }
        let decimal = self.decimal.unwrap_or(match self.group {
            Some('.') => ',',
            _ => '.',
        });
        NumberSpelling::Text {
            decimal,
            group: self.group,
        }
    }

    /// `x` written as the property's numbers are.
    pub fn number(&self, x: f64) -> Value {
        self.numbers().write(x)
    }

    /// `d` written as the property's dates are.
    pub fn date(&self, d: Date) -> Value {
        let (form, rest) = self
            .date
            .as_ref()
            .map_or((DateForm::ISO, ""), |(f, r)| (*f, r.as_str()));
        let (y, m, day) = d.ymd();
        let sep = form.separator;
        let written = if form.day_first {
            format!("{day:02}{sep}{m:02}{sep}{y:04}{rest}")
        } else {
            format!("{y:04}{sep}{m:02}{sep}{day:02}{rest}")
        };
        // Whatever the form, the text must read back as the day typed.
        if Date::parse(&written) == Some(d) {
            Value::String(written)
        } else {
            Value::String(d.iso())
        }
    }
}

impl NumberSpelling {
    /// `x` written this way. Text always reads back as `x`: a group separator that would
    /// make it read otherwise (`1.250` for 1250 reads as 1.25) is left out.
    pub fn write(self, x: f64) -> Value {
        let whole = x.fract() == 0.0 && x.abs() < 1e15;
        let NumberSpelling::Text { decimal, group } = self else {
            return if whole {
                Value::from(x as i64)
            } else {
                Value::from(x)
            };
        };
        let plain = if whole {
            format!("{}", x as i64)
        } else {
            format!("{x}")
        };
        let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
        let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
        let spell = |group: Option<char>| {
            let mut out = sign.to_string();
            for (k, c) in digits.chars().enumerate() {
                if let Some(g) = group
                    && k > 0
                    && (digits.len() - k) % 3 == 0
                {
                    out.push(g);
                }
                out.push(c);
            }
            if !frac.is_empty() {
                out.push(decimal);
                out.push_str(frac);
            }
            out
        };
        let reads_back = |s: &str| parse_number_text(s) == Ok(Some(x));
        let grouped = spell(group);
        if reads_back(&grouped) {
            return Value::String(grouped);
        }
        let ungrouped = spell(None);
        if reads_back(&ungrouped) {
            Value::String(ungrouped)
        } else {
            Value::String(plain)
        }
    }
}

/// The spelling the values show, in order (the property's name in each feature, its value).
pub fn learnt<'a>(values: impl IntoIterator<Item = (&'a str, &'a Value)>) -> Spelling {
    let mut s = Spelling::default();
    for (name, v) in values {
        s.learn(name, v);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn of(values: &[Value]) -> Spelling {
        learnt(values.iter().map(|v| ("x", v)))
    }

    fn d(s: &str) -> Date {
        Date::parse(s).expect("a date")
    }

    #[test]
    fn numbers_are_written_as_the_file_writes_them() {
        // JSON numbers stay numbers, whole ones without a point.
        assert_eq!(of(&[json!(12.5)]).number(400.45), json!(400.45));
        assert_eq!(of(&[json!(12.5)]).number(400.0), json!(400));
        // Text with a decimal comma and grouping points.
        let vn = of(&[json!("6.397,68")]);
        assert_eq!(
            vn.numbers(),
            NumberSpelling::Text {
                decimal: ',',
                group: Some('.')
            }
        );
        assert_eq!(vn.number(7000.5), json!("7.000,5"));
        assert_eq!(vn.number(400.45), json!("400,45"));
        assert_eq!(vn.number(1_234_567.0), json!("1.234.567"));
        // 1.250 would read back as 1.25: the point is left out.
        assert_eq!(vn.number(1250.0), json!("1250"));
        // The English way, and a decimal comma with no grouping seen.
        assert_eq!(of(&[json!("6,397.68")]).number(7000.5), json!("7,000.5"));
        assert_eq!(of(&[json!("100,5")]).number(120.25), json!("120,25"));
        assert_eq!(of(&[json!("100,5")]).number(1200.25), json!("1200,25"));
        assert_eq!(of(&[json!("1 250")]).number(12500.5), json!("12 500.5"));
        // "12" shows text but no mark: the next value shows the comma.
        assert_eq!(
            of(&[json!("12"), json!(null), json!("3,5")]).number(0.75),
            json!("0,75")
        );
        assert_eq!(of(&[json!("12")]).number(0.75), json!("0.75"));
        // The first value decides: a number replaced stays a number.
        assert_eq!(of(&[json!(3), json!("3,5")]).number(0.75), json!(0.75));
        // Nothing seen: a JSON number.
        assert_eq!(of(&[]).number(2.5), json!(2.5));
        assert_eq!(of(&[json!(null)]).number(2.5), json!(2.5));
        // Each written text reads back as the number.
        for s in [vn, of(&[json!("6,397.68")]), of(&[json!("1 250,5")])] {
            for x in [0.5, 999.0, 1000.0, 1234.5, 98_765_432.125] {
                let v = s.number(x);
                assert_eq!(
                    parse_number_text(v.as_str().expect("text")),
                    Ok(Some(x)),
                    "{v}"
                );
            }
        }
    }

    #[test]
    fn dates_are_written_as_the_file_writes_them() {
        let end = d("2024-12-31");
        assert_eq!(of(&[json!("01/06/2020")]).date(end), json!("31/12/2024"));
        assert_eq!(of(&[json!("2020-06-01")]).date(end), json!("2024-12-31"));
        assert_eq!(of(&[json!("2020/06/01")]).date(end), json!("2024/12/31"));
        assert_eq!(of(&[json!("1.6.2020")]).date(end), json!("31.12.2024"));
        assert_eq!(
            of(&[json!("2020-06-01T00:00:00Z")]).date(end),
            json!("2024-12-31T00:00:00Z")
        );
        // A bare year or no date at all shows no form: ISO.
        assert_eq!(of(&[json!("2020")]).date(end), json!("2024-12-31"));
        assert_eq!(
            of(&[json!("soon"), json!(null)]).date(end),
            json!("2024-12-31")
        );
        // The first date that shows a form decides.
        assert_eq!(
            of(&[json!("2020"), json!("15/03/2021"), json!("2021-03-15")]).date(end),
            json!("31/12/2024")
        );
    }

    #[test]
    fn the_name_is_the_first_features_that_has_the_property() {
        let v = json!("1,5");
        let s = learnt([("Ngày hết hạn", &Value::Null), ("ngay_het_han", &v)]);
        assert_eq!(s.name.as_deref(), Some("Ngày hết hạn"));
        assert_eq!(s.number(2.5), json!("2,5"), "a null shows no spelling");
    }
}
