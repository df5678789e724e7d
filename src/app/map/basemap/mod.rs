//! The basemap under the zones: OpenStreetMap's tiles, any XYZ source, a local MBTiles file, or
//! none (see [`source`]).
//!
//! - [`tiles`] — which tiles a view needs (the visible ones and one ring, never more than
//!   twice as many), and a missing tile's ancestors;
//! - [`fetch`] — worker threads that load and decode them (the window's thread never waits
//!   for the network or a decoder);
//! - [`cache`] — the disk cache, kept as the servers say and at least 7 days, served stale
//!   when the network is down, under a size cap.
//!
//! A [`Basemap`] is shared (the window's map and the slides' use the same loaded tiles); each
//! map keeps its own textures in a [`BasemapLayer`], since textures belong to one egui context.

pub mod cache;
pub mod fetch;
pub mod source;
pub mod tiles;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::{Color32, CornerRadius, FontId, Painter, Pos2, Rect, TextureHandle, TextureOptions};

use self::fetch::{Loader, LoaderStats, Origin};
pub use self::source::Source;
use self::source::{DEFAULT_MAX_ZOOM, OSM_ATTRIBUTION, OSM_MAX_ZOOM, OSM_TEMPLATE};
use self::tiles::TileId;
use super::camera::Camera;

/// How far up a missing tile looks for an ancestor to show scaled (a 64× blow-up at most).
const PARENT_LEVELS: u8 = 6;
/// Tiles made textures in one frame at most (the rest show their parent one frame longer).
const UPLOADS_PER_FRAME: usize = 24;
/// Textures kept by one map.
const MAX_TEXTURES: usize = 300;

/// The User-Agent of every request: ZoneAtlas and its version (OpenStreetMap's tile usage
/// policy forbids a library's default).
pub fn user_agent() -> String {
    format!(
        "ZoneAtlas/{} (desktop GIS viewer for industrial zones)",
        env!("CARGO_PKG_VERSION")
    )
}

/// Where and how tiles are fetched: fixed at launch (tests give their own).
#[derive(Clone, Debug, PartialEq)]
pub struct BasemapEnv {
    /// The disk cache's folder (`None`: no disk cache, tiles are fetched each run).
    pub cache_root: Option<PathBuf>,
    /// What "OpenStreetMap" fetches (tests point it at a server of their own).
    pub osm_template: String,
    pub user_agent: String,
    /// Tiles stay fresh at least this long (7 days; tests shorten it to test revalidation).
    pub min_fresh: Duration,
    pub cap_bytes: u64,
    /// Requests in parallel.
    pub workers: usize,
}

impl Default for BasemapEnv {
    fn default() -> Self {
        BasemapEnv {
            cache_root: None,
            osm_template: OSM_TEMPLATE.to_string(),
            user_agent: user_agent(),
            min_fresh: cache::MIN_FRESH,
            cap_bytes: cache::DEFAULT_CAP_BYTES,
            workers: 3,
        }
    }
}

impl BasemapEnv {
    /// The launch's: the disk cache in `ZONEATLAS_CACHE_DIR`, else the platform's cache folder
    /// (its `tiles` folder).
    pub fn from_environment() -> BasemapEnv {
        BasemapEnv {
            cache_root: cache_root(),
            ..BasemapEnv::default()
        }
    }
}

