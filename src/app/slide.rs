//! Slides: the presentation layout (title, map with legend, key figures) drawn at a chosen size
//! in pixels, whatever the window's size, and rasterised on the CPU into an image for a PNG.
//!
//! egui lays the slide out and tessellates it into triangles; this module fills them (colour
//! and font-atlas texture, premultiplied alpha, in paint order).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use egui::epaint::{ClippedPrimitive, Primitive};
use egui::{Color32, ColorImage, ImageData, Pos2, RawInput, Rect, TextureId, vec2};

use egui::RichText;
use serde_json::Value;

use crate::engine::properties::{Date, ZONE_KEYS, canonical_key, read_number, value_text};
use crate::i18n::{fmt_date, fmt_ha, fmt_number, fmt_pct};

use super::map::basemap::BasemapLayer;
use super::map::reference::ReferenceLayers;
use super::map::{MapMemory, MapView};
use super::panels::presentation::presentation;
use super::session::Session;
use super::view::{Selection, ViewState};
use crate::engine::attributes::Choices;
use crate::i18n::{Key, choice_label, field_label, tr, trf};
use crate::i18n::{basis_text, zone_status_text};

/// How long a slide waits at most for basemap tiles that come over the network (those from
/// the disk cache or an MBTiles file come in milliseconds).
const BASEMAP_WAIT: Duration = Duration::from_secs(6);

/// What a slide's map draws under the zones: a basemap (its source, opacity, visibility; its
/// tiles waited for) and the window's reference layers, as the window shows them.
#[derive(Clone, Copy)]
pub struct Under<'a> {
    pub basemap: &'a BasemapLayer,
    pub reference: Option<&'a ReferenceLayers>,
}

/// A basemap alone.
impl<'a> From<&'a BasemapLayer> for Under<'a> {
    fn from(basemap: &'a BasemapLayer) -> Self {
        Under {
            basemap,
            reference: None,
        }
    }
}

/// The window's map: its basemap and its reference layers.
impl<'a> From<&'a MapMemory> for Under<'a> {
    fn from(map: &'a MapMemory) -> Self {
        Under {
            basemap: &map.basemap,
            reference: Some(&map.reference),
        }
    }
}

/// The presentation slide at `width` × `height` pixels (nothing selected), over `under` (the
/// window's basemap and reference layers, or a basemap alone).
pub fn render<'a>(
    session: &Session,
    view: &ViewState,
    under: impl Into<Under<'a>>,
    width: u32,
    height: u32,
) -> ColorImage {
    // The lots are drawn once their R-tree is there (the window builds it on another thread):
    // a slide waits for it.
    session.ds.parcel_index();
    let mut view = view.clone();
    view.selection = None;
    render_with(width, height, 1.6, under.into(), |ui, map| {
        let _ = presentation(ui, session, &view, map, false);
    })
}

/// The dashboard in two columns at `width` × `height` pixels.
pub fn dashboard(session: &Session, view: &ViewState, width: u32, height: u32) -> ColorImage {
    let mut board = super::panels::dashboard::Dashboard::default();
    board.compute_now(session, view);
    let none = BasemapLayer::default();
    render_with(width, height, 1.0, Under::from(&none), |ui, _| {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.label(
                RichText::new(super::panels::dashboard::title(session, view))
                    .size(28.0)
                    .strong(),
            );
            ui.add_space(8.0);
            board.two_columns(ui, session, view);
        });
    })
}

/// The slide's map with its legend alone, at `width` × `height` pixels (nothing selected),
/// over `under`: the map of the PDF report.
pub fn map<'a>(
    session: &Session,
    view: &ViewState,
    under: impl Into<Under<'a>>,
    width: u32,
    height: u32,
) -> ColorImage {
    session.ds.parcel_index();
    let mut view = view.clone();
    view.selection = None;
    render_with(width, height, 1.6, under.into(), |ui, map| {
        egui::CentralPanel::no_frame().show(ui, |ui| {
            let _ = MapView::new(session, &view, map).show(ui);
        });
    })
}

