//! What a function reaches: a walk over the project's call graph, in the
//! order the code runs, through local functions and other modules of the
//! project.
//!
//! Only code that runs when the function runs is visited. The body of a
//! `fun ... end` runs when the fun is called, so it is skipped, unless the
//! fun is called on the spot: `(fun() -> ... end)()`, or passed to a
//! `lists`/`maps` function that calls it before returning
//! (`lists:foreach(fun connect/1, Hosts)`). Spawned code (`spawn(M, F, A)`,
//! `proc_lib:spawn_link(Fun)`), messages and timers are data to this walk.
//!
//! Each function is walked once per root (cycle safety), depth and breadth
//! are bounded, and functions are parsed (and their macros expanded) only
//! when reached, once per run.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::{Arc, Mutex};

use crate::model::{ModuleSource, Sources};
use crate::syntax::{Clause, Expr, ExprKind, Function, Span};

/// A function: `module:function/arity`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mfa {
    pub module: String,
    pub function: String,
    pub arity: u32,
}

impl Mfa {
    /// `module:function/arity`.
    pub fn new(module: impl Into<String>, function: impl Into<String>, arity: u32) -> Mfa {
        Mfa {
            module: module.into(),
            function: function.into(),
            arity,
        }
    }
}

impl fmt::Display for Mfa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}/{}", self.module, self.function, self.arity)
    }
}

/// A project function's code, ready to walk.
#[derive(Debug)]
pub struct LoadedFunction {
    /// The function, macros expanded; clauses of every conditional
    /// definition of the name/arity, in file order.
    pub function: Function,
    /// Where it is defined (relative path).
    pub file: String,
    /// Index of its module in `Sources::modules`.
    pub module_index: usize,
    /// True when tree-sitter found syntax errors in it: what the walk sees
    /// of it may be incomplete.
    pub has_parse_errors: bool,
}

/// The project's code, parsed and macro-expanded on demand, each function
/// once. Shared by the rules of one run; safe to use from several threads.
pub struct Code<'p> {
    sources: &'p Sources,
    module_index: HashMap<&'p str, usize>,
    cache: Mutex<HashMap<Mfa, Option<Arc<LoadedFunction>>>>,
}

impl<'p> Code<'p> {
    /// The code of `sources`; nothing is parsed yet.
    pub fn new(sources: &'p Sources) -> Code<'p> {
        let mut module_index = HashMap::new();
        for (i, m) in sources.modules.iter().enumerate() {
            if sources
                .module(&m.name)
                .is_some_and(|chosen| chosen.file == m.file)
            {
                module_index.insert(m.name.as_str(), i);
            }
        }
        Code {
            sources,
            module_index,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The sources the code comes from.
    pub fn sources(&self) -> &'p Sources {
        self.sources
    }

    /// The project module with this name.
    pub fn module(&self, name: &str) -> Option<&'p ModuleSource> {
        self.module_index
            .get(name)
            .map(|&i| &self.sources.modules[i])
    }

    /// True when the project defines `mfa` (so a walk can follow a call to it).
    pub fn defines(&self, mfa: &Mfa) -> bool {
        self.module(&mfa.module).is_some_and(|m| {
            m.index
                .function_entry(&mfa.function, mfa.arity)
                .is_some()
        })
    }

    /// The function, parsed and expanded on first use; `None` when the
    /// project does not define it.
    pub fn function(&self, mfa: &Mfa) -> Option<Arc<LoadedFunction>> {
        if let Some(hit) = self.cache.lock().ok().and_then(|c| c.get(mfa).cloned()) {
            return hit;
        }
        let loaded = self.load(mfa).map(Arc::new);
        if let Ok(mut c) = self.cache.lock() {
            c.insert(mfa.clone(), loaded.clone());
        }
        loaded
    }

    fn load(&self, mfa: &Mfa) -> Option<LoadedFunction> {
        let &module_index = self.module_index.get(mfa.module.as_str())?;
        let module = &self.sources.modules[module_index];
        let mut function: Option<Function> = None;
        let mut has_parse_errors = false;
        for entry in module.index.function_entries(&mfa.function, mfa.arity) {
            let parsed = entry.function();
            has_parse_errors |= !entry.diagnostics().is_empty();
            let expanded = module.macros.expand_function(&parsed);
            match &mut function {
                None => function = Some(expanded),
                Some(f) => f.clauses.extend(expanded.clauses),
            }
        }
        Some(LoadedFunction {
            function: function?,
            file: module.file.clone(),
            module_index,
            has_parse_errors,
        })
    }
}

/// Bounds of one walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest call chain followed from the root.
    pub max_depth: usize,
    /// Most functions walked from one root.
    pub max_functions: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_depth: 16,
            max_functions: 4000,
        }
    }
}

