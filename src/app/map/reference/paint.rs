//! What a frame draws of the reference layers, bottom layer first: polygons as a translucent
//! fill with an outline, lines as strokes, points as small round markers with a light halo,
//! each layer in its colour and at its opacity. Only the features whose box meets the view's
//! are visited (the layer's R-tree); nothing is triangulated here.
//!
//! Outlines and lines are stroked with bevelled sharp corners ([`tessellation::stroke_ring`],
//! [`tessellation::stroke_line`]), so that, as for the zones, nothing a feature draws reaches
//! beyond its own box on screen (issue 13 §7: a line that doubles back never shoots a spike).

use egui::epaint::tessellator::Path;
use egui::{Color32, Mesh, Painter, Pos2, Rect, Shape, Stroke};

use super::super::camera::Camera;
use super::super::tessellation;
use super::shapes::{Item, ReferenceShapes};
use super::{ReferenceLayer, ReferenceLayers};

/// A polygon's fill opacity at the layer's full opacity: translucent, so that what is under it
/// (the basemap, another layer) reads.
pub const FILL_ALPHA: f32 = 0.3;
/// Stroke widths, points.
pub const OUTLINE_WIDTH: f32 = 1.2;
pub const LINE_WIDTH: f32 = 2.0;
/// A point marker's radius, and its halo's width, points.
pub const POINT_RADIUS: f32 = 4.0;
pub const HALO: f32 = 1.2;
/// A layer draws this many features a frame at most: beyond, the largest on screen (a
/// zoomed-out view of a large layer stays cheap; zoomed in, fewer are in view and all show).
pub const MAX_DRAWN: usize = 8_000;

/// One layer's drawing for one frame: fills under strokes under points.
#[derive(Default)]
pub struct LayerMeshes {
    pub fill: Mesh,
    pub strokes: Mesh,
    pub points: Mesh,
    /// Scratch space for the strokes.
    path: Path,
}

impl LayerMeshes {
    fn shapes(self) -> [Shape; 3] {
        [self.fill, self.strokes, self.points].map(Shape::mesh)
    }
}

/// A colour at `alpha` (0–1) of its own opacity.
fn faded(c: Color32, alpha: f32) -> Color32 {
    let [r, g, b, _] = c.to_array();
    Color32::from_rgba_unmultiplied(r, g, b, (alpha.clamp(0.0, 1.0) * 255.0).round() as u8)
}

/// Draws the visible layers, bottom first, into `screen`; returns how many features (a
/// feature's polygons, its lines, or one of its points) were drawn.
pub fn paint(
    painter: &Painter,
    layers: &ReferenceLayers,
    camera: &Camera,
    screen: Rect,
    feathering: f32,
) -> usize {
    let mut drawn = 0;
    for layer in layers.layers.iter().rev() {
        if !layer.visible || layer.opacity <= 0.0 {
            continue;
        }
        let mut out = LayerMeshes::default();
        drawn += layer_into(&mut out, layer, camera, screen, feathering);
        for shape in out.shapes() {
            painter.add(shape);
        }
    }
    drawn
}

/// Appends what `layer` draws in `screen` to `out`; returns how many features it drew.
pub fn layer_into(
    out: &mut LayerMeshes,
    layer: &ReferenceLayer,
    camera: &Camera,
    screen: Rect,
    feathering: f32,
) -> usize {
    let colors = Colors::of(layer.color, layer.opacity);
    shapes_into(out, &layer.shapes, colors, camera, screen, feathering)
}

/// A layer's colours at its opacity.
#[derive(Clone, Copy)]
struct Colors {
    fill: Color32,
    stroke: Color32,
    halo: Color32,
}

impl Colors {
    fn of(c: Color32, opacity: f32) -> Colors {
        Colors {
            fill: faded(c, FILL_ALPHA * opacity),
            stroke: faded(c, opacity),
            halo: faded(Color32::WHITE, 0.9 * opacity),
        }
    }
}

