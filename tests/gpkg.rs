//! GeoPackages read as the same data as GeoJSON: the built-in sample written as a GeoPackage
//! (by this test: the tables OGC 12-128 requires, geometries as GeoPackage binary with WKB
//! written byte by byte, in both byte orders) gives the sample's figures and properties; a
//! layer is chosen by name; a VN-2000 layer converts as a `crs` member does.

use rusqlite::Connection;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

use zoneatlas::engine::dataset::Dataset;
use zoneatlas::engine::source::{self, Format};

/// WKB of a GeoJSON geometry (x, y, and z when `z`): a (Multi)Polygon, or for reference
/// layers a (Multi)Point, (Multi)LineString or GeometryCollection.
fn wkb(geometry: &Value, little: bool, z: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let u32b = |out: &mut Vec<u8>, v: u32| {
        out.extend(if little {
            v.to_le_bytes()
        } else {
            v.to_be_bytes()
        })
    };
    let f64b = |out: &mut Vec<u8>, v: f64| {
        out.extend(if little {
            v.to_le_bytes()
        } else {
            v.to_be_bytes()
        })
    };
    let polygon = |out: &mut Vec<u8>, rings: &Value| {
        out.push(u8::from(little));
        u32b(out, if z { 1003 } else { 3 });
        let rings = rings.as_array().expect("rings");
        u32b(out, rings.len() as u32);
        for r in rings {
            let pts = r.as_array().expect("ring");
            u32b(out, pts.len() as u32);
            for p in pts {
                f64b(out, p[0].as_f64().expect("x"));
                f64b(out, p[1].as_f64().expect("y"));
                if z {
                    f64b(out, p.get(2).and_then(Value::as_f64).unwrap_or(0.0));
                }
            }
        }
    };
    match geometry["type"].as_str() {
        Some("Polygon") => polygon(&mut out, &geometry["coordinates"]),
        Some("MultiPolygon") => {
            out.push(u8::from(little));
            u32b(&mut out, if z { 1006 } else { 6 });
            let parts = geometry["coordinates"].as_array().expect("parts");
            u32b(&mut out, parts.len() as u32);
            for p in parts {
                polygon(&mut out, p);
            }
        }
        Some("GeometryCollection") => {
            out.push(u8::from(little));
            u32b(&mut out, if z { 1007 } else { 7 });
            let members = geometry["geometries"].as_array().expect("members");
            u32b(&mut out, members.len() as u32);
            for m in members {
                out.extend(wkb(m, little, z));
            }
        }
        Some(kind) => {
            // Points and lines: a position, or a count and the positions.
            let code = |k: &str| match k {
                "Point" => 1,
                "LineString" => 2,
                "MultiPoint" => 4,
                "MultiLineString" => 5,
                other => panic!("{other}"),
            };
            let position = |out: &mut Vec<u8>, p: &Value| {
                f64b(out, p[0].as_f64().expect("x"));
                f64b(out, p[1].as_f64().expect("y"));
                if z {
                    f64b(out, p.get(2).and_then(Value::as_f64).unwrap_or(0.0));
                }
            };
            let line = |out: &mut Vec<u8>, pts: &Value| {
                out.push(u8::from(little));
                u32b(out, if z { 1002 } else { 2 });
                let pts = pts.as_array().expect("line");
                u32b(out, pts.len() as u32);
                for p in pts {
                    position(out, p);
                }
            };
            let c = &geometry["coordinates"];
            match kind {
                "LineString" => line(&mut out, c),
                "Point" => {
                    out.push(u8::from(little));
                    u32b(&mut out, if z { 1001 } else { 1 });
                    position(&mut out, c);
                }
                _ => {
                    out.push(u8::from(little));
                    u32b(&mut out, code(kind) + if z { 1000 } else { 0 });
                    let members = c.as_array().expect("members");
                    u32b(&mut out, members.len() as u32);
                    for m in members {
                        if kind == "MultiPoint" {
                            out.push(u8::from(little));
                            u32b(&mut out, if z { 1001 } else { 1 });
                            position(&mut out, m);
                        } else {
                            line(&mut out, m);
                        }
                    }
                }
            }
        }
        None => panic!("no type"),
    }
    out
}

