//! Shapefiles read as the same data as GeoJSON: the built-in sample written as Shapefiles (by
//! this test's own writer: the `shapefile` crate's for the shapes, a dBase table written byte
//! by byte here), opened by the engine and the command line, give the sample's figures and
//! properties; VN-2000 `.prj`s as ArcGIS writes them (no TOWGS84) convert as a `crs` member
//! does; the Vietnamese letters come back from TCVN3, VNI, Windows-1258 and UTF-8 tables.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

use shapefile::{Point, PointZ, Polygon, PolygonRing, PolygonZ, ShapeWriter};
use unicode_normalization::UnicodeNormalization;
use zoneatlas::engine::dataset::Dataset;
use zoneatlas::engine::properties::{PARCEL_KEYS, ZONE_KEYS};
use zoneatlas::engine::source::{self, Format};

const WGS84_PRJ: &str = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
/// As ArcGIS writes VN-2000 / UTM 48N: no TOWGS84, no authority code.
const VN2000_UTM48_PRJ: &str = r#"PROJCS["VN_2000_UTM_Zone_48N",GEOGCS["GCS_VN_2000",DATUM["D_Vietnam_2000",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;

/// A dBase field: name, type, width, decimals.
struct Field {
    name: String,
    kind: u8,
    width: usize,
}

/// Writes a dBase III table: `records[r][f]` is field `f`'s bytes (`None`: blank).
fn write_dbf(path: &Path, fields: &[Field], records: &[Vec<Option<Vec<u8>>>], driver: u8) {
    let record_len = 1 + fields.iter().map(|f| f.width).sum::<usize>();
    let header_len = 32 + 32 * fields.len() + 1;
    let mut out = vec![0x03, 126, 12, 7];
    out.extend((records.len() as u32).to_le_bytes());
    out.extend((header_len as u16).to_le_bytes());
    out.extend((record_len as u16).to_le_bytes());
    out.extend([0u8; 17]);
    out.push(driver); // byte 29
    out.extend([0u8; 2]);
    for f in fields {
        let mut d = [0u8; 32];
        d[..f.name.len()].copy_from_slice(f.name.as_bytes());
        d[11] = f.kind;
        d[16] = f.width as u8;
        out.extend(d);
    }
    out.push(0x0D);
    for r in records {
        out.push(b' ');
        for (f, v) in fields.iter().zip(r) {
            let mut cell = vec![b' '; f.width];
            if let Some(v) = v {
                assert!(v.len() <= f.width, "{} does not fit {}", v.len(), f.width);
                if f.kind == b'N' {
                    cell[f.width - v.len()..].copy_from_slice(v);
                } else {
                    cell[..v.len()].copy_from_slice(v);
                }
            }
            out.extend(cell);
        }
    }
    out.push(0x1A);
    std::fs::write(path, out).expect("write dbf");
}

/// A property's name as a 10-character dBase field: itself, else a short alias ZoneAtlas
/// knows for it, else cut (and numbered when that repeats a name).
fn field_name(key: &str, taken: &[String]) -> String {
    if key.len() <= 10 {
        return key.to_string();
    }
    let alias = ZONE_KEYS
        .iter()
        .chain(PARCEL_KEYS)
        .find(|s| s.canonical == key)
        .and_then(|s| s.aliases.iter().find(|a| a.len() <= 10 && a.is_ascii()));
    if let Some(a) = alias {
        return a.to_string();
    }
    let mut name = key[..10].to_string();
    let mut n = 1;
    while taken.contains(&name) {
        name = format!("{}_{n}", &key[..8]);
        n += 1;
    }
    name
}

/// A ring's positions.
fn ring_xy(ring: &Value) -> Vec<[f64; 2]> {
    ring.as_array()
        .expect("ring")
        .iter()
        .map(|p| [p[0].as_f64().expect("x"), p[1].as_f64().expect("y")])
        .collect()
}

/// The Shapefile's rings of a GeoJSON (Multi)Polygon, each wound as the format says (outer
/// rings clockwise, holes counter-clockwise); none for no geometry.
fn shape_rings(geometry: &Value) -> Vec<Vec<[f64; 2]>> {
    let polygons: Vec<&Value> = match geometry["type"].as_str() {
        None => return Vec::new(),
        Some("Polygon") => vec![&geometry["coordinates"]],
        Some("MultiPolygon") => geometry["coordinates"]
            .as_array()
            .expect("parts")
            .iter()
            .collect(),
        other => panic!("{other:?}"),
    };
    let twice_area = |r: &[[f64; 2]]| -> f64 {
        r.windows(2)
            .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
            .sum()
    };
    let mut rings = Vec::new();
    for p in polygons {
        for (k, r) in p.as_array().expect("rings").iter().enumerate() {
            let mut pts = ring_xy(r);
            let clockwise = twice_area(&pts) < 0.0;
            if clockwise != (k == 0) {
                pts.reverse();
            }
            rings.push(pts);
        }
    }
    rings
}

