//! The findings panel: what the engine noticed about the data. A click selects the feature
//! and flies the map to it. The list is computed on another thread after every change; until
//! the new one arrives the last is shown, marked as updating.

use egui::{Color32, RichText, ScrollArea, Ui};

use crate::app::action::{Action, ViewAction};
use crate::app::view::{Selection, ViewState};
use crate::engine::findings::{Finding, Severity};
use crate::engine::model::LayerKind;
use crate::i18n::Message;
use crate::i18n::{Key, tr};

/// `current`: the list is for the data as it is now (else it predates the last changes, and
/// the new one is being computed).
pub fn show(ui: &mut Ui, view: &ViewState, findings: &[Finding], current: bool) -> Vec<Action> {
    let lang = view.lang;
    let mut actions = Vec::new();
    let errors = findings
        .iter()
        .filter(|f| f.severity() == Severity::Error)
        .count();
    ui.horizontal(|ui| {
        ui.strong(tr(lang, Key::FindingsHeading));
        ui.label(format!(
            "{} ({} ✖, {} ⚠)",
            findings.len(),
            errors,
            findings.len() - errors
        ));
        if !current {
            ui.label(RichText::new(tr(lang, Key::Updating)).weak());
        }
    });
    if findings.is_empty() && current {
        ui.label(tr(lang, Key::NoFindings));
    }
    // Every finding is listed, but only the rows in view are laid out. (The area is laid out
    // while the first list is computed too, so that the panel keeps its height.)
    let row_height = ui.spacing().interact_size.y;
    ScrollArea::both().auto_shrink([false, false]).show_rows(
        ui,
        row_height,
        findings.len(),
        |ui, range| {
            for f in &findings[range] {
                let (icon, color) = match f.severity() {
                    Severity::Error => ("✖", Color32::from_rgb(220, 70, 70)),
                    Severity::Warning => ("⚠", Color32::from_rgb(210, 160, 40)),
                    Severity::Info => ("ℹ", Color32::from_rgb(90, 150, 220)),
                };
                let target = Selection::of(f.layer, f.feature - 1);
                ui.horizontal(|ui| {
                    ui.set_height(row_height);
                    ui.label(RichText::new(icon).color(color));
                    let text = format!(
                        "{} #{} ({}): {}",
                        tr(
                            lang,
                            match f.layer {
                                LayerKind::Zones => Key::LayerZones,
                                LayerKind::Parcels => Key::LayerParcels,
                            }
                        ),
                        f.feature,
                        f.id,
                        f.message(lang)
                    );
                    let selected = view.selection == Some(target);
                    if ui
                        .selectable_label(selected, text)
                        .on_hover_text(f.code().as_str())
                        .clicked()
                    {
                        actions.push(Action::View(ViewAction::Select {
                            selection: Some(target),
                            fly: true,
                        }));
                    }
                });
            }
        },
    );
    actions
}
