//! Property vocabulary: canonical keys, their Vietnamese and English aliases, and how values
//! are read (numbers written as strings, statuses in Vietnamese, ISO and Vietnamese dates).
//!
//! Reading never changes the file: the document keeps the original text and these functions
//! only interpret it for the figures.

use serde_json::Value;
use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;

/// A canonical property and the names it is also found under. Matching ignores case,
/// diacritics, spaces and punctuation (`"Diện tích đất CN (ha)"` matches `dien_tich_dat_cn_ha`).
pub struct KeySpec {
    pub canonical: &'static str,
    pub aliases: &'static [&'static str],
}

/// Zone properties (DOMAIN.md), in the order the inspector shows them.
pub const ZONE_KEYS: &[KeySpec] = &[
    KeySpec {
        canonical: "zone_id",
        aliases: &["ma_kcn", "ma_khu", "kcn_id", "zone_code", "id_kcn", "ma"],
    },
    KeySpec {
        canonical: "name",
        aliases: &[
            "ten",
            "ten_kcn",
            "ten_khu_cong_nghiep",
            "zone_name",
            "name_vi",
        ],
    },
    KeySpec {
        canonical: "province",
        aliases: &[
            "tinh",
            "tinh_thanh",
            "tinh_thanh_pho",
            "tinh_tp",
            "province_name",
        ],
    },
    KeySpec {
        canonical: "status",
        aliases: &["trang_thai", "tinh_trang", "hien_trang", "zone_status"],
    },
    KeySpec {
        canonical: "zone_type",
        aliases: &["loai_kcn", "loai_hinh", "loai", "type_of_zone"],
    },
    KeySpec {
        canonical: "planned_area_ha",
        aliases: &[
            "dien_tich_quy_hoach",
            "dien_tich_quy_hoach_ha",
            "dt_quy_hoach",
            "dtqh",
            "dien_tich_ha",
            "dien_tich",
            "planned_area",
            "area_planned_ha",
        ],
    },
    KeySpec {
        canonical: "industrial_land_ha",
        aliases: &[
            "dat_cong_nghiep_ha",
            "dat_cong_nghiep",
            "dien_tich_dat_cong_nghiep",
            "dien_tich_dat_cong_nghiep_ha",
            "dien_tich_dat_cn",
            "dien_tich_dat_cn_ha",
            "dat_cn_ha",
            "dat_cn_cho_thue",
            "industrial_land",
            "industrial_area_ha",
            "leasable_land_ha",
        ],
    },
    KeySpec {
        canonical: "service_land_ha",
        aliases: &[
            "dat_dich_vu_ha",
            "dat_dich_vu",
            "dien_tich_dat_dich_vu",
            "dien_tich_dat_dich_vu_ha",
            "service_land",
            "service_area_ha",
        ],
    },
    KeySpec {
        canonical: "developer",
        aliases: &[
            "chu_dau_tu",
            "chu_dau_tu_ha_tang",
            "nha_dau_tu_ha_tang",
            "infrastructure_developer",
        ],
    },
    KeySpec {
        canonical: "decision_no",
        aliases: &[
            "so_quyet_dinh",
            "quyet_dinh",
            "qd_thanh_lap",
            "so_qd",
            "decision",
        ],
    },
    KeySpec {
        canonical: "decision_date",
        aliases: &["ngay_quyet_dinh", "ngay_qd", "ngay_thanh_lap"],
    },
    KeySpec {
        canonical: "phase",
        aliases: &["giai_doan", "phan_khu"],
    },
    KeySpec {
        canonical: "wastewater_plant",
        aliases: &[
            "xu_ly_nuoc_thai",
            "he_thong_xu_ly_nuoc_thai",
            "co_xlnt",
            "xlnt",
            "wwtp",
        ],
    },
    KeySpec {
        canonical: "wastewater_capacity_m3_day",
        aliases: &[
            "cong_suat_xlnt",
            "cong_suat_xu_ly_nuoc_thai",
            "wwtp_capacity_m3_day",
        ],
    },
    KeySpec {
        canonical: "notes",
        aliases: &["ghi_chu", "note", "remarks"],
    },
];

