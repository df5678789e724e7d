//! The command line. Its forms and outputs are relied on by scripts:
//!
//! ```text
//! zoneatlas [ZONES [PARCELS]]                     the desktop app (the built-in sample without files)
//! zoneatlas URL [--board NAME]                    the desktop app on a shared board
//! zoneatlas report ZONES [PARCELS] [--format csv|json|md] [--output FILE] [--lang en|vi] [--as-of DATE]
//! zoneatlas report ZONES [PARCELS] --format xlsx|pdf --output FILE [--lang en|vi] [--as-of DATE]
//! zoneatlas check  ZONES [PARCELS] [--format text|json] [--lang en|vi] [--as-of DATE]
//! zoneatlas export ZONES [PARCELS] --out-dir DIR [--format geojson|gpkg|shp|kml|kmz] [--with-stats] [--crs wgs84|original] [--lang en|vi]
//! zoneatlas apply  ZONES [PARCELS] --edits EDITS.json --out-dir DIR [--lang en|vi]
//! zoneatlas join   PARCELS TABLE [--key parcel_id] --out-dir DIR [--lang en|vi]
//! zoneatlas fix-text FILE [--normalize] [--apply | --output OUT]
//! zoneatlas db init|import|export|history URL …   the shared store (see [`db`])
//! ```
//!
//! `report`, `check`, `export` and `apply` take a database URL (`postgres://user@host:port/db`,
//! with `--board NAME`) wherever they take files: the board is read from the store, and
//! `apply URL --edits EDITS.json` edits it in place, in one transaction (exit code 3 when
//! someone else changed what an edit was made against: then nothing is written).
//!
//! `report`, `check`, `export` and `apply` also take `--source-crs EPSG:CODE`, the system of a
//! file that names none of its own.
//!
//! `report --format xlsx` writes an Excel workbook: a sheet of zones (the CSV's columns, headed
//! in the reader's language, the header row frozen and filtered), a sheet of totals (all zones,
//! operating zones, each province, with the date the figures are about) and a sheet of
//! findings. Figures are numbers with number formats, not text. `report --format pdf` writes
//! an A4 meeting report: the title and date, the key figures, the map as the slide draws it,
//! the zone table and a summary of the findings, its fonts embedded and subset. A workbook or
//! a PDF is not printed to a terminal: without `--output` it is refused (exit code 2).
//!
//! `apply` makes the edits of an edit script (a JSON array of operations, see
//! [`crate::engine::script`]) and writes `zones.geojson` (and `parcels.geojson`) into DIR, in the
//! files' own coordinate systems: every feature not edited byte for byte. When an operation
//! cannot apply nothing is written, and the message names the operation (from 1) and why
//! (exit code 2).
//!
//! A file with a legacy `crs` member naming Web Mercator, UTM 48N/49N or a VN-2000 system is
//! converted to WGS84 as it is read; `export` then writes RFC 7946 WGS84 longitude/latitude
//! (`--crs wgs84`, the default: positions rewritten with 9 decimals, `bbox` members recomputed,
//! the `crs` member dropped, everything else as read) or the file's own system (`--crs original`: the coordinates and
//! `crs` member as read). Files without a `crs` member are written as read either way. A file
//! whose `crs` names another system, or whose coordinates are metres with no `crs`, is refused
//! (exit code 2).
//!
//! `export --format` chooses what is written into DIR (each file atomically):
//! - `geojson` (the default): `zones.geojson` and `parcels.geojson`, losslessly, as above;
//! - `gpkg`: one GeoPackage, `zones.gpkg`, with the layers `zones` and `parcels` (typed
//!   columns, the R-tree spatial index, the layer's coordinate system);
//! - `shp`: `zones.shp` and `parcels.shp`, each with its `.shx`, `.dbf` (UTF-8), `.prj` and a
//!   `.cpg` of `UTF-8`. A property name longer than a DBF field's 10 bytes is written shortened
//!   (unique) and a text longer than 254 bytes cut, each reported on standard error
//!   (`zoneatlas: zones: field `investment_capital_usd` written as `investment``);
//! - `kml` / `kmz`: one Google Earth document, `zones.kml` (or `zones.kmz`, holding it as
//!   `doc.kml`), with a Zones folder (coloured by fill-rate class, as the map) and a Parcels
//!   folder (by status); each balloon shows the figures and the properties, in `--lang`.
//!
//! GeoPackages and Shapefiles are in WGS84 (EPSG:4326) unless `--crs original` asks for the
//! file's own system (its EPSG code and WKT written with it); KML is always WGS84. Every
//! property is written; `--with-stats` adds the figures as for GeoJSON. The files written are
//! listed on standard output, one a line.
//!
//! `fix-text` lists every property value of FILE that looks like TCVN3 or VNI text (legacy
//! Vietnamese fonts read as Latin-1), one line each — `FILE: feature N (ID) KEY [TCVN3]: "before"
//! → "after"` — then a summary line. `--normalize` also lists Unicode that is decomposed (NFD) or
//! spells Đ with Ð (U+00D0) `[NFC]`. Nothing is written unless asked: `--apply` replaces FILE
//! (atomically), `--output OUT` writes the converted file to OUT. Only those values change;
//! every other byte is copied.
//!
//! `--lang` chooses the language of the words (the Markdown summary, the findings' messages, the
//! errors); codes, keys and numbers for machines stay as they are. `--as-of DATE`
//! (`yyyy-mm-dd` or `dd/mm/yyyy`) gives the figures as they stood on that date (a lot counts as
//! leased on the days of its lease) and the findings as of that date; without it the figures are
//! today's, "today" being the date in the machine's time zone.
//!
//! Exit codes: 0 done; 1 `check` found errors; 2 a file or the database could not be read or
//! written, or the command line was wrong; 3 an edit conflicts with someone else's.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::engine::as_of::AsOf;
use crate::engine::crs::Crs;
use crate::engine::dataset::Dataset;
use crate::engine::export::{
    ExportCrs, ExportError, ExportFormat, export_dir, export_dir_as, render, write_atomic,
};
use crate::engine::findings::Severity;
use crate::engine::geojson::Document;
use crate::engine::legacy_text::{self, Encoding, FixKind};
use crate::engine::properties::Date;
use crate::engine::saving::WriteError;
use crate::engine::script;
use crate::i18n::{Key, Lang, Message, export_words, notice_text, tr, trf};
use crate::report::{self, Report};

