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

use super::builtins::Callback;
use super::clauses::*;
use super::code::*;
use super::limits::*;
use super::memo::*;
use super::mfa::Mfa;
use super::reason::{is_raise, EVALUATION_LIMIT, RAISES};
use super::value::{inline_items, or3, Closure, Cond, Env, Item, Loc, Unknown, Val, Value};
use crate::syntax::{Clause, Expr, ExprKind};

/// Whether `v` is a fun taking `arity` arguments.
pub(super) fn is_fun_of_arity(v: &Val, arity: usize) -> bool {
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
pub(super) fn starts_process(v: &Val) -> bool {
    match v.kind() {
        Value::Pid(_) => true,
        Value::Tuple(es) => es.iter().any(|e| matches!(e.kind(), Value::Pid(_))),
        Value::Alt(alts) => alts.iter().any(|(_, x)| starts_process(x)),
        _ => false,
    }
}

/// The longest condition text kept: conditions joined and merged grow
/// without bound otherwise, and every clone copies them.
pub(super) const COND_TEXT: usize = 480;

/// Steps of a walk adding children ([`walks_known_list`]) that get a
/// budget of their own in one evaluation: a start function's boot
/// children (scalaris adds about twenty), each bounded as a whole
/// evaluation would be; past these the steps share what is left.
const OWN_BUDGETS: usize = 64;

/// Subjects with more alternatives than this are matched whole.
pub(super) const MAX_SPLIT: usize = 16;

/// One condition standing for all of `path`.
pub(crate) fn conj(path: &[Cond]) -> Cond {
    let text = shorten_joined(path.iter().map(|c| c.text.as_str()), " and ", COND_TEXT);
    let default = path
        .iter()
        .map(|c| c.default)
        .fold(Some(true), super::value::and3);
    match path.first() {
        // One condition, or a first one already cut at the cap: its text,
        // whose fingerprint is kept rather than hashed again.
        Some(first) if *first.text == *text => {
            let mut c = first.clone();
            c.default = default;
            c
        }
        _ => Cond::new(text, default),
    }
}

/// Conditions merged by [`merged`], by the texts and defaults merged.
/// Texts are shared, so a key names each by where it is, and the entry
/// keeps both alive so that no other text takes that place.
pub(super) type MergedConds = HashMap<
    (usize, Option<bool>, usize, Option<bool>),
    (Cond, Cond, Cond),
    foldhash::fast::FixedState,
>;

/// Merges kept before the table starts again.
const MERGED_KEPT: usize = 4096;

/// The condition of a value that two alternatives share: either
/// condition. The same two are merged again and again (every variable a
/// clause binds on several alternatives, every level of a recursion), so
/// each merge is made once per evaluator.
fn merged(table: &mut MergedConds, a: &Cond, b: &Cond) -> Cond {
    let key = (
        a.text.as_ptr() as usize,
        a.default,
        b.text.as_ptr() as usize,
        b.default,
    );
    if let Some((_, _, m)) = table.get(&key) {
        return m.clone();
    }
    // Capped: merged again and again, the text grew to megabytes, copied
    // on every clone (kazoo: 1.3 GB).
    let text = shorten_joined([a.text.as_str(), b.text.as_str()], " or ", COND_TEXT);
    let default = or3(a.default, b.default);
    let m = if *text == *a.text {
        // Already cut at the cap: the same text, whose fingerprint is
        // kept rather than hashed again.
        let mut m = a.clone();
        m.default = default;
        m
    } else {
        Cond::new(text, default)
    };
    if table.len() >= MERGED_KEPT {
        table.clear();
    }
    table.insert(key, (a.clone(), b.clone(), m.clone()));
    m
}

/// The result of matching a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Match {
    /// It matches, whatever the unknown parts are.
    Yes,
    /// It cannot match.
    No,
    /// It may match.
    Maybe,
}

impl Match {
    /// Both must match.
    pub(crate) fn and(self, other: Match) -> Match {
        match (self, other) {
            (Match::No, _) | (_, Match::No) => Match::No,
            (Match::Yes, Match::Yes) => Match::Yes,
            _ => Match::Maybe,
        }
    }
}

/// A clause that may be taken, with its bindings.
pub(super) struct Branch {
    pub(crate) index: usize,
    pub(crate) env: Env,
    /// Whether the default build takes this clause.
    default: Option<bool>,
    /// When only some alternatives of the subject take it: which.
    via: Option<String>,
}

