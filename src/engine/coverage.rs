//! Land covered inside one zone: the zone's geodesic area, and how much of it its parcels
//! cover, each piece of ground counted once.
//!
//! Everything happens in an ellipsoidal equal-area projection centred on the zone, so planar
//! areas there are ellipsoidal areas. Most parcels lie wholly inside their zone and touch their
//! neighbours only along shared edges; their areas simply add up. Only parcels that stick out
//! of the zone (clipped exactly) and parcels that overlap another of the same kind (unioned
//! exactly) go through polygon Boolean operations.

use geo::{BooleanOps, BoundingRect, Coord, MultiPolygon, Polygon, Rect, unary_union};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree, RTreeObject};
use std::collections::{HashMap, HashSet};

use super::geodesy::{EqualAreaProjection, M2_PER_HA, geodesic_area_m2, planar_area_m2};

/// Depth (metres) by which two convex parcels must interpenetrate along every axis before
/// their overlap is measured exactly; shared edges written with the same coordinates meet at
/// depth 0 up to rounding.
const TOUCH_TOLERANCE_M: f64 = 1e-4;
/// Outside parts and overlaps smaller than this (m²) are rounding, not data.
const AREA_TOLERANCE_M2: f64 = 0.05;
/// How far (m) a vertex may sit off the line through its neighbours and still be collinear.
const CONVEX_TOLERANCE_M: f64 = 1e-3;
/// Overlaps smaller than this (m²) are not reported: a square metre along a 200 m shared edge
/// is a sliver 5 mm wide, below what a survey can tell apart. (They still count once in the
/// leased land, as every overlap does.)
const OVERLAP_MIN_M2: f64 = 1.0;

/// One parcel of the zone as the coverage sees it.
pub struct ParcelInZone<'a> {
    /// The caller's key (position in the parcels layer).
    pub key: usize,
    pub geometry: &'a MultiPolygon<f64>,
}

/// How one parcel sits in its zone.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placement {
    /// Ellipsoidal area of the whole parcel, m².
    pub area_m2: f64,
    /// The part inside the zone, m².
    pub inside_m2: f64,
    /// Measured by clipping the zone's rings (the parcel meets its boundary), rather than
    /// known to lie wholly inside or outside: a change anywhere on the boundary may change
    /// it in the last bits.
    pub clipped: bool,
}

impl Placement {
    pub fn outside_m2(&self) -> f64 {
        (self.area_m2 - self.inside_m2).max(0.0)
    }

    pub fn straddles(&self) -> bool {
        self.outside_m2() > AREA_TOLERANCE_M2.max(self.area_m2 * 1e-9)
    }

    /// Sticks out far enough to be a data error worth a finding. Zone edges are geodesics (the
    /// zone's area is geodesic), while a lot drawn flush with an edge has its corners on the
    /// straight line between the edge's ends in longitude/latitude: along a kilometre-long
    /// east–west edge the two part by millimetres, so a flush lot "sticks out" by a fraction of
    /// a square metre. Like overlaps, less than a square metre is not reported (it is
    /// still clipped off in the figures).
    pub fn reportable_straddle(&self) -> bool {
        self.straddles() && self.outside_m2() >= OVERLAP_MIN_M2
    }
}

/// Two parcels whose interiors overlap, by `area_m2`. `a` and `b` index the parcel slice.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Overlap {
    pub a: usize,
    pub b: usize,
    pub area_m2: f64,
}

impl Overlap {
    /// Large enough to be a data error worth a finding (every overlap still counts once).
    pub fn reportable(&self) -> bool {
        self.area_m2 >= OVERLAP_MIN_M2
    }
}

/// How a zone's parcels sit in it: each parcel's placement and the overlapping pairs. This is
/// all that measuring the land of any choice of them needs, but for groups of overlapping
/// parcels that only a union can measure, so it is what a zone keeps (about 16 bytes a
/// parcel) to measure again when statuses or land uses change, or as of another date,
/// without projecting every shape again.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CoverageFacts {
    /// Per parcel, in the order given.
    pub placements: Vec<Placement>,
    /// Overlapping pairs (indices into the parcels given), `a < b`.
    pub overlaps: Vec<Overlap>,
}

/// The geometric facts of one zone and its parcels, with the parcels' shapes projected.
pub struct ZoneCoverage {
    projection: EqualAreaProjection,
    zone: MultiPolygon<f64>,
    projected: Vec<MultiPolygon<f64>>,
    pub facts: CoverageFacts,
}

/// Geodesic (Karney) area of a zone, hectares.
pub fn zone_area_ha(zone: &MultiPolygon<f64>) -> f64 {
    geodesic_area_m2(zone) / M2_PER_HA
}

impl ZoneCoverage {
    /// Places every parcel in the zone and finds the overlapping pairs.
    pub fn new(
        zone: &MultiPolygon<f64>,
        zone_bbox: Rect<f64>,
        parcels: &[ParcelInZone],
    ) -> ZoneCoverage {
        let projection = EqualAreaProjection::for_zone(zone_bbox);
        let zone_m = projection.project_multi(zone);
        let boundary = boundary_index(&zone_m);
        let grid = ClearCells::new(&zone_m, &boundary, parcels.len());
        let projected: Vec<MultiPolygon<f64>> = parcels
            .iter()
            .map(|p| projection.project_multi(p.geometry))
            .collect();
        let placements = projected
            .iter()
            .map(|pm| place(pm, &zone_m, &boundary, grid.as_ref()))
            .collect();
        let overlaps = find_overlaps(&projected);
        ZoneCoverage {
            projection,
            zone: zone_m,
            projected,
            facts: CoverageFacts {
                placements,
                overlaps,
            },
        }
    }

