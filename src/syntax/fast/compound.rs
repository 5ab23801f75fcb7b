//! Bracketed and keyword expressions: lists, binaries, maps and their
//! comprehensions, `begin`, `case`, `if`, `receive`, `try`, `fun`.

use super::super::ast::{
    BinElement, CatchClause, Clause, Expr, ExprKind, IntValue, MacroExpr, MapField, Qualifier,
    ReceiveAfter, TryExpr,
};
use super::super::token::{Keyword, Token, TokenKind};
use super::expr::DARROW;
use super::{is_reserved, Class, Parser, P};

impl<'a> Parser<'a> {
    /// A `P` of class `Max` for a bracketed or keyword expression.
    fn max(&self, kind: ExprKind, start: usize, end: usize) -> P {
        self.operand(kind, start, end, Class::Max)
    }

    /// `[...]`: a list, `[H | T]`, or a comprehension.
    pub(super) fn list(&mut self) -> Option<P> {
        let start = self.peek()?.start as usize;
        self.pos += 1;
        if let Some(t) = self.expect(TokenKind::CloseSquare) {
            let kind = ExprKind::List {
                elems: Vec::new(),
                tail: None,
            };
            return Some(self.max(kind, start, t.end as usize));
        }
        let from = self.pending.len();
        loop {
            let e = self.expr()?.e;
            self.pending.push(e);
            match self.kind()? {
                TokenKind::Comma => self.pos += 1,
                TokenKind::CloseSquare => {
                    self.pos += 1;
                    let elems = self.take_pending(from);
                    let kind = ExprKind::List { elems, tail: None };
                    return Some(self.max(kind, start, self.prev_end()?));
                }
                TokenKind::Pipe => {
                    self.pos += 1;
                    let elems = self.take_pending(from);
                    let tail = self.expr()?;
                    let end = self.expect(TokenKind::CloseSquare)?.end as usize;
                    let kind = ExprKind::List {
                        elems,
                        tail: Some(Box::new(tail.e)),
                    };
                    return Some(self.max(kind, start, end));
                }
                // One template only: several are an `Error` in the lowering.
                TokenKind::DoublePipe if self.pending.len() == from + 1 => {
                    let template = self.pending.pop()?;
                    let qualifiers = self.qualifiers()?;
                    let end = self.expect(TokenKind::CloseSquare)?.end as usize;
                    let kind = ExprKind::ListComprehension {
                        template: Box::new(template),
                        qualifiers,
                    };
                    return Some(self.max(kind, start, end));
                }
                _ => return None,
            }
        }
    }

    /// `|| Q, ...` of a comprehension, up to its closing bracket.
    fn qualifiers(&mut self) -> Option<Vec<Qualifier>> {
        self.expect(TokenKind::DoublePipe)?;
        let mut out = Vec::new();
        loop {
            let mut zipped = vec![self.qualifier()?];
            while self.at_op("&&") {
                self.pos += 1;
                zipped.push(self.qualifier()?);
            }
            out.push(if zipped.len() == 1 {
                zipped.pop()?
            } else {
                Qualifier::Zip(zipped)
            });
            if self.kind()? == TokenKind::Comma {
                self.pos += 1;
            } else {
                return Some(out);
            }
        }
    }

    /// A generator or a filter.
    fn qualifier(&mut self) -> Option<Qualifier> {
        let lhs = self.expr()?;
        let op = self.cur_text();
        let is_op = self.kind() == Some(TokenKind::Op);
        if is_op && matches!(op, "<-" | "<:-" | "<=" | "<:=") {
            self.pos += 1;
            let source = self.expr()?.e;
            let strict = op.starts_with("<:");
            return Some(if op.ends_with('-') {
                Qualifier::Generator {
                    pattern: lhs.e,
                    source,
                    strict,
                }
            } else {
                Qualifier::BinaryGenerator {
                    pattern: lhs.e,
                    source,
                    strict,
                }
            });
        }
        if is_op && matches!(op, "=>" | ":=") {
            self.pos += 1;
            let value = self.expr()?;
            if lhs.prec < DARROW || value.prec < DARROW {
                return None;
            }
            let field = MapField {
                span: self.span(lhs.start, value.end),
                key: lhs.e,
                value: value.e,
                exact: op == ":=",
            };
            let gen = self.cur_text();
            if !(self.kind() == Some(TokenKind::Op) && matches!(gen, "<-" | "<:-")) {
                return None;
            }
            self.pos += 1;
            let source = self.expr()?.e;
            return Some(Qualifier::MapGenerator {
                pattern: Box::new(field),
                source,
                strict: gen == "<:-",
            });
        }
        Some(Qualifier::Filter(lhs.e))
    }

