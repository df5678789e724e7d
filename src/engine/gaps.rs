//! Gaps left between lots that shared an edge (issue 11): when a lot's shape is replaced —
//! a corner it shared with its neighbour moved in this lot only (topological editing off), a
//! reshape, one part of a split not yet inserted — the land it gave up along the stretch of
//! edge it shared with a neighbour, and that no lot covers now, is a gap. It is kept as a fact
//! of the data ([`GapFact`]), reported by [`super::checks::gaps`], and looked at again
//! whenever a lot near it changes: the edit's undo (the old shape given back) covers the land
//! again and the fact is dropped; a lot drawn over it, or the neighbour moved up to it, too;
//! and so when the neighbour's boundary no longer runs along that stretch (the shared corner
//! moved in both lots: what they gave up is then outside both, the block's outline changed,
//! not land between them). A piece of land that borders several neighbours is one gap, with
//! the neighbour it runs along the longest; a gap whose lot or neighbour is deleted is kept
//! but not reported, so that undoing the deletion brings it back.
//!
//! A gap is history: the file records shapes, not which lots shared an edge before an edit,
//! so a file read afresh has no gap facts. They last as long as the data in memory (the app's
//! session, one `zoneatlas apply`); restoring unsaved edits after a crash replays the edits,
//! which finds them again.
//!
//! The work is the edited lot's and its neighbours' (found in the lots' R-tree): one Boolean
//! difference (old shape minus new), its neighbours' edges compared with the old shape's, and
//! the given-up land clipped by the lots over it; each fact is looked at again only when a lot
//! whose box meets it changes. No pass over all lots.

use geo::{BooleanOps, BoundingRect, Coord, MultiPolygon, Polygon, Rect};
use std::sync::Arc;

use super::dataset::Dataset;
use super::geodesy::geodesic_area_m2;
use super::shape_edit::degrees_covering;

/// Gaps smaller than this (m²) are not reported: 0.01 m² is a sliver 0.1 mm wide along a
/// 100 m edge, the rounding of Boolean operations and of coordinates written to 7 decimals
/// (1 cm), not land anyone left. A vertex moved by a centimetre along a 20 m lot edge leaves
/// 0.1 m², which is reported.
pub const MIN_GAP_M2: f64 = 0.01;

/// How far (m) an edge's ends may lie off another's line and the two still run together.
/// Lots in a block share their edges' coordinates exactly; a corner put on a neighbour's edge
/// by an edge snap lies on the edge's geodesic, off the straight line in degrees by under a
/// millimetre on a 300 m edge (8 mm on 1 km).
pub const SHARED_EDGE_TOLERANCE_M: f64 = 0.01;

/// The shortest stretch (m) two edges must run together to count as a shared edge: lots
/// meeting at a corner, or at a point of collinear edges, share no edge.
pub const MIN_SHARED_EDGE_M: f64 = 0.05;

/// A gap left between two lots: `lot` gave up `region` (land that bordered `other`, along an
/// edge the two shared, and that no lot covered when the gap was found). `area_m2` and `at`
/// are of the part of it that no lot covers now.
#[derive(Clone, Debug, PartialEq)]
pub struct GapFact {
    /// The lot that gave the land up (its position in the parcels file, from 0).
    pub lot: usize,
    /// The neighbour it shared the edge with (from 0).
    pub other: usize,
    pub region: MultiPolygon<f64>,
    /// The stretch of `other`'s boundary that the lot shared before: the gap is the land
    /// along it, where `other` still runs.
    pub along: Vec<Segment>,
    /// Geodesic area of the part of `region` in no lot now, m².
    pub area_m2: f64,
    /// A point inside that part (longitude, latitude).
    pub at: Coord<f64>,
}

/// Metres in a degree of longitude and of latitude at latitude `lat` (WGS84; the usual
/// series, to a few centimetres per degree: far finer than the tolerances above need).
fn metres_per_degree(lat: f64) -> (f64, f64) {
    let p = lat.to_radians();
    let lon = 111_412.84 * p.cos() - 93.5 * (3.0 * p).cos() + 0.118 * (5.0 * p).cos();
    let lat = 111_132.954 - 559.822 * (2.0 * p).cos() + 1.175 * (4.0 * p).cos();
    (lon, lat)
}

/// A segment, in longitude/latitude.
pub type Segment = (Coord<f64>, Coord<f64>);