/// The PDF report's map of `ds` on `as_of` (`None`: today), its legend in `lang`: 1800 × 1100
/// pixels, about 220 dpi across an A4 page's text width.
pub fn report_map(
    ds: &crate::engine::dataset::Dataset,
    lang: crate::i18n::Lang,
    as_of: Option<Date>,
) -> crate::report::MapImage {
    let session = Session::new(ds.clone());
    let mut view = ViewState::default();
    view.lang = lang;
    view.as_of = as_of;
    view.settle(&session);
    let none = BasemapLayer::default();
    map_image(&map(&session, &view, &none, 1800, 1100))
}

/// An image as the PDF report takes it (unpremultiplied RGBA).
pub fn map_image(image: &ColorImage) -> crate::report::MapImage {
    crate::report::MapImage {
        width: image.size[0] as u32,
        height: image.size[1] as u32,
        rgba: image
            .pixels
            .iter()
            .flat_map(|c| c.to_srgba_unmultiplied())
            .collect(),
    }
}

/// A one-page sheet of zone `z` (selected on it): its map with its lots (outlined) over
/// `under`, its figures and its planning attributes.
pub fn zone_sheet<'a>(
    session: &Session,
    view: &ViewState,
    under: impl Into<Under<'a>>,
    z: usize,
    width: u32,
    height: u32,
) -> ColorImage {
    session.ds.parcel_index();
    let mut view = view.clone();
    view.selection = Some(Selection::Zone(z));
    let bounds = MapMemory::bounds_of(&session.ds, Selection::Zone(z));
    render_with(width, height, 1.2, under.into(), |ui, map| {
        // Framed at every frame: the map's size is known once the panels around it are laid
        // out, which may take frames (a frame or two was not always enough under load).
        if let Some(b) = bounds {
            map.needs_fit = false;
            map.camera.fit(b, map.view, 60.0);
        }
        sheet_ui(ui, session, &view, map, z);
    })
}

