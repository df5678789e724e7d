//! Exports: the zone report (CSV, Markdown, Excel), both files in WGS84, the map as on screen,
//! slides, the dashboard and zone sheets as PNG; each written atomically where the user
//! chooses, and said in the status bar.

use crate::report::Report;
use egui::{ColorImage, ViewportCommand};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::app::ZoneAtlasApp;
use crate::app::action::Export;
use crate::app::dialogs::FileKind;
use crate::app::slide;
use crate::app::view::Selection;
use crate::engine::export::{self, ExportCrs};
use crate::engine::model::LayerKind;
use crate::engine::saving::WriteError;
use crate::i18n::{Key, Message, trf};

/// A screenshot of the window on its way to a PNG of the map.
pub struct PendingShot {
    path: PathBuf,
    /// The map's rectangle, points.
    rect: egui::Rect,
    image: Arc<Mutex<Option<Arc<ColorImage>>>>,
}

/// Writes text atomically.
pub fn write_text(path: &Path, text: &str) -> Result<(), WriteError> {
    export::write_atomic(path, text.as_bytes()).map_err(WriteError::from)
}

/// The CSV report (today's figures, or those on `on`) with a byte-order mark, so that Excel
/// keeps Vietnamese intact.
pub fn csv_with_bom(
    ds: &crate::engine::dataset::Dataset,
    on: Option<crate::engine::properties::Date>,
) -> String {
    let table = match on {
        Some(d) => crate::engine::table::Table::on(ds, d),
        None => crate::engine::table::Table::today(ds),
    };
    format!("\u{feff}{}", crate::report::csv(&table))
}

/// Encodes an RGBA image as PNG.
pub fn png_bytes(image: &ColorImage) -> Result<Vec<u8>, WriteError> {
    use image::ImageEncoder;
    let [w, h] = image.size;
    let raw: Vec<u8> = image.pixels.iter().flat_map(|c| c.to_array()).collect();
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&raw, w as u32, h as u32, image::ExtendedColorType::Rgba8)
        .map_err(|e| WriteError {
            kind: std::io::ErrorKind::Other,
            detail: e.to_string(),
        })?;
    Ok(out)
}

fn write_png(path: &Path, image: &ColorImage) -> Result<(), WriteError> {
    png_bytes(image).and_then(|bytes| export::write_atomic(path, &bytes).map_err(WriteError::from))
}

impl ZoneAtlasApp {
    /// The report as the window shows it: today's figures, or those on the date shown (then
    /// with the findings as of that date too: `findings` are the view's, made for it).
    fn report<'a>(&'a self, findings: &'a [crate::engine::findings::Finding]) -> Report<'a> {
        let mut report = Report::today(&self.session.ds, findings);
        if let Some(d) = self.view.shown_as_of() {
            report.table = crate::engine::table::Table::on(&self.session.ds, d);
            report.as_of = Some(d);
        }
        report
    }

