//! Safe saving, driven as a user would: the previous version kept as `.bak`, a file changed on
//! disk by someone else is not overwritten without asking, and unsaved edits survive a crash
//! through the recovery file.

mod common;

use common::{copy_sample, harness, zone_named};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use serde_json::Value;
use std::path::{Path, PathBuf};

use zoneatlas::app::dialogs::TestDialogs;
use zoneatlas::app::session::edit::Edit;
use zoneatlas::app::{ZoneAtlasApp, empty_dataset, sample_dataset};
use zoneatlas::engine::model::LayerKind;
use zoneatlas::engine::saving::{Journal, backup_path};

const QUE_VO: &str = "KCN Quế Võ";

/// The app with the files opened through its own loader (as File › Open does).
fn opened(zp: &Path, pp: &Path, recovery: Option<&Path>) -> Harness<'static, ZoneAtlasApp> {
    let mut app = ZoneAtlasApp::new(empty_dataset(), Box::new(TestDialogs::new()));
    if let Some(dir) = recovery {
        app = app.with_recovery_dir(dir.to_path_buf());
    }
    let mut h = harness(app);
    let ctx = h.ctx.clone();
    h.state_mut()
        .open_files(&ctx, zp.to_path_buf(), Some(pp.to_path_buf()));
    h.state_mut().wait_for_load();
    h.run();
    h
}

fn edit_zone(h: &mut Harness<'static, ZoneAtlasApp>, key: &str, value: Value) -> usize {
    let z = zone_named(&h.state().session.ds, QUE_VO);
    h.state_mut().session.apply(Edit::one(
        LayerKind::Zones,
        z,
        key,
        Some(value),
        format!("{key} of {QUE_VO}"),
    ));
    h.run();
    z
}

fn save(h: &mut Harness<'static, ZoneAtlasApp>) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).expect("read")).expect("json")
}

#[test]
fn save_keeps_the_previous_version_as_bak() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (zp, pp) = copy_sample(dir.path());
    let original = std::fs::read(&zp).expect("read");
    let mut h = opened(&zp, &pp, None);
    let z = edit_zone(&mut h, "industrial_land_ha", Value::from(310));
    save(&mut h);
    assert!(!h.state().is_asking_to_overwrite());
    assert!(!h.state().session.history.is_dirty());
    assert_eq!(std::fs::read(backup_path(&zp)).expect("bak"), original);
    assert_eq!(
        json(&zp)["features"][z]["properties"]["industrial_land_ha"],
        Value::from(310)
    );
    assert!(
        !backup_path(&pp).exists(),
        "the parcels were not edited, so not rewritten"
    );
}

#[test]
fn a_file_changed_on_disk_is_not_overwritten_without_asking() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (zp, pp) = copy_sample(dir.path());
    let mut h = opened(&zp, &pp, None);
    let z = edit_zone(&mut h, "industrial_land_ha", Value::from(310));

    // A colleague saves the zones file meanwhile.
    let mut theirs = json(&zp);
    theirs["features"][0]["properties"]["notes"] = Value::from("colleague's note");
    let theirs_text = serde_json::to_string(&theirs).expect("json");
    std::fs::write(&zp, &theirs_text).expect("write");

    save(&mut h);
    assert!(h.state().is_asking_to_overwrite());
    assert!(h.query_by_label("Changed on disk").is_some());
    h.get_by_label("Cancel").click();
    h.run();
    assert!(!h.state().is_asking_to_overwrite());
    assert_eq!(std::fs::read_to_string(&zp).expect("read"), theirs_text);
    assert!(h.state().session.history.is_dirty(), "nothing was saved");

    save(&mut h);
    h.get_by_label("Overwrite").click();
    h.run();
    assert!(!h.state().session.history.is_dirty());
    assert_eq!(
        json(&zp)["features"][z]["properties"]["industrial_land_ha"],
        Value::from(310)
    );
    assert_eq!(
        std::fs::read_to_string(backup_path(&zp)).expect("bak"),
        theirs_text,
        "their version is kept"
    );

    // The file is now ours again: the next save does not ask.
    edit_zone(&mut h, "industrial_land_ha", Value::from(320));
    save(&mut h);
    assert!(!h.state().is_asking_to_overwrite());
    assert!(!h.state().session.history.is_dirty());
}

