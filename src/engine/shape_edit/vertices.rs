//! Reshaping: moving, inserting and deleting a vertex, and moving a vertex that adjacent
//! shapes share (topological editing).
//!
//! An edit that would make the shape invalid is refused with the fault it would make
//! ([`VertexProblem::Invalid`]): the edges it creates must not cross, touch or run over any
//! other edge of the shape (other rings and polygons may touch them at a single point, as
//! OGC allows), holes must stay inside, polygons apart. Only what the edit changes is checked
//! (the new edges against all others: O(n) for a ring of n positions, so a vertex of a
//! 5,000-vertex zone can be dragged), so a fault the shape already had elsewhere does not
//! block an edit that mends or ignores it; the findings report those.
//!
//! The edited ring comes back without repeated consecutive positions; moving a vertex onto
//! its neighbour removes it (a ring must keep three distinct positions). Positions are taken
//! as given: to put a vertex on an edge exactly, give the point of an edge snap
//! ([`super::snap`]), which lies on the edge's geodesic.

use geo::{Coord, LineString, MultiPolygon, Polygon};

use super::check::{Meet, Touching, check_nesting_of, meet};
use super::{
    RingRef, ShapeFault, VertexRef, closed_ring, corners, in_range, same, stored_positions,
};

/// Why a vertex edit cannot be made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VertexProblem {
    /// The shape has no such vertex (or, for an insertion, no such edge).
    NoSuchVertex(VertexRef),
    /// The new position is not a pair of finite numbers.
    NotFinite,
    /// The edit would make the shape invalid, in this way.
    Invalid(ShapeFault),
}

/// A vertex shared by several shapes could not be moved in one of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SharedMoveProblem {
    pub shape: usize,
    pub problem: VertexProblem,
}

/// A shape changed by a topological move: its index among those given, and its new geometry.
#[derive(Clone, Debug, PartialEq)]
pub struct Moved {
    pub shape: usize,
    pub result: MultiPolygon<f64>,
}

/// The position of vertex `at` of `shape`.
pub fn vertex_at(shape: &MultiPolygon<f64>, at: VertexRef) -> Option<Coord<f64>> {
    stored_positions(ring_of(shape, at.ring_ref())?)
        .get(at.vertex)
        .copied()
}

fn ring_of(shape: &MultiPolygon<f64>, r: RingRef) -> Option<&LineString<f64>> {
    let p = shape.0.get(r.polygon)?;
    if r.ring == 0 {
        Some(p.exterior())
    } else {
        p.interiors().get(r.ring - 1)
    }
}

/// The positions of a ring without repeats, and for each stored position the index of its
/// run among them.
fn runs(stored: &[Coord<f64>]) -> (Vec<Coord<f64>>, Vec<usize>) {
    let mut coords: Vec<Coord<f64>> = Vec::with_capacity(stored.len());
    let mut index = Vec::with_capacity(stored.len());
    for &c in stored {
        if coords.last().is_none_or(|&l| !same(l, c)) {
            coords.push(c);
        }
        index.push(coords.len() - 1);
    }
    // The last run wraps onto the first.
    if coords.len() > 1 && same(coords[0], coords[coords.len() - 1]) {
        coords.pop();
        let last = coords.len();
        for i in &mut index {
            if *i == last {
                *i = 0;
            }
        }
    }
    (coords, index)
}

/// Moves a vertex of `shape` to `to`.
///
/// ```
/// use geo::{coord, polygon, MultiPolygon};
/// use zoneatlas::engine::shape_edit::{move_vertex, ShapeFault, VertexProblem, VertexRef};
/// let lot = MultiPolygon(vec![polygon![
///     (x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)
/// ]]);
/// let corner = VertexRef { polygon: 0, ring: 0, vertex: 2 };
/// let moved = move_vertex(&lot, corner, coord! { x: 2.0, y: 2.0 }).unwrap();
/// assert_eq!(moved.0[0].exterior().0[2], coord! { x: 2.0, y: 2.0 });
/// // Across the opposite edge: the ring would cross itself.
/// assert!(matches!(
///     move_vertex(&lot, corner, coord! { x: 0.5, y: -1.0 }),
///     Err(VertexProblem::Invalid(ShapeFault::SelfIntersection { .. }))
/// ));
/// ```
pub fn move_vertex(
    shape: &MultiPolygon<f64>,
    at: VertexRef,
    to: Coord<f64>,
) -> Result<MultiPolygon<f64>, VertexProblem> {
    move_vertices(shape, &[at], to)
}

