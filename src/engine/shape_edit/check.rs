//! Whether a shape is valid, and the exact planar predicates the edits decide topology with.
//!
//! `geo`'s `Validation` tests every pair of a ring's edges (25 million pairs for a 5,000-vertex
//! zone) and lets a ring touch itself at a vertex; this check finds candidate pairs through an
//! R-tree of the edges (O(n log n)) and refuses such pinches, as OGC's simple features do.

use geo::algorithm::kernels::{Kernel, Orientation, RobustKernel};
use geo::{Coord, MultiPolygon};
use rstar::primitives::{GeomWithData, Line as RLine};
use rstar::{AABB, RTree, RTreeObject};
use std::collections::HashSet;

use super::{RingRef, ShapeFault, VertexRef, open_ring};

pub(crate) fn orient(p: Coord<f64>, q: Coord<f64>, r: Coord<f64>) -> Orientation {
    RobustKernel::orient2d(p, q, r)
}

/// How two segments meet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Meet {
    Apart,
    /// At one point, which is an end of one of them (or both).
    Touch,
    /// At one point inside both.
    Cross,
    /// Along a stretch of positive length.
    Overlap,
}

/// Whether `p`, collinear with `a`–`b`, lies on the closed segment.
fn between(a: Coord<f64>, b: Coord<f64>, p: Coord<f64>) -> bool {
    p.x >= a.x.min(b.x) && p.x <= a.x.max(b.x) && p.y >= a.y.min(b.y) && p.y <= a.y.max(b.y)
}

/// Whether `p` lies on the segment `a`–`b`, ends included (exact).
pub(crate) fn on_segment(a: Coord<f64>, b: Coord<f64>, p: Coord<f64>) -> bool {
    orient(a, b, p) == Orientation::Collinear && between(a, b, p)
}

pub(crate) fn meet(a0: Coord<f64>, a1: Coord<f64>, b0: Coord<f64>, b1: Coord<f64>) -> Meet {
    if a0.x.max(a1.x) < b0.x.min(b1.x)
        || b0.x.max(b1.x) < a0.x.min(a1.x)
        || a0.y.max(a1.y) < b0.y.min(b1.y)
        || b0.y.max(b1.y) < a0.y.min(a1.y)
    {
        return Meet::Apart;
    }
    let (o1, o2) = (orient(a0, a1, b0), orient(a0, a1, b1));
    use Orientation::Collinear as C;
    if o1 == C && o2 == C {
        // Collinear: how many distinct points the two closed segments share.
        let shared: Vec<Coord<f64>> = [a0, a1]
            .into_iter()
            .filter(|&p| between(b0, b1, p))
            .chain([b0, b1].into_iter().filter(|&p| between(a0, a1, p)))
            .collect();
        return match shared.first() {
            None => Meet::Apart,
            Some(&first) if shared.iter().all(|&p| p == first) => Meet::Touch,
            Some(_) => Meet::Overlap,
        };
    }
    let (o3, o4) = (orient(b0, b1, a0), orient(b0, b1, a1));
    if o1 != C && o2 != C && o1 != o2 && o3 != C && o4 != C && o3 != o4 {
        return Meet::Cross;
    }
    if (o1 == C && between(a0, a1, b0))
        || (o2 == C && between(a0, a1, b1))
        || (o3 == C && between(b0, b1, a0))
        || (o4 == C && between(b0, b1, a1))
    {
        return Meet::Touch;
    }
    Meet::Apart
}

/// Where a position is relative to a ring's area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    Inside,
    Boundary,
    Outside,
}

/// Where `p` is relative to the open ring `ring` (crossing number, exact predicates).
pub(crate) fn locate(ring: &[Coord<f64>], p: Coord<f64>) -> Place {
    let n = ring.len();
    let mut inside = false;
    for i in 0..n {
        let (a, b) = (ring[i], ring[(i + 1) % n]);
        if on_segment(a, b, p) {
            return Place::Boundary;
        }
        // The edge straddles the horizontal through p (half-open, so a vertex counts once).
        if (a.y > p.y) != (b.y > p.y) {
            let o = orient(a, b, p);
            let upward = b.y > a.y;
            if (upward && o == Orientation::CounterClockwise)
                || (!upward && o == Orientation::Clockwise)
            {
                inside = !inside;
            }
        }
    }
    if inside {
        Place::Inside
    } else {
        Place::Outside
    }
}

