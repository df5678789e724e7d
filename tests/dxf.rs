//! AutoCAD DXF read as the same data as GeoJSON: closed polylines and hatches as polygons (a
//! loop inside another a hole), bulges within 5 cm, layers and texts inside as properties, the
//! system named by `--source-crs` (or the app's chooser); the built-in sample drawn as a DXF
//! gives the sample's totals.

mod common;

use serde_json::Value;
use std::fmt::Write as _;
use std::path::Path;

use zoneatlas::engine::crs::Crs;
use zoneatlas::engine::dataset::Dataset;
use zoneatlas::engine::source::{self, FeatureSource, Format, dxf::Dxf};

/// A small DXF writer: the groups as lines, entities in an ENTITIES section.
struct DxfWriter {
    s: String,
    handle: u32,
}

impl DxfWriter {
    /// A drawing with these header variables (name, code, value).
    fn new(header: &[(&str, i32, &str)]) -> DxfWriter {
        let mut w = DxfWriter {
            s: String::new(),
            handle: 0x100,
        };
        w.pair(0, "SECTION");
        w.pair(2, "HEADER");
        for (name, code, value) in header {
            w.pair(9, name);
            w.pair(*code, value);
        }
        w.pair(0, "ENDSEC");
        w.pair(0, "SECTION");
        w.pair(2, "ENTITIES");
        w
    }

    fn pair(&mut self, code: i32, value: impl std::fmt::Display) {
        let _ = write!(self.s, "{code:>3}\r\n{value}\r\n");
    }

    fn entity(&mut self, kind: &str, layer: &str) {
        self.pair(0, kind);
        self.handle += 1;
        let h = format!("{:X}", self.handle);
        self.pair(5, h);
        self.pair(8, layer);
    }

    /// Vertices (x, y, bulge to the next).
    fn lwpolyline(&mut self, layer: &str, vs: &[(f64, f64, f64)], closed: bool) {
        self.entity("LWPOLYLINE", layer);
        self.pair(100, "AcDbPolyline");
        self.pair(90, vs.len());
        self.pair(70, i32::from(closed));
        for &(x, y, b) in vs {
            self.pair(10, x);
            self.pair(20, y);
            if b != 0.0 {
                self.pair(42, b);
            }
        }
    }

    /// An old-style POLYLINE with its VERTEX entities and SEQEND.
    fn polyline(&mut self, layer: &str, vs: &[(f64, f64)], closed: bool) {
        self.entity("POLYLINE", layer);
        self.pair(66, 1);
        self.pair(70, i32::from(closed));
        for &(x, y) in vs {
            self.entity("VERTEX", layer);
            self.pair(10, x);
            self.pair(20, y);
            self.pair(30, 0);
        }
        self.entity("SEQEND", layer);
    }

    fn text(&mut self, layer: &str, x: f64, y: f64, text: &str) {
        self.entity("TEXT", layer);
        self.pair(10, x);
        self.pair(20, y);
        self.pair(40, 2.5);
        self.pair(1, text);
    }

    fn mtext(&mut self, layer: &str, x: f64, y: f64, text: &str) {
        self.entity("MTEXT", layer);
        self.pair(10, x);
        self.pair(20, y);
        self.pair(40, 2.5);
        self.pair(1, text);
    }

    fn line(&mut self, layer: &str, a: (f64, f64), b: (f64, f64)) {
        self.entity("LINE", layer);
        self.pair(10, a.0);
        self.pair(20, a.1);
        self.pair(11, b.0);
        self.pair(21, b.1);
    }

    /// Centre, radius, start and end angles (degrees, counter-clockwise).
    fn arc(&mut self, layer: &str, c: (f64, f64), r: f64, a0: f64, a1: f64) {
        self.entity("ARC", layer);
        self.pair(10, c.0);
        self.pair(20, c.1);
        self.pair(40, r);
        self.pair(50, a0);
        self.pair(51, a1);
    }

    fn circle(&mut self, layer: &str, c: (f64, f64), r: f64) {
        self.entity("CIRCLE", layer);
        self.pair(10, c.0);
        self.pair(20, c.1);
        self.pair(40, r);
    }

    fn point(&mut self, layer: &str, p: (f64, f64)) {
        self.entity("POINT", layer);
        self.pair(10, p.0);
        self.pair(20, p.1);
    }

    /// A block reference: block `name` inserted at `p`.
    fn insert(&mut self, layer: &str, name: &str, p: (f64, f64)) {
        self.entity("INSERT", layer);
        self.pair(2, name);
        self.pair(10, p.0);
        self.pair(20, p.1);
    }

