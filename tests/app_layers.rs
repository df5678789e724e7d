//! Reference layers and the Layers panel (issue 13 §4), driven through the window: a GeoJSON
//! made here (a line, a point and a polygon with a hole) added with File › Add reference
//! layer… through the faked file dialog, listed in View › Layers, and drawn on the map —
//! checked in what the window paints (its frame tessellated by egui, sampled at chosen points,
//! as `tests/app_render.rs` does): hidden, its pixels go; its opacity fades them; reordered,
//! the one on top shows; removed, it leaves the panel and the map. The zones' figures and a
//! saved file are the same with and without it; a file that cannot be read says so, naming
//! the file; a file in metres without a system asks which. The basemap's line in the panel is
//! View › Basemap's state. No network: the window has no basemap.

mod common;

use std::path::{Path, PathBuf};

use egui::accesskit::Role;
use egui::epaint::ClippedPrimitive;
use egui::{Color32, Pos2, Rect, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

use common::{harness, sample, settle, type_into};
use zoneatlas::app::ZoneAtlasApp;
use zoneatlas::app::dialogs::TestDialogs;
use zoneatlas::app::map::basemap::Source;
use zoneatlas::app::map::reference::PALETTE;
use zoneatlas::app::map::style;

type H = Harness<'static, ZoneAtlasApp>;

/// The window on the built-in sample, zoomed out a step so that there is room around the
/// zones, with the dialogs the test answers.
fn app() -> (H, TestDialogs) {
    let dialogs = TestDialogs::new();
    let app = ZoneAtlasApp::new(zoneatlas::app::sample_dataset(), Box::new(dialogs.clone()));
    let mut h = harness(app);
    assert_eq!(*h.state().map.basemap.source(), Source::None);
    h.state_mut().map.camera.zoom -= 1.0;
    settle(&mut h);
    (h, dialogs)
}

/// What the last frame painted, tessellated.
fn painted(h: &H) -> Vec<ClippedPrimitive> {
    let out = h.output();
    h.ctx.tessellate(out.shapes.clone(), out.pixels_per_point)
}

fn distance(a: Color32, b: Color32) -> i32 {
    a.to_array()[..3]
        .iter()
        .zip(&b.to_array()[..3])
        .map(|(x, y)| (i32::from(*x) - i32::from(*y)).abs())
        .max()
        .unwrap_or(0)
}

/// `c` at `alpha` over the map's background.
fn over_background(c: Color32, alpha: f32) -> Color32 {
    let [r, g, b, _] = c.to_array();
    let [br, bg, bb, _] = style::BACKGROUND.to_array();
    let mix = |x: u8, y: u8| (f32::from(x) * alpha + f32::from(y) * (1.0 - alpha)).round() as u8;
    Color32::from_rgb(mix(r, br), mix(g, bg), mix(b, bb))
}

/// Where the test's shapes go: the centre of a 170 × 90 pixel box of the map that no zone's
/// box, label, legend or scale bar meets (and where the map shows its bare background).
fn free_spot(h: &H) -> Pos2 {
    let app = h.state();
    let map = &app.map;
    let ds = &app.session.ds;
    let mut busy: Vec<Rect> = ds
        .zones
        .shapes
        .iter()
        .filter_map(|s| s.bbox())
        .map(|b| Rect::from_two_pos(map.screen_pos(b.min()), map.screen_pos(b.max())).expand(12.0))
        .collect();
    busy.push(map.legend_rect.expand(12.0));
    busy.extend(map.label_rects.iter().map(|r| r.expand(12.0)));
    // The scale bar.
    busy.push(Rect::from_min_max(
        map.view.right_bottom() - vec2(260.0, 90.0),
        map.view.right_bottom(),
    ));
    let area = map.view.shrink(10.0);
    let mut y = area.top() + 45.0;
    while y < area.bottom() - 45.0 {
        let mut x = area.left() + 85.0;
        while x < area.right() - 85.0 {
            let r = Rect::from_center_size(Pos2::new(x, y), vec2(170.0, 90.0));
            if !busy.iter().any(|b| b.intersects(r)) {
                return r.center();
            }
            x += 10.0;
        }
        y += 10.0;
    }
    panic!("no free place on the map {:?}", map.view);
}

/// Where the shapes are, in pixels from the spot: a square with a hole, a line, a point.
const FILL: [f32; 2] = [-62.0, 0.0];
const HOLE: [f32; 2] = [-40.0, 0.0];
const LINE: [f32; 2] = [20.0, -15.0];
const POINT: [f32; 2] = [55.0, 0.0];

/// A GeoJSON of a line, a point and a polygon with a hole around `spot`, as the map shows it
/// now.
fn reference_file(h: &H, dir: &Path, name: &str, spot: Pos2) -> PathBuf {
    let map = &h.state().map;
    let at = |dx: f32, dy: f32| {
        let c = map.camera.screen_to_lonlat(spot + vec2(dx, dy), map.view);
        format!("[{},{}]", c.x, c.y)
    };
    let ring = |x0: f32, y0: f32, x1: f32, y1: f32| {
        format!(
            "[{},{},{},{},{}]",
            at(x0, y0),
            at(x1, y0),
            at(x1, y1),
            at(x0, y1),
            at(x0, y0)
        )
    };
    let text = format!(
        r#"{{"type":"FeatureCollection","features":[
 {{"type":"Feature","properties":{{"name":"Kênh tiêu"}},"geometry":{{"type":"LineString","coordinates":[{},{}]}}}},
 {{"type":"Feature","properties":{{"name":"Trạm bơm"}},"geometry":{{"type":"Point","coordinates":{}}}}},
 {{"type":"Feature","properties":{{"name":"Xã Phù Chẩn"}},"geometry":{{"type":"Polygon","coordinates":[{},{}]}}}}
]}}"#,
        at(20.0, -30.0),
        at(20.0, 30.0),
        at(POINT[0], POINT[1]),
        ring(-70.0, -30.0, -10.0, 30.0),
        ring(-50.0, -10.0, -30.0, 10.0),
    );
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

