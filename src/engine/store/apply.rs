//! Edits into the store, without lost updates: an edit script applied to the board as it is
//! in the database, under the board's lock, in one transaction ([`apply_script`]). A step made
//! against a value (`from`) or a row version that someone else has changed since is refused,
//! and then nothing at all is written; so is an insertion whose new feature's `uid` the
//! history holds already (it was made before, its answer lost). What the steps changed is
//! written back row by row ([`persist`]), each change with its inverse in the history.

use postgres::GenericClient;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

use super::board::{self, Rows, layer_name, row_of};
use super::schema::BoardName;
use super::{StoreProblem, Target};
use crate::engine::dataset::Dataset;
use crate::engine::edit::Op;
use crate::engine::model::LayerKind;
use crate::engine::script::{self, Applied, ScriptError, ScriptProblem, Step};

/// Why an `apply` wrote nothing.
#[derive(Clone, Debug, PartialEq)]
pub enum ApplyError {
    /// A step cannot apply (a conflict among them: see [`ApplyError::is_conflict`]).
    Script(ScriptError),
    Store(StoreProblem),
}

impl ApplyError {
    /// Someone else changed what a step was made against, or the board holds a new feature of
    /// the steps already (they were applied before): either way, nothing was written.
    pub fn is_conflict(&self) -> bool {
        matches!(
            self,
            ApplyError::Script(ScriptError {
                problem: ScriptProblem::Changed { .. }
                    | ScriptProblem::VersionChanged { .. }
                    | ScriptProblem::AlreadyInserted { .. },
                ..
            }) | ApplyError::Store(StoreProblem::RowChanged { .. })
        )
    }
}

impl From<StoreProblem> for ApplyError {
    fn from(p: StoreProblem) -> ApplyError {
        ApplyError::Store(p)
    }
}

impl From<postgres::Error> for ApplyError {
    fn from(e: postgres::Error) -> ApplyError {
        ApplyError::Store(e.into())
    }
}

/// What an `apply` did: the operations made and the rows written.
#[derive(Clone, Debug, PartialEq)]
pub struct Done {
    pub operations: usize,
    pub rows: usize,
}

/// Applies an edit script to a board in one transaction, on the data as the database holds
/// it under the board's lock. When a step cannot apply — among them a step whose `from` or
/// `version` someone else has changed since — nothing is written and the error names it.
pub fn apply_script(
    client: &mut postgres::Client,
    target: &Target,
    board: &BoardName,
    steps: &[Step],
) -> Result<Done, ApplyError> {
    let mut tx = client.transaction()?;
    board::lock(&mut tx, board)?;
    not_inserted_yet(&mut tx, board, steps)?;
    let loaded = board::load(&mut tx, target, board)?;
    let (mut ds, zones, parcels) = (loaded.dataset, loaded.zones, loaded.parcels);
    let version = |layer: LayerKind, i: usize| match layer {
        LayerKind::Zones => zones.version.get(i).copied(),
        LayerKind::Parcels => parcels.as_ref()?.version.get(i).copied(),
    };
    let made = script::run_with(&mut ds, steps, &version).map_err(ApplyError::Script)?;
    let rows = persist(&mut tx, board, &ds, &zones, parcels.as_ref(), steps, &made)?;
    tx.commit()?;
    Ok(Done {
        operations: made.len(),
        rows: rows.len(),
    })
}