    /// Ground inside the zone covered by the chosen parcels, each piece once, in hectares.
    /// `chosen[i]` says whether parcel `i` (in the order given) counts.
    pub fn covered_ha(&self, chosen: &[bool]) -> f64 {
        self.facts.covered_ha(chosen, |members| {
            let union = unary_union(members.iter().map(|&m| &self.projected[m]));
            planar_area_m2(&union.intersection(&self.zone))
        })
    }

    /// The projection the coverage was measured in.
    pub fn projection(&self) -> &EqualAreaProjection {
        &self.projection
    }

    /// The facts alone, without the projected shapes.
    pub fn into_facts(self) -> CoverageFacts {
        self.facts
    }
}

/// The ground inside `zone` that `parcels` cover together, m², measured as [`ZoneCoverage`]
/// measures a group it cannot add up (in the same projection, so to the same last bit): for
/// measuring from [`CoverageFacts`] kept without the projected shapes.
pub fn union_inside_m2(
    zone: &MultiPolygon<f64>,
    zone_bbox: Rect<f64>,
    parcels: &[&MultiPolygon<f64>],
) -> f64 {
    let projection = EqualAreaProjection::for_zone(zone_bbox);
    let zone_m = projection.project_multi(zone);
    let projected: Vec<MultiPolygon<f64>> = parcels
        .iter()
        .map(|p| projection.project_multi(p))
        .collect();
    planar_area_m2(&unary_union(projected.iter()).intersection(&zone_m))
}

impl CoverageFacts {
    /// Ground inside the zone covered by the chosen parcels, each piece once, in hectares.
    /// `chosen[i]` says whether parcel `i` (in the order given) counts. `union_m2(members)`
    /// measures, in m², the ground inside the zone that a group of overlapping parcels covers
    /// together, for the groups that cannot be added up (one sticks out of the zone, or three
    /// overlap one another).
    pub fn covered_ha(&self, chosen: &[bool], union_m2: impl Fn(&[usize]) -> f64) -> f64 {
        // Overlaps among the chosen parcels, as a graph; parcels in no overlap simply add up.
        let pairs: Vec<&Overlap> = self
            .overlaps
            .iter()
            .filter(|o| chosen[o.a] && chosen[o.b])
            .collect();
        let mut neighbours: HashMap<usize, Vec<usize>> = HashMap::new();
        for o in &pairs {
            neighbours.entry(o.a).or_default().push(o.b);
            neighbours.entry(o.b).or_default().push(o.a);
        }
        let simple: f64 = (0..chosen.len())
            .filter(|&i| chosen[i] && !neighbours.contains_key(&i))
            .map(|i| self.placements[i].inside_m2)
            .sum();
        // Each group of overlapping parcels: when every member lies inside the zone and no
        // three overlap one another, inclusion–exclusion is exact (Σ areas − Σ pairwise
        // overlaps: a point in three parcels would need a triangle). Otherwise, a union.
        // Each pair found from its first parcel, and every pair as a set, so that a group's
        // pairs and triangles are looked up, not searched for (one lot overlapping thousands
        // would otherwise cost millions of comparisons).
        let mut pairs_of: HashMap<usize, Vec<usize>> = HashMap::new();
        for (k, o) in pairs.iter().enumerate() {
            pairs_of.entry(o.a).or_default().push(k);
        }
        let adjacent: HashSet<(usize, usize)> =
            pairs.iter().map(|o| (o.a.min(o.b), o.a.max(o.b))).collect();
        let meet = |x: usize, y: usize| adjacent.contains(&(x.min(y), x.max(y)));
        let mut seen: HashSet<usize> = HashSet::new();
        let mut grouped = 0.0;
        let mut starts: Vec<usize> = neighbours.keys().copied().collect();
        starts.sort_unstable();
        for start in starts {
            if !seen.insert(start) {
                continue;
            }
            let mut members = vec![start];
            let mut k = 0;
            while k < members.len() {
                for &n in &neighbours[&members[k]] {
                    if seen.insert(n) {
                        members.push(n);
                    }
                }
                k += 1;
            }
            let inside = members
                .iter()
                .all(|&m| !self.placements[m].straddles() && self.placements[m].inside_m2 > 0.0);
            // Three parcels that overlap one another: for each pair, a third beside both,
            // looked for among the neighbours of the one with fewer.
            let mut mine: Vec<usize> = members
                .iter()
                .flat_map(|m| pairs_of.get(m).into_iter().flatten().copied())
                .collect();
            let triangle = mine.iter().any(|&p| {
                let (a, b) = (pairs[p].a, pairs[p].b);
                let (few, many) = if neighbours[&a].len() <= neighbours[&b].len() {
                    (a, b)
                } else {
                    (b, a)
                };
                neighbours[&few].iter().any(|&c| c != many && meet(c, many))
            });
            grouped += if inside && !triangle {
                // The group's pairs in the order they were found (the same sum as ever).
                mine.sort_unstable();
                members
                    .iter()
                    .map(|&m| self.placements[m].area_m2)
                    .sum::<f64>()
                    - mine.iter().map(|&p| pairs[p].area_m2).sum::<f64>()
            } else {
                union_m2(&members)
            };
        }
        (simple + grouped) / M2_PER_HA
    }
}

type Edge = GeomWithData<Rectangle<[f64; 2]>, (Coord<f64>, Coord<f64>)>;