/// `$ZONEATLAS_CACHE_DIR/tiles`, else the platform's cache folder: `$XDG_CACHE_HOME` or
/// `~/.cache` on Linux, `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows.
pub fn cache_root() -> Option<PathBuf> {
    let env_dir = |k: &str| {
        std::env::var_os(k)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    if let Some(d) = env_dir("ZONEATLAS_CACHE_DIR") {
        return Some(d.join("tiles"));
    }
    let base = if cfg!(target_os = "windows") {
        env_dir("LOCALAPPDATA").map(|d| d.join("ZoneAtlas").join("cache"))
    } else if cfg!(target_os = "macos") {
        std::env::home_dir().map(|h| h.join("Library/Caches/ZoneAtlas"))
    } else {
        env_dir("XDG_CACHE_HOME")
            .or_else(|| std::env::home_dir().map(|h| h.join(".cache")))
            .map(|d| d.join("zoneatlas"))
    };
    base.map(|d| d.join("tiles"))
}

/// What is known of a source once opened.
#[derive(Clone, Debug, Default)]
struct Info {
    attribution: String,
    min_zoom: u8,
    max_zoom: u8,
    /// Why it cannot be shown (an MBTiles file that cannot be read).
    error: Option<String>,
}

/// A source's tiles, shared by the maps that show it (cheap to clone).
#[derive(Clone, Default)]
pub struct Basemap {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    source: Source,
    info: Info,
    loader: Option<Loader>,
}

impl Basemap {
    /// Opens a source (an MBTiles file's metadata is read now; nothing is fetched until a map
    /// wants tiles).
    pub fn new(source: Source, env: &BasemapEnv) -> Basemap {
        let (info, origin) = match &source {
            Source::None => (Info::default(), None),
            Source::Osm | Source::Xyz(_) => {
                let template = match &source {
                    Source::Xyz(t) => t.clone(),
                    _ => env.osm_template.clone(),
                };
                let attribution = match &source {
                    Source::Osm => OSM_ATTRIBUTION.to_string(),
                    _ => Source::web_attribution(&template),
                };
                let max_zoom = match &source {
                    Source::Osm => OSM_MAX_ZOOM,
                    _ => DEFAULT_MAX_ZOOM,
                };
                let cache = env
                    .cache_root
                    .as_deref()
                    .zip(source.cache_key(&env.osm_template))
                    .map(|(root, key)| cache::DiskCache::new(root, &key, env.cap_bytes));
                let origin = Origin::Web {
                    agent: agent(&template, &env.user_agent),
                    template,
                    cache,
                    min_fresh: env.min_fresh,
                };
                let info = Info {
                    attribution,
                    min_zoom: 0,
                    max_zoom,
                    error: None,
                };
                (info, Some(origin))
            }
            Source::MbTiles(path) => match mbtiles_info(path) {
                Ok(info) => (info, Some(Origin::MbTiles(path.clone()))),
                Err(e) => (
                    Info {
                        error: Some(e),
                        ..Info::default()
                    },
                    None,
                ),
            },
        };
        let workers = match &source {
            Source::MbTiles(_) => 2,
            _ => env.workers,
        };
        Basemap {
            inner: Arc::new(Inner {
                source,
                info,
                loader: origin.map(|o| Loader::new(o, workers)),
            }),
        }
    }

    pub fn source(&self) -> &Source {
        &self.inner.source
    }

    /// What the map credits ("© OpenStreetMap contributors"); `None` without a basemap.
    pub fn attribution(&self) -> Option<&str> {
        self.inner
            .loader
            .as_ref()
            .map(|_| self.inner.info.attribution.as_str())
    }

    /// Why the source cannot be shown.
    pub fn error(&self) -> Option<&str> {
        self.inner.info.error.as_deref()
    }

    /// Whether the last request found no network.
    pub fn is_offline(&self) -> bool {
        self.inner.loader.as_ref().is_some_and(Loader::is_offline)
    }

    pub fn stats(&self) -> LoaderStats {
        self.inner
            .loader
            .as_ref()
            .map(Loader::stats)
            .unwrap_or_default()
    }

    fn loader(&self) -> Option<&Loader> {
        self.inner.loader.as_ref()
    }
}

/// The HTTP client of a web source: ZoneAtlas's User-Agent, statuses as answers (a 304 or a
/// 404 is not an error), time limits; no proxy for this machine's own addresses.
fn agent(template: &str, user_agent: &str) -> ureq::Agent {
    let host = source::host_of(template);
    let local = host.starts_with("127.0.0.1") || host.starts_with("localhost");
    let mut config = ureq::Agent::config_builder()
        .user_agent(user_agent)
        .http_status_as_error(false)
        .timeout_connect(Some(Duration::from_secs(5)))
        .timeout_global(Some(Duration::from_secs(20)))
        .max_redirects(3);
    if local {
        config = config.proxy(None);
    }
    config.build().into()
}

/// An MBTiles file's attribution and zoom levels.
fn mbtiles_info(path: &Path) -> Result<Info, String> {
    let conn = fetch::open_mbtiles(path).map_err(|e| e.to_string())?;
    let mut meta: HashMap<String, String> = HashMap::new();
    if let Ok(mut stmt) = conn.prepare("SELECT name, value FROM metadata") {
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)));
        if let Ok(rows) = rows {
            meta.extend(rows.flatten());
        }
    }
    let zooms: (Option<i64>, Option<i64>) = conn
        .query_row(
            "SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|e| e.to_string())?;
    let level = |k: &str, fallback: Option<i64>| {
        meta.get(k)
            .and_then(|v| v.trim().parse::<i64>().ok())
            .or(fallback)
            .map_or(0, |z| z.clamp(0, 24) as u8)
    };
    let attribution = meta
        .get("attribution")
        .map(|a| source::plain_text(a))
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| {
            let name = meta.get("name").cloned().unwrap_or_else(|| {
                path.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            });
            format!("Basemap: {name}")
        });
    Ok(Info {
        attribution,
        min_zoom: level("minzoom", zooms.0),
        max_zoom: level("maxzoom", zooms.1),
        error: None,
    })
}

