//! The basemap (issue 13): a tile server of the test's own on 127.0.0.1 checks what the app
//! asks of it (its User-Agent, how many tiles, no no-cache, revalidation with If-None-Match),
//! the disk cache serves the tiles once the server is gone, an MBTiles file made here is drawn
//! under the zones of a slide, a missing tile shows its parent, and the View menu switches the
//! basemap. No test contacts any address but 127.0.0.1.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use common::{harness, settle};
use zoneatlas::app::ZoneAtlasApp;
use zoneatlas::app::dialogs::TestDialogs;
use zoneatlas::app::map::basemap::{BasemapEnv, BasemapLayer, Source};
use zoneatlas::app::session::Session;
use zoneatlas::app::slide;
use zoneatlas::app::view::ViewState;
use zoneatlas::i18n::{Key, Lang, tr};

/// The tiles' colour.
const TILE: [u8; 3] = [255, 0, 220];

/// A request the server saw.
#[derive(Clone, Debug)]
struct Seen {
    path: String,
    headers: HashMap<String, String>,
    status: u16,
}

/// A tile server on 127.0.0.1: PNG tiles of [`TILE`]'s colour with an ETag and
/// `Cache-Control: max-age=<max_age>`; If-None-Match with that ETag gets a 304.
struct TileServer {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl TileServer {
    fn start(max_age: u32) -> TileServer {
        TileServer::start_slow(max_age, Duration::ZERO)
    }

    /// A server that takes `delay` to answer each request (a distant one).
    fn start_slow(max_age: u32, delay: Duration) -> TileServer {
        TileServer::start_held(max_age, delay, Arc::new(AtomicBool::new(true)))
    }

    /// A server that answers nothing until `open` is set, then each request after `delay`.
    fn start_held(max_age: u32, delay: Duration, open: Arc<AtomicBool>) -> TileServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("address").port();
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let png = Arc::new(tile_png(TILE, image::ImageFormat::Png));
        let (seen2, stop2) = (seen.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (seen, png, open) = (seen2.clone(), png.clone(), open.clone());
                std::thread::spawn(move || {
                    while !open.load(Ordering::SeqCst) {
                        std::thread::sleep(Duration::from_millis(10));
                    }
                    std::thread::sleep(delay);
                    serve(stream, &seen, &png, max_age);
                });
            }
        });
        TileServer {
            port,
            seen,
            stop,
            thread: Some(thread),
        }
    }

    fn template(&self) -> String {
        format!("http://127.0.0.1:{}/{{z}}/{{x}}/{{y}}.png", self.port)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("lock").clone()
    }

    /// Stops listening: the port refuses connections from now on.
    fn stop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            t.join().expect("server thread");
        }
    }
}

impl Drop for TileServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// One request per connection (the answer says `Connection: close`).
fn serve(stream: TcpStream, seen: &Mutex<Vec<Seen>>, png: &[u8], max_age: u32) {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let etag = format!("\"{}\"", path.trim_start_matches('/').replace('/', "-"));
    let tile = path.ends_with(".png") && path.split('/').count() == 4;
    let status = if !tile {
        404
    } else if headers.get("if-none-match") == Some(&etag) {
        304
    } else {
        200
    };
    seen.lock().expect("lock").push(Seen {
        path,
        headers,
        status,
    });
    let mut out = reader.into_inner();
    let head = |status: &str, len: usize| {
        format!(
            "HTTP/1.1 {status}\r\nETag: {etag}\r\nCache-Control: max-age={max_age}\r\nContent-Type: image/png\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n"
        )
    };
    let _ = match status {
        200 => out
            .write_all(head("200 OK", png.len()).as_bytes())
            .and_then(|()| out.write_all(png)),
        304 => out.write_all(head("304 Not Modified", 0).as_bytes()),
        _ => out
            .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
    };
    let _ = out.flush();
}

