//! The geometry of planning edits: cutting a lot or zone in two, merging lots, moving,
//! inserting and deleting vertices, and snapping to neighbouring vertices and edges.
//!
//! Plain functions over `geo` types in longitude/latitude degrees (WGS84), knowing nothing of
//! documents, datasets or the edit model. Problems are typed values; the words are the
//! catalogue's ([`crate::i18n`]).
//!
//! Edges are geodesics, as in the engine's areas ([`super::geodesy::geodesic_area_m2`]): a point
//! put on an edge (a split's crossing, an edge snap) is computed on the geodesic itself, to
//! nanometres, so that the parts of a split add up to the whole to about 1e-12 of its area. A
//! point computed on the straight line in longitude/latitude would be off the edge by up to
//! 8 mm on a 1 km edge, and 19 cm on a 5 km one (at 21° N), changing areas by 1e-7 to 1e-5.
//! Topology (which edge a line crosses, on which side a part lies, whether rings cross) is
//! decided with exact predicates in longitude/latitude (`geo`'s robust kernel); on lots and
//! zones the two disagree only within millimetres of a vertex.
//!
//! - [`split`]: a shape cut by a line into parts, left of the line first;
//! - [`merge`]: lots that share an edge stitched into one, the shared edges dropped;
//! - [`vertices`]: move, insert or delete a vertex, and move a vertex shared by several shapes;
//! - [`snap`]: the nearest vertex or edge of many shapes within a tolerance;
//! - [`check_shape`]: whether a shape is valid (closed rings of at least three distinct
//!   positions, no ring crossing itself or another, holes inside, parts apart).

mod check;
mod faces;
mod geodesic_edge;
pub mod merge;
pub mod snap;
pub mod split;
pub mod vertices;

use geo::{Coord, LineString, MultiPolygon};

pub use check::check_shape;
pub use merge::{MERGE_TOLERANCE_M, MergeProblem, merge};
pub use snap::{Snap, SnapIndex, SnapTarget, snap_among};
pub use split::{SplitProblem, split};
pub use vertices::{
    Moved, SharedMoveProblem, VertexProblem, delete_vertex, insert_vertex, move_shared_vertex,
    move_vertex, vertex_at,
};

/// A ring of a multipolygon: its polygon, and 0 for the exterior or k for hole k − 1 (the
/// order of `Polygon::interiors`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RingRef {
    pub polygon: usize,
    pub ring: usize,
}

/// A vertex of a multipolygon: its ring and its position in it, counted without the closing
/// repeat of the first position (vertex 0 is also the ring's last position). Edge `vertex` of a
/// ring runs from this vertex to the next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VertexRef {
    pub polygon: usize,
    pub ring: usize,
    pub vertex: usize,
}

impl VertexRef {
    pub fn ring_ref(self) -> RingRef {
        RingRef {
            polygon: self.polygon,
            ring: self.ring,
        }
    }
}

/// Why a shape is not valid (see [`check_shape`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShapeFault {
    /// No polygon, or a polygon without positions.
    Empty,
    /// A coordinate that is not a finite number.
    NotFinite { at: VertexRef },
    /// A position outside longitude/latitude range (−180…180, −90…90), as the engine's
    /// reader refuses it ([`super::geometry::GeometryProblem::OutOfRange`]).
    OutOfRange { at: VertexRef },
    /// A ring with fewer than three distinct positions.
    TooFewPositions { ring: RingRef },
    /// A ring whose edges cross, touch or run back over each other.
    SelfIntersection { ring: RingRef },
    /// Two rings of a polygon that cross or share a stretch of boundary.
    RingsCross { ring: RingRef, other: RingRef },
    /// A hole that is not inside its polygon's exterior, or is inside another hole.
    HoleOutside { ring: RingRef },
    /// Two polygons of the shape that overlap or share a stretch of boundary.
    PolygonsOverlap { polygon: usize, other: usize },
}

