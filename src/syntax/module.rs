//! The module index: what a module (or header) declares, built from the
//! cheap form split; bodies are parsed lazily (see `items`).

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use super::ast::Function;
use super::ast::{Expr, ExprKind, MacroExpr, Span};
use super::attributes::{
    define_head, exports, has_export_all, include_path, paren_args, parse_transforms, single_name,
    tokens_text, NameToken,
};
use super::condition::{Condition, ConditionStack, DirectiveError, TestKind};
use super::forms::{split_forms_into, Form, FormKind, Forms, PARSE_ERROR};
use super::items::{
    boxed_condition, CallSummary, Define, FunctionEntry, FunctionName, ParseContext, RecordDecl,
};
use super::parse::{parse_file_errors, DEFAULT_PARSE_BUDGET};
use super::source_file::SourceFile;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{relative_path, LineCursor};

/// How files are read and parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexOptions {
    /// Files larger than this are skipped with a diagnostic.
    pub(crate) max_bytes: u64,
    /// The longest one tree-sitter parse may take.
    pub(crate) parse_budget: Duration,
}

impl Default for IndexOptions {
    fn default() -> IndexOptions {
        IndexOptions {
            max_bytes: crate::source::DEFAULT_MAX_FILE_BYTES,
            parse_budget: DEFAULT_PARSE_BUDGET,
        }
    }
}

/// The hash of a function's name in [`ModuleIndex::functions_named`]'s
/// index: a fast one, names are short.
fn name_hash(name: &str) -> u64 {
    foldhash::fast::FixedState::default().hash_one(name)
}

/// `-module(Name).`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleName {
    /// The module name (a macro is kept as `?NAME`).
    name: String,
    /// Where the name is.
    pub span: Span,
}

/// `-behaviour(Name).` or `-behavior(Name).`
#[derive(Debug, Clone, PartialEq)]
pub struct Behaviour {
    /// An atom, or a macro call (`?GEN_SERVER`) for the caller to expand
    /// with the module's macro table.
    pub name: Expr,
    /// The attribute.
    pub(crate) span: Span,
    /// The conditional-compilation branches it is in.
    pub condition: Condition,
}

impl Behaviour {
    /// The behaviour module when written as a plain atom.
    pub fn atom(&self) -> Option<&str> {
        self.name.as_atom()
    }
}

/// One `name/arity` of `-export`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// Function name (a macro is kept as `?NAME`).
    pub name: String,
    /// Arity.
    pub arity: u32,
    /// Where the `name/arity` entry is.
    span: Span,
    /// The conditional-compilation branches it is in (none for most).
    condition: Option<Box<Condition>>,
}

/// `-include("path").` or `-include_lib("app/include/x.hrl").`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    /// The path as written (adjacent strings joined); raw source text when
    /// it is built from macros (`literal` false).
    pub path: String,
    /// True for `-include_lib`.
    pub lib: bool,
    /// False when the path contains macros the caller must expand.
    pub literal: bool,
    /// The attribute.
    pub(crate) span: Span,
    /// The conditional-compilation branches it is in.
    pub condition: Condition,
}

