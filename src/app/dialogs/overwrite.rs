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
    let body = trf(lang, Key::ChangedOnDiskBody, &[("what", &what)]);
    super::ask(
        ctx,
        "changed_on_disk",
        420.0,
        (t(Key::ChangedOnDiskTitle), &body),
        &[
            (t(Key::Overwrite), Answer::Overwrite),
            (t(Key::SaveAs), Answer::SaveAs),
            (t(Key::Cancel), Answer::Cancel),
        ],
        Some(Answer::Cancel),
    )
}
