//! The loader on arbitrary bytes: parse, measure (the file as zones and as parcels together),
//! findings, reports, and export without and with an edit. Nothing may panic; export without
//! edits is the text byte for byte, and with an edit it is still JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::path::Path;
use zoneatlas_fuzz::engine::dataset::Dataset;
use zoneatlas_fuzz::engine::geojson::Document;
use zoneatlas_fuzz::engine::as_of::AsOf;
use zoneatlas_fuzz::engine::export::{render, zone_stats};
use zoneatlas_fuzz::engine::properties::Date;
use zoneatlas_fuzz::i18n::{Lang, Message};
use zoneatlas_fuzz::report::{self, Report};

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = Document::parse(Path::new("fuzz.geojson"), data.to_vec()) else {
        return;
    };
    assert_eq!(render(&doc, |_| Vec::new()), &doc.text[..], "unedited export is the text");
    let is_json = serde_json::from_str::<serde::de::IgnoredAny>(
        doc.text.trim_start_matches('\u{feff}'),
    )
    .is_ok();
    let mut ds = Dataset::new(doc.clone(), Some(doc));
    let today = AsOf::Today(Date(20_000));
    let findings = ds.findings(today);
    for lang in Lang::ALL {
        for f in &findings {
            let _ = f.message(lang);
        }
    }
    let r = Report::today(&ds, &findings);
    let _ = report::csv(&r.table);
    let _ = report::json(&r, Lang::En);
    let _ = report::markdown(&Report::as_of(&ds, AsOf::On(Date(19_000)), true), Lang::Vi);
    let _ = render(&ds.zones.doc, |z| zone_stats(&ds, z));
    if ds.zones.len() > 0 {
        ds.set_zone_property(0, "industrial_land_ha", Some(Value::from("12,5")));
        ds.set_parcel_property(0, "status", Some(Value::from("vacant")));
        let edited = render(&ds.zones.doc, |_| Vec::new());
        if is_json {
            assert!(
                serde_json::from_str::<serde::de::IgnoredAny>(edited.trim_start_matches('\u{feff}'))
                    .is_ok(),
                "an edited export is JSON"
            );
        }
        let _ = ds.findings(today);
    }
});
