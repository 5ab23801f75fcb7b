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
use crate::diagnostic::Diagnostic;

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
    let mut out = format!("\n{} ({})\n", p.heading("Diagnostics"), diags.len());
    for d in diags {
        let at = match d.column {
            Some(c) => format!("{}:{}:{}", shown(&d.file), d.line, c),
            None => format!("{}:{}", shown(&d.file), d.line),
        };
        out.push_str(&format!(
            "  {}: {} {}\n",
            p.severity(d.severity),
            at,
            shown(&d.message)
        ));
    }
    out
}
