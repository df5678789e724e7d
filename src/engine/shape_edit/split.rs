//! Cutting a lot or zone in parts along a line.
//!
//! The line's passages through the shape are found with exact predicates in degrees; where a
//! passage meets the boundary inside an edge, the point is computed on the edge's geodesic,
//! where the geodesic through the line's segment crosses it (to a nanometre), so the parts'
//! geodesic areas add up to the whole's. Each such point is computed once and written into
//! both parts, which therefore share the cut bit for bit. The parts are then traced from the
//! polygon's rings and the cut, taken both ways ([`super::faces`]).
//!
//! What cuts and what does not:
//! - a passage is a stretch of the line inside the shape from one boundary point to another;
//!   stretches outside, along the boundary, or from an end of the line that lies inside
//!   ("dangling") cut nothing;
//! - a passage that separates nothing (from the exterior into a hole and no further, or from a
//!   hole to another with nothing else joining them) is dropped;
//! - a line with no passage that separates, one that misses the shape, or only touches its
//!   boundary (at a vertex, or along an edge) is refused: [`SplitProblem::DoesNotCross`];
//! - a line crossing a hole cuts its way through: the hole's boundary becomes the parts'
//!   boundary where the line passes, and holes not crossed go to the part around them;
//! - of a shape of several polygons, only those the line crosses are cut; each part is one
//!   polygon, and a polygon the line does not cross goes with the nearest part on its side of
//!   the line (the side of the line's nearest segment);
//! - a line that crosses itself is refused ([`SplitProblem::LineCrossesItself`]): its sides
//!   would not be defined.
//!
//! Order: parts to the left of the line's direction first, then those to the right; on each
//! side in the order the line reaches them. (Along a line that does not cross itself, a part
//! is on the same side of every passage it borders; its first decides.)

use geo::algorithm::kernels::Orientation;
use geo::{Coord, Distance, Euclidean, LineString, MultiPolygon, Polygon};
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use super::check::{Meet, Place, check_rings, check_shape, locate_in_polygon, meet, orient};
use super::faces::Graph;
use super::geodesic_edge::{GeodesicEdge, OnEdge, SAME_POINT_M};
use super::{EdgeInserts, ShapeFault, open_ring, same, signed_area2};

/// Why a line cannot split a shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SplitProblem {
    /// The line has fewer than two distinct positions.
    LineTooShort,
    /// A position of the line (its index) is not a finite number.
    LineNotFinite { position: usize },
    /// A position of the line (its index) is outside longitude/latitude range.
    LineOutOfRange { position: usize },
    /// Two segments of the line (indexes of their first positions, after repeated positions
    /// are dropped) cross, touch or run back over each other.
    LineCrossesItself { segment: usize, other: usize },
    /// The shape is not valid.
    Shape(ShapeFault),
    /// The line does not cut the shape: it misses it, touches its boundary only, or ends inside
    /// it without crossing it from boundary to boundary.
    DoesNotCross,
    /// The cut could not be traced into parts: the line passes within nanometres of a vertex
    /// or an edge in a way the exact predicates and the geodesics see differently.
    Degenerate,
    /// A part came out invalid (the same cause as [`SplitProblem::Degenerate`]).
    Part { part: usize, fault: ShapeFault },
}

/// A position along the line: segment index and fraction of it (exclusive of 1: the end of a
/// segment is the start of the next).
#[derive(Clone, Copy, Debug, PartialEq)]
struct LinePos(usize, f64);

impl LinePos {
    fn cmp(self, other: LinePos) -> Ordering {
        self.0.cmp(&other.0).then(self.1.total_cmp(&other.1))
    }

    fn new(segment: usize, s: f64) -> LinePos {
        if s >= 1.0 {
            LinePos(segment + 1, 0.0)
        } else {
            LinePos(segment, s.max(0.0))
        }
    }
}

/// Where a contact is on a polygon's rings.
#[derive(Clone, Copy, Debug, PartialEq)]
enum RingPlace {
    Vertex {
        ring: usize,
        index: usize,
    },
    Edge {
        ring: usize,
        index: usize,
        along: f64,
    },
}

impl RingPlace {
    fn on(at: OnEdge, ring: usize, index: usize, n: usize) -> (RingPlace, Option<Coord<f64>>) {
        match at {
            OnEdge::Start => (RingPlace::Vertex { ring, index }, None),
            OnEdge::End => (
                RingPlace::Vertex {
                    ring,
                    index: (index + 1) % n,
                },
                None,
            ),
            OnEdge::Inside(along, c) => (RingPlace::Edge { ring, index, along }, Some(c)),
        }
    }

