//! "Restore unsaved edits?": offered at start when a window that ended unexpectedly left a
//! recovery journal behind.

use crate::app::session::file_names;
use crate::engine::properties::Date;
use crate::engine::saving::Journal;
use crate::i18n::{Key, tr, trf};
use crate::i18n::{Lang, fmt_date};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Open the journal's files (or the built-in sample) and replay the edits.
    Restore,
    /// Delete the recovery file.
    Discard,
    /// Keep the recovery file for another start.
    Later,
}

/// Shows the offer; the answer once the user gives one.
pub fn show(ctx: &egui::Context, lang: Lang, journal: &Journal) -> Option<Answer> {
    let t = |k| tr(lang, k);
    let what = file_names(&journal.zones_path, &journal.parcels_path)
        .unwrap_or_else(|| t(Key::BuiltInSample).to_string());
    let secs = journal.written_at;
    let when = format!(
        "{} {:02}:{:02} UTC",
        fmt_date(Date((secs / 86_400) as i32), lang),
        secs % 86_400 / 3600,
        secs % 3600 / 60
    );
    let n = journal.entries.len().to_string();
    let mut answer = None;
    egui::Modal::new(egui::Id::unique("recovery_offer")).show(ctx, |ui| {
        ui.set_width(420.0);
        ui.heading(t(Key::RecoveryTitle));
        ui.label(trf(
            lang,
            Key::RecoveryBody,
            &[("when", &when), ("n", &n), ("what", &what)],
        ));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            for (key, a) in [
                (Key::Restore, Answer::Restore),
                (Key::Discard, Answer::Discard),
                (Key::RestoreLater, Answer::Later),
            ] {
                if ui.button(t(key)).clicked() {
                    answer = Some(a);
                }
            }
        });
    });
    answer
}
