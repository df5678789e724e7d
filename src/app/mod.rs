//! The desktop app: an interactive zone map, the zone table, the inspector with undoable
//! edits, the findings, and opening, saving and exporting files; for meetings, a dashboard,
//! presentation mode (F11), the data as of a date and slides as PNG, in Vietnamese or English.
//! It shows and edits what the [`engine`](crate::engine) computes, and computes no figure itself.
//!
//! - [`state`] — the data, the selection, the undo history, the date of the view (shared by
//!   every panel);
//! - [`map`] — the map widget and its memory;
//! - [`panels`] — zone table, inspector, findings, dashboard and presentation figures;
//! - [`files`] — dialogs (behind a trait), background loading, saving, exports;
//! - [`slide`] — slides and zone sheets laid out at a chosen size and rasterised on the CPU;
//! - [`crate::i18n`] — every visible string, in both languages; [`fonts`] — the Vietnamese font.
//!
//! [`ZoneAtlasApp::new`] needs no eframe `CreationContext`, so tests drive the whole window
//! through [`ZoneAtlasApp::show`].

pub mod files;
pub mod fonts;
pub mod map;
pub mod panels;
pub mod slide;
pub mod state;

use egui::{
    Align, Color32, ColorImage, Key as K, Layout, Modifiers, RichText, Ui, ViewportCommand,
};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::engine::dataset::Dataset;
use crate::engine::document::Document;
use crate::engine::export::{self, ExportCrs};
use crate::engine::model::LayerKind;
use crate::engine::properties::Date;
use crate::engine::saving::{self, Journal, WriteError};
use crate::i18n::{Lang, Message, fmt_date, fmt_number};

use self::files::{Current, FileDialogs, FileKind, LoadJob, LoadRequest, NativeDialogs, Recent};
use self::map::{MapMemory, MapView};
use self::panels::inspector::Inspector;
use self::panels::zone_table::ZoneTable;
use self::state::{Action, AppState, Selection};
use crate::i18n::{Key, tr, trf};

const SAMPLE_ZONES: &str = include_str!("../../sample_zones/zones.geojson");
const SAMPLE_PARCELS: &str = include_str!("../../sample_zones/parcels.geojson");

/// The built-in sample (Bắc Ninh's zones and some of their lots), measured.
pub fn sample_dataset() -> Dataset {
    let zones = Document::parse(
        Path::new("sample_zones/zones.geojson"),
        SAMPLE_ZONES.as_bytes().to_vec(),
    )
    .expect("the built-in sample zones parse");
    let parcels = Document::parse(
        Path::new("sample_zones/parcels.geojson"),
        SAMPLE_PARCELS.as_bytes().to_vec(),
    )
    .expect("the built-in sample parcels parse");
    Dataset::new(zones, Some(parcels))
}

/// No data: what the window holds while the files named on the command line load.
pub fn empty_dataset() -> Dataset {
    let doc = Document::parse(
        Path::new("empty.geojson"),
        br#"{"type":"FeatureCollection","features":[]}"#.to_vec(),
    )
    .expect("an empty collection parses");
    Dataset::new(doc, None)
}

/// Opens the window: on the built-in sample, or on the given files (loaded in the background).
pub fn run(zones: Option<PathBuf>, parcels: Option<PathBuf>) -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("ZoneAtlas")
            .with_inner_size([1600.0, 1000.0])
            .with_min_inner_size([900.0, 560.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "ZoneAtlas",
        options,
        Box::new(move |cc| {
            fonts::install(&cc.egui_ctx);
            let dialogs = Box::new(NativeDialogs::default());
            let mut app = match &zones {
                Some(_) => ZoneAtlasApp::new(empty_dataset(), dialogs),
                None => ZoneAtlasApp::new(sample_dataset(), dialogs),
            };
            app.restore(cc.storage, crate::i18n::system_lang());
            if let Some(dir) = recovery_dir() {
                app = app.with_recovery_dir(dir);
            }
            if let Some(z) = zones {
                app.open_files(&cc.egui_ctx, z, parcels);
            }
            Ok(Box::new(app))
        }),
    )
}

/// Where unsaved edits are journaled: `ZONEATLAS_RECOVERY_DIR`, else a `recovery` folder
/// beside the app's remembered settings.
fn recovery_dir() -> Option<PathBuf> {
    std::env::var_os("ZONEATLAS_RECOVERY_DIR")
        .map(PathBuf::from)
        .or_else(|| eframe::storage_dir("ZoneAtlas").map(|d| d.join("recovery")))
}

const RECENT_KEY: &str = "zoneatlas.recent";
const LANG_KEY: &str = "zoneatlas.lang";

/// The sizes slides are exported at, pixels.
pub const SLIDE_SIZES: [[u32; 2]; 3] = [[1280, 720], [1920, 1080], [3840, 2160]];

/// A screenshot on its way to a PNG file.
struct PendingShot {
    path: PathBuf,
    /// The map's rectangle, points.
    rect: egui::Rect,
    image: Arc<Mutex<Option<Arc<ColorImage>>>>,
}

/// The window.
pub struct ZoneAtlasApp {
    pub state: AppState,
    pub map: MapMemory,
    pub table: ZoneTable,
    pub inspector: Inspector,
    pub recent: Recent,
    pub show_findings: bool,
    /// Presentation mode: full screen, the map with its legend and the key figures only.
    pub presenting: bool,
    /// The lease dates' range (the date control's), for the figures' generation.
    lease_range: Option<(u64, Option<(Date, Date)>)>,
    /// The dashboard window (View menu).
    pub dashboard: panels::dashboard::Dashboard,
    /// The notice about values typed in legacy Vietnamese fonts.
    pub legacy_text: panels::legacy_text::LegacyText,
    /// What the window was last told about full screen (`None`: never).
    pub fullscreen_sent: Option<bool>,
    dialogs: Box<dyn FileDialogs>,
    load: Option<LoadJob>,
    /// An action waiting for the answer to "unsaved changes?".
    pending: Option<Action>,
    allow_close: bool,
    /// The user chose "Discard" for the action being applied.
    discard_ok: bool,
    close_sent: bool,
    title: String,
    shot: Option<PendingShot>,
    /// Files that changed on disk since they were read, waiting for "overwrite?".
    overwrite_prompt: Option<Vec<PathBuf>>,
    /// Unsaved edits a window that ended unexpectedly left behind, waiting for "restore?".
    recovery_offer: Option<(PathBuf, Journal)>,
    /// Edits to replay once the files they belong to have loaded.
    replay: Option<(PathBuf, Journal)>,
}

