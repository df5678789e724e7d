//! Ellipsoidal (WGS84) areas.
//!
//! Two ways to the same hectares:
//! - [`geodesic_area_m2`]: Karney's exact geodesic polygon area (GeographicLib), the reference
//!   every board figure is checked against. About a microsecond per edge.
//! - [`EqualAreaProjection`]: the ellipsoidal Lambert azimuthal equal-area projection centred on
//!   the place of interest. Areas of straight-edged polygons in it equal geodesic areas to about
//!   1e-8 for parcel-sized polygons (see the tests and BENCHMARKS.md), at a fraction of the cost,
//!   and clipping and unions run in metres there.
//!
//! Both are winding-agnostic: an exterior ring counts positive and a hole negative whatever the
//! direction they were written in.

use geo::{Coord, LineString, MultiPolygon, Polygon, Rect};
use geographiclib_rs::{Geodesic, PolygonArea, Winding};
use std::sync::OnceLock;

/// WGS84 semi-major axis, metres.
pub const WGS84_A: f64 = 6_378_137.0;
/// WGS84 flattening.
pub const WGS84_F: f64 = 1.0 / 298.257_223_563;
/// Square metres in a hectare.
pub const M2_PER_HA: f64 = 10_000.0;

fn wgs84() -> &'static Geodesic {
    static G: OnceLock<Geodesic> = OnceLock::new();
    G.get_or_init(Geodesic::wgs84)
}

/// Unsigned geodesic area of one ring (longitude/latitude degrees), m².
fn geodesic_ring_area_m2(ring: &LineString<f64>) -> f64 {
    let mut pa = PolygonArea::new(wgs84(), Winding::CounterClockwise);
    let coords = &ring.0;
    // A closed ring repeats its first point; PolygonArea closes rings itself.
    let n = if coords.len() > 1 && coords.first() == coords.last() {
        coords.len() - 1
    } else {
        coords.len()
    };
    if n < 3 {
        return 0.0;
    }
    for c in &coords[..n] {
        pa.add_point(c.y, c.x);
    }
    let (_perimeter, area, _) = pa.compute(true);
    area.abs()
}

/// Geodesic WGS84 area of a (multi)polygon in longitude/latitude degrees, in m².
///
/// ```
/// use zoneatlas::engine::geodesy::geodesic_area_m2;
/// use geo::{polygon, MultiPolygon};
/// // One arc-minute square at the equator: about 3.39 km².
/// let square = MultiPolygon(vec![polygon![
///     (x: 0.0, y: 0.0), (x: 1.0 / 60.0, y: 0.0), (x: 1.0 / 60.0, y: 1.0 / 60.0), (x: 0.0, y: 1.0 / 60.0)
/// ]]);
/// let km2 = geodesic_area_m2(&square) / 1e6;
/// assert!((km2 - 3.4196).abs() < 1e-3, "{km2}");
/// ```
pub fn geodesic_area_m2(mp: &MultiPolygon<f64>) -> f64 {
    mp.0.iter().map(geodesic_polygon_area_m2).sum()
}

/// Geodesic area of one polygon: exterior minus holes, whatever their winding.
pub fn geodesic_polygon_area_m2(p: &Polygon<f64>) -> f64 {
    let holes: f64 = p.interiors().iter().map(geodesic_ring_area_m2).sum();
    (geodesic_ring_area_m2(p.exterior()) - holes).max(0.0)
}

/// Ellipsoidal Lambert azimuthal equal-area projection (Snyder, *Map Projections: A Working
/// Manual*, eq. 24-13 to 24-19) centred on `(lon0, lat0)`.
///
/// Every region keeps its ellipsoidal area exactly. Polygon edges are drawn straight in the
/// projection, where the file means geodesics; in an azimuthal projection geodesics near the
/// centre are nearly straight (their curvature grows with the distance from the centre, not
/// with the latitude as in a cylindrical projection), so areas of parcel-sized polygons agree
/// with Karney's to about 1e-8 and a 5 km zone to about 5e-7 (see the tests). Near the centre
/// shapes are nearly undistorted, so metric tolerances mean what they say.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EqualAreaProjection {
    lon0: f64,
    /// Sine and cosine of the authalic latitude of the centre (the sine as q/qp, computed as
    /// for every projected point).
    sin_beta1: f64,
    cos_beta1: f64,
    /// Radius of the authalic sphere, metres.
    rq: f64,
    /// Snyder's D: keeps the scale true in both directions at the centre.
    d: f64,
    /// q at the pole.
    qp: f64,
}

