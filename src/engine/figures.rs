//! Fill rates: a zone's figures from its measured land and its planning attributes, and the
//! totals of a set of zones (ratios of sums, never means of rates).

use serde::Serialize;

use super::model::Zone;
use super::properties::ZoneStatus;

/// What a fill rate is divided by (DOMAIN.md). Part of every output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FillBasis {
    /// The zone's `industrial_land_ha` (+ `service_land_ha` for Decree 35): the legal basis.
    IndustrialLand,
    /// No planning attribute: the land of the zone's lots (leased, vacant and reserved).
    ParcelInventory,
    /// Neither: the zone's gross area. Not a legal basis, shown so that it is never silent.
    GrossArea,
}

impl FillBasis {
    pub fn code(self) -> &'static str {
        match self {
            Self::IndustrialLand => "industrial_land",
            Self::ParcelInventory => "parcel_inventory",
            Self::GrossArea => "gross_area",
        }
    }
}

/// What was measured in one zone (the costly part: geometry and parcels).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Measured {
    /// Geodesic area of the zone, ha; `None` when its geometry cannot be used.
    pub area_ha: Option<f64>,
    /// Leased industrial land inside the zone, each piece once, ha.
    pub leased_ha: f64,
    /// Leased service land inside the zone, ha.
    pub leased_service_ha: f64,
    /// Industrial land of all the zone's lots, whatever their status, ha.
    pub lots_ha: f64,
    /// Service land of all the zone's lots, ha.
    pub lots_service_ha: f64,
    pub parcels_leased: usize,
    pub parcels_vacant: usize,
    pub parcels_reserved: usize,
    /// No parcels file: leased land is not known (not zero), so there is no fill rate.
    pub leased_unknown: bool,
}

impl Measured {
    /// Whether the parcels list the zone's unleased lots too, so that they make an inventory.
    pub fn has_inventory(&self) -> bool {
        self.parcels_vacant + self.parcels_reserved > 0
    }
}

/// A zone's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct ZoneFigures {
    pub measured: Measured,
    /// `None` when there is nothing to divide by (no attribute, no inventory, no geometry).
    pub basis: Option<FillBasis>,
    /// Denominator of the industrial-land rate, ha.
    pub denominator_ha: Option<f64>,
    /// Denominator of the Decree 35 rate (industrial + service land), ha.
    pub denominator_d35_ha: Option<f64>,
    pub fill_rate_pct: Option<f64>,
    pub fill_rate_d35_pct: Option<f64>,
}

fn pct(num: f64, den: Option<f64>) -> Option<f64> {
    den.filter(|d| *d > 0.0).map(|d| 100.0 * num / d)
}

impl ZoneFigures {
    /// The rates of a zone from what was measured and its attributes.
    ///
    /// ```
    /// use zoneatlas::engine::figures::{FillBasis, Measured, ZoneFigures};
    /// use zoneatlas::engine::model::Zone;
    /// let mut zone = Zone::named("KCN A");
    /// zone.industrial_land_ha = Some(400.0);
    /// zone.service_land_ha = Some(100.0);
    /// let m = Measured { area_ha: Some(640.0), leased_ha: 312.0, leased_service_ha: 20.0, ..Default::default() };
    /// let f = ZoneFigures::new(&zone, m);
    /// assert_eq!(f.basis, Some(FillBasis::IndustrialLand));
    /// assert_eq!(f.fill_rate_pct, Some(78.0)); // not 312/640 = 48.75 % of the gross area
    /// assert_eq!(f.fill_rate_d35_pct, Some(66.4)); // (312 + 20) / (400 + 100)
    /// ```
    pub fn new(zone: &Zone, measured: Measured) -> ZoneFigures {
        let (basis, den, den35) = if let Some(ind) = zone.industrial_land_ha.filter(|x| *x > 0.0) {
            (
                Some(FillBasis::IndustrialLand),
                Some(ind),
                Some(ind + zone.service_land_ha.unwrap_or(0.0)),
            )
        } else if measured.has_inventory() && measured.lots_ha > 0.0 {
            (
                Some(FillBasis::ParcelInventory),
                Some(measured.lots_ha),
                Some(measured.lots_ha + measured.lots_service_ha),
            )
        } else if let Some(a) = measured.area_ha.filter(|a| *a > 0.0) {
            (Some(FillBasis::GrossArea), Some(a), Some(a))
        } else {
            (None, None, None)
        };
        let known = !measured.leased_unknown;
        ZoneFigures {
            fill_rate_pct: pct(measured.leased_ha, den).filter(|_| known),
            fill_rate_d35_pct: pct(measured.leased_ha + measured.leased_service_ha, den35)
                .filter(|_| known),
            measured,
            basis,
            denominator_ha: den,
            denominator_d35_ha: den35,
        }
    }
}

