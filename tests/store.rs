//! The shared store against a throwaway PostgreSQL with PostGIS on 127.0.0.1
//! (`common::pg`): the lossless round trip, PostGIS's areas against the engine's, edits that
//! never overwrite each other (exit code 3), an edit sent again told from a conflict (an
//! insertion by its new feature's `uid`), the history, roles and row-level security, a refused
//! login (or one with no password to give) told from a server out of reach, and property keys
//! and values that look like SQL.
//!
//! Each test starts its own server; without PostgreSQL and PostGIS they say so and skip.

mod common;

use common::Workdir;
use common::pg::Server;
use std::path::Path;
use std::process::Output;

use zoneatlas::engine::dataset::Dataset;
use zoneatlas::engine::model::LayerKind;
use zoneatlas::engine::script;
use zoneatlas::engine::store::apply::{ApplyError, apply_script};
use zoneatlas::engine::store::schema::{self, BoardName};
use zoneatlas::engine::store::{Target, board};

const SAMPLE_ZONES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sample_zones/zones.geojson");
const SAMPLE_PARCELS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sample_zones/parcels.geojson");

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        text(&o.stdout),
        text(&o.stderr)
    );
    text(&o.stdout)
}

/// A server, a database in it with the sample imported into board `board`, and a folder.
fn sample_board(server: &Server, db: &str, board: &str) -> (String, Workdir) {
    let url = server.database(db);
    let w = Workdir::new(&[]);
    ok(&w.run(&["db", "init", &url, "--board", board]));
    let out = ok(&w.run(&[
        "db",
        "import",
        &url,
        SAMPLE_ZONES,
        SAMPLE_PARCELS,
        "--board",
        board,
    ]));
    assert!(out.contains("16 zones, 876 parcels imported"), "{out}");
    (url, w)
}

#[test]
fn an_untouched_import_exports_the_files_byte_for_byte_and_reports_the_same() {
    let Some(server) = Server::start() else {
        return;
    };
    let (url, w) = sample_board(&server, "roundtrip", "Bắc Ninh");
    let out = ok(&w.run(&["db", "export", &url, "--out-dir", "out"]));
    assert!(out.contains("zones.geojson"), "{out}");
    for (file, original) in [
        ("out/zones.geojson", SAMPLE_ZONES),
        ("out/parcels.geojson", SAMPLE_PARCELS),
    ] {
        let back = std::fs::read(w.path(file)).expect("exported");
        let sample = std::fs::read(original).expect("sample");
        assert!(back == sample, "{file} differs from {original}");
    }
    // `report` and `check` take the URL where they take files, and say the same.
    let from_db = ok(&w.run(&["report", &url, "--format", "json", "--as-of", "2025-01-01"]));
    let from_files = ok(&w.run(&[
        "report",
        SAMPLE_ZONES,
        SAMPLE_PARCELS,
        "--format",
        "json",
        "--as-of",
        "2025-01-01",
    ]));
    assert_eq!(from_db, from_files);
    assert!(
        from_db.contains("6397.68") || from_db.contains("6397.6"),
        "{from_db}"
    );
    let check_db = w.run(&["check", &url, "--as-of", "2025-01-01"]);
    let check_files = w.run(&[
        "check",
        SAMPLE_ZONES,
        SAMPLE_PARCELS,
        "--as-of",
        "2025-01-01",
    ]);
    assert_eq!(check_db.status.code(), check_files.status.code());
    assert_eq!(
        text(&check_db.stdout).replace(&url, ""),
        text(&check_files.stdout)
    );
    // A second import into the same board is refused, naming it.
    let again = w.run(&["db", "import", &url, SAMPLE_ZONES, SAMPLE_PARCELS]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        text(&again.stderr).contains("already holds data"),
        "{}",
        text(&again.stderr)
    );
}

/// PostGIS's `ST_Area(geography)` (GeographicLib on the WGS84 spheroid) is an independent
/// measure of each row's geometry: it agrees with the engine's hectares within 1e-6.
fn postgis_agrees(server: &Server, url: &str, ds: &Dataset, slug: &str) -> usize {
    let mut c = server.superuser(url.rsplit('/').next().expect("db"));
    let mut compared = 0;
    for (layer, table) in [(LayerKind::Zones, "zones"), (LayerKind::Parcels, "parcels")] {
        let rows = c
            .query(
                &format!(
                    "SELECT fid, ST_Area(geom::geography) / 10000 FROM za_{slug}.{table} \
                     WHERE geom IS NOT NULL ORDER BY fid"
                ),
                &[],
            )
            .expect("areas");
        assert!(!rows.is_empty());
        for r in rows {
            let fid: i64 = r.get(0);
            let postgis: f64 = r.get(1);
            let shape = match layer {
                LayerKind::Zones => &ds.zones.shapes[fid as usize],
                LayerKind::Parcels => &ds.parcels.as_ref().expect("parcels").shapes[fid as usize],
            };
            let ours = zoneatlas::engine::geodesy::geodesic_area_m2(
                shape.geometry().expect("a shape where PostGIS has one"),
            ) / 1e4;
            let rel = ((postgis - ours) / ours).abs();
            assert!(
                rel < 1e-6,
                "{table} row {fid}: PostGIS {postgis} ha, ZoneAtlas {ours} ha ({rel:e})"
            );
            compared += 1;
        }
    }
    compared
}

