//! The corpus of difficult files (`tests/data/corpus/`, listed in its README): for each, exactly
//! what happens. A file either loads — with its findings (code and feature position) asserted and
//! its figures checked against independent values — or is refused with one message naming the
//! file and the place. Nothing panics, and whatever loads comes back out of export byte for
//! byte (the export promises that for unedited files).

mod common;

use common::quadrangle_ha;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use zoneatlas::engine::dataset::Dataset;
use zoneatlas::engine::export::{ExportCrs, export_dir, render};
use zoneatlas::engine::geojson::Document;
use zoneatlas::i18n::{Lang, Message};

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/corpus")
        .join(name)
}

/// Loads a corpus file as the zones layer, checks that export gives it back unchanged (through
/// the engine and through the `export` command), and returns it.
fn load(name: &str) -> Dataset {
    let path = corpus(name);
    let ds = Dataset::open(&path, None).unwrap_or_else(|e| panic!("{name} loads: {e:?}"));
    let original = std::fs::read(&path).expect("read");
    assert_eq!(
        render(&ds.zones.doc, |_| Vec::new()).as_bytes(),
        &original[..],
        "{name}: export without edits is the file byte for byte"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    export_dir(&ds, dir.path(), false, ExportCrs::Wgs84).expect("export");
    assert_eq!(
        std::fs::read(dir.path().join("zones.geojson")).expect("exported"),
        original,
        "{name}: export_dir writes the file unchanged"
    );
    ds
}

/// The findings as (code, feature position from 1), leaving out `no_denominator`, which every
/// zone without planning attributes has, and `zones_overlap`, which the corpus's features have
/// because they reuse a few squares (the RFC's examples all sit on 100–101° E, 0–1° N); both
/// are tested on purpose-made files (tests/cli.rs).
fn findings(ds: &Dataset) -> Vec<(String, usize)> {
    ds.findings(zoneatlas::engine::as_of::AsOf::Today(
        zoneatlas::clock::today(),
    ))
    .into_iter()
    .filter(|f| !matches!(f.code().as_str(), "no_denominator" | "zones_overlap"))
    .map(|f| (f.code().as_str().to_string(), f.feature))
    .collect()
}

fn pairs(list: &[(&str, usize)]) -> Vec<(String, usize)> {
    list.iter().map(|(c, f)| (c.to_string(), *f)).collect()
}

/// The message of the finding with this code on this feature.
fn message(ds: &Dataset, code: &str, feature: usize) -> String {
    ds.findings(zoneatlas::engine::as_of::AsOf::Today(
        zoneatlas::clock::today(),
    ))
    .into_iter()
    .find(|f| f.code().as_str() == code && f.feature == feature)
    .map(|f| f.message(Lang::En))
    .unwrap_or_else(|| panic!("no {code} on #{feature}"))
}

/// The one-line refusal of a file.
fn refused(name: &str) -> String {
    let e = Dataset::open(&corpus(name), None).expect_err("refused");
    e.message(Lang::En)
}

// `quadrangle_ha` (tests/common): a polygon's edges are geodesics, not parallels; for the 1°
// squares of RFC 7946 the two differ by 2.6e-5 of the area, hence the tolerance of
// [`assert_close`].

fn area(ds: &Dataset, z: usize) -> Option<f64> {
    ds.figures[z].measured.area_ha
}

fn assert_close(got: Option<f64>, want: f64, what: &str) {
    let got = got.unwrap_or_else(|| panic!("{what}: no area"));
    assert!(
        (got - want).abs() < 5e-5 * want.max(1.0),
        "{what}: {got} ha, expected {want} ha"
    );
}

#[test]
fn rfc7946_section_1_5_example() {
    let ds = load("rfc7946-1.5-example.geojson");
    assert_eq!(ds.zones.len(), 3);
    assert_eq!(findings(&ds), pairs(&[("not_areal", 1), ("not_areal", 2)]));
    assert_eq!(
        message(&ds, "not_areal", 1),
        "has a Point geometry; only Polygon and MultiPolygon have an area; left out of the figures, kept in the file"
    );
    assert_close(
        area(&ds, 2),
        quadrangle_ha(100.0, 0.0, 101.0, 1.0),
        "the polygon",
    );
    assert_eq!(area(&ds, 0), None);
}

#[test]
fn rfc7946_appendix_a_bbox_and_foreign_members() {
    let ds = load("rfc7946-appendix-a.geojson");
    assert_eq!(ds.zones.len(), 12);
    // Points and lines have no area; the bbox across the antimeridian (§5.2) is right, and so
    // is the collection's; §7's foreign members are only carried.
    assert_eq!(
        findings(&ds),
        pairs(&[
            ("not_areal", 1),
            ("not_areal", 2),
            ("not_areal", 5),
            ("not_areal", 6),
            ("not_areal", 8),
            ("not_areal", 12),
        ])
    );
    let square = quadrangle_ha(100.0, 0.0, 101.0, 1.0);
    let hole = quadrangle_ha(100.2, 0.2, 100.8, 0.8);
    assert_close(area(&ds, 2), square, "A.3 without holes");
    assert_close(area(&ds, 3), square - hole, "A.3 with a hole");
    assert_close(
        area(&ds, 6),
        quadrangle_ha(102.0, 2.0, 103.0, 3.0) + square - hole,
        "A.6 MultiPolygon",
    );
    // Boxes of 3° and 2° by 4°: their geodesic edges bow out from the parallels by 1.3e-4 of
    // the area.
    let cut =
        quadrangle_ha(177.0, -20.0, 180.0, -16.0) + quadrangle_ha(-180.0, -20.0, -178.0, -16.0);
    let got = area(&ds, 10).expect("§5.2 measured");
    assert!(
        (got - cut).abs() < 2e-4 * cut,
        "§5.2: a MultiPolygon cut at the antimeridian: {got} vs {cut}"
    );
    assert_eq!(ds.zones.items[8].id, "f1");
}

#[test]
fn null_and_missing_geometries_and_properties() {
    let ds = load("null-and-missing-geometry.geojson");
    assert_eq!(ds.zones.len(), 6);
    assert_eq!(
        findings(&ds),
        pairs(&[
            ("missing_geometry", 1),
            ("missing_geometry", 2),
            ("missing_geometry", 5),
            ("missing_geometry", 6),
        ])
    );
    // Without properties (absent or null) a feature still counts: by its id, or its position.
    assert_eq!(ds.zones.items[2].id, "no-properties-member");
    assert_eq!(ds.zones.items[3].id, "#4");
    assert_close(
        area(&ds, 2),
        quadrangle_ha(106.0, 21.0, 106.01, 21.01),
        "no properties",
    );
    assert_close(
        area(&ds, 3),
        quadrangle_ha(106.1, 21.0, 106.11, 21.01),
        "null properties",
    );
}

#[test]
fn an_empty_collection_loads_with_nothing_to_say() {
    let ds = load("empty-collection.geojson");
    assert_eq!(ds.zones.len(), 0);
    assert!(
        ds.findings(zoneatlas::engine::as_of::AsOf::Today(
            zoneatlas::clock::today()
        ))
        .is_empty()
    );
    assert_eq!(ds.totals_all().zones, 0);
    assert_eq!(ds.totals_all().fill_rate_pct, None);
}

#[test]
fn empty_geometries_are_invalid() {
    let ds = load("empty-geometries.geojson");
    assert_eq!(
        findings(&ds),
        pairs(&[
            ("invalid_geometry", 1),
            ("invalid_geometry", 2),
            ("invalid_geometry", 3),
            ("invalid_geometry", 4),
        ])
    );
    assert!(message(&ds, "invalid_geometry", 1).contains("no coordinates (empty geometry)"));
    assert!(message(&ds, "invalid_geometry", 4).contains("exterior ring has 0 positions"));
}

#[test]
fn geometry_collections_count_their_areal_members() {
    let ds = load("geometry-collections.geojson");
    assert_eq!(
        findings(&ds),
        pairs(&[
            ("not_areal", 3),
            ("invalid_geometry", 4),
            ("invalid_geometry", 5)
        ])
    );
    let cell = |lon: f64| quadrangle_ha(lon, 21.0, lon + 0.01, 21.01);
    assert_close(area(&ds, 0), cell(106.0), "a polygon beside a point");
    assert_close(
        area(&ds, 1),
        cell(106.1) + cell(106.12),
        "nested three deep",
    );
    // One bad member spoils the feature: half a zone would be a wrong figure.
    assert!(message(&ds, "invalid_geometry", 4).contains("not closed"));
    assert!(message(&ds, "invalid_geometry", 5).contains("integer `42`"));
}

#[test]
fn foreign_members_at_every_level_are_carried() {
    let ds = load("foreign-members.geojson");
    assert_eq!(findings(&ds), pairs(&[]));
    assert_eq!(ds.zones.items[0].industrial_land_ha, Some(120.5));
    assert_close(
        area(&ds, 0),
        quadrangle_ha(106.0, 21.0, 106.02, 21.02),
        "4-D positions",
    );
    // An edit changes that one value; every foreign member stays.
    let mut ds = ds;
    ds.set_zone_property(0, "industrial_land_ha", Some(Value::from("130")));
    let out: Value =
        serde_json::from_str(&render(&ds.zones.doc, |_| Vec::new())).expect("valid JSON");
    let mut want: Value = serde_json::from_str(
        &std::fs::read_to_string(corpus("foreign-members.geojson")).expect("read"),
    )
    .expect("json");
    want["features"][0]["properties"]["industrial_land_ha"] = Value::from("130");
    assert_eq!(out, want);
}

#[test]
fn ids_numeric_string_null_duplicate() {
    let ds = load("ids.geojson");
    let ids: Vec<&str> = ds.zones.items.iter().map(|z| z.id.as_str()).collect();
    // Numbers as written (1.50, not 1.5); null is no id; zone_id beats the feature id; an id
    // that is an object (RFC 7946 allows only strings and numbers) is shown as its JSON.
    assert_eq!(
        ids,
        [
            "7",
            "KCN-01",
            "#3",
            "KCN-01",
            "7",
            "7",
            "1.50",
            "Z9",
            "Z9",
            r#"{"odd":true}"#
        ]
    );
    let dups: Vec<(usize, Option<usize>)> = ds
        .findings(zoneatlas::engine::as_of::AsOf::Today(
            zoneatlas::clock::today(),
        ))
        .into_iter()
        .filter(|f| f.code().as_str() == "duplicate_id")
        .map(|f| (f.feature, f.other()))
        .collect();
    // 7 and "7" are the same id to a board (they read alike in every table).
    assert_eq!(
        dups,
        [(4, Some(2)), (5, Some(1)), (6, Some(1)), (9, Some(8))]
    );
}

#[test]
fn bbox_members_right_and_wrong() {
    let ds = load("bbox.geojson");
    assert_eq!(
        findings(&ds),
        pairs(&[
            ("missing_geometry", 7),
            ("wrong_bbox", 2),
            ("wrong_bbox", 3),
            ("wrong_bbox", 5),
            ("wrong_bbox", 6),
            ("wrong_bbox", 1),
        ])
    );
    let wrong: Vec<String> = ds
        .findings(zoneatlas::engine::as_of::AsOf::Today(
            zoneatlas::clock::today(),
        ))
        .into_iter()
        .filter(|f| f.code().as_str() == "wrong_bbox")
        .map(|f| f.message(Lang::En))
        .collect();
    assert_eq!(
        wrong,
        [
            "bbox [106.02, 21.0, 106.025, 21.01] does not contain the geometry, which spans [106.02, 21, 106.03, 21.01]; other tools may not find the feature where it is",
            "geometry bbox [21.0, 106.04, 21.01, 106.05] does not contain the geometry, which spans [106.04, 21, 106.05, 21.01]; other tools may not find the feature where it is",
            "bbox has 3 numbers; it needs 4 (or 6 with heights); it is kept as it is",
            "bbox [\"106.0\", \"21.0\", \"106.01\", \"21.01\"] is not an array of numbers; it is kept as it is",
            "the collection's bbox [106.0, 21.0, 106.04, 21.01] does not contain all its features, which span [106, 21, 106.05, 21.01]",
        ]
    );
    // A wrong bbox changes no figure: the coordinates are measured.
    assert_close(
        area(&ds, 1),
        quadrangle_ha(106.02, 21.0, 106.03, 21.01),
        "B2",
    );
}

#[test]
fn three_and_four_dimensional_positions() {
    let ds = load("positions-3d-4d.geojson");
    assert_eq!(findings(&ds), pairs(&[("invalid_geometry", 5)]));
    assert_eq!(
        message(&ds, "invalid_geometry", 5),
        "has invalid geometry: Polygon coordinates: invalid length 1, expected a position [longitude, latitude] of numbers; left out of the figures, kept in the file"
    );
    for (z, lat) in [(0, 21.0), (1, 21.1), (2, 21.2), (3, 21.3)] {
        assert_close(
            area(&ds, z),
            quadrangle_ha(106.0, lat, 106.01, lat + 0.01),
            "heights play no part",
        );
    }
}

#[test]
fn winding_order_does_not_matter() {
    let ds = load("winding.geojson");
    assert_eq!(findings(&ds), pairs(&[]));
    for (z, lat) in [(0, 21.0), (1, 21.1), (2, 21.2)] {
        let want = quadrangle_ha(106.0, lat, 106.02, lat + 0.02)
            - quadrangle_ha(106.005, lat + 0.005, 106.015, lat + 0.015);
        assert_close(area(&ds, z), want, "holes subtract whatever their winding");
    }
}

#[test]
fn self_intersecting_rings_are_found_and_left_out() {
    let ds = load("self-intersections.geojson");
    assert_eq!(
        findings(&ds),
        pairs(&[
            ("self_intersection", 1),
            ("self_intersection", 2),
            ("self_intersection", 3),
            ("self_intersection", 4),
            ("self_intersection", 5),
        ])
    );
    assert_eq!(
        message(&ds, "self_intersection", 1),
        "has a self-intersecting exterior ring: its edges cross or touch near (106.005000, 21.005000), so its area is not defined; left out of the figures, kept in the file"
    );
    // The lobes of a bow-tie of 3 by 1 and 3 by 2 cells cross at (106.12, 21.00667).
    assert!(
        message(&ds, "self_intersection", 2).contains("near (106.120000, 21.006667)"),
        "{}",
        message(&ds, "self_intersection", 2)
    );
    assert!(message(&ds, "self_intersection", 5).contains("self-intersecting hole"));
    for z in 0..5 {
        assert_eq!(area(&ds, z), None, "#{} has no area", z + 1);
    }
    let f = ds.findings(zoneatlas::engine::as_of::AsOf::Today(
        zoneatlas::clock::today(),
    ));
    let e = f
        .iter()
        .find(|f| f.code().as_str() == "self_intersection")
        .expect("one");
    assert_eq!(e.severity().code(), "error");
    assert!(
        e.message(Lang::Vi).contains("tự cắt"),
        "{}",
        e.message(Lang::Vi)
    );
    // An L-shape with a repeated vertex is fine.
    let l_shape =
        quadrangle_ha(106.5, 21.0, 106.52, 21.01) + quadrangle_ha(106.5, 21.01, 106.51, 21.02);
    assert_close(area(&ds, 5), l_shape, "S-ok");
}

#[test]
fn unclosed_and_too_short_rings() {
    let ds = load("bad-rings.geojson");
    assert_eq!(
        findings(&ds),
        pairs(&[
            ("invalid_geometry", 1),
            ("invalid_geometry", 2),
            ("invalid_geometry", 3),
            ("invalid_geometry", 4),
            ("invalid_geometry", 5),
            ("invalid_geometry", 6),
        ])
    );
    let said: Vec<String> = (1..=6)
        .map(|k| message(&ds, "invalid_geometry", k))
        .collect();
    let expect = [
        "exterior ring is not closed (its first and last positions differ)",
        "exterior ring has 3 positions; a closed ring needs at least 4",
        "exterior ring has 1 positions; a closed ring needs at least 4",
        "exterior ring has no area (all positions on a line)",
        "hole is not closed (its first and last positions differ)",
        "exterior ring is not closed (its first and last positions differ)",
    ];
    for (m, e) in said.iter().zip(expect) {
        assert_eq!(
            m,
            &format!("has invalid geometry: {e}; left out of the figures, kept in the file")
        );
    }
    assert_close(
        area(&ds, 6),
        quadrangle_ha(106.2, 21.0, 106.21, 21.01),
        "R-ok",
    );
}

#[test]
fn rings_across_the_antimeridian_are_flagged_and_left_out() {
    let ds = load("antimeridian.geojson");
    assert_eq!(findings(&ds), pairs(&[("crosses_antimeridian", 1)]));
    assert_eq!(
        message(&ds, "crosses_antimeridian", 1),
        "has a ring that crosses the antimeridian (an edge from longitude 179.99 to -179.99); RFC 7946 asks for such geometry to be cut in two, and no zone in Vietnam lies there; left out of the figures, kept in the file"
    );
    assert_eq!(area(&ds, 0), None);
    // Cut as RFC 7946 §3.1.9 asks, the same ground is measured.
    assert_close(
        area(&ds, 1),
        quadrangle_ha(179.99, -16.0, 180.0, -15.99) + quadrangle_ha(-180.0, -16.0, -179.99, -15.99),
        "AM-split",
    );
    assert_eq!(
        ds.totals_all().area_ha,
        area(&ds, 1).unwrap_or(0.0) + area(&ds, 2).unwrap_or(0.0)
    );
}

#[test]
fn coordinates_written_as_strings_are_invalid() {
    let ds = load("string-coordinates.geojson");
    assert_eq!(
        findings(&ds),
        pairs(&[
            ("invalid_geometry", 1),
            ("invalid_geometry", 2),
            ("invalid_geometry", 3),
            ("invalid_geometry", 4),
            ("area_differs_from_plan", 5),
        ])
    );
    assert_eq!(
        message(&ds, "invalid_geometry", 1),
        "has invalid geometry: Polygon coordinates: invalid type: string \"106.0\", expected f64; left out of the figures, kept in the file"
    );
    assert!(message(&ds, "invalid_geometry", 3).contains("invalid type: null"));
    // Property numbers as strings, in either convention, are read.
    assert_eq!(ds.zones.items[4].industrial_land_ha, Some(1.5));
    assert_eq!(ds.zones.items[4].planned_area_ha, Some(1234.5));
}

#[test]
fn type_names_in_any_letter_case() {
    let ds = load("type-names.geojson");
    assert_eq!(
        findings(&ds),
        pairs(&[
            ("not_areal", 4),
            ("invalid_geometry", 6),
            ("invalid_geometry", 7)
        ])
    );
    let cell = |lon: f64| quadrangle_ha(lon, 21.0, lon + 0.01, 21.01);
    assert_close(area(&ds, 0), cell(106.0), "\"polygon\"");
    assert_close(area(&ds, 1), cell(106.1), "\"MULTIPOLYGON\"");
    assert_close(area(&ds, 2), cell(106.2), "\"geometrycollection\"");
    assert_close(area(&ds, 4), cell(106.4), "a \"feature\"");
    assert_eq!(
        message(&ds, "invalid_geometry", 6),
        "has invalid geometry: unknown geometry type \"Polgon\"; left out of the figures, kept in the file"
    );
    assert!(message(&ds, "invalid_geometry", 7).contains("missing field `type`"));
}

#[test]
fn a_byte_order_mark_is_read_and_kept() {
    let ds = load("bom.geojson");
    assert!(ds.zones.doc.text.starts_with('\u{feff}'));
    assert_eq!(ds.zones.items[0].name, "KCN Yên Phong");
    assert_eq!(findings(&ds), pairs(&[]));
}

/// Found by the fuzzer: an edit to a feature with no members at all (`{ }`) added a
/// `properties` member followed by a comma, and the export was not JSON.
#[test]
fn an_edit_to_an_empty_feature_exports_json() {
    let mut ds = load("fuzz-empty-feature.geojson");
    assert_eq!(findings(&ds), pairs(&[("missing_geometry", 1)]));
    ds.set_zone_property(0, "industrial_land_ha", Some(Value::from("12,5")));
    assert_eq!(ds.zones.items[0].industrial_land_ha, Some(12.5));
    let out = render(&ds.zones.doc, |_| Vec::new());
    let got: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(
        got,
        serde_json::json!({"type": "FeatureCollection",
            "features": [{"properties": {"industrial_land_ha": "12,5"}}]})
    );
    // The same for `{}` and a single Feature; a feature with members keeps its comma.
    for (src, want) in [
        (
            r#"{"type":"FeatureCollection","features":[{}]}"#,
            r#"{"type":"FeatureCollection","features":[{"properties":{"a": 1}}]}"#,
        ),
        (
            r#"{"type":"Feature"}"#,
            r#"{"properties":{"a": 1},"type":"Feature"}"#,
        ),
    ] {
        let mut doc =
            Document::parse(Path::new("t.geojson"), src.as_bytes().to_vec()).expect("parses");
        doc.set_property(0, "a", Value::from(1));
        assert_eq!(render(&doc, |_| Vec::new()), want);
    }
}

#[test]
fn files_that_are_refused_say_which_and_where() {
    assert_eq!(
        refused("features-object.geojson"),
        format!(
            "{}:2:14: \"features\" must be an array of Feature objects, found an object",
            corpus("features-object.geojson").display()
        )
    );
    assert_eq!(
        refused("not-json.geojson"),
        format!(
            "{}:1:1: not valid JSON: expected value",
            corpus("not-json.geojson").display()
        )
    );
    assert_eq!(
        refused("truncated.geojson"),
        format!(
            "{}:3:49: not valid JSON: EOF while parsing an object",
            corpus("truncated.geojson").display()
        )
    );
    assert_eq!(
        refused("bare-geometry.geojson"),
        format!(
            "{}: a bare Polygon geometry; ZoneAtlas needs a FeatureCollection (or Feature) so that each zone or parcel has properties",
            corpus("bare-geometry.geojson").display()
        )
    );
    // The command line says the same in one line and exits with 2.
    for name in [
        "features-object.geojson",
        "not-json.geojson",
        "truncated.geojson",
        "bare-geometry.geojson",
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_zoneatlas"))
            .current_dir(corpus(""))
            .args(["check", name])
            .output()
            .expect("runs");
        assert_eq!(o.status.code(), Some(2), "{name}");
        let err = String::from_utf8(o.stderr).expect("utf-8");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with(&format!("zoneatlas: {name}")), "{err}");
    }
}

