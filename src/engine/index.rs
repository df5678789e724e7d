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
