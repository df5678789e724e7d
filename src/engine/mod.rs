//! The engine: everything ZoneAtlas computes, with no user interface.
//!
//! The command line, the desktop app and the tests all go through this module; nothing in it
//! imports egui, eframe or rfd. Layers, each using only those above it:
//! - [`geojson`]: a GeoJSON file kept as text (owned or mapped), with the places of its
//!   features' members; the one structural scanner, geometry walker and splice;
//! - [`geometry`], [`properties`]: reading a feature's shape and attributes; [`crs`]: files in
//!   other coordinate systems (a legacy `crs` member), converted to WGS84 as they are read;
//! - [`model`]: zones and parcels as read from a document;
//! - [`geodesy`], [`coverage`], [`index`]: areas, land covered inside a zone, the R-tree;
//! - [`figures`], [`findings`], [`bbox`], [`dataset`]: fill rates, what is wrong with the data
//!   (and with its `bbox` members), and the two files measured together;
//! - [`as_of`]: the figures as they stood on a date; [`investment`]: projects and capital by
//!   type and by investor country;
//! - [`report`], [`export`]: tables for people and machines, and the lossless GeoJSON export;
//!   [`saving`]: saving over a board's file safely (backup, changed-on-disk check, recovery);
//!   [`legacy_text`]: TCVN3 / VNI text read as Latin-1, recognised and converted to Unicode.
pub mod as_of;
pub mod bbox;
pub mod coverage;
pub mod crs;
pub mod dataset;
pub mod export;
pub mod figures;
pub mod findings;
pub mod format;
pub mod geodesy;
pub mod geojson;
pub mod geometry;
pub mod index;
pub mod investment;
pub mod legacy_text;
pub mod model;
pub mod properties;
pub mod report;
pub mod saving;
#[cfg(test)]
pub(crate) mod test_data;
