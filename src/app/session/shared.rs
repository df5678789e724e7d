//! A session on a shared board (PostgreSQL/PostGIS, see [`crate::engine::store`]): which row
//! each feature is and at which version (the row map), the edits not yet in the board, and
//! other users' changes taken in.
//!
//! The edits to send are the recovery journal's entries themselves, in order: the same
//! [`Step`]s `zoneatlas apply` runs, each naming its row (`fid`). An entry leaves the journal
//! once the board has it, so that a window closed while offline leaves exactly the unsent
//! edits behind, and they are sent after the next start. An edit (one undo step) goes in one
//! transaction ([`Session::next_batch`]); the threads that talk to the database are the
//! shell's ([`crate::app::board`]): nothing here waits on the network. An undo or a redo is
//! made against what the edit it takes back left: a property's value, and a row version once
//! someone else's change to the row came in since ([`Session::made_against`]), so that the
//! board asks before it overwrites theirs. A new feature has an identity of its own (its
//! step's `uid`), by which the board tells it sent again from a new one.
//!
//! Other users' changes come in as rows read from the board and are made as the engine's
//! operations (property sets and removals, a new geometry, a deletion, an insertion) outside
//! the undo history: undo takes back the user's own edits only ([`Session::take_remote`]).

use serde_json::Value;
use serde_json::value::RawValue;
use std::collections::{HashMap, HashSet};

use super::Session;
use super::history::Made;
use crate::engine::edit::Op;
use crate::engine::export::feature_text;
use crate::engine::model::LayerKind;
use crate::engine::saving::JournalBoard;
use crate::engine::script::{LayerName, ScriptError, ScriptProblem, Step};
use crate::engine::store::apply::{ApplyError, RowStep, RowWritten};
use crate::engine::store::board::RowNow;
use crate::engine::store::schema::BoardName;
use crate::engine::store::{Rows, StoreProblem};

/// A feature's row and the version the window holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    pub fid: i64,
    pub version: u64,
}

/// Feature number ↔ row, for one layer. A feature inserted in the window has no row until the
/// board has it; a deleted one has none any more.
#[derive(Clone, Debug, Default)]
pub struct RowMap {
    rows: Vec<Option<Row>>,
    by_fid: HashMap<i64, usize>,
}

impl RowMap {
    pub fn of(rows: &Rows) -> RowMap {
        let mut map = RowMap::default();
        for (i, (&fid, &version)) in rows.fid.iter().zip(&rows.version).enumerate() {
            map.set(i, Some(Row { fid, version }));
        }
        map
    }

    pub fn get(&self, i: usize) -> Option<Row> {
        self.rows.get(i).copied().flatten()
    }

    pub fn feature_of(&self, fid: i64) -> Option<usize> {
        self.by_fid.get(&fid).copied()
    }

    pub fn set(&mut self, i: usize, row: Option<Row>) {
        if self.rows.len() <= i {
            self.rows.resize(i + 1, None);
        }
        if let Some(old) = self.rows[i].take() {
            self.by_fid.remove(&old.fid);
        }
        if let Some(r) = row {
            self.by_fid.insert(r.fid, i);
        }
        self.rows[i] = row;
    }

    /// Every row and its version, with its feature.
    pub fn iter(&self) -> impl Iterator<Item = (usize, Row)> + '_ {
        self.rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.map(|r| (i, r)))
    }
}

/// What the board refused because someone else changed it since, waiting for the user.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    /// What the user did ("tenant of QV1-B04-01").
    pub what: String,
    pub layer: LayerKind,
    pub feature: usize,
    pub fid: i64,
    pub kind: ConflictKind,
    /// Who changed the row last, and when (UTC), as the board says.
    pub by: Option<String>,
    pub at: Option<String>,
    /// The journal entry (from 0) the conflict is about.
    entry: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ConflictKind {
    /// A property: the value the user set (`None`: removed) and the one the row holds now.
    Value {
        key: String,
        mine: Option<Value>,
        theirs: Option<Value>,
    },
    /// The feature's shape, or the feature itself, changed (the row is at version `now`).
    Shape { now: u64 },
    /// The row is gone: someone deleted the feature.
    Gone,
}

