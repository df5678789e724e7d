//! Lossless export: the file as it was read, with only the edited property values (and, on
//! request, the computed figures) spliced in. Members, their order, number spellings,
//! foreign members, 3-D positions, ids and whitespace elsewhere are copied byte for byte.
//!
//! The other formats (`export --format gpkg|shp|kml|kmz`) are written from the same features
//! ([`out_layers`]: the properties with their edits, in the file's order, the figures on
//! request, the coordinates as `--crs` says) by each format's [`FeatureSink`].
//!
//! Files are written atomically: to a temporary file in the same folder, flushed to disk, then
//! renamed over the target, so a failed write never leaves a truncated file.

use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::crs::{bbox_text, union};
use super::dataset::Dataset;
use super::geojson::scan;
use super::geojson::splice::{self, Splice};
use super::geojson::{Container, Document, LoadError};
use super::palette;
use super::properties::ParcelStatus;
use super::source::{
    FeatureSink, LayerKind, Look, Notice, OutFeature, OutGeometry, OutLayer, Words, Written,
    gpkg::GeoPackage, kml, shapefile::Shapefile,
};

/// Property names `--with-stats` adds to zones. The `computed_` prefix keeps them apart from
/// the board's own properties, which are never overwritten.
pub const STATS_KEYS: [&str; 9] = [
    "computed_area_ha",
    "computed_leased_ha",
    "computed_leased_service_ha",
    "computed_fill_rate_pct",
    "computed_fill_rate_d35_pct",
    "computed_fill_basis",
    "computed_parcels_leased",
    "computed_parcels_vacant",
    "computed_parcels_reserved",
];

/// The coordinates an export writes, for a file that was read from another system (a legacy
/// `crs` member, see [`super::crs`]). Files in WGS84 are written as read either way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExportCrs {
    /// RFC 7946: each converted feature's positions as WGS84 longitude/latitude (9 decimals,
    /// about 0.1 mm; Z and further ordinates as written), `bbox` members recomputed from them,
    /// and no top-level `crs` member.
    #[default]
    Wgs84,
    /// The file's own system: its coordinates and `crs` member as read (what saving does).
    Original,
}

/// Decimals of the WGS84 degrees an export writes (1e-9° is about 0.1 mm).
pub const WGS84_DECIMALS: usize = 9;

/// The document's text with its edits, plus `extra(i)` members appended to (or replacing the
/// values of) feature `i`'s properties; coordinates as read (see [`render_as`]).
pub fn render(doc: &Document, extra: impl Fn(usize) -> Vec<(String, Value)>) -> String {
    render_as(doc, extra, ExportCrs::Original)
}

/// [`render`], with the coordinates in `crs`. For a file read from another system and
/// [`ExportCrs::Wgs84`], each feature's geometry is rewritten in WGS84 (a geometry that cannot
/// be converted stays as written: its finding says why) and the top-level `crs` member is
/// dropped; all else is copied as in [`render`].
///
/// Deleted features are left out with one separating comma each; inserted ones follow the
/// file's last feature, separated as the file separates its features.
pub fn render_as(
    doc: &Document,
    extra: impl Fn(usize) -> Vec<(String, Value)>,
    crs: ExportCrs,
) -> String {
    let convert = match crs {
        ExportCrs::Wgs84 => doc.crs,
        ExportCrs::Original => None,
    };
    let mut splices: Vec<Splice> = Vec::new();
    // `bbox` members (RFC 7946: in the coordinates' system) follow the positions.
    let mut all: Option<[f64; 4]> = None;
    if convert.is_some()
        && let Some(m) = doc.crs_member
    {
        splices.push(Splice::new(m.range(), ""));
    }
    let file_features = doc.features.len();
    for i in (0..file_features).filter(|i| !doc.is_deleted(*i)) {
        splices.extend(feature_splices(doc, i, &extra, convert.as_ref(), &mut all));
    }
    if let Container::Collection { close } = doc.container {
        splices.extend(deletions(doc));
        // Inserted features, each as its text with its own edits spliced in.
        let added: Vec<String> = (file_features..doc.len())
            .filter(|i| !doc.is_deleted(*i))
            .map(|i| {
                let own = feature_splices(doc, i, &extra, convert.as_ref(), &mut all);
                splice::apply(doc.source(i).0, own)
            })
            .collect();
        if !added.is_empty() {
            let separator = super::geojson::style::FileStyle::of(doc).between_features;
            let after_live = (0..file_features).any(|i| !doc.is_deleted(i));
            let at = doc.features.last().map_or(close, |f| f.whole.end as usize);
            let lead = if after_live { separator.as_str() } else { "" };
            splices.push(Splice::new(
                at..at,
                format!("{lead}{}", added.join(&separator)),
            ));
        }
        if convert.is_some()
            && let Some(b) = all
        {
            splices.extend(
                doc.top_member("bbox")
                    .and_then(|r| bbox_splice(doc, r.range(), b)),
            );
        }
    }
    splice::apply(&doc.text, splices)
}

