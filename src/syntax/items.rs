//! The parts of a module index whose syntax tree is built on first use:
//! function bodies, macro bodies and record fields. Each holds its form's
//! byte range and parses it alone (tree-sitter included ranges) the first
//! time it is asked, caching the result in a `OnceLock`, so only what an
//! analysis reaches is ever parsed.

use std::ops::Range;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use serde::Serialize;
use tree_sitter::{Node, QueryCursor, StreamingIterator, Tree};

use super::ast::{Clause, Expr, ExprKind, Function, RecordField, Span};
use super::condition::Condition;
use super::lower::{is_function_clause, is_non_expr_replacement, Lowerer};
use super::parse::{parse_ranges, syntax_errors};
use super::queries::queries;
use super::source_file::SourceFile;
use crate::diagnostic::Diagnostic;

/// What lazy parsing needs: the file and the time budget per parse.
#[derive(Debug)]
pub(crate) struct ParseContext {
    pub(crate) file: Arc<SourceFile>,
    pub(crate) budget: Duration,
}

impl ParseContext {
    /// Parses one form's range; a failure (time budget) is a diagnostic.
    fn parse(&self, range: &Range<usize>) -> Result<Tree, Diagnostic> {
        parse_ranges(&self.file, std::slice::from_ref(range), self.budget)
    }
}

/// A function's parsed body with the syntax errors found in it.
#[derive(Debug)]
pub(crate) struct ParsedFunction {
    pub(crate) function: Arc<Function>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// A function of the index: name, arity and position known from the cheap
/// pass; the body parsed on first access. A large tree has a hundred
/// thousand of them, kept for the whole run: the name is read from the
/// file's text, offsets are `u32` (texts over 4 GiB are not read), and
/// the condition is boxed (most forms have none).
#[derive(Debug)]
pub struct FunctionEntry {
    pub(crate) name: FunctionName,
    /// The arity.
    pub arity: u32,
    /// The whole form.
    span: Span,
    condition: Option<Box<Condition>>,
    pub(crate) ctx: Arc<ParseContext>,
    /// Boxed: most functions are never parsed, or parsed once and not
    /// kept (`function_once`), and an entry stays for the whole run.
    pub(crate) parsed: OnceLock<Box<ParsedFunction>>,
    /// What the form's tokens call ([`CallSummary::modules`] and
    /// [`CallSummary::uses_macros`], read while indexing): passes that look
    /// for calls into a few modules skip the forms that cannot make one
    /// without reading their tokens again. Kept apart so that the flag
    /// fills the padding after `arity`.
    pub(crate) call_modules: u64,
    pub(crate) uses_macros: bool,
}

/// The modules a function form names in module position (`m:`, an atom
/// just before a colon: `m:f(`, `fun m:f/1`, and also `error:R` in a
/// `catch`), as a mask over [`crate::syntax::ModuleIndex::remote_modules`]
/// (bit `i % 64` for its `i`th module: a set bit may be another module's),
/// and whether the form uses a macro, whose expansion may name more.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct CallSummary {
    pub(crate) modules: u64,
    pub(crate) uses_macros: bool,
}

impl CallSummary {
    /// Whether the form may call a module whose bits are set in `mask`,
    /// told without its tokens: false only when it uses no macro and names
    /// none of them in module position.
    pub(crate) fn may_call(&self, mask: u64) -> bool {
        self.uses_macros || self.modules & mask != 0
    }

    /// The bit of the `i`th module of [`crate::syntax::ModuleIndex::remote_modules`].
    pub(crate) fn bit(i: usize) -> u64 {
        1 << (i % 64)
    }
}

/// A function's name: where it is in the file's text, or (a quoted atom
/// with escapes) its own copy.
#[derive(Debug)]
pub(crate) enum FunctionName {
    Text { start: u32, len: u32 },
    Owned(Box<str>),
}

impl FunctionName {
    /// `name` as found in `text`: where it is when it is a slice of it.
    pub(crate) fn new(text: &str, name: std::borrow::Cow<'_, str>) -> FunctionName {
        if let std::borrow::Cow::Borrowed(s) = name {
            let start = (s.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
            if text
                .get(start..start.wrapping_add(s.len()))
                .is_some_and(|t| std::ptr::eq(t, s))
            {
                return FunctionName::Text {
                    start: start as u32,
                    len: s.len() as u32,
                };
            }
        }
        FunctionName::Owned(name.into())
    }
}

/// The condition of a form outside any conditional branch.
pub(crate) static ALWAYS: Condition = Condition(Vec::new());

/// `condition` as the index keeps it: nothing for the forms outside any
/// conditional branch (most of them), a pointer for the others.
pub(crate) fn boxed_condition(condition: Condition) -> Option<Box<Condition>> {
    (!condition.is_always()).then(|| Box::new(condition))
}

impl FunctionEntry {
    /// An entry whose body is not parsed yet.
    pub(crate) fn new(
        name: FunctionName,
        arity: u32,
        span: Span,
        condition: Condition,
        ctx: Arc<ParseContext>,
        calls: CallSummary,
    ) -> FunctionEntry {
        FunctionEntry {
            name,
            arity,
            span,
            condition: boxed_condition(condition),
            ctx,
            parsed: OnceLock::new(),
            call_modules: calls.modules,
            uses_macros: calls.uses_macros,
        }
    }

