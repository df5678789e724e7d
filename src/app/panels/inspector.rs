//! The inspector: the selected zone's or parcel's figures and attributes, each edited with a
//! widget that fits it. Invalid values are refused with a message beside the field and never
//! reach the data.
//!
//! On a shared board, the feature's history follows: who changed what, when ("lan set tenant
//! to Công ty A (was not set)"), as the board keeps it, read on another thread.
//!
//! Numbers and dates show and are typed the reader's way (`400,45` and `31/12/2024` in
//! Vietnamese; the dot and ISO forms are read too), with an echo of what the typed text is read
//! as; a stored value is written the way the file spells that property
//! ([`attributes::spelling_of`]).

use egui::{Color32, ComboBox, Grid, Id, RichText, ScrollArea, TextEdit, Ui};
use serde_json::Value;
use std::collections::HashMap;

use crate::app::action::{Action, EditAction, ViewAction};
use crate::app::session::Session;
use crate::app::session::edit::Edit;
use crate::app::view::{Selection, ViewState, board_time};
use crate::engine::attributes::{
    self, Choices, Field as SchemaField, FieldKind, PARCEL_FIELDS, Typed, ValueProblem, ZONE_FIELDS,
};
use crate::engine::properties::{
    KeySpec, PARCEL_KEYS, ZONE_KEYS, canonical_key, parse_number_text, read_bool, value_text,
};
use crate::engine::spelling::NumberSpelling;
use crate::i18n::{
    Key, Lang, Message, choice_label, field_label, fmt_field_value, fmt_ha, fmt_pct, fmt_typed, tr,
    trf, unit_label,
};

use crate::i18n::{basis_words, land_use_text, parcel_status_text};

/// The inspector's own state: text being typed and refusals, for the selection, the data and
/// the language as they were when typed.
#[derive(Default)]
pub struct Inspector {
    /// The selection, session generation and language the typing and refusals belong to.
    shown: (Option<Selection>, u64, Lang),
    buffers: HashMap<String, String>,
    /// Refusals by property name, put into words when drawn (in the language then shown).
    errors: HashMap<String, ValueProblem>,
}

/// A field being drawn: the schema's attribute, where it is stored and what it holds now.
struct Field {
    schema: SchemaField,
    /// The property name in the file (an alias, or the canonical key when absent).
    key: String,
    value: Option<Value>,
    label: String,
}

fn fields_of(
    props: &[(String, Value)],
    specs: &'static [KeySpec],
    schema: &'static [SchemaField],
    lang: Lang,
) -> Vec<Field> {
    schema
        .iter()
        .map(|f| {
            let found = props
                .iter()
                .find(|(k, _)| canonical_key(specs, k) == Some(f.canonical));
            Field {
                schema: *f,
                key: found.map_or_else(|| f.canonical.to_string(), |(k, _)| k.clone()),
                value: found.map(|(_, v)| v.clone()),
                label: field_label(lang, f.canonical).to_string(),
            }
        })
        .collect()
}

/// The first letter in lower case ("Industrial land" → "industrial land").
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default()
}

impl Inspector {
    /// Forgets typed text and refusals: the fields show the data again.
    fn reset(&mut self) {
        self.buffers.clear();
        self.errors.clear();
    }

    /// The refusal shown beside a field, if any (tests).
    pub fn error(&self, key: &str) -> Option<&ValueProblem> {
        self.errors.get(key)
    }

