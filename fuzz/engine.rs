//! ZoneAtlas's engine, built alone for fuzzing (it imports nothing from the app).
#![deny(unsafe_code)]
#[path = "../src/engine/mod.rs"]
pub mod engine;
