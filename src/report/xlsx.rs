//! The report as an Excel workbook, for people who go on working in a spreadsheet: a sheet of
//! zones (the rows of the CSV), a sheet of totals (all zones, operating zones, each province)
//! and a sheet of findings, all in the reader's language. Figures are numbers with number
//! formats — hectares with 2 decimals, rates as percentages, counts as integers, the date as
//! a date — so that a spreadsheet sums, sorts and filters them as they are; text is always
//! written as text, never as a formula, whatever it begins with.

use rust_xlsxwriter::{
    ColNum, DocProperties, ExcelDateTime, Format, FormatAlign, RowNum, Workbook, Worksheet,
    XlsxError,
};
use unicode_normalization::char::is_combining_mark;

use super::Report;
use crate::engine::figures::Totals;
use crate::engine::findings::{Finding, Severity};
use crate::engine::model::LayerKind;
use crate::engine::properties::Date;
use crate::engine::saving::WriteError;
use crate::i18n::keys::{basis_short, totals_basis, zone_status_text};
use crate::i18n::{Key, Lang, Message, fmt_date, tr, trf};

/// Excel's rows per worksheet.
const MAX_ROWS: usize = 1_048_576;
/// Excel's longest cell text, in UTF-16 units.
const MAX_TEXT: usize = 32_767;
/// The widest a column is made for its text (longer text overflows into the empty cells to
/// its right, or is read in the formula bar).
const MAX_WIDTH: f64 = 60.0;
/// A header wraps onto at most this many lines: the columns stay as narrow as their figures
/// allow, and the header row no taller than three lines.
const MAX_HEADER_LINES: usize = 3;
/// Room in a header cell for the filter button and the cell's margins, in Excel's width unit.
const HEADER_PADDING: f64 = 3.5;
/// Bold text is about a tenth wider.
const BOLD: f64 = 1.1;
/// The height of a line of text in the default font (Calibri 11), points.
const LINE_HEIGHT: f64 = 15.0;

/// The workbook's bytes. `today` is the date of the figures when the report was not asked for
/// another (`r.as_of`); it is shown as the date the figures are about.
pub fn xlsx(r: &Report, lang: Lang, today: Date) -> Result<Vec<u8>, WriteError> {
    workbook(r, lang, r.as_of.unwrap_or(today), MAX_ROWS).map_err(|e| WriteError {
        kind: std::io::ErrorKind::Other,
        detail: e.to_string(),
    })
}

/// The workbook of the figures on `on`; `max_rows` is a sheet's rows (Excel's, but for tests).
fn workbook(r: &Report, lang: Lang, on: Date, max_rows: usize) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new(lang);
    let mut book = Workbook::new();
    book.set_properties(&DocProperties::new().set_title(tr(lang, Key::ReportTitle)));
    zones_sheet(&mut Sheet::new(book.add_worksheet(), &styles), r, lang)?;
    totals_sheet(&mut Sheet::new(book.add_worksheet(), &styles), r, lang, on)?;
    findings_sheet(
        &mut Sheet::new(book.add_worksheet(), &styles),
        &r.findings,
        lang,
        max_rows,
    )?;
    book.save_to_buffer()
}

/// The cell formats; the number formats are Excel's codes, shown with the reader's own
/// separators by the spreadsheet (`6.397,68` in a Vietnamese Excel).
struct Styles {
    title: Format,
    header: Format,
    bold: Format,
    text: Format,
    ha: Format,
    pct: Format,
    count: Format,
    date: Format,
}

impl Styles {
    fn new(lang: Lang) -> Styles {
        // The date as the reader writes it ([`fmt_date`]).
        let date = match lang {
            Lang::Vi => "dd/mm/yyyy",
            Lang::En => "yyyy-mm-dd",
        };
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            bold: Format::new().set_bold(),
            text: Format::new(),
            ha: Format::new().set_num_format("#,##0.00"),
            pct: Format::new().set_num_format("0.00%"),
            count: Format::new().set_num_format("#,##0"),
            date: Format::new()
                .set_num_format(date)
                .set_align(FormatAlign::Left),
        }
    }
}