impl Branch {
    /// The condition of taking this clause, described by `what`.
    pub(super) fn cond(&self, what: String) -> Cond {
        let text = match &self.via {
            Some(v) => format!("{what} ({v})"),
            None => what,
        };
        Cond::new(shorten(&text, 240), self.default)
    }
}

/// Cuts a long condition text: at most `max` characters, cut between
/// conditions, elements or words, saying how many are left out (see
/// [`super::cut`]).
pub(crate) fn shorten(s: &str, max: usize) -> String {
    super::cut::cut(s, max)
}

/// `parts` joined by `sep`, cut between parts past `max` characters
/// (see [`super::cut::cut_joined`]). Paths and merged alternatives are
/// joined again and again: most joins fit, and are written once.
pub(super) fn shorten_joined<'a>(
    parts: impl IntoIterator<Item = &'a str> + Clone,
    sep: &str,
    max: usize,
) -> String {
    let mut len = 0;
    let mut n: usize = 0;
    // A part already cut (ending in its count) before another: the count
    // goes last, so the text is cut as one.
    let mut cut_before = false;
    let mut counted = false;
    for p in parts.clone() {
        cut_before |= counted;
        counted = super::cut::ends_in_count(p);
        len += p.len();
        n += 1;
    }
    let len = len + sep.len() * n.saturating_sub(1);
    if len > max || cut_before {
        return super::cut::cut_joined(parts, sep, max);
    }
    let mut out = String::with_capacity(len);
    for (i, p) in parts.into_iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(p);
    }
    out
}

/// A `supervisor:start_child/2` call the evaluator ran: when a start
/// function adds children to the supervisor it has just started (before
/// returning to its own supervisor), they are part of the tree at boot.
#[derive(Debug, Clone)]
pub(crate) struct StartChildEffect {
    /// The supervisor argument: a started process, or a name.
    pub(crate) target: Val,
    /// The child spec argument.
    pub(crate) spec: Val,
    /// The branches the call is on (empty: always made).
    pub(crate) path: Vec<Cond>,
    /// Set when the call stands for one per element of a list not known.
    pub(crate) computed: Option<String>,
    /// Where the call is.
    pub(crate) loc: Option<Loc>,
    /// The calls that led to it from the body of the function evaluated
    /// first, outermost first (`start/2` calling `riak_core:register/2`,
    /// which reaches a supervisor's API): where the boot makes the call,
    /// which other callers of the same API do not share. Empty when the
    /// `start_child` call is in that body itself.
    pub(crate) chain: Vec<Loc>,
}