    pub fn show(&mut self, ui: &mut Ui, session: &Session, view: &ViewState) -> Vec<Action> {
        let lang = view.lang;
        let mut actions = Vec::new();
        ui.heading(tr(lang, Key::InspectorHeading));
        let selection = view.selection.filter(|s| s.is_in(&session.ds));
        // Another selection, the data changed (an edit, undo, new files) or the other
        // language: the typing and refusals no longer belong to what is shown (typed text is
        // read in the language it was typed in).
        if (selection, session.generation, lang) != self.shown {
            self.reset();
            self.shown = (selection, session.generation, lang);
        }
        let Some(sel) = selection else {
            ui.label(tr(lang, Key::NothingSelected));
            return actions;
        };
        ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| match sel {
                Selection::Zone(z) => self.zone(ui, session, view, z, &mut actions),
                Selection::Parcel(p) => self.parcel(ui, session, view, p, &mut actions),
            });
        actions
    }

    fn zone(
        &mut self,
        ui: &mut Ui,
        session: &Session,
        view: &ViewState,
        z: usize,
        actions: &mut Vec<Action>,
    ) {
        let lang = view.lang;
        let t = |k| tr(lang, k);
        let ds = &session.ds;
        let item = &ds.zones.items[z];
        let f = &view.figures(session)[z];
        ui.label(RichText::new(t(Key::ZoneKind)).small());
        ui.label(RichText::new(&item.name).heading().strong());
        ui.add_space(4.0);
        ui.label(RichText::new(t(Key::Figures)).strong());
        let none = t(Key::NotSet).to_string();
        Grid::new(("zone_figures", z))
            .num_columns(2)
            .striped(true)
            .show(ui, |ui| {
                let row = |ui: &mut Ui, k: Key, v: String| {
                    ui.label(t(k));
                    ui.add(egui::Label::new(v).wrap());
                    ui.end_row();
                };
                row(
                    ui,
                    Key::MeasuredArea,
                    f.measured.area_ha.map_or(none.clone(), |a| fmt_ha(a, lang)),
                );
                row(ui, Key::LeasedLand, fmt_ha(f.measured.leased_ha, lang));
                row(
                    ui,
                    Key::LeasedServiceLand,
                    fmt_ha(f.measured.leased_service_ha, lang),
                );
                row(
                    ui,
                    Key::FillRate,
                    f.fill_rate_pct.map_or(none.clone(), |r| fmt_pct(r, lang)),
                );
                row(ui, Key::Basis, basis_words(lang, f).to_string());
                row(
                    ui,
                    Key::Denominator,
                    f.denominator_ha.map_or(none.clone(), |d| fmt_ha(d, lang)),
                );
                row(
                    ui,
                    Key::FillRateD35,
                    f.fill_rate_d35_pct
                        .map_or(none.clone(), |r| fmt_pct(r, lang)),
                );
                let m = &f.measured;
                row(
                    ui,
                    Key::ParcelsCount,
                    format!(
                        "{} / {} / {}",
                        m.parcels_leased, m.parcels_vacant, m.parcels_reserved
                    ),
                );
            });
        ui.add_space(6.0);
        ui.label(RichText::new(t(Key::PlanningAttributes)).strong());
        let props = ds.zones.doc.properties(z);
        let fields = fields_of(&props, ZONE_KEYS, ZONE_FIELDS, lang);
        let name = item.name.clone();
        Grid::new(("zone_fields", z))
            .num_columns(2)
            .striped(true)
            .show(ui, |ui| {
                for field in &fields {
                    self.field_row(ui, session, view, Selection::Zone(z), field, &name, actions);
                }
            });
        ui.add_space(6.0);
        self.other_properties(
            ui,
            view,
            Selection::Zone(z),
            &props,
            ZONE_KEYS,
            &name,
            actions,
        );
        board_history(ui, session, view, Selection::Zone(z));
    }

    fn parcel(
        &mut self,
        ui: &mut Ui,
        session: &Session,
        view: &ViewState,
        p: usize,
        actions: &mut Vec<Action>,
    ) {
        let lang = view.lang;
        let t = |k| tr(lang, k);
        let ds = &session.ds;
        let Some(parcels) = &ds.parcels else { return };
        let item = &parcels.items[p];
        ui.label(RichText::new(t(Key::ParcelKind)).small());
        ui.label(RichText::new(&item.id).heading().strong());
        ui.add_space(4.0);
        Grid::new(("parcel_figures", p))
            .num_columns(2)
            .striped(true)
            .show(ui, |ui| {
                ui.label(t(Key::ParcelArea));
                ui.label(
                    ds.parcel_area_ha[p].map_or(t(Key::NotSet).to_string(), |a| fmt_ha(a, lang)),
                );
                ui.end_row();
                ui.label(t(Key::InZone));
                match ds.zone_of(p) {
                    Some(z) => {
                        if ui.link(session.zone_name(z)).clicked() {
                            actions.push(Action::View(ViewAction::Select {
                                selection: Some(Selection::Zone(z)),
                                fly: true,
                            }));
                        }
                    }
                    None => {
                        ui.label(t(Key::InNoZone));
                    }
                }
                ui.end_row();
                ui.label(t(Key::ColStatus));
                ui.label(format!(
                    "{} · {}",
                    parcel_status_text(lang, item.status),
                    land_use_text(lang, item.land_use)
                ));
                ui.end_row();
            });
        ui.add_space(6.0);
        ui.label(RichText::new(t(Key::LeaseAttributes)).strong());
        let props = parcels.doc.properties(p);
        let fields = fields_of(&props, PARCEL_KEYS, PARCEL_FIELDS, lang);
        let name = item.id.clone();
        Grid::new(("parcel_fields", p))
            .num_columns(2)
            .striped(true)
            .show(ui, |ui| {
                for field in &fields {
                    self.field_row(
                        ui,
                        session,
                        view,
                        Selection::Parcel(p),
                        field,
                        &name,
                        actions,
                    );
                }
            });
        ui.add_space(6.0);
        self.other_properties(
            ui,
            view,
            Selection::Parcel(p),
            &props,
            PARCEL_KEYS,
            &name,
            actions,
        );
        board_history(ui, session, view, Selection::Parcel(p));
    }

    /// The file's properties that are not planning attributes, editable as text.
    #[allow(clippy::too_many_arguments)]
    fn other_properties(
        &mut self,
        ui: &mut Ui,
        view: &ViewState,
        sel: Selection,
        props: &[(String, Value)],
        specs: &'static [KeySpec],
        name: &str,
        actions: &mut Vec<Action>,
    ) {
        let lang = view.lang;
        ui.label(RichText::new(tr(lang, Key::OtherProperties)).strong());
        let others: Vec<&(String, Value)> = props
            .iter()
            .filter(|(k, _)| canonical_key(specs, k).is_none())
            .collect();
        if others.is_empty() {
            ui.label(tr(lang, Key::NoOtherProperties));
            return;
        }
        Grid::new(("other_fields", sel))
            .num_columns(2)
            .striped(true)
            .show(ui, |ui| {
                for (k, v) in others {
                    let label = ui.label(k);
                    let current = value_text(v);
                    if let Some(text) = self.text_input(ui, sel, k, &current, label.id, false) {
                        let value = match v {
                            Value::Number(_) => parse_number_text(&text)
                                .ok()
                                .flatten()
                                .map_or(Value::String(text.clone()), |x| {
                                    NumberSpelling::Json.write(x)
                                }),
                            Value::Bool(_) => read_bool(&Value::String(text.clone()))
                                .map_or(Value::String(text.clone()), Value::Bool),
                            _ => Value::String(text.clone()),
                        };
                        let value = if text.trim().is_empty() {
                            Value::Null
                        } else {
                            value
                        };
                        let what = trf(lang, Key::EditOf, &[("field", k), ("name", name)]);
                        let edit = Edit::one(sel.layer(), sel.index(), k, Some(value), what);
                        actions.push(Action::Edit(EditAction::Apply(edit)));
                    }
                    ui.end_row();
                }
            });
    }

    /// A single-line (or multi-line) text box; returns the text when the user is done with it
    /// (Enter or focus elsewhere) and it differs from `current`. Escape abandons the typing.
    fn text_input(
        &mut self,
        ui: &mut Ui,
        sel: Selection,
        key: &str,
        current: &str,
        label: Id,
        multiline: bool,
    ) -> Option<String> {
        let mut text = self
            .buffers
            .get(key)
            .cloned()
            .unwrap_or_else(|| current.to_string());

        let edit = if multiline {
            TextEdit::multiline(&mut text).desired_rows(2)
        } else {
            TextEdit::singleline(&mut text)
        };
        let response = ui
            .add(
                edit.id_salt(("inspector_field", sel, key))
                    .desired_width(FIELD_WIDTH),
            )
            .labelled_by(label);
        if response.changed() {
            self.buffers.insert(key.to_string(), text.clone());
        }
        if response.lost_focus() {
            self.buffers.remove(key);
            if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                return None;
            }
            if text != current {
                return Some(text);
            }
        }
        None
    }

    #[allow(clippy::too_many_arguments)]
    fn field_row(
        &mut self,
        ui: &mut Ui,
        session: &Session,
        view: &ViewState,
        sel: Selection,
        field: &Field,
        name: &str,
        actions: &mut Vec<Action>,
    ) {
        let lang = view.lang;
        let label = ui.label(&field.label);
        let kind = field.schema.kind;
        let current = field
            .value
            .as_ref()
            .map(|v| fmt_field_value(kind, v, lang))
            .unwrap_or_default();
        let old = field.value.as_ref();
        // Some(Ok(typed)): store it; Some(Err(problem)): refuse it.
        let mut outcome: Option<Result<Typed, ValueProblem>> = None;
        match kind {
            FieldKind::Text | FieldKind::LongText | FieldKind::Number(_) | FieldKind::Date => {
                ui.horizontal(|ui| {
                    let multiline = kind == FieldKind::LongText;
                    if let Some(text) =
                        self.text_input(ui, sel, &field.key, &current, label.id, multiline)
                    {
                        outcome = Some(typed(session, sel, field, &text, lang));
                    }
                    if let FieldKind::Number(Some(unit)) = kind {
                        ui.label(unit_label(lang, unit));
                    }
                });
            }
            FieldKind::Bool => {
                let mut on = old.and_then(read_bool).unwrap_or(false);
                let response = ui.checkbox(&mut on, "").labelled_by(label.id);
                if response.changed() {
                    outcome = Some(Ok(Typed::Bool(on)));
                }
            }
            FieldKind::Choice(choices) => {
                let raw = old.map(value_text).unwrap_or_default();
                if let Some(code) = choose(ui, sel, &field.key, label.id, &raw, choices, lang) {
                    outcome = Some(Ok(Typed::Choice(choices, code)));
                }
            }
        }
        match outcome {
            Some(Ok(typed)) => {
                self.errors.remove(&field.key);
                let (key, value) = stored(session, sel, field, &typed);
                if value != field.value {
                    let what = trf(
                        lang,
                        Key::EditOf,
                        &[("field", &lower_first(&field.label)), ("name", name)],
                    );
                    let edit = Edit::one(sel.layer(), sel.index(), &key, value, what);
                    actions.push(Action::Edit(EditAction::Apply(edit)));
                }
            }
            Some(Err(problem)) => {
                self.errors.insert(field.key.clone(), problem);
            }
            None => {}
        }
        ui.end_row();
        // While a number or date is typed, what it is read as, before it is stored.
        let echo = self
            .buffers
            .get(&field.key)
            .and_then(|text| attributes::read_typed(kind, text, lang).ok())
            .and_then(|typed| fmt_typed(kind, &typed, lang));
        if let Some(echo) = echo {
            ui.label("");
            ui.label(RichText::new(trf(lang, Key::ReadsAs, &[("value", &echo)])).small());
            ui.end_row();
        }
        // A refusal goes on its own line under the field, wrapped, so the panel keeps its width.
        if let Some(problem) = self.errors.get(&field.key) {
            let m = trf(lang, Key::NotStored, &[("problem", &problem.message(lang))]);
            ui.label("");
            ui.add(egui::Label::new(RichText::new(m).color(Color32::from_rgb(220, 60, 60))).wrap());
            ui.end_row();
        }
    }
}

