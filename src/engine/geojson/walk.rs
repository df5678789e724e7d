//! The geometry walker: the one reading of a geometry's JSON text.
//!
//! A walk reads a geometry object's `type`, `coordinates`, `geometries` and `bbox` members,
//! goes into GeometryCollections (to [`MAX_NESTING`] deep), and gives each position's first
//! two numbers with their places in the text, as deep in the coordinates as the type says
//! (a Point's coordinates are a position, a Polygon's are rings of positions). What a
//! [`Visitor`] does with them is its own: [`crate::engine::geometry`] builds `geo` polygons
//! from them, [`crate::engine::crs`] converts them (and samples them to tell metres from
//! degrees), export rewrites them and their `bbox` members.
//!
//! Whatever is not where GeoJSON puts it is a [`WalkError`], worded as serde_json words it
//! (`invalid type: string "106.0", expected f64`), which earlier versions printed and users'
//! scripts may look for. The text is JSON checked by serde_json when the file was read; the
//! walker still never trusts it (no panic, no read out of place).

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use super::scan::{self, skip_value, skip_ws};

/// A GeometryCollection inside more collections than this is refused.
pub const MAX_NESTING: usize = 16;

/// The geometry types of RFC 7946 §3.1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GeometryType {
    Point,
    MultiPoint,
    LineString,
    MultiLineString,
    Polygon,
    MultiPolygon,
    GeometryCollection,
}

impl GeometryType {
    const ALL: [GeometryType; 7] = [
        Self::Polygon,
        Self::MultiPolygon,
        Self::GeometryCollection,
        Self::Point,
        Self::MultiPoint,
        Self::LineString,
        Self::MultiLineString,
    ];

    /// The type a `type` member names. Type names are case-sensitive in RFC 7946; "polygon"
    /// is read as "Polygon", as the top-level "featurecollection" and a feature's "feature"
    /// are (README: what ZoneAtlas accepts).
    pub fn named(name: &str) -> Option<GeometryType> {
        Self::ALL
            .into_iter()
            .find(|k| k.name() == name)
            .or_else(|| {
                Self::ALL
                    .into_iter()
                    .find(|k| k.name().eq_ignore_ascii_case(name))
            })
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Point => "Point",
            Self::MultiPoint => "MultiPoint",
            Self::LineString => "LineString",
            Self::MultiLineString => "MultiLineString",
            Self::Polygon => "Polygon",
            Self::MultiPolygon => "MultiPolygon",
            Self::GeometryCollection => "GeometryCollection",
        }
    }

    /// How many arrays deep the positions lie in the coordinates (0: the coordinates are a
    /// position). `None` for a collection, which has members instead.
    pub fn depth(self) -> Option<usize> {
        match self {
            Self::Point => Some(0),
            Self::MultiPoint | Self::LineString => Some(1),
            Self::MultiLineString | Self::Polygon => Some(2),
            Self::MultiPolygon => Some(3),
            Self::GeometryCollection => None,
        }
    }
}

/// A geometry object's members, as byte ranges of the walked text.
#[derive(Clone, Debug)]
pub struct GeometryObject {
    pub kind: GeometryType,
    /// The whole object.
    pub whole: Range<usize>,
    /// The `coordinates` value; `None` when absent or `null`.
    pub coordinates: Option<Range<usize>>,
    /// The `geometries` value; `None` when absent or `null`.
    pub geometries: Option<Range<usize>>,
    /// The `bbox` value, when there is exactly one.
    pub bbox: Option<Range<usize>>,
}

/// A position: its first two numbers, and where they are in the walked text. (Heights and
/// further numbers are left in the text.)
#[derive(Clone, Debug, PartialEq)]
pub struct Position {
    pub x: f64,
    pub y: f64,
    pub x_at: Range<usize>,
    pub y_at: Range<usize>,
}

/// What a walk tells its visitor, in text order.
pub trait Visitor {
    /// A geometry object of this type begins, inside `nesting` collections (a collection
    /// before its members). Returning `false` skips its coordinates (a collection's members
    /// are walked all the same).
    fn geometry(&mut self, kind: GeometryType, nesting: usize) -> Result<bool, WalkError> {
        let _ = (kind, nesting);
        Ok(true)
    }

    /// The geometry object begun last is done: all its members.
    fn end(&mut self, g: &GeometryObject) -> Result<(), WalkError> {
        let _ = g;
        Ok(())
    }

    /// An array of the coordinates opens, `level` arrays deep (0: the coordinates value).
    fn open(&mut self, level: usize) {
        let _ = level;
    }

