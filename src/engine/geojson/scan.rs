//! The structural scanner: where JSON strings, values, object members and array elements begin
//! and end in a text, without building anything.
//!
//! It follows strings (escapes included) and brackets (which must match) but does not check
//! numbers or literals: serde_json does that, once, where a text is first read (see
//! [`super::document`]). Everything that finds its way through GeoJSON text (the document's
//! top level, the parallel split of the features array, properties, the geometry walker,
//! `bbox` members) goes through these functions. `None` means "not what was expected here"; the
//! caller decides what that is worth (usually: let serde_json word the error).

use rayon::prelude::*;
use std::borrow::Cow;
use std::ops::Range;

/// The first byte at or after `i` that is not JSON whitespace.
pub fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// The first `"`, `\` or control character (which may not appear raw in a string) in `b` from
/// `k` on, eight bytes at a time.
#[inline]
fn string_stop(b: &[u8], mut k: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = b.get(k..k + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        // A byte below n sets its high bit in (w - n repeated) & !w; a zero byte of w ^ (c
        // repeated) is a byte equal to c. The lowest flag of each test is exact (later ones
        // may be false alarms, never earlier ones), so the lowest flag of all three is.
        let (q, s) = (w ^ (ONES * u64::from(b'"')), w ^ (ONES * u64::from(b'\\')));
        let found = ((q.wrapping_sub(ONES) & !q)
            | (s.wrapping_sub(ONES) & !s)
            | (w.wrapping_sub(ONES * 0x20) & !w))
            & HIGH;
        if found != 0 {
            return Some(k + (found.trailing_zeros() / 8) as usize);
        }
        k += 8;
    }
    (k..b.len()).find(|&j| matches!(b[j], b'"' | b'\\' | 0..0x20))
}

/// The end (one past the closing quote) of the string whose opening quote is at `i`, and
/// whether it has escapes.
pub fn string_end(b: &[u8], i: usize) -> Option<(usize, bool)> {
    let mut escaped = false;
    let mut j = i + 1;
    loop {
        j = string_stop(b, j)?;
        match b[j] {
            b'"' => return Some((j + 1, escaped)),
            b'\\' => {
                escaped = true;
                j += 2;
            }
            _ => return None,
        }
    }
}

/// A JSON string's content: borrowed when it has no escapes, decoded by serde_json when it has.
/// `raw` is the string with its quotes.
pub fn string_text(raw: &str, escaped: bool) -> Option<Cow<'_, str>> {
    if escaped {
        serde_json::from_str::<String>(raw).ok().map(Cow::Owned)
    } else {
        raw.get(1..raw.len().checked_sub(1)?).map(Cow::Borrowed)
    }
}

/// Byte classes outside strings: what needs a look, and what can be stepped over.
const PLAIN: u8 = 0;
const QUOTE: u8 = 1;
const OPEN: u8 = 2;
const CLOSE: u8 = 3;

static CLASSES: [u8; 256] = {
    let mut t = [PLAIN; 256];
    t[b'"' as usize] = QUOTE;
    t[b'{' as usize] = OPEN;
    t[b'[' as usize] = OPEN;
    t[b'}' as usize] = CLOSE;
    t[b']' as usize] = CLOSE;
    t
};

/// Nesting deeper than this is refused (serde_json's own limit is 128 too).
const MAX_DEPTH: u32 = 128;

/// The end of the JSON value starting at `i`: a string, an object or array (brackets must
/// match; content is not checked) or a scalar (up to the next delimiter).
pub fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => string_end(b, i).map(|(end, _)| end),
        first @ (b'{' | b'[') => {
            // The open brackets as bits (1 for a brace), innermost lowest.
            let mut open: u128 = u128::from(first == b'{');
            let mut depth = 1u32;
            let mut j = i + 1;
            loop {
                while j < b.len() && CLASSES[b[j] as usize] == PLAIN {
                    j += 1;
                }
                let c = *b.get(j)?;
                match CLASSES[c as usize] {
                    QUOTE => {
                        j = string_end(b, j)?.0;
                        continue;
                    }
                    OPEN => {
                        if depth == MAX_DEPTH {
                            return None;
                        }
                        open = (open << 1) | u128::from(c == b'{');
                        depth += 1;
                    }
                    _ => {
                        if (open & 1 == 1) != (c == b'}') {
                            return None;
                        }
                        open >>= 1;
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                }
                j += 1;
            }
        }
        b',' | b'}' | b']' | b':' => None,
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            {
                j += 1;
            }
            (j > i).then_some(j)
        }
    }
}

