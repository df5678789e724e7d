//! The map's planning tools: the pointer's part. Select (Shift+click selects several lots),
//! Draw a lot, Split by a line, Reshape (drag a corner, click an edge to add one, right-click a
//! corner to delete it), with snapping to the corners and edges of nearby lots and zones and
//! moving shared corners together (topological editing). Merge and Delete act on the
//! selection (the toolbar, M and Delete).
//!
//! A tool never changes the data: it returns a [`Plan`] (one undo step), which the shell turns
//! into the engine's operations ([`crate::engine::planning`]) and applies through the session.
//! What a tool is in the middle of (the corners clicked so far, the corner being dragged) is
//! kept in [`Tools`], part of the map's memory.

use egui::{Color32, Key as K, Modifiers, Painter, Pos2, Rect, Response, Shape, Stroke, Ui};
use geo::{Coord, MultiPolygon};

use super::MapMemory;
use super::camera::Camera;
use crate::app::action::{Action, EditAction, ViewAction};
use crate::app::session::Session;
use crate::app::view::{Selection, ViewState};
use crate::engine::dataset::Dataset;
use crate::engine::geodesy::{M2_PER_HA, geodesic_area_m2};
use crate::engine::model::LayerKind;
use crate::engine::planning::{self, FeatureRef, Plan};
use crate::engine::shape_edit::{SnapTarget, VertexRef, corners, stored_positions};
use crate::i18n::{Key, fmt_ha, tr, trf};

/// The tool the map's pointer works with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tool {
    #[default]
    Select,
    Draw,
    Split,
    Reshape,
}

impl Tool {
    pub const ALL: [Tool; 4] = [Tool::Select, Tool::Draw, Tool::Split, Tool::Reshape];

    pub fn label(self) -> Key {
        match self {
            Tool::Select => Key::ToolSelect,
            Tool::Draw => Key::ToolDraw,
            Tool::Split => Key::ToolSplit,
            Tool::Reshape => Key::ToolReshape,
        }
    }

    pub fn hint(self) -> Key {
        match self {
            Tool::Select => Key::HintSelect,
            Tool::Draw => Key::HintDraw,
            Tool::Split => Key::HintSplit,
            Tool::Reshape => Key::HintReshape,
        }
    }

    /// Its key (pressed alone, on the map).
    pub fn shortcut(self) -> K {
        match self {
            Tool::Select => K::S,
            Tool::Draw => K::D,
            Tool::Split => K::X,
            Tool::Reshape => K::R,
        }
    }
}

/// Pixels within which the pointer snaps to a corner or an edge.
pub const SNAP_PX: f32 = 10.0;
/// Pixels within which the pointer takes a corner or an edge of the shape being reshaped.
const GRAB_PX: f32 = 8.0;
/// Corners drawn as handles when no more than this many are on screen.
const MAX_HANDLES: usize = 4000;

/// The tools' state: which, their options, and what is under way.
#[derive(Clone, Debug)]
pub struct Tools {
    pub tool: Tool,
    /// Snap to nearby corners and edges (on by default).
    pub snapping: bool,
    /// Move a corner in every lot and zone that shares it (on by default).
    pub shared_corners: bool,
    /// The corners clicked so far (Draw, Split), longitude/latitude.
    pub sketch: Vec<Coord<f64>>,
    /// The corner being dragged (Reshape).
    drag: Option<Drag>,
    /// Where the pointer is, snapped, and onto what (for the overlay).
    pointer: Option<(Coord<f64>, Option<SnapTarget>)>,
}

