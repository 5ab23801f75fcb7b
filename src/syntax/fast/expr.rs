//! Expressions: operators by precedence climbing with tree-sitter-erlang's
//! precedences and associativity, prefix operators, `catch`, and the
//! postfix forms (calls, remote calls, record and map access).

use super::super::ast::{
    BinaryOp, Expr, ExprKind, IntValue, MacroExpr, MapField, RecordField, UnaryOp,
};
use super::super::literal::{atom_value, char_value, float_value, integer_value, string_value};
use super::super::token::{Keyword, Token, TokenKind};
use super::{is_reserved, Class, Parser, P};

/// Precedences of tree-sitter-erlang's grammar (`PREC` in grammar.js).
const CATCH: u8 = 3;
const MATCH: u8 = 5;
/// `=>` / `:=` of a map field: an operand with a lower top operator reads
/// differently there.
pub(super) const DARROW: u8 = 7;
const PREFIX: u8 = 21;

/// What a binary operator builds.
#[derive(Clone, Copy)]
enum Bin {
    Op(BinaryOp),
    Match,
}

impl<'a> Parser<'a> {
    /// A whole expression.
    pub(super) fn expr(&mut self) -> Option<P> {
        self.expr_bp(0)
    }

    /// An expression whose operators bind at least as tightly as `min`.
    fn expr_bp(&mut self, min: u8) -> Option<P> {
        self.depth += 1;
        if self.depth > super::MAX_DEPTH {
            return None;
        }
        self.steps = self.steps.wrapping_add(1);
        if self.steps % 4096 == 0
            && self
                .deadline
                .is_some_and(|d| std::time::Instant::now() >= d)
        {
            return None;
        }
        let r = stacker::maybe_grow(
            super::super::lower::STACK_RED_ZONE,
            super::super::lower::STACK_GROWTH,
            || self.expr_bp_inner(min),
        );
        self.depth -= 1;
        r
    }

    fn expr_bp_inner(&mut self, min: u8) -> Option<P> {
        let mut lhs = self.prefix()?;
        while let Some((op, prec, right)) = self.binop() {
            if prec < min {
                break;
            }
            self.pos += 1;
            let rhs = self.expr_bp(if right { prec } else { prec + 1 })?;
            let span = self.span(lhs.start, rhs.end);
            let kind = match op {
                Bin::Match => ExprKind::Match {
                    pattern: Box::new(lhs.e),
                    value: Box::new(rhs.e),
                },
                Bin::Op(op) => ExprKind::BinaryOp {
                    op,
                    lhs: Box::new(lhs.e),
                    rhs: Box::new(rhs.e),
                },
            };
            lhs = P {
                e: Expr::new(kind, span),
                start: lhs.start,
                end: rhs.end,
                class: Class::Op,
                prec,
            };
        }
        Some(lhs)
    }

    /// The binary operator at the current token: what it builds, its
    /// precedence, and whether it is right-associative.
    fn binop(&self) -> Option<(Bin, u8, bool)> {
        use BinaryOp::*;
        let t = self.peek()?;
        let text = self.tok_text(t);
        let (op, prec, right) = match t.kind {
            TokenKind::Equals => return Some((Bin::Match, MATCH, true)),
            TokenKind::Minus => (Sub, 19, false),
            TokenKind::Slash => (Div, 20, false),
            TokenKind::Op => match text {
                "!" => (Send, 13, true),
                "==" => (Eq, 17, false),
                "/=" => (Ne, 17, false),
                "=<" => (Le, 17, false),
                "<" => (Lt, 17, false),
                ">=" => (Ge, 17, false),
                ">" => (Gt, 17, false),
                "=:=" => (ExactEq, 17, false),
                "=/=" => (ExactNe, 17, false),
                "++" => (Append, 18, true),
                "--" => (Subtract, 18, true),
                "+" => (Add, 19, false),
                "*" => (Mul, 20, false),
                _ => return None,
            },
            TokenKind::Atom => match text {
                "orelse" => (OrElse, 14, true),
                "andalso" => (AndAlso, 15, true),
                "bor" => (Bor, 19, false),
                "bxor" => (Bxor, 19, false),
                "bsl" => (Bsl, 19, false),
                "bsr" => (Bsr, 19, false),
                "or" => (Or, 19, false),
                "xor" => (Xor, 19, false),
                "div" => (IntDiv, 20, false),
                "rem" => (Rem, 20, false),
                "band" => (Band, 20, false),
                "and" => (And, 20, false),
                _ => return None,
            },
            _ => return None,
        };
        Some((Bin::Op(op), prec, right))
    }