#[test]
fn the_export_command_gives_every_loading_file_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut names: Vec<String> = std::fs::read_dir(corpus(""))
        .expect("corpus")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".geojson"))
        .collect();
    names.sort();
    let mut exported = 0;
    for name in &names {
        let out = dir.path().join(name);
        let o = Command::new(env!("CARGO_BIN_EXE_zoneatlas"))
            .arg("export")
            .arg(corpus(name))
            .arg("--out-dir")
            .arg(&out)
            .output()
            .expect("runs");
        if Document::open(&corpus(name)).is_err() {
            assert_eq!(o.status.code(), Some(2), "{name} is refused");
            continue;
        }
        assert_eq!(o.status.code(), Some(0), "{name}: {:?}", o.stderr);
        let before = std::fs::read_to_string(corpus(name)).expect("read");
        let after = std::fs::read_to_string(out.join("zones.geojson")).expect("exported");
        let value = |s: &str| -> Value {
            serde_json::from_str(s.trim_start_matches('\u{feff}')).expect("JSON")
        };
        assert_eq!(value(&after), value(&before), "{name}");
        assert_eq!(after, before, "{name}: byte for byte");
        exported += 1;
    }
    assert_eq!(exported, 18, "{names:?}");
}

/// A parcels file of about 100 MB, generated here (never committed): it loads, its figures
/// are right, and it is written back byte for byte.
#[test]
fn a_file_of_100_mb() {
    let dir = tempfile::tempdir().expect("tempdir");
    // 10 by 10 zones of 0.05° by 0.02°, each with 25 by 10 cells of 0.002° square, each cell
    // with a lot of 0.0018° in its middle (lots on a zone's edge would stick out of it by the
    // sag of the zone's longer edge).
    let (cols, rows) = (250usize, 100usize);
    let cell = 0.002;
    let mut zones = String::from(r#"{"type":"FeatureCollection","features":["#);
    for zr in 0..10 {
        for zc in 0..10 {
            let (x, y) = (106.0 + 0.05 * zc as f64, 21.0 + 0.02 * zr as f64);
            if zr + zc > 0 {
                zones.push(',');
            }
            zones.push_str(&format!(
                r#"{{"type":"Feature","properties":{{"zone_id":"Z{zc}-{zr}","industrial_land_ha":1000}},"geometry":{{"type":"Polygon","coordinates":[[[{x:.3},{y:.3}],[{x1:.3},{y:.3}],[{x1:.3},{y1:.3}],[{x:.3},{y1:.3}],[{x:.3},{y:.3}]]]}}}}"#,
                x1 = x + 0.05,
                y1 = y + 0.02
            ));
        }
    }
    zones.push_str("]}");
    let zones_path = dir.path().join("zones.geojson");
    std::fs::write(&zones_path, zones).expect("write");

    let mut text = String::with_capacity(101 << 20);
    text.push_str("{\"type\": \"FeatureCollection\", \"features\": [\n");
    // Long notes make a large file of a number of lots a debug build measures in seconds.
    let notes = "Lô đất công nghiệp trong KCN, hạ tầng đã hoàn thiện; ".repeat(80);
    let (mut leased, mut leased_ha) = (0, 0.0);
    let mut k = 0;
    while text.len() < 100 << 20 {
        let (c, r) = (k % cols, k / cols);
        let (x, y) = (106.0001 + cell * c as f64, 21.0001 + cell * r as f64);
        let (x1, y1) = (x + 0.0018, y + 0.0018);
        let status = if k % 3 == 0 { "vacant" } else { "leased" };
        if status == "leased" {
            leased += 1;
            leased_ha += quadrangle_ha(x, y, x1, y1);
        }
        if k > 0 {
            text.push_str(",\n");
        }
        text.push_str(&format!(
            r#"{{"type": "Feature", "id": {k}, "properties": {{"parcel_id": "L{k}", "zone_id": "Z{}-{}", "status": "{status}", "notes": "{notes}"}}, "geometry": {{"type": "Polygon", "coordinates": [[[{x:.4}, {y:.4}], [{x1:.4}, {y:.4}], [{x1:.4}, {y1:.4}], [{x:.4}, {y1:.4}], [{x:.4}, {y:.4}]]]}}}}"#,
            c / 25,
            r / 10,
        ));
        k += 1;
    }
    text.push_str("\n]}\n");
    assert!(k < cols * rows, "each lot is new ground ({k} lots)");
    let parcels_path = dir.path().join("parcels.geojson");
    std::fs::write(&parcels_path, &text).expect("write");

    let started = std::time::Instant::now();
    let ds = Dataset::open(&zones_path, Some(&parcels_path)).expect("loads");
    let took = started.elapsed();
    let parcels = ds.parcels.as_ref().expect("parcels");
    assert_eq!(parcels.len(), k);
    let t = ds.totals_all();
    assert_eq!(
        ds.findings(zoneatlas::engine::as_of::AsOf::Today(
            zoneatlas::clock::today()
        )),
        [],
        "every lot lies inside its zone"
    );
    assert_eq!(t.parcels_leased, leased);
    assert_eq!(t.parcels_vacant, k - leased);
    assert!(
        (t.leased_ha - leased_ha).abs() < 1e-6 * leased_ha,
        "{} vs {leased_ha}",
        t.leased_ha
    );
    assert!(
        render(&parcels.doc, |_| Vec::new()) == text,
        "written back byte for byte"
    );
    eprintln!("{k} lots, {} MB, loaded in {took:?}", text.len() >> 20);
}
