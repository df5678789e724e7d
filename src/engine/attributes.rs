//! The attributes' schema: which planning and lease attribute holds what (a number in a unit, a
//! date, a value from a list, a yes/no, text), and the rules a value must keep. Reading a file
//! ([`super::model`]) and editing a value (the app's inspector, and scripted edits) use the
//! same rules and report the same typed [`ValueProblem`]s, which the catalogue
//! ([`crate::i18n`]) puts into words.
//!
//! What a person types is read in their language ([`read_typed`]: `400,45` and `31/12/2024` in
//! Vietnamese, the dot and ISO forms in either), and stored the way the file writes that
//! property ([`stored_value`], with the [`Spelling`] that [`spelling_of`] learns from the file):
//! a JSON number stays a number, `"6.397,68"` strings stay so, a `dd/mm/yyyy` date stays so,
//! and a status is written in the file's own vocabulary (its codes, or the Vietnamese wording
//! that [`super::properties`] reads).

use serde_json::Value;

use super::geojson::Document;
use super::lang::Lang;
use super::model::LayerKind;
use super::properties::{
    Date, LandUse, PARCEL_KEYS, ParcelStatus, WrittenDate, ZONE_KEYS, ZoneStatus, canonical_key,
    days_in_month, read_bool, read_number,
};
use super::spelling::Spelling;

/// The unit a number is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Hectares,
    CubicMetresPerDay,
    MillionUsd,
}

/// A closed list of values, each with a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Choices {
    ZoneStatus,
    /// DOMAIN.md's zone types.
    ZoneType,
    ParcelStatus,
    LandUse,
    /// FDI (foreign) or DDI (domestic).
    InvestmentType,
}

/// What an attribute holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    /// Text of a few lines (notes).
    LongText,
    /// A number not below zero, in a unit when it has one.
    Number(Option<Unit>),
    Date,
    Choice(Choices),
    Bool,
}

/// One attribute: its canonical key and what it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    pub canonical: &'static str,
    pub kind: FieldKind,
}

const fn field(canonical: &'static str, kind: FieldKind) -> Field {
    Field { canonical, kind }
}

/// A zone's attributes (DOMAIN.md), in the order the inspector shows them.
pub const ZONE_FIELDS: &[Field] = &[
    field("zone_id", FieldKind::Text),
    field("name", FieldKind::Text),
    field("province", FieldKind::Text),
    field("status", FieldKind::Choice(Choices::ZoneStatus)),
    field("zone_type", FieldKind::Choice(Choices::ZoneType)),
    field("planned_area_ha", FieldKind::Number(Some(Unit::Hectares))),
    field(
        "industrial_land_ha",
        FieldKind::Number(Some(Unit::Hectares)),
    ),
    field("service_land_ha", FieldKind::Number(Some(Unit::Hectares))),
    field("developer", FieldKind::Text),
    field("decision_no", FieldKind::Text),
    field("decision_date", FieldKind::Date),
    field("phase", FieldKind::Text),
    field("wastewater_plant", FieldKind::Bool),
    field(
        "wastewater_capacity_m3_day",
        FieldKind::Number(Some(Unit::CubicMetresPerDay)),
    ),
    field("notes", FieldKind::LongText),
];

/// A parcel's lease attributes (DOMAIN.md), in the order the inspector shows them.
pub const PARCEL_FIELDS: &[Field] = &[
    field("status", FieldKind::Choice(Choices::ParcelStatus)),
    field("land_use", FieldKind::Choice(Choices::LandUse)),
    field("tenant", FieldKind::Text),
    field("investor_country", FieldKind::Text),
    field(
        "investment_type",
        FieldKind::Choice(Choices::InvestmentType),
    ),
    field("capital_musd", FieldKind::Number(Some(Unit::MillionUsd))),
    field("lease_start", FieldKind::Date),
    field("lease_end", FieldKind::Date),
    field("industry", FieldKind::Text),
    field("employees", FieldKind::Number(None)),
];

