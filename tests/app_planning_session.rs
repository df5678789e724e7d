//! A long randomised planning session in the whole window: corners moved (shared or not),
//! put in and taken out, lots split, merged, deleted and drawn, through the shell as the map's
//! tools ask; undo and redo from the keyboard; saves; and at random moments a "crash" check.
//!
//! After every step the figures the session keeps up to date edit by edit must equal those of
//! the data read afresh from its own text (nothing rebuilt, nothing drifted). A crash check
//! replays the recovery journal on the files as saved and must give the text on screen. At the
//! end, undoing every step since the last save and saving gives that save's files back byte
//! for byte.
//!
//! `ZONEATLAS_SESSION_SEED=n` replays another session; `ZONEATLAS_SESSION_STEPS=n` makes it
//! longer.

mod common;

use common::{Rng, copy_sample, harness};
use egui::{Key, Modifiers};
use geo::{Coord, InteriorPoint};
use std::path::Path;

use zoneatlas::app::action::{Action, EditAction};
use zoneatlas::app::dialogs::TestDialogs;
use zoneatlas::app::files::save::render_document;
use zoneatlas::app::{ZoneAtlasApp, empty_dataset};
use zoneatlas::engine::dataset::Dataset;
use zoneatlas::engine::geojson::Document;
use zoneatlas::engine::model::LayerKind;
use zoneatlas::engine::planning::{self, FeatureRef, Plan};
use zoneatlas::engine::saving::Journal;
use zoneatlas::engine::shape_edit::VertexRef;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn lot(index: usize) -> FeatureRef {
    FeatureRef {
        layer: LayerKind::Parcels,
        index,
    }
}

/// A live lot with a shape, at random.
fn some_lot(ds: &Dataset, rng: &mut Rng) -> Option<usize> {
    let p = ds.parcels.as_ref()?;
    let live: Vec<usize> = p
        .live()
        .filter(|&i| p.shapes[i].geometry().is_some())
        .collect();
    (!live.is_empty()).then(|| live[rng.below(live.len())])
}

/// A corner of the lot's first ring, at random, and its position.
fn some_corner(ds: &Dataset, i: usize, rng: &mut Rng) -> Option<(VertexRef, Coord<f64>)> {
    let shape = planning::shape_of(ds, lot(i)).ok()?;
    let ring = &shape.0.first()?.exterior().0;
    let n = ring.len().checked_sub(1)?;
    let vertex = rng.below(n);
    let v = VertexRef {
        polygon: 0,
        ring: 0,
        vertex,
    };
    Some((v, ring[vertex]))
}

/// About `m` metres in degrees at these latitudes.
fn metres(m: f64) -> f64 {
    m / 104_000.0
}

/// A map tool's change at random (`None`: none could be made up for the data).
fn random_plan(ds: &Dataset, rng: &mut Rng) -> Option<Plan> {
    let i = some_lot(ds, rng)?;
    let f = lot(i);
    Some(match rng.below(8) {
        0..=1 => {
            let (vertex, at) = some_corner(ds, i, rng)?;
            Plan::MoveVertex {
                feature: f,
                vertex,
                to: Coord {
                    x: at.x + metres(20.0) * rng.signed(),
                    y: at.y + metres(20.0) * rng.signed(),
                },
                shared: rng.below(3) > 0,
            }
        }
        2 => {
            let (edge, a) = some_corner(ds, i, rng)?;
            let ring = &planning::shape_of(ds, f).ok()?.0[0].exterior().0;
            let b = ring[edge.vertex + 1];
            Plan::InsertVertex {
                feature: f,
                edge,
                at: Coord {
                    x: (a.x + b.x) / 2.0,
                    y: (a.y + b.y) / 2.0,
                },
            }
        }
        3 => Plan::DeleteVertex {
            feature: f,
            vertex: some_corner(ds, i, rng)?.0,
        },
        4 => {
            // A straight line through a point inside, at a random angle, well past the lot;
            // now and then one a kilometre off, which must be refused.
            let shape = planning::shape_of(ds, f).ok()?;
            let mut c = shape.interior_point()?.0;
            if rng.below(4) == 0 {
                c.y += metres(1000.0);
            }
            let angle = std::f64::consts::PI * rng.signed();
            let (dx, dy) = (angle.cos() * metres(800.0), angle.sin() * metres(800.0));
            Plan::Split {
                feature: f,
                line: vec![
                    Coord {
                        x: c.x - dx,
                        y: c.y - dy,
                    },
                    Coord {
                        x: c.x + dx,
                        y: c.y + dy,
                    },
                ],
            }
        }
        5 => {
            // With a neighbour it shares an edge with, when it has one.
            let b = planning::shape_of(ds, f).ok()?;
            let bounds = geo::BoundingRect::bounding_rect(b)?;
            let other = ds
                .parcel_index()
                .within(bounds)
                .find(|&o| o != i && planning::merge(ds, LayerKind::Parcels, &[i, o]).is_ok())?;
            Plan::Merge {
                layer: LayerKind::Parcels,
                features: vec![i, other],
            }
        }
        6 => Plan::Delete { features: vec![f] },
        _ => {
            // A small lot from one of this lot's corners (snapped there, as the tool does).
            let (_, at) = some_corner(ds, i, rng)?;
            let d = metres(15.0 + 30.0 * rng.signed().abs());
            Plan::Draw {
                ring: vec![
                    at,
                    Coord {
                        x: at.x + d,
                        y: at.y,
                    },
                    Coord {
                        x: at.x + d,
                        y: at.y + d,
                    },
                    Coord {
                        x: at.x,
                        y: at.y + d,
                    },
                ],
            }
        }
    })
}

