//! AutoCAD DXF (ASCII), as design institutes exchange their drawings: each closed polyline
//! (`LWPOLYLINE`, `POLYLINE`) and each `HATCH` a feature; `TEXT`/`MTEXT` inside it and its layer
//! its properties.
//!
//! Read here from the group codes (code line, value line) rather than through a crate: the
//! maintained `dxf` crate does not read hatches, which carry many boards' lots.
//!
//! - **Polygons.** A closed `LWPOLYLINE` or 2-D `POLYLINE` (or an open one whose last vertex is
//!   its first, to the millimetre) is a ring; a ring inside another ring of the same layer is
//!   its hole, a ring inside that hole a polygon of its own again (even depth: outer). A `HATCH`
//!   is one feature: its boundary loops (polyline paths, and edge paths of lines, circular and
//!   elliptic arcs and splines) nested the same way, a loop inside another its hole. A hatch
//!   whose outline is a closed polyline already read (the same area and extent, to the
//!   millimetre: an associative hatch filling its boundary) is not read a second time.
//! - **Curves.** Bulges, arcs and ellipses are approximated by chords whose distance to the
//!   curve is at most 5 cm ([`TOLERANCE_M`]); splines (hatch edges, spline-fit polylines' fit
//!   vertices) are evaluated from their knots and control points, finely enough for the same.
//! - **Properties.** `layer` (the entity's layer), `handle` (its handle, to find it in CAD),
//!   `text`: the `TEXT` and `MTEXT` whose insertion point lies inside the polygon (not in a
//!   hole), in file order, joined with `"; "`, and `label`: that text when exactly one lies
//!   inside. MTEXT formatting codes are taken out (`\P` becomes a space, stacked fractions
//!   `a/b`), `%%d` `%%p` `%%c` become `°` `±` `⌀`, `\U+XXXX` the character it names; all NFC.
//! - **Text encoding.** AutoCAD 2007 and later (`$ACADVER` AC1021 on) write UTF-8. Older files
//!   are in the code page `$DWGCODEPAGE` names (`ANSI_1258` Vietnamese, `ANSI_1252`…); an older
//!   file without one is read as UTF-8 when it is valid UTF-8, else as Windows-1258.
//! - **Units.** The numbers are taken as metres of the system named by `--source-crs` (or the
//!   app's chooser); a DXF names none. `$INSUNITS` saying millimetres, centimetres, feet…
//!   scales them — unless the numbers read as metres lie in Vietnam and scaled they do not
//!   (AutoCAD's metric template says millimetres in drawings made in metres).
//! - **Left out, and counted:** open polylines, lines, arcs, circles, points, block
//!   references, 3-D meshes and entities of a paper-space layout. The collection names what
//!   was left out in a member `dxf_skipped` (`{"LINE": 12, "open LWPOLYLINE": 3}`). A drawing
//!   without a single polygon is refused.
//! - **For a reference layer** ([`FeatureSource::read_reference_geojson`]) a drawing's roads,
//!   drains and cables are what matter: open polylines, lines, arcs and circles are read as
//!   LineStrings too, points and block references (a well, a manhole: `block` names it) as
//!   Points, each with its `layer` and `handle`; only a drawing with none of these is refused.
//!
//! Binary DXF is refused in words (save it as ASCII DXF).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1258};
use geo::{Area, BoundingRect, Contains, Coord, LineString, Polygon, Rect};
use rstar::{AABB, RTree, primitives::GeomWithData};
use unicode_normalization::UnicodeNormalization;

use super::{FeatureSource, SourceProblem, read_file};
use crate::engine::crs::{Crs, Projection};
use crate::engine::geojson::LoadError;

pub struct Dxf;

/// The largest distance between a curve and the chords that stand for it, in metres.
pub const TOLERANCE_M: f64 = 0.05;

/// Why a DXF cannot be read.
#[derive(Debug, Clone, PartialEq)]
pub enum DxfProblem {
    /// A binary DXF (not read: ASCII DXF is).
    Binary,
    /// The line is not a group code (a whole number).
    GroupCode { line: usize },
    /// The value of group `code` on `line` is not a number.
    Number { line: usize, code: i32 },
    /// The file ends between a group code and its value.
    CutShort { line: usize },
    /// A hatch's boundary that cannot be read: the entity's `handle`, from `line`.
    Boundary { line: usize, handle: Option<String> },
    /// No closed polyline and no hatch; `skipped`: what the drawing holds instead.
    NoPolygons { skipped: Vec<(String, usize)> },
    /// A DXF names no coordinate system: one must be given.
    NoSystem,
}

impl FeatureSource for Dxf {
    const EXTENSIONS: &'static [&'static str] = &["dxf"];

    fn read_geojson(path: &Path, assumed: Option<Crs>) -> Result<String, LoadError> {
        let fail = |p| super::error(path, SourceProblem::Dxf(p));
        let bytes = read_file(path)?;
        let drawing = read(&bytes).map_err(fail)?;
        if drawing.shapes.is_empty() {
            return Err(fail(DxfProblem::NoPolygons {
                skipped: drawing.skipped.into_iter().collect(),
            }));
        }
        let crs = assumed.ok_or_else(|| fail(DxfProblem::NoSystem))?;
        Ok(to_geojson(drawing, &crs, false))
    }

    fn read_reference_geojson(path: &Path, assumed: Option<Crs>) -> Result<String, LoadError> {
        let fail = |p| super::error(path, SourceProblem::Dxf(p));
        let bytes = read_file(path)?;
        let drawing = read(&bytes).map_err(fail)?;
        if drawing.shapes.is_empty() && drawing.strokes.is_empty() {
            return Err(fail(DxfProblem::NoPolygons {
                skipped: drawing.skipped.into_iter().collect(),
            }));
        }
        let crs = assumed.ok_or_else(|| fail(DxfProblem::NoSystem))?;
        Ok(to_geojson(drawing, &crs, true))
    }
}

// ---------------------------------------------------------------------------------------
// Group codes

/// One group: its code, its value's bytes (without the line end) and the code's line.
#[derive(Clone, Copy)]
struct Pair<'a> {
    code: i32,
    value: &'a [u8],
    line: usize,
}

impl Pair<'_> {
    fn num(&self) -> Result<f64, DxfProblem> {
        std::str::from_utf8(self.value)
            .ok()
            .and_then(|s| s.trim().parse::<f64>().ok())
            .filter(|v| v.is_finite())
            .ok_or(DxfProblem::Number {
                line: self.line + 1,
                code: self.code,
            })
    }

    fn int(&self) -> Result<i64, DxfProblem> {
        let v = self.num()?;
        Ok(v as i64)
    }

    fn is(&self, code: i32, value: &str) -> bool {
        self.code == code
            && self
                .value
                .trim_ascii()
                .eq_ignore_ascii_case(value.as_bytes())
    }
}

const BINARY_SENTINEL: &[u8] = b"AutoCAD Binary DXF";