/// A ring's distinct positions in order, without the closing repeat and without consecutive
/// repeats (a repeated point adds no edge).
/// A ring's positions as stored, without the closing repeat: what [`VertexRef::vertex`]
/// counts.
pub(crate) fn stored_positions(ring: &LineString<f64>) -> &[Coord<f64>] {
    let c = &ring.0;
    if c.len() > 1 && c.first() == c.last() {
        &c[..c.len() - 1]
    } else {
        c
    }
}

/// Every corner of a shape, numbered as [`VertexRef`] counts them, with its position.
///
/// ```
/// use geo::{coord, polygon, MultiPolygon};
/// use zoneatlas::engine::shape_edit::{VertexRef, corners};
/// let lot = MultiPolygon(vec![polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0)]]);
/// let all: Vec<_> = corners(&lot).collect();
/// assert_eq!(all.len(), 3, "the closing repeat is not a corner");
/// assert_eq!(all[2], (VertexRef { polygon: 0, ring: 0, vertex: 2 }, coord! { x: 1.0, y: 1.0 }));
/// ```
pub fn corners(shape: &MultiPolygon<f64>) -> impl Iterator<Item = (VertexRef, Coord<f64>)> + '_ {
    shape.0.iter().enumerate().flat_map(|(polygon, p)| {
        std::iter::once(p.exterior())
            .chain(p.interiors())
            .enumerate()
            .flat_map(move |(ring, ls)| {
                stored_positions(ls)
                    .iter()
                    .enumerate()
                    .map(move |(vertex, &c)| {
                        let at = VertexRef {
                            polygon,
                            ring,
                            vertex,
                        };
                        (at, c)
                    })
            })
    })
}

/// Positions to put into ring edges, by (ring, edge), each with how far along the edge it lies.
pub(crate) type EdgeInserts = std::collections::HashMap<(usize, usize), Vec<(f64, Coord<f64>)>>;

pub(crate) fn open_ring(ring: &LineString<f64>) -> Vec<Coord<f64>> {
    let mut out: Vec<Coord<f64>> = Vec::with_capacity(ring.0.len());
    for &c in &ring.0 {
        if out.last() != Some(&c) {
            out.push(c);
        }
    }
    while out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    out
}

/// A closed ring from distinct positions.
pub(crate) fn closed_ring(mut coords: Vec<Coord<f64>>) -> LineString<f64> {
    if let Some(&first) = coords.first() {
        coords.push(first);
    }
    LineString(coords)
}

/// A coordinate as a hash key: its bits, with −0 read as +0 (the same position).
pub(crate) fn key(c: Coord<f64>) -> [u64; 2] {
    [(c.x + 0.0).to_bits(), (c.y + 0.0).to_bits()]
}

/// The same position, bit for bit (−0 and +0 alike).
pub(crate) fn same(a: Coord<f64>, b: Coord<f64>) -> bool {
    key(a) == key(b)
}

/// Twice the signed planar area of an open ring (positive when counter-clockwise), shifted to
/// its first position to keep the products small.
pub(crate) fn signed_area2(ring: &[Coord<f64>]) -> f64 {
    let n = ring.len();
    if n < 3 {
        return 0.0;
    }
    let o = ring[0];
    let mut twice = 0.0;
    for i in 1..n - 1 {
        let (a, b) = (ring[i] - o, ring[i + 1] - o);
        twice += a.x * b.y - b.x * a.y;
    }
    twice
}

/// Metres in a degree of latitude, at least (the meridian's, at the equator): turns a metric
/// tolerance into a generous one in degrees for a search box.
pub(crate) const MIN_METRES_PER_DEGREE: f64 = 110_574.0;

/// A search radius in degrees that covers `metres` around latitude `lat` in both directions.
/// Whether a position is longitude/latitude: finite, within −180…180 and −90…90.
pub(crate) fn in_range(c: Coord<f64>) -> bool {
    (-180.0..=180.0).contains(&c.x) && (-90.0..=90.0).contains(&c.y)
}

pub(crate) fn degrees_covering(metres: f64, lat: f64) -> f64 {
    let cos = lat.to_radians().cos().abs().max(1e-3);
    2.0 * metres / (MIN_METRES_PER_DEGREE * cos)
}