/// Writes the rows the operations changed (`ds` is the data after them; `zones` / `parcels`
/// the rows it was read from) and one history entry for each operation (an insertion's with
/// the `uid` its step gave the new feature; `steps` are those `made` came from). A row whose
/// version is no longer the one read is not overwritten: [`StoreProblem::RowChanged`].
/// Returns the rows written.
pub fn persist(
    tx: &mut postgres::Transaction<'_>,
    board: &BoardName,
    ds: &Dataset,
    zones: &Rows,
    parcels: Option<&Rows>,
    steps: &[Step],
    made: &[Applied],
) -> Result<Vec<RowWritten>, StoreProblem> {
    let rows_of = |layer: LayerKind| match layer {
        LayerKind::Zones => Some(zones),
        LayerKind::Parcels => parcels,
    };
    // The features changed, each once, in the order first changed.
    let mut seen = HashSet::new();
    let touched: Vec<(LayerKind, usize)> = made
        .iter()
        .map(|a| (a.op.layer(), target_of(a)))
        .filter(|t| seen.insert(*t))
        .collect();
    // Where each changed feature is now: its row and version (`None`: deleted).
    let mut written: HashMap<(LayerKind, usize), (i64, Option<i64>)> = HashMap::new();
    for &(layer, i) in &touched {
        let table = board.table(layer_name(layer));
        let doc = match layer {
            LayerKind::Zones => &ds.zones.doc,
            LayerKind::Parcels => match &ds.parcels {
                Some(p) => &p.doc,
                None => continue,
            },
        };
        let read = rows_of(layer)
            .filter(|r| i < r.len())
            .map(|r| (r.fid[i], r.version[i] as i64));
        let changed = |fid: i64| StoreProblem::RowChanged {
            layer: layer_name(layer),
            fid,
        };
        match (read, doc.is_deleted(i)) {
            (Some((fid, version)), true) => {
                let n = tx.execute(
                    &format!("DELETE FROM {table} WHERE fid = $1 AND version = $2"),
                    &[&fid, &version],
                )?;
                if n != 1 {
                    return Err(changed(fid));
                }
                written.insert((layer, i), (fid, None));
            }
            (Some((fid, version)), false) => {
                let Some(row) = row_of(ds, layer, i) else {
                    continue;
                };
                let now = tx.query_opt(
                    &format!(
                        "UPDATE {table} SET id = $3, feature = $4::text::json,
                                geom = ST_GeomFromEWKB($5)
                         WHERE fid = $1 AND version = $2 RETURNING version"
                    ),
                    &[&fid, &version, &row.id, &row.feature, &row.wkb],
                )?;
                let now: i64 = now.ok_or_else(|| changed(fid))?.get(0);
                written.insert((layer, i), (fid, Some(now)));
            }
            (None, false) => {
                let Some(row) = row_of(ds, layer, i) else {
                    continue;
                };
                let fid: i64 = tx
                    .query_one(
                        "SELECT nextval($1::text::regclass)",
                        &[&board.sequence(layer_name(layer))],
                    )?
                    .get(0);
                let now: i64 = tx
                    .query_one(
                        &format!(
                            "INSERT INTO {table} (fid, id, feature, geom)
                             VALUES ($1, $2, $3::text::json, ST_GeomFromEWKB($4))
                             RETURNING version"
                        ),
                        &[&fid, &row.id, &row.feature, &row.wkb],
                    )?
                    .get(0);
                written.insert((layer, i), (fid, Some(now)));
            }
            // Inserted and deleted again by the same edits: nothing to write.
            (None, true) => {}
        }
    }
    let history = board.table("history");
    for a in made {
        let layer = a.op.layer();
        let at = target_of(a);
        let Some(&(fid, version)) = written.get(&(layer, at)) else {
            continue;
        };
        let id = history_id(ds, layer, at);
        let mut op = history_step(&a.op, &a.inverse, id.as_deref());
        if let (Op::Insert { .. }, Some(uid), Some(obj)) = (
            &a.op,
            a.step.checked_sub(1).and_then(|k| uid_of(steps.get(k)?)),
            op.as_object_mut(),
        ) {
            obj.insert("uid".into(), Value::from(uid));
        }
        let inverse = history_step(&a.inverse, &a.op, id.as_deref());
        tx.execute(
            &format!(
                "INSERT INTO {history} (layer, fid, id, op, inverse, version)
                 VALUES ($1, $2, $3, $4::text::json, $5::text::json, $6)"
            ),
            &[
                &layer_name(layer),
                &fid,
                &id,
                &op.to_string(),
                &inverse.to_string(),
                &version.unwrap_or(-1),
            ],
        )?;
    }
    let rows: Vec<RowWritten> = touched
        .iter()
        .filter_map(|t| {
            let &(fid, version) = written.get(t)?;
            Some(RowWritten {
                layer: t.0,
                fid,
                version: version.and_then(|v| u64::try_from(v).ok()),
            })
        })
        .collect();
    Ok(rows)
}

/// A row an edit wrote: its version now (`None`: it was deleted).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowWritten {
    pub layer: LayerKind,
    pub fid: i64,
    pub version: Option<u64>,
}

/// One edit as a window sends it: a step on row `fid` of `layer` (`None`: a new feature).
/// The step's own `id` / `at` are not used: the row names the feature.
#[derive(Clone, Debug, PartialEq)]
pub struct RowStep {
    pub layer: LayerKind,
    pub fid: Option<i64>,
    pub step: Step,
}

