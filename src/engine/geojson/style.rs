//! Writing a new or reshaped feature in its file's own style.
//!
//! Export copies a file byte for byte and splices in only what was edited. A feature that is
//! inserted, or whose geometry is replaced, has no text to copy: this module writes it the way
//! the file writes its features, so that the saved file reads as one file:
//!
//! - [`FileStyle::of`] learns the style from a sample of the features (at most
//!   [`SAMPLE_FEATURES`] of them, spread over the file, each at most [`SAMPLE_MAX_BYTES`]: never
//!   a pass over a large file's every byte): the members' order, the spacing around `:` and `,`,
//!   inside brackets and between features, the indentation of pretty-printed files, how many
//!   decimals the coordinates are written with and how numbers are spelt, whether positions
//!   carry heights, Polygon or MultiPolygon for single parts, and the rings' winding.
//! - [`write_geometry`] writes a shape (WGS84 longitude/latitude, the engine's model) in the
//!   file's coordinate system and style. Given the geometry it replaces, every vertex that is
//!   still there keeps its original text (heights and further ordinates included) and the rest
//!   of that geometry object (its members, their order, foreign members) is kept as written.
//! - [`write_feature`] writes a whole Feature around such a geometry.
//!
//! Coordinates are never written with fewer decimals than keep every position within 1 mm of
//! the shape once read back: see [`MIN_DECIMALS_DEGREES`] and [`MIN_DECIMALS_METRES`].
//!
//! Text is found with the one scanner (`scan`) and positions with the one geometry walker
//! (`walk`); nothing here reads JSON another way.

use std::collections::HashSet;

use geo::{Coord, LineString, MultiPolygon};
use serde_json::Value;

use super::document::Document;
use super::splice::{self, Splice};
use super::walk::GeometryType;
use crate::engine::crs::{Crs, Projection};
use crate::engine::geodesy::ring_signed_area;

mod layout;
mod learn;
mod old;

use layout::{Layout, Node, Role};
use old::{Old, bbox_text, give_heights};

/// Decimals of degrees that keep a written position within 1 mm of the value it rounds. The
/// rounding moves each number by at most half a step: 0.5e-8° is at most 0.559 mm along a
/// meridian (a degree of latitude is at most 111.694 km, at the poles) and 0.557 mm along a
/// parallel (a degree of longitude is at most 111.320 km, at the equator), together at most
/// 0.79 mm. Seven decimals would allow 7.9 mm.
pub const MIN_DECIMALS_DEGREES: usize = 8;

/// Decimals of projected metres that keep a written position within 1 mm: half a millimetre
/// on each axis is at most 0.71 mm on the grid, and on the ground at most 0.71 mm divided by
/// the projection's scale (at least 0.9996 for UTM and the VN-2000 zones, at least 1 for Web
/// Mercator), still under 1 mm. Two decimals would allow 7.1 mm.
pub const MIN_DECIMALS_METRES: usize = 3;

/// Features a style is learned from, spread evenly over the file.
pub const SAMPLE_FEATURES: usize = 16;

/// Features larger than this are passed over when sampling (a file of only such features is
/// learned from its smallest sampled one).
pub const SAMPLE_MAX_BYTES: usize = 256 << 10;

/// A vertex of the shape this close (in degrees, about 0.1 mm) to a vertex of the geometry it
/// replaces is that vertex, written with its original text: geometry operations may give back
/// an unchanged vertex a few ulps away, and its text is then still well within 1 mm.
pub const SAME_VERTEX_DEGREES: f64 = 1e-9;

/// A feature's members in GeoJSON (foreign members are never written).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Member {
    Type,
    Id,
    Properties,
    Geometry,
}

/// How a file spells coordinates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Precision {
    /// The most decimals seen in the sampled coordinates (0 without any).
    pub decimals: usize,
    /// Whether those are projected metres rather than degrees.
    pub projected: bool,
    /// Whether numbers are padded with zeros to that many decimals (`106.100000`).
    pub padded: bool,
    /// Whether whole numbers carry a point (`585000.0`, as Python writes floats).
    pub point_zero: bool,
}

