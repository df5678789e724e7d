//! GeoPackage (OGC 12-128): a SQLite file of feature tables. ZoneAtlas reads the first
//! polygon layer (else the first layer), or the one named as `FILE.gpkg:LAYER`; each row a
//! feature (its primary key the feature's `id`), its columns the properties (integers and
//! reals as numbers, booleans as true/false, text as text), its geometry the GeoPackage
//! binary (a header, then WKB: points, lines, polygons, their multi forms and collections,
//! 2-D or with Z, either byte order; a zone layer's finding says a line has no area). The coordinate system is the
//! layer's, from `gpkg_spatial_ref_sys`: its EPSG code, else its WKT ([`super::prj`]).
//!
//! Written ([`FeatureSink`]) as OGC 12-128 1.3 wants it (with 1.4's R-tree triggers): the
//! `GPKG` application id, the required tables and systems (WGS 84 and the two undefined ones, plus the layers' own, with
//! WKT [`super::prj::wkt`] recognises), one table a layer (`fid` the integer primary key, the
//! GeoJSON `id` when every feature has a distinct integer one; `geom` GeoPackage binary, little
//! endian with its envelope; the properties as typed columns: INTEGER, REAL, BOOLEAN, DATE or
//! TEXT, inferred from the values, a mix or a nested value written as TEXT, its JSON), and
//! the `gpkg_rtree_index` extension: the R-tree, its `gpkg_extensions` row and the spec's
//! triggers, which call the `ST_` functions registered here ([`register_functions`]). All in
//! one transaction, in a temporary file renamed over the target.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use unicode_normalization::UnicodeNormalization;

use super::prj::{self, PrjSystem};
use super::{
    FeatureSink, FeatureSource, Notice, OutGeometry, OutLayer, SourceProblem, Words, Written,
    io_error,
};
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
        // The first polygon layer, else the first layer (a reference layer's roads).
        None => layers
            .iter()
            .position(|l| {
                matches!(
                    l.2.to_ascii_uppercase().as_str(),
                    "POLYGON" | "MULTIPOLYGON" | "CURVEPOLYGON" | "MULTISURFACE" | "GEOMETRY"
                )
            })
            .or((!layers.is_empty()).then_some(0)),
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
    wkb.geometry(&mut out, 0)?;
    Ok(out)
}

impl FeatureSink for GeoPackage {
    const EXTENSION: &'static str = "gpkg";

    fn write(path: &Path, layers: &[OutLayer], _: &Words) -> std::io::Result<Written> {
        let mut notices = Vec::new();
        crate::engine::export::replace_atomic(path, |tmp| {
            let mut db = Connection::open(tmp.path()).map_err(|e| io_error(path, e))?;
            create(&mut db, layers, &mut notices).map_err(|e| io_error(path, e))?;
            db.close().map_err(|(_, e)| io_error(path, e))
        })?;
        Ok(Written {
            files: vec![path.to_path_buf()],
            notices,
        })
    }
}