/// The colours at the test's points: fill, hole, line, point.
fn colours(h: &H, spot: Pos2) -> [Color32; 4] {
    let prims = painted(h);
    [FILL, HOLE, LINE, POINT].map(|[dx, dy]| sample(&prims, spot + vec2(dx, dy)))
}

/// File › Add reference layer…, answered with `path`, and the layer read.
fn add_through_file_menu(h: &mut H, dialogs: &TestDialogs, path: &Path) {
    dialogs.answer(Some(path.to_path_buf()));
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Add reference layer…").click();
    h.run();
    settle(h);
}

/// View › Layers.
fn open_layers_panel(h: &mut H) {
    h.get_by_label("View").click();
    h.run();
    h.get_by_role_and_label(Role::CheckBox, "Layers").click();
    h.run();
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.state().layers_panel.open);
}

#[test]
fn a_reference_layer_is_added_listed_drawn_hidden_faded_reordered_and_removed() {
    let (mut h, dialogs) = app();
    let dir = tempfile::tempdir().expect("tempdir");
    let spot = free_spot(&h);
    let bare = colours(&h, spot);
    for c in bare {
        assert!(
            distance(c, style::BACKGROUND) <= 1,
            "{c:?}: the spot is not bare"
        );
    }
    let file = reference_file(&h, dir.path(), "drainage.geojson", spot);
    add_through_file_menu(&mut h, &dialogs, &file);
    assert_eq!(dialogs.asked(), ["Add reference layer…"]);
    let layers = &h.state().map.reference.layers;
    assert_eq!(layers.len(), 1);
    assert_eq!(layers[0].shapes.features, 3);
    let message = h.state().view.message.clone().expect("a message");
    assert!(
        !message.error && message.text.contains("drainage.geojson"),
        "{message:?}"
    );

    // Drawn: the polygon's translucent fill, its hole left bare, the line, the point.
    let teal = PALETTE[0];
    assert_eq!(layers[0].color, teal);
    let [fill, hole, line, point] = colours(&h, spot);
    assert!(distance(fill, over_background(teal, 0.3)) <= 3, "{fill:?}");
    assert!(
        distance(hole, style::BACKGROUND) <= 1,
        "the hole is filled: {hole:?}"
    );
    assert!(distance(line, teal) <= 3, "{line:?}");
    assert!(distance(point, teal) <= 3, "{point:?}");
    assert_eq!(h.state().map.stats.references_drawn, 3);
    // Never measured: the map's zones and the window's figures do not know of it.
    assert!(h.state().view.selection.is_none());

    // Listed in the Layers panel with the zones, the parcels and the basemap.
    open_layers_panel(&mut h);
    for label in ["drainage.geojson", "Zones", "Parcels", "Basemap: None"] {
        assert!(
            h.query_by_role_and_label(Role::CheckBox, label).is_some(),
            "{label} is not listed"
        );
    }
    // The panel does not cover the spot.
    assert!(distance(colours(&h, spot)[2], teal) <= 3);

    // Hidden with its checkbox: its pixels go; shown again, they come back.
    h.get_by_role_and_label(Role::CheckBox, "drainage.geojson")
        .click();
    h.run();
    assert!(!h.state().map.reference.layers[0].visible);
    for c in colours(&h, spot) {
        assert!(
            distance(c, style::BACKGROUND) <= 1,
            "hidden but drawn: {c:?}"
        );
    }
    assert_eq!(h.state().map.stats.references_drawn, 0);
    h.get_by_role_and_label(Role::CheckBox, "drainage.geojson")
        .click();
    h.run();
    assert!(distance(colours(&h, spot)[2], teal) <= 3);

    // Its opacity, from the panel's slider: the line and the fill fade over the background.
    h.get_by_role_and_label(Role::Slider, "Opacity of drainage.geojson")
        .set_value_accesskit(0.4);
    h.run();
    h.run();
    let opacity = h.state().map.reference.layers[0].opacity;
    assert!((opacity - 0.4).abs() < 1e-6, "{opacity}");
    let [fill, hole, line, point] = colours(&h, spot);
    assert!(distance(line, over_background(teal, 0.4)) <= 3, "{line:?}");
    assert!(
        distance(fill, over_background(teal, 0.3 * 0.4)) <= 3,
        "{fill:?}"
    );
    assert!(distance(hole, style::BACKGROUND) <= 1);
    assert!(distance(point, teal) > 20, "{point:?}");
    h.state_mut().map.reference.layers[0].opacity = 1.0;

    // A second layer, from the panel's own button, goes on top in the next colour: its line
    // covers the first's. Moved down, the first's shows.
    let second = reference_file(&h, dir.path(), "roads.geojson", spot);
    dialogs.answer(Some(second));
    h.get_by_role_and_label(Role::Button, "Add reference layer…")
        .click();
    h.run();
    settle(&mut h);
    let names = |h: &H| -> Vec<String> {
        h.state()
            .map
            .reference
            .layers
            .iter()
            .map(|l| l.name())
            .collect()
    };
    assert_eq!(names(&h), ["roads.geojson", "drainage.geojson"]);
    let magenta = PALETTE[1];
    assert_eq!(h.state().map.reference.layers[0].color, magenta);
    assert!(distance(colours(&h, spot)[2], magenta) <= 3);
    assert!(
        h.query_by_label("Move roads.geojson up")
            .is_some_and(|n| n.accesskit_node().is_disabled()),
        "the top layer cannot go up"
    );
    h.get_by_label("Move roads.geojson down").click();
    h.run();
    assert_eq!(names(&h), ["drainage.geojson", "roads.geojson"]);
    assert!(distance(colours(&h, spot)[2], teal) <= 3);
    h.get_by_label("Move roads.geojson up").click();
    h.run();
    assert_eq!(names(&h), ["roads.geojson", "drainage.geojson"]);
    assert!(distance(colours(&h, spot)[2], magenta) <= 3);

    // Removed: gone from the panel and the map; the other stays.
    h.get_by_label("Remove roads.geojson").click();
    h.run();
    assert_eq!(names(&h), ["drainage.geojson"]);
    assert!(
        h.query_by_role_and_label(Role::CheckBox, "roads.geojson")
            .is_none()
    );
    assert!(distance(colours(&h, spot)[2], teal) <= 3);
    h.get_by_label("Remove drainage.geojson").click();
    h.run();
    assert!(h.state().map.reference.is_empty());
    assert!(
        h.query_by_role_and_label(Role::CheckBox, "drainage.geojson")
            .is_none()
    );
    for c in colours(&h, spot) {
        assert!(
            distance(c, style::BACKGROUND) <= 1,
            "removed but drawn: {c:?}"
        );
    }
}

