//! The view: how the session is looked at. The selection (one for the map, the table and the
//! inspector), the hovered feature, the language, the status line, the date the figures are
//! shown as of, presentation mode, and what is derived for the eyes (the findings, the figures
//! on a date, computed on other threads: see [`super::background`]). Nothing here is saved or
//! recovered.
//!
//! It looks down at the [`Session`]: the figures as shown are the session's, or those on
//! [`ViewState::as_of`].

use std::sync::Arc;

use crate::engine::as_of::AsOf;
use crate::engine::dataset::Dataset;
use crate::engine::figures::{Totals, ZoneFigures};
use crate::engine::findings::Finding;
use crate::engine::model::LayerKind;
use crate::engine::properties::{Date, ParcelStatus, ZoneStatus};
use crate::i18n::Lang;

use super::background::Job;
use super::session::Session;

/// What is selected (or hovered): a zone or a parcel, by position in its layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Selection {
    Zone(usize),
    Parcel(usize),
}

impl Selection {
    pub fn layer(self) -> LayerKind {
        match self {
            Self::Zone(_) => LayerKind::Zones,
            Self::Parcel(_) => LayerKind::Parcels,
        }
    }

    pub fn index(self) -> usize {
        match self {
            Self::Zone(i) | Self::Parcel(i) => i,
        }
    }

    pub fn of(layer: LayerKind, index: usize) -> Self {
        match layer {
            LayerKind::Zones => Self::Zone(index),
            LayerKind::Parcels => Self::Parcel(index),
        }
    }

    /// Whether it still names a feature of `ds` (after new data, or a deletion, it may not).
    pub fn is_in(self, ds: &Dataset) -> bool {
        match self {
            Selection::Zone(z) => z < ds.zones.len() && ds.zones.is_live(z),
            Selection::Parcel(p) => ds
                .parcels
                .as_ref()
                .is_some_and(|ps| p < ps.len() && ps.is_live(p)),
        }
    }

    /// A short title: a zone's name, a parcel's id.
    pub fn title(self, ds: &Dataset) -> String {
        match self {
            Selection::Zone(z) => ds.zones.items[z].name.clone(),
            Selection::Parcel(p) => ds
                .parcels
                .as_ref()
                .map(|ps| ps.items[p].id.clone())
                .unwrap_or_default(),
        }
    }
}

/// A line for the status bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

/// A shared board's history of the selected feature's row, read on another thread.
#[derive(Clone, Debug, PartialEq)]
pub struct RowHistory {
    pub layer: LayerKind,
    pub fid: i64,
    /// The row's version it was asked at: a newer one asks again.
    pub version: u64,
    /// `None` while it is being read; the board's refusal in words.
    pub entries: Option<Result<Vec<crate::engine::store::history::Entry>, String>>,
}

/// What figures on a date are computed for: the session generation and the date.
type AsOfKey = (u64, Date);

/// What findings are computed for: the session generation and the date (`None`: today).
type FindingsKey = (u64, Option<Date>);

/// How the session is looked at.
#[derive(Clone)]
pub struct ViewState {
    pub lang: Lang,
    pub selection: Option<Selection>,
    /// Lots added to the selection with Shift+click (to merge or delete them together).
    pub also_selected: Vec<Selection>,
    /// The feature under the pointer, as the map last reported it.
    pub hover: Option<Selection>,
    pub message: Option<Message>,
    /// Show the data as it stood on this date (see [`crate::engine::as_of`]); `None`: today.
    /// The figures on it are computed off the window's thread: until they arrive the last
    /// ones are shown, and said to be for their own date ([`Self::shown_as_of`]).
    pub as_of: Option<Date>,
    /// Presentation mode: full screen, the map with its legend and the key figures only.
    pub presenting: bool,
    /// The engine's findings (errors first), for the session generation and the date they
    /// are as of (`None`: today).
    findings: Job<FindingsKey, Vec<Finding>>,
    /// The zone figures on a date, for the session generation and the date.
    as_of_figures: Job<AsOfKey, Vec<ZoneFigures>>,
    /// The lease dates' range (the date control's), for the session generation.
    lease_range: Job<u64, Option<(Date, Date)>>,
    /// On a shared board: the selected feature's history.
    pub history: Option<RowHistory>,
}

impl Default for ViewState {
    fn default() -> Self {
        ViewState {
            lang: Lang::En,
            selection: None,
            also_selected: Vec::new(),
            hover: None,
            message: None,
            as_of: None,
            presenting: false,
            findings: Job::default(),
            as_of_figures: Job::default(),
            lease_range: Job::default(),
            history: None,
        }
    }
}

