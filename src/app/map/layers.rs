//! What the map draws each frame: zones (triangulated fills coloured by fill rate), parcels
//! (coloured by status, with outlines when large enough), hover and selection, labels that do
//! not pile up, the legend and the scale bar. Only features on screen are visited (R-tree), and
//! parcels smaller than a couple of pixels are not drawn at all.

use egui::epaint::{Mesh, tessellator::Path};
use egui::{
    Align2, Color32, CornerRadius, FontId, Painter, Pos2, Rect, Shape, Stroke, StrokeKind, Ui, Vec2,
};
use geo::Coord;
use rayon::prelude::*;
use std::sync::Arc;
use std::time::Instant;

use super::camera::Camera;
use super::projection::metres_per_world_unit;
use super::style;
use super::tessellation::{self, FeatureMesh, MeshArena, MeshRef};
use super::{FrameStats, MapMemory};
use crate::app::background::Job;
use crate::app::session::Session;
use crate::app::view::{Selection, ViewState};
use crate::engine::dataset::Dataset;
use crate::engine::model::LayerKind;
use crate::i18n::{Key, tr};
use crate::i18n::{basis_text, parcel_status_text};
use crate::i18n::{fmt_date, fmt_ha, fmt_pct};

/// Parcels smaller than this on screen (pixels) are not drawn, nor hit.
pub const MIN_PARCEL_PX: f32 = 2.0;
/// Parcels get outlines from this size on (pixels).
const OUTLINE_PARCEL_PX: f32 = 7.0;
/// Lots triangulated per frame at most; the rest follow in the next frames, so that
/// zooming in on a million lots never stalls a frame.
const MAX_NEW_MESHES_PER_FRAME: usize = 1500;
/// Zone fill opacity.
const ZONE_ALPHA: u8 = 190;
/// Zone outline width, points.
const ZONE_OUTLINE_WIDTH: f32 = 1.2;

/// What the map draws of the zones, built once per data: their meshes, where their labels go,
/// which labels win. The loading thread builds them with the data (a few hundred zones take
/// tens of milliseconds), so that the first frame that draws it is not held.
#[derive(Default)]
pub struct ZoneShapes {
    meshes: Vec<Option<FeatureMesh>>,
    /// Where each zone's label goes (longitude/latitude): a point inside its largest part.
    label_at: Vec<Option<Coord<f64>>>,
    /// Zones, largest first (labels of large zones win).
    by_size: Vec<usize>,
}

impl ZoneShapes {
    /// Triangulates every zone (on all cores) and places its label.
    pub fn build(ds: &Dataset) -> ZoneShapes {
        let shapes: Vec<&crate::engine::model::Shape> = ds.zones.shapes.iter().collect();
        let (meshes, label_at) = shapes.par_iter().map(|s| zone_shape(s)).unzip();
        let mut zones = ZoneShapes {
            meshes,
            label_at,
            by_size: Vec::new(),
        };
        zones.order(ds);
        zones
    }

    /// Zone `z` changed shape (or went, or came back; `None`: zones were inserted): its mesh
    /// and label again (those of zones new since), and the order.
    fn update(&mut self, ds: &Dataset, z: Option<usize>) {
        let old = self.meshes.len();
        for z in z.into_iter().chain(old..ds.zones.len()) {
            if self.meshes.len() <= z {
                self.meshes.resize_with(z + 1, || None);
                self.label_at.resize(z + 1, None);
            }
            if let Some(shape) = ds.zones.shapes.get(z) {
                (self.meshes[z], self.label_at[z]) = zone_shape(shape);
            }
        }
        self.order(ds);
    }

    /// Largest first (labels of large zones win).
    fn order(&mut self, ds: &Dataset) {
        let mut by_size: Vec<usize> = ds.zones.live().collect();
        let size = |z: usize| ds.figures[z].measured.area_ha.unwrap_or(0.0);
        by_size.sort_by(|a, b| size(*b).total_cmp(&size(*a)));
        self.by_size = by_size;
    }
}

/// A zone's mesh and where its label goes: a point inside its largest part.
fn zone_shape(s: &crate::engine::model::Shape) -> (Option<FeatureMesh>, Option<Coord<f64>>) {
    let Some(g) = s.geometry() else {
        return (None, None);
    };
    let largest =
        g.0.iter()
            .max_by(|a, b| geo::Area::unsigned_area(*a).total_cmp(&geo::Area::unsigned_area(*b)));
    let label = largest.and_then(crate::engine::geometry::inside_point);
    (Some(FeatureMesh::new(g)), label)
}

/// What the map needs of the lots before drawing any: their R-tree (the dataset keeps it) and
/// their typical size. Built on another thread after loading: zoomed out, no lot is drawn, and
/// the first frames do not wait for it.
pub struct ParcelShapes {
    /// Median parcel size, longitude degrees: below 2 px the parcel layer is skipped whole.
    typical_deg: f64,
}

