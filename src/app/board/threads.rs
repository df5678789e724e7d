//! The two threads that talk to a shared board, each with its own connection, so that the
//! window's thread never waits on the network:
//!
//! - the writer sends the window's edits, one transaction at a time
//!   ([`apply_rows`]), and, while the server cannot be reached, keeps trying the edit it
//!   holds, waiting longer each time (up to [`MAX_WAIT`]); an edit refused as a conflict that
//!   the board holds already ([`already_applied`]: its first sending was taken, the answer
//!   lost with the connection) is answered as written;
//! - the reader `LISTEN`s on the board's channel and passes each change on; after each
//!   (re)connection it sends every row's version, so that changes made while it was away are
//!   caught too; it reads the rows and histories the window asks for, without locking.
//!
//! Both end when the window drops its [`super::Link`], and when their login cannot succeed
//! ([`StoreProblem::is_login_refused`]: the server refused it, or it asks for a password and
//! none is set): trying again would fail again.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError};
use std::time::{Duration, Instant};

use postgres::fallible_iterator::FallibleIterator;

use crate::engine::model::LayerKind;
use crate::engine::store::apply::{ApplyError, RowStep, RowWritten, already_applied, apply_rows};
use crate::engine::store::board::{self, RowNow, layer_name};
use crate::engine::store::history::{self, Entry};
use crate::engine::store::schema::BoardName;
use crate::engine::store::{StoreProblem, Target};

/// The longest wait between two tries to reach the server.
pub const MAX_WAIT: Duration = Duration::from_secs(2);
const FIRST_WAIT: Duration = Duration::from_millis(200);

/// What the writer answers for an edit.
pub enum Written {
    Done(Vec<RowWritten>),
    /// The board holds this edit already (sent before, its answer lost): nothing was written;
    /// the rows as they are now.
    AlreadyIn(Vec<RowWritten>),
    /// Someone else changed what the edit was made against; who changed the row last, when.
    Conflict {
        error: ApplyError,
        by: Option<String>,
        at: Option<String>,
    },
    /// The board refused it otherwise (permission, a value it does not take).
    Refused(ApplyError),
    /// The server cannot be reached: the edit is held and tried again.
    Offline(StoreProblem),
    /// Reached again.
    Online,
    /// The login cannot succeed ([`StoreProblem::is_login_refused`]: refused by the server,
    /// or no password to give it): the writer has ended, the edit unsent.
    LoginRefused(StoreProblem),
}

/// What the reader asks of the board for the window.
#[derive(Clone, Debug, PartialEq)]
pub enum Ask {
    Rows { layer: LayerKind, fids: Vec<i64> },
    History { layer: LayerKind, fid: i64 },
}

/// What the reader passes on.
pub enum Read {
    /// A row changed (`deleted`: it is gone), at `version`.
    Noticed {
        layer: LayerKind,
        fid: i64,
        version: u64,
    },
    /// The whole board was replaced (an import): read it again.
    Reload,
    /// Every row's version, after a (re)connection.
    Versions {
        zones: Vec<(i64, u64)>,
        parcels: Vec<(i64, u64)>,
    },
    Rows {
        layer: LayerKind,
        rows: Vec<RowNow>,
        asked: Vec<i64>,
    },
    History {
        layer: LayerKind,
        fid: i64,
        entries: Result<Vec<Entry>, StoreProblem>,
    },
    Offline(StoreProblem),
    Online,
    /// The login cannot succeed (as [`Written::LoginRefused`]): the reader has ended.
    LoginRefused(StoreProblem),
}

