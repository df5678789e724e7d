//! Zones and parcels as the figures see them: the planning attributes read from a feature's
//! properties (canonical keys or their aliases), and its geometry.
//!
//! These are views of a [`Document`]; the document stays the record. Re-reading a feature after
//! an edit is [`Zone::read`] / [`Parcel::read`] again.

use geo::{BoundingRect, MultiPolygon, Rect};
use rayon::prelude::*;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashMap;

use super::attributes::{self, Choices, ValueProblem};
use super::cow_vec::CowVec;
use super::geojson::Document;
use super::geometry::{GeometryProblem, InvalidGeometry, read_geometry};
use super::properties::{
    Date, KeySpec, LandUse, PARCEL_KEYS, ParcelStatus, ZONE_KEYS, ZoneStatus, canonical_key,
    read_bool, value_text,
};

/// Which of the two files a feature is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LayerKind {
    Zones,
    Parcels,
}

impl LayerKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Zones => "zones",
            Self::Parcels => "parcels",
        }
    }
}

/// A property value that is present but cannot be read as what its key means.
#[derive(Clone, Debug, PartialEq)]
pub struct BadValue {
    /// The property name as written in the file.
    pub key: String,
    pub problem: ValueProblem,
}

/// A feature's geometry once read: the shape and its bounding box, or why it has none.
#[derive(Clone, Debug)]
pub enum Shape {
    Area {
        geometry: MultiPolygon<f64>,
        bbox: Rect<f64>,
    },
    Unusable(GeometryProblem),
    /// The feature was deleted since the file was read: it takes part in nothing.
    Deleted,
}

impl Shape {
    /// Feature `i`'s shape as the document holds it now.
    pub fn read(doc: &Document, i: usize) -> Shape {
        if doc.is_deleted(i) {
            return Shape::Deleted;
        }
        if let Some(why) = doc.malformed(i) {
            return Shape::Unusable(GeometryProblem::MalformedFeature(why));
        }
        match read_geometry(doc.geometry_json(i), doc.crs.as_ref()) {
            Ok(geometry) => match geometry.bounding_rect() {
                Some(bbox) => Shape::Area { geometry, bbox },
                None => Shape::Unusable(GeometryProblem::Invalid(InvalidGeometry::NoCoordinates)),
            },
            Err(p) => Shape::Unusable(p),
        }
    }

    pub fn geometry(&self) -> Option<&MultiPolygon<f64>> {
        match self {
            Shape::Area { geometry, .. } => Some(geometry),
            Shape::Unusable(_) | Shape::Deleted => None,
        }
    }

    pub fn bbox(&self) -> Option<Rect<f64>> {
        match self {
            Shape::Area { bbox, .. } => Some(*bbox),
            Shape::Unusable(_) | Shape::Deleted => None,
        }
    }
}

/// An industrial zone (khu công nghiệp) and its planning attributes.
#[derive(Clone, Debug)]
pub struct Zone {
    /// `zone_id`, else the feature id, else `#N` (position in the file from 1).
    pub id: String,
    /// Whether `id` is the `#N` of its position: it then follows deletions before it.
    pub numbered: bool,
    /// The `zone_id` property alone, for matching parcels.
    pub zone_id: Option<String>,
    pub name: String,
    pub province: Option<String>,
    pub status: Option<ZoneStatus>,
    pub zone_type: Option<String>,
    pub planned_area_ha: Option<f64>,
    pub industrial_land_ha: Option<f64>,
    pub service_land_ha: Option<f64>,
    pub developer: Option<String>,
    pub wastewater_plant: Option<bool>,
    pub bad_values: Vec<BadValue>,
}

/// A parcel (lô đất) and the attributes the figures use.
#[derive(Clone, Debug)]
pub struct Parcel {
    /// `parcel_id`, else the feature id, else `#N`.
    pub id: String,
    /// Whether `id` is the `#N` of its position: it then follows deletions before it.
    pub numbered: bool,
    /// The `zone_id` property, when present.
    pub zone_ref: Option<String>,
    pub status: ParcelStatus,
    /// Whether the file said the status (a file with no status at all is a file of leased lots).
    pub status_given: bool,
    pub land_use: LandUse,
    /// For labels; the other lease attributes (investor, capital, industry…) stay in the
    /// document and are read from it when shown, so a million parcels stay small.
    pub tenant: Option<String>,
    pub lease_start: Option<Date>,
    pub lease_end: Option<Date>,
    pub bad_values: Vec<BadValue>,
}