impl Precision {
    /// The decimals to write coordinates in a system with (`projected`: metres) with: the
    /// file's, or the fewest that keep 1 mm if the file writes fewer (or wrote another unit).
    pub fn decimals_for(&self, projected: bool) -> usize {
        let least = if projected {
            MIN_DECIMALS_METRES
        } else {
            MIN_DECIMALS_DEGREES
        };
        if projected == self.projected {
            // More than 17 would only write digits an f64 does not have.
            self.decimals.clamp(least, 17)
        } else {
            least
        }
    }
}

/// Whether a file's positions carry heights (a third number), and which.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Heights {
    /// 2-D positions (or as many 2-D as 3-D).
    None,
    /// Every sampled height is this text (often `0`): a new feature's positions get it too.
    Flat(String),
    /// Heights vary. A new feature with no geometry to take them from gets none: heights are
    /// not invented.
    Varied,
}

/// How a file writes its features, learned by [`FileStyle::of`]. The [`Default`] (used for a
/// file without features to learn from, see [`FileStyle::of`]) is compact JSON with no spaces,
/// features separated by `,\n`, members `type`, `id`, `properties`, `geometry`, 2-D positions
/// with the fewest decimals that keep 1 mm, single parts as Polygon, exteriors
/// counter-clockwise (RFC 7946).
#[derive(Clone, Debug, PartialEq)]
pub struct FileStyle {
    /// A feature's members in the file's order (all four: those a feature lacks are left out).
    pub members: Vec<Member>,
    /// Whether a geometry's `type` comes before its `coordinates`.
    pub geometry_type_first: bool,
    /// The text between one feature and the next, comma included (`",\n"`, `",\n    "`).
    pub between_features: String,
    pub precision: Precision,
    pub heights: Heights,
    /// Whether a single part is written as a MultiPolygon (as files converted from shapefiles
    /// often write every geometry).
    pub multi: bool,
    /// Whether exterior rings run clockwise (holes the other way).
    pub clockwise: bool,
    /// Whether strings are written in ASCII, other characters escaped (`\u1ea1`, as Python's
    /// `json` writes by default).
    pub ascii: bool,
    layout: Layout,
}

impl Default for FileStyle {
    fn default() -> FileStyle {
        FileStyle {
            members: DEFAULT_MEMBERS.to_vec(),
            geometry_type_first: true,
            between_features: ",\n".into(),
            precision: Precision {
                decimals: 0,
                projected: false,
                padded: false,
                point_zero: false,
            },
            heights: Heights::None,
            multi: false,
            clockwise: false,
            ascii: false,
            layout: Layout::compact(),
        }
    }
}

const DEFAULT_MEMBERS: [Member; 4] = [
    Member::Type,
    Member::Id,
    Member::Properties,
    Member::Geometry,
];

impl FileStyle {
    /// The style of a document's features, learned from a sample of them (see the module
    /// documentation). A file without features is written in the [`Default`] style, but with
    /// the spacing and indentation of its top-level object when it has some (a pretty-printed
    /// empty collection gets pretty-printed features). Never fails: what a sample does not
    /// show is taken from what it does (a MultiPolygon's outer array spaced as a Polygon's
    /// rings, a geometry as its feature), else from the default.
    ///
    /// ```
    /// use std::path::Path;
    /// use zoneatlas::engine::geojson::Document;
    /// use zoneatlas::engine::geojson::style::{FileStyle, Member};
    ///
    /// let text = r#"{"type": "FeatureCollection", "features": [
    ///   {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[106.1, 21.1], [106.2, 21.1], [106.2, 21.25], [106.1, 21.1]]]}, "properties": {"zone_id": "A"}}
    /// ]}"#;
    /// let doc = Document::parse(Path::new("zones.geojson"), text.into()).unwrap();
    /// let style = FileStyle::of(&doc);
    /// assert_eq!(style.members, [Member::Type, Member::Id, Member::Geometry, Member::Properties]);
    /// // Two decimals written, but 1 mm needs eight.
    /// assert_eq!(style.precision.decimals, 2);
    /// assert_eq!(style.precision.decimals_for(false), 8);
    /// ```
    pub fn of(doc: &Document) -> FileStyle {
        learn::style_of(doc)
    }
}