/// Parcel properties (DOMAIN.md).
pub const PARCEL_KEYS: &[KeySpec] = &[
    KeySpec {
        canonical: "parcel_id",
        aliases: &[
            "ma_lo", "so_lo", "lo", "lo_dat", "lot_id", "plot_id", "id_lo",
        ],
    },
    KeySpec {
        canonical: "zone_id",
        aliases: &["ma_kcn", "kcn_id", "id_kcn", "zone_code", "zone"],
    },
    KeySpec {
        canonical: "status",
        aliases: &["trang_thai", "tinh_trang", "hien_trang", "lease_status"],
    },
    KeySpec {
        canonical: "land_use",
        aliases: &["loai_dat", "muc_dich_su_dung", "muc_dich", "landuse", "use"],
    },
    KeySpec {
        canonical: "tenant",
        aliases: &[
            "doanh_nghiep",
            "ten_doanh_nghiep",
            "nha_dau_tu",
            "ben_thue",
            "company",
            "investor",
        ],
    },
    KeySpec {
        canonical: "investor_country",
        aliases: &["quoc_gia", "quoc_tich", "quoc_gia_dau_tu", "country"],
    },
    KeySpec {
        canonical: "investment_type",
        aliases: &["loai_von", "loai_du_an", "fdi_ddi", "loai_dau_tu"],
    },
    KeySpec {
        canonical: "capital_musd",
        aliases: &[
            "von_dau_tu_trieu_usd",
            "von_dau_tu",
            "von_musd",
            "capital",
            "capital_usd_m",
        ],
    },
    KeySpec {
        canonical: "lease_start",
        aliases: &[
            "ngay_thue",
            "ngay_bat_dau",
            "bat_dau_thue",
            "tu_ngay",
            "start_date",
        ],
    },
    KeySpec {
        canonical: "lease_end",
        aliases: &[
            "ngay_het_han",
            "ngay_ket_thuc",
            "het_han_thue",
            "den_ngay",
            "end_date",
        ],
    },
    KeySpec {
        canonical: "industry",
        aliases: &["nganh_nghe", "nganh", "linh_vuc", "sector"],
    },
    KeySpec {
        canonical: "employees",
        aliases: &["so_lao_dong", "lao_dong", "workers"],
    },
];

/// Folds Vietnamese text for matching: lower case, diacritics removed, đ/Đ/Ð → d, and every
/// run of other characters turned into one `_`. `"Tên KCN"` → `ten_kcn`. Composed (NFC) and
/// decomposed (NFD) text fold alike.
pub fn fold_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut gap = false;
    fold_chars(s, |base| {
        if base.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('_');
            }
            gap = false;
            out.push(base);
        } else {
            gap = true;
        }
    });
    out
}

/// Folds text for search: lower case, no diacritics (in any normalisation form; `Ð` read as
/// `Đ`), spaces kept. `"Quế Võ"` → `que vo`, `"Ðông"` → `dong`, `"Müller"` → `muller`.
pub fn fold_text(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    fold_chars(s, |c| out.push(c));
    out
}

/// Each character of `s` lower-cased and without its diacritics; combining marks dropped.
/// Vietnamese letters are looked up ([`strip_diacritic`]); only other letters are decomposed
/// (`ü` → `u`), so that folding a million statuses stays fast.
fn fold_chars(s: &str, mut emit: impl FnMut(char)) {
    for ch in s.chars().flat_map(char::to_lowercase) {
        if ch.is_ascii() {
            emit(ch);
            continue;
        }
        let base = strip_diacritic(ch);
        if base != ch {
            emit(base);
        } else if !is_combining(ch) {
            unicode_normalization::char::decompose_canonical(ch, |d| {
                if !is_combining(d) {
                    emit(strip_diacritic(d));
                }
            });
        }
    }
}

/// Text as Vietnamese should be stored: composed (NFC), and `Ð`/`ð` (U+00D0/U+00F0, the
/// Icelandic eth, often typed for Đ) as `Đ`/`đ` (U+0110/U+0111). Matching ids uses it; the
/// stored text changes only on request (`zoneatlas fix-text --normalize`).
pub fn normalize_text(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    let n: String = s
        .nfc()
        .map(|c| match c {
            'Ð' => 'Đ',
            'ð' => 'đ',
            c => c,
        })
        .collect();
    if n == s {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(n)
    }
}

fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F)
}