/// The end of the number starting at `i` (its digits, sign, point and exponent; checked by
/// whoever parses it).
#[inline]
pub fn number_end(b: &[u8], i: usize) -> usize {
    let mut j = i;
    while j < b.len() && matches!(b[j], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') {
        j += 1;
    }
    j
}

/// An object member's key as written: the JSON string with its quotes, and whether it has
/// escapes.
#[derive(Clone, Copy, Debug)]
pub struct Key<'a> {
    pub raw: &'a str,
    pub escaped: bool,
}

impl<'a> Key<'a> {
    /// The key's text (decoded when it has escapes).
    pub fn text(&self) -> Option<Cow<'a, str>> {
        string_text(self.raw, self.escaped)
    }

    /// Whether the key is `name` (a plain ASCII name).
    pub fn is(&self, name: &str) -> bool {
        if self.escaped {
            self.text().is_some_and(|t| t == name)
        } else {
            self.raw.len() == name.len() + 2 && &self.raw[1..self.raw.len() - 1] == name
        }
    }
}

/// Steps through the object whose `{` is at `open`: for each member, `value(key, start)`
/// is given the key and where the value starts, and returns where the value ends (`None`
/// stops the scan). Returns the end of the object, one past its `}`.
pub fn object<'a>(
    text: &'a str,
    open: usize,
    mut value: impl FnMut(Key<'a>, usize) -> Option<usize>,
) -> Option<usize> {
    let b = text.as_bytes();
    if b.get(open) != Some(&b'{') {
        return None;
    }
    let mut k = skip_ws(b, open + 1);
    if b.get(k) == Some(&b'}') {
        return Some(k + 1);
    }
    loop {
        if b.get(k) != Some(&b'"') {
            return None;
        }
        let (key_end, escaped) = string_end(b, k)?;
        let key = Key {
            raw: text.get(k..key_end)?,
            escaped,
        };
        k = skip_ws(b, key_end);
        if b.get(k) != Some(&b':') {
            return None;
        }
        let start = skip_ws(b, k + 1);
        k = skip_ws(b, value(key, start)?);
        match b.get(k) {
            Some(b',') => k = skip_ws(b, k + 1),
            Some(b'}') => return Some(k + 1),
            _ => return None,
        }
    }
}

/// The members of the object that is `text` (whitespace around it allowed), in file order:
/// each key's text and its value's byte range. `None` when it is not an object that scans.
pub fn members(text: &str) -> Option<Vec<(Cow<'_, str>, Range<usize>)>> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(16);
    let open = skip_ws(b, 0);
    let end = object(text, open, |key, start| {
        let end = skip_value(b, start)?;
        out.push((key.text()?, start..end));
        Some(end)
    })?;
    (skip_ws(b, end) == b.len()).then_some(out)
}

/// The value of member `name` of the object at `open`, when it has exactly one.
pub fn member(text: &str, open: usize, name: &str) -> Option<Range<usize>> {
    let b = text.as_bytes();
    let mut found = None;
    let mut count = 0;
    object(text, open, |key, start| {
        let end = skip_value(b, start)?;
        if key.is(name) {
            found = Some(start..end);
            count += 1;
        }
        Some(end)
    })?;
    found.filter(|_| count == 1)
}

/// Steps through the array whose `[` is at `open`: `element(start)` returns where the element
/// starting at `start` ends (`None` stops the scan). Returns the end of the array, one past
/// its `]`.
pub fn array(
    text: &str,
    open: usize,
    mut element: impl FnMut(usize) -> Option<usize>,
) -> Option<usize> {
    let b = text.as_bytes();
    if b.get(open) != Some(&b'[') {
        return None;
    }
    let mut k = skip_ws(b, open + 1);
    if b.get(k) == Some(&b']') {
        return Some(k + 1);
    }
    loop {
        k = skip_ws(b, element(k)?);
        match b.get(k) {
            Some(b',') => k = skip_ws(b, k + 1),
            Some(b']') => return Some(k + 1),
            _ => return None,
        }
    }
}

