//! The cheap structural check of one form: balanced brackets and
//! `... end` blocks, terminated strings and quoted atoms. It finds the
//! clearly broken forms without tree-sitter, so every file can be checked.

use super::token::{Bracket, Keyword, Token, TokenKind};

/// What opened a nesting level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Opener {
    Bracket(Bracket),
    /// A keyword closed by `end`: `begin`, `case`, `fun`, ...
    Keyword(&'static str),
}

impl Opener {
    fn text(self) -> &'static str {
        match self {
            Opener::Bracket(b) => b.open(),
            Opener::Keyword(k) => k,
        }
    }

    fn closer(self) -> &'static str {
        match self {
            Opener::Bracket(b) => b.close(),
            Opener::Keyword(_) => "end",
        }
    }
}

/// A structural problem: where, what, and the opener it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StructureError {
    /// Byte offset the diagnostic points at.
    pub(crate) offset: usize,
    /// What is wrong, without positions.
    pub(crate) message: String,
    /// The still-open opener involved, with its byte offset.
    pub(crate) open: Option<(usize, &'static str)>,
}

/// Words that, after `maybe`, show it is an atom and not a `maybe ... end` block.
const NOT_AFTER_MAYBE_BLOCK: &[&str] = &[
    "andalso", "orelse", "and", "or", "xor", "band", "bor", "bxor", "bsl", "bsr", "div", "rem",
    "of", "when", "end", "catch", "after", "else",
];

/// If token `i` is a keyword that needs a matching `end`, returns it.
#[inline]
/// `in_attribute` enables the `fun(...)` type syntax of specs and types.
pub(crate) fn keyword_opener(
    text: &str,
    tokens: &[Token],
    i: usize,
    in_attribute: bool,
) -> Option<&'static str> {
    let tok = tokens.get(i)?;
    if matches!(tok.keyword, Keyword::None | Keyword::End) {
        return None;
    }
    let prev = i.checked_sub(1).and_then(|p| tokens.get(p)).map(|t| t.kind);
    // `-if(...)`, `?if`, `#try{}`: a name, not a keyword.
    if matches!(prev, Some(TokenKind::Question | TokenKind::Hash))
        || (i == 1 && prev == Some(TokenKind::Minus))
    {
        return None;
    }
    let kind_at = |j: usize| tokens.get(j).map(|t| t.kind);
    match tok.keyword {
        Keyword::None | Keyword::End => None,
        Keyword::Begin => Some("begin"),
        Keyword::Case => Some("case"),
        Keyword::If => Some("if"),
        Keyword::Receive => Some("receive"),
        Keyword::Try => Some("try"),
        Keyword::Fun => match kind_at(i + 1) {
            Some(TokenKind::OpenParen) => {
                if in_attribute && is_fun_type(text, tokens, i) {
                    None
                } else {
                    Some("fun")
                }
            }
            // `fun Loop(N) -> ... end`, a named fun; `fun M:f/1` has no `end`.
            Some(TokenKind::Var) if kind_at(i + 2) == Some(TokenKind::OpenParen) => Some("fun"),
            _ => None,
        },
        Keyword::Maybe => {
            // Before OTP 27 `maybe` is often an atom: `{maybe, X}`, `maybe(X)`.
            let next = tokens.get(i + 1)?;
            let starts_block = match next.kind {
                TokenKind::Var
                | TokenKind::Integer
                | TokenKind::Float
                | TokenKind::Char
                | TokenKind::String
                | TokenKind::QuotedAtom
                | TokenKind::Hash
                | TokenKind::Question
                | TokenKind::OpenSquare
                | TokenKind::OpenCurly
                | TokenKind::OpenBinary => true,
                TokenKind::Atom => !NOT_AFTER_MAYBE_BLOCK.contains(&next.text(text)),
                // `maybe(X)` is a call; a block may start with a parenthesised
                // pattern on the next line: `maybe\n (#r{} = R) ?= f(), ...`.
                TokenKind::OpenParen => text
                    .get(tok.end as usize..next.start as usize)
                    .is_some_and(|gap| gap.contains('\n')),
                _ => false,
            };
            starts_block.then_some("maybe")
        }
    }
}

/// `fun()` and `fun((A) -> B)` in a type have no `end`; `fun() -> ... end` does.
fn is_fun_type(text: &str, tokens: &[Token], i: usize) -> bool {
    let kind_at = |j: usize| tokens.get(j).map(|t| t.kind);
    match kind_at(i + 2) {
        Some(TokenKind::OpenParen) => true,
        Some(TokenKind::Op) => tokens.get(i + 2).is_some_and(|t| t.text(text) == "..."),
        Some(TokenKind::CloseParen) => {
            let after = tokens.get(i + 3);
            !(after.is_some_and(|t| t.kind == TokenKind::Arrow)
                || after.is_some_and(|t| t.kind == TokenKind::Atom && t.text(text) == "when"))
        }
        _ => false,
    }
}

/// The kinds of token [`check_token`] may find a problem in, as a bit
/// mask over [`TokenKind`] (an atom only with its keyword): the form
/// splitter skips every other token with one test.
pub(crate) const STRUCTURAL: u32 = {
    use TokenKind as K;
    let kinds = [
        K::OpenParen,
        K::OpenSquare,
        K::OpenCurly,
        K::OpenBinary,
        K::CloseParen,
        K::CloseSquare,
        K::CloseCurly,
        K::CloseBinary,
        K::UnterminatedString,
        K::UnterminatedAtom,
        K::Invalid,
    ];
    let mut mask = 0;
    let mut i = 0;
    while i < kinds.len() {
        mask |= 1 << kinds[i] as u32;
        i += 1;
    }
    mask
};