/// The base Latin letter of a Vietnamese (lower-case) letter; other characters unchanged.
pub fn strip_diacritic(c: char) -> char {
    const GROUPS: &[(&str, char)] = &[
        ("àáảãạăằắẳẵặâầấẩẫậ", 'a'),
        ("èéẻẽẹêềếểễệ", 'e'),
        ("ìíỉĩị", 'i'),
        ("òóỏõọôồốổỗộơờớởỡợ", 'o'),
        ("ùúủũụưừứửữự", 'u'),
        ("ỳýỷỹỵ", 'y'),
        ("đðđ", 'd'),
    ];
    if c.is_ascii() {
        return c;
    }
    for (set, base) in GROUPS {
        if set.contains(c) {
            return *base;
        }
    }
    c
}

/// Which canonical key (if any) a property name stands for.
pub fn canonical_key(specs: &'static [KeySpec], name: &str) -> Option<&'static str> {
    let folded = fold_key(name);
    specs
        .iter()
        .find(|s| s.canonical == folded || s.aliases.contains(&folded.as_str()))
        .map(|s| s.canonical)
}

/// A number from a JSON value: a number, or a string holding one (`"1.83"`, `"1,83"`,
/// `"6.397,68"`, `"1 250"`). `Err` when the value is present but not a number.
pub fn read_number(v: &Value) -> Result<Option<f64>, NotANumber> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => n
            .as_f64()
            .filter(|x| x.is_finite())
            .map(Some)
            .ok_or(NotANumber),
        Value::String(s) => parse_number_text(s),
        _ => Err(NotANumber),
    }
}

/// Parses a number as people write it in either convention. A single separator followed by
/// exactly three digits (`1.250`, `1,250`) is ambiguous; it is read as a decimal point when it
/// is `.` (the way machines write) and as a decimal comma when it is `,` … except that
/// `1,250` in a hectare field is far more often one thousand two hundred and fifty written the
/// English way. We settle it the way the files we have seen do: the last separator is the
/// decimal one when both appear; a lone `,` is a decimal comma; a lone `.` is a decimal point.
pub fn parse_number_text(s: &str) -> Result<Option<f64>, NotANumber> {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '_'))
        .collect();
    if t.is_empty() {
        return Ok(None);
    }
    let last_dot = t.rfind('.');
    let last_comma = t.rfind(',');
    let normalised = match (last_dot, last_comma) {
        (Some(d), Some(c)) if c > d => t.replace('.', "").replace(',', "."),
        (Some(_), Some(_)) => t.replace(',', ""),
        (None, Some(_)) if t.matches(',').count() == 1 => t.replace(',', "."),
        (None, Some(_)) => t.replace(',', ""),
        (Some(_), None) if t.matches('.').count() > 1 => t.replace('.', ""),
        _ => t,
    };
    normalised
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .map(Some)
        .ok_or(NotANumber)
}

/// Text that is neither empty nor a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotANumber;

/// A zone's status (DOMAIN.md), recognised from English codes and Vietnamese wording.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ZoneStatus {
    Operating,
    UnderConstruction,
    Planned,
}

impl ZoneStatus {
    pub const ALL: [ZoneStatus; 3] = [Self::Operating, Self::UnderConstruction, Self::Planned];

    /// The canonical code written in reports.
    pub fn code(self) -> &'static str {
        match self {
            Self::Operating => "operating",
            Self::UnderConstruction => "under_construction",
            Self::Planned => "planned",
        }
    }

    /// The wording Vietnamese files use.
    pub fn vietnamese(self) -> &'static str {
        match self {
            Self::Operating => "Đang hoạt động",
            Self::UnderConstruction => "Đang xây dựng",
            Self::Planned => "Đã quy hoạch",
        }
    }

    /// Reads a status from its code or Vietnamese/English wording.
    pub fn parse(s: &str) -> Option<Self> {
        let f = fold_key(s);
        if f.is_empty() {
            return None;
        }
        let has = |w: &str| f.contains(w);
        if has("operat")
            || has("hoat_dong")
            || has("van_hanh")
            || f == "active"
            || f == "in_operation"
        {
            Some(Self::Operating)
        } else if has("construct")
            || has("xay_dung")
            || has("giai_phong_mat_bang")
            || has("gpmb")
            || has("den_bu")
            || has("trien_khai")
            || has("site_clearance")
        {
            Some(Self::UnderConstruction)
        } else if has("plan") || has("quy_hoach") || has("chua_thanh_lap") || has("du_kien") {
            Some(Self::Planned)
        } else {
            None
        }
    }
}

/// A parcel's lease status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParcelStatus {
    Leased,
    Vacant,
    Reserved,
}

