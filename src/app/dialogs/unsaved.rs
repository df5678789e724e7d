//! "Unsaved changes?": asked before an action that would drop unsaved edits (opening other
//! files, quitting, closing the window).

use crate::i18n::Lang;
use crate::i18n::{Key, tr};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Save, then go on if the save succeeded.
    SaveAndContinue,
    /// Go on, dropping the edits.
    Discard,
    Cancel,
}

/// Shows the question; the answer once the user gives one (Escape or a click outside cancels).
pub fn show(ctx: &egui::Context, lang: Lang) -> Option<Answer> {
    let t = |k| tr(lang, k);
    super::ask(
        ctx,
        "unsaved_changes",
        360.0,
        (t(Key::UnsavedTitle), t(Key::UnsavedBody)),
        &[
            (t(Key::SaveAndContinue), Answer::SaveAndContinue),
            (t(Key::Discard), Answer::Discard),
            (t(Key::Cancel), Answer::Cancel),
        ],
        Some(Answer::Cancel),
    )
}
