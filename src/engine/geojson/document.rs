//! A GeoJSON file kept as the board's record: the original text plus the places of each
//! feature's members in it, and the property values edited since it was read.
//!
//! Nothing is re-serialised unless it is edited: export copies the original text and splices in
//! only the edited property values (see [`crate::engine::export`]), so members, their order,
//! number spellings (`1.830`), foreign members, 3-D positions and whitespace all survive.
//!
//! Reading: the structural scanner (`scan`) walks the top level and splits the
//! `features` array (in parallel for large files); each feature object is read by serde_json
//! as it is found, which checks it and gives its members' places. Anything the scan does not
//! expect is handed to serde_json, which words the error and its line and column.

use rayon::prelude::*;
use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny};
use serde_json::Value;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::scan::{self, skip_value, skip_ws};
use super::text::{Mapped, Text};
use crate::engine::crs::{self, Crs, Declared};

/// A file that could not be read as GeoJSON at all: the file, the place and what is wrong (put
/// into words by the catalogue, [`crate::i18n`]).
#[derive(Debug, Clone, PartialEq)]
pub struct LoadError {
    /// The file as the user named it.
    pub file: String,
    /// 1-based line and column where the problem is, when it has a place.
    pub place: Option<(usize, usize)>,
    pub problem: LoadProblem,
}

/// Why a feature of a collection cannot be read (it is carried through export as written).
#[derive(Debug, Clone, PartialEq)]
pub enum Malformed {
    NotAnObject(JsonKind),
    /// An object that cannot be read (`detail`: the JSON parser's words).
    Unreadable {
        detail: String,
    },
}

/// What kind of JSON value was found where another was expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    Object,
    Array,
    String,
    Number,
    Boolean,
    Null,
}

/// Why a file cannot be read. `detail` is the JSON parser's or the system's own account,
/// quoted as it says it.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadProblem {
    /// The file cannot be read from disk.
    CannotRead {
        kind: std::io::ErrorKind,
        detail: String,
    },
    NotUtf8,
    /// Over 4 GiB.
    TooLarge {
        gib: f64,
    },
    NotJson {
        detail: String,
    },
    NotGeoJson {
        detail: String,
    },
    /// A top-level Feature that cannot be read.
    NotAFeature {
        detail: String,
    },
    /// A `features` array in an object of another type.
    FeaturesInOtherType {
        kind: String,
    },
    FeaturesNotAnArray {
        found: JsonKind,
    },
    /// A bare geometry (no properties to hold the attributes).
    BareGeometry {
        kind: String,
    },
    OtherType {
        kind: String,
    },
    /// Neither `type` nor `features` at the top.
    NoType,
    /// The coordinate system (a legacy `crs` member, or coordinates in metres without one).
    Crs(crate::engine::crs::CrsProblem),
    /// Another program cut the file short (or rewrote it) while it was mapped and read: what
    /// was read from it is not to be used.
    Changed,
    /// A file in another format that cannot be read.
    Source(crate::engine::source::SourceProblem),
}

/// How the features sit in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    /// A FeatureCollection; `close` is the offset of the `]` that ends its `features` array.
    Collection { close: usize },
    /// The file is a single Feature.
    SingleFeature,
}

/// A byte range in [`Document::text`], kept in 32 bits: a million features' spans are a
/// large part of a parcels file's memory. (Files of 4 GiB or more are refused on opening.)
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl From<Span> for Range<usize> {
    fn from(s: Span) -> Range<usize> {
        s.range()
    }
}

/// A byte range of the text: a [`Span`] or a `Range<usize>`.
pub trait TextRange {
    fn text_range(&self) -> Range<usize>;
}

impl TextRange for Span {
    fn text_range(&self) -> Range<usize> {
        self.range()
    }
}

impl TextRange for Range<usize> {
    fn text_range(&self) -> Range<usize> {
        self.clone()
    }
}

/// Where one feature's parts are in the text. All spans are byte offsets into
/// [`Document::text`].
#[derive(Debug, Clone, Default)]
pub struct FeatureSpans {
    pub whole: Span,
    pub id: Option<Span>,
    /// The `properties` value (an object, or `null`); `None` when the member is absent.
    pub properties: Option<Span>,
    /// The `geometry` value (may be `null`); `None` when the member is absent.
    pub geometry: Option<Span>,
    /// The `type` value, when present.
    pub kind: Option<Span>,
    /// The element is not a JSON object (or not one that can be read): it is carried through
    /// export as written, and [`Document::malformed`] says why. Kept here, with the spans, so
    /// that asking about one feature costs nothing however many there are.
    pub malformed: bool,
}

/// A feature inserted since the file was read: its own text, and the places of its members in
/// that text.
#[derive(Debug, Clone)]
pub struct Added {
    pub text: Arc<str>,
    pub spans: FeatureSpans,
}

impl Added {
    /// A feature from its JSON text: it must be an object whose `type`, `id`, `properties` and
    /// `geometry` members (each optional) can be found. `None` for anything else.
    pub fn parse(text: impl Into<Arc<str>>) -> Option<Added> {
        let text: Arc<str> = text.into();
        let trimmed = text.trim();
        if !trimmed.starts_with('{') || trimmed.len() != text.len() {
            return None;
        }
        let parts = serde_json::from_str::<FeatureParts>(&text).ok()?;
        let base = text.as_ptr() as usize;
        let span = |raw: &RawValue| {
            let start = raw.get().as_ptr() as usize - base;
            Some(Span {
                start: u32::try_from(start).ok()?,
                end: u32::try_from(start + raw.get().len()).ok()?,
            })
        };
        let spans = FeatureSpans {
            whole: Span {
                start: 0,
                end: u32::try_from(text.len()).ok()?,
            },
            id: parts.id.and_then(span),
            properties: parts.properties.and_then(span),
            geometry: parts.geometry.and_then(span),
            kind: parts.kind.and_then(span),
            malformed: false,
        };
        Some(Added { text, spans })
    }
}

