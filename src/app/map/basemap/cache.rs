//! The tiles' disk cache: a file per tile under the source's folder (`<z>/<x>/<y>.tile`) with a
//! small sidecar (`.meta`: ETag, Last-Modified, until when it is fresh). A tile stays fresh as
//! long as its server says (Cache-Control max-age, Expires), and at least
//! [`MIN_FRESH`]; a stale tile is revalidated (If-None-Match / If-Modified-Since), and served
//! as it is while the network is down. The folder is kept under a size cap by deleting the
//! tiles used least recently (a tile read has its file's time set to now).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::tiles::TileId;

/// How long a tile stays fresh at least, whatever its server says (OpenStreetMap's tile usage
/// policy asks for 7 days).
pub const MIN_FRESH: Duration = Duration::from_secs(7 * 24 * 3600);
/// The cache's size cap.
pub const DEFAULT_CAP_BYTES: u64 = 500 * 1024 * 1024;
/// Emptied down to this share of the cap, so that trimming is not done at every tile.
const TRIM_TO: f64 = 0.8;

/// What is known of a cached tile.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Fresh until then, seconds since 1970.
    pub fresh_until: u64,
}

impl Meta {
    /// From a response's headers at `now`: fresh for max(max-age or Expires, `min_fresh`).
    pub fn from_headers(
        etag: Option<&str>,
        last_modified: Option<&str>,
        cache_control: Option<&str>,
        expires: Option<&str>,
        now: SystemTime,
        min_fresh: Duration,
    ) -> Meta {
        let now_s = unix(now);
        let max_age = cache_control.and_then(max_age);
        let server = match (max_age, expires.and_then(parse_http_date)) {
            (Some(age), _) => now_s.saturating_add(age),
            (None, Some(at)) => at,
            (None, None) => now_s,
        };
        Meta {
            etag: etag.map(str::to_string),
            last_modified: last_modified.map(str::to_string),
            fresh_until: server.max(now_s.saturating_add(min_fresh.as_secs())),
        }
    }

    pub fn is_fresh(&self, now: SystemTime) -> bool {
        unix(now) < self.fresh_until
    }
}

/// A tile read from the cache.
pub struct Cached {
    pub bytes: Vec<u8>,
    pub meta: Meta,
}

/// One source's tiles on disk.
#[derive(Clone, Debug)]
pub struct DiskCache {
    /// The cache's root (the cap counts every source's tiles under it).
    root: PathBuf,
    /// This source's folder under the root.
    dir: PathBuf,
    cap_bytes: u64,
}

impl DiskCache {
    pub fn new(root: &Path, source_key: &str, cap_bytes: u64) -> DiskCache {
        DiskCache {
            root: root.to_path_buf(),
            dir: root.join(source_key),
            cap_bytes,
        }
    }

    fn path(&self, t: TileId, ext: &str) -> PathBuf {
        self.dir
            .join(t.z.to_string())
            .join(t.x.to_string())
            .join(format!("{}.{ext}", t.y))
    }

    /// The tile and what is known of it, if cached (its use noted for the size cap).
    pub fn read(&self, t: TileId) -> Option<Cached> {
        let tile = self.path(t, "tile");
        let bytes = fs::read(&tile).ok()?;
        let meta = fs::read(self.path(t, "meta"))
            .ok()
            .and_then(|m| serde_json::from_slice(&m).ok())
            .unwrap_or_default();
        touch(&tile);
        Some(Cached { bytes, meta })
    }

    /// Keeps a tile (written whole under another name, then renamed over).
    pub fn write(&self, t: TileId, bytes: &[u8], meta: &Meta) -> std::io::Result<()> {
        let tile = self.path(t, "tile");
        let dir = tile.parent().unwrap_or(&self.dir);
        fs::create_dir_all(dir)?;
        write_atomic(dir, &tile, bytes)?;
        self.write_meta(t, meta)
    }

    /// What is known of a tile, after its server said it has not changed.
    pub fn write_meta(&self, t: TileId, meta: &Meta) -> std::io::Result<()> {
        let path = self.path(t, "meta");
        let dir = path.parent().unwrap_or(&self.dir);
        fs::create_dir_all(dir)?;
        let json = serde_json::to_vec(meta).map_err(std::io::Error::other)?;
        write_atomic(dir, &path, &json)
    }

