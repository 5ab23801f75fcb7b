//! `otpmap diff --format markdown`: a pull-request comment. A summary line
//! first (what a reviewer reads in the notification), then a section per
//! kind of change, findings as a table.

use super::cell;
use crate::diff::{words, Diff};
use crate::render::DiffLabels;

/// Renders the comment.
pub(crate) fn render(diff: &Diff, labels: &DiffLabels) -> String {
    let short = &labels.base_commit[..labels.base_commit.len().min(10)];
    let mut out = format!(
        "### otpmap: {} (`{short}`) → {}\n\n",
        cell(&labels.base),
        cell(&labels.head)
    );
    let sections = words::sections(diff);
    if sections.is_empty() {
        out.push_str("No change to applications, dependencies, releases, supervision trees or lint findings.\n");
        return out;
    }
    out.push_str(&format!(
        "**{}** new lint finding{}, **{}** fixed; {} supervision tree change{}.\n",
        diff.findings_new.len(),
        if diff.findings_new.len() == 1 {
            ""
        } else {
            "s"
        },
        diff.findings_fixed.len(),
        diff.tree_changes.len(),
        if diff.tree_changes.len() == 1 {
            ""
        } else {
            "s"
        },
    ));
    for (title, lines) in sections {
        if title == "Lint findings" {
            continue;
        }
        out.push_str(&format!("\n#### {title}\n\n"));
        for l in lines {
            out.push_str(&format!("- {}\n", cell(&l.replace(" -> ", " → "))));
        }
    }
    if !diff.findings_new.is_empty() || !diff.findings_fixed.is_empty() {
        out.push_str("\n#### Lint findings\n\n| | severity | rule | where | message |\n| --- | --- | --- | --- | --- |\n");
        let rows = diff
            .findings_new
            .iter()
            .map(|f| ("new", f))
            .chain(diff.findings_fixed.iter().map(|f| ("fixed", f)));
        for (what, f) in rows {
            out.push_str(&format!(
                "| {what} | {} | `{}` | `{}:{}` | {} |\n",
                f.severity.as_str(),
                f.rule,
                cell(&f.at.file),
                f.at.line,
                cell(&f.message)
            ));
        }
    }
    out
}
