//! What several integration tests share: the app in a kittest window, a copy of the sample in
//! a folder, the command line run in a folder of files, and a closed-form area to check against.
//! (Each test crate uses only part of it.)
#![allow(dead_code)]

pub mod pg;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use zoneatlas::app::ZoneAtlasApp;
use zoneatlas::engine::dataset::Dataset;
use zoneatlas::engine::model::Parcel;

/// The whole window at 1600 × 1000 with the app's fonts, after its first frames, with what
/// is computed on other threads shown ([`settle`]).
pub fn harness(app: ZoneAtlasApp) -> Harness<'static, ZoneAtlasApp> {
    harness_stepping(app, 0.25)
}

/// [`harness`], each frame `step_dt` seconds after the last (kittest's default is 0.25 s;
/// a double-click needs its clicks within 0.3 s, so frames of 20 ms).
pub fn harness_stepping(app: ZoneAtlasApp, step_dt: f32) -> Harness<'static, ZoneAtlasApp> {
    let mut h = Harness::builder()
        .with_size([1600.0, 1000.0])
        .with_step_dt(step_dt)
        .with_max_steps(60)
        .with_context_setup(zoneatlas::app::fonts::install)
        .build_ui_state(|ui, app: &mut ZoneAtlasApp| app.show(ui), app);
    settle(&mut h);
    h
}

/// Runs frames until the work on other threads (loading, findings, figures on a date, the
/// dashboard's parts) has ended and its results are drawn.
pub fn settle(h: &mut Harness<'static, ZoneAtlasApp>) {
    loop {
        h.run();
        if h.state().is_busy() {
            h.state_mut().wait_for_background();
            continue;
        }
        // A change made in the last frame starts its work in the next one.
        h.run();
        if !h.state().is_busy() {
            return;
        }
    }
}

/// A click at `pos` with `modifiers` held (the pointer moved there first).
pub fn click_with(h: &mut Harness<'static, ZoneAtlasApp>, pos: egui::Pos2, modifiers: Modifiers) {
    h.event(egui::Event::ModifiersChanged(modifiers));
    h.hover_at(pos);
    h.run();
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers,
        });
    }
    h.run();
    if modifiers != Modifiers::NONE {
        h.event(egui::Event::ModifiersChanged(Modifiers::NONE));
        h.run();
    }
}

/// xorshift64*: a reproducible stream without a dependency (the randomised sessions').
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// Uniform in [-1, 1).
    pub fn signed(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 52) as f64 - 1.0
    }
}

/// Types into the field labelled `label`, replacing its text, without pressing Enter.
pub fn type_only(h: &mut Harness<'static, ZoneAtlasApp>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

/// Types into the field labelled `label`, replacing its text, and presses Enter.
pub fn type_into(h: &mut Harness<'static, ZoneAtlasApp>, label: &str, text: &str) {
    type_only(h, label, text);
    h.key_press(Key::Enter);
    h.run();
}

/// The app's parcel at position `p`.
pub fn parcel<'a>(h: &'a Harness<'static, ZoneAtlasApp>, p: usize) -> &'a Parcel {
    &h.state()
        .session
        .ds
        .parcels
        .as_ref()
        .expect("parcels")
        .items[p]
}

/// The sample's two files copied into `dir`: (zones, parcels).
pub fn copy_sample(dir: &Path) -> (PathBuf, PathBuf) {
    let z = dir.join("zones.geojson");
    let p = dir.join("parcels.geojson");
    std::fs::copy("sample_zones/zones.geojson", &z).expect("copy");
    std::fs::copy("sample_zones/parcels.geojson", &p).expect("copy");
    (z, p)
}

/// The position of the zone called `name`.
pub fn zone_named(ds: &Dataset, name: &str) -> usize {
    ds.zones
        .items
        .iter()
        .position(|z| z.name == name)
        .expect("zone in the sample")
}

/// A temporary folder holding some files, where the command line runs.
pub struct Workdir {
    pub dir: tempfile::TempDir,
}

impl Workdir {
    pub fn new(files: &[(&str, &str)]) -> Workdir {
        let dir = tempfile::tempdir().expect("tempdir");
        for (name, contents) in files {
            std::fs::write(dir.path().join(name), contents).expect("write");
        }
        Workdir { dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `zoneatlas ARGS` run in the folder.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_zoneatlas"))
            .current_dir(self.dir.path())
            .args(args)
            .output()
            .expect("runs")
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).expect("read")
    }
}

/// Area of a longitude/latitude quadrangle on the WGS84 ellipsoid, in hectares, from the
/// closed form with the authalic function q(φ) — independent of the engine's code path.
pub fn quadrangle_ha(lon0: f64, lat0: f64, lon1: f64, lat1: f64) -> f64 {
    let a: f64 = 6_378_137.0;
    let f = 1.0 / 298.257_223_563;
    let e2: f64 = f * (2.0 - f);
    let e = e2.sqrt();
    let q = |lat: f64| {
        let s = lat.to_radians().sin();
        (1.0 - e2)
            * (s / (1.0 - e2 * s * s) - (1.0 / (2.0 * e)) * ((1.0 - e * s) / (1.0 + e * s)).ln())
    };
    (lon1 - lon0).to_radians() * a * a / 2.0 * (q(lat1) - q(lat0)) / 1e4
}

/// Whether `p` is in the triangle (one without area covers nothing).
fn inside(p: egui::Pos2, a: egui::Pos2, b: egui::Pos2, c: egui::Pos2) -> bool {
    let d = |p1: egui::Pos2, p2: egui::Pos2, p3: egui::Pos2| {
        (p1.x - p3.x) * (p2.y - p3.y) - (p2.x - p3.x) * (p1.y - p3.y)
    };
    if d(a, b, c).abs() < 1e-6 {
        return false;
    }
    let (d1, d2, d3) = (d(p, a, b), d(p, b, c), d(p, c, a));
    let neg = d1 < 0.0 || d2 < 0.0 || d3 < 0.0;
    let pos = d1 > 0.0 || d2 > 0.0 || d3 > 0.0;
    !(neg && pos)
}

/// The colour at a point: every triangle covering it blended in paint order (premultiplied
/// alpha, as egui paints).
pub fn sample(prims: &[egui::epaint::ClippedPrimitive], p: egui::Pos2) -> egui::Color32 {
    let mut rgb = [0.0f32; 3];
    for prim in prims {
        let egui::epaint::Primitive::Mesh(mesh) = &prim.primitive else {
            continue;
        };
        if !prim.clip_rect.contains(p) {
            continue;
        }
        for t in mesh.indices.chunks(3) {
            let [a, b, c] = [t[0], t[1], t[2]].map(|i| mesh.vertices[i as usize]);
            if inside(p, a.pos, b.pos, c.pos) {
                let [r, g, bl, al] = a.color.to_array().map(|x| f32::from(x) / 255.0);
                rgb = [
                    r + rgb[0] * (1.0 - al),
                    g + rgb[1] * (1.0 - al),
                    bl + rgb[2] * (1.0 - al),
                ];
            }
        }
    }
    let [r, g, b] = rgb.map(|x| (x * 255.0).round().clamp(0.0, 255.0) as u8);
    egui::Color32::from_rgb(r, g, b)
}

/// eframe's storage in memory: what a window remembers for its next run, in a test.
#[derive(Default)]
pub struct MemoryStorage(pub std::collections::HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_string(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}