/// One cell of a table row; `None` is an unknown value, an empty cell.
enum Cell<'a> {
    Text(&'a str),
    /// Text in bold (a totals row's name).
    Strong(&'a str),
    Ha(Option<f64>),
    /// A rate in percent (`60.04`), stored as the fraction Excel's `%` format shows (`0.6004`).
    Pct(Option<f64>),
    Count(Option<usize>),
}

/// A worksheet being written, with the width each column's cells need so far and its header
/// row; [`Sheet::finish`] sizes the columns and the header row from them.
struct Sheet<'a> {
    ws: &'a mut Worksheet,
    styles: &'a Styles,
    widths: Vec<f64>,
    header: Option<(usize, Vec<&'static str>)>,
}

impl<'a> Sheet<'a> {
    fn new(ws: &'a mut Worksheet, styles: &'a Styles) -> Sheet<'a> {
        Sheet {
            ws,
            styles,
            widths: Vec::new(),
            header: None,
        }
    }

    /// Makes column `col` at least `w` wide (Excel's unit), up to [`MAX_WIDTH`].
    fn fit(&mut self, col: usize, w: f64) {
        if self.widths.len() <= col {
            self.widths.resize(col + 1, 0.0);
        }
        self.widths[col] = self.widths[col].max(w.min(MAX_WIDTH));
    }

    /// Text, always as a string cell (never a formula, whatever it begins with).
    fn text(&mut self, row: usize, col: usize, s: &str, format: &Format) -> Result<(), XlsxError> {
        let s = fitting(s);
        self.ws
            .write_string_with_format(row as RowNum, col as ColNum, s.as_ref(), format)?;
        Ok(())
    }

    /// Text that the column's width is made for.
    fn fitted_text(
        &mut self,
        row: usize,
        col: usize,
        s: &str,
        f: &Format,
    ) -> Result<(), XlsxError> {
        self.fit(col, text_width(s) + 2.0);
        self.text(row, col, s, f)
    }

    /// The header row: bold, wrapped at spaces (its widths are set by [`Sheet::finish`]).
    fn header(&mut self, row: usize, keys: &[Key], lang: Lang) -> Result<(), XlsxError> {
        let st = self.styles;
        let texts: Vec<&'static str> = keys.iter().map(|&k| tr(lang, k)).collect();
        for (col, s) in texts.iter().enumerate() {
            self.fit(col, 0.0);
            self.text(row, col, s, &st.header)?;
        }
        self.header = Some((row, texts));
        Ok(())
    }

    fn number(
        &mut self,
        (row, col): (usize, usize),
        x: f64,
        f: &Format,
        chars: usize,
    ) -> Result<(), XlsxError> {
        self.fit(col, chars as f64 + 2.0);
        self.ws
            .write_number_with_format(row as RowNum, col as ColNum, x, f)?;
        Ok(())
    }

    /// A table row from column 0.
    fn row(&mut self, row: usize, cells: &[Cell]) -> Result<(), XlsxError> {
        let st = self.styles;
        for (col, cell) in cells.iter().enumerate() {
            match *cell {
                Cell::Text(s) => self.fitted_text(row, col, s, &st.text)?,
                Cell::Strong(s) => self.fitted_text(row, col, s, &st.bold)?,
                Cell::Ha(Some(x)) => self.number((row, col), x, &st.ha, shown_len(x, 2))?,
                Cell::Pct(Some(x)) => {
                    self.number((row, col), x / 100.0, &st.pct, shown_len(x, 2) + 1)?
                }
                Cell::Count(Some(n)) => {
                    let x = n as f64;
                    self.number((row, col), x, &st.count, shown_len(x, 0))?
                }
                Cell::Ha(None) | Cell::Pct(None) | Cell::Count(None) => {}
            }
        }
        Ok(())
    }

    /// A date cell, or the date as text where Excel has no date for it (before 1900).
    fn date(&mut self, row: usize, col: usize, d: Date, lang: Lang) -> Result<(), XlsxError> {
        let (y, m, day) = d.ymd();
        let excel = u16::try_from(y)
            .ok()
            .and_then(|y| ExcelDateTime::from_ymd(y, m as u8, day as u8).ok());
        match excel {
            Some(e) => {
                self.fit(col, 12.0);
                self.ws.write_datetime_with_format(
                    row as RowNum,
                    col as ColNum,
                    e,
                    &self.styles.date,
                )?;
                Ok(())
            }
            None => {
                let st = self.styles;
                self.fitted_text(row, col, &fmt_date(d, lang), &st.text)
            }
        }
    }

    /// Sets the widths: each column as wide as its cells need, and as its header needs to
    /// show on at most [`MAX_HEADER_LINES`] lines; the header row as tall as its most lines.
    fn finish(&mut self) -> Result<(), XlsxError> {
        let mut lines = 1;
        if let Some((_, texts)) = &self.header {
            for (col, text) in texts.iter().enumerate() {
                let (w, n) = header_fit(text, self.widths[col]);
                self.widths[col] = w;
                lines = lines.max(n);
            }
        }
        for (col, w) in self.widths.iter().enumerate() {
            self.ws.set_column_width(col as ColNum, w.ceil())?;
        }
        if let Some((row, _)) = self.header {
            self.ws
                .set_row_height(row as RowNum, lines as f64 * LINE_HEIGHT + 3.0)?;
        }
        Ok(())
    }
}