/// Where `p` is relative to a polygon given as open rings (exterior first, then holes).
pub(crate) fn locate_in_polygon(rings: &[Vec<Coord<f64>>], p: Coord<f64>) -> Place {
    let Some(exterior) = rings.first() else {
        return Place::Outside;
    };
    match locate(exterior, p) {
        Place::Inside => {}
        other => return other,
    }
    for hole in &rings[1..] {
        match locate(hole, p) {
            Place::Outside => {}
            Place::Boundary => return Place::Boundary,
            Place::Inside => return Place::Outside,
        }
    }
    Place::Inside
}

/// An edge in the R-tree: its ends and where it is (polygon, ring, index).
type EdgeEntry = GeomWithData<RLine<[f64; 2]>, (usize, usize, usize)>;

/// Checks that a shape is valid: finite coordinates; rings of at least three distinct
/// positions; no ring crossing, touching or running back over itself; rings of a polygon
/// meeting at most at single points; holes inside their exterior and not inside one another;
/// polygons meeting at most at single points and not inside one another. Repeated consecutive
/// positions and unclosed rings are accepted (they add no edge).
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use zoneatlas::engine::shape_edit::{check_shape, ShapeFault, RingRef};
/// let square = MultiPolygon(vec![polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)]]);
/// assert_eq!(check_shape(&square), Ok(()));
/// let bow_tie = MultiPolygon(vec![polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 1.0), (x: 1.0, y: 0.0), (x: 0.0, y: 1.0)]]);
/// assert_eq!(
///     check_shape(&bow_tie),
///     Err(ShapeFault::SelfIntersection { ring: RingRef { polygon: 0, ring: 0 } })
/// );
/// ```
pub fn check_shape(shape: &MultiPolygon<f64>) -> Result<(), ShapeFault> {
    let polygons: Vec<Vec<Vec<Coord<f64>>>> = shape
        .0
        .iter()
        .map(|p| {
            std::iter::once(p.exterior())
                .chain(p.interiors())
                .map(open_ring)
                .collect()
        })
        .collect();
    check_rings(&polygons)
}

/// [`check_shape`] over polygons given as open rings.
pub(crate) fn check_rings(polygons: &[Vec<Vec<Coord<f64>>>]) -> Result<(), ShapeFault> {
    if polygons.is_empty() || polygons.iter().any(|p| p.first().is_none_or(Vec::is_empty)) {
        return Err(ShapeFault::Empty);
    }
    for (pi, rings) in polygons.iter().enumerate() {
        for (ri, ring) in rings.iter().enumerate() {
            if let Some(vi) = ring
                .iter()
                .position(|c| !(c.x.is_finite() && c.y.is_finite()))
            {
                return Err(ShapeFault::NotFinite {
                    at: VertexRef {
                        polygon: pi,
                        ring: ri,
                        vertex: vi,
                    },
                });
            }
            if let Some(vi) = ring.iter().position(|c| !super::in_range(*c)) {
                return Err(ShapeFault::OutOfRange {
                    at: VertexRef {
                        polygon: pi,
                        ring: ri,
                        vertex: vi,
                    },
                });
            }
            if ring.len() < 3 {
                return Err(ShapeFault::TooFewPositions {
                    ring: RingRef {
                        polygon: pi,
                        ring: ri,
                    },
                });
            }
        }
    }
    let touching = check_edges(polygons)?;
    (0..polygons.len()).try_for_each(|pi| check_nesting_of(polygons, pi, &touching))
}

/// Pairs of rings, (polygon, ring) each, that touch at points (both orders).
pub(crate) type Touching = HashSet<[(usize, usize); 2]>;