/// Writes a `.shp` of polygons (type 5; no rings: a null shape) byte by byte, as the ESRI
/// Shapefile Technical Description lays it out.
fn write_shp(path: &Path, shapes: &[Vec<Vec<[f64; 2]>>]) {
    let mut records = Vec::new();
    let mut all = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    for (k, rings) in shapes.iter().enumerate() {
        let mut c = Vec::new();
        if rings.is_empty() {
            c.extend(0i32.to_le_bytes());
        } else {
            let pts: Vec<[f64; 2]> = rings.iter().flatten().copied().collect();
            let bbox = pts
                .iter()
                .fold([f64::MAX, f64::MAX, f64::MIN, f64::MIN], |b, p| {
                    [
                        b[0].min(p[0]),
                        b[1].min(p[1]),
                        b[2].max(p[0]),
                        b[3].max(p[1]),
                    ]
                });
            all = [
                all[0].min(bbox[0]),
                all[1].min(bbox[1]),
                all[2].max(bbox[2]),
                all[3].max(bbox[3]),
            ];
            c.extend(5i32.to_le_bytes());
            for v in bbox {
                c.extend(v.to_le_bytes());
            }
            c.extend((rings.len() as i32).to_le_bytes());
            c.extend((pts.len() as i32).to_le_bytes());
            let mut start = 0i32;
            for r in rings {
                c.extend(start.to_le_bytes());
                start += r.len() as i32;
            }
            for p in &pts {
                c.extend(p[0].to_le_bytes());
                c.extend(p[1].to_le_bytes());
            }
        }
        records.extend(((k + 1) as i32).to_be_bytes());
        records.extend(((c.len() / 2) as i32).to_be_bytes());
        records.extend(c);
    }
    let mut out = Vec::new();
    out.extend(9994i32.to_be_bytes());
    out.extend([0u8; 20]);
    out.extend((((100 + records.len()) / 2) as i32).to_be_bytes());
    out.extend(1000i32.to_le_bytes());
    out.extend(5i32.to_le_bytes());
    for v in all {
        out.extend(v.to_le_bytes());
    }
    out.extend([0u8; 32]); // z and m ranges
    out.extend(records);
    std::fs::write(path, out).expect("write shp");
}

