//! The partial evaluator: runs Erlang functions over [`Val`]s as far as the
//! source alone allows. It follows variables, local and remote calls into
//! the project's modules (arguments substituted), macros (conditional ones
//! give `Alt`s), `case`/`if`/function clauses (several possible clauses give
//! `Alt`s), comprehensions and a set of pure library functions
//! ([`super::builtins`]). What it cannot know becomes `Unknown` with the
//! reason; work is bounded by [`Limits`], and hitting a bound gives
//! `Unknown("evaluation limit ...")`, never a hang or a stack overflow.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use super::value::{inline_items, Closure, Cond, Env, Item, Loc, Unknown, Val, Value};
use crate::model::Project;
use crate::syntax::ast::{BinaryOp, Qualifier, UnaryOp};
use crate::syntax::{Clause, Condition, Expr, ExprKind, Function, MacroTable, Span, TestKind};

/// The reason given when an evaluation bound is hit.
pub const EVALUATION_LIMIT: &str = "evaluation limit";

/// The reason of the value of a call that raises (`erlang:error/1`, ...):
/// a branch that raises is not a possible result.
pub const RAISES: &str = "raises an exception";

/// Whether `v` is a fun taking `arity` arguments.
fn is_fun_of_arity(v: &Val, arity: usize) -> bool {
    match v.kind() {
        Value::Fun(c) => match c.as_ref() {
            Closure::Named { arity: a, .. } => *a as usize == arity,
            Closure::Lambda { clauses, .. } => clauses.iter().all(|c| c.patterns.len() == arity),
        },
        _ => false,
    }
}

/// Whether a start function's value is a started process: a pid or
/// `{ok, Pid}`, on some branch.
fn starts_process(v: &Val) -> bool {
    match v.kind() {
        Value::Pid(_) => true,
        Value::Tuple(es) => es.iter().any(|e| matches!(e.kind(), Value::Pid(_))),
        Value::Alt(alts) => alts.iter().any(|(_, x)| starts_process(x)),
        _ => false,
    }
}

/// The longest condition text kept: conditions joined and merged grow
/// without bound otherwise, and every clone copies them.
const COND_TEXT: usize = 480;

/// Calls whose values the evaluator remembers, at most.
const MEMO_ENTRIES: usize = 4096;

/// Values larger than this ([`Val::size`]) are not remembered.
const MEMO_VALUE_SIZE: u32 = 2_000;

/// Arguments larger than this are not looked up: the key costs their size.
const MEMO_ARGS_SIZE: u32 = 256;

/// The key a call's value is remembered under: a hash of the function
/// and its arguments with every part's place (a value keeps the places of
/// the arguments it is built from), conditions included. None for
/// arguments holding a fun or a process, whose keys do not tell them
/// apart, or too large ones.
fn memo_key(f: &FnKey, args: &[Val]) -> Option<(u64, u64)> {
    use std::hash::{Hash, Hasher};
    fn walk(v: &Val, h: &mut impl Hasher) -> Option<()> {
        if let Some(l) = v.loc() {
            (&*l.file, l.line, l.column).hash(h);
        }
        std::mem::discriminant(v.kind()).hash(h);
        match v.kind() {
            Value::Fun(_) | Value::Pid(_) => return None,
            Value::Tuple(es) => {
                es.len().hash(h);
                for e in es {
                    walk(e, h)?;
                }
            }
            Value::List(items) => {
                items.len().hash(h);
                for i in items {
                    match i {
                        Item::One(e) => {
                            0u8.hash(h);
                            walk(e, h)?;
                        }
                        Item::Splice(e) => {
                            1u8.hash(h);
                            walk(e, h)?;
                        }
                        Item::Many { template, reason } => {
                            reason.hash(h);
                            walk(template, h)?;
                        }
                    }
                }
            }
            Value::Map(kvs) => {
                kvs.len().hash(h);
                for (k, x) in kvs {
                    walk(k, h)?;
                    walk(x, h)?;
                }
            }
            Value::Record { name, fields } => {
                name.hash(h);
                for (k, x) in fields {
                    k.hash(h);
                    walk(x, h)?;
                }
            }
            Value::Alt(alts) => {
                alts.len().hash(h);
                for (c, x) in alts {
                    c.hash(h);
                    walk(x, h)?;
                }
            }
            _ => v.key_fp().hash(h),
        }
        Some(())
    }
    if args.iter().map(Val::size).sum::<u32>() > MEMO_ARGS_SIZE {
        return None;
    }
    // Two hashes with different seeds: a collision would give a call the
    // value of another.
    let mut a = std::collections::hash_map::DefaultHasher::new();
    let mut b = std::collections::hash_map::DefaultHasher::new();
    0x9e37_79b9_7f4a_7c15u64.hash(&mut b);
    for h in [&mut a, &mut b] {
        f.hash(h);
        for v in args {
            walk(v, h)?;
        }
    }
    Some((a.finish(), b.finish()))
}

/// Subjects with more alternatives than this are matched whole.
const MAX_SPLIT: usize = 16;

/// One condition standing for all of `path`.
pub fn conj(path: &[Cond]) -> Cond {
    Cond::new(
        shorten(
            &path
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()
                .join(" and "),
            COND_TEXT,
        ),
        path.iter()
            .map(|c| c.default)
            .fold(Some(true), super::value::and3),
    )
}

/// Bounds on one evaluation.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Expressions evaluated in one top-level evaluation.
    pub steps: usize,
    /// Nested function calls.
    pub depth: usize,
    /// Calls of one function on the stack at once (recursion).
    pub same_function: usize,
    /// Alternatives of one `Alt`.
    pub alternatives: usize,
    /// Elements a comprehension or list function builds.
    pub list: usize,
    /// Terms in one value ([`Val::size`]): alternatives nested in
    /// alternatives grow values geometrically, and every walk over them
    /// costs their size.
    pub value_size: u32,
}

/// The default of [`Limits::steps`] (`--max-steps`).
pub const DEFAULT_STEPS: usize = 10_000;

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            steps: DEFAULT_STEPS,
            depth: 24,
            same_function: 12,
            alternatives: 16,
            list: 512,
            value_size: 20_000,
        }
    }
}

impl Limits {
    /// The default limits with `steps` evaluation steps (`--max-steps`;
    /// `None`: the default).
    pub fn with_steps(steps: Option<usize>) -> Limits {
        Limits {
            steps: steps.unwrap_or(DEFAULT_STEPS).max(1),
            ..Limits::default()
        }
    }

    /// These limits with a fifth of the steps, for what runs only at run
    /// time (a child a `start_child` call adds, a wrapper's call): what
    /// finishes does so in under 2 000 steps on OTP's sources, and the
    /// rest (start functions that parse options at length) would stop at
    /// the bound anyway, having cost five times as much.
    pub fn run_time_share(self) -> Limits {
        Limits {
            steps: self.steps / 5,
            ..self
        }
    }
}

/// The module an expression is evaluated in.
#[derive(Debug)]
pub struct ModCtx {
    /// Module name.
    pub name: String,
    /// Relative path of its file.
    pub file: Arc<str>,
    /// The app whose `src/` holds it.
    pub app: Option<String>,
}

impl ModCtx {
    /// The location of a span in this module.
    pub fn loc(&self, span: Span) -> Option<Loc> {
        Some(Loc {
            file: self.file.clone(),
            line: span.line,
            column: span.column,
            end: span.end,
        })
    }
}

/// One definition of a function: more than one when conditional
/// compilation defines it differently.
#[derive(Debug)]
pub struct FnDef {
    /// The condition this definition is compiled under (only set when
    /// there are several).
    pub cond: Option<Cond>,
    /// The function, macros expanded.
    pub function: Arc<Function>,
    /// Its module.
    pub module: Rc<ModCtx>,
}

type FnKey = (String, String, u32);

/// The project's code as the evaluator reads it: functions parsed and
/// macro-expanded once, on first use.
pub struct Code<'p> {
    pub project: &'p Project,
    functions: RefCell<HashMap<FnKey, Option<Rc<Vec<FnDef>>>>>,
    modules: RefCell<HashMap<String, Option<Rc<ModCtx>>>>,
    /// `.app.src` env per app: key -> value.
    env: Arc<AppEnv>,
}

/// Each application's `.app.src` env: app -> key -> value.
pub type AppEnv = HashMap<String, HashMap<String, Val>>;