#[test]
fn zones_parcels_and_the_basemap_are_switched_and_faded_from_the_panel() {
    let (mut h, _) = app();
    open_layers_panel(&mut h);
    assert!(h.state().map.stats.zones_drawn > 0);
    h.get_by_role_and_label(Role::CheckBox, "Zones").click();
    h.run();
    assert!(!h.state().map.show_zones);
    assert_eq!(h.state().map.stats.zones_drawn, 0);
    assert!(
        h.state().map.label_rects.is_empty(),
        "no labels of hidden zones"
    );
    h.get_by_role_and_label(Role::CheckBox, "Zones").click();
    h.get_by_role_and_label(Role::Slider, "Opacity of Zones")
        .set_value_accesskit(0.5);
    h.run();
    h.run();
    assert!(h.state().map.show_zones && (h.state().map.zone_opacity - 0.5).abs() < 1e-6);
    // The same switch as View › Show parcels.
    h.get_by_role_and_label(Role::CheckBox, "Parcels").click();
    h.run();
    assert!(!h.state().map.show_parcels);

    // The basemap's line edits View › Basemap's own state, and the menu the panel's.
    h.get_by_role_and_label(Role::Slider, "Opacity of Basemap: None")
        .set_value_accesskit(0.3);
    h.run();
    h.run();
    assert!((h.state().map.basemap.opacity - 0.3).abs() < 1e-6);
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Basemap").click();
    h.run();
    let menu_slider = h.get_by_role_and_label(Role::Slider, "Opacity");
    let shown = menu_slider.accesskit_node().numeric_value();
    assert_eq!(shown.map(|v| (v * 100.0).round()), Some(30.0), "{shown:?}");
    menu_slider.set_value_accesskit(0.8);
    h.run();
    h.get_by_role_and_label(Role::CheckBox, "Show basemap")
        .click();
    h.run();
    h.key_press(egui::Key::Escape);
    h.run();
    h.key_press(egui::Key::Escape);
    h.run();
    assert!((h.state().map.basemap.opacity - 0.8).abs() < 1e-6);
    assert!(!h.state().map.basemap.shown);
    let panel_slider = h.get_by_role_and_label(Role::Slider, "Opacity of Basemap: None");
    assert_eq!(
        panel_slider
            .accesskit_node()
            .numeric_value()
            .map(|v| (v * 100.0).round()),
        Some(80.0)
    );
    let panel_check = h.get_by_role_and_label(Role::CheckBox, "Basemap: None");
    assert_eq!(
        panel_check.accesskit_node().toggled(),
        Some(egui::accesskit::Toggled::False)
    );
}

