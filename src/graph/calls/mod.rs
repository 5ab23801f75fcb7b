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
//! when reached, once per run, in the cache the evaluator reads too.

pub(crate) mod known;
pub(crate) mod quiet;

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

use crate::model::{ModuleSource, Sources};
use crate::syntax::condition::Condition;
use crate::syntax::{Clause, Expr, ExprKind, Span};

use known::{bind_all, Bindings, Known};

pub(crate) use crate::eval::Mfa;

pub(crate) use crate::eval::LoadedFunction;

/// The project's code as the call graph reads it: its modules by name,
/// and their functions from the run's one code cache ([`crate::eval::Code`],
/// which the supervision evaluator reads too), each parsed and
/// macro-expanded once per run, when first reached. Safe to use from
/// several threads.
#[derive(Clone, Copy)]
pub(crate) struct Code<'p> {
    sources: &'p Sources,
    shared: &'p crate::eval::Code<'p>,
}

impl<'p> Code<'p> {
    /// The code of `sources`, read through `shared` (the run's cache, over
    /// the same project).
    pub(crate) fn new(sources: &'p Sources, shared: &'p crate::eval::Code<'p>) -> Code<'p> {
        Code { sources, shared }
    }

    /// The run's code cache, for an evaluation that reads the same code.
    pub(crate) fn shared(&self) -> &'p crate::eval::Code<'p> {
        self.shared
    }

    /// The project module with this name (the first by path when two
    /// share it, as the evaluator reads it).
    pub(crate) fn module(&self, name: &str) -> Option<&'p ModuleSource> {
        self.sources.module(name)
    }

    /// True when the project defines `mfa` (so a walk can follow a call to it).
    pub(crate) fn defines(&self, mfa: &Mfa) -> bool {
        self.defines_named(&mfa.module, &mfa.function, mfa.arity)
    }

    /// [`Code::defines`] of `module:function/arity` by name, with no
    /// [`Mfa`] built.
    fn defines_named(&self, module: &str, function: &str, arity: u32) -> bool {
        self.module(module)
            .is_some_and(|m| m.index.function_entry(function, arity).is_some())
    }

    /// The function, parsed and expanded on first use; `None` when the
    /// project does not define it.
    pub(crate) fn function(&self, mfa: &Mfa) -> Option<Arc<LoadedFunction>> {
        self.shared.loaded(mfa)
    }

    /// The function as [`Code::function`] gives it, but parsed without
    /// keeping the result when no one has asked for it before: for a rule
    /// that reads every function of the project once.
    pub(crate) fn function_once(&self, mfa: &Mfa) -> Option<Arc<LoadedFunction>> {
        self.shared.loaded_once(mfa)
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

/// How many calls down [`Walker::returned`] follows a function that
/// returns another's value.
const RETURNED_DEPTH: usize = 3;

/// The target of a call, as far as it is statically known.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CallTarget<'e> {
    /// The function called. A local call to a function the module does
    /// not define is an auto-imported BIF: module `erlang`.
    pub(crate) mfa: Mfa,
    /// The arguments as written (for `apply(M, F, [A, B])`, `A` and `B`),
    /// borrowed from the call: every call the walk meets asks for its
    /// target, and most are not followed.
    pub(crate) args: &'e [Expr],
    /// True when the target is known to be defined in the project: a local
    /// call found defined, which the walk need not look up again.
    defined: bool,
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
    /// The values known where the walk is (literal arguments passed in).
    env: &'a std::cell::RefCell<Bindings>,
    /// Whether an exit raised here is caught on the way up and `init/1`
    /// goes on: the walk is in the body of a `try` of the root function
    /// whose clauses for exits (`exit:_`, `_:_`, `C:_`) all return
    /// `{ok, State}`.
    pub(crate) caught: bool,
    /// The statically known target of the call the visitor is at
    /// ([`Frame::call`]).
    call: Option<&'a CallTarget<'a>>,
}

impl<'a> Frame<'a> {
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
    pub(crate) fn target<'e>(&self, e: &'e Expr) -> Option<CallTarget<'e>> {
        call_target(e, &self.current.module, self.code)
    }

    /// The statically known target of the expression the visitor is at,
    /// when it is a call: [`Frame::target`] of it, worked out once for
    /// the visitor and the walk, which follows the same call.
    pub(crate) fn call(&self) -> Option<&CallTarget<'a>> {
        self.call
    }

    /// The value of `e` here when it is known without computing: a
    /// literal, or a variable bound to one (a name passed down as an
    /// argument: `call(Name)` reached as `call(db)` is a call to `db`).
    pub(crate) fn known(&self, e: &Expr) -> Option<Expr> {
        known::evaluate(e, &self.env.borrow()).filter(known::is_literal)
    }

    /// `node` or `self` when `e` is `node()` or `self()`, written or bound
    /// here (`restart({Name, node()})` reaching `rpc:call(Node, ..)`):
    /// [`Frame::known`] keeps only literals, which these calls are not.
    pub(crate) fn identity(&self, e: &Expr) -> Option<&'static str> {
        known::identity(e).or_else(|| match &e.kind {
            ExprKind::Var(v) => self.env.borrow().get(v).and_then(known::identity),
            _ => None,
        })
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