    /// The edges (ring, index) this place lies on.
    fn edges(self, rings: &[Vec<Coord<f64>>]) -> [(usize, usize); 2] {
        match self {
            RingPlace::Vertex { ring, index } => {
                let n = rings[ring].len();
                [(ring, index), (ring, (index + n - 1) % n)]
            }
            RingPlace::Edge { ring, index, .. } => [(ring, index), (ring, index)],
        }
    }
}

/// Where the line meets a polygon's boundary.
#[derive(Clone, Copy, Debug)]
struct Contact {
    pos: LinePos,
    at: Coord<f64>,
    place: RingPlace,
}

/// A passage of the line through a polygon, boundary to boundary.
#[derive(Clone, Debug)]
struct Chord {
    start: LinePos,
    coords: Vec<Coord<f64>>,
    ends: [RingPlace; 2],
}

#[derive(Clone, Copy, Debug)]
enum Tag {
    Ring,
    Chord { chord: usize, forward: bool },
}

/// One part of a cut polygon: on which side, and where the line first reaches it.
struct Part {
    left: bool,
    first: LinePos,
    polygons: Vec<Polygon<f64>>,
}

/// Splits `shape` along `line` (longitude/latitude degrees): the parts to the left of the
/// line's direction first, then those to the right, each a one-polygon `MultiPolygon` (plus
/// any polygon of the shape that the line does not cross, attached to the nearest part on its
/// side). See the module documentation for what cuts and what is refused.
///
/// ```
/// use geo::{polygon, line_string, MultiPolygon};
/// use zoneatlas::engine::geodesy::geodesic_area_m2;
/// use zoneatlas::engine::shape_edit::{split, SplitProblem};
/// let lot = MultiPolygon(vec![polygon![
///     (x: 106.0, y: 21.0), (x: 106.002, y: 21.0), (x: 106.002, y: 21.001), (x: 106.0, y: 21.001)
/// ]]);
/// // Northward through the middle: the western half is on the left.
/// let parts = split(&lot, &line_string![(x: 106.001, y: 20.999), (x: 106.001, y: 21.002)]).unwrap();
/// assert_eq!(parts.len(), 2);
/// assert!(parts[0].0[0].exterior().0.iter().all(|c| c.x <= 106.001));
/// let sum = geodesic_area_m2(&parts[0]) + geodesic_area_m2(&parts[1]);
/// assert!((sum - geodesic_area_m2(&lot)).abs() < 1e-9 * sum);
/// // A line that stays outside is refused.
/// assert_eq!(
///     split(&lot, &line_string![(x: 106.01, y: 20.999), (x: 106.01, y: 21.002)]),
///     Err(SplitProblem::DoesNotCross)
/// );
/// ```
pub fn split(
    shape: &MultiPolygon<f64>,
    line: &LineString<f64>,
) -> Result<Vec<MultiPolygon<f64>>, SplitProblem> {
    let line = prepare_line(line)?;
    check_shape(shape).map_err(SplitProblem::Shape)?;
    let mut parts: Vec<Part> = Vec::new();
    let mut untouched: Vec<Polygon<f64>> = Vec::new();
    for polygon in &shape.0 {
        match split_polygon(polygon, &line)? {
            Some(mut cut) => parts.append(&mut cut),
            None => untouched.push(polygon.clone()),
        }
    }
    if parts.is_empty() {
        return Err(SplitProblem::DoesNotCross);
    }
    for polygon in untouched {
        let left = side_of(&polygon, &line);
        let distance = |part: &Part| {
            part.polygons
                .iter()
                .map(|p| Euclidean.distance(p, &polygon))
                .fold(f64::INFINITY, f64::min)
        };
        let nearest = parts
            .iter_mut()
            .filter(|p| p.left == left)
            .min_by(|a, b| distance(a).total_cmp(&distance(b)));
        if let Some(part) = nearest {
            part.polygons.push(polygon);
        }
    }
    parts.sort_by(|a, b| b.left.cmp(&a.left).then(a.first.cmp(b.first)));
    let parts: Vec<MultiPolygon<f64>> = parts
        .into_iter()
        .map(|p| MultiPolygon(p.polygons))
        .collect();
    for (i, part) in parts.iter().enumerate() {
        check_shape(part).map_err(|fault| SplitProblem::Part { part: i, fault })?;
    }
    Ok(parts)
}

