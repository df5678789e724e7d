//! The report as an A4 PDF for meetings: the title and the date of the figures, the key
//! figures (all zones, operating zones), the map as the slide draws it, the zone table (its
//! header repeated on each page, a totals row at its foot) and a summary of the findings, in
//! the reader's language, with page numbers.
//!
//! The text is set in DejaVu Sans (shipped in `assets/`), embedded and subset to the glyphs
//! used; each glyph carries the character it stands for, so that the text copies and
//! extracts as the Unicode (NFC) it was written from. The map comes in as pixels (drawn at
//! the edge, where the slide is drawn): this module knows no window toolkit.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::image::Image;
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size as FontSize};
use skrifa::raw::TableProvider;

use super::Report;
use super::findings::count_args;
use crate::engine::figures::Totals;
use crate::engine::findings::{Finding, Severity};
use crate::engine::properties::Date;
use crate::engine::saving::WriteError;
use crate::i18n::keys::{basis_short, totals_basis, zone_status_text};
use crate::i18n::{Key, Lang, Message, fmt_date, fmt_number, tr, trf};

const REGULAR: &[u8] = include_bytes!("../../assets/DejaVuSans-subset.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/DejaVuSans-Bold-subset.ttf");

/// A4 in points.
const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 40.0;
/// Where the body ends: the footer (page number) sits below it.
const BODY_BOTTOM: f32 = PAGE_H - MARGIN - 14.0;
const BODY_W: f32 = PAGE_W - 2.0 * MARGIN;
/// Text size in tables, points; a line is this times [`LEADING`].
const TABLE_SIZE: f32 = 7.5;
const LEADING: f32 = 1.3;
/// Padding inside a table cell, points.
const PAD: f32 = 3.0;
/// The findings listed by message; the rest are counted.
const FINDINGS_LISTED: usize = 30;

