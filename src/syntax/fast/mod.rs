//! A fast path for parsing function bodies: a hand-written recursive
//! descent parser (Pratt for operators) from the cheap lexer's tokens
//! straight to the AST, tried before tree-sitter.
//!
//! tree-sitter-erlang reads 2-5 MB/s, and parsing bodies was a third of
//! `lint`'s time. This parser reads the common subset of Erlang and gives
//! exactly the `Function` that tree-sitter and the `Lowerer` give (spans
//! included); whenever it meets anything it is not sure of (a construct
//! it does not read, a macro in an odd place, text `patch` would rewrite,
//! deep nesting), it gives `None` and tree-sitter runs as before. A
//! differential test over real code holds it to that contract.

mod compound;
mod expr;
#[cfg(test)]
mod tests;

use std::cell::Cell;
use std::ops::Range;
use std::time::{Duration, Instant};

use super::ast::{Clause, Expr, ExprKind, Function, Span};
use super::source_file::SourceFile;
use super::token::{tokenize_into, Token, TokenKind};

/// Nesting deeper than this gives up (tree-sitter's path cuts off at 200
/// with an `Error` node; stay well below it and below the stack's end).
const MAX_DEPTH: u32 = 100;

/// Parses the function form at `range` of `file`; `None` when the fast
/// path is not sure to give what tree-sitter would.
pub(crate) fn parse_function(
    file: &SourceFile,
    range: &Range<usize>,
    name: &str,
    arity: u32,
    span: Span,
    budget: Duration,
) -> Option<Function> {
    let text = file.text.get(range.clone())?;
    // Forms that `patch` rewrites before tree-sitter reads them are left
    // to tree-sitter: the rewrite changes what it sees.
    if !super::patch::patches(&file.text, std::slice::from_ref(range)).is_empty() {
        return None;
    }
    let tokens = tokens_at(text, range.start)?;
    let mut parser = Parser::new(file, &tokens, budget);
    let clauses = parser.function_clauses();
    #[cfg(test)]
    if clauses.is_none() {
        let at = |i: usize| tokens.get(i).map_or("<end>", |t| t.text(&file.text));
        let before = parser.pos.checked_sub(1).map_or("<start>", at);
        let key = format!(
            "{before} {} {} {} @{}:{}",
            at(parser.pos),
            at(parser.pos + 1),
            at(parser.pos + 2),
            file.path,
            file.position(range.start).0
        );
        note_failure(&key);
    }
    Some(Function {
        clauses: clauses?,
        name: name.to_owned(),
        arity,
        span,
    })
}

/// The places the fast path gave up at, counted (printed by the
/// `#[ignore]`d differential test: what to read next).
#[cfg(test)]
static FAILURES: std::sync::Mutex<std::collections::BTreeMap<String, usize>> =
    std::sync::Mutex::new(std::collections::BTreeMap::new());

/// Counts a place the fast path gave up at.
#[cfg(test)]
fn note_failure(at: &str) {
    let key: String = at.chars().take(200).collect();
    if let Ok(mut f) = FAILURES.lock() {
        *f.entry(key).or_default() += 1;
    }
}

/// Parses the replacement of a `-define` at `body` (its bytes after the
/// comma) in the form at `form` as one expression; `None` when the fast
/// path is not sure to give what tree-sitter would.
pub(crate) fn parse_macro_body(
    file: &SourceFile,
    form: &Range<usize>,
    body: &Range<usize>,
    budget: Duration,
) -> Option<Expr> {
    let text = file.text.get(body.clone())?;
    if !super::patch::patches(&file.text, std::slice::from_ref(form)).is_empty() {
        return None;
    }
    let tokens = tokens_at(text, body.start)?;
    let mut parser = Parser::new(file, &tokens, budget);
    let e = parser.expr()?;
    (parser.pos == tokens.len()).then_some(e.e)
}

