//! ESRI Shapefile: the `.shp` (shapes, through the `shapefile` crate) with its `.shx`, the
//! `.dbf` (attributes, [`super::dbf`]), the `.prj` (coordinate system, [`super::prj`]) and the
//! `.cpg` (the attributes' text encoding).
//!
//! Read into the model's document as a GeoJSON FeatureCollection: one feature per record,
//! its attributes as properties, its rings as polygons (each hole in the outer ring that holds
//! it; RFC 7946 winding), positions as the file stores them (3-D ones kept) with the system
//! named by a `crs` member, which the engine converts as it converts any other.

use std::fmt::Write as _;
use std::io::Cursor;
use std::path::Path;

use geo::{Contains, Coord, LineString, Polygon};
use shapefile::{PolygonRing, Shape, ShapeReader};

use super::dbf;
use super::prj::{self, PrjSystem};
use super::{FeatureSource, SourceProblem, read_beside, read_file};
use crate::engine::crs::Crs;
use crate::engine::geojson::LoadError;

pub struct Shapefile;

/// A ring's positions: x, y and z when the file has it (else NaN).
type Ring = Vec<[f64; 3]>;
/// A polygon: its outer ring and its holes.
type Rings = (Ring, Vec<Ring>);

impl FeatureSource for Shapefile {
    const EXTENSIONS: &'static [&'static str] = &["shp"];

    fn read_geojson(path: &Path, assumed: Option<Crs>) -> Result<String, LoadError> {
        let fail = |problem| super::error(path, problem);
        let shp = read_file(path)?;
        let dbf_bytes = read_beside(path, "dbf")?;
        let cpg = read_beside(path, "cpg")?.map(|b| String::from_utf8_lossy(&b).into_owned());
        let prj_text = read_beside(path, "prj")?.map(|b| String::from_utf8_lossy(&b).into_owned());

        let system = match &prj_text {
            Some(wkt) => prj::recognise(wkt)
                .map_err(|u| fail(SourceProblem::UnknownSystem { wkt: u.wkt }))?,
            // No `.prj`: the system the user names, else the positions say (longitude/
            // latitude, or metres the engine refuses without a system).
            None => assumed.map_or(PrjSystem::Wgs84, PrjSystem::Supported),
        };
        let table = match &dbf_bytes {
            Some(bytes) => {
                Some(dbf::read(bytes, cpg.as_deref()).map_err(|p| fail(SourceProblem::Table(p)))?)
            }
            None => None,
        };

        let mut reader = ShapeReader::new(Cursor::new(shp)).map_err(|e| {
            fail(SourceProblem::Shapes {
                record: None,
                detail: e.to_string(),
            })
        })?;
        let mut shapes = Vec::new();
        for (k, shape) in reader.iter_shapes().enumerate() {
            let shape = shape.map_err(|e| {
                fail(SourceProblem::Shapes {
                    record: Some(k + 1),
                    detail: e.to_string(),
                })
            })?;
            let shape = polygons(shape).map_err(|kind| {
                fail(SourceProblem::NotPolygons {
                    record: k + 1,
                    kind,
                })
            })?;
            let finite = |r: &Ring| r.iter().all(|p| p[0].is_finite() && p[1].is_finite());
            if shape
                .iter()
                .flatten()
                .any(|(outer, holes)| !finite(outer) || !holes.iter().all(finite))
            {
                return Err(fail(SourceProblem::NotANumber { record: k + 1 }));
            }
            shapes.push(shape);
        }

        let records = table.as_ref().map_or(0, |t| t.records.len());
        let mut out = String::with_capacity(shapes.len() * 256 + 128);
        out.push_str("{\"type\":\"FeatureCollection\",");
        if let PrjSystem::Supported(crs) = system {
            let _ = write!(
                out,
                "\"crs\":{{\"type\":\"name\",\"properties\":{{\"name\":\"urn:ogc:def:crs:EPSG::{}\"}}}},",
                crs.epsg
            );
        }
        out.push_str("\"features\":[");
        // A record without a shape keeps its attributes (a feature without geometry); a
        // shape without a record keeps its shape.
        for k in 0..shapes.len().max(records) {
            out.push_str(if k == 0 { "\n" } else { ",\n" });
            out.push_str("{\"type\":\"Feature\",\"properties\":{");
            if let Some(record) = table.as_ref().and_then(|t| t.records.get(k)) {
                for (j, (name, value)) in record.iter().enumerate() {
                    if j > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::Value::String(name.clone()).to_string());
                    out.push(':');
                    out.push_str(value);
                }
            }
            out.push_str("},\"geometry\":");
            match shapes.get(k) {
                Some(Some(polygons)) => write_polygons(&mut out, polygons),
                _ => out.push_str("null"),
            }
            out.push('}');
        }
        out.push_str("\n]}\n");
        Ok(out)
    }
}

