//! Behaviour tests of the desktop app, driven as a user would: clicks on the map and the
//! table, typing in the inspector, keyboard shortcuts, menus and the file dialogs (scripted).

mod common;

use common::{copy_sample, harness, parcel, settle, type_into, zone_named};
use egui::accesskit::Role;
use egui::{Key, Modifiers, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use geo::{Coord, InteriorPoint};
use serde_json::Value;
use std::path::{Path, PathBuf};

use zoneatlas::app::action::{Action, EditAction, FileAction};
use zoneatlas::app::dialogs::TestDialogs;
use zoneatlas::app::session::edit::Edit;
use zoneatlas::app::view::Selection;
use zoneatlas::app::{ZoneAtlasApp, sample_dataset};
use zoneatlas::engine::as_of::AsOf;
use zoneatlas::engine::dataset::Dataset;
use zoneatlas::engine::findings::Severity;
use zoneatlas::engine::model::LayerKind;
use zoneatlas::engine::properties::ParcelStatus;
use zoneatlas::i18n::{Lang, Message, fmt_pct};

const QUE_VO: &str = "KCN Quế Võ";

fn sample_app() -> (Harness<'static, ZoneAtlasApp>, TestDialogs) {
    let dialogs = TestDialogs::new();
    let app = ZoneAtlasApp::new(sample_dataset(), Box::new(dialogs.clone()));
    (harness(app), dialogs)
}

fn click_at(h: &mut Harness<'static, ZoneAtlasApp>, pos: Pos2) {
    common::click_with(h, pos, Modifiers::NONE);
}

fn count_label(h: &Harness<'static, ZoneAtlasApp>, label: &str) -> usize {
    h.query_all_by_label(label).count()
}

fn fill_text(h: &Harness<'static, ZoneAtlasApp>, z: usize) -> String {
    fmt_pct(
        h.state().session.ds.figures[z]
            .fill_rate_pct
            .expect("a fill rate"),
        Lang::En,
    )
}

fn totals_text(h: &Harness<'static, ZoneAtlasApp>) -> String {
    fmt_pct(
        h.state()
            .session
            .ds
            .totals_all()
            .fill_rate_pct
            .expect("a total rate"),
        Lang::En,
    )
}

fn select_que_vo_in_table(h: &mut Harness<'static, ZoneAtlasApp>) -> usize {
    let z = zone_named(&h.state().session.ds, QUE_VO);
    h.get_by_label(QUE_VO).click();
    h.run();
    assert_eq!(h.state().view.selection, Some(Selection::Zone(z)));
    z
}

#[test]
fn clicking_the_map_selects_the_zone_or_the_parcel_on_top() {
    let (mut h, _) = sample_app();
    let z = zone_named(&h.state().session.ds, QUE_VO);
    // A point of the zone that no parcel covers.
    let ds = &h.state().session.ds;
    let b = ds.zones.shapes[z].bbox().expect("bbox");
    let free = (1..40)
        .flat_map(|i| (1..40).map(move |j| (i, j)))
        .map(|(i, j)| Coord {
            x: b.min().x + b.width() * f64::from(i) / 40.0,
            y: b.min().y + b.height() * f64::from(j) / 40.0,
        })
        .find(|c| ds.zone_at(*c) == Some(z) && ds.parcel_at(*c).is_none())
        .expect("a point of the zone outside its lots");
    let pos = h.state().map.screen_pos(free);
    assert!(
        h.state().map.view.contains(pos),
        "the sample is fitted on screen"
    );
    click_at(&mut h, pos);
    assert_eq!(h.state().view.selection, Some(Selection::Zone(z)));
    // The inspector shows it: its name is now in the table and the inspector heading.
    assert_eq!(count_label(&h, QUE_VO), 2);

    // Zoom in on the zone, then click inside one of its lots: the parcel wins.
    h.key_press(Key::F);
    h.run();
    let ds = &h.state().session.ds;
    let parcels = ds.parcels.as_ref().expect("parcels");
    let p = (0..parcels.len())
        .find(|p| ds.zone_of(*p) == Some(z))
        .expect("a lot of the zone");
    let inside = parcels.shapes[p]
        .geometry()
        .and_then(|g| g.interior_point())
        .expect("point")
        .0;
    let hit = ds.parcel_at(inside).expect("the point is in a lot");
    let pos = h.state().map.screen_pos(inside);
    click_at(&mut h, pos);
    assert_eq!(h.state().view.selection, Some(Selection::Parcel(hit)));

    // Esc first closes an open menu, then clears the selection everywhere.
    h.get_by_label("Edit").click();
    h.run();
    h.key_press(Key::Escape);
    h.run();
    assert_eq!(h.state().view.selection, Some(Selection::Parcel(hit)));
    h.key_press(Key::Escape);
    h.run();
    assert_eq!(h.state().view.selection, None);
    assert_eq!(count_label(&h, QUE_VO), 1);
}

#[test]
fn clicking_a_table_row_selects_the_zone_and_flies_the_map_there() {
    let (mut h, _) = sample_app();
    let zoom_before = h.state().map.camera.zoom;
    let z = select_que_vo_in_table(&mut h);
    let b = h.state().session.ds.zones.shapes[z].bbox().expect("bbox");
    let view = h.state().map.view;
    let a = h.state().map.screen_pos(b.min());
    let c = h.state().map.screen_pos(b.max());
    assert!(
        view.contains(a) && view.contains(c),
        "the zone is whole on screen: {view:?} {a:?} {c:?} {:?}",
        h.state().map.camera
    );
    assert!(
        h.state().map.camera.zoom > zoom_before,
        "the map zoomed in on the zone"
    );
    assert!(
        (c.x - a.x) > view.width() * 0.5 || (a.y - c.y) > view.height() * 0.5,
        "and fills the map"
    );
}

#[test]
fn the_search_box_matches_with_or_without_diacritics() {
    let (mut h, _) = sample_app();
    for query in ["que vo", "Quế Võ"] {
        h.state_mut().table.query.clear();
        h.run();
        h.get_by_label("Search").focus();
        h.run();
        h.get_by_label("Search").type_text(query);
        h.run();
        assert_eq!(h.state().table.query, query);
        let rows = h.state().table.rows(&h.state().session, &h.state().view);
        let names: Vec<&str> = rows
            .iter()
            .map(|z| h.state().session.zone_name(*z))
            .collect();
        assert!(
            !names.is_empty() && names.iter().all(|n| n.starts_with(QUE_VO)),
            "{query}: {names:?}"
        );
        assert_eq!(count_label(&h, "KCN Yên Phong"), 0);
    }
}

#[test]
fn editing_industrial_land_changes_the_fill_rate_everywhere_and_undo_redo_follow() {
    let (mut h, _) = sample_app();
    let z = select_que_vo_in_table(&mut h);
    let old_fill = fill_text(&h, z);
    let old_total = totals_text(&h);
    assert!(
        count_label(&h, &old_fill) >= 2,
        "table and inspector show {old_fill}"
    );
    assert_eq!(count_label(&h, &old_total), 1);

    type_into(&mut h, "Industrial land", "310");
    let ds = &h.state().session.ds;
    assert_eq!(ds.zones.items[z].industrial_land_ha, Some(310.0));
    let new_fill = fill_text(&h, z);
    let leased = ds.figures[z].measured.leased_ha;
    assert_eq!(new_fill, fmt_pct(100.0 * leased / 310.0, Lang::En));
    assert_ne!(new_fill, old_fill);
    assert!(
        count_label(&h, &new_fill) >= 2,
        "table and inspector follow: {new_fill}"
    );
    assert_eq!(count_label(&h, &old_fill), 0);
    let new_total = totals_text(&h);
    assert_ne!(new_total, old_total);
    assert_eq!(count_label(&h, &new_total), 1, "the totals row follows");

    // Undo from the Edit menu, by its name.
    assert_eq!(
        h.state().session.history.undo_label(),
        Some("industrial land of KCN Quế Võ")
    );
    h.get_by_label("Edit").click();
    h.run();
    h.get_by_label_contains("Undo: industrial land of KCN Quế Võ")
        .click();
    h.run();
    assert_eq!(
        h.state().session.ds.zones.items[z].industrial_land_ha,
        Some(400.45)
    );
    assert_eq!(fill_text(&h, z), old_fill);
    assert!(count_label(&h, &old_fill) >= 2);
    assert_eq!(count_label(&h, &old_total), 1);
    assert!(
        h.state().session.ds.zones.doc.edits.is_empty(),
        "undo leaves the file as it was"
    );

    // Redo with Ctrl+Shift+Z, undo with Ctrl+Z, redo with Ctrl+Y.
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run();
    assert_eq!(fill_text(&h, z), new_fill);
    assert!(count_label(&h, &new_fill) >= 2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(fill_text(&h, z), old_fill);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run();
    assert_eq!(
        h.state().session.ds.zones.items[z].industrial_land_ha,
        Some(310.0)
    );
}

#[test]
fn a_vacant_parcel_leased_raises_the_leased_land_of_its_zone() {
    let (mut h, _) = sample_app();
    let ds = &h.state().session.ds;
    let parcels = ds.parcels.as_ref().expect("parcels");
    // A vacant industrial lot wholly in its zone and overlapping no other.
    let findings = ds.findings(zoneatlas::engine::as_of::AsOf::Today(
        zoneatlas::clock::today(),
    ));
    let p = (0..parcels.len())
        .find(|p| {
            parcels.items[*p].status == ParcelStatus::Vacant
                && parcels.items[*p].land_use == zoneatlas::engine::properties::LandUse::Industrial
                && ds.zone_of(*p).is_some()
                && !findings.iter().any(|f| {
                    f.layer == zoneatlas::engine::model::LayerKind::Parcels
                        && (f.feature == p + 1 || f.other() == Some(p + 1))
                })
        })
        .expect("a vacant lot");
    let z = ds.zone_of(p).expect("zone");
    let area = ds.parcel_area_ha[p].expect("area");
    let before = ds.figures[z].measured.leased_ha;
    h.state_mut().view.selection = Some(Selection::Parcel(p));
    h.run();
    h.get_by_role_and_label(Role::ComboBox, "Status").click();
    h.run();
    h.get_by_label("Leased").click();
    h.run();
    let ds = &h.state().session.ds;
    assert_eq!(
        ds.parcels.as_ref().expect("parcels").items[p].status,
        ParcelStatus::Leased
    );
    let after = ds.figures[z].measured.leased_ha;
    assert!(
        (after - before - area).abs() < 1e-6,
        "{before} + {area} ≠ {after}"
    );
    assert_eq!(
        h.state()
            .session
            .history
            .undo_label()
            .map(|s| s.starts_with("status of")),
        Some(true)
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!((h.state().session.ds.figures[z].measured.leased_ha - before).abs() < 1e-9);
}

#[test]
fn a_refusal_reads_in_the_vietnamese_window_with_its_numbers_and_dates_the_vietnamese_way() {
    let (mut h, _) = sample_app();
    h.state_mut().view.lang = Lang::Vi;
    h.run();
    let z = select_que_vo_in_table(&mut h);
    type_into(&mut h, "Đất công nghiệp", "-2,5");
    assert!(
        h.query_by_label_contains("-2,5 là số âm; chưa lưu")
            .is_some(),
        "the negative number with a decimal comma, in Vietnamese"
    );
    assert_eq!(count_label(&h, "is negative"), 0);
    assert_eq!(
        h.state().session.ds.zones.items[z].industrial_land_ha,
        Some(400.45)
    );
    let ds = &h.state().session.ds;
    let parcels = ds.parcels.as_ref().expect("parcels");
    let p = (0..parcels.len())
        .find(|p| parcels.items[*p].lease_start.is_some())
        .expect("a lease");
    let start = parcels.items[p].lease_start.expect("start");
    let (y, m, d) = start.ymd();
    h.state_mut().view.selection = Some(Selection::Parcel(p));
    h.run();
    type_into(&mut h, "Ngày hết hạn thuê", "1999-01-01");
    let refusal =
        format!("ngày hết hạn thuê (01/01/1999) trước ngày bắt đầu ({d:02}/{m:02}/{y}); chưa lưu");
    assert!(h.query_by_label_contains(&refusal).is_some(), "{refusal}");
    assert!(
        h.state()
            .session
            .ds
            .parcels
            .as_ref()
            .expect("parcels")
            .doc
            .edits
            .is_empty()
    );
}

#[test]
fn invalid_values_are_refused_beside_the_field_and_never_stored() {
    let (mut h, _) = sample_app();
    let z = select_que_vo_in_table(&mut h);
    type_into(&mut h, "Industrial land", "-5");
    assert_eq!(
        h.state().session.ds.zones.items[z].industrial_land_ha,
        Some(400.45)
    );
    assert!(h.state().session.ds.zones.doc.edits.is_empty());
    assert!(
        h.query_by_label_contains("is negative; not stored")
            .is_some()
    );
    type_into(&mut h, "Industrial land", "lots");
    assert!(
        h.query_by_label_contains("\"lots\" is not a number; not stored")
            .is_some()
    );
    type_into(&mut h, "Decision date", "31/02/2020");
    assert!(h.query_by_label_contains("is not a date").is_some());
    assert!(h.state().session.ds.zones.doc.edits.is_empty());
    assert!(!h.state().session.history.is_dirty());

    // A lease that would end before it starts.
    let ds = &h.state().session.ds;
    let parcels = ds.parcels.as_ref().expect("parcels");
    let p = (0..parcels.len())
        .find(|p| parcels.items[*p].lease_start.is_some())
        .expect("a lease");
    let start = parcels.items[p].lease_start.expect("start");
    h.state_mut().view.selection = Some(Selection::Parcel(p));
    h.run();
    type_into(&mut h, "Lease end", "1999-01-01");
    assert!(h.query_by_label_contains("before it starts").is_some());
    assert_eq!(parcel(&h, p).lease_start, Some(start));
    assert!(
        h.state()
            .session
            .ds
            .parcels
            .as_ref()
            .expect("parcels")
            .doc
            .edits
            .is_empty()
    );
    // A valid value clears the message and is stored.
    type_into(&mut h, "Lease end", "2070-12-31");
    assert!(h.query_by_label_contains("before it starts").is_none());
    let end = parcel(&h, p).lease_end.map(|d| d.iso());
    assert_eq!(end.as_deref(), Some("2070-12-31"));
}

#[test]
fn save_writes_only_the_edit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (zp, pp) = copy_sample(dir.path());
    let original = std::fs::read_to_string(&zp).expect("read");
    let parcels_original = std::fs::read(&pp).expect("read");
    let ds = Dataset::open(&zp, Some(&pp)).expect("opens");
    let dialogs = TestDialogs::new();
    let app = ZoneAtlasApp::new(ds, Box::new(dialogs.clone()))
        .with_paths(Some(zp.clone()), Some(pp.clone()));
    let mut h = harness(app);
    let z = select_que_vo_in_table(&mut h);
    type_into(&mut h, "Industrial land", "310");
    assert!(
        h.state().window_title().starts_with("• "),
        "{}",
        h.state().window_title()
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert!(
        dialogs.asked().is_empty(),
        "Save writes back without asking"
    );
    assert!(!h.state().window_title().starts_with('•'));

    let saved = std::fs::read_to_string(&zp).expect("read");
    let mut expect: Value = serde_json::from_str(&original).expect("json");
    expect["features"][z]["properties"]["industrial_land_ha"] = Value::from(310);
    assert_eq!(serde_json::from_str::<Value>(&saved).expect("json"), expect);
    let changed: Vec<(&str, &str)> = original
        .lines()
        .zip(saved.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed.len(), 1, "only the edited feature's line differs");
    assert_eq!(original.lines().count(), saved.lines().count());
    assert_eq!(
        std::fs::read(&pp).expect("read"),
        parcels_original,
        "untouched parcels are not rewritten"
    );
}

#[test]
fn save_as_asks_through_the_dialog_and_a_cancel_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut h, dialogs) = sample_app();
    select_que_vo_in_table(&mut h);
    type_into(&mut h, "Industrial land", "310");
    // The built-in sample has no file: Save asks where. Cancelling saves nothing.
    dialogs.answer(None);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert_eq!(dialogs.asked().len(), 1);
    assert!(h.state().session.history.is_dirty());
    let (zp, pp) = (dir.path().join("z.geojson"), dir.path().join("p.geojson"));
    dialogs.answer(Some(zp.clone()));
    dialogs.answer(Some(pp.clone()));
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert!(!h.state().session.history.is_dirty());
    let reread = Dataset::open(&zp, Some(&pp)).expect("saved files open");
    let z = zone_named(&reread, QUE_VO);
    assert_eq!(reread.zones.items[z].industrial_land_ha, Some(310.0));
    assert_eq!(
        reread.parcels.as_ref().map(|p| p.len()),
        sample_dataset().parcels.as_ref().map(|p| p.len())
    );
    assert!(
        h.state()
            .window_title()
            .starts_with("z.geojson + p.geojson")
    );
}

#[test]
fn unsaved_edits_are_asked_about_before_opening_or_quitting() {
    let (mut h, dialogs) = sample_app();
    assert!(!h.state().window_title().contains('•'));
    select_que_vo_in_table(&mut h);
    type_into(&mut h, "Industrial land", "310");
    assert!(h.state().window_title().starts_with("• "));

    // Open zones… asks first; Cancel keeps everything and opens no dialog.
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Open zones…").click();
    h.run();
    assert!(h.state().is_asking_to_save());
    assert!(h.query_by_label("Unsaved changes").is_some());
    h.get_by_label("Cancel").click();
    h.run();
    assert!(!h.state().is_asking_to_save());
    assert!(dialogs.asked().is_empty());
    assert!(h.state().session.history.is_dirty());

    // Quit asks too; Discard closes.
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Quit").click();
    h.run();
    assert!(h.state().is_asking_to_save());
    assert!(!h.state().has_closed());
    h.get_by_label("Discard edits").click();
    h.run();
    assert!(h.state().has_closed());
}

#[test]
fn closing_the_window_with_unsaved_edits_asks_first() {
    let (mut h, _) = sample_app();
    select_que_vo_in_table(&mut h);
    type_into(&mut h, "Industrial land", "310");
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.step();
    let commands = &h.output().viewport_output[&egui::ViewportId::ROOT].commands;
    assert!(
        commands.contains(&egui::ViewportCommand::CancelClose),
        "{commands:?}"
    );
    h.run();
    assert!(h.state().is_asking_to_save());
    h.get_by_label("Cancel").click();
    h.run();
    assert!(!h.state().is_asking_to_save() && !h.state().has_closed());
    assert!(h.state().session.history.is_dirty());
}

#[test]
fn discarding_edits_to_open_a_file_does_not_let_the_window_close_unasked_later() {
    let (mut h, dialogs) = sample_app();
    select_que_vo_in_table(&mut h);
    type_into(&mut h, "Industrial land", "310");
    // Open zones… → Discard edits → the file dialog is cancelled: nothing was opened, and the
    // edits are still there.
    dialogs.answer(None);
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Open zones…").click();
    h.run();
    h.get_by_label("Discard edits").click();
    h.run();
    assert_eq!(dialogs.asked(), vec!["Open zones…".to_string()]);
    assert!(h.state().session.history.is_dirty());
    // Closing the window still asks about them.
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.step();
    let commands = &h.output().viewport_output[&egui::ViewportId::ROOT].commands;
    assert!(
        commands.contains(&egui::ViewportCommand::CancelClose),
        "{commands:?}"
    );
    h.run();
    assert!(h.state().is_asking_to_save());
}

#[test]
fn load_errors_read_in_the_vietnamese_window() {
    let dir = tempfile::tempdir().expect("tempdir");
    let broken = dir.path().join("broken.geojson");
    std::fs::write(&broken, "{\"type\": \"FeatureCollection\", \"features\": [").expect("write");
    let missing = dir.path().join("gone.geojson");
    let (mut h, dialogs) = sample_app();
    h.state_mut().view.lang = Lang::Vi;
    h.run();
    let mut open = |path: &Path| {
        dialogs.answer(Some(path.to_path_buf()));
        h.get_by_label("Tệp").click();
        h.run();
        h.get_by_label("Mở tệp khu công nghiệp…").click();
        h.run();
        h.state_mut().wait_for_load();
        h.run();
        h.state().view.message.clone().expect("a message")
    };
    // Broken JSON: the place, and what is wrong, in Vietnamese (the parser's own words quoted).
    let message = open(&broken);
    assert!(message.error);
    assert!(
        message.text.starts_with("Không mở được broken.geojson: ")
            && message.text.contains("broken.geojson:1:")
            && message.text.contains(": không phải JSON hợp lệ: ")
            && message
                .text
                .ends_with("Dữ liệu đang mở vẫn được giữ nguyên."),
        "{message:?}"
    );
    // A file that is not there: the system's reason in Vietnamese, not its English words.
    let message = open(&missing);
    assert!(
        message
            .text
            .contains("không đọc được tệp: không tìm thấy tệp hoặc thư mục"),
        "{message:?}"
    );
    assert!(!message.text.contains("No such file"), "{message:?}");
    // The status bar shows the same sentence.
    assert!(
        h.query_by_label_contains("không tìm thấy tệp hoặc thư mục")
            .is_some()
    );
}

#[test]
fn a_file_that_cannot_be_read_leaves_the_open_data_in_place() {
    let dir = tempfile::tempdir().expect("tempdir");
    let broken = dir.path().join("broken.geojson");
    std::fs::write(&broken, "{\"type\": \"FeatureCollection\", \"features\": [").expect("write");
    let (mut h, dialogs) = sample_app();
    let zones = h.state().session.ds.zones.len();
    dialogs.answer(Some(broken));
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Open zones…").click();
    h.run();
    h.state_mut().wait_for_load();
    h.run();
    let message = h.state().view.message.clone().expect("a message");
    assert!(
        message.error
            && message.text.contains("broken.geojson")
            && message.text.contains("not valid JSON"),
        "{message:?}"
    );
    assert_eq!(h.state().session.ds.zones.len(), zones);

    // A good file opens (in the background) and replaces the zones; the parcels stay.
    let (zp, _) = copy_sample(dir.path());
    dialogs.answer(Some(zp.clone()));
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Open zones…").click();
    h.run();
    h.state_mut().wait_for_load();
    h.run();
    assert_eq!(h.state().session.zones_path.as_deref(), Some(zp.as_path()));
    assert!(h.state().session.ds.parcels.is_some());
    assert!(!h.state().view.message.clone().expect("message").error);
}

/// Files are read from private copies, as the command line reads (mapped, not held in the
/// process's memory): another program rewriting a file in place while it is open changes
/// nothing in the window, and what it writes back is the file as it was read.
#[test]
fn an_open_file_rewritten_by_another_program_changes_nothing_in_the_window() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (zp, pp) = copy_sample(dir.path());
    let original = std::fs::read_to_string(&pp).expect("read");
    let snapshots = dir.path().join("cache");
    let app = ZoneAtlasApp::new(
        zoneatlas::app::empty_dataset(),
        Box::new(TestDialogs::new()),
    )
    .with_snapshot_dir(snapshots.clone());
    let mut h = harness(app);
    let ctx = h.ctx.clone();
    h.state_mut().open_files(&ctx, zp.clone(), Some(pp.clone()));
    h.state_mut().wait_for_load();
    settle(&mut h);
    // (The command line's reading maps the file itself: done with before the file changes.)
    let (n, expected) = {
        let ds = Dataset::open(&zp, Some(&pp)).expect("opens");
        let parcels = ds.parcels.as_ref().expect("parcels");
        (parcels.len(), parcels.doc.properties(parcels.len() - 1))
    };
    let tenant = |ds: &Dataset| ds.parcels.as_ref().expect("parcels").doc.properties(n - 1);
    assert_eq!(tenant(&h.state().session.ds), expected);

    // A GIS tool saves over the parcels file in place: cut short, then other text.
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(&pp)
        .expect("open");
    file.set_len(100).expect("truncate");
    std::fs::write(&pp, "{\"type\":\"FeatureCollection\",\"features\":[]}").expect("write");
    // The last lot is still read as it was (the inspector reads properties from the text)…
    h.state_mut().view.selection = Some(Selection::Parcel(n - 1));
    settle(&mut h);
    assert_eq!(tenant(&h.state().session.ds), expected);
    // …and the document writes back the file as it was read, byte for byte.
    let parcels = h.state().session.ds.parcels.as_ref().expect("parcels");
    assert_eq!(
        zoneatlas::app::files::render_document(&parcels.doc),
        original
    );
    assert_eq!(
        std::fs::read_dir(&snapshots).expect("folder").count(),
        0,
        "the copies have no name and leave nothing behind"
    );
}

