//! Edit scripts: a JSON array of operations on the zones and parcels, as `zoneatlas apply`
//! reads them and the recovery journal writes them. Each step names its feature by id (the
//! canonical `zone_id` / `parcel_id`, else the feature `id`) or by number (`"at"`, from 1: the
//! file's features in file order, inserted ones after), gives coordinates in WGS84
//! longitude/latitude, and becomes the engine's [`Op`]s ([`super::edit`]), applied in order, each
//! on the result of the last.
//!
//! ```json
//! [{"op":"set","layer":"parcels","id":"A-01","key":"status","value":"leased"},
//!  {"op":"unset","layer":"parcels","id":"A-01","key":"notes"},
//!  {"op":"insert","layer":"parcels","feature":{"type":"Feature","properties":{…},"geometry":{…}}},
//!  {"op":"delete","layer":"parcels","id":"A-02"},
//!  {"op":"reshape","layer":"zones","id":"KCN-01","geometry":{"type":"Polygon",…}}]
//! ```

use geo::MultiPolygon;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

use super::attributes::{ValueProblem, check_value};
use super::dataset::Dataset;
use super::edit::{EditProblem, Op};
use super::geojson::Document;
use super::geojson::style::{FileStyle, write_feature, write_geometry};
use super::geometry::{GeometryProblem, parse_geometry, read_geometry};
use super::model::LayerKind;
use super::model::Shape;
use super::properties::{PARCEL_KEYS, ZONE_KEYS, canonical_key, fold_key};
use super::shape_edit::{MergeProblem, ShapeFault, SplitProblem, VertexProblem, merge, split};

/// One step of a script, as written.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(tag = "op", rename_all = "lowercase", deny_unknown_fields)]
pub enum Step {
    Set {
        layer: LayerName,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<usize>,
        key: String,
        value: Value,
        /// The value this was made against (the recovery journal's): the step applies only
        /// where the property still holds it (`null`: where it has no value).
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "present"
        )]
        from: Option<Value>,
    },
    Unset {
        layer: LayerName,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<usize>,
        key: String,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "present"
        )]
        from: Option<Value>,
    },
    /// A new feature: `feature`, a GeoJSON Feature in WGS84 (written in the file's coordinate
    /// system), or `raw`, its text exactly as the file is to hold it (the journal's).
    Insert {
        layer: LayerName,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        feature: Option<Value>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        raw: Option<String>,
        /// An identity of its own, made by the window before it sends the feature to a shared
        /// store: the store's history keeps it, so that the insertion sent again (its answer
        /// lost with the connection) is told from a new one and not made twice. Files ignore
        /// it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        uid: Option<String>,
    },
    Delete {
        layer: LayerName,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<usize>,
        /// The row version it was made against (a shared store's): the step applies only
        /// where the feature's row still has it. Files have no versions: ignored there.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version: Option<u64>,
    },
    /// Cuts a lot or zone by a line (WGS84 positions) into parts, which replace it: each part
    /// copies its properties, with its own id (`new_ids`, else made unique in the file), and
    /// an area property of its own measured again. Parts to the left of the line come first.
    Split {
        layer: LayerName,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<usize>,
        line: Vec<[f64; 2]>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        new_ids: Option<Vec<String>>,
        /// The row version it was made against (a shared store's): the step applies only
        /// where the feature's row still has it. Files have no versions: ignored there.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version: Option<u64>,
    },
    /// Merges lots that share an edge into the first: it keeps its properties (its id becomes
    /// `new_id` when given) and takes the merged shape; the others are deleted.
    Merge {
        layer: LayerName,
        ids: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        new_id: Option<String>,
        /// The row versions the lots were merged against, one for each of `ids`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        versions: Option<Vec<u64>>,
    },
    /// Gives a deleted feature back, in its place (how the journal records an undone
    /// deletion); by number only, since a deleted feature's id may be another's now.
    Restore {
        layer: LayerName,
        at: usize,
        /// The row version it was made against (a shared store's): the step applies only
        /// where the feature's row still has it. Files have no versions: ignored there.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version: Option<u64>,
    },
    /// A new geometry for a feature: `geometry`, a GeoJSON Polygon or MultiPolygon in WGS84, or
    /// `raw`, its text exactly as the file is to hold it (the journal's).
    Reshape {
        layer: LayerName,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<usize>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        geometry: Option<Value>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        raw: Option<String>,
        /// The row version it was made against (a shared store's): the step applies only
        /// where the feature's row still has it. Files have no versions: ignored there.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version: Option<u64>,
    },
}

/// A member that is there holds a value, even `null`.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// `zones` or `parcels`.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LayerName {
    Zones,
    Parcels,
}

impl From<LayerKind> for LayerName {
    fn from(l: LayerKind) -> LayerName {
        match l {
            LayerKind::Zones => LayerName::Zones,
            LayerKind::Parcels => LayerName::Parcels,
        }
    }
}

