//! The built-in sample reproduces, from its geometry, the Bắc Ninh board's published late-2023
//! figures (DOMAIN.md): 16 zones with 6,397.68 ha, 12 operating, 15 established with
//! 5,946.99 ha, about 2,481.57 ha of industrial land leased, 60.04 % filled on industrial land.

use std::path::Path;

use zoneatlas::engine::dataset::Dataset;
use zoneatlas::engine::findings::Code;
use zoneatlas::engine::properties::ZoneStatus;
use zoneatlas::i18n::{Lang, Message};

fn sample() -> Dataset {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_zones");
    Dataset::open(
        &dir.join("zones.geojson"),
        Some(&dir.join("parcels.geojson")),
    )
    .expect("sample opens")
}

#[test]
fn published_totals_from_the_geometry() {
    let ds = sample();
    let all = ds.totals_all();
    assert_eq!(all.zones, 16);
    assert_eq!(all.operating, 12);
    assert!(
        (all.area_ha - 6397.68).abs() < 0.005,
        "total area {}",
        all.area_ha
    );
    assert!(
        (all.leased_ha - 2481.57).abs() < 0.005,
        "leased {}",
        all.leased_ha
    );
    assert!((all.industrial_land_ha - 4133.19).abs() < 1e-9);
    assert_eq!(all.basis_label(), "industrial_land");
    assert_eq!(format!("{:.2}", all.fill_rate_pct.expect("rate")), "60.04");
    // Established zones: all but the one only planned.
    let established = ds.totals(|z| ds.zones.items[z].status != Some(ZoneStatus::Planned));
    assert_eq!(established.zones, 15);
    assert!(
        (established.area_ha - 5946.99).abs() < 0.005,
        "established {}",
        established.area_ha
    );
}

#[test]
fn planted_errors_are_found() {
    let ds = sample();
    let findings = ds.findings(zoneatlas::engine::as_of::AsOf::Today(
        zoneatlas::clock::today(),
    ));
    let ids = |code: Code| {
        findings
            .iter()
            .filter(|f| f.code() == code)
            .map(|f| f.id.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(Code::ParcelStraddlesZone), ["QV1-B04-26"]);
    let overlaps = ids(Code::ParcelsOverlap);
    assert_eq!(
        overlaps.len(),
        2,
        "the duplicate overlaps two lots: {overlaps:?}"
    );
    assert_eq!(ids(Code::MissingGeometry), ["DDHS-B09-99"]);
    assert_eq!(ids(Code::UnknownZoneId), ["QV1-B09-07"]);
    assert_eq!(ids(Code::DuplicateId), ["YP2C-B06-05"]);
    assert_eq!(ids(Code::AreaDiffersFromPlan), ["BN-TT3"]);
    // Leases that ended in 2020–2022 on lots still marked leased (sample_zones/README.md).
    let mut ended = ids(Code::LeaseEnded);
    ended.sort_unstable();
    assert_eq!(ended, ["QV1-B04-01", "QV1-B04-18", "YP1-B02-20"]);
    // The parcel with no zone_id is placed in the zone it lies in.
    let parcels = ds.parcels.as_ref().expect("parcels");
    let p = parcels
        .items
        .iter()
        .position(|p| p.id == "TS-B02-04")
        .expect("parcel");
    let z = ds.zone_of(p).expect("placed");
    assert_eq!(ds.zones.items[z].id, "BN-TS");
}

#[test]
fn every_finding_reads_in_vietnamese_with_vietnamese_numbers() {
    let ds = sample();
    let findings = ds.findings(zoneatlas::engine::as_of::AsOf::Today(
        zoneatlas::clock::today(),
    ));
    assert!(findings.len() >= 7);
    for f in &findings {
        let vi = f.message(Lang::Vi);
        assert!(!vi.is_empty() && vi != f.message(Lang::En), "{f:?}");
    }
    let straddler = findings
        .iter()
        .find(|f| f.code() == Code::ParcelStraddlesZone)
        .expect("the planted straddler");
    // 1.4404 ha outside (sample_zones/README.md), written the Vietnamese way.
    assert!(
        straddler.message(Lang::En).contains("1.4404 ha"),
        "{}",
        straddler.message(Lang::En)
    );
    assert!(
        straddler.message(Lang::Vi).contains("1,4404 trong"),
        "{}",
        straddler.message(Lang::Vi)
    );
}
