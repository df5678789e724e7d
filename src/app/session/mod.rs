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
    /// Writes the recovery file (from the first write on).
    journal_writer: Option<recovery::JournalWriter>,
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
            journal_writer: None,
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

#[cfg(test)]
mod tests {
    use super::edit::Change;
    use super::*;
    use crate::app::sample::sample_dataset;

    fn zone_change(key: &str, value: Option<Value>) -> Change {
        Change {
            layer: LayerKind::Zones,
            feature: 0,
            key: key.to_string(),
            value,
        }
    }

    #[test]
    fn an_edit_that_changes_nothing_is_not_recorded() {
        let mut s = Session::new(sample_dataset());
        let now = s.property(LayerKind::Zones, 0, "name");
        let generation = s.generation;
        assert!(!s.apply(Edit {
            changes: vec![zone_change("name", now), zone_change("no_such_key", None)],
            what: "nothing".into(),
        }));
        assert!(s.history.is_empty() && !s.history.is_dirty());
        assert!(s.journal.entries.is_empty());
        assert_eq!(s.generation, generation, "no figure can have changed");
    }

    fn edit_of_three() -> Edit {
        Edit {
            changes: vec![
                zone_change("notes", Some(Value::from("a"))),
                zone_change("phase", Some(Value::from("2"))),
                // The same property twice: the second value wins, and undo goes back to the
                // value before the first.
                zone_change("notes", Some(Value::from("b"))),
            ],
            what: "three values".into(),
        }
    }

    #[test]
    fn an_edit_of_several_values_is_undone_as_one_and_journaled_back_last_first() {
        let mut s = Session::new(sample_dataset());
        let before = s.property(LayerKind::Zones, 0, "notes");
        assert!(s.apply(edit_of_three()));
        assert_eq!(s.history.len(), 1);
        assert_eq!(s.history.undo_label(), Some("three values"));
        assert_eq!(
            s.property(LayerKind::Zones, 0, "notes"),
            Some(Value::from("b"))
        );
        assert_eq!(s.journal.entries.len(), 3);

        assert_eq!(s.undo().as_deref(), Some("three values"));
        assert_eq!(s.property(LayerKind::Zones, 0, "notes"), before);
        assert_eq!(s.property(LayerKind::Zones, 0, "phase"), None);
        assert!(!s.history.is_dirty());
        // Back at the saved state: nothing to recover.
        assert!(s.journal.entries.is_empty());

        assert_eq!(s.redo().as_deref(), Some("three values"));
        let keys: Vec<(&str, Option<Value>)> = s
            .journal
            .entries
            .iter()
            .map(|e| (e.key.as_str(), e.after.clone()))
            .collect();
        assert_eq!(
            keys,
            [
                ("notes", Some(Value::from("a"))),
                ("phase", Some(Value::from("2"))),
                ("notes", Some(Value::from("b")))
            ]
        );
        // After an earlier edit, undoing leaves edits unsaved: the undo is journaled as the
        // changes back, the last first.
        let mut s = Session::new(sample_dataset());
        s.apply(Edit::one(
            LayerKind::Zones,
            0,
            "phase",
            Some(Value::from(1)),
            "p",
        ));
        s.apply(edit_of_three());
        s.undo();
        let back: Vec<(&str, Option<Value>)> = s
            .journal
            .entries
            .iter()
            .skip(4)
            .map(|e| (e.key.as_str(), e.after.clone()))
            .collect();
        assert_eq!(
            back,
            [
                ("notes", Some(Value::from("a"))),
                ("phase", Some(Value::from(1))),
                ("notes", before)
            ]
        );
        s.apply(Edit::one(
            LayerKind::Zones,
            0,
            "phase",
            Some(Value::from(3)),
            "p",
        ));
        assert_eq!(s.redo(), None, "a new edit leaves nothing to redo");
    }

    #[test]
    fn a_recovery_file_that_cannot_be_written_is_said_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        // A file where the recovery folder should be: nothing can be written under it.
        let blocked = dir.path().join("recovery");
        std::fs::write(&blocked, "not a folder").expect("write");
        let mut s = Session::new(sample_dataset());
        s.keep_recovery_in(blocked.clone());
        let edit = |v: u64| Edit::one(LayerKind::Zones, 0, "phase", Some(Value::from(v)), "p");
        s.apply(edit(1));
        s.flush_journal();
        assert!(s.take_journal_failure().is_some());
        s.apply(edit(2));
        s.flush_journal();
        assert!(s.take_journal_failure().is_none(), "said once");
        // Once it can be written again, a new failure is said again.
        std::fs::remove_file(&blocked).expect("remove");
        s.apply(edit(3));
        s.flush_journal();
        assert!(s.take_journal_failure().is_none());
        assert!(Journal::path_in(&blocked).exists());
        std::fs::remove_dir_all(&blocked).expect("remove");
        std::fs::write(&blocked, "not a folder").expect("write");
        s.apply(edit(4));
        s.flush_journal();
        assert!(s.take_journal_failure().is_some());
    }
}