/// The zone's boundary segments, indexed, to tell at once whether a parcel can cross it.
fn boundary_index(zone: &MultiPolygon<f64>) -> RTree<Edge> {
    let mut edges = Vec::new();
    for p in &zone.0 {
        for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
            for l in ring.lines() {
                let r = AABB::from_corners([l.start.x, l.start.y], [l.end.x, l.end.y]);
                edges.push(GeomWithData::new(Rectangle::from_aabb(r), (l.start, l.end)));
            }
        }
    }
    RTree::bulk_load(edges)
}

/// Margin (m) by which a cell of [`ClearCells`] must clear every boundary segment's box.
const CLEAR_MARGIN_M: f64 = 1e-3;

/// A grid over the zone's bounding box: the cells that no boundary segment comes near (by
/// [`CLEAR_MARGIN_M`]), each wholly inside or wholly outside the zone. A parcel whose box lies
/// in clear cells of one kind is placed without searching the boundary: no segment can meet
/// it, and the ray cast from its first vertex would cross the boundary as often (mod 2) as one
/// cast from the cells' centres, since the boundary keeps a millimetre clear of them.
struct ClearCells {
    x0: f64,
    y0: f64,
    w: f64,
    h: f64,
    nx: usize,
    ny: usize,
    /// Per cell (row-major from `(x0, y0)`): 0 near the boundary, 1 inside, 2 outside.
    cells: Vec<u8>,
}

const NEAR: u8 = 0;
const INSIDE: u8 = 1;
const OUTSIDE: u8 = 2;

impl ClearCells {
    fn new(zone: &MultiPolygon<f64>, boundary: &RTree<Edge>, parcels: usize) -> Option<Self> {
        let bb = zone.bounding_rect()?;
        let (width, height) = (bb.width(), bb.height());
        if !(width > 0.0 && height > 0.0 && width.is_finite() && height.is_finite()) {
            return None;
        }
        // About two cells per parcel, shaped like the zone's box.
        let target = (parcels * 2).clamp(16, 1 << 18) as f64;
        let nx = ((target * width / height).sqrt().ceil() as usize).clamp(1, 4096);
        let ny = ((target * height / width).sqrt().ceil() as usize).clamp(1, 4096);
        let (w, h) = (width / nx as f64, height / ny as f64);
        let mut grid = ClearCells {
            x0: bb.min().x,
            y0: bb.min().y,
            w,
            h,
            nx,
            ny,
            cells: vec![OUTSIDE; nx * ny],
        };
        for e in boundary.iter() {
            let env = e.geom().envelope();
            let (lo, hi) = (env.lower(), env.upper());
            let (cx0, cx1) = grid.span(lo[0] - CLEAR_MARGIN_M, hi[0] + CLEAR_MARGIN_M, true)?;
            let (cy0, cy1) = grid.span(lo[1] - CLEAR_MARGIN_M, hi[1] + CLEAR_MARGIN_M, false)?;
            for cy in cy0..=cy1 {
                grid.cells[cy * nx + cx0..=cy * nx + cx1].fill(NEAR);
            }
        }
        // Inside or outside, row by row: where the boundary crosses the row's middle line.
        let mut crossings: Vec<f64> = Vec::new();
        for cy in 0..ny {
            let y = grid.y0 + (cy as f64 + 0.5) * h;
            crossings.clear();
            let line = AABB::from_corners([f64::NEG_INFINITY, y], [f64::INFINITY, y]);
            for e in boundary.locate_in_envelope_intersecting(&line) {
                let (p, q) = e.data;
                if (p.y > y) != (q.y > y) {
                    crossings.push(p.x + (y - p.y) / (q.y - p.y) * (q.x - p.x));
                }
            }
            crossings.sort_unstable_by(f64::total_cmp);
            for cx in 0..nx {
                let cell = &mut grid.cells[cy * nx + cx];
                if *cell == NEAR {
                    continue;
                }
                let x = grid.x0 + (cx as f64 + 0.5) * w;
                let east = crossings.len() - crossings.partition_point(|&c| c <= x);
                *cell = if east % 2 == 1 { INSIDE } else { OUTSIDE };
            }
        }
        Some(grid)
    }

    /// The cells (clamped to the grid) that `[lo, hi]` falls in along one axis; `None` when the
    /// bounds are not finite.
    fn span(&self, lo: f64, hi: f64, along_x: bool) -> Option<(usize, usize)> {
        let (o, size, n) = if along_x {
            (self.x0, self.w, self.nx)
        } else {
            (self.y0, self.h, self.ny)
        };
        let a = ((lo - o) / size).floor();
        let b = ((hi - o) / size).floor();
        if !(a.is_finite() && b.is_finite()) {
            return None;
        }
        let last = (n - 1) as f64;
        Some((a.clamp(0.0, last) as usize, b.clamp(0.0, last) as usize))
    }

    /// Whether a box lies in clear cells all inside (`Some(true)`) or all outside
    /// (`Some(false)`) the zone; `None` when it comes near the boundary or leaves the grid.
    fn placement_of(&self, bb: Rect<f64>) -> Option<bool> {
        let (min, max) = (bb.min(), bb.max());
        let fx = |v: f64| (v - self.x0) / self.w;
        let fy = |v: f64| (v - self.y0) / self.h;
        let (ax, bx, ay, by) = (fx(min.x), fx(max.x), fy(min.y), fy(max.y));
        // Inside the grid (NaN fails every comparison).
        if !(ax >= 0.0 && ay >= 0.0 && bx < self.nx as f64 && by < self.ny as f64) {
            return None;
        }
        let (cx0, cx1, cy0, cy1) = (ax as usize, bx as usize, ay as usize, by as usize);
        let kind = self.cells[cy0 * self.nx + cx0];
        if kind == NEAR {
            return None;
        }
        for cy in cy0..=cy1 {
            if self.cells[cy * self.nx + cx0..=cy * self.nx + cx1]
                .iter()
                .any(|&c| c != kind)
            {
                return None;
            }
        }
        Some(kind == INSIDE)
    }
}

