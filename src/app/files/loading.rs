//! Loading on a background thread: files read (both at once), sorted into zones and parcels,
//! measured, and the zones' shapes for the map built, while the window stays responsive; the
//! window polls the [`LoadJob`] each frame.
//!
//! With a snapshot folder, each file is read from a private copy made there
//! ([`Document::open_snapshot`]): mapped, its pages handed back after each pass like the command
//! line does, so that a million lots do not hold their 573 MB of text in the process, and no
//! other program can change the text under the window. What only the map needs of the lots
//! (their R-tree) is built after the data is drawn (see [`crate::app::map::layers`]).

use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::Instant;

use crate::app::map::layers::ZoneShapes;
use crate::engine::crs::Crs;
use crate::engine::dataset::Dataset;
use crate::engine::geojson::{Document, LoadError};
use crate::engine::model::LayerKind;
use crate::engine::properties::{PARCEL_KEYS, ZONE_KEYS, canonical_key};
use crate::engine::saving::FileStamp;
use crate::engine::source::{self, Format};
use crate::engine::store::schema::{self, BoardName};
use crate::engine::store::{self as store, Rows, StoreProblem, Target};
use crate::i18n::{Key, Lang, Message, tr};

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
    /// A shared board: a database URL (`postgres://user@host:port/db`) and the board's name
    /// (`None`: the database's only board, or `default`); `uids`: the new features of a
    /// recovery journal to be replayed on it, by their identities, to find those the board
    /// took already ([`BoardRows::inserted`]).
    Board {
        url: String,
        board: Option<String>,
        uids: Vec<(LayerKind, String)>,
    },
}

/// A finished load.
pub struct Loaded {
    pub ds: Dataset,
    /// What the map draws of the zones, built with the data.
    pub zone_shapes: ZoneShapes,
    pub zones_path: Option<PathBuf>,
    pub parcels_path: Option<PathBuf>,
    /// The files as read, to notice later changes on disk.
    pub zones_stamp: Option<FileStamp>,
    pub parcels_stamp: Option<FileStamp>,
    /// The rows of a shared board's features (`None`: files).
    pub board: Option<BoardRows>,
}

/// A board read from the store: where, which, and each feature's row.
pub struct BoardRows {
    pub url: String,
    pub board: BoardName,
    pub zones: Rows,
    pub parcels: Option<Rows>,
    /// Of the `uids` asked about, those the board holds, with the row each insertion made.
    pub inserted: HashMap<String, i64>,
}

/// How far a load has come.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Reading,
    /// Measuring areas, assigning lots to zones, indexing.
    Measuring,
}

/// Why a load failed, put into words in the window's language when shown.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadFailure {
    /// A file that cannot be read as GeoJSON.
    File(LoadError),
    /// A file that names no coordinate system, in metres (a DXF, a Shapefile without a
    /// `.prj`, a GeoJSON without a `crs` member): the user is asked which it is.
    NeedsSystem {
        path: PathBuf,
        error: Box<LoadError>,
    },
    /// A file that is not `.geojson` or `.json`.
    NotGeoJson(PathBuf),
    /// A request that keeps an open file, with none open.
    NothingOpen,
    /// The loading thread ended without an answer.
    Stopped,
    /// A board that cannot be read: a bad URL, a server that cannot be reached, no such
    /// board…
    Store(StoreProblem),
}

impl LoadFailure {
    /// The failure in the reader's language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Self::File(e) => e.message(lang),
            Self::NeedsSystem { error, .. } => error.message(lang),
            Self::NotGeoJson(p) => format!("{}: {}", p.display(), tr(lang, Key::NotGeoJson)),
            Self::NothingOpen => tr(lang, Key::NoDataOpen).to_string(),
            Self::Stopped => tr(lang, Key::LoadingStopped).to_string(),
            Self::Store(p) => p.message(lang),
        }
    }
}

enum Progress {
    Stage(Stage),
    Done(Box<Result<Loaded, LoadFailure>>),
}

/// A load running on its own thread; the window polls it each frame.
pub struct LoadJob {
    rx: Receiver<Progress>,
    /// The files, as the messages name them.
    pub what: String,
    pub stage: Stage,
    pub started: Instant,
    /// What was asked, and the systems the user gave files that name none: to ask again
    /// with one more.
    pub request: LoadRequest,
    pub systems: Systems,
}

/// The coordinate systems the user gave files that name none of their own.
pub type Systems = Vec<(PathBuf, Crs)>;

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
    /// the open files need it. Files are read from private copies in `snapshots` when given.
    pub fn start(
        request: LoadRequest,
        current: Option<Current>,
        snapshots: Option<PathBuf>,
        wake: impl Fn() + Send + 'static,
    ) -> LoadJob {
        LoadJob::start_assuming(request, Vec::new(), current, snapshots, wake)
    }

    /// [`LoadJob::start`], each file of `systems` read in the system given with it.
    pub fn start_assuming(
        request: LoadRequest,
        systems: Systems,
        current: Option<Current>,
        snapshots: Option<PathBuf>,
        wake: impl Fn() + Send + 'static,
    ) -> LoadJob {
        let what = describe(&request);
        let (tx, rx) = channel();
        let (asked, given) = (request.clone(), systems.clone());
        std::thread::spawn(move || {
            let send = |p: Progress| {
                let _ = tx.send(p);
                wake();
            };
            send(Progress::Stage(Stage::Reading));
            let result = load(request, &systems, current, snapshots.as_deref(), &|s| {
                send(Progress::Stage(s))
            });
            send(Progress::Done(Box::new(result)));
        });
        LoadJob {
            rx,
            what,
            stage: Stage::Reading,
            started: Instant::now(),
            request: asked,
            systems: given,
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
        LoadRequest::Board { url, board, .. } => board_label(url, board.as_deref()),
    }
}