/// A 256-pixel tile of one colour, as PNG or JPEG.
fn tile_png(rgb: [u8; 3], format: image::ImageFormat) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(256, 256, image::Rgb(rgb));
    let mut bytes = std::io::Cursor::new(Vec::new());
    img.write_to(&mut bytes, format).expect("encode tile");
    bytes.into_inner()
}

/// The tiles' environment: the disk cache in `cache`, "OpenStreetMap" at `osm` (never the
/// real one in a test).
fn env(cache: &Path, osm: &str, min_fresh: Duration) -> BasemapEnv {
    BasemapEnv {
        cache_root: Some(cache.to_path_buf()),
        osm_template: osm.to_string(),
        min_fresh,
        ..BasemapEnv::default()
    }
}

/// The window on the sample, settled with no basemap, then showing `source`, settled again
/// (its tiles waited for): one view, whose tiles are all the app asked for.
fn app_showing(env: BasemapEnv, source: Source) -> Harness<'static, ZoneAtlasApp> {
    let mut app = ZoneAtlasApp::new(
        zoneatlas::app::sample_dataset(),
        Box::new(TestDialogs::new()),
    );
    app.map.basemap.env = env;
    let mut h = harness(app);
    h.state_mut().set_basemap(source);
    settle(&mut h);
    h
}

/// How many of an image's pixels are within `tol` of `rgb`.
fn pixels_near(img: &egui::ColorImage, rgb: [u8; 3], tol: i32) -> usize {
    img.pixels
        .iter()
        .filter(|c| {
            let p = [c.r(), c.g(), c.b()];
            (0..3).all(|k| (i32::from(p[k]) - i32::from(rgb[k])).abs() <= tol)
        })
        .count()
}

#[test]
fn tiles_are_asked_for_as_zoneatlas_the_view_and_one_ring_and_cached() {
    let server = TileServer::start(3600);
    let cache = tempfile::tempdir().expect("tempdir");
    let h = app_showing(
        env(
            cache.path(),
            &server.template(),
            Duration::from_secs(7 * 86_400),
        ),
        Source::Xyz(server.template()),
    );
    let stats = h.state().map.basemap.stats;
    assert!(stats.visible >= 4, "{stats:?}");
    assert_eq!(
        stats.drawn, stats.visible,
        "every visible tile drawn: {stats:?}"
    );
    let seen = server.seen();
    // The view's tiles and at most as many of the ring around them.
    assert!(seen.len() >= stats.visible, "{} requests", seen.len());
    assert!(
        seen.len() <= 2 * stats.visible,
        "{} requests for {} visible tiles",
        seen.len(),
        stats.visible
    );
    let version = env!("CARGO_PKG_VERSION");
    for s in &seen {
        let ua = s.headers.get("user-agent").map_or("", String::as_str);
        assert!(ua.starts_with(&format!("ZoneAtlas/{version}")), "{ua}");
        for h in ["cache-control", "pragma"] {
            let v = s.headers.get(h).map_or("", String::as_str);
            assert!(!v.contains("no-cache"), "{h}: {v}");
        }
        assert_eq!(s.status, 200, "{}", s.path);
    }
    // No tile asked for twice.
    let mut paths: Vec<&str> = seen.iter().map(|s| s.path.as_str()).collect();
    paths.sort_unstable();
    paths.dedup();
    assert_eq!(paths.len(), seen.len());
    // The attribution names the source; the status bar says nothing of being offline.
    let b = &h.state().map.basemap;
    assert_eq!(
        b.basemap().attribution(),
        Some("Basemap: 127.0.0.1:".to_string() + &server.port.to_string()).as_deref()
    );
    drop(h);

    // The next run, while the tiles are fresh (7 days at least, though the server said an
    // hour): from the disk cache, nothing asked.
    let before = server.seen().len();
    let h = app_showing(
        env(
            cache.path(),
            &server.template(),
            Duration::from_secs(7 * 86_400),
        ),
        Source::Xyz(server.template()),
    );
    let stats = h.state().map.basemap.stats;
    assert_eq!(stats.drawn, stats.visible, "{stats:?}");
    assert_eq!(
        server.seen().len(),
        before,
        "fresh tiles are not asked for again"
    );
}