impl<'p> Code<'p> {
    /// Reads nothing yet: functions are parsed when first called.
    pub fn new(project: &'p Project) -> Code<'p> {
        Code::with_env(project, Arc::new(Code::read_env(project)))
    }

    /// A `Code` with the env [`Code::read_env`] gave: for one `Code` per
    /// thread, which would otherwise each read every app's env.
    pub fn with_env(project: &'p Project, env: Arc<AppEnv>) -> Code<'p> {
        Code {
            project,
            functions: RefCell::new(HashMap::new()),
            modules: RefCell::new(HashMap::new()),
            env,
        }
    }

    /// The env this `Code` reads, for another `Code` on another thread.
    pub fn env(&self) -> Arc<AppEnv> {
        self.env.clone()
    }

    /// Every application's env as values.
    pub fn read_env(project: &Project) -> AppEnv {
        let mut env: AppEnv = HashMap::new();
        for app in &project.apps {
            let entries = env.entry(app.name.clone()).or_default();
            for e in &app.env {
                let loc = Some(Loc {
                    file: Arc::from(app.file.as_str()),
                    line: e.line,
                    column: 1,
                    end: 0,
                });
                if let Some(v) = term_text_value(&e.value, loc) {
                    entries.entry(e.key.clone()).or_insert(v);
                }
            }
        }
        env
    }

    /// The module's context, if the project has it.
    pub fn module(&self, name: &str) -> Option<Rc<ModCtx>> {
        if let Some(m) = self.modules.borrow().get(name) {
            return m.clone();
        }
        let ctx = self.project.sources.module(name).map(|m| {
            Rc::new(ModCtx {
                name: m.name.clone(),
                file: Arc::from(m.file.as_str()),
                app: m.app.clone(),
            })
        });
        self.modules
            .borrow_mut()
            .insert(name.to_owned(), ctx.clone());
        ctx
    }

    /// The definitions of `m:f/a`, parsed and expanded on first use.
    pub fn function(&self, module: &str, name: &str, arity: u32) -> Option<Rc<Vec<FnDef>>> {
        let key = (module.to_owned(), name.to_owned(), arity);
        if let Some(f) = self.functions.borrow().get(&key) {
            return f.clone();
        }
        let defs = self.load_function(module, name, arity);
        self.functions.borrow_mut().insert(key, defs.clone());
        defs
    }

    fn load_function(&self, module: &str, name: &str, arity: u32) -> Option<Rc<Vec<FnDef>>> {
        let src = self.project.sources.module(module)?;
        let ctx = self.module(module)?;
        let entries: Vec<_> = src.index.function_entries(name, arity).collect();
        if entries.is_empty() {
            return None;
        }
        let several = entries.len() > 1;
        let defs = entries
            .iter()
            .map(|e| FnDef {
                cond: several.then(|| condition_cond(&e.condition, &src.macros)),
                function: src.macros.expand_shared(&e.function()),
                module: ctx.clone(),
            })
            .collect();
        Some(Rc::new(defs))
    }

    /// The `.app.src` env value of `app`'s `key`.
    pub fn app_env(&self, app: &str, key: &str) -> Option<&Val> {
        self.env.get(app)?.get(key)
    }

    /// True when the project defines the module.
    pub fn has_module(&self, name: &str) -> bool {
        self.project.sources.module(name).is_some()
    }
}

/// A conditional-compilation condition as a [`Cond`]: in the default build
/// the macros no file defines unconditionally are taken as undefined.
pub fn condition_cond(c: &Condition, macros: &MacroTable) -> Cond {
    let mut default = Some(true);
    for t in c.terms() {
        let test = match t.kind {
            TestKind::If => None,
            TestKind::Ifdef | TestKind::Ifndef => {
                let defs = macros.definitions(&t.text);
                let defined = if crate::syntax::macros::PREDEFINED.contains(&t.text.as_str())
                    || defs.iter().any(|d| d.condition.is_always())
                {
                    Some(true)
                } else if defs.is_empty() {
                    Some(false)
                } else {
                    None
                };
                defined.map(|d| if t.kind == TestKind::Ifdef { d } else { !d })
            }
        };
        default = super::value::and3(default, test.map(|v| t.holds_when(v)));
    }
    Cond::new(c.to_string(), default)
}

/// Reads a term printed in Erlang syntax (an `.app.src` env value, an
/// application start argument) as a value.
pub fn term_text_value(text: &str, loc: Option<Loc>) -> Option<Val> {
    use crate::syntax::{index_module, SourceFile};
    let src = format!("-module('$term').\nt() ->\n{text}\n.\n");
    let index = index_module(SourceFile::from_text("$term", src));
    let f = index.function("t", 0)?;
    let body = &f.clauses.first()?.body;
    let [expr] = body.as_slice() else {
        return None;
    };
    let ctx = ModCtx {
        name: String::new(),
        file: Arc::from(""),
        app: None,
    };
    let v = literal(&ctx, expr)?;
    Some(restamp_deep(&v, &loc))
}

/// A literal expression as a value (no variables, no calls).
fn literal(ctx: &ModCtx, e: &Expr) -> Option<Val> {
    let loc = None;
    let _ = ctx;
    Some(match &e.kind {
        ExprKind::Atom(a) => Val::atom(a, loc),
        ExprKind::Integer { value, .. } => Val::new(Value::Int((*value)?), loc),
        ExprKind::Float { value, .. } => Val::new(Value::Float(*value), loc),
        ExprKind::String(s) => Val::new(Value::Str(s.clone()), loc),
        ExprKind::Tuple(es) => Val::tuple(
            es.iter().map(|x| literal(ctx, x)).collect::<Option<_>>()?,
            loc,
        ),
        ExprKind::List { elems, tail } => {
            let mut items: Vec<Item> = elems
                .iter()
                .map(|x| literal(ctx, x).map(Item::One))
                .collect::<Option<_>>()?;
            if let Some(t) = tail {
                items.push(Item::Splice(literal(ctx, t)?));
            }
            Val::new(Value::List(inline_items(&items)), loc)
        }
        ExprKind::Map(fields) => Val::new(
            Value::Map(
                fields
                    .iter()
                    .map(|f| Some((literal(ctx, &f.key)?, literal(ctx, &f.value)?)))
                    .collect::<Option<_>>()?,
            ),
            loc,
        ),
        ExprKind::Binary(_) => binary_literal(e)?,
        ExprKind::UnaryOp {
            op: UnaryOp::Minus,
            operand,
        } => match literal(ctx, operand)?.kind() {
            Value::Int(i) => Val::new(Value::Int(-i), loc),
            Value::Float(f) => Val::new(Value::Float(-f), loc),
            _ => return None,
        },
        _ => return None,
    })
}

fn binary_literal(e: &Expr) -> Option<Val> {
    let ExprKind::Binary(els) = &e.kind else {
        return None;
    };
    let mut text = String::new();
    for el in els {
        if el.size.is_some() {
            return None;
        }
        match &el.value.kind {
            ExprKind::String(s) if el.types.iter().all(|t| t == "utf8") => text.push_str(s),
            _ => return None,
        }
    }
    Some(Val::new(Value::Binary(text), None))
}

fn restamp_deep(v: &Val, loc: &Option<Loc>) -> Val {
    let kind = match v.kind() {
        Value::Tuple(es) => Value::Tuple(es.iter().map(|e| restamp_deep(e, loc)).collect()),
        Value::List(items) => Value::List(
            items
                .iter()
                .map(|i| match i {
                    Item::One(e) => Item::One(restamp_deep(e, loc)),
                    other => other.clone(),
                })
                .collect(),
        ),
        Value::Map(kvs) => Value::Map(
            kvs.iter()
                .map(|(k, x)| (restamp_deep(k, loc), restamp_deep(x, loc)))
                .collect(),
        ),
        other => other.clone(),
    };
    Val::new(kind, loc.clone())
}

/// The result of matching a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// It matches, whatever the unknown parts are.
    Yes,
    /// It cannot match.
    No,
    /// It may match.
    Maybe,
}

impl Match {
    /// Both must match.
    pub fn and(self, other: Match) -> Match {
        match (self, other) {
            (Match::No, _) | (_, Match::No) => Match::No,
            (Match::Yes, Match::Yes) => Match::Yes,
            _ => Match::Maybe,
        }
    }
}

/// A clause that may be taken, with its bindings.
pub(super) struct Branch {
    pub index: usize,
    pub env: Env,
    /// Whether the default build takes this clause.
    pub default: Option<bool>,
    /// When only some alternatives of the subject take it: which.
    pub via: Option<String>,
}

impl Branch {
    /// The condition of taking this clause, described by `what`.
    fn cond(&self, what: String) -> Cond {
        let text = match &self.via {
            Some(v) => format!("{what} ({v})"),
            None => what,
        };
        Cond::new(shorten(&text, 240), self.default)
    }
}

/// Cuts a long condition text.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        format!("{}...", s.chars().take(max - 3).collect::<String>())
    }
}