    /// The array opened last at `level` closes.
    fn close(&mut self, level: usize) {
        let _ = level;
    }

    /// The next position.
    fn position(&mut self, p: Position) -> Result<(), WalkError>;
}

/// What is not where GeoJSON puts it (or what a visitor refused).
#[derive(Clone, Debug, PartialEq)]
pub enum WalkError {
    /// The geometry is not an object: what it is instead (serde's words).
    NotAnObject(String),
    MissingType,
    /// A member written twice.
    Repeated(&'static str),
    /// `type` is not a string: what it is instead.
    TypeNotAString(String),
    UnknownType(String),
    TooDeep,
    /// `geometries` is not an array: what it is instead.
    GeometriesNotAnArray(String),
    /// The coordinates of a geometry of this type are not as it needs: the words.
    Coordinates(GeometryType, String),
    /// A visitor's own reason to stop.
    Refused(String),
}

impl fmt::Display for WalkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAnObject(what) => {
                write!(f, "invalid type: {what}, expected a geometry object")
            }
            Self::MissingType => f.write_str("missing field `type`"),
            Self::Repeated(name) => write!(f, "duplicate field `{name}`"),
            Self::TypeNotAString(what) => write!(f, "invalid type: {what}, expected a string"),
            Self::UnknownType(name) => write!(f, "unknown geometry type \"{name}\""),
            Self::TooDeep => f.write_str("GeometryCollection nested too deeply"),
            Self::GeometriesNotAnArray(what) => {
                write!(f, "invalid type: {what}, expected a sequence")
            }
            Self::Coordinates(kind, why) => write!(f, "{} coordinates: {why}", kind.name()),
            Self::Refused(why) => f.write_str(why),
        }
    }
}

/// Walks the geometry that is `text` (whitespace around it allowed).
pub fn walk(text: &str, visitor: &mut impl Visitor) -> Result<(), WalkError> {
    let start = skip_ws(text.as_bytes(), 0);
    geometry_at(text, start, 0, Some(visitor)).map(|_| ())
}

/// The members of the geometry object that is `text`, without walking it.
pub fn object(text: &str) -> Result<GeometryObject, WalkError> {
    geometry_at(text, skip_ws(text.as_bytes(), 0), 0, None::<&mut NoVisitor>)
}

/// Walks nothing: for [`object`].
struct NoVisitor;

impl Visitor for NoVisitor {
    fn position(&mut self, _: Position) -> Result<(), WalkError> {
        Ok(())
    }
}