impl From<LayerName> for LayerKind {
    fn from(l: LayerName) -> LayerKind {
        match l {
            LayerName::Zones => LayerKind::Zones,
            LayerName::Parcels => LayerKind::Parcels,
        }
    }
}

impl Step {
    /// The layer the step edits.
    pub fn layer(&self) -> LayerKind {
        match self {
            Step::Set { layer, .. }
            | Step::Unset { layer, .. }
            | Step::Insert { layer, .. }
            | Step::Delete { layer, .. }
            | Step::Split { layer, .. }
            | Step::Merge { layer, .. }
            | Step::Restore { layer, .. }
            | Step::Reshape { layer, .. } => LayerKind::from(*layer),
        }
    }

    /// The feature it names by number (from 0), if it names one so.
    pub fn feature(&self) -> Option<usize> {
        match self {
            Step::Set { at, .. }
            | Step::Unset { at, .. }
            | Step::Delete { at, .. }
            | Step::Split { at, .. }
            | Step::Reshape { at, .. } => at.and_then(|a| a.checked_sub(1)),
            Step::Restore { at, .. } => at.checked_sub(1),
            Step::Insert { .. } | Step::Merge { .. } => None,
        }
    }

    /// The step made against row version `v` (reshape, delete, split, restore; the others
    /// carry none).
    pub fn with_version(mut self, v: u64) -> Step {
        match &mut self {
            Step::Delete { version, .. }
            | Step::Split { version, .. }
            | Step::Restore { version, .. }
            | Step::Reshape { version, .. } => *version = Some(v),
            _ => {}
        }
        self
    }

    /// The step without the value or row versions it was made against: made on whatever
    /// the feature holds now (to see whether the board already holds what it would write).
    pub fn unchecked(mut self) -> Step {
        match &mut self {
            Step::Set { from, .. } | Step::Unset { from, .. } => *from = None,
            Step::Delete { version, .. }
            | Step::Split { version, .. }
            | Step::Restore { version, .. }
            | Step::Reshape { version, .. } => *version = None,
            Step::Merge { versions, .. } => *versions = None,
            Step::Insert { .. } => {}
        }
        self
    }

    /// The row version it was made against, if it carries one.
    pub fn version(&self) -> Option<u64> {
        match self {
            Step::Delete { version, .. }
            | Step::Split { version, .. }
            | Step::Restore { version, .. }
            | Step::Reshape { version, .. } => *version,
            _ => None,
        }
    }

    /// The operation's name as written (`set`, `split`…), for messages.
    pub fn name(&self) -> &'static str {
        match self {
            Step::Set { .. } => "set",
            Step::Unset { .. } => "unset",
            Step::Insert { .. } => "insert",
            Step::Delete { .. } => "delete",
            Step::Restore { .. } => "restore",
            Step::Reshape { .. } => "reshape",
            Step::Split { .. } => "split",
            Step::Merge { .. } => "merge",
        }
    }

    /// The step naming its feature by number `at` (from 1) instead of by id; steps that name
    /// no single feature (insert, merge) are as they were.
    pub fn at(mut self, to: Option<usize>) -> Step {
        match &mut self {
            Step::Set { id, at, .. }
            | Step::Unset { id, at, .. }
            | Step::Delete { id, at, .. }
            | Step::Split { id, at, .. }
            | Step::Reshape { id, at, .. } => {
                *id = None;
                *at = to;
            }
            Step::Restore { at, .. } => {
                if let Some(to) = to {
                    *at = to;
                }
            }
            Step::Insert { .. } | Step::Merge { .. } => {}
        }
        self
    }

    /// The step that makes `op` again on the data it was made on, naming the feature by
    /// number; `from` is the value a property change replaced (the journal's check that the
    /// file is still what the edit was made on). Texts are written as the file holds them.
    pub fn of_op(op: &Op, from: Option<Value>) -> Step {
        let layer = LayerName::from(op.layer());
        match op {
            Op::Set {
                feature,
                key,
                value: Some(value),
                ..
            } => Step::Set {
                layer,
                id: None,
                at: Some(feature + 1),
                key: key.clone(),
                value: value.clone(),
                from: Some(from.unwrap_or(Value::Null)),
            },
            Op::Set {
                feature,
                key,
                value: None,
                ..
            } => Step::Unset {
                layer,
                id: None,
                at: Some(feature + 1),
                key: key.clone(),
                from: Some(from.unwrap_or(Value::Null)),
            },
            Op::Geometry {
                feature, geometry, ..
            } => Step::Reshape {
                layer,
                id: None,
                at: Some(feature + 1),
                geometry: None,
                raw: geometry.as_ref().map(|g| g.to_string()),
                version: None,
            },
            Op::Insert { feature, .. } => Step::Insert {
                layer,
                feature: None,
                raw: Some(feature.to_string()),
                uid: None,
            },
            Op::Delete { feature, .. } => Step::Delete {
                layer,
                id: None,
                at: Some(feature + 1),
                version: None,
            },
            Op::Restore { feature, .. } => Step::Restore {
                layer,
                at: feature + 1,
                version: None,
            },
        }
    }
}

