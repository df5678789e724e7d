//! "Restore unsaved edits?": offered at start when a window that ended unexpectedly left a
//! recovery journal behind.

use crate::app::session::file_names;
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
    let what = match &journal.board {
        Some(b) => crate::app::files::loading::board_label(&b.url, Some(&b.board)),
        None => file_names(&journal.zones_path, &journal.parcels_path)
            .unwrap_or_else(|| t(Key::BuiltInSample).to_string()),
    };
    let (day, hour, minute) = crate::clock::local_time(journal.written_at);
    let when = format!("{} {hour:02}:{minute:02}", fmt_date(day, lang));
    let n = journal.entries.len().to_string();
    let body = trf(
        lang,
        Key::RecoveryBody,
        &[("when", &when), ("n", &n), ("what", &what)],
    );
    // No answer on Escape: the offer waits for a choice (Later keeps the file).
    super::ask(
        ctx,
        "recovery_offer",
        420.0,
        (t(Key::RecoveryTitle), &body),
        &[
            (t(Key::Restore), Answer::Restore),
            (t(Key::Discard), Answer::Discard),
            (t(Key::RestoreLater), Answer::Later),
        ],
        None,
    )
}