impl ZoneAtlasApp {
    /// The app over a dataset (not from a file: Save asks where).
    pub fn new(ds: Dataset, dialogs: Box<dyn FileDialogs>) -> Self {
        ZoneAtlasApp {
            state: AppState::new(ds, None, None),
            map: MapMemory::default(),
            table: ZoneTable::default(),
            inspector: Inspector::default(),
            recent: Recent::default(),
            show_findings: true,
            presenting: false,
            dashboard: Default::default(),
            legacy_text: Default::default(),
            lease_range: None,
            fullscreen_sent: None,
            dialogs,
            load: None,
            pending: None,
            allow_close: false,
            discard_ok: false,
            close_sent: false,
            title: String::new(),
            shot: None,
            overwrite_prompt: None,
            recovery_offer: None,
            replay: None,
        }
    }

    /// Keeps unsaved edits in a recovery file in `dir`, and offers to restore those a window
    /// that ended unexpectedly left there.
    pub fn with_recovery_dir(mut self, dir: PathBuf) -> Self {
        self.recovery_offer = Journal::left_behind(&dir).into_iter().next();
        self.state.recovery_dir = Some(dir);
        self
    }

    /// Whether the app is offering to restore unsaved edits from a crash.
    pub fn is_offering_recovery(&self) -> bool {
        self.recovery_offer.is_some()
    }

    /// Whether the "changed on disk, overwrite?" question is showing.
    pub fn is_asking_to_overwrite(&self) -> bool {
        self.overwrite_prompt.is_some()
    }

    /// Says which files the data came from, as they are on disk now (Save writes back to them,
    /// and asks first if they change meanwhile).
    pub fn with_paths(mut self, zones: Option<PathBuf>, parcels: Option<PathBuf>) -> Self {
        let stamp = |p: &Option<PathBuf>| {
            p.as_deref()
                .and_then(|p| saving::FileStamp::of(p).ok().flatten())
        };
        self.state.zones_stamp = stamp(&zones);
        self.state.parcels_stamp = stamp(&parcels);
        self.state.zones_path = zones;
        self.state.parcels_path = parcels;
        self.state.restart_journal();
        self
    }

    /// Starts loading files in the background.
    pub fn open_files(&mut self, ctx: &egui::Context, zones: PathBuf, parcels: Option<PathBuf>) {
        self.start_load(ctx, LoadRequest::Files { zones, parcels });
    }

    pub fn is_loading(&self) -> bool {
        self.load.is_some()
    }

    /// Blocks until a load in progress ends, and takes its result (tests).
    pub fn wait_for_load(&mut self) {
        if let Some(mut job) = self.load.take() {
            let result = job.wait();
            self.finish_load(&job, result);
        }
    }

    /// "• zones.geojson + parcels.geojson — ZoneAtlas": the dot while edits are unsaved.
    pub fn window_title(&self) -> String {
        let dirty = if self.state.history.is_dirty() {
            format!("{} ", tr(self.state.lang, Key::Dirty))
        } else {
            String::new()
        };
        format!(
            "{dirty}{} — {}",
            self.state.files_label(),
            tr(self.state.lang, Key::AppName)
        )
    }

    /// Whether the unsaved-changes question is showing.
    pub fn is_asking_to_save(&self) -> bool {
        self.pending.is_some()
    }

    /// Whether the app has told the window to close.
    pub fn has_closed(&self) -> bool {
        self.close_sent
    }

    fn start_load(&mut self, ctx: &egui::Context, request: LoadRequest) {
        let needs_current = !matches!(request, LoadRequest::Files { .. });
        let current = needs_current.then(|| Current {
            zones: self.state.ds.zones.doc.clone(),
            zones_path: self.state.zones_path.clone(),
            zones_stamp: self.state.zones_stamp,
            parcels: self.state.ds.parcels.as_ref().map(|p| p.doc.clone()),
            parcels_path: self.state.parcels_path.clone(),
            parcels_stamp: self.state.parcels_stamp,
        });
        let ctx = ctx.clone();
        let job = LoadJob::start(request, current, move || ctx.request_repaint());
        self.state
            .info(trf(self.state.lang, Key::Loading, &[("what", &job.what)]));
        self.load = Some(job);
    }

    fn finish_load(&mut self, job: &LoadJob, result: Result<files::Loaded, files::LoadFailure>) {
        let lang = self.state.lang;
        match result {
            Ok(loaded) => {
                if let Some(z) = &loaded.zones_path {
                    self.recent.push(z.clone(), loaded.parcels_path.clone());
                }
                let zones = loaded.ds.zones.len().to_string();
                let parcels = loaded
                    .ds
                    .parcels
                    .as_ref()
                    .map_or(0, |p| p.len())
                    .to_string();
                self.state.replace_data(
                    loaded.ds,
                    loaded.zones_path,
                    loaded.parcels_path,
                    (loaded.zones_stamp, loaded.parcels_stamp),
                );
                self.inspector.reset();
                self.map.needs_fit = true;
                self.state.info(trf(
                    lang,
                    Key::Loaded,
                    &[
                        ("what", &job.what),
                        ("zones", &zones),
                        ("parcels", &parcels),
                    ],
                ));
                if let Some((path, journal)) = self.replay.take() {
                    self.replay_journal(&path, &journal);
                }
            }
            Err(error) => {
                // A recovery whose files cannot be opened stays on disk for another try.
                self.replay = None;
                self.state.error(trf(
                    lang,
                    Key::LoadFailed,
                    &[("what", &job.what), ("error", &error.message(lang))],
                ))
            }
        }
    }

