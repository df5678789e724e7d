//! Legacy `crs` members: which coordinate system a file's numbers are in, and the way from it to
//! WGS84 longitude/latitude.
//!
//! RFC 7946 GeoJSON is WGS84 longitude/latitude, but the boards' files often carry the 2008
//! GeoJSON `crs` member with projected coordinates. The systems read here are those met in
//! Vietnam's files:
//!
//! - WGS84 itself (`EPSG:4326`, `OGC:1.3:CRS84`): nothing to do;
//! - Web Mercator (`EPSG:3857`, and its aliases 900913, 102100, 102113, 3785): spherical
//!   Mercator on a = 6378137 m, WGS84 datum;
//! - WGS 84 / UTM zones 48N and 49N (`EPSG:32648`, `32649`);
//! - VN-2000 geographic (`EPSG:4756`), VN-2000 / UTM 48N, 49N (`EPSG:3405`, `3406`, scale 0.9996)
//!   and the VN-2000 / TM-3 zones (`EPSG:5896`–`5899` and `9205`–`9218`, scale 0.9999: every
//!   province's central meridian), all on the WGS84 ellipsoid, false easting 500 000 m;
//!
//! VN-2000 is moved to WGS84 with the 7-parameter Helmert transformation published in
//! QĐ 05/2007/QĐ-BTNMT, as EPSG encodes it (EPSG:6960, "VN-2000 to WGS 84 (2)", coordinate-frame
//! rotation, method 9607) and as PROJ applies it by default. The published rotations are in the
//! coordinate-frame convention; PROJ's `+towgs84` takes position-vector rotations, so written
//! there the three rotations change sign (see [`VN2000_TO_WGS84`]).
//!
//! The transverse Mercator is Krüger's series in n to sixth order (Karney 2011), accurate to a
//! few nanometres within a zone's width. Nothing here calls a C library.

use std::f64::consts::PI;
use std::ops::Range;

use super::geojson::scan;
use super::geojson::splice::{self, Splice};
use super::geojson::walk::{self, GeometryObject, GeometryType, Position, Visitor, WalkError};
use super::geometry::{InvalidGeometry, invalid};

/// WGS84 semi-major axis, m.
const A: f64 = 6_378_137.0;
/// WGS84 flattening.
const F: f64 = 1.0 / 298.257_223_563;

/// The datum a system's coordinates are on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Datum {
    Wgs84,
    /// VN-2000 (EPSG:6756): the WGS84 ellipsoid, another origin and orientation.
    Vn2000,
}

/// How a system's numbers map to longitude/latitude on its datum.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Projection {
    /// Longitude/latitude in degrees.
    Geographic,
    /// Spherical Mercator on a = 6378137 m (EPSG:3857).
    WebMercator,
    /// Transverse Mercator on the WGS84 ellipsoid: central meridian (degrees), scale on it,
    /// false easting 500 000 m, false northing 0, latitude of origin 0.
    TransverseMercator { lon0: f64, k0: f64 },
}

/// A coordinate system that ZoneAtlas can read.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Crs {
    /// The EPSG code (for Web Mercator aliases, 3857).
    pub epsg: u32,
    /// Its name, as EPSG gives it.
    pub name: &'static str,
    pub datum: Datum,
    pub projection: Projection,
}

/// A 7-parameter Helmert transformation, coordinate-frame convention (EPSG method 9607):
/// translations in metres, rotations in arc-seconds, scale difference in parts per million.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Helmert {
    pub tx: f64,
    pub ty: f64,
    pub tz: f64,
    pub rx: f64,
    pub ry: f64,
    pub rz: f64,
    pub ds_ppm: f64,
}

/// VN-2000 → WGS84 as published in QĐ 05/2007/QĐ-BTNMT (EPSG:6960, coordinate frame). In
/// PROJ's position-vector `+towgs84` the same transformation reads
/// `+towgs84=-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278`.
pub const VN2000_TO_WGS84: Helmert = Helmert {
    tx: -191.904_414_29,
    ty: -39.303_182_79,
    tz: -111.450_328_35,
    rx: -0.009_288_36,
    ry: 0.019_754_79,
    rz: -0.004_273_72,
    ds_ppm: 0.252_906_278,
};

/// The VN-2000 / TM-3 zones in EPSG's registry (as PROJ's database lists them): the four of
/// the national 3° grid (5896–5899; 5899, the 107°45′ zone of Đà Nẵng, Quảng Nam, Quảng Ninh,
/// Đồng Nai, Bà Rịa–Vũng Tàu and Lâm Đồng, replaced the deprecated 6959) and the provincial
/// meridians added in 2021 (9205–9218).
pub const TM3: [(u32, &str, f64); 18] = [
    (5896, "VN-2000 / TM-3 zone 481", 102.0),
    (5897, "VN-2000 / TM-3 zone 482", 105.0),
    (5898, "VN-2000 / TM-3 zone 491", 108.0),
    (5899, "VN-2000 / TM-3 107-45", 107.75),
    (9205, "VN-2000 / TM-3 103-00", 103.0),
    (9206, "VN-2000 / TM-3 104-00", 104.0),
    (9207, "VN-2000 / TM-3 104-30", 104.5),
    (9208, "VN-2000 / TM-3 104-45", 104.75),
    (9209, "VN-2000 / TM-3 105-30", 105.5),
    (9210, "VN-2000 / TM-3 105-45", 105.75),
    (9211, "VN-2000 / TM-3 106-00", 106.0),
    (9212, "VN-2000 / TM-3 106-15", 106.25),
    (9213, "VN-2000 / TM-3 106-30", 106.5),
    (9214, "VN-2000 / TM-3 107-00", 107.0),
    (9215, "VN-2000 / TM-3 107-15", 107.25),
    (9216, "VN-2000 / TM-3 107-30", 107.5),
    (9217, "VN-2000 / TM-3 108-15", 108.25),
    (9218, "VN-2000 / TM-3 108-30", 108.5),
];