/// "Bắc Ninh (postgres://lan@db/kcn)", or the URL alone when no board is named.
pub fn board_label(url: &str, board: Option<&str>) -> String {
    match board {
        Some(b) => format!("{b} ({url})"),
        None => url.to_string(),
    }
}

/// Reads a board from the store: connects (on this, the loading thread), finds the board,
/// reads its rows as the engine's documents, and which of `uids` (a journal's new features)
/// it holds already.
fn load_board(
    url: &str,
    named: Option<&str>,
    uids: &[(LayerKind, String)],
    stage: &dyn Fn(Stage),
) -> Result<Loaded, LoadFailure> {
    let target = Target::parse(url).map_err(LoadFailure::Store)?;
    let mut client = target.connect().map_err(LoadFailure::Store)?;
    let board = schema::choose(&mut client, url, named).map_err(LoadFailure::Store)?;
    let loaded = store::board::load(&mut client, &target, &board).map_err(LoadFailure::Store)?;
    let inserted =
        store::apply::inserted_rows(&mut client, &board, uids).map_err(LoadFailure::Store)?;
    stage(Stage::Measuring);
    let zone_shapes = ZoneShapes::build(&loaded.dataset);
    Ok(Loaded {
        ds: loaded.dataset,
        zone_shapes,
        zones_path: None,
        parcels_path: None,
        zones_stamp: None,
        parcels_stamp: None,
        board: Some(BoardRows {
            url: url.to_string(),
            board: loaded.board,
            zones: loaded.zones,
            parcels: loaded.parcels,
            inserted,
        }),
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

/// Reads a file of any format ZoneAtlas opens, in the system the user gave it in `systems`
/// if any, from a private copy in `snapshots` when given. A file that names no system and is
/// not in longitude/latitude is [`LoadFailure::NeedsSystem`]: the window asks which.
pub fn open_file(
    p: &Path,
    systems: &[(PathBuf, Crs)],
    snapshots: Option<&Path>,
) -> Result<Document, LoadFailure> {
    if !Format::opens(p) {
        return Err(LoadFailure::NotGeoJson(p.to_path_buf()));
    }
    let assumed = systems.iter().find(|(q, _)| q == p).map(|(_, c)| *c);
    let doc = match (snapshots, assumed) {
        (Some(dir), _) => source::open_snapshot_assuming(p, dir, assumed),
        (None, None) => source::open(p),
        (None, Some(_)) => source::open_assuming(p, assumed),
    };
    doc.map_err(|error| failure(p, error))
}

/// Reads a reference layer's file as [`open_file`] reads a layer's, with what a reference
/// layer draws beyond areas ([`source::open_reference`]).
pub fn open_reference_file(p: &Path, systems: &[(PathBuf, Crs)]) -> Result<Document, LoadFailure> {
    if !Format::opens(p) {
        return Err(LoadFailure::NotGeoJson(p.to_path_buf()));
    }
    let assumed = systems.iter().find(|(q, _)| q == p).map(|(_, c)| *c);
    source::open_reference(p, assumed).map_err(|error| failure(p, error))
}

/// A file that could not be read, or not without a coordinate system.
fn failure(p: &Path, error: LoadError) -> LoadFailure {
    if source::needs_system(&error) {
        LoadFailure::NeedsSystem {
            path: p.to_path_buf(),
            error: Box::new(error),
        }
    } else {
        LoadFailure::File(error)
    }
}

fn without_edits(mut d: Document) -> Document {
    d.drop_edits();
    d
}

fn load(
    request: LoadRequest,
    systems: &[(PathBuf, Crs)],
    current: Option<Current>,
    snapshots: Option<&Path>,
    stage: &dyn Fn(Stage),
) -> Result<Loaded, LoadFailure> {
    let current = move || current.ok_or(LoadFailure::NothingOpen);
    // The stamp is taken before reading: a change made while reading then shows as a change.
    let open = |p: &Path| -> Result<(Document, Option<FileStamp>), LoadFailure> {
        let stamp = FileStamp::of(p).ok().flatten();
        Ok((open_file(p, systems, snapshots)?, stamp))
    };
    type Opened = (Document, Option<PathBuf>, Option<FileStamp>);
    let (zones, parcels): (Opened, Option<Opened>) = match request {
        LoadRequest::Files { zones, parcels } => {
            // Both files at once.
            let (z, p) = rayon::join(|| open(&zones), || parcels.as_deref().map(open).transpose());
            let (z, zs) = z?;
            let p = p?.map(|(d, s)| (d, parcels, s));
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
        LoadRequest::Board { url, board, uids } => {
            return load_board(&url, board.as_deref(), &uids, stage);
        }
        LoadRequest::Dropped(paths) => {
            let paths = source::main_files(paths);
            let mut zones = None;
            let mut parcels = None;
            let opened: Vec<(Document, Option<FileStamp>)> = paths
                .par_iter()
                .map(|p| open(p))
                .collect::<Result<_, _>>()?;
            for (path, (d, stamp)) in paths.into_iter().zip(opened) {
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
    stage(Stage::Measuring);
    let (zones, zones_path, zones_stamp) = zones;
    let (parcels, parcels_path, parcels_stamp) = match parcels {
        Some((d, p, s)) => (Some(d), p, s),
        None => (None, None, None),
    };
    let ds = Dataset::new(zones, parcels);
    let zone_shapes = ZoneShapes::build(&ds);
    Ok(Loaded {
        ds,
        zone_shapes,
        zones_path,
        parcels_path,
        zones_stamp,
        parcels_stamp,
        board: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
