//! Points on geodesic edges (GeographicLib's direct and inverse problems on WGS84): where a
//! geodesic crosses an edge, and the point of an edge nearest a position.
//!
//! The offsets of a point from a geodesic through A are measured in the azimuthal equidistant
//! view from A, where every geodesic through A is a straight line: along-track s·cos Δα and
//! cross-track s·sin Δα (s and α from A to the point). Across the few millimetres that matter
//! here the view's transverse scale differs from 1 by s²/6R² (1e-7 at 5 km), so the offsets
//! are exact for our purposes and change sign exactly on the geodesic.

use geo::Coord;
use geographiclib_rs::{DirectGeodesic, Geodesic, InverseGeodesic};
use std::sync::OnceLock;

fn wgs84() -> &'static Geodesic {
    static G: OnceLock<Geodesic> = OnceLock::new();
    G.get_or_init(Geodesic::wgs84)
}

/// A root is found once its bracket is narrower than this along the edge, metres (a nanometre:
/// below the resolution of a double in degrees, about 1.6 nm at 106° E).
const ROOT_WIDTH_M: f64 = 1e-9;

/// A point found this close to a position is that position, metres: a few units in the last
/// place of a coordinate, so that a line drawn through a vertex (whose positions, rounded,
/// pass it at a nanometre) meets it there instead of adding a nanometre-long edge. Inserting a
/// position this far off an edge changes a 100 m lot's area by 1e-10.
pub(crate) const SAME_POINT_M: f64 = 1e-8;

/// The geodesic from one position to another.
#[derive(Clone, Copy, Debug)]
pub(crate) struct GeodesicEdge {
    from: Coord<f64>,
    to: Coord<f64>,
    /// Azimuth at `from`, degrees clockwise from north.
    azimuth: f64,
    /// Length, metres.
    length: f64,
}

/// Where on an edge a point was found.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum OnEdge {
    /// At the edge's first position (its bits).
    Start,
    /// At its last position.
    End,
    /// Between them: the distance from the start (metres) and the point.
    Inside(f64, Coord<f64>),
}

impl GeodesicEdge {
    pub(crate) fn new(from: Coord<f64>, to: Coord<f64>) -> Self {
        let (length, azimuth, _azi2, _a12): (f64, f64, f64, f64) =
            wgs84().inverse(from.y, from.x, to.y, to.x);
        Self {
            from,
            to,
            azimuth,
            length,
        }
    }

    pub(crate) fn length(&self) -> f64 {
        self.length
    }

    /// The point `s` metres from the start along the geodesic.
    pub(crate) fn point_at(&self, s: f64) -> Coord<f64> {
        let (lat, lon): (f64, f64) = wgs84().direct(self.from.y, self.from.x, self.azimuth, s);
        Coord { x: lon, y: lat }
    }

    /// Along-track and cross-track offsets of `p` from this geodesic (extended past its ends),
    /// metres; cross-track is positive to the left of the edge's direction.
    pub(crate) fn offsets(&self, p: Coord<f64>) -> (f64, f64) {
        let (s, azimuth, _azi2, _a12): (f64, f64, f64, f64) =
            wgs84().inverse(self.from.y, self.from.x, p.y, p.x);
        let turn = (azimuth - self.azimuth).to_radians();
        (s * turn.cos(), -s * turn.sin())
    }

    /// Distance from `p` to the nearest point of the edge, metres, and that point.
    pub(crate) fn nearest(&self, p: Coord<f64>) -> (f64, OnEdge) {
        let (along, _) = self.offsets(p);
        let at = self.place(along);
        let point = match at {
            OnEdge::Start => self.from,
            OnEdge::End => self.to,
            OnEdge::Inside(_, c) => c,
        };
        let d: f64 = wgs84().inverse(p.y, p.x, point.y, point.x);
        (d, at)
    }

    /// The point at `along` metres, or an end when within [`SAME_POINT_M`] of it (or beyond).
    pub(crate) fn place(&self, along: f64) -> OnEdge {
        if along.is_nan() || along <= SAME_POINT_M {
            OnEdge::Start
        } else if along >= self.length - SAME_POINT_M {
            OnEdge::End
        } else {
            OnEdge::Inside(along, self.point_at(along))
        }
    }

