//! The planning toolbar above the map: the tools (Select, Draw lot, Split, Reshape), Merge and
//! Delete for the selection, the snapping and shared-corner switches, and the tool's hint.
//! Choosing a tool or a switch changes the map's memory at once; Merge and Delete are returned
//! as actions.

use egui::{RichText, Ui};

use crate::app::action::{Action, EditAction};
use crate::app::map::MapMemory;
use crate::app::map::tools::{self, Tool};
use crate::app::view::ViewState;
use crate::i18n::{Key, tr};

pub fn show(ui: &mut Ui, view: &ViewState, map: &mut MapMemory) -> Vec<Action> {
    let lang = view.lang;
    let t = |k| tr(lang, k);
    let mut actions = Vec::new();
    ui.horizontal(|ui| {
        for tool in Tool::ALL {
            let key = format!("{:?}", tool.shortcut());
            let chosen = map.tools.tool == tool;
            if ui
                .selectable_label(chosen, t(tool.label()))
                .on_hover_text(format!("{} ({key})", t(tool.hint())))
                .clicked()
                && !chosen
            {
                map.tools.choose(tool);
            }
        }
        ui.separator();
        let selected = tools::selected(view);
        let lots = selected.len();
        if ui
            .add_enabled(lots >= 2, egui::Button::new(t(Key::ToolMerge)))
            .on_hover_text("M")
            .clicked()
            && let Some(plan) = tools::merge_plan(view)
        {
            actions.push(Action::Edit(EditAction::Plan(plan)));
        }
        if ui
            .add_enabled(lots >= 1, egui::Button::new(t(Key::ToolDelete)))
            .on_hover_text("Delete")
            .clicked()
            && let Some(plan) = tools::delete_plan(view)
        {
            actions.push(Action::Edit(EditAction::Plan(plan)));
        }
        ui.separator();
        ui.checkbox(&mut map.tools.snapping, t(Key::Snapping))
            .on_hover_text(t(Key::SnappingHelp));
        ui.checkbox(&mut map.tools.shared_corners, t(Key::SharedCorners))
            .on_hover_text(t(Key::SharedCornersHelp));
        ui.separator();
        // The area of the lot being drawn, or what to do with the tool chosen.
        match tools::drawn_area(&map.tools, view) {
            Some(area) if map.tools.tool == Tool::Draw => {
                ui.label(RichText::new(area).strong());
            }
            _ if map.tools.tool != Tool::Select => {
                ui.label(RichText::new(tools::hint(&map.tools, view)).weak());
            }
            _ => {}
        }
    });
    actions
}
