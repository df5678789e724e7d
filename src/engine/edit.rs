//! Edits: the one model of a change to the data. An [`Op`] sets or removes a property,
//! replaces a geometry, inserts, deletes or restores a feature; applying one
//! ([`Dataset::apply`]) makes the change, brings every figure, index and finding up to date for
//! the features it touches, and returns its inverse. Undo applies the inverse (and keeps what
//! that returns for redo); the recovery journal and `zoneatlas apply` are lists of the same
//! operations ([`super::script`]).
//!
//! A feature is named by its number in its layer ([`Document`](super::geojson::Document)): the
//! file's features by their position in the file, inserted ones after them. A number never
//! changes and is never reused, so an operation recorded after others still names the same
//! feature when replayed on the file as read.

use serde_json::Value;
use std::sync::Arc;

use super::dataset::{Dataset, ZoneBefore};
use super::geojson::{Added, Container, Document};
use super::model::LayerKind;

/// One change to the data.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// Sets (`Some`) or removes (`None`) property `key` of a feature.
    Set {
        layer: LayerKind,
        feature: usize,
        key: String,
        value: Option<Value>,
    },
    /// Replaces a feature's geometry with this JSON text, as it will be written (the file's
    /// coordinate system and style); `None` gives it back the file's own.
    Geometry {
        layer: LayerKind,
        feature: usize,
        geometry: Option<Arc<str>>,
    },
    /// Inserts a feature (its JSON text, as it will be written) after all others.
    Insert { layer: LayerKind, feature: Arc<str> },
    /// Deletes a feature. It keeps its number: restoring it gives it back in its place.
    Delete { layer: LayerKind, feature: usize },
    /// Gives a deleted feature back (how a deletion is undone).
    Restore { layer: LayerKind, feature: usize },
}

impl Op {
    pub fn layer(&self) -> LayerKind {
        match self {
            Op::Set { layer, .. }
            | Op::Geometry { layer, .. }
            | Op::Insert { layer, .. }
            | Op::Delete { layer, .. }
            | Op::Restore { layer, .. } => *layer,
        }
    }
}

/// Why an operation cannot apply (put into words by the catalogue).
#[derive(Clone, Debug, PartialEq)]
pub enum EditProblem {
    /// The data has no parcels file.
    NoParcels,
    /// No feature has this number.
    NoSuchFeature { layer: LayerKind, feature: usize },
    /// The feature was deleted.
    Deleted { layer: LayerKind, feature: usize },
    /// Restoring a feature that is there.
    NotDeleted { layer: LayerKind, feature: usize },
    /// The file is one Feature, not a collection: nothing can be inserted or deleted.
    SingleFeature { layer: LayerKind },
    /// The text to insert is not a GeoJSON Feature object.
    NotAFeature,
}

impl Dataset {
    /// Makes one change; returns its inverse (applying which undoes it). Every figure,
    /// index and finding follows, for the features it touches only.
    pub fn apply(&mut self, op: &Op) -> Result<Op, EditProblem> {
        let layer = op.layer();
        let doc = self.document(layer)?;
        let container = doc.container;
        match op {
            Op::Set {
                feature,
                key,
                value,
                ..
            } => {
                live(doc, layer, *feature)?;
                let before = match layer {
                    LayerKind::Zones => self.set_zone_property(*feature, key, value.clone()),
                    LayerKind::Parcels => self.set_parcel_property(*feature, key, value.clone()),
                };
                Ok(Op::Set {
                    layer,
                    feature: *feature,
                    key: key.clone(),
                    value: before,
                })
            }
            Op::Geometry {
                feature, geometry, ..
            } => {
                live(doc, layer, *feature)?;
                let before = self.zone_before(layer, *feature);
                let lot = match layer {
                    LayerKind::Parcels => self.lot_before(*feature),
                    LayerKind::Zones => (None, None),
                };
                let previous = self
                    .document_mut(layer)?
                    .set_geometry(*feature, geometry.clone());
                self.feature_changed(layer, *feature, true, before);
                if layer == LayerKind::Parcels {
                    self.lot_changed_gaps(*feature, lot.0, lot.1);
                }
                Ok(Op::Geometry {
                    layer,
                    feature: *feature,
                    geometry: previous,
                })
            }
            Op::Insert { feature, .. } => {
                if container == Container::SingleFeature {
                    return Err(EditProblem::SingleFeature { layer });
                }
                let added = Added::parse(feature.clone()).ok_or(EditProblem::NotAFeature)?;
                let i = self.document_mut(layer)?.insert(added);
                self.feature_changed(layer, i, false, None);
                if layer == LayerKind::Parcels {
                    self.lot_changed_gaps(i, None, None);
                }
                Ok(Op::Delete { layer, feature: i })
            }
            Op::Delete { feature, .. } | Op::Restore { feature, .. } => {
                let restore = matches!(op, Op::Restore { .. });
                if container == Container::SingleFeature {
                    return Err(EditProblem::SingleFeature { layer });
                }
                if *feature >= doc.len() {
                    return Err(EditProblem::NoSuchFeature {
                        layer,
                        feature: *feature,
                    });
                }
                match (restore, doc.is_deleted(*feature)) {
                    (false, true) => {
                        return Err(EditProblem::Deleted {
                            layer,
                            feature: *feature,
                        });
                    }
                    (true, false) => {
                        return Err(EditProblem::NotDeleted {
                            layer,
                            feature: *feature,
                        });
                    }
                    _ => {}
                }
                let before = self.zone_before(layer, *feature);
                let lot_bbox = match layer {
                    LayerKind::Parcels => self.lot_before(*feature).1,
                    LayerKind::Zones => None,
                };
                self.document_mut(layer)?.set_present(*feature, restore);
                self.feature_changed(layer, *feature, !restore, before);
                self.renumber_after(layer, *feature);
                if layer == LayerKind::Parcels {
                    self.lot_changed_gaps(*feature, None, lot_bbox);
                }
                Ok(if restore {
                    Op::Delete {
                        layer,
                        feature: *feature,
                    }
                } else {
                    Op::Restore {
                        layer,
                        feature: *feature,
                    }
                })
            }
        }
    }

