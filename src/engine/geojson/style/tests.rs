use super::layout::number_text;
use super::*;
use crate::engine::geojson::Container;
use crate::engine::geojson::scan;
use crate::engine::geometry::read_geometry;
use geo::{Polygon, polygon};
use geographiclib_rs::{Geodesic, InverseGeodesic};
use proptest::prelude::*;
use std::path::Path;

fn parse(text: &str) -> Document {
    match Document::parse(Path::new("t.geojson"), text.as_bytes().to_vec()) {
        Ok(d) => d,
        Err(e) => panic!("{e:?}\n{text}"),
    }
}

fn fixture(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

/// Metres between two WGS84 positions, on the ellipsoid.
fn metres(a: Coord<f64>, b: Coord<f64>) -> f64 {
    Geodesic::wgs84().inverse(a.y, a.x, b.y, b.x)
}

/// The file with `feature` added after its last feature (or into its empty array).
fn with_feature(doc: &Document, style: &FileStyle, feature: &str) -> String {
    let text: &str = &doc.text;
    let Container::Collection { close } = doc.container else {
        panic!("a collection")
    };
    match doc.features.last() {
        Some(last) => {
            let end = last.whole.end as usize;
            format!(
                "{}{}{feature}{}",
                &text[..end],
                style.between_features,
                &text[end..]
            )
        }
        None => format!("{}{feature}{}", &text[..close], &text[close..]),
    }
}

/// The shape's rings (exteriors counter-clockwise, as the engine reads them).
fn rings(shape: &MultiPolygon<f64>) -> Vec<Vec<Coord<f64>>> {
    shape
        .0
        .iter()
        .flat_map(|p| {
            std::iter::once(wound(p.exterior(), true))
                .chain(p.interiors().iter().map(|r| wound(r, false)))
        })
        .collect()
}

/// The worst distance, in metres, between the shape's vertices and those read back.
fn worst_metres(shape: &MultiPolygon<f64>, back: &MultiPolygon<f64>) -> f64 {
    let (a, b) = (rings(shape), rings(back));
    assert_eq!(a.len(), b.len(), "rings");
    let mut worst: f64 = 0.0;
    for (ra, rb) in a.iter().zip(&b) {
        assert_eq!(ra.len(), rb.len(), "vertices");
        for (p, q) in ra.iter().zip(rb) {
            worst = worst.max(metres(*p, *q));
        }
    }
    worst
}

/// The geometry written into a feature, the feature into the file, and the file read back by
/// the engine: the shape read, and the feature's text in the new file.
fn through_the_file(
    doc: &Document,
    style: &FileStyle,
    shape: &MultiPolygon<f64>,
    properties: &[(String, Value)],
) -> (MultiPolygon<f64>, String) {
    let geometry = write_geometry(shape, style, doc.crs.as_ref(), None);
    let feature = write_feature(style, None, properties, &geometry);
    let text = with_feature(doc, style, &feature);
    let back = parse(&text);
    assert_eq!(back.len(), doc.len() + 1);
    let i = doc.len();
    assert_eq!(back.slice(&back.features[i].whole), feature);
    // A GeoJSON Feature to serde_json and to the geojson crate.
    let value: Value = serde_json::from_str(&feature).expect("JSON");
    assert_eq!(value["type"], "Feature");
    let parsed: geojson::Feature = feature.parse().expect("a GeoJSON Feature");
    assert!(parsed.geometry.is_some());
    let shape_back = read_geometry(back.geometry_json(i), back.crs.as_ref()).expect("reads");
    (shape_back, feature)
}

/// A lot with a hole, near `(lon, lat)`, about 100 m across.
fn lot_with_hole(lon: f64, lat: f64) -> MultiPolygon<f64> {
    let d = 0.001;
    MultiPolygon(vec![polygon!(
        exterior: [
            (x: lon, y: lat),
            (x: lon + d * 1.123_456_789, y: lat + d * 0.011_111_111),
            (x: lon + d * 0.987_654_321, y: lat + d * 0.934_567_891),
            (x: lon - d * 0.034_343_434, y: lat + d),
        ],
        interiors: [[
            (x: lon + d * 0.3, y: lat + d * 0.3),
            (x: lon + d * 0.3, y: lat + d * 0.6),
            (x: lon + d * 0.6, y: lat + d * 0.6),
            (x: lon + d * 0.6, y: lat + d * 0.3),
        ]],
    )])
}

/// Every position's text in a geometry, in order.
fn position_texts(geometry: &str) -> Vec<String> {
    let old = Old::read(geometry, None);
    old.positions
        .iter()
        .map(|p| geometry[p.text.clone()].to_string())
        .collect()
}

/// The files whose features are all written one way: every feature written again from what
/// the engine reads of it must be its own text.
fn uniform_files() -> Vec<String> {
    let mut files = vec![
        "sample_zones/zones.geojson".to_string(),
        "sample_zones/parcels.geojson".to_string(),
    ];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/crs");
    let mut crs: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".geojson"))
        .map(|n| format!("tests/data/crs/{n}"))
        .collect();
    crs.sort();
    assert!(crs.len() > 30, "the projected fixtures are there");
    files.extend(crs);
    files
}

