//! The Layers panel (View › Layers): what the map draws, top first as it is drawn — the lots,
//! the zones, the reference layers and the basemap — each with its visibility and opacity;
//! reference layers also move up and down, fly the map to themselves, and go. It edits the
//! map's own state (the same switches as the View menu's, the basemap's the same as View ›
//! Basemap's), at once; adding, moving and removing layers are returned as actions.

use egui::{Color32, CornerRadius, RichText, Role, Sense, Ui, WidgetInfo};

use crate::app::action::{Action, FileAction, ViewAction};
use crate::app::map::MapMemory;
use crate::app::map::basemap::Source;
use crate::app::map::basemap::source;
use crate::app::view::ViewState;
use crate::i18n::{Key, Lang, tr, trf};

/// The panel's own memory: whether it is open.
#[derive(Default)]
pub struct LayersPanel {
    pub open: bool,
}

impl LayersPanel {
    /// Shows the panel, when open, as a window over the map.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        view: &ViewState,
        map: &mut MapMemory,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        if !self.open {
            return actions;
        }
        let lang = view.lang;
        let mut open = self.open;
        // Over the inspector, at the map's top: the map stays in view while layers change.
        let at = egui::pos2(ctx.content_rect().right() - 345.0, map.view.top() + 10.0);
        egui::Window::new(tr(lang, Key::Layers))
            .id(egui::Id::unique("layers_panel"))
            .open(&mut open)
            .default_pos(at)
            .default_width(330.0)
            .resizable(false)
            .collapsible(false)
            .show(ctx, |ui| contents(ui, lang, map, &mut actions));
        self.open = open;
        actions
    }
}

fn contents(ui: &mut Ui, lang: Lang, map: &mut MapMemory, actions: &mut Vec<Action>) {
    let t = |k| tr(lang, k);
    if ui.button(t(Key::AddReference)).clicked() {
        actions.push(Action::File(FileAction::AddReference));
    }
    ui.label(RichText::new(t(Key::LayersOrder)).weak().small());
    ui.separator();
    entry(
        ui,
        lang,
        Swatch::Fixed(crate::app::map::style::parcel_color(
            crate::engine::properties::ParcelStatus::Leased,
        )),
        t(Key::PanelParcels),
        &mut map.show_parcels,
        &mut map.parcel_opacity,
    );
    entry(
        ui,
        lang,
        Swatch::Fixed(crate::app::map::style::FILL_CLASSES[3].color),
        t(Key::PanelZones),
        &mut map.show_zones,
        &mut map.zone_opacity,
    );
    ui.separator();
    ui.strong(t(Key::ReferenceLayers));
    let layers = &mut map.reference.layers;
    if layers.is_empty() {
        ui.label(RichText::new(t(Key::NoReferenceLayers)).weak());
    }
    let n = layers.len();
    for (k, layer) in layers.iter_mut().enumerate() {
        let name = layer.name();
        let checkbox = entry(
            ui,
            lang,
            Swatch::Fixed(layer.color),
            &name,
            &mut layer.visible,
            &mut layer.opacity,
        );
        let s = &layer.shapes;
        let mut about = format!(
            "{}\n{}",
            layer.path.display(),
            trf(
                lang,
                Key::ReferenceFeatures,
                &[("n", &s.features.to_string())]
            )
        );
        if let Some(epsg) = layer.system {
            about.push_str(&format!("\nEPSG:{epsg}"));
        }
        checkbox.on_hover_text(about);
        ui.horizontal(|ui| {
            ui.add_space(24.0);
            let id = layer.id;
            // Symbols the app's font has (▲ ▼ ×), each with its words for the pointer and
            // for screen readers.
            let mut button =
                |ui: &mut Ui, symbol: &str, key: Key, enabled: bool, action: ViewAction| {
                    let words = trf(lang, key, &[("file", &name)]);
                    let r = ui
                        .add_enabled(enabled, egui::Button::new(symbol).small())
                        .on_hover_text(&words);
                    r.widget_info(|| WidgetInfo::labeled(Role::Button, enabled, &words));
                    if r.clicked() {
                        actions.push(Action::View(action));
                    }
                };
            button(
                ui,
                "▲",
                Key::LayerUp,
                k > 0,
                ViewAction::MoveReference { id, up: true },
            );
            button(
                ui,
                "▼",
                Key::LayerDown,
                k + 1 < n,
                ViewAction::MoveReference { id, up: false },
            );
            let zoom = tr(lang, Key::LayerZoomShort);
            button(
                ui,
                zoom,
                Key::LayerZoomTo,
                s.bounds.is_some(),
                ViewAction::FitReference(id),
            );
            button(
                ui,
                "×",
                Key::LayerRemove,
                true,
                ViewAction::RemoveReference(id),
            );
        });
    }
    ui.separator();
    let basemap = match map.basemap.source() {
        Source::None => tr(lang, Key::BasemapNone).to_string(),
        Source::Osm => tr(lang, Key::BasemapOsm).to_string(),
        Source::Xyz(url) => source::host_of(url).to_string(),
        Source::MbTiles(p) => crate::app::map::reference::file_name(p),
    };
    let label = format!("{}: {basemap}", t(Key::Basemap));
    let layer = &mut map.basemap;
    entry(
        ui,
        lang,
        Swatch::Basemap,
        &label,
        &mut layer.shown,
        &mut layer.opacity,
    );
}

