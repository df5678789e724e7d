//! A reference layer made ready to draw, once, on the thread that read it: each feature's
//! polygons triangulated (earcut: concave shapes and holes fill right), its lines and points
//! in world coordinates, and an R-tree of their boxes, so that a frame visits only what the
//! view's box meets (O(log n) a lookup) and builds nothing.
//!
//! Vertices are `f32` offsets from each feature's own origin, as the zones' meshes are (see
//! [`super::super::tessellation`]): exact to well under a pixel at any zoom.

use egui::Pos2;
use geo::{BoundingRect, MultiPolygon};
use std::ops::Range;

use super::super::camera::Camera;
use super::super::projection::{World, to_world};
use super::super::tessellation::{MeshArena, MeshRef, thinned_on_screen};
use crate::engine::index::{SpatialIndex, bounds_of};
use crate::engine::reference::ReferenceData;

/// What one entry of the R-tree is: a feature's polygons, its lines, or one of its points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    Polygons(usize),
    Lines(usize),
    Point(usize),
}

/// A layer's features, ready to draw.
#[derive(Default)]
pub struct ReferenceShapes {
    /// Per feature with polygons: its triangles and rings.
    pub polygons: MeshArena,
    pub lines: LineArena,
    pub points: Vec<World>,
    /// What each R-tree entry is, and the feature it belongs to.
    pub items: Vec<Item>,
    item_feature: Vec<u32>,
    /// Per feature: its properties, for the tooltip, in one string each (a layer may hold a
    /// country's roads: one allocation a feature, not two a property).
    properties: Vec<Box<str>>,
    /// The items' longitude/latitude boxes.
    pub index: SpatialIndex,
    /// The box around everything (longitude/latitude).
    pub bounds: Option<geo::Rect<f64>>,
    /// Features read with something to draw, without geometry, and unreadable.
    pub features: usize,
    pub without_geometry: usize,
    pub unreadable: usize,
}

impl ReferenceShapes {
    /// Triangulates and indexes a reference file's features.
    pub fn build(data: ReferenceData) -> ReferenceShapes {
        let ReferenceData {
            features,
            without_geometry,
            unreadable,
        } = data;
        let with_polygons = features.iter().filter(|f| !f.polygons.is_empty()).count();
        let mut shapes = ReferenceShapes {
            polygons: MeshArena::new(with_polygons),
            features: features.len(),
            without_geometry,
            unreadable,
            ..ReferenceShapes::default()
        };
        let mut boxes = Vec::new();
        let mut slot = 0;
        for (n, f) in features.into_iter().enumerate() {
            let n = n as u32;
            shapes.properties.push(packed(&f.properties));
            if !f.polygons.is_empty() {
                let g = MultiPolygon(f.polygons);
                shapes.polygons.build(slot, &g);
                if let Some(b) = g.bounding_rect()
                    && shapes.polygons.is_built(slot)
                {
                    boxes.push((shapes.items.len(), b));
                    shapes.items.push(Item::Polygons(slot));
                    shapes.item_feature.push(n);
                }
                slot += 1;
            }
            if !f.lines.is_empty() {
                let ls = geo::MultiLineString(f.lines);
                if let Some(b) = ls.bounding_rect() {
                    let slot = shapes.lines.push(&ls);
                    boxes.push((shapes.items.len(), b));
                    shapes.items.push(Item::Lines(slot));
                    shapes.item_feature.push(n);
                }
            }
            for c in f.points {
                boxes.push((shapes.items.len(), geo::Rect::new(c, c)));
                shapes.items.push(Item::Point(shapes.points.len()));
                shapes.item_feature.push(n);
                shapes.points.push(to_world(c));
            }
        }
        shapes.bounds = bounds_of(boxes.iter().map(|(_, b)| *b));
        shapes.index = SpatialIndex::new(boxes);
        shapes
    }

