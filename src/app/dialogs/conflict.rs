//! "Someone else changed this": the board refused an edit because another user changed what
//! it was made against. Both values are shown, the user's and the board's (with who changed
//! it and when, as the board says), and the user chooses: keep theirs (the window takes the
//! row as the board holds it; the edit is dropped) or use mine (sent again, made against
//! their value).

use egui::{Grid, RichText};
use serde_json::Value;

use crate::app::session::Session;
use crate::app::session::shared::{Conflict, ConflictKind};
use crate::app::view::board_time;
use crate::engine::properties::value_text;
use crate::i18n::{Key, Lang, tr, trf};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    KeepTheirs,
    UseMine,
}

/// A value as the dialog shows it (quoted text, or "not set").
fn shown(v: &Option<Value>, lang: Lang) -> String {
    match v {
        None | Some(Value::Null) => tr(lang, Key::NotSet).to_string(),
        Some(Value::String(s)) => format!("“{s}”"),
        Some(v) => value_text(v),
    }
}

/// Who changed the row: "minh", or "someone else".
pub fn who(conflict: &Conflict, lang: Lang) -> String {
    match &conflict.by {
        Some(by) => by.clone(),
        None => tr(lang, Key::SomeoneElse).to_string(),
    }
}

/// Who and when: "minh, 08/12/2026 08:23" (the reader's local time).
fn who_when(conflict: &Conflict, lang: Lang) -> String {
    match &conflict.at {
        Some(at) => format!("{}, {}", who(conflict, lang), board_time(at, lang)),
        None => who(conflict, lang),
    }
}

/// Shows the question; the answer once the user gives one (it waits: no answer on Escape).
pub fn show(ctx: &egui::Context, lang: Lang, session: &Session) -> Option<Answer> {
    let conflict = session.shared.as_ref()?.conflict.as_ref()?;
    let t = |k| tr(lang, k);
    let mut answer = None;
    let who = who(conflict, lang);
    egui::Modal::new(egui::Id::unique("board_conflict")).show(ctx, |ui| {
        ui.set_width(480.0);
        ui.heading(t(Key::ConflictTitle));
        let body = match &conflict.kind {
            ConflictKind::Value { .. } => Key::ConflictBodyValue,
            ConflictKind::Shape { .. } => Key::ConflictBodyShape,
            ConflictKind::Gone => Key::ConflictBodyGone,
        };
        ui.label(trf(lang, body, &[("what", &conflict.what), ("who", &who)]));
        ui.add_space(6.0);
        if let ConflictKind::Value { key, mine, theirs } = &conflict.kind {
            Grid::new("conflict_values")
                .num_columns(2)
                .striped(true)
                .show(ui, |ui| {
                    ui.label(RichText::new(t(Key::ConflictProperty)).weak());
                    ui.label(RichText::new(key).monospace());
                    ui.end_row();
                    ui.label(t(Key::ConflictMine));
                    ui.label(RichText::new(shown(mine, lang)).strong());
                    ui.end_row();
                    let when = who_when(conflict, lang);
                    ui.label(trf(lang, Key::ConflictTheirs, &[("who", &when)]));
                    ui.label(RichText::new(shown(theirs, lang)).strong());
                    ui.end_row();
                });
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button(t(Key::KeepTheirs)).clicked() {
                answer = Some(Answer::KeepTheirs);
            }
            // A deleted row has nothing to make the edit against.
            let can_use_mine = !matches!(conflict.kind, ConflictKind::Gone);
            if ui
                .add_enabled(can_use_mine, egui::Button::new(t(Key::UseMine)))
                .clicked()
            {
                answer = Some(Answer::UseMine);
            }
        });
    });
    answer
}