#[test]
fn exports_write_a_csv_excel_reads_and_markdown() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut h, dialogs) = sample_app();
    let csv = dir.path().join("r.csv");
    let md = dir.path().join("r.md");
    dialogs.answer(Some(csv.clone()));
    dialogs.answer(Some(md.clone()));
    for item in ["Export report as CSV…", "Export report as Markdown…"] {
        h.get_by_label("File").click();
        h.run();
        h.get_by_label(item).click();
        h.run();
    }
    let bytes = std::fs::read(&csv).expect("csv");
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "a byte-order mark for Excel"
    );
    assert!(
        String::from_utf8(bytes)
            .expect("utf8")
            .contains("KCN Quế Võ")
    );
    assert!(
        std::fs::read_to_string(&md)
            .expect("md")
            .contains("KCN Quế Võ")
    );
}

/// With the window showing the figures on a date, the CSV and Markdown exports are of that
/// date (they were today's, beside findings of the date).
#[test]
fn exports_follow_the_date_the_window_shows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut h, dialogs) = sample_app();
    let on = zoneatlas::engine::properties::Date::parse("2012-06-30").expect("date");
    h.state_mut().view.as_of = Some(on);
    common::settle(&mut h);
    let (csv, md) = (dir.path().join("r.csv"), dir.path().join("r.md"));
    dialogs.answer(Some(csv.clone()));
    dialogs.answer(Some(md.clone()));
    for item in ["Export report as CSV…", "Export report as Markdown…"] {
        h.get_by_label("File").click();
        h.run();
        h.get_by_label(item).click();
        h.run();
    }
    let ds = &h.state().session.ds;
    let then = zoneatlas::report::csv(&zoneatlas::engine::table::Table::on(ds, on));
    let today = zoneatlas::report::csv(&zoneatlas::engine::table::Table::today(ds));
    assert_ne!(then, today, "the sample's figures differ on that date");
    let written = std::fs::read_to_string(&csv).expect("csv");
    assert_eq!(written.trim_start_matches('\u{feff}'), then);
    let md = std::fs::read_to_string(&md).expect("md");
    assert!(
        md.contains("30/06/2012") || md.contains("2012-06-30"),
        "{md}"
    );
}

