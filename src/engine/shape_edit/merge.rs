//! Merging lots that share an edge into one.
//!
//! Lots side by side share their common boundary as the same positions run in opposite
//! directions (a split, or snapping, makes them bit-identical). The merge takes every ring's
//! edges, drops each edge that another lot has the other way round, and traces what is left
//! into rings ([`super::faces`]): no position moves and none is added, holes are kept, and a
//! gap enclosed by the lots becomes a hole. The area is the sum of the lots' to rounding.
//!
//! Boundaries that run along each other without sharing positions exactly (files digitised lot
//! by lot, rounded to seven decimals) are first made to share them, within
//! [`MERGE_TOLERANCE_M`]: a position of a lot that close to a position of an earlier lot takes
//! that position's bits, and one that close to another lot's edge is put into that edge. Only
//! positions of the inputs are used; a lot's boundary moves by at most the tolerance.
//!
//! Lots that overlap (their areas, not just their boundaries, meet) cannot be stitched: for
//! them the merge falls back on `geo`'s Boolean union, which computes new positions where
//! boundaries cross and may move others by rounding. Lots that only touch at a point, or not
//! at all, are refused ([`MergeProblem::NoSharedEdge`]).

use geo::{BooleanOps, Coord, MultiPolygon, Polygon, Relate};
use rstar::primitives::{GeomWithData, Line as RLine};
use rstar::{AABB, RTree};

use super::check::{bounds, boxes_meet, check_rings};
use super::faces::Graph;
use super::geodesic_edge::{GeodesicEdge, OnEdge};
use super::{EdgeInserts, ShapeFault, degrees_covering, key, open_ring, same, signed_area2};

/// How close boundaries must run to be taken as shared, metres: wider than the rounding of a
/// file written with seven decimals (a 1.1 cm grid: a position at most 8 mm from where it was
/// meant), narrower than anything a planner draws.
pub const MERGE_TOLERANCE_M: f64 = 0.01;

/// Why lots cannot be merged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MergeProblem {
    /// Fewer than two shapes.
    TooFew,
    /// A shape (its index) is not valid.
    Shape { shape: usize, fault: ShapeFault },
    /// The shapes do not all share an edge with one another: those (indexes) that neither
    /// share an edge with the first nor with any shape joined to it that way.
    NoSharedEdge { apart: Vec<usize> },
}

/// A ring of an input: whose it is, and its positions (exterior counter-clockwise, holes
/// clockwise, open).
struct Ring {
    shape: usize,
    coords: Vec<Coord<f64>>,
}

