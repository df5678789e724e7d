//! The report as CSV: [`CSV_HEADER`], then a row per zone. Hectares with 4 decimals, rates
//! with 2, `.` as the decimal point; no words, so no language.

use crate::engine::table::Table;

/// The CSV header; scripts rely on it exactly.
pub const CSV_HEADER: &str = "zone_id,name,province,status,area_ha,planned_area_ha,industrial_land_ha,service_land_ha,leased_ha,leased_service_ha,fill_rate_pct,fill_rate_d35_pct,fill_basis,parcels_leased,parcels_vacant,parcels_reserved";

/// A text cell: quoted where CSV needs it, and neutralised where a spreadsheet would run it.
/// A cell beginning with `=`, `+`, `-`, `@` (or a tab or carriage return) is a formula to
/// Excel and LibreOffice (CSV injection), so it gets a leading `'`, which they show as text;
/// a cell that is a plain number (`-5`) is not a formula and stays as it is.
pub(crate) fn csv_field(s: &str) -> String {
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

/// The table as CSV.
pub fn csv(table: &Table) -> String {
    let mut out = String::with_capacity(128 * (table.ds.zones.len() + 1));
    out.push_str(CSV_HEADER);
    out.push('\n');
    for row in csv_rows(table) {
        out.push_str(&row);
        out.push('\n');
    }
    out
}

/// The table's rows as CSV lines (no header, no line ends).
pub(crate) fn csv_rows(table: &Table) -> Vec<String> {
    let ha = |v: Option<f64>| cell(v, |x| format!("{x:.4}"));
    let rate = |v: Option<f64>| cell(v, |x| format!("{x:.2}"));
    let count = |v: Option<usize>| cell(v, |x| x.to_string());
    table
        .rows()
        .into_iter()
        .map(|r| {
            [
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
            ]
            .join(",")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::test_data::{dataset_of, lots, square};
    use serde_json::Value;

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
        let out = csv(&Table::today(&ds));
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
