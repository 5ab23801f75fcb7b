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
use std::sync::{Arc, Mutex};

use crate::model::{ModuleSource, Sources};
use crate::syntax::condition::Condition;
use crate::syntax::{Clause, Expr, ExprKind, Function, Span};

pub(crate) use crate::eval::Mfa;

/// A project function's code, ready to walk.
#[derive(Debug)]
pub(crate) struct LoadedFunction {
    /// The function, macros expanded; clauses of every conditional
    /// definition of the name/arity, in file order.
    pub(crate) function: Arc<Function>,
    /// Where it is defined (relative path).
    file: String,
    /// True when tree-sitter found syntax errors in it: what the walk sees
    /// of it may be incomplete.
    has_parse_errors: bool,
}

/// The project's code, parsed and macro-expanded on demand, each function
/// once. Shared by the rules of one run; safe to use from several threads.
pub(crate) struct Code<'p> {
    sources: &'p Sources,
    module_index: HashMap<&'p str, usize>,
    cache: Mutex<HashMap<Mfa, Option<Arc<LoadedFunction>>>>,
}

impl<'p> Code<'p> {
    /// The code of `sources`; nothing is parsed yet.
    pub(crate) fn new(sources: &'p Sources) -> Code<'p> {
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

    /// The project module with this name.
    pub(crate) fn module(&self, name: &str) -> Option<&'p ModuleSource> {
        self.module_index
            .get(name)
            .map(|&i| &self.sources.modules[i])
    }

    /// True when the project defines `mfa` (so a walk can follow a call to it).
    pub(crate) fn defines(&self, mfa: &Mfa) -> bool {
        self.module(&mfa.module)
            .is_some_and(|m| m.index.function_entry(&mfa.function, mfa.arity).is_some())
    }

    /// The function, parsed and expanded on first use; `None` when the
    /// project does not define it.
    pub(crate) fn function(&self, mfa: &Mfa) -> Option<Arc<LoadedFunction>> {
        if let Some(hit) = self.cache.lock().ok().and_then(|c| c.get(mfa).cloned()) {
            return hit;
        }
        let loaded = self.load(mfa).map(Arc::new);
        if let Ok(mut c) = self.cache.lock() {
            c.insert(mfa.clone(), loaded.clone());
        }
        loaded
    }

    /// The function as [`Code::function`] gives it, but parsed without
    /// keeping the result when no one has asked for it before: for a rule
    /// that reads every function of the project once.
    pub(crate) fn function_once(&self, mfa: &Mfa) -> Option<Arc<LoadedFunction>> {
        if let Some(hit) = self.cache.lock().ok().and_then(|c| c.get(mfa).cloned()) {
            return hit;
        }
        self.load_with(mfa, false).map(Arc::new)
    }

    fn load(&self, mfa: &Mfa) -> Option<LoadedFunction> {
        self.load_with(mfa, true)
    }

    fn load_with(&self, mfa: &Mfa, keep: bool) -> Option<LoadedFunction> {
        let &module_index = self.module_index.get(mfa.module.as_str())?;
        let module = &self.sources.modules[module_index];
        let mut function: Option<Arc<Function>> = None;
        let mut has_parse_errors = false;
        for entry in module.index.function_entries(&mfa.function, mfa.arity) {
            let (parsed, errors) = if keep {
                (entry.function(), !entry.diagnostics().is_empty())
            } else {
                entry.function_once()
            };
            has_parse_errors |= errors;
            let expanded = module.macros.expand_shared(&parsed);
            match &mut function {
                None => function = Some(expanded),
                Some(f) => Arc::make_mut(f)
                    .clauses
                    .extend(expanded.clauses.iter().cloned()),
            }
        }
        Some(LoadedFunction {
            function: function?,
            file: module.file.clone(),
            has_parse_errors,
        })
    }
}

/// Bounds of one walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    /// Longest call chain followed from the root.
    pub(crate) max_depth: usize,
    /// Most functions walked from one root.
    pub(crate) max_functions: usize,
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
pub(crate) struct ChainStep {
    pub(crate) function: Mfa,
    pub(crate) file: String,
    pub(crate) span: Span,
}

/// What a visitor tells the walk to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// Visit the expression's children and follow it if it is a call.
    Continue,
    /// Neither visit its children nor follow it.
    SkipChildren,
    /// End the whole walk (say, past `proc_lib:init_ack`).
    Stop,
}

/// The target of a call, as far as it is statically known.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CallTarget {
    /// The function called. A local call to a function the module does
    /// not define is an auto-imported BIF: module `erlang`.
    pub(crate) mfa: Mfa,
    /// The arguments as written (for `apply(M, F, [A, B])`, `A` and `B`).
    pub(crate) args: Vec<Expr>,
}

