//! View actions: what is selected, where the map looks, the language, the date the figures
//! are shown as of, presentation mode, the basemap and the reference layers' order.

use egui::ViewportCommand;

use super::ZoneAtlasApp;
use super::action::ViewAction;
use super::dialogs::FileKind;
use super::map::MapMemory;
use super::map::basemap::Source;
use crate::i18n::{Key, trf};

impl ZoneAtlasApp {
    pub(super) fn apply_view(&mut self, ctx: &egui::Context, action: ViewAction) {
        let ds = &self.session.ds;
        match action {
            ViewAction::Select { selection, fly } => {
                self.view.selection = selection.filter(|s| s.is_in(ds));
                self.view.also_selected.clear();
                if fly && let Some(b) = selection.and_then(|s| MapMemory::bounds_of(ds, s)) {
                    self.map.fly_to(b);
                }
            }
            ViewAction::SelectAlso(s) => {
                let view = &mut self.view;
                if !s.is_in(ds) {
                } else if view.selection.is_none() {
                    view.selection = Some(s);
                } else if view.selection == Some(s) {
                    // Shift+click on the primary: the next one takes its place.
                    view.selection =
                        (!view.also_selected.is_empty()).then(|| view.also_selected.remove(0));
                } else if let Some(k) = view.also_selected.iter().position(|&o| o == s) {
                    view.also_selected.remove(k);
                } else {
                    view.also_selected.push(s);
                }
            }
            ViewAction::Tell { key, error } => {
                let text = crate::i18n::tr(self.view.lang, key).to_string();
                if error {
                    self.view.error(text);
                } else {
                    self.view.info(text);
                }
            }
            ViewAction::FitAll => self.map.fit_all(ds),
            ViewAction::FitSelection => {
                if let Some(b) = self
                    .view
                    .selection
                    .and_then(|s| MapMemory::bounds_of(ds, s))
                {
                    self.map.fly_to(b);
                }
            }
            ViewAction::SetLang(l) => self.view.lang = l,
            ViewAction::SetAsOf(d) => self.view.as_of = d,
            ViewAction::SetBasemap(source) => self.set_basemap(source),
            ViewAction::PickMbTiles => {
                let lang = self.view.lang;
                let title = crate::i18n::tr(lang, Key::BasemapMbTiles);
                let filter = crate::i18n::tr(lang, Key::FilterMbTiles);
                if let Some(p) = self.dialogs.pick_file(title, FileKind::MbTiles, filter) {
                    self.set_basemap(Source::MbTiles(p));
                }
            }
            ViewAction::MoveReference { id, up } => self.map.reference.shift(id, up),
            ViewAction::FitReference(id) => {
                if let Some(b) = self.map.reference.get(id).and_then(|l| l.shapes.bounds) {
                    self.map.fly_to(b);
                }
            }
            ViewAction::RemoveReference(id) => {
                self.map.reference.remove(id);
            }
            ViewAction::Present(on) => {
                if on != self.view.presenting {
                    self.view.presenting = on;
                    self.map.text_scale = if on { 1.6 } else { 1.0 };
                    self.map.needs_fit = true;
                    ctx.send_viewport_cmd(ViewportCommand::Fullscreen(on));
                    self.fullscreen_sent = Some(on);
                }
            }
        }
    }

    /// Shows another basemap under the zones; one that cannot be opened is said so in the
    /// status bar, and none is shown.
    pub fn set_basemap(&mut self, source: Source) {
        self.map.basemap.set_source(source.clone());
        if let Some(error) = self.map.basemap.basemap().error() {
            let text = trf(
                self.view.lang,
                Key::BasemapCannotOpen,
                &[("file", &source.spec()), ("error", error)],
            );
            self.view.error(text);
            self.map.basemap.set_source(Source::None);
        }
    }
}
