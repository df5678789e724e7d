//! Small hand-built datasets for the unit tests.

use std::path::Path;

use super::dataset::Dataset;
use super::geojson::Document;

/// A longitude/latitude square of side `d` degrees with its south-west corner at (x, y), as
/// GeoJSON geometry.
pub fn square(x: f64, y: f64, d: f64) -> String {
    format!(
        r#"{{"type":"Polygon","coordinates":[[[{x},{y}],[{x2},{y}],[{x2},{y2}],[{x},{y2}],[{x},{y}]]]}}"#,
        x2 = x + d,
        y2 = y + d
    )
}

/// A FeatureCollection of lots in a row: lot `i` has the properties `props[i]` (a JSON object)
/// and is a square of side `size` at (x0 + i·step, y).
pub fn lots(props: &[&str], x0: f64, y: f64, step: f64, size: f64) -> String {
    let features: Vec<String> = props
        .iter()
        .enumerate()
        .map(|(i, p)| {
            format!(
                r#"{{"type":"Feature","properties":{p},"geometry":{}}}"#,
                square(x0 + step * i as f64, y, size)
            )
        })
        .collect();
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}

/// The two files measured together.
pub fn dataset_of(zones: &str, parcels: &str) -> Dataset {
    Dataset::new(
        Document::parse(Path::new("z.geojson"), zones.as_bytes().to_vec()).expect("zones"),
        Some(
            Document::parse(Path::new("p.geojson"), parcels.as_bytes().to_vec()).expect("parcels"),
        ),
    )
}

/// Three zones: A (Bắc Ninh, operating) and B (Bắc Giang, planned) with 100 ha of industrial
/// land each, C (Bắc Giang) without attributes; the lots `props` in a row inside A.
pub fn three_zones(props: &[&str]) -> Dataset {
    let zones = format!(
        r#"{{"type":"FeatureCollection","features":[
          {{"type":"Feature","properties":{{"name":"A","province":"Bắc Ninh","status":"operating","industrial_land_ha":100}},"geometry":{a}}},
          {{"type":"Feature","properties":{{"name":"B","province":"Bắc Giang","status":"planned","industrial_land_ha":100}},"geometry":{b}}},
          {{"type":"Feature","properties":{{"name":"C","province":"Bắc Giang"}},"geometry":{c}}}]}}"#,
        a = square(106.0, 21.0, 0.01),
        b = square(106.1, 21.0, 0.01),
        c = square(106.2, 21.0, 0.01),
    );
    dataset_of(&zones, &lots(props, 106.0, 21.001, 0.001, 0.0005))
}

/// A deterministic generator for unit tests whose shapes must be the same on every run (a
/// 64-bit LCG, Knuth's constants; the top 53 bits as a number in [0, 1)).
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}