/// The line's distinct positions, checked.
fn prepare_line(line: &LineString<f64>) -> Result<Vec<Coord<f64>>, SplitProblem> {
    if let Some(position) = line
        .0
        .iter()
        .position(|c| !(c.x.is_finite() && c.y.is_finite()))
    {
        return Err(SplitProblem::LineNotFinite { position });
    }
    if let Some(position) = line.0.iter().position(|c| !super::in_range(*c)) {
        return Err(SplitProblem::LineOutOfRange { position });
    }
    let mut coords: Vec<Coord<f64>> = Vec::with_capacity(line.0.len());
    for &c in &line.0 {
        if coords.last().is_none_or(|&l| !same(l, c)) {
            coords.push(c);
        }
    }
    if coords.len() < 2 {
        return Err(SplitProblem::LineTooShort);
    }
    // Lines are drawn by hand: a few dozen positions, so every pair is cheap enough.
    let m = coords.len() - 1;
    for i in 0..m {
        for j in i + 1..m {
            let how = meet(coords[i], coords[i + 1], coords[j], coords[j + 1]);
            let crosses = if j == i + 1 {
                how == Meet::Overlap
            } else {
                how != Meet::Apart
            };
            if crosses {
                return Err(SplitProblem::LineCrossesItself {
                    segment: i,
                    other: j,
                });
            }
        }
    }
    Ok(coords)
}

/// Which side of the line a polygon the line does not cross lies on (true: left): that of the
/// line's segment nearest a point inside it.
fn side_of(polygon: &Polygon<f64>, line: &[Coord<f64>]) -> bool {
    let Some(p) = crate::engine::geometry::inside_point(polygon) else {
        return true;
    };
    let nearest = line.windows(2).min_by(|a, b| {
        let d = |w: &[Coord<f64>]| Euclidean.distance(&geo::Line::new(w[0], w[1]), &geo::Point(p));
        d(a).total_cmp(&d(b))
    });
    match nearest {
        Some(w) => orient(w[0], w[1], p) != Orientation::Clockwise,
        None => true,
    }
}

/// Cuts one polygon; None when the line cuts it nowhere.
fn split_polygon(
    polygon: &Polygon<f64>,
    line: &[Coord<f64>],
) -> Result<Option<Vec<Part>>, SplitProblem> {
    // Exterior counter-clockwise, holes clockwise: the area is on the left of every edge.
    let rings: Vec<Vec<Coord<f64>>> = std::iter::once(polygon.exterior())
        .chain(polygon.interiors())
        .enumerate()
        .map(|(i, r)| {
            let mut ring = open_ring(r);
            if (signed_area2(&ring) > 0.0) != (i == 0) {
                ring.reverse();
            }
            ring
        })
        .collect();
    check_rings(std::slice::from_ref(&rings)).map_err(SplitProblem::Shape)?;
    let contacts = contacts(&rings, line);
    let mut chords = chords(&rings, line, &contacts);
    // Drop the passages that separate nothing (the ring around one takes it both ways), and
    // trace again without them, so that their ends are not left in the boundary.
    let (graph, cycles) = loop {
        if chords.is_empty() {
            return Ok(None);
        }
        let graph = graph(&rings, &chords);
        let cycles = graph.cycles().map_err(|_| SplitProblem::Degenerate)?;
        let mut bridges: HashSet<usize> = HashSet::new();
        for cycle in &cycles {
            let mut ways: HashMap<usize, [bool; 2]> = HashMap::new();
            for &e in cycle {
                if let Tag::Chord { chord, forward } = graph.edges[e].tag {
                    ways.entry(chord).or_default()[usize::from(forward)] = true;
                }
            }
            bridges.extend(
                ways.into_iter()
                    .filter(|(_, w)| w[0] && w[1])
                    .map(|(c, _)| c),
            );
        }
        if bridges.is_empty() {
            break (graph, cycles);
        }
        chords = chords
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !bridges.contains(i))
            .map(|(_, c)| c)
            .collect();
    };
    let faces = graph.faces(cycles).map_err(|_| SplitProblem::Degenerate)?;
    if faces.len() < 2 {
        return Ok(None);
    }
    let parts = faces
        .iter()
        .map(|face| {
            let first = face
                .edges()
                .filter_map(|e| match graph.edges[e].tag {
                    Tag::Chord { chord, forward } => Some((chords[chord].start, forward)),
                    Tag::Ring => None,
                })
                .min_by(|a, b| a.0.cmp(b.0));
            let (first, left) = first.unwrap_or((LinePos(usize::MAX, 0.0), true));
            Part {
                left,
                first,
                polygons: vec![graph.polygon(face)],
            }
        })
        .collect();
    Ok(Some(parts))
}