/// A `supervisor:start_child/2` call the evaluator ran: when a start
/// function adds children to the supervisor it has just started (before
/// returning to its own supervisor), they are part of the tree at boot.
#[derive(Debug, Clone)]
pub struct StartChildEffect {
    /// The supervisor argument: a started process, or a name.
    pub target: Val,
    /// The child spec argument.
    pub spec: Val,
    /// The branches the call is on (empty: always made).
    pub path: Vec<Cond>,
    /// Set when the call stands for one per element of a list not known.
    pub computed: Option<String>,
    /// Where the call is.
    pub loc: Option<Loc>,
}

/// Evaluates functions over partially known values.
pub struct Evaluator<'c, 'p> {
    pub code: &'c Code<'p>,
    pub limits: Limits,
    steps: usize,
    /// The step count past which the value being evaluated gives up: a
    /// statement whose value is not the body's may spend only part of
    /// what is left ([`Evaluator::eval_body`]), so that a costly
    /// statement leaves steps for the value the body returns.
    ceiling: usize,
    stack: Vec<FnKey>,
    /// Set when a bound was hit since the last [`Evaluator::begin`].
    pub limit_hit: bool,
    /// The first bound hit since the last [`Evaluator::begin`], and where.
    pub first_limit: Option<String>,
    /// What was assumed since the last [`Evaluator::begin`] (a fun given
    /// to a function not in the project taken as called), for notes.
    pub assumed: Vec<String>,
    /// Bounds hit so far, to tell whether a call's value was cut.
    limit_hits: usize,
    /// Values of calls of the project's functions by their arguments
    /// ([`memo_key`]): a function called again with the same arguments,
    /// by the same or another start function, is evaluated once.
    memo: HashMap<(u64, u64), Val>,
    /// Conditions of the branches being evaluated, innermost last.
    path: Vec<Cond>,
    /// Reasons of the comprehensions over unknown lists being evaluated.
    many: Vec<String>,
    /// `supervisor:start_child/2` calls run since the last
    /// [`Evaluator::begin`].
    pub start_child_effects: Vec<StartChildEffect>,
    /// Functions that call `supervisor:start_child/2` themselves: a call to
    /// one is evaluated even when its value is dropped.
    pub adds_children: Arc<HashSet<FnKey>>,
    /// Calls answered by whoever runs the evaluation before the library
    /// functions and the project are looked at (a configuration script's
    /// `file:consult/1`, `os:getenv/1`).
    pub host: Option<Rc<dyn Host>>,
}

/// Remote calls answered outside the evaluator: `None` leaves the call to
/// the library functions and the project.
pub trait Host {
    fn call(
        &self,
        ev: &mut Evaluator<'_, '_>,
        module: &str,
        function: &str,
        args: &[Val],
        at: &Option<Loc>,
    ) -> Option<Val>;
}

impl<'c, 'p> Evaluator<'c, 'p> {
    /// An evaluator with the default limits.
    pub fn new(code: &'c Code<'p>) -> Evaluator<'c, 'p> {
        Evaluator {
            code,
            limits: Limits::default(),
            steps: 0,
            ceiling: usize::MAX,
            stack: Vec::new(),
            limit_hit: false,
            first_limit: None,
            assumed: Vec::new(),
            limit_hits: 0,
            memo: HashMap::new(),
            path: Vec::new(),
            many: Vec::new(),
            start_child_effects: Vec::new(),
            adds_children: Arc::default(),
            host: None,
        }
    }

    /// Whether `e` calls `supervisor:start_child/2` or a function of
    /// [`Evaluator::adds_children`] (looked for in funs too, for
    /// `lists:foreach/2`). Calls whose value is dropped are skipped
    /// otherwise.
    pub(super) fn may_add_children(&self, module: &str, e: &Expr) -> bool {
        let mut found = false;
        crate::syntax::walk_expr(e, Default::default(), &mut |x, _| {
            if let ExprKind::Call {
                module: m,
                function,
                args,
            } = &x.kind
            {
                let m = match m {
                    Some(m) => m.as_atom(),
                    None => Some(module),
                };
                if let (Some(m), Some(f)) = (m, function.as_atom()) {
                    if (m, f, args.len()) == ("supervisor", "start_child", 2)
                        || self.adds_children.contains(&(
                            m.to_owned(),
                            f.to_owned(),
                            args.len() as u32,
                        ))
                    {
                        found = true;
                    }
                }
            }
            if found {
                crate::syntax::Walk::SkipChildren
            } else {
                crate::syntax::Walk::Continue
            }
        });
        found
    }

    /// Starts a new top-level evaluation with a fresh budget.
    pub fn begin(&mut self) {
        self.steps = 0;
        self.ceiling = usize::MAX;
        self.stack.clear();
        self.limit_hit = false;
        self.first_limit = None;
        self.assumed.clear();
        self.path.clear();
        self.many.clear();
        self.start_child_effects.clear();
    }

    /// Records a `supervisor:start_child(Target, Spec)` call.
    pub(super) fn record_start_child(&mut self, target: &Val, spec: &Val, at: &Option<Loc>) {
        if self.start_child_effects.len() >= self.limits.list {
            return;
        }
        self.start_child_effects.push(StartChildEffect {
            target: target.clone(),
            spec: spec.clone(),
            path: self.path.clone(),
            computed: self.many.last().cloned(),
            loc: at.clone(),
        });
    }

    /// Evaluates `f` as the template of a list's elements not known.
    pub(super) fn for_many<T>(&mut self, reason: &str, f: impl FnOnce(&mut Self) -> T) -> T {
        self.many.push(reason.to_owned());
        let r = f(self);
        self.many.pop();
        r
    }

    /// Evaluates `f` on the branch `cond`.
    fn on_branch<T>(&mut self, cond: &Cond, f: impl FnOnce(&mut Self) -> T) -> T {
        self.path.push(cond.clone());
        let r = f(self);
        self.path.pop();
        r
    }

    /// Calls `m:f(args)` as the code would.
    pub fn call(&mut self, module: &str, function: &str, args: Vec<Val>, at: Option<Loc>) -> Val {
        self.remote_call(None, module, function, args, at)
    }

    pub(super) fn limit(&mut self, what: &str, at: Option<Loc>) -> Val {
        if !self.limit_hit {
            self.first_limit = Some(match &at {
                Some(l) => format!("{what} at {l}"),
                None => what.to_owned(),
            });
        }
        self.limit_hit = true;
        self.limit_hits += 1;
        Val::unknown(format!("{EVALUATION_LIMIT}: {what}"), at)
    }

    /// A remote call: a library function the evaluator knows, or a function
    /// of the project.
    pub(super) fn remote_call(
        &mut self,
        ctx: Option<&ModCtx>,
        module: &str,
        function: &str,
        args: Vec<Val>,
        at: Option<Loc>,
    ) -> Val {
        if let Some(host) = self.host.clone() {
            if let Some(v) = host.call(self, module, function, &args, &at) {
                return v;
            }
        }
        if let Some(v) = super::builtins::call(self, ctx, module, function, &args, &at) {
            return v;
        }
        // A clone of an OTP behaviour (`supervisor2`) is called as the original.
        let project = self.code.project;
        if let Some((alias, otp_args)) = project.behaviour_aliases.otp_call(module, function, &args)
        {
            let otp = alias.behaviour.as_str();
            if let Some(v) = super::builtins::call(self, ctx, otp, function, &otp_args, &at) {
                return v;
            }
        }
        if self.code.has_module(module) {
            return self.apply(module, function, args, at);
        }
        let call = format!(
            "{}:{}/{}",
            crate::syntax::print::atom_text(module),
            crate::syntax::print::atom_text(function),
            args.len()
        );
        // `tracker:run(fun () -> do_start() end)`: a function not in the
        // project given a fun most likely calls it. When the fun starts a
        // process, that is taken as what the call starts, and said.
        let mut funs = args.iter().filter(|a| is_fun_of_arity(a, 0));
        if let (Some(fun), None) = (funs.next(), funs.next()) {
            let v = self.apply_fun(fun, Vec::new(), at.clone());
            if starts_process(&v) {
                self.assumed.push(format!(
                    "{call} is not in the project: assumed it calls the fun it is given \
                     (at {})",
                    at.as_ref().map_or("?".to_owned(), |l| l.to_string())
                ));
                return v;
            }
        }
        Val::external(call, at)
    }