#[test]
fn postgis_areas_agree_with_the_engine_on_the_sample_and_a_generated_set() {
    let Some(server) = Server::start() else {
        return;
    };
    let (url, _w) = sample_board(&server, "areas", "Bắc Ninh");
    let ds =
        Dataset::open(Path::new(SAMPLE_ZONES), Some(Path::new(SAMPLE_PARCELS))).expect("sample");
    // Every feature with a usable shape (the sample has one lot without on purpose).
    let shaped = ds
        .zones
        .shapes
        .iter()
        .filter(|s| s.geometry().is_some())
        .count()
        + ds.parcels
            .as_ref()
            .unwrap()
            .shapes
            .iter()
            .filter(|s| s.geometry().is_some())
            .count();
    assert!(shaped >= 16 + 870, "{shaped}");
    assert_eq!(postgis_agrees(&server, &url, &ds, "bac_ninh"), shaped);
    // The engine's zone figure is this same measure: the published total comes out of it.
    let total: f64 = ds.figures.iter().filter_map(|f| f.measured.area_ha).sum();
    assert!((total - 6397.68).abs() < 0.01, "{total}");

    // A generated set (the benchmark generator, 20 zones and 2,000 lots, with its planted
    // errors: clockwise rings, duplicates, lots across zone boundaries).
    let generated = tempfile::tempdir().expect("tempdir");
    let status = std::process::Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/bench/gen_zones.py"))
        .args(["--zones", "20", "--parcels", "2000", "--seed", "7", "--out"])
        .arg(generated.path())
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs gen_zones.py");
    assert!(status.success());
    let (z, p) = (
        generated.path().join("zones.geojson"),
        generated.path().join("parcels.geojson"),
    );
    let w = Workdir::new(&[]);
    let url2 = server.database("generated");
    ok(&w.run(&["db", "init", &url2]));
    ok(&w.run(&[
        "db",
        "import",
        &url2,
        z.to_str().unwrap(),
        p.to_str().unwrap(),
    ]));
    let ds = Dataset::open(&z, Some(&p)).expect("generated");
    assert!(postgis_agrees(&server, &url2, &ds, "default") > 2000);
}

/// The value of property `key` of lot `id` in the board, as the store holds it now.
fn lot_value(url: &str, id: &str, key: &str) -> Option<serde_json::Value> {
    lot_value_in(url, None, id, key)
}