/// No two edges meet except neighbours of a ring at their shared end, and rings or polygons at
/// single points; which rings touch so.
fn check_edges(polygons: &[Vec<Vec<Coord<f64>>>]) -> Result<Touching, ShapeFault> {
    let mut touching = Touching::new();
    let mut entries: Vec<EdgeEntry> = Vec::new();
    for (pi, rings) in polygons.iter().enumerate() {
        for (ri, ring) in rings.iter().enumerate() {
            let n = ring.len();
            for i in 0..n {
                let (a, b) = (ring[i], ring[(i + 1) % n]);
                entries.push(GeomWithData::new(
                    RLine::new([a.x, a.y], [b.x, b.y]),
                    (pi, ri, i),
                ));
            }
        }
    }
    let tree = RTree::bulk_load(entries);
    for e in tree.iter() {
        let (pi, ri, i) = e.data;
        let ring = &polygons[pi][ri];
        let n = ring.len();
        let (a0, a1) = (ring[i], ring[(i + 1) % n]);
        let envelope: AABB<[f64; 2]> = e.envelope();
        for f in tree.locate_in_envelope_intersecting(&envelope) {
            // Each pair once.
            if f.data <= e.data {
                continue;
            }
            let (pj, rj, j) = f.data;
            let other = &polygons[pj][rj];
            let m = other.len();
            let (b0, b1) = (other[j], other[(j + 1) % m]);
            let how = meet(a0, a1, b0, b1);
            let ring_ref = RingRef {
                polygon: pi,
                ring: ri,
            };
            if (pi, ri) == (pj, rj) {
                let neighbours = j == (i + 1) % n || i == (j + 1) % n;
                let bad = match how {
                    Meet::Apart => false,
                    // Neighbours share an end; one that also shares the other end is a ring of
                    // two positions, already refused.
                    Meet::Touch => !neighbours,
                    Meet::Cross | Meet::Overlap => true,
                };
                if bad {
                    return Err(ShapeFault::SelfIntersection { ring: ring_ref });
                }
            } else if how == Meet::Touch {
                touching.insert([(pi, ri), (pj, rj)]);
                touching.insert([(pj, rj), (pi, ri)]);
            } else if matches!(how, Meet::Cross | Meet::Overlap) {
                return Err(if pi == pj {
                    ShapeFault::RingsCross {
                        ring: ring_ref,
                        other: RingRef {
                            polygon: pj,
                            ring: rj,
                        },
                    }
                } else {
                    ShapeFault::PolygonsOverlap {
                        polygon: pi,
                        other: pj,
                    }
                });
            }
        }
    }
    Ok(touching)
}

/// On which side of a ring another lies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Inside,
    Outside,
    /// Partly in, partly out (through points where the rings touch).
    Both,
    /// All of it on the other's boundary.
    Unknown,
}

/// Where `ring` lies relative to `other`. Rings that neither cross nor touch: one position
/// not on the boundary tells. Rings that touch (`thorough`) may pass from inside to outside
/// through the points they share: every position and the middle of every edge are looked at.
fn side_of(ring: &[Coord<f64>], other: &[Coord<f64>], thorough: bool) -> Side {
    let n = ring.len();
    let mut places = (0..n).flat_map(|i| {
        let (a, b) = (ring[i], ring[(i + 1) % n]);
        let middle = Coord {
            x: 0.5 * (a.x + b.x),
            y: 0.5 * (a.y + b.y),
        };
        std::iter::once(a).chain(thorough.then_some(middle))
    });
    let (mut inside, mut outside) = (false, false);
    for c in &mut places {
        match locate(other, c) {
            Place::Inside => inside = true,
            Place::Outside => outside = true,
            Place::Boundary => continue,
        }
        if !thorough || (inside && outside) {
            break;
        }
    }
    match (inside, outside) {
        (true, true) => Side::Both,
        (true, false) => Side::Inside,
        (false, true) => Side::Outside,
        (false, false) => Side::Unknown,
    }
}

