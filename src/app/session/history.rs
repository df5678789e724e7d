//! The undo history: the edits made (with the operations that undo them) and those undone,
//! and which point of it was last saved.

use crate::engine::edit::Op;
use crate::engine::model::LayerKind;

use super::edit::Edit;

/// An edit as made: only the operations that changed something, and the operations that
/// undo them (the engine's inverses, the last made first).
#[derive(Clone, Debug, PartialEq)]
pub struct Made {
    pub edit: Edit,
    pub undo: Vec<Op>,
    serial: u64,
    /// On a shared board, the journal's number for its last making, undoing or redoing (the
    /// edit the board is sent, [`super::shared`]); 0 otherwise.
    sent: u64,
    /// On a shared board, the version each feature's row had right after that making, undoing
    /// or redoing, once the board has taken it: what undoing or redoing it next is made
    /// against when someone else's change to the row came in since.
    left: Vec<(LayerKind, usize, u64)>,
}

impl Made {
    /// The journal's number for the last making, undoing or redoing of this edit (0 off a
    /// shared board).
    pub fn sent(&self) -> u64 {
        self.sent
    }

    /// The version feature `i`'s row had right after the last making, undoing or redoing of
    /// this edit (`None`: not taken by the board yet, or the row was deleted).
    pub fn left(&self, layer: LayerKind, i: usize) -> Option<u64> {
        self.left
            .iter()
            .find(|&&(l, f, _)| (l, f) == (layer, i))
            .map(|&(_, _, v)| v)
    }
}

/// Done and undone edits, and which state was last saved.
#[derive(Debug, Default)]
pub struct History {
    done: Vec<Made>,
    undone: Vec<Made>,
    next_serial: u64,
    saved_serial: u64,
    /// Layers changed since the last save (they are the ones Save writes).
    pub touched: Vec<LayerKind>,
}

impl History {
    fn current(&self) -> u64 {
        self.done.last().map_or(0, |m| m.serial)
    }

    pub fn is_dirty(&self) -> bool {
        self.current() != self.saved_serial
    }

    pub fn mark_saved(&mut self) {
        self.saved_serial = self.current();
        self.touched.clear();
    }

    pub fn undo_label(&self) -> Option<&str> {
        self.done.last().map(|m| m.edit.what.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.undone.last().map(|m| m.edit.what.as_str())
    }

    /// How many edits can be undone.
    pub fn len(&self) -> usize {
        self.done.len()
    }

    pub fn is_empty(&self) -> bool {
        self.done.is_empty()
    }

    /// Records an edit just made (nothing is left to redo), sent to a shared board as `sent`.
    pub(super) fn push(&mut self, edit: Edit, undo: Vec<Op>, sent: u64) {
        self.next_serial += 1;
        self.touch_all(&edit);
        self.done.push(Made {
            edit,
            undo,
            serial: self.next_serial,
            sent,
            left: Vec::new(),
        });
        self.undone.clear();
    }

    /// The last edit made, to be undone ([`History::undone`] takes it back once it is).
    pub(super) fn take_done(&mut self) -> Option<Made> {
        self.done.pop()
    }

    /// An edit just undone (the undoing sent as `sent`): `redo` makes it again.
    pub(super) fn undone(&mut self, made: Made, redo: Vec<Op>, sent: u64) {
        self.touch_all(&made.edit);
        self.undone.push(Made {
            edit: Edit {
                ops: redo,
                what: made.edit.what,
            },
            undo: made.undo,
            serial: made.serial,
            sent,
            left: Vec::new(),
        });
    }

    /// The last edit undone, to be made again ([`History::redone`] takes it back once it is).
    pub(super) fn take_undone(&mut self) -> Option<Made> {
        self.undone.pop()
    }

    /// An edit just made again (sent as `sent`): `undo` undoes it.
    pub(super) fn redone(&mut self, made: Made, undo: Vec<Op>, sent: u64) {
        self.touch_all(&made.edit);
        self.done.push(Made {
            undo,
            sent,
            left: Vec::new(),
            ..made
        });
    }

    /// The board took (part of) the making, undoing or redoing sent as `sent`: the version each
    /// feature's row has now (`None`: deleted), kept with the edit.
    pub(super) fn written(&mut self, sent: u64, rows: &[(LayerKind, usize, Option<u64>)]) {
        if sent == 0 {
            return;
        }
        let Some(made) = self
            .done
            .iter_mut()
            .chain(self.undone.iter_mut())
            .find(|m| m.sent == sent)
        else {
            return;
        };
        for &(layer, i, version) in rows {
            made.left.retain(|&(l, f, _)| (l, f) != (layer, i));
            if let Some(v) = version {
                made.left.push((layer, i, v));
            }
        }
    }

    /// Takes out the edit whose making, undoing or redoing the shared board did not take (the
    /// user kept the other planner's version): it cannot be undone or made again, since the
    /// data no longer holds what it left. Returns whether there was one.
    pub(super) fn forget(&mut self, sent: u64) -> bool {
        if sent == 0 {
            return false;
        }
        let before = self.done.len() + self.undone.len();
        self.done.retain(|m| m.sent != sent);
        self.undone.retain(|m| m.sent != sent);
        self.done.len() + self.undone.len() < before
    }

    fn touch_all(&mut self, edit: &Edit) {
        for op in &edit.ops {
            self.touch(op.layer());
        }
    }

    fn touch(&mut self, layer: LayerKind) {
        if !self.touched.contains(&layer) {
            self.touched.push(layer);
        }
    }
}
