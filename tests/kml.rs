//! KML and KMZ from Google Earth read as the same data as GeoJSON: Placemarks with a Polygon
//! (holes kept) or a MultiGeometry, their name, description and ExtendedData as properties; a
//! pin is a point, with its properties and no area; lines and pins read for a reference
//! layer; a KMZ reads as the KML it holds.

use serde_json::{Value, json};
use std::io::Write as _;
use std::path::Path;
use std::process::Command;

use zoneatlas::engine::dataset::Dataset;
use zoneatlas::engine::source::{self, Format};

/// Zone A: a 1.1 km square with a 300 m hole; zone B: two squares (a MultiGeometry).
const KML: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<kml>
<Document>
  <name>KCN tỉnh Bắc Ninh</name>
  <Schema name="kcn" id="kcn"><SimpleField name="tinh" type="string"/></Schema>
  <Folder><name>Khu công nghiệp</name>
  <Placemark>
    <name>KCN Quế Võ &amp; mở rộng</name>
    <description><![CDATA[Khu <b>tổng hợp</b>]]></description>
    <ExtendedData>
      <Data name="zone_id"><value>QV</value></Data>
      <SchemaData schemaUrl="#kcn"><SimpleData name="tinh">Bắc Ninh</SimpleData></SchemaData>
    </ExtendedData>
    <Polygon><outerBoundaryIs><LinearRing><coordinates>
      106.00,21.00,0 106.01,21.00,0 106.01,21.01,0 106.00,21.01,0 106.00,21.00,0
    </coordinates></LinearRing></outerBoundaryIs>
    <innerBoundaryIs><LinearRing><coordinates>
      106.002,21.002 106.002,21.005 106.005,21.005 106.005,21.002 106.002,21.002
    </coordinates></LinearRing></innerBoundaryIs></Polygon>
  </Placemark>
  <Placemark>
    <name>KCN Yên Phong</name>
    <ExtendedData><Data name="zone_id"><value>YP</value></Data></ExtendedData>
    <MultiGeometry>
      <Polygon><outerBoundaryIs><LinearRing><coordinates>106.02,21.00 106.03,21.00 106.03,21.01 106.02,21.01 106.02,21.00</coordinates></LinearRing></outerBoundaryIs></Polygon>
      <MultiGeometry><Polygon><outerBoundaryIs><LinearRing><coordinates>106.04,21.00 106.05,21.00 106.05,21.01 106.04,21.01 106.04,21.00</coordinates></LinearRing></outerBoundaryIs></Polygon></MultiGeometry>
    </MultiGeometry>
  </Placemark>
  <Placemark><name>Cổng chính</name><Point><coordinates>106.0,21.0</coordinates></Point></Placemark>
  </Folder>
</Document>
</kml>"##;

fn square(x: f64, y: f64, d: f64) -> Value {
    json!([[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]])
}

/// The same zones as GeoJSON, written by hand.
fn geojson() -> Value {
    json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "KCN Quế Võ & mở rộng", "zone_id": "QV"},
         "geometry": {"type": "Polygon", "coordinates": [
            [[106.00, 21.00, 0.0], [106.01, 21.00, 0.0], [106.01, 21.01, 0.0], [106.00, 21.01, 0.0], [106.00, 21.00, 0.0]],
            [[106.002, 21.002], [106.002, 21.005], [106.005, 21.005], [106.005, 21.002], [106.002, 21.002]]]}},
        {"type": "Feature", "properties": {"name": "KCN Yên Phong", "zone_id": "YP"},
         "geometry": {"type": "MultiPolygon", "coordinates": [
            [square(106.02, 21.0, 0.01)], [square(106.04, 21.0, 0.01)]]}},
        {"type": "Feature", "properties": {"name": "Cổng chính"}, "geometry": null}
    ]})
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

fn check_against_geojson(kml_like: &Path, dir: &Path) {
    let g = dir.join("twin.geojson");
    std::fs::write(&g, geojson().to_string()).expect("write");
    let a = Dataset::open(&g, None).expect("geojson");
    let b = Dataset::open(kml_like, None).expect("kml");
    assert_eq!(b.zones.len(), 3);
    for z in 0..3 {
        assert_eq!(b.zones.items[z].name, a.zones.items[z].name);
        assert_eq!(b.zones.items[z].id, a.zones.items[z].id);
        match (a.figures[z].measured.area_ha, b.figures[z].measured.area_ha) {
            (Some(x), Some(y)) => assert!(close(x, y), "{x} {y}"),
            (x, y) => assert_eq!(x, y),
        }
    }
    // By hand: 0.01° squares at 21° N are 1,039 m × 1,107 m ≈ 115.0 ha, the hole 10.35 ha.
    let qv = b.figures[0].measured.area_ha.expect("area");
    let yp = b.figures[1].measured.area_ha.expect("area");
    assert!((qv - 104.65).abs() < 0.5, "{qv}");
    assert!((yp - 230.0).abs() < 0.5, "{yp}");
    let props = b.zones.doc.properties(0);
    let get = |k: &str| {
        props
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(get("description"), Some(Value::from("Khu <b>tổng hợp</b>")));
    assert_eq!(get("tinh"), Some(Value::from("Bắc Ninh")));
    assert_eq!(b.zones.items[0].province.as_deref(), Some("Bắc Ninh"));
    // The pin keeps its name, without an area.
    assert_eq!(b.zones.items[2].name, "Cổng chính");
    assert_eq!(b.figures[2].measured.area_ha, None);
}

#[test]
fn placemarks_read_as_the_same_zones_as_geojson() {
    let dir = tempfile::tempdir().expect("tempdir");
    let kml = dir.path().join("kcn.kml");
    std::fs::write(&kml, KML).expect("write");
    assert_eq!(Format::of(&kml), Format::Kml);
    check_against_geojson(&kml, dir.path());
}

#[test]
fn a_kmz_reads_as_the_kml_inside() {
    let dir = tempfile::tempdir().expect("tempdir");
    let kmz = dir.path().join("kcn.kmz");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&kmz).expect("create"));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("files/readme.txt", options).expect("start");
    zip.write_all(b"not the map").expect("write");
    zip.start_file("doc.kml", options).expect("start");
    zip.write_all(KML.as_bytes()).expect("write");
    zip.finish().expect("finish");
    check_against_geojson(&kmz, dir.path());
    // A KMZ without a KML inside says so.
    let empty = dir.path().join("empty.kmz");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&empty).expect("create"));
    zip.start_file("a.txt", options).expect("start");
    zip.finish().expect("finish");
    let err = source::open(&empty).expect_err("refused");
    assert!(err.file.ends_with("empty.kmz"));
}

