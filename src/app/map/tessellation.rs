//! Features triangulated once, in world coordinates, and only transformed each frame.
//!
//! egui fills only convex polygons correctly; zones are concave and have holes (a village kept
//! out of the zone, a lake), so each polygon is triangulated with earcut. Vertices are stored
//! as `f32` offsets from the feature's own origin (in `f64`), which keeps them exact to well
//! under a pixel at any zoom.

use egui::{Color32, Pos2, Rect, epaint::Mesh};
use geo::{Coord, LineString, MultiPolygon, Polygon, TriangulateEarcut};

use super::camera::Camera;
use super::projection::{World, to_world};

/// One feature, ready to draw.
#[derive(Clone, Debug, Default)]
pub struct FeatureMesh {
    pub origin: World,
    /// Triangle vertices, offsets from `origin` in world units.
    pub fill: Vec<[f32; 2]>,
    pub triangles: Vec<u32>,
    /// Boundary rings (exteriors and holes), offsets from `origin`, without the closing point.
    pub rings: Vec<Vec<[f32; 2]>>,
    /// Bounding box in world coordinates.
    pub min: World,
    pub max: World,
}

impl FeatureMesh {
    pub fn new(geometry: &MultiPolygon<f64>) -> FeatureMesh {
        let world: Vec<Polygon<f64>> = geometry
            .0
            .iter()
            .map(|p| {
                let ring = |l: &LineString<f64>| {
                    LineString::from(l.0.iter().map(|c| to_world(*c)).collect::<Vec<_>>())
                };
                Polygon::new(ring(p.exterior()), p.interiors().iter().map(ring).collect())
            })
            .collect();
        let mut min = Coord {
            x: f64::INFINITY,
            y: f64::INFINITY,
        };
        let mut max = Coord {
            x: f64::NEG_INFINITY,
            y: f64::NEG_INFINITY,
        };
        for c in world.iter().flat_map(|p| p.exterior().0.iter()) {
            min.x = min.x.min(c.x);
            min.y = min.y.min(c.y);
            max.x = max.x.max(c.x);
            max.y = max.y.max(c.y);
        }
        if !min.x.is_finite() {
            return FeatureMesh::default();
        }
        let origin = min;
        let off = |c: &Coord<f64>| [(c.x - origin.x) as f32, (c.y - origin.y) as f32];
        let mut mesh = FeatureMesh {
            origin,
            min,
            max,
            ..Default::default()
        };
        for poly in &world {
            if poly.exterior().0.len() < 4 {
                continue;
            }
            let base = mesh.fill.len() as u32;
            let raw = poly.earcut_triangles_raw();
            mesh.fill.extend(
                raw.vertices
                    .iter()
                    .map(|v| [(v[0] - origin.x) as f32, (v[1] - origin.y) as f32]),
            );
            mesh.triangles
                .extend(raw.triangle_indices.iter().map(|i| base + *i as u32));
            for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
                let mut pts: Vec<[f32; 2]> = ring.0.iter().map(off).collect();
                if pts.len() > 1 && pts.first() == pts.last() {
                    pts.pop();
                }
                mesh.rings.push(pts);
            }
        }
        mesh
    }

    /// The screen position of the origin and the pixels per world unit, for [`Self::at`].
    pub fn transform(&self, camera: &Camera, view: Rect) -> (Pos2, f32) {
        (
            camera.world_to_screen(self.origin, view),
            camera.scale() as f32,
        )
    }

    #[inline]
    pub fn at(base: Pos2, scale: f32, v: [f32; 2]) -> Pos2 {
        Pos2::new(base.x + v[0] * scale, base.y + v[1] * scale)
    }

    /// Screen size of the bounding box, pixels.
    pub fn screen_size(&self, camera: &Camera) -> f32 {
        let s = camera.scale();
        (((self.max.x - self.min.x) * s).max((self.max.y - self.min.y) * s)) as f32
    }

    /// Appends the filled triangles to `mesh` in one colour.
    pub fn fill_into(&self, mesh: &mut Mesh, base: Pos2, scale: f32, color: Color32) {
        let first = mesh.vertices.len() as u32;
        for v in &self.fill {
            mesh.colored_vertex(Self::at(base, scale, *v), color);
        }
        mesh.indices
            .extend(self.triangles.iter().map(|i| first + i));
    }

    /// The boundary rings on screen.
    pub fn rings_on_screen(&self, base: Pos2, scale: f32) -> impl Iterator<Item = Vec<Pos2>> + '_ {
        self.rings
            .iter()
            .map(move |r| r.iter().map(|v| Self::at(base, scale, *v)).collect())
    }

    /// Appends the boundary as thin quads (cheaper than egui's anti-aliased paths when there
    /// are thousands of lots on screen).
    pub fn outline_into(
        &self,
        mesh: &mut Mesh,
        base: Pos2,
        scale: f32,
        width: f32,
        color: Color32,
    ) {
        let h = width / 2.0;
        for ring in &self.rings {
            let n = ring.len();
            for i in 0..n {
                let a = Self::at(base, scale, ring[i]);
                let b = Self::at(base, scale, ring[(i + 1) % n]);
                let d = b - a;
                let len = d.length();
                if len < 0.01 {
                    continue;
                }
                let nrm = egui::vec2(-d.y, d.x) * (h / len);
                let k = mesh.vertices.len() as u32;
                mesh.colored_vertex(a + nrm, color);
                mesh.colored_vertex(b + nrm, color);
                mesh.colored_vertex(b - nrm, color);
                mesh.colored_vertex(a - nrm, color);
                mesh.indices
                    .extend_from_slice(&[k, k + 1, k + 2, k, k + 2, k + 3]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area, polygon};

    /// A concave "U" with a hole in its base: the triangles cover exactly its area, which a
    /// convex fill (or ignoring the hole) would not.
    #[test]
    fn concave_with_hole_is_covered_exactly() {
        let u = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 0.03, y: 0.0), (x: 0.03, y: 0.03), (x: 0.02, y: 0.03),
                       (x: 0.02, y: 0.01), (x: 0.01, y: 0.01), (x: 0.01, y: 0.03), (x: 0.0, y: 0.03), (x: 0.0, y: 0.0)],
            interiors: [[(x: 0.012, y: 0.002), (x: 0.018, y: 0.002), (x: 0.018, y: 0.008), (x: 0.012, y: 0.008), (x: 0.012, y: 0.002)]],
        );
        let mesh = FeatureMesh::new(&MultiPolygon(vec![u.clone()]));
        let tri_area: f64 = mesh
            .triangles
            .chunks(3)
            .map(|t| {
                let [a, b, c] = [t[0], t[1], t[2]].map(|i| mesh.fill[i as usize]);
                0.5 * f64::from(
                    ((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])).abs(),
                )
            })
            .sum();
        let world = Polygon::new(
            LineString::from(
                u.exterior()
                    .0
                    .iter()
                    .map(|c| to_world(*c))
                    .collect::<Vec<_>>(),
            ),
            u.interiors()
                .iter()
                .map(|r| LineString::from(r.0.iter().map(|c| to_world(*c)).collect::<Vec<_>>()))
                .collect(),
        );
        let expect = world.unsigned_area();
        assert!(
            (tri_area - expect).abs() / expect < 1e-3,
            "{tri_area} vs {expect}"
        );
        assert_eq!(mesh.rings.len(), 2);
        assert_eq!(mesh.rings[0].len(), 8);
    }
}