    /// Restores a crashed window's edits on the data now open (the same files, just loaded):
    /// each becomes an undoable edit; those the files no longer fit are left out and counted.
    fn replay_journal(&mut self, path: &Path, journal: &Journal) {
        // In order, each on the result of the last: the edits go through `edit` one by one.
        let (mut applied, mut skipped) = (0, 0);
        for e in &journal.entries {
            match e.layer_kind() {
                Some(layer) if e.fits(&self.state.ds) => {
                    self.state
                        .edit(layer, e.feature, &e.key, e.after.clone(), e.what.clone());
                    applied += 1;
                }
                _ => skipped += 1,
            }
        }
        // The edits now live in this window's own journal.
        let _ = std::fs::remove_file(path);
        let lang = self.state.lang;
        let what = self.state.files_label();
        let n = applied.to_string();
        let text = if skipped == 0 {
            trf(lang, Key::Restored, &[("n", &n), ("what", &what)])
        } else {
            let skipped = skipped.to_string();
            trf(
                lang,
                Key::RestoredSkipped,
                &[("n", &n), ("what", &what), ("skipped", &skipped)],
            )
        };
        self.state.info(text);
    }

    /// "Restore unsaved edits?": Restore opens the journal's files (or the built-in sample)
    /// and replays the edits; Discard deletes the recovery file; Decide later keeps it.
    fn recovery_prompt(&mut self, ctx: &egui::Context) {
        let lang = self.state.lang;
        let t = |k| tr(lang, k);
        let Some((_, journal)) = &self.recovery_offer else {
            return;
        };
        let name = |p: &Option<PathBuf>| {
            p.as_ref()
                .and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
        };
        let what = match (name(&journal.zones_path), name(&journal.parcels_path)) {
            (Some(z), Some(p)) => format!("{z} + {p}"),
            (Some(z), None) => z,
            (None, _) => t(Key::BuiltInSample).to_string(),
        };
        let secs = journal.written_at;
        let when = format!(
            "{} {:02}:{:02} UTC",
            fmt_date(Date((secs / 86_400) as i32), lang),
            secs % 86_400 / 3600,
            secs % 3600 / 60
        );
        let n = journal.entries.len().to_string();
        let mut answer = None;
        egui::Modal::new(egui::Id::unique("recovery_offer")).show(ctx, |ui| {
            ui.set_width(420.0);
            ui.heading(t(Key::RecoveryTitle));
            ui.label(trf(
                lang,
                Key::RecoveryBody,
                &[("when", &when), ("n", &n), ("what", &what)],
            ));
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                for key in [Key::Restore, Key::Discard, Key::RestoreLater] {
                    if ui.button(t(key)).clicked() {
                        answer = Some(key);
                    }
                }
            });
        });
        let Some(answer) = answer else { return };
        let Some((path, journal)) = self.recovery_offer.take() else {
            return;
        };
        match answer {
            Key::Restore => match journal.zones_path.clone() {
                Some(zones) => {
                    let parcels = journal.parcels_path.clone();
                    self.replay = Some((path, journal));
                    self.start_load(ctx, LoadRequest::Files { zones, parcels });
                }
                None => {
                    self.state
                        .replace_data(sample_dataset(), None, None, (None, None));
                    self.inspector.reset();
                    self.map.needs_fit = true;
                    self.replay_journal(&path, &journal);
                }
            },
            Key::Discard => {
                let _ = std::fs::remove_file(&path);
            }
            _ => {}
        }
    }

    /// "Changed on disk": Overwrite (the other version is kept as .bak), Save As, or Cancel.
    fn overwrite_prompt(&mut self, ctx: &egui::Context) {
        let lang = self.state.lang;
        let t = |k| tr(lang, k);
        let Some(paths) = &self.overwrite_prompt else {
            return;
        };
        let what = paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let mut answer = None;
        let modal = egui::Modal::new(egui::Id::unique("changed_on_disk")).show(ctx, |ui| {
            ui.set_width(420.0);
            ui.heading(t(Key::ChangedOnDiskTitle));
            ui.label(trf(lang, Key::ChangedOnDiskBody, &[("what", &what)]));
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                for key in [Key::Overwrite, Key::SaveAs, Key::Cancel] {
                    if ui.button(t(key)).clicked() {
                        answer = Some(key);
                    }
                }
            });
        });
        if answer.is_none() && modal.should_close() {
            answer = Some(Key::Cancel);
        }
        let Some(answer) = answer else { return };
        self.overwrite_prompt = None;
        match answer {
            Key::Overwrite => {
                self.save_checked(false, true);
            }
            Key::SaveAs => {
                self.save(true);
            }
            _ => {}
        }
    }

    /// Draws the whole window into `ui` and handles its input: the eframe entry point, and
    /// what tests drive.
    pub fn show(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        let mut actions: Vec<Action> = Vec::new();

        if let Some(job) = &mut self.load {
            match job.poll() {
                Some(result) => {
                    let job = self.load.take().expect("job");
                    self.finish_load(&job, result);
                }
                None => ctx.request_repaint_after(std::time::Duration::from_millis(100)),
            }
        }
        if ctx.input(|i| i.viewport().close_requested())
            && !self.allow_close
            && self.state.history.is_dirty()
        {
            ctx.send_viewport_cmd(ViewportCommand::CancelClose);
            self.pending = Some(Action::Quit);
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty() {
            actions.push(Action::OpenDropped(dropped));
        }
        self.shortcuts(&ctx, &mut actions);
        self.state.refresh_as_of();
        self.poll_screenshot(&ctx);

        if self.presenting {
            self.show_presentation(ui, &mut actions);
        } else {
            self.show_panels(ui, &mut actions);
        }

        if self.pending.is_some() {
            self.unsaved_prompt(&ctx, &mut actions);
        }
        if self.overwrite_prompt.is_some() {
            self.overwrite_prompt(&ctx);
        }
        if self.recovery_offer.is_some() && self.load.is_none() {
            self.recovery_prompt(&ctx);
        }
        for a in actions {
            self.apply(&ctx, a);
        }
        let title = self.window_title();
        if title != self.title {
            ctx.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    /// Presentation mode: a title, the map with its legend (larger) and the key figures.
    fn show_presentation(&mut self, ui: &mut Ui, actions: &mut Vec<Action>) {
        actions.extend(presentation(ui, &mut self.state, &mut self.map, true));
    }

    /// The normal window: menus, table, inspector, findings, status bar and the map.
    fn show_panels(&mut self, ui: &mut Ui, actions: &mut Vec<Action>) {
        let actions_out = actions;
        let mut actions: Vec<Action> = Vec::new();
        egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui, &mut actions));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        if self.show_findings {
            let (findings, stale) = self.state.findings_for_panel();
            egui::Panel::bottom("findings")
                .default_size(140.0)
                .resizable(true)
                .show(ui, |ui| {
                    actions.extend(panels::findings::show(ui, &self.state, &findings, stale));
                });
        }
        egui::Panel::left("zones")
            .default_size(770.0)
            .size_range(320.0..=900.0)
            .resizable(true)
            .show(ui, |ui| {
                actions.extend(self.table.show(ui, &self.state));
            });
        egui::Panel::right("inspector")
            .default_size(360.0)
            .size_range(300.0..=520.0)
            .resizable(true)
            .show(ui, |ui| {
                actions.extend(self.inspector.show(ui, &self.state));
            });
        actions.extend(self.legacy_text.show(ui, &self.state));
        egui::CentralPanel::no_frame().show(ui, |ui| {
            actions.extend(MapView::new(&mut self.state, &mut self.map).show(ui));
            if let Some(job) = &self.load {
                let rect = self.map.view;
                let text = format!(
                    "{} ({})",
                    trf(self.state.lang, Key::Loading, &[("what", &job.what)]),
                    job.stage
                );
                egui::Area::new(egui::Id::unique("loading"))
                    .fixed_pos(rect.center() - egui::vec2(160.0, 20.0))
                    .show(ui.ctx(), |ui| {
                        egui::Frame::popup(ui.style()).show(ui, |ui| {
                            ui.horizontal(|ui| {
                                ui.spinner();
                                ui.label(text);
                            });
                        });
                    });
            }
        });
        self.dashboard.show(ui.ctx(), &self.state);
        actions_out.extend(actions);
    }

    fn shortcuts(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let typing = ctx.egui_wants_keyboard_input();
        // Esc closes an open menu first; only then does it clear the selection.
        let popup_open = egui::Popup::is_any_open(ctx);
        ctx.input_mut(|i| {
            if i.consume_key(Modifiers::COMMAND, K::S) {
                actions.push(Action::Save);
            }
            if typing || self.pending.is_some() {
                return;
            }
            if i.consume_key(Modifiers::COMMAND | Modifiers::SHIFT, K::Z)
                || i.consume_key(Modifiers::COMMAND, K::Y)
            {
                actions.push(Action::Redo);
            } else if i.consume_key(Modifiers::COMMAND, K::Z) {
                actions.push(Action::Undo);
            }
            if i.consume_key(Modifiers::NONE, K::F11) {
                actions.push(Action::Present(!self.presenting));
            }
            if self.presenting && !popup_open && i.consume_key(Modifiers::NONE, K::Escape) {
                actions.push(Action::Present(false));
            }
            if i.modifiers.is_none() {
                let step = 100.0;
                for (key, d) in [
                    (K::ArrowLeft, egui::vec2(step, 0.0)),
                    (K::ArrowRight, egui::vec2(-step, 0.0)),
                    (K::ArrowUp, egui::vec2(0.0, step)),
                    (K::ArrowDown, egui::vec2(0.0, -step)),
                ] {
                    if i.key_pressed(key) {
                        self.map.camera.pan(d);
                    }
                }
                if i.key_pressed(K::Home) {
                    actions.push(Action::FitAll);
                }
                if i.key_pressed(K::F) {
                    actions.push(Action::FitSelection);
                }
                if i.key_pressed(K::Escape) && !popup_open {
                    actions.push(Action::Select {
                        selection: None,
                        fly: false,
                    });
                }
            }
            let centre = self.map.view.center();
            if i.key_pressed(K::Plus) || i.key_pressed(K::Equals) {
                self.map.camera.zoom_about(centre, self.map.view, 2.0);
            }
            if i.key_pressed(K::Minus) {
                self.map.camera.zoom_about(centre, self.map.view, 0.5);
            }
        });
    }

    fn menu_bar(&mut self, ui: &mut Ui, actions: &mut Vec<Action>) {
        let lang = self.state.lang;
        let t = |k| tr(lang, k);
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(t(Key::MenuFile), |ui| {
                for (k, a) in [
                    (Key::OpenZones, Action::OpenZones),
                    (Key::OpenParcels, Action::OpenParcels),
                ] {
                    if ui.button(t(k)).clicked() {
                        actions.push(a);
                    }
                }
                ui.menu_button(t(Key::RecentFiles), |ui| {
                    if self.recent.entries.is_empty() {
                        ui.label(t(Key::NoRecentFiles));
                    }
                    for (i, (z, p)) in self.recent.entries.iter().enumerate() {
                        let label = match p {
                            Some(p) => format!("{} + {}", z.display(), p.display()),
                            None => z.display().to_string(),
                        };
                        if ui.button(label).clicked() {
                            actions.push(Action::OpenRecent(i));
                        }
                    }
                });
                ui.separator();
                if ui
                    .add(egui::Button::new(t(Key::Save)).shortcut_text(
                        ui.ctx().format_shortcut(&egui::KeyboardShortcut::new(
                            Modifiers::COMMAND,
                            K::S,
                        )),
                    ))
                    .clicked()
                {
                    actions.push(Action::Save);
                }
                if ui.button(t(Key::SaveAs)).clicked() {
                    actions.push(Action::SaveAs);
                }
                ui.separator();
                for (k, a) in [
                    (Key::ExportCsv, Action::ExportCsv),
                    (Key::ExportMarkdown, Action::ExportMarkdown),
                    (Key::ExportPng, Action::ExportPng),
                    (Key::ExportGeoJson, Action::ExportGeoJson),
                ] {
                    if ui.button(t(k)).clicked() {
                        actions.push(a);
                    }
                }
                // Slides at a chosen size, whatever the window's.
                for (k, dashboard) in [(Key::ExportSlide, false), (Key::ExportDashboard, true)] {
                    ui.menu_button(t(k), |ui| {
                        for size in SLIDE_SIZES {
                            if ui.button(format!("{} × {}…", size[0], size[1])).clicked() {
                                actions.push(Action::ExportSlide { dashboard, size });
                            }
                        }
                    });
                }
                let zone_selected = matches!(self.state.selection, Some(Selection::Zone(_)));
                if ui
                    .add_enabled(zone_selected, egui::Button::new(t(Key::ExportZoneSheet)))
                    .clicked()
                {
                    actions.push(Action::ExportZoneSheet);
                }
                ui.separator();
                if ui.button(t(Key::Quit)).clicked() {
                    actions.push(Action::Quit);
                }
            });
            ui.menu_button(t(Key::MenuEdit), |ui| {
                let undo = match self.state.history.undo_label() {
                    Some(w) => format!("{}: {w}", t(Key::Undo)),
                    None => t(Key::NothingToUndo).to_string(),
                };
                let z = ui
                    .ctx()
                    .format_shortcut(&egui::KeyboardShortcut::new(Modifiers::COMMAND, K::Z));
                if ui
                    .add_enabled(
                        self.state.history.undo_label().is_some(),
                        egui::Button::new(undo).shortcut_text(z),
                    )
                    .clicked()
                {
                    actions.push(Action::Undo);
                }
                let redo = match self.state.history.redo_label() {
                    Some(w) => format!("{}: {w}", t(Key::Redo)),
                    None => t(Key::NothingToRedo).to_string(),
                };
                let y = ui
                    .ctx()
                    .format_shortcut(&egui::KeyboardShortcut::new(Modifiers::COMMAND, K::Y));
                if ui
                    .add_enabled(
                        self.state.history.redo_label().is_some(),
                        egui::Button::new(redo).shortcut_text(y),
                    )
                    .clicked()
                {
                    actions.push(Action::Redo);
                }
            });
            ui.menu_button(t(Key::MenuView), |ui| {
                if ui
                    .add(egui::Button::new(t(Key::FitAll)).shortcut_text("Home"))
                    .clicked()
                {
                    actions.push(Action::FitAll);
                }
                if ui
                    .add_enabled(
                        self.state.selection.is_some(),
                        egui::Button::new(t(Key::FitSelection)).shortcut_text("F"),
                    )
                    .clicked()
                {
                    actions.push(Action::FitSelection);
                }
                ui.separator();
                ui.checkbox(&mut self.map.show_parcels, t(Key::ShowParcels));
                ui.checkbox(&mut self.map.show_labels, t(Key::ShowLabels));
                ui.checkbox(&mut self.show_findings, t(Key::ShowFindings));
                ui.checkbox(&mut self.dashboard.open, t(Key::Dashboard));
                ui.separator();
                if ui
                    .add(egui::Button::new(t(Key::PresentationMode)).shortcut_text("F11"))
                    .clicked()
                {
                    actions.push(Action::Present(true));
                }
                ui.separator();
                ui.label(RichText::new(t(Key::Language)).weak());
                for (l, k) in [
                    (Lang::Vi, Key::LangVietnamese),
                    (Lang::En, Key::LangEnglish),
                ] {
                    if ui.radio(lang == l, t(k)).clicked() {
                        actions.push(Action::SetLang(l));
                    }
                }
            });
            self.as_of_control(ui, actions);
        });
    }

    /// The lease dates' range, recomputed after edits.
    fn lease_range(&mut self) -> Option<(Date, Date)> {
        match self.lease_range {
            Some((g, r)) if g == self.state.generation => r,
            _ => {
                let r = crate::engine::as_of::lease_range(&self.state.ds);
                self.lease_range = Some((self.state.generation, r));
                r
            }
        }
    }

    /// "As of a date" and its slider, after the menus (when the lots have lease dates).
    fn as_of_control(&mut self, ui: &mut Ui, actions: &mut Vec<Action>) {
        let lang = self.state.lang;
        let Some((lo, hi)) = self.lease_range() else {
            return;
        };
        ui.separator();
        let mut on = self.state.as_of.is_some();
        let check = ui.checkbox(&mut on, tr(lang, Key::AsOfControl));
        if check.changed() {
            let today = crate::clock::today().0;
            actions.push(Action::SetAsOf(on.then(|| Date(today.clamp(lo.0, hi.0)))));
        }
        if let Some(d) = self.state.as_of {
            let mut days = d.0;
            ui.spacing_mut().slider_width = 260.0;
            let slider = egui::Slider::new(&mut days, lo.0..=hi.0).show_value(false);
            if ui.add(slider).labelled_by(check.id).changed() {
                actions.push(Action::SetAsOf(Some(Date(days))));
            }
            ui.label(RichText::new(fmt_date(Date(days), lang)).strong());
        }
    }

    fn status_bar(&mut self, ui: &mut Ui) {
        let lang = self.state.lang;
        ui.horizontal(|ui| {
            if self.load.is_some() {
                ui.spinner();
            }
            if let Some(m) = &self.state.message {
                let color = if m.error {
                    Color32::from_rgb(230, 80, 80)
                } else {
                    ui.visuals().text_color()
                };
                ui.label(RichText::new(&m.text).color(color));
            }
            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                let ds = &self.state.ds;
                let converted = std::iter::once(&ds.zones.doc)
                    .chain(ds.parcels.as_ref().map(|p| &p.doc))
                    .filter_map(|d| d.crs.as_ref().map(|c| c.label()))
                    .collect::<Vec<_>>();
                if !converted.is_empty() {
                    let crs = converted.join(", ");
                    let short = trf(lang, Key::ConvertedShort, &[("crs", &crs)]);
                    ui.label(RichText::new(short).small().weak())
                        .on_hover_text(trf(lang, Key::ConvertedFrom, &[("crs", &crs)]));
                }
                let s = self.map.stats;
                let ms = |d: usize| fmt_number(s.build.as_secs_f64() * 1e3, d, lang);
                ui.label(RichText::new(format!("{} ms", ms(1))).small().weak())
                    .on_hover_text(trf(
                        lang,
                        Key::FrameCost,
                        &[
                            ("ms", &ms(2)),
                            ("zones", &s.zones_drawn.to_string()),
                            ("parcels", &s.parcels_drawn.to_string()),
                            ("labels", &s.labels_drawn.to_string()),
                            ("vertices", &s.vertices.to_string()),
                        ],
                    ));
                ui.label(format!(
                    "{} {}",
                    tr(lang, Key::Zoom),
                    fmt_number(self.map.camera.zoom, 1, lang)
                ));
                if let Some(c) = self.map.cursor {
                    let t = |k| tr(lang, k);
                    let ns = t(if c.y >= 0.0 {
                        Key::CompassN
                    } else {
                        Key::CompassS
                    });
                    let ew = t(if c.x >= 0.0 {
                        Key::CompassE
                    } else {
                        Key::CompassW
                    });
                    ui.monospace(format!(
                        "{}° {ns}  {}° {ew}",
                        fmt_number(c.y.abs(), 5, lang),
                        fmt_number(c.x.abs(), 5, lang)
                    ));
                }
            });
        });
    }

    fn unsaved_prompt(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let lang = self.state.lang;
        let t = |k| tr(lang, k);
        let mut answer = None;
        let modal = egui::Modal::new(egui::Id::unique("unsaved_changes")).show(ctx, |ui| {
            ui.set_width(360.0);
            ui.heading(t(Key::UnsavedTitle));
            ui.label(t(Key::UnsavedBody));
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button(t(Key::SaveAndContinue)).clicked() {
                    answer = Some(Key::SaveAndContinue);
                }
                if ui.button(t(Key::Discard)).clicked() {
                    answer = Some(Key::Discard);
                }
                if ui.button(t(Key::Cancel)).clicked() {
                    answer = Some(Key::Cancel);
                }
            });
        });
        if answer.is_none() && modal.should_close() {
            answer = Some(Key::Cancel);
        }
        let Some(answer) = answer else { return };
        let Some(action) = self.pending.take() else {
            return;
        };
        match answer {
            Key::SaveAndContinue if self.save(false) => actions.push(action),
            Key::Discard => {
                self.allow_close = true;
                self.discard_ok = true;
                actions.push(action);
            }
            _ => {}
        }
    }

    /// Applies one action.
    pub fn apply(&mut self, ctx: &egui::Context, action: Action) {
        let lang = self.state.lang;
        let asks_first = matches!(
            action,
            Action::Quit
                | Action::OpenZones
                | Action::OpenParcels
                | Action::OpenRecent(_)
                | Action::OpenDropped(_)
        );
        if asks_first && self.state.history.is_dirty() && !std::mem::take(&mut self.discard_ok) {
            self.pending = Some(action);
            return;
        }
        match action {
            Action::Select { selection, fly } => {
                self.state.selection = selection.filter(|s| self.state.valid(*s));
                if fly && let Some(b) = selection.and_then(|s| MapMemory::bounds_of(&self.state, s))
                {
                    self.map.fly_to(b);
                }
            }
            Action::SetProperty {
                layer,
                feature,
                key,
                value,
                what,
            } => {
                self.state.edit(layer, feature, &key, value, what);
            }
            Action::SetProperties { changes, what } => {
                self.state.edit_all(changes, what);
                self.inspector.reset();
            }
            Action::Undo => {
                self.state.undo();
                self.inspector.reset();
            }
            Action::Redo => {
                self.state.redo();
                self.inspector.reset();
            }
            Action::Save => {
                self.save(false);
            }
            Action::SaveAs => {
                self.save(true);
            }
            Action::OpenZones => {
                if let Some(p) = self.dialogs.pick_file(
                    tr(lang, Key::OpenZones),
                    FileKind::GeoJson,
                    tr(lang, Key::FilterGeoJson),
                ) {
                    self.start_load(ctx, LoadRequest::Zones(p));
                }
            }
            Action::OpenParcels => {
                if let Some(p) = self.dialogs.pick_file(
                    tr(lang, Key::OpenParcels),
                    FileKind::GeoJson,
                    tr(lang, Key::FilterGeoJson),
                ) {
                    self.start_load(ctx, LoadRequest::Parcels(p));
                }
            }
            Action::OpenRecent(i) => {
                if let Some((z, p)) = self.recent.entries.get(i).cloned() {
                    self.start_load(
                        ctx,
                        LoadRequest::Files {
                            zones: z,
                            parcels: p,
                        },
                    );
                }
            }
            Action::OpenDropped(paths) => self.start_load(ctx, LoadRequest::Dropped(paths)),
            Action::ExportCsv => {
                if let Some(p) = self.dialogs.save_file(
                    tr(lang, Key::ExportCsv),
                    FileKind::Csv,
                    tr(lang, Key::FilterCsv),
                    "zones-report.csv",
                ) {
                    let text = files::csv_with_bom(&self.state.ds);
                    self.report_export(&p, files::write_text(&p, &text));
                }
            }
            Action::ExportMarkdown => {
                if let Some(p) = self.dialogs.save_file(
                    tr(lang, Key::ExportMarkdown),
                    FileKind::Markdown,
                    tr(lang, Key::FilterMarkdown),
                    "zones-report.md",
                ) {
                    let findings = self.state.findings();
                    let report = crate::report::Report::today(&self.state.ds, &findings);
                    let text = crate::report::markdown(&report, lang);
                    self.report_export(&p, files::write_text(&p, &text));
                }
            }
            Action::ExportGeoJson => {
                let mut layers = vec![(LayerKind::Zones, "zones-wgs84.geojson")];
                if self.state.ds.parcels.is_some() {
                    layers.push((LayerKind::Parcels, "parcels-wgs84.geojson"));
                }
                for (layer, name) in layers {
                    let Some(path) = self.dialogs.save_file(
                        tr(lang, Key::ExportGeoJson),
                        FileKind::GeoJson,
                        tr(lang, Key::FilterGeoJson),
                        name,
                    ) else {
                        break;
                    };
                    let doc = match (layer, &self.state.ds.parcels) {
                        (LayerKind::Parcels, Some(p)) => &p.doc,
                        _ => &self.state.ds.zones.doc,
                    };
                    let text = export::render_as(doc, |_| Vec::new(), ExportCrs::Wgs84);
                    let result = files::write_text(&path, &text);
                    let failed = result.is_err();
                    self.report_export(&path, result);
                    if failed {
                        break;
                    }
                }
            }
            Action::ExportPng => {
                if let Some(path) = self.dialogs.save_file(
                    tr(lang, Key::ExportPng),
                    FileKind::Png,
                    tr(lang, Key::FilterPng),
                    "zone-map.png",
                ) {
                    let image = Arc::new(Mutex::new(None));
                    let slot = image.clone();
                    let repaint = ctx.clone();
                    ctx.send_viewport_cmd(ViewportCommand::Screenshot(
                        egui::ScreenshotCallback::new(move |img| {
                            *slot.lock().expect("lock") = Some(img);
                            repaint.request_repaint();
                        }),
                    ));
                    self.shot = Some(PendingShot {
                        path,
                        rect: self.map.view,
                        image,
                    });
                }
            }
            Action::ExportSlide { dashboard, size } => {
                let (key, name) = if dashboard {
                    (Key::ExportDashboard, "dashboard.png")
                } else {
                    (Key::ExportSlide, "slide.png")
                };
                if let Some(path) = self.dialogs.save_file(
                    tr(lang, key),
                    FileKind::Png,
                    tr(lang, Key::FilterPng),
                    name,
                ) {
                    let image = if dashboard {
                        slide::dashboard(&mut self.state, size[0], size[1])
                    } else {
                        slide::render(&mut self.state, size[0], size[1])
                    };
                    let result = files::png_bytes(&image).and_then(|bytes| {
                        crate::engine::export::write_atomic(&path, &bytes).map_err(WriteError::from)
                    });
                    self.report_export(&path, result);
                }
            }
            Action::ExportZoneSheet => {
                let Some(Selection::Zone(z)) = self.state.selection else {
                    return;
                };
                let name = format!("{}.png", self.state.ds.zones.items[z].id);
                if let Some(path) = self.dialogs.save_file(
                    tr(lang, Key::ExportZoneSheet),
                    FileKind::Png,
                    tr(lang, Key::FilterPng),
                    &name,
                ) {
                    let image = slide::zone_sheet(&mut self.state, z, 1920, 1080);
                    let result = files::png_bytes(&image).and_then(|bytes| {
                        crate::engine::export::write_atomic(&path, &bytes).map_err(WriteError::from)
                    });
                    self.report_export(&path, result);
                }
            }
            Action::RefreshFindings => {
                self.state.findings();
            }
            Action::Quit => {
                // Quitting is past "unsaved changes?": nothing is left to recover.
                self.state.journal.entries.clear();
                self.state.store_journal();
                self.allow_close = true;
                self.close_sent = true;
                ctx.send_viewport_cmd(ViewportCommand::Close);
            }
            Action::FitAll => self.map.fit_all(&self.state),
            Action::SetLang(l) => self.set_lang(l),
            Action::SetAsOf(d) => self.state.as_of = d,
            Action::Present(on) => {
                if on != self.presenting {
                    self.presenting = on;
                    self.map.text_scale = if on { 1.6 } else { 1.0 };
                    self.map.needs_fit = true;
                    ctx.send_viewport_cmd(ViewportCommand::Fullscreen(on));
                    self.fullscreen_sent = Some(on);
                }
            }
            Action::FitSelection => {
                if let Some(b) = self
                    .state
                    .selection
                    .and_then(|s| MapMemory::bounds_of(&self.state, s))
                {
                    self.map.fly_to(b);
                }
            }
        }
    }

    fn report_export(&mut self, path: &Path, result: Result<(), WriteError>) {
        let lang = self.state.lang;
        let what = path.display().to_string();
        match result {
            Ok(()) => self
                .state
                .info(trf(lang, Key::Exported, &[("what", &what)])),
            Err(e) => self.state.error(trf(
                lang,
                Key::ExportFailed,
                &[("what", &what), ("error", &e.message(lang))],
            )),
        }
    }

    fn poll_screenshot(&mut self, ctx: &egui::Context) {
        let Some(shot) = &self.shot else { return };
        let Some(image) = shot.image.lock().expect("lock").take() else {
            return;
        };
        let shot = self.shot.take().expect("shot");
        let ppp = ctx.pixels_per_point();
        let cropped = image.region(&shot.rect, Some(ppp));
        let result = files::png_bytes(&cropped).and_then(|bytes| {
            crate::engine::export::write_atomic(&shot.path, &bytes).map_err(WriteError::from)
        });
        self.report_export(&shot.path, result);
    }

    /// Saves the edited files (Save As, or when a file has no place yet: asks where). Only
    /// the edited values differ from the files as loaded. Returns whether it saved.
    pub fn save(&mut self, as_new: bool) -> bool {
        self.save_checked(as_new, false)
    }

    /// [`Self::save`]; a file changed on disk since it was read is overwritten only with
    /// `overwrite_changed`, else the user is asked first.
    fn save_checked(&mut self, as_new: bool, overwrite_changed: bool) -> bool {
        let lang = self.state.lang;
        let has_parcels = self.state.ds.parcels.is_some();
        let ask = as_new
            || self.state.zones_path.is_none()
            || (has_parcels && self.state.parcels_path.is_none());
        let (zones_path, parcels_path, layers) = if ask {
            let Some(z) = self.dialogs.save_file(
                tr(lang, Key::SaveAs),
                FileKind::GeoJson,
                tr(lang, Key::FilterGeoJson),
                "zones.geojson",
            ) else {
                return false;
            };
            let p = if has_parcels {
                match self.dialogs.save_file(
                    tr(lang, Key::SaveAs),
                    FileKind::GeoJson,
                    tr(lang, Key::FilterGeoJson),
                    "parcels.geojson",
                ) {
                    Some(p) => Some(p),
                    None => return false,
                }
            } else {
                None
            };
            let mut layers = vec![LayerKind::Zones];
            if has_parcels {
                layers.push(LayerKind::Parcels);
            }
            (Some(z), p, layers)
        } else {
            (
                self.state.zones_path.clone(),
                self.state.parcels_path.clone(),
                self.state.history.touched.clone(),
            )
        };
        if !ask && !overwrite_changed {
            let changed: Vec<PathBuf> = layers
                .iter()
                .filter_map(|layer| match layer {
                    LayerKind::Zones => zones_path.clone().zip(Some(self.state.zones_stamp)),
                    LayerKind::Parcels => parcels_path.clone().zip(Some(self.state.parcels_stamp)),
                })
                .filter(|(path, stamp)| saving::changed_on_disk(path, *stamp))
                .map(|(path, _)| path)
                .collect();
            if !changed.is_empty() {
                self.overwrite_prompt = Some(changed);
                return false;
            }
        }
        let mut written = Vec::new();
        for layer in layers {
            let (doc, path) = match layer {
                LayerKind::Zones => (&self.state.ds.zones.doc, &zones_path),
                LayerKind::Parcels => match &self.state.ds.parcels {
                    Some(p) => (&p.doc, &parcels_path),
                    None => continue,
                },
            };
            let Some(path) = path else { continue };
            let text = files::render_document(doc);
            match saving::save_with_backup(path, text.as_bytes()) {
                Ok(stamp) => match layer {
                    LayerKind::Zones => self.state.zones_stamp = stamp,
                    LayerKind::Parcels => self.state.parcels_stamp = stamp,
                },
                Err(e) => {
                    self.state.error(trf(
                        lang,
                        Key::SaveFailed,
                        &[
                            ("what", &path.display().to_string()),
                            ("error", &WriteError::from(e).message(lang)),
                        ],
                    ));
                    return false;
                }
            }
            written.push(path.display().to_string());
        }
        if let Some(z) = &zones_path {
            self.recent.push(z.clone(), parcels_path.clone());
        }
        self.state.zones_path = zones_path;
        self.state.parcels_path = parcels_path;
        self.state.history.mark_saved();
        self.state.restart_journal();
        let what = if written.is_empty() {
            self.state.files_label()
        } else {
            written.join(", ")
        };
        self.state.info(trf(lang, Key::Saved, &[("what", &what)]));
        true
    }

    /// Takes what the last run remembered (recent files, the language chosen in the View menu);
    /// without a remembered language, `locale`'s (see [`crate::i18n::system_lang`]).
    pub fn restore(&mut self, storage: Option<&dyn eframe::Storage>, locale: Lang) {
        self.state.lang = locale;
        let Some(storage) = storage else { return };
        if let Some(recent) = eframe::get_value::<Recent>(storage, RECENT_KEY) {
            self.recent = recent;
        }
        if let Some(lang) = eframe::get_value::<Lang>(storage, LANG_KEY) {
            self.state.lang = lang;
        }
    }

    /// Switches the interface language (remembered between runs through eframe's storage).
    pub fn set_lang(&mut self, lang: Lang) {
        self.state.lang = lang;
    }

    /// Selects a feature as a click would (tests, scripting).
    pub fn select(&mut self, s: Option<Selection>) {
        self.state.selection = s;
    }
}

/// The presentation layout: a title, the map with its legend and the key figures (and, on
/// screen, how to leave). Also what a slide exported as PNG shows.
pub fn presentation(
    ui: &mut Ui,
    state: &mut AppState,
    map: &mut MapMemory,
    on_screen: bool,
) -> Vec<Action> {
    let lang = state.lang;
    egui::Panel::top("presentation_title").show(ui, |ui| {
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(panels::dashboard::title(state))
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
                panels::dashboard::key_figures(ui, state, 34.0);
            });
        });
    let mut actions = Vec::new();
    egui::CentralPanel::no_frame().show(ui, |ui| {
        actions = MapView::new(state, map).show(ui);
    });
    actions
}

impl eframe::App for ZoneAtlasApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, RECENT_KEY, &self.recent);
        eframe::set_value(storage, LANG_KEY, &self.state.lang);
    }
}
