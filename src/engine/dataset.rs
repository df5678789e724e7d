//! A zones file and a parcels file read together: which zone each parcel belongs to, what was
//! measured in each zone, the figures, and the findings. Edits go through here so that every
//! figure follows them.

use geo::{BooleanOps, BoundingRect, Contains, Coord, MultiPolygon, Point, Rect};
use rayon::prelude::*;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use super::as_of::AsOf;
use super::coverage::{ParcelInZone, ZoneCoverage, zone_area_ha};
use super::figures::{Measured, Totals, ZoneFigures};
use super::findings::Finding;
use super::geojson::{Document, LoadError};
use super::index::{SpatialIndex, bounds_of};
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
/// zone so that re-measuring one zone replaces them.
#[derive(Clone, Debug, Default)]
struct ZoneNotes {
    findings: Vec<Finding>,
    /// Per parcel of the zone: its whole area, ha.
    parcel_ha: Vec<(usize, f64)>,
}

/// Both files, read and measured.
#[derive(Clone, Debug)]
pub struct Dataset {
    pub zones: Zones,
    pub parcels: Option<Parcels>,
    pub zone_index: SpatialIndex,
    /// Built on first use ([`Dataset::parcel_index`]): the figures do not need it.
    parcel_index: OnceLock<SpatialIndex>,
    /// Per parcel.
    pub assignment: Vec<Assignment>,
    /// Per zone, its parcels in file order (as `assignment` places them): kept up to date by
    /// edits, so that re-measuring a zone does not look through every parcel.
    members: Vec<Vec<usize>>,
    /// Zone positions by the id parcels use to name them, normalised ([`normalize_text`]);
    /// the first zone with an id wins.
    zone_ids: HashMap<String, usize>,
    /// Per parcel: ellipsoidal area, ha (`None` without usable geometry).
    pub parcel_area_ha: Vec<Option<f64>>,
    /// Per zone.
    pub figures: Vec<ZoneFigures>,
    notes: Vec<ZoneNotes>,
}