impl Default for Tools {
    fn default() -> Self {
        Tools {
            tool: Tool::Select,
            snapping: true,
            shared_corners: true,
            sketch: Vec::new(),
            drag: None,
            pointer: None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Drag {
    feature: FeatureRef,
    vertex: VertexRef,
    from: Coord<f64>,
    to: Coord<f64>,
}

impl Tools {
    /// Takes another tool; what was under way is dropped.
    pub fn choose(&mut self, tool: Tool) {
        self.tool = tool;
        self.cancel();
    }

    /// Drops what is under way (Esc).
    pub fn cancel(&mut self) {
        self.sketch.clear();
        self.drag = None;
    }

    /// Whether a tool is in the middle of something (Esc cancels that first).
    pub fn is_busy(&self) -> bool {
        !self.sketch.is_empty() || self.drag.is_some()
    }
}

fn feature_of(s: Selection) -> FeatureRef {
    FeatureRef {
        layer: s.layer(),
        index: s.index(),
    }
}

/// Longitude degrees per screen pixel at this zoom.
fn degrees_per_px(camera: &Camera) -> f64 {
    360.0 / camera.scale()
}

/// The pointer's position, snapped (when snapping is on) to the nearest corner or edge of a
/// lot or zone within [`SNAP_PX`], among those `accept` takes.
fn snapped(
    ds: &Dataset,
    memory: &MapMemory,
    p: Pos2,
    accept: impl Fn(FeatureRef, SnapTarget) -> bool,
) -> (Coord<f64>, Option<SnapTarget>) {
    let c = memory.camera.screen_to_lonlat(p, memory.view);
    if !memory.tools.snapping {
        return (c, None);
    }
    let tolerance = f64::from(SNAP_PX) * degrees_per_px(&memory.camera);
    match planning::snap(ds, c, tolerance, accept) {
        Some(s) => (s.at, Some(s.target)),
        None => (c, None),
    }
}

/// The pointer's part of the tools, for one frame of the map: returns what the user asked
/// for, and whether the tool took the pointer (the map then neither selects nor pans).
pub fn interact(
    ui: &Ui,
    response: &Response,
    session: &Session,
    view: &ViewState,
    memory: &mut MapMemory,
) -> (Vec<Action>, bool) {
    let ds = &session.ds;
    let mut actions = Vec::new();
    let pointer = response.hover_pos();
    let keys_free = !ui.ctx().egui_wants_keyboard_input();
    match memory.tools.tool {
        Tool::Select => {
            memory.tools.pointer = None;
            let shift = ui.input(|i| i.modifiers.shift);
            if shift
                && response.clicked()
                && let Some(p) = response.interact_pointer_pos()
                && let Some(s) = super::layers::hit(ds, memory, p)
            {
                actions.push(Action::View(ViewAction::SelectAlso(s)));
                return (actions, true);
            }
            (actions, false)
        }
        Tool::Draw | Tool::Split => {
            memory.tools.pointer = pointer.map(|p| snapped(ds, memory, p, |_, _| true));
            // A quick user's double-click after the last corner can count as a triple.
            let finish = (response.double_clicked()
                || response.triple_clicked()
                || keys_free && ui.input_mut(|i| i.consume_key(Modifiers::NONE, K::Enter)))
                && memory.tools.sketch.len() >= 2;
            if finish {
                let sketch = std::mem::take(&mut memory.tools.sketch);
                match memory.tools.tool {
                    Tool::Draw => actions.push(plan(Plan::Draw { ring: sketch })),
                    _ => match split_target(ds, view, &sketch) {
                        Some(feature) => actions.push(plan(Plan::Split {
                            feature,
                            line: sketch,
                        })),
                        None => actions.push(Action::View(ViewAction::Tell {
                            key: Key::NothingToSplit,
                            error: true,
                        })),
                    },
                }
                return (actions, true);
            }
            if response.clicked()
                && let Some((c, _)) = memory.tools.pointer
                && memory.tools.sketch.last() != Some(&c)
            {
                memory.tools.sketch.push(c);
            }
            (
                actions,
                response.clicked() || response.double_clicked() || response.triple_clicked(),
            )
        }
        Tool::Reshape => reshape(ui, response, session, view, memory),
    }
}

fn plan(p: Plan) -> Action {
    Action::Edit(EditAction::Plan(p))
}

/// What a split line cuts: the selection when the line meets it; else, of the lots (or,
/// without one, the zones) the line meets, the first it can cut, else the first it meets (the
/// refusal then names it).
fn split_target(ds: &Dataset, view: &ViewState, line: &[Coord<f64>]) -> Option<FeatureRef> {
    use geo::Intersects;
    let line_string = geo::LineString::from(line.to_vec());
    let meets =
        |f: FeatureRef| planning::shape_of(ds, f).is_ok_and(|shape| shape.intersects(&line_string));
    if let Some(s) = view.selection
        && meets(feature_of(s))
    {
        return Some(feature_of(s));
    }
    let bounds = geo::BoundingRect::bounding_rect(&line_string)?;
    let mut met: Vec<FeatureRef> = Vec::new();
    if let (Some(p), Some(index)) = (&ds.parcels, ds.parcel_index_if_built()) {
        let mut lots: Vec<usize> = index.within(bounds).filter(|&i| p.is_live(i)).collect();
        lots.sort_unstable();
        met.extend(
            lots.into_iter()
                .map(|index| FeatureRef {
                    layer: LayerKind::Parcels,
                    index,
                })
                .filter(|&f| meets(f)),
        );
    }
    if met.is_empty() {
        let mut zones: Vec<usize> = ds
            .zone_index
            .within(bounds)
            .filter(|&i| ds.zones.is_live(i))
            .collect();
        zones.sort_unstable();
        met.extend(
            zones
                .into_iter()
                .map(|index| FeatureRef {
                    layer: LayerKind::Zones,
                    index,
                })
                .filter(|&f| meets(f)),
        );
    }
    met.iter()
        .copied()
        .find(|&f| planning::split(ds, f, line).is_ok())
        .or_else(|| met.first().copied())
}

/// The corner of `shape` nearest screen point `p` within `reach` pixels.
fn corner_near(
    shape: &MultiPolygon<f64>,
    camera: &Camera,
    view: Rect,
    p: Pos2,
    reach: f32,
) -> Option<(VertexRef, Coord<f64>)> {
    corners(shape)
        .map(|(v, c)| (camera.lonlat_to_screen(c, view).distance(p), v, c))
        .filter(|(d, ..)| *d <= reach)
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, v, c)| (v, c))
}

/// The edge of `shape` nearest screen point `p` within `reach` pixels: its first corner.
fn edge_near(
    shape: &MultiPolygon<f64>,
    camera: &Camera,
    view: Rect,
    p: Pos2,
    reach: f32,
) -> Option<VertexRef> {
    let mut best: Option<(f32, VertexRef)> = None;
    for (polygon, poly) in shape.0.iter().enumerate() {
        for (ring, ls) in std::iter::once(poly.exterior())
            .chain(poly.interiors())
            .enumerate()
        {
            for (vertex, w) in ls.0.windows(2).enumerate() {
                let a = camera.lonlat_to_screen(w[0], view);
                let b = camera.lonlat_to_screen(w[1], view);
                let d = distance_to_segment(p, a, b);
                if d <= reach && best.is_none_or(|(bd, _)| d < bd) {
                    let v = VertexRef {
                        polygon,
                        ring,
                        vertex,
                    };
                    best = Some((d, v));
                }
            }
        }
    }
    best.map(|(_, v)| v)
}

fn distance_to_segment(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let t = if ab.length_sq() > 0.0 {
        ((p - a).dot(ab) / ab.length_sq()).clamp(0.0, 1.0)
    } else {
        0.0
    };
    p.distance(a + ab * t)
}

/// Reshape: drag a corner of the selected lot or zone; click an edge to put a corner there;
/// right-click (or Alt+click) a corner to take it out. Elsewhere, a click selects.
fn reshape(
    ui: &Ui,
    response: &Response,
    session: &Session,
    view: &ViewState,
    memory: &mut MapMemory,
) -> (Vec<Action>, bool) {
    let ds = &session.ds;
    let mut actions = Vec::new();
    let selected = view.selection.map(feature_of);
    let shape = selected.and_then(|f| planning::shape_of(ds, f).ok());
    let (camera, rect) = (memory.camera, memory.view);
    let pointer = response
        .interact_pointer_pos()
        .or_else(|| response.hover_pos());
    // A drag under way: follow the pointer, snapped; let go to make the move.
    if let Some(mut drag) = memory.tools.drag {
        if let Some(p) = pointer {
            let from = drag.from;
            let (to, target) = snapped(ds, memory, p, |_, _| true);
            // The corner where the drag began (its own, or a neighbour's that shares it and
            // moves with it) is never a target: the corner stays where the pointer last was.
            let (to, target) = if to == from {
                (drag.to, None)
            } else {
                (to, target)
            };
            drag.to = to;
            memory.tools.pointer = Some((to, target));
            memory.tools.drag = Some(drag);
        }
        if response.drag_stopped() || !ui.input(|i| i.pointer.primary_down()) {
            memory.tools.drag = None;
            if drag.to != drag.from {
                actions.push(plan(Plan::MoveVertex {
                    feature: drag.feature,
                    vertex: drag.vertex,
                    to: drag.to,
                    shared: memory.tools.shared_corners,
                }));
            }
        }
        return (actions, true);
    }

    let (Some(f), Some(shape), Some(p)) = (selected, shape, pointer) else {
        memory.tools.pointer = None;
        return (actions, false);
    };
    // A drag starts where the button went down, a few pixels before egui calls it a drag.
    let p = if response.drag_started() {
        ui.input(|i| i.pointer.press_origin()).unwrap_or(p)
    } else {
        p
    };
    let corner = corner_near(shape, &camera, rect, p, GRAB_PX);
    memory.tools.pointer = corner.map(|(v, c)| (c, Some(SnapTarget::Vertex(v))));
    if let Some((vertex, from)) = corner {
        let delete =
            response.secondary_clicked() || response.clicked() && ui.input(|i| i.modifiers.alt);
        if delete {
            actions.push(plan(Plan::DeleteVertex { feature: f, vertex }));
            return (actions, true);
        }
        if response.drag_started() {
            memory.tools.drag = Some(Drag {
                feature: f,
                vertex,
                from,
                to: from,
            });
            return (actions, true);
        }
        return (actions, response.clicked() || response.dragged());
    }
    if let Some(edge) = edge_near(shape, &camera, rect, p, GRAB_PX / 2.0) {
        if response.clicked() {
            // Onto the edge's own line (the geodesic the engine measures), so the neighbour
            // that shares it keeps its area.
            let c = camera.screen_to_lonlat(p, rect);
            let tolerance = f64::from(GRAB_PX) * degrees_per_px(&camera);
            let on_edge = planning::snap(ds, c, tolerance, |g, t| {
                g == f && t == SnapTarget::Edge(edge)
            });
            let at = on_edge.map_or(c, |s| s.at);
            actions.push(plan(Plan::InsertVertex {
                feature: f,
                edge,
                at,
            }));
            return (actions, true);
        }
        memory.tools.pointer = Some((
            camera.screen_to_lonlat(p, rect),
            Some(SnapTarget::Edge(edge)),
        ));
    }
    (actions, false)
}

/// Draws what the tools are doing: the sketch with its rubber band and, for a lot being
/// drawn, its area; the corners of the shape being reshaped; the corner being dragged with
/// its edges; where the pointer snaps.
pub fn paint(painter: &Painter, session: &Session, view: &ViewState, memory: &MapMemory) {
    let tools = &memory.tools;
    let (camera, rect) = (memory.camera, memory.view);
    let at = |c: Coord<f64>| camera.lonlat_to_screen(c, rect);
    let ink = Color32::from_rgb(20, 90, 200);
    let line = Stroke::new(2.0, ink);

    if matches!(tools.tool, Tool::Draw | Tool::Split) && !tools.sketch.is_empty() {
        let mut points: Vec<Pos2> = tools.sketch.iter().map(|&c| at(c)).collect();
        if let Some((c, _)) = tools.pointer {
            points.push(at(c));
        }
        if tools.tool == Tool::Draw && points.len() >= 3 {
            painter.add(Shape::convex_polygon(
                points.clone(),
                Color32::from_rgba_unmultiplied(20, 90, 200, 40),
                Stroke::NONE,
            ));
            painter.add(Shape::closed_line(points.clone(), line));
        } else {
            painter.add(Shape::line(points.clone(), line));
        }
        for &q in &points[..tools.sketch.len()] {
            painter.circle(q, 3.5, Color32::WHITE, Stroke::new(1.5, ink));
        }
        if tools.tool == Tool::Draw
            && let Some(label) = drawn_area(tools, view)
            && let Some(&last) = points.last()
        {
            let galley =
                painter.layout_no_wrap(label, egui::FontId::proportional(13.0), Color32::BLACK);
            let r = Rect::from_min_size(last + egui::vec2(14.0, 10.0), galley.size()).expand(4.0);
            painter.rect_filled(r, 3.0, Color32::from_rgba_unmultiplied(255, 255, 255, 230));
            painter.galley(r.min + egui::vec2(4.0, 4.0), galley, Color32::BLACK);
        }
    }

    if tools.tool == Tool::Reshape
        && let Some(s) = view.selection
        && let Ok(shape) = planning::shape_of(&session.ds, feature_of(s))
    {
        let handles: Vec<Pos2> = corners(shape)
            .map(|(_, c)| at(c))
            .filter(|q| rect.contains(*q))
            .take(MAX_HANDLES + 1)
            .collect();
        if handles.len() <= MAX_HANDLES {
            for q in handles {
                painter.rect_filled(
                    Rect::from_center_size(q, egui::vec2(7.0, 7.0)),
                    1.0,
                    Color32::WHITE,
                );
                painter.rect_stroke(
                    Rect::from_center_size(q, egui::vec2(7.0, 7.0)),
                    1.0,
                    Stroke::new(1.2, ink),
                    egui::StrokeKind::Middle,
                );
            }
        }
        if let Some(d) = tools.drag {
            // The edges that move: from the corner's neighbours in every ring that has it.
            let mut rings = Vec::new();
            let sharing = if tools.shared_corners {
                planning::features_at(&session.ds, d.from)
            } else {
                vec![d.feature]
            };
            for g in sharing {
                if let Ok(shape) = planning::shape_of(&session.ds, g) {
                    neighbours_of(shape, d.from, &mut rings);
                }
            }
            for (prev, next) in rings {
                painter.add(Shape::line(vec![at(prev), at(d.to), at(next)], line));
            }
            painter.circle(at(d.to), 5.0, ink, Stroke::new(1.5, Color32::WHITE));
        }
    }

    if let Some((c, Some(target))) = tools.pointer {
        let q = at(c);
        let snap = Color32::from_rgb(230, 120, 0);
        match target {
            SnapTarget::Vertex(_) => {
                painter.rect_stroke(
                    Rect::from_center_size(q, egui::vec2(12.0, 12.0)),
                    0.0,
                    Stroke::new(2.0, snap),
                    egui::StrokeKind::Middle,
                );
            }
            SnapTarget::Edge(_) => {
                painter.circle_stroke(q, 6.0, Stroke::new(2.0, snap));
            }
        }
    }
}

/// For each ring of `shape` with a corner at `c`: the corners before and after it.
fn neighbours_of(
    shape: &MultiPolygon<f64>,
    c: Coord<f64>,
    out: &mut Vec<(Coord<f64>, Coord<f64>)>,
) {
    for poly in &shape.0 {
        for ls in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            let pts = stored_positions(ls);
            let n = pts.len();
            for i in 0..n {
                if pts[i] == c {
                    out.push((pts[(i + n - 1) % n], pts[(i + 1) % n]));
                }
            }
        }
    }
}

