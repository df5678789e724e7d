//! `bbox` members (RFC 7946 §5): a feature's, its geometry's and the collection's must contain
//! the geometry they describe. A wrong one does not change a figure (ZoneAtlas measures the
//! coordinates), but other tools use it to find the feature, so it is reported, and kept.

use geo::{Coord, CoordsIter, MultiPolygon, Rect};
use rayon::prelude::*;

use crate::engine::cow_vec::CowVec;
use crate::engine::findings::{BboxOwner, BboxProblem, Finding, FindingKind};
use crate::engine::geojson::{Container, Document, scan, walk};
use crate::engine::model::{LayerKind, Shape};

/// How far outside a bbox a position may lie, in degrees (about 0.1 m): writers round the bbox
/// and the coordinates separately.
const TOLERANCE: f64 = 1e-6;

/// A bbox as read: west, south, east, north (east < west when it crosses the antimeridian).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Bbox {
    west: f64,
    south: f64,
    east: f64,
    north: f64,
}

impl Bbox {
    /// Reads a bbox's JSON: 4 or 6 numbers (the middle of 6 are heights), south not above north.
    fn read(raw: &str) -> Result<Bbox, BboxProblem> {
        let numbers: Vec<f64> =
            serde_json::from_str(raw).map_err(|_| BboxProblem::NotNumbers { text: short(raw) })?;
        let half = match numbers.len() {
            4 => 2,
            6 => 3,
            n => return Err(BboxProblem::WrongCount(n)),
        };
        let b = Bbox {
            west: numbers[0],
            south: numbers[1],
            east: numbers[half],
            north: numbers[half + 1],
        };
        if b.south > b.north {
            return Err(BboxProblem::SouthAboveNorth { text: short(raw) });
        }
        Ok(b)
    }

    fn holds(&self, c: Coord<f64>) -> bool {
        let lat = c.y >= self.south - TOLERANCE && c.y <= self.north + TOLERANCE;
        let lon = if self.west <= self.east {
            c.x >= self.west - TOLERANCE && c.x <= self.east + TOLERANCE
        } else {
            // Across the antimeridian (RFC 7946 §5.2).
            c.x >= self.west - TOLERANCE || c.x <= self.east + TOLERANCE
        };
        lat && lon
    }
}

/// A raw JSON value for a message, cut short.
fn short(raw: &str) -> String {
    let flat: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &flat[..at]),
        None => flat,
    }
}

/// West, south, east, north.
fn edges(r: Rect<f64>) -> [f64; 4] {
    [r.min().x, r.min().y, r.max().x, r.max().y]
}

/// What is wrong with one bbox against the positions.
fn check(raw: &str, geometry: &MultiPolygon<f64>, bbox: Rect<f64>) -> Option<BboxProblem> {
    match Bbox::read(raw) {
        Err(problem) => Some(problem),
        Ok(b) if geometry.coords_iter().all(|c| b.holds(c)) => None,
        Ok(_) => Some(BboxProblem::Misses {
            text: short(raw),
            spans: edges(bbox),
        }),
    }
}

/// The wrong bboxes of a layer: each feature's and its geometry's (features whose geometry
/// takes part), then the collection's against all of them.
pub fn bbox_findings(
    out: &mut Vec<Finding>,
    layer: LayerKind,
    doc: &Document,
    shapes: &CowVec<Shape>,
    id: impl Fn(usize) -> String + Sync,
) {
    let n = shapes.len().min(doc.len());
    // Every feature's text is looked at: a block at a time, its pages handed back after.
    let per_feature: Vec<Finding> = doc.in_blocks(|block| {
        (block.start..block.end.min(n))
            .into_par_iter()
            .with_min_len(1024)
            .flat_map_iter(|i| {
                let mut found = Vec::new();
                let Shape::Area { geometry, bbox } = &shapes[i] else {
                    return found;
                };
                let (text, f) = doc.source(i);
                // Most files have no bbox: a scan for the word decides without parsing.
                if !text[f.whole.range()].contains("\"bbox\"") {
                    return found;
                }
                let own = scan::member(text, f.whole.start as usize, "bbox").map(|r| &text[r]);
                let of_geometry = doc.geometry_json(i).and_then(|g| {
                    let r = walk::object(g).ok()?.bbox?;
                    g.get(r)
                });
                for (owner, raw) in [
                    (BboxOwner::Feature, own),
                    (BboxOwner::Geometry, of_geometry),
                ] {
                    if let Some(problem) = raw.and_then(|raw| check(raw, geometry, *bbox)) {
                        found.push(Finding::new(
                            FindingKind::WrongBbox { owner, problem },
                            layer,
                            i,
                            &id(i),
                        ));
                    }
                }
                found
            })
            .collect()
    });
    out.extend(per_feature);
    if let Some(problem) = collection_bbox(doc, shapes) {
        // The collection's bbox is about no one feature: it is reported on the first.
        out.push(Finding::new(
            FindingKind::WrongBbox {
                owner: BboxOwner::Collection,
                problem,
            },
            layer,
            0,
            &id(0),
        ));
    }
}

