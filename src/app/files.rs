//! Files: native dialogs behind [`FileDialogs`] (so that tests never open one), background
//! loading, saving and exporting.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::engine::dataset::Dataset;
use crate::engine::document::{Document, LoadError};
use crate::engine::export;
use crate::engine::properties::{PARCEL_KEYS, ZONE_KEYS, canonical_key};
use crate::engine::saving::{FileStamp, WriteError};
use crate::i18n::{Key, Lang, Message, tr};

/// What a file dialog is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    GeoJson,
    Csv,
    Markdown,
    Png,
}

impl FileKind {
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Self::GeoJson => &["geojson", "json"],
            Self::Csv => &["csv"],
            Self::Markdown => &["md"],
            Self::Png => &["png"],
        }
    }
}

/// The file dialogs the app uses. [`NativeDialogs`] opens the system's; tests use
/// [`TestDialogs`].
pub trait FileDialogs {
    /// Asks for a file to open; `None` when cancelled.
    fn pick_file(&mut self, title: &str, kind: FileKind, filter_name: &str) -> Option<PathBuf>;
    /// Asks where to save; `None` when cancelled.
    fn save_file(
        &mut self,
        title: &str,
        kind: FileKind,
        filter_name: &str,
        default_name: &str,
    ) -> Option<PathBuf>;
}

/// The system's dialogs, through rfd.
#[derive(Default)]
pub struct NativeDialogs {
    last_dir: Option<PathBuf>,
}

impl NativeDialogs {
    fn dialog(&self, title: &str, kind: FileKind, filter_name: &str) -> rfd::FileDialog {
        let mut d = rfd::FileDialog::new()
            .set_title(title)
            .add_filter(filter_name, kind.extensions());
        if let Some(dir) = &self.last_dir {
            d = d.set_directory(dir);
        }
        d
    }

    fn remember(&mut self, p: &Option<PathBuf>) {
        if let Some(dir) = p.as_ref().and_then(|p| p.parent()) {
            self.last_dir = Some(dir.to_path_buf());
        }
    }
}

impl FileDialogs for NativeDialogs {
    fn pick_file(&mut self, title: &str, kind: FileKind, filter_name: &str) -> Option<PathBuf> {
        let p = self.dialog(title, kind, filter_name).pick_file();
        self.remember(&p);
        p
    }

    fn save_file(
        &mut self,
        title: &str,
        kind: FileKind,
        filter_name: &str,
        default_name: &str,
    ) -> Option<PathBuf> {
        let p = self
            .dialog(title, kind, filter_name)
            .set_file_name(default_name)
            .save_file();
        self.remember(&p);
        p
    }
}

/// Scripted answers for tests: each dialog takes the next answer (`None` = cancelled) and
/// records its title. Clones share the queue, so a test keeps one and gives the app the other.
#[derive(Clone, Default)]
pub struct TestDialogs {
    answers: Arc<Mutex<VecDeque<Option<PathBuf>>>>,
    asked: Arc<Mutex<Vec<String>>>,
}

impl TestDialogs {
    pub fn new() -> Self {
        Self::default()
    }

    /// The next dialog answers with `path` (`None`: the user cancels).
    pub fn answer(&self, path: Option<PathBuf>) {
        self.answers.lock().expect("lock").push_back(path);
    }

    /// Titles of the dialogs shown so far.
    pub fn asked(&self) -> Vec<String> {
        self.asked.lock().expect("lock").clone()
    }

    fn next(&self, title: &str) -> Option<PathBuf> {
        self.asked.lock().expect("lock").push(title.to_string());
        self.answers.lock().expect("lock").pop_front().flatten()
    }
}

impl FileDialogs for TestDialogs {
    fn pick_file(&mut self, title: &str, _: FileKind, _: &str) -> Option<PathBuf> {
        self.next(title)
    }

    fn save_file(&mut self, title: &str, _: FileKind, _: &str, _: &str) -> Option<PathBuf> {
        self.next(title)
    }
}