/// Polygon `pi`'s holes are inside its exterior and not inside one another, and it is not
/// inside another polygon of the shape nor another inside it (unless in a hole). Rings that
/// `touching` lists are compared thoroughly.
pub(crate) fn check_nesting_of(
    polygons: &[Vec<Vec<Coord<f64>>>],
    pi: usize,
    touching: &Touching,
) -> Result<(), ShapeFault> {
    let side = |(p, r): (usize, usize), (q, s): (usize, usize)| {
        side_of(
            &polygons[p][r],
            &polygons[q][s],
            touching.contains(&[(p, r), (q, s)]),
        )
    };
    let rings = &polygons[pi];
    for hi in 1..rings.len() {
        let ring = RingRef {
            polygon: pi,
            ring: hi,
        };
        if matches!(side((pi, hi), (pi, 0)), Side::Outside | Side::Both) {
            return Err(ShapeFault::HoleOutside { ring });
        }
        for hj in 1..rings.len() {
            if hj != hi && matches!(side((pi, hi), (pi, hj)), Side::Inside | Side::Both) {
                return Err(ShapeFault::HoleOutside { ring });
            }
        }
    }
    // Polygon p inside polygon q: within its exterior and not within one of its holes.
    let inside = |p: usize, q: usize| match side((p, 0), (q, 0)) {
        Side::Both => true,
        Side::Inside => !(1..polygons[q].len()).any(|h| side((p, 0), (q, h)) == Side::Inside),
        Side::Outside | Side::Unknown => false,
    };
    let bbox = bounds(&rings[0]);
    for (pj, other) in polygons.iter().enumerate() {
        if pj == pi || !boxes_meet(bbox, bounds(&other[0])) {
            continue;
        }
        if inside(pi, pj) || inside(pj, pi) {
            return Err(ShapeFault::PolygonsOverlap {
                polygon: pi.min(pj),
                other: pi.max(pj),
            });
        }
    }
    Ok(())
}

pub(crate) fn bounds(ring: &[Coord<f64>]) -> [Coord<f64>; 2] {
    let mut lo = Coord {
        x: f64::INFINITY,
        y: f64::INFINITY,
    };
    let mut hi = Coord {
        x: f64::NEG_INFINITY,
        y: f64::NEG_INFINITY,
    };
    for c in ring {
        lo.x = lo.x.min(c.x);
        lo.y = lo.y.min(c.y);
        hi.x = hi.x.max(c.x);
        hi.y = hi.y.max(c.y);
    }
    [lo, hi]
}

