//! Lowering tree-sitter nodes into the owned AST. Total: every node gives
//! an `Expr`; syntax errors, missing nodes and unsupported syntax become
//! `ExprKind::Error` with their span.

use std::cell::Cell;

use tree_sitter::Node;

use super::ast::*;
use super::kinds::*;
use super::literal::{atom_value, char_value, float_value, integer_value, string_value};
use super::source_file::SourceFile;

/// Deeper nesting than this is cut off with an `Error` node, so that a
/// pathological input cannot overflow the stack (lowering, walking and
/// dropping the AST all recurse).
const MAX_DEPTH: u32 = 200;

/// Stack left before a recursive step grows the stack, and by how much.
pub(crate) const STACK_RED_ZONE: usize = 128 * 1024;
/// See [`STACK_RED_ZONE`].
pub(crate) const STACK_GROWTH: usize = 2 * 1024 * 1024;

/// Lowers nodes of one file.
pub(crate) struct Lowerer<'a> {
    file: &'a SourceFile,
    depth: Cell<u32>,
}

impl<'a> Lowerer<'a> {
    /// A lowerer for nodes of `file`.
    pub(crate) fn new(file: &'a SourceFile) -> Lowerer<'a> {
        Lowerer {
            file,
            depth: Cell::new(0),
        }
    }

    /// The span of a node.
    pub(crate) fn span(&self, node: Node<'_>) -> Span {
        self.span_of(node.start_byte(), node.end_byte())
    }

    /// The span of a byte range.
    pub(crate) fn span_of(&self, start: usize, end: usize) -> Span {
        let (line, column) = self.file.position(start);
        Span::new(start, end, line, column)
    }

    /// A node's source text.
    fn text(&self, node: Node<'_>) -> &'a str {
        self.file.text.get(node.byte_range()).unwrap_or("")
    }

    fn error(&self, node: Node<'_>, reason: impl Into<String>) -> Expr {
        Expr::new(ExprKind::Error(reason.into()), self.span(node))
    }

    /// The expression in `field` of `node`, or an `Error` saying it is missing.
    fn field(&self, node: Node<'_>, field: &str) -> Expr {
        match node.child_by_field_name(field) {
            Some(child) => self.expr(child),
            None => self.error(node, format!("missing `{field}` in `{}`", node.kind())),
        }
    }

    /// The children in `field`, with any `ERROR` children of `node` in
    /// their place so that nothing is dropped silently.
    fn list_nodes<'t>(&self, node: Node<'t>, field: &str) -> Vec<Node<'t>> {
        let mut out = Vec::new();
        let mut cursor = node.walk();
        if !cursor.goto_first_child() {
            return out;
        }
        loop {
            let child = cursor.node();
            if cursor.field_name() == Some(field) || child.is_error() {
                out.push(child);
            }
            if !cursor.goto_next_sibling() {
                break;
            }
        }
        out
    }

    fn list(&self, node: Node<'_>, field: &str) -> Vec<Expr> {
        self.list_nodes(node, field)
            .into_iter()
            .map(|c| self.expr(c))
            .collect()
    }

