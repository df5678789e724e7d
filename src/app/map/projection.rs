//! Web Mercator: longitude/latitude ↔ "world" coordinates, the unit square with x to the east
//! and y to the south (as on screen). Screen pixels are world × `256 · 2^zoom`, see
//! [`super::camera::Camera`].

use geo::Coord;
use std::f64::consts::PI;

/// Pixels across the world at zoom 0.
pub const TILE_PX: f64 = 256.0;
/// Web Mercator stops here so that the poles stay finite.
pub const MAX_LAT: f64 = 85.051_128_78;
/// Equatorial circumference of the WGS84 ellipsoid, metres.
pub const EARTH_CIRCUMFERENCE_M: f64 = 40_075_016.686;

/// A point in world coordinates (unit square).
pub type World = Coord<f64>;

/// Longitude/latitude (degrees) to world coordinates.
pub fn to_world(c: Coord<f64>) -> World {
    let lat = c.y.clamp(-MAX_LAT, MAX_LAT).to_radians();
    Coord {
        x: (c.x + 180.0) / 360.0,
        y: (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / PI) / 2.0,
    }
}

/// World coordinates to longitude/latitude (degrees).
pub fn to_lonlat(w: World) -> Coord<f64> {
    let n = PI * (1.0 - 2.0 * w.y);
    Coord {
        x: w.x * 360.0 - 180.0,
        y: n.sinh().atan().to_degrees(),
    }
}

/// Ground metres per world unit at a latitude (Mercator stretches by 1/cos φ).
pub fn metres_per_world_unit(lat_deg: f64) -> f64 {
    EARTH_CIRCUMFERENCE_M * lat_deg.to_radians().cos()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_known_points() {
        let c = Coord {
            x: 106.07,
            y: 21.18,
        };
        let back = to_lonlat(to_world(c));
        assert!((back.x - c.x).abs() < 1e-9 && (back.y - c.y).abs() < 1e-9);
        let origin = to_world(Coord { x: 0.0, y: 0.0 });
        assert!((origin.x - 0.5).abs() < 1e-12 && (origin.y - 0.5).abs() < 1e-12);
        // North is up: a larger latitude has a smaller y.
        assert!(to_world(Coord { x: 0.0, y: 10.0 }).y < 0.5);
    }
}
