//! The desktop app: an interactive zone map, the zone table, the inspector with undoable
//! edits, the findings, and opening, saving and exporting files; for meetings, a dashboard,
//! presentation mode (F11), the data as of a date and slides as PNG, in Vietnamese or English.
//! It shows and edits what the [`engine`](crate::engine) computes, and computes no figure itself.
//!
//! Its layers, each looking only down at those before it:
//! - [`session`] — the store: the user's work (the data, the undo history, the recovery
//!   journal, the files), changed only through its one edit path;
//! - [`view`] — the shared view state: selection, hover, language, message, the date the
//!   figures are shown as of, and the caches of what is derived for the eyes;
//! - [`map`] — the map widget (the renderer) over a memory the shell owns; it returns the
//!   hovered feature and the clicks;
//! - [`panels`] — menus, zone table, inspector, findings, dashboard, status bar, presentation
//!   mode: views over `&mut Ui` that read the session and the view and return [`Action`]s;
//! - [`dialogs`] — the questions: which file, unsaved changes?, changed on disk?, restore?,
//!   which board?, whose value, when someone else changed it?
//!
//! This module is the shell: it owns them, draws a frame ([`window`] or presentation mode,
//! [`input`]) and applies the actions by family ([`files`], [`edit_actions`],
//! [`view_actions`]), and keeps a shared board's link to its database ([`board`]). Also:
//! [`launch`] (starting), [`sample`], [`slide`] (slides rasterised on
//! the CPU), [`crate::i18n`] (every visible string) and [`fonts`].
//!
//! [`ZoneAtlasApp::new`] needs no eframe `CreationContext`, so tests drive the whole window
//! through [`ZoneAtlasApp::show`].

pub mod action;
pub mod background;
pub mod board;
pub mod dialogs;
pub mod edit_actions;
pub mod files;
pub mod fonts;
pub mod input;
pub mod launch;
pub mod map;
pub mod panels;
pub mod sample;
pub mod session;
pub mod slide;
pub mod view;
pub mod view_actions;
pub mod window;

pub use launch::run;
pub use sample::{empty_dataset, sample_dataset};

use egui::{Ui, ViewportCommand};
use std::path::PathBuf;

use crate::engine::dataset::Dataset;
use crate::engine::saving::Journal;

use self::action::{Action, FileAction};
use self::dialogs::{FileDialogs, Questions};
use self::files::Recent;
use self::files::export::PendingShot;
use self::files::loading::LoadJob;
use self::map::MapMemory;
use self::panels::layers::LayersPanel;
use self::panels::zone_table::ZoneTable;
use self::panels::{dashboard::Dashboard, inspector::Inspector, legacy_text::LegacyText};
use self::session::Session;
use self::view::ViewState;
use crate::i18n::{Key, tr, trf};

/// With `ZONEATLAS_TIMINGS`: the line "ready: Z zones, P parcels in X.XX s" on standard error
/// at the end of the frame that first draws loaded files, counted from `since` (the start of
/// the process's `main`). For BENCHMARKS.md.
pub struct Ready {
    pub since: std::time::Instant,
    loaded: bool,
}

/// The window.
pub struct ZoneAtlasApp {
    pub session: Session,
    pub view: ViewState,
    pub map: MapMemory,
    pub table: ZoneTable,
    pub inspector: Inspector,
    /// The dashboard window (View menu).
    pub dashboard: Dashboard,
    /// The notice about values typed in legacy Vietnamese fonts.
    pub legacy_text: LegacyText,
    /// The Layers panel (View menu).
    pub layers_panel: LayersPanel,
    pub recent: Recent,
    pub show_findings: bool,
    /// What the window was last told about full screen (`None`: never).
    pub fullscreen_sent: Option<bool>,
    dialogs: Box<dyn FileDialogs>,
    questions: Questions,
    /// A tenant table being read (File › Import tenant table…).
    import: files::import::TableImport,
    load: Option<LoadJob>,
    /// Reference layers being read.
    references: files::reference::ReferenceLoads,
    /// The threads of a shared board's window (see [`board`]).
    link: Option<board::Link>,
    /// Where files are copied to be read (see [`files::loading`]); `None`: read into memory.
    snapshot_dir: Option<PathBuf>,
    /// The timings line to print when the first loaded files are drawn (see [`Ready`]).
    ready: Option<Ready>,
    /// Edits to replay once the files they belong to have loaded.
    replay: Option<(PathBuf, Journal)>,
    shot: Option<PendingShot>,
    /// Slides, dashboards and zone sheets being drawn on their own threads.
    renders: Vec<files::export::PendingRender>,
    allow_close: bool,
    close_sent: bool,
    title: String,
}

impl ZoneAtlasApp {
    /// The app over a dataset (not from a file: Save asks where).
    pub fn new(ds: Dataset, dialogs: Box<dyn FileDialogs>) -> Self {
        ZoneAtlasApp {
            session: Session::new(ds),
            view: ViewState::default(),
            map: MapMemory::default(),
            table: ZoneTable::default(),
            inspector: Inspector::default(),
            dashboard: Dashboard::default(),
            legacy_text: LegacyText::default(),
            layers_panel: LayersPanel::default(),
            recent: Recent::default(),
            show_findings: true,
            fullscreen_sent: None,
            dialogs,
            questions: Questions::default(),
            import: Default::default(),
            load: None,
            references: Default::default(),
            link: None,
            snapshot_dir: None,
            ready: None,
            replay: None,
            shot: None,
            renders: Vec::new(),
            allow_close: false,
            close_sent: false,
            title: String::new(),
        }
    }

