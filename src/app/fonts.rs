//! Fonts: egui's built-in font has no Vietnamese letters (ế, ữ, Ạ…), so the app ships a cut-down
//! DejaVu Sans (`assets/`, with its licence) and puts it first. DejaVu runs wider than egui's
//! font, so text sizes come down a little.

use egui::{FontData, FontDefinitions, FontFamily, FontId, TextStyle};
use std::sync::Arc;

const DEJAVU_SANS: &[u8] = include_bytes!("../../assets/DejaVuSans-subset.ttf");

/// Installs the fonts and text sizes on a context (effective from the next frame).
pub fn install(ctx: &egui::Context) {
    ctx.all_styles_mut(|style| {
        for (text_style, size) in [
            (TextStyle::Body, 12.5),
            (TextStyle::Button, 12.5),
            (TextStyle::Small, 10.0),
            (TextStyle::Heading, 17.0),
        ] {
            let family = if text_style == TextStyle::Monospace {
                FontFamily::Monospace
            } else {
                FontFamily::Proportional
            };
            style
                .text_styles
                .insert(text_style, FontId::new(size, family));
        }
        style.spacing.item_spacing = egui::vec2(7.0, 3.0);
    });
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(
        "dejavu-sans".into(),
        Arc::new(FontData::from_static(DEJAVU_SANS)),
    );
    fonts
        .families
        .entry(FontFamily::Proportional)
        .or_default()
        .insert(0, "dejavu-sans".into());
    fonts
        .families
        .entry(FontFamily::Monospace)
        .or_default()
        .push("dejavu-sans".into());
    ctx.set_fonts(fonts);
}