/// The data read afresh from the session's own text.
fn reread(ds: &Dataset) -> Dataset {
    let doc = |d: &Document, name: &str| {
        Document::parse(Path::new(name), render_document(d).into_bytes()).expect("reparses")
    };
    Dataset::new(
        doc(&ds.zones.doc, "zones.geojson"),
        ds.parcels.as_ref().map(|p| doc(&p.doc, "parcels.geojson")),
    )
}

/// The session's figures equal those of its text read afresh (zones are never split or
/// deleted here, so zone numbers agree).
fn check_figures(ds: &Dataset, context: &str) {
    let fresh = reread(ds);
    assert_eq!(fresh.figures.len(), ds.figures.len(), "{context}");
    for (z, (a, b)) in ds.figures.iter().zip(&fresh.figures).enumerate() {
        let close = |x: Option<f64>, y: Option<f64>| match (x, y) {
            (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(1.0),
            (x, y) => x == y,
        };
        assert!(
            close(Some(a.measured.leased_ha), Some(b.measured.leased_ha))
                && close(a.fill_rate_pct, b.fill_rate_pct),
            "{context}: zone {z}: kept {:?} / {:?}, afresh {:?} / {:?}",
            a.measured.leased_ha,
            a.fill_rate_pct,
            b.measured.leased_ha,
            b.fill_rate_pct
        );
    }
    let (t, u) = (ds.totals_all(), fresh.totals_all());
    assert!(
        (t.leased_ha - u.leased_ha).abs() <= 1e-9 * t.leased_ha.max(1.0),
        "{context}: totals {} vs {}",
        t.leased_ha,
        u.leased_ha
    );
}

#[test]
fn a_long_random_planning_session_keeps_its_figures_recovers_and_undoes_to_the_byte() {
    let seed = env_or("ZONEATLAS_SESSION_SEED", 20261207);
    let steps = env_or("ZONEATLAS_SESSION_STEPS", 160);
    let mut rng = Rng(seed | 1);
    let dir = tempfile::tempdir().expect("tempdir");
    let recovery = dir.path().join("recovery");
    let (zp, pp) = copy_sample(dir.path());
    let app = ZoneAtlasApp::new(empty_dataset(), Box::new(TestDialogs::new()))
        .with_recovery_dir(recovery.clone());
    let mut h = harness(app);
    let ctx = h.ctx.clone();
    h.state_mut().open_files(&ctx, zp.clone(), Some(pp.clone()));
    h.state_mut().wait_for_load();
    h.run();
    let (mut made, mut refused, mut saves, mut crash_checks) = (0, 0, 0, 0);

    for step in 0..steps {
        let context = format!("seed {seed}, step {step}");
        match rng.below(16) {
            0..=10 => {
                let Some(plan) = random_plan(&h.state().session.ds, &mut rng) else {
                    continue;
                };
                let before = h.state().session.history.len();
                h.state_mut()
                    .apply(&ctx, Action::Edit(EditAction::Plan(plan.clone())));
                if h.state().session.history.len() > before {
                    made += 1;
                } else {
                    refused += 1;
                    assert!(
                        h.state().view.message.as_ref().is_some_and(|m| m.error),
                        "{context}: a plan not made says why: {plan:?}"
                    );
                }
            }
            11 | 12 => {
                h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
            }
            13 => {
                h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
            }
            14 => {
                h.key_press_modifiers(Modifiers::COMMAND, Key::S);
                h.run();
                assert!(!h.state().session.history.is_dirty(), "{context}: saved");
                saves += 1;
            }
            _ => {
                h.state_mut().session.flush_journal();
                let mut on_disk = Dataset::open(&zp, Some(&pp)).expect("saved files open");
                if let Ok(bytes) = std::fs::read(Journal::path_in(&recovery)) {
                    let journal: Journal = serde_json::from_slice(&bytes).expect("journal json");
                    let skipped = journal.replay(&mut on_disk);
                    assert!(
                        skipped.is_empty(),
                        "{context}: every entry fits: {skipped:?}"
                    );
                }
                let ds = &h.state().session.ds;
                assert_eq!(
                    render_document(&on_disk.zones.doc),
                    render_document(&ds.zones.doc),
                    "{context}: recovery gives the zones on screen"
                );
                let lots = |d: &Dataset| render_document(&d.parcels.as_ref().expect("lots").doc);
                assert_eq!(
                    lots(&on_disk),
                    lots(ds),
                    "{context}: recovery gives the lots on screen"
                );
                crash_checks += 1;
            }
        }
        h.run();
        check_figures(&h.state().session.ds, &context);
    }
    assert!(
        made > 20 && refused > 0 && saves > 0 && crash_checks > 0,
        "the session covered edits ({made}), refusals ({refused}), saves ({saves}) and crash checks ({crash_checks})"
    );

    // Everything since the last save undone, then saved: that save's files, byte for byte.
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    let saved = (
        std::fs::read(&zp).expect("read"),
        std::fs::read(&pp).expect("read"),
    );
    let mut more = 0;
    for _ in 0..12 {
        if let Some(plan) = random_plan(&h.state().session.ds, &mut rng) {
            h.state_mut()
                .apply(&ctx, Action::Edit(EditAction::Plan(plan)));
            more += 1;
        }
    }
    assert!(more > 0 && h.state().session.history.is_dirty());
    while h.state().session.history.undo_label().is_some() {
        h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        h.run();
    }
    let backup = zoneatlas::engine::saving::backup_path(&pp);
    let _ = std::fs::remove_file(&backup);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert!(backup.exists(), "the lots were written again");
    assert_eq!(std::fs::read(&zp).ok(), Some(saved.0));
    assert_eq!(std::fs::read(&pp).ok(), Some(saved.1));
}
