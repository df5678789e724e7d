//! `zoneatlas join`: a tenant table (CSV or Excel, Vietnamese headers) sets its columns on the
//! lots it names; every other lot is written byte for byte; rows that name no lot, or several,
//! are listed.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const LOT: &str = "QV1-B01-01";
/// Two features of the sample share this id.
const TWICE: &str = "YP2C-B06-05";

fn sample_parcels(dir: &Path) -> PathBuf {
    let p = dir.join("parcels.geojson");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_zones/parcels.geojson"),
        &p,
    )
    .expect("copy");
    p
}

fn join(parcels: &Path, table: &Path, out: &Path, lang: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zoneatlas"))
        .arg("join")
        .arg(parcels)
        .arg(table)
        .args(["--key", "ma_lo", "--lang", lang, "--out-dir"])
        .arg(out)
        .output()
        .expect("run")
}

/// The written file: the changed lot's properties, and whether every other line is as it was.
fn check_written(original: &Path, written: &Path) -> serde_json::Map<String, Value> {
    let before = std::fs::read_to_string(original).expect("read");
    let after = std::fs::read_to_string(written).expect("written");
    let (b, a): (Vec<&str>, Vec<&str>) = (before.lines().collect(), after.lines().collect());
    assert_eq!(a.len(), b.len());
    let mut changed = Vec::new();
    for (k, (x, y)) in b.iter().zip(&a).enumerate() {
        if x != y {
            changed.push(k);
        }
    }
    assert_eq!(changed.len(), 1, "one lot changed: {changed:?}");
    let line = a[changed[0]].trim_end_matches(',');
    let feature: Value = serde_json::from_str(line).expect("a feature per line");
    assert_eq!(feature["properties"]["parcel_id"], Value::from(LOT));
    feature["properties"].as_object().expect("props").clone()
}

#[test]
fn a_csv_with_vietnamese_headers_sets_the_lots_it_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let parcels = sample_parcels(dir.path());
    let table = dir.path().join("thue.csv");
    std::fs::write(
        &table,
        format!(
            "\u{feff}Mã lô;Tên doanh nghiệp;Vốn đầu tư;Ngày thuê;Mã số thuế\n\
             {LOT};Công ty TNHH Thử Nghiệm;12.5;30/06/2024;0101234567\n\
             KHONG-CO;Ai đó;1;;\n\
             {TWICE};Hai lô;2;;\n"
        ),
    )
    .expect("write");
    let out = dir.path().join("out");
    let o = join(&parcels, &table, &out, "vi");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(said.contains("1 lô"), "{said}");
    assert!(
        said.contains("dòng 3") && said.contains("KHONG-CO"),
        "{said}"
    );
    assert!(said.contains("dòng 4") && said.contains(TWICE), "{said}");
    let props = check_written(&parcels, &out.join("parcels.geojson"));
    // The file's own names: tenant, capital_musd and lease_start are the sample's keys.
    assert_eq!(props["tenant"], Value::from("Công ty TNHH Thử Nghiệm"));
    assert_eq!(props["capital_musd"], serde_json::json!(12.5));
    assert_eq!(props["lease_start"], Value::from("2024-06-30"));
    // A header no alias knows keeps its own name; a tax code keeps its leading zero.
    assert_eq!(props["Mã số thuế"], Value::from("0101234567"));
}

#[test]
fn an_excel_sheet_sets_numbers_as_numbers_and_dates_as_dates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let parcels = sample_parcels(dir.path());
    let table = dir.path().join("thue.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    for (c, h) in ["Mã lô", "Tên doanh nghiệp", "Vốn đầu tư", "Ngày thuê"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).expect("header");
    }
    sheet.write_string(1, 0, LOT).expect("cell");
    sheet.write_string(1, 1, "Công ty Excel").expect("cell");
    sheet.write_number(1, 2, 7.25).expect("cell");
    let d = rust_xlsxwriter::ExcelDateTime::from_ymd(2023, 12, 31).expect("date");
    sheet
        .write_datetime_with_format(1, 3, &d, &date)
        .expect("cell");
    book.save(&table).expect("save");

    let out = dir.path().join("out");
    let o = join(&parcels, &table, &out, "en");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let props = check_written(&parcels, &out.join("parcels.geojson"));
    assert_eq!(props["tenant"], Value::from("Công ty Excel"));
    assert_eq!(props["capital_musd"], serde_json::json!(7.25));
    assert_eq!(props["lease_start"], Value::from("2023-12-31"));
}

#[test]
fn a_table_without_the_key_column_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let parcels = sample_parcels(dir.path());
    let table = dir.path().join("t.csv");
    std::fs::write(&table, "Tên doanh nghiệp\nA\n").expect("write");
    let out = dir.path().join("out");
    let o = join(&parcels, &table, &out, "en");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("t.csv") && err.contains("ma_lo"), "{err}");
    assert!(!out.join("parcels.geojson").exists(), "nothing written");
}

/// In the window: File › Import tenant table… previews what the table changes, applies it as
/// one edit, and Undo takes it all back.
#[test]
fn the_app_previews_a_table_and_applies_it_as_one_undoable_edit() {
    use egui::{Key, Modifiers};
    use egui_kittest::kittest::Queryable;
    use zoneatlas::app::dialogs::TestDialogs;
    use zoneatlas::app::{ZoneAtlasApp, sample_dataset};

    let dir = tempfile::tempdir().expect("tempdir");
    let table = dir.path().join("thue.csv");
    std::fs::write(
        &table,
        format!("Mã lô,Tên doanh nghiệp,Vốn đầu tư\n{LOT},Công ty Mới,99.5\nKHONG-CO,X,1\n"),
    )
    .expect("write");
    let dialogs = TestDialogs::new();
    let mut h = common::harness(ZoneAtlasApp::new(
        sample_dataset(),
        Box::new(dialogs.clone()),
    ));
    let lot = {
        let p = h.state().session.ds.parcels.as_ref().expect("parcels");
        (0..p.len())
            .find(|&i| p.items[i].id == LOT)
            .expect("the lot")
    };
    let tenant = |h: &egui_kittest::Harness<'static, ZoneAtlasApp>| {
        h.state().session.ds.parcels.as_ref().expect("p").items[lot]
            .tenant
            .clone()
    };
    let before = tenant(&h);
    dialogs.answer(Some(table.clone()));
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Import tenant table…").click();
    // Read on another thread: the window goes on meanwhile.
    common::settle(&mut h);
    // The preview says what it would change, and the row that names no lot.
    h.get_by_label_contains("sets 2 values on 1 lots");
    h.get_by_label_contains("Rows naming no lot (left out): 3.");
    h.get_by_label("Apply").click();
    h.run();
    assert_eq!(tenant(&h).as_deref(), Some("Công ty Mới"));
    assert!(h.state().session.history.is_dirty());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(tenant(&h), before, "one undo takes the whole table back");
}
