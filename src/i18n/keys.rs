//! Every fixed string the window, the reports and the command line show, through one table.
//!
//! Vietnamese and English. Code never writes a visible string of its own: it asks [`tr`] for a
//! [`Key`] (or [`field_label`] for a property, [`choice_label`] for a listed value), and fills
//! templates with [`trf`]. Numbers and dates go through [`super::numbers`] with the same
//! [`Lang`]. The app keeps the language in its state, so switching is one assignment.

use super::{Lang, fmt_ha};
use crate::engine::attributes::{Choices, Unit};
use crate::engine::figures::{FillBasis, Totals, ZoneFigures};
use crate::engine::properties::{LandUse, ParcelStatus, ZoneStatus};

/// Declares [`Key`] and [`Key::ALL`] from one list, so that no key can be left out of the
/// completeness test; [`en`] and [`vi`] are exhaustive matches, so none can lack a string.
macro_rules! keys {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        /// A visible string.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Key {
            $($(#[$doc])* $name,)*
        }

        impl Key {
            /// Every key, in declaration order.
            pub const ALL: &'static [Key] = &[$(Key::$name,)*];
        }
    };
}

keys! {

    AppName,
    BuiltInSample,
    // Menus
    MenuFile,
    OpenZones,
    OpenParcels,
    ImportTable,
    ImportTableTitle,
    ImportTableBody,
    ImportTableUnmatched,
    ImportTableAmbiguous,
    ImportTableNothing,
    ImportTableReading,
    ImportTableEdit,
    ImportTableNoLots,
    ApplyTable,
    FilterTable,
    Save,
    SaveAs,
    ExportCsv,
    ExportMarkdown,
    ExportXlsx,
    ExportPdf,
    ExportGeoJson,
    ConvertedFrom,
    ConvertedShort,
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
    Basemap,
    BasemapNone,
    BasemapOsm,
    BasemapCustomUrl,
    BasemapUrlHint,
    BasemapUse,
    BasemapMbTiles,
    BasemapOpacity,
    BasemapOffline,
    BasemapCannotOpen,
    BasemapBadUrl,
    ShowBasemap,
    FilterMbTiles,
    // Reference layers and the Layers panel
    AddReference,
    Layers,
    LayersOrder,
    PanelParcels,
    PanelZones,
    ReferenceLayers,
    NoReferenceLayers,
    /// "{n} features", in a layer's tooltip.
    ReferenceFeatures,
    LayerUp,
    LayerDown,
    LayerZoomTo,
    /// The short word on the button that flies the map to a layer.
    LayerZoomShort,
    LayerRemove,
    LayerOpacityOf,
    ReferenceLoading,
    ReferenceAdded,
    ReferenceAddedSkipped,
    ReferenceFailed,
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
    /// The basis in a table cell (the report's zone table).
    BasisShortIndustrialLand,
    BasisShortParcelInventory,
    BasisShortGrossArea,
    /// Totals over zones on different bases: `{list}` is "12 industrial land, 2 lots".
    BasisMixed,
    // Validation: a refused edit, with its problem ([`crate::engine::attributes::ValueProblem`])
    NotStored,
    /// What a number or date being typed is read as, before it is stored.
    ReadsAs,
    // Findings
    FindingsHeading,
    NoFindings,
    /// A list or figures being computed anew, the last ones shown meanwhile.
    Updating,
    /// The date control while the figures on its date are computed: those shown are of
    /// another date.
    ShowingAsOf,
    /// The same, before any figures on a date are known.
    ShowingToday,
    // Map
    LegendFill,
    LegendNoFillRate,
    LegendParcels,
    MapLabel,
    Tenant,
    Lease,
    // Files and messages
    Loading,
    /// Loading's stages, after "Loading {what}…".
    StageReading,
    StageMeasuring,
    LoadFailed,
    Loaded,
    Saved,
    SavedRenumbered,
    SaveFailed,
    Exported,
    Exporting,
    ExportFailed,
    NotGeoJson,
    UnsavedTitle,
    UnsavedBody,
    SaveAndContinue,
    Discard,
    Cancel,
    ChangedOnDiskTitle,
    ChangedOnDiskBody,
    Overwrite,
    RecoveryTitle,
    RecoveryBody,
    Restore,
    RestoreLater,
    SystemTitle,
    SystemBody,
    SystemSearch,
    SystemGroupWgs84,
    SystemGroupVn2000,
    SystemGroupTm3,
    SystemWebMercator,
    SystemOpen,
    SystemNotConverted,
    SystemCancelled,
    SystemAsked,
    Restored,
    RestoredSkipped,
    RecoveryFailed,
    Dirty,
    Undone,
    Redone,
    EditOf,
    Zoom,
    FilterGeoJson,
    FilterFeatures,
    FilterCsv,
    FilterMarkdown,
    FilterXlsx,
    FilterPng,
    UnitHa,
    UnitM3PerDay,
    UnitMillionUsd,
    NoData,
    FrameCost,
    // Map tools
    ToolSelect,
    ToolDraw,
    ToolSplit,
    ToolReshape,
    ToolMerge,
    ToolDelete,
    Snapping,
    SnappingHelp,
    SharedCorners,
    SharedCornersHelp,
    HintSelect,
    HintDraw,
    HintSplit,
    HintReshape,
    DrawnArea,
    NothingToSplit,
    ToolRefused,
    ToolDone,
    ToolLeftGap,
    WhatDraw,
    WhatSplit,
    WhatMerge,
    WhatDelete,
    WhatMoveCorner,
    WhatAddCorner,
    WhatDeleteCorner,
    LotNamed,
    LotsNamed,
    ZoneNamed,
    ZonesNamed,
    // Language
    Language,
    LangVietnamese,
    LangEnglish,
    // Presentation mode
    PresentationMode,
    PresentationTitle,
    PresentationTitleOf,
    PresentationLeave,
    ZonesOperatingOf,
    TotalArea,
    IndustrialLand,
    Leased,
    FillRateIndustrial,
    // Dashboard
    Dashboard,
    ZonesByStatus,
    ByProvince,
    NoProvince,
    FillRanking,
    InvestorsByType,
    InvestorsByCountry,
    InvestmentType,
    AsOfControl,
    ExportSlide,
    ExportZoneSheet,
    ExportDashboard,
    FillTrend,
    AsOfDate,
    Projects,
    CapitalMusd,
    Fdi,
    Ddi,
    NotStated,
    NoInvestorData,
    Country,
    ZonesWord,
    StatusUnknown,
    // Findings and status bar
    LayerZones,
    LayerParcels,
    CompassN,
    CompassS,
    CompassE,
    CompassW,
    // Legacy Vietnamese text (TCVN3 / VNI)
    LegacyTextNotice,
    LegacyTextConvert,
    LegacyTextPreview,
    LegacyTextHidePreview,
    LegacyTextDismiss,
    LegacyTextWhat,
    // Reports (the Markdown summary) and the command line
    ReportTitle,
    ReportZonesFile,
    ReportParcelsFile,
    ReportAsOf,
    ReportZoneCount,
    ReportGrossArea,
    ReportLeasedIndustrial,
    ReportFillRate,
    ReportFillRateD35,
    ReportRatiosOfSums,
    ReportColZone,
    ReportColStatus,
    ReportColArea,
    ReportColIndustrial,
    ReportColBasis,
    ReportFindings,
    CheckSummary,
    CannotWrite,
    CannotWriteOutput,
    /// `export --format`: what a format could not hold as given.
    NoticeFieldRenamed,
    NoticeValueCut,
    NoticeGeometryLeftOut,
    NoticeNotConverted,
    NoDataOpen,
    LoadingStopped,
    FixTextFound,
    FixTextNormalize,
    FixTextNothingWritten,
    JoinDone,
    JoinUnmatched,
    JoinAmbiguous,
    FixTextWritten,
    // The Excel report: its sheets, their headings, and the command line's refusal to print it
    XlsxNeedsOutput,
    /// The ministry's table (`report URL --all-boards`): its title and province column.
    MinistryTitle,
    MinistryProvince,
    /// `--all-boards` with a format other than csv, json or md, or without a database.
    AllBoardsFormats,
    /// A database URL given with a parcels file.
    DatabaseTakesNoFiles,
    /// `apply` on files without `--out-dir`.
    ApplyNeedsOutDir,
    SheetZones,
    SheetTotals,
    SheetFindings,
    /// The label before the cell with the date the figures are about.
    XlsxFiguresOn,
    XlsxColZoneId,
    XlsxColName,
    XlsxColProvince,
    XlsxColStatus,
    XlsxColAreaHa,
    XlsxColPlannedHa,
    XlsxColIndustrialHa,
    XlsxColServiceHa,
    XlsxColLeasedHa,
    XlsxColLeasedServiceHa,
    XlsxColFillRate,
    XlsxColFillRateD35,
    XlsxColBasis,
    XlsxColLotsLeased,
    XlsxColLotsVacant,
    XlsxColLotsReserved,
    /// The totals table's first column: all zones, operating zones, each province.
    XlsxColTotalsOver,
    XlsxColZones,
    XlsxColOperating,
    XlsxColDenominatorHa,
    XlsxColDenominatorD35Ha,
    XlsxColSeverity,
    XlsxColLayer,
    XlsxColFeature,
    XlsxColFeatureId,
    XlsxColOther,
    XlsxColMessage,
    SeverityError,
    SeverityWarning,
    SeverityInfo,
    /// More findings than a worksheet has rows.
    XlsxFindingsLeftOut,
    /// The PDF report's footer.
    PdfPage,
    PdfNeedsOutput,
    /// Findings beyond those the PDF report lists.
    PdfFindingsLeftOut,
    FilterPdf,
    FilterSaved,
    // A shared board (issue 14): opening one, offline, conflicts, history
    OpenDatabase,
    OpenDatabaseTitle,
    DatabaseUrl,
    BoardField,
    BoardFieldHint,
    DatabasePassword,
    OpenBoardButton,
    SharedBoard,
    BoardOffline,
    BoardOnline,
    BoardOfflineBadge,
    BoardUnsent,
    BoardRefused,
    BoardLoginRefused,
    LoginNoPassword,
    SaveNotNeeded,
    ConflictTitle,
    ConflictBodyValue,
    ConflictBodyShape,
    ConflictBodyGone,
    ConflictProperty,
    ConflictMine,
    ConflictTheirs,
    SomeoneElse,
    KeepTheirs,
    UseMine,
    ConflictKeptTheirs,
    ConflictUsedMine,
    HistoryHeading,
    HistoryReading,
    HistoryNotYet,
    HistoryEmpty,
    HistoryFailed,
    HistoryLoginRefused,
    HistorySet,
    HistoryUnset,
    HistoryReshape,
    HistoryInsert,
    HistoryDelete,
    HistoryOther,
}

