//! A GeoJSON file kept as the board's record: the original text plus the places of each
//! feature's members in it.
//!
//! Nothing is re-serialised unless it is edited: export copies the original text and splices in
//! only the edited property values (see [`super::export`]), so members, their order, number
//! spellings (`1.830`), foreign members, 3-D positions and whitespace all survive. Parsing uses
//! serde_json with borrowed raw values; spans are recovered from the borrowed slices' addresses.

use rayon::prelude::*;
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::crs::{self, Crs, Declared};

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
    Crs(super::crs::CrsProblem),
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
}

/// A file's text: read into memory, or mapped from the file ([`Document::open_mapped`]).
/// Either way it reads as a `str` that does not change while the document lives.
#[derive(Clone)]
pub struct Text(TextSource);

#[derive(Clone)]
enum TextSource {
    Owned(String),
    /// Checked to be UTF-8 when mapped; never written through.
    Mapped(Arc<memmap2::Mmap>),
}

impl Text {
    /// Maps a file read-only, checks that it is UTF-8, and returns the map or, when it is not
    /// text, its bytes (for the error's place). `None` when the file cannot be mapped.
    fn map(file: &std::fs::File) -> Option<Result<Text, Vec<u8>>> {
        // SAFETY: the map is only read. It stays valid while the file is not truncated or
        // rewritten in place by another program, which is the condition `open_mapped` states.
        let map = unsafe { memmap2::Mmap::map(file) }.ok()?;
        Some(if is_utf8(&map) {
            Ok(Text(TextSource::Mapped(Arc::new(map))))
        } else {
            Err(map.to_vec())
        })
    }
}

/// Whether the bytes are UTF-8, checked on all cores: in pieces cut just before ASCII bytes,
/// which always begin a character, so the whole is UTF-8 exactly when every piece is.
fn is_utf8(bytes: &[u8]) -> bool {
    const PIECE: usize = 16 << 20;
    let mut cuts = vec![0];
    let mut at = PIECE;
    while at < bytes.len() {
        let Some(k) = bytes[at..].iter().position(u8::is_ascii) else {
            break;
        };
        cuts.push(at + k);
        at += k + PIECE;
    }
    cuts.push(bytes.len());
    cuts.par_windows(2)
        .all(|w| std::str::from_utf8(&bytes[w[0]..w[1]]).is_ok())
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        match &self.0 {
            TextSource::Owned(s) => s,
            // SAFETY: checked to be UTF-8 in `Text::map`, and never written.
            TextSource::Mapped(m) => unsafe { std::str::from_utf8_unchecked(m) },
        }
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(TextSource::Owned(s))
    }
}

