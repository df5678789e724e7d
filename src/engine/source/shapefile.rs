//! ESRI Shapefile: the `.shp` (shapes, through the `shapefile` crate) with its `.shx`, the
//! `.dbf` (attributes, [`super::dbf`]), the `.prj` (coordinate system, [`super::prj`]) and the
//! `.cpg` (the attributes' text encoding).
//!
//! Read into the model's document as a GeoJSON FeatureCollection: one feature per record,
//! its attributes as properties, its rings as polygons (each hole in the outer ring that holds
//! it; RFC 7946 winding), a PolyLine's parts as a (Multi)LineString and points as a
//! (Multi)Point (a road or a well of a reference layer; in a zone layer a finding says such a
//! feature has no area), positions as the file stores them (3-D ones kept) with the system
//! named by a `crs` member, which the engine converts as it converts any other.
//!
//! Written ([`FeatureSink`]) as the `.shp` and `.shx` (Polygon, or PolygonZ when a position
//! has a z; each outer ring clockwise and each hole counter-clockwise, as the format wants;
//! a feature without an area as a null shape), the `.dbf` ([`dbf::write`]: text in UTF-8,
//! every property kept, names and values that do not fit reported), the `.prj` (OGC WKT with
//! the EPSG code, [`prj::wkt`]) and a `.cpg` of `UTF-8`. One layer a Shapefile: the first at
//! the path given, the others beside it under their layer's name.

use std::fmt::Write as _;
use std::io::Cursor;
use std::path::Path;

use geo::{Contains, Coord, LineString, Polygon};
use shapefile::{PolygonRing, Shape, ShapeReader};

use super::dbf;
use super::prj::{self, PrjSystem};
use super::{
    FeatureSink, FeatureSource, Notice, OutGeometry, OutLayer, Position, SourceProblem, Words,
    Written, io_error, read_beside, read_file, ring_area2,
};
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
            let shape = geometry(shape).map_err(|kind| {
                fail(SourceProblem::UnsupportedShape {
                    record: k + 1,
                    kind,
                })
            })?;
            if shape.as_ref().is_some_and(|s| !s.is_finite()) {
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
                Some(Some(shape)) => shape.write(&mut out),
                _ => out.push_str("null"),
            }
            out.push('}');
        }
        out.push_str("\n]}\n");
        Ok(out)
    }
}

/// What one shape holds.
enum Geometry {
    Polygons(Vec<Rings>),
    Lines(Vec<Ring>),
    Points(Vec<[f64; 3]>),
}

impl Geometry {
    fn is_finite(&self) -> bool {
        let finite = |r: &[[f64; 3]]| r.iter().all(|p| p[0].is_finite() && p[1].is_finite());
        match self {
            Geometry::Polygons(ps) => ps
                .iter()
                .all(|(outer, holes)| finite(outer) && holes.iter().all(|h| finite(h))),
            Geometry::Lines(ls) => ls.iter().all(|l| finite(l)),
            Geometry::Points(ps) => finite(ps),
        }
    }

    /// As GeoJSON (z only where the shape has one).
    fn write(&self, out: &mut String) {
        let position = |p: &[f64; 3]| -> Vec<f64> {
            if p[2].is_finite() {
                p.to_vec()
            } else {
                p[..2].to_vec()
            }
        };
        match self {
            Geometry::Polygons(ps) => write_polygons(out, ps),
            Geometry::Lines(ls) => {
                let lines: Vec<Vec<Vec<f64>>> = ls
                    .iter()
                    .map(|l| l.iter().map(position).collect())
                    .collect();
                super::write_lines(out, &lines);
            }
            Geometry::Points(ps) => {
                let points: Vec<Vec<f64>> = ps.iter().map(position).collect();
                super::write_points(out, &points);
            }
        }
    }
}