/// Feature `i` as it would be written now: its text with its edits spliced in, coordinates as
/// read (what a shared store keeps as the feature's row).
pub fn feature_text(doc: &Document, i: usize) -> String {
    let (text, f) = doc.source(i);
    let whole = f.whole.range();
    let mut all = None;
    // The splices are places in `text`; the feature's own text starts at `whole.start`.
    let splices = feature_splices(doc, i, &|_| Vec::new(), None, &mut all)
        .into_iter()
        .map(|s| {
            Splice::new(
                s.range.start - whole.start..s.range.end - whole.start,
                s.text,
            )
        })
        .collect();
    splice::apply(&text[whole], splices)
}

/// The splices that write feature `i` as it is now, in the coordinates of its own text
/// ([`Document::source`]: the file's text, or an inserted feature's): its replaced or
/// converted geometry (and `bbox` member), its edited properties and `extra` members.
fn feature_splices(
    doc: &Document,
    i: usize,
    extra: &impl Fn(usize) -> Vec<(String, Value)>,
    convert: Option<&super::crs::Crs>,
    all: &mut Option<[f64; 4]>,
) -> Vec<Splice> {
    let (text, f) = doc.source(i);
    if f.malformed {
        return Vec::new();
    }
    let mut splices = Vec::new();
    // Members the feature lacks, added right after its opening brace.
    let mut missing: Vec<String> = Vec::new();
    let replaced = doc.geometries.get(&i);
    let geometry = doc.geometry_json(i);
    let converted = convert
        .and_then(|c| super::crs::geometry_to_wgs84(geometry?, c, Some(WGS84_DECIMALS)).ok());
    let new_geometry = match (&converted, replaced) {
        (Some(c), _) => Some(c.text.clone()),
        (None, Some(r)) => Some(r.to_string()),
        (None, None) => None,
    };
    if let Some(g) = new_geometry {
        match f.geometry {
            Some(span) => splices.push(Splice::new(span.range(), g)),
            None => missing.push(format!("\"geometry\":{g}")),
        }
    }
    if let Some(b) = converted.as_ref().and_then(|c| c.bounds) {
        *all = Some(union(*all, b));
        let bbox = scan::member(text, f.whole.start as usize, "bbox");
        splices.extend(bbox.and_then(|r| {
            let t = bbox_text(text.get(r.clone())?, b, Some(WGS84_DECIMALS))?;
            Some(Splice::new(r, t))
        }));
    }
    let mut changes: Vec<(String, Option<Value>)> = doc.edits.get(&i).cloned().unwrap_or_default();
    for (k, v) in extra(i) {
        match changes.iter_mut().find(|(key, _)| *key == k) {
            Some(slot) => slot.1 = Some(v),
            None => changes.push((k, Some(v))),
        }
    }
    if !changes.is_empty() {
        let object = properties_object(doc, i, &changes);
        match f.properties {
            Some(span) => splices.push(Splice::new(span.range(), object)),
            None => missing.insert(0, format!("\"properties\":{object}")),
        }
    }
    if !missing.is_empty() {
        let open = f.whole.start as usize + 1;
        // Without another member ({ }), no comma may follow.
        let close = (f.whole.end as usize).saturating_sub(1).max(open);
        let comma = if text[open..close].trim().is_empty() {
            ""
        } else {
            ","
        };
        splices.push(Splice::new(
            open..open,
            format!("{}{comma}", missing.join(",")),
        ));
    }
    splices
}