    /// A hatch whose loops are polyline paths (x, y; no bulges) and edge paths of lines.
    fn hatch(
        &mut self,
        layer: &str,
        polylines: &[Vec<(f64, f64)>],
        line_loops: &[Vec<(f64, f64)>],
    ) {
        self.entity("HATCH", layer);
        self.pair(100, "AcDbHatch");
        self.pair(10, 0.0);
        self.pair(20, 0.0);
        self.pair(30, 0.0);
        self.pair(210, 0.0);
        self.pair(220, 0.0);
        self.pair(230, 1.0);
        self.pair(2, "SOLID");
        self.pair(70, 1);
        self.pair(71, 0);
        self.pair(91, polylines.len() + line_loops.len());
        for (k, ring) in polylines.iter().enumerate() {
            self.pair(92, if k == 0 { 2 | 1 } else { 2 });
            self.pair(72, 0);
            self.pair(73, 1);
            self.pair(93, ring.len());
            for &(x, y) in ring {
                self.pair(10, x);
                self.pair(20, y);
            }
            self.pair(97, 0);
        }
        for ring in line_loops {
            self.pair(92, 0);
            self.pair(93, ring.len());
            for k in 0..ring.len() {
                let (a, b) = (ring[k], ring[(k + 1) % ring.len()]);
                self.pair(72, 1);
                self.pair(10, a.0);
                self.pair(20, a.1);
                self.pair(11, b.0);
                self.pair(21, b.1);
            }
            self.pair(97, 0);
        }
        self.pair(75, 0);
        self.pair(76, 1);
        self.pair(98, 1);
        // A seed point: groups 10/20 again, after the boundary.
        self.pair(10, 1.0);
        self.pair(20, 1.0);
    }

    fn finish(mut self) -> String {
        self.pair(0, "ENDSEC");
        self.pair(0, "EOF");
        self.s
    }
}

/// Bắc Ninh's own zone (VN-2000 / TM-3 105°30′).
const TM3: u32 = 9209;
/// A point near Bắc Ninh in it.
const X0: f64 = 560_000.0;
const Y0: f64 = 2_340_000.0;

fn tm3() -> Crs {
    Crs::from_epsg(TM3).expect("TM-3 105-30")
}

/// The transverse Mercator's point scale at easting `x` (by hand: k0 (1 + x'²/2R²), R the
/// radius of curvature's geometric mean at 21° N).
fn scale_at(x: f64) -> f64 {
    let (a, e2): (f64, f64) = (6_378_137.0, 0.006_694_379_990_14);
    let lat = 21.15_f64.to_radians();
    let w = (1.0 - e2 * lat.sin().powi(2)).sqrt();
    let r = (a / w) * ((1.0 - e2) / (w * w)).sqrt();
    let xp = (x - 500_000.0) / 0.9999;
    0.9999 * (1.0 + xp * xp / (2.0 * r * r))
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

fn read(path: &Path) -> Value {
    let text = Dxf::read_geojson(path, Some(tm3())).expect("reads");
    serde_json::from_str(&text).expect("json")
}

fn square(x: f64, y: f64, d: f64) -> Vec<(f64, f64)> {
    vec![(x, y), (x + d, y), (x + d, y + d), (x, y + d)]
}

/// Planar shoelace area of a GeoJSON ring.
fn ring_area(ring: &Value) -> f64 {
    let pts: Vec<(f64, f64)> = ring
        .as_array()
        .expect("ring")
        .iter()
        .map(|p| (p[0].as_f64().expect("x"), p[1].as_f64().expect("y")))
        .collect();
    pts.windows(2)
        .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
        .sum::<f64>()
        / 2.0
}

#[test]
fn a_hundred_metre_square_is_a_hectare_as_its_geojson_twin() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut w = DxfWriter::new(&[("$ACADVER", 1, "AC1032"), ("$INSUNITS", 70, "6")]);
    let sq: Vec<(f64, f64, f64)> = square(X0, Y0, 100.0)
        .into_iter()
        .map(|(x, y)| (x, y, 0.0))
        .collect();
    w.lwpolyline("LO DAT", &sq, true);
    w.text("SO LO", X0 + 50.0, Y0 + 50.0, "A-01");
    let dxf = write(dir.path(), "lo.dxf", &w.finish());
    assert_eq!(Format::of(&dxf), Format::Dxf);
    assert!(Format::opens(&dxf));

    let twin = write(
        dir.path(),
        "twin.geojson",
        &serde_json::json!({"type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": "EPSG:9209"}},
            "features": [{"type": "Feature", "properties": {},
                "geometry": {"type": "Polygon", "coordinates": [[
                    [X0, Y0], [X0 + 100.0, Y0], [X0 + 100.0, Y0 + 100.0], [X0, Y0 + 100.0], [X0, Y0]]]}}]})
        .to_string(),
    );
    let a = Dataset::open_assuming(&dxf, None, Some(tm3())).expect("dxf");
    let b = Dataset::open(&twin, None).expect("twin");
    let (ha, twin_ha) = (
        a.figures[0].measured.area_ha.expect("area"),
        b.figures[0].measured.area_ha.expect("area"),
    );
    assert!((ha - twin_ha).abs() < 1e-9, "{ha} {twin_ha}");
    // By hand: a hectare on the map is 1/k² hectares on the ground.
    let k = scale_at(X0 + 50.0);
    assert!((ha - 1.0 / (k * k)).abs() < 2e-5, "{ha} {}", 1.0 / (k * k));
    assert!((ha - 1.0).abs() < 2e-4, "{ha}");
    // Layer and text.
    let props = a.zones.doc.properties(0);
    let get = |k: &str| {
        props
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(get("layer"), Some(Value::from("LO DAT")));
    assert_eq!(get("label"), Some(Value::from("A-01")));
    assert_eq!(get("text"), Some(Value::from("A-01")));
    assert_eq!(a.zones.doc.crs.map(|c| c.epsg), Some(TM3));
}

