//! The data as it stood on a date: a parcel counts as leased on the days inside its lease
//! (`lease_start` ..= `lease_end`, both days included; a missing end is an open lease, a missing
//! start a lease from the beginning). A parcel with no lease dates keeps its status.
//!
//! Summed from the same coverage as today's figures (each piece of ground once: how each zone's
//! lots sit in it, kept from the measuring, [`Dataset::covered_ha`]) and [`ZoneFigures::new`].

use super::dataset::Dataset;
use super::figures::{Totals, ZoneFigures};
use super::model::Parcel;
use super::properties::{Date, LandUse, ParcelStatus};

/// The date findings are about: today (read from the clock at the edge, never here), or a
/// date asked for (`--as-of`, the app's date control), where the figures are those of that
/// date ([`figures_on`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AsOf {
    Today(Date),
    On(Date),
}

impl AsOf {
    pub fn date(self) -> Date {
        match self {
            Self::Today(d) | Self::On(d) => d,
        }
    }

    /// The date asked for, if one was.
    pub fn asked(self) -> Option<Date> {
        match self {
            Self::Today(_) => None,
            Self::On(d) => Some(d),
        }
    }
}

/// Whether `p` was leased on `d`.
pub fn leased_on(p: &Parcel, d: Date) -> bool {
    if p.lease_start.is_none() && p.lease_end.is_none() {
        return p.status == ParcelStatus::Leased;
    }
    p.lease_start.is_none_or(|s| s <= d) && p.lease_end.is_none_or(|e| d <= e)
}

/// The status `p` had on `d`: leased inside its lease; a lot leased today but not then was
/// vacant; reserved lots stay reserved.
pub fn status_on(p: &Parcel, d: Date) -> ParcelStatus {
    if leased_on(p, d) {
        ParcelStatus::Leased
    } else if p.status == ParcelStatus::Leased {
        ParcelStatus::Vacant
    } else {
        p.status
    }
}

/// The first lease start and the last lease end (or start) in the parcels: the range of the
/// date control. `None` without lease dates.
pub fn lease_range(ds: &Dataset) -> Option<(Date, Date)> {
    let parcels = ds.parcels.as_ref()?;
    let dates = parcels
        .items
        .iter()
        .flat_map(|p| [p.lease_start, p.lease_end])
        .flatten();
    let (lo, hi) = dates.fold((None, None), |(lo, hi): (Option<Date>, Option<Date>), d| {
        (
            Some(lo.map_or(d, |x| x.min(d))),
            Some(hi.map_or(d, |x| x.max(d))),
        )
    });
    Some((lo?, hi?))
}

/// Every zone's figures on `d`: leased land re-measured with the lots leased that day; the
/// zone's area, plan and lot inventory as today.
pub fn figures_on(ds: &Dataset, d: Date) -> Vec<ZoneFigures> {
    let Some(parcels) = &ds.parcels else {
        return ds.figures.clone();
    };
    let members = ds.parcels_by_zone();
    (0..ds.zones.len())
        .map(|z| {
            let mut m = ds.figures[z].measured.clone();
            (m.parcels_leased, m.parcels_vacant, m.parcels_reserved) = (0, 0, 0);
            for &p in members[z].iter() {
                match status_on(&parcels.items[p], d) {
                    ParcelStatus::Leased => m.parcels_leased += 1,
                    ParcelStatus::Vacant => m.parcels_vacant += 1,
                    ParcelStatus::Reserved => m.parcels_reserved += 1,
                }
            }
            if let Some((industrial, service)) = leased_land_on(ds, z, d) {
                (m.leased_ha, m.leased_service_ha) = (industrial, service);
            }
            ZoneFigures::new(&ds.zones.items[z], m)
        })
        .collect()
}

/// Zone `z`'s leased industrial and service land on `d`, ha: summed from how its lots sit in
/// it, as its figures were measured ([`Dataset::covered_ha`]), not measured again. `None`
/// without coverage.
fn leased_land_on(ds: &Dataset, z: usize, d: Date) -> Option<(f64, f64)> {
    let parcels = ds.parcels.as_ref()?;
    let (usable, _) = ds.coverage_facts(z)?;
    let chosen = |industrial: bool| -> Vec<bool> {
        usable
            .iter()
            .map(|&p| {
                let item = &parcels.items[p];
                leased_on(item, d) && (item.land_use == LandUse::Industrial) == industrial
            })
            .collect()
    };
    Some((
        ds.covered_ha(z, &chosen(true))?,
        ds.covered_ha(z, &chosen(false))?,
    ))
}

