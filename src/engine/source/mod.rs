//! Where features come from: one module per file format, behind one trait: GeoJSON, ESRI
//! Shapefile ([`shapefile`]), GeoPackage ([`gpkg`]), KML and KMZ ([`kml`]), AutoCAD DXF ([`dxf`]).
//!
//! GeoJSON is the engine's own store ([`crate::engine::geojson`]): read as it is, edited in
//! place and written back byte for byte. Every other format reads into the same model: its
//! features as a GeoJSON FeatureCollection in the format's own coordinate system, named by a
//! `crs` member, so that measuring, checking, editing, `apply` and export work on it as on any
//! GeoJSON. Such a document is written as GeoJSON (Save As, `export`), never over the file it
//! came from.

pub mod dbf;
pub mod dxf;
pub mod gpkg;
pub mod kml;
pub mod prj;
pub mod shapefile;

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::crs::Crs;
use super::geojson::{Document, LoadError, LoadProblem};

/// A file format features are read from.
pub trait FeatureSource {
    /// The file name extensions it reads (lower case, without the dot).
    const EXTENSIONS: &'static [&'static str];

    /// The file's features as the text of a GeoJSON FeatureCollection, with a `crs` member
    /// when its positions are in another system than WGS84 longitude/latitude. `assumed` is
    /// the system the user says a file without one of its own is in (`--source-crs`); a
    /// format that always has one ignores it.
    fn read_geojson(path: &Path, assumed: Option<Crs>) -> Result<String, LoadError>;

    /// The file's features for a reference layer, which draws lines and points as well as
    /// areas: what [`Self::read_geojson`] reads, unless the format leaves lines out of zone
    /// layers (a DXF's every line would be a feature without an area there).
    fn read_reference_geojson(path: &Path, assumed: Option<Crs>) -> Result<String, LoadError> {
        Self::read_geojson(path, assumed)
    }
}

/// A file format features are written to.
pub trait FeatureSink {
    /// The extension of the file it writes (lower case, without the dot).
    const EXTENSION: &'static str;

    /// Writes `layers` to `path` (a Shapefile holds one layer: the first goes to `path`, each
    /// other one beside it, named after the layer). Every file is written whole or not at all
    /// (a temporary file renamed over the target). Returns the files written and what could
    /// not be written as given; an error names the file.
    fn write(path: &Path, layers: &[OutLayer], words: &Words) -> std::io::Result<Written>;
}

/// What a [`FeatureSink`] wrote.
#[derive(Debug, Default)]
pub struct Written {
    pub files: Vec<PathBuf>,
    pub notices: Vec<Notice>,
}

/// Something a format could not hold as given, and what was written instead (put into words
/// by the catalogue).
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// A property name that does not fit the format's field names (a DBF's 10 bytes), written
    /// under another name.
    FieldRenamed {
        layer: String,
        from: String,
        to: String,
    },
    /// A text value longer than a field holds (a DBF's 254 bytes): feature `feature` (from 1)
    /// has `bytes` bytes in `field`; the first `kept` were written.
    ValueCut {
        layer: String,
        feature: usize,
        field: String,
        bytes: usize,
        kept: usize,
    },
    /// Feature `feature`'s positions cannot be converted from `system` to WGS84: written
    /// without geometry (its finding says why).
    NotConverted {
        layer: String,
        feature: usize,
        system: String,
    },
    /// Feature `feature`'s geometry is not an area (`kind`): written without geometry.
    GeometryLeftOut {
        layer: String,
        feature: usize,
        kind: String,
    },
}

/// The words a written file shows its readers (KML balloons and folders), in their language:
/// given by the catalogue, as the engine builds no sentence.
#[derive(Debug, Clone, Default)]
pub struct Words {
    pub zones: String,
    pub parcels: String,
    pub area: String,
    pub leased: String,
    pub fill_rate: String,
    pub status: String,
    pub basis: String,
    /// The fill-rate bases: industrial land, the lots' land, the gross area.
    pub bases: Vec<String>,
    /// The lot statuses, in [`crate::engine::properties::ParcelStatus::ALL`]'s order.
    pub statuses: Vec<String>,
    /// Numbers written `6.397,68` (Vietnamese) rather than `6,397.68`.
    pub decimal_comma: bool,
}