/// The provinces that use each VN-2000 / TM-3 zone above as their own (the central meridians
/// of Thông tư 973/2001/TT-TCĐC), named as before the merger of 1 July 2025: the way the
/// boards' drawings and files were made. (102°00′, zone 481, is no province's own.)
pub const TM3_PROVINCES: [(u32, &[&str]); 17] = [
    (
        5897,
        &[
            "Hà Nội",
            "Vĩnh Phúc",
            "Hà Nam",
            "Ninh Bình",
            "Thanh Hóa",
            "Đồng Tháp",
            "Cần Thơ",
            "Hậu Giang",
            "Bạc Liêu",
        ],
    ),
    (
        5899,
        &[
            "Quảng Ninh",
            "Đà Nẵng",
            "Quảng Nam",
            "Đồng Nai",
            "Bà Rịa – Vũng Tàu",
            "Lâm Đồng",
        ],
    ),
    (5898, &["Quảng Ngãi"]),
    (9205, &["Lai Châu", "Điện Biên"]),
    (9206, &["Sơn La"]),
    (9207, &["Kiên Giang", "Cà Mau"]),
    (
        9208,
        &["Lào Cai", "Yên Bái", "Phú Thọ", "Nghệ An", "An Giang"],
    ),
    (
        9209,
        &[
            "Hà Giang",
            "Bắc Ninh",
            "Hải Dương",
            "Hưng Yên",
            "Nam Định",
            "Thái Bình",
            "Hà Tĩnh",
            "Tây Ninh",
            "Vĩnh Long",
            "Trà Vinh",
            "Sóc Trăng",
        ],
    ),
    (
        9210,
        &[
            "Cao Bằng",
            "Hải Phòng",
            "TP Hồ Chí Minh",
            "Bình Dương",
            "Long An",
            "Tiền Giang",
            "Bến Tre",
        ],
    ),
    (9211, &["Tuyên Quang", "Hòa Bình", "Quảng Bình"]),
    (9212, &["Quảng Trị", "Bình Phước"]),
    (9213, &["Bắc Kạn", "Thái Nguyên"]),
    (9214, &["Bắc Giang", "Thừa Thiên Huế"]),
    (9215, &["Lạng Sơn"]),
    (9216, &["Kon Tum"]),
    (9217, &["Bình Định", "Khánh Hòa", "Ninh Thuận"]),
    (
        9218,
        &["Gia Lai", "Đắk Lắk", "Đắk Nông", "Phú Yên", "Bình Thuận"],
    ),
];

/// The VN-2000 / TM-3 zone a province uses as its own (see [`TM3_PROVINCES`]).
pub fn tm3_of_province(province: &str) -> Option<Crs> {
    TM3_PROVINCES
        .iter()
        .find(|(_, names)| names.contains(&province))
        .and_then(|(code, _)| Crs::from_epsg(*code))
}

/// What a `crs` member says.
#[derive(Clone, Debug, PartialEq)]
pub enum Declared {
    /// WGS84 longitude/latitude (or no system at all: `null`): nothing to convert.
    Wgs84,
    /// A system converted on loading.
    Supported(Crs),
}

impl Crs {
    /// The system with this EPSG code (or a Web Mercator alias), when ZoneAtlas reads it.
    /// `None` for 4326: WGS84 needs no conversion.
    pub fn from_epsg(code: u32) -> Option<Crs> {
        let tm = |epsg, name, datum, lon0, k0| Crs {
            epsg,
            name,
            datum,
            projection: Projection::TransverseMercator { lon0, k0 },
        };
        Some(match code {
            3857 | 900_913 | 102_100 | 102_113 | 3785 => Crs {
                epsg: 3857,
                name: "WGS 84 / Pseudo-Mercator",
                datum: Datum::Wgs84,
                projection: Projection::WebMercator,
            },
            32648 => tm(32648, "WGS 84 / UTM zone 48N", Datum::Wgs84, 105.0, 0.9996),
            32649 => tm(32649, "WGS 84 / UTM zone 49N", Datum::Wgs84, 111.0, 0.9996),
            4756 => Crs {
                epsg: 4756,
                name: "VN-2000",
                datum: Datum::Vn2000,
                projection: Projection::Geographic,
            },
            3405 => tm(3405, "VN-2000 / UTM zone 48N", Datum::Vn2000, 105.0, 0.9996),
            3406 => tm(3406, "VN-2000 / UTM zone 49N", Datum::Vn2000, 111.0, 0.9996),
            // "VN-2000 / TM-3 Da Nang zone", deprecated for 5899 (its false easting and
            // northing were swapped): read as EPSG reads it today.
            6959 => return Crs::from_epsg(5899),
            _ => {
                let (epsg, name, lon0) = TM3.iter().find(|(c, _, _)| *c == code)?;
                tm(*epsg, name, Datum::Vn2000, *lon0, 0.9999)
            }
        })
    }

    /// A position in this system → WGS84 (longitude, latitude) in degrees. `None` when the
    /// numbers cannot be a place (not finite, or far outside the system).
    pub fn to_wgs84(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let (lon, lat) = match self.projection {
            Projection::Geographic => (x, y),
            Projection::WebMercator => web_mercator_inverse(x, y),
            Projection::TransverseMercator { lon0, k0 } => tm_inverse(lon0, k0, x, y),
        };
        let (lon, lat) = match self.datum {
            Datum::Wgs84 => (lon, lat),
            Datum::Vn2000 => helmert_geographic(&VN2000_TO_WGS84, lon, lat, false),
        };
        (lon.is_finite()
            && lat.is_finite()
            && (-180.0..=180.0).contains(&lon)
            && (-90.0..=90.0).contains(&lat))
        .then_some((lon, lat))
    }