#[test]
fn every_feature_written_again_is_its_own_text() {
    for file in uniform_files() {
        let doc = parse(&fixture(&file));
        let style = FileStyle::of(&doc);
        let mut checked = 0;
        for i in 0..doc.len() {
            let Some(old) = doc.geometry_json(i) else {
                continue;
            };
            let Ok(shape) = read_geometry(Some(old), doc.crs.as_ref()) else {
                continue;
            };
            // Reshaped with nothing changed: the geometry as it was.
            assert_eq!(
                write_geometry(&shape, &style, doc.crs.as_ref(), Some(old)),
                old,
                "{file} #{i} as a reshape"
            );
            // Written anew (numbers from the shape, through the file's system): the same text,
            // the file's numbers having no more decimals than it writes; wound as the file's
            // features mostly are, so a feature wound the other way has its positions in the
            // other order.
            let fresh = write_geometry(&shape, &style, doc.crs.as_ref(), None);
            let was = Old::read(old, None);
            if was.has_heights() && !matches!(style.heights, Heights::Flat(_)) {
                // Heights that vary are not invented for a geometry written anew.
                assert!(!Old::read(&fresh, None).has_heights(), "{file} #{i}");
            } else if was.windings.first().copied().flatten() == Some(style.clockwise) {
                assert_eq!(fresh, old, "{file} #{i} written anew");
            } else {
                let mut reversed = position_texts(&fresh);
                reversed.reverse();
                assert_eq!(reversed, position_texts(old), "{file} #{i} written anew");
            }
            // And the whole feature, in the file's member order and spacing (unless it has
            // foreign members, which are never invented).
            let whole = doc.slice(&doc.features[i].whole);
            let keys = scan::members(whole).expect("members");
            let foreign = keys
                .iter()
                .any(|(k, _)| !["type", "id", "properties", "geometry"].contains(&k.as_ref()));
            let id: Option<Value> = doc.id_json(i).and_then(|j| serde_json::from_str(j).ok());
            let feature = write_feature(&style, id.as_ref(), &doc.properties(i), old);
            assert!(
                foreign || feature == whole,
                "{file} #{i} feature:\n{feature}\n{whole}"
            );
            checked += 1;
        }
        assert!(checked > 0, "{file}");
    }
}

#[test]
fn styles_learned_from_the_fixtures() {
    let zones = parse(&fixture("sample_zones/zones.geojson"));
    let style = FileStyle::of(&zones);
    assert_eq!(
        style.members,
        [
            Member::Type,
            Member::Id,
            Member::Properties,
            Member::Geometry
        ]
    );
    assert_eq!(style.between_features, ",\n");
    assert_eq!(style.precision.decimals, 7);
    assert!(!style.precision.projected && !style.precision.padded);
    assert_eq!(style.precision.decimals_for(false), 8, "7 is not 1 mm");
    assert_eq!(style.heights, Heights::None);
    assert!(!style.layout.pretty() && !style.ascii && !style.clockwise && !style.multi);

    let utm = parse(&fixture("tests/data/crs/3405.geojson"));
    let style = FileStyle::of(&utm);
    assert!(style.layout.pretty());
    assert_eq!(
        (style.layout.base.as_str(), style.layout.unit.as_str()),
        ("  ", " ")
    );
    assert_eq!(style.between_features, ",\n  ");
    assert_eq!(
        style.members,
        [
            Member::Type,
            Member::Id,
            Member::Properties,
            Member::Geometry
        ]
    );
    assert!(style.precision.projected);
    assert_eq!(style.precision.decimals_for(true), 3);
    // Written in degrees (an export in WGS84), degrees' decimals.
    assert_eq!(style.precision.decimals_for(false), 8);

    let heights = parse(&fixture("tests/data/corpus/positions-3d-4d.geojson"));
    assert_eq!(FileStyle::of(&heights).heights, Heights::Varied);
}

#[test]
fn new_features_read_back_within_a_millimetre_in_every_system() {
    for file in uniform_files() {
        let doc = parse(&fixture(&file));
        let style = FileStyle::of(&doc);
        let shape = lot_with_hole(106.123_456_789_123, 21.012_345_678_912);
        let properties = [
            ("parcel_id".to_string(), Value::from("A-01-1")),
            ("area_ha".to_string(), Value::from(1.25)),
        ];
        let (back, feature) = match doc.container {
            Container::Collection { .. } => through_the_file(&doc, &style, &shape, &properties),
            // A file that is one feature has no room for another: its geometry alone.
            Container::SingleFeature => {
                let g = write_geometry(&shape, &style, doc.crs.as_ref(), None);
                (read_geometry(Some(&g), doc.crs.as_ref()).expect("reads"), g)
            }
        };
        let worst = worst_metres(&shape, &back);
        assert!(worst <= 1e-3, "{file}: {worst} m\n{feature}");
        // No number spelt with an exponent, none with more decimals than chosen.
        let projected = doc
            .crs
            .is_some_and(|c| c.projection != Projection::Geographic);
        let decimals = style.precision.decimals_for(projected);
        let geometry = write_geometry(&shape, &style, doc.crs.as_ref(), None);
        for position in position_texts(&geometry) {
            for n in position.trim_matches(['[', ']']).split(',') {
                let n = n.trim();
                assert!(!n.contains(['e', 'E']), "{n}");
                assert!(
                    n.split_once('.').is_none_or(|(_, f)| f.len() <= decimals),
                    "{file}: {n} has more than {decimals} decimals"
                );
            }
        }
    }
}

