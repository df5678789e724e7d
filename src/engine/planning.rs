//! The map's planning tools as edits: drawing a lot, splitting, merging and deleting, and
//! reshaping (moving, inserting and deleting a vertex, a shared vertex in every shape that has
//! it). Each gives the engine's [`Op`]s for one undo step, made by the same code as the
//! scripts' steps ([`super::script`]), so that the app, the recovery journal and
//! `zoneatlas apply` make the same change. Nothing is changed here: the caller applies the
//! operations.
//!
//! Positions are WGS84 longitude/latitude; a shape is written in its file's coordinate system
//! and style (unchanged vertices keep their text).

use geo::orient::{Direction, Orient};
use geo::{Coord, LineString, MultiPolygon, Polygon, Rect};
use serde_json::{Map, Value};

use super::dataset::Dataset;
use super::edit::Op;
use super::geojson::Document;
use super::geojson::style::{FileStyle, write_geometry};
use super::model::LayerKind;
use super::script::{self, LayerName, ScriptProblem, Step};
use super::shape_edit::{
    self, Snap, SnapTarget, VertexProblem, VertexRef, check_shape, corners, move_shared_vertex,
    snap_among, vertex_at,
};

/// A feature of a layer, by number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FeatureRef {
    pub layer: LayerKind,
    pub index: usize,
}

/// What a map tool asks for: one undo step.
#[derive(Clone, Debug, PartialEq)]
pub enum Plan {
    /// A new lot with these corners (see [`draw_lot`]).
    Draw { ring: Vec<Coord<f64>> },
    /// Cut a feature by a line (see [`split`]).
    Split {
        feature: FeatureRef,
        line: Vec<Coord<f64>>,
    },
    /// Merge features of one layer into the first (see [`merge`]).
    Merge {
        layer: LayerKind,
        features: Vec<usize>,
    },
    /// Delete features.
    Delete { features: Vec<FeatureRef> },
    /// Move a vertex; `shared`: in every shape that has it (see [`move_vertex`]).
    MoveVertex {
        feature: FeatureRef,
        vertex: VertexRef,
        to: Coord<f64>,
        shared: bool,
    },
    /// Put a vertex into an edge (see [`insert_vertex`]).
    InsertVertex {
        feature: FeatureRef,
        edge: VertexRef,
        at: Coord<f64>,
    },
    /// Take a vertex out (see [`delete_vertex`]).
    DeleteVertex {
        feature: FeatureRef,
        vertex: VertexRef,
    },
}

impl Plan {
    /// The operations that make it on the data as it is now (nothing is changed).
    pub fn ops(&self, ds: &Dataset) -> Result<Vec<Op>, ScriptProblem> {
        match self {
            Plan::Draw { ring } => draw_lot(ds, ring),
            Plan::Split { feature, line } => split(ds, *feature, line),
            Plan::Merge { layer, features } => merge(ds, *layer, features),
            Plan::Delete { features } => {
                let mut ops = Vec::new();
                for &f in features {
                    ops.extend(delete(ds, f)?);
                }
                Ok(ops)
            }
            Plan::MoveVertex {
                feature,
                vertex,
                to,
                shared,
            } => move_vertex(ds, *feature, *vertex, *to, *shared),
            Plan::InsertVertex { feature, edge, at } => insert_vertex(ds, *feature, *edge, *at),
            Plan::DeleteVertex { feature, vertex } => delete_vertex(ds, *feature, *vertex),
        }
    }

    /// The features it is about, for its name ("split lot A-01").
    pub fn features(&self) -> Vec<FeatureRef> {
        match self {
            Plan::Draw { .. } => Vec::new(),
            Plan::Merge { layer, features } => features
                .iter()
                .map(|&index| FeatureRef {
                    layer: *layer,
                    index,
                })
                .collect(),
            Plan::Delete { features } => features.clone(),
            Plan::Split { feature, .. }
            | Plan::MoveVertex { feature, .. }
            | Plan::InsertVertex { feature, .. }
            | Plan::DeleteVertex { feature, .. } => vec![*feature],
        }
    }
}