/// Moves every listed vertex of `shape` to `to` (the copies of a shared position).
fn move_vertices(
    shape: &MultiPolygon<f64>,
    at: &[VertexRef],
    to: Coord<f64>,
) -> Result<MultiPolygon<f64>, VertexProblem> {
    if !(to.x.is_finite() && to.y.is_finite()) {
        return Err(VertexProblem::NotFinite);
    }
    if !in_range(to) {
        let at = at.first().copied().unwrap_or(VertexRef {
            polygon: 0,
            ring: 0,
            vertex: 0,
        });
        return Err(VertexProblem::Invalid(ShapeFault::OutOfRange { at }));
    }
    let mut out = shape.clone();
    let mut changed: Vec<(RingRef, Vec<usize>)> = Vec::new();
    let mut rings: Vec<RingRef> = at.iter().map(|v| v.ring_ref()).collect();
    rings.sort();
    rings.dedup();
    for r in rings {
        let ring = ring_of(shape, r).ok_or(VertexProblem::NoSuchVertex(VertexRef {
            polygon: r.polygon,
            ring: r.ring,
            vertex: 0,
        }))?;
        let stored = stored_positions(ring);
        let (mut coords, index) = runs(stored);
        for v in at.iter().filter(|v| v.ring_ref() == r) {
            let i = *index.get(v.vertex).ok_or(VertexProblem::NoSuchVertex(*v))?;
            coords[i] = to;
        }
        // A vertex moved onto its neighbour merges with it.
        coords.dedup_by(|b, a| same(*a, *b));
        while coords.len() > 1 && same(coords[0], coords[coords.len() - 1]) {
            coords.pop();
        }
        if coords.len() < 3 {
            return Err(VertexProblem::Invalid(ShapeFault::TooFewPositions {
                ring: r,
            }));
        }
        let n = coords.len();
        let new_edges: Vec<usize> = (0..n)
            .filter(|&k| same(coords[k], to) || same(coords[(k + 1) % n], to))
            .collect();
        set_ring(&mut out, r, coords);
        changed.push((r, new_edges));
    }
    check_changed(&out, &changed)?;
    Ok(out)
}

/// Inserts `at` into edge `edge` of `shape` (the edge from vertex `edge.vertex` to the next),
/// as the vertex after `edge.vertex`.
///
/// ```
/// use geo::{coord, polygon, MultiPolygon};
/// use zoneatlas::engine::shape_edit::{insert_vertex, VertexRef};
/// let lot = MultiPolygon(vec![polygon![
///     (x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)
/// ]]);
/// let bottom = VertexRef { polygon: 0, ring: 0, vertex: 0 };
/// let more = insert_vertex(&lot, bottom, coord! { x: 0.5, y: -0.2 }).unwrap();
/// assert_eq!(more.0[0].exterior().0[1], coord! { x: 0.5, y: -0.2 });
/// assert_eq!(more.0[0].exterior().0.len(), 6);
/// ```
pub fn insert_vertex(
    shape: &MultiPolygon<f64>,
    edge: VertexRef,
    at: Coord<f64>,
) -> Result<MultiPolygon<f64>, VertexProblem> {
    if !(at.x.is_finite() && at.y.is_finite()) {
        return Err(VertexProblem::NotFinite);
    }
    if !in_range(at) {
        let at = VertexRef {
            vertex: edge.vertex + 1,
            ..edge
        };
        return Err(VertexProblem::Invalid(ShapeFault::OutOfRange { at }));
    }
    let r = edge.ring_ref();
    let ring = ring_of(shape, r).ok_or(VertexProblem::NoSuchVertex(edge))?;
    let (mut coords, index) = runs(stored_positions(ring));
    let i = *index
        .get(edge.vertex)
        .ok_or(VertexProblem::NoSuchVertex(edge))?;
    if coords.len() < 2 {
        return Err(VertexProblem::NoSuchVertex(edge));
    }
    coords.insert(i + 1, at);
    coords.dedup_by(|b, a| same(*a, *b));
    while coords.len() > 1 && same(coords[0], coords[coords.len() - 1]) {
        coords.pop();
    }
    let n = coords.len();
    let new_edges: Vec<usize> = (0..n)
        .filter(|&k| same(coords[k], at) || same(coords[(k + 1) % n], at))
        .collect();
    let mut out = shape.clone();
    set_ring(&mut out, r, coords);
    check_changed(&out, &[(r, new_edges)])?;
    Ok(out)
}