/// Text within Excel's limit for a cell; longer text (in practice only a huge bad value quoted
/// in a finding) is cut there, with a visible `…`, rather than the whole workbook refused.
fn fitting(s: &str) -> std::borrow::Cow<'_, str> {
    if s.len() <= MAX_TEXT || s.encode_utf16().count() <= MAX_TEXT {
        return s.into();
    }
    let mut units = 0;
    let mut out: String = s
        .chars()
        .take_while(|c| {
            units += c.len_utf16();
            units < MAX_TEXT
        })
        .collect();
    out.push('…');
    out.into()
}

/// How wide `s` shows, in Excel's width unit (the width of a digit in the default font):
/// narrow letters and spaces take about half of one, capitals and `m`, `w` a third more;
/// Vietnamese diacritics sit above or below their letter, and combining marks (decomposed
/// text) take no room.
fn text_width(s: &str) -> f64 {
    s.chars()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'i' | 'í' | 'ì' | 'ỉ' | 'ĩ' | 'ị' | 'l' | 'j' | 't' | 'f' | 'r' | 'I' => 0.6,
            ' ' | '.' | ',' | ':' | ';' | '(' | ')' | '\'' | '|' | '!' => 0.6,
            'm' | 'w' | 'M' | 'W' => 1.5,
            c if c.is_uppercase() => 1.3,
            _ => 1.0,
        })
        .sum()
}

/// The width a column needs for its bold header `text` when its cells need `cells`, and on how
/// many lines the header then wraps: as narrow as the cells allow while the header takes at
/// most [`MAX_HEADER_LINES`] lines (its longest word never broken), as a spreadsheet wraps it
/// at spaces.
fn header_fit(text: &str, cells: f64) -> (f64, usize) {
    let words: Vec<f64> = text.split(' ').map(|w| text_width(w) * BOLD).collect();
    let space = text_width(" ") * BOLD;
    let lines_in = |room: f64| {
        let (mut lines, mut used) = (1, None::<f64>);
        for &w in &words {
            used = Some(match used {
                Some(u) if u + space + w <= room => u + space + w,
                Some(_) => {
                    lines += 1;
                    w
                }
                None => w,
            });
        }
        lines
    };
    let longest = words.iter().copied().fold(0.0, f64::max);
    let mut width = cells.max(longest + HEADER_PADDING);
    while lines_in(width - HEADER_PADDING) > MAX_HEADER_LINES {
        width += 0.5;
    }
    (width, lines_in(width - HEADER_PADDING))
}

/// The length of `x` as its number format shows it, with `decimals` decimals and a separator
/// between thousands.
fn shown_len(x: f64, decimals: usize) -> usize {
    let digits = format!("{:.*}", decimals, x.abs());
    let whole = digits.find('.').unwrap_or(digits.len());
    digits.len() + whole.saturating_sub(1) / 3 + usize::from(x < 0.0)
}

/// The zone table's columns, as the CSV's (statuses and bases in words).
const ZONE_COLUMNS: [Key; 16] = [
    Key::XlsxColZoneId,
    Key::XlsxColName,
    Key::XlsxColProvince,
    Key::XlsxColStatus,
    Key::XlsxColAreaHa,
    Key::XlsxColPlannedHa,
    Key::XlsxColIndustrialHa,
    Key::XlsxColServiceHa,
    Key::XlsxColLeasedHa,
    Key::XlsxColLeasedServiceHa,
    Key::XlsxColFillRate,
    Key::XlsxColFillRateD35,
    Key::XlsxColBasis,
    Key::XlsxColLotsLeased,
    Key::XlsxColLotsVacant,
    Key::XlsxColLotsReserved,
];