/// Reads the geometry object at `start` and, with a visitor, walks it: in one pass when the
/// type comes before the coordinates or members (as it nearly always does), otherwise once
/// the whole object is read. A mistake in the object itself (no type, a repeated member) is
/// reported before one in its coordinates, wherever they are.
fn geometry_at<V: Visitor>(
    text: &str,
    start: usize,
    nesting: usize,
    mut visitor: Option<&mut V>,
) -> Result<GeometryObject, WalkError> {
    let b = text.as_bytes();
    if b.get(start) != Some(&b'{') {
        let end = skip_value(b, start).unwrap_or(b.len()).max(start);
        return Err(WalkError::NotAnObject(unexpected(
            text.get(start..end).unwrap_or(""),
        )));
    }
    let mut kind: Option<GeometryType> = None;
    // Whether the visitor wants the coordinates (asked once the type is known).
    let mut wanted = false;
    let (mut coordinates, mut geometries, mut bbox) = (None, None, None);
    let (mut seen_coordinates, mut seen_geometries, mut bboxes) = (false, false, 0);
    let (mut walked_coordinates, mut walked_geometries) = (false, false);
    // A mistake of the object (stops the scan), and the first of its contents.
    let (mut failed, mut inner) = (None, None);
    let end = scan::object(text, start, |key, at| {
        let present = |end: usize| (&text[at..end] != "null").then_some(at..end);
        if key.is("type") {
            let end = skip_value(b, at)?;
            let named = if kind.is_some() {
                Err(WalkError::Repeated("type"))
            } else {
                type_named(&text[at..end])
            };
            match named {
                Ok(k) => {
                    kind = Some(k);
                    if let Some(v) = visitor.as_deref_mut() {
                        match v.geometry(k, nesting) {
                            Ok(w) => wanted = w,
                            Err(e) => {
                                failed = Some(e);
                                return None;
                            }
                        }
                    }
                    Some(end)
                }
                Err(e) => {
                    failed = Some(e);
                    None
                }
            }
        } else if key.is("coordinates") || key.is("geometries") {
            let is_coordinates = key.is("coordinates");
            let seen = if is_coordinates {
                &mut seen_coordinates
            } else {
                &mut seen_geometries
            };
            if *seen {
                failed = Some(WalkError::Repeated(if is_coordinates {
                    "coordinates"
                } else {
                    "geometries"
                }));
                return None;
            }
            *seen = true;
            // Walked here when the type is known; read again after the object otherwise.
            let walked = match (kind, visitor.as_deref_mut()) {
                (Some(k), Some(v)) if b.get(at) != Some(&b'n') => {
                    let depth = k.depth();
                    if is_coordinates && depth.is_some() && wanted {
                        walked_coordinates = true;
                        Some(walk_coordinates(text, at, k, v))
                    } else if !is_coordinates && depth.is_none() {
                        walked_geometries = true;
                        Some(walk_members(text, at, nesting, v))
                    } else {
                        None
                    }
                }
                _ => None,
            };
            let end = match walked {
                Some(Ok(end)) => end,
                Some(Err(e)) => {
                    inner.get_or_insert(e);
                    skip_value(b, at)?
                }
                None => skip_value(b, at)?,
            };
            if is_coordinates {
                coordinates = present(end);
            } else {
                geometries = present(end);
            }
            Some(end)
        } else {
            let end = skip_value(b, at)?;
            if key.is("bbox") {
                bboxes += 1;
                bbox = Some(at..end);
            }
            Some(end)
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    let Some(end) = end else {
        return Err(WalkError::NotAnObject("a broken object".into()));
    };
    let kind = kind.ok_or(WalkError::MissingType)?;
    if let Some(e) = inner {
        return Err(e);
    }
    let g = GeometryObject {
        kind,
        whole: start..end,
        coordinates,
        geometries,
        bbox: bbox.filter(|_| bboxes == 1),
    };
    let Some(v) = visitor else {
        return Ok(g);
    };
    if kind.depth().is_none() && nesting > MAX_NESTING {
        return Err(WalkError::TooDeep);
    }
    // The type came after them: walked now.
    if let (Some(c), false, true, Some(_)) = (
        g.coordinates.clone(),
        walked_coordinates,
        wanted,
        kind.depth(),
    ) {
        walk_coordinates(text, c.start, kind, v)?;
    }
    if let (Some(list), false, None) = (g.geometries.clone(), walked_geometries, kind.depth()) {
        walk_members(text, list.start, nesting, v)?;
    }
    v.end(&g)?;
    Ok(g)
}

/// Walks the coordinates at `at` of a geometry of type `kind`; returns their end.
fn walk_coordinates(
    text: &str,
    at: usize,
    kind: GeometryType,
    visitor: &mut impl Visitor,
) -> Result<usize, WalkError> {
    let depth = kind.depth().unwrap_or(0);
    coordinates_at(text, at, 0, depth, visitor).map_err(|why| match why {
        Stop::Words(w) => WalkError::Coordinates(kind, w),
        Stop::Visitor(e) => e,
    })
}

/// Walks a collection's members, the array at `at`; returns its end.
fn walk_members(
    text: &str,
    at: usize,
    nesting: usize,
    visitor: &mut impl Visitor,
) -> Result<usize, WalkError> {
    let b = text.as_bytes();
    if b.get(at) != Some(&b'[') {
        let end = skip_value(b, at).unwrap_or(b.len()).max(at);
        return Err(WalkError::GeometriesNotAnArray(unexpected(&text[at..end])));
    }
    if nesting > MAX_NESTING {
        return Err(WalkError::TooDeep);
    }
    let mut failed = None;
    let end = scan::array(text, at, |start| {
        match geometry_at(text, start, nesting + 1, Some(&mut *visitor)) {
            Ok(g) => Some(g.whole.end),
            Err(e) => {
                failed = Some(e);
                None
            }
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    end.ok_or_else(|| WalkError::NotAnObject("a broken array".into()))
}

fn type_named(value: &str) -> Result<GeometryType, WalkError> {
    let name: Cow<str> = match value.as_bytes().first() {
        Some(b'"') => {
            let escaped = value.contains('\\');
            scan::string_text(value, escaped)
                .ok_or_else(|| WalkError::TypeNotAString(unexpected(value)))?
        }
        _ => return Err(WalkError::TypeNotAString(unexpected(value))),
    };
    GeometryType::named(&name).ok_or_else(|| WalkError::UnknownType(name.into_owned()))
}

/// Why walking coordinates stopped: their words, or the visitor's error.
enum Stop {
    Words(String),
    Visitor(WalkError),
}

/// What a level of the coordinates must be, in serde's words.
const ARRAY: &str = "an array";
const POSITION: &str = "a position [longitude, latitude] of numbers";

/// Walks the coordinates value at `at`, `level` arrays deep, positions at `depth`.
fn coordinates_at(
    text: &str,
    at: usize,
    level: usize,
    depth: usize,
    visitor: &mut impl Visitor,
) -> Result<usize, Stop> {
    let b = text.as_bytes();
    let expected = if level == depth { POSITION } else { ARRAY };
    if b.get(at) != Some(&b'[') {
        let end = skip_value(b, at).unwrap_or(b.len()).max(at);
        return Err(Stop::Words(format!(
            "invalid type: {}, expected {expected}",
            unexpected(&text[at..end])
        )));
    }
    let mut failed = None;
    if level == depth {
        // The first two elements, read as numbers; the rest stepped over.
        let mut numbers = [(0.0, 0..0), (0.0, 0..0)];
        let mut count = 0;
        let end = scan::array(text, at, |start| {
            if count >= 2 {
                count += 1;
                return skip_value(b, start);
            }
            let read = match decimal(b, start) {
                Some((x, end)) => Ok((x, end)),
                None => {
                    let end = match b[start] {
                        b'-' | b'0'..=b'9' => scan::number_end(b, start),
                        _ => skip_value(b, start)?,
                    };
                    number(&text[start..end]).map(|x| (x, end))
                }
            };
            match read {
                Ok((x, end)) => {
                    numbers[count] = (x, start..end);
                    count += 1;
                    Some(end)
                }
                Err(w) => {
                    failed = Some(Stop::Words(w));
                    None
                }
            }
        });
        if let Some(e) = failed {
            return Err(e);
        }
        let end = end.ok_or_else(|| Stop::Words("broken JSON".into()))?;
        if count < 2 {
            return Err(Stop::Words(format!(
                "invalid length {count}, expected {POSITION}"
            )));
        }
        let [(x, x_at), (y, y_at)] = numbers;
        visitor
            .position(Position { x, y, x_at, y_at })
            .map_err(Stop::Visitor)?;
        return Ok(end);
    }
    visitor.open(level);
    let end = scan::array(text, at, |start| {
        match coordinates_at(text, start, level + 1, depth, visitor) {
            Ok(end) => Some(end),
            Err(e) => {
                failed = Some(e);
                None
            }
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    let end = end.ok_or_else(|| Stop::Words("broken JSON".into()))?;
    visitor.close(level);
    Ok(end)
}

/// The plain decimal at `i` (`-105.932410254387`: no exponent, under 20 digits) and its
/// end, read in one pass; `None` for any other number, which [`number`] reads. The digits make
/// an integer below 2^53 and the divisor a power of ten below 10^23, both exact in an f64, so
/// the one division is correctly rounded: the same value as `str::parse` (Clinger's fast path).
#[inline]
fn decimal(b: &[u8], i: usize) -> Option<(f64, usize)> {
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let negative = b.get(i) == Some(&b'-');
    let mut j = i + usize::from(negative);
    let (mut mantissa, mut digits, mut decimals) = (0u64, 0usize, 0usize);
    let mut point = false;
    while let Some(&c) = b.get(j) {
        match c {
            b'0'..=b'9' => {
                if digits == 19 {
                    return None;
                }
                mantissa = mantissa * 10 + u64::from(c - b'0');
                digits += 1;
                decimals += usize::from(point);
            }
            b'.' if !point && digits > 0 => point = true,
            b'e' | b'E' | b'.' | b'+' | b'-' => return None,
            _ => break,
        }
        j += 1;
    }
    if digits == 0 || (point && decimals == 0) || mantissa >= 1 << 53 {
        return None;
    }
    let x = mantissa as f64 / *POW10.get(decimals)?;
    Some((if negative { -x } else { x }, j))
}

/// A JSON number's value, or why it is none (serde's words). Numbers too large for an f64
/// are refused as serde_json refuses them.
fn number(json: &str) -> Result<f64, String> {
    let numeric = json.starts_with(|c: char| c == '-' || c.is_ascii_digit());
    match json.parse::<f64>() {
        Ok(x) if numeric && x.is_finite() => Ok(x),
        Ok(_) if numeric => Err("number out of range".into()),
        _ => Err(format!("invalid type: {}, expected f64", unexpected(json))),
    }
}

/// What a JSON value is, as serde words an unexpected one: `string "x"`, `integer `5``,
/// `floating point `1.5``, `boolean `true``, `null`, `sequence`, `map`.
pub fn unexpected(json: &str) -> String {
    let json = json.trim();
    match json.as_bytes().first() {
        Some(b'"') => match serde_json::from_str::<String>(json) {
            Ok(s) => format!("string {s:?}"),
            Err(_) => "string".into(),
        },
        Some(b'[') => "sequence".into(),
        Some(b'{') => "map".into(),
        Some(b'n') => "null".into(),
        Some(b't') => "boolean `true`".into(),
        Some(b'f') => "boolean `false`".into(),
        _ => match serde_json::from_str::<serde_json::Number>(json) {
            Ok(n) if n.is_f64() => {
                let x = n.as_f64().unwrap_or(f64::NAN);
                if x.fract() == 0.0 && x.is_finite() {
                    format!("floating point `{x:.1}`")
                } else {
                    format!("floating point `{x}`")
                }
            }
            Ok(n) => format!("integer `{n}`"),
            Err(_) => format!("`{json}`"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Everything a walk tells, as text.
    #[derive(Default)]
    struct Record(Vec<String>);

    impl Visitor for Record {
        fn geometry(&mut self, kind: GeometryType, nesting: usize) -> Result<bool, WalkError> {
            self.0.push(format!("{}@{nesting}", kind.name()));
            Ok(true)
        }
        fn end(&mut self, g: &GeometryObject) -> Result<(), WalkError> {
            self.0.push(format!("/{}", g.kind.name()));
            Ok(())
        }
        fn open(&mut self, level: usize) {
            self.0.push(format!("[{level}"));
        }
        fn close(&mut self, level: usize) {
            self.0.push(format!("]{level}"));
        }
        fn position(&mut self, p: Position) -> Result<(), WalkError> {
            self.0.push(format!("{},{}", p.x, p.y));
            Ok(())
        }
    }

    fn record(text: &str) -> Result<String, String> {
        let mut r = Record::default();
        walk(text, &mut r).map_err(|e| e.to_string())?;
        Ok(r.0.join(" "))
    }

    #[test]
    fn positions_come_as_deep_as_the_type_says() {
        assert_eq!(
            record(r#"{"type":"Point","coordinates":[1,2,3]}"#).as_deref(),
            Ok("Point@0 1,2 /Point")
        );
        assert_eq!(
            record(r#"{"coordinates":[[[0,0],[1,0.5e1,9],[0,0]],[]],"type":"polygon"}"#).as_deref(),
            Ok("Polygon@0 [0 [1 0,0 1,5 0,0 ]1 [1 ]1 ]0 /Polygon")
        );
        assert_eq!(
            record(
                r#"{"type":"GeometryCollection","geometries":[{"type":"LineString","coordinates":[[1,2],[3,4]]},
                {"type":"GeometryCollection","geometries":null}]}"#
            )
            .as_deref(),
            Ok(
                "GeometryCollection@0 LineString@1 [0 1,2 3,4 ]0 /LineString GeometryCollection@1 /GeometryCollection /GeometryCollection"
            )
        );
        // Places: each number's own bytes.
        let text = r#"{"type":"Point","coordinates":[ 105.5 , -21e0 ]}"#;
        struct At(Vec<String>);
        impl Visitor for At {
            fn position(&mut self, p: Position) -> Result<(), WalkError> {
                self.0.push(format!("{:?} {:?}", p.x_at, p.y_at));
                Ok(())
            }
        }
        let mut at = At(Vec::new());
        walk(text, &mut at).expect("walks");
        assert_eq!(&text[32..37], "105.5");
        assert_eq!(at.0, ["32..37 40..45"]);
    }

    /// The words serde_json used to give for the same mistakes.
    #[test]
    fn mistakes_are_worded_as_serde_words_them() {
        let cases = [
            (
                r#"{"type":"Polygon","coordinates":[[["106.0",21]]]}"#,
                r#"Polygon coordinates: invalid type: string "106.0", expected f64"#,
            ),
            (
                r#"{"type":"Polygon","coordinates":[[[106,null]]]}"#,
                "Polygon coordinates: invalid type: null, expected f64",
            ),
            (
                r#"{"type":"Polygon","coordinates":[[[106]]]}"#,
                "Polygon coordinates: invalid length 1, expected a position [longitude, latitude] of numbers",
            ),
            (
                r#"{"type":"Polygon","coordinates":[[7]]}"#,
                "Polygon coordinates: invalid type: integer `7`, expected a position [longitude, latitude] of numbers",
            ),
            (
                r#"{"type":"MultiPolygon","coordinates":"[]"}"#,
                r#"MultiPolygon coordinates: invalid type: string "[]", expected an array"#,
            ),
            (
                r#"{"type":"Polygon","coordinates":[[[1.5,true]]]}"#,
                "Polygon coordinates: invalid type: boolean `true`, expected f64",
            ),
            (r#"{"coordinates":[]}"#, "missing field `type`"),
            (
                r#"{"type":"Polygon","type":"Polygon"}"#,
                "duplicate field `type`",
            ),
            (
                r#"{"type":5}"#,
                "invalid type: integer `5`, expected a string",
            ),
            (r#"{"type":"Polgon"}"#, r#"unknown geometry type "Polgon""#),
            (
                r#"{"type":"GeometryCollection","geometries":{}}"#,
                "invalid type: map, expected a sequence",
            ),
            (
                "[1,2]",
                "invalid type: sequence, expected a geometry object",
            ),
            (
                r#"{"type":"GeometryCollection","geometries":[42]}"#,
                "invalid type: integer `42`, expected a geometry object",
            ),
            (
                r#"{"type":"Point","coordinates":[1e999,0]}"#,
                "Point coordinates: number out of range",
            ),
        ];
        for (text, words) in cases {
            assert_eq!(record(text), Err(words.to_string()), "{text}");
        }
        let deep = format!(
            "{}{{\"type\":\"Point\",\"coordinates\":[0,0]}}{}",
            r#"{"type":"GeometryCollection","geometries":["#.repeat(MAX_NESTING + 2),
            "]}".repeat(MAX_NESTING + 2)
        );
        assert_eq!(
            record(&deep),
            Err("GeometryCollection nested too deeply".into())
        );
        assert_eq!(unexpected("1.5"), "floating point `1.5`");
        assert_eq!(unexpected("-2"), "integer `-2`");
        assert_eq!(unexpected("1e3"), "floating point `1000.0`");
    }

    /// The one-pass reading of plain decimals gives exactly what `str::parse` gives.
    #[test]
    fn plain_decimals_read_as_parse_reads_them() {
        let mut cases: Vec<String> = [
            "0",
            "-0",
            "105.932410254387",
            "-20.9421224978151",
            "1.830",
            "9007199254740991",
            "9007199254740993",
            "0.1",
            "123456789012345678",
            "1e5",
            "1.",
            "-",
            "12345.6789e-3",
            "0.000000000000000000001",
            "3.14159265358979323846",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut seed = 7u64;
        for _ in 0..20_000 {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let whole = (seed >> 40) % 400;
            let digits = (seed >> 8) % 10_u64.pow((seed % 16) as u32);
            cases.push(format!("{whole}.{digits:0w$}", w = (seed % 16) as usize));
        }
        for c in &cases {
            let text = format!("{c},");
            match decimal(text.as_bytes(), 0) {
                Some((x, end)) => {
                    assert_eq!(end, c.len(), "{c}");
                    assert_eq!(
                        x.to_bits(),
                        c.parse::<f64>().expect("a number").to_bits(),
                        "{c}"
                    );
                }
                None => {
                    let digits = c.replace(['.', '-'], "");
                    assert!(
                        c.contains(['e', 'E'])
                            || c.ends_with(['.', '-'])
                            || digits.len() > 19
                            || digits.parse::<u64>().map_or(true, |m| m >= 1 << 53),
                        "{c} left to the general reading"
                    )
                }
            }
        }
    }

    #[test]
    fn objects_give_their_members() {
        let text = r#"{"type":"Polygon","bbox":[0,0,1,1],"coordinates":null,"bbox2":1}"#;
        let g = object(text).expect("an object");
        assert_eq!(g.kind, GeometryType::Polygon);
        assert_eq!(g.coordinates, None, "null is no coordinates");
        assert_eq!(g.bbox.map(|r| &text[r]), Some("[0,0,1,1]"));
        assert_eq!(g.whole, 0..text.len());
        let two = object(r#"{"type":"Point","bbox":[0,0,1,1],"bbox":[0,0,1,1]}"#);
        assert_eq!(two.map(|g| g.bbox), Ok(None), "two bboxes are none");
    }
}