/// A session's link to its board: the row maps and the state of sending.
#[derive(Clone, Debug)]
pub struct Shared {
    /// The database, as the URL names it (never with a password).
    pub url: String,
    pub board: BoardName,
    pub zones: RowMap,
    pub parcels: RowMap,
    /// How many of the journal's first entries are being sent (one transaction).
    pub sending: usize,
    /// An edit the board refused as a conflict: nothing after it is sent until the user says.
    pub conflict: Option<Conflict>,
    /// The board cannot be reached (the shell says so, once).
    pub offline: bool,
    next_edit: u64,
    /// The new features of a recovery journal being replayed that the board took already (the
    /// window closed before their answer came), by identity, with the row each made.
    pub inserted: HashMap<String, i64>,
    /// For each feature another user's change to was taken in: the journal's edit number
    /// last given out then. An undo or redo of an edit sent before it (its number not above)
    /// is made against the row version that edit left, not the one the window holds now.
    taken_in: HashMap<(LayerKind, usize), u64>,
}

impl Shared {
    pub fn rows(&self, layer: LayerKind) -> &RowMap {
        match layer {
            LayerKind::Zones => &self.zones,
            LayerKind::Parcels => &self.parcels,
        }
    }

    fn rows_mut(&mut self, layer: LayerKind) -> &mut RowMap {
        match layer {
            LayerKind::Zones => &mut self.zones,
            LayerKind::Parcels => &mut self.parcels,
        }
    }
}

/// The feature a journal entry is about: the one it names by number, or, for an insertion,
/// the one it made (its `fid` placeholder).
fn entry_feature(step: &Step, fid: Option<i64>) -> Option<usize> {
    step.feature().or_else(|| match fid {
        Some(f) if f < 0 => usize::try_from(-(f + 1)).ok(),
        _ => None,
    })
}

impl Session {
    /// Opens a board: its data (the history and the journal start afresh) and each feature's
    /// row.
    pub fn open_board(
        &mut self,
        ds: crate::engine::dataset::Dataset,
        url: String,
        board: BoardName,
        zones: &Rows,
        parcels: Option<&Rows>,
    ) {
        self.shared = None;
        self.replace(ds, (None, None), (None, None));
        self.journal.board = Some(JournalBoard {
            url: url.clone(),
            board: board.name.clone(),
        });
        self.shared = Some(Shared {
            url,
            board,
            zones: RowMap::of(zones),
            parcels: parcels.map(RowMap::of).unwrap_or_default(),
            sending: 0,
            conflict: None,
            offline: false,
            next_edit: 0,
            inserted: HashMap::new(),
            taken_in: HashMap::new(),
        });
    }

    pub fn is_shared(&self) -> bool {
        self.shared.is_some()
    }

    /// Edits made in the window that the board does not have yet (being sent, waiting for an
    /// answer to a conflict, offline, or refused).
    pub fn unsent(&self) -> usize {
        if self.shared.is_some() {
            self.journal.entries.len()
        } else {
            0
        }
    }

    /// A journal entry for a shared board: the step as the board takes it and the row it
    /// names. A restored feature's row is gone (a deletion deletes it), so it goes back as a
    /// new one: an insertion of its text. A new feature gets an identity of its own
    /// ([`new_uid`]) before it is ever sent, by which the board tells it sent again.
    pub(super) fn shared_step(&self, op: &Op, inverse: &Op, step: Step) -> (Step, Option<i64>) {
        let Some(shared) = &self.shared else {
            return (step, None);
        };
        let layer = op.layer();
        let feature = match (op, inverse) {
            (Op::Insert { .. }, Op::Delete { feature, .. }) => Some(*feature),
            (Op::Insert { .. }, _) => None,
            (
                Op::Set { feature, .. }
                | Op::Geometry { feature, .. }
                | Op::Delete { feature, .. }
                | Op::Restore { feature, .. },
                _,
            ) => Some(*feature),
        };
        let placeholder = |i: usize| -(i as i64) - 1;
        let step = match (op, &self.ds) {
            (Op::Restore { feature, .. }, ds) => {
                let doc = match layer {
                    LayerKind::Zones => Some(&ds.zones.doc),
                    LayerKind::Parcels => ds.parcels.as_ref().map(|p| &p.doc),
                };
                match doc {
                    Some(doc) => Step::Insert {
                        layer: LayerName::from(layer),
                        feature: None,
                        raw: Some(feature_text(doc, *feature)),
                        uid: None,
                    },
                    None => step,
                }
            }
            _ => step,
        };
        let step = match step {
            Step::Insert {
                layer,
                feature,
                raw,
                ..
            } => Step::Insert {
                layer,
                feature,
                raw,
                uid: Some(new_uid()),
            },
            step => step,
        };
        let fid = feature.map(|i| {
            let row = match step {
                Step::Insert { .. } => None,
                _ => shared.rows(layer).get(i),
            };
            row.map_or(placeholder(i), |r| r.fid)
        });
        (step, fid)
    }

