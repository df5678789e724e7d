//! The window on a shared board (issue 14): the link to the database and what the shell does
//! with it once a frame ([`ZoneAtlasApp::poll_board`]).
//!
//! The session keeps the data, the row map and the unsent edits
//! ([`crate::app::session::shared`]); the [`threads`] talk to the database. Here, each frame:
//! the writer's answers are taken (rows written or found written already, a conflict for the
//! user, a refusal, offline or back), the next edit is handed to it; the reader's notices are
//! turned into the rows to read (the window's own writes are told apart by version: a row the
//! window holds at that version or newer is not read again), the rows read are taken in, a
//! reload is started when the board was replaced, and the selected feature's history is asked
//! for. A login that cannot succeed (the server refuses it, or asks for a password none is
//! set for) is said once, and both threads stop: the unsent edits wait in the recovery
//! journal, and the history says why it cannot be read. Nothing here waits: every exchange
//! with the threads is a channel's `try_recv` or `send`.

pub mod threads;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

use crate::engine::model::LayerKind;
use crate::engine::store::apply::RowStep;
use crate::engine::store::schema::BoardName;
use crate::engine::store::{StoreProblem, Target};
use crate::i18n::{Key, Message, tr, trf};

use super::ZoneAtlasApp;
use super::files::loading::LoadRequest;
use super::view::RowHistory;
use threads::{Ask, Read, Written};

/// The threads of a window on a board, and what the shell keeps between frames.
pub struct Link {
    edits: Sender<Vec<RowStep>>,
    written: Receiver<Written>,
    asks: Sender<Ask>,
    read: Receiver<Read>,
    stop: Arc<AtomicBool>,
    /// Why each thread is offline, when it is (said with the notice: a refused login reads
    /// differently from a server that is down).
    writer_offline: Option<StoreProblem>,
    reader_offline: Option<StoreProblem>,
    /// A thread's login cannot succeed (refused by the server, or no password to give it):
    /// said once, both threads stopped, and nothing more is sent (the edits wait in the
    /// recovery journal) or read (the history says why it cannot be).
    refused: Option<StoreProblem>,
    /// Rows others changed that the window has not read yet, with the version they were
    /// changed to (those it has unsent edits of wait for them).
    wanted: HashMap<(LayerKind, i64), u64>,
    /// The board was replaced (an import): read it again once nothing is unsent.
    reload: bool,
}

impl Link {
    /// Starts the writer and the reader on the board (they connect on their own threads).
    pub fn start(url: &str, board: BoardName, ctx: &egui::Context) -> Result<Link, StoreProblem> {
        let target = Target::parse(url)?;
        let stop = Arc::new(AtomicBool::new(false));
        let (edits, edits_rx) = channel();
        let (written_tx, written) = channel();
        let (asks, asks_rx) = channel();
        let (read_tx, read) = channel();
        let wake = |ctx: &egui::Context| {
            let ctx = ctx.clone();
            move || ctx.request_repaint()
        };
        {
            let (target, board, stop, wake) =
                (target.clone(), board.clone(), stop.clone(), wake(ctx));
            std::thread::Builder::new()
                .name("zoneatlas-board-writer".into())
                .spawn(move || threads::writer(target, board, edits_rx, written_tx, stop, wake))
                .map_err(|e| StoreProblem::Server {
                    detail: e.to_string(),
                })?;
        }
        {
            let (stop, wake) = (stop.clone(), wake(ctx));
            std::thread::Builder::new()
                .name("zoneatlas-board-reader".into())
                .spawn(move || threads::reader(target, board, asks_rx, read_tx, stop, wake))
                .map_err(|e| StoreProblem::Server {
                    detail: e.to_string(),
                })?;
        }
        Ok(Link {
            edits,
            written,
            asks,
            read,
            stop,
            writer_offline: None,
            reader_offline: None,
            refused: None,
            wanted: HashMap::new(),
            reload: false,
        })
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        // The threads end at their next look (within a tenth of a second, or when a
        // connection attempt gives up); nobody waits for them.
        self.stop.store(true, Ordering::Relaxed);
    }
}

