//! The state the panels share: the data, the selection (one for the map, the table and the
//! inspector), the undo history and the messages. Panels read it and ask for changes with
//! [`Action`]s; the app shell applies them in one place.

use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;

use crate::engine::dataset::Dataset;
use crate::engine::figures::{Totals, ZoneFigures};
use crate::engine::findings::Finding;
use crate::engine::model::LayerKind;
use crate::engine::properties::{Date, ParcelStatus, ZoneStatus};
use crate::engine::saving::{FileStamp, Journal, JournalEntry};
use crate::i18n::{Lang, Message as _};

use crate::i18n::{Key, tr, trf};

/// Above this many parcels, findings are refreshed on request after an edit (see
/// [`AppState::findings_for_panel`]).
pub const LARGE_PARCELS: usize = 200_000;

/// What is selected (or hovered): a zone or a parcel, by position in its layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Selection {
    Zone(usize),
    Parcel(usize),
}

impl Selection {
    pub fn layer(self) -> LayerKind {
        match self {
            Self::Zone(_) => LayerKind::Zones,
            Self::Parcel(_) => LayerKind::Parcels,
        }
    }

    pub fn index(self) -> usize {
        match self {
            Self::Zone(i) | Self::Parcel(i) => i,
        }
    }

    pub fn of(layer: LayerKind, index: usize) -> Self {
        match layer {
            LayerKind::Zones => Self::Zone(index),
            LayerKind::Parcels => Self::Parcel(index),
        }
    }
}

/// One property change, undoable.
#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    pub layer: LayerKind,
    pub feature: usize,
    /// The property name as the file writes it.
    pub key: String,
    /// `None`: the feature had no such property.
    pub before: Option<Value>,
    pub after: Option<Value>,
    /// What changed, for the Edit menu: "industrial land of KCN Quế Võ".
    pub what: String,
    serial: u64,
}

/// Done and undone edits, and which state was last saved.
#[derive(Debug, Default)]
pub struct History {
    done: Vec<Edit>,
    undone: Vec<Edit>,
    next_serial: u64,
    saved_serial: u64,
    /// Layers changed since the last save (they are the ones Save writes).
    pub touched: Vec<LayerKind>,
}

impl History {
    fn current(&self) -> u64 {
        self.done.last().map_or(0, |e| e.serial)
    }

    pub fn is_dirty(&self) -> bool {
        self.current() != self.saved_serial
    }

    pub fn mark_saved(&mut self) {
        self.saved_serial = self.current();
        self.touched.clear();
    }

    pub fn undo_label(&self) -> Option<&str> {
        self.done.last().map(|e| e.what.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.undone.last().map(|e| e.what.as_str())
    }

    pub fn len(&self) -> usize {
        self.done.len()
    }

    pub fn is_empty(&self) -> bool {
        self.done.is_empty()
    }

    fn touch(&mut self, layer: LayerKind) {
        if !self.touched.contains(&layer) {
            self.touched.push(layer);
        }
    }
}

/// A line for the status bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

/// What a panel, a menu or a key asks the shell to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Select (or clear); `fly` moves the map to it.
    Select {
        selection: Option<Selection>,
        fly: bool,
    },
    /// Set a property (`None` removes one the file did not have).
    SetProperty {
        layer: LayerKind,
        feature: usize,
        key: String,
        value: Option<Value>,
        what: String,
    },
    /// Several property changes as one edit (one Undo reverts them all).
    SetProperties {
        changes: Vec<(LayerKind, usize, String, Value)>,
        what: String,
    },
    Undo,
    Redo,
    Save,
    SaveAs,
    OpenZones,
    OpenParcels,
    OpenRecent(usize),
    OpenDropped(Vec<PathBuf>),
    ExportCsv,
    ExportMarkdown,
    ExportPng,
    /// Both files as RFC 7946 GeoJSON in WGS84 longitude/latitude (Save keeps the file's own
    /// coordinate system).
    ExportGeoJson,
    /// The presentation slide (or the dashboard) as a PNG of the given size in pixels.
    ExportSlide {
        dashboard: bool,
        size: [u32; 2],
    },
    /// The selected zone's one-page sheet as a PNG.
    ExportZoneSheet,
    RefreshFindings,
    Quit,
    FitAll,
    FitSelection,
    SetLang(Lang),
    /// Show the data as it stood on a date (`None`: today).
    SetAsOf(Option<Date>),
    /// Enter (true) or leave presentation mode.
    Present(bool),
}

