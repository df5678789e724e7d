//! Numbers and dates in the reader's language while editing, driven as a user would: the
//! inspector shows and takes `400,45` and `31/12/2024` in the Vietnamese window (the dot and ISO
//! forms too), echoes what it reads before storing it, refuses what it cannot read for sure,
//! and stores a value the way the file spells that property, leaving every other byte alone.

mod common;

use common::{harness, parcel, type_into, type_only, zone_named};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use serde_json::{Value, json};
use std::path::Path;

use zoneatlas::app::dialogs::TestDialogs;
use zoneatlas::app::view::Selection;
use zoneatlas::app::{ZoneAtlasApp, sample_dataset};
use zoneatlas::engine::dataset::Dataset;
use zoneatlas::engine::model::LayerKind;
use zoneatlas::engine::properties::Date;
use zoneatlas::i18n::{Lang, tr};

type App = Harness<'static, ZoneAtlasApp>;

fn sample_app(lang: Lang) -> App {
    let app = ZoneAtlasApp::new(sample_dataset(), Box::new(TestDialogs::new()));
    let mut h = harness(app);
    h.state_mut().view.lang = lang;
    h.run();
    h
}

/// The app on files in a folder, with their paths (so that Ctrl+S writes them).
fn app_on(zones: &Path, parcels: Option<&Path>, lang: Lang) -> App {
    let ds = Dataset::open(zones, parcels).expect("opens");
    let app = ZoneAtlasApp::new(ds, Box::new(TestDialogs::new()))
        .with_paths(Some(zones.to_path_buf()), parcels.map(Path::to_path_buf));
    let mut h = harness(app);
    h.state_mut().view.lang = lang;
    h.run();
    h
}

fn select(h: &mut App, selection: Selection) {
    h.state_mut().view.selection = Some(selection);
    h.run();
}

/// The text a field shows.
fn shown(h: &App, label: &str) -> String {
    h.get_by_label(label).value().unwrap_or_default()
}

fn property(h: &App, layer: LayerKind, feature: usize, key: &str) -> Option<Value> {
    h.state().session.property(layer, feature, key)
}

fn industrial_land(h: &App, z: usize) -> Option<f64> {
    h.state().session.ds.zones.items[z].industrial_land_ha
}

fn lease_end(h: &App, p: usize) -> Option<Date> {
    parcel(h, p).lease_end
}

fn has_text(h: &App, text: &str) -> bool {
    h.query_by_label_contains(text).is_some()
}

/// Checks a saved file against the original with the edits `changed` (value texts replaced in
/// the lines that hold them): lines without an edit are byte for byte the file's; a line with
/// one holds the same JSON as the original line with its values replaced, so every other value
/// is written as the file wrote it (JSON compares strings as text).
fn assert_saved(saved: &str, original: &str, changed: &[(&str, &str)]) {
    assert_eq!(saved.lines().count(), original.lines().count(), "{saved}");
    for (was, now) in original.lines().zip(saved.lines()) {
        let expected = changed
            .iter()
            .fold(was.to_string(), |line, (a, b)| line.replace(a, b));
        if expected == was {
            assert_eq!(now, was, "an untouched line is rewritten");
        } else {
            let json = |line: &str| -> Value {
                serde_json::from_str(line.trim_end_matches(',')).expect("a feature per line")
            };
            assert_eq!(json(now), json(&expected));
        }
    }
}

fn day(s: &str) -> Date {
    Date::parse(s).expect("a date")
}

const QUE_VO_2: &str = "KCN Quế Võ II";

