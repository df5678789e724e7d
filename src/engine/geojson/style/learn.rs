//! Learning a file's style from a sample of its features, with the one scanner.

use geo::Coord;

use super::layout::{Gap, Layout, ROLES, Role, SLOTS, Slot};
use super::{
    DEFAULT_MEMBERS, FileStyle, Heights, Member, Precision, SAMPLE_FEATURES, SAMPLE_MAX_BYTES,
};
use crate::engine::crs::{Crs, Projection};
use crate::engine::geodesy::ring_signed_area;
use crate::engine::geojson::document::{Container, Document};
use crate::engine::geojson::scan::{self, Key, skip_value, skip_ws};
use crate::engine::geojson::walk::GeometryType;

/// The style of a document's features (see [`FileStyle::of`]).
pub(super) fn style_of(doc: &Document) -> FileStyle {
    let text: &str = &doc.text;
    let mut seen = Observations::default();
    let sample = sample_features(doc);
    let collection = matches!(doc.container, Container::Collection { .. });
    for &i in &sample {
        let whole = doc.features[i].whole.range();
        let Some(feature) = text.get(whole.clone()) else {
            continue;
        };
        if collection
            && let Some(next) = doc.features.get(i + 1)
            && let Some(between) = text.get(whole.end..next.whole.start as usize)
        {
            count(&mut seen.between, between.to_string());
        }
        // A feature the scanner cannot read teaches nothing more (serde_json read it).
        let _ = learn_feature(feature, &mut seen);
        seen.note_strings(feature);
    }
    let mut top_level = false;
    if doc.features.is_empty() {
        // Only a small text has no features: its top-level object is cheap to read.
        let start = skip_ws(
            text.as_bytes(),
            if text.starts_with('\u{feff}') { 3 } else { 0 },
        );
        let b = text.as_bytes();
        top_level = object_gaps(text, start, Role::Feature, 0, &mut seen, |_, s, _| {
            skip_value(b, s)
        })
        .is_some();
    }
    // The text before the first feature, after the array's `[`: its indentation is the
    // features', and with a comma it is what separates features in a collection of one.
    let before_first = match (doc.container, doc.features.first()) {
        (Container::Collection { .. }, Some(f)) => {
            let start = f.whole.start as usize;
            text.get(..start).and_then(|head| {
                let trimmed = head.trim_end_matches([' ', '\t', '\n', '\r']);
                trimmed.ends_with('[').then(|| &head[trimmed.len()..])
            })
        }
        _ => None,
    };
    seen.style(doc.crs.as_ref(), before_first, top_level)
}

/// The features a style is learned from: up to [`SAMPLE_FEATURES`], spread evenly, each the
/// first readable one of at most [`SAMPLE_MAX_BYTES`] at or just after its place.
fn sample_features(doc: &Document) -> Vec<usize> {
    let n = doc.features.len();
    let mut chosen: Vec<usize> = Vec::new();
    let mut smallest: Option<(usize, usize)> = None;
    for k in 0..SAMPLE_FEATURES.min(n) {
        let from = k * n / SAMPLE_FEATURES.min(n);
        for i in from..(from + 4).min(n) {
            let f = &doc.features[i];
            if f.malformed || chosen.last().is_some_and(|&c| c >= i) {
                continue;
            }
            let size = (f.whole.end - f.whole.start) as usize;
            if smallest.is_none_or(|(s, _)| size < s) {
                smallest = Some((size, i));
            }
            if size <= SAMPLE_MAX_BYTES {
                chosen.push(i);
                break;
            }
        }
    }
    if chosen.is_empty() {
        chosen.extend(smallest.map(|(_, i)| i));
    }
    chosen
}

