//! Load and save errors in words: the file, the place (line and column) and what is wrong.
//! What the JSON parser or the system said is quoted as it said it, after the catalogue's own
//! words for it.

use std::io::ErrorKind;

use super::numbers::fmt_number;
use super::{Key, Lang, Message, tr};
use crate::engine::crs::{CrsProblem, LikelySystem};
use crate::engine::edit::EditProblem;
use crate::engine::geojson::{JsonKind, LoadError, LoadProblem, Malformed};
use crate::engine::model::LayerKind;
use crate::engine::saving::WriteError;
use crate::engine::script::{ScriptError, ScriptProblem};
use crate::engine::source::SourceProblem;
use crate::engine::source::dbf::DbfProblem;
use crate::engine::source::dxf::DxfProblem;
use crate::engine::store::StoreProblem;

impl Message for WriteError {
    /// Why the file could not be written (the file itself is named by the sentence around).
    fn message(&self, lang: Lang) -> String {
        io_reason(self.kind, &self.detail, lang)
    }
}

impl Message for LoadError {
    fn message(&self, lang: Lang) -> String {
        match self.place {
            Some((line, col)) => {
                format!("{}:{line}:{col}: {}", self.file, self.problem.message(lang))
            }
            None => format!("{}: {}", self.file, self.problem.message(lang)),
        }
    }
}

/// A JSON value's kind, with its article.
fn json_kind(kind: JsonKind, lang: Lang) -> &'static str {
    match (lang, kind) {
        (Lang::En, JsonKind::Object) => "an object",
        (Lang::En, JsonKind::Array) => "an array",
        (Lang::En, JsonKind::String) => "a string",
        (Lang::En, JsonKind::Number) => "a number",
        (Lang::En, JsonKind::Boolean) => "a boolean",
        (Lang::En, JsonKind::Null) => "null",
        (Lang::Vi, JsonKind::Object) => "một đối tượng",
        (Lang::Vi, JsonKind::Array) => "một mảng",
        (Lang::Vi, JsonKind::String) => "một chuỗi",
        (Lang::Vi, JsonKind::Number) => "một số",
        (Lang::Vi, JsonKind::Boolean) => "một giá trị đúng/sai",
        (Lang::Vi, JsonKind::Null) => "null",
    }
}

/// Why the system could not read or write a file, in the reader's words where there are some
/// (the system's own message otherwise).
pub(super) fn io_reason(kind: ErrorKind, detail: &str, lang: Lang) -> String {
    match (lang, kind) {
        (Lang::En, _) => detail.to_string(),
        (Lang::Vi, ErrorKind::NotFound) => "không tìm thấy tệp hoặc thư mục".into(),
        (Lang::Vi, ErrorKind::PermissionDenied) => "không có quyền truy cập".into(),
        (Lang::Vi, ErrorKind::IsADirectory) => "đây là một thư mục, không phải tệp".into(),
        (Lang::Vi, ErrorKind::StorageFull) => "ổ đĩa đã đầy".into(),
        (Lang::Vi, ErrorKind::ReadOnlyFilesystem) => "ổ đĩa chỉ cho phép đọc".into(),
        (Lang::Vi, _) => format!("lỗi hệ thống ({detail})"),
    }
}

