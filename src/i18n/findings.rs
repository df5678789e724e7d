//! Findings and value problems in words. English hectares keep the plain `1234.5678` the
//! command line has always printed (scripts read them); Vietnamese ones are grouped the
//! Vietnamese way (`1.234,5678`). Coordinates are written as GIS tools write them, with a
//! point, in both languages. What a JSON parser said about broken text is quoted as it said it.

use serde_json::Value;

use super::numbers::{fmt_date, fmt_number, fmt_plain};
use super::{Lang, Message};
use crate::engine::attributes::{Choices, ValueProblem};
use crate::engine::figures::FillBasis;
use crate::engine::findings::{BboxOwner, BboxProblem, Fallback, Finding, FindingKind};
use crate::engine::geometry::{GeometryProblem, InvalidGeometry, Ring};

impl Message for Finding {
    fn message(&self, lang: Lang) -> String {
        self.kind.message(lang)
    }
}

/// Hectares (or another measure) with `decimals` places: plain in English, grouped in
/// Vietnamese.
fn num(x: f64, decimals: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{x:.decimals$}"),
        Lang::Vi => fmt_number(x, decimals, lang),
    }
}

fn pick(lang: Lang, en: String, vi: String) -> String {
    match lang {
        Lang::En => en,
        Lang::Vi => vi,
    }
}

