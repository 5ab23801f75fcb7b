//! `otpmap diff`: one section per kind of change, one line per change.

use crate::diff::{words, Diff};
use crate::render::{DiffLabels, Painter};

/// Renders the diff.
pub(crate) fn render(diff: &Diff, labels: &DiffLabels, paint: &Painter) -> String {
    let short = &labels.base_commit[..labels.base_commit.len().min(10)];
    let mut out = format!(
        "{} {} ({short}) -> {}\n",
        paint.heading("otpmap diff"),
        labels.base,
        labels.head
    );
    let sections = words::sections(diff);
    if sections.is_empty() {
        out.push_str("no change to applications, dependencies, releases, trees or findings\n");
        return out;
    }
    for (title, lines) in sections {
        out.push_str(&format!("\n{}\n", paint.heading(title)));
        for l in lines {
            out.push_str(&format!("  {l}\n"));
        }
    }
    out.push_str(&format!(
        "\n{} new finding{}, {} fixed\n",
        diff.findings_new.len(),
        if diff.findings_new.len() == 1 {
            ""
        } else {
            "s"
        },
        diff.findings_fixed.len()
    ));
    out
}