/// GeoPackage binary: "GP", version 0, flags (byte order; envelope [minx, maxx, miny, maxy]),
/// the system, the envelope, the WKB.
fn gp_blob(geometry: &Value, srs_id: i32, little: bool) -> Vec<u8> {
    let mut xs = Vec::new();
    let mut ys = Vec::new();
    let mut walk = vec![&geometry["coordinates"]];
    while let Some(v) = walk.pop() {
        match v.as_array() {
            Some(a) if a.first().is_some_and(Value::is_number) => {
                xs.push(a[0].as_f64().expect("x"));
                ys.push(a[1].as_f64().expect("y"));
            }
            Some(a) => walk.extend(a.iter()),
            None => {}
        }
    }
    let min = |v: &[f64]| v.iter().copied().fold(f64::MAX, f64::min);
    let max = |v: &[f64]| v.iter().copied().fold(f64::MIN, f64::max);
    let mut out = b"GP".to_vec();
    out.push(0);
    out.push(0b0000_0010 | u8::from(little));
    out.extend(if little {
        srs_id.to_le_bytes()
    } else {
        srs_id.to_be_bytes()
    });
    for v in [min(&xs), max(&xs), min(&ys), max(&ys)] {
        out.extend(if little {
            v.to_le_bytes()
        } else {
            v.to_be_bytes()
        });
    }
    out.extend(wkb(geometry, little, false));
    out
}

fn base_tables(db: &Connection) {
    db.execute_batch(
        "CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,
           organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,
           definition TEXT NOT NULL, description TEXT);
         INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84', 4326, 'EPSG', 4326, 'GEOGCS[\"WGS 84\"]', NULL);
         INSERT INTO gpkg_spatial_ref_sys VALUES ('VN-2000 / UTM zone 48N', 3405, 'EPSG', 3405, 'undefined', NULL);
         INSERT INTO gpkg_spatial_ref_sys VALUES ('Hanoi 1972', 4147, 'EPSG', 4147, 'GEOGCS[\"Hanoi 1972\",DATUM[\"Hanoi_1972\",SPHEROID[\"Krassowsky 1940\",6378245,298.3]]]', NULL);
         CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT NOT NULL,
           identifier TEXT, description TEXT DEFAULT '', last_change DATETIME,
           min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER);
         CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
           geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL,
           m TINYINT NOT NULL);",
    )
    .expect("tables");
}

