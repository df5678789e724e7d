//! Parcels and their zones: a parcel whose `zone_id` names no zone (placed by its geometry
//! instead, or nowhere), and a parcel in no zone that names none.

use crate::engine::dataset::{Assignment, Dataset};
use crate::engine::findings::FindingKind;
use crate::engine::model::Parcel;

/// The finding about where a parcel was placed, if any. `usable`: it has a usable geometry.
pub fn check(ds: &Dataset, item: &Parcel, placed: Assignment, usable: bool) -> Option<FindingKind> {
    match (placed, &item.zone_ref) {
        (Assignment::ByZoneId(_), _) => None,
        (a, Some(r)) if usable || a.zone().is_some() => Some(FindingKind::UnknownZoneId {
            zone_ref: r.clone(),
            placed_in: a.zone().map(|z| ds.zones.items[z].id.clone()),
        }),
        (Assignment::None, _) if usable => Some(FindingKind::ParcelInNoZone),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::test_data::{dataset_of, square};

    #[test]
    fn a_wrong_zone_id_is_found_with_where_the_lot_went() {
        let zones = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"zone_id":"Z1"}},"geometry":{}}}]}}"#,
            square(106.0, 21.0, 0.01)
        );
        // Lots 0–2 inside Z1; lots 3 and 4 far east, in no zone.
        let lot = |props: &str, x: f64| {
            format!(
                r#"{{"type":"Feature","properties":{props},"geometry":{}}}"#,
                square(x, 21.001, 0.001)
            )
        };
        let parcels = format!(
            r#"{{"type":"FeatureCollection","features":[{},{},{},{},{}]}}"#,
            lot(r#"{"zone_id":"Z1"}"#, 106.001),
            lot(r#"{"zone_id":"Z9"}"#, 106.003),
            lot("{}", 106.005),
            lot(r#"{"zone_id":"Z9"}"#, 107.0),
            lot("{}", 108.0),
        );
        let ds = dataset_of(&zones, &parcels);
        let p = ds.parcels.as_ref().expect("parcels");
        let found: Vec<Option<FindingKind>> = (0..p.len())
            .map(|i| check(&ds, &p.items[i], ds.assignment[i], true))
            .collect();
        assert_eq!(
            found,
            [
                None,
                Some(FindingKind::UnknownZoneId {
                    zone_ref: "Z9".into(),
                    placed_in: Some("Z1".into())
                }),
                None,
                Some(FindingKind::UnknownZoneId {
                    zone_ref: "Z9".into(),
                    placed_in: None
                }),
                Some(FindingKind::ParcelInNoZone),
            ]
        );
    }
}
