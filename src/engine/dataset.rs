//! A zones file and a parcels file read together: which zone each parcel belongs to, what was
//! measured in each zone, the figures, and the findings. Edits go through here so that every
//! figure follows them.

use geo::{BooleanOps, BoundingRect, Contains, Coord, MultiPolygon, Point, Rect};
use rayon::prelude::*;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use super::as_of::AsOf;
use super::coverage::{
    CoverageFacts, ParcelInZone, ZoneCoverage, ZoneFrame, union_inside_m2, zone_area_ha,
};
use super::cow_vec::CowVec;
use super::figures::{Measured, Totals, ZoneFigures};
use super::findings::Finding;
use super::geojson::{Document, LoadError};
use super::index::{CompactIndex, SpatialIndex, bounds_of};
use super::model::{Parcels, Shape, Zones};
use super::properties::{LandUse, ParcelStatus, normalize_text};

/// Phase timings on standard error when `ZONEATLAS_TIMINGS` is set (for BENCHMARKS.md).
struct Phases(Option<std::cell::Cell<std::time::Instant>>);

impl Phases {
    fn start() -> Phases {
        Phases(
            std::env::var_os("ZONEATLAS_TIMINGS")
                .map(|_| std::cell::Cell::new(std::time::Instant::now())),
        )
    }

    fn lap(&self, what: &str) {
        if let Some(t) = &self.0 {
            let now = std::time::Instant::now();
            eprintln!(
                "TIMING {what:<38} {:8.3} s{}",
                (now - t.get()).as_secs_f64(),
                memory_note()
            );
            t.set(now);
        }
    }
}

/// Resident and peak memory from `/proc/self/status` (Linux), for the timings line.
fn memory_note() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(rss), Some(peak)) => format!("   rss {:5} MB  peak {:5} MB", rss / 1024, peak / 1024),
        _ => String::new(),
    }
}

/// A zone as it was before a change to it: its id, box and usable shape.
#[derive(Clone, Debug)]
pub(super) struct ZoneBefore {
    pub id: String,
    pub bbox: Option<Rect<f64>>,
    pub shape: Option<MultiPolygon<f64>>,
}

/// The boxes around what changed between two shapes of a zone (the changed stretch of each
/// ring, with the positions either side of it: the edges that moved), when both have the same
/// polygons and rings; `None` otherwise (then all of it may have changed).
fn changed_boxes(old: &MultiPolygon<f64>, new: &MultiPolygon<f64>) -> Option<Vec<Rect<f64>>> {
    if old.0.len() != new.0.len() {
        return None;
    }
    let open = |r: &geo::LineString<f64>| -> Vec<Coord<f64>> {
        let c = &r.0;
        if c.len() > 1 && c.first() == c.last() {
            c[..c.len() - 1].to_vec()
        } else {
            c.clone()
        }
    };
    let mut boxes = Vec::new();
    for (po, pn) in old.0.iter().zip(&new.0) {
        if po.interiors().len() != pn.interiors().len() {
            return None;
        }
        let rings = std::iter::once((po.exterior(), pn.exterior()))
            .chain(po.interiors().iter().zip(pn.interiors()));
        for (ro, rn) in rings {
            let (o, n) = (open(ro), open(rn));
            if o == n {
                continue;
            }
            if o.is_empty() || n.is_empty() {
                return None;
            }
            let shortest = o.len().min(n.len());
            let prefix = o.iter().zip(&n).take_while(|(a, b)| a == b).count();
            let suffix = o
                .iter()
                .rev()
                .zip(n.iter().rev())
                .take(shortest - prefix)
                .take_while(|(a, b)| a == b)
                .count();
            // From the position before the change to the one after it, cyclically.
            let mut around: Vec<Rect<f64>> = Vec::new();
            for r in [&o, &n] {
                let len = r.len();
                for k in 0..=(len + 1 - suffix.min(len) - prefix.min(len)).min(len) {
                    let c = r[(prefix + len - 1 + k) % len];
                    around.push(Rect::new(c, c));
                }
            }
            let around = bounds_of(around)?;
            boxes.push(around);
        }
    }
    Some(boxes)
}

/// How a parcel came to be in a zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Assignment {
    /// Its `zone_id` names the zone.
    ByZoneId(usize),
    /// Found by geometry (no `zone_id`, or one naming no zone).
    ByGeometry(usize),
    /// In no zone.
    None,
}

impl Assignment {
    pub fn zone(self) -> Option<usize> {
        match self {
            Self::ByZoneId(z) | Self::ByGeometry(z) => Some(z),
            Self::None => None,
        }
    }
}

/// Per-zone findings from the geometry (straddling and overlapping parcels), kept with the
/// zone so that re-measuring one zone replaces them; and how its parcels sit in it.
#[derive(Clone, Debug, Default)]
struct ZoneNotes {
    findings: Vec<Finding>,
    /// `None` when the zone has no coverage (no usable parcel, or nothing to clip them to).
    coverage: Option<Arc<ZoneFacts>>,
}

/// How a zone's parcels sit in it, as last measured: the parcels with a usable geometry, in
/// the coverage's order, and the coverage's facts. A parcel's status or use changes what is
/// summed, not these: the figures are summed again from them ([`Dataset::resum`]), and the
/// figures on another date too ([`Dataset::coverage_facts`]).
#[derive(Debug)]
struct ZoneFacts {
    usable: Vec<usize>,
    facts: CoverageFacts,
    /// The zone projected, with its boundary's R-tree, for the lots' edits: built on the
    /// first, shared by the facts that follow while the zone keeps its shape.
    frame: OnceLock<Arc<ZoneFrame>>,
}

impl ZoneFacts {
    fn new(usable: Vec<usize>, facts: CoverageFacts, frame: Option<Arc<ZoneFrame>>) -> ZoneFacts {
        let cell = OnceLock::new();
        if let Some(f) = frame {
            let _ = cell.set(f);
        }
        ZoneFacts {
            usable,
            facts,
            frame: cell,
        }
    }

    /// The zone's frame (`zone` and `bbox` its shape, as these facts were measured with).
    fn frame(&self, zone: &MultiPolygon<f64>, bbox: Rect<f64>) -> Arc<ZoneFrame> {
        self.frame
            .get_or_init(|| Arc::new(ZoneFrame::new(zone, bbox)))
            .clone()
    }
}

