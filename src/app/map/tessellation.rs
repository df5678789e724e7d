//! Features triangulated once, in world coordinates, and only transformed each frame.
//!
//! egui fills only convex polygons correctly; zones are concave and have holes (a village kept
//! out of the zone, a lake), so each polygon is triangulated with earcut. Vertices are stored
//! as `f32` offsets from the feature's own origin (in `f64`), which keeps them exact to well
//! under a pixel at any zoom. The boundary rings are the same vertices (earcut's input), so an
//! outline costs no extra storage.
//!
//! Zones keep one [`FeatureMesh`] each. Parcels, up to a million, go in a [`MeshArena`]: a few
//! large arrays filled as lots first come on screen, so that drawing tens of thousands of them
//! walks contiguous memory instead of chasing an allocation per lot.

use egui::epaint::{Mesh, PathStroke, tessellator::Path};
use egui::{Color32, Pos2, Rect, Stroke};
use geo::{Coord, LineString, MultiPolygon, Polygon, TriangulateEarcut};
use std::ops::Range;

use super::camera::Camera;
use super::projection::{World, to_world};

/// A feature to draw, borrowed from a [`FeatureMesh`] or a [`MeshArena`].
#[derive(Clone, Copy, Debug)]
pub struct MeshRef<'a> {
    pub origin: World,
    /// Bounding box in world coordinates.
    pub min: World,
    pub max: World,
    /// Vertices, offsets from `origin` in world units: the rings one after the other.
    pub vertices: &'a [[f32; 2]],
    /// Triangles, three indices into `vertices` each.
    pub triangles: &'a [u32],
    /// Where each ring (exterior or hole) ends in `vertices`.
    pub ring_ends: &'a [u32],
}

/// One feature, triangulated.
#[derive(Clone, Debug, Default)]
pub struct FeatureMesh {
    pub origin: World,
    pub min: World,
    pub max: World,
    pub vertices: Vec<[f32; 2]>,
    pub triangles: Vec<u32>,
    pub ring_ends: Vec<u32>,
}

/// Triangulates `geometry` into the given arrays (appending); returns origin and bounds.
fn triangulate(
    geometry: &MultiPolygon<f64>,
    vertices: &mut Vec<[f32; 2]>,
    triangles: &mut Vec<u32>,
    ring_ends: &mut Vec<u32>,
) -> Option<(World, World, World)> {
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
        return None;
    }
    let origin = min;
    let first = vertices.len();
    for poly in &world {
        if poly.exterior().0.len() < 4 {
            continue;
        }
        let base = (vertices.len() - first) as u32;
        let raw = poly.earcut_triangles_raw();
        vertices.extend(
            raw.vertices
                .iter()
                .map(|v| [(v[0] - origin.x) as f32, (v[1] - origin.y) as f32]),
        );
        triangles.extend(raw.triangle_indices.iter().map(|i| base + *i as u32));
        // Earcut's vertices are the rings in order, each without its closing point.
        let mut end = base;
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            end += ring.0.len().saturating_sub(1) as u32;
            ring_ends.push(end);
        }
    }
    Some((origin, min, max))
}

impl FeatureMesh {
    pub fn new(geometry: &MultiPolygon<f64>) -> FeatureMesh {
        let mut m = FeatureMesh::default();
        if let Some((origin, min, max)) = triangulate(
            geometry,
            &mut m.vertices,
            &mut m.triangles,
            &mut m.ring_ends,
        ) {
            (m.origin, m.min, m.max) = (origin, min, max);
        }
        m
    }

    pub fn as_ref(&self) -> MeshRef<'_> {
        MeshRef {
            origin: self.origin,
            min: self.min,
            max: self.max,
            vertices: &self.vertices,
            triangles: &self.triangles,
            ring_ends: &self.ring_ends,
        }
    }
}

#[derive(Clone, Debug)]
struct Entry {
    origin: World,
    max: World,
    vertices: Range<u32>,
    triangles: Range<u32>,
    rings: Range<u32>,
}

/// Many features' meshes in shared arrays, built on demand.
#[derive(Clone, Debug, Default)]
pub struct MeshArena {
    /// Per feature: its entry + 1, or 0 while not built.
    slot: Vec<u32>,
    entries: Vec<Entry>,
    vertices: Vec<[f32; 2]>,
    triangles: Vec<u32>,
    ring_ends: Vec<u32>,
}

impl MeshArena {
    pub fn new(features: usize) -> Self {
        MeshArena {
            slot: vec![0; features],
            ..Default::default()
        }
    }

    /// How many features it is for.
    pub fn len(&self) -> usize {
        self.slot.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slot.is_empty()
    }

    /// Feature `i` changed shape: it is triangulated again when next drawn. (Its old mesh
    /// stays in the arrays until new data: a few hundred bytes per edit.)
    pub fn invalidate(&mut self, i: usize) {
        if let Some(s) = self.slot.get_mut(i) {
            *s = 0;
        }
    }

    /// Room for `features` features (features were inserted).
    pub fn grow(&mut self, features: usize) {
        if features > self.slot.len() {
            self.slot.resize(features, 0);
        }
    }

