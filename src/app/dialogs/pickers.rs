//! Which file: the system's file dialogs behind [`FileDialogs`], so that tests never open one
//! ([`TestDialogs`] answers from a script).

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// What a file dialog is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// Any file of zones or lots ZoneAtlas opens.
    Features,
    GeoJson,
    Csv,
    Markdown,
    Xlsx,
    Pdf,
    /// Where Save As writes: GeoJSON, or a GeoPackage (both layers in one file).
    Saved,
    /// A table of values: an Excel workbook or a CSV.
    Table,
    Png,
    /// A basemap's tiles in one SQLite file.
    MbTiles,
}

impl FileKind {
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Self::Features => crate::engine::source::OPENED_EXTENSIONS,
            Self::Table => &["xlsx", "csv"],
            Self::GeoJson => &["geojson", "json"],
            Self::Csv => &["csv"],
            Self::Markdown => &["md"],
            Self::Xlsx => &["xlsx"],
            Self::Pdf => &["pdf"],
            Self::Saved => &["geojson", "json", "gpkg"],
            Self::Png => &["png"],
            Self::MbTiles => &["mbtiles"],
        }
    }
}

/// The file dialogs the app uses. [`NativeDialogs`] opens the system's; tests use
/// [`TestDialogs`].
pub trait FileDialogs {
    /// Asks for a file to open; `None` when cancelled.
    fn pick_file(&mut self, title: &str, kind: FileKind, filter_name: &str) -> Option<PathBuf>;
    /// Asks where to save; `None` when cancelled.
    fn save_file(
        &mut self,
        title: &str,
        kind: FileKind,
        filter_name: &str,
        default_name: &str,
    ) -> Option<PathBuf>;
}

/// The system's dialogs, through rfd.
#[derive(Default)]
pub struct NativeDialogs {
    last_dir: Option<PathBuf>,
}

impl NativeDialogs {
    fn dialog(&self, title: &str, kind: FileKind, filter_name: &str) -> rfd::FileDialog {
        let mut d = rfd::FileDialog::new()
            .set_title(title)
            .add_filter(filter_name, kind.extensions());
        if let Some(dir) = &self.last_dir {
            d = d.set_directory(dir);
        }
        d
    }

    fn remember(&mut self, p: &Option<PathBuf>) {
        if let Some(dir) = p.as_ref().and_then(|p| p.parent()) {
            self.last_dir = Some(dir.to_path_buf());
        }
    }
}

impl FileDialogs for NativeDialogs {
    fn pick_file(&mut self, title: &str, kind: FileKind, filter_name: &str) -> Option<PathBuf> {
        let p = self.dialog(title, kind, filter_name).pick_file();
        self.remember(&p);
        p
    }

    fn save_file(
        &mut self,
        title: &str,
        kind: FileKind,
        filter_name: &str,
        default_name: &str,
    ) -> Option<PathBuf> {
        let p = self
            .dialog(title, kind, filter_name)
            .set_file_name(default_name)
            .save_file();
        self.remember(&p);
        p
    }
}

/// Scripted answers for tests: each dialog takes the next answer (`None` = cancelled) and
/// records its title. Clones share the queue, so a test keeps one and gives the app the other.
#[derive(Clone, Default)]
pub struct TestDialogs {
    answers: Arc<Mutex<VecDeque<Option<PathBuf>>>>,
    asked: Arc<Mutex<Vec<String>>>,
}

impl TestDialogs {
    pub fn new() -> Self {
        Self::default()
    }

    /// The next dialog answers with `path` (`None`: the user cancels).
    pub fn answer(&self, path: Option<PathBuf>) {
        self.answers.lock().expect("lock").push_back(path);
    }

    /// Titles of the dialogs shown so far.
    pub fn asked(&self) -> Vec<String> {
        self.asked.lock().expect("lock").clone()
    }

    fn next(&self, title: &str) -> Option<PathBuf> {
        self.asked.lock().expect("lock").push(title.to_string());
        self.answers.lock().expect("lock").pop_front().flatten()
    }
}

impl FileDialogs for TestDialogs {
    fn pick_file(&mut self, title: &str, _: FileKind, _: &str) -> Option<PathBuf> {
        self.next(title)
    }

    fn save_file(&mut self, title: &str, _: FileKind, _: &str, _: &str) -> Option<PathBuf> {
        self.next(title)
    }
}
