//! `zoneatlas apply` as a board's scripts use it: the edits made, every other feature written
//! byte for byte, the figures those of the edited files, and a script that cannot apply writes
//! nothing and names the operation.

mod common;

use common::Workdir;
use serde_json::{Value, json};
use std::process::Output;

const SAMPLE_ZONES: &str = include_str!("../sample_zones/zones.geojson");
const SAMPLE_PARCELS: &str = include_str!("../sample_zones/parcels.geojson");

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn sample() -> Workdir {
    Workdir::new(&[
        ("zones.geojson", SAMPLE_ZONES),
        ("parcels.geojson", SAMPLE_PARCELS),
    ])
}

/// A lot of the sample, as the file writes it (one feature per line).
fn line_of(id: &str) -> usize {
    SAMPLE_PARCELS
        .lines()
        .position(|l| l.contains(&format!("\"parcel_id\":\"{id}\"")))
        .expect("a lot of the sample")
}

fn new_lot() -> Value {
    json!({"type": "Feature",
        "properties": {"parcel_id": "NEW-1", "zone_id": "BN-QV1", "status": "leased", "land_use": "industrial"},
        "geometry": {"type": "Polygon", "coordinates": [[[106.1400, 21.1300], [106.1410, 21.1300],
            [106.1410, 21.1310], [106.1400, 21.1310], [106.1400, 21.1300]]]}})
}

#[test]
fn apply_makes_the_edits_and_writes_every_other_feature_byte_for_byte() {
    let w = sample();
    let script = json!([
        {"op": "set", "layer": "parcels", "id": "QV1-B01-01", "key": "status", "value": "vacant"},
        {"op": "delete", "layer": "parcels", "id": "QV1-B01-04"},
        {"op": "insert", "layer": "parcels", "feature": new_lot()},
        // A later step sees the earlier ones: the lot just inserted.
        {"op": "set", "layer": "parcels", "id": "NEW-1", "key": "tenant", "value": "Công ty Mới"},
        {"op": "unset", "layer": "parcels", "id": "QV1-B01-05", "key": "industry"},
    ]);
    let o = apply(&w, script, "out");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(w.read("out/zones.geojson"), SAMPLE_ZONES, "zones untouched");
    let written = w.read("out/parcels.geojson");

    // Every line but the edited lots' is the file's; the deleted lot's is gone; the new lot
    // follows the last.
    let edited = [line_of("QV1-B01-01"), line_of("QV1-B01-05")];
    let deleted = line_of("QV1-B01-04");
    let want: Vec<&str> = SAMPLE_PARCELS
        .lines()
        .enumerate()
        .filter(|(k, _)| *k != deleted)
        .map(|(_, l)| l)
        .collect();
    let got: Vec<&str> = written.lines().collect();
    assert_eq!(got.len(), want.len() + 1);
    let mut inserted = 0;
    let mut g = 0;
    for (k, line) in want.iter().enumerate() {
        let original_k = if k >= deleted { k + 1 } else { k };
        if got[g].contains("NEW-1") {
            inserted += 1;
            g += 1;
        }
        if edited.contains(&original_k) {
            assert_ne!(got[g], *line);
        } else if !line.starts_with(']') {
            // The last lot before the new one gains the separator, as the file writes it.
            assert!(
                got[g] == *line || got[g].starts_with(line.trim_end_matches(',')),
                "line {k} changed:\n{}\n{}",
                got[g],
                line
            );
        }
        g += 1;
    }
    assert!(inserted <= 1);

    // Independently: the same edits made to the JSON with serde, then reported, give the
    // same table.
    let mut expect: Value = serde_json::from_str(SAMPLE_PARCELS).expect("json");
    let features = expect["features"].as_array_mut().expect("features");
    let find = |fs: &Vec<Value>, id: &str| {
        fs.iter()
            .position(|f| f["properties"]["parcel_id"] == id)
            .expect("lot")
    };
    let a = find(features, "QV1-B01-01");
    features[a]["properties"]["status"] = json!("vacant");
    let b = find(features, "QV1-B01-04");
    features.remove(b);
    let c = find(features, "QV1-B01-05");
    features[c]["properties"]
        .as_object_mut()
        .expect("properties")
        .remove("industry");
    let mut lot = new_lot();
    lot["properties"]["tenant"] = json!("Công ty Mới");
    features.push(lot);
    let ours: Value = serde_json::from_str(&written).expect("written JSON");
    assert_eq!(ours, expect, "the same data as edited with serde");
    std::fs::write(w.path("expect.geojson"), expect.to_string()).expect("write");
    let report = |parcels: &str| {
        let o = w.run(&["report", "zones.geojson", parcels]);
        assert!(o.status.success(), "{}", stderr(&o));
        String::from_utf8(o.stdout).expect("utf-8")
    };
    assert_eq!(report("out/parcels.geojson"), report("expect.geojson"));
    assert_ne!(report("out/parcels.geojson"), report("parcels.geojson"));
}

