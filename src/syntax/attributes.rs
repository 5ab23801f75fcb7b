//! Reading the simple attributes straight from the cheap lexer's tokens:
//! `-module`, `-behaviour`, `-export`, `-include`, the head of `-define`,
//! conditional directives. No tree-sitter is needed for these, which keeps
//! indexing a whole code base cheap.

use std::ops::Range;

use super::literal::{atom_value, integer_value, string_value};
use super::token::{Token, TokenKind};

/// A name as written in an attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NameToken {
    /// An atom (unquoted).
    Atom(String),
    /// A variable name (macro names may be variables).
    Var(String),
    /// `?NAME` without arguments.
    Macro(String),
}

/// The tokens inside `-name( ... ).`: between the `(` after the name and
/// the last `)`. `None` for an attribute without parentheses.
pub(crate) fn paren_args(tokens: &[Token]) -> Option<&[Token]> {
    if tokens.get(2)?.kind != TokenKind::OpenParen {
        return None;
    }
    let last = tokens.len() - 1;
    if last < 3 || tokens[last].kind != TokenKind::CloseParen {
        return None;
    }
    tokens.get(3..last)
}

/// The source text of the tokens, from the first one's start to the last one's end.
pub(crate) fn tokens_text<'a>(text: &'a str, tokens: &[Token]) -> &'a str {
    match (tokens.first(), tokens.last()) {
        (Some(a), Some(b)) => text.get(a.start as usize..b.end as usize).unwrap_or(""),
        _ => "",
    }
}

/// A single name making up all of `tokens` (`foo`, `'Foo'`, `X`, `?M`).
pub(crate) fn single_name(text: &str, tokens: &[Token]) -> Option<NameToken> {
    match tokens {
        [t] if matches!(t.kind, TokenKind::Atom | TokenKind::QuotedAtom) => {
            Some(NameToken::Atom(atom_value(t.text(text))))
        }
        [t] if t.kind == TokenKind::Var => Some(NameToken::Var(t.text(text).to_owned())),
        [q, t] if q.kind == TokenKind::Question => match t.kind {
            TokenKind::Atom | TokenKind::QuotedAtom => {
                Some(NameToken::Macro(atom_value(t.text(text))))
            }
            TokenKind::Var => Some(NameToken::Macro(t.text(text).to_owned())),
            _ => None,
        },
        _ => None,
    }
}

/// One `name/arity` of an export list, with the offset of its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExportToken {
    pub(crate) name: String,
    pub(crate) arity: u32,
    /// Byte range of the whole `name/arity` entry.
    pub(crate) range: Range<usize>,
}

/// Reads `[f/1, g/2]`; entries that are not `name/integer` (a macro arity)
/// are returned apart by offset so the caller can report them.
pub(crate) fn exports(text: &str, args: &[Token]) -> (Vec<ExportToken>, Vec<usize>) {
    let mut out = Vec::new();
    let mut unread = Vec::new();
    let inner = match args {
        [open, inner @ .., close]
            if open.kind == TokenKind::OpenSquare && close.kind == TokenKind::CloseSquare =>
        {
            inner
        }
        _ => {
            if let Some(t) = args.first() {
                unread.push(t.start as usize);
            }
            return (out, unread);
        }
    };
    for entry in inner.split(|t| t.kind == TokenKind::Comma) {
        let Some(first) = entry.first() else {
            continue;
        };
        let read = match entry {
            [n, s, a] if s.kind == TokenKind::Slash && a.kind == TokenKind::Integer => {
                let name = match n.kind {
                    TokenKind::Atom | TokenKind::QuotedAtom => Some(atom_value(n.text(text))),
                    _ => None,
                };
                name.zip(integer_value(a.text(text)).and_then(|v| u32::try_from(v).ok()))
            }
            [q, n, s, a]
                if q.kind == TokenKind::Question
                    && s.kind == TokenKind::Slash
                    && a.kind == TokenKind::Integer =>
            {
                integer_value(a.text(text))
                    .and_then(|v| u32::try_from(v).ok())
                    .map(|arity| (format!("?{}", n.text(text)), arity))
            }
            _ => None,
        };
        match read {
            Some((name, arity)) => out.push(ExportToken {
                name,
                arity,
                range: first.start as usize..entry.last().map_or(first.end, |t| t.end) as usize,
            }),
            None => unread.push(first.start as usize),
        }
    }
    (out, unread)
}

/// The path of `-include(...)`: adjacent string literals joined (`true`),
/// or the raw text when it is built from macros (`false`).
pub(crate) fn include_path(text: &str, args: &[Token]) -> (String, bool) {
    if !args.is_empty() && args.iter().all(|t| t.kind == TokenKind::String) {
        (
            args.iter().map(|t| string_value(t.text(text))).collect(),
            true,
        )
    } else {
        (tokens_text(text, args).to_owned(), false)
    }
}

