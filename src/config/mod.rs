//! Readers for OTP configuration files. Each turns a file into typed values
//! plus diagnostics; none of them evaluates code.

pub mod app_resource;
pub mod erlang_mk;
pub mod rebar;
pub mod release_spec;
pub mod term;

use crate::diagnostic::{Diagnostic, Severity};
use std::path::Path;
use term::Term;

/// Largest configuration file read (a rebar.config of megabytes is not a
/// configuration file but an accident).
pub const MAX_CONFIG_BYTES: u64 = 8 * 1024 * 1024;

/// Reads a file's bytes, turning failures into a diagnostic naming the file.
pub fn read_bytes(path: &Path, rel: &str, max_bytes: u64) -> Result<Vec<u8>, Diagnostic> {
    let unreadable = |e: std::io::Error| {
        let reason = match e.kind() {
            std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            std::io::ErrorKind::NotFound => "vanished before it could be read".to_owned(),
            _ => e.to_string(),
        };
        Diagnostic::file_level(
            Severity::Error,
            "unreadable",
            rel,
            format!("cannot read: {reason}"),
        )
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if meta.len() > max_bytes {
        return Err(Diagnostic::file_level(
            Severity::Warning,
            "too-large",
            rel,
            format!(
                "skipped: {} bytes is over the {} byte limit (raise it with --max-file-size)",
                meta.len(),
                max_bytes
            ),
        ));
    }
    std::fs::read(path).map_err(unreadable)
}

/// Reads a file of Erlang terms. Malformed terms are reported and skipped;
/// the well-formed ones are returned.
pub fn read_terms(path: &Path, rel: &str) -> (Vec<Term>, Vec<Diagnostic>) {
    let bytes = match read_bytes(path, rel, MAX_CONFIG_BYTES) {
        Ok(b) => b,
        Err(d) => return (vec![], vec![d]),
    };
    terms_from_bytes(&bytes, rel)
}

/// Decodes and reads terms from bytes already read.
pub fn terms_from_bytes(bytes: &[u8], rel: &str) -> (Vec<Term>, Vec<Diagnostic>) {
    let decoded = crate::source::decode(bytes);
    let (terms, errors) = term::consult_recovering(&decoded.text);
    let diags = errors
        .into_iter()
        .map(|e| {
            Diagnostic::new(
                Severity::Error,
                "term-syntax",
                rel,
                e.pos.line,
                Some(e.pos.column),
                e.message,
            )
        })
        .collect();
    (terms, diags)
}

/// A diagnostic about a term with a known position.
pub fn term_diagnostic(
    severity: Severity,
    code: &'static str,
    rel: &str,
    t: &Term,
    message: impl Into<String>,
) -> Diagnostic {
    Diagnostic::new(severity, code, rel, t.pos.line, Some(t.pos.column), message)
}
