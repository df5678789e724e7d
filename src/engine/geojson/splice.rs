//! The one way text is edited: byte ranges of an original replaced by new text, everything
//! else copied as it is.
//!
//! Export (edited properties, converted coordinates, recomputed `bbox` members) and the
//! coordinate conversion of a geometry all build a list of [`Splice`]s and apply it here, so
//! that "copy the file, change only these bytes" has one implementation.

use std::ops::Range;

/// Replace `range` of the original with `text` (an empty range inserts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Splice {
    pub range: Range<usize>,
    pub text: String,
}

impl Splice {
    pub fn new(range: Range<usize>, text: impl Into<String>) -> Splice {
        Splice {
            range,
            text: text.into(),
        }
    }
}

/// `original` with the splices applied. They are sorted here (an insertion before a
/// replacement at the same place); ranges must not overlap, and a splice that does (or that
/// lies outside the text, or off a character boundary) is left out rather than corrupting the
/// copy.
pub fn apply(original: &str, mut splices: Vec<Splice>) -> String {
    splices.sort_by_key(|s| (s.range.start, s.range.end));
    let grow: usize = splices.iter().map(|s| s.text.len()).sum();
    let mut out = String::with_capacity(original.len() + grow);
    let mut copied = 0;
    for s in splices {
        let (start, end) = (s.range.start, s.range.end);
        let Some(before) = original.get(copied..start) else {
            continue;
        };
        if start > end || original.get(start..end).is_none() {
            continue;
        }
        out.push_str(before);
        out.push_str(&s.text);
        copied = end;
    }
    out.push_str(&original[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splices_apply_in_order_and_overlaps_are_left_out() {
        let text = "abcdefgh";
        let out = apply(
            text,
            vec![
                Splice::new(6..8, "GH"),
                Splice::new(0..0, "<"),
                Splice::new(0..1, "A"),
                Splice::new(1..3, "X"),
                Splice::new(2..4, "overlaps"),
                Splice::new(9..10, "outside"),
            ],
        );
        assert_eq!(out, "<AXdefGH");
        assert_eq!(apply(text, Vec::new()), text);
        assert_eq!(
            apply("é", vec![Splice::new(1..2, "x")]),
            "é",
            "off a boundary"
        );
    }
}
