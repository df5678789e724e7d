//! Gaps left between lots that shared an edge, on a block of lots edited at random: a corner
//! moved in one lot only, or in every lot that has it (topological editing), each as one edit
//! of one operation per lot changed (as the app makes them).
//!
//! - a reported gap lies in no lot, between two lots that are there, and is at least
//!   `MIN_GAP_M2`;
//! - moving corners in every lot that has them never leaves a gap;
//! - undoing every edit gives the files back and leaves no gap.

use geo::{Contains, Coord, MultiPolygon, Point};
use proptest::prelude::*;
use std::path::Path;
use zoneatlas::engine::as_of::AsOf;
use zoneatlas::engine::dataset::Dataset;
use zoneatlas::engine::edit::Op;
use zoneatlas::engine::export::render;
use zoneatlas::engine::findings::{Code, Finding, FindingKind};
use zoneatlas::engine::gaps::MIN_GAP_M2;
use zoneatlas::engine::geojson::Document;
use zoneatlas::engine::model::LayerKind;
use zoneatlas::engine::properties::Date;
use zoneatlas::engine::shape_edit::{VertexRef, move_shared_vertex, move_vertex};

const SIDE: f64 = 0.001;
const COLUMNS: usize = 3;
const ROWS: usize = 2;

/// A square lot of side [`SIDE`], its corners written to 6 decimals: lots that share a
/// corner share its bits.
fn square(x: f64, y: f64) -> String {
    format!(
        r#"{{"type":"Polygon","coordinates":[[[{x:.6},{y:.6}],[{x2:.6},{y:.6}],[{x2:.6},{y2:.6}],[{x:.6},{y2:.6}],[{x:.6},{y:.6}]]]}}"#,
        x2 = x + SIDE,
        y2 = y + SIDE
    )
}

/// A zone and a block of 3 × 2 lots sharing their edges, 0.001° (about 100 m) a side.
fn block() -> Dataset {
    let zones = format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"zone_id":"Z"}},"geometry":{}}}]}}"#,
        r#"{"type":"Polygon","coordinates":[[[105.99,20.99],[106.02,20.99],[106.02,21.02],[105.99,21.02],[105.99,20.99]]]}"#
    );
    let lots: Vec<String> = (0..COLUMNS * ROWS)
        .map(|k| {
            let (x, y) = (
                106.0 + (k % COLUMNS) as f64 * SIDE,
                21.0 + (k / COLUMNS) as f64 * SIDE,
            );
            format!(
                r#"{{"type":"Feature","properties":{{"parcel_id":"L{k}","status":"leased"}},"geometry":{}}}"#,
                square(x, y)
            )
        })
        .collect();
    let parcels = format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        lots.join(",")
    );
    let doc = |name: &str, s: &str| {
        Document::parse(Path::new(name), s.as_bytes().to_vec()).expect("parses")
    };
    let ds = Dataset::new(
        doc("zones.geojson", &zones),
        Some(doc("parcels.geojson", &parcels)),
    );
    ds.parcel_index();
    ds
}

fn shapes(ds: &Dataset) -> Vec<Option<MultiPolygon<f64>>> {
    let parcels = ds.parcels.as_ref().expect("parcels");
    (0..parcels.len())
        .map(|p| parcels.shapes[p].geometry().cloned())
        .collect()
}

fn text(mp: &MultiPolygon<f64>) -> String {
    serde_json::to_string(&geojson::Geometry::from(mp)).expect("JSON")
}

fn gaps(ds: &Dataset) -> Vec<Finding> {
    ds.findings(AsOf::Today(Date::from_ymd(2026, 1, 1).expect("a date")))
        .into_iter()
        .filter(|f| f.code() == Code::GapBetweenLots)
        .collect()
}

#[derive(Clone, Debug)]
struct Move {
    lot: usize,
    vertex: usize,
    dx: f64,
    dy: f64,
    /// In every lot that has the corner (topological editing), or in this lot only.
    shared: bool,
}

fn a_move() -> impl Strategy<Value = Move> {
    (
        0..COLUMNS * ROWS,
        0usize..4,
        -0.4f64..0.4,
        -0.4f64..0.4,
        prop::bool::ANY,
    )
        .prop_map(|(lot, vertex, dx, dy, shared)| Move {
            lot,
            vertex,
            dx: dx * SIDE,
            dy: dy * SIDE,
            shared,
        })
}

/// The operations of a move, one per lot changed; `None` when the move is refused.
fn ops_of(m: &Move, ds: &Dataset) -> Option<Vec<Op>> {
    let all = shapes(ds);
    let shape = all[m.lot].as_ref()?;
    let at = VertexRef {
        polygon: 0,
        ring: 0,
        vertex: m.vertex,
    };
    let from: Coord<f64> = *shape.0.first()?.exterior().0.get(m.vertex)?;
    let to = Coord {
        x: from.x + m.dx,
        y: from.y + m.dy,
    };
    let op = |p: usize, g: &MultiPolygon<f64>| Op::Geometry {
        layer: LayerKind::Parcels,
        feature: p,
        geometry: Some(text(g).into()),
    };
    if m.shared {
        let live: Vec<MultiPolygon<f64>> = all
            .iter()
            .map(|s| s.clone().unwrap_or(MultiPolygon(vec![])))
            .collect();
        let moved = move_shared_vertex(&live, from, to).ok()?;
        Some(moved.iter().map(|m| op(m.shape, &m.result)).collect())
    } else {
        Some(vec![op(m.lot, &move_vertex(shape, at, to).ok()?)])
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 128,
        // Failing cases are kept beside this file (`*.proptest-regressions`) and run first
        // each time: the default looks for a lib.rs above an integration test, finds none,
        // and keeps nothing.
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
        )),
        ..ProptestConfig::default()
    })]

    #[test]
    fn gaps_lie_in_no_lot_topological_moves_leave_none_and_undo_closes_them(
        moves in prop::collection::vec(a_move(), 1..6),
    ) {
        let mut ds = block();
        let files = |ds: &Dataset| render(&ds.parcels.as_ref().expect("parcels").doc, |_| Vec::new());
        let original = files(&ds);
        let mut undo: Vec<Vec<Op>> = Vec::new();
        let mut only_shared = true;
        for m in &moves {
            let Some(ops) = ops_of(m, &ds) else { continue };
            let Ok(inverses) = ds.apply_all(&ops) else { continue };
            undo.push(inverses);
            only_shared &= m.shared;
            let found = gaps(&ds);
            if only_shared {
                prop_assert!(found.is_empty(), "after {:?}: {:?}", m, found);
            }
            let now = shapes(&ds);
            for f in &found {
                let FindingKind::GapBetweenLots { other, gap_m2, x, y, .. } = f.kind else {
                    unreachable!()
                };
                prop_assert!(gap_m2 >= MIN_GAP_M2);
                prop_assert!(now[f.feature - 1].is_some() && now[other - 1].is_some());
                let at = Point::new(x, y);
                for (p, s) in now.iter().enumerate() {
                    prop_assert!(
                        !s.as_ref().is_some_and(|s| s.contains(&at)),
                        "the gap of {:?} at {:?} lies in lot {}", f, at, p
                    );
                }
            }
        }
        while let Some(inverses) = undo.pop() {
            ds.apply_all(&inverses).expect("an undo applies");
        }
        prop_assert_eq!(files(&ds), original);
        prop_assert!(gaps(&ds).is_empty(), "{:?}", gaps(&ds));
        prop_assert!(ds.gap_facts().is_empty(), "{:?}", ds.gap_facts());
    }
}
