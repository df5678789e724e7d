//! Work off the window's thread: what is derived from the whole data (the findings, the
//! figures on a date, the fill-rate trend…) takes up to seconds on a million lots, so it is
//! computed on another thread from a copy of the data ([`Dataset`](crate::engine::dataset::Dataset)
//! copies cheaply), and the window goes on drawing.
//!
//! A [`Job`] keeps the last result with the key it was computed for (the session's generation,
//! the date…). Each frame the view says which key it wants; the job starts work for it when
//! none is running, and takes a result when one arrives. The latest wanted key wins: while one
//! computation runs, newer wants wait for it and then start once, so a burst of edits costs
//! one computation more, not one per edit. A view shows the last result and says when it is
//! not for the key wanted ([`Job::is_current`]).

use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, OnceLock};

/// The threads the computations run on: one fewer than the cores (at least one), so that the
/// window's thread always has a core to itself; what a computation does in parallel (rayon)
/// stays on them. Computations wait their turn, in the order they were asked for.
fn pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        rayon::ThreadPoolBuilder::new()
            .num_threads(cores.saturating_sub(1).max(1))
            .thread_name(|i| format!("zoneatlas-background-{i}"))
            // A computation that panics (a bug) ends without a result; the app goes on.
            .panic_handler(|_| {})
            .build()
            .ok()
    })
    .as_ref()
}

/// One kind of derived result, computed on another thread. See the module documentation.
pub struct Job<K, R> {
    latest: Option<(K, Arc<R>)>,
    running: Option<(K, Receiver<R>)>,
    /// A computation that ended without a result (a bug): not started again for this key.
    failed: Option<K>,
}

/// A copy sees the results so far; it runs nothing (a slide drawn from a copy of the view).
impl<K: Clone, R> Clone for Job<K, R> {
    fn clone(&self) -> Self {
        Job {
            latest: self.latest.clone(),
            running: None,
            failed: None,
        }
    }
}

impl<K, R> Default for Job<K, R> {
    fn default() -> Self {
        Job {
            latest: None,
            running: None,
            failed: None,
        }
    }
}

impl<K: Clone + PartialEq + Send + 'static, R: Send + Sync + 'static> Job<K, R> {
    /// Takes a finished result; then, unless the last result is for `key` or a computation is
    /// running, starts one for `key`: `start` makes the work (taking its copy of the data
    /// now), which runs on its own thread and wakes the window with `wake` when done.
    pub fn want<F>(&mut self, key: K, wake: &egui::Context, start: impl FnOnce() -> F)
    where
        F: FnOnce() -> R + Send + 'static,
    {
        self.poll();
        if self.is_current(&key) || self.running.is_some() || self.failed.as_ref() == Some(&key) {
            return;
        }
        let Some(pool) = pool() else {
            self.failed = Some(key);
            return;
        };
        let work = start();
        let (tx, rx) = channel();
        let wake = wake.clone();
        pool.spawn(move || {
            let _ = tx.send(work());
            wake.request_repaint();
        });
        self.running = Some((key, rx));
    }

    /// Computes the result for `key` on this thread unless the last one is for it (for what
    /// must be complete now: an export, a slide).
    pub fn compute_now(&mut self, key: K, work: impl FnOnce() -> R) -> Arc<R> {
        self.poll();
        match &self.latest {
            Some((k, r)) if *k == key => r.clone(),
            _ => {
                let r = Arc::new(work());
                self.latest = Some((key, r.clone()));
                r
            }
        }
    }

    /// Takes the running computation's result if it has arrived.
    fn poll(&mut self) {
        let Some((_, rx)) = &self.running else {
            return;
        };
        match rx.try_recv() {
            Ok(r) => {
                if let Some((key, _)) = self.running.take() {
                    self.latest = Some((key, Arc::new(r)));
                }
            }
            Err(TryRecvError::Empty) => {}
            Err(TryRecvError::Disconnected) => self.failed = self.running.take().map(|(k, _)| k),
        }
    }