/// "Area: 1.23 ha" of the lot being drawn, to the pointer.
pub fn drawn_area(tools: &Tools, view: &ViewState) -> Option<String> {
    let mut ring = tools.sketch.clone();
    if let Some((c, _)) = tools.pointer {
        ring.push(c);
    }
    if ring.len() < 3 {
        return None;
    }
    ring.push(ring[0]);
    let shape = MultiPolygon(vec![geo::Polygon::new(geo::LineString(ring), vec![])]);
    let ha = geodesic_area_m2(&shape) / M2_PER_HA;
    Some(trf(
        view.lang,
        Key::DrawnArea,
        &[("ha", &fmt_ha(ha, view.lang))],
    ))
}

/// The tool's hint, for the status line.
pub fn hint(tools: &Tools, view: &ViewState) -> &'static str {
    tr(view.lang, tools.tool.hint())
}

/// The features selected (the primary first, then those added with Shift+click).
pub fn selected(view: &ViewState) -> Vec<FeatureRef> {
    view.selection
        .into_iter()
        .chain(view.also_selected.iter().copied())
        .map(feature_of)
        .collect()
}

/// The merge the selection asks for: its lots (or zones), the primary first.
pub fn merge_plan(view: &ViewState) -> Option<Plan> {
    let features = selected(view);
    let layer = features.first()?.layer;
    Some(Plan::Merge {
        layer,
        features: features
            .iter()
            .filter(|f| f.layer == layer)
            .map(|f| f.index)
            .collect(),
    })
}

/// The deletion the selection asks for.
pub fn delete_plan(view: &ViewState) -> Option<Plan> {
    let features = selected(view);
    (!features.is_empty()).then_some(Plan::Delete { features })
}
