//! The engine against independent answers: the geopandas/pyproj peer's per-zone figures and
//! the generator's own count of the errors it planted (tests/data/bench).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use zoneatlas::engine::dataset::Dataset;
use zoneatlas::engine::findings::Code;

fn bench_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/bench")
}

/// Generates the 10k dataset (seed 1) into a temporary folder.
fn dataset_10k() -> (tempfile::TempDir, Dataset) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("za-10k");
    let status = Command::new("python3")
        .arg(bench_dir().join("gen_zones.py"))
        .args([
            "--zones",
            "50",
            "--parcels",
            "10000",
            "--seed",
            "1",
            "--out",
        ])
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs gen_zones.py");
    assert!(status.success(), "gen_zones.py failed");
    let ds = Dataset::open(
        &out.join("zones.geojson"),
        Some(&out.join("parcels.geojson")),
    )
    .expect("opens");
    (dir, ds)
}

/// zone_id → (area_ha, leased_ha_union) from the peer's CSV.
fn peer_figures() -> HashMap<String, (f64, f64)> {
    let text = std::fs::read_to_string(bench_dir().join("detail_10k.csv")).expect("reference csv");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).expect("column");
    let (id, area, union) = (col("zone_id"), col("area_ha"), col("leased_ha_union"));
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let num = |i: usize| f[i].parse::<f64>().expect("number");
            (f[id].to_string(), (num(area), num(union)))
        })
        .collect()
}

#[test]
fn areas_and_leased_land_match_the_reference() {
    let (_dir, ds) = dataset_10k();
    let peer = peer_figures();
    assert_eq!(ds.zones.len(), 50);
    assert_eq!(peer.len(), 50);
    let mut checked = 0;
    for (z, f) in ds.zones.items.iter().zip(&ds.figures) {
        let (area, leased) = peer[&z.id];
        let ours = f.measured.area_ha.expect("zone area");
        // The peer prints 6 decimals: 5e-7 ha of rounding on top of the 1e-6 relative target.
        assert!(
            (ours - area).abs() <= 1e-6 * area + 5e-7,
            "{}: area {ours} vs {area}",
            z.id
        );
        // Leased land: union clipped to the zone, within the 4e-6 the reference itself carries.
        let got = f.measured.leased_ha;
        assert!(
            (got - leased).abs() <= 5e-6 * leased + 1e-5,
            "{}: leased {got} vs {leased}",
            z.id
        );
        checked += 1;
    }
    assert_eq!(checked, 50);
}

#[test]
fn planted_errors_are_all_found() {
    let (_dir, ds) = dataset_10k();
    let truth: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(bench_dir().join("truth_10k.json")).expect("truth"),
    )
    .expect("json");
    let findings = ds.findings(zoneatlas::engine::as_of::AsOf::Today(
        zoneatlas::clock::today(),
    ));
    let parcels = ds.parcels.as_ref().expect("parcels");
    let ids_with = |code: Code| {
        let mut ids: Vec<String> = findings
            .iter()
            .filter(|f| f.code() == code)
            .map(|f| f.id.clone())
            .collect();
        ids.sort();
        ids
    };
    let mut straddlers: Vec<String> = truth["straddling_ids"]
        .as_array()
        .expect("ids")
        .iter()
        .map(|v| v.as_str().expect("str").to_string())
        .collect();
    straddlers.sort();
    assert_eq!(ids_with(Code::ParcelStraddlesZone), straddlers);
    let overlaps: Vec<_> = findings
        .iter()
        .filter(|f| f.code() == Code::ParcelsOverlap)
        .collect();
    assert_eq!(
        overlaps.len() as u64,
        truth["overlapping_pairs"].as_u64().expect("pairs")
    );
    // Every overlapping pair involves one of the planted copies.
    let copies: Vec<&str> = truth["overlap_copy_ids"]
        .as_array()
        .expect("ids")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    for f in &overlaps {
        let other = &parcels.items[f.other().expect("pair") - 1].id;
        assert!(
            copies.contains(&f.id.as_str()) || copies.contains(&other.as_str()),
            "{f:?}"
        );
    }
    // Nothing else is wrong with the generated data.
    assert!(ids_with(Code::InvalidGeometry).is_empty());
    assert!(ids_with(Code::ParcelInNoZone).is_empty());
}