    /// The prefix operator at the current token.
    pub(super) fn prefix_op(&self) -> Option<UnaryOp> {
        let t = self.peek()?;
        match (t.kind, self.tok_text(t)) {
            (TokenKind::Minus, _) => Some(UnaryOp::Minus),
            (TokenKind::Op, "+") => Some(UnaryOp::Plus),
            (TokenKind::Atom, "bnot") => Some(UnaryOp::Bnot),
            (TokenKind::Atom, "not") => Some(UnaryOp::Not),
            _ => None,
        }
    }

    /// `catch E`, a prefix operator and its operand, or a postfix operand.
    fn prefix(&mut self) -> Option<P> {
        let t = self.peek()?;
        let start = t.start as usize;
        if self.at_word("catch") {
            self.pos += 1;
            // `catch` binds loosest: its operand takes every operator.
            let operand = self.expr_bp(0)?;
            let end = operand.end;
            return Some(P {
                e: Expr::new(ExprKind::Catch(Box::new(operand.e)), self.span(start, end)),
                start,
                end,
                class: Class::Op,
                prec: CATCH,
            });
        }
        if let Some(op) = self.prefix_op() {
            self.pos += 1;
            let operand = self.expr_bp(PREFIX + 1)?;
            let end = operand.end;
            return Some(self.unary(op, start, operand.e, end));
        }
        let p = self.primary()?;
        self.postfix(p)
    }

    pub(super) fn unary(&self, op: UnaryOp, start: usize, operand: Expr, end: usize) -> P {
        P {
            e: Expr::new(
                ExprKind::UnaryOp {
                    op,
                    operand: Box::new(operand),
                },
                self.span(start, end),
            ),
            start,
            end,
            class: Class::Op,
            prec: PREFIX,
        }
    }

    /// Calls, remote calls, record and map access after an operand, as far
    /// as the grammar allows them after its class.
    fn postfix(&mut self, mut p: P) -> Option<P> {
        loop {
            let Some(kind) = self.kind() else {
                return Some(p);
            };
            match (kind, p.class) {
                (TokenKind::OpenParen, Class::Atom | Class::Var | Class::Paren) => {
                    let (args, end) = self.args()?;
                    p = self.operand(
                        ExprKind::Call {
                            module: None,
                            function: Box::new(p.e),
                            args,
                        },
                        p.start,
                        end,
                        Class::Call,
                    );
                }
                (TokenKind::Colon, Class::Atom | Class::Var | Class::Macro) => {
                    self.pos += 1;
                    let f = self.peek()?;
                    let function = match f.kind {
                        TokenKind::Var => ExprKind::Var(self.tok_text(f).to_owned()),
                        TokenKind::QuotedAtom => ExprKind::Atom(atom_value(self.tok_text(f))),
                        TokenKind::Atom if !is_reserved(self.tok_text(f)) => {
                            ExprKind::Atom(self.tok_text(f).to_owned())
                        }
                        _ => return None,
                    };
                    let function = Expr::new(function, self.span(f.start as usize, f.end as usize));
                    self.pos += 1;
                    if self.kind() != Some(TokenKind::OpenParen) {
                        return None;
                    }
                    let (args, end) = self.args()?;
                    p = self.operand(
                        ExprKind::Call {
                            module: Some(Box::new(p.e)),
                            function: Box::new(function),
                            args,
                        },
                        p.start,
                        end,
                        Class::Call,
                    );
                }
                (TokenKind::Hash, _) => p = self.hash_postfix(p, true)?,
                // `X?REC{...}`, `X?REC.f` with `-define(REC, #rec).`.
                (TokenKind::Question, _) if self.record_macro_follows() => {
                    p = self.hash_postfix(p, false)?
                }
                // A call of a call, `f(X):g()`, a string after a variable
                // or macro (tree-sitter's `concatables`): left to tree-sitter.
                (TokenKind::OpenParen | TokenKind::Colon, _) => return None,
                (
                    TokenKind::String,
                    Class::Var | Class::Macro | Class::Max | Class::Atom | Class::Paren,
                ) => return None,
                _ => return Some(p),
            }
        }
    }