/// Which of the two layers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayerKind {
    Zones,
    Parcels,
}

/// A layer to write.
#[derive(Debug, Clone)]
pub struct OutLayer {
    /// `zones` or `parcels`: the GeoPackage table, the Shapefile's name.
    pub name: String,
    pub kind: LayerKind,
    /// The coordinates' system; `None`: WGS84 longitude/latitude.
    pub crs: Option<Crs>,
    pub features: Vec<OutFeature>,
}

/// A feature to write.
#[derive(Debug, Clone)]
pub struct OutFeature {
    /// The GeoJSON `id`, as read.
    pub id: Option<Value>,
    /// The properties in the file's order, edits made.
    pub properties: Vec<(String, Value)>,
    pub geometry: Option<OutGeometry>,
    /// Its look and figures, for the formats that show them (KML).
    pub look: Look,
}

/// A feature's look on a map: its colour and the figures its balloon shows (already in
/// words: label, value).
#[derive(Debug, Clone, Default)]
pub struct Look {
    /// Its name (a zone's, a lot's id).
    pub name: String,
    /// The style it takes: `fill-0`… for zones' fill-rate classes, `no-rate`, `leased`…
    pub style: String,
    pub rgb: [u8; 3],
    pub figures: Vec<(String, String)>,
}

/// A position: x, y and z (NaN without one).
pub type Position = [f64; 3];

/// An area: polygons, each its outer ring then its holes.
#[derive(Debug, Clone, PartialEq)]
pub struct OutGeometry {
    pub polygons: Vec<Vec<Vec<Position>>>,
    /// Written as a MultiPolygon (else a Polygon; several polygons are always a MultiPolygon).
    pub multi: bool,
}

impl OutGeometry {
    /// A GeoJSON Polygon or MultiPolygon; `Err` names another kind of geometry (or says the
    /// coordinates are not a polygon's).
    pub fn from_geojson(g: &Value) -> Result<OutGeometry, String> {
        let kind = g.get("type").and_then(Value::as_str).unwrap_or("?");
        let coords = g.get("coordinates");
        let position = |p: &Value| -> Option<Position> {
            let a = p.as_array()?;
            let n = |k: usize| a.get(k).and_then(Value::as_f64);
            Some([n(0)?, n(1)?, n(2).unwrap_or(f64::NAN)])
        };
        let polygon = |p: &Value| -> Option<Vec<Vec<Position>>> {
            p.as_array()?
                .iter()
                .map(|r| r.as_array()?.iter().map(position).collect())
                .collect()
        };
        let bad = || format!("{kind} (coordinates that are not a polygon's)");
        match kind {
            "Polygon" => Ok(OutGeometry {
                polygons: vec![coords.and_then(polygon).ok_or_else(bad)?],
                multi: false,
            }),
            "MultiPolygon" => Ok(OutGeometry {
                polygons: coords
                    .and_then(Value::as_array)
                    .and_then(|ps| ps.iter().map(polygon).collect())
                    .ok_or_else(bad)?,
                multi: true,
            }),
            other => Err(other.to_string()),
        }
    }

    /// Whether any position has a z.
    pub fn has_z(&self) -> bool {
        self.polygons
            .iter()
            .flatten()
            .flatten()
            .any(|p| !p[2].is_nan())
    }

    /// `[min x, max x, min y, max y]`, `None` without a position.
    pub fn envelope(&self) -> Option<[f64; 4]> {
        let mut e: Option<[f64; 4]> = None;
        for p in self.polygons.iter().flatten().flatten() {
            e = Some(match e {
                None => [p[0], p[0], p[1], p[1]],
                Some(b) => [
                    b[0].min(p[0]),
                    b[1].max(p[0]),
                    b[2].min(p[1]),
                    b[3].max(p[1]),
                ],
            });
        }
        e
    }
}

/// Twice the signed area of a ring (positive: counter-clockwise).
pub(crate) fn ring_area2(ring: &[Position]) -> f64 {
    ring.windows(2)
        .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
        .sum()
}

/// An I/O error naming the file.
pub(crate) fn io_error(path: &Path, detail: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(format!("{}: {detail}", path.display()))
}