/// Sleeps `wait` in short steps; false when told to stop meanwhile.
fn pause(wait: Duration, stop: &AtomicBool) -> bool {
    let until = Instant::now() + wait;
    while Instant::now() < until {
        if stop.load(Ordering::Relaxed) {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    !stop.load(Ordering::Relaxed)
}

/// Whether a client's connection is lost (after an error).
fn lost(client: &mut postgres::Client) -> bool {
    client.is_closed() || client.is_valid(Duration::from_secs(2)).is_err()
}

/// The writer: takes edits from `edits` in order, answers each on `answers`.
pub fn writer(
    target: Target,
    board: BoardName,
    edits: Receiver<Vec<RowStep>>,
    answers: Sender<Written>,
    stop: Arc<AtomicBool>,
    wake: impl Fn(),
) {
    let send = |w: Written| {
        let _ = answers.send(w);
        wake();
    };
    let mut client: Option<postgres::Client> = None;
    let mut offline = false;
    while let Ok(steps) = edits.recv() {
        let mut wait = FIRST_WAIT;
        loop {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            if client.is_none() {
                match target.connect() {
                    Ok(c) => client = Some(c),
                    Err(p) if p.is_login_refused() => {
                        send(Written::LoginRefused(p));
                        return;
                    }
                    Err(p) => {
                        if !offline {
                            offline = true;
                            send(Written::Offline(p));
                        }
                        if !pause(wait, &stop) {
                            return;
                        }
                        wait = (wait * 2).min(MAX_WAIT);
                        continue;
                    }
                }
            }
            let Some(c) = client.as_mut() else {
                continue;
            };
            if offline {
                offline = false;
                send(Written::Online);
            }
            let answer = match apply_rows(c, &target, &board, &steps) {
                Ok(rows) => Ok(Written::Done(rows)),
                Err(error) if error.is_conflict() => {
                    match already_applied(c, &target, &board, &steps) {
                        Ok(Some(rows)) => Ok(Written::AlreadyIn(rows)),
                        // Lost meanwhile: tried again once connected again.
                        Err(p) if lost(c) => Err(ApplyError::Store(p)),
                        _ => {
                            let (by, at) = who_changed(c, &board, &steps, &error);
                            Ok(Written::Conflict { error, by, at })
                        }
                    }
                }
                Err(error) => Err(error),
            };
            match answer {
                Ok(w) => {
                    send(w);
                    break;
                }
                Err(error) => {
                    if lost(c) {
                        client = None;
                        if let ApplyError::Store(p) = &error {
                            offline = true;
                            send(Written::Offline(p.clone()));
                        }
                        if !pause(wait, &stop) {
                            return;
                        }
                        wait = (wait * 2).min(MAX_WAIT);
                        continue;
                    }
                    send(Written::Refused(error));
                    break;
                }
            }
        }
    }
}

/// Who changed the row a refused step is about last, and when (read without a lock).
fn who_changed(
    client: &mut postgres::Client,
    board: &BoardName,
    steps: &[RowStep],
    error: &ApplyError,
) -> (Option<String>, Option<String>) {
    let step = match error {
        ApplyError::Script(e) => steps.get(e.position.saturating_sub(1)),
        _ => steps.first(),
    };
    let Some(RowStep {
        layer,
        fid: Some(fid),
        ..
    }) = step
    else {
        return (None, None);
    };
    match board::read_rows(client, board, *layer, &[*fid]) {
        Ok(rows) => match rows.into_iter().next() {
            Some(r) => (Some(r.changed_by), Some(r.changed_at)),
            None => (None, None),
        },
        Err(_) => (None, None),
    }
}

/// A notice as the board's trigger writes it.
#[derive(serde::Deserialize)]
struct Notice {
    #[serde(default)]
    reload: bool,
    #[serde(default)]
    layer: String,
    #[serde(default)]
    fid: i64,
    #[serde(default)]
    version: i64,
}

/// The reader: listens, and answers what `asks` asks.
pub fn reader(
    target: Target,
    board: BoardName,
    asks: Receiver<Ask>,
    out: Sender<Read>,
    stop: Arc<AtomicBool>,
    wake: impl Fn(),
) {
    let send = |r: Read| {
        let _ = out.send(r);
        wake();
    };
    let mut waiting: VecDeque<Ask> = VecDeque::new();
    let mut offline = false;
    let mut wait = FIRST_WAIT;
    let channel = board.channel();
    while !stop.load(Ordering::Relaxed) {
        let connected = target.connect().and_then(|mut c| {
            // The channel is made from the board's folded name alone ([a-z0-9_]).
            c.batch_execute(&format!("LISTEN \"{channel}\""))?;
            let zones = board::versions(&mut c, &board, LayerKind::Zones)?;
            let parcels = board::versions(&mut c, &board, LayerKind::Parcels)?;
            Ok((c, zones, parcels))
        });
        let mut client = match connected {
            Err(p) if p.is_login_refused() => {
                send(Read::LoginRefused(p));
                return;
            }
            Ok((c, zones, parcels)) => {
                if offline {
                    offline = false;
                    send(Read::Online);
                }
                wait = FIRST_WAIT;
                send(Read::Versions { zones, parcels });
                c
            }
            Err(p) => {
                if !offline {
                    offline = true;
                    send(Read::Offline(p));
                }
                if !pause(wait, &stop) {
                    return;
                }
                wait = (wait * 2).min(MAX_WAIT);
                continue;
            }
        };
        let mut checked = Instant::now();
        // Until the connection is lost.
        let problem = loop {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            loop {
                match asks.try_recv() {
                    Ok(a) => waiting.push_back(a),
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => return,
                }
            }
            let mut failed = None;
            while let Some(ask) = waiting.front() {
                let answer = match ask {
                    Ask::Rows { layer, fids } => {
                        board::read_rows(&mut client, &board, *layer, fids).map(|rows| Read::Rows {
                            layer: *layer,
                            rows,
                            asked: fids.clone(),
                        })
                    }
                    Ask::History { layer, fid } => {
                        match history::of_row(&mut client, &board, layer_name(*layer), *fid) {
                            Ok(entries) => Ok(Read::History {
                                layer: *layer,
                                fid: *fid,
                                entries: Ok(entries),
                            }),
                            Err(e) if !lost(&mut client) => Ok(Read::History {
                                layer: *layer,
                                fid: *fid,
                                entries: Err(e),
                            }),
                            Err(e) => Err(e),
                        }
                    }
                };
                match answer {
                    Ok(r) => {
                        waiting.pop_front();
                        send(r);
                    }
                    Err(e) => {
                        // Asked again once connected again.
                        failed = Some(e);
                        break;
                    }
                }
            }
            if let Some(p) = failed {
                break p;
            }
            let mut notices: Vec<String> = Vec::new();
            let mut broken = None;
            {
                let mut n = client.notifications();
                let mut it = n.timeout_iter(Duration::from_millis(100));
                loop {
                    match it.next() {
                        Ok(Some(note)) => notices.push(note.payload().to_string()),
                        Ok(None) => break,
                        Err(e) => {
                            broken = Some(StoreProblem::from(e));
                            break;
                        }
                    }
                }
            }
            for payload in notices {
                let Ok(n) = serde_json::from_str::<Notice>(&payload) else {
                    continue;
                };
                if n.reload {
                    send(Read::Reload);
                    continue;
                }
                let layer = match n.layer.as_str() {
                    "zones" => LayerKind::Zones,
                    "parcels" => LayerKind::Parcels,
                    _ => continue,
                };
                send(Read::Noticed {
                    layer,
                    fid: n.fid,
                    version: u64::try_from(n.version).unwrap_or(0),
                });
            }
            if let Some(p) = broken {
                break p;
            }
            // A connection cut without a word (a cable pulled) shows only when used.
            if client.is_closed()
                || (checked.elapsed() > Duration::from_secs(3) && lost(&mut client))
            {
                break StoreProblem::Server {
                    detail: "the connection was lost".into(),
                };
            }
            if checked.elapsed() > Duration::from_secs(3) {
                checked = Instant::now();
            }
        };
        if !offline {
            offline = true;
            send(Read::Offline(problem));
        }
        if !pause(wait, &stop) {
            return;
        }
    }
}