#[test]
fn in_vietnamese_the_inspector_shows_and_takes_a_decimal_comma() {
    let mut h = sample_app(Lang::Vi);
    let z = zone_named(&h.state().session.ds, QUE_VO_2);
    select(&mut h, Selection::Zone(z));
    // The sample writes 169.77 (a JSON number); the Vietnamese reader sees a decimal comma.
    assert_eq!(industrial_land(&h, z), Some(169.77));
    assert_eq!(shown(&h, "Đất công nghiệp"), "169,77");

    type_into(&mut h, "Đất công nghiệp", "400,45");
    assert_eq!(industrial_land(&h, z), Some(400.45));
    assert_eq!(
        property(&h, LayerKind::Zones, z, "industrial_land_ha"),
        Some(json!(400.45)),
        "still a JSON number, as the file writes it"
    );
    assert_eq!(shown(&h, "Đất công nghiệp"), "400,45");
    assert_eq!(
        h.state().session.history.undo_label(),
        Some("đất công nghiệp của KCN Quế Võ II")
    );

    // Grouped the Vietnamese way, with a comma and no grouping, and the machine's dot.
    for (typed, x, shows) in [
        ("1.234,5", 1234.5, "1234,5"),
        ("2345,75", 2345.75, "2345,75"),
        ("400.45", 400.45, "400,45"),
        ("1.234.567", 1_234_567.0, "1234567"),
    ] {
        type_into(&mut h, "Đất công nghiệp", typed);
        assert_eq!(industrial_land(&h, z), Some(x), "{typed}");
        assert_eq!(shown(&h, "Đất công nghiệp"), shows, "{typed}");
    }
    type_into(&mut h, "Đất công nghiệp", "400,45");

    // A point before three digits is refused, with both readings, in Vietnamese.
    type_into(&mut h, "Đất công nghiệp", "1.234");
    assert!(
        has_text(
            &h,
            "\"1.234\" có thể là 1234 (dấu chấm phân cách hàng nghìn) hoặc 1,234 (dấu chấm \
             thập phân): hãy gõ 1234 hoặc 1,234; chưa lưu"
        ),
        "the ambiguity is named"
    );
    assert_eq!(industrial_land(&h, z), Some(400.45), "nothing stored");
    assert_eq!(shown(&h, "Đất công nghiệp"), "400,45");
    // What it suggests is taken, and clears the refusal.
    type_into(&mut h, "Đất công nghiệp", "1234");
    assert_eq!(industrial_land(&h, z), Some(1234.0));
    assert!(!has_text(&h, "có thể là"));
    type_into(&mut h, "Đất công nghiệp", "không rõ");
    assert!(has_text(&h, "\"không rõ\" không phải là số; chưa lưu"));
    assert_eq!(industrial_land(&h, z), Some(1234.0));
}

#[test]
fn what_is_being_typed_is_echoed_as_it_will_be_stored() {
    let mut h = sample_app(Lang::Vi);
    let z = zone_named(&h.state().session.ds, QUE_VO_2);
    select(&mut h, Selection::Zone(z));
    type_only(&mut h, "Đất công nghiệp", "1.234,5");
    assert!(has_text(&h, "hiểu là 1234,5 ha"), "the echo, with the unit");
    assert_eq!(industrial_land(&h, z), Some(169.77), "not stored yet");
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(industrial_land(&h, z), Some(1234.5));
    assert!(!has_text(&h, "hiểu là"), "stored: the field shows it");
    assert_eq!(shown(&h, "Đất công nghiệp"), "1234,5");
    // Text that cannot be read has no echo (it is refused on Enter).
    type_only(&mut h, "Đất công nghiệp", "12a");
    assert!(!has_text(&h, "hiểu là"));

    // A date typed the machine's way is echoed the reader's way; Escape stores nothing.
    type_only(&mut h, "Ngày quyết định", "2009-03-31");
    assert!(has_text(&h, "hiểu là 31/03/2009"));
    h.key_press(Key::Escape);
    h.run();
    // (Escape also clears the selection.)
    select(&mut h, Selection::Zone(z));
    assert_eq!(
        property(&h, LayerKind::Zones, z, "decision_date"),
        Some(json!("2008-11-20"))
    );
    assert_eq!(shown(&h, "Ngày quyết định"), "20/11/2008");

    // In English, the echo of a day-first date is ISO.
    h.state_mut().view.lang = Lang::En;
    h.run();
    type_only(&mut h, "Decision date", "31/03/2009");
    assert!(has_text(&h, "reads as 2009-03-31"));
}

#[test]
fn a_lease_end_typed_day_first_is_stored_in_the_files_date_style() {
    // The sample writes ISO dates.
    let mut h = sample_app(Lang::Vi);
    let ds = &h.state().session.ds;
    let parcels = ds.parcels.as_ref().expect("parcels");
    let p = (0..parcels.len())
        .find(|p| {
            parcels.items[*p]
                .lease_start
                .is_some_and(|s| s < day("2024-12-31"))
                && parcels.items[*p].lease_end.is_some()
        })
        .expect("a lease that started before 2025");
    select(&mut h, Selection::Parcel(p));
    type_into(&mut h, "Ngày hết hạn thuê", "31/12/2024");
    assert_eq!(lease_end(&h, p), Some(day("2024-12-31")));
    assert_eq!(
        property(&h, LayerKind::Parcels, p, "lease_end"),
        Some(json!("2024-12-31")),
        "ISO, as the file writes dates"
    );
    assert_eq!(shown(&h, "Ngày hết hạn thuê"), "31/12/2024");
    // A day that does not exist is refused, saying why.
    type_into(&mut h, "Ngày hết hạn thuê", "31/02/2025");
    assert!(has_text(
        &h,
        "\"31/02/2025\" không phải là ngày có thật: tháng 2 năm 2025 chỉ có 28 ngày; chưa lưu"
    ));
    assert_eq!(lease_end(&h, p), Some(day("2024-12-31")));
}