fn shapes_into(
    out: &mut LayerMeshes,
    shapes: &ReferenceShapes,
    colors: Colors,
    camera: &Camera,
    screen: Rect,
    feathering: f32,
) -> usize {
    // Markers reach a few pixels beyond their point.
    let reach = POINT_RADIUS + HALO + feathering;
    let visible = camera.visible_lonlat(screen.expand(reach));
    let mut items: Vec<usize> = shapes.index.within(visible).collect();
    if items.len() > MAX_DRAWN {
        // The largest on screen (a box's size costs nothing next to a stroke), in file order.
        let size = |i: usize| match shapes.items[i] {
            Item::Polygons(k) => shapes.polygon(k).map_or(0.0, |m| m.screen_size(camera)),
            Item::Lines(k) => shapes.lines.get(k).map_or(0.0, |l| l.screen_size(camera)),
            Item::Point(_) => 2.0 * POINT_RADIUS,
        };
        let mut sized: Vec<(f32, usize)> = items.iter().map(|&i| (size(i), i)).collect();
        sized.select_nth_unstable_by(MAX_DRAWN, |a, b| b.0.total_cmp(&a.0));
        items = sized[..MAX_DRAWN].iter().map(|(_, i)| *i).collect();
        items.sort_unstable();
    }
    let mut drawn = 0;
    for i in items {
        match shapes.items[i] {
            Item::Polygons(k) => {
                let Some(m) = shapes.polygon(k) else { continue };
                let (base, s) = m.transform(camera, screen);
                m.fill_into(&mut out.fill, base, s, colors.fill);
                for ring in m.rings_on_screen_simplified(base, s, 1.0) {
                    tessellation::stroke_ring(
                        &ring,
                        Stroke::new(OUTLINE_WIDTH, colors.stroke),
                        feathering,
                        &mut out.path,
                        &mut out.strokes,
                    );
                }
            }
            Item::Lines(k) => {
                let Some(l) = shapes.lines.get(k) else {
                    continue;
                };
                let (base, s) = l.transform(camera, screen);
                for line in l.on_screen_simplified(base, s, 1.0) {
                    tessellation::stroke_line(
                        &line,
                        Stroke::new(LINE_WIDTH, colors.stroke),
                        feathering,
                        &mut out.path,
                        &mut out.strokes,
                    );
                }
            }
            Item::Point(k) => {
                let Some(w) = shapes.points.get(k) else {
                    continue;
                };
                let p = camera.world_to_screen(*w, screen);
                marker(out, p, colors, feathering);
            }
        }
        drawn += 1;
    }
    drawn
}