/// One parsed GeoJSON file.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file it came from (what the user typed; for messages and saving).
    pub path: PathBuf,
    /// The whole file as read (a byte-order mark, if any, included).
    pub text: Text,
    pub container: Container,
    /// Shared by the document's copies: reading never changes them.
    pub features: Arc<Vec<FeatureSpans>>,
    /// Property values set since loading, by feature, in the order first set (`None`: the
    /// property is removed). Export splices these in and copies everything else from
    /// [`Document::text`].
    pub edits: BTreeMap<usize, Vec<(String, Option<Value>)>>,
    /// Geometries replaced since loading, by feature: the new geometry's JSON text as it will
    /// be written (in the file's coordinate system and style).
    pub geometries: BTreeMap<usize, Arc<str>>,
    /// Features inserted since loading. Feature `features.len() + k` is `added[k]`: a feature
    /// keeps its number (its identity for edits, undo and the journal) whatever is inserted or
    /// deleted after it.
    pub added: Vec<Added>,
    /// Features deleted since loading (file features and inserted ones alike). A deleted
    /// feature keeps its number and its text, so that restoring it (undo) gives it back as it
    /// was, in its place.
    pub deleted: BTreeSet<usize>,
    /// The coordinate system named by a legacy top-level `crs` member, when it is not WGS84:
    /// the features' coordinates are converted to WGS84 as they are read (see
    /// [`crate::engine::crs`]).
    pub crs: Option<Crs>,
    /// The bytes that remove the top-level `crs` member (with one separating comma), for an
    /// export in WGS84. `None` without a converted system.
    pub crs_member: Option<Span>,
    /// The top-level members other than `features`, in file order: their names and values.
    top: Vec<(String, Span)>,
    /// The format of the file it came from: a document read from another format is written
    /// as GeoJSON elsewhere, never over its file.
    pub format: crate::engine::source::Format,
}

impl Document {
    /// Reads and parses a file. Errors name the file and, where there is one, the line and
    /// column.
    pub fn open(path: &Path) -> Result<Document, LoadError> {
        let bytes = std::fs::read(path).map_err(|e| LoadError {
            file: path.display().to_string(),
            place: None,
            problem: LoadProblem::CannotRead {
                kind: e.kind(),
                detail: e.to_string(),
            },
        })?;
        Document::parse(path, bytes)
    }

    /// Reads and parses a file like [`Document::open`], but maps it instead of copying it into
    /// memory, and hands its pages back to the system after each pass over them (they are read
    /// from the file again when next needed): for the command line, which reads a large
    /// parcels file through once. Falls back to reading when the file cannot be mapped.
    ///
    /// Another program may cut the file short or rewrite it while it is mapped: reading goes
    /// on without harm, and [`Document::intact`] (asked here after the split, and by whoever
    /// reads the text again) then says so. Saving replaces files by renaming, which is fine.
    pub fn open_mapped(path: &Path) -> Result<Document, LoadError> {
        match Text::map(path) {
            Some(Mapped::Text(text)) => {
                let parsed = Document::parse_text(path, text.clone(), None);
                if !text.intact() {
                    return Err(changed(path));
                }
                let doc = parsed?;
                doc.release_text(0..doc.text.len());
                Ok(doc)
            }
            Some(Mapped::NotUtf8(bytes)) => Document::parse(path, bytes),
            Some(Mapped::Changed) => Err(changed(path)),
            None => Document::open(path),
        }
    }

    /// Reads and parses a file like [`Document::open_mapped`], but from a private copy: the
    /// file is copied into an unnamed temporary file in `dir` (by the kernel: a reflink where
    /// the file system can share blocks), and the copy is mapped and read, its pages handed
    /// back after each pass. No other program can rewrite or cut short the copy, so the text
    /// stays as read however long the document is kept, and what it costs in memory is the
    /// system's page cache, not the process's. For the app, which keeps files open for hours
    /// while other programs (GIS tools, editors) may rewrite them in place. `dir` should not
    /// be a file system in memory (tmpfs). Falls back to reading into memory when the copy
    /// cannot be made or mapped.
    pub fn open_snapshot(path: &Path, dir: &Path) -> Result<Document, LoadError> {
        match Text::map_copy(path, dir) {
            Some(Mapped::Text(text)) => {
                let doc = Document::parse_text(path, text, None)?;
                doc.release_text(0..doc.text.len());
                Ok(doc)
            }
            Some(Mapped::NotUtf8(bytes)) => Document::parse(path, bytes),
            Some(Mapped::Changed) | None => Document::open(path),
        }
    }

    /// Runs `pass` over the features a block at a time, in order, and hands each block's pages
    /// back once it is done ([`Document::release_text`]): a pass over a mapped file's text
    /// then keeps a block of it resident, not the whole file. `pass` gets a range of feature
    /// positions; what it returns is concatenated in order.
    pub fn in_blocks<T>(&self, mut pass: impl FnMut(Range<usize>) -> Vec<T>) -> Vec<T> {
        const BLOCK: usize = 1 << 16;
        let mut out = Vec::new();
        let mut released = 0;
        for start in (0..self.len()).step_by(BLOCK) {
            let end = (start + BLOCK).min(self.len());
            out.extend(pass(start..end));
            // Inserted features have texts of their own.
            if let Some(last) = self.features.get(end - 1) {
                let read_to = last.whole.end as usize;
                self.release_text(released..read_to);
                released = read_to;
            }
        }
        out
    }

    /// `Ok` when every read of the text so far saw the file as it was opened; an error naming
    /// the file when another program cut it short or rewrote it while it was mapped (whatever
    /// was read from it since is then not to be used). Always `Ok` for a file read into memory.
    pub fn intact(&self) -> Result<(), LoadError> {
        if self.text.intact() {
            Ok(())
        } else {
            Err(changed(&self.path))
        }
    }

    /// Hands the pages of a byte range of a mapped text back to the system; they are read
    /// from the file again when next touched, so the text reads the same. Nothing happens
    /// for a text in memory.
    pub fn release_text(&self, range: Range<usize>) {
        self.text.release(range);
    }

    /// Parses the bytes of a file named `path` (the name is only used in messages).
    pub fn parse(path: &Path, bytes: Vec<u8>) -> Result<Document, LoadError> {
        Document::parse_assuming(path, bytes, None)
    }