impl Message for LoadProblem {
    fn message(&self, lang: Lang) -> String {
        match (lang, self) {
            (Lang::En, Self::CannotRead { kind, detail }) => {
                format!("cannot read the file: {}", io_reason(*kind, detail, lang))
            }
            (Lang::Vi, Self::CannotRead { kind, detail }) => {
                format!("không đọc được tệp: {}", io_reason(*kind, detail, lang))
            }
            (Lang::En, Self::NotUtf8) => "not UTF-8 text (GeoJSON must be UTF-8); is this a shapefile or a legacy-encoded export?".into(),
            (Lang::Vi, Self::NotUtf8) => "không phải văn bản UTF-8 (GeoJSON phải là UTF-8); đây có phải là shapefile hay tệp xuất theo bảng mã cũ?".into(),
            (Lang::En, Self::TooLarge { gib }) => {
                format!("the file is {gib:.1} GiB; ZoneAtlas reads files of up to 4 GiB")
            }
            (Lang::Vi, Self::TooLarge { gib }) => format!(
                "tệp lớn {} GiB; ZoneAtlas đọc được tệp tối đa 4 GiB",
                fmt_number(*gib, 1, lang)
            ),
            (Lang::En, Self::NotJson { detail }) => format!("not valid JSON: {detail}"),
            (Lang::Vi, Self::NotJson { detail }) => format!("không phải JSON hợp lệ: {detail}"),
            (Lang::En, Self::NotGeoJson { detail }) => format!("not GeoJSON: {detail}"),
            (Lang::Vi, Self::NotGeoJson { detail }) => format!("không phải GeoJSON: {detail}"),
            (Lang::En, Self::NotAFeature { detail }) => {
                format!("not a GeoJSON Feature: {detail}")
            }
            (Lang::Vi, Self::NotAFeature { detail }) => {
                format!("không phải một Feature GeoJSON: {detail}")
            }
            (Lang::En, Self::FeaturesInOtherType { kind }) => format!(
                "a \"features\" array in an object of type \"{kind}\"; expected a FeatureCollection"
            ),
            (Lang::Vi, Self::FeaturesInOtherType { kind }) => format!(
                "mảng \"features\" nằm trong đối tượng kiểu \"{kind}\"; cần một FeatureCollection"
            ),
            (Lang::En, Self::FeaturesNotAnArray { found }) => format!(
                "\"features\" must be an array of Feature objects, found {}",
                json_kind(*found, lang)
            ),
            (Lang::Vi, Self::FeaturesNotAnArray { found }) => format!(
                "\"features\" phải là một mảng các Feature, nhưng là {}",
                json_kind(*found, lang)
            ),
            (Lang::En, Self::BareGeometry { kind }) => format!(
                "a bare {kind} geometry; ZoneAtlas needs a FeatureCollection (or Feature) so that each zone or parcel has properties"
            ),
            (Lang::Vi, Self::BareGeometry { kind }) => format!(
                "chỉ có một hình học {kind}; ZoneAtlas cần một FeatureCollection (hoặc Feature) để mỗi KCN hay lô đất có thuộc tính"
            ),
            (Lang::En, Self::OtherType { kind }) => format!(
                "GeoJSON object of type \"{kind}\"; expected a FeatureCollection or a Feature"
            ),
            (Lang::Vi, Self::OtherType { kind }) => format!(
                "đối tượng GeoJSON kiểu \"{kind}\"; cần một FeatureCollection hoặc một Feature"
            ),
            (Lang::En, Self::NoType) => {
                "not GeoJSON: the top-level object has no \"type\" and no \"features\"".into()
            }
            (Lang::Vi, Self::NoType) => {
                "không phải GeoJSON: đối tượng gốc không có \"type\" và không có \"features\"".into()
            }
            (Lang::En, Self::Changed) => {
                "the file changed while it was being read (truncated by another program)".into()
            }
            (Lang::Vi, Self::Changed) => {
                "tệp đã bị thay đổi trong khi đang đọc (bị một chương trình khác cắt ngắn)".into()
            }
            (_, Self::Crs(p)) => p.message(lang),
            (_, Self::Source(p)) => p.message(lang),
        }
    }
}

impl Message for crate::engine::join::TableProblem {
    fn message(&self, lang: Lang) -> String {
        use crate::engine::join::TableProblem as P;
        match (lang, self) {
            (Lang::En, P::Unreadable { detail }) => format!("cannot read the table: {detail}"),
            (Lang::Vi, P::Unreadable { detail }) => format!("không đọc được bảng: {detail}"),
            (Lang::En, P::Empty) => "the table has no header row".into(),
            (Lang::Vi, P::Empty) => "bảng không có dòng tiêu đề".into(),
            (Lang::En, P::NoKeyColumn { key }) => {
                format!("no column of the table is the key {key} (or one of its aliases)")
            }
            (Lang::Vi, P::NoKeyColumn { key }) => {
                format!("bảng không có cột nào là mã {key} (hay một tên khác của nó)")
            }
        }
    }
}