/// Where the walk is when it calls the visitor.
pub(crate) struct Frame<'a> {
    /// The function being walked.
    pub(crate) current: &'a Mfa,
    /// Its file.
    pub(crate) file: &'a str,
    /// The callers from the root down to the current function, each at the
    /// call it made.
    pub(crate) callers: &'a [ChainStep],
    /// Functions on the chain (callers and current) that had syntax errors.
    pub(crate) partial: &'a [Mfa],
    code: &'a Code<'a>,
}

impl Frame<'_> {
    /// The chain from the root to `span` in the current function.
    pub(crate) fn chain_to(&self, span: Span) -> Vec<ChainStep> {
        let mut chain = self.callers.to_vec();
        chain.push(ChainStep {
            function: self.current.clone(),
            file: self.file.to_owned(),
            span,
        });
        chain
    }

    /// The statically known target of a call expression.
    pub(crate) fn target(&self, e: &Expr) -> Option<CallTarget> {
        call_target(e, &self.current.module, self.code)
    }
}

/// What a walk saw besides what the visitor recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct WalkSummary {
    /// Functions walked.
    functions: usize,
    /// True when a limit cut the walk short.
    truncated: bool,
    /// True when the visitor stopped it.
    stopped: bool,
    /// The first call the depth limit kept the walk from entering (one
    /// `skip` does not rule out): the callee and where it is called. What
    /// lies below it was not visited.
    pub(crate) cut: Option<(Mfa, ChainStep)>,
}

/// Walks `root` and everything it calls in the project, in execution
/// order, calling `visit` on every expression that runs; not entering
/// the functions `skip` names (nor, through them, what they call): for a
/// visitor that is known to find nothing there ([`super::quiet`]), which
/// saves parsing them.
pub(crate) fn walk_reachable_skipping(
    code: &Code<'_>,
    root: &Mfa,
    limits: Limits,
    skip: &dyn Fn(&Mfa) -> bool,
    compiled: &dyn Fn(&Condition, &str) -> bool,
    visit: &mut dyn FnMut(&Frame<'_>, &Expr) -> Step,
) -> WalkSummary {
    let mut w = Walker {
        code,
        limits,
        skip,
        compiled,
        visited: HashSet::new(),
        callers: Vec::new(),
        partial: Vec::new(),
        summary: WalkSummary::default(),
        visit,
    };
    w.function(root, None);
    w.summary
}

struct Walker<'a, 'c> {
    code: &'a Code<'c>,
    limits: Limits,
    skip: &'a dyn Fn(&Mfa) -> bool,
    /// Whether a macro definition under this condition is the one the
    /// build compiles, in the module of this file: the expansion of a
    /// macro defined in several `-ifdef` branches is walked only in the
    /// branches that hold.
    compiled: &'a dyn Fn(&Condition, &str) -> bool,
    /// Functions walked, with the clauses walked (a call with literal
    /// arguments walks only the clauses those can match).
    visited: HashSet<(Mfa, Vec<bool>)>,
    callers: Vec<ChainStep>,
    partial: Vec<Mfa>,
    summary: WalkSummary,
    visit: &'a mut dyn FnMut(&Frame<'_>, &Expr) -> Step,
}

/// The walk of one function clause: which function, in which file, and
/// the parameters bound to literal arguments by the call (constant
/// propagation one call deep at a time: `create(undefined)` then
/// `create(Limiter) -> check(Limiter)` walks `check(undefined)`).
struct Current<'a> {
    mfa: &'a Mfa,
    file: &'a str,
    env: std::cell::RefCell<HashMap<String, Expr>>,
}

