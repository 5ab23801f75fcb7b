//! `otpmap lint` for people: each finding with a code frame of the
//! offending line, the call chain and the fix, then a summary.

use super::{diagnostics, table};
use crate::diagnostic::Severity;
use crate::lint::{registry, source_file, Finding, LintReport};
use crate::model::Project;
use crate::render::shown::{code_width, shown, shown_code};
use crate::render::Painter;

/// Renders the findings, a summary line and the diagnostics.
pub fn render(project: &Project, report: &LintReport, fail_on: Severity, p: &Painter) -> String {
    let mut out = String::new();
    for f in &report.findings {
        finding(project, f, p, &mut out);
        out.push('\n');
    }
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    let failing = report
        .findings
        .iter()
        .filter(|f| f.severity >= fail_on)
        .count();
    if !report.findings.is_empty() {
        out.push_str(&rule_table(
            &crate::lint::statistics::by_rule(&report.findings),
            p,
        ));
        out.push('\n');
    }
    if report.findings.is_empty() {
        out.push_str(&format!(
            "{} no findings ({} rules run)\n",
            p.accent("ok:"),
            report.rules.len()
        ));
    } else {
        let parts: Vec<String> = [Severity::Error, Severity::Warning, Severity::Info]
            .into_iter()
            .filter(|&s| count(s) > 0)
            .map(|s| format!("{} {}", count(s), plural(s.as_str(), count(s))))
            .collect();
        out.push_str(&format!(
            "{} {}: {}; {} at or above {}\n",
            p.heading("Found"),
            plural_n(report.findings.len(), "finding"),
            parts.join(", "),
            failing,
            fail_on.as_str()
        ));
    }
    if let Some(b) = &report.baseline {
        baseline(b, p, &mut out);
    }
    if !report.partial.is_empty() {
        out.push_str(&format!(
            "\n{} findings in these files, or reached through them, may be missing:\n",
            p.heading(&format!(
                "Partial result ({}):",
                plural_n(report.partial.len(), "file")
            ))
        ));
        for g in &report.partial {
            out.push_str(&format!("  {}\n", shown(&g.to_string())));
        }
    }
    out.push_str(&diagnostics(&report.diagnostics, p));
    crate::render::shown::for_terminal(&out, p.enabled)
}

/// What the baseline left out, and its entries that no longer occur.
fn baseline(b: &crate::lint::baseline::Outcome, p: &Painter, out: &mut String) {
    out.push_str(&format!(
        "{} not reported: in the baseline {}\n",
        plural_n(b.baselined, "finding"),
        b.file
    ));
    if b.stale.is_empty() {
        return;
    }
    let n: usize = b.stale.iter().map(|e| e.count).sum();
    out.push_str(&format!(
        "\n{} no longer found: remove them from {} (or rewrite it with `otpmap lint --write-baseline {}`):\n",
        p.heading(&format!("Fixed since the baseline ({}):", plural_n(n, "finding"))),
        b.file,
        b.file
    ));
    for e in &b.stale {
        let times = if e.count > 1 {
            format!(" ({} times)", e.count)
        } else {
            String::new()
        };
        let place = match (e.file.as_str(), e.function.as_str()) {
            ("", _) => String::new(),
            (file, "") => format!("{file}: "),
            (file, function) => format!("{file} {function}: "),
        };
        out.push_str(&format!(
            "  {}[{}] {}{}{times}\n",
            e.rule, e.code, place, e.call
        ));
    }
}

