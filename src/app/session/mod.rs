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
pub mod shared;

use serde_json::Value;
use std::path::PathBuf;

use crate::engine::dataset::Dataset;
use crate::engine::edit::Op;
use crate::engine::model::LayerKind;
use crate::engine::saving::{FileStamp, Journal};

use self::edit::Edit;
use self::history::{History, Made};

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
    /// The features whose shape an edit changed (reshaped, deleted, restored), in order, since
    /// new data was loaded; an insertion adds `(layer, None)`. The map's caches follow it
    /// feature by feature instead of building everything again.
    pub reshaped: Vec<(LayerKind, Option<usize>)>,
    /// The shared board the data is (`None`: files, or the built-in sample).
    pub shared: Option<shared::Shared>,
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
            reshaped: Vec::new(),
            shared: None,
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
        self.shared = None;
        (self.zones_path, self.parcels_path) = paths;
        (self.zones_stamp, self.parcels_stamp) = stamps;
        self.history = History::default();
        self.new_data();
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

    /// Makes an edit: each operation through the engine (every figure follows), recorded for
    /// undo and journaled. A property set to the value it has is left out. Returns false when
    /// nothing changed, or when an operation cannot apply (then nothing of the edit is made).
    pub fn apply(&mut self, edit: Edit) -> bool {
        let mut made = Vec::new();
        let mut inverses = Vec::new();
        for op in edit.ops {
            if let Op::Set {
                layer,
                feature,
                key,
                value,
            } = &op
                && self.property(*layer, *feature, key) == *value
            {
                continue;
            }
            match self.ds.apply(&op) {
                Ok(inverse) => {
                    made.push(op);
                    inverses.push(inverse);
                }
                Err(_) => {
                    self.run(inverses.into_iter().rev().collect());
                    return false;
                }
            }
        }
        if made.is_empty() {
            return false;
        }
        self.changed(&made);
        let first = self.journal.entries.len();
        self.journal_ops(&made, &inverses, None, &edit.what);
        let sent = self.mark_edit(first);
        inverses.reverse();
        self.history.push(
            Edit {
                ops: made,
                what: edit.what,
            },
            inverses,
            sent,
        );
        self.store_journal_if_changed();
        true
    }

    /// Undoes the last edit (its operations back, the last first). Returns what it was.
    pub fn undo(&mut self) -> Option<String> {
        let made = self.history.take_done()?;
        let (redo, sent) = self.run_journaled(&made.undo, &made.edit.ops, &made);
        let what = made.edit.what.clone();
        self.history.undone(made, redo, sent);
        self.store_journal_if_changed();
        Some(what)
    }

    /// Makes the last undone edit again. Returns what it was.
    pub fn redo(&mut self) -> Option<String> {
        let made = self.history.take_undone()?;
        let (undo, sent) = self.run_journaled(&made.edit.ops, &made.undo, &made);
        let what = made.edit.what.clone();
        self.history.redone(made, undo, sent);
        self.store_journal_if_changed();
        Some(what)
    }

    /// Runs the operations that undo or redo an edit, `taken_back` (they apply: each is the
    /// inverse of one of `made_on`, the operations they take back, in reverse order);
    /// journals them, each made against what `taken_back` left, and returns the operations
    /// that take them back, in the order to run those, with the edit's number on a shared
    /// board.
    fn run_journaled(&mut self, ops: &[Op], made_on: &[Op], taken_back: &Made) -> (Vec<Op>, u64) {
        let back = self.run(ops.to_vec());
        let inverses: Vec<Op> = back.iter().rev().cloned().collect();
        self.changed(ops);
        let first = self.journal.entries.len();
        self.journal_ops(
            ops,
            &inverses,
            Some((made_on, taken_back)),
            &taken_back.edit.what,
        );
        let sent = self.mark_edit(first);
        (back, sent)
    }

    /// Runs operations in order; returns their inverses, the last first.
    fn run(&mut self, ops: Vec<Op>) -> Vec<Op> {
        let mut back: Vec<Op> = ops.iter().filter_map(|op| self.ds.apply(op).ok()).collect();
        back.reverse();
        back
    }

    /// Figures may have changed; a geometry, an insertion or a deletion also changes what the
    /// map draws, for the features it names.
    fn changed(&mut self, ops: &[Op]) {
        self.generation += 1;
        for op in ops {
            match op {
                Op::Set { .. } => {}
                Op::Insert { layer, .. } => self.reshaped.push((*layer, None)),
                Op::Geometry { layer, feature, .. }
                | Op::Delete { layer, feature }
                | Op::Restore { layer, feature } => self.reshaped.push((*layer, Some(*feature))),
            }
        }
    }

    /// New data: what the caches knew is gone whole.
    fn new_data(&mut self) {
        self.generation += 1;
        self.data_generation += 1;
        self.reshaped.clear();
    }

    /// After a save: when features were added or deleted, the data is read again from the
    /// texts just saved (`(layer, path, text)` of each file written), so that features are
    /// numbered as in the files on disk, which the recovery journal's steps name them by;
    /// the undo history starts again (it named the old numbers). Returns whether it did.
    pub fn renumber(&mut self, saved: Vec<(LayerKind, PathBuf, String)>) -> bool {
        let structural =
            |d: &crate::engine::geojson::Document| !d.added.is_empty() || !d.deleted.is_empty();
        if !structural(&self.ds.zones.doc)
            && !self.ds.parcels.as_ref().is_some_and(|p| structural(&p.doc))
        {
            return false;
        }
        let mut zones = self.ds.zones.doc.clone();
        let mut parcels = self.ds.parcels.as_ref().map(|p| p.doc.clone());
        for (layer, path, text) in saved {
            let Ok(mut doc) = crate::engine::geojson::Document::parse(&path, text.into_bytes())
            else {
                continue;
            };
            // A GeoPackage's layer read back after saving stays a GeoPackage (saved in place).
            doc.format = crate::engine::source::Format::of(&path);
            match layer {
                LayerKind::Zones => zones = doc,
                LayerKind::Parcels => parcels = Some(doc),
            }
        }
        self.ds = Dataset::new(zones, parcels);
        self.history = History::default();
        self.new_data();
        self.restart_journal();
        true
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
    use super::*;
    use crate::app::sample::sample_dataset;
    use crate::engine::script::Step;

    fn zone_change(key: &str, value: Option<Value>) -> Op {
        Op::Set {
            layer: LayerKind::Zones,
            feature: 0,
            key: key.to_string(),
            value,
        }
    }

    /// A journal entry's property and the value it sets (`None`: removes).
    fn key_value(step: &Step) -> (&str, Option<Value>) {
        match step {
            Step::Set { key, value, .. } => (key.as_str(), Some(value.clone())),
            Step::Unset { key, .. } => (key.as_str(), None),
            other => panic!("not a property change: {other:?}"),
        }
    }

    #[test]
    fn an_edit_that_changes_nothing_is_not_recorded() {
        let mut s = Session::new(sample_dataset());
        let now = s.property(LayerKind::Zones, 0, "name");
        let generation = s.generation;
        assert!(!s.apply(Edit {
            ops: vec![zone_change("name", now), zone_change("no_such_key", None)],
            what: "nothing".into(),
        }));
        assert!(s.history.is_empty() && !s.history.is_dirty());
        assert!(s.journal.entries.is_empty());
        assert_eq!(s.generation, generation, "no figure can have changed");
    }

    fn edit_of_three() -> Edit {
        Edit {
            ops: vec![
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
            .map(|e| key_value(&e.step))
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
            .map(|e| key_value(&e.step))
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
    fn a_board_journal_step_made_against_a_row_version_since_moved_on_is_left_out() {
        use crate::engine::saving::JournalEntry;
        use crate::engine::script::LayerName;
        use crate::engine::store::Rows;
        use crate::engine::store::schema::BoardName;
        let ds = sample_dataset();
        let rows = |n: usize, version: u64| Rows {
            fid: (0..n as i64).collect(),
            version: vec![version; n],
        };
        let zones = rows(ds.zones.len(), 3);
        let parcels = ds.parcels.as_ref().map(|p| rows(p.len(), 1));
        let mut s = Session::new(sample_dataset());
        s.open_board(
            ds,
            "postgres://lan@127.0.0.1/kcn".into(),
            BoardName::new("Bắc Ninh").unwrap(),
            &zones,
            parcels.as_ref(),
        );
        // Zone 1's shape given to zone 0, made on row version 2 (gone by) and on 3 (now).
        let shape = s.ds.zones.doc.geometry_json(1).unwrap().to_string();
        let reshape = |version: u64| {
            let mut e = JournalEntry::new(
                Step::Reshape {
                    layer: LayerName::Zones,
                    id: None,
                    at: Some(1),
                    geometry: None,
                    raw: Some(shape.clone()),
                    version: Some(version),
                },
                "shape",
            );
            e.fid = Some(0);
            e
        };
        let mut journal = s.journal.clone();
        journal.entries = vec![reshape(2), reshape(3)];
        let done = s.restore(&journal);
        assert_eq!(
            done,
            recovery::Restored {
                applied: 1,
                skipped: 1
            }
        );
        assert_eq!(s.ds.zones.doc.geometry_json(0), Some(shape.as_str()));
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