    /// The name.
    pub fn name(&self) -> &str {
        match &self.name {
            FunctionName::Text { start, len } => {
                let start = *start as usize;
                self.ctx
                    .file
                    .text
                    .get(start..start + *len as usize)
                    .unwrap_or_default()
            }
            FunctionName::Owned(name) => name,
        }
    }

    /// The whole form.
    pub fn span(&self) -> Span {
        self.span
    }

    /// The conditional-compilation branches the form is in.
    pub fn condition(&self) -> &Condition {
        self.condition.as_deref().unwrap_or(&ALWAYS)
    }

    /// The form's bytes (those of its span).
    pub(crate) fn range(&self) -> Range<usize> {
        self.span.range()
    }

    /// What the form's tokens call.
    pub(crate) fn calls(&self) -> CallSummary {
        CallSummary {
            modules: self.call_modules,
            uses_macros: self.uses_macros,
        }
    }

    fn parsed(&self) -> &ParsedFunction {
        self.parsed.get_or_init(|| {
            Box::new(parse_function(
                &self.ctx,
                &self.range(),
                self.name(),
                self.arity,
                self.span(),
            ))
        })
    }

    /// The function's AST (parsed now if not yet; thread-safe, parsed once).
    pub fn function(&self) -> Arc<Function> {
        self.parsed().function.clone()
    }

    /// The syntax errors tree-sitter found in the function's form (parsed
    /// now if not yet).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.parsed().diagnostics
    }

    /// The function's AST and whether tree-sitter found syntax errors in
    /// it, without keeping the parse when it was not already kept: for a
    /// pass that reads each function once, so that the ASTs of a whole
    /// code base are not all in memory at the end.
    pub(crate) fn function_once(&self) -> (Arc<Function>, bool) {
        match self.parsed.get() {
            Some(p) => (p.function.clone(), !p.diagnostics.is_empty()),
            None => {
                let p = parse_function(
                    &self.ctx,
                    &self.range(),
                    self.name(),
                    self.arity,
                    self.span(),
                );
                (p.function, !p.diagnostics.is_empty())
            }
        }
    }

    /// True once the body has been parsed.
    pub fn is_parsed(&self) -> bool {
        self.parsed.get().is_some()
    }
}

fn parse_function(
    ctx: &ParseContext,
    range: &Range<usize>,
    name: &str,
    arity: u32,
    span: Span,
) -> ParsedFunction {
    // The fast path gives exactly tree-sitter's result, or nothing.
    if let Some(function) =
        super::fast::parse_function(&ctx.file, range, name, arity, span, ctx.budget)
    {
        return ParsedFunction {
            function: Arc::new(function),
            diagnostics: Vec::new(),
        };
    }
    parse_function_tree_sitter(ctx, range, name, arity, span)
}

/// Parses a function form with tree-sitter and lowers it: the reference
/// the fast path is held to.
pub(crate) fn parse_function_tree_sitter(
    ctx: &ParseContext,
    range: &Range<usize>,
    name: &str,
    arity: u32,
    span: Span,
) -> ParsedFunction {
    let mut function = Function {
        name: name.to_owned(),
        arity,
        clauses: Vec::new(),
        span,
    };
    let tree = match ctx.parse(range) {
        Ok(t) => t,
        Err(d) => {
            function.clauses.push(error_clause(span, &d.message));
            return ParsedFunction {
                function: Arc::new(function),
                diagnostics: vec![d],
            };
        }
    };
    let root = tree.root_node();
    let diagnostics = syntax_errors(&ctx.file, root);
    let lower = Lowerer::new(&ctx.file);
    for node in clause_nodes(root) {
        let clause = if is_function_clause(node.kind()) {
            lower.clause(node, super::kinds::F_ARGS)
        } else {
            lower.clause(node, "")
        };
        function.clauses.push(clause);
    }
    if function.clauses.is_empty() {
        // The form did not parse as a function at all: keep it visible.
        function
            .clauses
            .push(error_clause(span, "no function clause could be parsed"));
    }
    ParsedFunction {
        function: Arc::new(function),
        diagnostics,
    }
}

