//! A long randomised editing session in the whole window: edits typed into the inspector and
//! made through the shell, undo and redo from the keyboard, saves, and at random moments a
//! "crash" check that the recovery journal replayed on the files as saved gives the data on
//! screen. At the end the saved files must reload equal to the model, and equal to a shadow
//! model the test keeps itself from plain JSON (independent of the engine's document).
//!
//! `ZONEATLAS_SESSION_SEED=n` replays another session; `ZONEATLAS_SESSION_STEPS=n` makes it
//! longer.

mod common;

use common::{Rng, copy_sample, harness};
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use serde_json::{Map, Value};
use std::path::Path;

use zoneatlas::app::dialogs::TestDialogs;
use zoneatlas::app::session::edit::Edit;
use zoneatlas::app::view::Selection;
use zoneatlas::app::{ZoneAtlasApp, empty_dataset};
use zoneatlas::engine::dataset::Dataset;
use zoneatlas::engine::edit::Op;
use zoneatlas::engine::model::LayerKind;
use zoneatlas::engine::saving::Journal;

/// The properties of every feature of both files, as plain JSON, with its own undo stacks:
/// what the session should have produced.
struct Shadow {
    zones: Vec<Map<String, Value>>,
    parcels: Vec<Map<String, Value>>,
    /// Edits made together (one undo step) are one group.
    done: Vec<Vec<Change>>,
    undone: Vec<Vec<Change>>,
}

#[derive(Clone)]
struct Change {
    layer: LayerKind,
    feature: usize,
    key: String,
    before: Option<Value>,
    after: Option<Value>,
}