/// The recognised properties of one feature: per canonical key (in the order of its
/// [`KeySpec`] list), the name it has in the file and its JSON text. Values are parsed only
/// when asked for; the first occurrence of a key wins.
struct Recognised<'a> {
    specs: &'static [KeySpec],
    values: Vec<Option<(Cow<'a, str>, Cow<'a, str>)>>,
}

impl<'a> Recognised<'a> {
    fn read(
        doc: &'a Document,
        i: usize,
        specs: &'static [KeySpec],
        cache: &mut KeyCache,
    ) -> Recognised<'a> {
        let mut values = vec![None; specs.len()];
        if doc.edits.contains_key(&i) {
            for (k, v) in doc.properties(i) {
                if let Some(slot) = cache.canonical(specs, &k).map(|c| &mut values[c])
                    && slot.is_none()
                {
                    *slot = Some((Cow::Owned(k), Cow::Owned(v.to_string())));
                }
            }
        } else {
            for (k, raw) in doc.raw_properties(i) {
                if let Some(slot) = cache.canonical(specs, &k).map(|c| &mut values[c])
                    && slot.is_none()
                {
                    *slot = Some((k, Cow::Borrowed(raw)));
                }
            }
        }
        Recognised { specs, values }
    }

    /// The file's name for a canonical key and the value's JSON text, when present.
    fn raw(&self, key: &str) -> Option<(&str, &str)> {
        let c = self.specs.iter().position(|s| s.canonical == key)?;
        let (name, json) = self.values[c].as_ref()?;
        Some((name, json))
    }

    /// The file's name for a canonical key and the value, when present.
    fn get(&self, key: &str) -> Option<(&str, Value)> {
        let (name, json) = self.raw(key)?;
        Some((name, serde_json::from_str(json).unwrap_or(Value::Null)))
    }

    fn text(&self, key: &str) -> Option<String> {
        self.text_cow(key).map(Cow::into_owned)
    }

    /// [`Recognised::text`], borrowed from the file where it can be.
    fn text_cow(&self, key: &str) -> Option<Cow<'_, str>> {
        let (_, json) = self.raw(key)?;
        // Most values are plain strings (no escapes) or null: no need for a JSON value.
        let text = match plain_string(json) {
            Some(s) => Cow::Borrowed(s.trim()),
            None if json == "null" => return None,
            None => Cow::Owned(
                value_text(&serde_json::from_str(json).unwrap_or(Value::Null))
                    .trim()
                    .to_string(),
            ),
        };
        (!text.is_empty()).then_some(text)
    }

    /// A value read by one of the schema's rules; a problem is kept with the file's key.
    fn checked<T>(
        &self,
        key: &str,
        read: Result<T, ValueProblem>,
        bad: &mut Vec<BadValue>,
    ) -> Option<T> {
        match read {
            Ok(v) => Some(v),
            Err(problem) => {
                let name = self.raw(key).map_or(key, |(name, _)| name);
                bad.push(BadValue {
                    key: name.to_string(),
                    problem,
                });
                None
            }
        }
    }

    fn number(&self, key: &str, bad: &mut Vec<BadValue>) -> Option<f64> {
        let (_, v) = self.get(key)?;
        self.checked(key, attributes::number(&v), bad).flatten()
    }

    fn date(&self, key: &str, bad: &mut Vec<BadValue>) -> Option<Date> {
        let text = self.text_cow(key)?;
        self.checked(key, attributes::date(&text), bad)
    }

    /// A value from a list, as its typed form (`parse` reads the same text as the list does).
    fn parsed<T>(
        &self,
        key: &str,
        parse: impl Fn(&str) -> Option<T>,
        choices: Choices,
        bad: &mut Vec<BadValue>,
    ) -> Option<T> {
        let text = self.text_cow(key)?;
        let read = parse(&text).ok_or_else(|| ValueProblem::UnknownChoice {
            text: text.to_string(),
            choices,
        });
        self.checked(key, read, bad)
    }
}