#[test]
fn a_script_that_cannot_apply_writes_nothing_and_names_the_operation() {
    let w = sample();
    let cases = [
        (
            json!([
                {"op": "delete", "layer": "parcels", "id": "QV1-B01-01"},
                {"op": "delete", "layer": "parcels", "id": "QV1-B01-01"},
            ]),
            "operation 2 (delete): no feature of parcels has the id \"QV1-B01-01\"",
        ),
        (
            json!([{"op": "set", "layer": "parcels", "id": "QV1-B01-01", "key": "status", "value": "sold"}]),
            "operation 1 (set): status: \"sold\" is not",
        ),
        (
            json!([{"op": "set", "layer": "parcels", "id": "QV1-B01-01", "key": "lease_end", "value": "1999-01-01"}]),
            "operation 1 (set): lease_end:",
        ),
        (
            json!([{"op": "set", "layer": "zones", "id": "BN-QV1", "key": "industrial_land_ha", "value": -5}]),
            "operation 1 (set): industrial_land_ha: -5 is negative",
        ),
        (
            json!([{"op": "reshape", "layer": "zones", "id": "BN-QV1", "geometry": {"type": "Point", "coordinates": [106, 21]}}]),
            "operation 1 (reshape):",
        ),
        (
            json!([{"op": "delete", "layer": "parcels"}]),
            "operation 1 (delete): no feature named",
        ),
        (
            json!([{"op": "dlete", "layer": "parcels", "id": "x"}]),
            "operation 1: unknown variant `dlete`",
        ),
        (json!({"op": "delete"}), "not a JSON array"),
    ];
    for (script, words) in cases {
        let o = apply(&w, script.clone(), "out");
        assert_eq!(o.status.code(), Some(2), "{script}");
        assert!(stderr(&o).contains(words), "{script}: {}", stderr(&o));
        assert!(stderr(&o).contains("edits.json"), "names the script");
        assert!(!w.path("out").exists(), "{script}: nothing written");
    }
    // In Vietnamese.
    std::fs::write(
        w.path("edits.json"),
        json!([{"op": "delete", "layer": "zones", "id": "KHÔNG-CÓ"}]).to_string(),
    )
    .expect("write");
    let o = w.run(&[
        "apply",
        "zones.geojson",
        "--edits",
        "edits.json",
        "--out-dir",
        "out",
        "--lang",
        "vi",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o)
            .contains("thao tác 1 (delete): không có khu công nghiệp nào mang mã \"KHÔNG-CÓ\""),
        "{}",
        stderr(&o)
    );
}