    /// The row version an undo or redo operation `op` of `taken_back` is made against, when it
    /// carries one (a reshape, a deletion): the version `taken_back` left the row at, once
    /// another user's change to the feature came in since (the board, holding theirs, then
    /// asks). `None` otherwise: the window holds what `taken_back` left (its own later edits
    /// of the row were undone), and the step goes against the version it holds when sent.
    pub(super) fn made_against(&self, op: &Op, taken_back: &Made) -> Option<u64> {
        let shared = self.shared.as_ref()?;
        let (layer, feature) = match op {
            Op::Geometry { layer, feature, .. }
            | Op::Delete { layer, feature }
            | Op::Restore { layer, feature }
            | Op::Set { layer, feature, .. } => (*layer, *feature),
            Op::Insert { .. } => return None,
        };
        let since = *shared.taken_in.get(&(layer, feature))?;
        if since < taken_back.sent() {
            return None;
        }
        taken_back.left(layer, feature)
    }

    /// Numbers the journal entries just added as one edit; the number (0 off a board).
    pub(super) fn mark_edit(&mut self, from: usize) -> u64 {
        let Some(shared) = &mut self.shared else {
            return 0;
        };
        shared.next_edit += 1;
        let edit = shared.next_edit;
        for e in &mut self.journal.entries[from..] {
            e.edit = edit;
        }
        edit
    }

    /// The next edit to send, as the board takes it: the first unsent edit's steps, each on its
    /// row, at the version its entry was made against (an undo's, a redo's, "Use mine"'s),
    /// else at the one the window holds. `None` while one is being sent or a conflict
    /// waits, or when nothing is left. A step on a feature whose insertion the board has not
    /// taken yet waits for it (it goes in the next transaction).
    pub fn next_batch(&mut self) -> Option<Vec<RowStep>> {
        let shared = self.shared.as_ref()?;
        if shared.sending > 0 || shared.conflict.is_some() {
            return None;
        }
        let start = self.journal.entries.iter().position(|e| !e.refused)?;
        let edit = self.journal.entries[start].edit;
        let mut steps = Vec::new();
        for e in self.journal.entries[start..]
            .iter()
            .take_while(|e| e.edit == edit && !e.refused)
        {
            let layer = e.step.layer();
            let step = match &e.step {
                Step::Insert { .. } => RowStep {
                    layer,
                    fid: None,
                    step: e.step.clone(),
                },
                _ => {
                    let row = entry_feature(&e.step, e.fid).and_then(|i| shared.rows(layer).get(i));
                    let Some(row) = row else { break };
                    // Made against the version the window holds, unless it says which.
                    let step = match e.step.version() {
                        Some(_) => e.step.clone(),
                        None => e.step.clone().with_version(row.version),
                    };
                    RowStep {
                        layer,
                        fid: Some(row.fid),
                        step,
                    }
                }
            };
            steps.push(step);
        }
        if steps.is_empty() {
            // Its feature has no row and none is coming (its insertion was refused): it
            // cannot reach the board; it stays in the journal, marked.
            self.journal.entries[start].refused = true;
            return self.next_batch();
        }
        // Refused entries before it stay where they are: they are not sent again.
        if start > 0 {
            let batch: Vec<_> = self
                .journal
                .entries
                .drain(start..start + steps.len())
                .collect();
            for (k, e) in batch.into_iter().enumerate() {
                self.journal.entries.insert(k, e);
            }
        }
        if let Some(shared) = &mut self.shared {
            shared.sending = steps.len();
        }
        Some(steps)
    }