/// The string for `key` in `lang`.
pub fn tr(lang: Lang, key: Key) -> &'static str {
    match lang {
        Lang::En => en(key),
        Lang::Vi => vi(key),
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
        ImportTable => "Import tenant table…",
        ImportTableTitle => "Import tenant table",
        ImportTableBody => {
            "{file} sets {values} values on {lots} lots. Each lot is named by its parcel_id column (Mã lô)."
        }
        ImportTableUnmatched => "Rows naming no lot (left out): {rows}.",
        ImportTableAmbiguous => "Rows naming several lots (left out): {rows}.",
        ImportTableNothing => "{file}: no row names a lot of the parcels file.",
        ImportTableReading => "Reading {file}…",
        ImportTableEdit => "tenant table {file}",
        ImportTableNoLots => "Open a parcels file first: a tenant table sets values on lots.",
        ApplyTable => "Apply",
        FilterTable => "Excel or CSV",
        Save => "Save",
        SaveAs => "Save As…",
        ExportCsv => "Export report as CSV…",
        ExportMarkdown => "Export report as Markdown…",
        ExportXlsx => "Export report as Excel…",
        ExportPdf => "Export report as PDF…",
        ExportGeoJson => "Export GeoJSON (WGS84)…",
        ConvertedFrom => {
            "Converted from {crs}; Save keeps that system, Export GeoJSON writes WGS84."
        }
        ConvertedShort => "Converted from {crs}",
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
        Basemap => "Basemap",
        BasemapNone => "None",
        BasemapOsm => "OpenStreetMap",
        BasemapCustomUrl => "Custom URL:",
        BasemapUrlHint => "https://…/{z}/{x}/{y}.png",
        BasemapUse => "Use",
        BasemapMbTiles => "MBTiles file…",
        BasemapOpacity => "Opacity",
        BasemapOffline => "Basemap offline: showing the tiles already cached",
        BasemapCannotOpen => "Cannot open the basemap {file}: {error}",
        BasemapBadUrl => "Not a tile URL: it needs {z}, {x} and {y}",
        ShowBasemap => "Show basemap",
        AddReference => "Add reference layer…",
        Layers => "Layers",
        LayersOrder => "Top first: each layer is drawn over those below it.",
        PanelParcels => "Parcels",
        PanelZones => "Zones",
        ReferenceLayers => "Reference layers",
        NoReferenceLayers => {
            "None yet: add roads, drainage, power lines or boundaries with Add reference layer…"
        }
        ReferenceFeatures => "{n} features",
        LayerUp => "Move {file} up",
        LayerDown => "Move {file} down",
        LayerZoomTo => "Zoom to {file}",
        LayerZoomShort => "Zoom to",
        LayerRemove => "Remove {file}",
        LayerOpacityOf => "Opacity of {file}",
        ReferenceLoading => "Reading the reference layer {file}…",
        ReferenceAdded => "Reference layer {file}: {n} features drawn",
        ReferenceAddedSkipped => {
            "Reference layer {file}: {n} features drawn; {skipped} without a geometry to draw left out"
        }
        ReferenceFailed => {
            "Could not add the reference layer {file}: {error}. The zones and parcels are unchanged."
        }
        FilterMbTiles => "MBTiles tiles",
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
        BasisShortIndustrialLand => "industrial land",
        BasisShortParcelInventory => "its lots",
        BasisShortGrossArea => "gross area",
        BasisMixed => "mixed ({list})",
        NotStored => "{problem}; not stored",
        ReadsAs => "reads as {value}",
        FindingsHeading => "Findings",
        NoFindings => "No findings.",
        Updating => "updating…",
        ShowingAsOf => "figures as of {date} shown, updating…",
        ShowingToday => "today's figures shown, updating…",
        LegendFill => "Fill rate (industrial land)",
        LegendNoFillRate => "No fill rate",
        LegendParcels => "Parcels",
        MapLabel => "Map",
        Tenant => "Tenant",
        Lease => "Lease",
        Loading => "Loading {what}…",
        StageReading => "reading",
        StageMeasuring => "measuring",
        LoadFailed => "Could not open {what}: {error}. The data already open stays open.",
        Loaded => "Opened {what}: {zones} zones, {parcels} parcels.",
        Saved => "Saved {what}.",
        SavedRenumbered => {
            "Saved {what}. Lots or zones were added or deleted, so the features are numbered afresh and the undo history starts again here."
        }
        SaveFailed => "Could not save {what}: {error}. Nothing was overwritten.",
        Exported => "Exported {what}.",
        Exporting => "Exporting {what}…",
        ExportFailed => "Could not export {what}: {error}",
        NotGeoJson => "only .geojson, .json, .shp, .gpkg, .kml, .kmz and .dxf files can be opened",
        UnsavedTitle => "Unsaved changes",
        UnsavedBody => "You have edits that are not saved. Save them first?",
        SaveAndContinue => "Save",
        Discard => "Discard edits",
        Cancel => "Cancel",
        ChangedOnDiskTitle => "Changed on disk",
        ChangedOnDiskBody => {
            "{what} changed on disk after ZoneAtlas opened it: another program or person saved it. Overwriting replaces their version (it is kept as a .bak file)."
        }
        Overwrite => "Overwrite",
        RecoveryTitle => "Restore unsaved edits?",
        RecoveryBody => "ZoneAtlas ended unexpectedly on {when}. Unsaved edits to {what}: {n}.",
        Restore => "Restore",
        RestoreLater => "Decide later",
        SystemTitle => "Coordinate system of {file}",
        SystemBody => {
            "{file} does not say which coordinate system its coordinates are in (a DXF never does). Choose the one it was drawn in, or type its EPSG code; it is then read as --source-crs reads it."
        }
        SystemSearch => "Province or EPSG code",
        SystemGroupWgs84 => "WGS 84",
        SystemGroupVn2000 => "VN-2000",
        SystemGroupTm3 => "VN-2000 / TM-3, by province",
        SystemWebMercator => "Web Mercator",
        SystemOpen => "Open in this system",
        SystemNotConverted => "EPSG:{code} is not a system ZoneAtlas converts",
        SystemCancelled => "{what} was not opened: no coordinate system was chosen.",
        SystemAsked => "{file} names no coordinate system: choose the one it is in.",
        Restored => "Unsaved edits restored to {what}: {n}.",
        RestoredSkipped => {
            "Unsaved edits restored to {what}: {n}. Left out because the file changed since and no longer holds the value they changed: {skipped}."
        }
        RecoveryFailed => "Could not keep the recovery file: {error}",
        Dirty => "•",
        Undone => "Undone: {what}",
        Redone => "Redone: {what}",
        EditOf => "{field} of {name}",
        Zoom => "zoom",
        FilterGeoJson => "GeoJSON",
        FilterFeatures => "GeoJSON, Shapefile, GeoPackage, KML, DXF",
        FilterCsv => "CSV",
        FilterMarkdown => "Markdown",
        FilterXlsx => "Excel workbook",
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
        ToolSelect => "Select",
        ToolDraw => "Draw lot",
        ToolSplit => "Split",
        ToolReshape => "Reshape",
        ToolMerge => "Merge",
        ToolDelete => "Delete",
        Snapping => "Snap",
        SnappingHelp => "Snap to the corners and edges of nearby lots and zones (within 10 pixels)",
        SharedCorners => "Shared corners",
        SharedCornersHelp => {
            "Moving a corner that neighbouring lots or zones share moves it in all of them, so they keep sharing their edges"
        }
        HintSelect => {
            "Click a lot or zone to select it; Shift+click adds lots (to merge or delete them together)."
        }
        HintDraw => {
            "Click the corners of the new lot; double-click or Enter finishes, Backspace takes back a corner, Esc cancels."
        }
        HintSplit => {
            "Draw a line across the lot or zone to split: click its points; double-click or Enter cuts, Esc cancels."
        }
        HintReshape => {
            "Drag a corner of the selected lot or zone to move it; click an edge to add a corner; right-click a corner to delete it."
        }
        DrawnArea => "Area: {ha}",
        NothingToSplit => "The line crosses no lot or zone: nothing was split.",
        ToolRefused => "Cannot {what}: {why}.",
        ToolDone => "Done: {what}.",
        ToolLeftGap => {
            "Done: {what}. It left a gap of {m2} m² between lots {a} and {b}, which shared an edge: see the findings (Undo takes it back)."
        }
        WhatDraw => "draw a new lot",
        WhatSplit => "split {what}",
        WhatMerge => "merge {what}",
        WhatDelete => "delete {what}",
        WhatMoveCorner => "move a corner of {what}",
        WhatAddCorner => "add a corner to {what}",
        WhatDeleteCorner => "delete a corner of {what}",
        LotNamed => "lot {ids}",
        LotsNamed => "lots {ids}",
        ZoneNamed => "zone {ids}",
        ZonesNamed => "zones {ids}",
        Language => "Language",
        LangVietnamese => "Tiếng Việt",
        LangEnglish => "English",
        PresentationMode => "Presentation mode",
        PresentationTitle => "Industrial zones",
        PresentationTitleOf => "Industrial zones of {province}",
        PresentationLeave => "Esc leaves the presentation",
        ZonesOperatingOf => "{operating}/{total} operating",
        TotalArea => "Total area",
        IndustrialLand => "Industrial land",
        Leased => "Leased",
        FillRateIndustrial => "Fill rate (industrial land)",
        Dashboard => "Dashboard",
        ZonesByStatus => "Zones by status",
        ByProvince => "By province",
        NoProvince => "(no province)",
        FillRanking => "Zones ranked by fill rate (industrial land)",
        InvestorsByType => "Investment projects by type",
        InvestorsByCountry => "Investment projects by investor country",
        InvestmentType => "Type",
        AsOfControl => "As of a date",
        ExportSlide => "Export map slide as PNG",
        ExportDashboard => "Export dashboard as PNG",
        ExportZoneSheet => "Export sheet of the selected zone as PNG…",
        FillTrend => "Fill rate over time (industrial land)",
        AsOfDate => "as of {date}",
        Projects => "Projects",
        CapitalMusd => "Capital (million USD)",
        Fdi => "FDI (foreign)",
        Ddi => "DDI (domestic)",
        NotStated => "Not stated",
        NoInvestorData => "The parcels carry no investment type or investor country.",
        Country => "Country",
        ZonesWord => "zones",
        StatusUnknown => "Status not given",
        LayerZones => "zones",
        LayerParcels => "parcels",
        CompassN => "N",
        CompassS => "S",
        CompassE => "E",
        CompassW => "W",
        LegacyTextNotice => "{count} values look like TCVN3/VNI text (old Vietnamese fonts)",
        LegacyTextConvert => "Convert to Unicode",
        LegacyTextPreview => "Preview",
        LegacyTextHidePreview => "Hide preview",
        LegacyTextDismiss => "Dismiss",
        LegacyTextWhat => "{count} values from TCVN3/VNI to Unicode",
        ReportTitle => "Industrial zones: fill rates",
        ReportZonesFile => "Zones file",
        ReportParcelsFile => "Parcels file",
        ReportAsOf => "Figures as of {date}",
        ReportZoneCount => "Zones",
        ReportGrossArea => "Gross area",
        ReportLeasedIndustrial => "Leased industrial land",
        ReportFillRate => "Fill rate (industrial land)",
        ReportFillRateD35 => "Fill rate (Decree 35)",
        ReportRatiosOfSums => "Province figures are ratios of sums, not means of zone rates.",
        ReportColZone => "Zone",
        ReportColStatus => "Status",
        ReportColArea => "Area",
        ReportColIndustrial => "Industrial land",
        ReportColBasis => "Basis",
        ReportFindings => "Findings: {errors} errors, {warnings} warnings, {notes} notes.",
        CheckSummary => "{errors} errors, {warnings} warnings, {notes} notes",
        CannotWrite => "{file}: cannot write: {reason}",
        CannotWriteOutput => "cannot write the output: {reason}",
        NoticeFieldRenamed => "{layer}: field `{from}` written as `{to}`",
        NoticeValueCut => {
            "{layer}: feature {feature}: `{field}` has {bytes} bytes, more than a DBF field holds; its first {kept} bytes were written"
        }
        NoticeGeometryLeftOut => {
            "{layer}: feature {feature}: its geometry ({kind}) is not an area; written without geometry"
        }
        NoticeNotConverted => {
            "{layer}: feature {feature}: its positions cannot be converted from {system}; written without geometry"
        }
        NoDataOpen => "no data open",
        LoadingStopped => "the loading stopped unexpectedly",
        FixTextFound => "{legacy} values look like legacy text ({tcvn3} TCVN3, {vni} VNI)",
        FixTextNormalize => ", {count} need Unicode normalisation",
        JoinDone => "Set the table's values on {lots} lots; written to {file}.",
        JoinUnmatched => "  row {row}: no lot has the key {key}",
        JoinAmbiguous => "  row {row}: {count} lots have the key {key}; none was changed",
        FixTextNothingWritten => {
            "; nothing written (--apply converts {file} in place, --output FILE writes a copy)"
        }
        FixTextWritten => "; {count} values changed, written to {file}",
        XlsxNeedsOutput => {
            "an Excel workbook is a binary file, not text for a terminal: name the file with --output FILE.xlsx"
        }
        MinistryTitle => "Industrial zones of every board: fill rates by province",
        MinistryProvince => "Province",
        AllBoardsFormats => {
            "--all-boards reads every board of a database (give its URL) and writes csv, json or md"
        }
        DatabaseTakesNoFiles => {
            "a database URL stands for the board's zones and parcels both: give no parcels file with it"
        }
        ApplyNeedsOutDir => "name the folder the edited files go into with --out-dir DIR",
        PdfNeedsOutput => {
            "a PDF is a binary file, not text for a terminal: name the file with --output FILE.pdf"
        }
        SheetZones => "Zones",
        SheetTotals => "Totals",
        SheetFindings => "Findings",
        XlsxFiguresOn => "Figures as of",
        XlsxColZoneId => "Zone id",
        XlsxColName => "Zone",
        XlsxColProvince => "Province",
        XlsxColStatus => "Status",
        XlsxColAreaHa => "Gross area, measured (ha)",
        XlsxColPlannedHa => "Planned area (ha)",
        XlsxColIndustrialHa => "Industrial land (ha)",
        XlsxColServiceHa => "Service land (ha)",
        XlsxColLeasedHa => "Leased industrial land (ha)",
        XlsxColLeasedServiceHa => "Leased service land (ha)",
        XlsxColFillRate => "Fill rate (industrial land)",
        XlsxColFillRateD35 => "Fill rate (Decree 35/2022)",
        XlsxColBasis => "Fill rate basis",
        XlsxColLotsLeased => "Lots leased",
        XlsxColLotsVacant => "Lots vacant",
        XlsxColLotsReserved => "Lots reserved",
        XlsxColTotalsOver => "Totals over",
        XlsxColZones => "Zones",
        XlsxColOperating => "Operating zones",
        XlsxColDenominatorHa => "Fill rate denominator (ha)",
        XlsxColDenominatorD35Ha => "Decree 35 denominator (ha)",
        XlsxColSeverity => "Severity",
        XlsxColLayer => "Layer",
        XlsxColFeature => "Feature no.",
        XlsxColFeatureId => "Id",
        XlsxColOther => "With feature no.",
        XlsxColMessage => "Finding",
        SeverityError => "Error",
        SeverityWarning => "Warning",
        SeverityInfo => "Note",
        XlsxFindingsLeftOut => {
            "{count} more findings do not fit in a worksheet; zoneatlas check lists them all."
        }
        PdfPage => "page {page} of {pages}",
        PdfFindingsLeftOut => {
            "…and {count} more; the Excel report and zoneatlas check list them all."
        }
        FilterPdf => "PDF document",
        FilterSaved => "GeoJSON or GeoPackage",
        OpenDatabase => "Open database…",
        OpenDatabaseTitle => "Open a shared board",
        DatabaseUrl => "Database URL",
        BoardField => "Board",
        BoardFieldHint => "empty: the database's only board",
        DatabasePassword => "The password comes from PGPASSWORD or ~/.pgpass, never from the URL.",
        OpenBoardButton => "Open",
        SharedBoard => "{board} · shared",
        BoardOffline => {
            "Board offline ({why}): edits are kept and will be sent when the connection is back"
        }
        BoardOnline => "Board connected again",
        BoardOfflineBadge => "offline",
        BoardUnsent => "{n} not yet sent",
        BoardRefused => {
            "The board refused an edit ({what}): {error}. It stays in the recovery file."
        }
        BoardLoginRefused => {
            "The board's server refused the login: {detail} ({target}). ZoneAtlas stops trying: the edits not yet sent stay in the recovery file, and the next start offers to send them once the login is put right."
        }
        LoginNoPassword => {
            "the server asks for a password, and none is set: put it in PGPASSWORD or the password file (~/.pgpass)"
        }
        SaveNotNeeded => {
            "Edits go to the shared board as they are made: there is nothing to save. Save As writes files."
        }
        ConflictTitle => "Someone else changed this",
        ConflictBodyValue => {
            "{what}: {who} changed this value after you made your edit. Which should the board keep?"
        }
        ConflictBodyShape => {
            "{what}: {who} changed this feature after you made your edit. Keep their version, or send yours over it?"
        }
        ConflictBodyGone => "{what}: {who} deleted this feature after you made your edit.",
        ConflictProperty => "Property",
        ConflictMine => "Yours",
        ConflictTheirs => "In the board now ({who})",
        SomeoneElse => "someone else",
        KeepTheirs => "Keep theirs",
        UseMine => "Use mine",
        ConflictKeptTheirs => "Kept the board's version: {what}",
        ConflictUsedMine => "Sending yours again: {what}",
        HistoryHeading => "History",
        HistoryReading => "Reading the history…",
        HistoryNotYet => "Not in the board yet: being sent",
        HistoryEmpty => "No change since it was imported",
        HistoryFailed => "Cannot read the history: {error}",
        HistoryLoginRefused => "the board's server refused the login ({detail})",
        HistorySet => "{who} set {key} to {value} (was {from})",
        HistoryUnset => "{who} removed {key} (was {from})",
        HistoryReshape => "{who} changed its shape",
        HistoryInsert => "{who} added it",
        HistoryDelete => "{who} deleted it",
        HistoryOther => "{who}: {op}",
    }
}

