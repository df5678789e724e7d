//! Where the basemap's tiles come from: OpenStreetMap's standard tiles, any XYZ URL template,
//! a local MBTiles file, or none; how a source is written on the command line and remembered;
//! its attribution.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::tiles::TileId;

/// OpenStreetMap's standard tiles (see its tile usage policy).
pub const OSM_TEMPLATE: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
pub const OSM_ATTRIBUTION: &str = "© OpenStreetMap contributors";
/// The deepest zoom OpenStreetMap's standard tiles have.
pub const OSM_MAX_ZOOM: u8 = 19;
/// The deepest zoom asked of a source that says nothing (deeper views scale its tiles up).
pub const DEFAULT_MAX_ZOOM: u8 = 19;

/// A basemap source, as chosen (View › Basemap, `--basemap`) and remembered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    /// No basemap: the plain background.
    #[default]
    None,
    /// OpenStreetMap's standard tiles.
    Osm,
    /// An XYZ URL template: `{z}`, `{x}`, `{y}` (or `{-y}`, rows counted from the south), and
    /// `{s}` for a subdomain (a, b or c). Esri's services put `{y}` before `{x}`: the
    /// placeholders say where each goes.
    Xyz(String),
    /// A local MBTiles file (the board's orthophotos, an offline package).
    MbTiles(PathBuf),
}

/// Why a `--basemap` value is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourceError {
    /// Neither `osm`, `none`, an http(s) URL template nor an `.mbtiles` file.
    Unknown(String),
    /// A URL template without `{z}`, `{x}` and `{y}`.
    Template(String),
}

impl std::fmt::Display for SourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SourceError::Unknown(s) => write!(
                f,
                "`{s}` is not a basemap: give osm, none, an http(s) URL template with {{z}}, {{x}} and {{y}}, or an .mbtiles file"
            ),
            SourceError::Template(s) => {
                write!(f, "the URL template `{s}` lacks {{z}}, {{x}} or {{y}}")
            }
        }
    }
}

impl std::error::Error for SourceError {}

impl Source {
    /// Reads `osm`, `none`, an http(s) URL template or a path to an `.mbtiles` file.
    pub fn parse(text: &str) -> Result<Source, SourceError> {
        let t = text.trim();
        match t.to_ascii_lowercase().as_str() {
            "osm" | "openstreetmap" => return Ok(Source::Osm),
            "none" | "off" => return Ok(Source::None),
            _ => {}
        }
        let lower = t.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            return if valid_template(t) {
                Ok(Source::Xyz(t.to_string()))
            } else {
                Err(SourceError::Template(t.to_string()))
            };
        }
        if Path::new(t)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("mbtiles"))
        {
            return Ok(Source::MbTiles(PathBuf::from(t)));
        }
        Err(SourceError::Unknown(t.to_string()))
    }

    /// How it is written on the command line (and what [`Source::parse`] reads back).
    pub fn spec(&self) -> String {
        match self {
            Source::None => "none".into(),
            Source::Osm => "osm".into(),
            Source::Xyz(t) => t.clone(),
            Source::MbTiles(p) => p.display().to_string(),
        }
    }

    /// The folder of the disk cache its tiles go in (`None`: not cached — local files, none).
    /// OpenStreetMap's is `osm`; a template's is named by its hash.
    pub fn cache_key(&self, osm_template: &str) -> Option<String> {
        match self {
            Source::Osm if osm_template == OSM_TEMPLATE => Some("osm".into()),
            Source::Osm => Some(format!("xyz-{:016x}", fnv1a(osm_template.as_bytes()))),
            Source::Xyz(t) => Some(format!("xyz-{:016x}", fnv1a(t.as_bytes()))),
            Source::None | Source::MbTiles(_) => None,
        }
    }

    /// The attribution the map shows for a web source (an MBTiles file's comes from its
    /// metadata).
    pub fn web_attribution(template: &str) -> String {
        let host = host_of(template).to_ascii_lowercase();
        if host.contains("openstreetmap") {
            OSM_ATTRIBUTION.to_string()
        } else if host.contains("arcgis") || host.contains("esri") {
            "Tiles © Esri".to_string()
        } else {
            format!("Basemap: {}", host_of(template))
        }
    }
}

/// Whether a template has the placeholders a tile needs.
pub fn valid_template(t: &str) -> bool {
    t.contains("{z}") && t.contains("{x}") && (t.contains("{y}") || t.contains("{-y}"))
}

/// The URL of `tile` from a template.
pub fn tile_url(template: &str, tile: TileId) -> String {
    let rows = 1u64 << tile.z;
    let flipped = rows.saturating_sub(1).saturating_sub(u64::from(tile.y));
    let sub = ["a", "b", "c"][((u64::from(tile.x) + u64::from(tile.y)) % 3) as usize];
    template
        .replace("{z}", &tile.z.to_string())
        .replace("{x}", &tile.x.to_string())
        .replace("{-y}", &flipped.to_string())
        .replace("{y}", &tile.y.to_string())
        .replace("{s}", sub)
}

/// The host of a URL (`tile.openstreetmap.org`), or the URL itself.
pub fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

/// Text with its HTML tags taken out (MBTiles attributions are often links) and entities
/// `&copy;`/`&amp;` read.
pub fn plain_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&copy;", "©")
        .replace("&amp;", "&")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// FNV-1a, 64 bits: stable across runs and Rust versions (cache folder names).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_the_command_line_gives() {
        assert_eq!(Source::parse("osm"), Ok(Source::Osm));
        assert_eq!(Source::parse("None"), Ok(Source::None));
        let esri = "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}";
        assert_eq!(Source::parse(esri), Ok(Source::Xyz(esri.into())));
        assert_eq!(
            Source::parse("drone.mbtiles"),
            Ok(Source::MbTiles("drone.mbtiles".into()))
        );
        assert!(matches!(
            Source::parse("https://example.org/tiles/{z}.png"),
            Err(SourceError::Template(_))
        ));
        assert!(matches!(
            Source::parse("satellite"),
            Err(SourceError::Unknown(_))
        ));
        for s in [Source::Osm, Source::None, Source::Xyz(esri.into())] {
            assert_eq!(Source::parse(&s.spec()), Ok(s));
        }
    }

    #[test]
    fn templates_put_each_number_where_it_says() {
        let t = TileId { z: 3, x: 5, y: 1 };
        assert_eq!(
            tile_url("https://{s}.example.org/{z}/{x}/{y}.png", t),
            "https://a.example.org/3/5/1.png"
        );
        assert_eq!(
            tile_url("http://h/tile/{z}/{y}/{x}", t),
            "http://h/tile/3/1/5"
        );
        assert_eq!(
            tile_url("http://h/{z}/{x}/{-y}.png", t),
            "http://h/3/5/6.png"
        );
        assert_eq!(
            Source::web_attribution(OSM_TEMPLATE),
            "© OpenStreetMap contributors"
        );
        assert_eq!(
            plain_text("<a href=\"x\">&copy; Board</a>  2024"),
            "© Board 2024"
        );
    }
}