    /// Applies a function of the project to arguments.
    pub(super) fn apply(
        &mut self,
        module: &str,
        function: &str,
        args: Vec<Val>,
        at: Option<Loc>,
    ) -> Val {
        let arity = args.len() as u32;
        let Some(defs) = self.code.function(module, function, arity) else {
            return Val::unknown(
                format!(
                    "{}:{}/{arity} is not defined",
                    crate::syntax::print::atom_text(module),
                    crate::syntax::print::atom_text(function)
                ),
                at,
            );
        };
        if self.stack.len() >= self.limits.depth {
            return self.limit("call depth", at);
        }
        let key = (module.to_owned(), function.to_owned(), arity);
        if self.stack.iter().filter(|k| **k == key).count() >= self.limits.same_function {
            return self.limit("recursion", at);
        }
        let memo = memo_key(&key, &args);
        if let Some(v) = memo.as_ref().and_then(|k| self.memo.get(k)) {
            return v.at(at);
        }
        let (effects, hits) = (self.start_child_effects.len(), self.limit_hits);
        self.stack.push(key);
        let result = stacker::maybe_grow(256 * 1024, 4 * 1024 * 1024, || {
            if defs.len() == 1 {
                let d = &defs[0];
                self.apply_clauses(
                    &d.module,
                    &d.function.clauses,
                    &args,
                    &Env::new(),
                    &at,
                    |c| clause_head(&d.function.name, c),
                )
            } else {
                let mut alts = Vec::new();
                for d in defs.iter() {
                    let cond = d.cond.clone().unwrap_or_else(|| Cond::new("", None));
                    let v = self.on_branch(&cond, |ev| {
                        ev.apply_clauses(
                            &d.module,
                            &d.function.clauses,
                            &args,
                            &Env::new(),
                            &at,
                            |c| clause_head(&d.function.name, c),
                        )
                    });
                    alts.push((cond, v));
                }
                self.make_alt(alts, at.clone())
            }
        });
        self.stack.pop();
        // A value cut by a bound depends on the stack and the budget, and
        // a call that adds children must run again to add them again.
        if let Some(k) = memo {
            if self.limit_hits == hits
                && self.start_child_effects.len() == effects
                && self.memo.len() < MEMO_ENTRIES
                && result.size() <= MEMO_VALUE_SIZE
            {
                self.memo.insert(k, result.clone());
            }
        }
        // The value stands where it was asked for; its parts keep their places.
        result.at(at)
    }

    /// Runs the clauses of a function or fun on arguments.
    fn apply_clauses(
        &mut self,
        ctx: &ModCtx,
        clauses: &[Clause],
        args: &[Val],
        base: &Env,
        at: &Option<Loc>,
        describe: impl Fn(&Clause) -> String,
    ) -> Val {
        let branches = self.select(ctx, clauses, args, base);
        if branches.is_empty() {
            let shown: Vec<String> = args.iter().map(super::words::argument).collect();
            return Val::unknown(
                shorten(&format!("no clause matches ({})", shown.join(", ")), 480),
                at.clone(),
            );
        }
        let several = branches.len() > 1;
        let mut alts = Vec::new();
        for b in branches {
            let clause = &clauses[b.index];
            let cond = b.cond(format!("clause {}", describe(clause)));
            let mut env = b.env;
            let v = if several {
                self.on_branch(&cond, |ev| ev.eval_body(ctx, &clause.body, &mut env))
            } else {
                self.eval_body(ctx, &clause.body, &mut env)
            };
            alts.push((cond, v));
        }
        if several {
            self.make_alt(alts, at.clone())
        } else {
            alts.pop()
                .map(|(_, v)| v)
                .unwrap_or_else(|| Val::unknown("", None))
        }
    }

    /// The clauses that may be taken for `subject`, in order, up to the
    /// first that surely matches.
    pub(super) fn select(
        &mut self,
        ctx: &ModCtx,
        clauses: &[Clause],
        subject: &[Val],
        base: &Env,
    ) -> Vec<Branch> {
        #[derive(PartialEq)]
        enum D {
            Pending,
            Taken,
            Unknown,
        }
        let default_subject: Option<Vec<Val>> = subject.iter().map(Val::default_view).collect();
        let mut d = if default_subject.is_some() {
            D::Pending
        } else {
            D::Unknown
        };
        // Each alternative of a subject is matched on its own, so a clause
        // binds only the alternatives it can match (a guard prunes the
        // others), and alternatives a clause surely takes skip later ones.
        let split: Vec<Vec<(Vec<Cond>, Val)>> =
            subject.iter().map(|s| alternatives(s, MAX_SPLIT)).collect();
        let product = split
            .iter()
            .try_fold(1usize, |acc, a| acc.checked_mul(a.len()));
        let combos: Vec<(Vec<Cond>, Vec<Val>)> = match product {
            Some(n) if n > 1 && n <= MAX_SPLIT => {
                let mut combos: Vec<(Vec<Cond>, Vec<Val>)> = vec![(Vec::new(), Vec::new())];
                for alts in &split {
                    let mut next = Vec::new();
                    for (conds, vals) in &combos {
                        for (c, v) in alts {
                            let mut cs = conds.clone();
                            cs.extend(c.iter().cloned());
                            let mut vs = vals.clone();
                            vs.push(v.clone());
                            next.push((cs, vs));
                        }
                    }
                    combos = next;
                }
                combos
            }
            _ => vec![(Vec::new(), subject.to_vec())],
        };
        let mut live = vec![true; combos.len()];
        let mut out = Vec::new();
        for (i, c) in clauses.iter().enumerate() {
            if c.patterns.len() != subject.len() {
                continue;
            }
            let mut matched: Vec<(usize, Env)> = Vec::new();
            for (k, (_, vals)) in combos.iter().enumerate() {
                if !live[k] {
                    continue;
                }
                let mut env = base.clone();
                let r = self.match_clause(ctx, c, vals, &mut env);
                if r == Match::No {
                    continue;
                }
                if r == Match::Yes {
                    live[k] = false;
                }
                matched.push((k, env));
            }
            if matched.is_empty() {
                continue;
            }
            let via = (combos.len() > 1 && matched.len() < combos.len()).then(|| {
                matched
                    .iter()
                    .map(|(k, _)| conj(&combos[*k].0).text)
                    .collect::<Vec<_>>()
                    .join(" or ")
            });
            let env = if matched.len() == 1 {
                matched.pop().map(|(_, e)| e).unwrap_or_default()
            } else {
                let mut env = base.clone();
                let new_vars: Vec<String> = matched[0]
                    .1
                    .keys()
                    .filter(|k| !base.contains_key(*k))
                    .cloned()
                    .collect();
                for var in new_vars {
                    let alts: Vec<(Cond, Val)> = matched
                        .iter()
                        .filter_map(|(k, e)| Some((conj(&combos[*k].0), e.get(&var)?.clone())))
                        .collect();
                    let v = self.make_alt(alts, None);
                    env.insert(var, v);
                }
                env
            };
            let default = match d {
                D::Taken => Some(false),
                D::Unknown => None,
                D::Pending => {
                    let mut scratch = base.clone();
                    let ds = default_subject.as_deref().unwrap_or(&[]);
                    match self.match_clause(ctx, c, ds, &mut scratch) {
                        Match::Yes => {
                            d = D::Taken;
                            Some(true)
                        }
                        Match::No => Some(false),
                        Match::Maybe => {
                            d = D::Unknown;
                            None
                        }
                    }
                }
            };
            out.push(Branch {
                index: i,
                env,
                default,
                via,
            });
            if live.iter().all(|l| !l) || out.len() > self.limits.alternatives {
                break;
            }
        }
        out
    }

    fn match_clause(&mut self, ctx: &ModCtx, c: &Clause, subject: &[Val], env: &mut Env) -> Match {
        let mut r = Match::Yes;
        for (p, v) in c.patterns.iter().zip(subject) {
            r = r.and(self.match_pattern(ctx, p, v, env));
            if r == Match::No {
                return r;
            }
        }
        r.and(self.guards(ctx, &c.guards, env))
    }

    /// An `Alt` from alternatives: raising ones dropped, equal ones merged,
    /// a single one returned as is.
    pub fn make_alt(&mut self, alts: Vec<(Cond, Val)>, at: Option<Loc>) -> Val {
        let mut kept: Vec<(Cond, Val)> = Vec::new();
        let mut raising = None;
        for (c, v) in alts {
            if is_raise(&v) {
                raising = Some(v);
                continue;
            }
            if let Some((kc, _)) = kept.iter_mut().find(|(_, kv)| kv.key_fp() == v.key_fp()) {
                // The same value on two branches: it holds under either.
                kc.default = super::value::or3(kc.default, c.default);
                // Capped: merged again and again, the text grew to
                // megabytes, copied on every clone (kazoo: 1.3 GB).
                kc.text = shorten(&format!("{} or {}", kc.text, c.text), COND_TEXT);
                continue;
            }
            kept.push((c, v));
        }
        match kept.len() {
            0 => raising.unwrap_or_else(|| Val::unknown("no value", at)),
            1 => kept
                .pop()
                .map(|(_, v)| v)
                .unwrap_or_else(|| Val::unknown("", None)),
            n if n > self.limits.alternatives => self.limit("too many alternatives", at),
            _ => Val::new(Value::Alt(kept), at),
        }
    }