/// What the figures on screen are: changes whenever a figure shown may have changed (an edit,
/// a load, the date, figures on a date arriving). Caches of what is drawn from the figures key
/// on it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FiguresStamp {
    generation: u64,
    as_of: Option<AsOfKey>,
}

impl ViewState {
    /// New data is open: nothing of the old is selected, found or dated, and what was being
    /// derived from it is dropped.
    pub fn forget_data(&mut self) {
        self.selection = None;
        self.also_selected.clear();
        self.hover = None;
        self.as_of = None;
        self.findings.forget();
        self.as_of_figures.forget();
        self.lease_range.forget();
        self.history = None;
    }

    pub fn info(&mut self, text: String) {
        self.message = Some(Message { text, error: false });
    }

    pub fn error(&mut self, text: String) {
        self.message = Some(Message { text, error: true });
    }

    /// Brings what is derived from the session towards its present state (once a frame,
    /// before drawing): the lease dates' range and the figures on [`Self::as_of`] are computed
    /// on other threads from a copy of the data; `ctx` is woken when they arrive.
    pub fn refresh(&mut self, session: &Session, ctx: &egui::Context) {
        let generation = session.generation;
        self.lease_range.want(generation, ctx, || {
            let ds = session.ds.clone();
            move || crate::engine::as_of::lease_range(&ds)
        });
        if let Some(d) = self.as_of {
            self.as_of_figures.want((generation, d), ctx, || {
                let ds = session.ds.clone();
                move || crate::engine::as_of::figures_on(&ds, d)
            });
        }
    }

    /// The first and last lease dates of the lots (`None`: no lot has one, or not known yet).
    pub fn lease_range(&self) -> Option<(Date, Date)> {
        self.lease_range.latest().and_then(|(_, r)| **r)
    }

    /// The figures on a date shown: the last computed, whatever their date and generation
    /// (`None` without [`Self::as_of`], or before the first arrive).
    fn as_of_shown(&self) -> Option<(&AsOfKey, &Arc<Vec<ZoneFigures>>)> {
        self.as_of.and(self.as_of_figures.latest())
    }

    /// The zone figures shown: today's (always those of the data as it is now), or the last
    /// computed on a date when [`Self::as_of`] is set (today's until the first arrive).
    pub fn figures<'a>(&'a self, session: &'a Session) -> &'a [ZoneFigures] {
        match self.as_of_shown() {
            Some((_, f)) => f,
            None => &session.ds.figures,
        }
    }

    /// The date the figures shown are for (`None`: today). It differs from [`Self::as_of`]
    /// while the figures on a newly chosen date are being computed.
    pub fn shown_as_of(&self) -> Option<Date> {
        self.as_of_shown().map(|((_, d), _)| *d)
    }

    /// Whether the figures shown are not yet those of [`Self::as_of`] for the data as it is
    /// now (computing: the window says so).
    pub fn figures_updating(&self, session: &Session) -> bool {
        self.as_of
            .is_some_and(|d| !self.as_of_figures.is_current(&(session.generation, d)))
    }

    /// See [`FiguresStamp`].
    pub fn figures_stamp(&self, session: &Session) -> FiguresStamp {
        FiguresStamp {
            generation: session.generation,
            as_of: self.as_of_shown().map(|(k, _)| *k),
        }
    }

    /// A parcel's status as shown (on [`Self::shown_as_of`] when set).
    pub fn parcel_status(&self, session: &Session, p: usize) -> Option<ParcelStatus> {
        let item = session.ds.parcels.as_ref()?.items.get(p)?;
        Some(match self.shown_as_of() {
            Some(d) => crate::engine::as_of::status_on(item, d),
            None => item.status,
        })
    }

    /// Ratios of sums over the zones for which `keep` holds, from the figures shown.
    pub fn totals(&self, session: &Session, keep: impl Fn(usize) -> bool) -> Totals {
        let figures = self.figures(session);
        let zones = &session.ds.zones;
        Totals::of(
            zones
                .live()
                .filter(|z| keep(*z))
                .map(|z| (&zones.items[z], &figures[z])),
        )
    }

    pub fn totals_all(&self, session: &Session) -> Totals {
        self.totals(session, |_| true)
    }

    pub fn totals_operating(&self, session: &Session) -> Totals {
        let zones = &session.ds.zones.items;
        self.totals(session, |z| zones[z].status == Some(ZoneStatus::Operating))
    }