    /// Blocks until the running computation ends, and takes its result (tests, exports).
    pub fn wait(&mut self) {
        if let Some((key, rx)) = self.running.take() {
            match rx.recv() {
                Ok(r) => self.latest = Some((key, Arc::new(r))),
                Err(_) => self.failed = Some(key),
            }
        }
    }

    /// The last result and the key it was computed for.
    pub fn latest(&self) -> Option<(&K, &Arc<R>)> {
        self.latest.as_ref().map(|(k, r)| (k, r))
    }

    /// Whether the last result is for `key`.
    pub fn is_current(&self, key: &K) -> bool {
        self.latest.as_ref().is_some_and(|(k, _)| k == key)
    }

    /// Whether a computation is running.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// Forgets the results and drops the running computation's (new data: nothing derived
    /// from the old may show).
    pub fn forget(&mut self) {
        self.latest = None;
        self.running = None;
        self.failed = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::Sender;
    use std::sync::{Arc, Mutex};

    /// Work that waits for a go before returning `value`.
    fn gated(value: u32) -> (Sender<()>, impl FnOnce() -> u32 + Send + 'static) {
        let (go, wait) = channel::<()>();
        let wait = Mutex::new(wait);
        (go, move || {
            let _ = wait.lock().map(|w| w.recv());
            value
        })
    }

    #[test]
    fn the_latest_wanted_key_wins_and_a_burst_costs_one_computation_more() {
        let ctx = egui::Context::default();
        let mut job: Job<u64, u32> = Job::default();
        let started = Arc::new(Mutex::new(Vec::new()));
        let (go1, work1) = gated(10);
        job.want(1, &ctx, || {
            started.lock().expect("lock").push(1);
            work1
        });
        assert!(job.is_running() && job.latest().is_none());
        // Wanted meanwhile: 2, then 3. Nothing starts while 1 runs.
        for k in [2, 3] {
            job.want(k, &ctx, || -> Box<dyn FnOnce() -> u32 + Send> {
                panic!("started while another runs")
            });
        }
        go1.send(()).expect("go");
        job.wait();
        assert_eq!(job.latest().map(|(k, r)| (*k, **r)), Some((1, 10)));
        assert!(!job.is_current(&3), "the result is for 1, not for 3");
        // The next want starts the latest key only.
        let (go3, work3) = gated(30);
        job.want(3, &ctx, || {
            started.lock().expect("lock").push(3);
            work3
        });
        go3.send(()).expect("go");
        job.wait();
        assert!(job.is_current(&3));
        assert_eq!(*started.lock().expect("lock"), [1, 3]);
        // A key already computed starts nothing.
        job.want(3, &ctx, || -> Box<dyn FnOnce() -> u32 + Send> {
            panic!("recomputed")
        });
        assert!(!job.is_running());
    }

    #[test]
    fn forgotten_work_never_shows_and_a_failed_key_is_not_retried() {
        let ctx = egui::Context::default();
        let mut job: Job<u64, u32> = Job::default();
        let (go, work) = gated(1);
        job.want(1, &ctx, || work);
        job.forget();
        go.send(()).expect("go");
        job.wait();
        assert!(job.latest().is_none(), "the old data's result is dropped");

        job.want(2, &ctx, || || -> u32 { panic!("a bug in the work") });
        job.wait();
        assert!(job.latest().is_none() && !job.is_running());
        job.want(2, &ctx, || -> Box<dyn FnOnce() -> u32 + Send> {
            panic!("retried")
        });
        assert!(!job.is_running());
        // Computed now, on this thread, when it must be complete.
        assert_eq!(*job.compute_now(4, || 40), 40);
        assert!(job.is_current(&4));
        let copy = job.clone();
        assert!(copy.is_current(&4) && !copy.is_running());
    }
}
