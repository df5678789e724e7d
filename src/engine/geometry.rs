//! Reading a feature's geometry into `geo` types, and saying why when it cannot take part.
//!
//! Polygon and MultiPolygon (and the areal members of a GeometryCollection) become a
//! `MultiPolygon<f64>` in longitude/latitude, with exteriors counter-clockwise and holes
//! clockwise whatever the file said, Z and M dropped (the file keeps them). Everything else is a
//! [`GeometryProblem`] that the findings report; the feature is left out of the figures but
//! kept in the file.

use geo::{Coord, LineString, MultiPolygon, Polygon};
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
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

/// Parses a geometry's JSON text (`None` for a missing or null geometry).
pub fn parse_geometry(raw: Option<&str>) -> Result<MultiPolygon<f64>, GeometryProblem> {
    let Some(raw) = raw else {
        return Err(GeometryProblem::Missing);
    };
    let g: GeometryJson = serde_json::from_str(raw)
        .map_err(|e| GeometryProblem::Invalid(strip_place(&e.to_string())))?;
    let mut polygons = Vec::new();
    collect(&g, &mut polygons, 0)?;
    if polygons.is_empty() {
        return Err(GeometryProblem::Invalid(
            "no coordinates (empty geometry)".into(),
        ));
    }
    Ok(MultiPolygon(polygons))
}

fn strip_place(s: &str) -> String {
    s.rfind(" at line ").map_or(s, |i| &s[..i]).to_string()
}

fn collect(
    g: &GeometryJson,
    out: &mut Vec<Polygon<f64>>,
    depth: usize,
) -> Result<(), GeometryProblem> {
    let kind = g.kind.as_str();
    match kind {
        "Polygon" => {
            let rings: Vec<Vec<Position>> = coordinates(g, kind)?;
            if let Some(p) = polygon(rings)? {
                out.push(p);
            }
        }
        "MultiPolygon" => {
            let polys: Vec<Vec<Vec<Position>>> = coordinates(g, kind)?;
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
            let members = g.geometries.as_deref().unwrap_or_default();
            let before = out.len();
            let mut other = None;
            for m in members {
                let sub: GeometryJson = serde_json::from_str(m.get())
                    .map_err(|e| GeometryProblem::Invalid(strip_place(&e.to_string())))?;
                match collect(&sub, out, depth + 1) {
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

fn coordinates<T: for<'de> Deserialize<'de>>(
    g: &GeometryJson,
    kind: &str,
) -> Result<T, GeometryProblem> {
    let raw = g
        .coordinates
        .ok_or_else(|| GeometryProblem::Invalid(format!("{kind} without \"coordinates\"")))?;
    serde_json::from_str(raw.get()).map_err(|e| {
        GeometryProblem::Invalid(format!(
            "{kind} coordinates: {}",
            strip_place(&e.to_string())
        ))
    })
}

/// Builds a polygon from rings: checks closure and length, range, orients the rings.
/// An empty polygon (no rings) yields `None`.
fn polygon(rings: Vec<Vec<Position>>) -> Result<Option<Polygon<f64>>, GeometryProblem> {
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

fn ring(positions: Vec<Position>, exterior: bool) -> Result<LineString<f64>, GeometryProblem> {
    let mut coords: Vec<Coord<f64>> = positions
        .into_iter()
        .map(|p| Coord { x: p.0, y: p.1 })
        .collect();
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
    Ok(LineString(coords))
}

#[derive(Deserialize)]
struct GeometryJson<'a> {
    #[serde(rename = "type")]
    kind: String,
    #[serde(borrow, default)]
    coordinates: Option<&'a RawValue>,
    #[serde(borrow, default)]
    geometries: Option<Vec<&'a RawValue>>,
}

/// A position: the first two numbers of `[x, y, z?, m?]`.
struct Position(f64, f64);

impl<'de> Deserialize<'de> for Position {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Position;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a position [longitude, latitude] of numbers")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Position, A::Error> {
                let x: f64 = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(0, &self))?;
                let y: f64 = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(1, &self))?;
                // Z, M and anything further are kept in the file but play no part in areas.
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Position(x, y))
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
}
