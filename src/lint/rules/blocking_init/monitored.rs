//! A `receive` for the `'DOWN'` message of a monitor (`blocking-init`).
//!
//! A monitor always delivers its 'DOWN' message: when the process exits,
//! or at once (reason `noproc`) when it is already gone. A `receive` whose
//! every clause takes one (`{'DOWN', MRef, process, Pid, _}`) does not
//! wait forever but as long as the monitored process lives: not at all
//! after `exit(Pid, kill)`, as long as the code it runs for a process the
//! same function spawned, until it exits for any other process (a wait on
//! another process, like a call to it). A `receive` that also takes other
//! messages (a reply) ends at the latest with the 'DOWN' of a monitor its
//! clauses name, and is judged the same way.

use crate::graph::calls::{fun_ref_target, Code, Frame, Mfa};
use crate::syntax::{
    walk_expr, walk_function, Clause, Expr, ExprKind, Function, Span, Walk, WalkContext,
};

/// What a `receive` for a 'DOWN' message waits for.
#[derive(Debug)]
pub(crate) enum Down {
    /// The monitored process is gone before the wait: killed on the way
    /// (`exit(Pid, kill)`), or its 'EXIT' taken by the `receive` branch
    /// holding the wait. Its 'DOWN' comes at once.
    Gone,
    /// A process the same function spawned (the spawn at `at`), which
    /// runs `code`: the wait lasts as long as that code runs.
    Spawned { at: Span, code: Spawned },
    /// Another process, named when the receive or the monitor names it
    /// (`Pid`): the wait lasts until it exits, or until another message
    /// the receive takes comes (`others`).
    Existing {
        pid: Option<String>,
        others: bool,
        /// Where the process was spawned, when the same function spawned
        /// it and the receive also takes other messages: the process may
        /// send one at any point of its code (`{Pid, started}` before it
        /// loops), so that code does not bound the wait.
        spawned_at: Option<Span>,
    },
}

/// The code a spawned process runs.
#[derive(Debug)]
pub(crate) enum Spawned {
    /// A fun written at the spawn, or bound to a variable before it.
    Fun(Vec<Clause>),
    /// `spawn_monitor(M, F, A)`, `spawn_monitor(fun m:f/0)`.
    Function(Mfa),
    /// A fun the function does not write (an argument): not read.
    Unknown,
}

/// What the `receive` at `e` waits for, when each of its clauses takes
/// the 'DOWN' message of a monitor; `None` for any other `receive`.
pub(crate) fn down_wait(code: &Code<'_>, frame: &Frame<'_>, e: &Expr) -> Option<Down> {
    let ExprKind::Receive { clauses, .. } = &e.kind else {
        return None;
    };
    if clauses.is_empty() {
        return None;
    }
    let mut refs = Vec::new();
    let mut pids = Vec::new();
    // Clauses for other messages (a reply, as in `gen:call`'s own wait):
    // the receive ends with one of them or with the 'DOWN', whichever
    // comes first, so the 'DOWN' still bounds it, when it is a monitor's
    // that the clauses name (`{'DOWN', MRef, ...}`, not `_`).
    let mut others = false;
    for c in clauses {
        match c.patterns.as_slice() {
            [p] => match down_pattern(p) {
                Some((r, pid)) => {
                    refs.extend(r);
                    pids.extend(pid);
                }
                None => others = true,
            },
            _ => others = true,
        }
    }
    if others && refs.is_empty() {
        return None;
    }
    let named = pids.first().cloned();
    let Some(current) = code.function(frame.current) else {
        return Some(Down::Existing {
            pid: named,
            others,
            spawned_at: None,
        });
    };
    let before = run_before(&current.function, e);
    // The monitored process is killed first: nothing to wait for.
    let killed = |pid: &str| {
        before
            .iter()
            .any(|s| kill_of(frame, s).is_some_and(|k| k == pid))
    };
    // In the branch of a `receive` that took the process's 'EXIT' (a
    // supervisor emptying its mailbox of a child that died before the
    // unlink: `{'EXIT', Pid, Why} -> receive {'DOWN', _, process, Pid, _}
    // -> .. end`): the process is gone too.
    if pids
        .iter()
        .any(|p| killed(p) || in_exit_branch(&current.function, e, p))
    {
        return Some(Down::Gone);
    }
    // The last binding of the reference before the wait, and the pids
    // bound from a spawn before it.
    let mut monitor: Option<Monitor<'_>> = None;
    let mut spawned_pids: Vec<(String, &Expr)> = Vec::new();
    for s in &before {
        walk_expr(s, WalkContext::default(), &mut |x, cx| {
            if cx.in_fun {
                return Walk::SkipChildren;
            }
            let ExprKind::Match { pattern, value } = &x.kind else {
                return Walk::Continue;
            };
            match &pattern.kind {
                ExprKind::Var(v) if refs.contains(v) => {
                    if let Some(m) = monitor_call(frame, value) {
                        monitor = Some(Monitor::Of(m));
                    }
                }
                ExprKind::Var(v) => {
                    if let Some(call) = spawn_call(frame, value) {
                        spawned_pids.push((v.clone(), call));
                    }
                }
                // `{Pid, Ref} = spawn_monitor(..)` (or `spawn_opt` with
                // `monitor`, which returns the same pair).
                ExprKind::Tuple(t) if t.len() == 2 => {
                    if matches!(&t[1].kind, ExprKind::Var(v) if refs.contains(v)) {
                        if let Some(call) = spawn_call(frame, value) {
                            monitor = Some(Monitor::Spawn(call));
                        }
                    }
                }
                _ => {}
            }
            Walk::Continue
        });
    }
    let function = &current.function;
    let spawned = |call: &Expr| match others {
        true => Down::Existing {
            pid: None,
            others,
            spawned_at: Some(call.span),
        },
        false => Down::Spawned {
            at: call.span,
            code: spawned_code(frame, function, call),
        },
    };
    match monitor {
        Some(Monitor::Spawn(call)) => Some(spawned(call)),
        Some(Monitor::Of(target)) => {
            let var = match &target.kind {
                ExprKind::Var(v) => Some(v.clone()),
                _ => None,
            };
            if let Some(v) = &var {
                if killed(v) {
                    return Some(Down::Gone);
                }
                if let Some((_, call)) = spawned_pids.iter().rev().find(|(p, _)| p == v) {
                    return Some(spawned(call));
                }
            }
            let written = target.as_atom().map(crate::syntax::print::atom_text);
            Some(Down::Existing {
                pid: named.or(var).or(written),
                others,
                spawned_at: None,
            })
        }
        // The reference comes from elsewhere (an argument): a 'DOWN'
        // still comes only from a monitor.
        None => Some(Down::Existing {
            pid: named,
            others,
            spawned_at: None,
        }),
    }
}

