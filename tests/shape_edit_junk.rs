//! The geometry of planning edits on junk input: positions that are not numbers, infinite or
//! huge, repeated positions, rings of 0 to 7 positions (closed or not), holes anywhere, lines
//! of 0 or 1 positions. `split`, `merge`, `move_vertex`, `insert_vertex`, `delete_vertex`,
//! `move_shared_vertex`, `check_shape`, snapping and `share_an_edge` never panic: they return
//! a result or a problem. A new position that is not a pair of finite numbers is refused as
//! such; an edit of a valid shape that is made gives a valid shape.

use geo::{Coord, LineString, MultiPolygon, Polygon};
use proptest::prelude::*;
use zoneatlas::engine::gaps::share_an_edge;
use zoneatlas::engine::shape_edit::{
    SnapIndex, SplitProblem, VertexProblem, VertexRef, check_shape, delete_vertex, insert_vertex,
    merge, move_shared_vertex, move_vertex, split,
};

/// A number: mostly on a small grid (so that positions repeat, edges run together and rings
/// fold), sometimes not a number, infinite, huge, tiny or a negative zero.
fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => (0i32..5).prop_map(|k| 106.0 + f64::from(k) * 0.001),
        2 => (0.0f64..1.0).prop_map(|t| 106.0 + 0.004 * t),
        1 => prop::sample::select(vec![
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e300,
            -1e300,
            f64::MIN_POSITIVE,
            -0.0,
            0.0,
        ]),
    ]
}

/// A position near 106° E, 21° N (the latitude shifted from the longitude's grid).
fn position() -> impl Strategy<Value = Coord<f64>> {
    (number(), number()).prop_map(|(x, y)| Coord {
        x,
        y: if y.is_finite() && y > 100.0 {
            y - 85.0
        } else {
            y
        },
    })
}

fn ring() -> impl Strategy<Value = LineString<f64>> {
    (
        prop::collection::vec(position(), 0..8),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(mut c, close, repeat)| {
            if repeat && !c.is_empty() {
                let k = c.len() / 2;
                c.insert(k, c[k]);
            }
            if close && !c.is_empty() {
                c.push(c[0]);
            }
            LineString(c)
        })
}

/// Rings as `Polygon::new` would close them, or left as they are (as a parser may give
/// them).
fn polygon() -> impl Strategy<Value = Polygon<f64>> {
    (ring(), prop::collection::vec(ring(), 0..3))
        .prop_map(|(exterior, holes)| Polygon::new(exterior, holes))
}

/// Mostly a square lot, sometimes with a junk polygon beside it, sometimes junk alone.
fn shape() -> impl Strategy<Value = MultiPolygon<f64>> {
    let lot = |x: f64, y: f64| {
        Polygon::new(
            LineString::from(vec![
                (x, y),
                (x + 0.001, y),
                (x + 0.001, y + 0.001),
                (x, y + 0.001),
            ]),
            vec![],
        )
    };
    prop_oneof![
        3 => (0i32..3, 0i32..3).prop_map(move |(i, j)| MultiPolygon(vec![lot(
            106.0 + f64::from(i) * 0.001,
            21.0 + f64::from(j) * 0.001
        )])),
        2 => (polygon(), any::<bool>()).prop_map(move |(p, with_lot)| {
            let mut v = vec![p];
            if with_lot {
                v.insert(0, lot(106.001, 21.001));
            }
            MultiPolygon(v)
        }),
        1 => prop::collection::vec(polygon(), 0..3).prop_map(MultiPolygon),
    ]
}

fn vertex_ref() -> impl Strategy<Value = VertexRef> {
    (0usize..3, 0usize..3, 0usize..10).prop_map(|(polygon, ring, vertex)| VertexRef {
        polygon,
        ring,
        vertex,
    })
}