/// What the basemap drew in the last frame.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TileStats {
    /// Tiles the view shows.
    pub visible: usize,
    /// Shown as themselves.
    pub drawn: usize,
    /// Shown as a part of an ancestor, scaled.
    pub from_parent: usize,
    /// Still coming (queued or loading).
    pub pending: usize,
    /// Loaded but made textures next frame.
    pub deferred: usize,
}

/// One map's basemap: the source, its opacity, and its textures.
pub struct BasemapLayer {
    basemap: Basemap,
    /// Shown (View › Basemap and the Layers panel switch it; hidden, no tile is asked for).
    pub shown: bool,
    /// 0 (hidden) to 1 (opaque) over the background.
    pub opacity: f32,
    pub env: BasemapEnv,
    textures: HashMap<TileId, (TextureHandle, u64)>,
    frame: u64,
    /// The tiles the last frame showed.
    visible: Vec<TileId>,
    pub stats: TileStats,
    /// The Custom URL field of the View menu.
    pub url_draft: String,
    offline_told: bool,
}

impl Default for BasemapLayer {
    fn default() -> Self {
        BasemapLayer {
            basemap: Basemap::default(),
            shown: true,
            opacity: 1.0,
            env: BasemapEnv::default(),
            textures: HashMap::new(),
            frame: 0,
            visible: Vec::new(),
            stats: TileStats::default(),
            url_draft: String::new(),
            offline_told: false,
        }
    }
}

impl BasemapLayer {
    pub fn basemap(&self) -> &Basemap {
        &self.basemap
    }

    pub fn source(&self) -> &Source {
        self.basemap.source()
    }

    /// What the map credits: the source's attribution while it is shown.
    pub fn attribution(&self) -> Option<&str> {
        self.basemap.attribution().filter(|_| self.shown)
    }

    /// Shows another source (nothing changes when it is the one shown).
    pub fn set_source(&mut self, source: Source) {
        if source != *self.basemap.source() {
            self.basemap = Basemap::new(source, &self.env);
            self.textures.clear();
            self.visible.clear();
            self.stats = TileStats::default();
            self.offline_told = false;
        }
    }

    /// Another map's layer over the same tiles (a slide's: its own textures).
    pub fn share(&self) -> BasemapLayer {
        BasemapLayer {
            basemap: self.basemap.clone(),
            shown: self.shown,
            opacity: self.opacity,
            env: self.env.clone(),
            ..BasemapLayer::default()
        }
    }

    /// True once when the network was found down (the window says so, once, quietly).
    pub fn take_offline_notice(&mut self) -> bool {
        if !self.offline_told && self.basemap.is_offline() {
            self.offline_told = true;
            return true;
        }
        false
    }

    /// Waits until the tiles the last frame showed have loaded (or could not be), or
    /// `deadline`: slides draw their basemap whole.
    pub fn wait_for_visible(&self, deadline: Instant) -> bool {
        self.basemap
            .loader()
            .is_none_or(|l| l.wait_for(&self.visible, deadline))
    }