fn place(
    parcel: &MultiPolygon<f64>,
    zone: &MultiPolygon<f64>,
    boundary: &RTree<Edge>,
    grid: Option<&ClearCells>,
) -> Placement {
    let area_m2 = planar_area_m2(parcel);
    let Some(bb) = parcel.bounding_rect() else {
        return Placement {
            area_m2,
            inside_m2: 0.0,
            clipped: false,
        };
    };
    if let Some(inside) = grid.and_then(|g| g.placement_of(bb)) {
        return Placement {
            area_m2,
            inside_m2: if inside { area_m2 } else { 0.0 },
            clipped: false,
        };
    }
    let env = AABB::from_corners([bb.min().x, bb.min().y], [bb.max().x, bb.max().y]);
    let crosses = boundary
        .locate_in_envelope_intersecting(&env)
        .any(|e| parcel_edges(parcel).any(|(a, b)| segments_meet(a, b, e.data.0, e.data.1)));
    let inside_m2 = if !crosses {
        // No boundary segment meets the parcel: it is wholly inside or wholly outside.
        match parcel.0.first().and_then(|p| p.exterior().0.first()) {
            Some(&c) if inside_by_ray(c, boundary) => area_m2,
            _ => 0.0,
        }
    } else if let Some(clip) = as_convex(parcel) {
        // Every zone ring clipped by the convex parcel: exteriors add, holes subtract.
        zone.0
            .iter()
            .map(|p| {
                let holes: f64 = p
                    .interiors()
                    .iter()
                    .map(|r| clip_by_convex(&r.0, clip).abs())
                    .sum();
                clip_by_convex(&p.exterior().0, clip).abs() - holes
            })
            .sum::<f64>()
            .max(0.0)
    } else {
        planar_area_m2(&parcel.intersection(zone))
    };
    Placement {
        area_m2,
        inside_m2: inside_m2.min(area_m2),
        clipped: crosses,
    }
}

fn parcel_edges(mp: &MultiPolygon<f64>) -> impl Iterator<Item = (Coord<f64>, Coord<f64>)> + '_ {
    mp.0.iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .flat_map(|r| r.lines().map(|l| (l.start, l.end)))
}

/// Whether two closed segments meet (touching counts).
fn segments_meet(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>, d: Coord<f64>) -> bool {
    let orient = |p: Coord<f64>, q: Coord<f64>, r: Coord<f64>| {
        (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x)
    };
    let (d1, d2) = (orient(c, d, a), orient(c, d, b));
    let (d3, d4) = (orient(a, b, c), orient(a, b, d));
    if ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0))
        && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0))
    {
        return true;
    }
    let on = |p: Coord<f64>, q: Coord<f64>, r: Coord<f64>, o: f64| {
        o == 0.0
            && r.x >= p.x.min(q.x)
            && r.x <= p.x.max(q.x)
            && r.y >= p.y.min(q.y)
            && r.y <= p.y.max(q.y)
    };
    on(c, d, a, d1) || on(c, d, b, d2) || on(a, b, c, d3) || on(a, b, d, d4)
}

/// Point in the zone by the even–odd rule, casting a ray east through the boundary index.
fn inside_by_ray(c: Coord<f64>, boundary: &RTree<Edge>) -> bool {
    let ray = AABB::from_corners([c.x, c.y], [f64::INFINITY, c.y]);
    boundary
        .locate_in_envelope_intersecting(&ray)
        .filter(|e| {
            let (p, q) = e.data;
            // Half-open in y so that a vertex on the ray is counted once.
            if (p.y > c.y) == (q.y > c.y) {
                return false;
            }
            let x = p.x + (c.y - p.y) / (q.y - p.y) * (q.x - p.x);
            x > c.x
        })
        .count()
        % 2
        == 1
}

/// Signed area of a ring clipped by a convex counter-clockwise polygon (Sutherland–Hodgman).
/// The ring may be concave: the pieces come out joined by zero-width bridges, which carry no
/// area, so the signed area is that of the intersection.
fn clip_by_convex(ring: &[Coord<f64>], clip: &Polygon<f64>) -> f64 {
    let mut poly: Vec<Coord<f64>> = ring.iter().skip(1).copied().collect();
    for edge in clip.exterior().lines() {
        if poly.is_empty() {
            return 0.0;
        }
        let (p, q) = (edge.start, edge.end);
        let side = |c: Coord<f64>| (q.x - p.x) * (c.y - p.y) - (q.y - p.y) * (c.x - p.x);
        let mut next = Vec::with_capacity(poly.len() + 4);
        for i in 0..poly.len() {
            let (cur, prev) = (poly[i], poly[(i + poly.len() - 1) % poly.len()]);
            let (sc, sp) = (side(cur), side(prev));
            if (sc >= 0.0) != (sp >= 0.0) {
                let t = sp / (sp - sc);
                next.push(Coord {
                    x: prev.x + t * (cur.x - prev.x),
                    y: prev.y + t * (cur.y - prev.y),
                });
            }
            if sc >= 0.0 {
                next.push(cur);
            }
        }
        poly = next;
    }
    super::geodesy::ring_signed_area(&poly)
}