/// What a window that crashed leaves: its journal, under a process id no longer running.
/// Leaves the journal as a crashed window would. The journal is written on its own thread, so
/// this waits for it first: a crash after the writer caught up is what is being simulated.
fn as_if_crashed(h: &mut Harness<'static, ZoneAtlasApp>, recovery: &Path) -> PathBuf {
    h.state_mut().session.flush_journal();
    let own = Journal::path_in(recovery);
    let mut j: Journal = serde_json::from_slice(&std::fs::read(&own).expect("journal written"))
        .expect("journal json");
    j.pid = u32::MAX - 11;
    let left = recovery.join("unsaved-crashed.json");
    std::fs::write(&left, serde_json::to_vec(&j).expect("json")).expect("write");
    std::fs::remove_file(own).expect("rm");
    left
}

#[test]
fn unsaved_edits_survive_a_crash_and_are_restored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let recovery = dir.path().join("recovery");
    let (zp, pp) = copy_sample(dir.path());
    let original = std::fs::read(&zp).expect("read");
    let left;
    let z;
    {
        let mut h = opened(&zp, &pp, Some(&recovery));
        h.state_mut().session.flush_journal(); // written on its own thread
        assert!(
            !Journal::path_in(&recovery).exists(),
            "nothing unsaved, no recovery file"
        );
        z = edit_zone(&mut h, "industrial_land_ha", Value::from(310));
        edit_zone(&mut h, "notes", Value::from("tạm"));
        edit_zone(&mut h, "industrial_land_ha", Value::from(999));
        h.key_press_modifiers(Modifiers::COMMAND, Key::Z); // back to 310
        h.run();
        h.state_mut().session.flush_journal(); // written on its own thread
        assert!(Journal::path_in(&recovery).exists());
        left = as_if_crashed(&mut h, &recovery);
        // The window is gone without saving or quitting.
    }
    assert_eq!(std::fs::read(&zp).expect("read"), original, "never saved");

    let mut h = harness(
        ZoneAtlasApp::new(sample_dataset(), Box::new(TestDialogs::new()))
            .with_recovery_dir(recovery.clone()),
    );
    assert!(h.state().is_offering_recovery());
    assert!(h.query_by_label("Restore unsaved edits?").is_some());
    h.get_by_label("Restore").click();
    h.run();
    h.state_mut().wait_for_load();
    h.run();
    let (session, view) = (&h.state().session, &h.state().view);
    assert_eq!(session.zones_path.as_deref(), Some(zp.as_path()));
    let props = session.ds.zones.doc.properties(z);
    let get = |k: &str| {
        props
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(get("industrial_land_ha"), Some(Value::from(310)));
    assert_eq!(get("notes"), Some(Value::from("tạm")));
    assert!(session.history.is_dirty());
    // Four entries, two of them on the same value, each applied on the last: none left out.
    let message = view.message.as_ref().expect("a message").text.clone();
    assert_eq!(
        message,
        "Unsaved edits restored to zones.geojson + parcels.geojson: 4."
    );
    assert!(!left.exists(), "the old recovery file is taken over");
    h.state_mut().session.flush_journal(); // written on its own thread
    assert!(Journal::path_in(&recovery).exists(), "and journaled anew");

    save(&mut h);
    assert!(!h.state().session.history.is_dirty());
    h.state_mut().session.flush_journal(); // written on its own thread
    assert!(
        !Journal::path_in(&recovery).exists(),
        "saved: nothing to recover"
    );
    let saved = json(&zp);
    assert_eq!(
        saved["features"][z]["properties"]["industrial_land_ha"],
        Value::from(310)
    );
    assert_eq!(
        saved["features"][z]["properties"]["notes"],
        Value::from("tạm")
    );
}