/// Everything known about one `.erl` or `.hrl` file.
#[derive(Debug)]
pub struct ModuleIndex {
    /// The source.
    pub file: Arc<SourceFile>,
    /// `-module`, absent in headers.
    pub module: Option<ModuleName>,
    /// `-behaviour`/`-behavior` attributes, in order.
    pub behaviours: Vec<Behaviour>,
    /// Exported functions, in order.
    pub exports: Vec<Export>,
    /// True when `-compile(export_all)` (or a list with it) is present.
    pub export_all: bool,
    /// Modules `-compile` names as `{parse_transform, M}`: code that runs
    /// in the compiler, not in the node.
    pub(crate) parse_transforms: Vec<String>,
    /// `-include`/`-include_lib`, in order.
    pub includes: Vec<Include>,
    /// `-define`s, in order (shared with macro tables).
    pub defines: Vec<Arc<Define>>,
    /// `-undef`s: name, position, condition.
    undefs: Vec<(String, Span, Condition)>,
    /// `-record` declarations, in order.
    pub records: Vec<Arc<RecordDecl>>,
    /// Function forms, in order. A name/arity defined in two conditional
    /// branches appears twice.
    pub functions: Vec<FunctionEntry>,
    /// The modules the function forms name in module position, each once,
    /// in the order first named: what [`FunctionEntry::calls`] masks.
    pub(crate) remote_modules: Vec<Box<str>>,
    /// Problems found while reading and indexing (not those found later by
    /// lazy parsing: see [`ModuleIndex::full_check`]).
    pub diagnostics: Vec<Diagnostic>,
    /// Every function entry by a hash of its name, then by position:
    /// built on first use (the init walk's quiet filter looks up every
    /// name a reachable function calls).
    by_name: OnceLock<Vec<(u64, u32)>>,
    unreadable: bool,
}

impl ModuleIndex {
    /// The mask over [`ModuleIndex::remote_modules`] of the modules for
    /// which `wanted` holds: with [`CallSummary::may_call`], which of the
    /// functions may call one of them, told without their text.
    pub(crate) fn remote_mask(&self, wanted: impl Fn(&str) -> bool) -> u64 {
        self.remote_modules
            .iter()
            .enumerate()
            .filter(|(_, m)| wanted(m))
            .fold(0, |mask, (i, _)| mask | CallSummary::bit(i))
    }

    /// The empty index of a file that could not be read, carrying the
    /// diagnostic that says why.
    pub(crate) fn unreadable(root: &Path, path: &Path, diagnostic: Diagnostic) -> ModuleIndex {
        let mut file = SourceFile::from_text(relative_path(root, path), "");
        file.diagnostics.clear();
        ModuleIndex {
            file: Arc::new(file),
            module: None,
            behaviours: Vec::new(),
            exports: Vec::new(),
            export_all: false,
            parse_transforms: Vec::new(),
            includes: Vec::new(),
            defines: Vec::new(),
            undefs: Vec::new(),
            records: Vec::new(),
            functions: Vec::new(),
            remote_modules: Vec::new(),
            diagnostics: vec![diagnostic],
            by_name: OnceLock::new(),
            unreadable: true,
        }
    }

    /// True for the index of a file that could not be read.
    pub fn is_unreadable(&self) -> bool {
        self.unreadable
    }

    /// The module name, if the file has `-module`.
    pub fn name(&self) -> Option<&str> {
        self.module.as_ref().map(|m| m.name.as_str())
    }

    /// The first definition of `name/arity`, parsed on first access.
    pub fn function(&self, name: &str, arity: u32) -> Option<Arc<Function>> {
        self.function_entry(name, arity)
            .map(FunctionEntry::function)
    }

    /// The first entry for `name/arity` (its body not necessarily parsed).
    pub fn function_entry(&self, name: &str, arity: u32) -> Option<&FunctionEntry> {
        self.function_entries(name, arity).next()
    }

