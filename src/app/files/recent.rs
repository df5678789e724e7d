//! The recently opened files (the File menu's list, remembered between runs).

use std::path::PathBuf;

/// Recently opened files, newest first; and shared boards (a URL, which never holds a
/// password, and the board's name).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Recent {
    pub entries: Vec<(PathBuf, Option<PathBuf>)>,
    #[serde(default)]
    pub boards: Vec<(String, Option<String>)>,
    /// The coordinate system the user gave each file that names none (its EPSG code), newest
    /// first: offered first when the file asks again.
    #[serde(default)]
    pub systems: Vec<(PathBuf, u32)>,
}

impl Recent {
    pub const MAX: usize = 8;

    pub fn push(&mut self, zones: PathBuf, parcels: Option<PathBuf>) {
        self.entries
            .retain(|(z, p)| !(z == &zones && p == &parcels));
        self.entries.insert(0, (zones, parcels));
        self.entries.truncate(Self::MAX);
    }

    /// The systems remembered: a file's last answer, for a few dozen files.
    pub const MAX_SYSTEMS: usize = 32;

    /// Remembers that `path` is in the system `epsg`.
    pub fn remember_system(&mut self, path: PathBuf, epsg: u32) {
        self.systems.retain(|(p, _)| p != &path);
        self.systems.insert(0, (path, epsg));
        self.systems.truncate(Self::MAX_SYSTEMS);
    }

    /// The system last given to `path`, if any.
    pub fn system_of(&self, path: &std::path::Path) -> Option<u32> {
        self.systems
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, c)| *c)
    }

    pub fn push_board(&mut self, url: String, board: Option<String>) {
        self.boards.retain(|(u, b)| !(u == &url && b == &board));
        self.boards.insert(0, (url, board));
        self.boards.truncate(Self::MAX);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn recent_files_are_newest_first_without_repeats() {
        let mut r = Recent::default();
        for i in 0..10 {
            r.push(PathBuf::from(format!("z{i}.geojson")), None);
        }
        r.push(PathBuf::from("z5.geojson"), None);
        assert_eq!(r.entries.len(), Recent::MAX);
        assert_eq!(r.entries[0].0, PathBuf::from("z5.geojson"));
        assert_eq!(
            r.entries
                .iter()
                .filter(|(z, _)| z == Path::new("z5.geojson"))
                .count(),
            1
        );
    }
}