/// File › Excel report in the Vietnamese window: the path asked for with the app's dialog, a
/// workbook written there (and nothing else), in Vietnamese, with the app's figures as numbers.
#[test]
fn excel_report_from_the_file_menu_in_the_windows_language() {
    use calamine::{Data, Reader, Xlsx};
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut h, dialogs) = sample_app();
    h.state_mut().view.lang = Lang::Vi;
    h.run();
    let path = dir.path().join("báo cáo.xlsx");
    dialogs.answer(Some(path.clone()));
    h.get_by_label("Tệp").click();
    h.run();
    h.get_by_label("Xuất báo cáo Excel…").click();
    h.run();
    assert_eq!(dialogs.asked(), ["Xuất báo cáo Excel…"]);
    let message = h.state().view.message.as_ref().map(|m| m.text.clone());
    assert_eq!(message, Some(format!("Đã xuất {}.", path.display())));
    let files: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
    assert_eq!(files.len(), 1, "the workbook alone, no temporary file");
    let mut book: Xlsx<_> = calamine::open_workbook(&path).expect("an xlsx workbook");
    assert_eq!(
        book.sheet_names(),
        ["Khu công nghiệp", "Tổng hợp", "Kết quả kiểm tra"]
    );
    let zones = book.worksheet_range("Khu công nghiệp").expect("zones");
    assert_eq!(
        zones.get_value((0, 1)),
        Some(&Data::String("Tên KCN".into()))
    );
    let ds = &h.state().session.ds;
    let z = zone_named(ds, QUE_VO);
    let row = (1..zones.height() as u32)
        .find(|&y| zones.get_value((y, 1)) == Some(&Data::String(QUE_VO.into())))
        .expect("KCN Quế Võ's row");
    let area = ds.figures[z].measured.area_ha.expect("an area");
    assert_eq!(zones.get_value((row, 4)), Some(&Data::Float(area)));
    let rate = ds.figures[z].fill_rate_pct.expect("a rate");
    match zones.get_value((row, 10)) {
        Some(Data::Float(f)) => assert!((100.0 * f - rate).abs() < 1e-9, "{f} vs {rate}"),
        other => panic!("the fill rate is not a number: {other:?}"),
    }
}