/// The tables every GeoPackage has (OGC 12-128, tables 5, 21 and 31).
const BASE_TABLES: &str = "
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE gpkg_extensions (
  table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,
  scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
";

/// The R-tree of table `t`'s geometry column `c` (primary key `i`) and the triggers that keep
/// it (OGC 12-128 1.4, F.3: insert, update6, update7, update2, update5, update4, delete).
fn rtree_sql(t: &str, c: &str, i: &str) -> String {
    let rt = quoted(&format!("rtree_{t}_{c}"));
    let name = |s: &str| quoted(&format!("rtree_{t}_{c}_{s}"));
    let (tq, c, i) = (quoted(t), quoted(c), quoted(i));
    let values =
        format!("NEW.{i}, ST_MinX(NEW.{c}), ST_MaxX(NEW.{c}), ST_MinY(NEW.{c}), ST_MaxY(NEW.{c})");
    let set = format!(
        "minx = ST_MinX(NEW.{c}), maxx = ST_MaxX(NEW.{c}), miny = ST_MinY(NEW.{c}), maxy = ST_MaxY(NEW.{c})"
    );
    format!(
        "CREATE VIRTUAL TABLE {rt} USING rtree(id, minx, maxx, miny, maxy);
CREATE TRIGGER {ins} AFTER INSERT ON {tq} WHEN (new.{c} NOT NULL AND NOT ST_IsEmpty(NEW.{c}))
BEGIN INSERT OR REPLACE INTO {rt} VALUES ({values}); END;
CREATE TRIGGER {u6} AFTER UPDATE OF {c} ON {tq} WHEN OLD.{i} = NEW.{i} AND
  (NEW.{c} NOTNULL AND NOT ST_IsEmpty(NEW.{c})) AND (OLD.{c} NOTNULL AND NOT ST_IsEmpty(OLD.{c}))
BEGIN UPDATE {rt} SET {set} WHERE id = NEW.{i}; END;
CREATE TRIGGER {u7} AFTER UPDATE OF {c} ON {tq} WHEN OLD.{i} = NEW.{i} AND
  (NEW.{c} NOTNULL AND NOT ST_IsEmpty(NEW.{c})) AND (OLD.{c} ISNULL OR ST_IsEmpty(OLD.{c}))
BEGIN INSERT INTO {rt} VALUES ({values}); END;
CREATE TRIGGER {u2} AFTER UPDATE OF {c} ON {tq} WHEN OLD.{i} = NEW.{i} AND
  (NEW.{c} ISNULL OR ST_IsEmpty(NEW.{c}))
BEGIN DELETE FROM {rt} WHERE id = OLD.{i}; END;
CREATE TRIGGER {u5} AFTER UPDATE ON {tq} WHEN OLD.{i} != NEW.{i} AND
  (NEW.{c} NOTNULL AND NOT ST_IsEmpty(NEW.{c}))
BEGIN DELETE FROM {rt} WHERE id = OLD.{i}; INSERT OR REPLACE INTO {rt} VALUES ({values}); END;
CREATE TRIGGER {u4} AFTER UPDATE ON {tq} WHEN OLD.{i} != NEW.{i} AND
  (NEW.{c} ISNULL OR ST_IsEmpty(NEW.{c}))
BEGIN DELETE FROM {rt} WHERE id IN (OLD.{i}, NEW.{i}); END;
CREATE TRIGGER {del} AFTER DELETE ON {tq} WHEN old.{c} NOT NULL
BEGIN DELETE FROM {rt} WHERE id = OLD.{i}; END;
",
        ins = name("insert"),
        u6 = name("update6"),
        u7 = name("update7"),
        u2 = name("update2"),
        u5 = name("update5"),
        u4 = name("update4"),
        del = name("delete"),
    )
}

/// A GeoPackage geometry's envelope `[min x, max x, min y, max y]` (from its header, else
/// from its positions); `None` for an empty one or a value that is not one.
fn envelope_of(blob: &[u8]) -> Option<[f64; 4]> {
    if blob.len() < 8 || &blob[..2] != b"GP" || blob[3] & 0b0001_0000 != 0 {
        return None;
    }
    let little = blob[3] & 1 == 1;
    if (blob[3] >> 1) & 0b111 != 0 {
        let mut e = [0.0; 4];
        for (k, v) in e.iter_mut().enumerate() {
            let b: [u8; 8] = blob.get(8 + 8 * k..16 + 8 * k)?.try_into().ok()?;
            *v = if little {
                f64::from_le_bytes(b)
            } else {
                f64::from_be_bytes(b)
            };
        }
        return Some(e);
    }
    let json: serde_json::Value = serde_json::from_str(&geometry(blob).ok()?).ok()?;
    OutGeometry::from_geojson(&json).ok()?.envelope()
}

/// The SQL functions the R-tree triggers call (`ST_MinX`, `ST_MaxX`, `ST_MinY`, `ST_MaxY`,
/// `ST_IsEmpty`), as GDAL registers them: a connection that writes a GeoPackage's features
/// needs them.
pub fn register_functions(db: &Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    for (name, k) in [
        ("ST_MinX", 0),
        ("ST_MaxX", 1),
        ("ST_MinY", 2),
        ("ST_MaxY", 3),
    ] {
        db.create_scalar_function(name, 1, flags, move |ctx| {
            Ok(match ctx.get_raw(0) {
                ValueRef::Blob(b) => envelope_of(b).map(|e| e[k]),
                _ => None,
            })
        })?;
    }
    db.create_scalar_function("ST_IsEmpty", 1, flags, |ctx| {
        Ok(match ctx.get_raw(0) {
            ValueRef::Blob(b) if b.len() >= 8 && &b[..2] == b"GP" => Some(i64::from(
                b[3] & 0b0001_0000 != 0 || envelope_of(b).is_none(),
            )),
            _ => None,
        })
    })
}

/// A column's type, from its values (nulls apart).
#[derive(Debug, Clone, Copy, PartialEq)]
enum SqlType {
    Integer,
    Real,
    Boolean,
    Date,
    Text,
}

impl SqlType {
    fn name(self) -> &'static str {
        match self {
            SqlType::Integer => "INTEGER",
            SqlType::Real => "REAL",
            SqlType::Boolean => "BOOLEAN",
            SqlType::Date => "DATE",
            SqlType::Text => "TEXT",
        }
    }

    fn of<'a>(values: impl Iterator<Item = &'a serde_json::Value>) -> SqlType {
        use serde_json::Value;
        let mut kind: Option<SqlType> = None;
        for v in values {
            let this = match v {
                Value::Null => continue,
                Value::Number(n) if n.is_i64() => SqlType::Integer,
                Value::Number(_) => SqlType::Real,
                Value::Bool(_) => SqlType::Boolean,
                Value::String(s) if is_date(s) => SqlType::Date,
                _ => SqlType::Text,
            };
            kind = Some(match (kind, this) {
                (None, t) => t,
                (Some(a), b) if a == b => a,
                (Some(SqlType::Integer | SqlType::Real), SqlType::Integer | SqlType::Real) => {
                    SqlType::Real
                }
                _ => SqlType::Text,
            });
        }
        kind.unwrap_or(SqlType::Text)
    }

    fn value(self, v: &serde_json::Value) -> rusqlite::types::Value {
        use rusqlite::types::Value as Sql;
        use serde_json::Value;
        match (self, v) {
            (_, Value::Null) => Sql::Null,
            (SqlType::Integer, Value::Number(n)) if n.is_i64() => {
                Sql::Integer(n.as_i64().unwrap_or_default())
            }
            (SqlType::Real, Value::Number(n)) => n
                .as_f64()
                .filter(|x| x.is_finite())
                .map_or(Sql::Null, Sql::Real),
            (SqlType::Boolean, Value::Bool(b)) => Sql::Integer(i64::from(*b)),
            (_, Value::String(s)) => Sql::Text(s.clone()),
            (_, other) => Sql::Text(other.to_string()),
        }
    }
}