/// Pairs of parcels whose interiors overlap, with the overlap area.
fn find_overlaps(parcels: &[MultiPolygon<f64>]) -> Vec<Overlap> {
    let boxes: Vec<Option<Rect<f64>>> = parcels.iter().map(|p| p.bounding_rect()).collect();
    let tree = RTree::bulk_load(
        boxes
            .iter()
            .enumerate()
            .filter_map(|(i, b)| {
                b.map(|b| {
                    GeomWithData::new(
                        Rectangle::from_corners([b.min().x, b.min().y], [b.max().x, b.max().y]),
                        i,
                    )
                })
            })
            .collect(),
    );
    // Edge normals once per parcel, not once per candidate pair.
    let convex: Vec<Convex> = parcels.iter().map(Convex::of).collect();
    let mut out = Vec::new();
    for (a, bb) in boxes.iter().enumerate() {
        let Some(bb) = bb else { continue };
        let env = AABB::from_corners([bb.min().x, bb.min().y], [bb.max().x, bb.max().y]);
        for e in tree.locate_in_envelope_intersecting(&env) {
            let b = e.data;
            if b <= a {
                continue;
            }
            if let Some(area_m2) = overlap_m2((&parcels[a], &convex[a]), (&parcels[b], &convex[b]))
            {
                out.push(Overlap { a, b, area_m2 });
            }
        }
    }
    // In pair order, whatever order the tree gave them in: the sums over them then come out
    // the same, to the last bit, however the facts were found (measured whole, or updated
    // for one changed parcel).
    out.sort_by_key(|o| (o.a, o.b));
    out
}

/// Edge normals of a convex polygon, for the separating-axis test.
type Normals = Vec<(f64, f64)>;

/// A projected parcel as a convex polygon with its edge normals, when it is one.
struct Convex<'a>(Option<(&'a Polygon<f64>, Normals)>);

impl<'a> Convex<'a> {
    fn of(p: &'a MultiPolygon<f64>) -> Convex<'a> {
        Convex(as_convex(p).map(|c| (c, edge_normals(c))))
    }
}

/// The overlap of two projected parcels (`a` before `b` in the zone's order), m², when there
/// is more than a rounding's worth.
fn overlap_m2(
    (a, ca): (&MultiPolygon<f64>, &Convex),
    (b, cb): (&MultiPolygon<f64>, &Convex),
) -> Option<f64> {
    let area_m2 = match (&ca.0, &cb.0) {
        (Some((pa, na)), Some((pb, nb))) if separated((pa, na), (pb, nb)) => return None,
        (Some((pa, _)), Some((pb, _))) => convex_overlap_m2(pa, pb),
        // Exact Boolean operation for the rest (it snaps to a grid, hence the floor).
        _ => planar_area_m2(&a.intersection(b)),
    };
    (area_m2 > AREA_TOLERANCE_M2).then_some(area_m2)
}

/// A zone as its parcels are placed in it: the equal-area projection centred on its box,
/// its rings projected, and the R-tree of its boundary's edges. Built once per shape of the
/// zone and kept with its facts, so that an edit of one lot does not project a 5,000-vertex
/// zone again.
pub struct ZoneFrame {
    projection: EqualAreaProjection,
    zone_m: MultiPolygon<f64>,
    boundary: RTree<Edge>,
}

impl ZoneFrame {
    pub fn new(zone: &MultiPolygon<f64>, zone_bbox: Rect<f64>) -> ZoneFrame {
        let projection = EqualAreaProjection::for_zone(zone_bbox);
        let zone_m = projection.project_multi(zone);
        let boundary = boundary_index(&zone_m);
        ZoneFrame {
            projection,
            zone_m,
            boundary,
        }
    }
}

impl std::fmt::Debug for ZoneFrame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZoneFrame")
            .field("edges", &self.boundary.size())
            .finish()
    }
}

/// A zone's facts after one of its parcels changed, without measuring the others again:
/// `removed` is the changed parcel's place in the old order (when it was there), `added` its
/// place in the new order and its shape (when it is there now). `shape_of(k)` is the shape of
/// the parcel at place `k` of the new order, `near(r)` the places of those whose box may meet
/// `r` (longitude/latitude; more are fine). The same facts, to the last bit, as measuring the
/// zone with its parcels now (placements and overlaps are measured alike, each on its own).
pub fn updated_facts<'a>(
    facts: &CoverageFacts,
    frame: &ZoneFrame,
    removed: Option<usize>,
    added: Option<(usize, &'a MultiPolygon<f64>)>,
    shape_of: impl Fn(usize) -> &'a MultiPolygon<f64>,
    near: impl Fn(Rect<f64>) -> Vec<usize>,
) -> CoverageFacts {
    let mut placements = facts.placements.clone();
    // Places of the old order in the new.
    let renumber = |k: usize| {
        let k = match removed {
            Some(r) if k > r => k - 1,
            _ => k,
        };
        match added {
            Some((j, _)) if k >= j => k + 1,
            _ => k,
        }
    };
    let mut overlaps: Vec<Overlap> = facts
        .overlaps
        .iter()
        .filter(|o| removed.is_none_or(|r| o.a != r && o.b != r))
        .map(|o| Overlap {
            a: renumber(o.a),
            b: renumber(o.b),
            area_m2: o.area_m2,
        })
        .collect();
    if let Some(r) = removed {
        placements.remove(r);
    }
    if let Some((j, shape)) = added {
        let ZoneFrame {
            projection,
            zone_m,
            boundary,
        } = frame;
        let mine = projection.project_multi(shape);
        placements.insert(j, place(&mine, zone_m, boundary, None));
        let mine_convex = Convex::of(&mine);
        if let Some(bb) = shape.bounding_rect() {
            for k in near(bb) {
                if k == j {
                    continue;
                }
                let other = projection.project_multi(shape_of(k));
                let other_convex = Convex::of(&other);
                let (a, b) = if k < j {
                    ((&other, &other_convex), (&mine, &mine_convex))
                } else {
                    ((&mine, &mine_convex), (&other, &other_convex))
                };
                if let Some(area_m2) = overlap_m2(a, b) {
                    overlaps.push(Overlap {
                        a: k.min(j),
                        b: k.max(j),
                        area_m2,
                    });
                }
            }
        }
    }
    overlaps.sort_by_key(|o| (o.a, o.b));
    overlaps.dedup_by_key(|o| (o.a, o.b));
    CoverageFacts {
        placements,
        overlaps,
    }
}