/// The elements of the array that is `text` (whitespace around it allowed), as byte ranges.
pub fn elements(text: &str) -> Option<Vec<Range<usize>>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let open = skip_ws(b, 0);
    let end = array(text, open, |start| {
        let end = skip_value(b, start)?;
        out.push(start..end);
        Some(end)
    })?;
    (skip_ws(b, end) == b.len()).then_some(out)
}

/// A large array split: its elements' ranges, what `read` made of each (when it read it), and
/// the array's end.
pub struct Split<T> {
    pub items: Vec<Range<usize>>,
    pub read: Vec<Option<T>>,
    pub end: usize,
}

/// Arrays shorter than this are split by one thread.
pub const PARALLEL_SPLIT_MIN: usize = 4 << 20;

/// The elements of the array whose `[` is at `open`.
///
/// `read(start)` may read an element itself, returning its end and what it made of it (this is
/// how a feature's members are found in the same pass); where it returns `None` the element is
/// stepped over with [`skip_value`].
///
/// A large array is split in parallel: each worker starts at a guessed element start and scans
/// whole elements up to the next worker's guess. A guess is used only once the scan before it,
/// itself confirmed, lands exactly on it, so guesses decide nothing; the first one that is not
/// confirmed hands the rest of the array back to a plain sequential scan.
pub fn split_array<T: Send>(
    text: &str,
    open: usize,
    read: impl Fn(usize) -> Option<(usize, T)> + Sync,
) -> Option<Split<T>> {
    let b = text.as_bytes();
    if b.get(open) != Some(&b'[') {
        return None;
    }
    let first = skip_ws(b, open + 1);
    if b.get(first) == Some(&b']') {
        return Some(Split {
            items: Vec::new(),
            read: Vec::new(),
            end: first + 1,
        });
    }
    let len = b.len().saturating_sub(first);
    let chunks = if len >= PARALLEL_SPLIT_MIN {
        rayon::current_num_threads() * 4
    } else {
        1
    };
    let mut starts = vec![first];
    for c in 1..chunks {
        if let Some(q) = guess_element_start(b, first + len / chunks * c)
            && q > *starts.last()?
        {
            starts.push(q);
        }
    }
    let scanned: Vec<Run<T>> = starts
        .par_iter()
        .enumerate()
        .map(|(c, &q)| {
            run(
                b,
                q,
                starts.get(c + 1).copied().unwrap_or(usize::MAX),
                &read,
            )
        })
        .collect();
    let total = scanned.iter().map(|s| s.items.len()).sum();
    let mut split = Split {
        items: Vec::with_capacity(total),
        read: Vec::with_capacity(total),
        end: 0,
    };
    for (c, part) in scanned.into_iter().enumerate() {
        split.items.extend(part.items);
        split.read.extend(part.read);
        match part.outcome {
            Outcome::End(end) => {
                split.end = end;
                return Some(split);
            }
            Outcome::Broken => return None,
            Outcome::Next(j) if starts.get(c + 1) == Some(&j) => {}
            Outcome::Next(j) => {
                let rest = run(b, j, usize::MAX, &read);
                split.items.extend(rest.items);
                split.read.extend(rest.read);
                return match rest.outcome {
                    Outcome::End(end) => {
                        split.end = end;
                        Some(split)
                    }
                    _ => None,
                };
            }
        }
    }
    None
}

/// Elements found from one start, and how the scan stopped.
struct Run<T> {
    items: Vec<Range<usize>>,
    read: Vec<Option<T>>,
    outcome: Outcome,
}

enum Outcome {
    /// The next element starts here, at or past the place to stop.
    Next(usize),
    /// The array closes; one past its `]`.
    End(usize),
    /// Not an array of JSON values from here.
    Broken,
}

/// Scans the array's elements from `j` (the start of one) until the next element would start
/// at or past `stop`.
fn run<T>(
    b: &[u8],
    mut j: usize,
    stop: usize,
    read: &impl Fn(usize) -> Option<(usize, T)>,
) -> Run<T> {
    let mut items = Vec::new();
    let mut made = Vec::new();
    let outcome = loop {
        if j >= stop {
            break Outcome::Next(j);
        }
        let (end, value) = match read(j) {
            Some((end, value)) => (end, Some(value)),
            None => match skip_value(b, j) {
                Some(end) => (end, None),
                None => break Outcome::Broken,
            },
        };
        items.push(j..end);
        made.push(value);
        j = skip_ws(b, end);
        match b.get(j) {
            Some(b',') => j = skip_ws(b, j + 1),
            Some(b']') => break Outcome::End(j + 1),
            _ => break Outcome::Broken,
        }
    };
    Run {
        items,
        read: made,
        outcome,
    }
}

