//! The engine: everything ZoneAtlas computes, with no user interface.
//!
//! The command line, the desktop app and the tests all go through this module; nothing in it
//! imports egui, eframe or rfd.
pub mod document;
pub mod geodesy;
pub mod geometry;
pub mod properties;