fn vi(key: Key) -> &'static str {
    use Key::*;
    match key {
        AppName => "ZoneAtlas",
        BuiltInSample => "dữ liệu mẫu có sẵn",
        MenuFile => "Tệp",
        OpenZones => "Mở tệp khu công nghiệp…",
        OpenParcels => "Mở tệp lô đất…",
        ImportTable => "Nhập bảng doanh nghiệp thuê…",
        ImportTableTitle => "Nhập bảng doanh nghiệp thuê",
        ImportTableBody => {
            "{file} ghi {values} giá trị vào {lots} lô. Mỗi lô được xác định bằng cột mã lô (parcel_id)."
        }
        ImportTableUnmatched => "Các dòng không ứng với lô nào (bỏ qua): {rows}.",
        ImportTableAmbiguous => "Các dòng ứng với nhiều lô (bỏ qua): {rows}.",
        ImportTableNothing => "{file}: không dòng nào ứng với lô trong tệp lô đất.",
        ImportTableReading => "Đang đọc {file}…",
        ImportTableEdit => "bảng doanh nghiệp thuê {file}",
        ImportTableNoLots => {
            "Hãy mở tệp lô đất trước: bảng doanh nghiệp thuê ghi giá trị vào các lô."
        }
        ApplyTable => "Áp dụng",
        FilterTable => "Excel hoặc CSV",
        Save => "Lưu",
        SaveAs => "Lưu thành…",
        ExportCsv => "Xuất báo cáo CSV…",
        ExportMarkdown => "Xuất báo cáo Markdown…",
        ExportXlsx => "Xuất báo cáo Excel…",
        ExportPdf => "Xuất báo cáo PDF…",
        ExportGeoJson => "Xuất GeoJSON (WGS84)…",
        ConvertedFrom => "Đã chuyển từ {crs}; Lưu giữ nguyên hệ tọa độ đó, Xuất GeoJSON ghi WGS84.",
        ConvertedShort => "Chuyển từ {crs}",
        ExportPng => "Xuất bản đồ PNG…",
        RecentFiles => "Tệp gần đây",
        NoRecentFiles => "Chưa có tệp gần đây",
        Quit => "Thoát",
        MenuEdit => "Sửa",
        Undo => "Hoàn tác",
        Redo => "Làm lại",
        NothingToUndo => "Không có gì để hoàn tác",
        NothingToRedo => "Không có gì để làm lại",
        MenuView => "Xem",
        FitAll => "Xem toàn bộ",
        FitSelection => "Phóng tới mục chọn",
        ShowParcels => "Hiện lô đất",
        ShowLabels => "Hiện nhãn",
        Basemap => "Bản đồ nền",
        BasemapNone => "Không có",
        BasemapOsm => "OpenStreetMap",
        BasemapCustomUrl => "URL tùy chọn:",
        BasemapUrlHint => "https://…/{z}/{x}/{y}.png",
        BasemapUse => "Dùng",
        BasemapMbTiles => "Tệp MBTiles…",
        BasemapOpacity => "Độ đậm",
        BasemapOffline => "Bản đồ nền ngoại tuyến: chỉ hiện các ô đã lưu sẵn",
        BasemapCannotOpen => "Không mở được bản đồ nền {file}: {error}",
        BasemapBadUrl => "Không phải URL ô bản đồ: cần có {z}, {x} và {y}",
        ShowBasemap => "Hiện bản đồ nền",
        AddReference => "Thêm lớp tham chiếu…",
        Layers => "Các lớp bản đồ",
        LayersOrder => "Lớp ở trên được vẽ đè lên các lớp bên dưới.",
        PanelParcels => "Lô đất",
        PanelZones => "Khu công nghiệp",
        ReferenceLayers => "Lớp tham chiếu",
        NoReferenceLayers => {
            "Chưa có: thêm đường giao thông, thoát nước, đường điện hay ranh giới hành chính bằng Thêm lớp tham chiếu…"
        }
        ReferenceFeatures => "{n} đối tượng",
        LayerUp => "Đưa {file} lên trên",
        LayerDown => "Đưa {file} xuống dưới",
        LayerZoomTo => "Thu phóng tới {file}",
        LayerZoomShort => "Phóng tới",
        LayerRemove => "Gỡ {file} khỏi bản đồ",
        LayerOpacityOf => "Độ đậm của {file}",
        ReferenceLoading => "Đang đọc lớp tham chiếu {file}…",
        ReferenceAdded => "Lớp tham chiếu {file}: đã vẽ {n} đối tượng",
        ReferenceAddedSkipped => {
            "Lớp tham chiếu {file}: đã vẽ {n} đối tượng; bỏ qua {skipped} đối tượng không có hình để vẽ"
        }
        ReferenceFailed => {
            "Không thêm được lớp tham chiếu {file}: {error}. Khu công nghiệp và lô đất không thay đổi."
        }
        FilterMbTiles => "Ô bản đồ MBTiles",
        ShowFindings => "Hiện kết quả kiểm tra",
        ZonesHeading => "Khu công nghiệp",
        Search => "Tìm kiếm",
        SearchHint => "tên, tỉnh hoặc mã; có dấu hay không dấu",
        ColName => "Tên",
        ColProvince => "Tỉnh",
        ColStatus => "Tình trạng",
        ColArea => "Diện tích ha",
        ColIndustrial => "Đất CN ha",
        ColLeased => "Đã thuê ha",
        ColFill => "Lấp đầy %",
        TotalAll => "Tất cả KCN",
        TotalOperating => "KCN đang hoạt động",
        NoZonesMatch => "Không có KCN nào phù hợp.",
        InspectorHeading => "Thông tin chi tiết",
        NothingSelected => "Nhấp vào một KCN hoặc lô đất trên bản đồ, hoặc một dòng của bảng.",
        ZoneKind => "Khu công nghiệp",
        ParcelKind => "Lô đất",
        Figures => "Số liệu",
        PlanningAttributes => "Thông tin quy hoạch",
        LeaseAttributes => "Thuê đất",
        OtherProperties => "Thuộc tính khác",
        NoOtherProperties => "Không có",
        MeasuredArea => "Diện tích (đo đạc)",
        LeasedLand => "Đất công nghiệp đã cho thuê",
        LeasedServiceLand => "Đất dịch vụ đã cho thuê",
        FillRate => "Tỷ lệ lấp đầy",
        FillRateD35 => "Tỷ lệ lấp đầy (Nghị định 35)",
        Basis => "Cơ sở tính",
        Denominator => "Chia cho",
        ParcelsCount => "Lô đã thuê / còn trống / giữ lại",
        ParcelArea => "Diện tích",
        InZone => "Thuộc KCN",
        InNoZone => "không thuộc KCN nào",
        NotSet => "—",
        Yes => "Có",
        No => "Không",
        ZoneOperating => "Đang hoạt động",
        ZoneUnderConstruction => "Đang xây dựng",
        ZonePlanned => "Quy hoạch",
        ParcelLeased => "Đã cho thuê",
        ParcelVacant => "Còn trống",
        ParcelReserved => "Giữ lại",
        LandIndustrial => "Đất công nghiệp",
        LandService => "Đất dịch vụ",
        BasisIndustrialLand => "đất công nghiệp theo quy hoạch",
        BasisParcelInventory => "diện tích các lô đất (không có số liệu đất công nghiệp)",
        BasisGrossArea => {
            "diện tích toàn khu (không có số liệu đất công nghiệp; không phải cơ sở pháp lý)"
        }
        BasisNone => "không có mẫu số",
        BasisShortIndustrialLand => "đất công nghiệp",
        BasisShortParcelInventory => "các lô đất",
        BasisShortGrossArea => "diện tích toàn khu",
        BasisMixed => "hỗn hợp ({list})",
        NotStored => "{problem}; chưa lưu",
        ReadsAs => "hiểu là {value}",
        FindingsHeading => "Kết quả kiểm tra",
        NoFindings => "Không phát hiện vấn đề.",
        Updating => "đang cập nhật…",
        ShowingAsOf => "đang hiển thị số liệu tính đến ngày {date}, đang cập nhật…",
        ShowingToday => "đang hiển thị số liệu hôm nay, đang cập nhật…",
        LegendFill => "Tỷ lệ lấp đầy (đất công nghiệp)",
        LegendNoFillRate => "Chưa có tỷ lệ lấp đầy",
        LegendParcels => "Lô đất",
        MapLabel => "Bản đồ",
        Tenant => "Bên thuê",
        Lease => "Thời hạn thuê",
        Loading => "Đang mở {what}…",
        StageReading => "đang đọc tệp",
        StageMeasuring => "đang tính diện tích",
        LoadFailed => "Không mở được {what}: {error}. Dữ liệu đang mở vẫn được giữ nguyên.",
        Loaded => "Đã mở {what}: {zones} KCN, {parcels} lô đất.",
        Saved => "Đã lưu {what}.",
        SavedRenumbered => {
            "Đã lưu {what}. Vì có lô hoặc khu được thêm hay xoá, các đối tượng được đánh số lại và lịch sử hoàn tác bắt đầu lại từ đây."
        }
        SaveFailed => "Không lưu được {what}: {error}. Không tệp nào bị ghi đè.",
        Exported => "Đã xuất {what}.",
        Exporting => "Đang xuất {what}…",
        ExportFailed => "Không xuất được {what}: {error}",
        NotGeoJson => "chỉ mở được tệp .geojson, .json, .shp, .gpkg, .kml, .kmz và .dxf",
        UnsavedTitle => "Thay đổi chưa lưu",
        UnsavedBody => "Có thay đổi chưa được lưu. Lưu trước không?",
        SaveAndContinue => "Lưu",
        Discard => "Bỏ thay đổi",
        Cancel => "Hủy",
        ChangedOnDiskTitle => "Tệp đã thay đổi trên đĩa",
        ChangedOnDiskBody => {
            "{what} đã bị thay đổi trên đĩa sau khi ZoneAtlas mở: một chương trình hoặc người khác đã lưu tệp. Ghi đè sẽ thay thế phiên bản đó (bản đó được giữ lại thành tệp .bak)."
        }
        Overwrite => "Ghi đè",
        RecoveryTitle => "Khôi phục thay đổi chưa lưu?",
        RecoveryBody => {
            "ZoneAtlas đã đóng bất thường lúc {when}. Số thay đổi chưa lưu cho {what}: {n}."
        }
        Restore => "Khôi phục",
        RestoreLater => "Để sau",
        SystemTitle => "Hệ toạ độ của {file}",
        SystemBody => {
            "{file} không ghi hệ toạ độ của các toạ độ trong tệp (tệp DXF không bao giờ ghi). Hãy chọn hệ đã dùng để vẽ, hoặc gõ mã EPSG; tệp sẽ được đọc như khi dùng --source-crs."
        }
        SystemSearch => "Tỉnh hoặc mã EPSG",
        SystemGroupWgs84 => "WGS 84",
        SystemGroupVn2000 => "VN-2000",
        SystemGroupTm3 => "VN-2000 / TM-3, theo tỉnh",
        SystemWebMercator => "Web Mercator",
        SystemOpen => "Mở theo hệ này",
        SystemNotConverted => "EPSG:{code} không phải hệ ZoneAtlas chuyển đổi được",
        SystemCancelled => "Chưa mở {what}: chưa chọn hệ toạ độ.",
        SystemAsked => "{file} không ghi hệ toạ độ: hãy chọn hệ của tệp.",
        Restored => "Đã khôi phục thay đổi chưa lưu cho {what}: {n}.",
        RestoredSkipped => {
            "Đã khôi phục thay đổi chưa lưu cho {what}: {n}. Bỏ qua vì tệp đã thay đổi và không còn giữ giá trị cũ: {skipped}."
        }
        RecoveryFailed => "Không ghi được tệp khôi phục: {error}",
        Dirty => "•",
        Undone => "Đã hoàn tác: {what}",
        Redone => "Đã làm lại: {what}",
        EditOf => "{field} của {name}",
        Zoom => "thu phóng",
        FilterGeoJson => "GeoJSON",
        FilterFeatures => "GeoJSON, Shapefile, GeoPackage, KML, DXF",
        FilterCsv => "CSV",
        FilterMarkdown => "Markdown",
        FilterXlsx => "Bảng tính Excel",
        FilterPng => "Ảnh PNG",
        UnitHa => "ha",
        UnitM3PerDay => "m³/ngày",
        UnitMillionUsd => "triệu USD",
        NoData => {
            "Chưa mở KCN nào. Mở tệp khu công nghiệp từ menu Tệp, hoặc kéo thả tệp vào cửa sổ."
        }
        FrameCost => {
            "bản đồ: dựng trong {ms} ms ({zones} KCN, {parcels} lô đất, {labels} nhãn, {vertices} đỉnh)"
        }
        ToolSelect => "Chọn",
        ToolDraw => "Vẽ lô",
        ToolSplit => "Tách",
        ToolReshape => "Sửa hình",
        ToolMerge => "Gộp",
        ToolDelete => "Xoá",
        Snapping => "Bắt điểm",
        SnappingHelp => "Bắt vào đỉnh và cạnh của các lô, KCN gần đó (trong vòng 10 điểm ảnh)",
        SharedCorners => "Đỉnh chung",
        SharedCornersHelp => {
            "Di chuyển một đỉnh mà các lô hoặc KCN liền kề dùng chung sẽ di chuyển nó ở tất cả, để chúng vẫn chung cạnh"
        }
        HintSelect => {
            "Bấm vào lô hoặc KCN để chọn; Shift+bấm để chọn thêm lô (để gộp hoặc xoá cùng lúc)."
        }
        HintDraw => {
            "Bấm vào các góc của lô mới; bấm đúp hoặc Enter để xong, Backspace bỏ góc vừa đặt, Esc để huỷ."
        }
        HintSplit => {
            "Vẽ đường cắt ngang lô hoặc KCN cần tách: bấm các điểm của đường; bấm đúp hoặc Enter để cắt, Esc để huỷ."
        }
        HintReshape => {
            "Kéo một đỉnh của lô hoặc KCN đang chọn để di chuyển; bấm vào một cạnh để thêm đỉnh; bấm chuột phải vào đỉnh để xoá."
        }
        DrawnArea => "Diện tích: {ha}",
        NothingToSplit => "Đường cắt không đi qua lô hay KCN nào: không có gì được tách.",
        ToolRefused => "Không thể {what}: {why}.",
        ToolDone => "Đã {what}.",
        ToolLeftGap => {
            "Đã {what}. Thao tác để lại khe hở {m2} m² giữa lô {a} và lô {b} vốn chung cạnh: xem kết quả kiểm tra (Hoàn tác để khôi phục)."
        }
        WhatDraw => "vẽ lô mới",
        WhatSplit => "tách {what}",
        WhatMerge => "gộp {what}",
        WhatDelete => "xoá {what}",
        WhatMoveCorner => "di chuyển một đỉnh của {what}",
        WhatAddCorner => "thêm một đỉnh vào {what}",
        WhatDeleteCorner => "xoá một đỉnh của {what}",
        LotNamed => "lô {ids}",
        LotsNamed => "các lô {ids}",
        ZoneNamed => "KCN {ids}",
        ZonesNamed => "các KCN {ids}",
        Language => "Ngôn ngữ",
        LangVietnamese => "Tiếng Việt",
        LangEnglish => "English",
        PresentationMode => "Chế độ trình chiếu",
        PresentationTitle => "Các khu công nghiệp",
        PresentationTitleOf => "Các khu công nghiệp tỉnh {province}",
        PresentationLeave => "Nhấn Esc để thoát trình chiếu",
        ZonesOperatingOf => "{operating}/{total} đang hoạt động",
        TotalArea => "Tổng diện tích",
        IndustrialLand => "Đất công nghiệp",
        Leased => "Đã cho thuê",
        FillRateIndustrial => "Tỷ lệ lấp đầy (đất công nghiệp)",
        Dashboard => "Bảng tổng hợp",
        ZonesByStatus => "KCN theo tình trạng",
        ByProvince => "Theo tỉnh",
        NoProvince => "(không rõ tỉnh)",
        FillRanking => "Xếp hạng KCN theo tỷ lệ lấp đầy (đất công nghiệp)",
        InvestorsByType => "Dự án đầu tư theo loại hình",
        InvestorsByCountry => "Dự án đầu tư theo quốc gia nhà đầu tư",
        InvestmentType => "Loại hình",
        AsOfControl => "Số liệu tại ngày",
        ExportSlide => "Xuất trang bản đồ (PNG)",
        ExportDashboard => "Xuất bảng tổng hợp (PNG)",
        ExportZoneSheet => "Xuất phiếu thông tin KCN đang chọn (PNG)…",
        FillTrend => "Tỷ lệ lấp đầy theo thời gian (đất công nghiệp)",
        AsOfDate => "tính đến ngày {date}",
        Projects => "Số dự án",
        CapitalMusd => "Vốn đầu tư (triệu USD)",
        Fdi => "FDI (vốn nước ngoài)",
        Ddi => "DDI (vốn trong nước)",
        NotStated => "Không rõ",
        NoInvestorData => "Các lô đất không có thông tin loại hình đầu tư hay quốc gia nhà đầu tư.",
        Country => "Quốc gia",
        ZonesWord => "KCN",
        StatusUnknown => "Chưa rõ tình trạng",
        LayerZones => "KCN",
        LayerParcels => "lô đất",
        CompassN => "B",
        CompassS => "N",
        CompassE => "Đ",
        CompassW => "T",
        LegacyTextNotice => "{count} giá trị có vẻ là chữ TCVN3/VNI (phông tiếng Việt cũ)",
        LegacyTextConvert => "Chuyển sang Unicode",
        LegacyTextPreview => "Xem trước",
        LegacyTextHidePreview => "Ẩn xem trước",
        LegacyTextDismiss => "Bỏ qua",
        LegacyTextWhat => "{count} giá trị từ TCVN3/VNI sang Unicode",
        ReportTitle => "Các khu công nghiệp: tỷ lệ lấp đầy",
        ReportZonesFile => "Tệp khu công nghiệp",
        ReportParcelsFile => "Tệp lô đất",
        ReportAsOf => "Số liệu tính đến ngày {date}",
        ReportZoneCount => "Số KCN",
        ReportGrossArea => "Diện tích tự nhiên",
        ReportLeasedIndustrial => "Đất CN đã cho thuê",
        ReportFillRate => "Tỷ lệ lấp đầy (đất CN)",
        ReportFillRateD35 => "Tỷ lệ lấp đầy (NĐ 35/2022)",
        ReportRatiosOfSums => {
            "Số liệu toàn tỉnh là tỷ số của các tổng, không phải trung bình tỷ lệ các KCN."
        }
        ReportColZone => "KCN",
        ReportColStatus => "Trạng thái",
        ReportColArea => "Diện tích",
        ReportColIndustrial => "Đất CN",
        ReportColBasis => "Cơ sở",
        ReportFindings => "Phát hiện: {errors} lỗi, {warnings} cảnh báo, {notes} ghi chú.",
        CheckSummary => "{errors} lỗi, {warnings} cảnh báo, {notes} ghi chú",
        CannotWrite => "{file}: không ghi được: {reason}",
        CannotWriteOutput => "không ghi được kết quả: {reason}",
        NoticeFieldRenamed => "{layer}: trường `{from}` được ghi thành `{to}`",
        NoticeValueCut => {
            "{layer}: đối tượng {feature}: `{field}` dài {bytes} byte, quá sức chứa của trường DBF; chỉ ghi {kept} byte đầu"
        }
        NoticeGeometryLeftOut => {
            "{layer}: đối tượng {feature}: hình học ({kind}) không phải vùng; ghi không có hình học"
        }
        NoticeNotConverted => {
            "{layer}: đối tượng {feature}: không chuyển được tọa độ từ {system}; ghi không có hình học"
        }
        NoDataOpen => "chưa mở dữ liệu nào",
        LoadingStopped => "việc mở tệp dừng bất thường",
        FixTextFound => "{legacy} giá trị có vẻ là chữ theo bảng mã cũ ({tcvn3} TCVN3, {vni} VNI)",
        FixTextNormalize => ", {count} giá trị cần chuẩn hóa Unicode",
        JoinDone => "Đã ghi giá trị của bảng vào {lots} lô; đã ghi ra {file}.",
        JoinUnmatched => "  dòng {row}: không lô nào có mã {key}",
        JoinAmbiguous => "  dòng {row}: {count} lô có cùng mã {key}; không lô nào được sửa",
        FixTextNothingWritten => {
            "; chưa ghi gì (--apply chuyển đổi {file} tại chỗ, --output FILE ghi ra bản sao)"
        }
        FixTextWritten => "; đã đổi {count} giá trị, ghi vào {file}",
        XlsxNeedsOutput => {
            "bảng tính Excel là tệp nhị phân, không phải văn bản để in ra màn hình: hãy đặt tên tệp bằng --output TỆP.xlsx"
        }
        MinistryTitle => "Các khu công nghiệp của mọi ban quản lý: tỷ lệ lấp đầy theo tỉnh",
        MinistryProvince => "Tỉnh, thành phố",
        AllBoardsFormats => {
            "--all-boards đọc mọi ban quản lý của một cơ sở dữ liệu (hãy ghi địa chỉ của nó) và xuất csv, json hoặc md"
        }
        DatabaseTakesNoFiles => {
            "địa chỉ cơ sở dữ liệu đã gồm cả khu và lô của ban quản lý: không ghi thêm tệp lô"
        }
        ApplyNeedsOutDir => "hãy chỉ thư mục ghi các tệp đã sửa bằng --out-dir THƯ_MỤC",
        PdfNeedsOutput => {
            "tệp PDF là tệp nhị phân, không phải văn bản để in ra màn hình: hãy đặt tên tệp bằng --output TỆP.pdf"
        }
        SheetZones => "Khu công nghiệp",
        SheetTotals => "Tổng hợp",
        SheetFindings => "Kết quả kiểm tra",
        XlsxFiguresOn => "Số liệu tính đến ngày",
        XlsxColZoneId => "Mã KCN",
        XlsxColName => "Tên KCN",
        XlsxColProvince => "Tỉnh",
        XlsxColStatus => "Tình trạng",
        XlsxColAreaHa => "Diện tích tự nhiên đo được (ha)",
        XlsxColPlannedHa => "Diện tích quy hoạch (ha)",
        XlsxColIndustrialHa => "Đất công nghiệp (ha)",
        XlsxColServiceHa => "Đất dịch vụ (ha)",
        XlsxColLeasedHa => "Đất công nghiệp đã cho thuê (ha)",
        XlsxColLeasedServiceHa => "Đất dịch vụ đã cho thuê (ha)",
        XlsxColFillRate => "Tỷ lệ lấp đầy (đất công nghiệp)",
        XlsxColFillRateD35 => "Tỷ lệ lấp đầy (NĐ 35/2022)",
        XlsxColBasis => "Cơ sở tính tỷ lệ lấp đầy",
        XlsxColLotsLeased => "Số lô đã cho thuê",
        XlsxColLotsVacant => "Số lô còn trống",
        XlsxColLotsReserved => "Số lô giữ lại",
        XlsxColTotalsOver => "Phạm vi",
        XlsxColZones => "Số KCN",
        XlsxColOperating => "Số KCN đang hoạt động",
        XlsxColDenominatorHa => "Mẫu số tỷ lệ lấp đầy (ha)",
        XlsxColDenominatorD35Ha => "Mẫu số theo NĐ 35/2022 (ha)",
        XlsxColSeverity => "Mức độ",
        XlsxColLayer => "Lớp dữ liệu",
        XlsxColFeature => "Đối tượng số",
        XlsxColFeatureId => "Mã",
        XlsxColOther => "Cùng đối tượng số",
        XlsxColMessage => "Nội dung",
        SeverityError => "Lỗi",
        SeverityWarning => "Cảnh báo",
        SeverityInfo => "Ghi chú",
        XlsxFindingsLeftOut => {
            "Còn {count} kết quả kiểm tra không vừa một trang tính; lệnh zoneatlas check liệt kê đủ."
        }
        PdfPage => "trang {page}/{pages}",
        PdfFindingsLeftOut => {
            "…và {count} kết quả khác; báo cáo Excel và lệnh zoneatlas check liệt kê đủ."
        }
        FilterPdf => "Tài liệu PDF",
        FilterSaved => "GeoJSON hoặc GeoPackage",
        OpenDatabase => "Mở cơ sở dữ liệu…",
        OpenDatabaseTitle => "Mở dữ liệu dùng chung của ban quản lý",
        DatabaseUrl => "Địa chỉ cơ sở dữ liệu",
        BoardField => "Ban quản lý",
        BoardFieldHint => "để trống: ban quản lý duy nhất trong cơ sở dữ liệu",
        DatabasePassword => {
            "Mật khẩu lấy từ PGPASSWORD hoặc ~/.pgpass, không bao giờ ghi trong địa chỉ."
        }
        OpenBoardButton => "Mở",
        SharedBoard => "{board} · dùng chung",
        BoardOffline => {
            "Mất kết nối với cơ sở dữ liệu ({why}): các chỉnh sửa được giữ lại và sẽ gửi khi kết nối trở lại"
        }
        BoardOnline => "Đã kết nối lại với cơ sở dữ liệu",
        BoardOfflineBadge => "mất kết nối",
        BoardUnsent => "{n} chưa gửi",
        BoardRefused => {
            "Cơ sở dữ liệu từ chối một chỉnh sửa ({what}): {error}. Chỉnh sửa vẫn được giữ trong tệp khôi phục."
        }
        BoardLoginRefused => {
            "Máy chủ cơ sở dữ liệu từ chối đăng nhập: {detail} ({target}). ZoneAtlas ngừng thử kết nối: các chỉnh sửa chưa gửi vẫn được giữ trong tệp khôi phục, và lần mở ZoneAtlas sau sẽ đề nghị gửi chúng khi thông tin đăng nhập đã được sửa."
        }
        LoginNoPassword => {
            "máy chủ yêu cầu mật khẩu nhưng chưa có mật khẩu nào: hãy đặt mật khẩu trong PGPASSWORD hoặc tệp mật khẩu (~/.pgpass)"
        }
        SaveNotNeeded => {
            "Các chỉnh sửa được ghi vào cơ sở dữ liệu dùng chung ngay khi thực hiện: không cần lưu. «Lưu thành» ghi ra tệp."
        }
        ConflictTitle => "Người khác đã sửa mục này",
        ConflictBodyValue => {
            "{what}: {who} đã sửa giá trị này sau khi bạn chỉnh sửa. Cơ sở dữ liệu nên giữ giá trị nào?"
        }
        ConflictBodyShape => {
            "{what}: {who} đã sửa đối tượng này sau khi bạn chỉnh sửa. Giữ bản của họ, hay gửi bản của bạn đè lên?"
        }
        ConflictBodyGone => "{what}: {who} đã xóa đối tượng này sau khi bạn chỉnh sửa.",
        ConflictProperty => "Thuộc tính",
        ConflictMine => "Của bạn",
        ConflictTheirs => "Hiện có trong cơ sở dữ liệu ({who})",
        SomeoneElse => "người khác",
        KeepTheirs => "Giữ bản của họ",
        UseMine => "Dùng bản của tôi",
        ConflictKeptTheirs => "Đã giữ bản trong cơ sở dữ liệu: {what}",
        ConflictUsedMine => "Đang gửi lại bản của bạn: {what}",
        HistoryHeading => "Lịch sử thay đổi",
        HistoryReading => "Đang đọc lịch sử…",
        HistoryNotYet => "Chưa có trong cơ sở dữ liệu: đang gửi",
        HistoryEmpty => "Chưa có thay đổi nào kể từ khi nhập",
        HistoryFailed => "Không đọc được lịch sử: {error}",
        HistoryLoginRefused => "máy chủ cơ sở dữ liệu từ chối đăng nhập ({detail})",
        HistorySet => "{who} đặt {key} thành {value} (trước đó: {from})",
        HistoryUnset => "{who} xóa {key} (trước đó: {from})",
        HistoryReshape => "{who} sửa hình dạng",
        HistoryInsert => "{who} thêm mới",
        HistoryDelete => "{who} xóa đối tượng",
        HistoryOther => "{who}: {op}",
    }
}

