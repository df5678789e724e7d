//! The inspector: the selected zone's or parcel's figures and attributes, each edited with a
//! widget that fits it. Invalid values are refused with a message beside the field and never
//! reach the data.

use egui::{Color32, ComboBox, Grid, Id, RichText, ScrollArea, TextEdit, Ui};
use serde_json::Value;
use std::collections::HashMap;

use crate::app::action::{Action, EditAction, ViewAction};
use crate::app::i18n::{Key, ZONE_TYPES, field_label, tr, trf, zone_type_label};
use crate::app::session::Session;
use crate::app::session::edit::Edit;
use crate::app::view::{Selection, ViewState};
use crate::engine::format::{Lang, fmt_ha, fmt_number, fmt_pct};
use crate::engine::properties::{
    Date, KeySpec, LandUse, PARCEL_KEYS, ParcelStatus, ZONE_KEYS, ZoneStatus, canonical_key,
    parse_number_text, read_bool, value_text,
};

use crate::app::i18n::{basis_words, land_use_text, parcel_status_text, zone_status_text};

/// How a property is edited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Text,
    LongText,
    /// A non-negative number with its unit.
    Number(Option<Key>),
    Date,
    ZoneStatus,
    ZoneType,
    ParcelStatus,
    LandUse,
    InvestmentType,
    Bool,
}

fn zone_kind(canonical: &str) -> Kind {
    match canonical {
        "status" => Kind::ZoneStatus,
        "zone_type" => Kind::ZoneType,
        "planned_area_ha" | "industrial_land_ha" | "service_land_ha" => {
            Kind::Number(Some(Key::UnitHa))
        }
        "wastewater_capacity_m3_day" => Kind::Number(Some(Key::UnitM3PerDay)),
        "decision_date" => Kind::Date,
        "wastewater_plant" => Kind::Bool,
        "notes" => Kind::LongText,
        _ => Kind::Text,
    }
}

/// The parcel attributes the inspector edits (DOMAIN.md), in order.
const PARCEL_FIELDS: [&str; 10] = [
    "status",
    "land_use",
    "tenant",
    "investor_country",
    "investment_type",
    "capital_musd",
    "lease_start",
    "lease_end",
    "industry",
    "employees",
];

fn parcel_kind(canonical: &str) -> Kind {
    match canonical {
        "status" => Kind::ParcelStatus,
        "land_use" => Kind::LandUse,
        "investment_type" => Kind::InvestmentType,
        "capital_musd" => Kind::Number(Some(Key::UnitMillionUsd)),
        "employees" => Kind::Number(None),
        "lease_start" | "lease_end" => Kind::Date,
        _ => Kind::Text,
    }
}

/// The inspector's own state: text being typed and refusals, for the selection and the data
/// as they were when typed.
#[derive(Default)]
pub struct Inspector {
    /// The selection and the session generation the typing and the refusals belong to.
    shown: (Option<Selection>, u64),
    buffers: HashMap<String, String>,
    errors: HashMap<String, String>,
}

/// A field being drawn: where it is stored and what it holds now.
struct Field<'a> {
    canonical: &'a str,
    /// The property name in the file (an alias, or the canonical key when absent).
    key: String,
    value: Option<Value>,
    label: String,
}

fn fields_of(
    props: &[(String, Value)],
    specs: &'static [KeySpec],
    wanted: &[&'static str],
    lang: Lang,
) -> Vec<Field<'static>> {
    wanted
        .iter()
        .map(|canonical| {
            let found = props
                .iter()
                .find(|(k, _)| canonical_key(specs, k) == Some(canonical));
            Field {
                canonical,
                key: found.map_or_else(|| canonical.to_string(), |(k, _)| k.clone()),
                value: found.map(|(_, v)| v.clone()),
                label: field_label(lang, canonical).to_string(),
            }
        })
        .collect()
}

fn is_ascii_value(v: &Option<Value>) -> bool {
    v.as_ref().and_then(Value::as_str).is_none_or(str::is_ascii)
}

/// The first letter in lower case ("Industrial land" → "industrial land").
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default()
}

/// A number written back the way the file wrote the old one (a string stays a string).
fn number_value(x: f64, like: &Option<Value>) -> Value {
    let plain = if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    };
    match like {
        Some(Value::String(_)) => Value::String(plain),
        _ if x.fract() == 0.0 && x.abs() < 1e15 => Value::from(x as i64),
        _ => Value::from(x),
    }
}

impl Inspector {
    /// Forgets typed text and refusals: the fields show the data again.
    fn reset(&mut self) {
        self.buffers.clear();
        self.errors.clear();
    }

    /// The refusal shown beside a field, if any (tests).
    pub fn error(&self, key: &str) -> Option<&str> {
        self.errors.get(key).map(String::as_str)
    }