#[test]
fn broken_kml_is_refused_with_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let kml = dir.path().join("broken.kml");
    std::fs::write(
        &kml,
        "<kml>\n<Placemark>\n<Polygon><outerBoundaryIs><LinearRing><coordinates>106,21 x,y</coordinates></LinearRing></outerBoundaryIs></Polygon>\n</Placemark></kml>",
    )
    .expect("write");
    let o = Command::new(env!("CARGO_BIN_EXE_zoneatlas"))
        .args(["report", "--lang", "vi"])
        .arg(&kml)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("broken.kml") && err.contains("dòng 3"),
        "{err}"
    );
}

/// A KML of roads and pins (Google Earth's usual infrastructure sketch): a LineString, a
/// MultiGeometry of two, a Point and a pin with a line read as lines and points for a
/// reference layer, positions as written; a Placemark's point beside its polygon (a label's
/// anchor) is not read, so a zone stays an area.
#[test]
fn lines_and_pins_read_for_a_reference_layer() {
    use zoneatlas::engine::reference;

    let kml = r##"<?xml version="1.0" encoding="UTF-8"?>
<kml><Document>
  <Placemark><name>QL18</name><LineString><coordinates>106.0,21.0,0 106.01,21.005,0 106.02,21.0,0</coordinates></LineString></Placemark>
  <Placemark><name>TL295</name><MultiGeometry>
    <LineString><coordinates>106.0,21.02 106.01,21.02</coordinates></LineString>
    <LineString><coordinates>106.012,21.02 106.02,21.03</coordinates></LineString>
  </MultiGeometry></Placemark>
  <Placemark><name>Trạm bơm</name><Point><coordinates>106.005,21.01</coordinates></Point></Placemark>
  <Placemark><name>Hỏng</name><Point><coordinates>106.0;21.0</coordinates></Point></Placemark>
  <Placemark><name>Cống</name><MultiGeometry>
    <Point><coordinates>106.035,21.005</coordinates></Point>
    <LineString><coordinates>106.03,21.0 106.04,21.0</coordinates></LineString>
  </MultiGeometry></Placemark>
  <Placemark><name>KCN</name><MultiGeometry>
    <Point><coordinates>106.005,21.005</coordinates></Point>
    <Polygon><outerBoundaryIs><LinearRing><coordinates>106.0,21.0 106.01,21.0 106.01,21.01 106.0,21.01 106.0,21.0</coordinates></LinearRing></outerBoundaryIs></Polygon>
  </MultiGeometry></Placemark>
</Document></kml>"##;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("ha_tang.kml");
    std::fs::write(&path, kml).expect("write");
    let doc = source::open(&path).expect("kml");
    let data = reference::read(&doc);
    // The pin whose coordinates do not read is a feature without geometry, not a refusal.
    assert_eq!(data.without_geometry, 1);
    let read = data.features;
    assert_eq!(read.len(), 5);
    type Xy = Vec<(f64, f64)>;
    let xy = |f: &reference::ReferenceFeature| -> (Vec<Xy>, Xy) {
        (
            f.lines
                .iter()
                .map(|l| l.0.iter().map(|c| (c.x, c.y)).collect())
                .collect(),
            f.points.iter().map(|c| (c.x, c.y)).collect(),
        )
    };
    assert_eq!(
        xy(&read[0]),
        (
            vec![vec![(106.0, 21.0), (106.01, 21.005), (106.02, 21.0)]],
            vec![]
        )
    );
    assert_eq!(
        xy(&read[1]).0,
        vec![
            vec![(106.0, 21.02), (106.01, 21.02)],
            vec![(106.012, 21.02), (106.02, 21.03)]
        ]
    );
    assert_eq!(xy(&read[2]), (vec![], vec![(106.005, 21.01)]));
    assert_eq!(
        xy(&read[3]),
        (
            vec![vec![(106.03, 21.0), (106.04, 21.0)]],
            vec![(106.035, 21.005)]
        )
    );
    assert_eq!(read[4].polygons.len(), 1);
    assert!(read[4].points.is_empty() && read[4].lines.is_empty());
    // As zones: the polygon is measured (0.01° square at 21° N ≈ 115 ha), the others are not.
    let ds = Dataset::open(&path, None).expect("zones");
    let areas: Vec<Option<f64>> = ds.figures.iter().map(|f| f.measured.area_ha).collect();
    assert!(areas[..5].iter().all(Option::is_none), "{areas:?}");
    assert!((areas[5].expect("area") - 115.0).abs() < 0.5, "{areas:?}");
}