#[test]
fn a_moved_vertex_changes_only_its_own_text() {
    for (file, feature) in [
        ("sample_zones/zones.geojson", 0),
        ("tests/data/crs/3405.geojson", 0),
        ("tests/data/crs/4756.geojson", 0),
        ("tests/data/crs/3857.geojson", 1),
        ("tests/data/corpus/positions-3d-4d.geojson", 2),
    ] {
        let doc = parse(&fixture(file));
        let style = FileStyle::of(&doc);
        let old = doc.geometry_json(feature).expect("a geometry");
        let mut shape = read_geometry(Some(old), doc.crs.as_ref()).expect("reads");
        // The third vertex of the exterior, about 10 m east.
        let exterior = shape.0[0].exterior().0.clone();
        let moved_from = exterior[2];
        let mut moved = exterior.clone();
        moved[2].x += 1e-4;
        shape.0[0].exterior_mut(|r| *r = LineString(moved.clone()));
        let written = write_geometry(&shape, &style, doc.crs.as_ref(), Some(old));
        let (before, after) = (position_texts(old), position_texts(&written));
        assert_eq!(before.len(), after.len(), "{file}");
        let changed: Vec<usize> = (0..before.len())
            .filter(|&k| before[k] != after[k])
            .collect();
        assert_eq!(changed.len(), 1, "{file}: {changed:?}\n{written}");
        // The rest of the text is the old text.
        let k = changed[0];
        let (b, a) = (Old::read(old, None), Old::read(&written, None));
        assert_eq!(
            old[..b.positions[k].text.start],
            written[..a.positions[k].text.start]
        );
        assert_eq!(
            old[b.positions[k].text.end..],
            written[a.positions[k].text.end..]
        );
        // It reads back where it was moved to, within 1 mm, the others exactly.
        let back = read_geometry(Some(&written), doc.crs.as_ref()).expect("reads");
        assert!(worst_metres(&shape, &back) <= 1e-3, "{file}");
        let ring = &back.0[0].exterior().0;
        assert!(ring.iter().all(|c| *c != moved_from));
        for (c, e) in ring.iter().zip(&moved) {
            if *e != moved[2] {
                assert_eq!(c, e, "{file}: untouched vertices read back as they were");
            }
        }
    }
}

#[test]
fn inserted_vertices_get_heights_between_their_neighbours() {
    let doc = parse(&fixture("tests/data/corpus/positions-3d-4d.geojson"));
    let style = FileStyle::of(&doc);
    // D3: [[106.0, 21.1, 10], [106.01, 21.1, 11.5], [106.01, 21.11, 12.25], [106.0, 21.11, -3], …]
    let old = doc.geometry_json(1).expect("D3");
    let shape = read_geometry(Some(old), None).expect("reads");
    let ring = &shape.0[0].exterior().0;
    let mut with_new = ring.clone();
    // A quarter of the way from (106.01, 21.1) to (106.01, 21.11), and a fifth of the way from
    // the first vertex to the second.
    let a = Coord {
        x: 106.01,
        y: 21.1 + 0.0025,
    };
    let b = Coord {
        x: 106.002,
        y: 21.1,
    };
    let at = |c: Coord<f64>| ring.iter().position(|r| *r == c).expect("a vertex");
    let second = at(Coord { x: 106.01, y: 21.1 });
    with_new.insert(second + 1, a);
    with_new.insert(second, b);
    let mut reshaped = shape.clone();
    reshaped.0[0].exterior_mut(|r| *r = LineString(with_new));
    let written = write_geometry(&reshaped, &style, None, Some(old));
    assert_eq!(
        written,
        r#"{"type": "Polygon", "coordinates": [[[106.0, 21.1, 10], [106.002, 21.1, 10.3], [106.01, 21.1, 11.5], [106.01, 21.1025, 11.69], [106.01, 21.11, 12.25], [106.0, 21.11, -3], [106.0, 21.1, 10]]]}"#
    );
    // Heights 10 and 11.5 on either side, a fifth of the way: 10.3, with the one decimal of
    // 11.5; a quarter of the way up the east edge 11.5 + 0.25 × 0.75 = 11.6875, written with
    // the two decimals of 12.25.
    let back = read_geometry(Some(&written), None).expect("reads");
    assert!(worst_metres(&reshaped, &back) <= 1e-3);

    // D4 carries a fourth number: old positions keep it, new ones have a height only.
    let old = doc.geometry_json(2).expect("D4");
    let shape = read_geometry(Some(old), None).expect("reads");
    let mut ring = shape.0[0].exterior().0.clone();
    ring.insert(
        1,
        Coord {
            x: 106.005,
            y: 21.2,
        },
    );
    let mut reshaped = shape.clone();
    reshaped.0[0].exterior_mut(|r| *r = LineString(ring));
    let written = write_geometry(&reshaped, &style, None, Some(old));
    let texts = position_texts(&written);
    assert_eq!(texts[0], "[106.0, 21.2, 10, 1700000000]");
    // Between heights 10 and 11, written as whole metres as they are (10.5 to even).
    assert!(
        texts.contains(&"[106.005, 21.2, 10]".to_string()),
        "{texts:?}"
    );
    assert_eq!(texts.len(), 6);
}

