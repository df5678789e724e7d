//! The session: the user's work. The data, the undo history, the files it came from (with
//! their stamps on disk) and the recovery journal: everything that must be saved or
//! recovered. Every change to the data goes through [`Session::apply`], [`Session::undo`] or
//! [`Session::redo`], which keep the history and the journal in step with the data.
//!
//! - [`edit`] — the one object for a change to the data;
//! - [`history`] — what was done, to undo it;
//! - [`recovery`] — the journal of unsaved edits, kept on disk and restored after a crash.
//!
//! The session knows no language and draws nothing: the shell says what happened.

pub mod edit;
pub mod history;
pub mod recovery;

use serde_json::Value;
use std::path::PathBuf;

use crate::engine::dataset::Dataset;
use crate::engine::model::LayerKind;
use crate::engine::saving::{FileStamp, Journal};

use self::edit::Edit;
use self::history::History;

/// The user's work.
pub struct Session {
    pub ds: Dataset,
    pub history: History,
    /// Where the data came from (`None`: the built-in sample, or never saved).
    pub zones_path: Option<PathBuf>,
    pub parcels_path: Option<PathBuf>,
    /// The files as read or last saved, to notice another program's changes before a save.
    pub zones_stamp: Option<FileStamp>,
    pub parcels_stamp: Option<FileStamp>,
    /// The edits not yet saved, as journaled to the recovery file.
    pub journal: Journal,
    /// Where the recovery file is kept (`None`: no recovery file, as in tests that do not ask).
    pub recovery_dir: Option<PathBuf>,
    /// The recovery file could not be written last time (said once, not at every edit).
    journal_failing: bool,
    /// A failure to write the recovery file, not yet told to the user.
    journal_failure: Option<std::io::Error>,
    /// Bumped whenever a figure may have changed (edit, undo, load): caches key on it.
    pub generation: u64,
    /// Bumped when new data is loaded (geometry caches key on it).
    pub data_generation: u64,
}

impl Session {
    /// A session over data that has no file yet (Save asks where).
    pub fn new(ds: Dataset) -> Session {
        Session {
            ds,
            history: History::default(),
            zones_path: None,
            parcels_path: None,
            zones_stamp: None,
            parcels_stamp: None,
            journal: Journal::new(None, None, None, None),
            recovery_dir: None,
            journal_failing: false,
            journal_failure: None,
            generation: 1,
            data_generation: 1,
        }
    }

    /// New data (files opened): the history and the journal start afresh.
    pub fn replace(
        &mut self,
        ds: Dataset,
        paths: (Option<PathBuf>, Option<PathBuf>),
        stamps: (Option<FileStamp>, Option<FileStamp>),
    ) {
        self.ds = ds;
        (self.zones_path, self.parcels_path) = paths;
        (self.zones_stamp, self.parcels_stamp) = stamps;
        self.history = History::default();
        self.generation += 1;
        self.data_generation += 1;
        self.restart_journal();
    }

    /// The data is now in these files, as they are on disk now (after Save, or when the data
    /// was read from them).
    pub fn saved_as(&mut self, zones_path: Option<PathBuf>, parcels_path: Option<PathBuf>) {
        self.zones_path = zones_path;
        self.parcels_path = parcels_path;
        self.history.mark_saved();
        self.restart_journal();
    }

    /// Makes an edit: sets each value through the engine (every figure follows), records it
    /// for undo and journals it. Changes that would leave a value as it is are left out.
    /// Returns false when nothing changed.
    pub fn apply(&mut self, edit: Edit) -> bool {
        let mut made = Edit {
            changes: Vec::new(),
            what: edit.what,
        };
        let mut before = Vec::new();
        for change in edit.changes {
            let old = self.property(change.layer, change.feature, &change.key);
            if old == change.value {
                continue;
            }
            self.set(
                change.layer,
                change.feature,
                &change.key,
                change.value.clone(),
            );
            before.push(old);
            made.changes.push(change);
        }
        if made.changes.is_empty() {
            return false;
        }
        self.journal_changes(&made, &before, true);
        self.history.push(made, before);
        self.store_journal_if_changed();
        true
    }

    /// Undoes the last edit (its changes, the last first). Returns what it was.
    pub fn undo(&mut self) -> Option<String> {
        let made = self.history.undo()?.clone();
        for (c, before) in made.edit.changes.iter().zip(&made.before).rev() {
            self.set(c.layer, c.feature, &c.key, before.clone());
        }
        self.journal_changes(&made.edit, &made.before, false);
        self.store_journal_if_changed();
        Some(made.edit.what)
    }

    /// Makes the last undone edit again. Returns what it was.
    pub fn redo(&mut self) -> Option<String> {
        let made = self.history.redo()?.clone();
        for c in &made.edit.changes {
            self.set(c.layer, c.feature, &c.key, c.value.clone());
        }
        self.journal_changes(&made.edit, &made.before, true);
        self.store_journal_if_changed();
        Some(made.edit.what)
    }

    /// Sets (or removes) a property through the engine so that every figure follows.
    fn set(&mut self, layer: LayerKind, feature: usize, key: &str, value: Option<Value>) {
        match layer {
            LayerKind::Zones => {
                self.ds.set_zone_property(feature, key, value);
            }
            LayerKind::Parcels => {
                self.ds.set_parcel_property(feature, key, value);
            }
        }
        self.generation += 1;
    }

    /// A property of a feature as it is now.
    pub fn property(&self, layer: LayerKind, feature: usize, key: &str) -> Option<Value> {
        let doc = match layer {
            LayerKind::Zones => &self.ds.zones.doc,
            LayerKind::Parcels => &self.ds.parcels.as_ref()?.doc,
        };
        doc.properties(feature)
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// The name people know a zone by.
    pub fn zone_name(&self, z: usize) -> &str {
        &self.ds.zones.items[z].name
    }

    /// The files' names as the title bar shows them ("zones.geojson + parcels.geojson");
    /// `None` for data from no file (the built-in sample).
    pub fn file_names(&self) -> Option<String> {
        file_names(&self.zones_path, &self.parcels_path)
    }
}

/// "zones.geojson + parcels.geojson", "zones.geojson", or `None` without a zones file.
pub fn file_names(zones: &Option<PathBuf>, parcels: &Option<PathBuf>) -> Option<String> {
    let name = |p: &Option<PathBuf>| {
        p.as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
    };
    match (name(zones), name(parcels)) {
        (Some(z), Some(p)) => Some(format!("{z} + {p}")),
        (z, _) => z,
    }
}