fn pairs(bytes: &[u8]) -> Result<Vec<Pair<'_>>, DxfProblem> {
    if bytes.starts_with(BINARY_SENTINEL) {
        return Err(DxfProblem::Binary);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // Blank lines at the end are no group.
    let bytes = bytes.trim_ascii_end();
    let mut lines = bytes
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let mut out = Vec::new();
    let mut n = 0;
    while let Some(code) = lines.next() {
        n += 1;
        let trimmed = code.trim_ascii();
        let code: i32 = std::str::from_utf8(trimmed)
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or(DxfProblem::GroupCode { line: n })?;
        let value = lines.next().ok_or(DxfProblem::CutShort { line: n })?;
        out.push(Pair {
            code,
            value,
            line: n,
        });
        n += 1;
        if code == 0 && value.trim_ascii() == b"EOF" {
            break;
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// The drawing

type P2 = [f64; 2];

/// An object coordinate system's x and y axes, in world coordinates.
type Axes = ([f64; 3], [f64; 3]);

/// A boundary loop as drawn.
#[derive(Clone, Debug)]
enum Loop {
    /// Vertices, each with the bulge of the segment to the next (closing back to the first).
    Polyline(Vec<(P2, f64)>),
    /// Edges, end to end.
    Edges(Vec<Edge>),
}

#[derive(Clone, Debug)]
enum Edge {
    Line(P2, P2),
    /// Centre, radius, start and end angles (degrees), counter-clockwise.
    Arc(P2, f64, f64, f64, bool),
    /// Centre, major axis end (from the centre), minor/major ratio, start and end
    /// parameters (degrees), counter-clockwise.
    Ellipse(P2, P2, f64, f64, f64, bool),
    /// Degree, knots, control points, weights.
    Spline(usize, Vec<f64>, Vec<P2>, Vec<f64>),
}

/// A polygon source: a closed polyline (one loop) or a hatch (its loops).
struct Shape {
    hatch: bool,
    layer: String,
    handle: Option<String>,
    loops: Vec<Loop>,
    /// The object coordinate system: its x and y axes in the world, when not the world's.
    ocs: Option<Axes>,
}

struct Text {
    at: P2,
    text: String,
}

/// What a reference layer reads beyond areas (and zones leave out).
struct Stroke {
    layer: String,
    handle: Option<String>,
    /// The block a block reference inserts.
    block: Option<String>,
    shape: StrokeShape,
    ocs: Option<Axes>,
}

enum StrokeShape {
    /// Vertices, each with the bulge of the segment to the next (a LINE: two, no bulge).
    Polyline(Vec<(P2, f64)>),
    /// Centre, radius, start and end angles (degrees, counter-clockwise; a circle: 0 to 0).
    Arc(P2, f64, f64, f64),
    Point(P2),
}

struct Drawing {
    shapes: Vec<Shape>,
    texts: Vec<Text>,
    strokes: Vec<Stroke>,
    /// What was left out, by kind.
    skipped: BTreeMap<String, usize>,
    /// Drawing units in metres, as `$INSUNITS` says (1 when it says nothing or metres).
    unit_m: f64,
}

fn read(bytes: &[u8]) -> Result<Drawing, DxfProblem> {
    let pairs = pairs(bytes)?;
    // Sections: HEADER first, then ENTITIES.
    let mut version = String::new();
    let mut codepage = None;
    let mut insunits = 0i64;
    let mut k = 0;
    let mut entities: &[Pair] = &[];
    while k < pairs.len() {
        if pairs[k].is(0, "SECTION") && k + 1 < pairs.len() && pairs[k + 1].code == 2 {
            let name = pairs[k + 1].value.trim_ascii().to_ascii_uppercase();
            let start = k + 2;
            let mut end = start;
            while end < pairs.len() && !pairs[end].is(0, "ENDSEC") {
                end += 1;
            }
            let body = &pairs[start..end];
            match name.as_slice() {
                b"HEADER" => {
                    for (j, p) in body.iter().enumerate() {
                        let next = body.get(j + 1);
                        if p.is(9, "$ACADVER") {
                            version = next
                                .map(|n| String::from_utf8_lossy(n.value).trim().to_string())
                                .unwrap_or_default();
                        } else if p.is(9, "$DWGCODEPAGE") {
                            codepage =
                                next.map(|n| String::from_utf8_lossy(n.value).trim().to_string());
                        } else if p.is(9, "$INSUNITS") {
                            insunits = next.map(|n| n.int()).transpose()?.unwrap_or(0);
                        }
                    }
                }
                b"ENTITIES" => entities = body,
                _ => {}
            }
            k = end + 1;
        } else {
            k += 1;
        }
    }
    // A file of entities alone (no sections) is read as such.
    if entities.is_empty() && !pairs.iter().any(|p| p.is(0, "SECTION")) {
        entities = &pairs;
    }
    let encoding = encoding_of(&version, codepage.as_deref(), bytes);
    let decode = |v: &[u8]| -> String {
        let (s, _, _) = encoding.decode(v);
        s.into_owned()
    };

    let mut drawing = Drawing {
        shapes: Vec::new(),
        texts: Vec::new(),
        strokes: Vec::new(),
        skipped: BTreeMap::new(),
        unit_m: unit_metres(insunits),
    };
    let skip = |kind: &str, d: &mut BTreeMap<String, usize>| {
        *d.entry(kind.to_string()).or_insert(0) += 1;
    };
    // Entities: each from its `0` group to the next.
    let starts: Vec<usize> = entities
        .iter()
        .enumerate()
        .filter(|(_, p)| p.code == 0)
        .map(|(j, _)| j)
        .collect();
    let mut e = 0;
    while e < starts.len() {
        let from = starts[e];
        let to = starts.get(e + 1).copied().unwrap_or(entities.len());
        let ent = &entities[from..to];
        e += 1;
        let kind = String::from_utf8_lossy(ent[0].value.trim_ascii()).to_ascii_uppercase();
        let first = |code: i32| ent.iter().find(|p| p.code == code);
        let paper = first(67).map(|p| p.int()).transpose()?.unwrap_or(0) == 1;
        let layer = first(8).map(|p| nfc(&decode(p.value))).unwrap_or_default();
        let handle = first(5).map(|p| String::from_utf8_lossy(p.value).trim().to_string());
        let ocs = extrusion(ent)?;
        // A POLYLINE's vertices follow it, up to its SEQEND.
        let mut vertices: Vec<&[Pair]> = Vec::new();
        if kind == "POLYLINE" {
            while e < starts.len() {
                let vf = starts[e];
                let vt = starts.get(e + 1).copied().unwrap_or(entities.len());
                let v = &entities[vf..vt];
                if v[0].is(0, "VERTEX") {
                    vertices.push(v);
                    e += 1;
                } else {
                    if v[0].is(0, "SEQEND") {
                        e += 1;
                    }
                    break;
                }
            }
        }
        if paper {
            skip("paper space", &mut drawing.skipped);
            continue;
        }
        match kind.as_str() {
            "LWPOLYLINE" => {
                let flags = first(70).map(|p| p.int()).transpose()?.unwrap_or(0);
                let mut vs: Vec<(P2, f64)> = Vec::new();
                let mut x = None;
                for p in ent {
                    match p.code {
                        10 => x = Some(p.num()?),
                        20 => {
                            if let Some(x) = x.take() {
                                vs.push(([x, p.num()?], 0.0));
                            }
                        }
                        42 => {
                            if let Some(last) = vs.last_mut() {
                                last.1 = p.num()?;
                            }
                        }
                        _ => {}
                    }
                }
                polyline(&mut drawing, flags & 1 == 1, vs, layer, handle, ocs, &kind);
            }
            "POLYLINE" => {
                let flags = first(70).map(|p| p.int()).transpose()?.unwrap_or(0);
                if flags & (16 | 64) != 0 {
                    skip("POLYLINE mesh", &mut drawing.skipped);
                    continue;
                }
                // A 3-D polyline is in world coordinates.
                let ocs = if flags & 8 != 0 { None } else { ocs };
                let mut vs = Vec::new();
                for v in vertices {
                    let vflags = v
                        .iter()
                        .find(|p| p.code == 70)
                        .map(|p| p.int())
                        .transpose()?
                        .unwrap_or(0);
                    // A spline-fit polyline's frame (its control points) is not the outline.
                    if vflags & 16 != 0 {
                        continue;
                    }
                    let get = |code| v.iter().find(|p| p.code == code).map(|p| p.num());
                    let (Some(x), Some(y)) = (get(10), get(20)) else {
                        continue;
                    };
                    vs.push(([x?, y?], get(42).transpose()?.unwrap_or(0.0)));
                }
                polyline(&mut drawing, flags & 1 == 1, vs, layer, handle, ocs, &kind);
            }
            "HATCH" => {
                let line = ent[0].line;
                let loops = hatch_loops(ent).map_err(|_| DxfProblem::Boundary {
                    line,
                    handle: handle.clone(),
                })?;
                if loops.is_empty() {
                    skip("HATCH without boundary", &mut drawing.skipped);
                } else {
                    drawing.shapes.push(Shape {
                        hatch: true,
                        layer,
                        handle,
                        loops,
                        ocs,
                    });
                }
            }
            "TEXT" | "MTEXT" => {
                let get = |code| first(code).map(|p| p.num()).transpose();
                let mut at = match (get(10)?, get(20)?) {
                    (Some(x), Some(y)) => [x, y],
                    _ => continue,
                };
                let mut raw = Vec::new();
                if kind == "TEXT" {
                    // Justified text is placed by its second alignment point.
                    let justified =
                        get(72)?.unwrap_or(0.0) != 0.0 || get(73)?.unwrap_or(0.0) != 0.0;
                    if justified && let (Some(x), Some(y)) = (get(11)?, get(21)?) {
                        at = [x, y];
                    }
                    at = to_world(at, ocs);
                    if let Some(p) = first(1) {
                        raw.extend_from_slice(p.value);
                    }
                } else {
                    for p in ent.iter().filter(|p| p.code == 3) {
                        raw.extend_from_slice(p.value);
                    }
                    if let Some(p) = first(1) {
                        raw.extend_from_slice(p.value);
                    }
                }
                let text = plain_text(&decode(&raw), kind == "MTEXT");
                if !text.is_empty() {
                    drawing.texts.push(Text { at, text });
                }
            }
            "LINE" | "ARC" | "CIRCLE" | "POINT" | "INSERT" => {
                skip(&kind, &mut drawing.skipped);
                let get = |code| first(code).map(|p| p.num()).transpose();
                let (Some(x), Some(y)) = (get(10)?, get(20)?) else {
                    continue;
                };
                let at = [x, y];
                // LINE and POINT are given in the world's coordinates, the others in the
                // entity's own.
                let (shape, ocs) = match kind.as_str() {
                    "LINE" => {
                        let (Some(x1), Some(y1)) = (get(11)?, get(21)?) else {
                            continue;
                        };
                        (
                            StrokeShape::Polyline(vec![(at, 0.0), ([x1, y1], 0.0)]),
                            None,
                        )
                    }
                    "ARC" | "CIRCLE" => {
                        let r = get(40)?.unwrap_or(0.0);
                        let (a0, a1) = if kind == "ARC" {
                            (get(50)?.unwrap_or(0.0), get(51)?.unwrap_or(0.0))
                        } else {
                            (0.0, 0.0)
                        };
                        (StrokeShape::Arc(at, r, a0, a1), ocs)
                    }
                    "POINT" => (StrokeShape::Point(at), None),
                    _ => (StrokeShape::Point(at), ocs),
                };
                let block = (kind == "INSERT")
                    .then(|| first(2).map(|p| nfc(&decode(p.value))))
                    .flatten();
                drawing.strokes.push(Stroke {
                    layer,
                    handle,
                    block,
                    shape,
                    ocs,
                });
            }
            "SEQEND" | "VERTEX" | "ENDSEC" | "EOF" => {}
            other => skip(other, &mut drawing.skipped),
        }
    }
    Ok(drawing)
}

/// A polyline read: closed (by its flag, or by ending where it starts), it is a shape;
/// open, it is counted.
fn polyline(
    d: &mut Drawing,
    closed: bool,
    mut vs: Vec<(P2, f64)>,
    layer: String,
    handle: Option<String>,
    ocs: Option<Axes>,
    kind: &str,
) {
    let ends_at_start = vs.len() > 3
        && match (vs.first(), vs.last()) {
            (Some(a), Some(b)) => (a.0[0] - b.0[0]).hypot(a.0[1] - b.0[1]) <= 1e-3 / d.unit_m,
            _ => false,
        };
    if ends_at_start {
        vs.pop();
    }
    if (closed || ends_at_start) && vs.len() >= 3 {
        d.shapes.push(Shape {
            hatch: false,
            layer,
            handle,
            loops: vec![Loop::Polyline(vs)],
            ocs,
        });
    } else {
        *d.skipped.entry(format!("open {kind}")).or_insert(0) += 1;
        if vs.len() >= 2 {
            d.strokes.push(Stroke {
                layer,
                handle,
                block: None,
                shape: StrokeShape::Polyline(vs),
                ocs,
            });
        }
    }
}

/// A HATCH's boundary loops, read in the order the format gives them.
fn hatch_loops(ent: &[Pair]) -> Result<Vec<Loop>, DxfProblem> {
    let mut c = Cursor { pairs: ent, at: 0 };
    // The boundary data starts at the number of paths.
    let Some(n) = c.find(91)? else {
        return Ok(Vec::new());
    };
    let mut loops = Vec::new();
    for _ in 0..n.max(0.0) as usize {
        let kind = c.want(92)? as i64;
        if kind & 2 != 0 {
            let has_bulge = c.want(72)? != 0.0;
            let _closed = c.want(73)?;
            let count = c.want(93)? as usize;
            let mut vs = Vec::with_capacity(count.min(1 << 16));
            for _ in 0..count {
                let x = c.want(10)?;
                let y = c.want(20)?;
                let b = if has_bulge && c.peek() == Some(42) {
                    c.want(42)?
                } else {
                    0.0
                };
                vs.push(([x, y], b));
            }
            loops.push(Loop::Polyline(vs));
        } else {
            let count = c.want(93)? as usize;
            let mut edges = Vec::with_capacity(count.min(1 << 16));
            for _ in 0..count {
                let edge = match c.want(72)? as i64 {
                    1 => Edge::Line([c.want(10)?, c.want(20)?], [c.want(11)?, c.want(21)?]),
                    2 => Edge::Arc(
                        [c.want(10)?, c.want(20)?],
                        c.want(40)?,
                        c.want(50)?,
                        c.want(51)?,
                        c.want(73)? != 0.0,
                    ),
                    3 => Edge::Ellipse(
                        [c.want(10)?, c.want(20)?],
                        [c.want(11)?, c.want(21)?],
                        c.want(40)?,
                        c.want(50)?,
                        c.want(51)?,
                        c.want(73)? != 0.0,
                    ),
                    4 => {
                        let degree = c.want(94)? as usize;
                        let rational = c.want(73)? != 0.0;
                        let _periodic = c.want(74)?;
                        let nk = c.want(95)? as usize;
                        let nc = c.want(96)? as usize;
                        let mut knots = Vec::with_capacity(nk.min(1 << 16));
                        for _ in 0..nk {
                            knots.push(c.want(40)?);
                        }
                        let mut ctrl = Vec::with_capacity(nc.min(1 << 16));
                        let mut weights = Vec::new();
                        for _ in 0..nc {
                            ctrl.push([c.want(10)?, c.want(20)?]);
                            if rational && c.peek() == Some(42) {
                                weights.push(c.want(42)?);
                            }
                        }
                        // Fit data (97 and after) is not needed: the control points are.
                        Edge::Spline(degree, knots, ctrl, weights)
                    }
                    _ => return Err(DxfProblem::CutShort { line: 0 }),
                };
                edges.push(edge);
            }
            loops.push(Loop::Edges(edges));
        }
        // The objects the path came from.
        if c.peek() == Some(97) {
            let n = c.want(97)? as usize;
            for _ in 0..n {
                if c.peek() == Some(330) {
                    c.at += 1;
                }
            }
        }
    }
    Ok(loops)
}

struct Cursor<'a, 'b> {
    pairs: &'b [Pair<'a>],
    at: usize,
}

impl Cursor<'_, '_> {
    fn peek(&self) -> Option<i32> {
        self.pairs.get(self.at).map(|p| p.code)
    }

    /// The value of the next group of this code (groups of other codes before it are
    /// passed over).
    fn find(&mut self, code: i32) -> Result<Option<f64>, DxfProblem> {
        while let Some(p) = self.pairs.get(self.at) {
            self.at += 1;
            if p.code == code {
                return p.num().map(Some);
            }
        }
        Ok(None)
    }

    /// The value of the next group, which must have this code (a few groups of codes the
    /// boundary does not use may come between, as some writers put them).
    fn want(&mut self, code: i32) -> Result<f64, DxfProblem> {
        const STRUCTURE: [i32; 12] = [10, 11, 20, 21, 40, 42, 72, 73, 92, 93, 95, 96];
        while let Some(p) = self.pairs.get(self.at) {
            self.at += 1;
            if p.code == code {
                return p.num();
            }
            if STRUCTURE.contains(&p.code) {
                break;
            }
        }
        Err(DxfProblem::CutShort { line: 0 })
    }
}

/// The entity's object coordinate system (from its extrusion direction, 210/220/230), when
/// it is not the world's: the world directions of its x and y axes (AutoCAD's arbitrary axis
/// algorithm).
fn extrusion(ent: &[Pair]) -> Result<Option<Axes>, DxfProblem> {
    let get = |code| ent.iter().find(|p| p.code == code).map(|p| p.num());
    let n = [
        get(210).transpose()?.unwrap_or(0.0),
        get(220).transpose()?.unwrap_or(0.0),
        get(230).transpose()?.unwrap_or(1.0),
    ];
    let len = (n[0] * n[0] + n[1] * n[1] + n[2] * n[2]).sqrt();
    if len == 0.0 || (n[0] == 0.0 && n[1] == 0.0 && n[2] > 0.0) {
        return Ok(None);
    }
    let n = [n[0] / len, n[1] / len, n[2] / len];
    let cross = |a: [f64; 3], b: [f64; 3]| {
        [
            a[1] * b[2] - a[2] * b[1],
            a[2] * b[0] - a[0] * b[2],
            a[0] * b[1] - a[1] * b[0],
        ]
    };
    let unit = |v: [f64; 3]| {
        let l = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
        [v[0] / l, v[1] / l, v[2] / l]
    };
    let ax = if n[0].abs() < 1.0 / 64.0 && n[1].abs() < 1.0 / 64.0 {
        unit(cross([0.0, 1.0, 0.0], n))
    } else {
        unit(cross([0.0, 0.0, 1.0], n))
    };
    let ay = unit(cross(n, ax));
    Ok(Some((ax, ay)))
}

fn to_world(p: P2, ocs: Option<Axes>) -> P2 {
    match ocs {
        None => p,
        Some((ax, ay)) => [p[0] * ax[0] + p[1] * ay[0], p[0] * ax[1] + p[1] * ay[1]],
    }
}

/// `$INSUNITS` in metres; 1 for unitless, metres and anything not a length.
fn unit_metres(code: i64) -> f64 {
    match code {
        1 => 0.0254,
        2 => 0.3048,
        3 => 1609.344,
        4 => 0.001,
        5 => 0.01,
        7 => 1000.0,
        8 => 0.0254e-6,
        9 => 0.0254e-3,
        10 => 0.9144,
        11 => 1e-10,
        12 => 1e-9,
        13 => 1e-6,
        14 => 0.1,
        15 => 10.0,
        16 => 100.0,
        21 => 1200.0 / 3937.0,
        _ => 1.0,
    }
}

/// The encoding of the file's text (see the module's words).
fn encoding_of(version: &str, codepage: Option<&str>, bytes: &[u8]) -> &'static Encoding {
    if version.to_ascii_uppercase().as_str() >= "AC1021" {
        return UTF_8;
    }
    if let Some(cp) = codepage {
        let cp = cp.trim().to_ascii_uppercase();
        let label = match cp.strip_prefix("ANSI_") {
            Some("932") => "shift_jis".to_string(),
            Some("936") => "gbk".to_string(),
            Some("949") => "euc-kr".to_string(),
            Some("950") => "big5".to_string(),
            Some("874") => "windows-874".to_string(),
            Some(n) => format!("windows-{n}"),
            None if cp.starts_with("UTF") => "utf-8".to_string(),
            None => cp.clone(),
        };
        if let Some(e) = Encoding::for_label(label.as_bytes()) {
            return e;
        }
    }
    if std::str::from_utf8(bytes).is_ok() {
        UTF_8
    } else {
        WINDOWS_1258
    }
}

fn nfc(s: &str) -> String {
    s.trim().nfc().collect()
}

/// A TEXT's or MTEXT's string as plain text: escapes decoded, formatting codes taken out, NFC.
fn plain_text(raw: &str, mtext: bool) -> String {
    let chars: Vec<char> = raw.chars().collect();
    let mut out = String::with_capacity(raw.len());
    let mut k = 0;
    let hex = |k: usize, n: usize| -> Option<char> {
        let s: String = chars.get(k..k + n)?.iter().collect();
        u32::from_str_radix(&s, 16).ok().and_then(char::from_u32)
    };
    while k < chars.len() {
        let c = chars[k];
        // \U+XXXX, in TEXT and MTEXT alike.
        if c == '\\'
            && matches!(chars.get(k + 1), Some('U' | 'u'))
            && chars.get(k + 2) == Some(&'+')
            && let Some(ch) = hex(k + 3, 4)
        {
            out.push(ch);
            k += 7;
            continue;
        }
        if c == '%' && chars.get(k + 1) == Some(&'%') {
            match chars.get(k + 2).map(|c| c.to_ascii_lowercase()) {
                Some('d') => out.push('°'),
                Some('p') => out.push('±'),
                Some('c') => out.push('⌀'),
                Some('%') => out.push('%'),
                Some('u' | 'o' | 'k') => {}
                Some(d) if d.is_ascii_digit() => {
                    let digits: String = chars[k + 2..]
                        .iter()
                        .take(3)
                        .take_while(|c| c.is_ascii_digit())
                        .collect();
                    if let Some(ch) = digits.parse::<u32>().ok().and_then(char::from_u32) {
                        out.push(ch);
                    }
                    k += 2 + digits.len();
                    continue;
                }
                _ => {
                    out.push('%');
                    k += 1;
                    continue;
                }
            }
            k += 3;
            continue;
        }
        if !mtext {
            out.push(c);
            k += 1;
            continue;
        }
        match c {
            '{' | '}' => k += 1,
            '\\' => {
                let Some(&code) = chars.get(k + 1) else {
                    k += 1;
                    continue;
                };
                k += 2;
                match code {
                    'P' | 'X' | 'N' => out.push(' '),
                    '~' => out.push(' '),
                    '\\' | '{' | '}' => out.push(code),
                    'L' | 'l' | 'O' | 'o' | 'K' | 'k' => {}
                    'S' => {
                        // A stack: up to `;`, `^` and `#` between its parts.
                        while k < chars.len() && chars[k] != ';' {
                            out.push(match chars[k] {
                                '^' | '#' => '/',
                                c => c,
                            });
                            k += 1;
                        }
                        k += 1;
                    }
                    c if c.is_ascii_alphabetic() => {
                        // A code with a value up to `;` (font, height, colour, width…).
                        while k < chars.len() && chars[k] != ';' {
                            k += 1;
                        }
                        k += 1;
                    }
                    other => out.push(other),
                }
            }
            c => {
                out.push(c);
                k += 1;
            }
        }
    }
    let collapsed: Vec<&str> = out.split_whitespace().collect();
    collapsed.join(" ").nfc().collect()
}

// ---------------------------------------------------------------------------------------
// Curves to chords

/// How many chords for an arc of radius `r` through `sweep` radians, for the tolerance.
fn chords(r: f64, sweep: f64, tol: f64) -> usize {
    let r = r.abs();
    if r <= tol / 2.0 || !r.is_finite() {
        return 1;
    }
    let step = 2.0 * (1.0 - tol / r).clamp(-1.0, 1.0).acos();
    ((sweep.abs() / step).ceil() as usize).clamp(1, 10_000)
}

/// Points of an arc from `a0` through `sweep` (radians, signed), without the last.
fn arc_points(out: &mut Vec<P2>, c: P2, r: f64, a0: f64, sweep: f64, tol: f64) {
    let n = chords(r, sweep, tol);
    for k in 0..n {
        let a = a0 + sweep * k as f64 / n as f64;
        out.push([c[0] + r * a.cos(), c[1] + r * a.sin()]);
    }
}

/// A polyline loop's points: each bulged segment as chords.
fn polyline_points(vs: &[(P2, f64)], tol: f64) -> Vec<P2> {
    let mut out = Vec::with_capacity(vs.len());
    for (k, &(p, bulge)) in vs.iter().enumerate() {
        let q = vs[(k + 1) % vs.len()].0;
        if bulge == 0.0 || !bulge.is_finite() {
            out.push(p);
            continue;
        }
        let (dx, dy) = (q[0] - p[0], q[1] - p[1]);
        let chord = dx.hypot(dy);
        if chord == 0.0 {
            out.push(p);
            continue;
        }
        let theta = 4.0 * bulge.atan();
        let r = chord / (2.0 * (theta / 2.0).sin().abs());
        // The centre: on the chord's perpendicular, left of it for a counter-clockwise arc.
        let d = chord / (2.0 * (theta / 2.0).tan());
        let m = [(p[0] + q[0]) / 2.0, (p[1] + q[1]) / 2.0];
        let c = [m[0] - dy / chord * d, m[1] + dx / chord * d];
        let a0 = (p[1] - c[1]).atan2(p[0] - c[0]);
        arc_points(&mut out, c, r, a0, theta, tol);
    }
    out
}

/// An edge's points, from its start to its end (the end included).
fn edge_points(e: &Edge, tol: f64) -> Vec<P2> {
    let mut out = Vec::new();
    match e {
        Edge::Line(a, b) => {
            out.push(*a);
            out.push(*b);
        }
        Edge::Arc(c, r, s, t, ccw) => {
            let (a0, a1) = if *ccw {
                (s.to_radians(), t.to_radians())
            } else {
                // Clockwise arcs give their angles mirrored.
                (-s.to_radians(), -t.to_radians())
            };
            let sweep = sweep_of(a0, a1, *ccw);
            arc_points(&mut out, *c, *r, a0, sweep, tol);
            out.push([c[0] + r * (a0 + sweep).cos(), c[1] + r * (a0 + sweep).sin()]);
        }
        Edge::Ellipse(c, major, ratio, s, t, ccw) => {
            let (a0, a1) = if *ccw {
                (s.to_radians(), t.to_radians())
            } else {
                (-s.to_radians(), -t.to_radians())
            };
            let sweep = sweep_of(a0, a1, *ccw);
            let minor = [-major[1] * ratio, major[0] * ratio];
            let r = major[0].hypot(major[1]);
            let n = chords(r, sweep, tol);
            for k in 0..=n {
                let a = a0 + sweep * k as f64 / n as f64;
                out.push([
                    c[0] + major[0] * a.cos() + minor[0] * a.sin(),
                    c[1] + major[1] * a.cos() + minor[1] * a.sin(),
                ]);
            }
        }
        Edge::Spline(degree, knots, ctrl, weights) => {
            spline_points(&mut out, *degree, knots, ctrl, weights, tol)
        }
    }
    out
}

/// The signed sweep from `a0` to `a1`: counter-clockwise positive, clockwise negative, a
/// full turn when they are the same angle.
fn sweep_of(a0: f64, a1: f64, ccw: bool) -> f64 {
    use std::f64::consts::TAU;
    let turn = |s: f64| if s == 0.0 { TAU } else { s };
    if ccw {
        turn((a1 - a0).rem_euclid(TAU))
    } else {
        -turn((a0 - a1).rem_euclid(TAU))
    }
}

/// A (rational) B-spline by de Boor's algorithm, sampled finely enough that its chords keep
/// within the tolerance: each knot span is halved until its chords' midpoints lie within
/// the tolerance of the curve.
fn spline_points(
    out: &mut Vec<P2>,
    degree: usize,
    knots: &[f64],
    ctrl: &[P2],
    weights: &[f64],
    tol: f64,
) {
    let n = ctrl.len();
    if n == 0 || degree == 0 || degree >= n || knots.len() != n + degree + 1 {
        out.extend_from_slice(ctrl);
        return;
    }
    let w = |i: usize| weights.get(i).copied().unwrap_or(1.0);
    let eval = |t: f64| -> P2 {
        // The span holding t.
        let mut s = degree;
        while s + 1 < n && knots[s + 1] <= t {
            s += 1;
        }
        let mut d: Vec<[f64; 3]> = (0..=degree)
            .map(|j| {
                let i = s + j - degree;
                let wi = w(i);
                [ctrl[i][0] * wi, ctrl[i][1] * wi, wi]
            })
            .collect();
        for r in 1..=degree {
            for j in (r..=degree).rev() {
                let i = s + j - degree;
                let den = knots[i + degree + 1 - r] - knots[i];
                let a = if den == 0.0 {
                    0.0
                } else {
                    (t - knots[i]) / den
                };
                let prev = d[j - 1];
                for (v, p) in d[j].iter_mut().zip(prev) {
                    *v = (1.0 - a) * p + a * *v;
                }
            }
        }
        let p = d[degree];
        if p[2] == 0.0 {
            [p[0], p[1]]
        } else {
            [p[0] / p[2], p[1] / p[2]]
        }
    };
    let (t0, t1) = (knots[degree], knots[n]);
    let mut ts = vec![t0];
    for &k in &knots[degree + 1..n] {
        if k > t0 && k < t1 && ts.last() != Some(&k) {
            ts.push(k);
        }
    }
    ts.push(t1);
    out.push(eval(t0));
    for win in ts.windows(2) {
        let mut parts = 4usize;
        loop {
            let pts: Vec<P2> = (0..=parts)
                .map(|k| eval(win[0] + (win[1] - win[0]) * k as f64 / parts as f64))
                .collect();
            let ok = pts.windows(2).enumerate().all(|(k, seg)| {
                let tm = win[0] + (win[1] - win[0]) * (k as f64 + 0.5) / parts as f64;
                let m = eval(tm);
                let mid = [(seg[0][0] + seg[1][0]) / 2.0, (seg[0][1] + seg[1][1]) / 2.0];
                (m[0] - mid[0]).hypot(m[1] - mid[1]) <= tol
            });
            if ok || parts >= 4096 {
                out.extend_from_slice(&pts[1..]);
                break;
            }
            parts *= 2;
        }
    }
}

/// A loop's ring (open: the first point not repeated), in drawing units.
fn ring_of(l: &Loop, tol: f64) -> Vec<P2> {
    let mut pts = match l {
        Loop::Polyline(vs) => polyline_points(vs, tol),
        Loop::Edges(edges) => {
            let mut out: Vec<P2> = Vec::new();
            for e in edges {
                let mut pts = edge_points(e, tol);
                // Edges run end to end; one written the other way round is turned.
                if let (Some(last), Some(first), Some(end)) = (out.last(), pts.first(), pts.last())
                {
                    let d = |a: &P2, b: &P2| (a[0] - b[0]).hypot(a[1] - b[1]);
                    if d(last, end) < d(last, first) {
                        pts.reverse();
                    }
                }
                if let (Some(last), Some(first)) = (out.last(), pts.first())
                    && last == first
                {
                    out.pop();
                }
                out.extend(pts);
            }
            out
        }
    };
    pts.dedup_by(|a, b| (a[0] - b[0]).abs() < 1e-9 && (a[1] - b[1]).abs() < 1e-9);
    while pts.len() > 1
        && pts
            .first()
            .zip(pts.last())
            .is_some_and(|(a, b)| (a[0] - b[0]).abs() < 1e-9 && (a[1] - b[1]).abs() < 1e-9)
    {
        pts.pop();
    }
    pts
}

// ---------------------------------------------------------------------------------------
// Polygons

/// A polygon of the output: its outer ring and holes, in the system's metres.
struct Feature {
    layer: String,
    handle: Option<String>,
    polygons: Vec<Polygon<f64>>,
}

fn polygon_of(ring: &[P2]) -> Polygon<f64> {
    let mut ls: Vec<Coord<f64>> = ring.iter().map(|p| Coord { x: p[0], y: p[1] }).collect();
    if let Some(&f) = ls.first() {
        ls.push(f);
    }
    Polygon::new(LineString(ls), Vec::new())
}

fn rect_within(a: &Rect<f64>, b: &Rect<f64>) -> bool {
    a.min().x >= b.min().x
        && a.min().y >= b.min().y
        && a.max().x <= b.max().x
        && a.max().y <= b.max().y
}

/// Rings nested: each inside another (a point inside it is inside the other, and the other is
/// larger) is that one's hole at odd depth, a polygon of its own at even depth.
fn nest(rings: Vec<Polygon<f64>>) -> Vec<Polygon<f64>> {
    let mut order: Vec<(usize, f64, Rect<f64>)> = rings
        .iter()
        .enumerate()
        .filter_map(|(k, p)| Some((k, p.unsigned_area(), p.bounding_rect()?)))
        .filter(|(_, a, _)| *a > 0.0)
        .collect();
    order.sort_by(|a, b| b.1.total_cmp(&a.1));
    let tree: RTree<GeomWithData<rstar::primitives::Rectangle<[f64; 2]>, usize>> = RTree::bulk_load(
        order
            .iter()
            .enumerate()
            .map(|(pos, (_, _, r))| {
                GeomWithData::new(
                    rstar::primitives::Rectangle::from_corners(
                        [r.min().x, r.min().y],
                        [r.max().x, r.max().y],
                    ),
                    pos,
                )
            })
            .collect(),
    );
    // Depth and parent of each, in order of decreasing area.
    let mut depth = vec![0usize; order.len()];
    let mut parent = vec![None; order.len()];
    for pos in 0..order.len() {
        let (k, area, rect) = order[pos];
        let Some(inside) = crate::engine::geometry::inside_point(&rings[k]) else {
            continue;
        };
        let env = AABB::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y]);
        let mut best: Option<usize> = None;
        for cand in tree.locate_in_envelope_intersecting(&env) {
            let q = cand.data;
            let (kq, aq, rq) = order[q];
            if q == pos || aq <= area || !rect_within(&rect, &rq) {
                continue;
            }
            if rings[kq].contains(&inside) && best.is_none_or(|b| order[b].1 > aq) {
                best = Some(q);
            }
        }
        if let Some(b) = best {
            depth[pos] = depth[b] + 1;
            parent[pos] = Some(b);
        }
    }
    let mut out: Vec<Option<Polygon<f64>>> = vec![None; order.len()];
    for pos in 0..order.len() {
        if depth[pos].is_multiple_of(2) {
            out[pos] = Some(rings[order[pos].0].clone());
        }
    }
    for pos in 0..order.len() {
        if !depth[pos].is_multiple_of(2)
            && let Some(b) = parent[pos]
            && let Some(outer) = &mut out[b]
        {
            let hole = rings[order[pos].0].exterior().clone();
            outer.interiors_push(hole);
        }
    }
    // File order of the outer rings.
    let mut kept: Vec<(usize, Polygon<f64>)> = out
        .into_iter()
        .enumerate()
        .filter_map(|(pos, p)| p.map(|p| (order[pos].0, p)))
        .collect();
    kept.sort_by_key(|(k, _)| *k);
    kept.into_iter().map(|(_, p)| p).collect()
}

