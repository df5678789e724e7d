//! Behaviour tests of what leadership uses in meetings: the interface in Vietnamese and
//! English, presentation mode and the dashboard.

mod common;

use common::{harness, settle};
use egui::FontId;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use zoneatlas::app::dialogs::TestDialogs;
use zoneatlas::app::{ZoneAtlasApp, sample_dataset};
use zoneatlas::i18n::{Key, tr};
use zoneatlas::i18n::{Lang, Message, fmt_ha, fmt_pct};

fn sample_app() -> Harness<'static, ZoneAtlasApp> {
    let app = ZoneAtlasApp::new(sample_dataset(), Box::new(TestDialogs::new()));
    harness(app)
}

fn count_label(h: &Harness<'static, ZoneAtlasApp>, label: &str) -> usize {
    h.query_all_by_label(label).count()
}

/// Opens the View menu (in whichever language) and clicks `item`.
fn view_menu(h: &mut Harness<'static, ZoneAtlasApp>, item: &str) {
    let lang = h.state().view.lang;
    h.get_by_label(tr(lang, Key::MenuView)).click();
    h.run();
    h.get_by_label(item).click();
    h.run();
}

#[test]
fn the_language_switch_turns_the_whole_window_vietnamese_and_back() {
    let mut h = sample_app();
    let all = h.state().session.ds.totals_all();
    let rate_vi = fmt_pct(all.fill_rate_pct.expect("a rate"), Lang::Vi);
    let rate_en = fmt_pct(all.fill_rate_pct.expect("a rate"), Lang::En);
    assert_eq!(
        rate_vi, "60,04 %",
        "the sample reproduces the board's figure"
    );
    assert_eq!(count_label(&h, "Xem"), 0);
    assert!(count_label(&h, &rate_en) >= 1, "the totals row in English");

    view_menu(&mut h, "Tiếng Việt");
    assert_eq!(h.state().view.lang, Lang::Vi);
    // Menus, table headings, the legend's title and the figures in Vietnamese.
    assert_eq!(count_label(&h, "View"), 0);
    assert_eq!(count_label(&h, "Xem"), 1);
    assert_eq!(count_label(&h, "Tệp"), 1);
    assert!(count_label(&h, "Lấp đầy %") >= 1);
    assert!(count_label(&h, "Tất cả KCN (16)") >= 1);
    assert!(count_label(&h, &rate_vi) >= 1, "the totals row: {rate_vi}");
    assert_eq!(count_label(&h, &rate_en), 0);
    // The findings too: the duplicate record's overlap, listed first (errors first).
    let overlap = h
        .state()
        .session
        .ds
        .findings(zoneatlas::engine::as_of::AsOf::Today(
            zoneatlas::clock::today(),
        ))
        .into_iter()
        .find(|f| f.code() == zoneatlas::engine::findings::Code::ParcelsOverlap)
        .expect("the sample's planted overlap");
    let row = format!(
        "{} #{} ({}): {}",
        tr(Lang::Vi, Key::LayerParcels),
        overlap.feature,
        overlap.id,
        overlap.message(Lang::Vi)
    );
    assert!(
        row.contains("chồng lấn lô") && row.contains(" ha; cả hai"),
        "{row}"
    );
    assert_eq!(count_label(&h, &row), 1, "{row}");

    // The inspector of a zone, with its figures the Vietnamese way.
    let z = h
        .state()
        .session
        .ds
        .zones
        .items
        .iter()
        .position(|z| z.name == "KCN Quế Võ")
        .expect("Quế Võ");
    h.state_mut().view.selection = Some(zoneatlas::app::view::Selection::Zone(z));
    h.run();
    assert!(count_label(&h, "Tỷ lệ lấp đầy") >= 1);
    assert!(count_label(&h, "Chủ đầu tư hạ tầng") >= 1);
    let f = &h.state().session.ds.figures[z];
    let zone_rate = fmt_pct(f.fill_rate_pct.expect("rate"), Lang::Vi);
    assert!(zone_rate.contains(','), "{zone_rate}");
    assert!(count_label(&h, &zone_rate) >= 1, "{zone_rate}");
    let leased = fmt_ha(f.measured.leased_ha, Lang::Vi);
    assert!(count_label(&h, &leased) >= 1, "{leased}");

    // And back.
    view_menu(&mut h, "English");
    assert_eq!(h.state().view.lang, Lang::En);
    assert_eq!(count_label(&h, "Xem"), 0);
    assert!(count_label(&h, "Fill rate") >= 1);
    assert!(count_label(&h, &rate_en) >= 1);
}

