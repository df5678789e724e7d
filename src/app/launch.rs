//! Starting: the window's options, the first data (the built-in sample, or the files named on
//! the command line, loaded in the background; or data from files already read), the recovery
//! folder and the offer of what a crashed window left there, and what is remembered between
//! runs (recent files, the language, the basemap, the reference layers).

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use crate::engine::saving::{FileStamp, Journal};
use crate::i18n::Lang;

use super::ZoneAtlasApp;
use super::dialogs::NativeDialogs;
use super::files::Recent;
use super::files::loading::{LoadJob, LoadRequest};
use super::files::reference::Remembered;
use super::fonts;
use super::map::basemap::{BasemapEnv, Source};
use super::sample::{empty_dataset, sample_dataset};
use crate::i18n;

const RECENT_KEY: &str = "zoneatlas.recent";
const LANG_KEY: &str = "zoneatlas.lang";
const BASEMAP_KEY: &str = "zoneatlas.basemap";
const REFERENCE_KEY: &str = "zoneatlas.reference";

/// The basemap as remembered between runs.
#[derive(serde::Serialize, serde::Deserialize)]
struct BasemapChoice {
    source: Source,
    opacity: f32,
    /// Shown (an older run's choice, without it, was).
    #[serde(default = "shown")]
    shown: bool,
}

fn shown() -> bool {
    true
}

/// Opens the window: on the built-in sample, or on the given files, or on a shared board
/// (`zones` a database URL, `board` its name), loaded in the background, with `references` as
/// reference layers besides those of the last run. `started`: when the process started, for
/// the timings line (`ZONEATLAS_TIMINGS`).
pub fn run(
    zones: Option<PathBuf>,
    parcels: Option<PathBuf>,
    board: Option<String>,
    basemap: Option<Source>,
    references: Vec<PathBuf>,
    started: std::time::Instant,
) -> eframe::Result {
    // The files start loading now, while the window and its graphics are being made (a few
    // hundred milliseconds); the window is woken by the load once it exists.
    let window: Arc<OnceLock<egui::Context>> = Arc::default();
    let snapshots = cache_dir().map(|d| d.join("open-files"));
    let load = zones.map(|zones| {
        let window = window.clone();
        let wake = move || {
            if let Some(ctx) = window.get() {
                ctx.request_repaint();
            }
        };
        // A database URL in place of the zones file opens a shared board.
        let request = match zones.to_str().filter(|z| crate::engine::store::is_url(z)) {
            Some(url) => LoadRequest::Board {
                url: url.to_string(),
                board,
                uids: Vec::new(),
            },
            None => LoadRequest::Files { zones, parcels },
        };
        LoadJob::start(request, None, snapshots.clone(), wake)
    });
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
            let _ = window.set(cc.egui_ctx.clone());
            let dialogs = Box::new(NativeDialogs::default());
            let mut app = match &load {
                Some(_) => ZoneAtlasApp::new(empty_dataset(), dialogs),
                None => ZoneAtlasApp::new(sample_dataset(), dialogs),
            };
            // The basemap: `--basemap`, else the one chosen last, else OpenStreetMap. Its
            // tiles are fetched on worker threads once the map first asks for them: without
            // a network the window starts as fast, and says so once.
            app.map.basemap.env = BasemapEnv::from_environment();
            app.restore(cc.storage, i18n::system_lang());
            let remembered = cc
                .storage
                .and_then(|s| eframe::get_value::<BasemapChoice>(s, BASEMAP_KEY))
                .is_some();
            match basemap {
                Some(source) => app.set_basemap(source),
                None if !remembered => app.set_basemap(Source::Osm),
                None => {}
            }
            let given = references
                .into_iter()
                .map(|path| super::files::reference::Remembered {
                    path,
                    system: None,
                    visible: true,
                    opacity: 1.0,
                    color: None,
                });
            app.queue_references(given.collect(), false);
            if let Some(dir) = recovery_dir() {
                app = app.with_recovery_dir(dir);
            }
            if let Some(dir) = snapshots {
                app = app.with_snapshot_dir(dir);
            }
            if std::env::var_os("ZONEATLAS_TIMINGS").is_some() {
                app.ready = Some(super::Ready {
                    since: started,
                    loaded: false,
                });
            }
            if let Some(job) = load {
                app.loading(job);
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

/// The app's cache folder: `$XDG_CACHE_HOME/zoneatlas`, else `~/.cache/zoneatlas` (on disk, where
/// /tmp may be memory); `None` on other systems, where files are read into memory.
fn cache_dir() -> Option<PathBuf> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::home_dir().map(|h| h.join(".cache")))
        .map(|d| d.join("zoneatlas"))
}

impl ZoneAtlasApp {
    /// Reads the files it opens from private copies made in `dir` (see
    /// [`files::loading`](super::files::loading)), so that other programs can rewrite them
    /// while they are open.
    pub fn with_snapshot_dir(mut self, dir: PathBuf) -> Self {
        self.snapshot_dir = Some(dir);
        self
    }

    /// Keeps unsaved edits in a recovery file in `dir`, and offers to restore those a window
    /// that ended unexpectedly left there.
    pub fn with_recovery_dir(mut self, dir: PathBuf) -> Self {
        self.questions.recovery = Journal::left_behind(&dir).into_iter().next();
        self.session.keep_recovery_in(dir);
        self
    }

    /// Says which files the data came from, as they are on disk now (Save writes back to them,
    /// and asks first if they change meanwhile).
    pub fn with_paths(mut self, zones: Option<PathBuf>, parcels: Option<PathBuf>) -> Self {
        let stamp = |p: &Option<PathBuf>| p.as_deref().and_then(|p| FileStamp::of(p).ok()?);
        self.session.zones_stamp = stamp(&zones);
        self.session.parcels_stamp = stamp(&parcels);
        self.session.saved_as(zones, parcels);
        self
    }

    /// Takes what the last run remembered (recent files, the language and the basemap chosen in
    /// the View menu);
    /// without a remembered language, `locale`'s (see [`i18n::system_lang`]).
    pub fn restore(&mut self, storage: Option<&dyn eframe::Storage>, locale: Lang) {
        self.view.lang = locale;
        let Some(storage) = storage else { return };
        if let Some(recent) = eframe::get_value::<Recent>(storage, RECENT_KEY) {
            self.recent = recent;
        }
        if let Some(lang) = eframe::get_value::<Lang>(storage, LANG_KEY) {
            self.view.lang = lang;
        }
        if let Some(choice) = eframe::get_value::<BasemapChoice>(storage, BASEMAP_KEY) {
            self.map.basemap.opacity = choice.opacity.clamp(0.0, 1.0);
            self.map.basemap.shown = choice.shown;
            self.set_basemap(choice.source);
        }
        // Read again once the window is there (the files may have changed since).
        if let Some(layers) = eframe::get_value::<Vec<Remembered>>(storage, REFERENCE_KEY) {
            self.queue_references(layers, true);
        }
    }

    /// Keeps what the next run starts with.
    pub(super) fn remember(&self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, RECENT_KEY, &self.recent);
        eframe::set_value(storage, LANG_KEY, &self.view.lang);
        let basemap = BasemapChoice {
            source: self.map.basemap.source().clone(),
            opacity: self.map.basemap.opacity,
            shown: self.map.basemap.shown,
        };
        eframe::set_value(storage, BASEMAP_KEY, &basemap);
        eframe::set_value(storage, REFERENCE_KEY, &self.remembered_references());
    }
}