/// Why a step cannot apply (put into words by the catalogue).
#[derive(Clone, Debug, PartialEq)]
pub enum ScriptProblem {
    /// The script is not a JSON array of operations, or a step is not one (serde's words).
    NotAScript { detail: String },
    /// A step names its feature neither by `id` nor by `at`.
    NoFeatureNamed,
    /// No feature there has this id.
    NoSuchId { layer: LayerKind, id: String },
    /// Several features there have this id: name one by `at`.
    AmbiguousId {
        layer: LayerKind,
        id: String,
        count: usize,
    },
    /// The value breaks the attribute's rules.
    BadValue { key: String, problem: ValueProblem },
    /// The property no longer holds the value the step was made against.
    Changed { key: String, now: Option<Value> },
    /// The feature's row is no longer at the version the step was made against: someone
    /// changed it since.
    VersionChanged {
        layer: LayerKind,
        id: String,
        version: u64,
        now: u64,
    },
    /// The store holds the new feature already, as row `row` (its `uid` is in the history):
    /// the edit was applied before, its answer lost.
    AlreadyInserted { layer: LayerKind, row: i64 },
    /// The geometry given cannot be used.
    BadGeometry(GeometryProblem),
    /// `feature` is not a GeoJSON Feature object.
    NotAFeature,
    /// An insertion gives neither `feature` nor `raw`, or both.
    FeatureOrRaw,
    /// A reshape gives neither `geometry` nor `raw`, or both.
    GeometryOrRaw,
    /// The feature has no usable shape to split or merge.
    NoShape { layer: LayerKind, id: String },
    /// The line cannot split the shape.
    Split(SplitProblem),
    /// The lots cannot be merged.
    Merge(MergeProblem),
    /// `new_ids` gives a number of ids other than the number of parts.
    NewIds { given: usize, parts: usize },
    /// An id given for a new feature is another feature's already.
    IdTaken { layer: LayerKind, id: String },
    /// The engine refused the change.
    Edit(EditProblem),
    /// A drawn or reshaped shape would not be valid.
    Shape(ShapeFault),
    /// A vertex cannot be moved, put in or taken out so.
    Vertex(VertexProblem),
}

/// A step that could not apply: its position in the script (from 1), its name and why.
#[derive(Clone, Debug, PartialEq)]
pub struct ScriptError {
    pub position: usize,
    pub op: &'static str,
    pub problem: ScriptProblem,
}

/// Reads a script: a JSON array of steps. An error names the step (from 1) that is not one.
pub fn parse(text: &str) -> Result<Vec<Step>, ScriptError> {
    let not_a_script = |position, op, e: serde_json::Error| ScriptError {
        position,
        op,
        problem: ScriptProblem::NotAScript {
            detail: e.to_string(),
        },
    };
    // A recovery journal is a script too: its `entries`, each with a `what` label.
    let values: Vec<Value> = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(mut journal)) if journal.contains_key("entries") => {
            serde_json::from_value(journal.remove("entries").unwrap_or_default())
        }
        Ok(v) => serde_json::from_value(v),
        Err(e) => Err(e),
    }
    .map_err(|e| not_a_script(0, "", e))?;
    values
        .into_iter()
        .enumerate()
        .map(|(k, mut v)| {
            if let Some(entry) = v.as_object_mut() {
                entry.remove("what");
                // A shared board's journal names rows too; the step names its feature itself.
                entry.remove("fid");
            }
            let op = match v.get("op").and_then(Value::as_str) {
                Some("set") => "set",
                Some("unset") => "unset",
                Some("insert") => "insert",
                Some("delete") => "delete",
                Some("restore") => "restore",
                Some("reshape") => "reshape",
                Some("split") => "split",
                Some("merge") => "merge",
                _ => "",
            };
            serde_json::from_value(v).map_err(|e| not_a_script(k + 1, op, e))
        })
        .collect()
}

/// Applies the steps in order, each on the result of the last; returns the operations made,
/// in order. When a step cannot apply, every change made is undone, the data is as it was,
/// and the error names the step.
pub fn run(ds: &mut Dataset, steps: &[Step]) -> Result<Vec<Op>, ScriptError> {
    run_with(ds, steps, &|_, _| None).map(|made| made.into_iter().map(|a| a.op).collect())
}

/// An operation a script made: the step it came from (from 1), the operation and its inverse.
#[derive(Clone, Debug, PartialEq)]
pub struct Applied {
    pub step: usize,
    pub op: Op,
    pub inverse: Op,
}