/// Planar fraction of `x` along `p`–`q`.
fn fraction(p: Coord<f64>, q: Coord<f64>, x: Coord<f64>) -> f64 {
    let d = q - p;
    let len2 = d.x * d.x + d.y * d.y;
    if len2 > 0.0 {
        ((x - p).x * d.x + (x - p).y * d.y) / len2
    } else {
        0.0
    }
}

/// Every point where the line meets the polygon's boundary, in order along the line, each
/// position once.
fn contacts(rings: &[Vec<Coord<f64>>], line: &[Coord<f64>]) -> Vec<Contact> {
    use Orientation::Collinear as C;
    let mut out: Vec<Contact> = Vec::new();
    for (k, w) in line.windows(2).enumerate() {
        let (p, q) = (w[0], w[1]);
        let mut cut: Option<GeodesicEdge> = None;
        for (r, ring) in rings.iter().enumerate() {
            let n = ring.len();
            for i in 0..n {
                let (a, b) = (ring[i], ring[(i + 1) % n]);
                if meet(p, q, a, b) == Meet::Apart {
                    continue;
                }
                let edge = GeodesicEdge::new(a, b);
                let mut push = |pos: LinePos, on: OnEdge| {
                    let (place, inner) = RingPlace::on(on, r, i, n);
                    let at = inner.unwrap_or(match on {
                        OnEdge::End => b,
                        _ => a,
                    });
                    out.push(Contact { pos, at, place });
                };
                let (oa, ob) = (orient(p, q, a), orient(p, q, b));
                let (op, oq) = (orient(a, b, p), orient(a, b, q));
                if oa == C && super::check::on_segment(p, q, a) {
                    push(LinePos::new(k, fraction(p, q, a)), OnEdge::Start);
                }
                if ob == C && super::check::on_segment(p, q, b) {
                    push(LinePos::new(k, fraction(p, q, b)), OnEdge::End);
                }
                // A position of the line on the edge: the point of the edge's geodesic
                // nearest it.
                for (x, pos, o) in [(p, LinePos(k, 0.0), op), (q, LinePos(k + 1, 0.0), oq)] {
                    if o == C && super::check::on_segment(a, b, x) && !same(x, a) && !same(x, b) {
                        push(pos, edge.nearest(x).1);
                    }
                }
                if oa != C && ob != C && oa != ob && op != C && oq != C && op != oq {
                    let cut = *cut.get_or_insert_with(|| GeodesicEdge::new(p, q));
                    let on = edge.crossing(&cut);
                    let (pos, on) = match on {
                        OnEdge::Start => (LinePos::new(k, fraction(p, q, a)), on),
                        OnEdge::End => (LinePos::new(k, fraction(p, q, b)), on),
                        // At the line's own position (one snapped onto the edge): that one.
                        OnEdge::Inside(along, x) => {
                            if GeodesicEdge::new(x, p).length() < SAME_POINT_M {
                                (LinePos(k, 0.0), OnEdge::Inside(along, p))
                            } else if GeodesicEdge::new(x, q).length() < SAME_POINT_M {
                                (LinePos(k + 1, 0.0), OnEdge::Inside(along, q))
                            } else {
                                (LinePos::new(k, fraction(p, q, x)), on)
                            }
                        }
                    };
                    push(pos, on);
                }
            }
        }
    }
    // A position of the line on an edge's geodesic (snapped there) but off its straight line
    // in degrees, where the predicates above may see it inside or outside.
    for (m, &v) in line.iter().enumerate() {
        for (r, ring) in rings.iter().enumerate() {
            let n = ring.len();
            for i in 0..n {
                let (a, b) = (ring[i], ring[(i + 1) % n]);
                if !near_geodesic(a, b, v) {
                    continue;
                }
                let edge = GeodesicEdge::new(a, b);
                let (along, across) = edge.offsets(v);
                if across.abs() >= SAME_POINT_M
                    || along < -SAME_POINT_M
                    || along > edge.length() + SAME_POINT_M
                {
                    continue;
                }
                let on = match edge.place(along) {
                    OnEdge::Inside(along, _) => OnEdge::Inside(along, v),
                    end => end,
                };
                let (place, inner) = RingPlace::on(on, r, i, n);
                let at = inner.unwrap_or(if on == OnEdge::End { b } else { a });
                out.push(Contact {
                    pos: LinePos(m, 0.0),
                    at,
                    place,
                });
            }
        }
    }
    out.sort_by(|a, b| a.pos.cmp(b.pos));
    out.dedup_by(|b, a| same(a.at, b.at));
    out
}

