//! A benchmark, not a timed test: the whole window's frames, as the user meets them, on large
//! data. The app is driven headlessly through an egui context at 1600 × 1000, about 60 frames
//! a second; each frame is the app's `show` plus egui's tessellation (the GPU is not included).
//!
//! ```sh
//! ZONEATLAS_BENCH_DIR=/work/bench-data/za-1m cargo test --release --test app_frames_bench -- --ignored --nocapture
//! ```
//!
//! Steps: opening the files (from the open action to the end of the first frame that draws
//! them, and the frames meanwhile); the frames after; attribute edits (each from the edit
//! action to the end of the next frame, and until the work it starts on other threads, the
//! findings, has been shown); undo and redo; the data as of a date (and until its figures and
//! findings are shown); the dashboard. Edits are journaled to a recovery file and files read
//! from private copies, as in the app. Without `ZONEATLAS_BENCH_DIR` it runs on the built-in
//! sample's files.

use egui::{Pos2, RawInput, Rect, vec2};
use serde_json::Value;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use zoneatlas::app::action::{Action, EditAction, ViewAction};
use zoneatlas::app::dialogs::TestDialogs;
use zoneatlas::app::session::edit::Edit;
use zoneatlas::app::view::Selection;
use zoneatlas::app::{ZoneAtlasApp, empty_dataset, fonts};
use zoneatlas::engine::model::LayerKind;
use zoneatlas::engine::properties::{Date, ParcelStatus};

struct Window {
    ctx: egui::Context,
    app: ZoneAtlasApp,
    started: Instant,
}