/// The fields of a layer.
pub fn fields(layer: LayerKind) -> &'static [Field] {
    match layer {
        LayerKind::Zones => ZONE_FIELDS,
        LayerKind::Parcels => PARCEL_FIELDS,
    }
}

/// What a canonical key of a layer holds (text for keys the schema does not list).
pub fn kind_of(layer: LayerKind, canonical: &str) -> FieldKind {
    fields(layer)
        .iter()
        .find(|f| f.canonical == canonical)
        .map_or(FieldKind::Text, |f| f.kind)
}

impl Choices {
    /// The codes of the list, in the order a choice shows them.
    pub fn codes(self) -> &'static [&'static str] {
        match self {
            Self::ZoneStatus => &["operating", "under_construction", "planned"],
            Self::ZoneType => &[
                "general",
                "export_processing",
                "supporting_industry",
                "specialised",
                "eco",
                "high_tech",
            ],
            Self::ParcelStatus => &["leased", "vacant", "reserved"],
            Self::LandUse => &["industrial", "service"],
            Self::InvestmentType => &["FDI", "DDI"],
        }
    }

    /// The code a file's value stands for (statuses and land use also in Vietnamese wording).
    pub fn parse(self, text: &str) -> Option<&'static str> {
        let text = text.trim();
        match self {
            Self::ZoneStatus => ZoneStatus::parse(text).map(ZoneStatus::code),
            Self::ParcelStatus => ParcelStatus::parse(text).map(ParcelStatus::code),
            Self::LandUse => LandUse::parse(text).map(LandUse::code),
            Self::ZoneType => self.codes().iter().copied().find(|c| *c == text),
            Self::InvestmentType => self
                .codes()
                .iter()
                .copied()
                .find(|c| c.eq_ignore_ascii_case(text)),
        }
    }

    /// How a file whose values are in Vietnamese writes a code: the wording the file
    /// vocabulary of [`super::properties`] reads back. Lists without such wording use codes.
    fn vietnamese_wording(self, code: &str) -> Option<&'static str> {
        Some(match (self, code) {
            (Self::ZoneStatus, "operating") => "Đang hoạt động",
            (Self::ZoneStatus, "under_construction") => "Đang xây dựng",
            (Self::ZoneStatus, "planned") => "Đã quy hoạch",
            (Self::ParcelStatus, "leased") => "Đã cho thuê",
            (Self::ParcelStatus, "vacant") => "Chưa cho thuê",
            (Self::ParcelStatus, "reserved") => "Giữ chỗ",
            (Self::LandUse, "industrial") => "Đất công nghiệp",
            (Self::LandUse, "service") => "Đất dịch vụ",
            _ => return None,
        })
    }

    /// The value to store for `code`, spelled as the value it replaces: Vietnamese wording
    /// where the old value was not plain ASCII, the code otherwise.
    pub fn value(self, code: &'static str, old: Option<&Value>) -> Value {
        let written = if is_vietnamese(old) {
            self.vietnamese_wording(code).unwrap_or(code)
        } else {
            code
        };
        Value::from(written)
    }
}

/// Whether a value is text that is not plain ASCII (so the file writes in Vietnamese).
fn is_vietnamese(v: Option<&Value>) -> bool {
    v.and_then(Value::as_str).is_some_and(|s| !s.is_ascii())
}

/// Why a value cannot be taken as what its attribute means.
#[derive(Clone, Debug, PartialEq)]
pub enum ValueProblem {
    /// Not a number (`value`: as found; text typed in is a string).
    NotANumber {
        value: Value,
    },
    Negative(f64),
    /// Text that is no date in any accepted form.
    NotADate(String),
    /// A date in an accepted form of a day that does not exist (`31/02/2024`): the month of
    /// that year has `days` days.
    NoSuchDay {
        text: String,
        year: i32,
        month: u32,
        days: u32,
    },
    /// One to three digits, a separator and three digits, typed where the reader's thousands
    /// separator is a machine's decimal mark (`1.234` in Vietnamese, `1,234` in English): it is
    /// `thousands` with a thousands separator, `decimal` with a decimal mark.
    AmbiguousNumber {
        text: String,
        thousands: f64,
        decimal: f64,
    },
    /// A yes/no attribute given something that is neither.
    NotYesOrNo(Value),
    /// Text that names none of the list's values.
    UnknownChoice {
        text: String,
        choices: Choices,
    },
    /// A lease end set before its start.
    EndBeforeStart {
        end: Date,
        start: Date,
    },
    /// A lease start set after its end.
    StartAfterEnd {
        start: Date,
        end: Date,
    },
}

