//! `zoneatlas fix-text`: the listing of legacy (TCVN3 / VNI) values, the converted file written
//! in place or as a copy with nothing else changed, `--normalize`, and the exit codes.
//!
//! The legacy spellings below are the glibc `iconv` TCVN 5712 encoding of the Unicode text read
//! as Latin-1 (see tests/data/legacy_text/), and VNI worked by hand from its table.

mod common;

use common::Workdir;
use serde_json::Value;
use std::path::Path;
use std::process::Output;

/// TCVN3 tenant and status, VNI tenant; a French name, an English one and Unicode Vietnamese
/// that must be left alone; a decomposed (NFD) name and one spelled with Ð (U+00D0); numbers
/// spelled as the board wrote them, a foreign member, 3-D positions, an id.
const PARCELS: &str = "{\"type\": \"FeatureCollection\", \"name\": \"lo_dat\",
\"features\": [
{\"type\": \"Feature\", \"id\": 7, \"properties\": {\"ma_lo\": \"A-01\", \"tenant\": \"C\u{ab}ng ty TNHH \u{a7}\u{b9}i Ph\u{b8}t\", \"status\": \"\u{a7}\u{b7} cho thu\u{aa}\", \"area_ha\": 1.830},
 \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[106.0, 21.0, 5.0], [106.001, 21.0, 5.0], [106.001, 21.001, 5.0], [106.0, 21.0, 5.0]]]}, \"foreign\": [1, 2.50]},
{\"type\": \"Feature\", \"properties\": {\"ma_lo\": \"A-02\", \"tenant\": \"Co\u{e2}ng ty Co\u{e5} pha\u{e0}n \u{d1}o\u{e0}ng Nai\", \"note\": \"Soci\u{e9}t\u{e9} G\u{e9}n\u{e9}rale\"}, \"geometry\": null},
{\"type\": \"Feature\", \"properties\": {\"ma_lo\": \"A-03\", \"tenant\": \"Công ty TNHH Canon Việt Nam\", \"investor\": \"Müller GmbH\", \"cafe\": \"Café\"}, \"geometry\": null},
{\"type\": \"Feature\", \"properties\": {\"ma_lo\": \"A-04\", \"tenant\": \"Que\u{302}\u{301} Vo\u{303}\", \"zone\": \"\u{d0}ông Thọ\"}, \"geometry\": null}
]}
";

fn fixture() -> Workdir {
    Workdir::new(&[("parcels.geojson", PARCELS)])
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8")
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("JSON")
}

#[test]
fn lists_the_legacy_values_and_writes_nothing() {
    let fx = fixture();
    let o = fx.run(&["fix-text", "parcels.geojson"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "parcels.geojson: feature 1 (A-01) tenant [TCVN3]: \"C«ng ty TNHH §¹i Ph¸t\" → \"Công ty TNHH Đại Phát\"",
            "parcels.geojson: feature 1 (A-01) status [TCVN3]: \"§· cho thuª\" → \"Đã cho thuê\"",
            "parcels.geojson: feature 2 (A-02) tenant [VNI]: \"Coâng ty Coå phaàn Ñoàng Nai\" → \"Công ty Cổ phần Đồng Nai\"",
            "3 values look like legacy text (2 TCVN3, 1 VNI); nothing written (--apply converts parcels.geojson in place, --output FILE writes a copy)",
        ],
        "{text}"
    );
    assert_eq!(fx.read("parcels.geojson"), PARCELS, "the file is untouched");
}

#[test]
fn apply_converts_in_place_and_changes_nothing_else() {
    let fx = fixture();
    let o = fx.run(&["fix-text", "parcels.geojson", "--apply"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).ends_with("; 3 values changed, written to parcels.geojson\n"),
        "{}",
        stdout(&o)
    );
    let after = fx.read("parcels.geojson");
    let mut expect = json(PARCELS);
    expect["features"][0]["properties"]["tenant"] = "Công ty TNHH Đại Phát".into();
    expect["features"][0]["properties"]["status"] = "Đã cho thuê".into();
    expect["features"][1]["properties"]["tenant"] = "Công ty Cổ phần Đồng Nai".into();
    assert_eq!(json(&after), expect);
    // Outside the two edited property objects, the text is the original's byte for byte.
    for kept in [
        "\"area_ha\": 1.830",
        "[106.0, 21.0, 5.0]",
        "\"foreign\": [1, 2.50]",
        "\"name\": \"lo_dat\"",
        "{\"ma_lo\": \"A-03\", \"tenant\": \"Công ty TNHH Canon Việt Nam\", \"investor\": \"Müller GmbH\", \"cafe\": \"Café\"}",
        "\"tenant\": \"Que\u{302}\u{301} Vo\u{303}\", \"zone\": \"\u{d0}ông Thọ\"}",
    ] {
        assert!(after.contains(kept), "{kept} in {after}");
    }
    // Done: a second run finds nothing and does not write.
    let o = fx.run(&["fix-text", "parcels.geojson", "--apply"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o),
        "0 values look like legacy text (0 TCVN3, 0 VNI)\n"
    );
    assert_eq!(fx.read("parcels.geojson"), after);
    let leftovers = std::fs::read_dir(fx.dir.path()).expect("dir").count();
    assert_eq!(leftovers, 1, "no temporary file left");
}

#[test]
fn output_writes_a_copy_and_normalize_composes_and_spells_dj() {
    let fx = fixture();
    let o = fx.run(&[
        "fix-text",
        "parcels.geojson",
        "--normalize",
        "--output",
        "fixed.geojson",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains(
            "feature 4 (A-04) tenant [NFC]: \"Que\u{302}\u{301} Vo\u{303}\" → \"Quế Võ\""
        ),
        "{text}"
    );
    assert!(
        text.contains("feature 4 (A-04) zone [NFC]: \"\u{d0}ông Thọ\" → \"\u{110}ông Thọ\""),
        "{text}"
    );
    assert!(
        text.ends_with(
            "3 values look like legacy text (2 TCVN3, 1 VNI), 2 need Unicode normalisation; 5 values changed, written to fixed.geojson\n"
        ),
        "{text}"
    );
    assert_eq!(
        fx.read("parcels.geojson"),
        PARCELS,
        "the input is untouched"
    );
    let fixed = json(&fx.read("fixed.geojson"));
    let p = |i: usize, k: &str| fixed["features"][i]["properties"][k].clone();
    assert_eq!(p(3, "tenant"), "Quế Võ");
    assert_eq!(p(3, "zone"), "Đông Thọ");
    assert_eq!(p(1, "note"), "Société Générale");
    assert_eq!(p(2, "investor"), "Müller GmbH");
    assert_eq!(p(0, "tenant"), "Công ty TNHH Đại Phát");
}

#[test]
fn file_problems_exit_with_2() {
    let fx = fixture();
    let o = fx.run(&["fix-text", "missing.geojson"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("zoneatlas: missing.geojson: "),
        "{}",
        stderr(&o)
    );
    std::fs::write(
        fx.path("broken.geojson"),
        "{\"type\": \"FeatureCollection\",\n\"features\": [ {,] }",
    )
    .expect("write");
    let o = fx.run(&["fix-text", "broken.geojson"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("broken.geojson:2:"), "{}", stderr(&o));
    let o = fx.run(&[
        "fix-text",
        "parcels.geojson",
        "--output",
        "no-such-dir/x.geojson",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot write"), "{}", stderr(&o));
    // --apply and --output together are a wrong command line (clap's exit code 2).
    let o = fx.run(&[
        "fix-text",
        "parcels.geojson",
        "--apply",
        "--output",
        "x.geojson",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(fx.read("parcels.geojson"), PARCELS);
    assert!(!Path::new(&fx.path("x.geojson")).exists());
}
