//! Reading a feature's geometry into `geo` types, and saying why when it cannot take part.
//!
//! Polygon and MultiPolygon (and the areal members of a GeometryCollection) become a
//! `MultiPolygon<f64>` in longitude/latitude, with exteriors counter-clockwise and holes
//! clockwise whatever the file said, Z and M dropped (the file keeps them). Everything else is a
//! [`GeometryProblem`] that the findings report; the feature is left out of the figures but
//! kept in the file.

use geo::{Coord, LineString, MultiPolygon, Polygon};

use super::crs::Crs;
use super::geodesy::ring_signed_area;
use super::geojson::walk::{self, GeometryObject, GeometryType, Position, Visitor, WalkError};

/// Why a feature's geometry cannot take part in the figures (put into words by the catalogue,
/// [`crate::i18n`]).
#[derive(Debug, Clone, PartialEq)]
pub enum GeometryProblem {
    /// `"geometry": null` or no geometry member.
    Missing,
    /// A point, line or other non-areal type (its GeoJSON type name), inside `collections`
    /// nested GeometryCollections.
    NotAreal { kind: String, collections: usize },
    /// Coordinates that are not [lon, lat] numbers, rings too short, etc.
    Invalid(InvalidGeometry),
    /// Numbers outside longitude/latitude range: most likely projected metres.
    OutOfRange { x: f64, y: f64 },
    /// The feature itself is not a JSON object (or not one that can be read).
    MalformedFeature(super::geojson::document::Malformed),
    /// A ring whose edges cross, touch or run back over each other (a bow-tie): its area is
    /// not defined. Which ring, and about where.
    SelfIntersecting { ring: Ring, x: f64, y: f64 },
    /// A ring with an edge spanning more than 180° of longitude: written across the
    /// antimeridian (RFC 7946 §3.1.9 asks for such geometry to be cut there).
    CrossesAntimeridian { from: f64, to: f64 },
}

/// A polygon's outer ring or one of its holes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ring {
    Exterior,
    Hole,
}

/// How a geometry's coordinates fail to make a polygon. `detail` is the JSON parser's own
/// account, kept as it says it.
#[derive(Debug, Clone, PartialEq)]
pub enum InvalidGeometry {
    /// No positions at all (an empty geometry).
    Empty,
    /// Positions that make no bounding box.
    NoCoordinates,
    NestedTooDeeply,
    UnknownType(String),
    /// A type that needs `coordinates` without them.
    WithoutCoordinates {
        kind: String,
    },
    /// Coordinates of the wrong shape or not numbers.
    Coordinates {
        kind: String,
        detail: String,
    },
    /// The geometry object itself cannot be read.
    Unreadable {
        detail: String,
    },
    RingTooShort {
        ring: Ring,
        positions: usize,
    },
    RingNotClosed {
        ring: Ring,
    },
    /// All positions on one line.
    RingOnALine {
        ring: Ring,
    },
    RingWithoutArea {
        ring: Ring,
    },
    /// A position that the file's coordinate system cannot convert (`system`: its label).
    Unconvertible {
        x: String,
        y: String,
        system: String,
    },
}

/// A point inside a polygon, away from its edges where it can be: the incentre of the
/// triangle of its triangulation (earcut, holes included) with the largest inscribed circle.
/// `None` for a polygon with no area. The engine uses this rather than geo's
/// `interior_point`, whose sweep panics on some valid but extreme polygons (a sliver across
/// half the globe, found by `tests/shape_edit_junk.rs`).
pub fn inside_point(p: &Polygon<f64>) -> Option<Coord<f64>> {
    inside_with_radius(p).map(|(_, c)| c)
}

