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
use crate::app::session::Session;
use crate::app::slide;
use crate::app::view::{Selection, ViewState};
use crate::engine::export::{self, ExportCrs};
use crate::engine::model::LayerKind;
use crate::engine::saving::WriteError;
use crate::i18n::{Key, Message, trf};

/// A slide, dashboard, zone sheet or PDF report being drawn on its own thread (its map may
/// wait seconds for network tiles; the window goes on meanwhile), then written where the user
/// chose.
pub struct PendingRender {
    path: PathBuf,
    done: std::sync::mpsc::Receiver<Result<(), WriteError>>,
}

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

/// The report of `ds` on `as_of` (`None`: today's figures) with these findings.
fn report_of<'a>(
    ds: &'a crate::engine::dataset::Dataset,
    findings: &'a [crate::engine::findings::Finding],
    as_of: Option<crate::engine::properties::Date>,
) -> Report<'a> {
    let mut report = Report::today(ds, findings);
    if let Some(d) = as_of {
        report.table = crate::engine::table::Table::on(ds, d);
        report.as_of = Some(d);
    }
    report
}

impl ZoneAtlasApp {
    /// The report as the window shows it: today's figures, or those on the date shown (then
    /// with the findings as of that date too: `findings` are the view's, made for it).
    fn report<'a>(&'a self, findings: &'a [crate::engine::findings::Finding]) -> Report<'a> {
        report_of(&self.session.ds, findings, self.view.shown_as_of())
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
                    let as_of = self.view.shown_as_of();
                    let today = crate::clock::today();
                    self.render_in_background(ctx, p, move |session, view, under| {
                        let report = report_of(&session.ds, &findings, as_of);
                        let map = slide::map(session, view, under, 1800, 1100);
                        crate::report::pdf(&report, view.lang, today, Some(&slide::map_image(&map)))
                    });
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
                    let [w, h] = size;
                    self.render_in_background(ctx, path, move |session, view, under| {
                        png_bytes(&if dashboard {
                            slide::dashboard(session, view, w, h)
                        } else {
                            slide::render(session, view, under, w, h)
                        })
                    });
                }
            }
            Export::ZoneSheet => {
                let Some(Selection::Zone(z)) = self.view.selection else {
                    return;
                };
                let name = format!("{}.png", self.session.ds.zones.items[z].id);
                if let Some(path) = self.ask_where(Key::ExportZoneSheet, FileKind::Png, &name) {
                    self.render_in_background(ctx, path, move |session, view, under| {
                        png_bytes(&slide::zone_sheet(session, view, under, z, 1920, 1080))
                    });
                }
            }
        }
    }

    /// Makes a file's bytes with `draw` on a thread of its own, from a copy of the data and of
    /// the view as they are now (figures worked out first, so the copy has them) and the map's
    /// basemap and reference layers; the file is written there, and said when done
    /// ([`Self::poll_renders`]).
    fn render_in_background<F>(&mut self, ctx: &egui::Context, path: PathBuf, draw: F)
    where
        F: FnOnce(&Session, &ViewState, slide::Under) -> Result<Vec<u8>, WriteError>
            + Send
            + 'static,
    {
        self.view.settle(&self.session);
        // A session of the same data at the same generation: the view's figures are its own.
        let mut session = Session::new(self.session.ds.clone());
        session.generation = self.session.generation;
        session.data_generation = self.session.data_generation;
        let view = self.view.clone();
        let basemap = self.map.basemap.share();
        let reference = self.map.reference.clone();
        let (tx, done) = std::sync::mpsc::channel();
        let wake = ctx.clone();
        let target = path.clone();
        let spawned = std::thread::Builder::new()
            .name("zoneatlas-export".into())
            .spawn(move || {
                let under = slide::Under {
                    basemap: &basemap,
                    reference: Some(&reference),
                };
                let written = draw(&session, &view, under).and_then(|bytes| {
                    export::write_atomic(&target, &bytes).map_err(WriteError::from)
                });
                let _ = tx.send(written);
                wake.request_repaint();
            });
        match spawned {
            Ok(_) => {
                let what = path.display().to_string();
                self.view
                    .info(trf(self.view.lang, Key::Exporting, &[("what", &what)]));
                self.renders.push(PendingRender { path, done });
            }
            Err(e) => self.report_export(&path, Err(WriteError::from(e))),
        }
    }

    /// Says each picture export that has ended: written, or why not (each frame).
    pub(in crate::app) fn poll_renders(&mut self) {
        let mut ended = Vec::new();
        self.renders.retain(|r| match r.done.try_recv() {
            Ok(result) => {
                ended.push((r.path.clone(), result));
                false
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => true,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                let lost = std::io::Error::other("the drawing thread ended without a picture");
                ended.push((r.path.clone(), Err(WriteError::from(lost))));
                false
            }
        });
        for (path, result) in ended {
            self.report_export(&path, result);
        }
    }

    /// Whether a picture export is being drawn.
    pub fn is_rendering(&self) -> bool {
        !self.renders.is_empty()
    }

    /// Waits for the picture exports being drawn, and says them (tests).
    pub fn wait_for_renders(&mut self) {
        for r in std::mem::take(&mut self.renders) {
            let result = r.done.recv().unwrap_or_else(|_| {
                Err(WriteError::from(std::io::Error::other(
                    "the drawing thread ended without a picture",
                )))
            });
            self.report_export(&r.path, result);
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
