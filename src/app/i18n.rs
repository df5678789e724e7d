//! Every string the window shows, through one table.
//!
//! English only for now; the Vietnamese column is a later issue. Code never writes a visible
//! string of its own: it asks [`tr`] for a [`Key`] (or [`field_label`] for a property), and fills
//! templates with [`trf`]. The language is kept in the app state, so switching is one assignment.

use crate::engine::format::Lang;

/// A visible string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    AppName,
    BuiltInSample,
    // Menus
    MenuFile,
    OpenZones,
    OpenParcels,
    Save,
    SaveAs,
    ExportCsv,
    ExportMarkdown,
    ExportPng,
    RecentFiles,
    NoRecentFiles,
    Quit,
    MenuEdit,
    Undo,
    Redo,
    NothingToUndo,
    NothingToRedo,
    MenuView,
    FitAll,
    FitSelection,
    ShowParcels,
    ShowLabels,
    ShowFindings,
    // Zone table
    ZonesHeading,
    Search,
    SearchHint,
    ColName,
    ColProvince,
    ColStatus,
    ColArea,
    ColIndustrial,
    ColLeased,
    ColFill,
    TotalAll,
    TotalOperating,
    NoZonesMatch,
    // Inspector
    InspectorHeading,
    NothingSelected,
    ZoneKind,
    ParcelKind,
    Figures,
    PlanningAttributes,
    LeaseAttributes,
    OtherProperties,
    NoOtherProperties,
    MeasuredArea,
    LeasedLand,
    LeasedServiceLand,
    FillRate,
    FillRateD35,
    Basis,
    Denominator,
    ParcelsCount,
    ParcelArea,
    InZone,
    InNoZone,
    NotSet,
    Yes,
    No,
    // Values
    ZoneOperating,
    ZoneUnderConstruction,
    ZonePlanned,
    ParcelLeased,
    ParcelVacant,
    ParcelReserved,
    LandIndustrial,
    LandService,
    BasisIndustrialLand,
    BasisParcelInventory,
    BasisGrossArea,
    BasisNone,
    // Validation
    NotANumber,
    Negative,
    NotADate,
    EndBeforeStart,
    StartAfterEnd,
    // Findings
    FindingsHeading,
    NoFindings,
    FindingsStale,
    RefreshFindings,
    // Map
    LegendFill,
    LegendNoDenominator,
    LegendParcels,
    MapLabel,
    Tenant,
    Lease,
    // Files and messages
    Loading,
    LoadFailed,
    Loaded,
    Saved,
    SaveFailed,
    Exported,
    ExportFailed,
    NotGeoJson,
    UnsavedTitle,
    UnsavedBody,
    SaveAndContinue,
    Discard,
    Cancel,
    Dirty,
    Undone,
    Redone,
    EditOf,
    Zoom,
    FilterGeoJson,
    FilterCsv,
    FilterMarkdown,
    FilterPng,
    UnitHa,
    UnitM3PerDay,
    UnitMillionUsd,
    NoData,
    FrameCost,
}

/// The string for `key` in `lang`.
pub fn tr(lang: Lang, key: Key) -> &'static str {
    match lang {
        // A later issue adds the Vietnamese column; until then Vietnamese readers see English.
        Lang::En | Lang::Vi => en(key),
    }
}