/// A zone's facts after its boundary changed while its parcels and its box stayed (the
/// projection is centred on the box): `again(k)` gives the shape of the parcel at place `k`
/// when it must be placed again (it is by the stretch that changed, or was clipped by the
/// boundary), `None` when its placement stands. Overlaps between parcels do not depend on the
/// zone. The same facts, to the last bit, as measuring the zone again.
pub fn replaced_placements<'a>(
    facts: &CoverageFacts,
    frame: &ZoneFrame,
    again: impl Fn(usize) -> Option<&'a MultiPolygon<f64>>,
) -> CoverageFacts {
    let ZoneFrame {
        projection,
        zone_m,
        boundary,
    } = frame;
    let placements = facts
        .placements
        .iter()
        .enumerate()
        .map(|(k, pl)| match again(k) {
            Some(shape) => place(&projection.project_multi(shape), zone_m, boundary, None),
            None => *pl,
        })
        .collect();
    CoverageFacts {
        placements,
        overlaps: facts.overlaps.clone(),
    }
}

/// The single convex, hole-free polygon of a parcel, if that is what it is.
fn as_convex(mp: &MultiPolygon<f64>) -> Option<&Polygon<f64>> {
    let [p] = mp.0.as_slice() else { return None };
    if !p.interiors().is_empty() {
        return None;
    }
    let c = &p.exterior().0;
    let n = c.len().saturating_sub(1);
    if n < 3 {
        return None;
    }
    let mut sign = 0.0f64;
    for i in 0..n {
        let (a, b, d) = (c[i], c[(i + 1) % n], c[(i + 2) % n]);
        let (u, v, w) = (b - a, d - b, d - a);
        let cross = u.x * v.y - u.y * v.x;
        // A vertex within a millimetre of the line through its neighbours counts as collinear:
        // files carry "collinear" extra vertices off the line by rounding, and a line drawn in
        // the file's tangent plane bends by micrometres in this projection. Treating such a lot
        // as convex misplaces at most a millimetre-wide sliver.
        // |w| ≤ |w.x| + |w.y|, so a cross product clear of the cheaper bound (with room for
        // rounding) is clear of the exact one; only the rest needs the square root.
        let clear = cross.abs() > CONVEX_TOLERANCE_M * (w.x.abs() + w.y.abs()) * (1.0 + 1e-9)
            || cross.abs() > CONVEX_TOLERANCE_M * w.x.hypot(w.y);
        if clear {
            if sign != 0.0 && cross.signum() != sign {
                return None;
            }
            sign = cross.signum();
        }
    }
    // Counter-clockwise (as the geometry reader orients exteriors), which the clipping needs.
    (sign > 0.0).then_some(p)
}

/// Area of the intersection of two convex, counter-clockwise polygons, in plain floating
/// point: touching polygons give 0, not a snapping sliver.
fn convex_overlap_m2(a: &Polygon<f64>, b: &Polygon<f64>) -> f64 {
    clip_by_convex(&a.exterior().0, b).abs()
}

/// The unit normals of a polygon's exterior edges (zero-length edges have none).
fn edge_normals(p: &Polygon<f64>) -> Vec<(f64, f64)> {
    p.exterior()
        .lines()
        .filter_map(|l| {
            let (dx, dy) = (l.end.x - l.start.x, l.end.y - l.start.y);
            let len = dx.hypot(dy);
            (len > 0.0).then(|| (-dy / len, dx / len))
        })
        .collect()
}