    /// `#{...}` after `#` at `start`: a map or a map comprehension.
    pub(super) fn map_or_comprehension(&mut self, start: usize) -> Option<P> {
        self.expect(TokenKind::OpenCurly)?;
        let mut fields = Vec::new();
        if self.kind()? != TokenKind::CloseCurly {
            loop {
                fields.push(self.map_field()?);
                match self.kind()? {
                    TokenKind::Comma => self.pos += 1,
                    TokenKind::DoublePipe if fields.len() == 1 => {
                        let template = fields.pop()?;
                        let qualifiers = self.qualifiers()?;
                        let end = self.expect(TokenKind::CloseCurly)?.end as usize;
                        let kind = ExprKind::MapComprehension {
                            template: Box::new(template),
                            qualifiers,
                        };
                        return Some(self.max(kind, start, end));
                    }
                    _ => break,
                }
            }
        }
        let end = self.expect(TokenKind::CloseCurly)?.end as usize;
        Some(self.operand(ExprKind::Map(fields), start, end, Class::Map))
    }

    /// `<<...>>`: a binary or a binary comprehension.
    pub(super) fn binary(&mut self) -> Option<P> {
        let start = self.peek()?.start as usize;
        self.pos += 1;
        if let Some(t) = self.expect(TokenKind::CloseBinary) {
            return Some(self.max(ExprKind::Binary(Vec::new()), start, t.end as usize));
        }
        let mut elems = Vec::new();
        loop {
            let first = elems.is_empty();
            let (value, value_start, plain) = self.bit_expr()?;
            if first && plain && self.kind()? == TokenKind::DoublePipe {
                let qualifiers = self.qualifiers()?;
                let end = self.expect(TokenKind::CloseBinary)?.end as usize;
                let kind = ExprKind::BinaryComprehension {
                    template: Box::new(value.e),
                    qualifiers,
                };
                return Some(self.max(kind, start, end));
            }
            let size = if self.kind()? == TokenKind::Colon {
                self.pos += 1;
                Some(self.bit_expr()?.0.e)
            } else {
                None
            };
            let mut types = Vec::new();
            if self.kind()? == TokenKind::Slash {
                loop {
                    self.pos += 1;
                    types.push(self.bit_type()?);
                    if self.kind()? != TokenKind::Minus {
                        break;
                    }
                }
            }
            elems.push(BinElement {
                value: value.e,
                size,
                types,
                span: self.span(value_start, self.prev_end()?),
            });
            match self.kind()? {
                TokenKind::Comma => self.pos += 1,
                TokenKind::CloseBinary => {
                    self.pos += 1;
                    let end = self.prev_end()?;
                    return Some(self.max(ExprKind::Binary(elems), start, end));
                }
                _ => return None,
            }
        }
    }

    /// A segment value or size: `_expr_max`, optionally after a prefix
    /// operator. Gives it, its start, and whether it had no operator.
    fn bit_expr(&mut self) -> Option<(P, usize, bool)> {
        let start = self.peek()?.start as usize;
        if let Some(op) = self.prefix_op() {
            self.pos += 1;
            let operand = self.bit_operand()?;
            let end = operand.end;
            return Some((self.unary(op, start, operand.e, end), start, false));
        }
        let p = self.bit_operand()?;
        Some((p, start, true))
    }

    /// An `_expr_max` in a binary: no postfix forms, no record or map.
    fn bit_operand(&mut self) -> Option<P> {
        let p = self.primary()?;
        if matches!(p.class, Class::Record | Class::Map) {
            return None;
        }
        // `X * Y` is a segment form of its own in the grammar; anything
        // else after the operand that is not a segment delimiter is left
        // to tree-sitter by the caller.
        if self.kind() == Some(TokenKind::Op) && self.cur_text() == "*" {
            return None;
        }
        Some(p)
    }

