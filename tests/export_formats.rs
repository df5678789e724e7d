//! `export --format gpkg|shp|kml|kmz`: the built-in sample written in each format and read
//! back, by ZoneAtlas's own readers and (when `ogrinfo` is on the PATH; CI installs
//! `gdal-bin`) by GDAL: the same features, every property (typed as the format keeps types),
//! the same areas within 1e-6 relative. Files GDAL writes from the sample are read back too.
//! A GeoPackage passes SQLite's integrity check, opens in GDAL without a warning, and its
//! R-tree answers a spatial filter; DBF names and values that do not fit are reported.

mod common;

use geo::{Intersects, Rect, coord};
use rusqlite::Connection;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::Workdir;
use zoneatlas::engine::crs::Crs;
use zoneatlas::engine::geodesy::geodesic_area_m2;
use zoneatlas::engine::geojson::Document;
use zoneatlas::engine::model::Shape;
use zoneatlas::engine::source::{self, prj};

/// The sample's zones' one property with numbers and numbers written as text: a column of
/// both is written as text (in a DBF under its 10-byte name).
const MIXED: &str = "industrial_land_ha";
const MIXED_DBF: &str = "industrial";

fn sample_dir() -> Workdir {
    let w = Workdir::new(&[]);
    common::copy_sample(w.dir.path());
    w
}

fn export(w: &Workdir, format: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "export",
        "zones.geojson",
        "parcels.geojson",
        "--out-dir",
        "out",
        "--format",
        format,
    ];
    args.extend(extra);
    let o = w.run(&args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn open(path: &Path) -> Document {
    source::open(path).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
}

fn live(doc: &Document) -> Vec<usize> {
    (0..doc.len()).filter(|i| !doc.is_deleted(*i)).collect()
}

/// Feature `i`'s geodesic area, m².
fn area(doc: &Document, i: usize) -> Option<f64> {
    Shape::read(doc, i).geometry().map(geodesic_area_m2)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs())
}

/// Both features' areas within 1e-6 relative, or neither has one (the sample's lot without a
/// geometry).
fn same_area(want: &Document, i: usize, got: &Document, j: usize, at: &str) {
    match (area(want, i), area(got, j)) {
        (Some(x), Some(y)) => assert!(close(x, y), "{at}: area {x} m² came back as {y}"),
        (x, y) => assert_eq!(x.is_some(), y.is_some(), "{at}: geometry"),
    }
}

/// How a format gives properties back.
#[derive(Clone, Copy, PartialEq)]
enum Typing {
    /// Numbers, booleans and text as such (GeoPackage, DBF); a mixed column as text.
    Typed,
    /// Everything as text (KML).
    Text,
}

/// A value as the text a format writes for it.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `got` holds `want`'s properties: null ones absent (or null), numbers equal as numbers,
/// dates as `yyyy-mm-dd` (GDAL writes `yyyy/mm/dd`), the rest equal, or as text where the
/// format keeps text.
fn same_properties(want: &[(String, Value)], got: &[(String, Value)], typing: Typing, at: &str) {
    for (k, v) in want {
        let g = got.iter().find(|(key, _)| key == k).map(|(_, v)| v);
        match (v, g) {
            (Value::Null, None | Some(Value::Null)) => {}
            (_, None) => panic!("{at}: `{k}` missing ({v})"),
            (v, Some(g)) if typing == Typing::Text || k == MIXED || k == MIXED_DBF => {
                let (a, b) = (text(v), text(g));
                let numbers = a.parse::<f64>().ok().zip(b.parse::<f64>().ok());
                assert!(
                    a == b || numbers.is_some_and(|(x, y)| x == y),
                    "{at}: `{k}`: {v} came back as {g}"
                );
            }
            (Value::Number(x), Some(Value::Number(y))) => {
                assert_eq!(x.as_f64(), y.as_f64(), "{at}: `{k}`")
            }
            (Value::String(x), Some(Value::String(y))) if x.len() == 10 => {
                assert_eq!(x, &y.replace('/', "-"), "{at}: `{k}`")
            }
            (v, Some(g)) => assert_eq!(v, g, "{at}: `{k}`"),
        }
    }
}

/// The written layer `got` has `want`'s features: count, properties, areas.
fn same_layer(want: &Document, got: &Document, typing: Typing, what: &str) {
    let (a, b) = (live(want), live(got));
    assert_eq!(a.len(), b.len(), "{what}: feature count");
    for (&i, &j) in a.iter().zip(&b) {
        let at = format!("{what} feature {}", i + 1);
        same_properties(&want.properties(i), &got.properties(j), typing, &at);
        same_area(want, i, got, j, &at);
    }
}