impl ParcelShapes {
    /// Builds the parcels' R-tree (kept by `ds` and its copies) and measures the lots.
    fn build(ds: &Dataset) -> ParcelShapes {
        ds.parcel_index();
        let Some(p) = &ds.parcels else {
            return ParcelShapes { typical_deg: 0.0 };
        };
        let step = (p.len() / 1000).max(1);
        let mut sizes: Vec<f64> = p
            .shapes
            .iter()
            .step_by(step)
            .filter_map(|s| s.bbox())
            .map(|b| b.width().max(b.height()))
            .collect();
        sizes.sort_by(f64::total_cmp);
        ParcelShapes {
            typical_deg: sizes.get(sizes.len() / 2).copied().unwrap_or(0.0),
        }
    }
}

/// The map's geometry for the data open: the zones' shapes, the lots' (from another thread),
/// and the lots' meshes, built lazily when first on screen.
#[derive(Default)]
pub struct GeometryCache {
    /// The data generation the zones' shapes and the meshes are for.
    generation: u64,
    /// How much of the session's log of reshaped features they follow.
    reshaped_seen: usize,
    zones: ZoneShapes,
    parcel_shapes: Job<u64, ParcelShapes>,
    pub parcels: MeshArena,
}

impl GeometryCache {
    /// Takes the zones' shapes of data `generation`, built with it (see [`ZoneShapes`]).
    pub fn install(&mut self, generation: u64, zones: ZoneShapes) {
        self.generation = generation;
        self.zones = zones;
        self.parcels = MeshArena::default();
        self.reshaped_seen = 0;
    }

    /// Follows the data: after new data, its zones' shapes (unless built with it) and a new
    /// arena of lot meshes; and the lots' shapes asked for on another thread until they are
    /// there (`ctx` is woken then). Colours are not kept: a lot's status is read when it is
    /// drawn, so that an edit or a date costs nothing here.
    pub fn sync(&mut self, session: &Session, ctx: &egui::Context) {
        let ds = &session.ds;
        if self.generation != session.data_generation {
            self.install(session.data_generation, ZoneShapes::build(ds));
        }
        // Edits: only the features they reshaped are triangulated again.
        for &(layer, feature) in session.reshaped.iter().skip(self.reshaped_seen) {
            match (layer, feature) {
                (LayerKind::Zones, z) => self.zones.update(ds, z),
                (LayerKind::Parcels, Some(p)) => self.parcels.invalidate(p),
                (LayerKind::Parcels, None) => {}
            }
        }
        self.reshaped_seen = session.reshaped.len();
        if let Some(p) = &ds.parcels {
            self.parcel_shapes.want(session.data_generation, ctx, || {
                let ds = ds.clone();
                move || ParcelShapes::build(&ds)
            });
            if self.parcels.len() > p.len() {
                self.parcels = MeshArena::new(p.len());
            }
            self.parcels.grow(p.len());
        }
    }

    /// The lots' shapes of the data open, once built.
    fn parcel_shapes(&self) -> Option<&Arc<ParcelShapes>> {
        match self.parcel_shapes.latest() {
            Some((g, shapes)) if *g == self.generation => Some(shapes),
            _ => None,
        }
    }

    /// Whether the lots' shapes are being built.
    pub fn is_busy(&self) -> bool {
        self.parcel_shapes.is_running()
    }

    /// Waits for the lots' shapes being built (tests).
    pub fn wait(&mut self) {
        self.parcel_shapes.wait();
    }

    fn parcel(&mut self, ds: &Dataset, p: usize) -> Option<MeshRef<'_>> {
        if !self.parcels.is_built(p) {
            let g = ds.parcels.as_ref()?.shapes.get(p)?.geometry()?;
            self.parcels.build(p, g);
        }
        self.parcels.get(p)
    }

    fn zone(&self, z: usize) -> Option<MeshRef<'_>> {
        self.zones.meshes.get(z)?.as_ref().map(FeatureMesh::as_ref)
    }
}

/// Pixels per longitude degree at this zoom.
fn px_per_degree(camera: &Camera) -> f64 {
    camera.scale() / 360.0
}

/// Whether the parcel layer is drawn at this zoom. Not before the lots' shapes and R-tree are
/// built (on another thread, after loading: zoomed out, the first frames do not need them).
pub fn parcels_shown(ds: &Dataset, memory: &MapMemory) -> bool {
    memory.show_parcels
        && ds.parcels.is_some()
        && ds.parcel_index_if_built().is_some()
        && memory
            .cache
            .parcel_shapes()
            .is_some_and(|s| s.typical_deg * px_per_degree(&memory.camera) >= 1.5)
}