/// Evaluates functions over partially known values.
pub(crate) struct Evaluator<'c, 'p> {
    pub(crate) code: &'c Code<'p>,
    pub(crate) limits: Limits,
    pub(super) steps: usize,
    /// The step count past which the value being evaluated gives up: a
    /// statement whose value is not the body's may spend only part of
    /// what is left ([`Evaluator::eval_body`]), so that a costly
    /// statement leaves steps for the value the body returns.
    pub(super) ceiling: usize,
    /// The functions being called, innermost last, each with whether
    /// [`open_recursion`] found every argument choosing its clause not
    /// known, where it was called ([`StartChildEffect::chain`]; `None`
    /// for a fun), and whether it steps through a known list
    /// ([`walks_known_list`]).
    pub(super) stack: Vec<(Mfa, bool, Option<Loc>, bool)>,
    /// Calls on the stack that step through a list known to its end
    /// ([`walks_known_list`]): not counted in [`Limits::depth`].
    pub(super) walk_frames: usize,
    /// Steps of a walk given a budget of their own since the last
    /// [`Evaluator::begin`] (at most [`OWN_BUDGETS`]).
    pub(super) own_budgets: usize,
    /// Recursive calls cut by [`open_recursion`] so far, to tell whether a
    /// call's value depends on the stack.
    pub(super) cut_recursions: usize,
    /// The arguments of the calls on the stack that [`open_recursion`]
    /// found open, innermost last: a recursion cut one step later is read
    /// against them ([`super::recursion`]).
    pub(super) open_calls: Vec<(Mfa, Vec<Val>)>,
    /// Set when a bound was hit since the last [`Evaluator::begin`].
    pub(crate) limit_hit: bool,
    /// The first bound hit since the last [`Evaluator::begin`], and where.
    pub(crate) first_limit: Option<String>,
    /// The first bound hit on a path the default build may take (no
    /// branch condition on it known false there), and where: a bound hit
    /// only on branches the default build does not take leaves the
    /// default build's value whole.
    pub(crate) first_default_limit: Option<String>,
    /// The first bound hit as [`Evaluator::first_default_limit`], where
    /// it may have cut children added at boot (`supervisor:start_child/2`
    /// calls not made): in the first function's body, or in a call that
    /// may add children ([`Evaluator::function_adds_children`]).
    pub(crate) first_effects_limit: Option<String>,
    /// What was assumed since the last [`Evaluator::begin`] (a fun given
    /// to a function not in the project taken as called), for notes.
    pub(crate) assumed: Vec<String>,
    /// Bounds hit so far, to tell whether a call's value was cut.
    pub(super) limit_hits: usize,
    /// Values of calls of the project's functions by their arguments
    /// ([`memo_key`]): a function called again with the same arguments,
    /// by the same or another start function, is evaluated once.
    pub(super) memo: HashMap<(u64, u64), Val, foldhash::fast::FixedState>,
    /// Conditions of alternatives merged so far ([`merged`]).
    pub(super) merged: MergedConds,
    /// Conditions of the branches being evaluated, innermost last.
    pub(super) path: Vec<Cond>,
    /// Reasons of the comprehensions over unknown lists being evaluated.
    pub(super) many: Vec<String>,
    /// `supervisor:start_child/2` calls run since the last
    /// [`Evaluator::begin`].
    pub(crate) start_child_effects: Vec<StartChildEffect>,
    /// Functions that call `supervisor:start_child/2` themselves: a call to
    /// one is evaluated even when its value is dropped.
    pub(crate) adds_children: Arc<HashSet<Mfa>>,
    /// The project's functions read for whether they call one of
    /// [`Evaluator::adds_children`] ([`super::adders`]).
    pub(super) adders: RefCell<AddersMemo>,
    /// Calls answered by whoever runs the evaluation before the library
    /// functions and the project are looked at (a configuration script's
    /// `file:consult/1`, `os:getenv/1`).
    pub(crate) host: Option<Rc<dyn Host>>,
    /// Set while the clauses being run are a function of [`Code`], whose
    /// syntax stays where it is for the whole run (not a fun's clauses,
    /// copied when it is made, nor clauses cut out for a recursion).
    pub(super) stable_ast: bool,
    /// [`needed_statements`] of the bodies of [`Evaluator::stable_ast`]
    /// clauses, by where the body is: a function called again runs the
    /// same bodies, and reading them cost as much as running them.
    pub(super) needed: NeededMemo,
    /// The application whose tree is being evaluated: OTP answers
    /// `application:get_env/1` and `get_application/0` for the
    /// application of the calling process's group leader, which is the
    /// one started, whichever application's module makes the call. `None`
    /// (a supervisor no application starts): the calling module's.
    pub(crate) app: Option<String>,
}

/// [`Evaluator::needed`]: for each body (its first statement's address
/// and its length), the module it is read in, the variables exported
/// and which statements must run. Kept with the set of functions adding
/// children it was read with, which decides it too.
#[derive(Default)]
pub(super) struct NeededMemo {
    adds_children: Option<Arc<HashSet<Mfa>>>,
    bodies: HashMap<(usize, usize), Vec<NeededEntry>, foldhash::fast::FixedState>,
}

type NeededEntry = (String, Vec<String>, Rc<[bool]>);

/// Remote calls answered outside the evaluator: `None` leaves the call to
/// the library functions and the project.
pub(crate) trait Host {
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
    pub(crate) fn new(code: &'c Code<'p>) -> Evaluator<'c, 'p> {
        Evaluator {
            code,
            limits: Limits::default(),
            steps: 0,
            ceiling: usize::MAX,
            stack: Vec::new(),
            walk_frames: 0,
            own_budgets: 0,
            cut_recursions: 0,
            open_calls: Vec::new(),
            limit_hit: false,
            first_limit: None,
            first_default_limit: None,
            first_effects_limit: None,
            assumed: Vec::new(),
            limit_hits: 0,
            memo: HashMap::default(),
            merged: HashMap::default(),
            path: Vec::new(),
            many: Vec::new(),
            start_child_effects: Vec::new(),
            adds_children: Arc::default(),
            adders: RefCell::default(),
            host: None,
            app: None,
            stable_ast: false,
            needed: NeededMemo::default(),
        }
    }

