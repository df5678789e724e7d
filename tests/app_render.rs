//! What the map puts on screen, checked without a GPU: the app's frame is tessellated by egui
//! and its triangles are sampled at chosen points (a point-sampling software rasteriser).
//! Concave zones and holes must fill exactly; colours must follow edits.

use egui::epaint::ClippedPrimitive;
use egui::{Color32, Pos2, RawInput, Rect, vec2};
use geo::{Coord, InteriorPoint};
use serde_json::Value;
use std::path::Path;

use zoneatlas::app::action::{Action, ViewAction};
use zoneatlas::app::map::{MapMemory, MapResponse, MapView, style};
use zoneatlas::app::session::Session;
use zoneatlas::app::session::edit::Edit;
use zoneatlas::app::view::Selection;
use zoneatlas::app::view::ViewState;
use zoneatlas::app::{fonts, sample_dataset};

mod common;
use common::sample;
use zoneatlas::engine::dataset::Dataset;
use zoneatlas::engine::geojson::Document;
use zoneatlas::engine::model::LayerKind;

/// Draws one frame and returns what it painted.
fn frame(ctx: &egui::Context, session: &Session, memory: &mut MapMemory) -> Vec<ClippedPrimitive> {
    frame_with(ctx, session, memory, Vec::new()).0
}

/// Draws one frame after `events`; returns what it painted and what the map reported.
fn frame_with(
    ctx: &egui::Context,
    session: &Session,
    memory: &mut MapMemory,
    events: Vec<egui::Event>,
) -> (Vec<ClippedPrimitive>, MapResponse) {
    let input = RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(900.0, 700.0))),
        events,
        ..Default::default()
    };
    let mut response = MapResponse::default();
    let mut out = ctx.run_ui(input, |ui| {
        egui::CentralPanel::no_frame().show(ui, |ui| {
            response = MapView::new(session, &ViewState::default(), memory).show(ui);
        });
    });
    out.textures_delta.clear(); // no GPU to upload the font atlas to
    (ctx.tessellate(out.shapes, out.pixels_per_point), response)
}

fn close(a: Color32, b: Color32) -> bool {
    a.to_array()
        .iter()
        .zip(b.to_array())
        .all(|(x, y)| x.abs_diff(y) <= 3)
}

fn setup(ds: Dataset) -> (egui::Context, Session, MapMemory) {
    let ctx = egui::Context::default();
    fonts::install(&ctx);
    let mut memory = MapMemory::default();
    memory.show_labels = false; // text would cover the points sampled
    (ctx, Session::new(ds), memory)
}

/// A "U" of 3 × 3 km with a hole (a village) in its base.
const U_ZONE: &str = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"KCN Chữ U","industrial_land_ha":500},
 "geometry":{"type":"Polygon","coordinates":[
  [[106.00,21.00],[106.03,21.00],[106.03,21.03],[106.02,21.03],[106.02,21.01],[106.01,21.01],[106.01,21.03],[106.00,21.03],[106.00,21.00]],
  [[106.012,21.002],[106.018,21.002],[106.018,21.008],[106.012,21.008],[106.012,21.002]]]}}]}"#;

#[test]
fn concave_zones_and_holes_fill_exactly() {
    let doc = Document::parse(Path::new("u.geojson"), U_ZONE.as_bytes().to_vec()).expect("parses");
    let (ctx, session, mut memory) = setup(Dataset::new(doc, None));
    frame(&ctx, &session, &mut memory); // fits the zone
    let prims = frame(&ctx, &session, &mut memory);
    let at = |x: f64, y: f64| memory.screen_pos(Coord { x, y });
    let expected = {
        let c = style::translucent(style::zone_color(&session.ds.figures[0]), 190);
        let bg = style::BACKGROUND.to_array().map(|x| f32::from(x) / 255.0);
        let [r, g, b, a] = c.to_array().map(|x| f32::from(x) / 255.0);
        let mix = |s: f32, d: f32| ((s + d * (1.0 - a)) * 255.0).round() as u8;
        Color32::from_rgb(mix(r, bg[0]), mix(g, bg[1]), mix(b, bg[2]))
    };
    // In the arms and the base: the zone.
    for (x, y) in [
        (106.005, 21.02),
        (106.025, 21.02),
        (106.005, 21.005),
        (106.025, 21.005),
        (106.015, 21.009),
    ] {
        let got = sample(&prims, at(x, y));
        assert!(
            close(got, expected),
            "({x}, {y}) is in the zone: {got:?}, expected {expected:?}"
        );
    }
    // In the notch of the U and in the hole: the ground.
    for (x, y) in [(106.015, 21.02), (106.015, 21.028), (106.015, 21.005)] {
        let got = sample(&prims, at(x, y));
        assert!(
            close(got, style::BACKGROUND),
            "({x}, {y}) is outside the zone: {got:?}"
        );
    }
}

