//! Lossless export: the file as it was read, with only the edited property values (and, on
//! request, the computed figures) spliced in. Members, their order, number spellings,
//! foreign members, 3-D positions, ids and whitespace elsewhere are copied byte for byte.
//!
//! Files are written atomically: to a temporary file in the same folder, flushed to disk, then
//! renamed over the target, so a failed write never leaves a truncated file.

use serde_json::{Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::dataset::Dataset;
use super::document::Document;

/// Property names `--with-stats` adds to zones. The `computed_` prefix keeps them apart from
/// the board's own properties, which are never overwritten.
pub const STATS_KEYS: [&str; 9] = [
    "computed_area_ha",
    "computed_leased_ha",
    "computed_leased_service_ha",
    "computed_fill_rate_pct",
    "computed_fill_rate_d35_pct",
    "computed_fill_basis",
    "computed_parcels_leased",
    "computed_parcels_vacant",
    "computed_parcels_reserved",
];

/// The document's text with its edits, plus `extra(i)` members appended to (or replacing the
/// values of) feature `i`'s properties.
pub fn render(doc: &Document, extra: impl Fn(usize) -> Vec<(String, Value)>) -> String {
    let mut out = String::with_capacity(doc.text.len() + doc.edits.len() * 64);
    let mut copied = 0;
    for i in 0..doc.len() {
        let mut changes: Vec<(String, Value)> = doc.edits.get(&i).cloned().unwrap_or_default();
        for (k, v) in extra(i) {
            match changes.iter_mut().find(|(key, _)| *key == k) {
                Some(slot) => slot.1 = v,
                None => changes.push((k, v)),
            }
        }
        if changes.is_empty() || doc.malformed.iter().any(|(m, _)| *m == i) {
            continue;
        }
        let f = &doc.features[i];
        match &f.properties {
            Some(span) => {
                out.push_str(&doc.text[copied..span.start as usize]);
                out.push_str(&properties_object(doc, i, &changes));
                copied = span.end as usize;
            }
            None => {
                // No `properties` member: add one right after the feature's opening brace,
                // followed by a comma unless the feature has no other member (`{}`).
                let open = f.whole.start as usize + 1;
                out.push_str(&doc.text[copied..open]);
                out.push_str("\"properties\":");
                out.push_str(&properties_object(doc, i, &changes));
                let close = (f.whole.end as usize).saturating_sub(1).max(open);
                if !doc.text[open..close].trim().is_empty() {
                    out.push(',');
                }
                copied = open;
            }
        }
    }
    out.push_str(&doc.text[copied..]);
    out
}

/// Feature `i`'s properties object: the file's members in order (unedited values as written),
/// changed values replaced, new members at the end.
fn properties_object(doc: &Document, i: usize, changes: &[(String, Value)]) -> String {
    let mut members: Vec<String> = Vec::new();
    let raw = doc.raw_properties(i);
    for (k, v) in &raw {
        let value = match changes.iter().find(|(key, _)| key == k) {
            Some((_, new)) => new.to_string(),
            None => v.get().to_string(),
        };
        members.push(format!("{}: {value}", Value::from(k.as_ref())));
    }
    for (k, v) in changes {
        if !raw.iter().any(|(key, _)| key == k) {
            members.push(format!("{}: {v}", Value::from(k.as_str())));
        }
    }
    format!("{{{}}}", members.join(", "))
}

/// Zone `z`'s computed figures, under [`STATS_KEYS`].
pub fn zone_stats(ds: &Dataset, z: usize) -> Vec<(String, Value)> {
    let f = &ds.figures[z];
    let m = &f.measured;
    let with_parcels = ds.parcels.is_some();
    let round = |x: f64, d: i32| {
        let s = 10f64.powi(d);
        (x * s).round() / s
    };
    let values = [
        json!(m.area_ha.map(|a| round(a, 4))),
        json!(with_parcels.then(|| round(m.leased_ha, 4))),
        json!(with_parcels.then(|| round(m.leased_service_ha, 4))),
        json!(
            f.fill_rate_pct
                .filter(|_| with_parcels)
                .map(|x| round(x, 2))
        ),
        json!(
            f.fill_rate_d35_pct
                .filter(|_| with_parcels)
                .map(|x| round(x, 2))
        ),
        json!(f.basis.filter(|_| with_parcels).map(|b| b.code())),
        json!(with_parcels.then_some(m.parcels_leased)),
        json!(with_parcels.then_some(m.parcels_vacant)),
        json!(with_parcels.then_some(m.parcels_reserved)),
    ];
    STATS_KEYS
        .iter()
        .map(|k| k.to_string())
        .zip(values)
        .collect()
}

/// Writes `contents` to `path` atomically (temporary file, flush, rename).
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let tmp = dir.join(format!(".{name}.zoneatlas-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(contents)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The files `export` writes: `zones.geojson` and, with parcels, `parcels.geojson`.
pub fn export_dir(ds: &Dataset, dir: &Path, with_stats: bool) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let zones = render(&ds.zones.doc, |z| {
        if with_stats {
            zone_stats(ds, z)
        } else {
            Vec::new()
        }
    });
    let mut written = vec![dir.join("zones.geojson")];
    write_atomic(&written[0], zones.as_bytes())?;
    if let Some(p) = &ds.parcels {
        let path = dir.join("parcels.geojson");
        write_atomic(&path, render(&p.doc, |_| Vec::new()).as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(s: &str) -> Document {
        Document::parse(Path::new("t.geojson"), s.as_bytes().to_vec()).expect("parses")
    }

    const SRC: &str = r#"{"type":"FeatureCollection","name":"kcn","features":[
 {"type":"Feature","id":7,"properties":{"b":1.830,"industrial_land_ha":"298.50","x":[1,{"y":null}]},"geometry":null,"foo":true},
 {"type":"Feature","geometry":null},
 {"type":"Feature","properties":null,"geometry":null}
],"bbox":[1,2,3,4]}"#;

    #[test]
    fn unedited_is_byte_identical() {
        assert_eq!(render(&doc(SRC), |_| Vec::new()), SRC);
    }

    #[test]
    fn only_the_edit_differs() {
        let mut d = doc(SRC);
        d.set_property(0, "industrial_land_ha", json!("310.25"));
        d.set_property(1, "notes", json!("mới"));
        d.set_property(2, "status", json!("vacant"));
        let out = render(&d, |_| Vec::new());
        let before: Value = serde_json::from_str(SRC).expect("json");
        let after: Value = serde_json::from_str(&out).expect("json");
        let mut expect = before.clone();
        expect["features"][0]["properties"]["industrial_land_ha"] = json!("310.25");
        expect["features"][1]["properties"] = json!({"notes": "mới"});
        expect["features"][2]["properties"] = json!({"status": "vacant"});
        assert_eq!(after, expect);
        assert!(out.contains("\"b\": 1.830"), "number spelling kept: {out}");
        // Setting the value back removes the edit: the file is as it was.
        d.set_property(0, "industrial_land_ha", json!("298.50"));
        assert!(
            render(&d, |_| Vec::new())
                .contains(r#"{"b":1.830,"industrial_land_ha":"298.50","x":[1,{"y":null}]}"#)
        );
    }

    #[test]
    fn atomic_write_replaces_whole_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("zones.geojson");
        std::fs::write(&p, "old contents that are longer").expect("write");
        write_atomic(&p, b"new").expect("atomic");
        assert_eq!(std::fs::read_to_string(&p).expect("read"), "new");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
        assert_eq!(leftovers.len(), 1, "no temporary file left behind");
        let missing = dir.path().join("no-such-dir").join("x.geojson");
        assert!(write_atomic(&missing, b"x").is_err());
    }
}