#[test]
fn restored_edits_that_no_longer_fit_a_changed_file_are_left_out_and_said() {
    let dir = tempfile::tempdir().expect("tempdir");
    let recovery = dir.path().join("recovery");
    let (zp, pp) = copy_sample(dir.path());
    let z;
    {
        let mut h = opened(&zp, &pp, Some(&recovery));
        z = edit_zone(&mut h, "industrial_land_ha", Value::from(310));
        edit_zone(&mut h, "notes", Value::from("tạm"));
        as_if_crashed(&mut h, &recovery);
    }
    // Meanwhile someone changed the industrial land in the file.
    let mut theirs = json(&zp);
    theirs["features"][z]["properties"]["industrial_land_ha"] = Value::from(111);
    std::fs::write(&zp, serde_json::to_string(&theirs).expect("json")).expect("write");

    let mut h = harness(
        ZoneAtlasApp::new(sample_dataset(), Box::new(TestDialogs::new()))
            .with_recovery_dir(recovery.clone()),
    );
    h.get_by_label("Restore").click();
    h.run();
    h.state_mut().wait_for_load();
    h.run();
    let (session, view) = (&h.state().session, &h.state().view);
    let props = session.ds.zones.doc.properties(z);
    let get = |k: &str| {
        props
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(
        get("industrial_land_ha"),
        Some(Value::from(111)),
        "theirs stays"
    );
    assert_eq!(
        get("notes"),
        Some(Value::from("tạm")),
        "the edit that fits is restored"
    );
    let message = view.message.as_ref().expect("a message").text.clone();
    assert!(
        message.contains("restored to zones.geojson + parcels.geojson: 1.")
            && message.ends_with("value they changed: 1."),
        "{message}"
    );
}

#[test]
fn recovery_can_be_discarded_or_left_for_later() {
    let dir = tempfile::tempdir().expect("tempdir");
    let recovery = dir.path().join("recovery");
    let left;
    {
        // Edits to the built-in sample are journaled too.
        let mut h = harness(
            ZoneAtlasApp::new(sample_dataset(), Box::new(TestDialogs::new()))
                .with_recovery_dir(recovery.clone()),
        );
        edit_zone(&mut h, "industrial_land_ha", Value::from(310));
        left = as_if_crashed(&mut h, &recovery);
    }
    let start = || {
        harness(
            ZoneAtlasApp::new(sample_dataset(), Box::new(TestDialogs::new()))
                .with_recovery_dir(recovery.clone()),
        )
    };
    let mut h = start();
    h.get_by_label("Decide later").click();
    h.run();
    assert!(!h.state().is_offering_recovery());
    assert!(left.exists(), "kept for the next start");

    let mut h = start();
    h.get_by_label("Restore").click();
    h.run();
    let z = zone_named(&h.state().session.ds, QUE_VO);
    assert_eq!(
        h.state().session.ds.zones.items[z].industrial_land_ha,
        Some(310.0)
    );
    assert!(h.state().session.history.is_dirty());
    // Undo takes the restored edit back like any other.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_ne!(
        h.state().session.ds.zones.items[z].industrial_land_ha,
        Some(310.0)
    );
    drop(h);

    {
        let mut h = harness(
            ZoneAtlasApp::new(sample_dataset(), Box::new(TestDialogs::new()))
                .with_recovery_dir(recovery.clone()),
        );
        edit_zone(&mut h, "industrial_land_ha", Value::from(310));
        as_if_crashed(&mut h, &recovery);
    }
    let mut h = start();
    h.get_by_label("Discard edits").click();
    h.run();
    assert!(
        std::fs::read_dir(&recovery).expect("dir").next().is_none(),
        "discarded"
    );
}

#[test]
fn quitting_and_discarding_leaves_no_recovery_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let recovery = dir.path().join("recovery");
    let mut h = harness(
        ZoneAtlasApp::new(sample_dataset(), Box::new(TestDialogs::new()))
            .with_recovery_dir(recovery.clone()),
    );
    edit_zone(&mut h, "industrial_land_ha", Value::from(310));
    h.state_mut().session.flush_journal(); // written on its own thread
    assert!(Journal::path_in(&recovery).exists());
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Quit").click();
    h.run();
    h.get_by_label("Discard edits").click();
    h.run();
    assert!(h.state().has_closed());
    h.state_mut().session.flush_journal(); // written on its own thread
    assert!(!Journal::path_in(&recovery).exists());
}

/// All positions of a GeoJSON value, flattened.
#[test]
fn a_recovery_file_that_cannot_be_kept_is_said_in_the_status_bar_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (zp, pp) = copy_sample(dir.path());
    // A file where the recovery folder should be.
    let blocked = dir.path().join("recovery");
    std::fs::write(&blocked, "not a folder").expect("write");
    let mut h = opened(&zp, &pp, Some(&blocked));
    edit_zone(&mut h, "notes", Value::from("một"));
    let message = h.state().view.message.clone().expect("a message");
    assert!(message.error, "{message:?}");
    assert!(
        message.text.starts_with("Could not keep the recovery file"),
        "{message:?}"
    );
    // Said once, not at every edit: the next edit leaves the status bar alone.
    h.state_mut().view.message = None;
    edit_zone(&mut h, "notes", Value::from("hai"));
    assert_eq!(h.state().view.message, None);
}

