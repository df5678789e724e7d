//! "Import tenant table": what a tenant table would change (how many lots and values, which
//! rows name no lot or several), asked before it is applied as one edit.

use crate::engine::join::Joined;
use crate::i18n::Lang;
use crate::i18n::{Key, tr, trf};

/// A table joined to the lots, waiting for the answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    /// The table's file name, for the question and the Edit menu.
    pub file: String,
    pub joined: Joined,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Apply,
    Cancel,
}

/// Row numbers as a list, the first ten and how many more.
fn rows(list: &[usize]) -> String {
    let mut s: Vec<String> = list.iter().take(10).map(usize::to_string).collect();
    if list.len() > 10 {
        s.push(format!("… (+{})", list.len() - 10));
    }
    s.join(", ")
}

/// Shows the question; the answer once the user gives one (Escape or a click outside cancels).
pub fn show(ctx: &egui::Context, lang: Lang, pending: &Pending) -> Option<Answer> {
    let j = &pending.joined;
    let mut body = trf(
        lang,
        Key::ImportTableBody,
        &[
            ("file", &pending.file),
            ("values", &j.ops.len().to_string()),
            ("lots", &j.lots.to_string()),
        ],
    );
    if !j.unmatched.is_empty() {
        let list: Vec<usize> = j.unmatched.iter().map(|(r, _)| *r).collect();
        body.push('\n');
        body.push_str(&trf(
            lang,
            Key::ImportTableUnmatched,
            &[("rows", &rows(&list))],
        ));
    }
    if !j.ambiguous.is_empty() {
        let list: Vec<usize> = j.ambiguous.iter().map(|(r, _, _)| *r).collect();
        body.push('\n');
        body.push_str(&trf(
            lang,
            Key::ImportTableAmbiguous,
            &[("rows", &rows(&list))],
        ));
    }
    super::ask(
        ctx,
        "import_table",
        460.0,
        (tr(lang, Key::ImportTableTitle), &body),
        &[
            (tr(lang, Key::ApplyTable), Answer::Apply),
            (tr(lang, Key::Cancel), Answer::Cancel),
        ],
        Some(Answer::Cancel),
    )
}
