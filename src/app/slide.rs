//! Slides: the presentation layout (title, map with legend, key figures) drawn at a chosen size
//! in pixels, whatever the window's size, and rasterised on the CPU into an image for a PNG.
//!
//! egui lays the slide out and tessellates it into triangles; this module fills them (colour
//! and font-atlas texture, premultiplied alpha, in paint order).

use std::collections::HashMap;

use egui::epaint::{ClippedPrimitive, Primitive};
use egui::{Color32, ColorImage, ImageData, Pos2, RawInput, Rect, TextureId, vec2};

use super::map::MapMemory;
use super::state::AppState;

/// The presentation slide at `width` × `height` pixels.
pub fn render(state: &mut AppState, width: u32, height: u32) -> ColorImage {
    let ctx = egui::Context::default();
    super::fonts::install(&ctx);
    let mut map = MapMemory::default();
    map.text_scale = 1.6;
    let selection = state.selection.take();
    let hover = state.hover.take();
    let mut textures: HashMap<TextureId, ColorImage> = HashMap::new();
    let mut prims = Vec::new();
    // A few frames: fonts settle, the map fits, lazily built lot meshes complete.
    for frame in 0..12 {
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(
                Pos2::ZERO,
                vec2(width as f32, height as f32),
            )),
            ..Default::default()
        };
        let mut out = ctx.run_ui(input, |ui| {
            let _ = super::presentation(ui, state, &mut map, false);
        });
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
        if frame >= 3 && !map.stats.incomplete {
            break;
        }
    }
    state.selection = selection;
    state.hover = hover;
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
        let mut state = AppState::new(crate::app::sample_dataset(), None, None);
        state.lang = crate::engine::format::Lang::Vi;
        let img = render(&mut state, 1920, 1080);
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
        assert!(png.starts_with(b"\x89PNG"));
    }
}