#[test]
fn a_bulge_semicircle_is_within_five_centimetres() {
    let dir = tempfile::tempdir().expect("tempdir");
    let r = 50.0;
    let mut w = DxfWriter::new(&[]);
    // A 100 × 50 m rectangle with a half disc of radius 50 on its top side (bulge 1: the
    // arc from the top right corner to the top left, counter-clockwise, bulging up).
    w.lwpolyline(
        "0",
        &[
            (X0, Y0, 0.0),
            (X0 + 100.0, Y0, 0.0),
            (X0 + 100.0, Y0 + 50.0, 1.0),
            (X0, Y0 + 50.0, 0.0),
        ],
        true,
    );
    let dxf = write(dir.path(), "arc.dxf", &w.finish());
    let v = read(&dxf);
    let ring = &v["features"][0]["geometry"]["coordinates"][0];
    let area = ring_area(ring);
    let truth = 100.0 * 50.0 + std::f64::consts::PI * r * r / 2.0;
    let arc_length = std::f64::consts::PI * r;
    assert!(area > 0.0, "outer ring counter-clockwise");
    assert!(
        truth - area <= 0.05 * arc_length && area <= truth,
        "{area} vs {truth}"
    );
    // Every vertex above the rectangle is on the circle; the top of the arc is there.
    let pts: Vec<(f64, f64)> = ring
        .as_array()
        .expect("ring")
        .iter()
        .map(|p| (p[0].as_f64().expect("x"), p[1].as_f64().expect("y")))
        .collect();
    let (cx, cy) = (X0 + 50.0, Y0 + 50.0);
    for &(x, y) in pts.iter().filter(|p| p.1 > cy + 1e-6) {
        assert!(((x - cx).hypot(y - cy) - r).abs() < 1e-6);
    }
    assert!(
        pts.iter()
            .any(|&(x, y)| (x - cx).abs() < 1e-6 && (y - cy - r).abs() < 1e-6)
    );
    // Chords: each one's middle within 5 cm of the arc, and not needlessly many.
    let arc: Vec<&(f64, f64)> = pts.iter().filter(|p| p.1 >= cy - 1e-9).collect();
    for w in arc.windows(2) {
        let m = ((w[0].0 + w[1].0) / 2.0, (w[0].1 + w[1].1) / 2.0);
        if m.1 > cy + 1e-6 {
            assert!(r - (m.0 - cx).hypot(m.1 - cy) <= 0.05 + 1e-9);
        }
    }
    assert!(pts.len() < 200, "{} points", pts.len());
}

#[test]
fn a_hatch_with_an_inner_loop_is_a_polygon_with_a_hole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut w = DxfWriter::new(&[("$ACADVER", 1, "AC1027")]);
    w.hatch(
        "KCN",
        &[square(X0, Y0, 200.0)],
        &[square(X0 + 50.0, Y0 + 50.0, 50.0)],
    );
    w.text("KCN", X0 + 10.0, Y0 + 10.0, "KCN Quế Võ");
    // In the hole: not the zone's text.
    w.text("KCN", X0 + 75.0, Y0 + 75.0, "hồ nước");
    // Two closed polylines on one layer, one inside the other: a polygon with a hole; and an
    // open polyline and a line, skipped.
    w.polyline("RANH", &square(X0 + 1000.0, Y0, 300.0), true);
    w.polyline("RANH", &square(X0 + 1100.0, Y0 + 100.0, 100.0), true);
    w.lwpolyline("RANH", &[(X0, Y0, 0.0), (X0 + 5.0, Y0, 0.0)], false);
    w.line("RANH", (X0, Y0), (X0, Y0 + 5.0));
    let dxf = write(dir.path(), "kcn.dxf", &w.finish());
    let v = read(&dxf);
    let features = v["features"].as_array().expect("features");
    assert_eq!(features.len(), 2, "{v}");
    let hatch = &features[0]["geometry"];
    assert_eq!(hatch["type"], "Polygon");
    let rings = hatch["coordinates"].as_array().expect("rings");
    assert_eq!(rings.len(), 2);
    assert!((ring_area(&rings[0]) - 40_000.0).abs() < 1e-6);
    assert!(
        (ring_area(&rings[1]) + 2_500.0).abs() < 1e-6,
        "hole clockwise"
    );
    assert_eq!(features[0]["properties"]["label"], "KCN Quế Võ");
    assert_eq!(features[0]["properties"]["layer"], "KCN");
    let nested = &features[1]["geometry"]["coordinates"];
    assert_eq!(nested.as_array().map(Vec::len), Some(2));
    assert_eq!(v["dxf_skipped"]["open LWPOLYLINE"], 1);
    assert_eq!(v["dxf_skipped"]["LINE"], 1);

    let ds = Dataset::open_assuming(&dxf, None, Some(tm3())).expect("opens");
    let k = scale_at(X0 + 100.0);
    let ha = ds.figures[0].measured.area_ha.expect("area");
    assert!(((ha * k * k) - 3.75).abs() < 1e-4, "{ha}");
    let k = scale_at(X0 + 1150.0);
    let ha = ds.figures[1].measured.area_ha.expect("area");
    assert!(((ha * k * k) - 8.0).abs() < 1e-4, "{ha}");
}

