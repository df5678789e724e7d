//! The figures a board reports, large: the key figures of presentation mode and the dashboard.
//! Every figure is the engine's ([`Dataset::totals_all`], [`Dataset::totals_operating`]); this
//! module only lays them out, in the reader's language.

use egui::{Color32, RichText, Ui};

use crate::engine::dataset::Dataset;
use crate::engine::figures::Totals;
use crate::engine::format::{Lang, fmt_ha, fmt_pct};

use crate::app::i18n::{Key, tr, trf};
use crate::app::state::AppState;

/// The accent of large values.
const VALUE: Color32 = Color32::from_rgb(120, 180, 255);

/// "Các khu công nghiệp tỉnh Bắc Ninh" when every zone is in one province; otherwise
/// "Các khu công nghiệp".
pub fn title(state: &AppState) -> String {
    let lang = state.lang;
    let mut provinces = state
        .ds
        .zones
        .items
        .iter()
        .map(|z| z.province.as_deref().unwrap_or("").trim());
    match provinces.next() {
        Some(first) if !first.is_empty() && provinces.all(|p| p == first) => {
            trf(lang, Key::PresentationTitleOf, &[("province", first)])
        }
        _ => tr(lang, Key::PresentationTitle).to_string(),
    }
}

/// "12/16 đang hoạt động".
pub fn operating_text(lang: Lang, t: &Totals) -> String {
    trf(
        lang,
        Key::ZonesOperatingOf,
        &[
            ("operating", &t.operating.to_string()),
            ("total", &t.zones.to_string()),
        ],
    )
}

fn rate(lang: Lang, r: Option<f64>) -> String {
    r.map_or_else(|| tr(lang, Key::NotSet).to_string(), |r| fmt_pct(r, lang))
}

/// A caption over a large value, and an optional smaller line under it.
pub fn big_figure(ui: &mut Ui, caption: &str, value: &str, sub: Option<&str>, size: f32) {
    ui.label(RichText::new(caption).size(size * 0.5).weak());
    ui.label(RichText::new(value).size(size).strong().color(VALUE));
    if let Some(sub) = sub {
        ui.label(RichText::new(sub).size(size * 0.42));
    }
    ui.add_space(size * 0.4);
}

/// The key figures of presentation mode, one under another: zones operating, total area,
/// industrial land, leased land, and the fill rate on both legal bases (all zones; operating
/// zones under each rate).
pub fn key_figures(ui: &mut Ui, ds: &Dataset, lang: Lang, size: f32) {
    let t = |k| tr(lang, k);
    let all = ds.totals_all();
    let op = ds.totals_operating();
    big_figure(
        ui,
        t(Key::ZonesHeading),
        &operating_text(lang, &all),
        None,
        size,
    );
    big_figure(
        ui,
        t(Key::TotalArea),
        &fmt_ha(all.area_ha, lang),
        None,
        size,
    );
    big_figure(
        ui,
        t(Key::IndustrialLand),
        &fmt_ha(all.industrial_land_ha, lang),
        None,
        size,
    );
    big_figure(ui, t(Key::Leased), &fmt_ha(all.leased_ha, lang), None, size);
    for (key, a, o) in [
        (Key::FillRateIndustrial, all.fill_rate_pct, op.fill_rate_pct),
        (
            Key::FillRateD35,
            all.fill_rate_d35_pct,
            op.fill_rate_d35_pct,
        ),
    ] {
        let sub = format!("{}: {}", t(Key::TotalOperating), rate(lang, o));
        big_figure(ui, t(key), &rate(lang, a), Some(&sub), size);
    }
}