/// Deletes a vertex of `shape`; refused when its ring would keep fewer than three distinct
/// positions.
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use zoneatlas::engine::shape_edit::{delete_vertex, RingRef, ShapeFault, VertexProblem, VertexRef};
/// let lot = MultiPolygon(vec![polygon![
///     (x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)
/// ]]);
/// let corner = VertexRef { polygon: 0, ring: 0, vertex: 3 };
/// let triangle = delete_vertex(&lot, corner).unwrap();
/// assert_eq!(triangle.0[0].exterior().0.len(), 4);
/// assert_eq!(
///     delete_vertex(&triangle, corner.clone()).unwrap_err(),
///     VertexProblem::NoSuchVertex(corner)
/// );
/// assert_eq!(
///     delete_vertex(&triangle, VertexRef { vertex: 0, ..corner }),
///     Err(VertexProblem::Invalid(ShapeFault::TooFewPositions { ring: RingRef { polygon: 0, ring: 0 } }))
/// );
/// ```
pub fn delete_vertex(
    shape: &MultiPolygon<f64>,
    at: VertexRef,
) -> Result<MultiPolygon<f64>, VertexProblem> {
    let r = at.ring_ref();
    let ring = ring_of(shape, r).ok_or(VertexProblem::NoSuchVertex(at))?;
    let (mut coords, index) = runs(stored_positions(ring));
    let i = *index
        .get(at.vertex)
        .ok_or(VertexProblem::NoSuchVertex(at))?;
    if coords.len() <= 3 {
        return Err(VertexProblem::Invalid(ShapeFault::TooFewPositions {
            ring: r,
        }));
    }
    coords.remove(i);
    let n = coords.len();
    // The new edge joins the deleted vertex's neighbours.
    let before = (i + n - 1) % n;
    if same(coords[before], coords[(before + 1) % n]) {
        return Err(VertexProblem::Invalid(ShapeFault::SelfIntersection {
            ring: r,
        }));
    }
    let mut out = shape.clone();
    set_ring(&mut out, r, coords);
    check_changed(&out, &[(r, vec![before])])?;
    Ok(out)
}

/// Moves every vertex at `from` (bit for bit) in any of `shapes` to `to`: the corner that
/// adjacent lots share moves in all of them. Returns the shapes that changed, in order; none
/// when no shape has a vertex there. Refused as a whole when the move would make any of them
/// invalid.
///
/// ```
/// use geo::{coord, polygon, MultiPolygon};
/// use zoneatlas::engine::shape_edit::move_shared_vertex;
/// let west = MultiPolygon(vec![polygon![
///     (x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)
/// ]]);
/// let east = MultiPolygon(vec![polygon![
///     (x: 1.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 1.0), (x: 1.0, y: 1.0)
/// ]]);
/// let moved = move_shared_vertex(&[west, east], coord! { x: 1.0, y: 1.0 }, coord! { x: 1.2, y: 1.1 }).unwrap();
/// assert_eq!(moved.len(), 2);
/// assert_eq!(moved[0].result.0[0].exterior().0[2], coord! { x: 1.2, y: 1.1 });
/// assert_eq!(moved[1].result.0[0].exterior().0[3], coord! { x: 1.2, y: 1.1 });
/// ```
pub fn move_shared_vertex(
    shapes: &[MultiPolygon<f64>],
    from: Coord<f64>,
    to: Coord<f64>,
) -> Result<Vec<Moved>, SharedMoveProblem> {
    let mut moved = Vec::new();
    for (shape, mp) in shapes.iter().enumerate() {
        let at: Vec<VertexRef> = corners(mp)
            .filter(|(_, c)| c.x.to_bits() == from.x.to_bits() && c.y.to_bits() == from.y.to_bits())
            .map(|(v, _)| v)
            .collect();
        if at.is_empty() {
            continue;
        }
        let result =
            move_vertices(mp, &at, to).map_err(|problem| SharedMoveProblem { shape, problem })?;
        moved.push(Moved { shape, result });
    }
    Ok(moved)
}