impl Message for StoreProblem {
    fn message(&self, lang: Lang) -> String {
        let list = |boards: &[String]| boards.join(", ");
        match (lang, self) {
            (Lang::En, Self::BadUrl { url, detail }) => {
                format!("{url}: not a database URL (postgres://user@host:port/db): {detail}")
            }
            (Lang::Vi, Self::BadUrl { url, detail }) => format!(
                "{url}: không phải địa chỉ cơ sở dữ liệu (postgres://người_dùng@máy:cổng/csdl): {detail}"
            ),
            (Lang::En, Self::PasswordInUrl) => "the URL holds a password: put it in PGPASSWORD or ~/.pgpass instead (ZoneAtlas keeps URLs in its recent files)".into(),
            (Lang::Vi, Self::PasswordInUrl) => "địa chỉ có chứa mật khẩu: hãy đặt mật khẩu trong PGPASSWORD hoặc ~/.pgpass (ZoneAtlas lưu địa chỉ trong danh sách tệp gần đây)".into(),
            (Lang::En, Self::BadBoardName { name }) => format!(
                "\"{name}\" cannot name a board: it needs a letter or digit, and at most 48 of them"
            ),
            (Lang::Vi, Self::BadBoardName { name }) => format!(
                "\"{name}\" không dùng được làm tên ban quản lý: cần có chữ hoặc số, tối đa 48 ký tự"
            ),
            (Lang::En, Self::Connect { target, detail }) => {
                format!("{target}: cannot connect to the database: {detail}")
            }
            (Lang::Vi, Self::Connect { target, detail }) => {
                format!("{target}: không kết nối được cơ sở dữ liệu: {detail}")
            }
            (Lang::En, Self::LoginRefused { target, detail }) => {
                format!("{target}: the server refused the login: {detail}")
            }
            (Lang::Vi, Self::LoginRefused { target, detail }) => {
                format!("{target}: máy chủ từ chối đăng nhập: {detail}")
            }
            (_, Self::NoPassword { target }) => {
                format!("{target}: {}", tr(lang, Key::LoginNoPassword))
            }
            (Lang::En, Self::NotInitialised { target }) => format!(
                "{target}: the database holds no ZoneAtlas board: run `zoneatlas db init {target}` first"
            ),
            (Lang::Vi, Self::NotInitialised { target }) => format!(
                "{target}: cơ sở dữ liệu chưa có ban quản lý nào của ZoneAtlas: hãy chạy `zoneatlas db init {target}` trước"
            ),
            (Lang::En, Self::NoSuchBoard { board, boards }) => format!(
                "no board \"{board}\" in the database (there: {})",
                list(boards)
            ),
            (Lang::Vi, Self::NoSuchBoard { board, boards }) => format!(
                "không có ban quản lý \"{board}\" trong cơ sở dữ liệu (hiện có: {})",
                list(boards)
            ),
            (Lang::En, Self::WhichBoard { boards }) => format!(
                "the database holds several boards: name one with --board ({})",
                list(boards)
            ),
            (Lang::Vi, Self::WhichBoard { boards }) => format!(
                "cơ sở dữ liệu có nhiều ban quản lý: hãy chọn một bằng --board ({})",
                list(boards)
            ),
            (Lang::En, Self::RowChanged { layer, fid }) => format!(
                "row {fid} of {layer} was changed by someone else meanwhile: nothing was written"
            ),
            (Lang::Vi, Self::RowChanged { layer, fid }) => format!(
                "bản ghi {fid} của {layer} vừa được người khác sửa: chưa ghi gì"
            ),
            (Lang::En, Self::NotEmpty { board }) => format!(
                "board \"{board}\" already holds data: an import goes into an empty board"
            ),
            (Lang::Vi, Self::NotEmpty { board }) => format!(
                "ban quản lý \"{board}\" đã có dữ liệu: chỉ nhập vào một ban quản lý còn trống"
            ),
            (Lang::En, Self::Server { detail }) => format!("the database server says: {detail}"),
            (Lang::Vi, Self::Server { detail }) => format!("máy chủ cơ sở dữ liệu báo: {detail}"),
            (Lang::En, Self::Corrupt {
                board,
                layer,
                detail,
            }) => format!(
                "board \"{board}\": the {layer} kept in the database do not read as GeoJSON (changed by hand?): {detail}"
            ),
            (Lang::Vi, Self::Corrupt {
                board,
                layer,
                detail,
            }) => format!(
                "ban quản lý \"{board}\": dữ liệu {layer} trong cơ sở dữ liệu không đọc được thành GeoJSON (bị sửa tay?): {detail}"
            ),
        }
    }
}

