//! Tiles loaded on worker threads: from the disk cache, over HTTP (a few requests at a time,
//! with ZoneAtlas's User-Agent, revalidating stale tiles), or from an MBTiles file; decoded
//! there too. The window's thread only says which tiles it wants ([`Loader::want`]) and takes
//! the decoded images ([`Loader::get`]): it never waits for the network or a decoder.

use std::collections::{HashMap, HashSet, VecDeque};
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use egui::ColorImage;

use super::cache::{DiskCache, Meta};
use super::source::tile_url;
use super::tiles::TileId;

/// Decoded tiles kept in memory (a 256-pixel tile is 256 KiB): a 4K slide's tiles and their
/// ring, and the parents a zoom shows while the new tiles come.
const MAX_READY: usize = 400;
/// A tile that could not be had is asked for again after this long.
const RETRY_AFTER: Duration = Duration::from_secs(30);
/// No tile is larger than this, bytes.
const MAX_TILE_BYTES: u64 = 8 * 1024 * 1024;
/// Nor wider or taller, pixels.
const MAX_TILE_PX: u32 = 4096;
/// The cache is trimmed to its cap after this many tiles written.
const TRIM_EVERY: usize = 200;

/// Where the tiles come from, as the workers see it.
pub enum Origin {
    Web {
        template: String,
        cache: Option<DiskCache>,
        agent: ureq::Agent,
        min_fresh: Duration,
    },
    MbTiles(PathBuf),
}

/// How a tile turned out.
enum Slot {
    Ready(Arc<ColorImage>, u64),
    /// The source has no such tile (404, no row): not asked for again.
    Missing,
    /// Not had (network down, a file that cannot be read): asked for again later.
    Failed(Instant),
}

#[derive(Default)]
struct State {
    queue: VecDeque<TileId>,
    in_flight: HashSet<TileId>,
    slots: HashMap<TileId, Slot>,
    ready: usize,
    clock: u64,
    started: bool,
    shutdown: bool,
    wake: Option<egui::Context>,
}

struct Shared {
    origin: Origin,
    workers: usize,
    state: Mutex<State>,
    /// Workers wait here for tiles to load.
    work: Condvar,
    /// Those waiting for tiles (slides) wait here.
    done: Condvar,
    /// The last request failed for want of a network (cleared by the next that succeeds).
    offline: AtomicBool,
    /// Requests made, 304s among them.
    requests: AtomicUsize,
    not_modified: AtomicUsize,
    written: AtomicUsize,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The loader of one source's tiles. Its workers end when it is dropped.
pub struct Loader {
    shared: Arc<Shared>,
}

impl Drop for Loader {
    fn drop(&mut self) {
        self.shared.lock().shutdown = true;
        self.shared.work.notify_all();
        self.shared.done.notify_all();
    }
}

/// What the loader has done (tests, the status bar).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoaderStats {
    pub requests: usize,
    pub not_modified: usize,
    pub ready: usize,
    pub in_flight: usize,
    pub queued: usize,
}

impl Loader {
    /// A loader with `workers` threads (started at the first tile wanted).
    pub fn new(origin: Origin, workers: usize) -> Loader {
        Loader {
            shared: Arc::new(Shared {
                origin,
                workers: workers.max(1),
                state: Mutex::default(),
                work: Condvar::new(),
                done: Condvar::new(),
                offline: AtomicBool::new(false),
                requests: AtomicUsize::new(0),
                not_modified: AtomicUsize::new(0),
                written: AtomicUsize::new(0),
            }),
        }
    }

    /// The tiles to load now, most wanted first: those not loaded, loading or known missing.
    /// Tiles wanted earlier and not started are dropped (a pan away asks no more for them).
    /// `wake` is asked to repaint when a tile arrives.
    pub fn want(&self, tiles: &[TileId], wake: Option<&egui::Context>) {
        let mut guard = self.shared.lock();
        let s = &mut *guard;
        s.clock += 1;
        let clock = s.clock;
        let mut queue = VecDeque::new();
        for &t in tiles {
            match s.slots.get_mut(&t) {
                Some(Slot::Ready(_, used)) => *used = clock,
                Some(Slot::Missing) => {}
                Some(Slot::Failed(at)) if at.elapsed() < RETRY_AFTER => {}
                _ if s.in_flight.contains(&t) => {}
                _ => queue.push_back(t),
            }
        }
        s.queue = queue;
        if let Some(ctx) = wake {
            s.wake = Some(ctx.clone());
        }
        if !s.queue.is_empty() && !s.started {
            s.started = true;
            for i in 0..self.shared.workers {
                let shared = self.shared.clone();
                let spawned = std::thread::Builder::new()
                    .name(format!("basemap-{i}"))
                    .spawn(move || worker(&shared));
                if spawned.is_err() {
                    s.started = false;
                }
            }
            if let Origin::Web {
                cache: Some(cache), ..
            } = &self.shared.origin
            {
                let cache = cache.clone();
                let _ = std::thread::Builder::new()
                    .name("basemap-cache-trim".into())
                    .spawn(move || cache.trim());
            }
        }
        drop(guard);
        self.shared.work.notify_all();
    }