/// A WGS84 position in the file's system, such that reading it back gives the position: the
/// conversion's own inverse is corrected by what reading back shows (through VN-2000 the two
/// differ by about a millimetre, the datum shift dropping a height either way).
fn to_file(crs: Option<&Crs>, lon: f64, lat: f64) -> (f64, f64) {
    let Some(c) = crs else {
        return (lon, lat);
    };
    let mut aim = (lon, lat);
    let mut p = c.from_wgs84(lon, lat);
    for _ in 0..4 {
        let Some((l, b)) = c.to_wgs84(p.0, p.1) else {
            break;
        };
        let (dl, db) = (lon - l, lat - b);
        // 1e-13° is about 10 nm.
        if dl.abs() < 1e-13 && db.abs() < 1e-13 {
            break;
        }
        aim = (aim.0 + dl, aim.1 + db);
        p = c.from_wgs84(aim.0, aim.1);
    }
    p
}

/// One position of a ring being written: an old one's text, or a new one's numbers.
#[derive(Clone)]
enum Vertex {
    Old(usize),
    New {
        lon: f64,
        lat: f64,
        x: String,
        y: String,
        height: Option<String>,
    },
}

/// Writes a shape (WGS84 longitude/latitude, as the engine holds it) as a GeoJSON geometry in
/// the file's style and coordinate system (`crs`: the file's, `None` for WGS84), to stand as
/// a feature's `geometry` value (its first line follows `"geometry":`, the rest indented for
/// that place).
///
/// With `like`, the geometry it replaces (its JSON text as the file has it):
/// - that geometry's object is kept, with only its `coordinates` written anew, its `type`
///   changed only when a Polygon becomes several parts, and its `bbox` (when it has one)
///   recomputed; other members, their order and spacing stay as written;
/// - every vertex that was in it (found by where the engine reads it, exactly or within
///   [`SAME_VERTEX_DEGREES`]) is written with its original text, heights and further
///   ordinates included;
/// - a new vertex gets a height when the old geometry has heights: interpolated along the ring
///   between the nearest vertices before and after it that have one, in proportion to the
///   distance along the ring (written with as many decimals as those heights); in a ring
///   without any, the height of the nearest old vertex. Further ordinates (M) are not
///   invented;
/// - its rings keep their winding.
///
/// Without it: a Polygon or MultiPolygon as the file writes them, rings wound as the file
/// winds them, and heights only where the file's are all the same ([`Heights::Flat`]).
///
/// New numbers are written with [`Precision::decimals_for`] decimals, so every position reads
/// back within 1 mm of the shape's (through the file's system: the conversion is corrected
/// until reading back lands on the shape).
///
/// ```
/// use std::path::Path;
/// use geo::{MultiPolygon, polygon};
/// use zoneatlas::engine::geojson::Document;
/// use zoneatlas::engine::geojson::style::{FileStyle, write_geometry};
///
/// let text = r#"{"type":"FeatureCollection","features":[
/// {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[106.0,21.0,5],[106.01,21.0,7],[106.01,21.01,9],[106.0,21.0,5]]]}}
/// ]}"#;
/// let doc = Document::parse(Path::new("lots.geojson"), text.into()).unwrap();
/// let style = FileStyle::of(&doc);
/// let old = doc.geometry_json(0).unwrap();
/// // A vertex inserted halfway along the first edge: the others keep their text, the new
/// // one gets the height halfway between its neighbours'.
/// let reshaped = MultiPolygon(vec![polygon![
///     (x: 106.0, y: 21.0), (x: 106.005, y: 21.0), (x: 106.01, y: 21.0),
///     (x: 106.01, y: 21.01), (x: 106.0, y: 21.0),
/// ]]);
/// let written = write_geometry(&reshaped, &style, doc.crs.as_ref(), Some(old));
/// assert_eq!(
///     written,
///     r#"{"type":"Polygon","coordinates":[[[106.0,21.0,5],[106.005,21.0,6],[106.01,21.0,7],[106.01,21.01,9],[106.0,21.0,5]]]}"#
/// );
/// ```
pub fn write_geometry(
    shape: &MultiPolygon<f64>,
    style: &FileStyle,
    crs: Option<&Crs>,
    like: Option<&str>,
) -> String {
    let projected = crs.is_some_and(|c| c.projection != Projection::Geographic);
    let decimals = style.precision.decimals_for(projected);
    let old = like.map(|text| Old::read(text, crs));
    let multi = match old.as_ref().and_then(|o| o.kind) {
        Some(GeometryType::Polygon) => shape.0.len() > 1,
        Some(GeometryType::MultiPolygon) => true,
        _ => style.multi || shape.0.len() > 1,
    };
    // Rings wind as the old geometry's first exterior did, else as the file's do; a ring that
    // was in the old geometry keeps its own winding.
    let clockwise = old
        .as_ref()
        .and_then(|o| o.windings.first().copied().flatten())
        .unwrap_or(style.clockwise);
    let flat = match &style.heights {
        Heights::Flat(text) if old.as_ref().is_none_or(|o| o.positions.is_empty()) => {
            Some(text.as_str())
        }
        _ => None,
    };
    let mut written: Vec<Vec<Vec<Vertex>>> = Vec::with_capacity(shape.0.len());
    for polygon in &shape.0 {
        let rings = std::iter::once((polygon.exterior(), true))
            .chain(polygon.interiors().iter().map(|r| (r, false)));
        written.push(
            rings
                .map(|(ring, exterior)| {
                    let mut coords = wound(ring, exterior != clockwise);
                    if let Some(cw) = old.as_ref().and_then(|o| o.winding_of(&coords)) {
                        coords = wound(ring, !cw);
                    }
                    ring_vertices(&coords, old.as_ref(), crs, style, decimals, flat)
                })
                .collect(),
        );
    }
    let old_text = old.as_ref().map_or("", |o| o.text);
    let position = |v: &Vertex| match v {
        Vertex::Old(i) => Node::Text(
            old.as_ref()
                .and_then(|o| old_text.get(o.positions[*i].text.clone()))
                .unwrap_or("null")
                .to_string(),
        ),
        Vertex::New { x, y, height, .. } => Node::Array(
            Role::Coordinates(0),
            [x, y]
                .into_iter()
                .chain(height.as_ref())
                .map(|n| Node::Text(n.clone()))
                .collect(),
        ),
    };
    let polygons: Vec<Node> = written
        .iter()
        .map(|rings| {
            Node::Array(
                Role::Coordinates(2),
                rings
                    .iter()
                    .map(|ring| {
                        Node::Array(Role::Coordinates(1), ring.iter().map(position).collect())
                    })
                    .collect(),
            )
        })
        .collect();
    let coordinates = if multi {
        Node::Array(Role::Coordinates(3), polygons)
    } else {
        polygons
            .into_iter()
            .next()
            .unwrap_or(Node::Array(Role::Coordinates(2), Vec::new()))
    };
    let kind = if multi { "MultiPolygon" } else { "Polygon" };
    // Written again as the same type, the coordinates keep their own spacing.
    let own;
    let spacing = match &old {
        Some(o) if o.kind.is_some() && o.kind == GeometryType::named(kind) => {
            own = o.own_spacing(style);
            &own
        }
        _ => style,
    };
    // The geometry object's members sit two levels into the feature.
    let mut coordinates_text = String::new();
    spacing.render(&coordinates, 2, &mut coordinates_text);
    if let Some(o) = &old
        && let (Some(c), Some(t), Some(GeometryType::Polygon | GeometryType::MultiPolygon)) =
            (o.coordinates.clone(), o.type_value.clone(), o.kind)
    {
        let mut splices = vec![Splice::new(c, coordinates_text)];
        if o.kind != GeometryType::named(kind) {
            splices.push(Splice::new(t, format!("\"{kind}\"")));
        }
        if let Some(b) = o.bbox.clone()
            && let Some(text) = bbox_text(spacing, o, &written, &o.text[b.clone()])
        {
            splices.push(Splice::new(b, text));
        }
        return splice::apply(o.text, splices);
    }
    let kind_member = (style.string("type"), Node::Text(format!("\"{kind}\"")));
    let coordinates_member = (style.string("coordinates"), Node::Text(coordinates_text));
    let members = if style.geometry_type_first {
        vec![kind_member, coordinates_member]
    } else {
        vec![coordinates_member, kind_member]
    };
    let mut out = String::new();
    style.render(&Node::Object(Role::Geometry, members), 1, &mut out);
    out
}

