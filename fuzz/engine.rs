//! ZoneAtlas's engine, built alone for fuzzing (it imports nothing from the app).
#[path = "../src/engine/mod.rs"]
pub mod engine;