/// Writes a GeoJSON file's features as `stem`.shp/.shx/.dbf(/.prj/.cpg); returns the `.shp`
/// and how each property was named.
fn write_as_shapefile(geojson: &Path, dir: &Path, stem: &str) -> (PathBuf, Vec<(String, String)>) {
    let doc: Value = serde_json::from_slice(&std::fs::read(geojson).expect("read")).expect("json");
    let features = doc["features"].as_array().expect("features");
    let mut keys: Vec<String> = Vec::new();
    for f in features {
        for k in f["properties"].as_object().expect("props").keys() {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
    }
    let mut names: Vec<String> = Vec::new();
    for k in &keys {
        let n = field_name(k, &names);
        names.push(n);
    }
    let is_date = |s: &str| s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
    let fields: Vec<Field> = keys
        .iter()
        .zip(&names)
        .map(|(k, name)| {
            let values: Vec<&Value> = features
                .iter()
                .map(|f| &f["properties"][k])
                .filter(|v| !v.is_null())
                .collect();
            let kind = if values.iter().all(|v| v.is_number()) {
                b'N'
            } else if values.iter().all(|v| v.is_boolean()) {
                b'L'
            } else if values.iter().all(|v| v.as_str().is_some_and(is_date)) {
                b'D'
            } else {
                b'C'
            };
            let width = match kind {
                b'N' => 20,
                b'L' => 1,
                b'D' => 8,
                _ => 254,
            };
            Field {
                name: name.clone(),
                kind,
                width,
            }
        })
        .collect();
    let records: Vec<Vec<Option<Vec<u8>>>> = features
        .iter()
        .map(|f| {
            keys.iter()
                .zip(&fields)
                .map(|(k, field)| match &f["properties"][k] {
                    Value::Null => None,
                    Value::Bool(b) => Some(if *b { b"T".to_vec() } else { b"F".to_vec() }),
                    Value::Number(n) => Some(n.to_string().into_bytes()),
                    Value::String(s) if field.kind == b'D' => Some(s.replace('-', "").into_bytes()),
                    Value::String(s) => Some(s.as_bytes().to_vec()),
                    other => Some(other.to_string().into_bytes()),
                })
                .collect()
        })
        .collect();
    let shp = dir.join(format!("{stem}.shp"));
    write_dbf(&shp.with_extension("dbf"), &fields, &records, 0);
    std::fs::write(shp.with_extension("cpg"), "UTF-8").expect("cpg");
    std::fs::write(shp.with_extension("prj"), WGS84_PRJ).expect("prj");
    let shapes: Vec<_> = features
        .iter()
        .map(|f| shape_rings(&f["geometry"]))
        .collect();
    write_shp(&shp, &shapes);
    (shp, keys.into_iter().zip(names).collect())
}

fn sample(dir: &Path) -> (PathBuf, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_zones");
    let (z, p) = (dir.join("zones.geojson"), dir.join("parcels.geojson"));
    std::fs::copy(root.join("zones.geojson"), &z).expect("copy");
    std::fs::copy(root.join("parcels.geojson"), &p).expect("copy");
    (z, p)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn the_sample_as_shapefiles_gives_the_samples_figures_and_properties() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (zg, pg) = sample(dir.path());
    let (zs, zone_names) = write_as_shapefile(&zg, dir.path(), "kcn");
    let (ps, lot_names) = write_as_shapefile(&pg, dir.path(), "lo_dat");
    let from_geojson = Dataset::open(&zg, Some(&pg)).expect("geojson");
    let from_shp = Dataset::open(&zs, Some(&ps)).expect("shapefiles");
    assert_eq!(from_shp.zones.doc.format, Format::Shapefile);

    assert_eq!(from_shp.zones.len(), from_geojson.zones.len());
    let parcels = |ds: &Dataset| ds.parcels.as_ref().expect("parcels").len();
    assert_eq!(parcels(&from_shp), parcels(&from_geojson));
    for z in 0..from_geojson.zones.len() {
        let (a, b) = (&from_geojson.figures[z], &from_shp.figures[z]);
        let name = &from_geojson.zones.items[z].name;
        assert_eq!(&from_shp.zones.items[z].name, name);
        assert_eq!(from_shp.zones.items[z].id, from_geojson.zones.items[z].id);
        let (ma, mb) = (&a.measured, &b.measured);
        assert!(
            close(ma.area_ha.expect("area"), mb.area_ha.expect("area")),
            "{name}: {:?} {:?}",
            ma.area_ha,
            mb.area_ha
        );
        assert!(close(ma.leased_ha, mb.leased_ha), "{name}");
        assert_eq!(
            (ma.parcels_leased, ma.parcels_vacant, ma.parcels_reserved),
            (mb.parcels_leased, mb.parcels_vacant, mb.parcels_reserved),
            "{name}"
        );
        match (a.fill_rate_pct, b.fill_rate_pct) {
            (Some(x), Some(y)) => assert!(close(x, y), "{name}: {x} {y}"),
            (x, y) => assert_eq!(x, y, "{name}"),
        }
    }
    // Every property comes back under its field's name: numbers as numbers, dates as ISO
    // dates, text as the same text.
    for (ds_g, ds_s, names) in [
        (&from_geojson.zones.doc, &from_shp.zones.doc, &zone_names),
        (
            &from_geojson.parcels.as_ref().expect("p").doc,
            &from_shp.parcels.as_ref().expect("p").doc,
            &lot_names,
        ),
    ] {
        for i in 0..ds_g.len() {
            let shp_props = ds_s.properties(i);
            for (key, value) in ds_g.properties(i) {
                let name = &names.iter().find(|(k, _)| *k == key).expect("named").1;
                let got = shp_props.iter().find(|(k, _)| k == name).map(|(_, v)| v);
                match (&value, got) {
                    (Value::Null, None) => {}
                    (Value::Number(a), Some(Value::Number(b))) => {
                        assert_eq!(a.as_f64(), b.as_f64(), "{key} of {i}")
                    }
                    (Value::Number(a), Some(Value::String(b))) => {
                        // A column holding text elsewhere: the number as written.
                        assert_eq!(a.to_string(), *b, "{key} of {i}")
                    }
                    (v, got) => assert_eq!(Some(v), got, "{key} of {i}"),
                }
            }
        }
    }
}

#[test]
fn the_command_line_reports_a_shapefile_as_its_geojson() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (zg, pg) = sample(dir.path());
    let (zs, _) = write_as_shapefile(&zg, dir.path(), "kcn");
    let (ps, _) = write_as_shapefile(&pg, dir.path(), "lo_dat");
    let report = |z: &Path, p: &Path| {
        let o = Command::new(env!("CARGO_BIN_EXE_zoneatlas"))
            .args(["report", "--format", "json"])
            .arg(z)
            .arg(p)
            .output()
            .expect("run");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let v: Value = serde_json::from_slice(&o.stdout).expect("json");
        v
    };
    let (a, b) = (report(&zg, &pg), report(&zs, &ps));
    let rows = |v: &Value| v["zones"].as_array().expect("zones").clone();
    assert_eq!(rows(&a).len(), rows(&b).len());
    for (ra, rb) in rows(&a).iter().zip(rows(&b).iter()) {
        assert_eq!(ra["name"], rb["name"]);
        for k in ["area_ha", "leased_ha", "fill_rate_pct"] {
            match (ra[k].as_f64(), rb[k].as_f64()) {
                (Some(x), Some(y)) => assert!(close(x, y), "{k}: {x} {y}"),
                (x, y) => assert_eq!(x, y, "{k}"),
            }
        }
    }
    // Export writes GeoJSON, and leaves the Shapefile as it was.
    let before = std::fs::read(&zs).expect("shp");
    let out = dir.path().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_zoneatlas"))
        .arg("export")
        .arg(&zs)
        .arg(&ps)
        .arg("--out-dir")
        .arg(&out)
        .output()
        .expect("run");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let exported: Value =
        serde_json::from_slice(&std::fs::read(out.join("zones.geojson")).expect("written"))
            .expect("geojson");
    assert_eq!(exported["features"].as_array().map(Vec::len), Some(16));
    assert_eq!(std::fs::read(&zs).expect("shp"), before);
}

