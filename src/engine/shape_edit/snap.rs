//! Snapping: the vertex or edge of many shapes (lots, zone boundaries) nearest a position,
//! within a tolerance.
//!
//! Two R-trees, of vertices and of edges. A vertex within the tolerance wins over any edge,
//! and the snapped position is the vertex's own bits, so that a lot drawn against its
//! neighbour shares its corners exactly. An edge snap gives the point of the edge's geodesic
//! nearest the position (the edge as the engine measures it: a point there leaves the
//! neighbour's area unchanged when it is put into its edge), found by way of the nearest point
//! of the straight segment in degrees.
//!
//! The tolerance is a distance in degrees, the same along longitude and latitude (the map
//! turns its pixels into degrees of longitude; in Web Mercator a pixel spans cos φ as many
//! degrees of latitude, so the tolerance reaches 1/cos φ further north and south than east and
//! west: 8% at 22° N).

use geo::{Coord, MultiPolygon};
use rstar::RTree;
use rstar::primitives::{GeomWithData, Line as RLine};

use super::geodesic_edge::{GeodesicEdge, OnEdge};
use super::{VertexRef, stored_positions};

/// What a position snapped to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SnapTarget {
    /// A vertex.
    Vertex(VertexRef),
    /// The edge from this vertex to the next.
    Edge(VertexRef),
}

/// A snapped position: where, onto which shape (the caller's key), and onto what of it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Snap<K> {
    pub at: Coord<f64>,
    pub shape: K,
    pub target: SnapTarget,
}

type VertexEntry<K> = GeomWithData<[f64; 2], (K, VertexRef)>;
type EdgeEntry<K> = GeomWithData<RLine<[f64; 2]>, (K, VertexRef)>;

/// The vertices and edges of many shapes, each under the caller's key `K` (a layer and a
/// feature, say).
pub struct SnapIndex<K> {
    vertices: RTree<VertexEntry<K>>,
    edges: RTree<EdgeEntry<K>>,
}

/// A shape's vertices and edges (zero-length edges left out).
fn entries<K: Copy>(key: K, shape: &MultiPolygon<f64>) -> (Vec<VertexEntry<K>>, Vec<EdgeEntry<K>>) {
    let (mut vertices, mut edges) = (Vec::new(), Vec::new());
    for (polygon, p) in shape.0.iter().enumerate() {
        for (ring, ls) in std::iter::once(p.exterior())
            .chain(p.interiors())
            .enumerate()
        {
            let c = stored_positions(ls);
            let n = c.len();
            for vertex in 0..n {
                let (a, b) = (c[vertex], c[(vertex + 1) % n]);
                if !(a.x.is_finite() && a.y.is_finite()) {
                    continue;
                }
                let at = VertexRef {
                    polygon,
                    ring,
                    vertex,
                };
                vertices.push(GeomWithData::new([a.x, a.y], (key, at)));
                if a != b && b.x.is_finite() && b.y.is_finite() {
                    edges.push(GeomWithData::new(
                        RLine::new([a.x, a.y], [b.x, b.y]),
                        (key, at),
                    ));
                }
            }
        }
    }
    (vertices, edges)
}