    /// Evaluates a body; the value of the last expression.
    pub(super) fn eval_body(&mut self, ctx: &ModCtx, body: &[Expr], env: &mut Env) -> Val {
        let Some((last, init)) = body.split_last() else {
            return Val::unknown("empty body", None);
        };
        let needed = needed_statements(init, last, &|e| self.may_add_children(&ctx.name, e));
        for (e, needed) in init.iter().zip(needed) {
            if let ExprKind::Call { .. } = &e.kind {
                if raises_call(e) {
                    return Val::unknown(RAISES, ctx.loc(e.span));
                }
            }
            if !needed {
                continue;
            }
            let v = self.within_share(|ev| ev.eval(ctx, e, env));
            if is_raise(&v) {
                return v;
            }
        }
        self.eval(ctx, last, env)
    }

    /// Evaluates expressions in order, each but the last with a share of
    /// the steps left ([`Evaluator::within_share`]): one costly element
    /// leaves the others known.
    fn eval_each(&mut self, ctx: &ModCtx, es: &[Expr], env: &mut Env) -> Vec<Val> {
        let last = es.len().saturating_sub(1);
        es.iter()
            .enumerate()
            .map(|(i, x)| {
                if i < last {
                    self.within_share(|ev| ev.eval(ctx, x, env))
                } else {
                    self.eval(ctx, x, env)
                }
            })
            .collect()
    }

    /// True when the value being evaluated has spent its steps.
    fn out_of_steps(&self) -> bool {
        self.steps > self.ceiling.min(self.limits.steps)
    }