    /// A loaded tile's image.
    pub fn get(&self, t: TileId) -> Option<Arc<ColorImage>> {
        let mut s = self.shared.lock();
        let clock = s.clock;
        match s.slots.get_mut(&t) {
            Some(Slot::Ready(img, used)) => {
                *used = clock;
                Some(img.clone())
            }
            _ => None,
        }
    }

    /// How many of `tiles` are still coming (queued or loading).
    pub fn pending(&self, tiles: &[TileId]) -> usize {
        let s = self.shared.lock();
        tiles
            .iter()
            .filter(|t| s.in_flight.contains(t) || s.queue.contains(t))
            .count()
    }

    /// Waits until none of `tiles` is coming, or `deadline`. True when none is.
    pub fn wait_for(&self, tiles: &[TileId], deadline: Instant) -> bool {
        let mut s = self.shared.lock();
        loop {
            let coming = tiles
                .iter()
                .any(|t| s.in_flight.contains(t) || s.queue.contains(t));
            if !coming {
                return true;
            }
            let now = Instant::now();
            if now >= deadline || s.shutdown {
                return false;
            }
            s = self
                .shared
                .done
                .wait_timeout(s, deadline - now)
                .map_or_else(|e| e.into_inner().0, |r| r.0);
        }
    }

    /// Whether the last request failed for want of a network.
    pub fn is_offline(&self) -> bool {
        self.shared.offline.load(Ordering::Relaxed)
    }

    pub fn stats(&self) -> LoaderStats {
        let s = self.shared.lock();
        LoaderStats {
            requests: self.shared.requests.load(Ordering::Relaxed),
            not_modified: self.shared.not_modified.load(Ordering::Relaxed),
            ready: s.ready,
            in_flight: s.in_flight.len(),
            queued: s.queue.len(),
        }
    }
}

fn worker(shared: &Shared) {
    // Each worker reads an MBTiles file through its own connection.
    let mut db: Option<rusqlite::Connection> = None;
    loop {
        let tile = {
            let mut s = shared.lock();
            loop {
                if s.shutdown {
                    return;
                }
                if let Some(t) = s.queue.pop_front() {
                    s.in_flight.insert(t);
                    break t;
                }
                s = shared
                    .work
                    .wait(s)
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
            }
        };
        let slot = match &shared.origin {
            Origin::Web {
                template,
                cache,
                agent,
                min_fresh,
            } => web_tile(shared, template, cache.as_ref(), agent, *min_fresh, tile),
            Origin::MbTiles(path) => mbtiles_tile(&mut db, path, tile),
        };
        let wake = {
            let mut s = shared.lock();
            s.in_flight.remove(&tile);
            let slot = match slot {
                Slot::Ready(img, _) => {
                    s.ready += 1;
                    Slot::Ready(img, s.clock)
                }
                other => other,
            };
            if let Some(Slot::Ready(..)) = s.slots.insert(tile, slot) {
                s.ready -= 1;
            }
            evict(&mut s);
            s.wake.clone()
        };
        shared.done.notify_all();
        if let Some(ctx) = wake {
            ctx.request_repaint();
        }
    }
}

/// Drops the decoded tiles used least recently beyond [`MAX_READY`].
fn evict(s: &mut State) {
    while s.ready > MAX_READY {
        let oldest = s
            .slots
            .iter()
            .filter_map(|(t, slot)| match slot {
                Slot::Ready(_, used) => Some((*used, *t)),
                _ => None,
            })
            .min();
        let Some((_, t)) = oldest else { break };
        s.slots.remove(&t);
        s.ready -= 1;
    }
}