/// `yyyy-mm-dd` with a real month and day.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> { s.get(r)?.parse().ok() };
    matches!((num(0..4), num(5..7), num(8..10)), (Some(_), Some(m), Some(d)) if (1..=12).contains(&m) && (1..=31).contains(&d))
        && b.iter()
            .enumerate()
            .all(|(k, c)| k == 4 || k == 7 || c.is_ascii_digit())
}

/// GeoPackage binary of a geometry: header (version 0, little endian, an xy envelope, the
/// system), then WKB (Polygon, or MultiPolygon for a multi or several polygons; with Z when a
/// position has one, 0 for those without). `None` for a geometry without positions.
pub fn gp_blob(g: &OutGeometry, srs_id: i32) -> Option<Vec<u8>> {
    let e = g.envelope()?;
    let z = g.has_z();
    let mut out = b"GP".to_vec();
    out.push(0);
    out.push(0b0000_0011);
    out.extend(srs_id.to_le_bytes());
    for v in e {
        out.extend(v.to_le_bytes());
    }
    let polygon = |out: &mut Vec<u8>, rings: &Vec<Vec<super::Position>>| {
        out.push(1);
        out.extend((if z { 1003u32 } else { 3 }).to_le_bytes());
        out.extend((rings.len() as u32).to_le_bytes());
        for r in rings {
            out.extend((r.len() as u32).to_le_bytes());
            for p in r {
                out.extend(p[0].to_le_bytes());
                out.extend(p[1].to_le_bytes());
                if z {
                    out.extend((if p[2].is_nan() { 0.0 } else { p[2] }).to_le_bytes());
                }
            }
        }
    };
    match g.polygons.as_slice() {
        [one] if !g.multi => polygon(&mut out, one),
        many => {
            out.push(1);
            out.extend((if z { 1006u32 } else { 6 }).to_le_bytes());
            out.extend((many.len() as u32).to_le_bytes());
            for p in many {
                polygon(&mut out, p);
            }
        }
    }
    Some(out)
}

