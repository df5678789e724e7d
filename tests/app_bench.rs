//! A benchmark, not a timed test: the map's own work per frame (culling, building meshes,
//! labels) at every zoom level, driven headlessly through an egui context.
//!
//! ```sh
//! python3 ../shared/bench/gen_zones.py --zones 200 --parcels 100000 --seed 1 --out /tmp/bench100k
//! ZONEATLAS_BENCH_DIR=/tmp/bench100k cargo test --release --test app_bench -- --ignored --nocapture
//! ```
//! Without `ZONEATLAS_BENCH_DIR` it runs on the built-in sample.

use egui::{Pos2, RawInput, Rect, vec2};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use zoneatlas::app::map::{MapMemory, MapView};
use zoneatlas::app::session::Session;
use zoneatlas::app::session::edit::Edit;
use zoneatlas::app::view::ViewState;
use zoneatlas::app::{fonts, sample_dataset};
use zoneatlas::engine::dataset::Dataset;

fn frame(
    ctx: &egui::Context,
    session: &Session,
    memory: &mut MapMemory,
    size: egui::Vec2,
) -> (Duration, Duration) {
    let input = RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, size)),
        ..Default::default()
    };
    let started = Instant::now();
    let mut out = ctx.run_ui(input, |ui| {
        egui::CentralPanel::no_frame().show(ui, |ui| {
            MapView::new(session, &ViewState::default(), memory).show(ui);
        });
    });
    let pass = started.elapsed();
    let t = Instant::now();
    out.textures_delta.clear(); // no GPU to upload the font atlas to
    let _ = ctx.tessellate(out.shapes, out.pixels_per_point);
    (pass, t.elapsed())
}

fn pct(v: &mut [Duration], p: f64) -> f64 {
    v.sort();
    v[((v.len() - 1) as f64 * p).round() as usize].as_secs_f64() * 1e3
}

#[test]
#[ignore = "a benchmark: run with --ignored --nocapture (and --release)"]
fn map_frame_cost_at_every_zoom() {
    let started = Instant::now();
    let ds = match std::env::var_os("ZONEATLAS_BENCH_DIR").map(PathBuf::from) {
        Some(dir) => Dataset::open(
            &dir.join("zones.geojson"),
            Some(&dir.join("parcels.geojson")),
        )
        .expect("bench data"),
        None => sample_dataset(),
    };
    let n_parcels = ds.parcels.as_ref().map_or(0, |p| p.len());
    println!(
        "loaded {} zones, {n_parcels} parcels in {:.2} s",
        ds.zones.len(),
        started.elapsed().as_secs_f64()
    );
    // What one edit costs the window (figures, then the findings panel), on this data.
    {
        let mut session = Session::new(ds.clone());
        let mut view = ViewState::default();
        let t = Instant::now();
        let _ = view.findings(&session);
        println!(
            "findings: {} in {:.0} ms",
            view.findings(&session).len(),
            t.elapsed().as_secs_f64() * 1e3
        );
        if n_parcels > 0 {
            let t = Instant::now();
            session.apply(Edit::one(
                zoneatlas::engine::model::LayerKind::Parcels,
                0,
                "status",
                Some(serde_json::Value::from("reserved")),
                "status",
            ));
            println!(
                "a parcel's status edited: figures follow in {:.0} ms",
                t.elapsed().as_secs_f64() * 1e3
            );
            let t = Instant::now();
            let _ = view.findings(&session);
            println!(
                "findings after the edit: {:.0} ms",
                t.elapsed().as_secs_f64() * 1e3
            );
        }
        let t = Instant::now();
        session.apply(Edit::one(
            zoneatlas::engine::model::LayerKind::Zones,
            0,
            "industrial_land_ha",
            Some(serde_json::Value::from(123)),
            "industrial land",
        ));
        println!(
            "a zone's industrial land edited: figures follow in {:.1} ms",
            t.elapsed().as_secs_f64() * 1e3
        );
    }
    let ctx = egui::Context::default();
    fonts::install(&ctx);
    let size = vec2(1600.0, 1000.0);
    let session = Session::new(ds);
    let mut memory = MapMemory::default();
    frame(&ctx, &session, &mut memory, size); // fits the data
    // The lots are drawn once their R-tree is built (on another thread, after loading).
    memory.wait_for_lots();
    let fitted = memory.camera.zoom;
    // Zoom in towards the largest zone, one level at a time.
    let z = (0..session.ds.zones.len())
        .max_by(|a, b| {
            let n = |z: usize| {
                session.ds.figures[z].measured.parcels_leased
                    + session.ds.figures[z].measured.parcels_vacant
            };
            n(*a).cmp(&n(*b))
        })
        .expect("zones");
    let busiest = session.ds.zones.shapes[z].bbox().expect("bbox").center();
    let all = zoneatlas::app::map::data_bounds(&session.ds)
        .expect("bounds")
        .center();
    for (place, target) in [
        ("the busiest zone", busiest),
        ("the middle of the data", all),
    ] {
        println!(
            "\nzooming in on {place}, 30 frames per level, panning every frame, {}×{} px",
            size.x, size.y
        );
        println!(
            "zoom | parcels drawn | vertices | labels | app build ms (median / p95 / max) | first frame ms | egui pass ms (median) | tessellate ms (median)"
        );
        let mut level = fitted.floor();
        while level <= fitted.floor() + 11.0 {
            memory.camera.zoom = level.max(fitted);
            memory.camera.centre = zoneatlas::app::map::projection::to_world(geo::Coord {
                x: target.x,
                y: target.y,
            });
            let (mut builds, mut passes, mut tess) = (Vec::new(), Vec::new(), Vec::new());
            let mut first = None;
            for i in 0..30 {
                // Pan a little every frame, as a drag does.
                memory
                    .camera
                    .pan(vec2(if i % 2 == 0 { 25.0 } else { -20.0 }, 15.0));
                let (pass, t) = frame(&ctx, &session, &mut memory, size);
                first.get_or_insert(memory.stats.build);
                builds.push(memory.stats.build);
                passes.push(pass);
                tess.push(t);
            }
            let s = memory.stats;
            println!(
                "{:4.1} | {:13} | {:8} | {:6} | {:6.2} / {:6.2} / {:6.2} | {:8.2} | {:8.2} | {:8.2}",
                memory.camera.zoom,
                s.parcels_drawn,
                s.vertices,
                s.labels_drawn,
                pct(&mut builds.clone(), 0.5),
                pct(&mut builds.clone(), 0.95),
                pct(&mut builds, 1.0),
                first.unwrap_or_default().as_secs_f64() * 1e3,
                pct(&mut passes, 0.5),
                pct(&mut tess, 0.5),
            );
            level += 1.0;
        }
    }
}