/// [`run`] on data whose features have row versions (a shared store's): `version(layer, i)`
/// is feature `i`'s, `None` for one that has none (inserted since). A step that carries the
/// version it was made against applies only where the row still has it
/// ([`ScriptProblem::VersionChanged`]). Returns each operation with its inverse.
pub fn run_with(
    ds: &mut Dataset,
    steps: &[Step],
    version: &dyn Fn(LayerKind, usize) -> Option<u64>,
) -> Result<Vec<Applied>, ScriptError> {
    let mut ids = Ids::default();
    let mut made: Vec<Applied> = Vec::new();
    let mut inverses: Vec<Op> = Vec::new();
    for (k, step) in steps.iter().enumerate() {
        let fail = |problem| ScriptError {
            position: k + 1,
            op: step.name(),
            problem,
        };
        let checked = check_versions(ds, &mut ids, step, version);
        let ops = match checked.and_then(|()| ops_of(ds, &mut ids, step)) {
            Ok(ops) => ops,
            Err(problem) => {
                undo(ds, inverses);
                return Err(fail(problem));
            }
        };
        for op in ops {
            let i = target(&op, ds);
            let before = id_of(ds, op.layer(), i);
            match ds.apply(&op) {
                Ok(inverse) => {
                    ids.refresh(ds, op.layer(), i, before);
                    inverses.push(inverse.clone());
                    made.push(Applied {
                        step: k + 1,
                        op,
                        inverse,
                    });
                }
                Err(e) => {
                    undo(ds, inverses);
                    return Err(fail(ScriptProblem::Edit(e)));
                }
            }
        }
    }
    Ok(made)
}

fn undo(ds: &mut Dataset, mut inverses: Vec<Op>) {
    while let Some(inverse) = inverses.pop() {
        // An inverse applies to the state its operation left, which is what it finds here.
        let _ = ds.apply(&inverse);
    }
}

/// The feature an operation changes (an insertion: the next number).
fn target(op: &Op, ds: &Dataset) -> usize {
    match op {
        Op::Set { feature, .. }
        | Op::Geometry { feature, .. }
        | Op::Delete { feature, .. }
        | Op::Restore { feature, .. } => *feature,
        Op::Insert { layer, .. } => document(ds, *layer).map_or(0, Document::len),
    }
}

/// The engine's operations for one step on the data as it is now (nothing is changed): how
/// the app replays a recovery journal, each step an edit of its own.
pub fn ops_for(ds: &Dataset, step: &Step) -> Result<Vec<Op>, ScriptProblem> {
    ops_of(ds, &mut Ids::default(), step)
}

/// The operations of a merge of features named by number (the map's Merge tool): the first
/// keeps its properties and id.
pub fn merge_at(
    ds: &Dataset,
    layer: LayerKind,
    features: &[usize],
) -> Result<Vec<Op>, ScriptProblem> {
    merge_ops(ds, &mut Ids::default(), layer, features, None)
}

/// `count` ids unique in the layer for features made from `base` (see `Ids::fresh`).
pub fn fresh_ids(ds: &Dataset, layer: LayerKind, base: &str, count: usize) -> Vec<String> {
    Ids::default().fresh(ds, layer, base, count)
}

