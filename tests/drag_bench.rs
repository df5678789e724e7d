//! A benchmark, not a timed test: dragging a corner of a 5,000-vertex zone with the Reshape
//! tool, in the whole window driven headlessly at 1600 × 1000 (each frame is the app's `show`
//! plus egui's tessellation; the GPU is not included). The zone holds 10,000 lots, some
//! sharing its boundary; snapping and shared corners are on, as by default.
//!
//! ```sh
//! cargo test --release --test drag_bench -- --ignored --nocapture
//! ```
//!
//! Prints the frames' milliseconds while the corner follows the pointer (median, p95, max), and
//! the frame that lets go (the edit: the zone and the lots that share the corner reshaped, the
//! figures and the map following).

use egui::{Event, PointerButton, Pos2, RawInput, Rect, vec2};
use std::path::Path;
use std::time::{Duration, Instant};

use zoneatlas::app::ZoneAtlasApp;
use zoneatlas::app::dialogs::TestDialogs;
use zoneatlas::app::map::tools::Tool;
use zoneatlas::app::view::Selection;
use zoneatlas::engine::dataset::Dataset;
use zoneatlas::engine::geojson::Document;

const ZONE_VERTICES: usize = 5_000;
const LOTS_PER_SIDE: usize = 100;

/// A round zone of `ZONE_VERTICES` corners, about 1.1 km across, and a grid of lots inside it.
fn data() -> Dataset {
    let (cx, cy, r) = (106.0, 21.0, 0.006);
    let ring: Vec<String> = (0..=ZONE_VERTICES)
        .map(|k| {
            let a = std::f64::consts::TAU * (k % ZONE_VERTICES) as f64 / ZONE_VERTICES as f64;
            format!("[{:.7},{:.7}]", cx + r * a.cos(), cy + r * a.sin())
        })
        .collect();
    let zones = format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"zone_id":"Z","name":"KCN Tròn","industrial_land_ha":100}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}]}}"#,
        ring.join(",")
    );
    let step = 2.0 * r * 0.7 / LOTS_PER_SIDE as f64;
    let (x0, y0) = (cx - r * 0.7, cy - r * 0.7);
    let mut lots = Vec::new();
    for i in 0..LOTS_PER_SIDE {
        for j in 0..LOTS_PER_SIDE {
            let (x, y) = (x0 + i as f64 * step, y0 + j as f64 * step);
            let c = |dx: f64, dy: f64| format!("[{:.7},{:.7}]", x + dx * step, y + dy * step);
            lots.push(format!(
                r#"{{"type":"Feature","properties":{{"parcel_id":"L-{i}-{j}","zone_id":"Z","status":"leased"}},"geometry":{{"type":"Polygon","coordinates":[[{},{},{},{},{}]]}}}}"#,
                c(0.0, 0.0),
                c(1.0, 0.0),
                c(1.0, 1.0),
                c(0.0, 1.0),
                c(0.0, 0.0)
            ));
        }
    }
    let parcels = format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        lots.join(",\n")
    );
    let z = Document::parse(Path::new("zones.geojson"), zones.into_bytes()).expect("zones");
    let p = Document::parse(Path::new("parcels.geojson"), parcels.into_bytes()).expect("lots");
    Dataset::new(z, Some(p))
}

struct Window {
    ctx: egui::Context,
    app: ZoneAtlasApp,
    started: Instant,
}

impl Window {
    fn frame(&mut self, events: Vec<Event>) -> Duration {
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(1600.0, 1000.0))),
            time: Some(self.started.elapsed().as_secs_f64()),
            events,
            ..Default::default()
        };
        let t = Instant::now();
        let app = &mut self.app;
        let mut out = self.ctx.run_ui(input, |ui| app.show(ui));
        out.textures_delta.clear();
        let _ = self.ctx.tessellate(out.shapes, out.pixels_per_point);
        t.elapsed()
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn summary(mut times: Vec<Duration>) -> String {
    times.sort();
    let at = |q: f64| ms(times[((times.len() - 1) as f64 * q).round() as usize]);
    format!(
        "median {:.2} ms, p95 {:.2} ms, max {:.2} ms ({} frames)",
        at(0.5),
        at(0.95),
        at(1.0),
        times.len()
    )
}