/// What the sampled features show, counted.
#[derive(Default)]
pub(super) struct Observations {
    pub(super) gaps: [[Vec<(Gap, usize)>; SLOTS]; ROLES],
    /// Indentation before tokens at each depth (first seen).
    indents: Vec<(usize, String)>,
    crlf: usize,
    lf: usize,
    between: Vec<(String, usize)>,
    orders: Vec<(Vec<Member>, usize)>,
    type_first: usize,
    type_after: usize,
    polygons: usize,
    multi_polygons: usize,
    clockwise: usize,
    counter_clockwise: usize,
    decimals: usize,
    /// Fraction lengths seen ending in a zero (`1.50`: 2).
    zero_ended: Vec<usize>,
    wholes_with_point: usize,
    wholes_plain: usize,
    with_height: usize,
    without_height: usize,
    /// The first height's text, and whether every height since was the same.
    height: Option<(String, bool)>,
    escaped: bool,
    raw_non_ascii: bool,
    /// Whitespace is kept as written, new lines and indentation included (for the spacing of
    /// one geometry written again at the same place).
    literal: bool,
}

fn count<T: PartialEq>(counts: &mut Vec<(T, usize)>, value: T) {
    match counts.iter_mut().find(|(v, _)| *v == value) {
        Some((_, n)) => *n += 1,
        None => counts.push((value, 1)),
    }
}

/// The most counted value (the first seen of a tie).
pub(super) fn mode<T: Clone>(counts: &[(T, usize)]) -> Option<T> {
    let mut best: Option<&(T, usize)> = None;
    for c in counts {
        if best.is_none_or(|b| c.1 > b.1) {
            best = Some(c);
        }
    }
    best.map(|(v, _)| v.clone())
}

impl Observations {
    /// Observations that keep whitespace as written, new lines and indentation included.
    pub(super) fn literal() -> Observations {
        Observations {
            literal: true,
            ..Observations::default()
        }
    }

    /// Whitespace `ws` seen at `slot` of a `role`, before a token at `depth`.
    fn record(&mut self, role: Role, slot: Slot, ws: &str, depth: usize) {
        let gap = match ws.rfind('\n') {
            Some(_) if self.literal => Gap::Inline(ws.to_string()),
            Some(nl) => {
                if ws[..nl].ends_with('\r') {
                    self.crlf += 1;
                } else {
                    self.lf += 1;
                }
                if slot != Slot::Empty && !self.indents.iter().any(|(d, _)| *d == depth) {
                    self.indents.push((depth, ws[nl + 1..].to_string()));
                }
                Gap::Break
            }
            None => Gap::Inline(ws.to_string()),
        };
        count(&mut self.gaps[role.index()][slot as usize], gap);
    }

    /// A coordinate's number as written (an x or a y).
    fn number(&mut self, raw: &str) {
        if raw.contains(['e', 'E']) {
            return;
        }
        match raw.split_once('.') {
            Some((_, fraction)) => {
                self.decimals = self.decimals.max(fraction.len());
                if fraction.ends_with('0') && !self.zero_ended.contains(&fraction.len()) {
                    self.zero_ended.push(fraction.len());
                }
                if fraction.bytes().all(|c| c == b'0') {
                    self.wholes_with_point += 1;
                }
            }
            None => self.wholes_plain += 1,
        }
    }

    fn height(&mut self, raw: Option<&str>) {
        let Some(raw) = raw else {
            self.without_height += 1;
            return;
        };
        self.with_height += 1;
        match &mut self.height {
            None => self.height = Some((raw.to_string(), true)),
            Some((first, same)) => *same &= first == raw,
        }
    }

    /// Whether a feature's strings are written in ASCII with escapes, or with other
    /// characters as they are.
    fn note_strings(&mut self, feature: &str) {
        self.raw_non_ascii |= !feature.is_ascii();
        self.escaped |= feature.match_indices("\\u").any(|(at, _)| {
            feature
                .get(at + 2..at + 6)
                .and_then(|hex| u16::from_str_radix(hex, 16).ok())
                .is_some_and(|c| c >= 0x80)
        });
    }