/// [`walk_reachable`], not entering the functions `skip` names (nor,
/// through them, what they call): for a visitor that is known to find
/// nothing there ([`quiet`]), which saves parsing them.
pub(crate) fn walk_reachable_skipping(
    code: &Code<'_>,
    root: &Mfa,
    limits: Limits,
    skip: &dyn Fn(&Mfa) -> bool,
    compiled: &dyn Fn(&Condition, &str) -> bool,
    visit: &mut dyn FnMut(&Frame<'_>, &Expr) -> Step,
) -> WalkSummary {
    walk_with(code, limits, skip, compiled, visit, |w| {
        w.function(root, None)
    })
}

/// A walker with these settings, given to `walk`, and what it saw.
fn walk_with(
    code: &Code<'_>,
    limits: Limits,
    skip: &dyn Fn(&Mfa) -> bool,
    compiled: &dyn Fn(&Condition, &str) -> bool,
    visit: &mut dyn FnMut(&Frame<'_>, &Expr) -> Step,
    walk: impl FnOnce(&mut Walker<'_, '_>),
) -> WalkSummary {
    let library = known::library();
    let mut w = Walker {
        code,
        known: Known::new(&library),
        limits,
        skip,
        compiled,
        visited: HashSet::default(),
        caught: 0,
        callers: Vec::new(),
        partial: Vec::new(),
        summary: WalkSummary::default(),
        visit,
    };
    walk(&mut w);
    w.summary
}

/// [`walk_reachable_skipping`] of the clauses of a fun written in
/// `within` (the code a process spawned there runs), walked as code of
/// `within`: what it calls is followed as a call from `within` would be.
pub(crate) fn walk_fun_skipping(
    code: &Code<'_>,
    within: &Mfa,
    clauses: &[Clause],
    limits: Limits,
    skip: &dyn Fn(&Mfa) -> bool,
    compiled: &dyn Fn(&Condition, &str) -> bool,
    visit: &mut dyn FnMut(&Frame<'_>, &Expr) -> Step,
) -> WalkSummary {
    let Some(loaded) = code.function(within) else {
        return WalkSummary::default();
    };
    walk_with(code, limits, skip, compiled, visit, |w| {
        for c in clauses {
            let cur = Current {
                mfa: within,
                file: &loaded.file,
                env: std::cell::RefCell::new(Bindings::default()),
            };
            w.clause(c, &cur);
            if w.summary.stopped {
                break;
            }
        }
    })
}

struct Walker<'a, 'c> {
    code: &'a Code<'c>,
    /// Known values and the clauses they choose.
    known: Known<'a>,
    limits: Limits,
    skip: &'a dyn Fn(&Mfa) -> bool,
    /// Whether a macro definition under this condition is the one the
    /// build compiles, in the module of this file: the expansion of a
    /// macro defined in several `-ifdef` branches is walked only in the
    /// branches that hold.
    compiled: &'a dyn Fn(&Condition, &str) -> bool,
    /// Functions walked, with the clauses walked (a call with literal
    /// arguments walks only the clauses those can match).
    visited: HashSet<(Mfa, Vec<bool>, bool), foldhash::fast::FixedState>,
    /// How many such `try` bodies the walk is in ([`Frame::caught`]).
    caught: usize,
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
    env: std::cell::RefCell<Bindings>,
}

impl Walker<'_, '_> {
    fn function(&mut self, mfa: &Mfa, args: Option<&[Cow<'_, Expr>]>) {
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
        let mask = self.known.choose(
            &loaded.function.clauses,
            args,
            &Bindings::default(),
            &mfa.module,
        );
        // A function reached both inside and outside a `catch` is walked
        // once each way: what it calls is caught on one path only.
        if !self
            .visited
            .insert((mfa.clone(), mask.clone(), self.caught > 0))
        {
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
            let mut env = Bindings::default();
            if let Some(args) = args {
                bind_all(&clause.patterns, args, &mut env);
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

    /// The value a call to a function of the project returns, when its
    /// arguments are known and so is what it returns: one clause runs for
    /// them and its body is one expression whose value is known
    /// (`enabled() -> false.`, or a call to another such function, up to
    /// `depth` calls down). A function defined on several `-ifdef`
    /// branches, or whose value comes from anything else (the application
    /// env, which a sys.config may set; a file; a process), is not known.
    fn returned(&mut self, e: &Expr, cur: &Current<'_>, depth: usize) -> Option<Expr> {
        let ExprKind::Call {
            module,
            function,
            args,
        } = &e.kind
        else {
            return None;
        };
        let module = match module {
            Some(m) => m.as_atom()?,
            None => cur.mfa.module.as_str(),
        };
        let mut known = Vec::with_capacity(args.len());
        for a in args {
            known.push(self.known.value(a, &cur.env.borrow(), &cur.mfa.module)?);
        }
        let mfa = Mfa::new(module, function.as_atom()?, u32::try_from(args.len()).ok()?);
        let loaded = self.code.function(&mfa)?;
        if loaded.defs.len() != 1 || loaded.has_parse_errors {
            return None;
        }
        let clauses = &loaded.function.clauses;
        let mask = self
            .known
            .choose(clauses, Some(&known), &Bindings::default(), module);
        let [clause] = clauses
            .iter()
            .zip(&mask)
            .filter(|(_, &on)| on)
            .map(|(c, _)| c)
            .collect::<Vec<_>>()[..]
        else {
            return None;
        };
        let [body] = clause.body.as_slice() else {
            return None;
        };
        let mut env = Bindings::default();
        bind_all(&clause.patterns, &known, &mut env);
        if let Some(v) = self.known.value(body, &env, module) {
            return Some(v);
        }
        let inner = Current {
            mfa: &mfa,
            file: &loaded.file,
            env: std::cell::RefCell::new(env),
        };
        (depth > 1).then(|| self.returned(body, &inner, depth - 1))?
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
        let target = match &e.kind {
            ExprKind::Call { .. } => call_target(e, &cur.mfa.module, self.code),
            _ => None,
        };
        let step = {
            let frame = Frame {
                current: cur.mfa,
                file: cur.file,
                callers: &self.callers,
                partial: &self.partial,
                code: self.code,
                env: &cur.env,
                caught: self.caught > 0,
                call: target.as_ref(),
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
        stacker::maybe_grow(128 * 1024, 2 * 1024 * 1024, || {
            self.children(e, cur, target.as_ref())
        });
        if let ExprKind::Call { .. } = &e.kind {
            self.follow(e, target.as_ref(), cur);
        }
    }

    /// Walks what `e` runs besides the call it makes to `target` (when
    /// it is a call).
    fn children(&mut self, e: &Expr, cur: &Current<'_>, target: Option<&CallTarget<'_>>) {
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
                // Only a fun argument asks whether the callee runs it.
                let runs_funs = args
                    .iter()
                    .any(|a| matches!(a.kind, ExprKind::Fun { .. } | ExprKind::FunRef { .. }))
                    && target.is_some_and(|t| calls_fun_arguments(&t.mfa));
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
                let known = self.known.value(value, &cur.env.borrow(), &cur.mfa.module);
                if let Some(known) = known {
                    bind_all(
                        std::slice::from_ref(pattern),
                        std::slice::from_ref(&known),
                        &mut cur.env.borrow_mut(),
                    );
                }
            }
            // A known subject, or guards known true or false, choose the
            // clauses that run.
            ExprKind::Case { expr, clauses } => {
                self.expr(expr, cur);
                let subject = self
                    .known
                    .value(expr, &cur.env.borrow(), &cur.mfa.module)
                    .or_else(|| self.returned(expr, cur, RETURNED_DEPTH));
                let mask = self.known.choose(
                    clauses,
                    subject.as_ref().map(std::slice::from_ref),
                    &cur.env.borrow(),
                    &cur.mfa.module,
                );
                let taken: Vec<&Clause> = clauses
                    .iter()
                    .zip(&mask)
                    .filter(|(_, &on)| on)
                    .map(|(c, _)| c)
                    .collect();
                // The one clause taken binds its pattern's variables.
                if let (Some(subject), [c]) = (&subject, taken.as_slice()) {
                    bind_all(
                        &c.patterns,
                        std::slice::from_ref(subject),
                        &mut cur.env.borrow_mut(),
                    );
                }
                for c in taken {
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
                let mask = self.known.choose::<Expr>(
                    clauses,
                    Some(&[]),
                    &cur.env.borrow(),
                    &cur.mfa.module,
                );
                for (c, _) in clauses.iter().zip(&mask).filter(|(_, &on)| on) {
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
                for c in else_clauses.iter().flat_map(|cs| cs.iter()) {
                    self.clause(c, cur);
                }
            }
            ExprKind::Try(t) => {
                let crate::syntax::ast::TryExpr {
                    body,
                    of_clauses,
                    catch_clauses,
                    after,
                } = &**t;
                // Only a `try` of `init/1` itself whose every clause for
                // exits returns `{ok, State}`: init/1 goes on. A catch deeper
                // down may turn the exit into an error init/1 fails with
                // (yaws's config loader), and so may `{stop, _}`.
                let exits: Vec<&crate::syntax::ast::CatchClause> = catch_clauses
                    .iter()
                    .filter(|c| match &c.class {
                        Some(class) => class.as_atom().is_none_or(|a| a == "exit"),
                        None => false,
                    })
                    .collect();
                let catches_exits = self.callers.is_empty()
                    && !exits.is_empty()
                    && exits.iter().all(|c| c.body.last().is_some_and(returns_ok));
                self.caught += usize::from(catches_exits);
                for b in body {
                    self.expr(b, cur);
                }
                self.caught -= usize::from(catches_exits);
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

    /// Follows the call `e`, to `target`, into the project, if it goes
    /// there.
    fn follow(&mut self, e: &Expr, target: Option<&CallTarget<'_>>, cur: &Current<'_>) {
        if let Some(t) = target {
            // The arguments' known values are worked out only for a
            // function the walk enters: most calls leave the project or
            // reach a function skipped.
            if !self.may_enter(&t.mfa, t.defined, e.span, cur) || (self.skip)(&t.mfa) {
                return;
            }
            let env = cur.env.borrow();
            // An argument not known is passed as written, borrowed.
            let args: Vec<Cow<'_, Expr>> = t
                .args
                .iter()
                .map(|a| match self.known.value(a, &env, &cur.mfa.module) {
                    Some(v) => Cow::Owned(v),
                    None => Cow::Borrowed(a),
                })
                .collect();
            drop(env);
            self.enter(&t.mfa, Some(&args), e.span, cur);
        }
    }

    fn call(&mut self, mfa: &Mfa, args: Option<&[Cow<'_, Expr>]>, span: Span, cur: &Current<'_>) {
        if self.may_enter(mfa, false, span, cur) {
            self.enter(mfa, args, span, cur);
        }
    }

    /// Whether a call of `mfa` at `span` goes into the project within the
    /// walk's depth; at the depth limit, notes where the walk was cut.
    /// `defined`: the project is known to define `mfa`.
    fn may_enter(&mut self, mfa: &Mfa, defined: bool, span: Span, cur: &Current<'_>) -> bool {
        if self.summary.stopped || !(defined || self.code.defines(mfa)) {
            return false;
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
            return false;
        }
        true
    }

    /// Walks `mfa`, called at `span` of the current function.
    fn enter(&mut self, mfa: &Mfa, args: Option<&[Cow<'_, Expr>]>, span: Span, cur: &Current<'_>) {
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
fn call_target<'e>(e: &'e Expr, module: &str, code: &Code<'_>) -> Option<CallTarget<'e>> {
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
    let mut defined = false;
    let mfa = match m {
        Some(m) => Mfa::new(m.as_atom()?, name, arity),
        None => {
            if code.defines_named(module, name, arity) {
                defined = true;
                Mfa::new(module, name, arity)
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
                args: elems,
                defined: false,
            });
        }
    }
    Some(CallTarget { mfa, args, defined })
}

/// `fun f/1` or `fun m:f/1` with literal parts.
pub(crate) fn fun_ref_target(e: &Expr, module: &str) -> Option<Mfa> {
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

/// `{ok, ...}`: what `init/1` returns to go on.
fn returns_ok(e: &Expr) -> bool {
    matches!(&e.kind, ExprKind::Tuple(items) if items.first().and_then(|i| i.as_atom()) == Some("ok"))
}