    /// WGS84 (longitude, latitude) in degrees → a position in this system.
    pub fn from_wgs84(&self, lon: f64, lat: f64) -> (f64, f64) {
        let (lon, lat) = match self.datum {
            Datum::Wgs84 => (lon, lat),
            Datum::Vn2000 => helmert_geographic(&VN2000_TO_WGS84, lon, lat, true),
        };
        match self.projection {
            Projection::Geographic => (lon, lat),
            Projection::WebMercator => web_mercator_forward(lon, lat),
            Projection::TransverseMercator { lon0, k0 } => tm_forward(lon0, k0, lon, lat),
        }
    }

    /// `EPSG:3405 (VN-2000 / UTM zone 48N)`.
    pub fn label(&self) -> String {
        format!("EPSG:{} ({})", self.epsg, self.name)
    }
}

/// Why a file's coordinate system cannot be read (put into words by the catalogue). `member`
/// is the `crs` member as written, on one line and cut short.
#[derive(Debug, Clone, PartialEq)]
pub enum CrsProblem {
    /// The member is not JSON that can be read (`detail`: the parser's words).
    Unreadable {
        detail: String,
    },
    NoName {
        member: String,
    },
    NoEpsgCode {
        member: String,
    },
    /// A link to a definition elsewhere.
    Link {
        member: String,
    },
    NotUnderstood {
        member: String,
    },
    /// A system named that is not one ZoneAtlas reads.
    Unsupported {
        name: String,
    },
    /// The member names a projected system (`system`: its label) but the coordinates are
    /// degrees.
    DegreesUnderProjected {
        system: String,
    },
    /// The member names a geographic system but the coordinates are metres, over these ranges.
    MetresUnderGeographic {
        system: String,
        x: (f64, f64),
        y: (f64, f64),
    },
    /// No usable `crs` member, and the coordinates are metres over these ranges.
    LooksProjected {
        x: (f64, f64),
        y: (f64, f64),
        likely: LikelySystem,
    },
}

/// The systems that metres over some ranges most likely are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LikelySystem {
    WebMercator,
    /// UTM 48N/49N, VN-2000 / UTM or a VN-2000 / TM-3 provincial zone.
    UtmOrVn2000,
    /// UTM or VN-2000 written northing first.
    AxesSwapped,
    Unknown,
}

impl LikelySystem {
    /// The EPSG code a `crs` member would name for it, as an example.
    pub fn example(self) -> &'static str {
        match self {
            Self::WebMercator => "EPSG:3857",
            _ => "EPSG:3405",
        }
    }
}

/// Reads a `crs` member's JSON. `Err` says what system it names and that it is not read (or
/// what is wrong with the member).
pub fn declared(raw: &str) -> Result<Declared, CrsProblem> {
    let value: serde_json::Value =
        serde_json::from_str(raw).map_err(|e| CrsProblem::Unreadable {
            detail: e.to_string(),
        })?;
    let name = match &value {
        serde_json::Value::Null => return Ok(Declared::Wgs84),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Object(o) => {
            let kind = o.get("type").and_then(|t| t.as_str()).unwrap_or("");
            let props = o.get("properties");
            let prop = |k: &str| props.and_then(|p| p.get(k));
            match kind.to_ascii_lowercase().as_str() {
                "name" => match prop("name") {
                    Some(serde_json::Value::String(s)) => s.clone(),
                    _ => {
                        return Err(CrsProblem::NoName {
                            member: raw.to_string(),
                        });
                    }
                },
                "epsg" => match prop("code") {
                    Some(serde_json::Value::Number(n)) => format!("EPSG:{n}"),
                    Some(serde_json::Value::String(s)) => format!("EPSG:{s}"),
                    _ => {
                        return Err(CrsProblem::NoEpsgCode {
                            member: raw.to_string(),
                        });
                    }
                },
                "link" => {
                    return Err(CrsProblem::Link {
                        member: compact(raw),
                    });
                }
                _ => {
                    return Err(CrsProblem::NotUnderstood {
                        member: compact(raw),
                    });
                }
            }
        }
        _ => {
            return Err(CrsProblem::NotUnderstood {
                member: compact(raw),
            });
        }
    };
    let unsupported = || CrsProblem::Unsupported { name: name.clone() };
    match code_of(&name) {
        Some(Code::Wgs84) => Ok(Declared::Wgs84),
        Some(Code::Epsg(c)) => Crs::from_epsg(c)
            .map(Declared::Supported)
            .ok_or_else(unsupported),
        None => Err(unsupported()),
    }
}

fn compact(raw: &str) -> String {
    let s: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 120 {
        s.chars().take(117).collect::<String>() + "…"
    } else {
        s
    }
}

enum Code {
    Wgs84,
    Epsg(u32),
}

/// The code a system's name gives: `EPSG:3405`, `urn:ogc:def:crs:EPSG::3405`,
/// `urn:ogc:def:crs:EPSG:6.6:3405`, `http://www.opengis.net/def/crs/EPSG/0/3405`, `ESRI:102100`,
/// `urn:ogc:def:crs:OGC:1.3:CRS84`, `CRS84`.
fn code_of(name: &str) -> Option<Code> {
    let n = name.trim().to_ascii_lowercase();
    if n.ends_with("crs84") || n == "wgs84" || n == "wgs 84" {
        return Some(Code::Wgs84);
    }
    let last = n.rsplit([':', '/']).find(|s| !s.is_empty())?;
    let code: u32 = last.trim().parse().ok()?;
    let authority_known = n.contains("epsg") || n.contains("esri") || n == last;
    if !authority_known {
        return None;
    }
    Some(if code == 4326 {
        Code::Wgs84
    } else {
        Code::Epsg(code)
    })
}

// ---------------------------------------------------------------------------------------------
// Projections.

fn web_mercator_inverse(x: f64, y: f64) -> (f64, f64) {
    let lon = (x / A).to_degrees();
    let lat = (y / A).sinh().atan().to_degrees();
    (lon, lat)
}

fn web_mercator_forward(lon: f64, lat: f64) -> (f64, f64) {
    (A * lon.to_radians(), A * lat.to_radians().tan().asinh())
}

