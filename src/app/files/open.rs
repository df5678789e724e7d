//! Opening files: the open actions start a background load, whose result replaces the data
//! (the history, the selection and the map's framing start afresh); and a crashed window's
//! edits, restored on the files they belong to.

use std::path::PathBuf;

use super::loading::LoadFailure;
use crate::app::ZoneAtlasApp;
use crate::app::dialogs::FileKind;
use crate::app::sample::sample_dataset;
use crate::engine::dataset::Dataset;
use crate::engine::saving::{FileStamp, Journal};
use crate::engine::script::Step;
use crate::i18n::{Key, tr, trf};

use super::loading::{Current, LoadJob, LoadRequest, Loaded, Systems};

impl ZoneAtlasApp {
    /// Starts loading files in the background.
    pub fn open_files(&mut self, ctx: &egui::Context, zones: PathBuf, parcels: Option<PathBuf>) {
        self.start_load(ctx, LoadRequest::Files { zones, parcels });
    }

    pub fn is_loading(&self) -> bool {
        self.load.is_some()
    }

    /// Blocks until a load in progress ends, and takes its result (tests).
    pub fn wait_for_load(&mut self) {
        if let Some(mut job) = self.load.take() {
            let result = job.wait();
            self.finish_load(&job, result);
        }
    }

    /// Asks for a GeoJSON file with the dialog titled `title`, and loads it as `request` says.
    pub(super) fn pick_and_load(
        &mut self,
        ctx: &egui::Context,
        title: Key,
        request: fn(PathBuf) -> LoadRequest,
    ) {
        let lang = self.view.lang;
        if let Some(p) = self.dialogs.pick_file(
            tr(lang, title),
            FileKind::Features,
            tr(lang, Key::FilterFeatures),
        ) {
            self.start_load(ctx, request(p));
        }
    }

    pub(in crate::app) fn start_load(&mut self, ctx: &egui::Context, request: LoadRequest) {
        self.start_load_assuming(ctx, request, Vec::new());
    }

    /// [`Self::start_load`], the files of `systems` read in the coordinate systems given with
    /// them (the answers to "which system?").
    pub(in crate::app) fn start_load_assuming(
        &mut self,
        ctx: &egui::Context,
        request: LoadRequest,
        systems: Systems,
    ) {
        // Files opened otherwise (dropped, say) replace a question about the last ones.
        self.questions.system = None;
        let needs_current = !matches!(
            request,
            LoadRequest::Files { .. } | LoadRequest::Board { .. }
        );
        let s = &self.session;
        let current = needs_current.then(|| Current {
            zones: s.ds.zones.doc.clone(),
            zones_path: s.zones_path.clone(),
            zones_stamp: s.zones_stamp,
            parcels: s.ds.parcels.as_ref().map(|p| p.doc.clone()),
            parcels_path: s.parcels_path.clone(),
            parcels_stamp: s.parcels_stamp,
        });
        let ctx = ctx.clone();
        let snapshots = self.snapshot_dir.clone();
        let job = LoadJob::start_assuming(request, systems, current, snapshots, move || {
            ctx.request_repaint()
        });
        self.loading(job);
    }

    /// Takes a load already started (files named on the command line start loading before
    /// the window exists); its result replaces the data when it arrives.
    pub fn loading(&mut self, job: LoadJob) {
        self.view
            .info(trf(self.view.lang, Key::Loading, &[("what", &job.what)]));
        self.load = Some(job);
    }

    /// Takes the result of the load in progress once there is one (each frame).
    pub(in crate::app) fn poll_load(&mut self, ctx: &egui::Context) {
        let Some(job) = &mut self.load else { return };
        match job.poll() {
            Some(result) => {
                if let Some(job) = self.load.take() {
                    self.finish_load(&job, result);
                }
            }
            // The loading thread wakes the window at each stage and when done; the notice's
            // seconds need a frame a second.
            None => ctx.request_repaint_after(std::time::Duration::from_secs(1)),
        }
    }