/// The shared state.
pub struct AppState {
    pub ds: Dataset,
    pub lang: Lang,
    pub selection: Option<Selection>,
    pub hover: Option<Selection>,
    pub history: History,
    /// Where the data came from (`None`: the built-in sample, or never saved).
    pub zones_path: Option<PathBuf>,
    pub parcels_path: Option<PathBuf>,
    pub message: Option<Message>,
    /// Bumped whenever a figure may have changed (edit, undo, load): caches key on it.
    pub generation: u64,
    /// Bumped when new data is loaded (geometry caches key on it).
    pub data_generation: u64,
    findings: Option<(u64, Arc<Vec<Finding>>)>,
    /// From this many parcels on, the findings panel refreshes on request ([`LARGE_PARCELS`]).
    pub large_parcels: usize,
    /// Show the data as it stood on this date (see [`crate::engine::as_of`]); `None`: today.
    pub as_of: Option<Date>,
    /// The zone figures on [`Self::as_of`], for the generation they were computed at.
    as_of_figures: Option<(u64, Date, Arc<Vec<ZoneFigures>>)>,
    /// The files as read or last saved, to notice another program's changes before a save.
    pub zones_stamp: Option<FileStamp>,
    pub parcels_stamp: Option<FileStamp>,
    /// The edits not yet saved, as journaled to the recovery file.
    pub journal: Journal,
    /// Where the recovery file is kept (`None`: no recovery file, as in tests that do not ask).
    pub recovery_dir: Option<PathBuf>,
    /// The recovery file could not be written (said once, not at every edit).
    recovery_failed: bool,
}

impl AppState {
    pub fn new(ds: Dataset, zones_path: Option<PathBuf>, parcels_path: Option<PathBuf>) -> Self {
        let (zones_path_copy, parcels_path_copy) = (zones_path.clone(), parcels_path.clone());
        AppState {
            ds,
            lang: Lang::En,
            selection: None,
            hover: None,
            history: History::default(),
            zones_path,
            parcels_path,
            message: None,
            generation: 1,
            data_generation: 1,
            findings: None,
            large_parcels: LARGE_PARCELS,
            as_of: None,
            as_of_figures: None,
            zones_stamp: None,
            parcels_stamp: None,
            journal: Journal::new(zones_path_copy, parcels_path_copy, None, None),
            recovery_dir: None,
            recovery_failed: false,
        }
    }

    /// Replaces the data (after opening files): selection and history start afresh.
    pub fn replace_data(
        &mut self,
        ds: Dataset,
        zones_path: Option<PathBuf>,
        parcels_path: Option<PathBuf>,
        stamps: (Option<FileStamp>, Option<FileStamp>),
    ) {
        self.ds = ds;
        self.zones_path = zones_path;
        self.parcels_path = parcels_path;
        (self.zones_stamp, self.parcels_stamp) = stamps;
        self.selection = None;
        self.hover = None;
        self.history = History::default();
        self.generation += 1;
        self.data_generation += 1;
        self.findings = None;
        self.as_of = None;
        self.as_of_figures = None;
        self.restart_journal();
    }

    /// The journal starts afresh from the files as they are now (after loading or saving).
    pub fn restart_journal(&mut self) {
        self.journal = Journal::new(
            self.zones_path.clone(),
            self.parcels_path.clone(),
            self.zones_stamp,
            self.parcels_stamp,
        );
        self.store_journal();
    }

    /// Records a change in the recovery journal (written out by
    /// [`Self::store_journal_if_changed`] once the whole edit is done).
    fn journal_entry(&mut self, e: &Edit, forward: bool) {
        let (before, after) = if forward {
            (e.before.clone(), e.after.clone())
        } else {
            (e.after.clone(), e.before.clone())
        };
        self.journal.entries.push(JournalEntry {
            layer: e.layer.code().to_string(),
            feature: e.feature,
            key: e.key.clone(),
            before,
            after,
            what: e.what.clone(),
        });
    }

    /// Writes the journal out after an edit, an undo or a redo. When the data is back to the
    /// saved state (undone to it), there is nothing to recover.
    fn store_journal_if_changed(&mut self) {
        if !self.history.is_dirty() {
            self.journal.entries.clear();
        }
        self.store_journal();
    }

    /// Writes the recovery file (removes it when nothing is unsaved).
    pub fn store_journal(&mut self) {
        let Some(dir) = self.recovery_dir.clone() else {
            return;
        };
        match self.journal.store(&dir) {
            Ok(()) => self.recovery_failed = false,
            Err(e) if !self.recovery_failed => {
                self.recovery_failed = true;
                let reason = crate::engine::saving::WriteError::from(e).message(self.lang);
                let text = trf(self.lang, Key::RecoveryFailed, &[("error", &reason)]);
                self.error(text);
            }
            Err(_) => {}
        }
    }

