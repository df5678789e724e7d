//! The app on a shared board (issue 14 §3–4), the whole window driven by kittest against a
//! throwaway PostgreSQL with PostGIS on 127.0.0.1 (`common::pg`): opening a board by its URL
//! (File › Open database…), an inspector edit reaching the database, another user's edit
//! appearing within 2 s, a conflict shown with both values and each choice doing what it
//! says, the server killed mid-session (the edit kept in the journal, the window responsive,
//! the status offline) and started again (the edit reaches the board), the unsent edits of a
//! window closed while offline sent at the next start, and the inspector's history; after
//! "Keep theirs", Undo never puts back a value over the other planner's unasked; an edit the
//! board took before its answer was lost is not asked about when sent again; a login refused
//! for good is said once and not tried again, and the history says it cannot be read; an
//! undo of a reshape or a redo of a deletion asks when another planner changed the row since,
//! and undoing and redoing one's own edits asks nothing; an insertion the board took before
//! its answer was lost is not made twice; a login with no password to give is refused once.
//!
//! Each test starts its own server; without PostgreSQL and PostGIS they say so and skip.

mod common;

use common::pg::Server;
use common::{Workdir, harness, type_into};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use serde_json::Value;
use std::time::{Duration, Instant};

use zoneatlas::app::action::{Action, EditAction, FileAction};
use zoneatlas::app::dialogs::TestDialogs;
use zoneatlas::app::session::edit::Edit;
use zoneatlas::app::session::shared::ConflictKind;
use zoneatlas::app::view::Selection;
use zoneatlas::app::{ZoneAtlasApp, empty_dataset};
use zoneatlas::engine::edit::Op;
use zoneatlas::engine::model::LayerKind;
use zoneatlas::engine::saving::Journal;
use zoneatlas::engine::script;
use zoneatlas::engine::store::apply::{RowStep, apply_rows};
use zoneatlas::engine::store::schema::BoardName;
use zoneatlas::engine::store::{Target, board::layer_name};

const SAMPLE_ZONES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sample_zones/zones.geojson");
const SAMPLE_PARCELS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sample_zones/parcels.geojson");
const BOARD: &str = "Bắc Ninh";

type H = Harness<'static, ZoneAtlasApp>;