#[test]
fn flat_heights_are_given_to_new_features_and_varied_ones_are_not_invented() {
    let flat = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"lot":"A"},"geometry":{"type":"Polygon","coordinates":[[[106.0,21.0,0],[106.01,21.0,0],[106.01,21.01,0],[106.0,21.0,0]]]}},
{"type":"Feature","properties":{"lot":"B"},"geometry":{"type":"Polygon","coordinates":[[[106.1,21.0,0],[106.11,21.0,0],[106.11,21.01,0],[106.1,21.0,0]]]}}
]}"#;
    let doc = parse(flat);
    let style = FileStyle::of(&doc);
    assert_eq!(style.heights, Heights::Flat("0".into()));
    let shape = lot_with_hole(106.2, 21.0);
    let (back, feature) = through_the_file(&doc, &style, &shape, &[]);
    assert!(worst_metres(&shape, &back) <= 1e-3);
    let geometry = write_geometry(&shape, &style, None, None);
    assert!(
        position_texts(&geometry).iter().all(|p| p.ends_with(",0]")),
        "{feature}"
    );

    let varied = flat.replacen(",0]", ",12.5]", 1);
    let style = FileStyle::of(&parse(&varied));
    assert_eq!(style.heights, Heights::Varied);
    let geometry = write_geometry(&shape, &style, None, None);
    assert!(
        position_texts(&geometry)
            .iter()
            .all(|p| p.matches(',').count() == 1),
        "2-D: {geometry}"
    );
}

/// Files written by common tools, two features each: a feature written again from what the
/// engine reads is its own text, and a new one reads back.
#[test]
fn the_spacing_of_common_writers_is_followed() {
    let compact = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":1,"properties":{"lot":"A","tags":["x","y"]},"geometry":{"type":"Polygon","coordinates":[[[106.1,21.1],[106.2,21.1],[106.2,21.25],[106.1,21.1]]]}},{"type":"Feature","id":2,"properties":{"lot":"B","tags":[]},"geometry":{"type":"Polygon","coordinates":[[[106.3,21.1],[106.4,21.1],[106.4,21.25],[106.3,21.1]]]}}]}"#;
    let python = r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"lot": "A", "nested": {"a": 1, "b": [1, 2]}}, "geometry": {"type": "Polygon", "coordinates": [[[106.1, 21.1], [106.2, 21.1], [106.2, 21.25], [106.1, 21.1]]]}}, {"type": "Feature", "properties": {"lot": "B", "nested": {}}, "geometry": {"type": "Polygon", "coordinates": [[[106.3, 21.1], [106.4, 21.1], [106.4, 21.25], [106.3, 21.1]]]}}]}"#;
    // GDAL / QGIS: spaces inside brackets, one feature a line.
    let gdal = r#"{
