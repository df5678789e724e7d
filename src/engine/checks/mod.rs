//! The rules that find what is wrong with the data, one file per family. Each returns typed
//! [`Finding`]s; none builds a sentence (the catalogue, [`crate::i18n`], does).
//!
//! - [`geometry`]: geometry that cannot take part in the figures;
//! - [`values`]: property values unreadable as what their key means;
//! - [`ids`]: ids used twice in a layer;
//! - [`placement`]: parcels whose zone cannot be found, or found only by their geometry;
//! - [`coverage`]: parcels sticking out of their zone, overlapping parcels, overlapping zones;
//! - [`figures`]: fill-rate denominators (missing, exceeded) and areas far from the plan;
//! - [`leases`]: lease statuses (missing, or leased after the lease ended);
//! - [`bbox`]: `bbox` members that do not contain their geometry.

pub mod bbox;
pub mod coverage;
pub mod figures;
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
/// parcel, per zone's geometry, then the figures'.
pub fn findings(ds: &Dataset, figures: &[ZoneFigures], on: AsOf) -> Vec<Finding> {
    let mut out = Vec::new();
    per_feature(&mut out, LayerKind::Zones, &ds.zones.shapes, |i| {
        (&ds.zones.items[i].id, &ds.zones.items[i].bad_values)
    });
    if let Some(parcels) = &ds.parcels {
        per_feature(&mut out, LayerKind::Parcels, &parcels.shapes, |i| {
            (&parcels.items[i].id, &parcels.items[i].bad_values)
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
        ds.zones.items.iter().map(|z| z.id.as_str()),
    );
    if let Some(parcels) = &ds.parcels {
        ids::duplicates(
            &mut out,
            LayerKind::Parcels,
            parcels.items.iter().map(|p| p.id.as_str()),
        );
        let any_status = parcels.items.iter().any(|x| x.status_given);
        for (p, item) in parcels.items.iter().enumerate() {
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
    for (z, f) in figures.iter().enumerate() {
        let zone = &ds.zones.items[z];
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
    item: impl Fn(usize) -> (&'a String, &'a Vec<BadValue>),
) {
    for (i, shape) in shapes.iter().enumerate() {
        let (id, bad) = item(i);
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