/// Every file name extension ZoneAtlas opens (GeoJSON's, then each other format's).
pub const OPENED_EXTENSIONS: &[&str] = &["geojson", "json", "shp", "gpkg", "kml", "kmz", "dxf"];

/// The companion files a format keeps beside its main file (dropped together with it, they
/// are not opened on their own).
pub const COMPANION_EXTENSIONS: &[&str] = &["shx", "dbf", "prj", "cpg", "sbn", "sbx", "qmd", "xml"];

/// The formats ZoneAtlas opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    GeoJson,
    Shapefile,
    GeoPackage,
    Kml,
    Kmz,
    Dxf,
}

impl Format {
    /// The format a file's name says (GeoJSON for any name no other format claims).
    pub fn of(path: &Path) -> Format {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        // `FILE.gpkg:LAYER` names a layer.
        let ext = if ext.starts_with("gpkg:") {
            "gpkg".to_string()
        } else {
            ext
        };
        let is = |exts: &[&str]| exts.contains(&ext.as_str());
        if is(shapefile::Shapefile::EXTENSIONS) {
            Format::Shapefile
        } else if is(gpkg::GeoPackage::EXTENSIONS) {
            Format::GeoPackage
        } else if is(kml::Kml::EXTENSIONS) {
            Format::Kml
        } else if is(kml::Kmz::EXTENSIONS) {
            Format::Kmz
        } else if is(dxf::Dxf::EXTENSIONS) {
            Format::Dxf
        } else {
            Format::GeoJson
        }
    }

    /// Whether the file it came from is written back when saving (else Save As, as GeoJSON
    /// or GeoPackage): a GeoJSON, or a GeoPackage's layer ([`gpkg::save_layer`]).
    pub fn saves_in_place(self) -> bool {
        matches!(self, Format::GeoJson | Format::GeoPackage)
    }

    /// Whether ZoneAtlas opens a file of this name.
    pub fn opens(path: &Path) -> bool {
        path.extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .is_some_and(|e| OPENED_EXTENSIONS.contains(&e.as_str()) || e.starts_with("gpkg:"))
    }
}

/// The files to open among those dropped together: a Shapefile's companions (`.dbf`,
/// `.shx`, `.prj`…) dropped with it are part of it, not files of their own.
pub fn main_files(paths: Vec<std::path::PathBuf>) -> Vec<std::path::PathBuf> {
    let is = |p: &Path, exts: &[&str]| {
        p.extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .is_some_and(|e| exts.contains(&e.as_str()))
    };
    let has_main = |p: &Path| {
        paths.iter().any(|q| {
            is(q, shapefile::Shapefile::EXTENSIONS) && q.with_extension("") == p.with_extension("")
        })
    };
    paths
        .iter()
        .filter(|p| !(is(p, COMPANION_EXTENSIONS) && has_main(p)))
        .cloned()
        .collect()
}

/// Why a file in another format cannot be read (quoted details are the format library's own
/// words).
#[derive(Debug, Clone, PartialEq)]
pub enum SourceProblem {
    /// The shapes cannot be read (`record`: the shape's number from 1, when it is one).
    Shapes {
        record: Option<usize>,
        detail: String,
    },
    /// A shape of a kind ZoneAtlas does not read (`kind`: what it is, a MultiPatch).
    UnsupportedShape { record: usize, kind: String },
    /// A position that is not a number.
    NotANumber { record: usize },
    /// The attribute table (`.dbf`) cannot be read.
    Table(dbf::DbfProblem),
    /// The coordinate system is not one ZoneAtlas converts (`wkt`: as the file gives it).
    UnknownSystem { wkt: String },
    /// A GeoPackage that cannot be read (`detail`: SQLite's words).
    GeoPackage { detail: String },
    /// No layer of that name (`asked`), or no polygon layer at all; `layers`: those there are.
    NoLayer {
        asked: Option<String>,
        layers: Vec<String>,
    },
    /// Feature `feature`'s (from 1) geometry cannot be read.
    Geometry { feature: usize, detail: String },
    /// A KML or KMZ that cannot be read (`line`: where, when known).
    Kml { line: Option<usize>, detail: String },
    /// A DXF that cannot be read, or that cannot be read without a coordinate system.
    Dxf(dxf::DxfProblem),
}