/// The label of a property, by canonical key (the file's own name otherwise).
pub fn field_label(lang: Lang, canonical: &str) -> &'static str {
    match lang {
        Lang::Vi => match canonical {
            "zone_id" => "Mã KCN",
            "name" => "Tên",
            "province" => "Tỉnh",
            "status" => "Tình trạng",
            "zone_type" => "Loại hình KCN",
            "planned_area_ha" => "Diện tích quy hoạch",
            "industrial_land_ha" => "Đất công nghiệp",
            "service_land_ha" => "Đất dịch vụ",
            "developer" => "Chủ đầu tư hạ tầng",
            "decision_no" => "Quyết định thành lập",
            "decision_date" => "Ngày quyết định",
            "phase" => "Giai đoạn",
            "wastewater_plant" => "Hệ thống xử lý nước thải tập trung",
            "wastewater_capacity_m3_day" => "Công suất xử lý nước thải",
            "notes" => "Ghi chú",
            "parcel_id" => "Mã lô đất",
            "land_use" => "Mục đích sử dụng đất",
            "tenant" => "Bên thuê",
            "investor_country" => "Quốc gia nhà đầu tư",
            "investment_type" => "Loại hình đầu tư (FDI / DDI)",
            "capital_musd" => "Vốn đầu tư",
            "lease_start" => "Ngày bắt đầu thuê",
            "lease_end" => "Ngày hết hạn thuê",
            "industry" => "Ngành nghề",
            "employees" => "Số lao động",
            _ => "",
        },
        Lang::En => match canonical {
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

/// The display name of a value from a list, by its code (the code itself when unknown).
pub fn choice_label(lang: Lang, choices: Choices, code: &'static str) -> &'static str {
    let key = match (choices, code) {
        (Choices::ZoneStatus, "operating") => Key::ZoneOperating,
        (Choices::ZoneStatus, "under_construction") => Key::ZoneUnderConstruction,
        (Choices::ZoneStatus, "planned") => Key::ZonePlanned,
        (Choices::ParcelStatus, "leased") => Key::ParcelLeased,
        (Choices::ParcelStatus, "vacant") => Key::ParcelVacant,
        (Choices::ParcelStatus, "reserved") => Key::ParcelReserved,
        (Choices::LandUse, "industrial") => Key::LandIndustrial,
        (Choices::LandUse, "service") => Key::LandService,
        (Choices::ZoneType, code) => return zone_type_label(lang, code),
        // FDI and DDI are read the same in both languages.
        _ => return code,
    };
    tr(lang, key)
}

/// The display name of a zone type code (DOMAIN.md).
fn zone_type_label(lang: Lang, code: &'static str) -> &'static str {
    match lang {
        Lang::Vi => match code {
            "general" => "Tổng hợp",
            "export_processing" => "Khu chế xuất",
            "supporting_industry" => "Công nghiệp hỗ trợ",
            "specialised" => "Chuyên ngành",
            "eco" => "Khu công nghiệp sinh thái",
            "high_tech" => "Công nghệ cao",
            _ => code,
        },
        Lang::En => match code {
            "general" => "General",
            "export_processing" => "Export processing",
            "supporting_industry" => "Supporting industry",
            "specialised" => "Specialised",
            "eco" => "Eco-industrial",
            "high_tech" => "High-tech",
            _ => code,
        },
    }
}

/// A unit's symbol.
pub fn unit_label(lang: Lang, unit: Unit) -> &'static str {
    tr(
        lang,
        match unit {
            Unit::Hectares => Key::UnitHa,
            Unit::CubicMetresPerDay => Key::UnitM3PerDay,
            Unit::MillionUsd => Key::UnitMillionUsd,
        },
    )
}

pub fn zone_status_text(lang: Lang, s: ZoneStatus) -> &'static str {
    tr(
        lang,
        match s {
            ZoneStatus::Operating => Key::ZoneOperating,
            ZoneStatus::UnderConstruction => Key::ZoneUnderConstruction,
            ZoneStatus::Planned => Key::ZonePlanned,
        },
    )
}

pub fn parcel_status_text(lang: Lang, s: ParcelStatus) -> &'static str {
    tr(
        lang,
        match s {
            ParcelStatus::Leased => Key::ParcelLeased,
            ParcelStatus::Vacant => Key::ParcelVacant,
            ParcelStatus::Reserved => Key::ParcelReserved,
        },
    )
}

pub fn land_use_text(lang: Lang, u: LandUse) -> &'static str {
    tr(
        lang,
        match u {
            LandUse::Industrial => Key::LandIndustrial,
            LandUse::Service => Key::LandService,
        },
    )
}

