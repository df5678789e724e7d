//! The view: how the session is looked at. The selection (one for the map, the table and the
//! inspector), the hovered feature, the language, the status line, the date the figures are
//! shown as of, presentation mode, and the caches of what is derived for the eyes (the
//! findings, the figures on a date). Nothing here is saved or recovered.
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

use super::session::Session;

/// Above this many parcels, findings are refreshed on request after an edit (see
/// [`ViewState::findings_for_panel`]).
pub const LARGE_PARCELS: usize = 200_000;

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

    /// Whether it still names a feature of `ds` (after new data it may not).
    pub fn is_in(self, ds: &Dataset) -> bool {
        match self {
            Selection::Zone(z) => z < ds.zones.len(),
            Selection::Parcel(p) => ds.parcels.as_ref().is_some_and(|ps| p < ps.len()),
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

/// How the session is looked at.
#[derive(Clone)]
pub struct ViewState {
    pub lang: Lang,
    pub selection: Option<Selection>,
    /// The feature under the pointer, as the map last reported it.
    pub hover: Option<Selection>,
    pub message: Option<Message>,
    /// Show the data as it stood on this date (see [`crate::engine::as_of`]); `None`: today.
    pub as_of: Option<Date>,
    /// Presentation mode: full screen, the map with its legend and the key figures only.
    pub presenting: bool,
    /// From this many parcels on, the findings panel refreshes on request ([`LARGE_PARCELS`]).
    pub large_parcels: usize,
    /// The engine's findings, for the session generation and the as-of date they were
    /// computed at.
    findings: Option<(u64, Option<Date>, Arc<Vec<Finding>>)>,
    /// The zone figures on [`Self::as_of`], for the generation they were computed at.
    as_of_figures: Option<(u64, Date, Arc<Vec<ZoneFigures>>)>,
    /// The lease dates' range (the date control's), for the generation.
    lease_range: Option<(u64, Option<(Date, Date)>)>,
}

impl Default for ViewState {
    fn default() -> Self {
        ViewState {
            lang: Lang::En,
            selection: None,
            hover: None,
            message: None,
            as_of: None,
            presenting: false,
            large_parcels: LARGE_PARCELS,
            findings: None,
            as_of_figures: None,
            lease_range: None,
        }
    }
}

impl ViewState {
    /// New data is open: nothing of the old is selected, found or dated.
    pub fn forget_data(&mut self) {
        self.selection = None;
        self.hover = None;
        self.findings = None;
        self.as_of = None;
        self.as_of_figures = None;
    }

    pub fn info(&mut self, text: String) {
        self.message = Some(Message { text, error: false });
    }

    pub fn error(&mut self, text: String) {
        self.message = Some(Message { text, error: true });
    }

    /// Brings what is derived from the session up to date (once a frame, before drawing):
    /// the figures on [`Self::as_of`] and the lease dates' range.
    pub fn refresh(&mut self, session: &Session) {
        let generation = session.generation;
        if !matches!(self.lease_range, Some((g, _)) if g == generation) {
            let r = crate::engine::as_of::lease_range(&session.ds);
            self.lease_range = Some((generation, r));
        }
        let Some(d) = self.as_of else { return };
        if matches!(&self.as_of_figures, Some((g, fd, _)) if *g == generation && *fd == d) {
            return;
        }
        let f = crate::engine::as_of::figures_on(&session.ds, d);
        self.as_of_figures = Some((generation, d, Arc::new(f)));
    }

    /// The first and last lease dates of the lots (`None`: no lot has one), as of the last
    /// [`Self::refresh`].
    pub fn lease_range(&self) -> Option<(Date, Date)> {
        self.lease_range.and_then(|(_, r)| r)
    }

    /// The zone figures shown: today's, or those on [`Self::as_of`].
    pub fn figures<'a>(&'a self, session: &'a Session) -> &'a [ZoneFigures] {
        match (self.as_of, &self.as_of_figures) {
            (Some(d), Some((g, fd, f))) if *g == session.generation && *fd == d => f,
            _ => &session.ds.figures,
        }
    }

    /// Changes whenever a figure shown may have changed (an edit, a load, the date).
    pub fn figures_stamp(&self, session: &Session) -> u64 {
        let date = self.as_of.map_or(0, |d| u64::from(d.0 as u32) + 1);
        (session.generation << 33) ^ date
    }

    /// A parcel's status as shown (on [`Self::as_of`] when set).
    pub fn parcel_status(&self, session: &Session, p: usize) -> Option<ParcelStatus> {
        let item = session.ds.parcels.as_ref()?.items.get(p)?;
        Some(match self.as_of {
            Some(d) => crate::engine::as_of::status_on(item, d),
            None => item.status,
        })
    }

    /// Ratios of sums over the zones for which `keep` holds, from the figures shown.
    pub fn totals(&self, session: &Session, keep: impl Fn(usize) -> bool) -> Totals {
        let figures = self.figures(session);
        let zones = &session.ds.zones;
        Totals::of(
            (0..zones.len())
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
        for z in 0..zones.len() {
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

    /// The findings for the panel: recomputed after a change when that is cheap; on very large
    /// data (where the engine takes about a second for a million lots) the last list is kept
    /// and `true` says it may be out of date, until [`Self::findings`] is asked for.
    pub fn findings_for_panel(&mut self, session: &Session) -> (Arc<Vec<Finding>>, bool) {
        let parcels = session.ds.parcels.as_ref().map_or(0, |p| p.len());
        match &self.findings {
            Some((g, d, f))
                if (*g, *d) != (session.generation, self.as_of) && parcels > self.large_parcels =>
            {
                (f.clone(), true)
            }
            _ => (self.findings(session), false),
        }
    }

    /// The engine's findings as of the date shown (today's by the local clock, or those of
    /// [`Self::as_of`], with the figures of that date), computed once per change.
    pub fn findings(&mut self, session: &Session) -> Arc<Vec<Finding>> {
        let generation = session.generation;
        match &self.findings {
            Some((g, d, f)) if (*g, *d) == (generation, self.as_of) => f.clone(),
            _ => {
                let ds = &session.ds;
                let mut list = match (self.as_of, &self.as_of_figures) {
                    (Some(d), Some((g, fd, figures))) if *g == generation && *fd == d => {
                        crate::engine::checks::findings(ds, figures, AsOf::On(d))
                    }
                    (Some(d), _) => ds.findings(AsOf::On(d)),
                    (None, _) => ds.findings(AsOf::Today(crate::clock::today())),
                };
                // Errors first; the engine's order within each severity.
                list.sort_by_key(|f| f.severity());
                let f = Arc::new(list);
                self.findings = Some((generation, self.as_of, f.clone()));
                f
            }
        }
    }
}
