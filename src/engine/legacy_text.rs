//! Vietnamese text typed in a legacy 8-bit font encoding and later read as Latin-1.
//!
//! Before Unicode, Vietnamese was typed in font encodings: **TCVN3** (the ABC code page of
//! TCVN 5712:1993, fonts `.VnTime`, `.VnArial`…) and **VNI-Windows** (fonts `VNI-Times`…). When
//! such a file is converted to Unicode without knowing that, every byte is read as Windows-1252 /
//! Latin-1 and the names become mojibake: TCVN3 `C«ng ty` and VNI `Coâng ty` for *Công ty*.
//! This module recognises such strings ([`detect`]) and converts them to Unicode (NFC).
//!
//! Tables (tested against references outside this code, `tests/data/legacy_text/`):
//! - TCVN3 is the VN3 subset of TCVN 5712:1993: the lower-case letters with their tones, and the
//!   seven capitals Ă Â Ê Ô Ơ Ư Đ, at the bytes of the standard's table (checked against GNU
//!   libc's `TCVN5712-1` converter). Capitals with tone marks are not in VN3: typists switched to
//!   the capital fonts (`.VnTimeH`), which draw capitals at the *lower-case* bytes. So `C«NG TY`
//!   (typed in `.VnTimeH`) reads byte-wise as `CôNG TY`; a word whose ASCII letters are all
//!   capitals is therefore converted to capitals (`CÔNG`), any other word keeps the table's case.
//!   The VN1 capitals at 0xAF, 0xBA, 0xBF–0xC5… and the combining marks at 0xB0–0xB4 are left
//!   as they are (a word holding one is not a Vietnamese syllable, so its string is mostly not
//!   recognised). Bytes 0x80–0x9F are not used by VN3 or VNI, so Windows-1252 and Latin-1
//!   readings agree.
//! - VNI-Windows writes a letter as its ASCII base and one mark byte (`oâ` ô, `oá` ố, `aê` ă),
//!   capitals with the capital form of the mark (`OÂ` Ô); đ, ơ, ư, the toned i's and ỵ are single
//!   bytes (`ñ` đ, `ô` ơ, `ö` ư, `æ` ỉ, `ó` ĩ, `ò` ị, `î` ỵ). Checked against the MIT-licensed
//!   converter `duydev/vietnamese-conversion`.
//!
//! Recognition is deliberately cautious: only strings made of ASCII and Latin-1 characters are
//! candidates (real Vietnamese almost always has a letter beyond Latin-1, such as ư, ơ or ạ);
//! every word of the converted string that has a non-ASCII letter must be a well-formed
//! Vietnamese syllable; at least one word of the original must *not* be one (so `Công ty`,
//! already Unicode, is left alone); and there must be enough text to judge. `Café`,
//! `Société Générale` and `Müller` are not touched.

use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

use super::geojson::Document;
use super::properties::{PARCEL_KEYS, ZONE_KEYS, canonical_key, normalize_text};

/// A legacy encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    Tcvn3,
    Vni,
}

impl Encoding {
    /// The name people know it by.
    pub fn name(self) -> &'static str {
        match self {
            Self::Tcvn3 => "TCVN3",
            Self::Vni => "VNI",
        }
    }
}

/// The five tone marks, in the order of TCVN3's table: grave, hook above, tilde, acute, dot
/// below.
const TONES: [char; 5] = ['\u{300}', '\u{309}', '\u{303}', '\u{301}', '\u{323}'];

/// TCVN3: each vowel (lower case) and the bytes of its five toned forms, in [`TONES`] order.
const TCVN3_TONED: [(&str, [u8; 5]); 12] = [
    ("a", [0xB5, 0xB6, 0xB7, 0xB8, 0xB9]),
    ("ă", [0xBB, 0xBC, 0xBD, 0xBE, 0xC6]),
    ("â", [0xC7, 0xC8, 0xC9, 0xCA, 0xCB]),
    ("e", [0xCC, 0xCE, 0xCF, 0xD0, 0xD1]),
    ("ê", [0xD2, 0xD3, 0xD4, 0xD5, 0xD6]),
    ("i", [0xD7, 0xD8, 0xDC, 0xDD, 0xDE]),
    ("o", [0xDF, 0xE1, 0xE2, 0xE3, 0xE4]),
    ("ô", [0xE5, 0xE6, 0xE7, 0xE8, 0xE9]),
    ("ơ", [0xEA, 0xEB, 0xEC, 0xED, 0xEE]),
    ("u", [0xEF, 0xF1, 0xF2, 0xF3, 0xF4]),
    ("ư", [0xF5, 0xF6, 0xF7, 0xF8, 0xF9]),
    ("y", [0xFA, 0xFB, 0xFC, 0xFD, 0xFE]),
];

