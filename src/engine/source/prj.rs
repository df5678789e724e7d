//! A `.prj`: the coordinate system of a Shapefile, as ESRI or OGC WKT (WKT 1 or 2), recognised
//! among the systems ZoneAtlas converts ([`Crs`]).
//!
//! An authority code on the system itself (`AUTHORITY["EPSG","3405"]`, `ID["EPSG",3405]`)
//! decides when it is one ZoneAtlas reads. Otherwise the system is recognised by what it is:
//! its datum (WGS 84 or VN-2000, under any of the names ESRI, OGC and EPSG give them) and, for
//! a projected one, its projection and parameters: a transverse Mercator with false easting
//! 500 000 m and scale 0.9996 (UTM) or 0.9999 (VN-2000's provincial TM-3 zones), or Web
//! Mercator. ESRI's VN-2000 carries no TOWGS84; the national transformation is applied anyway,
//! as for a `crs` member. Anything else is refused, and the refusal quotes it.

use crate::engine::crs::{Crs, Datum, Projection, TM3};

/// What a `.prj` says.
#[derive(Debug, Clone, PartialEq)]
pub enum PrjSystem {
    /// WGS 84 longitude/latitude: nothing to convert.
    Wgs84,
    Supported(Crs),
}

/// A `.prj` that names no system ZoneAtlas converts (`wkt`: its text, for the message).
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownSystem {
    pub wkt: String,
}

/// A WKT node: `KEYWORD[value, value, …]`.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Number(f64),
    Keyword(String, Vec<Node>),
}

impl Node {
    fn children(&self) -> &[Node] {
        match self {
            Node::Keyword(_, c) => c,
            _ => &[],
        }
    }

    fn keyword(&self) -> Option<&str> {
        match self {
            Node::Keyword(k, _) => Some(k),
            _ => None,
        }
    }

    /// The first child node with one of these keywords.
    fn child(&self, keywords: &[&str]) -> Option<&Node> {
        self.children().iter().find(|c| {
            c.keyword()
                .is_some_and(|k| keywords.iter().any(|w| k.eq_ignore_ascii_case(w)))
        })
    }

    /// Every node below this one (itself included), depth first.
    fn all(&self) -> Vec<&Node> {
        let mut out = vec![self];
        for c in self.children() {
            out.extend(c.all());
        }
        out
    }

    fn first_text(&self) -> Option<&str> {
        self.children().iter().find_map(|c| match c {
            Node::Text(t) => Some(t.as_str()),
            _ => None,
        })
    }

    fn numbers(&self) -> impl Iterator<Item = f64> + '_ {
        self.children().iter().filter_map(|c| match c {
            Node::Number(n) => Some(*n),
            Node::Text(t) => t.trim().parse().ok(),
            _ => None,
        })
    }
}

/// Reads a `.prj`'s text.
pub fn recognise(wkt: &str) -> Result<PrjSystem, UnknownSystem> {
    let unknown = || UnknownSystem {
        wkt: wkt.trim().to_string(),
    };
    let root = parse(wkt).ok_or_else(unknown)?;
    let root = match root.keyword() {
        // A compound or bound system: its horizontal part.
        Some(k) if k.eq_ignore_ascii_case("COMPD_CS") || k.eq_ignore_ascii_case("COMPOUNDCRS") => {
            root.children()
                .iter()
                .find(|c| c.keyword().is_some())
                .ok_or_else(unknown)?
                .clone()
        }
        Some(k) if k.eq_ignore_ascii_case("BOUNDCRS") => root
            .child(&["SOURCECRS"])
            .and_then(|s| s.children().iter().find(|c| c.keyword().is_some()))
            .ok_or_else(unknown)?
            .clone(),
        _ => root,
    };
    if let Some(code) = epsg_code(&root) {
        if code == 4326 {
            return Ok(PrjSystem::Wgs84);
        }
        if let Some(crs) = Crs::from_epsg(code) {
            return Ok(PrjSystem::Supported(crs));
        }
    }
    let datum = datum_of(&root).ok_or_else(unknown)?;
    let keyword = root.keyword().unwrap_or("").to_ascii_uppercase();
    let projected = matches!(keyword.as_str(), "PROJCS" | "PROJCRS" | "PROJECTEDCRS");
    if !projected {
        return match datum {
            Datum::Wgs84 => Ok(PrjSystem::Wgs84),
            Datum::Vn2000 => Crs::from_epsg(4756)
                .map(PrjSystem::Supported)
                .ok_or_else(unknown),
        };
    }
    let projection = projection_of(&root).ok_or_else(unknown)?;
    let code = match (datum, projection) {
        (Datum::Wgs84, Projection::WebMercator) => 3857,
        (Datum::Wgs84, Projection::TransverseMercator { lon0, k0: 0.9996 }) => match lon0 {
            105.0 => 32648,
            111.0 => 32649,
            _ => return Err(unknown()),
        },
        (Datum::Vn2000, Projection::TransverseMercator { lon0, k0: 0.9996 }) => match lon0 {
            105.0 => 3405,
            111.0 => 3406,
            _ => return Err(unknown()),
        },
        (Datum::Vn2000, Projection::TransverseMercator { lon0, k0: 0.9999 }) => TM3
            .iter()
            .find(|(_, _, l)| *l == lon0)
            .map(|(c, _, _)| *c)
            .ok_or_else(unknown)?,
        _ => return Err(unknown()),
    };
    Crs::from_epsg(code)
        .map(PrjSystem::Supported)
        .ok_or_else(unknown)
}