    fn style(self, crs: Option<&Crs>, before_first: Option<&str>, top_level: bool) -> FileStyle {
        let default = FileStyle::default();
        let mut gaps = Layout::compact().gaps;
        let seen = |role: Role, slot: Slot| mode(&self.gaps[role.index()][slot as usize]);
        for role in Role::all() {
            for slot in Slot::all() {
                // What is not seen is taken from the nearest part that is: coordinates from
                // the levels around them, a geometry or properties object from the feature.
                let nearest: Vec<Role> = match role {
                    Role::Coordinates(k) => {
                        let mut levels: Vec<usize> = (0..4).filter(|&j| j != k).collect();
                        levels.sort_by_key(|&j| (j.abs_diff(k), j < k));
                        levels.into_iter().map(Role::Coordinates).collect()
                    }
                    Role::Feature => vec![Role::Geometry, Role::Properties],
                    _ => vec![Role::Feature],
                };
                let found = std::iter::once(role)
                    .chain(nearest)
                    .find_map(|r| seen(r, slot))
                    .or_else(|| match slot {
                        // An empty object or array: as any part writes one.
                        Slot::Empty => Role::all().into_iter().find_map(|r| seen(r, slot)),
                        _ => None,
                    });
                if let Some(gap) = found {
                    gaps[role.index()][slot as usize] = gap;
                }
            }
        }
        let between = mode(&self.between);
        let feature_line = |s: &str| s.rfind('\n').map(|nl| s[nl + 1..].to_string());
        let mut base = self
            .indents
            .iter()
            .find(|(d, _)| *d == 0)
            .map(|(_, s)| s.clone())
            .or_else(|| between.as_deref().and_then(feature_line))
            .or_else(|| before_first.and_then(feature_line))
            .unwrap_or_default();
        let unit = self
            .indents
            .iter()
            .filter(|(d, _)| *d > 0)
            .find_map(|(d, s)| {
                let rest = s.strip_prefix(base.as_str())?;
                let unit = rest.get(..rest.len() / d)?;
                (!unit.is_empty() && unit.repeat(*d) == rest).then(|| unit.to_string())
            })
            .unwrap_or_else(|| "  ".into());
        if top_level && !self.indents.is_empty() {
            // Features sit two levels into the top-level object (in its `features` array).
            base = unit.repeat(2);
        }
        let layout = Layout {
            gaps,
            newline: if self.crlf > self.lf { "\r\n" } else { "\n" },
            base,
            unit,
        };
        let between_features = between
            .or_else(|| before_first.map(|ws| format!(",{ws}")))
            .unwrap_or_else(|| {
                if layout.pretty() {
                    format!(",{}{}", layout.newline, layout.base)
                } else {
                    default.between_features.clone()
                }
            });
        FileStyle {
            members: member_order(&self.orders),
            geometry_type_first: self.type_after <= self.type_first,
            between_features,
            precision: Precision {
                decimals: self.decimals,
                projected: crs.is_some_and(|c| c.projection != Projection::Geographic),
                padded: self.decimals >= 2 && self.zero_ended.contains(&self.decimals),
                point_zero: self.wholes_with_point > 0 && self.wholes_plain == 0,
            },
            heights: match self.height {
                Some((text, true)) if self.with_height > self.without_height => Heights::Flat(text),
                Some(_) if self.with_height > self.without_height => Heights::Varied,
                _ => Heights::None,
            },
            multi: self.multi_polygons > self.polygons,
            clockwise: self.clockwise > self.counter_clockwise,
            ascii: self.escaped && !self.raw_non_ascii,
            layout,
        }
    }
}

/// The members' order: the most common among the sampled features; a member they lack placed
/// as the features that have it place it, else where RFC 7946's order puts it (after the
/// member before it there).
fn member_order(orders: &[(Vec<Member>, usize)]) -> Vec<Member> {
    let mut order = mode(orders).unwrap_or_default();
    for m in DEFAULT_MEMBERS {
        if order.contains(&m) {
            continue;
        }
        let shown = orders.iter().find(|(o, _)| o.contains(&m)).map(|(o, _)| o);
        let before: Vec<Member> = match shown {
            Some(o) => o.iter().take_while(|x| **x != m).copied().collect(),
            None => DEFAULT_MEMBERS
                .iter()
                .take_while(|x| **x != m)
                .copied()
                .collect(),
        };
        let at = before
            .iter()
            .rev()
            .find_map(|b| order.iter().position(|x| x == b))
            .map_or(0, |p| p + 1);
        order.insert(at, m);
    }
    order
}