#[test]
fn stale_tiles_are_revalidated_and_served_from_the_cache_once_the_server_is_gone() {
    let mut server = TileServer::start(0);
    let cache = tempfile::tempdir().expect("tempdir");
    // Tiles stale at once (the server says max-age=0; the 7-day floor shortened to none).
    let template = server.template();
    let stale_env = || env(cache.path(), &template, Duration::ZERO);
    let h = app_showing(stale_env(), Source::Osm);
    let first = server.seen();
    assert!(
        first
            .iter()
            .all(|s| s.status == 200 && !s.headers.contains_key("if-none-match"))
    );
    let visible = h.state().map.basemap.stats.visible;
    assert_eq!(
        h.state().map.basemap.basemap().attribution(),
        Some("© OpenStreetMap contributors")
    );
    drop(h);

    // Again: each tile revalidated with its ETag, the server answers 304, the cached tile
    // is drawn.
    let h = app_showing(stale_env(), Source::Osm);
    let second: Vec<Seen> = server.seen().split_off(first.len());
    assert!(second.len() >= visible, "{} revalidations", second.len());
    for s in &second {
        let etag = format!("\"{}\"", s.path.trim_start_matches('/').replace('/', "-"));
        assert_eq!(s.headers.get("if-none-match"), Some(&etag), "{}", s.path);
        assert_eq!(s.status, 304);
    }
    let b = &h.state().map.basemap;
    assert_eq!(b.stats.drawn, b.stats.visible, "{:?}", b.stats);
    assert!(b.basemap().stats().not_modified >= visible);
    drop(h);

    // The server gone: the stale tiles from the cache, and the window says once, quietly,
    // that the basemap is offline.
    server.stop();
    let h = app_showing(stale_env(), Source::Osm);
    let b = &h.state().map.basemap;
    assert_eq!(b.stats.drawn, b.stats.visible, "{:?}", b.stats);
    assert!(b.basemap().is_offline());
    let message = h.state().view.message.clone().expect("a message");
    assert_eq!(message.text, tr(Lang::En, Key::BasemapOffline));
    assert!(!message.error);
}

/// An MBTiles file of tiles of `rgb` over the sample's area at zoom levels `zooms` (levels
/// from `jpeg_from` on as JPEG), its metadata saying `maxzoom`.
fn mbtiles(
    path: &Path,
    rgb: [u8; 3],
    zooms: std::ops::RangeInclusive<u8>,
    jpeg_from: u8,
    maxzoom: u8,
) {
    let db = rusqlite::Connection::open(path).expect("create mbtiles");
    db.execute_batch(
        "CREATE TABLE metadata (name TEXT, value TEXT);
         CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
         CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);",
    )
    .expect("schema");
    for (k, v) in [
        ("name", "Test orthophoto"),
        ("format", "png"),
        (
            "attribution",
            "<a href=\"http://127.0.0.1/\">&copy; Test Board</a>",
        ),
        ("minzoom", "0"),
        ("maxzoom", &maxzoom.to_string()),
    ] {
        db.execute("INSERT INTO metadata VALUES (?1, ?2)", [k, v])
            .expect("metadata");
    }
    let png = tile_png(rgb, image::ImageFormat::Png);
    let jpeg = tile_png(rgb, image::ImageFormat::Jpeg);
    for z in zooms {
        // The sample lies within 105.7–106.5 E, 20.8–21.5 N: a wide margin around it, a
        // narrow one at the deepest levels (thousands of tiles otherwise).
        let (w, e, s, n) = if z < 12 {
            (104.5, 107.5, 20.0, 22.5)
        } else {
            (105.6, 106.6, 20.7, 21.6)
        };
        let k = f64::from(1u32 << z);
        let tx = |lon: f64| ((lon + 180.0) / 360.0 * k).floor() as u32;
        let ty = |lat: f64| {
            let r = f64::to_radians(lat);
            ((1.0 - (r.tan() + 1.0 / r.cos()).ln() / std::f64::consts::PI) / 2.0 * k).floor() as u32
        };
        let data = if z >= jpeg_from { &jpeg } else { &png };
        for x in tx(w)..=tx(e) {
            for y in ty(n)..=ty(s) {
                let row = (1u32 << z) - 1 - y;
                db.execute(
                    "INSERT INTO tiles VALUES (?1, ?2, ?3, ?4)",
                    rusqlite::params![z, x, row, data],
                )
                .expect("tile");
            }
        }
    }
}