/// A row per zone, as [`crate::engine::table::Table::rows`] gives them; the header row frozen
/// (with the id and name columns) and filtered; printed landscape, one page wide.
fn zones_sheet(sheet: &mut Sheet, r: &Report, lang: Lang) -> Result<(), XlsxError> {
    sheet.ws.set_name(tr(lang, Key::SheetZones))?;
    sheet.header(0, &ZONE_COLUMNS, lang)?;
    let table = &r.table;
    let ds = table.ds;
    let rows = table.rows();
    // `rows` are the live zones in order: the zone of each row, for its words.
    for (i, (z, row)) in ds.zones.live().zip(&rows).enumerate() {
        let status = ds.zones.items[z].status.map(|s| zone_status_text(lang, s));
        let basis = table.figures[z]
            .basis
            .filter(|_| row.fill_basis.is_some())
            .map(|b| basis_short(lang, b));
        sheet.row(
            i + 1,
            &[
                Cell::Text(&row.zone_id),
                Cell::Text(&row.name),
                Cell::Text(row.province.as_deref().unwrap_or("")),
                Cell::Text(status.unwrap_or("")),
                Cell::Ha(row.area_ha),
                Cell::Ha(row.planned_area_ha),
                Cell::Ha(row.industrial_land_ha),
                Cell::Ha(row.service_land_ha),
                Cell::Ha(row.leased_ha),
                Cell::Ha(row.leased_service_ha),
                Cell::Pct(row.fill_rate_pct),
                Cell::Pct(row.fill_rate_d35_pct),
                Cell::Text(basis.unwrap_or("")),
                Cell::Count(row.parcels_leased),
                Cell::Count(row.parcels_vacant),
                Cell::Count(row.parcels_reserved),
            ],
        )?;
    }
    let last_col = (ZONE_COLUMNS.len() - 1) as ColNum;
    sheet.ws.set_freeze_panes(1, 2)?;
    sheet.ws.autofilter(0, 0, rows.len() as RowNum, last_col)?;
    sheet.ws.set_repeat_rows(0, 0)?;
    sheet.ws.set_landscape().set_print_fit_to_pages(1, 0);
    sheet.finish()
}

/// The totals table's columns.
const TOTAL_COLUMNS: [Key; 17] = [
    Key::XlsxColTotalsOver,
    Key::XlsxColZones,
    Key::XlsxColOperating,
    Key::XlsxColAreaHa,
    Key::XlsxColPlannedHa,
    Key::XlsxColIndustrialHa,
    Key::XlsxColServiceHa,
    Key::XlsxColLeasedHa,
    Key::XlsxColLeasedServiceHa,
    Key::XlsxColDenominatorHa,
    Key::XlsxColDenominatorD35Ha,
    Key::XlsxColFillRate,
    Key::XlsxColFillRateD35,
    Key::XlsxColBasis,
    Key::XlsxColLotsLeased,
    Key::XlsxColLotsVacant,
    Key::XlsxColLotsReserved,
];

/// The title, the date of the figures and the files, then the totals the other reports give
/// ([`crate::engine::table::Table`]): all zones, operating zones, each province.
fn totals_sheet(sheet: &mut Sheet, r: &Report, lang: Lang, on: Date) -> Result<(), XlsxError> {
    let st = sheet.styles;
    let t = |k: Key| tr(lang, k);
    sheet.ws.set_name(t(Key::SheetTotals))?;
    let table = &r.table;
    let ds = table.ds;
    // The title and the notes overflow to the right: the columns are not made for them.
    sheet.text(0, 0, t(Key::ReportTitle), &st.title)?;
    sheet.fitted_text(1, 0, t(Key::XlsxFiguresOn), &st.text)?;
    sheet.date(1, 1, on, lang)?;
    let mut at = 2;
    let files = std::iter::once((Key::ReportZonesFile, &ds.zones.doc)).chain(
        ds.parcels
            .as_ref()
            .map(|p| (Key::ReportParcelsFile, &p.doc)),
    );
    for (key, doc) in files {
        sheet.fitted_text(at, 0, t(key), &st.text)?;
        sheet.text(at, 1, &doc.name(), &st.text)?;
        at += 1;
    }
    sheet.text(at, 0, t(Key::ReportRatiosOfSums), &st.text)?;
    let head = at + 2;
    sheet.header(head, &TOTAL_COLUMNS, lang)?;
    let named = |name: &str| match name {
        "" => t(Key::NoProvince).to_string(),
        _ => name.to_string(),
    };
    let groups = [
        (t(Key::TotalAll).to_string(), table.totals_all()),
        (t(Key::TotalOperating).to_string(), table.totals_operating()),
    ]
    .into_iter()
    .chain(
        table
            .totals_by_province()
            .into_iter()
            .map(|(name, totals)| (named(&name), totals)),
    );
    for (i, (name, totals)) in groups.enumerate() {
        // The two national lines in bold, the provinces plain.
        let label = if i < 2 {
            Cell::Strong(&name)
        } else {
            Cell::Text(&name)
        };
        let basis = totals_basis(lang, &totals);
        sheet.row(head + 1 + i, &totals_cells(label, &totals, &basis))?;
    }
    sheet.ws.set_landscape().set_print_fit_to_pages(1, 0);
    sheet.finish()
}