/// A ring's positions wound counter-clockwise (`ccw`) or clockwise, closed.
fn wound(ring: &LineString<f64>, ccw: bool) -> Vec<Coord<f64>> {
    let mut coords = ring.0.clone();
    if coords.first() != coords.last()
        && let Some(&first) = coords.first()
    {
        coords.push(first);
    }
    let area = ring_signed_area(&coords);
    if area != 0.0 && (area > 0.0) != ccw {
        coords.reverse();
    }
    coords
}

/// The positions of one ring (closed), old texts where the old geometry has the vertex.
fn ring_vertices(
    coords: &[Coord<f64>],
    old: Option<&Old>,
    crs: Option<&Crs>,
    style: &FileStyle,
    decimals: usize,
    flat: Option<&str>,
) -> Vec<Vertex> {
    let mut used: HashSet<usize> = HashSet::new();
    let mut out: Vec<Vertex> = Vec::with_capacity(coords.len());
    for c in coords {
        if let Some(i) = old.and_then(|o| o.find(c.x, c.y, &used)) {
            used.insert(i);
            out.push(Vertex::Old(i));
            continue;
        }
        let (x, y) = to_file(crs, c.x, c.y);
        out.push(Vertex::New {
            lon: c.x,
            lat: c.y,
            x: style.number(x, decimals),
            y: style.number(y, decimals),
            height: flat.map(str::to_string),
        });
    }
    // A closed ring ends on its first position's text when that one is new.
    if out.len() > 1
        && coords.first() == coords.last()
        && let (Some(first @ Vertex::New { .. }), Some(Vertex::New { .. })) =
            (out.first().cloned(), out.last())
        && let Some(last) = out.last_mut()
    {
        *last = first;
    }
    if let Some(o) = old.filter(|o| o.has_heights()) {
        give_heights(&mut out, o);
    }
    out
}