    /// Every entry for `name/arity`: more than one when conditional
    /// branches define it differently.
    pub fn function_entries<'a>(
        &'a self,
        name: &str,
        arity: u32,
    ) -> impl Iterator<Item = &'a FunctionEntry> + 'a {
        self.functions_named(name).filter(move |f| f.arity == arity)
    }

    /// Every entry named `name`, of any arity, in file order.
    pub(crate) fn functions_named<'a>(
        &'a self,
        name: &str,
    ) -> impl Iterator<Item = &'a FunctionEntry> + 'a {
        // Sorted pairs of a name's hash and its entry's position, not a map
        // of owned names: a `String` per entry and SipHash over each cost
        // more than the few lookups most modules get.
        let by_name = self.by_name.get_or_init(|| {
            let mut order: Vec<(u64, u32)> = self
                .functions
                .iter()
                .enumerate()
                .map(|(i, f)| (name_hash(f.name()), i as u32))
                .collect();
            order.sort_unstable();
            order
        });
        let hash = name_hash(name);
        let start = by_name.partition_point(|&(h, _)| h < hash);
        let len = by_name[start..].partition_point(|&(h, _)| h == hash);
        let same_hash = &by_name[start..start + len];
        let entry = |&(_, i): &(u64, u32)| self.functions.get(i as usize);
        // Two names of one module with the same 64-bit hash: never seen,
        // but then the name is compared again (an owned copy, since the
        // iterator outlives `name`).
        let collision = same_hash
            .iter()
            .filter_map(entry)
            .any(|f| f.name() != name)
            .then(|| name.to_owned());
        same_hash
            .iter()
            .filter_map(entry)
            .filter(move |f| collision.as_ref().is_none_or(|n| f.name() == *n))
    }

    /// True when `name/arity` is exported (explicitly or by `export_all`).
    pub fn is_exported(&self, name: &str, arity: u32) -> bool {
        self.export_all
            || self
                .exports
                .iter()
                .any(|e| e.name == name && e.arity == arity)
    }

    /// The first record declaration named `name`.
    pub fn record(&self, name: &str) -> Option<&Arc<RecordDecl>> {
        self.records.iter().find(|r| r.name == name)
    }

    /// The index's diagnostics plus every syntax error tree-sitter finds
    /// in a parse of the whole file (a full check, slower than indexing).
    pub fn full_check(&self, budget: Duration) -> Vec<Diagnostic> {
        let mut out = crate::diagnostic::Sink::new();
        out.add(self.diagnostics.iter().cloned());
        out.add(parse_file_errors(&self.file, budget));
        out.finish()
    }
}

thread_local! {
    /// The form split of the last file indexed on this thread: its buffers
    /// are reused for the next file.
    static SPLIT: std::cell::Cell<Forms> = std::cell::Cell::default();
}

/// Drops this thread's kept split buffers: once every file is indexed,
/// they are only memory until the next run of [`index_module_with`].
pub(crate) fn drop_split_buffers() {
    drop(SPLIT.take());
}

/// Token buffers larger than this are not kept between files.
const MAX_KEPT_TOKENS: usize = 1 << 22;

/// Builds the index of one file with the default parse budget.
pub fn index_module(file: SourceFile) -> ModuleIndex {
    index_module_with(file, DEFAULT_PARSE_BUDGET)
}

