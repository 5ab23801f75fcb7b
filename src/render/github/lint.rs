//! `otpmap lint --format github`: one annotation per finding and per
//! diagnostic of severity warning or error.

use super::{escape_data, escape_property};
use crate::diagnostic::Severity;
use crate::lint::LintReport;
use crate::render::shown::shown;

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// Renders the workflow commands.
pub fn render(report: &LintReport) -> String {
    let mut out = String::new();
    for f in &report.findings {
        // Each part escaped as in the human output (a job log shows ESC
        // sequences); the line breaks between parts are the annotation's.
        let mut msg = shown(&f.message).into_owned();
        for n in &f.notes {
            msg.push_str(&format!("\nNote: {}", shown(n)));
        }
        if let Some(fix) = &f.fix {
            msg.push_str(&format!("\nFix: {}", shown(fix)));
        }
        if let Some(why) = &f.partial {
            msg.push_str(&format!(
                "\nPartial: not all of the code was read: {}",
                shown(why)
            ));
        }
        let mut props = format!(
            "file={},line={},col={}",
            escape_property(&shown(&f.file)),
            f.line,
            f.column
        );
        if f.end_line >= f.line {
            props.push_str(&format!(",endLine={}", f.end_line));
            if f.end_line == f.line && f.end_column > f.column {
                props.push_str(&format!(",endColumn={}", f.end_column));
            }
        }
        props.push_str(&format!(
            ",title={}",
            escape_property(&format!("{} ({})", f.rule.name, f.rule.code))
        ));
        out.push_str(&format!(
            "::{} {props}::{}\n",
            command(f.severity),
            escape_data(&msg)
        ));
    }
    for d in report
        .diagnostics
        .iter()
        .filter(|d| d.severity >= Severity::Warning)
    {
        let col = d.column.map(|c| format!(",col={c}")).unwrap_or_default();
        out.push_str(&format!(
            "::{} file={},line={}{col},title={}::{}\n",
            command(d.severity),
            escape_property(&shown(&d.file)),
            d.line,
            escape_property(&format!("otpmap: {}", d.code)),
            escape_data(&shown(&d.message))
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{escape_data, escape_property};

    #[test]
    fn escapes() {
        assert_eq!(escape_data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