/// A parcel's size on screen from its bounding box, pixels (latitude stretched at the view's
/// latitude: close enough to decide what is too small to draw).
fn parcel_px(b: geo::Rect<f64>, px_per_deg: f64, stretch: f64) -> f32 {
    (b.width() * px_per_deg).max(b.height() * px_per_deg * stretch) as f32
}

/// What is under a screen point: the parcel on top (when parcels are drawn), else the zone.
pub fn hit(ds: &Dataset, memory: &MapMemory, p: Pos2) -> Option<Selection> {
    let c = memory.camera.screen_to_lonlat(p, memory.view);
    if parcels_shown(ds, memory)
        && let Some(q) = ds.parcel_at(c)
    {
        let ppd = px_per_degree(&memory.camera);
        let stretch = 1.0 / c.y.to_radians().cos();
        let big = ds
            .parcels
            .as_ref()
            .and_then(|ps| ps.shapes[q].bbox())
            .is_some_and(|b| parcel_px(b, ppd, stretch) >= MIN_PARCEL_PX);
        if big {
            return Some(Selection::Parcel(q));
        }
    }
    ds.zone_at(c)
        .filter(|_| memory.show_zones)
        .map(Selection::Zone)
}

/// Paints the map into `screen`, `hover` outlined; returns what it drew and what that cost.
pub fn paint(
    painter: &Painter,
    session: &Session,
    view: &ViewState,
    memory: &mut MapMemory,
    hover: Option<Selection>,
    screen: Rect,
) -> FrameStats {
    let started = Instant::now();
    let mut stats = FrameStats::default();
    painter.rect_filled(screen, 0.0, style::BACKGROUND);
    let camera = memory.camera;
    memory.basemap.paint(painter, &camera, screen);
    let feathering = tessellation::feathering(painter.ctx());
    // The reference layers over the basemap, under the zones.
    stats.references_drawn =
        super::reference::paint::paint(painter, &memory.reference, &camera, screen, feathering);
    let visible = camera.visible_lonlat(screen.expand(4.0));
    let ds = &session.ds;
    let figures = view.figures(session);

    // Zones.
    let zones: Vec<usize> = if memory.show_zones {
        ds.zone_index.within(visible).collect()
    } else {
        Vec::new()
    };
    let mut zone_fill = Mesh::default();
    let mut outlines = ZoneOutlines::default();
    let zone_alpha = (f32::from(ZONE_ALPHA) * memory.zone_opacity.clamp(0.0, 1.0)).round() as u8;
    let zone_outline = style::ZONE_OUTLINE.gamma_multiply(memory.zone_opacity.clamp(0.0, 1.0));
    for &z in &zones {
        let Some(m) = memory.cache.zone(z) else {
            continue;
        };
        let (base, s) = m.transform(&camera, screen);
        let color = style::translucent(style::zone_color(&figures[z]), zone_alpha);
        stats.vertices += zone_into(
            m,
            base,
            s,
            (color, zone_outline),
            feathering,
            &mut zone_fill,
            &mut outlines,
        );
        stats.zones_drawn += 1;
    }
    stats.vertices += zone_fill.vertices.len();
    painter.add(Shape::mesh(zone_fill));

    // Parcels.
    if parcels_shown(ds, memory)
        && let Some(index) = ds.parcel_index_if_built()
    {
        let ppd = px_per_degree(&camera);
        let stretch = 1.0
            / camera
                .screen_to_lonlat(screen.center(), screen)
                .y
                .to_radians()
                .cos();
        let mut fill = Mesh::default();
        let mut lines = Mesh::default();
        let candidates: Vec<(usize, geo::Rect<f64>)> = index.within_boxes(visible).collect();
        let outline = candidates.len() < 40_000;
        let (wmin, hmin) = (
            (f64::from(MIN_PARCEL_PX) / ppd) as f32,
            (f64::from(MIN_PARCEL_PX) / (ppd * stretch)) as f32,
        );
        let mut new_meshes = 0;
        let parcel_opacity = memory.parcel_opacity.clamp(0.0, 1.0);
        let parcel_outline = style::PARCEL_OUTLINE.gamma_multiply(parcel_opacity);
        for (p, b) in candidates {
            // The box the R-tree gives first: most lots of a zoomed-out view end here,
            // untouched.
            if (b.width() as f32) < wmin && (b.height() as f32) < hmin {
                continue;
            }
            if !memory.cache.parcels.is_built(p) {
                if new_meshes >= MAX_NEW_MESHES_PER_FRAME {
                    stats.incomplete = true;
                    continue;
                }
                new_meshes += 1;
            }
            let Some(status) = view.parcel_status(session, p) else {
                continue;
            };
            let color = style::parcel_color(status).gamma_multiply(parcel_opacity);
            let Some(m) = memory.cache.parcel(ds, p) else {
                continue;
            };
            let (base, s) = m.transform(&camera, screen);
            m.fill_into(&mut fill, base, s, color);
            if outline && m.screen_size(&camera) >= OUTLINE_PARCEL_PX {
                m.outline_into(&mut lines, base, s, 1.0, parcel_outline);
            }
            stats.parcels_drawn += 1;
        }
        stats.vertices += fill.vertices.len() + lines.vertices.len();
        painter.add(Shape::mesh(fill));
        painter.add(Shape::mesh(lines));
    }
    painter.add(Shape::mesh(outlines.mesh));

    // Hover and selection on top.
    let mut highlight = |s: Selection, stroke: Stroke| {
        let mesh = match s {
            Selection::Zone(z) => memory.cache.zone(z),
            Selection::Parcel(p) => memory.cache.parcel(ds, p),
        };
        if let Some(m) = mesh {
            let (base, sc) = m.transform(&camera, screen);
            let mut lines = ZoneOutlines::default();
            // Repeated points only: a highlight shows the shape as it is.
            for ring in m.rings_on_screen_simplified(base, sc, 0.01) {
                tessellation::stroke_ring(
                    &ring,
                    stroke,
                    feathering,
                    &mut lines.path,
                    &mut lines.mesh,
                );
            }
            painter.add(Shape::mesh(lines.mesh));
        }
    };
    if let Some(h) = hover.filter(|h| h.is_in(ds) && Some(*h) != view.selection) {
        highlight(h, Stroke::new(2.5, style::HOVER));
    }
    for &s in view.selection.iter().chain(&view.also_selected) {
        if s.is_in(ds) {
            highlight(s, Stroke::new(3.5, style::SELECTED));
        }
    }

    let k = memory.text_scale;
    let zone_rects: Vec<Rect> = zones
        .iter()
        .filter_map(|&z| memory.cache.zone(z))
        .map(|m| m.screen_rect(&camera, screen))
        .collect();
    let legend_rect = legend(painter, ds, view, screen, memory, &zone_rects);
    memory.legend_rect = legend_rect;
    // The basemap's attribution in the bottom-right corner, the scale bar above it.
    let attribution = memory.basemap.attribution();
    let credit = super::basemap::paint_attribution(painter, attribution, screen, k);
    let bottom = if credit.is_positive() {
        credit.top() + 6.0
    } else {
        screen.bottom()
    };
    let scale_rect = scale_bar(painter, &camera, screen, bottom, k).union(credit);
    memory.label_rects = if memory.show_labels {
        labels(
            painter,
            session,
            view,
            memory,
            screen,
            &zones,
            &[legend_rect, scale_rect],
        )
    } else {
        Vec::new()
    };
    stats.labels_drawn = memory.label_rects.len();
    stats.build = started.elapsed();
    stats
}

