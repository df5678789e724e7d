//! GeoPackage (OGC 12-128): a SQLite file of feature tables. ZoneAtlas reads the first
//! polygon layer, or the one named as `FILE.gpkg:LAYER`; each row a feature (its primary key
//! the feature's `id`), its columns the properties (integers and reals as numbers, booleans
//! as true/false, text as text), its geometry the GeoPackage binary (a header, then WKB:
//! Polygon or MultiPolygon, 2-D or with Z, either byte order). The coordinate system is the
//! layer's, from `gpkg_spatial_ref_sys`: its EPSG code, else its WKT ([`super::prj`]).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use unicode_normalization::UnicodeNormalization;

use super::prj::{self, PrjSystem};
use super::{FeatureSource, SourceProblem};
use crate::engine::crs::Crs;
use crate::engine::geojson::LoadError;

pub struct GeoPackage;

impl FeatureSource for GeoPackage {
    const EXTENSIONS: &'static [&'static str] = &["gpkg"];

    fn read_geojson(path: &Path, _: Option<Crs>) -> Result<String, LoadError> {
        let (file, layer) = file_and_layer(path);
        let fail = |detail: String| super::error(path, SourceProblem::GeoPackage { detail });
        let db = Connection::open_with_flags(&file, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| fail(e.to_string()))?;
        read(&db, layer.as_deref()).map_err(|p| super::error(path, p))
    }
}

/// `FILE.gpkg:LAYER` → the file and the layer; a plain path names no layer.
pub fn file_and_layer(path: &Path) -> (PathBuf, Option<String>) {
    let text = path.to_string_lossy();
    let lower = text.to_ascii_lowercase();
    match lower.rfind(".gpkg:") {
        Some(at) => (
            PathBuf::from(&text[..at + 5]),
            Some(text[at + 6..].to_string()),
        ),
        None => (path.to_path_buf(), None),
    }
}

fn sql_error(e: rusqlite::Error) -> SourceProblem {
    SourceProblem::GeoPackage {
        detail: e.to_string(),
    }
}

/// A name quoted for SQL (a table or column name is data, never SQL).
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn read(db: &Connection, layer: Option<&str>) -> Result<String, SourceProblem> {
    // The feature layers with their geometry column, type and system, in file order.
    let mut layers: Vec<(String, String, String, i64)> = db
        .prepare(
            "SELECT c.table_name, g.column_name, g.geometry_type_name, g.srs_id \
             FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name \
             WHERE c.data_type = 'features' ORDER BY c.rowid",
        )
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect()
        })
        .map_err(sql_error)?;
    let names: Vec<String> = layers.iter().map(|l| l.0.clone()).collect();
    let chosen = match layer {
        Some(name) => layers.iter().position(|l| l.0 == name),
        None => layers.iter().position(|l| {
            matches!(
                l.2.to_ascii_uppercase().as_str(),
                "POLYGON" | "MULTIPOLYGON" | "CURVEPOLYGON" | "MULTISURFACE" | "GEOMETRY"
            )
        }),
    }
    .ok_or_else(|| SourceProblem::NoLayer {
        asked: layer.map(str::to_string),
        layers: names,
    })?;
    let (table, geometry_column, _, srs_id) = layers.swap_remove(chosen);
    let crs = system(db, srs_id)?;

    // The columns, the primary key apart (it is the feature's id).
    let columns: Vec<(String, String, bool)> = db
        .prepare(&format!("PRAGMA table_info({})", quoted(&table)))
        .and_then(|mut s| {
            s.query_map([], |r| {
                Ok((
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(5)? == 1,
                ))
            })?
            .collect()
        })
        .map_err(sql_error)?;
    let key = columns
        .iter()
        .find(|c| c.2 && c.1.eq_ignore_ascii_case("INTEGER"))
        .map(|c| c.0.clone());
    let properties: Vec<&(String, String, bool)> = columns
        .iter()
        .filter(|c| c.0 != geometry_column && Some(&c.0) != key.as_ref())
        .collect();
    let mut select: Vec<String> = vec![quoted(&geometry_column)];
    select.push(key.as_deref().map_or("NULL".to_string(), quoted));
    select.extend(properties.iter().map(|c| quoted(&c.0)));
    let order = key.as_deref().map_or("rowid".to_string(), quoted);
    let mut statement = db
        .prepare(&format!(
            "SELECT {} FROM {} ORDER BY {order}",
            select.join(","),
            quoted(&table)
        ))
        .map_err(sql_error)?;
    let mut rows = statement.query([]).map_err(sql_error)?;

    let mut out = String::from("{\"type\":\"FeatureCollection\",");
    if let Some(crs) = crs {
        let _ = write!(
            out,
            "\"crs\":{{\"type\":\"name\",\"properties\":{{\"name\":\"urn:ogc:def:crs:EPSG::{}\"}}}},",
            crs.epsg
        );
    }
    out.push_str("\"features\":[");
    let mut k = 0usize;
    while let Some(row) = rows.next().map_err(sql_error)? {
        k += 1;
        out.push_str(if k == 1 { "\n" } else { ",\n" });
        out.push_str("{\"type\":\"Feature\"");
        if let Ok(ValueRef::Integer(id)) = row.get_ref(1) {
            let _ = write!(out, ",\"id\":{id}");
        }
        out.push_str(",\"properties\":{");
        let mut first = true;
        for (j, (name, declared, _)) in properties.iter().enumerate() {
            let value = row.get_ref(2 + j).map_err(sql_error)?;
            let Some(json) = json_value(value, declared) else {
                continue;
            };
            if !first {
                out.push(',');
            }
            first = false;
            let _ = write!(out, "{}:{json}", serde_json::Value::String(name.clone()));
        }
        out.push_str("},\"geometry\":");
        match row.get_ref(0).map_err(sql_error)? {
            ValueRef::Blob(blob) => {
                let geometry = geometry(blob)
                    .map_err(|detail| SourceProblem::Geometry { feature: k, detail })?;
                out.push_str(&geometry);
            }
            _ => out.push_str("null"),
        }
        out.push('}');
    }
    out.push_str("\n]}\n");
    Ok(out)
}