    /// [`Document::parse`]; a file without a `crs` member is taken to be in `assumed` (the
    /// user's `--source-crs`: a file with a system of its own keeps it).
    pub fn parse_assuming(
        path: &Path,
        bytes: Vec<u8>,
        assumed: Option<Crs>,
    ) -> Result<Document, LoadError> {
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let bytes = e.into_bytes();
                let (line, col) = line_col_bytes(&bytes, at);
                return Err(LoadError {
                    file: path.display().to_string(),
                    place: Some((line, col)),
                    problem: LoadProblem::NotUtf8,
                });
            }
        };
        Document::parse_text(path, Text::from(text), assumed)
    }

    fn parse_text(path: &Path, text: Text, assumed: Option<Crs>) -> Result<Document, LoadError> {
        let file = path.display().to_string();
        if u32::try_from(text.len()).is_err() {
            return Err(LoadError {
                file,
                place: None,
                problem: LoadProblem::TooLarge {
                    gib: text.len() as f64 / f64::from(1u32 << 30),
                },
            });
        }
        let body_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let body = &text[body_start..];
        // The structural scan finds the features far faster than a full parse; anything it
        // does not expect (or a feature with a syntax error, below) is refused with the words
        // and place serde_json gives.
        let Some(top) = scan_top(&text, body_start) else {
            return Err(refusal(&file, body));
        };
        // The file is under 4 GiB (checked above), so offsets fit.
        let at = |o: usize| u32::try_from(o).expect("offset in a file under 4 GiB");
        let span = |r: Range<usize>| Span {
            start: at(r.start),
            end: at(r.end),
        };
        let raw_span = |raw: &RawValue| {
            let start = raw.get().as_ptr() as usize - text.as_ptr() as usize;
            span(start..start + raw.get().len())
        };
        let mut doc = Document {
            path: path.to_path_buf(),
            container: Container::SingleFeature,
            features: Arc::default(),
            edits: BTreeMap::new(),
            geometries: BTreeMap::new(),
            added: Vec::new(),
            deleted: BTreeSet::new(),
            text: Text::default(),
            crs: None,
            crs_member: None,
            top: Vec::new(),
            format: crate::engine::source::Format::GeoJson,
        };
        let kind = top.kind.as_deref();
        match (kind, top.features) {
            (
                _,
                Some(Features::Array {
                    items,
                    parts,
                    close,
                }),
            ) if !kind_is(kind, "Feature") => {
                if let Some(k) = kind
                    && !k.eq_ignore_ascii_case("FeatureCollection")
                {
                    return Err(LoadError {
                        file,
                        place: None,
                        problem: LoadProblem::FeaturesInOtherType {
                            kind: k.to_string(),
                        },
                    });
                }
                doc.container = Container::Collection { close };
                // Each feature's members are found in parallel: this is most of the reading
                // time of a large parcels file.
                let (features, broken): (Vec<FeatureSpans>, Vec<bool>) = items
                    .par_iter()
                    .enumerate()
                    .with_min_len(1024)
                    .map(|(k, r)| {
                        let raw = &text[r.clone()];
                        let parts = match parts.get(k).copied().flatten() {
                            // Read already while the array was split.
                            Some(parts) => Ok(parts),
                            // Not an object: no need to ask serde_json why (a million `1`s
                            // would each build an error), only whether it is JSON at all.
                            None if !raw.starts_with('{') => {
                                Err(serde_json::from_str::<IgnoredAny>(raw).is_err())
                            }
                            None => serde_json::from_str::<FeatureParts>(raw)
                                .map_err(|e| e.is_syntax() || e.is_eof()),
                        };
                        match parts {
                            Ok(parts) => (
                                FeatureSpans {
                                    whole: span(r.clone()),
                                    id: parts.id.map(raw_span),
                                    properties: parts.properties.map(raw_span),
                                    geometry: parts.geometry.map(raw_span),
                                    kind: parts.kind.map(raw_span),
                                    malformed: false,
                                },
                                false,
                            ),
                            Err(broken) => (
                                FeatureSpans {
                                    whole: span(r.clone()),
                                    malformed: true,
                                    ..Default::default()
                                },
                                broken,
                            ),
                        }
                    })
                    .unzip();
                if broken.contains(&true) {
                    // Broken JSON, not just an odd feature: the whole file is refused, with
                    // the place serde_json finds.
                    return Err(refusal(&file, body));
                }
                // Built in place: a million features should not be held twice.
                doc.features = Arc::new(features);
            }
            (_, Some(Features::NotArray(what, value_at))) => {
                return Err(LoadError {
                    file,
                    place: Some(line_col_bytes(text.as_bytes(), value_at)),
                    problem: LoadProblem::FeaturesNotAnArray { found: what },
                });
            }
            (Some(k), _) if k.eq_ignore_ascii_case("Feature") => {
                let parts: FeatureParts = serde_json::from_str(body).map_err(|e| LoadError {
                    file: file.clone(),
                    place: (e.line() > 0).then(|| (e.line(), e.column())),
                    problem: LoadProblem::NotAFeature {
                        detail: strip_serde_place(&e.to_string()),
                    },
                })?;
                let whole_start = body_start + (body.len() - body.trim_start().len());
                let whole_end = body_start + body.trim_end().len();
                doc.features = Arc::new(vec![FeatureSpans {
                    whole: span(whole_start..whole_end),
                    id: parts.id.map(raw_span),
                    properties: parts.properties.map(raw_span),
                    geometry: parts.geometry.map(raw_span),
                    kind: parts.kind.map(raw_span),
                    malformed: false,
                }]);
            }
            (Some(k), _) => {
                return Err(LoadError {
                    file,
                    place: None,
                    problem: match k {
                        "Polygon" | "MultiPolygon" | "GeometryCollection" | "Point"
                        | "LineString" | "MultiLineString" | "MultiPoint" => {
                            LoadProblem::BareGeometry {
                                kind: k.to_string(),
                            }
                        }
                        _ => LoadProblem::OtherType {
                            kind: k.to_string(),
                        },
                    },
                });
            }
            (None, _) => {
                return Err(LoadError {
                    file,
                    place: None,
                    problem: LoadProblem::NoType,
                });
            }
        }
        doc.top = top
            .members
            .iter()
            .filter(|m| m.name != "features")
            .map(|m| (m.name.clone(), span(m.value.clone())))
            .collect();
        // A legacy `crs` member: the features are converted when read (a separate pass that
        // files without one never take). A file without a usable system whose numbers are
        // metres is refused: its figures would all be missing.
        let step = (doc.features.len() / PROJECTED_SAMPLE).max(1);
        let sample = || {
            doc.features
                .iter()
                .step_by(step)
                .filter_map(|f| f.geometry)
                .map(|g| &text[g.range()])
        };
        if let Some(c) = top.members.iter().position(|m| m.name == "crs") {
            let value = top.members[c].value.clone();
            let refuse = |problem| LoadError {
                file: file.clone(),
                place: Some(line_col_bytes(text.as_bytes(), value.start)),
                problem: LoadProblem::Crs(problem),
            };
            match crs::declared(&text[value.clone()]) {
                Ok(Declared::Wgs84) => {}
                Ok(Declared::Supported(system)) => {
                    if let Some(problem) = crs::contradicts(&system, sample()) {
                        return Err(refuse(problem));
                    }
                    doc.crs = Some(system);
                    doc.crs_member = member_with_comma(text.as_bytes(), &top.members, c).map(span);
                }
                Err(problem) => return Err(refuse(problem)),
            }
        }
        let has_member = top.members.iter().any(|m| m.name == "crs");
        if !has_member && let Some(system) = assumed {
            if let Some(problem) = crs::contradicts(&system, sample()) {
                return Err(LoadError {
                    file,
                    place: None,
                    problem: LoadProblem::Crs(problem),
                });
            }
            doc.crs = Some(system);
        }
        if doc.crs.is_none()
            && let Some(problem) = crs::looks_projected(sample())
        {
            return Err(LoadError {
                file,
                place: None,
                problem: LoadProblem::Crs(problem),
            });
        }
        doc.text = text;
        Ok(doc)
    }

    /// Why feature `i` cannot be read, when it is malformed (not a JSON object, or not one
    /// that can be read). Found from its text on demand: only malformed features pay.
    pub fn malformed(&self, i: usize) -> Option<Malformed> {
        let f = self.features.get(i).filter(|f| f.malformed)?;
        let raw = self.slice(&f.whole);
        if !raw.starts_with('{') {
            return Some(Malformed::NotAnObject(json_kind(raw)));
        }
        Some(Malformed::Unreadable {
            detail: match serde_json::from_str::<FeatureParts>(raw) {
                Err(e) => strip_serde_place(&e.to_string()),
                Ok(_) => "unexpected members".into(),
            },
        })
    }

    /// Number of features: the file's and those inserted since, deleted ones included (a
    /// feature's number never changes; see [`Document::is_deleted`]).
    pub fn len(&self) -> usize {
        self.features.len() + self.added.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Feature `i`'s position among the features there now, from 0: its position in the file
    /// as it would be written (features are written in number order, deleted ones left out).
    /// The work grows with the deletions before `i`, not with the file.
    pub fn live_rank(&self, i: usize) -> usize {
        i - self.deleted.range(..i).count()
    }

    /// Whether feature `i` was deleted since loading (it is then left out of everything but
    /// its own restoring).
    pub fn is_deleted(&self, i: usize) -> bool {
        self.deleted.contains(&i)
    }

    /// Whether feature `i` was inserted since loading.
    pub fn is_added(&self, i: usize) -> bool {
        i >= self.features.len()
    }

    /// The text of a span of the file.
    pub fn slice(&self, r: &impl TextRange) -> &str {
        &self.text[r.text_range()]
    }

    /// Feature `i`'s text as read or inserted (before edits), and its members' places in it.
    pub fn source(&self, i: usize) -> (&str, &FeatureSpans) {
        match self.features.get(i) {
            Some(f) => (&self.text, f),
            None => {
                let a = &self.added[i - self.features.len()];
                (&a.text, &a.spans)
            }
        }
    }

    /// The text of a member of feature `i` (a span from [`Document::source`]).
    fn part(&self, i: usize, pick: impl Fn(&FeatureSpans) -> Option<Span>) -> Option<&str> {
        let (text, spans) = self.source(i);
        pick(spans).map(|r| &text[r.range()])
    }

    /// The raw JSON of feature `i`'s own geometry: as the file holds it (or as it was
    /// inserted), whatever replaced it since.
    pub fn own_geometry_json(&self, i: usize) -> Option<&str> {
        self.part(i, |f| f.geometry)
    }

    /// The raw JSON of feature `i`'s geometry as it is now (a replaced one, else the file's),
    /// when it has one (not `null`).
    pub fn geometry_json(&self, i: usize) -> Option<&str> {
        match self.geometries.get(&i) {
            Some(g) => Some(g.as_ref()),
            None => self.part(i, |f| f.geometry),
        }
        .filter(|s| *s != "null")
    }

    /// The raw JSON text of feature `i`'s id.
    pub fn id_json(&self, i: usize) -> Option<&str> {
        self.part(i, |f| f.id)
    }

    /// The id as people read it: strings unquoted, numbers as written.
    pub fn id_text(&self, i: usize) -> Option<String> {
        let raw = self.id_json(i)?;
        match serde_json::from_str::<serde_json::Value>(raw).ok()? {
            serde_json::Value::String(s) => Some(s),
            serde_json::Value::Null => None,
            serde_json::Value::Number(_) => Some(raw.trim().to_string()),
            other => Some(other.to_string()),
        }
    }

    /// The `type` member of feature `i`, as written.
    pub fn kind_of(&self, i: usize) -> Option<String> {
        serde_json::from_str::<String>(self.part(i, |f| f.kind)?).ok()
    }

    /// Feature `i`'s properties in file order, each value as its JSON text. Empty when the
    /// feature has none, or they are not an object (`null`). The text was checked by
    /// serde_json when the features were split, so the structural scan reads it.
    pub fn raw_properties(&self, i: usize) -> Vec<(Cow<'_, str>, &str)> {
        let Some(text) = self.part(i, |f| f.properties) else {
            return Vec::new();
        };
        scan::members(text)
            .map(|members| {
                members
                    .into_iter()
                    .map(|(key, value)| (key, &text[value]))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Replaces feature `i`'s geometry with `text` (`None`: back to the file's own); returns
    /// the replacement it had before (`None`: the file's). Setting the file's own text back
    /// removes the replacement, so an undone reshape leaves the file byte for byte as it was.
    pub fn set_geometry(&mut self, i: usize, text: Option<Arc<str>>) -> Option<Arc<str>> {
        let own = self.part(i, |f| f.geometry);
        let text = text.filter(|t| Some(t.as_ref()) != own);
        match text {
            Some(t) => self.geometries.insert(i, t),
            None => self.geometries.remove(&i),
        }
    }

    /// Inserts a feature after all others; returns its number.
    pub fn insert(&mut self, feature: Added) -> usize {
        self.added.push(feature);
        self.len() - 1
    }

    /// Deletes (`false`) or restores (`true`) feature `i`; returns whether it was there
    /// (not deleted) before.
    pub fn set_present(&mut self, i: usize, present: bool) -> bool {
        if present {
            !self.deleted.remove(&i)
        } else {
            !self.deleted.insert(i)
        }
    }

    /// Whether anything was changed since loading.
    pub fn is_edited(&self) -> bool {
        !(self.edits.is_empty()
            && self.geometries.is_empty()
            && self.added.is_empty()
            && self.deleted.is_empty())
    }

    /// Forgets every change since loading.
    pub fn drop_edits(&mut self) {
        self.edits.clear();
        self.geometries.clear();
        self.added.clear();
        self.deleted.clear();
    }

    /// Feature `i`'s properties as they are now (the file's, with edits applied), in file
    /// order; new keys come last.
    pub fn properties(&self, i: usize) -> Vec<(String, Value)> {
        let raw = self.raw_properties(i);
        let value = |json: &str| serde_json::from_str(json).unwrap_or(Value::Null);
        let Some(edits) = self.edits.get(&i) else {
            return raw
                .into_iter()
                .map(|(k, v)| (k.into_owned(), value(v)))
                .collect();
        };
        // An edit changes (or removes) the first member of its name; each name is edited
        // once. Found by hashing, however many properties and edits a feature has.
        let mut first: HashMap<&str, usize> = HashMap::with_capacity(raw.len());
        for (at, (k, _)) in raw.iter().enumerate() {
            first.entry(k.as_ref()).or_insert(at);
        }
        let mut values: Vec<Option<Value>> = raw.iter().map(|(_, v)| Some(value(v))).collect();
        let mut added = Vec::new();
        for (k, v) in edits {
            match (first.get(k.as_str()), v) {
                (Some(&at), v) => values[at] = v.clone(),
                (None, Some(v)) => added.push((k.clone(), v.clone())),
                (None, None) => {}
            }
        }
        raw.iter()
            .zip(values)
            .filter_map(|((k, _), v)| Some((k.to_string(), v?)))
            .chain(added)
            .collect()
    }

    /// Sets property `key` of feature `i`; returns the value it had before (`None` if absent).
    /// Setting a value back to what the file holds removes the edit, so an undone edit leaves
    /// the file byte-for-byte as it was.
    pub fn set_property(&mut self, i: usize, key: &str, value: Value) -> Option<Value> {
        self.put_property(i, key, Some(value))
    }

    /// Removes property `key` of feature `i`; returns the value it had (`None` if absent).
    pub fn remove_property(&mut self, i: usize, key: &str) -> Option<Value> {
        self.put_property(i, key, None)
    }

    /// Sets (`Some`) or removes (`None`) a property; returns the value it had before.
    pub fn put_property(&mut self, i: usize, key: &str, value: Option<Value>) -> Option<Value> {
        let before = self
            .properties(i)
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v);
        let original = self
            .raw_properties(i)
            .into_iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| serde_json::from_str::<Value>(v).ok());
        let edits = self.edits.entry(i).or_default();
        edits.retain(|(k, _)| k != key);
        if original != value {
            edits.push((key.to_string(), value));
        }
        if edits.is_empty() {
            self.edits.remove(&i);
        }
        before
    }

    /// 1-based line and column of a byte offset in the text.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col_bytes(self.text.as_bytes(), offset)
    }

    /// The file name for messages.
    pub fn name(&self) -> String {
        self.path.display().to_string()
    }

    /// The value of the top-level member `name` (`bbox`, `crs`, a foreign member), when there
    /// is exactly one; never `features`. For a single Feature, its own members.
    pub fn top_member(&self, name: &str) -> Option<Span> {
        let mut found = self.top.iter().filter(|(k, _)| k == name);
        let first = found.next()?.1;
        found.next().is_none().then_some(first)
    }
}