/// Merges shapes that share edges into one (longitude/latitude degrees). See the module
/// documentation for what counts as shared and for the fallback on overlapping shapes.
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use zoneatlas::engine::geodesy::geodesic_area_m2;
/// use zoneatlas::engine::shape_edit::{merge, MergeProblem};
/// let west = MultiPolygon(vec![polygon![
///     (x: 106.0, y: 21.0), (x: 106.001, y: 21.0), (x: 106.001, y: 21.001), (x: 106.0, y: 21.001)
/// ]]);
/// let east = MultiPolygon(vec![polygon![
///     (x: 106.001, y: 21.0), (x: 106.002, y: 21.0), (x: 106.002, y: 21.001), (x: 106.001, y: 21.001)
/// ]]);
/// let lot = merge(&[west.clone(), east.clone()]).unwrap();
/// assert_eq!(lot.0.len(), 1);
/// assert_eq!(lot.0[0].exterior().0.len(), 7); // six corners, closed: the shared edge is gone
/// let sum = geodesic_area_m2(&west) + geodesic_area_m2(&east);
/// assert!((geodesic_area_m2(&lot) - sum).abs() < 1e-9 * sum);
/// let far = MultiPolygon(vec![polygon![
///     (x: 106.01, y: 21.0), (x: 106.011, y: 21.0), (x: 106.011, y: 21.001)
/// ]]);
/// assert_eq!(merge(&[west, far]), Err(MergeProblem::NoSharedEdge { apart: vec![1] }));
/// ```
pub fn merge(shapes: &[MultiPolygon<f64>]) -> Result<MultiPolygon<f64>, MergeProblem> {
    if shapes.len() < 2 {
        return Err(MergeProblem::TooFew);
    }
    let mut rings: Vec<Ring> = Vec::new();
    for (shape, mp) in shapes.iter().enumerate() {
        super::check_shape(mp).map_err(|fault| MergeProblem::Shape { shape, fault })?;
        for polygon in &mp.0 {
            for (i, ring) in std::iter::once(polygon.exterior())
                .chain(polygon.interiors())
                .enumerate()
            {
                let mut coords = open_ring(ring);
                if (signed_area2(&coords) > 0.0) != (i == 0) {
                    coords.reverse();
                }
                rings.push(Ring { shape, coords });
            }
        }
    }
    share_near_positions(&mut rings);

    let mut graph: Graph<usize> = Graph::new();
    for ring in &rings {
        let n = ring.coords.len();
        for i in 0..n {
            graph.add(ring.coords[i], ring.coords[(i + 1) % n], ring.shape);
        }
    }
    // Drop each edge that another shape has the other way round; such pairs join the shapes.
    let mut joined = UnionFind::new(shapes.len());
    let mut waiting: std::collections::HashMap<([u64; 2], [u64; 2]), Vec<usize>> =
        Default::default();
    for e in 0..graph.edges.len() {
        let (from, to) = (graph.start_of(e), graph.end_of(e));
        let twin = waiting
            .get_mut(&(key(to), key(from)))
            .and_then(|list| list.pop());
        match twin {
            Some(f) => {
                graph.edges[e].alive = false;
                graph.edges[f].alive = false;
                joined.join(graph.edges[e].tag, graph.edges[f].tag);
            }
            None => waiting.entry((key(from), key(to))).or_default().push(e),
        }
    }
    let overlapping = join_overlapping(shapes, &mut joined);
    let apart: Vec<usize> = (1..shapes.len())
        .filter(|&i| joined.root(i) != joined.root(0))
        .collect();
    if !apart.is_empty() {
        return Err(MergeProblem::NoSharedEdge { apart });
    }
    if !overlapping && let Some(stitched) = stitch(&graph) {
        return Ok(stitched);
    }
    Ok(union(shapes))
}

/// The remaining edges traced into polygons; None when they do not make valid ones.
fn stitch(graph: &Graph<usize>) -> Option<MultiPolygon<f64>> {
    let cycles = graph.cycles().ok()?;
    let faces = graph.faces(cycles).ok()?;
    let polygons: Vec<Polygon<f64>> = faces.iter().map(|f| graph.polygon(f)).collect();
    let rings: Vec<Vec<Vec<Coord<f64>>>> = polygons
        .iter()
        .map(|p| {
            std::iter::once(p.exterior())
                .chain(p.interiors())
                .map(open_ring)
                .collect()
        })
        .collect();
    check_rings(&rings).ok()?;
    Some(MultiPolygon(polygons))
}

/// `geo`'s Boolean union of all the shapes: for shapes whose areas overlap.
fn union(shapes: &[MultiPolygon<f64>]) -> MultiPolygon<f64> {
    let mut out = shapes[0].clone();
    for s in &shapes[1..] {
        out = out.union(s);
    }
    out
}

/// Joins shapes of different groups whose areas overlap; whether any do.
fn join_overlapping(shapes: &[MultiPolygon<f64>], joined: &mut UnionFind) -> bool {
    let boxes: Vec<Option<[Coord<f64>; 2]>> = shapes
        .iter()
        .map(|s| {
            let coords: Vec<Coord<f64>> = s.0.iter().flat_map(|p| p.exterior().0.clone()).collect();
            (!coords.is_empty()).then(|| bounds(&coords))
        })
        .collect();
    let mut any = false;
    for i in 0..shapes.len() {
        for j in i + 1..shapes.len() {
            let (Some(a), Some(b)) = (boxes[i], boxes[j]) else {
                continue;
            };
            if !boxes_meet(a, b) {
                continue;
            }
            let matrix = shapes[i].relate(&shapes[j]);
            if matrix.matches("2********").unwrap_or(false) {
                joined.join(i, j);
                any = true;
            }
        }
    }
    any
}

/// Where a ring's position is: ring index and position index.
type PosEntry = GeomWithData<[f64; 2], (usize, usize)>;
/// Where a ring's edge is: ring index and index of its first position.
type EdgeEntry = GeomWithData<RLine<[f64; 2]>, (usize, usize)>;

