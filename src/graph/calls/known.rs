//! What the call walk ([`super`]) knows of values, and the clauses
//! those values choose.
//!
//! A literal argument travels into the called function's parameters, a
//! variable bound to a known value (`Opts = [raw]`) keeps it, and a pure
//! library call on known values (`lists:member(raw, Opts)`) is computed
//! with the evaluator's built-ins ([`crate::eval`]). The walk then enters
//! only the function clauses, `case` clauses and `if` clauses those values
//! can take: patterns and guards are both checked.
//!
//! `node()` and `self()` are known too, not as a value but as themselves:
//! the node does not change, and every function the walk reaches from an
//! `init/1` runs in that one process. So `set(Node, K) when Node == node()`
//! called as `set(node(), K)` takes that clause and not the one that
//! makes a remote call.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::sync::Arc;

use crate::eval::{self, Env, Evaluator, ModCtx, ModuleView, Source, Val, Value};
use crate::syntax::ast::MapField;
use crate::syntax::ast::{BinaryOp, UnaryOp};
use crate::syntax::{Clause, Expr, ExprKind};

/// Variables bound to values known statically: literals, `node()` and
/// `self()`, and terms built of them.
pub(super) type Bindings = HashMap<String, Expr, foldhash::fast::FixedState>;

/// No project code: the evaluator computes only its library built-ins
/// (pure BIFs, `lists`, `maps`, `proplists`...); a call into the project
/// or to anything with effects is not known.
struct LibraryOnly;

impl Source for LibraryOnly {
    fn module(&self, _: &str) -> Option<ModuleView<'_>> {
        None
    }
}

static LIBRARY_ONLY: LibraryOnly = LibraryOnly;

/// The evaluator's code for [`Known`]: its library built-ins only.
pub(super) fn library() -> eval::Code<'static> {
    eval::Code::new(&LIBRARY_ONLY)
}

/// Evaluation steps one expression may take: a guard or a `case` subject
/// is small; this only stops a large fold over a literal list.
const STEPS: usize = 400;

/// How many times each variable of a clause head occurs: a list, not a
/// map, since a head has a few variables and one list serves every
/// clause a call is checked against.
type Names<'a> = Vec<(&'a str, u32)>;

/// Computes known values for one walk.
pub(super) struct Known<'a> {
    ev: Evaluator<'a, 'static>,
}

/// Whether a clause head matches the arguments of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Match {
    /// Surely not: a literal argument differs from a literal pattern, or
    /// a guard is false.
    No,
    /// Cannot tell statically.
    Maybe,
    /// Surely: later clauses never run for this call.
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