/// Third flattening n and the series coefficients.
struct TmSeries {
    /// Rectifying radius A = a/(1+n)·(1 + n²/4 + n⁴/64 + n⁶/256).
    rect: f64,
    alpha: [f64; 6],
    beta: [f64; 6],
    e: f64,
}

fn tm_series() -> TmSeries {
    let n = F / (2.0 - F);
    let n2 = n * n;
    let n3 = n2 * n;
    let n4 = n3 * n;
    let n5 = n4 * n;
    let n6 = n5 * n;
    // Karney (2011), "Transverse Mercator with an accuracy of a few nanometers", eqs. 35–36.
    let alpha = [
        n / 2.0 - 2.0 / 3.0 * n2 + 5.0 / 16.0 * n3 + 41.0 / 180.0 * n4 - 127.0 / 288.0 * n5
            + 7891.0 / 37800.0 * n6,
        13.0 / 48.0 * n2 - 3.0 / 5.0 * n3 + 557.0 / 1440.0 * n4 + 281.0 / 630.0 * n5
            - 1_983_433.0 / 1_935_360.0 * n6,
        61.0 / 240.0 * n3 - 103.0 / 140.0 * n4
            + 15061.0 / 26880.0 * n5
            + 167_603.0 / 181_440.0 * n6,
        49561.0 / 161_280.0 * n4 - 179.0 / 168.0 * n5 + 6_601_661.0 / 7_257_600.0 * n6,
        34729.0 / 80640.0 * n5 - 3_418_889.0 / 1_995_840.0 * n6,
        212_378_941.0 / 319_334_400.0 * n6,
    ];
    let beta = [
        n / 2.0 - 2.0 / 3.0 * n2 + 37.0 / 96.0 * n3 - 1.0 / 360.0 * n4 - 81.0 / 512.0 * n5
            + 96199.0 / 604_800.0 * n6,
        1.0 / 48.0 * n2 + 1.0 / 15.0 * n3 - 437.0 / 1440.0 * n4 + 46.0 / 105.0 * n5
            - 1_118_711.0 / 3_870_720.0 * n6,
        17.0 / 480.0 * n3 - 37.0 / 840.0 * n4 - 209.0 / 4480.0 * n5 + 5569.0 / 90720.0 * n6,
        4397.0 / 161_280.0 * n4 - 11.0 / 504.0 * n5 - 830_251.0 / 7_257_600.0 * n6,
        4583.0 / 161_280.0 * n5 - 108_847.0 / 3_991_680.0 * n6,
        20_648_693.0 / 638_668_800.0 * n6,
    ];
    TmSeries {
        rect: A / (1.0 + n) * (1.0 + n2 / 4.0 + n4 / 64.0 + n6 / 256.0),
        alpha,
        beta,
        e: (F * (2.0 - F)).sqrt(),
    }
}

const FALSE_EASTING: f64 = 500_000.0;

/// τ' (tangent of the conformal latitude) from τ (tangent of the geodetic latitude).
fn taup(tau: f64, e: f64) -> f64 {
    let tau1 = tau.hypot(1.0);
    let sig = (e * (e * tau / tau1).atanh()).sinh();
    sig.hypot(1.0) * tau - sig * tau1
}

/// τ from τ' by Newton's method (Karney 2011, eqs. 19–21).
fn tauf(taup_: f64, e: f64) -> f64 {
    let e2m = 1.0 - e * e;
    let mut tau = taup_ / e2m;
    for _ in 0..8 {
        let tau_i = taup(tau, e);
        let d =
            (taup_ - tau_i) * (1.0 + e2m * tau * tau) / (e2m * tau.hypot(1.0) * tau_i.hypot(1.0));
        tau += d;
        if d.abs() <= 1e-15 * tau.abs().max(1.0) {
            break;
        }
    }
    tau
}

fn tm_forward(lon0: f64, k0: f64, lon: f64, lat: f64) -> (f64, f64) {
    let s = tm_series();
    let lam = (lon - lon0).to_radians();
    let tp = taup(lat.to_radians().tan(), s.e);
    let xip = tp.atan2(lam.cos());
    let etap = (lam.sin() / tp.hypot(lam.cos())).asinh();
    let (mut xi, mut eta) = (xip, etap);
    for (j, a) in s.alpha.iter().enumerate() {
        let k = 2.0 * (j + 1) as f64;
        xi += a * (k * xip).sin() * (k * etap).cosh();
        eta += a * (k * xip).cos() * (k * etap).sinh();
    }
    (FALSE_EASTING + k0 * s.rect * eta, k0 * s.rect * xi)
}

fn tm_inverse(lon0: f64, k0: f64, x: f64, y: f64) -> (f64, f64) {
    let s = tm_series();
    let xi = y / (k0 * s.rect);
    let eta = (x - FALSE_EASTING) / (k0 * s.rect);
    let (mut xip, mut etap) = (xi, eta);
    for (j, b) in s.beta.iter().enumerate() {
        let k = 2.0 * (j + 1) as f64;
        xip -= b * (k * xi).sin() * (k * eta).cosh();
        etap -= b * (k * xi).cos() * (k * eta).sinh();
    }
    let sx = etap.sinh();
    let cx = xip.cos();
    let tp = xip.sin() / sx.hypot(cx);
    let lam = sx.atan2(cx);
    let lat = tauf(tp, s.e).atan();
    (lon0 + lam.to_degrees(), lat.to_degrees())
}

// ---------------------------------------------------------------------------------------------
// Datum shift.

fn geocentric(lon: f64, lat: f64) -> [f64; 3] {
    let e2 = F * (2.0 - F);
    let (sp, cp) = lat.to_radians().sin_cos();
    let (sl, cl) = lon.to_radians().sin_cos();
    let n = A / (1.0 - e2 * sp * sp).sqrt();
    [n * cp * cl, n * cp * sl, n * (1.0 - e2) * sp]
}