/// What to load.
#[derive(Clone, Debug)]
pub enum LoadRequest {
    /// Both files anew.
    Files {
        zones: PathBuf,
        parcels: Option<PathBuf>,
    },
    /// New zones; the parcels already open stay.
    Zones(PathBuf),
    /// New parcels for the zones already open.
    Parcels(PathBuf),
    /// Dropped files: each is read and sorted into zones or parcels by its properties.
    Dropped(Vec<PathBuf>),
}

/// A finished load.
pub struct Loaded {
    pub ds: Dataset,
    pub zones_path: Option<PathBuf>,
    pub parcels_path: Option<PathBuf>,
    /// The files as read, to notice later changes on disk.
    pub zones_stamp: Option<FileStamp>,
    pub parcels_stamp: Option<FileStamp>,
}

/// Why a load failed, put into words in the window's language when shown.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadFailure {
    /// A file that cannot be read as GeoJSON.
    File(LoadError),
    /// A file that is not `.geojson` or `.json`.
    NotGeoJson(PathBuf),
    /// A request that keeps an open file, with none open.
    NothingOpen,
    /// The loading thread ended without an answer.
    Stopped,
}

impl LoadFailure {
    /// The failure in the reader's language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Self::File(e) => e.message(lang),
            Self::NotGeoJson(p) => format!("{}: {}", p.display(), tr(lang, Key::NotGeoJson)),
            Self::NothingOpen => tr(lang, Key::NoDataOpen).to_string(),
            Self::Stopped => tr(lang, Key::LoadingStopped).to_string(),
        }
    }
}

enum Progress {
    Stage(&'static str),
    Done(Box<Result<Loaded, LoadFailure>>),
}

/// A load running on its own thread; the window polls it each frame.
pub struct LoadJob {
    rx: Receiver<Progress>,
    pub what: String,
    pub stage: &'static str,
    pub started: Instant,
}

/// The documents already open, for a load that keeps one of them.
pub struct Current {
    pub zones: Document,
    pub zones_path: Option<PathBuf>,
    pub zones_stamp: Option<FileStamp>,
    pub parcels: Option<Document>,
    pub parcels_path: Option<PathBuf>,
    pub parcels_stamp: Option<FileStamp>,
}

impl LoadJob {
    /// Starts loading on a background thread. `current` gives the documents that stay (their
    /// unsaved edits are dropped: the user was asked before); only requests that keep one of
    /// the open files need it.
    pub fn start(
        request: LoadRequest,
        current: Option<Current>,
        wake: impl Fn() + Send + 'static,
    ) -> LoadJob {
        let what = describe(&request);
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let send = |p: Progress| {
                let _ = tx.send(p);
                wake();
            };
            send(Progress::Stage("reading"));
            let result = load(request, current, &|s| send(Progress::Stage(s)));
            send(Progress::Done(Box::new(result)));
        });
        LoadJob {
            rx,
            what,
            stage: "reading",
            started: Instant::now(),
        }
    }

    /// The result, once there is one.
    pub fn poll(&mut self) -> Option<Result<Loaded, LoadFailure>> {
        loop {
            match self.rx.try_recv() {
                Ok(Progress::Stage(s)) => self.stage = s,
                Ok(Progress::Done(r)) => return Some(*r),
                Err(TryRecvError::Empty) => return None,
                Err(TryRecvError::Disconnected) => {
                    return Some(Err(LoadFailure::Stopped));
                }
            }
        }
    }

    /// Waits for the result (tests).
    pub fn wait(&mut self) -> Result<Loaded, LoadFailure> {
        loop {
            match self.rx.recv() {
                Ok(Progress::Stage(s)) => self.stage = s,
                Ok(Progress::Done(r)) => return *r,
                Err(_) => return Err(LoadFailure::Stopped),
            }
        }
    }
}

fn describe(r: &LoadRequest) -> String {
    let name = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    match r {
        LoadRequest::Files {
            zones,
            parcels: Some(p),
        } => format!("{} + {}", name(zones), name(p)),
        LoadRequest::Files {
            zones,
            parcels: None,
        }
        | LoadRequest::Zones(zones)
        | LoadRequest::Parcels(zones) => name(zones),
        LoadRequest::Dropped(ps) => ps.iter().map(|p| name(p)).collect::<Vec<_>>().join(" + "),
    }
}

