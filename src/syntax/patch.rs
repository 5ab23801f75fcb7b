//! Same-length rewrites of the text tree-sitter reads, for valid Erlang
//! that tree-sitter-erlang 0.21 does not parse. Every rewrite keeps each
//! byte where it was and every newline as it was, so node offsets and
//! rows are those of the file, and the lowering (which reads the file's
//! own text at a node's range) sees the original code:
//!
//! - `maybe` used as an atom (`maybe(X)`, a function of that name: legal
//!   before OTP 27 without `-feature(maybe_expr, enable)`) is read as
//!   `mayb_`, an atom of the same length; the grammar makes it a keyword.
//! - A character `$\x{263A}`, which the grammar's `char` token lacks, is
//!   read as `$\x0263A0`, a character of the same length.
//! - A `catch` clause whose head is a macro that expands to the pattern
//!   *and* its arrow (`?STACKTRACE(C, R, S)` for `C:R:S ->`, common in
//!   code written for both sides of OTP 21) gets an `->` in the blank
//!   after the call, when it is followed directly by the clause body.

use std::ops::Range;

use super::call_args::call_args;
use super::structure::keyword_opener;
use super::token::{tokenize_into, Keyword, Token, TokenKind};

/// One rewrite: the bytes at `at` read as `bytes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Patch {
    at: usize,
    bytes: Vec<u8>,
}

/// The rewrites for the parts of `text` in `ranges` (all of it when
/// empty), sorted by offset and disjoint.
pub(crate) fn patches(text: &str, ranges: &[Range<usize>]) -> Vec<Patch> {
    let whole = 0..text.len();
    let ranges = if ranges.is_empty() {
        std::slice::from_ref(&whole)
    } else {
        ranges
    };
    let mut out = Vec::new();
    let mut tokens = Vec::new();
    for r in ranges {
        let Some(part) = text.get(r.clone()) else {
            continue;
        };
        // Most forms need none: skip the lexer unless one may apply.
        let bytes = part.as_bytes();
        if memchr::memmem::find(bytes, b"maybe").is_none()
            && memchr::memmem::find(bytes, b"$\\x{").is_none()
            && !has_clause_head_macro(bytes)
        {
            continue;
        }
        tokens.clear();
        tokenize_into(part, &mut tokens);
        for t in tokens.iter_mut() {
            t.start += r.start as u32;
            t.end += r.start as u32;
        }
        form_patches(text, &tokens, &mut out);
    }
    out.sort_by_key(|p| p.at);
    out
}

/// A `?` right after `;` or `catch` (blanks between): where a clause head
/// macro may be.
fn has_clause_head_macro(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'?', bytes).any(|q| {
        let before = bytes[..q].trim_ascii_end();
        before.ends_with(b";") || before.ends_with(b"catch")
    })
}

fn form_patches(text: &str, tokens: &[Token], out: &mut Vec<Patch>) {
    for (i, t) in tokens.iter().enumerate() {
        let range = t.start as usize..t.end as usize;
        match t.kind {
            TokenKind::Atom
                if t.keyword == Keyword::Maybe
                    && keyword_opener(text, tokens, i, false).is_none() =>
            {
                out.push(Patch {
                    at: range.start,
                    bytes: b"mayb_".to_vec(),
                });
            }
            TokenKind::Char
                if text
                    .get(range.clone())
                    .is_some_and(|s| s.starts_with("$\\x{")) =>
            {
                let bytes = text.as_bytes()[range.clone()]
                    .iter()
                    .map(|&b| if b == b'{' || b == b'}' { b'0' } else { b })
                    .collect();
                out.push(Patch {
                    at: range.start,
                    bytes,
                });
            }
            TokenKind::Question => {
                if let Some(p) = clause_macro_arrow(text, tokens, i) {
                    out.push(p);
                }
            }
            _ => {}
        }
    }
}