#[test]
fn figures_and_saved_files_are_the_same_with_a_reference_layer() {
    let (mut h, dialogs) = app();
    let dir = tempfile::tempdir().expect("tempdir");
    // An edit, so that Save As has something of its own to write.
    let que_vo = common::zone_named(&h.state().session.ds, "KCN Quế Võ");
    let ctx = h.ctx.clone();
    h.state_mut().apply(
        &ctx,
        zoneatlas::app::action::Action::View(zoneatlas::app::action::ViewAction::Select {
            selection: Some(zoneatlas::app::view::Selection::Zone(que_vo)),
            fly: false,
        }),
    );
    h.run();
    type_into(&mut h, "Industrial land", "310");
    settle(&mut h);
    let figures = |h: &mut H| {
        let app = h.state_mut();
        let totals = app.view.totals_all(&app.session);
        let findings = app.view.findings(&app.session).len();
        (
            format!("{:?}", app.session.ds.figures),
            format!("{totals:?}"),
            findings,
            app.session.history.undo_label().map(str::to_string),
            app.window_title(),
        )
    };
    let save_as = |h: &mut H, z: &Path, p: &Path| {
        dialogs.answer(Some(z.to_path_buf()));
        dialogs.answer(Some(p.to_path_buf()));
        h.get_by_label("File").click();
        h.run();
        h.get_by_label("Save As…").click();
        h.run();
        settle(h);
    };
    let before = figures(&mut h);
    let (z1, p1) = (dir.path().join("z1.geojson"), dir.path().join("p1.geojson"));
    save_as(&mut h, &z1, &p1);

    let spot = free_spot(&h);
    // A reference polygon over every zone too: still not measured, nor saved.
    let file = reference_file(&h, dir.path(), "boundaries.geojson", spot);
    add_through_file_menu(&mut h, &dialogs, &file);
    assert_eq!(h.state().map.reference.len(), 1);
    assert!(!h.state().session.history.is_dirty(), "not an edit");
    let after = figures(&mut h);
    assert_eq!(before.0, after.0, "zone figures");
    assert_eq!(before.1, after.1, "totals");
    assert_eq!(before.2, after.2, "findings");
    assert_eq!(before.3, after.3, "nothing to undo was added");
    let (z2, p2) = (dir.path().join("z2.geojson"), dir.path().join("p2.geojson"));
    save_as(&mut h, &z2, &p2);
    let read = |p: &Path| std::fs::read(p).expect("saved");
    assert_eq!(read(&z1), read(&z2), "zones file");
    assert_eq!(read(&p1), read(&p2), "parcels file");
    assert!(!String::from_utf8_lossy(&read(&z2)).contains("Kênh tiêu"));
    // Undo takes back the edit, not the layer.
    h.state_mut().apply(
        &ctx,
        zoneatlas::app::action::Action::Edit(zoneatlas::app::action::EditAction::Undo),
    );
    h.run();
    assert_eq!(h.state().map.reference.len(), 1);
}