/// The clauses of the function forms under `root`, in source order: what
/// `queries/function.scm` captures. A `fun_decl` is a form, so it is a
/// child of the `source_file` or of an `ERROR` node (error recovery can put
/// one anywhere); only subtrees that hold an error are searched below the
/// top level. The query cursor visited every node of every body, a tenth
/// of `lint`'s time.
fn clause_nodes(root: Node<'_>) -> Vec<Node<'_>> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.kind() == "fun_decl" {
            let mut cursor = node.walk();
            for child in node.children_by_field_name("clause", &mut cursor) {
                if matches!(child.kind(), "function_clause" | "macro_call_expr") {
                    out.push(child);
                }
            }
            continue;
        }
        if node.kind() == "source_file" || node.has_error() {
            let mut cursor = node.walk();
            let children: Vec<Node<'_>> = node.children(&mut cursor).collect();
            stack.extend(children.into_iter().rev());
        }
    }
    out
}

fn error_clause(span: Span, reason: &str) -> Clause {
    Clause {
        patterns: Vec::new(),
        guards: Vec::new(),
        body: vec![Expr::new(ExprKind::Error(reason.to_owned()), span)],
        span,
    }
}

/// A macro's replacement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum MacroBody {
    /// The replacement is an expression.
    Expr(Expr),
    /// Clauses, guards, an incomplete construct or a syntax error: the
    /// source text, and why it is not an expression.
    Raw {
        /// The replacement's source text.
        text: String,
        /// Why it was not lowered.
        reason: String,
    },
}

/// A `-define`, with its replacement lowered on first access.
#[derive(Debug)]
pub struct Define {
    /// The macro name (without `?`).
    pub name: String,
    /// Parameter names; `None` for a macro without parentheses.
    pub params: Option<Box<[String]>>,
    span: Span,
    condition: Option<Box<Condition>>,
    /// Where the replacement is, when there is one: its text is read
    /// from the file's, which stays for the whole run.
    replacement: Option<Replacement>,
    pub(crate) ctx: Arc<ParseContext>,
    /// Boxed: a `MacroBody` is an `Expr` (128 bytes), and most of a large
    /// tree's defines are never expanded.
    pub(crate) body: OnceLock<Box<MacroBody>>,
}

/// Where a define's replacement is in its file. Offsets as `u32`, as in
/// tokens (texts over 4 GiB are not read).
#[derive(Debug, Clone, Copy)]
struct Replacement {
    /// Its bytes (after the comma), as the parsers read them.
    start: u32,
    end: u32,
    /// Its text without the whitespace around it ([`Define::raw_body`],
    /// read for every define of a table by some passes: trimmed once).
    text_start: u32,
    text_end: u32,
}

impl Define {
    /// Number of parameters; `None` for `-define(NAME, ...)`.
    pub(crate) fn arity(&self) -> Option<usize> {
        self.params.as_deref().map(<[String]>::len)
    }

    /// A define read from `range` of the file of `ctx`; `body` is its
    /// replacement's bytes, when there is one.
    pub(crate) fn new(
        name: String,
        params: Option<Vec<String>>,
        span: Span,
        condition: Condition,
        body: Option<Range<usize>>,
        ctx: Arc<ParseContext>,
    ) -> Define {
        let text = ctx.file.text.as_str();
        let replacement = body.map(|r| {
            // Where the trimmed text starts: a slice of `text`, or nothing
            // (then empty) when the range is not one.
            let (text_start, text_end) = match text.get(r.clone()).map(str::trim) {
                Some(t) => {
                    let at = t.as_ptr() as usize - text.as_ptr() as usize;
                    (at, at + t.len())
                }
                None => (r.start, r.start),
            };
            Replacement {
                start: r.start as u32,
                end: r.end as u32,
                text_start: text_start as u32,
                text_end: text_end as u32,
            }
        });
        Define {
            name,
            params: params.map(Vec::into_boxed_slice),
            span,
            condition: boxed_condition(condition),
            replacement,
            ctx,
            body: OnceLock::new(),
        }
    }

    /// The whole form.
    pub fn span(&self) -> Span {
        self.span
    }

    /// The conditional-compilation branches the form is in.
    pub fn condition(&self) -> &Condition {
        self.condition.as_deref().unwrap_or(&ALWAYS)
    }

    /// The form's bytes (those of its span).
    pub(crate) fn range(&self) -> Range<usize> {
        self.span.range()
    }