/// Writes a whole Feature in the file's style: `type` `"Feature"`, the id when there is one,
/// the properties in the order given, and `geometry` (a geometry's JSON text, as
/// [`write_geometry`] writes it, or `null`), in the file's member order and spacing. Members
/// the feature lacks are left out (no `id` without one); foreign members are not invented.
///
/// ```
/// use std::path::Path;
/// use serde_json::json;
/// use zoneatlas::engine::geojson::Document;
/// use zoneatlas::engine::geojson::style::{FileStyle, write_feature};
///
/// let text = "{\"type\": \"FeatureCollection\", \"features\": [\n  {\"type\": \"Feature\", \"id\": 1, \"properties\": {\"parcel_id\": \"A-01\"}, \"geometry\": null}\n]}";
/// let doc = Document::parse(Path::new("lots.geojson"), text.into()).unwrap();
/// let style = FileStyle::of(&doc);
/// let feature = write_feature(
///     &style,
///     Some(&json!("A-01-1")),
///     &[("parcel_id".into(), json!("A-01-1")), ("area_ha".into(), json!(1.5))],
///     "null",
/// );
/// assert_eq!(
///     feature,
///     r#"{"type": "Feature", "id": "A-01-1", "properties": {"parcel_id": "A-01-1", "area_ha": 1.5}, "geometry": null}"#
/// );
/// assert_eq!(style.between_features, ",\n  ");
/// ```
pub fn write_feature(
    style: &FileStyle,
    id: Option<&Value>,
    properties: &[(String, Value)],
    geometry: &str,
) -> String {
    let members = style
        .members
        .iter()
        .filter_map(|m| {
            let (name, value) = match m {
                Member::Type => ("type", Node::Text(style.string("Feature"))),
                Member::Id => ("id", style.value(id?)),
                Member::Properties => (
                    "properties",
                    Node::Object(
                        Role::Properties,
                        properties
                            .iter()
                            .map(|(k, v)| (style.string(k), style.value(v)))
                            .collect(),
                    ),
                ),
                Member::Geometry => ("geometry", Node::Text(geometry.to_string())),
            };
            Some((style.string(name), value))
        })
        .collect();
    let mut out = String::new();
    style.render(&Node::Object(Role::Feature, members), 0, &mut out);
    out
}

#[cfg(test)]
mod tests;