/// What was typed into a text, number or date field, read by the schema's rules in the
/// reader's language ([`attributes::read_typed`]); a lease date is also checked against the
/// lot's other one.
fn typed(
    session: &Session,
    sel: Selection,
    field: &Field,
    text: &str,
    lang: Lang,
) -> Result<Typed, ValueProblem> {
    let typed = attributes::read_typed(field.schema.kind, text, lang)?;
    if let (Selection::Parcel(p), Some(parcels), Typed::Date(d)) =
        (sel, &session.ds.parcels, &typed)
    {
        let item = &parcels.items[p];
        attributes::lease_date(field.schema.canonical, *d, item.lease_start, item.lease_end)?;
    }
    Ok(typed)
}

/// Where and what to store for a typed value: under the feature's own name for the property
/// (or, when it has none, the name the file uses for it elsewhere, else the canonical key),
/// spelt the way the file spells the property.
fn stored(
    session: &Session,
    sel: Selection,
    field: &Field,
    typed: &Typed,
) -> (String, Option<Value>) {
    let doc = match sel {
        Selection::Zone(_) => Some(&session.ds.zones.doc),
        Selection::Parcel(_) => session.ds.parcels.as_ref().map(|p| &p.doc),
    };
    let spelling = doc
        .map(|doc| {
            attributes::spelling_of(
                doc,
                sel.layer(),
                field.schema.kind,
                field.schema.canonical,
                sel.index(),
            )
        })
        .unwrap_or_default();
    let key = match (&field.value, &spelling.name) {
        (None, Some(name)) => name.clone(),
        _ => field.key.clone(),
    };
    let value = attributes::stored_value(typed, field.value.as_ref(), &spelling);
    (key, value)
}

