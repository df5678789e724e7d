//! `zoneatlas db …`: a board's shared store in PostgreSQL/PostGIS, and the database URL that
//! `report`, `check`, `export` and `apply` take in place of files.
//!
//! ```text
//! zoneatlas db init    URL [--board NAME] [--province NAME]
//! zoneatlas db import  URL ZONES [PARCELS] [--board NAME] [--source-crs EPSG:CODE]
//! zoneatlas db export  URL --out-dir DIR [--board NAME]
//! zoneatlas db history URL --id ID [--board NAME] [--format text|json]
//! ```
//!
//! `URL` is `postgres://user@host:port/db`; the password comes from `PGPASSWORD` or
//! `~/.pgpass`, never from the URL. Without `--board`, the database's only board (or the one
//! named `default`) is meant. Exit codes: 0 done; 2 the database or a file could not be read
//! or written; 3 (`apply`) someone else changed what an edit was made against, and nothing was
//! written.

use clap::{Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{LangArg, SourceCrs, cannot_write, parse_source_crs, write_out};
use crate::engine::dataset::Dataset;
use crate::engine::export::{ExportCrs, ExportError, export_dir};
use crate::engine::script::Step;
use crate::engine::store::apply::{ApplyError, apply_script};
use crate::engine::store::schema::{self, BoardName, DEFAULT_BOARD};
use crate::engine::store::{self, Loaded, StoreProblem, Target, board, history};
use crate::i18n::{Lang, Message};

/// Exit code of an `apply` refused because someone else changed what it was made against.
pub const CONFLICT: i32 = 3;

#[derive(Subcommand, Debug)]
pub enum DbCommand {
    /// Creates a board's schema (tables, indexes, history, roles) in a database with PostGIS.
    Init {
        url: String,
        /// The board's name (its schema is za_<name folded to a-z, 0-9 and _>).
        #[arg(long)]
        board: Option<String>,
        /// The province the board's figures count for in the ministry's totals.
        #[arg(long)]
        province: Option<String>,
        #[arg(long, value_enum, default_value_t = LangArg::En)]
        lang: LangArg,
    },
    /// Puts a board's zones (and parcels) files into its empty tables.
    Import {
        url: String,
        zones: PathBuf,
        parcels: Option<PathBuf>,
        #[arg(long)]
        board: Option<String>,
        /// The coordinate system of a file that names none of its own, as EPSG:CODE.
        #[arg(long, value_name = "EPSG:CODE", value_parser = parse_source_crs)]
        source_crs: Option<SourceCrs>,
        #[arg(long, value_enum, default_value_t = LangArg::En)]
        lang: LangArg,
    },
    /// Writes the board's zones.geojson (and parcels.geojson) into a folder, as imported and
    /// edited since.
    Export {
        url: String,
        #[arg(long)]
        out_dir: PathBuf,
        #[arg(long)]
        board: Option<String>,
        #[arg(long, value_enum, default_value_t = LangArg::En)]
        lang: LangArg,
    },
    /// Who changed a feature, when, and how: every change to the zone or lot with this id.
    History {
        url: String,
        /// The zone_id or parcel_id (or feature id).
        #[arg(long)]
        id: String,
        #[arg(long)]
        board: Option<String>,
        #[arg(long, value_enum, default_value_t = HistoryFormat::Text)]
        format: HistoryFormat,
        #[arg(long, value_enum, default_value_t = LangArg::En)]
        lang: LangArg,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum HistoryFormat {
    Text,
    Json,
}

/// Says what went wrong with the store; the exit code.
fn failed(err: &mut dyn Write, p: &StoreProblem, lang: Lang) -> i32 {
    let _ = writeln!(err, "zoneatlas: {}", p.message(lang));
    2
}

/// Connects to the database a URL names.
pub fn connect(url: &str) -> Result<(Target, postgres::Client), StoreProblem> {
    let target = Target::parse(url)?;
    let client = target.connect()?;
    Ok((target, client))
}

/// Connects and finds the board a command means.
fn board_of(
    url: &str,
    named: Option<&str>,
) -> Result<(Target, postgres::Client, BoardName), StoreProblem> {
    let (target, mut client) = connect(url)?;
    let board = schema::choose(&mut client, url, named)?;
    Ok((target, client, board))
}

/// Reads a board for `report`, `check` or `export`.
pub fn load(url: &str, named: Option<&str>) -> Result<Loaded, StoreProblem> {
    let (target, mut client, board) = board_of(url, named)?;
    board::load(&mut client, &target, &board)
}

pub fn run(command: DbCommand, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match command {
        DbCommand::Init {
            url,
            board,
            province,
            lang,
        } => {
            let lang = Lang::from(lang);
            let result = BoardName::new(board.as_deref().unwrap_or(DEFAULT_BOARD)).and_then(|b| {
                let (_, mut client) = connect(&url)?;
                schema::init(&mut client, &b, province.as_deref())?;
                Ok(b)
            });
            match result {
                Ok(b) => write_out(
                    out,
                    err,
                    format!("{url}: board \"{}\" in schema {}\n", b.name, b.schema()),
                ),
                Err(p) => failed(err, &p, lang),
            }
        }
        DbCommand::Import {
            url,
            zones,
            parcels,
            board,
            source_crs,
            lang,
        } => {
            let lang = Lang::from(lang);
            let ds = match Dataset::open_assuming(
                &zones,
                parcels.as_deref(),
                source_crs.and_then(|s| s.0),
            ) {
                Ok(ds) => ds,
                Err(e) => {
                    let _ = writeln!(err, "zoneatlas: {}", e.message(lang));
                    return 2;
                }
            };
            let result = board_of(&url, board.as_deref()).and_then(|(_, mut client, b)| {
                Ok((store::board::import(&mut client, &b, &ds)?, b))
            });
            match result {
                Ok(((z, p), b)) => write_out(
                    out,
                    err,
                    format!(
                        "{url}: board \"{}\": {z} zones, {p} parcels imported\n",
                        b.name
                    ),
                ),
                Err(p) => failed(err, &p, lang),
            }
        }
        DbCommand::Export {
            url,
            out_dir,
            board,
            lang,
        } => {
            let lang = Lang::from(lang);
            let loaded = match load(&url, board.as_deref()) {
                Ok(l) => l,
                Err(p) => return failed(err, &p, lang),
            };
            export_files(&loaded.dataset, &out_dir, lang, out, err)
        }
        DbCommand::History {
            url,
            id,
            board,
            format,
            lang,
        } => {
            let lang = Lang::from(lang);
            let entries = board_of(&url, board.as_deref())
                .and_then(|(_, mut client, b)| history::of_id(&mut client, &b, &id));
            let entries = match entries {
                Ok(e) => e,
                Err(p) => return failed(err, &p, lang),
            };
            let text = match format {
                HistoryFormat::Json => {
                    let mut t = serde_json::to_string_pretty(&entries).unwrap_or_default();
                    t.push('\n');
                    t
                }
                HistoryFormat::Text => history_text(&entries),
            };
            write_out(out, err, text)
        }
    }
}

/// Every board of the database, read, with the province each counts for (the ministry's
/// table).
pub fn all_boards(url: &str) -> Result<Vec<(BoardName, Option<String>, Dataset)>, StoreProblem> {
    let (target, mut client) = connect(url)?;
    let boards = schema::registry(&mut client)?;
    if boards.is_empty() {
        return Err(StoreProblem::NotInitialised {
            target: url.to_string(),
        });
    }
    boards
        .into_iter()
        .map(|(b, province)| {
            let ds = board::load(&mut client, &target, &b)?.dataset;
            Ok((b, province, ds))
        })
        .collect()
}

/// Writes a board's layers as GeoJSON files, as `export` writes files' (lossless).
pub fn export_files(
    ds: &Dataset,
    out_dir: &Path,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    match export_dir(ds, out_dir, false, ExportCrs::Original) {
        Ok(files) => {
            for f in files {
                let _ = writeln!(out, "{}", f.display());
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

/// `apply URL --edits EDITS.json`: the script applied in one transaction.
pub fn apply(
    url: &str,
    named: Option<&str>,
    edits: &Path,
    steps: &[Step],
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let done = board_of(url, named)
        .map_err(ApplyError::Store)
        .and_then(|(target, mut client, b)| apply_script(&mut client, &target, &b, steps));
    match done {
        Ok(done) => write_out(
            out,
            err,
            format!(
                "{url}: {} operations applied, {} rows written\n",
                done.operations, done.rows
            ),
        ),
        Err(e) => {
            let code = if e.is_conflict() { CONFLICT } else { 2 };
            match e {
                ApplyError::Script(e) => {
                    let _ = writeln!(err, "zoneatlas: {}: {}", edits.display(), e.message(lang));
                }
                ApplyError::Store(p) => {
                    failed(err, &p, lang);
                }
            }
            code
        }
    }
}

/// The history as lines: when, who, the layer and id, the version after, the step.
fn history_text(entries: &[history::Entry]) -> String {
    let mut text = String::new();
    for e in entries {
        let id = e.id.as_deref().unwrap_or("-");
        let version = if e.version < 0 {
            "deleted".to_string()
        } else {
            format!("v{}", e.version)
        };
        text.push_str(&format!(
            "{}  {}  {} {id} (row {})  {version}  {}\n",
            e.changed_at, e.changed_by, e.layer, e.fid, e.op
        ));
    }
    text
}