/// The splices that leave the deleted features of the file out of its `features` array, each
/// run of deleted features with one separating comma: the one before the run, or, for a run at
/// the start, the one after it.
fn deletions(doc: &Document) -> Vec<Splice> {
    let f = &doc.features;
    let n = f.len();
    let mut out = Vec::new();
    let mut runs = doc.deleted.range(..n).copied().peekable();
    while let Some(first) = runs.next() {
        let mut last = first;
        while runs.peek() == Some(&(last + 1)) {
            last += 1;
            runs.next();
        }
        let range = if first > 0 {
            f[first - 1].whole.end as usize..f[last].whole.end as usize
        } else if last + 1 < n {
            f[0].whole.start as usize..f[last + 1].whole.start as usize
        } else {
            f[0].whole.start as usize..f[last].whole.end as usize
        };
        out.push(Splice::new(range, ""));
    }
    out
}

/// The splice that sets the `bbox` value at `raw` (a range of the document's text) to `b`.
fn bbox_splice(doc: &Document, raw: std::ops::Range<usize>, b: [f64; 4]) -> Option<Splice> {
    let text = bbox_text(doc.text.get(raw.clone())?, b, Some(WGS84_DECIMALS))?;
    Some(Splice::new(raw, text))
}

/// Feature `i`'s properties object: the file's members in order (unedited values as written),
/// changed values replaced, removed ones left out, new members at the end.
fn properties_object(doc: &Document, i: usize, changes: &[(String, Option<Value>)]) -> String {
    let mut members: Vec<String> = Vec::new();
    let raw = doc.raw_properties(i);
    // Looked up by hashing, however many properties and changes a feature has.
    let changed: HashMap<&str, &Option<Value>> =
        changes.iter().rev().map(|(k, v)| (k.as_str(), v)).collect();
    for (k, v) in &raw {
        let value = match changed.get(k.as_ref()) {
            Some(Some(new)) => new.to_string(),
            Some(None) => continue,
            None => v.to_string(),
        };
        members.push(format!("{}: {value}", Value::from(k.as_ref())));
    }
    let present: HashSet<&str> = raw.iter().map(|(k, _)| k.as_ref()).collect();
    for (k, v) in changes {
        if let Some(v) = v
            && !present.contains(k.as_str())
        {
            members.push(format!("{}: {v}", Value::from(k.as_str())));
        }
    }
    format!("{{{}}}", members.join(", "))
}

/// Zone `z`'s computed figures, under [`STATS_KEYS`].
pub fn zone_stats(ds: &Dataset, z: usize) -> Vec<(String, Value)> {
    let f = &ds.figures[z];
    let m = &f.measured;
    let with_parcels = ds.parcels.is_some();
    let round = |x: f64, d: i32| {
        let s = 10f64.powi(d);
        (x * s).round() / s
    };
    let values = [
        json!(m.area_ha.map(|a| round(a, 4))),
        json!(with_parcels.then(|| round(m.leased_ha, 4))),
        json!(with_parcels.then(|| round(m.leased_service_ha, 4))),
        // Without parcels the engine has no rate (`Measured::leased_unknown`).
        json!(f.fill_rate_pct.map(|x| round(x, 2))),
        json!(f.fill_rate_d35_pct.map(|x| round(x, 2))),
        json!(f.basis.filter(|_| with_parcels).map(|b| b.code())),
        json!(with_parcels.then_some(m.parcels_leased)),
        json!(with_parcels.then_some(m.parcels_vacant)),
        json!(with_parcels.then_some(m.parcels_reserved)),
    ];
    STATS_KEYS
        .iter()
        .map(|k| k.to_string())
        .zip(values)
        .collect()
}