    /// The first anonymous (operator or keyword) child's text.
    fn operator(&self, node: Node<'_>) -> &'a str {
        let mut cursor = node.walk();
        let op = node
            .children(&mut cursor)
            .find(|c| !c.is_named() && !c.is_extra())
            .map(|c| self.text(c))
            .unwrap_or("");
        op
    }

    fn has_token(&self, node: Node<'_>, token: &str) -> bool {
        let mut cursor = node.walk();
        let found = node
            .children(&mut cursor)
            .any(|c| !c.is_named() && self.text(c) == token);
        found
    }

    /// A name (`_name`: atom, var or macro): atoms unquoted, macros as `?NAME`.
    fn name(&self, node: Node<'_>) -> String {
        match node.kind() {
            ATOM => atom_value(self.text(node)),
            MACRO_CALL_EXPR => format!("?{}", self.macro_name(node)),
            _ => self.text(node).to_owned(),
        }
    }

    fn name_field(&self, node: Node<'_>, field: &str) -> String {
        node.child_by_field_name(field)
            .map(|n| self.name(n))
            .unwrap_or_default()
    }

    /// The macro name of a `macro_call_expr` or `macro_string`.
    fn macro_name(&self, node: Node<'_>) -> String {
        match node.child_by_field_name(F_NAME) {
            Some(n) if n.kind() == ATOM => atom_value(self.text(n)),
            Some(n) => self.text(n).to_owned(),
            None => String::new(),
        }
    }

    /// Lowers an expression node.
    pub(crate) fn expr(&self, node: Node<'_>) -> Expr {
        let depth = self.depth.get();
        if depth >= MAX_DEPTH {
            return self.error(node, "expression nested too deeply");
        }
        self.depth.set(depth + 1);
        // Debug builds use large frames here; grow the stack rather than
        // overflow it on deeply nested (but legal) code.
        let e = stacker::maybe_grow(STACK_RED_ZONE, STACK_GROWTH, || self.expr_inner(node));
        self.depth.set(depth);
        e
    }

    fn expr_inner(&self, node: Node<'_>) -> Expr {
        use ExprKind as K;
        if node.is_missing() {
            return self.error(node, format!("missing `{}`", node.kind()));
        }
        if node.is_error() {
            return self.error(
                node,
                format!(
                    "syntax error at `{}`",
                    super::parse::snippet(&self.file.text, node.byte_range())
                ),
            );
        }
        let span = self.span(node);
        let text = self.text(node);
        let kind = match node.kind() {
            ATOM => K::Atom(atom_value(text)),
            VAR => K::Var(text.to_owned()),
            INTEGER => K::Integer {
                value: integer_value(text).map(IntValue::from),
                text: text.into(),
                char: false,
            },
            CHAR => K::Integer {
                value: char_value(text).map(|c| IntValue::from(i128::from(c))),
                text: text.into(),
                char: true,
            },
            FLOAT => K::Float {
                value: float_value(text).unwrap_or(f64::NAN),
                text: text.to_owned(),
            },
            STRING => K::String(string_value(text)),
            CONCATABLES => {
                let parts = self.list(node, F_ELEMS);
                if parts.iter().all(|p| matches!(p.kind, K::String(_))) {
                    K::String(
                        parts
                            .into_iter()
                            .filter_map(|p| match p.kind {
                                K::String(s) => Some(s),
                                _ => None,
                            })
                            .collect(),
                    )
                } else {
                    K::Concat(parts)
                }
            }
            MACRO_CALL_EXPR => {
                let args = node.child_by_field_name(F_ARGS).map(|a| {
                    self.list_nodes(a, F_ARGS)
                        .into_iter()
                        .map(|m| {
                            if m.is_error() {
                                self.expr(m)
                            } else if m.child_by_field_name(F_GUARD).is_some() {
                                self.error(m, "macro argument with `when` is not supported")
                            } else {
                                self.field(m, F_EXPR)
                            }
                        })
                        .collect()
                });
                K::Macro(Box::new(MacroExpr {
                    name: self.macro_name(node),
                    args,
                    unresolved: None,
                }))
            }
            MACRO_STRING => K::MacroString(self.macro_name(node)),
            LIST => {
                // `[A, B | T]` parses as a list whose last element is a pipe.
                let nodes = self.list_nodes(node, F_EXPRS);
                let last = nodes.len().saturating_sub(1);
                let mut elems = Vec::with_capacity(nodes.len());
                let mut tail = None;
                for (i, c) in nodes.into_iter().enumerate() {
                    if i == last && c.kind() == PIPE {
                        elems.push(self.field(c, F_LHS));
                        tail = Some(Box::new(self.field(c, F_RHS)));
                    } else {
                        elems.push(self.expr(c));
                    }
                }
                K::List { elems, tail }
            }
            PIPE => K::Error(PIPE_MARKER.to_owned()),
            BINARY => K::Binary(
                self.list_nodes(node, F_ELEMENTS)
                    .into_iter()
                    .map(|el| self.bin_element(el))
                    .collect(),
            ),
            TUPLE => K::Tuple(self.list(node, F_EXPR)),
            MAP_EXPR => K::Map(self.map_fields(node, F_FIELDS)),
            MAP_EXPR_UPDATE => K::MapUpdate {
                base: Box::new(self.field(node, F_EXPR)),
                fields: self.map_fields(node, F_FIELDS),
            },
            RECORD_EXPR => K::Record {
                name: self.record_name(node).into(),
                fields: self.record_fields(node),
            },
            RECORD_UPDATE_EXPR => K::RecordUpdate {
                base: Box::new(self.field(node, F_EXPR)),
                name: self.record_name(node).into(),
                fields: self.record_fields(node).into(),
            },
            RECORD_FIELD_EXPR => K::RecordField {
                base: Box::new(self.field(node, F_EXPR)),
                name: self.record_name(node).into(),
                field: self.record_field_name(node).into(),
            },
            RECORD_INDEX_EXPR => K::RecordIndex {
                name: self.record_name(node).into(),
                field: self.record_field_name(node).into(),
            },
            LIST_COMPREHENSION => {
                let templates = self.list(node, F_EXPRS);
                if templates.len() != 1 {
                    K::Error("comprehension with several templates is not supported".to_owned())
                } else {
                    K::ListComprehension {
                        template: Box::new(
                            templates
                                .into_iter()
                                .next()
                                .unwrap_or_else(|| self.error(node, "missing template")),
                        ),
                        qualifiers: self.qualifiers(node),
                    }
                }
            }
            BINARY_COMPREHENSION => K::BinaryComprehension {
                template: Box::new(self.field(node, F_EXPR)),
                qualifiers: self.qualifiers(node),
            },
            MAP_COMPREHENSION => {
                let mut templates = self.map_fields(node, F_EXPRS);
                if templates.len() != 1 {
                    K::Error("comprehension with several templates is not supported".to_owned())
                } else {
                    match templates.pop() {
                        Some(t) => K::MapComprehension {
                            template: Box::new(t),
                            qualifiers: self.qualifiers(node),
                        },
                        None => K::Error("missing template".to_owned()),
                    }
                }
            }
            CALL => {
                let args = node
                    .child_by_field_name(F_ARGS)
                    .map(|a| self.list(a, F_ARGS))
                    .unwrap_or_default();
                match node.child_by_field_name(F_EXPR) {
                    Some(f) if f.kind() == REMOTE => {
                        let (module, function) = self.remote(f);
                        K::Call {
                            module: Some(Box::new(module)),
                            function: Box::new(function),
                            args,
                        }
                    }
                    _ => K::Call {
                        module: None,
                        function: Box::new(self.field(node, F_EXPR)),
                        args,
                    },
                }
            }
            REMOTE => {
                // `m:f(A)` parses as a remote whose function part is the call `f(A)`.
                match node.child_by_field_name(F_FUN) {
                    Some(fun) if fun.kind() == CALL => {
                        let module = self.remote_module(node);
                        return self.remote_call(module, fun);
                    }
                    _ => {
                        let (module, function) = self.remote(node);
                        K::Remote {
                            module: Box::new(module),
                            function: Box::new(function),
                        }
                    }
                }
            }
            INTERNAL_FUN => K::FunRef {
                module: None,
                function: Box::new(self.field(node, F_FUN)),
                arity: Box::new(self.arity(node)),
            },
            EXTERNAL_FUN => K::FunRef {
                module: Some(Box::new(match node.child_by_field_name(F_MODULE) {
                    Some(m) => self.field(m, F_NAME),
                    None => self.error(node, "missing module"),
                })),
                function: Box::new(self.field(node, F_FUN)),
                arity: Box::new(self.arity(node)),
            },
            ANONYMOUS_FUN => {
                let clause_nodes = self.list_nodes(node, F_CLAUSES);
                let name = clause_nodes
                    .first()
                    .and_then(|c| c.child_by_field_name(F_NAME))
                    .map(|n| self.text(n).into());
                K::Fun {
                    name,
                    clauses: clause_nodes
                        .into_iter()
                        .map(|c| self.clause(c, F_ARGS))
                        .collect(),
                }
            }
            MATCH_EXPR => K::Match {
                pattern: Box::new(self.field(node, F_LHS)),
                value: Box::new(self.field(node, F_RHS)),
            },
            COND_MATCH_EXPR => K::MaybeMatch {
                pattern: Box::new(self.field(node, F_LHS)),
                value: Box::new(self.field(node, F_RHS)),
            },
            BINARY_OP_EXPR => {
                let op = self.operator(node);
                match BinaryOp::from_text(op) {
                    Some(op) => K::BinaryOp {
                        op,
                        lhs: Box::new(self.field(node, F_LHS)),
                        rhs: Box::new(self.field(node, F_RHS)),
                    },
                    None => K::Error(format!("unknown operator `{op}`")),
                }
            }
            UNARY_OP_EXPR => {
                let op = self.operator(node);
                match UnaryOp::from_text(op) {
                    Some(op) => K::UnaryOp {
                        op,
                        operand: Box::new(self.field(node, F_OPERAND)),
                    },
                    None => K::Error(format!("unknown operator `{op}`")),
                }
            }
            CASE_EXPR => K::Case {
                expr: Box::new(self.field(node, F_EXPR)),
                clauses: self.cr_clauses(node),
            },
            IF_EXPR => K::If(
                self.list_nodes(node, F_CLAUSES)
                    .into_iter()
                    .map(|c| self.clause(c, ""))
                    .collect(),
            ),
            RECEIVE_EXPR => K::Receive {
                clauses: self.cr_clauses(node),
                after: node.child_by_field_name(F_AFTER).map(|a| {
                    Box::new(ReceiveAfter {
                        timeout: self.field(a, F_EXPR),
                        body: self.body(a),
                    })
                }),
            },
            TRY_EXPR => K::Try(Box::new(TryExpr {
                body: self.list(node, F_EXPRS),
                of_clauses: self.cr_clauses(node),
                catch_clauses: self
                    .list_nodes(node, F_CATCH)
                    .into_iter()
                    .map(|c| self.catch_clause(c))
                    .collect(),
                after: node
                    .child_by_field_name(F_AFTER)
                    .map(|a| self.list(a, F_EXPRS))
                    .unwrap_or_default(),
            })),
            CATCH_EXPR => K::Catch(Box::new(self.field(node, F_EXPR))),
            BLOCK_EXPR => K::Block(self.list(node, F_EXPRS)),
            PAREN_EXPR => return self.field(node, F_EXPR),
            MAYBE_EXPR => K::Maybe {
                body: self.list(node, F_EXPRS),
                else_clauses: self
                    .has_token(node, "else")
                    .then(|| Box::new(self.cr_clauses(node))),
            },
            ANN_TYPE | RANGE_TYPE | DOTDOTDOT | FUN_TYPE => {
                K::Error(format!("type syntax (`{}`) in an expression", node.kind()))
            }
            k if NATIVE_RECORD_KINDS.contains(&k) => {
                K::Error("native record syntax is not supported".to_owned())
            }
            k => K::Error(format!("unsupported syntax `{k}`")),
        };
        Expr::new(kind, span)
    }

    /// `(module, function)` of a `remote` node.
    fn remote(&self, node: Node<'_>) -> (Expr, Expr) {
        (self.remote_module(node), self.field(node, F_FUN))
    }

    fn remote_module(&self, node: Node<'_>) -> Expr {
        match node.child_by_field_name(F_MODULE) {
            Some(m) => self.field(m, F_MODULE),
            None => self.error(node, "missing module"),
        }
    }

    /// The call `call` with `module` applied to its innermost function:
    /// `m:f(A)(B)` calls `m:f(A)`, then the result with `B`.
    fn remote_call(&self, module: Expr, call: Node<'_>) -> Expr {
        let args = call
            .child_by_field_name(F_ARGS)
            .map(|a| self.list(a, F_ARGS))
            .unwrap_or_default();
        let (module, function) = match call.child_by_field_name(F_EXPR) {
            Some(inner) if inner.kind() == CALL => (None, self.remote_call(module, inner)),
            Some(inner) => (Some(Box::new(module)), self.expr(inner)),
            None => (Some(Box::new(module)), self.error(call, "missing function")),
        };
        Expr::new(
            ExprKind::Call {
                module,
                function: Box::new(function),
                args,
            },
            self.span(call.parent().unwrap_or(call)),
        )
    }

    fn arity(&self, node: Node<'_>) -> Expr {
        match node.child_by_field_name(F_ARITY) {
            Some(a) => self.field(a, F_VALUE),
            None => self.error(node, "missing arity"),
        }
    }

    fn record_name(&self, node: Node<'_>) -> String {
        node.child_by_field_name(F_NAME)
            .map(|n| self.name_field(n, F_NAME))
            .unwrap_or_default()
    }

    fn record_field_name(&self, node: Node<'_>) -> String {
        node.child_by_field_name(F_FIELD)
            .map(|n| self.name_field(n, F_NAME))
            .unwrap_or_default()
    }

    /// The `fields` of a record expression or declaration.
    pub(crate) fn record_fields(&self, node: Node<'_>) -> Vec<RecordField> {
        self.list_nodes(node, F_FIELDS)
            .into_iter()
            .map(|f| {
                if f.is_error() {
                    return RecordField {
                        name: String::new(),
                        value: Some(self.expr(f)),
                        span: self.span(f),
                    };
                }
                RecordField {
                    name: self.name_field(f, F_NAME),
                    value: f.child_by_field_name(F_EXPR).map(|e| self.field(e, F_EXPR)),
                    span: self.span(f),
                }
            })
            .collect()
    }

    fn map_fields(&self, node: Node<'_>, field: &str) -> Vec<MapField> {
        self.list_nodes(node, field)
            .into_iter()
            .map(|f| self.map_field(f))
            .collect()
    }

    fn map_field(&self, f: Node<'_>) -> MapField {
        if f.is_error() {
            let e = self.expr(f);
            return MapField {
                key: e.clone(),
                value: e,
                exact: false,
                span: self.span(f),
            };
        }
        MapField {
            key: self.field(f, F_KEY),
            value: self.field(f, F_VALUE),
            exact: self.operator(f) == ":=",
            span: self.span(f),
        }
    }

    fn bin_element(&self, el: Node<'_>) -> BinElement {
        if el.is_error() {
            return BinElement {
                value: self.expr(el),
                size: None,
                types: Vec::new(),
                span: self.span(el),
            };
        }
        BinElement {
            value: self.field(el, F_ELEMENT),
            size: el
                .child_by_field_name(F_SIZE)
                .map(|s| self.field(s, F_SIZE)),
            types: el
                .child_by_field_name(F_TYPES)
                .map(|t| {
                    self.list_nodes(t, F_TYPES)
                        .into_iter()
                        .map(|n| self.text(n).split_whitespace().collect::<String>())
                        .collect()
                })
                .unwrap_or_default(),
            span: self.span(el),
        }
    }

    fn qualifiers(&self, node: Node<'_>) -> Vec<Qualifier> {
        let Some(lc) = node.child_by_field_name(F_LC_EXPRS) else {
            return vec![Qualifier::Filter(self.error(node, "missing qualifiers"))];
        };
        self.list_nodes(lc, F_EXPRS)
            .into_iter()
            .map(|zc| {
                if zc.is_error() {
                    return Qualifier::Filter(self.expr(zc));
                }
                let mut qs: Vec<Qualifier> = self
                    .list_nodes(zc, F_EXPRS)
                    .into_iter()
                    .map(|q| self.qualifier(q))
                    .collect();
                if qs.len() == 1 {
                    qs.pop()
                        .unwrap_or_else(|| Qualifier::Filter(self.error(zc, "missing qualifier")))
                } else {
                    Qualifier::Zip(qs)
                }
            })
            .collect()
    }

    fn qualifier(&self, q: Node<'_>) -> Qualifier {
        let strict = self.has_token(q, "<:-") || self.has_token(q, "<:=");
        match q.kind() {
            GENERATOR => Qualifier::Generator {
                pattern: self.field(q, F_LHS),
                source: self.field(q, F_RHS),
                strict,
            },
            B_GENERATOR => Qualifier::BinaryGenerator {
                pattern: self.field(q, F_LHS),
                source: self.field(q, F_RHS),
                strict,
            },
            MAP_GENERATOR => Qualifier::MapGenerator {
                pattern: Box::new(match q.child_by_field_name(F_LHS) {
                    Some(f) => self.map_field(f),
                    None => {
                        let e = self.error(q, "missing map generator pattern");
                        MapField {
                            key: e.clone(),
                            value: e,
                            exact: true,
                            span: self.span(q),
                        }
                    }
                }),
                source: self.field(q, F_RHS),
                strict,
            },
            _ => Qualifier::Filter(self.expr(q)),
        }
    }

    fn guards(&self, node: Node<'_>) -> Vec<Vec<Expr>> {
        match node.child_by_field_name(F_GUARD) {
            Some(g) => self
                .list_nodes(g, F_CLAUSES)
                .into_iter()
                .map(|gc| {
                    if gc.is_error() {
                        vec![self.expr(gc)]
                    } else {
                        self.list(gc, F_EXPRS)
                    }
                })
                .collect(),
            None => Vec::new(),
        }
    }

    fn body(&self, node: Node<'_>) -> Vec<Expr> {
        match node.child_by_field_name(F_BODY) {
            Some(b) => self.list(b, F_EXPRS),
            None => vec![self.error(node, "missing clause body")],
        }
    }

    /// A clause with `patterns_field` holding `expr_args` (functions, funs),
    /// a single pattern (`pat`), or none (`""`, for `if`).
    pub(crate) fn clause(&self, node: Node<'_>, patterns_field: &str) -> Clause {
        let span = self.span(node);
        if node.is_error() || node.kind() == MACRO_CALL_EXPR {
            // A clause written as a macro call, or a broken one: keep it
            // as a pattern so it is seen, with no body.
            return Clause {
                patterns: vec![self.expr(node)],
                guards: Vec::new(),
                body: Vec::new(),
                span,
            };
        }
        let patterns = match patterns_field {
            "" => Vec::new(),
            F_ARGS => node
                .child_by_field_name(F_ARGS)
                .map(|a| self.list(a, F_ARGS))
                .unwrap_or_default(),
            f => vec![self.field(node, f)],
        };
        let mut clause = Clause {
            patterns,
            guards: self.guards(node),
            body: self.body(node),
            span,
        };
        // tree-sitter may skip bad tokens inside an expression (`X = , ok`):
        // keep such an error visible in the clause.
        if node.has_error() && !clause_has_error(&clause) {
            if let Some(err) = first_error(node) {
                clause.body.push(self.expr(err));
            }
        }
        clause
    }

    fn cr_clauses(&self, node: Node<'_>) -> Vec<Clause> {
        self.list_nodes(node, F_CLAUSES)
            .into_iter()
            .map(|c| {
                if c.kind() == CR_CLAUSE {
                    self.clause(c, F_PAT)
                } else {
                    self.clause(c, "")
                }
            })
            .collect()
    }

    fn catch_clause(&self, node: Node<'_>) -> CatchClause {
        if node.is_error() {
            return CatchClause {
                class: None,
                pattern: self.expr(node),
                stacktrace: None,
                guards: Vec::new(),
                body: Vec::new(),
                span: self.span(node),
            };
        }
        CatchClause {
            class: node
                .child_by_field_name(F_CLASS)
                .map(|c| self.field(c, F_CLASS)),
            pattern: self.field(node, F_PAT),
            stacktrace: node
                .child_by_field_name(F_STACK)
                .map(|s| self.field(s, F_CLASS)),
            guards: self.guards(node),
            body: self.body(node),
            span: self.span(node),
        }
    }
}

/// True when any expression of the clause is an `Error`.
fn clause_has_error(clause: &Clause) -> bool {
    let mut found = false;
    clause.for_each_expr(&mut |e| {
        walk_expr(e, WalkContext::default(), &mut |e, _| {
            found |= matches!(e.kind, ExprKind::Error(_));
            if found {
                Walk::SkipChildren
            } else {
                Walk::Continue
            }
        })
    });
    found
}

/// The first `ERROR` or `MISSING` node under `node` (iteratively: trees
/// can be deeper than the stack).
fn first_error(node: Node<'_>) -> Option<Node<'_>> {
    let mut cursor = node.walk();
    loop {
        let n = cursor.node();
        if n.is_error() || n.is_missing() {
            return Some(n);
        }
        if n.has_error() && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return None;
            }
        }
    }
}

/// Marks a `pipe` node (`|` outside a list is type syntax); a list takes
/// its pipe apart itself.
const PIPE_MARKER: &str = "`|` outside a list (type union syntax)";

/// True for a node kind that is a macro replacement other than an expression.
pub(crate) fn is_non_expr_replacement(kind: &str) -> bool {
    kind.starts_with(REPLACEMENT_PREFIX)
}

/// True for `function_clause` nodes.
pub(crate) fn is_function_clause(kind: &str) -> bool {
    kind == FUNCTION_CLAUSE
}