"type": "FeatureCollection",
"name": "lots",
"features": [
{ "type": "Feature", "properties": { "lot": "A", "area": 1.5 }, "geometry": { "type": "MultiPolygon", "coordinates": [ [ [ [ 106.1, 21.1 ], [ 106.2, 21.1 ], [ 106.2, 21.25 ], [ 106.1, 21.1 ] ] ] ] } },
{ "type": "Feature", "properties": { "lot": "B", "area": null }, "geometry": { "type": "MultiPolygon", "coordinates": [ [ [ [ 106.3, 21.1 ], [ 106.4, 21.1 ], [ 106.4, 21.25 ], [ 106.3, 21.1 ] ] ] ] } }
]
}
"#;
    // JSON.stringify(x, null, 2): every number on its own line.
    let js = "{\n  \"type\": \"FeatureCollection\",\n  \"features\": [\n    {\n      \"type\": \"Feature\",\n      \"geometry\": {\n        \"coordinates\": [\n          [\n            [\n              106.1,\n              21.1\n            ],\n            [\n              106.2,\n              21.1\n            ],\n            [\n              106.2,\n              21.25\n            ],\n            [\n              106.1,\n              21.1\n            ]\n          ]\n        ],\n        \"type\": \"Polygon\"\n      },\n      \"properties\": {\n        \"lot\": \"A\",\n        \"list\": [\n          1,\n          2\n        ]\n      }\n    },\n    {\n      \"type\": \"Feature\",\n      \"geometry\": {\n        \"coordinates\": [\n          [\n            [\n              106.3,\n              21.1\n            ],\n            [\n              106.4,\n              21.1\n            ],\n            [\n              106.4,\n              21.25\n            ],\n            [\n              106.3,\n              21.1\n            ]\n          ]\n        ],\n        \"type\": \"Polygon\"\n      },\n      \"properties\": {}\n    }\n  ]\n}\n";
    // Pretty features with positions on one line, four spaces, Windows line ends.
    let windows = "{\r\n    \"type\": \"FeatureCollection\",\r\n    \"features\": [\r\n        {\r\n            \"type\": \"Feature\",\r\n            \"properties\": {\r\n                \"lot\": \"A\"\r\n            },\r\n            \"geometry\": {\r\n                \"type\": \"Polygon\",\r\n                \"coordinates\": [\r\n                    [\r\n                        [106.1, 21.1],\r\n                        [106.2, 21.1],\r\n                        [106.2, 21.25],\r\n                        [106.1, 21.1]\r\n                    ]\r\n                ]\r\n            }\r\n        },\r\n        {\r\n            \"type\": \"Feature\",\r\n            \"properties\": {\r\n                \"lot\": \"B\"\r\n            },\r\n            \"geometry\": {\r\n                \"type\": \"Polygon\",\r\n                \"coordinates\": [\r\n                    [\r\n                        [106.3, 21.1],\r\n                        [106.4, 21.1],\r\n                        [106.4, 21.25],\r\n                        [106.3, 21.1]\r\n                    ]\r\n                ]\r\n            }\r\n        }\r\n    ]\r\n}\r\n";
    for (name, text, between) in [
        ("compact", compact, ","),
        ("python", python, ", "),
        ("gdal", gdal, ",\n"),
        ("js", js, ",\n    "),
        ("windows", windows, ",\r\n        "),
    ] {
        let doc = parse(text);
        let style = FileStyle::of(&doc);
        assert_eq!(style.between_features, between, "{name}");
        for i in 0..doc.len() {
            let old = doc.geometry_json(i).expect("geometry");
            let shape = read_geometry(Some(old), None).expect("reads");
            let fresh = write_geometry(&shape, &style, None, None);
            assert_eq!(fresh, old, "{name} #{i}");
            let id: Option<Value> = doc.id_json(i).and_then(|j| serde_json::from_str(j).ok());
            let feature = write_feature(&style, id.as_ref(), &doc.properties(i), &fresh);
            assert_eq!(feature, doc.slice(&doc.features[i].whole), "{name} #{i}");
        }
        // A new two-part lot with a hole: a MultiPolygon, spaced as the file spaces
        // coordinates (its outer array as a polygon's rings where the file has no
        // MultiPolygon).
        let mut shape = lot_with_hole(106.5, 21.5);
        shape.0.extend(lot_with_hole(106.6, 21.5).0);
        let (back, feature) = through_the_file(
            &doc,
            &style,
            &shape,
            &[
                ("lot".into(), Value::from("C")),
                ("list".into(), serde_json::json!([1, {"a": null}])),
            ],
        );
        assert!(worst_metres(&shape, &back) <= 1e-3, "{name}");
        assert!(feature.contains("MultiPolygon"), "{name}");
        if name == "windows" {
            assert!(!feature.replace("\r\n", "").contains('\n'), "CRLF only");
        }
        if name == "js" {
            // Indented as the file: the feature's lines at four spaces and deeper by two.
            assert!(feature.ends_with("\n    }"), "{feature}");
            assert!(
                feature.contains("\n      \"type\": \"Feature\",\n"),
                "{feature}"
            );
        }
    }
}

#[test]
fn member_order_follows_the_file_and_nothing_is_invented() {
    let text = r#"{"type":"FeatureCollection","features":[
{"geometry":null,"properties":{"a":1},"type":"Feature","id":"x","bbox":[0,0,1,1],"_umap":{}},
{"geometry":null,"properties":{"a":2},"type":"Feature","_umap":{}}
]}"#;
    let doc = parse(text);
    let style = FileStyle::of(&doc);
    assert_eq!(
        style.members,
        [
            Member::Geometry,
            Member::Properties,
            Member::Type,
            Member::Id
        ]
    );
    assert_eq!(
        write_feature(&style, None, &[("a".into(), Value::from(3))], "null"),
        r#"{"geometry":null,"properties":{"a":3},"type":"Feature"}"#
    );
    assert_eq!(
        write_feature(&style, Some(&Value::from(7)), &[], "null"),
        r#"{"geometry":null,"properties":{},"type":"Feature","id":7}"#
    );
    // A file whose features have no id: an id goes after `type`, as RFC 7946 writes it.
    let doc = parse(
        r#"{"type":"FeatureCollection","features":[{"properties":{},"type":"Feature","geometry":null}]}"#,
    );
    let style = FileStyle::of(&doc);
    assert_eq!(
        write_feature(&style, Some(&Value::from("A-01")), &[], "null"),
        r#"{"properties":{},"type":"Feature","id":"A-01","geometry":null}"#
    );
}

