//! A file's text as the document holds it: read into memory, or mapped from the file.
//!
//! Either way it reads as a `str` that does not change while the document lives. A mapped text
//! can hand its pages back to the system between passes ([`Text::release`]), and must be asked
//! whether it is still [`Text::intact`] after each pass: another program may have cut the file
//! short meanwhile (see the mapping module, the only place with `unsafe` code). The command
//! line maps; the app reads.

use rayon::prelude::*;
use std::fmt;
use std::ops::Range;
use std::path::Path;
#[cfg(target_os = "linux")]
use std::sync::Arc;

#[cfg(target_os = "linux")]
use super::mapping::{Mapping, Opened};

/// A file's text: owned, or mapped read-only from the file.
#[derive(Clone)]
pub struct Text(Source);

#[derive(Clone)]
enum Source {
    Owned(String),
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
            Source::Owned(s) => s,
            #[cfg(target_os = "linux")]
            Source::Mapped(m) => m.text(),
        }
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(Source::Owned(s))
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