#[test]
fn texts_are_decoded_from_the_code_page_and_mtext_is_plain() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut w = DxfWriter::new(&[("$ACADVER", 1, "AC1015"), ("$DWGCODEPAGE", 3, "ANSI_1258")]);
    w.lwpolyline(
        "LO",
        &square(X0, Y0, 100.0)
            .into_iter()
            .map(|(x, y)| (x, y, 0.0))
            .collect::<Vec<_>>(),
        true,
    );
    w.mtext(
        "LO",
        X0 + 20.0,
        Y0 + 20.0,
        r"{\fArial|b1;\H3.0;C\U+00D4NG TY}\PA%%d",
    );
    w.text("LO", X0 + 30.0, Y0 + 30.0, "@@1258@@");
    let mut bytes = w.finish().into_bytes();
    // "Lô Đất" in Windows-1258: ô F4, Đ D0, â E2 + combining acute EC.
    let at = bytes
        .windows(8)
        .position(|w| w == b"@@1258@@")
        .expect("placeholder");
    bytes.splice(at..at + 8, b"L\xF4 \xD0\xE2\xECt".iter().copied());
    let dxf = dir.path().join("cp.dxf");
    std::fs::write(&dxf, bytes).expect("write");
    let v = read(&dxf);
    let props = &v["features"][0]["properties"];
    assert_eq!(props["text"], "CÔNG TY A°; Lô Đất");
    assert!(props.get("label").is_none(), "two texts: no label");
    // NFC: "ấ" is one character.
    assert!(props["text"].as_str().expect("text").contains('\u{1EA5}'));
}

#[test]
fn without_a_system_a_dxf_is_refused_saying_what_to_give() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut w = DxfWriter::new(&[]);
    w.lwpolyline(
        "0",
        &square(X0, Y0, 10.0)
            .into_iter()
            .map(|(x, y)| (x, y, 0.0))
            .collect::<Vec<_>>(),
        true,
    );
    let dxf = write(dir.path(), "kcn.dxf", &w.finish());
    let e = source::open(&dxf).expect_err("no system");
    assert!(source::needs_system(&e));
    let o = common::Workdir { dir }.run(&["report", "kcn.dxf"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("kcn.dxf") && err.contains("--source-crs EPSG:"),
        "{err}"
    );

    // A drawing of lines only is refused, naming what it holds.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut w = DxfWriter::new(&[]);
    w.line("0", (0.0, 0.0), (1.0, 1.0));
    let lines = write(dir.path(), "lines.dxf", &w.finish());
    let e = Dxf::read_geojson(&lines, Some(tm3())).expect_err("no polygon");
    let said = zoneatlas::i18n::Message::message(&e, zoneatlas::i18n::Lang::En);
    assert!(
        said.contains("lines.dxf") && said.contains("1 LINE"),
        "{said}"
    );
    // Not a DXF: the line is named.
    let bad = write(dir.path(), "bad.dxf", "  0\nSECTION\nxx\nENTITIES\n");
    let e = Dxf::read_geojson(&bad, Some(tm3())).expect_err("not dxf");
    let said = zoneatlas::i18n::Message::message(&e, zoneatlas::i18n::Lang::En);
    assert!(
        said.contains("bad.dxf") && said.contains("line 3"),
        "{said}"
    );
}

/// The built-in sample's zones drawn in VN-2000 / TM-3 105°30′: single polygons as closed
/// LWPOLYLINEs, zones with holes or several parts as HATCHes, each zone's id as a TEXT inside.
fn sample_as_dxf(dir: &Path, insunits_mm: bool) -> std::path::PathBuf {
    let zones: Value =
        serde_json::from_slice(&std::fs::read("sample_zones/zones.geojson").expect("sample"))
            .expect("json");
    let crs = tm3();
    let header: Vec<(&str, i32, &str)> = if insunits_mm {
        vec![("$ACADVER", 1, "AC1032"), ("$INSUNITS", 70, "4")]
    } else {
        vec![("$ACADVER", 1, "AC1032")]
    };
    let mut w = DxfWriter::new(&header);
    let scale = if insunits_mm { 1000.0 } else { 1.0 };
    let project = |ring: &Value| -> Vec<(f64, f64)> {
        let mut pts: Vec<(f64, f64)> = ring
            .as_array()
            .expect("ring")
            .iter()
            .map(|p| {
                let (x, y) =
                    crs.from_wgs84(p[0].as_f64().expect("lon"), p[1].as_f64().expect("lat"));
                (x * scale, y * scale)
            })
            .collect();
        pts.pop();
        pts
    };
    for f in zones["features"].as_array().expect("features") {
        let g = &f["geometry"];
        let id = f["properties"]["zone_id"].as_str().unwrap_or("");
        let polygons: Vec<&Value> = match g["type"].as_str() {
            Some("Polygon") => vec![&g["coordinates"]],
            Some("MultiPolygon") => g["coordinates"].as_array().expect("parts").iter().collect(),
            _ => continue,
        };
        let rings: Vec<Vec<(f64, f64)>> = polygons
            .iter()
            .flat_map(|p| p.as_array().expect("rings").iter().map(project))
            .collect();
        if rings.len() == 1 {
            let vs: Vec<(f64, f64, f64)> = rings[0].iter().map(|&(x, y)| (x, y, 0.0)).collect();
            w.lwpolyline("KCN", &vs, true);
        } else {
            w.hatch("KCN", &rings, &[]);
        }
        // The id at a point inside the zone's first part.
        let first = polygons[0].as_array().expect("rings");
        let as_ls = |r: &Value| {
            let mut pts = project(r);
            pts.push(pts[0]);
            geo::LineString::from(pts)
        };
        let part = geo::Polygon::new(as_ls(&first[0]), first[1..].iter().map(as_ls).collect());
        let c = geo::InteriorPoint::interior_point(&part)
            .expect("inside")
            .x_y();
        w.text("SO HIEU", c.0, c.1, id);
    }
    write(dir, "kcn.dxf", &w.finish())
}