/// TCVN3: the letters without tone that are not ASCII.
const TCVN3_PLAIN: [(char, u8); 14] = [
    ('Ă', 0xA1),
    ('Â', 0xA2),
    ('Ê', 0xA3),
    ('Ô', 0xA4),
    ('Ơ', 0xA5),
    ('Ư', 0xA6),
    ('Đ', 0xA7),
    ('ă', 0xA8),
    ('â', 0xA9),
    ('ê', 0xAA),
    ('ô', 0xAB),
    ('ơ', 0xAC),
    ('ư', 0xAD),
    ('đ', 0xAE),
];

/// VNI: the mark bytes (lower-case form, capital form) for a tone alone, in [`TONES`] order.
const VNI_TONE: [(u8, u8); 5] = [
    (0xF8, 0xD8),
    (0xFB, 0xDB),
    (0xF5, 0xD5),
    (0xF9, 0xD9),
    (0xEF, 0xCF),
];
/// VNI: circumflex without tone, then with each tone.
const VNI_CIRCUMFLEX: [(u8, u8); 6] = [
    (0xE2, 0xC2),
    (0xE0, 0xC0),
    (0xE5, 0xC5),
    (0xE3, 0xC3),
    (0xE1, 0xC1),
    (0xE4, 0xC4),
];
/// VNI: breve without tone, then with each tone.
const VNI_BREVE: [(u8, u8); 6] = [
    (0xEA, 0xCA),
    (0xE8, 0xC8),
    (0xFA, 0xDA),
    (0xFC, 0xDC),
    (0xE9, 0xC9),
    (0xEB, 0xCB),
];
/// VNI: letters written as one byte (lower case, capital).
const VNI_SINGLE: [(&str, u8, u8); 9] = [
    ("đ", 0xF1, 0xD1),
    ("ơ", 0xF4, 0xD4),
    ("ư", 0xF6, 0xD6),
    ("ì", 0xEC, 0xCC),
    ("ỉ", 0xE6, 0xC6),
    ("ĩ", 0xF3, 0xD3),
    ("í", 0xED, 0xCD),
    ("ị", 0xF2, 0xD2),
    ("ỵ", 0xEE, 0xCE),
];

/// The character a Latin-1 byte became.
fn latin1(b: u8) -> char {
    char::from(b)
}