#[test]
fn the_chosen_language_is_remembered_and_the_locale_decides_the_first_time() {
    let mut app = ZoneAtlasApp::new(sample_dataset(), Box::new(TestDialogs::new()));
    app.restore(None, Lang::Vi);
    assert_eq!(
        app.view.lang,
        Lang::Vi,
        "a Vietnamese locale starts in Vietnamese"
    );
    let mut storage = common::MemoryStorage::default();
    eframe::App::save(&mut app, &mut storage);
    let mut next = ZoneAtlasApp::new(sample_dataset(), Box::new(TestDialogs::new()));
    next.restore(Some(&storage), Lang::En);
    assert_eq!(
        next.view.lang,
        Lang::Vi,
        "the choice wins over an English locale"
    );

    // Switching in the menu is what gets saved.
    let mut h = harness(next);
    view_menu(&mut h, "English");
    let mut storage = common::MemoryStorage::default();
    eframe::App::save(h.state_mut(), &mut storage);
    let mut again = ZoneAtlasApp::new(sample_dataset(), Box::new(TestDialogs::new()));
    again.restore(Some(&storage), Lang::Vi);
    assert_eq!(again.view.lang, Lang::En);
}

#[test]
fn every_vietnamese_letter_and_string_has_a_glyph() {
    let h = sample_app();
    let letters = "ạắằẳẵặấầẩẫậếềểễệốồổỗộớờởỡợứừửữựỳỵỷỹđ\
                   àáảãăâèéẻẽêìíỉĩịòóỏõôơọùúủũưụýẹ";
    let all = format!("{letters}{}", letters.to_uppercase());
    assert!(all.contains('Đ') && all.contains('Ỹ') && all.contains('Ặ'));
    let font = FontId::proportional(14.0);
    h.ctx.fonts_mut(|f| {
        let missing: Vec<char> = all.chars().filter(|c| !f.has_glyph(&font, *c)).collect();
        assert!(missing.is_empty(), "no glyph for {missing:?}");
        for &key in Key::ALL {
            for lang in [Lang::Vi, Lang::En] {
                let s = tr(lang, key);
                assert!(f.has_glyphs(&font, s), "{key:?} in {}: {s}", lang.code());
            }
        }
    });
}

/// What the window was last told about full screen.
fn fullscreen_request(h: &Harness<'static, ZoneAtlasApp>) -> Option<bool> {
    h.state().fullscreen_sent
}

