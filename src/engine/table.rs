//! The zone table: per zone its figures (today's, or as they stood on a date) and the totals
//! over all zones, the operating ones and each province. The reports write it
//! ([`crate::report`]); it holds values only.

use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;

use super::dataset::Dataset;
use super::figures::{Totals, ZoneFigures};
use super::properties::ZoneStatus;

/// A dataset's zones with one set of figures.
pub struct Table<'a> {
    pub ds: &'a Dataset,
    pub figures: Cow<'a, [ZoneFigures]>,
}

/// One zone's row. `None` is an unknown value (an empty CSV cell, JSON `null`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    pub zone_id: String,
    pub name: String,
    pub province: Option<String>,
    pub status: Option<&'static str>,
    pub area_ha: Option<f64>,
    pub planned_area_ha: Option<f64>,
    pub industrial_land_ha: Option<f64>,
    pub service_land_ha: Option<f64>,
    pub leased_ha: Option<f64>,
    pub leased_service_ha: Option<f64>,
    pub fill_rate_pct: Option<f64>,
    pub fill_rate_d35_pct: Option<f64>,
    pub fill_basis: Option<&'static str>,
    pub parcels_leased: Option<usize>,
    pub parcels_vacant: Option<usize>,
    pub parcels_reserved: Option<usize>,
}

impl<'a> Table<'a> {
    /// Today's figures.
    pub fn today(ds: &'a Dataset) -> Table<'a> {
        Table {
            ds,
            figures: Cow::Borrowed(&ds.figures),
        }
    }

    /// The figures as they stood on `d` ([`super::as_of::figures_on`]).
    pub fn on(ds: &'a Dataset, d: super::properties::Date) -> Table<'a> {
        Table {
            ds,
            figures: Cow::Owned(super::as_of::figures_on(ds, d)),
        }
    }

    /// The rows, in file order (zones deleted since loading left out).
    pub fn rows(&self) -> Vec<Row> {
        let with_parcels = self.ds.parcels.is_some();
        self.ds
            .zones
            .live()
            .map(|z| (&self.ds.zones.items[z], &self.figures[z]))
            .map(|(z, f)| {
                let m = &f.measured;
                let known = |v: f64| with_parcels.then_some(v);
                let count = |v: usize| with_parcels.then_some(v);
                Row {
                    zone_id: z.id.clone(),
                    name: z.name.clone(),
                    province: z.province.clone(),
                    status: z.status.map(|s| s.code()),
                    area_ha: m.area_ha,
                    planned_area_ha: z.planned_area_ha,
                    industrial_land_ha: z.industrial_land_ha,
                    service_land_ha: z.service_land_ha,
                    leased_ha: known(m.leased_ha),
                    leased_service_ha: known(m.leased_service_ha),
                    // Without parcels the engine has no rate (`Measured::leased_unknown`).
                    fill_rate_pct: f.fill_rate_pct,
                    fill_rate_d35_pct: f.fill_rate_d35_pct,
                    fill_basis: f.basis.filter(|_| with_parcels).map(|b| b.code()),
                    parcels_leased: count(m.parcels_leased),
                    parcels_vacant: count(m.parcels_vacant),
                    parcels_reserved: count(m.parcels_reserved),
                }
            })
            .collect()
    }

    /// Totals over the zones for which `keep` holds (zones deleted since loading left out).
    pub fn totals(&self, keep: impl Fn(usize) -> bool) -> Totals {
        Totals::of(
            self.ds
                .zones
                .live()
                .filter(|z| keep(*z))
                .map(|z| (&self.ds.zones.items[z], &self.figures[z])),
        )
    }

    /// All zones.
    pub fn totals_all(&self) -> Totals {
        self.totals(|_| true)
    }

    /// Operating zones only.
    pub fn totals_operating(&self) -> Totals {
        self.totals(|z| self.ds.zones.items[z].status == Some(ZoneStatus::Operating))
    }

    /// Per province, in order of first appearance; zones without a province under "".
    pub fn totals_by_province(&self) -> Vec<(String, Totals)> {
        // Grouped in one pass: a file may give every zone a province of its own.
        let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
        let mut at: HashMap<&str, usize> = HashMap::new();
        for z in self.ds.zones.live() {
            let zone = &self.ds.zones.items[z];
            let name = zone.province.as_deref().unwrap_or("");
            let k = *at.entry(name).or_insert_with(|| {
                groups.push((name, Vec::new()));
                groups.len() - 1
            });
            groups[k].1.push(z);
        }
        groups
            .into_iter()
            .map(|(name, zones)| {
                let of = zones
                    .iter()
                    .map(|&z| (&self.ds.zones.items[z], &self.figures[z]));
                (name.to_string(), Totals::of(of))
            })
            .collect()
    }
}
