//! The findings panel: what the engine noticed about the data. A click selects the feature
//! and flies the map to it.

use egui::{Color32, RichText, ScrollArea, Ui};

use crate::app::i18n::{Key, tr, trf};
use crate::app::state::{Action, AppState, Selection};
use crate::engine::findings::{Finding, Severity};

/// Rows shown at most (the rest are counted).
const MAX_ROWS: usize = 2000;

pub fn show(ui: &mut Ui, state: &AppState, findings: &[Finding]) -> Vec<Action> {
    let lang = state.lang;
    let mut actions = Vec::new();
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    ui.horizontal(|ui| {
        ui.strong(tr(lang, Key::FindingsHeading));
        ui.label(format!(
            "{} ({} ✖, {} ⚠)",
            findings.len(),
            errors,
            findings.len() - errors
        ));
    });
    if findings.is_empty() {
        ui.label(tr(lang, Key::NoFindings));
        return actions;
    }
    ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for f in findings.iter().take(MAX_ROWS) {
                let (icon, color) = match f.severity {
                    Severity::Error => ("✖", Color32::from_rgb(220, 70, 70)),
                    Severity::Warning => ("⚠", Color32::from_rgb(210, 160, 40)),
                    Severity::Info => ("ℹ", Color32::from_rgb(90, 150, 220)),
                };
                let target = Selection::of(f.layer, f.feature - 1);
                ui.horizontal(|ui| {
                    ui.label(RichText::new(icon).color(color));
                    let text = format!(
                        "{} #{} ({}): {}",
                        f.layer.code(),
                        f.feature,
                        f.id,
                        f.message
                    );
                    let selected = state.selection == Some(target);
                    if ui
                        .selectable_label(selected, text)
                        .on_hover_text(f.code.as_str())
                        .clicked()
                    {
                        actions.push(Action::Select {
                            selection: Some(target),
                            fly: true,
                        });
                    }
                });
            }
            if findings.len() > MAX_ROWS {
                ui.label(trf(
                    lang,
                    Key::MoreFindings,
                    &[("n", &(findings.len() - MAX_ROWS).to_string())],
                ));
            }
        });
    actions
}
