//! "Changed on disk": asked when Save would overwrite files another program changed since they
//! were read.

use std::path::PathBuf;

use crate::i18n::Lang;
use crate::i18n::{Key, tr, trf};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Save over them (the other version is kept as .bak).
    Overwrite,
    SaveAs,
    Cancel,
}

/// Shows the question about `paths`; the answer once the user gives one (Escape or a click
/// outside cancels).
pub fn show(ctx: &egui::Context, lang: Lang, paths: &[PathBuf]) -> Option<Answer> {
    let t = |k| tr(lang, k);
    let what = paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let mut answer = None;
    let modal = egui::Modal::new(egui::Id::unique("changed_on_disk")).show(ctx, |ui| {
        ui.set_width(420.0);
        ui.heading(t(Key::ChangedOnDiskTitle));
        ui.label(trf(lang, Key::ChangedOnDiskBody, &[("what", &what)]));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            for (key, a) in [
                (Key::Overwrite, Answer::Overwrite),
                (Key::SaveAs, Answer::SaveAs),
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