fn lot_value_in(url: &str, board: Option<&str>, id: &str, key: &str) -> Option<serde_json::Value> {
    let target = Target::parse(url).expect("url");
    let mut client = target.connect().expect("connects");
    let b = schema::choose(&mut client, url, board).expect("board");
    let loaded = board::load(&mut client, &target, &b).expect("loads");
    let p = loaded.dataset.parcels.as_ref().expect("parcels");
    let i = p.items.iter().position(|l| l.id == id).expect("lot");
    p.doc
        .properties(i)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

#[test]
fn an_edit_made_against_a_value_someone_changed_is_refused_with_exit_code_3_and_nothing_applied() {
    let Some(server) = Server::start() else {
        return;
    };
    let (url, w) = sample_board(&server, "conflicts", "Bắc Ninh");
    let ds =
        Dataset::open(Path::new(SAMPLE_ZONES), Some(Path::new(SAMPLE_PARCELS))).expect("sample");
    let lots = &ds.parcels.as_ref().unwrap().items;
    let (a, b) = (lots[0].id.clone(), lots[1].id.clone());
    let before = lot_value(&url, &a, "tenant");

    // Planner 1 sets the tenant of lot a, made against the value she saw.
    let first = serde_json::json!([
        {"op": "set", "layer": "parcels", "id": a, "key": "tenant", "value": "Công ty TNHH Ánh Dương", "from": before}
    ]);
    std::fs::write(w.path("first.json"), first.to_string()).unwrap();
    let out = ok(&w.run(&["apply", &url, "--edits", "first.json"]));
    assert!(out.contains("1 operations applied"), "{out}");

    // Planner 2 made her script against the same old value: refused, naming the operation and
    // the value the row holds now; her other edit (lot b) is not applied either.
    let second = serde_json::json!([
        {"op": "set", "layer": "parcels", "id": b, "key": "notes", "value": "checked"},
        {"op": "set", "layer": "parcels", "id": a, "key": "tenant", "value": "Công ty CP Bình Minh", "from": before}
    ]);
    std::fs::write(w.path("second.json"), second.to_string()).unwrap();
    let refused = w.run(&["apply", &url, "--edits", "second.json", "--lang", "en"]);
    assert_eq!(refused.status.code(), Some(3), "{}", text(&refused.stderr));
    let message = text(&refused.stderr);
    assert!(message.contains("operation 2 (set)"), "{message}");
    assert!(message.contains("Công ty TNHH Ánh Dương"), "{message}");
    assert_eq!(
        lot_value(&url, &a, "tenant"),
        Some(serde_json::Value::from("Công ty TNHH Ánh Dương"))
    );
    assert_eq!(lot_value(&url, &b, "notes"), None);

    // A geometry operation checks the row version: lot a is at version 2 now.
    let shape = serde_json::json!({"type": "Polygon", "coordinates": [[[106.05, 21.1], [106.051, 21.1], [106.051, 21.101], [106.05, 21.1]]]});
    let stale = serde_json::json!([{"op": "reshape", "layer": "parcels", "id": a, "geometry": shape, "version": 1}]);
    std::fs::write(w.path("stale.json"), stale.to_string()).unwrap();
    let refused = w.run(&["apply", &url, "--edits", "stale.json"]);
    assert_eq!(refused.status.code(), Some(3), "{}", text(&refused.stderr));
    assert!(
        text(&refused.stderr).contains("now at version 2"),
        "{}",
        text(&refused.stderr)
    );
    let fresh = serde_json::json!([{"op": "reshape", "layer": "parcels", "id": a, "geometry": shape, "version": 2}]);
    std::fs::write(w.path("fresh.json"), fresh.to_string()).unwrap();
    ok(&w.run(&["apply", &url, "--edits", "fresh.json"]));

    // An error that is not a conflict (no such lot) is exit code 2.
    let missing = serde_json::json!([{"op": "delete", "layer": "parcels", "id": "NO-SUCH-LOT"}]);
    std::fs::write(w.path("missing.json"), missing.to_string()).unwrap();
    assert_eq!(
        w.run(&["apply", &url, "--edits", "missing.json"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn the_history_says_who_changed_a_lot_and_when_and_roles_keep_boards_apart() {
    let Some(server) = Server::start() else {
        return;
    };
    let (url, w) = sample_board(&server, "roles", "Bắc Ninh");
    // A second board in the same database.
    ok(&w.run(&["db", "init", &url, "--board", "Đồng Nai"]));
    ok(&w.run(&["db", "import", &url, SAMPLE_ZONES, "--board", "Đồng Nai"]));
    let mut su = server.superuser("roles");
    su.batch_execute(
        "CREATE ROLE lan LOGIN IN ROLE za_bac_ninh_editor;
         CREATE ROLE minh LOGIN IN ROLE za_bac_ninh_editor;
         CREATE ROLE hoa LOGIN IN ROLE za_dong_nai_editor;
         CREATE ROLE lanh_dao LOGIN IN ROLE zoneatlas_viewer;",
    )
    .expect("roles");
    let as_user = |user: &str| url.replacen("postgres@", &format!("{user}@"), 1);
    let ds =
        Dataset::open(Path::new(SAMPLE_ZONES), Some(Path::new(SAMPLE_PARCELS))).expect("sample");
    let lot = ds.parcels.as_ref().unwrap().items[3].id.clone();
    for (user, tenant) in [("lan", "Công ty A"), ("minh", "Công ty B")] {
        let edit = serde_json::json!([{"op": "set", "layer": "parcels", "id": lot, "key": "tenant", "value": tenant}]);
        std::fs::write(w.path("e.json"), edit.to_string()).unwrap();
        ok(&w.run(&[
            "apply",
            &as_user(user),
            "--board",
            "Bắc Ninh",
            "--edits",
            "e.json",
        ]));
    }
    let history = ok(&w.run(&["db", "history", &url, "--board", "Bắc Ninh", "--id", &lot]));
    let lines: Vec<&str> = history.lines().collect();
    assert_eq!(lines.len(), 2, "{history}");
    assert!(
        lines[0].contains("  lan  ") && lines[0].contains("Công ty A"),
        "{history}"
    );
    assert!(
        lines[1].contains("  minh  ") && lines[1].contains("Công ty B"),
        "{history}"
    );
    assert!(lines[1].contains("\"from\":\"Công ty A\""), "{history}");
    let json = ok(&w.run(&[
        "db",
        "history",
        &url,
        "--board",
        "Bắc Ninh",
        "--id",
        &lot,
        "--format",
        "json",
    ]));
    let entries: Vec<serde_json::Value> = serde_json::from_str(&json).expect("json");
    assert_eq!(entries[1]["inverse"]["value"], "Công ty A");
    assert_eq!(entries[1]["changed_by"], "minh");

    // Đồng Nai's editor can neither read nor edit Bắc Ninh; the viewer reads both and edits
    // neither; nobody but an admin rewrites the history.
    let edit = serde_json::json!([{"op": "set", "layer": "parcels", "id": lot, "key": "tenant", "value": "X"}]);
    std::fs::write(w.path("x.json"), edit.to_string()).unwrap();
    let hoa = w.run(&[
        "apply",
        &as_user("hoa"),
        "--board",
        "Bắc Ninh",
        "--edits",
        "x.json",
    ]);
    assert_eq!(hoa.status.code(), Some(2));
    assert!(
        text(&hoa.stderr).contains("permission denied"),
        "{}",
        text(&hoa.stderr)
    );
    let hoa_reads = w.run(&["report", &as_user("hoa"), "--board", "Bắc Ninh"]);
    assert_eq!(hoa_reads.status.code(), Some(2));
    ok(&w.run(&["report", &as_user("hoa"), "--board", "Đồng Nai"]));
    ok(&w.run(&["report", &as_user("lanh_dao"), "--board", "Bắc Ninh"]));
    ok(&w.run(&["report", &as_user("lanh_dao"), "--board", "Đồng Nai"]));
    let viewer = w.run(&[
        "apply",
        &as_user("lanh_dao"),
        "--board",
        "Bắc Ninh",
        "--edits",
        "x.json",
    ]);
    assert_eq!(viewer.status.code(), Some(2));
    assert_eq!(
        lot_value_in(&as_user("lan"), Some("Bắc Ninh"), &lot, "tenant"),
        Some(serde_json::Value::from("Công ty B"))
    );
    let mut lan = postgres::Client::connect(
        &format!("host=127.0.0.1 port={} user=lan dbname=roles", server.port),
        postgres::NoTls,
    )
    .expect("lan connects");
    assert!(lan.execute("DELETE FROM za_bac_ninh.history", &[]).is_err());
    assert!(
        lan.execute("UPDATE za_bac_ninh.history SET changed_by = 'someone'", &[])
            .is_err()
    );
    // Row-level security as well as grants: even given the table, another board's editor
    // sees no row of it.
    su.batch_execute("GRANT USAGE ON SCHEMA za_bac_ninh TO za_dong_nai_editor; GRANT SELECT, UPDATE ON za_bac_ninh.parcels TO za_dong_nai_editor;")
        .expect("grant");
    let mut hoa_client = postgres::Client::connect(
        &format!("host=127.0.0.1 port={} user=hoa dbname=roles", server.port),
        postgres::NoTls,
    )
    .expect("hoa connects");
    let seen: i64 = hoa_client
        .query_one("SELECT count(*) FROM za_bac_ninh.parcels", &[])
        .expect("count")
        .get(0);
    assert_eq!(seen, 0);
    let changed = hoa_client
        .execute("UPDATE za_bac_ninh.parcels SET id = 'x'", &[])
        .expect("update runs");
    assert_eq!(changed, 0);
}

#[test]
fn keys_values_ids_and_board_names_that_look_like_sql_are_data() {
    let Some(server) = Server::start() else {
        return;
    };
    let evil = "'; DROP TABLE zones; --";
    let (url, w) = sample_board(&server, "injection", evil);
    let new_lot = serde_json::json!({
        "type": "Feature",
        "properties": {"parcel_id": evil, "status": "vacant", evil: "x\"); DROP TABLE parcels; --"},
        "geometry": {"type": "Polygon", "coordinates": [[[106.05, 21.1], [106.051, 21.1], [106.051, 21.101], [106.05, 21.1]]]}
    });
    let script = serde_json::json!([
        {"op": "insert", "layer": "parcels", "feature": new_lot},
        {"op": "set", "layer": "parcels", "id": evil, "key": "tenant", "value": "'); DELETE FROM history; --"}
    ]);
    std::fs::write(w.path("evil.json"), script.to_string()).unwrap();
    ok(&w.run(&["apply", &url, "--board", evil, "--edits", "evil.json"]));
    assert_eq!(
        lot_value(&url, evil, "tenant"),
        Some(serde_json::Value::from("'); DELETE FROM history; --"))
    );
    assert_eq!(
        lot_value(&url, evil, evil),
        Some(serde_json::Value::from("x\"); DROP TABLE parcels; --"))
    );
    let history = ok(&w.run(&["db", "history", &url, "--board", evil, "--id", evil]));
    assert_eq!(history.lines().count(), 2, "{history}");
    let mut su = server.superuser("injection");
    let tables: i64 = su
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'za_drop_table_zones'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 4, "documents, history, zones, parcels");
    let lots: i64 = su
        .query_one("SELECT count(*) FROM za_drop_table_zones.parcels", &[])
        .unwrap()
        .get(0);
    assert_eq!(lots, 877);
}

/// A small board of one zone and a few lots, made in the test.
fn small_board(server: &Server, db: &str) -> (String, Target, BoardName) {
    let w = Workdir::new(&[
        (
            "zones.geojson",
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"zone_id":"KCN-1","name":"KCN Một","status":"operating","industrial_land_ha":10},"geometry":{"type":"Polygon","coordinates":[[[106.0,21.0],[106.01,21.0],[106.01,21.01],[106.0,21.01],[106.0,21.0]]]}}]}"#,
        ),
        (
            "parcels.geojson",
            r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"parcel_id":"L-1","zone_id":"KCN-1","status":"leased","note":"0"},"geometry":{"type":"Polygon","coordinates":[[[106.001,21.001],[106.002,21.001],[106.002,21.002],[106.001,21.002],[106.001,21.001]]]}},
{"type":"Feature","properties":{"parcel_id":"L-2","zone_id":"KCN-1","status":"vacant","note":"0"},"geometry":{"type":"Polygon","coordinates":[[[106.003,21.001],[106.004,21.001],[106.004,21.002],[106.003,21.002],[106.003,21.001]]]}}]}"#,
        ),
    ]);
    let url = server.database(db);
    ok(&w.run(&["db", "init", &url]));
    ok(&w.run(&["db", "import", &url, "zones.geojson", "parcels.geojson"]));
    let target = Target::parse(&url).expect("url");
    let mut client = target.connect().expect("connects");
    let b = schema::choose(&mut client, &url, None).expect("board");
    (url, target, b)
}

