//! The spatial index: an R-tree of feature bounding boxes, for finding a parcel's zone, the
//! pairs of parcels that may overlap, what lies under the cursor and what is on screen.
//!
//! It answers with candidates (bounding boxes meet); callers make the exact test.

use geo::{Coord, Rect};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Features whose box changed since the tree was built (an edit moved, inserted or deleted
/// them), with their box now (`None`: none). The tree's entries for them are stale and left
/// out of answers; these are answered from here. An edit then costs a map insertion, not a
/// rebuild, and a copy of the index shares the tree still. Looked through per query, so the
/// tree is rebuilt once they grow past [`MAX_CHANGED`].
#[derive(Clone, Debug, Default)]
struct Changed(Arc<BTreeMap<usize, Option<Rect<f64>>>>);

/// Changed boxes kept beside the tree before it is rebuilt with them: a query looks through
/// them all (microseconds), a rebuild of a million boxes takes a quarter of a second.
const MAX_CHANGED: usize = 4096;

impl Changed {
    /// Feature `i`'s box is now `bbox`; `true` when the tree should be rebuilt with them all.
    fn record(&mut self, i: usize, bbox: Option<Rect<f64>>) -> bool {
        Arc::make_mut(&mut self.0).insert(i, bbox);
        self.0.len() > MAX_CHANGED
    }

    fn is_stale(&self, i: usize) -> bool {
        self.0.contains_key(&i)
    }

    fn within(&self, r: Rect<f64>) -> impl Iterator<Item = (usize, Rect<f64>)> + '_ {
        self.0
            .iter()
            .filter_map(move |(&i, b)| b.filter(|b| intersects(*b, r)).map(|b| (i, b)))
    }
}

fn intersects(a: Rect<f64>, b: Rect<f64>) -> bool {
    a.min().x <= b.max().x
        && b.min().x <= a.max().x
        && a.min().y <= b.max().y
        && b.min().y <= a.max().y
}