/// The layer's columns: each property key (first met first) with its column name (unique
/// whatever its case, and neither `fid` nor `geom`; a name taken gets `_2`, `_3`… and is
/// reported) and type.
fn columns(layer: &OutLayer, notices: &mut Vec<Notice>) -> Vec<(String, String, SqlType)> {
    let mut keys: Vec<&str> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for f in &layer.features {
        for (k, _) in &f.properties {
            if seen.insert(k.as_str()) {
                keys.push(k);
            }
        }
    }
    let mut taken: Vec<String> = vec!["fid".into(), "geom".into()];
    keys.into_iter()
        .map(|key| {
            let base = if key.is_empty() { "field" } else { key };
            let mut name = base.to_string();
            let mut k = 2;
            while taken.contains(&name.to_lowercase()) {
                name = format!("{base}_{k}");
                k += 1;
            }
            taken.push(name.to_lowercase());
            if name != key {
                notices.push(Notice::FieldRenamed {
                    layer: layer.name.clone(),
                    from: key.to_string(),
                    to: name.clone(),
                });
            }
            let values = layer
                .features
                .iter()
                .filter_map(|f| f.properties.iter().find(|(k, _)| k == key).map(|(_, v)| v));
            (key.to_string(), name, SqlType::of(values))
        })
        .collect()
}

fn create(
    db: &mut Connection,
    layers: &[OutLayer],
    notices: &mut Vec<Notice>,
) -> rusqlite::Result<()> {
    db.pragma_update(None, "application_id", 0x4750_4B47)?;
    db.pragma_update(None, "user_version", 10300)?;
    register_functions(db)?;
    let tx = db.transaction()?;
    tx.execute_batch(BASE_TABLES)?;
    tx.execute(
        "INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, ?1, \
         'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid'), \
         ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'), \
         ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system')",
        [super::prj::wkt(None)],
    )?;
    for layer in layers {
        write_layer(&tx, layer, notices)?;
    }
    tx.commit()
}