/// Where segments a and b run together, as the interval (m, from the longer's start) of the
/// longer one: the shorter's ends within [`SHARED_EDGE_TOLERANCE_M`] of the longer's line,
/// their projections on it overlapping by [`MIN_SHARED_EDGE_M`] or more. In metres.
fn run_together(a: Segment, b: Segment) -> Option<(bool, f64, f64, f64)> {
    let len = |s: Segment| (s.1.x - s.0.x).hypot(s.1.y - s.0.y);
    let a_longer = len(a) >= len(b);
    let (long, short) = if a_longer { (a, b) } else { (b, a) };
    let l = len(long);
    if l.is_nan() || l < MIN_SHARED_EDGE_M {
        return None;
    }
    let (dx, dy) = ((long.1.x - long.0.x) / l, (long.1.y - long.0.y) / l);
    let off = |v: Coord<f64>| ((v.x - long.0.x) * dy - (v.y - long.0.y) * dx).abs();
    if !(off(short.0) <= SHARED_EDGE_TOLERANCE_M && off(short.1) <= SHARED_EDGE_TOLERANCE_M) {
        return None;
    }
    let t = |v: Coord<f64>| (v.x - long.0.x) * dx + (v.y - long.0.y) * dy;
    let (t0, t1) = (t(short.0), t(short.1));
    let (lo, hi) = (t0.min(t1).max(0.0), t0.max(t1).min(l));
    (hi - lo >= MIN_SHARED_EDGE_M).then_some((a_longer, lo, hi, l))
}

fn meets(a: Rect<f64>, b: Rect<f64>) -> bool {
    a.min().x <= b.max().x
        && b.min().x <= a.max().x
        && a.min().y <= b.max().y
        && b.min().y <= a.max().y
}

/// `r` grown by `pad` on every side.
fn padded(r: Rect<f64>, pad: f64) -> Rect<f64> {
    Rect::new(
        Coord {
            x: r.min().x - pad,
            y: r.min().y - pad,
        },
        Coord {
            x: r.max().x + pad,
            y: r.max().y + pad,
        },
    )
}

/// The edges of a shape.
fn edges(shape: &MultiPolygon<f64>) -> Vec<Segment> {
    let mut out = Vec::new();
    for p in &shape.0 {
        for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
            for w in ring.0.windows(2) {
                if w[0] != w[1] {
                    out.push((w[0], w[1]));
                }
            }
        }
    }
    out
}

fn bounds(segments: &[Segment]) -> Option<Rect<f64>> {
    segments
        .iter()
        .map(|&(a, b)| Rect::new(a, b))
        .reduce(|r, s| {
            Rect::new(
                Coord {
                    x: r.min().x.min(s.min().x),
                    y: r.min().y.min(s.min().y),
                },
                Coord {
                    x: r.max().x.max(s.max().x),
                    y: r.max().y.max(s.max().y),
                },
            )
        })
}

/// The stretches where segments of `a` and of `b` run together (collinear within
/// [`SHARED_EDGE_TOLERANCE_M`], over [`MIN_SHARED_EDGE_M`] or more), as segments in
/// longitude/latitude, whatever the vertices: a corner of one in the middle of the other's
/// edge still shares the stretch. With `first`, the first found only. Only segments near the
/// other side's box are compared.
fn stretches(a: &[Segment], b: &[Segment], first: bool) -> Vec<Segment> {
    let (Some(ra), Some(rb)) = (bounds(a), bounds(b)) else {
        return Vec::new();
    };
    let origin = ra.min();
    let (kx, ky) = metres_per_degree(ra.center().y);
    let pad = degrees_covering(SHARED_EDGE_TOLERANCE_M, ra.center().y);
    let m = |c: Coord<f64>| Coord {
        x: (c.x - origin.x) * kx,
        y: (c.y - origin.y) * ky,
    };
    let near = |s: &[Segment], r: Rect<f64>| -> Vec<Segment> {
        let r = padded(r, pad);
        s.iter()
            .copied()
            .filter(|&(p, q)| meets(Rect::new(p, q), r))
            .collect()
    };
    let eb: Vec<(Segment, Segment)> = near(b, ra)
        .into_iter()
        .map(|(p, q)| ((p, q), (m(p), m(q))))
        .collect();
    let mut out = Vec::new();
    for (p, q) in near(a, rb) {
        let sa = (m(p), m(q));
        for &(db, sb) in &eb {
            let Some((a_longer, lo, hi, l)) = run_together(sa, sb) else {
                continue;
            };
            let (s, e) = if a_longer { (p, q) } else { db };
            let at = |t: f64| Coord {
                x: s.x + (e.x - s.x) * (t / l),
                y: s.y + (e.y - s.y) * (t / l),
            };
            out.push((at(lo), at(hi)));
            if first {
                return out;
            }
        }
    }
    out
}

