//! The Erlang term reader: the syntax `file:consult/1` accepts, with every
//! value keeping its line and column.
//!
//! `consult` is strict like `file:consult/1` (the first error fails the file);
//! `consult_recovering` skips a malformed term up to its terminating dot and
//! goes on, so one bad entry in `rebar.config` does not hide the others.
//!
//! What is accepted is what `file:consult/1` of Erlang/OTP 25 accepts, checked
//! by `tests/term_oracle.rs` against a real `erl`. The deliberate differences
//! are limits: nesting deeper than [`MAX_DEPTH`], integer literals over
//! 100 000 digits and binaries over 16 MiB (all those of a file together)
//! are errors.

mod bits;
mod canonical;
mod encoding;
mod lexer;
mod parser;
mod print;
#[cfg(test)]
mod tests;
mod value;

pub use parser::{consult, consult_recovering, MAX_DEPTH};
pub use print::canonical;
pub use value::{Integer, Pos, Term, TermError, TermKind};

/// Reads the terms of a file's raw bytes, decoding them as `file:consult/1`
/// does: UTF-8 unless a `coding: latin-1` comment on one of the first two
/// lines says Latin-1. Unlike [`crate::source::decode`] there is no silent
/// fallback to Latin-1 and a byte-order mark is an error, because Erlang
/// (and so rebar3 or a release) would refuse such a file.
pub fn consult_bytes(bytes: &[u8]) -> Result<Vec<Term>, TermError> {
    consult(&encoding::decode(bytes)?)
}

/// A diagnostic about a term with a known position.
pub fn term_diagnostic(
    severity: crate::diagnostic::Severity,
    code: &'static str,
    rel: &str,
    t: &Term,
    message: impl Into<String>,
) -> crate::diagnostic::Diagnostic {
    crate::diagnostic::Diagnostic::new(severity, code, rel, t.pos.line, Some(t.pos.column), message)
}