/// The content of a JSON string literal that has no escapes.
fn plain_string(json: &str) -> Option<&str> {
    let inner = json.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains('\\')).then_some(inner)
}

/// Remembers which canonical key each property name stands for (folding names is the costly
/// part of reading a million parcels).
#[derive(Default)]
pub struct KeyCache {
    names: Vec<(String, Option<usize>)>,
    /// Where the next name is looked for first.
    next: usize,
    /// The names' places in `names`, once there are too many to look through.
    index: HashMap<String, usize>,
}

/// Past this many distinct names, a file is odd (every feature its own keys) and the names
/// are hashed.
const SHORT_LIST: usize = 32;

impl KeyCache {
    /// The position in `specs` of the canonical key `name` stands for. A file has a handful of
    /// distinct property names, so a short list beats hashing; and its features mostly list
    /// them in the same order, so the entry after the last one found is tried first.
    fn canonical(&mut self, specs: &'static [KeySpec], name: &str) -> Option<usize> {
        if let Some((n, c)) = self.names.get(self.next)
            && n == name
        {
            self.next += 1;
            return *c;
        }
        let at = if self.names.len() <= SHORT_LIST {
            self.names.iter().position(|(n, _)| n == name)
        } else {
            self.index.get(name).copied()
        };
        if let Some(at) = at {
            self.next = at + 1;
            return self.names[at].1;
        }
        let c =
            canonical_key(specs, name).and_then(|k| specs.iter().position(|s| s.canonical == k));
        self.names.push((name.to_string(), c));
        if self.names.len() > SHORT_LIST {
            if self.index.is_empty() {
                self.index = self
                    .names
                    .iter()
                    .enumerate()
                    .map(|(at, (n, _))| (n.clone(), at))
                    .collect();
            } else {
                self.index.insert(name.to_string(), self.names.len() - 1);
            }
        }
        self.next = self.names.len();
        c
    }
}

/// The feature's id, else `#N`, its position from 1 in the file as it would be written now
/// (features deleted before it left out, as reading the saved file would number it). The
/// flag says which.
fn fallback_id(doc: &Document, i: usize) -> (String, bool) {
    match doc.id_text(i) {
        Some(id) => (id, false),
        None => (format!("#{}", doc.live_rank(i) + 1), true),
    }
}

impl Zone {
    /// A zone with an id and nothing else known.
    pub fn named(id: &str) -> Zone {
        Zone {
            id: id.to_string(),
            numbered: false,
            zone_id: None,
            name: id.to_string(),
            province: None,
            status: None,
            zone_type: None,
            planned_area_ha: None,
            industrial_land_ha: None,
            service_land_ha: None,
            developer: None,
            wastewater_plant: None,
            bad_values: Vec::new(),
        }
    }

    /// Reads feature `i` of a zones document.
    pub fn read(doc: &Document, i: usize, cache: &mut KeyCache) -> Zone {
        let r = Recognised::read(doc, i, ZONE_KEYS, cache);
        let mut bad = Vec::new();
        let zone_id = r.text("zone_id");
        let (id, numbered) = match &zone_id {
            Some(id) => (id.clone(), false),
            None => fallback_id(doc, i),
        };
        Zone {
            numbered,
            name: r.text("name").unwrap_or_else(|| id.clone()),
            zone_id,
            province: r.text("province"),
            status: r.parsed("status", ZoneStatus::parse, Choices::ZoneStatus, &mut bad),
            zone_type: r.text("zone_type"),
            planned_area_ha: r.number("planned_area_ha", &mut bad),
            industrial_land_ha: r.number("industrial_land_ha", &mut bad),
            service_land_ha: r.number("service_land_ha", &mut bad),
            developer: r.text("developer"),
            wastewater_plant: r.get("wastewater_plant").and_then(|(_, v)| read_bool(&v)),
            id,
            bad_values: bad,
        }
    }
}