    /// Whether `?NAME{` or `?NAME.field` is next: a macro standing for
    /// `#rec` after an expression.
    fn record_macro_follows(&self) -> bool {
        let (Some(n), Some(after)) = (self.peek_at(1), self.peek_at(2)) else {
            return false;
        };
        self.macro_name(n).is_some()
            && match after.kind {
                TokenKind::OpenCurly => true,
                _ => {
                    self.tok_text(after) == "."
                        && self.peek_at(3).is_some_and(|f| {
                            matches!(f.kind, TokenKind::Atom | TokenKind::QuotedAtom)
                        })
                }
            }
    }

    /// `Base#r{...}`, `Base#r.f`, `Base#{...}` where the grammar allows the
    /// base; without `hash`, `Base?REC{...}` and `Base?REC.f`.
    fn hash_postfix(&mut self, p: P, hash: bool) -> Option<P> {
        let expr_max = matches!(
            p.class,
            Class::Atom | Class::Var | Class::Macro | Class::Paren | Class::Max | Class::Str
        );
        if hash {
            self.pos += 1;
        }
        if hash && self.kind()? == TokenKind::OpenCurly {
            if !(expr_max || p.class == Class::Map) {
                return None;
            }
            let (fields, end) = self.map_fields()?;
            return Some(self.operand(
                ExprKind::MapUpdate {
                    base: Box::new(p.e),
                    fields,
                },
                p.start,
                end,
                Class::Map,
            ));
        }
        if !(expr_max || p.class == Class::Record) {
            return None;
        }
        let name = self.record_name()?;
        let (kind, end) = if self.kind()? == TokenKind::OpenCurly {
            let (fields, end) = self.record_fields()?;
            (
                ExprKind::RecordUpdate {
                    base: Box::new(p.e),
                    name,
                    fields: fields.into_boxed_slice(),
                },
                end,
            )
        } else {
            let (field, end) = self.record_field_name()?;
            (
                ExprKind::RecordField {
                    base: Box::new(p.e),
                    name,
                    field,
                },
                end,
            )
        };
        Some(self.operand(kind, p.start, end, Class::Record))
    }

    /// A record or field name: an atom (unquoted) or a variable; a macro
    /// is left to tree-sitter.
    fn name(&mut self) -> Option<String> {
        let t = self.peek()?;
        let s = match t.kind {
            TokenKind::Atom if !is_reserved(self.tok_text(t)) => self.tok_text(t).to_owned(),
            TokenKind::QuotedAtom => atom_value(self.tok_text(t)),
            TokenKind::Var => self.tok_text(t).to_owned(),
            _ => return None,
        };
        self.pos += 1;
        Some(s)
    }

    /// A record name after `#`: a name, or a macro without arguments kept
    /// as `?NAME` (as the lowering's `name` keeps it).
    fn record_name(&mut self) -> Option<Box<str>> {
        if self.kind()? != TokenKind::Question {
            return self.name().map(String::into_boxed_str);
        }
        let name = self.macro_name(self.peek_at(1)?)?;
        self.pos += 2;
        Some(format!("?{name}").into_boxed_str())
    }

    /// `.field` after a record name: the field and its end.
    fn record_field_name(&mut self) -> Option<(Box<str>, usize)> {
        if !self.at_op(".") {
            return None;
        }
        self.pos += 1;
        let field = self.name()?.into_boxed_str();
        Some((field, self.prev_end()?))
    }