fn positions(v: &Value, out: &mut Vec<f64>) {
    match v {
        Value::Number(n) => out.push(n.as_f64().expect("f64")),
        Value::Array(a) => a.iter().for_each(|x| positions(x, out)),
        Value::Object(o) => {
            for (k, x) in o {
                if k == "coordinates" || k == "features" || k == "geometry" || k == "geometries" {
                    positions(x, out)
                }
            }
        }
        _ => {}
    }
}

#[test]
fn a_vn2000_file_saves_in_its_system_and_exports_wgs84() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zp = dir.path().join("zones-vn2000.geojson");
    std::fs::copy("tests/data/crs/3405.geojson", &zp).expect("copy");
    let dialogs = TestDialogs::new();
    let mut h = harness(ZoneAtlasApp::new(
        empty_dataset(),
        Box::new(dialogs.clone()),
    ));
    let ctx = h.ctx.clone();
    h.state_mut().open_files(&ctx, zp.clone(), None);
    h.state_mut().wait_for_load();
    h.run();
    assert!(
        h.query_by_label_contains("EPSG:3405 (VN-2000 / UTM zone 48N)")
            .is_some(),
        "the status bar says the file was converted"
    );

    // File › Export GeoJSON (WGS84)… writes longitude/latitude: PROJ's, within 1e-8°.
    let out = dir.path().join("zones-wgs84.geojson");
    dialogs.answer(Some(out.clone()));
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Export GeoJSON (WGS84)…").click();
    h.run();
    let exported = json(&out);
    assert!(exported.get("crs").is_none(), "RFC 7946 has no crs member");
    let (mut got, mut want) = (Vec::new(), Vec::new());
    positions(&exported, &mut got);
    positions(
        &json(Path::new("tests/data/crs/3405.wgs84.geojson")),
        &mut want,
    );
    assert_eq!(got.len(), want.len());
    let worst = got
        .iter()
        .zip(&want)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    assert!(worst < 1e-8, "{worst}");

    // Save after an edit keeps the board's own system: only the edit differs.
    let before = json(&zp);
    h.state_mut().session.apply(Edit::one(
        LayerKind::Zones,
        0,
        "notes",
        Some(Value::from("đã đo lại")),
        "notes",
    ));
    save(&mut h);
    let mut expect = before;
    expect["features"][0]["properties"]["notes"] = Value::from("đã đo lại");
    assert_eq!(json(&zp), expect);
}

/// After a save with a lot deleted and one inserted, features are numbered as in the files on
/// disk: an edit made then is journaled by that number, and the journal replayed on the saved
/// files (as after a crash) gives the data on screen. Undo starts again from the save.
#[test]
fn after_lots_are_added_or_deleted_a_save_numbers_features_as_the_files_do() {
    use zoneatlas::engine::dataset::Dataset;
    use zoneatlas::engine::edit::Op;
    let dir = tempfile::tempdir().expect("tempdir");
    let recovery = dir.path().join("recovery");
    let (zp, pp) = copy_sample(dir.path());
    let mut h = opened(&zp, &pp, Some(&recovery));
    let lot = |h: &Harness<'static, ZoneAtlasApp>, p: usize| {
        h.state()
            .session
            .ds
            .parcels
            .as_ref()
            .expect("parcels")
            .items[p]
            .id
            .clone()
    };
    let sixth = lot(&h, 5);
    let n = h
        .state()
        .session
        .ds
        .parcels
        .as_ref()
        .expect("parcels")
        .len();
    let first = json(&pp)["features"][0].to_string();
    assert!(h.state_mut().session.apply(Edit {
        ops: vec![
            Op::Delete {
                layer: LayerKind::Parcels,
                feature: 0,
            },
            Op::Insert {
                layer: LayerKind::Parcels,
                feature: first.replace("QV1-B01-01", "QV1-B01-01-COPY").into(),
            },
        ],
        what: "a lot moved to the end".into(),
    }));
    h.run();
    save(&mut h);
    assert!(!h.state().session.history.is_dirty());
    assert!(h.state().session.history.is_empty(), "undo starts again");
    assert_eq!(
        h.state()
            .session
            .ds
            .parcels
            .as_ref()
            .expect("parcels")
            .len(),
        n,
        "one deleted, one added: numbered afresh"
    );
    assert_eq!(lot(&h, 4), sixth, "the sixth lot is the fifth now");
    assert_eq!(lot(&h, n - 1), "QV1-B01-01-COPY");
    assert!(h.query_by_label_contains("numbered afresh").is_some());

    // An edit after the save, then a "crash": the journal replayed on the saved files.
    h.state_mut().session.apply(Edit::one(
        LayerKind::Parcels,
        4,
        "tenant",
        Some(Value::from("Công ty Sau Khi Lưu")),
        "tenant",
    ));
    h.run();
    h.state_mut().session.flush_journal();
    let journal: Journal =
        serde_json::from_slice(&std::fs::read(Journal::path_in(&recovery)).expect("journal"))
            .expect("json");
    let mut on_disk = Dataset::open(&zp, Some(&pp)).expect("saved files open");
    assert!(journal.replay(&mut on_disk).is_empty(), "every entry fits");
    let tenant = |ds: &Dataset, p: usize| {
        ds.parcels.as_ref().expect("parcels").items[p]
            .tenant
            .clone()
    };
    assert_eq!(tenant(&on_disk, 4).as_deref(), Some("Công ty Sau Khi Lưu"));
    assert_eq!(tenant(&on_disk, 4), tenant(&h.state().session.ds, 4));
    assert_eq!(
        on_disk.parcels.as_ref().expect("parcels").items[4].id,
        sixth
    );
}