/// The byte offset of `part` (a slice of `text`) in `text`.
fn offset(text: &str, part: &str) -> usize {
    part.as_ptr() as usize - text.as_ptr() as usize
}

/// Steps through the object at `open` (a `role`, its brackets `depth` into the feature),
/// recording its whitespace; `value(key, start, seen)` reads each member's value and returns
/// its end. Returns the object's end.
fn object_gaps<'a>(
    text: &'a str,
    open: usize,
    role: Role,
    depth: usize,
    seen: &mut Observations,
    mut value: impl FnMut(Key<'a>, usize, &mut Observations) -> Option<usize>,
) -> Option<usize> {
    let b = text.as_bytes();
    let mut last: Option<usize> = None;
    let end = scan::object(text, open, |key, start| {
        let key_start = offset(text, key.raw);
        match last {
            None => seen.record(role, Slot::Open, &text[open + 1..key_start], depth + 1),
            Some(end) => {
                let comma = skip_ws(b, end);
                seen.record(role, Slot::BeforeComma, &text[end..comma], depth + 1);
                seen.record(
                    role,
                    Slot::AfterComma,
                    &text[comma + 1..key_start],
                    depth + 1,
                );
            }
        }
        let key_end = key_start + key.raw.len();
        let colon = skip_ws(b, key_end);
        seen.record(role, Slot::BeforeColon, &text[key_end..colon], depth + 1);
        seen.record(role, Slot::AfterColon, &text[colon + 1..start], depth + 1);
        let end = value(key, start, seen)?;
        last = Some(end);
        Some(end)
    })?;
    let close = end - 1;
    match last {
        None => seen.record(role, Slot::Empty, &text[open + 1..close], depth),
        Some(last) => seen.record(role, Slot::Close, &text[last..close], depth),
    }
    Some(end)
}

/// [`object_gaps`] for an array: `element(start, index, seen)` reads each element.
fn array_gaps(
    text: &str,
    open: usize,
    role: Role,
    depth: usize,
    seen: &mut Observations,
    mut element: impl FnMut(usize, usize, &mut Observations) -> Option<usize>,
) -> Option<usize> {
    let b = text.as_bytes();
    let mut last: Option<usize> = None;
    let mut index = 0;
    let end = scan::array(text, open, |start| {
        match last {
            None => seen.record(role, Slot::Open, &text[open + 1..start], depth + 1),
            Some(end) => {
                let comma = skip_ws(b, end);
                seen.record(role, Slot::BeforeComma, &text[end..comma], depth + 1);
                seen.record(role, Slot::AfterComma, &text[comma + 1..start], depth + 1);
            }
        }
        let end = element(start, index, seen)?;
        index += 1;
        last = Some(end);
        Some(end)
    })?;
    let close = end - 1;
    match last {
        None => seen.record(role, Slot::Empty, &text[open + 1..close], depth),
        Some(last) => seen.record(role, Slot::Close, &text[last..close], depth),
    }
    Some(end)
}

/// Learns from one feature's text: its members' order and spacing, its properties' spacing
/// and its geometry's.
fn learn_feature(text: &str, seen: &mut Observations) -> Option<()> {
    let b = text.as_bytes();
    let mut order = Vec::with_capacity(4);
    let open = skip_ws(b, 0);
    object_gaps(text, open, Role::Feature, 0, seen, |key, start, seen| {
        if key.is("properties") {
            order.push(Member::Properties);
            if b.get(start) == Some(&b'{') {
                return object_gaps(text, start, Role::Properties, 1, seen, |_, s, _| {
                    skip_value(b, s)
                });
            }
        } else if key.is("geometry") {
            order.push(Member::Geometry);
            if b.get(start) == Some(&b'{') {
                return learn_geometry(text, start, seen);
            }
        } else if key.is("type") {
            order.push(Member::Type);
        } else if key.is("id") {
            order.push(Member::Id);
        }
        skip_value(b, start)
    })?;
    count(&mut seen.orders, order);
    Some(())
}

