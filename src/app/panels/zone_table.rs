//! The zone table: sortable columns, a search that ignores diacritics, totals for all zones
//! and for operating zones. A click selects the zone and flies the map to it.

use egui::{Align, Button, Grid, Layout, RichText, ScrollArea, TextEdit, Ui, vec2};
use std::cmp::Ordering;

use crate::app::action::{Action, ViewAction};
use crate::app::session::Session;
use crate::app::view::{FiguresStamp, Selection, ViewState};
use crate::engine::properties::fold_text;
use crate::i18n::{Key, tr};
use crate::i18n::{Lang, fmt_number, fmt_pct};

use crate::i18n::zone_status_text;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Name,
    Province,
    Status,
    Area,
    Industrial,
    Leased,
    Fill,
}

impl Column {
    pub const ALL: [Column; 7] = [
        Self::Name,
        Self::Province,
        Self::Status,
        Self::Area,
        Self::Industrial,
        Self::Leased,
        Self::Fill,
    ];

    /// Numbers are right-aligned and sort high to low first.
    fn numeric(self) -> bool {
        !matches!(self, Self::Name | Self::Province | Self::Status)
    }

    fn key(self) -> Key {
        match self {
            Self::Name => Key::ColName,
            Self::Province => Key::ColProvince,
            Self::Status => Key::ColStatus,
            Self::Area => Key::ColArea,
            Self::Industrial => Key::ColIndustrial,
            Self::Leased => Key::ColLeased,
            Self::Fill => Key::ColFill,
        }
    }
}

/// The widest a zone name gets in the table, points.
const NAME_WIDTH: f32 = 210.0;

/// What column widths depend on: the figures shown, language, sort column and direction.
type WidthsKey = (FiguresStamp, Lang, Column, bool);

/// What the rows' order depends on: the figures shown, the search, sort column and direction.
type RowsKey = (FiguresStamp, String, Column, bool);

/// The table's own state: search text, sort order, and what is worked out from the data once
/// per change rather than every frame (the order of hundreds of zones, the column widths).
pub struct ZoneTable {
    pub query: String,
    pub sort: Column,
    pub ascending: bool,
    /// Column widths and what they were measured for.
    widths: Option<(WidthsKey, [f32; 7])>,
    /// The rows in order, and what they were sorted for.
    rows: Option<(RowsKey, Vec<usize>)>,
}

impl Default for ZoneTable {
    fn default() -> Self {
        ZoneTable {
            query: String::new(),
            sort: Column::Name,
            ascending: true,
            widths: None,
            rows: None,
        }
    }
}

/// One cell of `width`, its content left- or right-aligned.
fn cell<R>(ui: &mut Ui, width: f32, height: f32, right: bool, add: impl FnOnce(&mut Ui) -> R) -> R {
    let layout = if right {
        Layout::right_to_left(Align::Center)
    } else {
        Layout::left_to_right(Align::Center)
    };
    ui.allocate_ui_with_layout(vec2(width, height), layout, |ui| {
        ui.set_min_size(vec2(width, height));
        ui.set_max_width(width);
        add(ui)
    })
    .inner
}

impl ZoneTable {
    /// The zones the table lists, in its order.
    pub fn rows(&self, session: &Session, view: &ViewState) -> Vec<usize> {
        match &self.rows {
            Some((k, rows)) if *k == self.rows_key(session, view) => rows.clone(),
            _ => self.sorted_rows(session, view),
        }
    }

    fn rows_key(&self, session: &Session, view: &ViewState) -> RowsKey {
        let stamp = view.figures_stamp(session);
        (stamp, self.query.clone(), self.sort, self.ascending)
    }

    /// [`Self::rows`], kept until what they depend on changes.
    fn cached_rows(&mut self, session: &Session, view: &ViewState) -> &[usize] {
        let key = self.rows_key(session, view);
        if self.rows.as_ref().is_none_or(|(k, _)| *k != key) {
            let rows = self.sorted_rows(session, view);
            self.rows = Some((key, rows));
        }
        self.rows.as_ref().map_or(&[], |(_, r)| r)
    }