/// The EPSG code given on the system itself (not on its parts).
fn epsg_code(root: &Node) -> Option<u32> {
    root.children().iter().find_map(|c| {
        let k = c.keyword()?;
        if !(k.eq_ignore_ascii_case("AUTHORITY") || k.eq_ignore_ascii_case("ID")) {
            return None;
        }
        let authority = c.first_text()?;
        if !authority.eq_ignore_ascii_case("EPSG") {
            return None;
        }
        let code = c.children().get(1)?;
        match code {
            Node::Number(n) if n.fract() == 0.0 && *n > 0.0 => Some(*n as u32),
            Node::Text(t) => t.trim().parse().ok(),
            _ => None,
        }
    })
}

/// The datum, by the names ESRI, OGC and EPSG give it.
fn datum_of(root: &Node) -> Option<Datum> {
    let datum = root
        .all()
        .into_iter()
        .find(|n| n.keyword().is_some_and(|k| k.eq_ignore_ascii_case("DATUM")))?;
    let name: String = datum
        .first_text()?
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_uppercase();
    let on_wgs84_ellipsoid = || {
        datum
            .child(&["SPHEROID", "ELLIPSOID"])
            .is_some_and(|s| {
                let mut n = s.numbers();
                matches!((n.next(), n.next()), (Some(a), Some(f)) if a == 6_378_137.0 && (f - 298.257_223_563).abs() < 1e-6)
            })
    };
    if name.contains("VN2000") || name.contains("VIETNAM2000") {
        on_wgs84_ellipsoid().then_some(Datum::Vn2000)
    } else if matches!(name.as_str(), "DWGS1984" | "WGS1984" | "WGS84")
        || name.contains("WORLDGEODETICSYSTEM1984")
    {
        Some(Datum::Wgs84)
    } else {
        None
    }
}

/// A transverse Mercator with false easting 500 000 m, no false northing and latitude of
/// origin 0, or Web Mercator.
fn projection_of(root: &Node) -> Option<Projection> {
    let method = root
        .child(&["PROJECTION", "CONVERSION"])
        .and_then(|p| {
            if p.keyword()?.eq_ignore_ascii_case("CONVERSION") {
                p.child(&["METHOD"])?.first_text()
            } else {
                p.first_text()
            }
        })?
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_uppercase();
    let holder = root.child(&["CONVERSION"]).unwrap_or(root);
    let parameter = |names: &[&str]| -> Option<f64> {
        holder.children().iter().find_map(|c| {
            let k = c.keyword()?;
            if !(k.eq_ignore_ascii_case("PARAMETER")) {
                return None;
            }
            let name: String = c
                .first_text()?
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_uppercase();
            names
                .iter()
                .any(|n| name == *n)
                .then(|| c.numbers().next())
                .flatten()
        })
    };
    if method.contains("PSEUDOMERCATOR") || method.contains("MERCATORAUXILIARYSPHERE") {
        return Some(Projection::WebMercator);
    }
    if method != "TRANSVERSEMERCATOR" {
        return None;
    }
    let lon0 = parameter(&[
        "CENTRALMERIDIAN",
        "LONGITUDEOFNATURALORIGIN",
        "LONGITUDEOFORIGIN",
    ])?;
    let k0 = parameter(&["SCALEFACTOR", "SCALEFACTORATNATURALORIGIN"])?;
    let fe = parameter(&["FALSEEASTING"])?;
    let fn_ = parameter(&["FALSENORTHING"]).unwrap_or(0.0);
    let lat0 = parameter(&["LATITUDEOFORIGIN", "LATITUDEOFNATURALORIGIN"]).unwrap_or(0.0);
    (fe == 500_000.0 && fn_ == 0.0 && lat0 == 0.0)
        .then_some(Projection::TransverseMercator { lon0, k0 })
}

