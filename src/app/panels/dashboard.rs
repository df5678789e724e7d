//! The figures a board reports, large: the key figures of presentation mode and the dashboard.
//! Every figure is the engine's ([`Dataset::totals_all`], [`Dataset::totals_operating`]); this
//! module only lays them out, in the reader's language.

use egui::{Align2, Color32, CornerRadius, FontId, Pos2, Rect, RichText, Sense, Stroke, Ui, Vec2};

use crate::engine::dataset::Dataset;
use crate::engine::figures::{Totals, ZoneFigures};
use crate::engine::investment::{InvestmentType, Investors, investors};
use crate::engine::properties::{Date, ZoneStatus};
use crate::i18n::{Lang, fmt_date, fmt_ha, fmt_number, fmt_pct};

use crate::app::background::Job;
use crate::app::map::style;
use crate::app::session::Session;
use crate::app::view::{Selection, ViewState};
use crate::engine::as_of::{Trend, half_years, lease_range, trend};
use crate::i18n::{Key, tr, trf};

use crate::i18n::zone_status_text;

/// The accent of large values.
const VALUE: Color32 = Color32::from_rgb(120, 180, 255);

/// "Các khu công nghiệp tỉnh Bắc Ninh" when every zone is in one province; otherwise
/// "Các khu công nghiệp".
pub fn title(session: &Session, view: &ViewState) -> String {
    let lang = view.lang;
    let base = province_title(session, view);
    match view.shown_as_of() {
        Some(d) => format!(
            "{base}, {}",
            trf(lang, Key::AsOfDate, &[("date", &fmt_date(d, lang))])
        ),
        None => base,
    }
}