/// [`inside_point`] of the polygon that has the roomiest one.
pub fn inside_point_of(mp: &MultiPolygon<f64>) -> Option<Coord<f64>> {
    mp.0.iter()
        .filter_map(inside_with_radius)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

fn inside_with_radius(p: &Polygon<f64>) -> Option<(f64, Coord<f64>)> {
    use geo::TriangulateEarcut;
    p.earcut_triangles_iter()
        .filter_map(|t| {
            let (a, b, c) = (t.v1(), t.v2(), t.v3());
            let len = |u: Coord<f64>, v: Coord<f64>| (u.x - v.x).hypot(u.y - v.y);
            let (la, lb, lc) = (len(b, c), len(a, c), len(a, b));
            let perimeter = la + lb + lc;
            let twice_area = ((b.x - a.x) * (c.y - a.y) - (c.x - a.x) * (b.y - a.y)).abs();
            if !(perimeter.is_finite() && twice_area.is_finite() && twice_area > 0.0) {
                return None;
            }
            let centre = Coord {
                x: (la * a.x + lb * b.x + lc * c.x) / perimeter,
                y: (la * a.y + lb * b.y + lc * c.y) / perimeter,
            };
            // The inscribed circle's radius is 2A / P.
            Some((twice_area / perimeter, centre))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
}

/// Parses a geometry's JSON text (`None` for a missing or null geometry).
pub fn parse_geometry(raw: Option<&str>) -> Result<MultiPolygon<f64>, GeometryProblem> {
    read_geometry(raw, None)
}

/// Parses a geometry's JSON text written in `crs` (when given): each position is converted to
/// WGS84 longitude/latitude as it is read, then the shape is built as from a WGS84 file.
pub fn read_geometry(
    raw: Option<&str>,
    crs: Option<&Crs>,
) -> Result<MultiPolygon<f64>, GeometryProblem> {
    let Some(raw) = raw else {
        return Err(GeometryProblem::Missing);
    };
    let mut reader = Reader {
        text: raw,
        crs,
        out: Vec::new(),
        polygons: Vec::new(),
        ring: Vec::new(),
        levels: None,
        collections: Vec::new(),
        problem: None,
    };
    match walk::walk(raw, &mut reader) {
        Ok(()) => {}
        Err(WalkError::Refused(_)) if reader.problem.is_some() => {
            return Err(reader.problem.take().unwrap_or(GeometryProblem::Missing));
        }
        Err(e) => return Err(GeometryProblem::Invalid(invalid(e))),
    }
    let mut polygons = reader.out;
    if polygons.is_empty() {
        return Err(GeometryProblem::Invalid(InvalidGeometry::Empty));
    }
    // A parcel is one polygon: no spare capacity kept for a million of them.
    polygons.shrink_to_fit();
    Ok(MultiPolygon(polygons))
}

/// Room for a small parcel's ring at once (rings are trimmed after).
const RING_CAPACITY: usize = 8;

/// Builds polygons from the walk of a geometry. Polygon and MultiPolygon rings are checked
/// once the geometry's coordinates have all been read (so a mistake in the numbers is
/// reported before one in the shape, as it always was); a collection contributes its areal
/// members, and is "not areal" when it has only other ones.
struct Reader<'a> {
    text: &'a str,
    crs: Option<&'a Crs>,
    out: Vec<Polygon<f64>>,
    /// The rings of the Polygon or MultiPolygon being read, per polygon.
    polygons: Vec<Vec<Vec<Coord<f64>>>>,
    ring: Vec<Coord<f64>>,
    /// The levels of the coordinates arrays that are polygons and rings, for the geometry
    /// whose coordinates are being walked.
    levels: Option<(usize, usize)>,
    /// Per open collection: how many polygons there were before it, and the last member that
    /// has no area (its type, and the collections it is in within this one).
    collections: Vec<(usize, Option<(String, usize)>)>,
    /// What stopped the walk, when it was a problem of the shape rather than of the JSON.
    problem: Option<GeometryProblem>,
}

impl Reader<'_> {
    fn stop(&mut self, p: GeometryProblem) -> WalkError {
        self.problem = Some(p);
        WalkError::Refused(String::new())
    }

    /// A member (or the geometry itself) that has no area: noted in the collection around it,
    /// or the answer.
    fn not_areal(&mut self, kind: String, collections: usize) -> Result<(), WalkError> {
        match self.collections.last_mut() {
            Some((_, other)) => {
                *other = Some((kind, collections));
                Ok(())
            }
            None => Err(self.stop(GeometryProblem::NotAreal { kind, collections })),
        }
    }

    /// The levels of the coordinates arrays that are polygons and rings.
    fn levels(g: GeometryType) -> Option<(usize, usize)> {
        match g {
            GeometryType::Polygon => Some((0, 1)),
            GeometryType::MultiPolygon => Some((1, 2)),
            _ => None,
        }
    }
}

impl Visitor for Reader<'_> {
    fn geometry(&mut self, kind: GeometryType, _: usize) -> Result<bool, WalkError> {
        match kind {
            GeometryType::Polygon | GeometryType::MultiPolygon => {
                self.polygons.clear();
                self.levels = Reader::levels(kind);
                Ok(true)
            }
            GeometryType::GeometryCollection => {
                self.collections.push((self.out.len(), None));
                Ok(false)
            }
            other => {
                // Read as not areal once the whole object is (a mistake in it comes first).
                let _ = other;
                Ok(false)
            }
        }
    }

    fn open(&mut self, level: usize) {
        let Some((polygon, ring)) = self.levels else {
            return;
        };
        if level == polygon {
            self.polygons.push(Vec::new());
        } else if level == ring {
            self.ring = Vec::with_capacity(RING_CAPACITY);
        }
    }

    fn close(&mut self, level: usize) {
        if self.levels.is_some_and(|(_, ring)| ring == level)
            && let Some(rings) = self.polygons.last_mut()
        {
            rings.push(std::mem::take(&mut self.ring));
        }
    }

    fn position(&mut self, p: Position) -> Result<(), WalkError> {
        let c = match self.crs {
            None => Coord { x: p.x, y: p.y },
            Some(crs) => match crs.to_wgs84(p.x, p.y) {
                Some((x, y)) => Coord { x, y },
                None => {
                    let why = InvalidGeometry::Unconvertible {
                        x: self.text[p.x_at].to_string(),
                        y: self.text[p.y_at].to_string(),
                        system: crs.label(),
                    };
                    return Err(self.stop(GeometryProblem::Invalid(why)));
                }
            },
        };
        self.ring.push(c);
        Ok(())
    }

    fn end(&mut self, g: &GeometryObject) -> Result<(), WalkError> {
        match g.kind {
            GeometryType::Polygon | GeometryType::MultiPolygon => {
                if g.coordinates.is_none() {
                    return Err(self.stop(GeometryProblem::Invalid(
                        InvalidGeometry::WithoutCoordinates {
                            kind: g.kind.name().to_string(),
                        },
                    )));
                }
                // Drained, not taken: the list is kept for the next geometry.
                let mut problem = None;
                for rings in self.polygons.drain(..) {
                    match polygon(rings) {
                        Ok(Some(p)) => self.out.push(p),
                        Ok(None) => {}
                        Err(p) => {
                            problem = Some(p);
                            break;
                        }
                    }
                }
                match problem {
                    Some(p) => Err(self.stop(p)),
                    None => Ok(()),
                }
            }
            GeometryType::GeometryCollection => {
                let (before, other) = self.collections.pop().unwrap_or_default();
                match other {
                    Some((kind, collections)) if self.out.len() == before => {
                        self.not_areal(kind, collections + 1)
                    }
                    _ => Ok(()),
                }
            }
            other => self.not_areal(other.name().to_string(), 0),
        }
    }
}