/// Learns from a geometry object at `open` (a feature's member, one level in).
fn learn_geometry(text: &str, open: usize, seen: &mut Observations) -> Option<usize> {
    let b = text.as_bytes();
    let mut kind: Option<GeometryType> = None;
    let mut coordinates_seen = false;
    object_gaps(text, open, Role::Geometry, 1, seen, |key, start, seen| {
        let end = skip_value(b, start)?;
        if key.is("type") {
            kind = scan::string_text(&text[start..end], text[start..end].contains('\\'))
                .and_then(|name| GeometryType::named(&name));
            if coordinates_seen {
                seen.type_after += 1;
            } else {
                seen.type_first += 1;
            }
            match kind {
                Some(GeometryType::Polygon) => seen.polygons += 1,
                Some(GeometryType::MultiPolygon) => seen.multi_polygons += 1,
                _ => {}
            }
            return Some(end);
        }
        if !key.is("coordinates") || b.get(start) != Some(&b'[') {
            return Some(end);
        }
        coordinates_seen = true;
        // How many arrays deep the first position is: the coordinates' levels, wherever the
        // type is written.
        let mut levels = 0;
        let mut k = skip_ws(b, start + 1);
        while b.get(k) == Some(&b'[') {
            levels += 1;
            k = skip_ws(b, k + 1);
        }
        // Rings are a polygon's when the type says so (or, written after, when the depth does).
        let rings = match kind {
            Some(k) => matches!(k, GeometryType::Polygon | GeometryType::MultiPolygon),
            None => levels >= 2,
        };
        learn_coordinates(text, start, levels, 2, rings, seen, &mut Vec::new());
        Some(end)
    })
}

/// Learns from coordinates: the array at `open` is `level` levels above a position, its
/// brackets `depth` into the feature; `rings`: the arrays at level 2 are a polygon's rings
/// (the first its exterior, whose winding is counted). A position's numbers are pushed to
/// `ring`.
pub(super) fn learn_coordinates(
    text: &str,
    open: usize,
    level: usize,
    depth: usize,
    rings: bool,
    seen: &mut Observations,
    ring: &mut Vec<Coord<f64>>,
) -> Option<usize> {
    let b = text.as_bytes();
    let role = Role::Coordinates(level);
    if level == 0 {
        let mut xy = [f64::NAN; 2];
        let mut height = None;
        let mut numbers = 0;
        let end = array_gaps(text, open, role, depth, seen, |s, index, seen| {
            let end = skip_value(b, s)?;
            let raw = &text[s..end];
            numbers += 1;
            match index {
                0 | 1 => {
                    seen.number(raw);
                    xy[index] = raw.parse().unwrap_or(f64::NAN);
                }
                2 => height = Some(raw),
                _ => {}
            }
            Some(end)
        })?;
        // A position of one number is no position: it says nothing about heights.
        if numbers >= 2 {
            seen.height(height);
        }
        ring.push(Coord { x: xy[0], y: xy[1] });
        return Some(end);
    }
    let mut positions: Vec<Coord<f64>> = Vec::new();
    let end = array_gaps(text, open, role, depth, seen, |s, index, seen| {
        if b.get(s) != Some(&b'[') {
            return skip_value(b, s);
        }
        let end = learn_coordinates(text, s, level - 1, depth + 1, rings, seen, &mut positions)?;
        if level == 2 {
            if rings && index == 0 {
                let area = ring_signed_area(&positions);
                if area < 0.0 {
                    seen.clockwise += 1;
                } else if area > 0.0 {
                    seen.counter_clockwise += 1;
                }
            }
            positions.clear();
        }
        Some(end)
    })?;
    if level == 1 {
        ring.append(&mut positions);
    }
    Some(end)
}
