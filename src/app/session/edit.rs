//! An edit: the one object for a change to the user's data. The inspector, the legacy-text
//! conversion and a restored journal all ask for one; [`Session::apply`](super::Session::apply)
//! makes it, records it for undo and writes it to the recovery journal.

use serde_json::Value;

use crate::engine::model::LayerKind;

/// Property values set (or removed) together, undone together.
#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    /// In order: a property changed twice ends with the second value.
    pub changes: Vec<Change>,
    /// What changed, for the Edit menu and the status bar: "industrial land of KCN Quế Võ".
    pub what: String,
}

/// One property of one feature.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub layer: LayerKind,
    pub feature: usize,
    /// The property name as the file writes it.
    pub key: String,
    /// `None` removes a property the feature did not have before.
    pub value: Option<Value>,
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
            changes: vec![Change {
                layer,
                feature,
                key: key.into(),
                value,
            }],
            what: what.into(),
        }
    }
}