impl Window {
    /// One frame: the app's pass and egui's tessellation. Returns how long it took.
    fn frame(&mut self) -> Duration {
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(1600.0, 1000.0))),
            time: Some(self.started.elapsed().as_secs_f64()),
            ..Default::default()
        };
        let t = Instant::now();
        let app = &mut self.app;
        let mut out = self.ctx.run_ui(input, |ui| app.show(ui));
        out.textures_delta.clear(); // no GPU to upload the font atlas to
        let _ = self.ctx.tessellate(out.shapes, out.pixels_per_point);
        t.elapsed()
    }

    /// Frames at about 60 a second for `d`; their durations.
    fn frames_for(&mut self, d: Duration) -> Vec<Duration> {
        let until = Instant::now() + d;
        let mut times = Vec::new();
        while Instant::now() < until {
            let t = self.frame();
            times.push(t);
            std::thread::sleep(Duration::from_millis(16).saturating_sub(t));
        }
        times
    }

    /// Frames at about 60 a second until no work is left on other threads (or `limit`); their
    /// durations, and how long after `since` the work was done.
    fn frames_until_idle(&mut self, since: Instant, limit: Duration) -> (Vec<Duration>, Duration) {
        let mut times = vec![self.frame()];
        while self.app.is_busy() && since.elapsed() < limit {
            std::thread::sleep(Duration::from_millis(16));
            times.push(self.frame());
        }
        // The frame that shows what arrived.
        times.push(self.frame());
        (times, since.elapsed())
    }

    fn apply(&mut self, action: Action) {
        let ctx = self.ctx.clone();
        self.app.apply(&ctx, action);
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn pct(v: &[Duration], p: f64) -> f64 {
    let mut v = v.to_vec();
    v.sort();
    v.get(((v.len().max(1) - 1) as f64 * p).round() as usize)
        .map_or(0.0, |d| ms(*d))
}

fn row(what: &str, v: &[Duration]) {
    println!(
        "{what:<52} | {:5} | {:8.2} | {:8.2} | {:8.2}",
        v.len(),
        pct(v, 0.5),
        pct(v, 0.95),
        pct(v, 1.0)
    );
}

#[test]
#[ignore = "a benchmark: run with --ignored --nocapture (and --release)"]
fn whole_window_frames_on_large_data() {
    let dir = std::env::var_os("ZONEATLAS_BENCH_DIR")
        .map_or_else(|| PathBuf::from("sample_zones"), PathBuf::from);
    let ctx = egui::Context::default();
    fonts::install(&ctx);
    // Edits are journaled to a recovery file and files read from private copies, as in the
    // app (here in the system's temporary folder: it must be on disk, not in memory).
    let recovery = tempfile::tempdir().expect("tempdir");
    let mut w = Window {
        ctx: ctx.clone(),
        app: ZoneAtlasApp::new(empty_dataset(), Box::new(TestDialogs::new()))
            .with_recovery_dir(recovery.path().to_path_buf())
            .with_snapshot_dir(recovery.path().join("open-files")),
        started: Instant::now(),
    };
    w.frame();

    // Opening: frames at 60 a second until the first frame that draws the data.
    let opened = Instant::now();
    w.app.open_files(
        &ctx,
        dir.join("zones.geojson"),
        Some(dir.join("parcels.geojson")),
    );
    let mut loading = Vec::new();
    let first = loop {
        let t = w.frame();
        if !w.app.is_loading() {
            break t;
        }
        loading.push(t);
        std::thread::sleep(Duration::from_millis(16).saturating_sub(t));
    };
    let ready = opened.elapsed();
    let ds = &w.app.session.ds;
    let n = ds.parcels.as_ref().map_or(0, |p| p.len());
    println!(
        "{} zones, {n} parcels: ready (the first frame drawing them ends) {:.2} s after the open action",
        ds.zones.len(),
        ready.as_secs_f64()
    );
    println!(
        "\nstep                                                 | frames | median ms | p95 ms | max ms"
    );
    row("frames while loading", &loading);
    row("the first frame with the data", &[first]);
    row(
        "frames in the 5 s after",
        &w.frames_for(Duration::from_secs(5)),
    );

    // Edits: leased lots spread over the file (in as many zones), each selected, set vacant
    // (the edit and the next frame timed together), then frames for a while, as a user types.
    let lots: Vec<usize> = {
        let parcels = w.app.session.ds.parcels.as_ref().expect("parcels");
        let step = (n / 60).max(1);
        (0..n)
            .step_by(step)
            .filter(|&p| parcels.items[p].status == ParcelStatus::Leased)
            .take(40)
            .collect()
    };
    let (mut edits, mut between) = (Vec::new(), Vec::new());
    let (mut applied, mut next, mut settled) = (Vec::new(), Vec::new(), Vec::new());
    for &p in &lots {
        w.apply(Action::View(ViewAction::Select {
            selection: Some(Selection::Parcel(p)),
            fly: false,
        }));
        between.extend(w.frames_for(Duration::from_millis(100)));
        let t = Instant::now();
        w.apply(Action::Edit(EditAction::Apply(Edit::one(
            LayerKind::Parcels,
            p,
            "status",
            Some(Value::from("vacant")),
            "status",
        ))));
        applied.push(t.elapsed());
        next.push(w.frame());
        edits.push(t.elapsed());
        let (frames, done) = w.frames_until_idle(t, Duration::from_secs(5));
        between.extend(frames);
        settled.push(done);
    }
    row(
        "a lot's status edited, to the end of the next frame",
        &edits,
    );
    row("  of which the edit (session, engine, journal)", &applied);
    row("  of which the next frame", &next);
    row("frames between edits", &between);
    row(
        "findings of the edited data shown, after the edit",
        &settled,
    );
    let t = Instant::now();
    w.apply(Action::Edit(EditAction::Apply(Edit::one(
        LayerKind::Zones,
        0,
        "industrial_land_ha",
        Some(Value::from(1234.5)),
        "industrial land",
    ))));
    w.frame();
    row(
        "a zone's industrial land edited, to the next frame",
        &[t.elapsed()],
    );
    let (mut undo, mut redo) = (Vec::new(), Vec::new());
    for _ in 0..6 {
        let t = Instant::now();
        w.apply(Action::Edit(EditAction::Undo));
        w.frame();
        undo.push(t.elapsed());
        between.extend(w.frames_for(Duration::from_millis(200)));
    }
    for _ in 0..6 {
        let t = Instant::now();
        w.apply(Action::Edit(EditAction::Redo));
        w.frame();
        redo.push(t.elapsed());
        between.extend(w.frames_for(Duration::from_millis(200)));
    }
    row("undo, to the end of the next frame", &undo);
    row("redo, to the end of the next frame", &redo);
    row(
        "frames in the 3 s after the edits",
        &w.frames_for(Duration::from_secs(3)),
    );

    // The data as of a date: set, then frames while the figures follow; then another date.
    let (mut as_of, mut arrived) = (Vec::new(), Vec::new());
    for day in ["2020-12-31", "2015-06-30", "2023-01-01"] {
        let d = Date::parse(day).expect("date");
        let t = Instant::now();
        w.apply(Action::View(ViewAction::SetAsOf(Some(d))));
        let (frames, done) = w.frames_until_idle(t, Duration::from_secs(10));
        as_of.extend(frames);
        arrived.push(done);
        as_of.extend(w.frames_for(Duration::from_millis(500)));
    }
    row("frames after the as-of date changes", &as_of);
    row("figures and findings of the date shown, after", &arrived);
    let mut edits_as_of = Vec::new();
    for &p in lots.iter().take(3) {
        let t = Instant::now();
        w.apply(Action::Edit(EditAction::Apply(Edit::one(
            LayerKind::Parcels,
            p,
            "status",
            Some(Value::from("reserved")),
            "status",
        ))));
        w.frame();
        edits_as_of.push(t.elapsed());
        edits_as_of.extend(w.frames_for(Duration::from_millis(500)));
    }
    row("edits and frames with an as-of date", &edits_as_of);
    w.apply(Action::View(ViewAction::SetAsOf(None)));
    let mut dash = vec![w.frame()];
    w.app.dashboard.open = true;
    dash.extend(w.frames_for(Duration::from_secs(3)));
    row("frames with the dashboard opened (3 s)", &dash);
    let t = Instant::now();
    w.apply(Action::Edit(EditAction::Undo));
    w.frame();
    row(
        "undo with the dashboard open, to the next frame",
        &[t.elapsed()],
    );
    row("frames after (3 s)", &w.frames_for(Duration::from_secs(3)));
}