/// Reads a file of any format into the model's document.
pub fn open(path: &Path) -> Result<Document, LoadError> {
    converted_or(path, None, Document::open)
}

/// Reads a file like [`open`]; a GeoJSON is mapped ([`Document::open_mapped`]).
pub fn open_mapped(path: &Path) -> Result<Document, LoadError> {
    converted_or(path, None, Document::open_mapped)
}

/// Reads a file like [`open`]; a GeoJSON from a private copy ([`Document::open_snapshot`]).
pub fn open_snapshot(path: &Path, dir: &Path) -> Result<Document, LoadError> {
    converted_or(path, None, |p| Document::open_snapshot(p, dir))
}

/// Reads a file for a reference layer ([`FeatureSource::read_reference_geojson`]), a file
/// without a coordinate system of its own taken to be in `assumed`.
pub fn open_reference(path: &Path, assumed: Option<Crs>) -> Result<Document, LoadError> {
    converted(path, assumed, Purpose::Reference, |p| match assumed {
        Some(_) => Document::parse_assuming(p, read_file(p)?, assumed),
        None => Document::open(p),
    })
}

/// Reads a file like [`open`], a file without a coordinate system of its own taken to be in
/// `assumed` (`--source-crs`).
pub fn open_assuming(path: &Path, assumed: Option<Crs>) -> Result<Document, LoadError> {
    converted_or(path, assumed, |p| match assumed {
        Some(_) => Document::parse_assuming(p, read_file(p)?, assumed),
        None => Document::open_mapped(p),
    })
}

/// Reads a file like [`open_snapshot`]; given a system, a file without one of its own is
/// taken to be in it (the app's chooser: as `--source-crs` does), read into memory.
pub fn open_snapshot_assuming(
    path: &Path,
    dir: &Path,
    assumed: Option<Crs>,
) -> Result<Document, LoadError> {
    match assumed {
        None => open_snapshot(path, dir),
        Some(_) => open_assuming(path, assumed),
    }
}

/// Whether a file could not be read only because it names no coordinate system and its
/// positions are not longitude/latitude: a DXF, a Shapefile without a `.prj` or a GeoJSON
/// without a `crs` member, in metres. Given a system (`--source-crs`, the app's chooser), it
/// may be read.
pub fn needs_system(e: &LoadError) -> bool {
    matches!(
        e.problem,
        LoadProblem::Crs(crate::engine::crs::CrsProblem::LooksProjected { .. })
            | LoadProblem::Source(SourceProblem::Dxf(dxf::DxfProblem::NoSystem))
    )
}

/// What a file is read for: a zones or lots layer, or a reference layer (which takes a
/// DXF's lines too).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Layer,
    Reference,
}

/// A GeoJSON read by `geojson`; any other format converted by its source.
fn converted_or(
    path: &Path,
    assumed: Option<Crs>,
    geojson: impl FnOnce(&Path) -> Result<Document, LoadError>,
) -> Result<Document, LoadError> {
    converted(path, assumed, Purpose::Layer, geojson)
}

fn converted(
    path: &Path,
    assumed: Option<Crs>,
    purpose: Purpose,
    geojson: impl FnOnce(&Path) -> Result<Document, LoadError>,
) -> Result<Document, LoadError> {
    fn read<F: FeatureSource>(
        path: &Path,
        assumed: Option<Crs>,
        purpose: Purpose,
    ) -> Result<String, LoadError> {
        match purpose {
            Purpose::Layer => F::read_geojson(path, assumed),
            Purpose::Reference => F::read_reference_geojson(path, assumed),
        }
    }
    let text = match Format::of(path) {
        Format::GeoJson => return geojson(path),
        Format::Shapefile => read::<shapefile::Shapefile>(path, assumed, purpose)?,
        Format::GeoPackage => read::<gpkg::GeoPackage>(path, assumed, purpose)?,
        Format::Kml => read::<kml::Kml>(path, assumed, purpose)?,
        Format::Kmz => read::<kml::Kmz>(path, assumed, purpose)?,
        Format::Dxf => read::<dxf::Dxf>(path, assumed, purpose)?,
    };
    let mut doc = Document::parse(path, text.into_bytes())?;
    doc.format = Format::of(path);
    Ok(doc)
}