    /// Computes the figures on [`Self::as_of`] when the date or the data changed (once a frame
    /// at most; the window calls it before drawing).
    pub fn refresh_as_of(&mut self) {
        let Some(d) = self.as_of else { return };
        if matches!(&self.as_of_figures, Some((g, fd, _)) if *g == self.generation && *fd == d) {
            return;
        }
        let f = crate::engine::as_of::figures_on(&self.ds, d);
        self.as_of_figures = Some((self.generation, d, Arc::new(f)));
    }

    /// The zone figures shown: today's, or those on [`Self::as_of`].
    pub fn figures(&self) -> &[ZoneFigures] {
        match (self.as_of, &self.as_of_figures) {
            (Some(d), Some((g, fd, f))) if *g == self.generation && *fd == d => f,
            _ => &self.ds.figures,
        }
    }

    /// Changes whenever a figure shown may have changed (an edit, a load, the date).
    pub fn figures_stamp(&self) -> u64 {
        let date = self.as_of.map_or(0, |d| u64::from(d.0 as u32) + 1);
        (self.generation << 33) ^ date
    }

    /// A parcel's status as shown (on [`Self::as_of`] when set).
    pub fn parcel_status(&self, p: usize) -> Option<ParcelStatus> {
        let item = self.ds.parcels.as_ref()?.items.get(p)?;
        Some(match self.as_of {
            Some(d) => crate::engine::as_of::status_on(item, d),
            None => item.status,
        })
    }

    /// Ratios of sums over the zones for which `keep` holds, from the figures shown.
    pub fn totals(&self, keep: impl Fn(usize) -> bool) -> Totals {
        let figures = self.figures();
        Totals::of(
            (0..self.ds.zones.len())
                .filter(|z| keep(*z))
                .map(|z| (&self.ds.zones.items[z], &figures[z])),
        )
    }

    pub fn totals_all(&self) -> Totals {
        self.totals(|_| true)
    }

    pub fn totals_operating(&self) -> Totals {
        self.totals(|z| self.ds.zones.items[z].status == Some(ZoneStatus::Operating))
    }

    /// Per province, in order of first appearance; zones without a province under "".
    pub fn totals_by_province(&self) -> Vec<(String, Totals)> {
        let province = |z: usize| self.ds.zones.items[z].province.as_deref().unwrap_or("");
        let mut names: Vec<&str> = Vec::new();
        for z in 0..self.ds.zones.len() {
            if !names.contains(&province(z)) {
                names.push(province(z));
            }
        }
        names
            .into_iter()
            .map(|name| (name.to_string(), self.totals(|z| province(z) == name)))
            .collect()
    }

