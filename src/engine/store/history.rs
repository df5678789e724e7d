//! A board's history: who changed a feature, when, and how ("who changed this lot's tenant,
//! and when").

use postgres::GenericClient;
use serde::Serialize;
use serde_json::Value;

use super::StoreProblem;
use super::schema::BoardName;

/// One change, as the history keeps it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Entry {
    pub seq: i64,
    pub layer: String,
    pub fid: i64,
    pub id: Option<String>,
    /// The edit step (see [`crate::engine::script::Step`]) and the one that undoes it.
    pub op: Value,
    pub inverse: Value,
    /// The row's version after the change (`-1`: the change deleted it).
    pub version: i64,
    pub changed_by: String,
    /// When, in UTC (`2026-12-08T01:02:03Z`).
    pub changed_at: String,
}

/// The changes to one row (a window's selected feature), oldest first.
pub fn of_row(
    client: &mut impl GenericClient,
    board: &BoardName,
    layer: &str,
    fid: i64,
) -> Result<Vec<Entry>, StoreProblem> {
    let sql = format!(
        "SELECT seq, layer, fid, id, op::text, inverse::text, version, changed_by,
                to_char(changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')
         FROM {history} WHERE layer = $1 AND fid = $2 ORDER BY seq",
        history = board.table("history"),
    );
    Ok(client
        .query(&sql, &[&layer, &fid])?
        .into_iter()
        .map(entry)
        .collect())
}

fn entry(r: postgres::Row) -> Entry {
    let parse = |s: String| serde_json::from_str(&s).unwrap_or(Value::String(s));
    Entry {
        seq: r.get(0),
        layer: r.get(1),
        fid: r.get(2),
        id: r.get(3),
        op: parse(r.get(4)),
        inverse: parse(r.get(5)),
        version: r.get(6),
        changed_by: r.get(7),
        changed_at: r.get(8),
    }
}

/// The changes to every feature that has or had the id `id`, oldest first: those filed under
/// it, and all those of the rows that hold it now (under whatever id they had then).
pub fn of_id(
    client: &mut impl GenericClient,
    board: &BoardName,
    id: &str,
) -> Result<Vec<Entry>, StoreProblem> {
    let sql = format!(
        "SELECT seq, layer, fid, id, op::text, inverse::text, version, changed_by,
                to_char(changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')
         FROM {history} h
         WHERE h.id = $1
            OR (h.layer = 'zones' AND h.fid IN (SELECT fid FROM {zones} WHERE id = $1))
            OR (h.layer = 'parcels' AND h.fid IN (SELECT fid FROM {parcels} WHERE id = $1))
         ORDER BY seq",
        history = board.table("history"),
        zones = board.table("zones"),
        parcels = board.table("parcels"),
    );
    Ok(client.query(&sql, &[&id])?.into_iter().map(entry).collect())
}