#[test]
fn the_sample_drawn_as_a_dxf_gives_the_published_totals() {
    let dir = tempfile::tempdir().expect("tempdir");
    let geojson = Dataset::open(Path::new("sample_zones/zones.geojson"), None).expect("sample");
    for mm in [false, true] {
        let dxf = sample_as_dxf(dir.path(), mm);
        let ds = Dataset::open_assuming(&dxf, None, Some(tm3())).expect("dxf");
        assert_eq!(ds.zones.len(), 16);
        let total: f64 = ds.figures.iter().filter_map(|f| f.measured.area_ha).sum();
        let published: f64 = geojson
            .figures
            .iter()
            .filter_map(|f| f.measured.area_ha)
            .sum();
        assert!((total - 6397.68).abs() < 0.01, "{total}");
        assert!((total - published).abs() < 0.01, "{total} {published}");
        // Each zone by the id written inside it.
        for (z, f) in ds.figures.iter().enumerate() {
            let props = ds.zones.doc.properties(z);
            let label = props
                .iter()
                .find(|(k, _)| k == "label")
                .and_then(|(_, v)| v.as_str().map(str::to_string))
                .expect("a label");
            let g = geojson
                .zones
                .items
                .iter()
                .position(|i| i.id == label)
                .expect("the zone");
            let (a, b) = (
                f.measured.area_ha.expect("area"),
                geojson.figures[g].measured.area_ha.expect("area"),
            );
            assert!((a - b).abs() < 1e-4, "{label}: {a} {b}");
        }
    }
}