fn samples() -> (Document, Document) {
    (
        open(Path::new("sample_zones/zones.geojson")),
        open(Path::new("sample_zones/parcels.geojson")),
    )
}

#[test]
fn a_geopackage_reads_back_as_the_sample() {
    let w = sample_dir();
    let o = export(&w, "gpkg", &[]);
    let file = w.path("out/zones.gpkg");
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        "out/zones.gpkg",
        "one file"
    );
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let (zones, parcels) = samples();
    let layer = |name: &str| PathBuf::from(format!("{}:{name}", file.display()));
    same_layer(&zones, &open(&layer("zones")), Typing::Typed, "gpkg zones");
    same_layer(
        &parcels,
        &open(&layer("parcels")),
        Typing::Typed,
        "gpkg parcels",
    );

    // Valid as SQLite and as a GeoPackage: its id, version, tables, typed columns, R-tree.
    let db = Connection::open(&file).expect("open");
    let q = |sql: &str| -> String {
        db.query_row(sql, [], |r| r.get::<_, rusqlite::types::Value>(0))
            .map(|v| format!("{v:?}"))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    };
    assert_eq!(q("PRAGMA integrity_check"), "Text(\"ok\")");
    assert_eq!(
        q("PRAGMA application_id"),
        format!("Integer({})", 0x4750_4B47)
    );
    assert_eq!(q("PRAGMA user_version"), "Integer(10300)");
    assert_eq!(
        q("SELECT group_concat(srs_id) FROM gpkg_spatial_ref_sys"),
        "Text(\"-1,0,4326\")"
    );
    assert_eq!(
        q(
            "SELECT group_concat(table_name || ':' || geometry_type_name || ':' || srs_id) FROM gpkg_geometry_columns"
        ),
        "Text(\"zones:GEOMETRY:4326,parcels:POLYGON:4326\")"
    );
    assert_eq!(
        q("SELECT count(*) FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index'"),
        "Integer(2)"
    );
    assert_eq!(q("SELECT count(*) FROM rtree_parcels_geom"), "Integer(875)");
    let types: Vec<(String, String)> = db
        .prepare("PRAGMA table_info(zones)")
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(1)?, r.get(2)?)))?
                .collect::<Result<_, _>>()
        })
        .expect("columns");
    for (column, kind) in [
        ("fid", "INTEGER"),
        ("geom", "GEOMETRY"),
        ("planned_area_ha", "REAL"),
        (MIXED, "TEXT"),
        ("wastewater_plant", "BOOLEAN"),
        ("wastewater_capacity_m3_day", "INTEGER"),
        ("decision_date", "DATE"),
        ("name", "TEXT"),
    ] {
        assert!(
            types.contains(&(column.to_string(), kind.to_string())),
            "{column} {kind}: {types:?}"
        );
    }
    // The triggers keep the R-tree: a moved, an emptied and a deleted feature.
    source::gpkg::register_functions(&db).expect("functions");
    db.execute_batch(
        "UPDATE parcels SET geom = (SELECT geom FROM parcels WHERE fid = 2) WHERE fid = 1;
         UPDATE parcels SET geom = NULL WHERE fid = 3; DELETE FROM parcels WHERE fid = 4;",
    )
    .expect("edits");
    assert_eq!(q("SELECT count(*) FROM rtree_parcels_geom"), "Integer(873)");
    assert_eq!(
        q(
            "SELECT (SELECT minx FROM rtree_parcels_geom WHERE id = 1) = (SELECT minx FROM rtree_parcels_geom WHERE id = 2)"
        ),
        "Integer(1)"
    );
}