/// Parses WKT (`[` or `(` brackets, quoted texts with `""` for a quote, bare words and
/// numbers). `None` when it is not WKT.
fn parse(wkt: &str) -> Option<Node> {
    let chars: Vec<char> = wkt.trim().trim_start_matches('\u{feff}').chars().collect();
    let mut at = 0;
    let node = parse_node(&chars, &mut at)?;
    skip_ws(&chars, &mut at);
    (at == chars.len()).then_some(node)
}

fn skip_ws(c: &[char], at: &mut usize) {
    while *at < c.len() && c[*at].is_whitespace() {
        *at += 1;
    }
}

fn parse_node(c: &[char], at: &mut usize) -> Option<Node> {
    skip_ws(c, at);
    if *c.get(*at)? == '"' {
        let mut s = String::new();
        *at += 1;
        loop {
            match c.get(*at)? {
                '"' if c.get(*at + 1) == Some(&'"') => {
                    s.push('"');
                    *at += 2;
                }
                '"' => {
                    *at += 1;
                    return Some(Node::Text(s));
                }
                ch => {
                    s.push(*ch);
                    *at += 1;
                }
            }
        }
    }
    let start = *at;
    while *at < c.len() && !matches!(c[*at], '[' | ']' | '(' | ')' | ',' | '"') {
        *at += 1;
    }
    let word: String = c[start..*at].iter().collect::<String>().trim().to_string();
    skip_ws(c, at);
    if matches!(c.get(*at), Some('[' | '(')) {
        if word.is_empty() {
            return None;
        }
        *at += 1;
        let mut children = Vec::new();
        loop {
            skip_ws(c, at);
            if matches!(c.get(*at)?, ']' | ')') {
                *at += 1;
                return Some(Node::Keyword(word, children));
            }
            children.push(parse_node(c, at)?);
            skip_ws(c, at);
            match c.get(*at)? {
                ',' => *at += 1,
                ']' | ')' => {}
                _ => return None,
            }
        }
    }
    if word.is_empty() {
        return None;
    }
    Some(match word.parse::<f64>() {
        Ok(n) => Node::Number(n),
        Err(_) => Node::Text(word),
    })
}

