//! A vector whose copies share their elements, in chunks: copying it copies a pointer per
//! chunk, and writing to a copy copies only the chunk written to.
//!
//! The per-feature readings of a million lots are held in these, so that a snapshot of the
//! data for work on another thread (findings, the figures on a date) costs microseconds and an
//! edit made meanwhile copies a thousand lots, not a million. Reading costs about what a `Vec`
//! does (one more pointer to follow); a persistent tree such as `imbl::Vector` copies less on a
//! write but was several times slower to read, which every figure and every frame does.

use std::fmt;
use std::ops::Index;
use std::sync::Arc;

/// Elements per chunk: a write to a shared chunk copies this many (a few hundred microseconds
/// for lots), and a copy of a million elements is a thousand pointers.
const CHUNK: usize = 1024;

/// See the module documentation.
pub struct CowVec<T> {
    chunks: Vec<Arc<Vec<T>>>,
    len: usize,
}

impl<T> Clone for CowVec<T> {
    fn clone(&self) -> Self {
        CowVec {
            chunks: self.chunks.clone(),
            len: self.len,
        }
    }
}

impl<T> Default for CowVec<T> {
    fn default() -> Self {
        CowVec {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T> CowVec<T> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn get(&self, i: usize) -> Option<&T> {
        (i < self.len).then(|| &self.chunks[i / CHUNK][i % CHUNK])
    }

    /// The elements in order.
    pub fn iter(&self) -> Iter<'_, T> {
        Iter {
            chunks: self.chunks.iter(),
            front: [].iter(),
            back: [].iter(),
            len: self.len,
        }
    }

    /// Appends an element (while building: the last chunk is copied first if it is shared).
    pub fn push(&mut self, value: T)
    where
        T: Clone,
    {
        match self.chunks.last_mut() {
            Some(last) if last.len() < CHUNK => Arc::make_mut(last).push(value),
            _ => {
                let mut chunk = Vec::with_capacity(CHUNK);
                chunk.push(value);
                self.chunks.push(Arc::new(chunk));
            }
        }
        self.len += 1;
    }

    /// How many chunks this vector and `other` share (not copied since one was made from the
    /// other): what an edit copied, for tests.
    pub fn shared_chunks(&self, other: &CowVec<T>) -> usize {
        self.chunks
            .iter()
            .zip(&other.chunks)
            .filter(|(a, b)| Arc::ptr_eq(a, b))
            .count()
    }
}

impl<T: Clone> CowVec<T> {
    /// Element `i`, to change it: its chunk is copied first if another copy shares it.
    ///
    /// # Panics
    /// When `i` is out of bounds, as indexing a `Vec` does.
    pub fn make_mut(&mut self, i: usize) -> &mut T {
        assert!(i < self.len, "index {i} out of bounds ({})", self.len);
        &mut Arc::make_mut(&mut self.chunks[i / CHUNK])[i % CHUNK]
    }

    /// Sets element `i` unless it already holds an equal value (so that a shared chunk is
    /// copied only when something changes).
    pub fn set(&mut self, i: usize, value: T)
    where
        T: PartialEq,
    {
        if self[i] != value {
            *self.make_mut(i) = value;
        }
    }

    /// Every element, to change them all (every shared chunk is copied).
    pub fn for_each_mut(&mut self, mut f: impl FnMut(&mut T)) {
        for chunk in &mut self.chunks {
            Arc::make_mut(chunk).iter_mut().for_each(&mut f);
        }
    }
}

impl<T> Index<usize> for CowVec<T> {
    type Output = T;

    fn index(&self, i: usize) -> &T {
        assert!(i < self.len, "index {i} out of bounds ({})", self.len);
        &self.chunks[i / CHUNK][i % CHUNK]
    }
}

impl<T: Clone> FromIterator<T> for CowVec<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut v = CowVec::new();
        for x in iter {
            v.push(x);
        }
        v
    }
}

impl<T: Clone> From<Vec<T>> for CowVec<T> {
    fn from(v: Vec<T>) -> Self {
        v.into_iter().collect()
    }
}