/// Sums over a set of zones.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Totals {
    pub zones: usize,
    pub operating: usize,
    pub area_ha: f64,
    pub planned_area_ha: f64,
    pub industrial_land_ha: f64,
    pub service_land_ha: f64,
    pub leased_ha: f64,
    pub leased_service_ha: f64,
    /// Σ of the zones' industrial-land-rate denominators (whatever basis each used).
    pub denominator_ha: f64,
    pub denominator_d35_ha: f64,
    /// Σ leased ÷ Σ denominators, over the zones that have a denominator.
    pub fill_rate_pct: Option<f64>,
    pub fill_rate_d35_pct: Option<f64>,
    /// How many zones used each basis, so that a mixed total is never taken for a pure one.
    pub zones_by_basis: Vec<(FillBasis, usize)>,
    pub parcels_leased: usize,
    pub parcels_vacant: usize,
    pub parcels_reserved: usize,
    /// No parcels file: leased land and the rates are not known (the reports leave them empty).
    #[serde(skip)]
    pub leased_unknown: bool,
}

impl Totals {
    /// Ratios of sums over the given zones.
    pub fn of<'a>(zones: impl IntoIterator<Item = (&'a Zone, &'a ZoneFigures)>) -> Totals {
        let mut t = Totals::default();
        let (mut num, mut num35) = (0.0, 0.0);
        for (z, f) in zones {
            let m = &f.measured;
            t.zones += 1;
            t.operating += usize::from(z.status == Some(ZoneStatus::Operating));
            t.area_ha += m.area_ha.unwrap_or(0.0);
            t.planned_area_ha += z.planned_area_ha.unwrap_or(0.0);
            t.industrial_land_ha += z.industrial_land_ha.unwrap_or(0.0);
            t.service_land_ha += z.service_land_ha.unwrap_or(0.0);
            t.leased_unknown |= m.leased_unknown;
            t.leased_ha += m.leased_ha;
            t.leased_service_ha += m.leased_service_ha;
            t.parcels_leased += m.parcels_leased;
            t.parcels_vacant += m.parcels_vacant;
            t.parcels_reserved += m.parcels_reserved;
            if let (Some(b), Some(d), Some(d35)) = (f.basis, f.denominator_ha, f.denominator_d35_ha)
            {
                t.denominator_ha += d;
                t.denominator_d35_ha += d35;
                num += m.leased_ha;
                num35 += m.leased_ha + m.leased_service_ha;
                match t.zones_by_basis.iter_mut().find(|(basis, _)| *basis == b) {
                    Some((_, n)) => *n += 1,
                    None => t.zones_by_basis.push((b, 1)),
                }
            }
        }
        t.zones_by_basis.sort();
        if !t.leased_unknown {
            t.fill_rate_pct = pct(num, Some(t.denominator_ha));
            t.fill_rate_d35_pct = pct(num35, Some(t.denominator_d35_ha));
        }
        t
    }

    /// The basis of the total: one basis, or `mixed`.
    pub fn basis_label(&self) -> String {
        match self.zones_by_basis.as_slice() {
            [] => String::new(),
            [(b, _)] => b.code().to_string(),
            many => format!(
                "mixed ({})",
                many.iter()
                    .map(|(b, n)| format!("{n} {}", b.code()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blank_zone() -> Zone {
        Zone::named("Z")
    }

    #[test]
    fn fallbacks_are_named() {
        let z = blank_zone();
        let m = Measured {
            area_ha: Some(200.0),
            leased_ha: 50.0,
            lots_ha: 125.0,
            parcels_leased: 3,
            parcels_vacant: 2,
            ..Default::default()
        };
        let f = ZoneFigures::new(&z, m.clone());
        assert_eq!(f.basis, Some(FillBasis::ParcelInventory));
        assert_eq!(f.fill_rate_pct, Some(40.0));
        let only_leased = Measured {
            parcels_vacant: 0,
            ..m
        };
        let f = ZoneFigures::new(&z, only_leased);
        assert_eq!(f.basis, Some(FillBasis::GrossArea));
        assert_eq!(f.fill_rate_pct, Some(25.0));
        let f = ZoneFigures::new(&z, Measured::default());
        assert_eq!((f.basis, f.fill_rate_pct), (None, None));
    }

    /// A province's rate is the ratio of the sums, not the mean of the rates:
    /// (90 + 10) / (100 + 400) = 20 %, where the mean of 90 % and 2.5 % would be 46.25 %.
    #[test]
    fn totals_are_ratios_of_sums() {
        let mut a = blank_zone();
        a.industrial_land_ha = Some(100.0);
        a.status = Some(ZoneStatus::Operating);
        let mut b = blank_zone();
        b.industrial_land_ha = Some(400.0);
        let fa = ZoneFigures::new(
            &a,
            Measured {
                area_ha: Some(150.0),
                leased_ha: 90.0,
                ..Default::default()
            },
        );
        let fb = ZoneFigures::new(
            &b,
            Measured {
                area_ha: Some(600.0),
                leased_ha: 10.0,
                ..Default::default()
            },
        );
        let t = Totals::of([(&a, &fa), (&b, &fb)]);
        assert_eq!(t.fill_rate_pct, Some(20.0));
        assert_eq!((t.zones, t.operating), (2, 1));
        assert_eq!(t.area_ha, 750.0);
        assert_eq!(t.basis_label(), "industrial_land");
    }
}
