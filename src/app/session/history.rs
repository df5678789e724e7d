//! The undo history: the edits made (with the values they replaced) and those undone, and
//! which point of it was last saved.

use serde_json::Value;

use crate::engine::model::LayerKind;

use super::edit::Edit;

/// An edit as made: only the changes that changed something, each with the value it replaced.
#[derive(Clone, Debug, PartialEq)]
pub struct Made {
    pub edit: Edit,
    /// The value each change replaced (`None`: the property was absent), in order.
    pub before: Vec<Option<Value>>,
    serial: u64,
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

    /// Records an edit just made (nothing is left to redo).
    pub(super) fn push(&mut self, edit: Edit, before: Vec<Option<Value>>) {
        self.next_serial += 1;
        for c in &edit.changes {
            self.touch(c.layer);
        }
        self.done.push(Made {
            edit,
            before,
            serial: self.next_serial,
        });
        self.undone.clear();
    }

    /// The last edit made, moved to the undone ones.
    pub(super) fn undo(&mut self) -> Option<&Made> {
        let made = self.done.pop()?;
        self.touch_all(&made);
        self.undone.push(made);
        self.undone.last()
    }

    /// The last edit undone, moved back to the done ones.
    pub(super) fn redo(&mut self) -> Option<&Made> {
        let made = self.undone.pop()?;
        self.touch_all(&made);
        self.done.push(made);
        self.done.last()
    }

    fn touch_all(&mut self, made: &Made) {
        for c in &made.edit.changes {
            self.touch(c.layer);
        }
    }

    fn touch(&mut self, layer: LayerKind) {
        if !self.touched.contains(&layer) {
            self.touched.push(layer);
        }
    }
}
