//! `otpmap lint --format sarif`: SARIF 2.1.0 as GitHub code scanning reads
//! it. Rule ids are the stable codes (`OTP001`), paths are relative to the
//! scanned root (`uriBaseId` `%SRCROOT%`), columns count code points, and
//! each result has a partial fingerprint that survives lines moving: a
//! hash of the rule, the file, the call chain's functions and the text of
//! the offending line, with an occurrence count for identical ones.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::diagnostic::Severity;
// In lint/, since diff/ matches findings by it too.
pub(crate) use crate::lint::fingerprint::{fingerprint, fnv1a};
use crate::lint::{registry, Finding, LintReport};
use crate::model::Project;

/// The schema URI written in `$schema`.
const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The key of otpmap's partial fingerprint.
const FINGERPRINT_KEY: &str = "otpmap/v1";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Renders the SARIF log.
pub fn render(project: &Project, report: &LintReport) -> String {
    let rules: Vec<Value> = registry::RULES.iter().map(|r| rule(r)).collect();
    let mut occurrences: HashMap<u64, u32> = HashMap::new();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let hash = fingerprint(project, f);
            let n = occurrences.entry(hash).or_insert(0);
            *n += 1;
            result(f, format!("{hash:016x}:{n}"))
        })
        .collect();
    let notifications: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let mut region = json!({ "startLine": d.line });
            if let Some(c) = d.column {
                region["startColumn"] = json!(c);
            }
            json!({
                "level": level(d.severity),
                "message": { "text": d.message },
                "descriptor": { "id": d.code },
                "locations": [{ "physicalLocation": {
                    "artifactLocation": { "uri": uri(&d.file), "uriBaseId": "%SRCROOT%" },
                    "region": region,
                }}],
            })
        })
        .collect();
    let log = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "otpmap",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "originalUriBaseIds": {
                "%SRCROOT%": { "description": { "text": "The directory otpmap lint was run on." } }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
            "invocations": [{
                "executionSuccessful": !report.diagnostics.iter().any(crate::internal_error::is_internal),
                "toolExecutionNotifications": notifications,
            }],
        }],
    });
    crate::render::json::to_string(&log)
}

fn rule(r: &registry::RuleMeta) -> Value {
    json!({
        "id": r.code,
        "name": r.name,
        "shortDescription": { "text": first_sentence(&r.summary()) },
        "fullDescription": { "text": r.summary() },
        "help": { "text": r.doc(), "markdown": r.doc() },
        "defaultConfiguration": { "level": level(r.default_severity) },
        "properties": { "tags": ["otp", "start-up"] },
    })
}

fn first_sentence(s: &str) -> String {
    match s.find(": ").or_else(|| s.find(". ")) {
        Some(i) => format!("{}.", &s[..i]),
        None => s.to_owned(),
    }
}

fn location(file: &str, line: u32, column: u32, end: Option<(u32, u32)>) -> Value {
    let mut region = json!({ "startLine": line, "startColumn": column });
    if let Some((end_line, end_column)) = end {
        region["endLine"] = json!(end_line);
        region["endColumn"] = json!(end_column);
    }
    json!({ "physicalLocation": {
        "artifactLocation": { "uri": uri(file), "uriBaseId": "%SRCROOT%" },
        "region": region,
    }})
}

fn result(f: &Finding, fingerprint: String) -> Value {
    let rule_index = registry::RULES
        .iter()
        .position(|r| r.code == f.rule.code)
        .unwrap_or(0);
    let mut text = f.message.clone();
    for n in &f.notes {
        text.push_str(&format!("\nNote: {n}"));
    }
    if let Some(fix) = &f.fix {
        text.push_str(&format!("\nFix: {fix}"));
    }
    let end_column = if f.end_line == f.line {
        f.end_column.max(f.column + 1)
    } else {
        f.end_column.max(1)
    };
    let mut r = json!({
        "ruleId": f.rule.code,
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": { "text": text },
        "locations": [location(&f.file, f.line, f.column, Some((f.end_line.max(f.line), end_column)))],
        "partialFingerprints": { FINGERPRINT_KEY: fingerprint },
    });
    if !f.chain.is_empty() {
        let steps: Vec<Value> = f
            .chain
            .iter()
            .map(|s| {
                let mut l = location(&s.file, s.line, s.column, None);
                l["message"] = json!({ "text": s.function });
                json!({ "location": l })
            })
            .collect();
        r["codeFlows"] = json!([{ "threadFlows": [{ "locations": steps }] }]);
        let related: Vec<Value> = f
            .chain
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut l = location(&s.file, s.line, s.column, None);
                l["id"] = json!(i + 1);
                l["message"] = json!({ "text": s.function });
                l
            })
            .collect();
        r["relatedLocations"] = json!(related);
    }
    r
}

/// A URI reference for a relative `/` path: everything outside RFC 3986's
/// unreserved characters and `/` percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn uris_are_encoded() {
        assert_eq!(uri("apps/my app/src/a.erl"), "apps/my%20app/src/a.erl");
        assert_eq!(uri("src/a+b.erl"), "src/a%2Bb.erl");
    }
}