#[test]
fn an_mbtiles_basemap_is_under_the_zones_of_a_slide_with_its_attribution() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("ortho.mbtiles");
    mbtiles(&file, TILE, 0..=13, 12, 13);
    let session = Session::new(zoneatlas::app::sample_dataset());
    let mut view = ViewState::default();
    view.settle(&session);
    let mut layer = BasemapLayer::default();
    layer.set_source(Source::MbTiles(file.clone()));
    assert_eq!(layer.basemap().error(), None);
    assert_eq!(layer.basemap().attribution(), Some("© Test Board"));

    let started = Instant::now();
    let img = slide::render(&session, &view, &layer, 1280, 720);
    let ms = started.elapsed().as_millis();
    let bare = slide::render(&session, &view, &BasemapLayer::default(), 1280, 720);
    // The tiles' colour shows around the zones (JPEG levels within a few units of it), and
    // not without the basemap.
    let tile_px = pixels_near(&img, TILE, 6);
    assert!(
        tile_px > 1280 * 720 / 20,
        "{tile_px} pixels of the tiles' colour"
    );
    assert_eq!(pixels_near(&bare, TILE, 6), 0);
    // The zones are drawn over it: the slide differs from the tiles where they are.
    assert!(tile_px < 1280 * 720 * 9 / 10);
    // The attribution's text: dark pixels in the map's bottom-right corner (the PDF
    // report's map: the map alone) that the map without a basemap has not.
    let dark = |img: &egui::ColorImage| {
        let [w, h] = img.size;
        (h - 14..h)
            .flat_map(|y| (w - 60..w).map(move |x| (x, y)))
            .filter(|&(x, y)| img.pixels[y * w + x].r() < 90)
            .count()
    };
    let map = slide::map(&session, &view, &layer, 1280, 720);
    let bare_map = slide::map(&session, &view, &BasemapLayer::default(), 1280, 720);
    assert!(pixels_near(&map, TILE, 6) > 1280 * 720 / 20);
    assert!(
        dark(&map) > dark(&bare_map) + 10,
        "{} vs {}",
        dark(&map),
        dark(&bare_map)
    );
    eprintln!("slide over MBTiles: {ms} ms");
    let again = Instant::now();
    let _ = slide::render(&session, &view, &layer, 1280, 720);
    eprintln!(
        "again (tiles in memory): {} ms",
        again.elapsed().as_millis()
    );
}

#[test]
fn a_missing_tile_shows_its_parent_scaled() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("coarse.mbtiles");
    // Tiles to level 10 only, though the file says 16: deeper tiles are missing.
    mbtiles(&file, TILE, 0..=10, 99, 16);
    let cache = tempfile::tempdir().expect("tempdir");
    let mut h = app_showing(
        env(
            cache.path(),
            "http://127.0.0.1:9/{z}/{x}/{y}.png",
            Duration::ZERO,
        ),
        Source::MbTiles(file),
    );
    let zoom = h.state().map.camera.zoom;
    assert!((8.0..11.0).contains(&zoom), "{zoom}");
    let b = h.state().map.basemap.stats;
    assert_eq!(b.drawn, b.visible, "{b:?}");
    // Two levels deeper: no tile there, the loaded ones above shown scaled.
    h.state_mut().map.camera.zoom = zoom.round() + 2.0;
    settle(&mut h);
    let b = h.state().map.basemap.stats;
    assert_eq!(b.drawn, 0, "{b:?}");
    assert_eq!(b.from_parent, b.visible, "{b:?}");
}