fn properties_of(path: &Path) -> Vec<Map<String, Value>> {
    let v: Value = serde_json::from_slice(&std::fs::read(path).expect("read")).expect("json");
    v["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| f["properties"].as_object().cloned().unwrap_or_default())
        .collect()
}

impl Shadow {
    fn layer(&mut self, layer: LayerKind) -> &mut Vec<Map<String, Value>> {
        match layer {
            LayerKind::Zones => &mut self.zones,
            LayerKind::Parcels => &mut self.parcels,
        }
    }

    fn put(&mut self, layer: LayerKind, feature: usize, key: &str, value: Option<Value>) {
        let props = &mut self.layer(layer)[feature];
        match value {
            Some(v) => {
                props.insert(key.to_string(), v);
            }
            None => {
                props.remove(key);
            }
        }
    }

    /// An edit as the app records it: nothing when the value is already there.
    fn edit(&mut self, layer: LayerKind, feature: usize, key: &str, value: Value) {
        self.edit_all(vec![(layer, feature, key.to_string(), value)]);
    }

    /// Several changes as one undo step (values already there are skipped).
    fn edit_all(&mut self, changes: Vec<(LayerKind, usize, String, Value)>) {
        let mut group = Vec::new();
        for (layer, feature, key, value) in changes {
            let before = self.layer(layer)[feature].get(&key).cloned();
            if before.as_ref() == Some(&value) {
                continue;
            }
            self.put(layer, feature, &key, Some(value.clone()));
            group.push(Change {
                layer,
                feature,
                key,
                before,
                after: Some(value),
            });
        }
        if !group.is_empty() {
            self.done.push(group);
            self.undone.clear();
        }
    }

    fn undo(&mut self) {
        if let Some(group) = self.done.pop() {
            for c in group.iter().rev() {
                self.put(c.layer, c.feature, &c.key, c.before.clone());
            }
            self.undone.push(group);
        }
    }

    fn redo(&mut self) {
        if let Some(group) = self.undone.pop() {
            for c in &group {
                self.put(c.layer, c.feature, &c.key, c.after.clone());
            }
            self.done.push(group);
        }
    }
}

fn model_properties(ds: &Dataset, layer: LayerKind) -> Vec<Map<String, Value>> {
    let doc = match layer {
        LayerKind::Zones => &ds.zones.doc,
        LayerKind::Parcels => &ds.parcels.as_ref().expect("parcels").doc,
    };
    (0..doc.len())
        .map(|i| doc.properties(i).into_iter().collect())
        .collect()
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// Zone values a planner might type: numbers (also as text), Vietnamese text, statuses.
fn zone_value(rng: &mut Rng) -> (&'static str, Value) {
    let ha = (rng.below(4000) as f64) / 4.0;
    match rng.below(6) {
        0 => ("industrial_land_ha", Value::from(ha)),
        1 => ("service_land_ha", Value::from(ha / 4.0)),
        2 => ("industrial_land_ha", Value::from(format!("{ha:.2}"))),
        3 => (
            "status",
            Value::from(*rng.pick(&["operating", "đang xây dựng hạ tầng", "planned"])),
        ),
        4 => (
            "notes",
            Value::from(*rng.pick(&["Mở rộng giai đoạn 2", "", "Điều chỉnh QH 1/2000"])),
        ),
        _ => ("ghi_chu_moi", Value::from(rng.below(100) as u64)),
    }
}

fn parcel_value(rng: &mut Rng) -> (&'static str, Value) {
    match rng.below(4) {
        0 | 1 => (
            "status",
            Value::from(*rng.pick(&["leased", "vacant", "reserved", "đã cho thuê"])),
        ),
        2 => (
            "land_use",
            Value::from(*rng.pick(&["industrial", "service"])),
        ),
        _ => (
            "tenant",
            Value::from(*rng.pick(&["Công ty TNHH Samsung Display", "Foxconn", ""])),
        ),
    }
}

#[test]
fn a_long_random_session_saves_files_that_reload_equal_to_the_model() {
    let seed = env_or("ZONEATLAS_SESSION_SEED", 20261124);
    let steps = env_or("ZONEATLAS_SESSION_STEPS", 250);
    let mut rng = Rng(seed | 1);
    let dir = tempfile::tempdir().expect("tempdir");
    let recovery = dir.path().join("recovery");
    let (zp, pp) = copy_sample(dir.path());
    let mut shadow = Shadow {
        zones: properties_of(&zp),
        parcels: properties_of(&pp),
        done: Vec::new(),
        undone: Vec::new(),
    };
    let app = ZoneAtlasApp::new(empty_dataset(), Box::new(TestDialogs::new()))
        .with_recovery_dir(recovery.clone());
    let mut h = harness(app);
    let ctx = h.ctx.clone();
    h.state_mut().open_files(&ctx, zp.clone(), Some(pp.clone()));
    h.state_mut().wait_for_load();
    h.run();
    let zones = shadow.zones.len();
    let parcels = shadow.parcels.len();
    let (mut saves, mut crash_checks, mut typed) = (0, 0, 0);

    for step in 0..steps {
        let context = format!("seed {seed}, step {step}");
        match rng.below(20) {
            // Typed into the inspector, as a planner does.
            0..=2 => {
                let z = rng.below(zones);
                h.state_mut().view.selection = Some(Selection::Zone(z));
                h.run();
                let ha = rng.below(2000) as u64;
                h.get_by_label("Industrial land").focus();
                h.run();
                h.key_press_modifiers(Modifiers::COMMAND, Key::A);
                h.get_by_label("Industrial land").type_text(&ha.to_string());
                h.key_press(Key::Enter);
                h.run();
                // The inspector keeps the kind the value has: a number written as text stays
                // text (README, "numbers written as strings").
                let typed_value = match shadow.zones[z].get("industrial_land_ha") {
                    Some(Value::String(_)) => Value::from(ha.to_string()),
                    _ => Value::from(ha),
                };
                shadow.edit(LayerKind::Zones, z, "industrial_land_ha", typed_value);
                typed += 1;
            }
            3..=7 => {
                let z = rng.below(zones);
                let (key, value) = zone_value(&mut rng);
                h.state_mut().session.apply(Edit::one(
                    LayerKind::Zones,
                    z,
                    key,
                    Some(value.clone()),
                    format!("{key} of zone {z}"),
                ));
                shadow.edit(LayerKind::Zones, z, key, value);
            }
            8..=11 => {
                let p = rng.below(parcels);
                let (key, value) = parcel_value(&mut rng);
                h.state_mut().session.apply(Edit::one(
                    LayerKind::Parcels,
                    p,
                    key,
                    Some(value.clone()),
                    format!("{key} of lot {p}"),
                ));
                shadow.edit(LayerKind::Parcels, p, key, value);
            }
            12 => {
                // Several values in one step (as "Convert to Unicode" does), the same lot
                // possibly twice.
                let changes: Vec<(LayerKind, usize, String, Value)> = (0..1 + rng.below(3))
                    .map(|_| {
                        let p = rng.below(parcels.min(5));
                        let (key, value) = parcel_value(&mut rng);
                        (LayerKind::Parcels, p, key.to_string(), value)
                    })
                    .collect();
                let edit = Edit {
                    ops: changes
                        .iter()
                        .map(|(layer, feature, key, value)| Op::Set {
                            layer: *layer,
                            feature: *feature,
                            key: key.clone(),
                            value: Some(value.clone()),
                        })
                        .collect(),
                    what: "several lots".into(),
                };
                h.state_mut().session.apply(edit);
                shadow.edit_all(changes);
            }
            13..=15 => {
                h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
                shadow.undo();
            }
            16 | 17 => {
                h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
                shadow.redo();
            }
            18 => {
                h.key_press_modifiers(Modifiers::COMMAND, Key::S);
                h.run();
                assert!(!h.state().session.history.is_dirty(), "{context}: saved");
                assert!(!h.state().is_asking_to_overwrite(), "{context}");
                saves += 1;
            }
            _ => {
                // "Crash" now: the files on disk plus the recovery journal must give the data
                // on screen (once the journal's writer has written what it was given: it
                // writes on its own thread, milliseconds after an edit).
                h.state_mut().session.flush_journal();
                let mut on_disk = Dataset::open(&zp, Some(&pp)).expect("saved files open");
                let journal: Option<Journal> = std::fs::read(Journal::path_in(&recovery))
                    .ok()
                    .map(|b| serde_json::from_slice(&b).expect("journal json"));
                if let Some(j) = &journal {
                    let skipped = j.replay(&mut on_disk);
                    assert!(
                        skipped.is_empty(),
                        "{context}: every entry fits: {skipped:?}"
                    );
                }
                assert_eq!(
                    journal.is_some(),
                    h.state().session.history.is_dirty(),
                    "{context}: a recovery file exactly while edits are unsaved"
                );
                for layer in [LayerKind::Zones, LayerKind::Parcels] {
                    assert!(
                        model_properties(&on_disk, layer)
                            == model_properties(&h.state().session.ds, layer),
                        "{context}: recovery gives the {} on screen",
                        layer.code()
                    );
                }
                crash_checks += 1;
            }
        }
        h.run();
        // The window and the shadow agree after every step.
        for (layer, expected) in [
            (LayerKind::Zones, &shadow.zones),
            (LayerKind::Parcels, &shadow.parcels),
        ] {
            let model = model_properties(&h.state().session.ds, layer);
            if &model != expected {
                let at = model.iter().zip(expected).position(|(a, b)| a != b);
                panic!(
                    "{context}: {} differ from the shadow at feature {at:?}: {:?} vs {:?}",
                    layer.code(),
                    at.map(|i| &model[i]),
                    at.map(|i| &expected[i])
                );
            }
        }
    }
    assert!(
        saves > 0 && crash_checks > 0 && typed > 0,
        "the session covered saves ({saves}), crash checks ({crash_checks}) and typing ({typed})"
    );

    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    h.state_mut().session.flush_journal();
    assert!(
        !Journal::path_in(&recovery).exists(),
        "saved: nothing to recover"
    );
    assert_eq!(properties_of(&zp), shadow.zones);
    assert_eq!(properties_of(&pp), shadow.parcels);
    let reloaded = Dataset::open(&zp, Some(&pp)).expect("reloads");
    let model = &h.state().session.ds;
    for layer in [LayerKind::Zones, LayerKind::Parcels] {
        assert!(model_properties(&reloaded, layer) == model_properties(model, layer));
    }
    assert_eq!(reloaded.figures.len(), model.figures.len());
    for (a, b) in reloaded.figures.iter().zip(&model.figures) {
        assert_eq!(a.fill_rate_pct, b.fill_rate_pct);
        assert_eq!(a.measured.leased_ha, b.measured.leased_ha);
        assert_eq!(a.basis, b.basis);
    }
    // Geometry and every member outside the properties are as they were.
    let strip = |p: &Path| {
        let mut v: Value = serde_json::from_slice(&std::fs::read(p).expect("read")).expect("json");
        for f in v["features"].as_array_mut().expect("features") {
            f["properties"] = Value::Null;
        }
        v
    };
    assert_eq!(strip(&zp), strip(Path::new("sample_zones/zones.geojson")));
    assert_eq!(strip(&pp), strip(Path::new("sample_zones/parcels.geojson")));
}