impl Message for FindingKind {
    fn message(&self, lang: Lang) -> String {
        let ha = |x: f64| num(x, 4, lang);
        match self {
            Self::UnusableGeometry(p) => pick(
                lang,
                format!("{}; left out of the figures, kept in the file", p.message(lang)),
                format!(
                    "{}; không được tính vào số liệu, vẫn giữ trong tệp",
                    p.message(lang)
                ),
            ),
            Self::BadValue { key, problem } => pick(
                lang,
                format!(
                    "property \"{key}\": {}; treated as missing",
                    problem.message(lang)
                ),
                format!(
                    "thuộc tính \"{key}\": {}; coi như không có",
                    problem.message(lang)
                ),
            ),
            Self::DuplicateId { other } => pick(
                lang,
                format!("has the same id as feature #{other}"),
                format!("trùng mã với đối tượng #{other}"),
            ),
            Self::ParcelInNoZone => pick(
                lang,
                "lies in no zone and names none; it counts in no figure".into(),
                "không nằm trong KCN nào và không ghi mã KCN; không được tính vào số liệu nào"
                    .into(),
            ),
            Self::UnknownZoneId {
                zone_ref,
                placed_in,
            } => match (lang, placed_in) {
                (Lang::En, Some(z)) => {
                    format!("zone_id \"{zone_ref}\" names no zone; placed by its geometry in {z}")
                }
                (Lang::En, None) => {
                    format!("zone_id \"{zone_ref}\" names no zone; it lies in no zone")
                }
                (Lang::Vi, Some(z)) => {
                    format!("zone_id \"{zone_ref}\" không khớp KCN nào; xếp vào {z} theo vị trí")
                }
                (Lang::Vi, None) => {
                    format!("zone_id \"{zone_ref}\" không khớp KCN nào; lô không nằm trong KCN nào")
                }
            },
            Self::ParcelStraddlesZone {
                zone,
                outside_ha,
                area_ha,
                wholly_outside,
            } => match (lang, wholly_outside) {
                (Lang::En, true) => {
                    format!("lies wholly outside its zone {zone} ({} ha)", ha(*area_ha))
                }
                (Lang::En, false) => format!(
                    "sticks out of its zone {zone}: {} ha of its {} ha lie outside and do not count",
                    ha(*outside_ha),
                    ha(*area_ha)
                ),
                (Lang::Vi, true) => {
                    format!("nằm hoàn toàn ngoài KCN {zone} của nó ({} ha)", ha(*area_ha))
                }
                (Lang::Vi, false) => format!(
                    "nhô ra ngoài KCN {zone}: {} trong {} ha nằm ngoài và không được tính",
                    ha(*outside_ha),
                    ha(*area_ha)
                ),
            },
            Self::ParcelsOverlap {
                other,
                other_id,
                overlap_ha,
                both_leased,
            } => pick(
                lang,
                format!(
                    "overlaps parcel {other_id} (#{other}) by {} ha{}",
                    ha(*overlap_ha),
                    if *both_leased {
                        "; both are leased, the overlap is counted once"
                    } else {
                        ""
                    }
                ),
                format!(
                    "chồng lấn lô {other_id} (#{other}) {} ha{}",
                    ha(*overlap_ha),
                    if *both_leased {
                        "; cả hai đều đã cho thuê, phần chồng lấn chỉ tính một lần"
                    } else {
                        ""
                    }
                ),
            ),
            Self::LeasedExceedsDenominator {
                leased_ha,
                denominator_ha,
                basis,
            } => pick(
                lang,
                format!(
                    "{} ha leased is more than the {} ha of {}",
                    ha(*leased_ha),
                    ha(*denominator_ha),
                    basis_of(*basis, lang)
                ),
                format!(
                    "{} ha đã cho thuê, nhiều hơn {} ha {}",
                    ha(*leased_ha),
                    ha(*denominator_ha),
                    basis_of(*basis, lang)
                ),
            ),
            Self::AreaDiffersFromPlan {
                measured_ha,
                planned_ha,
            } => {
                let pct = 100.0 * (measured_ha - planned_ha) / planned_ha;
                match lang {
                    Lang::En => format!(
                        "measured area {measured_ha:.2} ha is {pct:+.1} % from planned_area_ha {planned_ha:.2} ha"
                    ),
                    Lang::Vi => format!(
                        "diện tích đo được {} ha lệch {}{} % so với diện tích quy hoạch {} ha",
                        num(*measured_ha, 2, lang),
                        if measured_ha >= planned_ha { "+" } else { "−" },
                        num(pct.abs(), 1, lang),
                        num(*planned_ha, 2, lang)
                    ),
                }
            }
            Self::NoDenominator(fallback) => match (lang, fallback) {
                (Lang::En, Fallback::ParcelInventory { lots_ha }) => format!(
                    "no industrial_land_ha: the fill rate divides by the land of its lots ({} ha)",
                    ha(*lots_ha)
                ),
                (Lang::Vi, Fallback::ParcelInventory { lots_ha }) => format!(
                    "không có diện tích đất công nghiệp: tỷ lệ lấp đầy chia cho diện tích các lô ({} ha)",
                    ha(*lots_ha)
                ),
                (Lang::En, Fallback::GrossArea) => "no industrial_land_ha and no inventory of vacant lots: the fill rate divides by the gross area, which is not a legal basis".into(),
                (Lang::Vi, Fallback::GrossArea) => "không có diện tích đất công nghiệp và không có danh mục lô trống: tỷ lệ lấp đầy chia cho diện tích tự nhiên, không phải cơ sở pháp lý".into(),
                (Lang::En, Fallback::Nothing) => {
                    "no industrial_land_ha and no usable geometry: no fill rate".into()
                }
                (Lang::Vi, Fallback::Nothing) => "không có diện tích đất công nghiệp và không có hình học dùng được: không có tỷ lệ lấp đầy".into(),
            },
            Self::LeaseEnded { end, as_of } => {
                let end = fmt_date(*end, lang);
                match (lang, as_of.map(|d| fmt_date(d, lang))) {
                    (Lang::En, None) => format!(
                        "is marked leased, but its lease ended on {end}; it still counts as leased"
                    ),
                    (Lang::En, Some(d)) => format!(
                        "is marked leased, but its lease ended on {end}, before {d}; as of {d} it counts as vacant"
                    ),
                    (Lang::Vi, None) => format!(
                        "ghi là đã cho thuê nhưng hợp đồng thuê đã hết hạn ngày {end}; vẫn được tính là đã cho thuê"
                    ),
                    (Lang::Vi, Some(d)) => format!(
                        "ghi là đã cho thuê nhưng hợp đồng thuê đã hết hạn ngày {end}, trước ngày {d}; tính đến ngày {d}, lô được tính là chưa cho thuê"
                    ),
                }
            }
            Self::WrongBbox { owner, problem } => bbox(*owner, problem, lang),
            Self::StatusMissing => pick(
                lang,
                "has no status while the other lots give theirs; it counts as vacant".into(),
                "không ghi trạng thái trong khi các lô khác có ghi; được tính là chưa cho thuê"
                    .into(),
            ),
            Self::ZonesOverlap {
                other: _,
                other_id,
                other_name,
                overlap_ha,
            } => pick(
                lang,
                format!(
                    "overlaps zone {other_id} ({other_name}) by {} ha; the totals count that land twice",
                    ha(*overlap_ha)
                ),
                format!(
                    "chồng lấn KCN {other_id} ({other_name}) {} ha; tổng diện tích tính phần đất đó hai lần",
                    ha(*overlap_ha)
                ),
            ),
            Self::GapBetweenLots {
                other,
                other_id,
                gap_m2,
                x,
                y,
            } => pick(
                lang,
                format!(
                    "leaves a gap of {} m² between it and parcel {other_id} (#{other}), which shared an edge with it, near ({x:.6}, {y:.6}); that land is in neither lot",
                    num(*gap_m2, 2, lang)
                ),
                format!(
                    "để lại khe hở {} m² giữa hai lô: lô này và lô {other_id} (#{other}) vốn chung cạnh, gần ({x:.6}, {y:.6}); phần đất đó không thuộc lô nào",
                    num(*gap_m2, 2, lang)
                ),
            ),
        }
    }
}