/// As [`SnapIndex::snap_where`], over a few shapes read once (those near the point, found in
/// the layers' R-trees): one pass over their vertices and edges instead of building an index
/// per query, which for a 5,000-vertex zone under the pointer costs milliseconds a frame. Ties
/// go to the first shape given.
///
/// ```
/// use geo::{coord, polygon, MultiPolygon};
/// use zoneatlas::engine::shape_edit::{SnapIndex, SnapTarget, snap_among};
/// let lot = MultiPolygon(vec![polygon![
///     (x: 106.0, y: 21.0), (x: 106.001, y: 21.0), (x: 106.001, y: 21.001), (x: 106.0, y: 21.001)
/// ]]);
/// let index = SnapIndex::new([("A-01", &lot)]);
/// for p in [coord! { x: 106.00101, y: 21.00099 }, coord! { x: 106.0005, y: 21.00002 }] {
///     let scanned = snap_among([("A-01", &lot)], p, 1e-4, |_, _| true);
///     assert_eq!(scanned, index.snap(p, 1e-4));
/// }
/// ```
pub fn snap_among<'a, K: Copy + PartialEq + 'a>(
    shapes: impl IntoIterator<Item = (K, &'a MultiPolygon<f64>)>,
    point: Coord<f64>,
    tolerance_deg: f64,
    accept: impl Fn(K, SnapTarget) -> bool,
) -> Option<Snap<K>> {
    if !(point.x.is_finite() && point.y.is_finite() && tolerance_deg >= 0.0) {
        return None;
    }
    let reach2 = tolerance_deg * tolerance_deg;
    let mut vertex: Option<(f64, Coord<f64>, K, VertexRef)> = None;
    let mut edge: Option<(f64, EdgeEntry<K>)> = None;
    for (key, shape) in shapes {
        let (vertices, edges) = entries(key, shape);
        for v in vertices {
            let [x, y] = *v.geom();
            let d2 = (x - point.x).powi(2) + (y - point.y).powi(2);
            if d2 <= reach2
                && vertex.is_none_or(|(best, ..)| d2 < best)
                && accept(key, SnapTarget::Vertex(v.data.1))
            {
                vertex = Some((d2, Coord { x, y }, key, v.data.1));
            }
        }
        if vertex.is_some() {
            continue;
        }
        for e in edges {
            let d2 = rstar::PointDistance::distance_2(e.geom(), &[point.x, point.y]);
            if d2 <= reach2
                && edge.as_ref().is_none_or(|(best, _)| d2 < *best)
                && accept(key, SnapTarget::Edge(e.data.1))
            {
                edge = Some((d2, e));
            }
        }
    }
    if let Some((_, at, shape, v)) = vertex {
        return Some(Snap {
            at,
            shape,
            target: SnapTarget::Vertex(v),
        });
    }
    edge.map(|(_, e)| edge_snap(&e, point))
}

/// A snap onto an edge: the point of its geodesic nearest `point`, found by way of the nearest
/// point of the straight segment in degrees.
fn edge_snap<K: Copy>(e: &EdgeEntry<K>, point: Coord<f64>) -> Snap<K> {
    let ((shape, from), line) = (e.data, e.geom());
    let a = Coord {
        x: line.from[0],
        y: line.from[1],
    };
    let b = Coord {
        x: line.to[0],
        y: line.to[1],
    };
    let at = match GeodesicEdge::new(a, b).nearest(point).1 {
        OnEdge::Start => a,
        OnEdge::End => b,
        OnEdge::Inside(_, c) => c,
    };
    Snap {
        at,
        shape,
        target: SnapTarget::Edge(from),
    }
}

impl<K: Copy + PartialEq> SnapIndex<K> {
    /// An index over the given shapes, bulk-loaded.
    ///
    /// ```
    /// use geo::{coord, polygon, MultiPolygon};
    /// use zoneatlas::engine::shape_edit::{SnapIndex, SnapTarget, VertexRef};
    /// let lot = MultiPolygon(vec![polygon![
    ///     (x: 106.0, y: 21.0), (x: 106.001, y: 21.0), (x: 106.001, y: 21.001), (x: 106.0, y: 21.001)
    /// ]]);
    /// let index = SnapIndex::new([("A-01", &lot)]);
    /// let snap = index.snap(coord! { x: 106.00101, y: 21.00099 }, 1e-4).unwrap();
    /// assert_eq!(snap.at, coord! { x: 106.001, y: 21.001 });
    /// assert_eq!(snap.shape, "A-01");
    /// assert_eq!(snap.target, SnapTarget::Vertex(VertexRef { polygon: 0, ring: 0, vertex: 2 }));
    /// let edge = index.snap(coord! { x: 106.0005, y: 21.00001 }, 1e-4).unwrap();
    /// assert!(matches!(edge.target, SnapTarget::Edge(_)));
    /// assert!((edge.at.y - 21.0).abs() < 1e-8);
    /// assert!(index.snap(coord! { x: 106.01, y: 21.0 }, 1e-4).is_none());
    /// ```
    pub fn new<'a>(shapes: impl IntoIterator<Item = (K, &'a MultiPolygon<f64>)>) -> Self {
        let (mut vertices, mut edges) = (Vec::new(), Vec::new());
        for (key, shape) in shapes {
            let (v, e) = entries(key, shape);
            vertices.extend(v);
            edges.extend(e);
        }
        Self {
            vertices: RTree::bulk_load(vertices),
            edges: RTree::bulk_load(edges),
        }
    }

    /// Adds a shape (a lot drawn or reshaped).
    pub fn insert(&mut self, key: K, shape: &MultiPolygon<f64>) {
        let (vertices, edges) = entries(key, shape);
        for v in vertices {
            self.vertices.insert(v);
        }
        for e in edges {
            self.edges.insert(e);
        }
    }

    /// Removes a shape, given as it was inserted.
    pub fn remove(&mut self, key: K, shape: &MultiPolygon<f64>) {
        let (vertices, edges) = entries(key, shape);
        for v in &vertices {
            self.vertices.remove(v);
        }
        for e in &edges {
            self.edges.remove(e);
        }
    }

    /// The vertex nearest `point` within `tolerance_deg`, else the nearest point of the
    /// nearest edge within it.
    pub fn snap(&self, point: Coord<f64>, tolerance_deg: f64) -> Option<Snap<K>> {
        self.snap_where(point, tolerance_deg, |_, _| true)
    }

    /// As [`SnapIndex::snap`], among the targets `accept` takes (say, not the vertex being
    /// dragged nor the edges that move with it).
    pub fn snap_where(
        &self,
        point: Coord<f64>,
        tolerance_deg: f64,
        accept: impl Fn(K, SnapTarget) -> bool,
    ) -> Option<Snap<K>> {
        if !(point.x.is_finite() && point.y.is_finite() && tolerance_deg >= 0.0) {
            return None;
        }
        let reach2 = tolerance_deg * tolerance_deg;
        let q = [point.x, point.y];
        let vertex = self
            .vertices
            .nearest_neighbor_iter_with_distance_2(&q)
            .take_while(|(_, d2)| *d2 <= reach2)
            .map(|(v, _)| v)
            .find(|v| accept(v.data.0, SnapTarget::Vertex(v.data.1)));
        if let Some(v) = vertex {
            return Some(Snap {
                at: Coord {
                    x: v.geom()[0],
                    y: v.geom()[1],
                },
                shape: v.data.0,
                target: SnapTarget::Vertex(v.data.1),
            });
        }
        let edge = self
            .edges
            .nearest_neighbor_iter_with_distance_2(&q)
            .take_while(|(_, d2)| *d2 <= reach2)
            .map(|(e, _)| e)
            .find(|e| accept(e.data.0, SnapTarget::Edge(e.data.1)))?;
        Some(edge_snap(edge, point))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, Polygon, coord};

    fn lot(x0: f64, y0: f64, d: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![Polygon::new(
            LineString::from(vec![(x0, y0), (x0 + d, y0), (x0 + d, y0 + d), (x0, y0 + d)]),
            vec![],
        )])
    }

    /// The one pass over a few shapes finds what the index finds, over a grid of points in
    /// and around three lots apart (no ties), with a filter too.
    #[test]
    fn snapping_among_shapes_agrees_with_the_index() {
        let shapes = [
            lot(106.0, 21.0, 1e-3),
            lot(106.0012, 21.0001, 8e-4),
            lot(105.9995, 21.0013, 1.3e-3),
        ];
        let keyed: Vec<(usize, &MultiPolygon<f64>)> = shapes.iter().enumerate().collect();
        let index = SnapIndex::new(keyed.clone());
        let not_second = |k: usize, _| k != 1;
        let mut found = 0;
        for i in 0..60 {
            for j in 0..60 {
                let p = coord! { x: 105.9990 + i as f64 * 5.3e-5, y: 20.9990 + j as f64 * 5.1e-5 };
                for tolerance in [2e-5, 1e-4] {
                    let scanned = snap_among(keyed.clone(), p, tolerance, |_, _| true);
                    assert_eq!(scanned, index.snap(p, tolerance), "{p:?} {tolerance}");
                    assert_eq!(
                        snap_among(keyed.clone(), p, tolerance, not_second),
                        index.snap_where(p, tolerance, not_second)
                    );
                    found += usize::from(scanned.is_some());
                }
            }
        }
        assert!(found > 500, "{found}");
    }

    /// The snapped position is the vertex's own bits, even where the vertex is no round
    /// number; a vertex within the tolerance beats a nearer edge.
    #[test]
    fn vertices_win_and_keep_their_bits() {
        let odd = 106.000_123_456_789_01_f64;
        let a = lot(odd, 21.000_000_000_3, 1e-3);
        let b = lot(odd + 1e-3, 21.0, 1e-3);
        let index = SnapIndex::new([(0, &a), (1, &b)]);
        let target = a.0[0].exterior().0[1];
        let snap = index
            .snap(coord! { x: target.x + 4e-6, y: target.y + 1e-6 }, 1e-5)
            .unwrap();
        assert_eq!(snap.at.x.to_bits(), target.x.to_bits());
        assert_eq!(snap.at.y.to_bits(), target.y.to_bits());
        // 1e-6 from an edge, 8e-6 from a vertex: the vertex.
        let near_edge = coord! { x: odd + 8e-6, y: 21.000_000_000_3 - 1e-6 };
        assert!(matches!(
            index.snap(near_edge, 1e-5).unwrap().target,
            SnapTarget::Vertex(_)
        ));
        // With a tolerance short of the vertex: the edge, on its geodesic.
        let snap = index.snap(near_edge, 5e-6).unwrap();
        assert_eq!(
            snap.target,
            SnapTarget::Edge(VertexRef {
                polygon: 0,
                ring: 0,
                vertex: 0
            })
        );
        let edge = GeodesicEdge::new(a.0[0].exterior().0[0], a.0[0].exterior().0[1]);
        assert!(edge.offsets(snap.at).1.abs() < 1e-9);
        assert!(index.snap(near_edge, 1e-7).is_none());
    }

    #[test]
    fn filtered_updated_and_removed() {
        let a = lot(106.0, 21.0, 1e-3);
        let mut index = SnapIndex::new([("a", &a)]);
        let corner = coord! { x: 106.001, y: 21.0 };
        assert!(index.snap_where(corner, 1e-5, |k, _| k != "a").is_none());
        let b = lot(106.001, 21.0, 1e-3);
        index.insert("b", &b);
        let snap = index.snap_where(corner, 1e-5, |k, _| k != "a").unwrap();
        assert_eq!(snap.shape, "b");
        index.remove("a", &a);
        assert_eq!(index.snap(coord! { x: 106.0, y: 21.0 }, 1e-5), None);
        assert_eq!(index.snap(corner, 1e-5).unwrap().shape, "b");
        assert_eq!(index.snap(coord! { x: f64::NAN, y: 21.0 }, 1e-5), None);
    }
}