/// The engine's operations for one step.
fn ops_of(ds: &Dataset, ids: &mut Ids, step: &Step) -> Result<Vec<Op>, ScriptProblem> {
    match step {
        Step::Set {
            layer,
            id,
            at,
            key,
            value,
            from,
        } => {
            let layer = LayerKind::from(*layer);
            let i = ids.find(ds, layer, id.as_deref(), *at)?;
            check_from(ds, layer, i, key, from)?;
            let lease = match (layer, &ds.parcels) {
                (LayerKind::Parcels, Some(p)) => (p.items[i].lease_start, p.items[i].lease_end),
                _ => (None, None),
            };
            check_value(layer, key, value, lease).map_err(|problem| ScriptProblem::BadValue {
                key: key.clone(),
                problem,
            })?;
            Ok(vec![Op::Set {
                layer,
                feature: i,
                key: key.clone(),
                value: Some(value.clone()),
            }])
        }
        Step::Unset {
            layer,
            id,
            at,
            key,
            from,
        } => {
            let layer = LayerKind::from(*layer);
            let i = ids.find(ds, layer, id.as_deref(), *at)?;
            check_from(ds, layer, i, key, from)?;
            Ok(vec![Op::Set {
                layer,
                feature: i,
                key: key.clone(),
                value: None,
            }])
        }
        Step::Insert {
            layer,
            feature,
            raw,
            ..
        } => {
            let layer = LayerKind::from(*layer);
            let doc = document(ds, layer).ok_or(ScriptProblem::Edit(EditProblem::NoParcels))?;
            let text = match (feature, raw) {
                (Some(f), None) => feature_text(doc, f)?,
                (None, Some(raw)) => raw.as_str().into(),
                _ => return Err(ScriptProblem::FeatureOrRaw),
            };
            Ok(vec![Op::Insert {
                layer,
                feature: text,
            }])
        }
        Step::Split {
            layer,
            id,
            at,
            line,
            new_ids,
            ..
        } => {
            let layer = LayerKind::from(*layer);
            let i = ids.find(ds, layer, id.as_deref(), *at)?;
            split_ops(ds, ids, layer, i, line, new_ids.as_deref())
        }
        Step::Merge {
            layer,
            ids: names,
            new_id,
            ..
        } => {
            let layer = LayerKind::from(*layer);
            let found = names
                .iter()
                .map(|n| ids.find(ds, layer, Some(n), None))
                .collect::<Result<Vec<usize>, _>>()?;
            merge_ops(ds, ids, layer, &found, new_id.as_deref())
        }
        Step::Restore { layer, at, .. } => {
            let layer = LayerKind::from(*layer);
            let i = ids.find(ds, layer, None, Some(*at))?;
            Ok(vec![Op::Restore { layer, feature: i }])
        }
        Step::Delete { layer, id, at, .. } => {
            let layer = LayerKind::from(*layer);
            let i = ids.find(ds, layer, id.as_deref(), *at)?;
            Ok(vec![Op::Delete { layer, feature: i }])
        }
        Step::Reshape {
            layer,
            id,
            at,
            geometry,
            raw,
            ..
        } => {
            let layer = LayerKind::from(*layer);
            let i = ids.find(ds, layer, id.as_deref(), *at)?;
            let doc = document(ds, layer).ok_or(ScriptProblem::Edit(EditProblem::NoParcels))?;
            let text: Arc<str> = match (geometry, raw) {
                (Some(g), None) => geometry_text(doc, g, doc.geometry_json(i))?.into(),
                (None, Some(raw)) => {
                    read_geometry(Some(raw), doc.crs.as_ref())
                        .map_err(ScriptProblem::BadGeometry)?;
                    raw.as_str().into()
                }
                _ => return Err(ScriptProblem::GeometryOrRaw),
            };
            Ok(vec![Op::Geometry {
                layer,
                feature: i,
                geometry: Some(text),
            }])
        }
    }
}

/// `Ok` when every feature the step names by a version still has it.
fn check_versions(
    ds: &Dataset,
    ids: &mut Ids,
    step: &Step,
    version: &dyn Fn(LayerKind, usize) -> Option<u64>,
) -> Result<(), ScriptProblem> {
    let named: Vec<(LayerName, Option<&str>, Option<usize>, u64)> = match step {
        Step::Reshape {
            layer,
            id,
            at,
            version: Some(v),
            ..
        }
        | Step::Delete {
            layer,
            id,
            at,
            version: Some(v),
        }
        | Step::Split {
            layer,
            id,
            at,
            version: Some(v),
            ..
        } => vec![(*layer, id.as_deref(), *at, *v)],
        Step::Restore {
            layer,
            at,
            version: Some(v),
        } => vec![(*layer, None, Some(*at), *v)],
        Step::Merge {
            layer,
            ids: names,
            versions: Some(vs),
            ..
        } => names
            .iter()
            .zip(vs)
            .map(|(n, v)| (*layer, Some(n.as_str()), None, *v))
            .collect(),
        _ => Vec::new(),
    };
    for (layer, id, at, made_on) in named {
        let layer = LayerKind::from(layer);
        let i = ids.find(ds, layer, id, at)?;
        if let Some(now) = version(layer, i)
            && now != made_on
        {
            return Err(ScriptProblem::VersionChanged {
                layer,
                id: id_of(ds, layer, i).unwrap_or_else(|| format!("#{}", i + 1)),
                version: made_on,
                now,
            });
        }
    }
    Ok(())
}

/// `Ok` when property `key` of feature `i` still holds `from` (or no `from` is given).
fn check_from(
    ds: &Dataset,
    layer: LayerKind,
    i: usize,
    key: &str,
    from: &Option<Value>,
) -> Result<(), ScriptProblem> {
    let Some(from) = from else {
        return Ok(());
    };
    let from = Some(from).filter(|v| !v.is_null());
    let now = document(ds, layer).and_then(|d| {
        d.properties(i)
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    });
    let now = now.filter(|v| !v.is_null());
    if now.as_ref() == from {
        Ok(())
    } else {
        Err(ScriptProblem::Changed {
            key: key.to_string(),
            now,
        })
    }
}

fn document(ds: &Dataset, layer: LayerKind) -> Option<&Document> {
    match layer {
        LayerKind::Zones => Some(&ds.zones.doc),
        LayerKind::Parcels => ds.parcels.as_ref().map(|p| &p.doc),
    }
}

/// A feature's id as a script names it (`None` for a feature deleted, or without one).
fn id_of(ds: &Dataset, layer: LayerKind, i: usize) -> Option<String> {
    let (id, numbered) = label_of(ds, layer, i)?;
    (!numbered).then_some(id)
}