/// One step of a call chain: a function and the place in it where it
/// makes the call that leads on (or where the finding is, for the last).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainStep {
    pub function: Mfa,
    pub file: String,
    pub span: Span,
}

/// What a visitor tells the walk to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Visit the expression's children and follow it if it is a call.
    Continue,
    /// Neither visit its children nor follow it.
    SkipChildren,
    /// End the whole walk (say, past `proc_lib:init_ack`).
    Stop,
}

/// The target of a call, as far as it is statically known.
#[derive(Debug, Clone, PartialEq)]
pub struct CallTarget {
    /// The function called. A local call to a function the module does
    /// not define is an auto-imported BIF: module `erlang`.
    pub mfa: Mfa,
    /// The arguments as written (for `apply(M, F, [A, B])`, `A` and `B`).
    pub args: Vec<Expr>,
}

/// Where the walk is when it calls the visitor.
pub struct Frame<'a> {
    /// The function the walk started from.
    pub root: &'a Mfa,
    /// The function being walked.
    pub current: &'a Mfa,
    /// Its file.
    pub file: &'a str,
    /// The callers from the root down to the current function, each at the
    /// call it made.
    pub callers: &'a [ChainStep],
    /// Functions on the chain (callers and current) that had syntax errors.
    pub partial: &'a [Mfa],
    code: &'a Code<'a>,
}

impl Frame<'_> {
    /// The chain from the root to `span` in the current function.
    pub fn chain_to(&self, span: Span) -> Vec<ChainStep> {
        let mut chain = self.callers.to_vec();
        chain.push(ChainStep {
            function: self.current.clone(),
            file: self.file.to_owned(),
            span,
        });
        chain
    }

    /// The statically known target of a call expression.
    pub fn target(&self, e: &Expr) -> Option<CallTarget> {
        call_target(e, &self.current.module, self.code)
    }
}

/// What a walk saw besides what the visitor recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WalkSummary {
    /// Functions walked.
    pub functions: usize,
    /// True when a limit cut the walk short.
    pub truncated: bool,
    /// True when the visitor stopped it.
    pub stopped: bool,
}

/// Walks `root` and everything it calls in the project, in execution
/// order, calling `visit` on every expression that runs. Calls to project
/// functions are followed after their arguments; calls outside the
/// project are only visited.
pub fn walk_reachable(
    code: &Code<'_>,
    root: &Mfa,
    limits: Limits,
    visit: &mut dyn FnMut(&Frame<'_>, &Expr) -> Step,
) -> WalkSummary {
    let mut w = Walker {
        code,
        root,
        limits,
        visited: HashSet::new(),
        callers: Vec::new(),
        partial: Vec::new(),
        summary: WalkSummary::default(),
        visit,
    };
    w.function(root);
    w.summary
}

struct Walker<'a, 'c> {
    code: &'a Code<'c>,
    root: &'a Mfa,
    limits: Limits,
    visited: HashSet<Mfa>,
    callers: Vec<ChainStep>,
    partial: Vec<Mfa>,
    summary: WalkSummary,
    visit: &'a mut dyn FnMut(&Frame<'_>, &Expr) -> Step,
}

/// The walk of one function: which function, in which file.
struct Current<'a> {
    mfa: &'a Mfa,
    file: &'a str,
}