/// The basis of a zone's fill rate in words, with the denominator.
pub fn basis_text(lang: Lang, f: &ZoneFigures) -> String {
    let words = basis_words(lang, f);
    match f.denominator_ha {
        Some(d) => format!("{words} ({})", fmt_ha(d, lang)),
        None => words.to_string(),
    }
}

/// A fill rate's basis in a few words, for a table cell.
pub fn basis_short(lang: Lang, b: FillBasis) -> &'static str {
    tr(
        lang,
        match b {
            FillBasis::IndustrialLand => Key::BasisShortIndustrialLand,
            FillBasis::ParcelInventory => Key::BasisShortParcelInventory,
            FillBasis::GrossArea => Key::BasisShortGrossArea,
        },
    )
}

/// The basis of totals: the one all their zones share, or "mixed (12 industrial land, 2 its
/// lots)"; empty when no zone has a fill rate.
pub fn totals_basis(lang: Lang, t: &Totals) -> String {
    match t.zones_by_basis.as_slice() {
        [] => String::new(),
        [(b, _)] => basis_short(lang, *b).to_string(),
        many => {
            let list: Vec<String> = many
                .iter()
                .map(|(b, n)| format!("{n} {}", basis_short(lang, *b)))
                .collect();
            trf(lang, Key::BasisMixed, &[("list", &list.join(", "))])
        }
    }
}