#[test]
fn shapefiles_read_back_as_the_sample_with_prj_and_cpg() {
    let w = sample_dir();
    let o = export(&w, "shp", &[]);
    let listed = String::from_utf8_lossy(&o.stdout);
    for ext in ["shp", "shx", "dbf", "prj", "cpg"] {
        for layer in ["zones", "parcels"] {
            assert!(listed.contains(&format!("out/{layer}.{ext}")), "{listed}");
        }
    }
    // The sample's names all fit in 10 bytes but two: reported, never cut silently.
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("zones: field `wastewater_plant` written as `wastewater`")
            && err.contains("zones: field `wastewater_capacity_m3_day` written as `wastewat_1`")
            && err.contains("field `industrial_land_ha` written as `industrial`"),
        "{err}"
    );
    assert_eq!(w.read("out/zones.cpg"), "UTF-8");
    assert_eq!(
        prj::recognise(&w.read("out/zones.prj")),
        Ok(prj::PrjSystem::Wgs84)
    );
    let (zones, parcels) = samples();
    // Under the names written: the sample's, renamed as reported.
    let renamed = |doc: &Document| -> Document {
        let text = std::fs::read_to_string(&doc.path).expect("read");
        let text = text
            .replace("\"wastewater_plant\"", "\"wastewater\"")
            .replace("\"wastewater_capacity_m3_day\"", "\"wastewat_1\"")
            .replace("\"industrial_land_ha\"", "\"industrial\"")
            .replace("\"service_land_ha\"", "\"service_la\"")
            .replace("\"planned_area_ha\"", "\"planned_ar\"")
            .replace("\"decision_date\"", "\"decision_d\"")
            .replace("\"decision_no\"", "\"decision_n\"")
            .replace("\"investor_country\"", "\"investor_c\"")
            .replace("\"investment_type\"", "\"investment\"")
            .replace("\"capital_musd\"", "\"capital_mu\"")
            .replace("\"lease_start\"", "\"lease_star\"");
        Document::parse(&doc.path, text.into_bytes()).expect("parse")
    };
    same_layer(
        &renamed(&zones),
        &open(&w.path("out/zones.shp")),
        Typing::Typed,
        "shp zones",
    );
    same_layer(
        &renamed(&parcels),
        &open(&w.path("out/parcels.shp")),
        Typing::Typed,
        "shp parcels",
    );
}

#[test]
fn kml_and_kmz_hold_both_layers_styled_with_balloons() {
    let w = sample_dir();
    let (zones, parcels) = samples();
    for format in ["kml", "kmz"] {
        let o = export(&w, format, &["--with-stats"]);
        let file = w.path(&format!("out/zones.{format}"));
        assert_eq!(
            String::from_utf8_lossy(&o.stdout).trim(),
            format!("out/zones.{format}")
        );
        let back = open(&file);
        // Zones first, then lots: one document, two folders.
        let n = live(&zones).len();
        assert_eq!(live(&back).len(), n + live(&parcels).len());
        for (i, j) in live(&zones).into_iter().zip(0..n) {
            let at = format!("{format} zone {}", i + 1);
            same_properties(&zones.properties(i), &back.properties(j), Typing::Text, &at);
            same_area(&zones, i, &back, j, &at);
        }
        for (i, j) in live(&parcels).into_iter().zip(n..) {
            let at = format!("{format} lot {}", i + 1);
            same_properties(
                &parcels.properties(i),
                &back.properties(j),
                Typing::Text,
                &at,
            );
            same_area(&parcels, i, &back, j, &at);
        }
    }
    // The balloons and styles, by hand: Quế Võ's figures, a lot's status colour.
    let ds = zoneatlas::engine::dataset::Dataset::open(
        &w.path("zones.geojson"),
        Some(&w.path("parcels.geojson")),
    )
    .expect("sample");
    let z = common::zone_named(&ds, "KCN Quế Võ");
    let f = &ds.figures[z];
    let kml = w.read("out/zones.kml");
    let rate = f.fill_rate_pct.expect("rate");
    let class = zoneatlas::engine::palette::zone_class(f).expect("class");
    let start = kml.find("<name>KCN Quế Võ</name>").expect("placemark");
    let placemark = &kml[start..start + kml[start..].find("</Placemark>").expect("end")];
    assert!(
        placemark.contains(&format!("<styleUrl>#fill-{class}</styleUrl>")),
        "{placemark}"
    );
    assert!(
        placemark.contains(&format!("{:.2} %", rate)) && placemark.contains("Fill rate"),
        "{placemark}"
    );
    let [r, g, b] = zoneatlas::engine::palette::FILL_CLASSES[class].rgb;
    assert!(kml.contains(&format!(
        "<Style id=\"fill-{class}\"><LineStyle><color>ff463428</color><width>2</width></LineStyle><PolyStyle><color>99{b:02x}{g:02x}{r:02x}</color>"
    )));
    assert!(kml.contains("<Style id=\"leased\">") && kml.contains("<styleUrl>#vacant</styleUrl>"));
    assert!(
        kml.contains("<Folder><name>Zones</name>") && kml.contains("<Folder><name>Parcels</name>")
    );
    // In Vietnamese: the folders and the figures as Vietnamese write them.
    export(&w, "kml", &["--lang", "vi"]);
    let vi = w.read("out/zones.kml");
    assert!(vi.contains("<Folder><name>Khu công nghiệp</name>"));
    assert!(vi.contains(&format!("{:.2} %", rate).replace('.', ",")));
}