impl Message for SourceProblem {
    fn message(&self, lang: Lang) -> String {
        match (lang, self) {
            (
                Lang::En,
                Self::Shapes {
                    record: Some(r),
                    detail,
                },
            ) => {
                format!("shape {r} cannot be read: {detail}")
            }
            (
                Lang::Vi,
                Self::Shapes {
                    record: Some(r),
                    detail,
                },
            ) => {
                format!("không đọc được hình thứ {r}: {detail}")
            }
            (
                Lang::En,
                Self::Shapes {
                    record: None,
                    detail,
                },
            ) => {
                format!("not a readable Shapefile (.shp): {detail}")
            }
            (
                Lang::Vi,
                Self::Shapes {
                    record: None,
                    detail,
                },
            ) => {
                format!("không phải Shapefile (.shp) đọc được: {detail}")
            }
            (Lang::En, Self::UnsupportedShape { record, kind }) => {
                format!(
                    "shape {record} is a {kind}, which ZoneAtlas does not read (it reads \
                     polygons, lines and points)"
                )
            }
            (Lang::Vi, Self::UnsupportedShape { record, kind }) => format!(
                "hình thứ {record} là {kind}, ZoneAtlas không đọc được loại này (chỉ đọc đa \
                 giác, đường và điểm)"
            ),
            (Lang::En, Self::NotANumber { record }) => {
                format!("shape {record} has a position that is not a number")
            }
            (Lang::Vi, Self::NotANumber { record }) => {
                format!("hình thứ {record} có toạ độ không phải là số")
            }
            (Lang::En, Self::Table(DbfProblem::CutShort { at })) => {
                format!("the attribute table (.dbf) is cut short (it ends at byte {at})")
            }
            (Lang::Vi, Self::Table(DbfProblem::CutShort { at })) => {
                format!("bảng thuộc tính (.dbf) bị cắt cụt (kết thúc ở byte {at})")
            }
            (Lang::En, Self::Table(DbfProblem::NotDbase)) => {
                "the attribute table (.dbf) is not a dBase table".into()
            }
            (Lang::Vi, Self::Table(DbfProblem::NotDbase)) => {
                "bảng thuộc tính (.dbf) không phải bảng dBase".into()
            }
            (Lang::En, Self::UnknownSystem { wkt }) => format!(
                "the coordinate system in the .prj is not one ZoneAtlas converts: {wkt}. {}",
                supported(lang)
            ),
            (Lang::En, Self::GeoPackage { detail }) => {
                format!("not a readable GeoPackage: {detail}")
            }
            (Lang::Vi, Self::GeoPackage { detail }) => {
                format!("GeoPackage không đọc được: {detail}")
            }
            (
                Lang::En,
                Self::NoLayer {
                    asked: Some(a),
                    layers,
                },
            ) => format!("no layer \"{a}\"; the layers are: {}", layers.join(", ")),
            (
                Lang::Vi,
                Self::NoLayer {
                    asked: Some(a),
                    layers,
                },
            ) => format!("không có lớp \"{a}\"; các lớp là: {}", layers.join(", ")),
            (
                Lang::En,
                Self::NoLayer {
                    asked: None,
                    layers,
                },
            ) => format!(
                "no polygon layer; the layers are: {} (name one as FILE.gpkg:LAYER)",
                layers.join(", ")
            ),
            (
                Lang::Vi,
                Self::NoLayer {
                    asked: None,
                    layers,
                },
            ) => format!(
                "không có lớp đa giác; các lớp là: {} (chọn một lớp bằng TỆP.gpkg:LỚP)",
                layers.join(", ")
            ),
            (Lang::En, Self::Geometry { feature, detail }) => {
                format!("the geometry of feature {feature} cannot be read: {detail}")
            }
            (Lang::Vi, Self::Geometry { feature, detail }) => {
                format!("không đọc được hình học của đối tượng thứ {feature}: {detail}")
            }
            (
                Lang::En,
                Self::Kml {
                    line: Some(l),
                    detail,
                },
            ) => {
                format!("not readable KML at line {l}: {detail}")
            }
            (
                Lang::Vi,
                Self::Kml {
                    line: Some(l),
                    detail,
                },
            ) => {
                format!("KML không đọc được ở dòng {l}: {detail}")
            }
            (Lang::En, Self::Kml { line: None, detail }) => format!("not a readable KMZ: {detail}"),
            (Lang::Vi, Self::Kml { line: None, detail }) => {
                format!("KMZ không đọc được: {detail}")
            }
            (Lang::Vi, Self::UnknownSystem { wkt }) => format!(
                "hệ toạ độ trong tệp .prj không thuộc các hệ ZoneAtlas chuyển đổi được: {wkt}. {}",
                supported(lang)
            ),
            (_, Self::Dxf(p)) => p.message(lang),
        }
    }
}