/// One character from a base and combining marks (NFC), when Unicode has one.
fn try_compose(s: &str) -> Option<char> {
    let c: String = s.nfc().collect();
    let mut it = c.chars();
    match (it.next(), it.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

/// A Vietnamese letter of the tables from its base and marks (every one has a precomposed
/// form; the tables' tests check all 134).
fn compose(s: &str) -> char {
    try_compose(s).unwrap_or('\u{fffd}')
}

fn upper(c: char) -> char {
    c.to_uppercase().next().unwrap_or(c)
}

struct Tables {
    tcvn3_decode: HashMap<char, char>,
    tcvn3_encode: HashMap<char, char>,
    vni_single: HashMap<char, char>,
    vni_pair: HashMap<(char, char), char>,
    vni_encode: HashMap<char, String>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut t = Tables {
            tcvn3_decode: HashMap::new(),
            tcvn3_encode: HashMap::new(),
            vni_single: HashMap::new(),
            vni_pair: HashMap::new(),
            vni_encode: HashMap::new(),
        };
        // TCVN3.
        for (letter, byte) in TCVN3_PLAIN {
            t.tcvn3_decode.insert(latin1(byte), letter);
            t.tcvn3_encode.insert(letter, latin1(byte));
        }
        for (vowel, bytes) in TCVN3_TONED {
            for (tone, byte) in TONES.iter().zip(bytes) {
                let lower = compose(&format!("{vowel}{tone}"));
                t.tcvn3_decode.insert(latin1(byte), lower);
                t.tcvn3_encode.insert(lower, latin1(byte));
                // Capitals with tones are written at the lower-case byte (`.VnTimeH` fonts).
                t.tcvn3_encode.insert(upper(lower), latin1(byte));
            }
        }
        // VNI: single-byte letters.
        for (letter, lo, up) in VNI_SINGLE {
            let lower = compose(letter);
            t.vni_single.insert(latin1(lo), lower);
            t.vni_single.insert(latin1(up), upper(lower));
            t.vni_encode.insert(lower, latin1(lo).to_string());
            t.vni_encode.insert(upper(lower), latin1(up).to_string());
        }
        // VNI: base and mark.
        let mut pair = |base: char, mark: (u8, u8), letter: char| {
            for (b, m, l) in [
                (base, latin1(mark.0), letter),
                (upper(base), latin1(mark.1), upper(letter)),
            ] {
                t.vni_pair.insert((b, m), l);
                let mut enc = t.vni_encode.get(&b).cloned().unwrap_or(b.to_string());
                enc.push(m);
                // A letter with a single byte of its own (ỵ) is written with that byte.
                t.vni_encode.entry(l).or_insert(enc);
            }
        };
        for base in ['a', 'e', 'o', 'u', 'y', 'ơ', 'ư'] {
            for (tone, mark) in TONES.iter().zip(VNI_TONE) {
                pair(base, mark, compose(&format!("{base}{tone}")));
            }
        }
        for base in ['a', 'e', 'o'] {
            for (k, mark) in VNI_CIRCUMFLEX.iter().enumerate() {
                let tone = k
                    .checked_sub(1)
                    .map_or(String::new(), |k| TONES[k].to_string());
                pair(base, *mark, compose(&format!("{base}\u{302}{tone}")));
            }
        }
        for (k, mark) in VNI_BREVE.iter().enumerate() {
            let tone = k
                .checked_sub(1)
                .map_or(String::new(), |k| TONES[k].to_string());
            pair('a', *mark, compose(&format!("a\u{306}{tone}")));
        }
        // The horn letters are single bytes: a pair of ơ/ư and a tone starts from that byte.
        let horn: Vec<((char, char), char)> = t
            .vni_pair
            .iter()
            .filter_map(|(&(b, m), &l)| {
                let byte = VNI_SINGLE
                    .iter()
                    .find(|(s, _, _)| compose(s) == b || upper(compose(s)) == b)?;
                let lead = if b.is_lowercase() { byte.1 } else { byte.2 };
                Some(((latin1(lead), m), l))
            })
            .collect();
        t.vni_pair.retain(|(b, _), _| b.is_ascii());
        t.vni_pair.extend(horn);
        t
    })
}

/// TCVN3 text read as Latin-1, back to Unicode (NFC). Characters outside the table are kept.
pub fn tcvn3_to_unicode(s: &str) -> String {
    let t = tables();
    // `.VnTimeH`: text typed in capitals has its Vietnamese letters at lower-case bytes. Text
    // whose ASCII letters are all capitals (two or more), or a word whose are, is capitals.
    let caps = |s: &str| {
        let mut letters = s.chars().filter(char::is_ascii_alphabetic);
        letters.clone().count() >= 2 && letters.all(|c| c.is_ascii_uppercase())
    };
    let all_caps = caps(s);
    let mut out = String::with_capacity(s.len() + 8);
    for word in words_and_gaps(s) {
        let converted: String = word
            .chars()
            .map(|c| t.tcvn3_decode.get(&c).copied().unwrap_or(c))
            .collect();
        // A letter may sit at its own Latin-1 byte (ý is 0xFD in both): the word is judged
        // by having letters beyond ASCII, not by having changed.
        if !word.is_ascii() && (all_caps || caps(word)) {
            out.extend(converted.chars().flat_map(char::to_uppercase));
        } else {
            out.push_str(&converted);
        }
    }
    out.nfc().collect()
}

/// VNI-Windows text read as Latin-1, back to Unicode (NFC). Characters outside the table are
/// kept.
pub fn vni_to_unicode(s: &str) -> String {
    let t = tables();
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if let Some(next) = chars.get(i + 1)
            && let Some(l) = t.vni_pair.get(&(chars[i], *next))
        {
            out.push(*l);
            i += 2;
            continue;
        }
        out.push(t.vni_single.get(&chars[i]).copied().unwrap_or(chars[i]));
        i += 1;
    }
    out.nfc().collect()
}

/// Unicode to TCVN3 as a Latin-1 reading would show it. Capitals with tones become the
/// lower-case byte (TCVN3 has none); characters outside the table are kept.
pub fn unicode_to_tcvn3(s: &str) -> String {
    let t = tables();
    s.nfc()
        .map(|c| t.tcvn3_encode.get(&c).copied().unwrap_or(c))
        .collect()
}