    pub fn tr(&self, key: Key) -> &'static str {
        tr(self.lang, key)
    }

    pub fn info(&mut self, text: String) {
        self.message = Some(Message { text, error: false });
    }

    pub fn error(&mut self, text: String) {
        self.message = Some(Message { text, error: true });
    }

    /// The findings for the panel: recomputed after a change when that is cheap; on very large
    /// data (where the engine takes about a second for a million lots) the last list is kept
    /// and `true` says it may be out of date, until [`Self::findings`] is asked for.
    pub fn findings_for_panel(&mut self) -> (Arc<Vec<Finding>>, bool) {
        let large = self.ds.parcels.as_ref().map_or(0, |p| p.len()) > self.large_parcels;
        match &self.findings {
            Some((g, f)) if *g != self.generation && large => (f.clone(), true),
            _ => (self.findings(), false),
        }
    }

    /// The engine's findings, computed once per change.
    pub fn findings(&mut self) -> Arc<Vec<Finding>> {
        match &self.findings {
            Some((g, f)) if *g == self.generation => f.clone(),
            _ => {
                // Errors first; the engine's order within each severity.
                let today = crate::engine::as_of::AsOf::Today(crate::clock::today());
                let mut list = self.ds.findings(today);
                list.sort_by_key(|f| f.severity());
                let f = Arc::new(list);
                self.findings = Some((self.generation, f.clone()));
                f
            }
        }
    }

    /// A property of a feature as it is now.
    pub fn property(&self, layer: LayerKind, feature: usize, key: &str) -> Option<Value> {
        let doc = match layer {
            LayerKind::Zones => &self.ds.zones.doc,
            LayerKind::Parcels => &self.ds.parcels.as_ref()?.doc,
        };
        doc.properties(feature)
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// Whether the selection still names a feature (after new data it may not).
    pub fn valid(&self, s: Selection) -> bool {
        match s {
            Selection::Zone(z) => z < self.ds.zones.len(),
            Selection::Parcel(p) => self.ds.parcels.as_ref().is_some_and(|ps| p < ps.len()),
        }
    }

    /// Applies a property change and records it. Returns false when nothing changed.
    pub fn edit(
        &mut self,
        layer: LayerKind,
        feature: usize,
        key: &str,
        value: Option<Value>,
        what: String,
    ) -> bool {
        let before = self.property(layer, feature, key);
        if before == value {
            return false;
        }
        self.set(layer, feature, key, value.clone());
        self.history.next_serial += 1;
        let edit = Edit {
            layer,
            feature,
            key: key.to_string(),
            before,
            after: value,
            what,
            serial: self.history.next_serial,
        };
        self.history.done.push(edit.clone());
        self.history.undone.clear();
        self.history.touch(layer);
        self.journal_entry(&edit, true);
        self.store_journal_if_changed();
        true
    }

    /// Several property changes recorded as one edit: they share a serial, and undo and redo
    /// take them together. Returns how many values changed.
    pub fn edit_all(
        &mut self,
        changes: Vec<(LayerKind, usize, String, Value)>,
        what: String,
    ) -> usize {
        let serial = self.history.next_serial + 1;
        let mut n = 0;
        for (layer, feature, key, value) in changes {
            let before = self.property(layer, feature, &key);
            if before.as_ref() == Some(&value) {
                continue;
            }
            self.set(layer, feature, &key, Some(value.clone()));
            let (after, what) = (Some(value), what.clone());
            let edit = Edit {
                layer,
                feature,
                key,
                before,
                after,
                what,
                serial,
            };
            self.journal_entry(&edit, true);
            self.history.done.push(edit);
            self.history.touch(layer);
            n += 1;
        }
        if n > 0 {
            self.history.next_serial = serial;
            self.history.undone.clear();
            self.store_journal_if_changed();
        }
        n
    }

    pub fn undo(&mut self) -> bool {
        let Some(serial) = self.history.done.last().map(|e| e.serial) else {
            return false;
        };
        // Edits made together (one serial) are undone together, the last first.
        while let Some(e) = self.history.done.pop_if(|e| e.serial == serial) {
            self.set(e.layer, e.feature, &e.key, e.before.clone());
            self.history.touch(e.layer);
            let text = trf(self.lang, Key::Undone, &[("what", &e.what)]);
            self.journal_entry(&e, false);
            self.history.undone.push(e);
            self.info(text);
        }
        self.store_journal_if_changed();
        true
    }

    pub fn redo(&mut self) -> bool {
        let Some(serial) = self.history.undone.last().map(|e| e.serial) else {
            return false;
        };
        while let Some(e) = self.history.undone.pop_if(|e| e.serial == serial) {
            self.set(e.layer, e.feature, &e.key, e.after.clone());
            self.history.touch(e.layer);
            let text = trf(self.lang, Key::Redone, &[("what", &e.what)]);
            self.journal_entry(&e, true);
            self.history.done.push(e);
            self.info(text);
        }
        self.store_journal_if_changed();
        true
    }

    /// Sets (or removes) a property through the engine so that every figure follows.
    fn set(&mut self, layer: LayerKind, feature: usize, key: &str, value: Option<Value>) {
        match layer {
            LayerKind::Zones => {
                self.ds.set_zone_property(feature, key, value);
            }
            LayerKind::Parcels => {
                self.ds.set_parcel_property(feature, key, value);
            }
        }
        self.generation += 1;
    }

    /// The name people know a zone by.
    pub fn zone_name(&self, z: usize) -> &str {
        &self.ds.zones.items[z].name
    }

    /// A short title for the selection: a zone's name, a parcel's id.
    pub fn title_of(&self, s: Selection) -> String {
        match s {
            Selection::Zone(z) => self.zone_name(z).to_string(),
            Selection::Parcel(p) => self
                .ds
                .parcels
                .as_ref()
                .map(|ps| ps.items[p].id.clone())
                .unwrap_or_default(),
        }
    }

    /// The files as the title bar names them.
    pub fn files_label(&self) -> String {
        let name = |p: &Option<PathBuf>| {
            p.as_ref()
                .and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
        };
        match (name(&self.zones_path), name(&self.parcels_path)) {
            (Some(z), Some(p)) => format!("{z} + {p}"),
            (Some(z), None) => z,
            (None, _) => self.tr(Key::BuiltInSample).to_string(),
        }
    }
}
