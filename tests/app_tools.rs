//! The planning tools, driven as a user would on the map: keys to choose a tool, clicks,
//! Shift+clicks, double-clicks and drags, Enter and Esc, the Edit menu's named undo and redo.
//! Figures are checked against the engine's measure of the shapes (parts add up to the lot),
//! positions against the neighbours' own bits.

mod common;

use common::{copy_sample, harness_stepping, settle};
use egui::{Event, Key, Modifiers, PointerButton, Pos2, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use geo::{Coord, InteriorPoint, MultiPolygon};
use std::path::Path;

use zoneatlas::app::dialogs::TestDialogs;
use zoneatlas::app::map::tools::Tool;
use zoneatlas::app::view::Selection;
use zoneatlas::app::{ZoneAtlasApp, empty_dataset, sample_dataset};
use zoneatlas::engine::dataset::Dataset;
use zoneatlas::engine::geodesy::geodesic_area_m2;
use zoneatlas::engine::model::LayerKind;
use zoneatlas::engine::planning::{self, FeatureRef};

type H = Harness<'static, ZoneAtlasApp>;

/// Frames 20 ms apart, so that two clicks can make a double-click.
const STEP: f32 = 0.02;

fn sample_app() -> H {
    harness_stepping(
        ZoneAtlasApp::new(sample_dataset(), Box::new(TestDialogs::new())),
        STEP,
    )
}

fn lot(i: usize) -> FeatureRef {
    FeatureRef {
        layer: LayerKind::Parcels,
        index: i,
    }
}

fn shape(h: &H, i: usize) -> MultiPolygon<f64> {
    h.state()
        .session
        .ds
        .parcels
        .as_ref()
        .expect("parcels")
        .shapes[i]
        .geometry()
        .expect("a shape")
        .clone()
}

fn live_lots(h: &H) -> usize {
    h.state()
        .session
        .ds
        .parcels
        .as_ref()
        .expect("parcels")
        .live()
        .count()
}

/// Points the map at `i`'s lot, a few hundred pixels across, and selects it by clicking it.
fn show_and_select(h: &mut H, i: usize) {
    let b = h
        .state()
        .session
        .ds
        .parcels
        .as_ref()
        .expect("parcels")
        .shapes[i]
        .bbox()
        .expect("bbox");
    let grown = geo::Rect::new(
        Coord {
            x: b.min().x - b.width(),
            y: b.min().y - b.height(),
        },
        Coord {
            x: b.max().x + b.width(),
            y: b.max().y + b.height(),
        },
    );
    let view = h.state().map.view;
    h.state_mut().map.camera.fit(grown, view, 40.0);
    settle(h);
    let inside = shape(h, i).interior_point().expect("a point").0;
    let pos = h.state().map.screen_pos(inside);
    click(h, pos, Modifiers::NONE);
    assert_eq!(h.state().view.selection, Some(Selection::Parcel(i)));
}

fn button(h: &mut H, pos: Pos2, pressed: bool, b: PointerButton, modifiers: Modifiers) {
    h.event(Event::PointerButton {
        pos,
        button: b,
        pressed,
        modifiers,
    });
}

fn click(h: &mut H, pos: Pos2, modifiers: Modifiers) {
    common::click_with(h, pos, modifiers);
}

/// The status bar's message.
fn message(h: &H) -> String {
    h.state()
        .view
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

fn right_click(h: &mut H, pos: Pos2) {
    h.hover_at(pos);
    h.run();
    button(h, pos, true, PointerButton::Secondary, Modifiers::NONE);
    button(h, pos, false, PointerButton::Secondary, Modifiers::NONE);
    h.run();
}

/// Presses at `from`, moves to `to` in steps, lets go there.
fn drag(h: &mut H, from: Pos2, to: Pos2) {
    h.hover_at(from);
    h.run();
    button(h, from, true, PointerButton::Primary, Modifiers::NONE);
    h.run();
    for k in 1..=6 {
        h.hover_at(from + (to - from) * (k as f32 / 6.0));
        h.run();
    }
    button(h, to, false, PointerButton::Primary, Modifiers::NONE);
    h.run();
    h.run();
}

fn key(h: &mut H, k: Key) {
    h.key_press(k);
    h.run();
}

fn undo(h: &mut H) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
}

fn redo(h: &mut H) {
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run();
}

/// Whether the Edit menu holds an item with this label ("Undo: split lot A-01").
fn edit_menu_has(h: &mut H, label: &str) -> bool {
    h.get_by_label("Edit").click();
    h.run();
    let found = h.query_by_label_contains(label).is_some();
    key(h, Key::Escape);
    found
}

fn status_says(h: &H, text: &str) -> bool {
    h.query_by_label_contains(text).is_some()
}

/// Two lots of the sample that share an edge (the engine can merge them).
fn neighbours(ds: &Dataset) -> (usize, usize) {
    let p = ds.parcels.as_ref().expect("parcels");
    for a in p.live() {
        let b = p.shapes[a].bbox().expect("bbox");
        for o in ds.parcel_index().within(b) {
            if o > a && planning::merge(ds, LayerKind::Parcels, &[a, o]).is_ok() {
                return (a, o);
            }
        }
    }
    panic!("the sample has lots side by side");
}

/// A corner of lot `a` that lot `b` has too, bit for bit.
fn shared_corner(ds: &Dataset, a: usize, b: usize) -> Coord<f64> {
    let p = ds.parcels.as_ref().expect("parcels");
    let shape = p.shapes[a].geometry().expect("shape");
    shape.0[0]
        .exterior()
        .0
        .iter()
        .copied()
        .find(|&c| planning::features_at(ds, c).contains(&lot(b)))
        .expect("a shared corner")
}

#[test]
fn drawing_a_lot_snaps_to_its_neighbour_shows_its_area_and_undoes_as_one_step() {
    let mut h = sample_app();
    let (a, _) = neighbours(&h.state().session.ds);
    show_and_select(&mut h, a);
    let before = live_lots(&h);
    let corner = shape(&h, a).0[0].exterior().0[0];
    key(&mut h, Key::D);
    assert_eq!(h.state().map.tools.tool, Tool::Draw);
    // The first corner a few pixels off the neighbour's corner, then three more outside it.
    let c0 = h.state().map.screen_pos(corner);
    let off = |dx: f32, dy: f32| c0 + Vec2::new(dx, dy);
    for p in [off(4.0, 3.0), off(-60.0, 0.0), off(-60.0, 60.0)] {
        click(&mut h, p, Modifiers::NONE);
    }
    h.hover_at(off(-5.0, 60.0));
    h.run();
    // The area shows while drawing.
    assert!(status_says(&h, "Area: "), "the live area is shown");
    click(&mut h, off(-5.0, 60.0), Modifiers::NONE);
    key(&mut h, Key::Enter);
    settle(&mut h);
    assert_eq!(live_lots(&h), before + 1);
    let new = h
        .state()
        .session
        .ds
        .parcels
        .as_ref()
        .expect("parcels")
        .len()
        - 1;
    assert_eq!(h.state().view.selection, Some(Selection::Parcel(new)));
    let drawn = shape(&h, new);
    assert!(
        drawn.0[0].exterior().0.contains(&corner),
        "snapped onto the neighbour's corner bit for bit: {drawn:?} {corner:?}"
    );
    assert!(edit_menu_has(&mut h, "Undo: draw a new lot"));
    undo(&mut h);
    assert_eq!(live_lots(&h), before);
    redo(&mut h);
    assert_eq!(live_lots(&h), before + 1);

    // Esc drops a lot half drawn.
    click(&mut h, off(-20.0, -40.0), Modifiers::NONE);
    click(&mut h, off(-50.0, -40.0), Modifiers::NONE);
    assert_eq!(h.state().map.tools.sketch.len(), 2);
    key(&mut h, Key::Escape);
    assert!(h.state().map.tools.sketch.is_empty());
    assert_eq!(live_lots(&h), before + 1);
}

#[test]
fn a_line_across_a_lot_splits_it_into_parts_that_add_up_and_a_line_that_misses_is_refused() {
    let mut h = sample_app();
    let (a, _) = neighbours(&h.state().session.ds);
    show_and_select(&mut h, a);
    let area = geodesic_area_m2(&shape(&h, a));
    let id = planning::feature_id(&h.state().session.ds, lot(a));
    let rect = {
        let b = shape(&h, a).0[0].exterior().0.clone();
        let (min, max) = b.iter().fold(
            (Pos2::new(f32::MAX, f32::MAX), Pos2::new(f32::MIN, f32::MIN)),
            |(lo, hi), &c| {
                let p = h.state().map.screen_pos(c);
                (lo.min(p), hi.max(p))
            },
        );
        egui::Rect::from_min_max(min, max)
    };
    key(&mut h, Key::X);
    // A line that stays inside the lot: refused, nothing changes.
    let inside = rect.shrink(rect.width().min(rect.height()) * 0.3);
    click(&mut h, inside.left_center(), Modifiers::NONE);
    click(&mut h, inside.right_center(), Modifiers::NONE);
    key(&mut h, Key::Enter);
    assert!(
        status_says(&h, &format!("Cannot split lot {id}")),
        "the refusal names the lot"
    );
    assert_eq!(h.state().session.history.len(), 0);

    // Across it, top to bottom through the middle, finished with a double-click.
    h.state_mut().view.message = None;
    let x = rect.center().x + 3.0;
    click(&mut h, Pos2::new(x, rect.top() - 30.0), Modifiers::NONE);
    let end = Pos2::new(x, rect.bottom() + 30.0);
    click(&mut h, end, Modifiers::NONE);
    // The second click of a double-click at the line's end.
    for pressed in [true, false] {
        button(
            &mut h,
            end,
            pressed,
            PointerButton::Primary,
            Modifiers::NONE,
        );
        h.run();
    }
    settle(&mut h);
    let ds = &h.state().session.ds;
    let p = ds.parcels.as_ref().expect("parcels");
    assert!(
        !p.is_live(a),
        "the lot is replaced by its parts: {}",
        message(&h)
    );
    let parts: Vec<usize> = (p.len() - 2..p.len()).collect();
    assert!(parts.iter().all(|&i| p.is_live(i)));
    let sum: f64 = parts.iter().map(|&i| geodesic_area_m2(&shape(&h, i))).sum();
    assert!(((sum - area) / area).abs() < 1e-9, "{sum} vs {area}");
    assert!(edit_menu_has(&mut h, &format!("Undo: split lot {id}")));
    undo(&mut h);
    assert!(
        h.state()
            .session
            .ds
            .parcels
            .as_ref()
            .expect("parcels")
            .is_live(a)
    );
}

#[test]
fn shift_click_selects_lots_and_m_merges_neighbours_but_refuses_lots_apart() {
    let mut h = sample_app();
    let (a, b) = neighbours(&h.state().session.ds);
    let area = geodesic_area_m2(&shape(&h, a)) + geodesic_area_m2(&shape(&h, b));
    show_and_select(&mut h, a);
    let inside_b = shape(&h, b).interior_point().expect("point").0;
    let pos = h.state().map.screen_pos(inside_b);
    click(&mut h, pos, Modifiers::SHIFT);
    assert_eq!(h.state().view.also_selected, vec![Selection::Parcel(b)]);
    let before = live_lots(&h);
    key(&mut h, Key::M);
    assert_eq!(live_lots(&h), before - 1);
    let merged = geodesic_area_m2(&shape(&h, a));
    assert!(((merged - area) / area).abs() < 1e-9, "{merged} vs {area}");
    assert_eq!(h.state().view.selection, Some(Selection::Parcel(a)));
    undo(&mut h);
    assert_eq!(live_lots(&h), before);

    // A lot far away: refused with the reason, nothing merged.
    let ds = &h.state().session.ds;
    let far = ds
        .parcels
        .as_ref()
        .expect("parcels")
        .live()
        .find(|&o| o != a && o != b && planning::merge(ds, LayerKind::Parcels, &[a, o]).is_err())
        .expect("a lot apart");
    h.state_mut().view.also_selected = vec![Selection::Parcel(far)];
    h.get_by_label("Merge").click();
    h.run();
    assert!(status_says(&h, "do not share an edge"));
    assert_eq!(live_lots(&h), before);
}

#[test]
fn dragging_a_shared_corner_moves_it_in_every_lot_unless_switched_off() {
    let mut h = sample_app();
    let (a, b) = neighbours(&h.state().session.ds);
    show_and_select(&mut h, a);
    let corner = shared_corner(&h.state().session.ds, a, b);
    let ring_before = shape(&h, a).0[0].exterior().0.clone();
    let data_generation = h.state().session.data_generation;
    key(&mut h, Key::R);
    let from = h.state().map.screen_pos(corner);
    drag(&mut h, from, from + Vec2::new(0.0, 25.0));
    let moved_a = shape(&h, a);
    let moved_b = shape(&h, b);
    assert!(
        !moved_a.0[0].exterior().0.contains(&corner),
        "the corner moved in the lot dragged"
    );
    let new = moved_a.0[0]
        .exterior()
        .0
        .iter()
        .copied()
        .find(|c| !ring_before.contains(c))
        .expect("a moved corner");
    assert!(
        moved_b.0[0].exterior().0.contains(&new),
        "and in its neighbour, bit for bit"
    );
    assert_eq!(h.state().session.history.len(), 1, "one undo step");
    // The map triangulates again the lots reshaped, not all the data.
    assert_eq!(h.state().session.data_generation, data_generation);
    assert_eq!(
        h.state().session.reshaped.last(),
        Some(&(LayerKind::Parcels, Some(b)))
    );
    assert!(h.state().map.lot_mesh_built(a) && h.state().map.lot_mesh_built(b));
    undo(&mut h);
    assert!(shape(&h, a).0[0].exterior().0.contains(&corner));
    assert!(shape(&h, b).0[0].exterior().0.contains(&corner));

    // Shared corners off: only the lot dragged changes.
    h.get_by_label("Shared corners").click();
    h.run();
    assert!(
        !h.state().map.tools.shared_corners,
        "{:?}",
        h.state().map.tools
    );
    h.get_by_label("Snap").click();
    h.run();
    let b_before = shape(&h, b);
    // Into the lot dragged: the land it gives up along its neighbour is a gap, said at once.
    let inside_a = shape(&h, a).interior_point().expect("point").0;
    let inwards = (h.state().map.screen_pos(inside_a) - from).normalized() * 15.0;
    drag(&mut h, from, from + inwards);
    assert!(!shape(&h, a).0[0].exterior().0.contains(&corner));
    assert_eq!(shape(&h, b), b_before);
    let said = message(&h);
    assert!(
        said.contains("It left a gap of") && said.contains("see the findings"),
        "{said}"
    );
    assert!(!h.state().session.ds.gap_facts().is_empty());
}

#[test]
fn clicking_an_edge_adds_a_corner_and_right_click_deletes_it() {
    let mut h = sample_app();
    let (a, _) = neighbours(&h.state().session.ds);
    show_and_select(&mut h, a);
    let area = geodesic_area_m2(&shape(&h, a));
    let ring = shape(&h, a).0[0].exterior().0.clone();
    let corners = ring.len();
    key(&mut h, Key::R);
    let (p0, p1) = (
        h.state().map.screen_pos(ring[0]),
        h.state().map.screen_pos(ring[1]),
    );
    let mid = p0 + (p1 - p0) * 0.5;
    click(&mut h, mid, Modifiers::NONE);
    let now = shape(&h, a);
    assert_eq!(now.0[0].exterior().0.len(), corners + 1);
    // On the edge's line: the area is unchanged to a few square centimetres.
    let after = geodesic_area_m2(&now);
    assert!((after - area).abs() < 0.05, "{after} vs {area}");
    let label = format!(
        "Undo: add a corner to lot {}",
        planning::feature_id(&h.state().session.ds, lot(a))
    );
    assert!(edit_menu_has(&mut h, &label));
    right_click(&mut h, mid);
    assert_eq!(shape(&h, a).0[0].exterior().0.len(), corners);
    assert_eq!(h.state().session.history.len(), 2);
}

#[test]
fn delete_removes_the_selected_lot_and_undo_brings_it_back() {
    let mut h = sample_app();
    let (a, _) = neighbours(&h.state().session.ds);
    show_and_select(&mut h, a);
    let before = live_lots(&h);
    let leased = h.state().session.ds.totals_all().leased_ha;
    key(&mut h, Key::Delete);
    assert_eq!(live_lots(&h), before - 1);
    assert_eq!(h.state().view.selection, None);
    undo(&mut h);
    assert_eq!(live_lots(&h), before);
    assert_eq!(h.state().session.ds.totals_all().leased_ha, leased);
}

fn opened(zp: &Path, pp: &Path) -> H {
    let app = ZoneAtlasApp::new(empty_dataset(), Box::new(TestDialogs::new()));
    let mut h = harness_stepping(app, STEP);
    let ctx = h.ctx.clone();
    h.state_mut()
        .open_files(&ctx, zp.to_path_buf(), Some(pp.to_path_buf()));
    h.state_mut().wait_for_load();
    settle(&mut h);
    h
}

#[test]
fn undoing_every_tool_edit_then_saving_gives_the_files_back_byte_for_byte() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (zp, pp) = copy_sample(dir.path());
    let (zones, parcels) = (
        std::fs::read(&zp).expect("read"),
        std::fs::read(&pp).expect("read"),
    );
    let mut h = opened(&zp, &pp);
    let (a, b) = neighbours(&h.state().session.ds);
    show_and_select(&mut h, a);
    let corner = shared_corner(&h.state().session.ds, a, b);
    // Reshape a shared corner, add a corner, merge, delete.
    key(&mut h, Key::R);
    let from = h.state().map.screen_pos(corner);
    drag(&mut h, from, from + Vec2::new(12.0, 18.0));
    let inside_b = shape(&h, b).interior_point().expect("point").0;
    let pos = h.state().map.screen_pos(inside_b);
    key(&mut h, Key::S);
    click(&mut h, pos, Modifiers::SHIFT);
    key(&mut h, Key::M);
    key(&mut h, Key::Delete);
    let steps = h.state().session.history.len();
    assert_eq!(steps, 3, "three undo steps");
    for _ in 0..steps {
        undo(&mut h);
    }
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert!(
        zoneatlas::engine::saving::backup_path(&pp).exists(),
        "the parcels were written again"
    );
    assert_eq!(std::fs::read(&zp).expect("read"), zones);
    assert_eq!(std::fs::read(&pp).expect("read"), parcels);
}

