//! The reader's language: the language a person reads and types in. The engine takes it where
//! it reads what people type ([`super::attributes::read_typed`]: `400,45` and `31/12/2024` in
//! Vietnamese); it has no words of its own, those are the catalogue's ([`crate::i18n`]).

/// The reader's language.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Lang {
    #[default]
    En,
    Vi,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Vi];

    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Vi => "vi",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" | "english" => Some(Self::En),
            "vi" | "vn" | "vietnamese" | "tiếng việt" => Some(Self::Vi),
            _ => None,
        }
    }
}