    pub fn show(&mut self, ui: &mut Ui, session: &Session, view: &ViewState) -> Vec<Action> {
        let lang = view.lang;
        let mut actions = Vec::new();
        ui.heading(tr(lang, Key::InspectorHeading));
        let selection = view.selection.filter(|s| s.is_in(&session.ds));
        // Another selection, or the data changed (an edit, undo, new files): the typing and
        // refusals no longer belong to what is shown.
        if (selection, session.generation) != self.shown {
            self.reset();
            self.shown = (selection, session.generation);
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
        let wanted: Vec<&'static str> = ZONE_KEYS.iter().map(|s| s.canonical).collect();
        let fields = fields_of(&props, ZONE_KEYS, &wanted, lang);
        let name = item.name.clone();
        Grid::new(("zone_fields", z))
            .num_columns(2)
            .striped(true)
            .show(ui, |ui| {
                for field in &fields {
                    self.field_row(
                        ui,
                        session,
                        view,
                        Selection::Zone(z),
                        field,
                        zone_kind(field.canonical),
                        &name,
                        actions,
                    );
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
        let fields = fields_of(&props, PARCEL_KEYS, &PARCEL_FIELDS, lang);
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
                        parcel_kind(field.canonical),
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
                                .map_or(Value::String(text.clone()), |x| number_value(x, &None)),
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
        kind: Kind,
        name: &str,
        actions: &mut Vec<Action>,
    ) {
        let lang = view.lang;
        let label = ui.label(&field.label);
        let current = field.value.as_ref().map(value_text).unwrap_or_default();
        // Some(Ok(v)): store v; Some(Err(m)): refuse with m.
        let mut outcome: Option<Result<Option<Value>, String>> = None;
        let clear = || {
            if field.value.is_some() {
                Some(Value::Null)
            } else {
                None
            }
        };
        let vi = !is_ascii_value(&field.value);
        match kind {
            Kind::Text | Kind::LongText => {
                ui.horizontal(|ui| {
                    if let Some(text) = self.text_input(
                        ui,
                        sel,
                        &field.key,
                        &current,
                        label.id,
                        kind == Kind::LongText,
                    ) {
                        outcome = Some(Ok(if text.trim().is_empty() {
                            clear()
                        } else {
                            Some(Value::String(text))
                        }));
                    }
                });
            }
            Kind::Number(unit) => {
                ui.horizontal(|ui| {
                    if let Some(text) =
                        self.text_input(ui, sel, &field.key, &current, label.id, false)
                    {
                        outcome = Some(match parse_number_text(&text) {
                            Err(_) => Err(trf(lang, Key::NotANumber, &[("value", text.trim())])),
                            Ok(None) => Ok(clear()),
                            Ok(Some(x)) if x < 0.0 => Err(trf(
                                lang,
                                Key::Negative,
                                &[("value", &fmt_number(x, 2, lang))],
                            )),
                            Ok(Some(x)) => Ok(Some(number_value(x, &field.value))),
                        });
                    }
                    if let Some(unit) = unit {
                        ui.label(tr(lang, unit));
                    }
                });
            }
            Kind::Date => {
                ui.horizontal(|ui| {
                    if let Some(text) =
                        self.text_input(ui, sel, &field.key, &current, label.id, false)
                    {
                        outcome = Some(self.date_outcome(session, view, sel, field, &text));
                    }
                });
            }
            Kind::Bool => {
                let mut on = field.value.as_ref().and_then(read_bool).unwrap_or(false);
                let response = ui.checkbox(&mut on, "").labelled_by(label.id);
                if response.changed() {
                    let v = match &field.value {
                        Some(Value::String(_)) if vi => {
                            Value::from(if on { "có" } else { "không" })
                        }
                        Some(Value::String(_)) => Value::from(if on { "yes" } else { "no" }),
                        Some(Value::Number(_)) => Value::from(i64::from(on)),
                        _ => Value::Bool(on),
                    };
                    outcome = Some(Ok(Some(v)));
                }
            }
            Kind::ZoneStatus => {
                let write = |st: ZoneStatus| if vi { st.vietnamese() } else { st.code() };
                let text = |st| zone_status_text(lang, st);
                let now = ZoneStatus::parse(&current);
                if let Some(v) = choose(
                    ui,
                    sel,
                    &field.key,
                    label.id,
                    &current,
                    now,
                    &ZoneStatus::ALL,
                    text,
                    write,
                ) {
                    outcome = Some(Ok(Some(v)));
                }
            }
            Kind::ParcelStatus => {
                let write = |st: ParcelStatus| if vi { st.vietnamese() } else { st.code() };
                let text = |st| parcel_status_text(lang, st);
                let now = ParcelStatus::parse(&current);
                if let Some(v) = choose(
                    ui,
                    sel,
                    &field.key,
                    label.id,
                    &current,
                    now,
                    &ParcelStatus::ALL,
                    text,
                    write,
                ) {
                    outcome = Some(Ok(Some(v)));
                }
            }
            Kind::LandUse => {
                let write = |u: LandUse| if vi { u.vietnamese() } else { u.code() };
                let text = |u| land_use_text(lang, u);
                let now = LandUse::parse(&current);
                if let Some(v) = choose(
                    ui,
                    sel,
                    &field.key,
                    label.id,
                    &current,
                    now,
                    &LandUse::ALL,
                    text,
                    write,
                ) {
                    outcome = Some(Ok(Some(v)));
                }
            }
            Kind::ZoneType => {
                let now = ZONE_TYPES.iter().copied().find(|c| *c == current.trim());
                let text = |c| zone_type_label(lang, c);
                if let Some(v) = choose(
                    ui,
                    sel,
                    &field.key,
                    label.id,
                    &current,
                    now,
                    &ZONE_TYPES,
                    text,
                    |c| c,
                ) {
                    outcome = Some(Ok(Some(v)));
                }
            }
            Kind::InvestmentType => {
                let all = ["FDI", "DDI"];
                let now = all
                    .into_iter()
                    .find(|c| c.eq_ignore_ascii_case(current.trim()));
                if let Some(v) = choose(
                    ui,
                    sel,
                    &field.key,
                    label.id,
                    &current,
                    now,
                    &all,
                    |c| c,
                    |c| c,
                ) {
                    outcome = Some(Ok(Some(v)));
                }
            }
        }
        match outcome {
            Some(Ok(value)) => {
                self.errors.remove(&field.key);
                if value != field.value {
                    let what = trf(
                        lang,
                        Key::EditOf,
                        &[("field", &lower_first(&field.label)), ("name", name)],
                    );
                    let edit = Edit::one(sel.layer(), sel.index(), &field.key, value, what);
                    actions.push(Action::Edit(EditAction::Apply(edit)));
                }
            }
            Some(Err(message)) => {
                self.errors.insert(field.key.clone(), message);
            }
            None => {}
        }
        ui.end_row();
        // A refusal goes on its own line under the field, wrapped, so the panel keeps its width.
        if let Some(m) = self.errors.get(&field.key) {
            ui.label("");
            ui.add(egui::Label::new(RichText::new(m).color(Color32::from_rgb(220, 60, 60))).wrap());
            ui.end_row();
        }
    }

    fn date_outcome(
        &self,
        session: &Session,
        view: &ViewState,
        sel: Selection,
        field: &Field,
        text: &str,
    ) -> Result<Option<Value>, String> {
        let lang = view.lang;
        let text = text.trim();
        if text.is_empty() {
            return Ok(field.value.as_ref().map(|_| Value::Null));
        }
        let Some(d) = Date::parse(text) else {
            return Err(trf(lang, Key::NotADate, &[("value", text)]));
        };
        if let (Selection::Parcel(p), Some(parcels)) = (sel, &session.ds.parcels) {
            let item = &parcels.items[p];
            match field.canonical {
                "lease_end" => {
                    if let Some(start) = item.lease_start.filter(|s| d < *s) {
                        return Err(trf(
                            lang,
                            Key::EndBeforeStart,
                            &[("end", &d.iso()), ("start", &start.iso())],
                        ));
                    }
                }
                "lease_start" => {
                    if let Some(end) = item.lease_end.filter(|e| d > *e) {
                        return Err(trf(
                            lang,
                            Key::StartAfterEnd,
                            &[("start", &d.iso()), ("end", &end.iso())],
                        ));
                    }
                }
                _ => {}
            }
        }
        // Written the way the file writes dates: dd/mm/yyyy stays so, otherwise ISO.
        let old = field.value.as_ref().map(value_text).unwrap_or_default();
        let written = if old.contains('/') {
            let (y, m, day) = d.ymd();
            format!("{day:02}/{m:02}/{y:04}")
        } else {
            d.iso()
        };
        Ok(Some(Value::String(written)))
    }
}

/// The width of an input (with room for a unit beside it, the inspector keeps its width).
const FIELD_WIDTH: f32 = 165.0;

/// A choice list for a property; when the user picks another entry, the value to write
/// (`write` keeps the file's convention: codes or Vietnamese wording).
#[allow(clippy::too_many_arguments)]
fn choose<T: Copy + PartialEq>(
    ui: &mut Ui,
    sel: Selection,
    key: &str,
    label: Id,
    raw: &str,
    now: Option<T>,
    all: &[T],
    text: impl Fn(T) -> &'static str,
    write: impl Fn(T) -> &'static str,
) -> Option<Value> {
    let shown = match now {
        Some(v) => text(v).to_string(),
        None if raw.trim().is_empty() => tr(Lang::default(), Key::NotSet).to_string(),
        None => raw.to_string(),
    };
    let mut picked = now;
    let inner = ComboBox::from_id_salt(("inspector_combo", sel, key))
        .selected_text(shown)
        .width(FIELD_WIDTH)
        .show_ui(ui, |ui| {
            for v in all {
                ui.selectable_value(&mut picked, Some(*v), text(*v));
            }
        });
    inner.response.labelled_by(label);
    picked
        .filter(|p| Some(*p) != now)
        .map(|v| Value::from(write(v)))
}