/// How many features' coordinates are looked at to tell whether a file is projected.
const PROJECTED_SAMPLE: usize = 64;

fn changed(path: &Path) -> LoadError {
    LoadError {
        file: path.display().to_string(),
        place: None,
        problem: LoadProblem::Changed,
    }
}

/// The bytes of top-level member `c` with one comma (the following one, or the preceding one
/// for the last member), so that removing them leaves valid JSON. `None` for a lone member.
fn member_with_comma(b: &[u8], members: &[TopMember], c: usize) -> Option<Range<usize>> {
    let m = &members[c];
    if let Some(next) = members.get(c + 1) {
        return Some(m.key_start..next.key_start);
    }
    let before = members.get(c.checked_sub(1)?)?;
    Some(skip_ws(b, before.value.end)..m.value.end)
}

fn kind_is(kind: Option<&str>, want: &str) -> bool {
    kind.is_some_and(|k| k.eq_ignore_ascii_case(want))
}

fn json_kind(raw: &str) -> JsonKind {
    match raw.trim_start().as_bytes().first() {
        Some(b'{') => JsonKind::Object,
        Some(b'[') => JsonKind::Array,
        Some(b'"') => JsonKind::String,
        Some(b'n') => JsonKind::Null,
        Some(b't' | b'f') => JsonKind::Boolean,
        _ => JsonKind::Number,
    }
}

