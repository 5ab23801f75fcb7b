//! The baseline: today's findings recorded in a file, so that CI fails
//! only on new ones (`--write-baseline FILE`, `--baseline FILE`).
//!
//! A finding is recorded by what it is about, not where it is: its rule,
//! its file, the function holding it and the code it points at (spaces
//! collapsed), or, for a finding about a pair of applications, its
//! subject. Lines moving, code added elsewhere in the file or the message
//! worded differently leave the fingerprint alone. Identical fingerprints
//! (the same call twice in one function) are counted.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::registry::{self, Finding};
use super::source::source_file;
use crate::model::Project;

/// The format name written in every baseline file.
const FORMAT: &str = "otpmap.baseline/1";

/// What identifies a finding across edits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Fingerprint {
    code: String,
    file: String,
    function: String,
    call: String,
}

/// One entry of the file: a fingerprint and how many findings have it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Entry {
    pub(crate) rule: String,
    pub(crate) code: String,
    pub(crate) file: String,
    /// `module:function/arity`, empty outside a function.
    #[serde(default)]
    pub(crate) function: String,
    /// The code the finding points at, or its subject.
    pub(crate) call: String,
    #[serde(default = "one")]
    pub(crate) count: usize,
    /// The first finding's message, for the people reading the file; not
    /// compared.
    #[serde(default)]
    message: String,
}

fn one() -> usize {
    1
}

#[derive(Serialize, Deserialize)]
struct File {
    format: String,
    findings: Vec<Entry>,
}

/// What applying a baseline did.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    /// The baseline file, as given.
    pub(crate) file: String,
    /// Findings left out because the baseline has them.
    pub(crate) baselined: usize,
    /// Entries (with the count not matched) that no longer occur: fixed.
    pub(crate) stale: Vec<Entry>,
}

/// The fingerprint of a finding.
fn fingerprint(project: &Project, f: &Finding) -> Fingerprint {
    if let Some(subject) = &f.subject {
        return Fingerprint {
            code: f.rule.code.to_owned(),
            file: String::new(),
            function: String::new(),
            call: subject.clone(),
        };
    }
    let (function, call) = match source_file(project, &f.file) {
        Some(file) => (enclosing_function(project, f), code_at(file, f)),
        None => (String::new(), String::new()),
    };
    Fingerprint {
        code: f.rule.code.to_owned(),
        file: f.file.clone(),
        function,
        call,
    }
}

/// `module:function/arity` of the function whose form holds the finding's
/// first line.
fn enclosing_function(project: &Project, f: &Finding) -> String {
    let Some(m) = project.sources.modules.iter().find(|m| m.file == f.file) else {
        return String::new();
    };
    let lines = m.index.file.line_index();
    m.index
        .functions
        .iter()
        .find(|e| {
            let r = e.range();
            lines.line(r.start) <= f.line && f.line <= lines.line(r.end)
        })
        .map(|e| {
            format!(
                "{}:{}/{}",
                crate::syntax::print::atom_text(&m.name),
                crate::syntax::print::atom_text(e.name()),
                e.arity
            )
        })
        .unwrap_or_default()
}

/// The text from the finding's start to its end, whitespace collapsed and
/// at most 200 characters.
fn code_at(file: &crate::syntax::SourceFile, f: &Finding) -> String {
    let mut text = String::new();
    for line in f.line..=f.end_line.max(f.line) {
        let whole = file.line_index().line_text(&file.text, line);
        let from = if line == f.line { f.column - 1 } else { 0 };
        let to = if line == f.end_line {
            f.end_column.saturating_sub(1)
        } else {
            u32::MAX
        };
        let part: String = whole
            .chars()
            .skip(from as usize)
            .take(to.saturating_sub(from) as usize)
            .collect();
        text.push_str(&part);
        text.push(' ');
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    text.chars().take(200).collect()
}

/// The baseline file for these findings.
pub(crate) fn write(project: &Project, findings: &[Finding]) -> String {
    let mut entries: BTreeMap<Fingerprint, Entry> = BTreeMap::new();
    for f in findings {
        let fp = fingerprint(project, f);
        entries
            .entry(fp.clone())
            .and_modify(|e| e.count += 1)
            .or_insert_with(|| Entry {
                rule: f.rule.name.to_owned(),
                code: fp.code,
                file: fp.file,
                function: fp.function,
                call: fp.call,
                count: 1,
                message: f.message.clone(),
            });
    }
    let file = File {
        format: FORMAT.to_owned(),
        findings: entries.into_values().collect(),
    };
    let mut out = serde_json::to_string_pretty(&file).unwrap_or_default();
    out.push('\n');
    out
}

/// Why a baseline file cannot be used.
#[derive(Debug, thiserror::Error)]
pub(crate) enum BaselineError {
    #[error("{file} is not an otpmap baseline ({why}); write one with `otpmap lint --write-baseline {file}`")]
    Malformed { file: String, why: String },
}

/// Reads a baseline file's text (`file` names it in errors).
pub(crate) fn read(text: &str, file: &str) -> Result<Vec<Entry>, BaselineError> {
    let malformed = |why: String| BaselineError::Malformed {
        file: file.to_owned(),
        why,
    };
    let parsed: File = serde_json::from_str(text).map_err(|e| malformed(e.to_string()))?;
    if parsed.format != FORMAT {
        return Err(malformed(format!(
            "format `{}`, expected `{FORMAT}`",
            parsed.format
        )));
    }
    Ok(parsed.findings)
}

/// Removes the findings the baseline holds (up to each entry's count) and
/// says how many, and which entries no longer occur.
pub(crate) fn apply(
    project: &Project,
    entries: &[Entry],
    file: &str,
    findings: &mut Vec<Finding>,
) -> Outcome {
    // A rule is matched by code; an entry naming only a known rule name
    // (hand-written) still matches.
    let mut left: BTreeMap<Fingerprint, (usize, &Entry)> = BTreeMap::new();
    for e in entries {
        let code = registry::find(&e.code)
            .or_else(|| registry::find(&e.rule))
            .map_or(e.code.clone(), |r| r.code.to_owned());
        let fp = Fingerprint {
            code,
            file: e.file.clone(),
            function: e.function.clone(),
            call: e.call.clone(),
        };
        left.entry(fp).or_insert((0, e)).0 += e.count;
    }
    let before = findings.len();
    findings.retain(|f| match left.get_mut(&fingerprint(project, f)) {
        Some((n, _)) if *n > 0 => {
            *n -= 1;
            false
        }
        _ => true,
    });
    let stale = left
        .into_values()
        .filter(|(n, _)| *n > 0)
        .map(|(n, e)| Entry {
            count: n,
            ..e.clone()
        })
        .collect();
    Outcome {
        file: file.to_owned(),
        baselined: before - findings.len(),
        stale,
    }
}