    /// Makes every change in order, each on the result of the last; returns their inverses
    /// in the order that undoes them (the last first). When one cannot apply, those made are
    /// undone and the data is as it was: the error gives the failing operation's position
    /// (from 0) and why.
    pub fn apply_all(&mut self, ops: &[Op]) -> Result<Vec<Op>, (usize, EditProblem)> {
        let mut inverses = Vec::with_capacity(ops.len());
        for (k, op) in ops.iter().enumerate() {
            match self.apply(op) {
                Ok(inverse) => inverses.push(inverse),
                Err(e) => {
                    self.undo_all(inverses);
                    return Err((k, e));
                }
            }
        }
        inverses.reverse();
        Ok(inverses)
    }

    /// Applies inverses made by [`Dataset::apply`], the last made first.
    fn undo_all(&mut self, mut inverses: Vec<Op>) {
        while let Some(inverse) = inverses.pop() {
            // An inverse applies to the state its operation left, which is what it finds here.
            let _ = self.apply(&inverse);
        }
    }

    fn document(&self, layer: LayerKind) -> Result<&Document, EditProblem> {
        match layer {
            LayerKind::Zones => Ok(&self.zones.doc),
            LayerKind::Parcels => self
                .parcels
                .as_ref()
                .map(|p| &p.doc)
                .ok_or(EditProblem::NoParcels),
        }
    }

    fn document_mut(&mut self, layer: LayerKind) -> Result<&mut Document, EditProblem> {
        match layer {
            LayerKind::Zones => Ok(&mut self.zones.doc),
            LayerKind::Parcels => self
                .parcels
                .as_mut()
                .map(|p| &mut p.doc)
                .ok_or(EditProblem::NoParcels),
        }
    }

    /// A zone's id, box and shape before a change to it (for the lots that may move).
    fn zone_before(&self, layer: LayerKind, z: usize) -> Option<ZoneBefore> {
        (layer == LayerKind::Zones && self.zones.is_live(z)).then(|| ZoneBefore {
            id: self.zones.items[z].id.clone(),
            bbox: self.zones.shapes[z].bbox(),
            shape: self.zones.shapes[z].geometry().cloned(),
        })
    }

    fn feature_changed(
        &mut self,
        layer: LayerKind,
        i: usize,
        was_live: bool,
        zone_before: Option<ZoneBefore>,
    ) {
        match layer {
            LayerKind::Zones => self.zone_changed(i, zone_before),
            LayerKind::Parcels => self.parcel_changed(i, was_live),
        }
    }
}

impl Dataset {
    /// Deleting or restoring feature `i` moves the features after it by one place in the
    /// file: those known by their number (`#N`) are renamed, as reading the saved file would
    /// name them.
    fn renumber_after(&mut self, layer: LayerKind, i: usize) {
        match layer {
            LayerKind::Zones => {
                let zs = self.zones.numbered_after(i);
                if !zs.is_empty() {
                    self.reread_zones(&zs);
                }
            }
            LayerKind::Parcels => {
                let ps = match &self.parcels {
                    Some(parcels) => parcels.numbered_after(i),
                    None => return,
                };
                if !ps.is_empty() {
                    self.renumber_lots(&ps);
                }
            }
        }
    }
}

