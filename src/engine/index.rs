//! The spatial index: an R-tree of feature bounding boxes, for finding a parcel's zone, the
//! pairs of parcels that may overlap, what lies under the cursor and what is on screen.
//!
//! It answers with candidates (bounding boxes meet); callers make the exact test.

use geo::{Coord, Rect};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};
use std::sync::Arc;

type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// Bounding boxes of a layer's features, keyed by their position in the layer. Never changed
/// once built: its copies share it.
#[derive(Clone, Debug, Default)]
pub struct SpatialIndex {
    tree: Arc<RTree<Entry>>,
}

/// The box around all the boxes (`None` for none).
pub fn bounds_of(boxes: impl IntoIterator<Item = Rect<f64>>) -> Option<Rect<f64>> {
    boxes.into_iter().reduce(|a, b| {
        Rect::new(
            Coord {
                x: a.min().x.min(b.min().x),
                y: a.min().y.min(b.min().y),
            },
            Coord {
                x: a.max().x.max(b.max().x),
                y: a.max().y.max(b.max().y),
            },
        )
    })
}

fn aabb(r: Rect<f64>) -> AABB<[f64; 2]> {
    AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y])
}

impl SpatialIndex {
    /// Bulk-loads `(position, bbox)` pairs.
    ///
    /// ```
    /// use geo::{coord, Rect};
    /// use zoneatlas::engine::index::SpatialIndex;
    /// let idx = SpatialIndex::new([(0, Rect::new(coord! {x: 0., y: 0.}, coord! {x: 1., y: 1.}))]);
    /// assert_eq!(idx.at(coord! {x: 0.5, y: 0.5}).collect::<Vec<_>>(), [0]);
    /// assert_eq!(idx.at(coord! {x: 2., y: 0.5}).count(), 0);
    /// ```
    pub fn new(items: impl IntoIterator<Item = (usize, Rect<f64>)>) -> Self {
        let entries = items
            .into_iter()
            .map(|(i, r)| GeomWithData::new(Rectangle::from_aabb(aabb(r)), i))
            .collect();
        SpatialIndex {
            tree: Arc::new(RTree::bulk_load(entries)),
        }
    }

    /// Features whose bounding box contains the point.
    pub fn at(&self, p: Coord<f64>) -> impl Iterator<Item = usize> + '_ {
        self.tree.locate_all_at_point(&[p.x, p.y]).map(|e| e.data)
    }

    /// Features whose bounding box meets the rectangle.
    pub fn within(&self, r: Rect<f64>) -> impl Iterator<Item = usize> + '_ {
        self.tree
            .locate_in_envelope_intersecting(&aabb(r))
            .map(|e| e.data)
    }

    pub fn len(&self) -> usize {
        self.tree.size()
    }

    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }
}

type CompactEntry = GeomWithData<Rectangle<[f32; 2]>, u32>;

/// Wider nodes than rstar's default: fewer inner nodes for many small boxes.
#[derive(Clone, Debug)]
struct WideNodes;

impl rstar::RTreeParams for WideNodes {
    const MIN_SIZE: usize = 8;
    const MAX_SIZE: usize = 16;
    const REINSERTION_COUNT: usize = 4;
    type DefaultInsertionStrategy = rstar::RStarInsertionStrategy;
}

/// Like [`SpatialIndex`], for many small boxes whose candidates are only filtered, never taken
/// in the order found: the lots, for the map and the look-ups under the pointer. Boxes are kept
/// in 32-bit floats rounded outward (a box never shrinks, so no candidate is lost; one a metre
/// away may be added, which the exact test leaves out), positions in 32 bits, in wider nodes:
/// a million lots' boxes take about 47 MB rather than 76 (69 rather than 114 while built).
#[derive(Clone, Debug)]
pub struct CompactIndex {
    tree: Arc<RTree<CompactEntry, WideNodes>>,
}

