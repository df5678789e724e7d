//! The menu bar: File (open, recent files, save, exports, quit), Edit (undo and redo, named),
//! View (fitting, layers, the Layers panel, the basemap, panels, presentation, language), and the
//! "as of a date" control
//! after the menus.

use egui::{Key as K, Modifiers, RichText, Ui};
use std::path::PathBuf;

use crate::app::action::{Action, EditAction, Export, FileAction, ViewAction};
use crate::app::files::Recent;
use crate::app::map::MapMemory;
use crate::app::map::basemap::{Source, source};
use crate::app::session::Session;
use crate::app::view::{Selection, ViewState};
use crate::engine::properties::Date;
use crate::i18n::{Key, tr, trf};
use crate::i18n::{Lang, fmt_date};

/// The sizes slides are exported at, pixels.
pub const SLIDE_SIZES: [[u32; 2]; 3] = [[1280, 720], [1920, 1080], [3840, 2160]];

/// Recently opened files, newest first: zones, and parcels if any.
pub type RecentFiles = [(PathBuf, Option<PathBuf>)];

/// What the View menu opens and closes around the map.
pub struct Panels<'a> {
    pub findings: &'a mut bool,
    pub dashboard: &'a mut bool,
    pub layers: &'a mut bool,
}
/// Recently opened shared boards, newest first: the database URL and the board.
pub type RecentBoards = [(String, Option<String>)];

/// The menus. The View menu's switches (lots and labels on the map, the findings panel, the
/// dashboard) change at once; everything else is returned as an action.
pub fn show(
    ui: &mut Ui,
    session: &Session,
    view: &ViewState,
    recent: &Recent,
    map: &mut MapMemory,
    panels: Panels<'_>,
) -> Vec<Action> {
    let lang = view.lang;
    let t = |k| tr(lang, k);
    let mut actions = Vec::new();
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button(t(Key::MenuFile), |ui| {
            let (files, boards) = (&recent.entries, &recent.boards);
            file_menu(ui, view, files, boards, session.is_shared(), &mut actions)
        });
        ui.menu_button(t(Key::MenuEdit), |ui| {
            edit_menu(ui, session, lang, &mut actions)
        });
        ui.menu_button(t(Key::MenuView), |ui| {
            if ui
                .add(egui::Button::new(t(Key::FitAll)).shortcut_text("Home"))
                .clicked()
            {
                actions.push(Action::View(ViewAction::FitAll));
            }
            if ui
                .add_enabled(
                    view.selection.is_some(),
                    egui::Button::new(t(Key::FitSelection)).shortcut_text("F"),
                )
                .clicked()
            {
                actions.push(Action::View(ViewAction::FitSelection));
            }
            ui.separator();
            ui.checkbox(&mut map.show_parcels, t(Key::ShowParcels));
            ui.checkbox(&mut map.show_labels, t(Key::ShowLabels));
            ui.checkbox(panels.findings, t(Key::ShowFindings));
            ui.checkbox(panels.dashboard, t(Key::Dashboard));
            ui.checkbox(panels.layers, t(Key::Layers));
            ui.menu_button(t(Key::Basemap), |ui| {
                basemap_menu(ui, lang, map, &mut actions)
            });
            ui.separator();
            if ui
                .add(egui::Button::new(t(Key::PresentationMode)).shortcut_text("F11"))
                .clicked()
            {
                actions.push(Action::View(ViewAction::Present(true)));
            }
            ui.separator();
            ui.label(RichText::new(t(Key::Language)).weak());
            for (l, k) in [
                (Lang::Vi, Key::LangVietnamese),
                (Lang::En, Key::LangEnglish),
            ] {
                if ui.radio(lang == l, t(k)).clicked() {
                    actions.push(Action::View(ViewAction::SetLang(l)));
                }
            }
        });
        as_of_control(ui, session, view, &mut actions);
    });
    actions
}

