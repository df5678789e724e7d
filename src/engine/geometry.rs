//! Reading a feature's geometry into `geo` types, and saying why when it cannot take part.
//!
//! Polygon and MultiPolygon (and the areal members of a GeometryCollection) become a
//! `MultiPolygon<f64>` in longitude/latitude, with exteriors counter-clockwise and holes
//! clockwise whatever the file said, Z and M dropped (the file keeps them). Everything else is a
//! [`GeometryProblem`] that the findings report; the feature is left out of the figures but
//! kept in the file.

use geo::{Coord, LineString, MultiPolygon, Polygon};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt;

use super::geodesy::ring_signed_area;

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
    MalformedFeature(super::document::Malformed),
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

/// Parses a geometry's JSON text (`None` for a missing or null geometry).
pub fn parse_geometry(raw: Option<&str>) -> Result<MultiPolygon<f64>, GeometryProblem> {
    let Some(raw) = raw else {
        return Err(GeometryProblem::Missing);
    };
    let mut polygons = Vec::new();
    collect(read_geometry(raw)?, &mut polygons, 0)?;
    if polygons.is_empty() {
        return Err(GeometryProblem::Invalid(InvalidGeometry::Empty));
    }
    // A parcel is one polygon: no spare capacity kept for a million of them.
    polygons.shrink_to_fit();
    Ok(MultiPolygon(polygons))
}

/// Reads a geometry object. When `type` comes before `coordinates` (as it nearly always does)
/// the coordinates are read in the same pass; otherwise, or on any error, the object is read
/// again with the coordinates kept raw, which also gives the error its words.
fn read_geometry(raw: &str) -> Result<GeometryJson<'_>, GeometryProblem> {
    let mut de = serde_json::Deserializer::from_str(raw);
    if let Ok(g) = GeometryJson::deserialize(&mut de)
        && de.end().is_ok()
    {
        return Ok(g);
    }
    let g: GeometryJsonRaw = serde_json::from_str(raw).map_err(|e| {
        GeometryProblem::Invalid(InvalidGeometry::Unreadable {
            detail: strip_place(&e.to_string()),
        })
    })?;
    Ok(GeometryJson {
        kind: g.kind,
        coordinates: g.coordinates.map(Coordinates::Raw),
        geometries: g.geometries,
    })
}

fn strip_place(s: &str) -> String {
    s.rfind(" at line ").map_or(s, |i| &s[..i]).to_string()
}

fn collect(
    g: GeometryJson,
    out: &mut Vec<Polygon<f64>>,
    depth: usize,
) -> Result<(), GeometryProblem> {
    // Type names are case-sensitive in RFC 7946; "polygon" is read as "Polygon", as the
    // top-level "featurecollection" and a feature's "feature" are (README: what ZoneAtlas accepts).
    let kind = canonical_kind(&g.kind);
    match kind {
        "Polygon" => {
            let rings = match g.coordinates {
                Some(Coordinates::Polygon(rings)) => rings,
                c => coordinates(c, kind, Rings)?,
            };
            if let Some(p) = polygon(rings)? {
                out.push(p);
            }
        }
        "MultiPolygon" => {
            let polys = match g.coordinates {
                Some(Coordinates::MultiPolygon(polys)) => polys,
                c => coordinates(c, kind, List(Rings, 1))?,
            };
            out.reserve_exact(polys.len());
            for rings in polys {
                if let Some(p) = polygon(rings)? {
                    out.push(p);
                }
            }
        }
        "GeometryCollection" => {
            if depth > 16 {
                return Err(GeometryProblem::Invalid(InvalidGeometry::NestedTooDeeply));
            }
            let members = g.geometries.unwrap_or_default();
            let before = out.len();
            let mut other = None;
            for m in members {
                match collect(read_geometry(m.get())?, out, depth + 1) {
                    Ok(()) => {}
                    Err(GeometryProblem::NotAreal { kind, collections }) => {
                        other = Some((kind, collections))
                    }
                    Err(e) => return Err(e),
                }
            }
            if out.len() == before
                && let Some((kind, collections)) = other
            {
                return Err(GeometryProblem::NotAreal {
                    kind,
                    collections: collections + 1,
                });
            }
        }
        "Point" | "MultiPoint" | "LineString" | "MultiLineString" => {
            return Err(GeometryProblem::NotAreal {
                kind: kind.to_string(),
                collections: 0,
            });
        }
        other => {
            return Err(GeometryProblem::Invalid(InvalidGeometry::UnknownType(
                other.to_string(),
            )));
        }
    }
    Ok(())
}

/// The GeoJSON geometry type a name stands for, ignoring letter case; other names as given.
fn canonical_kind(kind: &str) -> &str {
    const KINDS: [&str; 7] = [
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
    ];
    KINDS
        .iter()
        .find(|k| **k == kind)
        .or_else(|| KINDS.iter().find(|k| k.eq_ignore_ascii_case(kind)))
        .copied()
        .unwrap_or(kind)
}