/// Zone outlines, stroked here rather than by egui (see [`tessellation::stroke_ring`]).
#[derive(Default)]
struct ZoneOutlines {
    mesh: Mesh,
    /// Scratch space for the stroke.
    path: Path,
}

/// Appends a zone's fill to `fill` and its outline to `lines` in `(fill, outline)` colours,
/// anti-aliased over `feathering` points; returns the outline's points.
fn zone_into(
    m: MeshRef,
    base: Pos2,
    s: f32,
    (color, outline): (Color32, Color32),
    feathering: f32,
    fill: &mut Mesh,
    lines: &mut ZoneOutlines,
) -> usize {
    m.fill_into(fill, base, s, color);
    let mut points = 0;
    // Points closer than a pixel to the last one kept add nothing but work.
    for ring in m.rings_on_screen_simplified(base, s, 1.0) {
        points += ring.len();
        tessellation::stroke_ring(
            &ring,
            Stroke::new(ZONE_OUTLINE_WIDTH, outline),
            feathering,
            &mut lines.path,
            &mut lines.mesh,
        );
    }
    points
}

/// Zone labels (name and fill rate), largest zones first. Each goes inside its zone when the
/// zone holds it, else under it (centred, or flush with either side), above it, right or
/// left of it: the first of those places
/// that overlaps no label already placed, the legend or the scale bar, and covers no other
/// zone; failing that, the first that only covers another zone; failing both, the label is
/// left out (a smaller zone's, since the larger are placed first). Returns where they are.
fn labels(
    painter: &Painter,
    session: &Session,
    view: &ViewState,
    memory: &MapMemory,
    screen: Rect,
    visible: &[usize],
    keep_clear: &[Rect],
) -> Vec<Rect> {
    let camera = &memory.camera;
    let mut placed: Vec<Rect> = keep_clear.to_vec();
    let reserved = placed.len();
    let font = FontId::proportional(12.0 * memory.text_scale);
    let ds = &session.ds;
    let mut shown = vec![false; ds.zones.len()];
    for &z in visible {
        if let Some(s) = shown.get_mut(z) {
            *s = true;
        }
    }
    // Whether a place on screen meets another zone shown (its box), which a label moved off
    // its own zone should not hide: the zones' R-tree, not every zone.
    let covers_other = |z: usize, r: &Rect| {
        let r = r.expand(2.0);
        let a = camera.screen_to_lonlat(r.left_top(), screen);
        let b = camera.screen_to_lonlat(r.right_bottom(), screen);
        ds.zone_index
            .within(geo::Rect::new(a, b))
            .any(|o| o != z && shown.get(o).copied().unwrap_or(false))
    };
    for &z in &memory.cache.zones.by_size {
        if !shown.get(z).copied().unwrap_or(false) {
            continue;
        }
        let (Some(Some(at)), Some(mesh)) =
            (memory.cache.zones.label_at.get(z), memory.cache.zone(z))
        else {
            continue;
        };
        if mesh.screen_size(camera) < 24.0 {
            continue;
        }
        let f = &view.figures(session)[z];
        let rate = f.fill_rate_pct.map_or_else(
            || tr(view.lang, Key::NotSet).to_string(),
            |r| fmt_pct(r, view.lang),
        );
        let text = format!("{}\n{rate}", session.zone_name(z));
        let galley = painter.layout(text, font.clone(), style::LABEL_TEXT, f32::INFINITY);
        let centre = camera.lonlat_to_screen(*at, screen);
        let size = galley.size() + Vec2::new(8.0, 4.0);
        // Inside a zone large enough to hold it; under a small one, so as not to hide it.
        let zone_rect = mesh.screen_rect(camera, screen);
        let inside = zone_rect.width() > size.x * 1.4 && zone_rect.height() > size.y * 2.5;
        let (c, gap) = (zone_rect.center(), 3.0);
        let places = [
            inside.then(|| Rect::from_center_size(centre, size)),
            Some(Rect::from_min_size(
                Pos2::new(c.x - size.x / 2.0, zone_rect.bottom() + gap),
                size,
            )),
            // Under it still, flush with its left or right side (a zone near the map's edge).
            Some(Rect::from_min_size(
                Pos2::new(zone_rect.left(), zone_rect.bottom() + gap),
                size,
            )),
            Some(Rect::from_min_size(
                Pos2::new(zone_rect.right() - size.x, zone_rect.bottom() + gap),
                size,
            )),
            Some(Rect::from_min_size(
                Pos2::new(c.x - size.x / 2.0, zone_rect.top() - gap - size.y),
                size,
            )),
            Some(Rect::from_min_size(
                Pos2::new(zone_rect.right() + gap, c.y - size.y / 2.0),
                size,
            )),
            Some(Rect::from_min_size(
                Pos2::new(zone_rect.left() - gap - size.x, c.y - size.y / 2.0),
                size,
            )),
        ];
        let free = |r: &Rect| {
            screen.contains_rect(*r) && !placed.iter().any(|p| p.intersects(r.expand(2.0)))
        };
        let candidates = places.iter().flatten();
        let Some(rect) = candidates
            .clone()
            .find(|r| free(r) && (Some(**r) == places[0] || !covers_other(z, r)))
            .or_else(|| candidates.clone().find(|r| free(r)))
            .copied()
        else {
            continue;
        };
        painter.rect_filled(rect, CornerRadius::same(4), style::LABEL_BACK);
        painter.galley(rect.min + Vec2::new(4.0, 2.0), galley, style::LABEL_TEXT);
        placed.push(rect);
    }
    placed.split_off(reserved)
}