/// Unicode to VNI-Windows as a Latin-1 reading would show it.
pub fn unicode_to_vni(s: &str) -> String {
    let t = tables();
    let mut out = String::new();
    for c in s.nfc() {
        match t.vni_encode.get(&c) {
            Some(e) => out.push_str(e),
            None => out.push(c),
        }
    }
    out
}

/// Converts text from `encoding`.
pub fn to_unicode(encoding: Encoding, s: &str) -> String {
    match encoding {
        Encoding::Tcvn3 => tcvn3_to_unicode(s),
        Encoding::Vni => vni_to_unicode(s),
    }
}

/// The string split into words (runs of letters, including every non-ASCII character) and the
/// gaps between them, all kept in order.
fn words_and_gaps(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_word = None;
    for (i, c) in s.char_indices() {
        let w = is_word_char(c);
        if in_word.is_some_and(|x| x != w) {
            out.push(&s[start..i]);
            start = i;
        }
        in_word = Some(w);
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// Words are split at ASCII characters other than letters, and at no-break spaces.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        c != '\u{a0}'
    }
}

fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
}

/// Onsets, longest first.
const ONSETS: [&str; 28] = [
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
];
const CODAS: [&str; 9] = ["ng", "nh", "ch", "c", "m", "n", "p", "t", ""];
/// Vowel groups that take no final consonant.
const OPEN_NUCLEI: [&str; 27] = [
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ui", "ưi", "ưu",
    "ưa", "ua", "iêu", "yêu", "oai", "oay", "oeo", "uôi", "ươi", "ươu", "uây",
];
/// Vowel groups that need a final consonant.
const CLOSED_NUCLEI: [&str; 10] = ["ă", "â", "iê", "yê", "uô", "ươ", "uyê", "oă", "uâ", "oo"];
/// Vowel groups that may or may not have one.
const EITHER_NUCLEI: [&str; 19] = [
    "a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "oe", "uê", "uy", "uơ", "uya", "uyu",
    "ue", "io",
];

/// Whether `word` is a well-formed Vietnamese syllable (any case, NFC or NFD; `Ð` read as `Đ`):
/// an onset, a vowel group and a final consonant Vietnamese allows, and at most one tone mark.
pub fn is_vietnamese_syllable(word: &str) -> bool {
    let mut tones = 0;
    let mut plain = String::with_capacity(word.len());
    for c in word.nfd().flat_map(char::to_lowercase) {
        match c {
            '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}' => tones += 1,
            '\u{302}' | '\u{306}' | '\u{31b}' => {
                let Some(letter) = plain.pop().and_then(|b| try_compose(&format!("{b}{c}"))) else {
                    return false;
                };
                plain.push(letter);
            }
            'ð' | 'đ' => plain.push('đ'),
            'a'..='z' => plain.push(c),
            _ => return false,
        }
    }
    if tones > 1 || plain.is_empty() {
        return false;
    }
    // Only these letters with marks exist.
    if plain
        .chars()
        .any(|c| !c.is_ascii() && !"ăâêôơưđ".contains(c))
    {
        return false;
    }
    ONSETS.iter().any(|onset| {
        let Some(rest) = plain.strip_prefix(onset) else {
            return false;
        };
        CODAS.iter().any(|coda| {
            let Some(nucleus) = rest.strip_suffix(coda) else {
                return false;
            };
            if coda.is_empty() {
                OPEN_NUCLEI.contains(&nucleus) || EITHER_NUCLEI.contains(&nucleus)
            } else {
                CLOSED_NUCLEI.contains(&nucleus) || EITHER_NUCLEI.contains(&nucleus)
            }
        })
    })
}

/// A string recognised as legacy text, and its Unicode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detected {
    pub encoding: Encoding,
    pub unicode: String,
}

/// Whether `s` looks like TCVN3 or VNI text read as Latin-1, and what it says in Unicode.
pub fn detect(s: &str) -> Option<Detected> {
    if s.is_ascii() || s.chars().any(|c| u32::from(c) > 0xFF) {
        return None;
    }
    let mut found: Vec<(usize, Detected)> = [Encoding::Tcvn3, Encoding::Vni]
        .into_iter()
        .filter_map(|encoding| {
            let unicode = to_unicode(encoding, s);
            let changed = plausible(encoding, s, &unicode)?;
            Some((changed, Detected { encoding, unicode }))
        })
        .collect();
    found.sort_by_key(|(changed, _)| std::cmp::Reverse(*changed));
    match found.as_slice() {
        [] => None,
        [(_, one)] => Some(one.clone()),
        [(a, first), (b, _), ..] if a > b => Some(first.clone()),
        // As plausible either way: say nothing.
        _ => None,
    }
}

