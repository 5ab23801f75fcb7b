//! Diagnostics: input otpmap could not read or understand. They are data, not
//! errors: the rest of the project is still reported.

use serde::Serialize;

/// How serious a diagnostic or a lint finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses `info`, `warning` or `error` (also `note` as an alias of info).
    pub(crate) fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" | "note" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// One problem with the input. `file` is relative to the scanned root with
/// `/` separators; `line` is 1-based and is 1 for problems with a whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: String,
    pub line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// A short stable kebab-case name for the kind of problem.
    pub code: &'static str,
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic at a position in a file.
    pub fn new(
        severity: Severity,
        code: &'static str,
        file: impl Into<String>,
        line: u32,
        column: Option<u32>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity,
            file: file.into(),
            line: line.max(1),
            column,
            code,
            message: message.into(),
        }
    }

    /// A diagnostic about a whole file (unreadable, too large, ...).
    pub(crate) fn file_level(
        severity: Severity,
        code: &'static str,
        file: impl Into<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(severity, code, file, 1, None, message)
    }

    /// The order every output uses: by file, line, column, then message.
    pub(crate) fn sort_key(&self) -> (&str, u32, u32, &str, &str) {
        (
            &self.file,
            self.line,
            self.column.unwrap_or(0),
            self.code,
            &self.message,
        )
    }
}

/// Where the stages of one run put their diagnostics, in any order:
/// [`Sink::finish`] sorts them into output order and drops exact
/// duplicates, once, before anything renders them (docs/architecture.md).
/// No other code sorts diagnostics.
#[derive(Debug, Default)]
pub(crate) struct Sink {
    diagnostics: Vec<Diagnostic>,
}

impl Sink {
    /// An empty sink.
    pub(crate) fn new() -> Sink {
        Sink::default()
    }

    /// Adds a stage's diagnostics.
    pub(crate) fn add(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.diagnostics.extend(diagnostics);
    }

    /// Every diagnostic added, in output order, each once.
    pub(crate) fn finish(self) -> Vec<Diagnostic> {
        let mut diags = self.diagnostics;
        diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        diags.dedup();
        diags
    }
}