#[test]
fn a_file_that_cannot_be_read_is_said_so_naming_it() {
    let (mut h, dialogs) = app();
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("broken.geojson");
    std::fs::write(
        &bad,
        "{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\",",
    )
    .expect("write");
    add_through_file_menu(&mut h, &dialogs, &bad);
    let message = h.state().view.message.clone().expect("a message");
    assert!(message.error, "{message:?}");
    assert!(message.text.contains("broken.geojson"), "{}", message.text);
    assert!(
        message.text.contains("broken.geojson:2:"),
        "the place: {}",
        message.text
    );
    assert!(h.state().map.reference.is_empty());

    for (name, what) in [("missing.geojson", None), ("notes.txt", Some("some text"))] {
        let p = dir.path().join(name);
        if let Some(text) = what {
            std::fs::write(&p, text).expect("write");
        }
        add_through_file_menu(&mut h, &dialogs, &p);
        let message = h.state().view.message.clone().expect("a message");
        assert!(message.error && message.text.contains(name), "{message:?}");
    }
    assert!(h.state().map.reference.is_empty());
    // The data is as it was.
    assert_eq!(h.state().session.ds.zones.len(), 16);
}

#[test]
fn a_file_in_metres_without_a_system_asks_which_like_a_zones_file() {
    let (mut h, dialogs) = app();
    let dir = tempfile::tempdir().expect("tempdir");
    let utm = zoneatlas::engine::crs::Crs::from_epsg(32648).expect("UTM 48N");
    let (x0, y0) = utm.from_wgs84(106.05, 21.10);
    let (x1, y1) = utm.from_wgs84(106.10, 21.15);
    let path = dir.path().join("power.geojson");
    std::fs::write(
        &path,
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{}},"geometry":{{"type":"LineString","coordinates":[[{x0},{y0}],[{x1},{y1}]]}}}}]}}"#
        ),
    )
    .expect("write");
    add_through_file_menu(&mut h, &dialogs, &path);
    assert!(h.state().is_asking_for_system());
    assert!(
        h.query_by_label("Coordinate system of power.geojson")
            .is_some()
    );
    common::type_only(&mut h, "Province or EPSG code", "32648");
    h.get_by_label("Open in this system").click();
    h.run();
    settle(&mut h);
    assert!(!h.state().is_asking_for_system());
    let layers = &h.state().map.reference.layers;
    assert_eq!(layers.len(), 1);
    assert_eq!(layers[0].system, Some(32648));
    let b = layers[0].shapes.bounds.expect("bounds");
    assert!(
        (b.min().x - 106.05).abs() < 1e-6 && (b.max().y - 21.15).abs() < 1e-6,
        "{b:?}"
    );
    // The zones stayed as they were.
    assert_eq!(h.state().session.ds.zones.len(), 16);
    assert!(h.state().session.zones_path.is_none());
}