impl<'a> Known<'a> {
    /// A calculator over `library` ([`library`]).
    pub(super) fn new(library: &'a eval::Code<'static>) -> Known<'a> {
        let mut ev = Evaluator::new(library);
        ev.limits = eval::Limits::with_steps(Some(STEPS));
        Known { ev }
    }

    /// The value of `e` in `module` when it is known statically, as a
    /// term ([`is_known`]); `None` otherwise.
    pub(super) fn value(&mut self, e: &Expr, env: &Bindings, module: &str) -> Option<Expr> {
        if let Some(v) = evaluate(e, env) {
            return Some(v);
        }
        if !computes(e) || !all_bound(e, env) {
            return None;
        }
        let v = self.eval(e, env, module)?;
        to_expr(&v, e)
    }

    /// The evaluator's value of `e`, when concrete.
    fn eval(&mut self, e: &Expr, env: &Bindings, module: &str) -> Option<Val> {
        let ctx = ModCtx {
            name: module.to_owned(),
            file: Arc::from(""),
            app: None,
        };
        let mut names = Vec::new();
        variables(e, &mut names);
        let mut venv = Env::default();
        for name in names {
            // `node()` and `self()` stay unknown to the evaluator: only
            // their comparisons ([`Known::truth`]) know them.
            if let Some(x) = env.get(name).filter(|x| is_literal(x)) {
                self.ev.begin();
                let v = self.ev.eval(&ctx, x, &mut Env::default());
                venv.insert(name.to_owned(), v);
            }
        }
        self.ev.begin();
        let v = self.ev.eval(&ctx, e, &mut venv);
        v.is_concrete().then_some(v)
    }

    /// Whether `e` is true, when that is known: a guard test, a
    /// comparison, `andalso`/`orelse`/`not` of those.
    pub(super) fn truth(&mut self, e: &Expr, env: &Bindings, module: &str) -> Option<bool> {
        use BinaryOp as O;
        match &e.kind {
            ExprKind::Atom(a) if a == "true" => return Some(true),
            ExprKind::Atom(a) if a == "false" => return Some(false),
            ExprKind::BinaryOp { op, lhs, rhs } => match op {
                O::AndAlso | O::And => {
                    let l = self.truth(lhs, env, module);
                    if l == Some(false) {
                        return l;
                    }
                    return eval::value::and3(l, self.truth(rhs, env, module));
                }
                O::OrElse | O::Or => {
                    let l = self.truth(lhs, env, module);
                    if l == Some(true) {
                        return l;
                    }
                    return eval::value::or3(l, self.truth(rhs, env, module));
                }
                O::Eq | O::ExactEq | O::Ne | O::ExactNe => {
                    if let Some(same) = same_identity(lhs, rhs, env) {
                        return Some(same == matches!(op, O::Eq | O::ExactEq));
                    }
                }
                _ => {}
            },
            ExprKind::UnaryOp {
                op: UnaryOp::Not,
                operand,
            } => return self.truth(operand, env, module).map(|t| !t),
            _ => {}
        }
        match self.value(e, env, module)?.as_atom()? {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }

    /// Whether a guard sequence holds: any alternative (`;`) whose tests
    /// (`,`) all hold. An empty sequence holds.
    fn guard(&mut self, guards: &[Vec<Expr>], env: &Bindings, module: &str) -> Option<bool> {
        if guards.is_empty() {
            return Some(true);
        }
        let mut any = Some(false);
        for alternative in guards {
            let mut all = Some(true);
            for test in alternative {
                all = eval::value::and3(all, self.truth(test, env, module));
                if all == Some(false) {
                    break;
                }
            }
            any = eval::value::or3(any, all);
            if any == Some(true) {
                break;
            }
        }
        any
    }

    /// The clauses that may run for these arguments (`None`: not known),
    /// in `module`, with `outer` the variables bound around them (for a
    /// `case` or `if`; empty for a function): those a pattern or guard
    /// does not rule out, up to the first that surely runs. A function's
    /// clauses get the call's arguments, a `case`'s its subject, an `if`'s
    /// none. When nothing can run, the analysis is wrong somewhere and
    /// every clause is walked.
    pub(super) fn choose<A: Borrow<Expr>>(
        &mut self,
        clauses: &[Clause],
        args: Option<&[A]>,
        outer: &Bindings,
        module: &str,
    ) -> Vec<bool> {
        let mut mask = vec![false; clauses.len()];
        let mut names: Names<'_> = Names::new();
        for (i, c) in clauses.iter().enumerate() {
            let m = match args {
                Some(args) if c.patterns.len() == args.len() => {
                    names.clear();
                    for p in &c.patterns {
                        count_vars(p, &mut names);
                    }
                    c.patterns.iter().zip(args).fold(Match::Yes, |acc, (p, a)| {
                        acc.and(pattern_match(p, a.borrow(), &names))
                    })
                }
                _ => Match::Maybe,
            };
            let m = if m != Match::No && !c.guards.is_empty() {
                // The guard sees the outer variables and those the head
                // binds; a head variable the call does not make known
                // hides an outer one of the same name.
                let mut env = outer.clone();
                for p in &c.patterns {
                    forget(p, &mut env);
                }
                if let Some(args) = args {
                    bind_all(&c.patterns, args, &mut env);
                }
                match self.guard(&c.guards, &env, module) {
                    Some(true) => m,
                    Some(false) => Match::No,
                    None => Match::Maybe,
                }
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
        if !mask.iter().any(|&on| on) {
            mask.fill(true);
        }
        mask
    }
}

/// Binds the variables of `patterns` to the known parts of `args`.
pub(super) fn bind_all<A: Borrow<Expr>>(patterns: &[Expr], args: &[A], env: &mut Bindings) {
    for (p, a) in patterns.iter().zip(args) {
        bind(p, a.borrow(), env);
    }
}

fn bind(p: &Expr, a: &Expr, env: &mut Bindings) {
    use ExprKind as K;
    match (&p.kind, &a.kind) {
        (K::Var(v), _) if v != "_" && is_known(a) => {
            env.insert(v.clone(), a.clone());
        }
        (K::Match { pattern, value }, _) => {
            bind(pattern, a, env);
            bind(value, a, env);
        }
        (K::Tuple(ps), K::Tuple(es)) if ps.len() == es.len() => {
            for (p, e) in ps.iter().zip(es) {
                bind(p, e, env);
            }
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
        ) if pe.len() == ae.len() => {
            for (p, e) in pe.iter().zip(ae) {
                bind(p, e, env);
            }
        }
        _ => {}
    }
}

/// Removes the variables of pattern `p` from `env`.
fn forget(p: &Expr, env: &mut Bindings) {
    if let ExprKind::Var(v) = &p.kind {
        env.remove(v);
    }
    p.for_each_child(&mut |c, _| forget(c, env));
}

fn count_vars<'a>(p: &'a Expr, names: &mut Names<'a>) {
    if let ExprKind::Var(v) = &p.kind {
        match names.iter_mut().find(|(n, _)| *n == v) {
            Some((_, count)) => *count += 1,
            None => names.push((v, 1)),
        }
    }
    p.for_each_child(&mut |c, _| count_vars(c, names));
}

/// The variables `e` reads (not inside a fun).
fn variables<'e>(e: &'e Expr, out: &mut Vec<&'e str>) {
    if let ExprKind::Var(v) = &e.kind {
        if !out.contains(&v.as_str()) {
            out.push(v);
        }
    }
    e.for_each_child(&mut |c, enters_fun| {
        if !enters_fun {
            variables(c, out);
        }
    });
}