/// The head of a `-define`: name, parameters, and the replacement's byte
/// range (`None` for `-define(NAME).`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DefineHead {
    pub(crate) name: String,
    pub(crate) params: Option<Vec<String>>,
    pub(crate) body: Option<Range<usize>>,
}

/// Reads the head of `-define(NAME, ...)` / `-define(NAME(A, B), ...)`.
pub(crate) fn define_head(text: &str, args: &[Token]) -> Option<DefineHead> {
    let name_tok = args.first()?;
    let name = match name_tok.kind {
        TokenKind::Atom | TokenKind::QuotedAtom => atom_value(name_tok.text(text)),
        TokenKind::Var => name_tok.text(text).to_owned(),
        _ => return None,
    };
    let mut i = 1;
    let mut params = None;
    if args.get(1).map(|t| t.kind) == Some(TokenKind::OpenParen) {
        let mut ps = Vec::new();
        i = 2;
        loop {
            let t = args.get(i)?;
            match t.kind {
                TokenKind::CloseParen => {
                    i += 1;
                    break;
                }
                TokenKind::Var => ps.push(t.text(text).to_owned()),
                TokenKind::Comma => {}
                _ => return None,
            }
            i += 1;
        }
        params = Some(ps);
    }
    let body = match args.get(i) {
        None => None,
        Some(t) if t.kind == TokenKind::Comma => {
            let start = t.end as usize;
            let end = args.last().map_or(start, |l| l.end as usize);
            Some(start..end.max(start))
        }
        Some(_) => return None,
    };
    Some(DefineHead { name, params, body })
}

/// True when any token of `args` is the atom `export_all` (`-compile(export_all)`,
/// `-compile([export_all, ...])`).
pub(crate) fn has_export_all(text: &str, args: &[Token]) -> bool {
    args.iter()
        .any(|t| t.kind == TokenKind::Atom && t.text(text) == "export_all")
}

/// The modules a `-compile` attribute names as `{parse_transform, M}`.
pub(crate) fn parse_transforms(text: &str, args: &[Token]) -> Vec<String> {
    args.windows(5)
        .filter(|w| {
            w[0].kind == TokenKind::OpenCurly
                && w[1].kind == TokenKind::Atom
                && w[1].text(text) == "parse_transform"
                && w[2].kind == TokenKind::Comma
                && matches!(w[3].kind, TokenKind::Atom | TokenKind::QuotedAtom)
                && w[4].kind == TokenKind::CloseCurly
        })
        .map(|w| super::literal::atom_value(w[3].text(text)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::token::Lexer;

    fn toks(src: &str) -> Vec<Token> {
        Lexer::new(src)
            .filter(|t| t.kind != TokenKind::Dot)
            .collect()
    }

    #[test]
    fn reads_parse_transforms() {
        let src = "-compile([export_all, {parse_transform, ct_expand}, {parse_transform, 'lager_transform'}, {d, 'X'}]).";
        let t = toks(src);
        assert_eq!(
            parse_transforms(src, paren_args(&t).unwrap()),
            vec!["ct_expand", "lager_transform"]
        );
    }

    #[test]
    fn reads_exports() {
        let src = "-export([start_link/0, 'odd name'/2, ?F/1, g/?A]).";
        let t = toks(src);
        let (ok, bad) = exports(src, paren_args(&t).unwrap());
        let got: Vec<_> = ok.iter().map(|e| (e.name.as_str(), e.arity)).collect();
        assert_eq!(got, vec![("start_link", 0), ("odd name", 2), ("?F", 1)]);
        assert_eq!(bad.len(), 1);
    }

    #[test]
    fn reads_define_heads() {
        let src = "-define(CHILD(I, Type), {I, {I, start_link, []}, permanent, 5000, Type, [I]}).";
        let t = toks(src);
        let h = define_head(src, paren_args(&t).unwrap()).unwrap();
        assert_eq!(h.name, "CHILD");
        assert_eq!(h.params, Some(vec!["I".to_owned(), "Type".to_owned()]));
        assert_eq!(
            src[h.body.unwrap()].trim(),
            "{I, {I, start_link, []}, permanent, 5000, Type, [I]}"
        );
        let src = "-define(TEST).";
        let t = toks(src);
        let h = define_head(src, paren_args(&t).unwrap()).unwrap();
        assert_eq!((h.name.as_str(), h.params, h.body), ("TEST", None, None));
    }

    #[test]
    fn reads_names_and_paths() {
        let src = "?GEN_SERVER";
        assert_eq!(
            single_name(src, &toks(src)),
            Some(NameToken::Macro("GEN_SERVER".into()))
        );
        let src = "'gen_server'";
        assert_eq!(
            single_name(src, &toks(src)),
            Some(NameToken::Atom("gen_server".into()))
        );
        let src = "\"a/\" \"b.hrl\"";
        assert_eq!(include_path(src, &toks(src)), ("a/b.hrl".to_owned(), true));
        let src = "?DIR \"b.hrl\"";
        assert_eq!(
            include_path(src, &toks(src)),
            ("?DIR \"b.hrl\"".to_owned(), false)
        );
    }
}