    pub fn is_built(&self, i: usize) -> bool {
        self.slot.get(i).is_some_and(|s| *s != 0)
    }

    /// Triangulates feature `i` (once).
    pub fn build(&mut self, i: usize, geometry: &MultiPolygon<f64>) {
        if i >= self.slot.len() || self.slot[i] != 0 {
            return;
        }
        let (v0, t0, r0) = (
            self.vertices.len() as u32,
            self.triangles.len() as u32,
            self.ring_ends.len() as u32,
        );
        let Some((origin, _, max)) = triangulate(
            geometry,
            &mut self.vertices,
            &mut self.triangles,
            &mut self.ring_ends,
        ) else {
            return;
        };
        self.entries.push(Entry {
            origin,
            max,
            vertices: v0..self.vertices.len() as u32,
            triangles: t0..self.triangles.len() as u32,
            rings: r0..self.ring_ends.len() as u32,
        });
        self.slot[i] = self.entries.len() as u32;
    }

    pub fn get(&self, i: usize) -> Option<MeshRef<'_>> {
        let e = &self.entries[(*self.slot.get(i)?).checked_sub(1)? as usize];
        let r = |r: &Range<u32>| r.start as usize..r.end as usize;
        Some(MeshRef {
            origin: e.origin,
            min: e.origin,
            max: e.max,
            vertices: &self.vertices[r(&e.vertices)],
            triangles: &self.triangles[r(&e.triangles)],
            ring_ends: &self.ring_ends[r(&e.rings)],
        })
    }
}