/// How the reference of the 'DOWN' was made.
enum Monitor<'e> {
    /// `monitor(process, Target)`: the process monitored, as written.
    Of(&'e Expr),
    /// A spawn that monitors the process it starts (`spawn_monitor`).
    Spawn(&'e Expr),
}

/// `{'DOWN', Ref, process, Pid, _}`: the reference's and the pid's
/// variable names (when they are variables one can name, not `_`).
fn down_pattern(p: &Expr) -> Option<(Option<String>, Option<String>)> {
    let ExprKind::Tuple(t) = &p.kind else {
        return None;
    };
    if t.len() != 5 || t[0].as_atom() != Some("DOWN") {
        return None;
    }
    let ExprKind::Var(r) = &t[1].kind else {
        return None;
    };
    // A process, not a port or a node: `process` or any type.
    let process = t[2]
        .as_atom()
        .map_or_else(|| matches!(t[2].kind, ExprKind::Var(_)), |a| a == "process");
    if !process {
        return None;
    }
    let named = |v: &str| (!v.starts_with('_')).then(|| v.to_owned());
    let pid = match &t[3].kind {
        ExprKind::Var(v) => named(v),
        _ => None,
    };
    Some((named(r), pid))
}

/// The expressions that run before `e` on its way: in each body (of a
/// function clause, a `case` branch, a fun, ...) holding `e`, those
/// before the one holding it, in source order.
fn run_before<'f>(function: &'f Function, e: &Expr) -> Vec<&'f Expr> {
    let bodies = super::bodies(function, true);
    let holds = |x: &Expr| x.span.encloses(e.span);
    let mut out: Vec<&'f Expr> = Vec::new();
    for body in bodies {
        if let Some(i) = body.iter().position(holds) {
            out.extend(&body[..i]);
        }
    }
    out.sort_by_key(|x| x.span.start);
    out
}

/// Whether `e` is in the body of a `receive` clause of `function` that
/// takes the 'EXIT' message of the process `pid` (`{'EXIT', Pid, _}`).
fn in_exit_branch(function: &Function, e: &Expr, pid: &str) -> bool {
    let holds = |x: &Expr| x.span.encloses(e.span);
    let mut found = false;
    walk_function(function, &mut |x, _| {
        if found || !holds(x) {
            return Walk::SkipChildren;
        }
        if let ExprKind::Receive { clauses, .. } = &x.kind {
            found = clauses
                .iter()
                .any(|c| exit_of(&c.patterns) == Some(pid) && c.body.iter().any(holds));
        }
        Walk::Continue
    });
    found
}