fn is_geojson(p: &Path) -> bool {
    p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        FileKind::GeoJson
            .extensions()
            .contains(&e.to_ascii_lowercase().as_str())
    })
}

/// Whether a document holds parcels: its first features carry parcel attributes (a parcel id,
/// a tenant, a lease) and no zone-only ones.
pub fn looks_like_parcels(doc: &Document) -> bool {
    let (mut parcel, mut zone) = (0, 0);
    for i in 0..doc.len().min(20) {
        for (k, _) in doc.raw_properties(i) {
            match (canonical_key(PARCEL_KEYS, &k), canonical_key(ZONE_KEYS, &k)) {
                (
                    Some(
                        "parcel_id" | "tenant" | "land_use" | "lease_start" | "lease_end"
                        | "investor_country",
                    ),
                    _,
                ) => parcel += 1,
                (
                    _,
                    Some(
                        "planned_area_ha" | "industrial_land_ha" | "developer" | "decision_no"
                        | "name" | "province",
                    ),
                ) => zone += 1,
                _ => {}
            }
        }
    }
    parcel > zone
}

fn without_edits(mut d: Document) -> Document {
    d.edits.clear();
    d
}

fn load(
    request: LoadRequest,
    current: Option<Current>,
    stage: &dyn Fn(&'static str),
) -> Result<Loaded, LoadFailure> {
    let current = move || current.ok_or(LoadFailure::NothingOpen);
    // The stamp is taken before reading: a change made while reading then shows as a change.
    let open = |p: &Path| -> Result<(Document, Option<FileStamp>), LoadFailure> {
        if !is_geojson(p) {
            return Err(LoadFailure::NotGeoJson(p.to_path_buf()));
        }
        let stamp = FileStamp::of(p).ok().flatten();
        Ok((Document::open(p).map_err(LoadFailure::File)?, stamp))
    };
    type Opened = (Document, Option<PathBuf>, Option<FileStamp>);
    let (zones, parcels): (Opened, Option<Opened>) = match request {
        LoadRequest::Files { zones, parcels } => {
            let (z, zs) = open(&zones)?;
            let p = match parcels {
                Some(path) => {
                    let (d, s) = open(&path)?;
                    Some((d, Some(path), s))
                }
                None => None,
            };
            ((z, Some(zones), zs), p)
        }
        LoadRequest::Zones(path) => {
            let (z, zs) = open(&path)?;
            let cur = current()?;
            let p = cur
                .parcels
                .map(|d| (without_edits(d), cur.parcels_path, cur.parcels_stamp));
            ((z, Some(path), zs), p)
        }
        LoadRequest::Parcels(path) => {
            let (p, ps) = open(&path)?;
            let cur = current()?;
            (
                (without_edits(cur.zones), cur.zones_path, cur.zones_stamp),
                Some((p, Some(path), ps)),
            )
        }
        LoadRequest::Dropped(paths) => {
            let mut zones = None;
            let mut parcels = None;
            for path in paths {
                let (d, stamp) = open(&path)?;
                if looks_like_parcels(&d) {
                    parcels = Some((d, Some(path), stamp));
                } else {
                    zones = Some((d, Some(path), stamp));
                }
            }
            let cur = current()?;
            let z = zones.unwrap_or((without_edits(cur.zones), cur.zones_path, cur.zones_stamp));
            let p = parcels.or_else(|| {
                cur.parcels
                    .map(|d| (without_edits(d), cur.parcels_path, cur.parcels_stamp))
            });
            (z, p)
        }
    };
    stage("measuring");
    let (zones, zones_path, zones_stamp) = zones;
    let (parcels, parcels_path, parcels_stamp) = match parcels {
        Some((d, p, s)) => (Some(d), p, s),
        None => (None, None, None),
    };
    let ds = Dataset::new(zones, parcels);
    // The map's parcel index, built here rather than on the first frame.
    ds.parcel_index();
    Ok(Loaded {
        ds,
        zones_path,
        parcels_path,
        zones_stamp,
        parcels_stamp,
    })
}

/// The edited GeoJSON of a document, losslessly.
pub fn render_document(doc: &Document) -> String {
    export::render(doc, |_| Vec::new())
}

/// Writes text atomically.
pub fn write_text(path: &Path, text: &str) -> Result<(), WriteError> {
    export::write_atomic(path, text.as_bytes()).map_err(WriteError::from)
}

/// The CSV report with a byte-order mark, so that Excel keeps Vietnamese intact.
pub fn csv_with_bom(ds: &Dataset) -> String {
    let table = crate::engine::table::Table::today(ds);
    format!("\u{feff}{}", crate::report::csv(&table))
}

/// Encodes an RGBA image as PNG.
pub fn png_bytes(image: &egui::ColorImage) -> Result<Vec<u8>, WriteError> {
    use image::ImageEncoder;
    let [w, h] = image.size;
    let raw: Vec<u8> = image.pixels.iter().flat_map(|c| c.to_array()).collect();
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&raw, w as u32, h as u32, image::ExtendedColorType::Rgba8)
        .map_err(|e| WriteError {
            kind: std::io::ErrorKind::Other,
            detail: e.to_string(),
        })?;
    Ok(out)
}