#[test]
fn f11_presents_the_map_and_the_key_figures_full_screen_and_esc_leaves() {
    let mut h = sample_app();
    h.state_mut().view.lang = Lang::Vi;
    h.run();
    assert!(count_label(&h, "Tìm kiếm") >= 1, "the table is there");

    h.key_press(egui::Key::F11);
    h.run();
    assert_eq!(fullscreen_request(&h), Some(true));
    assert!(h.state().view.presenting);
    // The title, the key figures in Vietnamese, the map; no menus, table or inspector.
    assert_eq!(count_label(&h, "Các khu công nghiệp tỉnh Bắc Ninh"), 1);
    assert_eq!(count_label(&h, "12/16 đang hoạt động"), 1);
    assert_eq!(count_label(&h, "6.397,68 ha"), 1);
    assert_eq!(count_label(&h, "Tỷ lệ lấp đầy (đất công nghiệp)"), 1);
    assert_eq!(count_label(&h, "60,04 %"), 1);
    assert_eq!(count_label(&h, "Tỷ lệ lấp đầy (Nghị định 35)"), 1);
    let ds = &h.state().session.ds;
    let leased = fmt_ha(ds.totals_all().leased_ha, Lang::Vi);
    let op = ds.totals_operating();
    let op_rate = format!(
        "KCN đang hoạt động: {}",
        fmt_pct(op.fill_rate_pct.expect("rate"), Lang::Vi)
    );
    assert!(count_label(&h, &leased) >= 1, "{leased}");
    assert_eq!(count_label(&h, &op_rate), 1, "{op_rate}");
    for gone in [
        "Tìm kiếm",
        "Xem",
        "Tệp",
        "Thông tin chi tiết",
        "Kết quả kiểm tra",
    ] {
        assert_eq!(count_label(&h, gone), 0, "{gone} hidden");
    }
    assert_eq!(count_label(&h, "Bản đồ"), 1, "the map");
    assert!(h.state().map.text_scale > 1.0, "large type on the map");

    // Esc leaves (it does not merely clear the selection).
    h.key_press(egui::Key::Escape);
    h.run();
    assert_eq!(fullscreen_request(&h), Some(false));
    assert!(!h.state().view.presenting);
    assert!(count_label(&h, "Tìm kiếm") >= 1);
    assert_eq!(h.state().map.text_scale, 1.0);

    // The View menu enters it too, in English with an English title.
    h.state_mut().view.lang = Lang::En;
    h.run();
    h.get_by_label("View").click();
    h.run();
    h.get_by_label_contains("Presentation mode").click();
    h.run();
    assert!(h.state().view.presenting);
    assert_eq!(count_label(&h, "Industrial zones of Bắc Ninh"), 1);
    assert_eq!(count_label(&h, "12/16 operating"), 1);
    assert_eq!(count_label(&h, "60.04 %"), 1);
    h.key_press(egui::Key::F11);
    h.run();
    assert!(!h.state().view.presenting, "F11 toggles");
}

#[test]
fn the_dashboard_shows_the_boards_figures_ranking_and_investors_in_both_languages() {
    let mut h = sample_app();
    h.state_mut().view.lang = Lang::Vi;
    h.run();
    assert_eq!(count_label(&h, "Bảng tổng hợp"), 0);
    view_menu(&mut h, "Bảng tổng hợp");
    settle(&mut h); // the trend and the investors are computed on other threads
    assert!(h.state().dashboard.open);
    // Zones by status, and all zones beside operating zones, in Vietnamese numbers.
    assert_eq!(count_label(&h, "12/16 đang hoạt động"), 1);
    assert_eq!(
        count_label(
            &h,
            "Đang hoạt động: 12   ·   Đang xây dựng: 3   ·   Quy hoạch: 1"
        ),
        1
    );
    let ds = &h.state().session.ds;
    let (all, op) = (ds.totals_all(), ds.totals_operating());
    for value in [
        fmt_ha(all.area_ha, Lang::Vi),
        fmt_ha(op.area_ha, Lang::Vi),
        fmt_ha(op.industrial_land_ha, Lang::Vi),
        fmt_ha(op.leased_ha, Lang::Vi),
        fmt_pct(op.fill_rate_pct.expect("rate"), Lang::Vi),
        fmt_pct(op.fill_rate_d35_pct.expect("rate"), Lang::Vi),
        fmt_pct(all.fill_rate_d35_pct.expect("rate"), Lang::Vi),
    ] {
        assert!(count_label(&h, &value) >= 1, "{value}");
    }
    assert_eq!(count_label(&h, "6.397,68 ha"), 1);
    assert_eq!(count_label(&h, "2.481,57 ha"), 1);
    assert!(
        count_label(&h, "60,04 %") >= 2,
        "table totals and dashboard"
    );
    // The ranking is drawn, one province only: no per-province table.
    assert_eq!(
        count_label(&h, "Xếp hạng KCN theo tỷ lệ lấp đầy (đất công nghiệp)"),
        2,
        "heading and chart"
    );
    assert_eq!(count_label(&h, "Theo tỉnh"), 0);
    // The fill rate over time, for all zones (and the selected zone when there is one).
    assert_eq!(
        count_label(&h, "Tỷ lệ lấp đầy theo thời gian (đất công nghiệp)"),
        2,
        "heading and chart"
    );
    // Investors, counted by hand from the sample's leased lots (601: 425 FDI, 176 DDI).
    assert_eq!(count_label(&h, "FDI (vốn nước ngoài)"), 1);
    assert_eq!(count_label(&h, "425"), 1);
    assert_eq!(count_label(&h, "18.908,6"), 1);
    assert_eq!(count_label(&h, "DDI (vốn trong nước)"), 1);
    assert_eq!(count_label(&h, "699,1"), 2, "DDI and Việt Nam");
    assert_eq!(count_label(&h, "Hàn Quốc"), 1);
    assert_eq!(count_label(&h, "6.906,5"), 1);

    // In English.
    h.state_mut().view.lang = Lang::En;
    h.run();
    assert_eq!(count_label(&h, "12/16 operating"), 1);
    assert_eq!(count_label(&h, "18,908.6"), 1);
    assert_eq!(count_label(&h, "FDI (foreign)"), 1);

    // Closed from the View menu (the window's title says "Dashboard" too).
    h.get_by_label("View").click();
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::CheckBox, "Dashboard")
        .click();
    h.run();
    assert!(!h.state().dashboard.open);
    assert_eq!(count_label(&h, "12/16 operating"), 0);
}

