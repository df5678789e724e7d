//! The map: a [`MapView`] widget over a [`MapMemory`] the caller owns. It reads the session and
//! the view, and returns what the pointer is over and what the user asked for
//! ([`MapResponse`]); it changes neither.
//!
//! - [`projection`] — Web Mercator;
//! - [`basemap`] — the tiles under the zones (OpenStreetMap, XYZ, MBTiles), loaded on worker
//!   threads, and their attribution;
//! - [`reference`] — the board's other maps (roads, drainage, power, boundaries) between the
//!   basemap and the zones;
//! - [`camera`] — centre and zoom, fitting, zooming about the cursor, flights;
//! - [`tessellation`] — features triangulated once in world coordinates (concave zones, holes);
//! - [`layers`] — what is drawn each frame (culling, meshes, labels, legend, scale bar);
//! - [`style`] — colours;
//! - [`tools`] — the planning tools' pointer work and what they draw (Draw, Split, Reshape,
//!   snapping).

pub mod basemap;
pub mod camera;
pub mod layers;
pub mod projection;
pub mod reference;
pub mod style;
pub mod tessellation;
pub mod tools;

use egui::{Rect, Role, Sense, Ui, Vec2, WidgetInfo};
use geo::Coord;
use std::time::Duration;

use self::camera::Camera;
use self::layers::GeometryCache;
use super::action::{Action, ViewAction};
use super::session::Session;
use super::view::{Selection, ViewState};
use crate::engine::dataset::Dataset;
use crate::i18n::{Key, tr};

/// What the last frame drew and how long the app's own part took.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FrameStats {
    /// Culling, building meshes and labels (egui's tessellation and the GPU not included).
    pub build: Duration,
    pub zones_drawn: usize,
    pub parcels_drawn: usize,
    pub labels_drawn: usize,
    /// Reference features drawn (a feature's polygons, its lines, or one of its points).
    pub references_drawn: usize,
    pub vertices: usize,
    /// Some lots on screen are not triangulated yet (they come in the next frames).
    pub incomplete: bool,
}

/// The map's memory: camera, caches and options. Owned by the app, kept between frames.
pub struct MapMemory {
    pub camera: Camera,
    /// The zones drawn (their fills, outlines and labels), and how opaque (0–1, of their
    /// translucent fill and their outlines).
    pub show_zones: bool,
    pub zone_opacity: f32,
    pub show_parcels: bool,
    /// How opaque the lots are drawn (0–1).
    pub parcel_opacity: f32,
    pub show_labels: bool,
    /// Size of the legend, labels and scale bar (1: normal; larger in presentation mode).
    pub text_scale: f32,
    /// The legend shows its title only (a click on it opens or closes it).
    pub legend_collapsed: bool,
    /// Where the legend was drawn last frame.
    pub legend_rect: Rect,
    /// Where the zone labels were drawn last frame.
    pub label_rects: Vec<Rect>,
    /// Fit the whole data on the next frame (after loading).
    pub needs_fit: bool,
    /// Where the map was drawn last frame.
    pub view: Rect,
    /// Longitude/latitude under the pointer.
    pub cursor: Option<Coord<f64>>,
    pub stats: FrameStats,
    pub(crate) cache: GeometryCache,
    /// The planning tools: which, their options, what is under way.
    pub tools: tools::Tools,
    /// The basemap under the zones, its opacity and its textures.
    pub basemap: basemap::BasemapLayer,
    /// The reference layers between the basemap and the zones.
    pub reference: reference::ReferenceLayers,
    fly: Option<geo::Rect<f64>>,
    /// After "fit all": the bounds, and the camera and view it gave. While the camera is left
    /// alone, a view that changes size (panels settling, the window resized) is fitted again.
    auto_fit: Option<(geo::Rect<f64>, Camera, Rect)>,
}

