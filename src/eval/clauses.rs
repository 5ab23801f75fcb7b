//! What a body must run and how clauses read in conditions.

use std::collections::{HashMap, HashSet};

type FastSet<K> = HashSet<K, foldhash::fast::FixedState>;
type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

use super::value::Env;
use crate::syntax::{Clause, Expr, ExprKind, Function};

/// `erlang:error/1,2`, `exit/1`, `throw/1` and friends.
pub(super) fn raises_call(e: &Expr) -> bool {
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
/// `exported` are the variables the code after the body may read: a
/// branch of a `case` binds them for what follows the `case`.
pub(super) fn needed_statements(
    init: &[Expr],
    last: &Expr,
    exported: &[&str],
    effects: &dyn Fn(&Expr) -> bool,
) -> Vec<bool> {
    // Most bodies are one expression: nothing to decide.
    if init.is_empty() {
        return Vec::new();
    }
    // foldhash rather than SipHash: every variable of every body run is
    // hashed here (SipHash was most of reading a body).
    let mut live: FastSet<&str> = exported.iter().copied().collect();
    each_var(last, &mut |v| {
        live.insert(v);
    });
    // The variables each statement names, read once for the three uses
    // below.
    let vars: Vec<Vec<&str>> = init
        .iter()
        .map(|e| {
            let mut vs = Vec::new();
            each_var(e, &mut |v| vs.push(v));
            vs
        })
        .collect();
    // The first statement that names each variable: a later statement
    // that names it too reads it (or tests it), it does not bind it.
    let mut first: FastMap<&str, usize> = FastMap::default();
    for (i, vs) in vars.iter().enumerate() {
        for &v in vs {
            first.entry(v).or_insert(i);
        }
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
            | ExprKind::Macro { .. } => vars[i]
                .iter()
                .any(|v| live.contains(v) && !named_before(v, i)),
            _ => true,
        } || effects(e);
        if keep {
            live.extend(vars[i].iter().copied());
        }
        needed[i] = keep;
    }
    needed
}

/// Calls `f` with every variable named in `e` (funs included), `_` left
/// out.
pub(super) fn each_var<'a>(e: &'a Expr, f: &mut dyn FnMut(&'a str)) {
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
pub(crate) fn has_vars(p: &Expr) -> bool {
    let mut found = false;
    each_var(p, &mut |_| found = true);
    found
}

pub(super) fn clause_text(c: &Clause) -> String {
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

pub(super) fn clause_text_args(c: &Clause) -> String {
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

pub(super) fn guards_text(gs: &[Vec<Expr>]) -> Option<String> {
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

/// The argument positions that choose a function's clause: those where
/// some clause has a pattern other than a lone variable, or a variable its
/// guard or another of its patterns reads. The other positions (an
/// accumulator) are only passed along.
pub(super) fn choosing_arguments(clauses: &[&Clause], arity: usize) -> Vec<bool> {
    let mut choose = vec![false; arity];
    for c in clauses {
        for (i, p) in c.patterns.iter().enumerate().take(arity) {
            let ExprKind::Var(v) = &p.kind else {
                choose[i] = true;
                continue;
            };
            if v == "_" {
                continue;
            }
            let mut read = false;
            for g in c.guards.iter().flatten() {
                each_var(g, &mut |x| read |= x == v);
            }
            for (j, q) in c.patterns.iter().enumerate() {
                if j != i {
                    each_var(q, &mut |x| read |= x == v);
                }
            }
            choose[i] |= read;
        }
    }
    choose
}

/// Whether `function` of `module` calls itself by a local or `?MODULE`
/// call.
pub(super) fn calls_itself(function: &Function, in_module: &str, arity: usize) -> bool {
    function
        .clauses
        .iter()
        .any(|c| clause_calls_itself(c, &function.name, in_module, arity))
}

/// Whether a clause of `name`/`arity` of `in_module` calls that function.
pub(super) fn clause_calls_itself(c: &Clause, name: &str, in_module: &str, arity: usize) -> bool {
    let mut found = false;
    c.for_each_expr(&mut |e| {
        crate::syntax::walk_expr(e, Default::default(), &mut |e, _| {
            if let ExprKind::Call {
                module,
                function,
                args,
            } = &e.kind
            {
                let same_module = match module {
                    None => true,
                    Some(m) => m.as_atom() == Some(in_module),
                };
                found |= same_module && args.len() == arity && function.as_atom() == Some(name);
            }
            if found {
                crate::syntax::Walk::SkipChildren
            } else {
                crate::syntax::Walk::Continue
            }
        })
    });
    found
}

/// The variables a `case`, `if` or block may export to the code after it:
/// those named in the body of every clause that returns (a clause ending
/// in `error/1`, `exit/1` or `throw/1` binds nothing for what follows), and
/// not bound before it. Only bodies of several statements need them
/// ([`needed_statements`]): otherwise none.
pub(super) fn exported_vars<'a>(bodies: &[&'a [Expr]], bound: &Env) -> Vec<&'a str> {
    if bodies.iter().all(|b| b.len() < 2) {
        return Vec::new();
    }
    let mut common: Option<FastSet<&'a str>> = None;
    for body in bodies {
        if body.last().is_some_and(raises_call) {
            continue;
        }
        let mut named = FastSet::default();
        for e in *body {
            each_var(e, &mut |v| {
                if !bound.contains_key(v) {
                    named.insert(v);
                }
            });
        }
        common = Some(match common {
            None => named,
            Some(c) => c.intersection(&named).copied().collect(),
        });
    }
    let mut out: Vec<&str> = common.unwrap_or_default().into_iter().collect();
    out.sort_unstable();
    out
}