#[test]
fn dbf_names_and_values_that_do_not_fit_are_reported() {
    let long = "Dự án mở rộng giai đoạn 2; ".repeat(12);
    let zones = serde_json::json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "KCN A", "investment_capital_usd": 12.5,
            "investment_capital_vnd": 300000000000i64, "notes": long},
         "geometry": {"type": "Polygon", "coordinates": [[[106.0, 21.0], [106.01, 21.0], [106.01, 21.01], [106.0, 21.01], [106.0, 21.0]]]}}]});
    let w = Workdir::new(&[("z.geojson", &zones.to_string())]);
    let o = w.run(&["export", "z.geojson", "--out-dir", "out", "--format", "shp"]);
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("zones: field `investment_capital_usd` written as `investment`"),
        "{err}"
    );
    assert!(
        err.contains("zones: field `investment_capital_vnd` written as `investme_1`"),
        "{err}"
    );
    let bytes = long.len();
    assert!(
        err.contains(&format!(
            "zones: feature 1: `notes` has {bytes} bytes, more than a DBF field holds; its first 254 bytes were written"
        )),
        "{err}"
    );
    let back = open(&w.path("out/zones.shp"));
    let props = back.properties(0);
    let get = |k: &str| {
        props
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(get("investment"), Some(serde_json::json!(12.5)));
    assert_eq!(get("investme_1"), Some(serde_json::json!(300000000000i64)));
    let notes = get("notes")
        .and_then(|v| v.as_str().map(str::to_string))
        .expect("notes");
    assert!(
        long.starts_with(notes.trim_end()) && notes.len() <= 254,
        "{notes}"
    );
}