/// The tokens of `text`, which starts at byte `base` of the file, with
/// file offsets; `None` when a name is not ASCII.
fn tokens_at(text: &str, base: usize) -> Option<Vec<Token>> {
    let mut tokens = Vec::with_capacity(text.len() / 4);
    tokenize_into(text, &mut tokens);
    let base = u32::try_from(base).ok()?;
    for t in tokens.iter_mut() {
        // tree-sitter's names take Latin-1 letters only, the lexer's any
        // non-ASCII byte: leave non-ASCII names to tree-sitter.
        if matches!(t.kind, TokenKind::Atom | TokenKind::Var)
            && !text
                .get(t.start as usize..t.end as usize)
                .is_some_and(|s| s.is_ascii())
        {
            return None;
        }
        t.start = t.start.checked_add(base)?;
        t.end = t.end.checked_add(base)?;
    }
    Some(tokens)
}

/// What an operand is, for the postfix forms and operators that may follow
/// it (tree-sitter's grammar allows each only after some kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// An unquoted or quoted atom.
    Atom,
    /// A variable.
    Var,
    /// `?NAME` without arguments.
    Macro,
    /// A parenthesised expression.
    Paren,
    /// Any other `_expr_max` (literal, tuple, list, block, case, ...).
    Max,
    /// A string or adjacent strings.
    Str,
    /// A record expression (`#r{}`, `X#r{}`, `X#r.f`, `#r.f`).
    Record,
    /// A map expression (`#{}`, `X#{}`).
    Map,
    /// A call.
    Call,
    /// An operator expression (unary, binary, match, catch).
    Op,
}

/// A parsed operand: the expression, the byte range it takes in the
/// source (parentheses included: a parenthesised expression is its inner
/// expression with the inner span, but an enclosing node starts at the
/// parenthesis), and its class and precedence.
#[derive(Debug)]
struct P {
    e: Expr,
    start: usize,
    end: usize,
    class: Class,
    /// The precedence of its top operator when not parenthesised (`u8::MAX`
    /// for an operand without one).
    prec: u8,
}

/// The parser over one form's tokens (offsets in the file).
struct Parser<'a> {
    file: &'a SourceFile,
    text: &'a str,
    toks: &'a [Token],
    pos: usize,
    depth: u32,
    /// Expressions parsed so far: the clock is read every few thousand.
    steps: u32,
    /// Past this instant the parse gives up, as tree-sitter's does past
    /// `--parse-timeout` (then tree-sitter gives up too, with its
    /// diagnostic; `None` for a budget past the clock's range).
    deadline: Option<Instant>,
    /// The last span's position ([`Parser::span`]): its line, where the
    /// line starts and where the next starts, its offset and column.
    /// Spans come mostly in text order, most on a line already met: the
    /// file's line index was searched, and the characters from the line's
    /// start counted, for each of them (on a generated parser's long
    /// lines, again and again).
    last: Cell<LastPosition>,
    /// The elements of the lists being read (arguments, bodies, ...),
    /// nested lists above their parents', each moved out to a vector of
    /// its exact length once read. Vectors grown by pushes have room for
    /// four at least: those of the bodies kept for a `lint` of OTP's lib
    /// had room for twice the elements they held.
    pending: Vec<Expr>,
    /// The same for the clauses of functions, `case`, `fun`, ...
    pending_clauses: Vec<Clause>,
}

/// See [`Parser::last`].
#[derive(Clone, Copy, Default)]
struct LastPosition {
    line: u32,
    line_start: usize,
    next_line: usize,
    offset: usize,
    column: u32,
}