/// A reshape given in WGS84 is written in the file's own system: the UTM fixture's zone,
/// reshaped with its own WGS84 twin (converted by pyproj when the fixtures were made), comes
/// back within a millimetre of the file's metres; the other zones are untouched.
#[test]
fn a_reshape_in_wgs84_is_written_in_the_files_metres() {
    let utm = std::fs::read_to_string("tests/data/crs/32648.geojson").expect("fixture");
    let wgs84: Value = serde_json::from_str(
        &std::fs::read_to_string("tests/data/crs/32648.wgs84.geojson").expect("fixture"),
    )
    .expect("json");
    let w = Workdir::new(&[("zones.geojson", &utm)]);
    let script = json!([{"op": "reshape", "layer": "zones", "id": "bac-ninh-l",
        "geometry": wgs84["features"][0]["geometry"]}]);
    std::fs::write(w.path("edits.json"), script.to_string()).expect("write");
    let o = w.run(&[
        "apply",
        "zones.geojson",
        "--edits",
        "edits.json",
        "--out-dir",
        "out",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let before: Value = serde_json::from_str(&utm).expect("json");
    let after: Value = serde_json::from_str(&w.read("out/zones.geojson")).expect("json");
    assert_eq!(after["crs"], before["crs"]);
    let positions = |g: &Value| -> Vec<(f64, f64)> {
        let mut out = Vec::new();
        let mut stack = vec![g["coordinates"].clone()];
        while let Some(v) = stack.pop() {
            match v.as_array() {
                Some(a) if a.first().is_some_and(Value::is_number) => {
                    out.push((a[0].as_f64().expect("x"), a[1].as_f64().expect("y")));
                }
                Some(a) => stack.extend(a.iter().rev().cloned()),
                None => {}
            }
        }
        out
    };
    let was = positions(&before["features"][0]["geometry"]);
    let now = positions(&after["features"][0]["geometry"]);
    assert_eq!(was.len(), now.len());
    for (a, b) in was.iter().zip(&now) {
        let d = ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
        assert!(d <= 0.001, "{a:?} written as {b:?}: {d} m");
    }
    for k in 1..before["features"].as_array().expect("features").len() {
        assert_eq!(after["features"][k], before["features"][k]);
    }
}

/// Every position of a feature's geometry, as read back.
fn positions(g: &Value) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    let mut stack = vec![g["coordinates"].clone()];
    while let Some(v) = stack.pop() {
        match v.as_array() {
            Some(a) if a.first().is_some_and(Value::is_number) => {
                out.push((a[0].as_f64().expect("x"), a[1].as_f64().expect("y")));
            }
            Some(a) => stack.extend(a.iter().rev().cloned()),
            None => {}
        }
    }
    out
}

/// Geodesic area (geo's Karney implementation, not the engine's), m².
fn geodesic_m2(g: &Value) -> f64 {
    use geo::GeodesicArea;
    let geometry: geojson::Geometry = serde_json::from_value(g.clone()).expect("geojson");
    let shape: geo::Geometry<f64> = geometry.try_into().expect("geo");
    shape.geodesic_area_unsigned()
}

fn lot_in(file: &str, id: &str) -> Value {
    let v: Value = serde_json::from_str(file).expect("json");
    v["features"]
        .as_array()
        .expect("features")
        .iter()
        .find(|f| f["properties"]["parcel_id"] == id)
        .cloned()
        .unwrap_or(Value::Null)
}

fn apply(w: &Workdir, script: Value, out: &str) -> Output {
    std::fs::write(w.path("edits.json"), script.to_string()).expect("write");
    w.run(&[
        "apply",
        "zones.geojson",
        "parcels.geojson",
        "--edits",
        "edits.json",
        "--out-dir",
        out,
    ])
}

#[test]
fn a_split_lot_is_two_lots_that_add_up_and_merge_back() {
    let w = sample();
    // North–south through the middle of QV1-B01-01 (a quadrilateral ~950 m × 200 m).
    let line = json!([[106.1505, 21.1400], [106.1505, 21.1450]]);
    let o = apply(
        &w,
        json!([{"op": "split", "layer": "parcels", "id": "QV1-B01-01", "line": line}]),
        "split",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let written = w.read("split/parcels.geojson");
    let (west, east) = (
        lot_in(&written, "QV1-B01-01-1"),
        lot_in(&written, "QV1-B01-01-2"),
    );
    assert!(
        lot_in(&written, "QV1-B01-01").is_null(),
        "the lot is replaced"
    );
    // Each part keeps the lot's attributes.
    let original = lot_in(SAMPLE_PARCELS, "QV1-B01-01");
    for part in [&west, &east] {
        assert_eq!(
            part["properties"]["tenant"],
            original["properties"]["tenant"]
        );
        assert_eq!(part["properties"]["status"], "leased");
    }
    // Left of a northward line is west: the first part.
    assert!(positions(&west["geometry"]).iter().all(|p| p.0 <= 106.1505));
    assert!(positions(&east["geometry"]).iter().all(|p| p.0 >= 106.1505));
    // The parts add up to the lot (geo's Karney areas, not the engine's).
    let whole = geodesic_m2(&original["geometry"]);
    let sum = geodesic_m2(&west["geometry"]) + geodesic_m2(&east["geometry"]);
    assert!((sum - whole).abs() < 1e-9 * whole, "{sum} vs {whole}");
    // They share the cut's two ends exactly, as written.
    let cut: Vec<(f64, f64)> = positions(&west["geometry"])
        .into_iter()
        .filter(|p| p.0 == 106.1505)
        .collect();
    assert!(cut.len() >= 2, "{cut:?}");
    for p in &cut {
        assert!(positions(&east["geometry"]).contains(p), "{p:?}");
    }

    // Merged back under the old id, from the split files: the lot's area again.
    std::fs::copy(w.path("split/parcels.geojson"), w.path("parcels.geojson")).expect("copy");
    let o = apply(
        &w,
        json!([{"op": "merge", "layer": "parcels", "ids": ["QV1-B01-01-1", "QV1-B01-01-2"],
                "new_id": "QV1-B01-01"}]),
        "merged",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let merged = lot_in(&w.read("merged/parcels.geojson"), "QV1-B01-01");
    let area = geodesic_m2(&merged["geometry"]);
    assert!((area - whole).abs() < 1e-9 * whole, "{area} vs {whole}");
    // The figures are the sample's again.
    let report = |dir: &str| {
        let o = w.run(&["report", "zones.geojson", &format!("{dir}/parcels.geojson")]);
        String::from_utf8(o.stdout).expect("utf-8")
    };
    std::fs::create_dir_all(w.path("orig")).expect("mkdir");
    std::fs::write(w.path("orig/parcels.geojson"), SAMPLE_PARCELS).expect("write");
    assert_eq!(report("merged"), report("orig"));
}

#[test]
fn a_line_that_misses_and_lots_apart_are_refused() {
    let w = sample();
    let o = apply(
        &w,
        json!([{"op": "split", "layer": "parcels", "id": "QV1-B01-01",
                "line": [[106.0, 21.0], [106.0, 21.001]]}]),
        "out",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("operation 1 (split): the line does not cross the shape"),
        "{}",
        stderr(&o)
    );
    let o = apply(
        &w,
        json!([{"op": "merge", "layer": "parcels", "ids": ["QV1-B01-01", "GB2-B03-14"]}]),
        "out",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("operation 1 (merge): the lots do not share an edge"),
        "{}",
        stderr(&o)
    );
    let o = apply(
        &w,
        json!([{"op": "split", "layer": "parcels", "id": "QV1-B01-01",
                "line": [[106.1505, 21.1400], [106.1505, 21.1450]], "new_ids": ["QV1-B01-04", "X"]}]),
        "out",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("another lot already has the id \"QV1-B01-04\""),
        "{}",
        stderr(&o)
    );
    assert!(!w.path("out").exists());
}

/// A reshape that pulls a corner two lots share back in one of them only: the gap it leaves
/// is said on standard error, as `check` says a finding (the written files cannot record it);
/// the edit is made.
#[test]
fn a_gap_left_between_lots_is_said() {
    let square = |x: f64| {
        json!({"type": "Polygon", "coordinates": [[[x, 21.002], [x + 0.001, 21.002],
            [x + 0.001, 21.003], [x, 21.003], [x, 21.002]]]})
    };
    let lot = |id: &str, x: f64| {
        json!({"type": "Feature", "properties": {"parcel_id": id, "status": "leased"},
            "geometry": square(x)})
    };
    let zones = json!({"type": "FeatureCollection", "features": [{"type": "Feature",
        "properties": {"zone_id": "Z"}, "geometry": {"type": "Polygon", "coordinates":
        [[[106.0, 21.0], [106.01, 21.0], [106.01, 21.01], [106.0, 21.01], [106.0, 21.0]]]}}]});
    let parcels = json!({"type": "FeatureCollection",
        "features": [lot("W", 106.002), lot("E", 106.003)]});
    let w = Workdir::new(&[
        ("zones.geojson", &zones.to_string()),
        ("parcels.geojson", &parcels.to_string()),
    ]);
    let moved = json!({"type": "Polygon", "coordinates": [[[106.002, 21.002], [106.003, 21.002],
        [106.0028, 21.003], [106.002, 21.003], [106.002, 21.002]]]});
    let o = apply(
        &w,
        json!([{"op": "reshape", "layer": "parcels", "id": "W", "geometry": moved}]),
        "out",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let said = stderr(&o);
    // Half of 0.0002° × 0.001° at 21.0025° N: 1,151.11 m².
    assert!(
        said.starts_with(
            "error: gap_between_lots parcels #1 (W): leaves a gap of 1151.11 m² between it and parcel E (#2)"
        ),
        "{said}"
    );
    assert_eq!(said.lines().count(), 1, "{said}");
    // Moved in E too (topological editing): no gap.
    let e_moved = json!({"type": "Polygon", "coordinates": [[[106.003, 21.002], [106.004, 21.002],
        [106.004, 21.003], [106.0028, 21.003], [106.003, 21.002]]]});
    let o = apply(
        &w,
        json!([{"op": "reshape", "layer": "parcels", "id": "W", "geometry": moved},
               {"op": "reshape", "layer": "parcels", "id": "E", "geometry": e_moved}]),
        "out2",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
}