/// When `converted` is a believable reading of `original`: the number of words it changes.
fn plausible(encoding: Encoding, original: &str, converted: &str) -> Option<usize> {
    if original == converted {
        return None;
    }
    let before: Vec<&str> = words(original).collect();
    let after: Vec<&str> = words(converted).collect();
    if before.len() != after.len() {
        return None;
    }
    // Every word with a Vietnamese letter must be Vietnamese.
    if after
        .iter()
        .any(|w| !w.is_ascii() && !is_vietnamese_syllable(w))
    {
        return None;
    }
    let changed: Vec<(&str, &str)> = before
        .iter()
        .zip(&after)
        .filter(|(b, a)| b != a)
        .map(|(b, a)| (*b, *a))
        .collect();
    // Something that is not Vietnamese as it stands.
    if !changed.iter().any(|(b, _)| !is_vietnamese_syllable(b)) {
        return None;
    }
    // Enough to judge: a changed word with an ASCII letter, and either two words or a changed
    // word of three letters or more (`µm` is not `àm`).
    let with_ascii = changed
        .iter()
        .any(|(_, a)| a.chars().any(|c| c.is_ascii_alphabetic()));
    let long = changed.iter().any(|(_, a)| a.chars().count() >= 3);
    if !(with_ascii && (after.len() >= 2 || long)) {
        return None;
    }
    // And enough evidence (see [`evidence`]) from the words that were not Vietnamese, plus one
    // point when two or more other words (of two letters or more, with small letters) are all
    // Vietnamese syllables (`ty`, `Nam`). A lone `Loïc`, `Seán` or `Män` scores one; `Coâng`
    // and `C«ng` two or more.
    let mut score: usize = changed
        .iter()
        .filter(|(b, _)| !is_vietnamese_syllable(b))
        .map(|(b, _)| evidence(encoding, b))
        .sum();
    let context: Vec<&str> = before
        .iter()
        .zip(&after)
        .filter(|(b, a)| b == a && a.chars().count() >= 2 && a.chars().any(|c| c.is_lowercase()))
        .map(|(b, _)| *b)
        .collect();
    if context.len() >= 2 && context.iter().all(|w| is_vietnamese_syllable(w)) {
        score += 1;
    }
    (score >= 2).then_some(changed.len())
}

/// VNI marks that also follow a vowel in European names (`Loïc`, `Seán`, `può`, `goût`,
/// `Raúl`, `Michaël`): weaker evidence than the others (`oâ`, `aø`, `eä`…).
const VNI_COMMON_MARKS: &str = "ùûïáàéúëÙÛÏÁÀÉÚË";

/// How strongly a word that is not Vietnamese as it stands speaks for `encoding`. A word of one
/// character says nothing. TCVN3: three points for a sign (0xA1–0xBF: `«`, `§`, `¸`…, never
/// inside a word of a Latin-1 language), one for a letter. VNI: two points for a mark after its
/// base that European spelling does not have (or a tone on ơ/ư), one for the others and for
/// the single-byte letters.
fn evidence(encoding: Encoding, word: &str) -> usize {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 2 {
        return 0;
    }
    let t = tables();
    let mut points = 0;
    for (k, &c) in chars.iter().enumerate() {
        if c.is_ascii() {
            continue;
        }
        points += match encoding {
            Encoding::Tcvn3 if ('\u{a1}'..='\u{bf}').contains(&c) => 3,
            Encoding::Tcvn3 => 1,
            Encoding::Vni => match k.checked_sub(1).map(|p| chars[p]) {
                Some(prev) if t.vni_pair.contains_key(&(prev, c)) => {
                    if prev.is_ascii() && VNI_COMMON_MARKS.contains(c) {
                        1
                    } else {
                        2
                    }
                }
                _ => 1,
            },
        };
    }
    points
}

/// What a suggested change does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FixKind {
    /// Legacy text converted to Unicode.
    Legacy(Encoding),
    /// Unicode normalised: composed (NFC), `Ð` (U+00D0, Icelandic eth) as `Đ` (U+0110).
    Normalize,
}

impl FixKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Legacy(e) => e.name(),
            Self::Normalize => "NFC",
        }
    }
}

/// One property value and what it would become.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextFix {
    /// Position of the feature in its file, from 0.
    pub feature: usize,
    /// The property name as the file writes it.
    pub key: String,
    pub before: String,
    pub after: String,
    pub kind: FixKind,
}