/// `catch ?M(...) Body` or `; ?M(...) Body`: a macro call in a clause
/// head's place followed by an expression with no `->`, `when` or
/// operator between them, which only parses if the macro ends with the
/// arrow. The arrow is written into the first two blanks of the gap.
fn clause_macro_arrow(text: &str, tokens: &[Token], q: usize) -> Option<Patch> {
    let prev = tokens.get(q.checked_sub(1)?)?;
    let after_catch = prev.kind == TokenKind::Atom && prev.text(text) == "catch";
    if !(after_catch || prev.kind == TokenKind::Semicolon) {
        return None;
    }
    if !matches!(tokens.get(q + 1)?.kind, TokenKind::Var | TokenKind::Atom)
        || tokens.get(q + 2)?.kind != TokenKind::OpenParen
    {
        return None;
    }
    let close = call_args(tokens, q + 2)?.close;
    let next = tokens.get(close + 1)?;
    let starts_body = match next.kind {
        TokenKind::Var
        | TokenKind::Integer
        | TokenKind::Float
        | TokenKind::Char
        | TokenKind::String
        | TokenKind::QuotedAtom
        | TokenKind::Question
        | TokenKind::OpenSquare
        | TokenKind::OpenCurly
        | TokenKind::OpenBinary
        | TokenKind::Hash => true,
        TokenKind::Atom => !matches!(
            next.text(text),
            "when"
                | "andalso"
                | "orelse"
                | "and"
                | "or"
                | "xor"
                | "of"
                | "end"
                | "after"
                | "catch"
                | "div"
                | "rem"
                | "band"
                | "bor"
                | "bxor"
                | "bsl"
                | "bsr"
        ),
        _ => false,
    };
    if !starts_body {
        return None;
    }
    let gap = tokens.get(close)?.end as usize..next.start as usize;
    let bytes = text.as_bytes();
    // Two blanks in a row, not a newline (rows must stay), not a comment.
    let at = gap.clone().find(|&i| {
        i + 1 < gap.end && matches!(bytes[i], b' ' | b'\t') && matches!(bytes[i + 1], b' ' | b'\t')
    })?;
    if text.get(gap.start..at).is_some_and(|s| s.contains('%')) {
        return None;
    }
    Some(Patch {
        at,
        bytes: b"->".to_vec(),
    })
}

/// The bytes tree-sitter reads from offset `i`: the file's, up to the next
/// patch, or the rest of the patch `i` falls in.
pub(crate) fn read_at<'a>(bytes: &'a [u8], patches: &'a [Patch], i: usize) -> &'a [u8] {
    // The first patch that ends after `i`.
    let k = patches.partition_point(|p| p.at + p.bytes.len() <= i);
    match patches.get(k) {
        Some(p) if p.at <= i => &p.bytes[i - p.at..],
        Some(p) => bytes.get(i..p.at).unwrap_or_default(),
        None => bytes.get(i..).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patched(text: &str) -> String {
        let ps = patches(text, &[]);
        let mut out = Vec::new();
        let mut i = 0;
        while i < text.len() {
            let chunk = read_at(text.as_bytes(), &ps, i);
            out.extend_from_slice(chunk);
            i += chunk.len();
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn maybe_as_an_atom_is_renamed_a_block_is_not() {
        assert_eq!(
            patched("f() -> maybe(1), {maybe, x}.\nmaybe(X) -> X."),
            "f() -> mayb_(1), {mayb_, x}.\nmayb_(X) -> X."
        );
        let block = "f() -> maybe {ok, A} ?= g(), A end.";
        assert_eq!(patched(block), block);
    }

    #[test]
    fn braced_hex_char_keeps_its_length() {
        assert_eq!(patched("f() -> $\\x{1F}."), "f() -> $\\x01F0.");
    }

    #[test]
    fn arrow_goes_in_the_blank_after_a_clause_head_macro() {
        let text =
            "f() -> try g() catch\n    ?ST(C, R, S)\n    {C, R, S};\n    ?ST(C, R, S)  ok end.";
        assert_eq!(
            patched(text),
            "f() -> try g() catch\n    ?ST(C, R, S)\n->  {C, R, S};\n    ?ST(C, R, S)->ok end."
        );
        // With its arrow written out, nothing changes.
        let plain = "f() -> try g() catch ?E(C, R, S) -> ok end.";
        assert_eq!(patched(plain), plain);
    }
}