impl MeshRef<'_> {
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

    /// The bounding box on screen.
    pub fn screen_rect(&self, camera: &Camera, view: Rect) -> Rect {
        Rect::from_min_max(
            camera.world_to_screen(self.min, view),
            camera.world_to_screen(self.max, view),
        )
    }

    /// Appends the filled triangles to `mesh` in one colour.
    pub fn fill_into(&self, mesh: &mut Mesh, base: Pos2, scale: f32, color: Color32) {
        let first = mesh.vertices.len() as u32;
        for v in self.vertices {
            mesh.colored_vertex(Self::at(base, scale, *v), color);
        }
        mesh.indices
            .extend(self.triangles.iter().map(|i| first + i));
    }

    /// The rings, as slices of the vertices.
    pub fn rings(&self) -> impl Iterator<Item = &[[f32; 2]]> + '_ {
        let mut start = 0;
        self.ring_ends.iter().map(move |&end| {
            let ring = &self.vertices[start..end as usize];
            start = end as usize;
            ring
        })
    }

    /// The boundary rings on screen, leaving out points closer than `min_px` to the last point
    /// kept (a zone of a hundred vertices seen 30 pixels wide needs thirty), and a last point
    /// that close to the first.
    pub fn rings_on_screen_simplified(
        &self,
        base: Pos2,
        scale: f32,
        min_px: f32,
    ) -> impl Iterator<Item = Vec<Pos2>> + '_ {
        let min2 = min_px * min_px;
        self.rings().map(move |r| {
            let mut out = thinned_on_screen(r, base, scale, min2);
            if out.len() > 1 && out.last().is_some_and(|q| (*q - out[0]).length_sq() < min2) {
                out.pop();
            }
            out
        })
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
        for ring in self.rings() {
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

/// `points` on screen, leaving out each point closer than `min2` (squared pixels) to the last
/// one kept: what a ring or a line needs at the size it is drawn. The callers settle its end.
pub fn thinned_on_screen(points: &[[f32; 2]], base: Pos2, scale: f32, min2: f32) -> Vec<Pos2> {
    let mut out: Vec<Pos2> = Vec::with_capacity(points.len());
    for v in points {
        let p = MeshRef::at(base, scale, *v);
        if out.last().is_none_or(|q| (p - *q).length_sq() >= min2) {
            out.push(p);
        }
    }
    out
}

/// Appends the stroke of a closed ring to `out`, anti-aliased over `feathering` points as egui
/// draws it, but with a bevel instead of a miter wherever a miter would reach further from its
/// corner than half the width and a pixel.
///
/// egui (0.37) mitres every corner of a closed line without limit: where a ring doubles back,
/// as a thin peninsula or a small island does once zoomed out to a few pixels, the miter is
/// hundreds of pixels long (and not a number where it reverses exactly). A bevel keeps every
/// vertex within the reach of its corner, so a stroke never leaves its ring's box by more.
/// `path` is scratch space, kept between calls.
pub fn stroke_ring(
    ring: &[Pos2],
    stroke: Stroke,
    feathering: f32,
    path: &mut Path,
    out: &mut Mesh,
) {
    stroke_bevelled(ring, true, stroke, feathering, path, out);
}

/// Appends the stroke of an open line to `out`, its sharp corners bevelled as
/// [`stroke_ring`]'s are (egui's own open lines cut corners sharper than a right angle, but
/// still mitre a line that doubles back, as a river or a road does seen from afar).
pub fn stroke_line(
    line: &[Pos2],
    stroke: Stroke,
    feathering: f32,
    path: &mut Path,
    out: &mut Mesh,
) {
    stroke_bevelled(line, false, stroke, feathering, path, out);
}

/// [`stroke_ring`] (`closed`) or [`stroke_line`].
fn stroke_bevelled(
    points: &[Pos2],
    closed: bool,
    stroke: Stroke,
    feathering: f32,
    path: &mut Path,
    out: &mut Mesh,
) {
    let n = points.len();
    if n < 2 || stroke.is_empty() {
        return;
    }
    // How far egui puts the outer vertices from the path along a unit normal.
    let reach = if stroke.width <= 0.9 * feathering {
        feathering
    } else {
        0.5 * (stroke.width + feathering)
    };
    let limit = ((0.5 * stroke.width + feathering) / reach).max(1.0);
    let min_len_sq = 1.0 / (limit * limit);
    path.clear();
    let normal = |a: Pos2, b: Pos2| (b - a).normalized().rot90();
    let mut n0 = if closed {
        normal(points[n - 1], points[0])
    } else {
        normal(points[0], points[1])
    };
    for i in 0..n {
        let p = points[i];
        let n1 = if closed || i + 1 < n {
            normal(p, points[(i + 1) % n])
        } else {
            // An open line's last point: square to its last segment.
            n0
        };
        // The miter's direction; its length is 1 / |m|. (A repeated point has a zero normal,
        // which only makes the corner a bevel.)
        let m = (n0 + n1) * 0.5;
        let len_sq = m.length_sq();
        if len_sq >= min_len_sq {
            path.add_point(p, m / len_sq);
        } else {
            path.add_point(p, n0);
            path.add_point(p, n1);
        }
        n0 = n1;
    }
    if closed {
        path.stroke_closed(feathering, &PathStroke::from(stroke), out);
    } else {
        path.stroke_open(feathering, &PathStroke::from(stroke), out);
    }
}

/// The anti-aliasing width egui uses, points (as its tessellator computes it).
pub fn feathering(ctx: &egui::Context) -> f32 {
    let ppp = ctx.pixels_per_point();
    ctx.tessellation_options(|o| {
        if o.feathering {
            o.feathering_size_in_pixels / ppp
        } else {
            0.0
        }
    })
}

/// How far the farthest vertex of `mesh` lies outside `allowed`, in pixels (0 when none does;
/// infinite for a vertex that is not a number): the tests' check that nothing drawn reaches
/// beyond its feature's own box.
#[cfg(test)]
pub(crate) fn beyond_px(mesh: &egui::Mesh, allowed: egui::Rect) -> f32 {
    mesh.vertices
        .iter()
        .map(|v| {
            let p = v.pos;
            let d = (allowed.left() - p.x)
                .max(p.x - allowed.right())
                .max(allowed.top() - p.y)
                .max(p.y - allowed.bottom());
            if d.is_nan() { f32::INFINITY } else { d }
        })
        .fold(0.0f32, f32::max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area, polygon};

    fn triangles_area(m: MeshRef) -> f64 {
        m.triangles
            .chunks(3)
            .map(|t| {
                let [a, b, c] = [t[0], t[1], t[2]].map(|i| m.vertices[i as usize]);
                0.5 * f64::from(
                    ((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])).abs(),
                )
            })
            .sum()
    }

    /// A concave "U" with a hole in its base: the triangles cover exactly its area, which a
    /// convex fill (or ignoring the hole) would not.
    #[test]
    fn concave_with_hole_is_covered_exactly() {
        let u = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 0.03, y: 0.0), (x: 0.03, y: 0.03), (x: 0.02, y: 0.03),
                       (x: 0.02, y: 0.01), (x: 0.01, y: 0.01), (x: 0.01, y: 0.03), (x: 0.0, y: 0.03), (x: 0.0, y: 0.0)],
            interiors: [[(x: 0.012, y: 0.002), (x: 0.018, y: 0.002), (x: 0.018, y: 0.008), (x: 0.012, y: 0.008), (x: 0.012, y: 0.002)]],
        );
        let mp = MultiPolygon(vec![u.clone()]);
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
        let mesh = FeatureMesh::new(&mp);
        let got = triangles_area(mesh.as_ref());
        assert!((got - expect).abs() / expect < 1e-3, "{got} vs {expect}");
        let rings: Vec<usize> = mesh.as_ref().rings().map(<[_]>::len).collect();
        assert_eq!(rings, [8, 4]);

        // The same through the arena, after another feature.
        let mut arena = MeshArena::new(3);
        arena.build(
            2,
            &MultiPolygon(vec![
                polygon!((x: 1.0, y: 1.0), (x: 1.01, y: 1.0), (x: 1.01, y: 1.01), (x: 1.0, y: 1.0)),
            ]),
        );
        arena.build(0, &mp);
        assert!(arena.is_built(0) && !arena.is_built(1) && arena.is_built(2));
        let m = arena.get(0).expect("built");
        assert!((triangles_area(m) - expect).abs() / expect < 1e-3);
        assert_eq!(m.rings().map(<[_]>::len).collect::<Vec<_>>(), [8, 4]);
        assert_eq!(arena.get(2).expect("built").triangles.len(), 3);
        assert!(arena.get(1).is_none());
    }
}