impl Message for DxfProblem {
    fn message(&self, lang: Lang) -> String {
        let handle = |h: &Option<String>| match (lang, h) {
            (Lang::En, Some(h)) => format!(" (handle {h})"),
            (Lang::Vi, Some(h)) => format!(" (handle {h})"),
            (_, None) => String::new(),
        };
        let skipped = |list: &[(String, usize)]| {
            list.iter()
                .map(|(k, n)| format!("{n} {k}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match (lang, self) {
            (Lang::En, Self::Binary) => {
                "a binary DXF; ZoneAtlas reads ASCII DXF (save the drawing as ASCII DXF)".into()
            }
            (Lang::Vi, Self::Binary) => {
                "DXF dạng nhị phân; ZoneAtlas đọc DXF dạng ASCII (hãy lưu bản vẽ thành DXF ASCII)"
                    .into()
            }
            (Lang::En, Self::GroupCode { line }) => {
                format!("not a readable DXF: line {line} is not a group code")
            }
            (Lang::Vi, Self::GroupCode { line }) => {
                format!("DXF không đọc được: dòng {line} không phải mã nhóm")
            }
            (Lang::En, Self::Number { line, code }) => {
                format!("line {line}: the value of group {code} is not a number")
            }
            (Lang::Vi, Self::Number { line, code }) => {
                format!("dòng {line}: giá trị của nhóm {code} không phải là số")
            }
            (Lang::En, Self::CutShort { line }) => {
                format!("the DXF is cut short: group code on line {line} has no value")
            }
            (Lang::Vi, Self::CutShort { line }) => {
                format!("DXF bị cắt cụt: mã nhóm ở dòng {line} không có giá trị")
            }
            (Lang::En, Self::Boundary { line, handle: h }) => format!(
                "the boundary of the HATCH at line {line}{} cannot be read",
                handle(h)
            ),
            (Lang::Vi, Self::Boundary { line, handle: h }) => format!(
                "không đọc được đường bao của HATCH ở dòng {line}{}",
                handle(h)
            ),
            (Lang::En, Self::NoPolygons { skipped: list }) if list.is_empty() => {
                "no closed polyline and no hatch: the drawing has no area to read".into()
            }
            (Lang::Vi, Self::NoPolygons { skipped: list }) if list.is_empty() => {
                "không có đường polyline khép kín hay hatch nào: bản vẽ không có vùng nào để đọc"
                    .into()
            }
            (Lang::En, Self::NoPolygons { skipped: list }) => format!(
                "no closed polyline and no hatch: the drawing has no area to read (only {})",
                skipped(list)
            ),
            (Lang::Vi, Self::NoPolygons { skipped: list }) => format!(
                "không có đường polyline khép kín hay hatch nào: bản vẽ không có vùng nào để đọc (chỉ có {})",
                skipped(list)
            ),
            (Lang::En, Self::NoSystem) => format!(
                "a DXF names no coordinate system: give it with --source-crs EPSG:CODE (for example --source-crs EPSG:9209 for VN-2000 / TM-3 105°30′, Bắc Ninh). {}",
                supported_systems(lang)
            ),
            (Lang::Vi, Self::NoSystem) => format!(
                "tệp DXF không ghi hệ toạ độ: hãy chỉ rõ bằng --source-crs EPSG:MÃ (ví dụ --source-crs EPSG:9209 cho VN-2000 / TM-3 105°30′, Bắc Ninh). {}",
                supported_systems(lang)
            ),
        }
    }
}

/// The systems `--source-crs` takes.
fn supported_systems(lang: Lang) -> &'static str {
    match lang {
        Lang::En => {
            "Systems: Web Mercator (EPSG:3857), UTM 48N/49N (EPSG:32648/32649), VN-2000 (EPSG:4756), VN-2000 / UTM 48N/49N (EPSG:3405/3406), VN-2000 / TM-3 (EPSG:9205–9218)"
        }
        Lang::Vi => {
            "Các hệ: Web Mercator (EPSG:3857), UTM 48N/49N (EPSG:32648/32649), VN-2000 (EPSG:4756), VN-2000 / UTM 48N/49N (EPSG:3405/3406), VN-2000 / TM-3 (EPSG:9205–9218)"
        }
    }
}

/// The systems ZoneAtlas reads, as a refusal lists them.
fn supported(lang: Lang) -> &'static str {
    match lang {
        Lang::En => {
            "ZoneAtlas reads WGS84 (EPSG:4326, CRS84), Web Mercator (EPSG:3857), UTM 48N/49N (EPSG:32648/32649) and VN-2000 (EPSG:4756, 3405/3406, TM-3 5896–5899 and 9205–9218); convert the file to one of these"
        }
        Lang::Vi => {
            "ZoneAtlas đọc được WGS84 (EPSG:4326, CRS84), Web Mercator (EPSG:3857), UTM 48N/49N (EPSG:32648/32649) và VN-2000 (EPSG:4756, 3405/3406, TM-3 5896–5899 và 9205–9218); hãy chuyển tệp sang một trong các hệ này"
        }
    }
}

/// Metres over a range: `585000–586000` (English, as before) or `585.000–586.000`.
fn range(r: (f64, f64), lang: Lang) -> String {
    match lang {
        Lang::En => format!("{:.0}–{:.0}", r.0, r.1),
        Lang::Vi => format!("{}–{}", fmt_number(r.0, 0, lang), fmt_number(r.1, 0, lang)),
    }
}

fn likely(l: LikelySystem, lang: Lang) -> &'static str {
    match (lang, l) {
        (Lang::En, LikelySystem::WebMercator) => "most likely Web Mercator (EPSG:3857)",
        (Lang::En, LikelySystem::UtmOrVn2000) => {
            "most likely UTM 48N/49N (EPSG:32648/32649), VN-2000 / UTM (EPSG:3405/3406) or a VN-2000 / TM-3 provincial zone (EPSG:9205–9218)"
        }
        (Lang::En, LikelySystem::AxesSwapped) => {
            "most likely UTM or VN-2000 written northing first (axes swapped: convert the file)"
        }
        (Lang::En, LikelySystem::Unknown) => "in a system ZoneAtlas cannot guess",
        (Lang::Vi, LikelySystem::WebMercator) => "nhiều khả năng là Web Mercator (EPSG:3857)",
        (Lang::Vi, LikelySystem::UtmOrVn2000) => {
            "nhiều khả năng là UTM 48N/49N (EPSG:32648/32649), VN-2000 / UTM (EPSG:3405/3406) hoặc một múi VN-2000 / TM-3 của tỉnh (EPSG:9205–9218)"
        }
        (Lang::Vi, LikelySystem::AxesSwapped) => {
            "nhiều khả năng là UTM hoặc VN-2000 ghi tọa độ bắc trước (đảo trục: hãy chuyển đổi tệp)"
        }
        (Lang::Vi, LikelySystem::Unknown) => "trong một hệ mà ZoneAtlas không đoán được",
    }
}

