//! Legacy Vietnamese text in the app: a file whose names were typed in TCVN3 / VNI fonts opens
//! with a notice; "Convert to Unicode" converts every value as one edit, which the table and the
//! inspector show at once and one Undo reverts. And the zone search reads `Ð` (eth) as `Đ`.
//!
//! The legacy spellings are glibc `iconv`'s TCVN 5712 bytes read as Latin-1 (see
//! tests/data/legacy_text/) and VNI worked by hand from its table.

mod common;

use common::{harness, parcel, settle};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::Path;

use zoneatlas::app::ZoneAtlasApp;
use zoneatlas::app::dialogs::TestDialogs;
use zoneatlas::app::view::Selection;
use zoneatlas::engine::dataset::Dataset;

const ZONES: &str = r#"{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"zone_id": "Z1", "name": "KCN §«ng Anh", "status": "operating", "industrial_land_ha": 100},
 "geometry": {"type": "Polygon", "coordinates": [[[106.0, 21.0], [106.02, 21.0], [106.02, 21.02], [106.0, 21.02], [106.0, 21.0]]]}},
{"type": "Feature", "properties": {"zone_id": "Z2", "name": "KCN Ðông Thọ", "status": "planned"},
 "geometry": {"type": "Polygon", "coordinates": [[[106.1, 21.0], [106.12, 21.0], [106.12, 21.02], [106.1, 21.02], [106.1, 21.0]]]}},
{"type": "Feature", "properties": {"zone_id": "Z3", "name": "KCN Quế Võ", "status": "operating"},
 "geometry": {"type": "Polygon", "coordinates": [[[106.2, 21.0], [106.22, 21.0], [106.22, 21.02], [106.2, 21.02], [106.2, 21.0]]]}}
]}"#;

const PARCELS: &str = r#"{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"parcel_id": "A-01", "zone_id": "Z1", "status": "leased", "tenant": "C«ng ty TNHH §¹i Ph¸t"},
 "geometry": {"type": "Polygon", "coordinates": [[[106.002, 21.002], [106.006, 21.002], [106.006, 21.006], [106.002, 21.006], [106.002, 21.002]]]}},
{"type": "Feature", "properties": {"parcel_id": "A-02", "zone_id": "Z1", "status": "leased", "tenant": "Coâng ty Coå phaàn Ñoàng Nai"},
 "geometry": {"type": "Polygon", "coordinates": [[[106.008, 21.002], [106.012, 21.002], [106.012, 21.006], [106.008, 21.006], [106.008, 21.002]]]}},
{"type": "Feature", "properties": {"parcel_id": "A-03", "zone_id": "Z1", "status": "leased", "tenant": "Société Générale"},
 "geometry": {"type": "Polygon", "coordinates": [[[106.014, 21.002], [106.018, 21.002], [106.018, 21.006], [106.014, 21.006], [106.014, 21.002]]]}}
]}"#;

const NOTICE: &str = "3 values look like TCVN3/VNI text";

fn app(dir: &Path) -> Harness<'static, ZoneAtlasApp> {
    let (zp, pp) = (dir.join("zones.geojson"), dir.join("parcels.geojson"));
    std::fs::write(&zp, ZONES).expect("write");
    std::fs::write(&pp, PARCELS).expect("write");
    let ds = Dataset::open(&zp, Some(&pp)).expect("opens");
    let app = ZoneAtlasApp::new(ds, Box::new(TestDialogs::new())).with_paths(Some(zp), Some(pp));
    harness(app)
}

fn tenant(h: &Harness<'static, ZoneAtlasApp>, p: usize) -> String {
    parcel(h, p).tenant.clone().unwrap_or_default()
}

/// Whether some node (table row, map label, field…) has exactly this label.
fn shows(h: &Harness<'static, ZoneAtlasApp>, label: &str) -> bool {
    h.query_all_by_label(label).next().is_some()
}

/// The inspector's Tenant field, as the accessibility tree gives it.
fn tenant_field(h: &Harness<'static, ZoneAtlasApp>) -> String {
    h.get_by_label("Tenant").value().unwrap_or_default()
}