#[test]
fn two_clients_editing_the_same_lots_lose_no_update_and_every_refusal_is_a_conflict() {
    let Some(server) = Server::start() else {
        return;
    };
    let (url, target, b) = small_board(&server, "race");
    const EDITS: usize = 1000;
    let run = |client_name: &'static str| {
        let target = target.clone();
        let b = b.clone();
        std::thread::spawn(move || {
            let mut client = target.connect().expect("connects");
            // What this client believes each lot's note is: it edits against that.
            let mut seen = ["0".to_string(), "0".to_string()];
            let (mut applied, mut conflicts) = (0, 0);
            // The lot edited next: the other one after an edit that went in, the same one
            // again after a conflict (as a user would, against the value it holds now).
            let mut lot = 0;
            for k in 0..EDITS {
                let value = format!("{client_name}-{k}");
                let step = serde_json::json!([{"op": "set", "layer": "parcels",
                    "id": format!("L-{}", lot + 1), "key": "note", "value": value, "from": seen[lot]}]);
                let steps = script::parse(&step.to_string()).expect("script");
                match apply_script(&mut client, &target, &b, &steps) {
                    Ok(_) => {
                        applied += 1;
                        seen[lot] = value;
                        lot = 1 - lot;
                    }
                    Err(ApplyError::Script(e)) => {
                        let script::ScriptProblem::Changed { now, .. } = e.problem else {
                            panic!("a refusal that is not a conflict: {e:?}");
                        };
                        conflicts += 1;
                        // As a user would: look at the value now, and edit against it next.
                        seen[lot] = now
                            .and_then(|v| v.as_str().map(String::from))
                            .unwrap_or_default();
                    }
                    Err(e) => panic!("not a conflict: {e:?}"),
                }
            }
            (applied, conflicts)
        })
    };
    let (one, two) = (run("one"), run("two"));
    let (a1, c1) = one.join().expect("client one");
    let (a2, c2) = two.join().expect("client two");
    assert_eq!(a1 + c1, EDITS);
    assert_eq!(a2 + c2, EDITS);
    // They raced: whichever ran first, the other's first edit of a lot was made on a value
    // that had changed. (How the edits split between them is up to the scheduler: one can be
    // starved, never wronged.)
    assert!(c1 + c2 > 0, "no conflict: the clients did not race");
    // No lost update: the history of each lot is one unbroken chain, each edit made against
    // the value the one before it left, and it holds every applied edit.
    let mut su = server.superuser("race");
    let mut chained = 0;
    for lot in ["L-1", "L-2"] {
        let rows = su
            .query(
                "SELECT op::text FROM za_default.history WHERE id = $1 ORDER BY seq",
                &[&lot],
            )
            .expect("history");
        let mut last = serde_json::Value::from("0");
        for r in &rows {
            let op: serde_json::Value = serde_json::from_str(r.get::<_, &str>(0)).unwrap();
            assert_eq!(
                op["from"], last,
                "{lot}: an edit not made on the one before"
            );
            last = op["value"].clone();
        }
        assert_eq!(lot_value(&url, lot, "note"), Some(last));
        chained += rows.len();
    }
    assert_eq!(chained, a1 + a2);
    eprintln!("race: client one {a1} applied / {c1} conflicts; client two {a2} / {c2}");
}