impl ParcelStatus {
    pub const ALL: [ParcelStatus; 3] = [Self::Leased, Self::Vacant, Self::Reserved];

    pub fn code(self) -> &'static str {
        match self {
            Self::Leased => "leased",
            Self::Vacant => "vacant",
            Self::Reserved => "reserved",
        }
    }

    /// The wording Vietnamese files use.
    pub fn vietnamese(self) -> &'static str {
        match self {
            Self::Leased => "Đã cho thuê",
            Self::Vacant => "Chưa cho thuê",
            Self::Reserved => "Giữ chỗ",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        // The canonical codes, as most files write them, need no folding.
        match s {
            "leased" => return Some(Self::Leased),
            "vacant" => return Some(Self::Vacant),
            "reserved" => return Some(Self::Reserved),
            _ => {}
        }
        let f = fold_key(s);
        // "chua cho thue" (not yet leased) must be tested before "cho thue" (leased).
        if f.contains("vacant")
            || f.contains("chua")
            || f.contains("trong")
            || f == "available"
            || f == "free"
            || f.contains("con_lai")
        {
            Some(Self::Vacant)
        } else if f.contains("reserv")
            || f.contains("giu_cho")
            || f.contains("dat_coc")
            || f.contains("du_tru")
            || f.contains("dang_dam_phan")
        {
            Some(Self::Reserved)
        } else if f.contains("lease")
            || f.contains("cho_thue")
            || f.contains("da_thue")
            || f == "rented"
            || f == "occupied"
            || f.contains("thue_lai")
        {
            Some(Self::Leased)
        } else {
            None
        }
    }
}

/// Parcel land use for the Decree 35 basis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LandUse {
    Industrial,
    Service,
}

impl LandUse {
    pub const ALL: [LandUse; 2] = [Self::Industrial, Self::Service];

    /// The canonical code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Industrial => "industrial",
            Self::Service => "service",
        }
    }

    /// The wording Vietnamese files use.
    pub fn vietnamese(self) -> &'static str {
        match self {
            Self::Industrial => "Đất công nghiệp",
            Self::Service => "Đất dịch vụ",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "industrial" => return Some(Self::Industrial),
            "service" => return Some(Self::Service),
            _ => {}
        }
        let f = fold_key(s);
        if f.contains("industr") || f.contains("cong_nghiep") || f == "cn" || f == "skc" {
            Some(Self::Industrial)
        } else if f.contains("service") || f.contains("dich_vu") || f == "dv" || f == "tmd" {
            Some(Self::Service)
        } else {
            None
        }
    }
}

/// A calendar date as days since 1970-01-01 (proleptic Gregorian).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub i32);

impl Date {
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Option<Self> {
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return None;
        }
        // Howard Hinnant's days_from_civil.
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m as i32 + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d as i32 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Date(era * 146_097 + doe - 719_468))
    }

    pub fn ymd(self) -> (i32, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + i32::from(m <= 2);
        (y, m, d)
    }

    /// Reads `yyyy-mm-dd` (ISO, also with a time part), `dd/mm/yyyy` or `dd-mm-yyyy`
    /// (Vietnamese), or a bare year.
    pub fn parse(s: &str) -> Option<Self> {
        // Plain `yyyy-mm-dd`, as most files write dates, read directly.
        if let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *s.as_bytes()
            && [y0, y1, y2, y3, m0, m1, d0, d1]
                .iter()
                .all(u8::is_ascii_digit)
        {
            let n = |digits: &[u8]| {
                digits
                    .iter()
                    .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'))
            };
            // Four digits fit an i32.
            let y = n(&[y0, y1, y2, y3]) as i32;
            return Self::from_ymd(y, n(&[m0, m1]), n(&[d0, d1]));
        }
        let w = WrittenDate::read(s)?;
        Self::from_ymd(w.year, w.month, w.day)
    }

    pub fn iso(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{y:04}-{m:02}-{d:02}")
    }
}

/// The order and separator of a date as written: `31/12/2024` is day first with `/`,
/// `2024-12-31` year first with `-`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateForm {
    pub day_first: bool,
    pub separator: char,
}

impl DateForm {
    pub const ISO: DateForm = DateForm {
        day_first: false,
        separator: '-',
    };
}