#[test]
fn a_boards_day_first_dates_stay_day_first_and_new_ones_follow_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zp = dir.path().join("kcn.geojson");
    let pp = dir.path().join("lo.geojson");
    let square = |x: f64| {
        format!(
            r#"{{"type":"Polygon","coordinates":[[[{x},21.0],[{x2},21.0],[{x2},21.001],[{x},21.001],[{x},21.0]]]}}"#,
            x2 = x + 0.001
        )
    };
    std::fs::write(
        &zp,
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"Mã KCN":"KCN-T","Tên KCN":"KCN Thử","Diện tích đất CN (ha)":"100,5"}},"geometry":{}}}]}}"#,
            r#"{"type":"Polygon","coordinates":[[[106.0,20.99],[106.01,20.99],[106.01,21.01],[106.0,21.01],[106.0,20.99]]]}"#
        ),
    )
    .expect("write");
    // Lot A is leased with day-first dates; lot B, vacant, has none yet.
    let lot_a = r#"{"Mã lô":"A","Mã KCN":"KCN-T","Trạng thái":"Đã cho thuê","Ngày bắt đầu":"01/03/2005","Ngày hết hạn":"28/02/2055"}"#;
    let lot_b = r#"{"Mã lô":"B","Mã KCN":"KCN-T","Trạng thái":"Chưa cho thuê"}"#;
    let parcels = format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[\n{{\"type\":\"Feature\",\"properties\":{lot_a},\"geometry\":{}}},\n{{\"type\":\"Feature\",\"properties\":{lot_b},\"geometry\":{}}}\n]}}\n",
        square(106.001),
        square(106.003)
    );
    std::fs::write(&pp, &parcels).expect("write");
    let mut h = app_on(&zp, Some(&pp), Lang::Vi);

    // The vacant lot's first lease dates: day first, under the names the file uses.
    select(&mut h, Selection::Parcel(1));
    assert_eq!(shown(&h, "Ngày hết hạn thuê"), "");
    type_into(&mut h, "Ngày bắt đầu thuê", "2024-01-15");
    type_into(&mut h, "Ngày hết hạn thuê", "31/12/2074");
    assert_eq!(
        property(&h, LayerKind::Parcels, 1, "Ngày bắt đầu"),
        Some(json!("15/01/2024"))
    );
    assert_eq!(
        property(&h, LayerKind::Parcels, 1, "Ngày hết hạn"),
        Some(json!("31/12/2074"))
    );
    assert_eq!(property(&h, LayerKind::Parcels, 1, "lease_end"), None);
    assert_eq!(lease_end(&h, 1), Some(day("2074-12-31")));
    assert_eq!(shown(&h, "Ngày bắt đầu thuê"), "15/01/2024");
    // The leased lot's end, typed the ISO way, stays day first too.
    select(&mut h, Selection::Parcel(0));
    assert_eq!(shown(&h, "Ngày hết hạn thuê"), "28/02/2055");
    type_into(&mut h, "Ngày hết hạn thuê", "2055-06-30");
    assert_eq!(
        property(&h, LayerKind::Parcels, 0, "Ngày hết hạn"),
        Some(json!("30/06/2055"))
    );

    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert_saved(
        &std::fs::read_to_string(&pp).expect("read"),
        &parcels,
        &[
            ("\"28/02/2055\"", "\"30/06/2055\""),
            (
                "\"Chưa cho thuê\"}",
                "\"Chưa cho thuê\",\"Ngày bắt đầu\":\"15/01/2024\",\"Ngày hết hạn\":\"31/12/2074\"}",
            ),
        ],
    );
}

#[test]
fn a_boards_numbers_written_as_text_keep_their_convention_and_the_rest_its_bytes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zp = dir.path().join("kcn.geojson");
    let zone = |id: &str, name: &str, land: &str, x: f64| {
        format!(
            r#"{{"type":"Feature","properties":{{"Mã KCN":"{id}","Tên KCN":"{name}","Diện tích đất CN (ha)":"{land}","Diện tích quy hoạch":"8.120,3"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},21.0],[{x2},21.0],[{x2},21.01],[{x},21.01],[{x},21.0]]]}}}}"#,
            x2 = x + 0.01
        )
    };
    let original = format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[\n{},\n{},\n{}\n]}}\n",
        zone("KCN-A", "KCN An", "6.397,68", 106.0),
        zone("KCN-B", "KCN Bình", "100,5", 106.1),
        zone("KCN-C", "KCN Châu", "2.100,75", 106.2)
    );
    std::fs::write(&zp, &original).expect("write");
    let mut h = app_on(&zp, None, Lang::Vi);
    select(&mut h, Selection::Zone(0));
    assert_eq!(shown(&h, "Đất công nghiệp"), "6397,68");
    type_into(&mut h, "Đất công nghiệp", "7000,5");
    assert_eq!(industrial_land(&h, 0), Some(7000.5));
    assert_eq!(
        property(&h, LayerKind::Zones, 0, "Diện tích đất CN (ha)"),
        Some(json!("7.000,5")),
        "grouped with points and a decimal comma, like the file's other numbers"
    );
    assert_eq!(shown(&h, "Đất công nghiệp"), "7000,5");

    // In English, the English way of typing; the file's way of writing.
    h.state_mut().view.lang = Lang::En;
    h.run();
    select(&mut h, Selection::Zone(1));
    assert_eq!(shown(&h, "Industrial land"), "100.5");
    type_into(&mut h, "Industrial land", "1200.25");
    assert_eq!(
        property(&h, LayerKind::Zones, 1, "Diện tích đất CN (ha)"),
        Some(json!("1.200,25"))
    );

    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert_saved(
        &std::fs::read_to_string(&zp).expect("read"),
        &original,
        &[
            ("\"6.397,68\"", "\"7.000,5\""),
            ("\"100,5\"", "\"1.200,25\""),
        ],
    );
}

