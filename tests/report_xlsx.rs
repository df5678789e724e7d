//! `report --format xlsx` as a board uses it: the workbook read back by a spreadsheet library
//! gives the CSV report's figures (parsed here on their own) as numeric cells, under
//! Vietnamese headers, with the header row frozen and filtered; the totals are the published
//! ones; text that looks like a formula stays text; and a workbook is never printed to a
//! terminal.

mod common;

use calamine::{Data, Range, Reader, Xlsx, open_workbook};
use common::{Workdir, copy_sample};
use serde_json::Value;
use std::io::Read;
use std::path::Path;
use std::process::Output;

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8")
}

fn sample() -> Workdir {
    let fx = Workdir::new(&[]);
    copy_sample(fx.dir.path());
    fx
}

fn run_ok(fx: &Workdir, args: &[&str]) -> Output {
    let o = fx.run(args);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    o
}

fn workbook(path: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(path).expect("an xlsx workbook")
}

fn at(range: &Range<Data>, row: usize, col: usize) -> Data {
    range
        .get_value((row as u32, col as u32))
        .cloned()
        .unwrap_or(Data::Empty)
}

fn text(range: &Range<Data>, row: usize, col: usize) -> String {
    match at(range, row, col) {
        Data::String(s) => s,
        other => panic!("({row}, {col}) is not text: {other:?}"),
    }
}

/// A numeric cell; text that merely reads as a number fails.
fn number(range: &Range<Data>, row: usize, col: usize) -> Option<f64> {
    match at(range, row, col) {
        Data::Float(x) => Some(x),
        Data::Int(n) => Some(n as f64),
        Data::Empty => None,
        other => panic!("({row}, {col}) is not a number: {other:?}"),
    }
}

/// One CSV line's cells (quoted cells unquoted).
fn csv_cells(line: &str) -> Vec<String> {
    let (mut cells, mut cell, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => cells.push(std::mem::take(&mut cell)),
            c => cell.push(c),
        }
    }
    cells.push(cell);
    cells
}

/// A CSV figure: `None` for an empty cell.
fn csv_number(s: &str) -> Option<f64> {
    (!s.is_empty()).then(|| s.parse().expect("a CSV number"))
}

/// A part of the workbook's zip, as text.
fn part(path: &Path, name: &str) -> String {
    let file = std::fs::File::open(path).expect("the workbook");
    let mut zip = zip::ZipArchive::new(file).expect("a zip");
    let mut text = String::new();
    zip.by_name(name)
        .expect("the part")
        .read_to_string(&mut text)
        .expect("UTF-8");
    text
}

/// Within half of the CSV's last decimal.
fn close(xlsx: Option<f64>, csv: Option<f64>, decimals: i32, what: &str) {
    match (xlsx, csv) {
        (Some(a), Some(b)) => {
            assert!(
                (a - b).abs() <= 0.5 * 10f64.powi(-decimals) + 1e-9,
                "{what}: {a} vs {b}"
            )
        }
        (a, b) => assert_eq!(a, b, "{what}"),
    }
}