#[test]
fn the_view_menu_switches_the_basemap_and_it_is_remembered() {
    let server = TileServer::start(3600);
    let cache = tempfile::tempdir().expect("tempdir");
    let mut app = ZoneAtlasApp::new(
        zoneatlas::app::sample_dataset(),
        Box::new(TestDialogs::new()),
    );
    // A window made in a test shows no basemap until one is chosen.
    assert_eq!(*app.map.basemap.source(), Source::None);
    app.map.basemap.env = env(cache.path(), &server.template(), Duration::from_secs(3600));
    let mut h = harness(app);
    assert!(server.seen().is_empty());

    let pick = |h: &mut Harness<'static, ZoneAtlasApp>, label: &str| {
        open_basemap_menu(h);
        h.get_by_role_and_label(Role::RadioButton, label).click();
        h.run();
        settle(h);
    };
    pick(&mut h, "OpenStreetMap");
    assert_eq!(*h.state().map.basemap.source(), Source::Osm);
    let stats = h.state().map.basemap.stats;
    assert!(
        stats.visible > 0 && stats.drawn == stats.visible,
        "{stats:?}"
    );
    assert!(!server.seen().is_empty());
    pick(&mut h, "None");
    assert_eq!(*h.state().map.basemap.source(), Source::None);
    assert_eq!(h.state().map.basemap.stats.visible, 0);

    // A custom URL typed in the menu.
    let custom = format!(
        "http://127.0.0.1:{}/{{z}}/{{x}}/{{y}}.png?style=2",
        server.port
    );
    h.state_mut().map.basemap.url_draft = custom.clone();
    open_basemap_menu(&mut h);
    h.get_by_label("Use").click();
    h.run();
    settle(&mut h);
    assert_eq!(*h.state().map.basemap.source(), Source::Xyz(custom.clone()));

    // An MBTiles file through the file dialog.
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("ortho.mbtiles");
    mbtiles(&file, TILE, 0..=4, 99, 4);
    let dialogs = TestDialogs::new();
    dialogs.answer(Some(file.clone()));
    let mut app = ZoneAtlasApp::new(zoneatlas::app::sample_dataset(), Box::new(dialogs.clone()));
    app.map.basemap.env = env(cache.path(), &server.template(), Duration::from_secs(3600));
    let mut h2 = harness(app);
    open_basemap_menu(&mut h2);
    h2.get_by_label("MBTiles file…").click();
    h2.run();
    assert_eq!(
        *h2.state().map.basemap.source(),
        Source::MbTiles(file.clone())
    );
    assert_eq!(dialogs.asked(), vec!["MBTiles file…".to_string()]);

    // A file that is not MBTiles: said so, and no basemap.
    let junk: PathBuf = dir.path().join("junk.mbtiles");
    std::fs::write(&junk, b"not a database").expect("write");
    h2.state_mut().set_basemap(Source::MbTiles(junk));
    assert_eq!(*h2.state().map.basemap.source(), Source::None);
    assert!(h2.state().view.message.as_ref().is_some_and(|m| m.error));

    // Remembered: the source and the opacity.
    h.state_mut().map.basemap.opacity = 0.4;
    let mut storage = common::MemoryStorage::default();
    eframe::App::save(h.state_mut(), &mut storage);
    let mut next = ZoneAtlasApp::new(
        zoneatlas::app::sample_dataset(),
        Box::new(TestDialogs::new()),
    );
    next.map.basemap.env = env(cache.path(), &server.template(), Duration::from_secs(3600));
    next.restore(Some(&storage), Lang::En);
    assert_eq!(*next.map.basemap.source(), Source::Xyz(custom));
    assert!((next.map.basemap.opacity - 0.4).abs() < 1e-6);
}