/// A date as a text writes it, whether or not that day exists: its numbers, its form
/// (`None` for a bare year) and what follows the date (a time, `T00:00:00Z`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WrittenDate<'a> {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub form: Option<DateForm>,
    pub rest: &'a str,
}

impl<'a> WrittenDate<'a> {
    /// Reads the forms [`Date::parse`] accepts.
    pub fn read(s: &'a str) -> Option<WrittenDate<'a>> {
        let s = s.trim();
        let (date, rest) = s.split_at(s.find(['T', ' ']).unwrap_or(s.len()));
        let parts: Vec<&str> = date.split(['-', '/', '.']).collect();
        let num = |p: &str| p.parse::<i32>().ok();
        let form = |day_first| {
            date.chars()
                .find(|c| matches!(c, '-' | '/' | '.'))
                .map(|separator| DateForm {
                    day_first,
                    separator,
                })
        };
        let (year, month, day, form) = match parts.as_slice() {
            [y, m, d] if y.len() == 4 => (num(y)?, num(m)?, num(d)?, form(false)),
            [d, m, y] if y.len() == 4 => (num(y)?, num(m)?, num(d)?, form(true)),
            [y] if y.len() == 4 => (num(y)?, 1, 1, None),
            _ => return None,
        };
        Some(WrittenDate {
            year,
            month: month as u32,
            day: day as u32,
            form,
            rest,
        })
    }
}

/// The days of month `m` (1–12) of year `y`.
pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// A boolean from `true`, `1`, `"có"`, `"yes"`, `"x"`…
pub fn read_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_f64().map(|x| x != 0.0),
        Value::String(s) => match fold_key(s).as_str() {
            "true" | "yes" | "y" | "x" | "1" | "co" | "da_co" | "dat" => Some(true),
            "false" | "no" | "n" | "0" | "khong" | "chua" | "chua_co" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// The text of a value for display: strings as they are, other values as JSON.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_fold_and_match_aliases() {
        assert_eq!(fold_key("Tên KCN"), "ten_kcn");
        assert_eq!(fold_key("Diện tích đất CN (ha)"), "dien_tich_dat_cn_ha");
        assert_eq!(
            canonical_key(ZONE_KEYS, "Diện tích đất CN (ha)"),
            Some("industrial_land_ha")
        );
        assert_eq!(
            canonical_key(ZONE_KEYS, "INDUSTRIAL_LAND_HA"),
            Some("industrial_land_ha")
        );
        assert_eq!(canonical_key(ZONE_KEYS, "Tỉnh"), Some("province"));
        assert_eq!(canonical_key(PARCEL_KEYS, "Trạng thái"), Some("status"));
        assert_eq!(canonical_key(PARCEL_KEYS, "colour"), None);
        assert_eq!(fold_text("KCN Quế Võ ĐẠI ĐỒNG"), "kcn que vo dai dong");
        // Ð (U+00D0, Icelandic eth) is often typed for Đ.
        assert_eq!(fold_text("\u{d0}ông Mai"), "dong mai");
        // Decomposed (NFD) text folds like composed text.
        assert_eq!(fold_text("Que\u{302}\u{301} Vo\u{303}"), "que vo");
        assert_eq!(fold_key("Di\u{ea}\u{323}n ti\u{301}ch"), "dien_tich");
        assert_eq!(
            canonical_key(ZONE_KEYS, "Te\u{302}n KCN"),
            canonical_key(ZONE_KEYS, "Tên KCN")
        );
        // Search: "đông" and "dong" both find "Ðông …" (eth) and its decomposed spelling.
        for name in ["\u{d0}ông Thọ", "Đo\u{302}ng Thọ"] {
            assert!(fold_text(name).contains(&fold_text("đông")), "{name}");
            assert!(fold_text(name).contains(&fold_text("dong")), "{name}");
        }
        assert_eq!(fold_text("Müller Façade"), "muller facade");
    }

    #[test]
    fn numbers_written_as_strings() {
        assert_eq!(read_number(&json!(1.83)), Ok(Some(1.83)));
        assert_eq!(read_number(&json!("1.83")), Ok(Some(1.83)));
        assert_eq!(read_number(&json!("1,83")), Ok(Some(1.83)));
        assert_eq!(read_number(&json!("6.397,68")), Ok(Some(6397.68)));
        assert_eq!(read_number(&json!("6,397.68")), Ok(Some(6397.68)));
        assert_eq!(read_number(&json!("1 250")), Ok(Some(1250.0)));
        assert_eq!(read_number(&json!("")), Ok(None));
        assert_eq!(read_number(&json!(null)), Ok(None));
        assert!(read_number(&json!("n/a")).is_err());
        assert!(read_number(&json!(true)).is_err());
    }