/// "Tính đến ngày…" at the head of a line.
fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn province_title(session: &Session, view: &ViewState) -> String {
    let lang = view.lang;
    let mut provinces = session
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
pub fn key_figures(ui: &mut Ui, session: &Session, view: &ViewState, size: f32) {
    let lang = view.lang;
    let t = |k| tr(lang, k);
    let all = view.totals_all(session);
    let op = view.totals_operating(session);
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

/// The heading of an investment type.
fn type_key(t: InvestmentType) -> Key {
    match t {
        InvestmentType::Fdi => Key::Fdi,
        InvestmentType::Ddi => Key::Ddi,
        InvestmentType::NotStated => Key::NotStated,
    }
}

/// Zones by fill rate (industrial-land basis), highest first; zones without a rate last, by
/// name.
pub fn ranking(ds: &Dataset, figures: &[ZoneFigures]) -> Vec<(usize, Option<f64>)> {
    let mut rows: Vec<(usize, Option<f64>)> = ds
        .zones
        .live()
        .map(|z| (z, figures[z].fill_rate_pct))
        .collect();
    rows.sort_by(|a, b| match (a.1, b.1) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => ds.zones.items[a.0].name.cmp(&ds.zones.items[b.0].name),
    });
    rows
}

/// What the trend and the investors are computed for: the session generation, and the
/// selected zone (trend) or the date of the figures shown (investors).
type TrendKey = (u64, Option<usize>);
type InvestorsKey = (u64, Option<Date>);

/// The dashboard's memory. The fill-rate trend (every zone measured again at every half-year)
/// and the investors (read from every lot's properties) take seconds on a million lots: they
/// are computed on other threads, and the last ones are shown until new ones arrive.
#[derive(Default)]
pub struct Dashboard {
    pub open: bool,
    /// `None`: the lots have no lease dates.
    trend: Job<TrendKey, Option<Trend>>,
    investors: Job<InvestorsKey, Option<Investors>>,
}

/// The fill rate on every half-year from the first lease to today (or the last lease date).
fn trend_of(ds: &Dataset, zone: Option<usize>) -> Option<Trend> {
    let (lo, hi) = lease_range(ds)?;
    let until = hi.min(crate::clock::today()).max(lo);
    Some(trend(ds, &half_years(lo, until), zone))
}

/// A quiet "updating…", for a part shown from an earlier state of the data. (No spinner: it
/// would repaint the window all the while, taking a core from the computation.)
fn updating(ui: &mut Ui, lang: Lang) {
    ui.label(RichText::new(tr(lang, Key::Updating)).weak());
}

impl Dashboard {
    /// The dashboard window (when open).
    pub fn show(&mut self, ctx: &egui::Context, session: &Session, view: &ViewState) {
        if !self.open {
            return;
        }
        let lang = view.lang;
        let mut open = self.open;
        egui::Window::new(tr(lang, Key::Dashboard))
            .id(egui::Id::unique("dashboard"))
            .open(&mut open)
            .default_size([980.0, 760.0])
            .default_pos([200.0, 60.0])
            .resizable(true)
            .collapsible(false)
            .show(ctx, |ui| {
                egui::ScrollArea::vertical()
                    .auto_shrink([false, false])
                    .show(ui, |ui| self.contents(ui, session, view));
            });
        self.open = open;
    }

    fn contents(&mut self, ui: &mut Ui, session: &Session, view: &ViewState) {
        self.summary(ui, session, view);
        self.details(ui, session, view);
    }

    /// Computes the trend and the investors for the data as it is now, on this thread (for a
    /// slide, which must be complete).
    pub fn compute_now(&mut self, session: &Session, view: &ViewState) {
        let (trend_key, investors_key) = self.keys(session, view);
        self.trend
            .compute_now(trend_key, || trend_of(&session.ds, trend_key.1));
        self.investors
            .compute_now(investors_key, || investors(&session.ds, investors_key.1));
    }

    /// New data is open: the trend and the investors of the old are dropped (a zone of theirs
    /// may not exist in the new).
    pub fn forget_data(&mut self) {
        self.trend.forget();
        self.investors.forget();
    }

    /// Whether the trend or the investors are being computed.
    pub fn is_busy(&self) -> bool {
        self.trend.is_running() || self.investors.is_running()
    }

    /// Waits for the trend and the investors being computed (tests).
    pub fn wait(&mut self) {
        self.trend.wait();
        self.investors.wait();
    }

    fn keys(&self, session: &Session, view: &ViewState) -> (TrendKey, InvestorsKey) {
        let zone = match view.selection {
            Some(Selection::Zone(z)) => Some(z),
            _ => None,
        };
        let generation = session.generation;
        ((generation, zone), (generation, view.shown_as_of()))
    }

    /// The dashboard in two columns (for a slide): figures and ranking, then trend and
    /// investors.
    pub fn two_columns(&mut self, ui: &mut Ui, session: &Session, view: &ViewState) {
        ui.columns(2, |cols| {
            self.summary(&mut cols[0], session, view);
            self.details(&mut cols[1], session, view);
        });
    }

    /// Zones by status, all and operating zones, provinces, the ranking.
    fn summary(&mut self, ui: &mut Ui, session: &Session, view: &ViewState) {
        let lang = view.lang;
        let t = |k| tr(lang, k);
        let ds = &session.ds;
        let all = view.totals_all(session);
        let op = view.totals_operating(session);

        if let Some(d) = view.shown_as_of() {
            ui.label(
                RichText::new(upper_first(&trf(
                    lang,
                    Key::AsOfDate,
                    &[("date", &fmt_date(d, lang))],
                )))
                .size(18.0)
                .strong(),
            );
        }
        // Zones by status.
        ui.label(
            RichText::new(operating_text(lang, &all))
                .size(30.0)
                .strong()
                .color(VALUE),
        );
        let mut counts: Vec<(ZoneStatus, usize)> = Vec::new();
        let mut unknown = 0;
        for z in &ds.zones.items {
            match z.status {
                Some(s) => match counts.iter_mut().find(|(c, _)| *c == s) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((s, 1)),
                },
                None => unknown += 1,
            }
        }
        let order = [
            ZoneStatus::Operating,
            ZoneStatus::UnderConstruction,
            ZoneStatus::Planned,
        ];
        counts.sort_by_key(|(s, _)| order.iter().position(|o| o == s));
        let mut parts: Vec<String> = counts
            .iter()
            .map(|(s, n)| format!("{}: {n}", zone_status_text(lang, *s)))
            .collect();
        if unknown > 0 {
            parts.push(format!("{}: {unknown}", t(Key::StatusUnknown)));
        }
        ui.label(RichText::new(parts.join("   ·   ")).size(17.0));
        ui.add_space(12.0);

        // All zones and operating zones, side by side.
        let size = 20.0;
        egui::Grid::new("dashboard_totals")
            .num_columns(3)
            .spacing([40.0, 8.0])
            .striped(true)
            .show(ui, |ui| {
                ui.label("");
                ui.label(RichText::new(t(Key::TotalAll)).size(size * 0.8).strong());
                ui.label(
                    RichText::new(t(Key::TotalOperating))
                        .size(size * 0.8)
                        .strong(),
                );
                ui.end_row();
                let big = |ui: &mut Ui, s: String| {
                    ui.label(RichText::new(s).size(size).strong().color(VALUE));
                };
                let rows: [(Key, String, String); 5] = [
                    (
                        Key::TotalArea,
                        fmt_ha(all.area_ha, lang),
                        fmt_ha(op.area_ha, lang),
                    ),
                    (
                        Key::IndustrialLand,
                        fmt_ha(all.industrial_land_ha, lang),
                        fmt_ha(op.industrial_land_ha, lang),
                    ),
                    (
                        Key::Leased,
                        fmt_ha(all.leased_ha, lang),
                        fmt_ha(op.leased_ha, lang),
                    ),
                    (
                        Key::FillRateIndustrial,
                        rate(lang, all.fill_rate_pct),
                        rate(lang, op.fill_rate_pct),
                    ),
                    (
                        Key::FillRateD35,
                        rate(lang, all.fill_rate_d35_pct),
                        rate(lang, op.fill_rate_d35_pct),
                    ),
                ];
                for (key, a, o) in rows {
                    ui.label(RichText::new(t(key)).size(size * 0.75));
                    big(ui, a);
                    big(ui, o);
                    ui.end_row();
                }
            });

        // Per province, when there are several.
        let provinces = view.totals_by_province(session);
        if provinces.len() > 1 {
            ui.add_space(16.0);
            ui.heading(t(Key::ByProvince));
            egui::Grid::new("dashboard_provinces")
                .num_columns(6)
                .spacing([24.0, 6.0])
                .striped(true)
                .show(ui, |ui| {
                    for k in [
                        Key::ColProvince,
                        Key::ZonesHeading,
                        Key::TotalArea,
                        Key::IndustrialLand,
                        Key::Leased,
                        Key::FillRateIndustrial,
                        Key::FillRateD35,
                    ] {
                        ui.label(RichText::new(t(k)).strong());
                    }
                    ui.end_row();
                    for (name, p) in &provinces {
                        ui.label(if name.is_empty() {
                            t(Key::NoProvince)
                        } else {
                            name.as_str()
                        });
                        ui.label(operating_text(lang, p));
                        ui.label(fmt_ha(p.area_ha, lang));
                        ui.label(fmt_ha(p.industrial_land_ha, lang));
                        ui.label(fmt_ha(p.leased_ha, lang));
                        ui.label(rate(lang, p.fill_rate_pct));
                        ui.label(rate(lang, p.fill_rate_d35_pct));
                        ui.end_row();
                    }
                });
        }

        // The ranking.
        ui.add_space(16.0);
        ui.heading(t(Key::FillRanking));
        ui.add_space(4.0);
        bar_chart(ui, session, view);
    }

    /// The fill rate over time and the investors.
    fn details(&mut self, ui: &mut Ui, session: &Session, view: &ViewState) {
        let lang = view.lang;
        let t = |k| tr(lang, k);
        let ctx = ui.ctx().clone();
        let (trend_key, investors_key) = self.keys(session, view);
        // The trend, for all zones and the selected zone; drawn with the zone it was computed
        // for (while the newly selected zone's is computed).
        self.trend.want(trend_key, &ctx, || {
            let ds = session.ds.clone();
            move || trend_of(&ds, trend_key.1)
        });
        match self.trend.latest() {
            Some(((_, zone), series)) => {
                if let Some(series) = series.as_ref() {
                    ui.add_space(16.0);
                    ui.heading(t(Key::FillTrend));
                    if !self.trend.is_current(&trend_key) {
                        updating(ui, lang);
                    }
                    ui.add_space(4.0);
                    trend_chart(ui, session, view, series, *zone);
                }
            }
            None => {
                ui.add_space(16.0);
                ui.heading(t(Key::FillTrend));
                updating(ui, lang);
            }
        }

        // Investors.
        ui.add_space(16.0);
        self.investors.want(investors_key, &ctx, || {
            let ds = session.ds.clone();
            move || investors(&ds, investors_key.1)
        });
        ui.heading(t(Key::InvestorsByType));
        let inv = match self.investors.latest() {
            Some((_, inv)) => inv.clone(),
            None => {
                updating(ui, lang);
                return;
            }
        };
        if !self.investors.is_current(&investors_key) {
            updating(ui, lang);
        }
        let Some(inv) = inv.as_ref() else {
            ui.label(t(Key::NoInvestorData));
            return;
        };
        let table = |ui: &mut Ui, id: &str, first: Key, rows: Vec<(String, usize, f64)>| {
            egui::Grid::new(id)
                .num_columns(3)
                .spacing([32.0, 6.0])
                .striped(true)
                .show(ui, |ui| {
                    for k in [first, Key::Projects, Key::CapitalMusd] {
                        ui.label(RichText::new(t(k)).strong());
                    }
                    ui.end_row();
                    // Figures right-aligned in cells as wide as their headings.
                    let right = |ui: &mut Ui, width: f32, text: String| {
                        ui.allocate_ui_with_layout(
                            Vec2::new(width, 22.0),
                            egui::Layout::right_to_left(egui::Align::Center),
                            |ui| ui.label(RichText::new(text).size(16.0).strong()),
                        );
                    };
                    for (what, n, capital) in rows {
                        ui.label(RichText::new(what).size(16.0));
                        right(ui, 90.0, n.to_string());
                        right(ui, 160.0, fmt_number(capital, 1, lang));
                        ui.end_row();
                    }
                });
        };
        table(
            ui,
            "dashboard_types",
            Key::InvestmentType,
            inv.by_type
                .iter()
                .map(|r| (t(type_key(r.what)).to_string(), r.projects, r.capital_musd))
                .collect(),
        );
        ui.add_space(12.0);
        ui.heading(t(Key::InvestorsByCountry));
        table(
            ui,
            "dashboard_countries",
            Key::Country,
            inv.by_country
                .iter()
                .map(|r| {
                    let name = r.what.clone().unwrap_or_else(|| t(Key::NotStated).into());
                    (name, r.projects, r.capital_musd)
                })
                .collect(),
        );
    }
}

