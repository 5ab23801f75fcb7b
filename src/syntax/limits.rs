//! Literals and macros erlc rejects or otpmap will not compute, said with
//! their place instead of passing silently (issue 18): atoms longer than
//! Erlang allows, integers longer than otpmap reads (the limits of config
//! files, `config::term`), and a macro whose replacement calls itself.

use super::call_args::call_args;
use super::source_file::SourceFile;
use super::token::{tokenize_into, Token, TokenKind};
use crate::diagnostic::{Diagnostic, Severity};

/// The longest atom Erlang accepts, in characters (the term reader of
/// config/ holds literals to the same limits). Defined by the lexer, which
/// notes the longer atoms and integers for [`literal_limits`].
pub(crate) use super::token::MAX_ATOM_CHARS;

/// Integer literals longer than this are refused: converting decimal digits
/// to a big integer is quadratic, and no configuration needs them.
pub(crate) const MAX_INTEGER_DIGITS: usize = 100_000;

/// Code of the literal diagnostics, as in config files.
const CODE: &str = "term-syntax";

/// One diagnostic per atom over 255 characters (erlc: "atom too long")
/// and per integer over 100 000 digits (its value is left unknown: turning
/// decimal digits into a number costs quadratic time).
/// `tokens` need only hold the atoms and integers longer than
/// [`MAX_ATOM_CHARS`] bytes (both limits are longer): the lexer notes them.
pub(crate) fn literal_limits(file: &SourceFile, tokens: &[Token]) -> Vec<Diagnostic> {
    let text = file.text.as_str();
    let mut out = Vec::new();
    for t in tokens {
        let len = (t.end - t.start) as usize;
        if len <= MAX_ATOM_CHARS {
            continue;
        }
        match t.kind {
            // A cheap length test first: most atoms are short.
            TokenKind::Atom | TokenKind::QuotedAtom if len > MAX_ATOM_CHARS => {
                let chars = t.atom(text).map_or(0, |a| a.chars().count());
                if chars > MAX_ATOM_CHARS {
                    out.push(file.diagnostic_at(
                        Severity::Error,
                        CODE,
                        t.start as usize,
                        format!(
                            "atom is too long ({chars} characters; Erlang allows \
                             {MAX_ATOM_CHARS}): erlc rejects the file"
                        ),
                    ));
                }
            }
            TokenKind::Integer if len > MAX_INTEGER_DIGITS => {
                let digits = t
                    .text(text)
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .count();
                if digits > MAX_INTEGER_DIGITS {
                    out.push(file.diagnostic_at(
                        Severity::Warning,
                        CODE,
                        t.start as usize,
                        format!(
                            "integer of {digits} digits; otpmap reads at most \
                             {MAX_INTEGER_DIGITS}, so its value is unknown"
                        ),
                    ));
                }
            }
            _ => {}
        }
    }
    out
}

/// True when the replacement `body` of macro `name` (with `arity`
/// parameters, `None` without parentheses) calls the macro itself:
/// `-define(X, ?X).`, which erlc rejects at every use ("circular macro").
pub(crate) fn calls_itself(name: &str, arity: Option<usize>, body: &str) -> bool {
    // Most bodies call no macro at all: no `?`, no need for their tokens.
    if !body.contains('?') {
        return false;
    }
    let mut tokens = Vec::new();
    tokenize_into(body, &mut tokens);
    tokens.windows(2).enumerate().any(|(i, w)| {
        if w[0].kind != TokenKind::Question || w[1].macro_name(body).as_deref() != Some(name) {
            return false;
        }
        let called = match tokens.get(i + 2) {
            Some(t) if t.kind == TokenKind::OpenParen => match call_args(&tokens, i + 2) {
                Some(args) => Some(args.arity),
                // Arguments that never close are no call of any arity.
                None => return false,
            },
            _ => None,
        };
        called == arity
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macros_calling_themselves() {
        assert!(calls_itself("X", None, "?X"));
        assert!(calls_itself("X", None, "{a, ?X}"));
        assert!(calls_itself("F", Some(1), "?F(A) + 1"));
        assert!(calls_itself("F", Some(0), "?F()"));
        // Another arity is another macro.
        assert!(!calls_itself("F", Some(1), "?F"));
        assert!(!calls_itself("F", None, "?F(1, 2)"));
        assert!(!calls_itself("X", None, "?Y"));
        assert!(!calls_itself("X", None, "??X"));
        assert!(!calls_itself("X", None, "x"));
        // A fun's body is one argument (once counted as two).
        assert!(calls_itself("X", Some(1), "?X(fun () -> a, b end)"));
        assert!(!calls_itself("X", Some(2), "?X(fun () -> a, b end)"));
    }
}
