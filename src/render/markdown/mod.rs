//! Markdown, for pull-request comments and wikis.

pub(crate) mod diff;

/// Text safe inside a markdown table cell or list item: pipes escaped,
/// lines joined, HTML-looking input neutralised.
fn cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace(['\n', '\r'], " ")
}