/// The OGC WKT 1 of a system (`None`: WGS 84 longitude/latitude), as GDAL writes it: names,
/// datum with its `TOWGS84` for VN-2000 (the national transformation, position-vector
/// convention), parameters, and the EPSG authority code, which [`recognise`] reads back and
/// GDAL and QGIS identify. Written in a `.prj` and in a GeoPackage's `gpkg_spatial_ref_sys`.
pub fn wkt(crs: Option<&Crs>) -> String {
    const SPHEROID: &str = r#"SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]]"#;
    const TAIL: &str = r#"PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]]"#;
    let wgs84 = format!(
        r#"GEOGCS["WGS 84",DATUM["WGS_1984",{SPHEROID},AUTHORITY["EPSG","6326"]],{TAIL},AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]"#
    );
    let Some(crs) = crs else {
        return wgs84;
    };
    let h = crate::engine::crs::VN2000_TO_WGS84;
    let vn2000 = format!(
        r#"GEOGCS["VN-2000",DATUM["Vietnam_2000",{SPHEROID},TOWGS84[{},{},{},{},{},{},{}],AUTHORITY["EPSG","6756"]],{TAIL},AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4756"]]"#,
        h.tx, h.ty, h.tz, -h.rx, -h.ry, -h.rz, h.ds_ppm
    );
    let geographic = match crs.datum {
        Datum::Wgs84 => wgs84,
        Datum::Vn2000 => vn2000,
    };
    const METRE: &str = r#"UNIT["metre",1,AUTHORITY["EPSG","9001"]]"#;
    match crs.projection {
        Projection::Geographic => geographic,
        Projection::WebMercator => format!(
            r#"PROJCS["{}",{geographic},PROJECTION["Mercator_1SP"],PARAMETER["central_meridian",0],PARAMETER["scale_factor",1],PARAMETER["false_easting",0],PARAMETER["false_northing",0],{METRE},AXIS["Easting",EAST],AXIS["Northing",NORTH],EXTENSION["PROJ4","+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs"],AUTHORITY["EPSG","{}"]]"#,
            crs.name, crs.epsg
        ),
        Projection::TransverseMercator { lon0, k0 } => format!(
            r#"PROJCS["{}",{geographic},PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",{lon0}],PARAMETER["scale_factor",{k0}],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],{METRE},AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","{}"]]"#,
            crs.name, crs.epsg
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn epsg(wkt: &str) -> Option<u32> {
        match recognise(wkt) {
            Ok(PrjSystem::Wgs84) => Some(4326),
            Ok(PrjSystem::Supported(c)) => Some(c.epsg),
            Err(_) => None,
        }
    }

    // As ArcGIS writes them (no TOWGS84, no authority).
    const ESRI_VN2000_UTM48: &str = r#"PROJCS["VN_2000_UTM_Zone_48N",GEOGCS["GCS_VN_2000",DATUM["D_Vietnam_2000",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;

    #[test]
    fn esri_and_ogc_systems_are_recognised() {
        assert_eq!(epsg(ESRI_VN2000_UTM48), Some(3405));
        let tm3 = ESRI_VN2000_UTM48
            .replace("105.0", "105.5")
            .replace("0.9996", "0.9999");
        assert_eq!(epsg(&tm3), Some(9209));
        // The 3° grid's zones and 107°45′ (Đà Nẵng, Quảng Nam, Đồng Nai…), as PROJ numbers them.
        for (lon0, code) in [("102.0", 5896), ("108.0", 5898), ("107.75", 5899)] {
            let wkt = ESRI_VN2000_UTM48
                .replace("105.0", lon0)
                .replace("0.9996", "0.9999");
            assert_eq!(epsg(&wkt), Some(code), "{lon0}");
        }
        let zone_482 = ESRI_VN2000_UTM48.replace("0.9996", "0.9999");
        assert_eq!(epsg(&zone_482), Some(5897));
        assert_eq!(
            epsg(
                r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#
            ),
            Some(4326)
        );
        assert_eq!(
            epsg(
                r#"PROJCS["WGS 84 / UTM zone 49N",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",111],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1],AUTHORITY["EPSG","32649"]]"#
            ),
            Some(32649)
        );
        assert_eq!(
            epsg(
                r#"PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]"#
            ),
            Some(3857)
        );
        assert_eq!(
            epsg(
                r#"PROJCRS["VN-2000 / UTM zone 49N",BASEGEOGCRS["VN-2000",DATUM["Vietnam 2000",ELLIPSOID["WGS 84",6378137,298.257223563]]],CONVERSION["UTM zone 49N",METHOD["Transverse Mercator"],PARAMETER["Latitude of natural origin",0],PARAMETER["Longitude of natural origin",111],PARAMETER["Scale factor at natural origin",0.9996],PARAMETER["False easting",500000],PARAMETER["False northing",0]],CS[Cartesian,2]]"#
            ),
            Some(3406)
        );
    }

    #[test]
    fn the_wkt_written_is_recognised_as_its_system() {
        assert_eq!(epsg(&wkt(None)), Some(4326));
        let codes = [3857, 32648, 32649, 4756, 3405, 3406]
            .into_iter()
            .chain(TM3.iter().map(|(code, _, _)| *code));
        for code in codes {
            let crs = Crs::from_epsg(code).expect("a system ZoneAtlas reads");
            assert_eq!(recognise(&wkt(Some(&crs))), Ok(PrjSystem::Supported(crs)));
            // Without its authority code too (by datum, projection and parameters), but Web
            // Mercator, which is recognised by ESRI's names or its code only.
            if code == 3857 {
                continue;
            }
            let bare = wkt(Some(&crs));
            let bare = bare
                .rsplit_once(",AUTHORITY[")
                .map_or(bare.clone(), |(head, _)| format!("{head}]"));
            assert_eq!(epsg(&bare), Some(code), "{bare}");
        }
    }

    #[test]
    fn other_systems_are_refused_with_their_text() {
        let hn72 = r#"PROJCS["Hanoi_1972_GK_Zone_18",GEOGCS["GCS_Hanoi_1972",DATUM["D_Hanoi_1972",SPHEROID["Krasovsky_1940",6378245.0,298.3]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",18500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
        assert_eq!(
            recognise(hn72),
            Err(UnknownSystem {
                wkt: hn72.to_string()
            })
        );
        // A VN-2000 zone with another false easting is not one ZoneAtlas knows.
        let odd = ESRI_VN2000_UTM48.replace("500000.0", "0.0");
        assert!(recognise(&odd).is_err());
        assert!(recognise("not wkt at all").is_err());
        assert!(recognise("").is_err());
    }
}