#[test]
fn the_dashboard_adds_a_line_per_province_when_the_file_holds_several() {
    let zones = std::fs::read_to_string("sample_zones/zones.geojson").expect("sample");
    let zones = zones.replacen(r#""province":"Bắc Ninh""#, r#""province":"Bắc Giang""#, 1);
    let parcels = std::fs::read("sample_zones/parcels.geojson").expect("sample");
    let ds = zoneatlas::engine::dataset::Dataset::new(
        zoneatlas::engine::geojson::Document::parse(
            std::path::Path::new("zones.geojson"),
            zones.into_bytes(),
        )
        .expect("zones"),
        Some(
            zoneatlas::engine::geojson::Document::parse(
                std::path::Path::new("parcels.geojson"),
                parcels,
            )
            .expect("parcels"),
        ),
    );
    let provinces = ds.totals_by_province();
    assert_eq!(provinces.len(), 2);
    let mut app = ZoneAtlasApp::new(ds, Box::new(TestDialogs::new()));
    app.view.lang = Lang::Vi;
    app.dashboard.open = true;
    let h = harness(app);
    assert_eq!(count_label(&h, "Theo tỉnh"), 1);
    for (_, t) in &provinces {
        let line = format!("{}/{} đang hoạt động", t.operating, t.zones);
        assert!(count_label(&h, &line) >= 1, "{line}");
        let leased = fmt_ha(t.leased_ha, Lang::Vi);
        assert!(count_label(&h, &leased) >= 1, "{leased}");
    }
    assert_eq!(count_label(&h, "Bắc Giang"), 2, "table and dashboard");
}

#[test]
fn the_date_control_shows_the_table_the_map_and_the_dashboard_as_they_stood() {
    use zoneatlas::engine::as_of::figures_on;
    use zoneatlas::engine::figures::Totals;
    use zoneatlas::engine::properties::Date;
    use zoneatlas::i18n::fmt_number;

    let mut h = sample_app();
    h.state_mut().view.lang = Lang::Vi;
    h.run();
    let today = h.state().view.totals_all(&h.state().session);
    // The control: off, then on at a date inside the leases' range.
    assert!(h.state().view.as_of.is_none());
    h.get_by_role_and_label(egui::accesskit::Role::CheckBox, "Số liệu tại ngày")
        .click();
    h.run();
    assert!(h.state().view.as_of.is_some(), "switched on");

    // On 1 January 2015 (hand count from the sample file: 233 lots leased, 146 FDI, 87 DDI).
    let d = Date::parse("2015-01-01").expect("date");
    h.state_mut().view.as_of = Some(d);
    h.state_mut().dashboard.open = true;
    settle(&mut h); // the figures on the date are computed on another thread
    let ds = &h.state().session.ds;
    let on = figures_on(ds, d);
    let expected = Totals::of(ds.zones.items.iter().zip(&on));
    assert!(
        expected.leased_ha < today.leased_ha - 100.0,
        "fewer leases in 2015"
    );
    let shown = h.state().view.totals_all(&h.state().session);
    assert_eq!(shown, expected);
    // Table totals row, dashboard and ranking follow the date.
    let leased = fmt_number(expected.leased_ha, 2, Lang::Vi);
    assert!(count_label(&h, &leased) >= 1, "{leased}");
    assert!(count_label(&h, &fmt_ha(expected.leased_ha, Lang::Vi)) >= 1);
    let rate = fmt_pct(expected.fill_rate_pct.expect("rate"), Lang::Vi);
    assert!(count_label(&h, &rate) >= 2, "table and dashboard: {rate}");
    assert_eq!(count_label(&h, "Tính đến ngày 01/01/2015"), 1);
    assert_eq!(count_label(&h, "146"), 1, "FDI projects then");
    assert_eq!(
        count_label(&h, "87"),
        2,
        "DDI projects then, all Vietnamese"
    );
    // The map colours lots by their status on the date.
    let p = h.state().session.ds.parcels.as_ref().expect("parcels");
    let late = p
        .items
        .iter()
        .position(|x| x.lease_start.is_some_and(|s| s > d))
        .expect("a lease starting after 2015");
    assert_eq!(
        h.state().view.parcel_status(&h.state().session, late),
        Some(zoneatlas::engine::properties::ParcelStatus::Vacant)
    );

    // Off again: today's figures.
    h.get_by_role_and_label(egui::accesskit::Role::CheckBox, "Số liệu tại ngày")
        .click();
    h.run();
    assert!(h.state().view.as_of.is_none());
    assert_eq!(h.state().view.totals_all(&h.state().session), today);
}

#[test]
fn a_slide_exports_as_a_png_of_1920_by_1080_whatever_the_window() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("slide.png");
    let dialogs = TestDialogs::new();
    let mut app = ZoneAtlasApp::new(sample_dataset(), Box::new(dialogs.clone()));
    app.view.lang = Lang::Vi;
    let mut h = harness(app);
    dialogs.answer(Some(path.clone()));
    h.get_by_label("Tệp").click();
    h.run();
    h.get_by_label("Xuất trang bản đồ (PNG)").click();
    h.run();
    h.get_by_label("1920 × 1080…").click();
    h.run();
    // Drawn on its own thread (the window goes on): said while it is, then written.
    assert!(
        h.state().is_rendering()
            || h.state()
                .view
                .message
                .as_ref()
                .is_some_and(|m| m.text.starts_with("Đã xuất")),
    );
    settle(&mut h);
    let img = image::open(&path).expect("a PNG").to_rgba8();
    assert_eq!(
        img.dimensions(),
        (1920, 1080),
        "not the window's 1600 × 1000"
    );
    let colours: std::collections::HashSet<[u8; 4]> = img.pixels().map(|p| p.0).collect();
    assert!(colours.len() > 50, "not blank: {} colours", colours.len());
    // The map's paper colour (light) covers a good part of it.
    let light = img
        .pixels()
        .filter(|p| p.0[0] > 200 && p.0[1] > 200)
        .count();
    assert!(light > 1920 * 1080 / 5, "{light}");
    assert!(
        h.state()
            .view
            .message
            .as_ref()
            .is_some_and(|m| !m.error && m.text.starts_with("Đã xuất")),
    );
}