    /// The board took the edit being sent: each feature it changed takes its row and version
    /// (a new feature its row), the edit keeps them in the undo history, and it leaves the
    /// journal.
    pub fn batch_written(&mut self, written: &[RowWritten]) {
        let Some(shared) = &mut self.shared else {
            return;
        };
        let sent = shared.sending.min(self.journal.entries.len());
        shared.sending = 0;
        let entries: Vec<_> = self.journal.entries.drain(..sent).collect();
        let mut left = Vec::new();
        // The board lists the rows written in the order the steps first changed them.
        let mut seen = HashSet::new();
        let touched: Vec<(LayerKind, usize)> = entries
            .iter()
            .filter_map(|e| Some((e.step.layer(), entry_feature(&e.step, e.fid)?)))
            .filter(|t| seen.insert(*t))
            .collect();
        for ((layer, i), w) in touched.into_iter().zip(written) {
            if w.layer != layer {
                continue;
            }
            let row = w.version.map(|version| Row {
                fid: w.fid,
                version,
            });
            shared.rows_mut(layer).set(i, row);
            left.push((layer, i, w.version));
            // Later steps on the feature named it by its number: they now name its row.
            let placeholder = -(i as i64) - 1;
            for e in &mut self.journal.entries {
                if e.fid == Some(placeholder) && e.step.layer() == layer {
                    e.fid = Some(w.fid);
                }
            }
        }
        if let Some(e) = entries.first() {
            self.history.written(e.edit, &left);
        }
        if self.journal.entries.is_empty() {
            self.history.mark_saved();
        }
        self.store_journal();
    }

    /// The board refused the edit being sent because someone else changed what it was made
    /// against: it waits for the user's choice (nothing after it is sent meanwhile).
    pub fn batch_conflict(&mut self, error: &ApplyError, by: Option<String>, at: Option<String>) {
        let Some(shared) = &mut self.shared else {
            return;
        };
        let sent = std::mem::take(&mut shared.sending);
        let entry = match error {
            ApplyError::Script(ScriptError { position, .. }) => position.saturating_sub(1),
            ApplyError::Store(StoreProblem::RowChanged { fid, layer }) => self.journal.entries
                [..sent.min(self.journal.entries.len())]
                .iter()
                .position(|e| {
                    crate::engine::store::board::layer_name(e.step.layer()) == *layer
                        && entry_feature(&e.step, e.fid)
                            .and_then(|i| shared.rows(e.step.layer()).get(i))
                            .is_some_and(|r| r.fid == *fid)
                })
                .unwrap_or(0),
            ApplyError::Store(_) => 0,
        };
        let Some(e) = self.journal.entries.get(entry) else {
            return;
        };
        let layer = e.step.layer();
        let feature = entry_feature(&e.step, e.fid).unwrap_or(0);
        let fid = shared.rows(layer).get(feature).map_or(-1, |r| r.fid);
        let kind = match (error, &e.step) {
            (
                ApplyError::Script(ScriptError {
                    problem: ScriptProblem::Changed { key, now },
                    ..
                }),
                step,
            ) => ConflictKind::Value {
                key: key.clone(),
                mine: match step {
                    Step::Set { value, .. } => Some(value.clone()),
                    _ => None,
                },
                theirs: now.clone(),
            },
            (
                ApplyError::Script(ScriptError {
                    problem: ScriptProblem::VersionChanged { now, .. },
                    ..
                }),
                _,
            ) => ConflictKind::Shape { now: *now },
            _ => ConflictKind::Gone,
        };
        shared.conflict = Some(Conflict {
            what: e.what.clone(),
            layer,
            feature,
            fid,
            kind,
            by,
            at,
            entry,
        });
    }

    /// The board refused the edit being sent for another reason (a permission, a value it
    /// will not take): it stays in the journal, not sent again by this window, and the ones
    /// after it go on.
    pub fn batch_refused(&mut self) {
        let Some(shared) = &mut self.shared else {
            return;
        };
        let sent = std::mem::take(&mut shared.sending);
        for e in self.journal.entries.iter_mut().take(sent) {
            e.refused = true;
        }
        self.store_journal();
    }

