//! The map's legend in meetings: it goes to the corner where it hides least of the zones, and a
//! click on it closes it to its title (and opens it again), selecting nothing.

mod common;

use common::{harness, settle, zone_named};
use egui::{Modifiers, Pos2, Rect, vec2};
use egui_kittest::Harness;
use geo::Coord;

use zoneatlas::app::dialogs::TestDialogs;
use zoneatlas::app::{ZoneAtlasApp, sample_dataset};

type H = Harness<'static, ZoneAtlasApp>;

fn click(h: &mut H, pos: Pos2) {
    common::click_with(h, pos, Modifiers::NONE);
}

/// A zone's box on screen now.
fn zone_on_screen(h: &H, z: usize) -> Rect {
    let b = h.state().session.ds.zones.shapes[z].bbox().expect("bbox");
    let map = &h.state().map;
    let (p, q) = (
        map.screen_pos(Coord {
            x: b.min().x,
            y: b.min().y,
        }),
        map.screen_pos(Coord {
            x: b.max().x,
            y: b.max().y,
        }),
    );
    Rect::from_two_pos(p, q)
}

fn overlap(a: Rect, b: Rect) -> f32 {
    let i = a.intersect(b);
    if i.is_positive() { i.area() } else { 0.0 }
}

#[test]
fn the_legend_moves_off_the_zones_and_a_click_closes_and_opens_it() {
    let mut h = harness(ZoneAtlasApp::new(
        sample_dataset(),
        Box::new(TestDialogs::new()),
    ));
    let z = zone_named(&h.state().session.ds, "KCN Quế Võ");
    // The zone large, in the map's bottom-left part: where the legend stood.
    let b = h.state().session.ds.zones.shapes[z].bbox().expect("bbox");
    let view = h.state().map.view;
    h.state_mut().map.camera.fit(b, view, 40.0);
    h.state_mut()
        .map
        .camera
        .pan(vec2(-view.width() * 0.3, view.height() * 0.3));
    settle(&mut h);
    let zone = zone_on_screen(&h, z);
    let legend = h.state().map.legend_rect;
    assert!(legend.is_positive(), "a legend is drawn");
    let bottom_left = Rect::from_min_size(
        Pos2::new(view.left() + 10.0, view.bottom() - legend.height() - 10.0),
        legend.size(),
    );
    assert!(
        overlap(bottom_left, zone) > 0.0,
        "the zone lies where the legend used to be"
    );
    assert!(
        overlap(legend, zone) < overlap(bottom_left, zone),
        "the legend hides less of the zone: {legend:?} over {zone:?}"
    );

    // A click on it closes it to its title, and selects nothing; another opens it.
    let selection = h.state().view.selection;
    let open_height = legend.height();
    click(&mut h, legend.center_top() + vec2(0.0, 8.0));
    assert!(h.state().map.legend_collapsed);
    assert!(h.state().map.legend_rect.height() < open_height / 3.0);
    assert_eq!(h.state().view.selection, selection);
    let closed = h.state().map.legend_rect;
    click(&mut h, closed.center());
    assert!(!h.state().map.legend_collapsed);
    assert_eq!(h.state().map.legend_rect.height(), open_height);
}

/// No two zone labels overlap, none covers the legend, all are on the map: at several zooms,
/// in both languages, and in presentation mode's larger type.
#[test]
fn zone_labels_never_cover_one_another_or_the_legend() {
    let mut h = harness(ZoneAtlasApp::new(
        sample_dataset(),
        Box::new(TestDialogs::new()),
    ));
    let mut seen = 0;
    for (lang, present) in [
        (zoneatlas::i18n::Lang::En, false),
        (zoneatlas::i18n::Lang::Vi, false),
        (zoneatlas::i18n::Lang::Vi, true),
    ] {
        h.state_mut().view.lang = lang;
        h.state_mut().map.text_scale = if present { 1.6 } else { 1.0 };
        let ds = h.state().session.ds.clone();
        h.state_mut().map.fit_all(&ds);
        settle(&mut h);
        for zoom in 0..5 {
            let (map, view) = (&h.state().map, h.state().map.view);
            let labels = map.label_rects.clone();
            let legend = map.legend_rect;
            for (i, a) in labels.iter().enumerate() {
                assert!(
                    view.contains_rect(*a),
                    "{lang:?} zoom {zoom}: {a:?} on the map"
                );
                assert!(
                    !a.intersects(legend),
                    "{lang:?} zoom {zoom}: {a:?} over the legend"
                );
                for b in &labels[i + 1..] {
                    assert!(!a.intersects(*b), "{lang:?} zoom {zoom}: {a:?} over {b:?}");
                }
            }
            seen += labels.len();
            let centre = view.center();
            h.state_mut().map.camera.zoom_about(centre, view, 1.5);
            settle(&mut h);
        }
    }
    assert!(seen > 20, "labels were drawn: {seen}");
}

/// In presentation mode, fitted to the province, every one of the sample's 16 zones is
/// labelled, each label beside its own zone (touching its box, at most a few pixels off): a
/// label that cannot go under its zone moves above or beside it, flush with either side,
/// rather than dropping out — in both languages.
#[test]
fn presenting_the_province_labels_every_zone_beside_itself() {
    for lang in [zoneatlas::i18n::Lang::En, zoneatlas::i18n::Lang::Vi] {
        let mut h = harness(ZoneAtlasApp::new(
            sample_dataset(),
            Box::new(TestDialogs::new()),
        ));
        h.state_mut().view.lang = lang;
        h.key_press(egui::Key::F11);
        h.run();
        assert!(h.state().view.presenting);
        let ds = h.state().session.ds.clone();
        h.state_mut().map.fit_all(&ds);
        settle(&mut h);
        let labels = h.state().map.label_rects.clone();
        assert_eq!(labels.len(), ds.zones.len(), "{lang:?}: {labels:?}");
        // Each zone has a label next to it, and no label is far from every zone.
        let zones: Vec<Rect> = (0..ds.zones.len()).map(|z| zone_on_screen(&h, z)).collect();
        for (z, r) in zones.iter().enumerate() {
            assert!(
                labels.iter().any(|l| l.intersects(r.expand(6.0))),
                "{lang:?}: zone {} has no label beside it",
                ds.zones.items[z].name
            );
        }
    }
}