/// A database with the sample imported as board "Bắc Ninh", and the URL of `lan`, one of its
/// editors.
fn sample_board(server: &Server, db: &str) -> String {
    let url = server.database(db);
    let w = Workdir::new(&[]);
    for args in [
        vec!["db", "init", &url, "--board", BOARD],
        vec![
            "db",
            "import",
            &url,
            SAMPLE_ZONES,
            SAMPLE_PARCELS,
            "--board",
            BOARD,
        ],
    ] {
        let out = w.run(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    server
        .superuser(db)
        .batch_execute("CREATE ROLE lan LOGIN IN ROLE za_bac_ninh_editor")
        .expect("an editor");
    server.url("lan", db)
}

/// Runs frames (real time passing between them) until `done` holds; how long it took, or
/// `None` after `limit`.
fn wait_until(
    h: &mut H,
    limit: Duration,
    done: impl Fn(&ZoneAtlasApp) -> bool,
) -> Option<Duration> {
    let start = Instant::now();
    loop {
        h.step();
        if done(h.state()) {
            return Some(start.elapsed());
        }
        if start.elapsed() > limit {
            return None;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Everything committed so far written out (see the test server's settings).
fn durable(server: &Server, db: &str) {
    server
        .superuser(db)
        .batch_execute("CHECKPOINT")
        .expect("checkpoint");
}

/// What the window's link to the board is doing (for failures).
fn state(app: &ZoneAtlasApp) -> String {
    let s = app.session.shared.as_ref();
    format!(
        "message {:?}, offline {:?}, sending {:?}, conflict {:?}, journal {:?}",
        app.view.message,
        s.map(|s| s.offline),
        s.map(|s| s.sending),
        s.and_then(|s| s.conflict.as_ref()),
        app.session
            .journal
            .entries
            .iter()
            .map(|e| (e.what.clone(), e.fid, e.refused))
            .collect::<Vec<_>>()
    )
}

/// A lot's property as the window holds it.
fn held(app: &ZoneAtlasApp, p: usize, key: &str) -> Option<Value> {
    app.session.property(LayerKind::Parcels, p, key)
}

/// A lot's property as the database holds it (row `fid`).
fn in_db(server: &Server, db: &str, fid: i64, key: &str) -> Option<Value> {
    let row = server
        .superuser(db)
        .query_one(
            "SELECT feature::text FROM za_bac_ninh.parcels WHERE fid = $1",
            &[&fid],
        )
        .expect("the row");
    let f: Value = serde_json::from_str(row.get::<_, &str>(0)).expect("json");
    f["properties"].get(key).cloned()
}

/// Lot `p`'s row, as the window knows it.
fn fid(app: &ZoneAtlasApp, p: usize) -> i64 {
    app.session
        .shared
        .as_ref()
        .expect("a shared board")
        .parcels
        .get(p)
        .expect("a row")
        .fid
}

/// A lot with an id, not the first (any would do).
fn some_lot(app: &ZoneAtlasApp, skip: usize) -> usize {
    let parcels = app.session.ds.parcels.as_ref().expect("parcels");
    (0..parcels.len())
        .filter(|&p| !parcels.items[p].numbered)
        .nth(skip)
        .expect("a lot")
}

/// Changes a lot's tenant behind every window's back: no notice is sent (the triggers are
/// off for this session), as a change the window cannot have seen before its edit. The
/// version moves on and the row says who, as the board's own trigger would.
fn change_unannounced(server: &Server, db: &str, fid: i64, tenant: &str, by: &str) {
    let mut c = server.superuser(db);
    c.batch_execute("SET session_replication_role = replica")
        .expect("replica");
    c.execute(
        "UPDATE za_bac_ninh.parcels SET feature = jsonb_set(feature::jsonb, '{properties,tenant}', to_jsonb($1::text))::json,
                version = version + 1, changed_by = $3, changed_at = now() WHERE fid = $2",
        &[&tenant, &fid, &by],
    )
    .expect("update");
}

fn open_by_menu(h: &mut H, url: &str) {
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Open database…").click();
    h.run();
    assert!(h.state().is_asking_for_board());
    common::type_only(h, "Database URL", url);
    common::type_only(h, "Board", BOARD);
    h.get_by_label("Open").click();
    h.run();
    common::settle(h);
}

/// Another client holding the board's lock (as `apply_rows` takes it): the window's
/// sendings wait behind it until [`release_the_board`].
fn holding_the_board(url: &str) -> (Target, BoardName, postgres::Client) {
    let target = Target::parse(url).expect("url");
    let mut other = target.connect().expect("connects");
    let board = BoardName::new(BOARD).expect("board");
    other
        .execute(
            "SELECT pg_advisory_lock(hashtext('zoneatlas board ' || $1))",
            &[&board.slug],
        )
        .expect("the board's lock");
    (target, board, other)
}

fn release_the_board(other: &mut postgres::Client, board: &BoardName) {
    other
        .execute(
            "SELECT pg_advisory_unlock(hashtext('zoneatlas board ' || $1))",
            &[&board.slug],
        )
        .expect("unlocked");
}

/// After a login refused for good: for five seconds (the retry loop tried each thread at
/// least every two) the server's log gains no line saying `seen` (no new attempt), the
/// window says nothing again, and the one unsent edit stays unsent.
fn stays_quiet(h: &mut H, server: &Server, seen: &str) {
    let count = |server: &Server| server.log().matches(seen).count();
    let before = count(server);
    assert!(before >= 1, "{}", server.log());
    h.state_mut().view.message = None;
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(count(server), before, "tried again");
    assert_eq!(h.state().view.message, None, "said again");
    assert_eq!(h.state().session.unsent(), 1);
}

/// The lots the board's table holds.
fn lots_in_db(server: &Server, db: &str) -> i64 {
    server
        .superuser(db)
        .query_one("SELECT count(*) FROM za_bac_ninh.parcels", &[])
        .expect("count")
        .get(0)
}

#[test]
fn a_board_opened_by_url_takes_edits_shows_others_and_asks_on_conflicts() {
    let Some(server) = Server::start() else {
        return;
    };
    let db = "window";
    let url = sample_board(&server, db);
    let dialogs = TestDialogs::new();
    let recovery = tempfile::tempdir().expect("tempdir");
    let app = ZoneAtlasApp::new(empty_dataset(), Box::new(dialogs))
        .with_recovery_dir(recovery.path().to_path_buf());
    let mut h = harness(app);
    open_by_menu(&mut h, &url);
    {
        let app = h.state();
        assert!(app.session.is_shared(), "{:?}", app.view.message);
        assert_eq!(app.session.ds.zones.len(), 16);
        assert_eq!(app.session.ds.parcels.as_ref().map(|p| p.len()), Some(876));
        // The title names the board and says it is shared; the URL is remembered.
        let title = app.window_title();
        assert!(
            title.contains("Bắc Ninh · shared") && title.contains(&url),
            "{title}"
        );
        assert_eq!(app.recent.boards[0], (url.clone(), Some(BOARD.to_string())));
    }

    // An edit in the inspector reaches the row.
    let p = some_lot(h.state(), 3);
    let row = fid(h.state(), p);
    h.state_mut().view.selection = Some(Selection::Parcel(p));
    h.run();
    type_into(&mut h, "Tenant", "Công ty A");
    assert_eq!(held(h.state(), p, "tenant"), Some(Value::from("Công ty A")));
    let sent = wait_until(&mut h, Duration::from_secs(5), |a| !a.board_busy());
    assert!(sent.is_some(), "the edit was not sent");
    assert_eq!(
        in_db(&server, db, row, "tenant"),
        Some(Value::from("Công ty A"))
    );
    assert!(!h.state().window_title().starts_with('•'), "nothing unsent");

    // The inspector shows the lot's history, with who made the change.
    let shown = wait_until(&mut h, Duration::from_secs(5), |a| {
        a.view.history.as_ref().is_some_and(|r| {
            r.entries
                .as_ref()
                .is_some_and(|e| e.as_ref().is_ok_and(|e| !e.is_empty()))
        })
    });
    assert!(shown.is_some(), "no history");
    h.run();
    assert!(
        h.query_by_label_contains("lan set tenant to Công ty A")
            .is_some(),
        "the history line"
    );

    // Another user's edit appears within 2 s, outside the undo history.
    let q = some_lot(h.state(), 5);
    let other_row = fid(h.state(), q);
    let target = Target::parse(&url).expect("url");
    let mut other = target.connect().expect("connects");
    let board = BoardName::new(BOARD).expect("board");
    let step = script::parse(
        r#"[{"op": "set", "layer": "parcels", "at": 1, "key": "tenant", "value": "Công ty Khác"}]"#,
    )
    .expect("step")
    .remove(0);
    let undo_before = h.state().session.history.len();
    let started = Instant::now();
    apply_rows(
        &mut other,
        &target,
        &board,
        &[RowStep {
            layer: LayerKind::Parcels,
            fid: Some(other_row),
            step,
        }],
    )
    .expect("the other user's edit");
    let seen = wait_until(&mut h, Duration::from_secs(3), |a| {
        held(a, q, "tenant") == Some(Value::from("Công ty Khác"))
    });
    seen.expect("another user's edit did not appear within 3 s");
    let seen_total = started.elapsed();
    eprintln!(
        "another user's edit appeared in the window after {:.0} ms",
        seen_total.as_secs_f64() * 1e3
    );
    assert!(seen_total < Duration::from_secs(2), "{seen_total:?}");
    assert_eq!(
        h.state().session.history.len(),
        undo_before,
        "not an undo step"
    );

    // A conflict: someone changed the tenant after the window read it. The dialog shows
    // both values and who; "Keep theirs" leaves the board's and takes it.
    change_unannounced(&server, db, row, "Công ty B", "minh");
    type_into(&mut h, "Tenant", "Công ty A2");
    let asked = wait_until(&mut h, Duration::from_secs(5), |a| {
        a.is_asking_about_conflict()
    });
    assert!(asked.is_some(), "no conflict shown");
    h.run();
    for words in ["“Công ty A2”", "“Công ty B”", "minh", "tenant"] {
        assert!(
            h.query_all_by_label_contains(words).next().is_some(),
            "the dialog does not show {words}"
        );
    }
    h.get_by_label("Keep theirs").click();
    h.run();
    let kept = wait_until(&mut h, Duration::from_secs(5), |a| {
        held(a, p, "tenant") == Some(Value::from("Công ty B")) && !a.board_busy()
    });
    assert!(kept.is_some(), "the window did not take theirs");
    assert!(!h.state().is_asking_about_conflict());
    assert_eq!(
        in_db(&server, db, row, "tenant"),
        Some(Value::from("Công ty B"))
    );

    // Again; "Use mine" sends the edit again, made against their value.
    change_unannounced(&server, db, row, "Công ty C", "minh");
    type_into(&mut h, "Tenant", "Công ty D");
    assert!(
        wait_until(&mut h, Duration::from_secs(5), |a| a
            .is_asking_about_conflict())
        .is_some()
    );
    h.run();
    assert!(h.query_by_label_contains("“Công ty C”").is_some());
    h.get_by_label("Use mine").click();
    h.run();
    let sent = wait_until(&mut h, Duration::from_secs(5), |a| {
        !a.board_busy() && !a.is_asking_about_conflict()
    });
    assert!(sent.is_some());
    assert_eq!(
        in_db(&server, db, row, "tenant"),
        Some(Value::from("Công ty D"))
    );
    assert_eq!(held(h.state(), p, "tenant"), Some(Value::from("Công ty D")));
    // The history names both users' changes in order: lan's made against minh's.
    let mut su = server.superuser(db);
    let ops: Vec<String> = su
        .query(
            "SELECT op::text FROM za_bac_ninh.history WHERE layer = $1 AND fid = $2 ORDER BY seq",
            &[&layer_name(LayerKind::Parcels), &row],
        )
        .expect("history")
        .iter()
        .map(|r| r.get::<_, String>(0))
        .collect();
    assert!(
        ops.last()
            .is_some_and(|o| o.contains("Công ty D") && o.contains("Công ty C")),
        "{ops:?}"
    );
    // Undo goes to the board too.
    let ctx = h.ctx.clone();
    h.state_mut().apply(&ctx, Action::Edit(EditAction::Undo));
    assert!(wait_until(&mut h, Duration::from_secs(5), |a| !a.board_busy()).is_some());
    // Back to what the window held before that edit (it had taken minh's first value).
    assert_eq!(
        in_db(&server, db, row, "tenant"),
        Some(Value::from("Công ty B"))
    );
}

#[test]
fn a_lost_server_loses_nothing_and_the_window_keeps_going() {
    let Some(mut server) = Server::start() else {
        return;
    };
    let db = "offline";
    let url = sample_board(&server, db);
    let recovery = tempfile::tempdir().expect("tempdir");
    let app = ZoneAtlasApp::new(empty_dataset(), Box::new(TestDialogs::new()))
        .with_recovery_dir(recovery.path().to_path_buf());
    let mut h = harness(app);
    let ctx = h.ctx.clone();
    h.state_mut().apply(
        &ctx,
        Action::File(FileAction::OpenBoard {
            url: url.clone(),
            board: Some(BOARD.into()),
        }),
    );
    common::settle(&mut h);
    assert!(
        h.state().session.is_shared(),
        "{:?}",
        h.state().view.message
    );
    let p = some_lot(h.state(), 7);
    let row = fid(h.state(), p);
    h.state_mut().view.selection = Some(Selection::Parcel(p));
    h.run();

    // The test server commits asynchronously (synchronous_commit off): what is committed
    // must be on disk before it is killed, or the "crash" takes it (the role, the import).
    durable(&server, db);
    server.kill();
    let offline = wait_until(&mut h, Duration::from_secs(10), |a| {
        a.session.shared.as_ref().is_some_and(|s| s.offline)
    });
    assert!(offline.is_some(), "the window did not notice");
    let said = h.state().view.message.clone().expect("a message");
    assert!(said.text.contains("offline") && !said.error, "{said:?}");
    // It says why, in the client's or the server's words (a refused login reads differently
    // from a server that is down).
    assert!(said.text.contains("connect"), "{said:?}");

    // An edit made offline: on screen at once, in the journal, waiting.
    type_into(&mut h, "Tenant", "Công ty Ngoại tuyến");
    assert_eq!(
        held(h.state(), p, "tenant"),
        Some(Value::from("Công ty Ngoại tuyến"))
    );
    h.state_mut().session.flush_journal();
    let journal = std::fs::read_to_string(Journal::path_in(recovery.path())).expect("journal");
    assert!(journal.contains("Công ty Ngoại tuyến"), "{journal}");
    assert!(journal.contains(&format!("\"fid\": {row}")), "{journal}");
    // The window never waits on the network: frames keep coming.
    let mut slowest = Duration::ZERO;
    for _ in 0..30 {
        let t = Instant::now();
        h.step();
        slowest = slowest.max(t.elapsed());
        std::thread::sleep(Duration::from_millis(20));
    }
    eprintln!(
        "slowest frame while offline: {:.1} ms",
        slowest.as_secs_f64() * 1e3
    );
    assert!(slowest < Duration::from_millis(500), "{slowest:?}");
    assert!(h.state().board_busy());
    let status = h.query_all_by_label_contains("offline").next();
    assert!(status.is_some(), "the status bar says offline");

    // Back: the edit reaches the board, nothing lost.
    server.restart();
    let sent = wait_until(&mut h, Duration::from_secs(15), |a| !a.board_busy());
    assert!(
        sent.is_some(),
        "the queued edit was not sent: {}",
        state(h.state())
    );
    h.state_mut().session.flush_journal();
    assert_eq!(
        in_db(&server, db, row, "tenant"),
        Some(Value::from("Công ty Ngoại tuyến"))
    );
    assert!(
        !Journal::path_in(recovery.path()).exists(),
        "nothing left to recover"
    );

    // Offline again, and the window closed with an edit unsent: the next start sends it.
    durable(&server, db);
    server.kill();
    assert!(
        wait_until(&mut h, Duration::from_secs(10), |a| {
            a.session.shared.as_ref().is_some_and(|s| s.offline)
        })
        .is_some()
    );
    type_into(&mut h, "Tenant", "Công ty Sau Khởi Động");
    h.state_mut().session.flush_journal();
    // The journal of a window whose process is gone (as after a crash or a close).
    let mut journal: Journal = serde_json::from_str(
        &std::fs::read_to_string(Journal::path_in(recovery.path())).expect("journal"),
    )
    .expect("reads");
    assert!(journal.board.is_some());
    drop(h);
    let left = tempfile::tempdir().expect("tempdir");
    journal.pid = u32::MAX - 3;
    journal
        .store(left.path())
        .expect("stored as another process's");
    std::fs::rename(
        Journal::path_in(left.path()),
        left.path().join(format!("unsaved-{}.json", u32::MAX - 3)),
    )
    .expect("renamed");
    server.restart();
    let app = ZoneAtlasApp::new(empty_dataset(), Box::new(TestDialogs::new()))
        .with_recovery_dir(left.path().to_path_buf());
    assert!(app.is_offering_recovery());
    let mut h = harness(app);
    h.get_by_label("Restore").click();
    h.run();
    common::settle(&mut h);
    let sent = wait_until(&mut h, Duration::from_secs(15), |a| {
        a.session.is_shared() && !a.board_busy()
    });
    assert!(sent.is_some(), "{:?}", h.state().view.message);
    assert_eq!(
        in_db(&server, db, row, "tenant"),
        Some(Value::from("Công ty Sau Khởi Động"))
    );
}

#[test]
fn a_board_that_cannot_be_reached_or_named_is_an_error_not_a_panic() {
    let mut h = harness(ZoneAtlasApp::new(
        empty_dataset(),
        Box::new(TestDialogs::new()),
    ));
    for (url, board, words) in [
        // Nothing listens on port 1 of this machine.
        ("postgres://nobody@127.0.0.1:1/kcn", None, "cannot connect"),
        ("postgres://lan:secret@127.0.0.1:1/kcn", None, "password"),
        ("zones.geojson", None, "not a database URL"),
    ] {
        let ctx = h.ctx.clone();
        h.state_mut().apply(
            &ctx,
            Action::File(FileAction::OpenBoard {
                url: url.into(),
                board,
            }),
        );
        common::settle(&mut h);
        let m = h.state().view.message.clone().expect("a message");
        assert!(m.error && m.text.contains(words), "{url}: {m:?}");
        assert!(!h.state().session.is_shared());
    }
}

/// A window on the board at `url`, its recovery file in `recovery`.
fn window_on(url: &str, recovery: &std::path::Path) -> H {
    let app = ZoneAtlasApp::new(empty_dataset(), Box::new(TestDialogs::new()))
        .with_recovery_dir(recovery.to_path_buf());
    let mut h = harness(app);
    let ctx = h.ctx.clone();
    h.state_mut().apply(
        &ctx,
        Action::File(FileAction::OpenBoard {
            url: url.to_string(),
            board: Some(BOARD.into()),
        }),
    );
    common::settle(&mut h);
    assert!(
        h.state().session.is_shared(),
        "{:?}",
        h.state().view.message
    );
    h
}

/// Runs frames until the window has sent everything or asks about a conflict (the dialog
/// drawn); whether it asks.
fn sent_or_asked(h: &mut H) -> bool {
    let settled = wait_until(h, Duration::from_secs(10), |a| {
        a.is_asking_about_conflict() || !a.board_busy()
    });
    assert!(settled.is_some(), "{}", state(h.state()));
    h.run();
    h.state().is_asking_about_conflict()
}

fn undo(h: &mut H) {
    let ctx = h.ctx.clone();
    h.state_mut().apply(&ctx, Action::Edit(EditAction::Undo));
    h.run();
}

/// Undo, and the board asks (the undo was checked against what it was made on).
fn undo_asks(h: &mut H) {
    undo(h);
    assert!(sent_or_asked(h), "undo not checked: {}", state(h.state()));
}

/// The conflict the window asks about: the property's two values.
fn asked_values(app: &ZoneAtlasApp) -> (Option<Value>, Option<Value>) {
    let conflict = app
        .session
        .shared
        .as_ref()
        .and_then(|s| s.conflict.as_ref())
        .expect("a conflict");
    match &conflict.kind {
        ConflictKind::Value { mine, theirs, .. } => (mine.clone(), theirs.clone()),
        other => panic!("not a value conflict: {other:?}"),
    }
}

#[test]
fn after_keeping_theirs_undo_never_puts_a_value_back_over_the_other_planners_unasked() {
    let Some(server) = Server::start() else {
        return;
    };
    let db = "undo";
    let url = sample_board(&server, db);
    let recovery = tempfile::tempdir().expect("tempdir");
    let mut h = window_on(&url, recovery.path());
    let p = some_lot(h.state(), 2);
    let row = fid(h.state(), p);
    let original = held(h.state(), p, "tenant");
    h.state_mut().view.selection = Some(Selection::Parcel(p));
    h.run();

    // My edit reaches the board; minh changes the value behind the window's back; my next
    // edit is made on mine, and I keep theirs.
    type_into(&mut h, "Tenant", "Công ty A");
    assert!(!sent_or_asked(&mut h));
    change_unannounced(&server, db, row, "Công ty B", "minh");
    type_into(&mut h, "Tenant", "Công ty A2");
    assert!(sent_or_asked(&mut h), "no conflict: {}", state(h.state()));
    h.get_by_label("Keep theirs").click();
    h.run();
    assert!(
        wait_until(&mut h, Duration::from_secs(5), |a| {
            held(a, p, "tenant") == Some(Value::from("Công ty B")) && !a.board_busy()
        })
        .is_some(),
        "{}",
        state(h.state())
    );
    // The dropped edit is out of the undo history too: my first edit is what Undo takes back.
    assert_eq!(h.state().session.history.len(), 1);

    // Undoing it is made against the value it left ("Công ty A"), which the board no longer
    // holds: the board asks, rather than writing "Công ty A" (the dropped edit's undo) or the
    // value from before my edits over minh's.
    undo_asks(&mut h);
    assert_eq!(
        asked_values(h.state()),
        (original.clone(), Some(Value::from("Công ty B")))
    );
    assert_eq!(
        in_db(&server, db, row, "tenant"),
        Some(Value::from("Công ty B"))
    );
    // Keeping theirs again: the window holds minh's value (at the row version it held
    // already), and nothing is left to undo or redo.
    h.get_by_label("Keep theirs").click();
    h.run();
    assert!(
        wait_until(&mut h, Duration::from_secs(5), |a| {
            held(a, p, "tenant") == Some(Value::from("Công ty B")) && !a.board_busy()
        })
        .is_some(),
        "{}",
        state(h.state())
    );
    let history = &h.state().session.history;
    assert_eq!((history.len(), history.redo_label()), (0, None));
    assert_eq!(
        in_db(&server, db, row, "tenant"),
        Some(Value::from("Công ty B"))
    );

    // Another planner's edit the window took in (a direct store client's, announced): undoing
    // my earlier edit of that property asks too; "Use mine" then writes the value from before
    // my edit, made against theirs.
    let q = some_lot(h.state(), 4);
    let row_q = fid(h.state(), q);
    let original_q = held(h.state(), q, "tenant");
    h.state_mut().view.selection = Some(Selection::Parcel(q));
    h.run();
    type_into(&mut h, "Tenant", "Công ty X");
    assert!(!sent_or_asked(&mut h));
    let target = Target::parse(&url).expect("url");
    let mut other = target.connect().expect("connects");
    let board = BoardName::new(BOARD).expect("board");
    let step = script::parse(
        r#"[{"op": "set", "layer": "parcels", "at": 1, "key": "tenant", "value": "Công ty Y", "from": "Công ty X"}]"#,
    )
    .expect("step")
    .remove(0);
    apply_rows(
        &mut other,
        &target,
        &board,
        &[RowStep {
            layer: LayerKind::Parcels,
            fid: Some(row_q),
            step,
        }],
    )
    .expect("the other planner's edit");
    assert!(
        wait_until(&mut h, Duration::from_secs(5), |a| {
            held(a, q, "tenant") == Some(Value::from("Công ty Y"))
        })
        .is_some(),
        "the other planner's edit did not come in"
    );
    undo_asks(&mut h);
    assert_eq!(
        asked_values(h.state()),
        (original_q.clone(), Some(Value::from("Công ty Y")))
    );
    assert_eq!(
        in_db(&server, db, row_q, "tenant"),
        Some(Value::from("Công ty Y"))
    );
    h.get_by_label("Use mine").click();
    h.run();
    assert!(!sent_or_asked(&mut h), "{}", state(h.state()));
    assert_eq!(in_db(&server, db, row_q, "tenant"), original_q);
    assert_eq!(held(h.state(), q, "tenant"), original_q);
}

/// A geometry text moved a hair east (every longitude plus 1e-5 degree).
fn moved_east(geometry: &str) -> String {
    fn shift(v: &mut Value) {
        match v {
            Value::Array(items) => {
                if let [Value::Number(x), Value::Number(_)] = items.as_slice()
                    && let Some(x) = x.as_f64()
                {
                    items[0] = Value::from(x + 1e-5);
                } else {
                    items.iter_mut().for_each(shift);
                }
            }
            Value::Object(map) => map.values_mut().for_each(shift),
            _ => {}
        }
    }
    let mut g: Value = serde_json::from_str(geometry).expect("a geometry");
    shift(&mut g);
    g.to_string()
}

#[test]
fn an_edit_the_board_took_before_its_answer_was_lost_is_not_asked_about_again() {
    let Some(server) = Server::start() else {
        return;
    };
    let db = "resent";
    let url = sample_board(&server, db);
    let recovery = tempfile::tempdir().expect("tempdir");
    let mut h = window_on(&url, recovery.path());
    let p = some_lot(h.state(), 2);
    let q = some_lot(h.state(), 6);
    let (row_p, row_q) = (fid(h.state(), p), fid(h.state(), q));
    h.state_mut().view.selection = Some(Selection::Parcel(p));
    h.run();

    // The board's lock held by another client: the window's sending waits behind it, as a
    // sending after the connection is back waits for it.
    let (target, board, mut other) = holding_the_board(&url);
    // A value and a shape.
    type_into(&mut h, "Tenant", "Công ty Đã Gửi");
    let shape = {
        let parcels = h.state().session.ds.parcels.as_ref().expect("parcels");
        moved_east(parcels.doc.geometry_json(q).expect("a geometry"))
    };
    let ctx = h.ctx.clone();
    h.state_mut().apply(
        &ctx,
        Action::Edit(EditAction::Apply(Edit {
            ops: vec![Op::Geometry {
                layer: LayerKind::Parcels,
                feature: q,
                geometry: Some(shape.as_str().into()),
            }],
            what: "shape".into(),
        })),
    );
    h.run();
    // The board takes the window's own edits first, as the window sent them (as `lan`, on
    // the rows and versions it held): as if its first sending had been committed and the
    // answer lost with the connection.
    let held_q = h
        .state()
        .session
        .shared
        .as_ref()
        .expect("shared")
        .parcels
        .get(q);
    let entries = h.state().session.journal.entries.clone();
    assert_eq!(entries.len(), 2, "{}", state(h.state()));
    let steps = [
        RowStep {
            layer: LayerKind::Parcels,
            fid: Some(row_p),
            step: entries[0].step.clone(),
        },
        RowStep {
            layer: LayerKind::Parcels,
            fid: Some(row_q),
            step: entries[1]
                .step
                .clone()
                .with_version(held_q.expect("a row").version),
        },
    ];
    apply_rows(&mut other, &target, &board, &steps).expect("taken first");
    release_the_board(&mut other, &board);

    // Sent again, both are found in the board: no question, out of the journal, and not
    // written twice.
    assert!(!sent_or_asked(&mut h), "asked: {}", state(h.state()));
    assert!(h.state().session.journal.entries.is_empty());
    assert_eq!(
        in_db(&server, db, row_p, "tenant"),
        Some(Value::from("Công ty Đã Gửi"))
    );
    let mut su = server.superuser(db);
    let changes = |su: &mut postgres::Client, fid: i64| -> Vec<String> {
        su.query(
            "SELECT op->>'op' FROM za_bac_ninh.history WHERE layer = 'parcels' AND fid = $1 ORDER BY seq",
            &[&fid],
        )
        .expect("history")
        .iter()
        .map(|r| r.get::<_, String>(0))
        .collect()
    };
    assert_eq!(changes(&mut su, row_p), ["set"]);
    assert_eq!(changes(&mut su, row_q), ["reshape"]);
    // The window holds the rows at the board's versions: its next edits of them are made on
    // them as they are, and go in without a question.
    let version = |su: &mut postgres::Client, fid: i64| -> i64 {
        su.query_one(
            "SELECT version FROM za_bac_ninh.parcels WHERE fid = $1",
            &[&fid],
        )
        .expect("the row")
        .get(0)
    };
    let shared = h.state().session.shared.as_ref().expect("shared");
    for (i, fid) in [(p, row_p), (q, row_q)] {
        let held = shared.parcels.get(i).expect("a row").version;
        assert_eq!(held as i64, version(&mut su, fid), "row {fid}");
    }
    type_into(&mut h, "Tenant", "Công ty Sau");
    assert!(!sent_or_asked(&mut h), "{}", state(h.state()));
    assert_eq!(
        in_db(&server, db, row_p, "tenant"),
        Some(Value::from("Công ty Sau"))
    );
}

#[test]
fn a_login_refused_for_good_is_said_once_and_not_tried_again() {
    let Some(server) = Server::start() else {
        return;
    };
    let db = "refused";
    let url = sample_board(&server, db);
    let recovery = tempfile::tempdir().expect("tempdir");
    let mut h = window_on(&url, recovery.path());
    let p = some_lot(h.state(), 2);
    h.state_mut().view.selection = Some(Selection::Parcel(p));
    h.run();
    // Both threads connected: the reader listens, the writer has sent an edit.
    type_into(&mut h, "Tenant", "Công ty Trước");
    assert!(!sent_or_asked(&mut h));

    // The role renamed away and its connections cut: each thread connects again, and the
    // server refuses the login (SQLSTATE 28000, role "lan" does not exist).
    let mut su = server.superuser(db);
    su.batch_execute(
        "ALTER ROLE lan RENAME TO lan_away;
         SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'lan_away';",
    )
    .expect("renamed and cut");
    let told = wait_until(&mut h, Duration::from_secs(10), |a| {
        a.view.message.as_ref().is_some_and(|m| m.error)
    });
    assert!(told.is_some(), "not told: {}", state(h.state()));
    let said = h.state().view.message.clone().expect("a message");
    assert!(
        said.text.contains("The board's server refused the login")
            && said.text.contains("role \"lan\" does not exist"),
        "{said:?}"
    );
    assert!(h.state().session.shared.as_ref().is_some_and(|s| s.offline));
    // Nobody will read another lot's history now: it says why, instead of reading for ever.
    let q = some_lot(h.state(), 4);
    h.state_mut().view.selection = Some(Selection::Parcel(q));
    h.run();
    h.run();
    assert!(
        h.query_by_label_contains(
            "Cannot read the history: the board's server refused the login (role \"lan\" does not exist)"
        )
        .is_some(),
        "{:?}",
        h.state().view.history
    );
    h.state_mut().view.selection = Some(Selection::Parcel(p));
    h.run();

    // An edit made now is kept in the recovery journal, not sent.
    type_into(&mut h, "Tenant", "Công ty Sau Từ Chối");
    h.state_mut().session.flush_journal();
    let journal = std::fs::read_to_string(Journal::path_in(recovery.path())).expect("journal");
    assert!(journal.contains("Công ty Sau Từ Chối"), "{journal}");
    assert_eq!(h.state().session.unsent(), 1);

    // Not tried again, not said again: no login reaches the server for five seconds (the
    // retry loop tried each thread at least every two), and the message stays cleared.
    stays_quiet(&mut h, &server, "role \"lan\" does not exist");
    assert_eq!(
        in_db(&server, "refused", fid(h.state(), p), "tenant"),
        Some(Value::from("Công ty Trước"))
    );
}

/// Runs an edit in the window, as the map's tools and the inspector do.
fn apply_edit(h: &mut H, ops: Vec<Op>, what: &str) {
    let ctx = h.ctx.clone();
    h.state_mut().apply(
        &ctx,
        Action::Edit(EditAction::Apply(Edit {
            ops,
            what: what.into(),
        })),
    );
    h.run();
}

fn redo(h: &mut H) {
    let ctx = h.ctx.clone();
    h.state_mut().apply(&ctx, Action::Edit(EditAction::Redo));
    h.run();
}

/// A lot's geometry as the window holds it.
fn geometry(app: &ZoneAtlasApp, p: usize) -> Option<Value> {
    let parcels = app.session.ds.parcels.as_ref()?;
    serde_json::from_str(parcels.doc.geometry_json(p)?).ok()
}

/// Row `fid`'s feature as the database holds it (`None`: no such row).
fn row_in_db(server: &Server, db: &str, fid: i64) -> Option<Value> {
    let row = server
        .superuser(db)
        .query_opt(
            "SELECT feature::text FROM za_bac_ninh.parcels WHERE fid = $1",
            &[&fid],
        )
        .expect("the query")?;
    serde_json::from_str(row.get::<_, &str>(0)).ok()
}

/// Lot `p`'s row version, as the window holds it.
fn version_held(app: &ZoneAtlasApp, p: usize) -> u64 {
    app.session
        .shared
        .as_ref()
        .and_then(|s| s.parcels.get(p))
        .expect("a row")
        .version
}

/// The kind of conflict the window asks about.
fn asked_kind(app: &ZoneAtlasApp) -> ConflictKind {
    app.session
        .shared
        .as_ref()
        .and_then(|s| s.conflict.as_ref())
        .expect("a conflict")
        .kind
        .clone()
}

/// Another planner's edit of row `fid` (a step naming it `"at": 1`), through the store as
/// any client makes it: the window hears of it.
fn others_edit(url: &str, fid: i64, step: Value) {
    let target = Target::parse(url).expect("url");
    let mut other = target.connect().expect("connects");
    let board = BoardName::new(BOARD).expect("board");
    let step = script::parse(&format!("[{step}]")).expect("step").remove(0);
    apply_rows(
        &mut other,
        &target,
        &board,
        &[RowStep {
            layer: LayerKind::Parcels,
            fid: Some(fid),
            step,
        }],
    )
    .expect("the other planner's edit");
}

#[test]
fn undoing_a_reshape_or_redoing_a_deletion_asks_when_another_planner_changed_the_row_since() {
    let Some(server) = Server::start() else {
        return;
    };
    let db = "undo_shapes";
    let url = sample_board(&server, db);
    let recovery = tempfile::tempdir().expect("tempdir");
    let mut h = window_on(&url, recovery.path());

    // My reshape reaches the board; minh reshapes the lot after it, and the window takes
    // his shape in.
    let p = some_lot(h.state(), 2);
    let row_p = fid(h.state(), p);
    let parcels = h.state().session.ds.parcels.as_ref().expect("parcels");
    let mine = moved_east(parcels.doc.geometry_json(p).expect("a geometry"));
    let theirs = moved_east(&mine);
    let theirs_v: Value = serde_json::from_str(&theirs).expect("json");
    apply_edit(
        &mut h,
        vec![Op::Geometry {
            layer: LayerKind::Parcels,
            feature: p,
            geometry: Some(mine.as_str().into()),
        }],
        "shape",
    );
    assert!(!sent_or_asked(&mut h), "{}", state(h.state()));
    let after_mine = version_held(h.state(), p);
    others_edit(
        &url,
        row_p,
        serde_json::json!({"op": "reshape", "layer": "parcels", "at": 1, "raw": theirs}),
    );
    assert!(
        wait_until(&mut h, Duration::from_secs(5), |a| geometry(a, p).as_ref()
            == Some(&theirs_v))
        .is_some(),
        "minh's shape did not come in"
    );
    assert_ne!(version_held(h.state(), p), after_mine);

    // Undoing my reshape would put the lot's first shape over minh's: the board asks. The
    // undo is made against the version my reshape left, in the journal as `apply` runs it.
    undo_asks(&mut h);
    assert!(
        matches!(asked_kind(h.state()), ConflictKind::Shape { .. }),
        "{}",
        state(h.state())
    );
    assert_eq!(
        row_in_db(&server, db, row_p).map(|f| f["geometry"].clone()),
        Some(theirs_v.clone())
    );
    h.state_mut().session.flush_journal();
    let journal = std::fs::read_to_string(Journal::path_in(recovery.path())).expect("journal");
    let steps = script::parse(&journal).expect("the journal is a script");
    assert!(
        matches!(steps.as_slice(), [step] if step.name() == "reshape" && step.version() == Some(after_mine)),
        "{steps:?}"
    );
    // Keeping theirs: the window holds minh's shape, and my reshape is out of the history.
    h.get_by_label("Keep theirs").click();
    h.run();
    assert!(
        wait_until(&mut h, Duration::from_secs(5), |a| {
            geometry(a, p).as_ref() == Some(&theirs_v) && !a.board_busy()
        })
        .is_some(),
        "{}",
        state(h.state())
    );
    let history = &h.state().session.history;
    assert_eq!((history.len(), history.redo_label()), (0, None));
    assert_eq!(
        row_in_db(&server, db, row_p).map(|f| f["geometry"].clone()),
        Some(theirs_v)
    );

    // I delete a lot and undo it (it goes back as a new row); minh changes that row; redoing
    // my deletion would delete his change unasked: the board asks, and "Keep theirs" gives
    // the window his lot back.
    let q = some_lot(h.state(), 5);
    let first_row = fid(h.state(), q);
    apply_edit(
        &mut h,
        vec![Op::Delete {
            layer: LayerKind::Parcels,
            feature: q,
        }],
        "delete",
    );
    assert!(!sent_or_asked(&mut h), "{}", state(h.state()));
    assert_eq!(row_in_db(&server, db, first_row), None);
    undo(&mut h);
    assert!(!sent_or_asked(&mut h), "{}", state(h.state()));
    let back_row = fid(h.state(), q);
    assert_ne!(back_row, first_row);
    assert!(row_in_db(&server, db, back_row).is_some());
    others_edit(
        &url,
        back_row,
        serde_json::json!({"op": "set", "layer": "parcels", "at": 1, "key": "tenant", "value": "Công ty Của Minh"}),
    );
    assert!(
        wait_until(&mut h, Duration::from_secs(5), |a| held(a, q, "tenant")
            == Some(Value::from("Công ty Của Minh")))
        .is_some(),
        "minh's change did not come in"
    );
    redo(&mut h);
    assert!(
        sent_or_asked(&mut h),
        "redo not checked: {}",
        state(h.state())
    );
    assert!(matches!(asked_kind(h.state()), ConflictKind::Shape { .. }));
    assert!(
        row_in_db(&server, db, back_row).is_some(),
        "deleted unasked"
    );
    h.get_by_label("Keep theirs").click();
    h.run();
    assert!(
        wait_until(&mut h, Duration::from_secs(5), |a| {
            let parcels = a.session.ds.parcels.as_ref().expect("parcels");
            !parcels.doc.is_deleted(q)
                && held(a, q, "tenant") == Some(Value::from("Công ty Của Minh"))
                && !a.board_busy()
        })
        .is_some(),
        "{}",
        state(h.state())
    );
    assert!(row_in_db(&server, db, back_row).is_some());
    assert_eq!(h.state().session.history.redo_label(), None);

    // Again with a shape: minh changes the tenant of a lot I reshaped; undoing my reshape
    // asks, and "Use mine" puts the lot's first shape back, made against his version (his
    // tenant stays).
    let s = some_lot(h.state(), 6);
    let row_s = fid(h.state(), s);
    let parcels = h.state().session.ds.parcels.as_ref().expect("parcels");
    let first: Value =
        serde_json::from_str(parcels.doc.geometry_json(s).expect("a geometry")).expect("json");
    let moved = moved_east(parcels.doc.geometry_json(s).expect("a geometry"));
    apply_edit(
        &mut h,
        vec![Op::Geometry {
            layer: LayerKind::Parcels,
            feature: s,
            geometry: Some(moved.as_str().into()),
        }],
        "shape",
    );
    assert!(!sent_or_asked(&mut h), "{}", state(h.state()));
    others_edit(
        &url,
        row_s,
        serde_json::json!({"op": "set", "layer": "parcels", "at": 1, "key": "tenant", "value": "Công ty Của Minh"}),
    );
    assert!(
        wait_until(&mut h, Duration::from_secs(5), |a| held(a, s, "tenant")
            == Some(Value::from("Công ty Của Minh")))
        .is_some(),
        "minh's change did not come in"
    );
    undo_asks(&mut h);
    h.get_by_label("Use mine").click();
    h.run();
    assert!(!sent_or_asked(&mut h), "{}", state(h.state()));
    let row = row_in_db(&server, db, row_s).expect("the row");
    assert_eq!(row["geometry"], first);
    assert_eq!(row["properties"]["tenant"], Value::from("Công ty Của Minh"));
    assert_eq!(geometry(h.state(), s), Some(first));

    // Nobody else: two reshapes undone and redone go in without a question (each made on
    // what my own last step left).
    let r = some_lot(h.state(), 7);
    let row_r = fid(h.state(), r);
    let parcels = h.state().session.ds.parcels.as_ref().expect("parcels");
    let one = moved_east(parcels.doc.geometry_json(r).expect("a geometry"));
    let two = moved_east(&one);
    for shape in [&one, &two] {
        apply_edit(
            &mut h,
            vec![Op::Geometry {
                layer: LayerKind::Parcels,
                feature: r,
                geometry: Some(shape.as_str().into()),
            }],
            "shape",
        );
        assert!(!sent_or_asked(&mut h), "{}", state(h.state()));
    }
    for step in [undo, undo, redo, redo] {
        step(&mut h);
        assert!(!sent_or_asked(&mut h), "{}", state(h.state()));
    }
    let two_v: Value = serde_json::from_str(&two).expect("json");
    assert_eq!(
        row_in_db(&server, db, row_r).map(|f| f["geometry"].clone()),
        Some(two_v)
    );
}

#[test]
fn an_insertion_the_board_took_before_its_answer_was_lost_is_not_made_twice() {
    use zoneatlas::engine::script::{LayerName, Step};
    let Some(server) = Server::start() else {
        return;
    };
    let db = "reinsert";
    let url = sample_board(&server, db);
    let recovery = tempfile::tempdir().expect("tempdir");
    let mut h = window_on(&url, recovery.path());
    let rows_in_db = |server: &Server| lots_in_db(server, db);
    let before = rows_in_db(&server);

    // The board's lock held by another client: the window's sendings wait behind it.
    let (target, board, mut other) = holding_the_board(&url);
    // A lot drawn (on another's shape, moved), and a lot split in two.
    let s = some_lot(h.state(), 3);
    let t = some_lot(h.state(), 6);
    let row_t = fid(h.state(), t);
    let (drawn, draw, split) = {
        let ds = &h.state().session.ds;
        let parcels = ds.parcels.as_ref().expect("parcels");
        let shape: Value = serde_json::from_str(&moved_east(
            parcels.doc.geometry_json(s).expect("a geometry"),
        ))
        .expect("json");
        let feature = serde_json::json!({"type": "Feature",
            "properties": {"parcel_id": "QV1-MOI-01", "status": "vacant"}, "geometry": shape});
        let draw = script::ops_for(
            ds,
            &Step::Insert {
                layer: LayerName::Parcels,
                feature: Some(feature),
                raw: None,
                uid: None,
            },
        )
        .expect("a new lot");
        // A line north–south through the middle of lot t's extent.
        let g: Value =
            serde_json::from_str(parcels.doc.geometry_json(t).expect("a geometry")).expect("json");
        let mut xy = Vec::new();
        let mut stack = vec![&g["coordinates"]];
        while let Some(v) = stack.pop() {
            match v.as_array().map(Vec::as_slice) {
                Some([Value::Number(x), Value::Number(y), ..]) => {
                    xy.push((x.as_f64().expect("x"), y.as_f64().expect("y")))
                }
                Some(items) => stack.extend(items),
                None => {}
            }
        }
        let (x0, x1) = xy
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
        let (y0, y1) = xy
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
        let x = (x0 + x1) / 2.0;
        let split = script::ops_for(
            ds,
            &Step::Split {
                layer: LayerName::Parcels,
                id: None,
                at: Some(t + 1),
                line: vec![[x, y0 - 1e-4], [x, y1 + 1e-4]],
                new_ids: None,
                version: None,
            },
        )
        .expect("a split");
        (parcels.doc.len(), draw, split)
    };
    let parts = split.len() - 1;
    assert!(parts >= 2, "{split:?}");
    apply_edit(&mut h, draw, "draw");
    apply_edit(&mut h, split, "split");

    // The board takes both edits first, as the window sends them (as `lan`, each in one
    // transaction, its new features with the identities the window gave them): as if the
    // window's first sendings had been committed and their answers lost.
    let entries = h.state().session.journal.entries.clone();
    assert_eq!(entries.len(), 1 + 1 + parts, "{}", state(h.state()));
    let held_t = version_held(h.state(), t);
    let mut uids = Vec::new();
    for edit in [entries[0].edit, entries[1].edit] {
        let steps: Vec<RowStep> = entries
            .iter()
            .filter(|e| e.edit == edit)
            .map(|e| match &e.step {
                Step::Insert { uid, .. } => {
                    uids.push(uid.clone().expect("a new feature's own identity"));
                    RowStep {
                        layer: LayerKind::Parcels,
                        fid: None,
                        step: e.step.clone(),
                    }
                }
                step => RowStep {
                    layer: LayerKind::Parcels,
                    fid: Some(row_t),
                    step: step.clone().with_version(held_t),
                },
            })
            .collect();
        apply_rows(&mut other, &target, &board, &steps).expect("taken first");
    }
    release_the_board(&mut other, &board);

    // Sent again, both are found in the board: no question, out of the journal, one row each.
    assert!(!sent_or_asked(&mut h), "asked: {}", state(h.state()));
    assert!(h.state().session.journal.entries.is_empty());
    assert_eq!(rows_in_db(&server), before + 1 + parts as i64 - 1);
    let mut su = server.superuser(db);
    for uid in &uids {
        let made: i64 = su
            .query_one(
                "SELECT count(*) FROM za_bac_ninh.history WHERE op->>'uid' = $1",
                &[uid],
            )
            .expect("history")
            .get(0);
        assert_eq!(made, 1, "{uid}");
    }
    // The window knows the drawn lot by the row the board made: its next edit goes there,
    // without a question.
    let row_drawn: i64 = su
        .query_one(
            "SELECT fid FROM za_bac_ninh.history WHERE op->>'uid' = $1",
            &[&uids[0]],
        )
        .expect("history")
        .get(0);
    assert_eq!(fid(h.state(), drawn), row_drawn);
    apply_edit(
        &mut h,
        vec![Op::Set {
            layer: LayerKind::Parcels,
            feature: drawn,
            key: "tenant".into(),
            value: Some(Value::from("Công ty Mới")),
        }],
        "tenant",
    );
    assert!(!sent_or_asked(&mut h), "{}", state(h.state()));
    assert_eq!(
        in_db(&server, db, row_drawn, "tenant"),
        Some(Value::from("Công ty Mới"))
    );
    assert_eq!(rows_in_db(&server), before + parts as i64);
}

/// The selected lot's history, as the inspector holds it: `Some(Ok)` read, `Some(Err)` why
/// not, `None` being read.
fn history_shown(app: &ZoneAtlasApp) -> Option<Result<usize, String>> {
    let h = app.view.history.as_ref()?;
    h.entries
        .as_ref()
        .map(|e| e.as_ref().map(Vec::len).map_err(Clone::clone))
}

#[test]
fn a_login_without_a_password_to_give_is_said_once_and_the_history_says_why_it_cannot_be_read() {
    let Some(server) = Server::start() else {
        return;
    };
    if !common::pg::no_password_at_hand() {
        eprintln!("skipping: this process has a password to give (PGPASSWORD or a password file)");
        return;
    }
    let db = "nopassword";
    let url = sample_board(&server, db);
    let mut su = server.superuser(db);
    // Every connection the server receives is logged (to tell that none is tried again).
    su.batch_execute("ALTER SYSTEM SET log_connections = on")
        .expect("log connections");
    su.batch_execute("SELECT pg_reload_conf()").expect("reload");
    let recovery = tempfile::tempdir().expect("tempdir");
    let mut h = window_on(&url, recovery.path());
    let p = some_lot(h.state(), 2);
    h.state_mut().view.selection = Some(Selection::Parcel(p));
    h.run();
    type_into(&mut h, "Tenant", "Công ty Trước");
    assert!(!sent_or_asked(&mut h));
    assert!(
        wait_until(&mut h, Duration::from_secs(5), |a| history_shown(a)
            .is_some_and(|e| e.is_ok()))
        .is_some(),
        "the history was not read"
    );

    // From now on the server asks `lan` for a password, and this process has none; both
    // threads' connections are cut, and each connects again.
    server.require_password("lan");
    su.batch_execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'lan'",
    )
    .expect("cut");
    drop(su);
    let told = wait_until(&mut h, Duration::from_secs(10), |a| {
        a.view.message.as_ref().is_some_and(|m| m.error)
    });
    assert!(told.is_some(), "not told: {}", state(h.state()));
    let said = h.state().view.message.clone().expect("a message");
    assert!(
        said.text.contains("The board's server refused the login: the server asks for a password, and none is set: put it in PGPASSWORD or the password file (~/.pgpass)"),
        "{said:?}"
    );
    assert!(h.state().session.shared.as_ref().is_some_and(|s| s.offline));
    // The history read before stays; another lot's says why it cannot be read, in the
    // reader's language, instead of reading for ever.
    assert!(history_shown(h.state()).is_some_and(|e| e.is_ok()));
    let q = some_lot(h.state(), 4);
    h.state_mut().view.selection = Some(Selection::Parcel(q));
    h.run();
    h.run();
    assert!(
        h.query_by_label_contains(
            "Cannot read the history: the board's server refused the login (the server asks for a password"
        )
        .is_some(),
        "{:?}",
        history_shown(h.state())
    );
    assert!(h.query_by_label_contains("Reading the history").is_none());
    h.state_mut().view.lang = zoneatlas::i18n::Lang::Vi;
    h.state_mut().view.selection = Some(Selection::Parcel(p));
    h.run();
    h.run();
    assert!(
        h.query_by_label_contains(
            "Không đọc được lịch sử: máy chủ cơ sở dữ liệu từ chối đăng nhập (máy chủ yêu cầu mật khẩu nhưng chưa có mật khẩu nào"
        )
        .is_some(),
        "{:?}",
        history_shown(h.state())
    );

    // An edit made now is kept in the recovery journal, not sent.
    apply_edit(
        &mut h,
        vec![Op::Set {
            layer: LayerKind::Parcels,
            feature: q,
            key: "tenant".into(),
            value: Some(Value::from("Công ty Chưa Gửi")),
        }],
        "tenant",
    );
    h.state_mut().session.flush_journal();
    let journal = std::fs::read_to_string(Journal::path_in(recovery.path())).expect("journal");
    assert!(journal.contains("Công ty Chưa Gửi"), "{journal}");
    assert_eq!(h.state().session.unsent(), 1);

    // Not tried again, not said again: no connection reaches the server for five seconds
    // (the retry loop tried each thread at least every two).
    stays_quiet(&mut h, &server, "connection received");
}

#[test]
fn a_new_lot_the_board_took_before_the_window_closed_is_not_made_again_at_the_next_start() {
    let Some(server) = Server::start() else {
        return;
    };
    let db = "reinsert_restart";
    let url = sample_board(&server, db);
    let recovery = tempfile::tempdir().expect("tempdir");
    let mut h = window_on(&url, recovery.path());
    let rows_in_db = |server: &Server| lots_in_db(server, db);
    let before = rows_in_db(&server);

    // A lot drawn, then its tenant set, while another client holds the board's lock; that
    // client commits the drawing as the window sent it; the window closes before its answer.
    let (target, board, mut other) = holding_the_board(&url);
    let (drawn, draw) = {
        let ds = &h.state().session.ds;
        let parcels = ds.parcels.as_ref().expect("parcels");
        let s = some_lot(h.state(), 3);
        let shape: Value = serde_json::from_str(&moved_east(
            parcels.doc.geometry_json(s).expect("a geometry"),
        ))
        .expect("json");
        let feature = serde_json::json!({"type": "Feature",
            "properties": {"parcel_id": "QV1-MOI-02", "status": "vacant"}, "geometry": shape});
        let step = script::parse(&format!(
            "[{}]",
            serde_json::json!({"op": "insert", "layer": "parcels", "feature": feature})
        ))
        .expect("a step")
        .remove(0);
        (
            parcels.doc.len(),
            script::ops_for(ds, &step).expect("a new lot"),
        )
    };
    apply_edit(&mut h, draw, "draw");
    apply_edit(
        &mut h,
        vec![Op::Set {
            layer: LayerKind::Parcels,
            feature: drawn,
            key: "tenant".into(),
            value: Some(Value::from("Công ty Mới")),
        }],
        "tenant",
    );
    let entries = h.state().session.journal.entries.clone();
    assert_eq!(entries.len(), 2, "{}", state(h.state()));
    apply_rows(
        &mut other,
        &target,
        &board,
        &[RowStep {
            layer: LayerKind::Parcels,
            fid: None,
            step: entries[0].step.clone(),
        }],
    )
    .expect("taken first");
    h.state_mut().session.flush_journal();
    let mut journal: Journal = serde_json::from_str(
        &std::fs::read_to_string(Journal::path_in(recovery.path())).expect("journal"),
    )
    .expect("reads");
    drop(h);
    release_the_board(&mut other, &board);
    assert_eq!(rows_in_db(&server), before + 1);

    // The next start restores the journal: the lot is the board's own row, not drawn again,
    // and the tenant set on it reaches that row.
    let left = tempfile::tempdir().expect("tempdir");
    journal.pid = u32::MAX - 5;
    journal
        .store(left.path())
        .expect("stored as another process's");
    std::fs::rename(
        Journal::path_in(left.path()),
        left.path().join(format!("unsaved-{}.json", u32::MAX - 5)),
    )
    .expect("renamed");
    let app = ZoneAtlasApp::new(empty_dataset(), Box::new(TestDialogs::new()))
        .with_recovery_dir(left.path().to_path_buf());
    assert!(app.is_offering_recovery());
    let mut h = harness(app);
    h.get_by_label("Restore").click();
    h.run();
    common::settle(&mut h);
    let sent = wait_until(&mut h, Duration::from_secs(15), |a| {
        a.session.is_shared() && !a.board_busy()
    });
    assert!(sent.is_some(), "{}", state(h.state()));
    assert!(!h.state().is_asking_about_conflict());
    assert_eq!(rows_in_db(&server), before + 1, "drawn again");
    let parcels = h.state().session.ds.parcels.as_ref().expect("parcels");
    assert_eq!(
        parcels.len() as i64,
        before + 1,
        "drawn again in the window"
    );
    let row: i64 = server
        .superuser(db)
        .query_one(
            "SELECT fid FROM za_bac_ninh.parcels WHERE id = 'QV1-MOI-02'",
            &[],
        )
        .expect("the new lot's row")
        .get(0);
    assert_eq!(
        in_db(&server, db, row, "tenant"),
        Some(Value::from("Công ty Mới"))
    );
}