/// A number attribute's value: `None` when absent or empty; an error when present but not a
/// number, or negative.
pub fn number(v: &Value) -> Result<Option<f64>, ValueProblem> {
    let x = read_number(v).map_err(|_| ValueProblem::NotANumber { value: v.clone() })?;
    match x {
        Some(x) if x < 0.0 => Err(ValueProblem::Negative(x)),
        x => Ok(x),
    }
}

/// A date attribute's text read as a date.
pub fn date(text: &str) -> Result<Date, ValueProblem> {
    if let Some(d) = Date::parse(text) {
        return Ok(d);
    }
    Err(match WrittenDate::read(text) {
        Some(w) if (1..=12).contains(&w.month) && w.day > 0 => ValueProblem::NoSuchDay {
            text: text.to_string(),
            year: w.year,
            month: w.month,
            days: days_in_month(w.year, w.month),
        },
        _ => ValueProblem::NotADate(text.to_string()),
    })
}

/// A value from a list, read from its text.
pub fn choice(choices: Choices, text: &str) -> Result<&'static str, ValueProblem> {
    choices
        .parse(text)
        .ok_or_else(|| ValueProblem::UnknownChoice {
            text: text.to_string(),
            choices,
        })
}

/// A lease's dates must not be the wrong way round.
pub fn lease_order(start: Option<Date>, end: Option<Date>) -> Result<(), ValueProblem> {
    match (start, end) {
        (Some(start), Some(end)) if end < start => Err(ValueProblem::EndBeforeStart { end, start }),
        _ => Ok(()),
    }
}

