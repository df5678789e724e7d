//! The ministry's table (`report URL --all-boards`): every board's zones with their figures,
//! the totals per province and the national totals.
//!
//! A province's totals are the sums of its zones' figures, and its rates the ratios of those
//! sums (DOMAIN.md), never a mean of rates. Zones count for the province their board names
//! (`db init --province`), so that a board whose files still name a province merged in 2025
//! (Bắc Giang into Bắc Ninh) is not split between two names; a board that names none counts
//! its zones by their own `province`.

use serde_json::{Value, json};
use std::collections::HashMap;
use std::fmt::Write as _;

use super::csv::{CSV_HEADER, csv_rows};
use super::json::totals_json;
use crate::engine::figures::Totals;
use crate::engine::figures::ZoneFigures;
use crate::engine::model::Zone;
use crate::engine::table::Table;
use crate::i18n::{Key, Lang, fmt_date, fmt_ha, fmt_pct, tr, trf};

/// One board's part of the table.
pub struct BoardTable<'a> {
    pub name: String,
    /// The province the board's figures count for (`None`: each zone's own).
    pub province: Option<String>,
    pub table: Table<'a>,
}

/// Every board's zones.
pub struct Ministry<'a> {
    pub boards: Vec<BoardTable<'a>>,
    pub as_of: Option<crate::engine::properties::Date>,
}

impl<'a> Ministry<'a> {
    /// Each zone there is, with its figures and the province it counts for.
    fn zones(&self) -> impl Iterator<Item = (&str, &Zone, &ZoneFigures)> + '_ {
        self.boards.iter().flat_map(|b| {
            let ds = b.table.ds;
            ds.zones.live().map(move |z| {
                let zone = &ds.zones.items[z];
                let province = b
                    .province
                    .as_deref()
                    .or(zone.province.as_deref())
                    .unwrap_or("");
                (province, zone, &b.table.figures[z])
            })
        })
    }

    /// Per province, in order of first appearance.
    pub fn provinces(&self) -> Vec<(String, Totals)> {
        let mut groups: Vec<(&str, Vec<(&Zone, &ZoneFigures)>)> = Vec::new();
        let mut at: HashMap<&str, usize> = HashMap::new();
        for (province, zone, f) in self.zones() {
            let k = *at.entry(province).or_insert_with(|| {
                groups.push((province, Vec::new()));
                groups.len() - 1
            });
            groups[k].1.push((zone, f));
        }
        groups
            .into_iter()
            .map(|(name, zones)| (name.to_string(), Totals::of(zones)))
            .collect()
    }

    /// Over every board.
    pub fn total(&self) -> Totals {
        Totals::of(self.zones().map(|(_, z, f)| (z, f)))
    }
}

/// As CSV: the report's columns after a `board` column, a row per zone.
pub fn csv(m: &Ministry) -> String {
    let mut out = format!("board,{CSV_HEADER}\n");
    for b in &m.boards {
        for row in csv_rows(&b.table) {
            let _ = writeln!(out, "{},{row}", super::csv::csv_field(&b.name));
        }
    }
    out
}

/// As JSON: `boards` (each with its `zones` and `totals`), `provinces`, `total`.
pub fn json(m: &Ministry) -> String {
    let boards: Vec<Value> = m
        .boards
        .iter()
        .map(|b| {
            json!({
                "board": b.name,
                "province": b.province,
                "zones": b.table.rows(),
                "totals": totals_json(&b.table.totals_all()),
            })
        })
        .collect();
    let provinces: Vec<Value> = m
        .provinces()
        .iter()
        .map(|(name, t)| {
            let mut v = totals_json(t);
            v["province"] = json!(name);
            v
        })
        .collect();
    let mut doc = json!({
        "boards": boards,
        "provinces": provinces,
        "total": totals_json(&m.total()),
    });
    if let Some(d) = m.as_of {
        doc["as_of"] = json!(d.iso());
    }
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// As Markdown, for people: a row per province and the country's total.
pub fn markdown(m: &Ministry, lang: Lang) -> String {
    let t = |k: Key| tr(lang, k);
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", t(Key::MinistryTitle));
    if let Some(d) = m.as_of {
        let date = fmt_date(d, lang);
        let _ = writeln!(out, "{}\n", trf(lang, Key::ReportAsOf, &[("date", &date)]));
    }
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} |\n|---|---:|---:|---:|---:|---:|",
        t(Key::MinistryProvince),
        t(Key::ReportZoneCount),
        t(Key::ReportGrossArea),
        t(Key::IndustrialLand),
        t(Key::ReportLeasedIndustrial),
        t(Key::ReportFillRate),
    );
    let pct = |v: Option<f64>| v.map(|x| fmt_pct(x, lang)).unwrap_or_else(|| "—".into());
    let mut line = |name: &str, totals: &Totals| {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            name.replace('|', "\\|"),
            totals.zones,
            fmt_ha(totals.area_ha, lang),
            fmt_ha(totals.industrial_land_ha, lang),
            fmt_ha(totals.leased_ha, lang),
            pct(totals.fill_rate_pct)
        );
    };
    for (name, totals) in m.provinces() {
        let name = if name.is_empty() {
            "—"
        } else {
            name.as_str()
        };
        line(name, &totals);
    }
    line(&format!("**{}**", t(Key::TotalAll)), &m.total());
    let _ = writeln!(out, "\n{}", t(Key::ReportRatiosOfSums));
    out
}
