//! Input outside the panels: files dropped on the window (opened), and keyboard shortcuts —
//! Save, Undo and Redo, F11 and Escape for presentation mode and the selection, and the map's
//! keys (arrows pan, + and − zoom, Home fits all, F fits the selection), and the planning
//! tools' (S select, D draw, X split, R reshape, M merge, Delete; Esc cancels what a tool is
//! doing, Backspace takes back the last corner drawn). What asks for an action returns it;
//! panning, zooming and choosing a tool change the map's memory.

use egui::{Key as K, Modifiers};
use std::path::PathBuf;

use super::action::{Action, EditAction, FileAction, ViewAction};
use super::map::MapMemory;
use super::map::tools::{self, Tool};
use super::view::ViewState;

/// The frame's dropped files and shortcuts. While "unsaved changes?" or "which system?" is
/// asked (`asking`), only Save works.
pub fn read(
    ctx: &egui::Context,
    view: &ViewState,
    map: &mut MapMemory,
    asking: bool,
) -> Vec<Action> {
    let mut actions = Vec::new();
    let dropped: Vec<PathBuf> = ctx.input(|i| {
        let paths = i.raw.dropped_files.iter().map(|f| f.path().to_path_buf());
        paths.filter(|p| !p.as_os_str().is_empty()).collect()
    });
    if !dropped.is_empty() {
        actions.push(Action::File(FileAction::OpenDropped(dropped)));
    }
    let typing = ctx.egui_wants_keyboard_input();
    // Esc closes an open menu first; only then does it clear the selection.
    let popup_open = egui::Popup::is_any_open(ctx);
    ctx.input_mut(|i| {
        if i.consume_key(Modifiers::COMMAND, K::S) {
            actions.push(Action::File(FileAction::Save));
        }
        if typing || asking {
            return;
        }
        if i.consume_key(Modifiers::COMMAND | Modifiers::SHIFT, K::Z)
            || i.consume_key(Modifiers::COMMAND, K::Y)
        {
            actions.push(Action::Edit(EditAction::Redo));
        } else if i.consume_key(Modifiers::COMMAND, K::Z) {
            actions.push(Action::Edit(EditAction::Undo));
        }
        if i.consume_key(Modifiers::NONE, K::F11) {
            actions.push(Action::View(ViewAction::Present(!view.presenting)));
        }
        if view.presenting && !popup_open && i.consume_key(Modifiers::NONE, K::Escape) {
            actions.push(Action::View(ViewAction::Present(false)));
        }
        if i.modifiers.is_none() {
            let step = 100.0;
            for (key, d) in [
                (K::ArrowLeft, egui::vec2(step, 0.0)),
                (K::ArrowRight, egui::vec2(-step, 0.0)),
                (K::ArrowUp, egui::vec2(0.0, step)),
                (K::ArrowDown, egui::vec2(0.0, -step)),
            ] {
                if i.key_pressed(key) {
                    map.camera.pan(d);
                }
            }
            if i.key_pressed(K::Home) {
                actions.push(Action::View(ViewAction::FitAll));
            }
            if i.key_pressed(K::F) {
                actions.push(Action::View(ViewAction::FitSelection));
            }
            if i.key_pressed(K::Escape) && !popup_open {
                if map.tools.is_busy() {
                    map.tools.cancel();
                } else {
                    actions.push(Action::View(ViewAction::Select {
                        selection: None,
                        fly: false,
                    }));
                }
            }
            if i.key_pressed(K::Backspace) {
                map.tools.sketch.pop();
            }
            if !view.presenting {
                for tool in Tool::ALL {
                    if i.key_pressed(tool.shortcut()) {
                        map.tools.choose(tool);
                    }
                }
                let plan = if i.key_pressed(K::M) {
                    tools::merge_plan(view)
                } else if i.key_pressed(K::Delete) {
                    tools::delete_plan(view)
                } else {
                    None
                };
                if let Some(plan) = plan {
                    actions.push(Action::Edit(EditAction::Plan(plan)));
                }
            }
        }
        let centre = map.view.center();
        if i.key_pressed(K::Plus) || i.key_pressed(K::Equals) {
            map.camera.zoom_about(centre, map.view, 2.0);
        }
        if i.key_pressed(K::Minus) {
            map.camera.zoom_about(centre, map.view, 0.5);
        }
    });
    actions
}
