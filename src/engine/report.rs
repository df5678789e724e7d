//! The zone report: one row per zone in file order, and the totals, as CSV (for machines),
//! JSON (rows, totals and findings) and Markdown (a summary for people).

use serde::Serialize;
use serde_json::{Value, json};
use std::fmt::Write as _;

use super::dataset::Dataset;
use super::figures::Totals;
use super::findings::{Finding, Severity};
use super::format::{Lang, fmt_ha, fmt_pct};

/// The CSV header; scripts rely on it exactly.
pub const CSV_HEADER: &str = "zone_id,name,province,status,area_ha,planned_area_ha,industrial_land_ha,service_land_ha,leased_ha,leased_service_ha,fill_rate_pct,fill_rate_d35_pct,fill_basis,parcels_leased,parcels_vacant,parcels_reserved";

/// One zone's row. `None` is an unknown value (an empty CSV cell, JSON `null`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    pub zone_id: String,
    pub name: String,
    pub province: Option<String>,
    pub status: Option<&'static str>,
    pub area_ha: Option<f64>,
    pub planned_area_ha: Option<f64>,
    pub industrial_land_ha: Option<f64>,
    pub service_land_ha: Option<f64>,
    pub leased_ha: Option<f64>,
    pub leased_service_ha: Option<f64>,
    pub fill_rate_pct: Option<f64>,
    pub fill_rate_d35_pct: Option<f64>,
    pub fill_basis: Option<&'static str>,
    pub parcels_leased: Option<usize>,
    pub parcels_vacant: Option<usize>,
    pub parcels_reserved: Option<usize>,
}

/// The rows of a dataset, in file order.
pub fn rows(ds: &Dataset) -> Vec<Row> {
    let with_parcels = ds.parcels.is_some();
    ds.zones
        .items
        .iter()
        .zip(&ds.figures)
        .map(|(z, f)| {
            let m = &f.measured;
            let known = |v: f64| with_parcels.then_some(v);
            let count = |v: usize| with_parcels.then_some(v);
            Row {
                zone_id: z.id.clone(),
                name: z.name.clone(),
                province: z.province.clone(),
                status: z.status.map(|s| s.code()),
                area_ha: m.area_ha,
                planned_area_ha: z.planned_area_ha,
                industrial_land_ha: z.industrial_land_ha,
                service_land_ha: z.service_land_ha,
                leased_ha: known(m.leased_ha),
                leased_service_ha: known(m.leased_service_ha),
                // Without parcels the engine has no rate (`Measured::leased_unknown`).
                fill_rate_pct: f.fill_rate_pct,
                fill_rate_d35_pct: f.fill_rate_d35_pct,
                fill_basis: f.basis.filter(|_| with_parcels).map(|b| b.code()),
                parcels_leased: count(m.parcels_leased),
                parcels_vacant: count(m.parcels_vacant),
                parcels_reserved: count(m.parcels_reserved),
            }
        })
        .collect()
}