/// Whether the boundaries of two shapes run together along a stretch of edge (collinear
/// within [`SHARED_EDGE_TOLERANCE_M`], over [`MIN_SHARED_EDGE_M`] or more), whatever their
/// vertices: a corner of one in the middle of the other's edge still shares it. Shapes that
/// meet at a point share no edge. Only edges near the other shape are compared.
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use zoneatlas::engine::gaps::share_an_edge;
/// let lot = |x: f64, y: f64| MultiPolygon(vec![polygon![
///     (x: x, y: y), (x: x + 0.001, y: y), (x: x + 0.001, y: y + 0.001), (x: x, y: y + 0.001)
/// ]]);
/// assert!(share_an_edge(&lot(106.0, 21.0), &lot(106.001, 21.0)));
/// // Half an edge along: still a shared stretch.
/// assert!(share_an_edge(&lot(106.0, 21.0), &lot(106.001, 21.0005)));
/// // Only a corner in common.
/// assert!(!share_an_edge(&lot(106.0, 21.0), &lot(106.001, 21.001)));
/// ```
pub fn share_an_edge(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> bool {
    !stretches(&edges(a), &edges(b), true).is_empty()
}

/// What of `region` no shape of `over` covers.
fn uncovered<'a>(
    region: &MultiPolygon<f64>,
    over: impl IntoIterator<Item = &'a MultiPolygon<f64>>,
) -> MultiPolygon<f64> {
    let mut left = region.clone();
    for shape in over {
        if left.0.is_empty() {
            break;
        }
        left = left.difference(shape);
    }
    left
}

/// The length of segments, m (near enough for comparing them).
fn length_m(segments: &[Segment]) -> f64 {
    segments
        .iter()
        .map(|&(a, b)| {
            let (kx, ky) = metres_per_degree((a.y + b.y) / 2.0);
            ((b.x - a.x) * kx).hypot((b.y - a.y) * ky)
        })
        .sum()
}

/// The polygons of `land` with an edge along `stretch`.
fn bordering(land: MultiPolygon<f64>, stretch: &[Segment]) -> MultiPolygon<f64> {
    MultiPolygon(
        land.0
            .into_iter()
            .filter(|g| {
                !stretches(&edges(&MultiPolygon(vec![g.clone()])), stretch, true).is_empty()
            })
            .collect(),
    )
}

/// The geodesic area of `left` and a point inside it; `None` below [`MIN_GAP_M2`].
fn measured(left: &MultiPolygon<f64>) -> Option<(f64, Coord<f64>)> {
    let area = geodesic_area_m2(left);
    if area.is_nan() || area < MIN_GAP_M2 {
        return None;
    }
    let at = super::geometry::inside_point_of(left)?;
    Some((area, at))
}

impl Dataset {
    /// The gaps left between lots by the edits made (see the module's documentation), those
    /// whose lots were deleted included (they are reported again if the lot is restored).
    pub fn gap_facts(&self) -> &[GapFact] {
        &self.gaps
    }

    /// Lot `p`'s usable shape and box before an edit, for [`Dataset::lot_changed_gaps`].
    pub(super) fn lot_before(&self, p: usize) -> (Option<MultiPolygon<f64>>, Option<Rect<f64>>) {
        let shape = self.parcels.as_ref().and_then(|ps| ps.shapes.get(p));
        (
            shape.and_then(|s| s.geometry().cloned()),
            shape.and_then(|s| s.bbox()),
        )
    }

    /// What of `region` no lot covers now (lots found in the R-tree by its box).
    fn uncovered_by_lots(&self, region: &MultiPolygon<f64>) -> MultiPolygon<f64> {
        let (Some(parcels), Some(bbox)) = (&self.parcels, region.bounding_rect()) else {
            return region.clone();
        };
        let mut near: Vec<usize> = self.parcel_index().within(bbox).collect();
        near.sort_unstable();
        near.dedup();
        uncovered(
            region,
            near.iter().filter_map(|&q| parcels.shapes[q].geometry()),
        )
    }

    /// After lot `p` changed (its shape replaced, or it was inserted, deleted or restored;
    /// `old` its usable shape before a replacement, `None` otherwise; `old_bbox` its box
    /// before): the gaps near it are looked at again, and the land a replaced shape gave up
    /// along a neighbour it shared an edge with, in no lot now, becomes a gap.
    pub(super) fn lot_changed_gaps(
        &mut self,
        p: usize,
        old: Option<MultiPolygon<f64>>,
        old_bbox: Option<Rect<f64>>,
    ) {
        let Some(parcels) = &self.parcels else {
            return;
        };
        let new_bbox = parcels.shapes.get(p).and_then(|s| s.bbox());
        self.recheck_gaps(p, [old_bbox, new_bbox]);
        if let Some(old) = old {
            self.find_gaps(p, &old);
        }
    }

