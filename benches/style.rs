//! Writing in a file's style: learning the style costs the same on a file of ten thousand lots
//! as on one of a million (a sample, never a pass over the file), and writing a reshaped
//! 5,000-vertex zone (one vertex moved: the others' texts kept) takes a few milliseconds.
//!
//! `cargo bench --bench style`; `ZA_BENCH_DATA` names the folder of the benchmark sets
//! (default `/work/bench-data`, made by `benches/scripts/make_data.sh`): `za-10k` and `za-1m`
//! are used when present, generated files of 10,000 and 1,000,000 lots otherwise.
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use geo::{Coord, MultiPolygon, polygon};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use zoneatlas::engine::crs::Crs;
use zoneatlas::engine::geojson::Document;
use zoneatlas::engine::geojson::style::{FileStyle, write_feature, write_geometry};
use zoneatlas::engine::geometry::read_geometry;

/// A FeatureCollection of `n` 10 m square lots.
fn lots(n: usize) -> Vec<u8> {
    let mut s = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
    for i in 0..n {
        if i > 0 {
            s.push_str(",\n");
        }
        let (x, y) = (
            105.0 + (i % 1000) as f64 * 1e-4,
            21.0 + (i / 1000) as f64 * 1e-4,
        );
        let d = 9e-5;
        s.push_str(&format!(
            r#"{{"type":"Feature","properties":{{"parcel_id":"P{i}","status":"leased"}},"geometry":{{"type":"Polygon","coordinates":[[[{x:.7},{y:.7}],[{:.7},{y:.7}],[{:.7},{:.7}],[{x:.7},{:.7}],[{x:.7},{y:.7}]]]}}}}"#,
            x + d,
            x + d,
            y + d,
            y + d
        ));
    }
    s.push_str("\n]}");
    s.into_bytes()
}

fn parcels(set: &str, n: usize) -> Document {
    let dir = std::env::var("ZA_BENCH_DATA").unwrap_or_else(|_| "/work/bench-data".into());
    let path = PathBuf::from(dir).join(set).join("parcels.geojson");
    match Document::open_mapped(&path) {
        Ok(doc) => doc,
        Err(_) => Document::parse(Path::new("generated.geojson"), lots(n)).expect("parses"),
    }
}

/// A zone of `n` vertices (a circle about 2 km across), in `crs`'s text or WGS84.
fn zone(n: usize, crs: Option<&Crs>) -> (String, MultiPolygon<f64>) {
    let ring: Vec<Coord<f64>> = (0..=n)
        .map(|k| {
            let a = (k % n) as f64 / n as f64 * std::f64::consts::TAU;
            Coord {
                x: 106.1 + 0.01 * a.cos(),
                y: 21.1 + 0.01 * a.sin(),
            }
        })
        .collect();
    let positions: Vec<String> = ring
        .iter()
        .map(|c| match crs {
            Some(s) => {
                let (x, y) = s.from_wgs84(c.x, c.y);
                format!("[{x:.3}, {y:.3}]")
            }
            None => format!("[{:.7}, {:.7}]", c.x, c.y),
        })
        .collect();
    let text = format!(
        r#"{{"type": "Polygon", "coordinates": [[{}]]}}"#,
        positions.join(", ")
    );
    let shape = read_geometry(Some(&text), crs).expect("reads");
    (text, shape)
}

fn style(c: &mut Criterion) {
    let mut group = c.benchmark_group("style");
    group.sample_size(20);
    for (set, n) in [("za-10k", 10_000), ("za-1m", 1_000_000)] {
        let doc = parcels(set, n);
        group.bench_with_input(BenchmarkId::new("of", doc.len()), &doc, |b, doc| {
            b.iter(|| black_box(FileStyle::of(doc)))
        });
    }
    let doc = Document::parse(Path::new("lots.geojson"), lots(100)).expect("parses");
    let plain = FileStyle::of(&doc);
    for crs in [None, Crs::from_epsg(3405)] {
        let (text, shape) = zone(5_000, crs.as_ref());
        let mut moved = shape.clone();
        moved.0[0].exterior_mut(|r| r.0[10].x += 1e-4);
        let label = crs.map_or("wgs84".to_string(), |c| c.epsg.to_string());
        group.bench_function(BenchmarkId::new("reshape-5000", &label), |b| {
            b.iter(|| black_box(write_geometry(&moved, &plain, crs.as_ref(), Some(&text))))
        });
        group.bench_function(BenchmarkId::new("new-5000", &label), |b| {
            b.iter(|| black_box(write_geometry(&moved, &plain, crs.as_ref(), None)))
        });
    }
    let lot = MultiPolygon(vec![polygon![
        (x: 106.0, y: 21.0),
        (x: 106.0001, y: 21.0),
        (x: 106.0001, y: 21.0001),
    ]]);
    let properties = vec![
        ("parcel_id".to_string(), serde_json::json!("A-01-1")),
        ("status".to_string(), serde_json::json!("vacant")),
    ];
    group.bench_function("new-lot-feature", |b| {
        b.iter(|| {
            let g = write_geometry(&lot, &plain, None, None);
            black_box(write_feature(&plain, None, &properties, &g))
        })
    });
    group.finish();
}

criterion_group!(benches, style);
criterion_main!(benches);