    fn finish_load(&mut self, job: &LoadJob, result: Result<Loaded, LoadFailure>) {
        let lang = self.view.lang;
        match result {
            Ok(mut loaded) => {
                if let Some(z) = &loaded.zones_path {
                    self.recent.push(z.clone(), loaded.parcels_path.clone());
                }
                let zones = loaded.ds.zones.len().to_string();
                let parcels = loaded.ds.parcels.as_ref().map_or(0, |p| p.len());
                // The old board's threads end; the new one's start at the next frame.
                self.link = None;
                match loaded.board.take() {
                    Some(b) => {
                        self.recent
                            .push_board(b.url.clone(), Some(b.board.name.clone()));
                        self.session.open_board(
                            loaded.ds,
                            b.url,
                            b.board,
                            &b.zones,
                            b.parcels.as_ref(),
                        );
                        if let Some(shared) = &mut self.session.shared {
                            shared.inserted = b.inserted;
                        }
                        self.view.forget_data();
                        self.dashboard.forget_data();
                        self.map.needs_fit = true;
                    }
                    None => self.new_data(
                        loaded.ds,
                        (loaded.zones_path, loaded.parcels_path),
                        (loaded.zones_stamp, loaded.parcels_stamp),
                    ),
                }
                let generation = self.session.data_generation;
                self.map.cache.install(generation, loaded.zone_shapes);
                if let Some(ready) = &mut self.ready {
                    ready.loaded = true;
                }
                self.view.info(trf(
                    lang,
                    Key::Loaded,
                    &[
                        ("what", &job.what),
                        ("zones", &zones),
                        ("parcels", &parcels.to_string()),
                    ],
                ));
                if let Some((path, journal)) = self.replay.take() {
                    self.replay_journal(&path, &journal);
                }
            }
            Err(LoadFailure::NeedsSystem { path, .. }) => {
                // Asked which system the file is in; the load starts again with the answer
                // (a recovery waits for it).
                use crate::app::dialogs::system::{Pending, Retry};
                // Offered first: what this file was said to be in last time, else the
                // last system chosen.
                let selected = self.recent.system_of(&path).or(self.questions.last_system);
                let pending = Pending::new(
                    path,
                    Retry::Load(job.request.clone()),
                    job.systems.clone(),
                    selected,
                );
                self.view
                    .info(trf(lang, Key::SystemAsked, &[("file", &pending.file())]));
                self.questions.system = Some(pending);
            }
            Err(error) => {
                // A recovery whose files cannot be opened stays on disk for another try.
                self.replay = None;
                self.view.error(trf(
                    lang,
                    Key::LoadFailed,
                    &[("what", &job.what), ("error", &error.message(lang))],
                ))
            }
        }
    }

    /// Replaces the data: the session starts afresh, the view forgets the old data, the map
    /// frames the new.
    fn new_data(
        &mut self,
        ds: Dataset,
        paths: (Option<PathBuf>, Option<PathBuf>),
        stamps: (Option<FileStamp>, Option<FileStamp>),
    ) {
        self.session.replace(ds, paths, stamps);
        self.view.forget_data();
        // Nothing worked out from the old data shows, even marked as updating.
        self.dashboard.forget_data();
        self.map.needs_fit = true;
    }

    /// "Restore" was chosen: opens the journal's files (or the built-in sample) and replays
    /// the edits on them.
    pub(in crate::app) fn restore_journal(
        &mut self,
        ctx: &egui::Context,
        path: PathBuf,
        journal: Journal,
    ) {
        if let Some(b) = journal.board.clone() {
            // A shared board is read afresh; the edits it does not have are made on it again
            // and sent. The new features' identities tell those it took already (the window
            // closed before their answer came).
            let uids = journal
                .entries
                .iter()
                .filter_map(|e| match &e.step {
                    Step::Insert { uid: Some(uid), .. } => Some((e.step.layer(), uid.clone())),
                    _ => None,
                })
                .collect();
            self.replay = Some((path, journal));
            let request = LoadRequest::Board {
                url: b.url,
                board: Some(b.board),
                uids,
            };
            self.start_load(ctx, request);
            return;
        }
        match journal.zones_path.clone() {
            Some(zones) => {
                let parcels = journal.parcels_path.clone();
                self.replay = Some((path, journal));
                self.start_load(ctx, LoadRequest::Files { zones, parcels });
            }
            None => {
                self.new_data(sample_dataset(), (None, None), (None, None));
                self.replay_journal(&path, &journal);
            }
        }
    }

    /// Restores a crashed window's edits on the data now open (the same files, just loaded):
    /// each becomes an undoable edit; those the files no longer fit are left out and counted.
    fn replay_journal(&mut self, path: &std::path::Path, journal: &Journal) {
        let done = self.session.restore(journal);
        // The edits now live in this window's own journal.
        let _ = std::fs::remove_file(path);
        let lang = self.view.lang;
        let what = self.files_label();
        let n = done.applied.to_string();
        let text = if done.skipped == 0 {
            trf(lang, Key::Restored, &[("n", &n), ("what", &what)])
        } else {
            let skipped = done.skipped.to_string();
            trf(
                lang,
                Key::RestoredSkipped,
                &[("n", &n), ("what", &what), ("skipped", &skipped)],
            )
        };
        self.view.info(text);
    }
}