/// Findings per rule, one row each, with their severities.
fn rule_table(rows: &[crate::lint::statistics::Count], p: &Painter) -> String {
    let cell = |s: String| (s.clone(), s);
    let mut table_rows = vec![vec![
        ("code".to_owned(), p.heading("code")),
        ("rule".to_owned(), p.heading("rule")),
        ("findings".to_owned(), p.heading("findings")),
        ("error".to_owned(), p.heading("error")),
        ("warning".to_owned(), p.heading("warning")),
        ("info".to_owned(), p.heading("info")),
    ]];
    for r in rows {
        table_rows.push(vec![
            cell(r.code.unwrap_or("").to_owned()),
            (r.name.clone(), p.name(&r.name)),
            cell(r.findings.to_string()),
            cell(r.error.to_string()),
            cell(r.warning.to_string()),
            cell(r.info.to_string()),
        ]);
    }
    table(&table_rows, "")
}

/// `otpmap lint --statistics`: findings per rule and per application.
pub(crate) fn statistics(project: &Project, report: &LintReport, p: &Painter) -> String {
    use crate::lint::statistics::{by_app, by_rule};
    if report.findings.is_empty() {
        return format!(
            "{} no findings ({} rules run)\n",
            p.accent("ok:"),
            report.rules.len()
        );
    }
    let mut out = format!("{}\n", p.heading("Findings per rule"));
    out.push_str(&rule_table(&by_rule(&report.findings), p));
    out.push_str(&format!("\n{}\n", p.heading("Findings per application")));
    let cell = |s: String| (s.clone(), s);
    let mut rows = vec![vec![
        ("application".to_owned(), p.heading("application")),
        ("findings".to_owned(), p.heading("findings")),
        ("error".to_owned(), p.heading("error")),
        ("warning".to_owned(), p.heading("warning")),
        ("info".to_owned(), p.heading("info")),
    ]];
    for r in by_app(project, &report.findings) {
        rows.push(vec![
            cell(r.name.clone()),
            cell(r.findings.to_string()),
            cell(r.error.to_string()),
            cell(r.warning.to_string()),
            cell(r.info.to_string()),
        ]);
    }
    out.push_str(&table(&rows, ""));
    if let Some(b) = &report.baseline {
        out.push('\n');
        baseline(b, p, &mut out);
    }
    out
}

fn plural(word: &str, n: usize) -> String {
    if n == 1 {
        word.to_owned()
    } else {
        format!("{word}s")
    }
}

fn plural_n(n: usize, word: &str) -> String {
    format!("{n} {}", plural(word, n))
}

fn finding(project: &Project, f: &Finding, p: &Painter, out: &mut String) {
    out.push_str(&format!(
        "{}[{}] {}: {}\n",
        p.severity(f.severity),
        f.rule.code,
        p.name(f.rule.name),
        shown(&f.message)
    ));
    out.push_str(&format!(
        "  {} {}:{}:{}\n",
        p.dim("-->"),
        shown(&f.file),
        f.line,
        f.column
    ));
    let gutter = f.line.to_string().len();
    let pad = " ".repeat(gutter);
    if let Some(file) = source_file(project, &f.file) {
        let text = file.line_index().line_text(&file.text, f.line);
        let line_chars = text.chars().count() as u32;
        let end = if f.end_line == f.line {
            f.end_column.max(f.column + 1)
        } else {
            line_chars + 1
        };
        let (text, column, end) = frame_window(text, f.column, end);
        let prefix: String = text
            .chars()
            .take(column.saturating_sub(1) as usize)
            .map(|c| {
                if c == '\t' {
                    "\t".to_owned()
                } else {
                    " ".repeat(code_width(c))
                }
            })
            .collect();
        let carets: usize = text
            .chars()
            .skip(column.saturating_sub(1) as usize)
            .take(end.saturating_sub(column) as usize)
            .map(code_width)
            .sum();
        let carets = "^".repeat(carets.max(1));
        let text = shown_code(&text);
        out.push_str(&format!("  {pad} {}\n", p.dim("|")));
        out.push_str(&format!(
            "  {} {} {}\n",
            p.dim(&f.line.to_string()),
            p.dim("|"),
            text
        ));
        out.push_str(&format!(
            "  {pad} {} {prefix}{}\n",
            p.dim("|"),
            severity_text(p, f.severity, &carets)
        ));
    }
    // A one-step chain is the finding's own place.
    if f.chain.len() > 1 {
        let rows: Vec<Vec<(String, String)>> = f
            .chain
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let arrow = if i == 0 { "" } else { "-> " };
                let func = format!("{arrow}{}", shown(&s.function));
                let at = format!("{}:{}", shown(&s.file), s.line);
                vec![(func.clone(), func), (at.clone(), p.dim(&at))]
            })
            .collect();
        let t = table(&rows, "");
        for (i, line) in t.lines().enumerate() {
            let label = if i == 0 { "= chain:" } else { "        " };
            out.push_str(&format!("  {pad} {} {line}\n", p.dim(label)));
        }
    }
    for n in &f.notes {
        out.push_str(&format!("  {pad} {} {}\n", p.dim("= note:"), shown(n)));
    }
    if let Some(why) = &f.partial {
        out.push_str(&format!(
            "  {pad} {} not all of the code was read, this may be imprecise: {}\n",
            p.dim("= partial:"),
            shown(why)
        ));
    }
    if let Some(fix) = &f.fix {
        out.push_str(&format!("  {pad} {} {}\n", p.dim("= fix:"), shown(fix)));
    }
}

