//! Saving a board's files without ever losing one: the previous version kept as `.bak`, a
//! check that nobody changed the file since it was read, and a recovery journal of unsaved
//! edits that outlives a crash.
//!
//! The writing itself is [`super::export::write_atomic`]: a temporary file in
//! the same folder, flushed to disk, renamed over the original. A crash or a full disk at any
//! moment leaves either the old file or the new one, never half of one.

use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::dataset::Dataset;
use super::export::write_atomic;
use super::script::{self, Step};

/// A file that could not be written (or read back for a backup), and why: the system's kind
/// of error and its own words (the catalogue, [`crate::i18n`], says it in the reader's
/// language).
#[derive(Debug, Clone, PartialEq)]
pub struct WriteError {
    pub kind: io::ErrorKind,
    pub detail: String,
}

impl From<io::Error> for WriteError {
    fn from(e: io::Error) -> WriteError {
        WriteError {
            kind: e.kind(),
            detail: e.to_string(),
        }
    }
}

/// What a file looked like when it was read: its length and modification time. A save
/// compares it with the file on disk to notice another program's (or person's) changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    pub len: u64,
    /// Nanoseconds since 1970 (`None` where the system gives no modification time).
    pub modified_ns: Option<u128>,
}

impl FileStamp {
    /// The file's stamp now; `None` when there is no such file. A GeoPackage's layer
    /// (`FILE.gpkg:LAYER`) is stamped as its file: a change to any of its layers is a change.
    pub fn of(path: &Path) -> io::Result<Option<FileStamp>> {
        let (file, _) = super::source::gpkg::file_and_layer(path);
        match std::fs::metadata(file) {
            Ok(m) => Ok(Some(FileStamp {
                len: m.len(),
                modified_ns: m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                    .map(|d| d.as_nanos()),
            })),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// Whether `path` is no longer the file that was read with stamp `read`: changed, replaced or
/// deleted since. A file that cannot be examined counts as changed (ask rather than overwrite).
pub fn changed_on_disk(path: &Path, read: Option<FileStamp>) -> bool {
    match (FileStamp::of(path), read) {
        (Ok(now), Some(read)) => now != Some(read),
        // Never read from disk (a new file): only an existing file would be overwritten.
        (Ok(now), None) => now.is_some(),
        (Err(_), _) => true,
    }
}

/// The backup a save keeps: `zones.geojson` → `zones.geojson.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    path.with_file_name(name)
}

/// Saves `contents` to `path`: the file there now becomes `path.bak` (replacing an older
/// backup), then the new contents are written atomically. Returns the stamp of the new file,
/// to compare with at the next save.
///
/// The backup is a hard link where the file system allows it (instant, even for a 500 MB
/// file), else a copy; either way it is complete before the original is replaced.
pub fn save_with_backup(path: &Path, contents: &[u8]) -> io::Result<Option<FileStamp>> {
    if path.is_file() {
        let bak = backup_path(path);
        let staging = path.with_file_name(format!(
            ".{}.zoneatlas-{}.bak.tmp",
            path.file_name().unwrap_or_default().to_string_lossy(),
            std::process::id()
        ));
        let _ = std::fs::remove_file(&staging);
        let linked = std::fs::hard_link(path, &staging).is_ok();
        if !linked {
            copy_synced(path, &staging).inspect_err(|_| {
                let _ = std::fs::remove_file(&staging);
            })?;
        }
        std::fs::rename(&staging, &bak).inspect_err(|_| {
            let _ = std::fs::remove_file(&staging);
        })?;
    }
    write_atomic(path, contents)?;
    FileStamp::of(path)
}

fn copy_synced(from: &Path, to: &Path) -> io::Result<()> {
    std::fs::copy(from, to)?;
    std::fs::File::open(to)?.sync_all()
}

/// One operation in a recovery journal, in the order made (an undo is journaled as the
/// operations back): a step of an edit script ([`Step`], naming its feature by number and
/// carrying the value a property change replaced), with the edit it was part of. A journal is
/// a script that `zoneatlas apply` runs as it is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JournalEntry {
    #[serde(flatten)]
    pub step: Step,
    /// What changed, for the Edit menu.
    pub what: String,
    /// In a window on a shared board: the row the step changes (`fid`), or, negative, the
    /// feature this journal inserted as number `-fid - 1` (it has no row yet). A board is read
    /// afresh after a restart, its features numbered anew: rows are what still names them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fid: Option<i64>,
    /// The edit (one undo step) it was part of, in this window only: a shared board takes an
    /// edit's steps in one transaction.
    #[serde(skip)]
    pub edit: u64,
    /// The board refused it for a reason other than someone else's change (permission…):
    /// kept here, not sent again in this window.
    #[serde(skip)]
    pub refused: bool,
}

impl JournalEntry {
    pub fn new(step: Step, what: impl Into<String>) -> JournalEntry {
        JournalEntry {
            step,
            what: what.into(),
            fid: None,
            edit: 0,
            refused: false,
        }
    }
}

/// The shared board a journal's edits were made on (see [`super::store`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JournalBoard {
    /// The database URL (it never holds a password).
    pub url: String,
    /// The board's name as given.
    pub board: String,
}

