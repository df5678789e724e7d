//! Why a planning edit cannot be made, in words: a line that cannot split a shape, lots that
//! cannot be merged, a vertex that cannot be moved, a shape that is not valid.

use super::{Key, Lang, Message, trf};
use crate::engine::dataset::Dataset;
use crate::engine::model::LayerKind;
use crate::engine::planning::{FeatureRef, Plan, feature_id};
use crate::engine::shape_edit::{MergeProblem, ShapeFault, SplitProblem, VertexProblem};

impl Message for SplitProblem {
    fn message(&self, lang: Lang) -> String {
        match (lang, self) {
            (Lang::En, Self::LineTooShort) => "the line needs two different points".into(),
            (Lang::Vi, Self::LineTooShort) => "đường cắt cần hai điểm khác nhau".into(),
            (Lang::En, Self::LineNotFinite { position }) => {
                format!("point {} of the line is not a number", position + 1)
            }
            (Lang::Vi, Self::LineNotFinite { position }) => {
                format!("điểm {} của đường cắt không phải là số", position + 1)
            }
            (Lang::En, Self::LineOutOfRange { position }) => format!(
                "point {} of the line is outside longitude/latitude range",
                position + 1
            ),
            (Lang::Vi, Self::LineOutOfRange { position }) => format!(
                "điểm {} của đường cắt nằm ngoài phạm vi kinh độ/vĩ độ",
                position + 1
            ),
            (Lang::En, Self::LineCrossesItself { .. }) => "the line crosses itself".into(),
            (Lang::Vi, Self::LineCrossesItself { .. }) => "đường cắt tự cắt chính nó".into(),
            (_, Self::Shape(fault)) => fault.message(lang),
            (Lang::En, Self::DoesNotCross) => {
                "the line does not cross the shape from one side to the other".into()
            }
            (Lang::Vi, Self::DoesNotCross) => {
                "đường cắt không cắt ngang hình từ cạnh này sang cạnh kia".into()
            }
            (Lang::En, Self::Degenerate | Self::Part { .. }) => {
                "the line passes too close to a corner or an edge: move it a little".into()
            }
            (Lang::Vi, Self::Degenerate | Self::Part { .. }) => {
                "đường cắt đi quá sát một đỉnh hoặc một cạnh: hãy dịch nó một chút".into()
            }
        }
    }
}

impl Message for MergeProblem {
    fn message(&self, lang: Lang) -> String {
        match (lang, self) {
            (Lang::En, Self::TooFew) => "select at least two lots to merge".into(),
            (Lang::Vi, Self::TooFew) => "hãy chọn ít nhất hai lô để gộp".into(),
            (Lang::En, Self::Shape { shape, fault }) => {
                format!(
                    "lot {} of the selection: {}",
                    shape + 1,
                    fault.message(lang)
                )
            }
            (Lang::Vi, Self::Shape { shape, fault }) => {
                format!("lô thứ {} được chọn: {}", shape + 1, fault.message(lang))
            }
            (Lang::En, Self::NoSharedEdge { .. }) => {
                "the lots do not share an edge: only lots side by side can be merged".into()
            }
            (Lang::Vi, Self::NoSharedEdge { .. }) => {
                "các lô không có cạnh chung: chỉ gộp được những lô liền kề".into()
            }
        }
    }
}

impl Message for ShapeFault {
    fn message(&self, lang: Lang) -> String {
        match (lang, self) {
            (Lang::En, Self::Empty) => "the shape is empty".into(),
            (Lang::Vi, Self::Empty) => "hình rỗng".into(),
            (Lang::En, Self::NotFinite { .. }) => "a position is not a number".into(),
            (Lang::Vi, Self::NotFinite { .. }) => "có một toạ độ không phải là số".into(),
            (Lang::En, Self::OutOfRange { .. }) => {
                "a position is outside longitude/latitude range".into()
            }
            (Lang::Vi, Self::OutOfRange { .. }) => {
                "có một toạ độ nằm ngoài phạm vi kinh độ/vĩ độ".into()
            }
            (Lang::En, Self::TooFewPositions { .. }) => {
                "a ring has fewer than three different points".into()
            }
            (Lang::Vi, Self::TooFewPositions { .. }) => {
                "một vòng có ít hơn ba điểm khác nhau".into()
            }
            (Lang::En, Self::SelfIntersection { .. }) => "the boundary crosses itself".into(),
            (Lang::Vi, Self::SelfIntersection { .. }) => "ranh giới tự cắt chính nó".into(),
            (Lang::En, Self::RingsCross { .. }) => "a hole crosses the boundary".into(),
            (Lang::Vi, Self::RingsCross { .. }) => "một lỗ cắt qua ranh giới".into(),
            (Lang::En, Self::HoleOutside { .. }) => "a hole lies outside its shape".into(),
            (Lang::Vi, Self::HoleOutside { .. }) => "một lỗ nằm ngoài hình của nó".into(),
            (Lang::En, Self::PolygonsOverlap { .. }) => "two parts of the shape overlap".into(),
            (Lang::Vi, Self::PolygonsOverlap { .. }) => "hai phần của hình chồng lên nhau".into(),
        }
    }
}

impl Message for VertexProblem {
    fn message(&self, lang: Lang) -> String {
        match (lang, self) {
            (Lang::En, Self::NoSuchVertex(_)) => "the shape has no such vertex".into(),
            (Lang::Vi, Self::NoSuchVertex(_)) => "hình không có đỉnh này".into(),
            (Lang::En, Self::NotFinite) => "the new position is not a number".into(),
            (Lang::Vi, Self::NotFinite) => "vị trí mới không phải là số".into(),
            (_, Self::Invalid(fault)) => fault.message(lang),
        }
    }
}

/// A map tool's change as the Edit menu and the status bar name it: "split lot A-01", "merge
/// lots A-01, A-02", "move a corner of zone KCN Quế Võ".
pub fn plan_name(plan: &Plan, ds: &Dataset, lang: Lang) -> String {
    let features = plan.features();
    let named = named(&features, ds, lang);
    let key = match plan {
        Plan::Draw { .. } => return super::tr(lang, Key::WhatDraw).to_string(),
        Plan::Split { .. } => Key::WhatSplit,
        Plan::Merge { .. } => Key::WhatMerge,
        Plan::Delete { .. } => Key::WhatDelete,
        Plan::MoveVertex { .. } => Key::WhatMoveCorner,
        Plan::InsertVertex { .. } => Key::WhatAddCorner,
        Plan::DeleteVertex { .. } => Key::WhatDeleteCorner,
    };
    trf(lang, key, &[("what", &named)])
}

/// "lot A-01", "lots A-01, A-02", "zone KCN Quế Võ" (a zone by its name).
fn named(features: &[FeatureRef], ds: &Dataset, lang: Lang) -> String {
    let name = |f: &FeatureRef| match f.layer {
        LayerKind::Zones => ds
            .zones
            .items
            .get(f.index)
            .map_or_else(|| feature_id(ds, *f), |z| z.name.clone()),
        LayerKind::Parcels => feature_id(ds, *f),
    };
    let names: Vec<String> = features.iter().map(name).collect();
    let zones = features.iter().all(|f| f.layer == LayerKind::Zones);
    let key = match (zones, names.len() > 1) {
        (false, false) => Key::LotNamed,
        (false, true) => Key::LotsNamed,
        (true, false) => Key::ZoneNamed,
        (true, true) => Key::ZonesNamed,
    };
    trf(lang, key, &[("ids", &names.join(", "))])
}