/// Whether every variable of `e` is bound in `env` (and `e` holds no fun,
/// whose variables are its own).
fn all_bound(e: &Expr, env: &Bindings) -> bool {
    let mut ok = true;
    check_bound(e, env, &mut ok);
    ok
}

fn check_bound(e: &Expr, env: &Bindings, ok: &mut bool) {
    match &e.kind {
        ExprKind::Var(v) if !env.contains_key(v) => *ok = false,
        ExprKind::Fun { .. } => *ok = false,
        _ => e.for_each_child(&mut |c, _| {
            if *ok {
                check_bound(c, env, ok);
            }
        }),
    }
}

/// Whether evaluating `e` may compute something a literal does not show:
/// a call or an operator.
fn computes(e: &Expr) -> bool {
    let mut found = false;
    find_computation(e, &mut found);
    found
}

fn find_computation(e: &Expr, found: &mut bool) {
    match &e.kind {
        ExprKind::Call { .. } | ExprKind::BinaryOp { .. } | ExprKind::UnaryOp { .. } => {
            *found = true
        }
        _ => e.for_each_child(&mut |c, enters_fun| {
            if !*found && !enters_fun {
                find_computation(c, found);
            }
        }),
    }
}

/// `node()` or `self()` (also `erlang:node()`): the name of the call.
pub(crate) fn identity(e: &Expr) -> Option<&'static str> {
    let ExprKind::Call {
        module,
        function,
        args,
    } = &e.kind
    else {
        return None;
    };
    if !args.is_empty()
        || module
            .as_ref()
            .is_some_and(|m| m.as_atom() != Some("erlang"))
    {
        return None;
    }
    match function.as_atom()? {
        "node" => Some("node"),
        "self" => Some("self"),
        _ => None,
    }
}

/// For `L == R`: whether both sides are `node()`, or both `self()`, or
/// one each (never equal: an atom is not a pid). `None` otherwise.
fn same_identity(l: &Expr, r: &Expr, env: &Bindings) -> Option<bool> {
    let resolve = |e: &Expr| match &e.kind {
        ExprKind::Var(v) => env.get(v).and_then(identity),
        _ => identity(e),
    };
    Some(resolve(l)? == resolve(r)?)
}