/// The unsaved edits of one window, as written to its recovery file after every change: what
/// the files were when read (or last saved) and the changes since, in order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Journal {
    /// The files the edits apply to (`None`: the built-in sample, or data never saved).
    pub zones_path: Option<PathBuf>,
    pub parcels_path: Option<PathBuf>,
    pub zones_stamp: Option<FileStamp>,
    pub parcels_stamp: Option<FileStamp>,
    /// The shared board the edits are for, not yet sent to it (`None`: files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub board: Option<JournalBoard>,
    /// The process that writes it: a journal whose process still runs is another window's.
    pub pid: u32,
    /// When it was last written, seconds since 1970.
    pub written_at: u64,
    pub entries: Vec<JournalEntry>,
}

const JOURNAL_PREFIX: &str = "unsaved-";

impl Journal {
    pub fn new(
        zones_path: Option<PathBuf>,
        parcels_path: Option<PathBuf>,
        zones_stamp: Option<FileStamp>,
        parcels_stamp: Option<FileStamp>,
    ) -> Journal {
        Journal {
            zones_path,
            parcels_path,
            zones_stamp,
            parcels_stamp,
            board: None,
            pid: std::process::id(),
            written_at: 0,
            entries: Vec::new(),
        }
    }

    /// This process's recovery file in `dir`.
    pub fn path_in(dir: &Path) -> PathBuf {
        dir.join(format!("{JOURNAL_PREFIX}{}.json", std::process::id()))
    }

    /// Writes the journal to this process's recovery file in `dir` (atomically), or removes
    /// the file when there is nothing unsaved.
    pub fn store(&mut self, dir: &Path) -> io::Result<()> {
        let path = Self::path_in(dir);
        if self.entries.is_empty() {
            return match std::fs::remove_file(&path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            };
        }
        std::fs::create_dir_all(dir)?;
        self.written_at = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let json = serde_json::to_vec_pretty(self).map_err(io::Error::other)?;
        write_atomic(&path, &json)
    }

    /// Recovery files left in `dir` by windows that ended without saving or discarding their
    /// edits, newest first, with their paths. Files that cannot be read are skipped (a
    /// recovery file must never stop the app from starting); so are those of windows still open.
    pub fn left_behind(dir: &Path) -> Vec<(PathBuf, Journal)> {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut found: Vec<(PathBuf, Journal)> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(JOURNAL_PREFIX) && n.ends_with(".json"))
            })
            .filter_map(|p| {
                let j: Journal = serde_json::from_slice(&std::fs::read(&p).ok()?).ok()?;
                (!j.entries.is_empty() && !process_alive(j.pid)).then_some((p, j))
            })
            .collect();
        found.sort_by_key(|(_, j)| std::cmp::Reverse(j.written_at));
        found
    }

    /// Replays the journal on `ds` (the files as read again), in order. An entry applies only
    /// where the file still holds what it changed ([`script::ops_for`]); the others are
    /// returned, so that the user is told which edits no longer fit a file changed since.
    pub fn replay(&self, ds: &mut Dataset) -> Vec<JournalEntry> {
        let mut skipped = Vec::new();
        for e in &self.entries {
            let made = script::ops_for(ds, &e.step)
                .ok()
                .and_then(|ops| ds.apply_all(&ops).ok());
            if made.is_none() {
                skipped.push(e.clone());
            }
        }
        skipped
    }
}