#[test]
fn a_line_drawn_from_inside_a_lot_splits_the_lot_it_crosses_not_the_one_it_starts_in() {
    let mut h = sample_app();
    let (a, b) = neighbours(&h.state().session.ds);
    show_and_select(&mut h, a);
    key(&mut h, Key::Escape);
    assert_eq!(h.state().view.selection, None);
    key(&mut h, Key::Minus);
    let pa = shape(&h, a).interior_point().expect("point").0;
    let pb = shape(&h, b).interior_point().expect("point").0;
    let (sa, sb) = (h.state().map.screen_pos(pa), h.state().map.screen_pos(pb));
    let before = live_lots(&h);
    key(&mut h, Key::X);
    click(&mut h, sa, Modifiers::NONE);
    // Well past the neighbour, through it.
    let end = sa + (sb - sa) * 2.2;
    assert!(h.state().map.view.contains(end), "the line ends on the map");
    click(&mut h, end, Modifiers::NONE);
    key(&mut h, Key::Enter);
    settle(&mut h);
    let p = h.state().session.ds.parcels.as_ref().expect("parcels");
    assert!(
        p.is_live(a),
        "the lot the line starts in is not cut: {}",
        message(&h)
    );
    assert_eq!(
        live_lots(&h),
        before + 1,
        "one lot was cut in two: {}",
        message(&h)
    );
}