/// The layer's system: `None` for WGS84 longitude/latitude (and GeoPackage's undefined
/// systems, 0 and -1); `Err` for one ZoneAtlas does not convert.
fn system(db: &Connection, srs_id: i64) -> Result<Option<Crs>, SourceProblem> {
    if srs_id <= 0 || srs_id == 4326 {
        return Ok(None);
    }
    let (organization, code, definition): (String, i64, String) = db
        .query_row(
            "SELECT organization, organization_coordsys_id, definition \
             FROM gpkg_spatial_ref_sys WHERE srs_id = ?1",
            [srs_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .map_err(sql_error)?;
    if organization.eq_ignore_ascii_case("EPSG") {
        if code == 4326 {
            return Ok(None);
        }
        if let Some(crs) = u32::try_from(code).ok().and_then(Crs::from_epsg) {
            return Ok(Some(crs));
        }
    }
    match prj::recognise(&definition) {
        Ok(PrjSystem::Wgs84) => Ok(None),
        Ok(PrjSystem::Supported(crs)) => Ok(Some(crs)),
        Err(_) => Err(SourceProblem::UnknownSystem {
            wkt: format!("{organization}:{code} {definition}"),
        }),
    }
}

/// A column's value as JSON text; `None` for NULL.
fn json_value(value: ValueRef<'_>, declared: &str) -> Option<String> {
    Some(match value {
        ValueRef::Null => return None,
        ValueRef::Integer(i) if declared.eq_ignore_ascii_case("BOOLEAN") => (i != 0).to_string(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(r) if r.is_finite() => r.to_string(),
        ValueRef::Real(_) => return None,
        ValueRef::Text(t) => {
            serde_json::Value::String(String::from_utf8_lossy(t).nfc().collect()).to_string()
        }
        // A blob is kept, as hexadecimal text.
        ValueRef::Blob(b) => {
            let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
            serde_json::Value::String(hex).to_string()
        }
    })
}

/// A GeoPackage geometry blob as GeoJSON geometry text (`null` for an empty one).
pub fn geometry(blob: &[u8]) -> Result<String, String> {
    if blob.len() < 8 || &blob[..2] != b"GP" {
        return Err("not a GeoPackage geometry".into());
    }
    let flags = blob[3];
    if flags & 0b0001_0000 != 0 {
        return Ok("null".into()); // empty
    }
    let envelope = match (flags >> 1) & 0b111 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        _ => return Err("an unknown envelope".into()),
    };
    let start = 8 + envelope;
    let mut wkb = Wkb {
        bytes: blob.get(start..).ok_or("cut short")?,
        at: 0,
    };
    let mut out = String::new();
    let (kind, ordinates, little) = wkb.header()?;
    match kind {
        3 => {
            out.push_str("{\"type\":\"Polygon\",\"coordinates\":");
            wkb.polygon_body(ordinates, little, &mut out)?;
        }
        6 => {
            out.push_str("{\"type\":\"MultiPolygon\",\"coordinates\":[");
            let n = wkb.u32(little)?;
            for j in 0..n {
                if j > 0 {
                    out.push(',');
                }
                let (kind, ordinates, little) = wkb.header()?;
                if kind != 3 {
                    return Err(format!("a MultiPolygon holding a WKB type {kind}"));
                }
                wkb.polygon_body(ordinates, little, &mut out)?;
            }
            out.push(']');
        }
        other => return Err(format!("WKB type {other}, not a polygon")),
    }
    out.push('}');
    Ok(out)
}

struct Wkb<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Wkb<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let s = self
            .bytes
            .get(self.at..self.at + n)
            .ok_or_else(|| "the geometry is cut short".to_string())?;
        self.at += n;
        Ok(s)
    }

    fn u32(&mut self, little: bool) -> Result<u32, String> {
        let b: [u8; 4] = self.take(4)?.try_into().map_err(|_| "cut short")?;
        Ok(if little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    }

    fn f64(&mut self, little: bool) -> Result<f64, String> {
        let b: [u8; 8] = self.take(8)?.try_into().map_err(|_| "cut short")?;
        Ok(if little {
            f64::from_le_bytes(b)
        } else {
            f64::from_be_bytes(b)
        })
    }

    /// A geometry's byte order and type: (the 2-D type, its ordinates, little endian). ISO
    /// (1000s: Z, 2000s: M, 3000s: ZM) and EWKB flags are both read.
    fn header(&mut self) -> Result<(u32, Ordinates, bool), String> {
        let little = match self.take(1)?[0] {
            0 => false,
            1 => true,
            b => return Err(format!("a byte order of {b}")),
        };
        let raw = self.u32(little)?;
        let (ewkb_z, ewkb_m) = (raw & 0x8000_0000 != 0, raw & 0x4000_0000 != 0);
        let code = raw & 0x0FFF_FFFF;
        let (kind, iso) = (code % 1000, code / 1000);
        let (z, m) = match iso {
            1 => (true, false),
            2 => (false, true),
            3 => (true, true),
            _ => (ewkb_z, ewkb_m),
        };
        Ok((kind, Ordinates { z, m }, little))
    }

    /// A Polygon's rings, written as GeoJSON coordinates (x, y, and z when there is one; M is
    /// dropped).
    fn polygon_body(
        &mut self,
        ordinates: Ordinates,
        little: bool,
        out: &mut String,
    ) -> Result<(), String> {
        let dims = 2 + usize::from(ordinates.z) + usize::from(ordinates.m);
        let rings = self.u32(little)?;
        out.push('[');
        for r in 0..rings {
            if r > 0 {
                out.push(',');
            }
            let n = self.u32(little)? as usize;
            if n.saturating_mul(dims * 8) > self.bytes.len() {
                return Err("the geometry is cut short".into());
            }
            out.push('[');
            for p in 0..n {
                if p > 0 {
                    out.push(',');
                }
                let mut ords = [0.0; 4];
                for o in ords.iter_mut().take(dims) {
                    *o = self.f64(little)?;
                }
                if !ords[0].is_finite() || !ords[1].is_finite() {
                    return Err("a position that is not a number".into());
                }
                if ordinates.z {
                    let _ = write!(out, "[{},{},{}]", ords[0], ords[1], ords[2]);
                } else {
                    let _ = write!(out, "[{},{}]", ords[0], ords[1]);
                }
            }
            out.push(']');
        }
        out.push(']');
        Ok(())
    }
}

/// Which ordinates a position has beyond x and y.
#[derive(Clone, Copy)]
struct Ordinates {
    z: bool,
    m: bool,
}