/// 1 January and 1 July from the half-year holding `from` up to `until`, and `until` itself:
/// the points of the fill-rate chart (so that a meeting compares half-years).
pub fn half_years(from: Date, until: Date) -> Vec<Date> {
    let (y0, m0, _) = from.ymd();
    let (y1, _, _) = until.ymd();
    let mut out = Vec::new();
    for y in y0..=y1 {
        for m in [1, 7] {
            if y == y0 && m + 5 < m0 {
                continue;
            }
            if let Some(d) = Date::from_ymd(y, m, 1).filter(|d| *d <= until) {
                out.push(d);
            }
        }
    }
    if out.last() != Some(&until) {
        out.push(until);
    }
    out
}

/// The fill rate (industrial-land basis, as in the table) on each date: of all zones, and of
/// one zone when asked. The leased land on each date is summed from how the lots sit in their
/// zones ([`Dataset::covered_ha`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trend {
    pub dates: Vec<Date>,
    pub all: Vec<Option<f64>>,
    pub zone: Vec<Option<f64>>,
}

/// See [`Trend`].
pub fn trend(ds: &Dataset, dates: &[Date], zone: Option<usize>) -> Trend {
    if ds.parcels.is_none() {
        return Trend {
            dates: dates.to_vec(),
            all: vec![None; dates.len()],
            zone: Vec::new(),
        };
    }
    let mut out = Trend {
        dates: dates.to_vec(),
        ..Trend::default()
    };
    for &d in dates {
        let figures: Vec<ZoneFigures> = (0..ds.zones.len())
            .map(|z| {
                let mut m = ds.figures[z].measured.clone();
                if let Some((industrial, service)) = leased_land_on(ds, z, d) {
                    (m.leased_ha, m.leased_service_ha) = (industrial, service);
                }
                ZoneFigures::new(&ds.zones.items[z], m)
            })
            .collect();
        let totals = Totals::of(ds.zones.live().map(|z| (&ds.zones.items[z], &figures[z])));
        out.all.push(totals.fill_rate_pct);
        if let Some(z) = zone {
            out.zone.push(figures.get(z).and_then(|f| f.fill_rate_pct));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::test_data::{dataset_of, lots, square};

    /// One zone planned with 100 ha of industrial land and seven lots, side by side.
    fn dataset() -> Dataset {
        let zones = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"name":"A","status":"operating","industrial_land_ha":100,"service_land_ha":20}},"geometry":{}}}]}}"#,
            square(106.0, 21.0, 0.02)
        );
        let props = [
            // 0: ends the day before 30/06/2023
            r#"{"status":"leased","lease_start":"2020-01-01","lease_end":"2023-06-29"}"#,
            // 1: starts the day after
            r#"{"status":"leased","lease_start":"2023-07-01","lease_end":"2050-12-31"}"#,
            // 2: starts on the day
            r#"{"status":"leased","lease_start":"2023-06-30","lease_end":"2050-12-31"}"#,
            // 3: ends on the day
            r#"{"status":"vacant","lease_start":"2000-01-01","lease_end":"30/06/2023"}"#,
            // 4: leased, no dates
            r#"{"status":"leased"}"#,
            // 5: vacant, no dates
            r#"{"status":"vacant"}"#,
            // 6: service land, open-ended lease
            r#"{"status":"leased","land_use":"service","lease_start":"2010-05-05"}"#,
        ];
        dataset_of(&zones, &lots(&props, 106.001, 21.001, 0.002, 0.0015))
    }

    fn date(s: &str) -> Date {
        Date::parse(s).expect("a date")
    }

    fn area(ds: &Dataset, lots: &[usize]) -> f64 {
        lots.iter()
            .map(|p| ds.parcel_area_ha[*p].expect("an area"))
            .sum()
    }

    #[test]
    fn a_lot_counts_on_the_days_inside_its_lease_both_ends_included() {
        let ds = dataset();
        let p = &ds.parcels.as_ref().expect("parcels").items;
        let d = date("2023-06-30");
        let on: Vec<bool> = p.iter().map(|x| leased_on(x, d)).collect();
        assert_eq!(on, [false, false, true, true, true, false, true]);
        let before = date("2023-06-29");
        let on: Vec<bool> = p.iter().map(|x| leased_on(x, before)).collect();
        assert_eq!(on, [true, false, false, true, true, false, true]);
        assert_eq!(status_on(&p[0], d), ParcelStatus::Vacant);
        assert_eq!(status_on(&p[3], d), ParcelStatus::Leased);
        assert_eq!(status_on(&p[5], d), ParcelStatus::Vacant);
    }

    #[test]
    fn figures_on_a_date_count_the_lots_leased_that_day() {
        let ds = dataset();
        let d = date("2023-06-30");
        let f = &figures_on(&ds, d)[0];
        let leased = area(&ds, &[2, 3, 4]);
        assert!((f.measured.leased_ha - leased).abs() < 1e-9, "{f:?}");
        assert!((f.measured.leased_service_ha - area(&ds, &[6])).abs() < 1e-9);
        let rate = f.fill_rate_pct.expect("a rate");
        assert!((rate - leased / 100.0 * 100.0).abs() < 1e-9);
        let d35 = f.fill_rate_d35_pct.expect("a rate");
        assert!((d35 - (leased + area(&ds, &[6])) / 120.0 * 100.0).abs() < 1e-9);
        assert_eq!(
            (
                f.measured.parcels_leased,
                f.measured.parcels_vacant,
                f.measured.parcels_reserved
            ),
            (4, 3, 0)
        );
        // The day before: the lease starting on the 30th is not yet, the one ending on the
        // 29th still is.
        let f = &figures_on(&ds, date("2023-06-29"))[0];
        assert!((f.measured.leased_ha - area(&ds, &[0, 3, 4])).abs() < 1e-9);
        // The day after: only the lease that started on the 30th, the new one and the lot
        // without dates.
        let f = &figures_on(&ds, date("2023-07-01"))[0];
        assert!((f.measured.leased_ha - area(&ds, &[1, 2, 4])).abs() < 1e-9);
        // Zone area and plan are today's.
        assert_eq!(f.measured.area_ha, ds.figures[0].measured.area_ha);
        assert_eq!(f.denominator_ha, Some(100.0));
    }

    #[test]
    fn the_control_spans_the_lease_dates() {
        let ds = dataset();
        assert_eq!(
            lease_range(&ds),
            Some((date("2000-01-01"), date("2050-12-31")))
        );
    }

    #[test]
    fn half_years_from_the_first_lease_to_the_end() {
        let dates = half_years(date("2021-03-15"), date("2022-08-01"));
        assert_eq!(
            dates,
            [
                date("2021-01-01"),
                date("2021-07-01"),
                date("2022-01-01"),
                date("2022-07-01"),
                date("2022-08-01"),
            ]
        );
        assert_eq!(
            half_years(date("2021-09-01"), date("2022-01-01")),
            [date("2021-07-01"), date("2022-01-01")]
        );
    }

    /// The leased land on a date summed from how the lots sit in their zones is what measuring
    /// each zone's coverage again gives, to the last bit.
    #[test]
    fn leased_land_on_a_date_is_summed_as_measuring_gives_it() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_zones");
        let ds = Dataset::open(
            &dir.join("zones.geojson"),
            Some(&dir.join("parcels.geojson")),
        )
        .expect("the sample opens");
        let parcels = ds.parcels.as_ref().expect("parcels");
        let members = ds.parcels_by_zone();
        for day in ["2012-01-01", "2016-07-01", "2019-12-31", "2024-06-30"] {
            let d = date(day);
            let on = figures_on(&ds, d);
            for z in 0..ds.zones.len() {
                let Some((cov, usable)) = ds.coverage_of(z, &members[z]) else {
                    continue;
                };
                let chosen = |industrial: bool| -> Vec<bool> {
                    usable
                        .iter()
                        .map(|&p| {
                            let item = &parcels.items[p];
                            leased_on(item, d)
                                && (item.land_use == LandUse::Industrial) == industrial
                        })
                        .collect()
                };
                assert_eq!(on[z].measured.leased_ha, cov.covered_ha(&chosen(true)));
                assert_eq!(
                    on[z].measured.leased_service_ha,
                    cov.covered_ha(&chosen(false))
                );
            }
        }
    }

    #[test]
    fn the_trend_is_the_figures_on_each_date() {
        let ds = dataset();
        let dates = [date("2023-06-29"), date("2023-06-30"), date("2023-07-01")];
        let t = trend(&ds, &dates, Some(0));
        for (k, d) in dates.iter().enumerate() {
            let f = &figures_on(&ds, *d)[0];
            assert_eq!(t.all[k], f.fill_rate_pct, "{d:?}");
            assert_eq!(t.zone[k], f.fill_rate_pct);
        }
        // By hand: on the 29th lots 0, 3 and 4 are leased, out of 100 ha planned.
        let hand = area(&ds, &[0, 3, 4]);
        assert!((t.all[0].expect("rate") - hand).abs() < 1e-9);
        // The sample: the trend agrees with the figures on a date, all zones together.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_zones");
        let sample = Dataset::open(
            &dir.join("zones.geojson"),
            Some(&dir.join("parcels.geojson")),
        )
        .expect("the sample opens");
        let d = date("2019-07-01");
        let t = trend(&sample, &[d], None);
        let on = figures_on(&sample, d);
        let totals = Totals::of(sample.zones.items.iter().zip(&on));
        assert_eq!(t.all, [totals.fill_rate_pct]);
        assert!(t.zone.is_empty());
    }
}
