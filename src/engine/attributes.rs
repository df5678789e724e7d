//! The attributes' schema: which planning and lease attribute holds what (a number in a unit, a
//! date, a value from a list, a yes/no, text), and the rules a value must keep. Reading a file
//! ([`super::model`]) and editing a value (the app's inspector, and scripted edits) use the
//! same rules and report the same typed [`ValueProblem`]s, which the catalogue
//! ([`crate::i18n`]) puts into words.
//!
//! An edited value is written the way the file writes its others: a number given as a string
//! stays a string, a `dd/mm/yyyy` date stays so, and a status is written in the file's own
//! vocabulary (its codes, or the Vietnamese wording that [`super::properties`] reads).

use serde_json::Value;

use super::model::LayerKind;
use super::properties::{
    Date, LandUse, ParcelStatus, ZoneStatus, read_bool, read_number, value_text,
};

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
    Date::parse(text).ok_or_else(|| ValueProblem::NotADate(text.to_string()))
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

/// An edit typed as text for a field holding a number or a date (or text): the value to store
/// (`None`: nothing to store, the field was empty and stays so; `Some(Null)`: clear it), or why
/// it is refused. Written the way `old`, the value it replaces, is.
pub fn typed_value(
    kind: FieldKind,
    text: &str,
    old: Option<&Value>,
) -> Result<Option<Value>, ValueProblem> {
    let typed = text;
    let text = text.trim();
    if text.is_empty() {
        return Ok(old.map(|_| Value::Null));
    }
    match kind {
        FieldKind::Number(_) => {
            let x = number(&Value::String(text.to_string()))?.unwrap_or(0.0);
            Ok(Some(number_value(x, old)))
        }
        FieldKind::Date => {
            let d = date(text)?;
            // Written the way the file writes dates: dd/mm/yyyy stays so, otherwise ISO.
            let like_old = old.map(value_text).unwrap_or_default();
            let written = if like_old.contains('/') {
                let (y, m, day) = d.ymd();
                format!("{day:02}/{m:02}/{y:04}")
            } else {
                d.iso()
            };
            Ok(Some(Value::String(written)))
        }
        FieldKind::Choice(choices) => Ok(Some(choices.value(choice(choices, text)?, old))),
        FieldKind::Bool => Ok(Some(bool_value(
            read_bool(&Value::String(text.to_string())).unwrap_or(false),
            old,
        ))),
        // Text is stored as typed.
        FieldKind::Text | FieldKind::LongText => Ok(Some(Value::String(typed.to_string()))),
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

/// A number written back the way the file wrote the old one (a string stays a string).
pub fn number_value(x: f64, like: Option<&Value>) -> Value {
    let whole = x.fract() == 0.0 && x.abs() < 1e15;
    let plain = if whole {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    };
    match like {
        Some(Value::String(_)) => Value::String(plain),
        _ if whole => Value::from(x as i64),
        _ => Value::from(x),
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
    use crate::engine::properties::{PARCEL_KEYS, ZONE_KEYS};
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

    #[test]
    fn an_edit_is_refused_or_written_like_the_value_it_replaces() {
        let ha = FieldKind::Number(Some(Unit::Hectares));
        assert_eq!(
            typed_value(ha, "lots", Some(&json!(12))),
            Err(ValueProblem::NotANumber {
                value: json!("lots")
            })
        );
        assert_eq!(
            typed_value(ha, "-3,5", None),
            Err(ValueProblem::Negative(-3.5))
        );
        assert_eq!(
            typed_value(ha, "400,45", Some(&json!("12"))),
            Ok(Some(json!("400.45")))
        );
        assert_eq!(
            typed_value(ha, "400", Some(&json!(12.5))),
            Ok(Some(json!(400)))
        );
        assert_eq!(
            typed_value(ha, " ", Some(&json!(12))),
            Ok(Some(Value::Null))
        );
        assert_eq!(typed_value(ha, "", None), Ok(None));
        assert_eq!(
            typed_value(FieldKind::Date, "31/12/2024", Some(&json!("01/01/2020"))),
            Ok(Some(json!("31/12/2024")))
        );
        assert_eq!(
            typed_value(FieldKind::Date, "31/12/2024", Some(&json!("2020-01-01"))),
            Ok(Some(json!("2024-12-31")))
        );
        assert_eq!(
            typed_value(FieldKind::Date, "soon", None),
            Err(ValueProblem::NotADate("soon".into()))
        );
        let status = FieldKind::Choice(Choices::ParcelStatus);
        assert_eq!(
            typed_value(status, "vacant", Some(&json!("Đã cho thuê"))),
            Ok(Some(json!("Chưa cho thuê")))
        );
        assert_eq!(
            typed_value(status, "Giữ chỗ", Some(&json!("leased"))),
            Ok(Some(json!("reserved")))
        );
        assert_eq!(
            typed_value(status, "sold", None),
            Err(ValueProblem::UnknownChoice {
                text: "sold".into(),
                choices: Choices::ParcelStatus
            })
        );
        assert_eq!(bool_value(true, Some(&json!("không"))), json!("có"));
        assert_eq!(bool_value(false, Some(&json!(1))), json!(0));
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