const E2: f64 = WGS84_F * (2.0 - WGS84_F);

/// Snyder's q(φ) for the WGS84 ellipsoid (eq. 3-12), from sin φ.
#[inline]
fn q_of(sin_phi: f64) -> f64 {
    let e = E2.sqrt();
    let es = e * sin_phi;
    (1.0 - E2) * (sin_phi / (1.0 - E2 * sin_phi * sin_phi) + es.atanh() / e)
}

impl EqualAreaProjection {
    /// A projection centred on `(lon0, lat0)` (degrees).
    pub fn new(lon0: f64, lat0: f64) -> Self {
        let (s, c) = lat0.to_radians().sin_cos();
        let qp = q_of(1.0);
        let rq = WGS84_A * (qp / 2.0).sqrt();
        let sin_beta1 = (q_of(s) / qp).clamp(-1.0, 1.0);
        let beta1 = sin_beta1.asin();
        let m1 = c / (1.0 - E2 * s * s).sqrt();
        Self {
            lon0,
            sin_beta1,
            cos_beta1: beta1.cos(),
            rq,
            d: WGS84_A * m1 / (rq * beta1.cos()),
            qp,
        }
    }

    /// Longitude/latitude degrees → metres from the centre.
    ///
    /// With x = sin β = q/qp (no arcsine needed): cos β = √(1 − x²), and
    /// sin(β − β1) = (x − x1)(x + x1) / (x cos β1 + x1 cos β), free of cancellation near the
    /// centre; Δλ through its half angle (sin Δλ = 2 s c, 1 − cos Δλ = 2 s²). Three
    /// transcendental calls a point instead of seven; agrees with the direct formulas to a few
    /// units in the last place.
    #[inline]
    pub fn project(&self, c: Coord<f64>) -> Coord<f64> {
        let half_dl = (c.x - self.lon0).to_radians() / 2.0;
        let x = (q_of(c.y.to_radians().sin()) / self.qp).clamp(-1.0, 1.0);
        let (x1, cos_b1) = (self.sin_beta1, self.cos_beta1);
        let cos_b = (1.0 - x * x).max(0.0).sqrt();
        let (s, h) = half_dl.sin_cos();
        let sin_dl = 2.0 * s * h;
        let vers = 2.0 * s * s; // 1 − cos Δλ
        let denom = x * cos_b1 + x1 * cos_b;
        // sin(β − β1); where the denominator vanishes (β = −β1 = ±90°), by the direct formula.
        let sin_db = if denom != 0.0 {
            (x - x1) * (x + x1) / denom
        } else {
            x * cos_b1 - x1 * cos_b
        };
        let b = self.rq * (2.0 / (1.0 + x1 * x + cos_b1 * cos_b * (1.0 - vers))).sqrt();
        let north = sin_db + x1 * cos_b * vers;
        Coord {
            x: b * self.d * cos_b * sin_dl,
            y: b / self.d * north,
        }
    }

    /// A projection centred on the middle of a bounding box.
    pub fn centred_on(min: Coord<f64>, max: Coord<f64>) -> Self {
        Self::new((min.x + max.x) / 2.0, (min.y + max.y) / 2.0)
    }

    /// The projection a zone and its lots are measured in: centred near the middle of the
    /// zone's box, on a grid of 1/64° (about 1.7 km). A boundary edit that grows or shrinks
    /// the box a little keeps the projection, so the lots away from the edit keep their
    /// figures to the last bit and need not be measured again. Any centre keeps areas exactly
    /// (the projection is equal-area); the straight-edge error above grows with the distance
    /// from the centre, and this centre is at most 1/128° each way (1.2 km) off the middle.
    pub fn for_zone(bbox: Rect<f64>) -> Self {
        const STEPS_PER_DEGREE: f64 = 64.0;
        let on_grid = |v: f64| (v * STEPS_PER_DEGREE).round() / STEPS_PER_DEGREE;
        let (min, max) = (bbox.min(), bbox.max());
        Self::new(
            on_grid((min.x + max.x) / 2.0),
            on_grid((min.y + max.y) / 2.0),
        )
    }

    /// Project every coordinate of a multipolygon.
    pub fn project_multi(&self, mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
        MultiPolygon(mp.0.iter().map(|p| self.project_polygon(p)).collect())
    }

