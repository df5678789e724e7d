//! An edit: one undo step, made of the engine's operations ([`Op`]). The inspector, the
//! legacy-text conversion, the map's tools and a restored journal all ask for one;
//! [`Session::apply`](super::Session::apply) makes it, records it for undo and writes it to
//! the recovery journal.

use serde_json::Value;

use crate::engine::edit::Op;
use crate::engine::model::LayerKind;

/// Operations made together, undone together.
#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    /// In order, each on the result of the last: a property set twice ends with the second
    /// value.
    pub ops: Vec<Op>,
    /// What changed, for the Edit menu and the status bar: "industrial land of KCN Quế Võ".
    pub what: String,
}

impl Edit {
    /// One property set (or removed).
    pub fn one(
        layer: LayerKind,
        feature: usize,
        key: impl Into<String>,
        value: Option<Value>,
        what: impl Into<String>,
    ) -> Edit {
        Edit {
            ops: vec![Op::Set {
                layer,
                feature,
                key: key.into(),
                value,
            }],
            what: what.into(),
        }
    }
}