impl Parcel {
    /// Reads feature `i` of a parcels document.
    pub fn read(doc: &Document, i: usize, cache: &mut KeyCache) -> Parcel {
        let r = Recognised::read(doc, i, PARCEL_KEYS, cache);
        let mut bad = Vec::new();
        let (id, numbered) = match r.text("parcel_id") {
            Some(id) => (id, false),
            None => fallback_id(doc, i),
        };
        let status = r.parsed(
            "status",
            ParcelStatus::parse,
            Choices::ParcelStatus,
            &mut bad,
        );
        Parcel {
            id,
            numbered,
            zone_ref: r.text("zone_id"),
            status_given: r.text_cow("status").is_some(),
            status: status.unwrap_or(ParcelStatus::Leased),
            land_use: r
                .parsed("land_use", LandUse::parse, Choices::LandUse, &mut bad)
                .unwrap_or(LandUse::Industrial),
            tenant: r.text("tenant"),
            lease_start: r.date("lease_start", &mut bad),
            lease_end: r.date("lease_end", &mut bad),
            bad_values: bad,
        }
    }
}

/// Features read per block by [`Layer::read`].
const READ_BLOCK: usize = 1 << 16;

/// One file read: the document (the record) and each feature's reading. A copy shares the
/// readings ([`CowVec`]) and the document's text and spans: it is cheap to take, and an edit of
/// either copy copies only what it touches.
#[derive(Clone, Debug)]
pub struct Layer<T> {
    pub doc: Document,
    pub items: CowVec<T>,
    pub shapes: CowVec<Shape>,
    /// Parcels: how many give their status. Whether any does decides what a lot without one
    /// means (DOMAIN.md), so an edit settles statuses from this count, not a pass over all.
    statuses_given: usize,
    /// How many features are known by their number (`#N`), deleted ones included: with none,
    /// a deletion renumbers nothing and looks at nothing.
    numbered: usize,
}

/// A feature's reading that has an id.
pub trait Identified {
    /// Whether the id is the `#N` of the feature's position (the file gives none).
    fn numbered(&self) -> bool;
}

impl Identified for Zone {
    fn numbered(&self) -> bool {
        self.numbered
    }
}

impl Identified for Parcel {
    fn numbered(&self) -> bool {
        self.numbered
    }
}

impl<T: Send + Clone + Identified> Layer<T> {
    /// Reads every feature, in parallel, a block of features at a time: a mapped file's
    /// pages are handed back once their block is read ([`Document::release_text`]), so that a
    /// large file is not resident alongside everything read from it.
    pub fn read(
        doc: Document,
        read_item: impl Fn(&Document, usize, &mut KeyCache) -> T + Sync,
    ) -> Layer<T> {
        let n = doc.len();
        let mut items = CowVec::new();
        let mut shapes = CowVec::new();
        let mut released = 0;
        for start in (0..n).step_by(READ_BLOCK) {
            let end = (start + READ_BLOCK).min(n);
            let block: Vec<(T, Shape)> = (start..end)
                .into_par_iter()
                .with_min_len(256)
                .map_init(KeyCache::default, |cache, i| {
                    (read_item(&doc, i, cache), Shape::read(&doc, i))
                })
                .collect();
            for (item, shape) in block {
                items.push(item);
                shapes.push(shape);
            }
            if let Some(last) = doc.features.get(end - 1) {
                let read_to = last.whole.end as usize;
                doc.release_text(released..read_to);
                released = read_to;
            }
        }
        let numbered = items.iter().filter(|item| item.numbered()).count();
        Layer {
            doc,
            items,
            shapes,
            statuses_given: 0,
            numbered,
        }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Whether feature `i` is there (not deleted since loading).
    pub fn is_live(&self, i: usize) -> bool {
        !self.doc.is_deleted(i)
    }

    /// The features that are there, in order (those deleted since loading left out).
    pub fn live(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.len()).filter(|i| self.is_live(*i))
    }

    /// The features after `i` that are there and known by their number (`#N`): deleting or
    /// restoring `i` renumbers them.
    pub fn numbered_after(&self, i: usize) -> Vec<usize> {
        if self.numbered == 0 {
            return Vec::new();
        }
        (i + 1..self.len())
            .filter(|&j| self.is_live(j) && self.items[j].numbered())
            .collect()
    }