/// The width of an input (with room for a unit beside it, the inspector keeps its width).
const FIELD_WIDTH: f32 = 165.0;

/// A choice list for a property; the code of the value the user picks, when it is another.
fn choose(
    ui: &mut Ui,
    sel: Selection,
    key: &str,
    label: Id,
    raw: &str,
    choices: Choices,
    lang: Lang,
) -> Option<&'static str> {
    let now = choices.parse(raw);
    let shown = match now {
        Some(code) => choice_label(lang, choices, code).to_string(),
        None if raw.trim().is_empty() => tr(lang, Key::NotSet).to_string(),
        None => raw.to_string(),
    };
    let mut picked = now;
    let inner = ComboBox::from_id_salt(("inspector_combo", sel, key))
        .selected_text(shown)
        .width(FIELD_WIDTH)
        .show_ui(ui, |ui| {
            for &code in choices.codes() {
                ui.selectable_value(&mut picked, Some(code), choice_label(lang, choices, code));
            }
        });
    inner.response.labelled_by(label);
    picked.filter(|p| Some(*p) != now)
}

/// On a shared board: the selected feature's history, newest first.
fn board_history(ui: &mut Ui, session: &Session, view: &ViewState, sel: Selection) {
    let Some(shared) = &session.shared else {
        return;
    };
    let lang = view.lang;
    ui.add_space(6.0);
    ui.label(RichText::new(tr(lang, Key::HistoryHeading)).strong());
    let row = shared.rows(sel.layer()).get(sel.index());
    let history = view
        .history
        .as_ref()
        .filter(|h| row.is_some_and(|r| (h.layer, h.fid) == (sel.layer(), r.fid)));
    let entries = match (row, history.and_then(|h| h.entries.as_ref())) {
        // Not in the board yet (drawn in this window, being sent).
        (None, _) => {
            ui.label(RichText::new(tr(lang, Key::HistoryNotYet)).weak());
            return;
        }
        (Some(_), None) => {
            ui.label(RichText::new(tr(lang, Key::HistoryReading)).weak());
            return;
        }
        (Some(_), Some(Err(e))) => {
            ui.label(trf(lang, Key::HistoryFailed, &[("error", e)]));
            return;
        }
        (Some(_), Some(Ok(entries))) => entries,
    };
    if entries.is_empty() {
        ui.label(RichText::new(tr(lang, Key::HistoryEmpty)).weak());
        return;
    }
    Grid::new(("board_history", sel))
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for e in entries.iter().rev() {
                ui.label(
                    RichText::new(board_time(&e.changed_at, lang))
                        .small()
                        .weak(),
                );
                ui.add(egui::Label::new(history_line(e, lang)).wrap());
                ui.end_row();
            }
        });
}

