//! What several integration tests share: the app in a kittest window, a copy of the sample in
//! a folder, the command line run in a folder of files, and a closed-form area to check against.
//! (Each test crate uses only part of it.)
#![allow(dead_code)]

use egui_kittest::Harness;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use zoneatlas::app::ZoneAtlasApp;
use zoneatlas::engine::dataset::Dataset;

/// The whole window at 1600 × 1000 with the app's fonts, after its first frames, with what
/// is computed on other threads shown ([`settle`]).
pub fn harness(app: ZoneAtlasApp) -> Harness<'static, ZoneAtlasApp> {
    let mut h = Harness::builder()
        .with_size([1600.0, 1000.0])
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
