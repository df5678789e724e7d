//! "Which coordinate system?": asked when a file names none of its own and its positions are
//! not longitude/latitude (a DXF; a Shapefile without a `.prj`, a GeoJSON without a `crs`
//! member, in metres). The systems ZoneAtlas converts, grouped (WGS 84, VN-2000, VN-2000 /
//! TM-3 by province), a search over them, and a field for an EPSG code; the file is then read
//! as `--source-crs` reads it: the zones and parcels load again, or a reference layer is read.
//! Cancel leaves the window as it was.

use std::path::PathBuf;

use crate::app::files::loading::{LoadRequest, Systems};
use crate::engine::crs::{Crs, TM3_PROVINCES};
use crate::engine::properties::fold_text;
use crate::i18n::{Key, Lang, tr, trf};

/// What is read again once the system is known.
#[derive(Clone, Debug)]
pub enum Retry {
    /// The load of zones and parcels, started again.
    Load(LoadRequest),
    /// The file, read as a reference layer.
    Reference,
}

/// A file waiting for its system.
#[derive(Clone, Debug)]
pub struct Pending {
    /// The file that names no system.
    pub path: PathBuf,
    /// What to read again, and the systems already given to its other files.
    pub retry: Retry,
    pub systems: Systems,
    /// The search field's text (a province, a name or an EPSG code).
    pub search: String,
    /// The system chosen so far (its EPSG code).
    pub selected: Option<u32>,
}

impl Pending {
    pub fn new(path: PathBuf, retry: Retry, systems: Systems, selected: Option<u32>) -> Pending {
        Pending {
            path,
            retry,
            systems,
            search: String::new(),
            selected,
        }
    }

    /// The file's name, as the question says it.
    pub fn file(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.path.display().to_string())
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Answer {
    Open(Crs),
    Cancel,
}

/// The systems offered, by group: each as (label, EPSG code).
pub fn offered(lang: Lang) -> Vec<(Key, Vec<(String, u32)>)> {
    let named =
        |code: u32| Crs::from_epsg(code).map(|c| (format!("{} (EPSG:{})", c.name, c.epsg), c.epsg));
    let mut wgs84: Vec<(String, u32)> = [32648, 32649].into_iter().filter_map(named).collect();
    wgs84.push((
        format!("{} (EPSG:3857)", tr(lang, Key::SystemWebMercator)),
        3857,
    ));
    let vn2000: Vec<(String, u32)> = [3405, 3406].into_iter().filter_map(named).collect();
    let mut tm3: Vec<(String, u32)> = TM3_PROVINCES
        .iter()
        .flat_map(|(code, provinces)| {
            provinces.iter().filter_map(move |p| {
                Crs::from_epsg(*code)
                    .map(|c| (format!("{p} — {} (EPSG:{})", c.name, c.epsg), c.epsg))
            })
        })
        .collect();
    tm3.sort_by_key(|(label, _)| fold_text(label));
    vec![
        (Key::SystemGroupWgs84, wgs84),
        (Key::SystemGroupVn2000, vn2000),
        (Key::SystemGroupTm3, tm3),
    ]
}

/// An EPSG code typed: `9209`, `EPSG:9209`, `epsg 9209`.
fn typed_code(s: &str) -> Option<u32> {
    let t = s.trim().to_ascii_uppercase();
    let t = t.strip_prefix("EPSG").unwrap_or(&t);
    let t = t.trim_start_matches([':', ' ']);
    (!t.is_empty() && t.chars().all(|c| c.is_ascii_digit()))
        .then(|| t.parse().ok())
        .flatten()
}

/// Shows the question; the answer once the user gives one (Escape or a click outside cancels).
pub fn show(ctx: &egui::Context, lang: Lang, p: &mut Pending) -> Option<Answer> {
    let file = p.file();
    let mut answer = None;
    let modal = egui::Modal::new(egui::Id::unique("coordinate_system")).show(ctx, |ui| {
        ui.set_width(520.0);
        ui.heading(trf(lang, Key::SystemTitle, &[("file", &file)]));
        ui.label(trf(lang, Key::SystemBody, &[("file", &file)]));
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let label = ui.label(tr(lang, Key::SystemSearch));
            let field = ui.text_edit_singleline(&mut p.search).labelled_by(label.id);
            if field.changed()
                && let Some(code) = typed_code(&p.search)
            {
                p.selected = Crs::from_epsg(code).map(|c| c.epsg);
            }
        });
        if let Some(code) = typed_code(&p.search)
            && Crs::from_epsg(code).is_none()
        {
            ui.colored_label(
                ui.visuals().error_fg_color,
                trf(
                    lang,
                    Key::SystemNotConverted,
                    &[("code", &code.to_string())],
                ),
            );
        }
        let filter = fold_text(p.search.trim());
        let numeric = typed_code(&p.search).is_some();
        egui::ScrollArea::vertical()
            .max_height(320.0)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                for (group, entries) in offered(lang) {
                    let shown: Vec<&(String, u32)> = entries
                        .iter()
                        .filter(|(label, code)| {
                            filter.is_empty()
                                || fold_text(label).contains(&filter)
                                || (numeric && typed_code(&p.search) == Some(*code))
                        })
                        .collect();
                    if shown.is_empty() {
                        continue;
                    }
                    ui.strong(tr(lang, group));
                    for (label, code) in shown {
                        if ui
                            .selectable_label(p.selected == Some(*code), label)
                            .clicked()
                        {
                            p.selected = Some(*code);
                        }
                    }
                    ui.add_space(4.0);
                }
            });
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let chosen = p.selected.and_then(Crs::from_epsg);
            if ui
                .add_enabled(
                    chosen.is_some(),
                    egui::Button::new(tr(lang, Key::SystemOpen)),
                )
                .clicked()
            {
                answer = chosen.map(Answer::Open);
            }
            if ui.button(tr(lang, Key::Cancel)).clicked() {
                answer = Some(Answer::Cancel);
            }
        });
    });
    if answer.is_none() && modal.should_close() {
        answer = Some(Answer::Cancel);
    }
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_as_typed() {
        assert_eq!(typed_code("9209"), Some(9209));
        assert_eq!(typed_code(" EPSG:3405 "), Some(3405));
        assert_eq!(typed_code("epsg 32648"), Some(32648));
        assert_eq!(typed_code("Bắc Ninh"), None);
        assert_eq!(typed_code(""), None);
    }

    #[test]
    fn every_province_is_offered_in_its_own_zone() {
        let groups = offered(Lang::En);
        let tm3 = &groups[2].1;
        let n: usize = TM3_PROVINCES.iter().map(|(_, p)| p.len()).sum();
        assert_eq!(tm3.len(), n);
        assert!(tm3.contains(&(
            "Bắc Ninh — VN-2000 / TM-3 105-30 (EPSG:9209)".to_string(),
            9209
        )));
        // The meridians of the national 3° grid's codes too (107°45′, 105°00′).
        assert!(tm3.contains(&(
            "Đà Nẵng — VN-2000 / TM-3 107-45 (EPSG:5899)".to_string(),
            5899
        )));
        assert!(tm3.contains(&(
            "Hà Nội — VN-2000 / TM-3 zone 482 (EPSG:5897)".to_string(),
            5897
        )));
    }
}