/// One zone, a 1 km square, in VN-2000 / UTM 48N: as a Shapefile with ArcGIS's `.prj`, and as
/// GeoJSON with a `crs` member.
#[test]
fn an_arcgis_vn2000_prj_converts_as_a_crs_member_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (x0, y0) = (585_000.0, 2_335_000.0);
    let ring = [
        (x0, y0),
        (x0 + 1000.0, y0),
        (x0 + 1000.0, y0 + 1000.0),
        (x0, y0 + 1000.0),
        (x0, y0),
    ];
    let shp = dir.path().join("vn2000.shp");
    let poly = PolygonZ::with_rings(vec![PolygonRing::Outer(
        ring.iter()
            .map(|&(x, y)| PointZ::new(x, y, 12.5, shapefile::NO_DATA))
            .collect(),
    )]);
    let w = ShapeWriter::from_path(&shp).expect("shp");
    w.write_shapes(&[poly]).expect("write");
    write_dbf(
        &shp.with_extension("dbf"),
        &[Field {
            name: "ten_kcn".into(),
            kind: b'C',
            width: 20,
        }],
        &[vec![Some(b"KCN Thu".to_vec())]],
        0,
    );
    std::fs::write(shp.with_extension("prj"), VN2000_UTM48_PRJ).expect("prj");
    let coords: Vec<String> = ring.iter().map(|(x, y)| format!("[{x},{y}]")).collect();
    let geojson = dir.path().join("vn2000.geojson");
    std::fs::write(
        &geojson,
        format!(
            r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"urn:ogc:def:crs:EPSG::3405"}}}},"features":[{{"type":"Feature","properties":{{"ten_kcn":"KCN Thu"}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}]}}"#,
            coords.join(",")
        ),
    )
    .expect("write");
    let a = Dataset::open(&geojson, None).expect("geojson");
    let b = Dataset::open(&shp, None).expect("shapefile");
    let (ha, hb) = (
        a.figures[0].measured.area_ha.expect("area"),
        b.figures[0].measured.area_ha.expect("area"),
    );
    // A 1 km square in UTM is 100 ha on the map, a little more on the ground (scale 0.9996).
    assert!((ha - 100.0 / 0.9996_f64.powi(2)).abs() < 0.05, "{ha}");
    assert!(close(ha, hb), "{ha} {hb}");
    assert_eq!(b.zones.doc.crs.map(|c| c.epsg), Some(3405));
    // The 3-D positions are kept.
    let text: &str = &b.zones.doc.text;
    assert!(text.contains(",12.5]"), "{text}");
}

#[test]
fn an_unknown_system_is_refused_and_quoted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let shp = dir.path().join("hn72.shp");
    let w = ShapeWriter::from_path(&shp).expect("shp");
    w.write_shapes(&[Polygon::new(PolygonRing::Outer(vec![
        Point::new(0.0, 0.0),
        Point::new(0.0, 1.0),
        Point::new(1.0, 1.0),
        Point::new(0.0, 0.0),
    ]))])
    .expect("write");
    let hn72 = r#"PROJCS["Hanoi_1972_GK_Zone_18",GEOGCS["GCS_Hanoi_1972",DATUM["D_Hanoi_1972",SPHEROID["Krasovsky_1940",6378245.0,298.3]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",18500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
    std::fs::write(shp.with_extension("prj"), hn72).expect("prj");
    for lang in ["en", "vi"] {
        let o = Command::new(env!("CARGO_BIN_EXE_zoneatlas"))
            .args(["report", "--lang", lang])
            .arg(&shp)
            .output()
            .expect("run");
        assert_eq!(o.status.code(), Some(2));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("hn72.shp") && err.contains(hn72), "{err}");
        if lang == "vi" {
            assert!(err.contains("hệ toạ độ"), "{err}");
        }
    }
}

/// The lower-case Vietnamese letters beyond ASCII (67; with their capitals, 134), in words.
fn letters() -> Vec<String> {
    let vowels = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"];
    let tones = ["", "\u{300}", "\u{301}", "\u{303}", "\u{309}", "\u{323}"];
    let mut out: Vec<String> = vowels
        .iter()
        .flat_map(|v| {
            tones
                .iter()
                .map(move |t| format!("{v}{t}").nfc().collect::<String>())
        })
        .filter(|l| !l.is_ascii())
        .collect();
    out.push("đ".into());
    assert_eq!(out.len(), 67);
    out
}

/// Windows-1258 bytes of NFC text: tone marks as combining bytes after the letter.
fn windows_1258(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for c in s.chars() {
        let d: String = c.to_string().nfd().collect();
        let (base, tones): (String, String) = d.chars().partition(|ch| {
            !matches!(
                ch,
                '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}'
            )
        });
        let base: String = base.nfc().collect();
        let (bytes, _, bad) = encoding_rs::WINDOWS_1258.encode(&base);
        assert!(!bad, "{base}");
        out.extend(bytes.iter());
        for t in tones.chars() {
            out.push(match t {
                '\u{300}' => 0xCC,
                '\u{301}' => 0xEC,
                '\u{303}' => 0xDE,
                '\u{309}' => 0xD2,
                _ => 0xF2,
            });
        }
    }
    out
}