/// One totals row. Without a parcels file the leased land, the lots and the rates are not
/// known, and their cells are left empty (as the zone rows').
fn totals_cells<'a>(label: Cell<'a>, t: &Totals, basis: &'a str) -> [Cell<'a>; 17] {
    let known = |x: f64| (!t.leased_unknown).then_some(x);
    let count = |n: usize| (!t.leased_unknown).then_some(n);
    [
        label,
        Cell::Count(Some(t.zones)),
        Cell::Count(Some(t.operating)),
        Cell::Ha(Some(t.area_ha)),
        Cell::Ha(Some(t.planned_area_ha)),
        Cell::Ha(Some(t.industrial_land_ha)),
        Cell::Ha(Some(t.service_land_ha)),
        Cell::Ha(known(t.leased_ha)),
        Cell::Ha(known(t.leased_service_ha)),
        Cell::Ha(Some(t.denominator_ha)),
        Cell::Ha(Some(t.denominator_d35_ha)),
        Cell::Pct(t.fill_rate_pct),
        Cell::Pct(t.fill_rate_d35_pct),
        Cell::Text(if t.leased_unknown { "" } else { basis }),
        Cell::Count(count(t.parcels_leased)),
        Cell::Count(count(t.parcels_vacant)),
        Cell::Count(count(t.parcels_reserved)),
    ]
}

const FINDING_COLUMNS: [Key; 6] = [
    Key::XlsxColSeverity,
    Key::XlsxColLayer,
    Key::XlsxColFeature,
    Key::XlsxColFeatureId,
    Key::XlsxColOther,
    Key::XlsxColMessage,
];

