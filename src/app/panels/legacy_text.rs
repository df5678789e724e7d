//! The notice above the map when property values look like legacy Vietnamese text (typed in
//! TCVN3 or VNI fonts and read as Latin-1: `C«ng ty`, `Coâng ty`): how many, a preview of each
//! value and its Unicode, and one button that converts them all as one undoable edit (the file
//! is then unsaved). The engine decides what is legacy text ([`crate::engine::legacy_text`]).

use egui::{Color32, RichText, ScrollArea, Ui};
use serde_json::Value;

use crate::app::action::{Action, EditAction, ViewAction};
use crate::app::session::Session;
use crate::app::session::edit::{Change, Edit};
use crate::app::view::{Selection, ViewState};
use crate::engine::legacy_text::{self, TextFix};
use crate::engine::model::LayerKind;
use crate::i18n::{Key, tr, trf};

/// The notice's state: the values found, for which data, and whether it was dismissed.
#[derive(Default)]
pub struct LegacyText {
    /// The (generation, data generation) the list was made for.
    scanned: Option<(u64, u64)>,
    /// The values that look like legacy text, by layer.
    pub fixes: Vec<(LayerKind, TextFix)>,
    /// The data generation the notice was dismissed for.
    dismissed: Option<u64>,
    /// The data generation in which legacy text was found.
    found_for: Option<u64>,
    /// Whether the preview list is open.
    pub show_list: bool,
}

impl LegacyText {
    /// Looks for legacy text after a load; after an edit only when some was found in this data
    /// (so the list follows Convert and Undo) and the data is not very large (there the list
    /// made on loading stands until the next load).
    fn refresh(&mut self, session: &Session, view: &ViewState) {
        let stamp = (session.generation, session.data_generation);
        let large = session.ds.parcels.as_ref().map_or(0, |p| p.len()) > view.large_parcels;
        match self.scanned {
            Some(s) if s == stamp => return,
            Some((_, data))
                if data == session.data_generation && (large || self.found_for != Some(data)) =>
            {
                self.scanned = Some(stamp);
                return;
            }
            _ => {}
        }
        self.scanned = Some(stamp);
        let mut fixes: Vec<(LayerKind, TextFix)> = legacy_text::scan(&session.ds.zones.doc, false)
            .into_iter()
            .map(|f| (LayerKind::Zones, f))
            .collect();
        if let Some(p) = &session.ds.parcels {
            fixes.extend(
                legacy_text::scan(&p.doc, false)
                    .into_iter()
                    .map(|f| (LayerKind::Parcels, f)),
            );
        }
        if !fixes.is_empty() {
            self.found_for = Some(session.data_generation);
        }
        self.fixes = fixes;
    }

    /// Whether the notice shows.
    pub fn visible(&self, session: &Session) -> bool {
        !self.fixes.is_empty() && self.dismissed != Some(session.data_generation)
    }

    /// The strip above the map (nothing when there is no legacy text or it was dismissed).
    pub fn show(&mut self, ui: &mut Ui, session: &Session, view: &ViewState) -> Vec<Action> {
        self.refresh(session, view);
        let mut actions = Vec::new();
        if !self.visible(session) {
            return actions;
        }
        egui::Panel::top("legacy_text").show(ui, |ui| {
            egui::Frame::new()
                .fill(Color32::from_rgba_unmultiplied(210, 160, 40, 48))
                .inner_margin(4.0)
                .corner_radius(3.0)
                .show(ui, |ui| self.strip(ui, session, view, &mut actions));
            if self.show_list {
                actions.extend(self.preview(ui, session, view));
            }
        });
        actions
    }

    /// The line of the notice: what was found and the three buttons.
    fn strip(
        &mut self,
        ui: &mut Ui,
        session: &Session,
        view: &ViewState,
        actions: &mut Vec<Action>,
    ) {
        let lang = view.lang;
        let count = self.fixes.len().to_string();
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("⚠").color(Color32::from_rgb(210, 160, 40)));
            ui.label(trf(lang, Key::LegacyTextNotice, &[("count", &count)]));
            if ui.button(tr(lang, Key::LegacyTextConvert)).clicked() {
                let changes = self.fixes.iter().map(|(layer, f)| Change {
                    layer: *layer,
                    feature: f.feature,
                    key: f.key.clone(),
                    value: Some(Value::from(f.after.clone())),
                });
                actions.push(Action::Edit(EditAction::Apply(Edit {
                    changes: changes.collect(),
                    what: trf(lang, Key::LegacyTextWhat, &[("count", &count)]),
                })));
                // Converted: the list is done with (looked for again after the edit, on data
                // that is not very large).
                self.fixes.clear();
            }
            let toggle = if self.show_list {
                Key::LegacyTextHidePreview
            } else {
                Key::LegacyTextPreview
            };
            if ui.button(tr(lang, toggle)).clicked() {
                self.show_list = !self.show_list;
            }
            if ui.button(tr(lang, Key::LegacyTextDismiss)).clicked() {
                self.dismissed = Some(session.data_generation);
            }
        });
    }

    /// One line per value: where it is, what it says now and in Unicode. A click selects the
    /// feature.
    fn preview(&self, ui: &mut Ui, session: &Session, view: &ViewState) -> Vec<Action> {
        let lang = view.lang;
        let mut actions = Vec::new();
        let row_height = ui.spacing().interact_size.y;
        ScrollArea::vertical()
            .max_height(row_height * 8.0)
            .auto_shrink([false, true])
            .show_rows(ui, row_height, self.fixes.len(), |ui, range| {
                // One line a value (the rows are of one height); the whole on hover.
                ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
                for (layer, f) in &self.fixes[range] {
                    let doc = match layer {
                        LayerKind::Zones => Some(&session.ds.zones.doc),
                        LayerKind::Parcels => session.ds.parcels.as_ref().map(|p| &p.doc),
                    };
                    let Some(doc) = doc.filter(|d| f.feature < d.len()) else {
                        continue;
                    };
                    let layer_name = tr(
                        lang,
                        match layer {
                            LayerKind::Zones => Key::LayerZones,
                            LayerKind::Parcels => Key::LayerParcels,
                        },
                    );
                    let text = format!(
                        "{layer_name} #{} ({}) {} [{}]: {} → {}",
                        f.feature + 1,
                        legacy_text::feature_label(doc, f.feature),
                        f.key,
                        f.kind.label(),
                        f.before,
                        f.after
                    );
                    let target = Selection::of(*layer, f.feature);
                    if ui
                        .selectable_label(view.selection == Some(target), &text)
                        .on_hover_text(&text)
                        .clicked()
                    {
                        actions.push(Action::View(ViewAction::Select {
                            selection: Some(target),
                            fly: true,
                        }));
                    }
                }
            });
        actions
    }
}