    fn sorted_rows(&self, session: &Session, view: &ViewState) -> Vec<usize> {
        let ds = &session.ds;
        let q = fold_text(self.query.trim());
        let mut rows: Vec<usize> = ds
            .zones
            .live()
            .filter(|&z| {
                if q.is_empty() {
                    return true;
                }
                let item = &ds.zones.items[z];
                [
                    Some(item.name.as_str()),
                    item.province.as_deref(),
                    Some(item.id.as_str()),
                ]
                .into_iter()
                .flatten()
                .any(|s| fold_text(s).contains(&q))
            })
            .collect();
        // Names and provinces are folded once each, not at every comparison.
        let folded: Vec<String> = match self.sort {
            Column::Name => (0..ds.zones.len())
                .map(|z| fold_text(&ds.zones.items[z].name))
                .collect(),
            Column::Province => (0..ds.zones.len())
                .map(|z| fold_text(ds.zones.items[z].province.as_deref().unwrap_or("")))
                .collect(),
            _ => Vec::new(),
        };
        let figures = view.figures(session);
        let num = |x: Option<f64>| x.unwrap_or(f64::NEG_INFINITY);
        let cmp = |a: &usize, b: &usize| -> Ordering {
            let (za, zb) = (&ds.zones.items[*a], &ds.zones.items[*b]);
            let (fa, fb) = (&figures[*a], &figures[*b]);
            match self.sort {
                Column::Name | Column::Province => folded[*a].cmp(&folded[*b]),
                Column::Status => za.status.cmp(&zb.status),
                Column::Area => num(fa.measured.area_ha).total_cmp(&num(fb.measured.area_ha)),
                Column::Industrial => {
                    num(za.industrial_land_ha).total_cmp(&num(zb.industrial_land_ha))
                }
                Column::Leased => fa.measured.leased_ha.total_cmp(&fb.measured.leased_ha),
                Column::Fill => num(fa.fill_rate_pct).total_cmp(&num(fb.fill_rate_pct)),
            }
            .then(a.cmp(b))
        };
        rows.sort_by(|a, b| if self.ascending { cmp(a, b) } else { cmp(b, a) });
        rows
    }

    /// Each column as wide as its widest text (names at most [`NAME_WIDTH`]), measured again
    /// when the figures change. Only the longest texts of each column are measured (laying
    /// out every cell of hundreds of zones held the first frame for long): numbers of as many
    /// characters are as wide (the digits are of one width), and a name a few characters
    /// shorter than another is seldom wider (names are cut at [`NAME_WIDTH`] anyway).
    fn widths(
        &mut self,
        ui: &Ui,
        session: &Session,
        view: &ViewState,
        num: &dyn Fn(Option<f64>) -> String,
        pct: &dyn Fn(Option<f64>) -> String,
    ) -> [f32; 7] {
        let key = (
            view.figures_stamp(session),
            view.lang,
            self.sort,
            self.ascending,
        );
        if let Some((k, w)) = self.widths
            && k == key
        {
            return w;
        }
        let lang = view.lang;
        let ds = &session.ds;
        let font = egui::TextStyle::Body.resolve(ui.style());
        let button_pad = ui.spacing().button_padding.x * 2.0;
        let figures = view.figures(session);
        // Per column, its texts; the longest (in characters) are measured.
        let mut texts: [Vec<String>; 7] = Default::default();
        for z in ds.zones.live() {
            let (item, f) = (&ds.zones.items[z], &figures[z]);
            texts[0].push(item.name.clone());
            texts[1].push(item.province.clone().unwrap_or_default());
            texts[2].push(
                item.status
                    .map_or("", |s| zone_status_text(lang, s))
                    .to_string(),
            );
            texts[3].push(num(f.measured.area_ha));
            texts[4].push(num(item.industrial_land_ha));
            texts[5].push(num(leased(f)));
            texts[6].push(pct(f.fill_rate_pct));
        }
        let mut w: [f32; 7] = [0.0; 7];
        ui.ctx().fonts_mut(|fonts| {
            let mut measure = |i: usize, text: &str, pad: f32| {
                let x = fonts
                    .layout_no_wrap(text.to_string(), font.clone(), egui::Color32::WHITE)
                    .size()
                    .x
                    + pad;
                w[i] = w[i].max(x);
            };
            for (i, c) in Column::ALL.into_iter().enumerate() {
                let arrow = if c == self.sort { " ▼" } else { "" };
                measure(i, &format!("{}{arrow}", tr(lang, c.key())), button_pad);
            }
            for (i, column) in texts.iter_mut().enumerate() {
                column.sort_by_key(|t| std::cmp::Reverse(t.chars().count()));
                let longest = column.first().map_or(0, |t| t.chars().count());
                let pad = if i == 0 { button_pad } else { 0.0 };
                let near = column
                    .iter()
                    .take_while(|t| t.chars().count() + 3 > longest);
                for t in near.take(16) {
                    measure(i, t, pad);
                }
            }
        });
        w[0] = w[0].min(NAME_WIDTH);
        self.widths = Some((key, w));
        w
    }

