//! The command line. Its forms and outputs are relied on by scripts:
//!
//! ```text
//! zoneatlas [ZONES [PARCELS]]                     the desktop app (the built-in sample without files)
//! zoneatlas report ZONES [PARCELS] [--format csv|json|md] [--output FILE] [--lang en|vi]
//! zoneatlas check  ZONES [PARCELS] [--format text|json]
//! zoneatlas export ZONES [PARCELS] --out-dir DIR [--with-stats] [--crs wgs84|original]
//! zoneatlas fix-text FILE [--normalize] [--apply | --output OUT]
//! ```
//!
//! A file with a legacy `crs` member naming Web Mercator, UTM 48N/49N or a VN-2000 system is
//! converted to WGS84 as it is read; `export` then writes RFC 7946 WGS84 longitude/latitude
//! (`--crs wgs84`, the default: positions rewritten with 9 decimals, `bbox` members recomputed,
//! the `crs` member dropped, everything else as read) or the file's own system (`--crs original`: the coordinates and
//! `crs` member as read). Files without a `crs` member are written as read either way. A file
//! whose `crs` names another system, or whose coordinates are metres with no `crs`, is refused
//! (exit code 2).
//!
//! `fix-text` lists every property value of FILE that looks like TCVN3 or VNI text (legacy
//! Vietnamese fonts read as Latin-1), one line each — `FILE: feature N (ID) KEY [TCVN3]: "before"
//! → "after"` — then a summary line. `--normalize` also lists Unicode that is decomposed (NFD) or
//! spells Đ with Ð (U+00D0) `[NFC]`. Nothing is written unless asked: `--apply` replaces FILE
//! (atomically), `--output OUT` writes the converted file to OUT. Only those values change;
//! every other byte is copied.
//!
//! Exit codes: 0 done; 1 `check` found errors; 2 a file could not be read or written, or the
//! command line was wrong.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::engine::dataset::Dataset;
use crate::engine::export::{ExportCrs, export_dir, render, write_atomic};
use crate::engine::findings::Severity;
use crate::engine::format::Lang;
use crate::engine::geojson::{Document, LoadError};
use crate::engine::legacy_text::{self, Encoding, FixKind};
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
        /// Coordinates of a file read from another system (a legacy `crs` member): WGS84
        /// longitude/latitude (RFC 7946), or the file's own system as read.
        #[arg(long, value_enum, default_value_t = CrsArg::Wgs84)]
        crs: CrsArg,
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

/// Whether the files still read as they were opened: a mapped file cut short by another
/// program while a command read it is reported (exit code 2) rather than its figures.
fn intact(ds: &Dataset, err: &mut dyn Write) -> bool {
    match ds.intact() {
        Ok(()) => true,
        Err(e) => {
            let _ = writeln!(err, "zoneatlas: {e}");
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
        } => {
            let Some(ds) = open(&zones, parcels.as_deref(), err) else {
                return 2;
            };
            let text = match format {
                ReportFormat::Csv => report::csv(ds),
                ReportFormat::Json => report::json(ds, &ds.findings()),
                ReportFormat::Md => report::markdown(ds, &ds.findings(), lang.into()),
            };
            if !intact(ds, err) {
                return 2;
            }
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
            if !intact(ds, err) {
                return 2;
            }
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
            crs,
        } => {
            let Some(ds) = open(&zones, parcels.as_deref(), err) else {
                return 2;
            };
            match export_dir(ds, &out_dir, with_stats, crs.into()) {
                Ok(files) => {
                    for f in files {
                        let _ = writeln!(out, "{}", f.display());
                    }
                    0
                }
                Err(e) => {
                    match e.get_ref().and_then(|e| e.downcast_ref::<LoadError>()) {
                        Some(changed) => writeln!(err, "zoneatlas: {changed}"),
                        None => {
                            writeln!(err, "zoneatlas: {}: cannot write: {e}", out_dir.display())
                        }
                    }
                    .ok();
                    2
                }
            }
        }
        Command::FixText {
            file,
            normalize,
            apply,
            output,
        } => fix_text(&file, normalize, apply, output.as_deref(), out, err),
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
            let _ = writeln!(err, "zoneatlas: {e}");
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
    text.push_str(&format!(
        "{legacy} values look like legacy text ({} TCVN3, {} VNI)",
        count(FixKind::Legacy(Encoding::Tcvn3)),
        count(FixKind::Legacy(Encoding::Vni))
    ));
    if normalize {
        text.push_str(&format!(
            ", {} need Unicode normalisation",
            count(FixKind::Normalize)
        ));
    }
    // In place only when there is something to change; a copy is always written.
    let target = if apply {
        (!fixes.is_empty()).then_some(file)
    } else {
        output
    };
    match target {
        None if fixes.is_empty() => text.push('\n'),
        None => text.push_str(&format!(
            "; nothing written (--apply converts {name} in place, --output FILE writes a copy)\n"
        )),
        Some(path) => {
            legacy_text::apply(&mut doc, &fixes);
            if let Err(e) = write_atomic(path, render(&doc, |_| Vec::new()).as_bytes()) {
                let _ = writeln!(err, "zoneatlas: {}: cannot write: {e}", path.display());
                return 2;
            }
            text.push_str(&format!(
                "; {} values changed, written to {}\n",
                fixes.len(),
                path.display()
            ));
        }
    }
    write_out(out, err, &text)
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