impl Default for Text {
    fn default() -> Text {
        Text::from(String::new())
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
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
    pub features: Vec<FeatureSpans>,
    /// Features whose JSON is not an object: (index, why). They are carried through export.
    pub malformed: Vec<(usize, Malformed)>,
    /// Property values set since loading, by feature, in the order first set (`None`: the
    /// property is removed). Export splices these in and copies everything else from
    /// [`Document::text`].
    pub edits: BTreeMap<usize, Vec<(String, Option<Value>)>>,
    /// The coordinate system named by a legacy top-level `crs` member, when it is not WGS84:
    /// the features' coordinates are converted to WGS84 as they are read (see [`super::crs`]).
    pub crs: Option<Crs>,
    /// The bytes that remove the top-level `crs` member (with one separating comma), for an
    /// export in WGS84. `None` without a converted system.
    pub crs_member: Option<Span>,
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
    /// parcels file through once. The file must not be rewritten in place while the document
    /// lives (saving replaces files by renaming, which is fine). Falls back to reading when the
    /// file cannot be mapped.
    pub fn open_mapped(path: &Path) -> Result<Document, LoadError> {
        let mapped = std::fs::File::open(path).ok().and_then(|f| Text::map(&f));
        match mapped {
            Some(Ok(text)) => {
                let doc = Document::parse_text(path, text)?;
                doc.release_text(0..doc.text.len());
                Ok(doc)
            }
            Some(Err(bytes)) => Document::parse(path, bytes),
            None => Document::open(path),
        }
    }

    /// Hands the pages of a byte range of a mapped text back to the system; they are read
    /// from the file again when next touched, so the text reads the same. Nothing happens
    /// for a text in memory.
    pub fn release_text(&self, range: Range<usize>) {
        #[cfg(unix)]
        if let TextSource::Mapped(map) = &self.text.0
            && range.start < range.end
            && range.end <= map.len()
        {
            // SAFETY: the map is read-only and never written, so dropping its pages loses
            // nothing: the next read maps the file's pages again.
            let _ = unsafe {
                map.unchecked_advise_range(
                    memmap2::UncheckedAdvice::DontNeed,
                    range.start,
                    range.len(),
                )
            };
        }
        #[cfg(not(unix))]
        let _ = range;
    }

    /// Parses the bytes of a file named `path` (the name is only used in messages).
    pub fn parse(path: &Path, bytes: Vec<u8>) -> Result<Document, LoadError> {
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
        Document::parse_text(path, Text::from(text))
    }

    fn parse_text(path: &Path, text: Text) -> Result<Document, LoadError> {
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
        let err_at = |e: serde_json::Error, problem: fn(String) -> LoadProblem| LoadError {
            file: file.clone(),
            place: (e.line() > 0).then(|| (e.line(), e.column())),
            problem: problem(strip_serde_place(&e.to_string())),
        };
        let serde_top = || -> Result<Top, LoadError> {
            serde_json::from_str(body).map_err(|e| {
                if e.is_syntax() || e.is_eof() {
                    err_at(e, |detail| LoadProblem::NotJson { detail })
                } else {
                    err_at(e, |detail| LoadProblem::NotGeoJson { detail })
                }
            })
        };
        // The structural scan finds the features far faster than a full parse; anything it
        // does not expect (or a feature with a syntax error, below) falls back to serde_json,
        // which also gives the error's line and column.
        let t0 = std::time::Instant::now();
        let fast = scan_top(body);
        if std::env::var_os("ZA_SCAN").is_some() {
            eprintln!("scan {:?}", t0.elapsed());
        }
        let scanned = fast.is_some();
        let top = match fast {
            Some(top) => top,
            None => serde_top()?,
        };
        let kind = top.kind.as_deref();
        let crs_raw = top.crs;
        let offset = |raw: &str| raw.as_ptr() as usize - text.as_ptr() as usize;
        // The file is under 4 GiB (checked above), so offsets fit.
        let at = |o: usize| u32::try_from(o).expect("offset in a file under 4 GiB");
        let span = |raw: &str| {
            let s = offset(raw);
            Span {
                start: at(s),
                end: at(s + raw.len()),
            }
        };
        let raw_span = |raw: &RawValue| span(raw.get());
        let mut doc = Document {
            path: path.to_path_buf(),
            container: Container::SingleFeature,
            features: Vec::new(),
            malformed: Vec::new(),
            edits: BTreeMap::new(),
            text: Text::default(),
            crs: None,
            crs_member: None,
        };
        match (kind, top.features) {
            (_, Some(Features::Array(raws, close_raw, scanned_parts)))
                if !kind_is(kind, "Feature") =>
            {
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
                // `close_raw` is the array itself: its last byte is the `]`.
                let close = offset(close_raw) + close_raw.len() - 1;
                doc.container = Container::Collection { close };
                // Each feature's members are found in parallel: this is most of the reading
                // time of a large parcels file.
                let (features, problems): (Vec<FeatureSpans>, Vec<Option<(Malformed, bool)>>) =
                    raws.par_iter()
                        .enumerate()
                        .with_min_len(1024)
                        .map(|(k, &raw)| match scanned_parts.get(k).copied().flatten() {
                            // Read already while the array was split.
                            Some(parts) => Ok(parts),
                            None => serde_json::from_str::<FeatureParts>(raw),
                        })
                        .zip(raws.par_iter())
                        .map(|(parsed, &raw)| match parsed {
                            Ok(parts) => (
                                FeatureSpans {
                                    whole: span(raw),
                                    id: parts.id.map(raw_span),
                                    properties: parts.properties.map(raw_span),
                                    geometry: parts.geometry.map(raw_span),
                                    kind: parts.kind.map(raw_span),
                                },
                                None,
                            ),
                            Err(e) => {
                                let why = if raw.starts_with('{') {
                                    Malformed::Unreadable {
                                        detail: strip_serde_place(&e.to_string()),
                                    }
                                } else {
                                    Malformed::NotAnObject(json_kind(raw))
                                };
                                let whole = FeatureSpans {
                                    whole: span(raw),
                                    ..Default::default()
                                };
                                (whole, Some((why, e.is_syntax() || e.is_eof())))
                            }
                        })
                        .unzip();
                if scanned && problems.iter().any(|p| matches!(p, Some((_, true)))) {
                    // Broken JSON, not just an odd feature: the whole file is refused, with
                    // the place serde_json finds.
                    serde_top()?;
                }
                // Built in place: a million features should not be held twice.
                doc.features = features;
                doc.malformed = problems
                    .into_iter()
                    .enumerate()
                    .filter_map(|(i, p)| p.map(|(why, _)| (i, why)))
                    .collect();
            }
            (_, Some(Features::NotArray(what, raw))) => {
                return Err(LoadError {
                    file,
                    place: Some(line_col_bytes(text.as_bytes(), offset(raw))),
                    problem: LoadProblem::FeaturesNotAnArray { found: what },
                });
            }
            (Some(k), _) if k.eq_ignore_ascii_case("Feature") => {
                let parts: FeatureParts = serde_json::from_str(body)
                    .map_err(|e| err_at(e, |detail| LoadProblem::NotAFeature { detail }))?;
                let whole_start = body_start + (body.len() - body.trim_start().len());
                let whole_end = body_start + body.trim_end().len();
                doc.features.push(FeatureSpans {
                    whole: Span {
                        start: at(whole_start),
                        end: at(whole_end),
                    },
                    id: parts.id.map(raw_span),
                    properties: parts.properties.map(raw_span),
                    geometry: parts.geometry.map(raw_span),
                    kind: parts.kind.map(raw_span),
                });
            }
            (Some(k), _) => {
                return Err(LoadError {
                    file,
                    place: None,
                    problem: match k {
                        "Polygon" | "MultiPolygon" | "GeometryCollection" | "Point"
                        | "LineString" | "MultiPoint" | "MultiLineString" => {
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
        if let Some(raw) = crs_raw {
            let at_value = offset(raw.get());
            let refuse = |problem| LoadError {
                file: file.clone(),
                place: Some(line_col_bytes(text.as_bytes(), at_value)),
                problem: LoadProblem::Crs(problem),
            };
            match crs::declared(raw.get()) {
                Ok(Declared::Wgs84) => {}
                Ok(Declared::Supported(c)) => {
                    if let Some(problem) = crs::contradicts(&c, sample()) {
                        return Err(refuse(problem));
                    }
                    doc.crs = Some(c);
                    doc.crs_member =
                        member_span(&text, at_value..at_value + raw.get().len()).map(|r| Span {
                            start: at(r.start),
                            end: at(r.end),
                        });
                }
                Err(problem) => return Err(refuse(problem)),
            }
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

    /// Number of features, malformed ones included.
    pub fn len(&self) -> usize {
        self.features.len()
    }

    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    /// The text of a span.
    pub fn slice(&self, r: &impl TextRange) -> &str {
        &self.text[r.text_range()]
    }

    /// The raw JSON of feature `i`'s geometry, when it has one (not `null`).
    pub fn geometry_json(&self, i: usize) -> Option<&str> {
        self.features[i]
            .geometry
            .as_ref()
            .map(|r| self.slice(r))
            .filter(|s| *s != "null")
    }

    /// The raw JSON text of feature `i`'s id.
    pub fn id_json(&self, i: usize) -> Option<&str> {
        self.features[i].id.as_ref().map(|r| self.slice(r))
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
        let raw = self.features[i].kind.as_ref()?;
        serde_json::from_str::<String>(self.slice(raw)).ok()
    }

    /// Feature `i`'s properties in file order, values as raw JSON text. Empty when the
    /// feature has none, or `null`.
    pub fn raw_properties(&self, i: usize) -> Vec<(Cow<'_, str>, &RawValue)> {
        let Some(r) = &self.features[i].properties else {
            return Vec::new();
        };
        serde_json::from_str::<OrderedMembers>(self.slice(r))
            .map(|m| m.0)
            .unwrap_or_default()
    }

    /// [`Document::raw_properties`] with each value as its JSON text. The span was checked
    /// by serde_json when the features were split, so a plain structural scan finds the
    /// members (a few times faster); anything it does not expect goes through serde_json.
    pub fn raw_property_texts(&self, i: usize) -> Vec<(Cow<'_, str>, &str)> {
        let Some(r) = &self.features[i].properties else {
            return Vec::new();
        };
        scan_members(self.slice(r)).unwrap_or_else(|| {
            self.raw_properties(i)
                .into_iter()
                .map(|(k, v)| (k, v.get()))
                .collect()
        })
    }

    /// Feature `i`'s properties as they are now (the file's, with edits applied), in file
    /// order; new keys come last.
    pub fn properties(&self, i: usize) -> Vec<(String, Value)> {
        let mut out: Vec<(String, Value)> = self
            .raw_properties(i)
            .into_iter()
            .map(|(k, v)| {
                (
                    k.into_owned(),
                    serde_json::from_str(v.get()).unwrap_or(Value::Null),
                )
            })
            .collect();
        for (k, v) in self.edits.get(&i).into_iter().flatten() {
            let at = out.iter().position(|(key, _)| key == k);
            match (at, v) {
                (Some(at), Some(v)) => out[at].1 = v.clone(),
                (None, Some(v)) => out.push((k.clone(), v.clone())),
                (Some(at), None) => {
                    out.remove(at);
                }
                (None, None) => {}
            }
        }
        out
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
            .and_then(|(_, v)| serde_json::from_str::<Value>(v.get()).ok());
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
}

/// How many features' coordinates are looked at to tell whether a file is projected.
const PROJECTED_SAMPLE: usize = 64;

/// The bytes of the object member whose value is at `value`: its key, the value and one comma
/// (the following one, or the preceding one for the last member), so that removing them leaves
/// valid JSON. `None` when the text before the value is not a `"crs":` key.
fn member_span(text: &str, value: Range<usize>) -> Option<Range<usize>> {
    let b = text.as_bytes();
    let ws = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r');
    let mut i = value.start;
    while i > 0 && ws(b[i - 1]) {
        i -= 1;
    }
    if i == 0 || b[i - 1] != b':' {
        return None;
    }
    i -= 1;
    while i > 0 && ws(b[i - 1]) {
        i -= 1;
    }
    // The key's opening quote: the first `"` back from its closing one not escaped.
    if i == 0 || b[i - 1] != b'"' {
        return None;
    }
    let mut k = i - 1;
    loop {
        k = text[..k].rfind('"')?;
        if !text[..k].ends_with('\\') || text[..k].ends_with("\\\\") {
            break;
        }
    }
    let key_start = k;
    if serde_json::from_str::<String>(&text[key_start..i]).ok()? != "crs" {
        return None;
    }
    let after = skip_ws(b, value.end);
    if b.get(after) == Some(&b',') {
        return Some(key_start..skip_ws(b, after + 1));
    }
    let mut k = key_start;
    while k > 0 && ws(b[k - 1]) {
        k -= 1;
    }
    (k > 0 && b[k - 1] == b',').then(|| k - 1..value.end)
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

/// The top level: only what we need to find the features; every other member stays in the
/// text untouched.
#[derive(Deserialize)]
struct Top<'a> {
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(borrow, default)]
    features: Option<Features<'a>>,
    /// A legacy (GeoJSON 2008) coordinate system member.
    #[serde(borrow, default)]
    crs: Option<&'a RawValue>,
}

enum Features<'a> {
    /// The elements' text, the array's (for the offset of its closing bracket), and per
    /// element the feature's members when the structural scan read them (empty otherwise).
    Array(Vec<&'a str>, &'a str, Vec<Option<FeatureParts<'a>>>),
    /// What it is instead, and its text (for the place in the message).
    NotArray(JsonKind, &'a str),
}

impl<'de: 'a, 'a> Deserialize<'de> for Features<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw: &'de RawValue = Deserialize::deserialize(d)?;
        features_of(raw.get()).map_err(de::Error::custom)
    }
}

fn features_of(raw: &str) -> Result<Features<'_>, serde_json::Error> {
    if raw.starts_with('[') {
        let items: Vec<&RawValue> = serde_json::from_str(raw)?;
        Ok(Features::Array(
            items.into_iter().map(RawValue::get).collect(),
            raw,
            Vec::new(),
        ))
    } else {
        Ok(Features::NotArray(
            match raw.as_bytes().first() {
                Some(b'{') => JsonKind::Object,
                _ => json_kind(raw),
            },
            raw,
        ))
    }
}

/// The top-level object found by a structural scan: strings and nesting are followed, the
/// `features` array is split into its elements, and every other member is validated by
/// serde_json. `None` for anything unexpected (the caller then parses in full).
fn scan_top(body: &str) -> Option<Top<'_>> {
    let b = body.as_bytes();
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_ws(b, i + 1);
    let mut top = Top {
        kind: None,
        features: None,
        crs: None,
    };
    if b.get(i) == Some(&b'}') {
        i += 1;
    } else {
        loop {
            if b.get(i) != Some(&b'"') {
                return None;
            }
            let key_end = skip_string(b, i)?;
            let key: String = serde_json::from_str(&body[i..key_end]).ok()?;
            i = skip_ws(b, key_end);
            if b.get(i) != Some(&b':') {
                return None;
            }
            i = skip_ws(b, i + 1);
            let end = match key.as_str() {
                "features" if top.features.is_some() => return None,
                "features" if b.get(i) == Some(&b'[') => {
                    let (items, parts, end) = split_array(body, i)?;
                    top.features = Some(Features::Array(items, &body[i..end], parts));
                    end
                }
                _ => {
                    let end = skip_value(b, i)?;
                    let value = &body[i..end];
                    match key.as_str() {
                        "type" if top.kind.is_some() => return None,
                        "type" => top.kind = Some(serde_json::from_str(value).ok()?),
                        "crs" if top.crs.is_some() => return None,
                        "crs" => top.crs = serde_json::from_str(value).ok()?,
                        "features" => top.features = Some(features_of(value).ok()?),
                        _ => {
                            serde_json::from_str::<IgnoredAny>(value).ok()?;
                        }
                    }
                    end
                }
            };
            i = skip_ws(b, end);
            match b.get(i) {
                Some(b',') => i = skip_ws(b, i + 1),
                Some(b'}') => {
                    i += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    (skip_ws(b, i) == b.len()).then_some(top)
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// Byte classes for the structural scan: what needs a look, and what can be stepped over.
const PLAIN: u8 = 0;
const QUOTE: u8 = 1;
const OPEN: u8 = 2;
const CLOSE: u8 = 3;
/// In a string: the bytes that end the fast run (quote, backslash, control characters).
const STOP: u8 = 4;

const fn classes(in_string: bool) -> [u8; 256] {
    let mut t = [PLAIN; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = if in_string {
            if c < 0x20 || c == b'"' as usize || c == b'\\' as usize {
                STOP
            } else {
                PLAIN
            }
        } else if c == b'"' as usize {
            QUOTE
        } else if c == b'{' as usize || c == b'[' as usize {
            OPEN
        } else if c == b'}' as usize || c == b']' as usize {
            CLOSE
        } else {
            PLAIN
        };
        c += 1;
    }
    t
}

static IN_VALUE: [u8; 256] = classes(false);
static IN_STRING: [u8; 256] = classes(true);

/// The end (one past the closing quote) of the string starting at `i`.
fn skip_string(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    loop {
        while j < b.len() && IN_STRING[b[j] as usize] == PLAIN {
            j += 1;
        }
        match *b.get(j)? {
            b'"' => return Some(j + 1),
            b'\\' => j += 2,
            _ => return None,
        }
    }
}

/// The end of the JSON value starting at `i` (brackets must match; content is not checked).
fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => skip_string(b, i),
        b'{' | b'[' => {
            // The open brackets as bits (1 for a brace), innermost lowest. Deeper than this
            // is left to serde_json (whose own limit is lower).
            let mut open: u128 = u128::from(b[i] == b'{');
            let mut depth = 1u32;
            let mut j = i + 1;
            loop {
                while j < b.len() && IN_VALUE[b[j] as usize] == PLAIN {
                    j += 1;
                }
                let c = *b.get(j)?;
                match IN_VALUE[c as usize] {
                    QUOTE => {
                        j = skip_string(b, j)?;
                        continue;
                    }
                    OPEN => {
                        if depth == 128 {
                            return None;
                        }
                        open = (open << 1) | u128::from(c == b'{');
                        depth += 1;
                    }
                    _ => {
                        if (open & 1 == 1) != (c == b'}') {
                            return None;
                        }
                        open >>= 1;
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                }
                j += 1;
            }
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            {
                j += 1;
            }
            (j > i).then_some(j)
        }
    }
}

/// The elements of the array starting at `i`, and the array's end.
///
/// A large array is split in parallel: each worker starts at a guessed element start and scans
/// whole elements up to the next worker's guess. A guess is used only once the scan before it,
/// itself confirmed, lands exactly on it, so guesses decide nothing; the first one that is not
/// confirmed hands the rest of the array back to a plain sequential scan.
fn split_array(body: &str, i: usize) -> Option<Split<'_>> {
    let b = body.as_bytes();
    let first = skip_ws(b, i + 1);
    if b.get(first) == Some(&b']') {
        return Some((Vec::new(), Vec::new(), first + 1));
    }
    let len = b.len().saturating_sub(first);
    let chunks = if len >= PARALLEL_SCAN_MIN {
        rayon::current_num_threads() * 4
    } else {
        1
    };
    let mut starts = vec![first];
    for c in 1..chunks {
        if let Some(q) = guess_element_start(b, first + len / chunks * c)
            && q > *starts.last()?
        {
            starts.push(q);
        }
    }
    let scanned: Vec<Scanned> = starts
        .par_iter()
        .enumerate()
        .map(|(c, &q)| scan_elements(body, q, starts.get(c + 1).copied().unwrap_or(usize::MAX)))
        .collect();
    let total = scanned.iter().map(|s| s.items.len()).sum();
    let mut items = Vec::with_capacity(total);
    let mut parts = Vec::with_capacity(total);
    for (c, part) in scanned.into_iter().enumerate() {
        items.extend(part.items);
        parts.extend(part.parts);
        match part.outcome {
            Outcome::End(end) => return Some((items, parts, end)),
            Outcome::Broken => return None,
            Outcome::Next(j) if starts.get(c + 1) == Some(&j) => {}
            Outcome::Next(j) => {
                let rest = scan_elements(body, j, usize::MAX);
                items.extend(rest.items);
                parts.extend(rest.parts);
                return match rest.outcome {
                    Outcome::End(end) => Some((items, parts, end)),
                    _ => None,
                };
            }
        }
    }
    None
}

/// A split array: its elements, each one's members when it was read as a feature, and the
/// array's end.
type Split<'a> = (Vec<&'a str>, Vec<Option<FeatureParts<'a>>>, usize);

/// Arrays shorter than this are split by one thread.
const PARALLEL_SCAN_MIN: usize = 4 << 20;

/// Elements found from one start, and how the scan stopped.
struct Scanned<'a> {
    items: Vec<&'a str>,
    /// Per item, its members when it reads as a feature object.
    parts: Vec<Option<FeatureParts<'a>>>,
    outcome: Outcome,
}

enum Outcome {
    /// The next element starts here, at or past the place to stop.
    Next(usize),
    /// The array closes; one past its `]`.
    End(usize),
    /// Not an array of JSON values from here.
    Broken,
}

/// Scans the array's elements from `j` (the start of one) until the next element would start
/// at or past `stop`.
///
/// A feature object is read by serde_json as it is found (its members' places are needed
/// anyway, and reading it is what finds its end); anything else, or a feature that serde_json
/// refuses, is stepped over structurally and read again later, which words the problem.
fn scan_elements(body: &str, mut j: usize, stop: usize) -> Scanned<'_> {
    let b = body.as_bytes();
    let mut items = Vec::new();
    let mut parts = Vec::new();
    let outcome = loop {
        if j >= stop {
            break Outcome::Next(j);
        }
        let (end, read) = match read_feature_at(body, j) {
            Some((end, read)) => (end, Some(read)),
            None => match skip_value(b, j) {
                Some(end) => (end, None),
                None => break Outcome::Broken,
            },
        };
        items.push(&body[j..end]);
        parts.push(read);
        j = skip_ws(b, end);
        match b.get(j) {
            Some(b',') => j = skip_ws(b, j + 1),
            Some(b']') => break Outcome::End(j + 1),
            _ => break Outcome::Broken,
        }
    };
    Scanned {
        items,
        parts,
        outcome,
    }
}

/// The feature object starting at `j`, read by serde_json, and its end.
fn read_feature_at(body: &str, j: usize) -> Option<(usize, FeatureParts<'_>)> {
    if body.as_bytes().get(j) != Some(&b'{') {
        return None;
    }
    let mut stream = serde_json::Deserializer::from_str(&body[j..]).into_iter::<FeatureParts>();
    let parts = stream.next()?.ok()?;
    Some((j + stream.byte_offset(), parts))
}

/// A likely element start at or after `p`: an object following a comma. Only a guess.
fn guess_element_start(b: &[u8], p: usize) -> Option<usize> {
    let end = b.len().min(p.saturating_add(1 << 20));
    let mut j = p;
    while j < end {
        if b[j] == b',' {
            let k = skip_ws(b, j + 1);
            if b.get(k) == Some(&b'{') {
                return Some(k);
            }
        }
        j += 1;
    }
    None
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

/// The members of a JSON value already known to be valid, in file order, with their values'
/// text: empty unless it is an object (as [`OrderedMembers`] reads it). `None` on anything
/// unexpected, for the caller to read it with serde_json.
fn scan_members(text: &str) -> Option<Vec<(Cow<'_, str>, &str)>> {
    let b = text.as_bytes();
    let ws = |mut k: usize| {
        while k < b.len() && matches!(b[k], b' ' | b'\t' | b'\n' | b'\r') {
            k += 1;
        }
        k
    };
    // The end of the string starting (with its quote) at `k`, past the closing quote, and
    // whether it has escapes.
    let string_end = |mut k: usize| {
        let mut escaped = false;
        k += 1;
        loop {
            k = quote_or_backslash(b, k)?;
            if b[k] == b'"' {
                return Some((k + 1, escaped));
            }
            escaped = true;
            k += 2;
        }
    };
    let mut k = ws(0);
    if b.get(k) != Some(&b'{') {
        return match b.get(k) {
            Some(b'n' | b'[') => Some(Vec::new()),
            _ => None,
        };
    }
    let mut out = Vec::with_capacity(16);
    k = ws(k + 1);
    if b.get(k) == Some(&b'}') {
        return Some(out);
    }
    loop {
        if b.get(k) != Some(&b'"') {
            return None;
        }
        let (key_end, escaped) = string_end(k)?;
        let key = if escaped {
            Cow::Owned(serde_json::from_str::<String>(text.get(k..key_end)?).ok()?)
        } else {
            Cow::Borrowed(text.get(k + 1..key_end - 1)?)
        };
        k = ws(key_end);
        if b.get(k) != Some(&b':') {
            return None;
        }
        let start = ws(k + 1);
        let end = match *b.get(start)? {
            b'"' => string_end(start)?.0,
            b'{' | b'[' => {
                let (mut depth, mut j) = (0usize, start);
                loop {
                    match *b.get(j)? {
                        b'"' => {
                            j = string_end(j)?.0;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                break j + 1;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
            }
            _ => {
                let mut j = start;
                while j < b.len()
                    && !matches!(b[j], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                {
                    j += 1;
                }
                j
            }
        };
        if end == start {
            return None;
        }
        out.push((key, text.get(start..end)?));
        k = ws(end);
        match b.get(k) {
            Some(b',') => k = ws(k + 1),
            Some(b'}') => return Some(out),
            _ => return None,
        }
    }
}

/// The first `"` or `\` in `b` from `k` on, eight bytes at a time.
#[inline]
fn quote_or_backslash(b: &[u8], mut k: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = b.get(k..k + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        // A zero byte of w ^ (c repeated) is a byte equal to c; the lowest flagged byte of
        // each test is exact (later ones may be false alarms, never earlier ones).
        let (q, s) = (w ^ (ONES * b'"' as u64), w ^ (ONES * b'\\' as u64));
        let found = ((q.wrapping_sub(ONES) & !q) | (s.wrapping_sub(ONES) & !s)) & HIGH;
        if found != 0 {
            return Some(k + (found.trailing_zeros() / 8) as usize);
        }
        k += 8;
    }
    (k..b.len()).find(|&j| matches!(b[j], b'"' | b'\\'))
}

/// An object's members in file order with raw values. (serde_json's `Map` sorts its keys.)
struct OrderedMembers<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

/// An object key, borrowed from the text unless it has escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Key<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for OrderedMembers<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OrderedMembers<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                // Room for a typical feature's properties at once (serde_json gives no count).
                let mut out = Vec::with_capacity(16);
                while let Some(Key(k)) = map.next_key::<Key<'de>>()? {
                    let v: &'de RawValue = map.next_value()?;
                    out.push((k, v));
                }
                Ok(OrderedMembers(out))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(OrderedMembers(Vec::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(OrderedMembers(Vec::new()))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Document, LoadError> {
        Document::parse(Path::new("t.geojson"), s.as_bytes().to_vec())
    }

    #[test]
    fn quotes_and_backslashes_are_found_eight_bytes_at_a_time() {
        let text = "Tên KCN \"Quế Võ\" \\ ab\x01\x7f\u{ff}\"cd\\\\efghijklmnopq\"r".as_bytes();
        for k in 0..=text.len() {
            let naive = (k..text.len()).find(|&j| text[j] == b'"' || text[j] == b'\\');
            assert_eq!(quote_or_backslash(text, k), naive, "from {k}");
        }
        assert_eq!(quote_or_backslash(b"abcdefghijklmnop", 0), None);
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
            let serde: Vec<(String, String)> = d
                .raw_properties(i)
                .into_iter()
                .map(|(k, v)| (k.into_owned(), v.get().to_string()))
                .collect();
            let scanned: Vec<(String, String)> = d
                .raw_property_texts(i)
                .into_iter()
                .map(|(k, v)| (k.into_owned(), v.to_string()))
                .collect();
            assert_eq!(scanned, serde, "feature {i}");
            if let Some(r) = &d.features[i].properties {
                assert!(scan_members(d.slice(r)).is_some() || !d.slice(r).starts_with('{'));
            }
        }
        assert_eq!(d.raw_property_texts(0).len(), 10);
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
        assert_eq!(props[1].1.get(), "\"1.830\"");
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
        let top = scan_top(src).expect("scans");
        let Some(Features::Array(items, _, _)) = top.features else {
            panic!("array")
        };
        let serde: Top = serde_json::from_str(src).expect("serde");
        let Some(Features::Array(expect, _, _)) = serde.features else {
            panic!("array")
        };
        assert_eq!(items, expect);
        assert_eq!(top.kind.as_deref(), Some("FeatureCollection"));
        // Anything unexpected is left to serde_json, which names the place.
        assert!(scan_top(r#"{"type":"FeatureCollection","features":[}]}"#).is_none());
        assert!(scan_top(r#"{"features":[],"features":[]}"#).is_none());
        assert!(scan_top(r#"{"features":[]} trailing"#).is_none());
        let d = parse(src).expect("parses");
        assert_eq!(d.raw_properties(0)[0].0, "a]");
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
            // The serde_json path finds the same member.
            let top: Top = serde_json::from_str(src).expect("serde");
            assert!(top.crs.is_some());
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
    fn utf8_is_checked_in_pieces_as_a_whole() {
        let mut text = "aé€😀".repeat(8 << 20).into_bytes();
        assert!(is_utf8(&text));
        assert!(is_utf8(b""));
        let last = text.len() - 1;
        text[last] = 0xff;
        assert!(!is_utf8(&text));
        // A character cut short in the middle of a piece.
        let mut text = "aé€😀".repeat(8 << 20).into_bytes();
        text.insert(20 << 20, 0xe2);
        assert!(!is_utf8(&text));
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
        assert_eq!(d.malformed.len(), 1);
        assert_eq!(d.malformed[0].0, 0);
    }

    #[test]
    fn large_arrays_split_in_parallel_as_serde_does() {
        // Strings full of `, {` put some of the parallel guesses inside strings; those must be
        // caught, and the result must still be serde_json's.
        let tricky = r#"{"type":"Feature","properties":{"note":"a, {\"b\": [1, {2}] }, {x"},"geometry":null}"#;
        let plain = r#"{"type":"Feature","properties":{"n":[{"a":1}, {"b":2}]},"geometry":{"type":"Point","coordinates":[1,2]}}"#;
        let mut src = String::from(r#"{"type":"FeatureCollection","features":["#);
        let mut k = 0;
        while src.len() < 3 * PARALLEL_SCAN_MIN {
            if k > 0 {
                src.push_str(",\n");
            }
            src.push_str(if k % 3 == 0 { tricky } else { plain });
            k += 1;
        }
        src.push_str("]}");
        let top = scan_top(&src).expect("scans");
        let Some(Features::Array(items, _, _)) = top.features else {
            panic!("array")
        };
        let serde: Top = serde_json::from_str(&src).expect("serde");
        let Some(Features::Array(expect, _, _)) = serde.features else {
            panic!("array")
        };
        assert_eq!(items.len(), k);
        assert!(items == expect);
        // Broken text far into the array is still refused.
        let at = src.rfind(plain).expect("a plain feature");
        let broken = format!("{}{{]{}", &src[..at], &src[at + plain.len()..]);
        assert!(parse(&broken).is_err());
    }
}
