//! The engine: everything ZoneAtlas computes, with no user interface and no words.
//!
//! The command line, the desktop app and the tests all go through this module; nothing in it
//! imports egui, eframe or rfd, and it builds no sentence: findings and errors are typed values
//! that the catalogue ([`crate::i18n`]) puts into the reader's language. It never reads the
//! clock either: "today" is passed in ([`as_of::AsOf`]). Layers, each using only those above it:
//! - [`geojson`]: a GeoJSON file kept as text (owned or mapped), with the places of its
//!   features' members; the one structural scanner, geometry walker and splice;
//! - [`geometry`], [`properties`]: reading a feature's shape and attributes; [`attributes`]:
//!   which attribute holds what, and the rules a value keeps (read from a file or edited, typed
//!   in the reader's [`lang`]); [`spelling`]: how a file writes a property, so that an edited
//!   value is written the same way;
//!   [`crs`]: files in other coordinate systems (a legacy `crs` member), converted to WGS84 as
//!   they are read;
//! - [`model`]: zones and parcels as read from a document;
//! - [`geodesy`], [`coverage`], [`index`]: areas, land covered inside a zone, the R-tree;
//! - [`figures`], [`dataset`]: fill rates, and the two files measured together; [`palette`]:
//!   their colours (fill-rate classes, lot statuses) as plain RGB, for the map and the KML export;
//!   [`findings`]: what is wrong with the data, found by the rules in [`checks`] (one file per
//!   family, the `bbox` members' among them); [`gaps`]: gaps left between lots that shared an
//!   edge, kept as facts by the edits that leave them;
//! - [`as_of`]: the figures as they stood on a date; [`table`]: the zone table and its totals
//!   (today's or on a date); [`investment`]: projects and capital by type and by investor
//!   country;
//! - [`edit`]: the one model of a change (set a property, replace a geometry, insert, delete),
//!   applied with every figure following and its inverse returned;
//! - [`script`]: edit scripts (`zoneatlas apply`, the recovery journal) read into edits;
//! - [`export`]: the lossless GeoJSON export; [`saving`]: saving over a board's file safely
//!   (backup, changed-on-disk check, recovery); [`legacy_text`]: TCVN3 / VNI text read as
//!   Latin-1, recognised and converted to Unicode;
//! - [`shape_edit`]: the geometry of planning edits (split, merge, vertex moves, snapping),
//!   pure functions over `geo` shapes;
//! - [`reference`]: reference layers' points, lines and polygons (roads, drainage, district
//!   boundaries), read to be drawn beside the zones, never measured.
pub mod as_of;
pub mod attributes;
pub mod checks;
pub mod coverage;
pub mod cow_vec;
pub mod crs;
pub mod dataset;
pub mod edit;
pub mod export;
pub mod figures;
pub mod findings;
pub mod gaps;
pub mod geodesy;
pub mod geojson;
pub mod geometry;
pub mod index;
pub mod investment;
pub mod join;
pub mod lang;
pub mod legacy_text;
pub mod model;
pub mod palette;
pub mod planning;
pub mod properties;
pub mod reference;
pub mod saving;
pub mod script;
pub mod shape_edit;
pub mod source;
pub mod spelling;
pub mod store;
pub mod table;
#[cfg(test)]
pub(crate) mod test_data;
