//! Edit actions: an edit, undo and redo, each through the session's one path
//! ([`Session::apply`](super::session::Session::apply)); the status bar says what was undone
//! or redone.

use super::ZoneAtlasApp;
use super::action::EditAction;
use crate::i18n::{Key, trf};

impl ZoneAtlasApp {
    pub(super) fn apply_edit(&mut self, action: EditAction) {
        let (said, what) = match action {
            EditAction::Apply(edit) => {
                self.session.apply(edit);
                return;
            }
            EditAction::Undo => (Key::Undone, self.session.undo()),
            EditAction::Redo => (Key::Redone, self.session.redo()),
        };
        if let Some(what) = what {
            self.view
                .info(trf(self.view.lang, said, &[("what", &what)]));
        }
    }
}
