//! Readers for OTP configuration files. Each turns a file into typed values
//! plus diagnostics; none of them runs code (configuration scripts are
//! evaluated statically, [`script`]).

pub mod app_resource;
pub mod erlang_mk;
mod make_conditional;
mod make_vars;
pub(crate) mod mix_exs;
pub(crate) mod path_glob;
pub mod rebar;
pub(crate) mod rebar_lock;
pub mod release_spec;
pub mod script;
pub mod term;

// In term/ so that model/ (behaviours) can use it without config/.
pub use term::term_diagnostic;

use crate::diagnostic::{Diagnostic, Severity};
use std::path::Path;
use term::Term;

/// Largest configuration file read by default (a rebar.config of
/// megabytes is not a configuration file but an accident).
const MAX_CONFIG_BYTES: u64 = crate::source::DEFAULT_MAX_FILE_BYTES;

/// Reads a file's bytes, turning failures into a diagnostic naming the file.
pub(crate) fn read_bytes(path: &Path, rel: &str, max_bytes: u64) -> Result<Vec<u8>, Diagnostic> {
    crate::source::read_file(path, rel, max_bytes)
}

/// Reads a file of Erlang terms. Malformed terms are reported and skipped;
/// the well-formed ones are returned.
pub fn read_terms(path: &Path, rel: &str) -> (Vec<Term>, Vec<Diagnostic>) {
    read_terms_limited(path, rel, MAX_CONFIG_BYTES)
}

/// [`read_terms`] with a size limit (`--max-file-size`).
pub(crate) fn read_terms_limited(
    path: &Path,
    rel: &str,
    max_bytes: u64,
) -> (Vec<Term>, Vec<Diagnostic>) {
    let bytes = match read_bytes(path, rel, max_bytes) {
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