#[test]
fn a_window_edit_reads_and_locks_only_its_rows_and_conflicts_on_the_value_or_version_it_was_made_on()
 {
    use zoneatlas::engine::store::apply::{RowStep, apply_rows};
    let Some(server) = Server::start() else {
        return;
    };
    let (url, target, b) = small_board(&server, "window");
    let mut a = target.connect().expect("connects");
    let mut other = target.connect().expect("connects");
    // Window A holds the whole board, as the app does.
    let held = board::load(&mut a, &target, &b).expect("loads");
    let p = held.dataset.parcels.as_ref().expect("parcels");
    let l1 = p.items.iter().position(|l| l.id == "L-1").expect("L-1");
    let l2 = p.items.iter().position(|l| l.id == "L-2").expect("L-2");
    let (fid1, version1) = (
        held.parcels.as_ref().unwrap().fid[l1],
        held.parcels.as_ref().unwrap().version[l1],
    );
    let fid2 = held.parcels.as_ref().unwrap().fid[l2];
    let step =
        |json: serde_json::Value| script::parse(&format!("[{json}]")).expect("step").remove(0);
    let on = |fid: Option<i64>, json| RowStep {
        layer: LayerKind::Parcels,
        fid,
        step: step(json),
    };

    // Someone else sets L-1's note.
    let written = apply_rows(
        &mut other,
        &target,
        &b,
        &[on(
            Some(fid1),
            serde_json::json!(
        {"op": "set", "layer": "parcels", "at": 1, "key": "note", "value": "B", "from": "0"}),
        )],
    )
    .expect("applies");
    assert_eq!(written.len(), 1);
    assert_eq!(written[0].version, Some(version1 + 1));

    // A's edit of another property of the same lot is not a conflict: the check is the
    // value it was made on, not the row.
    apply_rows(&mut a, &target, &b, &[on(Some(fid1), serde_json::json!(
        {"op": "set", "layer": "parcels", "at": 1, "key": "status", "value": "reserved", "from": "leased"}))])
    .expect("no conflict");
    // A's edit of the note, made on "0", is: it names the value there now.
    let refused = apply_rows(
        &mut a,
        &target,
        &b,
        &[on(
            Some(fid1),
            serde_json::json!(
        {"op": "set", "layer": "parcels", "at": 1, "key": "note", "value": "A", "from": "0"}),
        )],
    )
    .expect_err("a conflict");
    assert!(refused.is_conflict());
    match refused {
        ApplyError::Script(e) => assert!(
            matches!(&e.problem, script::ScriptProblem::Changed { now: Some(v), .. } if v == "B"),
            "{e:?}"
        ),
        e => panic!("{e:?}"),
    }
    // A reshape made on version 1 is refused: the row is at version 3.
    let shape = serde_json::json!({"type": "Polygon", "coordinates": [[[106.001, 21.001], [106.0025, 21.001], [106.0025, 21.002], [106.001, 21.002], [106.001, 21.001]]]});
    let refused = apply_rows(
        &mut a,
        &target,
        &b,
        &[on(
            Some(fid1),
            serde_json::json!(
        {"op": "reshape", "layer": "parcels", "at": 1, "geometry": shape, "version": version1}),
        )],
    )
    .expect_err("a conflict");
    assert!(
        matches!(&refused, ApplyError::Script(e) if matches!(e.problem, script::ScriptProblem::VersionChanged { now: 3, .. })),
        "{refused:?}"
    );
    // A lot deleted by someone else is a conflict for an edit of it, and the edits sent with
    // it are not applied.
    apply_rows(
        &mut other,
        &target,
        &b,
        &[on(
            Some(fid2),
            serde_json::json!(
        {"op": "delete", "layer": "parcels", "at": 1}),
        )],
    )
    .expect("deletes");
    let refused = apply_rows(&mut a, &target, &b, &[
        on(Some(fid1), serde_json::json!({"op": "set", "layer": "parcels", "at": 1, "key": "tenant", "value": "C"})),
        on(Some(fid2), serde_json::json!({"op": "set", "layer": "parcels", "at": 1, "key": "tenant", "value": "C"})),
    ])
    .expect_err("a conflict");
    assert!(refused.is_conflict(), "{refused:?}");
    assert_eq!(lot_value(&url, "L-1", "tenant"), None);
    // A new lot gets the next row.
    let new_lot = serde_json::json!({"op": "insert", "layer": "parcels", "feature": {"type": "Feature",
        "properties": {"parcel_id": "L-3", "zone_id": "KCN-1", "status": "vacant"},
        "geometry": {"type": "Polygon", "coordinates": [[[106.005, 21.001], [106.006, 21.001], [106.006, 21.002], [106.005, 21.001]]]}}});
    let written = apply_rows(&mut a, &target, &b, &[on(None, new_lot)]).expect("inserts");
    assert_eq!((written[0].fid, written[0].version), (2, Some(1)));
    assert_eq!(
        lot_value(&url, "L-3", "status"),
        Some(serde_json::Value::from("vacant"))
    );
}

