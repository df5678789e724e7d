//! Reference geometry: what a reference layer (roads, drainage, wastewater, power lines,
//! district boundaries beside the zones) holds to be drawn. Every feature's points, lines and
//! polygons in WGS84 longitude/latitude, whatever its GeoJSON type, converted from the file's
//! coordinate system as they are read.
//!
//! Reference features are never measured, checked or written: they are only looked at, so
//! a feature whose geometry cannot be read is left out and counted rather than reported as a
//! finding, and a polygon's rings are taken as they come (earcut fills them either way round).

use geo::{Coord, LineString, Polygon};

use super::crs::Crs;
use super::geojson::Document;
use super::geojson::walk::{self, GeometryType, Position, Visitor, WalkError};

/// One feature's shapes (a GeometryCollection's members all go to the one feature).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReferenceFeature {
    pub points: Vec<Coord<f64>>,
    /// LineStrings and MultiLineStrings' parts, each of two positions or more.
    pub lines: Vec<LineString<f64>>,
    /// Polygons, each an outer ring of three positions or more and its holes.
    pub polygons: Vec<Polygon<f64>>,
    /// What the feature says of itself, for the map's tooltip: its first
    /// [`MAX_PROPERTIES`] properties that have a value, as text.
    pub properties: Vec<(String, String)>,
}

/// The properties a reference feature keeps for its tooltip: a road's name, class and width,
/// a district's name and code, not a whole attribute table per feature.
pub const MAX_PROPERTIES: usize = 12;
/// The characters a property's text keeps (a long description is cut, with an ellipsis).
pub const MAX_TEXT: usize = 120;

impl ReferenceFeature {
    pub fn is_empty(&self) -> bool {
        self.points.is_empty() && self.lines.is_empty() && self.polygons.is_empty()
    }
}

/// A reference file's features, in file order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReferenceData {
    /// The features that have something to draw.
    pub features: Vec<ReferenceFeature>,
    /// Features without geometry (`null`, none, or nothing drawable in it).
    pub without_geometry: usize,
    /// Features whose geometry cannot be read (coordinates that are not positions, positions
    /// the file's system cannot convert, or outside longitude/latitude).
    pub unreadable: usize,
}

/// Reads every feature of `doc` to be drawn (its edits included, deleted ones left out).
pub fn read(doc: &Document) -> ReferenceData {
    let mut data = ReferenceData::default();
    for i in 0..doc.len() {
        if doc.is_deleted(i) {
            continue;
        }
        match doc
            .geometry_json(i)
            .map(|g| read_geometry(g, doc.crs.as_ref()))
        {
            None => data.without_geometry += 1,
            Some(Ok(f)) if f.is_empty() => data.without_geometry += 1,
            Some(Ok(mut f)) => {
                f.properties = summary(doc.properties(i));
                data.features.push(f);
            }
            Some(Err(_)) => data.unreadable += 1,
        }
    }
    data
}

/// A feature's first properties with a value, as text (a string as it is, anything else as
/// its JSON), each cut to [`MAX_TEXT`] characters.
fn summary(properties: Vec<(String, serde_json::Value)>) -> Vec<(String, String)> {
    properties
        .into_iter()
        .filter_map(|(k, v)| {
            let text = match v {
                serde_json::Value::Null => return None,
                serde_json::Value::String(s) if s.trim().is_empty() => return None,
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            let text = match text.char_indices().nth(MAX_TEXT) {
                Some((at, _)) => format!("{}…", &text[..at]),
                None => text,
            };
            Some((k, text))
        })
        .take(MAX_PROPERTIES)
        .collect()
}

/// Reads one geometry's JSON text written in `crs` (WGS84 when `None`).
pub fn read_geometry(text: &str, crs: Option<&Crs>) -> Result<ReferenceFeature, WalkError> {
    let mut c = Collector {
        crs,
        kind: None,
        out: ReferenceFeature::default(),
        part: Vec::new(),
        rings: Vec::new(),
    };
    walk::walk(text, &mut c)?;
    Ok(c.out)
}

/// Gathers a walk's positions into points, lines and polygons by the type of the geometry
/// they belong to.
struct Collector<'a> {
    crs: Option<&'a Crs>,
    /// The type whose coordinates are being walked (a collection's members each in turn).
    kind: Option<GeometryType>,
    out: ReferenceFeature,
    /// The line or ring being read.
    part: Vec<Coord<f64>>,
    /// The rings of the polygon being read, its outer ring first.
    rings: Vec<LineString<f64>>,
}

