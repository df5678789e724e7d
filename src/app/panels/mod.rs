//! The panels: views over `&mut Ui` that read the [`Session`](super::session::Session) and the
//! [`ViewState`](super::view::ViewState) and return [`Action`](super::action::Action)s (each
//! keeps only its own memory: sort order, typed text). The [`menu_bar`] and the [`status_bar`];
//! around the map, the zone table (left), the inspector (right), the findings (bottom) and the
//! notice about legacy Vietnamese text ([`legacy_text`], above the map); the key figures of
//! presentation mode and the dashboard ([`dashboard`]). Also the words for the engine's
//! statuses and bases, shared by the panels and the map.

pub mod dashboard;
pub mod findings;
pub mod inspector;
pub mod legacy_text;
pub mod menu_bar;
pub mod status_bar;
pub mod zone_table;

use crate::engine::figures::{FillBasis, ZoneFigures};
use crate::engine::format::{Lang, fmt_ha};
use crate::engine::properties::{LandUse, ParcelStatus, ZoneStatus};

use super::i18n::{Key, tr};

pub fn zone_status_text(lang: Lang, s: ZoneStatus) -> &'static str {
    tr(
        lang,
        match s {
            ZoneStatus::Operating => Key::ZoneOperating,
            ZoneStatus::UnderConstruction => Key::ZoneUnderConstruction,
            ZoneStatus::Planned => Key::ZonePlanned,
        },
    )
}

pub fn parcel_status_text(lang: Lang, s: ParcelStatus) -> &'static str {
    tr(
        lang,
        match s {
            ParcelStatus::Leased => Key::ParcelLeased,
            ParcelStatus::Vacant => Key::ParcelVacant,
            ParcelStatus::Reserved => Key::ParcelReserved,
        },
    )
}

pub fn land_use_text(lang: Lang, u: LandUse) -> &'static str {
    tr(
        lang,
        match u {
            LandUse::Industrial => Key::LandIndustrial,
            LandUse::Service => Key::LandService,
        },
    )
}

/// The basis of a zone's fill rate in words, with the denominator.
pub fn basis_text(lang: Lang, f: &ZoneFigures) -> String {
    let words = basis_words(lang, f);
    match f.denominator_ha {
        Some(d) => format!("{words} ({})", fmt_ha(d, lang)),
        None => words.to_string(),
    }
}

/// The basis of a zone's fill rate in words.
pub fn basis_words(lang: Lang, f: &ZoneFigures) -> &'static str {
    tr(
        lang,
        match f.basis {
            Some(FillBasis::IndustrialLand) => Key::BasisIndustrialLand,
            Some(FillBasis::ParcelInventory) => Key::BasisParcelInventory,
            Some(FillBasis::GrossArea) => Key::BasisGrossArea,
            None => Key::BasisNone,
        },
    )
}