    /// Feature polygons' mesh `k`.
    pub fn polygon(&self, k: usize) -> Option<MeshRef<'_>> {
        self.polygons.get(k)
    }

    /// The feature under the screen point `p` (its number): a point or a line within
    /// `tolerance` pixels, else a polygon holding it (not its holes). A point wins over a line
    /// and a line over a polygon, the nearest among its kind: the smaller thing is the one
    /// pointed at. Only what the R-tree finds around `p` is looked at.
    pub fn hit(&self, camera: &Camera, view: egui::Rect, p: Pos2, tolerance: f32) -> Option<usize> {
        let t = egui::vec2(tolerance, tolerance);
        let around = geo::Rect::new(
            camera.screen_to_lonlat(p - t, view),
            camera.screen_to_lonlat(p + t, view),
        );
        let mut best: Option<(u8, f32, usize)> = None;
        for i in self.index.within(around) {
            let (Some(item), Some(&feature)) = (self.items.get(i), self.item_feature.get(i)) else {
                continue;
            };
            let found = match *item {
                Item::Point(k) => self
                    .points
                    .get(k)
                    .map(|w| (camera.world_to_screen(*w, view) - p).length())
                    .filter(|d| *d <= tolerance)
                    .map(|d| (0, d)),
                Item::Lines(k) => self.lines.get(k).and_then(|l| {
                    let (base, scale) = l.transform(camera, view);
                    l.lines()
                        .flat_map(|line| line.windows(2))
                        .map(|w| {
                            let (a, b) = (
                                MeshRef::at(base, scale, w[0]),
                                MeshRef::at(base, scale, w[1]),
                            );
                            segment_distance(p, a, b)
                        })
                        .min_by(f32::total_cmp)
                        .filter(|d| *d <= tolerance)
                        .map(|d| (1, d))
                }),
                Item::Polygons(k) => self.polygon(k).and_then(|m| {
                    let (base, scale) = m.transform(camera, view);
                    let at = |v: u32| {
                        m.vertices
                            .get(v as usize)
                            .map(|v| MeshRef::at(base, scale, *v))
                    };
                    m.triangles
                        .chunks_exact(3)
                        .any(|t| match (at(t[0]), at(t[1]), at(t[2])) {
                            (Some(a), Some(b), Some(c)) => in_triangle(p, a, b, c),
                            _ => false,
                        })
                        .then_some((2, 0.0))
                }),
            };
            if let Some((rank, d)) = found
                && best.is_none_or(|(r, bd, _)| (rank, d) < (r, bd))
            {
                best = Some((rank, d, feature as usize));
            }
        }
        best.map(|(_, _, f)| f)
    }
}

/// Between a property's name and its value, and between properties, in [`packed`]: the
/// ASCII unit and record separators, which no name or value keeps (they become spaces).
const UNIT: char = '\u{1f}';
const RECORD: char = '\u{1e}';

fn packed(properties: &[(String, String)]) -> Box<str> {
    let clean = |s: &str| s.replace([UNIT, RECORD], " ");
    properties
        .iter()
        .map(|(k, v)| format!("{}{UNIT}{}", clean(k), clean(v)))
        .collect::<Vec<_>>()
        .join(&RECORD.to_string())
        .into_boxed_str()
}

impl ReferenceShapes {
    /// Feature `feature`'s properties (name, value), as the tooltip shows them.
    pub fn properties(&self, feature: usize) -> impl Iterator<Item = (&str, &str)> {
        self.properties
            .get(feature)
            .map(|p| &**p)
            .unwrap_or("")
            .split(RECORD)
            .filter_map(|pair| pair.split_once(UNIT))
    }
}

