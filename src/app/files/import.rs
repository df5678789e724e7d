//! File › Import tenant table…: the table picked, read and joined to the lots by the engine
//! ([`crate::engine::join`]); what it would change is asked ([`crate::app::dialogs::import`])
//! before it is applied as one edit (one undo step, journaled like any other).

use crate::app::ZoneAtlasApp;
use crate::app::dialogs::FileKind;
use crate::app::dialogs::import::Pending;
use crate::engine::join;
use crate::i18n::{Key, Message, tr, trf};

impl ZoneAtlasApp {
    pub(super) fn import_table(&mut self) {
        let lang = self.view.lang;
        let Some(parcels) = &self.session.ds.parcels else {
            self.view
                .error(tr(lang, Key::ImportTableNoLots).to_string());
            return;
        };
        let Some(path) = self.dialogs.pick_file(
            tr(lang, Key::ImportTable),
            FileKind::Table,
            tr(lang, Key::FilterTable),
        ) else {
            return;
        };
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match join::read_table(&path).and_then(|t| join::join(&parcels.doc, &t, "parcel_id")) {
            Ok(joined) if joined.ops.is_empty() => {
                self.view
                    .error(trf(lang, Key::ImportTableNothing, &[("file", &file)]));
            }
            Ok(joined) => self.questions.import = Some(Pending { file, joined }),
            Err(e) => self
                .view
                .error(format!("{}: {}", path.display(), e.message(lang))),
        }
    }
}