/// Writes `contents` to `path` atomically: a temporary file in the same folder (so the rename
/// cannot cross file systems), flushed to disk, renamed over the original, and the folder
/// flushed so the rename itself survives a power cut. The temporary file has an unpredictable
/// name and is created exclusively (`tempfile`), so another program cannot plant a file or a
/// link there to be written through. An existing file's permissions are kept; a new file gets
/// the usual ones (0666 less the umask, not the temporary file's private 0600). On any error
/// the original is untouched and the temporary file removed.
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    replace_atomic(path, |tmp| tmp.write_all(contents))
}

/// [`write_atomic`] for a file another library writes: `fill` gets the temporary file (open,
/// empty, at the target's permissions) and writes it whole, by itself or through its path
/// (SQLite); then the file is flushed and renamed over `path`. On any error nothing is
/// renamed and the temporary file is removed.
pub fn replace_atomic(
    path: &Path,
    fill: impl FnOnce(&mut tempfile::NamedTempFile) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".zoneatlas-tmp");
    let existing = std::fs::metadata(path).ok().map(|m| m.permissions());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Created with these bits (less the umask), so that no other program sees the file
        // with wider permissions than the final one, even for a moment.
        let mode = existing.as_ref().map_or(0o666, |p| p.mode() & 0o777);
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    // Dropping the temporary file on any error below removes it.
    let mut tmp = builder.tempfile_in(&dir)?;
    fill(&mut tmp)?;
    if let Some(p) = existing {
        // Exactly the original's (the umask applied at creation may have narrowed them).
        tmp.as_file().set_permissions(p)?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    sync_dir(&dir);
    Ok(())
}

/// Flushes a folder's entries (where the system allows opening a folder: Unix).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Why an export wrote nothing (or not everything).
#[derive(Debug)]
pub enum ExportError {
    /// A mapped file changed while it was read (see [`Dataset::intact`]): nothing written.
    Changed(LoadError),
    /// A file could not be written.
    Write(std::io::Error),
}

impl From<std::io::Error> for ExportError {
    fn from(e: std::io::Error) -> ExportError {
        ExportError::Write(e)
    }
}