#[test]
fn strings_are_escaped_as_the_file_escapes_them() {
    // Python's json.dumps writes non-ASCII characters escaped.
    let text = r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "KCN Qu\u1ebf V\u00f5"}, "geometry": null}]}"#;
    let doc = parse(text);
    let style = FileStyle::of(&doc);
    assert!(style.ascii);
    let feature = write_feature(&style, None, &doc.properties(0), "null");
    assert_eq!(feature, doc.slice(&doc.features[0].whole));
    let feature = write_feature(
        &style,
        None,
        &[("tên".into(), Value::from("Bắc Ninh 𝄞"))],
        "null",
    );
    assert_eq!(
        feature,
        r#"{"type": "Feature", "properties": {"t\u00ean": "B\u1eafc Ninh \ud834\udd1e"}, "geometry": null}"#
    );
    let value: Value = serde_json::from_str(&feature).expect("JSON");
    assert_eq!(value["properties"]["tên"], "Bắc Ninh 𝄞");
    // Files with the characters as they are get them as they are.
    let style = FileStyle::of(&parse(&fixture("sample_zones/zones.geojson")));
    assert!(!style.ascii);
    assert!(
        write_feature(&style, None, &[("tên".into(), Value::from("Bắc"))], "null").contains("Bắc")
    );
}

#[test]
fn a_polygon_split_in_two_becomes_a_multipolygon_keeping_its_vertices_and_bbox() {
    let text = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{},"geometry":{"type":"Polygon","bbox":[106.0,21.0,106.02,21.01],"coordinates":[[[106.0,21.0],[106.02,21.0],[106.02,21.01],[106.0,21.01],[106.0,21.0]]],"_note":"kept"}}
]}"#;
    let doc = parse(text);
    let style = FileStyle::of(&doc);
    let old = doc.geometry_json(0).expect("geometry");
    let halves = MultiPolygon(vec![
        polygon![(x: 106.0, y: 21.0), (x: 106.01, y: 21.0), (x: 106.01, y: 21.01), (x: 106.0, y: 21.01)],
        polygon![(x: 106.01, y: 21.0), (x: 106.02, y: 21.0), (x: 106.02, y: 21.01), (x: 106.01, y: 21.01)],
    ]);
    let written = write_geometry(&halves, &style, None, Some(old));
    assert_eq!(
        written,
        r#"{"type":"MultiPolygon","bbox":[106.0,21.0,106.02,21.01],"coordinates":[[[[106.0,21.0],[106.01,21.0],[106.01,21.01],[106.0,21.01],[106.0,21.0]]],[[[106.01,21.0],[106.02,21.0],[106.02,21.01],[106.01,21.01],[106.01,21.0]]]],"_note":"kept"}"#
    );
    // One half kept: a Polygon still, its bbox shrunk.
    let one = MultiPolygon(vec![halves.0[0].clone()]);
    let written = write_geometry(&one, &style, None, Some(old));
    assert!(
        written.starts_with(r#"{"type":"Polygon","bbox":[106.0,21.0,106.01,21.01],"#),
        "{written}"
    );
}

#[test]
fn rings_keep_their_winding() {
    let doc = parse(&fixture("tests/data/corpus/winding.geojson"));
    let style = FileStyle::of(&doc);
    for i in 0..doc.len() {
        let old = doc.geometry_json(i).expect("geometry");
        let shape = read_geometry(Some(old), None).expect("reads");
        assert_eq!(write_geometry(&shape, &style, None, Some(old)), old, "#{i}");
    }
    // A file of clockwise exteriors gets clockwise new ones.
    let cw = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[106.0,21.1],[106.0,21.12],[106.02,21.12],[106.02,21.1],[106.0,21.1]]]}}
]}"#;
    let style = FileStyle::of(&parse(cw));
    assert!(style.clockwise);
    let shape = lot_with_hole(106.3, 21.3);
    let written = write_geometry(&shape, &style, None, None);
    let old = Old::read(&written, None);
    assert_eq!(old.windings, [Some(true), Some(false)]);
    let back = read_geometry(Some(&written), None).expect("reads");
    assert!(worst_metres(&shape, &back) <= 1e-3);
}