/// Reads coordinates kept raw (the slow path, which also words the errors).
fn coordinates<T, S>(c: Option<Coordinates>, kind: &str, seed: S) -> Result<T, GeometryProblem>
where
    for<'de> S: DeserializeSeed<'de, Value = T>,
{
    let raw = match c {
        Some(Coordinates::Raw(raw)) => raw.get(),
        // Already read as the other type's coordinates: cannot happen (the type decides how
        // they are read), but read them as given to say what is wrong.
        Some(_) | None => {
            return Err(GeometryProblem::Invalid(
                InvalidGeometry::WithoutCoordinates {
                    kind: kind.to_string(),
                },
            ));
        }
    };
    let mut de = serde_json::Deserializer::from_str(raw);
    seed.deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| {
            GeometryProblem::Invalid(InvalidGeometry::Coordinates {
                kind: kind.to_string(),
                detail: strip_place(&e.to_string()),
            })
        })
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

/// A geometry object: its type, its coordinates (read already when the type came first) and
/// a collection's members.
struct GeometryJson<'a> {
    kind: String,
    coordinates: Option<Coordinates<'a>>,
    geometries: Option<Vec<&'a RawValue>>,
}

enum Coordinates<'a> {
    Raw(&'a RawValue),
    Polygon(Vec<Vec<Coord<f64>>>),
    MultiPolygon(Vec<Vec<Vec<Coord<f64>>>>),
}

/// The same object with the coordinates kept raw: the slow path.
#[derive(Deserialize)]
struct GeometryJsonRaw<'a> {
    #[serde(rename = "type")]
    kind: String,
    #[serde(borrow, default)]
    coordinates: Option<&'a RawValue>,
    #[serde(borrow, default)]
    geometries: Option<Vec<&'a RawValue>>,
}

impl<'de: 'a, 'a> Deserialize<'de> for GeometryJson<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = GeometryJson<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a geometry object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut kind: Option<String> = None;
                let mut coordinates = None;
                let mut geometries = None;
                let (mut seen_coordinates, mut seen_geometries) = (false, false);
                // Anything unusual (repeated members) is an error here: the slow path then
                // decides exactly as the derived reader does.
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match key.as_ref() {
                        "type" if kind.is_some() => return Err(de::Error::custom("repeated")),
                        "type" => kind = Some(map.next_value()?),
                        "coordinates" if seen_coordinates => {
                            return Err(de::Error::custom("repeated"));
                        }
                        "coordinates" => {
                            seen_coordinates = true;
                            coordinates = match kind.as_deref() {
                                Some("Polygon") => {
                                    Some(Coordinates::Polygon(map.next_value_seed(Rings)?))
                                }
                                Some("MultiPolygon") => Some(Coordinates::MultiPolygon(
                                    map.next_value_seed(List(Rings, 1))?,
                                )),
                                _ => map
                                    .next_value::<Option<&'de RawValue>>()?
                                    .map(Coordinates::Raw),
                            }
                        }
                        "geometries" if seen_geometries => {
                            return Err(de::Error::custom("repeated"));
                        }
                        "geometries" => {
                            seen_geometries = true;
                            geometries = map.next_value()?;
                        }
                        _ => {
                            map.next_value::<de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(GeometryJson {
                    kind: kind.ok_or_else(|| de::Error::missing_field("type"))?,
                    coordinates,
                    geometries,
                })
            }
        }
        d.deserialize_map(V)
    }
}

/// Reads a JSON array with `S` for each element, with room for `.1` elements at first.
#[derive(Clone, Copy)]
struct List<S>(S, usize);

/// Room for a small parcel's ring at once (serde_json gives no count; rings are trimmed after).
const RING_CAPACITY: usize = 8;

impl<'de, S: DeserializeSeed<'de> + Copy> DeserializeSeed<'de> for List<S> {
    type Value = Vec<S::Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        struct V<S>(S, usize);
        impl<'de, S: DeserializeSeed<'de> + Copy> Visitor<'de> for V<S> {
            type Value = Vec<S::Value>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(self.1);
                while let Some(x) = seq.next_element_seed(self.0)? {
                    out.push(x);
                }
                Ok(out)
            }
        }
        d.deserialize_seq(V(self.0, self.1))
    }
}

/// A polygon's rings: arrays of positions.
#[derive(Clone, Copy)]
struct Rings;

impl<'de> DeserializeSeed<'de> for Rings {
    type Value = Vec<Vec<Coord<f64>>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        List(List(PositionSeed, RING_CAPACITY), 1).deserialize(d)
    }
}

/// A position: the first two numbers of `[x, y, z?, m?]`.
#[derive(Clone, Copy)]
struct PositionSeed;

impl<'de> DeserializeSeed<'de> for PositionSeed {
    type Value = Coord<f64>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Coord<f64>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Coord<f64>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a position [longitude, latitude] of numbers")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Coord<f64>, A::Error> {
                let x: f64 = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(0, &self))?;
                let y: f64 = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(1, &self))?;
                // Z, M and anything further are kept in the file but play no part in areas.
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Coord { x, y })
            }
        }
        d.deserialize_seq(V)
    }
}

#[cfg(test)]
mod tests {
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