#[test]
fn report_check_and_export_take_a_dxf_with_source_crs() {
    let dir = tempfile::tempdir().expect("tempdir");
    sample_as_dxf(dir.path(), false);
    let wd = common::Workdir { dir };
    let o = wd.run(&[
        "report",
        "kcn.dxf",
        "--format",
        "json",
        "--source-crs",
        "EPSG:9209",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    let total = v["totals"]["all"]["area_ha"].as_f64().expect("total");
    assert!((total - 6397.68).abs() < 0.01, "{total}");

    let o = wd.run(&["check", "kcn.dxf", "--source-crs", "EPSG:9209"]);
    assert!(
        o.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!String::from_utf8_lossy(&o.stdout).contains("projected_coordinates"));

    let o = wd.run(&[
        "export",
        "kcn.dxf",
        "--source-crs",
        "EPSG:9209",
        "--out-dir",
        "out",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out: Value = serde_json::from_str(&wd.read("out/zones.geojson")).expect("json");
    assert!(out.get("crs").is_none(), "RFC 7946: WGS84");
    let lon = out["features"][0]["geometry"]["coordinates"][0][0][0]
        .as_f64()
        .expect("lon");
    assert!((105.5..107.0).contains(&lon), "{lon}");
    assert_eq!(out["features"][0]["properties"]["layer"], "KCN");

    // apply: an edit on the DXF's zones, written as GeoJSON in the drawing's own system.
    std::fs::write(
        wd.path("edits.json"),
        r#"[{"op":"set","layer":"zones","at":1,"key":"name","value":"KCN Quế Võ"}]"#,
    )
    .expect("write");
    let o = wd.run(&[
        "apply",
        "kcn.dxf",
        "--source-crs",
        "EPSG:9209",
        "--edits",
        "edits.json",
        "--out-dir",
        "applied",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out: Value = serde_json::from_str(&wd.read("applied/zones.geojson")).expect("json");
    assert_eq!(out["features"][0]["properties"]["name"], "KCN Quế Võ");
    assert_eq!(
        out["crs"]["properties"]["name"],
        "urn:ogc:def:crs:EPSG::9209"
    );
    // The drawing is never written over: Save asks where to write GeoJSON.
    assert!(!Format::Dxf.saves_in_place());
}

/// In the window: a DXF asks for its system; Cancel leaves the window as it was; a province
/// (searched, then picked) or a typed EPSG code opens it with the sample's area; a GeoJSON in
/// metres without a `crs` member asks too.
#[test]
fn the_app_asks_which_system_a_dxf_is_in() {
    use egui_kittest::kittest::Queryable;
    use zoneatlas::app::ZoneAtlasApp;
    use zoneatlas::app::dialogs::TestDialogs;

    let dir = tempfile::tempdir().expect("tempdir");
    let dxf = sample_as_dxf(dir.path(), false);
    let app = ZoneAtlasApp::new(
        zoneatlas::app::sample_dataset(),
        Box::new(TestDialogs::new()),
    );
    let mut h = common::harness(app);
    let ctx = h.ctx.clone();
    let total = |h: &egui_kittest::Harness<'static, ZoneAtlasApp>| -> f64 {
        h.state()
            .session
            .ds
            .figures
            .iter()
            .filter_map(|f| f.measured.area_ha)
            .sum()
    };
    let open = |h: &mut egui_kittest::Harness<'static, ZoneAtlasApp>| {
        h.state_mut().open_files(&ctx, dxf.clone(), None);
        h.state_mut().wait_for_load();
        h.run();
        assert!(h.state().is_asking_for_system());
        assert!(h.query_by_label("Coordinate system of kcn.dxf").is_some());
    };
    let lots_before = h.state().session.ds.parcels.as_ref().map(|p| p.len());
    assert!(lots_before.is_some());

    // Cancel: the sample stays, with its lots.
    open(&mut h);
    h.get_by_label("Cancel").click();
    h.run();
    assert!(!h.state().is_asking_for_system());
    assert_eq!(
        h.state().session.ds.parcels.as_ref().map(|p| p.len()),
        lots_before
    );
    assert!(
        h.state().session.zones_path.is_none(),
        "still the built-in sample"
    );

    // A province, found by a search without diacritics.
    open(&mut h);
    common::type_only(&mut h, "Province or EPSG code", "bac ninh");
    assert!(
        h.query_by_label("Sơn La — VN-2000 / TM-3 104-00 (EPSG:9206)")
            .is_none()
    );
    h.get_by_label("Bắc Ninh — VN-2000 / TM-3 105-30 (EPSG:9209)")
        .click();
    h.run();
    h.get_by_label("Open in this system").click();
    h.run();
    h.state_mut().wait_for_load();
    common::settle(&mut h);
    assert!(!h.state().is_asking_for_system());
    assert_eq!(h.state().session.ds.zones.len(), 16);
    assert!((total(&h) - 6397.68).abs() < 0.01, "{}", total(&h));
    assert_eq!(
        h.state().session.ds.zones.doc.crs.map(|c| c.epsg),
        Some(TM3)
    );
    assert!(h.state().session.ds.parcels.is_none(), "files opened anew");

    // A code typed: one ZoneAtlas does not convert is said so, and cannot be opened.
    open(&mut h);
    common::type_only(&mut h, "Province or EPSG code", "EPSG:2154");
    assert!(
        h.query_by_label_contains("EPSG:2154 is not a system ZoneAtlas converts")
            .is_some()
    );
    common::type_only(&mut h, "Province or EPSG code", "9209");
    h.get_by_label("Open in this system").click();
    h.run();
    h.state_mut().wait_for_load();
    common::settle(&mut h);
    assert!((total(&h) - 6397.68).abs() < 0.01, "{}", total(&h));

    // A GeoJSON in VN-2000 / UTM 48N metres without a `crs` member asks too.
    let (x0, y0) = (585_000.0, 2_335_000.0);
    let bare = dir.path().join("bare.geojson");
    std::fs::write(
        &bare,
        serde_json::json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"zone_id": "T"},
             "geometry": {"type": "Polygon", "coordinates": [[[x0, y0], [x0 + 1000.0, y0],
                [x0 + 1000.0, y0 + 1000.0], [x0, y0 + 1000.0], [x0, y0]]]}}]})
        .to_string(),
    )
    .expect("write");
    h.state_mut().open_files(&ctx, bare.clone(), None);
    h.state_mut().wait_for_load();
    h.run();
    assert!(
        h.query_by_label("Coordinate system of bare.geojson")
            .is_some()
    );
    common::type_only(&mut h, "Province or EPSG code", "3405");
    h.get_by_label("Open in this system").click();
    h.run();
    h.state_mut().wait_for_load();
    common::settle(&mut h);
    let ha = total(&h);
    assert!((ha - 100.0 / 0.9996_f64.powi(2)).abs() < 0.05, "{ha}");
}

/// `$INSUNITS` saying millimetres in a drawing made in metres (AutoCAD's metric template) is
/// read as metres: scaled, the drawing would not be in Vietnam.
#[test]
fn millimetres_said_of_a_drawing_in_metres_are_metres() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut w = DxfWriter::new(&[("$ACADVER", 1, "AC1032"), ("$INSUNITS", 70, "4")]);
    let sq: Vec<(f64, f64, f64)> = square(X0, Y0, 100.0)
        .into_iter()
        .map(|(x, y)| (x, y, 0.0))
        .collect();
    w.lwpolyline("LO", &sq, true);
    let dxf = write(dir.path(), "m.dxf", &w.finish());
    let ds = Dataset::open_assuming(&dxf, None, Some(tm3())).expect("opens");
    let ha = ds.figures[0].measured.area_ha.expect("area");
    assert!((ha - 1.0).abs() < 2e-4, "{ha}");
}

