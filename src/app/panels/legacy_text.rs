//! The notice above the map when property values look like legacy Vietnamese text (typed in
//! TCVN3 or VNI fonts and read as Latin-1: `C«ng ty`, `Coâng ty`): how many, a preview of each
//! value and its Unicode, and one button that converts them all as one undoable edit (the file
//! is then unsaved). The engine decides what is legacy text ([`crate::engine::legacy_text`]).

use egui::{Color32, RichText, ScrollArea, Ui};
use serde_json::Value;
use std::sync::Arc;

use crate::app::action::{Action, EditAction, ViewAction};
use crate::app::background::Job;
use crate::app::session::Session;
use crate::app::session::edit::Edit;
use crate::app::view::{Selection, ViewState};
use crate::engine::dataset::Dataset;
use crate::engine::edit::Op;
use crate::engine::legacy_text::{self, TextFix};
use crate::engine::model::LayerKind;
use crate::i18n::{Key, tr, trf};

/// What a list of values was made for: the data generation and the session generation.
type ScanKey = (u64, u64);

/// The notice's state: the values found, for which data, and whether it was dismissed.
#[derive(Default)]
pub struct LegacyText {
    /// The values that look like legacy text, by layer. Looked for on another thread (every
    /// property value of every feature is read): after a load, and after every change when
    /// some were found in this data (so that the list follows Convert and Undo).
    scan: Job<ScanKey, Vec<(LayerKind, TextFix)>>,
    /// The data generation the notice was dismissed for.
    dismissed: Option<u64>,
    /// The data generation in which legacy text was found.
    found_in: Option<u64>,
    /// Whether the preview list is open.
    pub show_list: bool,
}

impl LegacyText {
    /// Asks for the list of the data as it is now (see [`LegacyText::scan`]).
    fn refresh(&mut self, session: &Session, ctx: &egui::Context) {
        let data = session.data_generation;
        if let Some(((d, _), fixes)) = self.scan.latest()
            && *d == data
            && !fixes.is_empty()
        {
            self.found_in = Some(data);
        }
        let key = match self.scan.latest() {
            // None ever found in this data: an edit does not add any (a value typed in the
            // inspector is Unicode), so it is not looked through again. Once some were found,
            // Convert, Undo and Redo change them: looked through after every change.
            Some((k, _)) if k.0 == data && self.found_in != Some(data) => *k,
            _ => (data, session.generation),
        };
        self.scan.want(key, ctx, || {
            let ds = session.ds.clone();
            move || scan(&ds)
        });
    }

    /// The values found in the data open now (the last list made for it), and whether the
    /// list is for the data as it is now.
    pub fn fixes(&self, session: &Session) -> (Arc<Vec<(LayerKind, TextFix)>>, bool) {
        match self.scan.latest() {
            Some((k, fixes)) if k.0 == session.data_generation => (
                fixes.clone(),
                *k == (session.data_generation, session.generation),
            ),
            _ => (Arc::default(), false),
        }
    }

    /// Whether the notice shows.
    pub fn visible(&self, session: &Session) -> bool {
        !self.fixes(session).0.is_empty() && self.dismissed != Some(session.data_generation)
    }

    /// Whether a list is being made.
    pub fn is_busy(&self) -> bool {
        self.scan.is_running()
    }

    /// Waits for the list being made (tests).
    pub fn wait(&mut self) {
        self.scan.wait();
    }

    /// The strip above the map (nothing when there is no legacy text or it was dismissed).
    pub fn show(&mut self, ui: &mut Ui, session: &Session, view: &ViewState) -> Vec<Action> {
        self.refresh(session, ui.ctx());
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
        let (fixes, current) = self.fixes(session);
        let count = fixes.len().to_string();
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("⚠").color(Color32::from_rgb(210, 160, 40)));
            ui.label(trf(lang, Key::LegacyTextNotice, &[("count", &count)]));
            // A list made before the last change could undo it: converting waits for the new.
            let convert =
                ui.add_enabled(current, egui::Button::new(tr(lang, Key::LegacyTextConvert)));
            if !current {
                ui.label(RichText::new(tr(lang, Key::Updating)).weak());
            }
            if convert.clicked() {
                let ops = fixes.iter().map(|(layer, f)| Op::Set {
                    layer: *layer,
                    feature: f.feature,
                    key: f.key.clone(),
                    value: Some(Value::from(f.after.clone())),
                });
                // Looked for again after the edit: the notice goes once none are left.
                actions.push(Action::Edit(EditAction::Apply(Edit {
                    ops: ops.collect(),
                    what: trf(lang, Key::LegacyTextWhat, &[("count", &count)]),
                })));
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
        let fixes = self.fixes(session).0;
        let row_height = ui.spacing().interact_size.y;
        ScrollArea::vertical()
            .max_height(row_height * 8.0)
            .auto_shrink([false, true])
            .show_rows(ui, row_height, fixes.len(), |ui, range| {
                // One line a value (the rows are of one height); the whole on hover.
                ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
                for (layer, f) in &fixes[range] {
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

/// The values of both files that look like legacy text.
fn scan(ds: &Dataset) -> Vec<(LayerKind, TextFix)> {
    let mut fixes: Vec<(LayerKind, TextFix)> = legacy_text::scan(&ds.zones.doc, false)
        .into_iter()
        .map(|f| (LayerKind::Zones, f))
        .collect();
    if let Some(p) = &ds.parcels {
        fixes.extend(
            legacy_text::scan(&p.doc, false)
                .into_iter()
                .map(|f| (LayerKind::Parcels, f)),
        );
    }
    fixes
}
