//! Reference layers from files: File › Add reference layer…, `--reference FILE`, and the
//! layers the last run had. Each file is read on a thread of its own through the reader the
//! window opens zones with ([`loading::open_file`]: GeoJSON, Shapefile, GeoPackage, KML, KMZ,
//! DXF), converted to WGS84, and made ready to draw there ([`ReferenceShapes::build`]); the
//! window polls for it each frame. A file that names no coordinate system is asked about with
//! the same question as a zones file ([`crate::app::dialogs::system`]). A file that cannot be
//! read is said so in the status bar, naming the file and the place; the open data is never
//! touched: reference layers are view state.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use super::loading::{self, LoadFailure};
use crate::app::ZoneAtlasApp;
use crate::app::dialogs::FileKind;
use crate::app::dialogs::system::{Pending, Retry};
use crate::app::map::reference::{ReferenceShapes, file_name};
use crate::engine::crs::Crs;
use crate::i18n::{Key, tr, trf};

/// How a layer the last run had is shown again.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Restored {
    /// Its place in the list (0: the top).
    pub rank: usize,
    pub visible: bool,
    pub opacity: f32,
    /// Its colour, so that a layer keeps it from run to run.
    pub color: Option<[u8; 3]>,
}

/// A reference layer as remembered between runs: its file, the system it was read in, how it
/// was shown. (Its features are read again: the file may have changed.)
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Remembered {
    pub path: PathBuf,
    pub system: Option<u32>,
    pub visible: bool,
    pub opacity: f32,
    /// Its colour (an older run's list, without it: the next free one).
    #[serde(default)]
    pub color: Option<[u8; 3]>,
}

/// A file being read as a reference layer.
struct Load {
    path: PathBuf,
    system: Option<Crs>,
    restored: Option<Restored>,
    rx: Receiver<Result<ReferenceShapes, LoadFailure>>,
}

/// A finished read.
type Done = (Load, Result<ReferenceShapes, LoadFailure>);

/// The reference files being read, and those waiting for the window's first frame (given
/// on the command line or remembered: reading starts once there is a window to wake).
#[derive(Default)]
pub struct ReferenceLoads {
    running: Vec<Load>,
    pub(in crate::app) waiting: Vec<(PathBuf, Option<u32>, Option<Restored>)>,
}

impl ReferenceLoads {
    /// Starts reading `path` (in `system` when given) on a thread of its own.
    fn start(
        &mut self,
        path: PathBuf,
        system: Option<Crs>,
        restored: Option<Restored>,
        wake: impl Fn() + Send + 'static,
    ) {
        let (tx, rx) = channel();
        let p = path.clone();
        std::thread::spawn(move || {
            let _ = tx.send(read(&p, system));
            wake();
        });
        self.running.push(Load {
            path,
            system,
            restored,
            rx,
        });
    }

    /// The reads that have ended (a thread that ended without an answer: stopped).
    fn poll(&mut self) -> Vec<Done> {
        let mut done = Vec::new();
        let mut k = 0;
        while k < self.running.len() {
            let result = match self.running[k].rx.try_recv() {
                Ok(r) => r,
                Err(TryRecvError::Empty) => {
                    k += 1;
                    continue;
                }
                Err(TryRecvError::Disconnected) => Err(LoadFailure::Stopped),
            };
            done.push((self.running.remove(k), result));
        }
        done
    }

    /// Waits for every read under way (tests).
    fn wait(&mut self) -> Vec<Done> {
        self.running
            .drain(..)
            .map(|load| {
                let result = load.rx.recv().unwrap_or(Err(LoadFailure::Stopped));
                (load, result)
            })
            .collect()
    }

    pub fn is_busy(&self) -> bool {
        !self.running.is_empty() || !self.waiting.is_empty()
    }
}

/// Reads a reference file and makes it ready to draw (on the reading thread).
fn read(path: &Path, system: Option<Crs>) -> Result<ReferenceShapes, LoadFailure> {
    let systems: Vec<(PathBuf, Crs)> = system
        .map(|c| (path.to_path_buf(), c))
        .into_iter()
        .collect();
    // Read into memory (no snapshot): the features are taken and the text dropped at once.
    let doc = loading::open_reference_file(path, &systems)?;
    let data = crate::engine::reference::read(&doc);
    drop(doc);
    Ok(ReferenceShapes::build(data))
}