/// A new lot with corners `ring` (in drawing order, not closed), as vacant land: a fresh
/// `parcel_id`, and the `zone_id` of the zone it lies in (when one holds its first corner).
pub fn draw_lot(ds: &Dataset, ring: &[Coord<f64>]) -> Result<Vec<Op>, ScriptProblem> {
    let shape = closed_shape(ring);
    check_shape(&shape).map_err(ScriptProblem::Shape)?;
    let mut properties = Map::new();
    let zone = ring.first().and_then(|&c| ds.zone_at(c));
    // A zone known only by its number gives its lots no zone id.
    let zone_id = zone
        .map(|z| &ds.zones.items[z])
        .filter(|z| !z.numbered)
        .map(|z| z.id.clone());
    let base = match &zone_id {
        Some(z) => format!("{z}-new"),
        None => "new".to_string(),
    };
    let id = script::fresh_ids(ds, LayerKind::Parcels, &base, 1)
        .pop()
        .unwrap_or(base);
    properties.insert("parcel_id".into(), Value::from(id));
    if let Some(z) = zone_id {
        properties.insert("zone_id".into(), Value::from(z));
    }
    properties.insert("status".into(), Value::from("vacant"));
    let geometry = geo_json(&shape);
    let feature = serde_json::json!({
        "type": "Feature",
        "properties": Value::Object(properties),
        "geometry": geometry,
    });
    script::ops_for(
        ds,
        &Step::Insert {
            layer: LayerName::Parcels,
            feature: Some(feature),
            raw: None,
            uid: None,
        },
    )
}

/// Cuts a lot or zone by a line: the parts replace it, each with its properties and an id of
/// its own (see [`Step::Split`]).
pub fn split(ds: &Dataset, f: FeatureRef, line: &[Coord<f64>]) -> Result<Vec<Op>, ScriptProblem> {
    script::ops_for(
        ds,
        &Step::Split {
            layer: f.layer.into(),
            id: None,
            at: Some(f.index + 1),
            line: line.iter().map(|c| [c.x, c.y]).collect(),
            new_ids: None,
            version: None,
        },
    )
}

/// Merges lots (or zones) that share an edge into the first (see [`Step::Merge`]).
pub fn merge(ds: &Dataset, layer: LayerKind, features: &[usize]) -> Result<Vec<Op>, ScriptProblem> {
    script::merge_at(ds, layer, features)
}

/// Deletes a feature.
pub fn delete(ds: &Dataset, f: FeatureRef) -> Result<Vec<Op>, ScriptProblem> {
    script::ops_for(
        ds,
        &Step::Delete {
            layer: f.layer.into(),
            id: None,
            at: Some(f.index + 1),
            version: None,
        },
    )
}

/// Moves vertex `at` of a feature to `to`. With `shared` (topological editing), every lot and
/// zone that has a vertex at the same position (bit for bit) has it moved too, so that
/// neighbours keep sharing their edges; the shapes are found through the R-trees.
pub fn move_vertex(
    ds: &Dataset,
    f: FeatureRef,
    at: VertexRef,
    to: Coord<f64>,
    shared: bool,
) -> Result<Vec<Op>, ScriptProblem> {
    let shape = shape_of(ds, f)?;
    if !shared {
        let moved = shape_edit::move_vertex(shape, at, to).map_err(ScriptProblem::Vertex)?;
        return Ok(vec![reshape_op(ds, f, &moved)?]);
    }
    let from =
        vertex_at(shape, at).ok_or(ScriptProblem::Vertex(VertexProblem::NoSuchVertex(at)))?;
    let mut sharing = vec![f];
    sharing.extend(features_at(ds, from).into_iter().filter(|g| *g != f));
    let shapes: Vec<MultiPolygon<f64>> = sharing
        .iter()
        .map(|&g| shape_of(ds, g).cloned())
        .collect::<Result<_, _>>()?;
    let moved =
        move_shared_vertex(&shapes, from, to).map_err(|e| ScriptProblem::Vertex(e.problem))?;
    moved
        .iter()
        .map(|m| reshape_op(ds, sharing[m.shape], &m.result))
        .collect()
}

/// Puts a new vertex at `at` into edge `edge` of a feature (the edge from vertex `edge` to the
/// next).
pub fn insert_vertex(
    ds: &Dataset,
    f: FeatureRef,
    edge: VertexRef,
    at: Coord<f64>,
) -> Result<Vec<Op>, ScriptProblem> {
    let shape = shape_of(ds, f)?;
    let new = shape_edit::insert_vertex(shape, edge, at).map_err(ScriptProblem::Vertex)?;
    Ok(vec![reshape_op(ds, f, &new)?])
}

/// Deletes vertex `at` of a feature.
pub fn delete_vertex(ds: &Dataset, f: FeatureRef, at: VertexRef) -> Result<Vec<Op>, ScriptProblem> {
    let shape = shape_of(ds, f)?;
    let new = shape_edit::delete_vertex(shape, at).map_err(ScriptProblem::Vertex)?;
    Ok(vec![reshape_op(ds, f, &new)?])
}

