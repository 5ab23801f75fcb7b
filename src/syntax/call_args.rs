//! The arguments of a call read from tokens: where the `(` at some token
//! closes and how many arguments lie between. The one token walker for
//! macro calls (`?M(...)`) and remote calls, used by the macro checks of
//! `syntax`, the parse patches, the `missing-app-dependency` rule and the
//! call graph's quiet filter (docs/architecture.md).
//!
//! Blocks count as brackets: `fun () -> a, b end` is one argument, so a
//! comma inside a `fun`, `case`, `try`, `receive`, `if`, `begin` or
//! `maybe` does not separate arguments. A `fun` without a body
//! (`fun f/1`, `fun m:f/1`, `fun M:F/A`) opens nothing.

use super::token::{Bracket, Keyword, Token, TokenKind};

/// Where a call's arguments end and how many there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CallArgs {
    /// The index of the `)` closing the arguments.
    pub(crate) close: usize,
    /// The number of arguments: 0 for `()`.
    pub(crate) arity: usize,
}

/// What a token opens: a bracket or a block that `end` closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opener {
    Bracket(Bracket),
    Block,
}

/// The arguments of the call whose `(` is at `open`. `None` when the
/// token there is no `(`, when brackets and blocks do not nest (`( ]`,
/// `( end`), or when the form ends (`.`) or the tokens run out first.
pub(crate) fn call_args(tokens: &[Token], open: usize) -> Option<CallArgs> {
    if tokens.get(open)?.kind != TokenKind::OpenParen {
        return None;
    }
    let mut stack: Vec<Opener> = Vec::new();
    let mut commas = 0;
    for (j, t) in tokens.iter().enumerate().skip(open) {
        if let Some(b) = t.kind.open_bracket() {
            stack.push(Opener::Bracket(b));
        } else if let Some(b) = t.kind.close_bracket() {
            if stack.pop() != Some(Opener::Bracket(b)) {
                return None;
            }
            if stack.is_empty() {
                let arity = if j == open + 1 { 0 } else { commas + 1 };
                return Some(CallArgs { close: j, arity });
            }
        } else if t.kind == TokenKind::Atom && opens_block(tokens, j) {
            stack.push(Opener::Block);
        } else if t.kind == TokenKind::Atom && t.keyword == Keyword::End {
            if stack.pop() != Some(Opener::Block) {
                return None;
            }
        } else if t.kind == TokenKind::Dot {
            return None;
        } else if stack.len() == 1 && t.kind == TokenKind::Comma {
            commas += 1;
        }
    }
    None
}

/// True when the keyword at `j` opens a block that `end` closes.
fn opens_block(tokens: &[Token], j: usize) -> bool {
    match tokens[j].keyword {
        Keyword::None | Keyword::End => false,
        // `fun (...) -> ... end` and `fun Name(...) -> ... end` have a body;
        // `fun f/1`, `fun m:f/1` and `fun M:F/A` have none.
        Keyword::Fun => match tokens.get(j + 1).map(|n| n.kind) {
            Some(TokenKind::OpenParen) => true,
            Some(TokenKind::Var) => tokens.get(j + 2).map(|n| n.kind) == Some(TokenKind::OpenParen),
            _ => false,
        },
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::token::tokenize_into;

    /// The arity of the call whose `(` is the first token of `text`.
    fn arity(text: &str) -> Option<usize> {
        let mut tokens = Vec::new();
        tokenize_into(text, &mut tokens);
        call_args(&tokens, 0).map(|a| a.arity)
    }

    #[test]
    fn counts_arguments_outside_brackets() {
        assert_eq!(arity("()"), Some(0));
        assert_eq!(arity("(a)"), Some(1));
        assert_eq!(arity("(a, {b, c}, [d, e], <<f, g>>, #{h => i})"), Some(5));
    }

    /// `limits.rs` once counted two arguments here.
    #[test]
    fn a_fun_body_is_one_argument() {
        assert_eq!(arity("(fun () -> a, b end)"), Some(1));
        assert_eq!(arity("(fun Loop(X) -> x, Loop(X) end, z)"), Some(2));
    }

    #[test]
    fn funs_without_a_body_open_nothing() {
        assert_eq!(arity("(fun f/1, fun m:f/2, fun M:F/A)"), Some(3));
    }

    #[test]
    fn blocks_are_one_argument() {
        assert_eq!(arity("(case X of a -> 1, 2; _ -> 3 end, y)"), Some(2));
        assert_eq!(arity("(begin a, b end)"), Some(1));
        assert_eq!(arity("(try a, b catch _:_ -> c, d end)"), Some(1));
        assert_eq!(arity("(receive a -> b, c after 0 -> d end)"), Some(1));
    }

    /// `patch.rs` stopped at a form's end; `missing_app_dependency.rs` ran on.
    #[test]
    fn a_form_end_or_a_mismatch_is_no_call() {
        assert_eq!(arity("(a, b. c)"), None);
        assert_eq!(arity("(a, b"), None);
        assert_eq!(arity("(a ]"), None);
        assert_eq!(arity("(end)"), None);
        assert_eq!(arity("a"), None);
    }

    #[test]
    fn close_is_the_matching_paren() {
        let mut tokens = Vec::new();
        tokenize_into("(f(x), [y]) + 1", &mut tokens);
        let args = call_args(&tokens, 0).unwrap();
        assert_eq!(args.close, 9);
        assert_eq!(tokens[args.close].kind, TokenKind::CloseParen);
    }
}