    /// The part of `region` that no lot covers now and that runs along the part of
    /// `along` where lot `other`'s boundary still runs (all of `along` while `other` has no
    /// shape: deleted, or unusable), its area and a point in it; `None` below
    /// [`MIN_GAP_M2`]. When the neighbour's corner moved with the lot's, the land the two
    /// gave up is outside both, not between them: not a gap.
    fn measure_gap(
        &self,
        other: usize,
        region: &MultiPolygon<f64>,
        along: &[Segment],
    ) -> Option<(f64, Coord<f64>)> {
        let left = self.uncovered_by_lots(region);
        let other = self
            .parcels
            .as_ref()
            .and_then(|ps| ps.shapes.get(other))
            .and_then(|s| s.geometry());
        let still = match other {
            Some(shape) => stretches(along, &edges(shape), false),
            None => along.to_vec(),
        };
        measured(&bordering(left, &still))
    }

    /// The gaps that name lot `p`, or whose land meets one of `boxes`, measured again: those
    /// no longer leaving [`MIN_GAP_M2`] uncovered along their neighbour are dropped (the
    /// neighbour's corner moved too, so that the land is now outside both rather than
    /// between them; or a lot covers it).
    fn recheck_gaps(&mut self, p: usize, boxes: [Option<Rect<f64>>; 2]) {
        if self.gaps.is_empty() {
            return;
        }
        let near = |f: &GapFact| {
            f.lot == p
                || f.other == p
                || f.region
                    .bounding_rect()
                    .is_some_and(|r| boxes.iter().flatten().any(|b| meets(*b, r)))
        };
        let mut kept = Vec::with_capacity(self.gaps.len());
        let mut changed = false;
        for f in self.gaps.iter() {
            if !near(f) {
                kept.push(f.clone());
                continue;
            }
            match self.measure_gap(f.other, &f.region, &f.along) {
                Some((area_m2, at)) => {
                    changed |= area_m2 != f.area_m2 || at != f.at;
                    kept.push(GapFact {
                        area_m2,
                        at,
                        ..f.clone()
                    });
                }
                None => changed = true,
            }
        }
        if changed {
            self.gaps = Arc::new(kept);
        }
    }