    /// Project every coordinate of a polygon.
    pub fn project_polygon(&self, p: &Polygon<f64>) -> Polygon<f64> {
        let ring = |ls: &LineString<f64>| {
            let mut out: Vec<Coord<f64>> = Vec::with_capacity(ls.0.len());
            for (k, &c) in ls.0.iter().enumerate() {
                // A closed ring ends where it starts, and the same point projects the same.
                let same_as_first = k > 0
                    && k + 1 == ls.0.len()
                    && c.x.to_bits() == ls.0[0].x.to_bits()
                    && c.y.to_bits() == ls.0[0].y.to_bits();
                out.push(if same_as_first {
                    out[0]
                } else {
                    self.project(c)
                });
            }
            LineString(out)
        };
        Polygon::new(ring(p.exterior()), p.interiors().iter().map(ring).collect())
    }
}

/// Planar area of a projected (multi)polygon, m²: exterior minus holes, whatever the winding.
pub fn planar_area_m2(mp: &MultiPolygon<f64>) -> f64 {
    mp.0.iter().map(planar_polygon_area_m2).sum()
}

/// Planar area of one projected polygon, m².
pub fn planar_polygon_area_m2(p: &Polygon<f64>) -> f64 {
    let holes: f64 = p
        .interiors()
        .iter()
        .map(|r| ring_signed_area(&r.0).abs())
        .sum();
    (ring_signed_area(&p.exterior().0).abs() - holes).max(0.0)
}

/// Shoelace signed area of a ring (closed or not), positive when counter-clockwise.
pub fn ring_signed_area(coords: &[Coord<f64>]) -> f64 {
    let n = coords.len();
    if n < 3 {
        return 0.0;
    }
    // Shift to the first point to keep the products small (precision with large coordinates).
    let o = coords[0];
    let mut twice = 0.0;
    for i in 0..n {
        let a = coords[i] - o;
        let b = coords[(i + 1) % n] - o;
        twice += a.x * b.y - b.x * a.y;
    }
    twice / 2.0
}