pub mod db;

#[derive(Parser, Debug)]
#[command(
    name = "zoneatlas",
    version,
    about = "Industrial zones and their leased parcels: geodesic areas, leased land and fill rates from GeoJSON",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Zones file (GeoJSON) to open in the app; without it the built-in sample opens.
    pub zones: Option<PathBuf>,
    /// Parcels file (GeoJSON) to open with the zones.
    pub parcels: Option<PathBuf>,
    /// With a database URL (postgres://user@host:port/db) for ZONES: the shared board to open
    /// (its only one, or `default`, without).
    #[arg(long)]
    pub board: Option<String>,
    /// The map's basemap: osm (OpenStreetMap, the default), none, an XYZ URL template
    /// ({z}, {x}, {y}, {s}) or a local .mbtiles file. Remembered for the next run.
    #[arg(long, value_name = "osm|none|URL|FILE.mbtiles", value_parser = parse_basemap)]
    pub basemap: Option<crate::app::map::basemap::Source>,
    /// A reference layer to draw under the zones (roads, drainage, power, boundaries), in any
    /// format the app opens; repeat for more. Never measured or written.
    #[arg(long, value_name = "FILE")]
    pub reference: Vec<PathBuf>,
}

fn parse_basemap(s: &str) -> Result<crate::app::map::basemap::Source, String> {
    crate::app::map::basemap::Source::parse(s).map_err(|e| e.to_string())
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Per-zone areas, leased land and fill rates, with totals.
    Report {
        zones: PathBuf,
        parcels: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Csv)]
        format: ReportFormat,
        /// Write here instead of standard output (required for xlsx and pdf).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Language of the Markdown summary, the Excel workbook and the findings' messages.
        #[arg(long, value_enum, default_value_t = LangArg::En)]
        lang: LangArg,
        /// The figures as they stood on this date (yyyy-mm-dd or dd/mm/yyyy).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        as_of: Option<Date>,
        /// The coordinate system of a file that names none of its own (a GeoJSON without a
        /// `crs` member, a Shapefile without a `.prj`), as EPSG:CODE.
        #[arg(long, value_name = "EPSG:CODE", value_parser = parse_source_crs)]
        source_crs: Option<SourceCrs>,
        /// With a database URL for ZONES: the board (its only one, or `default`, without).
        #[arg(long)]
        board: Option<String>,
        /// With a database URL for ZONES: every board's zones, the totals per province and
        /// the national totals (the ministry's table; csv, json or md).
        #[arg(long, conflicts_with = "board")]
        all_boards: bool,
    },
    /// Problems in the data; exits with 1 when any is an error.
    Check {
        zones: PathBuf,
        parcels: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
        /// Language of the messages.
        #[arg(long, value_enum, default_value_t = LangArg::En)]
        lang: LangArg,
        /// The findings as of this date (yyyy-mm-dd or dd/mm/yyyy).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        as_of: Option<Date>,
        /// The coordinate system of a file that names none of its own (a GeoJSON without a
        /// `crs` member, a Shapefile without a `.prj`), as EPSG:CODE.
        #[arg(long, value_name = "EPSG:CODE", value_parser = parse_source_crs)]
        source_crs: Option<SourceCrs>,
        /// With a database URL for ZONES: the board (its only one, or `default`, without).
        #[arg(long)]
        board: Option<String>,
    },
    /// Writes zones.geojson (and parcels.geojson) into a folder, losslessly; or, with
    /// --format, a GeoPackage, Shapefiles, KML or KMZ.
    Export {
        zones: PathBuf,
        parcels: Option<PathBuf>,
        #[arg(long)]
        out_dir: PathBuf,
        /// What to write: GeoJSON (lossless), a GeoPackage, Shapefiles, KML or KMZ.
        #[arg(long, value_enum, default_value_t = ExportFormatArg::Geojson)]
        format: ExportFormatArg,
        /// Language of the KML balloons and of the notices.
        #[arg(long, value_enum, default_value_t = LangArg::En)]
        lang: LangArg,
        /// Add the computed figures (computed_area_ha, computed_fill_rate_pct, …) to each zone.
        #[arg(long)]
        with_stats: bool,
        /// Coordinates of a file read from another system (a legacy `crs` member): WGS84
        /// longitude/latitude (RFC 7946), or the file's own system as read.
        #[arg(long, value_enum, default_value_t = CrsArg::Wgs84)]
        crs: CrsArg,
        /// The coordinate system of a file that names none of its own (a GeoJSON without a
        /// `crs` member, a Shapefile without a `.prj`), as EPSG:CODE.
        #[arg(long, value_name = "EPSG:CODE", value_parser = parse_source_crs)]
        source_crs: Option<SourceCrs>,
        /// With a database URL for ZONES: the board (its only one, or `default`, without).
        #[arg(long)]
        board: Option<String>,
    },
    /// Makes the edits of an edit script and writes the edited files into a folder.
    Apply {
        zones: PathBuf,
        parcels: Option<PathBuf>,
        /// The edit script: a JSON array of operations (set, unset, insert, delete, reshape).
        #[arg(long)]
        edits: PathBuf,
        /// Where the edited files are written (files only: a database is edited in place).
        #[arg(long)]
        out_dir: Option<PathBuf>,
        /// Language of the messages.
        #[arg(long, value_enum, default_value_t = LangArg::En)]
        lang: LangArg,
        /// The coordinate system of a file that names none of its own (a GeoJSON without a
        /// `crs` member, a Shapefile without a `.prj`), as EPSG:CODE.
        #[arg(long, value_name = "EPSG:CODE", value_parser = parse_source_crs)]
        source_crs: Option<SourceCrs>,
        /// With a database URL for ZONES: the board (its only one, or `default`, without).
        #[arg(long)]
        board: Option<String>,
    },
    /// Sets the columns of a tenant table (.xlsx, its first sheet, or .csv) on the lots its
    /// key column names, and writes the lots file into a folder (the lots not in the table
    /// byte for byte).
    Join {
        parcels: PathBuf,
        table: PathBuf,
        /// The property that names a lot (a canonical key, an alias such as ma_lo, or any
        /// property name); the table's column of that name (or alias) holds it.
        #[arg(long, default_value = "parcel_id")]
        key: String,
        #[arg(long)]
        out_dir: PathBuf,
        /// Language of the messages.
        #[arg(long, value_enum, default_value_t = LangArg::En)]
        lang: LangArg,
    },
    /// The shared store: a board in PostgreSQL/PostGIS (init, import, export, history).
    Db {
        #[command(subcommand)]
        command: db::DbCommand,
    },
    /// Property values typed in TCVN3 or VNI (legacy Vietnamese fonts) that show as mojibake:
    /// lists them with their Unicode, and converts them on request.
    FixText {
        file: PathBuf,
        /// Also normalise Unicode: compose decomposed (NFD) text, write Đ for Ð (U+00D0).
        #[arg(long)]
        normalize: bool,
        /// Convert in place: FILE is replaced (atomically).
        #[arg(long, conflicts_with = "output")]
        apply: bool,
        /// Write the converted file here; FILE stays as it is.
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ReportFormat {
    Csv,
    Json,
    Md,
    /// An Excel workbook; needs `--output`.
    Xlsx,
    /// An A4 meeting report with the map; needs `--output`.
    Pdf,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum CrsArg {
    Wgs84,
    Original,
}

impl From<CrsArg> for ExportCrs {
    fn from(c: CrsArg) -> ExportCrs {
        match c {
            CrsArg::Wgs84 => ExportCrs::Wgs84,
            CrsArg::Original => ExportCrs::Original,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ExportFormatArg {
    Geojson,
    Gpkg,
    Shp,
    Kml,
    Kmz,
}

impl From<ExportFormatArg> for ExportFormat {
    fn from(f: ExportFormatArg) -> ExportFormat {
        match f {
            ExportFormatArg::Geojson => ExportFormat::GeoJson,
            ExportFormatArg::Gpkg => ExportFormat::GeoPackage,
            ExportFormatArg::Shp => ExportFormat::Shapefile,
            ExportFormatArg::Kml => ExportFormat::Kml,
            ExportFormatArg::Kmz => ExportFormat::Kmz,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LangArg {
    En,
    Vi,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::En => Lang::En,
            LangArg::Vi => Lang::Vi,
        }
    }
}

/// A date on the command line: `yyyy-mm-dd` or `dd/mm/yyyy` (not a bare year).
/// The system `--source-crs` names (`None` inside: WGS84 longitude/latitude).
#[derive(Clone, Copy, Debug)]
pub struct SourceCrs(Option<Crs>);

fn parse_source_crs(s: &str) -> Result<SourceCrs, String> {
    let code = s.trim();
    let code = code
        .strip_prefix("EPSG:")
        .or_else(|| code.strip_prefix("epsg:"))
        .unwrap_or(code);
    let n: u32 = code
        .parse()
        .map_err(|_| "not an EPSG code (EPSG:3405, say)".to_string())?;
    if n == 4326 {
        return Ok(SourceCrs(None));
    }
    Crs::from_epsg(n)
        .map(|c| SourceCrs(Some(c)))
        .ok_or_else(|| {
            format!(
                "EPSG:{n} is not a system ZoneAtlas converts (WGS84 4326, Web Mercator 3857, UTM 32648/32649, VN-2000 4756, 3405/3406, TM-3 5896–5899 and 9205–9218)"
            )
        })
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s)
        .filter(|_| s.trim().len() >= 8)
        .ok_or_else(|| "not a date (yyyy-mm-dd or dd/mm/yyyy)".to_string())
}

/// The date the figures and findings are about: the one asked for, or today where the board
/// is (the clock is read here, at the edge).
fn as_of(asked: Option<Date>) -> AsOf {
    match asked {
        Some(d) => AsOf::On(d),
        None => AsOf::Today(crate::clock::today()),
    }
}

/// Opens the files for one command. The dataset is never freed: the process ends when the
/// command is done, and handing a million parcels' allocations back one by one would take
/// the better part of a second of a 1M-parcel report.
///
/// `zones` may be a database URL (`postgres://…`): the board `board` names is read from it.
fn open(
    zones: &Path,
    parcels: Option<&Path>,
    source_crs: Option<SourceCrs>,
    board: Option<&str>,
    lang: Lang,
    err: &mut dyn Write,
) -> Option<&'static Dataset> {
    if let Some(url) = database_url(zones) {
        if parcels.is_some() {
            let _ = writeln!(err, "zoneatlas: {}", tr(lang, Key::DatabaseTakesNoFiles));
            return None;
        }
        return match db::load(url, board) {
            Ok(loaded) => Some(Box::leak(Box::new(loaded.dataset))),
            Err(p) => {
                let _ = writeln!(err, "zoneatlas: {}", p.message(lang));
                None
            }
        };
    }
    match Dataset::open_assuming(zones, parcels, source_crs.and_then(|s| s.0)) {
        Ok(ds) => Some(Box::leak(Box::new(ds))),
        Err(e) => {
            let _ = writeln!(err, "zoneatlas: {}", e.message(lang));
            None
        }
    }
}

/// The database URL an argument gives in place of a file.
fn database_url(arg: &Path) -> Option<&str> {
    arg.to_str().filter(|s| crate::engine::store::is_url(s))
}

/// Whether the files still read as they were opened: a mapped file cut short by another
/// program while a command read it is reported (exit code 2) rather than its figures.
fn intact(ds: &Dataset, lang: Lang, err: &mut dyn Write) -> bool {
    match ds.intact() {
        Ok(()) => true,
        Err(e) => {
            let _ = writeln!(err, "zoneatlas: {}", e.message(lang));
            false
        }
    }
}

/// Runs a command; returns the exit code.
pub fn run(command: Command, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match command {
        Command::Report {
            zones,
            parcels,
            format,
            output,
            lang,
            as_of: asked,
            source_crs,
            board,
            all_boards,
        } => {
            let lang = Lang::from(lang);
            if all_boards {
                return ministry(
                    &zones,
                    parcels.is_some(),
                    format,
                    output,
                    lang,
                    asked,
                    out,
                    err,
                );
            }
            // Refused before the files are read: a workbook's bytes are no use on a terminal.
            let binary = match format {
                ReportFormat::Xlsx => Some(Key::XlsxNeedsOutput),
                ReportFormat::Pdf => Some(Key::PdfNeedsOutput),
                _ => None,
            };
            if let Some(key) = binary
                && output.is_none()
            {
                let _ = writeln!(err, "zoneatlas: {}", tr(lang, key));
                return 2;
            }
            let Some(ds) = open(
                &zones,
                parcels.as_deref(),
                source_crs,
                board.as_deref(),
                lang,
                err,
            ) else {
                return 2;
            };
            // The CSV has no findings: they are not looked for.
            let with_findings = !matches!(format, ReportFormat::Csv);
            let on = as_of(asked);
            let r = Report::as_of(ds, on, with_findings);
            let bytes = match format {
                ReportFormat::Csv => report::csv(&r.table).into_bytes(),
                ReportFormat::Json => report::json(&r, lang).into_bytes(),
                ReportFormat::Md => report::markdown(&r, lang).into_bytes(),
                ReportFormat::Xlsx => match report::xlsx(&r, lang, on.date()) {
                    Ok(bytes) => bytes,
                    Err(e) => {
                        let path = output.as_deref().unwrap_or(Path::new(""));
                        return cannot_write(err, path, e, lang);
                    }
                },
                ReportFormat::Pdf => {
                    // The map as the app's slide draws it (the app's painter, on the CPU).
                    let map = crate::app::slide::report_map(ds, lang, r.as_of);
                    match report::pdf(&r, lang, on.date(), Some(&map)) {
                        Ok(bytes) => bytes,
                        Err(e) => {
                            let path = output.as_deref().unwrap_or(Path::new(""));
                            return cannot_write(err, path, e, lang);
                        }
                    }
                }
            };
            if !intact(ds, lang, err) {
                return 2;
            }
            match output {
                Some(path) => match write_atomic(&path, &bytes) {
                    Ok(()) => 0,
                    Err(e) => cannot_write(err, &path, e, lang),
                },
                None => write_out(out, err, &bytes),
            }
        }
        Command::Check {
            zones,
            parcels,
            format,
            lang,
            as_of: asked,
            source_crs,
            board,
        } => {
            let lang = Lang::from(lang);
            let Some(ds) = open(
                &zones,
                parcels.as_deref(),
                source_crs,
                board.as_deref(),
                lang,
                err,
            ) else {
                return 2;
            };
            let findings = ds.findings(as_of(asked));
            if !intact(ds, lang, err) {
                return 2;
            }
            let text = match format {
                CheckFormat::Json => report::check_json(&findings, lang),
                CheckFormat::Text => report::check_text(&findings, lang),
            };
            let code = write_out(out, err, &text);
            if code != 0 {
                code
            } else {
                i32::from(findings.iter().any(|f| f.severity() == Severity::Error))
            }
        }
        Command::Export {
            zones,
            parcels,
            out_dir,
            format,
            lang,
            with_stats,
            crs,
            source_crs,
            board,
        } => {
            let lang = Lang::from(lang);
            let Some(ds) = open(
                &zones,
                parcels.as_deref(),
                source_crs,
                board.as_deref(),
                lang,
                err,
            ) else {
                return 2;
            };
            let words = export_words(lang);
            match export_dir_as(ds, &out_dir, with_stats, crs.into(), format.into(), &words) {
                Ok(exported) => {
                    for n in &exported.notices {
                        let _ = writeln!(err, "zoneatlas: {}", notice_text(lang, n));
                    }
                    for f in exported.files {
                        let _ = writeln!(out, "{}", f.display());
                    }
                    0
                }
                Err(ExportError::Changed(e)) => {
                    let _ = writeln!(err, "zoneatlas: {}", e.message(lang));
                    2
                }
                Err(ExportError::Write(e)) => cannot_write(err, &out_dir, e, lang),
            }
        }
        Command::Apply {
            zones,
            parcels,
            edits,
            out_dir,
            lang,
            source_crs,
            board,
        } => apply(
            Inputs {
                zones: &zones,
                parcels: parcels.as_deref(),
                source_crs: source_crs.and_then(|s| s.0),
                board: board.as_deref(),
            },
            &edits,
            out_dir.as_deref(),
            lang.into(),
            out,
            err,
        ),
        Command::Db { command } => db::run(command, out, err),
        Command::Join {
            parcels,
            table,
            key,
            out_dir,
            lang,
        } => join(&parcels, &table, &key, &out_dir, lang.into(), out, err),
        Command::FixText {
            file,
            normalize,
            apply,
            output,
        } => fix_text(&file, normalize, apply, output.as_deref(), out, err),
    }
}

/// `report URL --all-boards`: the ministry's table over every board of the database.
#[allow(clippy::too_many_arguments)]
fn ministry(
    zones: &Path,
    with_parcels: bool,
    format: ReportFormat,
    output: Option<PathBuf>,
    lang: Lang,
    asked: Option<Date>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let url = database_url(zones).filter(|_| !with_parcels);
    let (Some(url), ReportFormat::Csv | ReportFormat::Json | ReportFormat::Md) = (url, format)
    else {
        let _ = writeln!(err, "zoneatlas: {}", tr(lang, Key::AllBoardsFormats));
        return 2;
    };
    let boards = match db::all_boards(url) {
        Ok(b) => b,
        Err(p) => {
            let _ = writeln!(err, "zoneatlas: {}", p.message(lang));
            return 2;
        }
    };
    let boards: &'static [(_, _, Dataset)] = Box::leak(boards.into_boxed_slice());
    let m = report::ministry::Ministry {
        boards: boards
            .iter()
            .map(|(b, province, ds)| report::ministry::BoardTable {
                name: b.name.clone(),
                province: province.clone(),
                table: match asked {
                    Some(d) => crate::engine::table::Table::on(ds, d),
                    None => crate::engine::table::Table::today(ds),
                },
            })
            .collect(),
        as_of: asked,
    };
    let text = match format {
        ReportFormat::Json => report::ministry::json(&m),
        ReportFormat::Md => report::ministry::markdown(&m, lang),
        _ => report::ministry::csv(&m),
    };
    match output {
        Some(path) => match write_atomic(&path, text.as_bytes()) {
            Ok(()) => 0,
            Err(e) => cannot_write(err, &path, e, lang),
        },
        None => write_out(out, err, text),
    }
}

/// `join`: the table read and joined to the lots; the lots file written into `out_dir` (as
/// GeoJSON, under its own name), and what matched nothing or several lots listed.
fn join(
    parcels: &Path,
    table_path: &Path,
    key: &str,
    out_dir: &Path,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let mut doc = match crate::engine::source::open(parcels) {
        Ok(doc) => doc,
        Err(e) => {
            let _ = writeln!(err, "zoneatlas: {}", e.message(lang));
            return 2;
        }
    };
    let joined = match crate::engine::join::read_table(table_path)
        .and_then(|t| crate::engine::join::join(&doc, &t, key))
    {
        Ok(j) => j,
        Err(e) => {
            let _ = writeln!(
                err,
                "zoneatlas: {}: {}",
                table_path.display(),
                e.message(lang)
            );
            return 2;
        }
    };
    for op in &joined.ops {
        if let crate::engine::edit::Op::Set {
            feature,
            key,
            value,
            ..
        } = op
        {
            doc.put_property(*feature, key, value.clone());
        }
    }
    let name = parcels
        .file_stem()
        .map(|s| format!("{}.geojson", s.to_string_lossy()))
        .unwrap_or_else(|| "parcels.geojson".to_string());
    let path = out_dir.join(name);
    if let Err(e) = std::fs::create_dir_all(out_dir)
        .and_then(|()| write_atomic(&path, render(&doc, |_| Vec::new()).as_bytes()))
    {
        return cannot_write(err, &path, e, lang);
    }
    let mut text = trf(
        lang,
        Key::JoinDone,
        &[
            ("lots", &joined.lots.to_string()),
            ("file", &path.display().to_string()),
        ],
    );
    text.push('\n');
    for (row, k) in &joined.unmatched {
        text.push_str(&trf(
            lang,
            Key::JoinUnmatched,
            &[("row", &row.to_string()), ("key", k)],
        ));
        text.push('\n');
    }
    for (row, k, n) in &joined.ambiguous {
        text.push_str(&trf(
            lang,
            Key::JoinAmbiguous,
            &[
                ("row", &row.to_string()),
                ("key", k),
                ("count", &n.to_string()),
            ],
        ));
        text.push('\n');
    }
    write_out(out, err, &text)
}

/// `apply`: the script read, every edit made (or none), the edited files written.
/// The files a command reads, and the system of one that names none.
struct Inputs<'a> {
    zones: &'a Path,
    parcels: Option<&'a Path>,
    source_crs: Option<Crs>,
    /// With a database URL for `zones`: the board.
    board: Option<&'a str>,
}

fn apply(
    inputs: Inputs<'_>,
    edits: &Path,
    out_dir: Option<&Path>,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let script = match std::fs::read_to_string(edits) {
        Ok(text) => text,
        Err(e) => {
            let reason = WriteError::from(e).message(lang);
            let _ = writeln!(err, "zoneatlas: {}: {reason}", edits.display());
            return 2;
        }
    };
    let steps = match script::parse(&script) {
        Ok(steps) => steps,
        Err(e) => {
            let _ = writeln!(err, "zoneatlas: {}: {}", edits.display(), e.message(lang));
            return 2;
        }
    };
    // A database is edited in place, in one transaction; files are written into a folder.
    let out_dir = match (database_url(inputs.zones), out_dir) {
        (Some(url), _) if inputs.parcels.is_none() => {
            return db::apply(url, inputs.board, edits, &steps, lang, out, err);
        }
        (Some(_), _) => {
            let _ = writeln!(err, "zoneatlas: {}", tr(lang, Key::DatabaseTakesNoFiles));
            return 2;
        }
        (None, Some(dir)) => dir,
        (None, None) => {
            let _ = writeln!(err, "zoneatlas: {}", tr(lang, Key::ApplyNeedsOutDir));
            return 2;
        }
    };
    let mut ds = match Dataset::open_assuming(inputs.zones, inputs.parcels, inputs.source_crs) {
        Ok(ds) => ds,
        Err(e) => {
            let _ = writeln!(err, "zoneatlas: {}", e.message(lang));
            return 2;
        }
    };
    if let Err(e) = script::run(&mut ds, &steps) {
        let _ = writeln!(err, "zoneatlas: {}: {}", edits.display(), e.message(lang));
        return 2;
    }
    match export_dir(&ds, out_dir, false, ExportCrs::Original) {
        Ok(files) => {
            for f in files {
                let _ = writeln!(out, "{}", f.display());
            }
            // Gaps the edits left between lots that shared an edge: history the written files
            // do not record (`check` on them cannot find them), so said here, as `check` says
            // a finding.
            let mut gaps = Vec::new();
            crate::engine::checks::gaps::gap_findings(&mut gaps, &ds);
            for f in &gaps {
                let _ = writeln!(
                    err,
                    "{}: {} {} #{} ({}): {}",
                    f.severity().code(),
                    f.code(),
                    f.layer.code(),
                    f.feature,
                    f.id,
                    f.message(lang)
                );
            }
            0
        }
        Err(ExportError::Changed(e)) => {
            let _ = writeln!(err, "zoneatlas: {}", e.message(lang));
            2
        }
        Err(ExportError::Write(e)) => cannot_write(err, out_dir, e, lang),
    }
}

/// `fix-text`: lists, and on request writes, the converted values.
fn fix_text(
    file: &Path,
    normalize: bool,
    apply: bool,
    output: Option<&Path>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let mut doc = match Document::open(file) {
        Ok(d) => d,
        Err(e) => {
            let _ = writeln!(err, "zoneatlas: {}", e.message(Lang::En));
            return 2;
        }
    };
    let fixes = legacy_text::scan(&doc, normalize);
    let name = file.display().to_string();
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut text = String::new();
    for f in &fixes {
        text.push_str(&format!(
            "{name}: feature {} ({}) {} [{}]: {} → {}\n",
            f.feature + 1,
            legacy_text::feature_label(&doc, f.feature),
            f.key,
            f.kind.label(),
            quote(&f.before),
            quote(&f.after)
        ));
    }
    let count = |k: FixKind| fixes.iter().filter(|f| f.kind == k).count();
    let legacy = count(FixKind::Legacy(Encoding::Tcvn3)) + count(FixKind::Legacy(Encoding::Vni));
    let n = |k: FixKind| count(k).to_string();
    let lang = Lang::En;
    text.push_str(&trf(
        lang,
        Key::FixTextFound,
        &[
            ("legacy", &legacy.to_string()),
            ("tcvn3", &n(FixKind::Legacy(Encoding::Tcvn3))),
            ("vni", &n(FixKind::Legacy(Encoding::Vni))),
        ],
    ));
    if normalize {
        let nfc = n(FixKind::Normalize);
        text.push_str(&trf(lang, Key::FixTextNormalize, &[("count", &nfc)]));
    }
    // In place only when there is something to change; a copy is always written.
    let target = if apply {
        (!fixes.is_empty()).then_some(file)
    } else {
        output
    };
    match target {
        None if fixes.is_empty() => text.push('\n'),
        None => {
            text.push_str(&trf(lang, Key::FixTextNothingWritten, &[("file", &name)]));
            text.push('\n');
        }
        Some(path) => {
            legacy_text::apply(&mut doc, &fixes);
            if let Err(e) = write_atomic(path, render(&doc, |_| Vec::new()).as_bytes()) {
                return cannot_write(err, path, e, Lang::En);
            }
            let (changed, to) = (fixes.len().to_string(), path.display().to_string());
            text.push_str(&trf(
                lang,
                Key::FixTextWritten,
                &[("count", &changed), ("file", &to)],
            ));
            text.push('\n');
        }
    }
    write_out(out, err, &text)
}

/// Says that `path` could not be written; the exit code.
fn cannot_write(err: &mut dyn Write, path: &Path, e: impl Into<WriteError>, lang: Lang) -> i32 {
    let reason = e.into().message(lang);
    let file = path.display().to_string();
    let text = trf(
        lang,
        Key::CannotWrite,
        &[("file", &file), ("reason", &reason)],
    );
    let _ = writeln!(err, "zoneatlas: {text}");
    2
}

fn write_out(out: &mut dyn Write, err: &mut dyn Write, text: impl AsRef<[u8]>) -> i32 {
    match out.write_all(text.as_ref()).and_then(|()| out.flush()) {
        Ok(()) => 0,
        // A closed pipe (`| head`) is not an error of ours.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            let reason = WriteError::from(e).message(Lang::En);
            let text = trf(Lang::En, Key::CannotWriteOutput, &[("reason", &reason)]);
            let _ = writeln!(err, "zoneatlas: {text}");
            2
        }
    }
}