/// serde_json appends " at line L column C"; we print the place ourselves.
fn strip_serde_place(s: &str) -> String {
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s.to_string(),
    }
}

fn line_col_bytes(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let col = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, col)
}

/// The top level as the structural scan finds it: only what is needed to find the features;
/// every member stays in the text untouched.
struct Top<'a> {
    kind: Option<String>,
    features: Option<Features<'a>>,
    /// Every member, in file order.
    members: Vec<TopMember>,
}

struct TopMember {
    name: String,
    key_start: usize,
    value: Range<usize>,
}

enum Features<'a> {
    /// The elements, each one's members when it was read as a feature while the array was
    /// split, and the offset of the `]` that ends the array.
    Array {
        items: Vec<Range<usize>>,
        parts: Vec<Option<FeatureParts<'a>>>,
        close: usize,
    },
    /// What it is instead, and where its value starts (for the place in the message).
    NotArray(JsonKind, usize),
}

/// The top-level object, from `start` (after a byte-order mark): strings and nesting are
/// followed, the `features` array is split into its elements (each feature object read by
/// serde_json as it is found), and every other member is checked by serde_json. `None` for
/// anything unexpected (the caller then lets serde_json word the error).
fn scan_top(text: &str, start: usize) -> Option<Top<'_>> {
    let b = text.as_bytes();
    let mut top = Top {
        kind: None,
        features: None,
        members: Vec::new(),
    };
    let open = skip_ws(b, start);
    let end = scan::object(text, open, |key, at| {
        let name = key.text()?;
        let key_start = key.raw.as_ptr() as usize - text.as_ptr() as usize;
        if name == "features" {
            if top.features.is_some() {
                return None;
            }
            let end = if b.get(at) == Some(&b'[') {
                let split = scan::split_array(text, at, |j| read_feature_at(text, j))?;
                top.features = Some(Features::Array {
                    items: split.items,
                    parts: split.read,
                    close: split.end - 1,
                });
                split.end
            } else {
                let end = skip_value(b, at)?;
                serde_json::from_str::<IgnoredAny>(&text[at..end]).ok()?;
                top.features = Some(Features::NotArray(json_kind(&text[at..end]), at));
                end
            };
            top.members.push(TopMember {
                name: name.into_owned(),
                key_start,
                value: at..end,
            });
            return Some(end);
        }
        let end = skip_value(b, at)?;
        let value = &text[at..end];
        match name.as_ref() {
            "type" if top.kind.is_some() => return None,
            "type" => top.kind = Some(serde_json::from_str(value).ok()?),
            "crs" if top.members.iter().any(|m| m.name == "crs") => return None,
            _ => {
                serde_json::from_str::<IgnoredAny>(value).ok()?;
            }
        }
        top.members.push(TopMember {
            name: name.into_owned(),
            key_start,
            value: at..end,
        });
        Some(end)
    })?;
    (skip_ws(b, end) == b.len()).then_some(top)
}

