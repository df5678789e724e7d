//! The rules that find what is wrong with the data, one file per family. Each returns typed
//! [`Finding`]s; none builds a sentence (the catalogue, [`crate::i18n`], does).
//!
//! - [`geometry`]: geometry that cannot take part in the figures;
//! - [`values`]: property values unreadable as what their key means;
//! - [`ids`]: ids used twice in a layer;
//! - [`placement`]: parcels whose zone cannot be found, or found only by their geometry;
//! - [`coverage`]: parcels sticking out of their zone, overlapping parcels, overlapping zones;
//! - [`gaps`]: gaps left between lots that shared an edge, by the edits made;
//! - [`figures`]: fill-rate denominators (missing, exceeded) and areas far from the plan;
//! - [`leases`]: lease statuses (missing, or leased after the lease ended);
//! - [`bbox`]: `bbox` members that do not contain their geometry.

pub mod bbox;
pub mod coverage;
pub mod figures;
pub mod gaps;
pub mod geometry;
pub mod ids;
pub mod leases;
pub mod placement;
pub mod values;

use super::as_of::AsOf;
use super::cow_vec::CowVec;
use super::dataset::Dataset;
use super::figures::ZoneFigures;
use super::findings::Finding;
use super::model::{BadValue, LayerKind, Shape};

/// Every finding as of `on`, with the zones' `figures` of that date (the lease rules and the
/// figures' depend on it): per feature, then the `bbox` members, overlapping zones, ids, per
/// parcel, per zone's geometry, the gaps edits left between lots, then the figures'.
pub fn findings(ds: &Dataset, figures: &[ZoneFigures], on: AsOf) -> Vec<Finding> {
    let mut out = Vec::new();
    per_feature(&mut out, LayerKind::Zones, &ds.zones.shapes, |i| {
        ds.zones
            .is_live(i)
            .then(|| (&ds.zones.items[i].id, &ds.zones.items[i].bad_values))
    });
    if let Some(parcels) = &ds.parcels {
        per_feature(&mut out, LayerKind::Parcels, &parcels.shapes, |i| {
            parcels
                .is_live(i)
                .then(|| (&parcels.items[i].id, &parcels.items[i].bad_values))
        });
    }
    bbox::bbox_findings(
        &mut out,
        LayerKind::Zones,
        &ds.zones.doc,
        &ds.zones.shapes,
        |i| ds.zones.items[i].id.clone(),
    );
    if let Some(parcels) = &ds.parcels {
        bbox::bbox_findings(
            &mut out,
            LayerKind::Parcels,
            &parcels.doc,
            &parcels.shapes,
            |i| parcels.items[i].id.clone(),
        );
    }
    coverage::zone_overlaps(&mut out, ds);
    ids::duplicates(
        &mut out,
        LayerKind::Zones,
        // A feature known by its number is unlike any other.
        ds.zones
            .live()
            .filter(|&z| !ds.zones.items[z].numbered)
            .map(|z| (z, ds.zones.items[z].id.as_str())),
    );
    if let Some(parcels) = &ds.parcels {
        ids::duplicates(
            &mut out,
            LayerKind::Parcels,
            parcels
                .live()
                .filter(|&p| !parcels.items[p].numbered)
                .map(|p| (p, parcels.items[p].id.as_str())),
        );
        let any_status = parcels.any_status_given();
        for p in parcels.live() {
            let item = &parcels.items[p];
            let usable = parcels.shapes[p].geometry().is_some();
            let kinds = [
                leases::status_missing(item, any_status),
                leases::lease_ended(item, on),
                placement::check(ds, item, ds.assignment[p], usable),
            ];
            for kind in kinds.into_iter().flatten() {
                out.push(Finding::new(kind, LayerKind::Parcels, p, &item.id));
            }
        }
    }
    out.extend(ds.coverage_findings().cloned());
    gaps::gap_findings(&mut out, ds);
    for z in ds.zones.live() {
        let (zone, f) = (&ds.zones.items[z], &figures[z]);
        for kind in figures::check(zone, f) {
            out.push(Finding::new(kind, LayerKind::Zones, z, &zone.id));
        }
    }
    out
}

/// Per feature: its geometry, then its values.
fn per_feature<'a>(
    out: &mut Vec<Finding>,
    layer: LayerKind,
    shapes: &CowVec<Shape>,
    item: impl Fn(usize) -> Option<(&'a String, &'a Vec<BadValue>)>,
) {
    for (i, shape) in shapes.iter().enumerate() {
        // A deleted feature has nothing to find.
        let Some((id, bad)) = item(i) else {
            continue;
        };
        let kinds = geometry::check(shape)
            .into_iter()
            .chain(bad.iter().map(values::check));
        for kind in kinds {
            out.push(Finding::new(kind, layer, i, id));
        }
    }
}

/// A finding kind for tests: the kinds of the findings with a code.
#[cfg(test)]
pub(crate) fn kinds_of(
    found: &[Finding],
    code: super::findings::Code,
) -> Vec<super::findings::FindingKind> {
    found
        .iter()
        .filter(|f| f.code() == code)
        .map(|f| f.kind.clone())
        .collect()
}