impl Default for MapMemory {
    fn default() -> Self {
        MapMemory {
            camera: Camera::default(),
            show_zones: true,
            zone_opacity: 1.0,
            show_parcels: true,
            parcel_opacity: 1.0,
            show_labels: true,
            text_scale: 1.0,
            legend_collapsed: false,
            legend_rect: Rect::NOTHING,
            label_rects: Vec::new(),
            needs_fit: true,
            view: Rect::from_min_size(egui::Pos2::ZERO, Vec2::new(800.0, 600.0)),
            cursor: None,
            stats: FrameStats::default(),
            cache: GeometryCache::default(),
            tools: tools::Tools::default(),
            basemap: basemap::BasemapLayer::default(),
            reference: reference::ReferenceLayers::default(),
            fly: None,
            auto_fit: None,
        }
    }
}

/// Margin around fitted bounds, pixels.
const FIT_MARGIN: f32 = 40.0;

impl MapMemory {
    /// Flies to a longitude/latitude rectangle on the next frame.
    pub fn fly_to(&mut self, bounds: geo::Rect<f64>) {
        self.fly = Some(bounds);
    }

    /// Shows every zone (or every parcel when there are no zones).
    pub fn fit_all(&mut self, ds: &Dataset) {
        if let Some(b) = data_bounds(ds) {
            self.camera.fit(b, self.view, FIT_MARGIN);
            self.auto_fit = Some((b, self.camera, self.view));
        }
    }

    /// The bounds of a selected feature.
    pub fn bounds_of(ds: &Dataset, s: Selection) -> Option<geo::Rect<f64>> {
        match s {
            Selection::Zone(z) => ds.zones.shapes.get(z)?.bbox(),
            Selection::Parcel(p) => ds.parcels.as_ref()?.shapes.get(p)?.bbox(),
        }
    }

    /// Waits until the lots can be drawn (their R-tree is built on another thread after new
    /// data; benchmarks and tests).
    pub fn wait_for_lots(&mut self) {
        self.cache.wait();
    }

    /// Whether lot `p`'s mesh is built (an edit makes only the lots it reshaped build
    /// theirs again).
    pub fn lot_mesh_built(&self, p: usize) -> bool {
        self.cache.parcels.is_built(p)
    }

    /// Where a longitude/latitude is on screen now.
    pub fn screen_pos(&self, c: Coord<f64>) -> egui::Pos2 {
        self.camera.lonlat_to_screen(c, self.view)
    }
}

/// The bounds of all zones, or of all parcels without zones.
pub fn data_bounds(ds: &Dataset) -> Option<geo::Rect<f64>> {
    let union = |shapes: &crate::engine::cow_vec::CowVec<crate::engine::model::Shape>| {
        crate::engine::index::bounds_of(shapes.iter().filter_map(|s| s.bbox()))
    };
    union(&ds.zones.shapes).or_else(|| ds.parcels.as_ref().and_then(|p| union(&p.shapes)))
}

/// What the map reports after a frame.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MapResponse {
    /// The feature under the pointer: the parcel on top first, then its zone.
    pub hover: Option<Selection>,
    /// What the user asked for (a click selects).
    pub actions: Vec<Action>,
}

/// The map widget.
pub struct MapView<'a> {
    session: &'a Session,
    view: &'a ViewState,
    memory: &'a mut MapMemory,
}

impl<'a> MapView<'a> {
    pub fn new(session: &'a Session, view: &'a ViewState, memory: &'a mut MapMemory) -> Self {
        MapView {
            session,
            view,
            memory,
        }
    }

