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

/// Why a feature's geometry cannot take part in the figures.
#[derive(Debug, Clone, PartialEq)]
pub enum GeometryProblem {
    /// `"geometry": null` or no geometry member.
    Missing,
    /// A point, line or other non-areal type.
    NotAreal(String),
    /// Coordinates that are not [lon, lat] numbers, rings too short, etc.
    Invalid(String),
    /// Numbers outside longitude/latitude range: most likely projected metres.
    OutOfRange { x: f64, y: f64 },
    /// The feature itself is not a JSON object (or not one that can be read).
    MalformedFeature(String),
}

impl fmt::Display for GeometryProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing => write!(f, "has no geometry"),
            Self::NotAreal(t) => write!(
                f,
                "has a {t} geometry; only Polygon and MultiPolygon have an area"
            ),
            Self::Invalid(why) => write!(f, "has invalid geometry: {why}"),
            Self::MalformedFeature(why) => write!(f, "{why}"),
            Self::OutOfRange { x, y } => write!(
                f,
                "has coordinates ({x}, {y}) outside longitude/latitude range; they look projected (metres, e.g. VN-2000 / UTM or Web Mercator), and GeoJSON must be WGS84 degrees"
            ),
        }
    }
}

impl GeometryProblem {
    /// The problem in Vietnamese (technical details of invalid JSON stay as the parser says).
    pub fn vietnamese(&self) -> String {
        match self {
            Self::Missing => "không có hình học".into(),
            Self::NotAreal(t) => {
                format!("có hình học {t}; chỉ Polygon và MultiPolygon có diện tích")
            }
            Self::Invalid(why) => format!("có hình học không hợp lệ: {why}"),
            Self::OutOfRange { x, y } => format!(
                "có tọa độ ({x}, {y}) ngoài phạm vi kinh độ/vĩ độ; có vẻ là tọa độ phẳng (mét, ví dụ VN-2000 / UTM hoặc Web Mercator), trong khi GeoJSON phải dùng độ WGS84"
            ),
            Self::MalformedFeature(why) => format!("không đọc được đối tượng: {why}"),
        }
    }
}