impl Default for CompactIndex {
    fn default() -> Self {
        CompactIndex {
            tree: Arc::new(RTree::new_with_params()),
        }
    }
}

/// The largest `f32` not above `x`.
fn down(x: f64) -> f32 {
    let f = x as f32;
    if f64::from(f) > x { f.next_down() } else { f }
}

/// The smallest `f32` not below `x`.
fn up(x: f64) -> f32 {
    let f = x as f32;
    if f64::from(f) < x { f.next_up() } else { f }
}

/// `r` in 32-bit floats, rounded outward.
fn compact(r: Rect<f64>) -> AABB<[f32; 2]> {
    AABB::from_corners(
        [down(r.min().x), down(r.min().y)],
        [up(r.max().x), up(r.max().y)],
    )
}

impl CompactIndex {
    /// Bulk-loads `(position, bbox)` pairs (positions below 2³²).
    pub fn new(items: impl IntoIterator<Item = (usize, Rect<f64>)>) -> Self {
        let entries = items
            .into_iter()
            .filter_map(|(i, r)| {
                let i = u32::try_from(i).ok()?;
                Some(GeomWithData::new(Rectangle::from_aabb(compact(r)), i))
            })
            .collect();
        CompactIndex {
            tree: Arc::new(RTree::bulk_load_with_params(entries)),
        }
    }

    /// Features whose bounding box may contain the point.
    pub fn at(&self, p: Coord<f64>) -> impl Iterator<Item = usize> + '_ {
        self.within(Rect::new(p, p))
    }

    /// Features whose bounding box may meet the rectangle.
    pub fn within(&self, r: Rect<f64>) -> impl Iterator<Item = usize> + '_ {
        self.within_boxes(r).map(|(i, _)| i)
    }

    /// Features whose bounding box may meet the rectangle, with their boxes (as kept: at most
    /// a float's step larger).
    pub fn within_boxes(&self, r: Rect<f64>) -> impl Iterator<Item = (usize, Rect<f64>)> + '_ {
        self.tree
            .locate_in_envelope_intersecting(&compact(r))
            .map(|e| {
                let (lo, hi) = (e.geom().lower(), e.geom().upper());
                let corner = |c: [f32; 2]| Coord {
                    x: f64::from(c[0]),
                    y: f64::from(c[1]),
                };
                (e.data as usize, Rect::new(corner(lo), corner(hi)))
            })
    }

    pub fn len(&self) -> usize {
        self.tree.size()
    }

    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coord;

    #[test]
    fn compact_boxes_lose_no_candidate() {
        // Boxes whose corners fall between 32-bit floats, touching the query's edges.
        let boxes: Vec<Rect<f64>> = (0..2000)
            .map(|i| {
                let x = 106.123_456_789_012 + f64::from(i) * 1.000_000_1e-5;
                Rect::new(
                    coord! {x: x, y: 21.0},
                    coord! {x: x + 3.3e-6, y: 21.000_003_3},
                )
            })
            .collect();
        let index = CompactIndex::new(boxes.iter().copied().enumerate());
        let exact = SpatialIndex::new(boxes.iter().copied().enumerate());
        assert_eq!(index.len(), 2000);
        for (k, q) in boxes.iter().enumerate().step_by(7) {
            let mut a: Vec<usize> = index.within(*q).collect();
            let mut b: Vec<usize> = exact.within(*q).collect();
            a.sort_unstable();
            b.sort_unstable();
            assert!(
                b.iter().all(|i| a.contains(i)),
                "query {k}: {b:?} within {a:?}"
            );
            // The corner point of each box finds it.
            assert!(index.at(q.min()).any(|i| i == k));
            assert!(index.at(q.max()).any(|i| i == k));
        }
        for (i, kept) in index.within_boxes(boxes[10]) {
            let b = boxes[i];
            assert!(kept.min().x <= b.min().x && kept.max().x >= b.max().x);
            assert!(kept.max().x - b.max().x < 1e-5);
        }
    }
}