    /// The replacement's bytes (after the comma), when there is one.
    pub(crate) fn body_range(&self) -> Option<Range<usize>> {
        self.replacement.map(|r| r.start as usize..r.end as usize)
    }

    /// The replacement's source text, trimmed (empty for `-define(X).`).
    pub fn raw_body(&self) -> &str {
        self.replacement
            .and_then(|r| {
                self.ctx
                    .file
                    .text
                    .get(r.text_start as usize..r.text_end as usize)
            })
            .unwrap_or("")
    }

    /// The replacement, lowered now if not yet. `-define(X).` is `true`, as in epp.
    pub fn body(&self) -> &MacroBody {
        self.body.get_or_init(|| Box::new(self.parse_body()))
    }

    fn parse_body(&self) -> MacroBody {
        // The fast path gives exactly tree-sitter's expression, or nothing.
        let Some(body) = self.body_range() else {
            return MacroBody::Expr(Expr::new(ExprKind::Atom("true".to_owned()), self.span()));
        };
        if let Some(e) =
            super::fast::parse_macro_body(&self.ctx.file, &self.range(), &body, self.ctx.budget)
        {
            return MacroBody::Expr(e);
        }
        self.parse_body_tree_sitter()
    }

    /// The replacement through tree-sitter: the reference the fast path
    /// is held to.
    pub(crate) fn parse_body_tree_sitter(&self) -> MacroBody {
        let raw = |reason: &str| MacroBody::Raw {
            text: self.raw_body().to_owned(),
            reason: reason.to_owned(),
        };
        let tree = match self.ctx.parse(&self.range()) {
            Ok(t) => t,
            Err(d) => return raw(&d.message),
        };
        let q = match queries() {
            Ok(q) => q,
            Err(e) => return raw(&e),
        };
        let body_ix = q.define.capture_index_for_name("body");
        let mut cursor = QueryCursor::new();
        let mut matches =
            cursor.matches(&q.define, tree.root_node(), self.ctx.file.text.as_bytes());
        let Some(m) = matches.next() else {
            return raw("the define could not be parsed");
        };
        let body: Option<Node<'_>> = m
            .captures
            .iter()
            .find(|c| Some(c.index) == body_ix)
            .map(|c| c.node);
        let Some(body) = body else {
            return raw("empty replacement");
        };
        if body.has_error() {
            return raw("the replacement is not a complete expression");
        }
        if is_non_expr_replacement(body.kind()) {
            return raw("the replacement is not an expression (clauses or guards)");
        }
        MacroBody::Expr(Lowerer::new(&self.ctx.file).expr(body))
    }
}

/// A `-record` declaration, with its fields lowered on first access.
#[derive(Debug)]
pub struct RecordDecl {
    /// The record name.
    pub name: String,
    /// The whole form.
    pub(crate) span: Span,
    pub(crate) ctx: Arc<ParseContext>,
    pub(crate) fields: OnceLock<Vec<RecordField>>,
}

impl RecordDecl {
    /// Field names with their defaults (`value`), in declaration order.
    pub fn fields(&self) -> &[RecordField] {
        self.fields.get_or_init(|| self.parse_fields())
    }