/// A round marker at `p`: the layer's colour in a light halo.
fn marker(out: &mut LayerMeshes, p: Pos2, colors: Colors, feathering: f32) {
    for (radius, color) in [
        (POINT_RADIUS + HALO, colors.halo),
        (POINT_RADIUS, colors.stroke),
    ] {
        out.path.clear();
        out.path.add_circle(p, radius);
        out.path.fill(feathering, color, &mut out.points);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::reference::{ReferenceData, read_geometry};
    use egui::epaint::{TessellationOptions, Tessellator};
    use egui::vec2;

    use crate::engine::test_data::Lcg;

    /// A river that winds back on itself every few hundred metres over thirty kilometres
    /// (zoomed out, each bend is a reversal within a pixel), a road that doubles back
    /// exactly, an archipelago of thirty jagged islands, some with a lagoon, and a few
    /// wells.
    fn features(rng: &mut Lcg) -> Vec<String> {
        let mut river = Vec::new();
        for i in 0..300 {
            let t = f64::from(i) / 300.0;
            let wiggle = if i % 2 == 0 { 0.002 } else { -0.002 };
            river.push(format!(
                "[{},{}]",
                105.8 + 0.3 * t + 0.001 * rng.next(),
                21.0 + wiggle + 0.01 * (t * 20.0).sin()
            ));
        }
        let road = "[[106.0,21.2],[106.2,21.2],[106.0,21.2000001],[106.2,21.2]]";
        let islands: Vec<String> = (0..30)
            .map(|_| {
                let (cx, cy) = (106.3 + 0.5 * rng.next(), 20.5 + 0.4 * rng.next());
                let r = 0.002 + 0.03 * rng.next().powi(3);
                let n = 5 + (rng.next() * 40.0) as usize;
                let ring = |scale: f64, rng: &mut Lcg| {
                    let mut pts: Vec<String> = (0..n)
                        .map(|i| {
                            let a = i as f64 / n as f64 * std::f64::consts::TAU;
                            let q = scale * r * (0.3 + 0.7 * rng.next());
                            format!("[{},{}]", cx + q * a.cos(), cy + q * a.sin())
                        })
                        .collect();
                    pts.push(pts[0].clone());
                    format!("[{}]", pts.join(","))
                };
                let outer = ring(1.0, rng);
                if rng.next() < 0.2 {
                    format!("[{outer},{}]", ring(0.2, rng))
                } else {
                    format!("[{outer}]")
                }
            })
            .collect();
        vec![
            format!(
                r#"{{"type":"LineString","coordinates":[{}]}}"#,
                river.join(",")
            ),
            format!(r#"{{"type":"LineString","coordinates":{road}}}"#),
            format!(
                r#"{{"type":"MultiPolygon","coordinates":[{}]}}"#,
                islands.join(",")
            ),
            r#"{"type":"MultiPoint","coordinates":[[106.1,21.1],[106.1001,21.1]]}"#.to_string(),
        ]
    }

    /// Every vertex a reference feature draws, once egui has tessellated it, stays within the
    /// feature's own box on screen widened by the stroke's (or marker's) reach and a pixel of
    /// anti-aliasing, from the feature filling the window to a few pixels across.
    #[test]
    fn reference_features_never_draw_beyond_their_box() {
        let view = Rect::from_min_size(Pos2::ZERO, vec2(1600.0, 1000.0));
        let mut rng = Lcg(13);
        let mut failures = Vec::new();
        for (n, g) in features(&mut rng).iter().enumerate() {
            let f = read_geometry(g, None).expect("reads");
            let bounds = {
                let mut all: Vec<geo::Coord<f64>> = f.points.clone();
                all.extend(f.lines.iter().flat_map(|l| l.0.iter().copied()));
                all.extend(
                    f.polygons
                        .iter()
                        .flat_map(|p| p.exterior().0.iter().copied()),
                );
                geo::BoundingRect::bounding_rect(&geo::MultiPoint::from(all)).expect("bounds")
            };
            let shapes = ReferenceShapes::build(ReferenceData {
                features: vec![f],
                ..ReferenceData::default()
            });
            let fit = Camera::fitting(bounds, view, 20.0);
            for zoom_out in [0.0, 2.0, 4.0, 6.0, 8.0, 10.0] {
                let mut camera = fit;
                camera.zoom -= zoom_out;
                let mut out = LayerMeshes::default();
                let colors = Colors::of(Color32::RED, 1.0);
                for feathering in [1.0, 0.5] {
                    shapes_into(&mut out, &shapes, colors, &camera, view, feathering);
                }
                let mut tess =
                    Tessellator::new(1.0, TessellationOptions::default(), [1, 1], vec![]);
                let mut mesh = Mesh::default();
                for shape in out.shapes() {
                    tess.tessellate_shape(shape, &mut mesh);
                }
                assert!(!mesh.vertices.is_empty(), "feature {n}: nothing drawn");
                let a = camera.lonlat_to_screen(bounds.min(), view);
                let b = camera.lonlat_to_screen(bounds.max(), view);
                let reach = (LINE_WIDTH / 2.0).max(POINT_RADIUS + HALO) + 1.0;
                let allowed = Rect::from_two_pos(a, b).expand(reach);
                let beyond = crate::app::map::tessellation::beyond_px(&mesh, allowed);
                if beyond > 0.0 {
                    failures.push(format!(
                        "feature {n}, {:.0} px wide: a vertex {beyond:.1} px beyond its box",
                        a.distance(b)
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// A zoomed-out view of a layer with more features than a frame draws: the largest are
    /// drawn, up to the budget.
    #[test]
    fn a_frame_draws_the_largest_features_up_to_its_budget() {
        let n = MAX_DRAWN + 500;
        let mut features: Vec<crate::engine::reference::ReferenceFeature> = (0..n)
            .map(|i| {
                let x = 106.0 + 0.0001 * (i % 100) as f64;
                let y = 21.0 + 0.0001 * (i / 100) as f64;
                let g = format!(
                    r#"{{"type":"LineString","coordinates":[[{x},{y}],[{},{y}]]}}"#,
                    x + 0.00005
                );
                read_geometry(&g, None).expect("reads")
            })
            .collect();
        // One long road among them, last in the file.
        let road = r#"{"type":"LineString","coordinates":[[105.9,21.0],[106.2,21.0]]}"#;
        features.push(read_geometry(road, None).expect("reads"));
        let shapes = ReferenceShapes::build(ReferenceData {
            features,
            ..ReferenceData::default()
        });
        let view = Rect::from_min_size(Pos2::ZERO, vec2(800.0, 600.0));
        let camera = Camera::fitting(
            geo::Rect::new(
                geo::Coord { x: 105.9, y: 20.9 },
                geo::Coord { x: 106.2, y: 21.1 },
            ),
            view,
            20.0,
        );
        let mut out = LayerMeshes::default();
        let colors = Colors::of(Color32::RED, 1.0);
        let drawn = shapes_into(&mut out, &shapes, colors, &camera, view, 1.0);
        assert_eq!(drawn, MAX_DRAWN);
        // The road is among them: its west end is drawn.
        let west = camera
            .lonlat_to_screen(geo::Coord { x: 105.9, y: 21.0 }, view)
            .x;
        assert!(
            out.strokes
                .vertices
                .iter()
                .any(|v| (v.pos.x - west).abs() < 3.0)
        );
    }

    /// Lines wider than a marker, so that the allowance above is the lines' own: a stroke
    /// whose corners were mitred would fail it.
    #[test]
    fn a_road_that_doubles_back_is_bevelled_not_mitred() {
        let view = Rect::from_min_size(Pos2::ZERO, vec2(800.0, 600.0));
        let f = read_geometry(
            r#"{"type":"LineString","coordinates":[[106.0,21.0],[106.2,21.0],[106.0,21.00001]]}"#,
            None,
        )
        .expect("reads");
        let shapes = ReferenceShapes::build(ReferenceData {
            features: vec![f],
            ..ReferenceData::default()
        });
        let camera = Camera::fitting(
            geo::Rect::new(
                geo::Coord { x: 106.0, y: 20.9 },
                geo::Coord { x: 106.2, y: 21.1 },
            ),
            view,
            20.0,
        );
        let mut out = LayerMeshes::default();
        shapes_into(
            &mut out,
            &shapes,
            Colors::of(Color32::RED, 1.0),
            &camera,
            view,
            1.0,
        );
        let right = camera
            .lonlat_to_screen(geo::Coord { x: 106.2, y: 21.0 }, view)
            .x;
        let furthest = out
            .strokes
            .vertices
            .iter()
            .map(|v| v.pos.x)
            .fold(f32::MIN, f32::max);
        assert!(
            furthest <= right + LINE_WIDTH / 2.0 + 1.0,
            "{furthest} vs {right}"
        );
    }
}
