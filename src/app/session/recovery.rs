//! The recovery journal: every change made, undone or redone since the last save, written to
//! a file after each edit (removed when nothing is unsaved), so that a window that ends
//! unexpectedly loses nothing; and the journal a crashed window left behind, restored as edits.

use serde_json::Value;
use std::path::PathBuf;

use crate::engine::saving::{Journal, JournalEntry};

use super::Session;
use super::edit::Edit;

/// What restoring a journal did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Restored {
    pub applied: usize,
    /// Entries the files no longer fit (changed since), left out.
    pub skipped: usize,
}

impl Session {
    /// Keeps the recovery file in `dir` from now on.
    pub fn keep_recovery_in(&mut self, dir: PathBuf) {
        self.recovery_dir = Some(dir);
    }

    /// The journal starts afresh from the files as they are now (after loading or saving).
    pub fn restart_journal(&mut self) {
        self.journal = Journal::new(
            self.zones_path.clone(),
            self.parcels_path.clone(),
            self.zones_stamp,
            self.parcels_stamp,
        );
        self.store_journal();
    }

    /// Nothing is left to recover (the user quit past "unsaved changes?").
    pub fn discard_journal(&mut self) {
        self.journal.entries.clear();
        self.store_journal();
    }

    /// Restores a crashed window's journal on the data now open (the same files, just read):
    /// each entry that still fits becomes an edit of its own, in order, each on the result of
    /// the last.
    pub fn restore(&mut self, journal: &Journal) -> Restored {
        let mut done = Restored {
            applied: 0,
            skipped: 0,
        };
        for e in &journal.entries {
            match e.layer_kind() {
                Some(layer) if e.fits(&self.ds) => {
                    self.apply(Edit::one(
                        layer,
                        e.feature,
                        &e.key,
                        e.after.clone(),
                        &e.what,
                    ));
                    done.applied += 1;
                }
                _ => done.skipped += 1,
            }
        }
        done
    }

    /// A failure to write the recovery file since the last call, said once however many
    /// edits fail after it.
    pub fn take_journal_failure(&mut self) -> Option<std::io::Error> {
        self.journal_failure.take()
    }

    /// Records an edit's changes in the journal: made (`forward`), or undone (the changes
    /// back, the last first).
    pub(super) fn journal_changes(&mut self, edit: &Edit, before: &[Option<Value>], forward: bool) {
        let entry = |(c, b): (&super::edit::Change, &Option<Value>)| {
            let (before, after) = if forward {
                (b.clone(), c.value.clone())
            } else {
                (c.value.clone(), b.clone())
            };
            JournalEntry {
                layer: c.layer.code().to_string(),
                feature: c.feature,
                key: c.key.clone(),
                before,
                after,
                what: edit.what.clone(),
            }
        };
        let pairs = edit.changes.iter().zip(before);
        if forward {
            self.journal.entries.extend(pairs.map(entry));
        } else {
            self.journal.entries.extend(pairs.rev().map(entry));
        }
    }

    /// Writes the journal out after an edit, an undo or a redo. When the data is back to the
    /// saved state (undone to it), there is nothing to recover.
    pub(super) fn store_journal_if_changed(&mut self) {
        if !self.history.is_dirty() {
            self.journal.entries.clear();
        }
        self.store_journal();
    }

    /// Writes the recovery file (removes it when nothing is unsaved).
    fn store_journal(&mut self) {
        let Some(dir) = &self.recovery_dir else {
            return;
        };
        match self.journal.store(dir) {
            Ok(()) => self.journal_failing = false,
            Err(e) if !self.journal_failing => {
                self.journal_failing = true;
                self.journal_failure = Some(e);
            }
            Err(_) => {}
        }
    }
}