#[test]
fn vietnamese_letters_come_back_from_every_encoding_boards_use() {
    // Each letter in a syllable of its own, as names are written: "ba", "bà", …; capitals
    // in words written in capitals (TCVN3 writes capitals at the lower-case bytes).
    let lower: Vec<String> = letters().iter().map(|l| format!("b{l}n")).collect();
    let upper: Vec<String> = letters()
        .iter()
        .map(|l| format!("B{}N", l.to_uppercase()))
        .collect();
    let texts = [lower.join(" "), upper.join(" ")];
    let legacy = |s: &str| -> Vec<u8> {
        s.chars()
            .map(|c| u8::try_from(u32::from(c)).expect("latin-1"))
            .collect()
    };
    type Encoder = Box<dyn Fn(&str) -> Vec<u8>>;
    let cases: [(&str, Encoder, Option<&str>); 5] = [
        (
            "utf-8 with .cpg",
            Box::new(|s: &str| s.as_bytes().to_vec()),
            Some("UTF-8"),
        ),
        (
            "utf-8 without .cpg",
            Box::new(|s: &str| s.as_bytes().to_vec()),
            None,
        ),
        ("windows-1258", Box::new(windows_1258), None),
        (
            "tcvn3",
            Box::new(move |s: &str| legacy(&zoneatlas::engine::legacy_text::unicode_to_tcvn3(s))),
            None,
        ),
        (
            "vni",
            Box::new(move |s: &str| legacy(&zoneatlas::engine::legacy_text::unicode_to_vni(s))),
            None,
        ),
    ];
    for (what, encode, cpg) in cases {
        let encoded: Vec<Vec<u8>> = texts.iter().map(|t| encode(t)).collect();
        let width = encoded.iter().map(Vec::len).max().unwrap_or(1).min(254);
        // Long texts are split over records of at most 254 bytes, word by word.
        let mut records = Vec::new();
        let mut expected = Vec::new();
        for t in &texts {
            let mut line: Vec<&str> = Vec::new();
            for w in t.split(' ') {
                line.push(w);
                if encode(&line.join(" ")).len() > width.min(200) {
                    line.pop();
                    expected.push(line.join(" "));
                    records.push(vec![Some(encode(&line.join(" ")))]);
                    line = vec![w];
                }
            }
            expected.push(line.join(" "));
            records.push(vec![Some(encode(&line.join(" ")))]);
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let dbf = dir.path().join("t.dbf");
        write_dbf(
            &dbf,
            &[Field {
                name: "ten".into(),
                kind: b'C',
                width: 254,
            }],
            &records,
            0,
        );
        let table = source::dbf::read(&std::fs::read(&dbf).expect("read"), cpg).expect("table");
        let got: Vec<String> = table
            .records
            .iter()
            .map(|r| serde_json::from_str::<String>(&r[0].1).expect("text"))
            .collect();
        assert_eq!(got, expected, "{what}: {:?}", table.encoding);
    }
}

#[test]
fn companions_dropped_with_a_shapefile_are_part_of_it() {
    let ps = |names: &[&str]| names.iter().map(PathBuf::from).collect::<Vec<_>>();
    assert_eq!(
        source::main_files(ps(&[
            "a/kcn.shp",
            "a/kcn.dbf",
            "a/kcn.shx",
            "a/kcn.prj",
            "a/lo.geojson"
        ])),
        ps(&["a/kcn.shp", "a/lo.geojson"])
    );
    // A table dropped alone is not taken for part of anything.
    assert_eq!(source::main_files(ps(&["a/x.dbf"])), ps(&["a/x.dbf"]));
}

/// In the window: a Shapefile opens like a GeoJSON, and Save asks where to write GeoJSON (the
/// `.shp` is left as it was); once saved, the GeoJSON is saved in place.
#[test]
fn the_app_opens_a_shapefile_and_saves_it_as_geojson() {
    use egui::{Key, Modifiers};
    use zoneatlas::app::ZoneAtlasApp;
    use zoneatlas::app::dialogs::TestDialogs;
    use zoneatlas::app::session::edit::Edit;
    use zoneatlas::engine::model::LayerKind;

    let dir = tempfile::tempdir().expect("tempdir");
    let (zg, pg) = sample(dir.path());
    let (zs, _) = write_as_shapefile(&zg, dir.path(), "kcn");
    let (ps, _) = write_as_shapefile(&pg, dir.path(), "lo_dat");
    let shp_before = std::fs::read(&zs).expect("shp");
    let dbf_before = std::fs::read(zs.with_extension("dbf")).expect("dbf");

    let dialogs = TestDialogs::new();
    let app = ZoneAtlasApp::new(zoneatlas::app::empty_dataset(), Box::new(dialogs.clone()));
    let mut h = common::harness(app);
    let ctx = h.ctx.clone();
    h.state_mut().open_files(&ctx, zs.clone(), Some(ps.clone()));
    h.state_mut().wait_for_load();
    common::settle(&mut h);
    assert_eq!(h.state().session.ds.zones.len(), 16);
    let z = common::zone_named(&h.state().session.ds, "KCN Quế Võ");
    h.state_mut().session.apply(Edit::one(
        LayerKind::Zones,
        z,
        "ghi_chu",
        Some(Value::from("đã sửa")),
        "ghi_chu".to_string(),
    ));
    h.run();

    let (zout, pout) = (
        dir.path().join("kcn.geojson"),
        dir.path().join("lo_dat.geojson"),
    );
    dialogs.answer(Some(zout.clone()));
    dialogs.answer(Some(pout.clone()));
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert_eq!(
        dialogs.asked().len(),
        2,
        "Save asks where: {:?}",
        dialogs.asked()
    );
    assert_eq!(std::fs::read(&zs).expect("shp"), shp_before);
    assert_eq!(
        std::fs::read(zs.with_extension("dbf")).expect("dbf"),
        dbf_before
    );
    let saved: Value = serde_json::from_slice(&std::fs::read(&zout).expect("saved")).expect("json");
    assert_eq!(
        saved["features"][z]["properties"]["ghi_chu"],
        Value::from("đã sửa")
    );
    assert!(pout.exists());
    // Read again, the saved GeoJSON has the Shapefile's figures.
    let again = Dataset::open(&zout, Some(&pout)).expect("read");
    let shown = &h.state().session.ds;
    for z in 0..16 {
        assert_eq!(
            again.figures[z].fill_rate_pct,
            shown.figures[z].fill_rate_pct
        );
    }

    // From now on Save writes the GeoJSON in place, without asking.
    h.state_mut().session.apply(Edit::one(
        LayerKind::Zones,
        z,
        "ghi_chu",
        Some(Value::from("lần hai")),
        "ghi_chu".to_string(),
    ));
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert_eq!(dialogs.asked().len(), 2, "no more dialogs");
    let saved: Value = serde_json::from_slice(&std::fs::read(&zout).expect("saved")).expect("json");
    assert_eq!(
        saved["features"][z]["properties"]["ghi_chu"],
        Value::from("lần hai")
    );
}

/// A benchmark, not a timed test: reading a Shapefile of lots (the target: 10,000 lots in
/// at most 1 s), beside reading the same lots as GeoJSON.
///
/// ```sh
/// ZONEATLAS_BENCH_DIR=/work/bench-data/za-10k cargo test --release --test shapefile -- --ignored --nocapture
/// ```
/// Without `ZONEATLAS_BENCH_DIR` it reads the built-in sample.
#[test]
#[ignore = "a benchmark: run with --ignored --nocapture (and --release)"]
fn reading_a_shapefile_of_lots() {
    use std::time::Instant;
    let dir = tempfile::tempdir().expect("tempdir");
    let geojson = match std::env::var_os("ZONEATLAS_BENCH_DIR") {
        Some(d) => PathBuf::from(d).join("parcels.geojson"),
        None => sample(dir.path()).1,
    };
    let (shp, _) = write_as_shapefile(&geojson, dir.path(), "lots");
    let median = |f: &dyn Fn()| {
        let mut times: Vec<f64> = (0..7)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        times.sort_by(f64::total_cmp);
        (times[3], times[0], times[6])
    };
    let lots = source::open(&shp).expect("shp").len();
    let a = median(&|| {
        source::open(&shp).expect("shp");
    });
    let b = median(&|| {
        source::open(&geojson).expect("geojson");
    });
    println!("{lots} lots: median / min / max, ms");
    println!(
        "Shapefile (.shp + .dbf + .prj + .cpg) | {:.1} / {:.1} / {:.1}",
        a.0, a.1, a.2
    );
    println!(
        "the same lots as GeoJSON              | {:.1} / {:.1} / {:.1}",
        b.0, b.1, b.2
    );
}

/// `check` and `apply` take Shapefiles as they take GeoJSON: the same findings, and an edit
/// script applied to them written as GeoJSON.
#[test]
fn check_and_apply_take_shapefiles() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (zg, pg) = sample(dir.path());
    let (zs, _) = write_as_shapefile(&zg, dir.path(), "kcn");
    let (ps, _) = write_as_shapefile(&pg, dir.path(), "lo_dat");
    let run = |args: &[&std::ffi::OsStr]| {
        Command::new(env!("CARGO_BIN_EXE_zoneatlas"))
            .args(args)
            .output()
            .expect("run")
    };
    let codes = |z: &Path, p: &Path| {
        let o = run(&[
            "check".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
            z.as_os_str(),
            p.as_os_str(),
        ]);
        let v: Value = serde_json::from_slice(&o.stdout).expect("json");
        let mut codes: Vec<String> = v
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| format!("{} {}", f["code"], f["id"]))
            .collect();
        codes.sort();
        (o.status.code(), codes)
    };
    let (a, b) = (codes(&zg, &pg), codes(&zs, &ps));
    assert!(!a.1.is_empty());
    assert_eq!(a, b);

    let edits = dir.path().join("edits.json");
    std::fs::write(
        &edits,
        r#"[{"op":"set","layer":"parcels","id":"QV1-B01-01","key":"status","value":"vacant"}]"#,
    )
    .expect("write");
    let out = dir.path().join("out");
    let o = run(&[
        "apply".as_ref(),
        zs.as_os_str(),
        ps.as_os_str(),
        "--edits".as_ref(),
        edits.as_os_str(),
        "--out-dir".as_ref(),
        out.as_os_str(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let lots: Value =
        serde_json::from_slice(&std::fs::read(out.join("parcels.geojson")).expect("written"))
            .expect("json");
    let lot = lots["features"]
        .as_array()
        .expect("features")
        .iter()
        .find(|f| f["properties"]["parcel_id"] == "QV1-B01-01")
        .expect("the lot");
    assert_eq!(lot["properties"]["status"], Value::from("vacant"));
}

/// `--source-crs` names the system of a file that has none of its own: a GeoJSON without a
/// `crs` member and a Shapefile without a `.prj`, both in VN-2000 / UTM 48N metres, give the
/// figures of the same GeoJSON with its `crs` member; without it they are refused; a file with
/// a system of its own keeps it.
#[test]
fn source_crs_names_the_system_of_files_without_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (x0, y0) = (585_000.0, 2_335_000.0);
    let ring = serde_json::json!([[
        [x0, y0],
        [x0 + 1000.0, y0],
        [x0 + 1000.0, y0 + 1000.0],
        [x0, y0 + 1000.0],
        [x0, y0]
    ]]);
    let feature = serde_json::json!({"type": "Feature", "properties": {"zone_id": "T"},
        "geometry": {"type": "Polygon", "coordinates": ring}});
    let with_member = dir.path().join("with.geojson");
    std::fs::write(
        &with_member,
        serde_json::json!({"type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": "EPSG:3405"}},
            "features": [feature.clone()]})
        .to_string(),
    )
    .expect("write");
    let bare = dir.path().join("bare.geojson");
    std::fs::write(
        &bare,
        serde_json::json!({"type": "FeatureCollection", "features": [feature]}).to_string(),
    )
    .expect("write");
    let shp = dir.path().join("bare.shp");
    write_shp(
        &shp,
        &[vec![
            ring[0]
                .as_array()
                .expect("ring")
                .iter()
                .rev()
                .map(|p| [p[0].as_f64().expect("x"), p[1].as_f64().expect("y")])
                .collect(),
        ]],
    );
    let area = |path: &Path, source: Option<&str>| -> Result<f64, String> {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_zoneatlas"));
        cmd.args(["report", "--format", "json"]).arg(path);
        if let Some(s) = source {
            cmd.args(["--source-crs", s]);
        }
        let o = cmd.output().expect("run");
        if !o.status.success() {
            return Err(String::from_utf8_lossy(&o.stderr).into_owned());
        }
        let v: Value = serde_json::from_slice(&o.stdout).expect("json");
        Ok(v["zones"][0]["area_ha"].as_f64().expect("area"))
    };
    let expected = area(&with_member, None).expect("with its member");
    assert!(
        (expected - 100.0 / 0.9996_f64.powi(2)).abs() < 0.05,
        "{expected}"
    );
    for file in [&bare, &shp] {
        let refused = area(file, None).expect_err("metres without a system");
        assert!(refused.contains("bare."), "{refused}");
        let got = area(file, Some("EPSG:3405")).expect("with --source-crs");
        assert!(close(got, expected), "{got} {expected}");
    }
    // A file's own system wins over the option.
    let ds = Dataset::open_assuming(
        &with_member,
        None,
        zoneatlas::engine::crs::Crs::from_epsg(32648),
    )
    .expect("opens");
    assert_eq!(ds.zones.doc.crs.map(|c| c.epsg), Some(3405));
    // A system ZoneAtlas does not convert is refused by the option itself.
    let wrong = area(&bare, Some("EPSG:2154")).expect_err("refused");
    assert!(wrong.contains("2154"), "{wrong}");
}