/// The live lots and zones with a vertex at `c`, bit for bit (lots first).
pub fn features_at(ds: &Dataset, c: Coord<f64>) -> Vec<FeatureRef> {
    let point = Rect::new(c, c);
    let has = |shape: Option<&MultiPolygon<f64>>| shape.is_some_and(|s| vertex_of(s, c));
    let mut out = Vec::new();
    if let Some(p) = &ds.parcels {
        let mut lots: Vec<usize> = ds
            .parcel_index()
            .within(point)
            .filter(|&i| p.is_live(i) && has(p.shapes.get(i).and_then(|s| s.geometry())))
            .collect();
        lots.sort_unstable();
        out.extend(lots.into_iter().map(|index| FeatureRef {
            layer: LayerKind::Parcels,
            index,
        }));
    }
    let mut zones: Vec<usize> = ds
        .zone_index
        .within(point)
        .filter(|&i| ds.zones.is_live(i) && has(ds.zones.shapes.get(i).and_then(|s| s.geometry())))
        .collect();
    zones.sort_unstable();
    out.extend(zones.into_iter().map(|index| FeatureRef {
        layer: LayerKind::Zones,
        index,
    }));
    out
}

/// The vertex or edge of a lot or zone nearest `c` within `tolerance_deg` (as
/// [`SnapIndex`](super::shape_edit::SnapIndex) finds them), among those `accept` takes: lots first by the R-tree (when it is built:
/// until then, zones only), zones by theirs; only the shapes near `c` are looked at.
pub fn snap(
    ds: &Dataset,
    c: Coord<f64>,
    tolerance_deg: f64,
    accept: impl Fn(FeatureRef, SnapTarget) -> bool,
) -> Option<Snap<FeatureRef>> {
    if !(c.x.is_finite() && c.y.is_finite() && tolerance_deg.is_finite()) {
        return None;
    }
    let near = Rect::new(
        Coord {
            x: c.x - tolerance_deg,
            y: c.y - tolerance_deg,
        },
        Coord {
            x: c.x + tolerance_deg,
            y: c.y + tolerance_deg,
        },
    );
    let mut shapes: Vec<(FeatureRef, &MultiPolygon<f64>)> = Vec::new();
    if let (Some(p), Some(index)) = (&ds.parcels, ds.parcel_index_if_built()) {
        for index in index.within(near) {
            if let Some(g) = p.shapes.get(index).and_then(|s| s.geometry()) {
                let layer = LayerKind::Parcels;
                shapes.push((FeatureRef { layer, index }, g));
            }
        }
    }
    for index in ds.zone_index.within(near) {
        if let Some(g) = ds.zones.shapes.get(index).and_then(|s| s.geometry()) {
            let layer = LayerKind::Zones;
            shapes.push((FeatureRef { layer, index }, g));
        }
    }
    snap_among(shapes, c, tolerance_deg, accept)
}

/// Whether `shape` has a vertex at `c`, bit for bit.
fn vertex_of(shape: &MultiPolygon<f64>, c: Coord<f64>) -> bool {
    corners(shape).any(|(_, v)| v.x.to_bits() == c.x.to_bits() && v.y.to_bits() == c.y.to_bits())
}

/// A feature's usable shape.
pub fn shape_of(ds: &Dataset, f: FeatureRef) -> Result<&MultiPolygon<f64>, ScriptProblem> {
    let shape = match f.layer {
        LayerKind::Zones => ds.zones.shapes.get(f.index),
        LayerKind::Parcels => ds.parcels.as_ref().and_then(|p| p.shapes.get(f.index)),
    };
    shape
        .and_then(|s| s.geometry())
        .ok_or_else(|| ScriptProblem::NoShape {
            layer: f.layer,
            id: feature_id(ds, f),
        })
}

/// A feature's id as people read it (`#n` for one without).
pub fn feature_id(ds: &Dataset, f: FeatureRef) -> String {
    let item_id = match f.layer {
        LayerKind::Zones => ds.zones.items.get(f.index).map(|z| z.id.clone()),
        LayerKind::Parcels => ds
            .parcels
            .as_ref()
            .and_then(|p| p.items.get(f.index))
            .map(|p| p.id.clone()),
    };
    item_id.unwrap_or_else(|| format!("#{}", f.index + 1))
}

/// The operation that gives a feature `shape`, written as its file writes geometries; the
/// vertices it keeps keep their text. (The vertex edits have checked what they changed: a
/// whole-shape check would cost a 5,000-vertex zone milliseconds per drag, and would refuse an
/// edit for a fault the shape already had elsewhere, which the findings report.)
fn reshape_op(ds: &Dataset, f: FeatureRef, shape: &MultiPolygon<f64>) -> Result<Op, ScriptProblem> {
    let doc = document(ds, f.layer)?;
    let like = doc.geometry_json(f.index);
    let text = write_geometry(shape, &FileStyle::of(doc), doc.crs.as_ref(), like);
    Ok(Op::Geometry {
        layer: f.layer,
        feature: f.index,
        geometry: Some(text.into()),
    })
}