/// The basis of a zone's fill rate in words.
pub fn basis_words(lang: Lang, f: &ZoneFigures) -> &'static str {
    tr(
        lang,
        match f.basis {
            Some(FillBasis::IndustrialLand) => Key::BasisIndustrialLand,
            Some(FillBasis::ParcelInventory) => Key::BasisParcelInventory,
            Some(FillBasis::GrossArea) => Key::BasisGrossArea,
            None => Key::BasisNone,
        },
    )
}

/// The words a written file shows (KML folders and balloons), in `lang`.
pub fn export_words(lang: Lang) -> crate::engine::source::Words {
    let t = |k| tr(lang, k).to_string();
    crate::engine::source::Words {
        zones: t(Key::ZonesHeading),
        parcels: t(Key::LegendParcels),
        area: t(Key::ParcelArea),
        leased: t(Key::Leased),
        fill_rate: t(Key::FillRate),
        status: t(Key::ColStatus),
        basis: t(Key::Basis),
        bases: [
            FillBasis::IndustrialLand,
            FillBasis::ParcelInventory,
            FillBasis::GrossArea,
        ]
        .into_iter()
        .map(|b| basis_short(lang, b).to_string())
        .collect(),
        statuses: ParcelStatus::ALL
            .iter()
            .map(|s| parcel_status_text(lang, *s).to_string())
            .collect(),
        decimal_comma: lang == Lang::Vi,
    }
}