#[test]
fn odd_files_and_geometries_do_not_stop_the_writing() {
    // No features: the default style, or the top level's spacing.
    let style = FileStyle::of(&parse(r#"{"type":"FeatureCollection","features":[]}"#));
    assert_eq!(style, FileStyle::default());
    let pretty = parse("{\n  \"type\": \"FeatureCollection\",\n  \"features\": []\n}\n");
    let style = FileStyle::of(&pretty);
    assert_eq!(style.between_features, ",\n    ");
    let shape = lot_with_hole(106.0, 21.0);
    let (back, feature) = through_the_file(&pretty, &style, &shape, &[]);
    assert!(worst_metres(&shape, &back) <= 1e-3);
    assert!(
        feature.starts_with("{\n      \"type\": \"Feature\",\n"),
        "{feature}"
    );
    // Every corpus file that loads gives a style, and a feature written in it reads back.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus");
    for entry in std::fs::read_dir(dir).expect("corpus").flatten() {
        let Ok(doc) = Document::open(&entry.path()) else {
            continue;
        };
        let style = FileStyle::of(&doc);
        let geometry = write_geometry(&shape, &style, doc.crs.as_ref(), None);
        let back = read_geometry(Some(&geometry), doc.crs.as_ref()).expect("reads");
        assert!(
            worst_metres(&shape, &back) <= 1e-3,
            "{}",
            entry.path().display()
        );
        let _ = write_feature(&style, None, &[], &geometry);
        // And the odd geometries of the file stand as `like` without harm.
        for i in 0..doc.len() {
            if doc.features[i].malformed {
                continue;
            }
            let written = write_geometry(&shape, &style, doc.crs.as_ref(), doc.geometry_json(i));
            if let Ok(back) = read_geometry(Some(&written), doc.crs.as_ref()) {
                assert!(worst_metres(&shape, &back) <= 1e-3);
            }
        }
    }
    for like in [
        "",
        "[1,2]",
        "{\"type\":\"Polygon\"}",
        "{\"type\":\"Point\",\"coordinates\":[106,21]}",
        "{\"type\":\"Polygon\",\"coordinates\":[[[1,2],[3]]]}",
    ] {
        let written = write_geometry(&shape, &FileStyle::default(), None, Some(like));
        let back = read_geometry(Some(&written), None).expect("reads");
        assert!(worst_metres(&shape, &back) <= 1e-3, "{like}");
    }
    // An empty shape is an empty geometry; a non-finite number is `null`, which the reader
    // reports, not text that is no longer JSON.
    let empty = write_geometry(&MultiPolygon(vec![]), &FileStyle::default(), None, None);
    assert_eq!(empty, r#"{"type":"Polygon","coordinates":[]}"#);
    assert_eq!(number_text(f64::NAN, 8, false, false), "null");
}

#[test]
fn the_decimals_kept_are_the_fewest_within_a_millimetre() {
    // Half a step of each number, the worst place for each: 8 decimals of degrees keep 1 mm,
    // 7 do not.
    let step = |d: i32| 0.5 * 10f64.powi(-d);
    for (lat, d, within) in [(0.0, 8, true), (89.9, 8, true), (0.0, 7, false)] {
        let a = Coord { x: 106.0, y: lat };
        let b = Coord {
            x: 106.0 + step(d),
            y: lat + step(d),
        };
        assert_eq!(metres(a, b) <= 1e-3, within, "{lat} {d}: {}", metres(a, b));
    }
    // 3 decimals of metres: the half-step diagonal over the smallest scale of the systems.
    assert!(step(3) * 2f64.sqrt() / 0.9996 <= 1e-3);
    assert!(step(2) * 2f64.sqrt() > 1e-3);
    // Numbers: as written when they fit, rounded when not, no exponent, padded when the file
    // pads.
    assert_eq!(number_text(106.1, 8, false, false), "106.1");
    assert_eq!(
        number_text(106.123_456_789_9, 8, false, false),
        "106.12345679"
    );
    assert_eq!(number_text(1e-9, 8, false, false), "0");
    assert_eq!(number_text(-1e-9, 8, false, false), "0");
    assert_eq!(number_text(1e-7, 8, false, false), "0.0000001");
    assert_eq!(number_text(585_000.0, 3, false, true), "585000.0");
    assert_eq!(number_text(106.1, 6, true, false), "106.100000");
    assert_eq!(number_text(1e21, 3, false, false), "1000000000000000000000");
    let padded = parse(
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[106.100000,21.000000],[106.200000,21.000000],[106.200000,21.100000],[106.100000,21.000000]]]}}]}"#,
    );
    let style = FileStyle::of(&padded);
    assert!(style.precision.padded);
    let written = write_geometry(&lot_with_hole(106.0, 21.0), &style, None, None);
    assert!(written.contains("[106.00000000,21.00000000]"), "{written}");
}