/// Whether `v` may lie on the geodesic from `a` to `b`: within the straight segment's box in
/// degrees widened by how far a geodesic strays from it (L²(1 + |tan φ|)/8R, a generous bound:
/// 8 mm for 1 km at 21° N).
fn near_geodesic(a: Coord<f64>, b: Coord<f64>, v: Coord<f64>) -> bool {
    let length_m = ((b.x - a.x).hypot(b.y - a.y)) * 111_320.0;
    let tan = a.y.to_radians().tan().abs().min(1e3);
    let stray_m = length_m * length_m * (1.0 + tan) / (8.0 * 6_371_000.0) + 1e-6;
    let margin = super::degrees_covering(stray_m, a.y);
    v.x >= a.x.min(b.x) - margin
        && v.x <= a.x.max(b.x) + margin
        && v.y >= a.y.min(b.y) - margin
        && v.y <= a.y.max(b.y) + margin
}

/// The passages: stretches between consecutive contacts that run inside the polygon.
fn chords(rings: &[Vec<Coord<f64>>], line: &[Coord<f64>], contacts: &[Contact]) -> Vec<Chord> {
    let mut chords = Vec::new();
    for pair in contacts.windows(2) {
        let (c0, c1) = (pair[0], pair[1]);
        let mut coords = vec![c0.at];
        // The line's positions strictly between the two contacts.
        for (m, &c) in line.iter().enumerate().skip(c0.pos.0 + 1) {
            if m > c1.pos.0 || (m == c1.pos.0 && c1.pos.1 == 0.0) {
                break;
            }
            coords.push(c);
        }
        coords.push(c1.at);
        coords.dedup_by(|b, a| same(*a, *b));
        if coords.len() < 2 {
            continue;
        }
        if coords.len() == 2 {
            // A straight stretch between two points of one edge runs along it.
            let (e0, e1) = (c0.place.edges(rings), c1.place.edges(rings));
            if e0.iter().any(|e| e1.contains(e)) {
                continue;
            }
        }
        let mid = Coord {
            x: 0.5 * (coords[0].x + coords[1].x),
            y: 0.5 * (coords[0].y + coords[1].y),
        };
        if locate_in_polygon(rings, mid) == Place::Inside {
            chords.push(Chord {
                start: c0.pos,
                coords,
                ends: [c0.place, c1.place],
            });
        }
    }
    chords
}