/// The files `export` writes: `zones.geojson` and, with parcels, `parcels.geojson`.
/// Coordinates as `crs` says (files read in WGS84 are written as read either way).
pub fn export_dir(
    ds: &Dataset,
    dir: &Path,
    with_stats: bool,
    crs: ExportCrs,
) -> Result<Vec<PathBuf>, ExportError> {
    std::fs::create_dir_all(dir)?;
    let zones = render_as(
        &ds.zones.doc,
        |z| {
            if with_stats {
                zone_stats(ds, z)
            } else {
                Vec::new()
            }
        },
        crs,
    );
    let parcels = ds
        .parcels
        .as_ref()
        .map(|p| render_as(&p.doc, |_| Vec::new(), crs));
    // A mapped file cut short while it was rendered: nothing is written (see `intact`).
    ds.intact().map_err(ExportError::Changed)?;
    let mut written = vec![dir.join("zones.geojson")];
    write_atomic(&written[0], zones.as_bytes())?;
    if let Some(parcels) = parcels {
        let path = dir.join("parcels.geojson");
        write_atomic(&path, parcels.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

/// The formats `export` writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExportFormat {
    /// `zones.geojson` and `parcels.geojson`, losslessly ([`export_dir`]).
    #[default]
    GeoJson,
    /// `zones.gpkg`, layers `zones` and `parcels`.
    GeoPackage,
    /// `zones.shp` and `parcels.shp`, each with its `.shx`, `.dbf`, `.prj` and `.cpg`.
    Shapefile,
    /// `zones.kml`: a Zones folder and a Parcels folder, in WGS84.
    Kml,
    /// `zones.kmz`: the same KML, zipped.
    Kmz,
}

/// What an export wrote.
#[derive(Debug, Default)]
pub struct Exported {
    pub files: Vec<PathBuf>,
    /// What a format could not hold as given, and how it was written instead.
    pub notices: Vec<Notice>,
}

/// `export --format`: [`export_dir`] for GeoJSON; any other format written by its sink from
/// [`out_layers`] into `dir` (`zones.gpkg`, `zones.shp` and `parcels.shp`, `zones.kml`,
/// `zones.kmz`). KML is always WGS84, as the format wants.
pub fn export_dir_as(
    ds: &Dataset,
    dir: &Path,
    with_stats: bool,
    crs: ExportCrs,
    format: ExportFormat,
    words: &Words,
) -> Result<Exported, ExportError> {
    if format == ExportFormat::GeoJson {
        return export_dir(ds, dir, with_stats, crs).map(|files| Exported {
            files,
            notices: Vec::new(),
        });
    }
    std::fs::create_dir_all(dir)?;
    let crs = match format {
        ExportFormat::Kml | ExportFormat::Kmz => ExportCrs::Wgs84,
        _ => crs,
    };
    let (layers, mut notices) = out_layers(ds, with_stats, crs, words);
    // A mapped file cut short while it was read: nothing is written (see `intact`).
    ds.intact().map_err(ExportError::Changed)?;
    let file = |ext: &str| dir.join(format!("zones.{ext}"));
    let written: Written = match format {
        ExportFormat::GeoJson => unreachable!("written above"),
        ExportFormat::GeoPackage => {
            GeoPackage::write(&file(GeoPackage::EXTENSION), &layers, words)?
        }
        ExportFormat::Shapefile => Shapefile::write(&file(Shapefile::EXTENSION), &layers, words)?,
        ExportFormat::Kml => kml::Kml::write(&file(kml::Kml::EXTENSION), &layers, words)?,
        ExportFormat::Kmz => kml::Kmz::write(&file(kml::Kmz::EXTENSION), &layers, words)?,
    };
    notices.extend(written.notices);
    Ok(Exported {
        files: written.files,
        notices,
    })
}

/// A number with two decimals, grouped as the reader writes numbers (`6,397.68` or
/// `6.397,68`).
fn figure(x: f64, comma: bool) -> String {
    let text = format!("{:.2}", x.abs());
    let (int, dec) = text.split_once('.').unwrap_or((&text, "00"));
    let (group, point) = if comma { ('.', ',') } else { (',', '.') };
    let mut grouped = String::new();
    for (k, c) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(c);
    }
    let sign = if x < 0.0 && text.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
        "-"
    } else {
        ""
    };
    format!("{sign}{grouped}{point}{dec}")
}

