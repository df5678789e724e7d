//! Reference layers: the board's other maps (roads, drainage, wastewater, power, district
//! boundaries) drawn between the basemap and the zones, so that a planner sees what lies
//! around a lot. They are view state, like the basemap: never measured, never written into the
//! zone files, never part of the undo history or the recovery journal.
//!
//! - [`shapes`] — a layer's features made ready to draw once, off the window's thread
//!   (triangulated polygons, lines and points in world coordinates, and an R-tree);
//! - [`paint`] — what a frame draws of them: only what the view's box meets.
//!
//! The list is ordered as the Layers panel shows it, top first: the first layer is drawn last,
//! over the others.

pub mod paint;
pub mod shapes;

use egui::Color32;

use super::camera::Camera;
use std::path::PathBuf;
use std::sync::Arc;

pub use self::shapes::ReferenceShapes;

/// The colours layers take in turn: none a zone's fill-rate blue or a lot status's colour,
/// each readable as a thin line over the background and over imagery.
pub const PALETTE: [Color32; 8] = [
    Color32::from_rgb(0, 150, 136),
    Color32::from_rgb(197, 27, 125),
    Color32::from_rgb(140, 81, 10),
    Color32::from_rgb(27, 120, 55),
    Color32::from_rgb(118, 42, 131),
    Color32::from_rgb(70, 70, 70),
    Color32::from_rgb(190, 150, 0),
    Color32::from_rgb(231, 110, 165),
];

/// How near the pointer a point or a line is under it, pixels: a point's marker and a
/// little more, so that a thin road is easy to point at.
pub const HIT_PX: f32 = paint::POINT_RADIUS + 2.0;

/// The hover tooltip of a reference feature: its layer's file name, then its properties as
/// the file names them (the board's own attribute names: nothing to translate).
pub fn tooltip(ui: &mut egui::Ui, layer: &ReferenceLayer, feature: usize) {
    ui.strong(layer.name());
    egui::Grid::new("tooltip_reference")
        .num_columns(2)
        .show(ui, |ui| {
            for (key, value) in layer.shapes.properties(feature) {
                ui.label(key);
                ui.label(value);
                ui.end_row();
            }
        });
}

/// One reference layer.
#[derive(Clone)]
pub struct ReferenceLayer {
    /// Its identity: the panel's actions name a layer by it, not by its place, which moves.
    pub id: u64,
    /// The file it was read from.
    pub path: PathBuf,
    /// The coordinate system the user gave a file that names none (its EPSG code), so that it
    /// is read the same way next time.
    pub system: Option<u32>,
    pub color: Color32,
    pub visible: bool,
    /// 0 (hidden) to 1.
    pub opacity: f32,
    pub shapes: Arc<ReferenceShapes>,
    /// Its place in the last run's list, when it is one of those (they are read at once and
    /// come back in any order; each goes back to its place).
    rank: Option<usize>,
}

impl ReferenceLayer {
    /// The file's name, as the panel and the messages say it.
    pub fn name(&self) -> String {
        file_name(&self.path)
    }
}

/// A path's file name (the whole path when it has none).
pub fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The reference layers, top first.
#[derive(Clone, Default)]
pub struct ReferenceLayers {
    pub layers: Vec<ReferenceLayer>,
    next_id: u64,
}

impl ReferenceLayers {
    /// Adds a layer on top, in the palette's colour fewest layers have; returns its id.
    pub fn add(&mut self, path: PathBuf, system: Option<u32>, shapes: Arc<ReferenceShapes>) -> u64 {
        self.next_id += 1;
        let id = self.next_id;
        let color = self.next_color();
        self.layers.insert(
            0,
            ReferenceLayer {
                id,
                path,
                system,
                color,
                visible: true,
                opacity: 1.0,
                shapes,
                rank: None,
            },
        );
        id
    }

    /// The palette's first colour among those fewest layers have (a removed layer's colour
    /// is the next one given).
    fn next_color(&self) -> Color32 {
        let uses = |c: &Color32| self.layers.iter().filter(|l| l.color == *c).count();
        PALETTE
            .iter()
            .min_by_key(|c| uses(c))
            .copied()
            .unwrap_or(PALETTE[0])
    }