    /// `{f = V, ...}` of a record expression: the fields and the end of `}`.
    fn record_fields(&mut self) -> Option<(Vec<RecordField>, usize)> {
        self.expect(TokenKind::OpenCurly)?;
        let mut out = Vec::new();
        if let Some(t) = self.expect(TokenKind::CloseCurly) {
            return Some((out, t.end as usize));
        }
        loop {
            let start = self.peek()?.start as usize;
            let name = self.name()?;
            self.expect(TokenKind::Equals)?;
            let value = self.expr()?;
            out.push(RecordField {
                name,
                span: self.span(start, value.end),
                value: Some(value.e),
            });
            match self.kind()? {
                TokenKind::Comma => self.pos += 1,
                TokenKind::CloseCurly => {
                    self.pos += 1;
                    return Some((out, self.prev_end()?));
                }
                _ => return None,
            }
        }
    }

    /// `{K => V, ...}` of a map expression: the fields and the end of `}`.
    fn map_fields(&mut self) -> Option<(Vec<MapField>, usize)> {
        self.expect(TokenKind::OpenCurly)?;
        let mut out = Vec::new();
        if let Some(t) = self.expect(TokenKind::CloseCurly) {
            return Some((out, t.end as usize));
        }
        loop {
            out.push(self.map_field()?);
            match self.kind()? {
                TokenKind::Comma => self.pos += 1,
                TokenKind::CloseCurly => {
                    self.pos += 1;
                    return Some((out, self.prev_end()?));
                }
                _ => return None,
            }
        }
    }

    /// `K => V` or `K := V`.
    pub(super) fn map_field(&mut self) -> Option<MapField> {
        let key = self.expr()?;
        let exact = if self.at_op(":=") {
            true
        } else if self.at_op("=>") {
            false
        } else {
            return None;
        };
        self.pos += 1;
        let value = self.expr()?;
        // A field binds tighter than `=` and `catch` in the grammar.
        if key.prec < DARROW || value.prec < DARROW {
            return None;
        }
        Some(MapField {
            span: self.span(key.start, value.end),
            key: key.e,
            value: value.e,
            exact,
        })
    }

    /// An operand without postfix forms: a literal, name, bracketed or
    /// keyword expression, macro, record or map.
    pub(super) fn primary(&mut self) -> Option<P> {
        let t = self.peek()?;
        let (start, end) = (t.start as usize, t.end as usize);
        let text = self.tok_text(t);
        let leaf =
            |this: &Self, kind: ExprKind, class: Class| Some(this.operand(kind, start, end, class));
        match t.kind {
            TokenKind::Atom => {
                if t.keyword != Keyword::None {
                    return self.keyword_expr(t);
                }
                if is_reserved(text) {
                    return None;
                }
                self.pos += 1;
                leaf(self, ExprKind::Atom(text.to_owned()), Class::Atom)
            }
            TokenKind::QuotedAtom => {
                self.pos += 1;
                leaf(self, ExprKind::Atom(atom_value(text)), Class::Atom)
            }
            TokenKind::Var => {
                self.pos += 1;
                leaf(self, ExprKind::Var(text.to_owned()), Class::Var)
            }
            TokenKind::Integer => {
                if !valid_integer(text) {
                    return None;
                }
                self.pos += 1;
                let kind = ExprKind::Integer {
                    value: integer_value(text).map(IntValue::from),
                    text: text.into(),
                    char: false,
                };
                leaf(self, kind, Class::Max)
            }
            TokenKind::Float => {
                if !valid_float(text) {
                    return None;
                }
                let value = float_value(text)?;
                self.pos += 1;
                let kind = ExprKind::Float {
                    value,
                    text: text.to_owned(),
                };
                leaf(self, kind, Class::Max)
            }
            TokenKind::Char => {
                if !self.plain_char(t) {
                    return None;
                }
                self.pos += 1;
                let kind = ExprKind::Integer {
                    value: char_value(text).map(|c| IntValue::from(i128::from(c))),
                    text: text.into(),
                    char: true,
                };
                leaf(self, kind, Class::Max)
            }
            TokenKind::String => self.strings(),
            TokenKind::OpenParen => {
                self.pos += 1;
                let inner = self.expr()?;
                let close = self.expect(TokenKind::CloseParen)?;
                Some(P {
                    e: inner.e,
                    start,
                    end: close.end as usize,
                    class: Class::Paren,
                    prec: u8::MAX,
                })
            }
            TokenKind::OpenCurly => {
                self.pos += 1;
                let (elems, end) = self.seq(TokenKind::CloseCurly)?;
                Some(self.operand(ExprKind::Tuple(elems), start, end, Class::Max))
            }
            TokenKind::OpenSquare => self.list(),
            TokenKind::OpenBinary => self.binary(),
            TokenKind::Hash => self.hash_primary(),
            TokenKind::Question => self.macro_call(),
            TokenKind::DoubleQuestion => {
                let n = self.peek_at(1)?;
                let name = self.macro_name(n)?;
                self.pos += 2;
                let end = n.end as usize;
                Some(self.operand(ExprKind::MacroString(name), start, end, Class::Max))
            }
            _ => None,
        }
    }