/// A property as the inspector names it, in a sentence ("phase" → "giai đoạn"); a property
/// the app has no label for, as the file names it.
fn property_words(layer: &str, key: &str, lang: Lang) -> String {
    use crate::engine::properties::{PARCEL_KEYS, ZONE_KEYS, canonical_key};
    let specs = if layer == "zones" {
        ZONE_KEYS
    } else {
        PARCEL_KEYS
    };
    let label = canonical_key(specs, key)
        .map(|c| crate::i18n::keys::field_label(lang, c))
        .filter(|l| !l.is_empty());
    match label {
        Some(l) => {
            let mut chars = l.chars();
            chars
                .next()
                .map(|first| first.to_lowercase().chain(chars).collect())
                .unwrap_or_default()
        }
        None => key.to_string(),
    }
}

/// One change in words: "lan set tenant to Công ty A (was not set)".
fn history_line(e: &crate::engine::store::history::Entry, lang: Lang) -> String {
    let who = e.changed_by.as_str();
    let value = |v: Option<&Value>| match v {
        None | Some(Value::Null) => tr(lang, Key::NotSet).to_string(),
        Some(v) => value_text(v),
    };
    let key = property_words(
        &e.layer,
        e.op.get("key").and_then(Value::as_str).unwrap_or_default(),
        lang,
    );
    let op = e.op.get("op").and_then(Value::as_str).unwrap_or_default();
    let (template, args): (Key, Vec<(&str, String)>) = match op {
        "set" => (
            Key::HistorySet,
            vec![
                ("key", key.clone()),
                ("value", value(e.op.get("value"))),
                ("from", value(e.op.get("from"))),
            ],
        ),
        "unset" => (
            Key::HistoryUnset,
            vec![("key", key), ("from", value(e.op.get("from")))],
        ),
        "reshape" => (Key::HistoryReshape, Vec::new()),
        "insert" | "restore" => (Key::HistoryInsert, Vec::new()),
        "delete" => (Key::HistoryDelete, Vec::new()),
        other => (Key::HistoryOther, vec![("op", other.to_string())]),
    };
    let mut all: Vec<(&str, &str)> = vec![("who", who)];
    all.extend(args.iter().map(|(k, v)| (*k, v.as_str())));
    trf(lang, template, &all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(layer: &str, op: Value) -> crate::engine::store::history::Entry {
        crate::engine::store::history::Entry {
            seq: 1,
            layer: layer.into(),
            fid: 0,
            id: Some("A-01".into()),
            op,
            inverse: Value::Null,
            version: 2,
            changed_by: "lan".into(),
            changed_at: "2026-12-08T01:02:03Z".into(),
        }
    }

    #[test]
    fn a_history_line_names_the_property_as_the_inspector_does() {
        let phase = entry(
            "zones",
            json!({"op": "set", "key": "phase", "value": "Giai đoạn 5", "from": "Giai đoạn 4"}),
        );
        let vi = history_line(&phase, Lang::Vi);
        assert!(vi.starts_with("lan đặt giai đoạn thành"), "{vi}");
        assert!(!vi.contains("phase"), "{vi}");
        let en = history_line(&phase, Lang::En);
        assert!(en.starts_with("lan set phase to"), "{en}");
        // An alias (ma_lo → parcel_id) reads as its label; a property with none, as written.
        let alias = entry(
            "parcels",
            json!({"op": "unset", "key": "ma_lo", "from": "A-01"}),
        );
        assert!(history_line(&alias, Lang::En).contains("parcel id"));
        let own = entry(
            "parcels",
            json!({"op": "set", "key": "mau_son", "value": "xanh"}),
        );
        assert!(history_line(&own, Lang::En).contains("mau_son"));
    }
}