/// Parses a geometry's JSON text (`None` for a missing or null geometry).
pub fn parse_geometry(raw: Option<&str>) -> Result<MultiPolygon<f64>, GeometryProblem> {
    let Some(raw) = raw else {
        return Err(GeometryProblem::Missing);
    };
    let mut polygons = Vec::new();
    collect(read_geometry(raw)?, &mut polygons, 0)?;
    if polygons.is_empty() {
        return Err(GeometryProblem::Invalid(
            "no coordinates (empty geometry)".into(),
        ));
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
    let g: GeometryJsonRaw = serde_json::from_str(raw)
        .map_err(|e| GeometryProblem::Invalid(strip_place(&e.to_string())))?;
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
    let kind = g.kind.as_str();
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
                return Err(GeometryProblem::Invalid(
                    "GeometryCollection nested too deeply".into(),
                ));
            }
            let members = g.geometries.unwrap_or_default();
            let before = out.len();
            let mut other = None;
            for m in members {
                match collect(read_geometry(m.get())?, out, depth + 1) {
                    Ok(()) => {}
                    Err(GeometryProblem::NotAreal(t)) => other = Some(t),
                    Err(e) => return Err(e),
                }
            }
            if out.len() == before
                && let Some(t) = other
            {
                return Err(GeometryProblem::NotAreal(format!(
                    "GeometryCollection of {t}"
                )));
            }
        }
        "Point" | "MultiPoint" | "LineString" | "MultiLineString" => {
            return Err(GeometryProblem::NotAreal(kind.to_string()));
        }
        other => {
            let hint = ["Polygon", "MultiPolygon", "GeometryCollection"]
                .iter()
                .find(|k| k.eq_ignore_ascii_case(other))
                .map(|k| format!(" (GeoJSON type names are case-sensitive: \"{k}\")"))
                .unwrap_or_default();
            return Err(GeometryProblem::Invalid(format!(
                "unknown geometry type \"{other}\"{hint}"
            )));
        }
    }
    Ok(())
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
            return Err(GeometryProblem::Invalid(format!(
                "{kind} without \"coordinates\""
            )));
        }
    };
    let mut de = serde_json::Deserializer::from_str(raw);
    seed.deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| {
            GeometryProblem::Invalid(format!(
                "{kind} coordinates: {}",
                strip_place(&e.to_string())
            ))
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
    let which = if exterior { "exterior ring" } else { "hole" };
    if coords.len() < 4 {
        return Err(GeometryProblem::Invalid(format!(
            "{which} has {} positions; a closed ring needs at least 4",
            coords.len()
        )));
    }
    if coords.first() != coords.last() {
        return Err(GeometryProblem::Invalid(format!(
            "{which} is not closed (its first and last positions differ)"
        )));
    }
    let signed = ring_signed_area(&coords);
    if signed == 0.0 {
        return Err(GeometryProblem::Invalid(format!(
            "{which} has no area (all positions on a line)"
        )));
    }
    if (signed > 0.0) != exterior {
        coords.reverse();
    }
    coords.shrink_to_fit();
    Ok(LineString(coords))
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
        assert!(matches!(point, Err(GeometryProblem::NotAreal(t)) if t == "Point"));
        let open = parse_geometry(Some(
            r#"{"type":"Polygon","coordinates":[[[0,0],[0,1],[1,1],[1,0]]]}"#,
        ));
        assert!(matches!(open, Err(GeometryProblem::Invalid(m)) if m.contains("not closed")));
        let short = parse_geometry(Some(
            r#"{"type":"Polygon","coordinates":[[[0,0],[0,1],[0,0]]]}"#,
        ));
        assert!(matches!(short, Err(GeometryProblem::Invalid(m)) if m.contains("at least 4")));
        let projected = parse_geometry(Some(
            r#"{"type":"Polygon","coordinates":[[[585000,2345000],[586000,2345000],[586000,2346000],[585000,2345000]]]}"#,
        ));
        assert!(matches!(projected, Err(GeometryProblem::OutOfRange { .. })));
        let strings = parse_geometry(Some(
            r#"{"type":"Polygon","coordinates":[[["0","0"],[0,1],[1,1],[0,0]]]}"#,
        ));
        assert!(matches!(strings, Err(GeometryProblem::Invalid(_))));
        let lower = parse_geometry(Some(r#"{"type":"polygon","coordinates":[]}"#));
        assert!(matches!(lower, Err(GeometryProblem::Invalid(m)) if m.contains("case-sensitive")));
    }

    #[test]
    fn collections_contribute_their_polygons() {
        let gc = r#"{"type":"GeometryCollection","geometries":[
            {"type":"Point","coordinates":[0,0]},
            {"type":"GeometryCollection","geometries":[
                {"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}]}]}"#;
        assert_eq!(parse_geometry(Some(gc)).expect("areal member").0.len(), 1);
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
        assert!(matches!(null, Err(GeometryProblem::Invalid(m)) if m.contains("without")));
        let twice = parse_geometry(Some(
            r#"{"type":"Polygon","type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#,
        ));
        assert!(matches!(twice, Err(GeometryProblem::Invalid(m)) if m.contains("duplicate")));
        let bad = parse_geometry(Some(
            r#"{"type":"Polygon","coordinates":[[[0,0],[1,"x"],[1,1],[0,0]]]}"#,
        ));
        assert!(
            matches!(&bad, Err(GeometryProblem::Invalid(m)) if m.starts_with("Polygon coordinates: invalid type")),
            "{bad:?}"
        );
        let untyped = parse_geometry(Some(r#"{"coordinates":[]}"#));
        assert!(
            matches!(untyped, Err(GeometryProblem::Invalid(m)) if m.contains("missing field `type`"))
        );
    }
}
