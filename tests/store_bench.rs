//! The shared store's speed on a generated board (ignored by default; needs PostgreSQL with
//! PostGIS, see tests/common/pg.rs):
//!
//! ```text
//! python3 tests/data/bench/gen_zones.py --zones 200 --parcels 100000 --seed 1 --out /tmp/za-100k
//! ZONEATLAS_BENCH_DIR=/tmp/za-100k cargo test --release --test store_bench -- --ignored --nocapture
//! ```
//!
//! Opening the board from the database against opening the same GeoJSON files (medians of
//! five, side by side in one run; target ≤ 2×), and one edit's round trip on loopback
//! (target ≤ 50 ms).

mod common;

use common::pg::Server;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use zoneatlas::engine::dataset::Dataset;
use zoneatlas::engine::model::LayerKind;
use zoneatlas::engine::script;
use zoneatlas::engine::store::apply::{RowStep, apply_rows};
use zoneatlas::engine::store::schema::{self, BoardName};
use zoneatlas::engine::store::{Target, board};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[test]
#[ignore = "a benchmark: run with --release --ignored and ZONEATLAS_BENCH_DIR"]
fn open_from_the_database_and_edit_round_trip() {
    let dir = PathBuf::from(std::env::var("ZONEATLAS_BENCH_DIR").expect("ZONEATLAS_BENCH_DIR"));
    let (zones, parcels) = (dir.join("zones.geojson"), dir.join("parcels.geojson"));
    let Some(server) = Server::start() else {
        return;
    };
    let url = server.database("bench");
    let target = Target::parse(&url).expect("url");
    let mut client = target.connect().expect("connects");
    let b = BoardName::new("bench").expect("name");
    schema::init(&mut client, &b, None).expect("init");
    let ds = Dataset::open(&zones, Some(&parcels)).expect("opens");
    let lots = ds.parcels.as_ref().map_or(0, |p| p.items.len());
    let t = Instant::now();
    board::import(&mut client, &b, &ds).expect("imports");
    println!("import of {lots} lots: {:.2} s", t.elapsed().as_secs_f64());
    drop(ds);

    let (mut files, mut db) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let t = Instant::now();
        let ds = Dataset::open(&zones, Some(&parcels)).expect("opens");
        files.push(t.elapsed());
        drop(ds);
        let t = Instant::now();
        let loaded = board::load(&mut client, &target, &b).expect("loads");
        db.push(t.elapsed());
        assert_eq!(loaded.parcels.as_ref().map_or(0, |r| r.len()), lots);
    }
    let (f, d) = (median(files), median(db));
    println!(
        "open {lots} lots, median of 5: GeoJSON files {:.3} s, database {:.3} s, ratio {:.2}",
        f.as_secs_f64(),
        d.as_secs_f64(),
        d.as_secs_f64() / f.as_secs_f64()
    );

    // One edit's round trip: a lot's tenant set (made on the value before), as a window sends it.
    let loaded = board::load(&mut client, &target, &b).expect("loads");
    let rows = loaded.parcels.as_ref().expect("parcels");
    let mut trips = Vec::new();
    let mut before = serde_json::Value::Null;
    for k in 0..200 {
        let fid = rows.fid[(k * 7919) % rows.len()];
        let value = format!("Công ty {k}");
        let step = script::parse(
            &serde_json::json!([{"op": "set", "layer": "parcels", "at": 1, "key": "bench_note",
                "value": value, "from": before}])
            .to_string(),
        )
        .expect("step")
        .remove(0);
        let t = Instant::now();
        apply_rows(
            &mut client,
            &target,
            &b,
            &[RowStep {
                layer: LayerKind::Parcels,
                fid: Some(fid),
                step,
            }],
        )
        .expect("applies");
        trips.push(t.elapsed());
        // Each lot is edited once: the value before is always none.
        before = serde_json::Value::Null;
    }
    trips.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "edit round trip on loopback, 200 edits: median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        ms(trips[100]),
        ms(trips[190]),
        ms(trips[199])
    );
}