    /// Puts feature `i`'s reading (the next position adds one).
    fn put(&mut self, i: usize, item: T) {
        self.numbered += usize::from(item.numbered());
        if i == self.items.len() {
            self.items.push(item);
        } else {
            let old = std::mem::replace(self.items.make_mut(i), item);
            self.numbered -= usize::from(old.numbered());
        }
    }

    /// Reads feature `i` again, item and shape (after an edit of its geometry, or its
    /// insertion, deletion or restoring).
    fn reread_whole(&mut self, i: usize, read_item: impl Fn(&Document, usize, &mut KeyCache) -> T) {
        let item = read_item(&self.doc, i, &mut KeyCache::default());
        let shape = Shape::read(&self.doc, i);
        if i == self.shapes.len() {
            self.shapes.push(shape);
        } else {
            *self.shapes.make_mut(i) = shape;
        }
        self.put(i, item);
    }
}

pub type Zones = Layer<Zone>;
pub type Parcels = Layer<Parcel>;

impl Zones {
    pub fn from_document(doc: Document) -> Zones {
        Layer::read(doc, Zone::read)
    }

    /// Re-reads zone `i` after its properties changed.
    pub fn reread(&mut self, i: usize) {
        let item = Zone::read(&self.doc, i, &mut KeyCache::default());
        self.put(i, item);
    }

    /// Reads zone `i` again, whole: after its geometry changed, or it was inserted (then `i`
    /// is the next position), deleted or restored.
    pub fn reread_feature(&mut self, i: usize) {
        self.reread_whole(i, Zone::read);
    }
}

impl Parcels {
    pub fn from_document(doc: Document) -> Parcels {
        let mut layer = Layer::read(doc, Parcel::read);
        layer.settle_statuses();
        layer
    }

    /// Re-reads parcel `i` after its properties changed. Returns `true` when the edit changed
    /// what every lot without a status means (the first status given in a file without any,
    /// or the last one removed): those lots' statuses changed too.
    pub fn reread(&mut self, i: usize) -> bool {
        let any_before = self.statuses_given > 0;
        if self.items[i].status_given {
            self.statuses_given -= 1;
        }
        let item = Parcel::read(&self.doc, i, &mut KeyCache::default());
        self.put(i, item);
        if self.items[i].status_given {
            self.statuses_given += 1;
        }
        if any_before != (self.statuses_given > 0) {
            self.settle_statuses();
            return true;
        }
        let any_given = self.statuses_given > 0;
        settle(self.items.make_mut(i), any_given);
        false
    }

    /// Reads parcel `i` again, whole: after its geometry changed, or it was inserted (then `i`
    /// is the next position), deleted or restored; `was_live` says whether it was there before
    /// the change. Returns `true` when that changed what every lot without a status means (as
    /// [`Parcels::reread`]).
    pub fn reread_feature(&mut self, i: usize, was_live: bool) -> bool {
        let any_before = self.statuses_given > 0;
        if was_live && self.items.get(i).is_some_and(|p| p.status_given) {
            self.statuses_given -= 1;
        }
        self.reread_whole(i, Parcel::read);
        if self.items[i].status_given && self.is_live(i) {
            self.statuses_given += 1;
        }
        if any_before != (self.statuses_given > 0) {
            self.settle_statuses();
            return true;
        }
        let any_given = self.statuses_given > 0;
        settle(self.items.make_mut(i), any_given);
        false
    }

    /// DOMAIN.md: a parcels file with no status at all is a file of leased parcels; a file that
    /// gives statuses means what it says, and a lot with no status there is vacant.
    fn settle_statuses(&mut self) {
        self.statuses_given = (0..self.len())
            .filter(|&i| self.items[i].status_given && self.is_live(i))
            .count();
        let any_given = self.statuses_given > 0;
        self.items.for_each_mut(|p| settle(p, any_given));
    }

    /// Whether any lot gives its status (then a lot without one counts as vacant).
    pub fn any_status_given(&self) -> bool {
        self.statuses_given > 0
    }
}

