//! GeoJSON text: how ZoneAtlas holds a file, finds its way through it, and edits it.
//!
//! One module for everything that touches GeoJSON as text, so that each of these exists once:
//! - [`text`]: the file's text, owned or memory-mapped (the mapping, and the only `unsafe`
//!   code of the crate, live in a private module here);
//! - `scan`: the structural scanner: strings, values, object members, array elements, and
//!   the parallel split of a large `features` array;
//! - [`document`]: the file as the board's record: each feature's spans, its properties,
//!   and the edits made since it was read;
//! - `walk`: the geometry walker: a geometry's type, members, nested collections and
//!   positions with their places in the text, for reading shapes, converting coordinates and
//!   checking `bbox` members;
//! - `splice`: byte ranges of a text replaced, the rest copied (export, conversion);
//! - [`style`]: a new or reshaped feature written in its file's own style (member order,
//!   spacing, coordinate precision, heights), unchanged vertices with their original text.
//!
//! What the engine reads from the text (zones, parcels, findings) is built on these; nothing
//! else in the engine walks GeoJSON text itself. Outside the engine only the document and its
//! text are seen (the scanner, walker and splice are the engine's own).
pub mod document;
#[cfg(target_os = "linux")]
mod mapping;
pub(in crate::engine) mod scan;
pub(in crate::engine) mod splice;
pub mod style;
pub mod text;
pub(in crate::engine) mod walk;

pub use document::{
    Added, Container, Document, FeatureSpans, JsonKind, LoadError, LoadProblem, Malformed, Span,
    TextRange,
};
pub use text::Text;
