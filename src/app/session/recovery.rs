//! The recovery journal: every change made, undone or redone since the last save, written to
//! a file after each edit (removed when nothing is unsaved), so that a window that ends
//! unexpectedly loses nothing; and the journal a crashed window left behind, restored as edits.
//!
//! The file is written by a thread of its own (`JournalWriter`): a write waits for the disk
//! (the file is flushed before it replaces the last one), which took an edit 2 to 20 ms.

use std::io;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;

use crate::engine::edit::Op;
use crate::engine::model::LayerKind;
use crate::engine::saving::{Journal, JournalEntry};
use crate::engine::script::{self, Step};

use super::Session;
use super::edit::Edit;
use super::history::Made;

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

    /// Nothing is left to recover (the user quit past "unsaved changes?"): the file is gone
    /// when this returns.
    pub fn discard_journal(&mut self) {
        self.journal.entries.clear();
        self.store_journal();
        self.flush_journal();
    }

    /// Waits until the recovery file is as the journal is now.
    pub fn flush_journal(&mut self) {
        if let Some(w) = &self.journal_writer {
            w.flush();
        }
    }

    /// Restores a crashed window's journal on the data now open (the same files, just read):
    /// each entry that still fits becomes an edit of its own, in order, each on the result of
    /// the last. On a shared board, a new feature the board holds already (`Shared::inserted`)
    /// is not made again.
    pub fn restore(&mut self, journal: &Journal) -> Restored {
        let mut done = Restored {
            applied: 0,
            skipped: 0,
        };
        // A shared board's features are numbered anew at each reading: its entries name
        // rows, or the features inserted before them in the journal.
        let mut inserted: std::collections::HashMap<i64, usize> = Default::default();
        for e in &journal.entries {
            // A new feature the board took already (the window closed before its answer
            // came) is there, as the row its insertion made: not made twice; later entries
            // naming it name that row's feature.
            if let (Some(shared), Some(fid), Step::Insert { uid: Some(uid), .. }) =
                (&self.shared, e.fid, &e.step)
                && let Some(&row) = shared.inserted.get(uid)
            {
                if let Some(i) = shared.rows(e.step.layer()).feature_of(row) {
                    inserted.insert(fid, i);
                }
                done.applied += 1;
                continue;
            }
            let step = match (&self.shared, e.fid, &e.step) {
                (Some(_), Some(fid), Step::Insert { .. }) => {
                    let layer = e.step.layer();
                    let next = match layer {
                        LayerKind::Zones => self.ds.zones.doc.len(),
                        LayerKind::Parcels => self.ds.parcels.as_ref().map_or(0, |p| p.doc.len()),
                    };
                    inserted.insert(fid, next);
                    Some(e.step.clone())
                }
                (Some(shared), Some(fid), step) => {
                    let rows = shared.rows(step.layer());
                    let at = if fid >= 0 {
                        // A step made against a row version (an undo's, "Use mine"'s) fits
                        // only a row still at it, as a property change fits only its value.
                        rows.feature_of(fid).filter(|&i| {
                            step.version()
                                .is_none_or(|v| rows.get(i).is_some_and(|r| r.version == v))
                        })
                    } else {
                        inserted.get(&fid).copied()
                    };
                    at.map(|i| step.clone().at(Some(i + 1)))
                }
                _ => Some(e.step.clone()),
            };
            let applied = step
                .and_then(|step| script::ops_for(&self.ds, &step).ok())
                .is_some_and(|ops| {
                    self.apply(Edit {
                        ops,
                        what: e.what.clone(),
                    })
                });
            if applied {
                done.applied += 1;
            } else {
                done.skipped += 1;
            }
        }
        if let Some(shared) = &mut self.shared {
            shared.inserted.clear();
        }
        done
    }

    /// A failure to write the recovery file since the last call, said once however many
    /// edits fail after it (until a write succeeds again).
    pub fn take_journal_failure(&mut self) -> Option<io::Error> {
        if let Some(w) = &self.journal_writer {
            for result in w.results.try_iter() {
                match result {
                    Ok(()) => self.journal_failing = false,
                    Err(e) if !self.journal_failing => {
                        self.journal_failing = true;
                        self.journal_failure = Some(e);
                    }
                    Err(_) => {}
                }
            }
        }
        self.journal_failure.take()
    }

    /// Records operations made (an edit, or an undo or redo of one) in the journal, each as
    /// the script step that makes it again, with the value a property change replaced (from
    /// its inverse). An undo or a redo is made against what the edit it takes back left
    /// (`undoing`: the operations it takes back, of which `ops` are the inverses in reverse
    /// order, and that edit; `None` for a new edit), not what the data holds now: on a
    /// shared board another planner's change may have come in since, and the board must ask
    /// before it is overwritten, as for any edit. So a property change is made against the
    /// value that edit left, and a reshape or a deletion against the row version it left
    /// ([`Session::made_against`]). (Elsewhere the two are the same.)
    pub(super) fn journal_ops(
        &mut self,
        ops: &[Op],
        inverses: &[Op],
        undoing: Option<(&[Op], &Made)>,
        what: &str,
    ) {
        let made_on = undoing.map_or(&[][..], |(ops, _)| ops);
        for (n, (op, inverse)) in ops.iter().zip(inverses).enumerate() {
            let taken_back = (made_on.len() == ops.len())
                .then(|| made_on.get(ops.len() - 1 - n))
                .flatten();
            let from = match (op, taken_back, inverse) {
                (
                    Op::Set {
                        layer,
                        feature,
                        key,
                        ..
                    },
                    Some(Op::Set {
                        layer: its_layer,
                        feature: its_feature,
                        key: its_key,
                        value,
                    }),
                    _,
                ) if (layer, feature, key) == (its_layer, its_feature, its_key) => value.clone(),
                (_, _, Op::Set { value, .. }) => value.clone(),
                _ => None,
            };
            let step = Step::of_op(op, from);
            // On a shared board: the step as the board takes it, and the row it names.
            let (mut step, fid) = self.shared_step(op, inverse, step);
            if let Some(version) = undoing.and_then(|(_, made)| self.made_against(op, made)) {
                step = step.with_version(version);
            }
            // "The file's own geometry back" (undoing a reshape) is written out as that text:
            // the files the journal is replayed on may hold another since a save.
            if let (
                Op::Geometry {
                    layer,
                    feature,
                    geometry: None,
                },
                Step::Reshape { raw, .. },
            ) = (op, &mut step)
            {
                let doc = match layer {
                    LayerKind::Zones => Some(&self.ds.zones.doc),
                    LayerKind::Parcels => self.ds.parcels.as_ref().map(|p| &p.doc),
                };
                *raw = doc
                    .and_then(|d| d.own_geometry_json(*feature))
                    .map(str::to_string);
            }
            let mut entry = JournalEntry::new(step, what);
            entry.fid = fid;
            self.journal.entries.push(entry);
        }
    }

    /// Writes the journal out after an edit, an undo or a redo. When the data is back to the
    /// saved state (undone to it), there is nothing to recover.
    pub(super) fn store_journal_if_changed(&mut self) {
        // A shared board's journal holds what the board does not have yet, whatever the
        // undo history says.
        if !self.history.is_dirty() && self.shared.is_none() {
            self.journal.entries.clear();
        }
        self.store_journal();
    }

    /// Has the recovery file written (removed when nothing is unsaved), on the writer's
    /// thread.
    pub(super) fn store_journal(&mut self) {
        let Some(dir) = &self.recovery_dir else {
            return;
        };
        let writer = self.journal_writer.get_or_insert_with(JournalWriter::new);
        writer.store(dir.clone(), self.journal.clone());
    }
}