/// A lot's status when its file says none: leased in a file that gives no status at all,
/// vacant in one that gives statuses.
fn settle(p: &mut Parcel, any_given: bool) {
    if !p.status_given {
        p.status = if any_given {
            ParcelStatus::Vacant
        } else {
            ParcelStatus::Leased
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn doc(s: &str) -> Document {
        Document::parse(Path::new("t.geojson"), s.as_bytes().to_vec()).expect("parses")
    }

    #[test]
    fn zone_attributes_from_aliases_and_strings() {
        let zones = Zones::from_document(doc(r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","id":"F1","properties":{"Tên KCN":"KCN Quế Võ","Trạng thái":"Đang hoạt động",
              "Diện tích đất CN (ha)":"1.830","dien_tich_quy_hoach":"6.397,68","color":"red"},"geometry":null},
            {"type":"Feature","properties":{"industrial_land_ha":"n/a","status":"?"},"geometry":null}]}"#));
        let z = &zones.items[0];
        assert_eq!(z.id, "F1");
        assert_eq!(z.name, "KCN Quế Võ");
        assert_eq!(z.status, Some(ZoneStatus::Operating));
        assert_eq!(z.industrial_land_ha, Some(1.83));
        assert_eq!(z.planned_area_ha, Some(6397.68));
        let z = &zones.items[1];
        assert_eq!(z.id, "#2");
        assert_eq!(z.industrial_land_ha, None);
        let keys: Vec<&str> = z.bad_values.iter().map(|b| b.key.as_str()).collect();
        assert_eq!(keys, ["status", "industrial_land_ha"]);
    }

    #[test]
    fn parcels_without_status_are_leased_and_edits_are_read() {
        let mut parcels = Parcels::from_document(doc(r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"ma_lo":"A1"},"geometry":null},
            {"type":"Feature","properties":{"parcel_id":"A2","loai_dat":"đất dịch vụ"},"geometry":null}]}"#));
        assert!(
            parcels
                .items
                .iter()
                .all(|p| p.status == ParcelStatus::Leased)
        );
        assert_eq!(parcels.items[0].id, "A1");
        assert_eq!(parcels.items[1].land_use, LandUse::Service);
        parcels.doc.set_property(0, "status", Value::from("vacant"));
        parcels.reread(0);
        assert_eq!(parcels.items[0].status, ParcelStatus::Vacant);
        // Now the file gives statuses, so the lot without one is vacant, not leased.
        assert_eq!(parcels.items[1].status, ParcelStatus::Vacant);
    }

    /// A file whose features each have keys of their own: names are hashed once there are
    /// many (a list looked through per name would be quadratic), and read the same.
    #[test]
    fn many_distinct_property_names_are_hashed_and_read_alike() {
        let mut cache = KeyCache::default();
        let names: Vec<String> = (0..2000)
            .map(|k| match k % 4 {
                0 => format!("x{k}"),
                1 => "Tên KCN".to_string(),
                2 => format!("zone_id{}", k % 7),
                _ => "industrial_land_ha".to_string(),
            })
            .collect();
        for name in names.iter().chain(names.iter().rev()) {
            let want = canonical_key(ZONE_KEYS, name)
                .and_then(|k| ZONE_KEYS.iter().position(|s| s.canonical == k));
            assert_eq!(cache.canonical(ZONE_KEYS, name), want, "{name}");
        }
        assert!(cache.names.len() > SHORT_LIST);
        assert_eq!(cache.index.len(), cache.names.len(), "every name indexed");
    }

    #[test]
    fn plain_and_escaped_text_read_alike() {
        assert_eq!(plain_string(r#""KCN 1""#), Some("KCN 1"));
        assert_eq!(plain_string(r#""a\"b""#), None);
        assert_eq!(plain_string("12"), None);
        let parcels = Parcels::from_document(doc(r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"parcel_id":"  A\u0031 ","tenant":"  ","zone_id":7,"status":null},"geometry":null}]}"#));
        let p = &parcels.items[0];
        assert_eq!(p.id, "A1");
        assert_eq!(p.tenant, None);
        assert_eq!(p.zone_ref.as_deref(), Some("7"));
        assert!(!p.status_given);
    }
}