impl Message for CrsProblem {
    fn message(&self, lang: Lang) -> String {
        let supported = supported(lang);
        match (lang, self) {
            (Lang::En, Self::Unreadable { detail }) => {
                format!("the \"crs\" member cannot be read: {detail}")
            }
            (Lang::Vi, Self::Unreadable { detail }) => {
                format!("không đọc được thành phần \"crs\": {detail}")
            }
            (Lang::En, Self::NoName { member }) => {
                format!("the \"crs\" member {member} has no name")
            }
            (Lang::Vi, Self::NoName { member }) => {
                format!("thành phần \"crs\" {member} không có tên hệ tọa độ")
            }
            (Lang::En, Self::NoEpsgCode { member }) => {
                format!("the \"crs\" member {member} has no EPSG code")
            }
            (Lang::Vi, Self::NoEpsgCode { member }) => {
                format!("thành phần \"crs\" {member} không có mã EPSG")
            }
            (Lang::En, Self::Link { member }) => format!(
                "the \"crs\" member links to a system definition ({member}), which ZoneAtlas does not follow; {supported}"
            ),
            (Lang::Vi, Self::Link { member }) => format!(
                "thành phần \"crs\" trỏ tới một định nghĩa hệ tọa độ ({member}) mà ZoneAtlas không đọc theo; {supported}"
            ),
            (Lang::En, Self::NotUnderstood { member }) => {
                format!("the \"crs\" member {member} is not understood; {supported}")
            }
            (Lang::Vi, Self::NotUnderstood { member }) => {
                format!("không hiểu thành phần \"crs\" {member}; {supported}")
            }
            (Lang::En, Self::Unsupported { name }) => format!(
                "coordinate system \"{name}\" (from the \"crs\" member) is not supported; {supported}"
            ),
            (Lang::Vi, Self::Unsupported { name }) => format!(
                "hệ tọa độ \"{name}\" (theo thành phần \"crs\") chưa được hỗ trợ; {supported}"
            ),
            (Lang::En, Self::DegreesUnderProjected { system }) => format!(
                "the \"crs\" member names {system} (metres), but the coordinates are longitude/latitude degrees; remove the \"crs\" member or name the system the coordinates are in"
            ),
            (Lang::Vi, Self::DegreesUnderProjected { system }) => format!(
                "thành phần \"crs\" ghi {system} (mét), nhưng tọa độ là độ kinh/vĩ; hãy bỏ thành phần \"crs\" hoặc ghi đúng hệ của tọa độ"
            ),
            (Lang::En, Self::MetresUnderGeographic { system, x, y }) => format!(
                "the \"crs\" member names {system} (degrees), but the coordinates are metres (x {}, y {}); name the projected system they are in",
                range(*x, lang),
                range(*y, lang)
            ),
            (Lang::Vi, Self::MetresUnderGeographic { system, x, y }) => format!(
                "thành phần \"crs\" ghi {system} (độ), nhưng tọa độ là mét (x {}, y {}); hãy ghi hệ tọa độ phẳng của chúng",
                range(*x, lang),
                range(*y, lang)
            ),
            (Lang::En, Self::LooksProjected { x, y, likely: l }) => format!(
                "the coordinates look projected (metres, not degrees: x {}, y {}), {}; GeoJSON must be WGS84 longitude/latitude: add a \"crs\" member naming the system, e.g. \"crs\": {{\"type\": \"name\", \"properties\": {{\"name\": \"{}\"}}}}, or convert the file",
                range(*x, lang),
                range(*y, lang),
                likely(*l, lang),
                l.example()
            ),
            (Lang::Vi, Self::LooksProjected { x, y, likely: l }) => format!(
                "tọa độ có vẻ là tọa độ phẳng (mét, không phải độ: x {}, y {}), {}; GeoJSON phải dùng kinh độ/vĩ độ WGS84: hãy thêm thành phần \"crs\" ghi hệ tọa độ, ví dụ \"crs\": {{\"type\": \"name\", \"properties\": {{\"name\": \"{}\"}}}}, hoặc chuyển đổi tệp",
                range(*x, lang),
                range(*y, lang),
                likely(*l, lang),
                l.example()
            ),
        }
    }
}

impl Message for Malformed {
    fn message(&self, lang: Lang) -> String {
        match (lang, self) {
            (Lang::En, Self::NotAnObject(kind)) => {
                format!("is not a JSON object but {}", json_kind(*kind, lang))
            }
            (Lang::Vi, Self::NotAnObject(kind)) => format!(
                "không phải là một đối tượng JSON mà là {}",
                json_kind(*kind, lang)
            ),
            (Lang::En, Self::Unreadable { detail }) => format!("cannot be read: {detail}"),
            (Lang::Vi, Self::Unreadable { detail }) => {
                format!("không đọc được đối tượng: {detail}")
            }
        }
    }
}