fn document(ds: &Dataset, layer: LayerKind) -> Result<&Document, ScriptProblem> {
    match layer {
        LayerKind::Zones => Ok(&ds.zones.doc),
        LayerKind::Parcels => ds
            .parcels
            .as_ref()
            .map(|p| &p.doc)
            .ok_or(ScriptProblem::Edit(super::edit::EditProblem::NoParcels)),
    }
}

/// A ring of corners as a one-polygon shape, closed and counter-clockwise (RFC 7946).
fn closed_shape(ring: &[Coord<f64>]) -> MultiPolygon<f64> {
    let mut coords = ring.to_vec();
    if coords.len() > 1 && coords.first() != coords.last() {
        coords.push(coords[0]);
    }
    MultiPolygon(vec![
        Polygon::new(LineString(coords), vec![]).orient(Direction::Default),
    ])
}

/// A one-polygon shape as a GeoJSON Polygon.
fn geo_json(shape: &MultiPolygon<f64>) -> Value {
    let rings: Vec<Value> = shape
        .0
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .map(|r| Value::from(r.0.iter().map(|c| vec![c.x, c.y]).collect::<Vec<_>>()))
        .collect();
    serde_json::json!({"type": "Polygon", "coordinates": rings})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::geodesy::{M2_PER_HA, geodesic_area_m2};
    use crate::engine::geojson::Document;
    use crate::engine::shape_edit::ShapeFault;
    use geo::coord;
    use std::path::Path;

    /// Two 100 m × 100 m-ish lots side by side in one zone, sharing the edge x = 106.001.
    fn two_lots() -> Dataset {
        let zones = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"zone_id":"Z","name":"Z","total_area_ha":10},"geometry":{"type":"Polygon","coordinates":[[[105.999,20.999],[106.005,20.999],[106.005,21.002],[105.999,21.002],[105.999,20.999]]]}}
]}"#;
        let parcels = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"parcel_id":"A-01","zone_id":"Z","status":"leased"},"geometry":{"type":"Polygon","coordinates":[[[106.0,21.0],[106.001,21.0],[106.001,21.001],[106.0,21.001],[106.0,21.0]]]}},
{"type":"Feature","properties":{"parcel_id":"A-02","zone_id":"Z","status":"vacant"},"geometry":{"type":"Polygon","coordinates":[[[106.001,21.0],[106.002,21.0],[106.002,21.001],[106.001,21.001],[106.001,21.0]]]}}
]}"#;
        let z = Document::parse(Path::new("zones.geojson"), zones.as_bytes().to_vec()).unwrap();
        let p = Document::parse(Path::new("parcels.geojson"), parcels.as_bytes().to_vec()).unwrap();
        Dataset::new(z, Some(p))
    }

    const A: FeatureRef = FeatureRef {
        layer: LayerKind::Parcels,
        index: 0,
    };
    const B: FeatureRef = FeatureRef {
        layer: LayerKind::Parcels,
        index: 1,
    };

    fn lot(ds: &Dataset, i: usize) -> MultiPolygon<f64> {
        ds.parcels.as_ref().unwrap().shapes[i]
            .geometry()
            .unwrap()
            .clone()
    }

    /// Vertex `v` of the exterior of the first polygon.
    fn corner(v: usize) -> VertexRef {
        VertexRef {
            polygon: 0,
            ring: 0,
            vertex: v,
        }
    }

    #[test]
    fn moving_a_shared_corner_moves_it_in_both_lots_bit_for_bit() {
        let mut ds = two_lots();
        // A's corner 1 is (106.001, 21.0), B's corner 0.
        let to = coord! { x: 106.0012, y: 20.9998 };
        let ops = move_vertex(&ds, A, corner(1), to, true).unwrap();
        assert_eq!(ops.len(), 2, "both lots change: {ops:?}");
        ds.apply_all(&ops).unwrap();
        let (a, b) = (lot(&ds, 0), lot(&ds, 1));
        assert_eq!(a.0[0].exterior().0[1], to);
        assert_eq!(b.0[0].exterior().0[0], to);
        // The shared edge is still shared: A's 1→2 is B's 0→3 reversed.
        assert_eq!(a.0[0].exterior().0[2], b.0[0].exterior().0[3]);
        // Not shared: only A moves.
        let mut ds = two_lots();
        let ops = move_vertex(&ds, A, corner(1), to, false).unwrap();
        assert_eq!(ops.len(), 1);
        ds.apply_all(&ops).unwrap();
        assert_eq!(lot(&ds, 1), lot(&two_lots(), 1));
    }

    #[test]
    fn a_vertex_move_that_makes_the_lot_cross_itself_is_refused() {
        let ds = two_lots();
        // A's corner 2 (106.001, 21.001) dragged below its bottom edge.
        let r = move_vertex(&ds, A, corner(2), coord! { x: 106.0005, y: 20.9995 }, false);
        assert!(
            matches!(r, Err(ScriptProblem::Vertex(VertexProblem::Invalid(_)))),
            "{r:?}"
        );
    }

    #[test]
    fn a_drawn_lot_is_inserted_vacant_in_its_zone_and_counter_clockwise() {
        let mut ds = two_lots();
        // Drawn clockwise, against B's right edge.
        let ring = [
            coord! { x: 106.002, y: 21.0 },
            coord! { x: 106.002, y: 21.001 },
            coord! { x: 106.003, y: 21.001 },
            coord! { x: 106.003, y: 21.0 },
        ];
        let ops = draw_lot(&ds, &ring).unwrap();
        ds.apply_all(&ops).unwrap();
        let p = ds.parcels.as_ref().unwrap();
        assert_eq!(p.len(), 3);
        let props = p.doc.properties(2);
        let get = |k: &str| {
            props
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        };
        assert_eq!(get("parcel_id"), Some(Value::from("Z-new-1")));
        assert_eq!(get("zone_id"), Some(Value::from("Z")));
        assert_eq!(get("status"), Some(Value::from("vacant")));
        let shape = lot(&ds, 2);
        let ext = shape.0[0].exterior();
        assert!(geo::Winding::is_ccw(ext), "{ext:?}");
        // Corners kept bit for bit (the file's 3-decimal style holds them exactly).
        assert!(ext.0.contains(&ring[1]) && ext.0.contains(&ring[3]));
        // 0.001° of longitude at 21° N is 103.9 m, of latitude 110.7 m: 1.150 ha.
        let ha = geodesic_area_m2(&shape) / M2_PER_HA;
        assert!((ha - 1.150).abs() < 0.002, "{ha}");
    }

    #[test]
    fn a_drawn_ring_that_crosses_itself_is_refused() {
        let ds = two_lots();
        let bow = [
            coord! { x: 106.002, y: 21.0 },
            coord! { x: 106.003, y: 21.001 },
            coord! { x: 106.003, y: 21.0 },
            coord! { x: 106.002, y: 21.001 },
        ];
        assert!(matches!(
            draw_lot(&ds, &bow),
            Err(ScriptProblem::Shape(ShapeFault::SelfIntersection { .. }))
        ));
        assert!(matches!(
            draw_lot(&ds, &bow[..2]),
            Err(ScriptProblem::Shape(ShapeFault::TooFewPositions { .. }))
        ));
    }

    #[test]
    fn features_at_finds_both_lots_and_not_the_zone_at_a_shared_corner() {
        let ds = two_lots();
        assert_eq!(features_at(&ds, coord! { x: 106.001, y: 21.0 }), vec![A, B]);
        assert_eq!(features_at(&ds, coord! { x: 106.0011, y: 21.0 }), vec![]);
        let zone_corner = coord! { x: 105.999, y: 20.999 };
        assert_eq!(
            features_at(&ds, zone_corner),
            vec![FeatureRef {
                layer: LayerKind::Zones,
                index: 0
            }]
        );
    }

    #[test]
    fn merge_and_split_by_number_round_trip_the_area() {
        let mut ds = two_lots();
        let before = geodesic_area_m2(&lot(&ds, 0)) + geodesic_area_m2(&lot(&ds, 1));
        let ops = merge(&ds, LayerKind::Parcels, &[0, 1]).unwrap();
        ds.apply_all(&ops).unwrap();
        let merged = geodesic_area_m2(&lot(&ds, 0));
        assert!(((merged - before) / before).abs() < 1e-9);
        let line = [
            coord! { x: 106.0005, y: 20.9995 },
            coord! { x: 106.0005, y: 21.0015 },
        ];
        let ops = split(&ds, A, &line).unwrap();
        ds.apply_all(&ops).unwrap();
        let p = ds.parcels.as_ref().unwrap();
        let parts: f64 = p.live().map(|i| geodesic_area_m2(&lot(&ds, i))).sum();
        assert!(((parts - before) / before).abs() < 1e-9);
        assert_eq!(p.live().count(), 2);
    }
}