    /// Shows the map in all the space left.
    pub fn show(self, ui: &mut Ui) -> MapResponse {
        let MapView {
            session,
            view,
            memory,
        } = self;
        let ds = &session.ds;
        let mut actions = Vec::new();
        let (rect, response) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
        let label = tr(view.lang, Key::MapLabel);
        response.widget_info(|| WidgetInfo::labeled(Role::Canvas, true, label));
        memory.view = rect;
        memory.cache.sync(session, ui.ctx());
        if memory.needs_fit && rect.width() > 32.0 && rect.height() > 32.0 {
            memory.fit_all(ds);
            memory.needs_fit = false;
        }
        if let Some((b, camera, view)) = memory.auto_fit {
            if memory.camera != camera {
                memory.auto_fit = None;
            } else if view != rect {
                memory.camera.fit(b, rect, FIT_MARGIN);
                memory.auto_fit = Some((b, memory.camera, rect));
            }
        }
        let now = ui.input(|i| i.time);
        if let Some(b) = memory.fly.take() {
            memory.camera.fly_to(b, FIT_MARGIN, now);
        }
        if memory.camera.animate(now, rect) {
            ui.ctx().request_repaint();
        }

        // A click on the legend opens or closes it. Then the tools: a tool that takes the
        // pointer (a corner clicked, dragged) keeps it from panning and selecting.
        let on_legend = response
            .interact_pointer_pos()
            .is_some_and(|p| memory.legend_rect.contains(p));
        if response
            .hover_pos()
            .is_some_and(|p| memory.legend_rect.contains(p))
        {
            ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
        }
        let taken = if on_legend && response.clicked() {
            memory.legend_collapsed = !memory.legend_collapsed;
            true
        } else {
            let (tool_actions, taken) = tools::interact(ui, &response, session, view, memory);
            actions.extend(tool_actions);
            taken
        };

        // Pan and zoom.
        if response.dragged() && !taken {
            memory.camera.pan(response.drag_delta());
        }
        if let Some(p) = response.hover_pos() {
            let (scroll, zoom) = ui.input(|i| (i.smooth_scroll_delta(), i.zoom_delta()));
            if zoom != 1.0 {
                memory.camera.zoom_about(p, rect, f64::from(zoom));
            }
            if scroll.y != 0.0 {
                memory
                    .camera
                    .zoom_about(p, rect, f64::from(scroll.y / 160.0).exp2());
            }
        }
        if response.double_clicked()
            && !taken
            && let Some(p) = response.interact_pointer_pos()
        {
            memory.camera.zoom_about(p, rect, 2.0);
        }

        // Hover and click: the parcel on top first, then its zone.
        let pointer = response.hover_pos();
        memory.cursor = pointer.map(|p| memory.camera.screen_to_lonlat(p, rect));
        let hover = pointer
            .filter(|_| !response.dragged())
            .and_then(|p| layers::hit(ds, memory, p));
        if response.clicked()
            && !taken
            && matches!(
                memory.tools.tool,
                tools::Tool::Select | tools::Tool::Reshape
            )
            && let Some(p) = response.interact_pointer_pos()
        {
            actions.push(Action::View(ViewAction::Select {
                selection: layers::hit(ds, memory, p),
                fly: false,
            }));
        }

        let painter = ui.painter_at(rect);
        memory.stats = layers::paint(&painter, session, view, memory, hover, rect);
        tools::paint(&painter, session, view, memory);
        if memory.stats.incomplete {
            ui.ctx().request_repaint();
        }

        // The figures under the pointer, while selecting (not over the handles of a tool);
        // off the zones and lots, what a reference layer's feature says of itself.
        let selecting = memory.tools.tool == tools::Tool::Select;
        if let Some(h) = hover.filter(|_| selecting) {
            response.on_hover_ui_at_pointer(|ui| layers::tooltip(ui, session, view, h));
        } else if selecting
            && hover.is_none()
            && !response.dragged()
            && let Some((id, feature)) =
                pointer.and_then(|p| memory.reference.hit(&memory.camera, rect, p))
            && let Some(layer) = memory.reference.get(id)
        {
            response.on_hover_ui_at_pointer(|ui| reference::tooltip(ui, layer, feature));
        }
        MapResponse { hover, actions }
    }
}