/// The string property values of a document (edits included) that look like legacy text and,
/// with `normalize`, those whose Unicode is not normalised. Nested values are not looked into.
pub fn scan(doc: &Document, normalize: bool) -> Vec<TextFix> {
    // A block of features at a time, its pages handed back after (a large mapped file is not
    // brought back into memory whole).
    doc.in_blocks(|block| {
        block
            .into_par_iter()
            .with_min_len(512)
            .flat_map_iter(|i| scan_feature(doc, i, normalize))
            .collect()
    })
}

fn scan_feature(doc: &Document, i: usize, normalize: bool) -> Vec<TextFix> {
    let mut out = Vec::new();
    let mut consider = |key: &str, text: &str| {
        if let Some(d) = detect(text) {
            out.push(TextFix {
                feature: i,
                key: key.to_string(),
                before: text.to_string(),
                after: d.unicode,
                kind: FixKind::Legacy(d.encoding),
            });
        } else if normalize {
            let n = normalize_text(text);
            if n != text {
                out.push(TextFix {
                    feature: i,
                    key: key.to_string(),
                    before: text.to_string(),
                    after: n.into_owned(),
                    kind: FixKind::Normalize,
                });
            }
        }
    };
    if doc.edits.contains_key(&i) {
        for (k, v) in doc.properties(i) {
            if let serde_json::Value::String(s) = v {
                consider(&k, &s);
            }
        }
    } else {
        for (k, json) in doc.raw_properties(i) {
            // Plain ASCII strings (most values) cannot need a change.
            if !json.starts_with('"') || (json.is_ascii() && !json.contains("\\u")) {
                continue;
            }
            if let Ok(s) = serde_json::from_str::<String>(json) {
                consider(&k, &s);
            }
        }
    }
    out
}

/// Applies fixes to a document through [`Document::set_property`] (so export writes only
/// these values anew).
pub fn apply(doc: &mut Document, fixes: &[TextFix]) {
    for f in fixes {
        doc.set_property(
            f.feature,
            &f.key,
            serde_json::Value::String(f.after.clone()),
        );
    }
}