fn geographic(p: [f64; 3]) -> (f64, f64) {
    let e2 = F * (2.0 - F);
    let [x, y, z] = p;
    let r = x.hypot(y);
    let lon = y.atan2(x);
    let mut lat = z.atan2(r * (1.0 - e2));
    for _ in 0..10 {
        let s = lat.sin();
        let n = A / (1.0 - e2 * s * s).sqrt();
        let h = if lat.cos().abs() > 1e-12 {
            r / lat.cos() - n
        } else {
            z.abs() / s.abs() - n * (1.0 - e2)
        };
        let next = z.atan2(r * (1.0 - e2 * n / (n + h)));
        let done = (next - lat).abs() < 1e-15;
        lat = next;
        if done {
            break;
        }
    }
    (lon.to_degrees(), lat.to_degrees())
}

/// The Helmert matrix, coordinate-frame convention, rotations linearised as EPSG and PROJ do:
/// X' = T + (1 + ds)·R·X with R = [[1, rz, −ry], [−rz, 1, rx], [ry, −rx, 1]].
fn helmert_matrix(h: &Helmert) -> [[f64; 3]; 3] {
    let sec = PI / (180.0 * 3600.0);
    let (rx, ry, rz) = (h.rx * sec, h.ry * sec, h.rz * sec);
    let m = 1.0 + h.ds_ppm * 1e-6;
    [
        [m, m * rz, -m * ry],
        [-m * rz, m, m * rx],
        [m * ry, -m * rx, m],
    ]
}

/// Applies a Helmert transformation to a geocentric position; `inverse` undoes it exactly
/// (solving the 3×3 system, not negating the parameters).
pub fn helmert(h: &Helmert, p: [f64; 3], inverse: bool) -> [f64; 3] {
    let r = helmert_matrix(h);
    let t = [h.tx, h.ty, h.tz];
    if !inverse {
        let mut out = t;
        for (i, o) in out.iter_mut().enumerate() {
            *o += r[i][0] * p[0] + r[i][1] * p[1] + r[i][2] * p[2];
        }
        return out;
    }
    let b = [p[0] - t[0], p[1] - t[1], p[2] - t[2]];
    let det = |m: &[[f64; 3]; 3]| {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    };
    let d = det(&r);
    let mut out = [0.0; 3];
    for (c, o) in out.iter_mut().enumerate() {
        let mut m = r;
        for (row, bi) in m.iter_mut().zip(b) {
            row[c] = bi;
        }
        *o = det(&m) / d;
    }
    out
}

/// Longitude/latitude on the WGS84 ellipsoid (height 0) through a Helmert transformation, the
/// height dropped after (as PROJ's 2-D pipeline does).
fn helmert_geographic(h: &Helmert, lon: f64, lat: f64, inverse: bool) -> (f64, f64) {
    geographic(helmert(h, geocentric(lon, lat), inverse))
}

// ---------------------------------------------------------------------------------------------
// Geometry text.

/// A geometry's JSON text converted to WGS84, and the bounds of its positions.
#[derive(Clone, Debug, PartialEq)]
pub struct Wgs84Geometry {
    pub text: String,
    /// `[west, south, east, north]` of the positions as written; `None` without any.
    pub bounds: Option<[f64; 4]>,
}

/// The geometry's JSON text with each position's first two numbers replaced by WGS84
/// longitude/latitude, and its `bbox` members (and its collection members') recomputed from
/// them; everything else (Z and further ordinates, other members, spacing) as written.
/// `decimals`: `None` writes the shortest text that reads back as the same number, `Some(d)`
/// rounds to `d` decimals (trailing zeros dropped). `Err` says why it cannot be converted
/// (a position outside the system, coordinates that are not GeoJSON's).
pub fn geometry_to_wgs84(
    geometry: &str,
    crs: &Crs,
    decimals: Option<usize>,
) -> Result<Wgs84Geometry, InvalidGeometry> {
    let mut c = Converter {
        text: geometry,
        crs,
        decimals,
        splices: Vec::new(),
        bounds: vec![None],
        problem: None,
    };
    if let Err(e) = walk::walk(geometry, &mut c) {
        return Err(c.problem.take().unwrap_or_else(|| invalid(e)));
    }
    let bounds = c.bounds.pop().flatten();
    Ok(Wgs84Geometry {
        text: splice::apply(geometry, c.splices),
        bounds,
    })
}

/// Converts positions as a geometry is walked, and rewrites each object's `bbox` once its
/// positions are known.
struct Converter<'a> {
    text: &'a str,
    crs: &'a Crs,
    decimals: Option<usize>,
    splices: Vec<Splice>,
    /// Per open geometry object (the walked one at the bottom): its positions' bounds.
    bounds: Vec<Option<[f64; 4]>>,
    /// A position the system cannot convert.
    problem: Option<InvalidGeometry>,
}

impl Visitor for Converter<'_> {
    fn geometry(&mut self, _: GeometryType, _: usize) -> Result<bool, WalkError> {
        self.bounds.push(None);
        Ok(true)
    }

    fn position(&mut self, p: Position) -> Result<(), WalkError> {
        let Some((lon, lat)) = self.crs.to_wgs84(p.x, p.y) else {
            self.problem = Some(InvalidGeometry::Unconvertible {
                x: self.text[p.x_at].to_string(),
                y: self.text[p.y_at].to_string(),
                system: self.crs.label(),
            });
            return Err(WalkError::Refused(String::new()));
        };
        let (x, y) = (
            number_text(lon, self.decimals),
            number_text(lat, self.decimals),
        );
        // The bounds of the numbers as written (rounded), so a bbox holds what the file says.
        if let (Ok(x), Ok(y)) = (x.parse::<f64>(), y.parse::<f64>())
            && let Some(b) = self.bounds.last_mut()
        {
            *b = Some(union(*b, [x, y, x, y]));
        }
        self.splices.push(Splice::new(p.x_at, x));
        self.splices.push(Splice::new(p.y_at, y));
        Ok(())
    }

    fn end(&mut self, g: &GeometryObject) -> Result<(), WalkError> {
        let mine = self.bounds.pop().flatten();
        if let (Some(b), Some(raw)) = (mine, g.bbox.clone())
            && let Some(text) = bbox_text(&self.text[raw.clone()], b, self.decimals)
        {
            self.splices.push(Splice::new(raw, text));
        }
        if let (Some(b), Some(outer)) = (mine, self.bounds.last_mut()) {
            *outer = Some(union(*outer, b));
        }
        Ok(())
    }
}