/// The distance in pixels from `p` to the segment `a`–`b`.
fn segment_distance(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let len2 = ab.length_sq();
    let t = if len2 > 0.0 {
        ((p - a).dot(ab) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (p - (a + ab * t)).length()
}

/// Whether `p` is inside the triangle (or on its edge), whichever way it winds.
fn in_triangle(p: Pos2, a: Pos2, b: Pos2, c: Pos2) -> bool {
    let side = |u: Pos2, v: Pos2| (v.x - u.x) * (p.y - u.y) - (v.y - u.y) * (p.x - u.x);
    let (d1, d2, d3) = (side(a, b), side(b, c), side(c, a));
    let negative = d1 < 0.0 || d2 < 0.0 || d3 < 0.0;
    let positive = d1 > 0.0 || d2 > 0.0 || d3 > 0.0;
    !(negative && positive)
}

/// Lines of many features in shared arrays (as [`MeshArena`] keeps polygons).
#[derive(Clone, Debug, Default)]
pub struct LineArena {
    entries: Vec<LineEntry>,
    vertices: Vec<[f32; 2]>,
    /// Where each line ends in `vertices`.
    ends: Vec<u32>,
}

#[derive(Clone, Debug)]
struct LineEntry {
    origin: World,
    max: World,
    ends: Range<u32>,
}

/// One feature's lines, borrowed from a [`LineArena`].
#[derive(Clone, Copy, Debug)]
pub struct LineRef<'a> {
    /// The box's least corner, which the vertices are offsets from (world units).
    pub origin: World,
    pub max: World,
    vertices: &'a [[f32; 2]],
    /// Where each line ends in `vertices` (absolute in the arena's array).
    ends: &'a [u32],
    /// Where the first line starts.
    start: u32,
}

impl LineArena {
    /// Adds a feature's lines; returns its number.
    fn push(&mut self, lines: &geo::MultiLineString<f64>) -> usize {
        let world: Vec<Vec<World>> = lines
            .0
            .iter()
            .map(|l| l.0.iter().map(|c| to_world(*c)).collect())
            .collect();
        let mut origin = World {
            x: f64::INFINITY,
            y: f64::INFINITY,
        };
        let mut max = World {
            x: f64::NEG_INFINITY,
            y: f64::NEG_INFINITY,
        };
        for c in world.iter().flatten() {
            origin.x = origin.x.min(c.x);
            origin.y = origin.y.min(c.y);
            max.x = max.x.max(c.x);
            max.y = max.y.max(c.y);
        }
        let first_end = self.ends.len() as u32;
        for line in &world {
            self.vertices.extend(
                line.iter()
                    .map(|c| [(c.x - origin.x) as f32, (c.y - origin.y) as f32]),
            );
            self.ends.push(self.vertices.len() as u32);
        }
        self.entries.push(LineEntry {
            origin,
            max,
            ends: first_end..self.ends.len() as u32,
        });
        self.entries.len() - 1
    }

    pub fn get(&self, k: usize) -> Option<LineRef<'_>> {
        let e = self.entries.get(k)?;
        let ends = &self.ends[e.ends.start as usize..e.ends.end as usize];
        let start = match e.ends.start {
            0 => 0,
            i => self.ends[i as usize - 1],
        };
        Some(LineRef {
            origin: e.origin,
            max: e.max,
            vertices: &self.vertices,
            ends,
            start,
        })
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl LineRef<'_> {
    /// The lines, as slices of the vertices.
    pub fn lines(&self) -> impl Iterator<Item = &[[f32; 2]]> + '_ {
        let mut start = self.start as usize;
        self.ends.iter().map(move |&end| {
            let line = &self.vertices[start..end as usize];
            start = end as usize;
            line
        })
    }

    /// The screen position of the origin and the pixels per world unit.
    pub fn transform(&self, camera: &Camera, view: egui::Rect) -> (Pos2, f32) {
        (
            camera.world_to_screen(self.origin, view),
            camera.scale() as f32,
        )
    }

    /// Screen size of the bounding box, pixels.
    pub fn screen_size(&self, camera: &Camera) -> f32 {
        let s = camera.scale();
        (((self.max.x - self.origin.x) * s).max((self.max.y - self.origin.y) * s)) as f32
    }

    /// The box on screen.
    pub fn screen_rect(&self, camera: &Camera, view: egui::Rect) -> egui::Rect {
        egui::Rect::from_min_max(
            camera.world_to_screen(self.origin, view),
            camera.world_to_screen(self.max, view),
        )
    }

    /// The lines on screen, leaving out points closer than `min_px` to the last one kept (but
    /// always the last point, so that a line ends where it does); lines that shrink to a point
    /// are left out.
    pub fn on_screen_simplified(
        &self,
        base: Pos2,
        scale: f32,
        min_px: f32,
    ) -> impl Iterator<Item = Vec<Pos2>> + '_ {
        let min2 = min_px * min_px;
        self.lines().filter_map(move |l| {
            let mut out = thinned_on_screen(l, base, scale, min2);
            if let Some(last) = l.last().map(|v| MeshRef::at(base, scale, *v))
                && out.len() > 1
                && out.last() != Some(&last)
            {
                // The last point kept stood in for it: the line ends where it does.
                out.pop();
                if out.last().is_some_and(|q| (last - *q).length_sq() > 0.0) {
                    out.push(last);
                }
            }
            (out.len() >= 2).then_some(out)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::reference::read_geometry;

    fn data(geometries: &[&str]) -> ReferenceData {
        ReferenceData {
            features: geometries
                .iter()
                .map(|g| read_geometry(g, None).expect("reads"))
                .collect(),
            without_geometry: 0,
            unreadable: 0,
        }
    }

    #[test]
    fn every_feature_is_indexed_by_what_it_holds() {
        let s = ReferenceShapes::build(data(&[
            r#"{"type":"LineString","coordinates":[[106.0,21.0],[106.1,21.1]]}"#,
            r#"{"type":"Polygon","coordinates":[[[106.2,21.0],[106.3,21.0],[106.3,21.1],[106.2,21.0]]]}"#,
            r#"{"type":"MultiPoint","coordinates":[[106.5,21.5],[107.0,22.0]]}"#,
            r#"{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[105.0,20.0]},
               {"type":"Polygon","coordinates":[[[105.0,20.0],[105.1,20.0],[105.1,20.1],[105.0,20.0]]]}]}"#,
        ]));
        assert_eq!(s.features, 4);
        assert_eq!(s.items.len(), 6);
        assert_eq!(s.lines.len(), 1);
        assert_eq!(s.points.len(), 3);
        assert!(s.polygon(0).is_some() && s.polygon(1).is_some());
        let b = s.bounds.expect("bounds");
        assert_eq!((b.min().x, b.max().y), (105.0, 22.0));
        // The R-tree finds only what meets a box.
        let near = geo::Rect::new(
            geo::Coord {
                x: 106.45,
                y: 21.45,
            },
            geo::Coord {
                x: 106.55,
                y: 21.55,
            },
        );
        let found: Vec<Item> = s.index.within(near).map(|i| s.items[i]).collect();
        assert_eq!(found, [Item::Point(0)]);
    }

    #[test]
    fn each_feature_keeps_its_properties_in_order() {
        let mut d = data(&[
            r#"{"type":"Point","coordinates":[106.0,21.0]}"#,
            r#"{"type":"Point","coordinates":[106.1,21.0]}"#,
        ]);
        d.features[0].properties = vec![
            ("ten".into(), "Quốc lộ 18".into()),
            ("ghi\u{1f}chu".into(), "a\u{1e}b".into()),
        ];
        let s = ReferenceShapes::build(d);
        let first: Vec<(&str, &str)> = s.properties(0).collect();
        assert_eq!(first, [("ten", "Quốc lộ 18"), ("ghi chu", "a b")]);
        assert_eq!(s.properties(1).count(), 0);
        assert_eq!(s.properties(7).count(), 0);
    }

    #[test]
    fn a_line_on_screen_keeps_its_ends_and_drops_what_is_within_a_pixel() {
        let s = ReferenceShapes::build(data(&[
            r#"{"type":"LineString","coordinates":[[106.0,21.0],[106.0000001,21.0],[106.1,21.0],[106.1000001,21.0]]}"#,
        ]));
        let l = s.lines.get(0).expect("line");
        let camera = Camera::default();
        let view = egui::Rect::from_min_size(Pos2::ZERO, egui::vec2(800.0, 600.0));
        let (base, scale) = l.transform(&camera, view);
        let lines: Vec<Vec<Pos2>> = l.on_screen_simplified(base, scale, 1.0).collect();
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].len(), 2);
        let end = camera.lonlat_to_screen(
            geo::Coord {
                x: 106.1000001,
                y: 21.0,
            },
            view,
        );
        assert!((lines[0][1] - end).length() < 0.01);
    }
}
