//! Renderers: one folder per output format, one file per command inside.
//! Renderers only read the model and the analyses; they never read files.

pub(crate) mod deps_diagram;
pub mod diagram;
pub(crate) mod diagram_limits;
mod diagram_model;
pub mod github;
pub(crate) mod gitlab;
pub mod human;
pub mod json;
pub(crate) mod markdown;
pub(crate) mod report;
pub mod sarif;
pub(crate) mod short;
pub(crate) mod shown;
pub mod tree_diagram;
mod vsn;

use anstyle::{AnsiColor, Style};

/// What the two sides of `otpmap diff` are, for the headings.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct DiffLabels {
    /// The base as given (`main`, `merge-base of HEAD and main`).
    base: String,
    /// Its commit.
    base_commit: String,
    /// The head as given, or `the work tree`.
    head: String,
}

/// The labels of a diff.
pub(crate) fn diff_labels(base: &str, base_commit: &str, head: &str) -> DiffLabels {
    DiffLabels {
        base: base.to_owned(),
        base_commit: base_commit.to_owned(),
        head: head.to_owned(),
    }
}
pub(crate) use crate::graph::supervision::words::term_text;

/// Applies terminal styles when colour is on, and nothing otherwise.
#[derive(Debug, Clone, Copy)]
pub struct Painter {
    enabled: bool,
}

impl Painter {
    /// A painter that colours only when `enabled`.
    pub fn new(enabled: bool) -> Painter {
        Painter { enabled }
    }

    /// `text` in `style`, its control characters escaped ([`shown::shown`]):
    /// what is painted is one field, shown on one line.
    fn paint(&self, style: Style, text: &str) -> String {
        let text = shown::shown(text);
        if self.enabled {
            format!("{}{}{}", style.render(), text, style.render_reset())
        } else {
            text.into_owned()
        }
    }

    /// Headings.
    fn heading(&self, text: &str) -> String {
        self.paint(Style::new().bold(), text)
    }

    /// Names of apps, modules, releases.
    pub fn name(&self, text: &str) -> String {
        self.paint(AnsiColor::Cyan.on_default().bold(), text)
    }

    /// Secondary detail: versions, paths.
    fn dim(&self, text: &str) -> String {
        self.paint(Style::new().dimmed(), text)
    }

    /// Severity colours.
    pub(crate) fn severity(&self, sev: crate::diagnostic::Severity) -> String {
        use crate::diagnostic::Severity;
        let style = match sev {
            Severity::Error => AnsiColor::Red.on_default().bold(),
            Severity::Warning => AnsiColor::Yellow.on_default().bold(),
            Severity::Info => AnsiColor::Blue.on_default().bold(),
        };
        self.paint(style, sev.as_str())
    }

    /// Something good or notable (a regular app, a permanent start type).
    fn accent(&self, text: &str) -> String {
        self.paint(AnsiColor::Green.on_default(), text)
    }
}