/// The sample's zones in VN-2000 / TM-3 105°30′ (Bắc Ninh's), as a `crs` member names them.
fn vn2000_zones(w: &Workdir) -> PathBuf {
    let crs = Crs::from_epsg(9209).expect("TM-3");
    let mut v: Value = serde_json::from_str(&w.read("zones.geojson")).expect("sample json");
    fn walk(v: &mut Value, crs: &Crs) {
        if let Some(a) = v.as_array_mut() {
            if a.len() >= 2 && a.iter().all(Value::is_number) {
                let (x, y) =
                    crs.from_wgs84(a[0].as_f64().expect("lon"), a[1].as_f64().expect("lat"));
                a[0] = serde_json::json!(x);
                a[1] = serde_json::json!(y);
            } else {
                a.iter_mut().for_each(|c| walk(c, crs));
            }
        }
    }
    for f in v["features"].as_array_mut().expect("features") {
        walk(&mut f["geometry"]["coordinates"], &crs);
    }
    v["crs"] =
        serde_json::json!({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::9209"}});
    let path = w.path("vn.geojson");
    std::fs::write(&path, v.to_string()).expect("write");
    path
}

#[test]
fn crs_original_writes_the_files_own_system() {
    let w = sample_dir();
    let vn = vn2000_zones(&w);
    let want = open(&vn);
    for format in ["gpkg", "shp"] {
        let o = w.run(&[
            "export",
            "vn.geojson",
            "--out-dir",
            format,
            "--format",
            format,
            "--crs",
            "original",
        ]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let db = Connection::open(w.path("gpkg/zones.gpkg")).expect("open");
    let srs: (i64, String) = db
        .query_row(
            "SELECT g.srs_id, s.definition FROM gpkg_geometry_columns g \
             JOIN gpkg_spatial_ref_sys s USING (srs_id)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("srs");
    assert_eq!(srs.0, 9209);
    let crs = Crs::from_epsg(9209).expect("TM-3");
    assert_eq!(prj::recognise(&srs.1), Ok(prj::PrjSystem::Supported(crs)));
    assert_eq!(
        prj::recognise(&w.read("shp/zones.prj")),
        Ok(prj::PrjSystem::Supported(crs))
    );
    // The metres as read; the areas (converted on reading) the same.
    let got = open(&w.path("gpkg/zones.gpkg"));
    assert_eq!(got.crs, Some(crs));
    same_layer(&want, &got, Typing::Typed, "gpkg VN-2000");
    let shp = open(&w.path("shp/zones.shp"));
    assert_eq!(shp.crs, Some(crs));
    assert_eq!(
        live(&shp)
            .iter()
            .map(|i| area(&shp, *i).expect("a"))
            .zip(live(&want).iter().map(|i| area(&want, *i).expect("b")))
            .filter(|(a, b)| !close(*a, *b))
            .count(),
        0
    );
    // And by default WGS84, with the same areas.
    let o = w.run(&[
        "export",
        "vn.geojson",
        "--out-dir",
        "wgs",
        "--format",
        "gpkg",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let got = open(&w.path("wgs/zones.gpkg"));
    assert_eq!(got.crs, None);
    same_layer(&want, &got, Typing::Typed, "gpkg WGS84 from VN-2000");
}

// ---------------------------------------------------------------------------------------------
// GDAL's reading.

fn gdal() -> bool {
    let found = Command::new("ogrinfo").arg("--version").output().is_ok();
    if !found {
        eprintln!("skipped: ogrinfo (gdal-bin) is not installed");
    }
    found
}

fn run(program: &str, args: &[&str]) -> (String, String) {
    let o = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    let (out, err) = (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    );
    assert!(o.status.success(), "{program} {args:?}: {err}");
    (out, err)
}

/// GDAL's reading of `layer` of `file`, as GeoJSON (WGS84), read by ZoneAtlas.
fn through_gdal(w: &Workdir, file: &Path, layer: &str) -> Document {
    let out = w.path(&format!(
        "gdal-{}-{layer}.geojson",
        file.file_name().expect("name").to_string_lossy()
    ));
    let _ = std::fs::remove_file(&out);
    let (_, err) = run(
        "ogr2ogr",
        &[
            "-f",
            "GeoJSON",
            "-t_srs",
            "EPSG:4326",
            "-lco",
            "COORDINATE_PRECISION=15",
            &out.to_string_lossy(),
            &file.to_string_lossy(),
            layer,
        ],
    );
    assert!(!err.contains("Warning") && !err.contains("ERROR"), "{err}");
    open(&out)
}

#[test]
fn gdal_reads_what_zoneatlas_writes() {
    if !gdal() {
        return;
    }
    let w = sample_dir();
    let (zones, parcels) = samples();
    export(&w, "gpkg", &[]);
    export(&w, "shp", &[]);
    export(&w, "kml", &[]);
    let gpkg = w.path("out/zones.gpkg");
    // Opens without a word on standard error; both layers with their counts and fields.
    let (info, err) = run("ogrinfo", &["-al", "-so", &gpkg.to_string_lossy()]);
    assert!(err.trim().is_empty(), "{err}");
    for expected in [
        "Layer name: zones",
        "Layer name: parcels",
        "Feature Count: 16",
        "Feature Count: 876",
        "planned_area_ha: Real",
        "wastewater_plant: Integer(Boolean)",
        "decision_date: Date",
        "wastewater_capacity_m3_day: Integer64",
        "industrial_land_ha: String",
        "capital_musd: Real",
        "employees: Integer64",
    ] {
        assert!(info.contains(expected), "{expected}: {info}");
    }
    assert!(
        info.contains("EPSG\",4326") || info.contains("EPSG:4326"),
        "{info}"
    );
    same_layer(
        &zones,
        &through_gdal(&w, &gpkg, "zones"),
        Typing::Typed,
        "GDAL gpkg zones",
    );
    same_layer(
        &parcels,
        &through_gdal(&w, &gpkg, "parcels"),
        Typing::Typed,
        "GDAL gpkg parcels",
    );

    // The Shapefiles: counts, UTF-8 text, numbers and dates typed, areas.
    let shp = w.path("out/parcels.shp");
    let (info, err) = run("ogrinfo", &["-al", "-so", &shp.to_string_lossy()]);
    assert!(err.trim().is_empty(), "{err}");
    assert!(
        info.contains("Feature Count: 876") && info.contains("lease_end: Date"),
        "{info}"
    );
    let back = through_gdal(&w, &shp, "parcels");
    assert_eq!(live(&back).len(), 876);
    for i in live(&parcels) {
        same_area(&parcels, i, &back, i, &format!("GDAL shp lot {i}"));
        let want = parcels.properties(i);
        let got = back.properties(i);
        let renamed: Vec<(String, Value)> = got
            .into_iter()
            .map(|(k, v)| {
                let k = match k.as_str() {
                    "investor_c" => "investor_country",
                    "investment" => "investment_type",
                    "capital_mu" => "capital_musd",
                    "lease_star" => "lease_start",
                    other => other,
                };
                (k.to_string(), v)
            })
            .collect();
        same_properties(&want, &renamed, Typing::Typed, &format!("GDAL shp lot {i}"));
    }
    let zones_shp = through_gdal(&w, &w.path("out/zones.shp"), "zones");
    for (i, j) in live(&zones).into_iter().zip(live(&zones_shp)) {
        same_area(&zones, i, &zones_shp, j, &format!("GDAL shp zone {i}"));
        let got = zones_shp.properties(j);
        let name = got
            .iter()
            .find(|(k, _)| k == "name")
            .map(|(_, v)| v.clone());
        assert_eq!(
            name,
            zones
                .properties(i)
                .into_iter()
                .find(|(k, _)| k == "name")
                .map(|(_, v)| v)
        );
    }

    // The KML: a layer a folder, the properties and areas.
    let kml = w.path("out/zones.kml");
    let (info, _) = run("ogrinfo", &["-al", "-so", &kml.to_string_lossy()]);
    assert!(
        info.contains("Layer name: Zones") && info.contains("Layer name: Parcels"),
        "{info}"
    );
    let back = through_gdal(&w, &kml, "Parcels");
    assert_eq!(live(&back).len(), 876);
    for i in live(&parcels) {
        same_area(&parcels, i, &back, i, &format!("GDAL KML lot {i}"));
        let got = back.properties(i);
        let id = got
            .iter()
            .find(|(k, _)| k == "parcel_id")
            .map(|(_, v)| text(v));
        let want = parcels.properties(i);
        assert_eq!(
            id,
            want.iter()
                .find(|(k, _)| k == "parcel_id")
                .map(|(_, v)| text(v))
        );
    }
}

#[test]
fn gdal_uses_the_rtree_of_a_written_geopackage() {
    if !gdal() {
        return;
    }
    let w = sample_dir();
    export(&w, "gpkg", &[]);
    let gpkg = w.path("out/zones.gpkg");
    let (_, parcels) = samples();
    // A window over part of the sample: the lots GDAL returns are those that meet it.
    let mut all: Option<Rect<f64>> = None;
    for i in live(&parcels) {
        if let Some(b) = Shape::read(&parcels, i).bbox() {
            all = Some(match all {
                None => b,
                Some(a) => Rect::new(
                    coord! {x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y)},
                    coord! {x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y)},
                ),
            });
        }
    }
    let all = all.expect("bounds");
    let window = Rect::new(
        all.min(),
        coord! {x: all.min().x + all.width() * 0.4, y: all.min().y + all.height() * 0.5},
    );
    let expected = live(&parcels)
        .into_iter()
        .filter(|i| {
            Shape::read(&parcels, *i)
                .geometry()
                .is_some_and(|g| g.intersects(&window.to_polygon()))
        })
        .count();
    assert!(expected > 10 && expected < 876, "{expected}");
    let spat: Vec<String> = [
        window.min().x,
        window.min().y,
        window.max().x,
        window.max().y,
    ]
    .iter()
    .map(f64::to_string)
    .collect();
    let mut args = vec!["-so", "-spat"];
    args.extend(spat.iter().map(String::as_str));
    let path = gpkg.to_string_lossy().into_owned();
    args.extend([path.as_str(), "parcels"]);
    args.retain(|a| *a != "-so");
    args.insert(0, "-q");
    let (info, err) = run("ogrinfo", &args);
    assert!(err.trim().is_empty(), "{err}");
    assert_eq!(
        info.matches("OGRFeature(parcels):").count(),
        expected,
        "{info}"
    );
    // GDAL sees the index (it would say "has no spatial index" otherwise).
    let (sql, _) = run(
        "ogrinfo",
        &[
            &path,
            "-sql",
            "SELECT HasSpatialIndex('parcels', 'geom')",
            "-q",
        ],
    );
    assert!(sql.contains("= 1"), "{sql}");
}

#[test]
fn zoneatlas_reads_what_gdal_writes() {
    if !gdal() {
        return;
    }
    let w = sample_dir();
    let (zones, parcels) = samples();
    let gpkg = w.path("gdal.gpkg");
    for (doc, layer) in [(&zones, "zones"), (&parcels, "parcels")] {
        let mut args = vec!["-f", "GPKG"];
        if layer == "parcels" {
            args.push("-update");
        }
        let (src, dst) = (
            doc.path.to_string_lossy().into_owned(),
            gpkg.to_string_lossy().into_owned(),
        );
        args.extend(["-nln", layer, &dst, &src]);
        run("ogr2ogr", &args);
        let shp = w.path(&format!("gdal_{layer}.shp"));
        run(
            "ogr2ogr",
            &[
                "-f",
                "ESRI Shapefile",
                "-lco",
                "ENCODING=UTF-8",
                &shp.to_string_lossy(),
                &src,
            ],
        );
        let got = open(&PathBuf::from(format!("{}:{layer}", gpkg.display())));
        same_layer(doc, &got, Typing::Typed, &format!("GDAL's gpkg {layer}"));
        // GDAL's Shapefile: areas and counts; names cut by GDAL as it does.
        let got = open(&shp);
        let (a, b) = (live(doc), live(&got));
        assert_eq!(a.len(), b.len());
        for (i, j) in a.into_iter().zip(b) {
            same_area(doc, i, &got, j, &format!("GDAL's shp {layer} {i}"));
        }
    }
}

/// Save keeps a GeoPackage a GeoPackage: the layer rewritten in place in one transaction (an
/// edited property, a deleted lot, a new column), other tables untouched, no dialog; the
/// R-tree follows; the next Save does the same.
#[test]
fn the_app_saves_a_geopackage_in_place() {
    use egui::{Key, Modifiers};
    use zoneatlas::app::ZoneAtlasApp;
    use zoneatlas::app::dialogs::TestDialogs;
    use zoneatlas::app::session::edit::Edit;
    use zoneatlas::engine::edit::Op;
    use zoneatlas::engine::model::LayerKind;
    use zoneatlas::engine::source::Format;

    let w = sample_dir();
    export(&w, "gpkg", &[]);
    let file = w.path("out/zones.gpkg");
    {
        let db = Connection::open(&file).expect("open");
        db.execute_batch(
            "CREATE TABLE ghi_chu (x TEXT); INSERT INTO ghi_chu VALUES ('giữ nguyên');",
        )
        .expect("other table");
    }
    let layer = |name: &str| PathBuf::from(format!("{}:{name}", file.display()));
    let dialogs = TestDialogs::new();
    let app = ZoneAtlasApp::new(zoneatlas::app::empty_dataset(), Box::new(dialogs.clone()));
    let mut h = common::harness(app);
    let ctx = h.ctx.clone();
    h.state_mut()
        .open_files(&ctx, layer("zones"), Some(layer("parcels")));
    h.state_mut().wait_for_load();
    common::settle(&mut h);
    assert_eq!(h.state().session.ds.zones.doc.format, Format::GeoPackage);
    let z = common::zone_named(&h.state().session.ds, "KCN Quế Võ");
    h.state_mut().session.apply(Edit::one(
        LayerKind::Zones,
        z,
        "ghi_chu_moi",
        Some(Value::from("đã sửa")),
        "ghi_chu_moi".to_string(),
    ));
    h.state_mut().session.apply(Edit {
        ops: vec![Op::Delete {
            layer: LayerKind::Parcels,
            feature: 0,
        }],
        what: "lot".into(),
    });
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    common::settle(&mut h);
    assert!(dialogs.asked().is_empty(), "{:?}", dialogs.asked());

    let db = Connection::open(&file).expect("open");
    let one = |sql: &str| -> String {
        db.query_row(sql, [], |r| r.get::<_, rusqlite::types::Value>(0))
            .map(|v| format!("{v:?}"))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    };
    assert_eq!(one("PRAGMA integrity_check"), "Text(\"ok\")");
    assert_eq!(one("SELECT x FROM ghi_chu"), "Text(\"giữ nguyên\")");
    assert_eq!(one("SELECT count(*) FROM parcels"), "Integer(875)");
    assert_eq!(
        one("SELECT count(*) FROM parcels WHERE fid = 1"),
        "Integer(0)"
    );
    assert_eq!(
        one("SELECT count(*) FROM rtree_parcels_geom"),
        "Integer(874)"
    );
    assert_eq!(
        one("SELECT ghi_chu_moi FROM zones WHERE name = 'KCN Quế Võ'"),
        "Text(\"đã sửa\")"
    );
    drop(db);
    // The other layer, read again, is the sample less its first lot.
    let (_, parcels) = samples();
    let back = open(&layer("parcels"));
    assert_eq!(live(&back).len(), 875);
    same_properties(
        &parcels.properties(1),
        &back.properties(0),
        Typing::Typed,
        "lot 2",
    );
    assert!(
        saving_backup(&file).is_file(),
        "the file as it was kept beside it"
    );

    // Still a GeoPackage: the next Save writes it in place again.
    assert_eq!(
        h.state().session.ds.parcels.as_ref().expect("p").doc.format,
        Format::GeoPackage
    );
    let z = common::zone_named(&h.state().session.ds, "KCN Quế Võ");
    h.state_mut().session.apply(Edit::one(
        LayerKind::Zones,
        z,
        "ghi_chu_moi",
        Some(Value::from("lần hai")),
        "ghi_chu_moi".to_string(),
    ));
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    common::settle(&mut h);
    assert!(dialogs.asked().is_empty());
    let db = Connection::open(&file).expect("open");
    let v: String = db
        .query_row(
            "SELECT ghi_chu_moi FROM zones WHERE name = 'KCN Quế Võ'",
            [],
            |r| r.get(0),
        )
        .expect("value");
    assert_eq!(v, "lần hai");
}

fn saving_backup(file: &Path) -> PathBuf {
    zoneatlas::engine::saving::backup_path(file)
}

/// Save As with a name ending in `.gpkg` (the data from a Shapefile, which is never written
/// over): one GeoPackage holding both layers, asked for once, with the edit made; the data is
/// then that GeoPackage's, and the next Save updates it in place without asking.
#[test]
fn save_as_writes_both_layers_into_one_geopackage_then_saves_in_place() {
    use egui::{Key, Modifiers};
    use zoneatlas::app::ZoneAtlasApp;
    use zoneatlas::app::dialogs::TestDialogs;
    use zoneatlas::app::session::edit::Edit;
    use zoneatlas::engine::model::LayerKind;
    use zoneatlas::engine::source::Format;

    let w = sample_dir();
    export(&w, "shp", &[]);
    let dialogs = TestDialogs::new();
    let app = ZoneAtlasApp::new(zoneatlas::app::empty_dataset(), Box::new(dialogs.clone()));
    let mut h = common::harness(app);
    let ctx = h.ctx.clone();
    h.state_mut().open_files(
        &ctx,
        w.path("out/zones.shp"),
        Some(w.path("out/parcels.shp")),
    );
    h.state_mut().wait_for_load();
    common::settle(&mut h);
    assert_eq!(h.state().session.ds.zones.doc.format, Format::Shapefile);
    let z = common::zone_named(&h.state().session.ds, "KCN Quế Võ");
    h.state_mut().session.apply(Edit::one(
        LayerKind::Zones,
        z,
        "ghi_chu",
        Some(Value::from("đã sửa")),
        "ghi_chu".to_string(),
    ));
    h.run();
    let file = w.path("ban-quan-ly.gpkg");
    dialogs.answer(Some(file.clone()));
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    common::settle(&mut h);
    assert_eq!(dialogs.asked().len(), 1, "one file, one question");
    let db = Connection::open(&file).expect("a GeoPackage");
    let count = |sql: &str| -> i64 {
        db.query_row(sql, [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    };
    let (zones, parcels) = samples();
    assert_eq!(
        count("SELECT count(*) FROM zones") as usize,
        live(&zones).len()
    );
    assert_eq!(
        count("SELECT count(*) FROM parcels") as usize,
        live(&parcels).len()
    );
    let v: String = db
        .query_row(
            "SELECT ghi_chu FROM zones WHERE name = 'KCN Quế Võ'",
            [],
            |r| r.get(0),
        )
        .expect("the edit");
    assert_eq!(v, "đã sửa");
    drop(db);
    // The same land: each zone's area as the sample's.
    let back = open(&PathBuf::from(format!("{}:zones", file.display())));
    for (i, j) in live(&zones).into_iter().zip(live(&back)) {
        same_area(&zones, i, &back, j, "zone");
    }
    // From now on the GeoPackage is the data's file: Save writes it in place, unasked.
    let ds = &h.state().session.ds;
    assert_eq!(ds.zones.doc.format, Format::GeoPackage);
    assert!(!h.state().session.history.is_dirty());
    let z = common::zone_named(ds, "KCN Quế Võ");
    h.state_mut().session.apply(Edit::one(
        LayerKind::Zones,
        z,
        "ghi_chu",
        Some(Value::from("lần hai")),
        "ghi_chu".to_string(),
    ));
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    common::settle(&mut h);
    assert_eq!(dialogs.asked().len(), 1, "no second question");
    let db = Connection::open(&file).expect("open");
    let v: String = db
        .query_row(
            "SELECT ghi_chu FROM zones WHERE name = 'KCN Quế Võ'",
            [],
            |r| r.get(0),
        )
        .expect("value");
    assert_eq!(v, "lần hai");
}
