//! What a panel, a menu, a dialog or a key asks the shell to do. Views never change the session
//! themselves: they return actions, and the shell applies each family where it is owned —
//! file actions in [`files`](super::files), edit actions in
//! [`edit_actions`](super::edit_actions), view actions in [`view_actions`](super::view_actions).

use std::path::PathBuf;

use crate::engine::properties::Date;
use crate::i18n::Lang;

use super::session::edit::Edit;
use super::view::Selection;
use crate::engine::planning::Plan;
use crate::i18n::Key;

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    File(FileAction),
    Edit(EditAction),
    View(ViewAction),
}

/// Opening, saving, exporting and quitting.
#[derive(Clone, Debug, PartialEq)]
pub enum FileAction {
    Save,
    SaveAs,
    OpenZones,
    OpenParcels,
    OpenRecent(usize),
    OpenDropped(Vec<PathBuf>),
    /// A reference layer (roads, drainage, boundaries…) drawn under the zones: asked for,
    /// read in the background. View state: it drops no edit.
    AddReference,
    /// Asks for a database URL and a board (File › Open database…).
    OpenDatabase,
    /// Opens a shared board (`board`: `None` for the database's only one).
    OpenBoard {
        url: String,
        board: Option<String>,
    },
    OpenRecentBoard(usize),
    /// A tenant table joined to the lots: previewed, then applied as one edit.
    ImportTable,
    Export(Export),
    Quit,
}

/// What to export, each to a file the user chooses.
#[derive(Clone, Debug, PartialEq)]
pub enum Export {
    /// The zone report as CSV (with a byte-order mark for Excel).
    Csv,
    /// The summary with its findings as Markdown.
    Markdown,
    /// The zones, the totals and the findings as an Excel workbook.
    Xlsx,
    /// The meeting report (key figures, map, zone table, findings) as an A4 PDF.
    Pdf,
    /// The map as on screen, as a PNG.
    MapPng,
    /// Both files as RFC 7946 GeoJSON in WGS84 longitude/latitude (Save keeps the file's own
    /// coordinate system).
    GeoJson,
    /// The presentation slide (or the dashboard) as a PNG of the given size in pixels.
    Slide { dashboard: bool, size: [u32; 2] },
    /// The selected zone's one-page sheet as a PNG.
    ZoneSheet,
}

impl FileAction {
    /// Whether it would drop unsaved edits (the user is asked first).
    pub fn drops_edits(&self) -> bool {
        matches!(
            self,
            Self::Quit
                | Self::OpenZones
                | Self::OpenParcels
                | Self::OpenRecent(_)
                | Self::OpenDropped(_)
                | Self::OpenBoard { .. }
                | Self::OpenRecentBoard(_)
        )
    }
}

/// Changes to the data, through the session's one path.
#[derive(Clone, Debug, PartialEq)]
pub enum EditAction {
    Apply(Edit),
    /// A map tool's change (see [`crate::engine::planning`]): named, applied, and what it made
    /// selected; refused with a message when it cannot be made.
    Plan(Plan),
    Undo,
    Redo,
}

/// How the data is looked at.
#[derive(Clone, Debug, PartialEq)]
pub enum ViewAction {
    /// Select (or clear); `fly` moves the map to it.
    Select {
        selection: Option<Selection>,
        fly: bool,
    },
    /// Adds a lot to the selection, or takes it out (Shift+click).
    SelectAlso(Selection),
    /// Says something in the status bar.
    Tell {
        key: Key,
        error: bool,
    },
    FitAll,
    FitSelection,
    SetLang(Lang),
    /// Show the data as it stood on a date (`None`: today).
    SetAsOf(Option<Date>),
    /// Enter (true) or leave presentation mode.
    Present(bool),
    /// Show another basemap under the zones.
    SetBasemap(crate::app::map::basemap::Source),
    /// Ask for an MBTiles file and show it as the basemap.
    PickMbTiles,
    /// Move a reference layer one place up (drawn over the one above) or down.
    MoveReference {
        id: u64,
        up: bool,
    },
    /// Fly the map to a reference layer.
    FitReference(u64),
    /// Take a reference layer off the map.
    RemoveReference(u64),
}