/// View › Basemap: OpenStreetMap, none, an XYZ URL, an MBTiles file; the opacity.
fn basemap_menu(ui: &mut Ui, lang: Lang, map: &mut MapMemory, actions: &mut Vec<Action>) {
    let t = |k| tr(lang, k);
    let current = map.basemap.source().clone();
    for (source, key) in [
        (Source::Osm, Key::BasemapOsm),
        (Source::None, Key::BasemapNone),
    ] {
        if ui.radio(current == source, t(key)).clicked() {
            actions.push(Action::View(ViewAction::SetBasemap(source)));
        }
    }
    match &current {
        Source::Xyz(url) => {
            let _ = ui.radio(true, source::host_of(url));
        }
        Source::MbTiles(p) => {
            let name = p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            let _ = ui.radio(true, name);
        }
        Source::Osm | Source::None => {}
    }
    ui.separator();
    ui.label(t(Key::BasemapCustomUrl));
    ui.horizontal(|ui| {
        let field = egui::TextEdit::singleline(&mut map.basemap.url_draft)
            .hint_text(t(Key::BasemapUrlHint))
            .desired_width(320.0);
        let edit = ui.add(field);
        let entered = edit.lost_focus() && ui.input(|i| i.key_pressed(K::Enter));
        if ui.button(t(Key::BasemapUse)).clicked() || entered {
            actions.push(Action::View(match Source::parse(&map.basemap.url_draft) {
                Ok(s @ Source::Xyz(_)) => ViewAction::SetBasemap(s),
                _ => ViewAction::Tell {
                    key: Key::BasemapBadUrl,
                    error: true,
                },
            }));
        }
    });
    if ui.button(t(Key::BasemapMbTiles)).clicked() {
        actions.push(Action::View(ViewAction::PickMbTiles));
    }
    ui.separator();
    // The same switch and opacity as the Layers panel's basemap line.
    ui.checkbox(&mut map.basemap.shown, t(Key::ShowBasemap));
    let slider =
        egui::Slider::new(&mut map.basemap.opacity, 0.0..=1.0).text(t(Key::BasemapOpacity));
    ui.add(slider);
}

fn file_menu(
    ui: &mut Ui,
    view: &ViewState,
    recent: &RecentFiles,
    boards: &RecentBoards,
    shared: bool,
    actions: &mut Vec<Action>,
) {
    let t = |k| tr(view.lang, k);
    let mut item = |ui: &mut Ui, key: Key, action: FileAction| {
        if ui.button(t(key)).clicked() {
            actions.push(Action::File(action));
        }
    };
    item(ui, Key::OpenZones, FileAction::OpenZones);
    item(ui, Key::OpenParcels, FileAction::OpenParcels);
    item(ui, Key::AddReference, FileAction::AddReference);
    item(ui, Key::OpenDatabase, FileAction::OpenDatabase);
    ui.menu_button(t(Key::RecentFiles), |ui| {
        if recent.is_empty() && boards.is_empty() {
            ui.label(t(Key::NoRecentFiles));
        }
        for (i, (url, board)) in boards.iter().enumerate() {
            let label = crate::app::files::loading::board_label(url, board.as_deref());
            if ui.button(label).clicked() {
                actions.push(Action::File(FileAction::OpenRecentBoard(i)));
            }
        }
        for (i, (z, p)) in recent.iter().enumerate() {
            let label = match p {
                Some(p) => format!("{} + {}", z.display(), p.display()),
                None => z.display().to_string(),
            };
            if ui.button(label).clicked() {
                actions.push(Action::File(FileAction::OpenRecent(i)));
            }
        }
    });
    if ui.button(t(Key::ImportTable)).clicked() {
        actions.push(Action::File(FileAction::ImportTable));
    }
    ui.separator();
    let save = egui::KeyboardShortcut::new(Modifiers::COMMAND, K::S);
    // On a shared board every edit is in the database as it is made: nothing to save.
    let button = egui::Button::new(t(Key::Save)).shortcut_text(ui.ctx().format_shortcut(&save));
    let response = ui.add_enabled(!shared, button);
    if response
        .on_disabled_hover_text(t(Key::SaveNotNeeded))
        .clicked()
    {
        actions.push(Action::File(FileAction::Save));
    }
    if ui.button(t(Key::SaveAs)).clicked() {
        actions.push(Action::File(FileAction::SaveAs));
    }
    ui.separator();
    for (k, e) in [
        (Key::ExportCsv, Export::Csv),
        (Key::ExportMarkdown, Export::Markdown),
        (Key::ExportXlsx, Export::Xlsx),
        (Key::ExportPdf, Export::Pdf),
        (Key::ExportPng, Export::MapPng),
        (Key::ExportGeoJson, Export::GeoJson),
    ] {
        if ui.button(t(k)).clicked() {
            actions.push(Action::File(FileAction::Export(e)));
        }
    }
    // Slides at a chosen size, whatever the window's.
    for (k, dashboard) in [(Key::ExportSlide, false), (Key::ExportDashboard, true)] {
        ui.menu_button(t(k), |ui| {
            for size in SLIDE_SIZES {
                if ui.button(format!("{} × {}…", size[0], size[1])).clicked() {
                    let slide = Export::Slide { dashboard, size };
                    actions.push(Action::File(FileAction::Export(slide)));
                }
            }
        });
    }
    let zone_selected = matches!(view.selection, Some(Selection::Zone(_)));
    if ui
        .add_enabled(zone_selected, egui::Button::new(t(Key::ExportZoneSheet)))
        .clicked()
    {
        actions.push(Action::File(FileAction::Export(Export::ZoneSheet)));
    }
    ui.separator();
    if ui.button(t(Key::Quit)).clicked() {
        actions.push(Action::File(FileAction::Quit));
    }
}