/// What stands before a layer's name: its colour, or the basemap's mark.
enum Swatch {
    Fixed(Color32),
    Basemap,
}

/// A layer's line: its colour, its visibility (labelled with its name) and its opacity.
/// Returns the checkbox's response.
fn entry(
    ui: &mut Ui,
    lang: Lang,
    swatch: Swatch,
    name: &str,
    visible: &mut bool,
    opacity: &mut f32,
) -> egui::Response {
    let checkbox = ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(egui::vec2(14.0, 14.0), Sense::hover());
        match swatch {
            Swatch::Fixed(c) => {
                ui.painter().rect_filled(rect, CornerRadius::same(2), c);
            }
            Swatch::Basemap => {
                let half = egui::vec2(rect.width() / 2.0, rect.height() / 2.0);
                for (k, c) in [
                    Color32::from_rgb(200, 220, 190),
                    Color32::from_rgb(230, 230, 220),
                    Color32::from_rgb(230, 230, 220),
                    Color32::from_rgb(200, 220, 190),
                ]
                .into_iter()
                .enumerate()
                {
                    let min =
                        rect.min + egui::vec2(half.x * (k % 2) as f32, half.y * (k / 2) as f32);
                    ui.painter()
                        .rect_filled(egui::Rect::from_min_size(min, half), 0.0, c);
                }
            }
        }
        ui.painter().rect_stroke(
            rect,
            CornerRadius::same(2),
            egui::Stroke::new(0.8, Color32::from_gray(110)),
            egui::StrokeKind::Inside,
        );
        ui.checkbox(visible, name)
    });
    ui.horizontal(|ui| {
        ui.add_space(24.0);
        ui.spacing_mut().slider_width = 160.0;
        let slider = egui::Slider::new(opacity, 0.0..=1.0)
            .custom_formatter(|v, _| format!("{:.0} %", v * 100.0))
            .custom_parser(|s| {
                s.trim()
                    .trim_end_matches('%')
                    .trim()
                    .replace(',', ".")
                    .parse::<f64>()
                    .ok()
                    .map(|v| v / 100.0)
            })
            .text(tr(lang, Key::BasemapOpacity));
        let r = ui.add_enabled(*visible, slider);
        let words = trf(lang, Key::LayerOpacityOf, &[("file", name)]);
        let value = f64::from(*opacity);
        r.widget_info(|| WidgetInfo::slider(*visible, value, &words));
    });
    checkbox.inner
}
