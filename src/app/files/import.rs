//! File › Import tenant table…: the table picked, then read and joined to the lots by the
//! engine ([`crate::engine::join`]) on another thread — a workbook of thousands of rows takes
//! a while, and the window goes on drawing — and what it would change is asked
//! ([`crate::app::dialogs::import`]) before it is applied as one edit (one undo step,
//! journaled like any other).

use std::path::PathBuf;

use crate::app::ZoneAtlasApp;
use crate::app::background::Job;
use crate::app::dialogs::FileKind;
use crate::app::dialogs::import::Pending;
use crate::engine::join::{self, Joined, TableProblem};
use crate::i18n::{Key, Message, tr, trf};

/// A table being read and joined: for the data as it is (the session's generation), so that
/// an edit made meanwhile has the join made again on the data it changed.
#[derive(Default)]
pub struct TableImport {
    asked: Option<PathBuf>,
    job: Job<(u64, PathBuf), Result<Joined, TableProblem>>,
}

impl TableImport {
    pub fn is_busy(&self) -> bool {
        self.asked.is_some()
    }

    /// Waits for the table being read (tests).
    pub fn wait(&mut self) {
        self.job.wait();
    }
}

impl ZoneAtlasApp {
    pub(super) fn import_table(&mut self) {
        let lang = self.view.lang;
        if self.session.ds.parcels.is_none() {
            self.view
                .error(tr(lang, Key::ImportTableNoLots).to_string());
            return;
        }
        let Some(path) = self.dialogs.pick_file(
            tr(lang, Key::ImportTable),
            FileKind::Table,
            tr(lang, Key::FilterTable),
        ) else {
            return;
        };
        self.view.info(trf(
            lang,
            Key::ImportTableReading,
            &[("file", &file_name(&path))],
        ));
        self.import.asked = Some(path);
    }

    /// Each frame: starts reading the table asked for (again, when the data changed while it
    /// was read), and once it is joined asks whether to apply it.
    pub(in crate::app) fn poll_import(&mut self, ctx: &egui::Context) {
        let Some(path) = self.import.asked.clone() else {
            return;
        };
        let key = (self.session.generation, path.clone());
        self.import.job.want(key.clone(), ctx, || {
            let ds = self.session.ds.clone();
            move || {
                let parcels = ds.parcels.as_ref().ok_or(TableProblem::Unreadable {
                    detail: String::new(),
                })?;
                join::read_table(&path).and_then(|t| join::join(&parcels.doc, &t, "parcel_id"))
            }
        });
        if !self.import.job.is_current(&key) {
            return;
        }
        let result = self.import.job.latest().map(|(_, r)| r.clone());
        self.import.asked = None;
        self.import.job.forget();
        let lang = self.view.lang;
        let file = file_name(&key.1);
        match result.as_deref() {
            Some(Ok(joined)) if joined.ops.is_empty() => {
                self.view
                    .error(trf(lang, Key::ImportTableNothing, &[("file", &file)]));
            }
            Some(Ok(joined)) => {
                self.view.message = None;
                self.questions.import = Some(Pending {
                    file,
                    joined: joined.clone(),
                });
            }
            Some(Err(e)) => self
                .view
                .error(format!("{}: {}", key.1.display(), e.message(lang))),
            None => {}
        }
    }
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