fn sheet_ui(ui: &mut egui::Ui, session: &Session, view: &ViewState, map: &mut MapMemory, z: usize) {
    let lang = view.lang;
    let t = |k| tr(lang, k);
    egui::Panel::top("sheet_title").show(ui, |ui| {
        ui.add_space(8.0);
        ui.label(RichText::new(session.zone_name(z)).size(32.0).strong());
        let item = &session.ds.zones.items[z];
        let mut line: Vec<String> = Vec::new();
        if let Some(p) = &item.province {
            line.push(p.clone());
        }
        if let Some(s) = item.status {
            line.push(zone_status_text(lang, s).to_string());
        }
        if let Some(d) = view.shown_as_of() {
            line.push(trf(lang, Key::AsOfDate, &[("date", &fmt_date(d, lang))]));
        }
        ui.label(RichText::new(line.join(" · ")).size(18.0).weak());
        ui.add_space(8.0);
    });
    egui::Panel::right("sheet_figures")
        .exact_size(760.0)
        .resizable(false)
        .show(ui, |ui| {
            ui.add_space(12.0);
            let f = view.figures(session)[z].clone();
            let none = t(Key::NotSet).to_string();
            let size = 17.0;
            ui.label(RichText::new(t(Key::Figures)).size(22.0).strong());
            egui::Grid::new("sheet_grid")
                .num_columns(2)
                .spacing([24.0, 6.0])
                .show(ui, |ui| {
                    let mut row = |k: Key, v: String| {
                        ui.label(RichText::new(t(k)).size(size));
                        ui.add(egui::Label::new(RichText::new(v).size(size).strong()).wrap());
                        ui.end_row();
                    };
                    row(
                        Key::MeasuredArea,
                        f.measured.area_ha.map_or(none.clone(), |a| fmt_ha(a, lang)),
                    );
                    row(Key::LeasedLand, fmt_ha(f.measured.leased_ha, lang));
                    row(
                        Key::LeasedServiceLand,
                        fmt_ha(f.measured.leased_service_ha, lang),
                    );
                    row(
                        Key::FillRate,
                        f.fill_rate_pct.map_or(none.clone(), |r| fmt_pct(r, lang)),
                    );
                    row(Key::Basis, basis_text(lang, &f));
                    row(
                        Key::FillRateD35,
                        f.fill_rate_d35_pct
                            .map_or(none.clone(), |r| fmt_pct(r, lang)),
                    );
                    let m = &f.measured;
                    row(
                        Key::ParcelsCount,
                        format!(
                            "{} / {} / {}",
                            m.parcels_leased, m.parcels_vacant, m.parcels_reserved
                        ),
                    );
                });
            ui.add_space(14.0);
            ui.label(
                RichText::new(t(Key::PlanningAttributes))
                    .size(22.0)
                    .strong(),
            );
            let props = session.ds.zones.doc.properties(z);
            egui::Grid::new("sheet_attributes")
                .num_columns(2)
                .spacing([24.0, 6.0])
                .show(ui, |ui| {
                    for spec in ZONE_KEYS {
                        let key = spec.canonical;
                        if matches!(key, "name" | "province" | "status") {
                            continue;
                        }
                        let Some((_, v)) = props
                            .iter()
                            .find(|(k, _)| canonical_key(ZONE_KEYS, k) == Some(key))
                        else {
                            continue;
                        };
                        let text = match (key, v) {
                            ("zone_type", Value::String(c)) => {
                                let l = Choices::ZoneType
                                    .parse(c)
                                    .map_or("", |code| choice_label(lang, Choices::ZoneType, code));
                                if l.is_empty() {
                                    c.clone()
                                } else {
                                    l.to_string()
                                }
                            }
                            (_, Value::Bool(b)) => t(if *b { Key::Yes } else { Key::No }).into(),
                            ("wastewater_capacity_m3_day", _) => {
                                read_number(v).ok().flatten().map_or_else(
                                    || value_text(v),
                                    |x| {
                                        format!(
                                            "{} {}",
                                            fmt_number(x, 0, lang),
                                            t(Key::UnitM3PerDay)
                                        )
                                    },
                                )
                            }
                            (k, _) if k.ends_with("_ha") => read_number(v)
                                .ok()
                                .flatten()
                                .map_or_else(|| value_text(v), |x| fmt_ha(x, lang)),
                            ("decision_date", _) => Date::parse(&value_text(v))
                                .map_or_else(|| value_text(v), |d| fmt_date(d, lang)),
                            (_, Value::Number(n)) => n
                                .as_f64()
                                .map_or_else(|| n.to_string(), |x| fmt_number(x, 2, lang)),
                            _ => value_text(v),
                        };
                        if text.trim().is_empty() {
                            continue;
                        }
                        ui.label(RichText::new(field_label(lang, key)).size(size));
                        ui.add(egui::Label::new(RichText::new(text).size(size)).wrap());
                        ui.end_row();
                    }
                });
        });
    egui::CentralPanel::no_frame().show(ui, |ui| {
        let _ = MapView::new(session, view, map).show(ui);
    });
}