/// File › PDF report in the Vietnamese window: written where the dialog says (nothing else
/// beside it), an A4 PDF whose text, read back by poppler where it is installed, has the
/// window's figures in Vietnamese.
#[test]
fn pdf_report_from_the_file_menu_in_the_windows_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut h, dialogs) = sample_app();
    h.state_mut().view.lang = Lang::Vi;
    h.run();
    let path = dir.path().join("báo cáo.pdf");
    dialogs.answer(Some(path.clone()));
    h.get_by_label("Tệp").click();
    h.run();
    h.get_by_label("Xuất báo cáo PDF…").click();
    h.run();
    assert_eq!(dialogs.asked(), ["Xuất báo cáo PDF…"]);
    // Made on its own thread (its map may wait for tiles), then said.
    settle(&mut h);
    let message = h.state().view.message.as_ref().map(|m| m.text.clone());
    assert_eq!(message, Some(format!("Đã xuất {}.", path.display())));
    let files: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
    assert_eq!(files.len(), 1, "the PDF alone, no temporary file");
    let bytes = std::fs::read(&path).expect("the PDF");
    assert!(bytes.starts_with(b"%PDF-"));
    let Ok(o) = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
    else {
        eprintln!("pdftotext not found (poppler-utils): the PDF is not read back here");
        return;
    };
    let text = String::from_utf8(o.stdout).expect("utf-8");
    let ds = &h.state().session.ds;
    let z = zone_named(ds, QUE_VO);
    let rate = ds.figures[z].fill_rate_pct.expect("a rate");
    let shown = format!("{:.2} %", rate).replace('.', ",");
    assert!(text.contains(QUE_VO), "{text}");
    assert!(text.contains(&shown), "{shown} not in {text}");
}

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn dropped_files_open_as_zones_and_parcels_by_what_they_hold() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (zp, pp) = copy_sample(dir.path());
    // Names that say nothing: the app tells parcels from zones by their properties.
    let (a, b) = (dir.path().join("a.geojson"), dir.path().join("b.geojson"));
    std::fs::rename(&pp, &a).expect("rename");
    std::fs::rename(&zp, &b).expect("rename");
    let (mut h, _) = sample_app();
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(a.clone())));
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(b.clone())));
    h.step();
    assert!(h.state().is_loading());
    h.state_mut().wait_for_load();
    h.run();
    assert_eq!(h.state().session.zones_path.as_deref(), Some(b.as_path()));
    assert_eq!(h.state().session.parcels_path.as_deref(), Some(a.as_path()));
    assert_eq!(
        h.state().window_title(),
        "b.geojson + a.geojson — ZoneAtlas"
    );
    assert_eq!(h.state().recent.entries.first(), Some(&(b, Some(a))));
}