/// Horizontal bars of the zones' fill rates, highest first, coloured as on the map.
fn bar_chart(ui: &mut Ui, session: &Session, view: &ViewState) {
    let lang = view.lang;
    let ds = &session.ds;
    let rows = ranking(ds, view.figures(session));
    let row_h = 22.0;
    let font = FontId::proportional(13.0);
    // The longest names are measured (hundreds laid out every frame held it for long).
    let mut names: Vec<&str> = ds
        .zones
        .live()
        .map(|z| ds.zones.items[z].name.as_str())
        .collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    let name_w = ui.fonts_mut(|f| {
        names
            .iter()
            .take(16)
            .map(|n| {
                f.layout_no_wrap(n.to_string(), font.clone(), Color32::WHITE)
                    .size()
                    .x
            })
            .fold(80.0_f32, f32::max)
    }) + 12.0;
    let value_w = 76.0;
    let width = ui.available_width().max(name_w + value_w + 120.0);
    let (rect, response) =
        ui.allocate_exact_size(Vec2::new(width, row_h * rows.len() as f32), Sense::hover());
    response.widget_info(|| {
        egui::WidgetInfo::labeled(
            egui::accesskit::Role::Figure,
            true,
            tr(lang, Key::FillRanking),
        )
    });
    let painter = ui.painter_at(rect);
    let max = rows
        .iter()
        .filter_map(|(_, r)| *r)
        .fold(100.0_f64, f64::max);
    let bar_x = rect.left() + name_w;
    let bar_w = (rect.width() - name_w - value_w).max(40.0);
    let text = ui.visuals().text_color();
    // The 100 % line.
    let x100 = bar_x + bar_w * (100.0 / max) as f32;
    painter.line_segment(
        [Pos2::new(x100, rect.top()), Pos2::new(x100, rect.bottom())],
        Stroke::new(1.0, ui.visuals().weak_text_color()),
    );
    // Only the rows in view are drawn.
    let clip = ui.clip_rect();
    for (k, (z, r)) in rows.iter().enumerate() {
        let y = rect.top() + k as f32 * row_h;
        if y + row_h < clip.top() || y > clip.bottom() {
            continue;
        }
        painter.text(
            Pos2::new(bar_x - 8.0, y + row_h / 2.0),
            Align2::RIGHT_CENTER,
            &ds.zones.items[*z].name,
            font.clone(),
            text,
        );
        let (len, color, label) = match r {
            Some(r) => (
                bar_w * (r.max(0.0) / max) as f32,
                style::fill_class(*r).color,
                fmt_pct(*r, lang),
            ),
            None => (
                0.0,
                style::NO_DENOMINATOR,
                tr(lang, Key::NotSet).to_string(),
            ),
        };
        let bar = Rect::from_min_size(
            Pos2::new(bar_x, y + 3.0),
            Vec2::new(len.max(1.0), row_h - 6.0),
        );
        painter.rect_filled(bar, CornerRadius::same(2), color);
        // The value sits on the panel's colour, so the 100 % line never runs through it.
        let galley = painter.layout_no_wrap(label, font.clone(), text);
        let at = Pos2::new(bar.right() + 6.0, y + (row_h - galley.size().y) / 2.0);
        painter.rect_filled(
            Rect::from_min_size(at, galley.size()).expand(2.0),
            CornerRadius::ZERO,
            ui.visuals().panel_fill,
        );
        painter.galley(at, galley, text);
    }
}

