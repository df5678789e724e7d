//! The findings panel shows a gap an edit leaves between two lots that shared an edge, and
//! loses it when the edit is undone.

mod common;

use common::{harness, settle};
use egui_kittest::kittest::Queryable;
use std::path::Path;
use zoneatlas::app::ZoneAtlasApp;
use zoneatlas::app::action::{Action, EditAction};
use zoneatlas::app::dialogs::TestDialogs;
use zoneatlas::app::session::edit::Edit;
use zoneatlas::engine::dataset::Dataset;
use zoneatlas::engine::edit::Op;
use zoneatlas::engine::geojson::Document;
use zoneatlas::engine::model::LayerKind;

fn square(x: f64) -> String {
    format!(
        r#"{{"type":"Polygon","coordinates":[[[{x},21.002],[{x2},21.002],[{x2},21.003],[{x},21.003],[{x},21.002]]]}}"#,
        x2 = x + 0.001
    )
}

#[test]
fn the_findings_panel_shows_a_gap_and_undo_takes_it_away() {
    let zones = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"zone_id":"Z","name":"KCN Z","industrial_land_ha":50},"geometry":{"type":"Polygon","coordinates":[[[106,21],[106.01,21],[106.01,21.01],[106,21.01],[106,21]]]}}]}"#;
    let parcels = format!(
        r#"{{"type":"FeatureCollection","features":[
{{"type":"Feature","properties":{{"parcel_id":"W","status":"leased"}},"geometry":{}}},
{{"type":"Feature","properties":{{"parcel_id":"E","status":"leased"}},"geometry":{}}}]}}"#,
        square(106.002),
        square(106.003)
    );
    let doc = |name: &str, s: &str| {
        Document::parse(Path::new(name), s.as_bytes().to_vec()).expect("parses")
    };
    let ds = Dataset::new(
        doc("zones.geojson", zones),
        Some(doc("parcels.geojson", &parcels)),
    );
    let mut h = harness(ZoneAtlasApp::new(ds, Box::new(TestDialogs::new())));
    let gap = "leaves a gap of 1151.11 m² between it and parcel E (#2)";
    assert!(h.query_by_label_contains(gap).is_none());

    // W's north-east corner, which E shares, pulled 0.0002° west in W only.
    let moved = r#"{"type":"Polygon","coordinates":[[[106.002,21.002],[106.003,21.002],[106.0028,21.003],[106.002,21.003],[106.002,21.002]]]}"#;
    let ctx = h.ctx.clone();
    h.state_mut().apply(
        &ctx,
        Action::Edit(EditAction::Apply(Edit {
            ops: vec![Op::Geometry {
                layer: LayerKind::Parcels,
                feature: 0,
                geometry: Some(moved.into()),
            }],
            what: "shape of W".into(),
        })),
    );
    settle(&mut h);
    assert!(
        h.query_by_label_contains(gap).is_some(),
        "the panel shows the gap"
    );
    h.state_mut().apply(&ctx, Action::Edit(EditAction::Undo));
    settle(&mut h);
    assert!(h.query_by_label_contains(gap).is_none(), "undone");
}