/// Opens View › Basemap (unless it is open).
fn open_basemap_menu(h: &mut Harness<'static, ZoneAtlasApp>) {
    if h.query_by_role_and_label(Role::RadioButton, "OpenStreetMap")
        .is_some()
    {
        return;
    }
    if h.query_by_label("Basemap").is_none() {
        h.get_by_label("View").click();
        h.run();
    }
    h.get_by_label("Basemap").click();
    h.run();
}

/// The whole window in presentation mode at 2560 × 1440 (about 70 tiles and their ring),
/// driven headlessly at about 60 frames a second, switched to `source`: how long until every
/// visible tile is drawn, and the frames meanwhile (the app's pass and egui's tessellation,
/// in ms; the GPU's upload not included).
fn full_screen(env: BasemapEnv, source: &Source) -> (usize, Duration, Vec<f64>) {
    use egui::{Pos2, RawInput, Rect, vec2};
    let ctx = egui::Context::default();
    zoneatlas::app::fonts::install(&ctx);
    let mut app = ZoneAtlasApp::new(
        zoneatlas::app::sample_dataset(),
        Box::new(TestDialogs::new()),
    );
    app.map.basemap.env = env;
    app.view.presenting = true;
    let started = Instant::now();
    let frame = |app: &mut ZoneAtlasApp| {
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(2560.0, 1440.0))),
            time: Some(started.elapsed().as_secs_f64()),
            ..Default::default()
        };
        let t = Instant::now();
        let mut out = ctx.run_ui(input, |ui| app.show(ui));
        out.textures_delta.clear();
        let _ = ctx.tessellate(out.shapes, out.pixels_per_point);
        t.elapsed()
    };
    for _ in 0..30 {
        frame(&mut app);
        app.wait_for_background();
    }
    app.set_basemap(source.clone());
    let t0 = Instant::now();
    let mut times = Vec::new();
    loop {
        let t = frame(&mut app);
        times.push(t.as_secs_f64() * 1000.0);
        let s = app.map.basemap.stats;
        if s.visible > 0 && s.drawn == s.visible {
            return (s.visible, t0.elapsed(), times);
        }
        assert!(t0.elapsed() < Duration::from_secs(20), "{s:?}");
        std::thread::sleep(Duration::from_millis(16).saturating_sub(t));
    }
}

fn summary(what: &str, (visible, took, mut times): (usize, Duration, Vec<f64>)) -> String {
    times.sort_by(f64::total_cmp);
    let p95 = times[(times.len() * 95 / 100).min(times.len() - 1)];
    format!(
        "{what}: {visible} visible tiles drawn in {:.0} ms over {} frames; frame median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        took.as_secs_f64() * 1000.0,
        times.len(),
        times[times.len() / 2],
        p95,
        times[times.len() - 1]
    )
}

#[test]
fn a_full_screen_of_tiles_is_drawn_a_few_textures_a_frame() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("ortho.mbtiles");
    mbtiles(&file, TILE, 0..=14, 12, 14);
    let cache = tempfile::tempdir().expect("tempdir");
    let env = env(
        cache.path(),
        "http://127.0.0.1:9/{z}/{x}/{y}.png",
        Duration::ZERO,
    );
    // More tiles than are made textures in one frame: all drawn after a few frames.
    let run = full_screen(env, &Source::MbTiles(file));
    assert!(run.0 >= 50, "{} visible tiles", run.0);
    eprintln!("{}", summary("MBTiles", run));
}

/// A measurement, not a timed test: a full screen from an MBTiles file, over HTTP from a
/// server that takes 40 ms a tile, and again from the disk cache.
///
/// ```sh
/// cargo test --test basemap -- --ignored --nocapture full_screen
/// ```
#[test]
#[ignore = "a measurement: run with --ignored --nocapture"]
fn full_screen_frames_and_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("ortho.mbtiles");
    mbtiles(&file, TILE, 0..=14, 12, 14);
    let server = TileServer::start_slow(3600, Duration::from_millis(40));
    let cache = tempfile::tempdir().expect("tempdir");
    let env = || env(cache.path(), &server.template(), cache_min_fresh());
    for round in 0..2 {
        eprintln!(
            "{}",
            summary(
                &format!("MBTiles, round {round}"),
                full_screen(env(), &Source::MbTiles(file.clone()))
            )
        );
    }
    eprintln!(
        "{}",
        summary("HTTP, 40 ms a tile", full_screen(env(), &Source::Osm))
    );
    eprintln!(
        "{}",
        summary("disk cache", full_screen(env(), &Source::Osm))
    );
}