    /// Where the geodesic through `line` (extended past its ends) crosses this edge, found by
    /// regula falsi (Illinois) on the signed cross-track offset from `line` of the point at s
    /// along this edge. When the offset has the same sign at both ends (the two geodesics meet
    /// within nanometres of an end, where the exact predicates in degrees saw a crossing), the
    /// nearer end.
    pub(crate) fn crossing(&self, line: &GeodesicEdge) -> OnEdge {
        let f = |s: f64| line.offsets(self.point_at(s)).1;
        let (mut lo, mut hi) = (0.0, self.length);
        let (mut f_lo, mut f_hi) = (line.offsets(self.from).1, line.offsets(self.to).1);
        if f_lo == 0.0 || !f_lo.is_finite() || !f_hi.is_finite() {
            return OnEdge::Start;
        }
        if f_hi == 0.0 {
            return OnEdge::End;
        }
        if (f_lo > 0.0) == (f_hi > 0.0) {
            return if f_lo.abs() <= f_hi.abs() {
                OnEdge::Start
            } else {
                OnEdge::End
            };
        }
        let mut s = lo;
        // Illinois: the side kept twice in a row has its value halved, so the bracket shrinks
        // from both ends; each step costs a direct and an inverse problem (about 2 µs).
        let mut kept = 0i8;
        for _ in 0..200 {
            s = hi - f_hi * (hi - lo) / (f_hi - f_lo);
            if s.is_nan() || s <= lo || s >= hi {
                s = 0.5 * (lo + hi);
            }
            let f_s = f(s);
            if f_s == 0.0 || !f_s.is_finite() {
                break;
            }
            if (f_s > 0.0) == (f_lo > 0.0) {
                lo = s;
                f_lo = f_s;
                if kept == -1 {
                    f_hi /= 2.0;
                }
                kept = -1;
            } else {
                hi = s;
                f_hi = f_s;
                if kept == 1 {
                    f_lo /= 2.0;
                }
                kept = 1;
            }
            if hi - lo < ROOT_WIDTH_M {
                s = if f_lo.abs() < f_hi.abs() { lo } else { hi };
                break;
            }
        }
        self.place(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(x: f64, y: f64) -> Coord<f64> {
        Coord { x, y }
    }

    /// A point found on an edge lies on its geodesic: the geodesic from the start through the
    /// point and on to the end is as long as the edge, to nanometres, and its cross-track
    /// offset is below a nanometre. The straight line in degrees misses by millimetres.
    #[test]
    fn crossing_is_on_both_geodesics() {
        let edge = GeodesicEdge::new(c(106.0, 21.0), c(106.02, 21.0)); // 2 km east
        let cut = GeodesicEdge::new(c(106.007, 20.99), c(106.0071, 21.01));
        let OnEdge::Inside(s, x) = edge.crossing(&cut) else {
            panic!("no crossing");
        };
        assert!(edge.offsets(x).1.abs() < 1e-9, "{:?}", edge.offsets(x));
        assert!(cut.offsets(x).1.abs() < 1e-9, "{:?}", cut.offsets(x));
        let (a, b) = (
            GeodesicEdge::new(c(106.0, 21.0), x).length(),
            GeodesicEdge::new(x, c(106.02, 21.0)).length(),
        );
        assert!((a + b - edge.length()).abs() < 1e-8, "{a} + {b}");
        assert!((a - s).abs() < 1e-8);
        // The geodesic bulges north of the parallel: at the crossing about 2.7 mm.
        let (_, straight) = edge.offsets(c(x.x, 21.0));
        assert!(straight < -1e-3, "{straight}");
    }

    #[test]
    fn crossing_at_an_end_gives_the_end() {
        let edge = GeodesicEdge::new(c(106.0, 21.0), c(106.01, 21.0));
        let cut = GeodesicEdge::new(c(106.0, 20.99), c(106.0, 21.01));
        assert_eq!(edge.crossing(&cut), OnEdge::Start);
        let cut = GeodesicEdge::new(c(106.01, 20.99), c(106.01, 21.01));
        assert_eq!(edge.crossing(&cut), OnEdge::End);
    }

    #[test]
    fn nearest_point_is_the_foot() {
        let edge = GeodesicEdge::new(c(106.0, 21.0), c(106.0, 21.01));
        let (d, at) = edge.nearest(c(106.0001, 21.005));
        let OnEdge::Inside(_, foot) = at else {
            panic!("{at:?}");
        };
        assert!((d - 10.4).abs() < 0.1, "{d}");
        assert!((foot.y - 21.005).abs() < 1e-7, "{foot:?}");
        assert_eq!(edge.nearest(c(105.9, 20.9)).1, OnEdge::Start);
    }
}
