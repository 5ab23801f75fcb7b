//! `otpmap lint --format short`: a finding per line, then each diagnostic
//! of severity warning or error, in the report's order.

use super::one_line;
use crate::diagnostic::Severity;
use crate::lint::LintReport;

/// Renders the lines.
pub(crate) fn render(report: &LintReport) -> String {
    let mut out = String::new();
    for f in &report.findings {
        out.push_str(&format!(
            "{}:{}:{}: {}[{}] {}\n",
            one_line(&f.file),
            f.line,
            f.column,
            f.severity.as_str(),
            f.rule.name,
            one_line(&f.message)
        ));
    }
    for d in report
        .diagnostics
        .iter()
        .filter(|d| d.severity >= Severity::Warning)
    {
        out.push_str(&format!(
            "{}:{}:{}: {}[{}] {}\n",
            one_line(&d.file),
            d.line,
            d.column.unwrap_or(1),
            d.severity.as_str(),
            d.code,
            one_line(&d.message)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::one_line;

    #[test]
    fn control_characters_stay_on_the_line() {
        assert_eq!(one_line("a\nb\u{1b}[8mc"), "a\\nb\\e[8mc");
        assert_eq!(one_line("x\u{202E}y"), "x\\u{202E}y");
        assert_eq!(one_line("plain: ok"), "plain: ok");
    }
}
