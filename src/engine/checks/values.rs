//! Property values present but unreadable as what their key means (a number that is not one,
//! a negative area, a date that does not parse, a status not in its list). The value is
//! treated as missing; the file keeps it. The rules themselves are the schema's
//! ([`crate::engine::attributes`]), which edits obey too.

use crate::engine::findings::FindingKind;
use crate::engine::model::BadValue;

/// The finding about one bad value.
pub fn check(bad: &BadValue) -> FindingKind {
    FindingKind::BadValue {
        key: bad.key.clone(),
        problem: bad.problem.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::attributes::{Choices, ValueProblem};
    use crate::engine::checks::kinds_of;
    use crate::engine::findings::Code;
    use crate::engine::test_data::dataset_of;
    use serde_json::json;

    #[test]
    fn each_bad_value_is_found_with_the_files_key() {
        let zones = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"zone_id":"Z","Diện tích đất CN":"n/a","service_land_ha":-4,"status":"closed"},"geometry":null}]}"#;
        let parcels = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"parcel_id":"A","lease_end":"soon"},"geometry":null}]}"#;
        let ds = dataset_of(zones, parcels);
        let found = kinds_of(
            &ds.findings(crate::engine::as_of::AsOf::Today(
                crate::engine::properties::Date(20_000),
            )),
            Code::BadValue,
        );
        assert_eq!(
            found,
            [
                FindingKind::BadValue {
                    key: "status".into(),
                    problem: ValueProblem::UnknownChoice {
                        text: "closed".into(),
                        choices: Choices::ZoneStatus
                    }
                },
                FindingKind::BadValue {
                    key: "Diện tích đất CN".into(),
                    problem: ValueProblem::NotANumber {
                        value: json!("n/a")
                    }
                },
                FindingKind::BadValue {
                    key: "service_land_ha".into(),
                    problem: ValueProblem::Negative(-4.0)
                },
                FindingKind::BadValue {
                    key: "lease_end".into(),
                    problem: ValueProblem::NotADate("soon".into())
                },
            ]
        );
    }
}