/// What is wrong with a FeatureCollection's own bbox, if it has one.
fn collection_bbox(doc: &Document, shapes: &CowVec<Shape>) -> Option<BboxProblem> {
    // It is reported on the first feature: a collection without features has none to check.
    if doc.container == Container::SingleFeature || doc.is_empty() {
        return None;
    }
    let raw = doc.slice(&doc.top_member("bbox")?);
    let areas: Vec<(&MultiPolygon<f64>, Rect<f64>)> = shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Area { geometry, bbox } => Some((geometry, *bbox)),
            Shape::Unusable(_) | Shape::Deleted => None,
        })
        .collect();
    let all = crate::engine::index::bounds_of(areas.iter().map(|a| a.1));
    match Bbox::read(raw) {
        Err(problem) => Some(problem),
        Ok(b) => {
            let all = all?;
            let holds = areas.iter().all(|(g, r)| {
                (b.holds(r.min()) && b.holds(r.max())) || g.coords_iter().all(|c| b.holds(c))
            });
            (!holds).then(|| BboxProblem::Misses {
                text: short(raw),
                spans: edges(all),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bboxes_are_read_and_hold_positions() {
        let b = Bbox::read("[106, 21, 0, 106.1, 21.1, 30]").expect("6 numbers");
        assert_eq!(
            b,
            Bbox {
                west: 106.0,
                south: 21.0,
                east: 106.1,
                north: 21.1
            }
        );
        assert!(b.holds(Coord { x: 106.1, y: 21.0 }));
        assert!(b.holds(Coord {
            x: 106.1 + 0.9 * TOLERANCE,
            y: 21.0
        }));
        assert!(!b.holds(Coord {
            x: 106.1 + 2.0 * TOLERANCE,
            y: 21.0
        }));
        // Across the antimeridian (RFC 7946 §5.2): east of 177° or west of -178°.
        let across = Bbox::read("[177.0, -20.0, -178.0, -16.0]").expect("4 numbers");
        assert!(across.holds(Coord { x: 179.0, y: -18.0 }));
        assert!(across.holds(Coord {
            x: -179.0,
            y: -18.0
        }));
        assert!(!across.holds(Coord { x: 0.0, y: -18.0 }));
        assert_eq!(Bbox::read("[1, 2, 3]"), Err(BboxProblem::WrongCount(3)));
        assert_eq!(
            Bbox::read("[0, 5, 1, 4]"),
            Err(BboxProblem::SouthAboveNorth {
                text: "[0, 5, 1, 4]".into()
            })
        );
        assert_eq!(
            Bbox::read("{}"),
            Err(BboxProblem::NotNumbers { text: "{}".into() })
        );
    }

    #[test]
    fn a_single_feature_has_no_collection_bbox_to_check() {
        let doc = Document::parse(
            std::path::Path::new("t.geojson"),
            br#"{"type":"Feature","bbox":[0,0,1,1],"properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[2,0],[2,1],[0,0]]]}}"#.to_vec(),
        )
        .expect("parses");
        let shapes = crate::engine::model::Zones::from_document(doc.clone()).shapes;
        assert_eq!(collection_bbox(&doc, &shapes), None);
        let mut out = Vec::new();
        bbox_findings(&mut out, LayerKind::Zones, &doc, &shapes, |_| "A".into());
        assert_eq!(out.len(), 1, "the feature's own bbox misses x = 2");
        assert_eq!(
            out[0].kind,
            FindingKind::WrongBbox {
                owner: BboxOwner::Feature,
                problem: BboxProblem::Misses {
                    text: "[0,0,1,1]".into(),
                    spans: [0.0, 0.0, 2.0, 1.0]
                }
            }
        );
    }
}