#[test]
fn export_png_writes_the_map_area_of_the_screenshot() {
    let dir = tempfile::tempdir().expect("tempdir");
    let png = dir.path().join("map.png");
    let (mut h, dialogs) = sample_app();
    dialogs.answer(Some(png.clone()));
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Export map as PNG…").click();
    h.step();
    // No GPU here: answer the window's screenshot request with a picture of our own.
    let callback = h.output().viewport_output[&egui::ViewportId::ROOT]
        .commands
        .iter()
        .find_map(|c| match c {
            egui::ViewportCommand::Screenshot(cb) => Some(cb.clone()),
            _ => None,
        })
        .expect("a screenshot is requested");
    let size = h.ctx.content_rect().size();
    let mut shot =
        egui::ColorImage::filled([size.x as usize, size.y as usize], egui::Color32::BLACK);
    let map = h.state().map.view;
    for y in map.top() as usize..map.bottom() as usize {
        for x in map.left() as usize..map.right() as usize {
            shot.pixels[y * shot.size[0] + x] = egui::Color32::from_rgb(10, 200, 30);
        }
    }
    callback.complete(std::sync::Arc::new(shot));
    h.run();
    let img = image::open(&png).expect("a PNG").to_rgba8();
    assert_eq!(
        (img.width(), img.height()),
        (map.width() as u32, map.height() as u32),
        "the map only"
    );
    assert!(
        img.pixels().all(|p| p.0 == [10, 200, 30, 255]),
        "none of the panels"
    );
    assert!(
        h.state()
            .view
            .message
            .as_ref()
            .is_some_and(|m| !m.error && m.text.contains("map.png"))
    );
}