impl ZoneAtlasApp {
    /// File › Add reference layer…: asks for a file, then reads it.
    pub(super) fn pick_reference(&mut self, ctx: &egui::Context) {
        let lang = self.view.lang;
        if let Some(p) = self.dialogs.pick_file(
            tr(lang, Key::AddReference),
            FileKind::Features,
            tr(lang, Key::FilterFeatures),
        ) {
            self.add_reference(ctx, p, None);
        }
    }

    /// Reads `path` as a reference layer on another thread (in `system` when given: the answer
    /// to "which system?"); it is drawn once read.
    pub fn add_reference(&mut self, ctx: &egui::Context, path: PathBuf, system: Option<Crs>) {
        self.start_reference(ctx, path, system, None);
    }

    fn start_reference(
        &mut self,
        ctx: &egui::Context,
        path: PathBuf,
        system: Option<Crs>,
        restored: Option<Restored>,
    ) {
        let file = file_name(&path);
        self.view.info(trf(
            self.view.lang,
            Key::ReferenceLoading,
            &[("file", &file)],
        ));
        let ctx = ctx.clone();
        self.references
            .start(path, system, restored, move || ctx.request_repaint());
    }

    /// Starts reading the reference files given before there was a window (each frame).
    pub(in crate::app) fn poll_references(&mut self, ctx: &egui::Context) {
        for (path, epsg, restored) in std::mem::take(&mut self.references.waiting) {
            let system = epsg.and_then(Crs::from_epsg);
            self.start_reference(ctx, path, system, restored);
        }
        for (load, result) in self.references.poll() {
            self.finish_reference(load, result);
        }
    }

    /// Blocks until the reference files being read are read, and adds them (tests).
    pub(in crate::app) fn wait_for_references(&mut self) {
        for (load, result) in self.references.wait() {
            self.finish_reference(load, result);
        }
    }

    fn finish_reference(&mut self, load: Load, result: Result<ReferenceShapes, LoadFailure>) {
        let lang = self.view.lang;
        let file = file_name(&load.path);
        match result {
            Ok(shapes) => {
                let (n, left_out) = (shapes.features, shapes.without_geometry + shapes.unreadable);
                let system = load.system.map(|c| c.epsg);
                let layers = &mut self.map.reference;
                let id = layers.add(load.path, system, Arc::new(shapes));
                if let Some(r) = load.restored {
                    let color = r.color.map(|[r, g, b]| egui::Color32::from_rgb(r, g, b));
                    layers.restore(id, r.rank, (r.visible, r.opacity, color));
                }
                let n = n.to_string();
                let text = if left_out == 0 {
                    trf(lang, Key::ReferenceAdded, &[("file", &file), ("n", &n)])
                } else {
                    let skipped = left_out.to_string();
                    trf(
                        lang,
                        Key::ReferenceAddedSkipped,
                        &[("file", &file), ("n", &n), ("skipped", &skipped)],
                    )
                };
                self.view.info(text);
            }
            Err(LoadFailure::NeedsSystem { path, .. }) => {
                let selected = self.recent.system_of(&path).or(self.questions.last_system);
                let pending = Pending::new(path, Retry::Reference, Vec::new(), selected);
                self.view
                    .info(trf(lang, Key::SystemAsked, &[("file", &pending.file())]));
                self.questions.system = Some(pending);
            }
            Err(error) => self.view.error(trf(
                lang,
                Key::ReferenceFailed,
                &[("file", &file), ("error", &error.message(lang))],
            )),
        }
    }

    /// The reference layers to remember for the next run, top first.
    pub(in crate::app) fn remembered_references(&self) -> Vec<Remembered> {
        self.map
            .reference
            .layers
            .iter()
            .map(|l| Remembered {
                path: l.path.clone(),
                system: l.system,
                visible: l.visible,
                opacity: l.opacity,
                color: Some([l.color.r(), l.color.g(), l.color.b()]),
            })
            .collect()
    }

    /// Reads these reference layers once the window is there: the last run's (`restored`) or
    /// the command line's.
    pub fn queue_references(&mut self, layers: Vec<Remembered>, restored: bool) {
        let waiting = &mut self.references.waiting;
        for (rank, l) in layers.into_iter().enumerate() {
            if waiting.iter().any(|(p, ..)| *p == l.path) {
                continue;
            }
            let how = restored.then_some(Restored {
                rank,
                visible: l.visible,
                opacity: l.opacity.clamp(0.0, 1.0),
                color: l.color,
            });
            waiting.push((l.path, l.system, how));
        }
    }
}