/// The id a feature there is known by (its `#N` when it has none), and whether it is the `#N`.
fn label_of(ds: &Dataset, layer: LayerKind, i: usize) -> Option<(String, bool)> {
    match layer {
        LayerKind::Zones => {
            let z = ds.zones.items.get(i).filter(|_| ds.zones.is_live(i))?;
            Some((z.id.clone(), z.numbered))
        }
        LayerKind::Parcels => {
            let parcels = ds.parcels.as_ref()?;
            let p = parcels.items.get(i).filter(|_| parcels.is_live(i))?;
            Some((p.id.clone(), p.numbered))
        }
    }
}

/// The name a message gives a feature: its id, else its `#N`.
fn name_of(ds: &Dataset, layer: LayerKind, i: usize) -> String {
    label_of(ds, layer, i).map_or_else(|| format!("#{}", i + 1), |(id, _)| id)
}

/// The features there are, by id, per layer: built on the first look-up (one pass), then kept
/// up to date step by step (a split's parts, a renamed lot), so that a script of k steps over
/// a million lots takes one pass and k look-ups, not k passes.
#[derive(Default)]
struct Ids {
    by_layer: HashMap<LayerKind, HashMap<String, Vec<usize>>>,
}

impl Ids {
    fn layer(&mut self, ds: &Dataset, layer: LayerKind) -> &mut HashMap<String, Vec<usize>> {
        self.by_layer.entry(layer).or_insert_with(|| {
            let mut map: HashMap<String, Vec<usize>> = HashMap::new();
            let n = document(ds, layer).map_or(0, Document::len);
            for i in 0..n {
                if let Some(id) = id_of(ds, layer, i) {
                    map.entry(id).or_default().push(i);
                }
            }
            map
        })
    }

    /// The feature a step names: by number (`at`, from 1), else by id.
    fn find(
        &mut self,
        ds: &Dataset,
        layer: LayerKind,
        id: Option<&str>,
        at: Option<usize>,
    ) -> Result<usize, ScriptProblem> {
        if let Some(at) = at {
            return at.checked_sub(1).ok_or(ScriptProblem::NoFeatureNamed);
        }
        let id = id.ok_or(ScriptProblem::NoFeatureNamed)?;
        match self.layer(ds, layer).get(id).map(Vec::as_slice) {
            Some([i]) => Ok(*i),
            Some(many) if many.len() > 1 => Err(ScriptProblem::AmbiguousId {
                layer,
                id: id.to_string(),
                count: many.len(),
            }),
            _ => Err(ScriptProblem::NoSuchId {
                layer,
                id: id.to_string(),
            }),
        }
    }

    /// Whether a feature other than `except` has the id `id`.
    fn taken(&mut self, ds: &Dataset, layer: LayerKind, id: &str, except: Option<usize>) -> bool {
        self.layer(ds, layer)
            .get(id)
            .is_some_and(|list| list.iter().any(|&i| Some(i) != except))
    }

    /// `count` ids for the parts of the feature with id `base`, unique in the layer: the
    /// board's own pattern where the file shows one (`QV1-B04-01` → `QV1-B04-01A`, `-01B`, when
    /// ids ending in a digit and a capital letter are there), else a suffix (`A-01-1`,
    /// `A-01-2`); a suffix taken already is skipped.
    fn fresh(&mut self, ds: &Dataset, layer: LayerKind, base: &str, count: usize) -> Vec<String> {
        let map = self.layer(ds, layer);
        let lettered = map.keys().any(|id| {
            let mut tail = id.chars().rev();
            matches!((tail.next(), tail.next()), (Some(l), Some(d)) if l.is_ascii_uppercase() && d.is_ascii_digit())
        }) && base.ends_with(|c: char| c.is_ascii_digit());
        let mut out = Vec::new();
        let mut n = 0usize;
        while out.len() < count {
            let name = if lettered && n < 26 {
                format!("{base}{}", char::from(b'A' + n as u8))
            } else {
                format!("{base}-{}", n + 1)
            };
            n += 1;
            if !map.contains_key(&name) && !out.contains(&name) {
                out.push(name);
            }
        }
        out
    }

    /// Feature `i` may have changed its id (from `before`), come or gone.
    fn refresh(&mut self, ds: &Dataset, layer: LayerKind, i: usize, before: Option<String>) {
        let Some(map) = self.by_layer.get_mut(&layer) else {
            return;
        };
        if let Some(old) = before
            && let Some(list) = map.get_mut(&old)
        {
            list.retain(|&j| j != i);
            if list.is_empty() {
                map.remove(&old);
            }
        }
        if let Some(now) = id_of(ds, layer, i) {
            let list = map.entry(now).or_default();
            if let Err(k) = list.binary_search(&i) {
                list.insert(k, i);
            }
        }
    }
}