    /// Deletes the tiles used least recently until the whole cache is under its cap. Returns
    /// how many bytes are left.
    pub fn trim(&self) -> u64 {
        let mut files = Vec::new();
        walk(&self.root, &mut files);
        let mut total: u64 = files.iter().map(|f| f.1).sum();
        if total <= self.cap_bytes {
            return total;
        }
        let target = (self.cap_bytes as f64 * TRIM_TO) as u64;
        files.sort_by_key(|f| f.2);
        for (path, size, _) in files {
            if total <= target {
                break;
            }
            if fs::remove_file(&path).is_ok() {
                total = total.saturating_sub(size);
                let _ = fs::remove_file(path.with_extension("meta"));
            }
        }
        total
    }
}

/// Every `.tile` file under `dir`: path, size, last use.
fn walk(dir: &Path, out: &mut Vec<(PathBuf, u64, SystemTime)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let Ok(kind) = e.file_type() else { continue };
        let path = e.path();
        if kind.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|x| x == "tile")
            && let Ok(m) = e.metadata()
        {
            let meta_size = fs::metadata(path.with_extension("meta")).map_or(0, |m| m.len());
            out.push((
                path,
                m.len() + meta_size,
                m.modified().unwrap_or(UNIX_EPOCH),
            ));
        }
    }
}

fn write_atomic(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Notes a tile's use (its file's modification time) for the size cap.
fn touch(path: &Path) {
    if let Ok(f) = fs::File::options().append(true).open(path) {
        let _ = f.set_modified(SystemTime::now());
    }
}

fn unix(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// `max-age` of a Cache-Control header, seconds.
fn max_age(cache_control: &str) -> Option<u64> {
    cache_control.split(',').find_map(|d| {
        let (k, v) = d.trim().split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("max-age")
            .then(|| v.trim().trim_matches('"').parse().ok())?
    })
}

/// An HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`), seconds since 1970.
pub fn parse_http_date(s: &str) -> Option<u64> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    let [_, day, month, year, time, _] = parts.as_slice() else {
        return None;
    };
    let day: u32 = day.parse().ok()?;
    let month = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .iter()
    .position(|m| month.eq_ignore_ascii_case(m))? as u32
        + 1;
    let year: i64 = year.parse().ok()?;
    let hms: Vec<u64> = time.split(':').filter_map(|p| p.parse().ok()).collect();
    let [h, m, sec] = hms.as_slice() else {
        return None;
    };
    // Days from 1970-01-01 of a civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + (*h as i64) * 3600 + (*m as i64) * 60 + *sec as i64;
    u64::try_from(secs).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freshness_is_the_longer_of_the_servers_and_seven_days() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let short = Meta::from_headers(None, None, Some("max-age=60"), None, now, MIN_FRESH);
        assert_eq!(short.fresh_until, 1_700_000_000 + MIN_FRESH.as_secs());
        let long = Meta::from_headers(
            Some("\"e1\""),
            None,
            Some("public, max-age=2592000"),
            None,
            now,
            MIN_FRESH,
        );
        assert_eq!(long.fresh_until, 1_700_000_000 + 2_592_000);
        assert_eq!(long.etag.as_deref(), Some("\"e1\""));
        let none = Meta::from_headers(None, None, Some("max-age=0"), None, now, Duration::ZERO);
        assert!(!none.is_fresh(now));
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(parse_http_date("yesterday"), None);
    }

    #[test]
    fn the_cap_deletes_the_least_recently_used() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = DiskCache::new(dir.path(), "src", 3000);
        let meta = Meta::default();
        for y in 0..4 {
            let t = TileId { z: 1, x: 0, y };
            cache.write(t, &[0u8; 1000], &meta).expect("write");
            let old = SystemTime::now() - Duration::from_secs(100 - u64::from(y));
            let f = fs::File::options()
                .append(true)
                .open(cache.path(t, "tile"))
                .expect("open");
            f.set_modified(old).expect("mtime");
        }
        // Tile 0 is the oldest written, but read now: it stays.
        assert!(cache.read(TileId { z: 1, x: 0, y: 0 }).is_some());
        // 4 × 1000 bytes and their sidecars over a cap of 3000: trimmed to 80 % of it.
        let left = cache.trim();
        assert!(left <= 2400, "{left}");
        assert!(cache.read(TileId { z: 1, x: 0, y: 0 }).is_some());
        assert!(cache.read(TileId { z: 1, x: 0, y: 1 }).is_none());
        assert!(cache.read(TileId { z: 1, x: 0, y: 3 }).is_some());
    }
}