/// The polygon's rings with the passages' ends put into their edges, and the passages both
/// ways.
fn graph(rings: &[Vec<Coord<f64>>], chords: &[Chord]) -> Graph<Tag> {
    let mut inserted: EdgeInserts = Default::default();
    for chord in chords {
        for (place, at) in chord
            .ends
            .iter()
            .zip([chord.coords[0], chord.coords[chord.coords.len() - 1]])
        {
            if let RingPlace::Edge { ring, index, along } = *place {
                inserted.entry((ring, index)).or_default().push((along, at));
            }
        }
    }
    let mut graph = Graph::new();
    for (r, ring) in rings.iter().enumerate() {
        let n = ring.len();
        let mut coords: Vec<Coord<f64>> = Vec::with_capacity(n);
        for (i, &c) in ring.iter().enumerate() {
            coords.push(c);
            if let Some(points) = inserted.get_mut(&(r, i)) {
                points.sort_by(|a, b| a.0.total_cmp(&b.0));
                coords.extend(points.iter().map(|p| p.1));
            }
        }
        coords.dedup_by(|b, a| same(*a, *b));
        let m = coords.len();
        for i in 0..m {
            graph.add(coords[i], coords[(i + 1) % m], Tag::Ring);
        }
    }
    for (chord, c) in chords.iter().enumerate() {
        for w in c.coords.windows(2) {
            graph.add(
                w[0],
                w[1],
                Tag::Chord {
                    chord,
                    forward: true,
                },
            );
            graph.add(
                w[1],
                w[0],
                Tag::Chord {
                    chord,
                    forward: false,
                },
            );
        }
    }
    graph
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::geodesy::geodesic_area_m2;
    use crate::engine::shape_edit::key;
    use geo::Validation;

    const U: f64 = 1e-3; // about 100 m
    const X0: f64 = 106.0;
    const Y0: f64 = 21.0;

    fn c(x: f64, y: f64) -> Coord<f64> {
        Coord {
            x: X0 + x * U,
            y: Y0 + y * U,
        }
    }

    fn ring(points: &[(f64, f64)]) -> LineString<f64> {
        super::super::closed_ring(points.iter().map(|&(x, y)| c(x, y)).collect())
    }

    fn shape(exterior: &[(f64, f64)], holes: &[&[(f64, f64)]]) -> MultiPolygon<f64> {
        MultiPolygon(vec![Polygon::new(
            ring(exterior),
            holes.iter().map(|h| ring(h)).collect(),
        )])
    }

    fn line(points: &[(f64, f64)]) -> LineString<f64> {
        LineString(points.iter().map(|&(x, y)| c(x, y)).collect())
    }

    fn area(mp: &MultiPolygon<f64>) -> f64 {
        geodesic_area_m2(mp)
    }

    /// The parts' areas add up to the whole's, each part is valid (by `geo`'s own check),
    /// and every position that is not one of the shape's own is in at least two parts.
    fn assert_sound(whole: &MultiPolygon<f64>, parts: &[MultiPolygon<f64>]) {
        let sum: f64 = parts.iter().map(area).sum();
        let total = area(whole);
        assert!(
            (sum - total).abs() <= 1e-9 * total,
            "parts {sum} whole {total} rel {}",
            (sum - total).abs() / total
        );
        let own: HashSet<[u64; 2]> = whole
            .0
            .iter()
            .flat_map(|p| {
                p.exterior()
                    .0
                    .iter()
                    .chain(p.interiors().iter().flat_map(|r| &r.0))
            })
            .map(|&c| key(c))
            .collect();
        let mut count: HashMap<[u64; 2], usize> = HashMap::new();
        for part in parts {
            assert!(part.is_valid(), "{:?}", part.validation_errors());
            let mut seen = HashSet::new();
            for p in &part.0 {
                for c in p
                    .exterior()
                    .0
                    .iter()
                    .chain(p.interiors().iter().flat_map(|r| &r.0))
                {
                    if seen.insert(key(*c)) {
                        *count.entry(key(*c)).or_default() += 1;
                    }
                }
            }
        }
        for (k, n) in count {
            assert!(
                own.contains(&k) || n >= 2,
                "a new position in one part only"
            );
        }
    }

    fn exterior_xs(part: &MultiPolygon<f64>) -> Vec<f64> {
        part.0[0]
            .exterior()
            .0
            .iter()
            .map(|p| (p.x - X0) / U)
            .collect()
    }

    /// A 2 × 1 rectangle cut northward at x = 0.7: the western 0.7 × 1 part first, its area
    /// 0.35 of the whole (the rectangle is small enough to be uniform to 1e-6), the crossings on
    /// the bottom and top edges' geodesics, not on the straight lines at y = 0 and y = 1.
    #[test]
    fn a_rectangle_cut_where_the_line_says() {
        let lot = shape(&[(0., 0.), (2., 0.), (2., 1.), (0., 1.)], &[]);
        let parts = split(&lot, &line(&[(0.7, -0.5), (0.7, 1.5)])).unwrap();
        assert_eq!(parts.len(), 2);
        assert_sound(&lot, &parts);
        assert!(exterior_xs(&parts[0]).iter().all(|&x| x < 0.7 + 1e-9));
        assert!(exterior_xs(&parts[1]).iter().all(|&x| x > 0.7 - 1e-9));
        let share = area(&parts[0]) / area(&lot);
        assert!((share - 0.35).abs() < 1e-6, "{share}");
        let bottom = GeodesicEdge::new(c(0., 0.), c(2., 0.));
        let crossing = parts[0].0[0]
            .exterior()
            .0
            .iter()
            .copied()
            .find(|p| p.y < Y0 + 0.5 * U && p.x > X0 + 0.1 * U)
            .unwrap();
        assert!(bottom.offsets(crossing).1.abs() < 1e-9);
        assert!(crossing.y > Y0, "on the geodesic, north of the parallel");
        assert_ne!(crossing.x, c(0.7, 0.).x + 1.0, "sanity");
    }

    /// An L cut by a line that goes north through the foot and then west through the leg:
    /// three parts, the corner (left of both passages) first, then the foot's end and the
    /// leg's top (right), in the order the line reaches them; areas 2/3, 1/6, 1/6.
    #[test]
    fn an_l_cut_into_three() {
        let l = shape(
            &[(0., 0.), (2., 0.), (2., 1.), (1., 1.), (1., 2.), (0., 2.)],
            &[],
        );
        let cut = line(&[(1.5, -0.5), (1.5, 1.5), (-0.5, 1.5)]);
        let parts = split(&l, &cut).unwrap();
        assert_eq!(parts.len(), 3);
        assert_sound(&l, &parts);
        let shares: Vec<f64> = parts.iter().map(|p| area(p) / area(&l)).collect();
        for (got, want) in shares.iter().zip([2. / 3., 1. / 6., 1. / 6.]) {
            assert!((got - want).abs() < 1e-5, "{shares:?}");
        }
        assert!(exterior_xs(&parts[1]).iter().all(|&x| x > 1.5 - 1e-9));
        let top: Vec<f64> = parts[2].0[0]
            .exterior()
            .0
            .iter()
            .map(|p| (p.y - Y0) / U)
            .collect();
        assert!(top.iter().all(|&y| y > 1.5 - 1e-9), "{top:?}");
    }

    #[test]
    fn reversing_the_line_swaps_the_sides() {
        let lot = shape(&[(0., 0.), (2., 0.), (2., 1.), (0., 1.)], &[]);
        let north = split(&lot, &line(&[(1.0, -0.5), (1.0, 1.5)])).unwrap();
        let south = split(&lot, &line(&[(1.0, 1.5), (1.0, -0.5)])).unwrap();
        assert!(exterior_xs(&north[0]).iter().all(|&x| x <= 1.0 + 1e-9));
        assert!(exterior_xs(&south[0]).iter().all(|&x| x >= 1.0 - 1e-9));
        assert_eq!(area(&north[0]), area(&south[1]));
    }

    #[test]
    fn lines_that_do_not_cut_are_refused() {
        let lot = shape(&[(0., 0.), (2., 0.), (2., 1.), (0., 1.)], &[]);
        let refused = |points: &[(f64, f64)]| split(&lot, &line(points));
        // Misses.
        assert_eq!(
            refused(&[(3., -1.), (3., 2.)]),
            Err(SplitProblem::DoesNotCross)
        );
        // Touches a corner from outside.
        assert_eq!(
            refused(&[(1., 2.), (3., 0.)]),
            Err(SplitProblem::DoesNotCross)
        );
        // Runs along an edge.
        assert_eq!(
            refused(&[(-1., 0.), (3., 0.)]),
            Err(SplitProblem::DoesNotCross)
        );
        // Ends inside.
        assert_eq!(
            refused(&[(1., -1.), (1., 0.5)]),
            Err(SplitProblem::DoesNotCross)
        );
        // Starts and ends inside.
        assert_eq!(
            refused(&[(0.5, 0.5), (1.5, 0.5)]),
            Err(SplitProblem::DoesNotCross)
        );
        assert_eq!(refused(&[(1., 1.)]), Err(SplitProblem::LineTooShort));
        assert_eq!(
            refused(&[(1., 1.), (1., 1.)]),
            Err(SplitProblem::LineTooShort)
        );
        assert_eq!(
            refused(&[(0.5, -1.), (0.5, 2.), (1.5, 2.), (1.5, 0.5), (-1., 0.5)]),
            Err(SplitProblem::LineCrossesItself {
                segment: 0,
                other: 3
            })
        );
        assert_eq!(
            split(
                &lot,
                &LineString::from(vec![(f64::NAN, 0.0), (106.0, 21.0)])
            ),
            Err(SplitProblem::LineNotFinite { position: 0 })
        );
        assert_eq!(
            split(&MultiPolygon(vec![]), &line(&[(0., 0.), (1., 1.)])),
            Err(SplitProblem::Shape(ShapeFault::Empty))
        );
    }

    /// A line drawn from corner to corner (snapped onto them) adds no position: two triangles.
    #[test]
    fn a_diagonal_through_corners() {
        let lot = shape(&[(0., 0.), (1., 0.), (1., 1.), (0., 1.)], &[]);
        for cut in [
            line(&[(0., 0.), (1., 1.)]),
            line(&[(-0.5, -0.5), (0., 0.), (1., 1.), (1.5, 1.2)]),
        ] {
            let parts = split(&lot, &cut).unwrap();
            assert_eq!(parts.len(), 2);
            assert_sound(&lot, &parts);
            for part in &parts {
                assert_eq!(part.0[0].exterior().0.len(), 4);
            }
            // North-east-bound: the north-west triangle is on the left.
            assert!(
                parts[0].0[0]
                    .exterior()
                    .0
                    .iter()
                    .any(|p| same(*p, c(0., 1.)))
            );
        }
        // A straight line whose rounded positions pass the corners within nanometres, and whose
        // geodesic passes them within a millimetre: still two sound parts.
        let parts = split(&lot, &line(&[(-0.5, -0.5), (1.5, 1.5)])).unwrap();
        assert_eq!(parts.len(), 2);
        assert_sound(&lot, &parts);
    }

    /// A line through a point snapped onto an edge (on its geodesic, millimetres off the
    /// straight line in degrees) cuts there: the snapped position is the parts' vertex.
    #[test]
    fn a_line_through_a_point_snapped_onto_an_edge() {
        let lot = shape(&[(0., 0.), (10., 0.), (10., 5.), (0., 5.)], &[]);
        let bottom = GeodesicEdge::new(c(0., 0.), c(10., 0.));
        let OnEdge::Inside(_, on_edge) = bottom.place(bottom.length() * 0.37) else {
            panic!()
        };
        let top = GeodesicEdge::new(c(10., 5.), c(0., 5.));
        let OnEdge::Inside(_, on_top) = top.place(top.length() * 0.6) else {
            panic!()
        };
        for cut in [
            LineString(vec![c(3.7, -1.), on_edge, on_top, c(4., 6.)]),
            LineString(vec![on_edge, on_top]),
        ] {
            let parts = split(&lot, &cut).unwrap();
            assert_eq!(parts.len(), 2);
            assert_sound(&lot, &parts);
            for part in &parts {
                let ring = &part.0[0].exterior().0;
                assert_eq!(ring.len(), 5, "{ring:?}");
                assert!(ring.iter().any(|p| same(*p, on_edge)));
                assert!(ring.iter().any(|p| same(*p, on_top)));
            }
        }
    }

    /// Through a hole: two parts around it; into the hole and stopping there: refused. A hole
    /// the line misses stays with its part.
    #[test]
    fn holes() {
        let hole: &[(f64, f64)] = &[(1., 1.), (1., 2.), (2., 2.), (2., 1.)];
        let far: &[(f64, f64)] = &[(0.2, 0.2), (0.2, 0.4), (0.4, 0.4), (0.4, 0.2)];
        let lot = shape(&[(0., 0.), (3., 0.), (3., 3.), (0., 3.)], &[hole, far]);
        let parts = split(&lot, &line(&[(-1., 1.5), (4., 1.5)])).unwrap();
        assert_eq!(parts.len(), 2);
        assert_sound(&lot, &parts);
        // East-bound: the north half first; the small hole is in the south half.
        assert!(
            parts[0].0[0]
                .exterior()
                .0
                .iter()
                .all(|p| p.y >= Y0 + 1.5 * U - 1e-12)
        );
        assert_eq!(parts[1].0[0].interiors().len(), 1);
        assert_eq!(
            split(&lot, &line(&[(-1., 1.5), (1.5, 1.5)])),
            Err(SplitProblem::DoesNotCross)
        );
        // From the exterior through the hole and out the other side along a bend: still two.
        let bent = split(&lot, &line(&[(1.5, -1.), (1.5, 1.5), (4., 1.5)])).unwrap();
        assert_eq!(bent.len(), 2);
        assert_sound(&lot, &bent);
    }

    /// A line that goes in and out four times cuts three strips: west (left), middle (right),
    /// east (left).
    #[test]
    fn a_zigzag_cuts_strips() {
        let lot = shape(&[(0., 0.), (3., 0.), (3., 1.), (0., 1.)], &[]);
        let parts = split(&lot, &line(&[(1., -1.), (1., 2.), (2., 2.), (2., -1.)])).unwrap();
        assert_eq!(parts.len(), 3);
        assert_sound(&lot, &parts);
        let mid = |p: &MultiPolygon<f64>| {
            let xs = exterior_xs(p);
            xs.iter().sum::<f64>() / xs.len() as f64
        };
        assert!(
            mid(&parts[0]) < 1.0
                && mid(&parts[1]) > 2.0
                && mid(&parts[2]) > 1.0
                && mid(&parts[2]) < 2.0
        );
    }

    /// Of two polygons, the line cuts the first; the second, west of the line, goes with the
    /// western (left) part.
    #[test]
    fn polygons_the_line_misses_go_with_their_side() {
        let mut lot = shape(&[(0., 0.), (2., 0.), (2., 1.), (0., 1.)], &[]);
        lot.0.push(Polygon::new(
            ring(&[(-3., 0.), (-2., 0.), (-2., 1.), (-3., 1.)]),
            vec![],
        ));
        let parts = split(&lot, &line(&[(1., -1.), (1., 2.)])).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].0.len(), 2);
        assert_eq!(parts[1].0.len(), 1);
        assert_sound(&lot, &parts);
    }

    /// A line through a vertex where the boundary turns back (the inner corner of a U) cuts
    /// on both sides of it.
    #[test]
    fn through_an_inner_corner() {
        let u = shape(
            &[
                (0., 0.),
                (3., 0.),
                (3., 2.),
                (2., 2.),
                (2., 1.),
                (1., 1.),
                (1., 2.),
                (0., 2.),
            ],
            &[],
        );
        let parts = split(&u, &line(&[(-1., 1.), (4., 1.)])).unwrap();
        assert_eq!(parts.len(), 3);
        assert_sound(&u, &parts);
    }
}