/// The variable of `{'EXIT', Pid, _}`, a `receive` clause's one pattern.
fn exit_of(patterns: &[Expr]) -> Option<&str> {
    let [p] = patterns else {
        return None;
    };
    let ExprKind::Tuple(t) = &p.kind else {
        return None;
    };
    match t.as_slice() {
        [tag, pid, _] if tag.as_atom() == Some("EXIT") => match &pid.kind {
            ExprKind::Var(v) => Some(v),
            _ => None,
        },
        _ => None,
    }
}

/// `exit(Pid, kill)` (also as `_ = exit(Pid, kill)`): the variable killed.
fn kill_of<'e>(frame: &Frame<'_>, s: &'e Expr) -> Option<&'e str> {
    let call = match &s.kind {
        ExprKind::Match { value, .. } => value,
        _ => s,
    };
    let t = frame.target(call)?;
    if (t.mfa.module.as_str(), t.mfa.function.as_str(), t.mfa.arity) != ("erlang", "exit", 2)
        || t.args[1].as_atom() != Some("kill")
    {
        return None;
    }
    match &t.args[0].kind {
        ExprKind::Var(v) => Some(v),
        _ => None,
    }
}

/// The process `monitor(process, P)` (`erlang:monitor/2,3`) monitors,
/// found in `value` (also in a branch: `case R of undefined ->
/// monitor(process, P); _ -> R end`).
fn monitor_call<'e>(frame: &Frame<'_>, value: &'e Expr) -> Option<&'e Expr> {
    let mut found = None;
    walk_expr(value, WalkContext::default(), &mut |x, cx| {
        if cx.in_fun {
            return Walk::SkipChildren;
        }
        if let Some(t) = frame.target(x) {
            if t.mfa.module == "erlang"
                && t.mfa.function == "monitor"
                && matches!(t.mfa.arity, 2 | 3)
                && t.args[0].as_atom() != Some("port")
            {
                found = Some(&t.args[1]);
            }
        }
        Walk::Continue
    });
    found
}

/// `value` when it is a spawn (`erlang` or `proc_lib`: `spawn`,
/// `spawn_link`, `spawn_monitor`, `spawn_opt`).
fn spawn_call<'e>(frame: &Frame<'_>, value: &'e Expr) -> Option<&'e Expr> {
    let t = frame.target(value)?;
    (matches!(t.mfa.module.as_str(), "erlang" | "proc_lib")
        && matches!(
            t.mfa.function.as_str(),
            "spawn" | "spawn_link" | "spawn_monitor" | "spawn_opt"
        ))
    .then_some(value)
}

/// The code the process `call` spawns runs: its fun (written there, or
/// bound to a variable of `function` before), or `M:F/N` for
/// `spawn(M, F, [A, ...])`. The forms with a node first are read too.
fn spawned_code(frame: &Frame<'_>, function: &Function, call: &Expr) -> Spawned {
    let Some(t) = frame.target(call) else {
        return Spawned::Unknown;
    };
    // The arguments before the options of `spawn_opt`.
    let n = t
        .args
        .len()
        .saturating_sub(usize::from(t.mfa.function == "spawn_opt"));
    let args = &t.args[..n];
    match n {
        1 | 2 => fun_code(frame, function, &args[n - 1], call.span),
        3 | 4 => {
            let (m, f, a) = (&args[n - 3], &args[n - 2], &args[n - 1]);
            match (m.as_atom(), f.as_atom(), &a.kind) {
                (Some(m), Some(f), ExprKind::List { elems, tail: None }) => {
                    match u32::try_from(elems.len()) {
                        Ok(arity) => Spawned::Function(Mfa::new(m, f, arity)),
                        Err(_) => Spawned::Unknown,
                    }
                }
                _ => Spawned::Unknown,
            }
        }
        _ => Spawned::Unknown,
    }
}

/// The code of the fun `arg`, spawned at `at`.
fn fun_code(frame: &Frame<'_>, function: &Function, arg: &Expr, at: Span) -> Spawned {
    match &arg.kind {
        ExprKind::Fun { clauses, .. } => Spawned::Fun(clauses.clone()),
        ExprKind::FunRef { .. } => {
            fun_ref_target(arg, &frame.current.module).map_or(Spawned::Unknown, Spawned::Function)
        }
        ExprKind::Var(v) => {
            // The last fun bound to it before the spawn.
            let mut bound = None;
            walk_function(function, &mut |x, _| {
                if let ExprKind::Match { pattern, value } = &x.kind {
                    if x.span.end <= at.start
                        && matches!(&pattern.kind, ExprKind::Var(p) if p == v)
                        && matches!(value.kind, ExprKind::Fun { .. } | ExprKind::FunRef { .. })
                    {
                        bound = Some(value.as_ref());
                    }
                }
                Walk::Continue
            });
            bound.map_or(Spawned::Unknown, |b| fun_code(frame, function, b, at))
        }
        _ => Spawned::Unknown,
    }
}