/// What a fill rate divided by, as a finding says it.
fn basis_of(basis: FillBasis, lang: Lang) -> &'static str {
    match (lang, basis) {
        (Lang::En, FillBasis::IndustrialLand) => "industrial land (industrial_land_ha)",
        (Lang::Vi, FillBasis::IndustrialLand) => "đất công nghiệp (industrial_land_ha)",
        (Lang::En, FillBasis::ParcelInventory) => "its lots",
        (Lang::Vi, FillBasis::ParcelInventory) => "của các lô",
        (Lang::En, FillBasis::GrossArea) => "its gross area",
        (Lang::Vi, FillBasis::GrossArea) => "diện tích tự nhiên",
    }
}

fn edges_text(e: &[f64; 4]) -> String {
    format!("[{}, {}, {}, {}]", e[0], e[1], e[2], e[3])
}

fn bbox(owner: BboxOwner, problem: &BboxProblem, lang: Lang) -> String {
    let unreadable = match (lang, problem) {
        (Lang::En, BboxProblem::NotNumbers { text }) => {
            Some(format!("bbox {text} is not an array of numbers"))
        }
        (Lang::Vi, BboxProblem::NotNumbers { text }) => {
            Some(format!("bbox {text} không phải là một mảng số"))
        }
        (Lang::En, BboxProblem::WrongCount(n)) => Some(format!(
            "bbox has {n} numbers; it needs 4 (or 6 with heights)"
        )),
        (Lang::Vi, BboxProblem::WrongCount(n)) => {
            Some(format!("bbox có {n} số; cần 4 (hoặc 6 nếu có độ cao)"))
        }
        (Lang::En, BboxProblem::SouthAboveNorth { text }) => Some(format!(
            "bbox {text} has its south edge above its north edge"
        )),
        (Lang::Vi, BboxProblem::SouthAboveNorth { text }) => {
            Some(format!("bbox {text} có cạnh nam nằm trên cạnh bắc"))
        }
        (_, BboxProblem::Misses { .. }) => None,
    };
    if let Some(why) = unreadable {
        return match (lang, owner) {
            (Lang::En, BboxOwner::Collection) => {
                format!("the collection's {why}; it is kept as it is")
            }
            (Lang::En, _) => format!("{why}; it is kept as it is"),
            (Lang::Vi, BboxOwner::Collection) => format!("của cả tệp: {why}; vẫn giữ nguyên"),
            (Lang::Vi, _) => format!("{why}; vẫn giữ nguyên"),
        };
    }
    let BboxProblem::Misses { text, spans } = problem else {
        return String::new();
    };
    let spans = edges_text(spans);
    match (lang, owner) {
        (Lang::En, BboxOwner::Collection) => format!(
            "the collection's bbox {text} does not contain all its features, which span {spans}"
        ),
        (Lang::Vi, BboxOwner::Collection) => {
            format!("bbox {text} của cả tệp không chứa hết các đối tượng (trải trên {spans})")
        }
        (Lang::En, owner) => format!(
            "{} {text} does not contain the geometry, which spans {spans}; other tools may not find the feature where it is",
            if owner == BboxOwner::Geometry {
                "geometry bbox"
            } else {
                "bbox"
            }
        ),
        (Lang::Vi, owner) => format!(
            "{} {text} không chứa hình học (trải trên {spans}); phần mềm khác có thể không tìm thấy đối tượng ở đúng chỗ",
            if owner == BboxOwner::Geometry {
                "bbox của hình học"
            } else {
                "bbox"
            }
        ),
    }
}

fn ring(r: Ring, lang: Lang) -> &'static str {
    match (lang, r) {
        (Lang::En, Ring::Exterior) => "exterior ring",
        (Lang::En, Ring::Hole) => "hole",
        (Lang::Vi, Ring::Exterior) => "vòng ngoài",
        (Lang::Vi, Ring::Hole) => "lỗ thủng",
    }
}