    /// A type specifier: a name or `unit:N`, as written without blanks.
    fn bit_type(&mut self) -> Option<String> {
        let t = self.peek()?;
        if t.kind != TokenKind::Atom || is_reserved(self.tok_text(t)) {
            return None;
        }
        self.pos += 1;
        let name = self.tok_text(t);
        if name != "unit" {
            return Some(name.to_owned());
        }
        self.expect(TokenKind::Colon)?;
        let n = self.expect(TokenKind::Integer)?;
        Some(format!("unit:{}", self.tok_text(n)))
    }

    /// An expression opened by a keyword token `t`.
    pub(super) fn keyword_expr(&mut self, t: &'a Token) -> Option<P> {
        let start = t.start as usize;
        self.pos += 1;
        let kind = match t.keyword {
            Keyword::Begin => {
                let (exprs, _) = self.exprs()?;
                ExprKind::Block(exprs)
            }
            Keyword::Case => {
                let e = self.expr()?.e;
                self.expect_word("of")?;
                ExprKind::Case {
                    expr: Box::new(e),
                    clauses: self.cr_clauses()?,
                }
            }
            Keyword::If => {
                let from = self.pending_clauses.len();
                loop {
                    let g = self.peek()?.start as usize;
                    let guards = self.guards()?;
                    let (body, end) = self.body()?;
                    let clause = Clause {
                        patterns: Vec::new(),
                        guards,
                        body,
                        span: self.span(g, end),
                    };
                    self.pending_clauses.push(clause);
                    if self.kind()? != TokenKind::Semicolon {
                        break;
                    }
                    self.pos += 1;
                }
                ExprKind::If(self.take_pending_clauses(from))
            }
            Keyword::Receive => {
                let clauses = if self.at_word("after") {
                    Vec::new()
                } else {
                    self.cr_clauses()?
                };
                let after = if self.at_word("after") {
                    self.pos += 1;
                    let timeout = self.expr()?.e;
                    let (body, _) = self.body()?;
                    Some(Box::new(ReceiveAfter { timeout, body }))
                } else {
                    None
                };
                ExprKind::Receive { clauses, after }
            }
            Keyword::Try => self.try_rest()?,
            Keyword::Fun => return self.fun(start),
            _ => return None,
        };
        let end = self.expect_word("end")?;
        Some(self.max(kind, start, end))
    }

    /// `Pat [when G] -> Body; ...` of `case`, `receive` and `try ... of`.
    fn cr_clauses(&mut self) -> Option<Vec<Clause>> {
        let from = self.pending_clauses.len();
        loop {
            let pat = self.expr()?;
            let clause = self.clause_rest(pat.start, vec![pat.e])?;
            self.pending_clauses.push(clause);
            if self.kind()? != TokenKind::Semicolon {
                return Some(self.take_pending_clauses(from));
            }
            self.pos += 1;
        }
    }

    /// After `try`: the body, `of` clauses, `catch` clauses and `after`.
    fn try_rest(&mut self) -> Option<ExprKind> {
        let (body, _) = self.exprs()?;
        let of_clauses = if self.at_word("of") {
            self.pos += 1;
            self.cr_clauses()?
        } else {
            Vec::new()
        };
        let mut catch_clauses = Vec::new();
        if self.at_word("catch") {
            self.pos += 1;
            loop {
                catch_clauses.push(self.catch_clause()?);
                if self.kind()? != TokenKind::Semicolon {
                    break;
                }
                self.pos += 1;
            }
        }
        let after = if self.at_word("after") {
            self.pos += 1;
            self.exprs()?.0
        } else {
            if catch_clauses.is_empty() {
                return None;
            }
            Vec::new()
        };
        Some(ExprKind::Try(Box::new(TryExpr {
            body,
            of_clauses,
            catch_clauses,
            after,
        })))
    }

    /// `[Class:]Pattern[:Stack] [when G] -> Body`.
    fn catch_clause(&mut self) -> Option<CatchClause> {
        let first = self.peek()?;
        let start = first.start as usize;
        let class = if self.kind_at(1) == Some(TokenKind::Colon) {
            let p = self.primary()?;
            if !matches!(p.class, Class::Atom | Class::Var) {
                return None;
            }
            self.pos += 1;
            Some(p.e)
        } else {
            None
        };
        // The grammar's catch pattern is narrower than an expression:
        // take one operand and leave anything more to tree-sitter.
        let pattern = self.primary()?;
        let stacktrace = if class.is_some() && self.kind()? == TokenKind::Colon {
            self.pos += 1;
            let p = self.primary()?;
            if p.class != Class::Var {
                return None;
            }
            Some(p.e)
        } else {
            None
        };
        if !(self.at_word("when") || self.kind()? == TokenKind::Arrow) {
            return None;
        }
        let clause = self.clause_rest(start, vec![pattern.e])?;
        let mut patterns = clause.patterns;
        Some(CatchClause {
            class,
            pattern: patterns.pop()?,
            stacktrace,
            guards: clause.guards,
            body: clause.body,
            span: clause.span,
        })
    }

