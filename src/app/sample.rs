//! The built-in sample (Bắc Ninh's zones and some of their lots), and the empty data the window
//! holds while the files named on the command line load.

use std::path::Path;

use crate::engine::dataset::Dataset;
use crate::engine::geojson::Document;

const SAMPLE_ZONES: &str = include_str!("../../sample_zones/zones.geojson");
const SAMPLE_PARCELS: &str = include_str!("../../sample_zones/parcels.geojson");

/// The built-in sample, measured.
pub fn sample_dataset() -> Dataset {
    let zones = Document::parse(
        Path::new("sample_zones/zones.geojson"),
        SAMPLE_ZONES.as_bytes().to_vec(),
    )
    .expect("the built-in sample zones parse");
    let parcels = Document::parse(
        Path::new("sample_zones/parcels.geojson"),
        SAMPLE_PARCELS.as_bytes().to_vec(),
    )
    .expect("the built-in sample parcels parse");
    Dataset::new(zones, Some(parcels))
}

/// No data.
pub fn empty_dataset() -> Dataset {
    let doc = Document::parse(
        Path::new("empty.geojson"),
        br#"{"type":"FeatureCollection","features":[]}"#.to_vec(),
    )
    .expect("an empty collection parses");
    Dataset::new(doc, None)
}