#[test]
fn an_edit_the_board_holds_already_is_told_from_a_conflict() {
    use zoneatlas::engine::store::apply::{RowStep, RowWritten, already_applied, apply_rows};
    let Some(server) = Server::start() else {
        return;
    };
    let (_, target, b) = small_board(&server, "again");
    let mut c = target.connect().expect("connects");
    let held = board::load(&mut c, &target, &b).expect("loads");
    let p = held.dataset.parcels.as_ref().expect("parcels");
    let rows = held.parcels.as_ref().expect("rows");
    let l1 = p.items.iter().position(|l| l.id == "L-1").expect("L-1");
    let l2 = p.items.iter().position(|l| l.id == "L-2").expect("L-2");
    let (fid1, fid2, version2) = (rows.fid[l1], rows.fid[l2], rows.version[l2]);
    let on = |fid: Option<i64>, json: serde_json::Value| RowStep {
        layer: LayerKind::Parcels,
        fid,
        step: script::parse(&format!("[{json}]")).expect("step").remove(0),
    };
    let shape = serde_json::json!({"type": "Polygon", "coordinates": [[[106.003, 21.001], [106.0045, 21.001], [106.0045, 21.002], [106.003, 21.002], [106.003, 21.001]]]});
    // One edit: a value set twice, and a shape made on the row's version.
    let edit = [
        on(
            Some(fid1),
            serde_json::json!(
            {"op": "set", "layer": "parcels", "at": 1, "key": "note", "value": "A", "from": "0"}),
        ),
        on(
            Some(fid1),
            serde_json::json!(
            {"op": "set", "layer": "parcels", "at": 1, "key": "note", "value": "B", "from": "A"}),
        ),
        on(
            Some(fid2),
            serde_json::json!(
            {"op": "reshape", "layer": "parcels", "at": 1, "geometry": shape, "version": version2}),
        ),
    ];
    // Not in the board yet: writing it would change the rows.
    assert_eq!(already_applied(&mut c, &target, &b, &edit), Ok(None));
    let written = apply_rows(&mut c, &target, &b, &edit).expect("applies");
    // Sent again, it is refused as a conflict (made on "0" and on the old version); the board
    // holds exactly what it would write, and says so with the rows as they were written.
    let again = apply_rows(&mut c, &target, &b, &edit).expect_err("a conflict");
    assert!(again.is_conflict(), "{again:?}");
    assert_eq!(
        already_applied(&mut c, &target, &b, &edit),
        Ok(Some(written.clone()))
    );
    // Another value in its place is someone else's change: a conflict to ask about.
    let other = [on(
        Some(fid1),
        serde_json::json!(
        {"op": "set", "layer": "parcels", "at": 1, "key": "note", "value": "C", "from": "0"}),
    )];
    assert_eq!(already_applied(&mut c, &target, &b, &other), Ok(None));
    // A deletion whose row is gone is in the board.
    let delete = [on(
        Some(fid2),
        serde_json::json!({"op": "delete", "layer": "parcels", "at": 1, "version": written[1].version}),
    )];
    apply_rows(&mut c, &target, &b, &delete).expect("deletes");
    assert_eq!(
        already_applied(&mut c, &target, &b, &delete),
        Ok(Some(vec![RowWritten {
            layer: LayerKind::Parcels,
            fid: fid2,
            version: None
        }]))
    );
    // A new feature without an identity of its own cannot be told from another's.
    let feature = serde_json::json!({"type": "Feature",
        "properties": {"parcel_id": "L-9"}, "geometry": shape});
    let insert = [on(
        None,
        serde_json::json!({"op": "insert", "layer": "parcels", "feature": feature}),
    )];
    assert_eq!(already_applied(&mut c, &target, &b, &insert), Ok(None));
    // With one (its `uid`), the history keeps it: sent again, the insertion is refused as a
    // conflict and makes no second row, and the board says it holds it, with its row.
    let lots = |c: &mut postgres::Client| -> i64 {
        c.query_one(&format!("SELECT count(*) FROM {}", b.table("parcels")), &[])
            .expect("count")
            .get(0)
    };
    let insert = [on(
        None,
        serde_json::json!({"op": "insert", "layer": "parcels", "feature": feature,
            "uid": "7f3a0c2e9b1d4e58a6c0f1b2d3e4a5b6"}),
    )];
    assert_eq!(already_applied(&mut c, &target, &b, &insert), Ok(None));
    let before = lots(&mut c);
    let written = apply_rows(&mut c, &target, &b, &insert).expect("inserts");
    assert_eq!(lots(&mut c), before + 1);
    let again = apply_rows(&mut c, &target, &b, &insert).expect_err("already in");
    assert!(again.is_conflict(), "{again:?}");
    assert_eq!(lots(&mut c), before + 1, "inserted twice");
    assert_eq!(
        already_applied(&mut c, &target, &b, &insert),
        Ok(Some(written.clone()))
    );
    let uid: Option<String> = c
        .query_one(
            &format!(
                "SELECT op->>'uid' FROM {} WHERE fid = $1 AND layer = 'parcels'",
                b.table("history")
            ),
            &[&written[0].fid],
        )
        .expect("the insertion's history")
        .get(0);
    assert_eq!(uid.as_deref(), Some("7f3a0c2e9b1d4e58a6c0f1b2d3e4a5b6"));
    // A script (the command line's `apply`, a recovery journal) holding it is refused too.
    let steps = script::parse(&format!(
        "[{}]",
        serde_json::json!({"op": "insert", "layer": "parcels", "feature": feature,
            "uid": "7f3a0c2e9b1d4e58a6c0f1b2d3e4a5b6"})
    ))
    .expect("a script");
    let refused = apply_script(&mut c, &target, &b, &steps).expect_err("already in");
    assert!(refused.is_conflict(), "{refused:?}");
    assert_eq!(lots(&mut c), before + 1);
    // Another identity is another feature.
    let other = [on(
        None,
        serde_json::json!({"op": "insert", "layer": "parcels", "feature": feature,
            "uid": "0000aaaa"}),
    )];
    assert_eq!(already_applied(&mut c, &target, &b, &other), Ok(None));
}