#[test]
fn the_keyboard_pans_zooms_and_fits() {
    let (mut h, _) = sample_app();
    let fitted = h.state().map.camera;
    h.key_press(Key::Plus);
    h.run();
    assert!(
        (h.state().map.camera.zoom - fitted.zoom - 1.0).abs() < 1e-9,
        "+ zooms in one level"
    );
    h.key_press(Key::Minus);
    h.key_press(Key::Minus);
    h.run();
    assert!(
        (h.state().map.camera.zoom - fitted.zoom + 1.0).abs() < 1e-9,
        "− zooms out"
    );
    let before = h.state().map.camera.centre;
    h.key_press(Key::ArrowRight);
    h.run();
    let after = h.state().map.camera.centre;
    assert!(
        after.x > before.x && (after.y - before.y).abs() < 1e-12,
        "→ shows what is east"
    );
    h.key_press(Key::ArrowUp);
    h.run();
    assert!(
        h.state().map.camera.centre.y < after.y,
        "↑ shows what is north"
    );
    h.key_press(Key::Home);
    h.run();
    let home = h.state().map.camera;
    assert!(
        (home.zoom - fitted.zoom).abs() < 1e-9 && (home.centre.x - fitted.centre.x).abs() < 1e-12
    );
    // Typing in a field does not move the map.
    h.get_by_label("Search").focus();
    h.run();
    h.key_press(Key::ArrowRight);
    h.key_press(Key::Minus);
    h.run();
    assert_eq!(h.state().map.camera.zoom, home.zoom);
}

#[test]
fn clicking_a_column_header_sorts_the_table() {
    let (mut h, _) = sample_app();
    let top_of = |h: &Harness<'static, ZoneAtlasApp>, name: &str| h.get_by_label(name).rect().top();
    let ds = &h.state().session.ds;
    let by_fill = |z: &usize| ds.figures[*z].fill_rate_pct.unwrap_or(f64::NEG_INFINITY);
    let highest = (0..ds.zones.len())
        .max_by(|a, b| by_fill(a).total_cmp(&by_fill(b)))
        .expect("zones");
    let lowest = (0..ds.zones.len())
        .min_by(|a, b| by_fill(a).total_cmp(&by_fill(b)))
        .expect("zones");
    let (hi, lo) = (
        ds.zones.items[highest].name.clone(),
        ds.zones.items[lowest].name.clone(),
    );
    h.get_by_role_and_label(Role::Button, "Fill %").click();
    h.run();
    assert!(
        top_of(&h, &hi) < top_of(&h, &lo),
        "highest fill rate first: {hi} {} {lo} {} {:?}",
        top_of(&h, &hi),
        top_of(&h, &lo),
        (h.state().table.sort, h.state().table.ascending)
    );
    assert_eq!(
        h.state()
            .table
            .rows(&h.state().session, &h.state().view)
            .first(),
        Some(&highest)
    );
    h.get_by_role_and_label(Role::Button, "Fill % ▼").click();
    h.run();
    assert!(top_of(&h, &lo) < top_of(&h, &hi), "a second click reverses");
    h.get_by_role_and_label(Role::Button, "Name").click();
    h.run();
    assert!(
        top_of(&h, "KCN Đại Đồng – Hoàn Sơn") < top_of(&h, "KCN Yên Phong"),
        "names sort as people read them"
    );
}

