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
        });
    }

    /// The last edit undone, to be made again ([`History::redone`] takes it back once it is).
    pub(super) fn take_undone(&mut self) -> Option<Made> {
        self.undone.pop()
    }

    /// An edit just made again (sent as `sent`): `undo` undoes it.
    pub(super) fn redone(&mut self, made: Made, undo: Vec<Op>, sent: u64) {
        self.touch_all(&made.edit);
        self.done.push(Made { undo, sent, ..made });
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