#[test]
fn a_login_the_server_refuses_is_told_from_a_server_out_of_reach() {
    use zoneatlas::engine::store::StoreProblem;
    let Some(server) = Server::start() else {
        return;
    };
    server.database("logins");
    server
        .superuser("logins")
        .batch_execute("CREATE ROLE khach LOGIN PASSWORD 'bí-mật'")
        .expect("role");
    server.require_password("khach");
    // A login the server asks a password for and none is set: the client gives up before the
    // server refuses, with no SQLSTATE, and would each time.
    if common::pg::no_password_at_hand() {
        match Target::parse(&server.url("khach", "logins"))
            .expect("url")
            .connect()
        {
            Err(p @ StoreProblem::NoPassword { .. }) => assert!(p.is_login_refused()),
            Err(p) => panic!("no password: {p:?}"),
            Ok(_) => panic!("no password: connected"),
        }
    }
    // A login the server refuses (a role or a database that does not exist; a wrong password
    // in the test of passwords) is told from a server that cannot be reached: only the second
    // is worth trying again.
    for (url, refused, words) in [
        (
            server.url("nobody", "logins"),
            true,
            "role \"nobody\" does not exist",
        ),
        (
            server.url("postgres", "no_such_db"),
            true,
            "database \"no_such_db\" does not exist",
        ),
        // Nothing listens on port 1 of this machine.
        ("postgres://nobody@127.0.0.1:1/kcn".into(), false, ""),
    ] {
        match Target::parse(&url).expect("url").connect() {
            Err(StoreProblem::LoginRefused { detail, .. }) if refused => {
                assert!(detail.contains(words), "{url}: {detail}")
            }
            Err(p @ StoreProblem::Connect { .. }) if !refused => assert!(!p.is_login_refused()),
            Err(p) => panic!("{url}: {p:?}"),
            Ok(_) => panic!("{url}: connected"),
        }
    }
}

