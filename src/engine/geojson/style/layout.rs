//! How a file lays out JSON: the whitespace it writes at each place of a feature (learned
//! as [`Gap`]s by `learn`), and values written that way.

use serde_json::Value;

use super::FileStyle;

/// The parts of a feature whose spacing is learned apart: the feature object, its properties
/// object (and objects inside property values), its geometry object, and the coordinates'
/// arrays by how many levels above a position they are (0: a position, 1: a ring, 2: a
/// polygon's rings, 3: a MultiPolygon's polygons).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Role {
    Feature,
    Properties,
    Geometry,
    Coordinates(usize),
}

pub(super) const ROLES: usize = 7;
pub(super) const SLOTS: usize = 7;

impl Role {
    pub(super) fn index(self) -> usize {
        match self {
            Role::Feature => 0,
            Role::Properties => 1,
            Role::Geometry => 2,
            Role::Coordinates(k) => 3 + k.min(3),
        }
    }

    pub(super) fn all() -> [Role; ROLES] {
        [
            Role::Feature,
            Role::Properties,
            Role::Geometry,
            Role::Coordinates(0),
            Role::Coordinates(1),
            Role::Coordinates(2),
            Role::Coordinates(3),
        ]
    }
}

/// Where whitespace sits in an object or array.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Slot {
    /// After the opening bracket.
    Open,
    /// Before the closing bracket.
    Close,
    /// Between the brackets of an empty object or array.
    Empty,
    BeforeComma,
    AfterComma,
    BeforeColon,
    AfterColon,
}

impl Slot {
    pub(super) fn all() -> [Slot; SLOTS] {
        [
            Slot::Open,
            Slot::Close,
            Slot::Empty,
            Slot::BeforeComma,
            Slot::AfterComma,
            Slot::BeforeColon,
            Slot::AfterColon,
        ]
    }
}

/// Whitespace as a file writes it at one place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Gap {
    /// On the same line: this text (`""`, `" "`).
    Inline(String),
    /// A new line, indented for the depth of what follows.
    Break,
}

#[derive(Clone, Debug, PartialEq)]
pub(super) struct Layout {
    pub(super) gaps: [[Gap; SLOTS]; ROLES],
    pub(super) newline: &'static str,
    /// The indentation of a feature's own line, and of each level deeper.
    pub(super) base: String,
    pub(super) unit: String,
}

impl Layout {
    pub(super) fn compact() -> Layout {
        Layout {
            gaps: std::array::from_fn(|_| std::array::from_fn(|_| Gap::Inline(String::new()))),
            newline: "\n",
            base: String::new(),
            unit: "  ".into(),
        }
    }

    pub(super) fn pretty(&self) -> bool {
        self.gaps.iter().any(|slots| slots.contains(&Gap::Break))
    }

    /// Writes the whitespace of `slot` in a `role` before a token `depth` levels into the
    /// feature (0: the feature's own brackets).
    fn gap(&self, out: &mut String, role: Role, slot: Slot, depth: usize) {
        match &self.gaps[role.index()][slot as usize] {
            Gap::Inline(s) => out.push_str(s),
            Gap::Break => {
                out.push_str(self.newline);
                out.push_str(&self.base);
                for _ in 0..depth {
                    out.push_str(&self.unit);
                }
            }
        }
    }
}

/// A value to write: text as it is, or an object or array spaced as its role is in the file.
pub(super) enum Node {
    Text(String),
    Object(Role, Vec<(String, Node)>),
    Array(Role, Vec<Node>),
}