impl Walker<'_, '_> {
    fn function(&mut self, mfa: &Mfa) {
        if self.summary.stopped || !self.visited.insert(mfa.clone()) {
            return;
        }
        if self.summary.functions >= self.limits.max_functions {
            self.summary.truncated = true;
            return;
        }
        let Some(loaded) = self.code.function(mfa) else {
            return;
        };
        self.summary.functions += 1;
        if loaded.has_parse_errors {
            self.partial.push(mfa.clone());
        }
        let cur = Current {
            mfa,
            file: &loaded.file,
        };
        for clause in &loaded.function.clauses {
            self.clause(clause, &cur);
            if self.summary.stopped {
                break;
            }
        }
        if loaded.has_parse_errors {
            self.partial.pop();
        }
    }

    fn clause(&mut self, c: &Clause, cur: &Current<'_>) {
        for e in c.guards.iter().flatten().chain(&c.body) {
            self.expr(e, cur);
            if self.summary.stopped {
                return;
            }
        }
    }

    fn expr(&mut self, e: &Expr, cur: &Current<'_>) {
        if self.summary.stopped {
            return;
        }
        let step = {
            let frame = Frame {
                root: self.root,
                current: cur.mfa,
                file: cur.file,
                callers: &self.callers,
                partial: &self.partial,
                code: self.code,
            };
            (self.visit)(&frame, e)
        };
        match step {
            Step::Stop => {
                self.summary.stopped = true;
                return;
            }
            Step::SkipChildren => return,
            Step::Continue => {}
        }
        stacker::maybe_grow(128 * 1024, 2 * 1024 * 1024, || self.children(e, cur));
        if let ExprKind::Call { .. } = &e.kind {
            self.follow(e, cur);
        }
    }

    fn children(&mut self, e: &Expr, cur: &Current<'_>) {
        match &e.kind {
            ExprKind::Call {
                module,
                function,
                args,
            } => {
                if let Some(m) = module {
                    self.expr(m, cur);
                }
                match &function.kind {
                    // `(fun() -> ... end)()`: runs now.
                    ExprKind::Fun { clauses, .. } => {
                        for c in clauses {
                            self.clause(c, cur);
                        }
                    }
                    _ => self.expr(function, cur),
                }
                let runs_funs = call_target(e, &cur.mfa.module, self.code)
                    .is_some_and(|t| calls_fun_arguments(&t.mfa));
                for a in args {
                    match &a.kind {
                        ExprKind::Fun { clauses, .. } if runs_funs => {
                            for c in clauses {
                                self.clause(c, cur);
                            }
                        }
                        ExprKind::FunRef { .. } if runs_funs => {
                            if let Some(mfa) = fun_ref_target(a, &cur.mfa.module) {
                                self.call(&mfa, a.span, cur);
                            }
                        }
                        _ => self.expr(a, cur),
                    }
                }
            }
            // Patterns bind, they do not run; the value does.
            ExprKind::Match { value, .. } | ExprKind::MaybeMatch { value, .. } => {
                self.expr(value, cur)
            }
            ExprKind::Case { expr, clauses } => {
                self.expr(expr, cur);
                for c in clauses {
                    self.clause(c, cur);
                }
            }
            ExprKind::If(clauses) => {
                for c in clauses {
                    self.clause(c, cur);
                }
            }
            ExprKind::Receive { clauses, after } => {
                for c in clauses {
                    self.clause(c, cur);
                }
                if let Some(a) = after {
                    self.expr(&a.timeout, cur);
                    for b in &a.body {
                        self.expr(b, cur);
                    }
                }
            }
            ExprKind::Maybe { body, else_clauses } => {
                for b in body {
                    self.expr(b, cur);
                }
                for c in else_clauses.iter().flatten() {
                    self.clause(c, cur);
                }
            }
            ExprKind::Try {
                body,
                of_clauses,
                catch_clauses,
                after,
            } => {
                for b in body {
                    self.expr(b, cur);
                }
                for c in of_clauses {
                    self.clause(c, cur);
                }
                for c in catch_clauses {
                    for b in c.guards.iter().flatten().chain(&c.body) {
                        self.expr(b, cur);
                    }
                }
                for b in after {
                    self.expr(b, cur);
                }
            }
            _ => {
                let mut kids: Vec<&Expr> = Vec::new();
                e.for_each_child(&mut |child, enters_fun| {
                    if !enters_fun {
                        kids.push(child);
                    }
                });
                for k in kids {
                    self.expr(k, cur);
                }
            }
        }
    }