    pub fn show(&mut self, ui: &mut Ui, session: &Session, view: &ViewState) -> Vec<Action> {
        let lang = view.lang;
        let t = |k| tr(lang, k);
        let mut actions = Vec::new();
        ui.heading(t(Key::ZonesHeading));
        ui.horizontal(|ui| {
            let label = ui.label(t(Key::Search));
            ui.add(
                TextEdit::singleline(&mut self.query)
                    .hint_text(t(Key::SearchHint))
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        });
        ui.add_space(4.0);
        let rows = self.cached_rows(session, view).to_vec();
        let ds = &session.ds;
        let num = |x: Option<f64>| {
            x.map_or_else(|| t(Key::NotSet).to_string(), |x| fmt_number(x, 2, lang))
        };
        let pct =
            |x: Option<f64>| x.map_or_else(|| t(Key::NotSet).to_string(), |x| fmt_pct(x, lang));
        // Totals first: always in view, whatever the table's scroll.
        Grid::new("zone_totals")
            .num_columns(5)
            .spacing([10.0, 2.0])
            .show(ui, |ui| {
                ui.label("");
                for k in [
                    Key::ColArea,
                    Key::ColIndustrial,
                    Key::ColLeased,
                    Key::ColFill,
                ] {
                    ui.label(RichText::new(t(k)).small());
                }
                ui.end_row();
                for (label, tot) in [
                    (t(Key::TotalAll), view.totals_all(session)),
                    (t(Key::TotalOperating), view.totals_operating(session)),
                ] {
                    ui.label(RichText::new(format!("{label} ({})", tot.zones)).strong());
                    ui.label(RichText::new(fmt_number(tot.area_ha, 2, lang)).strong());
                    ui.label(RichText::new(fmt_number(tot.industrial_land_ha, 2, lang)).strong());
                    ui.label(
                        RichText::new(num((!tot.leased_unknown).then_some(tot.leased_ha))).strong(),
                    );
                    ui.label(RichText::new(pct(tot.fill_rate_pct)).strong())
                        .on_hover_text(tot.basis_label());
                    ui.end_row();
                }
            });
        ui.separator();
        // Outside the grid: a long line in it would widen the name column for good.
        if rows.is_empty() {
            ui.add(
                egui::Label::new(t(if ds.zones.is_empty() {
                    Key::NoData
                } else {
                    Key::NoZonesMatch
                }))
                .wrap(),
            );
        }
        let widths = self.widths(ui, session, view, &num, &pct);
        let row_height = ui.spacing().interact_size.y;
        // One horizontal scroll for header and rows; only the rows in view are laid out, so a
        // national file of hundreds of zones costs what a screenful does.
        ScrollArea::horizontal()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    for (i, c) in Column::ALL.into_iter().enumerate() {
                        let arrow = if c == self.sort {
                            if self.ascending { " ▲" } else { " ▼" }
                        } else {
                            ""
                        };
                        let label = format!("{}{arrow}", t(c.key()));
                        let clicked = cell(ui, widths[i], row_height, c.numeric(), |ui| {
                            ui.add(Button::new(RichText::new(label).strong()).frame(false))
                                .clicked()
                        });
                        if clicked {
                            if self.sort == c {
                                self.ascending = !self.ascending;
                            } else {
                                self.sort = c;
                                self.ascending = !c.numeric();
                            }
                        }
                    }
                });
                ScrollArea::vertical()
                    .auto_shrink([false, false])
                    .show_rows(ui, row_height, rows.len(), |ui, range| {
                        for (k, &z) in rows[range.clone()].iter().enumerate() {
                            let item = &ds.zones.items[z];
                            let f = &view.figures(session)[z];
                            let selected = view.selection == Some(Selection::Zone(z));
                            // Stripes go under the row: its place is kept now, painted once
                            // its size is known.
                            let stripe = ui.painter().add(egui::Shape::Noop);
                            let row = ui.horizontal(|ui| {
                                // Long names are cut (in full on hover) so the figures stay in view.
                                let name = cell(ui, widths[0], row_height, false, |ui| {
                                    ui.add(
                                        Button::selectable(selected, item.name.as_str()).truncate(),
                                    )
                                });
                                if name.clicked() {
                                    actions.push(Action::View(ViewAction::Select {
                                        selection: Some(Selection::Zone(z)),
                                        fly: true,
                                    }));
                                }
                                let texts = [
                                    item.province
                                        .as_deref()
                                        .unwrap_or(t(Key::NotSet))
                                        .to_string(),
                                    item.status
                                        .map_or(t(Key::NotSet), |s| zone_status_text(lang, s))
                                        .to_string(),
                                    num(f.measured.area_ha),
                                    num(item.industrial_land_ha),
                                    num(leased(f)),
                                    pct(f.fill_rate_pct),
                                ];
                                for (i, text) in texts.into_iter().enumerate() {
                                    cell(
                                        ui,
                                        widths[i + 1],
                                        row_height,
                                        Column::ALL[i + 1].numeric(),
                                        |ui| ui.label(text),
                                    );
                                }
                            });
                            if (range.start + k) % 2 == 1 {
                                let r = row.response.rect;
                                let fill = ui.visuals().faint_bg_color;
                                ui.painter()
                                    .set(stripe, egui::Shape::rect_filled(r, 0.0, fill));
                            }
                        }
                    });
            });
        actions
    }
}

/// A zone's leased land; `None` (shown as not set) without a parcels file.
fn leased(f: &crate::engine::figures::ZoneFigures) -> Option<f64> {
    (!f.measured.leased_unknown).then_some(f.measured.leased_ha)
}