/// Applies a window's edits in one transaction, reading and locking only the rows they
/// change: the round trip of one edit costs the same on a board of ten lots or of a hundred
/// thousand. As [`apply_script`], a step whose `from` or `version` someone else has changed
/// since is refused and nothing is written; a row someone deleted is
/// [`StoreProblem::RowChanged`].
pub fn apply_rows(
    client: &mut postgres::Client,
    target: &Target,
    board: &BoardName,
    edits: &[RowStep],
) -> Result<Vec<RowWritten>, ApplyError> {
    let mut tx = client.transaction()?;
    let loaded = locked_rows(&mut tx, target, board, edits)?;
    let given: Vec<Step> = edits.iter().map(|e| e.step.clone()).collect();
    not_inserted_yet(&mut tx, board, &given)?;
    let mut steps = Vec::with_capacity(edits.len());
    for e in edits {
        let at = match e.fid {
            Some(fid) => {
                let place = loaded
                    .rows(e.layer)
                    .and_then(|r| r.fid.binary_search(&fid).ok());
                match place {
                    Some(i) => Some(i + 1),
                    None => {
                        return Err(ApplyError::Store(StoreProblem::RowChanged {
                            layer: layer_name(e.layer),
                            fid,
                        }));
                    }
                }
            }
            None => None,
        };
        steps.push(e.step.clone().at(at));
    }
    let (mut ds, zones, parcels) = (loaded.dataset, loaded.zones, loaded.parcels);
    let version = |layer: LayerKind, i: usize| match layer {
        LayerKind::Zones => zones.version.get(i).copied(),
        LayerKind::Parcels => parcels.as_ref()?.version.get(i).copied(),
    };
    let made = script::run_with(&mut ds, &steps, &version).map_err(ApplyError::Script)?;
    let written = persist(&mut tx, board, &ds, &zones, parcels.as_ref(), &steps, &made)?;
    tx.commit()?;
    Ok(written)
}

/// The rows of `layer` the edits name, in order, each once.
/// The board locked for the transaction, then the rows `edits` name read (and locked).
fn locked_rows(
    tx: &mut postgres::Transaction<'_>,
    target: &Target,
    board: &BoardName,
    edits: &[RowStep],
) -> Result<board::Loaded, StoreProblem> {
    board::lock(tx, board)?;
    board::load_rows(
        tx,
        target,
        board,
        &fids(edits, LayerKind::Zones),
        &fids(edits, LayerKind::Parcels),
    )
}

fn fids(edits: &[RowStep], layer: LayerKind) -> Vec<i64> {
    let mut f: Vec<i64> = edits
        .iter()
        .filter(|e| e.layer == layer)
        .filter_map(|e| e.fid)
        .collect();
    f.sort_unstable();
    f.dedup();
    f
}

/// The `uid` an insertion gives its new feature.
fn uid_of(step: &Step) -> Option<&str> {
    match step {
        Step::Insert { uid: Some(uid), .. } => Some(uid),
        _ => None,
    }
}

/// The row the insertion that gave a new feature `uid` made, as the history has it (`None`:
/// no such insertion was ever committed).
fn inserted_row(
    client: &mut impl GenericClient,
    board: &BoardName,
    layer: LayerKind,
    uid: &str,
) -> Result<Option<i64>, StoreProblem> {
    let row = client.query_opt(
        &format!(
            "SELECT fid FROM {} WHERE layer = $1 AND op->>'uid' = $2 ORDER BY seq LIMIT 1",
            board.table("history")
        ),
        &[&layer_name(layer), &uid],
    )?;
    Ok(row.map(|r| r.get(0)))
}

/// Of these new features' identities (a recovery journal's), those the board holds already,
/// with the row the insertion of each made.
pub fn inserted_rows(
    client: &mut impl GenericClient,
    board: &BoardName,
    uids: &[(LayerKind, String)],
) -> Result<HashMap<String, i64>, StoreProblem> {
    let mut rows = HashMap::new();
    if uids.is_empty() {
        return Ok(rows);
    }
    let wanted: Vec<&str> = uids.iter().map(|(_, uid)| uid.as_str()).collect();
    let found = client.query(
        &format!(
            "SELECT op->>'uid', layer, fid FROM {} WHERE op->>'uid' = ANY($1) ORDER BY seq",
            board.table("history")
        ),
        &[&wanted],
    )?;
    for r in found {
        let (uid, layer, fid): (String, String, i64) = (r.get(0), r.get(1), r.get(2));
        let asked = uids
            .iter()
            .any(|(l, u)| *u == uid && layer_name(*l) == layer);
        if asked {
            rows.entry(uid).or_insert(fid);
        }
    }
    Ok(rows)
}