    /// `Expr, ... close` after an opening bracket: the expressions and the
    /// end of the closing bracket.
    pub(super) fn seq(&mut self, close: TokenKind) -> Option<(Vec<Expr>, usize)> {
        if let Some(t) = self.expect(close) {
            return Some((Vec::new(), t.end as usize));
        }
        let from = self.pending.len();
        loop {
            let e = self.expr()?.e;
            self.pending.push(e);
            let k = self.kind()?;
            if k == TokenKind::Comma {
                self.pos += 1;
            } else if k == close {
                self.pos += 1;
                return Some((self.take_pending(from), self.prev_end()?));
            } else {
                return None;
            }
        }
    }

    /// One string or adjacent strings (joined, as tree-sitter's `concatables`).
    fn strings(&mut self) -> Option<P> {
        let first = self.peek()?;
        let start = first.start as usize;
        let mut value = String::new();
        let mut end = start;
        while let Some(t) = self.peek().filter(|t| t.kind == TokenKind::String) {
            let text = self.tok_text(t);
            if !plain_string(text) {
                return None;
            }
            value.push_str(&string_value(text));
            end = t.end as usize;
            self.pos += 1;
        }
        // A macro or variable among the strings makes a `Concat`.
        if matches!(
            self.kind(),
            Some(TokenKind::Var | TokenKind::Question | TokenKind::DoubleQuestion)
        ) {
            return None;
        }
        Some(self.operand(ExprKind::String(value), start, end, Class::Str))
    }

    /// The name after `?` or `??`: an atom or variable.
    pub(super) fn macro_name(&self, t: &Token) -> Option<String> {
        match t.kind {
            TokenKind::Var | TokenKind::QuotedAtom => t.macro_name(self.text),
            TokenKind::Atom if !is_reserved(self.tok_text(t)) => t.macro_name(self.text),
            _ => None,
        }
    }

    /// `?NAME` or `?NAME(Args)`, or `?REC{...}` with a macro that stands
    /// for `#rec` (`-define(REC, #rec).`), which tree-sitter does not
    /// parse: the record expression erlc sees, its name kept as `?REC`
    /// for the expansion to resolve, as `#?R{...}` is.
    fn macro_call(&mut self) -> Option<P> {
        let start = self.peek()?.start as usize;
        let n = self.peek_at(1)?;
        let name = self.macro_name(n)?;
        if self.peek_at(2).map(|t| t.kind) == Some(TokenKind::OpenCurly) {
            self.pos += 2;
            let (fields, end) = self.record_fields()?;
            let kind = ExprKind::Record {
                name: format!("?{name}").into_boxed_str(),
                fields,
            };
            return Some(self.operand(kind, start, end, Class::Record));
        }
        if self.peek_at(2).is_some_and(|t| self.tok_text(t) == ".")
            && self
                .peek_at(3)
                .is_some_and(|f| matches!(f.kind, TokenKind::Atom | TokenKind::QuotedAtom))
        {
            // `?REC.field`: the field's index.
            self.pos += 2;
            let (field, end) = self.record_field_name()?;
            let kind = ExprKind::RecordIndex {
                name: format!("?{name}").into_boxed_str(),
                field,
            };
            return Some(self.operand(kind, start, end, Class::Record));
        }
        self.pos += 2;
        let (args, end, class) = if self.kind() == Some(TokenKind::OpenParen) {
            let (args, end) = self.args()?;
            (Some(args), end, Class::Max)
        } else {
            (None, n.end as usize, Class::Macro)
        };
        // A macro argument with a guard (`?M(X when G)`) is not an expression.
        if self.at_word("when") {
            return None;
        }
        Some(self.operand(
            ExprKind::Macro(Box::new(MacroExpr {
                name,
                args,
                unresolved: None,
            })),
            start,
            end,
            class,
        ))
    }