impl<'a> Parser<'a> {
    /// A parser at the first of `toks`, giving up once `budget` is spent.
    fn new(file: &'a SourceFile, toks: &'a [Token], budget: Duration) -> Parser<'a> {
        Parser {
            file,
            text: &file.text,
            toks,
            pos: 0,
            depth: 0,
            steps: 0,
            deadline: Instant::now().checked_add(budget),
            last: Cell::default(),
            pending: Vec::new(),
            pending_clauses: Vec::new(),
        }
    }

    /// An operand without a top operator of its own: `kind` over
    /// `start..end`, of `class`.
    fn operand(&self, kind: ExprKind, start: usize, end: usize, class: Class) -> P {
        P {
            e: Expr::new(kind, self.span(start, end)),
            start,
            end,
            class,
            prec: u8::MAX,
        }
    }

    /// The span of a byte range, as `Lowerer::span_of` computes it.
    fn span(&self, start: usize, end: usize) -> Span {
        let (line, column) = self.position(start);
        Span::new(start, end, line, column)
    }

    /// `self.file.position(offset)`, from the last span's when on its line.
    fn position(&self, offset: usize) -> (u32, u32) {
        let mut last = self.last.get();
        let offset = offset.min(self.text.len());
        if last.line == 0 || offset < last.line_start || offset >= last.next_line {
            let index = self.file.line_index();
            let line = index.line(offset);
            let (line_start, next_line) = index.line_bounds(line);
            last = LastPosition {
                line,
                line_start,
                next_line,
                offset: line_start,
                column: 1,
            };
        }
        // Characters, as the line index counts them (a multi-byte
        // character is one column).
        let count = |from: usize| {
            self.text
                .get(from..offset)
                .map_or(offset - from, |s| s.chars().count())
        };
        let column = if offset >= last.offset && self.text.is_char_boundary(last.offset) {
            last.column + count(last.offset) as u32
        } else {
            1 + count(last.line_start) as u32
        };
        last.offset = offset;
        last.column = column;
        self.last.set(last);
        (last.line, column)
    }

    fn peek(&self) -> Option<&'a Token> {
        self.toks.get(self.pos)
    }

    fn peek_at(&self, n: usize) -> Option<&'a Token> {
        self.toks.get(self.pos + n)
    }

    fn kind(&self) -> Option<TokenKind> {
        self.peek().map(|t| t.kind)
    }

    fn kind_at(&self, n: usize) -> Option<TokenKind> {
        self.peek_at(n).map(|t| t.kind)
    }

    fn tok_text(&self, t: &Token) -> &'a str {
        t.text(self.text)
    }

    /// The current token's text ("" at the end).
    fn cur_text(&self) -> &'a str {
        self.peek().map_or("", |t| self.tok_text(t))
    }

    /// True when the current token is the unquoted word `w`.
    fn at_word(&self, w: &str) -> bool {
        self.peek()
            .is_some_and(|t| t.kind == TokenKind::Atom && self.tok_text(t) == w)
    }

    /// True when the current token is the operator `op` (kinds `Op`).
    fn at_op(&self, op: &str) -> bool {
        self.peek()
            .is_some_and(|t| t.kind == TokenKind::Op && self.tok_text(t) == op)
    }

    /// Consumes a token of `kind`, giving it.
    fn expect(&mut self, kind: TokenKind) -> Option<&'a Token> {
        let t = self.peek()?;
        if t.kind != kind {
            return None;
        }
        self.pos += 1;
        Some(t)
    }

    /// Consumes the unquoted word `w`, giving its end.
    fn expect_word(&mut self, w: &str) -> Option<usize> {
        if !self.at_word(w) {
            return None;
        }
        let end = self.peek()?.end as usize;
        self.pos += 1;
        Some(end)
    }

    /// The end offset of the token just consumed.
    fn prev_end(&self) -> Option<usize> {
        self.toks
            .get(self.pos.checked_sub(1)?)
            .map(|t| t.end as usize)
    }

    /// The clauses of the whole form: `name(Args) [when G] -> Body` joined
    /// by `;` and ended by the form's dot, the last token.
    fn function_clauses(&mut self) -> Option<Vec<Clause>> {
        let from = self.pending_clauses.len();
        loop {
            let name = self.peek()?;
            match name.kind {
                TokenKind::QuotedAtom => {}
                TokenKind::Atom if !is_reserved(self.tok_text(name)) => {}
                _ => return None,
            }
            self.pos += 1;
            let start = name.start as usize;
            let (patterns, _) = self.args()?;
            let clause = self.clause_rest(start, patterns)?;
            self.pending_clauses.push(clause);
            match self.kind()? {
                TokenKind::Semicolon => self.pos += 1,
                TokenKind::Dot if self.pos + 1 == self.toks.len() => {
                    return Some(self.take_pending_clauses(from));
                }
                _ => return None,
            }
        }
    }

    /// The expressions read onto [`Parser::pending`] since it held `from`.
    fn take_pending(&mut self, from: usize) -> Vec<Expr> {
        self.pending.drain(from..).collect()
    }

    /// The clauses read onto [`Parser::pending_clauses`] since it held `from`.
    fn take_pending_clauses(&mut self, from: usize) -> Vec<Clause> {
        self.pending_clauses.drain(from..).collect()
    }

    /// `( Expr, ... )`: the expressions and the end of `)`.
    fn args(&mut self) -> Option<(Vec<Expr>, usize)> {
        self.expect(TokenKind::OpenParen)?;
        if let Some(t) = self.expect(TokenKind::CloseParen) {
            return Some((Vec::new(), t.end as usize));
        }
        let from = self.pending.len();
        loop {
            let e = self.expr()?.e;
            self.pending.push(e);
            match self.kind()? {
                TokenKind::Comma => self.pos += 1,
                TokenKind::CloseParen => {
                    self.pos += 1;
                    return Some((self.take_pending(from), self.prev_end()?));
                }
                _ => return None,
            }
        }
    }

    /// The rest of a clause after its patterns: `[when Guards] -> Body`;
    /// the clause spans from `start` to the end of its last expression.
    fn clause_rest(&mut self, start: usize, patterns: Vec<Expr>) -> Option<Clause> {
        let guards = if self.at_word("when") {
            self.pos += 1;
            self.guards()?
        } else {
            Vec::new()
        };
        let (body, end) = self.body()?;
        Some(Clause {
            patterns,
            guards,
            body,
            span: self.span(start, end),
        })
    }

    /// A guard sequence up to (not including) `->`.
    fn guards(&mut self) -> Option<Vec<Vec<Expr>>> {
        let mut out = Vec::new();
        let from = self.pending.len();
        loop {
            let e = self.expr()?.e;
            self.pending.push(e);
            match self.kind()? {
                TokenKind::Comma => self.pos += 1,
                TokenKind::Semicolon => {
                    self.pos += 1;
                    out.push(self.take_pending(from));
                }
                TokenKind::Arrow => {
                    out.push(self.take_pending(from));
                    out.shrink_to_fit();
                    return Some(out);
                }
                _ => return None,
            }
        }
    }

    /// `-> Expr, ...`: the expressions and the end of the last.
    fn body(&mut self) -> Option<(Vec<Expr>, usize)> {
        self.expect(TokenKind::Arrow)?;
        self.exprs()
    }

    /// `Expr, ...` (at least one): the expressions and the end of the last.
    fn exprs(&mut self) -> Option<(Vec<Expr>, usize)> {
        let from = self.pending.len();
        loop {
            let p = self.expr()?;
            self.pending.push(p.e);
            if self.kind() == Some(TokenKind::Comma) {
                self.pos += 1;
            } else {
                return Some((self.take_pending(from), p.end));
            }
        }
    }
}

/// Erlang's reserved words: never atoms when unquoted.
fn is_reserved(word: &str) -> bool {
    matches!(
        word,
        "after"
            | "and"
            | "andalso"
            | "band"
            | "begin"
            | "bnot"
            | "bor"
            | "bsl"
            | "bsr"
            | "bxor"
            | "case"
            | "catch"
            | "cond"
            | "div"
            | "else"
            | "end"
            | "fun"
            | "if"
            | "let"
            | "maybe"
            | "not"
            | "of"
            | "or"
            | "orelse"
            | "receive"
            | "rem"
            | "try"
            | "when"
            | "xor"
    )
}
