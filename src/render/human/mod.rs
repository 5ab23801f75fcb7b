//! Human-readable output for the terminal.

pub(crate) mod blast;
pub mod deps;
pub(crate) mod diff;
pub mod lint;
pub(crate) mod repeats;
pub mod scan;
pub mod tree;

use super::shown::shown;
use super::Painter;
use crate::diagnostic::{Diagnostic, Severity};
use std::collections::HashMap;

/// Left-aligns rows of cells into columns separated by two spaces. Cells may
/// carry colour codes, so widths are measured on the plain text given first.
/// Plain text is shown escaped ([`shown`]); a painted cell was escaped by
/// the painter.
fn table(rows: &[Vec<(String, String)>], indent: &str) -> String {
    let rows: Vec<Vec<(String, String)>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|(plain, painted)| {
                    let safe = shown(plain).into_owned();
                    let painted = if painted == plain {
                        safe.clone()
                    } else {
                        painted.clone()
                    };
                    (safe, painted)
                })
                .collect()
        })
        .collect();
    let rows = &rows;
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; cols];
    for row in rows {
        for (i, (plain, _)) in row.iter().enumerate() {
            widths[i] = widths[i].max(plain.chars().count());
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::from(indent);
        for (i, (plain, painted)) in row.iter().enumerate() {
            line.push_str(painted);
            if i + 1 < row.len() {
                let pad = widths[i] - plain.chars().count() + 2;
                line.push_str(&" ".repeat(pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The diagnostics section shared by every command.
pub fn diagnostics(diags: &[Diagnostic], p: &Painter) -> String {
    if diags.is_empty() {
        return String::new();
    }
    let at = |d: &Diagnostic| match d.column {
        Some(c) => format!("{}:{}:{}", shown(&d.file), d.line, c),
        None => format!("{}:{}", shown(&d.file), d.line),
    };
    let mut out = format!("\n{} ({})\n", p.heading("Diagnostics"), diags.len());
    // The same message in many files (a generated header every test suite
    // includes) is one cause: one line naming the first places, not a
    // screenful. JSON keeps every one.
    let mut groups: Vec<(&Diagnostic, Vec<&Diagnostic>)> = Vec::new();
    let mut index: HashMap<(Severity, &str, &str), usize> = HashMap::new();
    for d in diags {
        let key = (d.severity, d.code, d.message.as_str());
        match index.get(&key) {
            Some(&i) => groups[i].1.push(d),
            None => {
                index.insert(key, groups.len());
                groups.push((d, vec![d]));
            }
        }
    }
    for (d, all) in groups {
        if all.len() < MIN_GROUPED {
            for d in all {
                out.push_str(&format!(
                    "  {}: {} {}\n",
                    p.severity(d.severity),
                    at(d),
                    shown(&d.message)
                ));
            }
            continue;
        }
        let places: Vec<String> = all.iter().take(PLACES_NAMED).map(|d| at(d)).collect();
        out.push_str(&format!(
            "  {}: {}\n      in {} places: {} and {} more (--format json lists them all)\n",
            p.severity(d.severity),
            shown(&d.message),
            all.len(),
            places.join(", "),
            all.len() - places.len()
        ));
    }
    out
}

/// From how many places one message is printed once, and how many of the
/// places that line names.
const MIN_GROUPED: usize = 4;
const PLACES_NAMED: usize = 3;

#[cfg(test)]
mod tests {
    use super::diagnostics;
    use crate::diagnostic::{Diagnostic, Severity};
    use crate::render::Painter;

    fn missing(file: &str) -> Diagnostic {
        Diagnostic::new(
            Severity::Info,
            "include-not-found",
            file,
            3,
            Some(1),
            "cannot find include file \"suite.hrl\"",
        )
    }

    #[test]
    fn one_message_in_many_files_is_one_line() {
        let mut diags: Vec<Diagnostic> = (1..=5)
            .map(|i| missing(&format!("test/t{i}_SUITE.erl")))
            .collect();
        diags.push(Diagnostic::new(
            Severity::Warning,
            "bad-release",
            "rebar.config",
            9,
            None,
            "expected a list",
        ));
        let out = diagnostics(&diags, &Painter::new(false));
        assert_eq!(
            out,
            "\nDiagnostics (6)\n  info: cannot find include file \"suite.hrl\"\n      in 5 places: \
             test/t1_SUITE.erl:3:1, test/t2_SUITE.erl:3:1, test/t3_SUITE.erl:3:1 and 2 more \
             (--format json lists them all)\n  warning: rebar.config:9 expected a list\n"
        );
    }

    #[test]
    fn a_message_in_a_few_files_keeps_its_lines() {
        let diags: Vec<Diagnostic> = (1..=3)
            .map(|i| missing(&format!("test/t{i}_SUITE.erl")))
            .collect();
        let out = diagnostics(&diags, &Painter::new(false));
        assert_eq!(out.lines().count(), 5, "{out}");
    }
}
