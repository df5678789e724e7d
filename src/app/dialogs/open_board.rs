//! File › Open database…: the database's URL (`postgres://user@host:port/db`, never with a
//! password: it comes from `PGPASSWORD` or `~/.pgpass`) and the board's name (empty: the
//! database's only board, or `default`). Nothing is checked here: the board is read on the
//! loading thread, which says what is wrong.

use egui::{RichText, TextEdit};

use crate::i18n::{Key, Lang, tr};

/// What is typed so far.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pending {
    pub url: String,
    pub board: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    Open { url: String, board: Option<String> },
    Cancel,
}

/// Shows the dialog; the answer once the user gives one.
pub fn show(ctx: &egui::Context, lang: Lang, pending: &mut Pending) -> Option<Answer> {
    let t = |k| tr(lang, k);
    let mut answer = None;
    let modal = egui::Modal::new(egui::Id::unique("open_board")).show(ctx, |ui| {
        ui.set_width(460.0);
        ui.heading(t(Key::OpenDatabaseTitle));
        ui.add_space(6.0);
        egui::Grid::new("open_board_fields")
            .num_columns(2)
            .show(ui, |ui| {
                let label = ui.label(t(Key::DatabaseUrl));
                ui.add(
                    TextEdit::singleline(&mut pending.url)
                        .hint_text("postgres://user@host:5432/kcn")
                        .desired_width(320.0),
                )
                .labelled_by(label.id);
                ui.end_row();
                let label = ui.label(t(Key::BoardField));
                ui.add(
                    TextEdit::singleline(&mut pending.board)
                        .hint_text(t(Key::BoardFieldHint))
                        .desired_width(320.0),
                )
                .labelled_by(label.id);
                ui.end_row();
            });
        ui.label(RichText::new(t(Key::DatabasePassword)).small().weak());
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let url = pending.url.trim();
            if ui
                .add_enabled(!url.is_empty(), egui::Button::new(t(Key::OpenBoardButton)))
                .clicked()
            {
                let board = pending.board.trim();
                answer = Some(Answer::Open {
                    url: url.to_string(),
                    board: (!board.is_empty()).then(|| board.to_string()),
                });
            }
            if ui.button(t(Key::Cancel)).clicked() {
                answer = Some(Answer::Cancel);
            }
        });
    });
    if answer.is_none() && modal.should_close() {
        answer = Some(Answer::Cancel);
    }
    answer
}