/// A layer's name in a sentence.
fn layer_name(layer: LayerKind, lang: Lang) -> &'static str {
    match (lang, layer) {
        (Lang::En, LayerKind::Zones) => "zones",
        (Lang::En, LayerKind::Parcels) => "parcels",
        (Lang::Vi, LayerKind::Zones) => "khu công nghiệp",
        (Lang::Vi, LayerKind::Parcels) => "lô đất",
    }
}

/// One feature of a layer, in a sentence.
fn layer_one(layer: LayerKind, lang: Lang) -> &'static str {
    match (lang, layer) {
        (Lang::En, LayerKind::Zones) => "zone",
        (Lang::En, LayerKind::Parcels) => "lot",
        (Lang::Vi, LayerKind::Zones) => "khu",
        (Lang::Vi, LayerKind::Parcels) => "lô",
    }
}

impl Message for EditProblem {
    fn message(&self, lang: Lang) -> String {
        match (lang, self) {
            (Lang::En, Self::NoParcels) => "no parcels file is open".into(),
            (Lang::Vi, Self::NoParcels) => "chưa mở tệp lô đất".into(),
            (Lang::En, Self::NoSuchFeature { layer, feature }) => {
                format!(
                    "there is no feature #{} in {}",
                    feature + 1,
                    layer_name(*layer, lang)
                )
            }
            (Lang::Vi, Self::NoSuchFeature { layer, feature }) => {
                format!(
                    "không có đối tượng #{} trong {}",
                    feature + 1,
                    layer_name(*layer, lang)
                )
            }
            (Lang::En, Self::Deleted { layer, feature }) => {
                format!(
                    "feature #{} of {} was deleted",
                    feature + 1,
                    layer_name(*layer, lang)
                )
            }
            (Lang::Vi, Self::Deleted { layer, feature }) => {
                format!(
                    "đối tượng #{} của {} đã bị xoá",
                    feature + 1,
                    layer_name(*layer, lang)
                )
            }
            (Lang::En, Self::NotDeleted { layer, feature }) => format!(
                "feature #{} of {} was not deleted",
                feature + 1,
                layer_name(*layer, lang)
            ),
            (Lang::Vi, Self::NotDeleted { layer, feature }) => format!(
                "đối tượng #{} của {} chưa bị xoá",
                feature + 1,
                layer_name(*layer, lang)
            ),
            (Lang::En, Self::SingleFeature { layer }) => format!(
                "the {} file is a single Feature, not a FeatureCollection: nothing can be added to it or deleted from it",
                layer_name(*layer, lang)
            ),
            (Lang::Vi, Self::SingleFeature { layer }) => format!(
                "tệp {} chỉ là một Feature, không phải FeatureCollection: không thể thêm hay xoá đối tượng",
                layer_name(*layer, lang)
            ),
            (Lang::En, Self::NotAFeature) => "not a GeoJSON Feature object".into(),
            (Lang::Vi, Self::NotAFeature) => "không phải là một đối tượng GeoJSON Feature".into(),
        }
    }
}

impl Message for ScriptError {
    /// "operation 3 (split): …"; the script as a whole when it is not an array.
    fn message(&self, lang: Lang) -> String {
        let why = self.problem.message(lang);
        match (lang, self.position, self.op) {
            (Lang::En, 0, _) => format!("the edits are not a JSON array of operations: {why}"),
            (Lang::Vi, 0, _) => {
                format!("tệp chỉnh sửa không phải là một mảng JSON các thao tác: {why}")
            }
            (Lang::En, n, "") => format!("operation {n}: {why}"),
            (Lang::Vi, n, "") => format!("thao tác {n}: {why}"),
            (Lang::En, n, op) => format!("operation {n} ({op}): {why}"),
            (Lang::Vi, n, op) => format!("thao tác {n} ({op}): {why}"),
        }
    }
}