/// A Feature given in WGS84, as the text to insert in `doc`: in the file's style (member
/// order, spacing, precision within a millimetre) and coordinate system.
fn feature_text(doc: &Document, feature: &Value) -> Result<Arc<str>, ScriptProblem> {
    let Value::Object(members) = feature else {
        return Err(ScriptProblem::NotAFeature);
    };
    if members.get("type").and_then(Value::as_str) != Some("Feature") {
        return Err(ScriptProblem::NotAFeature);
    }
    let style = FileStyle::of(doc);
    let geometry = match members.get("geometry") {
        Some(g) if !g.is_null() => geometry_text(doc, g, None)?,
        _ => "null".to_string(),
    };
    let properties: Vec<(String, Value)> = match members.get("properties") {
        Some(Value::Object(p)) => p.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        _ => Vec::new(),
    };
    Ok(write_feature(&style, members.get("id"), &properties, &geometry).into())
}

/// A geometry given in WGS84, as `doc` writes it: in its style and coordinate system, within
/// a millimetre; `like` is the geometry it replaces (its unchanged vertices keep their text).
fn geometry_text(
    doc: &Document,
    geometry: &Value,
    like: Option<&str>,
) -> Result<String, ScriptProblem> {
    let shape = parse_geometry(Some(&geometry.to_string())).map_err(ScriptProblem::BadGeometry)?;
    Ok(write_geometry(
        &shape,
        &FileStyle::of(doc),
        doc.crs.as_ref(),
        like,
    ))
}

/// The operations of a split: the feature deleted, its parts inserted in its style.
fn split_ops(
    ds: &Dataset,
    ids: &mut Ids,
    layer: LayerKind,
    i: usize,
    line: &[[f64; 2]],
    new_ids: Option<&[String]>,
) -> Result<Vec<Op>, ScriptProblem> {
    let shape = shape_of(ds, layer, i)?;
    let line = geo::LineString::from(line.iter().map(|&[x, y]| (x, y)).collect::<Vec<_>>());
    let parts = split(shape, &line).map_err(ScriptProblem::Split)?;
    let base = name_of(ds, layer, i);
    let names: Vec<String> = match new_ids {
        Some(given) if given.len() != parts.len() => {
            return Err(ScriptProblem::NewIds {
                given: given.len(),
                parts: parts.len(),
            });
        }
        Some(given) => {
            for name in given {
                if ids.taken(ds, layer, name, Some(i)) {
                    return Err(ScriptProblem::IdTaken {
                        layer,
                        id: name.clone(),
                    });
                }
            }
            given.to_vec()
        }
        None => ids.fresh(ds, layer, &base, parts.len()),
    };
    let doc = document(ds, layer).ok_or(ScriptProblem::Edit(EditProblem::NoParcels))?;
    let mut ops = vec![Op::Delete { layer, feature: i }];
    for (part, name) in parts.iter().zip(&names) {
        ops.push(Op::Insert {
            layer,
            feature: feature_like(doc, layer, i, Some(name), part).into(),
        });
    }
    Ok(ops)
}

/// The operations of a merge: the first lot reshaped (and renamed), the others deleted.
fn merge_ops(
    ds: &Dataset,
    ids: &mut Ids,
    layer: LayerKind,
    lots: &[usize],
    new_id: Option<&str>,
) -> Result<Vec<Op>, ScriptProblem> {
    let shapes = lots
        .iter()
        .map(|&i| shape_of(ds, layer, i).cloned())
        .collect::<Result<Vec<_>, _>>()?;
    let merged = merge(&shapes).map_err(ScriptProblem::Merge)?;
    let first = lots[0];
    if let Some(name) = new_id
        && ids.taken(ds, layer, name, Some(first))
        && !lots[1..]
            .iter()
            .any(|&o| id_of(ds, layer, o).as_deref() == Some(name))
    {
        return Err(ScriptProblem::IdTaken {
            layer,
            id: name.to_string(),
        });
    }
    let doc = document(ds, layer).ok_or(ScriptProblem::Edit(EditProblem::NoParcels))?;
    let mut ops: Vec<Op> = lots[1..]
        .iter()
        .map(|&o| Op::Delete { layer, feature: o })
        .collect();
    ops.push(Op::Geometry {
        layer,
        feature: first,
        geometry: Some(shape_text(doc, &merged, doc.geometry_json(first)).into()),
    });
    for (key, value) in area_properties(doc, first, &merged) {
        ops.push(Op::Set {
            layer,
            feature: first,
            key,
            value: Some(value),
        });
    }
    if let Some(name) = new_id {
        let key = id_key(doc, layer, first).unwrap_or_else(|| id_name(layer).to_string());
        ops.push(Op::Set {
            layer,
            feature: first,
            key,
            value: Some(Value::from(name)),
        });
    }
    Ok(ops)
}