/// A shape's polygons (`None` for a null shape); `Err` names a shape that is not an area.
fn polygons(shape: Shape) -> Result<Option<Vec<Rings>>, String> {
    let rings: Vec<(bool, Ring)> = match shape {
        Shape::NullShape => return Ok(None),
        Shape::Polygon(p) => p
            .into_inner()
            .into_iter()
            .map(|r| ring_of(r, |p| [p.x, p.y, f64::NAN]))
            .collect(),
        Shape::PolygonM(p) => p
            .into_inner()
            .into_iter()
            .map(|r| ring_of(r, |p| [p.x, p.y, f64::NAN]))
            .collect(),
        Shape::PolygonZ(p) => p
            .into_inner()
            .into_iter()
            .map(|r| ring_of(r, |p| [p.x, p.y, p.z]))
            .collect(),
        other => return Err(other.shapetype().to_string()),
    };
    Ok(Some(assemble(rings)))
}

/// A ring's positions and whether it is an outer one; GeoJSON's winding (outer rings
/// counter-clockwise) is the reverse of the Shapefile's.
fn ring_of<P>(ring: PolygonRing<P>, xyz: impl Fn(&P) -> [f64; 3]) -> (bool, Ring) {
    let outer = matches!(ring, PolygonRing::Outer(_));
    let mut positions: Ring = ring.into_inner().iter().map(xyz).collect();
    positions.reverse();
    (outer, positions)
}

/// Each hole in the outer ring that holds its first position (the first such, in file
/// order); a hole that no outer ring holds, or a shape of holes only (wound the wrong way),
/// becomes an outer ring itself: nothing is dropped.
fn assemble(rings: Vec<(bool, Ring)>) -> Vec<(Ring, Vec<Ring>)> {
    let any_outer = rings.iter().any(|(outer, _)| *outer);
    let mut polygons: Vec<(Ring, Vec<Ring>)> = Vec::new();
    let mut holes = Vec::new();
    for (outer, ring) in rings {
        if outer || !any_outer {
            polygons.push((ring, Vec::new()));
        } else {
            holes.push(ring);
        }
    }
    let flat: Vec<Polygon<f64>> = polygons
        .iter()
        .map(|(outer, _)| {
            Polygon::new(
                LineString(outer.iter().map(|p| Coord { x: p[0], y: p[1] }).collect()),
                Vec::new(),
            )
        })
        .collect();
    for hole in holes {
        let first = hole.first().map(|p| Coord { x: p[0], y: p[1] });
        match first.and_then(|c| flat.iter().position(|o| o.contains(&c))) {
            Some(at) => polygons[at].1.push(hole),
            None => {
                let mut ring = hole;
                ring.reverse();
                polygons.push((ring, Vec::new()));
            }
        }
    }
    polygons
}

fn write_polygons(out: &mut String, polygons: &[(Ring, Vec<Ring>)]) {
    let ring = |out: &mut String, r: &Ring| {
        out.push('[');
        for (k, p) in r.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            // Rust writes the shortest digits that read back to the same f64.
            let _ = if p[2].is_finite() {
                write!(out, "[{},{},{}]", p[0], p[1], p[2])
            } else {
                write!(out, "[{},{}]", p[0], p[1])
            };
        }
        out.push(']');
    };
    let polygon = |out: &mut String, (outer, holes): &(Ring, Vec<Ring>)| {
        out.push('[');
        ring(out, outer);
        for h in holes {
            out.push(',');
            ring(out, h);
        }
        out.push(']');
    };
    if let [one] = polygons {
        out.push_str("{\"type\":\"Polygon\",\"coordinates\":");
        polygon(out, one);
    } else {
        out.push_str("{\"type\":\"MultiPolygon\",\"coordinates\":[");
        for (k, p) in polygons.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            polygon(out, p);
        }
        out.push(']');
    }
    out.push('}');
}