fn set_ring(shape: &mut MultiPolygon<f64>, r: RingRef, coords: Vec<Coord<f64>>) {
    let Some(p) = shape.0.get_mut(r.polygon) else {
        return;
    };
    let ring = closed_ring(coords);
    let (exterior, mut interiors) =
        std::mem::replace(p, Polygon::new(LineString(vec![]), vec![])).into_inner();
    let exterior = if r.ring == 0 {
        ring
    } else {
        if let Some(h) = interiors.get_mut(r.ring - 1) {
            *h = ring;
        }
        exterior
    };
    *p = Polygon::new(exterior, interiors);
}

/// The shape's rings as open positions without repeats.
fn open_rings(shape: &MultiPolygon<f64>) -> Vec<Vec<Vec<Coord<f64>>>> {
    shape
        .0
        .iter()
        .map(|p| {
            std::iter::once(p.exterior())
                .chain(p.interiors())
                .map(|r| runs(stored_positions(r)).0)
                .collect()
        })
        .collect()
}

/// The listed new edges (ring, indexes into its positions without repeats) against every
/// other edge of the shape, then the nesting of the polygons changed.
fn check_changed(
    shape: &MultiPolygon<f64>,
    changed: &[(RingRef, Vec<usize>)],
) -> Result<(), VertexProblem> {
    let polygons = open_rings(shape);
    let invalid = |f: ShapeFault| Err(VertexProblem::Invalid(f));
    let mut touching = Touching::new();
    for (r, edges) in changed {
        let ring = &polygons[r.polygon][r.ring];
        let n = ring.len();
        if n < 3 {
            return invalid(ShapeFault::TooFewPositions { ring: *r });
        }
        for &e in edges {
            let (a0, a1) = (ring[e], ring[(e + 1) % n]);
            for (pj, rings) in polygons.iter().enumerate() {
                for (rj, other) in rings.iter().enumerate() {
                    let m = other.len();
                    let same_ring = (pj, rj) == (r.polygon, r.ring);
                    for f in 0..m {
                        if same_ring && f == e {
                            continue;
                        }
                        let how = meet(a0, a1, other[f], other[(f + 1) % m]);
                        let fault = if same_ring {
                            let neighbours = f == (e + 1) % n || e == (f + 1) % n;
                            match how {
                                Meet::Apart => false,
                                Meet::Touch => !neighbours,
                                Meet::Cross | Meet::Overlap => true,
                            }
                            .then_some(ShapeFault::SelfIntersection { ring: *r })
                        } else if how == Meet::Touch {
                            let (a, b) = ((r.polygon, r.ring), (pj, rj));
                            touching.insert([a, b]);
                            touching.insert([b, a]);
                            None
                        } else if matches!(how, Meet::Cross | Meet::Overlap) {
                            Some(if pj == r.polygon {
                                ShapeFault::RingsCross {
                                    ring: *r,
                                    other: RingRef {
                                        polygon: pj,
                                        ring: rj,
                                    },
                                }
                            } else {
                                ShapeFault::PolygonsOverlap {
                                    polygon: r.polygon.min(pj),
                                    other: r.polygon.max(pj),
                                }
                            })
                        } else {
                            None
                        };
                        if let Some(f) = fault {
                            return invalid(f);
                        }
                    }
                }
            }
        }
    }
    let mut changed_polygons: Vec<usize> = changed.iter().map(|(r, _)| r.polygon).collect();
    changed_polygons.dedup();
    for p in changed_polygons {
        check_nesting_of(&polygons, p, &touching).map_err(VertexProblem::Invalid)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Validation, coord};

    fn square(x0: f64, y0: f64, d: f64) -> LineString<f64> {
        LineString::from(vec![
            (x0, y0),
            (x0 + d, y0),
            (x0 + d, y0 + d),
            (x0, y0 + d),
            (x0, y0),
        ])
    }

    fn v(polygon: usize, ring: usize, vertex: usize) -> VertexRef {
        VertexRef {
            polygon,
            ring,
            vertex,
        }
    }

    fn holed() -> MultiPolygon<f64> {
        MultiPolygon(vec![Polygon::new(
            square(0., 0., 4.),
            vec![LineString::from(vec![
                (1., 1.),
                (1., 2.),
                (2., 2.),
                (2., 1.),
                (1., 1.),
            ])],
        )])
    }

    #[test]
    fn moves_that_would_break_the_shape_are_refused() {
        let shape = holed();
        // The exterior's corner into the hole.
        assert_eq!(
            move_vertex(&shape, v(0, 0, 2), coord! { x: 1.5, y: 1.5 }),
            Err(VertexProblem::Invalid(ShapeFault::RingsCross {
                ring: RingRef {
                    polygon: 0,
                    ring: 0
                },
                other: RingRef {
                    polygon: 0,
                    ring: 1
                }
            }))
        );
        // The hole's corner out through the exterior.
        assert!(matches!(
            move_vertex(&shape, v(0, 1, 2), coord! { x: 5., y: 5. }),
            Err(VertexProblem::Invalid(ShapeFault::RingsCross { .. }))
        ));
        // A corner pulled in past the hole leaves it outside without crossing it.
        let thin = MultiPolygon(vec![Polygon::new(
            LineString::from(vec![(0., 0.), (4., 0.), (2., 4.), (0., 0.)]),
            vec![LineString::from(vec![
                (1.8, 2.),
                (1.8, 2.5),
                (2.2, 2.5),
                (2.2, 2.),
                (1.8, 2.),
            ])],
        )]);
        assert_eq!(
            move_vertex(&thin, v(0, 0, 2), coord! { x: 2., y: -4. }),
            Err(VertexProblem::Invalid(ShapeFault::HoleOutside {
                ring: RingRef {
                    polygon: 0,
                    ring: 1
                }
            }))
        );
        assert_eq!(
            move_vertex(&shape, v(0, 0, 9), coord! { x: 1., y: 1. }),
            Err(VertexProblem::NoSuchVertex(v(0, 0, 9)))
        );
        assert_eq!(
            move_vertex(&shape, v(0, 0, 1), coord! { x: f64::NAN, y: 1. }),
            Err(VertexProblem::NotFinite)
        );
        // Back along its own edge: a spike.
        assert!(matches!(
            move_vertex(&shape, v(0, 0, 1), coord! { x: 4., y: 5. }),
            Err(VertexProblem::Invalid(ShapeFault::SelfIntersection { .. }))
        ));
    }

    #[test]
    fn a_valid_move_stays_valid() {
        let shape = holed();
        let moved = move_vertex(&shape, v(0, 0, 2), coord! { x: 5., y: 6. }).unwrap();
        assert!(moved.is_valid());
        assert_eq!(moved.0[0].exterior().0[2], coord! { x: 5., y: 6. });
        // Vertex 0 is also the closing position.
        let moved = move_vertex(&shape, v(0, 0, 0), coord! { x: -1., y: -1. }).unwrap();
        let ring = &moved.0[0].exterior().0;
        assert_eq!(ring[0], ring[ring.len() - 1]);
        assert_eq!(ring[0], coord! { x: -1., y: -1. });
        assert_eq!(moved.0[0].interiors(), shape.0[0].interiors());
    }

    /// Onto its neighbour: the vertex goes; a triangle's vertex cannot.
    #[test]
    fn onto_a_neighbour_removes_the_vertex() {
        let shape = holed();
        let moved = move_vertex(&shape, v(0, 0, 2), coord! { x: 4., y: 0. }).unwrap();
        assert_eq!(moved.0[0].exterior().0.len(), 4);
        assert!(moved.is_valid());
        // Onto the other neighbour, the hole would straddle the new edge (through two of its
        // corners, touching it).
        assert_eq!(
            move_vertex(&shape, v(0, 0, 1), coord! { x: 4., y: 4. }),
            Err(VertexProblem::Invalid(ShapeFault::HoleOutside {
                ring: RingRef {
                    polygon: 0,
                    ring: 1
                }
            }))
        );
        let triangle = MultiPolygon(vec![Polygon::new(
            LineString::from(vec![(0., 0.), (1., 0.), (0., 1.)]),
            vec![],
        )]);
        assert_eq!(
            move_vertex(&triangle, v(0, 0, 1), coord! { x: 0., y: 1. }),
            Err(VertexProblem::Invalid(ShapeFault::TooFewPositions {
                ring: RingRef {
                    polygon: 0,
                    ring: 0
                }
            }))
        );
    }

    /// Repeated positions count as stored: vertex 2 of [a, b, b, c, d] is the second b.
    #[test]
    fn repeated_positions_are_counted_as_stored() {
        let shape = MultiPolygon(vec![Polygon::new(
            LineString::from(vec![
                (0., 0.),
                (2., 0.),
                (2., 0.),
                (2., 2.),
                (0., 2.),
                (0., 0.),
            ]),
            vec![],
        )]);
        let moved = move_vertex(&shape, v(0, 0, 2), coord! { x: 3., y: 0. }).unwrap();
        assert_eq!(
            moved.0[0].exterior().0,
            vec![
                coord! { x: 0., y: 0. },
                coord! { x: 3., y: 0. },
                coord! { x: 2., y: 2. },
                coord! { x: 0., y: 2. },
                coord! { x: 0., y: 0. }
            ]
        );
        let inserted = insert_vertex(&shape, v(0, 0, 3), coord! { x: 1., y: 2.5 }).unwrap();
        assert_eq!(inserted.0[0].exterior().0[3], coord! { x: 1., y: 2.5 });
        let deleted = delete_vertex(&shape, v(0, 0, 4)).unwrap();
        assert_eq!(deleted.0[0].exterior().0.len(), 4);
    }

    #[test]
    fn insertion_and_deletion_are_checked() {
        let shape = holed();
        assert!(matches!(
            insert_vertex(&shape, v(0, 0, 0), coord! { x: 1.5, y: 1.5 }),
            Err(VertexProblem::Invalid(ShapeFault::RingsCross { .. }))
        ));
        assert_eq!(
            insert_vertex(&shape, v(0, 2, 0), coord! { x: 1., y: 1. }),
            Err(VertexProblem::NoSuchVertex(v(0, 2, 0)))
        );
        // Deleting a corner of a square cuts it along the diagonal: through a hole there, or
        // leaving one beyond it outside.
        let with_hole = |x0: f64, y0: f64| {
            MultiPolygon(vec![Polygon::new(
                square(0., 0., 4.),
                vec![LineString::from(vec![
                    (x0, y0),
                    (x0, y0 + 1.),
                    (x0 + 1., y0 + 1.),
                    (x0 + 1., y0),
                    (x0, y0),
                ])],
            )])
        };
        assert!(matches!(
            delete_vertex(&with_hole(1.5, 1.6), v(0, 0, 2)),
            Err(VertexProblem::Invalid(ShapeFault::RingsCross { .. }))
        ));
        assert!(matches!(
            delete_vertex(&with_hole(2.5, 2.5), v(0, 0, 2)),
            Err(VertexProblem::Invalid(ShapeFault::HoleOutside { .. }))
        ));
        // Through two corners of the hole: it touches the new edge and straddles it.
        assert!(matches!(
            delete_vertex(&with_hole(1.5, 1.5), v(0, 0, 2)),
            Err(VertexProblem::Invalid(ShapeFault::HoleOutside { .. }))
        ));
        assert!(delete_vertex(&with_hole(0.5, 0.5), v(0, 0, 2)).is_ok());
    }

    /// Three lots sharing a corner: all three move; a lot without it is not returned; a move
    /// that would break one lot moves none.
    #[test]
    fn a_shared_corner_moves_in_every_lot() {
        let lot =
            |pts: Vec<(f64, f64)>| MultiPolygon(vec![Polygon::new(LineString::from(pts), vec![])]);
        let shapes = [
            lot(vec![(0., 0.), (1., 0.), (1., 1.), (0., 1.)]),
            lot(vec![(1., 0.), (2., 0.), (2., 1.), (1., 1.)]),
            lot(vec![(5., 5.), (6., 5.), (6., 6.)]),
            lot(vec![(0., 1.), (1., 1.), (2., 1.), (2., 2.), (0., 2.)]),
        ];
        let corner = coord! { x: 1., y: 1. };
        let to = coord! { x: 1.1, y: 0.9 };
        let moved = move_shared_vertex(&shapes, corner, to).unwrap();
        assert_eq!(
            moved.iter().map(|m| m.shape).collect::<Vec<_>>(),
            vec![0, 1, 3]
        );
        for m in &moved {
            let ring = &m.result.0[0].exterior().0;
            assert!(ring.contains(&to) && !ring.contains(&corner));
            assert!(m.result.is_valid());
        }
        // Down past the bottom edge of lots 0 and 1: lot 1's ring would cross itself.
        let err = move_shared_vertex(&shapes, corner, coord! { x: 1.5, y: -1. }).unwrap_err();
        assert_eq!(err.shape, 0);
        assert!(matches!(err.problem, VertexProblem::Invalid(_)));
        assert!(
            move_shared_vertex(&shapes, coord! { x: 9., y: 9. }, to)
                .unwrap()
                .is_empty()
        );
    }
}