/// A layer of `features` (GeoJSON) in `db`, with typed columns; the features alternate
/// between little- and big-endian geometries.
fn layer(db: &Connection, table: &str, features: &[Value], srs_id: i32) {
    let mut keys: Vec<String> = Vec::new();
    for f in features {
        for k in f["properties"].as_object().expect("props").keys() {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
    }
    let kind = |k: &str| {
        let vals: Vec<&Value> = features
            .iter()
            .map(|f| &f["properties"][k])
            .filter(|v| !v.is_null())
            .collect();
        if vals.iter().all(|v| v.is_i64()) {
            "INTEGER"
        } else if vals.iter().all(|v| v.is_number()) {
            "REAL"
        } else if vals.iter().all(|v| v.is_boolean()) {
            "BOOLEAN"
        } else {
            "TEXT"
        }
    };
    let columns: Vec<String> = keys
        .iter()
        .map(|k| format!("\"{k}\" {}", kind(k)))
        .collect();
    db.execute_batch(&format!(
        "CREATE TABLE \"{table}\" (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POLYGON, {});
         INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('{table}', 'features', '{table}', {srs_id});
         INSERT INTO gpkg_geometry_columns VALUES ('{table}', 'geom', 'MULTIPOLYGON', {srs_id}, 0, 0);",
        columns.join(", ")
    ))
    .expect("layer");
    let names: Vec<String> = keys.iter().map(|k| format!("\"{k}\"")).collect();
    let marks: Vec<String> = (0..keys.len() + 1).map(|i| format!("?{}", i + 1)).collect();
    let sql = format!(
        "INSERT INTO \"{table}\" (geom, {}) VALUES ({})",
        names.join(", "),
        marks.join(", ")
    );
    for (i, f) in features.iter().enumerate() {
        let mut values: Vec<rusqlite::types::Value> = Vec::new();
        values.push(match f["geometry"].is_null() {
            true => rusqlite::types::Value::Null,
            false => rusqlite::types::Value::Blob(gp_blob(&f["geometry"], srs_id, i % 2 == 0)),
        });
        for k in &keys {
            values.push(match &f["properties"][k] {
                Value::Null => rusqlite::types::Value::Null,
                Value::Bool(b) => rusqlite::types::Value::Integer(i64::from(*b)),
                Value::Number(n) if n.is_i64() => {
                    rusqlite::types::Value::Integer(n.as_i64().expect("i64"))
                }
                Value::Number(n) => rusqlite::types::Value::Real(n.as_f64().expect("f64")),
                Value::String(s) => rusqlite::types::Value::Text(s.clone()),
                other => rusqlite::types::Value::Text(other.to_string()),
            });
        }
        db.execute(&sql, rusqlite::params_from_iter(values))
            .expect("insert");
    }
}

fn features(path: &Path) -> Vec<Value> {
    let doc: Value = serde_json::from_slice(&std::fs::read(path).expect("read")).expect("json");
    doc["features"].as_array().expect("features").clone()
}

fn sample() -> (PathBuf, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_zones");
    (root.join("zones.geojson"), root.join("parcels.geojson"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn the_sample_as_a_geopackage_gives_the_samples_figures_and_properties() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (zg, pg) = sample();
    let file = dir.path().join("bn.gpkg");
    let db = Connection::open(&file).expect("create");
    base_tables(&db);
    layer(&db, "khu_cong_nghiep", &features(&zg), 4326);
    layer(&db, "lo_dat", &features(&pg), 4326);
    drop(db);

    // The first polygon layer, and a layer by name.
    let zones = file.clone();
    let lots = PathBuf::from(format!("{}:lo_dat", file.display()));
    assert_eq!(Format::of(&lots), Format::GeoPackage);
    let a = Dataset::open(&zg, Some(&pg)).expect("geojson");
    let b = Dataset::open(&zones, Some(&lots)).expect("geopackage");
    assert_eq!(b.zones.len(), a.zones.len());
    assert_eq!(
        b.parcels.as_ref().expect("p").len(),
        a.parcels.as_ref().expect("p").len()
    );
    for z in 0..a.zones.len() {
        let (fa, fb) = (&a.figures[z], &b.figures[z]);
        assert_eq!(b.zones.items[z].name, a.zones.items[z].name);
        assert!(close(
            fa.measured.area_ha.expect("a"),
            fb.measured.area_ha.expect("b")
        ));
        assert!(close(fa.measured.leased_ha, fb.measured.leased_ha));
        match (fa.fill_rate_pct, fb.fill_rate_pct) {
            (Some(x), Some(y)) => assert!(close(x, y), "{x} {y}"),
            (x, y) => assert_eq!(x, y),
        }
    }
    // Every property, typed as the column is.
    for (da, db_) in [
        (&a.zones.doc, &b.zones.doc),
        (
            &a.parcels.as_ref().expect("p").doc,
            &b.parcels.as_ref().expect("p").doc,
        ),
    ] {
        for i in 0..da.len() {
            let got = db_.properties(i);
            for (k, v) in da.properties(i) {
                let g = got
                    .iter()
                    .find(|(key, _)| *key == k)
                    .map(|(_, v)| v.clone());
                match (&v, g) {
                    (Value::Null, None) => {}
                    (Value::Number(x), Some(Value::Number(y))) => {
                        assert_eq!(x.as_f64(), y.as_f64(), "{k} of {i}")
                    }
                    (Value::Number(x), Some(Value::String(y))) => {
                        assert_eq!(x.to_string(), y, "{k} of {i}")
                    }
                    (v, g) => assert_eq!(Some(v.clone()), g, "{k} of {i}"),
                }
            }
        }
    }
}

#[test]
fn a_vn2000_layer_converts_and_unknown_systems_and_layers_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("vn.gpkg");
    let db = Connection::open(&file).expect("create");
    base_tables(&db);
    let (x0, y0) = (585_000.0, 2_335_000.0);
    let ring = serde_json::json!([[
        [x0, y0],
        [x0 + 1000.0, y0],
        [x0 + 1000.0, y0 + 1000.0],
        [x0, y0 + 1000.0],
        [x0, y0]
    ]]);
    let feature = serde_json::json!({"properties": {"ten": "KCN Thử"},
        "geometry": {"type": "Polygon", "coordinates": ring}});
    layer(&db, "vn2000", std::slice::from_ref(&feature), 3405);
    let hn = serde_json::json!({"properties": {"ten": "HN-72"},
        "geometry": {"type": "Polygon", "coordinates": [[[105.0, 21.0], [105.1, 21.0], [105.1, 21.1], [105.0, 21.0]]]}});
    layer(&db, "hn72", &[hn], 4147);
    drop(db);

    let geojson = dir.path().join("vn.geojson");
    std::fs::write(
        &geojson,
        serde_json::json!({"type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3405"}},
            "features": [{"type": "Feature", "properties": {"ten": "KCN Thử"},
                "geometry": {"type": "Polygon", "coordinates": ring}}]})
        .to_string(),
    )
    .expect("write");
    let a = Dataset::open(&geojson, None).expect("geojson");
    let b = Dataset::open(&file, None).expect("gpkg");
    let (ha, hb) = (
        a.figures[0].measured.area_ha.expect("a"),
        b.figures[0].measured.area_ha.expect("b"),
    );
    assert!(
        close(ha, hb) && (ha - 100.0 / 0.9996_f64.powi(2)).abs() < 0.05,
        "{ha} {hb}"
    );

    let run = |path: &Path| {
        Command::new(env!("CARGO_BIN_EXE_zoneatlas"))
            .arg("report")
            .arg(path)
            .output()
            .expect("run")
    };
    let o = run(&PathBuf::from(format!("{}:hn72", file.display())));
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("vn.gpkg") && err.contains("Hanoi 1972"),
        "{err}"
    );
    let o = run(&PathBuf::from(format!("{}:nothing", file.display())));
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("nothing") && err.contains("vn2000, hn72"),
        "{err}"
    );
    // Not a GeoPackage at all.
    let junk = dir.path().join("junk.gpkg");
    std::fs::write(&junk, b"not sqlite").expect("write");
    let err = source::open(&junk).expect_err("refused");
    assert!(err.file.ends_with("junk.gpkg"));
}