/// A walk's mistake as an invalid geometry (the walker words it as serde_json did).
pub fn invalid(e: WalkError) -> InvalidGeometry {
    match e {
        WalkError::UnknownType(name) => InvalidGeometry::UnknownType(name),
        WalkError::TooDeep => InvalidGeometry::NestedTooDeeply,
        WalkError::Coordinates(kind, detail) => InvalidGeometry::Coordinates {
            kind: kind.name().to_string(),
            detail,
        },
        other => InvalidGeometry::Unreadable {
            detail: other.to_string(),
        },
    }
}

/// Builds a polygon from rings: checks closure and length, range, orients the rings.
/// An empty polygon (no rings) yields `None`.
fn polygon(rings: Vec<Vec<Coord<f64>>>) -> Result<Option<Polygon<f64>>, GeometryProblem> {
    let mut rings = rings.into_iter();
    let Some(outer) = rings.next() else {
        return Ok(None);
    };
    let exterior = ring(outer, true)?;
    let interiors = rings
        .map(|r| ring(r, false))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(Polygon::new(exterior, interiors)))
}

fn ring(mut coords: Vec<Coord<f64>>, exterior: bool) -> Result<LineString<f64>, GeometryProblem> {
    for c in &coords {
        if !(-180.0..=180.0).contains(&c.x) || !(-90.0..=90.0).contains(&c.y) {
            return Err(GeometryProblem::OutOfRange { x: c.x, y: c.y });
        }
    }
    let which = if exterior { Ring::Exterior } else { Ring::Hole };
    if coords.len() < 4 {
        return Err(GeometryProblem::Invalid(InvalidGeometry::RingTooShort {
            ring: which,
            positions: coords.len(),
        }));
    }
    if coords.first() != coords.last() {
        return Err(GeometryProblem::Invalid(InvalidGeometry::RingNotClosed {
            ring: which,
        }));
    }
    if let Some(w) = coords.windows(2).find(|w| (w[1].x - w[0].x).abs() > 180.0) {
        return Err(GeometryProblem::CrossesAntimeridian {
            from: w[0].x,
            to: w[1].x,
        });
    }
    let signed = ring_signed_area(&coords);
    if signed == 0.0 && collinear(&coords) {
        return Err(GeometryProblem::Invalid(InvalidGeometry::RingOnALine {
            ring: which,
        }));
    }
    if let Some(c) = self_intersection(&coords) {
        return Err(GeometryProblem::SelfIntersecting {
            ring: which,
            x: c.x,
            y: c.y,
        });
    }
    if signed == 0.0 {
        return Err(GeometryProblem::Invalid(InvalidGeometry::RingWithoutArea {
            ring: which,
        }));
    }
    if (signed > 0.0) != exterior {
        coords.reverse();
    }
    coords.shrink_to_fit();
    Ok(LineString(coords))
}

