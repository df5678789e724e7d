//! Reading scales linearly: a FeatureCollection of N and 4N entries that are not features
//! (`[1,1,1,…]`, once read in quadratic time), and of N/5 and 4N/5 small lots, read and
//! measured as a zones file (`Document::parse` + `Dataset::new`, what `report` does before
//! writing). The time for 4N must stay under 6× the time for N (BENCHMARKS.md, issue 10).
//!
//! `cargo bench --bench reading`; `ZA_BENCH_N` sets N (default 250,000: a million entries).
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;
use zoneatlas::engine::dataset::Dataset;
use zoneatlas::engine::geojson::Document;

fn collection(n: usize, feature: impl Fn(usize) -> String) -> Vec<u8> {
    let mut s = String::from("{\"type\":\"FeatureCollection\",\"features\":[");
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&feature(i));
    }
    s.push_str("]}");
    s.into_bytes()
}

/// A 10 m square lot, in a grid.
fn parcel(i: usize) -> String {
    let (x, y) = (
        105.0 + (i % 1000) as f64 * 1e-4,
        21.0 + (i / 1000) as f64 * 1e-4,
    );
    let d = 9e-5;
    format!(
        r#"{{"type":"Feature","properties":{{"parcel_id":"P{i}","status":"leased"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]]}}}}"#,
        x + d,
        x + d,
        y + d,
        y + d
    )
}

fn read(c: &mut Criterion) {
    let n: usize = std::env::var("ZA_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(250_000);
    let mut group = c.benchmark_group("read");
    group.sample_size(10);
    for (what, base, make) in [
        (
            "non-features",
            n,
            (|_| "1".to_string()) as fn(usize) -> String,
        ),
        ("lots", n / 5, parcel),
    ] {
        for size in [base, 4 * base] {
            let bytes = collection(size, make);
            group.bench_with_input(BenchmarkId::new(what, size), &bytes, |b, bytes| {
                b.iter(|| {
                    let doc = Document::parse(Path::new("bench.geojson"), bytes.clone())
                        .expect("generated files parse");
                    black_box(Dataset::new(doc, None))
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, read);
criterion_main!(benches);