/// Builds the index of one file; `budget` bounds each later lazy parse.
pub fn index_module_with(mut file: SourceFile, budget: Duration) -> ModuleIndex {
    let mut diagnostics = std::mem::take(&mut file.diagnostics);
    let file = Arc::new(file);
    let mut forms = split_forms_into(&file, SPLIT.take());
    diagnostics.append(&mut forms.diagnostics);
    let functions = forms
        .forms
        .iter()
        .filter(|f| matches!(f.kind, FormKind::Function { .. }))
        .count();
    let ctx = Arc::new(ParseContext {
        file: file.clone(),
        budget,
    });
    let mut builder = Builder {
        ctx,
        text: &file.text,
        forms: &forms,
        conditions: ConditionStack::default(),
        open_directives: Vec::new(),
        index: ModuleIndex {
            file: file.clone(),
            module: None,
            behaviours: Vec::new(),
            exports: Vec::new(),
            export_all: false,
            parse_transforms: Vec::new(),
            includes: Vec::new(),
            defines: Vec::new(),
            undefs: Vec::new(),
            records: Vec::new(),
            // Each function form is an entry: no regrowth, and nothing
            // for `shrink_to_fit` to copy.
            functions: Vec::with_capacity(functions),
            remote_modules: Vec::new(),
            diagnostics,
            by_name: OnceLock::new(),
            unreadable: false,
        },
        lines: std::cell::Cell::default(),
        remote_modules: HashMap::default(),
    };
    for (i, form) in forms.forms.iter().enumerate() {
        builder.form(i, form);
    }
    let too_large = super::limits::literal_limits(&file, &forms.long_tokens);
    builder.index.diagnostics.extend(too_large);
    if let Some(&at) = builder.open_directives.last() {
        builder.error(
            at,
            "conditional directive not closed by `-endif` before the end of the file",
        );
    }
    if builder.index.module.is_none() && !file.is_header() && !file.is_escript() {
        builder.index.diagnostics.push(Diagnostic::file_level(
            Severity::Warning,
            "missing-module",
            file.path.clone(),
            "no `-module` attribute",
        ));
    }
    let mut index = builder.index;
    // The index of every file stays for the whole run: the slack of the
    // vectors' doubling is a tenth of the memory of a large tree.
    index.functions.shrink_to_fit();
    index.remote_modules.shrink_to_fit();
    index.exports.shrink_to_fit();
    index.includes.shrink_to_fit();
    index.defines.shrink_to_fit();
    index.records.shrink_to_fit();
    index.diagnostics.shrink_to_fit();
    if forms.tokens.capacity() <= MAX_KEPT_TOKENS {
        SPLIT.set(forms);
    }
    index
}

/// Walks the forms in order, tracking conditional compilation.
struct Builder<'a> {
    ctx: Arc<ParseContext>,
    /// The file's text (`ctx.file.text`).
    text: &'a str,
    forms: &'a Forms,
    conditions: ConditionStack,
    open_directives: Vec<usize>,
    index: ModuleIndex,
    lines: std::cell::Cell<LineCursor>,
    /// [`ModuleIndex::remote_modules`] by name (a fast hash: every remote
    /// call of the file is looked up).
    remote_modules: HashMap<Cow<'a, str>, usize, foldhash::fast::FixedState>,
}

