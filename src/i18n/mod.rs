//! The message catalogue: every word ZoneAtlas shows or writes for people, in the reader's
//! language (English or Vietnamese), for the app, the reports and the command line alike.
//!
//! The engine produces values (findings, load and save errors, value problems, figures); this
//! module puts them into words, and nothing else does. It imports nothing from the app's
//! toolkit, so the command line and the fuzzer build it too.
//! - [`numbers`]: numbers and dates the reader's way (`6.397,68 ha`, `30/06/2023`);
//! - [`keys`]: the fixed strings ([`Key`], [`tr`], templates with [`trf`]) and the labels of
//!   attributes and listed values;
//! - [`findings`]: each finding kind and value problem as a sentence;
//! - [`errors`]: the load and save errors.
//!
//! Everything typed that has words implements [`Message`].

pub mod edits;
pub mod errors;
pub mod findings;
pub mod keys;
pub mod numbers;

pub use edits::plan_name;
pub use keys::{
    Key, basis_text, basis_words, choice_label, export_words, field_label, land_use_text,
    notice_text, parcel_status_text, tr, trf, unit_label, zone_status_text,
};
pub use numbers::{fmt_date, fmt_field_value, fmt_ha, fmt_number, fmt_pct, fmt_plain, fmt_typed};

/// The reader's language (the engine's, as it reads what people type in it).
pub use crate::engine::lang::Lang;

/// A value the catalogue puts into words.
pub trait Message {
    /// The value in the reader's language.
    fn message(&self, lang: Lang) -> String;
}

/// The language to start in when none was chosen before: Vietnamese when the locale says so.
/// The variables are read in POSIX order (`LC_ALL`, then `LC_MESSAGES`, then `LANG`); the first
/// one set decides.
pub fn lang_from_locale(var: impl Fn(&str) -> Option<String>) -> Lang {
    for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Some(v) = var(name).filter(|v| !v.trim().is_empty()) {
            return if v.trim().to_ascii_lowercase().starts_with("vi") {
                Lang::Vi
            } else {
                Lang::En
            };
        }
    }
    Lang::En
}

/// The language from this process's environment.
pub fn system_lang() -> Lang {
    lang_from_locale(|name| std::env::var(name).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_by_default_on_a_vietnamese_locale() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(lang_from_locale(env(&[("LANG", "vi_VN.UTF-8")])), Lang::Vi);
        assert_eq!(lang_from_locale(env(&[("LC_MESSAGES", "vi")])), Lang::Vi);
        assert_eq!(lang_from_locale(env(&[("LANG", "en_US.UTF-8")])), Lang::En);
        assert_eq!(lang_from_locale(env(&[])), Lang::En);
        // LC_ALL overrides LANG, in either direction; an empty variable does not count.
        assert_eq!(
            lang_from_locale(env(&[("LC_ALL", "vi_VN.UTF-8"), ("LANG", "en_GB.UTF-8")])),
            Lang::Vi
        );
        assert_eq!(
            lang_from_locale(env(&[("LC_ALL", "C.UTF-8"), ("LANG", "vi_VN.UTF-8")])),
            Lang::En
        );
        assert_eq!(
            lang_from_locale(env(&[("LC_ALL", ""), ("LANG", "vi_VN.UTF-8")])),
            Lang::Vi
        );
    }
}