#[test]
fn reference_layers_are_remembered_for_the_next_run() {
    let (mut h, dialogs) = app();
    let dir = tempfile::tempdir().expect("tempdir");
    let spot = free_spot(&h);
    let a = reference_file(&h, dir.path(), "a.geojson", spot);
    let b = reference_file(&h, dir.path(), "b.geojson", spot);
    add_through_file_menu(&mut h, &dialogs, &a);
    add_through_file_menu(&mut h, &dialogs, &b);
    {
        let layers = &mut h.state_mut().map.reference.layers;
        layers[1].visible = false;
        layers[0].opacity = 0.6;
        layers[0].color = PALETTE[5];
    }
    let mut storage = common::MemoryStorage::default();
    eframe::App::save(h.state_mut(), &mut storage);

    let mut next = ZoneAtlasApp::new(
        zoneatlas::app::sample_dataset(),
        Box::new(TestDialogs::new()),
    );
    next.restore(Some(&storage), zoneatlas::i18n::Lang::En);
    let h2 = harness(next);
    let layers = &h2.state().map.reference.layers;
    let got: Vec<(String, bool, f32, Color32)> = layers
        .iter()
        .map(|l| (l.name(), l.visible, l.opacity, l.color))
        .collect();
    assert_eq!(
        got,
        [
            ("b.geojson".to_string(), true, 0.6, PALETTE[5]),
            ("a.geojson".to_string(), false, 1.0, PALETTE[0])
        ]
    );
}

/// How many of an image's pixels are within `tol` of `c`.
fn pixels_near(img: &egui::ColorImage, c: Color32, tol: i32) -> usize {
    img.pixels
        .iter()
        .filter(|p| distance(**p, c) <= tol)
        .count()
}

#[test]
fn slides_and_the_report_map_show_the_reference_layers_the_window_shows() {
    use zoneatlas::app::map::basemap::BasemapLayer;
    use zoneatlas::app::slide;

    let (mut h, dialogs) = app();
    let dir = tempfile::tempdir().expect("tempdir");
    let b = zoneatlas::app::map::data_bounds(&h.state().session.ds).expect("bounds");
    // A road across the zones' box, corner to corner.
    let path = dir.path().join("road.geojson");
    std::fs::write(
        &path,
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{}},"geometry":{{"type":"LineString","coordinates":[[{},{}],[{},{}]]}}}}]}}"#,
            b.min().x,
            b.min().y,
            b.max().x,
            b.max().y
        ),
    )
    .expect("write");
    add_through_file_menu(&mut h, &dialogs, &path);
    let app = h.state_mut();
    app.view.settle(&app.session);
    let (session, view) = (&app.session, &app.view);
    let with = slide::map(session, view, &app.map, 1280, 720);
    let without = slide::map(session, view, &BasemapLayer::default(), 1280, 720);
    let teal = PALETTE[0];
    assert!(
        pixels_near(&with, teal, 12) > 300,
        "{}",
        pixels_near(&with, teal, 12)
    );
    assert_eq!(pixels_near(&without, teal, 12), 0);
    let slide = slide::render(session, view, &app.map, 1280, 720);
    assert!(pixels_near(&slide, teal, 12) > 300);
    app.map.reference.layers[0].visible = false;
    let hidden = slide::map(&app.session, &app.view, &app.map, 1280, 720);
    assert_eq!(pixels_near(&hidden, teal, 12), 0);
}