/// A shape's geometry (`None` for a null shape); `Err` names a shape ZoneAtlas does not read
/// (a MultiPatch).
fn geometry(shape: Shape) -> Result<Option<Geometry>, String> {
    // Positions without a z (2-D, or M only: the measure is dropped) and with one.
    fn flat<P: shapefile::record::traits::HasXY>(ps: &[P]) -> Vec<[f64; 3]> {
        ps.iter().map(|p| [p.x(), p.y(), f64::NAN]).collect()
    }
    fn with_z(ps: &[shapefile::PointZ]) -> Vec<[f64; 3]> {
        ps.iter().map(|p| [p.x, p.y, p.z]).collect()
    }
    let points = |ps: Vec<[f64; 3]>| Ok(Some(Geometry::Points(ps)));
    let lines = |parts: Vec<Vec<[f64; 3]>>| {
        let parts = parts.into_iter().filter(|l| l.len() >= 2).collect();
        Ok(Some(Geometry::Lines(parts)))
    };
    let rings: Vec<(bool, Ring)> = match shape {
        Shape::NullShape => return Ok(None),
        Shape::Point(p) => return points(flat(&[p])),
        Shape::PointM(p) => return points(flat(&[p])),
        Shape::PointZ(p) => return points(with_z(&[p])),
        Shape::Multipoint(m) => return points(flat(m.points())),
        Shape::MultipointM(m) => return points(flat(m.points())),
        Shape::MultipointZ(m) => return points(with_z(m.points())),
        Shape::Polyline(l) => return lines(l.parts().iter().map(|r| flat(r)).collect()),
        Shape::PolylineM(l) => return lines(l.parts().iter().map(|r| flat(r)).collect()),
        Shape::PolylineZ(l) => return lines(l.parts().iter().map(|r| with_z(r)).collect()),
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
    Ok(Some(Geometry::Polygons(assemble(rings))))
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

/// A shape's polygons as GeoJSON (z only where the shape has one).
fn write_polygons(out: &mut String, polygons: &[(Ring, Vec<Ring>)]) {
    let rings: Vec<Vec<Vec<&[f64]>>> = polygons
        .iter()
        .map(|(outer, holes)| {
            std::iter::once(outer)
                .chain(holes)
                .map(|r| {
                    r.iter()
                        .map(|p| if p[2].is_finite() { &p[..] } else { &p[..2] })
                        .collect()
                })
                .collect()
        })
        .collect();
    super::write_polygons(out, &rings);
}

impl FeatureSink for Shapefile {
    const EXTENSION: &'static str = "shp";

    fn write(path: &Path, layers: &[OutLayer], _: &Words) -> std::io::Result<Written> {
        let mut written = Written::default();
        // Every file made in memory first, then each written whole.
        let mut files: Vec<(std::path::PathBuf, Vec<u8>)> = Vec::new();
        for (k, layer) in layers.iter().enumerate() {
            let shp = if k == 0 {
                path.to_path_buf()
            } else {
                path.with_file_name(format!("{}.shp", layer.name))
            };
            let geometries: Vec<Option<&OutGeometry>> =
                layer.features.iter().map(|f| f.geometry.as_ref()).collect();
            let (shp_bytes, shx_bytes) = shapes(&geometries);
            let records: Vec<&[(String, serde_json::Value)]> = layer
                .features
                .iter()
                .map(|f| f.properties.as_slice())
                .collect();
            let dbf_path = shp.with_extension("dbf");
            let (dbf_bytes, names, cut) =
                dbf::write(&records).map_err(|e| io_error(&dbf_path, e))?;
            for (from, to) in names {
                if from != to {
                    written.notices.push(Notice::FieldRenamed {
                        layer: layer.name.clone(),
                        from,
                        to,
                    });
                }
            }
            for (feature, field, bytes) in cut {
                written.notices.push(Notice::ValueCut {
                    layer: layer.name.clone(),
                    feature,
                    field,
                    bytes,
                    kept: dbf::MAX_TEXT,
                });
            }
            let wkt = prj::wkt(layer.crs.as_ref());
            files.push((shp.with_extension("shx"), shx_bytes));
            files.push((dbf_path, dbf_bytes));
            files.push((shp.with_extension("prj"), wkt.into_bytes()));
            files.push((shp.with_extension("cpg"), b"UTF-8".to_vec()));
            // The .shp last: a reader finds it only with its companions in place.
            files.push((shp, shp_bytes));
        }
        for (p, bytes) in files {
            crate::engine::export::write_atomic(&p, &bytes).map_err(|e| io_error(&p, e))?;
            written.files.push(p);
        }
        Ok(written)
    }
}

/// The `.shp` and `.shx` of these shapes (`None`: a null shape).
fn shapes(geometries: &[Option<&OutGeometry>]) -> (Vec<u8>, Vec<u8>) {
    let z = geometries.iter().flatten().any(|g| g.has_z());
    let kind: i32 = if z { 15 } else { 5 };
    let mut shp: Vec<u8> = vec![0; 100];
    let mut shx: Vec<u8> = vec![0; 100];
    let mut bounds: Option<[f64; 6]> = None; // x, y, z minima then maxima
    for (k, g) in geometries.iter().enumerate() {
        let mut content: Vec<u8> = Vec::new();
        let rings: Vec<Vec<Position>> = g.map(oriented_rings).unwrap_or_default();
        if rings.is_empty() {
            content.extend(0i32.to_le_bytes());
        } else {
            let points: Vec<&Position> = rings.iter().flatten().collect();
            let zs = || {
                points
                    .iter()
                    .map(|p| if p[2].is_nan() { 0.0 } else { p[2] })
            };
            let (mut lo, mut hi) = ([f64::MAX; 3], [f64::MIN; 3]);
            for p in &points {
                for a in 0..2 {
                    lo[a] = lo[a].min(p[a]);
                    hi[a] = hi[a].max(p[a]);
                }
            }
            for zv in zs() {
                lo[2] = lo[2].min(zv);
                hi[2] = hi[2].max(zv);
            }
            bounds = Some(match bounds {
                None => [lo[0], lo[1], lo[2], hi[0], hi[1], hi[2]],
                Some(b) => [
                    b[0].min(lo[0]),
                    b[1].min(lo[1]),
                    b[2].min(lo[2]),
                    b[3].max(hi[0]),
                    b[4].max(hi[1]),
                    b[5].max(hi[2]),
                ],
            });
            content.extend(kind.to_le_bytes());
            for v in [lo[0], lo[1], hi[0], hi[1]] {
                content.extend(v.to_le_bytes());
            }
            content.extend((rings.len() as i32).to_le_bytes());
            content.extend((points.len() as i32).to_le_bytes());
            let mut start = 0i32;
            for r in &rings {
                content.extend(start.to_le_bytes());
                start += r.len() as i32;
            }
            for p in &points {
                content.extend(p[0].to_le_bytes());
                content.extend(p[1].to_le_bytes());
            }
            if z {
                content.extend(lo[2].to_le_bytes());
                content.extend(hi[2].to_le_bytes());
                for zv in zs() {
                    content.extend(zv.to_le_bytes());
                }
            }
        }
        // Offsets and lengths in 16-bit words, big-endian.
        let offset = (shp.len() / 2) as i32;
        let words = (content.len() / 2) as i32;
        shp.extend(((k + 1) as i32).to_be_bytes());
        shp.extend(words.to_be_bytes());
        shp.extend(content);
        shx.extend(offset.to_be_bytes());
        shx.extend(words.to_be_bytes());
    }
    let b = bounds.unwrap_or([0.0; 6]);
    for file in [&mut shp, &mut shx] {
        let len = (file.len() / 2) as i32;
        let mut h: Vec<u8> = Vec::with_capacity(100);
        h.extend(9994i32.to_be_bytes());
        h.extend([0u8; 20]);
        h.extend(len.to_be_bytes());
        h.extend(1000i32.to_le_bytes());
        h.extend(kind.to_le_bytes());
        for v in [b[0], b[1], b[3], b[4], b[2], b[5], 0.0, 0.0] {
            h.extend(v.to_le_bytes());
        }
        file[..100].copy_from_slice(&h);
    }
    (shp, shx)
}

/// A geometry's rings as a Shapefile wants them: each closed, outer rings clockwise, holes
/// counter-clockwise, each polygon's holes after its outer ring.
fn oriented_rings(g: &OutGeometry) -> Vec<Vec<Position>> {
    let mut out = Vec::new();
    for polygon in &g.polygons {
        for (k, ring) in polygon.iter().enumerate() {
            if ring.is_empty() {
                continue;
            }
            let mut ring = ring.clone();
            if ring.first().map(|p| [p[0], p[1]]) != ring.last().map(|p| [p[0], p[1]]) {
                ring.push(ring[0]);
            }
            let clockwise = ring_area2(&ring) < 0.0;
            if clockwise != (k == 0) {
                ring.reverse();
            }
            out.push(ring);
        }
    }
    out
}
