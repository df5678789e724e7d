//! Land counted in the wrong place: a parcel that sticks out of its zone (the part outside
//! does not count), two parcels that overlap (counted once), two zones that overlap (the
//! totals count that land twice).

use geo::BooleanOps;

use crate::engine::coverage::CoverageFacts;
use crate::engine::cow_vec::CowVec;
use crate::engine::dataset::Dataset;
use crate::engine::findings::{Finding, FindingKind};
use crate::engine::geodesy::geodesic_area_m2;
use crate::engine::model::{LayerKind, Parcel, Shape};
use crate::engine::properties::ParcelStatus;

/// The findings of one zone's coverage by its parcels: `usable[k]` is the parcel (position in
/// its file) of the coverage's k-th piece; `zone` the zone's id.
pub fn parcel_findings(
    zone: &str,
    cov: &CoverageFacts,
    usable: &[usize],
    items: &CowVec<Parcel>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let item = |k: usize| &items[usable[k]];
    for (k, pl) in cov.placements.iter().enumerate() {
        if pl.reportable_straddle() {
            out.push(Finding::new(
                FindingKind::ParcelStraddlesZone {
                    zone: zone.to_string(),
                    outside_ha: pl.outside_m2() / 1e4,
                    area_ha: pl.area_m2 / 1e4,
                    wholly_outside: pl.inside_m2 <= 0.0,
                },
                LayerKind::Parcels,
                usable[k],
                &item(k).id,
            ));
        }
    }
    let leased = |k: usize| item(k).status == ParcelStatus::Leased;
    for o in cov.overlaps.iter().filter(|o| o.reportable()) {
        out.push(Finding::new(
            FindingKind::ParcelsOverlap {
                other: usable[o.b] + 1,
                other_id: item(o.b).id.clone(),
                overlap_ha: o.area_m2 / 1e4,
                both_leased: leased(o.a) && leased(o.b),
            },
            LayerKind::Parcels,
            usable[o.a],
            &item(o.a).id,
        ));
    }
    out
}

/// Zones whose areas overlap (boundaries that only touch do not). The overlap is measured
/// geodesically; less than a square metre is the rounding of a shared boundary.
pub fn zone_overlaps(out: &mut Vec<Finding>, ds: &Dataset) {
    for (a, shape) in ds.zones.shapes.iter().enumerate() {
        let Shape::Area { geometry: ga, bbox } = shape else {
            continue;
        };
        let mut others: Vec<usize> = ds.zone_index.within(*bbox).filter(|b| *b > a).collect();
        others.sort_unstable();
        for b in others {
            let Some(gb) = ds.zones.shapes[b].geometry() else {
                continue;
            };
            let m2 = geodesic_area_m2(&ga.intersection(gb));
            if m2 < 1.0 {
                continue;
            }
            let (za, zb) = (&ds.zones.items[a], &ds.zones.items[b]);
            out.push(Finding::new(
                FindingKind::ZonesOverlap {
                    other: b + 1,
                    other_id: zb.id.clone(),
                    other_name: zb.name.clone(),
                    overlap_ha: m2 / 1e4,
                },
                LayerKind::Zones,
                a,
                &za.id,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::findings::{Code, Severity};
    use crate::engine::test_data::{dataset_of, lots, square};

    #[test]
    fn straddling_and_overlapping_lots_by_hand() {
        let zones = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"zone_id":"Z","industrial_land_ha":100}},"geometry":{}}}]}}"#,
            square(106.0, 21.0, 0.01)
        );
        // Lots of 0.002° side, 0.001° apart: each overlaps the next by half. The last one
        // starts 0.001° before the zone's east edge: half of it lies outside.
        let props = [
            r#"{"parcel_id":"A","status":"leased"}"#,
            r#"{"parcel_id":"B","status":"leased"}"#,
            r#"{"parcel_id":"C","status":"vacant"}"#,
        ];
        let ds = dataset_of(&zones, &lots(&props, 106.007, 21.004, 0.001, 0.002));
        let found = ds.findings(crate::engine::as_of::AsOf::Today(
            crate::engine::properties::Date(20_000),
        ));
        let of = |code| -> Vec<&Finding> { found.iter().filter(|f| f.code() == code).collect() };
        let straddles = of(Code::ParcelStraddlesZone);
        assert_eq!(straddles.len(), 1);
        let FindingKind::ParcelStraddlesZone {
            zone,
            outside_ha,
            area_ha,
            wholly_outside,
        } = &straddles[0].kind
        else {
            panic!("{straddles:?}")
        };
        assert_eq!((zone.as_str(), *wholly_outside), ("Z", false));
        assert_eq!(straddles[0].id, "C");
        assert!(
            (outside_ha / area_ha - 0.5).abs() < 1e-3,
            "{outside_ha} of {area_ha}"
        );
        let overlaps = of(Code::ParcelsOverlap);
        let pairs: Vec<(usize, Option<usize>, Severity)> = overlaps
            .iter()
            .map(|f| (f.feature, f.other(), f.severity()))
            .collect();
        // A and B both leased: an error; B and C: a warning.
        assert_eq!(
            pairs,
            [
                (1, Some(2), Severity::Error),
                (2, Some(3), Severity::Warning)
            ]
        );
    }

    #[test]
    fn overlapping_zones_share_the_land_they_overlap() {
        let zones = format!(
            r#"{{"type":"FeatureCollection","features":[
            {{"type":"Feature","properties":{{"zone_id":"A"}},"geometry":{}}},
            {{"type":"Feature","properties":{{"zone_id":"B","name":"KCN B"}},"geometry":{}}},
            {{"type":"Feature","properties":{{"zone_id":"C"}},"geometry":{}}}]}}"#,
            square(106.0, 21.0, 0.01),
            square(106.005, 21.0, 0.01),
            square(106.015, 21.0, 0.01),
        );
        let ds = dataset_of(&zones, r#"{"type":"FeatureCollection","features":[]}"#);
        let mut out = Vec::new();
        zone_overlaps(&mut out, &ds);
        // A and B share half of A; B and C only touch.
        assert_eq!(out.len(), 1);
        let FindingKind::ZonesOverlap {
            other,
            other_id,
            other_name,
            overlap_ha,
        } = &out[0].kind
        else {
            panic!("{out:?}")
        };
        assert_eq!(
            (*other, other_id.as_str(), other_name.as_str()),
            (2, "B", "KCN B")
        );
        let a = ds.figures[0].measured.area_ha.expect("an area");
        assert!((overlap_ha / a - 0.5).abs() < 1e-3, "{overlap_ha} of {a}");
    }
}
