//! The panels: views over `&mut Ui` that read the [`Session`](super::session::Session) and the
//! [`ViewState`](super::view::ViewState) and return [`Action`](super::action::Action)s (each
//! keeps only its own memory: sort order, typed text). The [`menu_bar`] and the [`status_bar`];
//! around the map, the zone table (left), the inspector (right), the findings (bottom) and the
//! notice about legacy Vietnamese text ([`legacy_text`], above the map), the planning
//! [`toolbar`] (above the map); the key figures of
//! presentation mode and the dashboard ([`dashboard`]); the map's [`layers`] (View › Layers);
//! the [`presentation`] layout.

pub mod dashboard;
pub mod findings;
pub mod inspector;
pub mod layers;
pub mod legacy_text;
pub mod menu_bar;
pub mod presentation;
pub mod status_bar;
pub mod toolbar;
pub mod zone_table;