/// Bounds `[west, south, east, north]` grown to hold `b`.
pub fn union(a: Option<[f64; 4]>, b: [f64; 4]) -> [f64; 4] {
    match a {
        None => b,
        Some(a) => [
            a[0].min(b[0]),
            a[1].min(b[1]),
            a[2].max(b[2]),
            a[3].max(b[3]),
        ],
    }
}

/// A `bbox` value's text with these bounds; a 3-D bbox keeps its heights as written. `None`
/// when the value is not an array of 4 or 6 elements.
pub fn bbox_text(raw: &str, b: [f64; 4], decimals: Option<usize>) -> Option<String> {
    let items: Vec<Range<usize>> = scan::elements(raw)?;
    let n = |v: f64| number_text(v, decimals);
    match items.as_slice() {
        [_, _, _, _] => Some(format!(
            "[{}, {}, {}, {}]",
            n(b[0]),
            n(b[1]),
            n(b[2]),
            n(b[3])
        )),
        [_, _, z0, _, _, z1] => Some(format!(
            "[{}, {}, {}, {}, {}, {}]",
            n(b[0]),
            n(b[1]),
            &raw[z0.clone()],
            n(b[2]),
            n(b[3]),
            &raw[z1.clone()]
        )),
        _ => None,
    }
}

fn number_text(v: f64, decimals: Option<usize>) -> String {
    match decimals {
        None => format!("{v}"),
        Some(d) => {
            let s = format!("{v:.d$}");
            if s.contains('.') {
                let t = s.trim_end_matches('0').trim_end_matches('.');
                if t == "-0" { "0".into() } else { t.to_string() }
            } else {
                s
            }
        }
    }
}

/// What a sample of a file's geometries holds: how many features have positions, how many of
/// those have metres (numbers outside longitude/latitude range and above 1000 in size; a
/// latitude/longitude swap is not metres), how many have only degrees, and the metres' ranges.
struct Sample {
    with_positions: usize,
    metres: usize,
    degrees: usize,
    x: (f64, f64),
    y: (f64, f64),
}

fn sample<'a>(geometries: impl Iterator<Item = &'a str>) -> Sample {
    let mut s = Sample {
        with_positions: 0,
        metres: 0,
        degrees: 0,
        x: (f64::MAX, f64::MIN),
        y: (f64::MAX, f64::MIN),
    };
    for g in geometries {
        let mut seen = Seen {
            count: 0,
            metres: false,
            all_degrees: true,
            x: s.x,
            y: s.y,
        };
        // A geometry the walker refuses still counts for the positions before the mistake.
        let _ = walk::walk(g, &mut seen);
        s.x = seen.x;
        s.y = seen.y;
        let any = seen.count > 0;
        s.with_positions += usize::from(any);
        s.metres += usize::from(seen.metres);
        s.degrees += usize::from(any && seen.all_degrees);
    }
    s
}

/// The first [`SAMPLED_POSITIONS`] positions of one geometry: whether they are metres or
/// degrees, and the metres' ranges.
struct Seen {
    count: usize,
    metres: bool,
    all_degrees: bool,
    x: (f64, f64),
    y: (f64, f64),
}

/// Positions of one geometry looked at by [`sample`].
const SAMPLED_POSITIONS: usize = 64;

impl Visitor for Seen {
    fn position(&mut self, p: Position) -> Result<(), WalkError> {
        self.count += 1;
        if self.count > SAMPLED_POSITIONS {
            return Err(WalkError::Refused("enough".into()));
        }
        let (x, y) = (p.x, p.y);
        let outside = !(-180.0..=180.0).contains(&x) || !(-90.0..=90.0).contains(&y);
        self.all_degrees &= !outside;
        if outside && (x.abs() > 1000.0 || y.abs() > 1000.0) {
            self.metres = true;
            self.x = (self.x.0.min(x), self.x.1.max(x));
            self.y = (self.y.0.min(y), self.y.1.max(y));
        }
        Ok(())
    }
}

/// Whether most (90 %) of `n` of `of`.
fn most(n: usize, of: usize) -> bool {
    of > 0 && n * 10 >= of * 9
}

/// Whether a file's coordinates contradict the system its `crs` member names: degrees under a
/// projected system, or metres under a geographic one.
pub fn contradicts<'a>(crs: &Crs, geometries: impl Iterator<Item = &'a str>) -> Option<CrsProblem> {
    let s = sample(geometries);
    let geographic = crs.projection == Projection::Geographic;
    if !geographic && most(s.degrees, s.with_positions) {
        return Some(CrsProblem::DegreesUnderProjected {
            system: crs.label(),
        });
    }
    if geographic && most(s.metres, s.with_positions) {
        return Some(CrsProblem::MetresUnderGeographic {
            system: crs.label(),
            x: s.x,
            y: s.y,
        });
    }
    None
}