/// A template from [`tr`] with `{name}` placeholders filled.
pub fn trf(lang: Lang, key: Key, args: &[(&str, &str)]) -> String {
    let mut s = tr(lang, key).to_string();
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

fn en(key: Key) -> &'static str {
    use Key::*;
    match key {
        AppName => "ZoneAtlas",
        BuiltInSample => "built-in sample",
        MenuFile => "File",
        OpenZones => "Open zones…",
        OpenParcels => "Open parcels…",
        Save => "Save",
        SaveAs => "Save As…",
        ExportCsv => "Export report as CSV…",
        ExportMarkdown => "Export report as Markdown…",
        ExportPng => "Export map as PNG…",
        RecentFiles => "Recent files",
        NoRecentFiles => "No recent files",
        Quit => "Quit",
        MenuEdit => "Edit",
        Undo => "Undo",
        Redo => "Redo",
        NothingToUndo => "Nothing to undo",
        NothingToRedo => "Nothing to redo",
        MenuView => "View",
        FitAll => "Fit all",
        FitSelection => "Fit selection",
        ShowParcels => "Show parcels",
        ShowLabels => "Show labels",
        ShowFindings => "Show findings",
        ZonesHeading => "Zones",
        Search => "Search",
        SearchHint => "name, province or id; with or without diacritics",
        ColName => "Name",
        ColProvince => "Province",
        ColStatus => "Status",
        ColArea => "Area ha",
        ColIndustrial => "Industrial ha",
        ColLeased => "Leased ha",
        ColFill => "Fill %",
        TotalAll => "All zones",
        TotalOperating => "Operating zones",
        NoZonesMatch => "No zone matches.",
        InspectorHeading => "Inspector",
        NothingSelected => "Click a zone or a parcel on the map, or a row of the table.",
        ZoneKind => "Zone",
        ParcelKind => "Parcel",
        Figures => "Figures",
        PlanningAttributes => "Planning attributes",
        LeaseAttributes => "Lease",
        OtherProperties => "Other properties",
        NoOtherProperties => "None",
        MeasuredArea => "Area (measured)",
        LeasedLand => "Leased industrial land",
        LeasedServiceLand => "Leased service land",
        FillRate => "Fill rate",
        FillRateD35 => "Fill rate (Decree 35)",
        Basis => "Basis",
        Denominator => "Divided by",
        ParcelsCount => "Parcels leased / vacant / reserved",
        ParcelArea => "Area",
        InZone => "In zone",
        InNoZone => "in no zone",
        NotSet => "—",
        Yes => "Yes",
        No => "No",
        ZoneOperating => "Operating",
        ZoneUnderConstruction => "Under construction",
        ZonePlanned => "Planned",
        ParcelLeased => "Leased",
        ParcelVacant => "Vacant",
        ParcelReserved => "Reserved",
        LandIndustrial => "Industrial",
        LandService => "Service",
        BasisIndustrialLand => "industrial land per plan",
        BasisParcelInventory => "land of its lots (no industrial land given)",
        BasisGrossArea => "gross area (no industrial land given; not a legal basis)",
        BasisNone => "no denominator",
        NotANumber => "“{value}” is not a number; not stored",
        Negative => "{value} is negative; not stored",
        NotADate => "“{value}” is not a date (yyyy-mm-dd or dd/mm/yyyy); not stored",
        EndBeforeStart => "the lease would end ({end}) before it starts ({start}); not stored",
        StartAfterEnd => "the lease would start ({start}) after it ends ({end}); not stored",
        FindingsHeading => "Findings",
        NoFindings => "No findings.",
        FindingsStale => {
            "may be out of date after your edits (checking a million lots takes a moment)"
        }
        RefreshFindings => "Check again",
        LegendFill => "Fill rate (industrial land)",
        LegendNoDenominator => "No denominator",
        LegendParcels => "Parcels",
        MapLabel => "Map",
        Tenant => "Tenant",
        Lease => "Lease",
        Loading => "Loading {what}…",
        LoadFailed => "Could not open {what}: {error}. The data already open stays open.",
        Loaded => "Opened {what}: {zones} zones, {parcels} parcels.",
        Saved => "Saved {what}.",
        SaveFailed => "Could not save {what}: {error}. Nothing was overwritten.",
        Exported => "Exported {what}.",
        ExportFailed => "Could not export {what}: {error}",
        NotGeoJson => "only .geojson and .json files can be opened",
        UnsavedTitle => "Unsaved changes",
        UnsavedBody => "You have edits that are not saved. Save them first?",
        SaveAndContinue => "Save",
        Discard => "Discard edits",
        Cancel => "Cancel",
        Dirty => "•",
        Undone => "Undone: {what}",
        Redone => "Redone: {what}",
        EditOf => "{field} of {name}",
        Zoom => "zoom",
        FilterGeoJson => "GeoJSON",
        FilterCsv => "CSV",
        FilterMarkdown => "Markdown",
        FilterPng => "PNG image",
        UnitHa => "ha",
        UnitM3PerDay => "m³/day",
        UnitMillionUsd => "million USD",
        NoData => {
            "No zones are open. Open a zones file from the File menu, or drop one on the window."
        }
        FrameCost => {
            "map: {ms} ms to build ({zones} zones, {parcels} parcels, {labels} labels, {vertices} vertices)"
        }
    }
}

/// The label of a property, by canonical key (the file's own name otherwise).
pub fn field_label(lang: Lang, canonical: &str) -> &'static str {
    match lang {
        Lang::En | Lang::Vi => match canonical {
            "zone_id" => "Zone id",
            "name" => "Name",
            "province" => "Province",
            "status" => "Status",
            "zone_type" => "Zone type",
            "planned_area_ha" => "Planned area",
            "industrial_land_ha" => "Industrial land",
            "service_land_ha" => "Service land",
            "developer" => "Infrastructure developer",
            "decision_no" => "Establishment decision",
            "decision_date" => "Decision date",
            "phase" => "Phase",
            "wastewater_plant" => "Central wastewater plant",
            "wastewater_capacity_m3_day" => "Wastewater capacity",
            "notes" => "Notes",
            "parcel_id" => "Parcel id",
            "land_use" => "Land use",
            "tenant" => "Tenant",
            "investor_country" => "Investor country",
            "investment_type" => "Investment (FDI / DDI)",
            "capital_musd" => "Capital",
            "lease_start" => "Lease start",
            "lease_end" => "Lease end",
            "industry" => "Industry",
            "employees" => "Employees",
            _ => "",
        },
    }
}

/// The display name of a zone type code (DOMAIN.md).
pub fn zone_type_label(lang: Lang, code: &str) -> &'static str {
    match lang {
        Lang::En | Lang::Vi => match code {
            "general" => "General",
            "export_processing" => "Export processing",
            "supporting_industry" => "Supporting industry",
            "specialised" => "Specialised",
            "eco" => "Eco-industrial",
            "high_tech" => "High-tech",
            _ => "",
        },
    }
}

/// The zone type codes of DOMAIN.md, in the order the choice list shows them.
pub const ZONE_TYPES: [&str; 6] = [
    "general",
    "export_processing",
    "supporting_industry",
    "specialised",
    "eco",
    "high_tech",
];