    /// Follows a call into the project, if it goes there.
    fn follow(&mut self, e: &Expr, cur: &Current<'_>) {
        if let Some(t) = call_target(e, &cur.mfa.module, self.code) {
            self.call(&t.mfa, e.span, cur);
        }
    }

    fn call(&mut self, mfa: &Mfa, span: Span, cur: &Current<'_>) {
        if self.summary.stopped || self.visited.contains(mfa) || !self.code.defines(mfa) {
            return;
        }
        if self.callers.len() + 1 >= self.limits.max_depth {
            self.summary.truncated = true;
            return;
        }
        self.callers.push(ChainStep {
            function: cur.mfa.clone(),
            file: cur.file.to_owned(),
            span,
        });
        self.function(mfa);
        self.callers.pop();
    }
}

/// The statically known target of a call expression in `module`.
pub fn call_target(e: &Expr, module: &str, code: &Code<'_>) -> Option<CallTarget> {
    let ExprKind::Call {
        module: m,
        function,
        args,
    } = &e.kind
    else {
        return None;
    };
    let name = function.as_atom()?;
    let arity = u32::try_from(args.len()).ok()?;
    let mfa = match m {
        Some(m) => Mfa::new(m.as_atom()?, name, arity),
        None => {
            let local = Mfa::new(module, name, arity);
            if code.defines(&local) {
                local
            } else {
                Mfa::new("erlang", name, arity)
            }
        }
    };
    // apply(M, F, [A, ...]) with everything literal is a call of M:F.
    if mfa.module == "erlang" && mfa.function == "apply" && mfa.arity == 3 {
        if let (Some(m), Some(f), ExprKind::List { elems, tail: None }) =
            (args[0].as_atom(), args[1].as_atom(), &args[2].kind)
        {
            return Some(CallTarget {
                mfa: Mfa::new(m, f, u32::try_from(elems.len()).ok()?),
                args: elems.clone(),
            });
        }
    }
    Some(CallTarget {
        mfa,
        args: args.clone(),
    })
}

/// `fun f/1` or `fun m:f/1` with literal parts.
fn fun_ref_target(e: &Expr, module: &str) -> Option<Mfa> {
    let ExprKind::FunRef {
        module: m,
        function,
        arity,
    } = &e.kind
    else {
        return None;
    };
    let module = match m {
        Some(m) => m.as_atom()?,
        None => module,
    };
    let arity = u32::try_from(arity.as_integer()?).ok()?;
    Some(Mfa::new(module, function.as_atom()?, arity))
}

/// Library functions that call a fun argument before they return, so the
/// fun's body runs as part of the caller.
fn calls_fun_arguments(mfa: &Mfa) -> bool {
    match mfa.module.as_str() {
        "lists" => matches!(
            mfa.function.as_str(),
            "foreach"
                | "map"
                | "flatmap"
                | "filter"
                | "filtermap"
                | "foldl"
                | "foldr"
                | "mapfoldl"
                | "mapfoldr"
                | "any"
                | "all"
                | "partition"
                | "dropwhile"
                | "takewhile"
                | "splitwith"
                | "search"
                | "zipwith"
                | "zipwith3"
                | "sort"
                | "usort"
                | "keymap"
                | "uniq"
        ),
        "maps" => matches!(
            mfa.function.as_str(),
            "foreach" | "map" | "fold" | "filter" | "filtermap" | "update_with"
        ),
        "erlang" => mfa.function == "apply" && mfa.arity == 2,
        _ => false,
    }
}