/// Drawing units → metres of the system: `$INSUNITS`, unless its scale puts the drawing
/// outside Vietnam and metres put it inside.
fn choose_scale(d: &Drawing, crs: &Crs) -> f64 {
    if d.unit_m == 1.0 || crs.projection == Projection::Geographic {
        return 1.0;
    }
    let (mut lo, mut hi) = ([f64::MAX; 2], [f64::MIN; 2]);
    for s in &d.shapes {
        for l in &s.loops {
            let pts: Vec<P2> = match l {
                Loop::Polyline(vs) => vs.iter().map(|v| v.0).collect(),
                Loop::Edges(es) => es
                    .iter()
                    .map(|e| match e {
                        Edge::Line(a, _) | Edge::Arc(a, ..) | Edge::Ellipse(a, ..) => *a,
                        Edge::Spline(_, _, c, _) => c.first().copied().unwrap_or([0.0, 0.0]),
                    })
                    .collect(),
            };
            for p in pts {
                let p = to_world(p, s.ocs);
                for i in 0..2 {
                    lo[i] = lo[i].min(p[i]);
                    hi[i] = hi[i].max(p[i]);
                }
            }
        }
    }
    for st in &d.strokes {
        let pts: Vec<P2> = match &st.shape {
            StrokeShape::Polyline(vs) => vs.iter().map(|v| v.0).collect(),
            StrokeShape::Arc(c, ..) | StrokeShape::Point(c) => vec![*c],
        };
        for p in pts {
            let p = to_world(p, st.ocs);
            for i in 0..2 {
                lo[i] = lo[i].min(p[i]);
                hi[i] = hi[i].max(p[i]);
            }
        }
    }
    let in_vietnam = |scale: f64| {
        [lo, hi].iter().all(|p| {
            crs.to_wgs84(p[0] * scale, p[1] * scale)
                .is_some_and(|(lon, lat)| {
                    (100.0..=118.0).contains(&lon) && (5.0..=26.0).contains(&lat)
                })
        })
    };
    if !in_vietnam(d.unit_m) && in_vietnam(1.0) {
        1.0
    } else {
        d.unit_m
    }
}

