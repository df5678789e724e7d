//! Presentation mode: a title, the map with its legend and the key figures (and, on screen,
//! how to leave). Also what a slide exported as PNG shows.

use egui::{Align, Layout, RichText, Ui};

use crate::app::map::{MapMemory, MapResponse, MapView};
use crate::app::session::Session;
use crate::app::view::ViewState;
use crate::i18n::{Key, tr};

use super::dashboard;

/// The presentation layout: a title, the map with its legend and the key figures (and, on
/// screen, how to leave). Also what a slide exported as PNG shows.
pub fn presentation(
    ui: &mut Ui,
    session: &Session,
    view: &ViewState,
    map: &mut MapMemory,
    on_screen: bool,
) -> MapResponse {
    let lang = view.lang;
    egui::Panel::top("presentation_title").show(ui, |ui| {
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(dashboard::title(session, view))
                    .size(34.0)
                    .strong(),
            );
            if on_screen {
                ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                    ui.label(
                        RichText::new(tr(lang, Key::PresentationLeave))
                            .size(15.0)
                            .weak(),
                    );
                });
            }
        });
        ui.add_space(8.0);
    });
    egui::Panel::right("presentation_figures")
        .exact_size(430.0)
        .resizable(false)
        .show(ui, |ui| {
            ui.add_space(16.0);
            egui::ScrollArea::vertical().show(ui, |ui| {
                dashboard::key_figures(ui, session, view, 34.0);
            });
        });
    egui::CentralPanel::no_frame()
        .show(ui, |ui| MapView::new(session, view, map).show(ui))
        .inner
}
