//! Gaps left between lots that shared an edge, by the edits made: the facts the edits kept
//! ([`crate::engine::gaps`]) as findings, on the lot that gave the land up. A gap whose lot or
//! neighbour is deleted is not reported (restoring it brings the finding back).

use crate::engine::dataset::Dataset;
use crate::engine::findings::{Finding, FindingKind};
use crate::engine::model::LayerKind;

pub fn gap_findings(out: &mut Vec<Finding>, ds: &Dataset) {
    let Some(parcels) = &ds.parcels else {
        return;
    };
    for g in ds.gap_facts() {
        if !(g.lot < parcels.len()
            && g.other < parcels.len()
            && parcels.is_live(g.lot)
            && parcels.is_live(g.other))
        {
            continue;
        }
        out.push(Finding::new(
            FindingKind::GapBetweenLots {
                other: g.other + 1,
                other_id: parcels.items[g.other].id.clone(),
                gap_m2: g.area_m2,
                x: g.at.x,
                y: g.at.y,
            },
            LayerKind::Parcels,
            g.lot,
            &parcels.items[g.lot].id,
        ));
    }
}
