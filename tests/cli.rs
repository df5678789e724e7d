//! The command line as scripts use it: exact CSV header and cells, JSON shapes, exit codes,
//! error messages that name the file and the place, and lossless export.

mod common;

use common::{Workdir, quadrangle_ha};
use serde_json::Value;
use std::path::Path;
use std::process::Output;

const ZONES: &str = r##"{"type": "FeatureCollection", "name": "kcn_test",
"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
"features": [
{"type": "Feature", "properties": {"Mã KCN": "Z1", "Tên KCN": "KCN Quế Võ, giai đoạn 1", "Tỉnh": "Bắc Ninh",
  "Trạng thái": "Đang hoạt động", "Diện tích đất CN (ha)": "300.0", "planned_area_ha": 400, "màu": "#ff0000"},
 "geometry": {"type": "Polygon", "coordinates": [
  [[106.0, 21.0, 5.0], [106.0, 21.02, 5.0], [106.02, 21.02, 5.0], [106.02, 21.0, 5.0], [106.0, 21.0, 5.0]],
  [[106.015, 21.015], [106.018, 21.015], [106.018, 21.018], [106.015, 21.018], [106.015, 21.015]]]},
 "foreign": {"kept": [1, 2.50]}},
{"type": "Feature", "id": 42, "properties": {"name": "KCN Yên Phong", "province": "Bắc Ninh", "status": "planned"},
 "geometry": {"type": "MultiPolygon", "coordinates": [
  [[[106.1, 21.1], [106.11, 21.1], [106.11, 21.11], [106.1, 21.11], [106.1, 21.1]]],
  [[[106.12, 21.1], [106.13, 21.1], [106.13, 21.11], [106.12, 21.11], [106.12, 21.1]]]]}},
{"type": "Feature", "properties": {"name": "KCN chưa có ranh giới"}, "geometry": null},
{"type": "Feature", "id": "P4", "properties": {"name": "KCN VN-2000"},
 "geometry": {"type": "Polygon", "coordinates": [[[585000, 2345000], [586000, 2345000], [586000, 2346000], [585000, 2345000]]]}}
], "bbox": [106.0, 21.0, 106.13, 21.11]}
"##;

const PARCELS: &str = r#"{"type": "FeatureCollection", "features": [
{"type": "Feature", "id": "a", "properties": {"parcel_id": "L1", "zone_id": "Z1", "status": "Đã cho thuê", "tenant": "Canon"},
 "geometry": {"type": "Polygon", "coordinates": [[[106.002, 21.002], [106.006, 21.002], [106.006, 21.006], [106.002, 21.006], [106.002, 21.002]]]}},
{"type": "Feature", "properties": {"parcel_id": "L2", "zone_id": "Z1", "status": "leased"},
 "geometry": {"type": "Polygon", "coordinates": [[[106.006, 21.002], [106.006, 21.006], [106.01, 21.006], [106.01, 21.002], [106.006, 21.002]]]}},
{"type": "Feature", "properties": {"parcel_id": "L3", "zone_id": "Z1", "status": "vacant"},
 "geometry": {"type": "Polygon", "coordinates": [[[106.002, 21.008], [106.006, 21.008], [106.006, 21.012], [106.002, 21.012], [106.002, 21.008]]]}},
{"type": "Feature", "properties": {"parcel_id": "L4-dup", "zone_id": "Z1", "status": "leased"},
 "geometry": {"type": "Polygon", "coordinates": [[[106.004, 21.002], [106.008, 21.002], [106.008, 21.006], [106.004, 21.006], [106.004, 21.002]]]}},
{"type": "Feature", "properties": {"parcel_id": "L5-edge", "zone_id": "Z1", "status": "leased"},
 "geometry": {"type": "Polygon", "coordinates": [[[106.018, 21.002], [106.022, 21.002], [106.022, 21.004], [106.018, 21.004], [106.018, 21.002]]]}},
{"type": "Feature", "properties": {"parcel_id": "Y1", "status": "leased"},
 "geometry": {"type": "Polygon", "coordinates": [[[106.101, 21.101], [106.105, 21.101], [106.105, 21.105], [106.101, 21.105], [106.101, 21.101]]]}},
{"type": "Feature", "properties": {"parcel_id": "Y2", "zone_id": "ZX", "status": "reserved"},
 "geometry": {"type": "Polygon", "coordinates": [[[106.121, 21.101], [106.125, 21.101], [106.125, 21.105], [106.121, 21.105], [106.121, 21.101]]]}},
{"type": "Feature", "properties": {"parcel_id": "L1", "status": "leased"}, "geometry": null}
]}
"#;

