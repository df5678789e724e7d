//! ZoneAtlas: industrial zones, their leased parcels and fill rates.
//!
//! - [`engine`]: reading, measuring, checking and writing zone and parcel files (no UI);
//! - [`cli`]: the command line over the engine;
//! - the desktop app (egui) over the same engine.
//!
//! No `unsafe` code, except the memory mapping of files in `engine::geojson` (one module,
//! which allows it locally).
#![deny(unsafe_code)]
pub mod app;
pub mod cli;
pub mod engine;
