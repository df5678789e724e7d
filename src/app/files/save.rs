//! Saving: the edited files written back where they came from (only the edited values differ
//! from the files as loaded), each over a backup, after asking when another program changed
//! one since it was read; or, for Save As and data from no file, where the user says.

use std::path::{Path, PathBuf};

use crate::app::ZoneAtlasApp;
use crate::app::dialogs::FileKind;
use crate::engine::export;
use crate::engine::geojson::Document;
use crate::engine::model::LayerKind;
use crate::engine::saving;
use crate::engine::saving::WriteError;
use crate::engine::source::{self, Format};
use crate::i18n::{Key, Message, trf};

/// The edited GeoJSON of a document, losslessly.
pub fn render_document(doc: &Document) -> String {
    export::render(doc, |_| Vec::new())
}

impl ZoneAtlasApp {
    /// Saves the edited files (Save As, or when a file has no place yet: asks where). Returns
    /// whether it saved.
    pub(in crate::app) fn save(&mut self, as_new: bool) -> bool {
        self.save_checked(as_new, false)
    }

    /// [`Self::save`]; a file changed on disk since it was read is overwritten only with
    /// `overwrite_changed`, else the user is asked first.
    pub(in crate::app) fn save_checked(&mut self, as_new: bool, overwrite_changed: bool) -> bool {
        let lang = self.view.lang;
        if self.session.is_shared() {
            return self.save_board_copy(as_new);
        }
        let has_parcels = self.session.ds.parcels.is_some();
        // A file read from another format (a Shapefile) is saved as GeoJSON elsewhere.
        let ds = &self.session.ds;
        let elsewhere = !ds.zones.doc.format.saves_in_place()
            || ds
                .parcels
                .as_ref()
                .is_some_and(|p| !p.doc.format.saves_in_place());
        let ask = as_new
            || elsewhere
            || self.session.zones_path.is_none()
            || (has_parcels && self.session.parcels_path.is_none());
        let (zones_path, parcels_path, layers) = if ask {
            let Some(z) = self.ask_where(Key::SaveAs, FileKind::Saved, "zones.geojson") else {
                return false;
            };
            // A GeoPackage holds both layers: one file, no second question.
            if Format::of(&z) == Format::GeoPackage {
                return self.save_as_geopackage(z);
            }
            let p = if has_parcels {
                match self.ask_where(Key::SaveAs, FileKind::GeoJson, "parcels.geojson") {
                    Some(p) => Some(p),
                    None => return false,
                }
            } else {
                None
            };
            let mut layers = vec![LayerKind::Zones];
            if has_parcels {
                layers.push(LayerKind::Parcels);
            }
            (Some(z), p, layers)
        } else {
            (
                self.session.zones_path.clone(),
                self.session.parcels_path.clone(),
                self.session.history.touched.clone(),
            )
        };
        if !ask && !overwrite_changed {
            let s = &self.session;
            let changed: Vec<PathBuf> = layers
                .iter()
                .filter_map(|layer| match layer {
                    LayerKind::Zones => zones_path.clone().zip(Some(s.zones_stamp)),
                    LayerKind::Parcels => parcels_path.clone().zip(Some(s.parcels_stamp)),
                })
                .filter(|(path, stamp)| saving::changed_on_disk(path, *stamp))
                .map(|(path, _)| path)
                .collect();
            if !changed.is_empty() {
                self.questions.overwrite = Some(changed);
                return false;
            }
        }
        let mut written = Vec::new();
        let mut texts: Vec<(LayerKind, PathBuf, String)> = Vec::new();
        for layer in layers {
            let s = &mut self.session;
            let (doc, path) = match layer {
                LayerKind::Zones => (&s.ds.zones.doc, &zones_path),
                LayerKind::Parcels => match &s.ds.parcels {
                    Some(p) => (&p.doc, &parcels_path),
                    None => continue,
                },
            };
            let Some(path) = path else { continue };
            // A GeoPackage's layer is rewritten in place, in one transaction; anything else
            // (and Save As) is written as GeoJSON.
            let in_place = !ask && doc.format == Format::GeoPackage;
            let result = if in_place {
                // Stamped as its file ([`saving::FileStamp::of`]).
                source::gpkg::save_layer(path, doc)
                    .and_then(|text| Ok((saving::FileStamp::of(path)?, text)))
            } else {
                let text = render_document(doc);
                saving::save_with_backup(path, text.as_bytes()).map(|stamp| (stamp, text))
            };
            let text = match result {
                Ok((stamp, text)) => {
                    match layer {
                        LayerKind::Zones => s.zones_stamp = stamp,
                        LayerKind::Parcels => s.parcels_stamp = stamp,
                    }
                    text
                }
                Err(e) => {
                    self.save_failed(path, e);
                    return false;
                }
            };
            if in_place {
                written.push(path.display().to_string());
                texts.push((layer, path.clone(), text));
                continue;
            }
            // What is written is GeoJSON: from now on it is saved in place.
            match layer {
                LayerKind::Zones => s.ds.zones.doc.format = Format::GeoJson,
                LayerKind::Parcels => {
                    if let Some(p) = &mut s.ds.parcels {
                        p.doc.format = Format::GeoJson;
                    }
                }
            }
            written.push(path.display().to_string());
            texts.push((layer, path.clone(), text));
        }
        // Both layers in one GeoPackage: writing one changed the file the other was read
        // from. Both stamps were checked against the file before writing, so the file as
        // written now is what each layer was last read or saved as.
        let (zf, pf) = (
            zones_path.as_deref().map(source::gpkg::file_and_layer),
            parcels_path.as_deref().map(source::gpkg::file_and_layer),
        );
        if let (Some((zf, _)), Some((pf, _))) = (zf, pf)
            && zf == pf
            && !written.is_empty()
            && let Ok(now) = saving::FileStamp::of(&zf)
        {
            let s = &mut self.session;
            (s.zones_stamp, s.parcels_stamp) = (now, now);
        }
        if let Some(z) = &zones_path {
            self.recent.push(z.clone(), parcels_path.clone());
        }
        self.session.saved_as(zones_path, parcels_path);
        let what = if written.is_empty() {
            self.files_label()
        } else {
            written.join(", ")
        };
        // Features added or deleted: numbers follow the saved files from now on (the journal
        // names features by their number in the files on disk).
        let key = if self.session.renumber(texts) {
            self.view.selection = None;
            Key::SavedRenumbered
        } else {
            Key::Saved
        };
        self.view.info(trf(lang, key, &[("what", &what)]));
        true
    }

