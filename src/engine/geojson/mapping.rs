//! A file mapped read-only into memory (Linux), and what happens when another program
//! truncates it while it is mapped. This is the only module of ZoneAtlas with `unsafe` code.
//!
//! Reading a page of a mapped file that no longer has that page (the file was cut short
//! in place) raises SIGBUS, which kills the process. So the first map installs a SIGBUS
//! handler (once per process) that, when the faulting address lies in one of the maps
//! registered here, maps an anonymous zero page over the faulting page, marks that map as
//! damaged and returns: the read goes on with zeros. Any other SIGBUS goes to the handler
//! that was there before (Rust's own, which reports stack overflows) or the default action.
//!
//! Whoever reads a map must ask [`Mapping::intact`] after each pass and before using what it
//! read: a damaged map (or a file whose size or modification time changed since it was mapped)
//! means the pass read nonsense, and the file is reported as changed while being read. Only a
//! cut-short file raises the signal, so the damaged pages are the file's tail; what the pass
//! read there is zeros (ASCII), and every read stays inside the map.

#![allow(unsafe_code)]

use std::fs::File;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Once, OnceLock};
use std::time::SystemTime;

/// A read-only map of a whole file that holds UTF-8 text.
pub struct Mapping {
    map: memmap2::Mmap,
    /// Its place in [`MAPS`], where the signal handler finds it.
    slot: usize,
    file: File,
    stamp: (u64, Option<SystemTime>),
}

impl std::fmt::Debug for Mapping {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mapping")
            .field("len", &self.map.len())
            .finish()
    }
}

/// What [`Mapping::open`] found.
pub enum Opened {
    /// The file maps, and is UTF-8.
    Text(Mapping),
    /// The file maps but is not UTF-8: its bytes, for the error's place.
    NotUtf8(Vec<u8>),
    /// The file changed while it was being mapped and checked.
    Changed,
}

impl Mapping {
    /// Maps `file` and checks that it is UTF-8 with `is_utf8`. `None` when it cannot be mapped
    /// (an empty file, a pipe, too many maps at once): the caller reads it instead.
    pub fn open(file: File, is_utf8: impl FnOnce(&[u8]) -> bool) -> Option<Opened> {
        install_handler();
        let stamp = stamp_of(&file)?;
        // SAFETY: the map is only ever read, through `Mapping`. If another program truncates
        // the file, reading a missing page raises SIGBUS, which the handler below turns into
        // a zero page and a damaged mark that `intact` reports; if it rewrites the file in
        // place, `intact` sees the new size or modification time.
        let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
        let slot = register(map.as_ptr() as usize, map.len())?;
        let mapping = Mapping {
            map,
            slot,
            file,
            stamp,
        };
        let utf8 = is_utf8(&mapping.map);
        Some(if !mapping.intact() {
            Opened::Changed
        } else if utf8 {
            Opened::Text(mapping)
        } else {
            Opened::NotUtf8(mapping.map.to_vec())
        })
    }

    /// The text.
    pub fn text(&self) -> &str {
        // SAFETY: checked to be UTF-8 in `open`, and never written through. After damage the
        // tail reads as zeros, which are ASCII; the pass that read them is then discarded.
        unsafe { std::str::from_utf8_unchecked(&self.map) }
    }

    /// Whether every read so far saw the file as it was mapped: no page went missing (SIGBUS)
    /// and the file's size and modification time are unchanged.
    pub fn intact(&self) -> bool {
        !MAPS[self.slot].damaged.load(Ordering::SeqCst) && stamp_of(&self.file) == Some(self.stamp)
    }

    /// Hands the pages of `range` back to the system; they are read from the file again when
    /// next touched.
    pub fn release(&self, range: Range<usize>) {
        if range.start < range.end && range.end <= self.map.len() {
            // SAFETY: the map is read-only and never written, so dropping its pages loses
            // nothing: the next read maps the file's pages again.
            let _ = unsafe {
                self.map.unchecked_advise_range(
                    memmap2::UncheckedAdvice::DontNeed,
                    range.start,
                    range.len(),
                )
            };
        }
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // Unregistered before the map goes (the field is dropped after this).
        let slot = &MAPS[self.slot];
        slot.len.store(0, Ordering::SeqCst);
        slot.damaged.store(false, Ordering::SeqCst);
        slot.start.store(0, Ordering::SeqCst);
    }
}

fn stamp_of(file: &File) -> Option<(u64, Option<SystemTime>)> {
    let m = file.metadata().ok()?;
    Some((m.len(), m.modified().ok()))
}

/// One registered map, as the signal handler sees it (atomics only: a handler may not lock).
struct Slot {
    start: AtomicUsize,
    len: AtomicUsize,
    damaged: AtomicBool,
}

/// Maps open at once; a document holds one. More than this are read instead of mapped.
const SLOTS: usize = 64;