/// The feature object starting at `j`, read by serde_json, and its end.
fn read_feature_at(text: &str, j: usize) -> Option<(usize, FeatureParts<'_>)> {
    if text.as_bytes().get(j) != Some(&b'{') {
        return None;
    }
    let mut stream = serde_json::Deserializer::from_str(&text[j..]).into_iter::<FeatureParts>();
    let parts = stream.next()?.ok()?;
    Some((j + stream.byte_offset(), parts))
}

/// Why a file the structural scan did not accept is not GeoJSON, in serde_json's words and
/// with its place.
fn refusal(file: &str, body: &str) -> LoadError {
    /// The top level as serde_json reads it, only to word what is wrong.
    #[derive(Deserialize)]
    struct TopForErrors<'a> {
        #[serde(rename = "type", default)]
        _kind: Option<String>,
        #[serde(rename = "features", borrow, default)]
        _features: Option<&'a RawValue>,
        #[serde(rename = "crs", borrow, default)]
        _crs: Option<&'a RawValue>,
    }
    let problem = match serde_json::from_str::<TopForErrors>(body) {
        Err(e) => {
            let detail = strip_serde_place(&e.to_string());
            let problem = if e.is_syntax() || e.is_eof() {
                LoadProblem::NotJson { detail }
            } else {
                LoadProblem::NotGeoJson { detail }
            };
            return LoadError {
                file: file.to_string(),
                place: (e.line() > 0).then(|| (e.line(), e.column())),
                problem,
            };
        }
        Ok(_) => LoadProblem::NotGeoJson {
            detail: "the top-level object cannot be read".into(),
        },
    };
    LoadError {
        file: file.to_string(),
        place: None,
        problem,
    }
}

/// A feature's members of interest, borrowed from the text.
#[derive(Deserialize, Clone, Copy)]
struct FeatureParts<'a> {
    #[serde(rename = "type", borrow, default, deserialize_with = "raw_keep_null")]
    kind: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_keep_null")]
    id: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_keep_null")]
    properties: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_keep_null")]
    geometry: Option<&'a RawValue>,
}

