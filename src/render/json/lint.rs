//! `otpmap lint --format json`: schema `otpmap.lint/1` (docs/json.md).

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{registry, LintReport};
use serde::Serialize;

/// The schema name and version written in every lint document.
const SCHEMA: &str = "otpmap.lint/1";

#[derive(Serialize)]
struct LintDoc<'a> {
    schema: &'static str,
    findings: Vec<FindingOut<'a>>,
    summary: Summary,
    rules: Vec<RuleOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    partial: Vec<PartialOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<BaselineOut<'a>>,
    diagnostics: &'a [Diagnostic],
}

/// What `--baseline` left out, and its entries that no longer occur.
#[derive(Serialize)]
struct BaselineOut<'a> {
    file: &'a str,
    baselined: usize,
    stale: &'a [crate::lint::baseline::Entry],
}

/// A file not fully read: findings in it or through it may be missing.
#[derive(Serialize)]
struct PartialOut<'a> {
    file: &'a str,
    line: u32,
    message: &'a str,
}

#[derive(Serialize)]
struct FindingOut<'a> {
    rule: &'static str,
    code: &'static str,
    severity: Severity,
    file: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    message: &'a str,
    chain: Vec<StepOut<'a>>,
    fix: Option<&'a str>,
    notes: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    partial: Option<&'a str>,
}

#[derive(Serialize)]
struct StepOut<'a> {
    function: &'a str,
    file: &'a str,
    line: u32,
    column: u32,
}

#[derive(Serialize, Default)]
struct Summary {
    findings: usize,
    error: usize,
    warning: usize,
    info: usize,
}

#[derive(Serialize)]
struct RuleOut {
    code: &'static str,
    name: &'static str,
    default_severity: Severity,
    summary: String,
}

fn rule_out(r: &registry::RuleMeta) -> RuleOut {
    RuleOut {
        code: r.code,
        name: r.name,
        default_severity: r.default_severity,
        summary: r.summary(),
    }
}

/// Renders the lint document.
pub fn render(report: &LintReport) -> String {
    let mut summary = Summary {
        findings: report.findings.len(),
        ..Summary::default()
    };
    for f in &report.findings {
        match f.severity {
            Severity::Error => summary.error += 1,
            Severity::Warning => summary.warning += 1,
            Severity::Info => summary.info += 1,
        }
    }
    let doc = LintDoc {
        schema: SCHEMA,
        findings: report
            .findings
            .iter()
            .map(|f| FindingOut {
                rule: f.rule.name,
                code: f.rule.code,
                severity: f.severity,
                file: &f.file,
                line: f.line,
                column: f.column,
                end_line: f.end_line,
                end_column: f.end_column,
                message: &f.message,
                chain: f
                    .chain
                    .iter()
                    .map(|s| StepOut {
                        function: &s.function,
                        file: &s.file,
                        line: s.line,
                        column: s.column,
                    })
                    .collect(),
                fix: f.fix.as_deref(),
                notes: &f.notes,
                partial: f.partial.as_deref(),
            })
            .collect(),
        summary,
        // Only the rules that found something: a document that listed every
        // rule would change with each new rule (docs/json.md).
        rules: report
            .rules
            .iter()
            .filter(|r| report.findings.iter().any(|f| f.rule.code == r.code))
            .map(|r| rule_out(r))
            .collect(),
        partial: report
            .partial
            .iter()
            .map(|g| PartialOut {
                file: &g.file,
                line: g.line,
                message: &g.reason,
            })
            .collect(),
        baseline: report.baseline.as_ref().map(|b| BaselineOut {
            file: &b.file,
            baselined: b.baselined,
            stale: &b.stale,
        }),
        diagnostics: &report.diagnostics,
    };
    super::to_string(&doc)
}

/// `otpmap lint --list-rules --format json`.
pub(crate) fn rules() -> String {
    #[derive(Serialize)]
    struct RulesDoc {
        schema: &'static str,
        rules: Vec<RuleOut>,
    }
    super::to_string(&RulesDoc {
        schema: "otpmap.rules/1",
        rules: registry::RULES.iter().map(|r| rule_out(r)).collect(),
    })
}

/// `otpmap lint --statistics --format json`: schema
/// `otpmap.lint-statistics/1`.
pub(crate) fn statistics(project: &crate::model::Project, report: &LintReport) -> String {
    use crate::lint::statistics::{by_app, by_rule, Count};
    #[derive(Serialize)]
    struct StatisticsDoc<'a> {
        schema: &'static str,
        rules: Vec<Count>,
        applications: Vec<Count>,
        #[serde(skip_serializing_if = "Option::is_none")]
        baseline: Option<BaselineOut<'a>>,
    }
    super::to_string(&StatisticsDoc {
        schema: "otpmap.lint-statistics/1",
        rules: by_rule(&report.findings),
        applications: by_app(project, &report.findings),
        baseline: report.baseline.as_ref().map(|b| BaselineOut {
            file: &b.file,
            baselined: b.baselined,
            stale: &b.stale,
        }),
    })
}
