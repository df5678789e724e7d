//! The recently opened files (the File menu's list, remembered between runs).

use std::path::PathBuf;

/// Recently opened files, newest first.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Recent {
    pub entries: Vec<(PathBuf, Option<PathBuf>)>,
}

impl Recent {
    pub const MAX: usize = 8;

    pub fn push(&mut self, zones: PathBuf, parcels: Option<PathBuf>) {
        self.entries
            .retain(|(z, p)| !(z == &zones && p == &parcels));
        self.entries.insert(0, (zones, parcels));
        self.entries.truncate(Self::MAX);
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