impl Message for ScriptProblem {
    fn message(&self, lang: Lang) -> String {
        let value = |v: &Option<serde_json::Value>| match v {
            Some(v) => v.to_string(),
            None => match lang {
                Lang::En => "nothing".to_string(),
                Lang::Vi => "không có giá trị".to_string(),
            },
        };
        match (lang, self) {
            (_, Self::NotAScript { detail }) => detail.clone(),
            (Lang::En, Self::NoFeatureNamed) => {
                "no feature named: give \"id\" or \"at\" (its number, from 1)".into()
            }
            (Lang::Vi, Self::NoFeatureNamed) => {
                "chưa chỉ rõ đối tượng: hãy ghi \"id\" hoặc \"at\" (số thứ tự, từ 1)".into()
            }
            (Lang::En, Self::NoSuchId { layer, id }) => {
                format!(
                    "no feature of {} has the id \"{id}\"",
                    layer_name(*layer, lang)
                )
            }
            (Lang::Vi, Self::NoSuchId { layer, id }) => {
                format!("không có {} nào mang mã \"{id}\"", layer_name(*layer, lang))
            }
            (Lang::En, Self::AmbiguousId { layer, id, count }) => format!(
                "{count} features of {} have the id \"{id}\": name one by \"at\" (its number, from 1)",
                layer_name(*layer, lang)
            ),
            (Lang::Vi, Self::AmbiguousId { layer, id, count }) => format!(
                "có {count} {} cùng mang mã \"{id}\": hãy chỉ rõ bằng \"at\" (số thứ tự, từ 1)",
                layer_name(*layer, lang)
            ),
            (Lang::En, Self::BadValue { key, problem }) => {
                format!("{key}: {}", problem.message(lang))
            }
            (Lang::Vi, Self::BadValue { key, problem }) => {
                format!("{key}: {}", problem.message(lang))
            }
            (Lang::En, Self::Changed { key, now }) => format!(
                "{key} no longer holds the value this edit was made against; it is now {}",
                value(now)
            ),
            (Lang::Vi, Self::Changed { key, now }) => format!(
                "{key} không còn giữ giá trị mà chỉnh sửa này dựa vào; giá trị hiện tại là {}",
                value(now)
            ),
            (Lang::En, Self::VersionChanged {
                layer,
                id,
                version,
                now,
            }) => format!(
                "{} {id} was changed by someone else since this edit was made (at version {version}); its row is now at version {now}",
                match layer {
                    LayerKind::Zones => "zone",
                    LayerKind::Parcels => "lot",
                }
            ),
            (Lang::Vi, Self::VersionChanged {
                layer,
                id,
                version,
                now,
            }) => format!(
                "{} {id} đã được người khác sửa sau khi chỉnh sửa này được tạo (ở phiên bản {version}); bản ghi hiện ở phiên bản {now}",
                match layer {
                    LayerKind::Zones => "Khu",
                    LayerKind::Parcels => "Lô",
                }
            ),
            (Lang::En, Self::AlreadyInserted { layer, row }) => format!(
                "this new {} is in the board already (row {row}): the edit was applied before",
                match layer {
                    LayerKind::Zones => "zone",
                    LayerKind::Parcels => "lot",
                }
            ),
            (Lang::Vi, Self::AlreadyInserted { layer, row }) => format!(
                "{} mới này đã có trong cơ sở dữ liệu (bản ghi {row}): chỉnh sửa đã được ghi trước đó",
                match layer {
                    LayerKind::Zones => "Khu",
                    LayerKind::Parcels => "Lô",
                }
            ),
            (_, Self::BadGeometry(problem)) => problem.message(lang),
            (Lang::En, Self::NotAFeature) => "\"feature\" is not a GeoJSON Feature object".into(),
            (Lang::Vi, Self::NotAFeature) => {
                "\"feature\" không phải là một đối tượng GeoJSON Feature".into()
            }
            (Lang::En, Self::FeatureOrRaw) => {
                "give the new feature as \"feature\" (GeoJSON, WGS84) or as \"raw\" (its text in the file), not both".into()
            }
            (Lang::Vi, Self::FeatureOrRaw) => {
                "hãy ghi đối tượng mới bằng \"feature\" (GeoJSON, WGS84) hoặc \"raw\" (nguyên văn trong tệp), không ghi cả hai".into()
            }
            (Lang::En, Self::GeometryOrRaw) => {
                "give the new shape as \"geometry\" (GeoJSON, WGS84) or as \"raw\" (its text in the file), not both".into()
            }
            (Lang::Vi, Self::GeometryOrRaw) => {
                "hãy ghi hình mới bằng \"geometry\" (GeoJSON, WGS84) hoặc \"raw\" (nguyên văn trong tệp), không ghi cả hai".into()
            }
            (Lang::En, Self::NoShape { layer, id }) => format!(
                "{} {id} has no usable shape to edit",
                layer_one(*layer, lang)
            ),
            (Lang::Vi, Self::NoShape { layer, id }) => format!(
                "{} {id} không có hình dùng được để chỉnh sửa",
                layer_one(*layer, lang)
            ),
            (_, Self::Split(problem)) => problem.message(lang),
            (_, Self::Merge(problem)) => problem.message(lang),
            (Lang::En, Self::NewIds { given, parts }) => {
                format!("{given} new ids given for {parts} parts")
            }
            (Lang::Vi, Self::NewIds { given, parts }) => {
                format!("có {given} mã mới cho {parts} phần")
            }
            (Lang::En, Self::IdTaken { layer, id }) => format!(
                "another {} already has the id \"{id}\"",
                layer_one(*layer, lang)
            ),
            (Lang::Vi, Self::IdTaken { layer, id }) => format!(
                "đã có {} khác mang mã \"{id}\"",
                layer_one(*layer, lang)
            ),
            (_, Self::Edit(problem)) => problem.message(lang),
            (_, Self::Shape(fault)) => fault.message(lang),
            (_, Self::Vertex(problem)) => problem.message(lang),
        }
    }
}