type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// Bounding boxes of a layer's features, keyed by their position in the layer. Never changed
/// once built: its copies share it.
#[derive(Clone, Debug, Default)]
pub struct SpatialIndex {
    tree: Arc<RTree<Entry>>,
    changed: Changed,
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
            changed: Changed::default(),
        }
    }

    /// Feature `i`'s box is now `bbox` (`None`: it has none, or was deleted).
    pub fn update(&mut self, i: usize, bbox: Option<Rect<f64>>) {
        if self.changed.record(i, bbox) {
            *self = SpatialIndex::new(self.boxes());
        }
    }

    /// Every feature's box as the index holds it now.
    fn boxes(&self) -> Vec<(usize, Rect<f64>)> {
        let corner = |c: [f64; 2]| Coord { x: c[0], y: c[1] };
        self.tree
            .iter()
            .filter(|e| !self.changed.is_stale(e.data))
            .map(|e| {
                (
                    e.data,
                    Rect::new(corner(e.geom().lower()), corner(e.geom().upper())),
                )
            })
            .chain(self.changed.0.iter().filter_map(|(&i, b)| Some((i, (*b)?))))
            .collect()
    }

    /// Features whose bounding box contains the point.
    pub fn at(&self, p: Coord<f64>) -> impl Iterator<Item = usize> + '_ {
        self.within(Rect::new(p, p))
    }

    /// Features whose bounding box meets the rectangle.
    pub fn within(&self, r: Rect<f64>) -> impl Iterator<Item = usize> + '_ {
        self.tree
            .locate_in_envelope_intersecting(&aabb(r))
            .map(|e| e.data)
            .filter(|i| !self.changed.is_stale(*i))
            .chain(self.changed.within(r).map(|(i, _)| i))
    }

    pub fn len(&self) -> usize {
        if self.changed.0.is_empty() {
            self.tree.size()
        } else {
            self.boxes().len()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
    changed: Changed,
}

impl Default for CompactIndex {
    fn default() -> Self {
        CompactIndex {
            tree: Arc::new(RTree::new_with_params()),
            changed: Changed::default(),
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

/// A kept box in 64-bit floats.
fn widen(r: &Rectangle<[f32; 2]>) -> Rect<f64> {
    let corner = |c: [f32; 2]| Coord {
        x: f64::from(c[0]),
        y: f64::from(c[1]),
    };
    Rect::new(corner(r.lower()), corner(r.upper()))
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
            changed: Changed::default(),
        }
    }

    /// Feature `i`'s box is now `bbox` (`None`: it has none, or was deleted).
    pub fn update(&mut self, i: usize, bbox: Option<Rect<f64>>) {
        if self.changed.record(i, bbox) {
            *self = CompactIndex::new(self.boxes());
        }
    }

    /// Every feature's box as the index holds it now.
    fn boxes(&self) -> Vec<(usize, Rect<f64>)> {
        self.tree
            .iter()
            .map(|e| (e.data as usize, widen(e.geom())))
            .filter(|(i, _)| !self.changed.is_stale(*i))
            .chain(self.changed.0.iter().filter_map(|(&i, b)| Some((i, (*b)?))))
            .collect()
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
            .map(|e| (e.data as usize, widen(e.geom())))
            .filter(|(i, _)| !self.changed.is_stale(*i))
            .chain(self.changed.within(r))
    }

    pub fn len(&self) -> usize {
        if self.changed.0.is_empty() {
            self.tree.size()
        } else {
            self.boxes().len()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
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

    /// After any updates the answers are a fresh build's over the boxes as they are now, also
    /// once the changed boxes outgrow the overlay and the tree is rebuilt.
    #[test]
    fn updated_boxes_answer_as_a_fresh_build() {
        let unit = |i: usize| {
            let x = (i % 50) as f64 * 0.01;
            let y = (i / 50) as f64 * 0.01;
            Rect::new(coord! {x: x, y: y}, coord! {x: x + 0.005, y: y + 0.005})
        };
        let mut boxes: Vec<Option<Rect<f64>>> = (0..3000).map(|i| Some(unit(i))).collect();
        let mut spatial = SpatialIndex::new(
            boxes
                .iter()
                .enumerate()
                .filter_map(|(i, b)| Some((i, (*b)?))),
        );
        let mut compact = CompactIndex::new(
            boxes
                .iter()
                .enumerate()
                .filter_map(|(i, b)| Some((i, (*b)?))),
        );
        let copy = compact.clone();
        for step in 0..(MAX_CHANGED + 100) {
            let i = (step * 7919) % 3100;
            // Moved (a box elsewhere), deleted (none), or inserted past the end.
            let now = (step % 5 != 0).then(|| unit((i * 31) % 3000));
            if i >= boxes.len() {
                boxes.resize(i + 1, None);
            }
            boxes[i] = now;
            spatial.update(i, now);
            compact.update(i, now);
            if step % 997 == 0 || step == MAX_CHANGED + 99 {
                let fresh: Vec<(usize, Rect<f64>)> = boxes
                    .iter()
                    .enumerate()
                    .filter_map(|(i, b)| Some((i, (*b)?)))
                    .collect();
                let rebuilt = SpatialIndex::new(fresh.clone());
                for q in [
                    unit(0),
                    unit(1234),
                    Rect::new(coord! {x: 0.1, y: 0.1}, coord! {x: 0.3, y: 0.2}),
                ] {
                    let sorted = |it: &mut dyn Iterator<Item = usize>| {
                        let mut v: Vec<usize> = it.collect();
                        v.sort_unstable();
                        v
                    };
                    let want = sorted(&mut rebuilt.within(q));
                    assert_eq!(sorted(&mut spatial.within(q)), want, "step {step}");
                    assert_eq!(sorted(&mut compact.within(q)), want, "step {step}");
                }
                assert_eq!(spatial.len(), fresh.len());
                assert_eq!(compact.len(), fresh.len());
            }
        }
        // The copy taken before the updates still answers as it did.
        assert_eq!(copy.len(), 3000);
        // Boxes 0.005 wide with gaps of 0.005: the first meets only itself.
        assert_eq!(copy.within(unit(0)).collect::<Vec<_>>(), [0]);
    }
}