/// Undo and Redo, named after the edit they would take back or make again.
fn edit_menu(ui: &mut Ui, session: &Session, lang: Lang, actions: &mut Vec<Action>) {
    let t = |k| tr(lang, k);
    let history = &session.history;
    for (label, key, none, shortcut, action) in [
        (
            history.undo_label(),
            Key::Undo,
            Key::NothingToUndo,
            K::Z,
            EditAction::Undo,
        ),
        (
            history.redo_label(),
            Key::Redo,
            Key::NothingToRedo,
            K::Y,
            EditAction::Redo,
        ),
    ] {
        let text = match label {
            Some(w) => format!("{}: {w}", t(key)),
            None => t(none).to_string(),
        };
        let shortcut = ui
            .ctx()
            .format_shortcut(&egui::KeyboardShortcut::new(Modifiers::COMMAND, shortcut));
        if ui
            .add_enabled(
                label.is_some(),
                egui::Button::new(text).shortcut_text(shortcut),
            )
            .clicked()
        {
            actions.push(Action::Edit(action));
        }
    }
}

/// "As of a date" and its slider, after the menus (when the lots have lease dates); while the
/// figures on the date are computed, which date the figures shown are for.
fn as_of_control(ui: &mut Ui, session: &Session, view: &ViewState, actions: &mut Vec<Action>) {
    let lang = view.lang;
    let Some((lo, hi)) = view.lease_range() else {
        return;
    };
    ui.separator();
    let mut on = view.as_of.is_some();
    let check = ui.checkbox(&mut on, tr(lang, Key::AsOfControl));
    if check.changed() {
        let today = crate::clock::today().0;
        let date = on.then(|| Date(today.clamp(lo.0, hi.0)));
        actions.push(Action::View(ViewAction::SetAsOf(date)));
    }
    if let Some(d) = view.as_of {
        let mut days = d.0;
        ui.spacing_mut().slider_width = 260.0;
        let slider = egui::Slider::new(&mut days, lo.0..=hi.0).show_value(false);
        if ui.add(slider).labelled_by(check.id).changed() {
            actions.push(Action::View(ViewAction::SetAsOf(Some(Date(days)))));
        }
        ui.label(RichText::new(fmt_date(Date(days), lang)).strong());
        if view.figures_updating(session) {
            let text = match view.shown_as_of() {
                Some(shown) if shown != d => {
                    trf(lang, Key::ShowingAsOf, &[("date", &fmt_date(shown, lang))])
                }
                Some(_) => tr(lang, Key::Updating).to_string(),
                None => tr(lang, Key::ShowingToday).to_string(),
            };
            ui.label(RichText::new(text).weak());
        }
    }
}
