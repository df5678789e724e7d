//! The working window: menus, zone table, inspector, findings and status bar around the map,
//! drawn into a `&mut Ui`, returning what the user asked for. (Presentation mode is
//! [`panels::presentation`].)

use egui::Ui;

use super::ZoneAtlasApp;
use super::action::Action;
use super::files::loading::{LoadJob, Stage};
use super::map::{MapMemory, MapView};
use super::panels::{self, menu_bar, status_bar};
use super::view::ViewState;
use crate::i18n::{Key, tr, trf};

impl ZoneAtlasApp {
    /// The working window: menus, zone table, inspector, findings, status bar and the map.
    pub(super) fn working_window(&mut self, ui: &mut Ui) -> Vec<Action> {
        let ZoneAtlasApp {
            session,
            view,
            map,
            table,
            inspector,
            dashboard,
            legacy_text,
            layers_panel,
            recent,
            show_findings,
            load,
            ..
        } = self;
        let mut actions = Vec::new();
        egui::Panel::top("menu").show(ui, |ui| {
            let panels = menu_bar::Panels {
                findings: show_findings,
                dashboard: &mut dashboard.open,
                layers: &mut layers_panel.open,
            };
            actions.extend(menu_bar::show(ui, session, view, recent, map, panels));
        });
        // The planning toolbar across the window, under the menus.
        egui::Panel::top("tools").show(ui, |ui| {
            actions.extend(panels::toolbar::show(ui, view, map));
        });
        egui::Panel::bottom("status").show(ui, |ui| status_bar::show(ui, session, view, map));
        if *show_findings {
            let (findings, current) = view.findings_for_panel(session, ui.ctx());
            egui::Panel::bottom("findings")
                .default_size(140.0)
                .resizable(true)
                .show(ui, |ui| {
                    actions.extend(panels::findings::show(ui, view, &findings, current));
                });
        }
        egui::Panel::left("zones")
            .default_size(770.0)
            .size_range(320.0..=900.0)
            .resizable(true)
            .show(ui, |ui| actions.extend(table.show(ui, session, view)));
        egui::Panel::right("inspector")
            .default_size(360.0)
            .size_range(300.0..=520.0)
            .resizable(true)
            .show(ui, |ui| actions.extend(inspector.show(ui, session, view)));
        actions.extend(legacy_text.show(ui, session, view));
        egui::CentralPanel::no_frame().show(ui, |ui| {
            let map_response = MapView::new(session, view, map).show(ui);
            view.hover = map_response.hover;
            actions.extend(map_response.actions);
            if let Some(job) = load {
                loading_notice(ui, view, map, job);
            }
        });
        dashboard.show(ui.ctx(), session, view);
        actions.extend(layers_panel.show(ui.ctx(), view, map));
        actions
    }
}

/// "Loading zones.geojson… (reading, 3 s)" over the map. (No spinner: it repaints the window
/// all the while, which on a machine without a graphics card takes a core from the loading.)
fn loading_notice(ui: &Ui, view: &ViewState, map: &MapMemory, job: &LoadJob) {
    let lang = view.lang;
    let stage = tr(
        lang,
        match job.stage {
            Stage::Reading => Key::StageReading,
            Stage::Measuring => Key::StageMeasuring,
        },
    );
    let loading = trf(lang, Key::Loading, &[("what", &job.what)]);
    let seconds = job.started.elapsed().as_secs();
    let text = format!("{loading} ({stage}, {seconds} s)");
    egui::Area::new(egui::Id::unique("loading"))
        .fixed_pos(map.view.center() - egui::vec2(160.0, 20.0))
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.label(text);
            });
        });
}
