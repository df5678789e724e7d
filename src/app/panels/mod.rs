//! The panels around the map: the zone table (left), the inspector (right) and the findings
//! (bottom), the notice about legacy Vietnamese text ([`legacy_text`], above the map); the key figures of presentation mode and the dashboard ([`dashboard`]). Each
//! reads [`AppState`](super::state::AppState) and returns [`Action`](super::state::Action)s.

pub mod dashboard;
pub mod findings;
pub mod inspector;
pub mod legacy_text;
pub mod zone_table;

use crate::engine::figures::{FillBasis, ZoneFigures};
use crate::engine::properties::{LandUse, ParcelStatus, ZoneStatus};
use crate::i18n::{Lang, fmt_ha};

use crate::i18n::{Key, tr};

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