/// Lays out `draw` at `width` × `height` pixels for a few frames (fonts settle, the map fits,
/// lazily built lot meshes complete, the basemap's tiles load) and rasterises the last.
fn render_with(
    width: u32,
    height: u32,
    text_scale: f32,
    under: Under<'_>,
    mut draw: impl FnMut(&mut egui::Ui, &mut MapMemory),
) -> ColorImage {
    let ctx = egui::Context::default();
    super::fonts::install(&ctx);
    let mut map = MapMemory::default();
    map.text_scale = text_scale;
    map.basemap = under.basemap.share();
    // Shared: each layer's shapes were made ready to draw once, when it was read.
    if let Some(reference) = under.reference {
        map.reference = reference.clone();
    }
    let deadline = Instant::now() + BASEMAP_WAIT;
    let mut textures: HashMap<TextureId, ColorImage> = HashMap::new();
    let mut prims = Vec::new();
    // A few frames: fonts settle, the map fits, lazily built lot meshes complete.
    // Laid out 1920 points wide whatever the size, so that a larger image is the same slide
    // sharper, not smaller type.
    let ppp = (width as f32 / 1920.0).max(0.25);
    for frame in 0..60 {
        let mut input = RawInput {
            screen_rect: Some(Rect::from_min_size(
                Pos2::ZERO,
                vec2(width as f32 / ppp, height as f32 / ppp),
            )),
            ..Default::default()
        };
        input
            .viewports
            .entry(egui::ViewportId::ROOT)
            .or_default()
            .native_pixels_per_point = Some(ppp);
        let mut out = ctx.run_ui(input, |ui| draw(ui, &mut map));
        for (id, deltas) in &out.textures_delta.set {
            for delta in deltas {
                let ImageData::Color(img) = &delta.image;
                match delta.pos {
                    None => {
                        textures.insert(*id, (**img).clone());
                    }
                    Some([x0, y0]) => {
                        if let Some(t) = textures.get_mut(id) {
                            for y in 0..img.size[1] {
                                for x in 0..img.size[0] {
                                    let (tx, ty) = (x0 + x, y0 + y);
                                    if tx < t.size[0] && ty < t.size[1] {
                                        t.pixels[ty * t.size[0] + tx] =
                                            img.pixels[y * img.size[0] + x];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        out.textures_delta.clear(); // applied above
        prims = ctx.tessellate(out.shapes, out.pixels_per_point);
        // The lots' shapes are built on another thread: waited for, so that whether lots are
        // drawn never depends on how busy the machine is.
        let busy = map.cache.is_busy();
        if busy {
            map.cache.wait();
        }
        // The basemap's tiles: waited for (from the disk cache or an MBTiles file they come
        // at once; over the network, for a few seconds at most), then made textures.
        if map.basemap.stats.pending > 0 {
            map.basemap.wait_for_visible(deadline);
        }
        let tiles = map.basemap.is_incomplete() && Instant::now() < deadline;
        if frame >= 3 && !map.stats.incomplete && !busy && !tiles {
            break;
        }
    }
    // Points to pixels.
    for prim in &mut prims {
        prim.clip_rect = Rect::from_min_max(
            (prim.clip_rect.min.to_vec2() * ppp).to_pos2(),
            (prim.clip_rect.max.to_vec2() * ppp).to_pos2(),
        );
        if let Primitive::Mesh(mesh) = &mut prim.primitive {
            for v in &mut mesh.vertices {
                v.pos = (v.pos.to_vec2() * ppp).to_pos2();
            }
        }
    }
    rasterise(&prims, &textures, [width as usize, height as usize])
}

/// Fills the triangles into an image of `size` pixels over the panel colour.
pub fn rasterise(
    prims: &[ClippedPrimitive],
    textures: &HashMap<TextureId, ColorImage>,
    size: [usize; 2],
) -> ColorImage {
    let [w, h] = size;
    let mut px = vec![[0.0f32; 4]; w * h];
    for prim in prims {
        let Primitive::Mesh(mesh) = &prim.primitive else {
            continue;
        };
        let tex = textures.get(&mesh.texture_id);
        let clip = prim.clip_rect;
        for t in mesh.indices.chunks(3) {
            let [a, b, c] = [t[0], t[1], t[2]].map(|i| mesh.vertices[i as usize]);
            let area = (b.pos.x - a.pos.x) * (c.pos.y - a.pos.y)
                - (c.pos.x - a.pos.x) * (b.pos.y - a.pos.y);
            if area.abs() < 1e-6 {
                continue;
            }
            let min_x = a.pos.x.min(b.pos.x).min(c.pos.x).max(clip.left()).max(0.0);
            let max_x = a
                .pos
                .x
                .max(b.pos.x)
                .max(c.pos.x)
                .min(clip.right())
                .min(w as f32);
            let min_y = a.pos.y.min(b.pos.y).min(c.pos.y).max(clip.top()).max(0.0);
            let max_y = a
                .pos
                .y
                .max(b.pos.y)
                .max(c.pos.y)
                .min(clip.bottom())
                .min(h as f32);
            if min_x >= max_x || min_y >= max_y {
                continue;
            }
            let ca = a.color.to_array().map(f32::from);
            let cb = b.color.to_array().map(f32::from);
            let cc = c.color.to_array().map(f32::from);
            for y in (min_y.floor() as usize)..(max_y.ceil() as usize).min(h) {
                for x in (min_x.floor() as usize)..(max_x.ceil() as usize).min(w) {
                    let p = Pos2::new(x as f32 + 0.5, y as f32 + 0.5);
                    let w0 = ((b.pos.x - p.x) * (c.pos.y - p.y)
                        - (c.pos.x - p.x) * (b.pos.y - p.y))
                        / area;
                    let w1 = ((c.pos.x - p.x) * (a.pos.y - p.y)
                        - (a.pos.x - p.x) * (c.pos.y - p.y))
                        / area;
                    let w2 = 1.0 - w0 - w1;
                    if w0 < 0.0 || w1 < 0.0 || w2 < 0.0 {
                        continue;
                    }
                    let mut src = [0.0f32; 4];
                    for k in 0..4 {
                        src[k] = (ca[k] * w0 + cb[k] * w1 + cc[k] * w2) / 255.0;
                    }
                    if let Some(tex) = tex {
                        let u = a.uv.x * w0 + b.uv.x * w1 + c.uv.x * w2;
                        let v = a.uv.y * w0 + b.uv.y * w1 + c.uv.y * w2;
                        let tx = ((u * tex.size[0] as f32) as usize).min(tex.size[0] - 1);
                        let ty = ((v * tex.size[1] as f32) as usize).min(tex.size[1] - 1);
                        let texel = tex.pixels[ty * tex.size[0] + tx].to_array();
                        for k in 0..4 {
                            src[k] *= f32::from(texel[k]) / 255.0;
                        }
                    }
                    // Premultiplied "over".
                    let dst = &mut px[y * w + x];
                    for k in 0..4 {
                        dst[k] = src[k] + dst[k] * (1.0 - src[3]);
                    }
                }
            }
        }
    }
    let pixels = px
        .iter()
        .map(|p| {
            // Opaque over the panel colour where nothing covered the pixel fully.
            let back = [27.0 / 255.0; 3];
            let rgb = |k: usize| ((p[k] + back[k] * (1.0 - p[3])).clamp(0.0, 1.0) * 255.0) as u8;
            Color32::from_rgb(rgb(0), rgb(1), rgb(2))
        })
        .collect();
    ColorImage::new(size, pixels)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slide_has_the_requested_size_whatever_the_window_and_is_not_blank() {
        let session = Session::new(crate::app::sample_dataset());
        let mut view = ViewState::default();
        view.lang = crate::i18n::Lang::Vi;
        let img = render(&session, &view, &BasemapLayer::default(), 1920, 1080);
        assert_eq!(img.size, [1920, 1080]);
        let distinct: std::collections::HashSet<[u8; 4]> =
            img.pixels.iter().map(|c| c.to_array()).collect();
        assert!(distinct.len() > 50, "{} colours", distinct.len());
        // The map's paper colour fills much of it; the title is light text on the panel.
        let light = img
            .pixels
            .iter()
            .filter(|c| c.r() > 200 && c.g() > 200)
            .count();
        assert!(light > 1920 * 1080 / 10, "{light} light pixels");
        let png = crate::app::files::png_bytes(&img).expect("png");
        let z = session
            .ds
            .zones
            .items
            .iter()
            .position(|z| z.name == "KCN Quế Võ")
            .expect("zone");
        let sheet = zone_sheet(&session, &view, &BasemapLayer::default(), z, 1920, 1080);
        assert_eq!(sheet.size, [1920, 1080]);
        assert!(png.starts_with(b"\x89PNG"));
    }
}