/// A closed polyline: its place among the shapes, its ring and its handle.
type Closed = (usize, Polygon<f64>, Option<String>);

/// The drawing as a FeatureCollection: its areas, and for a reference layer (`strokes`) its
/// lines and points after them.
fn to_geojson(d: Drawing, crs: &Crs, strokes: bool) -> String {
    let scale = choose_scale(&d, crs);
    let metres_per_unit = match crs.projection {
        Projection::Geographic => 111_320.0,
        _ => scale,
    };
    let tol = TOLERANCE_M / metres_per_unit;
    let ring = |l: &Loop, ocs| -> Vec<P2> {
        ring_of(l, tol)
            .into_iter()
            .map(|p| {
                let p = to_world(p, ocs);
                [p[0] * scale, p[1] * scale]
            })
            .collect()
    };
    // Closed polylines, by layer; hatches each on their own.
    let mut features: Vec<(usize, Feature)> = Vec::new();
    let mut by_layer: BTreeMap<&str, Vec<Closed>> = BTreeMap::new();
    for (k, s) in d.shapes.iter().enumerate() {
        let rings: Vec<Polygon<f64>> = s
            .loops
            .iter()
            .map(|l| ring(l, s.ocs))
            .filter(|r| r.len() >= 3 && r.iter().all(|p| p[0].is_finite() && p[1].is_finite()))
            .map(|r| polygon_of(&r))
            .collect();
        if s.hatch {
            let polygons = nest(rings);
            if !polygons.is_empty() {
                features.push((
                    k,
                    Feature {
                        layer: s.layer.clone(),
                        handle: s.handle.clone(),
                        polygons,
                    },
                ));
            }
        } else if let Some(r) = rings.into_iter().next() {
            by_layer
                .entry(&s.layer)
                .or_default()
                .push((k, r, s.handle.clone()));
        }
    }
    let mut polylines: Vec<(usize, Feature)> = Vec::new();
    for (layer, list) in by_layer {
        let rings: Vec<Polygon<f64>> = list.iter().map(|(_, r, _)| r.clone()).collect();
        let nested = nest(rings.clone());
        // Each outer polygon is the polyline whose ring is its exterior.
        for p in nested {
            let Some(j) = rings.iter().position(|r| r.exterior() == p.exterior()) else {
                continue;
            };
            polylines.push((
                list[j].0,
                Feature {
                    layer: layer.to_string(),
                    handle: list[j].2.clone(),
                    polygons: vec![p],
                },
            ));
        }
    }
    // A hatch over a polyline's outline is that polyline again.
    let signature = |f: &Feature| -> Option<(f64, Rect<f64>)> {
        let area: f64 = f.polygons.iter().map(|p| p.unsigned_area()).sum();
        let mp = geo::MultiPolygon(f.polygons.clone());
        Some((area, mp.bounding_rect()?))
    };
    let outlines: Vec<(f64, Rect<f64>)> =
        polylines.iter().filter_map(|(_, f)| signature(f)).collect();
    features.retain(|(_, f)| {
        let Some((a, r)) = signature(f) else {
            return true;
        };
        !outlines.iter().any(|(b, q)| {
            (a - b).abs() <= 1e-6 * a.max(*b) + 1e-3
                && (r.min().x - q.min().x).abs() <= 1e-3
                && (r.min().y - q.min().y).abs() <= 1e-3
                && (r.max().x - q.max().x).abs() <= 1e-3
                && (r.max().y - q.max().y).abs() <= 1e-3
        })
    });
    features.extend(polylines);
    features.sort_by_key(|(k, _)| *k);

    // Texts: found by where they stand.
    let texts: Vec<(P2, &str)> = d
        .texts
        .iter()
        .map(|t| {
            let p = [t.at[0] * scale, t.at[1] * scale];
            (p, t.text.as_str())
        })
        .filter(|(p, _)| p[0].is_finite() && p[1].is_finite())
        .collect();
    let tree: RTree<GeomWithData<[f64; 2], usize>> = RTree::bulk_load(
        texts
            .iter()
            .enumerate()
            .map(|(k, (p, _))| GeomWithData::new(*p, k))
            .collect(),
    );

    let mut out = String::with_capacity(features.len() * 512 + 256);
    let _ = write!(
        out,
        "{{\"type\":\"FeatureCollection\",\"crs\":{{\"type\":\"name\",\"properties\":{{\"name\":\"urn:ogc:def:crs:EPSG::{}\"}}}},",
        crs.epsg
    );
    if !d.skipped.is_empty() {
        let skipped: serde_json::Map<String, serde_json::Value> = d
            .skipped
            .iter()
            .map(|(k, n)| (k.clone(), serde_json::Value::from(*n)))
            .collect();
        let _ = write!(
            out,
            "\"dxf_skipped\":{},",
            serde_json::Value::Object(skipped)
        );
    }
    out.push_str("\"features\":[");
    for (n, (_, f)) in features.iter().enumerate() {
        out.push_str(if n == 0 { "\n" } else { ",\n" });
        let mut inside: Vec<usize> = Vec::new();
        for p in &f.polygons {
            let Some(r) = p.bounding_rect() else { continue };
            let env = AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
            for t in tree.locate_in_envelope(&env) {
                let c = Coord {
                    x: t.geom()[0],
                    y: t.geom()[1],
                };
                if p.contains(&c) && !inside.contains(&t.data) {
                    inside.push(t.data);
                }
            }
        }
        inside.sort_unstable();
        let mut props = serde_json::Map::new();
        props.insert("layer".into(), f.layer.clone().into());
        if let Some(h) = &f.handle {
            props.insert("handle".into(), h.clone().into());
        }
        if !inside.is_empty() {
            let all: Vec<&str> = inside.iter().map(|&k| texts[k].1).collect();
            props.insert("text".into(), all.join("; ").into());
            if let [one] = all.as_slice() {
                props.insert("label".into(), (*one).into());
            }
        }
        let _ = write!(
            out,
            "{{\"type\":\"Feature\",\"properties\":{},\"geometry\":",
            serde_json::Value::Object(props)
        );
        write_geometry(&mut out, &f.polygons);
        out.push('}');
    }
    if strokes {
        for (n, st) in d.strokes.iter().enumerate() {
            out.push_str(if n == 0 && features.is_empty() {
                "\n"
            } else {
                ",\n"
            });
            let mut props = serde_json::Map::new();
            props.insert("layer".into(), st.layer.clone().into());
            if let Some(h) = &st.handle {
                props.insert("handle".into(), h.clone().into());
            }
            if let Some(b) = &st.block {
                props.insert("block".into(), b.clone().into());
            }
            let _ = write!(
                out,
                "{{\"type\":\"Feature\",\"properties\":{},\"geometry\":",
                serde_json::Value::Object(props)
            );
            let place = |p: P2| {
                let p = to_world(p, st.ocs);
                [p[0] * scale, p[1] * scale]
            };
            match &st.shape {
                StrokeShape::Point(p) => super::write_points(&mut out, &[place(*p)]),
                shape => {
                    let line: Vec<P2> = match shape {
                        StrokeShape::Polyline(vs) => {
                            // An open polyline: no segment back from its last vertex.
                            let mut vs = vs.clone();
                            if let Some(last) = vs.last_mut() {
                                last.1 = 0.0;
                            }
                            polyline_points(&vs, tol)
                        }
                        StrokeShape::Arc(c, r, a0, a1) => {
                            edge_points(&Edge::Arc(*c, *r, *a0, *a1, true), tol)
                        }
                        StrokeShape::Point(p) => vec![*p],
                    };
                    let line: Vec<P2> = line
                        .into_iter()
                        .map(place)
                        .filter(|p| p[0].is_finite() && p[1].is_finite())
                        .collect();
                    let lines = if line.len() >= 2 { vec![line] } else { vec![] };
                    super::write_lines(&mut out, &lines);
                }
            }
            out.push('}');
        }
    }
    out.push_str("\n]}\n");
    out
}