/// Where the legend goes: of the map's corners the scale bar leaves free (bottom left, top left,
/// top right), the one where it covers least of the zones on screen (of their boxes); bottom
/// left when none covers any.
fn legend_place(size: Vec2, screen: Rect, zone_rects: &[Rect]) -> Rect {
    let m = 10.0;
    let corners = [
        Pos2::new(screen.left() + m, screen.bottom() - size.y - m),
        Pos2::new(screen.left() + m, screen.top() + m),
        Pos2::new(screen.right() - size.x - m, screen.top() + m),
    ];
    let covered = |r: Rect| -> f32 {
        zone_rects
            .iter()
            .map(|z| {
                let i = z.intersect(r);
                if i.is_positive() { i.area() } else { 0.0 }
            })
            .sum()
    };
    corners
        .iter()
        .map(|&c| Rect::from_min_size(c, size))
        .min_by(|a, b| covered(*a).total_cmp(&covered(*b)))
        .unwrap_or(Rect::from_min_size(corners[0], size))
}

/// The legend: fill-rate classes, "no denominator", parcel statuses, and the reference layers
/// shown (each in its colour, by its file's name: in a meeting, what the coloured lines are),
/// in the corner where it hides least of the zones (see [`legend_place`]); collapsed, its title
/// only (a click on it opens or closes it). Returns where it is.
fn legend(
    painter: &Painter,
    ds: &Dataset,
    view: &ViewState,
    screen: Rect,
    memory: &MapMemory,
    zone_rects: &[Rect],
) -> Rect {
    let (k, collapsed) = (memory.text_scale, memory.legend_collapsed);
    // The reference layers drawn, top first, by their file's name without its extension.
    let reference_rows: Vec<(Color32, String)> = memory
        .reference
        .layers
        .iter()
        .filter(|l| l.visible && l.opacity > 0.0 && l.shapes.features > 0)
        .map(|l| {
            // A GeoPackage's layer by its own name; a file by its name without extension.
            let name = match crate::engine::source::gpkg::file_and_layer(&l.path) {
                (_, Some(layer)) => layer,
                (file, None) => file
                    .file_stem()
                    .map_or_else(|| l.name(), |s| s.to_string_lossy().into_owned()),
            };
            (l.color, name)
        })
        .collect();
    let lang = view.lang;
    let font = FontId::proportional(11.0 * k);
    let mut rows: Vec<(Color32, String)> = style::FILL_CLASSES
        .iter()
        .map(|c| (c.color, c.label.to_string()))
        .collect();
    rows.push((
        style::NO_DENOMINATOR,
        tr(lang, Key::LegendNoFillRate).to_string(),
    ));
    let parcel_rows: Vec<(Color32, String)> = if ds.parcels.is_some() {
        crate::engine::properties::ParcelStatus::ALL
            .iter()
            .map(|s| {
                (
                    style::parcel_color(*s),
                    parcel_status_text(lang, *s).to_string(),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let line = 15.0 * k;
    let (rows, parcel_rows, reference_rows) = if collapsed {
        (Vec::new(), Vec::new(), Vec::new())
    } else {
        (rows, parcel_rows, reference_rows)
    };
    let titles = 1 + usize::from(!parcel_rows.is_empty()) + usize::from(!reference_rows.is_empty());
    let height =
        line * (rows.len() + parcel_rows.len() + reference_rows.len() + titles) as f32 + 12.0 * k;
    // As wide as its longest line (titles are longer in Vietnamese).
    let title_font = FontId::proportional(11.5 * k);
    let text_width = |text: &str, font: &FontId| {
        painter
            .layout_no_wrap(text.to_string(), font.clone(), Color32::BLACK)
            .size()
            .x
    };
    let mut width = text_width(tr(lang, Key::LegendFill), &title_font) + 16.0 * k;
    if !parcel_rows.is_empty() {
        width = width.max(text_width(tr(lang, Key::LegendParcels), &title_font) + 16.0 * k);
    }
    if !reference_rows.is_empty() {
        width = width.max(text_width(tr(lang, Key::ReferenceLayers), &title_font) + 16.0 * k);
    }
    for (_, label) in rows.iter().chain(&parcel_rows).chain(&reference_rows) {
        width = width.max(text_width(label, &font) + 42.0 * k);
    }
    let rect = legend_place(Vec2::new(width.max(150.0 * k), height), screen, zone_rects);
    painter.rect_filled(
        rect,
        CornerRadius::same(6),
        Color32::from_rgba_unmultiplied(255, 255, 255, 230),
    );
    painter.rect_stroke(
        rect,
        CornerRadius::same(6),
        Stroke::new(1.0, Color32::from_gray(170)),
        StrokeKind::Inside,
    );
    let mut y = rect.top() + 6.0 * k;
    let section = |title: &str, items: &[(Color32, String)], y: &mut f32| {
        painter.text(
            Pos2::new(rect.left() + 8.0 * k, *y),
            Align2::LEFT_TOP,
            title,
            title_font.clone(),
            Color32::from_gray(30),
        );
        *y += line;
        for (c, label) in items {
            let sw = Rect::from_min_size(
                Pos2::new(rect.left() + 10.0 * k, *y + 2.0 * k),
                Vec2::new(16.0 * k, 10.0 * k),
            );
            painter.rect_filled(sw, CornerRadius::same(2), *c);
            painter.rect_stroke(
                sw,
                CornerRadius::same(2),
                Stroke::new(0.8, Color32::from_gray(110)),
                StrokeKind::Inside,
            );
            painter.text(
                Pos2::new(sw.right() + 8.0 * k, *y),
                Align2::LEFT_TOP,
                label,
                font.clone(),
                Color32::from_gray(40),
            );
            *y += line;
        }
    };
    section(tr(lang, Key::LegendFill), &rows, &mut y);
    if !parcel_rows.is_empty() {
        section(tr(lang, Key::LegendParcels), &parcel_rows, &mut y);
    }
    if !reference_rows.is_empty() {
        section(tr(lang, Key::ReferenceLayers), &reference_rows, &mut y);
    }
    rect
}

/// A scale bar of a round length (1, 2 or 5 × 10ⁿ metres) at the view's centre latitude.
/// Returns where it is.
fn scale_bar(painter: &Painter, camera: &Camera, screen: Rect, bottom: f32, k: f32) -> Rect {
    let lat = camera.screen_to_lonlat(screen.center(), screen).y;
    let m_per_px = metres_per_world_unit(lat) / camera.scale();
    let max_px = 140.0 * f64::from(k);
    let target = m_per_px * max_px;
    let pow = 10f64.powf(target.log10().floor());
    let nice = [5.0, 2.0, 1.0]
        .iter()
        .map(|k| k * pow)
        .find(|m| *m <= target)
        .unwrap_or(pow);
    let px = (nice / m_per_px) as f32;
    let label = if nice >= 1000.0 {
        format!("{} km", nice / 1000.0)
    } else {
        format!("{nice} m")
    };
    let right = screen.right() - 16.0;
    let y = bottom - 18.0 * k;
    let back = Rect::from_min_max(
        Pos2::new(right - px - 8.0, y - 20.0 * k),
        Pos2::new(right + 8.0, y + 8.0),
    );
    painter.rect_filled(
        back,
        CornerRadius::same(4),
        Color32::from_rgba_unmultiplied(255, 255, 255, 210),
    );
    let stroke = Stroke::new(2.0, Color32::from_gray(30));
    painter.line_segment([Pos2::new(right - px, y), Pos2::new(right, y)], stroke);
    painter.line_segment(
        [
            Pos2::new(right - px, y - 5.0),
            Pos2::new(right - px, y + 3.0),
        ],
        stroke,
    );
    painter.line_segment(
        [Pos2::new(right, y - 5.0), Pos2::new(right, y + 3.0)],
        stroke,
    );
    painter.text(
        Pos2::new(right - px / 2.0, y - 4.0),
        Align2::CENTER_BOTTOM,
        label,
        FontId::proportional(11.5 * k),
        Color32::from_gray(20),
    );
    back
}

/// The hover tooltip. Zone: name, area, leased land, fill rate and its basis. Parcel: tenant,
/// status, area, lease dates.
pub fn tooltip(ui: &mut Ui, session: &Session, view: &ViewState, s: Selection) {
    let lang = view.lang;
    let t = |k| tr(lang, k);
    let none = t(Key::NotSet);
    match s {
        Selection::Zone(z) => {
            let f = &view.figures(session)[z];
            ui.strong(session.zone_name(z));
            egui::Grid::new("tooltip_zone")
                .num_columns(2)
                .show(ui, |ui| {
                    ui.label(t(Key::MeasuredArea));
                    ui.label(
                        f.measured
                            .area_ha
                            .map_or(none.to_string(), |a| fmt_ha(a, lang)),
                    );
                    ui.end_row();
                    ui.label(t(Key::LeasedLand));
                    ui.label(fmt_ha(f.measured.leased_ha, lang));
                    ui.end_row();
                    ui.label(t(Key::FillRate));
                    ui.label(
                        f.fill_rate_pct
                            .map_or(none.to_string(), |r| fmt_pct(r, lang)),
                    );
                    ui.end_row();
                    ui.label(t(Key::Basis));
                    ui.label(basis_text(lang, f));
                    ui.end_row();
                });
        }
        Selection::Parcel(p) => {
            let Some(parcels) = &session.ds.parcels else {
                return;
            };
            let item = &parcels.items[p];
            ui.strong(&item.id);
            egui::Grid::new("tooltip_parcel")
                .num_columns(2)
                .show(ui, |ui| {
                    ui.label(t(Key::Tenant));
                    ui.label(item.tenant.as_deref().unwrap_or(none));
                    ui.end_row();
                    ui.label(t(Key::ColStatus));
                    ui.label(parcel_status_text(
                        lang,
                        view.parcel_status(session, p).unwrap_or(item.status),
                    ));
                    ui.end_row();
                    ui.label(t(Key::ParcelArea));
                    ui.label(
                        session.ds.parcel_area_ha[p].map_or(none.to_string(), |a| fmt_ha(a, lang)),
                    );
                    ui.end_row();
                    ui.label(t(Key::Lease));
                    let d = |d: Option<crate::engine::properties::Date>| {
                        d.map_or(none.to_string(), |d| fmt_date(d, lang))
                    };
                    ui.label(format!("{} → {}", d(item.lease_start), d(item.lease_end)));
                    ui.end_row();
                });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::epaint::{TessellationOptions, Tessellator};
    use geo::{LineString, MultiPolygon, Polygon};

    use crate::engine::test_data::Lcg;

    fn closed(mut pts: Vec<(f64, f64)>) -> LineString<f64> {
        pts.push(pts[0]);
        LineString::from(pts)
    }

    /// A small square with a peninsula in each of eight directions, each a hundred metres wide
    /// at its root and tens of kilometres long, its shore wavering out and back like a real
    /// coast: zoomed out, each shrinks to a line that doubles back on itself.
    fn peninsulas(rng: &mut Lcg) -> MultiPolygon<f64> {
        let (cx, cy, r) = (103.95, 10.2, 0.02);
        let mut pts = Vec::new();
        for k in 0..8 {
            let a = f64::from(k) * std::f64::consts::FRAC_PI_4;
            let (dx, dy) = (a.cos(), a.sin());
            let (nx, ny) = (-dy, dx);
            let len = 0.2 + 0.2 * rng.next();
            let half = 0.0005;
            // Out along one side, back along the other.
            let steps = 25;
            for i in 0..=steps {
                let t = f64::from(i) / f64::from(steps);
                let w = half * (1.0 - t) * (1.0 + 0.5 * rng.next());
                let d = r + len * t;
                pts.push((cx + dx * d - nx * w, cy + dy * d - ny * w));
            }
            for i in (0..steps).rev() {
                let t = f64::from(i) / f64::from(steps);
                let w = half * (1.0 - t) * (1.0 + 0.5 * rng.next());
                let d = r + len * t;
                pts.push((cx + dx * d + nx * w, cy + dy * d + ny * w));
            }
        }
        MultiPolygon(vec![Polygon::new(closed(pts), vec![])])
    }

    /// Thirty islands of a few hundred metres to a few kilometres, jagged and scattered over
    /// fifty kilometres of sea, some with a lagoon.
    fn archipelago(rng: &mut Lcg) -> MultiPolygon<f64> {
        let parts = (0..30)
            .map(|_| {
                let (cx, cy) = (106.3 + 0.5 * rng.next(), 8.5 + 0.4 * rng.next());
                let r = 0.002 + 0.03 * rng.next().powi(3);
                let n = 5 + (rng.next() * 40.0) as usize;
                let ring = |scale: f64, rng: &mut Lcg| {
                    closed(
                        (0..n)
                            .map(|i| {
                                let a = i as f64 / n as f64 * std::f64::consts::TAU;
                                let q = scale * r * (0.3 + 0.7 * rng.next());
                                (cx + q * a.cos(), cy + q * a.sin())
                            })
                            .collect(),
                    )
                };
                let exterior = ring(1.0, rng);
                let holes = if rng.next() < 0.2 {
                    vec![ring(0.2, rng)]
                } else {
                    vec![]
                };
                Polygon::new(exterior, holes)
            })
            .collect();
        MultiPolygon(parts)
    }

    /// Every vertex of every shape the map emits for a zone, once egui has tessellated it (the
    /// stroke's joins included), stays within the zone's own box on screen, widened by the
    /// outline's half-width and a pixel of anti-aliasing: at every zoom from the zone filling
    /// the window down to a few pixels across.
    #[test]
    fn zones_never_draw_beyond_their_box() {
        let view = Rect::from_min_size(Pos2::ZERO, Vec2::new(1600.0, 1000.0));
        let mut rng = Lcg(13);
        let shapes = [
            ("thin peninsulas", peninsulas(&mut rng)),
            ("archipelago", archipelago(&mut rng)),
        ];
        let mut failures = Vec::new();
        for (name, g) in &shapes {
            let mesh = FeatureMesh::new(g);
            let m = mesh.as_ref();
            let bounds = geo::BoundingRect::bounding_rect(g).expect("bounds");
            let fit = Camera::fitting(bounds, view, 20.0);
            for zoom_out in [0.0, 2.0, 4.0, 6.0, 7.0, 8.0, 9.0, 10.0] {
                let mut camera = fit;
                camera.zoom -= zoom_out;
                let (base, s) = m.transform(&camera, view);
                let (mut fill, mut lines) = (Mesh::default(), ZoneOutlines::default());
                // A screen of one and of two pixels per point.
                for feathering in [1.0, 0.5] {
                    let colors = (Color32::RED, Color32::BLACK);
                    zone_into(m, base, s, colors, feathering, &mut fill, &mut lines);
                }
                // The same feature drawn as a lot.
                let mut lot = Mesh::default();
                m.outline_into(&mut lot, base, s, 1.0, Color32::BLUE);
                let mut tess =
                    Tessellator::new(1.0, TessellationOptions::default(), [1, 1], vec![]);
                let mut out = Mesh::default();
                for shape in [fill, lines.mesh, lot].map(Shape::mesh) {
                    tess.tessellate_shape(shape, &mut out);
                }
                assert!(!out.vertices.is_empty(), "{name}: nothing drawn");
                let a = camera.world_to_screen(m.min, view);
                let b = camera.world_to_screen(m.max, view);
                let allowed = Rect::from_two_pos(a, b).expand(ZONE_OUTLINE_WIDTH / 2.0 + 1.0);
                let beyond = crate::app::map::tessellation::beyond_px(&out, allowed);
                if beyond > 0.0 {
                    failures.push(format!(
                        "{name}, {:.0} px wide: a vertex {beyond:.1} px beyond its box",
                        a.distance(b)
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
