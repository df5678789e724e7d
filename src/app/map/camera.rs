//! The map memory: where the map looks (centre in world coordinates) and how close (zoom),
//! owned by whoever shows the map. Fitting to bounds, zooming about the cursor, panning and
//! short flights.

use egui::{Pos2, Rect, Vec2};
use geo::Coord;

use super::projection::{TILE_PX, World, to_lonlat, to_world};

pub const MIN_ZOOM: f64 = 2.0;
pub const MAX_ZOOM: f64 = 21.0;
/// How long a flight to a feature takes, seconds.
pub const FLIGHT_S: f64 = 0.4;

#[derive(Clone, Copy, Debug, PartialEq)]
struct Flight {
    from: (World, f64),
    /// Fitted against the view of each frame, so that panels resizing meanwhile do not matter.
    to: geo::Rect<f64>,
    margin: f32,
    start: f64,
}

/// Centre and zoom.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Camera {
    pub centre: World,
    pub zoom: f64,
    flight: Option<Flight>,
}

impl Default for Camera {
    fn default() -> Self {
        // Northern Vietnam.
        Camera {
            centre: to_world(Coord { x: 106.0, y: 21.0 }),
            zoom: 8.0,
            flight: None,
        }
    }
}

impl Camera {
    /// Screen pixels per world unit.
    pub fn scale(&self) -> f64 {
        TILE_PX * 2f64.powf(self.zoom)
    }

    pub fn world_to_screen(&self, w: World, view: Rect) -> Pos2 {
        let s = self.scale();
        let c = view.center();
        Pos2::new(
            c.x + ((w.x - self.centre.x) * s) as f32,
            c.y + ((w.y - self.centre.y) * s) as f32,
        )
    }

    pub fn screen_to_world(&self, p: Pos2, view: Rect) -> World {
        let s = self.scale();
        let c = view.center();
        Coord {
            x: self.centre.x + f64::from(p.x - c.x) / s,
            y: self.centre.y + f64::from(p.y - c.y) / s,
        }
    }

    pub fn lonlat_to_screen(&self, c: Coord<f64>, view: Rect) -> Pos2 {
        self.world_to_screen(to_world(c), view)
    }

    pub fn screen_to_lonlat(&self, p: Pos2, view: Rect) -> Coord<f64> {
        to_lonlat(self.screen_to_world(p, view))
    }

    /// The longitude/latitude rectangle the view shows.
    pub fn visible_lonlat(&self, view: Rect) -> geo::Rect<f64> {
        let a = self.screen_to_lonlat(view.left_top(), view);
        let b = self.screen_to_lonlat(view.right_bottom(), view);
        geo::Rect::new(a, b)
    }

    /// The camera that shows a longitude/latitude rectangle whole, with a margin in pixels.
    pub fn fitting(bounds: geo::Rect<f64>, view: Rect, margin: f32) -> Camera {
        let a = to_world(bounds.min());
        let b = to_world(bounds.max());
        let (w, h) = ((b.x - a.x).abs().max(1e-9), (b.y - a.y).abs().max(1e-9));
        let avail = (view.size() - Vec2::splat(2.0 * margin)).max(Vec2::splat(16.0));
        let scale = (f64::from(avail.x) / w).min(f64::from(avail.y) / h);
        let zoom = (scale / TILE_PX).log2().clamp(MIN_ZOOM, MAX_ZOOM);
        Camera {
            centre: Coord {
                x: (a.x + b.x) / 2.0,
                y: (a.y + b.y) / 2.0,
            },
            zoom,
            flight: None,
        }
    }

    /// Jumps to show `bounds`.
    pub fn fit(&mut self, bounds: geo::Rect<f64>, view: Rect, margin: f32) {
        *self = Camera::fitting(bounds, view, margin);
    }

    /// Flies to show `bounds` over [`FLIGHT_S`] seconds from time `now`.
    pub fn fly_to(&mut self, bounds: geo::Rect<f64>, margin: f32, now: f64) {
        self.flight = Some(Flight {
            from: (self.centre, self.zoom),
            to: bounds,
            margin,
            start: now,
        });
    }

    /// Advances a flight; true while one is under way.
    pub fn animate(&mut self, now: f64, view: Rect) -> bool {
        let Some(f) = self.flight else { return false };
        let to = Camera::fitting(f.to, view, f.margin);
        let t = ((now - f.start) / FLIGHT_S).clamp(0.0, 1.0);
        let e = t * t * (3.0 - 2.0 * t);
        self.zoom = f.from.1 + (to.zoom - f.from.1) * e;
        self.centre = Coord {
            x: f.from.0.x + (to.centre.x - f.from.0.x) * e,
            y: f.from.0.y + (to.centre.y - f.from.0.y) * e,
        };
        if t >= 1.0 {
            self.flight = None;
        }
        self.flight.is_some()
    }

    /// Moves the map by a screen delta (dragging moves the ground with the pointer).
    pub fn pan(&mut self, delta: Vec2) {
        self.flight = None;
        let s = self.scale();
        self.centre.x -= f64::from(delta.x) / s;
        self.centre.y -= f64::from(delta.y) / s;
        self.centre.x = self.centre.x.clamp(0.0, 1.0);
        self.centre.y = self.centre.y.clamp(0.0, 1.0);
    }

    /// Zooms by `factor` keeping the ground under `about` where it is.
    pub fn zoom_about(&mut self, about: Pos2, view: Rect, factor: f64) {
        self.flight = None;
        let before = self.screen_to_world(about, view);
        self.zoom = (self.zoom + factor.log2()).clamp(MIN_ZOOM, MAX_ZOOM);
        let after = self.screen_to_world(about, view);
        self.centre.x += before.x - after.x;
        self.centre.y += before.y - after.y;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> Rect {
        Rect::from_min_size(Pos2::new(100.0, 50.0), Vec2::new(800.0, 600.0))
    }

    #[test]
    fn zoom_about_cursor_keeps_the_ground_there() {
        let mut cam = Camera::default();
        let p = Pos2::new(300.0, 200.0);
        let ground = cam.screen_to_lonlat(p, view());
        cam.zoom_about(p, view(), 2.0);
        let after = cam.lonlat_to_screen(ground, view());
        assert!((after - p).length() < 1e-3, "{after:?}");
    }

    #[test]
    fn fitting_shows_the_bounds() {
        let b = geo::Rect::new(Coord { x: 105.9, y: 21.0 }, Coord { x: 106.3, y: 21.3 });
        let cam = Camera::fitting(b, view(), 20.0);
        let inner = view().shrink(19.0);
        assert!(inner.contains(cam.lonlat_to_screen(b.min(), view())));
        assert!(inner.contains(cam.lonlat_to_screen(b.max(), view())));
        // …and tightly: one side touches the margin.
        let a = cam.lonlat_to_screen(b.min(), view());
        let c = cam.lonlat_to_screen(b.max(), view());
        assert!(((c.x - a.x) - 760.0).abs() < 1.0 || ((a.y - c.y) - 560.0).abs() < 1.0);
    }

    #[test]
    fn flight_ends_at_the_target() {
        let mut cam = Camera::default();
        let b = geo::Rect::new(Coord { x: 105.9, y: 21.0 }, Coord { x: 106.0, y: 21.1 });
        let target = Camera::fitting(b, view(), 10.0);
        cam.fly_to(b, 10.0, 1.0);
        assert!(cam.animate(1.1, view()));
        assert!(!cam.animate(1.0 + FLIGHT_S + 0.01, view()));
        assert_eq!((cam.centre, cam.zoom), (target.centre, target.zoom));
    }
}