static MAPS: [Slot; SLOTS] = [const {
    Slot {
        start: AtomicUsize::new(0),
        len: AtomicUsize::new(0),
        damaged: AtomicBool::new(false),
    }
}; SLOTS];

/// Takes a free slot for the map at `start`.
fn register(start: usize, len: usize) -> Option<usize> {
    if start == 0 {
        return None;
    }
    let slot = MAPS.iter().position(|s| {
        s.start
            .compare_exchange(0, start, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
    })?;
    MAPS[slot].damaged.store(false, Ordering::SeqCst);
    MAPS[slot].len.store(len, Ordering::SeqCst);
    Some(slot)
}

static INSTALL: Once = Once::new();
static PAGE: AtomicUsize = AtomicUsize::new(4096);
/// The SIGBUS action before ours, to hand other faults to.
static PREVIOUS: OnceLock<libc::sigaction> = OnceLock::new();

fn install_handler() {
    INSTALL.call_once(|| {
        // SAFETY: plain libc calls on initialised structures.
        unsafe {
            let page = libc::sysconf(libc::_SC_PAGESIZE);
            if page > 0 {
                PAGE.store(page as usize, Ordering::SeqCst);
            }
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_sigbus as *const () as libc::sighandler_t;
            action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
            libc::sigemptyset(&mut action.sa_mask);
            let mut previous: libc::sigaction = std::mem::zeroed();
            // The previous action is kept first, so that the handler can hand faults on.
            if libc::sigaction(libc::SIGBUS, std::ptr::null(), &mut previous) == 0 {
                let _ = PREVIOUS.set(previous);
                libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
            }
        }
    });
}

/// The SIGBUS handler: a zero page over a missing page of one of our maps; anything else to
/// the previous handler or the default action.
extern "C" fn on_sigbus(
    signal: libc::c_int,
    info: *mut libc::siginfo_t,
    context: *mut libc::c_void,
) {
    // SAFETY: called by the kernel with a valid `info`; only atomics, mmap and sigaction are
    // used (no locks, no allocation).
    unsafe {
        let addr = (*info).si_addr() as usize;
        for slot in &MAPS {
            let start = slot.start.load(Ordering::SeqCst);
            let len = slot.len.load(Ordering::SeqCst);
            if start != 0 && addr >= start && addr < start + len {
                let page = PAGE.load(Ordering::SeqCst);
                let at = addr & !(page - 1);
                let zero = libc::mmap(
                    at as *mut libc::c_void,
                    page,
                    libc::PROT_READ,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                    -1,
                    0,
                );
                if zero != libc::MAP_FAILED {
                    slot.damaged.store(true, Ordering::SeqCst);
                    return;
                }
            }
        }
        match PREVIOUS.get() {
            Some(previous)
                if previous.sa_flags & libc::SA_SIGINFO != 0
                    && previous.sa_sigaction != libc::SIG_DFL
                    && previous.sa_sigaction != libc::SIG_IGN =>
            {
                let handler: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
                    std::mem::transmute(previous.sa_sigaction);
                handler(signal, info, context);
            }
            _ => {
                // The default action: the fault happens again on return, and ends the process.
                let mut default: libc::sigaction = std::mem::zeroed();
                default.sa_sigaction = libc::SIG_DFL;
                libc::sigaction(libc::SIGBUS, &default, std::ptr::null_mut());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A mapped file cut short by "another program": touching its lost pages does not kill
    /// the process, they read as zeros, and the map says it is damaged.
    #[test]
    fn a_file_truncated_while_mapped_is_reported_not_fatal() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("cut.geojson");
        let page = PAGE.load(Ordering::SeqCst).max(4096);
        let text = "x".repeat(page * 8);
        std::fs::File::create(&path)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .expect("write");
        let Some(Opened::Text(map)) = Mapping::open(File::open(&path).expect("open"), |b| {
            std::str::from_utf8(b).is_ok()
        }) else {
            panic!("maps")
        };
        assert!(map.intact());
        assert_eq!(map.text().len(), text.len());
        // Another program cuts the file to two and a half pages.
        let cut = page * 2 + page / 2;
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .and_then(|f| f.set_len(cut as u64))
            .expect("truncate");
        map.release(0..map.text().len());
        let bytes = map.text().as_bytes();
        let xs = bytes.iter().filter(|&&b| b == b'x').count();
        assert_eq!(xs, cut, "what is left of the file reads as it was");
        assert!(
            bytes[cut..].iter().all(|&b| b == 0),
            "the rest reads as zeros"
        );
        assert!(
            MAPS[map.slot].damaged.load(Ordering::SeqCst),
            "the lost pages faulted"
        );
        assert!(!map.intact(), "and the map says so");
        drop(map);
        // A new map of the cut file is intact again.
        let Some(Opened::Text(again)) = Mapping::open(File::open(&path).expect("open"), |_| true)
        else {
            panic!("maps")
        };
        assert!(again.intact());
        assert_eq!(again.text().len(), cut);
    }
}