    /// Runs `f` with at most half of the steps left: a statement before
    /// the body's value (a config read, a lookup, a loop) cannot take the
    /// steps the returned value needs, so what runs out is only its own
    /// value (degrading locally, issue 15).
    fn within_share<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        let saved = self.ceiling;
        let bound = saved.min(self.limits.steps);
        self.ceiling = self.steps + bound.saturating_sub(self.steps) / 2;
        let r = f(self);
        self.ceiling = saved;
        r
    }

    /// Evaluates one expression, binding what its matches bind into `env`.
    pub fn eval(&mut self, ctx: &ModCtx, e: &Expr, env: &mut Env) -> Val {
        self.steps += 1;
        if self.out_of_steps() {
            return self.limit("too many steps", ctx.loc(e.span));
        }
        let v = stacker::maybe_grow(128 * 1024, 2 * 1024 * 1024, || self.eval_inner(ctx, e, env));
        if v.size() > self.limits.value_size {
            return self.limit("value too large", ctx.loc(e.span));
        }
        v
    }

    fn eval_inner(&mut self, ctx: &ModCtx, e: &Expr, env: &mut Env) -> Val {
        let loc = ctx.loc(e.span);
        use ExprKind as K;
        match &e.kind {
            K::Atom(a) => Val::atom(a, loc),
            K::Var(v) => match env.get(v) {
                Some(val) => val.clone(),
                None => Val::unknown(format!("unbound variable {v}"), loc),
            },
            K::Integer { value, .. } => match value {
                Some(i) => Val::new(Value::Int(*i), loc),
                None => Val::unknown("integer too large", loc),
            },
            K::Float { value, .. } => Val::new(Value::Float(*value), loc),
            K::String(s) => Val::new(Value::Str(s.clone()), loc),
            K::Concat(parts) => {
                let mut text = String::new();
                for p in parts {
                    let v = self.eval(ctx, p, env);
                    match v.as_text() {
                        Some(t) if !matches!(v.kind(), Value::Atom(_)) => text.push_str(&t),
                        _ => return Val::unknown(format!("string built from {p}"), loc),
                    }
                }
                Val::new(Value::Str(text), loc)
            }
            K::Binary(els) => self.binary(ctx, els, env, loc),
            K::Tuple(es) => {
                let vs = self.eval_each(ctx, es, env);
                Val::tuple(vs, loc)
            }
            K::List { elems, tail } => {
                let last = elems.len().saturating_sub(1);
                let mut items: Vec<Item> = elems
                    .iter()
                    .enumerate()
                    .map(|(i, x)| {
                        Item::One(if i < last || tail.is_some() {
                            self.within_share(|ev| ev.eval(ctx, x, env))
                        } else {
                            self.eval(ctx, x, env)
                        })
                    })
                    .collect();
                if let Some(t) = tail {
                    items.push(Item::Splice(self.eval(ctx, t, env)));
                }
                Val::new(Value::List(inline_items(&items)), loc)
            }
            K::Map(fields) => {
                let kvs = fields
                    .iter()
                    .map(|f| (self.eval(ctx, &f.key, env), self.eval(ctx, &f.value, env)))
                    .collect();
                Val::new(Value::Map(kvs), loc)
            }
            K::MapUpdate { base, fields } => {
                let b = self.eval(ctx, base, env);
                let kvs: Vec<(Val, Val)> = fields
                    .iter()
                    .map(|f| (self.eval(ctx, &f.key, env), self.eval(ctx, &f.value, env)))
                    .collect();
                self.lift1(&b, loc.clone(), &mut |_, b| {
                    map_update(b, &kvs, loc.clone())
                })
            }
            K::Record { name, fields } => {
                let fs = fields
                    .iter()
                    .map(|f| {
                        let v = match &f.value {
                            Some(x) => self.eval(ctx, x, env),
                            None => Val::atom("undefined", loc.clone()),
                        };
                        (f.name.clone(), v)
                    })
                    .collect();
                Val::new(
                    Value::Record {
                        name: name.clone(),
                        fields: fs,
                    },
                    loc,
                )
            }
            K::RecordUpdate { base, name, fields } => {
                let b = self.eval(ctx, base, env);
                let new: Vec<(String, Val)> = fields
                    .iter()
                    .filter_map(|f| Some((f.name.clone(), self.eval(ctx, f.value.as_ref()?, env))))
                    .collect();
                match b.kind() {
                    Value::Record { name: n, fields } if n == name => {
                        let mut fs = fields.clone();
                        for (k, v) in new {
                            match fs.iter_mut().find(|(f, _)| *f == k) {
                                Some(slot) => slot.1 = v,
                                None => fs.push((k, v)),
                            }
                        }
                        Val::new(
                            Value::Record {
                                name: name.clone(),
                                fields: fs,
                            },
                            loc,
                        )
                    }
                    _ => Val::unknown(format!("record #{name}{{}} not known"), loc),
                }
            }
            K::RecordField { base, name, field } => {
                let b = self.eval(ctx, base, env);
                match b.kind() {
                    Value::Record { name: n, fields } if n == name => fields
                        .iter()
                        .find(|(f, _)| f == field)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_else(|| {
                            Val::unknown(format!("default of #{name}.{field}"), loc)
                        }),
                    Value::Unknown(u) => Val::new(Value::Unknown(u.clone()), loc),
                    _ => Val::unknown(format!("field #{name}.{field} not known"), loc),
                }
            }
            K::RecordIndex { .. } => Val::unknown("record field index", loc),
            K::Call {
                module,
                function,
                args,
            } => self.eval_call(ctx, module.as_deref(), function, args, env, loc),
            K::Remote { .. } => Val::unknown(format!("{e}"), loc),
            K::FunRef {
                module,
                function,
                arity,
            } => {
                let m = match module {
                    Some(m) => self.eval(ctx, m, env),
                    None => Val::atom(&ctx.name, loc.clone()),
                };
                let f = self.eval(ctx, function, env);
                let a = self.eval(ctx, arity, env);
                match (m.as_atom(), f.as_atom(), a.as_int()) {
                    (Some(m), Some(f), Some(a)) => Val::new(
                        Value::Fun(Arc::new(Closure::Named {
                            module: m.to_owned(),
                            function: f.to_owned(),
                            arity: a as u32,
                        })),
                        loc,
                    ),
                    _ => Val::unknown(format!("{e}"), loc),
                }
            }
            K::Fun { clauses, name } => Val::new(
                Value::Fun(Arc::new(Closure::Lambda {
                    module: ctx.name.clone(),
                    clauses: Arc::new(clauses.clone()),
                    env: Arc::new(env.clone()),
                    name: name.clone(),
                })),
                loc,
            ),
            K::Match { pattern, value } => {
                if !has_vars(pattern) && !self.may_add_children(&ctx.name, value) {
                    if let ExprKind::Call { .. } = value.kind {
                        // Nothing to bind: the call's value does not matter.
                        if raises_call(value) {
                            return Val::unknown(RAISES, loc);
                        }
                        return Val::unknown(format!("{value}"), loc);
                    }
                }
                let v = self.eval(ctx, value, env);
                if is_raise(&v) {
                    return v;
                }
                let mut scratch = env.clone();
                match self.match_pattern(ctx, pattern, &v, &mut scratch) {
                    Match::No => Val::unknown(RAISES, loc),
                    _ => {
                        *env = scratch;
                        v
                    }
                }
            }
            K::MaybeMatch { .. } | K::Maybe { .. } => Val::unknown("maybe expression", loc),
            K::BinaryOp { op, lhs, rhs } => self.binary_op(ctx, *op, lhs, rhs, env, loc),
            K::UnaryOp { op, operand } => {
                let v = self.eval(ctx, operand, env);
                let op = *op;
                self.lift1(&v, loc.clone(), &mut |_, v| unary(op, v, loc.clone()))
            }
            K::Case { expr, clauses } => {
                let s = self.eval(ctx, expr, env);
                if is_raise(&s) {
                    return s;
                }
                let scrut = format!("{expr}");
                self.branch(ctx, clauses, &[s], env, loc, |c| {
                    if super::words::is_catch_all(c) {
                        format!("{scrut} is any other value")
                    } else {
                        format!("{scrut} matches {}", clause_text(c))
                    }
                })
            }
            K::If(clauses) => self.branch(ctx, clauses, &[], env, loc, |c| {
                guards_text(&c.guards).unwrap_or_else(|| "true".to_owned())
            }),
            K::Receive { .. } => Val::unknown("value received from a message", loc),
            K::Try {
                body, of_clauses, ..
            } => {
                let mut inner = env.clone();
                let v = self.eval_body(ctx, body, &mut inner);
                if of_clauses.is_empty() || is_raise(&v) {
                    return v;
                }
                let scrut = "try".to_owned();
                self.branch(ctx, of_clauses, &[v], env, loc, |c| {
                    if super::words::is_catch_all(c) {
                        format!("{scrut} result is any other value")
                    } else {
                        format!("{scrut} result matches {}", clause_text(c))
                    }
                })
            }
            K::Catch(x) => self.eval(ctx, x, env),
            K::Block(es) => self.eval_body(ctx, es, env),
            K::ListComprehension {
                template,
                qualifiers,
            } => {
                let mut items = Vec::new();
                let mut count = 0;
                self.comprehension(
                    ctx,
                    template,
                    qualifiers,
                    env.clone(),
                    &mut items,
                    &mut count,
                    &loc,
                );
                Val::new(Value::List(inline_items(&items)), loc)
            }
            K::BinaryComprehension { .. } => Val::unknown("binary comprehension", loc),
            K::MapComprehension { .. } => Val::unknown("map comprehension", loc),
            K::Macro {
                name, unresolved, ..
            } => Val::unknown(
                format!(
                    "{}: {}",
                    crate::syntax::macros::macro_text(name),
                    unresolved.as_deref().unwrap_or("not expanded")
                ),
                loc,
            ),
            K::MacroString(s) => Val::new(Value::Str(s.clone()), loc),
            K::Conditional(alts) => {
                let src = self.code.project.sources.module(&ctx.name);
                let mut out = Vec::new();
                for a in alts {
                    let cond = match src {
                        Some(s) => condition_cond(&a.condition, &s.macros),
                        None => Cond::new(a.condition.to_string(), None),
                    };
                    let mut inner = env.clone();
                    out.push((cond, self.eval(ctx, &a.expr, &mut inner)));
                }
                self.make_alt(out, loc)
            }
            K::Error(reason) => Val::unknown(format!("syntax error: {reason}"), loc),
        }
    }

    /// A `case`, `if` or `try ... of`: the possible clauses, each body run
    /// with its bindings; variables bound on every branch stay bound.
    fn branch(
        &mut self,
        ctx: &ModCtx,
        clauses: &[Clause],
        subject: &[Val],
        env: &mut Env,
        loc: Option<Loc>,
        describe: impl Fn(&Clause) -> String,
    ) -> Val {
        let mut branches = self.select(ctx, clauses, subject, env);
        if branches.is_empty() {
            return Val::unknown(RAISES, loc);
        }
        if branches.len() == 1 {
            if let Some(b) = branches.pop() {
                let mut benv = b.env;
                let v = self.eval_body(ctx, &clauses[b.index].body, &mut benv);
                *env = benv;
                return v;
            }
        }
        let mut results: Vec<(Cond, Val, Env)> = Vec::new();
        for b in branches {
            let cond = b.cond(describe(&clauses[b.index]));
            let mut benv = b.env;
            let v = self.on_branch(&cond, |ev| {
                ev.eval_body(ctx, &clauses[b.index].body, &mut benv)
            });
            results.push((cond, v, benv));
        }
        results.retain(|(_, v, _)| !is_raise(v));
        if results.is_empty() {
            return Val::unknown(RAISES, loc);
        }
        // Variables every surviving branch binds.
        let new_vars: Vec<String> = results[0]
            .2
            .keys()
            .filter(|k| !env.contains_key(*k))
            .filter(|k| results.iter().all(|(_, _, e)| e.contains_key(*k)))
            .cloned()
            .collect();
        for var in new_vars {
            let alts: Vec<(Cond, Val)> = results
                .iter()
                .map(|(c, _, e)| (c.clone(), e[&var].clone()))
                .collect();
            let v = self.make_alt(alts, loc.clone());
            env.insert(var, v);
        }
        let alts = results.into_iter().map(|(c, v, _)| (c, v)).collect();
        self.make_alt(alts, loc)
    }

    fn eval_call(
        &mut self,
        ctx: &ModCtx,
        module: Option<&Expr>,
        function: &Expr,
        args: &[Expr],
        env: &mut Env,
        loc: Option<Loc>,
    ) -> Val {
        let argv: Vec<Val> = self.eval_each(ctx, args, env);
        if let Some(m) = module {
            let mv = self.eval(ctx, m, env);
            let fv = self.eval(ctx, function, env);
            let Some(f) = fv.as_atom().map(str::to_owned) else {
                return Val::unknown(
                    format!("call of a function known at run time: {fv}", fv = function),
                    loc,
                );
            };
            return self.lift1(&mv, loc.clone(), &mut |ev, mv| match mv.as_atom() {
                Some(m) => ev.remote_call(Some(ctx), m, &f, argv.clone(), loc.clone()),
                None => match mv.as_unknown() {
                    Some(u) => Val::unknown(
                        format!(
                            "call of {f}/{} in a module known at run time ({})",
                            argv.len(),
                            u.reason
                        ),
                        loc.clone(),
                    ),
                    None => Val::unknown(
                        format!("call of {f} in {}", super::words::value(mv)),
                        loc.clone(),
                    ),
                },
            });
        }
        if let ExprKind::Atom(name) = &function.kind {
            let arity = argv.len() as u32;
            if self.code.function(&ctx.name, name, arity).is_some() {
                return self.apply(&ctx.name, name, argv, loc);
            }
            return self.remote_call(Some(ctx), "erlang", name, argv, loc);
        }
        let fv = self.eval(ctx, function, env);
        self.apply_fun(&fv, argv, loc)
    }

    /// Calls a fun value.
    pub fn apply_fun(&mut self, fv: &Val, args: Vec<Val>, loc: Option<Loc>) -> Val {
        match fv.kind() {
            Value::Fun(c) => match c.as_ref() {
                Closure::Named {
                    module,
                    function,
                    arity,
                } => {
                    if *arity as usize != args.len() {
                        return Val::unknown(RAISES, loc);
                    }
                    self.remote_call(None, module, function, args, loc)
                }
                Closure::Lambda {
                    module,
                    clauses,
                    env,
                    name,
                } => {
                    if self.stack.len() >= self.limits.depth {
                        return self.limit("call depth", loc);
                    }
                    let ctx = match self.code.module(module) {
                        Some(c) => c,
                        None => Rc::new(ModCtx {
                            name: module.clone(),
                            file: Arc::from(""),
                            app: None,
                        }),
                    };
                    // A fun's head variables are new variables that shadow
                    // the captured ones (`fun(Version) -> ..` with `Version`
                    // bound outside matches any argument), and a named fun
                    // sees itself under its name.
                    let mut head_vars: Vec<&str> = Vec::new();
                    for c in clauses.iter() {
                        for p in &c.patterns {
                            each_var(p, &mut |v| {
                                if env.contains_key(v) {
                                    head_vars.push(v);
                                }
                            });
                        }
                    }
                    let own;
                    let env = if name.is_some() || !head_vars.is_empty() {
                        let mut e = (**env).clone();
                        for v in head_vars {
                            e.remove(v);
                        }
                        if let Some(n) = name {
                            e.insert(n.clone(), fv.clone());
                        }
                        own = e;
                        &own
                    } else {
                        &**env
                    };
                    self.stack
                        .push((module.clone(), "-fun-".to_owned(), args.len() as u32));
                    let v = stacker::maybe_grow(256 * 1024, 4 * 1024 * 1024, || {
                        self.apply_clauses(&ctx, clauses, &args, env, &loc, |c| {
                            format!("fun{}", clause_text_args(c))
                        })
                    });
                    self.stack.pop();
                    v
                }
            },
            Value::Alt(_) => self.lift1(fv, loc.clone(), &mut |ev, f| {
                ev.apply_fun(f, args.clone(), loc.clone())
            }),
            Value::Unknown(u) => {
                Val::unknown(format!("call of a fun not known ({})", u.reason), loc)
            }
            _ => Val::unknown(RAISES, loc),
        }
    }

    /// Applies `f` to each alternative of `v` (or to `v` itself).
    pub(super) fn lift1(
        &mut self,
        v: &Val,
        loc: Option<Loc>,
        f: &mut dyn FnMut(&mut Self, &Val) -> Val,
    ) -> Val {
        match v.kind() {
            Value::Alt(alts) => {
                let alts = alts.clone();
                let out = alts
                    .into_iter()
                    .map(|(c, x)| {
                        let r = self.on_branch(&c, |ev| ev.lift1(&x, loc.clone(), f));
                        (c, r)
                    })
                    .collect();
                self.make_alt(out, loc)
            }
            _ => {
                // Each alternative costs an evaluation: without this, one
                // step over nested alternatives does work without bound.
                self.steps += 1;
                if self.out_of_steps() {
                    return self.limit("too many steps", loc);
                }
                f(self, v)
            }
        }
    }

    /// Applies `f` to each pair of alternatives of `a` and `b`.
    pub(super) fn lift2(
        &mut self,
        a: &Val,
        b: &Val,
        loc: Option<Loc>,
        f: &mut dyn FnMut(&mut Self, &Val, &Val) -> Val,
    ) -> Val {
        let b = b.clone();
        self.lift1(a, loc.clone(), &mut |ev, a| {
            let a = a.clone();
            ev.lift1(&b, loc.clone(), &mut |ev, b| f(ev, &a, b))
        })
    }

    fn binary(
        &mut self,
        ctx: &ModCtx,
        els: &[crate::syntax::ast::BinElement],
        env: &mut Env,
        loc: Option<Loc>,
    ) -> Val {
        let mut text = String::new();
        for el in els {
            let v = self.eval(ctx, &el.value, env);
            if el.size.is_some() {
                return Val::unknown("binary built at run time", loc);
            }
            let is_bin = el.types.iter().any(|t| t == "binary" || t == "bytes");
            match v.kind() {
                Value::Str(s) if !is_bin => text.push_str(s),
                Value::Binary(s) if is_bin => text.push_str(s),
                Value::Int(c) if el.types.is_empty() && (0..256).contains(c) => {
                    text.push(char::from(*c as u8))
                }
                _ => return Val::unknown("binary built at run time", loc),
            }
        }
        Val::new(Value::Binary(text), loc)
    }

    fn binary_op(
        &mut self,
        ctx: &ModCtx,
        op: BinaryOp,
        lhs: &Expr,
        rhs: &Expr,
        env: &mut Env,
        loc: Option<Loc>,
    ) -> Val {
        match op {
            BinaryOp::AndAlso | BinaryOp::OrElse => {
                let a = self.eval(ctx, lhs, env);
                let short = if op == BinaryOp::AndAlso {
                    "false"
                } else {
                    "true"
                };
                match a.as_atom() {
                    Some(x) if x == short => a,
                    Some("true") | Some("false") => {
                        let mut inner = env.clone();
                        self.eval(ctx, rhs, &mut inner)
                    }
                    _ => Val::unknown(format!("{lhs} {} {rhs}", op.as_str()), loc),
                }
            }
            BinaryOp::Send => self.eval(ctx, rhs, env),
            _ => {
                let a = self.eval(ctx, lhs, env);
                let b = self.eval(ctx, rhs, env);
                if op == BinaryOp::Append {
                    return list_append(&a, &b, loc);
                }
                self.lift2(&a, &b, loc.clone(), &mut |_, a, b| {
                    super::builtins::binop(op, a, b, loc.clone())
                })
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn comprehension(
        &mut self,
        ctx: &ModCtx,
        template: &Expr,
        qualifiers: &[Qualifier],
        env: Env,
        out: &mut Vec<Item>,
        count: &mut usize,
        loc: &Option<Loc>,
    ) {
        let Some((q, rest)) = qualifiers.split_first() else {
            let mut env = env;
            *count += 1;
            out.push(Item::One(self.eval(ctx, template, &mut env)));
            return;
        };
        match q {
            Qualifier::Filter(f) => {
                let mut fenv = env.clone();
                let v = self.eval(ctx, f, &mut fenv);
                match v.as_atom() {
                    Some("true") => self.comprehension(ctx, template, rest, env, out, count, loc),
                    Some(_) => {}
                    None if v.as_unknown().is_some() || matches!(v.kind(), Value::Alt(_)) => {
                        // Kept or dropped at run time: a conditional element.
                        let mut inner = Vec::new();
                        let cond = Cond::new(
                            format!("{f}"),
                            v.default_view()
                                .and_then(|d| d.as_atom().map(|a| a == "true")),
                        );
                        self.on_branch(&cond, |ev| {
                            ev.comprehension(ctx, template, rest, env, &mut inner, count, loc)
                        });
                        let other = Cond::new(format!("not ({f})"), cond.default.map(|d| !d));
                        let kept = Val::new(Value::List(inner), loc.clone());
                        let dropped = Val::list(Vec::new(), loc.clone());
                        out.push(Item::Splice(Val::new(
                            Value::Alt(vec![(cond, kept), (other, dropped)]),
                            loc.clone(),
                        )));
                    }
                    None => {}
                }
            }
            Qualifier::Generator {
                pattern, source, ..
            } => {
                let mut genv = env.clone();
                let src = self.eval(ctx, source, &mut genv);
                self.generate(
                    ctx, template, pattern, source, &src, rest, env, out, count, loc,
                );
            }
            _ => {
                let mut tenv = env;
                let t = self.eval(ctx, template, &mut tenv);
                out.push(Item::Many {
                    template: t,
                    reason: "comprehension over a binary or map".to_owned(),
                });
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn generate(
        &mut self,
        ctx: &ModCtx,
        template: &Expr,
        pattern: &Expr,
        source_expr: &Expr,
        src: &Val,
        rest: &[Qualifier],
        env: Env,
        out: &mut Vec<Item>,
        count: &mut usize,
        loc: &Option<Loc>,
    ) {
        let items = match src.kind() {
            Value::List(items) => items.clone(),
            Value::Str(_) => inline_items(&[Item::Splice(src.clone())]),
            Value::Alt(alts) => {
                let mut conds = Vec::new();
                for (c, a) in alts.clone() {
                    let mut inner = Vec::new();
                    self.on_branch(&c, |ev| {
                        ev.generate(
                            ctx,
                            template,
                            pattern,
                            source_expr,
                            &a,
                            rest,
                            env.clone(),
                            &mut inner,
                            count,
                            loc,
                        )
                    });
                    conds.push((c, Val::new(Value::List(inner), loc.clone())));
                }
                out.push(Item::Splice(Val::new(Value::Alt(conds), loc.clone())));
                return;
            }
            _ => vec![Item::Splice(src.clone())],
        };
        for item in items {
            if *count > self.limits.list {
                self.limit_hit = true;
                out.push(Item::Many {
                    template: Val::unknown(EVALUATION_LIMIT, loc.clone()),
                    reason: format!("{EVALUATION_LIMIT}: list too long"),
                });
                return;
            }
            match item {
                Item::One(v) => {
                    let mut e = env.clone();
                    match self.match_pattern(ctx, pattern, &v, &mut e) {
                        Match::No => {}
                        _ => self.comprehension(ctx, template, rest, e, out, count, loc),
                    }
                }
                Item::Splice(v) if matches!(v.kind(), Value::Alt(_) | Value::List(_)) => {
                    self.generate(
                        ctx,
                        template,
                        pattern,
                        source_expr,
                        &v,
                        rest,
                        env.clone(),
                        out,
                        count,
                        loc,
                    );
                }
                Item::Splice(v) | Item::Many { template: v, .. } => {
                    // Elements not known: one template element stands for them.
                    let reason = match v.as_unknown() {
                        Some(u) => {
                            format!("list comprehension over {source_expr} ({})", u.describe())
                        }
                        None => format!("list comprehension over {source_expr}"),
                    };
                    let elem = Val::unknown(format!("element of {source_expr}"), v.loc().cloned());
                    let mut e = env.clone();
                    let _ = self.match_pattern(ctx, pattern, &elem, &mut e);
                    let mut inner = Vec::new();
                    self.many.push(reason.clone());
                    self.comprehension(ctx, template, rest, e, &mut inner, count, loc);
                    self.many.pop();
                    for i in inner {
                        match i {
                            Item::One(t) => out.push(Item::Many {
                                template: t,
                                reason: reason.clone(),
                            }),
                            other => out.push(other),
                        }
                    }
                }
            }
        }
    }
}

/// `A ++ B`.
pub fn list_append(a: &Val, b: &Val, loc: Option<Loc>) -> Val {
    if let (Value::Str(x), Value::Str(y)) = (a.kind(), b.kind()) {
        return Val::new(Value::Str(format!("{x}{y}")), loc);
    }
    let mut items = match a.kind() {
        Value::List(items) => items.clone(),
        Value::Str(_) => inline_items(&[Item::Splice(a.clone())]),
        _ => vec![Item::Splice(a.clone())],
    };
    items.push(Item::Splice(b.clone()));
    Val::new(Value::List(inline_items(&items)), loc)
}

fn map_update(base: &Val, kvs: &[(Val, Val)], loc: Option<Loc>) -> Val {
    match base.kind() {
        Value::Map(old) => {
            let mut m = old.clone();
            for (k, v) in kvs {
                match m.iter_mut().find(|(ok, _)| ok.key_fp() == k.key_fp()) {
                    Some(slot) => slot.1 = v.clone(),
                    None => m.push((k.clone(), v.clone())),
                }
            }
            Val::new(Value::Map(m), loc)
        }
        Value::Unknown(u) => Val::unknown(u.reason.clone(), loc),
        _ => Val::unknown(RAISES, loc),
    }
}

fn unary(op: UnaryOp, v: &Val, loc: Option<Loc>) -> Val {
    match (op, v.kind()) {
        (UnaryOp::Minus, Value::Int(i)) => Val::new(Value::Int(-i), loc),
        (UnaryOp::Minus, Value::Float(f)) => Val::new(Value::Float(-f), loc),
        (UnaryOp::Plus, Value::Int(_) | Value::Float(_)) => v.at(loc),
        (UnaryOp::Not, Value::Atom(a)) if a == "true" => Val::atom("false", loc),
        (UnaryOp::Not, Value::Atom(a)) if a == "false" => Val::atom("true", loc),
        (UnaryOp::Bnot, Value::Int(i)) => Val::new(Value::Int(!i), loc),
        (_, Value::Unknown(u)) => Val::unknown(u.reason.clone(), loc),
        _ => Val::unknown(format!("{} {}", op.as_str(), super::words::operand(v)), loc),
    }
}

/// True for the value of an expression that raises.
pub fn is_raise(v: &Val) -> bool {
    v.as_unknown().is_some_and(|u| u.reason == RAISES)
}

/// `erlang:error/1,2`, `exit/1`, `throw/1` and friends.
fn raises_call(e: &Expr) -> bool {
    let ExprKind::Call {
        module, function, ..
    } = &e.kind
    else {
        return false;
    };
    let m = module.as_ref().map(|m| m.as_atom());
    let f = function.as_atom();
    matches!(
        (m, f),
        (
            None | Some(Some("erlang")),
            Some("error" | "exit" | "throw" | "raise")
        )
    )
}

/// Which statements before `last` a body must run: those that may add
/// children (`effects`), and those that may change its value. A call
/// whose value is dropped cannot, nor can a match none of whose variables
/// a later statement that runs (or `last`) uses. Such a match
/// (`{ok, _} = cowboy:start_clear(...)`, or `Dispatch = ...` used only by
/// it) is taken to succeed, as the evaluation takes every step to: running
/// it would only spend the budget the rest of the body needs. Any other
/// statement runs (a `case` may bind variables in its branches).
fn needed_statements(init: &[Expr], last: &Expr, effects: &dyn Fn(&Expr) -> bool) -> Vec<bool> {
    // Most bodies are one expression: nothing to decide.
    if init.is_empty() {
        return Vec::new();
    }
    let mut live: HashSet<&str> = HashSet::new();
    each_var(last, &mut |v| {
        live.insert(v);
    });
    // The first statement that names each variable: a later statement
    // that names it too reads it (or tests it), it does not bind it.
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, e) in init.iter().enumerate() {
        each_var(e, &mut |v| {
            first.entry(v).or_insert(i);
        });
    }
    let named_before = |v: &str, i: usize| first.get(v).is_some_and(|&j| j < i);
    let mut needed = vec![true; init.len()];
    for (i, e) in init.iter().enumerate().rev() {
        let keep = match &e.kind {
            ExprKind::Call { .. } => false,
            // A match is needed for what its pattern binds, not for what
            // its value reads.
            // `{ok, _} = Sup = start_link()` binds `Sup` in its value: every
            // pattern of the chain counts.
            ExprKind::Match { pattern, value } | ExprKind::MaybeMatch { pattern, value } => {
                let mut used = false;
                each_var(pattern, &mut |v| used |= live.contains(v));
                let mut inner = value;
                while let ExprKind::Match { pattern, value } = &inner.kind {
                    each_var(pattern, &mut |v| used |= live.contains(v));
                    inner = value;
                }
                used
            }
            // A case, if, try, catch or block is needed when it may bind
            // (export) a variable used later: one no earlier statement
            // names. So is a macro call that could not be expanded (a
            // header not found: `?LOG_DEBUG("~p", [Plugins])` without
            // logger.hrl), which could stand for anything, a match too.
            ExprKind::Case { .. }
            | ExprKind::If(_)
            | ExprKind::Block(_)
            | ExprKind::Try { .. }
            | ExprKind::Catch(_)
            | ExprKind::Macro { .. } => {
                let mut used = false;
                each_var(e, &mut |v| used |= live.contains(v) && !named_before(v, i));
                used
            }
            _ => true,
        } || effects(e);
        if keep {
            each_var(e, &mut |v| {
                live.insert(v);
            });
        }
        needed[i] = keep;
    }
    needed
}

/// Calls `f` with every variable named in `e` (funs included), `_` left
/// out.
fn each_var<'a>(e: &'a Expr, f: &mut dyn FnMut(&'a str)) {
    crate::syntax::walk_expr(e, Default::default(), &mut |x, _| {
        if let ExprKind::Var(v) = &x.kind {
            if v != "_" {
                f(v.as_str());
            }
        }
        crate::syntax::Walk::Continue
    });
}

/// True when the pattern binds or tests a variable.
pub fn has_vars(p: &Expr) -> bool {
    let mut found = false;
    each_var(p, &mut |_| found = true);
    found
}

fn clause_text(c: &Clause) -> String {
    let mut s = c
        .patterns
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    if let Some(g) = guards_text(&c.guards) {
        s.push_str(" when ");
        s.push_str(&g);
    }
    s
}

fn clause_text_args(c: &Clause) -> String {
    let mut s = format!(
        "({})",
        c.patterns
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    if let Some(g) = guards_text(&c.guards) {
        s.push_str(" when ");
        s.push_str(&g);
    }
    s
}

fn clause_head(name: &str, c: &Clause) -> String {
    format!(
        "{}{}",
        crate::syntax::print::atom_text(name),
        clause_text_args(c)
    )
}

fn guards_text(gs: &[Vec<Expr>]) -> Option<String> {
    if gs.is_empty() {
        return None;
    }
    Some(
        gs.iter()
            .map(|g| {
                g.iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .collect::<Vec<_>>()
            .join("; "),
    )
}

/// The presence of a value's alternatives, for callers that split an `Alt`.
pub fn alternatives(v: &Val, max: usize) -> Vec<(Vec<Cond>, Val)> {
    fn go(v: &Val, path: &[Cond], out: &mut Vec<(Vec<Cond>, Val)>, max: usize) {
        match v.kind() {
            Value::Alt(alts) if out.len() < max => {
                for (c, x) in alts {
                    let mut p = path.to_vec();
                    p.push(c.clone());
                    go(x, &p, out, max);
                }
            }
            _ => out.push((path.to_vec(), v.clone())),
        }
    }
    let mut out = Vec::new();
    go(v, &[], &mut out, max);
    out
}

impl std::fmt::Display for Unknown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}