/// A row per finding, with its message in the reader's language; the header frozen and
/// filtered. Findings beyond a sheet's `max_rows` are counted in its last row.
fn findings_sheet(
    sheet: &mut Sheet,
    findings: &[Finding],
    lang: Lang,
    max_rows: usize,
) -> Result<(), XlsxError> {
    let st = sheet.styles;
    sheet.ws.set_name(tr(lang, Key::SheetFindings))?;
    sheet.header(0, &FINDING_COLUMNS, lang)?;
    let room = max_rows - 1;
    let shown = if findings.len() > room {
        room - 1
    } else {
        findings.len()
    };
    for (i, f) in findings[..shown].iter().enumerate() {
        let severity = tr(
            lang,
            match f.severity() {
                Severity::Error => Key::SeverityError,
                Severity::Warning => Key::SeverityWarning,
                Severity::Info => Key::SeverityInfo,
            },
        );
        let layer = tr(
            lang,
            match f.layer {
                LayerKind::Zones => Key::LayerZones,
                LayerKind::Parcels => Key::LayerParcels,
            },
        );
        let message = f.message(lang);
        sheet.row(
            i + 1,
            &[
                Cell::Text(severity),
                Cell::Text(layer),
                Cell::Count(Some(f.feature)),
                Cell::Text(&f.id),
                Cell::Count(f.other()),
                Cell::Text(&message),
            ],
        )?;
    }
    if findings.is_empty() {
        sheet.text(1, 0, tr(lang, Key::NoFindings), &st.text)?;
    }
    if shown < findings.len() {
        let count = (findings.len() - shown).to_string();
        let more = trf(lang, Key::XlsxFindingsLeftOut, &[("count", &count)]);
        sheet.text(shown + 1, 0, &more, &st.bold)?;
    }
    let last_col = (FINDING_COLUMNS.len() - 1) as ColNum;
    sheet.ws.set_freeze_panes(1, 0)?;
    sheet.ws.autofilter(0, 0, shown as RowNum, last_col)?;
    sheet.ws.set_repeat_rows(0, 0)?;
    sheet.ws.set_landscape().set_print_fit_to_pages(1, 0);
    sheet.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::as_of::AsOf;
    use crate::engine::findings::FindingKind;
    use crate::engine::table::Table;
    use crate::engine::test_data::{dataset_of, lots, square, three_zones};
    use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};
    use std::borrow::Cow;
    use std::io::{Cursor, Read};

    fn book(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
        open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("an xlsx workbook")
    }

    fn sheet(bytes: &[u8], name: &str) -> Range<Data> {
        book(bytes).worksheet_range(name).expect("the sheet")
    }

    /// A part of the workbook's zip, as text.
    fn part(bytes: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).expect("a zip");
        let mut text = String::new();
        zip.by_name(name)
            .expect("the part")
            .read_to_string(&mut text)
            .expect("UTF-8");
        text
    }

    fn at(range: &Range<Data>, row: usize, col: usize) -> Data {
        range
            .get_value((row as u32, col as u32))
            .cloned()
            .unwrap_or(Data::Empty)
    }

    fn text(range: &Range<Data>, row: usize, col: usize) -> String {
        match at(range, row, col) {
            Data::String(s) => s,
            other => panic!("({row}, {col}) is not text: {other:?}"),
        }
    }

    /// A numeric cell's value; text that merely looks like a number fails.
    fn number(range: &Range<Data>, row: usize, col: usize) -> Option<f64> {
        match at(range, row, col) {
            Data::Float(x) => Some(x),
            Data::Int(n) => Some(n as f64),
            Data::Empty => None,
            other => panic!("({row}, {col}) is not a number: {other:?}"),
        }
    }

    fn same(a: Option<f64>, b: Option<f64>, what: &str) {
        match (a, b) {
            (Some(a), Some(b)) => assert!(
                (a - b).abs() <= 1e-9 * b.abs().max(1.0),
                "{what}: {a} vs {b}"
            ),
            (a, b) => assert_eq!(a, b, "{what}"),
        }
    }

    fn pct(range: &Range<Data>, row: usize, col: usize) -> Option<f64> {
        number(range, row, col).map(|f| f * 100.0)
    }

    fn count(v: Option<usize>) -> Option<f64> {
        v.map(|n| n as f64)
    }

    /// Zones A (leased, vacant, reserved and leased service lots, a lease that has ended),
    /// B and C of [`three_zones`].
    fn dataset() -> Dataset {
        three_zones(&[
            r#"{"status":"leased"}"#,
            r#"{"status":"vacant"}"#,
            r#"{"status":"reserved"}"#,
            r#"{"status":"leased","land_use":"service"}"#,
            r#"{"status":"leased","lease_end":"2020-01-01"}"#,
        ])
    }

    use crate::engine::dataset::Dataset;

    fn on() -> Date {
        Date::from_ymd(2024, 6, 30).expect("a date")
    }

    #[test]
    fn zone_rows_are_the_tables_figures_as_numbers_under_vietnamese_headers() {
        let ds = dataset();
        let r = Report::as_of(&ds, AsOf::Today(on()), true);
        let bytes = xlsx(&r, Lang::Vi, on()).expect("a workbook");
        let names = book(&bytes).sheet_names();
        assert_eq!(names, ["Khu công nghiệp", "Tổng hợp", "Kết quả kiểm tra"]);
        let zones = sheet(&bytes, "Khu công nghiệp");
        let headers: Vec<String> = (0..16).map(|c| text(&zones, 0, c)).collect();
        assert_eq!(headers[1], "Tên KCN");
        assert_eq!(headers[10], "Tỷ lệ lấp đầy (đất công nghiệp)");
        assert_eq!(headers[15], "Số lô giữ lại");
        let rows = r.table.rows();
        assert_eq!(zones.height(), rows.len() + 1);
        for (i, row) in rows.iter().enumerate() {
            let y = i + 1;
            assert_eq!(text(&zones, y, 0), row.zone_id);
            assert_eq!(text(&zones, y, 1), row.name);
            same(number(&zones, y, 4), row.area_ha, "area");
            same(number(&zones, y, 5), row.planned_area_ha, "planned");
            same(number(&zones, y, 6), row.industrial_land_ha, "industrial");
            same(number(&zones, y, 7), row.service_land_ha, "service");
            same(number(&zones, y, 8), row.leased_ha, "leased");
            same(
                number(&zones, y, 9),
                row.leased_service_ha,
                "leased service",
            );
            same(pct(&zones, y, 10), row.fill_rate_pct, "fill rate");
            same(pct(&zones, y, 11), row.fill_rate_d35_pct, "Decree 35 rate");
            same(
                number(&zones, y, 13),
                count(row.parcels_leased),
                "leased lots",
            );
            same(
                number(&zones, y, 14),
                count(row.parcels_vacant),
                "vacant lots",
            );
            same(
                number(&zones, y, 15),
                count(row.parcels_reserved),
                "reserved lots",
            );
        }
        // Zone A, by hand: 100 ha of industrial land, three leased lots of which one is
        // service land, one vacant, one reserved; statuses and bases in words.
        assert_eq!(text(&zones, 1, 3), "Đang hoạt động");
        assert_eq!(text(&zones, 1, 12), "đất công nghiệp");
        assert_eq!(number(&zones, 1, 6), Some(100.0));
        let counts: Vec<Option<f64>> = (13..16).map(|c| number(&zones, 1, c)).collect();
        assert_eq!(counts, [Some(3.0), Some(1.0), Some(1.0)]);
        // C gives no status and no planning attributes: empty cells, not zeros.
        assert_eq!(at(&zones, 3, 3), Data::Empty);
        assert_eq!(at(&zones, 3, 6), Data::Empty);
    }

    #[test]
    fn totals_are_the_tables_all_operating_and_per_province() {
        let ds = dataset();
        let r = Report::as_of(&ds, AsOf::Today(on()), true);
        let bytes = xlsx(&r, Lang::Vi, on()).expect("a workbook");
        let totals = sheet(&bytes, "Tổng hợp");
        let label_row = |label: &str| {
            (0..totals.height())
                .find(|&y| at(&totals, y, 0) == Data::String(label.into()))
                .unwrap_or_else(|| panic!("no row {label}"))
        };
        let expect = [
            ("Tất cả KCN", r.table.totals_all()),
            ("KCN đang hoạt động", r.table.totals_operating()),
            ("Bắc Ninh", r.table.totals_by_province()[0].1.clone()),
            ("Bắc Giang", r.table.totals_by_province()[1].1.clone()),
        ];
        for (label, t) in expect {
            let y = label_row(label);
            same(number(&totals, y, 1), Some(t.zones as f64), label);
            same(number(&totals, y, 2), Some(t.operating as f64), label);
            same(number(&totals, y, 3), Some(t.area_ha), label);
            same(number(&totals, y, 5), Some(t.industrial_land_ha), label);
            same(number(&totals, y, 7), Some(t.leased_ha), label);
            same(number(&totals, y, 9), Some(t.denominator_ha), label);
            same(pct(&totals, y, 11), t.fill_rate_pct, label);
            same(pct(&totals, y, 12), t.fill_rate_d35_pct, label);
            same(number(&totals, y, 14), Some(t.parcels_leased as f64), label);
        }
        assert_eq!(number(&totals, label_row("Bắc Giang"), 1), Some(2.0));
        // The date of the figures is a date cell (days since 1899-12-30): 2024-06-30.
        match at(&totals, 1, 1) {
            Data::DateTime(d) => assert_eq!(d.as_f64(), 45_473.0),
            other => panic!("not a date: {other:?}"),
        }
    }

    #[test]
    fn without_parcels_leased_land_lots_and_rates_are_empty_not_zero() {
        let zones = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"name":"A","status":"operating","industrial_land_ha":100}},"geometry":{}}}]}}"#,
            square(106.0, 21.0, 0.01)
        );
        let ds = Dataset::new(
            crate::engine::geojson::Document::parse(
                std::path::Path::new("z.geojson"),
                zones.into_bytes(),
            )
            .expect("zones"),
            None,
        );
        let r = Report::as_of(&ds, AsOf::Today(on()), true);
        let bytes = xlsx(&r, Lang::En, on()).expect("a workbook");
        let zones = sheet(&bytes, "Zones");
        assert!(number(&zones, 1, 4).is_some_and(|a| a > 100.0));
        for col in [8, 9, 10, 11, 12, 13, 14, 15] {
            assert_eq!(at(&zones, 1, col), Data::Empty, "column {col}");
        }
        let totals = sheet(&bytes, "Totals");
        let y = (0..totals.height())
            .find(|&y| at(&totals, y, 0) == Data::String("All zones".into()))
            .expect("the all-zones row");
        assert_eq!(number(&totals, y, 5), Some(100.0));
        for col in [7, 8, 11, 12, 13, 14, 15, 16] {
            assert_eq!(at(&totals, y, col), Data::Empty, "column {col}");
        }
    }

    /// What a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) is written as text and
    /// read back as the same text.
    #[test]
    fn text_that_looks_like_a_formula_stays_text() {
        let names = ["=1+1", "+84 222 3854 123", "-KCN", "@SUM(A1:A9)"];
        let features: Vec<String> = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let n = serde_json::Value::from(*n);
                format!(
                    r#"{{"type":"Feature","properties":{{"zone_id":{n},"name":{n},"province":"=2*3"}},"geometry":{}}}"#,
                    square(106.0 + 0.1 * i as f64, 21.0, 0.01)
                )
            })
            .collect();
        let zones = format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        );
        let ds = dataset_of(
            &zones,
            &lots(&[r#"{"status":"leased"}"#], 106.0, 21.001, 0.001, 0.0005),
        );
        let r = Report::as_of(&ds, AsOf::Today(on()), true);
        let bytes = xlsx(&r, Lang::Vi, on()).expect("a workbook");
        let zones = sheet(&bytes, "Khu công nghiệp");
        for (i, name) in names.iter().enumerate() {
            assert_eq!(text(&zones, i + 1, 0), *name);
            assert_eq!(text(&zones, i + 1, 1), *name);
            assert_eq!(text(&zones, i + 1, 2), "=2*3");
        }
        for n in 1..=3 {
            let xml = part(&bytes, &format!("xl/worksheets/sheet{n}.xml"));
            assert!(
                !xml.contains("<f>") && !xml.contains("<f "),
                "a formula in sheet {n}"
            );
        }
        let formulas = book(&bytes)
            .worksheet_formula("Khu công nghiệp")
            .expect("formulas");
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
    }

    #[test]
    fn the_header_rows_are_frozen_and_filtered() {
        let ds = dataset();
        let r = Report::as_of(&ds, AsOf::Today(on()), true);
        let bytes = xlsx(&r, Lang::Vi, on()).expect("a workbook");
        let zones = part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(
            zones.contains(r#"<pane xSplit="2" ySplit="1" topLeftCell="C2" activePane="bottomRight" state="frozen"/>"#),
            "{zones}"
        );
        assert!(zones.contains(r#"<autoFilter ref="A1:P4"/>"#), "{zones}");
        let findings = part(&bytes, "xl/worksheets/sheet3.xml");
        assert!(findings.contains(r#"state="frozen""#));
        assert!(findings.contains("<autoFilter ref=\"A1:F"));
    }

    /// Every word of a Vietnamese workbook is Vietnamese: no cell holds a string that the
    /// catalogue has in English only, and the findings read as the catalogue says them.
    #[test]
    fn a_vietnamese_workbook_has_no_english_words() {
        let ds = dataset();
        let r = Report::as_of(&ds, AsOf::Today(on()), true);
        assert!(r.findings.len() >= 2, "{:?}", r.findings);
        let bytes = xlsx(&r, Lang::Vi, on()).expect("a workbook");
        let english: Vec<&str> = Key::ALL
            .iter()
            .map(|&k| tr(Lang::En, k))
            .filter(|en| !Key::ALL.iter().any(|&k| tr(Lang::Vi, k) == *en))
            .collect();
        let mut b = book(&bytes);
        for name in b.sheet_names() {
            let range = b.worksheet_range(&name).expect("sheet");
            for (_, _, cell) in range.used_cells() {
                if let Data::String(s) = cell {
                    assert!(!english.contains(&s.as_str()), "English in {name}: {s}");
                }
            }
        }
        let findings = sheet(&bytes, "Kết quả kiểm tra");
        assert_eq!(text(&findings, 0, 5), "Nội dung");
        for (i, f) in r.findings.iter().enumerate() {
            assert_eq!(text(&findings, i + 1, 5), f.message(Lang::Vi));
            assert_eq!(number(&findings, i + 1, 2), Some(f.feature as f64));
        }
    }

    #[test]
    fn findings_beyond_a_sheets_rows_are_counted_in_its_last_row() {
        let ds = dataset();
        let findings: Vec<Finding> = (0..5)
            .map(|i| Finding::new(FindingKind::StatusMissing, LayerKind::Parcels, i, "L"))
            .collect();
        let r = Report {
            table: Table::today(&ds),
            findings: Cow::Owned(findings),
            as_of: None,
        };
        // Three rows: the header, one finding, and the count of the four left out.
        let bytes = workbook(&r, Lang::En, on(), 3).expect("a workbook");
        let sheet = sheet(&bytes, "Findings");
        assert_eq!(sheet.height(), 3);
        assert_eq!(number(&sheet, 1, 2), Some(1.0));
        assert_eq!(
            text(&sheet, 2, 0),
            "4 more findings do not fit in a worksheet; zoneatlas check lists them all."
        );
    }

    #[test]
    fn headers_wrap_on_at_most_three_lines_and_never_inside_a_word() {
        let header = "Diện tích tự nhiên đo được (ha)";
        let (narrow, lines) = header_fit(header, 8.0);
        assert!(lines <= MAX_HEADER_LINES, "{lines}");
        assert!(narrow >= text_width("nhiên") * BOLD + HEADER_PADDING);
        // Whole on one line where the figures need the room anyway.
        let (wide, lines) = header_fit(header, 60.0);
        assert_eq!((wide, lines), (60.0, 1));
        // A column is as wide as its widest cell.
        assert!(text_width("KCN Đại Đồng - Hoàn Sơn") > text_width("KCN Quế Võ"));
        assert_eq!(shown_len(6397.68, 2), "6,397.68".len());
        assert_eq!(shown_len(1_234_567.0, 0), "1,234,567".len());
    }

    #[test]
    fn text_longer_than_a_cell_holds_is_cut_visibly() {
        let long = "ạ".repeat(MAX_TEXT + 10);
        let cut = fitting(&long);
        assert_eq!(cut.encode_utf16().count(), MAX_TEXT);
        assert!(cut.ends_with('…'));
        assert_eq!(fitting("KCN"), "KCN");
    }
}
