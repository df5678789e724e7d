//! The geometry a reshape replaces, read with the one geometry walker: its positions' texts
//! (to write unchanged vertices as they were), its rings' winding, and its heights (to give
//! new vertices theirs).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use geo::Coord;

use super::layout::number_text;
use super::layout::{Node, Role, Slot};
use super::learn::{Observations, learn_coordinates, mode};
use super::{FileStyle, SAME_VERTEX_DEGREES, Vertex};
use crate::engine::crs::{Crs, union};
use crate::engine::geodesy::ring_signed_area;
use crate::engine::geojson::scan::{self, skip_value, skip_ws};
use crate::engine::geojson::walk::{self, GeometryType, Position, Visitor, WalkError};

/// A position of the geometry being replaced: where it is read to (as the engine reads it),
/// its numbers, its whole text and its height.
pub(super) struct OldPosition {
    lon: f64,
    lat: f64,
    x: f64,
    y: f64,
    pub(super) text: Range<usize>,
    height: Option<(f64, Range<usize>)>,
    /// The ring it is in (an index into [`Old::windings`]).
    ring: Option<usize>,
}

/// The geometry being replaced, read.
pub(super) struct Old<'a> {
    pub(super) text: &'a str,
    pub(super) kind: Option<GeometryType>,
    pub(super) positions: Vec<OldPosition>,
    /// Positions by the cell of a [`SAME_VERTEX_DEGREES`] grid they fall in.
    cells: HashMap<(i64, i64), Vec<usize>>,
    /// Whether each of its rings runs clockwise (`None`: a ring without area).
    pub(super) windings: Vec<Option<bool>>,
    pub(super) coordinates: Option<Range<usize>>,
    pub(super) type_value: Option<Range<usize>>,
    pub(super) bbox: Option<Range<usize>>,
}

fn cell(lon: f64, lat: f64) -> (i64, i64) {
    (
        (lon / SAME_VERTEX_DEGREES).floor() as i64,
        (lat / SAME_VERTEX_DEGREES).floor() as i64,
    )
}

/// Collects an old geometry's positions as the walker gives them.
struct Collect<'a> {
    text: &'a str,
    crs: Option<&'a Crs>,
    positions: Vec<OldPosition>,
    /// The level of the coordinates arrays that are rings (as the engine's reader has them)
    /// in the geometry being walked.
    ring_level: Option<usize>,
    /// Each ring read so far: whether it runs clockwise (`None`: no area).
    pub(super) windings: Vec<Option<bool>>,
    /// The positions of the ring being read (in the file's numbers).
    ring: Vec<Coord<f64>>,
    in_ring: bool,
}

impl Visitor for Collect<'_> {
    fn geometry(&mut self, kind: GeometryType, _: usize) -> Result<bool, WalkError> {
        self.ring_level = match kind {
            GeometryType::Polygon => Some(1),
            GeometryType::MultiPolygon => Some(2),
            _ => None,
        };
        Ok(true)
    }

    fn open(&mut self, level: usize) {
        if self.ring_level == Some(level) {
            self.ring.clear();
            self.in_ring = true;
        }
    }

    fn close(&mut self, level: usize) {
        if self.ring_level == Some(level) {
            let area = ring_signed_area(&self.ring);
            self.windings.push((area != 0.0).then_some(area < 0.0));
            self.in_ring = false;
        }
    }

    fn position(&mut self, p: Position) -> Result<(), WalkError> {
        let b = self.text.as_bytes();
        let head = &self.text[..p.x_at.start];
        let trimmed = head.trim_end_matches([' ', '\t', '\n', '\r']);
        if !trimmed.ends_with('[') {
            return Ok(());
        }
        let open = trimmed.len() - 1;
        let Some(end) = skip_value(b, open) else {
            return Ok(());
        };
        let k = skip_ws(b, p.y_at.end);
        let height = (b.get(k) == Some(&b',')).then(|| {
            let z = skip_ws(b, k + 1);
            let z_end = skip_value(b, z).unwrap_or(z);
            let value = self.text[z..z_end].parse::<f64>().ok();
            value.filter(|v| v.is_finite()).map(|v| (v, z..z_end))
        });
        let ring = if self.in_ring {
            self.ring.push(Coord { x: p.x, y: p.y });
            Some(self.windings.len())
        } else {
            None
        };
        let read = match self.crs {
            None => Some((p.x, p.y)),
            Some(c) => c.to_wgs84(p.x, p.y),
        };
        if let Some((lon, lat)) = read {
            self.positions.push(OldPosition {
                lon,
                lat,
                x: p.x,
                y: p.y,
                text: open..end,
                height: height.flatten(),
                ring,
            });
        }
        Ok(())
    }
}