/// A likely element start at or after `p`: an object following a comma. Only a guess.
fn guess_element_start(b: &[u8], p: usize) -> Option<usize> {
    let end = b.len().min(p.saturating_add(1 << 20));
    let mut j = p;
    while j < end {
        if b[j] == b',' {
            let k = skip_ws(b, j + 1);
            if b.get(k) == Some(&b'{') {
                return Some(k);
            }
        }
        j += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_stops_are_found_eight_bytes_at_a_time() {
        let text = "Tên KCN \"Quế Võ\" \\ ab\x01\x7f\u{ff}\"cd\\\\efghij\nklmnopq\"r".as_bytes();
        for k in 0..=text.len() {
            let naive = (k..text.len()).find(|&j| matches!(text[j], b'"' | b'\\' | 0..0x20));
            assert_eq!(string_stop(text, k), naive, "from {k}");
        }
        assert_eq!(string_stop(b"abcdefghijklmnop\x7f\xff", 0), None);
    }

    #[test]
    fn values_end_where_serde_json_says() {
        let text = r#"{"a]":"x\"}]{","b":[[1,{"c":"]"}]], "é\u00e9": -1.5e3}  "#;
        let end = skip_value(text.as_bytes(), 0).expect("an object");
        let mut de = serde_json::Deserializer::from_str(text).into_iter::<serde::de::IgnoredAny>();
        assert!(de.next().is_some_and(|r| r.is_ok()));
        assert_eq!(end, de.byte_offset());
        let m = members(text).expect("members");
        let keys: Vec<&str> = m.iter().map(|(k, _)| k.as_ref()).collect();
        assert_eq!(keys, ["a]", "b", "éé"]);
        assert_eq!(&text[m[2].1.clone()], "-1.5e3");
        assert_eq!(
            member(text, 0, "b").map(|r| &text[r]),
            Some(r#"[[1,{"c":"]"}]]"#)
        );
        assert_eq!(member(r#"{"b":1,"b":2}"#, 0, "b"), None, "two are none");
        // Mismatched brackets, a raw control character in a string, depth past the limit.
        assert_eq!(skip_value(b"[1,{]}", 0), None);
        assert_eq!(skip_value(b"\"a\nb\"", 0), None);
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert_eq!(skip_value(deep.as_bytes(), 0), None);
        let fine = "[".repeat(100) + &"]".repeat(100);
        assert_eq!(skip_value(fine.as_bytes(), 0), Some(200));
        assert_eq!(elements(" [1, \"2\" ,[3], {}] ").map(|e| e.len()), Some(4));
        assert_eq!(elements("[1,]"), None);
        assert_eq!(members("{\"a\":1,}"), None);
    }

    #[test]
    fn large_arrays_split_in_parallel_as_in_sequence() {
        // Strings full of `, {` put some of the parallel guesses inside strings; those must be
        // caught, and the result must still be the sequential one.
        let tricky = r#"{"note":"a, {\"b\": [1, {2}] }, {x"}"#;
        let plain = r#"{"n":[{"a":1}, {"b":2}]}"#;
        let mut text = String::from("[");
        let mut k = 0;
        while text.len() < 3 * PARALLEL_SPLIT_MIN {
            if k > 0 {
                text.push_str(",\n");
            }
            text.push_str(if k % 3 == 0 { tricky } else { plain });
            k += 1;
        }
        text.push(']');
        let b = text.as_bytes();
        let split = split_array(&text, 0, |j| {
            if j % 5 == 0 {
                Some((skip_value(b, j)?, j))
            } else {
                None
            }
        })
        .expect("splits");
        assert_eq!(split.items, elements(&text).expect("elements"));
        assert_eq!(split.end, text.len());
        assert!(split.items.iter().zip(&split.read).all(|(r, m)| match m {
            Some(j) => *j == r.start && j % 5 == 0,
            None => r.start % 5 != 0,
        }));
        // Broken text far into the array is refused.
        let at = text.rfind(plain).expect("a plain element");
        let broken = format!("{}{{]{}", &text[..at], &text[at + plain.len()..]);
        assert!(split_array(&broken, 0, |_| None::<(usize, ())>).is_none());
    }
}