/// A board's infrastructure map as Shapefiles: roads (PolyLine, one of them in two parts) and
/// wells (Point, MultiPoint) in VN-2000 read as lines and points for a reference layer, at the
/// same places as the same shapes written as GeoJSON; opened as zones they are features
/// without an area (a finding each), their attributes kept, not a refused file.
#[test]
fn roads_and_wells_read_as_lines_and_points() {
    use shapefile::{Multipoint, Polyline};
    use zoneatlas::engine::as_of::AsOf;
    use zoneatlas::engine::reference;

    let dir = tempfile::tempdir().expect("tempdir");
    let (x0, y0) = (585_000.0, 2_335_000.0);
    let road_a = vec![(x0, y0), (x0 + 800.0, y0 + 150.0), (x0 + 1600.0, y0)];
    let road_b = [
        vec![(x0, y0 + 500.0), (x0 + 1000.0, y0 + 500.0)],
        vec![(x0 + 1200.0, y0 + 500.0), (x0 + 1900.0, y0 + 900.0)],
    ];
    let pts = |v: &[(f64, f64)]| v.iter().map(|&(x, y)| Point::new(x, y)).collect::<Vec<_>>();
    let roads = dir.path().join("duong.shp");
    ShapeWriter::from_path(&roads)
        .expect("shp")
        .write_shapes(&[
            Polyline::new(pts(&road_a)),
            Polyline::with_parts(road_b.iter().map(|p| pts(p)).collect()),
        ])
        .expect("write");
    let field = |name: &str| Field {
        name: name.into(),
        kind: b'C',
        width: 20,
    };
    write_dbf(
        &roads.with_extension("dbf"),
        &[field("ten")],
        &[vec![Some(b"QL18".to_vec())], vec![Some(b"TL295".to_vec())]],
        0,
    );
    std::fs::write(roads.with_extension("prj"), VN2000_UTM48_PRJ).expect("prj");

    let wells_at = [(x0 + 300.0, y0 + 300.0), (x0 + 900.0, y0 + 700.0)];
    let wells = dir.path().join("gieng.shp");
    ShapeWriter::from_path(&wells)
        .expect("shp")
        .write_shapes(&[Multipoint::new(pts(&wells_at))])
        .expect("write");
    std::fs::write(wells.with_extension("prj"), VN2000_UTM48_PRJ).expect("prj");
    let well = dir.path().join("gieng1.shp");
    ShapeWriter::from_path(&well)
        .expect("shp")
        .write_shapes(&[Point::new(x0, y0)])
        .expect("write");
    std::fs::write(well.with_extension("prj"), VN2000_UTM48_PRJ).expect("prj");

    // The same shapes as GeoJSON in the same system: the reference the Shapefiles must match.
    let xy = |v: &[(f64, f64)]| {
        let c: Vec<String> = v.iter().map(|(x, y)| format!("[{x},{y}]")).collect();
        format!("[{}]", c.join(","))
    };
    let twin = dir.path().join("twin.geojson");
    std::fs::write(
        &twin,
        format!(
            r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"urn:ogc:def:crs:EPSG::3405"}}}},"features":[
{{"type":"Feature","properties":{{}},"geometry":{{"type":"LineString","coordinates":{}}}}},
{{"type":"Feature","properties":{{}},"geometry":{{"type":"MultiLineString","coordinates":[{},{}]}}}},
{{"type":"Feature","properties":{{}},"geometry":{{"type":"MultiPoint","coordinates":{}}}}},
{{"type":"Feature","properties":{{}},"geometry":{{"type":"Point","coordinates":[{x0},{y0}]}}}}]}}"#,
            xy(&road_a),
            xy(&road_b[0]),
            xy(&road_b[1]),
            xy(&wells_at)
        ),
    )
    .expect("write");
    let expected = reference::read(&source::open(&twin).expect("twin")).features;
    assert_eq!(expected.len(), 4);

    let mut read = reference::read(&source::open(&roads).expect("roads")).features;
    read.extend(reference::read(&source::open(&wells).expect("wells")).features);
    read.extend(reference::read(&source::open(&well).expect("well")).features);
    assert_eq!(read.len(), 4);
    assert_eq!(read[0].lines.len(), 1);
    assert_eq!(read[1].lines.len(), 2, "a PolyLine's two parts");
    assert_eq!(read[2].points.len(), 2);
    assert_eq!(read[3].points.len(), 1);
    for (got, want) in read.iter().zip(&expected) {
        assert!(got.polygons.is_empty());
        let flat = |f: &reference::ReferenceFeature| -> Vec<(f64, f64)> {
            f.lines
                .iter()
                .flat_map(|l| l.0.iter().map(|c| (c.x, c.y)))
                .chain(f.points.iter().map(|c| (c.x, c.y)))
                .collect()
        };
        let (g, w) = (flat(got), flat(want));
        assert_eq!(g.len(), w.len());
        for (a, b) in g.iter().zip(&w) {
            assert!(
                (a.0 - b.0).abs() < 1e-12 && (a.1 - b.1).abs() < 1e-12,
                "{a:?} {b:?}"
            );
        }
    }
    // VN-2000 / UTM 48N, 585 km E 2,335 km N: about 105.82° E 21.11° N (converted, not
    // taken as degrees).
    let p = read[3].points[0];
    assert!(
        (p.x - 105.82).abs() < 0.02 && (p.y - 21.11).abs() < 0.02,
        "{p:?}"
    );

    // Opened as zones: two features without an area, each said so; the names kept.
    let ds = Dataset::open(&roads, None).expect("opened, not refused");
    assert_eq!(ds.zones.len(), 2);
    let not_areal: Vec<usize> = ds
        .findings(AsOf::Today(zoneatlas::clock::today()))
        .into_iter()
        .filter(|f| f.code().as_str() == "not_areal")
        .map(|f| f.feature)
        .collect();
    assert_eq!(not_areal.len(), 2, "{not_areal:?}");
    assert!(ds.figures.iter().all(|f| f.measured.area_ha.is_none()));
    let text: &str = &ds.zones.doc.text;
    assert!(text.contains("\"ten\":\"TL295\""), "{text}");
}