/// The zones and (when open) the parcels as layers to write: each live feature (deleted
/// ones left out, inserted ones after the file's) with its properties as they are now,
/// `with_stats` adding the figures ([`zone_stats`]) to the zones; coordinates in WGS84, or
/// for [`ExportCrs::Original`] in the file's own system, which the layer names. A geometry
/// that is not an area, or that cannot be converted, is left out and reported.
pub fn out_layers(
    ds: &Dataset,
    with_stats: bool,
    crs: ExportCrs,
    words: &Words,
) -> (Vec<OutLayer>, Vec<Notice>) {
    let mut notices = Vec::new();
    let comma = words.decimal_comma;
    let ha = |x: f64| format!("{} ha", figure(x, comma));
    let zone_look = |z: usize| {
        let f = &ds.figures[z];
        let class = palette::zone_class(f);
        let mut figures = Vec::new();
        if let Some(a) = f.measured.area_ha {
            figures.push((words.area.clone(), ha(a)));
        }
        if ds.parcels.is_some() {
            figures.push((words.leased.clone(), ha(f.measured.leased_ha)));
        }
        if let Some(r) = f.fill_rate_pct {
            figures.push((words.fill_rate.clone(), format!("{} %", figure(r, comma))));
        }
        if let Some(b) = f.basis {
            let k = match b {
                super::figures::FillBasis::IndustrialLand => 0,
                super::figures::FillBasis::ParcelInventory => 1,
                super::figures::FillBasis::GrossArea => 2,
            };
            figures.push((
                words.basis.clone(),
                words.bases.get(k).cloned().unwrap_or_default(),
            ));
        }
        Look {
            name: ds
                .zones
                .items
                .get(z)
                .map(|i| i.name.clone())
                .unwrap_or_default(),
            style: class.map_or("no-rate".to_string(), |c| format!("fill-{c}")),
            rgb: palette::zone_rgb(f),
            figures,
        }
    };
    let mut layers = vec![out_layer(
        &ds.zones.doc,
        "zones",
        LayerKind::Zones,
        crs,
        |z| {
            if with_stats {
                zone_stats(ds, z)
            } else {
                Vec::new()
            }
        },
        zone_look,
        &mut notices,
    )];
    if let Some(parcels) = &ds.parcels {
        let parcel_look = |p: usize| {
            let status = parcels
                .items
                .get(p)
                .map_or(ParcelStatus::Leased, |i| i.status);
            let k = ParcelStatus::ALL
                .iter()
                .position(|s| *s == status)
                .unwrap_or(0);
            let mut figures = vec![(
                words.status.clone(),
                words.statuses.get(k).cloned().unwrap_or_default(),
            )];
            if let Some(Some(a)) = ds.parcel_area_ha.get(p) {
                figures.push((words.area.clone(), ha(*a)));
            }
            Look {
                name: parcels
                    .items
                    .get(p)
                    .map(|i| i.id.clone())
                    .unwrap_or_default(),
                style: status_code(status).to_string(),
                rgb: palette::parcel_rgb(status),
                figures,
            }
        };
        layers.push(out_layer(
            &parcels.doc,
            "parcels",
            LayerKind::Parcels,
            crs,
            |_| Vec::new(),
            parcel_look,
            &mut notices,
        ));
    }
    (layers, notices)
}

fn status_code(s: ParcelStatus) -> &'static str {
    match s {
        ParcelStatus::Leased => "leased",
        ParcelStatus::Vacant => "vacant",
        ParcelStatus::Reserved => "reserved",
    }
}