    /// Whether work is under way on other threads: loading (reference layers too), what is
    /// derived from the data (findings, figures on a date, the dashboard's trend and
    /// investors, legacy text), or the basemap's tiles the map shows.
    pub fn is_busy(&self) -> bool {
        self.is_loading()
            || self.references.is_busy()
            || self.view.is_busy()
            || self.dashboard.is_busy()
            || self.legacy_text.is_busy()
            || self.map.cache.is_busy()
            || self.import.is_busy()
            || self.map.basemap.is_incomplete()
            || self.is_rendering()
    }

    /// Waits for the work under way on other threads and takes its results; the next frame
    /// shows them (tests).
    pub fn wait_for_background(&mut self) {
        self.wait_for_load();
        self.wait_for_references();
        self.view.wait_for_background();
        self.dashboard.wait();
        self.legacy_text.wait();
        self.map.cache.wait();
        self.import.wait();
        self.wait_for_renders();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        self.map.basemap.wait_for_visible(deadline);
    }

    /// Whether the app has told the window to close.
    pub fn has_closed(&self) -> bool {
        self.close_sent
    }

    /// "• zones.geojson + parcels.geojson — ZoneAtlas": the dot while edits are unsaved; on a
    /// shared board, "Bắc Ninh · shared (postgres://…) — ZoneAtlas", the dot while edits are
    /// not yet in the board.
    pub fn window_title(&self) -> String {
        let lang = self.view.lang;
        let dirty = if self.session.history.is_dirty() {
            format!("{} ", tr(lang, Key::Dirty))
        } else {
            String::new()
        };
        format!("{dirty}{} — {}", self.files_label(), tr(lang, Key::AppName))
    }

    /// The files the data came from, as the title bar and the messages name them.
    fn files_label(&self) -> String {
        if let Some(shared) = &self.session.shared {
            let board = trf(
                self.view.lang,
                Key::SharedBoard,
                &[("board", &shared.board.name)],
            );
            return format!("{board} ({})", shared.url);
        }
        let sample = || tr(self.view.lang, Key::BuiltInSample).to_string();
        self.session.file_names().unwrap_or_else(sample)
    }

    /// Draws the whole window into `ui` and handles its input: the eframe entry point, and
    /// what tests drive.
    pub fn show(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.poll_load(&ctx);
        self.poll_references(&ctx);
        self.poll_board(&ctx);
        self.poll_screenshot(&ctx);
        self.poll_renders();
        self.poll_import(&ctx);
        let close_requested = ctx.input(|i| i.viewport().close_requested());
        // A shared board's unsent edits are not lost on closing: the journal keeps them and
        // the next start offers to send them.
        if close_requested
            && !self.allow_close
            && self.session.history.is_dirty()
            && !self.session.is_shared()
        {
            ctx.send_viewport_cmd(ViewportCommand::CancelClose);
            self.questions.unsaved = Some(Action::File(FileAction::Quit));
        }
        // While a question is asked, the map behind it takes no keys.
        let asking = self.questions.unsaved.is_some()
            || self.questions.system.is_some()
            || self.questions.open_board.is_some()
            || self.is_asking_about_conflict();
        let mut actions = input::read(&ctx, &self.view, &mut self.map, asking);
        // The map's first: after a load, the lots' R-tree is the first work asked of the
        // background threads.
        self.map.cache.sync(&self.session, &ctx);
        self.view.refresh(&self.session, &ctx);

        if self.view.presenting {
            let (session, view) = (&self.session, &self.view);
            let map_response =
                panels::presentation::presentation(ui, session, view, &mut self.map, true);
            self.view.hover = map_response.hover;
            actions.extend(map_response.actions);
        } else {
            actions.extend(self.working_window(ui));
        }
        self.ask_questions(&ctx, &mut actions);
        for a in actions {
            self.apply(&ctx, a);
        }

        if self.map.basemap.take_offline_notice() {
            self.view
                .info(tr(self.view.lang, Key::BasemapOffline).to_string());
        }
        if let Some(e) = self.session.take_journal_failure() {
            let error = crate::i18n::Message::message(
                &crate::engine::saving::WriteError::from(e),
                self.view.lang,
            );
            let text = trf(self.view.lang, Key::RecoveryFailed, &[("error", &error)]);
            self.view.error(text);
        }
        let title = self.window_title();
        if title != self.title {
            ctx.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        if let Some(ready) = self.ready.take_if(|r| r.loaded) {
            let ds = &self.session.ds;
            eprintln!(
                "ready: {} zones, {} parcels in {:.2} s",
                ds.zones.len(),
                ds.parcels.as_ref().map_or(0, |p| p.len()),
                ready.since.elapsed().as_secs_f64()
            );
        }
    }

    /// Applies one action, by family. An action that would drop unsaved edits asks first.
    pub fn apply(&mut self, ctx: &egui::Context, action: Action) {
        if let Action::File(a) = &action
            && a.drops_edits()
            && self.session.history.is_dirty()
            && !(self.session.is_shared() && *a == FileAction::Quit)
            && !std::mem::take(&mut self.questions.discarded)
        {
            self.questions.unsaved = Some(action);
            return;
        }
        match action {
            Action::File(a) => self.apply_file(ctx, a),
            Action::Edit(a) => self.apply_edit(a),
            Action::View(a) => self.apply_view(ctx, a),
        }
    }
}

impl eframe::App for ZoneAtlasApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.remember(storage);
    }

    /// An export still being drawn is finished and written before the window goes (its map
    /// waits a few seconds at most for tiles), rather than cut off with the process.
    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.wait_for_renders();
    }
}