/// A board's infrastructure GeoPackage: its first layer of lines and points (no polygon layer
/// in the file) reads for a reference layer as the same lines and points as GeoJSON, in both
/// byte orders and inside a GeometryCollection; a file that also has a polygon layer still
/// opens that one by default, and the line layer by name.
#[test]
fn a_layer_of_roads_and_wells_reads_as_lines_and_points() {
    use serde_json::json;
    use zoneatlas::engine::reference;

    let dir = tempfile::tempdir().expect("tempdir");
    let geometries = [
        json!({"type": "LineString", "coordinates": [[106.0, 21.0], [106.01, 21.005], [106.02, 21.0]]}),
        json!({"type": "MultiLineString", "coordinates": [[[106.0, 21.02], [106.01, 21.02]], [[106.012, 21.02], [106.02, 21.03]]]}),
        json!({"type": "Point", "coordinates": [106.005, 21.01]}),
        json!({"type": "MultiPoint", "coordinates": [[106.001, 21.001], [106.002, 21.002], [106.003, 21.003]]}),
        json!({"type": "GeometryCollection", "geometries": [
            {"type": "LineString", "coordinates": [[106.03, 21.0], [106.04, 21.0]]},
            {"type": "Point", "coordinates": [106.035, 21.005]}
        ]}),
    ];
    let infrastructure: Vec<Value> = geometries
        .iter()
        .enumerate()
        .map(|(k, g)| json!({"type": "Feature", "properties": {"ten": format!("#{k}")}, "geometry": g}))
        .collect();
    let twin = dir.path().join("twin.geojson");
    std::fs::write(
        &twin,
        json!({"type": "FeatureCollection", "features": infrastructure}).to_string(),
    )
    .expect("write");
    let expected = reference::read(&source::open(&twin).expect("twin")).features;
    assert_eq!(expected.len(), 5);

    let only_lines = dir.path().join("ha_tang.gpkg");
    let db = Connection::open(&only_lines).expect("create");
    base_tables(&db);
    layer(&db, "duong", &infrastructure, 4326);
    db.execute(
        "UPDATE gpkg_geometry_columns SET geometry_type_name = 'GEOMETRY'",
        [],
    )
    .expect("type");
    drop(db);
    let read = reference::read(&source::open(&only_lines).expect("the first layer")).features;
    assert_eq!(read, expected);
    assert_eq!(read[1].lines.len(), 2);
    assert_eq!(read[3].points.len(), 3);
    assert_eq!((read[4].lines.len(), read[4].points.len()), (1, 1));

    // Beside a polygon layer: the polygons by default, the roads by name.
    let both = dir.path().join("ca_hai.gpkg");
    let db = Connection::open(&both).expect("create");
    base_tables(&db);
    layer(&db, "duong", &infrastructure[..2], 4326);
    db.execute(
        "UPDATE gpkg_geometry_columns SET geometry_type_name = 'MULTILINESTRING'",
        [],
    )
    .expect("type");
    let (zg, _) = sample();
    layer(&db, "kcn", &features(&zg), 4326);
    drop(db);
    let doc = source::open(&both).expect("default");
    assert_eq!(doc.len(), features(&zg).len());
    let roads = source::open(&PathBuf::from(format!("{}:duong", both.display()))).expect("named");
    assert_eq!(reference::read(&roads).features, expected[..2]);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 2000,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
        )),
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// Any bytes after a GeoPackage header, and any valid geometry cut short or with a byte
    /// changed, read as a geometry or an error — never a panic or a runaway allocation (counts
    /// are checked against the bytes there are, collections nest at most 8 deep).
    #[test]
    fn a_damaged_geometry_blob_is_an_error_not_a_crash(
        body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200),
        cut in 0usize..200,
        flip in 0usize..200,
        byte in proptest::prelude::any::<u8>(),
    ) {
        let mut blob = b"GP\x00\x01\xe6\x10\x00\x00".to_vec();
        blob.extend(&body);
        let _ = zoneatlas::engine::source::gpkg::geometry(&blob);

        let g = serde_json::json!({"type": "GeometryCollection", "geometries": [
            {"type": "MultiLineString", "coordinates": [[[106.0, 21.0], [106.1, 21.1]], [[106.2, 21.2], [106.3, 21.3]]]},
            {"type": "MultiPoint", "coordinates": [[106.0, 21.0], [106.5, 21.5]]},
            {"type": "Polygon", "coordinates": [[[106.0, 21.0], [106.1, 21.0], [106.1, 21.1], [106.0, 21.0]]]}
        ]});
        let mut valid = gp_blob(&g, 4326, cut % 2 == 0);
        let at = flip % valid.len();
        valid[at] = byte;
        valid.truncate(cut.max(8).min(valid.len()));
        let _ = zoneatlas::engine::source::gpkg::geometry(&valid);
    }
}