    /// After `fun` at `start`: a reference to a function or a fun.
    fn fun(&mut self, start: usize) -> Option<P> {
        let name_of = |this: &Self, t: &Token| -> Option<Expr> {
            let text = this.tok_text(t);
            let kind = match t.kind {
                TokenKind::Atom if !is_reserved(text) => ExprKind::Atom(text.to_owned()),
                TokenKind::QuotedAtom => ExprKind::Atom(super::super::literal::atom_value(text)),
                TokenKind::Var => ExprKind::Var(text.to_owned()),
                _ => return None,
            };
            Some(Expr::new(kind, this.span(t.start as usize, t.end as usize)))
        };
        let (module, function) = match (self.kind()?, self.kind_at(1)) {
            (TokenKind::OpenParen, _) | (TokenKind::Var, Some(TokenKind::OpenParen)) => {
                return self.anonymous_fun(start);
            }
            (_, Some(TokenKind::Slash)) => {
                let f = name_of(self, self.peek()?)?;
                self.pos += 1;
                (None, f)
            }
            // `fun ?MODULE:f/1`: the module a macro without arguments.
            (TokenKind::Question, _) if self.kind_at(2) == Some(TokenKind::Colon) => {
                let q = self.peek()?;
                let n = self.peek_at(1)?;
                let m = Expr::new(
                    ExprKind::Macro(Box::new(MacroExpr {
                        name: self.macro_name(n)?,
                        args: None,
                        unresolved: None,
                    })),
                    self.span(q.start as usize, n.end as usize),
                );
                let f = name_of(self, self.peek_at(3)?)?;
                self.pos += 4;
                (Some(Box::new(m)), f)
            }
            (_, Some(TokenKind::Colon)) => {
                let m = name_of(self, self.peek()?)?;
                let f = name_of(self, self.peek_at(2)?)?;
                self.pos += 3;
                (Some(Box::new(m)), f)
            }
            _ => return None,
        };
        self.expect(TokenKind::Slash)?;
        let a = self.peek()?;
        let arity = match a.kind {
            TokenKind::Integer if a.text(self.text).bytes().all(|b| b.is_ascii_digit()) => {
                ExprKind::Integer {
                    value: super::super::literal::integer_value(self.tok_text(a))
                        .map(IntValue::from),
                    text: self.tok_text(a).into(),
                    char: false,
                }
            }
            TokenKind::Var => ExprKind::Var(self.tok_text(a).to_owned()),
            _ => return None,
        };
        self.pos += 1;
        let end = a.end as usize;
        let arity = Expr::new(arity, self.span(a.start as usize, end));
        let kind = ExprKind::FunRef {
            module,
            function: Box::new(function),
            arity: Box::new(arity),
        };
        Some(self.max(kind, start, end))
    }

    /// `fun [Name](Args) [when G] -> Body; ... end` after `fun`.
    fn anonymous_fun(&mut self, start: usize) -> Option<P> {
        let mut name = None;
        let from = self.pending_clauses.len();
        loop {
            let first = self.peek()?;
            let clause_start = first.start as usize;
            if first.kind == TokenKind::Var {
                if self.pending_clauses.len() == from {
                    name = Some(self.tok_text(first).into());
                }
                self.pos += 1;
            }
            if self.kind()? != TokenKind::OpenParen {
                return None;
            }
            let (patterns, _) = self.args()?;
            let clause = self.clause_rest(clause_start, patterns)?;
            self.pending_clauses.push(clause);
            if self.kind()? != TokenKind::Semicolon {
                break;
            }
            self.pos += 1;
        }
        let clauses = self.take_pending_clauses(from);
        let end = self.expect_word("end")?;
        Some(self.max(ExprKind::Fun { name, clauses }, start, end))
    }
}