/// What an export could not write as given, in words.
pub fn notice_text(lang: Lang, n: &crate::engine::source::Notice) -> String {
    use crate::engine::source::Notice;
    match n {
        Notice::FieldRenamed { layer, from, to } => trf(
            lang,
            Key::NoticeFieldRenamed,
            &[("layer", layer), ("from", from), ("to", to)],
        ),
        Notice::ValueCut {
            layer,
            feature,
            field,
            bytes,
            kept,
        } => trf(
            lang,
            Key::NoticeValueCut,
            &[
                ("layer", layer),
                ("feature", &feature.to_string()),
                ("field", field),
                ("bytes", &bytes.to_string()),
                ("kept", &kept.to_string()),
            ],
        ),
        Notice::GeometryLeftOut {
            layer,
            feature,
            kind,
        } => trf(
            lang,
            Key::NoticeGeometryLeftOut,
            &[
                ("layer", layer),
                ("feature", &feature.to_string()),
                ("kind", kind),
            ],
        ),
        Notice::NotConverted {
            layer,
            feature,
            system,
        } => trf(
            lang,
            Key::NoticeNotConverted,
            &[
                ("layer", layer),
                ("feature", &feature.to_string()),
                ("system", system),
            ],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::attributes::Choices;
    use crate::engine::properties::{PARCEL_KEYS, ZONE_KEYS};

    /// Strings that are the same in both languages (names, symbols, file types).
    const SAME_IN_BOTH: &[Key] = &[
        Key::AppName,
        Key::NotSet,
        Key::Dirty,
        Key::FilterGeoJson,
        Key::FilterFeatures,
        Key::FilterCsv,
        Key::FilterMarkdown,
        Key::UnitHa,
        Key::LangVietnamese,
        Key::LangEnglish,
        // Who, and an operation's name as the history keeps it.
        Key::HistoryOther,
        // Names of coordinate systems.
        Key::SystemGroupWgs84,
        Key::SystemGroupVn2000,
        Key::SystemWebMercator,
        // A name, and a URL's shape.
        Key::BasemapOsm,
        Key::BasemapUrlHint,
    ];

    fn placeholders(s: &str) -> Vec<String> {
        let mut out: Vec<String> = s
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn every_key_has_a_string_in_both_languages() {
        let mut missing = Vec::new();
        for &key in Key::ALL {
            for lang in [Lang::En, Lang::Vi] {
                if tr(lang, key).trim().is_empty() {
                    missing.push(format!("{key:?} in {}", lang.code()));
                }
            }
        }
        assert!(missing.is_empty(), "missing strings: {missing:?}");
    }

    #[test]
    fn the_vietnamese_column_is_translated_not_copied() {
        let copied: Vec<Key> = Key::ALL
            .iter()
            .copied()
            .filter(|k| tr(Lang::Vi, *k) == tr(Lang::En, *k) && !SAME_IN_BOTH.contains(k))
            .collect();
        assert!(
            copied.is_empty(),
            "English in the Vietnamese column: {copied:?}"
        );
    }

    #[test]
    fn templates_have_the_same_placeholders_in_both_languages() {
        for &key in Key::ALL {
            assert_eq!(
                placeholders(tr(Lang::En, key)),
                placeholders(tr(Lang::Vi, key)),
                "{key:?}"
            );
        }
    }

    #[test]
    fn the_key_list_is_complete_and_without_repeats() {
        // Key::ALL comes from the same list as the enum; this guards the macro itself.
        let mut seen = std::collections::HashSet::new();
        for k in Key::ALL {
            assert!(seen.insert(*k), "{k:?} twice");
        }
        assert!(Key::ALL.contains(&Key::FrameCost) && Key::ALL.contains(&Key::CompassW));
        assert_eq!(Key::ALL[0], Key::AppName);
    }

    #[test]
    fn every_property_and_zone_type_has_a_label_in_both_languages() {
        for spec in ZONE_KEYS.iter().chain(PARCEL_KEYS) {
            for lang in [Lang::En, Lang::Vi] {
                assert!(
                    !field_label(lang, spec.canonical).is_empty(),
                    "{} in {}",
                    spec.canonical,
                    lang.code()
                );
            }
        }
        let lists = [
            Choices::ZoneStatus,
            Choices::ZoneType,
            Choices::ParcelStatus,
            Choices::LandUse,
            Choices::InvestmentType,
        ];
        for choices in lists {
            for &code in choices.codes() {
                let (en, vi) = (
                    choice_label(Lang::En, choices, code),
                    choice_label(Lang::Vi, choices, code),
                );
                assert!(!en.is_empty() && !vi.is_empty(), "{code}");
                // Only the investment types are the same words in both languages.
                assert!(
                    en != vi || choices == Choices::InvestmentType,
                    "{code} untranslated"
                );
            }
        }
    }

    #[test]
    fn board_vocabulary() {
        assert_eq!(tr(Lang::Vi, Key::FillRate), "Tỷ lệ lấp đầy");
        assert_eq!(tr(Lang::Vi, Key::ZoneOperating), "Đang hoạt động");
        assert_eq!(tr(Lang::Vi, Key::ParcelLeased), "Đã cho thuê");
        assert_eq!(field_label(Lang::Vi, "developer"), "Chủ đầu tư hạ tầng");
        assert_eq!(
            trf(
                Lang::Vi,
                Key::ZonesOperatingOf,
                &[("operating", "12"), ("total", "16")]
            ),
            "12/16 đang hoạt động"
        );
    }
}
