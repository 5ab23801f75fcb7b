//! `otpmap diff --format json`: schema `otpmap.diff/1` (docs/json.md).

use serde::Serialize;

use crate::diff::Diff;
use crate::render::DiffLabels;

/// The schema name and version.
const SCHEMA: &str = "otpmap.diff/1";

#[derive(Serialize)]
struct Doc<'a> {
    schema: &'static str,
    base: &'a str,
    base_commit: &'a str,
    head: &'a str,
    #[serde(flatten)]
    diff: &'a Diff,
}

/// Renders the document.
pub(crate) fn render(diff: &Diff, labels: &DiffLabels) -> String {
    let doc = Doc {
        schema: SCHEMA,
        base: &labels.base,
        base_commit: &labels.base_commit,
        head: &labels.head,
        diff,
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}