/// The systems a proptest case writes in.
const SYSTEMS: [Option<u32>; 7] = [
    None,
    Some(3405),
    Some(9210),
    Some(3857),
    Some(32648),
    Some(4756),
    Some(9218),
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Any lot, in any of the systems, in a file written with any number of decimals: new and
    /// reshaped geometries read back within 1 mm, and a reshape keeps the untouched vertices'
    /// text.
    #[test]
    fn positions_read_back_within_a_millimetre(
        lon in 102.5f64..109.5,
        lat in 8.5f64..23.0,
        size in 1e-5f64..2e-2,
        turns in prop::collection::vec((0.0f64..1.0, 0.3f64..1.0), 3..12),
        decimals in 0usize..13,
        system in 0usize..SYSTEMS.len(),
        moved in 0usize..12,
    ) {
        let crs = SYSTEMS[system].and_then(Crs::from_epsg);
        // A star-shaped ring: angles in order, radii between 30 % and 100 %.
        let n = turns.len();
        let ring: Vec<Coord<f64>> = turns
            .iter()
            .enumerate()
            .map(|(k, (t, r))| {
                let angle = (k as f64 + t * 0.8) / n as f64 * std::f64::consts::TAU;
                Coord { x: lon + size * r * angle.cos(), y: lat + size * r * angle.sin() }
            })
            .collect();
        let shape = MultiPolygon(vec![Polygon::new(LineString(ring.clone()), vec![])]);
        // The file: this lot, written with `decimals` decimals in the system.
        let coordinates: Vec<String> = ring
            .iter()
            .chain(ring.first())
            .map(|c| {
                let (x, y) = match &crs {
                    Some(c2) => c2.from_wgs84(c.x, c.y),
                    None => (c.x, c.y),
                };
                format!("[{x:.decimals$},{y:.decimals$}]")
            })
            .collect();
        let member = crs.map_or(String::new(), |c| {
            format!(r#""crs":{{"type":"name","properties":{{"name":"EPSG:{}"}}}},"#, c.epsg)
        });
        let text = format!(
            r#"{{"type":"FeatureCollection",{member}"features":[{{"type":"Feature","properties":{{}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}]}}"#,
            coordinates.join(",")
        );
        let doc = parse(&text);
        let style = FileStyle::of(&doc);
        prop_assert!(style.precision.decimals <= decimals);
        let written = write_geometry(&shape, &style, doc.crs.as_ref(), None);
        let back = read_geometry(Some(&written), doc.crs.as_ref());
        prop_assert!(back.is_ok(), "{written}");
        let back = back.expect("checked");
        let worst = worst_metres(&shape, &back);
        prop_assert!(worst <= 1e-3, "{worst} m: {written}");

        // Reshaped: one vertex moved out by 1 % (the ring stays star-shaped); the others keep
        // their text exactly.
        let mut reshaped = back.clone();
        let k = moved % n;
        let out = |c: Coord<f64>| Coord { x: lon + (c.x - lon) * 1.01, y: lat + (c.y - lat) * 1.01 };
        reshaped.0[0].exterior_mut(|r| {
            r.0[k] = out(r.0[k]);
            if k == 0 {
                let last = r.0.len() - 1;
                r.0[last] = r.0[0];
            }
        });
        let again = write_geometry(&reshaped, &style, doc.crs.as_ref(), Some(&written));
        let (before, after) = (position_texts(&written), position_texts(&again));
        prop_assert_eq!(before.len(), after.len());
        let changed = (0..before.len()).filter(|&j| before[j] != after[j]).count();
        prop_assert!(changed <= 2, "{} changed", changed);
        let back = read_geometry(Some(&again), doc.crs.as_ref()).expect("reads");
        let worst = worst_metres(&reshaped, &back);
        prop_assert!(worst <= 1e-3, "{worst} m: {again}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A vertex inserted on any edge of a 3-D ring gets a height between its edge's ends (to
    /// the heights' own decimals), at the place along the edge; every old position keeps its
    /// text.
    #[test]
    fn inserted_heights_lie_between_their_edge_ends(
        heights in prop::collection::vec((-500i64..5000, 0u32..4), 3..10),
        edge in 0usize..10,
        along in 0.01f64..0.99,
    ) {
        let n = heights.len();
        // A convex ring about 1 km across, heights spelt with 0 to 3 decimals.
        let ring: Vec<(f64, f64, String)> = heights
            .iter()
            .enumerate()
            .map(|(k, (z, d))| {
                let angle = k as f64 / n as f64 * std::f64::consts::TAU;
                let z = *z as f64 / 10f64.powi(*d as i32);
                let d = *d as usize;
                (106.5 + 0.01 * angle.cos(), 21.0 + 0.01 * angle.sin(), format!("{z:.d$}"))
            })
            .collect();
        let positions: Vec<String> = ring
            .iter()
            .chain(ring.first())
            .map(|(x, y, z)| format!("[{x},{y},{z}]"))
            .collect();
        let geometry = format!(r#"{{"type":"Polygon","coordinates":[[{}]]}}"#, positions.join(","));
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{}},"geometry":{geometry}}}]}}"#
        );
        let doc = parse(&text);
        let style = FileStyle::of(&doc);
        let shape = read_geometry(Some(&geometry), None).expect("reads");
        let mut coords = shape.0[0].exterior().0.clone();
        let k = edge % n;
        let (a, b) = (coords[k], coords[k + 1]);
        let new = Coord { x: a.x + (b.x - a.x) * along, y: a.y + (b.y - a.y) * along };
        coords.insert(k + 1, new);
        let reshaped = MultiPolygon(vec![Polygon::new(LineString(coords), vec![])]);
        let written = write_geometry(&reshaped, &style, None, Some(&geometry));
        let mut texts = position_texts(&written);
        prop_assert_eq!(texts.len(), n + 2);
        let old = position_texts(&geometry);
        let inserted = texts.remove(k + 1);
        prop_assert_eq!(&texts, &old);
        // The new height: between the ends, rounded to their decimals.
        let z = |t: &str| -> (f64, usize) {
            let n = t.trim_matches(['[', ']']).split(',').nth(2).expect("a height");
            (n.parse().expect("a number"), n.split_once('.').map_or(0, |(_, f)| f.len()))
        };
        let ((za, da), (zb, db), (zn, dn)) = (z(&old[k]), z(&old[k + 1]), z(&inserted));
        let d = da.max(db);
        prop_assert!(dn <= d, "{inserted}: more decimals than {d}");
        let half = 0.5 * 10f64.powi(-(d as i32)) + 1e-9;
        prop_assert!(zn >= za.min(zb) - half && zn <= za.max(zb) + half, "{za} {zb} → {zn}");
        // In proportion to the distance along the edge: `along` of the way in degrees is that
        // far on the ground but for the change of a degree of longitude's length over the
        // edge (under 1e-4 of it here).
        let expected = za + (zb - za) * along;
        prop_assert!((zn - expected).abs() <= half + (zb - za).abs() * 1e-4, "{expected} → {zn}");
    }
}
