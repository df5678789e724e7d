//! The reports, written at the edge: the zone table ([`crate::engine::table`]) and the
//! findings as CSV (for machines), JSON (rows, totals and findings), Markdown (a summary
//! for people), an Excel workbook (zones, totals and findings as sheets, figures as
//! numbers) and an A4 PDF for meetings (with the map, drawn at the edge and handed in as
//! pixels), and the findings as `check` prints them. Their words come from the catalogue
//! ([`crate::i18n`]) in the reader's language; codes, keys and CSV numbers stay as machines
//! read them.

pub mod csv;
pub mod findings;
pub mod json;
pub mod markdown;
pub mod ministry;
pub mod pdf;
pub mod xlsx;

pub use csv::{CSV_HEADER, csv};
pub use findings::{check_json, check_text};
pub use json::json;
pub use markdown::markdown;
pub use pdf::{MapImage, pdf};
pub use xlsx::xlsx;

use std::borrow::Cow;

use crate::engine::as_of::AsOf;
use crate::engine::checks;
use crate::engine::dataset::Dataset;
use crate::engine::findings::Finding;
use crate::engine::properties::Date;
use crate::engine::table::Table;

/// What one report shows: the zone table (today's figures or those on a date), the findings
/// as of the same date, and that date when one was asked for.
pub struct Report<'a> {
    pub table: Table<'a>,
    pub findings: Cow<'a, [Finding]>,
    pub as_of: Option<Date>,
}

impl<'a> Report<'a> {
    /// Today's figures with findings already made (the app keeps them).
    pub fn today(ds: &'a Dataset, findings: &'a [Finding]) -> Report<'a> {
        Report {
            table: Table::today(ds),
            findings: Cow::Borrowed(findings),
            as_of: None,
        }
    }

    /// The figures and the findings as of `on`; `with_findings: false` looks for none (the
    /// CSV has no place for them).
    pub fn as_of(ds: &'a Dataset, on: AsOf, with_findings: bool) -> Report<'a> {
        let table = match on {
            AsOf::On(d) => Table::on(ds, d),
            AsOf::Today(_) => Table::today(ds),
        };
        let findings = if with_findings {
            checks::findings(ds, &table.figures, on)
        } else {
            Vec::new()
        };
        Report {
            table,
            findings: Cow::Owned(findings),
            as_of: on.asked(),
        }
    }
}
