//! The reports, written at the edge: the zone table ([`crate::engine::table`]) and the
//! findings as CSV (for machines), JSON (rows, totals and findings) and Markdown (a summary
//! for people), and the findings as `check` prints them. Their words come from the catalogue
//! ([`crate::i18n`]) in the reader's language; codes, keys and CSV numbers stay as machines
//! read them.

pub mod csv;
pub mod findings;
pub mod json;
pub mod markdown;

pub use csv::{CSV_HEADER, csv};
pub use findings::{check_json, check_text};
pub use json::json;
pub use markdown::markdown;

use crate::engine::dataset::Dataset;
use crate::engine::findings::Finding;
use crate::engine::properties::Date;
use crate::engine::table::Table;

/// What one report shows: the zone table (today's figures or those on a date), the findings
/// as of the same date, and that date when one was asked for.
pub struct Report<'a> {
    pub table: Table<'a>,
    pub findings: &'a [Finding],
    pub as_of: Option<Date>,
}

impl<'a> Report<'a> {
    pub fn new(ds: &'a Dataset, findings: &'a [Finding], as_of: Option<Date>) -> Report<'a> {
        Report {
            table: match as_of {
                Some(d) => Table::on(ds, d),
                None => Table::today(ds),
            },
            findings,
            as_of,
        }
    }
}