    /// On a shared board: Save has nothing to do (each edit goes to the board as it is made);
    /// Save As writes the data to GeoJSON files, as a copy: the window stays on the board.
    fn save_board_copy(&mut self, as_new: bool) -> bool {
        let lang = self.view.lang;
        if !as_new {
            self.view
                .info(crate::i18n::tr(lang, Key::SaveNotNeeded).to_string());
            return true;
        }
        let mut written = Vec::new();
        let layers: Vec<(LayerKind, &str)> = std::iter::once((LayerKind::Zones, "zones.geojson"))
            .chain(
                self.session
                    .ds
                    .parcels
                    .as_ref()
                    .map(|_| (LayerKind::Parcels, "parcels.geojson")),
            )
            .collect();
        for (layer, name) in layers {
            let kind = match layer {
                LayerKind::Zones => FileKind::Saved,
                LayerKind::Parcels => FileKind::GeoJson,
            };
            let Some(path) = self.ask_where(Key::SaveAs, kind, name) else {
                return false;
            };
            let ds = &self.session.ds;
            let doc = match layer {
                LayerKind::Zones => &ds.zones.doc,
                LayerKind::Parcels => match &ds.parcels {
                    Some(p) => &p.doc,
                    None => continue,
                },
            };
            if let Err(e) = saving::save_with_backup(&path, render_document(doc).as_bytes()) {
                self.save_failed(&path, e);
                return false;
            }
            written.push(path.display().to_string());
        }
        let what = written.join(", ");
        self.view.info(trf(lang, Key::Saved, &[("what", &what)]));
        true
    }

    /// Says that `path` could not be written, and why, in the window's language.
    fn save_failed(&mut self, path: &Path, e: std::io::Error) {
        let lang = self.view.lang;
        self.view.error(trf(
            lang,
            Key::SaveFailed,
            &[
                ("what", &path.display().to_string()),
                ("error", &WriteError::from(e).message(lang)),
            ],
        ));
    }

    /// Save As a GeoPackage: the zones and the lots as the layers `zones` and `parcels` of one
    /// file (typed columns, R-tree, the data's own coordinate system), written whole or not at
    /// all; the data is then read back from it, so that Save updates its layers in place from
    /// now on (the undo history starts again, as after opening it).
    fn save_as_geopackage(&mut self, path: PathBuf) -> bool {
        use crate::engine::source::gpkg::GeoPackage;
        use crate::engine::source::{FeatureSink, FeatureSource};
        let lang = self.view.lang;
        let failed = |e: &dyn std::fmt::Display| {
            trf(
                lang,
                Key::SaveFailed,
                &[
                    ("what", &path.display().to_string()),
                    ("error", &e.to_string()),
                ],
            )
        };
        let words = crate::i18n::keys::export_words(lang);
        let ds = &self.session.ds;
        let (layers, _) = export::out_layers(ds, false, export::ExportCrs::Original, &words);
        if let Err(e) = GeoPackage::write(&path, &layers, &words) {
            self.view.error(failed(&WriteError::from(e).message(lang)));
            return false;
        }
        let layer_path = |name: &str| PathBuf::from(format!("{}:{name}", path.display()));
        let read = |p: &PathBuf| {
            let text = GeoPackage::read_geojson(p, None)?;
            let mut doc = Document::parse(p, text.into_bytes())?;
            doc.format = Format::GeoPackage;
            Ok::<_, crate::engine::geojson::LoadError>(doc)
        };
        let zones_path = layer_path("zones");
        let parcels_path = ds.parcels.as_ref().map(|_| layer_path("parcels"));
        let zones = read(&zones_path);
        let parcels = parcels_path.as_ref().map(read).transpose();
        let (zones, parcels) = match (zones, parcels) {
            (Ok(z), Ok(p)) => (z, p),
            (Err(e), _) | (_, Err(e)) => {
                self.view.error(failed(&e.message(lang)));
                return false;
            }
        };
        // Both layers stamped as the file just written: a later change by another program
        // is asked about before Save writes over it.
        let stamp = saving::FileStamp::of(&path).ok().flatten();
        let stamps = (stamp, parcels_path.as_ref().and(stamp));
        self.recent.push(zones_path.clone(), parcels_path.clone());
        self.session.replace(
            crate::engine::dataset::Dataset::new(zones, parcels),
            (Some(zones_path), parcels_path),
            stamps,
        );
        self.view.forget_data();
        let what = path.display().to_string();
        self.view.info(trf(lang, Key::Saved, &[("what", &what)]));
        true
    }
}
