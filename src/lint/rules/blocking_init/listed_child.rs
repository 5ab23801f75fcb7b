//! Processes a supervisor has listed: a pid taken from
//! `supervisor:which_children(Sup)` (`[Pid || {_, Pid, _, _} <-
//! supervisor:which_children(vnode_sup)]`) is a child whose start
//! function has returned, so its `init/1` is done: a call to it from
//! `init/1` is to a running process, safe by the start order like a call
//! to a process the same function started just before (`blocking-init`).
//! riak_core's vnode manager asks each vnode so when it restarts.

use crate::graph::calls::{Code, Frame};
use crate::syntax::ast::Qualifier;
use crate::syntax::{walk_expr, walk_function, Expr, ExprKind, Function, Walk};
use crate::syntax::{Span, WalkContext};

/// Why the process in `written` (a call's first argument) is running,
/// when it is a pid `supervisor:which_children/1` listed: in the current
/// function, or in its caller, passing it as an argument.
pub(crate) fn listed_child(code: &Code<'_>, frame: &Frame<'_>, written: &Expr) -> Option<String> {
    let ExprKind::Var(var) = &written.kind else {
        return None;
    };
    let current = code.function(frame.current)?;
    if let Some(sup) = listed(&current.function, var) {
        return Some(why(var, &sup));
    }
    // A parameter: what the caller on the chain passed.
    let position = current.function.clauses.iter().find_map(|c| {
        c.patterns
            .iter()
            .position(|p| matches!(&p.kind, ExprKind::Var(v) if v == var))
    })?;
    let step = frame.callers.last()?;
    let caller = code.function(&step.function)?;
    let arg = call_at(&caller.function, step.span)?.get(position)?;
    let ExprKind::Var(passed) = &arg.kind else {
        return None;
    };
    let sup = listed(&caller.function, passed)?;
    Some(why(var, &sup))
}

fn why(var: &str, sup: &str) -> String {
    format!(
        "`{var}` is a child `supervisor:which_children/1` listed for `{sup}`: a supervisor \
         lists a child once its start function has returned, so its init/1 is done"
    )
}

/// The arguments of the call at `span` in `function`.
fn call_at(function: &Function, span: Span) -> Option<&[Expr]> {
    let mut found = None;
    walk_function(function, &mut |e, _| {
        if let ExprKind::Call { args, .. } = &e.kind {
            if e.span == span {
                found = Some(args.as_slice());
            }
        }
        Walk::Continue
    });
    found
}

/// The supervisor, as written, when `var` is bound in `function` by a
/// generator over the children `supervisor:which_children/1` lists
/// (directly, or over a list of their pids built so).
fn listed(function: &Function, var: &str) -> Option<String> {
    let mut found = None;
    walk_function(function, &mut |e, _| {
        if found.is_none() {
            if let Some(source) = generator_binding(e, var) {
                found = children_of(function, source, 2);
            }
        }
        Walk::Continue
    });
    found
}

/// The list a comprehension's generator binding `var` takes it from.
fn generator_binding<'e>(e: &'e Expr, var: &str) -> Option<&'e Expr> {
    let ExprKind::ListComprehension { qualifiers, .. } = &e.kind else {
        return None;
    };
    qualifiers.iter().find_map(|q| match q {
        Qualifier::Generator {
            pattern, source, ..
        } if binds(pattern, var) => Some(source),
        _ => None,
    })
}

/// The supervisor when `source` is `supervisor:which_children(Sup)`, or a
/// variable bound to it or to a comprehension of the pids it lists
/// (`depth` such variables deep).
fn children_of(function: &Function, source: &Expr, depth: usize) -> Option<String> {
    match &source.kind {
        ExprKind::Call {
            module: Some(m),
            function: f,
            args,
        } if m.as_atom() == Some("supervisor")
            && f.as_atom() == Some("which_children")
            && args.len() == 1 =>
        {
            Some(super::super::short(&args[0]))
        }
        ExprKind::Var(list) if depth > 0 => {
            let mut found = None;
            walk_function(function, &mut |e, _| {
                if let ExprKind::Match { pattern, value } = &e.kind {
                    if matches!(&pattern.kind, ExprKind::Var(v) if v == list) {
                        found = found.take().or_else(|| match &value.kind {
                            ExprKind::ListComprehension { template, .. } => match &template.kind {
                                ExprKind::Var(x) => generator_binding(value, x)
                                    .and_then(|s| children_of(function, s, depth - 1)),
                                _ => None,
                            },
                            _ => children_of(function, value, depth - 1),
                        });
                    }
                }
                Walk::Continue
            });
            found
        }
        _ => None,
    }
}

/// Whether pattern `p` binds `var`.
fn binds(p: &Expr, var: &str) -> bool {
    let mut found = false;
    walk_expr(p, WalkContext::default(), &mut |x, _| {
        found |= matches!(&x.kind, ExprKind::Var(v) if v == var);
        Walk::Continue
    });
    found
}