/// How a feature is named in a listing: its `parcel_id` or `zone_id` property (or an alias),
/// else its GeoJSON id, else `#N` (its position from 1).
pub fn feature_label(doc: &Document, i: usize) -> String {
    let props = doc.properties(i);
    let find = |specs, canonical: &str| {
        props.iter().find_map(|(k, v)| {
            (canonical_key(specs, k) == Some(canonical))
                .then(|| super::properties::value_text(v))
                .filter(|t| !t.trim().is_empty())
        })
    };
    find(PARCEL_KEYS, "parcel_id")
        .or_else(|| find(ZONE_KEYS, "zone_id"))
        .or_else(|| doc.id_text(i))
        .unwrap_or_else(|| format!("#{}", i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/legacy_text");

    fn read(name: &str) -> String {
        std::fs::read_to_string(Path::new(DATA).join(name)).expect("reference file")
    }

    fn hex(s: &str) -> u32 {
        u32::from_str_radix(s, 16).expect("hex")
    }

    /// Every Vietnamese letter outside ASCII, from the VNI reference file (134 letters).
    fn all_letters() -> Vec<char> {
        read("vni_windows.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| {
                let cp = l.split(' ').nth(1).expect("code point");
                char::from_u32(hex(cp.trim_start_matches("U+"))).expect("char")
            })
            .collect()
    }

    #[test]
    fn tcvn3_matches_the_standard_table() {
        // VN1's capitals with tones (and its combining marks) are not TCVN3's.
        let mut checked = 0;
        for line in read("tcvn5712-1_glibc.txt").lines() {
            if line.starts_with('#') {
                continue;
            }
            let (byte, cp) = line.split_once(' ').expect("two columns");
            let byte = char::from_u32(hex(byte)).expect("byte");
            let letter = char::from_u32(hex(cp.trim_start_matches("U+"))).expect("char");
            let in_vn3 = letter.is_lowercase() || "ĂÂÊÔƠƯĐ".contains(letter);
            let got = tcvn3_to_unicode(&format!("x{byte}"));
            if in_vn3 && letter != '\u{a0}' {
                assert_eq!(got, format!("x{letter}"), "byte {:02X}", u32::from(byte));
                checked += 1;
            } else {
                assert_eq!(got, format!("x{byte}"), "byte {:02X} kept", u32::from(byte));
            }
        }
        // 67 lower-case letters and 7 capitals.
        assert_eq!(checked, 74);
    }

    #[test]
    fn tcvn3_phrases_from_iconv() {
        let mut n = 0;
        for line in read("phrases_tcvn3.txt").lines() {
            if line.starts_with('#') {
                continue;
            }
            let (unicode, legacy) = line.split_once(" | ").expect("two columns");
            assert_eq!(tcvn3_to_unicode(legacy), unicode);
            let d = detect(legacy).unwrap_or_else(|| panic!("{legacy} recognised"));
            assert_eq!(d.encoding, Encoding::Tcvn3, "{legacy}");
            assert_eq!(d.unicode, unicode);
            assert_eq!(unicode_to_tcvn3(unicode), legacy);
            n += 1;
        }
        assert_eq!(n, 10);
    }

    #[test]
    fn vni_matches_the_reference_table() {
        let mut n = 0;
        for line in read("vni_windows.txt").lines() {
            if line.starts_with('#') {
                continue;
            }
            let mut cols = line.split(' ');
            let letter = cols.next().expect("letter");
            let _cp = cols.next();
            let legacy: String = cols.map(|b| latin1(hex(b) as u8)).collect();
            assert_eq!(vni_to_unicode(&legacy), letter, "{legacy}");
            assert_eq!(unicode_to_vni(letter), legacy, "{letter}");
            n += 1;
        }
        assert_eq!(n, 134);
    }

    #[test]
    fn known_pairs() {
        // The brief's examples and hand-worked ones from the published tables.
        assert_eq!(tcvn3_to_unicode("C«ng ty TNHH"), "Công ty TNHH");
        assert_eq!(vni_to_unicode("Coâng ty"), "Công ty");
        assert_eq!(vni_to_unicode("Xin chaøo caùc baïn"), "Xin chào các bạn");
        assert_eq!(vni_to_unicode("Ñoàng Nai"), "Đồng Nai");
        assert_eq!(vni_to_unicode("Tröôøng Sôn"), "Trường Sơn");
        assert_eq!(vni_to_unicode("COÂNG TY"), "CÔNG TY");
        // `.VnTimeH`: capitals at the lower-case bytes.
        assert_eq!(tcvn3_to_unicode("C«NG TY TNHH"), "CÔNG TY TNHH");
        assert_eq!(tcvn3_to_unicode("§¹I §åNG"), "ĐẠI ĐỒNG");
        // A capital in a word in lower case is not a `.VnTimeH` word.
        assert_eq!(tcvn3_to_unicode("TP. Hå ChÝ Minh"), "TP. Hồ Chí Minh");
        assert_eq!(
            detect("Coâng ty TNHH Ñaïi Phaùt"),
            Some(Detected {
                encoding: Encoding::Vni,
                unicode: "Công ty TNHH Đại Phát".into()
            })
        );
    }

    #[test]
    fn round_trips_over_every_letter() {
        let letters = all_letters();
        assert_eq!(letters.len(), 134);
        for &c in &letters {
            let s = format!("x{c}y");
            assert_eq!(vni_to_unicode(&unicode_to_vni(&s)), s, "VNI {c}");
            let back = tcvn3_to_unicode(&unicode_to_tcvn3(&s));
            // TCVN3 has no capitals with tones: they come back in lower case.
            let expect = if c.is_uppercase() && !"ĂÂÊÔƠƯĐ".contains(c) {
                format!("x{}y", c.to_lowercase())
            } else {
                s.clone()
            };
            assert_eq!(back, expect, "TCVN3 {c}");
        }
        // Decomposed input round-trips to composed output.
        assert_eq!(
            vni_to_unicode(&unicode_to_vni("Vie\u{302}\u{323}t")),
            "Việt"
        );
    }

    #[test]
    fn no_false_positives_on_ordinary_text() {
        for s in [
            "Café",
            "Société Générale",
            "Müller",
            "Müller GmbH & Co. KG",
            "Hôtel du Lac",
            "Crème brûlée",
            "São Paulo",
            "Peña Nieto",
            "Zürich Versicherung",
            "Façade à Paris",
            "Château Lafite",
            "Renée Dubois",
            "Loïc",
            "Loïc Dupont",
            "Seán",
            "Män",
            "søn",
            "può",
            "© 2020 Samsung",
            "5 µm",
            "25 m²",
            "½ ha",
            "Công ty TNHH",
            "Công ty cổ phần",
            "Tân Bình",
            "Khánh Hòa",
            "Tây Ninh",
            "Cà Mau",
            "Sài Gòn",
            "Yên Phong",
            "Lào Cai",
            "Phú Thọ",
            "Thuận Thành",
            "Ðông Anh",
            "Đang hoạt động",
            "Samsung Electronics Vietnam",
            "KCN Quế Võ",
            "",
        ] {
            assert_eq!(detect(s), None, "{s}");
        }
        // Too little to tell from a name: one common mark (the price of leaving `Loïc` alone).
        assert_eq!(detect("Loïc Nam"), None);
        assert_eq!(detect("Män"), None);
        // A mark European spelling does not put after a vowel is enough on its own.
        assert!(detect("Coâng").is_some());
        assert!(detect("Coâng ty").is_some());
    }

    #[test]
    fn the_sample_has_no_legacy_text() {
        for file in ["zones.geojson", "parcels.geojson"] {
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("sample_zones")
                .join(file);
            let doc = Document::open(&path).expect("sample");
            assert_eq!(scan(&doc, false), Vec::new(), "{file}");
            // And every one of its strings that is all Latin-1 stays as it is.
            let mut seen = 0;
            for i in 0..doc.len() {
                for (_, v) in doc.properties(i) {
                    if let serde_json::Value::String(s) = v {
                        assert_eq!(detect(&s), None, "{s}");
                        seen += 1;
                    }
                }
            }
            assert!(seen > 50, "{file}: {seen} strings");
        }
    }

    #[test]
    fn syllables() {
        for w in [
            "công",
            "nghiệp",
            "quế",
            "võ",
            "khánh",
            "hòa",
            "hoà",
            "yên",
            "giá",
            "gìn",
            "quý",
            "xoong",
            "thuở",
            "khuya",
            "nguyễn",
            "Đông",
            "ĐÔNG",
            "Ðông",
            "trường",
            "kìa",
        ] {
            assert!(is_vietnamese_syllable(w), "{w}");
        }
        assert!(is_vietnamese_syllable("hoa\u{323}t"), "decomposed");
        assert!(!is_vietnamese_syllable("b\u{302}"), "a mark on a consonant");
        for w in [
            "café",
            "müller",
            "société",
            "où",
            "pâte",
            "sóo",
            "c«ng",
            "coâng",
            "fộ",
            "hoáà",
        ] {
            assert!(!is_vietnamese_syllable(w), "{w}");
        }
    }

    #[test]
    fn scan_and_apply_change_only_the_legacy_values() {
        let src = r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","id":"P1","properties":{"parcel_id":"A-01","tenant":"C«ng ty TNHH §¹i Ph¸t","area":1.830,"note":"Café"},"geometry":null},
 {"type":"Feature","properties":{"tenant":"Coâng ty Ñoàng Nai","ten":"Ðông Anh","n":"Que\u0302\u0301 Vo\u0303"},"geometry":null}
]}"#;
        let mut doc =
            Document::parse(Path::new("t.geojson"), src.as_bytes().to_vec()).expect("parses");
        let fixes = scan(&doc, false);
        let got: Vec<(usize, &str, &str, FixKind)> = fixes
            .iter()
            .map(|f| (f.feature, f.key.as_str(), f.after.as_str(), f.kind))
            .collect();
        assert_eq!(
            got,
            [
                (
                    0,
                    "tenant",
                    "Công ty TNHH Đại Phát",
                    FixKind::Legacy(Encoding::Tcvn3)
                ),
                (
                    1,
                    "tenant",
                    "Công ty Đồng Nai",
                    FixKind::Legacy(Encoding::Vni)
                ),
            ]
        );
        assert_eq!(feature_label(&doc, 0), "A-01");
        assert_eq!(feature_label(&doc, 1), "#2");
        let with_norm = scan(&doc, true);
        assert_eq!(with_norm.len(), 4);
        assert_eq!(with_norm[2].after, "Đông Anh");
        assert_eq!(with_norm[3].after, "Quế Võ");
        assert_eq!(with_norm[3].kind, FixKind::Normalize);
        apply(&mut doc, &fixes);
        let out = super::super::export::render(&doc, |_| Vec::new());
        assert!(out.contains("1.830"), "number spelling kept: {out}");
        let v: serde_json::Value = serde_json::from_str(&out).expect("json");
        assert_eq!(
            v["features"][0]["properties"]["tenant"],
            "Công ty TNHH Đại Phát"
        );
        assert_eq!(v["features"][0]["properties"]["note"], "Café");
        assert_eq!(v["features"][1]["properties"]["ten"], "Ðông Anh");
        // After the edits, nothing is left to convert.
        assert_eq!(scan(&doc, false), Vec::new());
    }
}