impl Walker<'_, '_> {
    fn function(&mut self, mfa: &Mfa, args: Option<&[Expr]>) {
        if self.summary.stopped || (self.skip)(mfa) {
            return;
        }
        if self.summary.functions >= self.limits.max_functions {
            self.summary.truncated = true;
            return;
        }
        let Some(loaded) = self.code.function(mfa) else {
            return;
        };
        let mask = clause_mask(&loaded.function.clauses, args);
        if !self.visited.insert((mfa.clone(), mask.clone())) {
            return;
        }
        self.summary.functions += 1;
        if loaded.has_parse_errors {
            self.partial.push(mfa.clone());
        }
        for (clause, _) in loaded
            .function
            .clauses
            .iter()
            .zip(&mask)
            .filter(|(_, &on)| on)
        {
            let mut env = HashMap::new();
            if let Some(args) = args {
                for (p, a) in clause.patterns.iter().zip(args) {
                    if let (ExprKind::Var(v), true) = (&p.kind, is_literal(a)) {
                        env.insert(v.clone(), a.clone());
                    }
                }
            }
            let cur = Current {
                mfa,
                file: &loaded.file,
                env: std::cell::RefCell::new(env),
            };
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
                                self.call(&mfa, None, a.span, cur);
                            }
                        }
                        _ => self.expr(a, cur),
                    }
                }
            }
            // Patterns bind, they do not run; the value does. A variable
            // bound to a value known statically is remembered.
            ExprKind::Match { pattern, value } | ExprKind::MaybeMatch { pattern, value } => {
                self.expr(value, cur);
                if let ExprKind::Var(v) = &pattern.kind {
                    let known = evaluate(value, &cur.env.borrow());
                    if let Some(known) = known {
                        cur.env.borrow_mut().insert(v.clone(), known);
                    }
                }
            }
            ExprKind::Case { expr, clauses } => {
                self.expr(expr, cur);
                for c in clauses {
                    self.clause(c, cur);
                }
            }
            ExprKind::Conditional(alternatives) => {
                for a in alternatives {
                    if (self.compiled)(&a.condition, cur.file) {
                        self.expr(&a.expr, cur);
                    }
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
            let env = cur.env.borrow();
            let args: Vec<Expr> = t
                .args
                .iter()
                .map(|a| evaluate(a, &env).unwrap_or_else(|| a.clone()))
                .collect();
            drop(env);
            self.call(&t.mfa, Some(&args), e.span, cur);
        }
    }

    fn call(&mut self, mfa: &Mfa, args: Option<&[Expr]>, span: Span, cur: &Current<'_>) {
        if self.summary.stopped || !self.code.defines(mfa) {
            return;
        }
        if self.callers.len() + 1 >= self.limits.max_depth {
            self.summary.truncated = true;
            if self.summary.cut.is_none() && !(self.skip)(mfa) {
                self.summary.cut = Some((
                    mfa.clone(),
                    ChainStep {
                        function: cur.mfa.clone(),
                        file: cur.file.to_owned(),
                        span,
                    },
                ));
            }
            return;
        }
        self.callers.push(ChainStep {
            function: cur.mfa.clone(),
            file: cur.file.to_owned(),
            span,
        });
        self.function(mfa, args);
        self.callers.pop();
    }
}

/// The statically known target of a call expression in `module`.
fn call_target(e: &Expr, module: &str, code: &Code<'_>) -> Option<CallTarget> {
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

/// Whether a clause head matches the arguments of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Match {
    /// Surely not: a literal argument differs from a literal pattern.
    No,
    /// Cannot tell statically.
    Maybe,
    /// Surely (and without guards): later clauses never run for this call.
    Yes,
}

impl Match {
    fn and(self, other: Match) -> Match {
        match (self, other) {
            (Match::No, _) | (_, Match::No) => Match::No,
            (Match::Yes, Match::Yes) => Match::Yes,
            _ => Match::Maybe,
        }
    }
}

/// The clauses a call with these arguments may run: all, when the
/// arguments are unknown; otherwise those a literal argument does not rule
/// out, up to the first that surely matches. `connect(no_retry)` against
/// `connect(no_retry) -> ok; connect(N) -> retry(N)` walks only the first.
fn clause_mask(clauses: &[Clause], args: Option<&[Expr]>) -> Vec<bool> {
    let all = vec![true; clauses.len()];
    let Some(args) = args else {
        return all;
    };
    let mut mask = vec![false; clauses.len()];
    for (i, c) in clauses.iter().enumerate() {
        if c.patterns.len() != args.len() {
            mask[i] = true;
            continue;
        }
        let mut names: HashMap<&str, u32> = HashMap::new();
        for p in &c.patterns {
            count_vars(p, &mut names);
        }
        let m = c.patterns.iter().zip(args).fold(Match::Yes, |acc, (p, a)| {
            acc.and(pattern_match(p, a, &names))
        });
        let m = if m == Match::Yes && !c.guards.is_empty() {
            Match::Maybe
        } else {
            m
        };
        match m {
            Match::No => {}
            Match::Maybe => mask[i] = true,
            Match::Yes => {
                mask[i] = true;
                break;
            }
        }
    }
    if mask.iter().any(|&on| on) {
        mask
    } else {
        // Nothing matches: the analysis is wrong somewhere; be safe.
        all
    }
}

fn count_vars<'a>(p: &'a Expr, names: &mut HashMap<&'a str, u32>) {
    if let ExprKind::Var(v) = &p.kind {
        *names.entry(v.as_str()).or_insert(0) += 1;
    }
    p.for_each_child(&mut |c, _| count_vars(c, names));
}