    /// "Keep theirs": the conflicting edit is dropped (with the rest of its edit), from the
    /// journal and from the undo history (undoing or redoing it would put back a value the
    /// board no longer holds); returns the rows the window must read again to hold them as
    /// the board does.
    pub fn keep_theirs(&mut self) -> Vec<(LayerKind, i64)> {
        let Some(shared) = &mut self.shared else {
            return Vec::new();
        };
        let Some(conflict) = shared.conflict.take() else {
            return Vec::new();
        };
        let edit = self.journal.entries.get(conflict.entry).map(|e| e.edit);
        let mut rows = Vec::new();
        self.journal.entries.retain(|e| {
            let drop = Some(e.edit) == edit && !e.refused;
            if drop
                && let Some(row) =
                    entry_feature(&e.step, e.fid).and_then(|i| shared.rows(e.step.layer()).get(i))
            {
                rows.push((e.step.layer(), row.fid));
            }
            !drop
        });
        if conflict.fid >= 0 && !rows.contains(&(conflict.layer, conflict.fid)) {
            rows.push((conflict.layer, conflict.fid));
        }
        if let Some(edit) = edit {
            self.history.forget(edit);
        }
        if self.journal.entries.is_empty() {
            self.history.mark_saved();
        }
        self.store_journal();
        rows
    }

    /// "Use mine": the conflicting step is made again against what the row holds now (their
    /// value; their version, for every step of its edit on that row), and sent again.
    pub fn use_mine(&mut self) {
        let Some(shared) = &mut self.shared else {
            return;
        };
        let Some(conflict) = shared.conflict.take() else {
            return;
        };
        match &conflict.kind {
            ConflictKind::Value { theirs, .. } => {
                if let Some(e) = self.journal.entries.get_mut(conflict.entry) {
                    match &mut e.step {
                        Step::Set { from, .. } | Step::Unset { from, .. } => {
                            *from = Some(theirs.clone().unwrap_or(Value::Null));
                        }
                        _ => {}
                    }
                }
            }
            ConflictKind::Shape { now } => {
                let edit = self.journal.entries.get(conflict.entry).map(|e| e.edit);
                for e in &mut self.journal.entries {
                    if Some(e.edit) == edit
                        && !e.refused
                        && e.step.layer() == conflict.layer
                        && entry_feature(&e.step, e.fid) == Some(conflict.feature)
                    {
                        e.step = e.step.clone().with_version(*now);
                    }
                }
            }
            // Nothing to make it against: the row is gone.
            ConflictKind::Gone => {}
        }
        self.store_journal();
    }

    /// Whether the window has an unsent edit of this feature (another user's change to it
    /// waits until the board has the window's).
    pub fn has_unsent(&self, layer: LayerKind, feature: usize) -> bool {
        self.shared.is_some()
            && self
                .journal
                .entries
                .iter()
                .any(|e| e.step.layer() == layer && entry_feature(&e.step, e.fid) == Some(feature))
    }

    /// Whether the window has an unsent new feature in this layer: a row the window does not
    /// know may be its own, not yet answered for.
    pub fn inserting(&self, layer: LayerKind) -> bool {
        self.shared.is_some()
            && self
                .journal
                .entries
                .iter()
                .any(|e| e.step.layer() == layer && matches!(e.step, Step::Insert { .. }))
    }