fn write_layer(
    db: &Connection,
    layer: &OutLayer,
    notices: &mut Vec<Notice>,
) -> rusqlite::Result<()> {
    let srs_id = layer.crs.map_or(4326, |c| c.epsg);
    if let Some(crs) = &layer.crs {
        db.execute(
            "INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?1, ?2, 'EPSG', ?2, ?3, NULL)",
            rusqlite::params![crs.name, srs_id, super::prj::wkt(Some(crs))],
        )?;
    }
    let mut columns = columns(layer, notices);
    // The GeoJSON ids: the primary key when each is a distinct positive integer, else a column.
    let ids: Vec<Option<i64>> = layer
        .features
        .iter()
        .map(|f| {
            f.id.as_ref()
                .and_then(serde_json::Value::as_i64)
                .filter(|i| *i > 0)
        })
        .collect();
    let distinct: std::collections::HashSet<i64> = ids.iter().flatten().copied().collect();
    let ids_as_keys = ids.iter().all(Option::is_some) && distinct.len() == ids.len();
    let id_column = !ids_as_keys && layer.features.iter().any(|f| f.id.is_some());
    if id_column {
        let mut name = "id".to_string();
        let mut k = 2;
        while columns.iter().any(|c| c.1.eq_ignore_ascii_case(&name)) {
            name = format!("id_{k}");
            k += 1;
        }
        let values = layer.features.iter().filter_map(|f| f.id.as_ref());
        columns.insert(0, (String::new(), name, SqlType::of(values)));
    }

    let kinds: std::collections::HashSet<bool> = layer
        .features
        .iter()
        .filter_map(|f| f.geometry.as_ref())
        .map(|g| g.multi || g.polygons.len() > 1)
        .collect();
    let geometry_type = match (kinds.contains(&false), kinds.contains(&true)) {
        (true, false) => "POLYGON",
        (false, true) => "MULTIPOLYGON",
        _ => "GEOMETRY",
    };
    let z = layer
        .features
        .iter()
        .filter_map(|f| f.geometry.as_ref())
        .any(OutGeometry::has_z);
    let table = &layer.name;
    let mut ddl = format!(
        "CREATE TABLE {} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom {geometry_type}",
        quoted(table)
    );
    for (_, name, t) in &columns {
        let _ = write!(ddl, ", {} {}", quoted(name), t.name());
    }
    ddl.push(')');
    db.execute_batch(&ddl)?;
    let mut envelope: Option<[f64; 4]> = None;
    for e in layer
        .features
        .iter()
        .filter_map(|f| f.geometry.as_ref()?.envelope())
    {
        envelope = Some(match envelope {
            None => e,
            Some(b) => [
                b[0].min(e[0]),
                b[1].max(e[1]),
                b[2].min(e[2]),
                b[3].max(e[3]),
            ],
        });
    }
    db.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, \
         min_x, min_y, max_x, max_y, srs_id) VALUES (?1, 'features', ?1, '', ?2, ?3, ?4, ?5, ?6)",
        rusqlite::params![
            table,
            envelope.map(|e| e[0]),
            envelope.map(|e| e[2]),
            envelope.map(|e| e[1]),
            envelope.map(|e| e[3]),
            srs_id
        ],
    )?;
    db.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, ?3, ?4, 0)",
        rusqlite::params![table, geometry_type, srs_id, if z { 2 } else { 0 }],
    )?;
    db.execute(
        "INSERT INTO gpkg_extensions VALUES (?1, 'geom', 'gpkg_rtree_index', \
         'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
        [table],
    )?;
    db.execute_batch(&rtree_sql(table, "geom", "fid"))?;

    let mut names = vec!["fid".to_string(), "geom".to_string()];
    names.extend(columns.iter().map(|c| quoted(&c.1)));
    let marks: Vec<String> = (1..=names.len()).map(|k| format!("?{k}")).collect();
    let mut insert = db.prepare(&format!(
        "INSERT INTO {} ({}) VALUES ({})",
        quoted(table),
        names.join(","),
        marks.join(",")
    ))?;
    let srs = i32::try_from(srs_id).unwrap_or(i32::MAX);
    for (k, f) in layer.features.iter().enumerate() {
        use rusqlite::types::Value as Sql;
        let mut row: Vec<Sql> = Vec::with_capacity(names.len());
        row.push(match ids_as_keys {
            true => ids[k].map_or(Sql::Null, Sql::Integer),
            false => Sql::Null,
        });
        row.push(
            f.geometry
                .as_ref()
                .and_then(|g| gp_blob(g, srs))
                .map_or(Sql::Null, Sql::Blob),
        );
        for (key, _, t) in &columns {
            let v = if key.is_empty() && id_column {
                f.id.as_ref()
            } else {
                f.properties.iter().find(|(k, _)| k == key).map(|(_, v)| v)
            };
            row.push(v.map_or(Sql::Null, |v| t.value(v)));
        }
        insert.execute(rusqlite::params_from_iter(row))?;
    }
    Ok(())
}