/// Both files, read and measured.
///
/// A copy is cheap (microseconds for a million lots) and independent: what reading never
/// changes (text, spans, R-trees) is shared, and the per-feature and per-zone readings are
/// shared until written ([`CowVec`], `Arc`), so that an edit of either copy copies only the
/// chunks and zones it touches. The app hands copies to work on other threads.
#[derive(Clone, Debug)]
pub struct Dataset {
    pub zones: Zones,
    pub parcels: Option<Parcels>,
    pub zone_index: SpatialIndex,
    /// Built on first use ([`Dataset::parcel_index`]): the figures do not need it.
    /// Shared by the copies: built once, by whichever asks first.
    parcel_index: Arc<OnceLock<CompactIndex>>,
    /// Per parcel.
    pub assignment: CowVec<Assignment>,
    /// Per zone, its parcels in file order (as `assignment` places them): kept up to date by
    /// edits, so that re-measuring a zone does not look through every parcel.
    members: Vec<Arc<Vec<usize>>>,
    /// Zone positions by the id parcels use to name them, normalised ([`normalize_text`]);
    /// the first zone with an id wins.
    zone_ids: Arc<HashMap<String, usize>>,
    /// Per parcel: ellipsoidal area, ha (`None` without usable geometry).
    pub parcel_area_ha: CowVec<Option<f64>>,
    /// Per zone.
    pub figures: Vec<ZoneFigures>,
    notes: Vec<Arc<ZoneNotes>>,
    /// Gaps left between lots that shared an edge, by the edits made ([`super::gaps`]).
    pub(super) gaps: Arc<Vec<super::gaps::GapFact>>,
}

impl Dataset {
    /// Opens and measures a zones file and, optionally, a parcels file. The files are mapped
    /// rather than copied into memory ([`Document::open_mapped`]).
    pub fn open(zones: &Path, parcels: Option<&Path>) -> Result<Dataset, LoadError> {
        Dataset::open_assuming(zones, parcels, None)
    }

    /// [`Dataset::open`]; a file without a coordinate system of its own is taken to be in
    /// `assumed` (the command line's `--source-crs`).
    pub fn open_assuming(
        zones: &Path,
        parcels: Option<&Path>,
        assumed: Option<super::crs::Crs>,
    ) -> Result<Dataset, LoadError> {
        let clock = Phases::start();
        let open = |p: &Path| super::source::open_assuming(p, assumed);
        let (z, p) = rayon::join(|| open(zones), || parcels.map(open).transpose());
        clock.lap("read and split the files");
        let ds = Dataset::new(z?, p?);
        ds.intact()?;
        Ok(ds)
    }

    /// `Ok` while both files read as they were opened; an error naming the file that another
    /// program cut short or rewrote while it was mapped (see [`Document::intact`]). Asked after
    /// each pass over the files' text, before what it gave is used.
    pub fn intact(&self) -> Result<(), LoadError> {
        self.zones.doc.intact()?;
        match &self.parcels {
            Some(p) => p.doc.intact(),
            None => Ok(()),
        }
    }

    /// Reads and measures already parsed documents.
    pub fn new(zones: Document, parcels: Option<Document>) -> Dataset {
        let clock = Phases::start();
        let (zones, parcels) = rayon::join(
            || Zones::from_document(zones),
            || parcels.map(Parcels::from_document),
        );
        clock.lap("read features (attributes, geometry)");
        let zone_index = SpatialIndex::new(
            zones
                .shapes
                .iter()
                .enumerate()
                .filter_map(|(i, s)| Some((i, s.bbox()?))),
        );
        let mut ds = Dataset {
            figures: Vec::new(),
            notes: vec![Arc::default(); zones.len()],
            assignment: CowVec::new(),
            members: Vec::new(),
            zone_ids: Arc::new(zone_ids(&zones)),
            parcel_area_ha: std::iter::repeat_n(None, parcels.as_ref().map_or(0, |p| p.len()))
                .collect(),
            zones,
            parcels,
            zone_index,
            parcel_index: Arc::default(),
            gaps: Arc::default(),
        };
        clock.lap("zone index");
        ds.assignment = ds.assign_all();
        ds.members = ds.parcels_of(&ds.assignment);
        ds.measure_all();
        clock.lap("parcels to zones, measure");
        ds
    }

    /// The parcels' R-tree, for the map and look-ups. The figures do not need it, so it is
    /// built on first use (a million bounding boxes take one core a quarter of a second and
    /// 47 MB, see [`CompactIndex`]); the app builds it off the window's thread after loading.
    pub fn parcel_index(&self) -> &CompactIndex {
        self.parcel_index.get_or_init(|| {
            self.parcels
                .as_ref()
                .map(|p| {
                    CompactIndex::new(
                        p.shapes
                            .iter()
                            .enumerate()
                            .filter_map(|(i, s)| Some((i, s.bbox()?))),
                    )
                })
                .unwrap_or_default()
        })
    }

    /// The parcels' R-tree if it has been built (by [`Dataset::parcel_index`], on any copy):
    /// for the window, which must not wait for it.
    pub fn parcel_index_if_built(&self) -> Option<&CompactIndex> {
        self.parcel_index.get()
    }

    fn assign_all(&self) -> CowVec<Assignment> {
        let Some(parcels) = &self.parcels else {
            return CowVec::new();
        };
        let all: Vec<Assignment> = (0..parcels.len())
            .into_par_iter()
            .with_min_len(1024)
            .map(|i| self.assign(i))
            .collect();
        CowVec::from(all)
    }

    fn assign(&self, i: usize) -> Assignment {
        let Some(parcels) = self.parcels.as_ref().filter(|p| p.is_live(i)) else {
            return Assignment::None;
        };
        if let Some(z) = parcels.items[i]
            .zone_ref
            .as_deref()
            .and_then(|r| self.zone_ids.get(normalize_text(r).as_ref()))
        {
            return Assignment::ByZoneId(*z);
        }
        let Shape::Area { geometry, bbox } = &parcels.shapes[i] else {
            return Assignment::None;
        };
        let candidates: Vec<usize> = self
            .zone_index
            .within(*bbox)
            .filter(|z| self.zones.shapes[*z].geometry().is_some())
            .collect();
        // Usually the parcel lies wholly in one zone: no Boolean operation needed.
        let inside = |z: usize| {
            let zone = self.zones.shapes[z].geometry().expect("filtered");
            geometry
                .0
                .iter()
                .flat_map(|p| p.exterior().0.iter())
                .all(|c| zone.contains(&Point::from(*c)))
        };
        if let Some(z) = candidates.iter().copied().find(|z| inside(*z)) {
            return Assignment::ByGeometry(z);
        }
        // Otherwise the zone it overlaps most (areas in degrees² compare fine this close).
        candidates
            .into_iter()
            .map(|z| {
                let zone = self.zones.shapes[z].geometry().expect("filtered");
                (z, geo::Area::unsigned_area(&geometry.intersection(zone)))
            })
            .filter(|(_, a)| *a > 0.0)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map_or(Assignment::None, |(z, _)| Assignment::ByGeometry(z))
    }