/// Recently opened files, newest first.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Recent {
    pub entries: Vec<(PathBuf, Option<PathBuf>)>,
}

impl Recent {
    pub const MAX: usize = 8;

    pub fn push(&mut self, zones: PathBuf, parcels: Option<PathBuf>) {
        self.entries
            .retain(|(z, p)| !(z == &zones && p == &parcels));
        self.entries.insert(0, (zones, parcels));
        self.entries.truncate(Self::MAX);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{Color32, ColorImage};

    #[test]
    fn png_of_a_cropped_screenshot() {
        let mut img = ColorImage::filled([40, 30], Color32::WHITE);
        img.pixels[12 * 40 + 13] = Color32::RED; // x 13, y 12
        let crop = img.region(
            &egui::Rect::from_min_size(egui::pos2(5.0, 5.0), egui::vec2(10.0, 10.0)),
            Some(2.0),
        );
        assert_eq!(crop.size, [20, 20]);
        let bytes = png_bytes(&crop).expect("encodes");
        let back = image::load_from_memory_with_format(&bytes, image::ImageFormat::Png)
            .expect("decodes")
            .to_rgba8();
        assert_eq!((back.width(), back.height()), (20, 20));
        assert_eq!(back.get_pixel(0, 0).0, [255, 255, 255, 255]);
        assert_eq!(
            back.get_pixel(3, 2).0,
            [255, 0, 0, 255],
            "the crop starts at pixel (10, 10)"
        );
    }

    #[test]
    fn parcels_are_told_from_zones_by_their_properties() {
        let parse = |s: &str| {
            Document::parse(Path::new("x.geojson"), s.as_bytes().to_vec()).expect("parses")
        };
        let zones = parse(
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"Tên KCN":"KCN A","Diện tích đất CN (ha)":"12"},"geometry":null}]}"#,
        );
        let parcels = parse(
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"ma_lo":"A1","zone_id":"Z","status":"leased","tenant":"X"},"geometry":null}]}"#,
        );
        assert!(!looks_like_parcels(&zones));
        assert!(looks_like_parcels(&parcels));
    }

    #[test]
    fn recent_files_are_newest_first_without_repeats() {
        let mut r = Recent::default();
        for i in 0..10 {
            r.push(PathBuf::from(format!("z{i}.geojson")), None);
        }
        r.push(PathBuf::from("z5.geojson"), None);
        assert_eq!(r.entries.len(), Recent::MAX);
        assert_eq!(r.entries[0].0, PathBuf::from("z5.geojson"));
        assert_eq!(
            r.entries
                .iter()
                .filter(|(z, _)| z == Path::new("z5.geojson"))
                .count(),
            1
        );
    }
}