/// Whether a file without a usable `crs` looks projected: `Some` when at least 90 % of the
/// sampled features with coordinates have numbers outside longitude/latitude range that are
/// metres (above 1000 in size), with the likely systems from the ranges of the numbers.
/// `geometries` is a sample of the file's geometry texts.
pub fn looks_projected<'a>(geometries: impl Iterator<Item = &'a str>) -> Option<CrsProblem> {
    let s = sample(geometries);
    if !most(s.metres, s.with_positions) {
        return None;
    }
    let ((x0, x1), (y0, y1)) = (s.x, s.y);
    let within = |v0: f64, v1: f64, lo: f64, hi: f64| v0 >= lo && v1 <= hi;
    let likely = if within(x0, x1, 1.0e7, 1.3e7) && within(y0, y1, 0.5e6, 3.0e6) {
        LikelySystem::WebMercator
    } else if within(x0, x1, 1.0e5, 9.0e5) && within(y0, y1, 0.8e6, 2.7e6) {
        LikelySystem::UtmOrVn2000
    } else if within(y0, y1, 1.0e5, 9.0e5) && within(x0, x1, 0.8e6, 2.7e6) {
        LikelySystem::AxesSwapped
    } else {
        LikelySystem::Unknown
    };
    Some(CrsProblem::LooksProjected {
        x: s.x,
        y: s.y,
        likely,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn central_meridian_on_the_equator_is_the_false_easting() {
        // Hand value: on the central meridian at the equator, x = 500 000 m, y = 0.
        for code in [32648, 3405, 9205, 9218] {
            let Some(crs) = Crs::from_epsg(code) else {
                panic!("{code} known")
            };
            let Projection::TransverseMercator { lon0, .. } = crs.projection else {
                panic!("tm")
            };
            let (x, y) = tm_forward(lon0, 0.9996, lon0, 0.0);
            assert!((x - 500_000.0).abs() < 1e-9 && y.abs() < 1e-9, "{x} {y}");
            let (lon, lat) = tm_inverse(lon0, 0.9996, 500_000.0, 0.0);
            assert!((lon - lon0).abs() < 1e-12 && lat.abs() < 1e-12);
        }
    }

    #[test]
    fn meridian_arc_matches_the_published_quarter_meridian() {
        // The WGS84 quarter meridian is 10 001 965.729 m (a published constant); on the
        // central meridian y = k0 · (meridian arc).
        let (_, y) = tm_forward(105.0, 1.0, 105.0, 90.0);
        assert!((y - 10_001_965.729_2).abs() < 1e-3, "{y}");
        // and 1° of latitude about 21° N: 111132.954 − 559.822·cos 2φ + 1.175·cos 4φ m (textbook series).
        let (_, y20) = tm_forward(105.0, 1.0, 105.0, 20.5);
        let (_, y21) = tm_forward(105.0, 1.0, 105.0, 21.5);
        assert!((y21 - y20 - 110_717.0).abs() < 2.0, "{}", y21 - y20);
    }

    #[test]
    fn forward_and_inverse_round_trip() {
        for code in [3857, 32648, 32649, 4756, 3405, 3406, 9205, 9210, 9218] {
            let Some(crs) = Crs::from_epsg(code) else {
                panic!("{code}")
            };
            for (lon, lat) in [(105.8, 21.0), (108.2, 16.05), (106.7, 10.8), (103.5, 22.3)] {
                let (x, y) = crs.from_wgs84(lon, lat);
                let Some((lon2, lat2)) = crs.to_wgs84(x, y) else {
                    panic!("converts")
                };
                // 1e-11° is about a micrometre. Through VN-2000 the datum shift is 2-D: the
                // height it gives (a few metres) is dropped, as PROJ drops it, and the way back
                // starts again from height 0, which leaves about a millimetre (1e-8°).
                let tol = if crs.datum == Datum::Vn2000 {
                    2e-8
                } else {
                    1e-11
                };
                assert!(
                    (lon2 - lon).abs() < tol && (lat2 - lat).abs() < tol,
                    "{code}: {lon},{lat} → {x},{y} → {lon2},{lat2}"
                );
            }
        }
    }

    #[test]
    fn web_mercator_hand_values() {
        // x = a·λ: 90° is a·π/2; y = a·ln tan(45° + φ/2): at 45° N, a·ln(tan 67.5°).
        let crs = Crs::from_epsg(900_913).expect("alias");
        assert_eq!(crs.epsg, 3857);
        let (lon, lat) = crs.to_wgs84(PI / 2.0 * A, 0.0).expect("ok");
        assert!((lon - 90.0).abs() < 1e-12 && lat.abs() < 1e-12);
        let y = A * (67.5f64.to_radians().tan()).ln();
        let (_, lat) = crs.to_wgs84(0.0, y).expect("ok");
        assert!((lat - 45.0).abs() < 1e-12, "{lat}");
    }

    #[test]
    fn helmert_inverse_undoes_forward_and_sign_matters() {
        let p = geocentric(105.8, 21.0);
        let q = helmert(&VN2000_TO_WGS84, p, false);
        let back = helmert(&VN2000_TO_WGS84, q, true);
        for i in 0..3 {
            assert!((back[i] - p[i]).abs() < 1e-8);
        }
        // Position-vector reading of the same numbers (rotations the other way) lands about a
        // metre away: the convention matters.
        let pv = Helmert {
            rx: -VN2000_TO_WGS84.rx,
            ry: -VN2000_TO_WGS84.ry,
            rz: -VN2000_TO_WGS84.rz,
            ..VN2000_TO_WGS84
        };
        let r = helmert(&pv, p, false);
        let d = ((r[0] - q[0]).powi(2) + (r[1] - q[1]).powi(2) + (r[2] - q[2]).powi(2)).sqrt();
        assert!(d > 0.3, "{d}");
        // Geocentric round trip.
        let (lon, lat) = geographic(p);
        assert!((lon - 105.8).abs() < 1e-12 && (lat - 21.0).abs() < 1e-12);
    }

    #[test]
    fn crs_members_in_the_forms_seen() {
        let code = |raw: &str| match declared(raw) {
            Ok(Declared::Supported(c)) => Some(c.epsg),
            Ok(Declared::Wgs84) => None,
            Err(e) => panic!("{raw}: {e:?}"),
        };
        assert_eq!(
            code(r#"{"type":"name","properties":{"name":"EPSG:3405"}}"#),
            Some(3405)
        );
        assert_eq!(
            code(r#"{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::9210"}}"#),
            Some(9210)
        );
        assert_eq!(
            code(r#"{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG:6.6:32648"}}"#),
            Some(32648)
        );
        assert_eq!(
            code(
                r#"{"type":"name","properties":{"name":"http://www.opengis.net/def/crs/EPSG/0/3857"}}"#
            ),
            Some(3857)
        );
        assert_eq!(
            code(r#"{"type":"name","properties":{"name":"ESRI:102100"}}"#),
            Some(3857)
        );
        assert_eq!(
            code(r#"{"type":"EPSG","properties":{"code":3405}}"#),
            Some(3405)
        );
        assert_eq!(
            code(r#"{"type":"EPSG","properties":{"code":"4756"}}"#),
            Some(4756)
        );
        assert_eq!(
            code(r#"{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}}"#),
            None
        );
        assert_eq!(
            code(r#"{"type":"name","properties":{"name":"EPSG:4326"}}"#),
            None
        );
        assert_eq!(code("null"), None);
        assert_eq!(
            declared(r#"{"type":"name","properties":{"name":"EPSG:2154"}}"#),
            Err(CrsProblem::Unsupported {
                name: "EPSG:2154".into()
            })
        );
        assert_eq!(
            declared(r#"{"type":"name","properties":{"name":"Hanoi 1972"}}"#),
            Err(CrsProblem::Unsupported {
                name: "Hanoi 1972".into()
            })
        );
        assert!(matches!(
            declared(r#"{"type":"link","properties":{"href":"x.prj"}}"#),
            Err(CrsProblem::Link { .. })
        ));
    }

    #[test]
    fn geometry_text_keeps_everything_but_the_two_numbers() {
        let crs = Crs::from_epsg(3857).expect("known");
        let g = r#"{"type": "Polygon", "bbox": [1, 2], "coordinates": [[[0, 0, 12.50], [0.0,0, 7], [0, 0]]]}"#;
        let out = geometry_to_wgs84(g, &crs, Some(9)).expect("converts");
        assert_eq!(out.bounds, Some([0.0, 0.0, 0.0, 0.0]));
        assert_eq!(
            out.text,
            r#"{"type": "Polygon", "bbox": [1, 2], "coordinates": [[[0, 0, 12.50], [0,0, 7], [0, 0]]]}"#,
            "a bbox that is not 4 or 6 numbers is left alone"
        );
        // A bbox follows the positions: (a·π/2, 0) is 90° E on the equator.
        let x = PI / 2.0 * A;
        let g = format!(
            r#"{{"type":"GeometryCollection","bbox":[0,0,-5,{x},0,7],"geometries":[{{"type":"Point","bbox":[{x},0,{x},0],"coordinates":[{x},0]}},{{"type":"Point","coordinates":[0,0]}}]}}"#
        );
        let out = geometry_to_wgs84(&g, &crs, Some(9)).expect("converts");
        assert_eq!(out.bounds, Some([0.0, 0.0, 90.0, 0.0]));
        assert_eq!(
            out.text,
            r#"{"type":"GeometryCollection","bbox":[0, 0, -5, 90, 0, 7],"geometries":[{"type":"Point","bbox":[90, 0, 90, 0],"coordinates":[90,0]},{"type":"Point","coordinates":[0,0]}]}"#
        );
        let bad = geometry_to_wgs84(
            r#"{"type":"Point","coordinates":[1e300, 0]}"#,
            &Crs::from_epsg(3405).expect("known"),
            None,
        );
        assert!(
            matches!(bad, Err(InvalidGeometry::Unconvertible { ref x, .. }) if x == "1e300"),
            "{bad:?}"
        );
    }

    #[test]
    fn projected_files_are_recognised_from_their_ranges() {
        let utm = r#"{"type":"Polygon","coordinates":[[[585000,2345000],[586000,2345000],[586000,2346000],[585000,2345000]]]}"#;
        let merc = r#"{"type":"Polygon","coordinates":[[[11777000,2400000],[11778000,2400000],[11778000,2401000],[11777000,2400000]]]}"#;
        let wgs =
            r#"{"type":"Polygon","coordinates":[[[105,21],[105.1,21],[105.1,21.1],[105,21]]]}"#;
        assert_eq!(
            looks_projected([utm, utm].into_iter()),
            Some(CrsProblem::LooksProjected {
                x: (585000.0, 586000.0),
                y: (2345000.0, 2346000.0),
                likely: LikelySystem::UtmOrVn2000
            })
        );
        let m = looks_projected([merc].into_iter());
        assert!(
            matches!(
                m,
                Some(CrsProblem::LooksProjected {
                    likely: LikelySystem::WebMercator,
                    ..
                })
            ),
            "{m:?}"
        );
        // A few bad features among good ones: the file loads (and the finding says which).
        assert_eq!(looks_projected([utm, wgs, wgs].into_iter()), None);
        assert_eq!(looks_projected([wgs].into_iter()), None);
        // Latitude, longitude swapped: out of range, but degrees; each feature's finding says so.
        let swapped =
            r#"{"type":"Polygon","coordinates":[[[21,105],[21,105.1],[21.1,105.1],[21,105]]]}"#;
        assert_eq!(looks_projected([swapped].into_iter()), None);
        assert_eq!(looks_projected(std::iter::empty()), None);
        // A crs that the numbers contradict.
        let utm_crs = Crs::from_epsg(3405).expect("known");
        let m = contradicts(&utm_crs, [wgs, wgs].into_iter()).expect("degrees under metres");
        assert_eq!(
            m,
            CrsProblem::DegreesUnderProjected {
                system: utm_crs.label()
            }
        );
        assert_eq!(contradicts(&utm_crs, [utm, utm].into_iter()), None);
        let vn = Crs::from_epsg(4756).expect("known");
        assert!(contradicts(&vn, [utm].into_iter()).is_some());
        assert_eq!(contradicts(&vn, [wgs].into_iter()), None);
    }
}