/// Checks token `i` of a form's `tokens` (which may run past its dot:
/// no lookahead crosses one), given the openers still open before it.
/// Tokens that are not [`STRUCTURAL`] nor keywords change nothing; a
/// problem is the form's, and the check of that form stops at it: one per
/// form is enough to point at the mistake.
#[inline]
pub(crate) fn check_token(
    text: &str,
    tokens: &[Token],
    i: usize,
    in_attribute: bool,
    stack: &mut Vec<(Opener, usize)>,
) -> Option<StructureError> {
    let tok = tokens.get(i)?;
    let start = tok.start as usize;
    if let Some(b) = tok.kind.open_bracket() {
        stack.push((Opener::Bracket(b), start));
        return None;
    }
    match tok.kind {
        k if k.close_bracket().is_some() => match (stack.last(), k.close_bracket()) {
            (Some(&(Opener::Bracket(open), _)), Some(b)) if open == b => {
                stack.pop();
                None
            }
            (Some(&(open, at)), Some(b)) => Some(StructureError {
                offset: start,
                message: format!("unexpected `{}`, expected `{}`", b.close(), open.closer()),
                open: Some((at, open.text())),
            }),
            (_, b) => {
                let close = b.map_or("", Bracket::close);
                Some(StructureError {
                    offset: start,
                    message: format!("unexpected `{close}` with nothing open"),
                    open: None,
                })
            }
        },
        TokenKind::Atom => {
            if let Some(k) = keyword_opener(text, tokens, i, in_attribute) {
                stack.push((Opener::Keyword(k), start));
                None
            } else if tok.keyword == Keyword::End
                && !matches!(
                    i.checked_sub(1).map(|p| tokens[p].kind),
                    Some(TokenKind::Question | TokenKind::Hash)
                )
            {
                match stack.last() {
                    Some(&(Opener::Keyword(_), _)) => {
                        stack.pop();
                        None
                    }
                    Some(&(open, at)) => Some(StructureError {
                        offset: start,
                        message: format!("unexpected `end`, expected `{}`", open.closer()),
                        open: Some((at, open.text())),
                    }),
                    None => Some(StructureError {
                        offset: start,
                        message: "unexpected `end` with no block open".to_owned(),
                        open: None,
                    }),
                }
            } else {
                None
            }
        }
        TokenKind::UnterminatedString => Some(StructureError {
            offset: start,
            message: "string is not terminated".to_owned(),
            open: None,
        }),
        TokenKind::UnterminatedAtom => Some(StructureError {
            offset: start,
            message: "quoted atom is not terminated".to_owned(),
            open: None,
        }),
        TokenKind::Invalid => Some(StructureError {
            offset: start,
            message: format!("unexpected character `{}`", tok.text(text).escape_debug()),
            open: None,
        }),
        _ => None,
    }
}

/// The problem of a form whose tokens all passed [`check_token`] with
/// `stack` still holding openers at its end.
pub(crate) fn unclosed(stack: &[(Opener, usize)]) -> Option<StructureError> {
    stack.last().map(|&(open, at)| StructureError {
        offset: at,
        message: format!(
            "`{}` is not closed by `{}` before the end of the form",
            open.text(),
            open.closer()
        ),
        open: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::token::Lexer;

    fn check(src: &str, attr: bool) -> Option<(usize, String)> {
        let toks: Vec<Token> = Lexer::new(src)
            .filter(|t| t.kind != TokenKind::Dot)
            .collect();
        let mut stack = Vec::new();
        (0..toks.len())
            .find_map(|i| check_token(src, &toks, i, attr, &mut stack))
            .or_else(|| unclosed(&stack))
            .map(|e| (e.offset, e.message))
    }

    #[test]
    fn balanced_forms_pass() {
        for src in [
            "f(X) -> case X of {a, [b]} -> <<1, (g())/binary>>; _ -> fun m:f/1 end.",
            "f() -> F = fun f/1, G = fun M:F/A, H = fun(X) -> X end, {F, G, H}.",
            "f() -> fun Loop(0) -> ok; Loop(N) -> Loop(N - 1) end.",
            "f() -> try a() of _ -> ok catch _:_ -> err after b() end.",
            "f() -> receive X -> X after 10 -> begin ok end end.",
            "f() -> if true -> ok end, {maybe, X}, maybe(X), Y == maybe orelse z.",
            "f() -> maybe {ok, A} ?= g(), A else _ -> e end.",
            "f() -> maybe\n (A) ?= g(), A end.",
        ] {
            assert_eq!(check(src, false), None, "{src}");
        }
        for src in [
            "-spec f(fun((a) -> b), fun()) -> fun(() -> ok).",
            "-type t() :: fun((...) -> ok).",
            "-record(r, {f = fun() -> ok end :: fun(() -> ok)}).",
            "-if(?OTP_RELEASE >= 21).",
        ] {
            assert_eq!(check(src, true), None, "{src}");
        }
    }

    #[test]
    fn broken_forms_are_found() {
        assert_eq!(
            check("f() -> case x of a -> (ok end.", false),
            Some((26, "unexpected `end`, expected `)`".to_owned()))
        );
        assert_eq!(
            check("f() -> [a, b}.", false),
            Some((12, "unexpected `}`, expected `]`".to_owned()))
        );
        assert_eq!(
            check("f() -> begin ok.", false),
            Some((
                7,
                "`begin` is not closed by `end` before the end of the form".to_owned()
            ))
        );
        assert_eq!(
            check("f() -> ok end.", false),
            Some((10, "unexpected `end` with no block open".to_owned()))
        );
        assert_eq!(check("f() -> <<1>.", false).map(|e| e.0), Some(7));
    }
}
