//! `otpmap lint --format gitlab`: a code quality report for GitLab CI
//! (`artifacts: reports: codequality:`), one entry per finding and per
//! diagnostic of severity warning or error.
//!
//! GitLab compares the fingerprints of a merge request's report with the
//! target branch's to show what is new and what is fixed, so a finding's
//! fingerprint is SARIF's (rule, file, call chain, the offending line's
//! text: not the line number) with an occurrence count for identical ones.

use crate::diagnostic::Severity;
use crate::lint::LintReport;
use crate::model::Project;
use serde_json::{json, Value};
use std::collections::HashMap;

/// GitLab's severities are `info`, `minor`, `major`, `critical`, `blocker`.
fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Warning => "minor",
        Severity::Error => "major",
    }
}

fn entry(check: &str, sev: Severity, file: &str, line: u32, message: &str, print: String) -> Value {
    json!({
        "description": message,
        "check_name": check,
        "fingerprint": print,
        "severity": severity(sev),
        "location": { "path": file, "lines": { "begin": line } },
    })
}

/// Renders the report.
pub(crate) fn render(project: &Project, report: &LintReport) -> String {
    let mut occurrences: HashMap<u64, u32> = HashMap::new();
    let mut print = |hash: u64| {
        let n = occurrences.entry(hash).or_insert(0);
        *n += 1;
        format!("{hash:016x}:{n}")
    };
    let mut issues = Vec::new();
    for f in &report.findings {
        let p = print(crate::render::sarif::lint::fingerprint(project, f));
        issues.push(entry(
            f.rule.name,
            f.severity,
            &f.file,
            f.line,
            &f.message,
            p,
        ));
    }
    for d in report
        .diagnostics
        .iter()
        .filter(|d| d.severity >= Severity::Warning)
    {
        // Diagnostics have no call chain; their messages name what they are about.
        let p = print(crate::render::sarif::lint::fnv1a([
            d.code,
            d.file.as_str(),
            d.message.as_str(),
        ]));
        let check = format!("otpmap/{}", d.code);
        issues.push(entry(&check, d.severity, &d.file, d.line, &d.message, p));
    }
    let mut text = serde_json::to_string_pretty(&Value::Array(issues)).unwrap_or_default();
    text.push('\n');
    text
}