/// Polygons as GeoJSON: outer rings counter-clockwise, holes clockwise (RFC 7946).
fn write_geometry(out: &mut String, polygons: &[Polygon<f64>]) {
    let ring = |ls: &LineString<f64>, ccw: bool| {
        let mut pts: Vec<[f64; 2]> = ls.0.iter().map(|c| [c.x, c.y]).collect();
        let signed: f64 = pts
            .windows(2)
            .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
            .sum();
        if (signed > 0.0) != ccw {
            pts.reverse();
        }
        pts
    };
    let rings: Vec<Vec<Vec<[f64; 2]>>> = polygons
        .iter()
        .map(|p| {
            std::iter::once(ring(p.exterior(), true))
                .chain(p.interiors().iter().map(|h| ring(h, false)))
                .collect()
        })
        .collect();
    super::write_polygons(out, &rings);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mtext_formatting_is_taken_out_and_escapes_decoded() {
        assert_eq!(
            plain_text(r"{\fArial|b1;\H2.5;Lô \U+0110\U+1EA4T}\PA-01 \S1^2;", true),
            "Lô ĐẤT A-01 1/2"
        );
        assert_eq!(plain_text("45%%d %%p0.1 100%%%", false), "45° ±0.1 100%");
        assert_eq!(plain_text(r"a\Pb", false), r"a\Pb");
    }

    #[test]
    fn a_bulge_of_one_is_a_semicircle_within_the_tolerance() {
        let pts = polyline_points(&[([0.0, 0.0], 1.0), ([20.0, 0.0], 0.0)], 0.05);
        // Centre (10, 0), radius 10; the arc from (0, 0) counter-clockwise passes (10, -10).
        for p in &pts[..pts.len() - 1] {
            let r = (p[0] - 10.0).hypot(p[1]);
            assert!((r - 10.0).abs() < 1e-9, "{p:?}");
            assert!(p[1] <= 1e-9, "{p:?}");
        }
        assert!(
            pts.iter()
                .any(|p| (p[0] - 10.0).abs() < 1e-9 && (p[1] + 10.0).abs() < 1e-9)
        );
        // The chords' midpoints are within 5 cm of the arc.
        let ring: Vec<P2> = pts[..pts.len() - 1].to_vec();
        for w in ring.windows(2) {
            let m = [(w[0][0] + w[1][0]) / 2.0, (w[0][1] + w[1][1]) / 2.0];
            assert!(10.0 - (m[0] - 10.0).hypot(m[1]) <= 0.05 + 1e-12);
        }
    }

    #[test]
    fn codepages_and_versions_choose_the_encoding() {
        assert_eq!(encoding_of("AC1015", Some("ANSI_1258"), b""), WINDOWS_1258);
        assert_eq!(encoding_of("AC1032", Some("ANSI_1252"), b""), UTF_8);
        assert_eq!(
            encoding_of("AC1015", Some("ANSI_1252"), b"").name(),
            "windows-1252"
        );
        assert_eq!(encoding_of("", None, b"\xC3\xA0"), UTF_8);
        assert_eq!(encoding_of("", None, b"\xE0"), WINDOWS_1258);
    }

    #[test]
    fn a_spline_of_degree_one_is_its_control_polygon() {
        let mut out = Vec::new();
        spline_points(
            &mut out,
            1,
            &[0.0, 0.0, 1.0, 1.0],
            &[[0.0, 0.0], [10.0, 0.0]],
            &[],
            0.05,
        );
        assert_eq!(out.first(), Some(&[0.0, 0.0]));
        assert_eq!(out.last(), Some(&[10.0, 0.0]));
    }

    #[test]
    fn junk_is_refused_or_skipped_never_a_panic() {
        let crs = Crs::from_epsg(9209).expect("tm3");
        let cases: [&[u8]; 7] = [
            b"",
            b"  0\nLWPOLYLINE\n 90\n",
            b"  0\nHATCH\n 91\n1e300\n 92\n2\n 72\n1\n 73\n1\n 93\n9e18\n 10\n1\n",
            b"  0\nHATCH\n 91\n1\n 92\n0\n 93\n1\n 72\n4\n 94\n1e300\n 73\n0\n 74\n0\n 95\n2\n 96\n1\n 40\n0\n 40\n1\n 10\n0\n 20\n0\n",
            b"  0\nLWPOLYLINE\n 70\n1\n 10\n1e300\n 20\n0\n 42\n1\n 10\n-1e300\n 20\n1\n 10\n0\n 20\n1e300\n",
            b"  0\nLWPOLYLINE\n 70\n1\n 10\n0\n 20\n0\n 10\nnan\n 20\n0\n",
            b"AutoCAD Binary DXF\r\n\x1a\x00",
        ];
        for bytes in cases {
            if let Ok(d) = read(bytes) {
                let _ = to_geojson(d, &crs, true);
            }
        }
    }
}