#[test]
fn in_english_the_fields_and_typing_are_as_before() {
    let mut h = sample_app(Lang::En);
    let z = zone_named(&h.state().session.ds, "KCN Quế Võ");
    select(&mut h, Selection::Zone(z));
    assert_eq!(shown(&h, "Industrial land"), "400.45");
    assert_eq!(shown(&h, "Decision date"), "2002-07-11");
    assert_eq!(shown(&h, "Wastewater capacity"), "15000");
    // A point before three digits is a decimal point, as it always was; a lone comma a
    // decimal comma, except before exactly three digits, where an English reader means
    // thousands: refused naming both readings.
    type_into(&mut h, "Industrial land", "1.234");
    assert_eq!(industrial_land(&h, z), Some(1.234));
    assert!(!has_text(&h, "could be"));
    type_into(&mut h, "Industrial land", "1,234");
    assert!(has_text(
        &h,
        "\"1,234\" could be 1234 (a thousands comma) or 1.234 (a decimal comma): type 1234 or \
         1.234; not stored"
    ));
    assert_eq!(industrial_land(&h, z), Some(1.234));
    type_into(&mut h, "Industrial land", "310,5");
    assert_eq!(industrial_land(&h, z), Some(310.5));
    assert_eq!(shown(&h, "Industrial land"), "310.5");
    // Day-first dates are read, and stored as the file writes dates.
    type_into(&mut h, "Decision date", "31/12/2024");
    assert_eq!(
        property(&h, LayerKind::Zones, z, "decision_date"),
        Some(json!("2024-12-31"))
    );
    assert_eq!(shown(&h, "Decision date"), "2024-12-31");
    type_into(&mut h, "Decision date", "30/02/2024");
    assert!(has_text(
        &h,
        "\"30/02/2024\" is not a date: month 2 of 2024 has 29 days; not stored"
    ));
}

#[test]
fn switching_the_language_re_renders_the_fields() {
    let mut h = sample_app(Lang::En);
    let z = zone_named(&h.state().session.ds, "KCN Quế Võ");
    select(&mut h, Selection::Zone(z));
    assert_eq!(shown(&h, "Industrial land"), "400.45");
    assert_eq!(shown(&h, "Decision date"), "2002-07-11");
    assert_eq!(shown(&h, "Planned area"), "611.37");
    let view_menu = |h: &mut App, item: &str| {
        let lang = h.state().view.lang;
        h.get_by_label(tr(lang, zoneatlas::i18n::Key::MenuView))
            .click();
        h.run();
        h.get_by_label(item).click();
        h.run();
    };
    view_menu(&mut h, "Tiếng Việt");
    assert_eq!(h.state().view.lang, Lang::Vi);
    assert_eq!(shown(&h, "Đất công nghiệp"), "400,45");
    assert_eq!(shown(&h, "Ngày quyết định"), "11/07/2002");
    assert_eq!(shown(&h, "Diện tích quy hoạch"), "611,37");
    view_menu(&mut h, "English");
    assert_eq!(shown(&h, "Industrial land"), "400.45");
    assert_eq!(shown(&h, "Decision date"), "2002-07-11");
    // Nothing was stored by showing.
    assert!(h.state().session.ds.zones.doc.edits.is_empty());
}
