//! ZoneAtlas: industrial zones, their leased parcels and fill rates.
//!
//! - [`engine`]: reading, measuring, checking and writing zone and parcel files (no UI, no
//!   words, no clock);
//! - [`i18n`]: the message catalogue, every word in the reader's language;
//! - [`report`]: the zone report and the findings written for people and machines;
//! - [`clock`]: today's date where the board is;
//! - [`cli`]: the command line over the engine;
//! - the desktop app (egui) over the same engine.
//!
//! No `unsafe` code, except the memory mapping of files in `engine::geojson` (one module,
//! which allows it locally).
#![deny(unsafe_code)]
pub mod app;
pub mod cli;
pub mod clock;
pub mod engine;
pub mod i18n;
pub mod report;