/// Drags the zone's corner at `angle` (radians from east) 60 px inwards (or outwards) over 120
/// frames and lets go; prints what the frames took.
fn drag_corner(what: &str, angle: f64, outwards: bool) {
    let ctx = egui::Context::default();
    zoneatlas::app::fonts::install(&ctx);
    let mut w = Window {
        ctx,
        app: ZoneAtlasApp::new(data(), Box::new(TestDialogs::new())),
        started: Instant::now(),
    };
    for _ in 0..5 {
        w.frame(Vec::new());
    }
    w.app.wait_for_background();
    w.frame(Vec::new());
    w.app.view.selection = Some(Selection::Zone(0));
    w.app.map.tools.choose(Tool::Reshape);
    for _ in 0..3 {
        w.frame(Vec::new());
    }
    let k = (angle / std::f64::consts::TAU * ZONE_VERTICES as f64).round();
    let a = std::f64::consts::TAU * k / ZONE_VERTICES as f64;
    let corner = geo::coord! { x: 106.0 + 0.006 * a.cos(), y: 21.0 + 0.006 * a.sin() };
    let from = w.app.map.screen_pos(corner);
    let inwards = (w.app.map.view.center() - from).normalized() * if outwards { -1.0 } else { 1.0 };
    assert!(w.app.map.view.contains(from), "the zone is on screen");
    w.frame(vec![Event::PointerMoved(from)]);
    w.frame(vec![Event::PointerButton {
        pos: from,
        button: PointerButton::Primary,
        pressed: true,
        modifiers: Default::default(),
    }]);
    let mut dragging = Vec::new();
    for k in 1..=120 {
        let p = from + inwards * (0.5 * k as f32);
        dragging.push(w.frame(vec![Event::PointerMoved(p)]));
    }
    let to = from + inwards * 60.0;
    let history = w.app.session.history.len();
    let release = w.frame(vec![Event::PointerButton {
        pos: to,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Default::default(),
    }]);
    let after = w.frame(Vec::new());
    assert_eq!(
        w.app.session.history.len(),
        history + 1,
        "the drag made one edit"
    );
    // Where the edit's time goes: the engine's operations for it (a further small move of the
    // same corner), the session applying them (figures, R-trees, journal), and the frame that
    // draws the result (the zone's mesh).
    let vertex = zoneatlas::engine::shape_edit::VertexRef {
        polygon: 0,
        ring: 0,
        vertex: k as usize % ZONE_VERTICES,
    };
    let zone = w.app.session.ds.zones.shapes[0]
        .geometry()
        .expect("zone")
        .clone();
    let now = zoneatlas::engine::shape_edit::vertex_at(&zone, vertex).expect("the corner");
    let toward = w
        .app
        .map
        .camera
        .screen_to_lonlat(w.app.map.view.center(), w.app.map.view);
    let plan = zoneatlas::engine::planning::Plan::MoveVertex {
        feature: zoneatlas::engine::planning::FeatureRef {
            layer: zoneatlas::engine::model::LayerKind::Zones,
            index: 0,
        },
        vertex,
        to: geo::coord! { x: now.x + (toward.x - now.x) * 0.01, y: now.y + (toward.y - now.y) * 0.01 },
        shared: true,
    };
    let t = Instant::now();
    let ops = plan
        .ops(&w.app.session.ds)
        .expect("the corner moves further in");
    let planned = t.elapsed();
    let t = Instant::now();
    assert!(w.app.session.apply(zoneatlas::app::session::edit::Edit {
        ops,
        what: "further".into(),
    }));
    let applied = t.elapsed();
    let drawn = w.frame(Vec::new());
    println!(
        "{what}: a further move: operations {:.2} ms, applied {:.2} ms, next frame {:.2} ms",
        ms(planned),
        ms(applied),
        ms(drawn)
    );
    println!("{what}: dragging: {}", summary(dragging));
    println!(
        "{what}: letting go (the edit): {:.2} ms, the frame after: {:.2} ms",
        ms(release),
        ms(after)
    );
}

#[test]
#[ignore = "a benchmark: cargo test --release --test drag_bench -- --ignored --nocapture"]
fn dragging_a_corner_of_a_5000_vertex_zone() {
    // A corner at 45°: the zone's box stays as it is.
    drag_corner("corner at 45°, inwards", std::f64::consts::FRAC_PI_4, false);
    // The easternmost corner: the zone's box shrinks, or grows.
    drag_corner("easternmost corner, inwards", 0.0, false);
    drag_corner("easternmost corner, outwards", 0.0, true);
}