    /// The land lot `p` gave up (its `old` shape minus its shape now) that borders a
    /// neighbour `old` shared an edge with and that no lot covers: a gap with that neighbour
    /// (added to the gap the two already have, if any).
    fn find_gaps(&mut self, p: usize, old: &MultiPolygon<f64>) {
        let Some(parcels) = &self.parcels else {
            return;
        };
        let Some(new) = parcels.shapes.get(p).and_then(|s| s.geometry()) else {
            // No usable shape now: its geometry's own finding says what is wrong.
            return;
        };
        let Some(old_bbox) = old.bounding_rect() else {
            return;
        };
        if old == new {
            return;
        }
        let given_up = old.difference(new);
        let given_m2 = geodesic_area_m2(&given_up);
        if given_m2.is_nan() || given_m2 < MIN_GAP_M2 {
            return;
        }
        let pad = degrees_covering(SHARED_EDGE_TOLERANCE_M, old_bbox.center().y);
        let mut neighbours: Vec<usize> = self
            .parcel_index()
            .within(padded(old_bbox, pad))
            .filter(|&q| q != p)
            .collect();
        neighbours.sort_unstable();
        neighbours.dedup();
        let old_edges = edges(old);
        let shared: Vec<(usize, Vec<Segment>)> = neighbours
            .into_iter()
            .filter_map(|q| {
                let theirs = parcels.shapes[q].geometry()?;
                let along = stretches(&old_edges, &edges(theirs), false);
                if along.is_empty() {
                    return None;
                }
                // Lots that overlapped did not share an edge: their sides may run together
                // (one lot's edge along the other's, on the same side), with land between
                // nobody's.
                let overlap = geodesic_area_m2(&old.intersection(theirs));
                (overlap < MIN_GAP_M2).then_some((q, along))
            })
            .collect();
        if shared.is_empty() {
            return;
        }
        let left = self.uncovered_by_lots(&given_up);
        // Each piece of land counts once: with the neighbour it runs along the longest (a
        // corner pulled in borders the lots on two sides; its gap is reported once).
        let mut pieces: Vec<Vec<Polygon<f64>>> = vec![Vec::new(); shared.len()];
        for g in left.0 {
            let sides = edges(&MultiPolygon(vec![g.clone()]));
            let longest = shared
                .iter()
                .enumerate()
                .map(|(k, (_, along))| (k, length_m(&stretches(&sides, along, false))))
                .filter(|(_, l)| *l > 0.0)
                .max_by(|a, b| a.1.total_cmp(&b.1));
            if let Some((k, _)) = longest {
                pieces[k].push(g);
            }
        }
        let mut found: Vec<GapFact> = Vec::new();
        for ((q, along), piece) in shared.into_iter().zip(pieces) {
            let region = MultiPolygon(piece);
            if let Some((area_m2, at)) = measured(&region) {
                found.push(GapFact {
                    lot: p,
                    other: q,
                    region,
                    along,
                    area_m2,
                    at,
                });
            }
        }
        if found.is_empty() {
            return;
        }
        let mut gaps = self.gaps.as_ref().clone();
        for f in found {
            // One gap per lot and neighbour: land the lot gives up later along the same
            // neighbour adds to it.
            match gaps
                .iter()
                .position(|g| (g.lot, g.other) == (f.lot, f.other))
            {
                Some(k) => {
                    let region = gaps[k].region.union(&f.region);
                    let along = [gaps[k].along.as_slice(), f.along.as_slice()].concat();
                    let (area_m2, at) = self
                        .measure_gap(f.other, &region, &along)
                        .unwrap_or((f.area_m2, f.at));
                    gaps[k] = GapFact {
                        region,
                        along,
                        area_m2,
                        at,
                        ..gaps[k].clone()
                    };
                }
                None => gaps.push(f),
            }
        }
        gaps.sort_by_key(|g| (g.lot, g.other));
        self.gaps = Arc::new(gaps);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::as_of::AsOf;
    use crate::engine::edit::Op;
    use crate::engine::findings::{Code, Finding, FindingKind, Severity};
    use crate::engine::model::LayerKind;
    use crate::engine::properties::Date;
    use crate::engine::shape_edit::{VertexRef, move_shared_vertex, move_vertex};
    use crate::engine::test_data::{dataset_of, square};
    use geo::{Contains, GeodesicArea, LineString, Point, Polygon, coord};

    /// One zone, and lots W and E of 0.001° (about 104 m × 111 m) sharing the edge
    /// x = 106.003 from y = 21.002 to 21.003.
    fn two_lots() -> Dataset {
        let zones = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"zone_id":"Z","industrial_land_ha":100}},"geometry":{}}}]}}"#,
            square(106.0, 21.0, 0.01)
        );
        let parcels = format!(
            r#"{{"type":"FeatureCollection","features":[
{{"type":"Feature","properties":{{"parcel_id":"W","status":"leased"}},"geometry":{}}},
{{"type":"Feature","properties":{{"parcel_id":"E","status":"vacant"}},"geometry":{}}}]}}"#,
            square(106.002, 21.002, 0.001),
            square(106.003, 21.002, 0.001)
        );
        let ds = dataset_of(&zones, &parcels);
        ds.parcel_index();
        ds
    }

    fn shape(ds: &Dataset, p: usize) -> MultiPolygon<f64> {
        ds.parcels.as_ref().expect("parcels").shapes[p]
            .geometry()
            .expect("a shape")
            .clone()
    }

    /// A shape as GeoJSON text, every coordinate to the bit (Rust writes the shortest text
    /// that reads back to the same number).
    fn text(mp: &MultiPolygon<f64>) -> Arc<str> {
        let polygons: Vec<String> =
            mp.0.iter()
                .map(|p| {
                    let rings: Vec<String> = std::iter::once(p.exterior())
                        .chain(p.interiors())
                        .map(|r| {
                            let c: Vec<String> =
                                r.0.iter().map(|c| format!("[{},{}]", c.x, c.y)).collect();
                            format!("[{}]", c.join(","))
                        })
                        .collect();
                    format!("[{}]", rings.join(","))
                })
                .collect();
        format!(
            r#"{{"type":"MultiPolygon","coordinates":[{}]}}"#,
            polygons.join(",")
        )
        .into()
    }

    fn reshape(ds: &mut Dataset, p: usize, to: &MultiPolygon<f64>) -> Op {
        ds.apply(&Op::Geometry {
            layer: LayerKind::Parcels,
            feature: p,
            geometry: Some(text(to)),
        })
        .expect("applies")
    }

    fn gaps(ds: &Dataset) -> Vec<Finding> {
        ds.findings(AsOf::Today(Date::from_ymd(2026, 1, 1).expect("a date")))
            .into_iter()
            .filter(|f| f.code() == Code::GapBetweenLots)
            .collect()
    }

    /// W's north-east corner, which E shares as its north-west one.
    const CORNER: VertexRef = VertexRef {
        polygon: 0,
        ring: 0,
        vertex: 2,
    };

    fn triangle() -> Polygon<f64> {
        Polygon::new(
            LineString::from(vec![
                (106.003, 21.002),
                (106.003, 21.003),
                (106.0028, 21.003),
                (106.003, 21.002),
            ]),
            vec![],
        )
    }

    #[test]
    fn a_corner_moved_in_one_lot_only_leaves_a_gap_that_undo_closes() {
        let mut ds = two_lots();
        assert!(gaps(&ds).is_empty());
        // W's corner pulled 0.0002° west, E's left where it was: W gives up the triangle
        // (106.003, 21.002), (106.003, 21.003), (106.0028, 21.003), along E's edge.
        let moved =
            move_vertex(&shape(&ds, 0), CORNER, coord! { x: 106.0028, y: 21.003 }).expect("moves");
        let undo = reshape(&mut ds, 0, &moved);
        let found = gaps(&ds);
        assert_eq!(found.len(), 1, "{found:?}");
        let FindingKind::GapBetweenLots {
            other,
            other_id,
            gap_m2,
            x,
            y,
        } = &found[0].kind
        else {
            panic!("{found:?}")
        };
        assert_eq!((found[0].feature, found[0].id.as_str()), (1, "W"));
        assert_eq!((*other, other_id.as_str()), (2, "E"));
        assert_eq!(found[0].severity(), Severity::Error);
        // By hand: half of 0.0002° × 0.001°, at 21.0025° N 103,968.6 m a degree of longitude
        // and 110,717.1 m of latitude: 1,151.11 m². Karney's area of the hand-built
        // triangle agrees to 1e-6.
        let geodesic = triangle().geodesic_area_unsigned();
        assert!((gap_m2 - 1151.11).abs() < 0.5, "{gap_m2}");
        assert!(
            (gap_m2 - geodesic).abs() < 1e-6 * geodesic,
            "{gap_m2} vs {geodesic}"
        );
        assert!(triangle().contains(&Point::new(*x, *y)), "({x}, {y})");

        // Undone: W covers the triangle again.
        let redo = ds.apply(&undo).expect("undoes");
        assert!(gaps(&ds).is_empty());
        assert!(ds.gap_facts().is_empty());
        // Redone: the gap again, once.
        ds.apply(&redo).expect("redoes");
        assert_eq!(gaps(&ds).len(), 1);
        assert_eq!(ds.gap_facts().len(), 1);
    }

    /// Topological editing moves the corner in both lots, one operation each (one edit):
    /// between the two the gap is there (W moved, E not yet), after both it is not; undone,
    /// none either.
    #[test]
    fn a_corner_moved_in_both_lots_leaves_none() {
        let mut ds = two_lots();
        let to = coord! { x: 106.0028, y: 21.003 };
        let moved = move_shared_vertex(
            &[shape(&ds, 0), shape(&ds, 1)],
            coord! { x: 106.003, y: 21.003 },
            to,
        )
        .expect("moves");
        assert_eq!(moved.len(), 2);
        let mut undo = Vec::new();
        undo.push(reshape(&mut ds, moved[0].shape, &moved[0].result));
        assert_eq!(gaps(&ds).len(), 1);
        undo.push(reshape(&mut ds, moved[1].shape, &moved[1].result));
        assert!(gaps(&ds).is_empty(), "{:?}", gaps(&ds));
        assert!(ds.gap_facts().is_empty());
        // Undone as the app undoes one edit: its operations' inverses, the last first. In
        // between, E is back and W not yet: E gave the triangle up along W's moved edge.
        ds.apply(&undo[1]).expect("undoes E");
        assert_eq!(gaps(&ds).len(), 1);
        ds.apply(&undo[0]).expect("undoes W");
        assert!(gaps(&ds).is_empty(), "{:?}", gaps(&ds));
        assert!(ds.gap_facts().is_empty());
    }

    #[test]
    fn slivers_below_the_threshold_and_sides_without_a_neighbour_are_no_gaps() {
        let mut ds = two_lots();
        // 1e-10° west: a triangle of about 0.0006 m².
        let sliver = move_vertex(
            &shape(&ds, 0),
            CORNER,
            coord! { x: 106.003 - 1e-10, y: 21.003 },
        )
        .expect("moves");
        reshape(&mut ds, 0, &sliver);
        assert!(gaps(&ds).is_empty());
        // 1e-8°: about 0.06 m², reported.
        let mut ds = two_lots();
        let thin = move_vertex(
            &shape(&ds, 0),
            CORNER,
            coord! { x: 106.003 - 1e-8, y: 21.003 },
        )
        .expect("moves");
        reshape(&mut ds, 0, &thin);
        let found = gaps(&ds);
        assert_eq!(found.len(), 1);
        let FindingKind::GapBetweenLots { gap_m2, .. } = found[0].kind else {
            panic!()
        };
        assert!((gap_m2 - 1151.11 * 1e-8 / 2e-4).abs() < 1e-3, "{gap_m2}");
        // W's west side pulled in: the land it gives up borders no lot.
        let mut ds = two_lots();
        let west = VertexRef {
            vertex: 0,
            ..CORNER
        };
        let smaller =
            move_vertex(&shape(&ds, 0), west, coord! { x: 106.0025, y: 21.002 }).expect("moves");
        reshape(&mut ds, 0, &smaller);
        assert!(gaps(&ds).is_empty());
    }

    /// A gap is not reported while either lot is deleted, and is again when it is restored;
    /// a lot drawn over it, or the part of a split inserted, closes it.
    #[test]
    fn deleted_restored_and_covered() {
        let mut ds = two_lots();
        let moved =
            move_vertex(&shape(&ds, 0), CORNER, coord! { x: 106.0028, y: 21.003 }).expect("moves");
        reshape(&mut ds, 0, &moved);
        assert_eq!(gaps(&ds).len(), 1);
        for p in [0, 1] {
            let restore = ds
                .apply(&Op::Delete {
                    layer: LayerKind::Parcels,
                    feature: p,
                })
                .expect("deletes");
            assert!(gaps(&ds).is_empty());
            ds.apply(&restore).expect("restores");
            assert_eq!(gaps(&ds).len(), 1);
        }
        // A lot drawn over the triangle.
        let insert = format!(
            r#"{{"type":"Feature","properties":{{"parcel_id":"T"}},"geometry":{}}}"#,
            text(&MultiPolygon(vec![triangle()]))
        );
        let undo = ds
            .apply(&Op::Insert {
                layer: LayerKind::Parcels,
                feature: insert.into(),
            })
            .expect("inserts");
        assert!(gaps(&ds).is_empty());
        assert!(ds.gap_facts().is_empty());
        ds.apply(&undo).expect("deletes it");

        // A split made as two operations: W becomes its west half, then its east half is
        // inserted. Between the two, the east half is a gap along E; after, none.
        let mut ds = two_lots();
        let half = |x: f64| {
            format!(
                r#"{{"type":"Polygon","coordinates":[[[{x},21.002],[{x2},21.002],[{x2},21.003],[{x},21.003],[{x},21.002]]]}}"#,
                x2 = x + 0.0005
            )
        };
        reshape(&mut ds, 0, &parse(&half(106.002)));
        let found = gaps(&ds);
        assert_eq!(found.len(), 1);
        let FindingKind::GapBetweenLots { gap_m2, .. } = found[0].kind else {
            panic!()
        };
        let east = parse(&half(106.0025)).geodesic_area_unsigned();
        assert!((gap_m2 - east).abs() < 1e-6 * east, "{gap_m2} vs {east}");
        ds.apply(&Op::Insert {
            layer: LayerKind::Parcels,
            feature: format!(
                r#"{{"type":"Feature","properties":{{"parcel_id":"W-B"}},"geometry":{}}}"#,
                half(106.0025)
            )
            .into(),
        })
        .expect("inserts");
        assert!(gaps(&ds).is_empty());
    }

    fn parse(geometry: &str) -> MultiPolygon<f64> {
        crate::engine::geometry::parse_geometry(Some(geometry)).expect("a shape")
    }

    /// A corner four lots share pulled into one of them: the land it gives up borders two
    /// neighbours; one gap, with the one it runs along the longest (SE: a degree of latitude
    /// is longer than one of longitude).
    #[test]
    fn a_corner_pulled_in_is_one_gap() {
        let zones = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"zone_id":"Z"}},"geometry":{}}}]}}"#,
            square(106.0, 21.0, 0.01)
        );
        let lot = |id: &str, x: f64, y: f64| {
            format!(
                r#"{{"type":"Feature","properties":{{"parcel_id":"{id}"}},"geometry":{}}}"#,
                square(x, y, 0.001)
            )
        };
        let parcels = format!(
            r#"{{"type":"FeatureCollection","features":[{},{},{},{}]}}"#,
            lot("SW", 106.002, 21.002),
            lot("SE", 106.003, 21.002),
            lot("NW", 106.002, 21.003),
            lot("NE", 106.003, 21.003)
        );
        let mut ds = dataset_of(&zones, &parcels);
        ds.parcel_index();
        let to = coord! { x: 106.00275, y: 21.00275 };
        let moved = move_vertex(&shape(&ds, 0), CORNER, to).expect("moves");
        reshape(&mut ds, 0, &moved);
        let found = gaps(&ds);
        assert_eq!(found.len(), 1, "{found:?}");
        let FindingKind::GapBetweenLots {
            other_id, gap_m2, ..
        } = &found[0].kind
        else {
            panic!()
        };
        assert_eq!(other_id, "SE");
        // By hand: the chevron (1, 0), (1, 1), (0, 1), (0.75, 0.75) in lot sides is a quarter
        // of the lot.
        let chevron = Polygon::new(
            LineString::from(vec![
                (106.003, 21.002),
                (106.003, 21.003),
                (106.002, 21.003),
                (106.00275, 21.00275),
                (106.003, 21.002),
            ]),
            vec![],
        );
        let want = chevron.geodesic_area_unsigned();
        let lot_m2 = parse(&square(106.002, 21.002, 0.001)).geodesic_area_unsigned();
        assert!((want / lot_m2 - 0.25).abs() < 1e-4);
        assert!((gap_m2 - want).abs() < 1e-6 * want, "{gap_m2} vs {want}");
    }

    /// The finding as `check` prints it, in both languages and in JSON.
    #[test]
    fn check_prints_it() {
        let mut ds = two_lots();
        let moved =
            move_vertex(&shape(&ds, 0), CORNER, coord! { x: 106.0028, y: 21.003 }).expect("moves");
        reshape(&mut ds, 0, &moved);
        let found = ds.findings(AsOf::Today(Date::from_ymd(2026, 1, 1).expect("a date")));
        let text = crate::report::check_text(&found, crate::i18n::Lang::En);
        let line = text
            .lines()
            .find(|l| l.contains("gap_between_lots"))
            .expect("a line");
        assert!(
            line.starts_with("error: gap_between_lots parcels #1 (W): leaves a gap of 1151.1"),
            "{line}"
        );
        assert!(line.contains("between it and parcel E (#2)"), "{line}");
        let vi = crate::report::check_text(&found, crate::i18n::Lang::Vi);
        assert!(vi.contains("để lại khe hở 1.151,1"), "{vi}");
        let json: serde_json::Value =
            serde_json::from_str(&crate::report::check_json(&found, crate::i18n::Lang::En))
                .expect("JSON");
        let gap = json
            .as_array()
            .expect("an array")
            .iter()
            .find(|f| f["code"] == "gap_between_lots")
            .expect("the gap");
        assert_eq!(
            (&gap["feature"], &gap["other"], &gap["id"], &gap["severity"]),
            (
                &serde_json::json!(1),
                &serde_json::json!(2),
                &serde_json::json!("W"),
                &serde_json::json!("error")
            )
        );
    }

    #[test]
    fn edges_shared_whatever_the_vertices() {
        let lot = |pts: &[(f64, f64)]| {
            MultiPolygon(vec![Polygon::new(LineString::from(pts.to_vec()), vec![])])
        };
        let w = lot(&[
            (106.0, 21.0),
            (106.001, 21.0),
            (106.001, 21.001),
            (106.0, 21.001),
        ]);
        // A corner of E in the middle of W's east edge (a T junction), and E's edge split.
        let e = lot(&[
            (106.001, 21.0005),
            (106.002, 21.0005),
            (106.002, 21.002),
            (106.001, 21.002),
        ]);
        assert!(share_an_edge(&w, &e) && share_an_edge(&e, &w));
        // 5 mm off the edge (4.7e-8° of longitude at 21° N): within the centimetre.
        let near = lot(&[
            (106.001_000_047, 21.0),
            (106.002, 21.0),
            (106.002, 21.001),
            (106.001_000_047, 21.001),
        ]);
        assert!(share_an_edge(&w, &near));
        // 5 cm off: apart.
        let off = lot(&[
            (106.001_000_47, 21.0),
            (106.002, 21.0),
            (106.002, 21.001),
            (106.001_000_47, 21.001),
        ]);
        assert!(!share_an_edge(&w, &off));
        // On W's edge line, beyond its end: collinear but not along it.
        let beyond = lot(&[
            (106.001, 21.001),
            (106.002, 21.001),
            (106.002, 21.002),
            (106.001, 21.002),
        ]);
        assert!(!share_an_edge(&w, &beyond));
        // 3 cm of edge in common (2.7e-7° of latitude): shorter than 5 cm.
        let short = lot(&[
            (106.001, 21.001 - 2.7e-7),
            (106.002, 21.001 - 2.7e-7),
            (106.002, 21.002),
            (106.001, 21.002),
        ]);
        assert!(!share_an_edge(&w, &short));
        // Not a number: no stretch, and no panic.
        let nan = lot(&[(f64::NAN, 21.0), (106.002, 21.0), (106.002, 21.001)]);
        assert!(!share_an_edge(&w, &nan) && !share_an_edge(&nan, &w));
    }
}