/// Whether pattern `p` matches argument `a`, as far as literals tell.
fn pattern_match(p: &Expr, a: &Expr, names: &Names<'_>) -> Match {
    use ExprKind as K;
    match (&p.kind, &a.kind) {
        // A fresh variable (or `_`) matches anything.
        (K::Var(v), _) => {
            if v == "_" || names.iter().find(|(n, _)| *n == v).map_or(0, |(_, c)| *c) <= 1 {
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
pub(super) fn is_literal(e: &Expr) -> bool {
    is_term(e, &|_| false)
}

/// A literal, or a term built of literals, `node()` and `self()`.
pub(super) fn is_known(e: &Expr) -> bool {
    is_term(e, &|x| identity(x).is_some())
}

fn is_term(e: &Expr, leaf: &dyn Fn(&Expr) -> bool) -> bool {
    use ExprKind as K;
    match &e.kind {
        K::Atom(_) | K::Integer { .. } | K::Float { .. } | K::String(_) => true,
        K::Tuple(es) => es.iter().all(|x| is_term(x, leaf)),
        K::List { elems, tail } => {
            elems.iter().all(|x| is_term(x, leaf))
                && tail.as_deref().is_none_or(|t| is_term(t, leaf))
        }
        K::Map(fields) => fields
            .iter()
            .all(|f| !f.exact && is_term(&f.key, leaf) && is_term(&f.value, leaf)),
        K::Binary(els) => els
            .iter()
            .all(|el| el.size.is_none() && is_term(&el.value, leaf)),
        _ => leaf(e),
    }
}

/// The value of `e` when it is known without computing: a literal,
/// `node()`, `self()`, a variable bound to one, a tuple, list or map of
/// those, or `maps:get/3` on a known map. `None` otherwise.
pub(super) fn evaluate(e: &Expr, env: &Bindings) -> Option<Expr> {
    use ExprKind as K;
    let known = match &e.kind {
        K::Var(v) => return env.get(v).cloned(),
        K::Tuple(es) => Expr::new(
            K::Tuple(es.iter().map(|x| evaluate(x, env)).collect::<Option<_>>()?),
            e.span,
        ),
        K::List { elems, tail } => Expr::new(
            K::List {
                elems: elems
                    .iter()
                    .map(|x| evaluate(x, env))
                    .collect::<Option<_>>()?,
                tail: match tail {
                    Some(t) => Some(Box::new(evaluate(t, env)?)),
                    None => None,
                },
            },
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
        _ if is_known(e) => e.clone(),
        _ => return None,
    };
    Some(known)
}

/// A concrete value as a term written at `at`'s place; `None` for what a
/// term cannot show here (a binary, a fun, a record).
fn to_expr(v: &Val, at: &Expr) -> Option<Expr> {
    use ExprKind as K;
    let kind = match v.kind() {
        Value::Atom(a) => K::Atom(a.clone()),
        Value::Int(i) => K::Integer {
            value: Some((*i).into()),
            text: i.to_string().into_boxed_str(),
            char: false,
        },
        Value::Float(f) => K::Float {
            value: *f,
            text: f.to_string(),
        },
        Value::Str(s) => K::String(s.clone()),
        Value::Tuple(es) => K::Tuple(es.iter().map(|x| to_expr(x, at)).collect::<Option<_>>()?),
        Value::List(_) => K::List {
            elems: v
                .as_proper_list()?
                .iter()
                .map(|x| to_expr(x, at))
                .collect::<Option<_>>()?,
            tail: None,
        },
        Value::Map(kvs) => K::Map(
            kvs.iter()
                .map(|(k, x)| {
                    Some(MapField {
                        key: to_expr(k, at)?,
                        value: to_expr(x, at)?,
                        exact: false,
                        span: at.span,
                    })
                })
                .collect::<Option<_>>()?,
        ),
        _ => return None,
    };
    Some(Expr::new(kind, at.span))
}