/// Twice the signed area of the triangle `a b c`: positive when it turns left.
fn orient(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>) -> f64 {
    (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
}

/// Whether all positions lie on one line.
fn collinear(coords: &[Coord<f64>]) -> bool {
    let a = coords[0];
    let Some(&b) = coords.iter().find(|c| **c != a) else {
        return true;
    };
    coords.iter().all(|c| orient(a, b, *c) == 0.0)
}

/// Whether `p`, on the line through `a b`, lies within the segment.
fn within(a: Coord<f64>, b: Coord<f64>, p: Coord<f64>) -> bool {
    p.x >= a.x.min(b.x) && p.x <= a.x.max(b.x) && p.y >= a.y.min(b.y) && p.y <= a.y.max(b.y)
}

/// Where segments `a b` and `c d` meet, if they do (a crossing, or an end on the other).
fn segments_meet(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>, d: Coord<f64>) -> Option<Coord<f64>> {
    let (d1, d2) = (orient(c, d, a), orient(c, d, b));
    let (d3, d4) = (orient(a, b, c), orient(a, b, d));
    if d1 * d2 < 0.0 && d3 * d4 < 0.0 {
        let t = d1 / (d1 - d2);
        return Some(Coord {
            x: a.x + t * (b.x - a.x),
            y: a.y + t * (b.y - a.y),
        });
    }
    [(d1, c, d, a), (d2, c, d, b), (d3, a, b, c), (d4, a, b, d)]
        .into_iter()
        .find(|&(o, s, e, p)| o == 0.0 && within(s, e, p))
        .map(|(_, _, _, p)| p)
}

/// Rings with more edges than this are checked with a sweep over x rather than every pair.
const BRUTE_FORCE_EDGES: usize = 32;

/// A point where a closed ring meets itself other than where neighbouring edges join: edges
/// that cross, a vertex on another edge (a figure of eight through a shared vertex), an edge
/// that runs back over the one before (a spike). Repeated consecutive positions are allowed.
fn self_intersection(coords: &[Coord<f64>]) -> Option<Coord<f64>> {
    let deduped: Vec<Coord<f64>>;
    let pts: &[Coord<f64>] = if coords.windows(2).any(|w| w[0] == w[1]) {
        let mut v = coords.to_vec();
        v.dedup();
        deduped = v;
        &deduped
    } else {
        coords
    };
    let n = pts.len().checked_sub(1)?;
    if n < 3 {
        return None;
    }
    let edge = |i: usize| (pts[i], pts[i + 1]);
    // Neighbours share an end; they meet elsewhere only when the second turns straight back.
    for i in 0..n {
        let (a, b) = edge(i);
        let (_, c) = edge((i + 1) % n);
        if orient(a, b, c) == 0.0 && (b.x - a.x) * (c.x - b.x) + (b.y - a.y) * (c.y - b.y) < 0.0 {
            return Some(b);
        }
    }
    let apart = |i: usize, j: usize| j != i + 1 && !(i == 0 && j == n - 1);
    let meet = |i: usize, j: usize| {
        let ((a, b), (c, d)) = (edge(i), edge(j));
        segments_meet(a, b, c, d)
    };
    if n <= BRUTE_FORCE_EDGES {
        for i in 0..n {
            for j in i + 1..n {
                if apart(i, j)
                    && let Some(p) = meet(i, j)
                {
                    return Some(p);
                }
            }
        }
        return None;
    }
    // Edges in order of their west end; each is tested against the earlier ones still open.
    let span = |i: usize| {
        let (a, b) = edge(i);
        (a.x.min(b.x), a.x.max(b.x), a.y.min(b.y), a.y.max(b.y))
    };
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_unstable_by(|&i, &j| span(i).0.total_cmp(&span(j).0));
    let mut open: Vec<usize> = Vec::new();
    for &i in &order {
        let (x0, _, y0, y1) = span(i);
        open.retain(|&j| span(j).1 >= x0);
        for &j in &open {
            let (_, _, v0, v1) = span(j);
            if v1 < y0 || v0 > y1 {
                continue;
            }
            let (lo, hi) = (i.min(j), i.max(j));
            if apart(lo, hi)
                && let Some(p) = meet(lo, hi)
            {
                return Some(p);
            }
        }
        open.push(i);
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_point_inside_a_concave_polygon_with_a_hole_and_an_extreme_sliver() {
        use geo::{Contains, polygon};
        // An L with a hole in its long arm: the point is inside, not in the hole or the notch.
        let l = polygon![
            exterior: [(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 2.0), (x: 2.0, y: 2.0),
                       (x: 2.0, y: 10.0), (x: 0.0, y: 10.0)],
            interiors: [[(x: 4.0, y: 0.5), (x: 8.0, y: 0.5), (x: 8.0, y: 1.5), (x: 4.0, y: 1.5)]],
        ];
        let p = inside_point(&l).expect("a point");
        assert!(l.contains(&p), "{p:?}");
        // geo's interior_point panicked on this one (its sweep's assertion).
        let sliver =
            polygon![(x: 106.0, y: 21.0), (x: -0.0, y: 21.0), (x: 0.0, y: 21.001000000000005)];
        let p = inside_point(&sliver).expect("a point");
        assert!(sliver.contains(&p), "{p:?}");
        assert_eq!(
            inside_point(&polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 1.0), (x: 2.0, y: 2.0)]),
            None
        );
    }

    use super::*;

    #[test]
    fn polygons_are_oriented_and_z_dropped() {
        let cw = r#"{"type":"Polygon","coordinates":[[[0,0,5],[0,1,5],[1,1,5],[1,0,5],[0,0,5]],
            [[0.2,0.2],[0.4,0.2],[0.4,0.4],[0.2,0.4],[0.2,0.2]]]}"#;
        let mp = parse_geometry(Some(cw)).expect("valid");
        assert!(
            ring_signed_area(&mp.0[0].exterior().0) > 0.0,
            "exterior made counter-clockwise"
        );
        assert!(
            ring_signed_area(&mp.0[0].interiors()[0].0) < 0.0,
            "hole made clockwise"
        );
    }

    #[test]
    fn problems_are_named() {
        assert_eq!(parse_geometry(None), Err(GeometryProblem::Missing));
        let point = parse_geometry(Some(r#"{"type":"Point","coordinates":[1,2]}"#));
        assert_eq!(
            point,
            Err(GeometryProblem::NotAreal {
                kind: "Point".into(),
                collections: 0
            })
        );
        let open = parse_geometry(Some(
            r#"{"type":"Polygon","coordinates":[[[0,0],[0,1],[1,1],[1,0]]]}"#,
        ));
        assert_eq!(
            open,
            Err(GeometryProblem::Invalid(InvalidGeometry::RingNotClosed {
                ring: Ring::Exterior
            }))
        );
        let short = parse_geometry(Some(
            r#"{"type":"Polygon","coordinates":[[[0,0],[0,1],[0,0]]]}"#,
        ));
        assert_eq!(
            short,
            Err(GeometryProblem::Invalid(InvalidGeometry::RingTooShort {
                ring: Ring::Exterior,
                positions: 3
            }))
        );
        let projected = parse_geometry(Some(
            r#"{"type":"Polygon","coordinates":[[[585000,2345000],[586000,2345000],[586000,2346000],[585000,2345000]]]}"#,
        ));
        assert!(matches!(projected, Err(GeometryProblem::OutOfRange { .. })));
        let strings = parse_geometry(Some(
            r#"{"type":"Polygon","coordinates":[[["0","0"],[0,1],[1,1],[0,0]]]}"#,
        ));
        assert!(matches!(strings, Err(GeometryProblem::Invalid(_))));
        let lower = parse_geometry(Some(
            r#"{"type":"polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#,
        ));
        assert_eq!(
            lower,
            parse_geometry(Some(
                r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#
            )),
            "type names are read ignoring letter case"
        );
        let typo = parse_geometry(Some(r#"{"type":"Polgon","coordinates":[]}"#));
        assert_eq!(
            typo,
            Err(GeometryProblem::Invalid(InvalidGeometry::UnknownType(
                "Polgon".into()
            )))
        );
        let across = parse_geometry(Some(
            r#"{"type":"Polygon","coordinates":[[[179.9,0],[-179.9,0],[-179.9,1],[179.9,0]]]}"#,
        ));
        assert_eq!(
            across,
            Err(GeometryProblem::CrossesAntimeridian {
                from: 179.9,
                to: -179.9
            })
        );
    }

    fn ring_of(points: &[(f64, f64)]) -> Vec<Coord<f64>> {
        points.iter().map(|&(x, y)| Coord { x, y }).collect()
    }

    #[test]
    fn self_intersections_are_found() {
        let bowtie = ring_of(&[(0.0, 0.0), (2.0, 2.0), (2.0, 0.0), (0.0, 2.0), (0.0, 0.0)]);
        assert_eq!(self_intersection(&bowtie), Some(Coord { x: 1.0, y: 1.0 }));
        let eight = ring_of(&[
            (0.0, 0.0),
            (1.0, 1.0),
            (2.0, 2.0),
            (2.0, 0.0),
            (1.0, 1.0),
            (0.0, 2.0),
            (0.0, 0.0),
        ]);
        assert_eq!(self_intersection(&eight), Some(Coord { x: 1.0, y: 1.0 }));
        let spike = ring_of(&[
            (0.0, 0.0),
            (2.0, 0.0),
            (2.0, 2.0),
            (2.0, 1.0),
            (0.0, 2.0),
            (0.0, 0.0),
        ]);
        assert!(self_intersection(&spike).is_some());
        let square = ring_of(&[
            (0.0, 0.0),
            (1.0, 0.0),
            (1.0, 0.0),
            (1.0, 1.0),
            (0.0, 1.0),
            (0.0, 0.0),
        ]);
        assert_eq!(
            self_intersection(&square),
            None,
            "a repeated vertex is not a crossing"
        );
        let straight = ring_of(&[(0.0, 0.0), (1.0, 0.0), (2.0, 0.0), (2.0, 1.0), (0.0, 0.0)]);
        assert_eq!(
            self_intersection(&straight),
            None,
            "collinear neighbours going on"
        );
        // Large rings take the sweep: a 400-edge circle is simple, and crossing two of its
        // edges over each other is found.
        let mut circle: Vec<Coord<f64>> = (0..400)
            .map(|k| {
                let t = f64::from(k) * std::f64::consts::TAU / 400.0;
                Coord {
                    x: t.cos(),
                    y: t.sin(),
                }
            })
            .collect();
        circle.push(circle[0]);
        assert_eq!(self_intersection(&circle), None);
        circle.swap(100, 300);
        assert!(self_intersection(&circle).is_some());
    }

    #[test]
    fn collections_contribute_their_polygons() {
        let gc = r#"{"type":"GeometryCollection","geometries":[
            {"type":"Point","coordinates":[0,0]},
            {"type":"GeometryCollection","geometries":[
                {"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}]}]}"#;
        assert_eq!(parse_geometry(Some(gc)).expect("areal member").0.len(), 1);
        let points = r#"{"type":"GeometryCollection","geometries":[
            {"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[0,0]}]}]}"#;
        assert_eq!(
            parse_geometry(Some(points)),
            Err(GeometryProblem::NotAreal {
                kind: "Point".into(),
                collections: 2
            })
        );
    }

    #[test]
    fn member_order_and_oddities_read_as_before() {
        let first = r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#;
        let last =
            r#"{"coordinates":[[[0,0],[1,0],[1,1],[0,0]]],"bbox":[0,0,1,1],"type":"Polygon"}"#;
        assert_eq!(parse_geometry(Some(first)), parse_geometry(Some(last)));
        let multi = r#"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[2,0],[3,0],[3,1],[2,0]]]]}"#;
        let mp = parse_geometry(Some(multi)).expect("valid");
        assert_eq!(mp.0.len(), 2);
        assert_eq!(mp.0.capacity(), 2, "no spare capacity kept");
        assert_eq!(mp.0[0].exterior().0.capacity(), 4);
        let null = parse_geometry(Some(r#"{"type":"Polygon","coordinates":null}"#));
        assert_eq!(
            null,
            Err(GeometryProblem::Invalid(
                InvalidGeometry::WithoutCoordinates {
                    kind: "Polygon".into()
                }
            ))
        );
        let twice = parse_geometry(Some(
            r#"{"type":"Polygon","type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#,
        ));
        assert!(
            matches!(twice, Err(GeometryProblem::Invalid(InvalidGeometry::Unreadable { detail })) if detail.contains("duplicate"))
        );
        let bad = parse_geometry(Some(
            r#"{"type":"Polygon","coordinates":[[[0,0],[1,"x"],[1,1],[0,0]]]}"#,
        ));
        assert!(
            matches!(&bad, Err(GeometryProblem::Invalid(InvalidGeometry::Coordinates { kind, detail })) if kind == "Polygon" && detail.starts_with("invalid type")),
            "{bad:?}"
        );
        let untyped = parse_geometry(Some(r#"{"coordinates":[]}"#));
        assert!(
            matches!(untyped, Err(GeometryProblem::Invalid(InvalidGeometry::Unreadable { detail })) if detail.contains("missing field `type`"))
        );
    }
}
