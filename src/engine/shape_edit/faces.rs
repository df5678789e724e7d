//! Polygons traced from directed edges that keep the area on their left (a split: a polygon's
//! rings and the cut both ways; a merge: the lots' rings less their shared edges).
//!
//! At each vertex the ring goes on along the outgoing edge met first turning clockwise from
//! the way it came in: the tightest turn, so that areas meeting at a single vertex come out as
//! separate rings rather than one ring touching itself. Counter-clockwise rings are exteriors
//! and clockwise ones holes, each hole going to the smallest exterior around it.

use geo::algorithm::kernels::Orientation;
use geo::{Coord, LineString, Polygon};
use std::cmp::Ordering;
use std::collections::HashMap;

use super::check::{Place, locate, orient};
use super::{closed_ring, key, signed_area2};

/// The edges are not those of areas side by side (they cross, or a vertex has more edges in
/// than out): what overlapping inputs or a degenerate cut give.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Tangle;

#[derive(Clone, Copy, Debug)]
pub(crate) struct Edge<T> {
    pub from: usize,
    pub to: usize,
    pub tag: T,
    pub alive: bool,
}

#[derive(Debug, Default)]
pub(crate) struct Graph<T> {
    coords: Vec<Coord<f64>>,
    index: HashMap<[u64; 2], usize>,
    out: Vec<Vec<usize>>,
    pub edges: Vec<Edge<T>>,
}

/// A traced polygon: the cycle of its exterior and those of its holes (edge ids).
#[derive(Clone, Debug)]
pub(crate) struct Face {
    pub exterior: Vec<usize>,
    pub holes: Vec<Vec<usize>>,
}

impl Face {
    pub fn edges(&self) -> impl Iterator<Item = usize> + '_ {
        self.exterior
            .iter()
            .chain(self.holes.iter().flatten())
            .copied()
    }
}

impl<T: Copy> Graph<T> {
    pub fn new() -> Self {
        Self {
            coords: Vec::new(),
            index: HashMap::new(),
            out: Vec::new(),
            edges: Vec::new(),
        }
    }

    fn vertex(&mut self, c: Coord<f64>) -> usize {
        let next = self.coords.len();
        let v = *self.index.entry(key(c)).or_insert(next);
        if v == next {
            self.coords.push(c);
            self.out.push(Vec::new());
        }
        v
    }

    /// Adds the edge `a` → `b`; none when they are the same position.
    pub fn add(&mut self, a: Coord<f64>, b: Coord<f64>, tag: T) -> Option<usize> {
        let (from, to) = (self.vertex(a), self.vertex(b));
        if from == to {
            return None;
        }
        let id = self.edges.len();
        self.edges.push(Edge {
            from,
            to,
            tag,
            alive: true,
        });
        self.out[from].push(id);
        Some(id)
    }

    pub fn start_of(&self, e: usize) -> Coord<f64> {
        self.coords[self.edges[e].from]
    }

    pub fn end_of(&self, e: usize) -> Coord<f64> {
        self.coords[self.edges[e].to]
    }

    /// The edge after `e` in its ring: the first outgoing edge clockwise from the way back.
    fn next(&self, e: usize) -> Option<usize> {
        let Edge { from, to, .. } = self.edges[e];
        let (v, back) = (self.coords[to], self.coords[from]);
        // Class of the clockwise angle from the way back: (0, π), π, (π, 2π), 2π (the way back).
        let class = |w: Coord<f64>| match orient(v, back, w) {
            Orientation::Clockwise => 0,
            Orientation::CounterClockwise => 2,
            Orientation::Collinear => {
                let dot = (back.x - v.x) * (w.x - v.x) + (back.y - v.y) * (w.y - v.y);
                if dot < 0.0 { 1 } else { 3 }
            }
        };
        self.out[to]
            .iter()
            .copied()
            .filter(|&f| self.edges[f].alive)
            .min_by(|&f, &g| {
                let (wf, wg) = (self.coords[self.edges[f].to], self.coords[self.edges[g].to]);
                let (cf, cg) = (class(wf), class(wg));
                cf.cmp(&cg)
                    .then_with(|| match orient(v, wf, wg) {
                        // g is clockwise of f: f comes first.
                        Orientation::Clockwise => Ordering::Less,
                        Orientation::CounterClockwise => Ordering::Greater,
                        Orientation::Collinear => Ordering::Equal,
                    })
                    .then(f.cmp(&g))
            })
    }

    /// The living edges as cycles, each edge in exactly one.
    pub fn cycles(&self) -> Result<Vec<Vec<usize>>, Tangle> {
        let mut used = vec![false; self.edges.len()];
        let mut cycles = Vec::new();
        for start in 0..self.edges.len() {
            if used[start] || !self.edges[start].alive {
                continue;
            }
            let mut cycle = vec![start];
            used[start] = true;
            let mut e = start;
            loop {
                let next = self.next(e).ok_or(Tangle)?;
                if next == start {
                    break;
                }
                if used[next] {
                    return Err(Tangle);
                }
                used[next] = true;
                cycle.push(next);
                e = next;
            }
            cycles.push(cycle);
        }
        Ok(cycles)
    }