/// Keeps a `null` value as a raw value (so its span is known) rather than `None`.
fn raw_keep_null<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt;

    #[test]
    fn a_snapshot_reads_as_the_file_was_whatever_is_done_to_the_file_after() {
        let dir = tempfile::tempdir().expect("tempdir");
        let snapshots = dir.path().join("open-files");
        let path = dir.path().join("parcels.geojson");
        let feature = |i: usize| {
            format!(
                r#"{{"type":"Feature","properties":{{"parcel_id":"L{i}","tenant":"Công ty {i}"}},"geometry":null}}"#
            )
        };
        let features: Vec<String> = (0..5000).map(feature).collect();
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        );
        std::fs::write(&path, &text).expect("write");
        let doc = Document::open_snapshot(&path, &snapshots).expect("opens");
        assert_eq!(&*doc.text, text);
        // Another program rewrites the file in place, shorter (as GIS tools and editors do):
        // the document still reads as the file was when opened, to its last feature.
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .expect("open");
        file.set_len(10).expect("truncate");
        std::fs::write(&path, "{}").expect("rewrite");
        assert_eq!(&*doc.text, text);
        let last = doc.properties(4999);
        assert_eq!(last[1].1, Value::from("Công ty 4999"));
        // The copy has no name: nothing is left in the folder, now or after. It is what the
        // text maps (not memory of the process).
        assert_eq!(std::fs::read_dir(&snapshots).expect("dir").count(), 0);
        #[cfg(target_os = "linux")]
        {
            let maps = std::fs::read_to_string("/proc/self/maps").expect("maps");
            let folder = snapshots.canonicalize().expect("folder");
            assert!(
                maps.lines()
                    .any(|l| l.contains(&*folder.to_string_lossy()) && l.ends_with("(deleted)")),
                "the text is mapped from an unnamed copy in the folder"
            );
        }
        drop(doc);
        assert_eq!(std::fs::read_dir(&snapshots).expect("dir").count(), 0);

        // Where no copy can be made, the file is read into memory.
        std::fs::write(&path, &text).expect("write");
        let blocked = dir.path().join("not-a-folder");
        std::fs::write(&blocked, "").expect("write");
        let doc = Document::open_snapshot(&path, &blocked).expect("opens");
        assert_eq!(&*doc.text, text);
    }

    #[test]
    fn a_pass_in_blocks_sees_every_feature_once_in_order() {
        let features: Vec<String> = (0..70_000)
            .map(|i| format!(r#"{{"type":"Feature","id":{i},"properties":null,"geometry":null}}"#))
            .collect();
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        );
        let doc = Document::parse(Path::new("t.geojson"), text.into_bytes()).expect("parses");
        let seen = doc.in_blocks(|block| block.map(|i| doc.id_text(i)).collect());
        let expected: Vec<Option<String>> = (0..70_000).map(|i| Some(i.to_string())).collect();
        assert_eq!(seen, expected);
    }

    fn parse(s: &str) -> Result<Document, LoadError> {
        Document::parse(Path::new("t.geojson"), s.as_bytes().to_vec())
    }

    /// The structural scan of properties reads exactly what serde_json reads.
    #[test]
    fn property_texts_match_serde() {
        let src = r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"b":1,"a":"1.830", "c" : [1, {"d":"]}\"x"}, []] ,"e\u00e9\n":{"f":{}},"g":null,"h":-1.5e3,"i":true,"i":"dup","j":"a\\\"b","k":"Tên KCN"},"geometry":null},
 {"type":"Feature","properties":null,"geometry":null},
 {"type":"Feature","properties":{},"geometry":null},
 {"type":"Feature","properties":{ },"geometry":null},
 {"type":"Feature","properties":[1,2],"geometry":null},
 {"type":"Feature","properties":"text","geometry":null},
 {"type":"Feature","properties":7,"geometry":null},
 {"type":"Feature","geometry":null},
 {"type":"Feature","properties":{"x":{"y":[[[1,2]]]}
 ,	"z"	:	"w"	},"geometry":null}
]}"#;
        let d = parse(src).expect("parses");
        for i in 0..d.len() {
            let serde: Vec<(String, String)> = match &d.features[i].properties {
                Some(r) => serde_json::from_str::<OrderedMembers>(d.slice(r))
                    .map(|m| m.0)
                    .unwrap_or_default(),
                None => Vec::new(),
            };
            let scanned: Vec<(String, String)> = d
                .raw_properties(i)
                .into_iter()
                .map(|(k, v)| (k.into_owned(), v.to_string()))
                .collect();
            assert_eq!(scanned, serde, "feature {i}");
        }
        assert_eq!(d.raw_properties(0).len(), 10);
        assert_eq!(d.raw_properties(0)[1], (Cow::Borrowed("a"), "\"1.830\""));
    }

    /// An object's members in file order with their values' text, as serde_json reads them
    /// (its `Map` sorts its keys): the reference the scan is checked against. Anything but an
    /// object has none.
    struct OrderedMembers(Vec<(String, String)>);

    impl<'de> Deserialize<'de> for OrderedMembers {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = OrderedMembers;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("an object")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> Result<Self::Value, A::Error> {
                    let mut out = Vec::new();
                    while let Some(k) = map.next_key::<String>()? {
                        let v: &RawValue = map.next_value()?;
                        out.push((k, v.get().to_string()));
                    }
                    Ok(OrderedMembers(out))
                }
            }
            d.deserialize_any(V)
        }
    }

    #[test]
    fn spans_point_at_members() {
        let src = r#"{"type":"FeatureCollection","name":"x","features":[
 {"type":"Feature","id":7,"properties":{"b":1,"a":"1.830"},"geometry":null,"foo":[1]},
 {"type":"Feature","properties":null,"geometry":{"type":"Point","coordinates":[1,2]}}
]}"#;
        let d = parse(src).expect("parses");
        assert_eq!(d.len(), 2);
        assert_eq!(d.id_json(0), Some("7"));
        assert_eq!(d.geometry_json(0), None);
        assert_eq!(
            d.slice(d.features[1].properties.as_ref().expect("span")),
            "null"
        );
        let props = d.raw_properties(0);
        let keys: Vec<&str> = props.iter().map(|(k, _)| k.as_ref()).collect();
        assert_eq!(keys, ["b", "a"], "file order kept");
        assert_eq!(props[1].1, "\"1.830\"");
        let Container::Collection { close } = d.container else {
            panic!("collection")
        };
        assert_eq!(&d.text[close..close + 1], "]");
    }

    #[test]
    fn errors_name_file_and_place() {
        let e = parse("{\"type\":\"FeatureCollection\",\n\"features\":[ {,] }").expect_err("bad");
        assert_eq!(e.file, "t.geojson");
        assert_eq!(e.place.map(|p| p.0), Some(2));
        assert!(matches!(e.problem, LoadProblem::NotJson { .. }), "{e:?}");
        let e = parse("PK\u{3}\u{4} zip").expect_err("not json");
        assert_eq!(e.place, Some((1, 1)));
        assert!(matches!(e.problem, LoadProblem::NotJson { .. }), "{e:?}");
        let e = parse(r#"{"type":"FeatureCollection","features":{}}"#).expect_err("object");
        assert_eq!(
            e.problem,
            LoadProblem::FeaturesNotAnArray {
                found: JsonKind::Object
            }
        );
        let e = parse(r#"{"type":"Polygon","coordinates":[]}"#).expect_err("bare");
        assert_eq!(
            e.problem,
            LoadProblem::BareGeometry {
                kind: "Polygon".into()
            }
        );
        let e = Document::parse(Path::new("x.json"), vec![b'{', 0xff, b'}']).expect_err("utf8");
        assert_eq!((e.problem, e.place), (LoadProblem::NotUtf8, Some((1, 2))));
    }

    #[test]
    fn scan_agrees_with_serde_on_tricky_text() {
        let src = r#" {"features" : [ {"type":"Feature","properties":{"a]":"x\"}]{","b":[[1,{"c":"]"}]]},"geometry":null} ,
            {"type":"Feature","properties":{},"geometry":null}], "type":"FeatureCollection", "bbox":[1,2,3,4] } "#;
        let top = scan_top(src, 0).expect("scans");
        let Some(Features::Array { items, parts, .. }) = top.features else {
            panic!("array")
        };
        let serde: serde_json::Value = serde_json::from_str(src).expect("serde");
        let texts: Vec<serde_json::Value> = items
            .iter()
            .map(|r| serde_json::from_str(&src[r.clone()]).expect("an element"))
            .collect();
        assert_eq!(serde["features"].as_array(), Some(&texts));
        assert!(
            parts.iter().all(Option::is_some),
            "both read as they were found"
        );
        assert_eq!(top.kind.as_deref(), Some("FeatureCollection"));
        let names: Vec<&str> = top.members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["features", "type", "bbox"]);
        // Anything unexpected is left to serde_json, which names the place.
        assert!(scan_top(r#"{"type":"FeatureCollection","features":[}]}"#, 0).is_none());
        assert!(scan_top(r#"{"features":[],"features":[]}"#, 0).is_none());
        assert!(scan_top(r#"{"features":[]} trailing"#, 0).is_none());
        let d = parse(src).expect("parses");
        assert_eq!(d.raw_properties(0)[0].0, "a]");
        assert_eq!(d.top_member("bbox").map(|s| d.slice(&s)), Some("[1,2,3,4]"));
        assert_eq!(d.top_member("features"), None);
    }

    #[test]
    fn crs_members_are_read_and_can_be_removed() {
        let cases = [
            (
                r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:3405"}},"features":[]}"#,
                r#"{"type":"FeatureCollection","features":[]}"#,
            ),
            (
                "{\n \"type\": \"FeatureCollection\",\n \"features\": [],\n \"crs\" : {\"type\":\"EPSG\",\"properties\":{\"code\":9210}}\n}",
                "{\n \"type\": \"FeatureCollection\",\n \"features\": []\n}",
            ),
            (
                r#"{"type":"Feature","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3857"}},"properties":{},"geometry":null}"#,
                r#"{"type":"Feature","properties":{},"geometry":null}"#,
            ),
        ];
        for (src, without) in cases {
            let d = parse(src).expect("parses");
            assert!(d.crs.is_some(), "{src}");
            let m = d.crs_member.expect("member found");
            let removed = format!("{}{}", &src[..m.start as usize], &src[m.end as usize..]);
            assert_eq!(removed, without);
        }
        // WGS84 named, or null: nothing to convert, nothing to remove.
        for src in [
            r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[]}"#,
            r#"{"type":"FeatureCollection","crs":null,"features":[]}"#,
        ] {
            let d = parse(src).expect("parses");
            assert!(d.crs.is_none() && d.crs_member.is_none());
        }
        let e = parse(
            "{\"type\":\"FeatureCollection\",\n\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:2154\"}},\"features\":[]}",
        )
        .expect_err("unsupported");
        assert_eq!(e.place, Some((2, 7)));
        assert_eq!(
            e.problem,
            LoadProblem::Crs(crs::CrsProblem::Unsupported {
                name: "EPSG:2154".into()
            })
        );
    }

    #[test]
    fn projected_files_without_crs_are_refused() {
        // A triangle of side `d` at (x, y).
        let f = |x: f64, y: f64, d: f64| {
            format!(
                r#"{{"type":"Feature","properties":{{}},"geometry":{{"type":"Polygon","coordinates":[[[{x},{y}],[{},{y}],[{},{}],[{x},{y}]]]}}}}"#,
                x + d,
                x + d,
                y + d
            )
        };
        let all = format!(
            r#"{{"type":"FeatureCollection","features":[{},{}]}}"#,
            f(585000.0, 2345000.0, 100.0),
            f(586000.0, 2345000.0, 100.0)
        );
        let e = parse(&all).expect_err("projected");
        assert!(
            matches!(
                e.problem,
                LoadProblem::Crs(crs::CrsProblem::LooksProjected { .. })
            ),
            "{e:?}"
        );
        assert_eq!(e.place, None);
        let few = format!(
            r#"{{"type":"FeatureCollection","features":[{},{},{}]}}"#,
            f(585000.0, 2345000.0, 100.0),
            f(105.0, 21.0, 0.01),
            f(106.0, 21.0, 0.01),
        );
        assert!(
            parse(&few).is_ok(),
            "a few bad features load (with findings)"
        );
    }

    #[test]
    fn single_feature_and_bom() {
        let d = parse("\u{feff}{\"type\":\"Feature\",\"properties\":{},\"geometry\":null}\n")
            .expect("ok");
        assert_eq!(d.len(), 1);
        assert_eq!(d.container, Container::SingleFeature);
        assert!(d.slice(&d.features[0].whole).starts_with('{'));
        assert!(d.slice(&d.features[0].whole).ends_with('}'));
    }

    #[test]
    fn non_object_features_are_kept_and_flagged() {
        let d = parse(
            r#"{"type":"FeatureCollection","features":[1,{"type":"Feature","geometry":null}]}"#,
        )
        .expect("ok");
        assert_eq!(d.len(), 2);
        assert!(d.features[0].malformed && !d.features[1].malformed);
        assert_eq!(
            d.malformed(0),
            Some(Malformed::NotAnObject(JsonKind::Number))
        );
        assert_eq!(d.malformed(1), None);
    }

    #[test]
    fn large_files_split_in_parallel_as_serde_does() {
        // Strings full of `, {` put some of the parallel guesses inside strings; those must be
        // caught, and the result must still be serde_json's.
        let tricky = r#"{"type":"Feature","properties":{"note":"a, {\"b\": [1, {2}] }, {x"},"geometry":null}"#;
        let plain = r#"{"type":"Feature","properties":{"n":[{"a":1}, {"b":2}]},"geometry":{"type":"Point","coordinates":[1,2]}}"#;
        let mut src = String::from(r#"{"type":"FeatureCollection","features":["#);
        let mut k = 0;
        while src.len() < 3 * scan::PARALLEL_SPLIT_MIN {
            if k > 0 {
                src.push_str(",\n");
            }
            src.push_str(if k % 3 == 0 { tricky } else { plain });
            k += 1;
        }
        src.push_str("]}");
        let d = parse(&src).expect("parses");
        assert_eq!(d.len(), k);
        let serde: serde_json::Value = serde_json::from_str(&src).expect("serde");
        for i in [0, 1, 2, k / 2, k - 1] {
            let element: serde_json::Value =
                serde_json::from_str(d.slice(&d.features[i].whole)).expect("element");
            assert_eq!(element, serde["features"][i], "feature {i}");
        }
        // Broken text far into the array is still refused.
        let at = src.rfind(plain).expect("a plain feature");
        let broken = format!("{}{{]{}", &src[..at], &src[at + plain.len()..]);
        assert!(parse(&broken).is_err());
    }
}
