#![cfg(unix)]
//! A parcels file cut short in place by another program while `report` reads it (the command
//! line maps files): the process is never killed by a signal. It either finishes with the
//! right figures (the cut came after it was done with the file) or stops with exit code 2 and a
//! message naming the file, writing nothing.

mod common;

use common::Workdir;
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};
use std::time::Duration;

/// One zone, and a grid of `n` small lots inside it.
fn files(n: usize) -> (String, String) {
    let zones = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"zone_id":"Z","industrial_land_ha":500},"geometry":{"type":"Polygon","coordinates":[[[105.0,21.0],[105.1,21.0],[105.1,21.1],[105.0,21.1],[105.0,21.0]]]}}]}"#;
    let mut parcels = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
    for i in 0..n {
        let (x, y) = (
            105.0005 + (i % 300) as f64 * 3e-4,
            21.0005 + (i / 300) as f64 * 3e-4,
        );
        let d = 2e-4;
        if i > 0 {
            parcels.push_str(",\n");
        }
        parcels.push_str(&format!(
            r#"{{"type":"Feature","properties":{{"parcel_id":"L{i}","zone_id":"Z","status":"{}","tenant":"Công ty số {i}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]]}}}}"#,
            if i % 3 == 0 { "vacant" } else { "leased" },
            x + d,
            x + d,
            y + d,
            y + d
        ));
    }
    parcels.push_str("\n]}\n");
    (zones.to_string(), parcels)
}

#[test]
fn a_file_cut_short_while_report_reads_it_is_reported_not_fatal() {
    let (zones, parcels) = files(40_000);
    let w = Workdir::new(&[("zones.geojson", &zones)]);
    let path = w.path("parcels.geojson");
    std::fs::write(&path, &parcels).expect("write");
    let started = std::time::Instant::now();
    let intact = w.run(&[
        "report",
        "zones.geojson",
        "parcels.geojson",
        "--output",
        "expected.csv",
    ]);
    assert_eq!(intact.status.code(), Some(0), "{intact:?}");
    let expected = w.read("expected.csv");
    let mut outcomes = Vec::new();
    // Cuts at a few moments: before the file is opened, while it is split, while its features
    // are read, and (most likely) after the report is written.
    let run_ms = started.elapsed().as_millis() as u64;
    for delay_ms in [0, 20, run_ms / 4, run_ms / 2, run_ms, 2 * run_ms] {
        std::fs::write(&path, &parcels).expect("write");
        let _ = std::fs::remove_file(w.path("got.csv"));
        let child = Command::new(env!("CARGO_BIN_EXE_zoneatlas"))
            .current_dir(w.dir.path())
            .args([
                "report",
                "zones.geojson",
                "parcels.geojson",
                "--output",
                "got.csv",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("runs");
        std::thread::sleep(Duration::from_millis(delay_ms));
        // Another program cuts the file to a third, in place (not by renaming).
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .and_then(|f| f.set_len(parcels.len() as u64 / 3))
            .expect("truncate");
        let out = child.wait_with_output().expect("waits");
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(
            out.status.signal(),
            None,
            "killed by a signal after {delay_ms} ms: {stderr}"
        );
        match out.status.code() {
            Some(0) => {
                assert_eq!(w.read("got.csv"), expected, "after {delay_ms} ms");
                outcomes.push(format!("{delay_ms} ms: done before the cut"));
            }
            Some(2) => {
                assert!(
                    stderr.contains("parcels.geojson")
                        && (stderr.contains(
                            "the file changed while it was being read (truncated by another program)"
                        ) || stderr.contains("not valid JSON")),
                    "after {delay_ms} ms: {stderr}"
                );
                assert!(!w.path("got.csv").exists(), "nothing written");
                outcomes.push(format!("{delay_ms} ms: {}", stderr.trim()));
            }
            other => panic!("exit {other:?} after {delay_ms} ms: {stderr}"),
        }
    }
    eprintln!("{}", outcomes.join("\n"));
}
