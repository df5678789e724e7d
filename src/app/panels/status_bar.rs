//! The status bar: the last message (red for an error); on the right, on a shared board, its
//! name and whether it is reached (with the edits not yet in it), the coordinate systems
//! converted from, what the last frame cost, the zoom and the pointer's
//! longitude and latitude.

use egui::{Align, Color32, Layout, RichText, Ui};

use crate::app::map::MapMemory;
use crate::app::session::Session;
use crate::app::view::ViewState;
use crate::i18n::fmt_number;
use crate::i18n::{Key, tr, trf};

pub fn show(ui: &mut Ui, session: &Session, view: &ViewState, map: &MapMemory) {
    let lang = view.lang;
    let t = |k| tr(lang, k);
    ui.horizontal(|ui| {
        if let Some(m) = &view.message {
            let color = if m.error {
                Color32::from_rgb(230, 80, 80)
            } else {
                ui.visuals().text_color()
            };
            ui.label(RichText::new(&m.text).color(color));
        }
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            if let Some(shared) = &session.shared {
                let board = trf(lang, Key::SharedBoard, &[("board", &shared.board.name)]);
                let unsent = session.unsent();
                let mut text = if shared.offline {
                    format!("{board} · {}", t(Key::BoardOfflineBadge))
                } else {
                    board
                };
                if unsent > 0 {
                    let n = unsent.to_string();
                    text = format!("{text} · {}", trf(lang, Key::BoardUnsent, &[("n", &n)]));
                }
                ui.label(RichText::new(text).small())
                    .on_hover_text(shared.url.as_str());
                ui.separator();
            }
            let ds = &session.ds;
            let converted = std::iter::once(&ds.zones.doc)
                .chain(ds.parcels.as_ref().map(|p| &p.doc))
                .filter_map(|d| d.crs.as_ref().map(|c| c.label()))
                .collect::<Vec<_>>();
            if !converted.is_empty() {
                let crs = converted.join(", ");
                let short = trf(lang, Key::ConvertedShort, &[("crs", &crs)]);
                ui.label(RichText::new(short).small().weak())
                    .on_hover_text(trf(lang, Key::ConvertedFrom, &[("crs", &crs)]));
            }
            let s = map.stats;
            let ms = |d: usize| fmt_number(s.build.as_secs_f64() * 1e3, d, lang);
            ui.label(RichText::new(format!("{} ms", ms(1))).small().weak())
                .on_hover_text(trf(
                    lang,
                    Key::FrameCost,
                    &[
                        ("ms", &ms(2)),
                        ("zones", &s.zones_drawn.to_string()),
                        ("parcels", &s.parcels_drawn.to_string()),
                        ("labels", &s.labels_drawn.to_string()),
                        ("vertices", &s.vertices.to_string()),
                    ],
                ));
            ui.label(format!(
                "{} {}",
                t(Key::Zoom),
                fmt_number(map.camera.zoom, 1, lang)
            ));
            if let Some(c) = map.cursor {
                let ns = t(if c.y >= 0.0 {
                    Key::CompassN
                } else {
                    Key::CompassS
                });
                let ew = t(if c.x >= 0.0 {
                    Key::CompassE
                } else {
                    Key::CompassW
                });
                ui.monospace(format!(
                    "{}° {ns}  {}° {ew}",
                    fmt_number(c.y.abs(), 5, lang),
                    fmt_number(c.x.abs(), 5, lang)
                ));
            }
        });
    });
}