fn finite(c: Coord<f64>) -> bool {
    c.x.is_finite() && c.y.is_finite()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2048,
        // Failing cases are kept beside this file (`*.proptest-regressions`) and run first
        // each time: the default looks for a lib.rs above an integration test, finds none,
        // and keeps nothing.
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
        )),
        ..ProptestConfig::default()
    })]

    #[test]
    fn shape_edits_never_panic_on_junk(
        shapes in prop::collection::vec(shape(), 0..4),
        line in prop::collection::vec(position(), 0..5),
        at in vertex_ref(),
        to in position(),
        tolerance in prop_oneof![Just(1e-4), Just(0.0), Just(f64::NAN), Just(-1.0), Just(f64::INFINITY)],
    ) {
        let empty = MultiPolygon(vec![]);
        let shape = shapes.first().unwrap_or(&empty);
        let valid = check_shape(shape).is_ok();

        for (edit, result) in [
            ("move", move_vertex(shape, at, to)),
            ("insert", insert_vertex(shape, at, to)),
        ] {
            if !finite(to) {
                prop_assert_eq!(&result, &Err(VertexProblem::NotFinite), "{}", edit);
            }
            if let (true, Ok(out)) = (valid, &result) {
                prop_assert!(check_shape(out).is_ok(), "{} made {:?} invalid: {:?}", edit, shape, out);
            }
        }
        if let (true, Ok(out)) = (valid, delete_vertex(shape, at)) {
            prop_assert!(check_shape(&out).is_ok(), "delete made {:?} invalid: {:?}", shape, out);
        }
        let from = shape.0.first().and_then(|p| p.exterior().0.first().copied()).unwrap_or(to);
        if let Ok(moved) = move_shared_vertex(&shapes, from, to) {
            for m in &moved {
                if check_shape(&shapes[m.shape]).is_ok() {
                    prop_assert!(check_shape(&m.result).is_ok(), "shared move of {:?}", shapes[m.shape]);
                }
            }
        }

        let line = LineString(line);
        match split(shape, &line) {
            Ok(parts) => {
                prop_assert!(parts.len() >= 2);
                for part in &parts {
                    prop_assert!(check_shape(part).is_ok(), "a part of {:?} by {:?}: {:?}", shape, line, part);
                }
            }
            Err(SplitProblem::LineTooShort) => {
                let distinct = line.0.windows(2).filter(|w| w[0] != w[1]).count();
                prop_assert!(distinct == 0, "{:?} has two distinct positions", line);
            }
            Err(_) => {}
        }
        if line.0.iter().any(|c| !finite(*c)) {
            prop_assert!(split(shape, &line).is_err());
        }
        if let Ok(merged) = merge(&shapes) {
            prop_assert!(check_shape(&merged).is_ok(), "merge of {:?}: {:?}", shapes, merged);
        }

        let index = SnapIndex::new(shapes.iter().enumerate());
        let snapped = index.snap(to, tolerance);
        if !finite(to) || tolerance.is_nan() || tolerance < 0.0 {
            prop_assert!(snapped.is_none());
        }
        if let Some(s) = snapped {
            prop_assert!(finite(s.at));
        }
        for (i, s) in shapes.iter().enumerate() {
            let mut index = SnapIndex::new(shapes.iter().enumerate());
            index.remove(i, s);
            index.insert(i, s);
        }
        for a in &shapes {
            for b in &shapes {
                let _ = share_an_edge(a, b);
            }
        }
    }
}

/// A case proptest found (a cold CI run, 2026-12-08): a lot beside a sliver that spans half
/// the globe, cut by a line that misses the sliver. Telling which side of the line the sliver
/// lies on used geo's `interior_point`, whose sweep panicked on it.
#[test]
fn a_split_beside_a_sliver_across_half_the_globe_does_not_panic() {
    let lot = Polygon::new(
        LineString::from(vec![
            (106.001, 21.001),
            (106.002_000_000_000_01, 21.001),
            (106.002_000_000_000_01, 21.002_000_000_000_002),
            (106.001, 21.002_000_000_000_002),
            (106.001, 21.001),
        ]),
        vec![],
    );
    let sliver = Polygon::new(
        LineString::from(vec![
            (106.0, 21.0),
            (-0.0, 21.0),
            (0.0, 21.001_000_000_000_005),
            (106.0, 21.0),
        ]),
        vec![],
    );
    let shape = MultiPolygon(vec![lot, sliver]);
    let line = LineString::from(vec![(106.0, 21.0), (106.002, 21.003_731_200_831_538)]);
    // A result or a problem, either is fine: not a panic.
    let _ = split(&shape, &line);
}