impl Collector<'_> {
    /// The coordinates level whose arrays are lines or rings, and the one whose arrays are
    /// polygons, for the type being walked.
    fn levels(&self) -> (Option<usize>, Option<usize>) {
        match self.kind {
            Some(GeometryType::LineString) => (Some(0), None),
            Some(GeometryType::MultiLineString) => (Some(1), None),
            Some(GeometryType::Polygon) => (Some(1), Some(0)),
            Some(GeometryType::MultiPolygon) => (Some(2), Some(1)),
            _ => (None, None),
        }
    }

    fn finish_polygon(&mut self) {
        let mut rings = std::mem::take(&mut self.rings).into_iter();
        if let Some(outer) = rings.next() {
            self.out.polygons.push(Polygon::new(outer, rings.collect()));
        }
    }
}

impl Visitor for Collector<'_> {
    fn geometry(&mut self, kind: GeometryType, _: usize) -> Result<bool, WalkError> {
        if kind != GeometryType::GeometryCollection {
            self.kind = Some(kind);
        }
        Ok(true)
    }

    fn open(&mut self, level: usize) {
        let (part, polygon) = self.levels();
        if Some(level) == part {
            self.part.clear();
        } else if Some(level) == polygon {
            self.rings.clear();
        }
    }

    fn close(&mut self, level: usize) {
        let (part, polygon) = self.levels();
        if Some(level) == part {
            let coords = std::mem::take(&mut self.part);
            let line = matches!(
                self.kind,
                Some(GeometryType::LineString | GeometryType::MultiLineString)
            );
            if line {
                if coords.len() >= 2 {
                    self.out.lines.push(LineString(coords));
                }
            } else if coords.len() >= 3 {
                // A ring needs three distinct positions (geo closes it).
                self.rings.push(LineString(coords));
            } else if self.rings.is_empty() {
                // An outer ring too short: its holes have nothing to be holes of (the
                // polygon is left out when it closes). A shorter hole is left out.
                self.rings.push(LineString(Vec::new()));
            }
        } else if Some(level) == polygon {
            if self.rings.first().is_some_and(|r| r.0.is_empty()) {
                self.rings.clear();
            }
            self.finish_polygon();
        }
    }

    fn position(&mut self, p: Position) -> Result<(), WalkError> {
        let (x, y) = match self.crs {
            None => (p.x, p.y),
            Some(crs) => crs
                .to_wgs84(p.x, p.y)
                .ok_or_else(|| WalkError::Refused("not convertible".into()))?,
        };
        if !(x.is_finite() && y.is_finite() && x.abs() <= 180.0 && y.abs() <= 90.0) {
            return Err(WalkError::Refused("not longitude/latitude".into()));
        }
        let c = Coord { x, y };
        match self.kind {
            Some(GeometryType::Point | GeometryType::MultiPoint) => self.out.points.push(c),
            _ => self.part.push(c),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn read_text(s: &str) -> ReferenceData {
        let doc = Document::parse(Path::new("ref.geojson"), s.as_bytes().to_vec()).expect("parses");
        read(&doc)
    }

    #[test]
    fn every_geometry_type_is_read_into_points_lines_and_polygons() {
        let data = read_text(
            r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[106.0,21.0,12]}},
 {"type":"Feature","properties":{},"geometry":{"type":"MultiPoint","coordinates":[[106.0,21.0],[106.1,21.1]]}},
 {"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[106.0,21.0],[106.1,21.1],[106.2,21.0]]}},
 {"type":"Feature","properties":{},"geometry":{"type":"MultiLineString","coordinates":[[[106.0,21.0],[106.1,21.1]],[[106.3,21.0],[106.4,21.1]]]}},
 {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[
   [[106.0,21.0],[106.1,21.0],[106.1,21.1],[106.0,21.1],[106.0,21.0]],
   [[106.02,21.02],[106.08,21.02],[106.08,21.08],[106.02,21.02]]]}},
 {"type":"Feature","properties":{},"geometry":{"type":"MultiPolygon","coordinates":[
   [[[106.0,21.0],[106.1,21.0],[106.1,21.1],[106.0,21.0]]],
   [[[107.0,21.0],[107.1,21.0],[107.1,21.1],[107.0,21.0]]]]}},
 {"type":"Feature","properties":{},"geometry":{"type":"GeometryCollection","geometries":[
   {"type":"Point","coordinates":[106.5,21.5]},
   {"type":"LineString","coordinates":[[106.5,21.5],[106.6,21.6]]}]}},
 {"type":"Feature","properties":{},"geometry":null},
 {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":["x",21]}},
 {"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[106.0,21.0],[906.0,21.0]]}}
]}"#,
        );
        let f = &data.features;
        assert_eq!(f.len(), 7);
        assert_eq!(f[0].points, [Coord { x: 106.0, y: 21.0 }]);
        assert_eq!(f[1].points.len(), 2);
        assert_eq!((f[2].lines.len(), f[2].lines[0].0.len()), (1, 3));
        assert_eq!(f[3].lines.len(), 2);
        assert_eq!(f[4].polygons.len(), 1);
        assert_eq!(f[4].polygons[0].interiors().len(), 1);
        assert_eq!(f[5].polygons.len(), 2);
        assert_eq!((f[6].points.len(), f[6].lines.len()), (1, 1));
        assert_eq!(data.without_geometry, 1);
        assert_eq!(data.unreadable, 2);
    }

    #[test]
    fn a_file_in_another_system_is_read_in_wgs84() {
        // Web Mercator metres named by a legacy crs member.
        let data = read_text(
            r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:3857"}},"features":[
 {"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[11800000,2400000],[11810000,2410000]]}}]}"#,
        );
        let p = data.features[0].lines[0].0[0];
        assert!(
            (p.x - 106.0).abs() < 0.1 && (p.y - 21.0).abs() < 0.2,
            "{p:?}"
        );
    }

    #[test]
    fn a_feature_keeps_its_first_properties_with_a_value_as_text() {
        let long = "x".repeat(MAX_TEXT + 30);
        let many: String = (0..20).map(|k| format!(",\"p{k}\":{k}")).collect();
        let data = read_text(&format!(
            r#"{{"type":"FeatureCollection","features":[
 {{"type":"Feature","properties":{{"ten":"Quốc lộ 18","lan":4,"rong_m":12.5,"ghi_chu":null,"trong":" ","mo_ta":"{long}"{many}}},
  "geometry":{{"type":"LineString","coordinates":[[106.0,21.0],[106.1,21.1]]}}}}]}}"#
        ));
        let p = &data.features[0].properties;
        assert_eq!(p.len(), MAX_PROPERTIES);
        assert_eq!(p[0], ("ten".to_string(), "Quốc lộ 18".to_string()));
        assert_eq!(p[1], ("lan".to_string(), "4".to_string()));
        assert_eq!(p[2], ("rong_m".to_string(), "12.5".to_string()));
        // Null and blank values are left out; a long text is cut with an ellipsis.
        assert_eq!(p[3].0, "mo_ta");
        assert_eq!(p[3].1.chars().count(), MAX_TEXT + 1);
        assert!(p[3].1.ends_with('…'));
        assert_eq!(p[4], ("p0".to_string(), "0".to_string()));
    }
}