impl FileStyle {
    /// `node` written with its brackets `depth` into the feature.
    pub(super) fn render(&self, node: &Node, depth: usize, out: &mut String) {
        let l = &self.layout;
        match node {
            Node::Text(t) => out.push_str(t),
            Node::Array(role, items) => {
                out.push('[');
                if items.is_empty() {
                    l.gap(out, *role, Slot::Empty, depth);
                }
                for (k, item) in items.iter().enumerate() {
                    if k == 0 {
                        l.gap(out, *role, Slot::Open, depth + 1);
                    } else {
                        l.gap(out, *role, Slot::BeforeComma, depth + 1);
                        out.push(',');
                        l.gap(out, *role, Slot::AfterComma, depth + 1);
                    }
                    self.render(item, depth + 1, out);
                }
                if !items.is_empty() {
                    l.gap(out, *role, Slot::Close, depth);
                }
                out.push(']');
            }
            Node::Object(role, members) => {
                out.push('{');
                if members.is_empty() {
                    l.gap(out, *role, Slot::Empty, depth);
                }
                for (k, (key, value)) in members.iter().enumerate() {
                    if k == 0 {
                        l.gap(out, *role, Slot::Open, depth + 1);
                    } else {
                        l.gap(out, *role, Slot::BeforeComma, depth + 1);
                        out.push(',');
                        l.gap(out, *role, Slot::AfterComma, depth + 1);
                    }
                    out.push_str(key);
                    l.gap(out, *role, Slot::BeforeColon, depth + 1);
                    out.push(':');
                    l.gap(out, *role, Slot::AfterColon, depth + 1);
                    self.render(value, depth + 1, out);
                }
                if !members.is_empty() {
                    l.gap(out, *role, Slot::Close, depth);
                }
                out.push('}');
            }
        }
    }

    /// A JSON string as the file writes strings.
    pub(super) fn string(&self, s: &str) -> String {
        let json = Value::from(s).to_string();
        if !self.ascii || json.is_ascii() {
            return json;
        }
        let mut out = String::with_capacity(json.len() + 16);
        for c in json.chars() {
            if c.is_ascii() {
                out.push(c);
            } else {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
        }
        out
    }

    /// A JSON value (a property's, an id) as the file would write it.
    pub(super) fn value(&self, v: &Value) -> Node {
        match v {
            Value::Object(members) => Node::Object(
                Role::Properties,
                members
                    .iter()
                    .map(|(k, v)| (self.string(k), self.value(v)))
                    .collect(),
            ),
            Value::Array(items) => {
                // Spaced as the file spaces arrays of numbers, or arrays of arrays.
                let flat = items.iter().all(|x| !x.is_array() && !x.is_object());
                Node::Array(
                    Role::Coordinates(if flat { 0 } else { 1 }),
                    items.iter().map(|x| self.value(x)).collect(),
                )
            }
            Value::String(s) => Node::Text(self.string(s)),
            other => Node::Text(other.to_string()),
        }
    }

    /// A coordinate written with `decimals` in the file's spelling: the shortest text that
    /// reads back as the same number when it has no more decimals than that (so a number the
    /// file wrote comes back as written), else rounded; never an exponent. A number that is
    /// not finite (which no shape of the engine has) is written `null`, which the reader
    /// reports rather than a file that no longer reads.
    pub(super) fn number(&self, v: f64, decimals: usize) -> String {
        number_text(
            v,
            decimals,
            self.precision.padded,
            self.precision.point_zero,
        )
    }
}

/// `v` with at most `decimals` decimals (see [`FileStyle::number`]); `padded`: always that
/// many; `point_zero`: a whole number with `.0`.
pub(super) fn number_text(v: f64, decimals: usize, padded: bool, point_zero: bool) -> String {
    if !v.is_finite() {
        return "null".into();
    }
    let mut s = if padded {
        format!("{v:.decimals$}")
    } else {
        let shortest = format!("{v}");
        let written = shortest.split_once('.').map_or(0, |(_, f)| f.len());
        if written <= decimals {
            shortest
        } else {
            let rounded = format!("{v:.decimals$}");
            if rounded.contains('.') {
                rounded
                    .trim_end_matches('0')
                    .trim_end_matches('.')
                    .to_string()
            } else {
                rounded
            }
        }
    };
    if s.starts_with('-') && s[1..].bytes().all(|c| c == b'0' || c == b'.') {
        s.remove(0);
    }
    if point_zero && !s.contains('.') {
        s.push_str(".0");
    }
    s
}
