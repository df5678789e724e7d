//! A file's text as the document holds it: read into memory, or mapped from the file.
//!
//! Either way it reads as a `str` that does not change while the document lives. A mapped text
//! can hand its pages back to the system between passes ([`Text::release`]), and must be asked
//! whether it is still [`Text::intact`] after each pass: another program may have cut the file
//! short meanwhile (see the mapping module, the only place with `unsafe` code). The command
//! line maps the file; the app maps a private copy of it (`Text::map_copy`).

use rayon::prelude::*;
use std::fmt;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

#[cfg(target_os = "linux")]
use super::mapping::{Mapping, Opened};

/// A file's text: owned, or mapped read-only from the file.
#[derive(Clone)]
pub struct Text(Source);

#[derive(Clone)]
enum Source {
    /// Shared by the document's copies (a copy for work on another thread copies none).
    Owned(Arc<String>),
    #[cfg(target_os = "linux")]
    Mapped(Arc<Mapping>),
}

/// What mapping a file gave.
pub(in crate::engine) enum Mapped {
    Text(Text),
    /// The file is not UTF-8: its bytes, for the error's place.
    NotUtf8(Vec<u8>),
    /// The file changed (was cut short) while it was being mapped and checked.
    Changed,
}

impl Text {
    /// Maps a file read-only and checks that it is UTF-8. `None` when it cannot be mapped
    /// (and on systems other than Linux, where files are read instead).
    pub(in crate::engine) fn map(path: &Path) -> Option<Mapped> {
        #[cfg(target_os = "linux")]
        {
            let file = std::fs::File::open(path).ok()?;
            Some(match Mapping::open(file, is_utf8)? {
                Opened::Text(m) => Mapped::Text(Text(Source::Mapped(Arc::new(m)))),
                Opened::NotUtf8(bytes) => Mapped::NotUtf8(bytes),
                Opened::Changed => Mapped::Changed,
            })
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = path;
            None
        }
    }

    /// Copies the file at `path` into an unnamed temporary file in `dir` and maps the copy
    /// like [`Text::map`]: no other program can rewrite or cut short the copy, so the text
    /// stays as read however long it is kept. `None` when the copy cannot be made or mapped
    /// (and on systems other than Linux).
    pub(in crate::engine) fn map_copy(path: &Path, dir: &Path) -> Option<Mapped> {
        #[cfg(target_os = "linux")]
        {
            let copy = copy_of(path, dir).ok()?;
            Some(match Mapping::open(copy, is_utf8)? {
                Opened::Text(m) => Mapped::Text(Text(Source::Mapped(Arc::new(m)))),
                Opened::NotUtf8(bytes) => Mapped::NotUtf8(bytes),
                Opened::Changed => Mapped::Changed,
            })
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = (path, dir);
            None
        }
    }

    /// Hands the pages of a byte range of a mapped text back to the system; they are read
    /// from the file again when next touched, so the text reads the same. Nothing happens for
    /// a text in memory.
    pub fn release(&self, range: Range<usize>) {
        match &self.0 {
            Source::Owned(_) => {
                let _ = range;
            }
            #[cfg(target_os = "linux")]
            Source::Mapped(m) => m.release(range),
        }
    }

    /// Whether every read of the text so far saw the file as it was when opened. Always true
    /// for a text in memory; for a mapped one, false once the file was cut short or rewritten
    /// by another program.
    pub fn intact(&self) -> bool {
        match &self.0 {
            Source::Owned(_) => true,
            #[cfg(target_os = "linux")]
            Source::Mapped(m) => m.intact(),
        }
    }
}

/// A copy of the file at `path` in an unnamed temporary file in `dir` (gone when closed). An
/// error when the file changed while it was copied (another program writing it).
#[cfg(target_os = "linux")]
fn copy_of(path: &Path, dir: &Path) -> std::io::Result<std::fs::File> {
    let mut source = std::fs::File::open(path)?;
    let stamp = |f: &std::fs::File| f.metadata().map(|m| (m.len(), m.modified().ok()));
    let before = stamp(&source)?;
    std::fs::create_dir_all(dir)?;
    let mut copy = tempfile::tempfile_in(dir)?;
    // File to file: `copy_file_range`, so the bytes never pass through this process (and the
    // file system may share the blocks instead of copying them).
    let copied = std::io::copy(&mut source, &mut copy)?;
    if stamp(&source)? != before || copied != before.0 {
        return Err(std::io::Error::other(
            "the file changed while it was copied",
        ));
    }
    Ok(copy)
}

/// Whether the bytes are UTF-8, checked on all cores: in pieces cut just before ASCII bytes,
/// which always begin a character, so the whole is UTF-8 exactly when every piece is.
fn is_utf8(bytes: &[u8]) -> bool {
    const PIECE: usize = 16 << 20;
    let mut cuts = vec![0];
    let mut at = PIECE;
    while at < bytes.len() {
        let Some(k) = bytes[at..].iter().position(u8::is_ascii) else {
            break;
        };
        cuts.push(at + k);
        at += k + PIECE;
    }
    cuts.push(bytes.len());
    cuts.par_windows(2)
        .all(|w| std::str::from_utf8(&bytes[w[0]..w[1]]).is_ok())
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        match &self.0 {
            Source::Owned(s) => s.as_str(),
            #[cfg(target_os = "linux")]
            Source::Mapped(m) => m.text(),
        }
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(Source::Owned(Arc::new(s)))
    }
}

impl Default for Text {
    fn default() -> Text {
        Text::from(String::new())
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_checked_in_pieces_as_a_whole() {
        let mut text = "aé€😀".repeat(8 << 20).into_bytes();
        assert!(is_utf8(&text));
        assert!(is_utf8(b""));
        let last = text.len() - 1;
        text[last] = 0xff;
        assert!(!is_utf8(&text));
        // A character cut short in the middle of a piece.
        let mut text = "aé€😀".repeat(8 << 20).into_bytes();
        text.insert(20 << 20, 0xe2);
        assert!(!is_utf8(&text));
    }

    #[test]
    fn owned_and_mapped_texts_read_alike() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.geojson");
        let content = "{\"name\":\"Yên Phong\"}\n".repeat(1000);
        std::fs::write(&path, &content).expect("write");
        let owned = Text::from(content.clone());
        assert!(owned.intact());
        assert_eq!(&*owned, content);
        match Text::map(&path) {
            Some(Mapped::Text(mapped)) => {
                assert_eq!(&*mapped, content);
                mapped.release(0..mapped.len());
                assert_eq!(&*mapped, content, "released pages read the same");
                assert!(mapped.intact());
            }
            Some(_) => panic!("UTF-8 text that did not change"),
            #[cfg(target_os = "linux")]
            None => panic!("Linux maps"),
            #[cfg(not(target_os = "linux"))]
            None => {}
        }
        std::fs::write(&path, b"\xff\xfe").expect("write");
        assert!(matches!(Text::map(&path), Some(Mapped::NotUtf8(_)) | None));
    }
}