#[test]
fn the_map_reports_what_the_pointer_is_over_and_outlines_it() {
    let doc = Document::parse(Path::new("u.geojson"), U_ZONE.as_bytes().to_vec()).expect("parses");
    let (ctx, session, mut memory) = setup(Dataset::new(doc, None));
    frame(&ctx, &session, &mut memory); // fits the zone
    let at = |memory: &MapMemory, x: f64, y: f64| memory.screen_pos(Coord { x, y });

    // Over an arm of the U: the zone, outlined in the hover colour.
    let arm = at(&memory, 106.005, 21.02);
    let (prims, r) = frame_with(
        &ctx,
        &session,
        &mut memory,
        vec![egui::Event::PointerMoved(arm)],
    );
    assert_eq!(r.hover, Some(Selection::Zone(0)));
    assert!(r.actions.is_empty(), "hovering asks for nothing");
    let edge = at(&memory, 106.0, 21.015);
    assert!(
        close(sample(&prims, edge), style::HOVER),
        "{:?}",
        sample(&prims, edge)
    );

    // In the notch and in the hole: nothing, and no outline.
    for (x, y) in [(106.015, 21.02), (106.015, 21.005)] {
        let p = at(&memory, x, y);
        let (prims, r) = frame_with(
            &ctx,
            &session,
            &mut memory,
            vec![egui::Event::PointerMoved(p)],
        );
        assert_eq!(r.hover, None, "({x}, {y})");
        assert!(!close(sample(&prims, edge), style::HOVER), "({x}, {y})");
    }

    // A click on the zone asks for it to be selected.
    let mut events = vec![egui::Event::PointerMoved(arm)];
    for pressed in [true, false] {
        events.push(egui::Event::PointerButton {
            pos: arm,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    let (_, r) = frame_with(&ctx, &session, &mut memory, events);
    assert_eq!(
        r.actions,
        [Action::View(ViewAction::Select {
            selection: Some(Selection::Zone(0)),
            fly: false
        })]
    );
}

#[test]
fn map_colours_follow_edits() {
    let (ctx, mut session, mut memory) = setup(sample_dataset());
    let z = session
        .ds
        .zones
        .items
        .iter()
        .position(|z| z.name == "KCN Quế Võ")
        .expect("zone");
    memory.fit_all(&session.ds);
    frame(&ctx, &session, &mut memory);
    // Lots are drawn once their R-tree is built (on another thread, after new data).
    memory.wait_for_lots();
    memory.camera = zoneatlas::app::map::camera::Camera::fitting(
        session.ds.zones.shapes[z].bbox().expect("bbox"),
        memory.view,
        20.0,
    );
    // A leased lot of the zone, and a point of the zone outside its lots.
    let parcels = session.ds.parcels.as_ref().expect("parcels");
    let p = (0..parcels.len())
        .find(|p| {
            session.ds.zone_of(*p) == Some(z)
                && parcels.items[*p].status == zoneatlas::engine::properties::ParcelStatus::Leased
        })
        .expect("a leased lot");
    let lot = parcels.shapes[p]
        .geometry()
        .and_then(|g| g.interior_point())
        .expect("point")
        .0;
    let lot = session
        .ds
        .parcel_at(lot)
        .map(|q| (q, lot))
        .expect("in a lot");
    let b = session.ds.zones.shapes[z].bbox().expect("bbox");
    let free = (1..60)
        .flat_map(|i| (1..60).map(move |j| (i, j)))
        .map(|(i, j)| Coord {
            x: b.min().x + b.width() * f64::from(i) / 60.0,
            y: b.min().y + b.height() * f64::from(j) / 60.0,
        })
        .find(|c| session.ds.zone_at(*c) == Some(z) && session.ds.parcel_at(*c).is_none())
        .expect("ground of the zone outside its lots");

    let prims = frame(&ctx, &session, &mut memory);
    let lot_pos = memory.screen_pos(lot.1);
    let free_pos = memory.screen_pos(free);
    assert_eq!(
        sample(&prims, lot_pos),
        style::parcel_color(zoneatlas::engine::properties::ParcelStatus::Leased)
    );
    let before = sample(&prims, free_pos);
    assert!(!close(before, style::BACKGROUND));

    // The lot becomes vacant: drawn vacant at once.
    session.apply(Edit::one(
        LayerKind::Parcels,
        lot.0,
        "status",
        Some(Value::from("vacant")),
        "status",
    ));
    let prims = frame(&ctx, &session, &mut memory);
    assert_eq!(
        sample(&prims, lot_pos),
        style::parcel_color(zoneatlas::engine::properties::ParcelStatus::Vacant)
    );

    // Industrial land cut to a third: the zone's rate passes 100 % and it turns red.
    session.apply(Edit::one(
        LayerKind::Zones,
        z,
        "industrial_land_ha",
        Some(Value::from(120)),
        "industrial land",
    ));
    assert!(session.ds.figures[z].fill_rate_pct.expect("rate") > 100.0);
    let prims = frame(&ctx, &session, &mut memory);
    let after = sample(&prims, free_pos);
    assert_ne!(after, before);
    let [r, g, b, _] = after.to_array();
    assert!(r > g && r > b, "red for over 100 %: {after:?}");
}