#[test]
fn sample_workbook_gives_back_the_csv_reports_figures_under_vietnamese_headers() {
    let fx = sample();
    let files = ["zones.geojson", "parcels.geojson"];
    let o = run_ok(
        &fx,
        &[
            "report", files[0], files[1], "--format", "xlsx", "--output", "r.xlsx", "--lang", "vi",
        ],
    );
    assert!(o.stdout.is_empty(), "nothing on standard output");
    let csv =
        String::from_utf8(run_ok(&fx, &["report", files[0], files[1]]).stdout).expect("utf-8");
    let path = fx.path("r.xlsx");
    let mut book = workbook(&path);
    assert_eq!(
        book.sheet_names(),
        ["Khu công nghiệp", "Tổng hợp", "Kết quả kiểm tra"]
    );
    let zones = book.worksheet_range("Khu công nghiệp").expect("zones");
    let headers: Vec<String> = (0..16).map(|c| text(&zones, 0, c)).collect();
    assert_eq!(
        headers,
        [
            "Mã KCN",
            "Tên KCN",
            "Tỉnh",
            "Tình trạng",
            "Diện tích tự nhiên đo được (ha)",
            "Diện tích quy hoạch (ha)",
            "Đất công nghiệp (ha)",
            "Đất dịch vụ (ha)",
            "Đất công nghiệp đã cho thuê (ha)",
            "Đất dịch vụ đã cho thuê (ha)",
            "Tỷ lệ lấp đầy (đất công nghiệp)",
            "Tỷ lệ lấp đầy (NĐ 35/2022)",
            "Cơ sở tính tỷ lệ lấp đầy",
            "Số lô đã cho thuê",
            "Số lô còn trống",
            "Số lô giữ lại",
        ]
    );
    // Every zone's figures as the CSV gives them, in the same columns, as numeric cells.
    let csv_rows: Vec<Vec<String>> = csv.lines().skip(1).map(csv_cells).collect();
    assert_eq!(csv_rows.len(), 16);
    assert_eq!(zones.height(), csv_rows.len() + 1);
    for (i, c) in csv_rows.iter().enumerate() {
        let y = i + 1;
        assert_eq!(text(&zones, y, 0), c[0]);
        assert_eq!(text(&zones, y, 1), c[1]);
        for (col, cell) in c.iter().enumerate() {
            let (shown, decimals) = match col {
                // Hectares (4 decimals in the CSV).
                4..=9 => (number(&zones, y, col), 4),
                // Rates: percent in the CSV, a fraction under a % format in the workbook.
                10 | 11 => (number(&zones, y, col).map(|f| 100.0 * f), 2),
                // Lot counts.
                13..=15 => (number(&zones, y, col), 0),
                _ => continue,
            };
            close(shown, csv_number(cell), decimals, cell);
        }
    }
    // One zone spelled out: KCN Quế Võ, operating, with its 400.45 ha of industrial land.
    let que_vo = csv_rows
        .iter()
        .position(|c| c[1] == "KCN Quế Võ")
        .expect("KCN Quế Võ")
        + 1;
    assert_eq!(text(&zones, que_vo, 3), "Đang hoạt động");
    assert_eq!(number(&zones, que_vo, 6), Some(400.45));
    assert_eq!(text(&zones, que_vo, 12), "đất công nghiệp");

    // The totals over all zones are the board's published figures (DOMAIN.md).
    let totals = book.worksheet_range("Tổng hợp").expect("totals");
    let all = (0..totals.height())
        .find(|&y| at(&totals, y, 0) == Data::String("Tất cả KCN".into()))
        .expect("the all-zones row");
    assert_eq!(number(&totals, all, 1), Some(16.0));
    assert_eq!(number(&totals, all, 2), Some(12.0));
    let area = number(&totals, all, 3).expect("area");
    assert!((area - 6397.68).abs() < 0.005, "{area}");
    let leased = number(&totals, all, 7).expect("leased");
    assert!((leased - 2481.57).abs() < 0.005, "{leased}");
    let rate = number(&totals, all, 11).expect("rate");
    assert_eq!(format!("{:.2}", 100.0 * rate), "60.04");
    assert_eq!(text(&totals, all + 1, 0), "KCN đang hoạt động");
    assert_eq!(text(&totals, all + 2, 0), "Bắc Ninh");

    // The findings as `check` says them in Vietnamese (it exits with 1: the sample has errors).
    let check = fx.run(&[
        "check", files[0], files[1], "--format", "json", "--lang", "vi",
    ]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    let check: Value = serde_json::from_slice(&check.stdout).expect("json");
    let check = check.as_array().expect("an array");
    let findings = book.worksheet_range("Kết quả kiểm tra").expect("findings");
    assert_eq!(findings.height(), check.len() + 1);
    for (i, f) in check.iter().enumerate() {
        assert_eq!(
            Some(text(&findings, i + 1, 5).as_str()),
            f["message"].as_str()
        );
        assert_eq!(number(&findings, i + 1, 2), f["feature"].as_f64());
    }

    // The header rows frozen and filtered, as the sheets' XML says (calamine does not).
    let zones_xml = part(&path, "xl/worksheets/sheet1.xml");
    assert!(zones_xml.contains(r#"ySplit="1""#) && zones_xml.contains(r#"state="frozen""#));
    assert!(
        zones_xml.contains(r#"<autoFilter ref="A1:P17"/>"#),
        "{zones_xml}"
    );
    let findings_xml = part(&path, "xl/worksheets/sheet3.xml");
    assert!(findings_xml.contains(r#"state="frozen""#));
    assert!(findings_xml.contains("<autoFilter "));
    // Hectares with 2 decimals, rates as percentages, counts as integers, dates as dates.
    let styles = part(&path, "xl/styles.xml");
    for code in ["#,##0.00", "0.00%", "#,##0", "dd/mm/yyyy"] {
        assert!(
            styles.contains(&format!(r#"formatCode="{code}""#)),
            "{code}"
        );
    }
}

#[test]
fn figures_as_of_a_date_with_the_date_as_a_date_cell() {
    let fx = sample();
    let files = ["zones.geojson", "parcels.geojson"];
    let date = ["--as-of", "30/06/2022"];
    let args = [files[0], files[1], date[0], date[1]];
    run_ok(
        &fx,
        &[
            &["report", "--format", "xlsx", "--output", "r.xlsx"][..],
            &args,
        ]
        .concat(),
    );
    let csv =
        String::from_utf8(run_ok(&fx, &[&["report"][..], &args].concat()).stdout).expect("utf-8");
    let mut book = workbook(&fx.path("r.xlsx"));
    let totals = book.worksheet_range("Totals").expect("totals");
    assert_eq!(text(&totals, 1, 0), "Figures as of");
    // 30 June 2022 is day 44,742 of Excel's calendar (from 30 December 1899).
    match at(&totals, 1, 1) {
        Data::DateTime(d) => assert_eq!(d.as_f64(), 44_742.0),
        other => panic!("not a date: {other:?}"),
    }
    // The all-zones leased land is the sum of the CSV's zones on that date.
    let csv_leased: f64 = csv
        .lines()
        .skip(1)
        .map(|l| csv_number(&csv_cells(l)[8]).unwrap_or(0.0))
        .sum();
    let all = (0..totals.height())
        .find(|&y| at(&totals, y, 0) == Data::String("All zones".into()))
        .expect("the all-zones row");
    let leased = number(&totals, all, 7).expect("leased");
    assert!(
        (leased - csv_leased).abs() < 16.0 * 0.00005,
        "{leased} vs {csv_leased}"
    );
}

#[test]
fn a_zone_named_like_a_formula_stays_text() {
    let zones = r#"{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"zone_id": "=1+1", "name": "=1+1", "province": "@SUM(A1:A2)", "industrial_land_ha": 10},
 "geometry": {"type": "Polygon", "coordinates": [[[106.0, 21.0], [106.01, 21.0], [106.01, 21.01], [106.0, 21.01], [106.0, 21.0]]]}}
]}"#;
    let fx = Workdir::new(&[("zones.geojson", zones)]);
    run_ok(
        &fx,
        &[
            "report",
            "zones.geojson",
            "--format",
            "xlsx",
            "--output",
            "r.xlsx",
        ],
    );
    let path = fx.path("r.xlsx");
    let zones = workbook(&path).worksheet_range("Zones").expect("zones");
    assert_eq!(at(&zones, 1, 0), Data::String("=1+1".into()));
    assert_eq!(at(&zones, 1, 1), Data::String("=1+1".into()));
    assert_eq!(at(&zones, 1, 2), Data::String("@SUM(A1:A2)".into()));
    let xml = part(&path, "xl/worksheets/sheet1.xml");
    assert!(!xml.contains("<f>"), "a formula cell:\n{xml}");
}

#[test]
fn a_workbook_needs_an_output_file() {
    let fx = sample();
    for (lang, words) in [("en", "--output"), ("vi", "hãy đặt tên tệp bằng --output")] {
        let o = fx.run(&[
            "report",
            "zones.geojson",
            "--format",
            "xlsx",
            "--lang",
            lang,
        ]);
        assert_eq!(o.status.code(), Some(2));
        assert!(o.stdout.is_empty(), "no bytes on the terminal");
        assert!(stderr(&o).contains(words), "{}", stderr(&o));
    }
}

#[test]
fn a_workbook_that_cannot_be_written_names_the_file_and_leaves_none() {
    let fx = sample();
    let o = fx.run(&[
        "report",
        "zones.geojson",
        "--format",
        "xlsx",
        "--output",
        "missing/r.xlsx",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing/r.xlsx"), "{}", stderr(&o));
    let left: Vec<_> = std::fs::read_dir(fx.dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(left.len(), 2, "only the sample's files: {left:?}");
}