#[test]
fn clicking_a_finding_selects_the_feature_and_zooms_to_it() {
    let (mut h, _) = sample_app();
    let app = h.state_mut();
    let finding = app
        .view
        .findings(&app.session)
        .iter()
        .find(|f| f.message(Lang::En).contains("its lease ended on"))
        .cloned()
        .expect("a lot still marked leased after its lease ended, in the sample");
    let zoom = h.state().map.camera.zoom;
    let row = format!("({}): {}", finding.id, finding.message(Lang::En));
    h.get_by_label_contains(&row).scroll_to_me();
    h.run();
    h.get_by_label_contains(&row).click();
    h.run();
    assert_eq!(
        h.state().view.selection,
        Some(Selection::Parcel(finding.feature - 1))
    );
    assert!(
        h.state().map.camera.zoom > zoom + 2.0,
        "the map zoomed to the lot"
    );
    let b = h
        .state()
        .session
        .ds
        .parcels
        .as_ref()
        .and_then(|p| p.shapes[finding.feature - 1].bbox())
        .expect("bbox");
    assert!(
        h.state()
            .map
            .view
            .contains(h.state().map.screen_pos(b.center()))
    );
    // The inspector shows the lot.
    assert!(h.query_by_label(&finding.id).is_some());
}

#[test]
fn a_property_the_file_did_not_have_is_added_and_undo_removes_it_entirely() {
    let (mut h, _) = sample_app();
    let z = select_que_vo_in_table(&mut h);
    let original = zoneatlas::app::files::render_document(&h.state().session.ds.zones.doc);
    assert!(
        h.state()
            .session
            .property(zoneatlas::engine::model::LayerKind::Zones, z, "phase")
            .is_none()
    );
    type_into(&mut h, "Phase", "Giai đoạn 1");
    assert_eq!(
        h.state()
            .session
            .property(zoneatlas::engine::model::LayerKind::Zones, z, "phase"),
        Some(Value::from("Giai đoạn 1")),
        "written under the canonical key"
    );
    assert_eq!(
        h.state().session.history.undo_label(),
        Some("phase of KCN Quế Võ")
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(h.state().session.ds.zones.doc.edits.is_empty());
    assert_eq!(
        zoneatlas::app::files::render_document(&h.state().session.ds.zones.doc),
        original
    );
    assert!(!h.state().window_title().starts_with('•'));
}

#[test]
fn an_attribute_is_written_under_the_name_the_file_uses() {
    // A board's file with Vietnamese property names and numbers written as strings.
    let dir = tempfile::tempdir().expect("tempdir");
    let zp = dir.path().join("kcn.geojson");
    let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"Tên KCN":"KCN Thử","Trạng thái":"Đang hoạt động","Diện tích đất CN (ha)":"100,5"},"geometry":{"type":"Polygon","coordinates":[[[106.0,21.0],[106.01,21.0],[106.01,21.01],[106.0,21.01],[106.0,21.0]]]}}]}"#;
    std::fs::write(&zp, text).expect("write");
    let ds = Dataset::open(&zp, None).expect("opens");
    let dialogs = TestDialogs::new();
    let app = ZoneAtlasApp::new(ds, Box::new(dialogs)).with_paths(Some(zp.clone()), None);
    let mut h = harness(app);
    h.get_by_label("KCN Thử").click();
    h.run();
    type_into(&mut h, "Industrial land", "120,25");
    h.get_by_role_and_label(Role::ComboBox, "Status").click();
    h.run();
    h.get_by_label("Planned").click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    let saved: Value =
        serde_json::from_str(&std::fs::read_to_string(&zp).expect("read")).expect("json");
    let props = &saved["features"][0]["properties"];
    assert_eq!(
        props["Diện tích đất CN (ha)"],
        Value::from("120,25"),
        "same name, still a string with the file's decimal comma"
    );
    assert_eq!(
        props["Trạng thái"],
        Value::from("Đã quy hoạch"),
        "Vietnamese wording kept"
    );
    assert!(props.get("industrial_land_ha").is_none() && props.get("status").is_none());
    assert_eq!(props.as_object().map(|o| o.len()), Some(3));
}

#[test]
fn a_long_table_lays_out_only_the_rows_in_view() {
    let features: Vec<String> = (1..=300)
        .map(|i| {
            let (x, y) = (105.0 + f64::from(i % 20) * 0.05, 20.0 + f64::from(i / 20) * 0.05);
            format!(
                r#"{{"type":"Feature","properties":{{"name":"KCN Thử {i:03}","industrial_land_ha":50}},"geometry":{{"type":"Polygon","coordinates":[[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]]}}}}"#,
                x + 0.02,
                x + 0.02,
                y + 0.02,
                y + 0.02
            )
        })
        .collect();
    let text = format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    );
    let doc =
        zoneatlas::engine::geojson::Document::parse(Path::new("many.geojson"), text.into_bytes())
            .expect("parses");
    let mut h = harness(ZoneAtlasApp::new(
        Dataset::new(doc, None),
        Box::new(TestDialogs::new()),
    ));
    assert!(h.query_by_label("KCN Thử 001").is_some());
    assert!(
        h.query_by_label("KCN Thử 300").is_none(),
        "rows out of view are not laid out"
    );
    h.get_by_label("Search").focus();
    h.run();
    h.get_by_label("Search").type_text("thu 300");
    h.run();
    h.get_by_label("KCN Thử 300").click();
    h.run();
    assert_eq!(h.state().view.selection, Some(Selection::Zone(299)));
}

#[test]
fn open_parcels_keeps_the_zones_and_recent_files_reopen_both() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (zp, pp) = copy_sample(dir.path());
    let (mut h, dialogs) = sample_app();
    for (item, path) in [("Open zones…", &zp), ("Open parcels…", &pp)] {
        dialogs.answer(Some(path.clone()));
        h.get_by_label("File").click();
        h.run();
        h.get_by_label(item).click();
        h.run();
        h.state_mut().wait_for_load();
        h.run();
    }
    assert_eq!(h.state().session.zones_path.as_deref(), Some(zp.as_path()));
    assert_eq!(
        h.state().session.parcels_path.as_deref(),
        Some(pp.as_path())
    );
    let leased = h.state().session.ds.totals_all().leased_ha;
    assert!(leased > 0.0);
    assert_eq!(
        h.state().recent.entries.first(),
        Some(&(zp.clone(), Some(pp.clone())))
    );

    // Back to the zones alone through a recent entry, then to both again.
    let zones_only = h
        .state()
        .recent
        .entries
        .iter()
        .position(|(z, p)| z == &zp && p.is_none())
        .expect("zones alone");
    let ctx = h.ctx.clone();
    h.state_mut()
        .apply(&ctx, Action::File(FileAction::OpenRecent(zones_only)));
    h.state_mut().wait_for_load();
    h.run();
    assert!(h.state().session.ds.parcels.is_none());
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Recent files").hover();
    h.run();
    h.get_by_label(&format!("{} + {}", zp.display(), pp.display()))
        .click();
    h.run();
    h.state_mut().wait_for_load();
    h.run();
    assert_eq!(h.state().session.ds.totals_all().leased_ha, leased);
}

