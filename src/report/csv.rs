//! The report as CSV: [`CSV_HEADER`], then a row per zone. Hectares with 4 decimals, rates
//! with 2, `.` as the decimal point; no words, so no language.

use crate::engine::table::Table;

/// The CSV header; scripts rely on it exactly.
pub const CSV_HEADER: &str = "zone_id,name,province,status,area_ha,planned_area_ha,industrial_land_ha,service_land_ha,leased_ha,leased_service_ha,fill_rate_pct,fill_rate_d35_pct,fill_basis,parcels_leased,parcels_vacant,parcels_reserved";

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
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
    let ha = |v: Option<f64>| cell(v, |x| format!("{x:.4}"));
    let rate = |v: Option<f64>| cell(v, |x| format!("{x:.2}"));
    let count = |v: Option<usize>| cell(v, |x| x.to_string());
    for r in table.rows() {
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
