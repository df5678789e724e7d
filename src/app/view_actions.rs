//! View actions: what is selected, where the map looks, the language, the date the figures
//! are shown as of, and presentation mode.

use egui::ViewportCommand;

use super::ZoneAtlasApp;
use super::action::ViewAction;
use super::map::MapMemory;

impl ZoneAtlasApp {
    pub(super) fn apply_view(&mut self, ctx: &egui::Context, action: ViewAction) {
        let ds = &self.session.ds;
        match action {
            ViewAction::Select { selection, fly } => {
                self.view.selection = selection.filter(|s| s.is_in(ds));
                if fly && let Some(b) = selection.and_then(|s| MapMemory::bounds_of(ds, s)) {
                    self.map.fly_to(b);
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
}