fn cache_min_fresh() -> Duration {
    Duration::from_secs(7 * 86_400)
}

#[test]
fn the_command_line_names_the_basemap() {
    use clap::Parser;
    use zoneatlas::cli::Cli;
    let parse = |args: &[&str]| Cli::try_parse_from(args).map(|c| c.basemap);
    assert_eq!(parse(&["zoneatlas"]).expect("no basemap"), None);
    assert_eq!(
        parse(&["zoneatlas", "z.geojson", "--basemap", "none"]).expect("none"),
        Some(Source::None)
    );
    assert_eq!(
        parse(&["zoneatlas", "--basemap", "osm"]).expect("osm"),
        Some(Source::Osm)
    );
    let esri = "http://127.0.0.1:9/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}";
    assert_eq!(
        parse(&["zoneatlas", "--basemap", esri]).expect("esri"),
        Some(Source::Xyz(esri.into()))
    );
    assert_eq!(
        parse(&[
            "zoneatlas",
            "z.geojson",
            "p.geojson",
            "--basemap",
            "drone.mbtiles"
        ])
        .expect("mbtiles"),
        Some(Source::MbTiles("drone.mbtiles".into()))
    );
    for bad in ["satellite", "http://127.0.0.1:9/tiles.png"] {
        let e = parse(&["zoneatlas", "--basemap", bad]).expect_err(bad);
        assert!(e.to_string().contains(bad), "{e}");
    }
}

/// A slide over a basemap whose server is slow to answer is drawn on its own thread: the
/// window goes on (frames come, the status bar says the export is under way) while the slide
/// waits for its tiles, and the PNG, tiles and all, is written once they come.
#[test]
fn a_slide_waiting_for_its_tiles_leaves_the_window_going() {
    let dir = tempfile::tempdir().expect("tempdir");
    let open = Arc::new(AtomicBool::new(false));
    let server = TileServer::start_held(3600, Duration::ZERO, open.clone());
    let dialogs = TestDialogs::new();
    let mut app = ZoneAtlasApp::new(zoneatlas::app::sample_dataset(), Box::new(dialogs.clone()));
    app.map.basemap.env = env(
        &dir.path().join("cache"),
        &server.template(),
        Duration::from_secs(3600),
    );
    let mut h = harness(app);
    h.state_mut().set_basemap(Source::Xyz(server.template()));
    h.run();

    let path = dir.path().join("slide.png");
    dialogs.answer(Some(path.clone()));
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Export map slide as PNG").click();
    h.run();
    h.get_by_label("1280 × 720…").click();
    h.run();
    // The server holds every tile: the slide is waiting, the window is not.
    assert!(
        h.state().is_rendering(),
        "the slide is drawn off the window's thread"
    );
    let said = h.state().view.message.clone().expect("a message");
    assert!(said.text.starts_with("Exporting "), "{said:?}");
    h.run();
    assert!(!path.exists(), "nothing written before the slide is whole");

    open.store(true, Ordering::SeqCst);
    settle(&mut h);
    assert!(!h.state().is_rendering());
    let img = image::open(&path).expect("a PNG").to_rgb8();
    let tile_px = img
        .pixels()
        .filter(|p| {
            p.0.iter()
                .zip(TILE)
                .all(|(a, b)| (i32::from(*a) - i32::from(b)).abs() <= 6)
        })
        .count();
    assert!(
        tile_px > 1280 * 720 / 20,
        "{tile_px} pixels of the tiles' colour"
    );
    let said = h.state().view.message.clone().expect("a message");
    assert!(said.text.starts_with("Exported "), "{said:?}");
}
