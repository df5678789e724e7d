//! Colours of the map: zones by fill-rate class, parcels by status.

use egui::Color32;

use crate::engine::figures::ZoneFigures;
use crate::engine::palette;
use crate::engine::properties::ParcelStatus;

pub const BACKGROUND: Color32 = Color32::from_rgb(238, 236, 229);
pub const ZONE_OUTLINE: Color32 = Color32::from_rgb(40, 52, 70);
pub const PARCEL_OUTLINE: Color32 = Color32::from_rgb(90, 90, 90);
pub const HOVER: Color32 = Color32::from_rgb(255, 255, 255);
pub const SELECTED: Color32 = Color32::from_rgb(230, 20, 140);
pub const LABEL_TEXT: Color32 = Color32::from_rgb(20, 24, 32);
pub const LABEL_BACK: Color32 = Color32::from_rgba_premultiplied(245, 245, 240, 215);

/// A fill-rate class of the legend (the engine's [`palette::FillClass`] in egui's colour).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FillClass {
    /// Lower bound, %, inclusive (the first class starts at −∞).
    pub from: f64,
    pub label: &'static str,
    pub color: Color32,
}

const fn rgb(c: [u8; 3]) -> Color32 {
    Color32::from_rgb(c[0], c[1], c[2])
}

const fn class(k: usize) -> FillClass {
    let c = palette::FILL_CLASSES[k];
    FillClass {
        from: c.from,
        label: c.label,
        color: rgb(c.rgb),
    }
}

/// The classes, low to high (the engine's [`palette::FILL_CLASSES`], which the KML export
/// uses too). A rate over 100 % is a data error and shows red.
pub const FILL_CLASSES: [FillClass; 6] =
    [class(0), class(1), class(2), class(3), class(4), class(5)];

/// Zones whose rate has no legal denominator (none at all, or only the gross area).
pub const NO_DENOMINATOR: Color32 = rgb(palette::NO_DENOMINATOR);

/// The colour of a zone: its fill-rate class, or grey without a denominator.
pub fn zone_color(f: &ZoneFigures) -> Color32 {
    rgb(palette::zone_rgb(f))
}

pub fn fill_class(rate: f64) -> &'static FillClass {
    FILL_CLASSES
        .iter()
        .rev()
        .find(|c| rate >= c.from)
        .unwrap_or(&FILL_CLASSES[0])
}

/// Whether text on this colour should be white.
pub fn is_dark(c: Color32) -> bool {
    let [r, g, b, _] = c.to_array();
    0.299 * f32::from(r) + 0.587 * f32::from(g) + 0.114 * f32::from(b) < 128.0
}

pub fn parcel_color(s: ParcelStatus) -> Color32 {
    rgb(palette::parcel_rgb(s))
}

/// Zone fill over the background: translucent so parcels and holes read.
pub fn translucent(c: Color32, alpha: u8) -> Color32 {
    let [r, g, b, _] = c.to_array();
    Color32::from_rgba_unmultiplied(r, g, b, alpha)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_cover_every_rate() {
        assert_eq!(fill_class(-1.0).label, "< 20 %");
        assert_eq!(fill_class(20.0).label, "20 – 40 %");
        assert_eq!(fill_class(79.99).label, "60 – 80 %");
        assert_eq!(fill_class(100.0).label, "80 – 100 %");
        assert_eq!(fill_class(100.5).label, "> 100 %");
    }
}