    fn parse_fields(&self) -> Vec<RecordField> {
        let error = |reason: String| {
            vec![RecordField {
                name: String::new(),
                value: Some(Expr::new(ExprKind::Error(reason), self.span)),
                span: self.span,
            }]
        };
        let tree = match self.ctx.parse(&self.span.range()) {
            Ok(t) => t,
            Err(d) => return error(d.message),
        };
        let q = match queries() {
            Ok(q) => q,
            Err(e) => return error(e),
        };
        let mut cursor = QueryCursor::new();
        let mut matches =
            cursor.matches(&q.record, tree.root_node(), self.ctx.file.text.as_bytes());
        let record_ix = q.record.capture_index_for_name("record");
        if let Some(m) = matches.next() {
            if let Some(node) = m
                .captures
                .iter()
                .find(|c| Some(c.index) == record_ix)
                .map(|c| c.node)
            {
                return Lowerer::new(&self.ctx.file).record_fields(node);
            }
        }
        error("the record declaration could not be parsed".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A large tree keeps every function entry and define for the whole
    /// run (OTP's lib: 81 000 and 22 000): they were 160 and 320 bytes.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn entries_stay_small() {
        assert_eq!(std::mem::size_of::<FunctionEntry>(), 80);
        assert_eq!(std::mem::size_of::<Define>(), 112);
    }

    /// The modules each function names in module position, as the index
    /// reads them: what `missing-app-dependency` skips functions by.
    #[test]
    fn call_summaries_name_the_modules_in_module_position() {
        let text = "-module(m).\n\
            a() -> lists:map(fun erlang:abs/1, [x]).\n\
            b() -> {lists, 'my mod':f()}.\n\
            c() -> ?MODULE:a().\n\
            d(X) -> try X catch error:_ -> ok end.\n";
        let index = super::super::module::index_module(SourceFile::from_text("m.erl", text));
        let mask = |names: &[&str]| {
            index
                .remote_modules
                .iter()
                .enumerate()
                .filter(|(_, m)| names.contains(&&***m))
                .fold(0, |mask, (i, _)| mask | CallSummary::bit(i))
        };
        assert_eq!(
            index
                .remote_modules
                .iter()
                .map(|m| &**m)
                .collect::<Vec<_>>(),
            ["lists", "erlang", "my mod", "error"]
        );
        let f = |name: &str| {
            index
                .functions
                .iter()
                .find(|f| f.name() == name)
                .unwrap()
                .calls()
        };
        assert!(f("a").may_call(mask(&["erlang"])));
        assert!(f("a").may_call(mask(&["lists"])));
        // `lists` as a tuple element is no call.
        assert!(!f("b").may_call(mask(&["lists"])));
        assert!(f("b").may_call(mask(&["my mod"])));
        // A macro may name any module.
        assert!(f("c").uses_macros && f("c").may_call(0));
        assert!(!f("d").may_call(mask(&["lists", "erlang"])));
    }

    /// The clauses `queries/function.scm` captures, in the order of the
    /// query's matches: what [`clause_nodes`] replaces.
    fn query_clauses<'t>(root: Node<'t>, text: &[u8]) -> Vec<(usize, &'static str)> {
        let q = queries().unwrap();
        let mut cursor = QueryCursor::new();
        let mut matches = cursor.matches(&q.function, root, text);
        let mut out = Vec::new();
        while let Some(m) = matches.next() {
            for cap in m.captures {
                out.push((cap.node.start_byte(), cap.node.kind()));
            }
        }
        out
    }

    /// Whole files (many forms, broken ones included) and single function
    /// forms (as `parse_function` parses them): the walk finds exactly the
    /// query's clauses, in the same order. Set `OTPMAP_CLAUSE_CORPUS` to a
    /// directory (OTP's `lib`) to check a larger corpus.
    #[test]
    fn clause_nodes_are_the_function_query_captures() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![
            root.join("samples"),
            root.join("tests/fixtures"),
            root.join("tests/fuzz_regressions"),
            root.join("fuzz/seeds"),
        ];
        if let Some(extra) = std::env::var_os("OTPMAP_CLAUSE_CORPUS") {
            dirs.push(extra.into());
        }
        let mut extra_texts: Vec<String> = vec![
            // A clause written as a macro between ordinary clauses.
            "f(1) -> a;\n?CLAUSE(2);\nf(3) -> c.\n".to_owned(),
            // Broken forms around and inside a function.
            "f(X) -> case X of 1 -> ok.\ng() -> ).\nh() -> ok.\n-foo(.\n".to_owned(),
            "-module(m).\nf() -> fun() -> g() end.\n) ) g(A) -> A.\n".to_owned(),
        ];
        for d in &dirs {
            for p in crate::discover::erlang_sources(d) {
                if let Ok(bytes) = std::fs::read(&p) {
                    extra_texts.push(String::from_utf8_lossy(&bytes).into_owned());
                }
            }
        }
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&tree_sitter_erlang::LANGUAGE.into())
            .unwrap();
        // True when `src` parses; then the walk must equal the query.
        let mut agrees = |src: &str| {
            let Some(tree) = parser.parse(src, None) else {
                return false;
            };
            let walked: Vec<_> = clause_nodes(tree.root_node())
                .iter()
                .map(|n| (n.start_byte(), n.kind()))
                .collect();
            assert_eq!(
                walked,
                query_clauses(tree.root_node(), src.as_bytes()),
                "{src}"
            );
            true
        };
        let (mut files, mut forms) = (0, 0);
        for text in &extra_texts {
            if !agrees(text) {
                continue;
            }
            files += 1;
            // Each form alone, as the index parses a function's range.
            let split =
                super::super::forms::split_forms(&SourceFile::from_text("x.erl", text.as_str()));
            for form in &split.forms {
                if text.get(form.range.clone()).is_some_and(&mut agrees) {
                    forms += 1;
                }
            }
        }
        assert!(files > 50 && forms > 1000, "{files} files, {forms} forms");
    }
}