impl ZoneAtlasApp {
    /// Once a frame: the exchange with the board's threads (see the module documentation).
    pub(super) fn poll_board(&mut self, ctx: &egui::Context) {
        let Some(shared) = &self.session.shared else {
            self.link = None;
            return;
        };
        let lang = self.view.lang;
        if self.link.is_none() {
            match Link::start(&shared.url, shared.board.clone(), ctx) {
                Ok(link) => self.link = Some(link),
                Err(p) => {
                    self.view.error(p.message(lang));
                    return;
                }
            }
        }
        let Some(link) = &mut self.link else { return };
        let written: Vec<Written> = link.written.try_iter().collect();
        let read: Vec<Read> = link.read.try_iter().collect();
        let mut login_refused = None;
        for w in written {
            match w {
                Written::Done(rows) => self.session.batch_written(&rows),
                Written::AlreadyIn(rows) => {
                    self.session.batch_written(&rows);
                    // Read again whatever else changed in them since.
                    for r in rows.iter().filter(|r| r.version.is_some()) {
                        want(&mut link.wanted, (r.layer, r.fid), u64::MAX);
                    }
                }
                Written::Conflict { error, by, at } => {
                    self.session.batch_conflict(&error, by, at);
                }
                Written::Refused(error) => {
                    let what = self
                        .session
                        .journal
                        .entries
                        .first()
                        .map(|e| e.what.clone())
                        .unwrap_or_default();
                    self.session.batch_refused();
                    let error = match &error {
                        crate::engine::store::apply::ApplyError::Script(e) => e.message(lang),
                        crate::engine::store::apply::ApplyError::Store(p) => p.message(lang),
                    };
                    self.view.error(trf(
                        lang,
                        Key::BoardRefused,
                        &[("what", &what), ("error", &error)],
                    ));
                }
                Written::Offline(p) => link.writer_offline = Some(p),
                Written::Online => link.writer_offline = None,
                Written::LoginRefused(p) => login_refused = Some(p),
            }
        }
        let mut took_rows = false;
        for r in read {
            match r {
                Read::Noticed {
                    layer,
                    fid,
                    version,
                } => {
                    let held = self.session.shared.as_ref().and_then(|s| {
                        let rows = s.rows(layer);
                        rows.feature_of(fid).and_then(|i| rows.get(i))
                    });
                    // The window's own write, or one it has read already.
                    if held.is_none_or(|h| h.version < version) {
                        want(&mut link.wanted, (layer, fid), version);
                    }
                }
                Read::Reload => link.reload = true,
                Read::Versions { zones, parcels } => {
                    if let Some(shared) = &self.session.shared {
                        for (layer, now) in
                            [(LayerKind::Zones, zones), (LayerKind::Parcels, parcels)]
                        {
                            let rows = shared.rows(layer);
                            let there: HashSet<i64> = now.iter().map(|(f, _)| *f).collect();
                            for (fid, version) in now {
                                let held = rows.feature_of(fid).and_then(|i| rows.get(i));
                                if held.is_none_or(|h| h.version < version) {
                                    want(&mut link.wanted, (layer, fid), version);
                                }
                            }
                            // Rows gone while the window was not listening.
                            for (_, row) in rows.iter() {
                                if !there.contains(&row.fid) {
                                    want(&mut link.wanted, (layer, row.fid), u64::MAX);
                                }
                            }
                        }
                    }
                }
                Read::Rows { layer, rows, asked } => {
                    let later = self.session.take_remote(layer, &rows, &asked);
                    for fid in later {
                        want(&mut link.wanted, (layer, fid), u64::MAX);
                    }
                    took_rows = true;
                }
                Read::History {
                    layer,
                    fid,
                    entries,
                } => {
                    if let Some(h) = &mut self.view.history
                        && (h.layer, h.fid) == (layer, fid)
                    {
                        h.entries = Some(entries.map_err(|p| p.message(lang)));
                    }
                }
                Read::Offline(p) => link.reader_offline = Some(p),
                Read::Online => link.reader_offline = None,
                Read::LoginRefused(p) => login_refused = Some(p),
            }
        }
        // Said once, whichever thread heard it first; the other one stops too, so that the
        // server is not asked again.
        if let Some(p) = login_refused
            && link.refused.is_none()
        {
            link.stop.store(true, Ordering::Relaxed);
            let (target, detail) = refusal(&p, lang);
            self.view.error(trf(
                lang,
                Key::BoardLoginRefused,
                &[("target", &target), ("detail", &detail)],
            ));
            link.refused = Some(p);
        }
        if took_rows {
            // Features others deleted drop out of the selection.
            let ds = &self.session.ds;
            self.view.selection = self.view.selection.filter(|s| s.is_in(ds));
            self.view.also_selected.retain(|s| s.is_in(ds));
        }
        let Some(shared) = &mut self.session.shared else {
            return;
        };
        // Offline and back are said once each, quietly (a refused login was said above).
        let why = link
            .writer_offline
            .as_ref()
            .or(link.reader_offline.as_ref());
        let offline = why.is_some();
        if link.refused.is_some() {
            shared.offline = true;
        } else if offline != shared.offline {
            shared.offline = offline;
            let text = if let Some(why) = why {
                trf(lang, Key::BoardOffline, &[("why", &why.message(lang))])
            } else {
                tr(lang, Key::BoardOnline).to_string()
            };
            self.view.info(text);
        }
        // The rows others changed that are free to read now.
        let session = &self.session;
        let mut ask: Vec<(LayerKind, Vec<i64>)> = Vec::new();
        link.wanted.retain(|&(layer, fid), &mut version| {
            let Some(shared) = &session.shared else {
                return false;
            };
            let rows = shared.rows(layer);
            let free = match rows.feature_of(fid) {
                // The window's own write (its answer came after the notice): nothing to read.
                Some(i) if rows.get(i).is_some_and(|h| h.version >= version) => return false,
                Some(i) => !session.has_unsent(layer, i),
                None => !session.inserting(layer),
            };
            if free {
                match ask.iter_mut().find(|(l, _)| *l == layer) {
                    Some((_, fids)) => fids.push(fid),
                    None => ask.push((layer, vec![fid])),
                }
            }
            !free
        });
        for (layer, fids) in ask {
            let _ = link.asks.send(Ask::Rows { layer, fids });
        }
        // The next edit to the writer (one at a time, in order), while there is one.
        if link.refused.is_none()
            && let Some(steps) = self.session.next_batch()
        {
            let _ = link.edits.send(steps);
        }
        // The board replaced: read again once the board has every edit of the window's.
        if link.reload
            && self.session.unsent() == 0
            && self.load.is_none()
            && let Some(shared) = &self.session.shared
        {
            link.reload = false;
            let request = LoadRequest::Board {
                url: shared.url.clone(),
                board: Some(shared.board.name.clone()),
                uids: Vec::new(),
            };
            self.start_load(ctx, request);
        }
        self.want_history();
    }

