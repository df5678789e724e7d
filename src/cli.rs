//! The command line. Its forms and outputs are relied on by scripts:
//!
//! ```text
//! zoneatlas [ZONES [PARCELS]]                     the desktop app (the built-in sample without files)
//! zoneatlas report ZONES [PARCELS] [--format csv|json|md] [--output FILE] [--lang en|vi]
//! zoneatlas check  ZONES [PARCELS] [--format text|json]
//! zoneatlas export ZONES [PARCELS] --out-dir DIR [--with-stats]
//! ```
//!
//! Exit codes: 0 done; 1 `check` found errors; 2 a file could not be read or written, or the
//! command line was wrong.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::engine::dataset::Dataset;
use crate::engine::export::{export_dir, write_atomic};
use crate::engine::findings::Severity;
use crate::engine::format::Lang;
use crate::engine::report;

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
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Per-zone areas, leased land and fill rates, with totals.
    Report {
        zones: PathBuf,
        parcels: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Csv)]
        format: ReportFormat,
        /// Write here instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Language of the Markdown summary.
        #[arg(long, value_enum, default_value_t = LangArg::En)]
        lang: LangArg,
    },
    /// Problems in the data; exits with 1 when any is an error.
    Check {
        zones: PathBuf,
        parcels: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Writes zones.geojson (and parcels.geojson) into a folder, losslessly.
    Export {
        zones: PathBuf,
        parcels: Option<PathBuf>,
        #[arg(long)]
        out_dir: PathBuf,
        /// Add the computed figures (computed_area_ha, computed_fill_rate_pct, …) to each zone.
        #[arg(long)]
        with_stats: bool,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ReportFormat {
    Csv,
    Json,
    Md,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
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

/// Opens the files for one command. The dataset is never freed: the process ends when the
/// command is done, and handing a million parcels' allocations back one by one would take
/// the better part of a second of a 1M-parcel report.
fn open(zones: &Path, parcels: Option<&Path>, err: &mut dyn Write) -> Option<&'static Dataset> {
    match Dataset::open(zones, parcels) {
        Ok(ds) => Some(Box::leak(Box::new(ds))),
        Err(e) => {
            let _ = writeln!(err, "zoneatlas: {e}");
            None
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
        } => {
            let Some(ds) = open(&zones, parcels.as_deref(), err) else {
                return 2;
            };
            let text = match format {
                ReportFormat::Csv => report::csv(ds),
                ReportFormat::Json => report::json(ds, &ds.findings()),
                ReportFormat::Md => report::markdown(ds, &ds.findings(), lang.into()),
            };
            match output {
                Some(path) => match write_atomic(&path, text.as_bytes()) {
                    Ok(()) => 0,
                    Err(e) => {
                        let _ = writeln!(err, "zoneatlas: {}: cannot write: {e}", path.display());
                        2
                    }
                },
                None => write_out(out, err, &text),
            }
        }
        Command::Check {
            zones,
            parcels,
            format,
        } => {
            let Some(ds) = open(&zones, parcels.as_deref(), err) else {
                return 2;
            };
            let findings = ds.findings();
            let text = match format {
                CheckFormat::Json => {
                    serde_json::to_string_pretty(&findings).unwrap_or_default() + "\n"
                }
                CheckFormat::Text => {
                    let mut s: String = findings.iter().map(|f| format!("{f}\n")).collect();
                    let n = |sev| findings.iter().filter(|f| f.severity == sev).count();
                    s.push_str(&format!(
                        "{} errors, {} warnings, {} notes\n",
                        n(Severity::Error),
                        n(Severity::Warning),
                        n(Severity::Info)
                    ));
                    s
                }
            };
            let code = write_out(out, err, &text);
            if code != 0 {
                code
            } else {
                i32::from(findings.iter().any(|f| f.severity == Severity::Error))
            }
        }
        Command::Export {
            zones,
            parcels,
            out_dir,
            with_stats,
        } => {
            let Some(ds) = open(&zones, parcels.as_deref(), err) else {
                return 2;
            };
            match export_dir(ds, &out_dir, with_stats) {
                Ok(files) => {
                    for f in files {
                        let _ = writeln!(out, "{}", f.display());
                    }
                    0
                }
                Err(e) => {
                    let _ = writeln!(err, "zoneatlas: {}: cannot write: {e}", out_dir.display());
                    2
                }
            }
        }
    }
}

fn write_out(out: &mut dyn Write, err: &mut dyn Write, text: &str) -> i32 {
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => 0,
        // A closed pipe (`| head`) is not an error of ours.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            let _ = writeln!(err, "zoneatlas: cannot write the output: {e}");
            2
        }
    }
}