    /// Shows layer `id` as the last run did: visible or not, at its opacity, in its colour
    /// (when given), and at its place among the other layers of that run (those added since
    /// stay where they are).
    pub fn restore(
        &mut self,
        id: u64,
        rank: usize,
        (visible, opacity, color): (bool, f32, Option<Color32>),
    ) {
        let Some(mut layer) = self.remove(id) else {
            return;
        };
        layer.rank = Some(rank);
        layer.visible = visible;
        layer.opacity = opacity.clamp(0.0, 1.0);
        if let Some(c) = color {
            layer.color = c;
        }
        let at = self
            .layers
            .iter()
            .position(|l| l.rank.is_some_and(|r| r > rank))
            .unwrap_or(self.layers.len());
        self.layers.insert(at, layer);
    }

    pub fn get(&self, id: u64) -> Option<&ReferenceLayer> {
        self.layers.iter().find(|l| l.id == id)
    }

    pub fn get_mut(&mut self, id: u64) -> Option<&mut ReferenceLayer> {
        self.layers.iter_mut().find(|l| l.id == id)
    }

    /// Removes a layer; returns it.
    pub fn remove(&mut self, id: u64) -> Option<ReferenceLayer> {
        let k = self.layers.iter().position(|l| l.id == id)?;
        Some(self.layers.remove(k))
    }

    /// Moves a layer one place up (drawn over the one above it) or down; nothing at either
    /// end.
    pub fn shift(&mut self, id: u64, up: bool) {
        let Some(k) = self.layers.iter().position(|l| l.id == id) else {
            return;
        };
        let other = if up { k.checked_sub(1) } else { Some(k + 1) };
        if let Some(j) = other.filter(|j| *j < self.layers.len()) {
            self.layers.swap(k, j);
        }
    }

    /// The feature under the screen point `p` on the top-most shown layer that has one:
    /// (the layer's id, the feature's number).
    pub fn hit(&self, camera: &Camera, view: egui::Rect, p: egui::Pos2) -> Option<(u64, usize)> {
        self.layers
            .iter()
            .filter(|l| l.visible && l.opacity > 0.0)
            .find_map(|l| l.shapes.hit(camera, view, p, HIT_PX).map(|f| (l.id, f)))
    }

    pub fn is_empty(&self) -> bool {
        self.layers.is_empty()
    }

    pub fn len(&self) -> usize {
        self.layers.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_are_added_on_top_in_distinct_colours_and_move_and_go() {
        let mut l = ReferenceLayers::default();
        let shapes = Arc::new(ReferenceShapes::default());
        let a = l.add("a.geojson".into(), None, shapes.clone());
        let b = l.add("b.geojson".into(), None, shapes.clone());
        let c = l.add("c.geojson".into(), None, shapes.clone());
        let ids = |l: &ReferenceLayers| l.layers.iter().map(|x| x.id).collect::<Vec<_>>();
        assert_eq!(ids(&l), [c, b, a]);
        let colors: std::collections::HashSet<_> = l.layers.iter().map(|x| x.color).collect();
        assert_eq!(colors.len(), 3);
        l.shift(a, true);
        assert_eq!(ids(&l), [c, a, b]);
        l.shift(c, true);
        l.shift(b, false);
        assert_eq!(ids(&l), [c, a, b]);
        let gone = l.remove(a).expect("there");
        assert_eq!(ids(&l), [c, b]);
        // Its colour is free again, and the next layer takes it.
        let d = l.add("d.geojson".into(), None, shapes);
        assert_eq!(l.get(d).map(|x| x.color), Some(gone.color));
        assert!(l.remove(a).is_none());
    }

    #[test]
    fn the_last_runs_layers_go_back_to_their_places_whatever_order_they_come_in() {
        let mut l = ReferenceLayers::default();
        let shapes = Arc::new(ReferenceShapes::default());
        let names = |l: &ReferenceLayers| {
            l.layers
                .iter()
                .map(|x| x.path.display().to_string())
                .collect::<Vec<_>>()
        };
        for (name, rank) in [("c", 2), ("a", 0), ("b", 1)] {
            let id = l.add(name.into(), None, shapes.clone());
            let color = (rank == 2).then_some(PALETTE[7]);
            l.restore(id, rank, (rank != 1, 0.5, color));
        }
        assert_eq!(names(&l), ["a", "b", "c"]);
        assert!(!l.layers[1].visible && l.layers[0].visible);
        assert_eq!(l.layers[2].opacity, 0.5);
        assert_eq!(l.layers[2].color, PALETTE[7]);
    }
}
