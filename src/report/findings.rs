//! The findings as `check` prints them: one line each (`severity: code layer #N (id):
//! message`, then a count), or JSON objects with exactly the fields `severity`, `code`,
//! `layer`, `feature`, `id`, `message` and, for pairs, `other`. Only `message` (and the count
//! line) is in the reader's language; codes stay as scripts match them.

use serde::Serialize;

use crate::engine::findings::{Finding, Severity};
use crate::i18n::{Key, Lang, Message, trf};

/// One finding as JSON carries it.
#[derive(Serialize)]
pub struct Record<'a> {
    severity: Severity,
    code: crate::engine::findings::Code,
    layer: &'static str,
    feature: usize,
    id: &'a str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    other: Option<usize>,
}

impl<'a> Record<'a> {
    pub fn of(f: &'a Finding, lang: Lang) -> Record<'a> {
        Record {
            severity: f.severity(),
            code: f.code(),
            layer: f.layer.code(),
            feature: f.feature,
            id: &f.id,
            message: f.message(lang),
            other: f.other(),
        }
    }
}

/// The findings' records, for a JSON document.
pub fn records(findings: &[Finding], lang: Lang) -> Vec<Record<'_>> {
    findings.iter().map(|f| Record::of(f, lang)).collect()
}

/// How many findings of each severity: errors, warnings, notes.
pub fn counts(findings: &[Finding]) -> [usize; 3] {
    let n = |s: Severity| findings.iter().filter(|f| f.severity() == s).count();
    [n(Severity::Error), n(Severity::Warning), n(Severity::Info)]
}

/// The count line's values for [`Key::CheckSummary`] and [`Key::ReportFindings`].
pub fn count_args(findings: &[Finding]) -> [(&'static str, String); 3] {
    let [e, w, n] = counts(findings);
    [
        ("errors", e.to_string()),
        ("warnings", w.to_string()),
        ("notes", n.to_string()),
    ]
}

/// `check`'s text: a line per finding, then the count.
pub fn check_text(findings: &[Finding], lang: Lang) -> String {
    let mut s = String::new();
    for f in findings {
        s.push_str(&format!(
            "{}: {} {} #{} ({}): {}\n",
            f.severity().code(),
            f.code(),
            f.layer.code(),
            f.feature,
            f.id,
            f.message(lang)
        ));
    }
    let args = count_args(findings);
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    s.push_str(&trf(lang, Key::CheckSummary, &args));
    s.push('\n');
    s
}

/// `check --format json`: the findings as a JSON array.
pub fn check_json(findings: &[Finding], lang: Lang) -> String {
    serde_json::to_string_pretty(&records(findings, lang)).unwrap_or_default() + "\n"
}
