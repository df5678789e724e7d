//! The questions the window asks. Which file: the system's file dialogs, behind
//! [`FileDialogs`]. And modal questions, each a view that returns the user's answer:
//! [`unsaved`] changes?, files changed on disk ([`overwrite`])?, [`recovery`] of edits a crashed
//! window left?, apply a tenant table ([`import`])?, which coordinate [`system`]?, which
//! database and board ([`open_board`])?, whose value, when someone else changed what an edit
//! was made against ([`conflict`])? [`Questions`] holds what waits for an answer; the shell
//! acts on the answers here.

pub mod conflict;
pub mod import;
pub mod open_board;
pub mod overwrite;
mod pickers;
pub mod recovery;
pub mod system;
pub mod unsaved;

pub use pickers::{FileDialogs, FileKind, NativeDialogs, TestDialogs};

use std::path::PathBuf;

use crate::engine::saving::Journal;
use crate::i18n::{Key, trf};

use super::ZoneAtlasApp;
use super::action::Action;

/// One modal question: a heading, a body and a row of answer buttons. The answer once the user
/// clicks one; `dismissed` when they press Escape or click outside (None: the question stays).
fn ask<A: Copy>(
    ctx: &egui::Context,
    id: &str,
    width: f32,
    (heading, body): (&str, &str),
    buttons: &[(&str, A)],
    dismissed: Option<A>,
) -> Option<A> {
    let mut answer = None;
    let modal = egui::Modal::new(egui::Id::unique(id)).show(ctx, |ui| {
        ui.set_width(width);
        ui.heading(heading);
        ui.label(body);
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            for &(label, a) in buttons {
                if ui.button(label).clicked() {
                    answer = Some(a);
                }
            }
        });
    });
    if answer.is_none() && modal.should_close() {
        answer = dismissed;
    }
    answer
}

/// The modal questions waiting for an answer.
#[derive(Default)]
pub struct Questions {
    /// An action waiting for the answer to "unsaved changes?".
    pub unsaved: Option<Action>,
    /// The user chose Discard: the action asked about goes ahead without asking again.
    pub discarded: bool,
    /// Files changed on disk since they were read, waiting for "overwrite?".
    pub overwrite: Option<Vec<PathBuf>>,
    /// Unsaved edits a window that ended unexpectedly left behind, waiting for "restore?".
    pub recovery: Option<(PathBuf, Journal)>,
    /// A tenant table joined to the lots, waiting for "apply?".
    pub import: Option<import::Pending>,
    /// A file that names no coordinate system, waiting for "which system?".
    pub system: Option<system::Pending>,
    /// The system last chosen (its EPSG code), offered first the next time.
    pub last_system: Option<u32>,
    /// File › Open database…, being filled in.
    pub open_board: Option<open_board::Pending>,
}

impl ZoneAtlasApp {
    /// Whether the unsaved-changes question is showing.
    pub fn is_asking_to_save(&self) -> bool {
        self.questions.unsaved.is_some()
    }

    /// Whether the "changed on disk, overwrite?" question is showing.
    pub fn is_asking_to_overwrite(&self) -> bool {
        self.questions.overwrite.is_some()
    }

    /// Whether the app asks which coordinate system a file is in.
    pub fn is_asking_for_system(&self) -> bool {
        self.questions.system.is_some()
    }

    /// The system the "which system?" question offers first (its EPSG code), while it asks.
    pub fn system_offered_first(&self) -> Option<u32> {
        self.questions.system.as_ref().and_then(|p| p.selected)
    }

    /// Whether the "someone else changed this" question is showing.
    pub fn is_asking_about_conflict(&self) -> bool {
        self.session
            .shared
            .as_ref()
            .is_some_and(|s| s.conflict.is_some())
    }

    /// Whether File › Open database… is showing.
    pub fn is_asking_for_board(&self) -> bool {
        self.questions.open_board.is_some()
    }

    /// Whether the app is offering to restore unsaved edits from a crash.
    pub fn is_offering_recovery(&self) -> bool {
        self.questions.recovery.is_some()
    }

    /// Shows the questions waiting for an answer and acts on the answers: an action to go on
    /// with is added to `actions`.
    pub(super) fn ask_questions(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let lang = self.view.lang;
        if self.questions.unsaved.is_some()
            && let Some(answer) = unsaved::show(ctx, lang)
            && let Some(action) = self.questions.unsaved.take()
        {
            match answer {
                unsaved::Answer::SaveAndContinue if self.save(false) => actions.push(action),
                unsaved::Answer::Discard => {
                    // Only this action goes ahead unasked (Quit then lets the window close).
                    self.questions.discarded = true;
                    actions.push(action);
                }
                _ => {}
            }
        }
        if let Some(paths) = &self.questions.overwrite
            && let Some(answer) = overwrite::show(ctx, lang, paths)
        {
            self.questions.overwrite = None;
            match answer {
                overwrite::Answer::Overwrite => {
                    self.save_checked(false, true);
                }
                overwrite::Answer::SaveAs => {
                    self.save(true);
                }
                overwrite::Answer::Cancel => {}
            }
        }
        if let Some(pending) = &self.questions.import
            && let Some(answer) = import::show(ctx, lang, pending)
            && let Some(pending) = self.questions.import.take()
            && answer == import::Answer::Apply
        {
            let file = pending.file.clone();
            actions.push(Action::Edit(crate::app::action::EditAction::Apply(
                crate::app::session::edit::Edit {
                    ops: pending.joined.ops,
                    what: trf(lang, Key::ImportTableEdit, &[("file", &file)]),
                },
            )));
        }
        if self.load.is_none()
            && let Some(pending) = &mut self.questions.system
            && let Some(answer) = system::show(ctx, lang, pending)
            && let Some(pending) = self.questions.system.take()
        {
            match answer {
                system::Answer::Open(crs) => {
                    self.questions.last_system = Some(crs.epsg);
                    self.recent.remember_system(pending.path.clone(), crs.epsg);
                    match pending.retry {
                        system::Retry::Load(request) => {
                            let mut systems = pending.systems;
                            systems.retain(|(p, _)| p != &pending.path);
                            systems.push((pending.path, crs));
                            self.start_load_assuming(ctx, request, systems);
                        }
                        system::Retry::Reference => {
                            self.add_reference(ctx, pending.path, Some(crs));
                        }
                    }
                }
                system::Answer::Cancel => {
                    if matches!(pending.retry, system::Retry::Load(_)) {
                        self.replay = None;
                    }
                    let file = pending.file();
                    self.view
                        .info(trf(lang, Key::SystemCancelled, &[("what", &file)]));
                }
            }
        }
        if let Some(pending) = &mut self.questions.open_board
            && let Some(answer) = open_board::show(ctx, lang, pending)
        {
            self.questions.open_board = None;
            if let open_board::Answer::Open { url, board } = answer {
                actions.push(Action::File(crate::app::action::FileAction::OpenBoard {
                    url,
                    board,
                }));
            }
        }
        if let Some(answer) = conflict::show(ctx, lang, &self.session) {
            self.resolve_conflict(answer == conflict::Answer::KeepTheirs);
        }
        if self.load.is_none()
            && let Some((_, journal)) = &self.questions.recovery
            && let Some(answer) = recovery::show(ctx, lang, journal)
            && let Some((path, journal)) = self.questions.recovery.take()
        {
            match answer {
                recovery::Answer::Restore => self.restore_journal(ctx, path, journal),
                recovery::Answer::Discard => {
                    let _ = std::fs::remove_file(&path);
                }
                recovery::Answer::Later => {}
            }
        }
    }
}