    #[test]
    fn statuses_in_vietnamese_and_english() {
        use ZoneStatus::*;
        assert_eq!(ZoneStatus::parse("Đang hoạt động"), Some(Operating));
        assert_eq!(ZoneStatus::parse("operating"), Some(Operating));
        assert_eq!(
            ZoneStatus::parse("Đang xây dựng hạ tầng"),
            Some(UnderConstruction)
        );
        assert_eq!(
            ZoneStatus::parse("Đang giải phóng mặt bằng"),
            Some(UnderConstruction)
        );
        assert_eq!(
            ZoneStatus::parse("under_construction"),
            Some(UnderConstruction)
        );
        assert_eq!(ZoneStatus::parse("Đã quy hoạch"), Some(Planned));
        assert_eq!(ZoneStatus::parse("planned"), Some(Planned));
        assert_eq!(ZoneStatus::parse("???"), None);
        use ParcelStatus::*;
        assert_eq!(ParcelStatus::parse("Đã cho thuê"), Some(Leased));
        assert_eq!(ParcelStatus::parse("Chưa cho thuê"), Some(Vacant));
        assert_eq!(ParcelStatus::parse("leased"), Some(Leased));
        assert_eq!(ParcelStatus::parse("Vacant"), Some(Vacant));
        assert_eq!(ParcelStatus::parse("reserved"), Some(Reserved));
        assert_eq!(ParcelStatus::parse("Giữ chỗ"), Some(Reserved));
    }

    #[test]
    fn vocabulary_in_decomposed_text_and_with_eth() {
        // NFD, typed independently: a + U+0323 (dot below), o + U+0302 (circumflex) + U+0323.
        let nfd = "\u{110}ang hoa\u{323}t \u{111}o\u{323}\u{302}ng";
        assert_eq!(nfd, "Đang hoạt động".nfd().collect::<String>());
        assert_eq!(ZoneStatus::parse(nfd), Some(ZoneStatus::Operating));
        let eth = "\u{d0}ang hoạt \u{f0}ộng";
        assert_eq!(ZoneStatus::parse(eth), Some(ZoneStatus::Operating));
        assert_eq!(
            ZoneStatus::parse("\u{d0}ang xa\u{302}y du\u{31b}\u{323}ng"),
            Some(ZoneStatus::UnderConstruction)
        );
        assert_eq!(
            ParcelStatus::parse("\u{d0}a\u{303} cho thue\u{302}"),
            Some(ParcelStatus::Leased)
        );
        assert_eq!(
            ParcelStatus::parse("Chu\u{31b}a cho thue\u{302}"),
            Some(ParcelStatus::Vacant)
        );
        assert_eq!(
            LandUse::parse("\u{d0}a\u{302}\u{301}t di\u{323}ch vu\u{323}"),
            Some(LandUse::Service)
        );
    }

    #[test]
    fn normalised_text() {
        assert_eq!(normalize_text("KCN-01"), "KCN-01");
        assert!(matches!(normalize_text("Quế Võ"), Cow::Borrowed(_)));
        assert_eq!(normalize_text("Que\u{302}\u{301} Vo\u{303}"), "Quế Võ");
        assert_eq!(
            normalize_text("\u{d0}ông \u{f0}ộng"),
            "\u{110}ông \u{111}ộng"
        );
    }

    #[test]
    fn dates_iso_and_vietnamese() {
        let d = Date::parse("2023-06-30").expect("iso");
        assert_eq!(d.ymd(), (2023, 6, 30));
        assert_eq!(Date::parse("30/06/2023"), Some(d));
        assert_eq!(Date::parse("2023-06-30T00:00:00Z"), Some(d));
        assert_eq!(Date::from_ymd(1970, 1, 1), Some(Date(0)));
        assert_eq!(Date::from_ymd(2000, 3, 1).map(|d| d.0), Some(11_017));
        assert_eq!(Date::parse("2023-02-29"), None);
        assert_eq!(
            Date::parse("2024-02-29").map(|d| d.iso()),
            Some("2024-02-29".into())
        );
        assert_eq!(Date::parse("soon"), None);
    }
}