impl<'a> Old<'a> {
    pub(super) fn read(text: &'a str, crs: Option<&'a Crs>) -> Old<'a> {
        let object = walk::object(text).ok();
        let mut collect = Collect {
            text,
            crs,
            positions: Vec::new(),
            ring_level: None,
            windings: Vec::new(),
            ring: Vec::new(),
            in_ring: false,
        };
        // Positions before a mistake are still the file's text; the reader would have refused
        // such a geometry, so the shape is not from it, and nothing is lost.
        let _ = walk::walk(text, &mut collect);
        let mut cells: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
        for (i, p) in collect.positions.iter().enumerate() {
            cells.entry(cell(p.lon, p.lat)).or_default().push(i);
        }
        let start = skip_ws(text.as_bytes(), 0);
        Old {
            text,
            kind: object.as_ref().map(|o| o.kind),
            positions: collect.positions,
            cells,
            windings: collect.windings,
            coordinates: object.as_ref().and_then(|o| o.coordinates.clone()),
            type_value: scan::member(text, start, "type"),
            bbox: object.and_then(|o| o.bbox),
        }
    }

    /// The old position that is the shape's vertex at (`lon`, `lat`): exactly there, else the
    /// nearest within [`SAME_VERTEX_DEGREES`]; one not used yet in the ring being written
    /// before one that is (a ring's closing position is its own text, not its first's).
    pub(super) fn find(&self, lon: f64, lat: f64, used: &HashSet<usize>) -> Option<usize> {
        let (cx, cy) = cell(lon, lat);
        // Nearly always the vertex is there exactly, in its own cell.
        if let Some(&i) = self.cells.get(&(cx, cy)).and_then(|list| {
            list.iter().find(|&&i| {
                let p = &self.positions[i];
                p.lon == lon && p.lat == lat && !used.contains(&i)
            })
        }) {
            return Some(i);
        }
        let mut best: Option<((bool, bool, f64), usize)> = None;
        for dx in -1..=1 {
            for dy in -1..=1 {
                let Some(list) = self.cells.get(&(cx + dx, cy + dy)) else {
                    continue;
                };
                for &i in list {
                    let p = &self.positions[i];
                    let (ex, ey) = ((p.lon - lon).abs(), (p.lat - lat).abs());
                    if ex > SAME_VERTEX_DEGREES || ey > SAME_VERTEX_DEGREES {
                        continue;
                    }
                    let rank = (ex + ey != 0.0, used.contains(&i), ex.hypot(ey));
                    if best.as_ref().is_none_or(|(r, _)| rank < *r) {
                        best = Some((rank, i));
                    }
                }
            }
        }
        best.map(|(_, i)| i)
    }

    /// Whether the old ring that a ring's vertices come from ran clockwise (the first vertex
    /// found in the old geometry tells which ring that is).
    pub(super) fn winding_of(&self, ring: &[Coord<f64>]) -> Option<bool> {
        ring.iter()
            .find_map(|c| self.find(c.x, c.y, &HashSet::new()))
            .and_then(|i| self.positions[i].ring)
            .and_then(|r| self.windings.get(r).copied().flatten())
    }

    /// The file's style with the spacing of this geometry's own coordinates, as written, for
    /// writing its coordinates again at the same place (so a reshape of a geometry spaced
    /// unlike the file's others keeps its spacing).
    pub(super) fn own_spacing(&self, style: &FileStyle) -> FileStyle {
        let mut local = style.clone();
        let (Some(c), Some(kind)) = (&self.coordinates, self.kind) else {
            return local;
        };
        let Some(levels) = kind.depth() else {
            return local;
        };
        let mut seen = Observations::literal();
        let _ = learn_coordinates(
            self.text,
            c.start,
            levels,
            2,
            false,
            &mut seen,
            &mut Vec::new(),
        );
        for k in 0..4 {
            let role = Role::Coordinates(k);
            for slot in Slot::all() {
                if let Some(gap) = mode(&seen.gaps[role.index()][slot as usize]) {
                    local.layout.gaps[role.index()][slot as usize] = gap;
                }
            }
        }
        local
    }

    pub(super) fn has_heights(&self) -> bool {
        self.positions.iter().any(|p| p.height.is_some())
    }
}