#[test]
fn the_selected_zone_exports_as_a_one_page_sheet() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("sheet.png");
    let dialogs = TestDialogs::new();
    let app = ZoneAtlasApp::new(sample_dataset(), Box::new(dialogs.clone()));
    let mut h = harness(app);
    // Without a selected zone the item is there but does nothing.
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Export sheet of the selected zone as PNG…")
        .click();
    h.run();
    assert!(!path.exists());
    assert!(dialogs.asked().is_empty(), "no dialog without a zone");

    let z = h
        .state()
        .session
        .ds
        .zones
        .items
        .iter()
        .position(|z| z.name == "KCN Quế Võ")
        .expect("zone");
    h.state_mut().view.selection = Some(zoneatlas::app::view::Selection::Zone(z));
    h.run();
    dialogs.answer(Some(path.clone()));
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Export sheet of the selected zone as PNG…")
        .click();
    h.run();
    settle(&mut h);
    let img = image::open(&path).expect("a PNG").to_rgba8();
    assert_eq!(img.dimensions(), (1920, 1080));
    // The zone fills the map: its fill colour (60–80 %… here above 80 %) and leased lots.
    let orange = img
        .pixels()
        .filter(|p| p.0[0] > 220 && (120..170).contains(&p.0[1]) && p.0[2] < 90)
        .count();
    assert!(
        orange > 1920 * 1080 / 20,
        "leased lots drawn large: {orange}"
    );
    assert_eq!(
        h.state().view.selection,
        Some(zoneatlas::app::view::Selection::Zone(z)),
        "the selection stays"
    );
}

