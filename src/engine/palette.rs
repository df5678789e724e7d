//! The colours of zones by fill-rate class and of lots by status, as plain RGB: the map
//! ([`crate::app`]'s style) and the KML export ([`super::source::kml`]) draw with the same ones.

use super::figures::{FillBasis, ZoneFigures};
use super::properties::ParcelStatus;

/// A fill-rate class of the legend.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FillClass {
    /// Lower bound, %, inclusive (the first class starts at −∞).
    pub from: f64,
    pub label: &'static str,
    pub rgb: [u8; 3],
}

/// The classes, low to high. A rate over 100 % is a data error and shows red.
pub const FILL_CLASSES: [FillClass; 6] = [
    FillClass {
        from: f64::NEG_INFINITY,
        label: "< 20 %",
        rgb: [222, 235, 247],
    },
    FillClass {
        from: 20.0,
        label: "20 – 40 %",
        rgb: [174, 206, 228],
    },
    FillClass {
        from: 40.0,
        label: "40 – 60 %",
        rgb: [116, 169, 207],
    },
    FillClass {
        from: 60.0,
        label: "60 – 80 %",
        rgb: [54, 124, 184],
    },
    FillClass {
        from: 80.0,
        label: "80 – 100 %",
        rgb: [16, 78, 139],
    },
    FillClass {
        from: 100.0 + 1e-9,
        label: "> 100 %",
        rgb: [200, 30, 30],
    },
];

/// Zones whose rate has no legal denominator (none at all, or only the gross area).
pub const NO_DENOMINATOR: [u8; 3] = [178, 178, 178];

/// The class of a rate.
pub fn fill_class(rate: f64) -> &'static FillClass {
    FILL_CLASSES
        .iter()
        .rev()
        .find(|c| rate >= c.from)
        .unwrap_or(&FILL_CLASSES[0])
}

/// A zone's fill-rate class (its position in [`FILL_CLASSES`]), `None` without a legal
/// denominator (drawn [`NO_DENOMINATOR`]).
pub fn zone_class(f: &ZoneFigures) -> Option<usize> {
    match (f.basis, f.fill_rate_pct) {
        (Some(FillBasis::IndustrialLand | FillBasis::ParcelInventory), Some(rate)) => {
            FILL_CLASSES.iter().rposition(|c| rate >= c.from)
        }
        _ => None,
    }
}

/// The colour of a zone: its fill-rate class, or grey without a denominator.
pub fn zone_rgb(f: &ZoneFigures) -> [u8; 3] {
    zone_class(f).map_or(NO_DENOMINATOR, |c| FILL_CLASSES[c].rgb)
}

/// The colour of a lot of this status.
pub fn parcel_rgb(s: ParcelStatus) -> [u8; 3] {
    match s {
        ParcelStatus::Leased => [240, 140, 40],
        ParcelStatus::Vacant => [250, 250, 245],
        ParcelStatus::Reserved => [160, 130, 200],
    }
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
