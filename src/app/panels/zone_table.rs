//! The zone table: sortable columns, a search that ignores diacritics, totals for all zones
//! and for operating zones. A click selects the zone and flies the map to it.

use egui::{Button, Grid, RichText, ScrollArea, TextEdit, Ui};
use std::cmp::Ordering;

use crate::app::i18n::{Key, tr};
use crate::app::state::{Action, AppState, Selection};
use crate::engine::format::{fmt_number, fmt_pct};
use crate::engine::properties::fold_text;

use super::zone_status_text;

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

/// The table's own state: search text and sort order.
pub struct ZoneTable {
    pub query: String,
    pub sort: Column,
    pub ascending: bool,
}

impl Default for ZoneTable {
    fn default() -> Self {
        ZoneTable {
            query: String::new(),
            sort: Column::Name,
            ascending: true,
        }
    }
}

impl ZoneTable {
    /// The zones the table lists, in its order.
    pub fn rows(&self, state: &AppState) -> Vec<usize> {
        let ds = &state.ds;
        let q = fold_text(self.query.trim());
        let mut rows: Vec<usize> = (0..ds.zones.len())
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
        let num = |x: Option<f64>| x.unwrap_or(f64::NEG_INFINITY);
        let cmp = |a: &usize, b: &usize| -> Ordering {
            let (za, zb) = (&ds.zones.items[*a], &ds.zones.items[*b]);
            let (fa, fb) = (&ds.figures[*a], &ds.figures[*b]);
            match self.sort {
                Column::Name => fold_text(&za.name).cmp(&fold_text(&zb.name)),
                Column::Province => fold_text(za.province.as_deref().unwrap_or(""))
                    .cmp(&fold_text(zb.province.as_deref().unwrap_or(""))),
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

    pub fn show(&mut self, ui: &mut Ui, state: &AppState) -> Vec<Action> {
        let lang = state.lang;
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
        let rows = self.rows(state);
        let ds = &state.ds;
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
                    (t(Key::TotalAll), ds.totals_all()),
                    (t(Key::TotalOperating), ds.totals_operating()),
                ] {
                    ui.label(RichText::new(format!("{label} ({})", tot.zones)).strong());
                    ui.label(RichText::new(fmt_number(tot.area_ha, 2, lang)).strong());
                    ui.label(RichText::new(fmt_number(tot.industrial_land_ha, 2, lang)).strong());
                    ui.label(RichText::new(fmt_number(tot.leased_ha, 2, lang)).strong());
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
        ScrollArea::both()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                Grid::new("zone_table")
                    .striped(true)
                    .num_columns(7)
                    .spacing([7.0, 4.0])
                    .show(ui, |ui| {
                        for c in Column::ALL {
                            let arrow = if c == self.sort {
                                if self.ascending { " ▲" } else { " ▼" }
                            } else {
                                ""
                            };
                            let label = format!("{}{arrow}", t(c.key()));
                            if ui
                                .add(Button::new(RichText::new(label).strong()).frame(false))
                                .clicked()
                            {
                                if self.sort == c {
                                    self.ascending = !self.ascending;
                                } else {
                                    self.sort = c;
                                    self.ascending = matches!(
                                        c,
                                        Column::Name | Column::Province | Column::Status
                                    );
                                }
                            }
                        }
                        ui.end_row();
                        for &z in &rows {
                            let item = &ds.zones.items[z];
                            let f = &ds.figures[z];
                            let selected = state.selection == Some(Selection::Zone(z));
                            // Long names are cut (in full on hover) so the figures stay in view.
                            let name = ui
                                .scope(|ui| {
                                    ui.set_max_width(NAME_WIDTH);
                                    ui.add(
                                        Button::selectable(selected, item.name.as_str()).truncate(),
                                    )
                                })
                                .inner;
                            if name.clicked() {
                                actions.push(Action::Select {
                                    selection: Some(Selection::Zone(z)),
                                    fly: true,
                                });
                            }
                            ui.label(item.province.as_deref().unwrap_or(t(Key::NotSet)));
                            ui.label(
                                item.status
                                    .map_or(t(Key::NotSet), |s| zone_status_text(lang, s)),
                            );
                            ui.label(num(f.measured.area_ha));
                            ui.label(num(item.industrial_land_ha));
                            ui.label(num(Some(f.measured.leased_ha)));
                            ui.label(pct(f.fill_rate_pct));
                            ui.end_row();
                        }
                    });
            });
        actions
    }
}
