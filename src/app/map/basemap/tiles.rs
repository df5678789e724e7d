//! Which tiles a view needs: the zoom level of the tiles, the tiles the view shows, one ring
//! around them (never more than the visible tiles again), and where each is on screen.

use egui::{Pos2, Rect};

use super::super::camera::Camera;

/// A tile of the XYZ scheme: rows counted from the north (MBTiles counts from the south).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileId {
    pub z: u8,
    pub x: u32,
    pub y: u32,
}

impl TileId {
    /// The tile one level up that contains this one.
    pub fn parent(self) -> Option<TileId> {
        (self.z > 0).then(|| TileId {
            z: self.z - 1,
            x: self.x / 2,
            y: self.y / 2,
        })
    }

    /// Where it is on screen.
    pub fn screen_rect(self, camera: &Camera, view: Rect) -> Rect {
        let n = f64::from(1u32 << self.z);
        let corner = |x: u32, y: u32| {
            camera.world_to_screen(
                geo::Coord {
                    x: f64::from(x) / n,
                    y: f64::from(y) / n,
                },
                view,
            )
        };
        Rect::from_min_max(corner(self.x, self.y), corner(self.x + 1, self.y + 1))
    }

    /// The part of ancestor `a` this tile covers, in `a`'s texture coordinates (0–1).
    pub fn uv_in(self, a: TileId) -> Rect {
        let levels = u32::from(self.z - a.z);
        let k = (1u32 << levels) as f32;
        let (ox, oy) = (self.x - (a.x << levels), self.y - (a.y << levels));
        Rect::from_min_max(
            Pos2::new(ox as f32 / k, oy as f32 / k),
            Pos2::new((ox + 1) as f32 / k, (oy + 1) as f32 / k),
        )
    }
}

/// The tiles' zoom level for a camera: its zoom rounded (tiles then show between 0.7 and 1.4
/// times their size), within what the source has.
pub fn tile_zoom(camera_zoom: f64, min: u8, max: u8) -> u8 {
    (camera_zoom.round().max(0.0) as u8).clamp(min, max.max(min))
}

/// The tiles of level `z` a view shows, from the centre out; then at most as many of the ring
/// around them, from the centre out (so that a pan shows tiles already there).
pub fn wanted(camera: &Camera, view: Rect, z: u8) -> (Vec<TileId>, Vec<TileId>) {
    let n = 1i64 << z;
    let a = camera.screen_to_world(view.left_top(), view);
    let b = camera.screen_to_world(view.right_bottom(), view);
    let cell = |w: f64| ((w * n as f64).floor() as i64).clamp(-1, n);
    let (x0, x1) = (cell(a.x), cell(b.x - 1e-12));
    let (y0, y1) = (cell(a.y), cell(b.y - 1e-12));
    let centre = camera.screen_to_world(view.center(), view);
    let (cx, cy) = (centre.x * n as f64, centre.y * n as f64);
    let dist = |t: &TileId| {
        let dx = f64::from(t.x) + 0.5 - cx;
        let dy = f64::from(t.y) + 0.5 - cy;
        dx * dx + dy * dy
    };
    let tile = |x: i64, y: i64| {
        ((0..n).contains(&x) && (0..n).contains(&y)).then_some(TileId {
            z,
            x: x as u32,
            y: y as u32,
        })
    };
    let mut visible: Vec<TileId> = (y0..=y1)
        .flat_map(|y| (x0..=x1).map(move |x| (x, y)))
        .filter_map(|(x, y)| tile(x, y))
        .collect();
    visible.sort_by(|p, q| dist(p).total_cmp(&dist(q)));
    let mut ring: Vec<TileId> = (y0 - 1..=y1 + 1)
        .flat_map(|y| (x0 - 1..=x1 + 1).map(move |x| (x, y)))
        .filter(|&(x, y)| x < x0 || x > x1 || y < y0 || y > y1)
        .filter_map(|(x, y)| tile(x, y))
        .collect();
    ring.sort_by(|p, q| dist(p).total_cmp(&dist(q)));
    ring.truncate(visible.len());
    (visible, ring)
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::Vec2;

    #[test]
    fn the_view_and_one_ring_never_more_than_twice_the_visible() {
        let view = Rect::from_min_size(Pos2::new(10.0, 20.0), Vec2::new(800.0, 600.0));
        let camera = Camera::default();
        let z = tile_zoom(camera.zoom, 0, 19);
        let (visible, ring) = wanted(&camera, view, z);
        // 800 × 600 pixels at a whole zoom: 4 or 5 tiles across, 3 or 4 down.
        assert!((12..=20).contains(&visible.len()), "{}", visible.len());
        assert!(ring.len() <= visible.len());
        for t in &visible {
            assert!(t.screen_rect(&camera, view).intersects(view), "{t:?}");
        }
        for t in &ring {
            assert!(!t.screen_rect(&camera, view).shrink(0.5).intersects(view));
        }
        // A view smaller than a tile: one or a few tiles, and as many of the ring at most.
        let small = Rect::from_min_size(Pos2::ZERO, Vec2::new(40.0, 30.0));
        let (v, r) = wanted(&camera, small, z);
        assert!(v.len() <= 4 && r.len() <= v.len());
    }

    #[test]
    fn parents_and_their_parts() {
        let t = TileId { z: 5, x: 11, y: 6 };
        let p = t.parent().expect("parent");
        assert_eq!(p, TileId { z: 4, x: 5, y: 3 });
        let uv = t.uv_in(p);
        assert_eq!(
            uv,
            Rect::from_min_max(Pos2::new(0.5, 0.0), Pos2::new(1.0, 0.5))
        );
        let g = p.parent().expect("grandparent");
        let uv = t.uv_in(g);
        assert_eq!(uv.width(), 0.25);
        assert_eq!(tile_zoom(20.6, 0, 19), 19);
        assert_eq!(tile_zoom(8.4, 0, 19), 8);
    }
}