/// Whether pattern `p` matches argument `a`, as far as literals tell.
fn pattern_match(p: &Expr, a: &Expr, names: &HashMap<&str, u32>) -> Match {
    use ExprKind as K;
    match (&p.kind, &a.kind) {
        // A fresh variable (or `_`) matches anything.
        (K::Var(v), _) => {
            if v == "_" || names.get(v.as_str()).copied().unwrap_or(0) <= 1 {
                Match::Yes
            } else {
                Match::Maybe
            }
        }
        (K::Match { pattern, value }, _) => {
            pattern_match(pattern, a, names).and(pattern_match(value, a, names))
        }
        (K::Atom(x), K::Atom(y)) => literal(x == y),
        (K::Integer { value: Some(x), .. }, K::Integer { value: Some(y), .. }) => literal(x == y),
        (K::Tuple(ps), K::Tuple(es)) => {
            if ps.len() != es.len() {
                Match::No
            } else {
                ps.iter().zip(es).fold(Match::Yes, |acc, (p, e)| {
                    acc.and(pattern_match(p, e, names))
                })
            }
        }
        // `#{k := P}` against a known map: the key must be there and match.
        (K::Map(pfs), K::Map(afs)) => pfs.iter().fold(Match::Yes, |acc, pf| {
            let key = pf.key.to_string();
            acc.and(match afs.iter().find(|af| af.key.to_string() == key) {
                Some(af) => pattern_match(&pf.value, &af.value, names),
                None if is_literal(&pf.key) => Match::No,
                None => Match::Maybe,
            })
        }),
        (K::Binary(_), K::Binary(_)) | (K::String(_), K::String(_))
            if is_literal(p) && is_literal(a) =>
        {
            literal(p.to_string() == a.to_string())
        }
        (
            K::List {
                elems: pe,
                tail: None,
            },
            K::List {
                elems: ae,
                tail: None,
            },
        ) if pe.is_empty() || ae.is_empty() => literal(pe.is_empty() && ae.is_empty()),
        // An atom, integer, tuple or list argument never matches a pattern
        // of another kind of term.
        (pk, ak) if is_term_kind(pk) && is_term_kind(ak) && kind_of(pk) != kind_of(ak) => Match::No,
        _ => Match::Maybe,
    }
}

fn literal(equal: bool) -> Match {
    if equal {
        Match::Yes
    } else {
        Match::No
    }
}

fn is_term_kind(k: &ExprKind) -> bool {
    kind_of(k).is_some()
}

/// The type of a literal-shaped term: atom, number, tuple, list, map, binary.
fn kind_of(k: &ExprKind) -> Option<u8> {
    use ExprKind as K;
    Some(match k {
        K::Atom(_) => 0,
        K::Integer { .. } | K::Float { .. } => 1,
        K::Tuple(_) | K::Record { .. } => 2,
        K::List { .. } | K::String(_) => 3,
        K::Map(_) => 4,
        K::Binary(_) => 5,
        _ => return None,
    })
}

/// A term with no variables or calls: atoms, numbers, strings, and tuples
/// and lists of them.
fn is_literal(e: &Expr) -> bool {
    use ExprKind as K;
    match &e.kind {
        K::Atom(_) | K::Integer { .. } | K::Float { .. } | K::String(_) => true,
        K::Tuple(es) => es.iter().all(is_literal),
        K::List { elems, tail } => {
            elems.iter().all(is_literal) && tail.as_deref().is_none_or(is_literal)
        }
        K::Map(fields) => fields
            .iter()
            .all(|f| !f.exact && is_literal(&f.key) && is_literal(&f.value)),
        K::Binary(els) => els
            .iter()
            .all(|el| el.size.is_none() && is_literal(&el.value)),
        _ => false,
    }
}

/// The value of `e` when it is known statically: a literal, a variable
/// bound to one, a tuple, list or map of those, or `maps:get/3` on a known
/// map. `None` otherwise.
fn evaluate(e: &Expr, env: &HashMap<String, Expr>) -> Option<Expr> {
    use ExprKind as K;
    let known = match &e.kind {
        K::Var(v) => return env.get(v).cloned(),
        K::Tuple(es) => Expr::new(
            K::Tuple(es.iter().map(|x| evaluate(x, env)).collect::<Option<_>>()?),
            e.span,
        ),
        K::Call {
            module: Some(m),
            function,
            args,
        } if m.as_atom() == Some("maps")
            && function.as_atom() == Some("get")
            && args.len() == 3 =>
        {
            let key = evaluate(&args[0], env)?;
            let map = evaluate(&args[1], env)?;
            let K::Map(fields) = &map.kind else {
                return None;
            };
            let key_text = key.to_string();
            match fields.iter().find(|f| f.key.to_string() == key_text) {
                Some(f) => f.value.clone(),
                None => evaluate(&args[2], env)?,
            }
        }
        _ if is_literal(e) => e.clone(),
        _ => return None,
    };
    Some(known)
}