/// `Ok` when no insertion among `steps` gave its new feature a `uid` the board holds already:
/// else that step is refused ([`ScriptProblem::AlreadyInserted`]), as a conflict, and
/// nothing is written: the edit was committed before, and a second copy must not be made.
fn not_inserted_yet(
    client: &mut impl GenericClient,
    board: &BoardName,
    steps: &[Step],
) -> Result<(), ApplyError> {
    for (k, step) in steps.iter().enumerate() {
        let Some(uid) = uid_of(step) else { continue };
        let layer = step.layer();
        if let Some(row) = inserted_row(client, board, layer, uid)? {
            return Err(ApplyError::Script(ScriptError {
                position: k + 1,
                op: step.name(),
                problem: ScriptProblem::AlreadyInserted { layer, row },
            }));
        }
    }
    Ok(())
}

/// Whether the board holds already exactly what a window's edits would write: each row they
/// change reads the same after them (its properties and geometry), each row they delete is
/// gone. So a window tells its own edit, taken by the board before the connection was cut
/// and sent again, from someone else's change (both are refused as conflicts: the first was
/// made against the value the edit itself replaced). An edit that inserts is told by its new
/// features' `uid`s instead ([`inserted_already`]). Returns the rows as the board holds them
/// now, in the order the edits first name them (as [`apply_rows`] answers); `None` when
/// writing the edits would change something, or cannot be told apart (an insertion without
/// a `uid`: which new row would be the edit's?). Reads under the board's lock; writes nothing.
pub fn already_applied(
    client: &mut postgres::Client,
    target: &Target,
    board: &BoardName,
    edits: &[RowStep],
) -> Result<Option<Vec<RowWritten>>, StoreProblem> {
    if edits
        .iter()
        .any(|e| e.fid.is_none() || matches!(e.step, Step::Insert { .. }))
    {
        return inserted_already(client, board, edits);
    }
    let mut tx = client.transaction()?;
    let loaded = locked_rows(&mut tx, target, board, edits)?;
    let deletes = |layer: LayerKind, fid: i64| {
        edits.iter().any(|d| {
            d.layer == layer && d.fid == Some(fid) && matches!(d.step, Step::Delete { .. })
        })
    };
    // The rows in the order first named: where each is in what was read (`None`: gone).
    let mut rows: Vec<(LayerKind, i64, Option<usize>)> = Vec::new();
    let mut steps = Vec::with_capacity(edits.len());
    for e in edits {
        let Some(fid) = e.fid else {
            return Ok(None);
        };
        let place = loaded
            .rows(e.layer)
            .and_then(|r| r.fid.binary_search(&fid).ok());
        if !rows.iter().any(|&(l, f, _)| (l, f) == (e.layer, fid)) {
            rows.push((e.layer, fid, place));
        }
        match place {
            // Unchecked: the value or version it was made against is what differs.
            Some(i) => steps.push(e.step.clone().unchecked().at(Some(i + 1))),
            // A row that is gone is as the edits leave it only when they delete it.
            None if deletes(e.layer, fid) => {}
            None => return Ok(None),
        }
    }
    let (mut ds, zones, parcels) = (loaded.dataset, loaded.zones, loaded.parcels);
    let parsed = |ds: &Dataset, layer: LayerKind, i: usize| {
        row_of(ds, layer, i).and_then(|r| serde_json::from_str::<Value>(&r.feature).ok())
    };
    let before: Vec<Option<Value>> = rows
        .iter()
        .map(|&(layer, _, place)| place.and_then(|i| parsed(&ds, layer, i)))
        .collect();
    if script::run(&mut ds, &steps).is_err() {
        return Ok(None);
    }
    let mut written = Vec::with_capacity(rows.len());
    for (&(layer, fid, place), before) in rows.iter().zip(before) {
        let version = match place {
            Some(i) => {
                let deleted = match layer {
                    LayerKind::Zones => ds.zones.doc.is_deleted(i),
                    LayerKind::Parcels => ds.parcels.as_ref().is_some_and(|p| p.doc.is_deleted(i)),
                };
                if deleted || before.is_none() || parsed(&ds, layer, i) != before {
                    return Ok(None);
                }
                match layer {
                    LayerKind::Zones => zones.version.get(i).copied(),
                    LayerKind::Parcels => parcels.as_ref().and_then(|p| p.version.get(i).copied()),
                }
            }
            None => None,
        };
        written.push(RowWritten {
            layer,
            fid,
            version,
        });
    }
    Ok(Some(written))
}