    fn parcels_of(&self, assignment: &CowVec<Assignment>) -> Vec<Arc<Vec<usize>>> {
        let mut by_zone = vec![Vec::new(); self.zones.len()];
        for (p, a) in assignment.iter().enumerate() {
            if let Some(z) = a.zone() {
                by_zone[z].push(p);
            }
        }
        by_zone.into_iter().map(Arc::new).collect()
    }

    /// Per zone, the parcels that count in it, in file order.
    pub fn parcels_by_zone(&self) -> &[Arc<Vec<usize>>] {
        &self.members
    }

    /// Moves parcel `p` to where `assignment` now places it, in the members lists.
    fn place(&mut self, p: usize, before: Option<usize>) {
        let after = self.assignment[p].zone();
        if before == after {
            return;
        }
        if let Some(z) = before
            && let Ok(k) = self.members[z].binary_search(&p)
        {
            Arc::make_mut(&mut self.members[z]).remove(k);
        }
        if let Some(z) = after
            && let Err(k) = self.members[z].binary_search(&p)
        {
            Arc::make_mut(&mut self.members[z]).insert(k, p);
        }
    }

    /// Zone `z`'s coverage by the given parcels that have a usable geometry, and those parcels
    /// (in the coverage's order). `None` when the zone has no usable geometry or there are no
    /// parcels.
    pub fn coverage_of(&self, z: usize, members: &[usize]) -> Option<(ZoneCoverage, Vec<usize>)> {
        let parcels = self.parcels.as_ref()?;
        let usable: Vec<ParcelInZone> = members
            .iter()
            .filter_map(|&p| {
                parcels.shapes[p].geometry().map(|g| ParcelInZone {
                    key: p,
                    geometry: g,
                })
            })
            .collect();
        let keys = usable.iter().map(|u| u.key).collect();
        let (zone, bbox) = self.coverage_zone(z, usable.iter().map(|u| u.geometry))?;
        Some((ZoneCoverage::new(&zone, bbox, &usable), keys))
    }

