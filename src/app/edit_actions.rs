//! Edit actions: an edit, a map tool's plan, undo and redo, each through the session's one
//! path ([`Session::apply`](super::session::Session::apply)); the status bar says what was
//! undone or redone, or why a plan cannot be made.

use std::collections::HashSet;

use super::ZoneAtlasApp;
use super::action::EditAction;
use super::session::edit::Edit;
use super::view::Selection;
use crate::engine::edit::Op;
use crate::engine::model::LayerKind;
use crate::engine::planning::{FeatureRef, Plan, feature_id};
use crate::i18n::{Key, Message, fmt_number, plan_name, trf};

impl ZoneAtlasApp {
    pub(super) fn apply_edit(&mut self, action: EditAction) {
        let (said, what) = match action {
            EditAction::Apply(edit) => {
                self.session.apply(edit);
                return;
            }
            EditAction::Plan(plan) => {
                self.apply_plan(plan);
                return;
            }
            EditAction::Undo => (Key::Undone, self.session.undo()),
            EditAction::Redo => (Key::Redone, self.session.redo()),
        };
        if let Some(what) = what {
            self.view
                .info(trf(self.view.lang, said, &[("what", &what)]));
        }
        self.keep_selection_live();
    }

    /// Makes a map tool's change as one undo step named for it ("split lot A-01"), and
    /// selects what it made; or says why it cannot be made.
    fn apply_plan(&mut self, plan: Plan) {
        let lang = self.view.lang;
        let ds = &self.session.ds;
        let what = plan_name(&plan, ds, lang);
        let ops = match plan.ops(ds) {
            Ok(ops) => ops,
            Err(problem) => {
                let why = problem.message(lang);
                self.view.error(trf(
                    lang,
                    Key::ToolRefused,
                    &[("what", &what), ("why", &why)],
                ));
                return;
            }
        };
        let made = made_selection(&plan, &ops, ds);
        let gaps_before: HashSet<(usize, usize)> =
            ds.gap_facts().iter().map(|g| (g.lot, g.other)).collect();
        if self.session.apply(Edit {
            ops,
            what: what.clone(),
        }) {
            // A gap the change left between lots is said at once (the findings list it too).
            let ds = &self.session.ds;
            let new_gap = ds
                .gap_facts()
                .iter()
                .find(|g| !gaps_before.contains(&(g.lot, g.other)));
            match new_gap {
                Some(g) => {
                    let id = |index| {
                        let layer = LayerKind::Parcels;
                        feature_id(ds, FeatureRef { layer, index })
                    };
                    let text = trf(
                        lang,
                        Key::ToolLeftGap,
                        &[
                            ("what", &what),
                            ("m2", &fmt_number(g.area_m2, 2, lang)),
                            ("a", &id(g.lot)),
                            ("b", &id(g.other)),
                        ],
                    );
                    self.view.error(text);
                }
                None => self.view.info(trf(lang, Key::ToolDone, &[("what", &what)])),
            }
            if let Some(s) = made {
                self.view.selection = Some(s);
                self.view.also_selected.clear();
            }
        }
        self.keep_selection_live();
    }

    /// Deleted features drop out of the selection.
    fn keep_selection_live(&mut self) {
        let ds = &self.session.ds;
        self.view.selection = self.view.selection.filter(|s| s.is_in(ds));
        self.view.also_selected.retain(|s| s.is_in(ds));
    }
}

/// What a plan makes that the user works on next (numbered before it is made): a drawn lot,
/// a split's first part, a merge's lot; the selection stays otherwise.
fn made_selection(
    plan: &Plan,
    ops: &[Op],
    ds: &crate::engine::dataset::Dataset,
) -> Option<Selection> {
    let len = |layer| match layer {
        LayerKind::Zones => ds.zones.len(),
        LayerKind::Parcels => ds.parcels.as_ref().map_or(0, |p| p.len()),
    };
    match plan {
        Plan::Draw { .. } | Plan::Split { .. } => ops
            .iter()
            .find(|op| matches!(op, Op::Insert { .. }))
            .map(|op| Selection::of(op.layer(), len(op.layer()))),
        Plan::Merge { layer, features } => features.first().map(|&f| Selection::of(*layer, f)),
        _ => None,
    }
}