pub(crate) fn boxes_meet(a: [Coord<f64>; 2], b: [Coord<f64>; 2]) -> bool {
    a[0].x <= b[1].x && b[0].x <= a[1].x && a[0].y <= b[1].y && b[0].y <= a[1].y
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, Polygon, polygon};

    fn c(x: f64, y: f64) -> Coord<f64> {
        Coord { x, y }
    }

    fn square(x0: f64, y0: f64, d: f64) -> LineString<f64> {
        LineString::from(vec![(x0, y0), (x0 + d, y0), (x0 + d, y0 + d), (x0, y0 + d)])
    }

    #[test]
    fn segments_meet_as_expected() {
        let (a, b) = (c(0.0, 0.0), c(2.0, 0.0));
        assert_eq!(meet(a, b, c(1.0, -1.0), c(1.0, 1.0)), Meet::Cross);
        assert_eq!(meet(a, b, c(1.0, 0.0), c(1.0, 1.0)), Meet::Touch);
        assert_eq!(meet(a, b, c(2.0, 0.0), c(3.0, 0.0)), Meet::Touch);
        assert_eq!(meet(a, b, c(1.0, 0.0), c(3.0, 0.0)), Meet::Overlap);
        assert_eq!(meet(a, b, c(3.0, 0.0), c(4.0, 0.0)), Meet::Apart);
        assert_eq!(meet(a, b, c(0.0, 1.0), c(2.0, 1.0)), Meet::Apart);
    }

    #[test]
    fn locate_inside_boundary_outside() {
        let ring = vec![
            c(0.0, 0.0),
            c(2.0, 0.0),
            c(2.0, 2.0),
            c(1.0, 1.0),
            c(0.0, 2.0),
        ];
        assert_eq!(locate(&ring, c(0.5, 0.5)), Place::Inside);
        assert_eq!(locate(&ring, c(1.0, 1.5)), Place::Outside);
        assert_eq!(locate(&ring, c(1.0, 1.0)), Place::Boundary);
        assert_eq!(locate(&ring, c(1.0, 0.0)), Place::Boundary);
        // A ray through a vertex counts once.
        assert_eq!(locate(&ring, c(-1.0, 2.0)), Place::Outside);
        assert_eq!(locate(&ring, c(0.5, 1.0)), Place::Inside);
    }

    #[test]
    fn faults_are_found() {
        let ok = MultiPolygon(vec![Polygon::new(
            square(0.0, 0.0, 4.0),
            vec![square(1.0, 1.0, 1.0)],
        )]);
        assert_eq!(check_shape(&ok), Ok(()));
        let outside = MultiPolygon(vec![Polygon::new(
            square(0.0, 0.0, 4.0),
            vec![square(5.0, 1.0, 1.0)],
        )]);
        assert!(matches!(
            check_shape(&outside),
            Err(ShapeFault::HoleOutside { .. })
        ));
        let crossing = MultiPolygon(vec![Polygon::new(
            square(0.0, 0.0, 4.0),
            vec![square(3.0, 1.0, 2.0)],
        )]);
        assert!(matches!(
            check_shape(&crossing),
            Err(ShapeFault::RingsCross { .. })
        ));
        // Touching the exterior at two corners and poking out between them.
        let straddling = MultiPolygon(vec![Polygon::new(
            LineString::from(vec![(0., 0.), (4., 0.), (0., 4.)]),
            vec![square(1.5, 1.5, 1.0)],
        )]);
        assert!(matches!(
            check_shape(&straddling),
            Err(ShapeFault::HoleOutside { .. })
        ));
        let overlapping = MultiPolygon(vec![
            Polygon::new(square(0.0, 0.0, 2.0), vec![]),
            Polygon::new(square(1.0, 1.0, 2.0), vec![]),
        ]);
        assert_eq!(
            check_shape(&overlapping),
            Err(ShapeFault::PolygonsOverlap {
                polygon: 0,
                other: 1
            })
        );
        let nested = MultiPolygon(vec![
            Polygon::new(square(0.0, 0.0, 4.0), vec![]),
            Polygon::new(square(1.0, 1.0, 1.0), vec![]),
        ]);
        assert!(matches!(
            check_shape(&nested),
            Err(ShapeFault::PolygonsOverlap { .. })
        ));
        let island_in_hole = MultiPolygon(vec![
            Polygon::new(square(0.0, 0.0, 4.0), vec![square(1.0, 1.0, 2.0)]),
            Polygon::new(square(1.5, 1.5, 1.0), vec![]),
        ]);
        assert_eq!(check_shape(&island_in_hole), Ok(()));
        let touching_corner = MultiPolygon(vec![
            Polygon::new(square(0.0, 0.0, 1.0), vec![]),
            Polygon::new(square(1.0, 1.0, 1.0), vec![]),
        ]);
        assert_eq!(check_shape(&touching_corner), Ok(()));
        let sharing_edge = MultiPolygon(vec![
            Polygon::new(square(0.0, 0.0, 1.0), vec![]),
            Polygon::new(square(1.0, 0.0, 1.0), vec![]),
        ]);
        assert!(matches!(
            check_shape(&sharing_edge),
            Err(ShapeFault::PolygonsOverlap { .. })
        ));
        let pinched = MultiPolygon(vec![polygon![
            (x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 1.0, y: 1.0), (x: 2.0, y: 2.0),
            (x: 0.0, y: 2.0), (x: 1.0, y: 1.0)
        ]]);
        assert!(matches!(
            check_shape(&pinched),
            Err(ShapeFault::SelfIntersection { .. })
        ));
        let spike = MultiPolygon(vec![polygon![
            (x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 3.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 2.0)
        ]]);
        assert!(matches!(
            check_shape(&spike),
            Err(ShapeFault::SelfIntersection { .. })
        ));
        let nan = MultiPolygon(vec![polygon![
            (x: 0.0, y: 0.0), (x: f64::NAN, y: 0.0), (x: 1.0, y: 1.0)
        ]]);
        assert!(matches!(
            check_shape(&nan),
            Err(ShapeFault::NotFinite { .. })
        ));
        let short = MultiPolygon(vec![polygon![
            (x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 0.0), (x: 0.0, y: 0.0)
        ]]);
        assert!(matches!(
            check_shape(&short),
            Err(ShapeFault::TooFewPositions { .. })
        ));
        assert_eq!(check_shape(&MultiPolygon(vec![])), Err(ShapeFault::Empty));
    }
}