    /// What zone `z`'s coverage by `lots` is measured against: its geometry and bounding box.
    /// A zone without usable geometry (its lots name it by id) has nothing to clip them to, so
    /// its leased land is its lots' own, each piece once, measured inside a rectangle around
    /// them all. `None` for such a zone without lots.
    fn coverage_zone<'a>(
        &'a self,
        z: usize,
        lots: impl Iterator<Item = &'a MultiPolygon<f64>>,
    ) -> Option<(Cow<'a, MultiPolygon<f64>>, Rect<f64>)> {
        if let Shape::Area { geometry, bbox } = &self.zones.shapes[z] {
            return Some((Cow::Borrowed(geometry), *bbox));
        }
        let bbox = bounds_of(lots.filter_map(|g| g.bounding_rect()))?;
        let pad = 1e-3; // degrees: about 100 m around the lots
        let around = Rect::new(
            Coord {
                x: bbox.min().x - pad,
                y: bbox.min().y - pad,
            },
            Coord {
                x: bbox.max().x + pad,
                y: bbox.max().y + pad,
            },
        );
        Some((Cow::Owned(MultiPolygon(vec![around.to_polygon()])), around))
    }

    /// Land covered in zone `z` by the chosen lots of its coverage as last measured
    /// (`chosen[k]` for the k-th of [`Dataset::coverage_facts`]' lots), ha: summed from how
    /// they sit in it; a group of overlapping lots that only a union can measure is projected
    /// again for it ([`union_inside_m2`]). The same figure, to the last bit, as measuring the
    /// zone again gives. `None` when the zone has no coverage.
    pub fn covered_ha(&self, z: usize, chosen: &[bool]) -> Option<f64> {
        let c = self.notes[z].coverage.as_ref()?;
        let parcels = self.parcels.as_ref()?;
        let lot = |k: usize| parcels.shapes[c.usable[k]].geometry();
        let union = |members: &[usize]| -> f64 {
            let shapes: Vec<&MultiPolygon<f64>> = members.iter().filter_map(|&m| lot(m)).collect();
            let lots = (0..c.usable.len()).filter_map(lot);
            self.coverage_zone(z, lots)
                .map_or(0.0, |(zone, bbox)| union_inside_m2(&zone, bbox, &shapes))
        };
        Some(c.facts.covered_ha(chosen, union))
    }

    /// Measures every zone (in parallel) with its members.
    fn measure_all(&mut self) {
        let results: Vec<(Measured, ZoneNotes)> = (0..self.zones.len())
            .into_par_iter()
            .with_min_len(1)
            .map(|z| self.measure(z, &self.members[z]))
            .collect();
        self.figures = Vec::with_capacity(results.len());
        self.notes = Vec::with_capacity(results.len());
        for (z, (m, notes)) in results.into_iter().enumerate() {
            self.figures.push(ZoneFigures::new(&self.zones.items[z], m));
            self.notes.push(Arc::new(notes));
        }
        for z in 0..self.zones.len() {
            self.fill_parcel_areas(z);
        }
        // Parcels in no zone still have an area.
        for p in 0..self.assignment.len() {
            self.fill_area_outside(p);
        }
    }

    /// The areas of zone `z`'s parcels, as measured with it.
    fn fill_parcel_areas(&mut self, z: usize) {
        let Some(c) = self.notes[z].coverage.clone() else {
            return;
        };
        // Unchanged areas are not written: a copy of the data shares them still.
        for (&p, pl) in c.usable.iter().zip(&c.facts.placements) {
            self.parcel_area_ha.set(p, Some(pl.area_m2 / 1e4));
        }
    }

    /// Zone `z`'s parcels with a usable geometry and how they sit in it, as last measured
    /// (`None` when the zone has no coverage): the land covered by another choice of them is
    /// summed from these ([`CoverageFacts::covered_ha`]).
    pub fn coverage_facts(&self, z: usize) -> Option<(&[usize], &CoverageFacts)> {
        let c = self.notes[z].coverage.as_ref()?;
        Some((&c.usable, &c.facts))
    }

    /// Sums zone `z`'s figures again after a parcel's status, use or id changed while its
    /// members stayed: counted and summed from how they sit in it ([`Dataset::covered_ha`]),
    /// nothing measured but the union of a group of overlapping lots that needs one (a million
    /// lots: a fraction of a millisecond, where measuring the zone takes tens).
    fn resum(&mut self, z: usize) {
        let Some(parcels) = &self.parcels else {
            return;
        };
        let zone = &self.zones.items[z];
        let mut m = self.figures[z].measured.clone();
        (m.parcels_leased, m.parcels_vacant, m.parcels_reserved) = (0, 0, 0);
        count_statuses(
            &mut m,
            self.members[z].iter().map(|p| parcels.items[*p].status),
        );
        let mut notes = ZoneNotes::default();
        if let Some(c) = &self.notes[z].coverage {
            let item = |k: usize| &parcels.items[c.usable[k]];
            let chosen =
                |f: &dyn Fn(usize) -> bool| -> Vec<bool> { (0..c.usable.len()).map(f).collect() };
            let leased = |k: usize| item(k).status == ParcelStatus::Leased;
            let industrial = |k: usize| item(k).land_use == LandUse::Industrial;
            let sum = |chosen: Vec<bool>| self.covered_ha(z, &chosen).unwrap_or(0.0);
            m.leased_ha = sum(chosen(&|k| leased(k) && industrial(k)));
            m.leased_service_ha = sum(chosen(&|k| leased(k) && !industrial(k)));
            m.lots_ha = sum(chosen(&industrial));
            m.lots_service_ha = sum(chosen(&|k| !industrial(k)));
            notes.findings = super::checks::coverage::parcel_findings(
                &zone.id,
                &c.facts,
                &c.usable,
                &parcels.items,
            );
            notes.coverage = Some(c.clone());
        }
        self.figures[z] = ZoneFigures::new(zone, m);
        self.notes[z] = Arc::new(notes);
    }

    /// The area of parcel `p` when it lies in no zone (no zone measured it).
    fn fill_area_outside(&mut self, p: usize) {
        if self.assignment[p].zone().is_none()
            && let Some(g) = self
                .parcels
                .as_ref()
                .and_then(|parcels| parcels.shapes[p].geometry())
        {
            let ha = super::geodesy::local_area_m2(g) / super::geodesy::M2_PER_HA;
            self.parcel_area_ha.set(p, Some(ha));
        }
    }

    /// Re-measures zone `z` (after a parcel's status, use or zone changed).
    fn remeasure(&mut self, z: usize) {
        let (m, notes) = self.measure(z, &self.members[z]);
        self.figures[z] = ZoneFigures::new(&self.zones.items[z], m);
        self.notes[z] = Arc::new(notes);
        self.fill_parcel_areas(z);
    }

    fn measure(&self, z: usize, members: &[usize]) -> (Measured, ZoneNotes) {
        let zone = &self.zones.items[z];
        let mut m = Measured::default();
        let mut notes = ZoneNotes::default();
        m.area_ha = self.zones.shapes[z].geometry().map(zone_area_ha);
        m.leased_unknown = self.parcels.is_none();
        if let Some(parcels) = &self.parcels {
            count_statuses(&mut m, members.iter().map(|p| parcels.items[*p].status));
        }
        let (Some(parcels), Some((cov, usable))) = (&self.parcels, self.coverage_of(z, members))
        else {
            return (m, notes);
        };
        let item = |k: usize| &parcels.items[usable[k]];
        let chosen = |f: &dyn Fn(usize) -> bool| (0..usable.len()).map(f).collect::<Vec<bool>>();
        let leased = |k: usize| item(k).status == ParcelStatus::Leased;
        let industrial = |k: usize| item(k).land_use == LandUse::Industrial;
        m.leased_ha = cov.covered_ha(&chosen(&|k| leased(k) && industrial(k)));
        m.leased_service_ha = cov.covered_ha(&chosen(&|k| leased(k) && !industrial(k)));
        m.lots_ha = cov.covered_ha(&chosen(&industrial));
        m.lots_service_ha = cov.covered_ha(&chosen(&|k| !industrial(k)));

        let facts = cov.into_facts();
        notes.findings =
            super::checks::coverage::parcel_findings(&zone.id, &facts, &usable, &parcels.items);
        notes.coverage = Some(Arc::new(ZoneFacts::new(usable, facts, None)));
        (m, notes)
    }

    /// Sets (`Some`) or removes (`None`) a zone property (by its name in the file, or a
    /// canonical key); figures follow. Returns the value it had before.
    pub fn set_zone_property(
        &mut self,
        z: usize,
        key: &str,
        value: Option<Value>,
    ) -> Option<Value> {
        let before = self.zones.doc.put_property(z, key, value);
        self.reread_zones(&[z]);
        before
    }

    /// Reads zones again after their properties, or their numbers (`#N`), changed.
    pub(super) fn reread_zones(&mut self, zs: &[usize]) {
        let mut ids = Vec::new();
        let mut touched = Vec::new();
        for &z in zs {
            let old_id = self.zones.items[z].id.clone();
            self.zones.reread(z);
            let new_id = &self.zones.items[z].id;
            if *new_id == old_id {
                let m = self.figures[z].measured.clone();
                self.figures[z] = ZoneFigures::new(&self.zones.items[z], m);
            } else {
                ids.push(normalize_text(&old_id).into_owned());
                ids.push(normalize_text(new_id).into_owned());
                touched.push(z);
            }
        }
        if touched.is_empty() {
            return;
        }
        // Parcels name zones by id: those naming an old id or a new one can move (one pass
        // comparing ids, then only they are placed again). The zones' own findings name them.
        self.zone_ids = Arc::new(zone_ids(&self.zones));
        for p in self.parcels_naming(&ids) {
            touched.extend(self.reassign(p));
        }
        self.remeasure_all_of(touched);
    }

    /// Reads lots again after their numbers (`#N`) changed: their zones' findings name them.
    pub(super) fn renumber_lots(&mut self, ps: &[usize]) {
        let Some(parcels) = &mut self.parcels else {
            return;
        };
        let mut zones = Vec::new();
        for &p in ps {
            // Only the id changes: what lots without a status mean stays.
            parcels.reread(p);
            zones.extend(self.assignment[p].zone());
        }
        zones.sort_unstable();
        zones.dedup();
        for z in zones {
            self.resum(z);
        }
    }

    /// Places parcel `p` again (after its zone id, or a zone's id, changed); returns the zones
    /// it left and joined, if it moved.
    fn reassign(&mut self, p: usize) -> Vec<usize> {
        let before = self.assignment[p].zone();
        let now = self.assign(p);
        self.assignment.set(p, now);
        self.place(p, before);
        self.fill_area_outside(p);
        let after = self.assignment[p].zone();
        if before == after {
            Vec::new()
        } else {
            before.into_iter().chain(after).collect()
        }
    }

    /// Re-measures each of these zones once.
    fn remeasure_all_of(&mut self, mut zones: Vec<usize>) {
        zones.sort_unstable();
        zones.dedup();
        for z in zones {
            self.remeasure(z);
        }
    }

    /// Sets (`Some`) or removes (`None`) a parcel property; the figures of the zones it leaves
    /// or joins follow. Returns the value it had before.
    ///
    /// The work is the parcel's own and its zones': reading it again, placing it, and
    /// re-measuring the zones it left or joined when what the measuring reads changed.
    pub fn set_parcel_property(
        &mut self,
        p: usize,
        key: &str,
        value: Option<Value>,
    ) -> Option<Value> {
        let Some(parcels) = &mut self.parcels else {
            return None;
        };
        let before = parcels.doc.put_property(p, key, value);
        let old = &parcels.items[p];
        let old_reading = (old.status, old.land_use, old.id.clone());
        let meaning_changed = parcels.reread(p);
        let new = &parcels.items[p];
        let same_reading = old_reading == (new.status, new.land_use, new.id.clone());
        let old_zone = self.assignment[p].zone();
        let moved = self.reassign(p);
        if meaning_changed {
            // A first status in a file without any (or the last one removed) changes what
            // every lot without one means (DOMAIN.md): all zones are measured again.
            self.measure_all();
            return before;
        }
        // A value the measuring does not read (tenant, capital, dates…) re-measures nothing;
        // a status, a use or an id that leaves the lot in its zone is summed again; a lot
        // that moves re-measures the zones it left and joined.
        if !moved.is_empty() {
            self.remeasure_all_of(moved);
        } else if let (false, Some(z)) = (same_reading, old_zone) {
            self.resum(z);
        }
        before
    }

    /// Parcel `p`'s geometry or presence changed (replaced, inserted at the next position,
    /// deleted or restored); `was_live` says whether it was there before. It is read again,
    /// indexed and placed again, and the zones it left or joined are measured again: the work
    /// is the lot's own and its zones', however many lots there are.
    pub(super) fn parcel_changed(&mut self, p: usize, was_live: bool) {
        let Some(parcels) = &mut self.parcels else {
            return;
        };
        let meaning_changed = parcels.reread_feature(p, was_live);
        let bbox = parcels.shapes[p].bbox();
        if p == self.assignment.len() {
            self.assignment.push(Assignment::None);
            self.parcel_area_ha.push(None);
        }
        // Only an index already built is kept up to date; one built later reads the shapes.
        if let Some(index) = Arc::make_mut(&mut self.parcel_index).get_mut() {
            index.update(p, bbox);
        }
        let old_zone = self.assignment[p].zone();
        self.parcel_area_ha.set(p, None);
        self.reassign(p);
        if meaning_changed {
            self.measure_all();
            return;
        }
        let new_zone = self.assignment[p].zone();
        let mut zones: Vec<usize> = old_zone.into_iter().chain(new_zone).collect();
        zones.dedup();
        for z in zones {
            if !self.update_coverage(z, p) {
                self.remeasure(z);
            }
        }
    }

    /// Zone `z`'s facts and figures after lot `p` changed (its shape, or its coming or going),
    /// the other lots' placements and overlaps kept ([`super::coverage::updated_facts`]): a
    /// lot's edit then costs its own placement and its neighbours', not the zone's thousands.
    /// `false` when they must be measured whole: the zone has no facts yet, or no geometry
    /// (then what its lots are measured against depends on them all), or the lots' R-tree is
    /// not built.
    fn update_coverage(&mut self, z: usize, p: usize) -> bool {
        let (Some(parcels), Some(index)) = (&self.parcels, self.parcel_index.get()) else {
            return false;
        };
        let (Some(c), Shape::Area { geometry, bbox }) =
            (&self.notes[z].coverage, &self.zones.shapes[z])
        else {
            return false;
        };
        let removed = c.usable.binary_search(&p).ok();
        let mut usable = c.usable.clone();
        if let Some(r) = removed {
            usable.remove(r);
        }
        let shape = parcels.shapes[p]
            .geometry()
            .filter(|_| self.assignment[p].zone() == Some(z));
        let added = match shape {
            Some(g) => {
                let j = usable.binary_search(&p).unwrap_or_else(|j| j);
                usable.insert(j, p);
                Some((j, g))
            }
            None => None,
        };
        let frame = c.frame(geometry, *bbox);
        let facts = super::coverage::updated_facts(
            &c.facts,
            &frame,
            removed,
            added,
            |k| {
                parcels.shapes[usable[k]]
                    .geometry()
                    .expect("usable lots have a shape")
            },
            |r| {
                index
                    .within(r)
                    .filter_map(|q| usable.binary_search(&q).ok())
                    .collect()
            },
        );
        self.notes[z] = Arc::new(ZoneNotes {
            findings: Vec::new(),
            coverage: Some(Arc::new(ZoneFacts::new(usable, facts, Some(frame)))),
        });
        self.resum(z);
        self.fill_parcel_areas(z);
        true
    }

    /// Zone `z`'s geometry or presence changed (replaced, inserted at the next position,
    /// deleted or restored); `before` is its id, box and shape before the change, when it was
    /// there. It is read and indexed again; the lots that may have moved in or out are placed
    /// again (those whose box meets the stretches of boundary that changed, when only some
    /// did: a vertex dragged; else its own, those in its old or new box, and those naming its
    /// id); and the zones they left or joined are measured again.
    pub(super) fn zone_changed(&mut self, z: usize, before: Option<ZoneBefore>) {
        self.zones.reread_feature(z);
        if z == self.figures.len() {
            self.figures
                .push(ZoneFigures::new(&self.zones.items[z], Measured::default()));
            self.notes.push(Arc::default());
            self.members.push(Arc::default());
        }
        let bbox = self.zones.shapes[z].bbox();
        self.zone_index.update(z, bbox);
        self.zone_ids = Arc::new(zone_ids(&self.zones));
        let (old_id, old_bbox, old_shape) = match before {
            Some(b) => (Some(b.id), Some(b.bbox), b.shape),
            None => (None, None, None),
        };
        let new_id = self
            .zones
            .is_live(z)
            .then(|| self.zones.items[z].id.clone());
        // A lot whose box meets none of the changed stretches lies in the zone, or not, as it
        // did: its placement cannot change.
        let changed = match (&old_shape, self.zones.shapes[z].geometry()) {
            (Some(old), Some(new)) if old_id == new_id => changed_boxes(old, new),
            _ => None,
        };
        let mut candidates: Vec<usize> = Vec::new();
        if let (Some(boxes), Some(_)) = (&changed, &self.parcels) {
            for b in boxes {
                candidates.extend(self.parcel_index().within(*b));
            }
        } else if self.parcels.is_some() {
            candidates.extend(self.members[z].iter().copied());
            for b in [old_bbox.flatten(), bbox].into_iter().flatten() {
                candidates.extend(self.parcel_index().within(b));
            }
            // Lots that name the zone by id move with its coming and going (one pass
            // comparing ids, as for a changed id).
            if old_id != new_id {
                let ids: Vec<String> = [old_id, new_id]
                    .into_iter()
                    .flatten()
                    .map(|i| normalize_text(&i).into_owned())
                    .collect();
                candidates.extend(self.parcels_naming(&ids));
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut touched = vec![z];
        for p in candidates {
            touched.extend(self.reassign(p));
        }
        if let ([_], Some(boxes)) = (touched.as_slice(), &changed)
            && self.reshaped_coverage(z, old_bbox.flatten(), boxes)
        {
            return;
        }
        self.remeasure_all_of(touched);
    }

    /// Zone `z`'s facts and figures after its boundary changed within `boxes` only, its lots
    /// and its projection staying: the lots by the changed stretches, and those its boundary
    /// clipped, are placed again ([`super::coverage::replaced_placements`]), the rest kept,
    /// and the figures summed again. The same figures, to the last bit, as measuring it
    /// again. `false` when it must be measured whole (no facts yet, another projection, no
    /// lots' R-tree).
    fn reshaped_coverage(
        &mut self,
        z: usize,
        old_bbox: Option<Rect<f64>>,
        boxes: &[Rect<f64>],
    ) -> bool {
        let (Some(parcels), Some(_)) = (&self.parcels, self.parcel_index.get()) else {
            return false;
        };
        let (Some(c), Shape::Area { geometry, bbox }) =
            (&self.notes[z].coverage, &self.zones.shapes[z])
        else {
            return false;
        };
        // Lots away from the edit keep their figures only when measured in the same
        // projection (a box that grew or shrank a little most often keeps it).
        let frame_of = super::geodesy::EqualAreaProjection::for_zone;
        if old_bbox.map(frame_of) != Some(frame_of(*bbox)) {
            return false;
        }
        let near = |r: Rect<f64>| {
            boxes.iter().any(|b| {
                r.min().x <= b.max().x
                    && b.min().x <= r.max().x
                    && r.min().y <= b.max().y
                    && b.min().y <= r.max().y
            })
        };
        let frame = Arc::new(ZoneFrame::new(geometry, *bbox));
        let facts = super::coverage::replaced_placements(&c.facts, &frame, |k| {
            let shape = &parcels.shapes[c.usable[k]];
            (c.facts.placements[k].clipped || shape.bbox().is_some_and(near))
                .then(|| shape.geometry())
                .flatten()
        });
        let usable = c.usable.clone();
        let area_ha = Some(zone_area_ha(geometry));
        self.notes[z] = Arc::new(ZoneNotes {
            findings: Vec::new(),
            coverage: Some(Arc::new(ZoneFacts::new(usable, facts, Some(frame)))),
        });
        let mut m = self.figures[z].measured.clone();
        m.area_ha = area_ha;
        self.figures[z] = ZoneFigures::new(&self.zones.items[z], m);
        self.resum(z);
        true
    }

    /// The lots whose `zone_id` is one of `ids` (normalised).
    fn parcels_naming(&self, ids: &[String]) -> Vec<usize> {
        let Some(parcels) = &self.parcels else {
            return Vec::new();
        };
        parcels
            .items
            .iter()
            .enumerate()
            .filter(|(_, q)| {
                q.zone_ref
                    .as_deref()
                    .is_some_and(|r| ids.iter().any(|id| normalize_text(r) == id.as_str()))
            })
            .map(|(p, _)| p)
            .collect()
    }

    /// Totals over the zones for which `keep` holds, from today's figures
    /// ([`super::table::Table`]).
    pub fn totals(&self, keep: impl Fn(usize) -> bool) -> Totals {
        super::table::Table::today(self).totals(keep)
    }

    /// All zones.
    pub fn totals_all(&self) -> Totals {
        super::table::Table::today(self).totals_all()
    }

    /// Operating zones only.
    pub fn totals_operating(&self) -> Totals {
        super::table::Table::today(self).totals_operating()
    }

    /// Per province, in order of first appearance; zones without a province under "".
    pub fn totals_by_province(&self) -> Vec<(String, Totals)> {
        super::table::Table::today(self).totals_by_province()
    }

    /// Every finding as of a date ([`super::checks::findings`]), with the figures of that
    /// date.
    pub fn findings(&self, on: AsOf) -> Vec<Finding> {
        match on {
            AsOf::Today(_) => super::checks::findings(self, &self.figures, on),
            AsOf::On(d) => super::checks::findings(self, &super::as_of::figures_on(self, d), on),
        }
    }

    /// The findings of the zones' coverage by their parcels (straddling and overlapping
    /// parcels), kept from the measuring.
    pub(crate) fn coverage_findings(&self) -> impl Iterator<Item = &Finding> {
        self.notes.iter().flat_map(|n| n.findings.iter())
    }

    /// The zone a parcel counts in, if any.
    pub fn zone_of(&self, p: usize) -> Option<usize> {
        self.assignment.get(p).and_then(|a| a.zone())
    }

    /// The zone under a point (lon/lat), by exact test.
    pub fn zone_at(&self, c: Coord<f64>) -> Option<usize> {
        let pt = Point::from(c);
        self.zone_index
            .at(c)
            .filter(|z| {
                self.zones.shapes[*z]
                    .geometry()
                    .is_some_and(|g| g.contains(&pt))
            })
            .min()
    }

    /// The parcel under a point (lon/lat), by exact test; the one drawn last (on top) first.
    pub fn parcel_at(&self, c: Coord<f64>) -> Option<usize> {
        let parcels = self.parcels.as_ref()?;
        let pt = Point::from(c);
        self.parcel_index()
            .at(c)
            .filter(|p| {
                parcels.shapes[*p]
                    .geometry()
                    .is_some_and(|g| g.contains(&pt))
            })
            .max()
    }
}

/// Zone positions by the id parcels use to name them, normalised (NFC, `Ð` as `Đ`): a
/// parcel's `zone_id` typed decomposed, or with an eth, still names its zone. The first zone
/// with an id wins.
fn zone_ids(zones: &Zones) -> HashMap<String, usize> {
    let mut ids = HashMap::new();
    for i in zones.live() {
        ids.entry(normalize_text(&zones.items[i].id).into_owned())
            .or_insert(i);
    }
    ids
}

fn count_statuses(m: &mut Measured, statuses: impl Iterator<Item = ParcelStatus>) {
    for s in statuses {
        match s {
            ParcelStatus::Leased => m.parcels_leased += 1,
            ParcelStatus::Vacant => m.parcels_vacant += 1,
            ParcelStatus::Reserved => m.parcels_reserved += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(name: &str, s: &str) -> Document {
        Document::parse(Path::new(name), s.as_bytes().to_vec()).expect("parses")
    }

    #[test]
    fn a_zone_id_typed_decomposed_or_with_an_eth_names_its_zone() {
        // The zone's id composed (NFC, U+0110 Đ); the parcels name it decomposed (NFD: o, U+0302)
        // and with an eth (U+00D0). Far apart: only the id can place them.
        let zones = doc(
            "zones.geojson",
            r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"zone_id":"ĐÔNG-1","name":"KCN Đông"},
             "geometry":{"type":"Polygon","coordinates":[[[106,21],[106.01,21],[106.01,21.01],[106,21.01],[106,21]]]}}]}"#,
        );
        let parcels = doc(
            "parcels.geojson",
            "{\"type\":\"FeatureCollection\",\"features\":[
            {\"type\":\"Feature\",\"properties\":{\"parcel_id\":\"A\",\"zone_id\":\"\u{110}O\u{302}NG-1\"},\"geometry\":null},
            {\"type\":\"Feature\",\"properties\":{\"parcel_id\":\"B\",\"zone_id\":\"\u{d0}\u{d4}NG-1\"},\"geometry\":null},
            {\"type\":\"Feature\",\"properties\":{\"parcel_id\":\"C\",\"zone_id\":\"DONG-1\"},\"geometry\":null}]}",
        );
        let ds = Dataset::new(zones, Some(parcels));
        assert_eq!(ds.assignment[0], Assignment::ByZoneId(0));
        assert_eq!(ds.assignment[1], Assignment::ByZoneId(0));
        // Matching is not folding: another id stays another id.
        assert_eq!(ds.assignment[2], Assignment::None);
        let unknown: Vec<String> = ds
            .findings(AsOf::Today(crate::engine::properties::Date(0)))
            .into_iter()
            .filter(|f| f.code() == crate::engine::findings::Code::UnknownZoneId)
            .map(|f| f.id)
            .collect();
        assert!(unknown.is_empty(), "{unknown:?}");
    }

    #[test]
    fn a_copy_is_independent_and_an_edit_copies_only_what_it_touches() {
        use crate::engine::test_data::{dataset_of, lots, square};
        // 2,500 lots in one zone: three chunks of readings.
        let zones = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"name":"A","industrial_land_ha":100}},"geometry":{}}}]}}"#,
            square(106.0, 21.0, 0.3)
        );
        let props = vec![r#"{"status":"leased"}"#; 2500];
        let original = dataset_of(&zones, &lots(&props, 106.01, 21.01, 0.0001, 0.00005));
        let parcels = |ds: &Dataset| ds.parcels.clone().expect("parcels");
        let mut copy = original.clone();
        let leased = original.figures[0].measured.leased_ha;
        copy.set_parcel_property(1500, "status", Some(Value::from("vacant")));

        // The copy changed; the original reads as it did.
        assert_eq!(parcels(&copy).items[1500].status, ParcelStatus::Vacant);
        assert_eq!(parcels(&original).items[1500].status, ParcelStatus::Leased);
        assert!(copy.figures[0].measured.leased_ha < leased);
        assert_eq!(original.figures[0].measured.leased_ha, leased);
        assert_eq!(
            original
                .parcels
                .as_ref()
                .expect("parcels")
                .doc
                .properties(1500),
            [("status".to_string(), Value::from("leased"))]
        );
        // Only the edited lot's chunk of readings was copied; geometry, areas, placement,
        // the text and the spans are still shared.
        let (a, b) = (parcels(&original), parcels(&copy));
        assert_eq!(b.items.shared_chunks(&a.items), 2);
        assert_eq!(b.shapes.shared_chunks(&a.shapes), 3);
        assert_eq!(
            copy.parcel_area_ha.shared_chunks(&original.parcel_area_ha),
            3
        );
        assert_eq!(copy.assignment.shared_chunks(&original.assignment), 3);
        assert_eq!(a.doc.text.as_ptr(), b.doc.text.as_ptr());
        assert!(Arc::ptr_eq(&a.doc.features, &b.doc.features));
    }

    /// Statuses and uses changed lot by lot are summed again from how the lots sit in their
    /// zones; measuring everything again from scratch gives the same figures, findings and
    /// areas, to the last bit.
    #[test]
    fn figures_summed_again_after_edits_are_those_measured_from_scratch() {
        use crate::engine::as_of::AsOf;
        use crate::engine::test_data::{dataset_of, square};
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_zones");
        let sample = Dataset::open(
            &dir.join("zones.geojson"),
            Some(&dir.join("parcels.geojson")),
        )
        .expect("the sample opens");
        // One zone and three lots: A sticks out of the zone and overlaps B (their union has
        // to be measured), C lies alone.
        let zone = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"name":"Z","industrial_land_ha":50}},"geometry":{}}}]}}"#,
            square(106.0, 21.0, 0.01)
        );
        let lot = |x: f64, y: f64, d: f64| {
            format!(
                r#"{{"type":"Feature","properties":{{"status":"leased"}},"geometry":{}}}"#,
                square(x, y, d)
            )
        };
        let lots = format!(
            r#"{{"type":"FeatureCollection","features":[{},{},{}]}}"#,
            lot(106.009, 21.002, 0.002),
            lot(106.008, 21.002, 0.0015),
            lot(106.002, 21.002, 0.001)
        );
        let straddling = dataset_of(&zone, &lots);
        for mut ds in [sample, straddling] {
            let n = ds.parcels.as_ref().map_or(0, |p| p.len());
            let statuses = ["vacant", "reserved", "leased"];
            for p in (0..n).step_by(3) {
                ds.set_parcel_property(p, "status", Some(Value::from(statuses[p % 3])));
            }
            for p in (1..n).step_by(5) {
                ds.set_parcel_property(p, "land_use", Some(Value::from("service")));
            }
            let mut measured = ds.clone();
            measured.measure_all();
            assert_eq!(ds.figures, measured.figures);
            let date = crate::engine::properties::Date::from_ymd(2026, 1, 1).expect("date");
            let today = AsOf::Today(date);
            assert_eq!(ds.findings(today), measured.findings(today));
            assert_eq!(ds.parcel_area_ha, measured.parcel_area_ha);
        }
    }

    /// A vertex of a zone dragged (its box kept): only the lots by the changed stretch and
    /// those its boundary clips are placed again, yet the figures, findings and areas are
    /// those of measuring everything again, to the last bit; lots that leave or join it too.
    #[test]
    fn a_zone_vertex_dragged_gives_the_figures_measured_from_scratch() {
        use crate::engine::as_of::AsOf;
        use crate::engine::edit::Op;
        use crate::engine::model::LayerKind;
        use crate::engine::test_data::dataset_of;
        // A 64-gon about 1.1 km across, and a grid of 12 × 12 lots of 0.0012° over it: the
        // outer lots straddle the boundary or lie outside it.
        let n = 64;
        let vertex = |k: usize, r: f64| {
            let a = (k % n) as f64 / n as f64 * std::f64::consts::TAU;
            (106.1 + r * a.cos(), 21.1 + r * a.sin())
        };
        let ring = |pts: Vec<(f64, f64)>| {
            let c: Vec<String> = pts.iter().map(|(x, y)| format!("[{x},{y}]")).collect();
            format!(r#"{{"type":"Polygon","coordinates":[[{}]]}}"#, c.join(","))
        };
        let zone_ring: Vec<(f64, f64)> = (0..=n).map(|k| vertex(k, 0.005)).collect();
        let zones = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"zone_id":"Z","industrial_land_ha":60}},"geometry":{}}}]}}"#,
            ring(zone_ring.clone())
        );
        let lots: Vec<String> = (0..144)
            .map(|k| {
                let (x, y) = (
                    106.0928 + (k % 12) as f64 * 0.0012,
                    21.0928 + (k / 12) as f64 * 0.0012,
                );
                let d = 0.0012;
                format!(
                    r#"{{"type":"Feature","properties":{{"parcel_id":"L{k}","status":"{}"}},"geometry":{}}}"#,
                    ["leased", "vacant", "leased", "reserved"][k % 4],
                    ring(vec![(x, y), (x + d, y), (x + d, y + d), (x, y + d), (x, y)])
                )
            })
            .collect();
        let parcels = format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            lots.join(",")
        );
        let mut ds = dataset_of(&zones, &parcels);
        ds.parcel_index();
        let today = AsOf::Today(crate::engine::properties::Date(20_000));
        let mut shape = zone_ring;
        for step in 0..40 {
            // Not the extreme vertices (0, 16, 32, 48): the box stays.
            let k = 1 + (step * 7) % 15 + 16 * (step % 4);
            let r = if step % 3 == 0 { 0.0035 } else { 0.0049 };
            shape[k] = vertex(k, r);
            let op = Op::Geometry {
                layer: LayerKind::Zones,
                feature: 0,
                geometry: Some(ring(shape.clone()).into()),
            };
            ds.apply(&op).expect("applies");
            let mut measured = ds.clone();
            measured.measure_all();
            assert_eq!(ds.figures, measured.figures, "step {step}");
            assert_eq!(ds.findings(today), measured.findings(today), "step {step}");
            assert_eq!(ds.parcel_area_ha, measured.parcel_area_ha, "step {step}");
            assert_eq!(
                ds.coverage_facts(0).map(|(u, f)| (u.to_vec(), f.clone())),
                measured
                    .coverage_facts(0)
                    .map(|(u, f)| (u.to_vec(), f.clone())),
                "step {step}"
            );
        }
    }

    #[test]
    fn a_tenant_edit_measures_nothing_again_and_a_status_edit_does() {
        let zones = doc(
            "zones.geojson",
            r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"zone_id":"Z","industrial_land_ha":100},
             "geometry":{"type":"Polygon","coordinates":[[[106,21],[106.01,21],[106.01,21.01],[106,21.01],[106,21]]]}}]}"#,
        );
        let parcels = doc(
            "parcels.geojson",
            r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"parcel_id":"A","zone_id":"Z","status":"leased","tenant":"C«ng ty"},
             "geometry":{"type":"Polygon","coordinates":[[[106.001,21.001],[106.002,21.001],[106.002,21.002],[106.001,21.002],[106.001,21.001]]]}}]}"#,
        );
        let mut ds = Dataset::new(zones, Some(parcels));
        let leased = ds.figures[0].measured.leased_ha;
        assert!(leased > 0.0);
        ds.set_parcel_property(0, "tenant", Some(Value::from("Công ty")));
        assert_eq!(ds.figures[0].measured.leased_ha, leased);
        assert_eq!(ds.assignment[0], Assignment::ByZoneId(0));
        ds.set_parcel_property(0, "status", Some(Value::from("vacant")));
        assert_eq!(ds.figures[0].measured.leased_ha, 0.0);
        assert_eq!(ds.figures[0].measured.parcels_vacant, 1);
    }
}