impl<'a> Builder<'a> {
    fn text(&self) -> &'a str {
        self.text
    }

    /// The span of a byte range, its line counted from the previous span's
    /// (forms come in order) instead of building the file's line index.
    fn span(&self, start: usize, end: usize) -> Span {
        let mut lines = self.lines.get();
        let (line, column) = lines.position(self.text(), start);
        self.lines.set(lines);
        Span::new(start, end, line, column)
    }

    /// The modules a function form names in module position, and whether
    /// it uses a macro.
    fn call_summary(&mut self, form: &Form) -> CallSummary {
        let mut out = CallSummary {
            modules: 0,
            uses_macros: form.uses_macros,
        };
        let forms = self.forms;
        for t in forms.module_atoms_of(form) {
            let Some(name) = t.atom_str(self.text) else {
                continue;
            };
            let n = self.remote_modules.len();
            let i = *self.remote_modules.entry(name).or_insert_with_key(|name| {
                self.index.remote_modules.push(name.as_ref().into());
                n
            });
            out.modules |= CallSummary::bit(i);
        }
        out
    }

    fn error(&mut self, offset: usize, message: impl Into<String>) {
        let d = self
            .ctx
            .file
            .diagnostic_at(Severity::Error, PARSE_ERROR, offset, message);
        self.index.diagnostics.push(d);
    }

    fn form(&mut self, i: usize, form: &Form) {
        let name = self.forms.name_of(form, self.text).unwrap_or_default();
        match form.kind {
            FormKind::Function { arity } => {
                let range = form.range.clone();
                let calls = self.call_summary(form);
                self.index.functions.push(FunctionEntry::new(
                    FunctionName::new(self.text, name),
                    arity,
                    self.span(range.start, range.end),
                    self.conditions.current(),
                    self.ctx.clone(),
                    calls,
                ));
            }
            FormKind::Attribute => self.attribute(i, form, &name),
            FormKind::Unknown => {}
        }
    }

    fn attribute(&mut self, i: usize, form: &Form, name: &str) {
        let tokens = self.forms.tokens_of(form);
        let args = paren_args(tokens);
        let start = form.range.start;
        let condition = || self.conditions.current();
        match name {
            "module" => match args.and_then(|a| single_name(self.text(), a).map(|n| (n, a))) {
                Some((n, a)) if self.index.module.is_none() => {
                    let name = match n {
                        NameToken::Atom(s) | NameToken::Var(s) => s,
                        NameToken::Macro(s) => format!("?{s}"),
                    };
                    let span = self.span(a[0].start as usize, a[a.len() - 1].end as usize);
                    self.index.module = Some(ModuleName { name, span });
                }
                Some(_) => self.error(start, "second `-module` attribute"),
                None => self.error(start, "malformed `-module` attribute"),
            },
            "behaviour" | "behavior" => {
                let span = self.span(form.range.start, form.range.end);
                let name = match args {
                    // `-behaviour().` has no name at all: malformed, below.
                    Some(a) if !a.is_empty() => {
                        let name_span = self.span(a[0].start as usize, a[a.len() - 1].end as usize);
                        let kind = match single_name(self.text(), a) {
                            Some(NameToken::Atom(s)) => ExprKind::Atom(s),
                            Some(NameToken::Macro(s)) => ExprKind::Macro(Box::new(MacroExpr {
                                name: s,
                                args: None,
                                unresolved: None,
                            })),
                            _ => ExprKind::Error(format!(
                                "unsupported behaviour name `{}`",
                                tokens_text(self.text(), a)
                            )),
                        };
                        Expr::new(kind, name_span)
                    }
                    _ => Expr::new(
                        ExprKind::Error("malformed behaviour attribute".to_owned()),
                        span,
                    ),
                };
                let condition = condition();
                self.index.behaviours.push(Behaviour {
                    name,
                    span,
                    condition,
                });
            }
            "export" => {
                let Some(a) = args else {
                    return self.error(start, "malformed `-export` attribute");
                };
                let (read, unread) = exports(self.text(), a);
                let condition = boxed_condition(condition());
                for e in read {
                    let span = self.span(e.range.start, e.range.end);
                    self.index.exports.push(Export {
                        name: e.name,
                        arity: e.arity,
                        span,
                        condition: condition.clone(),
                    });
                }
                for at in unread {
                    let d = self.ctx.file.diagnostic_at(
                        Severity::Info,
                        "unresolved-export",
                        at,
                        "export entry is not `name/arity` with a literal arity; not indexed",
                    );
                    self.index.diagnostics.push(d);
                }
            }
            "compile" => {
                if let Some(a) = args {
                    self.index.export_all |= has_export_all(self.text(), a);
                    let transforms = parse_transforms(self.text(), a);
                    self.index.parse_transforms.extend(transforms);
                }
            }
            "include" | "include_lib" => {
                let Some(a) = args else {
                    return self.error(start, format!("malformed `-{name}` attribute"));
                };
                let (path, literal) = include_path(self.text(), a);
                let span = self.span(form.range.start, form.range.end);
                let condition = condition();
                self.index.includes.push(Include {
                    path,
                    lib: name == "include_lib",
                    literal,
                    span,
                    condition,
                });
            }
            "define" => self.define(form, args),
            "undef" => {
                if let Some(NameToken::Atom(n) | NameToken::Var(n)) =
                    args.and_then(|a| single_name(self.text(), a))
                {
                    let span = self.span(form.range.start, form.range.end);
                    let condition = condition();
                    self.index.undefs.push((n, span, condition));
                } else {
                    self.error(start, "malformed `-undef` attribute");
                }
            }
            "record" => {
                let record_name = args
                    .and_then(|a| a.split(|t| t.kind == super::token::TokenKind::Comma).next())
                    .and_then(|n| single_name(self.text(), n));
                let name = match record_name {
                    Some(NameToken::Atom(s) | NameToken::Var(s)) => s,
                    Some(NameToken::Macro(s)) => format!("?{s}"),
                    None => return self.error(start, "malformed `-record` attribute"),
                };
                let range = form.range.clone();
                self.index.records.push(Arc::new(RecordDecl {
                    name,
                    span: self.span(range.start, range.end),
                    ctx: self.ctx.clone(),
                    fields: OnceLock::new(),
                }));
            }
            "ifdef" | "ifndef" => {
                let Some(NameToken::Atom(macro_name) | NameToken::Var(macro_name)) =
                    args.and_then(|a| single_name(self.text(), a))
                else {
                    return self.error(start, format!("malformed `-{name}` attribute"));
                };
                let include_guard = name == "ifndef" && self.next_defines(i, &macro_name);
                let kind = if name == "ifdef" {
                    TestKind::Ifdef
                } else {
                    TestKind::Ifndef
                };
                self.conditions.open(kind, macro_name, include_guard);
                self.open_directives.push(start);
            }
            "if" => {
                let text = args
                    .map(|a| tokens_text(self.text(), a).to_owned())
                    .unwrap_or_default();
                self.conditions.open(TestKind::If, text, false);
                self.open_directives.push(start);
            }
            "elif" => {
                let text = args
                    .map(|a| tokens_text(self.text(), a).to_owned())
                    .unwrap_or_default();
                let r = self.conditions.elif(text);
                self.directive_result(start, r);
            }
            "else" => {
                let r = self.conditions.else_();
                self.directive_result(start, r);
            }
            "endif" => {
                let r = self.conditions.endif();
                if r.is_ok() {
                    self.open_directives.pop();
                }
                self.directive_result(start, r);
            }
            _ => {}
        }
    }

    fn directive_result(&mut self, at: usize, r: Result<(), DirectiveError>) {
        match r {
            Ok(()) => {}
            Err(DirectiveError::Unmatched(d)) => self.error(
                at,
                format!("`-{d}` without a matching `-if`/`-ifdef`/`-ifndef`"),
            ),
            Err(DirectiveError::AfterElse(d)) => self.error(at, format!("`-{d}` after `-else`")),
        }
    }

    /// True when the form after `i` is `-define(name ...)`: with a preceding
    /// `-ifndef(name)` that is an include guard.
    fn next_defines(&self, i: usize, name: &str) -> bool {
        let Some(next) = self.forms.forms.get(i + 1) else {
            return false;
        };
        if self.forms.attribute_name(next, self.text).as_deref() != Some("define") {
            return false;
        }
        paren_args(self.forms.tokens_of(next))
            .and_then(|a| define_head(self.text(), a))
            .is_some_and(|h| h.name == name)
    }

    fn define(&mut self, form: &Form, args: Option<&[super::token::Token]>) {
        let start = form.range.start;
        let Some(head) = args.and_then(|a| define_head(self.text(), a)) else {
            return self.error(start, "malformed `-define` attribute");
        };
        let raw_body = head
            .body
            .clone()
            .and_then(|r| self.text().get(r))
            .map_or("", str::trim);
        let range = form.range.clone();
        let arity = head.params.as_ref().map(Vec::len);
        if head.body.is_some() && super::limits::calls_itself(&head.name, arity, raw_body) {
            let d = self.ctx.file.diagnostic_at(
                Severity::Warning,
                "circular-macro",
                start,
                format!(
                    "macro `{}` calls itself: erlc rejects every use of it (circular \
                     macro); otpmap leaves its uses unresolved",
                    head.name
                ),
            );
            self.index.diagnostics.push(d);
        }
        self.index.defines.push(Arc::new(Define::new(
            head.name,
            head.params,
            self.span(range.start, range.end),
            self.conditions.current(),
            head.body,
            self.ctx.clone(),
        )));
    }
}