/// Drawings written by another program (ezdxf; `tests/data/dxf/make_dxf_fixtures.py` says what
/// they hold): AutoCAD 2000 in Windows-1258 and AutoCAD 2018 in UTF-8 read the same, with the
/// areas worked out by hand.
#[test]
fn drawings_written_by_ezdxf_read_as_drawn() {
    use std::f64::consts::PI;
    for name in ["lots_r2000.dxf", "lots_r2018.dxf"] {
        let path = Path::new("tests/data/dxf").join(name);
        let v = read(&path);
        let f = v["features"].as_array().expect("features");
        assert_eq!(f.len(), 4, "{name}: {v}");
        let area = |k: usize| -> f64 {
            let g = &f[k]["geometry"]["coordinates"];
            g.as_array().expect("rings").iter().map(ring_area).sum()
        };
        // The square, with its text decoded and composed.
        assert!((area(0) - 10_000.0).abs() < 1e-6, "{name}");
        assert_eq!(f[0]["properties"]["label"], "Lô Đất A-01", "{name}");
        assert_eq!(f[0]["properties"]["layer"], "LO DAT");
        // The bulge: within 5 cm × the arc's length, from inside.
        let truth = 5_000.0 + PI * 2_500.0 / 2.0;
        assert!(
            area(1) <= truth && truth - area(1) <= 0.05 * PI * 50.0,
            "{name} {}",
            area(1)
        );
        // The hatch with a circular hole.
        let truth = 40_000.0 - PI * 400.0;
        assert!(
            area(2) >= truth && area(2) - truth <= 0.05 * 2.0 * PI * 20.0,
            "{name} {}",
            area(2)
        );
        assert_eq!(
            f[2]["geometry"]["coordinates"].as_array().map(Vec::len),
            Some(2)
        );
        assert_eq!(
            f[2]["properties"]["label"], "KCN Quế Võ (mở rộng)",
            "{name}"
        );
        // The edge path with a clockwise arc: the half disc outside the square, not bitten out.
        let truth = 10_000.0 + PI * 2_500.0 / 2.0;
        assert!(
            area(3) <= truth && truth - area(3) <= 0.05 * PI * 50.0,
            "{name} {}",
            area(3)
        );
        for kind in ["LINE", "CIRCLE", "POINT", "open LWPOLYLINE"] {
            assert_eq!(v["dxf_skipped"][kind], 1, "{name}: {kind}");
        }
    }
}