/// Ellipsoidal area of a small (multi)polygon through a projection centred on it, m².
pub fn local_area_m2(mp: &MultiPolygon<f64>) -> f64 {
    let Some(bbox) = geo::BoundingRect::bounding_rect(mp) else {
        return 0.0;
    };
    let proj = EqualAreaProjection::centred_on(bbox.min(), bbox.max());
    mp.0.iter()
        .map(|p| planar_polygon_area_m2(&proj.project_polygon(p)))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![
            (x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1), (x: x0, y: y1), (x: x0, y: y0)
        ]])
    }

    /// The area of a latitude–longitude quadrangle has a closed form on the ellipsoid
    /// (authalic latitude): A = (λ1−λ0)·a²/2 · (q(φ1) − q(φ0)). The geodesic polygon through the
    /// four corners is not exactly that quadrangle (its parallels bulge poleward), but for
    /// small cells the two agree to well under 1e-6.
    #[test]
    fn quadrangle_matches_closed_form() {
        let (lon0, lat0, d): (f64, f64, f64) = (106.0, 21.0, 0.01);
        let exact = d.to_radians() * WGS84_A * WGS84_A / 2.0
            * (q_of((lat0 + d).to_radians().sin()) - q_of(lat0.to_radians().sin()));
        let karney = geodesic_area_m2(&rect(lon0, lat0, lon0 + d, lat0 + d));
        let rel = (karney - exact).abs() / exact;
        assert!(rel < 1e-6, "karney {karney} exact {exact} rel {rel}");
        // The projection draws the edges straight, close to geodesics: it agrees with Karney.
        let projected = local_area_m2(&rect(lon0, lat0, lon0 + d, lat0 + d));
        assert!(
            (projected - karney).abs() / karney < 2e-8,
            "projected {projected} karney {karney}"
        );
    }

    /// GeographicLib's own published example: the area of the polygon with vertices at
    /// the given capitals is 1.3e13-ish; here a simpler published check: the whole
    /// WGS84 ellipsoid has area 510,065,621,724,088 m² (GeographicLib docs), and a
    /// quarter-sphere-ish octant is 1/8 of it.
    #[test]
    fn octant_is_one_eighth_of_the_earth() {
        let octant = MultiPolygon(vec![polygon![
            (x: 0.0, y: 0.0), (x: 90.0, y: 0.0), (x: 0.0, y: 90.0), (x: 0.0, y: 0.0)
        ]]);
        let a = geodesic_area_m2(&octant);
        let earth = 510_065_621_724_088.5;
        assert!((a - earth / 8.0).abs() / earth < 1e-12, "{a}");
    }

    #[test]
    fn winding_does_not_matter_and_holes_subtract() {
        let outer = rect(106.0, 21.0, 106.02, 21.02);
        let mut cw = outer.clone();
        cw.0[0].exterior_mut(|r| r.0.reverse());
        let a = geodesic_area_m2(&outer);
        assert!((geodesic_area_m2(&cw) - a).abs() < 1e-6);
        let hole = rect(106.005, 21.005, 106.01, 21.01);
        let with_hole = MultiPolygon(vec![Polygon::new(
            outer.0[0].exterior().clone(),
            vec![hole.0[0].exterior().clone()],
        )]);
        let expect = a - geodesic_area_m2(&hole);
        assert!((geodesic_area_m2(&with_hole) - expect).abs() < 1e-6);
        assert!((local_area_m2(&with_hole) - expect).abs() / expect < 1e-7);
    }

    /// The projection as written in Snyder (arcsine, sines and cosines of β and Δλ): the
    /// cheaper form agrees with it to micrometres, and on parcel areas to 1e-10 (about 1e-12 in fact; the rounding of either form).
    #[test]
    fn projection_matches_the_direct_formulas() {
        let direct = |p: &EqualAreaProjection, c: Coord<f64>| {
            let (beta1, dl) = (p.sin_beta1.asin(), (c.x - p.lon0).to_radians());
            let beta = (q_of(c.y.to_radians().sin()) / p.qp)
                .clamp(-1.0, 1.0)
                .asin();
            let (sin_b, cos_b) = beta.sin_cos();
            let (sin_dl, cos_dl) = dl.sin_cos();
            let b =
                p.rq * (2.0 / (1.0 + beta1.sin() * sin_b + beta1.cos() * cos_b * cos_dl)).sqrt();
            let half = (dl / 2.0).sin();
            let north = (beta - beta1).sin() + beta1.sin() * cos_b * 2.0 * half * half;
            Coord {
                x: b * p.d * cos_b * sin_dl,
                y: b / p.d * north,
            }
        };
        for (lon0, lat0) in [(106.0, 21.0), (105.5, 8.6), (107.9, 23.3), (0.0, -45.0)] {
            let p = EqualAreaProjection::new(lon0, lat0);
            for i in -20..=20 {
                for j in -20..=20 {
                    let c = Coord {
                        x: lon0 + i as f64 * 0.005,
                        y: lat0 + j as f64 * 0.005,
                    };
                    let (a, b) = (p.project(c), direct(&p, c));
                    assert!(
                        (a.x - b.x).abs() < 1e-6 && (a.y - b.y).abs() < 1e-6,
                        "{a:?} {b:?}"
                    );
                    let lot = |f: &dyn Fn(Coord<f64>) -> Coord<f64>| {
                        let ring: Vec<Coord<f64>> = [
                            (0.0, 0.0),
                            (0.002, 0.0003),
                            (0.0017, 0.0021),
                            (-0.0003, 0.0018),
                        ]
                        .iter()
                        .map(|&(dx, dy)| {
                            f(Coord {
                                x: c.x + dx,
                                y: c.y + dy,
                            })
                        })
                        .collect();
                        ring_signed_area(&ring)
                    };
                    let (fast, slow) = (lot(&|c| p.project(c)), lot(&|c| direct(&p, c)));
                    assert!((fast - slow).abs() / slow < 1e-10, "{fast} {slow}");
                }
            }
        }
    }

    /// Parcel-sized polygons (hundreds of metres) through the projection agree with Karney
    /// to 2e-8; a 5 km zone-sized polygon to 5e-7 (zone areas use Karney).
    #[test]
    fn projection_matches_karney_on_parcels_and_zones() {
        for (size, tol) in [(0.002, 2e-8), (0.05, 5e-7)] {
            let (lon, lat) = (106.1, 21.2);
            let skew = MultiPolygon(vec![polygon![
                (x: lon, y: lat), (x: lon + size, y: lat + size * 0.2),
                (x: lon + size * 1.1, y: lat + size), (x: lon - size * 0.3, y: lat + size * 0.8)
            ]]);
            let k = geodesic_area_m2(&skew);
            let p = local_area_m2(&skew);
            assert!(
                (k - p).abs() / k < tol,
                "size {size}: karney {k} projected {p}"
            );
        }
    }
}