/// The findings follow every edit by themselves: they are computed on another thread, and until
/// the new list arrives the last one is shown marked as updating, never as current.
#[test]
fn the_findings_follow_an_edit_without_being_asked_and_say_while_updating() {
    let (mut h, _) = sample_app();
    assert!(h.query_by_label_contains("updating").is_none());
    assert!(h.query_by_label_contains("leased is more than").is_none());
    // "10 (2 ✖, 8 ⚠)", the panel's count of the engine's findings.
    let count = |ds: &Dataset| {
        let f = ds.findings(AsOf::Today(zoneatlas::clock::today()));
        let errors = f.iter().filter(|f| f.severity() == Severity::Error).count();
        format!("{} ({errors} ✖, {} ⚠)", f.len(), f.len() - errors)
    };
    let listed = count(&h.state().session.ds);
    assert!(h.query_by_label(&listed).is_some());
    select_que_vo_in_table(&mut h);
    h.get_by_label("Industrial land").focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    h.get_by_label("Industrial land").type_text("10");
    h.run();
    h.key_press(Key::Enter);
    h.step(); // the frame that makes the edit
    // More land is leased than there is now. Frame by frame until the work is done: a frame
    // shows either the list of the data as it is now, or says it is updating.
    let now = count(&h.state().session.ds);
    assert_ne!(now, listed);
    for _ in 0..200 {
        h.step();
        let updating = h.query_by_label_contains("updating").is_some();
        let current = h.query_by_label(&now).is_some()
            && h.query_by_label_contains("leased is more than").is_some();
        assert!(
            updating != current,
            "updating: {updating}, current: {current}"
        );
        if current {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(h.query_by_label_contains("leased is more than").is_some());

    // The moment in between, held still: right after an edit the panel gets the last list,
    // said not to be current, and draws it marked as updating.
    let ctx = h.ctx.clone();
    let h_len = h
        .state()
        .session
        .ds
        .findings(AsOf::Today(zoneatlas::clock::today()))
        .len();
    let app = h.state_mut();
    app.apply(
        &ctx,
        Action::Edit(EditAction::Apply(Edit::one(
            LayerKind::Zones,
            0,
            "industrial_land_ha",
            Some(Value::from(1)),
            "land",
        ))),
    );
    let (list, current) = app.view.findings_for_panel(&app.session, &ctx);
    assert!(!current);
    assert_eq!(list.len(), h_len, "the last list, not one of the new data");
    let view = app.view.clone();
    let mut panel = Harness::builder()
        .with_context_setup(zoneatlas::app::fonts::install)
        .build_ui(|ui| {
            let _ = zoneatlas::app::panels::findings::show(ui, &view, &list, current);
        });
    panel.run();
    assert!(panel.query_by_label_contains("updating").is_some());
    settle(&mut h);
    assert!(h.query_by_label_contains("updating").is_none());
}

/// Zones opened without a parcels file: leased land is unknown, not zero, so the table and
/// its totals show no leased land and no fill rate, as the CLI leaves those cells empty.
#[test]
fn zones_without_parcels_show_no_leased_land_or_fill_rate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (zp, _) = copy_sample(dir.path());
    let ds = Dataset::open(&zp, None).expect("opens");
    assert!(ds.figures.iter().all(|f| f.fill_rate_pct.is_none()));
    assert_eq!(ds.totals_all().fill_rate_pct, None);
    let mut h = harness(ZoneAtlasApp::new(ds, Box::new(TestDialogs::new())));
    h.run();
    // The sample's rates with parcels (60.04 % in all) appear nowhere; no "0.00 %" either.
    assert_eq!(count_label(&h, "60.04 %"), 0);
    assert_eq!(count_label(&h, "0.00 %"), 0);
    assert_eq!(count_label(&h, "0.00"), 0, "no zero leased land");
}

#[test]
fn the_findings_follow_the_as_of_date() {
    let (mut h, _) = sample_app();
    let ended = |h: &mut Harness<'static, ZoneAtlasApp>| -> Vec<(String, String)> {
        let app = h.state_mut();
        app.view
            .findings(&app.session)
            .iter()
            .filter(|f| f.code() == zoneatlas::engine::findings::Code::LeaseEnded)
            .map(|f| (f.id.clone(), f.message(Lang::En)))
            .collect()
    };
    // Today: the sample's lots still marked leased after their leases ended.
    let today = ended(&mut h);
    assert!(today.len() >= 2, "{today:?}");
    assert!(
        today
            .iter()
            .all(|(_, m)| m.ends_with("it still counts as leased"))
    );
    let ds = &h.state().session.ds;
    let parcels = ds.parcels.as_ref().expect("parcels");
    let end_of = |id: &str| {
        parcels
            .items
            .iter()
            .find(|p| p.id == id)
            .and_then(|p| p.lease_end)
            .expect("a lease end")
    };
    let (first, end) = today
        .iter()
        .map(|(id, _)| (id.clone(), end_of(id)))
        .min_by_key(|(_, end)| *end)
        .expect("one");
    // On the last day of the first lease to end, none has ended; the day after, that one has,
    // and the lot counts as vacant in the figures of that day.
    h.state_mut().view.as_of = Some(end);
    h.run();
    assert!(ended(&mut h).is_empty());
    let next = zoneatlas::engine::properties::Date(end.0 + 1);
    h.state_mut().view.as_of = Some(next);
    h.run();
    let after = ended(&mut h);
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].0, first);
    assert!(
        after[0]
            .1
            .ends_with(&format!("as of {} it counts as vacant", next.iso())),
        "{after:?}"
    );
}