/// A text cell: quoted where CSV needs it, and neutralised where a spreadsheet would run it.
/// A cell beginning with `=`, `+`, `-`, `@` (or a tab or carriage return) is a formula to
/// Excel and LibreOffice (CSV injection), so it gets a leading `'`, which they show as text;
/// a cell that is a plain number (`-5`) is not a formula and stays as it is.
fn csv_field(s: &str) -> String {
    let formula = s.starts_with(['=', '+', '-', '@', '\t', '\r']) && s.parse::<f64>().is_err();
    let s = if formula {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn cell<T>(v: Option<T>, f: impl Fn(T) -> String) -> String {
    v.map(f).unwrap_or_default()
}

/// The report as CSV: [`CSV_HEADER`], then a row per zone. Hectares with 4 decimals, rates
/// with 2, `.` as the decimal point.
pub fn csv(ds: &Dataset) -> String {
    let mut out = String::with_capacity(128 * (ds.zones.len() + 1));
    out.push_str(CSV_HEADER);
    out.push('\n');
    let ha = |v: Option<f64>| cell(v, |x| format!("{x:.4}"));
    let rate = |v: Option<f64>| cell(v, |x| format!("{x:.2}"));
    let count = |v: Option<usize>| cell(v, |x| x.to_string());
    for r in rows(ds) {
        let fields = [
            csv_field(&r.zone_id),
            csv_field(&r.name),
            csv_field(r.province.as_deref().unwrap_or("")),
            r.status.unwrap_or("").to_string(),
            ha(r.area_ha),
            ha(r.planned_area_ha),
            ha(r.industrial_land_ha),
            ha(r.service_land_ha),
            ha(r.leased_ha),
            ha(r.leased_service_ha),
            rate(r.fill_rate_pct),
            rate(r.fill_rate_d35_pct),
            r.fill_basis.unwrap_or("").to_string(),
            count(r.parcels_leased),
            count(r.parcels_vacant),
            count(r.parcels_reserved),
        ];
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

fn totals_json(t: &Totals) -> Value {
    json!({
        "zones": t.zones,
        "operating": t.operating,
        "area_ha": t.area_ha,
        "planned_area_ha": t.planned_area_ha,
        "industrial_land_ha": t.industrial_land_ha,
        "service_land_ha": t.service_land_ha,
        "leased_ha": t.leased_ha,
        "leased_service_ha": t.leased_service_ha,
        "denominator_ha": t.denominator_ha,
        "denominator_d35_ha": t.denominator_d35_ha,
        "fill_rate_pct": t.fill_rate_pct,
        "fill_rate_d35_pct": t.fill_rate_d35_pct,
        "fill_basis": t.basis_label(),
        "zones_by_basis": t.zones_by_basis.iter().map(|(b, n)| (b.code().to_string(), json!(n))).collect::<serde_json::Map<_, _>>(),
        "parcels_leased": t.parcels_leased,
        "parcels_vacant": t.parcels_vacant,
        "parcels_reserved": t.parcels_reserved,
    })
}

/// The report as JSON: `zones` (the rows), `totals` (`all`, `operating`, `provinces`) and
/// `findings`.
pub fn json(ds: &Dataset, findings: &[Finding]) -> String {
    let provinces: Vec<Value> = ds
        .totals_by_province()
        .iter()
        .map(|(name, t)| {
            let mut v = totals_json(t);
            v["province"] = json!(name);
            v
        })
        .collect();
    let doc = json!({
        "zones": rows(ds),
        "totals": {
            "all": totals_json(&ds.totals_all()),
            "operating": totals_json(&ds.totals_operating()),
            "provinces": provinces,
        },
        "findings": findings,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// The report as Markdown, for people: key figures, the zone table, the findings by kind.
pub fn markdown(ds: &Dataset, findings: &[Finding], lang: Lang) -> String {
    let t = |en: &'static str, vi: &'static str| if lang == Lang::Vi { vi } else { en };
    let mut out = String::new();
    let all = ds.totals_all();
    let op = ds.totals_operating();
    let _ = writeln!(
        out,
        "# {}\n",
        t(
            "Industrial zones: fill rates",
            "Các khu công nghiệp: tỷ lệ lấp đầy"
        )
    );
    let _ = writeln!(
        out,
        "{}: {}\n",
        t("Zones file", "Tệp khu công nghiệp"),
        ds.zones.doc.name()
    );
    if let Some(p) = &ds.parcels {
        let _ = writeln!(
            out,
            "{}: {}\n",
            t("Parcels file", "Tệp lô đất"),
            p.doc.name()
        );
    }
    let _ = writeln!(
        out,
        "| | {} | {} |\n|---|---:|---:|",
        t("All zones", "Tất cả KCN"),
        t("Operating zones", "KCN đang hoạt động")
    );
    let pct = |v: Option<f64>| v.map(|x| fmt_pct(x, lang)).unwrap_or_else(|| "—".into());
    let lines: [(&str, String, String); 7] = [
        (
            t("Zones", "Số KCN"),
            all.zones.to_string(),
            op.zones.to_string(),
        ),
        (
            t("Gross area", "Diện tích tự nhiên"),
            fmt_ha(all.area_ha, lang),
            fmt_ha(op.area_ha, lang),
        ),
        (
            t("Industrial land", "Đất công nghiệp"),
            fmt_ha(all.industrial_land_ha, lang),
            fmt_ha(op.industrial_land_ha, lang),
        ),
        (
            t("Leased industrial land", "Đất CN đã cho thuê"),
            fmt_ha(all.leased_ha, lang),
            fmt_ha(op.leased_ha, lang),
        ),
        (
            t("Leased service land", "Đất dịch vụ đã cho thuê"),
            fmt_ha(all.leased_service_ha, lang),
            fmt_ha(op.leased_service_ha, lang),
        ),
        (
            t("Fill rate (industrial land)", "Tỷ lệ lấp đầy (đất CN)"),
            pct(all.fill_rate_pct),
            pct(op.fill_rate_pct),
        ),
        (
            t("Fill rate (Decree 35)", "Tỷ lệ lấp đầy (NĐ 35/2022)"),
            pct(all.fill_rate_d35_pct),
            pct(op.fill_rate_d35_pct),
        ),
    ];
    for (label, a, o) in lines {
        let _ = writeln!(out, "| {label} | {a} | {o} |");
    }
    let _ = writeln!(
        out,
        "\n{}: {}. {}\n",
        t("Basis", "Cơ sở tính"),
        all.basis_label(),
        t(
            "Province figures are ratios of sums, not means of zone rates.",
            "Số liệu toàn tỉnh là tỷ số của các tổng, không phải trung bình tỷ lệ các KCN."
        )
    );
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {} |\n|---|---|---:|---:|---:|---:|---|",
        t("Zone", "KCN"),
        t("Status", "Trạng thái"),
        t("Area", "Diện tích"),
        t("Industrial land", "Đất CN"),
        t("Leased", "Đã cho thuê"),
        t("Fill rate", "Tỷ lệ lấp đầy"),
        t("Basis", "Cơ sở")
    );
    for r in rows(ds) {
        let opt_ha = |v: Option<f64>| v.map(|x| fmt_ha(x, lang)).unwrap_or_else(|| "—".into());
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            r.name.replace('|', "\\|"),
            r.status.unwrap_or("—"),
            opt_ha(r.area_ha),
            opt_ha(r.industrial_land_ha),
            opt_ha(r.leased_ha),
            pct(r.fill_rate_pct),
            r.fill_basis.unwrap_or("—")
        );
    }
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let _ = writeln!(
        out,
        "\n{}: {} {}, {} {}, {} {}.",
        t("Findings", "Phát hiện"),
        count(Severity::Error),
        t("errors", "lỗi"),
        count(Severity::Warning),
        t("warnings", "cảnh báo"),
        count(Severity::Info),
        t("notes", "ghi chú")
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::test_data::{dataset_of, lots, square};

    /// Text cells that a spreadsheet would run as formulas get a leading `'`; plain numbers,
    /// ordinary text, the header and the figures stay exactly as they were.
    #[test]
    fn csv_neutralises_formulas_in_text_cells_only() {
        let names = [
            r#"=HYPERLINK("http://127.0.0.1/x","ok")"#,
            "+84 222 3854 123",
            "-KCN",
            "@SUM(A1:A9)",
            "-1+2",
            "-5",
            "KCN Quế Võ, giai đoạn 2",
        ];
        let features: Vec<String> = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let n = Value::from(*n);
                format!(
                    r#"{{"type":"Feature","properties":{{"zone_id":{n},"name":{n},"province":"=1+1","industrial_land_ha":100}},"geometry":{}}}"#,
                    square(106.0 + 0.1 * i as f64, 21.0, 0.01)
                )
            })
            .collect();
        let zones = format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        );
        let ds = dataset_of(
            &zones,
            &lots(&[r#"{"status":"leased"}"#], 106.0, 21.001, 0.001, 0.0005),
        );
        let out = csv(&ds);
        let mut lines = out.lines();
        assert_eq!(lines.next(), Some(CSV_HEADER));
        let rows: Vec<&str> = lines.collect();
        let expect_id = [
            r#""'=HYPERLINK(""http://127.0.0.1/x"",""ok"")""#,
            "'+84 222 3854 123",
            "'-KCN",
            "'@SUM(A1:A9)",
            "'-1+2",
            "-5",
            r#""KCN Quế Võ, giai đoạn 2""#,
        ];
        for (row, id) in rows.iter().zip(expect_id) {
            let expect = format!("{id},{id},'=1+1,,");
            assert!(row.starts_with(&expect), "{row} should start with {expect}");
        }
        // The figures are untouched numbers: the first row's area and industrial land.
        // From the right: parcels (3), basis, rates (2), leased (2), service, industrial, plan, area.
        let first: Vec<&str> = rows[0].rsplitn(13, ',').collect();
        let area = first[11].parse::<f64>().expect("area is a number");
        assert!(area > 100.0, "{area}");
        assert_eq!(first[9], "100.0000");
    }
}