/// A value a person typed, read by its attribute's rules.
#[derive(Clone, Debug, PartialEq)]
pub enum Typed {
    /// Nothing: the field emptied.
    Empty,
    Number(f64),
    Date(Date),
    Choice(Choices, &'static str),
    Bool(bool),
    Text(String),
}

/// Reads what a person typed for an attribute holding `kind`, in their language.
///
/// Numbers are read as [`super::properties::parse_number_text`] reads a file's, in either
/// language: `400,45`, `1234,5`, `1.234,5` and `400.45` are what they look like to a
/// Vietnamese reader, `1,234.5` and `400.45` to an English one. One case is refused in each
/// language: one to three digits (not starting with 0), the reader's thousands separator and
/// three digits — `1.234` in Vietnamese, `1,234` in English — is a thousand two hundred and
/// thirty-four to the reader and 1.234 to a machine (or to a reader of the other language),
/// and a wrong guess puts a figure out a thousandfold; the refusal names both readings.
///
/// Dates are `31/12/2024`, `2024-12-31` or the other forms files use ([`Date::parse`]); a day
/// that does not exist is refused as such.
pub fn read_typed(kind: FieldKind, text: &str, lang: Lang) -> Result<Typed, ValueProblem> {
    let typed = text;
    let text = text.trim();
    if text.is_empty() {
        return Ok(Typed::Empty);
    }
    match kind {
        FieldKind::Number(_) => {
            let grouping = match lang {
                Lang::Vi => '.',
                Lang::En => ',',
            };
            if let Some((thousands, decimal)) = thousands_or_decimal(text, grouping) {
                return Err(ValueProblem::AmbiguousNumber {
                    text: text.to_string(),
                    thousands,
                    decimal,
                });
            }
            match number(&Value::String(text.to_string()))? {
                Some(x) => Ok(Typed::Number(x)),
                // Only separators ("_"): no number.
                None => Err(ValueProblem::NotANumber {
                    value: Value::String(text.to_string()),
                }),
            }
        }
        FieldKind::Date => date(text).map(Typed::Date),
        FieldKind::Choice(choices) => {
            choice(choices, text).map(|code| Typed::Choice(choices, code))
        }
        FieldKind::Bool => Ok(Typed::Bool(
            read_bool(&Value::String(text.to_string())).unwrap_or(false),
        )),
        // Text is stored as typed.
        FieldKind::Text | FieldKind::LongText => Ok(Typed::Text(typed.to_string())),
    }
}

/// `1.234` read both ways, (1234, 1.234), when it could be either.
fn thousands_or_decimal(text: &str, grouping: char) -> Option<(f64, f64)> {
    let (int, frac) = text.split_once(grouping)?;
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let leads_a_group = (1..=3).contains(&int.len()) && digits(int) && !int.starts_with('0');
    if !(leads_a_group && frac.len() == 3 && digits(frac)) {
        return None;
    }
    Some((
        format!("{int}{frac}").parse().ok()?,
        format!("{int}.{frac}").parse().ok()?,
    ))
}

/// The value to store for what was typed, replacing `old` (the feature's value, if it has
/// one) in a property the file spells `spelling`: `None` when there is nothing to store (an
/// absent value left empty), `Some(Null)` to clear one.
pub fn stored_value(typed: &Typed, old: Option<&Value>, spelling: &Spelling) -> Option<Value> {
    Some(match typed {
        Typed::Empty => return old.map(|_| Value::Null),
        Typed::Number(x) => spelling.number(*x),
        Typed::Date(d) => spelling.date(*d),
        Typed::Choice(choices, code) => choices.value(code, old),
        Typed::Bool(on) => bool_value(*on, old),
        Typed::Text(t) => Value::String(t.clone()),
    })
}

/// How far on each side of the edited feature [`spelling_of`] looks for the property.
const NEARBY: usize = 200;

/// How the file of `doc` (a layer's) spells attribute `canonical`, holding `kind`: learnt from
/// feature `i`, then from the features nearest it (`i+1`, `i-1`, … at most 200 on each
/// side) until what `kind` needs is settled. Each feature looked at costs a read of its
/// properties, so an edit costs the same on a file of any size.
pub fn spelling_of(
    doc: &Document,
    layer: LayerKind,
    kind: FieldKind,
    canonical: &str,
    i: usize,
) -> Spelling {
    let specs = match layer {
        LayerKind::Zones => ZONE_KEYS,
        LayerKind::Parcels => PARCEL_KEYS,
    };
    let settled = |s: &Spelling| {
        s.name.is_some()
            && match kind {
                FieldKind::Number(_) => s.numbers_settled(),
                FieldKind::Date => s.dates_settled(),
                _ => true,
            }
    };
    // The names a file uses are few; each is folded once.
    let mut names: Vec<(String, bool)> = Vec::new();
    let mut spelling = Spelling::default();
    let nearby = (1..=NEARBY).flat_map(|k| [i.checked_add(k), i.checked_sub(k)]);
    for j in std::iter::once(Some(i)).chain(nearby) {
        let Some(j) = j.filter(|j| *j < doc.len()) else {
            continue;
        };
        for (name, v) in doc.properties(j) {
            let is_it = match names.iter().find(|(n, _)| *n == name) {
                Some((_, is_it)) => *is_it,
                None => {
                    let is_it = canonical_key(specs, &name) == Some(canonical);
                    names.push((name.clone(), is_it));
                    is_it
                }
            };
            if is_it {
                spelling.learn(&name, &v);
            }
        }
        if settled(&spelling) {
            break;
        }
    }
    spelling
}

/// A value given for property `key` of a feature of `layer` (by a script, as JSON), checked by
/// the rules the inspector keeps: numbers not below zero, dates that exist, values from a
/// list that name one of its values, a lease the right way round (`start`/`end`: the lot's
/// lease dates now). Keys the schema does not list, text and `null` (an emptied value) take
/// anything.
pub fn check_value(
    layer: LayerKind,
    key: &str,
    value: &Value,
    (start, end): (Option<Date>, Option<Date>),
) -> Result<(), ValueProblem> {
    let specs = match layer {
        LayerKind::Zones => ZONE_KEYS,
        LayerKind::Parcels => PARCEL_KEYS,
    };
    let Some(canonical) = canonical_key(specs, key) else {
        return Ok(());
    };
    if value.is_null() {
        return Ok(());
    }
    let text = || match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match kind_of(layer, canonical) {
        FieldKind::Text | FieldKind::LongText => Ok(()),
        FieldKind::Number(_) => number(value).map(|_| ()),
        FieldKind::Date => lease_date(canonical, date(&text())?, start, end),
        FieldKind::Choice(choices) => choice(choices, &text()).map(|_| ()),
        FieldKind::Bool => match read_bool(value) {
            Some(_) => Ok(()),
            None => Err(ValueProblem::NotYesOrNo(value.clone())),
        },
    }
}

/// A lease date typed for a parcel whose other lease date is `start` or `end`: refused when it
/// would put the lease the wrong way round.
pub fn lease_date(
    canonical: &str,
    d: Date,
    start: Option<Date>,
    end: Option<Date>,
) -> Result<(), ValueProblem> {
    match canonical {
        "lease_end" => lease_order(start, Some(d)),
        "lease_start" => match end.filter(|e| d > *e) {
            Some(end) => Err(ValueProblem::StartAfterEnd { start: d, end }),
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

/// A yes/no written the way the file wrote the old one: Vietnamese or English words, 1/0, or
/// a JSON boolean.
pub fn bool_value(on: bool, like: Option<&Value>) -> Value {
    match like {
        Some(Value::String(_)) if is_vietnamese(like) => {
            Value::from(if on { "có" } else { "không" })
        }
        Some(Value::String(_)) => Value::from(if on { "yes" } else { "no" }),
        Some(Value::Number(_)) => Value::from(i64::from(on)),
        _ => Value::Bool(on),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::spelling::learnt;
    use serde_json::json;

    fn d(s: &str) -> Date {
        Date::parse(s).expect("a date")
    }

    #[test]
    fn every_listed_field_is_a_recognised_key() {
        for f in ZONE_FIELDS {
            assert!(
                ZONE_KEYS.iter().any(|k| k.canonical == f.canonical),
                "{}",
                f.canonical
            );
        }
        assert_eq!(ZONE_FIELDS.len(), ZONE_KEYS.len());
        for f in PARCEL_FIELDS {
            assert!(
                PARCEL_KEYS.iter().any(|k| k.canonical == f.canonical),
                "{}",
                f.canonical
            );
        }
        assert_eq!(
            kind_of(LayerKind::Zones, "industrial_land_ha"),
            FieldKind::Number(Some(Unit::Hectares))
        );
        assert_eq!(kind_of(LayerKind::Parcels, "lease_end"), FieldKind::Date);
        assert_eq!(kind_of(LayerKind::Parcels, "colour"), FieldKind::Text);
    }

    #[test]
    fn numbers_must_be_numbers_and_not_negative() {
        assert_eq!(number(&json!("6.397,68")), Ok(Some(6397.68)));
        assert_eq!(number(&json!(null)), Ok(None));
        assert_eq!(number(&json!("")), Ok(None));
        assert_eq!(number(&json!(-5)), Err(ValueProblem::Negative(-5.0)));
        assert_eq!(
            number(&json!("n/a")),
            Err(ValueProblem::NotANumber {
                value: json!("n/a")
            })
        );
        assert_eq!(
            number(&json!(true)),
            Err(ValueProblem::NotANumber { value: json!(true) })
        );
    }

    const HA: FieldKind = FieldKind::Number(Some(Unit::Hectares));

    fn typed(kind: FieldKind, text: &str, lang: Lang) -> Result<Typed, ValueProblem> {
        read_typed(kind, text, lang)
    }

    /// What typing `text` in `lang` stores over `old`, in a file whose only value is `old`.
    fn stored(
        kind: FieldKind,
        text: &str,
        lang: Lang,
        old: Option<Value>,
    ) -> Result<Option<Value>, ValueProblem> {
        let spelling = learnt(old.iter().map(|v| ("x", v)));
        Ok(stored_value(
            &read_typed(kind, text, lang)?,
            old.as_ref(),
            &spelling,
        ))
    }

    #[test]
    fn typed_numbers_read_the_way_each_reader_writes_them() {
        for lang in Lang::ALL {
            // A decimal comma, a decimal point, and both marks: the last one is the decimal.
            for (text, x) in [
                ("400,45", 400.45),
                ("400.45", 400.45),
                ("1.234,5", 1234.5),
                ("1234,5", 1234.5),
                ("1,234.5", 1234.5),
                (" 1 234,5 ", 1234.5),
                ("1.234.567", 1_234_567.0),
                ("0.125", 0.125),
                ("1234.567", 1234.567),
                ("12.5000", 12.5),
                ("310", 310.0),
            ] {
                assert_eq!(
                    typed(HA, text, lang),
                    Ok(Typed::Number(x)),
                    "{text} {lang:?}"
                );
            }
            assert_eq!(
                typed(HA, "lots", lang),
                Err(ValueProblem::NotANumber {
                    value: json!("lots")
                })
            );
            assert_eq!(
                typed(HA, "4OO", lang),
                Err(ValueProblem::NotANumber {
                    value: json!("4OO")
                })
            );
            assert_eq!(
                typed(HA, "1,2,3.4.5", lang),
                Err(ValueProblem::NotANumber {
                    value: json!("1,2,3.4.5")
                })
            );
            assert_eq!(typed(HA, "-3,5", lang), Err(ValueProblem::Negative(-3.5)));
            assert_eq!(typed(HA, "  ", lang), Ok(Typed::Empty));
        }
        // The reader's thousands separator before three digits is a decimal mark to a
        // machine (and to a reader of the other language): refused, with both readings, in
        // the language whose readers group that way; read as a decimal in the other.
        for (lang, other, text, thousands, decimal) in [
            (Lang::Vi, Lang::En, "1.234", 1234.0, 1.234),
            (Lang::Vi, Lang::En, "12.500", 12500.0, 12.5),
            (Lang::En, Lang::Vi, "1,234", 1234.0, 1.234),
            (Lang::En, Lang::Vi, "400,450", 400450.0, 400.45),
        ] {
            assert_eq!(
                typed(HA, text, lang),
                Err(ValueProblem::AmbiguousNumber {
                    text: text.into(),
                    thousands,
                    decimal
                })
            );
            assert_eq!(typed(HA, text, other), Ok(Typed::Number(decimal)));
        }
        // Not ambiguous: a leading zero, other digit counts, or both separators.
        for (text, x) in [
            ("0,125", 0.125),
            ("1,25", 1.25),
            ("1,2345", 1.2345),
            ("1,234.5", 1234.5),
            ("1234,567", 1234.567),
        ] {
            assert_eq!(typed(HA, text, Lang::En), Ok(Typed::Number(x)), "{text}");
        }
    }

    #[test]
    fn typed_dates_in_either_form_and_no_day_that_does_not_exist() {
        let end = d("2024-12-31");
        for lang in Lang::ALL {
            for text in ["31/12/2024", "2024-12-31", " 31-12-2024 ", "31.12.2024"] {
                assert_eq!(typed(FieldKind::Date, text, lang), Ok(Typed::Date(end)));
            }
            assert_eq!(
                typed(FieldKind::Date, "31/02/2023", lang),
                Err(ValueProblem::NoSuchDay {
                    text: "31/02/2023".into(),
                    year: 2023,
                    month: 2,
                    days: 28
                })
            );
            assert_eq!(
                typed(FieldKind::Date, "2024-02-30", lang),
                Err(ValueProblem::NoSuchDay {
                    text: "2024-02-30".into(),
                    year: 2024,
                    month: 2,
                    days: 29
                })
            );
            assert_eq!(
                typed(FieldKind::Date, "31/04/2024", lang),
                Err(ValueProblem::NoSuchDay {
                    text: "31/04/2024".into(),
                    year: 2024,
                    month: 4,
                    days: 30
                })
            );
            for garbage in ["12/31/2024", "00/12/2024", "31/12/24", "soon", "31//2024"] {
                assert_eq!(
                    typed(FieldKind::Date, garbage, lang),
                    Err(ValueProblem::NotADate(garbage.into())),
                    "{garbage}"
                );
            }
        }
    }

    #[test]
    fn an_edit_is_refused_or_written_like_the_value_it_replaces() {
        let vi = Lang::Vi;
        assert_eq!(
            stored(HA, "lots", vi, Some(json!(12))),
            Err(ValueProblem::NotANumber {
                value: json!("lots")
            })
        );
        // A JSON number stays one; a string stays a string in its convention.
        assert_eq!(
            stored(HA, "400,45", vi, Some(json!(12.5))),
            Ok(Some(json!(400.45)))
        );
        assert_eq!(
            stored(HA, "400", vi, Some(json!(12.5))),
            Ok(Some(json!(400)))
        );
        assert_eq!(
            stored(HA, "400,45", Lang::En, Some(json!("12"))),
            Ok(Some(json!("400.45")))
        );
        assert_eq!(
            stored(HA, "7000.5", Lang::En, Some(json!("6.397,68"))),
            Ok(Some(json!("7.000,5")))
        );
        assert_eq!(
            stored(HA, "120,25", Lang::En, Some(json!("100,5"))),
            Ok(Some(json!("120,25")))
        );
        assert_eq!(stored(HA, " ", vi, Some(json!(12))), Ok(Some(Value::Null)));
        assert_eq!(stored(HA, "", vi, None), Ok(None));
        assert_eq!(stored(HA, "2,5", vi, None), Ok(Some(json!(2.5))));
        assert_eq!(
            stored(FieldKind::Date, "31/12/2024", vi, Some(json!("01/01/2020"))),
            Ok(Some(json!("31/12/2024")))
        );
        assert_eq!(
            stored(FieldKind::Date, "31/12/2024", vi, Some(json!("2020-01-01"))),
            Ok(Some(json!("2024-12-31")))
        );
        assert_eq!(
            stored(
                FieldKind::Date,
                "2024-12-31",
                Lang::En,
                Some(json!("01/01/2020"))
            ),
            Ok(Some(json!("31/12/2024")))
        );
        assert_eq!(
            stored(FieldKind::Date, "31/12/2024", vi, None),
            Ok(Some(json!("2024-12-31")))
        );
        assert_eq!(
            stored(FieldKind::Date, "soon", vi, None),
            Err(ValueProblem::NotADate("soon".into()))
        );
        let status = FieldKind::Choice(Choices::ParcelStatus);
        assert_eq!(
            stored(status, "vacant", vi, Some(json!("Đã cho thuê"))),
            Ok(Some(json!("Chưa cho thuê")))
        );
        assert_eq!(
            stored(status, "Giữ chỗ", vi, Some(json!("leased"))),
            Ok(Some(json!("reserved")))
        );
        assert_eq!(
            stored(status, "sold", vi, None),
            Err(ValueProblem::UnknownChoice {
                text: "sold".into(),
                choices: Choices::ParcelStatus
            })
        );
        assert_eq!(
            stored(FieldKind::Text, " Canon ", vi, None),
            Ok(Some(json!(" Canon ")))
        );
        assert_eq!(bool_value(true, Some(&json!("không"))), json!("có"));
        assert_eq!(bool_value(false, Some(&json!(1))), json!(0));
    }

    #[test]
    fn the_spelling_is_learnt_from_the_feature_then_its_neighbours() {
        let document_of = |text: &str| {
            Document::parse(
                std::path::Path::new("lots.geojson"),
                text.as_bytes().to_vec(),
            )
            .expect("parses")
        };
        // Lot 0 has no lease end; its neighbour writes dates day first under its own name,
        // and capital as text with a decimal comma; lot 2 writes capital as a number.
        let doc = document_of(
            r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"Mã lô":"A","Vốn đầu tư":"12"},"geometry":null},
            {"type":"Feature","properties":{"Mã lô":"B","Ngày hết hạn":"30/06/2050","Vốn đầu tư":"3,5"},"geometry":null},
            {"type":"Feature","properties":{"Mã lô":"C","Ngày hết hạn":"2050-06-30","Vốn đầu tư":7},"geometry":null}]}"#,
        );
        let end = spelling_of(&doc, LayerKind::Parcels, FieldKind::Date, "lease_end", 0);
        assert_eq!(end.name.as_deref(), Some("Ngày hết hạn"));
        assert_eq!(end.date(d("2024-12-31")), json!("31/12/2024"));
        let end = spelling_of(&doc, LayerKind::Parcels, FieldKind::Date, "lease_end", 2);
        assert_eq!(end.date(d("2024-12-31")), json!("2024-12-31"));
        let money = FieldKind::Number(Some(Unit::MillionUsd));
        let capital = spelling_of(&doc, LayerKind::Parcels, money, "capital_musd", 0);
        assert_eq!(capital.name.as_deref(), Some("Vốn đầu tư"));
        assert_eq!(capital.number(0.75), json!("0,75"));
        let capital = spelling_of(&doc, LayerKind::Parcels, money, "capital_musd", 2);
        assert_eq!(capital.number(0.75), json!(0.75));
        // No feature has it: the canonical name is the caller's, written as machines do.
        let tenant = spelling_of(&doc, LayerKind::Parcels, FieldKind::Text, "tenant", 1);
        assert_eq!(tenant.name, None);
        assert_eq!(tenant.number(2.5), json!(2.5));
    }

    #[test]
    fn a_lease_cannot_end_before_it_starts() {
        let (start, end) = (d("2020-01-01"), d("2030-12-31"));
        assert_eq!(
            lease_date("lease_end", d("2025-06-30"), Some(start), None),
            Ok(())
        );
        assert_eq!(
            lease_date("lease_end", d("2019-12-31"), Some(start), Some(end)),
            Err(ValueProblem::EndBeforeStart {
                end: d("2019-12-31"),
                start
            })
        );
        assert_eq!(
            lease_date("lease_start", d("2031-01-01"), Some(start), Some(end)),
            Err(ValueProblem::StartAfterEnd {
                start: d("2031-01-01"),
                end
            })
        );
        // The same day at both ends is a lease of one day.
        assert_eq!(lease_date("lease_start", end, None, Some(end)), Ok(()));
    }

    #[test]
    fn choices_read_codes_and_wording() {
        assert_eq!(
            Choices::ZoneStatus.parse("Đang hoạt động"),
            Some("operating")
        );
        assert_eq!(Choices::InvestmentType.parse("fdi"), Some("FDI"));
        assert_eq!(Choices::ZoneType.parse("eco"), Some("eco"));
        assert_eq!(Choices::ZoneType.parse("green"), None);
        for choices in [
            Choices::ZoneStatus,
            Choices::ZoneType,
            Choices::ParcelStatus,
            Choices::LandUse,
            Choices::InvestmentType,
        ] {
            for code in choices.codes() {
                // Each value, written either way, reads back as itself.
                for old in [json!("x"), json!("Đ")] {
                    let v = choices.value(code, Some(&old));
                    assert_eq!(choices.parse(v.as_str().expect("text")), Some(*code));
                }
            }
        }
    }
}
