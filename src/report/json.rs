//! The report as JSON: `zones` (the rows), `totals` (`all`, `operating`, `provinces`) and
//! `findings` (their `message` in the reader's language); `as_of` when a date was asked for.

use serde_json::{Value, json};

use super::Report;
use super::findings::records;
use crate::engine::figures::Totals;
use crate::i18n::Lang;

pub(crate) fn totals_json(t: &Totals) -> Value {
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

/// The report as JSON.
pub fn json(r: &Report, lang: Lang) -> String {
    let table = &r.table;
    let provinces: Vec<Value> = table
        .totals_by_province()
        .iter()
        .map(|(name, t)| {
            let mut v = totals_json(t);
            v["province"] = json!(name);
            v
        })
        .collect();
    let mut doc = json!({
        "zones": table.rows(),
        "totals": {
            "all": totals_json(&table.totals_all()),
            "operating": totals_json(&table.totals_operating()),
            "provinces": provinces,
        },
        "findings": records(&r.findings, lang),
    });
    if let Some(d) = r.as_of {
        doc["as_of"] = json!(d.iso());
    }
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}