impl Message for GeometryProblem {
    fn message(&self, lang: Lang) -> String {
        match (lang, self) {
            (Lang::En, Self::Missing) => "has no geometry".into(),
            (Lang::Vi, Self::Missing) => "không có hình học".into(),
            (_, Self::NotAreal { kind, collections }) => {
                let of = match lang {
                    Lang::En => "GeometryCollection of ",
                    Lang::Vi => "GeometryCollection gồm ",
                };
                let t = format!("{}{kind}", of.repeat(*collections));
                pick(
                    lang,
                    format!("has a {t} geometry; only Polygon and MultiPolygon have an area"),
                    format!("có hình học {t}; chỉ Polygon và MultiPolygon có diện tích"),
                )
            }
            (Lang::En, Self::Invalid(why)) => {
                format!("has invalid geometry: {}", why.message(lang))
            }
            (Lang::Vi, Self::Invalid(why)) => {
                format!("có hình học không hợp lệ: {}", why.message(lang))
            }
            (_, Self::MalformedFeature(why)) => why.message(lang),
            (Lang::En, Self::OutOfRange { x, y }) => format!(
                "has coordinates ({x}, {y}) outside longitude/latitude range; they look projected (metres, e.g. VN-2000 / UTM or Web Mercator), and GeoJSON must be WGS84 degrees"
            ),
            (Lang::Vi, Self::OutOfRange { x, y }) => format!(
                "có tọa độ ({x}, {y}) ngoài phạm vi kinh độ/vĩ độ; có vẻ là tọa độ phẳng (mét, ví dụ VN-2000 / UTM hoặc Web Mercator), trong khi GeoJSON phải dùng độ WGS84"
            ),
            (Lang::En, Self::SelfIntersecting { ring: r, x, y }) => format!(
                "has a self-intersecting {}: its edges cross or touch near ({x:.6}, {y:.6}), so its area is not defined",
                ring(*r, lang)
            ),
            (Lang::Vi, Self::SelfIntersecting { ring: r, x, y }) => format!(
                "có {} tự cắt: các cạnh cắt hoặc chạm nhau gần ({x:.6}, {y:.6}), nên diện tích không xác định",
                ring(*r, lang)
            ),
            (Lang::En, Self::CrossesAntimeridian { from, to }) => format!(
                "has a ring that crosses the antimeridian (an edge from longitude {from} to {to}); RFC 7946 asks for such geometry to be cut in two, and no zone in Vietnam lies there"
            ),
            (Lang::Vi, Self::CrossesAntimeridian { from, to }) => format!(
                "có vòng cắt qua kinh tuyến 180° (một cạnh từ kinh độ {from} đến {to}); RFC 7946 yêu cầu cắt hình học đó làm hai, và không KCN nào của Việt Nam nằm ở đó"
            ),
        }
    }
}

impl Message for InvalidGeometry {
    fn message(&self, lang: Lang) -> String {
        match (lang, self) {
            (Lang::En, Self::Empty) => "no coordinates (empty geometry)".into(),
            (Lang::Vi, Self::Empty) => "không có tọa độ (hình học rỗng)".into(),
            (Lang::En, Self::NoCoordinates) => "no coordinates".into(),
            (Lang::Vi, Self::NoCoordinates) => "không có tọa độ".into(),
            (Lang::En, Self::NestedTooDeeply) => "GeometryCollection nested too deeply".into(),
            (Lang::Vi, Self::NestedTooDeeply) => "GeometryCollection lồng nhau quá sâu".into(),
            (Lang::En, Self::UnknownType(t)) => format!("unknown geometry type \"{t}\""),
            (Lang::Vi, Self::UnknownType(t)) => format!("kiểu hình học không xác định \"{t}\""),
            (Lang::En, Self::WithoutCoordinates { kind }) => {
                format!("{kind} without \"coordinates\"")
            }
            (Lang::Vi, Self::WithoutCoordinates { kind }) => {
                format!("{kind} không có \"coordinates\"")
            }
            (Lang::En, Self::Coordinates { kind, detail }) => {
                format!("{kind} coordinates: {detail}")
            }
            (Lang::Vi, Self::Coordinates { kind, detail }) => {
                format!("không đọc được tọa độ của {kind}: {detail}")
            }
            (Lang::En, Self::Unreadable { detail }) => detail.clone(),
            (Lang::Vi, Self::Unreadable { detail }) => format!("không đọc được: {detail}"),
            (Lang::En, Self::RingTooShort { ring: r, positions }) => format!(
                "{} has {positions} positions; a closed ring needs at least 4",
                ring(*r, lang)
            ),
            (Lang::Vi, Self::RingTooShort { ring: r, positions }) => format!(
                "{} có {positions} điểm; một vòng khép kín cần ít nhất 4",
                ring(*r, lang)
            ),
            (Lang::En, Self::RingNotClosed { ring: r }) => format!(
                "{} is not closed (its first and last positions differ)",
                ring(*r, lang)
            ),
            (Lang::Vi, Self::RingNotClosed { ring: r }) => format!(
                "{} không khép kín (điểm đầu và điểm cuối khác nhau)",
                ring(*r, lang)
            ),
            (Lang::En, Self::RingOnALine { ring: r }) => {
                format!("{} has no area (all positions on a line)", ring(*r, lang))
            }
            (Lang::Vi, Self::RingOnALine { ring: r }) => format!(
                "{} không có diện tích (mọi điểm nằm trên một đường thẳng)",
                ring(*r, lang)
            ),
            (Lang::En, Self::RingWithoutArea { ring: r }) => {
                format!("{} has no area", ring(*r, lang))
            }
            (Lang::Vi, Self::RingWithoutArea { ring: r }) => {
                format!("{} không có diện tích", ring(*r, lang))
            }
            (Lang::En, Self::Unconvertible { x, y, system }) => format!(
                "position ({x}, {y}) cannot be converted from {system} to longitude/latitude"
            ),
            (Lang::Vi, Self::Unconvertible { x, y, system }) => {
                format!("điểm ({x}, {y}) không chuyển được từ {system} sang kinh độ/vĩ độ")
            }
        }
    }
}