fn shape_of(ds: &Dataset, layer: LayerKind, i: usize) -> Result<&MultiPolygon<f64>, ScriptProblem> {
    let shape = match layer {
        LayerKind::Zones => ds.zones.shapes.get(i),
        LayerKind::Parcels => ds.parcels.as_ref().and_then(|p| p.shapes.get(i)),
    };
    match shape {
        Some(Shape::Area { geometry, .. }) => Ok(geometry),
        _ => Err(ScriptProblem::NoShape {
            layer,
            id: name_of(ds, layer, i),
        }),
    }
}

/// The canonical id key of a layer.
fn id_name(layer: LayerKind) -> &'static str {
    match layer {
        LayerKind::Zones => "zone_id",
        LayerKind::Parcels => "parcel_id",
    }
}

/// The name under which feature `i` holds its id property (`parcel_id`, `ma_lo`…), if it has one.
fn id_key(doc: &Document, layer: LayerKind, i: usize) -> Option<String> {
    let specs = match layer {
        LayerKind::Zones => ZONE_KEYS,
        LayerKind::Parcels => PARCEL_KEYS,
    };
    doc.properties(i)
        .into_iter()
        .map(|(k, _)| k)
        .find(|k| canonical_key(specs, k) == Some(id_name(layer)))
}

/// Property names (folded) that hold a lot's own area in hectares: measured again when its
/// shape changes. (A zone's planned area is a decision, not a measurement.)
const OWN_AREA_KEYS: &[&str] = &[
    "area_ha",
    "dien_tich",
    "dien_tich_ha",
    "dien_tich_lo",
    "dien_tich_lo_ha",
    "lot_area_ha",
    "parcel_area_ha",
];

/// Feature `i`'s own-area properties with `shape`'s geodesic hectares, to as many decimals as
/// the file gave (4 when it gave none); strings stay strings.
fn area_properties(doc: &Document, i: usize, shape: &MultiPolygon<f64>) -> Vec<(String, Value)> {
    let ha = super::geodesy::geodesic_area_m2(shape) / super::geodesy::M2_PER_HA;
    doc.raw_properties(i)
        .into_iter()
        .filter(|(k, _)| OWN_AREA_KEYS.contains(&fold_key(k).as_str()))
        .filter_map(|(k, raw)| {
            let text = raw.trim().trim_matches('"');
            text.parse::<f64>().ok()?;
            let decimals = text.split_once('.').map_or(4, |(_, d)| d.len());
            let written = format!("{ha:.decimals$}");
            let value = if raw.trim().starts_with('"') {
                Value::from(written)
            } else {
                serde_json::from_str(&written).ok()?
            };
            Some((k.into_owned(), value))
        })
        .collect()
}

/// A new feature like feature `i` (its properties as they are now, in their order; its `id`
/// A new feature like feature `i` (its properties as they are now, in their order; its `id`
/// member), with id `name` and shape `shape`, and its own-area properties measured again, in
/// the file's style; the vertices it has of feature `i`'s keep their text.
fn feature_like(
    doc: &Document,
    layer: LayerKind,
    i: usize,
    name: Option<&str>,
    shape: &MultiPolygon<f64>,
) -> String {
    let mut props = doc.properties(i);
    let areas = area_properties(doc, i, shape);
    for (k, v) in &mut props {
        if let Some((_, a)) = areas.iter().find(|(ak, _)| ak == k) {
            *v = a.clone();
        }
    }
    let mut id: Option<Value> = doc.id_json(i).and_then(|t| serde_json::from_str(t).ok());
    if let Some(name) = name {
        match id_key(doc, layer, i) {
            Some(key) => {
                for (k, v) in &mut props {
                    if *k == key {
                        *v = Value::from(name);
                    }
                }
            }
            None if id.is_some() => id = Some(Value::from(name)),
            None => props.push((id_name(layer).to_string(), Value::from(name))),
        }
    }
    let geometry = shape_text(doc, shape, doc.geometry_json(i));
    write_feature(&FileStyle::of(doc), id.as_ref(), &props, &geometry)
}

/// A shape computed by a split or a merge, as `doc` writes a geometry: in its style and
/// coordinate system, but to the last bit of the computed positions (15 decimals of a degree,
/// 9 of a metre) rather than the file's precision. Rounded to the file's, a split's crossings
/// would move off the lot's edges by up to half a millimetre and the parts would no longer
/// add up to the lot (by about 1e-6 of its area); to the last bit they add up to 1e-12, and
/// the parts still share the cut bit for bit. `like` is the geometry it comes from (its
/// vertices keep their text).
pub(crate) fn shape_text(doc: &Document, shape: &MultiPolygon<f64>, like: Option<&str>) -> String {
    let mut style = FileStyle::of(doc);
    style.precision.decimals = if style.precision.projected { 9 } else { 15 };
    style.precision.padded = false;
    write_geometry(shape, &style, doc.crs.as_ref(), like)
}