/// The elements of a [`CowVec`] in order, a chunk at a time.
#[derive(Clone)]
pub struct Iter<'a, T> {
    chunks: std::slice::Iter<'a, Arc<Vec<T>>>,
    front: std::slice::Iter<'a, T>,
    back: std::slice::Iter<'a, T>,
    len: usize,
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        loop {
            if let Some(x) = self.front.next() {
                self.len -= 1;
                return Some(x);
            }
            match self.chunks.next() {
                Some(chunk) => self.front = chunk.iter(),
                None => {
                    let x = self.back.next()?;
                    self.len -= 1;
                    return Some(x);
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.len, Some(self.len))
    }
}

impl<T> DoubleEndedIterator for Iter<'_, T> {
    fn next_back(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(x) = self.back.next_back() {
                self.len -= 1;
                return Some(x);
            }
            match self.chunks.next_back() {
                Some(chunk) => self.back = chunk.iter(),
                None => {
                    let x = self.front.next_back()?;
                    self.len -= 1;
                    return Some(x);
                }
            }
        }
    }
}

impl<T> ExactSizeIterator for Iter<'_, T> {}

impl<'a, T> IntoIterator for &'a CowVec<T> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;

    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<T: fmt::Debug> fmt::Debug for CowVec<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: PartialEq> PartialEq for CowVec<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_like_the_vec_it_was_made_from() {
        let v: Vec<usize> = (0..3 * CHUNK + 5).map(|i| i * 7).collect();
        let c = CowVec::from(v.clone());
        assert_eq!(c.len(), v.len());
        assert!(c.iter().eq(v.iter()));
        assert!(c.iter().rev().eq(v.iter().rev()));
        assert_eq!(c.iter().len(), v.len());
        // From both ends at once, meeting in a chunk.
        let mut both = c.iter();
        let (mut front, mut back) = (Vec::new(), Vec::new());
        while let Some(x) = both.next() {
            front.push(*x);
            if let Some(y) = both.next_back() {
                back.push(*y);
            }
            assert_eq!(both.len(), v.len() - front.len() - back.len());
        }
        back.reverse();
        front.extend(back);
        assert_eq!(front, v);
        for i in [0, 1, CHUNK - 1, CHUNK, 2 * CHUNK + 3, v.len() - 1] {
            assert_eq!(c[i], v[i]);
            assert_eq!(c.get(i), Some(&v[i]));
        }
        assert_eq!(c.get(v.len()), None);
        assert!(CowVec::<u8>::new().is_empty());
    }

    #[test]
    fn a_write_to_a_copy_copies_one_chunk_and_leaves_the_original() {
        let original: CowVec<String> = (0..4 * CHUNK).map(|i| i.to_string()).collect();
        let mut copy = original.clone();
        assert_eq!(copy.shared_chunks(&original), 4);
        *copy.make_mut(CHUNK + 2) = "changed".into();
        assert_eq!(copy[CHUNK + 2], "changed");
        assert_eq!(original[CHUNK + 2], (CHUNK + 2).to_string());
        assert_eq!(
            copy.shared_chunks(&original),
            3,
            "only the chunk written to"
        );
        // Setting a value a chunk already holds copies nothing.
        let mut again = original.clone();
        again.set(5, "5".to_string());
        assert_eq!(again.shared_chunks(&original), 4);
        again.set(5, "five".to_string());
        assert_eq!(again.shared_chunks(&original), 3);
        // Changing all copies all, and the original still reads as it was.
        let mut all = original.clone();
        all.for_each_mut(|s| s.push('!'));
        assert_eq!(all.shared_chunks(&original), 0);
        assert_eq!(all[0], "0!");
        assert_eq!(original[0], "0");
    }

    #[test]
    #[should_panic(expected = "out of bounds")]
    fn indexing_past_the_end_panics_like_a_vec() {
        let c: CowVec<u8> = CowVec::from(vec![1, 2, 3]);
        let _ = c[3];
    }
}