enum Request {
    Store(PathBuf, Box<Journal>),
    /// Answered once every write asked for before it is made.
    Flush(Sender<()>),
}

/// Writes recovery files on a thread of its own, in the order asked. Each write holds the
/// whole journal, so of several waiting only the last is made. Dropping it waits for the
/// writes asked for.
pub(super) struct JournalWriter {
    requests: Option<Sender<Request>>,
    /// Each write's result, in order.
    results: Receiver<io::Result<()>>,
    thread: Option<JoinHandle<()>>,
}

impl JournalWriter {
    fn new() -> JournalWriter {
        let (requests, queue) = channel::<Request>();
        let (report, results) = channel();
        let thread = std::thread::Builder::new()
            .name("zoneatlas-recovery".into())
            .spawn(move || {
                while let Ok(first) = queue.recv() {
                    let mut waiting = None;
                    for request in std::iter::once(first).chain(queue.try_iter()) {
                        match request {
                            Request::Store(dir, journal) => waiting = Some((dir, journal)),
                            Request::Flush(done) => {
                                write(waiting.take(), &report);
                                let _ = done.send(());
                            }
                        }
                    }
                    write(waiting, &report);
                }
            })
            .ok();
        JournalWriter {
            requests: Some(requests),
            results,
            thread,
        }
    }

    fn store(&self, dir: PathBuf, journal: Journal) {
        if let Some(r) = &self.requests {
            let _ = r.send(Request::Store(dir, Box::new(journal)));
        }
    }

    fn flush(&self) {
        let (done, wait) = channel();
        if let Some(r) = &self.requests
            && r.send(Request::Flush(done)).is_ok()
        {
            let _ = wait.recv();
        }
    }
}

fn write(request: Option<(PathBuf, Box<Journal>)>, report: &Sender<io::Result<()>>) {
    if let Some((dir, mut journal)) = request {
        let _ = report.send(journal.store(&dir));
    }
}

impl Drop for JournalWriter {
    fn drop(&mut self) {
        // The thread ends once the writes asked for are made.
        self.requests = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
