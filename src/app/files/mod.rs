//! The file actions, and what carries them out: [`open`] (with [`loading`] on a background
//! thread), [`save`], [`export`]; the [`recent`] files; [`reference`] layers, read in the
//! background too. The shell hands each [`FileAction`] to `apply_file` here.

pub mod export;
pub mod import;
pub mod loading;
pub mod open;
pub mod recent;
pub mod reference;
pub mod save;

pub use export::png_bytes;
pub use recent::Recent;
pub use save::render_document;

use egui::ViewportCommand;
use std::path::PathBuf;

use super::ZoneAtlasApp;
use super::action::FileAction;
use super::dialogs::FileKind;
use crate::i18n::{Key, tr};
use loading::LoadRequest;

impl ZoneAtlasApp {
    /// Applies a file action (the shell has asked about unsaved edits first).
    pub(super) fn apply_file(&mut self, ctx: &egui::Context, action: FileAction) {
        match action {
            FileAction::Save => {
                self.save(false);
            }
            FileAction::SaveAs => {
                self.save(true);
            }
            FileAction::OpenZones => self.pick_and_load(ctx, Key::OpenZones, LoadRequest::Zones),
            FileAction::OpenParcels => {
                self.pick_and_load(ctx, Key::OpenParcels, LoadRequest::Parcels)
            }
            FileAction::OpenRecent(i) => {
                if let Some((zones, parcels)) = self.recent.entries.get(i).cloned() {
                    self.start_load(ctx, LoadRequest::Files { zones, parcels });
                }
            }
            FileAction::OpenDropped(paths) => self.start_load(ctx, LoadRequest::Dropped(paths)),
            FileAction::AddReference => self.pick_reference(ctx),
            FileAction::ImportTable => self.import_table(),
            FileAction::Export(what) => self.export(ctx, what),
            FileAction::OpenDatabase => {
                self.questions.open_board = Some(self.recent.boards.first().cloned().map_or_else(
                    Default::default,
                    |(url, board)| crate::app::dialogs::open_board::Pending {
                        url,
                        board: board.unwrap_or_default(),
                    },
                ));
            }
            FileAction::OpenBoard { url, board } => {
                let uids = Vec::new();
                self.start_load(ctx, LoadRequest::Board { url, board, uids });
            }
            FileAction::OpenRecentBoard(i) => {
                if let Some((url, board)) = self.recent.boards.get(i).cloned() {
                    let uids = Vec::new();
                    self.start_load(ctx, LoadRequest::Board { url, board, uids });
                }
            }
            FileAction::Quit => {
                // Quitting is past "unsaved changes?": nothing is left to recover. On a
                // shared board, what the board does not have yet stays in the journal.
                if !self.session.is_shared() {
                    self.session.discard_journal();
                } else {
                    self.session.flush_journal();
                }
                self.allow_close = true;
                self.close_sent = true;
                ctx.send_viewport_cmd(ViewportCommand::Close);
            }
        }
    }

    /// Where to write: the save dialog titled `title`, for a file first named `name`.
    fn ask_where(&mut self, title: Key, kind: FileKind, name: &str) -> Option<PathBuf> {
        let lang = self.view.lang;
        let filter = match kind {
            FileKind::Features => Key::FilterFeatures,
            FileKind::GeoJson => Key::FilterGeoJson,
            FileKind::Csv => Key::FilterCsv,
            FileKind::Markdown => Key::FilterMarkdown,
            FileKind::Xlsx => Key::FilterXlsx,
            FileKind::Pdf => Key::FilterPdf,
            FileKind::Saved => Key::FilterSaved,
            FileKind::Table => Key::FilterTable,
            FileKind::Png => Key::FilterPng,
            FileKind::MbTiles => Key::FilterMbTiles,
        };
        self.dialogs
            .save_file(tr(lang, title), kind, tr(lang, filter), name)
    }
}