    /// Per province, in order of first appearance; zones without a province under "".
    pub fn totals_by_province(&self, session: &Session) -> Vec<(String, Totals)> {
        let zones = &session.ds.zones.items;
        let province = |z: usize| zones[z].province.as_deref().unwrap_or("");
        let mut names: Vec<&str> = Vec::new();
        for z in session.ds.zones.live() {
            if !names.contains(&province(z)) {
                names.push(province(z));
            }
        }
        names
            .into_iter()
            .map(|name| {
                let totals = self.totals(session, |z| province(z) == name);
                (name.to_string(), totals)
            })
            .collect()
    }

    /// The findings for the panel, as of the date shown (today's by the local clock, or those
    /// of [`Self::as_of`], with the figures of that date): the last computed (errors first),
    /// and whether they are for the data and the date as they are now. New ones are computed
    /// on another thread after every change; `ctx` is woken when they arrive.
    pub fn findings_for_panel(
        &mut self,
        session: &Session,
        ctx: &egui::Context,
    ) -> (Arc<Vec<Finding>>, bool) {
        let key = (session.generation, self.as_of);
        let figures = self.as_of_figures_for(session);
        self.findings.want(key, ctx, || {
            let ds = session.ds.clone();
            let today = crate::clock::today();
            move || sorted_findings(&ds, key.1, figures.as_deref(), today)
        });
        let list = self
            .findings
            .latest()
            .map_or_else(Arc::default, |(_, f)| f.clone());
        (list, self.findings.is_current(&key))
    }

    /// The findings as of the date shown for the data as it is now, computed on this thread
    /// if they are not yet (for an export, which must be complete).
    pub fn findings(&mut self, session: &Session) -> Arc<Vec<Finding>> {
        let key = (session.generation, self.as_of);
        let figures = self.as_of_figures_for(session);
        self.findings.compute_now(key, || {
            sorted_findings(
                &session.ds,
                key.1,
                figures.as_deref(),
                crate::clock::today(),
            )
        })
    }

    /// The figures on [`Self::as_of`] when they are there for the data as it is now.
    fn as_of_figures_for(&self, session: &Session) -> Option<Arc<Vec<ZoneFigures>>> {
        let key = (session.generation, self.as_of?);
        self.as_of_figures
            .latest()
            .filter(|(k, _)| **k == key)
            .map(|(_, f)| f.clone())
    }

    /// Computes the figures on [`Self::as_of`] for the data as it is now on this thread, if
    /// they are not yet (for a slide, which must show the date chosen).
    pub fn settle(&mut self, session: &Session) {
        if let Some(d) = self.as_of {
            self.as_of_figures.compute_now((session.generation, d), || {
                crate::engine::as_of::figures_on(&session.ds, d)
            });
        }
    }

    /// Whether something is being computed on another thread.
    pub fn is_busy(&self) -> bool {
        self.findings.is_running()
            || self.as_of_figures.is_running()
            || self.lease_range.is_running()
    }

    /// Waits for what is being computed on other threads, and takes it (tests).
    pub fn wait_for_background(&mut self) {
        self.findings.wait();
        self.as_of_figures.wait();
        self.lease_range.wait();
    }
}

/// The engine's findings as of `as_of` (`None`: `today`), errors first (the engine's order
/// within each severity); with the figures on `as_of` when they are already there.
fn sorted_findings(
    ds: &Dataset,
    as_of: Option<Date>,
    figures: Option<&Vec<ZoneFigures>>,
    today: Date,
) -> Vec<Finding> {
    let mut list = match (as_of, figures) {
        (Some(d), Some(figures)) => crate::engine::checks::findings(ds, figures, AsOf::On(d)),
        (Some(d), None) => ds.findings(AsOf::On(d)),
        (None, _) => ds.findings(AsOf::Today(today)),
    };
    list.sort_by_key(|f| f.severity());
    list
}

/// A time as a shared board gives it ("2026-12-08T01:02:03Z", UTC) as the reader's local
/// date and time ("08/12/2026 08:02"); the text as it is when it is not one.
pub fn board_time(utc: &str, lang: Lang) -> String {
    let num = |r: std::ops::Range<usize>| utc.get(r).and_then(|s| s.parse::<i64>().ok());
    let parts = (
        num(0..4),
        num(5..7),
        num(8..10),
        num(11..13),
        num(14..16),
        num(17..19),
    );
    let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(s)) = parts else {
        return utc.to_string();
    };
    let day = crate::engine::properties::Date::from_ymd(y as i32, mo as u32, d as u32);
    let Some(day) = day else {
        return utc.to_string();
    };
    let secs = i64::from(day.0) * 86_400 + h * 3600 + mi * 60 + s;
    let Ok(secs) = u64::try_from(secs) else {
        return utc.to_string();
    };
    let (day, hour, minute) = crate::clock::local_time(secs);
    format!("{} {hour:02}:{minute:02}", crate::i18n::fmt_date(day, lang))
}