/// Lines of the fill rate over time: all zones, and the selected zone; the date of the view
/// marked.
fn trend_chart(ui: &mut Ui, session: &Session, view: &ViewState, t: &Trend, zone: Option<usize>) {
    let lang = view.lang;
    let (Some(first), Some(last)) = (t.dates.first(), t.dates.last()) else {
        return;
    };
    let width = ui.available_width().max(300.0);
    let (rect, response) = ui.allocate_exact_size(Vec2::new(width, 240.0), Sense::hover());
    response.widget_info(|| {
        egui::WidgetInfo::labeled(
            egui::accesskit::Role::Figure,
            true,
            tr(lang, Key::FillTrend),
        )
    });
    let painter = ui.painter_at(rect);
    let text = ui.visuals().text_color();
    let weak = ui.visuals().weak_text_color();
    let font = FontId::proportional(12.0);
    let plot = Rect::from_min_max(
        Pos2::new(rect.left() + 56.0, rect.top() + 28.0),
        Pos2::new(rect.right() - 16.0, rect.bottom() - 22.0),
    );
    let top = t
        .all
        .iter()
        .chain(&t.zone)
        .flatten()
        .fold(100.0_f64, |a, b| a.max(*b));
    let span = f64::from((last.0 - first.0).max(1));
    let x = |d: Date| plot.left() + plot.width() * (f64::from(d.0 - first.0) / span) as f32;
    let y = |r: f64| plot.bottom() - plot.height() * (r / top) as f32;
    for r in [0.0, 25.0, 50.0, 75.0, 100.0] {
        let yy = y(r);
        painter.line_segment(
            [Pos2::new(plot.left(), yy), Pos2::new(plot.right(), yy)],
            Stroke::new(0.5, weak),
        );
        painter.text(
            Pos2::new(plot.left() - 6.0, yy),
            Align2::RIGHT_CENTER,
            format!("{} %", fmt_number(r, 0, lang)),
            font.clone(),
            weak,
        );
    }
    // Years, as many as fit.
    let (y0, _, _) = first.ymd();
    let (y1, _, _) = last.ymd();
    let years = (y1 - y0 + 1).max(1);
    let step = (1..=50)
        .find(|s| plot.width() / (years as f32 / *s as f32) >= 48.0)
        .unwrap_or(50);
    for year in (y0..=y1 + 1).filter(|yr| (yr - y0) % step == 0) {
        if let Some(d) = Date::from_ymd(year, 1, 1).filter(|d| *d >= *first && *d <= *last) {
            let xx = x(d);
            painter.line_segment(
                [Pos2::new(xx, plot.top()), Pos2::new(xx, plot.bottom())],
                Stroke::new(0.5, weak),
            );
            painter.text(
                Pos2::new(xx, plot.bottom() + 3.0),
                Align2::CENTER_TOP,
                year.to_string(),
                font.clone(),
                weak,
            );
        }
    }
    if let Some(d) = view.shown_as_of().filter(|d| d >= first && d <= last) {
        painter.line_segment(
            [Pos2::new(x(d), plot.top()), Pos2::new(x(d), plot.bottom())],
            Stroke::new(1.5, text),
        );
    }
    let zone_color = Color32::from_rgb(240, 150, 50);
    let mut series = vec![(t.all.as_slice(), VALUE, tr(lang, Key::TotalAll).to_string())];
    if let Some(z) = zone {
        series.push((
            t.zone.as_slice(),
            zone_color,
            session.zone_name(z).to_string(),
        ));
    }
    let mut legend_x = plot.left();
    for (values, color, name) in series {
        let points: Vec<Pos2> = t
            .dates
            .iter()
            .zip(values)
            .filter_map(|(d, r)| r.map(|r| Pos2::new(x(*d), y(r))))
            .collect();
        painter.add(egui::Shape::line(points.clone(), Stroke::new(2.5, color)));
        for p in &points {
            painter.circle_filled(*p, 2.5, color);
        }
        // The last value, at the end of the line.
        if let (Some(p), Some(Some(r))) = (points.last(), values.last()) {
            painter.text(
                *p + Vec2::new(-4.0, -6.0),
                Align2::RIGHT_BOTTOM,
                fmt_pct(*r, lang),
                font.clone(),
                color,
            );
        }
        painter.line_segment(
            [
                Pos2::new(legend_x, rect.top() + 10.0),
                Pos2::new(legend_x + 22.0, rect.top() + 10.0),
            ],
            Stroke::new(2.5, color),
        );
        let r = painter.text(
            Pos2::new(legend_x + 28.0, rect.top() + 10.0),
            Align2::LEFT_CENTER,
            name,
            font.clone(),
            text,
        );
        legend_x = r.right() + 24.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::test_data::three_zones as dataset;

    #[test]
    fn the_ranking_puts_the_highest_rate_first() {
        let ds = crate::app::sample_dataset();
        let rows = ranking(&ds, &ds.figures);
        assert_eq!(rows.len(), 16);
        let rates: Vec<f64> = rows.iter().map(|r| r.1.expect("a rate")).collect();
        assert!(rates.windows(2).all(|w| w[0] >= w[1]), "{rates:?}");
        assert_eq!(ds.zones.items[rows[0].0].name, "KCN Quế Võ");
        assert_eq!(ds.zones.items[rows[15].0].name, "KCN Gia Bình II");
    }

    #[test]
    fn titles_name_the_province_when_there_is_one() {
        let session = Session::new(dataset(&[]));
        let mut view = ViewState::default();
        assert_eq!(title(&session, &view), "Industrial zones");
        view.lang = Lang::Vi;
        assert_eq!(title(&session, &view), "Các khu công nghiệp");
        let sample = Session::new(crate::app::sample_dataset());
        view.lang = Lang::En;
        assert_eq!(title(&sample, &view), "Industrial zones of Bắc Ninh");
    }
}