    /// Takes in other users' changes: `rows`, read from the board, and the rows of `asked`
    /// that are gone. Each is made as the engine's operations, outside the undo history and
    /// the journal. Rows the window has unsent edits of are left for later: returned.
    pub fn take_remote(&mut self, layer: LayerKind, rows: &[RowNow], asked: &[i64]) -> Vec<i64> {
        let Some(shared) = &self.shared else {
            return Vec::new();
        };
        let mut later = Vec::new();
        let mut ops = Vec::new();
        let mut rows_now = Vec::new();
        let doc = match layer {
            LayerKind::Zones => Some(&self.ds.zones.doc),
            LayerKind::Parcels => self.ds.parcels.as_ref().map(|p| &p.doc),
        };
        let Some(doc) = doc else {
            return Vec::new();
        };
        let mut next_new = doc.len();
        for fid in asked {
            if rows.iter().any(|r| r.fid == *fid) {
                continue;
            }
            let Some(i) = shared.rows(layer).feature_of(*fid) else {
                continue;
            };
            if self.has_unsent(layer, i) {
                later.push(*fid);
                continue;
            }
            if !doc.is_deleted(i) {
                ops.push(Op::Delete { layer, feature: i });
            }
            rows_now.push((i, None));
        }
        for r in rows {
            match shared.rows(layer).feature_of(r.fid) {
                Some(i) => {
                    if self.has_unsent(layer, i) {
                        later.push(r.fid);
                        continue;
                    }
                    // At the version the window holds, the row still wins: the window may hold
                    // an edit of its own the board did not take (its user kept theirs).
                    let held = shared.rows(layer).get(i).map_or(0, |h| h.version);
                    if held > r.version {
                        continue;
                    }
                    // A deletion of the window's the board did not take (kept theirs): back.
                    if doc.is_deleted(i) {
                        ops.push(Op::Restore { layer, feature: i });
                    }
                    ops.extend(changes_to(doc, layer, i, &r.feature));
                    rows_now.push((
                        i,
                        Some(Row {
                            fid: r.fid,
                            version: r.version,
                        }),
                    ));
                }
                None => {
                    if self.inserting(layer) {
                        later.push(r.fid);
                        continue;
                    }
                    ops.push(Op::Insert {
                        layer,
                        feature: r.feature.as_str().into(),
                    });
                    rows_now.push((
                        next_new,
                        Some(Row {
                            fid: r.fid,
                            version: r.version,
                        }),
                    ));
                    next_new += 1;
                }
            }
        }
        let mut made = Vec::new();
        for op in ops {
            // An operation the data cannot take (a row's text that is not a feature) is left
            // out: the rest still comes in.
            if self.ds.apply(&op).is_ok() {
                made.push(op);
            }
        }
        if let Some(shared) = &mut self.shared {
            for (i, row) in rows_now {
                shared.rows_mut(layer).set(i, row);
                // Undoing the window's earlier edits of it now asks first.
                shared.taken_in.insert((layer, i), shared.next_edit);
            }
        }
        if !made.is_empty() {
            self.changed(&made);
        }
        later
    }
}

/// An identity for a new feature, made by the window before the board ever sees it: 128 bits
/// from the standard library's randomly keyed hasher (seeded by the system, per process) over
/// the time, the process and a count, so that no two windows, here or elsewhere, give the same.
fn new_uid() -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let n = COUNT.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let half = |salt: u64| {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(salt);
        h.write_u64(n);
        h.write_u128(nanos);
        h.write_u32(std::process::id());
        h.finish()
    };
    format!("{:016x}{:016x}", half(1), half(2))
}

/// The operations that make feature `i` what the row's text `text` says: its properties set
/// or removed, its geometry replaced.
fn changes_to(
    doc: &crate::engine::geojson::Document,
    layer: LayerKind,
    i: usize,
    text: &str,
) -> Vec<Op> {
    #[derive(serde::Deserialize)]
    struct Feature<'a> {
        #[serde(borrow, default)]
        geometry: Option<&'a RawValue>,
        #[serde(default)]
        properties: Option<serde_json::Map<String, Value>>,
    }
    let Ok(remote) = serde_json::from_str::<Feature>(text) else {
        return Vec::new();
    };
    let mut ops = Vec::new();
    let local = doc.properties(i);
    let theirs = remote.properties.unwrap_or_default();
    for (key, value) in &theirs {
        if local.iter().find(|(k, _)| k == key).map(|(_, v)| v) != Some(value) {
            ops.push(Op::Set {
                layer,
                feature: i,
                key: key.clone(),
                value: Some(value.clone()),
            });
        }
    }
    for (key, _) in &local {
        if !theirs.contains_key(key) {
            ops.push(Op::Set {
                layer,
                feature: i,
                key: key.clone(),
                value: None,
            });
        }
    }
    if let Some(geometry) = remote.geometry {
        let parse = |s: &str| serde_json::from_str::<Value>(s).ok();
        let same = doc
            .geometry_json(i)
            .is_some_and(|g| parse(g) == parse(geometry.get()));
        if !same {
            ops.push(Op::Geometry {
                layer,
                feature: i,
                geometry: Some(geometry.get().into()),
            });
        }
    }
    ops
}