/// Pointing at a reference feature tells what it is: its layer and its properties, in a
/// tooltip, for a line (near it, not only on its pixel), a point and a polygon — not over
/// the polygon's hole, not over bare map, not when the layer is hidden.
#[test]
fn pointing_at_a_reference_feature_shows_its_properties() {
    let (mut h, dialogs) = app();
    let dir = tempfile::tempdir().expect("tempdir");
    let spot = free_spot(&h);
    let file = reference_file(&h, dir.path(), "ha_tang.geojson", spot);
    add_through_file_menu(&mut h, &dialogs, &file);
    let names = ["Kênh tiêu", "Trạm bơm", "Xã Phù Chẩn"];
    let shown = |h: &mut H, at: [f32; 2]| -> Vec<&'static str> {
        h.hover_at(spot + vec2(at[0], at[1]));
        h.run();
        names
            .into_iter()
            .filter(|n| h.query_by_label(n).is_some())
            .collect()
    };
    assert_eq!(shown(&mut h, LINE), ["Kênh tiêu"]);
    // Three pixels off the line: still it (a thin road is easy to point at).
    assert_eq!(shown(&mut h, [LINE[0] + 3.0, LINE[1]]), ["Kênh tiêu"]);
    assert_eq!(shown(&mut h, POINT), ["Trạm bơm"]);
    assert_eq!(shown(&mut h, FILL), ["Xã Phù Chẩn"]);
    assert!(
        h.query_by_label("ha_tang.geojson").is_some(),
        "the layer is named"
    );
    assert!(
        shown(&mut h, HOLE).is_empty(),
        "the hole is not the commune"
    );
    assert!(shown(&mut h, [0.0, 40.0]).is_empty(), "bare map");
    // Hidden, it tells nothing.
    h.state_mut().map.reference.layers[0].visible = false;
    assert!(shown(&mut h, POINT).is_empty());
}

/// The texts the last frame painted, with where each is.
fn painted_texts(h: &H) -> Vec<(String, Rect)> {
    h.output()
        .shapes
        .iter()
        .filter_map(|c| match &c.shape {
            egui::Shape::Text(t) => Some((t.galley.text().to_string(), t.visual_bounding_rect())),
            _ => None,
        })
        .collect()
}

/// In a meeting, the legend says what the coloured lines are: a section of the reference
/// layers shown, each by its file's name, in its colour; a hidden layer leaves it.
#[test]
fn the_legend_names_the_reference_layers_shown() {
    let (mut h, dialogs) = app();
    let dir = tempfile::tempdir().expect("tempdir");
    let spot = free_spot(&h);
    let in_legend = |h: &H, text: &str| {
        let legend = h.state().map.legend_rect;
        painted_texts(h)
            .iter()
            .any(|(t, r)| t == text && legend.contains_rect(*r))
    };
    assert!(!in_legend(&h, "Reference layers"));
    let file = reference_file(&h, dir.path(), "thoat_nuoc.geojson", spot);
    add_through_file_menu(&mut h, &dialogs, &file);
    assert!(in_legend(&h, "Reference layers"));
    assert!(in_legend(&h, "thoat_nuoc"), "{:?}", painted_texts(&h));
    // Its swatch is the layer's colour, beside its name.
    let name = painted_texts(&h)
        .into_iter()
        .find(|(t, _)| t == "thoat_nuoc")
        .map(|(_, r)| r)
        .expect("the name");
    let swatch = sample(&painted(&h), Pos2::new(name.left() - 14.0, name.center().y));
    assert!(distance(swatch, PALETTE[0]) <= 3, "{swatch:?}");
    h.state_mut().map.reference.layers[0].visible = false;
    h.run();
    assert!(!in_legend(&h, "thoat_nuoc"));
    assert!(!in_legend(&h, "Reference layers"));

    // A GeoPackage's layer is named by the layer, not the file.
    let (zones, parcels) = common::copy_sample(dir.path());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zoneatlas"))
        .arg("export")
        .arg(&zones)
        .arg(&parcels)
        .arg("--out-dir")
        .arg(dir.path().join("gpkg"))
        .args(["--format", "gpkg"])
        .output()
        .expect("export");
    assert!(out.status.success(), "{out:?}");
    let layer = PathBuf::from(format!(
        "{}:parcels",
        dir.path().join("gpkg").join("zones.gpkg").display()
    ));
    add_through_file_menu(&mut h, &dialogs, &layer);
    assert!(in_legend(&h, "parcels"), "{:?}", painted_texts(&h));
    assert!(!in_legend(&h, "zones"));
}