/// `Ok` when feature `i` is there to be edited.
fn live(doc: &Document, layer: LayerKind, i: usize) -> Result<(), EditProblem> {
    if i >= doc.len() {
        Err(EditProblem::NoSuchFeature { layer, feature: i })
    } else if doc.is_deleted(i) {
        Err(EditProblem::Deleted { layer, feature: i })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::as_of::AsOf;
    use crate::engine::export::render;
    use crate::engine::geometry::parse_geometry;
    use crate::engine::properties::Date;
    use crate::engine::test_data::{dataset_of, square, three_zones};
    use geo::GeodesicArea;

    const LEASED: &str = r#"{"status":"leased"}"#;

    fn files(ds: &Dataset) -> (String, String) {
        (
            render(&ds.zones.doc, |_| Vec::new()),
            render(&ds.parcels.as_ref().expect("parcels").doc, |_| Vec::new()),
        )
    }

    /// What must agree between data edited in place and the edited files read afresh, with
    /// features counted among those there are (a fresh read numbers them so).
    fn live_state(ds: &Dataset) -> (Vec<String>, Vec<String>, Vec<String>) {
        let parcels = ds.parcels.as_ref().expect("parcels");
        let zone_rank = |z: usize| ds.zones.live().position(|l| l == z);
        let zones = ds
            .zones
            .live()
            .map(|z| format!("{:?} {:?}", ds.zones.items[z].id, ds.figures[z]))
            .collect();
        let lots = parcels
            .live()
            .map(|p| {
                format!(
                    "{} {:?} {:?}",
                    parcels.items[p].id,
                    ds.zone_of(p).and_then(zone_rank),
                    ds.parcel_area_ha[p]
                )
            })
            .collect();
        let mut findings: Vec<String> = ds
            .findings(AsOf::Today(Date::parse("2026-01-01").expect("date")))
            .iter()
            .map(|f| format!("{:?} {:?} {}", f.code(), f.layer, f.id))
            .collect();
        findings.sort();
        (zones, lots, findings)
    }

    fn fresh(ds: &Dataset) -> Dataset {
        let (z, p) = files(ds);
        dataset_of(&z, &p)
    }

    fn lot(props: &str, x: f64, y: f64, d: f64) -> Arc<str> {
        format!(
            r#"{{"type":"Feature","properties":{props},"geometry":{}}}"#,
            square(x, y, d)
        )
        .into()
    }

    fn geodesic_ha(x: f64, y: f64, d: f64) -> f64 {
        parse_geometry(Some(&square(x, y, d)))
            .expect("a square")
            .geodesic_area_unsigned()
            / 1e4
    }

    #[test]
    fn an_inserted_leased_lot_adds_its_geodesic_area_and_its_undo_gives_the_bytes_back() {
        let mut ds = three_zones(&[LEASED, LEASED]);
        let original = files(&ds);
        let before = ds.figures[0].measured.leased_ha;
        let insert = Op::Insert {
            layer: LayerKind::Parcels,
            feature: lot(
                r#"{"parcel_id":"N-1","status":"leased"}"#,
                106.005,
                21.005,
                0.001,
            ),
        };
        let undo = ds.apply(&insert).expect("inserts");
        assert_eq!(
            undo,
            Op::Delete {
                layer: LayerKind::Parcels,
                feature: 2
            }
        );
        let added = ds.figures[0].measured.leased_ha - before;
        let want = geodesic_ha(106.005, 21.005, 0.001);
        // Leased land is measured in an equal-area projection: 1e-8 from Karney's.
        assert!((added - want).abs() < 1e-7 * want, "{added} vs {want}");
        assert_eq!(ds.figures[0].measured.parcels_leased, 3);
        assert_eq!(live_state(&ds), live_state(&fresh(&ds)));

        let redo = ds.apply(&undo).expect("undoes");
        assert_eq!(files(&ds), original);
        assert_eq!(ds.figures[0].measured.leased_ha, before);
        assert_eq!(ds.figures[0].measured.parcels_leased, 2);
        // Redone, it is the same feature, in the same place.
        ds.apply(&redo).expect("redoes");
        assert_eq!(ds.parcels.as_ref().expect("parcels").items[2].id, "N-1");
        assert_eq!(live_state(&ds), live_state(&fresh(&ds)));
    }

    #[test]
    fn deleted_lots_leave_the_file_the_figures_and_the_findings() {
        let props: Vec<String> = (0..6)
            .map(|i| format!(r#"{{"parcel_id":"L{i}","status":"leased"}}"#))
            .collect();
        let props: Vec<&str> = props.iter().map(String::as_str).collect();
        for deleted in [
            vec![0],
            vec![5],
            vec![2, 3],
            vec![0, 1, 4, 5],
            vec![0, 1, 2, 3, 4, 5],
        ] {
            let mut ds = three_zones(&props);
            let original = files(&ds);
            let mut undo = Vec::new();
            for &p in &deleted {
                undo.push(
                    ds.apply(&Op::Delete {
                        layer: LayerKind::Parcels,
                        feature: p,
                    })
                    .expect("deletes"),
                );
            }
            let (_, parcels) = files(&ds);
            let json: Value = serde_json::from_str(&parcels).expect("valid JSON");
            let ids: Vec<&str> = json["features"]
                .as_array()
                .expect("features")
                .iter()
                .filter_map(|f| f["properties"]["parcel_id"].as_str())
                .collect();
            let want: Vec<String> = (0..6)
                .filter(|i| !deleted.contains(i))
                .map(|i| format!("L{i}"))
                .collect();
            assert_eq!(ids, want, "{deleted:?}");
            let per_lot = geodesic_ha(106.0, 21.001, 0.0005);
            let left = ds.figures[0].measured.leased_ha;
            assert!(
                (left - per_lot * want.len() as f64).abs() < 1e-7 * left.max(1.0),
                "{deleted:?}: {left}"
            );
            assert_eq!(live_state(&ds), live_state(&fresh(&ds)), "{deleted:?}");
            // A deleted lot cannot be edited or deleted again.
            assert_eq!(
                ds.apply(&Op::Delete {
                    layer: LayerKind::Parcels,
                    feature: deleted[0]
                }),
                Err(EditProblem::Deleted {
                    layer: LayerKind::Parcels,
                    feature: deleted[0]
                })
            );
            for op in undo.iter().rev() {
                ds.apply(op).expect("restores");
            }
            assert_eq!(files(&ds), original, "{deleted:?}");
        }
    }

    #[test]
    fn a_reshaped_zone_lets_go_of_the_lots_it_no_longer_covers() {
        let mut ds = three_zones(&[LEASED, LEASED, LEASED]);
        let original = files(&ds);
        let before = ds.figures[0].measured.leased_ha;
        // Zone A cut to its west end: only the first lot (106.000–106.0005) stays inside.
        let smaller: Arc<str> = r#"{"type":"Polygon","coordinates":[[[106,21],[106.0008,21],[106.0008,21.01],[106,21.01],[106,21]]]}"#.into();
        let undo = ds
            .apply(&Op::Geometry {
                layer: LayerKind::Zones,
                feature: 0,
                geometry: Some(smaller),
            })
            .expect("reshapes");
        assert_eq!(ds.parcels_by_zone()[0].as_slice(), [0]);
        let one = geodesic_ha(106.0, 21.001, 0.0005);
        assert!((ds.figures[0].measured.leased_ha - one).abs() < 1e-7 * one);
        assert_eq!(live_state(&ds), live_state(&fresh(&ds)));
        ds.apply(&undo).expect("undoes");
        assert_eq!(files(&ds), original);
        assert_eq!(ds.figures[0].measured.leased_ha, before);
        assert_eq!(ds.parcels_by_zone()[0].as_slice(), [0, 1, 2]);
    }

    #[test]
    fn an_inserted_zone_takes_in_the_lots_it_covers_and_a_deleted_one_lets_them_go() {
        let zones = format!(
            r#"{{"type":"FeatureCollection","features":[
{{"type":"Feature","properties":{{"zone_id":"A","industrial_land_ha":100}},"geometry":{}}}
]}}"#,
            square(106.0, 21.0, 0.01)
        );
        let parcels = format!(
            r#"{{"type":"FeatureCollection","features":[
{{"type":"Feature","properties":{{"parcel_id":"in-A","status":"leased"}},"geometry":{}}},
{{"type":"Feature","properties":{{"parcel_id":"east","status":"leased"}},"geometry":{}}},
{{"type":"Feature","properties":{{"parcel_id":"names-B","zone_id":"B","status":"leased"}},"geometry":null}}
]}}"#,
            square(106.001, 21.001, 0.001),
            square(106.051, 21.001, 0.001)
        );
        let mut ds = dataset_of(&zones, &parcels);
        let original = files(&ds);
        assert_eq!(ds.zone_of(1), None);
        let zone_b = format!(
            r#"{{"type":"Feature","properties":{{"zone_id":"B","industrial_land_ha":50}},"geometry":{}}}"#,
            square(106.05, 21.0, 0.01)
        );
        let undo = ds
            .apply(&Op::Insert {
                layer: LayerKind::Zones,
                feature: zone_b.into(),
            })
            .expect("inserts");
        assert_eq!(ds.zone_of(1), Some(1), "by geometry");
        assert_eq!(ds.zone_of(2), Some(1), "by id");
        assert_eq!(live_state(&ds), live_state(&fresh(&ds)));
        let want = geodesic_ha(106.051, 21.001, 0.001) / 50.0 * 100.0;
        let rate = ds.figures[1].fill_rate_pct.expect("a rate");
        assert!((rate - want).abs() < 1e-7 * want, "{rate} vs {want}");

        // Deleting zone A leaves its lot in no zone.
        let undo_a = ds
            .apply(&Op::Delete {
                layer: LayerKind::Zones,
                feature: 0,
            })
            .expect("deletes");
        assert_eq!(ds.zone_of(0), None);
        assert_eq!(live_state(&ds), live_state(&fresh(&ds)));
        ds.apply(&undo_a).expect("restores");
        ds.apply(&undo).expect("undoes");
        assert_eq!(files(&ds), original);
        assert_eq!(ds.zone_of(0), Some(0));
        assert_eq!(ds.zone_of(1), None);
    }

    #[test]
    fn a_script_that_fails_leaves_the_data_as_it_was() {
        let mut ds = three_zones(&[LEASED, LEASED]);
        let original = (files(&ds), live_state(&ds));
        let ops = [
            Op::Insert {
                layer: LayerKind::Parcels,
                feature: lot(LEASED, 106.005, 21.005, 0.001),
            },
            Op::Set {
                layer: LayerKind::Parcels,
                feature: 0,
                key: "status".into(),
                value: Some(Value::from("vacant")),
            },
            Op::Delete {
                layer: LayerKind::Parcels,
                feature: 9,
            },
        ];
        assert_eq!(
            ds.apply_all(&ops),
            Err((
                2,
                EditProblem::NoSuchFeature {
                    layer: LayerKind::Parcels,
                    feature: 9
                }
            ))
        );
        // The inserted feature stays numbered (deleted), so the files and figures are as read.
        assert_eq!((files(&ds), live_state(&ds)), original);
        assert_eq!(
            ds.apply(&Op::Insert {
                layer: LayerKind::Parcels,
                feature: "[1]".into()
            }),
            Err(EditProblem::NotAFeature)
        );
    }

    #[test]
    fn a_file_of_one_feature_takes_no_insertion() {
        let zone = format!(
            r#"{{"type":"Feature","properties":{{"name":"A"}},"geometry":{}}}"#,
            square(106.0, 21.0, 0.01)
        );
        let mut ds = Dataset::new(
            Document::parse(std::path::Path::new("z.geojson"), zone.into_bytes()).expect("parses"),
            None,
        );
        let insert = Op::Insert {
            layer: LayerKind::Zones,
            feature: lot("{}", 106.0, 21.0, 0.001),
        };
        assert_eq!(
            ds.apply(&insert),
            Err(EditProblem::SingleFeature {
                layer: LayerKind::Zones
            })
        );
        assert_eq!(
            ds.apply(&Op::Delete {
                layer: LayerKind::Parcels,
                feature: 0
            }),
            Err(EditProblem::NoParcels)
        );
    }

    /// A feature without an id is known by its place in the file: deleting one before it
    /// moves it up, as reading the saved file would number it; undoing moves it back.
    #[test]
    fn features_known_by_number_follow_deletions_before_them() {
        let mut ds = three_zones(&[]);
        let ids = |ds: &Dataset| -> Vec<String> {
            ds.zones
                .live()
                .map(|z| ds.zones.items[z].id.clone())
                .collect()
        };
        assert_eq!(ids(&ds), ["#1", "#2", "#3"]);
        let inverse = ds
            .apply(&Op::Delete {
                layer: LayerKind::Zones,
                feature: 0,
            })
            .expect("deleted");
        assert_eq!(ids(&ds), ["#1", "#2"]);
        let (zones, _) = files(&ds);
        let fresh = dataset_of(&zones, r#"{"type":"FeatureCollection","features":[]}"#);
        assert_eq!(ids(&fresh), ids(&ds), "as the saved file reads");
        ds.apply(&inverse).expect("restored");
        assert_eq!(ids(&ds), ["#1", "#2", "#3"]);
    }
}