    /// Asks for the selected feature's history when it is another row, or its row changed.
    /// Once the login is refused nobody would answer: the history says why it cannot be read
    /// rather than waiting for ever (one read before stays shown).
    fn want_history(&mut self) {
        let (Some(shared), Some(link)) = (&self.session.shared, &self.link) else {
            return;
        };
        let wanted = self.view.selection.and_then(|sel| {
            let row = shared.rows(sel.layer()).get(sel.index())?;
            Some((sel.layer(), row.fid, row.version))
        });
        let held = self
            .view
            .history
            .as_ref()
            .map(|h| (h.layer, h.fid, h.version));
        if let Some(p) = &link.refused {
            let lang = self.view.lang;
            let error = || {
                let (_, detail) = refusal(p, lang);
                trf(lang, Key::HistoryLoginRefused, &[("detail", &detail)])
            };
            match &mut self.view.history {
                Some(h) if wanted == held => {
                    if h.entries.is_none() {
                        h.entries = Some(Err(error()));
                    }
                }
                _ => {
                    self.view.history = wanted.map(|(layer, fid, version)| RowHistory {
                        layer,
                        fid,
                        version,
                        entries: Some(Err(error())),
                    });
                }
            }
            return;
        }
        if wanted == held {
            return;
        }
        self.view.history = wanted.map(|(layer, fid, version)| {
            let _ = link.asks.send(Ask::History { layer, fid });
            RowHistory {
                layer,
                fid,
                version,
                entries: None,
            }
        });
    }

    /// Whether the window holds edits the board does not have yet, or is reading rows (tests
    /// wait for it to be idle).
    pub fn board_busy(&self) -> bool {
        self.session.unsent() > 0 || self.link.as_ref().is_some_and(|l| !l.wanted.is_empty())
    }

    /// The conflict dialog's answer.
    pub(super) fn resolve_conflict(&mut self, keep_theirs: bool) {
        let lang = self.view.lang;
        let what = self
            .session
            .shared
            .as_ref()
            .and_then(|s| s.conflict.as_ref())
            .map(|c| c.what.clone())
            .unwrap_or_default();
        if keep_theirs {
            let rows = self.session.keep_theirs();
            if let Some(link) = &mut self.link {
                for row in rows {
                    want(&mut link.wanted, row, u64::MAX);
                }
            }
            self.view
                .info(trf(lang, Key::ConflictKeptTheirs, &[("what", &what)]));
        } else {
            self.session.use_mine();
            self.view
                .info(trf(lang, Key::ConflictUsedMine, &[("what", &what)]));
        }
    }
}

/// A login that cannot succeed, as the window says it: the target and, briefly, why (the
/// server's words, or the catalogue's when there is no password to give).
fn refusal(p: &StoreProblem, lang: crate::i18n::Lang) -> (String, String) {
    match p {
        StoreProblem::LoginRefused { target, detail } => (target.clone(), detail.clone()),
        StoreProblem::NoPassword { target } => {
            (target.clone(), tr(lang, Key::LoginNoPassword).to_string())
        }
        other => (String::new(), other.message(lang)),
    }
}

/// Adds a row to read, at the newest version heard of (`u64::MAX`: read it whatever the
/// window holds).
fn want(wanted: &mut HashMap<(LayerKind, i64), u64>, row: (LayerKind, i64), version: u64) {
    let v = wanted.entry(row).or_insert(version);
    *v = (*v).max(version);
}