    /// `#r{...}`, `#r.f`, `#{...}` or a map comprehension.
    fn hash_primary(&mut self) -> Option<P> {
        let start = self.peek()?.start as usize;
        self.pos += 1;
        if self.kind()? == TokenKind::OpenCurly {
            return self.map_or_comprehension(start);
        }
        let name = self.record_name()?;
        let (kind, end) = if self.kind()? == TokenKind::OpenCurly {
            let (fields, end) = self.record_fields()?;
            (ExprKind::Record { name, fields }, end)
        } else {
            let (field, end) = self.record_field_name()?;
            (ExprKind::RecordIndex { name, field }, end)
        };
        Some(self.operand(kind, start, end, Class::Record))
    }

    /// `$c` that both lexers read alike: not `$\x{...}` (patched for
    /// tree-sitter) nor a `$\x` with more hex digits after it.
    fn plain_char(&self, t: &Token) -> bool {
        let text = self.tok_text(t);
        if text.starts_with("$\\x") {
            let next = self.text.as_bytes().get(t.end as usize).copied();
            return !text.contains('{') && !next.is_some_and(|b| b.is_ascii_hexdigit());
        }
        !text.starts_with("$\\\n") && !text.starts_with("$\\\r")
    }
}

/// An integer token as tree-sitter's `integer` reads it.
fn valid_integer(text: &str) -> bool {
    match text.split_once('#') {
        Some((base, digits)) => {
            digit_run(base, |b| b.is_ascii_digit())
                && digit_run(digits, |b| b.is_ascii_alphanumeric())
        }
        None => digit_run(text, |b| b.is_ascii_digit()),
    }
}

/// A float token as tree-sitter's `float` reads it (not based).
fn valid_float(text: &str) -> bool {
    let (mantissa, exp) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let Some((int, frac)) = mantissa.split_once('.') else {
        return false;
    };
    let digits = |s: &str| digit_run(s, |b| b.is_ascii_digit());
    digits(int)
        && digits(frac)
        && exp.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)))
}

/// `d(_?d)*`: digits with single underscores between them.
fn digit_run(s: &str, digit: impl Fn(u8) -> bool) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && digit(b[0])
        && b.windows(2)
            .all(|w| digit(w[1]) || (w[1] == b'_' && w[0] != b'_'))
        && b.last().is_some_and(|&c| digit(c))
}

/// A `"..."` string whose escapes tree-sitter's `string` token accepts
/// (not triple-quoted, not a sigil).
fn plain_string(text: &str) -> bool {
    if let Some(rest) = text.strip_prefix('~') {
        // A sigil string read alike by both lexers: `~"..."`, `~s"..."`,
        // `~b"..."`, `~S"..."`, `~B"..."` without escapes or quotes inside.
        let rest = rest.strip_prefix(['s', 'b', 'S', 'B']).unwrap_or(rest);
        let Some(body) = rest.strip_prefix('"').and_then(|r| r.strip_suffix('"')) else {
            return false;
        };
        return !body.contains(['"', '\\']) && !rest.starts_with("\"\"\"");
    }
    if !text.starts_with('"') || text.starts_with("\"\"\"") || text.len() < 2 {
        return false;
    }
    let b = text.as_bytes();
    let mut i = 1;
    while i + 1 < b.len() {
        if b[i] == b'\\' {
            match b.get(i + 1) {
                Some(b'x') => {
                    let rest = &b[i + 2..];
                    if rest.len() >= 2 && rest[0].is_ascii_hexdigit() && rest[1].is_ascii_hexdigit()
                    {
                        i += 4;
                        continue;
                    }
                    return false;
                }
                Some(b'^') => {
                    // `\^` then any one character (not a newline).
                    if matches!(b.get(i + 2), None | Some(b'\n' | b'"')) {
                        return false;
                    }
                    i += 2;
                    continue;
                }
                _ => {
                    i += 2;
                    continue;
                }
            }
        }
        i += 1;
    }
    true
}