/// Heights for a ring's new vertices, from the old geometry's (see [`super::write_geometry`]).
pub(super) fn give_heights(ring: &mut [Vertex], old: &Old) {
    let n = ring.len();
    if n == 0 {
        return;
    }
    let place = |v: &Vertex| match v {
        Vertex::Old(i) => (old.positions[*i].lon, old.positions[*i].lat),
        Vertex::New { lon, lat, .. } => (*lon, *lat),
    };
    let closed = n > 1 && place(&ring[0]) == place(&ring[n - 1]);
    // The cycle of distinct positions (a closed ring's last is its first).
    let m = if closed { n - 1 } else { n };
    // A length on the ground, near enough for proportions along a ring.
    let step = |a: (f64, f64), b: (f64, f64)| {
        let k = ((a.1 + b.1) / 2.0).to_radians().cos();
        ((b.0 - a.0) * k).hypot(b.1 - a.1)
    };
    let height = |v: &Vertex| match v {
        Vertex::Old(i) => old.positions[*i].height.clone(),
        Vertex::New { .. } => None,
    };
    // A ring without any height takes the nearest old vertex's, without looking along it.
    let along = ring.iter().any(|v| height(v).is_some());
    let mut heights: Vec<Option<String>> = vec![None; m];
    for k in 0..m {
        if !matches!(ring[k], Vertex::New { height: None, .. }) {
            continue;
        }
        if !along {
            heights[k] = nearest_height(old, place(&ring[k]));
            continue;
        }
        // The nearest vertices with a height before and after, and the distances to them.
        let mut before = None;
        let mut run = 0.0;
        for j in 1..m {
            let (a, b) = ((k + m - j + 1) % m, (k + m - j) % m);
            run += step(place(&ring[a]), place(&ring[b]));
            if let Some(h) = height(&ring[b]) {
                before = Some((h, run));
                break;
            }
        }
        let mut after = None;
        let mut run = 0.0;
        for j in 1..m {
            let (a, b) = ((k + j - 1) % m, (k + j) % m);
            run += step(place(&ring[a]), place(&ring[b]));
            if let Some(h) = height(&ring[b]) {
                after = Some((h, run));
                break;
            }
        }
        heights[k] = match (before, after) {
            (Some(((z0, r0), d0)), Some(((z1, r1), d1))) => {
                let t = if d0 + d1 > 0.0 { d0 / (d0 + d1) } else { 0.0 };
                let decimals = |r: &Range<usize>| {
                    old.text
                        .get(r.clone())
                        .and_then(|s| s.split_once('.'))
                        .map_or(0, |(_, f)| f.len())
                };
                let d = decimals(&r0).max(decimals(&r1));
                Some(number_text(z0 + (z1 - z0) * t, d, false, false))
            }
            _ => nearest_height(old, place(&ring[k])),
        };
    }
    for (k, h) in heights.into_iter().enumerate() {
        if let (Some(h), Vertex::New { height, .. }) = (h, &mut ring[k]) {
            *height = Some(h);
        }
    }
    if closed
        && let (Some(first @ Vertex::New { .. }), Some(Vertex::New { .. })) =
            (ring.first().cloned(), ring.last())
    {
        ring[n - 1] = first;
    }
}

/// The height of the old vertex nearest to `at`, as written.
fn nearest_height(old: &Old, at: (f64, f64)) -> Option<String> {
    old.positions
        .iter()
        .filter_map(|p| {
            let (_, r) = p.height.as_ref()?;
            Some(((p.lon - at.0).hypot(p.lat - at.1), r))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .and_then(|(_, r)| old.text.get(r.clone()))
        .map(str::to_string)
}

/// The old geometry's `bbox` value (`raw`) recomputed from the positions written, in the
/// file's numbers; a 3-D bbox keeps its heights as written. `None` when it is not an array of
/// 4 or 6 elements, or nothing is written.
pub(super) fn bbox_text(
    style: &FileStyle,
    old: &Old,
    written: &[Vec<Vec<Vertex>>],
    raw: &str,
) -> Option<String> {
    let items = scan::elements(raw)?;
    let mut bounds: Option<[f64; 4]> = None;
    for v in written.iter().flatten().flatten() {
        let (x, y) = match v {
            Vertex::Old(i) => (old.positions[*i].x, old.positions[*i].y),
            Vertex::New { x, y, .. } => (x.parse().ok()?, y.parse().ok()?),
        };
        bounds = Some(union(bounds, [x, y, x, y]));
    }
    let b = bounds?;
    // The bounds are numbers written, so their shortest text is as written.
    let n = |v: f64| Node::Text(number_text(v, 17, false, style.precision.point_zero));
    let kept = |r: &Range<usize>| Node::Text(raw[r.clone()].to_string());
    let numbers = match items.as_slice() {
        [_, _, _, _] => vec![n(b[0]), n(b[1]), n(b[2]), n(b[3])],
        [_, _, z0, _, _, z1] => vec![n(b[0]), n(b[1]), kept(z0), n(b[2]), n(b[3]), kept(z1)],
        _ => return None,
    };
    let mut out = String::new();
    style.render(&Node::Array(Role::Coordinates(0), numbers), 2, &mut out);
    Some(out)
}