fn fixture() -> Workdir {
    Workdir::new(&[("zones.geojson", ZONES), ("parcels.geojson", PARCELS)])
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8")
}

#[test]
fn report_csv_header_cells_and_hand_computed_figures() {
    let fx = fixture();
    let o = fx.run(&["report", "zones.geojson", "parcels.geojson"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "zone_id,name,province,status,area_ha,planned_area_ha,industrial_land_ha,service_land_ha,leased_ha,leased_service_ha,fill_rate_pct,fill_rate_d35_pct,fill_basis,parcels_leased,parcels_vacant,parcels_reserved"
    );
    assert_eq!(lines.len(), 5, "one row per zone:\n{text}");
    let row = |i: usize| lines[i].split(',').map(str::to_string).collect::<Vec<_>>();
    // Zone 1: the name has a comma, so it is quoted; the row has 17 comma-separated pieces.
    assert!(
        lines[1].starts_with("Z1,\"KCN Quế Võ, giai đoạn 1\",Bắc Ninh,operating,"),
        "{}",
        lines[1]
    );
    let z1: Vec<String> = lines[1]
        .replace("\"KCN Quế Võ, giai đoạn 1\"", "NAME")
        .split(',')
        .map(str::to_string)
        .collect();
    let num = |s: &str| s.parse::<f64>().expect("number");
    let area =
        quadrangle_ha(106.0, 21.0, 106.02, 21.02) - quadrangle_ha(106.015, 21.015, 106.018, 21.018);
    assert!(
        (num(&z1[4]) - area).abs() < 2e-4,
        "area {} vs {area}",
        z1[4]
    );
    assert_eq!(
        z1[6], "300.0000",
        "industrial land written as a string is read as a number"
    );
    assert_eq!(z1[7], "", "unknown service land is an empty cell");
    // Leased: L1 ∪ L2 ∪ L4-dup (the duplicate covers nothing new) plus L5's inside part.
    let leased = quadrangle_ha(106.002, 21.002, 106.01, 21.006)
        + quadrangle_ha(106.018, 21.002, 106.02, 21.004);
    assert!(
        (num(&z1[8]) - leased).abs() < 2e-4,
        "leased {} vs {leased}",
        z1[8]
    );
    let rate = 100.0 * num(&z1[8]) / 300.0;
    assert_eq!(z1[10], format!("{rate:.2}"));
    assert_eq!(z1[12], "industrial_land");
    assert_eq!(&z1[13..], ["4", "1", "0"]);
    // Zone 2: numeric feature id, no industrial land, one leased and one reserved lot (the
    // latter's zone_id names no zone, so it is placed by geometry): parcel inventory basis.
    let z2 = row(2);
    assert_eq!(z2[0], "42");
    assert_eq!(z2[3], "planned");
    assert_eq!(z2[12], "parcel_inventory");
    let z2_area =
        quadrangle_ha(106.1, 21.1, 106.11, 21.11) + quadrangle_ha(106.12, 21.1, 106.13, 21.11);
    assert!(
        (num(&z2[4]) - z2_area).abs() < 2e-4,
        "{} vs {z2_area}",
        z2[4]
    );
    let leased_lot = quadrangle_ha(106.101, 21.101, 106.105, 21.105);
    let lots = leased_lot + quadrangle_ha(106.121, 21.101, 106.125, 21.105);
    let expect_rate = 100.0 * leased_lot / lots;
    assert!(
        (num(&z2[10]) - expect_rate).abs() < 0.006,
        "{} vs {expect_rate}",
        z2[10]
    );
    // Zones 3 and 4 cannot be measured: `#3` for the id-less one, empty area cells.
    let z3 = row(3);
    assert_eq!(z3[0], "#3");
    assert_eq!(z3[4], "");
    assert_eq!(row(4)[0], "P4");
}

#[test]
fn report_without_parcels_leaves_leased_unknown() {
    let fx = fixture();
    let o = fx.run(&["report", "zones.geojson"]);
    assert_eq!(o.status.code(), Some(0));
    let line = stdout(&o).lines().nth(2).expect("zone 2").to_string();
    assert_eq!(
        line.split(',').skip(8).collect::<Vec<_>>(),
        ["", "", "", "", "", "", "", ""]
    );
}

/// A zone whose boundary is missing still has lots that name it: its leased land is theirs,
/// each piece once (nothing to clip them to), never a silent zero.
#[test]
fn a_zone_without_geometry_measures_the_lots_that_name_it() {
    let fx = fixture();
    let square = |x0: f64, x1: f64| {
        format!(
            r#"{{"type":"Polygon","coordinates":[[[{x0},21.0],[{x1},21.0],[{x1},21.004],[{x0},21.004],[{x0},21.0]]]}}"#
        )
    };
    let zones = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"zone_id":"A","name":"KCN A","industrial_land_ha":100},"geometry":null}]}"#;
    let parcels = format!(
        r#"{{"type":"FeatureCollection","features":[
      {{"type":"Feature","properties":{{"zone_id":"A","status":"leased"}},"geometry":{}}},
      {{"type":"Feature","properties":{{"zone_id":"A","status":"leased"}},"geometry":{}}},
      {{"type":"Feature","properties":{{"zone_id":"A","status":"vacant"}},"geometry":{}}}]}}"#,
        square(106.0, 106.004),
        square(106.002, 106.006),
        square(106.01, 106.014)
    );
    std::fs::write(fx.path("nz.geojson"), zones).expect("write");
    std::fs::write(fx.path("np.geojson"), parcels).expect("write");
    let o = fx.run(&["report", "nz.geojson", "np.geojson"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let cells: Vec<&str> = out.lines().nth(1).expect("row").split(',').collect();
    // The two leased lots overlap by half: together they cover 106.000–106.006.
    let leased = quadrangle_ha(106.0, 21.0, 106.006, 21.004);
    assert_eq!(cells[4], "", "no area without a boundary");
    let got: f64 = cells[8].parse().expect("leased_ha");
    assert!((got - leased).abs() < 1e-4, "{got} vs {leased}");
    assert_eq!(cells[10], format!("{:.2}", leased));
    assert_eq!(&cells[13..16], ["2", "1", "0"]);
}

/// DOMAIN.md: a parcels file without statuses is a file of leased lots; in a file that gives
/// them, a lot without one counts as vacant, and `check` says so.
#[test]
fn a_lot_without_status_among_lots_with_one_is_found() {
    let fx = fixture();
    let lot = |x: f64, status: &str| {
        format!(
            r#"{{"type":"Feature","properties":{{"parcel_id":"P{x}"{status}}},"geometry":{{"type":"Polygon","coordinates":[[[{x},21.002],[{x2},21.002],[{x2},21.004],[{x},21.004],[{x},21.002]]]}}}}"#,
            x2 = x + 0.002
        )
    };
    let parcels = format!(
        r#"{{"type":"FeatureCollection","features":[{},{},{}]}}"#,
        lot(106.002, r#","status":"leased""#),
        lot(106.006, ""),
        lot(106.010, r#","status":"vacant""#)
    );
    std::fs::write(fx.path("sp.geojson"), parcels).expect("write");
    let o = fx.run(&["check", "zones.geojson", "sp.geojson", "--format", "json"]);
    let findings: Value = serde_json::from_slice(&o.stdout).expect("json");
    let missing: Vec<(i64, String)> = findings
        .as_array()
        .expect("array")
        .iter()
        .filter(|f| f["code"] == "status_missing")
        .map(|f| {
            (
                f["feature"].as_i64().expect("feature"),
                f["severity"].as_str().expect("severity").to_string(),
            )
        })
        .collect();
    assert_eq!(missing, [(2, "warning".to_string())]);
    // The same lots with no status at all are a file of leased lots: nothing to say.
    let none = format!(
        r#"{{"type":"FeatureCollection","features":[{},{}]}}"#,
        lot(106.002, ""),
        lot(106.006, "")
    );
    std::fs::write(fx.path("np.geojson"), none).expect("write");
    let o = fx.run(&["check", "zones.geojson", "np.geojson", "--format", "json"]);
    assert!(!stdout(&o).contains("status_missing"));
}

/// Two zones drawn over each other: `check` gives the overlap (the quadrangle they share,
/// in closed form); zones that only share a boundary are fine.
#[test]
fn overlapping_zones_are_found_with_the_land_they_share() {
    let fx = fixture();
    let zone = |id: &str, x0: f64, x1: f64| {
        format!(
            r#"{{"type":"Feature","properties":{{"zone_id":"{id}","name":"KCN {id}","industrial_land_ha":100}},"geometry":{{"type":"Polygon","coordinates":[[[{x0},21.0],[{x1},21.0],[{x1},21.01],[{x0},21.01],[{x0},21.0]]]}}}}"#
        )
    };
    let zones = format!(
        r#"{{"type":"FeatureCollection","features":[{},{},{}]}}"#,
        zone("A", 106.0, 106.01),
        zone("B", 106.008, 106.02),
        zone("C", 106.02, 106.03)
    );
    std::fs::write(fx.path("oz.geojson"), zones).expect("write");
    let o = fx.run(&["check", "oz.geojson", "--format", "json"]);
    let findings: Value = serde_json::from_slice(&o.stdout).expect("json");
    let overlaps: Vec<&Value> = findings
        .as_array()
        .expect("array")
        .iter()
        .filter(|f| f["code"] == "zones_overlap")
        .collect();
    assert_eq!(overlaps.len(), 1, "{overlaps:?}");
    let f = overlaps[0];
    assert_eq!(
        (f["feature"].as_i64(), f["other"].as_i64()),
        (Some(1), Some(2))
    );
    let shared = quadrangle_ha(106.008, 21.0, 106.01, 21.01);
    let msg = f["message"].as_str().expect("message");
    assert!(
        msg.contains(&format!("by {shared:.4} ha")),
        "{msg} vs {shared}"
    );
}

#[test]
fn report_json_and_markdown() {
    let fx = fixture();
    let o = fx.run(&[
        "report",
        "zones.geojson",
        "parcels.geojson",
        "--format",
        "json",
        "--output",
        "r.json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(fx.path("r.json")).expect("written"))
            .expect("json");
    assert_eq!(v["zones"].as_array().map(Vec::len), Some(4));
    assert_eq!(v["zones"][0]["zone_id"], "Z1");
    assert_eq!(v["zones"][2]["area_ha"], Value::Null);
    assert_eq!(v["totals"]["all"]["zones"], 4);
    assert_eq!(v["totals"]["operating"]["zones"], 1);
    assert_eq!(v["totals"]["provinces"][0]["province"], "Bắc Ninh");
    let all_leased = v["totals"]["all"]["leased_ha"].as_f64().expect("number");
    let sum: f64 = v["zones"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["leased_ha"].as_f64())
        .sum();
    assert!(
        (all_leased - sum).abs() < 1e-9,
        "totals are sums of the rows"
    );
    assert!(v["findings"].as_array().is_some_and(|f| !f.is_empty()));

    let o = fx.run(&[
        "report",
        "zones.geojson",
        "parcels.geojson",
        "--format",
        "md",
        "--lang",
        "vi",
    ]);
    let md = stdout(&o);
    assert!(md.contains("Tỷ lệ lấp đầy"), "{md}");
    // Statuses and bases in words, not the machines' codes.
    assert!(
        md.contains("| KCN Quế Võ, giai đoạn 1 | Đang hoạt động |"),
        "{md}"
    );
    assert!(md.contains("| đất công nghiệp |"), "{md}");
    assert!(md.contains("Cơ sở tính: hỗn hợp ("), "{md}");
    for code in [
        "operating",
        "industrial_land",
        "parcel_inventory",
        "gross_area",
        "mixed",
    ] {
        assert!(!md.contains(code), "{code} in {md}");
    }
    let o = fx.run(&[
        "report",
        "zones.geojson",
        "parcels.geojson",
        "--format",
        "md",
    ]);
    assert!(stdout(&o).contains("Fill rate (industrial land)"));
}

#[test]
fn check_reports_every_planted_problem_and_exits_1() {
    let fx = fixture();
    let o = fx.run(&[
        "check",
        "zones.geojson",
        "parcels.geojson",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1), "errors found → exit 1");
    let v: Value = serde_json::from_str(&stdout(&o)).expect("json array");
    let has = |code: &str, layer: &str, feature: u64| {
        v.as_array()
            .expect("array")
            .iter()
            .any(|f| f["code"] == code && f["layer"] == layer && f["feature"] == feature)
    };
    assert!(has("missing_geometry", "zones", 3));
    assert!(has("projected_coordinates", "zones", 4));
    assert!(
        has("area_differs_from_plan", "zones", 1),
        "measured ≈ 440 ha against 400 planned"
    );
    assert!(has("no_denominator", "zones", 2));
    assert!(has("parcel_straddles_zone", "parcels", 5));
    assert!(has("unknown_zone_id", "parcels", 7));
    assert!(has("duplicate_id", "parcels", 8));
    assert!(has("missing_geometry", "parcels", 8));
    let overlaps: Vec<&Value> = v
        .as_array()
        .expect("array")
        .iter()
        .filter(|f| f["code"] == "parcels_overlap")
        .collect();
    assert_eq!(
        overlaps.len(),
        2,
        "L4-dup overlaps L1 and L2, which only touch each other"
    );
    assert!(
        overlaps
            .iter()
            .all(|f| f["severity"] == "error" && f["other"] == 4)
    );
    for f in v.as_array().expect("array") {
        for key in ["severity", "code", "layer", "feature", "id", "message"] {
            assert!(!f[key].is_null(), "{key} missing in {f}");
        }
    }
    let o = fx.run(&["check", "zones.geojson"]);
    assert_eq!(o.status.code(), Some(1), "the projected zone is an error");
    assert!(stdout(&o).contains("look projected"));
}

#[test]
fn clean_data_checks_with_exit_0() {
    let fx = fixture();
    let clean = r#"{"type":"Feature","properties":{"zone_id":"A","industrial_land_ha":50},"geometry":{"type":"Polygon","coordinates":[[[106,21],[106.01,21],[106.01,21.01],[106,21.01],[106,21]]]}}"#;
    std::fs::write(fx.path("one.geojson"), clean).expect("write");
    let o = fx.run(&["check", "one.geojson"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn bad_input_names_the_file_and_place_and_exits_2() {
    let fx = fixture();
    std::fs::write(
        fx.path("broken.geojson"),
        "{\"type\": \"FeatureCollection\",\n \"features\": [\n  {\"type\": \"Feature\",, }\n]}",
    )
    .expect("write");
    let o = fx.run(&["report", "broken.geojson"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.starts_with("zoneatlas: broken.geojson:3:"), "{e}");
    assert_eq!(e.lines().count(), 1, "one clear line: {e}");

    std::fs::write(fx.path("shape.shp"), [0u8, 0, 39, 10, 0xff, 0xfe]).expect("write");
    let o = fx.run(&["check", "shape.shp"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("shape.shp"), "{}", stderr(&o));

    let o = fx.run(&["report", "no-such-file.geojson"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no-such-file.geojson: cannot read"),
        "{}",
        stderr(&o)
    );

    std::fs::write(
        fx.path("geom.geojson"),
        r#"{"type":"Polygon","coordinates":[]}"#,
    )
    .expect("write");
    let o = fx.run(&["report", "geom.geojson"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("FeatureCollection"));
}

fn json_of(p: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).expect("read")).expect("json")
}

#[test]
fn export_is_lossless_and_stats_are_added() {
    let fx = fixture();
    let o = fx.run(&[
        "export",
        "zones.geojson",
        "parcels.geojson",
        "--out-dir",
        "out",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        json_of(&fx.path("out/zones.geojson")),
        json_of(&fx.path("zones.geojson"))
    );
    assert_eq!(
        json_of(&fx.path("out/parcels.geojson")),
        json_of(&fx.path("parcels.geojson"))
    );
    // Number spellings and 3-D positions survive too (JSON equality would not see "2.50").
    let text = std::fs::read_to_string(fx.path("out/zones.geojson")).expect("read");
    assert!(text.contains("[1, 2.50]") && text.contains("[106.0, 21.0, 5.0]"));

    let o = fx.run(&[
        "export",
        "zones.geojson",
        "parcels.geojson",
        "--out-dir",
        "stats",
        "--with-stats",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let before = json_of(&fx.path("zones.geojson"));
    let after = json_of(&fx.path("stats/zones.geojson"));
    for (i, (b, a)) in before["features"]
        .as_array()
        .expect("features")
        .iter()
        .zip(after["features"].as_array().expect("features"))
        .enumerate()
    {
        let (bp, ap) = (
            b["properties"].as_object().expect("props"),
            a["properties"].as_object().expect("props"),
        );
        for (k, v) in bp {
            assert_eq!(&ap[k], v, "feature {i}: property {k} kept");
        }
        assert!(
            ap.contains_key("computed_fill_rate_pct") && ap.contains_key("computed_fill_basis"),
            "feature {i}"
        );
        let mut b2 = b.clone();
        let mut a2 = a.clone();
        b2.as_object_mut().expect("obj").remove("properties");
        a2.as_object_mut().expect("obj").remove("properties");
        assert_eq!(
            a2, b2,
            "feature {i}: everything but the properties is unchanged"
        );
    }
    assert_eq!(
        after["features"][0]["properties"]["computed_fill_basis"],
        "industrial_land"
    );
    assert_eq!(after["bbox"], before["bbox"]);
}

#[test]
fn no_arguments_and_usage_errors() {
    let fx = fixture();
    let o = fx.run(&["report"]);
    assert_eq!(o.status.code(), Some(2), "missing ZONES is a usage error");
    let o = fx.run(&["report", "zones.geojson", "--format", "xlsx"]);
    assert_eq!(o.status.code(), Some(2));
    let o = fx.run(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("report"));
}

#[test]
fn check_in_vietnamese_keeps_its_fields_and_codes_and_words_the_messages() {
    let fx = fixture();
    let run = |lang: &str| {
        let o = fx.run(&[
            "check",
            "zones.geojson",
            "parcels.geojson",
            "--format",
            "json",
            "--lang",
            lang,
        ]);
        assert_eq!(o.status.code(), Some(1));
        let v: Value = serde_json::from_str(&stdout(&o)).expect("json array");
        v.as_array().expect("array").clone()
    };
    let (en, vi) = (run("en"), run("vi"));
    assert_eq!(en.len(), vi.len());
    for (e, v) in en.iter().zip(&vi) {
        let keys = |f: &Value| {
            let mut k: Vec<String> = f.as_object().expect("object").keys().cloned().collect();
            k.sort();
            k
        };
        assert_eq!(keys(e), keys(v), "the same fields");
        for key in ["severity", "code", "layer", "feature", "id", "other"] {
            assert_eq!(e[key], v[key], "{key}");
        }
        assert_ne!(e["message"], v["message"], "{e}");
    }
    // L5-edge sticks out of Z1: the hectares with a decimal comma.
    let straddle = vi
        .iter()
        .find(|f| f["code"] == "parcel_straddles_zone")
        .expect("the straddler");
    let msg = straddle["message"].as_str().expect("text");
    assert!(msg.starts_with("nhô ra ngoài KCN Z1: "), "{msg}");
    assert!(msg.contains(',') && !msg.contains("0."), "{msg}");
    let o = fx.run(&["check", "zones.geojson", "parcels.geojson", "--lang", "vi"]);
    let text = stdout(&o);
    let last = text.lines().last().expect("a count");
    assert!(
        last.starts_with("3 lỗi, ") && last.ends_with(" cảnh báo, 0 ghi chú"),
        "{last}"
    );
    assert!(
        text.contains("warning: missing_geometry zones #3 ("),
        "codes stay"
    );
    assert!(text.contains("không có hình học"), "{text}");
}

/// One zone with 10 ha of industrial land and four lots of 0.002° side: A leased until
/// 30/06/2024 (still marked leased), B leased from 01/07/2024, C vacant, D leased with no dates.
const LEASE_ZONES: &str = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"zone_id":"Z","industrial_land_ha":10,"status":"operating"},"geometry":{"type":"Polygon","coordinates":[[[106,21],[106.02,21],[106.02,21.02],[106,21.02],[106,21]]]}}]}"#;

fn lease_lot(id: &str, props: &str, x: f64) -> String {
    format!(
        r#"{{"type":"Feature","properties":{{"parcel_id":"{id}",{props}}},"geometry":{{"type":"Polygon","coordinates":[[[{x},21.001],[{x2},21.001],[{x2},21.003],[{x},21.003],[{x},21.001]]]}}}}"#,
        x2 = x + 0.002
    )
}

fn lease_fixture() -> Workdir {
    let lots = [
        lease_lot(
            "A",
            r#""status":"leased","lease_start":"2020-01-01","lease_end":"2024-06-30""#,
            106.001,
        ),
        lease_lot(
            "B",
            r#""status":"leased","lease_start":"01/07/2024","lease_end":"2050-12-31""#,
            106.005,
        ),
        lease_lot("C", r#""status":"vacant""#, 106.009),
        lease_lot("D", r#""status":"leased""#, 106.013),
    ];
    let parcels = format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        lots.join(",")
    );
    Workdir::new(&[
        ("zones.geojson", LEASE_ZONES),
        ("parcels.geojson", &parcels),
    ])
}

/// The CSV cells of the one zone, by column name.
fn csv_row(text: &str) -> std::collections::HashMap<String, String> {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let row: Vec<&str> = lines.next().expect("a row").split(',').collect();
    header
        .iter()
        .zip(row)
        .map(|(h, c)| (h.to_string(), c.to_string()))
        .collect()
}

#[test]
fn report_as_of_a_date_counts_the_lots_leased_that_day() {
    let fx = lease_fixture();
    // Every lot is 0.002° by 0.002° at the same latitude: the same area, by the closed form.
    let lot = quadrangle_ha(106.001, 21.001, 106.003, 21.003);
    let report = |as_of: Option<&str>| {
        let mut args = vec!["report", "zones.geojson", "parcels.geojson"];
        if let Some(d) = as_of {
            args.extend(["--as-of", d]);
        }
        let o = fx.run(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        csv_row(&stdout(&o))
    };
    let cell = |row: &std::collections::HashMap<String, String>, k: &str| -> f64 {
        row[k].parse().expect("a number")
    };
    // 30/06/2024, the last day of A's lease: A and D leased, B not yet.
    let june = report(Some("2024-06-30"));
    assert!(
        (cell(&june, "leased_ha") - 2.0 * lot).abs() < 1e-3,
        "{june:?}"
    );
    assert!((cell(&june, "fill_rate_pct") - 2.0 * lot / 10.0 * 100.0).abs() < 0.01);
    assert_eq!(
        (&*june["parcels_leased"], &*june["parcels_vacant"]),
        ("2", "2")
    );
    // "As of 31/12": B and D; A's lease has ended. The Vietnamese spelling of the date too.
    let december = report(Some("31/12/2024"));
    assert_eq!(december, report(Some("2024-12-31")));
    assert!((cell(&december, "leased_ha") - 2.0 * lot).abs() < 1e-3);
    assert_eq!(&december["parcels_leased"], "2");
    // Before any lease: only D, which has no dates and keeps its status.
    let before = report(Some("2019-12-31"));
    assert!((cell(&before, "leased_ha") - lot).abs() < 1e-3);
    // Today the statuses count: A, B and D are marked leased.
    let today = report(None);
    assert!((cell(&today, "leased_ha") - 3.0 * lot).abs() < 1e-3);
    // The Markdown summary says the date, in the reader's way.
    let o = fx.run(&[
        "report",
        "zones.geojson",
        "parcels.geojson",
        "--format",
        "md",
        "--lang",
        "vi",
        "--as-of",
        "2024-12-31",
    ]);
    assert!(stdout(&o).contains("Số liệu tính đến ngày 31/12/2024"));
    // A bare year or a wrong date is refused.
    for bad in ["2024", "2024-02-30", "tomorrow"] {
        let o = fx.run(&["report", "zones.geojson", "--as-of", bad]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
    }
}

#[test]
fn findings_as_of_a_date_depend_on_that_date() {
    let fx = lease_fixture();
    let lease_ended = |as_of: Option<&str>| -> Vec<String> {
        let mut args = vec![
            "check",
            "zones.geojson",
            "parcels.geojson",
            "--format",
            "json",
        ];
        if let Some(d) = as_of {
            args.extend(["--as-of", d]);
        }
        let o = fx.run(&args);
        let v: Value = serde_json::from_str(&stdout(&o)).expect("json");
        v.as_array()
            .expect("array")
            .iter()
            .filter(|f| f["code"] == "lease_ended")
            .map(|f| format!("{} {}", f["id"], f["message"].as_str().expect("text")))
            .collect()
    };
    // On the last day of its lease, A's lease has not ended.
    assert!(lease_ended(Some("2024-06-30")).is_empty());
    assert_eq!(
        lease_ended(Some("2024-12-31")),
        [
            "\"A\" is marked leased, but its lease ended on 2024-06-30, before 2024-12-31; as of 2024-12-31 it counts as vacant"
        ]
    );
    // Today (after 2024): still counted as leased, as the statuses say.
    assert_eq!(
        lease_ended(None),
        ["\"A\" is marked leased, but its lease ended on 2024-06-30; it still counts as leased"]
    );
    let o = fx.run(&[
        "report",
        "zones.geojson",
        "parcels.geojson",
        "--format",
        "json",
        "--as-of",
        "2024-12-31",
    ]);
    let v: Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["as_of"], "2024-12-31");
    assert_eq!(v["findings"].as_array().expect("findings").len(), 1);
}