/// What a list holds, as a problem names it.
fn list_words(choices: Choices, lang: Lang) -> &'static str {
    match (lang, choices) {
        (Lang::En, Choices::ZoneStatus) => "zone status",
        (Lang::Vi, Choices::ZoneStatus) => "tình trạng KCN",
        (Lang::En, Choices::ParcelStatus) => "parcel status (leased, vacant, reserved)",
        (Lang::Vi, Choices::ParcelStatus) => "tình trạng lô đất (đã cho thuê, còn trống, giữ lại)",
        (Lang::En, Choices::LandUse) => "land use (industrial, service)",
        (Lang::Vi, Choices::LandUse) => "loại đất (công nghiệp, dịch vụ)",
        (Lang::En, Choices::ZoneType) => "zone type",
        (Lang::Vi, Choices::ZoneType) => "loại hình KCN",
        (Lang::En, Choices::InvestmentType) => "investment type (FDI, DDI)",
        (Lang::Vi, Choices::InvestmentType) => "loại hình đầu tư (FDI, DDI)",
    }
}

impl Message for ValueProblem {
    fn message(&self, lang: Lang) -> String {
        match (lang, self) {
            (Lang::En, Self::NotANumber { value }) => match value {
                Value::String(s) => format!("\"{s}\" is not a number"),
                other => format!("{other} is not a number"),
            },
            (Lang::Vi, Self::NotANumber { value }) => match value {
                Value::String(s) => format!("\"{s}\" không phải là số"),
                other => format!("{other} không phải là số"),
            },
            (Lang::En, Self::NotYesOrNo(v)) => format!("{v} is neither yes nor no"),
            (Lang::Vi, Self::NotYesOrNo(v)) => format!("{v} không phải là có hay không"),
            (Lang::En, Self::Negative(x)) => format!("{} is negative", fmt_plain(*x, lang)),
            (Lang::Vi, Self::Negative(x)) => format!("{} là số âm", fmt_plain(*x, lang)),
            (Lang::En, Self::NotADate(t)) => {
                format!("\"{t}\" is not a date (yyyy-mm-dd or dd/mm/yyyy)")
            }
            (Lang::Vi, Self::NotADate(t)) => {
                format!("\"{t}\" không phải là ngày (dd/mm/yyyy hoặc yyyy-mm-dd)")
            }
            (
                Lang::En,
                Self::NoSuchDay {
                    text,
                    year,
                    month,
                    days,
                },
            ) => {
                format!("\"{text}\" is not a date: month {month} of {year} has {days} days")
            }
            (
                Lang::Vi,
                Self::NoSuchDay {
                    text,
                    year,
                    month,
                    days,
                },
            ) => format!(
                "\"{text}\" không phải là ngày có thật: tháng {month} năm {year} chỉ có {days} ngày"
            ),
            (
                Lang::En,
                Self::AmbiguousNumber {
                    text,
                    thousands,
                    decimal,
                },
            ) => {
                let mark = if text.contains(',') { "comma" } else { "point" };
                format!(
                    "\"{text}\" could be {} (a thousands {mark}) or {} (a decimal {mark}): type {0} or {1}",
                    fmt_plain(*thousands, lang),
                    fmt_plain(*decimal, lang)
                )
            }
            (
                Lang::Vi,
                Self::AmbiguousNumber {
                    text,
                    thousands,
                    decimal,
                },
            ) => {
                let mark = if text.contains(',') {
                    "dấu phẩy"
                } else {
                    "dấu chấm"
                };
                format!(
                    "\"{text}\" có thể là {} ({mark} phân cách hàng nghìn) hoặc {} ({mark} thập phân): hãy gõ {0} hoặc {1}",
                    fmt_plain(*thousands, lang),
                    fmt_plain(*decimal, lang)
                )
            }
            (Lang::En, Self::UnknownChoice { text, choices }) => {
                format!("\"{text}\" is not a known {}", list_words(*choices, lang))
            }
            (Lang::Vi, Self::UnknownChoice { text, choices }) => format!(
                "\"{text}\" không phải là {} đã biết",
                list_words(*choices, lang)
            ),
            (Lang::En, Self::EndBeforeStart { end, start }) => format!(
                "the lease would end ({}) before it starts ({})",
                fmt_date(*end, lang),
                fmt_date(*start, lang)
            ),
            (Lang::Vi, Self::EndBeforeStart { end, start }) => format!(
                "ngày hết hạn thuê ({}) trước ngày bắt đầu ({})",
                fmt_date(*end, lang),
                fmt_date(*start, lang)
            ),
            (Lang::En, Self::StartAfterEnd { start, end }) => format!(
                "the lease would start ({}) after it ends ({})",
                fmt_date(*start, lang),
                fmt_date(*end, lang)
            ),
            (Lang::Vi, Self::StartAfterEnd { start, end }) => format!(
                "ngày bắt đầu thuê ({}) sau ngày hết hạn ({})",
                fmt_date(*start, lang),
                fmt_date(*end, lang)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::findings::Code;
    use crate::engine::geojson::{JsonKind, Malformed};
    use crate::engine::properties::Date;
    use serde_json::json;

    /// The position of a kind in the catalogue's list: the match is exhaustive, so a new kind
    /// does not compile until it is listed here, and [`samples`] must then show it.
    fn variant(k: &FindingKind) -> usize {
        match k {
            FindingKind::UnusableGeometry(_) => 0,
            FindingKind::BadValue { .. } => 1,
            FindingKind::DuplicateId { .. } => 2,
            FindingKind::ParcelInNoZone => 3,
            FindingKind::UnknownZoneId { .. } => 4,
            FindingKind::ParcelStraddlesZone { .. } => 5,
            FindingKind::ParcelsOverlap { .. } => 6,
            FindingKind::LeasedExceedsDenominator { .. } => 7,
            FindingKind::AreaDiffersFromPlan { .. } => 8,
            FindingKind::NoDenominator(_) => 9,
            FindingKind::LeaseEnded { .. } => 10,
            FindingKind::WrongBbox { .. } => 11,
            FindingKind::StatusMissing => 12,
            FindingKind::ZonesOverlap { .. } => 13,
            FindingKind::GapBetweenLots { .. } => 14,
        }
    }
    const VARIANTS: usize = 15;

    fn d(s: &str) -> Date {
        Date::parse(s).expect("a date")
    }

    /// Every kind, every geometry problem and every value problem, with values; hectares of
    /// 1234.5678 wherever there are hectares.
    fn samples() -> Vec<FindingKind> {
        let ring = Ring::Exterior;
        let geometry = [
            GeometryProblem::Missing,
            GeometryProblem::NotAreal {
                kind: "Point".into(),
                collections: 1,
            },
            GeometryProblem::OutOfRange {
                x: 585000.0,
                y: 2345000.0,
            },
            GeometryProblem::MalformedFeature(Malformed::NotAnObject(JsonKind::Number)),
            GeometryProblem::MalformedFeature(Malformed::Unreadable {
                detail: "expected `:`".into(),
            }),
            GeometryProblem::SelfIntersecting {
                ring: Ring::Hole,
                x: 106.1,
                y: 21.2,
            },
            GeometryProblem::CrossesAntimeridian {
                from: 179.9,
                to: -179.9,
            },
        ]
        .into_iter()
        .chain(
            [
                InvalidGeometry::Empty,
                InvalidGeometry::NoCoordinates,
                InvalidGeometry::NestedTooDeeply,
                InvalidGeometry::UnknownType("Polgon".into()),
                InvalidGeometry::WithoutCoordinates {
                    kind: "Polygon".into(),
                },
                InvalidGeometry::Coordinates {
                    kind: "Polygon".into(),
                    detail: "invalid type: string \"x\", expected f64".into(),
                },
                InvalidGeometry::Unreadable {
                    detail: "duplicate field `type`".into(),
                },
                InvalidGeometry::RingTooShort { ring, positions: 3 },
                InvalidGeometry::RingNotClosed { ring },
                InvalidGeometry::RingOnALine { ring },
                InvalidGeometry::RingWithoutArea { ring },
                InvalidGeometry::Unconvertible {
                    x: "1e300".into(),
                    y: "0".into(),
                    system: "EPSG:3405 (VN-2000 / UTM zone 48N)".into(),
                },
            ]
            .into_iter()
            .map(GeometryProblem::Invalid),
        )
        .map(FindingKind::UnusableGeometry);
        let values = [
            ValueProblem::NotANumber {
                value: json!("n/a"),
            },
            ValueProblem::NotANumber { value: json!(true) },
            ValueProblem::Negative(-1234.5),
            ValueProblem::NotADate("31/02/2020".into()),
            ValueProblem::NoSuchDay {
                text: "31/02/2020".into(),
                year: 2020,
                month: 2,
                days: 29,
            },
            ValueProblem::AmbiguousNumber {
                text: "1.234".into(),
                thousands: 1234.0,
                decimal: 1.234,
            },
            ValueProblem::AmbiguousNumber {
                text: "1,234".into(),
                thousands: 1234.0,
                decimal: 1.234,
            },
            ValueProblem::UnknownChoice {
                text: "closed".into(),
                choices: Choices::ZoneStatus,
            },
            ValueProblem::UnknownChoice {
                text: "sold".into(),
                choices: Choices::ParcelStatus,
            },
            ValueProblem::UnknownChoice {
                text: "farm".into(),
                choices: Choices::LandUse,
            },
            ValueProblem::UnknownChoice {
                text: "green".into(),
                choices: Choices::ZoneType,
            },
            ValueProblem::UnknownChoice {
                text: "ODA".into(),
                choices: Choices::InvestmentType,
            },
            ValueProblem::EndBeforeStart {
                end: d("2019-12-31"),
                start: d("2020-01-01"),
            },
            ValueProblem::StartAfterEnd {
                start: d("2031-01-01"),
                end: d("2030-12-31"),
            },
        ]
        .into_iter()
        .map(|problem| FindingKind::BadValue {
            key: "industrial_land_ha".into(),
            problem,
        });
        let bbox = [
            BboxOwner::Feature,
            BboxOwner::Geometry,
            BboxOwner::Collection,
        ]
        .into_iter()
        .flat_map(|owner| {
            [
                BboxProblem::NotNumbers {
                    text: "[\"a\"]".into(),
                },
                BboxProblem::WrongCount(3),
                BboxProblem::SouthAboveNorth {
                    text: "[0, 5, 1, 4]".into(),
                },
                BboxProblem::Misses {
                    text: "[0, 0, 1, 1]".into(),
                    spans: [0.0, 0.0, 2.0, 1.0],
                },
            ]
            .into_iter()
            .map(move |problem| FindingKind::WrongBbox { owner, problem })
        });
        let ha = 1234.5678;
        let others = [
            FindingKind::DuplicateId { other: 2 },
            FindingKind::ParcelInNoZone,
            FindingKind::UnknownZoneId {
                zone_ref: "ZX".into(),
                placed_in: Some("Z1".into()),
            },
            FindingKind::UnknownZoneId {
                zone_ref: "ZX".into(),
                placed_in: None,
            },
            FindingKind::ParcelStraddlesZone {
                zone: "Z1".into(),
                outside_ha: ha,
                area_ha: 2.0 * ha,
                wholly_outside: false,
            },
            FindingKind::ParcelStraddlesZone {
                zone: "Z1".into(),
                outside_ha: ha,
                area_ha: ha,
                wholly_outside: true,
            },
            FindingKind::ParcelsOverlap {
                other: 4,
                other_id: "L4".into(),
                overlap_ha: ha,
                both_leased: true,
            },
            FindingKind::ParcelsOverlap {
                other: 4,
                other_id: "L4".into(),
                overlap_ha: ha,
                both_leased: false,
            },
            FindingKind::LeasedExceedsDenominator {
                leased_ha: ha,
                denominator_ha: ha,
                basis: FillBasis::IndustrialLand,
            },
            FindingKind::LeasedExceedsDenominator {
                leased_ha: ha,
                denominator_ha: ha,
                basis: FillBasis::ParcelInventory,
            },
            FindingKind::LeasedExceedsDenominator {
                leased_ha: ha,
                denominator_ha: ha,
                basis: FillBasis::GrossArea,
            },
            FindingKind::AreaDiffersFromPlan {
                measured_ha: ha,
                planned_ha: 1000.0,
            },
            FindingKind::AreaDiffersFromPlan {
                measured_ha: ha,
                planned_ha: 2000.0,
            },
            FindingKind::NoDenominator(Fallback::ParcelInventory { lots_ha: ha }),
            FindingKind::NoDenominator(Fallback::GrossArea),
            FindingKind::NoDenominator(Fallback::Nothing),
            FindingKind::LeaseEnded {
                end: d("2024-06-30"),
                as_of: None,
            },
            FindingKind::LeaseEnded {
                end: d("2024-06-30"),
                as_of: Some(d("2024-12-31")),
            },
            FindingKind::StatusMissing,
            FindingKind::ZonesOverlap {
                other: 2,
                other_id: "Z2".into(),
                other_name: "KCN Yên Phong".into(),
                overlap_ha: ha,
            },
            FindingKind::GapBetweenLots {
                other: 2,
                other_id: "QV1-B01-02".into(),
                gap_m2: ha,
                x: 106.0009,
                y: 21.0007,
            },
        ];
        geometry.chain(values).chain(bbox).chain(others).collect()
    }

    #[test]
    fn every_kind_has_both_languages_and_every_code_is_used() {
        let all = samples();
        let mut seen = [false; VARIANTS];
        for k in &all {
            seen[variant(k)] = true;
            let (en, vi) = (k.message(Lang::En), k.message(Lang::Vi));
            assert!(!en.trim().is_empty() && !vi.trim().is_empty(), "{k:?}");
            assert_ne!(en, vi, "{k:?} is not translated");
            for (lang, text) in [("en", &en), ("vi", &vi)] {
                assert!(!text.contains("{") && !text.contains("}"), "{lang}: {text}");
            }
        }
        assert!(seen.iter().all(|s| *s), "a kind without a sample: {seen:?}");
        let codes: std::collections::HashSet<Code> = all.iter().map(|k| k.code()).collect();
        assert_eq!(codes.len(), 21, "every stable code has a sample");
    }

    #[test]
    fn numbers_and_dates_are_written_the_readers_way() {
        for k in samples() {
            let (en, vi) = (k.message(Lang::En), k.message(Lang::Vi));
            if en.contains("1234.5678") {
                // English keeps the plain figures scripts have always read; Vietnamese groups
                // thousands with a point and writes a decimal comma.
                assert!(vi.contains("1.234,5678"), "{vi}");
                assert!(!vi.contains("1234.5678"), "{vi}");
            }
            if en.contains("2024-06-30") {
                assert!(
                    vi.contains("30/06/2024") && !vi.contains("2024-06-30"),
                    "{vi}"
                );
            }
        }
        let negative = FindingKind::BadValue {
            key: "service_land_ha".into(),
            problem: ValueProblem::Negative(-4.5),
        };
        assert_eq!(
            negative.message(Lang::En),
            "property \"service_land_ha\": -4.5 is negative; treated as missing"
        );
        assert_eq!(
            negative.message(Lang::Vi),
            "thuộc tính \"service_land_ha\": -4,5 là số âm; coi như không có"
        );
        let plan = FindingKind::AreaDiffersFromPlan {
            measured_ha: 1900.0,
            planned_ha: 2000.0,
        };
        assert_eq!(
            plan.message(Lang::En),
            "measured area 1900.00 ha is -5.0 % from planned_area_ha 2000.00 ha"
        );
        assert_eq!(
            plan.message(Lang::Vi),
            "diện tích đo được 1.900,00 ha lệch −5,0 % so với diện tích quy hoạch 2.000,00 ha"
        );
    }

    #[test]
    fn english_sentences_are_the_ones_scripts_have_read() {
        let straddle = FindingKind::ParcelStraddlesZone {
            zone: "BN-QV".into(),
            outside_ha: 1.44039,
            area_ha: 6.0,
            wholly_outside: false,
        };
        assert_eq!(
            straddle.message(Lang::En),
            "sticks out of its zone BN-QV: 1.4404 ha of its 6.0000 ha lie outside and do not count"
        );
        assert_eq!(
            straddle.message(Lang::Vi),
            "nhô ra ngoài KCN BN-QV: 1,4404 trong 6,0000 ha nằm ngoài và không được tính"
        );
        let bbox = FindingKind::WrongBbox {
            owner: BboxOwner::Collection,
            problem: BboxProblem::Misses {
                text: "[106, 21, 106.1, 21.1]".into(),
                spans: [106.0, 21.0, 106.2, 21.1],
            },
        };
        let gap = FindingKind::GapBetweenLots {
            other: 2,
            other_id: "QV1-B01-02".into(),
            gap_m2: 1150.127,
            x: 106.000_933_3,
            y: 21.000_666_7,
        };
        assert_eq!(
            gap.message(Lang::En),
            "leaves a gap of 1150.13 m² between it and parcel QV1-B01-02 (#2), which shared an edge with it, near (106.000933, 21.000667); that land is in neither lot"
        );
        assert_eq!(
            gap.message(Lang::Vi),
            "để lại khe hở 1.150,13 m² giữa hai lô: lô này và lô QV1-B01-02 (#2) vốn chung cạnh, gần (106.000933, 21.000667); phần đất đó không thuộc lô nào"
        );
        assert_eq!(
            bbox.message(Lang::En),
            "the collection's bbox [106, 21, 106.1, 21.1] does not contain all its features, which span [106, 21, 106.2, 21.1]"
        );
    }
}