/// A web tile: from the cache while fresh, else from its server (revalidated when cached);
/// the cached one, stale, when the server cannot be reached.
fn web_tile(
    shared: &Shared,
    template: &str,
    cache: Option<&DiskCache>,
    agent: &ureq::Agent,
    min_fresh: Duration,
    tile: TileId,
) -> Slot {
    let cached = cache.and_then(|c| c.read(tile));
    let now = SystemTime::now();
    if let Some(c) = &cached
        && c.meta.is_fresh(now)
        && let Some(img) = decode(&c.bytes)
    {
        return ready(img);
    }
    let url = tile_url(template, tile);
    let mut request = agent.get(&url);
    if let Some(c) = &cached {
        if let Some(etag) = &c.meta.etag {
            request = request.header("If-None-Match", etag);
        }
        if let Some(lm) = &c.meta.last_modified {
            request = request.header("If-Modified-Since", lm);
        }
    }
    shared.requests.fetch_add(1, Ordering::Relaxed);
    let response = request.call();
    let stale = |cached: Option<super::cache::Cached>| {
        cached
            .and_then(|c| decode(&c.bytes))
            .map_or(Slot::Failed(Instant::now()), ready)
    };
    let mut response = match response {
        Ok(r) => r,
        Err(_) => {
            shared.offline.store(true, Ordering::Relaxed);
            return stale(cached);
        }
    };
    shared.offline.store(false, Ordering::Relaxed);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let (etag, last_modified) = (header("etag"), header("last-modified"));
    let (cache_control, expires) = (header("cache-control"), header("expires"));
    let meta = |old: Option<&Meta>| {
        let mut m = Meta::from_headers(
            etag.as_deref(),
            last_modified.as_deref(),
            cache_control.as_deref(),
            expires.as_deref(),
            SystemTime::now(),
            min_fresh,
        );
        if let Some(old) = old {
            m.etag = m.etag.or_else(|| old.etag.clone());
            m.last_modified = m.last_modified.or_else(|| old.last_modified.clone());
        }
        m
    };
    match response.status().as_u16() {
        200 => {
            let Ok(bytes) = response
                .body_mut()
                .with_config()
                .limit(MAX_TILE_BYTES)
                .read_to_vec()
            else {
                return stale(cached);
            };
            let Some(img) = decode(&bytes) else {
                return Slot::Missing;
            };
            if let Some(cache) = cache
                && cache.write(tile, &bytes, &meta(None)).is_ok()
                && shared.written.fetch_add(1, Ordering::Relaxed) % TRIM_EVERY == TRIM_EVERY - 1
            {
                cache.trim();
            }
            ready(img)
        }
        304 => {
            shared.not_modified.fetch_add(1, Ordering::Relaxed);
            let Some(c) = cached else {
                return Slot::Failed(Instant::now());
            };
            if let Some(cache) = cache {
                let _ = cache.write_meta(tile, &meta(Some(&c.meta)));
            }
            decode(&c.bytes).map_or(Slot::Missing, ready)
        }
        404 | 410 | 204 => Slot::Missing,
        // Refused, overloaded: what the cache has, else later.
        _ => stale(cached),
    }
}

fn ready(img: ColorImage) -> Slot {
    Slot::Ready(Arc::new(img), 0)
}

/// A tile of an MBTiles file (rows counted from the south there).
fn mbtiles_tile(db: &mut Option<rusqlite::Connection>, path: &Path, t: TileId) -> Slot {
    if db.is_none() {
        *db = open_mbtiles(path).ok();
    }
    let Some(conn) = db.as_ref() else {
        return Slot::Failed(Instant::now());
    };
    let row = (1u64 << t.z) - 1 - u64::from(t.y);
    let data: rusqlite::Result<Vec<u8>> = conn.query_row(
        "SELECT tile_data FROM tiles WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3",
        rusqlite::params![i64::from(t.z), i64::from(t.x), row as i64],
        |r| r.get(0),
    );
    match data {
        Ok(bytes) => decode(&bytes).map_or(Slot::Missing, ready),
        Err(rusqlite::Error::QueryReturnedNoRows) => Slot::Missing,
        Err(_) => Slot::Failed(Instant::now()),
    }
}

/// Opens an MBTiles file to read.
pub fn open_mbtiles(path: &Path) -> rusqlite::Result<rusqlite::Connection> {
    use rusqlite::OpenFlags;
    rusqlite::Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
}

/// A PNG or JPEG tile decoded; `None` when it is neither, or too large.
pub fn decode(bytes: &[u8]) -> Option<ColorImage> {
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_TILE_PX);
    limits.max_image_height = Some(MAX_TILE_PX);
    reader.limits(limits);
    let rgba = reader.decode().ok()?.to_rgba8();
    let size = [rgba.width() as usize, rgba.height() as usize];
    Some(ColorImage::from_rgba_unmultiplied(size, rgba.as_raw()))
}