/// Polygons as GeoJSON geometry text: `null` for none, a Polygon for one, a MultiPolygon for
/// several. Each polygon is its rings (the outer one first), each ring its positions, each
/// position its ordinates (x, y, and z where there is one), written with the shortest digits
/// that read back to the same `f64`. The readers of other formats build their features with it.
pub(crate) fn write_polygons<P: AsRef<[f64]>>(out: &mut String, polygons: &[Vec<Vec<P>>]) {
    let list = |out: &mut String, n: usize, item: &mut dyn FnMut(&mut String, usize)| {
        out.push('[');
        for k in 0..n {
            if k > 0 {
                out.push(',');
            }
            item(out, k);
        }
        out.push(']');
    };
    let polygon = |out: &mut String, rings: &[Vec<P>]| {
        list(out, rings.len(), &mut |out, r| {
            list(out, rings[r].len(), &mut |out, p| {
                list(out, rings[r][p].as_ref().len(), &mut |out, o| {
                    out.push_str(&rings[r][p].as_ref()[o].to_string());
                })
            })
        })
    };
    match polygons {
        [] => out.push_str("null"),
        [one] => {
            out.push_str("{\"type\":\"Polygon\",\"coordinates\":");
            polygon(out, one);
            out.push('}');
        }
        many => {
            out.push_str("{\"type\":\"MultiPolygon\",\"coordinates\":");
            list(out, many.len(), &mut |out, k| polygon(out, &many[k]));
            out.push('}');
        }
    }
}

/// Lines as a GeoJSON LineString (one) or MultiLineString (several), `null` for none: a
/// road, a drain or a power line of a reference layer.
pub(crate) fn write_lines<P: AsRef<[f64]>>(out: &mut String, lines: &[Vec<P>]) {
    match lines {
        [] => out.push_str("null"),
        [one] => {
            out.push_str("{\"type\":\"LineString\",\"coordinates\":");
            write_list(out, one);
            out.push('}');
        }
        many => {
            out.push_str("{\"type\":\"MultiLineString\",\"coordinates\":[");
            for (k, line) in many.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                write_list(out, line);
            }
            out.push_str("]}");
        }
    }
}

/// Points as a GeoJSON Point (one) or MultiPoint (several), `null` for none.
pub(crate) fn write_points<P: AsRef<[f64]>>(out: &mut String, points: &[P]) {
    match points {
        [] => out.push_str("null"),
        [one] => {
            out.push_str("{\"type\":\"Point\",\"coordinates\":");
            write_position(out, one.as_ref());
            out.push('}');
        }
        many => {
            out.push_str("{\"type\":\"MultiPoint\",\"coordinates\":");
            write_list(out, many);
            out.push('}');
        }
    }
}

fn write_list<P: AsRef<[f64]>>(out: &mut String, positions: &[P]) {
    out.push('[');
    for (k, p) in positions.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        write_position(out, p.as_ref());
    }
    out.push(']');
}

fn write_position(out: &mut String, p: &[f64]) {
    out.push('[');
    for (k, o) in p.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push_str(&o.to_string());
    }
    out.push(']');
}

pub(crate) fn error(path: &Path, problem: SourceProblem) -> LoadError {
    LoadError {
        file: path.display().to_string(),
        place: None,
        problem: LoadProblem::Source(problem),
    }
}

/// A file's bytes; an error naming it when it cannot be read.
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, LoadError> {
    std::fs::read(path).map_err(|e| LoadError {
        file: path.display().to_string(),
        place: None,
        problem: LoadProblem::CannotRead {
            kind: e.kind(),
            detail: e.to_string(),
        },
    })
}

/// The file beside `path` with extension `ext` (in either case, as GIS tools write them),
/// when there is one.
pub(crate) fn read_beside(path: &Path, ext: &str) -> Result<Option<Vec<u8>>, LoadError> {
    for e in [ext.to_ascii_lowercase(), ext.to_ascii_uppercase()] {
        let p = path.with_extension(&e);
        if p.is_file() {
            return read_file(&p).map(Some);
        }
    }
    Ok(None)
}