/// A drainage and power drawing (no closed outline at all) added as a reference layer: its
/// open polyline (with a bulged segment), line, arc, circle, point and block reference read as
/// lines and points where they were drawn — checked by converting them back to TM-3 — each
/// with its layer; as a zones file the same drawing is still refused for having no polygon.
#[test]
fn a_drawing_of_lines_reads_as_a_reference_layer_of_lines_and_points() {
    use zoneatlas::engine::reference;

    let dir = tempfile::tempdir().expect("tempdir");
    let mut w = DxfWriter::new(&[]);
    // A road: a straight stretch, a half circle (bulge 1) of radius 50 m, a straight stretch.
    w.lwpolyline(
        "DUONG",
        &[
            (X0, Y0, 0.0),
            (X0 + 100.0, Y0, 1.0),
            (X0 + 200.0, Y0, 0.0),
            (X0 + 300.0, Y0 + 50.0, 0.0),
        ],
        false,
    );
    w.line("CAP_DIEN", (X0, Y0 + 500.0), (X0 + 400.0, Y0 + 500.0));
    w.arc("THOAT_NUOC", (X0 + 1000.0, Y0), 50.0, 0.0, 90.0);
    w.circle("HO_GA", (X0 + 2000.0, Y0), 20.0);
    w.point("MOC", (X0 + 3000.0, Y0));
    w.insert("GIENG", "GIENG_KHOAN", (X0 + 4000.0, Y0));
    let path = write(dir.path(), "ha_tang.dxf", &w.finish());

    assert!(
        Dxf::read_geojson(&path, Some(tm3())).is_err(),
        "no polygon: not a zones file"
    );
    let crs = tm3();
    let doc = source::open_reference(&path, Some(crs)).expect("a reference layer");
    let data = reference::read(&doc);
    assert_eq!(data.features.len(), 6);
    let back = |c: &geo::Coord<f64>| crs.from_wgs84(c.x, c.y);
    let near = |p: (f64, f64), q: (f64, f64), tol: f64| (p.0 - q.0).hypot(p.1 - q.1) <= tol;
    let layer = |f: &reference::ReferenceFeature| {
        f.properties
            .iter()
            .find(|(k, _)| k == "layer")
            .map(|(_, v)| v.clone())
    };

    // The road: its ends where drawn, the bulged stretch on its circle, south of the chord
    // (a positive bulge turns counter-clockwise from its vertex), within 5 cm of the arc.
    let road = &data.features[0];
    assert_eq!(layer(road).as_deref(), Some("DUONG"));
    let pts: Vec<(f64, f64)> = road.lines[0].0.iter().map(back).collect();
    assert!(near(pts[0], (X0, Y0), 1e-3), "{:?}", pts[0]);
    assert!(near(pts[pts.len() - 1], (X0 + 300.0, Y0 + 50.0), 1e-3));
    let on_arc: Vec<&(f64, f64)> = pts
        .iter()
        .filter(|p| p.0 > X0 + 100.0 + 1e-3 && p.0 < X0 + 200.0 - 1e-3)
        .collect();
    assert!(on_arc.len() >= 10, "{} chords", on_arc.len());
    for p in &on_arc {
        let r = (p.0 - (X0 + 150.0)).hypot(p.1 - Y0);
        assert!((r - 50.0).abs() < 1e-3 && p.1 < Y0, "{p:?} at {r}");
    }
    let sweep_per_chord = std::f64::consts::PI / (on_arc.len() + 1) as f64;
    assert!(50.0 * (1.0 - (sweep_per_chord / 2.0).cos()) <= 0.05);

    // The cable: a line, end to end.
    let cable: Vec<(f64, f64)> = data.features[1].lines[0].0.iter().map(back).collect();
    assert_eq!(cable.len(), 2);
    assert!(
        near(cable[0], (X0, Y0 + 500.0), 1e-3) && near(cable[1], (X0 + 400.0, Y0 + 500.0), 1e-3)
    );

    // The drain: a quarter circle from east to north.
    let drain: Vec<(f64, f64)> = data.features[2].lines[0].0.iter().map(back).collect();
    assert!(near(drain[0], (X0 + 1050.0, Y0), 1e-3));
    assert!(near(drain[drain.len() - 1], (X0 + 1000.0, Y0 + 50.0), 1e-3));
    assert!(
        drain
            .iter()
            .all(|p| ((p.0 - (X0 + 1000.0)).hypot(p.1 - Y0) - 50.0).abs() < 1e-3)
    );

    // The manhole: a closed circle.
    let manhole: Vec<(f64, f64)> = data.features[3].lines[0].0.iter().map(back).collect();
    assert!(manhole.len() > 8);
    assert!(near(manhole[0], manhole[manhole.len() - 1], 1e-6));
    assert!(
        manhole
            .iter()
            .all(|p| ((p.0 - (X0 + 2000.0)).hypot(p.1 - Y0) - 20.0).abs() < 1e-3)
    );

    // The survey mark and the well: points, the well naming its block.
    assert!(near(
        back(&data.features[4].points[0]),
        (X0 + 3000.0, Y0),
        1e-3
    ));
    let well = &data.features[5];
    assert!(near(back(&well.points[0]), (X0 + 4000.0, Y0), 1e-3));
    assert!(
        well.properties
            .contains(&("block".to_string(), "GIENG_KHOAN".to_string()))
    );
    assert_eq!(layer(well).as_deref(), Some("GIENG"));
}

/// The system given to a DXF is remembered with the recent files (kept between runs): the
/// next time the drawing asks, in a new window, that system is offered first, and one click
/// opens it.
#[test]
fn the_system_given_to_a_drawing_is_offered_first_the_next_time() {
    use egui_kittest::kittest::Queryable;
    use zoneatlas::app::ZoneAtlasApp;
    use zoneatlas::app::dialogs::TestDialogs;
    use zoneatlas::app::files::recent::Recent;

    let dir = tempfile::tempdir().expect("tempdir");
    let dxf = sample_as_dxf(dir.path(), false);
    let window = |recent: Recent| {
        let mut app = ZoneAtlasApp::new(
            zoneatlas::app::empty_dataset(),
            Box::new(TestDialogs::new()),
        );
        app.recent = recent;
        common::harness(app)
    };
    let ask = |h: &mut egui_kittest::Harness<'static, ZoneAtlasApp>| {
        let ctx = h.ctx.clone();
        h.state_mut().open_files(&ctx, dxf.clone(), None);
        h.state_mut().wait_for_load();
        h.run();
        assert!(h.state().is_asking_for_system());
    };

    let mut h = window(Recent::default());
    ask(&mut h);
    assert_eq!(h.state().system_offered_first(), None, "never given one");
    common::type_only(&mut h, "Province or EPSG code", "9209");
    h.get_by_label("Open in this system").click();
    h.run();
    h.state_mut().wait_for_load();
    common::settle(&mut h);
    assert_eq!(h.state().session.ds.zones.len(), 16);

    // The next run: the recent files as stored and read back.
    let stored = serde_json::to_string(&h.state().recent).expect("stored");
    let recent: Recent = serde_json::from_str(&stored).expect("read back");
    let mut h = window(recent);
    ask(&mut h);
    assert_eq!(h.state().system_offered_first(), Some(TM3));
    h.get_by_label("Open in this system").click();
    h.run();
    h.state_mut().wait_for_load();
    common::settle(&mut h);
    assert!(!h.state().is_asking_for_system());
    assert_eq!(
        h.state().session.ds.zones.doc.crs.map(|c| c.epsg),
        Some(TM3)
    );
    // An older stored list, without systems, still reads.
    let old: Recent = serde_json::from_str(r#"{"entries":[["z.geojson",null]]}"#).expect("old");
    assert!(old.systems.is_empty());
}
