//! The engine: everything ZoneAtlas computes, with no user interface.
//!
//! The command line, the desktop app and the tests all go through this module; nothing in it
//! imports egui, eframe or rfd. Layers, each using only those above it:
//! - [`document`]: a GeoJSON file kept as text, with the places of its features' members;
//! - [`geometry`], [`properties`]: reading a feature's shape and attributes;
//! - [`model`]: zones and parcels as read from a document;
//! - [`geodesy`], [`coverage`], [`index`]: areas, land covered inside a zone, the R-tree;
//! - [`figures`], [`findings`], [`bbox`], [`dataset`]: fill rates, what is wrong with the data
//!   (and with its `bbox` members), and the two files measured together; [`as_of`]: the figures as they stood on a date;
//! - [`report`], [`export`]: tables for people and machines, and the lossless GeoJSON export.
pub mod as_of;
pub mod bbox;
pub mod coverage;
pub mod dataset;
pub mod document;
pub mod export;
pub mod figures;
pub mod findings;
pub mod format;
pub mod geodesy;
pub mod geometry;
pub mod index;
pub mod model;
pub mod properties;
pub mod report;
