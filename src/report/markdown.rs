//! The report as Markdown, for people: key figures, the zone table, the count of findings, in
//! the reader's language.

use std::fmt::Write as _;

use super::Report;
use super::findings::count_args;
use crate::i18n::keys::{basis_short, totals_basis, zone_status_text};
use crate::i18n::{Key, Lang, fmt_date, fmt_ha, fmt_pct, tr, trf};

/// The summary.
pub fn markdown(r: &Report, lang: Lang) -> String {
    let t = |k: Key| tr(lang, k);
    let table = &r.table;
    let ds = table.ds;
    let mut out = String::new();
    let all = table.totals_all();
    let op = table.totals_operating();
    let _ = writeln!(out, "# {}\n", t(Key::ReportTitle));
    let _ = writeln!(
        out,
        "{}: {}\n",
        t(Key::ReportZonesFile),
        ds.zones.doc.name()
    );
    if let Some(p) = &ds.parcels {
        let _ = writeln!(out, "{}: {}\n", t(Key::ReportParcelsFile), p.doc.name());
    }
    if let Some(d) = r.as_of {
        let date = fmt_date(d, lang);
        let _ = writeln!(out, "{}\n", trf(lang, Key::ReportAsOf, &[("date", &date)]));
    }
    let _ = writeln!(
        out,
        "| | {} | {} |\n|---|---:|---:|",
        t(Key::TotalAll),
        t(Key::TotalOperating)
    );
    let pct = |v: Option<f64>| v.map(|x| fmt_pct(x, lang)).unwrap_or_else(|| "—".into());
    let lines: [(Key, String, String); 7] = [
        (
            Key::ReportZoneCount,
            all.zones.to_string(),
            op.zones.to_string(),
        ),
        (
            Key::ReportGrossArea,
            fmt_ha(all.area_ha, lang),
            fmt_ha(op.area_ha, lang),
        ),
        (
            Key::IndustrialLand,
            fmt_ha(all.industrial_land_ha, lang),
            fmt_ha(op.industrial_land_ha, lang),
        ),
        (
            Key::ReportLeasedIndustrial,
            fmt_ha(all.leased_ha, lang),
            fmt_ha(op.leased_ha, lang),
        ),
        (
            Key::LeasedServiceLand,
            fmt_ha(all.leased_service_ha, lang),
            fmt_ha(op.leased_service_ha, lang),
        ),
        (
            Key::ReportFillRate,
            pct(all.fill_rate_pct),
            pct(op.fill_rate_pct),
        ),
        (
            Key::ReportFillRateD35,
            pct(all.fill_rate_d35_pct),
            pct(op.fill_rate_d35_pct),
        ),
    ];
    for (label, a, o) in lines {
        let _ = writeln!(out, "| {} | {a} | {o} |", t(label));
    }
    let _ = writeln!(
        out,
        "\n{}: {}. {}\n",
        t(Key::Basis),
        totals_basis(lang, &all),
        t(Key::ReportRatiosOfSums)
    );
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {} |\n|---|---|---:|---:|---:|---:|---|",
        t(Key::ReportColZone),
        t(Key::ReportColStatus),
        t(Key::ReportColArea),
        t(Key::ReportColIndustrial),
        t(Key::Leased),
        t(Key::FillRate),
        t(Key::ReportColBasis)
    );
    // Statuses and bases in words: the codes are for machines (CSV, JSON).
    // Rows are the zones there are (deleted ones left out): each is paired with its zone.
    for (z, row) in ds.zones.live().zip(table.rows().iter()) {
        let opt_ha = |v: Option<f64>| v.map(|x| fmt_ha(x, lang)).unwrap_or_else(|| "—".into());
        let status = ds.zones.items[z].status.map(|s| zone_status_text(lang, s));
        let basis = table.figures[z]
            .basis
            .filter(|_| row.fill_basis.is_some())
            .map(|b| basis_short(lang, b));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            row.name.replace('|', "\\|"),
            status.unwrap_or("—"),
            opt_ha(row.area_ha),
            opt_ha(row.industrial_land_ha),
            opt_ha(row.leased_ha),
            pct(row.fill_rate_pct),
            basis.unwrap_or("—")
        );
    }
    let args = count_args(&r.findings);
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let _ = writeln!(out, "\n{}", trf(lang, Key::ReportFindings, &args));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::edit::Op;
    use crate::engine::model::LayerKind;
    use crate::engine::test_data::three_zones;

    /// After the first zone is deleted, each row still says its own zone's status.
    #[test]
    fn rows_say_their_own_zones_status_after_a_deletion() {
        let mut ds = three_zones(&[]);
        ds.apply(&Op::Delete {
            layer: LayerKind::Zones,
            feature: 0,
        })
        .expect("deleted");
        let r = Report::today(&ds, &[]);
        let md = markdown(&r, Lang::En);
        // Zone B is planned, zone C says nothing.
        assert!(md.contains("| B | Planned |"), "{md}");
        assert!(md.contains("| C | — |"), "{md}");
    }
}