/// Save in place: the layer `path` names (`FILE.gpkg:LAYER`, else the first polygon layer)
/// rewritten from `doc` (read from it: each file feature's `id` its primary key) in one
/// transaction: deleted features' rows deleted, edited ones' properties and geometry updated
/// (a property the table has no column for gets one, typed from its values; a removed one
/// set to NULL), inserted ones inserted. Other layers and tables are untouched. The file as
/// it was is first copied to [`crate::engine::saving::backup_path`]. Returns the layer as it
/// now reads (GeoJSON text, [`FeatureSource::read_geojson`]), ids and all.
pub fn save_layer(path: &Path, doc: &crate::engine::geojson::Document) -> std::io::Result<String> {
    let (file, layer) = file_and_layer(path);
    let fail = |e: &dyn std::fmt::Display| io_error(&file, e);
    let bak = crate::engine::saving::backup_path(&file);
    std::fs::copy(&file, &bak).map_err(|e| fail(&e))?;
    let mut db = Connection::open_with_flags(&file, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .map_err(|e| fail(&e))?;
    register_functions(&db).map_err(|e| fail(&e))?;
    let tx = db.transaction().map_err(|e| fail(&e))?;
    update_layer(&tx, layer.as_deref(), doc).map_err(|e| fail(&e))?;
    tx.commit().map_err(|e| fail(&e))?;
    read(&db, layer.as_deref()).map_err(|p| fail(&format!("{p:?}")))
}

fn update_layer(
    db: &Connection,
    layer: Option<&str>,
    doc: &crate::engine::geojson::Document,
) -> Result<(), String> {
    let sql = |e: rusqlite::Error| e.to_string();
    let layers: Vec<(String, String, i64)> = db
        .prepare(
            "SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c \
             JOIN gpkg_geometry_columns g ON g.table_name = c.table_name \
             WHERE c.data_type = 'features' AND (?1 IS NULL OR c.table_name = ?1) \
             AND (?1 IS NOT NULL OR upper(g.geometry_type_name) IN \
             ('POLYGON','MULTIPOLYGON','CURVEPOLYGON','MULTISURFACE','GEOMETRY')) ORDER BY c.rowid",
        )
        .and_then(|mut s| {
            s.query_map([layer], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect()
        })
        .map_err(sql)?;
    let (table, geom, srs_id) = layers
        .into_iter()
        .next()
        .ok_or_else(|| format!("no layer {}", layer.unwrap_or("of polygons")))?;
    let columns: Vec<(String, String, bool)> = db
        .prepare(&format!("PRAGMA table_info({})", quoted(&table)))
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(1)?, r.get(2)?, r.get::<_, i64>(5)? == 1)))?
                .collect()
        })
        .map_err(sql)?;
    let key = columns
        .iter()
        .find(|c| c.2)
        .map(|c| c.0.clone())
        .ok_or("a layer without an integer primary key")?;
    let declared = |t: &str| match t.to_ascii_uppercase().as_str() {
        "INTEGER" | "INT" | "MEDIUMINT" | "SMALLINT" | "TINYINT" => SqlType::Integer,
        "REAL" | "DOUBLE" | "FLOAT" => SqlType::Real,
        "BOOLEAN" => SqlType::Boolean,
        _ => SqlType::Text,
    };
    let (mut names, mut types): (Vec<String>, Vec<SqlType>) = columns
        .iter()
        .filter(|c| c.0 != key && c.0 != geom)
        .map(|c| (c.0.clone(), declared(&c.1)))
        .unzip();
    let live: Vec<usize> = (0..doc.len()).filter(|i| !doc.is_deleted(*i)).collect();
    let properties: Vec<Vec<(String, serde_json::Value)>> =
        live.iter().map(|i| doc.properties(*i)).collect();
    // New properties get columns, typed from their values.
    let mut new_keys: Vec<&str> = Vec::new();
    for (k, _) in properties.iter().flatten() {
        if !names.iter().any(|n| n.eq_ignore_ascii_case(k))
            && !new_keys.iter().any(|n| n.eq_ignore_ascii_case(k))
            && !k.eq_ignore_ascii_case(&key)
            && !k.eq_ignore_ascii_case(&geom)
        {
            new_keys.push(k);
        }
    }
    for k in new_keys {
        let values = properties
            .iter()
            .flatten()
            .filter(|(key, _)| key == k)
            .map(|(_, v)| v);
        let t = SqlType::of(values);
        db.execute_batch(&format!(
            "ALTER TABLE {} ADD COLUMN {} {}",
            quoted(&table),
            quoted(k),
            t.name()
        ))
        .map_err(sql)?;
        names.push(k.to_string());
        types.push(t);
    }
    let id_of = |i: usize| doc.id_json(i).and_then(|t| t.trim().parse::<i64>().ok());
    let srs = i32::try_from(srs_id).unwrap_or(0);
    let geometry = |i: usize| -> Result<rusqlite::types::Value, String> {
        let Some(text) = doc.geometry_json(i) else {
            return Ok(rusqlite::types::Value::Null);
        };
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if v.is_null() {
            return Ok(rusqlite::types::Value::Null);
        }
        let g = OutGeometry::from_geojson(&v).map_err(|k| format!("feature {}: {k}", i + 1))?;
        Ok(gp_blob(&g, srs).map_or(rusqlite::types::Value::Null, rusqlite::types::Value::Blob))
    };
    let row = |i: usize| -> Result<Vec<rusqlite::types::Value>, String> {
        let props = doc.properties(i);
        let mut row = vec![geometry(i)?];
        for (n, t) in names.iter().zip(&types) {
            let v = props
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(n))
                .map(|(_, v)| v);
            row.push(v.map_or(rusqlite::types::Value::Null, |v| t.value(v)));
        }
        Ok(row)
    };
    let tq = quoted(&table);
    let set: Vec<String> = std::iter::once(&geom)
        .chain(names.iter())
        .enumerate()
        .map(|(k, n)| format!("{} = ?{}", quoted(n), k + 1))
        .collect();
    let file_features = doc.features.len();
    for i in 0..file_features {
        let id = id_of(i);
        if doc.is_deleted(i) {
            if let Some(id) = id {
                db.execute(
                    &format!("DELETE FROM {tq} WHERE {} = ?1", quoted(&key)),
                    [id],
                )
                .map_err(sql)?;
            }
            continue;
        }
        if !(doc.edits.contains_key(&i) || doc.geometries.contains_key(&i)) {
            continue;
        }
        let id = id.ok_or_else(|| format!("feature {} has no row id", i + 1))?;
        let mut values = row(i)?;
        values.push(rusqlite::types::Value::Integer(id));
        db.execute(
            &format!(
                "UPDATE {tq} SET {} WHERE {} = ?{}",
                set.join(", "),
                quoted(&key),
                values.len()
            ),
            rusqlite::params_from_iter(values),
        )
        .map_err(sql)?;
    }
    let columns: Vec<String> = std::iter::once(&geom)
        .chain(names.iter())
        .map(|n| quoted(n))
        .collect();
    let marks: Vec<String> = (1..=columns.len()).map(|k| format!("?{k}")).collect();
    for i in (file_features..doc.len()).filter(|i| !doc.is_deleted(*i)) {
        db.execute(
            &format!(
                "INSERT INTO {tq} ({}) VALUES ({})",
                columns.join(","),
                marks.join(",")
            ),
            rusqlite::params_from_iter(row(i)?),
        )
        .map_err(sql)?;
    }
    Ok(())
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

    /// One WKB geometry (its header and body) as GeoJSON: points, lines, polygons, their
    /// multi forms and collections (nested at most 8 deep: a blob is not trusted).
    fn geometry(&mut self, out: &mut String, depth: usize) -> Result<(), String> {
        let (kind, ordinates, little) = self.header()?;
        let name = match kind {
            1 => "Point",
            2 => "LineString",
            3 => "Polygon",
            4 => "MultiPoint",
            5 => "MultiLineString",
            6 => "MultiPolygon",
            7 if depth < 8 => {
                out.push_str("{\"type\":\"GeometryCollection\",\"geometries\":[");
                let n = self.u32(little)?;
                for j in 0..n {
                    if j > 0 {
                        out.push(',');
                    }
                    self.geometry(out, depth + 1)?;
                }
                out.push_str("]}");
                return Ok(());
            }
            other => return Err(format!("WKB type {other}, which ZoneAtlas does not read")),
        };
        // An empty point is NaN, NaN (GeoPackage's rule): no geometry.
        if kind == 1 {
            let at = self.at;
            let p = self.position(ordinates, little, true)?;
            if p[0].is_nan() && p[1].is_nan() {
                out.push_str("null");
                return Ok(());
            }
            self.at = at;
        }
        let _ = write!(out, "{{\"type\":\"{name}\",\"coordinates\":");
        match kind {
            1 => self.write_position(ordinates, little, out)?,
            2 => self.positions(ordinates, little, out)?,
            3 => self.rings(ordinates, little, out)?,
            _ => {
                // The members of a multi geometry, each with its own header.
                let n = self.u32(little)?;
                out.push('[');
                for j in 0..n {
                    if j > 0 {
                        out.push(',');
                    }
                    let (member, ordinates, little) = self.header()?;
                    if member != kind - 3 {
                        return Err(format!("a {name} holding a WKB type {member}"));
                    }
                    match member {
                        1 => self.write_position(ordinates, little, out)?,
                        2 => self.positions(ordinates, little, out)?,
                        _ => self.rings(ordinates, little, out)?,
                    }
                }
                out.push(']');
            }
        }
        out.push('}');
        Ok(())
    }

    /// One position: x, y, and z when there is one (M is read and dropped).
    fn position(
        &mut self,
        ordinates: Ordinates,
        little: bool,
        empty_ok: bool,
    ) -> Result<[f64; 4], String> {
        let dims = 2 + usize::from(ordinates.z) + usize::from(ordinates.m);
        let mut ords = [0.0; 4];
        for o in ords.iter_mut().take(dims) {
            *o = self.f64(little)?;
        }
        let empty = empty_ok && ords[0].is_nan() && ords[1].is_nan();
        if !empty && (!ords[0].is_finite() || !ords[1].is_finite()) {
            return Err("a position that is not a number".into());
        }
        Ok(ords)
    }

    fn write_position(
        &mut self,
        ordinates: Ordinates,
        little: bool,
        out: &mut String,
    ) -> Result<(), String> {
        let p = self.position(ordinates, little, false)?;
        if ordinates.z {
            let _ = write!(out, "[{},{},{}]", p[0], p[1], p[2]);
        } else {
            let _ = write!(out, "[{},{}]", p[0], p[1]);
        }
        Ok(())
    }

    /// A count, then that many positions, as a GeoJSON array.
    fn positions(
        &mut self,
        ordinates: Ordinates,
        little: bool,
        out: &mut String,
    ) -> Result<(), String> {
        let dims = 2 + usize::from(ordinates.z) + usize::from(ordinates.m);
        let n = self.u32(little)? as usize;
        if n.saturating_mul(dims * 8) > self.bytes.len() {
            return Err("the geometry is cut short".into());
        }
        out.push('[');
        for p in 0..n {
            if p > 0 {
                out.push(',');
            }
            self.write_position(ordinates, little, out)?;
        }
        out.push(']');
        Ok(())
    }

    /// A Polygon's rings, written as GeoJSON coordinates.
    fn rings(
        &mut self,
        ordinates: Ordinates,
        little: bool,
        out: &mut String,
    ) -> Result<(), String> {
        let rings = self.u32(little)?;
        out.push('[');
        for r in 0..rings {
            if r > 0 {
                out.push(',');
            }
            self.positions(ordinates, little, out)?;
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