/// Whether a process with this id runs now. Where the system cannot tell (no `/proc`), it
/// answers no, so a journal is offered rather than hidden.
fn process_alive(pid: u32) -> bool {
    pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_save_keeps_the_previous_version_as_bak() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("zones.geojson");
        std::fs::write(&path, b"first").expect("write");
        save_with_backup(&path, b"second").expect("saves");
        assert_eq!(std::fs::read(&path).expect("read"), b"second");
        assert_eq!(std::fs::read(backup_path(&path)).expect("bak"), b"first");
        save_with_backup(&path, b"third").expect("saves again");
        assert_eq!(std::fs::read(&path).expect("read"), b"third");
        assert_eq!(std::fs::read(backup_path(&path)).expect("bak"), b"second");
        // Nothing else is left in the folder: no temporary or staging files.
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("dir")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["zones.geojson", "zones.geojson.bak"]);
    }

    #[test]
    fn a_new_file_has_no_backup() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("new.geojson");
        let stamp = save_with_backup(&path, b"{}").expect("saves");
        assert_eq!(stamp.map(|s| s.len), Some(2));
        assert!(!backup_path(&path).exists());
    }

    #[test]
    fn a_failed_save_leaves_the_original_whole() {
        let dir = tempfile::tempdir().expect("tempdir");
        // The target is a folder: the rename over it fails after the temporary file is written.
        let path = dir.path().join("zones.geojson");
        std::fs::create_dir(&path).expect("mkdir");
        std::fs::write(path.join("inside"), b"kept").expect("write");
        assert!(save_with_backup(&path, b"new").is_err());
        assert_eq!(std::fs::read(path.join("inside")).expect("kept"), b"kept");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .expect("dir")
            .flatten()
            .collect();
        assert_eq!(left.len(), 1, "no temporary file is left behind: {left:?}");
    }

    #[test]
    fn changes_on_disk_are_noticed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("zones.geojson");
        std::fs::write(&path, b"as read").expect("write");
        let read = FileStamp::of(&path).expect("stat");
        assert!(!changed_on_disk(&path, read));
        // Same length, later time: another program saved over it.
        let later = SystemTime::now() + std::time::Duration::from_secs(5);
        std::fs::write(&path, b"as READ").expect("write");
        std::fs::File::options()
            .write(true)
            .open(&path)
            .and_then(|f| f.set_modified(later))
            .expect("touch");
        assert!(changed_on_disk(&path, read));
        std::fs::remove_file(&path).expect("rm");
        assert!(changed_on_disk(&path, read), "deleted counts as changed");
        assert!(!changed_on_disk(&path, None), "nothing to overwrite");
    }

    #[test]
    fn a_null_value_and_an_absent_property_stay_apart_in_the_journal() {
        use crate::engine::edit::Op;
        use crate::engine::model::LayerKind;
        use serde_json::Value;
        let set = |value| Op::Set {
            layer: LayerKind::Parcels,
            feature: 3,
            key: "tenant".into(),
            value,
        };
        for (op, words) in [
            (
                set(Some(Value::Null)),
                r#""op":"set","layer":"parcels","at":4,"key":"tenant","value":null"#,
            ),
            (
                set(None),
                r#""op":"unset","layer":"parcels","at":4,"key":"tenant""#,
            ),
        ] {
            let e = JournalEntry::new(Step::of_op(&op, Some(Value::from("A"))), "tenant");
            let json = serde_json::to_string(&e).expect("json");
            assert!(json.contains(words), "{json}");
            assert!(json.contains(r#""from":"A""#), "{json}");
            let back: JournalEntry = serde_json::from_str(&json).expect("reads");
            assert_eq!(back, e);
        }
    }

    #[test]
    fn a_journal_is_found_only_when_its_window_is_gone() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut j = Journal::new(Some("z.geojson".into()), None, None, None);
        j.entries.push(JournalEntry::new(
            Step::of_op(
                &crate::engine::edit::Op::Set {
                    layer: crate::engine::model::LayerKind::Zones,
                    feature: 0,
                    key: "name".into(),
                    value: Some("B".into()),
                },
                Some("A".into()),
            ),
            "name of A",
        ));
        j.store(dir.path()).expect("stores");
        assert!(
            Journal::left_behind(dir.path()).is_empty(),
            "this process still runs"
        );
        // The same journal as a process that ended would have left it.
        j.pid = u32::MAX - 7;
        let bytes = serde_json::to_vec(&j).expect("json");
        std::fs::write(dir.path().join("unsaved-crashed.json"), bytes).expect("write");
        std::fs::write(dir.path().join("unsaved-garbage.json"), b"{not json").expect("write");
        let found = Journal::left_behind(dir.path());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1.entries, j.entries);
        // With nothing unsaved, the window's own file goes.
        j.pid = std::process::id();
        j.entries.clear();
        j.store(dir.path()).expect("removes");
        assert!(!Journal::path_in(dir.path()).exists());
    }
}