/// [`already_applied`] for edits that insert: the board's history holds a new feature's
/// `uid` only when the transaction that made it was committed, and with it the whole edit, so
/// the edit is in when every new feature's is, whatever its rows became since (others' later
/// changes are read again by the window). The rows as [`apply_rows`] answers: each row the
/// edits name and each row their insertions made, in the order first named, at its version
/// now (`None`: gone). `None` when a new feature has no `uid`, or one the board does not hold.
fn inserted_already(
    client: &mut postgres::Client,
    board: &BoardName,
    edits: &[RowStep],
) -> Result<Option<Vec<RowWritten>>, StoreProblem> {
    let mut tx = client.transaction()?;
    board::lock(&mut tx, board)?;
    let mut rows: Vec<(LayerKind, i64)> = Vec::new();
    for e in edits {
        let fid = match (uid_of(&e.step), e.fid) {
            (Some(uid), _) => match inserted_row(&mut tx, board, e.layer, uid)? {
                Some(fid) => fid,
                None => return Ok(None),
            },
            (None, Some(fid)) if !matches!(e.step, Step::Insert { .. }) => fid,
            (None, _) => return Ok(None),
        };
        if !rows.contains(&(e.layer, fid)) {
            rows.push((e.layer, fid));
        }
    }
    let mut versions: HashMap<(LayerKind, i64), u64> = HashMap::new();
    for layer in [LayerKind::Zones, LayerKind::Parcels] {
        let fids: Vec<i64> = rows
            .iter()
            .filter(|(l, _)| *l == layer)
            .map(|&(_, f)| f)
            .collect();
        if fids.is_empty() {
            continue;
        }
        let sql = format!(
            "SELECT fid, version FROM {} WHERE fid = ANY($1)",
            board.table(layer_name(layer))
        );
        for r in tx.query(&sql, &[&fids])? {
            let version = u64::try_from(r.get::<_, i64>(1)).unwrap_or(0);
            versions.insert((layer, r.get(0)), version);
        }
    }
    tx.commit()?;
    Ok(Some(
        rows.into_iter()
            .map(|(layer, fid)| RowWritten {
                layer,
                fid,
                version: versions.get(&(layer, fid)).copied(),
            })
            .collect(),
    ))
}

/// The feature an applied operation changed (an insertion's is named by its inverse).
fn target_of(a: &Applied) -> usize {
    match (&a.op, &a.inverse) {
        (Op::Insert { .. }, Op::Delete { feature, .. }) => *feature,
        (
            Op::Set { feature, .. }
            | Op::Geometry { feature, .. }
            | Op::Delete { feature, .. }
            | Op::Restore { feature, .. },
            _,
        ) => *feature,
        _ => usize::MAX,
    }
}

/// The id the history files a change under: the feature's id after it (a deleted feature
/// keeps the one it had).
fn history_id(ds: &Dataset, layer: LayerKind, i: usize) -> Option<String> {
    match layer {
        LayerKind::Zones => ds
            .zones
            .items
            .get(i)
            .filter(|z| !z.numbered)
            .map(|z| z.id.clone()),
        LayerKind::Parcels => ds
            .parcels
            .as_ref()
            .and_then(|p| p.items.get(i))
            .filter(|p| !p.numbered)
            .map(|p| p.id.clone()),
    }
}

/// An operation as the history keeps it: the edit step, naming the feature by id (its number
/// means nothing outside one session), with the value it replaced (`from`, taken from the
/// other of the pair: the inverse of an operation, the operation of an inverse).
fn history_step(op: &Op, other: &Op, id: Option<&str>) -> Value {
    let from = match other {
        Op::Set { value, .. } => value.clone(),
        _ => None,
    };
    let step = Step::of_op(op, from);
    let mut v = serde_json::to_value(&step).unwrap_or(Value::Null);
    if let (Some(obj), Some(id)) = (v.as_object_mut(), id)
        && obj.contains_key("at")
        && !matches!(step, Step::Restore { .. })
    {
        obj.remove("at");
        obj.insert("id".into(), Value::from(id));
    }
    v
}