#[test]
fn the_ministrys_table_sums_every_board_by_the_province_each_counts_for() {
    let Some(server) = Server::start() else {
        return;
    };
    let url = server.database("ministry");
    let w = Workdir::new(&[
        (
            "bac_giang.geojson",
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"zone_id":"BG-1","name":"KCN Quang Châu","province":"Bắc Giang","status":"operating","industrial_land_ha":20},"geometry":{"type":"Polygon","coordinates":[[[106.1,21.2],[106.12,21.2],[106.12,21.22],[106.1,21.22],[106.1,21.2]]]}}]}"#,
        ),
        (
            "bac_giang_lots.geojson",
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"parcel_id":"BG-1-01","zone_id":"BG-1","status":"leased"},"geometry":{"type":"Polygon","coordinates":[[[106.101,21.201],[106.11,21.201],[106.11,21.21],[106.101,21.21],[106.101,21.201]]]}}]}"#,
        ),
    ]);
    ok(&w.run(&[
        "db",
        "init",
        &url,
        "--board",
        "Bắc Ninh",
        "--province",
        "Bắc Ninh",
    ]));
    ok(&w.run(&[
        "db",
        "import",
        &url,
        SAMPLE_ZONES,
        SAMPLE_PARCELS,
        "--board",
        "Bắc Ninh",
    ]));
    // Bắc Giang's board, merged into Bắc Ninh in 2025: its file still says Bắc Giang.
    ok(&w.run(&[
        "db",
        "init",
        &url,
        "--board",
        "Bắc Giang",
        "--province",
        "Bắc Ninh",
    ]));
    ok(&w.run(&[
        "db",
        "import",
        &url,
        "bac_giang.geojson",
        "bac_giang_lots.geojson",
        "--board",
        "Bắc Giang",
    ]));
    let board_totals = |name: &str| {
        let j: serde_json::Value = serde_json::from_str(&ok(
            &w.run(&["report", &url, "--board", name, "--format", "json"])
        ))
        .expect("json");
        j["totals"]["all"].clone()
    };
    let (bn, bg) = (board_totals("Bắc Ninh"), board_totals("Bắc Giang"));
    let num = |v: &serde_json::Value, k: &str| v[k].as_f64().expect(k);
    assert!(num(&bg, "leased_ha") > 0.0);

    let j: serde_json::Value = serde_json::from_str(&ok(&w.run(&[
        "report",
        &url,
        "--all-boards",
        "--format",
        "json",
    ])))
    .expect("json");
    let provinces = j["provinces"].as_array().expect("provinces");
    assert_eq!(provinces.len(), 1, "{provinces:?}");
    let p = &provinces[0];
    assert_eq!(p["province"], "Bắc Ninh");
    assert_eq!(p["zones"], 17);
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9 * b.max(1.0);
    for k in ["area_ha", "leased_ha", "denominator_ha"] {
        assert!(close(num(p, k), num(&bn, k) + num(&bg, k)), "{k}");
    }
    // The province's rate is the ratio of the sums, not the mean of the boards' rates.
    let ratio = 100.0 * (num(&bn, "leased_ha") + num(&bg, "leased_ha"))
        / (num(&bn, "denominator_ha") + num(&bg, "denominator_ha"));
    assert!(close(num(p, "fill_rate_pct"), ratio));
    assert_eq!(j["total"]["zones"], 17);
    assert_eq!(j["boards"].as_array().map(Vec::len), Some(2));
    // CSV: a board column before the report's own; Markdown in Vietnamese.
    let csv = ok(&w.run(&["report", &url, "--all-boards"]));
    assert!(csv.starts_with("board,zone_id,name,province"), "{csv}");
    assert!(
        csv.contains("Bắc Giang,BG-1,KCN Quang Châu,Bắc Giang,operating"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 1 + 17);
    let md = ok(&w.run(&[
        "report",
        &url,
        "--all-boards",
        "--format",
        "md",
        "--lang",
        "vi",
    ]));
    assert!(md.contains("| Bắc Ninh | 17 |"), "{md}");
    // Files, or a workbook, are refused with --all-boards.
    let refused = w.run(&["report", SAMPLE_ZONES, "--all-boards"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused.stderr).contains("--all-boards"),
        "{}",
        text(&refused.stderr)
    );
}

#[test]
fn the_password_comes_from_pgpassword_or_the_password_file_never_from_the_url() {
    let Some(server) = Server::start() else {
        return;
    };
    let (url, w) = sample_board(&server, "passwords", "Bắc Ninh");
    server
        .superuser("passwords")
        .batch_execute("CREATE ROLE giam_doc LOGIN PASSWORD 'mật:khẩu' IN ROLE zoneatlas_viewer")
        .expect("role");
    server.require_password("giam_doc");
    let as_director = url.replacen("postgres@", "giam_doc@", 1);
    let report = |env: &[(&str, &str)]| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_zoneatlas"));
        c.current_dir(w.dir.path())
            .args(["report", &as_director])
            .env_remove("PGPASSWORD")
            .env("PGPASSFILE", w.path("no-such-file"));
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().expect("runs")
    };
    // No password anywhere: the server asks for one, and the message says where it goes, in
    // the catalogue's words (not the client library's).
    let refused = report(&[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused.stderr).contains(
            "the server asks for a password, and none is set: put it in PGPASSWORD or the password file (~/.pgpass)"
        ),
        "{}",
        text(&refused.stderr)
    );
    let in_vietnamese = std::process::Command::new(env!("CARGO_BIN_EXE_zoneatlas"))
        .current_dir(w.dir.path())
        .args(["report", &as_director, "--lang", "vi"])
        .env_remove("PGPASSWORD")
        .env("PGPASSFILE", w.path("no-such-file"))
        .output()
        .expect("runs");
    assert_eq!(in_vietnamese.status.code(), Some(2));
    assert!(
        text(&in_vietnamese.stderr).contains("máy chủ yêu cầu mật khẩu nhưng chưa có mật khẩu nào"),
        "{}",
        text(&in_vietnamese.stderr)
    );
    // From PGPASSWORD.
    ok(&report(&[("PGPASSWORD", "mật:khẩu")]));
    // From a password file: the line for this server, database and user; `\:` is a colon.
    let file = w.path("pgpass");
    std::fs::write(
        &file,
        format!(
            "127.0.0.1:{port}:other:giam_doc:wrong\n127.0.0.1:{port}:passwords:giam_doc:mật\\:khẩu\n",
            port = server.port
        ),
    )
    .unwrap();
    ok(&report(&[("PGPASSFILE", file.to_str().unwrap())]));
    let wrong = report(&[("PGPASSWORD", "sai")]);
    assert_eq!(wrong.status.code(), Some(2));
    // A wrong password is a login refused, in the server's words.
    assert!(
        text(&wrong.stderr)
            .contains("the server refused the login: password authentication failed"),
        "{}",
        text(&wrong.stderr)
    );
    // A password in the URL is refused before anything is sent, and not echoed back.
    let in_url = as_director.replacen("giam_doc@", "giam_doc:mật-khẩu@", 1);
    let refused = w.run(&["report", &in_url]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("PGPASSWORD or ~/.pgpass"));
    assert!(
        !text(&refused.stderr).contains("mật-khẩu"),
        "{}",
        text(&refused.stderr)
    );
}