    /// Whether `m:f/arity` is `supervisor:start_child/2`, or the same
    /// function of a supervisor clone (`supervisor3:start_child/2`).
    pub(crate) fn is_start_child(&self, m: &str, f: &str, arity: usize) -> bool {
        (f, arity) == ("start_child", 2)
            && (m == "supervisor"
                || self
                    .code
                    .source
                    .behaviour_call(m, f, &[])
                    .is_some_and(|(otp, _)| otp == "supervisor"))
    }

    /// Nested calls, those stepping through a known list
    /// ([`walks_known_list`]) not counted.
    pub(super) fn call_depth(&self) -> usize {
        self.stack.len() - self.walk_frames
    }

    /// Starts a new top-level evaluation with a fresh budget.
    pub(crate) fn begin(&mut self) {
        self.steps = 0;
        self.ceiling = usize::MAX;
        self.stack.clear();
        self.walk_frames = 0;
        self.own_budgets = 0;
        self.open_calls.clear();
        self.limit_hit = false;
        self.first_limit = None;
        self.first_default_limit = None;
        self.first_effects_limit = None;
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
            // The first function's own call is not part of the chain.
            chain: self
                .stack
                .iter()
                .skip(1)
                .filter_map(|f| f.2.clone())
                .collect(),
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
    pub(super) fn on_branch<T>(&mut self, cond: &Cond, f: impl FnOnce(&mut Self) -> T) -> T {
        self.path.push(cond.clone());
        let r = f(self);
        self.path.pop();
        r
    }

    /// Calls `m:f(args)` as the code would.
    pub(crate) fn call(
        &mut self,
        module: &str,
        function: &str,
        args: Vec<Val>,
        at: Option<Loc>,
    ) -> Val {
        self.remote_call(None, module, function, args, at)
    }

    pub(super) fn limit(&mut self, what: &str, at: Option<Loc>) -> Val {
        let text = || match &at {
            Some(l) => format!("{what} at {l}"),
            None => what.to_owned(),
        };
        if !self.limit_hit {
            self.first_limit = Some(text());
        }
        let default_path = self.path.iter().all(|c| c.default != Some(false));
        if self.first_default_limit.is_none() && default_path {
            self.first_default_limit = Some(text());
        }
        // Cut in the first function's body, or in a call below it that may
        // add children: the children it adds after that point are missing.
        // Not in a value that adds none (a router table built for a
        // listener's options, CloudI's cowboy examples). Only once a child
        // was added: without one there is no note, and most evaluations
        // (`init/1`) add none, so the stack is not read for them.
        if self.first_effects_limit.is_none()
            && default_path
            && !self.start_child_effects.is_empty()
            && (self.stack.len() <= 1
                || self
                    .stack
                    .iter()
                    .skip(1)
                    .any(|k| self.function_adds_children(&k.0)))
        {
            self.first_effects_limit = Some(text());
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
            // The host may evaluate syntax of its own.
            let stable = std::mem::replace(&mut self.stable_ast, false);
            let answer = host.call(self, module, function, &args, &at);
            self.stable_ast = stable;
            if let Some(v) = answer {
                return v;
            }
        }
        if let Some(v) = super::builtins::call(self, ctx, module, function, &args, &at) {
            return v;
        }
        // A clone of an OTP behaviour (`supervisor2`) is called as the original.
        if let Some((otp, otp_args)) = self.code.source.behaviour_call(module, function, &args) {
            if let Some(v) = super::builtins::call(self, ctx, &otp, function, &otp_args, &at) {
                return v;
            }
        }
        if self.code.has_module(module) {
            return self.apply(module, function, args, at);
        }
        // Joined in place: most calls evaluated leave the project.
        let mut call = crate::syntax::print::atom_text(module);
        call.push(':');
        call.push_str(&crate::syntax::print::atom_text(function));
        call.push('/');
        super::value::push_int(&mut call, args.len() as i128);
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
        let key = Mfa::new(module, function, args.len() as u32);
        let defs = self.code.loaded(&key);
        self.apply_loaded(module, function, key, defs, args, at)
    }

    /// [`Evaluator::apply`] of `key`, whose definitions were looked up.
    pub(super) fn apply_loaded(
        &mut self,
        module: &str,
        function: &str,
        key: Mfa,
        defs: Option<Arc<LoadedFunction>>,
        args: Vec<Val>,
        at: Option<Loc>,
    ) -> Val {
        let arity = key.arity;
        let Some(defs) = defs else {
            return Val::unknown(
                format!(
                    "{}:{}/{arity} is not defined",
                    crate::syntax::print::atom_text(module),
                    crate::syntax::print::atom_text(function)
                ),
                at,
            );
        };
        if self.call_depth() >= self.limits.depth {
            return self.limit("call depth", at);
        }
        let calls = self.stack.iter().filter(|k| k.0 == key).count();
        // Steps of a walk below do not count against a recursion of its
        // own (a nested supervisor's list added by the same function).
        let own_calls = self.stack.iter().filter(|k| k.0 == key && !k.3).count();
        let choosing = self.code.choosing_arguments(&key, &defs);
        // A recursion over a list known to its end that adds children
        // (`add_all(S, [C | T]) -> add(S, C), add_all(S, T)`) is followed
        // to the end of the list, up to its own bound: stopping at the
        // general one listed only the first twelve children (scalaris'
        // `sup:add_childs/3`). Its steps count no deeper than its first.
        let walk = calls > 0
            && calls < self.limits.list_walk
            && walks_known_list(&choosing, &args)
            && self.function_adds_children(&key);
        if own_calls >= self.limits.same_function && !walk {
            return self.limit("recursion", at);
        }
        if let Some(i) = split_argument(&choosing, &args, &defs) {
            // Each value on its own: a recursion over the default build's
            // list gives that list's result, instead of every clause's
            // bindings joined into alternatives at each level (an env list
            // folded by an accumulator, CloudI's cpg_sup).
            let alt = args[i].clone();
            return self.lift1(&alt, at.clone(), &mut |ev, x| {
                let mut args = args.clone();
                args[i] = x.clone();
                ev.apply(module, function, args, at.clone())
            });
        }
        let open = open_recursion(&choosing, &args);
        if open
            && self
                .stack
                .iter()
                .rev()
                .find(|k| k.0 == key)
                .is_some_and(|k| k.1)
        {
            // Unfolding again would choose among the same clauses on
            // values known no better, multiplying the alternatives at each
            // level until a bound: the value of this call is not known,
            // and only it.
            self.cut_recursions += 1;
            if let Some(first) = self.open_calls.iter().rev().find(|c| c.0 == key) {
                let first = first.1.clone();
                let reason = Self::many_reason(&choosing, &first);
                let widened = self.widen(&defs, &choosing, &first, &args, &reason, &at);
                if let Some(v) = widened {
                    return v;
                }
            }
            return Val::unknown(Self::cut_reason(module, function, args.len()), at);
        }
        let memo = memo_key(&key, &args);
        if let Some(v) = memo.as_ref().and_then(|k| self.memo.get(k)) {
            return v.at(at);
        }
        let (effects, hits, cuts) = (
            self.start_child_effects.len(),
            self.limit_hits,
            self.cut_recursions,
        );
        if open {
            self.open_calls.push((key.clone(), args.clone()));
        }
        let own_budget = self.own_budgets < OWN_BUDGETS
            && if walk {
                // A step of the outermost walk: every walk on the stack is
                // this one's earlier steps, not a walk of a child's own
                // children (scalaris' nested supervisors).
                let chain = self.stack.iter().rev().take_while(|k| k.0 == key);
                chain.filter(|k| k.3).count() == self.walk_frames
            } else {
                // Its first step, which adds the first child.
                calls == 0
                    && self.walk_frames == 0
                    && walks_known_list(&choosing, &args)
                    && self.function_adds_children(&key)
            };
        // Each child the walk adds is evaluated with a budget of its own
        // (issue 15: degrade locally): one that starts a supervisor of
        // many children (`sup:add_childs/3` starting each nested
        // supervisor's own) does not take the steps of the children after
        // it. The step resumes the count of the step before it.
        let saved_budget = own_budget.then(|| {
            self.own_budgets += 1;
            let saved = (self.steps, self.ceiling);
            self.steps = 0;
            self.ceiling = usize::MAX;
            saved
        });
        self.stack.push((key, open, at.clone(), walk));
        self.walk_frames += usize::from(walk);
        let stable = std::mem::replace(&mut self.stable_ast, true);
        let result = stacker::maybe_grow(256 * 1024, 4 * 1024 * 1024, || {
            if defs.len() == 1 {
                let d = &defs[0];
                self.apply_clauses(
                    &d.module,
                    &d.function.clauses,
                    &args,
                    &Env::default(),
                    &at,
                    Some((&d.module.name, &d.function.name)),
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
                            &Env::default(),
                            &at,
                            Some((&d.module.name, &d.function.name)),
                        )
                    });
                    alts.push((cond, v));
                }
                self.make_alt(alts, at.clone())
            }
        });
        self.stable_ast = stable;
        self.stack.pop();
        self.walk_frames -= usize::from(walk);
        if let Some((steps, ceiling)) = saved_budget {
            self.steps = steps;
            self.ceiling = ceiling;
        }
        let result = if open {
            self.open_calls.pop();
            let cut = Self::cut_reason(module, function, args.len());
            let reason = Self::many_reason(&choosing, &args);
            self.close_recursion(result, &cut, &reason, &at)
        } else {
            result
        };
        // A value cut by a bound depends on the stack and the budget, and
        // a call that adds children must run again to add them again.
        if let Some(k) = memo {
            if self.limit_hits == hits
                && self.cut_recursions == cuts
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
    pub(super) fn apply_clauses(
        &mut self,
        ctx: &ModCtx,
        clauses: &[Clause],
        args: &[Val],
        base: &Env,
        at: &Option<Loc>,
        callee: Option<(&str, &str)>,
    ) -> Val {
        let mut branches = self.select(ctx, clauses, args, base);
        if branches.is_empty() {
            let shown: Vec<String> = args.iter().map(super::words::argument).collect();
            return Val::unknown(
                shorten(&format!("no clause matches ({})", shown.join(", ")), 480),
                at.clone(),
            );
        }
        if let [one] = branches.as_mut_slice() {
            // Words only when they are read: one branch has no condition.
            let body = &clauses[one.index].body;
            return self.eval_body(ctx, body, &mut one.env);
        }
        // Named only when several clauses may be taken: most calls take one.
        let callee = match callee {
            Some((m, f)) => callee_name(m, f, args.len()),
            None => "a fun".to_owned(),
        };
        let mut alts = Vec::new();
        let words = super::clause_words::ArgWords::new(args);
        for b in branches {
            let clause = &clauses[b.index];
            // With `via` (which alternatives of an argument the clause
            // takes) an argument's alternatives are not listed again.
            let cond = b.cond(super::clause_words::clause_condition(
                &callee,
                clauses,
                b.index,
                &words,
                b.via.is_none(),
            ));
            let mut env = b.env;
            let v = self.on_branch(&cond, |ev| ev.eval_body(ctx, &clause.body, &mut env));
            alts.push((cond, v));
        }
        self.make_alt(alts, at.clone())
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
        // No alternative in the subject (most calls): one combination,
        // the subject itself, with nothing split.
        let split: Vec<Vec<(Vec<Cond>, Val)>> =
            if subject.iter().any(|s| matches!(s.kind(), Value::Alt(_))) {
                subject.iter().map(|s| alternatives(s, MAX_SPLIT)).collect()
            } else {
                Vec::new()
            };
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
        // Each combination's condition, joined once: clauses taking the
        // same combinations, and every variable they bind, name it again.
        let mut combo_conds: Vec<Option<Cond>> = vec![None; combos.len()];
        let mut combo_cond = |k: usize| -> Cond {
            combo_conds[k]
                .get_or_insert_with(|| conj(&combos[k].0))
                .clone()
        };
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
                let conds: Vec<Cond> = matched.iter().map(|(k, _)| combo_cond(*k)).collect();
                conds
                    .iter()
                    .map(|c| c.text.as_str())
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
                        .filter_map(|(k, e)| Some((combo_cond(*k), e.get(&var)?.clone())))
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

    pub(super) fn match_clause(
        &mut self,
        ctx: &ModCtx,
        c: &Clause,
        subject: &[Val],
        env: &mut Env,
    ) -> Match {
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
    pub(crate) fn make_alt(&mut self, alts: Vec<(Cond, Val)>, at: Option<Loc>) -> Val {
        let mut kept: Vec<(Cond, Val)> = Vec::new();
        let mut raising = None;
        for (c, v) in alts {
            if is_raise(&v) {
                raising = Some(v);
                continue;
            }
            if let Some((kc, _)) = kept.iter_mut().find(|(_, kv)| kv.key_fp() == v.key_fp()) {
                // The same value on two branches: it holds under either.
                *kc = merged(&mut self.merged, kc, &c);
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
        self.eval_body_exporting(ctx, body, env, &[])
    }

    /// [`Evaluator::eval_body`] of a body whose bindings of `exported` the
    /// code after it reads (a branch of a `case`, a block).
    pub(super) fn eval_body_exporting(
        &mut self,
        ctx: &ModCtx,
        body: &[Expr],
        env: &mut Env,
        exported: &[&str],
    ) -> Val {
        let Some((last, init)) = body.split_last() else {
            return Val::unknown("empty body", None);
        };
        let needed = self.needed_statements(ctx, body, exported);
        for (e, &needed) in init.iter().zip(needed.iter()) {
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

    /// [`needed_statements`] of `body`, read once per body of a function
    /// of [`Code`] ([`Evaluator::needed`]).
    fn needed_statements(&mut self, ctx: &ModCtx, body: &[Expr], exported: &[&str]) -> Rc<[bool]> {
        let Some((last, init)) = body.split_last() else {
            return Rc::from([]);
        };
        let read = |ev: &Self| -> Rc<[bool]> {
            needed_statements(init, last, exported, &|e| ev.may_add_children(&ctx.name, e)).into()
        };
        if init.is_empty() || !self.stable_ast {
            return read(self);
        }
        let same_adders = self
            .needed
            .adds_children
            .as_ref()
            .is_some_and(|a| Arc::ptr_eq(a, &self.adds_children));
        if !same_adders {
            self.needed.bodies.clear();
            self.needed.adds_children = Some(self.adds_children.clone());
        }
        let key = (body.as_ptr() as usize, body.len());
        let same = |(m, x, _): &&NeededEntry| {
            *m == ctx.name && x.iter().map(String::as_str).eq(exported.iter().copied())
        };
        if let Some(hit) = self
            .needed
            .bodies
            .get(&key)
            .and_then(|es| es.iter().find(same))
        {
            return hit.2.clone();
        }
        let needed = read(self);
        self.needed.bodies.entry(key).or_default().push((
            ctx.name.clone(),
            exported.iter().map(|x| (*x).to_owned()).collect(),
            needed.clone(),
        ));
        needed
    }

    /// Evaluates expressions in order, each but the last with a share of
    /// the steps left ([`Evaluator::within_share`]): one costly element
    /// leaves the others known.
    pub(super) fn eval_each(&mut self, ctx: &ModCtx, es: &[Expr], env: &mut Env) -> Vec<Val> {
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
    pub(super) fn out_of_steps(&self) -> bool {
        self.steps > self.ceiling.min(self.limits.steps)
    }

    /// Starts a new top-level evaluation of what runs only at run time
    /// (a `start_child` call, a wrapper's caller) and runs `f` in it with
    /// the run-time share of the steps ([`Limits::run_time_share`]).
    pub(crate) fn begin_run_time<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        let limits = self.limits;
        self.limits = limits.run_time_share();
        self.begin();
        let r = f(self);
        self.limits = limits;
        r
    }

    /// Runs `f` with at most half of the steps left: a statement before
    /// the body's value (a config read, a lookup, a loop) cannot take the
    /// steps the returned value needs, so what runs out is only its own
    /// value (degrading locally, issue 15).
    pub(super) fn within_share<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        let saved = self.ceiling;
        let bound = saved.min(self.limits.steps);
        self.ceiling = self.steps + bound.saturating_sub(self.steps) / 2;
        let r = f(self);
        self.ceiling = saved;
        r
    }
}

/// Whether a call is a recursion over values not known: every argument
/// that chooses the function's clause ([`choosing_arguments`]) is not
/// known, nor is the first element of it if a list, so that every clause
/// may be taken, as it may at the call it recurses from. A function whose
/// clauses take lone variables is not: its body decides.
pub(super) fn open_recursion(choosing: &[bool], args: &[Val]) -> bool {
    fn open(v: &Val) -> bool {
        match v.kind() {
            Value::Unknown(_) => true,
            Value::List(items) => matches!(
                inline_items(items).first(),
                Some(Item::Many { .. } | Item::Splice(_))
            ),
            Value::Alt(alts) => alts.iter().all(|(_, x)| open(x)),
            _ => false,
        }
    }
    choosing.iter().any(|&c| c) && choosing.iter().zip(args).all(|(&c, a)| !c || open(a))
}

/// Whether an argument choosing the function's clause is a list whose
/// first element is there on every branch (its value may be unknown), or
/// the empty list: a recursion taking one element a call steps through
/// the list's known part, which ends, whatever follows it (parts that
/// depend on the config, scalaris' `sup_scalaris:childs/1`, or a part of
/// unknown length, read as any other when the walk reaches it).
fn walks_known_list(choosing: &[bool], args: &[Val]) -> bool {
    fn head_known(v: &Val, depth: u8) -> bool {
        depth > 0
            && match v.kind() {
                Value::List(items) => match items.first() {
                    None | Some(Item::One(_)) => true,
                    Some(Item::Splice(x)) => head_known(x, depth - 1),
                    Some(Item::Many { .. }) => false,
                },
                Value::Str(_) => true,
                Value::Alt(alts) => alts.iter().all(|(_, x)| head_known(x, depth - 1)),
                _ => false,
            }
    }
    choosing
        .iter()
        .zip(args)
        .any(|(&c, a)| c && head_known(a, 8))
}

/// The argument of a call of a recursive function (`defs`) that chooses
/// its clause and is one of a few values among which a list (an env list
/// and "set otherwise"), for [`Evaluator::apply`] to evaluate the
/// call one value at a time. Functions that do not call themselves (a
/// start function's `is_list/1` guard) take the values together.
fn split_argument(choosing: &[bool], args: &[Val], defs: &[FnDef]) -> Option<usize> {
    /// More values than this are matched together, as any other `Alt`.
    const SPLIT_VALUES: usize = 4;
    let i = choosing.iter().zip(args).position(|(&c, a)| {
        c && matches!(a.kind(), Value::Alt(_)) && {
            let alts = alternatives(a, SPLIT_VALUES + 1);
            alts.len() <= SPLIT_VALUES
                && alts
                    .iter()
                    .any(|(_, x)| matches!(x.kind(), Value::List(_) | Value::Str(_)))
        }
    })?;
    defs.iter()
        .any(|d| calls_itself(&d.function, &d.module.name, args.len()))
        .then_some(i)
}

/// The presence of a value's alternatives, for callers that split an `Alt`.
pub(crate) fn alternatives(v: &Val, max: usize) -> Vec<(Vec<Cond>, Val)> {
    pub(super) fn go(v: &Val, path: &[Cond], out: &mut Vec<(Vec<Cond>, Val)>, max: usize) {
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

/// The built-ins call back into the evaluator through [`Callback`], which
/// they own: they depend on it, not on the evaluator.
impl Callback for Evaluator<'_, '_> {
    fn code(&self) -> &Code<'_> {
        self.code
    }

    fn limits(&self) -> &Limits {
        &self.limits
    }

    fn app(&self) -> Option<&String> {
        self.app.as_ref()
    }

    fn function_adds_children(&self, mfa: &Mfa) -> bool {
        Evaluator::function_adds_children(self, mfa)
    }

    fn may_add_children(&self, module: &str, e: &Expr) -> bool {
        Evaluator::may_add_children(self, module, e)
    }

    fn record_start_child(&mut self, target: &Val, spec: &Val, at: &Option<Loc>) {
        Evaluator::record_start_child(self, target, spec, at)
    }

    fn for_many<T>(&mut self, reason: &str, f: impl FnOnce(&mut Self) -> T) -> T {
        Evaluator::for_many(self, reason, f)
    }

    fn limit(&mut self, what: &str, at: Option<Loc>) -> Val {
        Evaluator::limit(self, what, at)
    }

    fn remote_call(
        &mut self,
        ctx: Option<&ModCtx>,
        module: &str,
        function: &str,
        args: Vec<Val>,
        at: Option<Loc>,
    ) -> Val {
        Evaluator::remote_call(self, ctx, module, function, args, at)
    }

    fn apply_fun(&mut self, fv: &Val, args: Vec<Val>, loc: Option<Loc>) -> Val {
        Evaluator::apply_fun(self, fv, args, loc)
    }

    fn lift1(
        &mut self,
        v: &Val,
        loc: Option<Loc>,
        f: &mut dyn FnMut(&mut Self, &Val) -> Val,
    ) -> Val {
        Evaluator::lift1(self, v, loc, f)
    }

    fn make_alt(&mut self, alts: Vec<(Cond, Val)>, at: Option<Loc>) -> Val {
        Evaluator::make_alt(self, alts, at)
    }
}

/// `m:f/2`, as a clause's condition names the function.
pub(super) fn callee_name(module: &str, function: &str, arity: usize) -> String {
    format!(
        "{}:{}/{arity}",
        crate::syntax::print::atom_text(module),
        crate::syntax::print::atom_text(function)
    )
}