/// Makes boundaries that run within the tolerance of each other share positions: a position
/// near one of an earlier shape takes its bits; a position near another shape's edge is put
/// into that edge.
fn share_near_positions(rings: &mut [Ring]) {
    let Some(lat) = rings.first().and_then(|r| r.coords.first()).map(|c| c.y) else {
        return;
    };
    let reach = degrees_covering(MERGE_TOLERANCE_M, lat);
    // Positions, shape by shape, each near an earlier shape's taking its bits.
    let mut seen: RTree<PosEntry> = RTree::new();
    let mut r = 0;
    while r < rings.len() {
        let shape = rings[r].shape;
        let end = rings[r..]
            .iter()
            .position(|x| x.shape != shape)
            .map_or(rings.len(), |k| r + k);
        for ring in r..end {
            for i in 0..rings[ring].coords.len() {
                let c = rings[ring].coords[i];
                let near = seen
                    .locate_in_envelope(&AABB::from_corners(
                        [c.x - reach, c.y - reach],
                        [c.x + reach, c.y + reach],
                    ))
                    .map(|e| rings[e.data.0].coords[e.data.1])
                    .map(|t| (GeodesicEdge::new(c, t).length(), t))
                    .filter(|(d, _)| *d <= MERGE_TOLERANCE_M)
                    .min_by(|a, b| a.0.total_cmp(&b.0));
                if let Some((_, t)) = near {
                    rings[ring].coords[i] = t;
                }
            }
            rings[ring].coords.dedup_by(|b, a| same(*a, *b));
            while rings[ring].coords.len() > 1
                && same(
                    rings[ring].coords[0],
                    rings[ring].coords[rings[ring].coords.len() - 1],
                )
            {
                rings[ring].coords.pop();
            }
        }
        for (ring, shape_ring) in rings.iter().enumerate().take(end).skip(r) {
            for (i, c) in shape_ring.coords.iter().enumerate() {
                seen.insert(GeomWithData::new([c.x, c.y], (ring, i)));
            }
        }
        r = end;
    }
    // Positions near another shape's edge go into it.
    let edges: Vec<EdgeEntry> = rings
        .iter()
        .enumerate()
        .flat_map(|(ri, ring)| {
            let n = ring.coords.len();
            (0..n).map(move |i| {
                let (a, b) = (ring.coords[i], ring.coords[(i + 1) % n]);
                GeomWithData::new(RLine::new([a.x, a.y], [b.x, b.y]), (ri, i))
            })
        })
        .collect();
    let tree = RTree::bulk_load(edges);
    let mut inserts: EdgeInserts = Default::default();
    for ring in rings.iter() {
        for &c in &ring.coords {
            let around = AABB::from_corners([c.x - reach, c.y - reach], [c.x + reach, c.y + reach]);
            for e in tree.locate_in_envelope_intersecting(&around) {
                let (rj, j) = e.data;
                if rings[rj].shape == ring.shape {
                    continue;
                }
                let host = &rings[rj].coords;
                let (a, b) = (host[j], host[(j + 1) % host.len()]);
                if same(a, c) || same(b, c) {
                    continue;
                }
                let edge = GeodesicEdge::new(a, b);
                let (along, across) = edge.offsets(c);
                if across.abs() <= MERGE_TOLERANCE_M
                    && along > MERGE_TOLERANCE_M
                    && along < edge.length() - MERGE_TOLERANCE_M
                    && matches!(edge.place(along), OnEdge::Inside(..))
                {
                    inserts.entry((rj, j)).or_default().push((along, c));
                }
            }
        }
    }
    for (ri, ring) in rings.iter_mut().enumerate() {
        if !inserts.keys().any(|(r, _)| *r == ri) {
            continue;
        }
        let mut coords = Vec::with_capacity(ring.coords.len());
        for (i, &c) in ring.coords.iter().enumerate() {
            coords.push(c);
            if let Some(points) = inserts.get_mut(&(ri, i)) {
                points.sort_by(|a, b| a.0.total_cmp(&b.0));
                coords.extend(points.iter().map(|p| p.1));
            }
        }
        coords.dedup_by(|b, a| same(*a, *b));
        ring.coords = coords;
    }
}

/// Groups of shapes joined so far.
struct UnionFind(Vec<usize>);

impl UnionFind {
    fn new(n: usize) -> Self {
        Self((0..n).collect())
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }

    fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.root(a), self.root(b));
        self.0[ra.max(rb)] = ra.min(rb);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::geodesy::geodesic_area_m2;
    use crate::engine::shape_edit::split;
    use geo::{LineString, Validation};
    use std::collections::HashSet;

    const U: f64 = 1e-3;

    fn c(x: f64, y: f64) -> Coord<f64> {
        Coord {
            x: 106.0 + x * U,
            y: 21.0 + y * U,
        }
    }

    fn lot(exterior: &[(f64, f64)], holes: &[&[(f64, f64)]]) -> MultiPolygon<f64> {
        let ring = |points: &[(f64, f64)]| {
            crate::engine::shape_edit::closed_ring(points.iter().map(|&(x, y)| c(x, y)).collect())
        };
        MultiPolygon(vec![Polygon::new(
            ring(exterior),
            holes.iter().map(|h| ring(h)).collect(),
        )])
    }

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
        lot(&[(x0, y0), (x1, y0), (x1, y1), (x0, y1)], &[])
    }

    fn area(mp: &MultiPolygon<f64>) -> f64 {
        geodesic_area_m2(mp)
    }

    fn positions(mp: &MultiPolygon<f64>) -> HashSet<[u64; 2]> {
        mp.0.iter()
            .flat_map(|p| {
                p.exterior()
                    .0
                    .iter()
                    .chain(p.interiors().iter().flat_map(|r| &r.0))
            })
            .map(|&c| key(c))
            .collect()
    }

    fn assert_sum(merged: &MultiPolygon<f64>, inputs: &[MultiPolygon<f64>]) {
        let sum: f64 = inputs.iter().map(area).sum();
        let got = area(merged);
        assert!((got - sum).abs() <= 1e-9 * sum, "merged {got} sum {sum}");
        assert!(merged.is_valid(), "{:?}", merged.validation_errors());
        let own: HashSet<[u64; 2]> = inputs.iter().flat_map(positions).collect();
        assert!(
            positions(merged).is_subset(&own),
            "a position not in the inputs"
        );
    }

    /// Split then merged: the same area, one polygon, no position of the cut left but its ends
    /// on the boundary.
    #[test]
    fn merging_the_parts_of_a_split_gives_the_whole() {
        let whole = lot(
            &[(0., 0.), (2., 0.), (2., 1.), (1., 1.), (1., 2.), (0., 2.)],
            &[&[(0.2, 0.2), (0.2, 0.5), (0.5, 0.5), (0.5, 0.2)]],
        );
        let cut = LineString(vec![c(1.5, -0.5), c(1.5, 1.5), c(-0.5, 1.5)]);
        let parts = split(&whole, &cut).unwrap();
        assert_eq!(parts.len(), 3);
        let merged = merge(&parts).unwrap();
        assert_sum(&merged, &parts);
        assert!((area(&merged) - area(&whole)).abs() <= 1e-9 * area(&whole));
        assert_eq!(merged.0.len(), 1);
        assert_eq!(merged.0[0].interiors().len(), 1);
        // The line's bend (1.5, 1.5) lies outside; its passages' ends remain on the boundary
        // (four), nothing else is new.
        assert_eq!(merged.0[0].exterior().0.len(), 7 + 4);
    }

    /// A long lot and a short one on top of it: the short lot's corners lie on the long lot's
    /// edge (snapped there: on its geodesic), and are put into it.
    #[test]
    fn an_edge_shared_in_part() {
        let long = rect(0., 0., 3., 1.);
        let top = GeodesicEdge::new(c(3., 1.), c(0., 1.));
        let on_top = |f: f64| match top.place(top.length() * f) {
            OnEdge::Inside(_, p) => p,
            _ => unreachable!(),
        };
        let (right, left) = (on_top(1. / 3.), on_top(2. / 3.));
        let short = MultiPolygon(vec![Polygon::new(
            LineString(vec![left, right, c(2., 2.), c(1., 2.)]),
            vec![],
        )]);
        let merged = merge(&[long.clone(), short.clone()]).unwrap();
        assert_sum(&merged, &[long.clone(), short]);
        assert_eq!(merged.0[0].exterior().0.len(), 9);
        // Corners drawn on the straight line in degrees are 0.6 mm inside the long lot's
        // geodesic edge: the lots overlap by a sliver (0.1 m²), which the merge closes.
        let drawn = rect(1., 1., 2., 2.);
        let merged = merge(&[long.clone(), drawn.clone()]).unwrap();
        assert_eq!(merged.0[0].exterior().0.len(), 9);
        let sum = area(&long) + area(&drawn);
        assert!((area(&merged) - sum).abs() < 1e-5 * sum);
    }

    /// Boundaries that run along each other within the tolerance are taken as shared: the
    /// upper lot's lower corners 1e-9° (0.1 mm) off, one inside the lower lot's edge.
    #[test]
    fn boundaries_within_the_tolerance_are_shared() {
        let below = rect(0., 0., 2., 1.);
        let eps = 1e-9;
        let above = MultiPolygon(vec![Polygon::new(
            LineString::from(vec![
                (c(0., 1.).x + eps, c(0., 1.).y - eps),
                (c(1., 1.).x, c(1., 1.).y + eps),
                (c(1., 2.).x, c(1., 2.).y),
                (c(0., 2.).x, c(0., 2.).y),
            ]),
            vec![],
        )]);
        let merged = merge(&[below.clone(), above.clone()]).unwrap();
        assert_eq!(merged.0.len(), 1);
        assert!(merged.is_valid());
        let sum = area(&below) + area(&above);
        assert!((area(&merged) - sum).abs() < 1e-6 * sum);
    }

    #[test]
    fn lots_apart_or_touching_at_a_corner_are_refused() {
        let a = rect(0., 0., 1., 1.);
        let corner = rect(1., 1., 2., 2.);
        let far = rect(5., 5., 6., 6.);
        let beside = rect(1., 0., 2., 1.);
        assert_eq!(
            merge(&[a.clone(), corner.clone()]),
            Err(MergeProblem::NoSharedEdge { apart: vec![1] })
        );
        assert_eq!(
            merge(&[a.clone(), beside.clone(), far.clone(), corner.clone()]),
            Err(MergeProblem::NoSharedEdge { apart: vec![2] })
        );
        // The corner lot shares an edge with `beside`'s top? No: beside is 1..2 × 0..1, the
        // corner lot 1..2 × 1..2: they share the edge y = 1.
        assert!(merge(&[a.clone(), beside.clone(), corner.clone()]).is_ok());
        assert_eq!(merge(std::slice::from_ref(&a)), Err(MergeProblem::TooFew));
        let bad = MultiPolygon(vec![]);
        assert_eq!(
            merge(&[a, bad]),
            Err(MergeProblem::Shape {
                shape: 1,
                fault: ShapeFault::Empty
            })
        );
    }

    /// Three in a row given out of order, joined through the middle one.
    #[test]
    fn joined_through_another() {
        let row = [
            rect(0., 0., 1., 1.),
            rect(2., 0., 3., 1.),
            rect(1., 0., 2., 1.),
        ];
        let merged = merge(&row).unwrap();
        assert_sum(&merged, &row);
        assert_eq!(merged.0[0].exterior().0.len(), 9);
    }

    /// Four lots around a courtyard: the courtyard becomes a hole. A lot filling another's
    /// hole closes it.
    #[test]
    fn holes_made_and_filled() {
        let ring = [
            rect(0., 0., 3., 1.),
            rect(0., 2., 3., 3.),
            rect(0., 1., 1., 2.),
            rect(2., 1., 3., 2.),
        ];
        let merged = merge(&ring).unwrap();
        assert_sum(&merged, &ring);
        assert_eq!(merged.0.len(), 1);
        assert_eq!(merged.0[0].interiors().len(), 1);
        let holed = lot(
            &[(0., 0.), (3., 0.), (3., 3.), (0., 3.)],
            &[&[(1., 1.), (1., 2.), (2., 2.), (2., 1.)]],
        );
        let plug = rect(1., 1., 2., 2.);
        let merged = merge(&[holed.clone(), plug.clone()]).unwrap();
        assert_sum(&merged, &[holed, plug]);
        assert_eq!(merged.0[0].interiors().len(), 0);
        assert_eq!(merged.0[0].exterior().0.len(), 5);
    }

    /// Overlapping lots fall back on the Boolean union: the area of the union, not the sum.
    #[test]
    fn overlapping_lots_are_united() {
        let a = rect(0., 0., 2., 1.);
        let b = rect(1., 0., 3., 1.);
        let merged = merge(&[a.clone(), b]).unwrap();
        let expected = area(&rect(0., 0., 3., 1.));
        assert!((area(&merged) - expected).abs() < 1e-6 * expected);
        assert!(merged.is_valid());
    }
}
