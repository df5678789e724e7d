//! A benchmark, not a timed test: what one attribute edit costs the engine (the edit, the
//! reading of the feature again, and the figures that follow), by kind of edit.
//!
//! ```sh
//! ZONEATLAS_BENCH_DIR=/work/bench-data/za-1m cargo test --release --test edit_bench -- --ignored --nocapture
//! ```
//! Without `ZONEATLAS_BENCH_DIR` it runs on the built-in sample.

use serde_json::Value;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use geo::MapCoords;
use zoneatlas::app::sample_dataset;
use zoneatlas::engine::dataset::Dataset;
use zoneatlas::engine::edit::Op;
use zoneatlas::engine::model::LayerKind;
use zoneatlas::engine::properties::ParcelStatus;

fn ms(v: &mut [Duration], p: f64) -> f64 {
    v.sort();
    v[((v.len() - 1) as f64 * p).round() as usize].as_secs_f64() * 1e3
}

fn row(what: &str, times: &mut [Duration]) {
    println!(
        "{what:<44} | {:8.3} | {:8.3} | {:8.3}",
        ms(times, 0.5),
        ms(times, 0.95),
        ms(times, 1.0)
    );
}

#[test]
#[ignore = "a benchmark: run with --ignored --nocapture (and --release)"]
fn attribute_edit_cost() {
    let started = Instant::now();
    let mut ds = match std::env::var_os("ZONEATLAS_BENCH_DIR").map(PathBuf::from) {
        Some(dir) => Dataset::open(
            &dir.join("zones.geojson"),
            Some(&dir.join("parcels.geojson")),
        )
        .expect("bench data"),
        None => sample_dataset(),
    };
    let n = ds.parcels.as_ref().map_or(0, |p| p.len());
    // The lots' R-tree, as the app builds it after loading: a lot's planning edit then
    // updates its zone's facts rather than measuring the zone again.
    ds.parcel_index();
    println!(
        "loaded {} zones, {n} parcels in {:.2} s",
        ds.zones.len(),
        started.elapsed().as_secs_f64()
    );
    // Leased lots spread over the file, each edited and then set back, so that every edit
    // starts from the data as loaded.
    let leased: Vec<usize> = {
        let parcels = ds.parcels.as_ref().expect("parcels");
        let step = (n / 200).max(1);
        (0..n)
            .step_by(step)
            .filter(|&p| parcels.items[p].status == ParcelStatus::Leased)
            .collect()
    };
    println!(
        "{} lots, each edited and set back; ms per edit\nedit | median | p95 | max",
        leased.len()
    );
    let mut timed = |what: &str, key: &str, value: Value| {
        let mut times = Vec::new();
        for &p in &leased {
            let t = Instant::now();
            let before = ds.set_parcel_property(p, key, Some(value.clone()));
            times.push(t.elapsed());
            let t = Instant::now();
            ds.set_parcel_property(p, key, before);
            times.push(t.elapsed());
        }
        row(what, &mut times);
    };
    timed(
        "a lot's tenant (no figure changes)",
        "tenant",
        Value::from("Công ty X"),
    );
    timed(
        "a lot's status (its zone summed again)",
        "status",
        Value::from("vacant"),
    );
    timed(
        "a lot's land use (its zone summed again)",
        "land_use",
        Value::from("service"),
    );
    let mut times = Vec::new();
    for z in 0..ds.zones.len().min(200) {
        let t = Instant::now();
        let before = ds.set_zone_property(z, "industrial_land_ha", Some(Value::from(123.5)));
        times.push(t.elapsed());
        ds.set_zone_property(z, "industrial_land_ha", before);
    }
    row("a zone's industrial land", &mut times);

    // Planning edits, each undone by its inverse: a lot moved a little (its zone measured
    // again), a lot deleted and restored, a lot inserted (a copy of one, beside it) and
    // deleted again.
    let mut edit_and_undo = |what: &str, op_for: &dyn Fn(&Dataset, usize) -> Op| {
        let mut times = Vec::new();
        for &p in &leased {
            let op = op_for(&ds, p);
            let t = Instant::now();
            let inverse = ds.apply(&op).expect("applies");
            times.push(t.elapsed());
            let t = Instant::now();
            ds.apply(&inverse).expect("undoes");
            times.push(t.elapsed());
        }
        row(what, &mut times);
    };
    let moved = |ds: &Dataset, p: usize| -> String {
        let g = ds.parcels.as_ref().expect("parcels").shapes[p]
            .geometry()
            .expect("a shape")
            .clone();
        let shifted = g.map_coords(|c| geo::Coord {
            x: c.x + 1e-6,
            y: c.y,
        });
        serde_json::to_string(&geojson::Geometry::from(&shifted)).expect("json")
    };
    edit_and_undo("a lot's shape (its zone's facts updated)", &|ds, p| {
        Op::Geometry {
            layer: LayerKind::Parcels,
            feature: p,
            geometry: Some(moved(ds, p).into()),
        }
    });
    edit_and_undo("a lot deleted (its zone's facts updated)", &|_, p| {
        Op::Delete {
            layer: LayerKind::Parcels,
            feature: p,
        }
    });
    edit_and_undo("a lot inserted (its zone's facts updated)", &|ds, p| {
        Op::Insert {
            layer: LayerKind::Parcels,
            feature: format!(
                r#"{{"type":"Feature","properties":{{"parcel_id":"NEW-{p}","status":"leased"}},"geometry":{}}}"#,
                moved(ds, p)
            )
            .into(),
        }
    });
}