#[test]
fn the_dashboard_exports_as_a_png_of_the_chosen_size() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("dashboard.png");
    let dialogs = TestDialogs::new();
    let app = ZoneAtlasApp::new(sample_dataset(), Box::new(dialogs.clone()));
    let mut h = harness(app);
    dialogs.answer(Some(path.clone()));
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Export dashboard as PNG").click();
    h.run();
    h.get_by_label("1280 × 720…").click();
    h.run();
    settle(&mut h);
    let img = image::open(&path).expect("a PNG").to_rgba8();
    assert_eq!(img.dimensions(), (1280, 720));
    let colours: std::collections::HashSet<[u8; 4]> = img.pixels().map(|p| p.0).collect();
    assert!(colours.len() > 50, "not blank: {} colours", colours.len());
}

/// The figures on a date are computed on another thread. Until they arrive the window shows
/// the last figures it has and says which date they are for and that they are updating; it
/// never shows them as those of the date chosen.
#[test]
fn figures_on_a_date_arrive_and_say_which_date_they_are_for_meanwhile() {
    use zoneatlas::app::action::{Action, EditAction, ViewAction};
    use zoneatlas::app::map::MapMemory;
    use zoneatlas::app::session::edit::Edit;
    use zoneatlas::app::view::ViewState;
    use zoneatlas::engine::as_of::figures_on;
    use zoneatlas::engine::figures::Totals;
    use zoneatlas::engine::model::LayerKind;
    use zoneatlas::engine::properties::Date;
    use zoneatlas::i18n::fmt_number;

    let mut h = sample_app();
    let ctx = h.ctx.clone();
    let today = h.state().view.totals_all(&h.state().session);
    let on = |h: &Harness<'static, ZoneAtlasApp>, d: Date| {
        let ds = &h.state().session.ds;
        Totals::of(ds.zones.items.iter().zip(&figures_on(ds, d)))
    };
    // The date control's words for a copy of the view, held still (a copy computes nothing).
    let control = |h: &Harness<'static, ZoneAtlasApp>, view: ViewState| -> Vec<String> {
        let session = &h.state().session;
        let mut menu = Harness::builder()
            .with_size([1600.0, 40.0])
            .with_context_setup(zoneatlas::app::fonts::install)
            .build_ui(|ui| {
                let (mut map, mut findings, mut board, mut layers) =
                    (MapMemory::default(), true, false, false);
                let panels = zoneatlas::app::panels::menu_bar::Panels {
                    findings: &mut findings,
                    dashboard: &mut board,
                    layers: &mut layers,
                };
                let _ = zoneatlas::app::panels::menu_bar::show(
                    ui,
                    session,
                    &view,
                    &Default::default(),
                    &mut map,
                    panels,
                );
            });
        menu.run();
        menu.query_all_by_label_contains("updating")
            .filter_map(|n| {
                use egui_kittest::kittest::NodeT;
                n.accesskit_node().label().or_else(|| n.value())
            })
            .collect()
    };
    let set = |h: &mut Harness<'static, ZoneAtlasApp>, d: Option<Date>| {
        let app = h.state_mut();
        app.apply(&ctx, Action::View(ViewAction::SetAsOf(d)));
        app.view.refresh(&app.session, &ctx);
        app.view.clone()
    };

    // Chosen: until the figures of 1 January 2015 arrive, today's are shown, and said to be.
    let d1 = Date::parse("2015-01-01").expect("date");
    let view = set(&mut h, Some(d1));
    assert!(view.figures_updating(&h.state().session));
    assert_eq!(view.shown_as_of(), None);
    assert_eq!(view.totals_all(&h.state().session), today);
    assert_eq!(
        control(&h, view),
        ["today's figures shown, updating…"],
        "said, and not as the date's"
    );
    settle(&mut h);
    let view = h.state().view.clone();
    assert_eq!(view.shown_as_of(), Some(d1));
    assert!(!view.figures_updating(&h.state().session));
    assert_eq!(view.totals_all(&h.state().session), on(&h, d1));
    assert!(control(&h, view).is_empty());

    // Another date: the figures of the first are shown meanwhile, with their date.
    let d2 = Date::parse("2020-07-01").expect("date");
    let view = set(&mut h, Some(d2));
    assert_eq!(view.shown_as_of(), Some(d1));
    assert_eq!(view.totals_all(&h.state().session), on(&h, d1));
    assert_eq!(
        control(&h, view),
        ["figures as of 2015-01-01 shown, updating…"]
    );
    settle(&mut h);
    assert_eq!(h.state().view.shown_as_of(), Some(d2));
    assert_eq!(h.state().view.totals_all(&h.state().session), on(&h, d2));

    // An edit: the date's figures are those of the data before it until the new arrive.
    let ds = &h.state().session.ds;
    let z = (0..ds.zones.len())
        .find(|z| ds.figures[*z].fill_rate_pct.is_some())
        .expect("a zone with a fill rate");
    let app = h.state_mut();
    app.apply(
        &ctx,
        Action::Edit(EditAction::Apply(Edit::one(
            LayerKind::Zones,
            z,
            "industrial_land_ha",
            Some(serde_json::Value::from(1)),
            "land",
        ))),
    );
    app.view.refresh(&app.session, &ctx);
    let view = app.view.clone();
    assert!(view.figures_updating(&h.state().session));
    assert_eq!(view.shown_as_of(), Some(d2));
    assert_eq!(control(&h, view), ["updating…"]);
    settle(&mut h);
    assert!(!h.state().view.figures_updating(&h.state().session));
    assert_eq!(
        h.state().view.totals_all(&h.state().session),
        on(&h, d2),
        "the date's figures of the edited data"
    );

    // Frame by frame after another date is chosen: a frame shows that date's figures (the
    // table's total of leased land), or says that it shows another date's, updating.
    let d3 = Date::parse("2018-01-01").expect("date");
    let leased = fmt_number(on(&h, d3).leased_ha, 2, Lang::En);
    h.state_mut()
        .apply(&ctx, Action::View(ViewAction::SetAsOf(Some(d3))));
    for _ in 0..200 {
        h.step();
        let updating = h.query_by_label_contains("shown, updating").is_some();
        let current = h.query_all_by_label(&leased).next().is_some();
        assert!(
            updating != current,
            "updating: {updating}, {leased} shown: {current}"
        );
        if current {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert_eq!(h.state().view.shown_as_of(), Some(d3));
}