/// One document's live features as a layer.
fn out_layer(
    doc: &Document,
    name: &str,
    kind: LayerKind,
    crs: ExportCrs,
    extra: impl Fn(usize) -> Vec<(String, Value)>,
    look: impl Fn(usize) -> Look,
    notices: &mut Vec<Notice>,
) -> OutLayer {
    let (convert, system) = match crs {
        ExportCrs::Wgs84 => (doc.crs, None),
        ExportCrs::Original => (None, doc.crs),
    };
    let mut features = Vec::new();
    for i in (0..doc.len()).filter(|i| !doc.is_deleted(*i)) {
        let mut properties = doc.properties(i);
        for (k, v) in extra(i) {
            match properties.iter_mut().find(|(key, _)| *key == k) {
                Some(slot) => slot.1 = v,
                None => properties.push((k, v)),
            }
        }
        let feature = features.len() + 1;
        let text = doc.geometry_json(i).and_then(|g| match &convert {
            Some(c) => match super::crs::geometry_to_wgs84(g, c, Some(WGS84_DECIMALS)) {
                Ok(w) => Some(w.text),
                Err(_) => {
                    notices.push(Notice::NotConverted {
                        layer: name.to_string(),
                        feature,
                        system: c.label(),
                    });
                    None
                }
            },
            None => Some(g.to_string()),
        });
        let parsed = text.and_then(|t| serde_json::from_str::<Value>(&t).ok());
        let geometry = match parsed {
            None | Some(Value::Null) => None,
            Some(g) => match OutGeometry::from_geojson(&g) {
                Ok(g) => Some(g),
                Err(kind) => {
                    notices.push(Notice::GeometryLeftOut {
                        layer: name.to_string(),
                        feature,
                        kind,
                    });
                    None
                }
            },
        };
        let id = doc.id_json(i).and_then(|t| serde_json::from_str(t).ok());
        features.push(OutFeature {
            id,
            properties,
            geometry,
            look: look(i),
        });
    }
    OutLayer {
        name: name.to_string(),
        kind,
        crs: system,
        features,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(s: &str) -> Document {
        Document::parse(Path::new("t.geojson"), s.as_bytes().to_vec()).expect("parses")
    }

    const SRC: &str = r#"{"type":"FeatureCollection","name":"kcn","features":[
 {"type":"Feature","id":7,"properties":{"b":1.830,"industrial_land_ha":"298.50","x":[1,{"y":null}]},"geometry":null,"foo":true},
 {"type":"Feature","geometry":null},
 {"type":"Feature","properties":null,"geometry":null}
],"bbox":[1,2,3,4]}"#;

    #[test]
    fn unedited_is_byte_identical() {
        assert_eq!(render(&doc(SRC), |_| Vec::new()), SRC);
    }

    #[test]
    fn only_the_edit_differs() {
        let mut d = doc(SRC);
        d.set_property(0, "industrial_land_ha", json!("310.25"));
        d.set_property(1, "notes", json!("mới"));
        d.set_property(2, "status", json!("vacant"));
        let out = render(&d, |_| Vec::new());
        let before: Value = serde_json::from_str(SRC).expect("json");
        let after: Value = serde_json::from_str(&out).expect("json");
        let mut expect = before.clone();
        expect["features"][0]["properties"]["industrial_land_ha"] = json!("310.25");
        expect["features"][1]["properties"] = json!({"notes": "mới"});
        expect["features"][2]["properties"] = json!({"status": "vacant"});
        assert_eq!(after, expect);
        assert!(out.contains("\"b\": 1.830"), "number spelling kept: {out}");
        // Setting the value back removes the edit: the file is as it was.
        d.set_property(0, "industrial_land_ha", json!("298.50"));
        assert!(
            render(&d, |_| Vec::new())
                .contains(r#"{"b":1.830,"industrial_land_ha":"298.50","x":[1,{"y":null}]}"#)
        );
    }

    #[test]
    fn wgs84_export_rewrites_positions_and_drops_the_crs_member_only() {
        // Web Mercator: x = a·λ, y = a·asinh(tan φ). (a·π/180·105, 0) is 105° E on the equator.
        let x = 6_378_137.0 * 105f64.to_radians();
        let src = format!(
            r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"EPSG:3857"}}}},"features":[
 {{"type":"Feature","id":1,"bbox":[{x},0,{x2},1000],"geometry":{{"type":"Polygon","coordinates":[[[{x},0,5.0],[{x},1000],[{x2},1000],[{x},0,5.0]]]}},"foo":1}}
],"bbox":[{x},0,{x2},1000]}}"#,
            x2 = x + 1000.0
        );
        let mut d = doc(&src);
        assert_eq!(render_as(&d, |_| Vec::new(), ExportCrs::Original), src);
        d.set_property(0, "notes", json!("mới"));
        let out = render_as(&d, |_| Vec::new(), ExportCrs::Wgs84);
        let v: Value = serde_json::from_str(&out).expect("json");
        assert!(v.get("crs").is_none());
        assert_eq!(v["features"][0]["properties"], json!({"notes": "mới"}));
        assert_eq!(v["features"][0]["foo"], json!(1));
        assert!(out.contains("[[[105,0,5.0],"), "{out}");
        // 1000 m north of the equator: atan(sinh(1000/a)) in degrees.
        let lat = (1000.0f64 / 6_378_137.0).sinh().atan().to_degrees();
        assert!(out.contains(&format!("[105,{lat:.9}]")), "{out}");
        // The bboxes follow: 1000 m east of 105° E is 1000/a radians further.
        let east = 105.0 + (1000.0f64 / 6_378_137.0).to_degrees();
        let bbox = json!([
            105,
            0,
            (east * 1e9).round() / 1e9,
            (lat * 1e9).round() / 1e9
        ]);
        assert_eq!(v["bbox"], bbox);
        assert_eq!(v["features"][0]["bbox"], bbox);
    }

    #[test]
    fn a_removed_property_is_left_out_and_putting_it_back_restores_the_file() {
        let mut d = doc(SRC);
        assert_eq!(d.remove_property(0, "b"), Some(json!(1.83)));
        d.set_property(0, "added", json!(1));
        let after: Value = serde_json::from_str(&render(&d, |_| Vec::new())).expect("json");
        assert_eq!(
            after["features"][0]["properties"],
            json!({"industrial_land_ha": "298.50", "x": [1, {"y": null}], "added": 1})
        );
        assert!(d.properties(0).iter().all(|(k, _)| k != "b"));
        // Removing what was only added, and putting back what was removed: as loaded.
        d.remove_property(0, "added");
        d.set_property(0, "b", json!(1.83));
        assert!(d.edits.is_empty(), "{:?}", d.edits);
        assert_eq!(render(&d, |_| Vec::new()), SRC);
    }

    #[test]
    fn atomic_write_replaces_whole_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("zones.geojson");
        std::fs::write(&p, "old contents that are longer").expect("write");
        write_atomic(&p, b"new").expect("atomic");
        assert_eq!(std::fs::read_to_string(&p).expect("read"), "new");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
        assert_eq!(leftovers.len(), 1, "no temporary file left behind");
        let missing = dir.path().join("no-such-dir").join("x.geojson");
        assert!(write_atomic(&missing, b"x").is_err());
    }

    /// The temporary file is not at a name another program could guess and plant a link at:
    /// a link where the old scheme put it (`.NAME.zoneatlas-PID.tmp`) is not written through.
    #[cfg(unix)]
    #[test]
    fn atomic_write_does_not_follow_a_planted_link() {
        let dir = tempfile::tempdir().expect("tempdir");
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "keep me").expect("write");
        let p = dir.path().join("zones.geojson");
        let guess = dir.path().join(format!(
            ".zones.geojson.zoneatlas-{}.tmp",
            std::process::id()
        ));
        std::os::unix::fs::symlink(&victim, &guess).expect("symlink");
        write_atomic(&p, b"new").expect("atomic");
        assert_eq!(std::fs::read_to_string(&victim).expect("read"), "keep me");
        assert_eq!(std::fs::read_to_string(&p).expect("read"), "new");
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 3, "no temporary file left behind: {names:?}");
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_keeps_permissions_and_gives_new_files_the_usual_ones() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let kept = dir.path().join("kept.geojson");
        std::fs::write(&kept, "old").expect("write");
        std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        write_atomic(&kept, b"new").expect("atomic");
        let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode(&kept), 0o640);
        // A new file: what `File::create` gives (0666 less the umask), not tempfile's 0600.
        let reference = dir.path().join("reference");
        std::fs::File::create(&reference).expect("create");
        let new = dir.path().join("new.geojson");
        write_atomic(&new, b"x").expect("atomic");
        assert_eq!(mode(&new), mode(&reference));
    }
}