#[test]
fn convert_to_unicode_is_one_undoable_edit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = app(dir.path());
    // The notice, and the names as the file has them.
    assert!(
        h.query_by_label_contains(NOTICE).is_some(),
        "the notice shows"
    );
    assert!(shows(&h, "KCN §«ng Anh"), "the table lists it");
    h.state_mut().view.selection = Some(Selection::Parcel(0));
    h.run();
    assert_eq!(tenant_field(&h), "C«ng ty TNHH §¹i Ph¸t");

    // The preview lists every value with its Unicode.
    h.get_by_label("Preview").click();
    h.run();
    for row in [
        "(Z1) name [TCVN3]: KCN §«ng Anh → KCN Đông Anh",
        "(A-01) tenant [TCVN3]: C«ng ty TNHH §¹i Ph¸t → Công ty TNHH Đại Phát",
        "(A-02) tenant [VNI]: Coâng ty Coå phaàn Ñoàng Nai → Công ty Cổ phần Đồng Nai",
    ] {
        assert!(h.query_by_label_contains(row).is_some(), "{row}");
    }
    assert!(h.query_by_label_contains("Société").is_none());

    h.get_by_label("Convert to Unicode").click();
    settle(&mut h); // the list is made again on another thread
    assert!(shows(&h, "KCN Đông Anh"), "the table follows");
    assert!(!shows(&h, "KCN §«ng Anh"));
    assert_eq!(tenant(&h, 0), "Công ty TNHH Đại Phát");
    assert_eq!(tenant(&h, 1), "Công ty Cổ phần Đồng Nai");
    assert_eq!(tenant(&h, 2), "Société Générale");
    assert_eq!(
        tenant_field(&h),
        "Công ty TNHH Đại Phát",
        "the inspector follows"
    );
    assert!(h.query_by_label_contains(NOTICE).is_none(), "nothing left");
    assert!(h.state().window_title().starts_with("• "), "unsaved");
    assert_eq!(
        h.state().session.history.undo_label(),
        Some("3 values from TCVN3/VNI to Unicode")
    );

    // One Undo reverts all three; the file is as it was.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut h); // the list is made again on another thread
    assert_eq!(tenant(&h, 0), "C«ng ty TNHH §¹i Ph¸t");
    assert_eq!(tenant(&h, 1), "Coâng ty Coå phaàn Ñoàng Nai");
    assert!(shows(&h, "KCN §«ng Anh"));
    assert_eq!(tenant_field(&h), "C«ng ty TNHH §¹i Ph¸t");
    let ds = &h.state().session.ds;
    assert!(ds.zones.doc.edits.is_empty());
    assert!(ds.parcels.as_ref().expect("parcels").doc.edits.is_empty());
    assert!(!h.state().window_title().starts_with('•'));
    assert!(
        h.query_by_label_contains(NOTICE).is_some(),
        "the notice is back"
    );

    // One Redo converts them again.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    settle(&mut h); // the list is made again on another thread
    assert_eq!(tenant(&h, 1), "Công ty Cổ phần Đồng Nai");
    assert!(shows(&h, "KCN Đông Anh"));
}

#[test]
fn the_notice_can_be_dismissed_and_plain_files_have_none() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = app(dir.path());
    h.get_by_label("Dismiss").click();
    h.run();
    assert!(h.query_by_label_contains(NOTICE).is_none());
    assert_eq!(tenant(&h, 0), "C«ng ty TNHH §¹i Ph¸t", "nothing changed");
    assert!(!h.state().session.history.is_dirty());

    let (mut h, _) = {
        let dialogs = TestDialogs::new();
        let app = ZoneAtlasApp::new(zoneatlas::app::sample_dataset(), Box::new(dialogs.clone()));
        let mut h = Harness::builder()
            .with_size([1600.0, 1000.0])
            .with_context_setup(zoneatlas::app::fonts::install)
            .build_ui_state(|ui, app: &mut ZoneAtlasApp| app.show(ui), app);
        h.run();
        (h, dialogs)
    };
    h.run();
    assert!(
        h.query_by_label_contains("TCVN3/VNI").is_none(),
        "the sample has none"
    );
}

#[test]
fn searching_dong_finds_a_name_spelled_with_an_eth() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = app(dir.path());
    for query in ["đông", "dong", "Đông"] {
        h.state_mut().table.query.clear();
        h.run();
        h.get_by_label("Search").focus();
        h.run();
        h.get_by_label("Search").type_text(query);
        h.run();
        let rows = h.state().table.rows(&h.state().session, &h.state().view);
        let names: Vec<&str> = rows
            .iter()
            .map(|z| h.state().session.zone_name(*z))
            .collect();
        // "KCN Ðông Thọ" (U+00D0) is found; "KCN §«ng Anh" is not Đông until converted.
        assert_eq!(names, ["KCN Ðông Thọ"], "{query}");
    }
}