impl Dataset {
    /// Opens and measures a zones file and, optionally, a parcels file. The files are mapped
    /// rather than copied into memory ([`Document::open_mapped`]).
    pub fn open(zones: &Path, parcels: Option<&Path>) -> Result<Dataset, LoadError> {
        let clock = Phases::start();
        let (z, p) = rayon::join(
            || Document::open_mapped(zones),
            || parcels.map(Document::open_mapped).transpose(),
        );
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
            notes: vec![ZoneNotes::default(); zones.len()],
            assignment: Vec::new(),
            members: Vec::new(),
            zone_ids: zone_ids(&zones),
            parcel_area_ha: vec![None; parcels.as_ref().map_or(0, |p| p.len())],
            zones,
            parcels,
            zone_index,
            parcel_index: OnceLock::new(),
        };
        clock.lap("zone index");
        ds.assignment = ds.assign_all();
        ds.members = ds.parcels_of(&ds.assignment);
        ds.measure_all();
        clock.lap("parcels to zones, measure");
        ds
    }

    /// The parcels' R-tree, for the map and look-ups. The figures do not need it, so it is
    /// built on first use (a million bounding boxes take one core half a second and 90 MB);
    /// the app asks for it while loading, off the window's thread.
    pub fn parcel_index(&self) -> &SpatialIndex {
        self.parcel_index.get_or_init(|| {
            self.parcels
                .as_ref()
                .map(|p| {
                    SpatialIndex::new(
                        p.shapes
                            .iter()
                            .enumerate()
                            .filter_map(|(i, s)| Some((i, s.bbox()?))),
                    )
                })
                .unwrap_or_default()
        })
    }

    fn assign_all(&self) -> Vec<Assignment> {
        let Some(parcels) = &self.parcels else {
            return Vec::new();
        };
        (0..parcels.len())
            .into_par_iter()
            .with_min_len(1024)
            .map(|i| self.assign(i))
            .collect()
    }

    fn assign(&self, i: usize) -> Assignment {
        let Some(parcels) = &self.parcels else {
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

    fn parcels_of(&self, assignment: &[Assignment]) -> Vec<Vec<usize>> {
        let mut by_zone = vec![Vec::new(); self.zones.len()];
        for (p, a) in assignment.iter().enumerate() {
            if let Some(z) = a.zone() {
                by_zone[z].push(p);
            }
        }
        by_zone
    }

    /// Per zone, the parcels that count in it, in file order.
    pub fn parcels_by_zone(&self) -> &[Vec<usize>] {
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
            self.members[z].remove(k);
        }
        if let Some(z) = after
            && let Err(k) = self.members[z].binary_search(&p)
        {
            self.members[z].insert(k, p);
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
        match &self.zones.shapes[z] {
            Shape::Area { geometry, bbox } => {
                Some((ZoneCoverage::new(geometry, *bbox, &usable), keys))
            }
            _ => {
                // A zone without usable geometry (its lots name it by id): nothing to clip
                // them to, so its leased land is its lots' own, each piece once, measured
                // inside a rectangle around them all.
                let bbox = bounds_of(usable.iter().filter_map(|u| u.geometry.bounding_rect()))?;
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
                let zone = MultiPolygon(vec![around.to_polygon()]);
                Some((ZoneCoverage::new(&zone, around, &usable), keys))
            }
        }
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
            self.notes.push(notes);
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
        for &(p, ha) in &self.notes[z].parcel_ha {
            self.parcel_area_ha[p] = Some(ha);
        }
    }

    /// The area of parcel `p` when it lies in no zone (no zone measured it).
    fn fill_area_outside(&mut self, p: usize) {
        if self.assignment[p].zone().is_none()
            && let Some(g) = self
                .parcels
                .as_ref()
                .and_then(|parcels| parcels.shapes[p].geometry())
        {
            self.parcel_area_ha[p] =
                Some(super::geodesy::local_area_m2(g) / super::geodesy::M2_PER_HA);
        }
    }

    /// Re-measures zone `z` (after a parcel's status, use or zone changed).
    fn remeasure(&mut self, z: usize) {
        let (m, notes) = self.measure(z, &self.members[z]);
        self.figures[z] = ZoneFigures::new(&self.zones.items[z], m);
        self.notes[z] = notes;
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

        for (k, pl) in cov.facts.placements.iter().enumerate() {
            notes.parcel_ha.push((usable[k], pl.area_m2 / 1e4));
        }
        notes.findings =
            super::checks::coverage::parcel_findings(&zone.id, &cov.facts, &usable, &parcels.items);
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
        let old_id = self.zones.items[z].id.clone();
        let before = self.zones.doc.put_property(z, key, value);
        self.zones.reread(z);
        let new_id = self.zones.items[z].id.clone();
        if new_id == old_id {
            let m = self.figures[z].measured.clone();
            self.figures[z] = ZoneFigures::new(&self.zones.items[z], m);
            return before;
        }
        // Parcels name zones by id: those naming the old id or the new one can move (one pass
        // comparing ids, then only they are placed again). The zone's own findings name it.
        self.zone_ids = zone_ids(&self.zones);
        let (old_id, new_id) = (normalize_text(&old_id), normalize_text(&new_id));
        let named: Vec<usize> = self.parcels.as_ref().map_or_else(Vec::new, |parcels| {
            parcels
                .items
                .iter()
                .enumerate()
                .filter(|(_, q)| {
                    q.zone_ref.as_deref().is_some_and(|r| {
                        let r = normalize_text(r);
                        r == old_id || r == new_id
                    })
                })
                .map(|(p, _)| p)
                .collect()
        });
        let mut touched = vec![z];
        for p in named {
            touched.extend(self.reassign(p));
        }
        self.remeasure_all_of(touched);
        before
    }

    /// Places parcel `p` again (after its zone id, or a zone's id, changed); returns the zones
    /// it left and joined, if it moved.
    fn reassign(&mut self, p: usize) -> Vec<usize> {
        let before = self.assignment[p].zone();
        self.assignment[p] = self.assign(p);
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
        // A value the measuring does not read (tenant, capital, dates…) re-measures nothing.
        let touched = if same_reading {
            moved
        } else {
            old_zone.into_iter().chain(moved).collect()
        };
        self.remeasure_all_of(touched);
        before
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
    for (i, z) in zones.items.iter().enumerate() {
        ids.entry(normalize_text(&z.id).into_owned()).or_insert(i);
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