/// The widest code frame, in characters: a line longer than this (a
/// minified or generated source, one 6 MB line) is shown as a window around
/// the finding, so the output stays proportional to the findings.
const FRAME_WIDTH: u32 = 160;

/// The part of `text` a code frame shows, with the finding's columns in it:
/// the whole line when it fits, otherwise [`FRAME_WIDTH`] characters from a
/// little before `column`, with `…` where the line was cut.
fn frame_window(text: &str, column: u32, end: u32) -> (String, u32, u32) {
    let chars = text.chars().count() as u32;
    if chars <= FRAME_WIDTH {
        return (text.to_owned(), column, end);
    }
    let first = column.saturating_sub(1).saturating_sub(FRAME_WIDTH / 4);
    let last = (first + FRAME_WIDTH).min(chars);
    let mut window = String::new();
    let lead = u32::from(first > 0);
    if first > 0 {
        window.push('…');
    }
    window.extend(
        text.chars()
            .skip(first as usize)
            .take((last - first) as usize),
    );
    if last < chars {
        window.push('…');
    }
    let column = column - first + lead;
    let end = (end.min(last + 1) - first + lead).max(column + 1);
    (window, column, end)
}

/// `otpmap lint --list-rules`.
pub(crate) fn rules(p: &Painter) -> String {
    let mut rows = vec![vec![
        ("code".to_owned(), p.heading("code")),
        ("name".to_owned(), p.heading("name")),
        ("default".to_owned(), p.heading("default")),
        ("what it finds".to_owned(), p.heading("what it finds")),
    ]];
    for r in registry::RULES {
        let summary = first_sentence(&r.summary());
        rows.push(vec![
            (r.code.to_owned(), r.code.to_owned()),
            (r.name.to_owned(), p.name(r.name)),
            (
                r.default_severity.as_str().to_owned(),
                p.severity(r.default_severity),
            ),
            (summary.clone(), summary),
        ]);
    }
    let mut out = table(&rows, "");
    out.push_str("\notpmap lint --explain NAME prints a rule's documentation.\n");
    out
}

fn first_sentence(s: &str) -> String {
    match s.find(": ").or_else(|| s.find(". ")) {
        Some(i) if i < 120 => s[..i].to_owned(),
        _ => s.chars().take(100).collect(),
    }
}

/// `text` in the colour of a severity.
fn severity_text(p: &Painter, sev: Severity, text: &str) -> String {
    use anstyle::AnsiColor;
    let style = match sev {
        Severity::Error => AnsiColor::Red.on_default().bold(),
        Severity::Warning => AnsiColor::Yellow.on_default().bold(),
        Severity::Info => AnsiColor::Blue.on_default().bold(),
    };
    p.paint(style, text)
}