#[test]
fn a_zone_split_by_a_line_becomes_two_zones_everywhere_and_undo_joins_them() {
    let mut h = sample_app();
    let ds = &h.state().session.ds;
    let z = common::zone_named(ds, "KCN Quế Võ");
    let zones_before = ds.zones.live().count();
    let area = ds.figures[z].measured.area_ha.expect("an area");
    let b = ds.zones.shapes[z].bbox().expect("bbox");
    // Select the zone in the table (the map flies there), then cut it north to south.
    h.get_by_label("KCN Quế Võ").click();
    h.run();
    let view = h.state().map.view;
    h.state_mut().map.camera.fit(b, view, 60.0);
    settle(&mut h);
    assert_eq!(h.state().view.selection, Some(Selection::Zone(z)));
    key(&mut h, Key::X);
    let mid = b.min().x + b.width() * 0.37;
    for y in [b.max().y + b.height() * 0.05, b.min().y - b.height() * 0.05] {
        let p = h.state().map.screen_pos(Coord { x: mid, y });
        click(&mut h, p, Modifiers::NONE);
    }
    key(&mut h, Key::Enter);
    settle(&mut h);
    let ds = &h.state().session.ds;
    assert_eq!(ds.zones.live().count(), zones_before + 1, "{}", message(&h));
    assert!(!ds.zones.is_live(z));
    let parts: Vec<usize> = (ds.zones.len() - 2..ds.zones.len()).collect();
    let sum: f64 = parts
        .iter()
        .map(|&p| ds.figures[p].measured.area_ha.expect("an area"))
        .sum();
    assert!((sum - area).abs() < 1e-6, "{sum} vs {area}");
    // Both parts are in the table, by the zone's name.
    assert_eq!(
        h.query_all_by_label("KCN Quế Võ").count(),
        3,
        "two rows and the inspector"
    );
    undo(&mut h);
    settle(&mut h);
    let ds = &h.state().session.ds;
    assert!(ds.zones.is_live(z));
    assert_eq!(ds.zones.live().count(), zones_before);
}
