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
    let mut answer = None;
    let modal = egui::Modal::new(egui::Id::unique("unsaved_changes")).show(ctx, |ui| {
        ui.set_width(360.0);
        ui.heading(t(Key::UnsavedTitle));
        ui.label(t(Key::UnsavedBody));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            for (key, a) in [
                (Key::SaveAndContinue, Answer::SaveAndContinue),
                (Key::Discard, Answer::Discard),
                (Key::Cancel, Answer::Cancel),
            ] {
                if ui.button(t(key)).clicked() {
                    answer = Some(a);
                }
            }
        });
    });
    if answer.is_none() && modal.should_close() {
        answer = Some(Answer::Cancel);
    }
    answer
}