/// Separating-axis test for two convex polygons, each with its [`edge_normals`]: true when
/// some edge normal separates them (or they only touch, within [`TOUCH_TOLERANCE_M`]).
fn separated(
    (a, a_normals): (&Polygon<f64>, &[(f64, f64)]),
    (b, b_normals): (&Polygon<f64>, &[(f64, f64)]),
) -> bool {
    let span = |p: &Polygon<f64>, (nx, ny): (f64, f64)| {
        p.exterior()
            .0
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), c| {
                let d = c.x * nx + c.y * ny;
                (lo.min(d), hi.max(d))
            })
    };
    a_normals.iter().chain(b_normals).any(|&axis| {
        let (alo, ahi) = span(a, axis);
        let (blo, bhi) = span(b, axis);
        ahi.min(bhi) - alo.max(blo) <= TOUCH_TOLERANCE_M
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::geodesy::geodesic_area_m2;
    use geo::polygon;

    /// A lon/lat rectangle.
    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![
            polygon![(x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1), (x: x0, y: y1), (x: x0, y: y0)],
        ])
    }

    fn coverage(zone: &MultiPolygon<f64>, parcels: &[MultiPolygon<f64>]) -> ZoneCoverage {
        let list: Vec<ParcelInZone> = parcels
            .iter()
            .enumerate()
            .map(|(key, geometry)| ParcelInZone { key, geometry })
            .collect();
        ZoneCoverage::new(zone, zone.bounding_rect().expect("bbox"), &list)
    }

    fn ha(mp: &MultiPolygon<f64>) -> f64 {
        geodesic_area_m2(mp) / M2_PER_HA
    }

    /// A lot drawn flush with a kilometre-long east–west zone edge lies a few millimetres
    /// south of the geodesic edge along its length (the sagitta, L²·tan φ / 8N ≈ 8 mm at
    /// 21° N): a fraction of a square metre outside, clipped but not reported. A lot really
    /// sticking out is.
    #[test]
    fn a_lot_flush_with_a_zone_edge_is_not_reported_as_sticking_out() {
        let zone = rect(106.0, 21.0, 106.01, 21.01);
        let flush = rect(106.004, 21.0, 106.005, 21.001);
        let out = rect(106.004, 20.99999, 106.005, 21.001); // 1.1 m over the edge
        let cov = coverage(&zone, &[flush, out]);
        let (f, o) = (cov.facts.placements[0], cov.facts.placements[1]);
        assert!(f.outside_m2() < 1.0, "{f:?}");
        assert!(!f.reportable_straddle());
        // The outside strip: 1.1 m deep, ~104 m long, ~115 m² (plus the sagitta sliver).
        assert!((o.outside_m2() - 115.0).abs() < 5.0, "{o:?}");
        assert!(o.reportable_straddle());
    }

    /// Hand-built case: a zone 0.02° square; two lots sharing an edge; a lot sticking out of
    /// the zone by half; a duplicate lot overlapping the first two. Expected values come from
    /// Karney areas of the pieces, worked out by hand from the rectangles.
    #[test]
    fn straddlers_clip_and_overlaps_count_once() {
        let zone = rect(106.0, 21.0, 106.02, 21.02);
        let a = rect(106.002, 21.002, 106.004, 21.004);
        let b = rect(106.004, 21.002, 106.006, 21.004); // shares a's east edge
        let out = rect(106.018, 21.010, 106.022, 21.012); // half outside the east side
        let dup = rect(106.003, 21.002, 106.005, 21.004); // over the a|b divider
        let cov = coverage(&zone, &[a.clone(), b.clone(), out.clone(), dup]);
        assert_eq!(
            cov.facts.overlaps.len(),
            2,
            "dup overlaps a and b, and a/b only touch: {:?}",
            cov.facts.overlaps
        );
        assert!(cov.facts.overlaps.iter().all(|o| o.b == 3));
        let half_a = ha(&rect(106.003, 21.002, 106.004, 21.004)) * M2_PER_HA;
        for o in &cov.facts.overlaps {
            assert!(
                (o.area_m2 - half_a).abs() / half_a < 1e-6,
                "{} vs {half_a}",
                o.area_m2
            );
        }
        assert!(cov.facts.placements[2].straddles());
        let inside = ha(&rect(106.018, 21.010, 106.02, 21.012));
        assert!((cov.facts.placements[2].inside_m2 / M2_PER_HA - inside).abs() / inside < 1e-6);
        assert!(!cov.facts.placements[0].straddles() && !cov.facts.placements[3].straddles());
        // a, b, the inside half of `out`, and nothing more for dup (it lies over a and b).
        let expect = ha(&a) + ha(&b) + inside;
        let got = cov.covered_ha(&[true, true, true, true]);
        assert!(
            (got - expect).abs() / expect < 1e-6,
            "got {got} expect {expect}"
        );
        // Without a and b chosen, dup counts in full.
        let got = cov.covered_ha(&[false, false, false, true]);
        assert!((got - ha(&rect(106.003, 21.002, 106.005, 21.004))).abs() < 1e-6);
    }

    /// The kept facts measure any choice of lots to the same last bit as the coverage that
    /// found them, the groups only a union can measure included (projected again on demand).
    #[test]
    fn facts_alone_measure_as_the_coverage_does() {
        let zone = rect(106.0, 21.0, 106.02, 21.02);
        let lots = [
            rect(106.002, 21.002, 106.004, 21.004),
            rect(106.003, 21.002, 106.005, 21.004), // overlaps the first
            rect(106.0035, 21.0025, 106.0045, 21.0035), // in both: a triangle, a union
            rect(106.018, 21.010, 106.022, 21.012), // sticks out
            rect(106.019, 21.0105, 106.021, 21.0115), // over it, also out: a union
            rect(106.010, 21.010, 106.011, 21.011), // alone
        ];
        let cov = coverage(&zone, &lots);
        let bbox = zone.bounding_rect().expect("bbox");
        let facts = cov.facts.clone();
        for mask in 0u32..(1 << lots.len()) {
            let chosen: Vec<bool> = (0..lots.len()).map(|i| mask & (1 << i) != 0).collect();
            let again = facts.covered_ha(&chosen, |members| {
                let shapes: Vec<&MultiPolygon<f64>> = members.iter().map(|&m| &lots[m]).collect();
                union_inside_m2(&zone, bbox, &shapes)
            });
            assert_eq!(
                again.to_bits(),
                cov.covered_ha(&chosen).to_bits(),
                "{chosen:?}"
            );
        }
    }

    #[test]
    fn holes_are_not_covered_and_outside_parcels_count_nothing() {
        let outer = rect(106.0, 21.0, 106.02, 21.02);
        let hole = rect(106.005, 21.005, 106.015, 21.015);
        let zone = MultiPolygon(vec![Polygon::new(
            outer.0[0].exterior().clone(),
            vec![hole.0[0].exterior().clone()],
        )]);
        let in_hole = rect(106.008, 21.008, 106.01, 21.01);
        let far = rect(106.1, 21.1, 106.11, 21.11);
        let across = rect(106.004, 21.008, 106.006, 21.01); // half in the hole
        let cov = coverage(&zone, &[in_hole, far, across]);
        assert_eq!(cov.facts.placements[0].inside_m2, 0.0);
        assert_eq!(cov.facts.placements[1].inside_m2, 0.0);
        let expect = ha(&rect(106.004, 21.008, 106.005, 21.01));
        let got = cov.covered_ha(&[true, true, true]);
        assert!((got - expect).abs() / expect < 1e-6, "{got} vs {expect}");
        let zone_ha = zone_area_ha(&zone);
        assert!((zone_ha - (ha(&outer) - ha(&hole))).abs() < 1e-6);
    }

    #[test]
    fn concave_parcels_fall_back_to_exact_overlap() {
        let zone = rect(106.0, 21.0, 106.02, 21.02);
        // An L-shaped lot and a lot sitting in its notch (touching only).
        let l = MultiPolygon(vec![polygon![
            (x: 106.002, y: 21.002), (x: 106.006, y: 21.002), (x: 106.006, y: 21.004),
            (x: 106.004, y: 21.004), (x: 106.004, y: 21.006), (x: 106.002, y: 21.006), (x: 106.002, y: 21.002)
        ]]);
        let notch = rect(106.004, 21.004, 106.006, 21.006);
        let cov = coverage(&zone, &[l.clone(), notch.clone()]);
        assert!(cov.facts.overlaps.is_empty());
        let bigger = rect(106.003, 21.003, 106.006, 21.006);
        let cov = coverage(&zone, &[l, bigger]);
        assert_eq!(cov.facts.overlaps.len(), 1);
    }

    /// Three records over one another (every pair overlaps): counted as their union.
    #[test]
    fn three_way_overlaps_fall_back_to_a_union() {
        let zone = rect(106.0, 21.0, 106.02, 21.02);
        let a = rect(106.002, 21.002, 106.004, 21.004);
        let b = rect(106.003, 21.002, 106.005, 21.004);
        let c = rect(106.0025, 21.002, 106.0045, 21.004);
        let cov = coverage(&zone, &[a, b, c]);
        assert_eq!(cov.facts.overlaps.len(), 3);
        let expect = ha(&rect(106.002, 21.002, 106.005, 21.004));
        let got = cov.covered_ha(&[true, true, true]);
        assert!((got - expect).abs() / expect < 1e-6, "{got} vs {expect}");
    }

    /// The clear-cell shortcut places every lot exactly as the boundary search does: a ring
    /// of lots over a U-shaped zone with a hole, inside, outside, across edges and in the hole.
    #[test]
    fn clear_cells_agree_with_the_boundary_search() {
        let u = MultiPolygon(vec![Polygon::new(
            geo::LineString::from(vec![
                (106.0, 21.0),
                (106.03, 21.0),
                (106.03, 21.03),
                (106.02, 21.03),
                (106.02, 21.01),
                (106.01, 21.01),
                (106.01, 21.03),
                (106.0, 21.03),
                (106.0, 21.0),
            ]),
            vec![geo::LineString::from(vec![
                (106.022, 21.002),
                (106.026, 21.002),
                (106.026, 21.006),
                (106.022, 21.006),
                (106.022, 21.002),
            ])],
        )]);
        let bb = u.bounding_rect().expect("bbox");
        let projection = EqualAreaProjection::for_zone(bb);
        let zone_m = projection.project_multi(&u);
        let boundary = boundary_index(&zone_m);
        let mut lots = Vec::new();
        for i in 0..70 {
            for j in 0..70 {
                let (x, y) = (105.998 + i as f64 * 0.00049, 20.998 + j as f64 * 0.00049);
                lots.push(projection.project_multi(&rect(x, y, x + 0.0004, y + 0.0004)));
            }
        }
        let grid = ClearCells::new(&zone_m, &boundary, lots.len()).expect("grid");
        let mut shortcuts = 0;
        for lot in &lots {
            let fast = place(lot, &zone_m, &boundary, Some(&grid));
            let full = place(lot, &zone_m, &boundary, None);
            assert_eq!(fast, full);
            shortcuts += grid
                .placement_of(lot.bounding_rect().expect("bbox"))
                .is_some() as usize;
        }
        assert!(shortcuts > lots.len() / 2, "{shortcuts} of {}", lots.len());
    }

    /// A U-shaped zone and a convex lot spanning its notch: only the two arms count.
    #[test]
    fn convex_lot_across_a_concave_notch() {
        let u = MultiPolygon(vec![polygon![
            (x: 106.0, y: 21.0), (x: 106.03, y: 21.0), (x: 106.03, y: 21.03), (x: 106.02, y: 21.03),
            (x: 106.02, y: 21.01), (x: 106.01, y: 21.01), (x: 106.01, y: 21.03), (x: 106.0, y: 21.03),
            (x: 106.0, y: 21.0)
        ]]);
        let lot = rect(106.005, 21.02, 106.025, 21.025);
        let cov = coverage(&u, &[lot]);
        let expect =
            ha(&rect(106.005, 21.02, 106.01, 21.025)) + ha(&rect(106.02, 21.02, 106.025, 21.025));
        let got = cov.facts.placements[0].inside_m2 / M2_PER_HA;
        assert!((got - expect).abs() / expect < 1e-7, "{got} vs {expect}");
        assert!(cov.facts.placements[0].straddles());
    }
}