/// Zones and lots as two layers of one GeoPackage (`bn.gpkg`, `bn.gpkg:parcels`), saved in
/// place: saving one layer does not make the other look changed by someone else, and a change
/// another program makes to the file (to either layer) is asked about before a save writes
/// over it.
#[test]
fn a_geopackage_changed_by_another_program_is_asked_about_whichever_layer_changed() {
    use zoneatlas::engine::source;

    let dir = tempfile::tempdir().expect("tempdir");
    let (zg, pg) = copy_sample(dir.path());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zoneatlas"))
        .arg("export")
        .arg(&zg)
        .arg(&pg)
        .arg("--out-dir")
        .arg(dir.path().join("out"))
        .args(["--format", "gpkg"])
        .output()
        .expect("export");
    assert!(out.status.success(), "{out:?}");
    let file = dir.path().join("out").join("zones.gpkg");
    let zp = file.clone();
    let pp = PathBuf::from(format!("{}:parcels", file.display()));
    let mut h = opened(&zp, &pp, None);
    assert_eq!(h.state().session.ds.zones.len(), 16);

    // Our own saves, one layer then the other: never "changed on disk".
    edit_zone(&mut h, "industrial_land_ha", Value::from(310));
    save(&mut h);
    assert!(!h.state().is_asking_to_overwrite());
    assert!(!h.state().session.history.is_dirty());
    h.state_mut().session.apply(Edit::one(
        LayerKind::Parcels,
        0,
        "tenant",
        Some(Value::from("Công ty Thử")),
        "tenant".to_string(),
    ));
    h.run();
    save(&mut h);
    assert!(
        !h.state().is_asking_to_overwrite(),
        "the zones' save is not someone else's change"
    );
    assert!(!h.state().session.history.is_dirty());

    // Another program changes the zones' layer; we then save an edit of the lots.
    {
        let db = rusqlite::Connection::open(&file).expect("open");
        // The R-tree's triggers call the ST_ functions a GeoPackage program registers.
        source::gpkg::register_functions(&db).expect("functions");
        db.execute(
            "UPDATE zones SET notes = 'Người khác' WHERE fid = (SELECT MIN(fid) FROM zones)",
            [],
        )
        .expect("their edit");
    }
    let theirs = std::fs::read(&file).expect("read");
    h.state_mut().session.apply(Edit::one(
        LayerKind::Parcels,
        1,
        "tenant",
        Some(Value::from("Công ty Thử 2")),
        "tenant".to_string(),
    ));
    h.run();
    save(&mut h);
    assert!(
        h.state().is_asking_to_overwrite(),
        "their change to the file is noticed, whichever layer it touched"
    );
    h.get_by_label("Cancel").click();
    h.run();
    assert_eq!(
        std::fs::read(&file).expect("read"),
        theirs,
        "nothing written"
    );
    let zones = source::open(&zp).expect("zones");
    assert!(
        zones.text.contains("Người khác"),
        "their edit is still in the file"
    );
}