    /// A cycle's positions, open.
    pub fn ring(&self, cycle: &[usize]) -> Vec<Coord<f64>> {
        cycle.iter().map(|&e| self.start_of(e)).collect()
    }

    /// The cycles as polygons: counter-clockwise cycles are exteriors, clockwise ones holes of
    /// the smallest exterior around them; cycles without area are dropped.
    pub fn faces(&self, cycles: Vec<Vec<usize>>) -> Result<Vec<Face>, Tangle> {
        let mut exteriors: Vec<(Vec<usize>, Vec<Coord<f64>>, f64)> = Vec::new();
        let mut holes: Vec<(Vec<usize>, Vec<Coord<f64>>)> = Vec::new();
        for cycle in cycles {
            let ring = self.ring(&cycle);
            let area = signed_area2(&ring);
            if area > 0.0 {
                exteriors.push((cycle, ring, area));
            } else if area < 0.0 {
                holes.push((cycle, ring));
            }
        }
        let mut faces: Vec<Face> = exteriors
            .iter()
            .map(|(cycle, _, _)| Face {
                exterior: cycle.clone(),
                holes: Vec::new(),
            })
            .collect();
        for (cycle, ring) in holes {
            let mut best: Option<(usize, f64)> = None;
            for (i, (_, exterior, area)) in exteriors.iter().enumerate() {
                // A hole may touch its exterior at vertices: the first of its positions that
                // is not on the exterior decides.
                let inside = ring
                    .iter()
                    .map(|&c| locate(exterior, c))
                    .find(|&p| p != Place::Boundary)
                    .unwrap_or(Place::Outside);
                if inside == Place::Inside && best.is_none_or(|(_, a)| *area < a) {
                    best = Some((i, *area));
                }
            }
            let (i, _) = best.ok_or(Tangle)?;
            faces[i].holes.push(cycle);
        }
        Ok(faces)
    }

    pub fn polygon(&self, face: &Face) -> Polygon<f64> {
        let ring = |cycle: &[usize]| -> LineString<f64> { closed_ring(self.ring(cycle)) };
        Polygon::new(
            ring(&face.exterior),
            face.holes.iter().map(|h| ring(h)).collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(x: f64, y: f64) -> Coord<f64> {
        Coord { x, y }
    }

    fn add_ring(g: &mut Graph<()>, ring: &[Coord<f64>]) {
        for i in 0..ring.len() {
            g.add(ring[i], ring[(i + 1) % ring.len()], ());
        }
    }

    /// Two squares meeting at a corner come out as two rings, not one touching itself.
    #[test]
    fn areas_meeting_at_a_vertex_stay_apart() {
        let mut g = Graph::new();
        add_ring(&mut g, &[c(0., 0.), c(1., 0.), c(1., 1.), c(0., 1.)]);
        add_ring(&mut g, &[c(1., 1.), c(2., 1.), c(2., 2.), c(1., 2.)]);
        let cycles = g.cycles().unwrap();
        assert_eq!(cycles.len(), 2);
        assert!(cycles.iter().all(|c| c.len() == 4));
        let faces = g.faces(cycles).unwrap();
        assert_eq!(faces.len(), 2);
    }

    /// A square with a hole, cut by a chord both ways: two faces, the hole in one.
    #[test]
    fn a_chord_splits_and_holes_find_their_exterior() {
        let mut g = Graph::new();
        add_ring(
            &mut g,
            &[
                c(0., 0.),
                c(2., 0.),
                c(4., 0.),
                c(4., 4.),
                c(2., 4.),
                c(0., 4.),
            ],
        );
        add_ring(&mut g, &[c(3., 1.), c(3., 2.), c(3.5, 2.), c(3.5, 1.)]); // clockwise
        g.add(c(2., 0.), c(2., 4.), ());
        g.add(c(2., 4.), c(2., 0.), ());
        let faces = g.faces(g.cycles().unwrap()).unwrap();
        assert_eq!(faces.len(), 2);
        let with_hole: Vec<_> = faces.iter().filter(|f| f.holes.len() == 1).collect();
        assert_eq!(with_hole.len(), 1);
        let p = g.polygon(with_hole[0]);
        assert!(p.exterior().0.iter().all(|c| c.x >= 2.0));
    }

    #[test]
    fn an_edge_without_a_way_on_is_a_tangle() {
        let mut g = Graph::new();
        g.add(c(0., 0.), c(1., 0.), ());
        g.add(c(1., 0.), c(1., 1.), ());
        assert_eq!(g.cycles(), Err(Tangle));
    }
}