/// The map drawn for the report: RGBA pixels, `width` × `height`, rows from the top
/// (unpremultiplied alpha).
pub struct MapImage {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

/// The PDF's bytes. `today` is the date of the figures when the report was not asked for
/// another (`r.as_of`); `map` is the map as the slide draws it, or none (then the report
/// goes on without it).
pub fn pdf(
    r: &Report,
    lang: Lang,
    today: Date,
    map: Option<&MapImage>,
) -> Result<Vec<u8>, WriteError> {
    let fonts = Fonts::new().ok_or_else(|| failed("the built-in font cannot be read"))?;
    let mut page = Pages::new(&fonts);
    let on = r.as_of.unwrap_or(today);
    heading(&mut page, r, lang, on);
    key_figures(&mut page, r, lang);
    if let Some(map) = map {
        map_figure(&mut page, map);
    }
    zone_table(&mut page, r, lang);
    findings_summary(&mut page, &r.findings, lang);
    page.write(lang, tr(lang, Key::ReportTitle))
}

fn failed(detail: &str) -> WriteError {
    WriteError {
        kind: std::io::ErrorKind::Other,
        detail: detail.to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// Text: glyphs and widths from the font itself, so that what is measured is what is drawn.

/// A typeface: krilla's font for drawing and skrifa's view of the same bytes for measuring.
struct Face {
    font: Font,
    data: &'static [u8],
}

impl Face {
    fn new(data: &'static [u8]) -> Option<Face> {
        skrifa::FontRef::new(data).ok()?;
        Some(Face {
            font: Font::new(data.into(), 0)?,
            data,
        })
    }

    /// One glyph per character (the text is NFC, and the font has a glyph for every
    /// precomposed Vietnamese letter), each mapped back to its character; advances in ems.
    fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
        let Ok(f) = skrifa::FontRef::new(self.data) else {
            return Vec::new();
        };
        let charmap = f.charmap();
        let metrics = f.glyph_metrics(FontSize::unscaled(), LocationRef::default());
        let upem = f
            .head()
            .map(|h| f32::from(h.units_per_em()))
            .unwrap_or(2048.0);
        text.char_indices()
            .map(|(at, c)| {
                let gid = charmap.map(c).unwrap_or_default();
                let advance = metrics.advance_width(gid).unwrap_or(0.0) / upem;
                KrillaGlyph::new(
                    GlyphId::new(gid.to_u32()),
                    advance,
                    0.0,
                    0.0,
                    0.0,
                    at..at + c.len_utf8(),
                    None,
                )
            })
            .collect()
    }

    /// The width of `text` at `size` points.
    fn width(&self, text: &str, size: f32) -> f32 {
        self.glyphs(text).iter().map(|g| g.x_advance).sum::<f32>() * size
    }
}

struct Fonts {
    regular: Face,
    bold: Face,
}

impl Fonts {
    fn new() -> Option<Fonts> {
        Some(Fonts {
            regular: Face::new(REGULAR)?,
            bold: Face::new(BOLD)?,
        })
    }

    fn face(&self, bold: bool) -> &Face {
        if bold { &self.bold } else { &self.regular }
    }

    fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        self.face(bold).width(text, size)
    }

    /// `text` broken at spaces into lines no wider than `width` (a word wider than a line
    /// is broken between letters).
    fn wrap(&self, text: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let tried = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if self.width(&tried, size, bold) <= width {
                line = tried;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // The word alone; letter by letter if even that is too wide.
            for c in word.chars() {
                let mut next = line.clone();
                next.push(c);
                if !line.is_empty() && self.width(&next, size, bold) > width {
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                } else {
                    line = next;
                }
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }
}

// ---------------------------------------------------------------------------------------
// Pages: what is drawn where, laid out first (the footers say "page n of N"), written last.

#[derive(Clone, Copy, PartialEq)]
enum Align {
    Left,
    Right,
}

#[derive(Clone, Copy)]
struct Style {
    size: f32,
    bold: bool,
    /// Grey rather than black.
    quiet: bool,
}

const fn style(size: f32, bold: bool, quiet: bool) -> Style {
    Style { size, bold, quiet }
}

enum Mark {
    /// Text with its baseline at `y`; `x` is its left end, or its right end for
    /// [`Align::Right`].
    Text {
        x: f32,
        y: f32,
        text: String,
        style: Style,
        align: Align,
    },
    Band {
        rect: [f32; 4],
        rgb: [u8; 3],
    },
    Rule {
        y: f32,
        x0: f32,
        x1: f32,
    },
    Image {
        rect: [f32; 4],
        index: usize,
    },
}

struct Pages<'f> {
    fonts: &'f Fonts,
    pages: Vec<Vec<Mark>>,
    images: Vec<Image>,
    /// The top of the free space on the last page.
    y: f32,
}

impl<'f> Pages<'f> {
    fn new(fonts: &'f Fonts) -> Pages<'f> {
        Pages {
            fonts,
            pages: vec![Vec::new()],
            images: Vec::new(),
            y: MARGIN,
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    /// Makes room for `h` points: a new page when the rest of this one is too short (unless
    /// it is empty: then the thing is taller than a page, and starts here).
    fn room(&mut self, h: f32) {
        if self.y + h > BODY_BOTTOM && self.y > MARGIN {
            self.new_page();
        }
    }

    fn mark(&mut self, m: Mark) {
        if let Some(p) = self.pages.last_mut() {
            p.push(m);
        }
    }

    fn text_at(&mut self, x: f32, y: f32, text: &str, style: Style, align: Align) {
        self.mark(Mark::Text {
            x,
            y,
            text: text.to_string(),
            style,
            align,
        });
    }

    /// A paragraph across the body, wrapped; the cursor moves below it.
    fn paragraph(&mut self, text: &str, style: Style, after: f32) {
        let line_h = style.size * LEADING;
        for line in self.fonts.wrap(text, style.size, style.bold, BODY_W) {
            self.room(line_h);
            self.y += line_h;
            let y = self.y - style.size * 0.3;
            self.text_at(MARGIN, y, &line, style, Align::Left);
        }
        self.y += after;
    }

    fn write(self, lang: Lang, title: &str) -> Result<Vec<u8>, WriteError> {
        let settings =
            PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| failed("no page size"))?;
        let mut doc = Document::new();
        doc.set_metadata(
            Metadata::new()
                .title(title.to_string())
                .language(lang.code().to_string())
                .creator(format!("ZoneAtlas {}", env!("CARGO_PKG_VERSION"))),
        );
        let count = self.pages.len();
        for (n, marks) in self.pages.iter().enumerate() {
            let mut page = doc.start_page_with(settings.clone());
            let mut s = page.surface();
            for m in marks {
                self.draw(&mut s, m);
            }
            let footer = trf(
                lang,
                Key::PdfPage,
                &[
                    ("page", &(n + 1).to_string()),
                    ("pages", &count.to_string()),
                ],
            );
            let foot = Mark::Text {
                x: PAGE_W - MARGIN,
                y: PAGE_H - MARGIN + 4.0,
                text: format!("{title} · {footer}"),
                style: style(7.0, false, true),
                align: Align::Right,
            };
            self.draw(&mut s, &foot);
            s.finish();
            page.finish();
        }
        doc.finish().map_err(|e| failed(&format!("{e:?}")))
    }

    fn draw(&self, s: &mut Surface, m: &Mark) {
        match m {
            Mark::Text {
                x,
                y,
                text,
                style,
                align,
            } => {
                let face = self.fonts.face(style.bold);
                let glyphs = face.glyphs(text);
                let w: f32 = glyphs.iter().map(|g| g.x_advance).sum::<f32>() * style.size;
                let x = if *align == Align::Right { x - w } else { *x };
                let grey = if style.quiet { 90 } else { 20 };
                s.set_fill(Some(fill(rgb::Color::new(grey, grey, grey))));
                s.draw_glyphs(
                    Point::from_xy(x, *y),
                    &glyphs,
                    face.font.clone(),
                    text,
                    style.size,
                    false,
                );
            }
            Mark::Band { rect, rgb: c } => {
                if let Some(path) = Rect::from_xywh(rect[0], rect[1], rect[2], rect[3])
                    .map(|r| {
                        let mut pb = PathBuilder::new();
                        pb.push_rect(r);
                        pb
                    })
                    .and_then(|pb| pb.finish())
                {
                    s.set_stroke(None);
                    s.set_fill(Some(fill(rgb::Color::new(c[0], c[1], c[2]))));
                    s.draw_path(&path);
                }
            }
            Mark::Rule { y, x0, x1 } => {
                let mut pb = PathBuilder::new();
                pb.move_to(*x0, *y);
                pb.line_to(*x1, *y);
                if let Some(path) = pb.finish() {
                    s.set_fill(None);
                    s.set_stroke(Some(Stroke {
                        paint: rgb::Color::new(150, 150, 150).into(),
                        width: 0.5,
                        ..Default::default()
                    }));
                    s.draw_path(&path);
                    s.set_stroke(None);
                }
            }
            Mark::Image { rect, index } => {
                if let (Some(image), Some(size)) =
                    (self.images.get(*index), Size::from_wh(rect[2], rect[3]))
                {
                    s.push_transform(&Transform::from_translate(rect[0], rect[1]));
                    s.draw_image(image.clone(), size);
                    s.pop();
                }
            }
        }
    }
}

fn fill(c: rgb::Color) -> Fill {
    Fill {
        paint: c.into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

// ---------------------------------------------------------------------------------------
// The report's parts, top to bottom.

/// The title, the date of the figures and the files they come from.
fn heading(p: &mut Pages, r: &Report, lang: Lang, on: Date) {
    p.paragraph(tr(lang, Key::ReportTitle), style(18.0, true, false), 2.0);
    let date = fmt_date(on, lang);
    p.paragraph(
        &trf(lang, Key::ReportAsOf, &[("date", &date)]),
        style(11.0, false, false),
        2.0,
    );
    let ds = r.table.ds;
    let mut files = vec![format!(
        "{}: {}",
        tr(lang, Key::ReportZonesFile),
        ds.zones.doc.name()
    )];
    if let Some(parcels) = &ds.parcels {
        files.push(format!(
            "{}: {}",
            tr(lang, Key::ReportParcelsFile),
            parcels.doc.name()
        ));
    }
    p.paragraph(&files.join(" · "), style(8.0, false, true), 10.0);
}

/// The headline figures for all zones and for operating ones, as the Markdown summary gives
/// them, then the basis of the rates.
fn key_figures(p: &mut Pages, r: &Report, lang: Lang) {
    let all = r.table.totals_all();
    let op = r.table.totals_operating();
    let t = |k| tr(lang, k).to_string();
    let ha = |x: f64, t: &Totals| known(t, x).map(|x| ha_text(x, lang));
    let pct = |x: Option<f64>| x.map(|x| pct_text(x, lang));
    let rows: Vec<[Option<String>; 3]> = vec![
        [
            Some(t(Key::ReportZoneCount)),
            Some(all.zones.to_string()),
            Some(op.zones.to_string()),
        ],
        [
            Some(t(Key::ReportGrossArea)),
            Some(ha_text(all.area_ha, lang)),
            Some(ha_text(op.area_ha, lang)),
        ],
        [
            Some(t(Key::IndustrialLand)),
            Some(ha_text(all.industrial_land_ha, lang)),
            Some(ha_text(op.industrial_land_ha, lang)),
        ],
        [
            Some(t(Key::ReportLeasedIndustrial)),
            ha(all.leased_ha, &all),
            ha(op.leased_ha, &op),
        ],
        [
            Some(t(Key::LeasedServiceLand)),
            ha(all.leased_service_ha, &all),
            ha(op.leased_service_ha, &op),
        ],
        [
            Some(t(Key::ReportFillRate)),
            pct(all.fill_rate_pct),
            pct(op.fill_rate_pct),
        ],
        [
            Some(t(Key::ReportFillRateD35)),
            pct(all.fill_rate_d35_pct),
            pct(op.fill_rate_d35_pct),
        ],
    ];
    let columns = [
        Column::text(""),
        Column::number(tr(lang, Key::TotalAll)),
        Column::number(tr(lang, Key::TotalOperating)),
    ];
    let rows: Vec<Row> = rows
        .into_iter()
        .enumerate()
        .map(|(i, cells)| Row {
            cells: cells.into_iter().map(|c| c.unwrap_or_default()).collect(),
            // The fill rate is what the meeting reads.
            bold: i == 5,
        })
        .collect();
    table(p, &columns, &rows, None, 10.0, Some(BODY_W * 0.75));
    let note = format!(
        "{}: {}. {}",
        tr(lang, Key::Basis),
        totals_basis(lang, &all),
        tr(lang, Key::ReportRatiosOfSums)
    );
    p.paragraph(&note, style(8.0, false, true), 12.0);
}

/// The map across the body, as tall as its proportions make it (at most half a page).
fn map_figure(p: &mut Pages, map: &MapImage) {
    if map.width == 0 || map.height == 0 || map.rgba.len() != 4 * (map.width * map.height) as usize
    {
        return;
    }
    let mut w = BODY_W;
    let mut h = w * map.height as f32 / map.width as f32;
    let most = (BODY_BOTTOM - MARGIN) * 0.5;
    if h > most {
        w *= most / h;
        h = most;
    }
    p.room(h);
    let index = p.images.len();
    p.images
        .push(Image::from_rgba8(map.rgba.clone(), map.width, map.height));
    let x = MARGIN + (BODY_W - w) / 2.0;
    let y = p.y;
    p.mark(Mark::Image {
        rect: [x, y, w, h],
        index,
    });
    p.y += h + 14.0;
}

/// A row per zone (name, province, status, areas, leased land, fill rate, basis) and the
/// totals over all zones at the foot.
fn zone_table(p: &mut Pages, r: &Report, lang: Lang) {
    let t = |k| tr(lang, k);
    p.room(60.0);
    p.paragraph(t(Key::SheetZones), style(13.0, true, false), 4.0);
    let columns = [
        Column::text(t(Key::XlsxColName)).wrapped(),
        Column::text(t(Key::XlsxColProvince)),
        Column::text(t(Key::XlsxColStatus)),
        Column::number(t(Key::XlsxColAreaHa)),
        Column::number(t(Key::XlsxColIndustrialHa)),
        Column::number(t(Key::XlsxColLeasedHa)),
        Column::number(t(Key::XlsxColFillRate)),
        Column::text(t(Key::XlsxColBasis)),
    ];
    let table_ = &r.table;
    let ds = table_.ds;
    let number = |x: Option<f64>| x.map(|x| fmt_number(x, 2, lang)).unwrap_or_default();
    let mut rows: Vec<Row> = ds
        .zones
        .live()
        .zip(table_.rows())
        .map(|(z, row)| {
            let status = ds.zones.items[z].status.map(|s| zone_status_text(lang, s));
            let basis = table_.figures[z]
                .basis
                .filter(|_| row.fill_basis.is_some())
                .map(|b| basis_short(lang, b));
            Row {
                cells: vec![
                    row.name,
                    row.province.unwrap_or_default(),
                    status.unwrap_or("").to_string(),
                    number(row.area_ha),
                    number(row.industrial_land_ha),
                    number(row.leased_ha),
                    row.fill_rate_pct
                        .map(|x| pct_text(x, lang))
                        .unwrap_or_default(),
                    basis.unwrap_or("").to_string(),
                ],
                bold: false,
            }
        })
        .collect();
    let all = table_.totals_all();
    rows.push(Row {
        cells: vec![
            t(Key::TotalAll).to_string(),
            String::new(),
            String::new(),
            fmt_number(all.area_ha, 2, lang),
            fmt_number(all.industrial_land_ha, 2, lang),
            known(&all, all.leased_ha)
                .map(|x| fmt_number(x, 2, lang))
                .unwrap_or_default(),
            all.fill_rate_pct
                .map(|x| pct_text(x, lang))
                .unwrap_or_default(),
            String::new(),
        ],
        bold: true,
    });
    table(p, &columns, &rows, Some(rows.len() - 1), 14.0, None);
}

/// The count of findings by severity, then the first [`FINDINGS_LISTED`] (errors first) with
/// their messages, and how many more there are.
fn findings_summary(p: &mut Pages, findings: &[Finding], lang: Lang) {
    let t = |k| tr(lang, k);
    p.room(60.0);
    p.paragraph(t(Key::SheetFindings), style(13.0, true, false), 4.0);
    if findings.is_empty() {
        p.paragraph(t(Key::NoFindings), style(9.0, false, false), 0.0);
        return;
    }
    let args = count_args(findings);
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    p.paragraph(
        &trf(lang, Key::ReportFindings, &args),
        style(9.0, false, false),
        6.0,
    );
    let mut order: Vec<&Finding> = findings.iter().collect();
    order.sort_by_key(|f| match f.severity() {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    });
    let columns = [
        Column::text(t(Key::XlsxColSeverity)),
        Column::text(t(Key::XlsxColFeatureId)),
        Column::text(t(Key::XlsxColMessage)).wrapped(),
    ];
    let rows: Vec<Row> = order
        .iter()
        .take(FINDINGS_LISTED)
        .map(|f| Row {
            cells: vec![
                t(match f.severity() {
                    Severity::Error => Key::SeverityError,
                    Severity::Warning => Key::SeverityWarning,
                    Severity::Info => Key::SeverityInfo,
                })
                .to_string(),
                if f.id.is_empty() {
                    format!("#{}", f.feature)
                } else {
                    f.id.clone()
                },
                f.message(lang),
            ],
            bold: false,
        })
        .collect();
    table(p, &columns, &rows, None, 6.0, None);
    if findings.len() > FINDINGS_LISTED {
        let more = (findings.len() - FINDINGS_LISTED).to_string();
        p.paragraph(
            &trf(lang, Key::PdfFindingsLeftOut, &[("count", &more)]),
            style(8.0, false, true),
            0.0,
        );
    }
}

fn ha_text(x: f64, lang: Lang) -> String {
    format!("{} ha", fmt_number(x, 2, lang))
}

fn pct_text(x: f64, lang: Lang) -> String {
    format!("{} %", fmt_number(x, 2, lang))
}

/// A leased figure, unknown without a parcels file.
fn known(t: &Totals, x: f64) -> Option<f64> {
    (!t.leased_unknown).then_some(x)
}

// ---------------------------------------------------------------------------------------
// Tables.

struct Column<'a> {
    header: &'a str,
    align: Align,
    /// Text that may take several lines (names, messages); other cells keep to one.
    wraps: bool,
}

impl<'a> Column<'a> {
    fn text(header: &'a str) -> Column<'a> {
        Column {
            header,
            align: Align::Left,
            wraps: false,
        }
    }

    fn number(header: &'a str) -> Column<'a> {
        Column {
            header,
            align: Align::Right,
            wraps: false,
        }
    }

    fn wrapped(mut self) -> Column<'a> {
        self.wraps = true;
        self
    }
}

struct Row {
    cells: Vec<String>,
    bold: bool,
}

/// Draws a table at the cursor, `width` wide (the body's by default): columns as wide as
/// their cells (headers wrap over up to three lines), the text columns sharing what is left;
/// the header again at the top of each page it runs onto; `foot` (a totals row) ruled off.
fn table(
    p: &mut Pages,
    columns: &[Column],
    rows: &[Row],
    foot: Option<usize>,
    after: f32,
    width: Option<f32>,
) {
    let fonts = p.fonts;
    let size = TABLE_SIZE;
    let line_h = size * LEADING;
    let total_w = width.unwrap_or(BODY_W);
    let widths = column_widths(fonts, columns, rows, total_w);
    let header_lines: Vec<Vec<String>> = columns
        .iter()
        .zip(&widths)
        .map(|(c, w)| fonts.wrap(c.header, size, true, w - 2.0 * PAD))
        .collect();
    let header_h = header_lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * line_h + PAD;
    let draw_header = |p: &mut Pages| {
        let top = p.y;
        p.mark(Mark::Band {
            rect: [MARGIN, top, total_w, header_h],
            rgb: [226, 232, 240],
        });
        let mut x = MARGIN;
        for ((c, lines), w) in columns.iter().zip(&header_lines).zip(&widths) {
            for (i, line) in lines.iter().enumerate() {
                let y = top + PAD / 2.0 + (i as f32 + 1.0) * line_h - size * 0.3;
                let at = if c.align == Align::Right {
                    x + w - PAD
                } else {
                    x + PAD
                };
                p.text_at(at, y, line, style(size, true, false), c.align);
            }
            x += w;
        }
        p.y += header_h;
    };
    let has_header = columns.iter().any(|c| !c.header.is_empty());
    let first_row_h = rows
        .first()
        .map_or(0.0, |r| row_lines(fonts, columns, r, &widths).0);
    p.room(header_h + first_row_h * line_h + PAD);
    if has_header {
        draw_header(p);
    }
    for (i, row) in rows.iter().enumerate() {
        let (lines, cells) = row_lines(fonts, columns, row, &widths);
        let h = lines * line_h + PAD;
        if p.y + h > BODY_BOTTOM {
            p.new_page();
            if has_header {
                draw_header(p);
            }
        }
        let top = p.y;
        if Some(i) == foot {
            p.mark(Mark::Rule {
                y: top,
                x0: MARGIN,
                x1: MARGIN + total_w,
            });
        } else if i % 2 == 1 {
            p.mark(Mark::Band {
                rect: [MARGIN, top, total_w, h],
                rgb: [245, 247, 250],
            });
        }
        let mut x = MARGIN;
        for ((c, cell_lines), w) in columns.iter().zip(&cells).zip(&widths) {
            for (k, line) in cell_lines.iter().enumerate() {
                let y = top + PAD / 2.0 + (k as f32 + 1.0) * line_h - size * 0.3;
                let at = if c.align == Align::Right {
                    x + w - PAD
                } else {
                    x + PAD
                };
                p.text_at(at, y, line, style(size, row.bold, false), c.align);
            }
            x += w;
        }
        p.y += h;
    }
    p.y += after;
}

/// A row's lines: how many it takes, and each cell's.
fn row_lines(
    fonts: &Fonts,
    columns: &[Column],
    row: &Row,
    widths: &[f32],
) -> (f32, Vec<Vec<String>>) {
    let cells: Vec<Vec<String>> = columns
        .iter()
        .zip(&row.cells)
        .zip(widths)
        .map(|((c, text), w)| {
            if c.wraps {
                fonts.wrap(text, TABLE_SIZE, row.bold, w - 2.0 * PAD)
            } else {
                vec![text.clone()]
            }
        })
        .collect();
    let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
    (lines as f32, cells)
}

/// Column widths summing to `total`. A column that keeps to one line is as wide as its widest
/// cell, and as its header needs to wrap onto as few lines as the table's width allows (at
/// most four); the wrapping columns (names, messages) share the rest in proportion to their
/// widest cells.
fn column_widths(fonts: &Fonts, columns: &[Column], rows: &[Row], total: f32) -> Vec<f32> {
    let size = TABLE_SIZE;
    let natural: Vec<f32> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let cells = rows
                .iter()
                .filter_map(|r| r.cells.get(i).map(|s| fonts.width(s, size, r.bold)))
                .fold(0.0, f32::max);
            let word = c
                .header
                .split_whitespace()
                .map(|w| fonts.width(w, size, true))
                .fold(0.0, f32::max);
            cells.max(word) + 2.0 * PAD
        })
        .collect();
    // What the wrapping columns need at least: most of their widest cell.
    let flexible_need: f32 = columns
        .iter()
        .zip(&natural)
        .filter(|(c, _)| c.wraps)
        .map(|(_, w)| 0.8 * w)
        .sum();
    let fixed_for = |lines: usize| -> Vec<f32> {
        columns
            .iter()
            .zip(&natural)
            .map(|(c, w)| {
                if c.wraps {
                    0.0
                } else {
                    w.max(header_width(fonts, c.header, lines) + 2.0 * PAD)
                }
            })
            .collect()
    };
    let fixed = (1..=4)
        .map(fixed_for)
        .find(|f| f.iter().sum::<f32>() + flexible_need <= total)
        .unwrap_or_else(|| fixed_for(usize::MAX));
    let fixed_sum: f32 = fixed.iter().sum();
    let flexible: f32 = columns
        .iter()
        .zip(&natural)
        .filter(|(c, _)| c.wraps)
        .map(|(_, w)| *w)
        .sum();
    let left = (total - fixed_sum).max(0.0);
    if flexible <= 0.0 {
        // Only one-line columns: widen them all alike to the table's width.
        let grow = left / columns.len().max(1) as f32;
        return fixed.iter().map(|w| w + grow).collect();
    }
    columns
        .iter()
        .zip(natural.iter().zip(&fixed))
        .map(|(c, (n, f))| {
            if c.wraps {
                (left * n / flexible).max(24.0)
            } else {
                *f
            }
        })
        .collect()
}

/// The narrowest width at which a bold header wraps onto at most `lines` lines (its longest
/// word never broken).
fn header_width(fonts: &Fonts, header: &str, lines: usize) -> f32 {
    let size = TABLE_SIZE;
    let full = fonts.width(header, size, true);
    let mut w = header
        .split_whitespace()
        .map(|w| fonts.width(w, size, true))
        .fold(0.0, f32::max);
    while w < full && fonts.wrap(header, size, true, w).len() > lines {
        w += 1.0;
    }
    w.min(full)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_word_and_no_line_is_too_wide() {
        let fonts = Fonts::new().expect("font");
        let text = "Khu công nghiệp Phú Mỹ III mở rộng giai đoạn hai, tỉnh Bà Rịa – Vũng Tàu";
        let lines = fonts.wrap(text, 8.0, false, 60.0);
        assert!(lines.len() > 2, "{lines:?}");
        for l in &lines {
            assert!(fonts.width(l, 8.0, false) <= 60.0 + 1e-3, "{l}");
        }
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn text_is_measured_from_the_font_advances() {
        let fonts = Fonts::new().expect("font");
        // DejaVu Sans: a digit is 1303 of 2048 units; bold is wider than regular.
        let w = fonts.width("0000", 10.0, false);
        assert!((w - 4.0 * 10.0 * 1303.0 / 2048.0).abs() < 0.01, "{w}");
        assert!(fonts.width("Tỷ lệ", 10.0, true) > fonts.width("Tỷ lệ", 10.0, false));
    }

    #[test]
    fn columns_span_the_table_width() {
        let fonts = Fonts::new().expect("font");
        let columns = [
            Column::text("Tên").wrapped(),
            Column::number("Diện tích (ha)"),
        ];
        let rows = vec![Row {
            cells: vec!["Khu A".into(), "1.234,56".into()],
            bold: false,
        }];
        let w = column_widths(&fonts, &columns, &rows, 300.0);
        assert!((w.iter().sum::<f32>() - 300.0).abs() < 1e-3, "{w:?}");
        assert!(w[1] >= fonts.width("1.234,56", TABLE_SIZE, false));
    }
}