    pub(super) fn export(&mut self, ctx: &egui::Context, what: Export) {
        match what {
            Export::Csv => {
                if let Some(p) = self.ask_where(Key::ExportCsv, FileKind::Csv, "zones-report.csv") {
                    let text = csv_with_bom(&self.session.ds, self.view.shown_as_of());
                    self.report_export(&p, write_text(&p, &text));
                }
            }
            Export::Markdown => {
                if let Some(p) =
                    self.ask_where(Key::ExportMarkdown, FileKind::Markdown, "zones-report.md")
                {
                    let findings = self.view.findings(&self.session);
                    let report = self.report(&findings);
                    let text = crate::report::markdown(&report, self.view.lang);
                    self.report_export(&p, write_text(&p, &text));
                }
            }
            Export::Xlsx => {
                if let Some(p) =
                    self.ask_where(Key::ExportXlsx, FileKind::Xlsx, "zones-report.xlsx")
                {
                    let findings = self.view.findings(&self.session);
                    let report = self.report(&findings);
                    let today = crate::clock::today();
                    let result =
                        crate::report::xlsx(&report, self.view.lang, today).and_then(|bytes| {
                            export::write_atomic(&p, &bytes).map_err(WriteError::from)
                        });
                    self.report_export(&p, result);
                }
            }
            Export::Pdf => {
                if let Some(p) = self.ask_where(Key::ExportPdf, FileKind::Pdf, "zones-report.pdf") {
                    self.view.settle(&self.session);
                    let findings = self.view.findings(&self.session);
                    let report = self.report(&findings);
                    let map = slide::map(&self.session, &self.view, &self.map, 1800, 1100);
                    let today = crate::clock::today();
                    let result = crate::report::pdf(
                        &report,
                        self.view.lang,
                        today,
                        Some(&slide::map_image(&map)),
                    )
                    .and_then(|bytes| export::write_atomic(&p, &bytes).map_err(WriteError::from));
                    self.report_export(&p, result);
                }
            }
            Export::GeoJson => {
                let mut layers = vec![(LayerKind::Zones, "zones-wgs84.geojson")];
                if self.session.ds.parcels.is_some() {
                    layers.push((LayerKind::Parcels, "parcels-wgs84.geojson"));
                }
                for (layer, name) in layers {
                    let Some(path) = self.ask_where(Key::ExportGeoJson, FileKind::GeoJson, name)
                    else {
                        break;
                    };
                    let ds = &self.session.ds;
                    let doc = match (layer, &ds.parcels) {
                        (LayerKind::Parcels, Some(p)) => &p.doc,
                        _ => &ds.zones.doc,
                    };
                    let text = export::render_as(doc, |_| Vec::new(), ExportCrs::Wgs84);
                    let result = write_text(&path, &text);
                    let failed = result.is_err();
                    self.report_export(&path, result);
                    if failed {
                        break;
                    }
                }
            }
            Export::MapPng => {
                if let Some(path) = self.ask_where(Key::ExportPng, FileKind::Png, "zone-map.png") {
                    let image = Arc::new(Mutex::new(None));
                    let slot = image.clone();
                    let repaint = ctx.clone();
                    ctx.send_viewport_cmd(ViewportCommand::Screenshot(
                        egui::ScreenshotCallback::new(move |img| {
                            if let Ok(mut slot) = slot.lock() {
                                *slot = Some(img);
                            }
                            repaint.request_repaint();
                        }),
                    ));
                    self.shot = Some(PendingShot {
                        path,
                        rect: self.map.view,
                        image,
                    });
                }
            }
            Export::Slide { dashboard, size } => {
                let (key, name) = if dashboard {
                    (Key::ExportDashboard, "dashboard.png")
                } else {
                    (Key::ExportSlide, "slide.png")
                };
                if let Some(path) = self.ask_where(key, FileKind::Png, name) {
                    self.view.settle(&self.session);
                    let (session, view) = (&self.session, &self.view);
                    let image = if dashboard {
                        slide::dashboard(session, view, size[0], size[1])
                    } else {
                        slide::render(session, view, &self.map, size[0], size[1])
                    };
                    self.report_export(&path, write_png(&path, &image));
                }
            }
            Export::ZoneSheet => {
                let Some(Selection::Zone(z)) = self.view.selection else {
                    return;
                };
                let name = format!("{}.png", self.session.ds.zones.items[z].id);
                if let Some(path) = self.ask_where(Key::ExportZoneSheet, FileKind::Png, &name) {
                    self.view.settle(&self.session);
                    let image =
                        slide::zone_sheet(&self.session, &self.view, &self.map, z, 1920, 1080);
                    self.report_export(&path, write_png(&path, &image));
                }
            }
        }
    }

    /// Writes the map's PNG once the window's screenshot has come (each frame).
    pub(in crate::app) fn poll_screenshot(&mut self, ctx: &egui::Context) {
        let Some(shot) = &self.shot else { return };
        let Some(image) = shot.image.lock().ok().and_then(|mut slot| slot.take()) else {
            return;
        };
        let Some(shot) = self.shot.take() else { return };
        let cropped = image.region(&shot.rect, Some(ctx.pixels_per_point()));
        self.report_export(&shot.path, write_png(&shot.path, &cropped));
    }

    fn report_export(&mut self, path: &Path, result: Result<(), WriteError>) {
        let lang = self.view.lang;
        let what = path.display().to_string();
        match result {
            Ok(()) => self.view.info(trf(lang, Key::Exported, &[("what", &what)])),
            Err(e) => self.view.error(trf(
                lang,
                Key::ExportFailed,
                &[("what", &what), ("error", &e.message(lang))],
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{Color32, ColorImage};

    #[test]
    fn png_of_a_cropped_screenshot() {
        let mut img = ColorImage::filled([40, 30], Color32::WHITE);
        img.pixels[12 * 40 + 13] = Color32::RED; // x 13, y 12
        let crop = img.region(
            &egui::Rect::from_min_size(egui::pos2(5.0, 5.0), egui::vec2(10.0, 10.0)),
            Some(2.0),
        );
        assert_eq!(crop.size, [20, 20]);
        let bytes = png_bytes(&crop).expect("encodes");
        let back = image::load_from_memory_with_format(&bytes, image::ImageFormat::Png)
            .expect("decodes")
            .to_rgba8();
        assert_eq!((back.width(), back.height()), (20, 20));
        assert_eq!(back.get_pixel(0, 0).0, [255, 255, 255, 255]);
        assert_eq!(
            back.get_pixel(3, 2).0,
            [255, 0, 0, 255],
            "the crop starts at pixel (10, 10)"
        );
    }
}