    /// Whether the last frame lacked tiles that are coming, or loaded but not yet textures.
    pub fn is_incomplete(&self) -> bool {
        self.stats.pending > 0 || self.stats.deferred > 0
    }

    /// Draws the tiles under the view (a missing tile as its nearest loaded ancestor, scaled)
    /// and asks for those it lacks.
    pub fn paint(&mut self, painter: &Painter, camera: &Camera, screen: Rect) {
        let Some(loader) = self.basemap.inner.loader.as_ref().filter(|_| self.shown) else {
            self.stats = TileStats::default();
            self.visible.clear();
            return;
        };
        let info = &self.basemap.inner.info;
        let ctx = painter.ctx();
        let z = tiles::tile_zoom(camera.zoom, info.min_zoom, info.max_zoom);
        let (visible, ring) = tiles::wanted(camera, screen, z);
        let mut wanted = visible.clone();
        wanted.extend_from_slice(&ring);
        loader.want(&wanted, Some(ctx));
        self.frame += 1;
        let frame = self.frame;
        let tint = Color32::WHITE.gamma_multiply(self.opacity.clamp(0.0, 1.0));
        let mut stats = TileStats {
            visible: visible.len(),
            ..TileStats::default()
        };
        let full = Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0));
        let mut uploads = 0;
        let textures = &mut self.textures;
        // A tile's texture: made from its loaded image if need be, a few a frame.
        let mut texture = |t: TileId| -> Result<egui::TextureId, bool> {
            if let Some((tex, used)) = textures.get_mut(&t) {
                *used = frame;
                return Ok(tex.id());
            }
            let Some(img) = loader.get(t) else {
                return Err(false);
            };
            if uploads >= UPLOADS_PER_FRAME {
                return Err(true);
            }
            uploads += 1;
            let name = format!("basemap-{}-{}-{}", t.z, t.x, t.y);
            let tex = ctx.load_texture(name, img, TextureOptions::LINEAR);
            let id = tex.id();
            textures.insert(t, (tex, frame));
            Ok(id)
        };
        for &t in &visible {
            let rect = t.screen_rect(camera, screen);
            match texture(t) {
                Ok(id) => {
                    painter.image(id, rect, full, tint);
                    stats.drawn += 1;
                    continue;
                }
                Err(deferred) => stats.deferred += usize::from(deferred),
            }
            let mut a = t;
            for _ in 0..PARENT_LEVELS {
                let Some(p) = a.parent() else { break };
                a = p;
                if let Ok(id) = texture(a) {
                    painter.image(id, rect, t.uv_in(a), tint);
                    stats.from_parent += 1;
                    break;
                }
            }
        }
        stats.pending = loader.pending(&visible);
        if stats.deferred > 0 {
            ctx.request_repaint();
        } else if stats.pending > 0 {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        if self.textures.len() > MAX_TEXTURES {
            let mut uses: Vec<u64> = self.textures.values().map(|v| v.1).collect();
            uses.sort_unstable();
            let cut = uses[self.textures.len() - MAX_TEXTURES];
            self.textures.retain(|_, v| v.1 >= cut || v.1 == frame);
        }
        self.visible = visible;
        self.stats = stats;
    }
}

/// The attribution in the map's bottom-right corner; returns where it is (`Rect::NOTHING`
/// without one).
pub fn paint_attribution(painter: &Painter, text: Option<&str>, screen: Rect, k: f32) -> Rect {
    let Some(text) = text.filter(|t| !t.is_empty()) else {
        return Rect::NOTHING;
    };
    let galley = painter.layout_no_wrap(
        text.to_string(),
        FontId::proportional(11.0 * k),
        Color32::from_gray(30),
    );
    let pad = egui::vec2(5.0, 2.0);
    let size = galley.size() + 2.0 * pad;
    let rect = Rect::from_min_size(screen.right_bottom() - size, size);
    painter.rect_filled(
        rect,
        CornerRadius {
            nw: 4,
            ..CornerRadius::ZERO
        },
        Color32::from_rgba_unmultiplied(255, 255, 255, 200),
    );
    painter.galley(rect.min + pad, galley, Color32::from_gray(30));
    rect
}
