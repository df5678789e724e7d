//! Geometry that cannot take part in the figures (missing, not an area, invalid, projected,
//! self-intersecting, across the antimeridian, or a feature that is not an object). The
//! feature is left out of the figures and kept in the file.

use crate::engine::findings::FindingKind;
use crate::engine::model::Shape;

/// The finding about a feature's shape, if it has no usable geometry.
pub fn check(shape: &Shape) -> Option<FindingKind> {
    match shape {
        Shape::Unusable(problem) => Some(FindingKind::UnusableGeometry(problem.clone())),
        Shape::Area { .. } | Shape::Deleted => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::findings::{Code, Severity};
    use crate::engine::geometry::{GeometryProblem, parse_geometry};

    #[test]
    fn only_unusable_shapes_are_found() {
        let square =
            r#"{"type":"Polygon","coordinates":[[[106,21],[106.01,21],[106.01,21.01],[106,21]]]}"#;
        let g = parse_geometry(Some(square)).expect("a polygon");
        let bbox = geo::BoundingRect::bounding_rect(&g).expect("a box");
        assert_eq!(check(&Shape::Area { geometry: g, bbox }), None);
        let missing = check(&Shape::Unusable(GeometryProblem::Missing)).expect("found");
        assert_eq!(
            (missing.code(), missing.severity()),
            (Code::MissingGeometry, Severity::Warning)
        );
        let bowtie = r#"{"type":"Polygon","coordinates":[[[0,0],[2,2],[2,0],[0,2],[0,0]]]}"#;
        let problem = parse_geometry(Some(bowtie)).expect_err("a bow-tie");
        let found = check(&Shape::Unusable(problem)).expect("found");
        assert_eq!(
            (found.code(), found.severity()),
            (Code::SelfIntersection, Severity::Error)
        );
    }
}
