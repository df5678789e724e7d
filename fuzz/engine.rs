//! ZoneAtlas's engine, built alone for fuzzing (it imports nothing from the app), with the
//! catalogue and the reports that put its findings into words.
#![deny(unsafe_code)]
#[path = "../src/engine/mod.rs"]
pub mod engine;
#[path = "../src/i18n/mod.rs"]
pub mod i18n;
#[path = "../src/report/mod.rs"]
pub mod report;
