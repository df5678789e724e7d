//! ZoneAtlas: industrial zones, their leased parcels and fill rates.
pub mod engine;
